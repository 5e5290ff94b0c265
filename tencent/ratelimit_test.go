package tencent_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/flowlog/ratelimit"
	"github.com/cloudflowlog/flowlog-go/tencent"
)

// bubble is an adapter and its emulator in a synctest bubble: timing is
// exact there. The adapter's rate limiter waits in fake time, and the
// emulator's clock reads the fake time at which each request left the
// adapter's stack. The emulator itself runs outside the bubble, on
// loopback; keep-alives are off so that no idle connection goroutine stays
// blocked on the network inside the bubble, and fake time stands still
// while a request is on the wire. So the emulator sees exactly the instants
// the limiter chose, however slow the machine.
type bubble struct {
	srv *flowlogtest.Server
	p   *tencent.Provider
	// stamp is p's base transport, for more adapters of srv.
	stamp http.RoundTripper

	mu   sync.Mutex
	sent []time.Time // when each request left the adapter's stack
}

// inBubble runs f in a synctest bubble with an adapter built with opts
// against an emulator started with srvOpts.
func inBubble(t *testing.T, srvOpts []flowlogtest.Option, opts []tencent.Option, f func(t *testing.T, b *bubble)) {
	var clock atomic.Pointer[time.Time]
	srv := flowlogtest.NewServer(append(srvOpts, flowlogtest.WithClock(func() time.Time { return *clock.Load() }))...)
	defer srv.Close()

	synctest.Test(t, func(t *testing.T) {
		now := time.Now()
		clock.Store(&now)
		b := &bubble{srv: srv}
		base := http.DefaultTransport.(*http.Transport).Clone()
		base.DisableKeepAlives = true
		b.stamp = roundTripFunc(func(r *http.Request) (*http.Response, error) {
			now := time.Now()
			clock.Store(&now)
			b.mu.Lock()
			b.sent = append(b.sent, now)
			b.mu.Unlock()
			return base.RoundTrip(r)
		})
		b.p = newProvider(t, srv, append([]tencent.Option{tencent.WithHTTPTransport(b.stamp)}, opts...)...)
		f(t, b)
	})
}

// describe makes one DescribeFlowLogs call in region and reports whether
// the server throttled it; any other error fails the test.
func (b *bubble) describe(t *testing.T, region string) (throttled bool) {
	_, err := b.p.Describe(context.Background(), region, []string{"fl-aaaaaaaa"})
	var fe *driver.Error
	if errors.As(err, &fe) && fe.ProviderCode == "RequestLimitExceeded" {
		return true
	}
	assert.NoError(t, err)
	return false
}

// lastGaps returns the time between each of the last n requests and the
// one before it.
func (b *bubble) lastGaps(n int) []time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	var gaps []time.Duration
	for i := len(b.sent) - n; i < len(b.sent); i++ {
		gaps = append(gaps, b.sent[i].Sub(b.sent[i-1]))
	}
	return gaps
}

