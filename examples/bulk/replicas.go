package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/cloudflowlog/flowlog-go/aliyun"
	"github.com/cloudflowlog/flowlog-go/examples/internal/setup"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/ratelimit/redislimit"
)

// fleet is the replicas of a service, each with its own adapter and client,
// as separate processes would have them. With more than one they share one
// account's rate limit and retry budget in Redis.
type fleet struct {
	clients []*flowlog.Client
	close   []func()
}

// redisNamespace is the account scope of this example's Redis keys.
const redisNamespace = "flowlog-go-examples-bulk"

// newFleet makes cfg.replicas clients. With -otel every client traces to
// out. With -replicas above 1 every adapter takes its CreateFlowLog (and
// other) slots from one Redis limiter of cfg.rate per second, and every
// client spends one Redis retry budget.
func newFleet(cfg config, env *setup.Env, out io.Writer) (*fleet, error) {
	f := &fleet{}
	var opts []flowlog.Option
	if cfg.otel {
		exp, err := stdouttrace.New(stdouttrace.WithWriter(out))
		if err != nil {
			return nil, err
		}
		tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
		f.close = append(f.close, func() { _ = tp.Shutdown(context.Background()) })
		opts = append(opts, flowlog.WithTracerProvider(tp))
	}
	var rdb *redis.Client
	if cfg.replicas > 1 {
		rdb = redis.NewClient(&redis.Options{Addr: cfg.redisAddr, ContextTimeoutEnabled: true, MaxRetries: -1,
			DialTimeout: 250 * time.Millisecond, ReadTimeout: 250 * time.Millisecond, DialerRetries: 1})
		f.close = append(f.close, func() { _ = rdb.Close() })
		fmt.Fprintf(out, "replicas: %d clients sharing %.0f requests/s per action through Redis at %s\n", cfg.replicas, cfg.rate, cfg.redisAddr)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	for range max(cfg.replicas, 1) {
		aopts := env.AliyunOptions
		copts := append(append([]flowlog.Option{}, env.ClientOptions...), opts...)
		if rdb != nil {
			// What each replica's process would do: its own limiter and
			// budget objects, over the same keys.
			lim := redislimit.New(rdb, cfg.rate, redislimit.WithNamespace(redisNamespace), redislimit.WithLogger(log))
			budget := redislimit.NewBudget(rdb, 500, redislimit.WithNamespace(redisNamespace), redislimit.WithLogger(log))
			aopts = append(append([]aliyun.Option{}, aopts...), aliyun.WithLimiter(lim))
			copts = append(copts, flowlog.WithRetry(flowlog.SharedRetryBudget(budget)))
		}
		p, err := aliyun.New(aopts...)
		if err != nil {
			f.Close()
			return nil, err
		}
		c := flowlog.NewClient(p, copts...)
		f.clients = append(f.clients, c)
		f.close = append([]func(){func() { _ = c.Close() }}, f.close...)
	}
	return f, nil
}

// Close closes the clients, then Redis and the tracer.
func (f *fleet) Close() {
	for _, c := range f.close {
		c()
	}
}

// ensureAll gives each replica an equal share of specs, runs the shares at
// the same time, and returns the results in the order of specs. progress
// gets the sum of the replicas' progress, one call at a time.
func (f *fleet) ensureAll(ctx context.Context, specs []flowlog.FlowLogSpec, concurrency int, progress func(flowlog.Progress)) []flowlog.BulkResult {
	n := len(f.clients)
	results := make([]flowlog.BulkResult, len(specs))
	var mu sync.Mutex
	last := make([]flowlog.Progress, n)
	var wg sync.WaitGroup
	for r, c := range f.clients {
		lo, hi := r*len(specs)/n, (r+1)*len(specs)/n
		wg.Go(func() {
			share := c.EnsureAll(ctx, specs[lo:hi], flowlog.Concurrency(concurrency),
				flowlog.OnProgress(func(p flowlog.Progress) {
					mu.Lock()
					defer mu.Unlock()
					last[r] = p
					var sum flowlog.Progress
					for _, q := range last {
						sum.Total += q.Total
						sum.Done += q.Done
						sum.Failed += q.Failed
						sum.Submitted += q.Submitted
					}
					sum.Total = len(specs)
					sum.Last = p.Last
					progress(sum)
				}))
			copy(results[lo:hi], share)
		})
	}
	wg.Wait()
	return results
}
