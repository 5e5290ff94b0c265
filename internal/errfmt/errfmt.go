// Package errfmt renders the error types of packages flowlog and
// flowlog/driver for %#v and log/slog without a secret: the error texts are
// redacted when they are built; these helpers do the same for GoString
// (fmt would otherwise print the fields as they are, a wrapped SDK error
// included) and LogValue (a group of the useful fields instead of one long
// string). Wrapped errors that are not the module's own are shown by type
// only, since their texts and fields are the SDKs'.
package errfmt

import (
	"fmt"
	"log/slog"
	"reflect"
	"strconv"
	"strings"
	"unicode"

	"github.com/cloudflowlog/flowlog-go/internal/redact"
)

// GoName is the Go expression of v, a value of the enum type typ of package
// flowlog whose constants are named names, in order from zero.
func GoName[T ~int](typ string, names []string, v T) string {
	if v >= 0 && int(v) < len(names) {
		return "flowlog." + names[v]
	}
	return "flowlog." + typ + "(" + strconv.Itoa(int(v)) + ")"
}

// Words is v of the enum type typ in words, from the name of its constant:
// CodeInvalidArgument is "invalid argument", RetryClockSkew "clock skew";
// a value without a constant is "Type(n)".
func Words[T ~int](typ string, names []string, v T) string {
	if v < 0 || int(v) >= len(names) {
		return typ + "(" + strconv.Itoa(int(v)) + ")"
	}
	name := strings.TrimPrefix(names[v], strings.TrimSuffix(typ, "Class"))
	var b strings.Builder
	for i, r := range name {
		if unicode.IsUpper(r) && i > 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Quote is a provider text, redacted, as a Go string literal.
func Quote(s string) string { return strconv.Quote(redact.String(s)) }

// ownPackages are the packages whose error types redact themselves.
var ownPackages = map[string]bool{
	"github.com/cloudflowlog/flowlog-go/flowlog":        true,
	"github.com/cloudflowlog/flowlog-go/flowlog/driver": true,
}

// Own reports whether err is one of the module's error types (flowlog's or
// the driver's), whose GoString and LogValue are redacted.
func Own(err error) bool {
	t := reflect.TypeOf(err)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return ownPackages[t.PkgPath()]
}

// GoError renders an error field for GoString: the sentinels in names by
// name, the module's errors in full (their texts are redacted), any other
// error by its type only.
func GoError(err error, names map[string]error) string {
	if err == nil {
		return "error(nil)"
	}
	for name, sentinel := range names {
		if err == sentinel {
			return name
		}
	}
	if g, ok := err.(fmt.GoStringer); ok && Own(err) {
		return g.GoString()
	}
	v := reflect.ValueOf(err)
	if v.Kind() == reflect.Pointer {
		return fmt.Sprintf("(%T)(%#x)", err, v.Pointer())
	}
	return fmt.Sprintf("%T{...}", err)
}

// LogError renders an error attribute for LogValue: the module's errors as
// their groups, any other as its redacted text.
func LogError(key string, err error) slog.Attr {
	if lv, ok := err.(slog.LogValuer); ok && Own(err) {
		return slog.Attr{Key: key, Value: lv.LogValue()}
	}
	return slog.String(key, redact.String(err.Error()))
}
