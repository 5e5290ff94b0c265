package flowlog

import (
	"context"
	"errors"
	"log/slog"

	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/internal/redact"
)

// What the client logs, and at which level, so that a service that passes
// slog.Default() sees what matters without turning on Debug:
//
//   - Info: what changes the cloud or settles it: "flowlog created",
//     "flowlog adopted", "flowlog deleted", "flowlog drift", and a wait
//     reaching its state ("flowlog active", "flowlog inactive").
//   - Warn: what a service must look at: "flowlog retry budget exhausted",
//     and any failure whose outcome is unknown (ErrUnknownOutcome).
//   - Debug: attempts and ordinary failures ("flowlog retry", "flowlog
//     create failed", "flowlog wait failed", "flowlog delete failed",
//     "flowlog already gone").
//
// One vocabulary for the attributes of every record: provider, region, id,
// resource, op, status, raw_status, elapsed, fields; and for an error:
// error (its text), code (the neutral code), provider_code, request_id and
// details (the error's own group). Nothing logged carries a credential.
// Spans use the same words for the same things, under "flowlog."
// (flowlog.code, flowlog.provider_code, flowlog.request_id; see
// telemetry.go), and the same redaction.

// logEvent writes a record of msg at level with attrs, building nothing
// when the level is off.
func (c *Client) logEvent(ctx context.Context, level slog.Level, msg string, attrs func() []slog.Attr) {
	if c.log.Enabled(ctx, level) {
		c.log.LogAttrs(ctx, level, msg, attrs()...)
	}
}

// logFailure writes the record of a failed call: Warn when its outcome is
// unknown (the caller must look before acting), Debug otherwise (the caller
// has the error). Each "flowlog outcome unknown" record, logged or not at
// the logger's level, counts once in the flowlog.client.unknown_outcomes
// metric.
func (c *Client) logFailure(ctx context.Context, msg string, err error, attrs func() []slog.Attr) {
	level := slog.LevelDebug
	if errors.Is(err, ErrUnknownOutcome) {
		level, msg = slog.LevelWarn, "flowlog outcome unknown"
		c.tel.unknownOutcome(ctx, err)
	}
	c.logEvent(ctx, level, msg, func() []slog.Attr { return append(attrs(), errAttrs(err)...) })
}

// errAttrs describes err for a log record without any secret: the errors'
// texts are redacted by construction, and any other text is redacted here
// in case an adapter let a raw SDK error through. Besides the text, the
// neutral code, the provider's code and request ID of the first *Error in
// the chain (a wait's last poll error included), and "details": the
// LogValue group of this package's error in the chain.
func errAttrs(err error) []slog.Attr {
	attrs := []slog.Attr{slog.String("error", redact.String(err.Error())), slog.String("code", ErrorCode(err).String())}
	code, id := providerCode(err)
	if code != "" {
		attrs = append(attrs, slog.String("provider_code", redact.String(code)))
	}
	if id != "" {
		attrs = append(attrs, slog.String("request_id", redact.String(id)))
	}
	if lv := loggable(err); lv != nil {
		attrs = append(attrs, slog.Attr{Key: "details", Value: lv.LogValue()})
	}
	return attrs
}

// providerCode returns the provider's code and request ID of the first
// provider error in err's chain: a caller's *Error, or an adapter's
// *driver.Error (the retry loop logs those before handing them out).
func providerCode(err error) (code, requestID string) {
	var e *Error
	if errors.As(err, &e) {
		return e.ProviderCode, e.RequestID
	}
	var de *driver.Error
	if errors.As(err, &de) {
		return de.ProviderCode, de.RequestID
	}
	return "", ""
}

// loggable returns the error of this package's types in err's chain that
// says most (a *WaitError before the *Error it holds), or nil.
func loggable(err error) slog.LogValuer {
	var w *WaitError
	var d *DriftError
	var v *ValidationError
	var u *UnknownOutcomeError
	var e *Error
	var de *driver.Error
	switch {
	case errors.As(err, &u):
		return u
	case errors.As(err, &w):
		return w
	case errors.As(err, &d):
		return d
	case errors.As(err, &v):
		return v
	case errors.As(err, &e):
		return e
	case errors.As(err, &de):
		return de
	}
	return nil
}
