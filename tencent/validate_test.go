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

// TestValidateTags checks Tencent's documented tag limits: at most 50
// tags, keys of 1 to 127 and values of at most 255 characters, the
// reserved key prefixes, and the character set; each bad key or value is
// its own field error.
func TestValidateTags(t *testing.T) {
	p, err := tencent.New(tencent.WithSecretKey(secretID, secretKey))
	require.NoError(t, err)
	for _, tt := range []struct {
		name   string
		tags   map[string]string
		fields []string // the field of each error, in order
	}{
		{"none", nil, nil},
		{"50 tags", manyTags(50), nil},
		{"51 tags", manyTags(51), []string{"Tags"}},
		{"longest key and value", map[string]string{strings.Repeat("k", 127): strings.Repeat("v", 255)}, nil},
		{"key too long", map[string]string{strings.Repeat("k", 128): "v"}, []string{"Tags[" + strings.Repeat("k", 128) + "] key"}},
		{"value too long", map[string]string{"team": strings.Repeat("v", 256)}, []string{"Tags[team] value"}},
		{"characters counted, not bytes", map[string]string{strings.Repeat("键", 127): strings.Repeat("值", 255)}, nil},
		{"empty value", map[string]string{"team": ""}, nil},
		{"every documented sign", map[string]string{"a+-=._:/@()[],;><b": "＋－＝／＠（）【】：", "部门 a": "电商 游戏"}, nil},
		{"reserved prefixes", map[string]string{"qcs:x": "v", "QCloud-x": "v", "tencent.x": "v", "project": "v", "Project:x": "v", "项目组": "v"},
			[]string{"Tags[Project:x] key", "Tags[QCloud-x] key", "Tags[project] key", "Tags[qcs:x] key", "Tags[tencent.x] key", "Tags[项目组] key"}},
		{"spaces at the edges", map[string]string{" lead": "v", "trail": "v "}, []string{"Tags[ lead] key", "Tags[trail] value"}},
		{"characters outside the set", map[string]string{"a*b": "ok", "ok": "x#y", "tab\tkey": "v", "café": "v", "\xff": "v"},
			[]string{"Tags[a*b] key", "Tags[café] key", "Tags[ok] value", "Tags[tab\tkey] key", "Tags[\uFFFD] key"}},
		{"key and value both bad", map[string]string{"qcs:a&b": "&"}, []string{"Tags[qcs:a&b] key", "Tags[qcs:a&b] key", "Tags[qcs:a&b] value"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			spec := eniSpec(flowlogtest.DefaultTencentNetworkInterfaceID)
			spec.Tags = tt.tags
			var fields []string
			for _, fe := range p.Validate(&spec) {
				fields = append(fields, fe.Field)
				assert.Equal(t, flowlog.CodeInvalidArgument, fe.Code, fe.String())
			}
			assert.Equal(t, tt.fields, fields)
		})
	}
}

// TestBadTagsAreNotSent checks that the client refuses a spec with bad tags
// before sending anything, naming each bad field.
func TestBadTagsAreNotSent(t *testing.T) {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	c := flowlog.NewClient(newProvider(t, srv))
	defer c.Close()
	spec := eniSpec(flowlogtest.DefaultTencentNetworkInterfaceID)
	spec.Tags = map[string]string{"tencent:env": "prod", "team": "a|b"}

	_, err := c.Create(context.Background(), spec)
	require.ErrorIs(t, err, flowlog.ErrInvalidArgument)
	var ve *flowlog.ValidationError
	require.ErrorAs(t, err, &ve)
	var fields []string
	for _, fe := range ve.Fields {
		fields = append(fields, fe.Field)
	}
	assert.Equal(t, []string{"Tags[team] value", "Tags[tencent:env] key"}, fields)
	assert.Zero(t, srv.Calls("Tencent.CreateFlowLog"))
}
