package aliyun_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/aliyun"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/flowlog/ratelimit"
)

// describeTimes makes n concurrent DescribeFlowLogs calls through an adapter
// built with opts and returns the fake times at which they left the stack.
// See tencent's describeConcurrently for why a synctest bubble works here.
func describeTimes(t *testing.T, n int, opts ...aliyun.Option) []time.Duration {
	var clock atomic.Pointer[time.Time]
	srv := flowlogtest.NewServer(flowlogtest.WithAlibabaCredential("LTAItestkey", testSecret),
		flowlogtest.WithClock(func() time.Time { return *clock.Load() }))
	defer srv.Close()

	var at []time.Duration
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		clock.Store(&start)
		base := http.DefaultTransport.(*http.Transport).Clone()
		base.DisableKeepAlives = true
		var mu sync.Mutex
		stamp := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			now := time.Now()
			clock.Store(&now)
			mu.Lock()
			at = append(at, now.Sub(start))
			mu.Unlock()
			return base.RoundTrip(r)
		})
		p, err := aliyun.New(append([]aliyun.Option{aliyun.WithEndpoint(srv.URL), aliyun.WithHTTPTransport(stamp),
			aliyun.WithAccessKey("LTAItestkey", testSecret)}, opts...)...)
		require.NoError(t, err)
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				_, err := p.Describe(context.Background(), flowlogtest.DefaultRegion, []string{"fl-aaaaaaaa"})
				assert.NoError(t, err)
			})
		}
		wg.Wait()
	})
	slices.Sort(at)
	return at
}

func TestRateLimitOption(t *testing.T) {
	assert.Equal(t, []time.Duration{0, 0, 0, 0}, describeTimes(t, 4), "no limit by default")
	at := describeTimes(t, 4, aliyun.WithRateLimit(10))
	require.Len(t, at, 4)
	for i, d := range at {
		assert.GreaterOrEqual(t, d, time.Duration(i)*100*time.Millisecond, "request %d", i)
		assert.Less(t, d, time.Duration(i)*100*time.Millisecond+time.Millisecond, "request %d", i)
	}
}

func newLimited(t *testing.T, srv *flowlogtest.Server, opts ...aliyun.Option) *aliyun.Provider {
	t.Helper()
	p, err := aliyun.New(append([]aliyun.Option{aliyun.WithEndpoint(srv.URL), aliyun.WithAccessKey("LTAItestkey", testSecret)}, opts...)...)
	require.NoError(t, err)
	return p
}

// countingLimiter admits every request at once and counts them.
type countingLimiter struct{ n atomic.Int32 }

func (l *countingLimiter) Wait(context.Context, ratelimit.Key) error { l.n.Add(1); return nil }

func TestTheLastLimitOptionWins(t *testing.T) {
	srv := flowlogtest.NewServer(flowlogtest.WithAlibabaCredential("LTAItestkey", testSecret))
	defer srv.Close()
	lim := &countingLimiter{}
	for _, tt := range []struct {
		opts  []aliyun.Option
		asked int
	}{
		{[]aliyun.Option{aliyun.WithLimiter(lim), aliyun.WithRateLimit(0)}, 0},
		{[]aliyun.Option{aliyun.WithRateLimit(0), aliyun.WithLimiter(lim)}, 1},
		{[]aliyun.Option{aliyun.WithLimiter(lim), aliyun.WithLimiter(nil)}, 0},
	} {
		p := newLimited(t, srv, tt.opts...)
		_, err := p.Describe(context.Background(), flowlogtest.DefaultRegion, []string{"fl-aaaaaaaa"})
		require.NoError(t, err)
		assert.Equal(t, int32(tt.asked), lim.n.Swap(0))
	}
}

// An adaptive limiter learns from Alibaba's throttling too.
func TestAdaptiveLimiterSlowsDownAfterAThrottle(t *testing.T) {
	srv := flowlogtest.NewServer(flowlogtest.WithAlibabaCredential("LTAItestkey", testSecret))
	defer srv.Close()
	lim := ratelimit.NewAdaptive(20)
	p := newLimited(t, srv, aliyun.WithLimiter(lim))
	key := ratelimit.Key{Provider: aliyun.Name, Region: flowlogtest.DefaultRegion, Action: "DescribeFlowLogs"}
	srv.InjectFaults(flowlogtest.FaultRule{Action: "Vpc.DescribeFlowLogs", Count: 1,
		Kinds: []flowlogtest.FaultKind{flowlogtest.FaultThrottle}})
	_, err := p.Describe(context.Background(), key.Region, []string{"fl-aaaaaaaa"})
	require.ErrorIs(t, err, flowlog.ErrThrottled)
	assert.Less(t, lim.Rate(key), 20.0)
	assert.Equal(t, 20.0, lim.Rate(ratelimit.Key{Provider: aliyun.Name, Region: flowlogtest.DefaultRegion, Action: "CreateFlowLog"}))
}

func ExampleWithLimiter() {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	// Alibaba documents no limit for the flow-log APIs, but an account's
	// may be lower than the program's pace: an adaptive limiter starts at
	// 50 per second of each region and action, and slows down when the
	// server throttles.
	limiter := ratelimit.NewAdaptive(50)
	p, err := aliyun.New(aliyun.WithLimiter(limiter), aliyun.WithEndpoint(srv.URL),
		aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	if err != nil {
		fmt.Println(err)
		return
	}
	srv.InjectFaults(flowlogtest.FaultRule{Action: "DescribeFlowLogs", Count: 1, Kinds: []flowlogtest.FaultKind{flowlogtest.FaultThrottle}})
	_, err = p.Describe(context.Background(), flowlogtest.DefaultRegion, []string{"fl-aaaaaaaa"})
	fmt.Println(errors.Is(err, flowlog.ErrThrottled))
	fmt.Println(limiter.Rate(ratelimit.Key{Provider: aliyun.Name, Region: flowlogtest.DefaultRegion, Action: "DescribeFlowLogs"}) < 50)
	// Output:
	// true
	// true
}
