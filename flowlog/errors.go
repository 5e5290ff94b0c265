package flowlog

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/cloudflowlog/flowlog-go/internal/redact"
)

// Code is the provider-neutral class of an error. Adapters map every provider
// error code to one of these, so callers branch on meaning, not on strings.
type Code int

// Error codes. The numbers are stable.
const (
	CodeUnknown            Code = iota
	CodeInvalidArgument         // a request parameter was rejected
	CodeNotFound                // the flow log or a resource it names does not exist
	CodeAlreadyExists           // the resource already has a flow log
	CodeThrottled               // the provider asked us to slow down
	CodeQuotaExceeded           // an account quota is used up
	CodePermissionDenied        // authenticated, but not allowed
	CodeUnauthenticated         // the credentials or the signature were refused
	CodeUnavailable             // a transient server-side or transport failure
	CodeUnsupported             // the provider cannot express what was asked
	CodeFailedPrecondition      // the account or the flow log is in a state that forbids the call (e.g. the service is not opened)
)

var codeNames = [...]string{
	"unknown", "invalid argument", "not found", "already exists", "throttled",
	"quota exceeded", "permission denied", "unauthenticated", "unavailable",
	"unsupported", "failed precondition",
}

func (c Code) String() string {
	if c >= 0 && int(c) < len(codeNames) {
		return codeNames[c]
	}
	return "Code(" + strconv.Itoa(int(c)) + ")"
}

// Sentinel errors, one per Code, for errors.Is.
var (
	ErrInvalidArgument    = &codeSentinel{CodeInvalidArgument}
	ErrNotFound           = &codeSentinel{CodeNotFound}
	ErrAlreadyExists      = &codeSentinel{CodeAlreadyExists}
	ErrThrottled          = &codeSentinel{CodeThrottled}
	ErrQuotaExceeded      = &codeSentinel{CodeQuotaExceeded}
	ErrPermissionDenied   = &codeSentinel{CodePermissionDenied}
	ErrUnauthenticated    = &codeSentinel{CodeUnauthenticated}
	ErrUnavailable        = &codeSentinel{CodeUnavailable}
	ErrUnsupported        = &codeSentinel{CodeUnsupported}
	ErrFailedPrecondition = &codeSentinel{CodeFailedPrecondition}
)

var sentinels = map[Code]error{
	CodeInvalidArgument:    ErrInvalidArgument,
	CodeNotFound:           ErrNotFound,
	CodeAlreadyExists:      ErrAlreadyExists,
	CodeThrottled:          ErrThrottled,
	CodeQuotaExceeded:      ErrQuotaExceeded,
	CodePermissionDenied:   ErrPermissionDenied,
	CodeUnauthenticated:    ErrUnauthenticated,
	CodeUnavailable:        ErrUnavailable,
	CodeUnsupported:        ErrUnsupported,
	CodeFailedPrecondition: ErrFailedPrecondition,
}

type codeSentinel struct{ code Code }

func (s *codeSentinel) Error() string { return "flowlog: " + s.code.String() }

// ErrorCode returns the neutral code of err: the code of the first *Error or
// *ValidationError in its chain, CodeUnknown otherwise (and for nil).
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	var v *ValidationError
	if errors.As(err, &v) && len(v.Fields) > 0 {
		return v.Fields[0].Code
	}
	var s *codeSentinel
	if errors.As(err, &s) {
		return s.code
	}
	return CodeUnknown
}

// Error is a failed provider call. Its text never contains credentials or
// signatures; Unwrap reaches the SDK's own error for errors.As.
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
	// Retry says what repeating the call could do; adapters set it from the
	// provider's code and from what the transport saw. The client's retry
	// loop reads it.
	Retry RetryClass
	// RetryAfter is the server's hint of how long to wait first (0: none).
	RetryAfter time.Duration
	// Err is the underlying SDK or transport error.
	Err error
}

// RetryClass says whether a failed call may be repeated, and how safely.
type RetryClass int

// Retry classes.
const (
	// RetryNever: repeating the call cannot help (a bad parameter, a
	// missing permission, a quota, a resource that does not exist).
	RetryNever RetryClass = iota
	// RetrySafe: the request was not applied (throttled, refused before it
	// reached the server, rejected because something is busy), so it may be
	// sent again as it is.
	RetrySafe
	// RetryAmbiguous: the request may have been applied (a timeout or a
	// reset after it was sent, a 5xx, an unreadable success). A read may be
	// repeated; a create must first find out whether it worked.
	RetryAmbiguous
	// RetryClockSkew: the signature's timestamp was refused. One more
	// attempt, signed afresh, is worth it; a second refusal means the local
	// clock is wrong.
	RetryClockSkew
)

var retryClassNames = [...]string{"never", "safe", "ambiguous", "clock skew"}

func (r RetryClass) String() string {
	if r >= 0 && int(r) < len(retryClassNames) {
		return retryClassNames[r]
	}
	return "RetryClass(" + strconv.Itoa(int(r)) + ")"
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("flowlog: ")
	var who []string
	for _, part := range []string{e.Provider, e.Op, e.ID} {
		if part != "" {
			who = append(who, part)
		}
	}
	if len(who) > 0 {
		b.WriteString(strings.Join(who, " ") + ": ")
	}
	switch {
	case e.ProviderCode != "":
		b.WriteString(e.ProviderCode)
		if e.Message != "" {
			b.WriteString(": " + redact.String(e.Message))
		}
	case e.Message != "":
		b.WriteString(redact.String(e.Message))
	case e.Err != nil:
		b.WriteString(redact.String(e.Err.Error()))
	default:
		b.WriteString(e.Code.String())
	}
	var extra []string
	if e.HTTPStatus != 0 {
		extra = append(extra, "http "+strconv.Itoa(e.HTTPStatus))
	}
	if e.RequestID != "" {
		extra = append(extra, "request id "+e.RequestID)
	}
	if len(extra) > 0 {
		b.WriteString(" (" + strings.Join(extra, ", ") + ")")
	}
	return b.String()
}

// Is reports whether target is the sentinel of e's code.
func (e *Error) Is(target error) bool { return sentinels[e.Code] == target && target != nil }

// Unwrap returns the underlying SDK or transport error.
func (e *Error) Unwrap() error { return e.Err }

// FieldError is one bad field of a FlowLogSpec.
type FieldError struct {
	Field  string // the spec field path, e.g. "Destination.SLS.Project"
	Code   Code   // CodeInvalidArgument or CodeUnsupported
	Reason string
}

// String returns "Field: reason". A reason may quote the rejected value, so
// it is redacted like provider texts.
func (f FieldError) String() string { return f.Field + ": " + redact.String(f.Reason) }

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
		if sentinels[f.Code] == target && target != nil {
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
