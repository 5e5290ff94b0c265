package cbn

import (
	"testing"

	sdkcbn "github.com/aliyun/alibaba-cloud-sdk-go/services/cbn"
	"github.com/stretchr/testify/assert"

	"github.com/cloudflowlog/flowlog-go/flowlog"
)

func TestStatusMapping(t *testing.T) {
	tests := []struct {
		raw            string
		want, settling flowlog.Status
	}{
		{"Creating", flowlog.StatusPending, flowlog.StatusActive},
		{"Modifying", flowlog.StatusPending, flowlog.StatusUnknown},
		{"Deleting", flowlog.StatusPending, flowlog.StatusDeleted},
		{"Active", flowlog.StatusActive, flowlog.StatusUnknown},
		{"Inactive", flowlog.StatusInactive, flowlog.StatusUnknown},
		{"Frozen", flowlog.StatusFailed, flowlog.StatusUnknown},
	}
	for _, tt := range tests {
		fl := toFlowLog(&flowLog{FlowLog: sdkcbn.FlowLog{Status: tt.raw}})
		assert.Equal(t, tt.want, fl.Status, tt.raw)
		assert.Equal(t, tt.settling, fl.Settling, tt.raw)
		assert.Equal(t, tt.raw, fl.RawStatus)
	}
	assert.Equal(t, "unknown status Frozen", toFlowLog(&flowLog{FlowLog: sdkcbn.FlowLog{Status: "Frozen"}}).StatusReason)
}

func TestIsTransitRouterID(t *testing.T) {
	assert.True(t, isTransitRouterID("tr-emu00000000000001"))
	assert.False(t, isTransitRouterID("tr-attach-emu000000000001"))
	assert.False(t, isTransitRouterID("vpc-1"))
	assert.False(t, isTransitRouterID(""))
}

func TestTransitRouterIDs(t *testing.T) {
	body := `{"RequestId":"r","FlowLogs":{"FlowLog":[` +
		`{"FlowLogId":"flowlog-a","TransitRouterId":"tr-1","TransitRouterAttachmentId":"tr-attach-1"},` +
		`{"FlowLogId":"flowlog-b","TransitRouterId":"tr-2","Interval":"600"},` +
		`{"FlowLogId":"flowlog-c","TransitRouterId":7}]}}`
	assert.Equal(t, map[string]string{"flowlog-a": "tr-1", "flowlog-b": "tr-2", "flowlog-c": ""}, transitRouterIDs(body),
		"a field of another type costs that field only")
	assert.Empty(t, transitRouterIDs(`{"FlowLogs":{"FlowLog":{"FlowLogId":"flowlog-a"}}}`))
	assert.Empty(t, transitRouterIDs(`not json`))
}
