package tencent_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/internal/testkit"
	"github.com/cloudflowlog/flowlog-go/tencent"
)

// unlimitedSetup starts an emulator without Tencent's rate limit and a
// provider without its own, whose requests are recorded.
func unlimitedSetup(t *testing.T) (*flowlogtest.Server, *tencent.Provider, *testkit.RequestLog) {
	t.Helper()
	srv, _, log := testkit.Emulator(t, 0, flowlogtest.WithTencentRateLimit(0))
	return srv, newProvider(t, srv, tencent.WithRateLimit(0), tencent.WithHTTPTransport(log)), log
}

// lastRequest returns the action and the JSON parameters of the last request.
func lastRequest(t *testing.T, log *testkit.RequestLog) (string, map[string]any) {
	t.Helper()
	r := log.Last()
	var params map[string]any
	require.NoError(t, json.Unmarshal(r.Body, &params))
	return r.Header.Get("X-TC-Action"), params
}

func TestListPageOfTencent(t *testing.T) {
	srv, p, log := unlimitedSetup(t)
	ctx := context.Background()
	region := flowlogtest.DefaultTencentRegion
	const otherVPC = "vpc-other001"
	enis := srv.AddTencentNetworkInterfaces(region, flowlogtest.DefaultTencentVPCID, 101)
	others := srv.AddTencentNetworkInterfaces(region, otherVPC, 3)
	var ids []string
	for i, eni := range append(enis, others...) {
		spec := eniSpec(eni)
		if i >= len(enis) {
			spec.Resource.NetworkID = otherVPC
		}
		if i%10 == 0 {
			spec.Name = "every-tenth"
		}
		fl, err := p.Create(ctx, &spec)
		require.NoError(t, err)
		ids = append(ids, fl.ID)
	}

	// 104 flow logs are pages of 100 and 4.
	pages := testkit.Walk(t, p, region, func() int { return srv.Calls("DescribeFlowLogs") }, 2, 100, 104)
	var listed []string
	for _, pg := range pages {
		for _, fl := range pg.FlowLogs {
			listed = append(listed, fl.ID)
			assert.Equal(t, flowlog.StatusActive, fl.Status)
		}
	}
	assert.Equal(t, ids, listed, "oldest first")
	action, params := lastRequest(t, log)
	assert.Equal(t, "DescribeFlowLogs", action)
	assert.Equal(t, map[string]any{"Offset": 100.0, "Limit": 100.0, "OrderField": "createTime", "OrderDirection": "ASC"}, params)

	// The API has no status filter. An unknown VPC is an empty list, not
	// an error.
	testkit.Filters(t, p, region, log, []testkit.FilterCase{
		{Name: "resource", F: flowlog.ListFilter{ResourceID: enis[7]}, Param: "ResourceId", Value: enis[7], Total: 1, Match: 1},
		{Name: "name", F: flowlog.ListFilter{Name: "every-tenth"}, Param: "FlowLogName", Value: "every-tenth", Total: 11, Match: 11},
		{Name: "network", F: flowlog.ListFilter{NetworkID: otherVPC}, Param: "VpcId", Value: otherVPC, Total: 3, Match: 3},
		{Name: "unknown network", F: flowlog.ListFilter{NetworkID: "vpc-zzzzzzzz"}, Param: "VpcId", Value: "vpc-zzzzzzzz"},
		{Name: "active", F: flowlog.ListFilter{Status: flowlog.StatusActive}, Param: "CloudLogState", Total: 104, Match: 104},
		{Name: "inactive", F: flowlog.ListFilter{Status: flowlog.StatusInactive}, Param: "Enable", Total: 104},
	})
	for _, k := range []string{"Filters", "FlowLogId"} {
		assert.Empty(t, log.Last().Param(k), "never %s", k)
	}

	_, err := p.ListPage(ctx, region, flowlog.ListFilter{NetworkID: "vpc_BAD"}, "")
	testkit.ProviderError(t, err, flowlog.ErrInvalidArgument, "InvalidParameterValue.Malformed", driver.RetryNever)
	_, err = p.ListPage(ctx, region, flowlog.ListFilter{}, "-1.5")
	assert.ErrorIs(t, err, flowlog.ErrInvalidArgument)
}

func TestSetEnabledOfTencent(t *testing.T) {
	srv, p, log := unlimitedSetup(t)
	ctx := context.Background()
	region := flowlogtest.DefaultTencentRegion
	spec := eniSpec(flowlogtest.DefaultTencentNetworkInterfaceID)
	created, err := p.Create(ctx, &spec)
	require.NoError(t, err)
	assert.Equal(t, flowlog.StatusPending, created.Status, "CLS has not reported yet")
	assert.Equal(t, flowlog.StatusActive, created.Settling)
	id := created.ID
	assert.Equal(t, flowlog.StatusActive, testkit.DescribeOne(t, p, region, id).Status)

	// Enable and disable are synchronous.
	for _, enabled := range []bool{false, true, true} {
		require.NoError(t, p.SetEnabled(ctx, region, id, enabled))
		action, params := lastRequest(t, log)
		assert.Equal(t, map[bool]string{true: "EnableFlowLogs", false: "DisableFlowLogs"}[enabled], action)
		assert.Equal(t, map[string]any{"FlowLogIds": []any{id}}, params)
		fl := testkit.DescribeOne(t, p, region, id)
		assert.Equal(t, map[bool]flowlog.Status{true: flowlog.StatusActive, false: flowlog.StatusInactive}[enabled], fl.Status)
		assert.Equal(t, flowlog.StatusUnknown, fl.Settling)
	}
	assert.Equal(t, 1, srv.Calls("DisableFlowLogs"))
	assert.Equal(t, 2, srv.Calls("EnableFlowLogs"))

	for op, enabled := range map[string]bool{"EnableFlowLogs": true, "DisableFlowLogs": false} {
		fe := testkit.ProviderError(t, p.SetEnabled(ctx, region, "fl-zzzzzzzz", enabled),
			flowlog.ErrNotFound, "ResourceNotFound", driver.RetryNever)
		assert.Equal(t, op, fe.Op)
		assert.Equal(t, "fl-zzzzzzzz", fe.ID)
		testkit.ProviderError(t, p.SetEnabled(ctx, region, "fl_BAD", enabled),
			flowlog.ErrInvalidArgument, "InvalidParameterValue.Malformed", driver.RetryNever)
	}
}

// Tencent cannot change the aggregation interval in place: Update refuses
// it before sending anything.
func TestUpdateOfTheIntervalIsUnsupported(t *testing.T) {
	srv := flowlogtest.NewServer(flowlogtest.WithTencentRateLimit(0))
	defer srv.Close()
	p, err := tencent.New(tencent.WithEndpoint(srv.URL), tencent.WithRateLimit(0),
		tencent.WithSecretKey(flowlogtest.DefaultTencentSecretID, flowlogtest.DefaultTencentSecretKey))
	require.NoError(t, err)
	c := flowlog.NewClient(p)
	defer c.Close()
	_, err = c.Update(context.Background(), flowlogtest.DefaultTencentRegion, "fl-12345678",
		flowlog.Patch{AggregationInterval: flowlog.Ptr(time.Minute)})
	require.ErrorIs(t, err, flowlog.ErrUnsupported)
	assert.ErrorContains(t, err, "AggregationInterval")
	assert.Zero(t, srv.Calls("DescribeFlowLogs")+srv.Calls("ModifyFlowLogAttribute"), "nothing was sent")
}
