// Package errmap maps providers' error codes to neutral flowlog codes, and
// cleans provider messages before they enter an error text. Each adapter
// declares its tables; the lookup rules live here once.
package errmap

import (
	"strings"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/internal/redact"
)

// Table maps exact provider codes, then code families by prefix (for
// example "Throttling" or "InvalidParameterValue."). Exact codes win; among
// prefixes the longest match wins, so a family can have exceptions.
type Table struct {
	Exact    map[string]flowlog.Code
	Prefixes map[string]flowlog.Code
}

// Lookup returns the neutral code of providerCode, if the table knows it.
func (t Table) Lookup(providerCode string) (flowlog.Code, bool) {
	if c, ok := t.Exact[providerCode]; ok {
		return c, true
	}
	best, code := -1, flowlog.CodeUnknown
	for prefix, c := range t.Prefixes {
		if len(prefix) > best && strings.HasPrefix(providerCode, prefix) {
			best, code = len(prefix), c
		}
	}
	return code, best >= 0
}

// Lookup tries the tables in order: a product's own table before the codes
// its gateway shares with other products.
func Lookup(providerCode string, tables ...Table) (flowlog.Code, bool) {
	for _, t := range tables {
		if c, ok := t.Lookup(providerCode); ok {
			return c, true
		}
	}
	return flowlog.CodeUnknown, false
}

// maxMessage bounds the provider message kept in an error: a gateway's HTML
// error page is not a message.
const maxMessage = 512

// Message returns a provider message fit for an error text: secrets
// removed, white space folded onto one line, a gateway's HTML error page
// named rather than quoted, and at most 512 bytes.
func Message(s string) string {
	lower := strings.ToLower(s)
	if strings.Contains(lower, "<html") || strings.Contains(lower, "<!doctype html") {
		return "the server answered with an HTML page, not an API response"
	}
	s = strings.Join(strings.Fields(redact.String(s)), " ")
	if len(s) <= maxMessage {
		return s
	}
	return strings.ToValidUTF8(s[:maxMessage], "") + "..."
}
