// Command quickstart creates one flow log on each provider (Alibaba Cloud VPC,
// Alibaba Cloud CEN and Tencent Cloud VPC) from provider-neutral specs, waits
// until each is active, prints what happened as a table and deletes them
// again.
//
// With no flags it starts the flowlogtest emulator in-process, so it runs on
// any machine:
//
//	go run ./examples/quickstart
//
// With -live it talks to the real clouds, never to the emulator, with
// credentials from each SDK's default chain (ALIBABA_CLOUD_ACCESS_KEY_ID and
// ALIBABA_CLOUD_ACCESS_KEY_SECRET; TENCENTCLOUD_SECRET_ID and
// TENCENTCLOUD_SECRET_KEY; or profile files and instance roles). Name real
// resources with the flags, and pick providers with -providers:
//
//	go run ./examples/quickstart -live -providers aliyun \
//	    -region cn-hangzhou -eni eni-xxxx -project my-project -logstore my-logstore
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cloudflowlog/flowlog-go/aliyun"
	"github.com/cloudflowlog/flowlog-go/cbn"
	"github.com/cloudflowlog/flowlog-go/examples/internal/setup"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/tencent"
)

type config struct {
	setup.Config // with the Alibaba Cloud region and SLS logstore (aliyun, cbn)
	providers    string

	// Alibaba Cloud (VPC and CEN).
	eni, cen, attachment string
	// Tencent Cloud.
	tcRegion, tcVPC, tcENI, clsTopic string
}

func defaults() config {
	return config{
		Config:    setup.Defaults(5 * time.Minute),
		providers: "aliyun,cbn,tencent",
		eni:       flowlogtest.DefaultNetworkInterfaceID,
		cen:       flowlogtest.DefaultCENID, attachment: flowlogtest.DefaultTransitRouterAttachmentID,
		tcRegion: flowlogtest.DefaultTencentRegion, tcVPC: flowlogtest.DefaultTencentVPCID,
		tcENI: flowlogtest.DefaultTencentNetworkInterfaceID, clsTopic: flowlogtest.DefaultCLSTopicID,
	}
}

func main() {
	cfg := defaults()
	cfg.Flags(flag.CommandLine, "the real clouds", "the flow logs")
	flag.StringVar(&cfg.providers, "providers", cfg.providers, "comma-separated providers to run: aliyun, cbn, tencent")
	flag.StringVar(&cfg.eni, "eni", cfg.eni, "Alibaba Cloud network interface to capture (aliyun)")
	flag.StringVar(&cfg.cen, "cen", cfg.cen, "CEN instance ID (cbn)")
	flag.StringVar(&cfg.attachment, "attachment", cfg.attachment, "transit router attachment to capture (cbn)")
	flag.StringVar(&cfg.tcRegion, "tc-region", cfg.tcRegion, "Tencent Cloud region (tencent)")
	flag.StringVar(&cfg.tcVPC, "tc-vpc", cfg.tcVPC, "Tencent Cloud VPC of the network interface (tencent)")
	flag.StringVar(&cfg.tcENI, "tc-eni", cfg.tcENI, "Tencent Cloud network interface to capture (tencent)")
	flag.StringVar(&cfg.clsTopic, "cls-topic", cfg.clsTopic, "CLS topic receiving the records (tencent)")
	flag.Parse()
	setup.Main("quickstart", cfg.Timeout, func(ctx context.Context) error {
		return run(ctx, cfg, os.Stdout)
	})
}

// job is one provider's part of the run.
type job struct {
	client *flowlog.Client
	spec   flowlog.FlowLogSpec
}

