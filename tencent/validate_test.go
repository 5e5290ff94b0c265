package tencent_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/tencent"
)

// manyTags returns n tags k0..k(n-1).
func manyTags(n int) map[string]string {
	tags := make(map[string]string, n)
	for i := range n {
		tags[fmt.Sprintf("k%d", i)] = "v"
	}
	return tags
}

// TestValidateTags checks that Validate applies no tag rule of its own:
// seed 003 and api-spec §4.1 give CreateFlowLog's Tags.N no count, length,
// character set or reserved keys ("Key required, Value optional"; an empty
// key is the neutral validation's). The Tag service's limits the adapter
// used to borrow (50 tags, keys of 127 and values of 255 characters, a
// character set, reserved prefixes) are accepted, as the emulator accepts
// them (flowlogtest.TestRulesAgreeTencent).
func TestValidateTags(t *testing.T) {
	p, err := tencent.New(tencent.WithSecretKey(secretID, secretKey))
	require.NoError(t, err)
	for _, tt := range []struct {
		name string
		tags map[string]string
	}{
		{"none", nil},
		{"50 tags", manyTags(50)},
		{"51 tags", manyTags(51)},
		{"key of 128 characters", map[string]string{strings.Repeat("k", 128): "v"}},
		{"value of 256 characters", map[string]string{"team": strings.Repeat("v", 256)}},
		{"empty value", map[string]string{"team": ""}},
		{"formerly reserved prefixes", map[string]string{"qcs:x": "v", "QCloud-x": "v", "tencent.x": "v", "project": "v", "项目组": "v"}},
		{"spaces at the edges", map[string]string{" lead": "v", "trail": "v "}},
		{"any characters", map[string]string{"a*b": "x#y", "tab\tkey": "a|b", "café": "v"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			spec := eniSpec(flowlogtest.DefaultTencentNetworkInterfaceID)
			spec.Tags = tt.tags
			assert.Empty(t, p.Validate(&spec))
		})
	}
}

// TestBadTagsAreNotSent checks that the client refuses a spec with a tag
// without a key (api-spec §4.1 "Key required") before sending anything.
func TestBadTagsAreNotSent(t *testing.T) {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	c := flowlog.NewClient(newProvider(t, srv))
	defer c.Close()
	spec := eniSpec(flowlogtest.DefaultTencentNetworkInterfaceID)
	spec.Tags = map[string]string{"": "prod", "team": "a|b"}

	_, err := c.Create(context.Background(), spec)
	require.ErrorIs(t, err, flowlog.ErrInvalidArgument)
	var ve *flowlog.ValidationError
	require.ErrorAs(t, err, &ve)
	var fields []string
	for _, fe := range ve.Fields {
		fields = append(fields, fe.Field)
	}
	assert.Equal(t, []string{"Tags"}, fields)
	assert.Zero(t, srv.Calls("Tencent.CreateFlowLog"))
}
