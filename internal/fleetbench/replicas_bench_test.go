package fleetbench

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/flowlog/ratelimit"
	"github.com/cloudflowlog/flowlog-go/flowlog/ratelimit/redislimit"
	"github.com/cloudflowlog/flowlog-go/internal/testkit"
	"github.com/cloudflowlog/flowlog-go/tencent"
)

// replicaRun is what one run of several replicas creating on one account
// measured.
type replicaRun struct {
	rate          float64 // accepted creates per second, over the limit
	toCallers     int     // ErrThrottled results the replicas' callers saw
	serverRefused int     // create requests the server refused as throttled
	sent          int     // create requests sent in all
}

// runReplicas has replicas Tencent clients, each with its own adapter and
// the limiter newLimiter gives it (nil: the adapter's default, adaptive),
// create perReplica flow logs each with CreateAll on one account that the
// emulator holds to limit CreateFlowLog requests per second.
func runReplicas(tb testing.TB, replicas, perReplica, limit int, newLimiter func() ratelimit.Limiter) replicaRun {
	srv := flowlogtest.NewServer(flowlogtest.WithTencentRateLimit(limit), flowlogtest.WithActivationDelay(time.Millisecond),
		flowlogtest.WithTencentFlowLogQuota(replicas*perReplica+10))
	defer srv.Close()
	rt := &actions{next: http.DefaultTransport.(*http.Transport).Clone()}
	enis := srv.AddTencentNetworkInterfaces(flowlogtest.DefaultTencentRegion, flowlogtest.DefaultTencentVPCID, replicas*perReplica)
	var wg sync.WaitGroup
	results := make([][]flowlog.BulkResult, replicas)
	start := time.Now()
	for r := range replicas {
		opts := []tencent.Option{tencent.WithEndpoint(srv.URL), tencent.WithHTTPTransport(rt),
			tencent.WithSecretKey(flowlogtest.DefaultTencentSecretID, flowlogtest.DefaultTencentSecretKey)}
		if newLimiter != nil {
			opts = append(opts, tencent.WithLimiter(newLimiter()))
		}
		p, err := tencent.New(opts...)
		if err != nil {
			tb.Fatal(err)
		}
		c := flowlog.NewClient(p, flowlog.WithWaitDefaults(flowlog.PollDelay(time.Millisecond, 20*time.Millisecond)))
		defer c.Close()
		var specs []flowlog.FlowLogSpec
		for _, eni := range enis[r*perReplica : (r+1)*perReplica] {
			specs = append(specs, flowlog.FlowLogSpec{Region: flowlogtest.DefaultTencentRegion, Name: "replica",
				Resource:    flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: eni, NetworkID: flowlogtest.DefaultTencentVPCID},
				Destination: flowlog.Destination{CLS: &flowlog.CLSDestination{TopicID: flowlogtest.DefaultCLSTopicID}}})
		}
		wg.Go(func() { results[r] = c.CreateAll(context.Background(), specs, flowlog.Concurrency(20)) })
	}
	wg.Wait()
	elapsed := time.Since(start)

	var run replicaRun
	for _, rs := range results {
		for _, res := range rs {
			switch {
			case errors.Is(res.Err, flowlog.ErrThrottled):
				run.toCallers++
			case res.Err != nil:
				tb.Errorf("%s: %v", res.Spec.Resource.ID, res.Err)
			}
		}
	}
	run.sent, _ = rt.since(0, "CreateFlowLog", "")
	accepted := srv.Calls("Tencent.CreateFlowLog")
	run.serverRefused = run.sent - accepted
	// n creates spaced 1/limit apart span (n-1)/limit seconds.
	run.rate = float64(accepted-1) / elapsed.Seconds() / float64(limit)
	return run
}

func (r replicaRun) report(b *testing.B) {
	b.ReportMetric(r.rate, "rate/limit")
	b.ReportMetric(float64(r.toCallers), "throttles-to-callers")
	b.ReportMetric(float64(r.serverRefused), "server-throttled")
	b.ReportMetric(100*float64(r.serverRefused)/float64(r.sent), "server-throttled-%")
}

// BenchmarkReplicas has 3 replicas create 100 Tencent flow logs each on one
// account held to 20 CreateFlowLog requests per second. With the adaptive
// limiter alone (the adapter's default) the replicas slow down on throttles
// without coordination: no throttle may reach a caller and the aggregate
// must reach 0.80 of the limit. With one Redis limiter for the account they
// share the budget: at least 0.95 of the limit, at most 1% of requests
// throttled by the server.
//
//	go test -run '^$' -bench Replicas -benchtime 1x ./internal/fleetbench/
func BenchmarkReplicas(b *testing.B) {
	const replicas, perReplica, limit = 3, 100, 20
	b.Run("adaptive", func(b *testing.B) {
		var run replicaRun
		for b.Loop() {
			run = runReplicas(b, replicas, perReplica, limit, nil)
		}
		run.report(b)
		if run.toCallers > 0 || run.rate < 0.80 {
			b.Errorf("%d throttles reached callers (want 0), %.3f of the limit (want at least 0.80)", run.toCallers, run.rate)
		}
	})
	b.Run("redis", func(b *testing.B) {
		rdb := redis.NewClient(&redis.Options{Addr: testkit.RedisAddr(b), ContextTimeoutEnabled: true, MaxRetries: -1})
		defer rdb.Close()
		var run replicaRun
		for i := 0; b.Loop(); i++ {
			ns := fmt.Sprintf("%s-%d", testkit.RedisNamespace(b), i)
			run = runReplicas(b, replicas, perReplica, limit, func() ratelimit.Limiter {
				return redislimit.New(rdb, limit, redislimit.WithNamespace(ns))
			})
		}
		run.report(b)
		if pct := float64(run.serverRefused) / float64(run.sent); run.toCallers > 0 || run.rate < 0.95 || pct > 0.01 {
			b.Errorf("%d throttles reached callers (want 0), %.3f of the limit (want at least 0.95), %.1f%% throttled by the server (want at most 1%%)",
				run.toCallers, run.rate, 100*pct)
		}
	})
}
