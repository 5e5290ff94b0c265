package errmap

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
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

func TestRetryOf(t *testing.T) {
	product := Table{Retry: map[string]driver.RetryClass{
		"OperationConflict":        driver.RetrySafe,
		"InvalidTimeStamp.Expired": driver.RetryClockSkew,
	}}
	assert.Equal(t, driver.RetrySafe, RetryOf(flowlog.CodeThrottled, "Throttling.User", product))
	assert.Equal(t, driver.RetryAmbiguous, RetryOf(flowlog.CodeUnavailable, "ServiceUnavailable", product))
	assert.Equal(t, driver.RetrySafe, RetryOf(flowlog.CodeUnavailable, "OperationConflict", product), "busy: refused, not applied")
	assert.Equal(t, driver.RetryClockSkew, RetryOf(flowlog.CodeUnauthenticated, "InvalidTimeStamp.Expired", product))
	assert.Equal(t, driver.RetryNever, RetryOf(flowlog.CodeUnauthenticated, "SignatureDoesNotMatch", product))
	assert.Equal(t, driver.RetryNever, RetryOf(flowlog.CodeInvalidArgument, "MissingParameter"))
}

func TestTransportRetry(t *testing.T) {
	bg := context.Background()
	refused := &url.Error{Op: "Post", URL: "http://x", Err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}}
	assert.Equal(t, driver.RetrySafe, TransportRetry(bg, refused))
	dns := &url.Error{Op: "Post", URL: "http://x", Err: &net.DNSError{Err: "server misbehaving", Name: "x", IsTemporary: true}}
	assert.Equal(t, driver.RetrySafe, TransportRetry(bg, dns))
	reset := &url.Error{Op: "Post", URL: "http://x", Err: &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}}
	assert.Equal(t, driver.RetryAmbiguous, TransportRetry(bg, reset), "the request may have been read")
	assert.Equal(t, driver.RetryAmbiguous, TransportRetry(bg, io.ErrUnexpectedEOF))
	ctx, cancel := context.WithCancel(bg)
	cancel()
	assert.Equal(t, driver.RetryNever, TransportRetry(ctx, reset))
	assert.Equal(t, driver.RetryNever, TransportRetry(bg, &url.Error{Op: "Post", URL: "http://x", Err: context.DeadlineExceeded}))
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	assert.Equal(t, 3*time.Second, RetryAfter("3", now))
	assert.Equal(t, 90*time.Second, RetryAfter(now.Add(90*time.Second).Format(http.TimeFormat), now))
	assert.Zero(t, RetryAfter(now.Add(-time.Minute).Format(http.TimeFormat), now))
	assert.Zero(t, RetryAfter("soon", now))
	assert.Zero(t, RetryAfter("", now))
}
