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
	"github.com/cloudflowlog/flowlog-go/internal/errmap"
)

var testMapper = Mapper{
	Provider: "aliyun",
	Codes: errmap.Table{
		Exact:    map[string]flowlog.Code{"InvalidResourceId.NotFound": flowlog.CodeAlreadyExists},
		Prefixes: map[string]flowlog.Code{"IllegalParam.": flowlog.CodeInvalidArgument},
	},
}

func TestCodeMapping(t *testing.T) {
	tests := []struct {
		code   string
		status int
		want   flowlog.Code
	}{
		{"InvalidResourceId.NotFound", 400, flowlog.CodeAlreadyExists}, // product table wins
		{"SignatureDoesNotMatch", 400, flowlog.CodeUnauthenticated},
		{"Throttling.User", 400, flowlog.CodeThrottled},
		{"Throttling", 503, flowlog.CodeThrottled},
		{"IllegalParam.AggregationInterval", 400, flowlog.CodeInvalidArgument},
		{"", 502, flowlog.CodeUnavailable},
		{"SomethingNew", 400, flowlog.CodeUnknown},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, testMapper.Code(tt.code, tt.status), tt.code)
	}
}

func TestServerErrorIsMappedAndRedacted(t *testing.T) {
	body := `{"RequestId":"REQ-1","Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3DLTAIsecret%26Action%3DCreateFlowLog%26SecurityToken%3Dtok123%26Version%3D2016-04-28"}`
	err := testMapper.Error(context.Background(), "CreateFlowLog", "", sdkerrors.NewServerError(400, body, ""))
	var fe *flowlog.Error
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
	var fe *flowlog.Error
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
	err := testMapper.Call(context.Background(), "DescribeFlowLogs", "fl-1", func() error {
		var m map[string]any
		_ = m["RequestId"].(string) // what the SDK does with a numeric RequestId
		return nil
	})
	var fe *flowlog.Error
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
