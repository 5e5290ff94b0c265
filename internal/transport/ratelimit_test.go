package transport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cloudflowlog/flowlog-go/internal/window"

	"github.com/cloudflowlog/flowlog-go/internal/limittest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/flowlog/ratelimit"
)

// arrivals is a fake inner RoundTripper that records when each request
// arrives, per key, and answers 200 at once.
type arrivals struct {
	mu     sync.Mutex
	at     map[string][]time.Time
	bodies []string
}

func (a *arrivals) RoundTrip(r *http.Request) (*http.Response, error) {
	k := r.Header.Get("X-TC-Region") + "/" + r.Header.Get("X-TC-Action")
	if q := r.URL.Query(); q.Has("Action") {
		k = q.Get("RegionId") + "/" + q.Get("Action")
	}
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
		r.Body.Close()
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.at == nil {
		a.at = map[string][]time.Time{}
	}
	a.at[k] = append(a.at[k], time.Now())
	a.bodies = append(a.bodies, string(body))
	return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
}

func (a *arrivals) times(k string) []time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	ts := slices.Clone(a.at[k])
	slices.SortFunc(ts, time.Time.Compare)
	return ts
}

func tencentRequest(t *testing.T, ctx context.Context, region, action string) *http.Request {
	t.Helper()
	req := mustRequest(t, ctx, "https://vpc.tencentcloudapi.com/", `{"Limit":100}`)
	req.Header.Set("X-TC-Region", region)
	req.Header.Set("X-TC-Action", action)
	return req
}

func alibabaRequest(t *testing.T, ctx context.Context, region, action string) *http.Request {
	t.Helper()
	q := url.Values{"Action": {action}, "RegionId": {region}, "Signature": {"x"}}
	return mustRequest(t, ctx, "https://vpc.aliyuncs.com/?"+q.Encode(), "")
}

func send(t *testing.T, rt http.RoundTripper, req *http.Request) error {
	t.Helper()
	resp, err := rt.RoundTrip(req)
	if resp != nil {
		resp.Body.Close()
	}
	return err
}

func TestRateLimitSpreadsRequestsOverSeconds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		inner := &arrivals{}
		rt := RateLimit(inner, "tencent", ratelimit.NewLocal(20))
		start := time.Now()
		var wg sync.WaitGroup
		for range 41 {
			wg.Go(func() {
				assert.NoError(t, send(t, rt, tencentRequest(t, context.Background(), "ap-guangzhou", "DescribeFlowLogs")))
			})
		}
		wg.Wait()
		ts := inner.times("ap-guangzhou/DescribeFlowLogs")
		require.Len(t, ts, 41)
		assert.Equal(t, 20, window.Max(ts, time.Second), "no second-long window holds more than 20")
		assert.Equal(t, start, ts[0], "the first goes at once")
		elapsed := ts[40].Sub(start)
		assert.True(t, elapsed >= 2*time.Second && elapsed < 2*time.Second+time.Millisecond,
			"41 requests at 20/s take 2s, not much more: %v", elapsed)
	})
}

func TestRateLimitKeys(t *testing.T) {
	inner := &arrivals{}
	lim := &limittest.Recorder{}
	rt := RateLimit(inner, "aliyun", lim)
	form := func(body string) *http.Request {
		req := mustRequest(t, context.Background(), "https://vpc.aliyuncs.com/", body)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return req
	}
	plain := mustRequest(t, context.Background(), "https://example.test/", "x")
	plain.Header.Set("Content-Type", "text/plain")
	for _, req := range []*http.Request{
		tencentRequest(t, context.Background(), "ap-guangzhou", "CreateFlowLog"),
		alibabaRequest(t, context.Background(), "cn-hangzhou", "DescribeFlowLogs"),
		form("Action=DeleteFlowLog&RegionId=cn-beijing"),
		plain,
		mustRequest(t, context.Background(), "https://example.test/", ""),
	} {
		require.NoError(t, send(t, rt, req))
	}
	assert.Equal(t, []ratelimit.Key{
		{Provider: "aliyun", Region: "ap-guangzhou", Action: "CreateFlowLog"},
		{Provider: "aliyun", Region: "cn-hangzhou", Action: "DescribeFlowLogs"},
		{Provider: "aliyun", Region: "cn-beijing", Action: "DeleteFlowLog"},
		{Provider: "aliyun"}, // requests that name no action share one key
		{Provider: "aliyun"},
	}, lim.Asked(), "asked once per request, with the provider, region and action")
	assert.Equal(t, "Action=DeleteFlowLog&RegionId=cn-beijing", inner.bodies[2], "a form body read for its key still reaches the server")
	assert.Equal(t, "x", inner.bodies[3])
}

func TestRateLimitReadsAFormBodyAgain(t *testing.T) {
	lim := &limittest.Recorder{}
	var bodies []string
	rt := RateLimit(rtFunc(func(r *http.Request) (*http.Response, error) {
		for range 2 { // as a dial retry would
			b, err := r.GetBody()
			require.NoError(t, err)
			body, _ := io.ReadAll(b)
			bodies = append(bodies, string(body))
		}
		return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
	}), "cbn", lim)
	req := mustRequest(t, context.Background(), "https://cbn.aliyuncs.com/", "Action=DescribeFlowlogs&RegionId=cn-hangzhou")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	require.NoError(t, send(t, rt, req))
	assert.Equal(t, []string{"Action=DescribeFlowlogs&RegionId=cn-hangzhou", "Action=DescribeFlowlogs&RegionId=cn-hangzhou"}, bodies)
}

