package driver

import (
	"log/slog"
	"strconv"

	"github.com/cloudflowlog/flowlog-go/internal/errfmt"
	"github.com/cloudflowlog/flowlog-go/internal/redact"
)

// The constants' names, in order from zero: the one table each enum's
// String (in words) and GoString (the Go name) come from.
var (
	codeGoNames = []string{
		"CodeUnknown", "CodeInvalidArgument", "CodeNotFound", "CodeAlreadyExists", "CodeThrottled",
		"CodeQuotaExceeded", "CodePermissionDenied", "CodeUnauthenticated", "CodeUnavailable",
		"CodeUnsupported", "CodeFailedPrecondition",
	}
	retryGoNames  = []string{"RetryNever", "RetrySafe", "RetryAmbiguous", "RetryClockSkew"}
	statusGoNames = []string{"StatusUnknown", "StatusPending", "StatusActive", "StatusInactive", "StatusFailed", "StatusDeleted"}
)

// GoString returns the constant's name for %#v, e.g. flowlog.CodeNotFound.
func (c Code) GoString() string { return errfmt.GoName("Code", codeGoNames, c) }

// GoString returns the constant's name for %#v, e.g. flowlog.RetrySafe.
func (r RetryClass) GoString() string { return errfmt.GoName("RetryClass", retryGoNames, r) }

// GoString returns the constant's name for %#v, e.g. flowlog.StatusActive.
func (s Status) GoString() string { return errfmt.GoName("Status", statusGoNames, s) }

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
		", ProviderCode:" + errfmt.Quote(e.ProviderCode) +
		", Message:" + errfmt.Quote(e.Message) +
		", RequestID:" + errfmt.Quote(e.RequestID) +
		", HTTPStatus:" + strconv.Itoa(e.HTTPStatus) +
		", ID:" + strconv.Quote(e.ID) +
		", Retry:" + e.Retry.GoString() +
		", RetryAfter:" + strconv.FormatInt(int64(e.RetryAfter), 10) +
		", Err:" + errfmt.GoError(e.Err, nil) + "}"
}

// LogValue makes slog.Any("err", e) log the group {provider, op, id, code,
// provider_code, message, request_id, http_status, retry, retry_after}, the
// message redacted; empty fields are left out.
func (e *Error) LogValue() slog.Value {
	if e == nil {
		return slog.StringValue("<nil>")
	}
	attrs := make([]slog.Attr, 0, 10)
	attrs = append(attrs, slog.String("provider", e.Provider), slog.String("op", e.Op))
	if e.ID != "" {
		attrs = append(attrs, slog.String("id", e.ID))
	}
	attrs = append(attrs, slog.String("code", e.Code.String()))
	if e.ProviderCode != "" {
		attrs = append(attrs, slog.String("provider_code", redact.String(e.ProviderCode)))
	}
	// The message Error shows: the provider's, or the wrapped error's when
	// there is none.
	switch {
	case e.Message != "":
		attrs = append(attrs, slog.String("message", redact.String(e.Message)))
	case e.Err != nil && e.ProviderCode == "":
		attrs = append(attrs, slog.String("message", redact.String(e.Err.Error())))
	}
	if e.RequestID != "" {
		attrs = append(attrs, slog.String("request_id", redact.String(e.RequestID)))
	}
	if e.HTTPStatus != 0 {
		attrs = append(attrs, slog.Int("http_status", e.HTTPStatus))
	}
	if e.Retry != RetryNever {
		attrs = append(attrs, slog.String("retry", e.Retry.String()))
	}
	if e.RetryAfter > 0 {
		attrs = append(attrs, slog.Duration("retry_after", e.RetryAfter))
	}
	return slog.GroupValue(attrs...)
}
