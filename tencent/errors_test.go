package tencent_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/tencent"
)

// documentedCodes lists every error code documented for the Tencent
// flow-log APIs (seed 003 and api-spec §4.3 for CreateFlowLog, §5 for the
// read and lifecycle APIs, §6.2 and §6.3 for the common codes) with the
// neutral code and retry class its documented meaning calls for.
var documentedCodes = []struct {
	code  string
	want  flowlog.Code
	retry flowlog.RetryClass
}{
	// CreateFlowLog.
	{"InternalError.CreateCkafkaRouteError", flowlog.CodeUnavailable, flowlog.RetryAmbiguous},
	{"InternalError.ModuleError", flowlog.CodeUnavailable, flowlog.RetryAmbiguous},
	{"InvalidParameterValue.Duplicate", flowlog.CodeInvalidArgument, flowlog.RetryNever}, // a repeated input, not an existing flow log
	{"InvalidParameterValue.Empty", flowlog.CodeInvalidArgument, flowlog.RetryNever},
	{"InvalidParameterValue.Malformed", flowlog.CodeInvalidArgument, flowlog.RetryNever},
	{"InvalidParameterValue.Range", flowlog.CodeInvalidArgument, flowlog.RetryNever},
	{"InvalidParameterValue.TagDuplicateKey", flowlog.CodeInvalidArgument, flowlog.RetryNever},
	{"InvalidParameterValue.TagDuplicateResourceType", flowlog.CodeInvalidArgument, flowlog.RetryNever},
	{"InvalidParameterValue.TagInvalidKey", flowlog.CodeInvalidArgument, flowlog.RetryNever},
	{"InvalidParameterValue.TagInvalidKeyLen", flowlog.CodeInvalidArgument, flowlog.RetryNever},
	{"InvalidParameterValue.TagInvalidVal", flowlog.CodeInvalidArgument, flowlog.RetryNever},
	{"InvalidParameterValue.TagKeyNotExists", flowlog.CodeInvalidArgument, flowlog.RetryNever},
	{"InvalidParameterValue.TagNotAllocatedQuota", flowlog.CodeQuotaExceeded, flowlog.RetryNever},
	{"InvalidParameterValue.TagNotExisted", flowlog.CodeInvalidArgument, flowlog.RetryNever},
	{"InvalidParameterValue.TagNotSupportTag", flowlog.CodeInvalidArgument, flowlog.RetryNever},
	{"InvalidParameterValue.TagResourceFormatError", flowlog.CodeInvalidArgument, flowlog.RetryNever},
	{"InvalidParameterValue.TagTimestampExceeded", flowlog.CodeQuotaExceeded, flowlog.RetryNever},
	{"InvalidParameterValue.TagValNotExists", flowlog.CodeInvalidArgument, flowlog.RetryNever},
	{"LimitExceeded", flowlog.CodeQuotaExceeded, flowlog.RetryNever},
	{"LimitExceeded.ActionLimited", flowlog.CodeThrottled, flowlog.RetrySafe},
	{"LimitExceeded.TagKeyExceeded", flowlog.CodeQuotaExceeded, flowlog.RetryNever},
	{"LimitExceeded.TagKeyPerResourceExceeded", flowlog.CodeQuotaExceeded, flowlog.RetryNever},
	{"LimitExceeded.TagNotEnoughQuota", flowlog.CodeQuotaExceeded, flowlog.RetryNever},
	{"LimitExceeded.TagQuota", flowlog.CodeQuotaExceeded, flowlog.RetryNever},
	{"LimitExceeded.TagQuotaExceeded", flowlog.CodeQuotaExceeded, flowlog.RetryNever},
	{"LimitExceeded.TagTagsExceeded", flowlog.CodeQuotaExceeded, flowlog.RetryNever},
	{"ResourceNotFound", flowlog.CodeNotFound, flowlog.RetryNever},
	{"UnauthorizedOperation", flowlog.CodePermissionDenied, flowlog.RetryNever},
	{"UnsupportedOperation.DpdkNatFlowLogOnlySupportAllTrafficType", flowlog.CodeUnsupported, flowlog.RetryNever},
	{"UnsupportedOperation.FlowLogInstanceExisted", flowlog.CodeAlreadyExists, flowlog.RetryNever},
	{"UnsupportedOperation.FlowLogsNotSupportKoInstanceEni", flowlog.CodeUnsupported, flowlog.RetryNever},
	{"UnsupportedOperation.FlowLogsNotSupportNullInstanceEni", flowlog.CodeFailedPrecondition, flowlog.RetryNever},
	{"UnsupportedOperation.NatGatewayDnatAndFlowLogConflict", flowlog.CodeFailedPrecondition, flowlog.RetryNever},
	{"UnsupportedOperation.OnlySupportProfessionKafka", flowlog.CodeUnsupported, flowlog.RetryNever},
	{"UnsupportedOperation.TagAllocate", flowlog.CodeUnavailable, flowlog.RetrySafe},
	{"UnsupportedOperation.TagFree", flowlog.CodeUnavailable, flowlog.RetrySafe},
	{"UnsupportedOperation.TagNotPermit", flowlog.CodePermissionDenied, flowlog.RetryNever},
	{"UnsupportedOperation.TagSystemReservedTagKey", flowlog.CodeInvalidArgument, flowlog.RetryNever},
	// DescribeFlowLogs, DeleteFlowLog, EnableFlowLogs, DisableFlowLogs,
	// ModifyFlowLogAttribute.
	{"InvalidParameterValue.TooLong", flowlog.CodeInvalidArgument, flowlog.RetryNever},
	{"InvalidParameterValue.LimitExceeded", flowlog.CodeInvalidArgument, flowlog.RetryNever}, // too many IDs in one call
	{"InvalidParameterValue.VpcIdNotNeededForFlowLog", flowlog.CodeInvalidArgument, flowlog.RetryNever},
	// Throttling.
	{"RequestLimitExceeded", flowlog.CodeThrottled, flowlog.RetrySafe},
	{"RequestLimitExceeded.UinLimitExceeded", flowlog.CodeThrottled, flowlog.RetrySafe},
	{"RequestLimitExceeded.IPLimitExceeded", flowlog.CodeThrottled, flowlog.RetrySafe},
	{"RequestLimitExceeded.GlobalRegionUinLimitExceeded", flowlog.CodeThrottled, flowlog.RetrySafe},
	// Authentication and signature.
	{"AuthFailure.SignatureFailure", flowlog.CodeUnauthenticated, flowlog.RetryNever},
	{"AuthFailure.SignatureExpire", flowlog.CodeUnauthenticated, flowlog.RetryClockSkew},
	{"AuthFailure.SecretIdNotFound", flowlog.CodeUnauthenticated, flowlog.RetryNever},
	{"AuthFailure.InvalidSecretId", flowlog.CodeUnauthenticated, flowlog.RetryNever},
	{"AuthFailure.InvalidAuthorization", flowlog.CodeUnauthenticated, flowlog.RetryNever},
	{"AuthFailure.TokenFailure", flowlog.CodeUnauthenticated, flowlog.RetryNever},
	{"AuthFailure.MFAFailure", flowlog.CodeUnauthenticated, flowlog.RetryNever},
	{"AuthFailure.UnauthorizedOperation", flowlog.CodePermissionDenied, flowlog.RetryNever},
	// Other common codes.
	{"InvalidAction", flowlog.CodeUnsupported, flowlog.RetryNever},
	{"MissingParameter", flowlog.CodeInvalidArgument, flowlog.RetryNever},
	{"UnknownParameter", flowlog.CodeInvalidArgument, flowlog.RetryNever},
	{"InvalidParameter", flowlog.CodeInvalidArgument, flowlog.RetryNever},
	{"InvalidParameterValue", flowlog.CodeInvalidArgument, flowlog.RetryNever},
	{"NoSuchVersion", flowlog.CodeUnsupported, flowlog.RetryNever},
	{"UnsupportedRegion", flowlog.CodeInvalidArgument, flowlog.RetryNever},
	{"UnsupportedProtocol", flowlog.CodeUnsupported, flowlog.RetryNever},
	{"InternalError", flowlog.CodeUnavailable, flowlog.RetryAmbiguous},
	{"ResourceInUse", flowlog.CodeUnavailable, flowlog.RetrySafe}, // refused while busy: not applied
	{"ResourceUnavailable", flowlog.CodeUnavailable, flowlog.RetryAmbiguous},
	{"FailedOperation", flowlog.CodeUnknown, flowlog.RetryNever},
	{"UnsupportedOperation", flowlog.CodeUnsupported, flowlog.RetryNever},
}

