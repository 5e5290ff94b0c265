package cbn_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/cbn"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/internal/testkit"
)

const settleDelay = 10 * time.Second // on the fake clock

// fakeClockSetup starts an emulator on a fake clock and a provider whose
// requests are recorded.
func fakeClockSetup(t *testing.T) (*flowlogtest.Server, *cbn.Provider, *testkit.Clock, *testkit.RequestLog) {
	t.Helper()
	srv, clock, log := testkit.Emulator(t, settleDelay)
	return srv, newProvider(t, srv, cbn.WithHTTPTransport(log)), clock, log
}

func TestListPageOfCEN(t *testing.T) {
	srv, p, clock, log := fakeClockSetup(t)
	ctx := context.Background()
	region := flowlogtest.DefaultRegion
	create := func(spec flowlog.FlowLogSpec) string {
		fl, err := p.Create(ctx, &spec)
		require.NoError(t, err)
		return fl.ID
	}
	attachments := srv.AddTransitRouterAttachments(flowlogtest.DefaultCENID, region, flowlogtest.DefaultTransitRouterID, 120)
	for i, att := range attachments {
		spec := attachmentSpec(att)
		if i%10 == 0 {
			spec.Name = "every-tenth"
		}
		create(spec)
	}
	// Another CEN: three attachment flow logs and one of its transit router.
	const otherCEN, otherTR = "cen-emuother0000001", "tr-emuother000000001"
	for _, att := range srv.AddTransitRouterAttachments(otherCEN, region, otherTR, 3) {
		spec := attachmentSpec(att)
		spec.Resource.NetworkID = otherCEN
		create(spec)
	}
	trSpec := attachmentSpec("")
	trSpec.Resource = flowlog.Resource{Kind: flowlog.ResourceTransitRouter, ID: otherTR, NetworkID: otherCEN}
	trFlowLog := create(trSpec)
	clock.Advance(settleDelay)

	// 124 flow logs are pages of 50, 50 and 24.
	pages := testkit.Walk(t, p, region, func() int { return srv.Calls("DescribeFlowlogs") }, 3, 50, 124)
	q := log.Last().Query
	assert.Equal(t, "3", q.Get("PageNumber"))
	assert.Equal(t, "50", q.Get("PageSize"))
	assert.Len(t, testkit.IDs(pages, flowlog.ListFilter{Status: flowlog.StatusActive}), 124)

	testkit.Filters(t, p, region, log, []testkit.FilterCase{
		{Name: "attachment", F: flowlog.ListFilter{ResourceID: attachments[7]}, Param: "TransitRouterAttachmentId", Value: attachments[7], Total: 1, Match: 1},
		// Every flow log of the transit router; only the router-level one
		// is on the router itself.
		{Name: "transit router", F: flowlog.ListFilter{ResourceID: otherTR}, Param: "TransitRouterId", Value: otherTR, Total: 4, Match: 1},
		{Name: "name", F: flowlog.ListFilter{Name: "every-tenth"}, Param: "FlowLogName", Value: "every-tenth", Total: 12, Match: 12},
		{Name: "CEN", F: flowlog.ListFilter{NetworkID: otherCEN}, Param: "CenId", Value: otherCEN, Total: 4, Match: 4},
		{Name: "active", F: flowlog.ListFilter{Status: flowlog.StatusActive}, Param: "Status", Value: "Active", Total: 124, Match: 124},
		{Name: "inactive", F: flowlog.ListFilter{Status: flowlog.StatusInactive}, Param: "Status", Value: "Inactive"},
		{Name: "pending", F: flowlog.ListFilter{Status: flowlog.StatusPending}, Param: "Status", Total: 124},
	})

	// A router-level flow log carries its router's ID, which the pinned SDK
	// does not decode, however the page was filtered.
	for _, f := range []flowlog.ListFilter{{ResourceID: otherTR}, {NetworkID: otherCEN}} {
		pg, err := p.ListPage(ctx, region, f, "")
		require.NoError(t, err)
		require.Len(t, pg.FlowLogs, 4)
		for _, fl := range pg.FlowLogs {
			if fl.ID == trFlowLog {
				assert.Equal(t, flowlog.Resource{Kind: flowlog.ResourceTransitRouter, ID: otherTR, NetworkID: otherCEN}, fl.Resource, "%+v", f)
			} else {
				assert.Equal(t, flowlog.ResourceTransitRouterAttachment, fl.Resource.Kind)
			}
		}
	}
	_, err := p.ListPage(ctx, region, flowlog.ListFilter{}, "-1")
	assert.ErrorIs(t, err, flowlog.ErrInvalidArgument)
}

func TestSetEnabledOfCEN(t *testing.T) {
	srv, p, clock, log := fakeClockSetup(t)
	ctx := context.Background()
	region := flowlogtest.DefaultRegion
	spec := attachmentSpec(flowlogtest.DefaultTransitRouterAttachmentID)
	created, err := p.Create(ctx, &spec)
	require.NoError(t, err)
	id := created.ID

	// CEN shows Modifying for both directions: pending, settling unknown.
	testkit.Steps(t, p, region, id, clock, settleDelay, []testkit.Step{
		{Call: func() error { return nil }, Raw: "Creating", Settling: flowlog.StatusActive, Then: flowlog.StatusActive},
		{Call: func() error { return p.SetEnabled(ctx, region, id, false) }, Raw: "Modifying", Settling: flowlog.StatusUnknown, Then: flowlog.StatusInactive},
		{Call: func() error { return p.SetEnabled(ctx, region, id, true) }, Raw: "Modifying", Settling: flowlog.StatusUnknown, Then: flowlog.StatusActive},
		{Call: func() error { return p.Delete(ctx, region, id) }, Raw: "Deleting", Settling: flowlog.StatusDeleted, Then: flowlog.StatusDeleted},
	})
	assert.Equal(t, 1, srv.Calls("Cbn.DeactiveFlowLog"))
	assert.Equal(t, 1, srv.Calls("Cbn.ActiveFlowLog"))

	// The unknown flow log, now deleted; and what went out.
	for op, enabled := range map[string]bool{"ActiveFlowLog": true, "DeactiveFlowLog": false} {
		fe := testkit.ProviderError(t, p.SetEnabled(ctx, region, id, enabled),
			flowlog.ErrNotFound, "InvalidFlowlogId.NotFound", driver.RetryNever)
		assert.Equal(t, op, fe.Op)
		assert.Equal(t, id, fe.ID)
		q := log.Last().Query
		assert.Equal(t, op, q.Get("Action"), "upper-case L")
		assert.Equal(t, id, q.Get("FlowLogId"))
		assert.Equal(t, region, q.Get("RegionId"))
		assert.Equal(t, "2017-09-12", q.Get("Version"), "the API version, never the business field")
		assert.False(t, q.Has("CenId"))
	}
}

func TestSetEnabledOfCENWhileBusy(t *testing.T) {
	_, p, _, _ := fakeClockSetup(t)
	ctx := context.Background()
	spec := attachmentSpec(flowlogtest.DefaultTransitRouterAttachmentID)
	created, err := p.Create(ctx, &spec)
	require.NoError(t, err)
	// Still Creating: refused, not applied, so safe to retry.
	for _, enabled := range []bool{true, false} {
		testkit.ProviderError(t, p.SetEnabled(ctx, spec.Region, created.ID, enabled),
			flowlog.ErrUnavailable, "IncorrectStatus.TrFlowlog", driver.RetrySafe)
	}
}
