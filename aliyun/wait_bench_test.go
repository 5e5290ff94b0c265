package aliyun_test

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudflowlog/flowlog-go/aliyun"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/internal/backoff"
)

// The poller benchmarks run real waits against the emulator on loopback.
// Reproduce the README's figures with:
//
//	go test -run '^$' -bench 'Wait' -benchtime 1x ./aliyun/

const (
	benchMinDelay = 100 * time.Millisecond
	benchMaxDelay = time.Second
	// Flow logs activate at uniformly random times between benchActivation
	// and benchActivation+benchSpread after their creation: real ones stay
	// Activating for a while before the first can be active.
	benchActivation = 2 * time.Second
	benchSpread     = 4 * time.Second
)

// fleetServer starts an emulator holding n new flow logs that activate at
// random times, and returns their IDs.
func fleetServer(b *testing.B, n int) (*flowlogtest.Server, *aliyun.Provider, []string) {
	b.Helper()
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(benchActivation), flowlogtest.WithActivationJitter(benchSpread))
	b.Cleanup(srv.Close)
	enis := srv.AddNetworkInterfaces(flowlogtest.DefaultRegion, flowlogtest.DefaultVPCID, flowlogtest.DefaultVSwitchID, n)
	p, err := aliyun.New(aliyun.WithEndpoint(srv.URL),
		aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	if err != nil {
		b.Fatal(err)
	}
	c := flowlog.NewClient(p)
	defer c.Close()
	ids := make([]string, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 32)
	for i, eni := range enis {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			fl, err := c.Create(context.Background(), eniSpec(eni))
			if err != nil {
				b.Error(err)
				return
			}
			ids[i] = fl.ID
		})
	}
	wg.Wait()
	if b.Failed() {
		b.FailNow()
	}
	return srv, p, ids
}

// lateness returns how long after its activation each wait returned, the
// worst of them.
func lateness(srv *flowlogtest.Server, returned map[string]time.Time) time.Duration {
	var worst time.Duration
	for _, fl := range srv.VPCFlowLogs() {
		if at, ok := returned[fl.FlowLogID]; ok {
			worst = max(worst, at.Sub(fl.ActivatedAt))
		}
	}
	return worst
}

// BenchmarkWait1000 compares, in one run, the describe calls that 1,000
// concurrent waits cost through the shared poller with what one polling loop
// per flow log costs at the same delays.
func BenchmarkWait1000(b *testing.B) {
	const n = 1000
	var shared, looped int
	var sharedLate, loopedLate time.Duration
	for b.Loop() {
		srv, p, ids := fleetServer(b, n)
		before := srv.Calls("DescribeFlowLogs")
		c := flowlog.NewClient(p, flowlog.WithWaitDefaults(flowlog.PollDelay(benchMinDelay, benchMaxDelay)))
		returned := map[string]time.Time{}
		for r := range c.WaitAll(context.Background(), flowlogtest.DefaultRegion, ids) {
			if r.Err != nil {
				b.Fatal(r.Err)
			}
			returned[r.ID] = time.Now()
		}
		c.Close()
		shared = srv.Calls("DescribeFlowLogs") - before
		sharedLate = lateness(srv, returned)

		srv, p, ids = fleetServer(b, n)
		before = srv.Calls("DescribeFlowLogs")
		returned = pollEach(b, p, ids)
		looped = srv.Calls("DescribeFlowLogs") - before
		loopedLate = lateness(srv, returned)
	}
	b.ReportMetric(float64(shared), "shared-calls")
	b.ReportMetric(float64(looped), "loop-calls")
	b.ReportMetric(float64(looped)/float64(shared), "fewer-x")
	b.ReportMetric(float64(sharedLate.Milliseconds()), "shared-worst-late-ms")
	b.ReportMetric(float64(loopedLate.Milliseconds()), "loop-worst-late-ms")
	if sharedLate > benchMaxDelay {
		b.Errorf("a wait returned %v after its activation; the bound is one maximum poll delay (%v)", sharedLate, benchMaxDelay)
	}
	if ratio := float64(looped) / float64(shared); ratio < 20 {
		b.Errorf("the shared poller made %d describe calls, one loop per flow log %d: %.1fx fewer, the target is 20x", shared, looped, ratio)
	}
}

