package aliyun

import (
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
	"github.com/stretchr/testify/assert"

	"github.com/cloudflowlog/flowlog-go/flowlog"
)

func TestStatusMapping(t *testing.T) {
	tests := []struct {
		raw, business, deliver string
		want, settling         flowlog.Status
		reason                 string
	}{
		{raw: "Activating", want: flowlog.StatusPending, settling: flowlog.StatusActive},
		{raw: "Modifying", want: flowlog.StatusPending, settling: flowlog.StatusUnknown},
		{raw: "Deactivating", want: flowlog.StatusPending, settling: flowlog.StatusInactive},
		{raw: "Deleting", want: flowlog.StatusPending, settling: flowlog.StatusDeleted},
		{raw: "Active", deliver: "SUCCESS", want: flowlog.StatusActive},
		{raw: "Active", want: flowlog.StatusActive},
		{raw: "Active", deliver: "FAILED", want: flowlog.StatusFailed, reason: "delivery failed: ProjectNotExist"},
		{raw: "Active", business: "FinancialLocked", want: flowlog.StatusFailed, reason: "business status FinancialLocked"},
		{raw: "Inactive", want: flowlog.StatusInactive},
		{raw: "InActive", want: flowlog.StatusInactive},
		{raw: "Frozen", want: flowlog.StatusFailed, reason: "unknown status Frozen"},
	}
	for _, tt := range tests {
		f := &vpc.FlowLog{Status: tt.raw, BusinessStatus: tt.business, FlowLogDeliverStatus: tt.deliver}
		if tt.deliver == "FAILED" {
			f.FlowLogDeliverErrorMessage = "ProjectNotExist"
		}
		fl := toFlowLog(f)
		assert.Equal(t, tt.want, fl.Status, tt.raw)
		assert.Equal(t, tt.settling, fl.Settling, tt.raw)
		assert.Equal(t, tt.reason, fl.StatusReason, tt.raw)
		assert.Equal(t, tt.raw, fl.RawStatus)
	}
}