// describeConcurrently makes n concurrent DescribeFlowLogs calls through an
// adapter built with opts against an emulator that allows 20 requests per
// second, and returns how many were throttled.
func describeConcurrently(t *testing.T, n int, opts ...tencent.Option) (throttled int) {
	var srv *flowlogtest.Server
	inBubble(t, []flowlogtest.Option{flowlogtest.WithTencentRateLimit(20)}, opts, func(t *testing.T, b *bubble) {
		srv = b.srv
		var mu sync.Mutex
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				if b.describe(t, flowlogtest.DefaultTencentRegion) {
					mu.Lock()
					throttled++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
	})
	assert.Equal(t, n, srv.Calls("Tencent.DescribeFlowLogs")+throttled, "every call reached the emulator once")
	return throttled
}

func TestDefaultRateLimitAvoidsThrottling(t *testing.T) {
	assert.Zero(t, describeConcurrently(t, 60), "the default 20/s per action keeps every second at 20")
}

func TestWithoutRateLimitConcurrentCallsAreThrottled(t *testing.T) {
	// All 60 leave at the same instant, so the emulator's second holds 60.
	assert.Equal(t, 40, describeConcurrently(t, 60, tencent.WithRateLimit(0)))
}

func TestRateLimitOption(t *testing.T) {
	// 10/s leaves room under the emulator's 20/s.
	assert.Zero(t, describeConcurrently(t, 30, tencent.WithRateLimit(10)))
	// 40/s does not: 40 requests in the first second, 20 of them too many.
	assert.Equal(t, 20, describeConcurrently(t, 41, tencent.WithRateLimit(40)))
}

// throttleNext makes the emulator throttle the next DescribeFlowLogs.
func throttleNext(srv *flowlogtest.Server) {
	srv.InjectFaults(flowlogtest.FaultRule{Action: "Tencent.DescribeFlowLogs", Count: 1,
		Kinds: []flowlogtest.FaultKind{flowlogtest.FaultThrottle}})
}

// The default limiter is adaptive: a throttle spaces the key's next
// requests wider than 1/20 s, and leaves other keys alone.
func TestDefaultLimiterSlowsDownAfterAThrottle(t *testing.T) {
	const other = "ap-shanghai"
	inBubble(t, []flowlogtest.Option{flowlogtest.WithTencentRateLimit(0)}, nil, func(t *testing.T, b *bubble) {
		b.srv.AddTencentRegion(other)
		for range 3 {
			assert.False(t, b.describe(t, flowlogtest.DefaultTencentRegion))
		}
		assert.Equal(t, []time.Duration{time.Second/20 + time.Microsecond, time.Second/20 + time.Microsecond}, b.lastGaps(2),
			"20 per second at first")
		throttleNext(b.srv)
		require.True(t, b.describe(t, flowlogtest.DefaultTencentRegion))
		for range 2 {
			assert.False(t, b.describe(t, flowlogtest.DefaultTencentRegion))
		}
		for _, gap := range b.lastGaps(2) {
			assert.Greater(t, gap, time.Second/15, "fewer than 15 per second after the throttle")
		}
		start := time.Now()
		assert.False(t, b.describe(t, other))
		assert.False(t, b.describe(t, other))
		assert.Equal(t, time.Second/20+time.Microsecond, time.Since(start), "another region keeps 20 per second")
	})
}

// An adaptive limiter given with WithLimiter learns from the server's
// answers: a throttle lowers the key's rate to 0.7 of what was sent, and
// the successes after it raise it back along the cubic curve, to the
// maximum after K = ∛(20·0.3/0.4) ≈ 2.47 s.
func TestAdaptiveLimiterFollowsTheServer(t *testing.T) {
	inBubble(t, []flowlogtest.Option{flowlogtest.WithTencentRateLimit(0)}, nil, func(t *testing.T, b *bubble) {
		lim := ratelimit.NewAdaptive(tencent.DefaultRateLimit) // in the bubble: its clock is fake
		p := newProvider(t, b.srv, tencent.WithHTTPTransport(b.stamp), tencent.WithLimiter(lim))
		key := ratelimit.Key{Provider: tencent.Name, Region: flowlogtest.DefaultTencentRegion, Action: "DescribeFlowLogs"}
		describe := func() error {
			_, err := p.Describe(context.Background(), key.Region, []string{"fl-aaaaaaaa"})
			return err
		}

		require.NoError(t, describe())
		assert.Equal(t, 20.0, lim.Rate(key))
		throttleNext(b.srv)
		require.ErrorIs(t, describe(), flowlog.ErrThrottled)
		assert.InDelta(t, 14, lim.Rate(key), 1e-9, "0.7 times the 20 per second sent")
		assert.Equal(t, 20.0, lim.Rate(ratelimit.Key{Provider: tencent.Name, Region: key.Region, Action: "CreateFlowLog"}),
			"another action keeps its rate")

		throttledAt := time.Now()
		var climbing []float64
		for time.Since(throttledAt) < 2500*time.Millisecond {
			require.NoError(t, describe())
			climbing = append(climbing, lim.Rate(key))
		}
		assert.IsNonDecreasing(t, climbing)
		assert.Greater(t, climbing[0], 14.0, "the first success raises it")
		assert.Less(t, climbing[0], 20.0)
		assert.Equal(t, 20.0, lim.Rate(key), "back at the maximum after K")
	})
}

// countingLimiter admits every request at once and counts them.
type countingLimiter struct{ n atomic.Int32 }

func (l *countingLimiter) Wait(context.Context, ratelimit.Key) error { l.n.Add(1); return nil }

func TestTheLastLimitOptionWins(t *testing.T) {
	srv := flowlogtest.NewServer(flowlogtest.WithTencentRateLimit(0))
	defer srv.Close()
	lim := &countingLimiter{}
	for _, tt := range []struct {
		opts  []tencent.Option
		asked int
	}{
		{[]tencent.Option{tencent.WithLimiter(lim), tencent.WithRateLimit(0)}, 0},
		{[]tencent.Option{tencent.WithRateLimit(0), tencent.WithLimiter(lim)}, 1},
		{[]tencent.Option{tencent.WithLimiter(lim), tencent.WithLimiter(nil)}, 0},
	} {
		p := newProvider(t, srv, tt.opts...)
		_, err := p.Describe(context.Background(), flowlogtest.DefaultTencentRegion, []string{"fl-aaaaaaaa"})
		require.NoError(t, err)
		assert.Equal(t, int32(tt.asked), lim.n.Swap(0))
	}
}

func ExampleWithLimiter() {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	// Two adapters of one account, in two parts of a program, keep under
	// the account's 20 requests per second of each action together, and
	// slow down together when it throttles.
	limiter := ratelimit.NewAdaptive(tencent.DefaultRateLimit)
	for _, part := range []string{"inventory", "cleanup"} {
		p, err := tencent.New(tencent.WithLimiter(limiter), tencent.WithEndpoint(srv.URL),
			tencent.WithSecretKey(flowlogtest.DefaultTencentSecretID, flowlogtest.DefaultTencentSecretKey))
		if err != nil {
			fmt.Println(err)
			return
		}
		fls, err := p.Describe(context.Background(), flowlogtest.DefaultTencentRegion, []string{"fl-aaaaaaaa"})
		fmt.Println(part, len(fls), err)
	}
	fmt.Println(limiter.Rate(ratelimit.Key{Provider: tencent.Name, Region: flowlogtest.DefaultTencentRegion, Action: "DescribeFlowLogs"}))
	// Output:
	// inventory 0 <nil>
	// cleanup 0 <nil>
	// 20
}
