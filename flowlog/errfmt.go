package flowlog

import (
	"context"
	"log/slog"
	"strconv"
	"strings"

	"github.com/cloudflowlog/flowlog-go/internal/errfmt"
	"github.com/cloudflowlog/flowlog-go/internal/redact"
)

// The error types' Error texts are redacted when they are built; the
// methods here do the same for %#v (GoString: fmt would otherwise print the
// fields as they are, the wrapped SDK error included) and for log/slog
// (LogValue: slog.Any("err", err) logs a group of the useful fields instead
// of one long string). Every text that came from a provider goes through
// redact.String; wrapped errors that are not this package's are shown by
// type only.

// goQuote is a provider text, redacted, as a Go string literal.
func goQuote(s string) string { return errfmt.Quote(s) }

// goError renders an error field for GoString (see errfmt.GoError).
func goError(err error) string { return errfmt.GoError(err, sentinelNames) }

// logError renders an error attribute for LogValue (see errfmt.LogError).
func logError(key string, err error) slog.Attr { return errfmt.LogError(key, err) }

var sentinelNames = map[string]error{
	"flowlog.ErrInvalidArgument":    ErrInvalidArgument,
	"flowlog.ErrNotFound":           ErrNotFound,
	"flowlog.ErrAlreadyExists":      ErrAlreadyExists,
	"flowlog.ErrThrottled":          ErrThrottled,
	"flowlog.ErrQuotaExceeded":      ErrQuotaExceeded,
	"flowlog.ErrPermissionDenied":   ErrPermissionDenied,
	"flowlog.ErrUnauthenticated":    ErrUnauthenticated,
	"flowlog.ErrUnavailable":        ErrUnavailable,
	"flowlog.ErrUnsupported":        ErrUnsupported,
	"flowlog.ErrFailedPrecondition": ErrFailedPrecondition,
	"flowlog.ErrClosed":             ErrClosed,
	"flowlog.ErrUnknownOutcome":     ErrUnknownOutcome,
	"context.Canceled":              context.Canceled,
	"context.DeadlineExceeded":      context.DeadlineExceeded,
}

// GoString renders e for %#v with the provider's message redacted and the
// wrapped error shown by type only: the SDK's error text may hold the
// string to sign or the signed URL.
func (e *Error) GoString() string {
	if e == nil {
		return "(*flowlog.Error)(nil)"
	}
	return "&flowlog.Error{Code:" + e.Code.GoString() +
		", Provider:" + strconv.Quote(e.Provider) +
		", Op:" + strconv.Quote(e.Op) +
		", ProviderCode:" + goQuote(e.ProviderCode) +
		", Message:" + goQuote(e.Message) +
		", RequestID:" + goQuote(e.RequestID) +
		", HTTPStatus:" + strconv.Itoa(e.HTTPStatus) +
		", ID:" + strconv.Quote(e.ID) +
		", Err:" + goError(e.Err) + "}"
}

// LogValue makes slog.Any("err", e) log the group {provider, op, id, code,
// provider_code, message, request_id, http_status}, the message redacted;
// empty fields are left out.
func (e *Error) LogValue() slog.Value {
	if e == nil {
		return slog.StringValue("<nil>")
	}
	return e.asDriver().LogValue()
}

// GoString renders w for %#v with the provider's reason redacted and the
// last error rendered as by Error.GoString.
func (w *WaitError) GoString() string {
	if w == nil {
		return "(*flowlog.WaitError)(nil)"
	}
	return "&flowlog.WaitError{Provider:" + strconv.Quote(w.Provider) +
		", Region:" + strconv.Quote(w.Region) +
		", ID:" + strconv.Quote(w.ID) +
		", Want:" + w.Want.GoString() +
		", Last:" + w.Last.GoString() +
		", LastRaw:" + goQuote(w.LastRaw) +
		", Reason:" + goQuote(w.Reason) +
		", LastErr:" + goError(w.LastErr) +
		", Polls:" + strconv.Itoa(w.Polls) +
		", Elapsed:" + strconv.FormatInt(int64(w.Elapsed), 10) +
		", Cause:" + goError(w.Cause) + "}"
}

// LogValue makes slog.Any("err", w) log the group {provider, region, id,
// want, last, last_raw, reason, polls, elapsed, cause, last_error}, texts
// redacted and the last error as its own group; empty fields are left out.
func (w *WaitError) LogValue() slog.Value {
	if w == nil {
		return slog.StringValue("<nil>")
	}
	attrs := []slog.Attr{
		slog.String("provider", w.Provider), slog.String("region", w.Region), slog.String("id", w.ID),
		slog.String("want", w.Want.String()), slog.String("last", w.Last.String()),
	}
	if w.LastRaw != "" {
		attrs = append(attrs, slog.String("last_raw", redact.String(w.LastRaw)))
	}
	if w.Reason != "" {
		attrs = append(attrs, slog.String("reason", redact.String(w.Reason)))
	}
	attrs = append(attrs, slog.Int("polls", w.Polls), slog.Duration("elapsed", w.Elapsed))
	if w.Cause != nil {
		attrs = append(attrs, logError("cause", w.Cause))
	}
	if w.LastErr != nil {
		attrs = append(attrs, logError("last_error", w.LastErr))
	}
	return slog.GroupValue(attrs...)
}

