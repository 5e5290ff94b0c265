// Command bulk turns on flow logs for many Alibaba Cloud network interfaces
// at once with Client.EnsureAll, showing a live progress bar, then prints a
// summary and (unless -keep) deletes them again.
//
// EnsureAll rather than CreateAll makes re-running safe: an ENI that already
// has this example's flow log is adopted, not created twice. EnsureAll first
// surveys the region in a few paged describe calls (not one per ENI), then
// creates only what is missing. Creates run 20
// at a time (-concurrency); the waits for activation cost no request of their
// own: they share the client's poller, which covers every pending flow log of
// the region with one paged describe call per poll.
//
// With no flags it starts the flowlogtest emulator in-process, seeds it with
// 200 ENIs and makes their flow logs activate after 200ms plus up to 1s of
// jitter, so the bar visibly moves:
//
//	go run ./examples/bulk
//
// With -replicas N the work is split between N clients, each with its own
// adapter, as N replicas of a service would have them; they share one rate
// limit per action (-rate, 20/s by default) and one retry budget in Redis
// (-redis, $FLOWLOG_REDIS_ADDR or 127.0.0.1:6379), and the summary prints
// the aggregate create rate and the throttle errors that reached callers:
//
//	go run ./examples/bulk -replicas 3 -rate 50
//
// With -otel every client prints its OpenTelemetry spans to stdout: an
// operation span per create, ensure, wait or delete, and a span per attempt.
//
// With -live it talks to the real Alibaba Cloud, never to the emulator, with
// credentials from the SDK's default chain (ALIBABA_CLOUD_ACCESS_KEY_ID and
// ALIBABA_CLOUD_ACCESS_KEY_SECRET, profile files or instance roles). Name the
// ENIs and the SLS destination with flags:
//
//	go run ./examples/bulk -live -region cn-hangzhou \
//	    -enis eni-aaaa,eni-bbbb -project my-project -logstore my-logstore
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/sync/errgroup"

	"github.com/cloudflowlog/flowlog-go/examples/internal/setup"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
)

// eniPurpose says what the network interfaces are for.
const eniPurpose = "the network interfaces to capture"

type config struct {
	setup.Config
	concurrency int

	// Emulator only.
	activationDelay  time.Duration // how long Activating (and Deleting) lasts
	activationJitter time.Duration // plus a random extra time in [0, jitter)
	progressThrottle time.Duration // minimum time between two renders of the bar

	replicas  int     // clients, as separate replicas of a service would have them
	redisAddr string  // the Redis the replicas share their limits in
	rate      float64 // the requests per second per action the replicas share
	otel      bool    // print the clients' spans to the output
}

func defaults() config {
	cfg := config{
		Config:           setup.Defaults(10 * time.Minute),
		concurrency:      20,
		activationDelay:  200 * time.Millisecond,
		activationJitter: time.Second,
		progressThrottle: 100 * time.Millisecond,
		replicas:         1,
		redisAddr:        "127.0.0.1:6379",
		rate:             20,
	}
	if addr := os.Getenv("FLOWLOG_REDIS_ADDR"); addr != "" {
		cfg.redisAddr = addr
	}
	cfg.Count = 200
	return cfg
}

func main() {
	cfg := defaults()
	cfg.Flags(flag.CommandLine, "the real Alibaba Cloud", "the flow logs")
	cfg.ENIFlags(flag.CommandLine, eniPurpose)
	flag.IntVar(&cfg.concurrency, "concurrency", cfg.concurrency, "creates (and deletes) in flight at once, per replica")
	flag.IntVar(&cfg.replicas, "replicas", cfg.replicas, "clients sharing the work, as replicas of a service would; above 1 they share one rate limit and retry budget in Redis")
	flag.StringVar(&cfg.redisAddr, "redis", cfg.redisAddr, "the Redis of -replicas (default $FLOWLOG_REDIS_ADDR or 127.0.0.1:6379)")
	flag.Float64Var(&cfg.rate, "rate", cfg.rate, "requests per second per action that the -replicas share")
	flag.BoolVar(&cfg.otel, "otel", cfg.otel, "print the clients' OpenTelemetry spans to stdout")
	flag.Parse()
	setup.Main("bulk", cfg.Timeout, func(ctx context.Context) error {
		_, err := run(ctx, cfg, os.Stdout)
		return err
	})
}

// summary is what a run did, for the caller (and the test) to check.
type summary struct {
	Total, Active, Failed int
	Errors                []error // the failures, in spec order
	Elapsed               time.Duration

	// Emulator mode only (-1 in live mode): DescribeFlowLogs calls during
	// EnsureAll, split into EnsureAll's survey of the region and the shared
	// poller's polls.
	DescribeCalls, SurveyCalls, PollerCalls int
	// Emulator mode with -replicas only: creates per second in aggregate,
	// until the last create was answered.
	CreateRate float64
	// Emulator mode only: flow logs on each ENI once EnsureAll returned,
	// and flow logs left on the server when run ends.
	FlowLogsPerENI map[string]int
	Remaining      int

	Deleted int // flow logs deleted at the end (0 with -keep)
}

