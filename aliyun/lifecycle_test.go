package aliyun_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/aliyun"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/internal/testkit"
)

const lifecycleDelay = 10 * time.Second // on the fake clock

// lifecycleSetup starts an emulator on a fake clock and the provider itself,
// whose requests are recorded.
func lifecycleSetup(t *testing.T) (*flowlogtest.Server, *aliyun.Provider, *testkit.Clock, *testkit.RequestLog) {
	t.Helper()
	srv, clock, log := testkit.Emulator(t, lifecycleDelay, flowlogtest.WithAlibabaCredential("LTAItestkey", testSecret))
	p, err := aliyun.New(aliyun.WithEndpoint(srv.URL), aliyun.WithAccessKey("LTAItestkey", testSecret), aliyun.WithHTTPTransport(log))
	require.NoError(t, err)
	return srv, p, clock, log
}

func TestListPagePagesAndFilters(t *testing.T) {
	srv, p, clock, log := lifecycleSetup(t)
	ctx := context.Background()
	region := flowlogtest.DefaultRegion
	enis := srv.AddNetworkInterfaces(region, flowlogtest.DefaultVPCID, flowlogtest.DefaultVSwitchID, 120)
	const otherVPC, otherVSwitch = "vpc-emuother000000001", "vsw-emuother000000001"
	others := srv.AddNetworkInterfaces(region, otherVPC, otherVSwitch, 3)
	ids := map[string]bool{}
	for i, eni := range append(enis, others...) {
		spec := eniSpec(eni)
		if i%10 == 0 {
			spec.Name = "every-tenth"
		}
		fl, err := p.Create(ctx, &spec)
		require.NoError(t, err)
		ids[fl.ID] = true
	}
	clock.Advance(lifecycleDelay)

	// No filter: 123 flow logs are pages of 50, 50 and 23, one call each.
	pages := testkit.Walk(t, p, region, func() int { return srv.Calls("DescribeFlowLogs") }, 3, 50, 123)
	assert.Len(t, pages[2].FlowLogs, 23)
	assert.Equal(t, ids, testkit.IDs(pages, flowlog.ListFilter{Status: flowlog.StatusActive}))
	q := log.Last().Query
	assert.Equal(t, "3", q.Get("PageNumber"), "pages count from 1")
	assert.Equal(t, "50", q.Get("PageSize"))
	for _, k := range []string{"ResourceId", "FlowLogName", "VpcId", "Status"} {
		assert.False(t, q.Has(k), "no filter sends no %s", k)
	}
	assert.Empty(t, pages[2].NextToken, "the last page has no next")
	pg, err := p.ListPage(ctx, region, flowlog.ListFilter{}, "150.123")
	require.NoError(t, err)
	assert.Empty(t, pg.FlowLogs, "past the end")
	assert.Empty(t, pg.NextToken)

	// The client filters again: every flow log the server chose must pass
	// (VpcId-filtered ones carry the VPC, which DescribeFlowLogs does not
	// return).
	testkit.Filters(t, p, region, log, []testkit.FilterCase{
		{Name: "resource", F: flowlog.ListFilter{ResourceID: enis[7]}, Param: "ResourceId", Value: enis[7], Total: 1, Match: 1},
		{Name: "name", F: flowlog.ListFilter{Name: "every-tenth"}, Param: "FlowLogName", Value: "every-tenth", Total: 13, Match: 13},
		{Name: "network", F: flowlog.ListFilter{NetworkID: otherVPC}, Param: "VpcId", Value: otherVPC, Total: 3, Match: 3},
		{Name: "default network", F: flowlog.ListFilter{NetworkID: flowlogtest.DefaultVPCID}, Param: "VpcId", Value: flowlogtest.DefaultVPCID, Total: 120, Match: 120},
		{Name: "active", F: flowlog.ListFilter{Status: flowlog.StatusActive}, Param: "Status", Value: "Active", Total: 123, Match: 123},
		{Name: "inactive", F: flowlog.ListFilter{Status: flowlog.StatusInactive}, Param: "Status", Value: "Inactive"},
		{Name: "pending", F: flowlog.ListFilter{Status: flowlog.StatusPending}, Param: "Status", Total: 123},
		{Name: "name and network", F: flowlog.ListFilter{Name: "every-tenth", NetworkID: otherVPC}, Param: "VpcId", Value: otherVPC, Total: 1, Match: 1},
		{Name: "nothing", F: flowlog.ListFilter{ResourceID: "eni-doesnotexist"}, Param: "ResourceId", Value: "eni-doesnotexist"},
	})
}

