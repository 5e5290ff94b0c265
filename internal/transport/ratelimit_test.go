package transport

import (
	"context"
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

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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

// maxInWindow is the most arrivals (sorted) within any window [t, t+w).
func maxInWindow(ts []time.Time, w time.Duration) int {
	most := 0
	for i := range ts {
		n := 0
		for j := i; j < len(ts) && ts[j].Sub(ts[i]) < w; j++ {
			n++
		}
		most = max(most, n)
	}
	return most
}

func TestRateLimitSpreadsRequestsOverSeconds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		inner := &arrivals{}
		rt := RateLimit(inner, Limits{PerSecond: 20})
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
		assert.Equal(t, 20, maxInWindow(ts, time.Second), "no second-long window holds more than 20")
		assert.Equal(t, start, ts[0], "the first goes at once")
		elapsed := ts[40].Sub(start)
		assert.True(t, elapsed >= 2*time.Second && elapsed < 2*time.Second+time.Millisecond,
			"41 requests at 20/s take 2s, not much more: %v", elapsed)
	})
}

func TestRateLimitBurst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		inner := &arrivals{}
		rt := RateLimit(inner, Limits{PerSecond: 20, Burst: 5})
		start := time.Now()
		var wg sync.WaitGroup
		for range 6 {
			wg.Go(func() {
				assert.NoError(t, send(t, rt, tencentRequest(t, context.Background(), "r", "A")))
			})
		}
		wg.Wait()
		ts := inner.times("r/A")
		require.Len(t, ts, 6)
		assert.Equal(t, start, ts[4], "five at once")
		assert.Greater(t, ts[5].Sub(start), 49*time.Millisecond)
	})
}

func TestRateLimitKeys(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		inner := &arrivals{}
		rt := RateLimit(inner, Limits{PerSecond: 20})
		start := time.Now()
		var wg sync.WaitGroup
		// Two requests for each of 8 keys: Tencent headers and Alibaba query,
		// two regions, two actions.
		for range 2 {
			for _, region := range []string{"r1", "r2"} {
				for _, action := range []string{"CreateFlowLog", "DescribeFlowLogs"} {
					wg.Go(func() {
						assert.NoError(t, send(t, rt, tencentRequest(t, context.Background(), region, action)))
					})
					wg.Go(func() {
						assert.NoError(t, send(t, rt, alibabaRequest(t, context.Background(), "ali-"+region, action)))
					})
				}
			}
		}
		wg.Wait()
		inner.mu.Lock()
		keys := len(inner.at)
		inner.mu.Unlock()
		assert.Equal(t, 8, keys)
		for _, region := range []string{"r1", "r2", "ali-r1", "ali-r2"} {
			for _, action := range []string{"CreateFlowLog", "DescribeFlowLogs"} {
				ts := inner.times(region + "/" + action)
				require.Len(t, ts, 2, region+"/"+action)
				assert.Equal(t, start, ts[0], "%s/%s: its own limiter, so its first request goes at once", region, action)
				assert.GreaterOrEqual(t, ts[1].Sub(ts[0]), 50*time.Millisecond, "%s/%s: its second waits", region, action)
			}
		}
	})
}

func TestRateLimitReadsAFormBody(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		inner := &arrivals{}
		rt := RateLimit(inner, Limits{PerSecond: 1})
		form := func(region string) *http.Request {
			req := mustRequest(t, context.Background(), "https://vpc.aliyuncs.com/", "Action=DescribeFlowLogs&RegionId="+region)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return req
		}
		start := time.Now()
		require.NoError(t, send(t, rt, form("cn-hangzhou")))
		require.NoError(t, send(t, rt, form("cn-beijing")))
		assert.Equal(t, start, time.Now(), "different regions in the body: no wait")
		require.NoError(t, send(t, rt, form("cn-hangzhou")))
		assert.GreaterOrEqual(t, time.Since(start), time.Second, "same key in the body: waits")
		assert.Equal(t, []string{
			"Action=DescribeFlowLogs&RegionId=cn-hangzhou",
			"Action=DescribeFlowLogs&RegionId=cn-beijing",
			"Action=DescribeFlowLogs&RegionId=cn-hangzhou",
		}, inner.bodies, "the body still reaches the server")

		// Requests that name no action share one limiter.
		req := mustRequest(t, context.Background(), "https://example.test/", "x")
		req.Header.Set("Content-Type", "text/plain")
		start = time.Now()
		require.NoError(t, send(t, rt, req))
		require.NoError(t, send(t, rt, mustRequest(t, context.Background(), "https://example.test/", "")))
		assert.GreaterOrEqual(t, time.Since(start), time.Second)
	})
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
		rt := RateLimit(inner, Limits{PerSecond: 10}) // a slot every 100ms
		start := time.Now()
		require.NoError(t, send(t, rt, tencentRequest(t, context.Background(), "r", "A")))

		// Canceled while it waits for the next slot: not sent, body closed.
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(30*time.Millisecond, cancel)
		req := tencentRequest(t, ctx, "r", "A")
		body := &closeCounter{Reader: strings.NewReader("{}")}
		req.Body = body
		assert.ErrorIs(t, send(t, rt, req), context.Canceled)
		assert.Equal(t, 30*time.Millisecond, time.Since(start), "returns when the context ends")
		assert.EqualValues(t, 1, body.closed.Load(), "RoundTrip closes the body of a request it does not send")

		// A deadline before the next slot ends the wait with the deadline's
		// own error, at the deadline.
		ctx, cancel = context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		assert.ErrorIs(t, send(t, rt, tencentRequest(t, ctx, "r", "A")), context.DeadlineExceeded)
		assert.Equal(t, 50*time.Millisecond, time.Since(start))

		// An ended context is not even queued.
		assert.ErrorIs(t, send(t, rt, tencentRequest(t, ctx, "r", "A")), context.DeadlineExceeded)
		assert.Equal(t, 50*time.Millisecond, time.Since(start))

		// The canceled waits gave their slots back: the next request goes at
		// the first slot after the first request.
		require.NoError(t, send(t, rt, tencentRequest(t, context.Background(), "r", "A")))
		ts := inner.times("r/A")
		require.Len(t, ts, 2, "only the requests that were not canceled were sent")
		assert.Less(t, ts[1].Sub(start), 101*time.Millisecond)
	})
}

func TestRateLimitZeroIsNone(t *testing.T) {
	inner := &arrivals{}
	assert.Same(t, http.RoundTripper(inner), RateLimit(inner, Limits{}))
	assert.Same(t, http.RoundTripper(inner), RateLimit(inner, Limits{PerSecond: -1}))
}

func TestRateLimitNeverEarly(t *testing.T) {
	// x/time/rate truncates float durations: at a plain rate.Limit(20), many
	// grants come a nanosecond early and 21 fit in one second. Irregular
	// pauses between requests exercise its token arithmetic.
	for _, perSecond := range []float64{20, 13, 30} {
		synctest.Test(t, func(t *testing.T) {
			inner := &arrivals{}
			rt := RateLimit(inner, Limits{PerSecond: perSecond})
			for i := range 500 {
				require.NoError(t, send(t, rt, tencentRequest(t, context.Background(), "r", "A")))
				if i%7 == 3 {
					time.Sleep(time.Duration(i) * time.Microsecond)
				}
			}
			assert.LessOrEqual(t, maxInWindow(inner.times("r/A"), time.Second), int(perSecond), "%v/s", perSecond)
		})
	}
}
