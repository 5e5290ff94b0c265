package flowlog_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
)

// secrets are values that must never show in an error text or a log line.
var secrets = []string{"LTAIabc", "xyz", "tok", "LTAI5tXyz", "CAISsecret", "AKIDsecret", "sigsecret"}

func assertNoSecret(t *testing.T, s string) {
	t.Helper()
	for _, sec := range secrets {
		assert.NotContains(t, s, sec, "secret %q leaked", sec)
	}
}

var allCodes = []struct {
	code     flowlog.Code
	sentinel error
	name     string
}{
	{flowlog.CodeInvalidArgument, flowlog.ErrInvalidArgument, "invalid argument"},
	{flowlog.CodeNotFound, flowlog.ErrNotFound, "not found"},
	{flowlog.CodeAlreadyExists, flowlog.ErrAlreadyExists, "already exists"},
	{flowlog.CodeThrottled, flowlog.ErrThrottled, "throttled"},
	{flowlog.CodeQuotaExceeded, flowlog.ErrQuotaExceeded, "quota exceeded"},
	{flowlog.CodePermissionDenied, flowlog.ErrPermissionDenied, "permission denied"},
	{flowlog.CodeUnauthenticated, flowlog.ErrUnauthenticated, "unauthenticated"},
	{flowlog.CodeUnavailable, flowlog.ErrUnavailable, "unavailable"},
	{flowlog.CodeUnsupported, flowlog.ErrUnsupported, "unsupported"},
	{flowlog.CodeFailedPrecondition, flowlog.ErrFailedPrecondition, "failed precondition"},
}

func TestCodeString(t *testing.T) {
	assert.Equal(t, "unknown", flowlog.CodeUnknown.String())
	for _, c := range allCodes {
		assert.Equal(t, c.name, c.code.String())
		assert.Equal(t, "flowlog: "+c.name, c.sentinel.Error())
	}
	assert.Equal(t, "Code(99)", flowlog.Code(99).String())
	assert.Equal(t, "Code(-1)", flowlog.Code(-1).String())
}

func TestErrorIsSentinel(t *testing.T) {
	for _, c := range allCodes {
		t.Run(c.name, func(t *testing.T) {
			err := &flowlog.Error{Code: c.code, Provider: "fake", Op: "X"}
			assert.ErrorIs(t, err, c.sentinel)
			// Through a wrap too.
			assert.ErrorIs(t, fmt.Errorf("outer: %w", err), c.sentinel)
			// And no other sentinel.
			for _, o := range allCodes {
				if o.code != c.code {
					assert.NotErrorIs(t, err, o.sentinel, o.name)
				}
			}
			assert.Equal(t, c.code, flowlog.ErrorCode(err))
			assert.Equal(t, c.code, flowlog.ErrorCode(fmt.Errorf("outer: %w", err)))
			assert.Equal(t, c.code, flowlog.ErrorCode(c.sentinel))
		})
	}
	unknown := &flowlog.Error{Code: flowlog.CodeUnknown}
	for _, o := range allCodes {
		assert.NotErrorIs(t, unknown, o.sentinel)
	}
	assert.False(t, unknown.Is(nil))
}

// sdkError stands in for an SDK's own error type.
type sdkError struct{ code string }

func (e *sdkError) Error() string { return "sdk: " + e.code }

func TestErrorAsReachesInner(t *testing.T) {
	inner := &sdkError{code: "Throttling.User"}
	err := fmt.Errorf("create: %w", &flowlog.Error{Code: flowlog.CodeThrottled, Provider: "fake", Err: inner})

	var apiErr *flowlog.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, flowlog.CodeThrottled, apiErr.Code)

	var sdk *sdkError
	require.ErrorAs(t, err, &sdk)
	assert.Same(t, inner, sdk)
	assert.Same(t, inner, apiErr.Unwrap())

	// A sentinel an inner error matches is reached too.
	wrapsCtx := &flowlog.Error{Code: flowlog.CodeUnavailable, Err: context.DeadlineExceeded}
	assert.ErrorIs(t, wrapsCtx, context.DeadlineExceeded)
	assert.ErrorIs(t, wrapsCtx, flowlog.ErrUnavailable)
}

