package tencent

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	vpc "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/vpc/v20170312"

	"github.com/cloudflowlog/flowlog-go/flowlog"
)

func TestStatusMapping(t *testing.T) {
	tests := []struct {
		name           string
		enable         bool
		state, storage string
		want, settling flowlog.Status
	}{
		{"created, CLS not reported yet", true, "", "cls", flowlog.StatusPending, flowlog.StatusActive},
		{"delivering", true, "SUCCESS", "cls", flowlog.StatusActive, flowlog.StatusUnknown},
		{"ckafka", true, "", "ckafka", flowlog.StatusActive, flowlog.StatusUnknown},
		{"disabled", false, "SUCCESS", "cls", flowlog.StatusInactive, flowlog.StatusUnknown},
		{"disabled before delivery", false, "", "cls", flowlog.StatusInactive, flowlog.StatusUnknown},
		{"topic deleted", true, "DELETED", "cls", flowlog.StatusFailed, flowlog.StatusUnknown},
		{"unknown state", true, "PAUSED", "cls", flowlog.StatusFailed, flowlog.StatusUnknown},
	}
	for _, tt := range tests {
		fl := toFlowLog(&vpc.FlowLog{Enable: common.BoolPtr(tt.enable), CloudLogState: common.StringPtr(tt.state),
			StorageType: common.StringPtr(tt.storage)}, "ap-guangzhou")
		assert.Equal(t, tt.want, fl.Status, tt.name)
		assert.Equal(t, tt.settling, fl.Settling, tt.name)
	}
}
