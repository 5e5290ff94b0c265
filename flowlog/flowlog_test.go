package flowlog_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/cloudflowlog/flowlog-go/flowlog"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestStatusString(t *testing.T) {
	tests := []struct {
		s    flowlog.Status
		want string
	}{
		{flowlog.StatusUnknown, "unknown"},
		{flowlog.StatusPending, "pending"},
		{flowlog.StatusActive, "active"},
		{flowlog.StatusInactive, "inactive"},
		{flowlog.StatusFailed, "failed"},
		{flowlog.StatusDeleted, "deleted"},
		{flowlog.Status(42), "Status(42)"},
		{flowlog.Status(-1), "Status(-1)"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.s.String())
	}
}

func TestStatusNumbersAreStable(t *testing.T) {
	// Callers may store these numbers.
	assert.Equal(t, 0, int(flowlog.StatusUnknown))
	assert.Equal(t, 1, int(flowlog.StatusPending))
	assert.Equal(t, 2, int(flowlog.StatusActive))
	assert.Equal(t, 3, int(flowlog.StatusInactive))
	assert.Equal(t, 4, int(flowlog.StatusFailed))
	assert.Equal(t, 5, int(flowlog.StatusDeleted))
}

func TestStatusTerminal(t *testing.T) {
	terminal := map[flowlog.Status]bool{
		flowlog.StatusUnknown:  false,
		flowlog.StatusPending:  false,
		flowlog.StatusActive:   true,
		flowlog.StatusInactive: true,
		flowlog.StatusFailed:   true,
		flowlog.StatusDeleted:  true,
		flowlog.Status(99):     false,
	}
	for s, want := range terminal {
		assert.Equal(t, want, s.Terminal(), s.String())
	}
}

// sdkFlowLog stands in for a provider SDK's own type.
type sdkFlowLog struct {
	FlowLogId string
	Status    string
}

type otherType struct{ X int }

func TestFlowLogAs(t *testing.T) {
	t.Run("pointer to pointer", func(t *testing.T) {
		raw := &sdkFlowLog{FlowLogId: "fl-1", Status: "Active"}
		fl := &flowlog.FlowLog{Raw: raw}
		var got *sdkFlowLog
		require.True(t, fl.As(&got))
		assert.Same(t, raw, got)
	})
	t.Run("struct from kept pointer", func(t *testing.T) {
		fl := &flowlog.FlowLog{Raw: &sdkFlowLog{FlowLogId: "fl-1"}}
		var got sdkFlowLog
		require.True(t, fl.As(&got))
		assert.Equal(t, "fl-1", got.FlowLogId)
	})
	t.Run("struct value", func(t *testing.T) {
		fl := &flowlog.FlowLog{Raw: sdkFlowLog{FlowLogId: "fl-2"}}
		var got sdkFlowLog
		require.True(t, fl.As(&got))
		assert.Equal(t, "fl-2", got.FlowLogId)
	})
	t.Run("interface target", func(t *testing.T) {
		raw := &sdkFlowLog{FlowLogId: "fl-3"}
		fl := &flowlog.FlowLog{Raw: raw}
		var got any
		require.True(t, fl.As(&got))
		assert.Same(t, raw, got)
	})
	t.Run("wrong type leaves target alone", func(t *testing.T) {
		fl := &flowlog.FlowLog{Raw: &sdkFlowLog{FlowLogId: "fl-1"}}
		got := &otherType{X: 7}
		assert.False(t, fl.As(&got))
		assert.Equal(t, 7, got.X)
		var v otherType
		assert.False(t, fl.As(&v))
	})
	t.Run("no raw", func(t *testing.T) {
		fl := &flowlog.FlowLog{}
		var got *sdkFlowLog
		assert.False(t, fl.As(&got))
		assert.Nil(t, got)
	})
	t.Run("bad targets", func(t *testing.T) {
		fl := &flowlog.FlowLog{Raw: &sdkFlowLog{}}
		assert.False(t, fl.As(nil))
		var got sdkFlowLog
		assert.False(t, fl.As(got), "a non-pointer target")
		var nilPtr *sdkFlowLog
		assert.False(t, fl.As(nilPtr), "a nil pointer target")
	})
	t.Run("nil pointer raw does not yield the struct", func(t *testing.T) {
		fl := &flowlog.FlowLog{Raw: (*sdkFlowLog)(nil)}
		var got sdkFlowLog
		assert.False(t, fl.As(&got))
	})
}
