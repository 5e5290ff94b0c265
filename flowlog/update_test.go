package flowlog_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/flowlog"
)

// A provider that can change nothing in place gets no request for an
// Update: the patch is refused as unsupported, naming the field.
func TestUpdateOnAProviderWithoutUpdaterSendsNothing(t *testing.T) {
	p := &scripted{}
	c := flowlog.NewClient(p)
	defer c.Close()
	assert.Empty(t, c.MutableFields())
	_, err := c.Update(t.Context(), "cn-hangzhou", "fl-1", flowlog.Patch{Name: flowlog.Ptr("renamed")})
	require.ErrorIs(t, err, flowlog.ErrUnsupported)
	assert.ErrorContains(t, err, "Name")
	assert.Zero(t, p.getCalls+p.createCalls+p.deleteCalls+p.findCalls, "nothing was sent")

	_, err = c.Update(t.Context(), "cn-hangzhou", "fl-1", flowlog.Patch{})
	assert.ErrorIs(t, err, flowlog.ErrInvalidArgument, "a patch that sets nothing")
	_, err = c.Update(t.Context(), "", "fl-1", flowlog.Patch{Name: flowlog.Ptr("renamed")})
	assert.ErrorIs(t, err, flowlog.ErrInvalidArgument, "no region")
}
