package tencent_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/internal/testkit"
	"github.com/cloudflowlog/flowlog-go/tencent"
)

// documentedCodes lists every error code documented for the Tencent
// flow-log APIs (seed 003 and api-spec §4.3 for CreateFlowLog, §5 for the
// read and lifecycle APIs, §6.2 and §6.3 for the common codes) with the
// neutral code and retry class its documented meaning calls for.
var documentedCodes = []struct {
	code  string
	want  flowlog.Code
	retry driver.RetryClass
}{
	// CreateFlowLog.
	{"InternalError.CreateCkafkaRouteError", flowlog.CodeUnavailable, driver.RetryAmbiguous},
	{"InternalError.ModuleError", flowlog.CodeUnavailable, driver.RetryAmbiguous},
	{"InvalidParameterValue.Duplicate", flowlog.CodeInvalidArgument, driver.RetryNever}, // a repeated input, not an existing flow log
	{"InvalidParameterValue.Empty", flowlog.CodeInvalidArgument, driver.RetryNever},
	{"InvalidParameterValue.Malformed", flowlog.CodeInvalidArgument, driver.RetryNever},
	{"InvalidParameterValue.Range", flowlog.CodeInvalidArgument, driver.RetryNever},
	{"InvalidParameterValue.TagDuplicateKey", flowlog.CodeInvalidArgument, driver.RetryNever},
	{"InvalidParameterValue.TagDuplicateResourceType", flowlog.CodeInvalidArgument, driver.RetryNever},
	{"InvalidParameterValue.TagInvalidKey", flowlog.CodeInvalidArgument, driver.RetryNever},
	{"InvalidParameterValue.TagInvalidKeyLen", flowlog.CodeInvalidArgument, driver.RetryNever},
	{"InvalidParameterValue.TagInvalidVal", flowlog.CodeInvalidArgument, driver.RetryNever},
	{"InvalidParameterValue.TagKeyNotExists", flowlog.CodeInvalidArgument, driver.RetryNever},
	{"InvalidParameterValue.TagNotAllocatedQuota", flowlog.CodeQuotaExceeded, driver.RetryNever},
	{"InvalidParameterValue.TagNotExisted", flowlog.CodeInvalidArgument, driver.RetryNever},
	{"InvalidParameterValue.TagNotSupportTag", flowlog.CodeInvalidArgument, driver.RetryNever},
	{"InvalidParameterValue.TagResourceFormatError", flowlog.CodeInvalidArgument, driver.RetryNever},
	{"InvalidParameterValue.TagTimestampExceeded", flowlog.CodeQuotaExceeded, driver.RetryNever},
	{"InvalidParameterValue.TagValNotExists", flowlog.CodeInvalidArgument, driver.RetryNever},
	{"LimitExceeded", flowlog.CodeQuotaExceeded, driver.RetryNever},
	{"LimitExceeded.ActionLimited", flowlog.CodeThrottled, driver.RetrySafe},
	{"LimitExceeded.TagKeyExceeded", flowlog.CodeQuotaExceeded, driver.RetryNever},
	{"LimitExceeded.TagKeyPerResourceExceeded", flowlog.CodeQuotaExceeded, driver.RetryNever},
	{"LimitExceeded.TagNotEnoughQuota", flowlog.CodeQuotaExceeded, driver.RetryNever},
	{"LimitExceeded.TagQuota", flowlog.CodeQuotaExceeded, driver.RetryNever},
	{"LimitExceeded.TagQuotaExceeded", flowlog.CodeQuotaExceeded, driver.RetryNever},
	{"LimitExceeded.TagTagsExceeded", flowlog.CodeQuotaExceeded, driver.RetryNever},
	{"ResourceNotFound", flowlog.CodeNotFound, driver.RetryNever},
	{"UnauthorizedOperation", flowlog.CodePermissionDenied, driver.RetryNever},
	{"UnsupportedOperation.DpdkNatFlowLogOnlySupportAllTrafficType", flowlog.CodeUnsupported, driver.RetryNever},
	{"UnsupportedOperation.FlowLogInstanceExisted", flowlog.CodeAlreadyExists, driver.RetryNever},
	{"UnsupportedOperation.FlowLogsNotSupportKoInstanceEni", flowlog.CodeUnsupported, driver.RetryNever},
	{"UnsupportedOperation.FlowLogsNotSupportNullInstanceEni", flowlog.CodeFailedPrecondition, driver.RetryNever},
	{"UnsupportedOperation.NatGatewayDnatAndFlowLogConflict", flowlog.CodeFailedPrecondition, driver.RetryNever},
	{"UnsupportedOperation.OnlySupportProfessionKafka", flowlog.CodeUnsupported, driver.RetryNever},
	{"UnsupportedOperation.TagAllocate", flowlog.CodeUnavailable, driver.RetrySafe},
	{"UnsupportedOperation.TagFree", flowlog.CodeUnavailable, driver.RetrySafe},
	{"UnsupportedOperation.TagNotPermit", flowlog.CodePermissionDenied, driver.RetryNever},
	{"UnsupportedOperation.TagSystemReservedTagKey", flowlog.CodeInvalidArgument, driver.RetryNever},
	// DescribeFlowLogs, DeleteFlowLog, EnableFlowLogs, DisableFlowLogs,
	// ModifyFlowLogAttribute.
	{"InvalidParameterValue.TooLong", flowlog.CodeInvalidArgument, driver.RetryNever},
	{"InvalidParameterValue.LimitExceeded", flowlog.CodeInvalidArgument, driver.RetryNever}, // too many IDs in one call
	{"InvalidParameterValue.VpcIdNotNeededForFlowLog", flowlog.CodeInvalidArgument, driver.RetryNever},
	// Throttling.
	{"RequestLimitExceeded", flowlog.CodeThrottled, driver.RetrySafe},
	{"RequestLimitExceeded.UinLimitExceeded", flowlog.CodeThrottled, driver.RetrySafe},
	{"RequestLimitExceeded.IPLimitExceeded", flowlog.CodeThrottled, driver.RetrySafe},
	{"RequestLimitExceeded.GlobalRegionUinLimitExceeded", flowlog.CodeThrottled, driver.RetrySafe},
	// Authentication and signature.
	{"AuthFailure.SignatureFailure", flowlog.CodeUnauthenticated, driver.RetryNever},
	{"AuthFailure.SignatureExpire", flowlog.CodeUnauthenticated, driver.RetryClockSkew},
	{"AuthFailure.SecretIdNotFound", flowlog.CodeUnauthenticated, driver.RetryNever},
	{"AuthFailure.InvalidSecretId", flowlog.CodeUnauthenticated, driver.RetryNever},
	{"AuthFailure.InvalidAuthorization", flowlog.CodeUnauthenticated, driver.RetryNever},
	{"AuthFailure.TokenFailure", flowlog.CodeUnauthenticated, driver.RetryNever},
	{"AuthFailure.MFAFailure", flowlog.CodeUnauthenticated, driver.RetryNever},
	{"AuthFailure.UnauthorizedOperation", flowlog.CodePermissionDenied, driver.RetryNever},
	// Other common codes.
	{"InvalidAction", flowlog.CodeUnsupported, driver.RetryNever},
	{"MissingParameter", flowlog.CodeInvalidArgument, driver.RetryNever},
	{"UnknownParameter", flowlog.CodeInvalidArgument, driver.RetryNever},
	{"InvalidParameter", flowlog.CodeInvalidArgument, driver.RetryNever},
	{"InvalidParameterValue", flowlog.CodeInvalidArgument, driver.RetryNever},
	{"NoSuchVersion", flowlog.CodeUnsupported, driver.RetryNever},
	{"UnsupportedRegion", flowlog.CodeInvalidArgument, driver.RetryNever},
	{"UnsupportedProtocol", flowlog.CodeUnsupported, driver.RetryNever},
	{"InternalError", flowlog.CodeUnavailable, driver.RetryAmbiguous},
	{"ResourceInUse", flowlog.CodeUnavailable, driver.RetrySafe}, // refused while busy: not applied
	{"ResourceUnavailable", flowlog.CodeUnavailable, driver.RetryAmbiguous},
	{"FailedOperation", flowlog.CodeUnknown, driver.RetryNever},
	{"UnsupportedOperation", flowlog.CodeUnsupported, driver.RetryNever},
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
		var fe *driver.Error
		require.ErrorAs(t, err, &fe, tt.code)
		assert.Equal(t, tt.code, fe.ProviderCode)
		assert.Equal(t, tt.want, fe.Code, "neutral code of %s", tt.code)
		assert.Equal(t, tt.retry, fe.Retry, "retry class of %s", tt.code)
	}
}