func run(ctx context.Context, cfg config, out io.Writer) (summary, error) {
	// The bar and -otel's span exporter write from different goroutines.
	out = &lockedWriter{w: out}
	sum := summary{DescribeCalls: -1, SurveyCalls: -1, PollerCalls: -1, Remaining: -1}
	// In emulator mode the flow logs activate after about a second, at
	// spread-out times.
	env := setup.Start(cfg.Config, out, "Alibaba Cloud",
		flowlogtest.WithActivationDelay(cfg.activationDelay),
		flowlogtest.WithActivationJitter(cfg.activationJitter))
	defer env.Close()
	srv := env.Server // nil in live mode
	enis, err := env.ENIs(cfg.Config, eniPurpose)
	if err != nil {
		return sum, err
	}
	replicas, err := newFleet(cfg, env, out)
	if err != nil {
		return sum, err
	}
	defer replicas.Close()
	client := replicas.clients[0] // for the deletes at the end

	specs := make([]flowlog.FlowLogSpec, len(enis))
	for i, eni := range enis {
		specs[i] = flowlog.FlowLogSpec{
			Region:              cfg.Region,
			Name:                "bulk-" + eni,
			Description:         "created by flowlog-go examples/bulk",
			Resource:            flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: eni},
			TrafficType:         flowlog.TrafficAll,
			Destination:         flowlog.Destination{SLS: &flowlog.SLSDestination{Project: cfg.Project, LogStore: cfg.LogStore}},
			AggregationInterval: time.Minute,
			Tags:                map[string]string{"created-by": "flowlog-go-bulk"},
		}
	}

	// Enable: EnsureAll with a live progress bar.
	fmt.Fprintf(out, "enabling flow logs on %d network interfaces, %d at a time\n", len(specs), cfg.concurrency)
	describeBefore, createsBefore := 0, 0
	if srv != nil {
		describeBefore, createsBefore = srv.Calls("DescribeFlowLogs"), srv.Calls("CreateFlowLog")
	}
	bar := newBar(out, len(specs), "enabling", cfg.progressThrottle)
	// EnsureAll surveys the region before its first create is answered,
	// and no wait starts before the first progress report: the describe
	// calls by then are the survey's.
	surveyed := -1
	var submitted time.Duration // until the last create or adoption was answered
	start := time.Now()
	// The progress reports come one at a time, so the bar needs no lock
	// of its own. The description first, so the last render shows it.
	results := replicas.ensureAll(ctx, specs, cfg.concurrency, func(p flowlog.Progress) {
		if surveyed < 0 && srv != nil {
			surveyed = srv.Calls("DescribeFlowLogs") - describeBefore
		}
		if p.Submitted+p.Failed == p.Total && submitted == 0 {
			submitted = time.Since(start)
		}
		bar.Describe(fmt.Sprintf("enabling: %3d submitted, %d failed", p.Submitted, p.Failed))
		_ = bar.Set(p.Done)
	})
	sum.Elapsed = time.Since(start)
	finishBar(out, bar)

	var active []*flowlog.FlowLog
	sum.Total = len(results)
	for _, r := range results {
		if r.Err != nil {
			sum.Failed++
			sum.Errors = append(sum.Errors, fmt.Errorf("%s: %w", r.Spec.Resource.ID, r.Err))
			continue
		}
		active = append(active, r.FlowLog)
	}
	sum.Active = len(active)
	fmt.Fprintf(out, "summary: %d active, %d failed of %d in %s\n",
		sum.Active, sum.Failed, sum.Total, sum.Elapsed.Round(time.Millisecond))
	for i, err := range sum.Errors {
		if i == 3 {
			fmt.Fprintf(out, "  ... and %d more\n", len(sum.Errors)-i)
			break
		}
		fmt.Fprintln(out, "  failed:", err)
	}
	if srv != nil {
		sum.DescribeCalls = srv.Calls("DescribeFlowLogs") - describeBefore
		if cfg.replicas <= 1 {
			// The rest of the DescribeFlowLogs calls are the shared
			// poller's: each poll is one paged listing covering every flow
			// log still activating.
			sum.SurveyCalls = max(surveyed, 0)
			sum.PollerCalls = sum.DescribeCalls - sum.SurveyCalls
			fmt.Fprintf(out, "describe calls: %d DescribeFlowLogs = %d by EnsureAll's survey of the region + %d by the shared poller for %d waits\n",
				sum.DescribeCalls, sum.SurveyCalls, sum.PollerCalls, len(specs))
		} else {
			// Each replica surveys its share and has its own poller.
			fmt.Fprintf(out, "describe calls: %d DescribeFlowLogs by %d replicas' surveys and pollers for %d waits\n",
				sum.DescribeCalls, cfg.replicas, len(specs))
			creates := srv.Calls("CreateFlowLog") - createsBefore
			sum.CreateRate = float64(creates) / submitted.Seconds()
			fmt.Fprintf(out, "aggregate: %d creates in %s, %.1f/s (shared limit %.0f/s), %d throttle errors reached the callers\n",
				creates, submitted.Round(time.Millisecond), sum.CreateRate, cfg.rate, throttled(results))
		}
		sum.FlowLogsPerENI = make(map[string]int, len(enis))
		multi := 0
		for _, eni := range enis {
			n := len(srv.FlowLogsOn(eni))
			sum.FlowLogsPerENI[eni] = n
			if n != 1 {
				multi++
			}
		}
		fmt.Fprintf(out, "flow logs per ENI on the server: %d of %d ENIs have exactly one\n", len(enis)-multi, len(enis))
	} else {
		fmt.Fprintln(out, "describe calls: counted in emulator mode only")
	}

	var failed error
	if sum.Failed > 0 {
		failed = fmt.Errorf("%d of %d flow logs failed; first: %w", sum.Failed, sum.Total, sum.Errors[0])
	}
	if cfg.Keep {
		fmt.Fprintln(out, "kept (-keep)")
	} else {
		// Every flow log here matches this example's spec (name and
		// created-by tag): created now, or adopted from an earlier run
		// with -keep. Nothing else is deleted.
		n, err := deleteAll(ctx, client, active, cfg, out)
		sum.Deleted = n
		if err != nil {
			return sum, errors.Join(failed, err)
		}
	}
	if srv != nil {
		sum.Remaining = len(srv.VPCFlowLogs())
	}
	return sum, failed
}

