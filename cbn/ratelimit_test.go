package cbn_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/cbn"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/flowlog/ratelimit"
)

// countingLimiter admits every request at once and counts them.
type countingLimiter struct{ n atomic.Int32 }

func (l *countingLimiter) Wait(context.Context, ratelimit.Key) error { l.n.Add(1); return nil }

func TestTheLastLimitOptionWins(t *testing.T) {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	lim := &countingLimiter{}
	for _, tt := range []struct {
		opts  []cbn.Option
		asked int
	}{
		{[]cbn.Option{cbn.WithLimiter(lim), cbn.WithRateLimit(0)}, 0},
		{[]cbn.Option{cbn.WithRateLimit(0), cbn.WithLimiter(lim)}, 1},
		{[]cbn.Option{cbn.WithLimiter(lim), cbn.WithLimiter(nil)}, 0},
	} {
		p := newProvider(t, srv, tt.opts...)
		_, err := p.Describe(context.Background(), flowlogtest.DefaultRegion, []string{"fl-aaaaaaaa"})
		require.NoError(t, err)
		assert.Equal(t, int32(tt.asked), lim.n.Swap(0))
	}
}

// An adaptive limiter learns from Alibaba's throttling too.
func TestAdaptiveLimiterSlowsDownAfterAThrottle(t *testing.T) {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	lim := ratelimit.NewAdaptive(20)
	p := newProvider(t, srv, cbn.WithLimiter(lim))
	key := ratelimit.Key{Provider: cbn.Name, Region: flowlogtest.DefaultRegion, Action: "DescribeFlowlogs"}
	srv.InjectFaults(flowlogtest.FaultRule{Action: "Cbn.DescribeFlowlogs", Count: 1,
		Kinds: []flowlogtest.FaultKind{flowlogtest.FaultThrottle}})
	_, err := p.Describe(context.Background(), key.Region, []string{"fl-aaaaaaaa"})
	require.ErrorIs(t, err, flowlog.ErrThrottled)
	assert.Less(t, lim.Rate(key), 20.0)
	assert.Equal(t, 20.0, lim.Rate(ratelimit.Key{Provider: cbn.Name, Region: flowlogtest.DefaultRegion, Action: "CreateFlowlog"}))
}

func ExampleWithLimiter() {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	// Alibaba documents no limit for the flow-log APIs, but an account's
	// may be lower than the program's pace: an adaptive limiter starts at
	// 50 per second of each region and action, and slows down when the
	// server throttles.
	limiter := ratelimit.NewAdaptive(50)
	p, err := cbn.New(cbn.WithLimiter(limiter), cbn.WithEndpoint(srv.URL),
		cbn.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	if err != nil {
		fmt.Println(err)
		return
	}
	srv.InjectFaults(flowlogtest.FaultRule{Action: "DescribeFlowlogs", Count: 1, Kinds: []flowlogtest.FaultKind{flowlogtest.FaultThrottle}})
	_, err = p.Describe(context.Background(), flowlogtest.DefaultRegion, []string{"fl-aaaaaaaa"})
	fmt.Println(errors.Is(err, flowlog.ErrThrottled))
	fmt.Println(limiter.Rate(ratelimit.Key{Provider: cbn.Name, Region: flowlogtest.DefaultRegion, Action: "DescribeFlowlogs"}) < 50)
	// Output:
	// true
	// true
}
