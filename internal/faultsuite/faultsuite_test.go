package faultsuite

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/cloudflowlog/flowlog-go/aliyun"
	"github.com/cloudflowlog/flowlog-go/cbn"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/tencent"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		// Idle keep-alive connections close on their own.
		goleak.IgnoreTopFunction("internal/poll.runtime_pollWait"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).readLoop"))
}

// job is one create of the suite.
type job struct {
	client *flowlog.Client
	spec   flowlog.FlowLogSpec
}

// TestThousandCreatesAgainstThirtyPercentFaults spreads 1,000 creates over
// the three providers while the emulator answers 30% of all requests with a
// fault: throttles, 5xx with JSON and with HTML bodies, connections reset
// before the request is read, responses lost after the flow log was made,
// slow responses and malformed bodies. Every call must succeed or return a
// typed error, and every resource must end with exactly one flow log.
func TestThousandCreatesAgainstThirtyPercentFaults(t *testing.T) {
	const perProvider = 334 // 1,002 creates in all
	srv := flowlogtest.NewServer(
		flowlogtest.WithActivationDelay(0),
		flowlogtest.WithTencentRateLimit(0), // rate limits have their own benchmark
		flowlogtest.WithFaultSeed(20261123),
		flowlogtest.WithFaults(flowlogtest.FaultRule{
			Rate: 0.3,
			Kinds: []flowlogtest.FaultKind{
				flowlogtest.FaultThrottle, flowlogtest.FaultServerError, flowlogtest.FaultHTMLError,
				flowlogtest.FaultReset, flowlogtest.FaultLostResponse, flowlogtest.FaultSlow,
				flowlogtest.FaultMalformed,
			},
			Delay: 20 * time.Millisecond,
		}))
	defer srv.Close()

	clientOpts := []flowlog.Option{flowlog.WithRetry(
		flowlog.RetryDelays(time.Millisecond, 2*time.Millisecond, 20*time.Millisecond),
		flowlog.MaxAttempts(8),
		flowlog.RetryBudget(0), // the suite measures correctness, not the budget
	)}
	ali := []aliyun.Option{aliyun.WithEndpoint(srv.URL),
		aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret)}
	vpcProvider, err := aliyun.New(ali...)
	require.NoError(t, err)
	cenProvider, err := cbn.New(cbn.WithEndpoint(srv.URL),
		cbn.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	require.NoError(t, err)
	tcProvider, err := tencent.New(tencent.WithEndpoint(srv.URL), tencent.WithRateLimit(0),
		tencent.WithSecretKey(flowlogtest.DefaultTencentSecretID, flowlogtest.DefaultTencentSecretKey))
	require.NoError(t, err)
	clients := []*flowlog.Client{
		flowlog.NewClient(vpcProvider, clientOpts...),
		flowlog.NewClient(cenProvider, clientOpts...),
		flowlog.NewClient(tcProvider, clientOpts...),
	}
	for _, c := range clients {
		defer c.Close()
	}

	var jobs []job
	sls := &flowlog.SLSDestination{Project: flowlogtest.DefaultSLSProject, LogStore: flowlogtest.DefaultSLSLogStore}
	for _, eni := range srv.AddNetworkInterfaces(flowlogtest.DefaultRegion, flowlogtest.DefaultVPCID, flowlogtest.DefaultVSwitchID, perProvider) {
		jobs = append(jobs, job{clients[0], flowlog.FlowLogSpec{
			Region: flowlogtest.DefaultRegion, Name: "fault-suite",
			Resource:    flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: eni},
			Destination: flowlog.Destination{SLS: sls},
		}})
	}
	for _, att := range srv.AddTransitRouterAttachments(flowlogtest.DefaultCENID, flowlogtest.DefaultRegion, flowlogtest.DefaultTransitRouterID, perProvider) {
		jobs = append(jobs, job{clients[1], flowlog.FlowLogSpec{
			Region: flowlogtest.DefaultRegion, Name: "fault-suite",
			Resource:    flowlog.Resource{Kind: flowlog.ResourceTransitRouterAttachment, ID: att, NetworkID: flowlogtest.DefaultCENID},
			Destination: flowlog.Destination{SLS: sls},
		}})
	}
	for _, eni := range srv.AddTencentNetworkInterfaces(flowlogtest.DefaultTencentRegion, flowlogtest.DefaultTencentVPCID, perProvider) {
		jobs = append(jobs, job{clients[2], flowlog.FlowLogSpec{
			Region: flowlogtest.DefaultTencentRegion, Name: "fault-suite",
			Resource:    flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: eni, NetworkID: flowlogtest.DefaultTencentVPCID},
			Destination: flowlog.Destination{CLS: &flowlog.CLSDestination{TopicID: flowlogtest.DefaultCLSTopicID}},
		}})
	}

	// First pass: every create once, 24 at a time, as a service would.
	ids := make([]string, len(jobs))
	errs := make([]error, len(jobs))
	run := func(indexes []int) {
		var wg sync.WaitGroup
		sem := make(chan struct{}, 24)
		for _, i := range indexes {
			wg.Go(func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				fl, err := jobs[i].client.Create(ctx, jobs[i].spec)
				errs[i] = err
				if err == nil {
					ids[i] = fl.ID
				}
			})
		}
		wg.Wait()
	}
	all := make([]int, len(jobs))
	for i := range all {
		all[i] = i
	}
	run(all)

	// Every call succeeded or returned a typed error, and no resource has
	// more than one flow log.
	var failed []int
	for i, err := range errs {
		if err == nil {
			continue
		}
		failed = append(failed, i)
		var fe *flowlog.Error
		assert.True(t, errors.As(err, &fe), "job %d: untyped error %T: %v", i, err, err)
	}
	for _, j := range jobs {
		assert.LessOrEqual(t, len(srv.FlowLogsOn(j.spec.Resource.ID)), 1, "duplicate flow logs on %s", j.spec.Resource.ID)
	}
	t.Logf("first pass: %d creates, %d failed after retries; faults injected: %v", len(jobs), len(failed), srv.FaultsInjected())

	// The caller repeats what failed, as a new logical create of the same
	// spec: an earlier attempt's flow log is adopted, not duplicated.
	for round := 0; len(failed) > 0 && round < 5; round++ {
		run(failed)
		var still []int
		for _, i := range failed {
			if errs[i] != nil {
				still = append(still, i)
			}
		}
		failed = still
	}
	require.Empty(t, failed, "creates that still fail after five more tries")

	for i, j := range jobs {
		on := srv.FlowLogsOn(j.spec.Resource.ID)
		if assert.Len(t, on, 1, "resource %s", j.spec.Resource.ID) {
			assert.Equal(t, ids[i], on[0], "the ID returned is the flow log that exists")
		}
	}
	injected := 0
	for _, n := range srv.FaultsInjected() {
		injected += n
	}
	assert.Greater(t, injected, 300, "the faults really happened")
	assert.Positive(t, srv.FaultsInjected()[flowlogtest.FaultLostResponse], "responses were lost after creates")
	t.Logf("after the repeats: every resource has one flow log; faults injected in all: %v", srv.FaultsInjected())
}