// lockedWriter serializes the writes of several goroutines to w.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// throttled counts the results that failed with a throttle.
func throttled(results []flowlog.BulkResult) int {
	n := 0
	for _, r := range results {
		if errors.Is(r.Err, flowlog.ErrThrottled) {
			n++
		}
	}
	return n
}

// deleteAll deletes the flow logs, cfg.concurrency at a time, each Delete
// waiting (through the shared poller) until its flow log is gone. It
// returns how many were deleted and the first error.
func deleteAll(ctx context.Context, client *flowlog.Client, fls []*flowlog.FlowLog, cfg config, out io.Writer) (int, error) {
	if len(fls) == 0 {
		return 0, nil
	}
	start := time.Now()
	bar := newBar(out, len(fls), "deleting", cfg.progressThrottle)
	var mu sync.Mutex
	deleted, failed := 0, 0
	var g errgroup.Group
	g.SetLimit(max(cfg.concurrency, 1))
	for _, fl := range fls {
		g.Go(func() error {
			err := client.Delete(ctx, fl.Region, fl.ID)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failed++
			} else {
				deleted++
			}
			bar.Describe(fmt.Sprintf("deleting: %d failed", failed))
			_ = bar.Set(deleted + failed)
			if err != nil {
				return fmt.Errorf("delete %s: %w", fl.ID, err)
			}
			return nil
		})
	}
	err := g.Wait()
	finishBar(out, bar)
	fmt.Fprintf(out, "deleted %d flow logs in %s (%d failed)\n", deleted, time.Since(start).Round(time.Millisecond), failed)
	return deleted, err
}

// newBar returns a progress bar of total steps that writes to out. It does
// not need a terminal: the width is fixed (the library only narrows it when
// out is a terminal narrower than the line), there are no colours and no
// ANSI escapes (each render rewrites the line after a carriage return), and
// renders are throttled, so a file, a pipe or a test's buffer gets a few
// lines a second rather than one per step.
func newBar(out io.Writer, total int, description string, throttle time.Duration) *progressbar.ProgressBar {
	bar := progressbar.NewOptions(total,
		progressbar.OptionSetWriter(out),
		progressbar.OptionSetDescription(description),
		progressbar.OptionSetWidth(30),
		progressbar.OptionShowCount(),
		progressbar.OptionSetTheme(progressbar.ThemeASCII),
		progressbar.OptionEnableColorCodes(false),
		progressbar.OptionUseANSICodes(false),
		progressbar.OptionThrottle(throttle),
		progressbar.OptionSetRenderBlankState(true),
	)
	return bar
}

// finishBar ends the bar's line. The bar renders its final state itself
// when it reaches its total; a bar stopped short (a canceled run) is left
// as it was.
func finishBar(out io.Writer, bar *progressbar.ProgressBar) {
	_ = bar.Exit()
	fmt.Fprintln(out)
}
