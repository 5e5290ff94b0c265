package invariant

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
)

// Regression tests for the defects the issue found from outside, at the
// scale it measured them; each failed before its fix.

// fleetWorld starts an emulator for w with n more resources of the world's
// first kind and returns a client and the specs, one per resource.
func fleetWorld(t *testing.T, w *world, n int, opts ...flowlogtest.Option) (*flowlogtest.Server, *flowlog.Client, []flowlog.FlowLogSpec) {
	t.Helper()
	srv := flowlogtest.NewServer(append(append([]flowlogtest.Option{flowlogtest.WithActivationDelay(0)}, w.serverOpts...), opts...)...)
	t.Cleanup(srv.Close)
	w.seed(srv)
	var ids []string
	switch w.name {
	case "aliyun":
		ids = srv.AddNetworkInterfaces(flowlogtest.DefaultRegion, flowlogtest.DefaultVPCID, flowlogtest.DefaultVSwitchID, n)
	case "cbn":
		ids = srv.AddTransitRouterAttachments(flowlogtest.DefaultCENID, flowlogtest.DefaultRegion, flowlogtest.DefaultTransitRouterID, n)
	case "tencent":
		ids = srv.AddTencentNetworkInterfaces(flowlogtest.DefaultTencentRegion, flowlogtest.DefaultTencentVPCID, n)
	}
	kind := map[string]flowlog.ResourceKind{"cbn": flowlog.ResourceTransitRouterAttachment}[w.name]
	if kind == "" {
		kind = flowlog.ResourceNetworkInterface
	}
	network := map[string]string{"cbn": flowlogtest.DefaultCENID, "tencent": flowlogtest.DefaultTencentVPCID}[w.name]
	specs := make([]flowlog.FlowLogSpec, n)
	for i, id := range ids {
		specs[i] = w.spec(resource{kind: kind, id: id, network: network}, 0)
	}
	rt := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(rt.CloseIdleConnections)
	c := flowlog.NewClient(w.newProvider(t, srv, rt),
		flowlog.WithRetry(flowlog.RetryDelays(time.Millisecond, time.Millisecond, 5*time.Millisecond)),
		flowlog.WithWaitDefaults(flowlog.PollDelay(time.Millisecond, 5*time.Millisecond), flowlog.MaxWait(10*time.Second)))
	t.Cleanup(func() { _ = c.Close() })
	return srv, c, specs
}

// A proxy that drops create responses after the server applied them, at
// rates up to 1.0: no create may fail while its flow log exists, unless
// it says the outcome is unknown (before the fix, CEN failed 19 of 100 at
// 0.5 and every create at 1.0).
func TestLostCreateResponsesNeverFailWhatExists(t *testing.T) {
	const creates = 100
	for _, w := range worlds() {
		for _, rate := range []float64{0.5, 0.9, 1.0} {
			t.Run(w.name+"/"+formatRate(rate), func(t *testing.T) {
				action := w.createAction
				srv, c, specs := fleetWorld(t, w, creates, flowlogtest.WithFaults(flowlogtest.FaultRule{
					Action: action, Kinds: []flowlogtest.FaultKind{flowlogtest.FaultLostResponse}, Rate: rate}))
				wrong := 0
				for _, spec := range specs {
					fl, err := c.Create(context.Background(), spec)
					on := srv.FlowLogsOn(spec.Resource.ID)
					require.LessOrEqual(t, len(on), 1, "duplicate flow logs on %s", spec.Resource.ID)
					switch {
					case err == nil:
						require.Equal(t, on, []string{fl.ID}, "the flow log returned is the one that exists")
					case len(on) == 1 && !errors.Is(err, flowlog.ErrUnknownOutcome):
						wrong++
						t.Errorf("create on %s failed with %v, but %s exists", spec.Resource.ID, err, on[0])
					}
				}
				assert.Zero(t, wrong)
				assert.Positive(t, srv.FaultsInjected()[flowlogtest.FaultLostResponse])
			})
		}
	}
}

func formatRate(r float64) string {
	return map[float64]string{0.5: "lost-0.5", 0.9: "lost-0.9", 1.0: "lost-1.0"}[r]
}

// Deleting each flow log while ranging over List deletes them all (before
// the fix, 70 of 120 on Alibaba VPC and 100 of 120 on Tencent).
func TestDeleteWhileListingLeavesNothing(t *testing.T) {
	const n = 120
	for _, w := range worlds() {
		t.Run(w.name, func(t *testing.T) {
			srv, c, specs := fleetWorld(t, w, n)
			for _, res := range c.CreateAll(context.Background(), specs) {
				require.NoError(t, res.Err)
			}
			deleted := 0
			for fl, err := range c.List(context.Background(), w.region, flowlog.ListFilter{}) {
				require.NoError(t, err)
				require.NoError(t, c.Delete(context.Background(), w.region, fl.ID))
				deleted++
			}
			assert.Equal(t, n, deleted)
			assert.Empty(t, w.records(srv), "flow logs left")
		})
	}
}
