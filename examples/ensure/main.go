// Command ensure is a reconcile loop: it holds a desired state (a flow log
// on each of a few Alibaba Cloud network interfaces) and makes the cloud
// match it with Client.EnsureAll, round after round. Each round prints, per
// resource, what EnsureAll did (BulkResult.Outcome): created, adopted (it
// was already there as desired), updated in place, replaced, or drift
// reported (a different flow log is on the resource and was left alone),
// and how many flow logs each resource has afterwards: always exactly one,
// however many rounds run.
//
// With no flags it starts the flowlogtest emulator in-process, desires flow
// logs on 5 ENIs and runs 2 rounds. The first creates 5. Between the rounds
// the desired state changes: the flow logs get a new description and a
// 5-minute interval. With the default drift policy (-drift update) the
// second round changes the 5 in place (ModifyFlowLogAttribute: same IDs, no
// gap in capture) and creates nothing. Before the last round someone "by
// hand" also puts a flow log with another name on a sixth ENI, which then
// joins the desired state; it does not carry this client's owner tag, so
// the round reports its drift and leaves it as it is, whatever the policy.
//
//	go run ./examples/ensure
//	go run ./examples/ensure -rounds 5
//	go run ./examples/ensure -drift report   # the change is only reported
//	go run ./examples/ensure -drift replace  # delete and create again
//
// With -live it talks to the real Alibaba Cloud, never to the emulator, with
// credentials from the SDK's default chain (ALIBABA_CLOUD_ACCESS_KEY_ID and
// ALIBABA_CLOUD_ACCESS_KEY_SECRET, profile files or instance roles). Name the
// desired ENIs and the SLS destination with flags; there is no hand-made
// drift in live mode:
//
//	go run ./examples/ensure -live -region cn-hangzhou \
//	    -enis eni-aaaa,eni-bbbb -project my-project -logstore my-logstore -keep
//
// At the end it deletes the flow logs this run created (never one it
// adopted or found drifted), unless -keep.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cloudflowlog/flowlog-go/aliyun"
	"github.com/cloudflowlog/flowlog-go/examples/internal/setup"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
)

// eniPurpose says what the network interfaces are for.
const eniPurpose = "the network interfaces of the desired state"

type config struct {
	setup.Config
	name   string // the desired flow logs' name
	rounds int
	drift  string // the drift policy: report, update or replace
}

func defaults() config {
	cfg := config{Config: setup.Defaults(10 * time.Minute), name: "ensure-demo", rounds: 2, drift: "update"}
	cfg.Count = 5
	return cfg
}

func main() {
	cfg := defaults()
	cfg.Flags(flag.CommandLine, "the real Alibaba Cloud", "the flow logs this run created")
	cfg.ENIFlags(flag.CommandLine, eniPurpose)
	flag.StringVar(&cfg.name, "name", cfg.name, "name of the desired flow logs")
	flag.IntVar(&cfg.rounds, "rounds", cfg.rounds, "reconcile rounds to run")
	flag.StringVar(&cfg.drift, "drift", cfg.drift, "what to do with a flow log that differs from the desired state: report, update or replace")
	flag.Parse()
	setup.Main("ensure", cfg.Timeout, func(ctx context.Context) error {
		_, err := run(ctx, cfg, os.Stdout)
		return err
	})
}

// policies are the -drift values.
var policies = map[string]flowlog.DriftPolicy{
	"report": flowlog.DriftReport, "update": flowlog.DriftUpdate, "replace": flowlog.DriftReplace,
}

type item struct {
	Resource string
	Outcome  flowlog.Outcome
	FlowLog  string              // the flow log's ID; for drift, the one in the way
	Drift    *flowlog.DriftError // set for drift reported
	Err      error               // set for drift reported and errors
}

