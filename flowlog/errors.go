package flowlog

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/internal/redact"
)

// Error is a failed provider call as a caller sees it. Its text never
// contains credentials or signatures; Unwrap reaches the SDK's own error
// for errors.As. (Adapters return a *driver.Error, which also says how the
// call may be retried; the client keeps that to itself.)
type Error struct {
	Code         Code   // neutral class
	Provider     string // "aliyun", "cbn", "tencent"
	Op           string // the provider action, e.g. "CreateFlowLog"
	ProviderCode string // the provider's own code, e.g. "InvalidResourceId.NotFound"
	Message      string // the provider's message, with secrets removed
	RequestID    string // the provider's request ID, for support tickets
	HTTPStatus   int    // 0 when no response was received
	// ID is the flow log the call was about, when there is one.
	ID string
	// Err is the underlying SDK or transport error.
	Err error
}

// asDriver is e in the driver's type, whose text and log group it shares.
func (e *Error) asDriver() *driver.Error {
	return &driver.Error{Code: e.Code, Provider: e.Provider, Op: e.Op, ProviderCode: e.ProviderCode, Message: e.Message,
		RequestID: e.RequestID, HTTPStatus: e.HTTPStatus, ID: e.ID, Err: e.Err}
}

// Error returns, e.g., "flowlog: aliyun CreateFlowLog: Throttling.User:
// Request was denied due to user flow control. (http 400, request id ...)".
func (e *Error) Error() string { return e.asDriver().Error() }

// Is reports whether target is the sentinel of e's code.
func (e *Error) Is(target error) bool { return target != nil && driver.Sentinel(e.Code) == target }

// Unwrap returns the underlying SDK or transport error.
func (e *Error) Unwrap() error { return e.Err }

// public turns an adapter's *driver.Error into the caller's *Error; any
// other error is returned as it is. The client calls it where a provider's
// failure leaves it, after it has read the retry class.
func public(err error) error {
	if de, ok := err.(*driver.Error); ok && de != nil {
		return &Error{Code: de.Code, Provider: de.Provider, Op: de.Op, ProviderCode: de.ProviderCode, Message: de.Message,
			RequestID: de.RequestID, HTTPStatus: de.HTTPStatus, ID: de.ID, Err: de.Err}
	}
	return err
}

// ErrorCode returns the neutral code of err: the code of the first *Error
// (or an adapter's *driver.Error) or *ValidationError in its chain,
// CodeUnknown otherwise (and for nil).
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	var de *driver.Error
	if errors.As(err, &de) {
		return de.Code
	}
	var v *ValidationError
	if errors.As(err, &v) && len(v.Fields) > 0 {
		return v.Fields[0].Code
	}
	for c := CodeInvalidArgument; c <= CodeFailedPrecondition; c++ {
		if errors.Is(err, driver.Sentinel(c)) {
			return c
		}
	}
	return CodeUnknown
}

// ValidationError lists every field of a spec that was rejected before any
// request was sent. It matches ErrInvalidArgument when a field is invalid and
// ErrUnsupported when the provider cannot express a field.
type ValidationError struct {
	Provider string
	Fields   []FieldError
}

func (v *ValidationError) Error() string {
	parts := make([]string, len(v.Fields))
	for i, f := range v.Fields {
		parts[i] = f.String()
	}
	who := "spec"
	if v.Provider != "" {
		who = v.Provider + " spec"
	}
	return "flowlog: invalid " + who + ": " + strings.Join(parts, "; ")
}

// Is matches ErrInvalidArgument or ErrUnsupported by the codes of the fields.
func (v *ValidationError) Is(target error) bool {
	for _, f := range v.Fields {
		if driver.Sentinel(f.Code) == target && target != nil {
			return true
		}
	}
	return false
}

// WaitError ends a wait that did not reach the wanted state. It says what was
// last seen so a caller never has to guess why.
type WaitError struct {
	Provider string
	Region   string
	ID       string
	Want     Status
	// Last and LastRaw are the last observed state, neutral and raw;
	// StatusUnknown and "" when the flow log was never seen.
	Last    Status
	LastRaw string
	// Reason is the provider's explanation of Last, if any.
	Reason string
	// LastErr is the last error a poll returned, if any.
	LastErr error
	Polls   int
	Elapsed time.Duration
	// Cause is why the wait stopped: context.DeadlineExceeded or
	// context.Canceled, ErrNotFound, or nil when a terminal state was reached.
	Cause error
}

func (w *WaitError) Error() string {
	var b strings.Builder
	b.WriteString("flowlog: wait for " + w.Provider + " flow log " + w.ID + " to be " + w.Want.String() + ": ")
	switch {
	case w.Cause != nil && errors.Is(w.Cause, context.DeadlineExceeded):
		b.WriteString("timed out")
	case w.Cause != nil && errors.Is(w.Cause, context.Canceled):
		b.WriteString("canceled")
	case errors.Is(w.Cause, ErrNotFound):
		b.WriteString("not found")
	case w.Cause == nil && w.Last != w.Want && w.Last.Terminal():
		// A settled state ended the wait, even if an earlier poll failed.
		b.WriteString("reached " + w.Last.String())
	case w.LastErr != nil && w.Cause == nil:
		b.WriteString("failed")
	case w.Last == StatusPending:
		b.WriteString("moving elsewhere")
	default:
		b.WriteString("reached " + w.Last.String())
	}
	if w.LastRaw != "" {
		b.WriteString("; last status " + w.Last.String() + " (" + redact.String(w.LastRaw) + ")")
	}
	if w.Reason != "" {
		b.WriteString(": " + redact.String(w.Reason))
	}
	if w.LastErr != nil {
		b.WriteString("; last error: " + redact.String(w.LastErr.Error()))
	}
	b.WriteString("; " + strconv.Itoa(w.Polls) + " polls in " + w.Elapsed.Round(time.Millisecond).String())
	return b.String()
}

