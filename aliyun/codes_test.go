package aliyun

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/internal/alirpc"
	"github.com/cloudflowlog/flowlog-go/internal/testkit"
)

// TestDocumentedCodes lists every error code documented for the VPC
// flow-log APIs, each with the neutral code and retry class its documented
// meaning calls for: the whole table of CreateFlowLog (seed 004, all HTTP
// 400), then the codes of DescribeFlowLogs, DeleteFlowLog, ActiveFlowLog
// and DeactiveFlowLog (api-spec §3.3, §3.4) and the busy codes Terraform
// retries on them.
func TestDocumentedCodes(t *testing.T) {
	m := alirpc.Mapper{Provider: Name, Codes: codes}
	for _, tt := range documentedCodes {
		code, retry := m.Classify(tt.code, 400)
		assert.Equal(t, tt.want, code, tt.code)
		assert.Equal(t, tt.retry, retry, tt.code)
	}
}

const never, safe, ambiguous = driver.RetryNever, driver.RetrySafe, driver.RetryAmbiguous

var documentedCodes = []struct {
	code  string
	want  flowlog.Code
	retry driver.RetryClass
}{
	// CreateFlowLog, in the order of the documentation.
	{"IncorrectBusinessStatus.FlowLog", flowlog.CodeFailedPrecondition, never}, // e.g. financially locked
	{"OptInRequired.FlowLog", flowlog.CodeFailedPrecondition, never},           // the service is not opened
	{"OperationUnsupported.AdvancedFeature", flowlog.CodeUnsupported, never},
	{"InvalidInstanceId", flowlog.CodeNotFound, never}, // the vSwitch (resource) does not exist
	{"ProjectOrLogstoreNotExist", flowlog.CodeNotFound, never},
	{"SourceProjectNotExist", flowlog.CodeNotFound, never},
	{"Unauthorized", flowlog.CodePermissionDenied, never}, // not callable as a RAM user or role
	{"OperationUnsupported.action", flowlog.CodeUnsupported, never},
	{"ParameterInvalid", flowlog.CodeInvalidArgument, never},
	{"RuleExist", flowlog.CodeAlreadyExists, never},
	{"InvalidHdMonitorStatus", flowlog.CodeUnavailable, safe}, // the resource is busy; Terraform retries
	{"QuotaExceeded.FlowlogCount", flowlog.CodeQuotaExceeded, never},
	{"InvalidResourceId.NotFound", flowlog.CodeAlreadyExists, never}, // "already has flowlog instance"
	{"INVALID_PARAMETER", flowlog.CodeInvalidArgument, never},
	{"MissingParameter", flowlog.CodeInvalidArgument, never},
	{"InvalidRegionId.NotFound", flowlog.CodeInvalidArgument, never},
	{"InvalidResourceType.NotFound", flowlog.CodeInvalidArgument, never}, // type and ID do not match
	{"OperationUnsupported.ResourceType", flowlog.CodeUnsupported, never},
	{"IllegalParam.AggregationInterval", flowlog.CodeInvalidArgument, never},
	// The account is not allow-listed for traffic paths (a ticket
	// enables it): a state of the account, not a missing permission.
	{"UnsupportedFeature.UserDefinedTrafficPath", flowlog.CodeFailedPrecondition, never},
	{"IllegalParam.TrafficPath", flowlog.CodeInvalidArgument, never},
	{"DuplicatedParam.TrafficPath", flowlog.CodeInvalidArgument, never},
	{"IllegalParam.ResourceGroupId", flowlog.CodeInvalidArgument, never},
	{"OperationDenied.OperateShareResource", flowlog.CodePermissionDenied, never}, // a resource shared by another account
	{"UnsupportedFeature.IpVersion", flowlog.CodeUnsupported, never},
	{"UnsupportedFeature.VpcAdvancedFeature", flowlog.CodeUnsupported, never},
	{"OperationFailed.EniTypeNotSupport", flowlog.CodeUnsupported, never},
	{"IllegalParam.IpVersion", flowlog.CodeInvalidArgument, never},
	{"OperationDenied.NisTrafficAnalyzerAggregationIntervalMismatch", flowlog.CodeInvalidArgument, never}, // the interval asked for
	{"OperationDenied.NisTrafficAnalyzerNotFound", flowlog.CodeNotFound, never},
	{"OperationDenied.NisTrafficAnalyzerNotActive", flowlog.CodeFailedPrecondition, never},
	{"OperationFailed.InternalError", flowlog.CodeUnavailable, ambiguous}, // "please retry"
	{"MissingParam.TrafficAnalyzerIdOrLogProjectOrLogStore", flowlog.CodeInvalidArgument, never},
	{"OperationDenied.AllTrafficPathOfManagedExist", flowlog.CodeAlreadyExists, never}, // an all-paths flow log is there
	{"UnsupportedFeature.UserDefinedTrafficPathIpv6", flowlog.CodeUnsupported, never},

	// Describe, delete, activate, deactivate, and the busy codes
	// Terraform retries.
	{"IncorrectStatus.flowlog", flowlog.CodeUnavailable, safe},
	{"IncorrectStatus", flowlog.CodeUnavailable, safe},
	{"InvalidStatus", flowlog.CodeUnavailable, safe},
	{"OperationConflict", flowlog.CodeUnavailable, safe},
	{"TaskConflict", flowlog.CodeUnavailable, safe},
	{"LastTokenProcessing", flowlog.CodeUnavailable, safe},
	{"OperationFailed.LastTokenProcessing", flowlog.CodeUnavailable, safe},
}

// TestDocumentedCreateCodesThroughTheEmulator has the emulator answer a
// create with each code seed 004 documents for CreateFlowLog, and checks
// that the adapter maps it to its documented meaning, keeping the code and
// the request ID. Every code of the seed must have its expectation in
// documentedCodes.
func TestDocumentedCreateCodesThroughTheEmulator(t *testing.T) {
	want := map[string]testkit.DocumentedCode{}
	for _, tt := range documentedCodes {
		want[tt.code] = testkit.DocumentedCode{Code: tt.want, Retry: tt.retry}
	}
	srv := flowlogtest.NewServer()
	defer srv.Close()
	p, err := New(WithEndpoint(srv.URL), WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	require.NoError(t, err)
	spec := driver.FlowLogSpec{Region: flowlogtest.DefaultRegion, Name: "codes",
		Resource: driver.Resource{Kind: driver.ResourceNetworkInterface, ID: flowlogtest.DefaultNetworkInterfaceID},
		Destination: driver.Destination{SLS: &driver.SLSDestination{
			Project: flowlogtest.DefaultSLSProject, LogStore: flowlogtest.DefaultSLSLogStore}}}
	testkit.EachDocumentedCode(t, srv, "Vpc.CreateFlowLog", 35, want, func() error {
		_, err := p.Create(context.Background(), &spec)
		var fe *driver.Error
		if errors.As(err, &fe) {
			assert.Equal(t, 400, fe.HTTPStatus, fe.ProviderCode)
		}
		return err
	})
	assert.Empty(t, srv.VPCFlowLogs(), "no documented error applies the create")
}
