package flowlog_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/aliyun"
	"github.com/cloudflowlog/flowlog-go/cbn"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/tencent"
)

// multiCloud returns one handle over the three adapters, all talking to srv.
func multiCloud(t testing.TB, srv *flowlogtest.Server) *flowlog.Clients {
	ali, err := aliyun.New(aliyun.WithEndpoint(srv.URL), aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	require.NoError(t, err)
	cen, err := cbn.New(cbn.WithEndpoint(srv.URL), cbn.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	require.NoError(t, err)
	tc, err := tencent.New(tencent.WithEndpoint(srv.URL), tencent.WithRateLimit(0),
		tencent.WithSecretKey(flowlogtest.DefaultTencentSecretID, flowlogtest.DefaultTencentSecretKey))
	require.NoError(t, err)
	wait := flowlog.WithWaitDefaults(flowlog.PollDelay(2*time.Millisecond, 10*time.Millisecond))
	cs, err := flowlog.NewClients(flowlog.NewClient(ali, wait), flowlog.NewClient(cen, wait), flowlog.NewClient(tc, wait))
	require.NoError(t, err)
	return cs
}

// mixedSpecs is one spec per cloud, each naming its provider.
func mixedSpecs() []flowlog.FlowLogSpec {
	sls := &flowlog.SLSDestination{Project: flowlogtest.DefaultSLSProject, LogStore: flowlogtest.DefaultSLSLogStore}
	return []flowlog.FlowLogSpec{
		{Provider: "tencent", Region: flowlogtest.DefaultTencentRegion, Name: "web",
			Resource:    flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: flowlogtest.DefaultTencentNetworkInterfaceID, NetworkID: flowlogtest.DefaultTencentVPCID},
			Destination: flowlog.Destination{CLS: &flowlog.CLSDestination{TopicID: flowlogtest.DefaultCLSTopicID}}},
		{Provider: "aliyun", Region: flowlogtest.DefaultRegion,
			Resource:    flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: flowlogtest.DefaultNetworkInterfaceID},
			Destination: flowlog.Destination{SLS: sls}},
		{Provider: "cbn", Region: flowlogtest.DefaultRegion,
			Resource:    flowlog.Resource{Kind: flowlog.ResourceTransitRouterAttachment, ID: flowlogtest.DefaultTransitRouterAttachmentID, NetworkID: flowlogtest.DefaultCENID},
			Destination: flowlog.Destination{SLS: sls}},
	}
}

func TestClientsRouteEachSpecToItsProvider(t *testing.T) {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(5 * time.Millisecond))
	defer srv.Close()
	cs := multiCloud(t, srv)
	defer cs.Close()
	assert.Equal(t, []string{"aliyun", "cbn", "tencent"}, cs.Providers())

	specs := append(mixedSpecs(), flowlog.FlowLogSpec{Provider: "acme", Region: "x"}, flowlog.FlowLogSpec{Region: "y"})
	results := cs.EnsureAll(context.Background(), specs)
	require.Len(t, results, len(specs))
	for i, r := range results[:3] {
		require.NoError(t, r.Err, "spec %d", i)
		assert.Equal(t, specs[i].Provider, r.FlowLog.Provider, "in the order of the specs")
		assert.Equal(t, []string{r.FlowLog.ID}, srv.FlowLogsOn(specs[i].Resource.ID))
	}
	assert.ErrorIs(t, results[3].Err, flowlog.ErrUnsupported, "no client serves acme")
	assert.ErrorIs(t, results[4].Err, flowlog.ErrUnsupported, "a spec must name its provider")

	// The dry run routes the same way: everything there, nothing to do.
	plan := cs.Plan(context.Background(), specs)
	require.Len(t, plan, len(specs))
	for i, item := range plan[:3] {
		require.NoError(t, item.Err, "spec %d", i)
		assert.Equal(t, flowlog.PlanAdopt, item.Action, "spec %d", i)
		assert.Equal(t, results[i].FlowLog.ID, item.FlowLog.ID, "spec %d", i)
	}
	assert.ErrorIs(t, plan[3].Err, flowlog.ErrUnsupported, "no client serves acme")

	// Again: nothing new, the same flow logs.
	again := cs.EnsureAll(context.Background(), specs[:3])
	for i, r := range again {
		require.NoError(t, r.Err)
		assert.Equal(t, results[i].FlowLog.ID, r.FlowLog.ID)
	}

	// A Client refuses a spec of another provider, before sending anything.
	c, err := cs.Client("aliyun")
	require.NoError(t, err)
	_, err = c.Create(context.Background(), specs[0])
	assert.ErrorIs(t, err, flowlog.ErrInvalidArgument)
	assert.Contains(t, err.Error(), `Provider: names "tencent", but this client serves aliyun`)

	_, err = flowlog.NewClients(c, c)
	assert.Error(t, err, "two clients for one provider")
}

func ExampleClients() {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(5 * time.Millisecond))
	defer srv.Close()
	cs := multiCloud(nopT{}, srv) // aliyun, cbn and tencent adapters, one Client each
	defer cs.Close()

	// One list of specs for every cloud; each names its provider.
	for _, r := range cs.EnsureAll(context.Background(), mixedSpecs()) {
		fmt.Println(r.Spec.Provider, r.Err, r.FlowLog.Status)
	}
	// Output:
	// tencent <nil> active
	// aliyun <nil> active
	// cbn <nil> active
}

// nopT lets an example use the test helpers; nothing fails in it.
type nopT struct{ testing.TB }

func (nopT) Helper()                           {}
func (nopT) Errorf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (nopT) FailNow()                          { panic("FailNow") }
func (nopT) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
