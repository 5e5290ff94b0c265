package tencent

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	sdkerrors "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/internal/errmap"
	"github.com/cloudflowlog/flowlog-go/internal/redact"
	"github.com/cloudflowlog/flowlog-go/internal/transport"
)

// codes maps the documented codes of the flow-log APIs and the common codes
// of API 3.0 (api-spec §4.3, §5, §6) to neutral codes.
var codes = errmap.Table{
	Exact: map[string]flowlog.Code{
		"UnsupportedOperation.FlowLogInstanceExisted": flowlog.CodeAlreadyExists,
		"InvalidParameterValue.Duplicate":             flowlog.CodeAlreadyExists,
		"LimitExceeded":                               flowlog.CodeQuotaExceeded,
		"LimitExceeded.ActionLimited":                 flowlog.CodeThrottled,
		"AuthFailure.UnauthorizedOperation":           flowlog.CodePermissionDenied,
		"UnauthorizedOperation":                       flowlog.CodePermissionDenied,
		"InvalidAction":                               flowlog.CodeUnsupported,
		"NoSuchVersion":                               flowlog.CodeUnsupported,
		"UnsupportedRegion":                           flowlog.CodeInvalidArgument,
		"ResourceBusy":                                flowlog.CodeUnavailable,
		"ClientError.NetworkError":                    flowlog.CodeUnavailable,
		"ClientError.ParseJsonError":                  flowlog.CodeUnavailable,
		"ClientError.HttpStatusCodeError":             flowlog.CodeUnavailable,
		"ClientError.IOError":                         flowlog.CodeUnavailable,
	},
	Prefixes: map[string]flowlog.Code{
		"AuthFailure":          flowlog.CodeUnauthenticated,
		"RequestLimitExceeded": flowlog.CodeThrottled,
		"LimitExceeded.":       flowlog.CodeQuotaExceeded,
		"InvalidParameter":     flowlog.CodeInvalidArgument, // also InvalidParameterValue.*
		"MissingParameter":     flowlog.CodeInvalidArgument,
		"UnknownParameter":     flowlog.CodeInvalidArgument,
		"ResourceNotFound":     flowlog.CodeNotFound,
		"UnsupportedOperation": flowlog.CodeUnsupported,
		"InternalError":        flowlog.CodeUnavailable,
		"ResourceInUse":        flowlog.CodeUnavailable,
		"ResourceUnavailable":  flowlog.CodeUnavailable,
		"FailedOperation":      flowlog.CodeUnknown,
		"ResourceInsufficient": flowlog.CodeQuotaExceeded,
	},
}

// mapError converts an SDK error of op into a *flowlog.Error. resp is what
// the transport saw of the response: API errors come with HTTP 200, a
// gateway's error page with its own status, which the SDK does not keep.
func mapError(ctx context.Context, op, id string, resp *transport.Response, err error) error {
	status := resp.Status()
	e := &flowlog.Error{Provider: Name, Op: op, ID: id, HTTPStatus: status}
	e.RetryAfter = errmap.RetryAfter(resp.RetryAfter(), time.Now())
	var sdkErr *sdkerrors.TencentCloudSDKError
	if !errors.As(err, &sdkErr) {
		e.Code = flowlog.CodeUnknown
		e.Message = errmap.Message(err.Error())
		e.Err = redact.Error(err)
		return e
	}
	e.ProviderCode = sdkErr.Code
	e.RequestID = sdkErr.RequestId
	e.Message = errmap.Message(sdkErr.Message)
	e.Err = sanitize(sdkErr)
	e.Code, _ = errmap.Lookup(sdkErr.Code, codes)
	e.Retry = errmap.RetryOf(e.Code, sdkErr.Code, codes)
	if !strings.HasPrefix(sdkErr.Code, "ClientError.") {
		return e
	}
	// The SDK's own codes say little; the transport and the HTTP status
	// say more.
	switch {
	case sdkErr.Code == "ClientError.NetworkError":
		e.Retry = errmap.TransportRetry(ctx, sdkErr)
		if ctx.Err() != nil {
			e.Code = flowlog.CodeUnknown
		}
	case status == http.StatusTooManyRequests:
		e.Code, e.Retry = flowlog.CodeThrottled, flowlog.RetrySafe
	case status >= 400 && status < 500:
		e.Code, e.Retry = flowlog.CodeUnknown, flowlog.RetryNever
	}
	return e
}

// sanitize returns err, or, when its text or its cause's holds a credential
// (API 3.0 signs in headers, so none is expected: this guards a gateway or
// proxy that quotes a request back), a copy made with the SDK's constructor
// whose message is redacted and whose cause is redact.Error's, so that
// errors.As still finds a *TencentCloudSDKError and errors.Is still sees a
// context error through it.
func sanitize(err *sdkerrors.TencentCloudSDKError) error {
	if redact.Error(err) == error(err) {
		return err
	}
	return sdkerrors.NewTencentCloudSDKErrorWithCause(err.Code, redact.String(err.Message), err.RequestId,
		redact.Error(errors.Unwrap(err)))
}