func TestErrorText(t *testing.T) {
	tests := []struct {
		name     string
		err      *flowlog.Error
		contains []string
		exact    string
	}{
		{
			name: "all fields",
			err: &flowlog.Error{
				Code: flowlog.CodeNotFound, Provider: "aliyun", Op: "DeleteFlowLog", ID: "fl-123",
				ProviderCode: "InvalidFlowLogId.NotFound", Message: "The flow log does not exist.",
				RequestID: "4C4F8E2A-1", HTTPStatus: 404,
			},
			exact: "flowlog: aliyun DeleteFlowLog fl-123: InvalidFlowLogId.NotFound: The flow log does not exist. (http 404, request id 4C4F8E2A-1)",
		},
		{
			name:  "message only",
			err:   &flowlog.Error{Code: flowlog.CodeUnavailable, Provider: "tencent", Op: "CreateFlowLog", Message: "busy"},
			exact: "flowlog: tencent CreateFlowLog: busy",
		},
		{
			name:  "inner error only",
			err:   &flowlog.Error{Code: flowlog.CodeUnavailable, Provider: "tencent", Op: "CreateFlowLog", Err: errors.New("connection reset")},
			exact: "flowlog: tencent CreateFlowLog: connection reset",
		},
		{
			name:  "code only",
			err:   &flowlog.Error{Code: flowlog.CodeThrottled, Provider: "fake", Op: "X"},
			exact: "flowlog: fake X: throttled",
		},
		{
			name:  "no provider, op or id",
			err:   &flowlog.Error{Code: flowlog.CodeNotFound},
			exact: "flowlog: not found",
		},
		{
			name:  "status without request id",
			err:   &flowlog.Error{Code: flowlog.CodeUnavailable, Provider: "aliyun", Op: "X", ProviderCode: "ServiceUnavailable", HTTPStatus: 503},
			exact: "flowlog: aliyun X: ServiceUnavailable (http 503)",
		},
		{
			name: "secrets in message",
			err: &flowlog.Error{
				Code: flowlog.CodeUnauthenticated, Provider: "aliyun", Op: "CreateFlowLog",
				ProviderCode: "SignatureDoesNotMatch",
				Message:      "bad request AccessKeyId=LTAIabc&Signature=xyz&SecurityToken=tok&Action=CreateFlowLog",
				RequestID:    "req-9", HTTPStatus: 400,
			},
			contains: []string{"aliyun", "CreateFlowLog", "SignatureDoesNotMatch", "req-9", "http 400", "Action=CreateFlowLog", "AccessKeyId=REDACTED"},
		},
		{
			name: "percent-encoded string to sign",
			err: &flowlog.Error{
				Code: flowlog.CodeUnauthenticated, Provider: "aliyun", Op: "CreateFlowLog",
				ProviderCode: "SignatureDoesNotMatch",
				Message: "Specified signature is not matched with our calculation. server string to sign is:" +
					"POST&%2F&AccessKeyId%3DLTAIabc%26Action%3DX%26SecurityToken%3DCAISsecret%26SignatureMethod%3DHMAC-SHA1",
				RequestID: "req-10", HTTPStatus: 400,
			},
			contains: []string{"SignatureDoesNotMatch", "req-10", "http 400", "Action%3DX", "SignatureMethod%3DHMAC-SHA1"},
		},
		{
			name: "doubly encoded string to sign",
			err: &flowlog.Error{
				Code: flowlog.CodeUnauthenticated, Provider: "aliyun", Op: "CreateFlowLog",
				Message: "string to sign GET&%2F&AccessKeyId%253DLTAIabc%2526Action%253DX%2526SecurityToken%253DCAISsecret%2526Timestamp%253D2024",
			},
			contains: []string{"Action%253DX", "Timestamp%253D2024"},
		},
		{
			name: "secrets in inner error",
			err: &flowlog.Error{
				Code: flowlog.CodeUnavailable, Provider: "aliyun", Op: "CreateFlowLog",
				Err: errors.New(`Post "https://vpc.aliyuncs.com/?AccessKeyId=LTAI5tXyz&Action=CreateFlowLog&Signature=sigsecret": EOF`),
			},
			contains: []string{"Action=CreateFlowLog", "EOF"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.err.Error()
			if tt.exact != "" {
				assert.Equal(t, tt.exact, got)
			}
			for _, c := range tt.contains {
				assert.Contains(t, got, c)
			}
			assertNoSecret(t, got)
			// Wrapping must not bring a secret back.
			assertNoSecret(t, fmt.Errorf("x: %w", tt.err).Error())
		})
	}
}

