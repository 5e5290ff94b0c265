package cbn

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/internal/alirpc"
)

// TestDocumentedCodes lists every error code known for the CEN flow-log
// APIs, each with the neutral code and retry class its meaning calls for:
// those of the documentation's error tables and those Terraform ignores or
// retries (api-spec §2.3, §3.3, §3.4), then the emulator's choices where
// the official table is not public.
func TestDocumentedCodes(t *testing.T) {
	never, safe := driver.RetryNever, driver.RetrySafe
	tests := []struct {
		code  string
		want  flowlog.Code
		retry driver.RetryClass
	}{
		{"ProjectOrLogstoreNotExist", flowlog.CodeNotFound, never},
		{"SourceProjectNotExist", flowlog.CodeNotFound, never},
		{"InvalidFlowlogId.NotFound", flowlog.CodeNotFound, never},
		// Another operation or a transitional state: refused, not applied.
		{"Operation.Blocking", flowlog.CodeUnavailable, safe},
		{"IncorrectStatus.TrFlowlog", flowlog.CodeUnavailable, safe},
		{"IncorrectStatus.flowlog", flowlog.CodeUnavailable, safe},
		{"LOCK_ERROR", flowlog.CodeUnavailable, safe},
		{"MissingParameter", flowlog.CodeInvalidArgument, never},
		{"InvalidParameter", flowlog.CodeInvalidArgument, never},

		// Emulator choices (flowlogtest/cbn.go).
		{"InvalidCenId.NotFound", flowlog.CodeNotFound, never},
		{"InvalidTransitRouterId.NotFound", flowlog.CodeNotFound, never},
		{"InvalidTransitRouterAttachmentId.NotFound", flowlog.CodeNotFound, never},
		{"OperationFailed.FlowLogExist", flowlog.CodeAlreadyExists, never},
		{"IdempotentParameterMismatch", flowlog.CodeFailedPrecondition, never},
		{"QuotaExceeded.FlowlogCount", flowlog.CodeQuotaExceeded, never},
	}
	m := alirpc.Mapper{Provider: Name, Codes: codes}
	for _, tt := range tests {
		code, retry := m.Classify(tt.code, 400)
		assert.Equal(t, tt.want, code, tt.code)
		assert.Equal(t, tt.retry, retry, tt.code)
	}
}
