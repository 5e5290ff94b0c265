package driver

import (
	"strconv"
	"strings"
	"time"

	"github.com/cloudflowlog/flowlog-go/internal/errfmt"
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

// String returns the code in words, e.g. "invalid argument".
func (c Code) String() string { return errfmt.Words("Code", codeGoNames, c) }

// Sentinel errors, one per Code, for errors.Is; package flowlog re-exports
// them for users.
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

// Sentinel returns the sentinel error of code, nil for CodeUnknown.
func Sentinel(code Code) error { return sentinels[code] }

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

// String returns the class in words, e.g. "clock skew".
func (r RetryClass) String() string { return errfmt.Words("RetryClass", retryGoNames, r) }

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