type round struct {
	Items []item
	// The items by outcome, as the progress callback counted them.
	Created, Adopted, Updated, Replaced, Drifted, Errors int
	// CreateCalls and ModifyCalls are how many CreateFlowLog and
	// ModifyFlowLogAttribute requests reached the server during the round
	// (emulator mode; -1 in live mode).
	CreateCalls, ModifyCalls int
	// FlowLogsOn is the number of flow logs on each desired resource after
	// the round, in any state.
	FlowLogsOn map[string]int
}

// result is what a run did, for the caller (and the test) to check.
type result struct {
	Rounds []round
	// DriftResource and DriftFlowLog name the flow log made by hand before
	// the last round, DriftAfter is what the server holds on that resource
	// after the last round (emulator mode only).
	DriftResource, DriftFlowLog string
	DriftAfter                  []flowlogtest.VPCFlowLog
	Deleted                     int // flow logs deleted at the end (0 with -keep)
}

func run(ctx context.Context, cfg config, out io.Writer) (result, error) {
	var res result
	if cfg.rounds < 1 {
		return res, errors.New("-rounds must be at least 1")
	}
	policy, ok := policies[cfg.drift]
	if !ok {
		return res, fmt.Errorf("-drift %q: want report, update or replace", cfg.drift)
	}
	env := setup.Start(cfg.Config, out, "Alibaba Cloud")
	defer env.Close()
	srv := env.Server // nil in live mode
	enis, err := env.ENIs(cfg.Config, eniPurpose)
	if err != nil {
		return res, err
	}
	var extra string // emulator: the ENI that gets a hand-made flow log
	if srv != nil {
		extra = srv.AddNetworkInterfaces(cfg.Region, flowlogtest.DefaultVPCID, flowlogtest.DefaultVSwitchID, 1)[0]
	}
	p, err := aliyun.New(env.AliyunOptions...)
	if err != nil {
		return res, err
	}
	client := flowlog.NewClient(p, env.ClientOptions...)
	defer client.Close()

	// The desired state of round r: from round 2 on, a new description and
	// interval, which the flow logs of round 1 do not have.
	spec := func(eni string, r int) flowlog.FlowLogSpec {
		s := flowlog.FlowLogSpec{
			Region:              cfg.Region,
			Name:                cfg.name,
			Description:         "managed by flowlog-go examples/ensure",
			Resource:            flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: eni},
			TrafficType:         flowlog.TrafficAll,
			Destination:         flowlog.Destination{SLS: &flowlog.SLSDestination{Project: cfg.Project, LogStore: cfg.LogStore}},
			AggregationInterval: time.Minute,
			Tags:                map[string]string{"managed-by": "flowlog-go-ensure"},
		}
		if r > 1 {
			s.Description = "managed by flowlog-go examples/ensure, every 5 minutes"
			s.AggregationInterval = 5 * time.Minute
		}
		return s
	}
	desired := func(r int) []flowlog.FlowLogSpec {
		var specs []flowlog.FlowLogSpec
		for _, eni := range enis {
			specs = append(specs, spec(eni, r))
		}
		if res.DriftResource != "" {
			specs = append(specs, spec(extra, r))
		}
		return specs
	}

	// countOn counts the flow logs on a resource after a round: the
	// server's own records in emulator mode, a List in live mode.
	countOn := func(eni string) (int, error) {
		if srv != nil {
			return len(srv.FlowLogsOn(eni)), nil
		}
		ids, err := flowLogsOn(ctx, client, cfg.Region, eni)
		return len(ids), err
	}

	own := map[string]string{} // resource -> the flow log this run made there: deleted at the end unless -keep
	var failed error
	for r := 1; r <= cfg.rounds; r++ {
		if r == 2 {
			fmt.Fprintf(out, "\nbefore round 2: the desired state changes (new description, 5-minute interval); drift policy: %s\n", policy)
		}
		if r == cfg.rounds && srv != nil {
			// Someone makes a flow log by hand on the extra ENI, with
			// another name than the desired state's and without this
			// client's owner tag; then the ENI joins the desired state.
			// Ensure must report it, not change it.
			hand := spec(extra, r)
			hand.Name = "made-by-hand"
			byHand := flowlog.NewClient(p, append(env.ClientOptions, flowlog.WithoutOwnerTag())...)
			fl, err := byHand.CreateAndWait(ctx, hand)
			byHand.Close()
			if err != nil {
				return res, fmt.Errorf("drift setup: %w", err)
			}
			res.DriftResource, res.DriftFlowLog = extra, fl.ID
			fmt.Fprintf(out, "\nbefore round %d: flow log %s named %q was made by hand on %s, which now joins the desired state\n",
				r, fl.ID, hand.Name, extra)
		}

		specs := desired(r)
		rd := reconcile(ctx, client, srv, specs, policy)
		rd.FlowLogsOn = make(map[string]int, len(specs))
		for _, s := range specs {
			n, err := countOn(s.Resource.ID)
			if err != nil {
				return res, fmt.Errorf("count flow logs on %s: %w", s.Resource.ID, err)
			}
			rd.FlowLogsOn[s.Resource.ID] = n
		}
		for _, it := range rd.Items {
			if it.Outcome == flowlog.OutcomeCreated || it.Outcome == flowlog.OutcomeReplaced {
				own[it.Resource] = it.FlowLog
			}
			if it.Outcome == flowlog.OutcomeNone && failed == nil {
				failed = fmt.Errorf("round %d: %s: %w", r, it.Resource, it.Err)
			}
		}
		printRound(out, r, cfg.rounds, rd)
		res.Rounds = append(res.Rounds, rd)
		if r == cfg.rounds && srv != nil {
			// Check on the server that the drifted flow log was left alone.
			for _, fl := range srv.VPCFlowLogs() {
				if fl.ResourceID == extra {
					res.DriftAfter = append(res.DriftAfter, fl)
				}
			}
			if len(res.DriftAfter) == 1 && res.DriftAfter[0].FlowLogID == res.DriftFlowLog {
				fmt.Fprintf(out, "  on the server, %s is still the only flow log on %s, named %q: nothing was changed\n",
					res.DriftFlowLog, extra, res.DriftAfter[0].FlowLogName)
			} else {
				fmt.Fprintf(out, "  on the server, %s now has %d flow logs: the drift was not left alone\n", extra, len(res.DriftAfter))
			}
		}
	}

	total := 0
	for _, rd := range res.Rounds {
		total += rd.Created
	}
	fmt.Fprintf(out, "\n%d rounds, %d flow logs created in all: one per resource, however many rounds run\n", len(res.Rounds), total)

	if cfg.Keep {
		fmt.Fprintln(out, "kept (-keep)")
		return res, failed
	}
	// Only what this run created: an adopted flow log was there before and
	// may be someone else's; a drifted one certainly is (in emulator mode
	// it is the hand-made one, which goes with the emulator). A flow log
	// replaced in a later round is gone already: the last one made on
	// each resource is deleted.
	for _, eni := range slices.Sorted(maps.Keys(own)) {
		id := own[eni]
		if err := client.Delete(ctx, cfg.Region, id); err != nil {
			return res, errors.Join(failed, fmt.Errorf("delete %s: %w", id, err))
		}
		res.Deleted++
	}
	fmt.Fprintf(out, "deleted the %d flow logs this run created (-keep keeps them)\n", res.Deleted)
	return res, failed
}

