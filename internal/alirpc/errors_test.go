package alirpc

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/internal/errmap"
)

var testMapper = Mapper{
	Provider: "aliyun",
	Codes: errmap.Table{
		Exact:    map[string]flowlog.Code{"InvalidResourceId.NotFound": flowlog.CodeAlreadyExists},
		Prefixes: map[string]flowlog.Code{"IllegalParam.": flowlog.CodeInvalidArgument},
	},
}

func noSignatures() []string { return nil }

func TestCodeMapping(t *testing.T) {
	tests := []struct {
		code   string
		status int
		want   flowlog.Code
		retry  driver.RetryClass
	}{
		{"InvalidResourceId.NotFound", 400, flowlog.CodeAlreadyExists, driver.RetryNever}, // product table wins
		{"Throttling", 503, flowlog.CodeThrottled, driver.RetrySafe},
		{"IllegalParam.AggregationInterval", 400, flowlog.CodeInvalidArgument, driver.RetryNever},
		{"", 502, flowlog.CodeUnavailable, driver.RetryAmbiguous},
		{"SomethingNew", 400, flowlog.CodeUnknown, driver.RetryNever},
		{"SomethingNew", 500, flowlog.CodeUnavailable, driver.RetryAmbiguous},
	}
	for _, tt := range tests {
		code, retry := testMapper.Classify(tt.code, tt.status)
		assert.Equal(t, tt.want, code, tt.code)
		assert.Equal(t, tt.retry, retry, tt.code)
	}
}

// TestGatewayCodes lists the codes every Alibaba RPC product answers with
// (api-spec §6.2, §6.3, and the transient codes Terraform retries), each
// with the neutral code and retry class its documented meaning calls for.
func TestGatewayCodes(t *testing.T) {
	never, safe, ambiguous := driver.RetryNever, driver.RetrySafe, driver.RetryAmbiguous
	tests := []struct {
		code   string
		status int
		want   flowlog.Code
		retry  driver.RetryClass
	}{
		{"Throttling", 400, flowlog.CodeThrottled, safe},
		{"Throttling.User", 400, flowlog.CodeThrottled, safe},
		{"Throttling.Api", 400, flowlog.CodeThrottled, safe},
		{"ServiceUnavailable", 503, flowlog.CodeUnavailable, ambiguous},
		{"SystemBusy", 503, flowlog.CodeUnavailable, safe},
		{"InternalError", 500, flowlog.CodeUnavailable, ambiguous},
		{"UnknownError", 500, flowlog.CodeUnavailable, ambiguous},
		{"InvalidAccessKeyId.NotFound", 404, flowlog.CodeUnauthenticated, never},
		{"InvalidAccessKeyId.Inactive", 400, flowlog.CodeUnauthenticated, never},
		{"SignatureDoesNotMatch", 400, flowlog.CodeUnauthenticated, never},
		{"IncompleteSignature", 400, flowlog.CodeUnauthenticated, never},
		// A reused nonce means a request was resent: the first may have been
		// applied.
		{"SignatureNonceUsed", 400, flowlog.CodeUnauthenticated, ambiguous},
		{"InvalidTimeStamp.Expired", 400, flowlog.CodeUnauthenticated, driver.RetryClockSkew},
		{"InvalidTimeStamp.Format", 400, flowlog.CodeUnauthenticated, never},
		{"MissingParameter", 400, flowlog.CodeInvalidArgument, never},
		{"InvalidParameter", 400, flowlog.CodeInvalidArgument, never},
		{"InvalidAction.NotFound", 404, flowlog.CodeUnsupported, never},
		{"InvalidVersion", 400, flowlog.CodeInvalidArgument, never},
		{"InvalidRegionId.NotFound", 400, flowlog.CodeInvalidArgument, never},
		{"MissingSecurityToken", 400, flowlog.CodeUnauthenticated, never},
		{"InvalidSecurityToken.Expired", 400, flowlog.CodeUnauthenticated, never},
		{"InvalidSecurityToken.Malformed", 400, flowlog.CodeUnauthenticated, never},
		{"InvalidSecurityToken.MismatchWithAccessKey", 400, flowlog.CodeUnauthenticated, never},
		{"Forbidden.RAM", 403, flowlog.CodePermissionDenied, never},
		{"Forbidden", 403, flowlog.CodePermissionDenied, never},
	}
	gateway := Mapper{Provider: "aliyun"}
	for _, tt := range tests {
		code, retry := gateway.Classify(tt.code, tt.status)
		assert.Equal(t, tt.want, code, tt.code)
		assert.Equal(t, tt.retry, retry, tt.code)
	}
}

func TestServerErrorIsMappedAndRedacted(t *testing.T) {
	body := `{"RequestId":"REQ-1","Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3DLTAIsecret%26Action%3DCreateFlowLog%26SecurityToken%3Dtok123%26Version%3D2016-04-28"}`
	err := testMapper.Error(context.Background(), "CreateFlowLog", "", sdkerrors.NewServerError(400, body, ""))
	var fe *driver.Error
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, flowlog.CodeUnauthenticated, fe.Code)
	assert.Equal(t, "REQ-1", fe.RequestID)
	assert.Equal(t, 400, fe.HTTPStatus)
	assert.NotContains(t, err.Error(), "LTAIsecret")
	assert.NotContains(t, err.Error(), "tok123")
	assert.Contains(t, err.Error(), "CreateFlowLog")
}

func TestNonJSONErrorBodyIsTruncated(t *testing.T) {
	html := "<html>" + strings.Repeat("bad gateway ", 500) + "</html>"
	err := testMapper.Error(context.Background(), "DescribeFlowLogs", "", sdkerrors.NewServerError(502, html, ""))
	var fe *driver.Error
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, flowlog.CodeUnavailable, fe.Code)
	assert.Equal(t, 502, fe.HTTPStatus)
	assert.LessOrEqual(t, len(fe.Message), 515)
}

func TestTransportErrorKeepsContextCause(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	uerr := &url.Error{Op: "Post", URL: "http://h/?AccessKeyId=LTAIx&Signature=abc", Err: context.Canceled}
	err := testMapper.Error(ctx, "CreateFlowLog", "", uerr)
	assert.ErrorIs(t, err, context.Canceled)
	assert.NotContains(t, err.Error(), "LTAIx")
	var inner *url.Error
	require.ErrorAs(t, err, &inner)
	assert.NotContains(t, inner.URL, "LTAIx")
}

func TestCallRecoversFromSDKPanics(t *testing.T) {
	err := testMapper.Call(context.Background(), "DescribeFlowLogs", "fl-1", noSignatures, func() error {
		var m map[string]any
		_ = m["RequestId"].(string) // what the SDK does with a numeric RequestId
		return nil
	})
	var fe *driver.Error
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, flowlog.CodeUnavailable, fe.Code)
	assert.Equal(t, "fl-1", fe.ID)
	assert.True(t, errors.Is(err, flowlog.ErrUnavailable))
}

func TestEmptyErrorBodyGetsAShortMessage(t *testing.T) {
	err := testMapper.Error(context.Background(), "CreateFlowLog", "", sdkerrors.NewServerError(400, "", ""))
	assert.Equal(t, "flowlog: aliyun CreateFlowLog: HTTP 400 without an error code (http 400)", err.Error(),
		"not the SDK's multi-line dump of the response headers")
}