// GoString renders v for %#v with every reason redacted.
func (v *ValidationError) GoString() string {
	if v == nil {
		return "(*flowlog.ValidationError)(nil)"
	}
	var b strings.Builder
	b.WriteString("&flowlog.ValidationError{Provider:" + strconv.Quote(v.Provider) + ", Fields:[]flowlog.FieldError{")
	for i, f := range v.Fields {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("{Field:" + goQuote(f.Field) + ", Code:" + f.Code.GoString() + ", Reason:" + goQuote(f.Reason) + "}")
	}
	b.WriteString("}}")
	return b.String()
}

// LogValue makes slog.Any("err", v) log the group {provider, code, fields},
// fields being a group of each bad field's reason, redacted.
func (v *ValidationError) LogValue() slog.Value {
	if v == nil {
		return slog.StringValue("<nil>")
	}
	fields := make([]slog.Attr, len(v.Fields))
	for i, f := range v.Fields {
		fields[i] = slog.String(redact.String(f.Field), redact.String(f.Reason))
	}
	return slog.GroupValue(slog.String("provider", v.Provider), slog.String("code", ErrorCode(v).String()),
		slog.Attr{Key: "fields", Value: slog.GroupValue(fields...)})
}

// GoString renders d for %#v; the flow log is shown by ID and resource.
func (d *DriftError) GoString() string {
	if d == nil {
		return "(*flowlog.DriftError)(nil)"
	}
	fl := "(*flowlog.FlowLog)(nil)"
	if d.FlowLog != nil {
		fl = "&flowlog.FlowLog{ID:" + goQuote(d.FlowLog.ID) + ", Resource:flowlog.Resource{Kind:" +
			strconv.Quote(string(d.FlowLog.Resource.Kind)) + ", ID:" + goQuote(d.FlowLog.Resource.ID) + "}, ...}"
	}
	rest := ""
	if d.Policy != DriftReport {
		rest += ", Policy:" + d.Policy.String()
	}
	if d.Unowned {
		rest += ", Unowned:true, Owner:" + goQuote(d.Owner)
	}
	if len(d.Immutable) > 0 {
		rest += ", Immutable:[]string{" + strings.Join(quoteAll(d.Immutable), ", ") + "}"
	}
	return "&flowlog.DriftError{Provider:" + strconv.Quote(d.Provider) + ", Region:" + strconv.Quote(d.Region) +
		", FlowLog:" + fl + ", Fields:[]string{" + strings.Join(quoteAll(d.Fields), ", ") + "}" + rest + "}"
}

// quoteAll quotes each of ss as goQuote does.
func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = goQuote(s)
	}
	return out
}

// LogValue makes slog.Any("err", d) log the group {provider, region, id,
// resource, fields}.
func (d *DriftError) LogValue() slog.Value {
	if d == nil {
		return slog.StringValue("<nil>")
	}
	attrs := []slog.Attr{slog.String("provider", d.Provider), slog.String("region", d.Region)}
	if d.FlowLog != nil {
		attrs = append(attrs, slog.String("id", redact.String(d.FlowLog.ID)), slog.String("resource", redact.String(d.FlowLog.Resource.ID)))
	}
	fields := make([]string, len(d.Fields))
	for i, f := range d.Fields {
		fields[i] = redact.String(f)
	}
	return slog.GroupValue(append(attrs, slog.String("fields", strings.Join(fields, ", ")))...)
}

// GoString renders u for %#v, the errors as by Error.GoString.
func (u *UnknownOutcomeError) GoString() string {
	if u == nil {
		return "(*flowlog.UnknownOutcomeError)(nil)"
	}
	return "&flowlog.UnknownOutcomeError{Provider:" + strconv.Quote(u.Provider) + ", Op:" + strconv.Quote(u.Op) +
		", Region:" + strconv.Quote(u.Region) + ", Resource:" + goQuote(u.Resource) + ", ID:" + goQuote(u.ID) +
		", ClientToken:" + goQuote(u.ClientToken) + ", Err:" + goError(u.Err) + ", LookupErr:" + goError(u.LookupErr) + "}"
}

// LogValue makes slog.Any("err", u) log the group {provider, op, region,
// resource, id, client_token, error, lookup_error}; empty fields are left
// out.
func (u *UnknownOutcomeError) LogValue() slog.Value {
	if u == nil {
		return slog.StringValue("<nil>")
	}
	attrs := []slog.Attr{slog.String("provider", u.Provider), slog.String("op", u.Op), slog.String("region", u.Region)}
	for _, kv := range [][2]string{{"resource", u.Resource}, {"id", u.ID}, {"client_token", u.ClientToken}} {
		if kv[1] != "" {
			attrs = append(attrs, slog.String(kv[0], redact.String(kv[1])))
		}
	}
	if u.Err != nil {
		attrs = append(attrs, logError("error", u.Err))
	}
	if u.LookupErr != nil {
		attrs = append(attrs, logError("lookup_error", u.LookupErr))
	}
	return slog.GroupValue(attrs...)
}