// reconcile runs one round: EnsureAll over the desired state with the drift
// policy, each item with its outcome, counted by the progress callback.
func reconcile(ctx context.Context, client *flowlog.Client, srv *flowlogtest.Server, desired []flowlog.FlowLogSpec, policy flowlog.DriftPolicy) round {
	rd := round{CreateCalls: -1, ModifyCalls: -1}
	var creates, modifies int
	if srv != nil {
		creates, modifies = srv.Calls("CreateFlowLog"), srv.Calls("ModifyFlowLogAttribute")
	}
	var last flowlog.Progress
	results := client.EnsureAll(ctx, desired, flowlog.Concurrency(5), flowlog.OnDrift(policy),
		flowlog.OnProgress(func(p flowlog.Progress) { last = p }))
	if srv != nil {
		rd.CreateCalls = srv.Calls("CreateFlowLog") - creates
		rd.ModifyCalls = srv.Calls("ModifyFlowLogAttribute") - modifies
	}
	rd.Created, rd.Adopted, rd.Updated, rd.Replaced, rd.Drifted = last.Created, last.Adopted, last.Updated, last.Replaced, last.DriftReported
	rd.Errors = last.Failed - last.DriftReported

	for _, r := range results {
		it := item{Resource: r.Spec.Resource.ID, Outcome: r.Outcome, Err: r.Err}
		var drift *flowlog.DriftError
		switch {
		case errors.As(r.Err, &drift):
			it.Drift, it.FlowLog = drift, drift.FlowLog.ID
		case r.Err == nil:
			it.FlowLog = r.FlowLog.ID
		}
		rd.Items = append(rd.Items, it)
	}
	return rd
}

