package tencent

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	sdkerrors "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"

	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/internal/errmap"
	"github.com/cloudflowlog/flowlog-go/internal/redact"
	"github.com/cloudflowlog/flowlog-go/internal/transport"
)

// codes maps the documented codes of the flow-log APIs and the common codes
// of API 3.0 (api-spec §4.3, §5, §6; seed 003) to neutral codes. A code's
// family (its prefix) says most; the exact entries are the codes whose
// meaning differs from their family's.
var codes = errmap.Table{
	Exact: map[string]driver.Code{
		"UnsupportedOperation.FlowLogInstanceExisted": driver.CodeAlreadyExists,
		// States of the resource, not limits of the API: bind the ENI to an
		// instance, or remove the classic NAT gateway's DNAT rules.
		"UnsupportedOperation.FlowLogsNotSupportNullInstanceEni": driver.CodeFailedPrecondition,
		"UnsupportedOperation.NatGatewayDnatAndFlowLogConflict":  driver.CodeFailedPrecondition,
		// Tags being assigned or released: the tag service is busy.
		"UnsupportedOperation.TagAllocate":             driver.CodeUnavailable,
		"UnsupportedOperation.TagFree":                 driver.CodeUnavailable,
		"UnsupportedOperation.TagNotPermit":            driver.CodePermissionDenied,
		"UnsupportedOperation.TagSystemReservedTagKey": driver.CodeInvalidArgument,
		"InvalidParameterValue.TagNotAllocatedQuota":   driver.CodeQuotaExceeded,
		"InvalidParameterValue.TagTimestampExceeded":   driver.CodeQuotaExceeded,
		"LimitExceeded":                     driver.CodeQuotaExceeded,
		"LimitExceeded.ActionLimited":       driver.CodeThrottled,
		"AuthFailure.UnauthorizedOperation": driver.CodePermissionDenied,
		"UnauthorizedOperation":             driver.CodePermissionDenied,
		"InvalidAction":                     driver.CodeUnsupported,
		"NoSuchVersion":                     driver.CodeUnsupported,
		"UnsupportedProtocol":               driver.CodeUnsupported,
		"UnsupportedRegion":                 driver.CodeInvalidArgument,
		"ResourceBusy":                      driver.CodeUnavailable,
		"ClientError.NetworkError":          driver.CodeUnavailable,
		"ClientError.ParseJsonError":        driver.CodeUnavailable,
		"ClientError.HttpStatusCodeError":   driver.CodeUnavailable,
		"ClientError.IOError":               driver.CodeUnavailable,
	},
	Prefixes: map[string]driver.Code{
		"AuthFailure":          driver.CodeUnauthenticated,
		"RequestLimitExceeded": driver.CodeThrottled,
		"LimitExceeded.":       driver.CodeQuotaExceeded,
		// Also InvalidParameterValue.*, Duplicate included: a repeated
		// input value, not a flow log that exists already.
		"InvalidParameter":     driver.CodeInvalidArgument,
		"MissingParameter":     driver.CodeInvalidArgument,
		"UnknownParameter":     driver.CodeInvalidArgument,
		"ResourceNotFound":     driver.CodeNotFound,
		"UnsupportedOperation": driver.CodeUnsupported,
		"InternalError":        driver.CodeUnavailable,
		"ResourceInUse":        driver.CodeUnavailable,
		"ResourceUnavailable":  driver.CodeUnavailable,
		"FailedOperation":      driver.CodeUnknown,
		"ResourceInsufficient": driver.CodeQuotaExceeded,
	},
	Retry: map[string]driver.RetryClass{
		// Refused while something is busy: nothing was applied, and trying
		// later helps.
		"UnsupportedOperation.TagAllocate": driver.RetrySafe,
		"UnsupportedOperation.TagFree":     driver.RetrySafe,
		"ResourceInUse":                    driver.RetrySafe,
		// The timestamp is more than 5 minutes off: a fresh signature may
		// pass once, a second refusal means the local clock is wrong.
		"AuthFailure.SignatureExpire": driver.RetryClockSkew,
	},
}

// mapError converts an SDK error of op into a *driver.Error. resp is what
// the transport saw of the response: API errors come with HTTP 200, a
// gateway's error page with its own status, which the SDK does not keep.
// Every text is masked by value with the credentials the adapter signs with
// and the signatures of this call, wherever a server echoed them.
func (p *Provider) mapError(ctx context.Context, op, id string, resp *transport.Response, err error) error {
	status := resp.Status()
	signatures := resp.Signatures()
	e := &driver.Error{Provider: Name, Op: op, ID: id, HTTPStatus: status}
	e.RetryAfter = errmap.RetryAfter(resp.RetryAfter(), time.Now())
	var sdkErr *sdkerrors.TencentCloudSDKError
	if !errors.As(err, &sdkErr) {
		e.Code = driver.CodeUnknown
		// Masked before errmap.Message shortens it, which could cut a
		// secret and leave a piece no value matches.
		e.Message = errmap.Message(p.secrets.String(err.Error(), signatures...))
		e.Err = p.secrets.Error(err, signatures...)
		return e
	}
	e.ProviderCode = sdkErr.Code
	e.RequestID = sdkErr.RequestId
	e.Message = errmap.Message(p.secrets.String(sdkErr.Message, signatures...))
	e.Err = sanitize(sdkErr, &p.secrets, signatures)
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
			e.Code = driver.CodeUnknown
		}
	case status == http.StatusTooManyRequests:
		e.Code, e.Retry = driver.CodeThrottled, driver.RetrySafe
	case status >= 400 && status < 500:
		e.Code, e.Retry = driver.CodeUnknown, driver.RetryNever
	}
	return e
}

// sanitize returns err, or, when its text or its cause's holds a secret
// (API 3.0 signs in headers, so none is expected: this guards a gateway,
// proxy or server that echoes the request back), a copy made with the SDK's
// constructor whose message and cause are masked by secrets and extra, so
// that errors.As still finds a *TencentCloudSDKError and errors.Is still
// sees a context error through it.
func sanitize(err *sdkerrors.TencentCloudSDKError, secrets *redact.Values, extra []string) error {
	if secrets.Clean(err, extra...) {
		return err
	}
	return sdkerrors.NewTencentCloudSDKErrorWithCause(err.Code, secrets.String(err.Message, extra...), err.RequestId,
		secrets.Error(errors.Unwrap(err), extra...))
}