// TestDocumentedCreateCodesThroughTheEmulator has the emulator answer a
// create with each code seed 003 documents for CreateFlowLog, and checks
// that the adapter maps it to its documented meaning, keeping the code and
// the request ID. Every code of the seed must have its expectation in
// documentedCodes.
func TestDocumentedCreateCodesThroughTheEmulator(t *testing.T) {
	want := map[string]testkit.DocumentedCode{}
	for _, tt := range documentedCodes {
		want[tt.code] = testkit.DocumentedCode{Code: tt.want, Retry: tt.retry}
	}
	srv := flowlogtest.NewServer(flowlogtest.WithTencentRateLimit(0))
	defer srv.Close()
	p, err := tencent.New(tencent.WithEndpoint(srv.URL), tencent.WithRateLimit(0),
		tencent.WithSecretKey(flowlogtest.DefaultTencentSecretID, flowlogtest.DefaultTencentSecretKey))
	require.NoError(t, err)
	spec := eniSpec(flowlogtest.DefaultTencentNetworkInterfaceID)
	testkit.EachDocumentedCode(t, srv, "Tencent.CreateFlowLog", 37, want, func() error {
		_, err := p.Create(context.Background(), &spec)
		return err
	})
	assert.Empty(t, srv.TencentFlowLogs(), "no documented error applies the create")
}

