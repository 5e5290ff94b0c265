package errmap

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/cloudflowlog/flowlog-go/flowlog"
)

func TestLookup(t *testing.T) {
	product := Table{
		Exact:    map[string]flowlog.Code{"UnsupportedOperation.FlowLogInstanceExisted": flowlog.CodeAlreadyExists},
		Prefixes: map[string]flowlog.Code{"UnsupportedOperation": flowlog.CodeUnsupported, "InvalidParameter": flowlog.CodeInvalidArgument},
	}
	common := Table{
		Prefixes: map[string]flowlog.Code{"RequestLimitExceeded": flowlog.CodeThrottled, "Invalid": flowlog.CodeUnknown},
	}
	tests := []struct {
		code string
		want flowlog.Code
		ok   bool
	}{
		{"UnsupportedOperation.FlowLogInstanceExisted", flowlog.CodeAlreadyExists, true}, // exact beats prefix
		{"UnsupportedOperation.OnlySupportProfessionKafka", flowlog.CodeUnsupported, true},
		{"InvalidParameterValue.Range", flowlog.CodeInvalidArgument, true}, // longest prefix across tables: product first
		{"RequestLimitExceeded.UinLimitExceeded", flowlog.CodeThrottled, true},
		{"Nothing", flowlog.CodeUnknown, false},
	}
	for _, tt := range tests {
		got, ok := Lookup(tt.code, product, common)
		assert.Equal(t, tt.want, got, tt.code)
		assert.Equal(t, tt.ok, ok, tt.code)
	}
	// Within one table the longest prefix wins.
	tb := Table{Prefixes: map[string]flowlog.Code{"A": flowlog.CodeUnknown, "A.B": flowlog.CodeNotFound}}
	for range 20 { // map order must not matter
		c, _ := tb.Lookup("A.B.C")
		assert.Equal(t, flowlog.CodeNotFound, c)
	}
}

func TestMessage(t *testing.T) {
	assert.Equal(t, "AccessKeyId=REDACTED&x=1", Message("AccessKeyId=LTAIabc&x=1"))
	assert.Equal(t, "a b c", Message(" a\n\tb   c \r\n"))
	assert.Equal(t, "the server answered with an HTML page, not an API response",
		Message("<!DOCTYPE html>\n<html><body><h1>502 Bad Gateway</h1></body></html>"))
	assert.Equal(t, "the server answered with an HTML page, not an API response",
		Message("Fail to parse json content: <html><body>502</body></html>, because: invalid character"))
	long := strings.Repeat("é", 400) // 800 bytes: the cut must not split a rune
	m := Message(long)
	assert.LessOrEqual(t, len(m), maxMessage+3)
	assert.True(t, strings.HasSuffix(m, "..."))
	assert.NotContains(t, m, "\uFFFD")
}
