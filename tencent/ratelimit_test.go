package tencent_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/tencent"
)

// describeConcurrently makes n concurrent DescribeFlowLogs calls through an
// adapter built with opts against an emulator that allows 20 requests per
// second, and returns how many were throttled.
//
// It runs in a synctest bubble so that timing is exact: the adapter's rate
// limiter waits in fake time, and the emulator's clock reads the fake time
// at which each request left the adapter's stack. The emulator itself runs
// outside the bubble, on loopback; keep-alives are off so that no idle
// connection goroutine stays blocked on the network inside the bubble, and
// fake time stands still while a request is on the wire. So the emulator
// sees exactly the instants the limiter chose, however slow the machine.
func describeConcurrently(t *testing.T, n int, opts ...tencent.Option) (throttled int) {
	var clock atomic.Pointer[time.Time]
	srv := flowlogtest.NewServer(flowlogtest.WithTencentRateLimit(20),
		flowlogtest.WithClock(func() time.Time { return *clock.Load() }))
	defer srv.Close()

	synctest.Test(t, func(t *testing.T) {
		now := time.Now()
		clock.Store(&now)
		base := http.DefaultTransport.(*http.Transport).Clone()
		base.DisableKeepAlives = true
		stamp := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			now := time.Now()
			clock.Store(&now)
			return base.RoundTrip(r)
		})
		p := newProvider(t, srv, append([]tencent.Option{tencent.WithHTTPTransport(stamp)}, opts...)...)

		var mu sync.Mutex
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				_, err := p.Describe(context.Background(), flowlogtest.DefaultTencentRegion, []string{"fl-aaaaaaaa"})
				var fe *driver.Error
				if errors.As(err, &fe) && fe.ProviderCode == "RequestLimitExceeded" {
					mu.Lock()
					throttled++
					mu.Unlock()
					return
				}
				assert.NoError(t, err)
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
