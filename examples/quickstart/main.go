// Command quickstart creates an Alibaba Cloud VPC flow log from a
// provider-neutral spec, waits until it is active, prints what happened and
// deletes it again.
//
// With no flags it starts the flowlogtest emulator in-process, so it runs on
// any machine:
//
//	go run ./examples/quickstart
//
// With -live it talks to the real cloud, never to the emulator, with
// credentials from the SDK's default chain (for example the environment
// variables ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET):
//
//	go run ./examples/quickstart -live -region cn-hangzhou \
//	    -eni eni-xxxx -project my-project -logstore my-logstore
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/cloudflowlog/flowlog-go/aliyun"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
)

type config struct {
	live              bool
	region, eni       string
	project, logstore string
	endpoint          string
	keep              bool
	timeout           time.Duration
}

func main() {
	var cfg config
	flag.BoolVar(&cfg.live, "live", false, "use the real Alibaba Cloud API instead of the embedded emulator")
	flag.StringVar(&cfg.region, "region", flowlogtest.DefaultRegion, "region of the flow log")
	flag.StringVar(&cfg.eni, "eni", flowlogtest.DefaultNetworkInterfaceID, "ID of the network interface to capture")
	flag.StringVar(&cfg.project, "project", flowlogtest.DefaultSLSProject, "SLS project receiving the records")
	flag.StringVar(&cfg.logstore, "logstore", flowlogtest.DefaultSLSLogStore, "SLS logstore receiving the records")
	flag.StringVar(&cfg.endpoint, "endpoint", "", "API endpoint override with -live (default: the SDK's regional endpoint, HTTPS)")
	flag.BoolVar(&cfg.keep, "keep", false, "keep the flow log instead of deleting it at the end")
	flag.DurationVar(&cfg.timeout, "timeout", 5*time.Minute, "give up after this long")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()
	if err := run(ctx, cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg config, out io.Writer) error {
	opts := []aliyun.Option{}
	// The emulator activates in 50ms; poll it quickly. The real cloud takes
	// seconds to minutes, for which the client's defaults (2s..15s) fit.
	var waitOpts []flowlog.WaitOption
	if cfg.live {
		if cfg.endpoint != "" {
			opts = append(opts, aliyun.WithEndpoint(cfg.endpoint))
		}
		fmt.Fprintln(out, "mode: live Alibaba Cloud, credentials from the SDK's default chain")
	} else {
		srv := flowlogtest.NewServer()
		defer srv.Close()
		opts = append(opts,
			aliyun.WithEndpoint(srv.URL),
			aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
		waitOpts = append(waitOpts, flowlog.PollDelay(10*time.Millisecond, 100*time.Millisecond))
		fmt.Fprintln(out, "mode: embedded emulator at", srv.URL, "(use -live for the real cloud)")
	}

	p, err := aliyun.New(opts...)
	if err != nil {
		return err
	}
	client := flowlog.NewClient(p)
	defer client.Close()

	spec := flowlog.FlowLogSpec{
		Region:              cfg.region,
		Name:                "quickstart",
		Description:         "created by flowlog-go quickstart",
		Resource:            flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: cfg.eni},
		TrafficType:         flowlog.TrafficAll,
		Destination:         flowlog.Destination{SLS: &flowlog.SLSDestination{Project: cfg.project, LogStore: cfg.logstore}},
		AggregationInterval: time.Minute,
		Tags:                map[string]string{"created-by": "flowlog-go"},
	}

	start := time.Now()
	created, err := client.Create(ctx, spec)
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	states := []string{describe(created)}
	fmt.Fprintf(out, "created %s on %s (%s)\n", created.ID, spec.Resource.ID, describe(created))

	waitOpts = append(waitOpts, flowlog.OnStatus(func(fl *flowlog.FlowLog) {
		if s := describe(fl); s != states[len(states)-1] {
			states = append(states, s)
		}
	}))
	active, err := client.Wait(ctx, spec.Region, created.ID, waitOpts...)
	if err != nil {
		return fmt.Errorf("wait: %w", err)
	}
	elapsed := time.Since(start)

	fmt.Fprintf(out, "flow log:      %s\n", active.ID)
	fmt.Fprintf(out, "status:        %s (%s)\n", active.Status, active.RawStatus)
	fmt.Fprintf(out, "states seen:   %s\n", strings.Join(states, " -> "))
	fmt.Fprintf(out, "time to active: %s\n", elapsed.Round(time.Millisecond))

	if cfg.keep {
		fmt.Fprintln(out, "kept (-keep)")
		return nil
	}
	if err := client.Delete(ctx, spec.Region, active.ID); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	fmt.Fprintf(out, "deleted %s\n", active.ID)
	return nil
}

func describe(fl *flowlog.FlowLog) string {
	if fl.RawStatus == "" {
		return fl.Status.String()
	}
	return fl.Status.String() + "(" + fl.RawStatus + ")"
}