func run(ctx context.Context, cfg config, out io.Writer) error {
	env := setup.Start(cfg.Config, out, "clouds")
	defer env.Close()

	var jobs []job
	for _, name := range strings.Split(cfg.providers, ",") {
		var p driver.Provider
		var err error
		var spec flowlog.FlowLogSpec
		switch strings.TrimSpace(name) {
		case "aliyun":
			p, err = aliyun.New(env.AliyunOptions...)
			spec = flowlog.FlowLogSpec{
				Region:              cfg.Region,
				Resource:            flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: cfg.eni},
				TrafficType:         flowlog.TrafficAll,
				Destination:         flowlog.Destination{SLS: &flowlog.SLSDestination{Project: cfg.Project, LogStore: cfg.LogStore}},
				AggregationInterval: time.Minute,
			}
		case "cbn":
			p, err = cbn.New(env.CBNOptions...)
			spec = flowlog.FlowLogSpec{
				Region:              cfg.Region,
				Resource:            flowlog.Resource{Kind: flowlog.ResourceTransitRouterAttachment, ID: cfg.attachment, NetworkID: cfg.cen},
				Destination:         flowlog.Destination{SLS: &flowlog.SLSDestination{Project: cfg.Project, LogStore: cfg.LogStore}},
				AggregationInterval: 10 * time.Minute,
			}
		case "tencent":
			p, err = tencent.New(env.TencentOptions...)
			spec = flowlog.FlowLogSpec{
				Region:      cfg.tcRegion,
				Resource:    flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: cfg.tcENI, NetworkID: cfg.tcVPC},
				TrafficType: flowlog.TrafficAll,
				Destination: flowlog.Destination{CLS: &flowlog.CLSDestination{TopicID: cfg.clsTopic}},
			}
		default:
			return fmt.Errorf("unknown provider %q (want aliyun, cbn or tencent)", name)
		}
		if err != nil {
			return err
		}
		spec.Name = "quickstart"
		spec.Description = "created by flowlog-go quickstart"
		spec.Tags = map[string]string{"created-by": "flowlog-go"}
		c := flowlog.NewClient(p, env.ClientOptions...)
		defer c.Close()
		jobs = append(jobs, job{client: c, spec: spec})
	}

	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PROVIDER\tFLOW LOG\tSTATES SEEN\tTIME TO ACTIVE")
	var created []*flowlog.FlowLog
	var failed error
	for _, j := range jobs {
		fl, states, elapsed, err := createAndWait(ctx, j)
		if fl != nil {
			created = append(created, fl)
		}
		if err != nil {
			fmt.Fprintf(tw, "%s\t-\t%s\t%v\n", j.client.Provider(), strings.Join(states, " -> "), err)
			failed = err
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", j.client.Provider(), fl.ID, strings.Join(states, " -> "), elapsed.Round(time.Millisecond))
	}
	tw.Flush()

	if cfg.Keep {
		fmt.Fprintln(out, "kept (-keep)")
		return failed
	}
	for i, fl := range created {
		c := jobs[i].client
		if err := c.Delete(ctx, fl.Region, fl.ID); err != nil {
			return fmt.Errorf("delete %s: %w", fl.ID, err)
		}
		fmt.Fprintf(out, "deleted %s %s\n", c.Provider(), fl.ID)
	}
	return failed
}

// createAndWait creates one flow log and waits until it is active, noting
// each state it passes through.
func createAndWait(ctx context.Context, j job) (*flowlog.FlowLog, []string, time.Duration, error) {
	start := time.Now()
	fl, err := j.client.Create(ctx, j.spec)
	if err != nil {
		return nil, nil, 0, err
	}
	// An asynchronous create answers with an ID only; its first state comes
	// from the first poll.
	var states []string
	note := func(f *flowlog.FlowLog) {
		if s := describe(f); f.RawStatus != "" && (len(states) == 0 || s != states[len(states)-1]) {
			states = append(states, s)
		}
	}
	note(fl)
	active, err := j.client.Wait(ctx, j.spec.Region, fl.ID, flowlog.OnStatus(note))
	if err != nil {
		return fl, states, 0, err
	}
	return active, states, time.Since(start), nil
}

func describe(fl *flowlog.FlowLog) string {
	return fl.Status.String() + "(" + fl.RawStatus + ")"
}