// TestDocumentedErrorCodes answers a call with each documented code, as
// Tencent does (HTTP 200, Response.Error), and checks the neutral code and
// the retry class of the error.
func TestDocumentedErrorCodes(t *testing.T) {
	var code atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := json.Marshal(map[string]any{"Response": map[string]any{
			"Error":     map[string]string{"Code": code.Load().(string), "Message": "documented meaning"},
			"RequestId": "codes-request-1",
		}})
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	p, err := tencent.New(tencent.WithEndpoint(srv.URL), tencent.WithRateLimit(0),
		tencent.WithSecretKey(flowlogtest.DefaultTencentSecretID, flowlogtest.DefaultTencentSecretKey))
	require.NoError(t, err)
	spec := eniSpec(flowlogtest.DefaultTencentNetworkInterfaceID)

	for _, tt := range documentedCodes {
		code.Store(tt.code)
		_, err := p.Create(context.Background(), &spec)
		var fe *flowlog.Error
		require.ErrorAs(t, err, &fe, tt.code)
		assert.Equal(t, tt.code, fe.ProviderCode)
		assert.Equal(t, tt.want, fe.Code, "neutral code of %s", tt.code)
		assert.Equal(t, tt.retry, fe.Retry, "retry class of %s", tt.code)
	}
}