func TestValidationError(t *testing.T) {
	invalid := flowlog.FieldError{Field: "Region", Code: flowlog.CodeInvalidArgument, Reason: "is required"}
	unsupported := flowlog.FieldError{Field: "Alibaba", Code: flowlog.CodeUnsupported, Reason: "not supported by tencent"}

	t.Run("invalid only", func(t *testing.T) {
		err := &flowlog.ValidationError{Provider: "aliyun", Fields: []flowlog.FieldError{invalid}}
		assert.ErrorIs(t, err, flowlog.ErrInvalidArgument)
		assert.NotErrorIs(t, err, flowlog.ErrUnsupported)
		assert.Equal(t, flowlog.CodeInvalidArgument, flowlog.ErrorCode(err))
		assert.Equal(t, "flowlog: invalid aliyun spec: Region: is required", err.Error())
	})
	t.Run("unsupported only", func(t *testing.T) {
		err := &flowlog.ValidationError{Provider: "tencent", Fields: []flowlog.FieldError{unsupported}}
		assert.ErrorIs(t, err, flowlog.ErrUnsupported)
		assert.NotErrorIs(t, err, flowlog.ErrInvalidArgument)
		assert.Equal(t, flowlog.CodeUnsupported, flowlog.ErrorCode(err))
	})
	t.Run("both", func(t *testing.T) {
		err := fmt.Errorf("create: %w", &flowlog.ValidationError{Fields: []flowlog.FieldError{invalid, unsupported}})
		assert.ErrorIs(t, err, flowlog.ErrInvalidArgument)
		assert.ErrorIs(t, err, flowlog.ErrUnsupported)
		assert.NotErrorIs(t, err, flowlog.ErrNotFound)
		assert.Equal(t, flowlog.CodeInvalidArgument, flowlog.ErrorCode(err), "the first field's code")
		assert.Equal(t, "create: flowlog: invalid spec: Region: is required; Alibaba: not supported by tencent", err.Error())
		var v *flowlog.ValidationError
		require.ErrorAs(t, err, &v)
		assert.Len(t, v.Fields, 2)
	})
	t.Run("no fields", func(t *testing.T) {
		err := &flowlog.ValidationError{}
		assert.NotErrorIs(t, err, flowlog.ErrInvalidArgument)
		assert.False(t, err.Is(nil))
		assert.Equal(t, flowlog.CodeUnknown, flowlog.ErrorCode(err))
	})
	assert.Equal(t, "Region: is required", invalid.String())
}

func TestErrorCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want flowlog.Code
	}{
		{"nil", nil, flowlog.CodeUnknown},
		{"plain", errors.New("boom"), flowlog.CodeUnknown},
		{"context", context.DeadlineExceeded, flowlog.CodeUnknown},
		{"closed", flowlog.ErrClosed, flowlog.CodeUnknown},
		{"error", &flowlog.Error{Code: flowlog.CodeQuotaExceeded}, flowlog.CodeQuotaExceeded},
		{"wrapped twice", fmt.Errorf("a: %w", fmt.Errorf("b: %w", &flowlog.Error{Code: flowlog.CodeAlreadyExists})), flowlog.CodeAlreadyExists},
		{"joined", errors.Join(errors.New("x"), &flowlog.Error{Code: flowlog.CodeNotFound}), flowlog.CodeNotFound},
		{"sentinel", flowlog.ErrThrottled, flowlog.CodeThrottled},
		{"wrapped sentinel", fmt.Errorf("x: %w", flowlog.ErrPermissionDenied), flowlog.CodePermissionDenied},
		{"validation", &flowlog.ValidationError{Fields: []flowlog.FieldError{{Code: flowlog.CodeUnsupported}}}, flowlog.CodeUnsupported},
		{"wait error with last error", &flowlog.WaitError{LastErr: &flowlog.Error{Code: flowlog.CodeUnavailable}, Cause: context.DeadlineExceeded}, flowlog.CodeUnavailable},
		{"wait error without errors", &flowlog.WaitError{Last: flowlog.StatusFailed}, flowlog.CodeUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, flowlog.ErrorCode(tt.err))
		})
	}
}

func TestWaitErrorUnwrap(t *testing.T) {
	last := &flowlog.Error{Code: flowlog.CodeThrottled, Provider: "fake", Op: "DescribeFlowLogs", ProviderCode: "Throttling"}

	t.Run("cause and last error", func(t *testing.T) {
		err := fmt.Errorf("wait: %w", &flowlog.WaitError{ID: "fl-1", Cause: context.DeadlineExceeded, LastErr: last})
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.ErrorIs(t, err, flowlog.ErrThrottled)
		assert.NotErrorIs(t, err, context.Canceled)
		var we *flowlog.WaitError
		require.ErrorAs(t, err, &we)
		assert.Equal(t, "fl-1", we.ID)
		var ae *flowlog.Error
		require.ErrorAs(t, err, &ae)
		assert.Same(t, last, ae)
		assert.Equal(t, []error{context.DeadlineExceeded, last}, we.Unwrap())
	})
	t.Run("nothing to unwrap", func(t *testing.T) {
		we := &flowlog.WaitError{Last: flowlog.StatusInactive}
		assert.Empty(t, we.Unwrap())
		assert.NotErrorIs(t, we, context.DeadlineExceeded)
	})
	t.Run("not found cause", func(t *testing.T) {
		we := &flowlog.WaitError{Cause: &flowlog.Error{Code: flowlog.CodeNotFound}}
		assert.ErrorIs(t, we, flowlog.ErrNotFound)
		assert.Equal(t, flowlog.CodeNotFound, flowlog.ErrorCode(we))
	})
}

