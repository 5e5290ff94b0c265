package cbn_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/cbn"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/flowlog/ratelimit"
)

// recordingLimiter is a ratelimit.Limiter and Observer that admits every
// request at once and records what it is asked and told.
type recordingLimiter struct {
	mu       sync.Mutex
	waits    []ratelimit.Key
	observed []observation
}

type observation struct {
	key       ratelimit.Key
	throttled bool
}

func (l *recordingLimiter) Wait(_ context.Context, k ratelimit.Key) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.waits = append(l.waits, k)
	return nil
}

func (l *recordingLimiter) Observe(k ratelimit.Key, throttled bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.observed = append(l.observed, observation{k, throttled})
}

func (l *recordingLimiter) record() ([]ratelimit.Key, []observation) {
	l.mu.Lock()
	defer l.mu.Unlock()
	waits, observed := l.waits, l.observed
	l.waits, l.observed = nil, nil
	return waits, observed
}

func TestWithLimiterIsAskedOncePerRequest(t *testing.T) {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	lim := &recordingLimiter{}
	p := newProvider(t, srv, cbn.WithLimiter(lim))
	key := func(action string) ratelimit.Key {
		return ratelimit.Key{Provider: cbn.Name, Region: flowlogtest.DefaultRegion, Action: action}
	}

	spec := attachmentSpec(flowlogtest.DefaultTransitRouterAttachmentID)
	fl, err := p.Create(context.Background(), &spec)
	require.NoError(t, err)
	waits, observed := lim.record()
	assert.Equal(t, []ratelimit.Key{key("CreateFlowlog")}, waits)
	assert.Equal(t, []observation{{key("CreateFlowlog"), false}}, observed)

	_, err = p.Describe(context.Background(), fl.Region, []string{fl.ID})
	require.NoError(t, err)
	waits, observed = lim.record()
	assert.Equal(t, []ratelimit.Key{key("DescribeFlowlogs")}, waits)
	assert.Equal(t, []observation{{key("DescribeFlowlogs"), false}}, observed)

	srv.InjectFaults(flowlogtest.FaultRule{Action: "Cbn.DescribeFlowlogs", Count: 1,
		Kinds: []flowlogtest.FaultKind{flowlogtest.FaultThrottle}})
	_, err = p.Describe(context.Background(), fl.Region, []string{fl.ID})
	require.ErrorIs(t, err, flowlog.ErrThrottled)
	waits, observed = lim.record()
	assert.Equal(t, []ratelimit.Key{key("DescribeFlowlogs")}, waits)
	assert.Equal(t, []observation{{key("DescribeFlowlogs"), true}}, observed)

	// Any other failure is no throttle.
	srv.InjectFaults(flowlogtest.FaultRule{Action: "Cbn.DescribeFlowlogs", Count: 1,
		Kinds: []flowlogtest.FaultKind{flowlogtest.FaultServerError}})
	_, err = p.Describe(context.Background(), fl.Region, []string{fl.ID})
	require.ErrorIs(t, err, flowlog.ErrUnavailable)
	_, observed = lim.record()
	assert.Equal(t, []observation{{key("DescribeFlowlogs"), false}}, observed)
}

func TestTheLastLimitOptionWins(t *testing.T) {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	lim := &recordingLimiter{}
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
		waits, _ := lim.record()
		assert.Len(t, waits, tt.asked)
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