// Unwrap exposes both the cause (so errors.Is(err, context.DeadlineExceeded)
// works) and the last poll error.
func (w *WaitError) Unwrap() []error {
	var errs []error
	if w.Cause != nil {
		errs = append(errs, w.Cause)
	}
	if w.LastErr != nil {
		errs = append(errs, w.LastErr)
	}
	return errs
}

// ErrUnknownOutcome matches the error of a call that may have been applied
// although it failed: a create whose response was lost, say, when even a
// look-up afterwards could not tell whether the flow log exists. The caller
// must not assume the call failed: look again (Get, List, Ensure) before
// acting on it. The error is an *UnknownOutcomeError.
var ErrUnknownOutcome = errors.New("flowlog: outcome unknown")

// UnknownOutcomeError is returned when a call that changes the cloud failed
// after an attempt that may have been applied, and the look-up that followed
// could not settle whether it was. It matches ErrUnknownOutcome, and through
// Err everything the last attempt's error matches (errors.Is(err,
// ErrUnavailable), ErrorCode, errors.As to *Error).
type UnknownOutcomeError struct {
	Provider string
	Op       string // "Create", "Delete", "Activate", "Deactivate"
	Region   string
	// Resource is the captured resource of a create; ID the flow log of the
	// other calls.
	Resource string
	ID       string
	// ClientToken is the create's idempotency token where the API takes one
	// (CEN): repeating the create with the same spec and token cannot make
	// a second flow log.
	ClientToken string
	// Err is the last attempt's error; LookupErr why the look-up could not
	// tell (the context's error when it ended first).
	Err       error
	LookupErr error
}

func (u *UnknownOutcomeError) Error() string {
	var b strings.Builder
	b.WriteString("flowlog: " + u.Provider + " " + u.Op)
	if u.Resource != "" {
		b.WriteString(" on " + redact.String(u.Resource))
	}
	if u.ID != "" {
		b.WriteString(" of " + redact.String(u.ID))
	}
	b.WriteString(" in " + u.Region + ": outcome unknown, it may have been applied")
	if u.ClientToken != "" {
		b.WriteString(" (client token " + redact.String(u.ClientToken) + ")")
	}
	if u.Err != nil {
		b.WriteString(": " + redact.String(u.Err.Error()))
	}
	if u.LookupErr != nil {
		b.WriteString("; the look-up failed too: " + redact.String(u.LookupErr.Error()))
	}
	return b.String()
}

// Is matches ErrUnknownOutcome.
func (u *UnknownOutcomeError) Is(target error) bool { return target == ErrUnknownOutcome }

// Unwrap returns the last attempt's error and the look-up's.
func (u *UnknownOutcomeError) Unwrap() []error {
	var errs []error
	for _, e := range []error{u.Err, u.LookupErr} {
		if e != nil {
			errs = append(errs, e)
		}
	}
	return errs
}

// DriftError reports that the flow log on a spec's resource differs from the
// spec. Ensure returns it instead of changing a flow log someone else may
// rely on. It matches ErrAlreadyExists.
type DriftError struct {
	Provider string
	Region   string
	// FlowLog is the flow log that exists.
	FlowLog *FlowLog
	// Fields are the FlowLogSpec fields that differ.
	Fields []string
	// Policy is the call's drift policy (OnDrift).
	Policy DriftPolicy
	// Unowned is set when the policy would have changed the flow log but
	// it does not carry the client's owner tag (OwnerTagKey=Owner), and
	// ChangeUnowned was not given.
	Unowned bool
	Owner   string
	// Immutable are those of Fields that the provider cannot change in
	// place, which kept DriftUpdate from changing the flow log.
	Immutable []string
}

func (d *DriftError) Error() string {
	msg := "flowlog: " + d.Provider + " flow log " + d.FlowLog.ID + " on " + d.FlowLog.Resource.ID +
		" differs from the spec in " + strings.Join(d.Fields, ", ")
	switch {
	case d.Unowned:
		msg += "; not changed: it does not carry the owner tag " + OwnerTagKey + "=" + d.Owner +
			" (flowlog.ChangeUnowned lets the drift policy change it)"
	case len(d.Immutable) > 0:
		msg += "; not changed: " + d.Provider + " cannot change " + strings.Join(d.Immutable, ", ") +
			" in place (flowlog.DriftReplace replaces the flow log)"
	}
	return msg
}

// Is matches ErrAlreadyExists: a different flow log is in the way.
func (d *DriftError) Is(target error) bool { return target == ErrAlreadyExists }