func TestWaitErrorText(t *testing.T) {
	base := func() *flowlog.WaitError {
		return &flowlog.WaitError{Provider: "aliyun", Region: "cn-hangzhou", ID: "fl-1", Want: flowlog.StatusActive,
			Polls: 3, Elapsed: 4500 * time.Millisecond}
	}
	prefix := "flowlog: wait for aliyun flow log fl-1 to be active: "
	tests := []struct {
		name string
		mod  func(*flowlog.WaitError)
		want string
	}{
		{"timed out", func(w *flowlog.WaitError) {
			w.Cause = context.DeadlineExceeded
			w.Last, w.LastRaw = flowlog.StatusPending, "Activating"
		}, prefix + "timed out; last status pending (Activating); 3 polls in 4.5s"},
		{"canceled", func(w *flowlog.WaitError) {
			w.Cause = context.Canceled
		}, prefix + "canceled; 3 polls in 4.5s"},
		{"not found", func(w *flowlog.WaitError) {
			w.Cause = &flowlog.Error{Code: flowlog.CodeNotFound}
		}, prefix + "not found; last error: x; 3 polls in 4.5s"},
		{"reached failed with reason", func(w *flowlog.WaitError) {
			w.Last, w.LastRaw, w.Reason = flowlog.StatusFailed, "Unknown", "SLS project deleted"
		}, prefix + "reached failed; last status failed (Unknown): SLS project deleted; 3 polls in 4.5s"},
		{"failed poll", func(w *flowlog.WaitError) {
			w.Last, w.LastRaw = flowlog.StatusPending, "Activating"
			w.LastErr = errors.New("denied")
		}, prefix + "failed; last status pending (Activating); last error: denied; 3 polls in 4.5s"},
		{"reached inactive after a transient error", func(w *flowlog.WaitError) {
			w.Last, w.LastRaw = flowlog.StatusInactive, "Inactive"
			w.LastErr = errors.New("throttled")
		}, prefix + "reached inactive; last status inactive (Inactive); last error: throttled; 3 polls in 4.5s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := base()
			tt.mod(w)
			if tt.name == "not found" {
				w.LastErr = errors.New("x")
			}
			assert.Equal(t, tt.want, w.Error())
		})
	}

	t.Run("secrets redacted", func(t *testing.T) {
		w := base()
		w.Last, w.LastRaw = flowlog.StatusFailed, "Failed"
		w.Reason = "deliver failed: SecurityToken=tok"
		w.LastErr = errors.New(`Get "https://x/?AccessKeyId=LTAIabc&Signature=xyz": EOF`)
		got := w.Error()
		assertNoSecret(t, got)
		assert.True(t, strings.HasPrefix(got, prefix+"reached failed"), got)
	})
}

// TestGoStringNamesTheConstants pins %#v's names of the enum values to the
// constants they stand for, so a new constant cannot shift the names.
func TestGoStringNamesTheConstants(t *testing.T) {
	codes := map[flowlog.Code]string{
		flowlog.CodeUnknown: "CodeUnknown", flowlog.CodeInvalidArgument: "CodeInvalidArgument",
		flowlog.CodeNotFound: "CodeNotFound", flowlog.CodeAlreadyExists: "CodeAlreadyExists",
		flowlog.CodeThrottled: "CodeThrottled", flowlog.CodeQuotaExceeded: "CodeQuotaExceeded",
		flowlog.CodePermissionDenied: "CodePermissionDenied", flowlog.CodeUnauthenticated: "CodeUnauthenticated",
		flowlog.CodeUnavailable: "CodeUnavailable", flowlog.CodeUnsupported: "CodeUnsupported",
		flowlog.CodeFailedPrecondition: "CodeFailedPrecondition", flowlog.Code(99): "Code(99)",
	}
	for c, name := range codes {
		assert.Contains(t, fmt.Sprintf("%#v", &flowlog.Error{Code: c}), "{Code:flowlog."+name+",")
	}
	retries := map[driver.RetryClass]string{
		driver.RetryNever: "RetryNever", driver.RetrySafe: "RetrySafe", driver.RetryAmbiguous: "RetryAmbiguous",
		driver.RetryClockSkew: "RetryClockSkew", driver.RetryClass(-1): "RetryClass(-1)",
	}
	for r, name := range retries {
		assert.Contains(t, fmt.Sprintf("%#v", &driver.Error{Retry: r}), ", Retry:flowlog."+name+",")
	}
	statuses := map[flowlog.Status]string{
		flowlog.StatusUnknown: "StatusUnknown", flowlog.StatusPending: "StatusPending", flowlog.StatusActive: "StatusActive",
		flowlog.StatusInactive: "StatusInactive", flowlog.StatusFailed: "StatusFailed", flowlog.StatusDeleted: "StatusDeleted",
		flowlog.Status(7): "Status(7)",
	}
	for s, name := range statuses {
		assert.Contains(t, fmt.Sprintf("%#v", &flowlog.WaitError{Want: s}), ", Want:flowlog."+name+",")
	}
}
