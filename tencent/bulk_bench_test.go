package tencent_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/tencent"
)

// BenchmarkBulkCreate200 creates 200 Tencent flow logs, 20 at a time, against
// an emulator that enforces the documented limit of 20 CreateFlowLog
// requests per second. It reports the create rate achieved as a fraction of
// the limit and the throttle errors that reached the caller. Reproduce with:
//
//	go test -run '^$' -bench BulkCreate -benchtime 1x ./tencent/
func BenchmarkBulkCreate200(b *testing.B) {
	const (
		n     = 200
		limit = 20.0
	)
	var fraction float64
	var throttled, retried int64
	for b.Loop() {
		srv := flowlogtest.NewServer(flowlogtest.WithTencentRateLimit(int(limit)))
		enis := srv.AddTencentNetworkInterfaces(flowlogtest.DefaultTencentRegion, flowlogtest.DefaultTencentVPCID, n)
		p, err := tencent.New(tencent.WithEndpoint(srv.URL), // the default client-side limit: 20/s
			tencent.WithSecretKey(flowlogtest.DefaultTencentSecretID, flowlogtest.DefaultTencentSecretKey))
		if err != nil {
			b.Fatal(err)
		}
		c := flowlog.NewClient(p)
		var wg sync.WaitGroup
		sem := make(chan struct{}, 20)
		var reached atomic.Int64
		start := time.Now()
		for _, eni := range enis {
			wg.Go(func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				_, err := c.Create(context.Background(), eniSpec(eni))
				if errors.Is(err, flowlog.ErrThrottled) {
					reached.Add(1)
				} else if err != nil {
					b.Error(err)
				}
			})
		}
		wg.Wait()
		elapsed := time.Since(start)
		// n requests spaced 1/limit apart span (n-1)/limit seconds.
		fraction = float64(n-1) / elapsed.Seconds() / limit
		throttled = reached.Load()
		retried = int64(srv.Calls("Tencent.CreateFlowLog")) - n
		c.Close()
		srv.Close()
	}
	b.ReportMetric(fraction, "rate/limit")
	b.ReportMetric(float64(throttled), "throttles-to-caller")
	b.ReportMetric(float64(retried), "creates-accepted-beyond-200")
	if fraction < 0.95 {
		b.Errorf("achieved %.3f of the limit, want at least 0.95", fraction)
	}
	if throttled > 0 {
		b.Errorf("%d throttle errors reached the caller, want 0", throttled)
	}
}