// TestTagBusyIsRetried checks that a create refused while tags are being
// assigned or released is sent again and succeeds, without first looking
// for a flow log it might have made: nothing was applied.
func TestTagBusyIsRetried(t *testing.T) {
	for _, busy := range []string{"UnsupportedOperation.TagAllocate", "UnsupportedOperation.TagFree"} {
		t.Run(busy, func(t *testing.T) {
			srv := flowlogtest.NewServer(flowlogtest.WithFaults(flowlogtest.FaultRule{Action: "Tencent.CreateFlowLog",
				Kinds: []flowlogtest.FaultKind{flowlogtest.FaultDocumentedError}, Code: busy, Count: 1}))
			defer srv.Close()
			p, err := tencent.New(tencent.WithEndpoint(srv.URL),
				tencent.WithSecretKey(flowlogtest.DefaultTencentSecretID, flowlogtest.DefaultTencentSecretKey))
			require.NoError(t, err)
			c := flowlog.NewClient(p, flowlog.WithRetry(flowlog.MaxAttempts(2),
				flowlog.RetryDelays(time.Millisecond, time.Millisecond, time.Millisecond)))
			defer c.Close()

			fl, err := c.Create(context.Background(), eniSpec(flowlogtest.DefaultTencentNetworkInterfaceID))
			require.NoError(t, err)
			assert.NotEmpty(t, fl.ID)
			assert.Equal(t, 1, srv.Calls("Tencent.CreateFlowLog"))
			assert.Equal(t, map[flowlogtest.FaultKind]int{flowlogtest.FaultDocumentedError: 1}, srv.FaultsInjected())
			assert.Zero(t, srv.Calls("Tencent.DescribeFlowLogs"), "a safe retry does not look first")
		})
	}
}
