package aliyun_test

import (
	"context"
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
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
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