// TestTagBusyIsRetried checks that a create refused while tags are being
// assigned or released is sent again and succeeds, without first looking
// for a flow log it might have made: nothing was applied.
func TestTagBusyIsRetried(t *testing.T) {
	for _, busy := range []string{"UnsupportedOperation.TagAllocate", "UnsupportedOperation.TagFree"} {
		t.Run(busy, func(t *testing.T) {
			srv := flowlogtest.NewServer()
			defer srv.Close()
			// The first request gets busy; the others reach the emulator,
			// with the Host they were signed for.
			target, err := url.Parse(srv.URL)
			require.NoError(t, err)
			emulator := httputil.NewSingleHostReverseProxy(target)
			var refused atomic.Bool
			front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if refused.CompareAndSwap(false, true) {
					body, _ := json.Marshal(map[string]any{"Response": map[string]any{
						"Error": map[string]string{"Code": busy, "Message": "Tags are busy."}, "RequestId": "busy-1"}})
					_, _ = w.Write(body)
					return
				}
				emulator.ServeHTTP(w, r)
			}))
			defer front.Close()
			p, err := tencent.New(tencent.WithEndpoint(front.URL),
				tencent.WithSecretKey(flowlogtest.DefaultTencentSecretID, flowlogtest.DefaultTencentSecretKey))
			require.NoError(t, err)
			c := flowlog.NewClient(p, flowlog.WithRetry(flowlog.MaxAttempts(2),
				flowlog.RetryDelays(time.Millisecond, time.Millisecond, time.Millisecond)))
			defer c.Close()

			fl, err := c.Create(context.Background(), eniSpec(flowlogtest.DefaultTencentNetworkInterfaceID))
			require.NoError(t, err)
			assert.NotEmpty(t, fl.ID)
			assert.Equal(t, 1, srv.Calls("Tencent.CreateFlowLog"))
			assert.Zero(t, srv.Calls("Tencent.DescribeFlowLogs"), "a safe retry does not look first")
		})
	}
}