func TestListPageStatusFilterNeverHidesAMatch(t *testing.T) {
	srv, p, clock, log := lifecycleSetup(t)
	ctx := context.Background()
	region := flowlogtest.DefaultRegion
	var ids []string
	for _, eni := range srv.AddNetworkInterfaces(region, flowlogtest.DefaultVPCID, flowlogtest.DefaultVSwitchID, 4) {
		spec := eniSpec(eni)
		fl, err := p.Create(ctx, &spec)
		require.NoError(t, err)
		ids = append(ids, fl.ID)
	}
	clock.Advance(lifecycleDelay)
	srv.FailDelivery(ids[0], "ProjectNotExist")                  // Active, but neutral failed
	require.NoError(t, p.SetEnabled(ctx, region, ids[1], false)) // Deactivating: pending

	statuses := func(f flowlog.ListFilter) map[string]flowlog.Status {
		out := map[string]flowlog.Status{}
		for _, pg := range testkit.Pages(t, p, region, f) {
			for _, fl := range pg.FlowLogs {
				out[fl.ID] = fl.Status
			}
		}
		return out
	}

	// Active goes to the server as Status=Active, which also holds the
	// failed flow log: the client's own filter drops it.
	got := statuses(flowlog.ListFilter{Status: flowlog.StatusActive})
	assert.Equal(t, "Active", log.Last().Query.Get("Status"))
	assert.Equal(t, map[string]flowlog.Status{ids[0]: flowlog.StatusFailed, ids[2]: flowlog.StatusActive, ids[3]: flowlog.StatusActive}, got)

	// Pending and failed span several raw statuses: no server filter.
	for _, st := range []flowlog.Status{flowlog.StatusPending, flowlog.StatusFailed} {
		got = statuses(flowlog.ListFilter{Status: st})
		assert.False(t, log.Last().Query.Has("Status"), "%s", st)
		assert.Len(t, got, 4)
	}
	assert.Equal(t, flowlog.StatusPending, got[ids[1]])

	clock.Advance(lifecycleDelay)
	got = statuses(flowlog.ListFilter{Status: flowlog.StatusInactive})
	assert.Equal(t, "Inactive", log.Last().Query.Get("Status"))
	assert.Equal(t, map[string]flowlog.Status{ids[1]: flowlog.StatusInactive}, got)

	_, err := p.ListPage(ctx, region, flowlog.ListFilter{}, "not a token")
	assert.ErrorIs(t, err, flowlog.ErrInvalidArgument)
}

func TestSetEnabledRoundTrip(t *testing.T) {
	srv, p, clock, _ := lifecycleSetup(t)
	ctx := context.Background()
	region := flowlogtest.DefaultRegion
	id := createOne(t, p)
	testkit.Steps(t, p, region, id, clock, lifecycleDelay, []testkit.Step{
		{Call: func() error { return nil }, Raw: "Activating", Settling: flowlog.StatusActive, Then: flowlog.StatusActive},
		{Call: func() error { return p.SetEnabled(ctx, region, id, false) }, Raw: "Deactivating", Settling: flowlog.StatusInactive, Then: flowlog.StatusInactive},
		{Call: func() error { return p.SetEnabled(ctx, region, id, true) }, Raw: "Activating", Settling: flowlog.StatusActive, Then: flowlog.StatusActive},
		{Call: func() error { return p.Delete(ctx, region, id) }, Raw: "Deleting", Settling: flowlog.StatusDeleted, Then: flowlog.StatusDeleted},
	})
	assert.Equal(t, 1, srv.Calls("DeactiveFlowLog"))
	assert.Equal(t, 1, srv.Calls("ActiveFlowLog"))
}

// createOne creates a flow log on the default ENI and returns its ID.
func createOne(t *testing.T, p *aliyun.Provider) string {
	t.Helper()
	spec := eniSpec(flowlogtest.DefaultNetworkInterfaceID)
	fl, err := p.Create(context.Background(), &spec)
	require.NoError(t, err)
	return fl.ID
}

func TestSetEnabledErrors(t *testing.T) {
	_, p, _, log := lifecycleSetup(t)
	ctx := context.Background()
	region := flowlogtest.DefaultRegion
	id := createOne(t, p)

	// Busy: still activating. Refused, not applied, so safe to retry.
	for op, enabled := range map[string]bool{"ActiveFlowLog": true, "DeactiveFlowLog": false} {
		fe := testkit.ProviderError(t, p.SetEnabled(ctx, region, id, enabled),
			flowlog.ErrUnavailable, "IncorrectStatus.flowlog", driver.RetrySafe)
		assert.Equal(t, id, fe.ID)
		assert.Equal(t, op, fe.Op)
		q := log.Last().Query
		assert.Equal(t, op, q.Get("Action"))
		assert.Equal(t, id, q.Get("FlowLogId"))
		assert.Equal(t, region, q.Get("RegionId"))
	}

	// An unknown flow log.
	for _, enabled := range []bool{true, false} {
		testkit.ProviderError(t, p.SetEnabled(ctx, region, "fl-doesnotexist00000001", enabled),
			flowlog.ErrNotFound, "InvalidInstanceId", driver.RetryNever)
	}
}

// A drift in a field VPC cannot change in place (the traffic type) is still
// reported under DriftUpdate, naming the field; DriftReplace replaces the
// flow log, deleting the old one first (one flow log per resource).
func TestDriftInAnImmutableField(t *testing.T) {
	srv, c := setup(t)
	ctx := context.Background()
	spec := eniSpec(flowlogtest.DefaultNetworkInterfaceID)
	made, err := c.CreateAndWait(ctx, spec)
	require.NoError(t, err)

	spec.TrafficType = flowlog.TrafficAccept
	_, err = c.Ensure(ctx, spec, flowlog.OnDrift(flowlog.DriftUpdate))
	var drift *flowlog.DriftError
	require.ErrorAs(t, err, &drift)
	assert.Equal(t, []string{"TrafficType"}, drift.Immutable)
	assert.Contains(t, err.Error(), "cannot change TrafficType in place")
	assert.Zero(t, srv.Calls("ModifyFlowLogAttribute"))

	repl, err := c.Ensure(ctx, spec, flowlog.OnDrift(flowlog.DriftReplace))
	require.NoError(t, err)
	assert.NotEqual(t, made.ID, repl.ID)
	assert.Equal(t, flowlog.TrafficAccept, repl.TrafficType)
	assert.Equal(t, []string{repl.ID}, srv.FlowLogsOn(spec.Resource.ID))
	assert.Equal(t, 2, srv.Calls("Vpc.CreateFlowLog"))
	assert.Equal(t, 1, srv.Calls("Vpc.DeleteFlowLog"))
}
