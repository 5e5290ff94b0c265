package transport

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/cloudflowlog/flowlog-go/flowlog/ratelimit"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// countingRT counts the requests it passes on to next.
type countingRT struct {
	next http.RoundTripper
	n    atomic.Int32
}

func (c *countingRT) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

func clone(t *testing.T) *http.Transport {
	t.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

// dialRefused is the error net/http returns when nothing listens.
var dialRefused = &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}

func TestNewIsConfiguredForDialRetriesOnly(t *testing.T) {
	base := &countingRT{}
	rt, ok := New(base).(*retryablehttp.RoundTripper)
	require.True(t, ok)
	c := rt.Client
	require.NotNil(t, c)
	assert.Nil(t, c.Logger, "retryablehttp's default logger prints Alibaba query strings with credentials")
	assert.Nil(t, c.RequestLogHook)
	assert.Nil(t, c.ResponseLogHook)
	assert.Nil(t, c.PrepareRetry)
	assert.Equal(t, 2, c.RetryMax)
	assert.Equal(t, 50*time.Millisecond, c.RetryWaitMin)
	assert.Equal(t, 500*time.Millisecond, c.RetryWaitMax)
	assert.NotNil(t, c.ErrorHandler)
	assert.NotNil(t, c.CheckRetry)
	assert.NotNil(t, c.Backoff)
	require.NotNil(t, c.HTTPClient)
	assert.Same(t, base, c.HTTPClient.Transport)
	assert.Zero(t, c.HTTPClient.Timeout)

	def, ok := Default().(*retryablehttp.RoundTripper)
	require.True(t, ok, "Default has the dial retries too")
	inner, ok := def.Client.HTTPClient.Transport.(*http.Transport)
	require.True(t, ok)
	assert.NotSame(t, http.DefaultTransport, inner, "a private clone, never the shared default")
}

func TestStackWrapsTheCallersTransport(t *testing.T) {
	base := &countingRT{}

	rt, ok := Stack(base, "tencent", nil).(*retryablehttp.RoundTripper)
	require.True(t, ok, "no limit: the dial retries around base")
	assert.Same(t, base, rt.Client.HTTPClient.Transport)

	l := ratelimit.NewLocal(20)
	lim, ok := Stack(base, "tencent", l).(*limiter)
	require.True(t, ok, "the limit is outermost")
	assert.Equal(t, "tencent", lim.provider)
	assert.Same(t, l, lim.l)
	rt, ok = lim.next.(*retryablehttp.RoundTripper)
	require.True(t, ok, "then the dial retries")
	assert.Same(t, base, rt.Client.HTTPClient.Transport)

	_, ok = Stack(nil, "tencent", nil).(*retryablehttp.RoundTripper)
	assert.True(t, ok, "nil base: Default")
}

func TestConnectionRefusedIsRetried(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // nothing listens there now: connection refused

	base := &countingRT{next: clone(t)}
	c := &http.Client{Transport: newRetrying(base, time.Millisecond, 2*time.Millisecond)}
	resp, err := c.Post("http://"+addr+"/", "application/json", strings.NewReader(`{"a":1}`))
	if resp != nil {
		resp.Body.Close()
	}
	require.Error(t, err)
	assert.ErrorIs(t, err, syscall.ECONNREFUSED)
	assert.True(t, NeverSent(err))
	assert.EqualValues(t, RetryMax+1, base.n.Load(), "one attempt and RetryMax retries")
}

func TestServerErrorIsNotRetriedAndKeepsItsBody(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, `{"Code":"ServiceUnavailable","RequestId":"r-1"}`)
	}))
	defer srv.Close()

	c := &http.Client{Transport: New(clone(t))}
	resp, err := c.Post(srv.URL, "application/x-www-form-urlencoded", strings.NewReader(""))
	require.NoError(t, err, "a response is not an error, whatever its status")
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Equal(t, `{"Code":"ServiceUnavailable","RequestId":"r-1"}`, string(body))
	assert.EqualValues(t, 1, hits.Load())
}

func TestRedirectGoesBackToTheCaller(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	}))
	defer srv.Close()
	resp, err := New(clone(t)).RoundTrip(mustRequest(t, context.Background(), srv.URL, ""))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusFound, resp.StatusCode)
}

func TestResetAfterTheRequestIsNotRetried(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var hits atomic.Int32
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			// Read the whole request, then reset the connection.
			if req, err := http.ReadRequest(bufio.NewReader(conn)); err == nil {
				_, _ = io.Copy(io.Discard, req.Body)
				hits.Add(1)
			}
			_ = conn.(*net.TCPConn).SetLinger(0)
			_ = conn.Close()
		}
	}()
	defer func() { ln.Close(); wg.Wait() }()

	c := &http.Client{Transport: newRetrying(clone(t), time.Millisecond, 2*time.Millisecond)}
	resp, err := c.Post("http://"+ln.Addr().String()+"/", "application/json", strings.NewReader(`{"Limit":100}`))
	if resp != nil {
		resp.Body.Close()
	}
	require.Error(t, err)
	assert.False(t, NeverSent(err), "%v", err)
	assert.EqualValues(t, 1, hits.Load(), "the server saw the request: never resent")
}

func TestCanceledDuringBackoffStopsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var attempts atomic.Int32
		base := rtFunc(func(*http.Request) (*http.Response, error) {
			attempts.Add(1)
			return nil, dialRefused
		})
		ctx, cancel := context.WithCancel(context.Background())
		start := time.Now()
		time.AfterFunc(10*time.Millisecond, cancel) // the first wait is at least 50ms
		_, err := New(base).RoundTrip(mustRequest(t, ctx, "http://api.example.test/", `{"a":1}`))
		assert.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, 10*time.Millisecond, time.Since(start), "returns when the context ends")
		assert.EqualValues(t, 1, attempts.Load())
	})
}

func TestDialRetryWaits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var at []time.Time
		base := rtFunc(func(*http.Request) (*http.Response, error) {
			at = append(at, time.Now())
			return nil, dialRefused
		})
		_, err := New(base).RoundTrip(mustRequest(t, context.Background(), "http://api.example.test/", ""))
		require.ErrorIs(t, err, syscall.ECONNREFUSED, "the last error as it is")
		var op *net.OpError
		require.ErrorAs(t, err, &op)
		require.Len(t, at, RetryMax+1)
		first, second := at[1].Sub(at[0]), at[2].Sub(at[1])
		assert.True(t, first >= 50*time.Millisecond && first <= 500*time.Millisecond, "first wait %v", first)
		assert.True(t, second >= 100*time.Millisecond && second <= time.Second, "second wait %v", second)
	})
}

func TestBodyIsResentIdentically(t *testing.T) {
	for _, tt := range []struct {
		name, contentType, body string
	}{
		{"tencent JSON", "application/json", `{"Limit":100,"Offset":0,"FlowLogId":"fl-abcdefgh"}`},
		{"alibaba empty form", "application/x-www-form-urlencoded", ""},
		{"form", "application/x-www-form-urlencoded", "Action=DescribeFlowLogs&RegionId=cn-hangzhou"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var bodies []string
				var lengths []int64
				base := rtFunc(func(r *http.Request) (*http.Response, error) {
					var b []byte
					if r.Body != nil {
						var err error
						b, err = io.ReadAll(r.Body)
						require.NoError(t, err)
						r.Body.Close()
					}
					bodies = append(bodies, string(b))
					lengths = append(lengths, r.ContentLength)
					if len(bodies) <= RetryMax {
						return nil, dialRefused
					}
					return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader("ok")), Request: r}, nil
				})
				// Built like the SDKs build theirs, sent through an http.Client.
				req, err := http.NewRequest(http.MethodPost, "http://api.example.test/?Action=X", strings.NewReader(tt.body))
				require.NoError(t, err)
				req.Header.Set("Content-Type", tt.contentType)
				resp, err := (&http.Client{Transport: New(base)}).Do(req)
				require.NoError(t, err)
				resp.Body.Close()
				want := int64(len(tt.body))
				assert.Equal(t, []string{tt.body, tt.body, tt.body}, bodies)
				assert.Equal(t, []int64{want, want, want}, lengths)
			})
		})
	}
}

func TestNeverSent(t *testing.T) {
	tempDNS := &net.DNSError{Err: "server misbehaving", Name: "vpc.aliyuncs.com", IsTemporary: true}
	dnsTimeout := &net.DNSError{Err: "i/o timeout", Name: "vpc.aliyuncs.com", IsTimeout: true}
	noHost := &net.DNSError{Err: "no such host", Name: "vpc.aliyuncs.com", IsNotFound: true}
	dial := func(err error) error { return &net.OpError{Op: "dial", Net: "tcp", Err: err} }
	for _, tt := range []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"connection refused", dialRefused, true},
		{"bare ECONNREFUSED", syscall.ECONNREFUSED, true},
		{"in url.Error", &url.Error{Op: "Post", URL: "http://x", Err: dialRefused}, true},
		{"no route", dial(syscall.EHOSTUNREACH), true},
		{"temporary DNS", dial(tempDNS), true},
		{"DNS timeout", dial(dnsTimeout), true},
		{"no such host", dial(noHost), false},
		{"dial to a proxy", &net.OpError{Op: "proxyconnect", Net: "tcp", Err: dialRefused}, true},
		{"dial timeout", dial(context.DeadlineExceeded), false},
		{"dial canceled", dial(context.Canceled), false},
		{"reset while reading", &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}, false},
		{"broken pipe while writing", &net.OpError{Op: "write", Net: "tcp", Err: syscall.EPIPE}, false},
		{"EOF", io.ErrUnexpectedEOF, false},
		{"other", errors.New("tls: handshake failure"), false},
	} {
		assert.Equal(t, tt.want, NeverSent(tt.err), tt.name)
	}
}

func TestDialOnlyNeverRetriesResponses(t *testing.T) {
	ctx := context.Background()
	for _, status := range []int{200, 400, 429, 500, 502, 503} {
		retry, err := dialOnly(ctx, &http.Response{StatusCode: status}, nil)
		assert.False(t, retry, "%d", status)
		assert.NoError(t, err, "an error would make net/http drop the response")
	}
	retry, err := dialOnly(ctx, nil, dialRefused)
	assert.True(t, retry)
	assert.NoError(t, err)

	canceled, cancel := context.WithCancel(ctx)
	cancel()
	retry, err = dialOnly(canceled, nil, dialRefused)
	assert.False(t, retry, "stops once the context ends")
	assert.NoError(t, err)
}

func mustRequest(t *testing.T, ctx context.Context, u, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(body))
	require.NoError(t, err)
	return req
}