// flowLogsOn lists the IDs of the flow logs on a resource, in any state
// but on their way out.
func flowLogsOn(ctx context.Context, client *flowlog.Client, region, resourceID string) ([]string, error) {
	var ids []string
	for fl, err := range client.List(ctx, region, flowlog.ListFilter{ResourceID: resourceID}) {
		if err != nil {
			return nil, err
		}
		if fl.Status != flowlog.StatusDeleted && fl.Settling != flowlog.StatusDeleted {
			ids = append(ids, fl.ID)
		}
	}
	return ids, nil
}

func printRound(out io.Writer, r, rounds int, rd round) {
	fmt.Fprintf(out, "\nround %d of %d: %d desired flow logs\n", r, rounds, len(rd.Items))
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  RESOURCE\tOUTCOME\tFLOW LOG\tFLOW LOGS ON IT")
	for _, it := range rd.Items {
		outcome, flowLog := it.Outcome.String(), it.FlowLog
		switch {
		case it.Drift != nil:
			outcome = "drift reported: fields " + strings.Join(it.Drift.Fields, ", ")
			if it.Drift.Unowned {
				outcome += " (not ours: no owner tag)"
			}
			flowLog = fmt.Sprintf("%s (named %q)", it.FlowLog, it.Drift.FlowLog.Name)
		case it.Err != nil:
			outcome, flowLog = "error: "+it.Err.Error(), "-"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%d\n", it.Resource, outcome, flowLog, rd.FlowLogsOn[it.Resource])
	}
	tw.Flush()
	calls := "not counted in live mode"
	if rd.CreateCalls >= 0 {
		calls = fmt.Sprintf("%d CreateFlowLog, %d ModifyFlowLogAttribute", rd.CreateCalls, rd.ModifyCalls)
	}
	fmt.Fprintf(out, "  %d created, %d adopted, %d updated, %d replaced, %d drift reported, %d errors; calls that reached the server: %s\n",
		rd.Created, rd.Adopted, rd.Updated, rd.Replaced, rd.Drifted, rd.Errors, calls)
	var notOne []string
	for _, it := range rd.Items {
		if n := rd.FlowLogsOn[it.Resource]; n != 1 {
			notOne = append(notOne, fmt.Sprintf("%s has %d", it.Resource, n))
		}
	}
	if len(notOne) == 0 {
		fmt.Fprintf(out, "  every one of the %d resources has exactly one flow log\n", len(rd.Items))
	} else {
		slices.Sort(notOne)
		fmt.Fprintf(out, "  NOT exactly one flow log: %s\n", strings.Join(notOne, "; "))
	}
}