// closeCounter is a request body that counts Close calls.
type closeCounter struct {
	io.Reader
	closed atomic.Int32
}

func (c *closeCounter) Close() error { c.closed.Add(1); return nil }

func TestRateLimitContextEndsWhileWaiting(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		inner := &arrivals{}
		rt := RateLimit(inner, "tencent", ratelimit.NewLocal(10)) // a slot every 100ms
		start := time.Now()
		require.NoError(t, send(t, rt, tencentRequest(t, context.Background(), "r", "A")))

		// Canceled while it waits for the next slot: not sent, body closed.
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(30*time.Millisecond, cancel)
		req := tencentRequest(t, ctx, "r", "A")
		body := &closeCounter{Reader: strings.NewReader("{}")}
		req.Body = body
		err := send(t, rt, req)
		assert.ErrorIs(t, err, context.Canceled)
		assert.EqualError(t, err, "rate limit tencent/r/A: context canceled")
		assert.False(t, NeverSent(err), "an ended context is the caller's, not a failure to retry")
		assert.Equal(t, 30*time.Millisecond, time.Since(start), "returns when the context ends")
		assert.EqualValues(t, 1, body.closed.Load(), "RoundTrip closes the body of a request it does not send")

		// An ended context is not even queued.
		req = tencentRequest(t, ctx, "r", "A")
		body = &closeCounter{Reader: strings.NewReader("{}")}
		req.Body = body
		assert.ErrorIs(t, send(t, rt, req), context.Canceled)
		assert.EqualValues(t, 1, body.closed.Load())

		require.NoError(t, send(t, rt, tencentRequest(t, context.Background(), "r", "A")))
		ts := inner.times("r/A")
		require.Len(t, ts, 2, "only the requests that were not canceled were sent")
		assert.Less(t, ts[1].Sub(start), 101*time.Millisecond, "the canceled wait gave its slot back")
	})
}

func TestRateLimitLimiterFails(t *testing.T) {
	inner := &arrivals{}
	lim := &limittest.Recorder{Err: errors.New("redis: connection refused")}
	rt := RateLimit(inner, "tencent", lim)
	req := tencentRequest(t, context.Background(), "ap-guangzhou", "CreateFlowLog")
	body := &closeCounter{Reader: strings.NewReader("{}")}
	req.Body = body
	err := send(t, rt, req)
	assert.EqualError(t, err, "rate limit tencent/ap-guangzhou/CreateFlowLog: redis: connection refused")
	assert.ErrorIs(t, err, lim.Err)
	assert.True(t, NeverSent(err), "the request never left: safe to try again")
	assert.EqualValues(t, 1, body.closed.Load())
	assert.Empty(t, inner.times("ap-guangzhou/CreateFlowLog"), "not sent")
}

func TestRateLimitNilIsNone(t *testing.T) {
	inner := &arrivals{}
	assert.Same(t, http.RoundTripper(inner), RateLimit(inner, "tencent", nil))
}

func TestResponseObserve(t *testing.T) {
	lim := &limittest.Recorder{}
	rt := RecordResponses(RateLimit(&arrivals{}, "tencent", lim))
	k := ratelimit.Key{Provider: "tencent", Region: "ap-guangzhou", Action: "DescribeFlowLogs"}

	ctx, resp := WithResponse(context.Background())
	require.NoError(t, send(t, rt, tencentRequest(t, ctx, k.Region, k.Action)))
	assert.Empty(t, lim.Told(), "nothing is observed before the adapter has classified the outcome")
	resp.Observe(true)
	assert.Equal(t, []limittest.Observation{{Key: k, Throttled: true}}, lim.Told())
	resp.Observe(false)
	assert.Equal(t, []limittest.Observation{{Key: k, Throttled: true}}, lim.Told(), "each admitted request is reported once")

	// A call whose request was never admitted reports nothing.
	lim.Err = errors.New("no")
	ctx, resp = WithResponse(context.Background())
	require.Error(t, send(t, rt, tencentRequest(t, ctx, k.Region, k.Action)))
	resp.Observe(false)
	assert.Len(t, lim.Told(), 1)

	// A Limiter that is no Observer is told nothing, and nothing breaks;
	// neither does a request without a Response.
	rt = RecordResponses(RateLimit(&arrivals{}, "tencent", ratelimit.NewLocal(0)))
	ctx, resp = WithResponse(context.Background())
	require.NoError(t, send(t, rt, tencentRequest(t, ctx, k.Region, k.Action)))
	resp.Observe(true)
	require.NoError(t, send(t, rt, tencentRequest(t, context.Background(), k.Region, k.Action)))
}

func TestAdaptiveLimiterLearnsThroughTheResponse(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lim := ratelimit.NewAdaptive(20)
		rt := RecordResponses(RateLimit(&arrivals{}, "tencent", lim))
		k := ratelimit.Key{Provider: "tencent", Region: "ap-guangzhou", Action: "CreateFlowLog"}
		ctx, resp := WithResponse(context.Background())
		require.NoError(t, send(t, rt, tencentRequest(t, ctx, k.Region, k.Action)))
		resp.Observe(true)
		assert.InDelta(t, 14, lim.Rate(k), 1e-9, "the throttle reached the key's rate")
		assert.Equal(t, 20.0, lim.Rate(ratelimit.Key{Provider: "tencent", Region: "ap-guangzhou", Action: "DescribeFlowLogs"}))
	})
}