// pollEach is the baseline: one loop per flow log, each describing its own
// ID with the same jittered backoff as the poller, timed the same way.
func pollEach(b *testing.B, p *aliyun.Provider, ids []string) map[string]time.Time {
	var mu sync.Mutex
	returned := map[string]time.Time{}
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Go(func() {
			for attempt := 0; ; attempt++ {
				start := time.Now()
				fls, err := p.Describe(context.Background(), flowlogtest.DefaultRegion, []string{id})
				if err != nil {
					b.Error(err)
					return
				}
				if len(fls) == 1 && fls[0].Status == flowlog.StatusActive {
					mu.Lock()
					returned[id] = time.Now()
					mu.Unlock()
					return
				}
				// Like the poller, count the delay from the start of the call.
				time.Sleep(time.Until(start.Add(backoff.Exponential(attempt, benchMinDelay, benchMaxDelay))))
			}
		})
	}
	wg.Wait()
	return returned
}

// BenchmarkWait10000Memory holds 10,000 concurrent waits and reports the
// heap they take and the goroutines alive while they wait.
func BenchmarkWait10000Memory(b *testing.B) {
	const n = 10000
	var heapMiB float64
	var goroutines, pollerGoroutines int
	for b.Loop() {
		srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(time.Hour))
		p, err := aliyun.New(aliyun.WithEndpoint(srv.URL),
			aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
		if err != nil {
			b.Fatal(err)
		}
		ids := make([]string, n)
		for i := range ids {
			// Unknown IDs stay "not found yet" for the whole grace period:
			// the waits are held without filling the emulator.
			ids[i] = fmt.Sprintf("fl-bench%013d", i)
		}
		c := flowlog.NewClient(p, flowlog.WithWaitDefaults(
			flowlog.PollDelay(time.Second, 5*time.Second), flowlog.NotFoundGrace(time.Hour)))
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		base := runtime.NumGoroutine() // the emulator's and the test's own

		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan int)
		go func() {
			count := 0
			for range c.WaitAll(ctx, flowlogtest.DefaultRegion, ids) {
				count++
			}
			done <- count
		}()
		time.Sleep(1500 * time.Millisecond) // a few polls
		runtime.GC()
		var during runtime.MemStats
		runtime.ReadMemStats(&during)
		goroutines = runtime.NumGoroutine() - base
		pollerGoroutines = countGoroutines("(*poller).run")
		heapMiB = float64(during.HeapAlloc-before.HeapAlloc) / (1 << 20)
		cancel()
		if got := <-done; got != n {
			b.Fatalf("WaitAll yielded %d results, want %d", got, n)
		}
		c.Close()
		srv.Close()
	}
	b.ReportMetric(heapMiB, "heap-MiB")
	b.ReportMetric(float64(goroutines), "goroutines-added")
	b.ReportMetric(float64(pollerGoroutines), "poller-goroutines")
	if heapMiB >= 64 {
		b.Errorf("10,000 waits hold %.1f MiB; the target is under 64", heapMiB)
	}
}

// countGoroutines counts the goroutines whose stack shows fn.
func countGoroutines(fn string) int {
	var buf bytes.Buffer
	_ = pprof.Lookup("goroutine").WriteTo(&buf, 1)
	n := 0
	for _, block := range strings.Split(buf.String(), "\n\n") {
		if strings.Contains(block, fn) {
			// With debug=1 identical stacks are grouped: "N @ 0x...".
			var count int
			if _, err := fmt.Sscanf(block, "%d @", &count); err == nil {
				n += count
			}
		}
	}
	return n
}
