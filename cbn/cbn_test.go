package cbn_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	sdkcbn "github.com/aliyun/alibaba-cloud-sdk-go/services/cbn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/cloudflowlog/flowlog-go/cbn"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/flowlog/ratelimit"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		goleak.IgnoreTopFunction("internal/poll.runtime_pollWait"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).readLoop"))
}

func newProvider(t testing.TB, srv *flowlogtest.Server, opts ...cbn.Option) *cbn.Provider {
	t.Helper()
	p, err := cbn.New(append([]cbn.Option{cbn.WithEndpoint(srv.URL),
		cbn.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret)}, opts...)...)
	require.NoError(t, err)
	return p
}

func attachmentSpec(attachment string) flowlog.FlowLogSpec {
	return flowlog.FlowLogSpec{
		Region:      flowlogtest.DefaultRegion,
		Name:        "cen-flowlog",
		Description: "a CEN flow log",
		Resource: flowlog.Resource{Kind: flowlog.ResourceTransitRouterAttachment, ID: attachment,
			NetworkID: flowlogtest.DefaultCENID},
		Destination: flowlog.Destination{SLS: &flowlog.SLSDestination{
			Project: flowlogtest.DefaultSLSProject, LogStore: flowlogtest.DefaultSLSLogStore}},
		AggregationInterval: time.Minute,
		Tags:                map[string]string{"team": "net"},
	}
}

func TestConformance(t *testing.T) {
	flowlogtest.RunConformance(t, flowlogtest.Harness{
		NewProvider: func(t *testing.T, srv *flowlogtest.Server, rt http.RoundTripper) driver.Provider {
			return newProvider(t, srv, cbn.WithHTTPTransport(rt))
		},
		NewProviderWithLimiter: func(t *testing.T, srv *flowlogtest.Server, lim ratelimit.Limiter) driver.Provider {
			return newProvider(t, srv, cbn.WithLimiter(lim))
		},
		NewProviderWithSecret: func(t *testing.T, srv *flowlogtest.Server, secret string) driver.Provider {
			return newProvider(t, srv, cbn.WithAccessKey(flowlogtest.DefaultAccessKeyID, secret))
		},
		Spec: func(t *testing.T, srv *flowlogtest.Server, i int) flowlog.FlowLogSpec {
			id := fmt.Sprintf("tr-attach-conformance%04d", i)
			srv.AddTransitRouterAttachment(flowlogtest.DefaultCENID, flowlogtest.DefaultRegion, flowlogtest.DefaultTransitRouterID, id)
			return attachmentSpec(id)
		},
		Invalid: []flowlogtest.InvalidCase{
			{Name: "interval", Mutate: func(s *flowlog.FlowLogSpec) { s.AggregationInterval = 5 * time.Minute }, Field: "AggregationInterval", Is: flowlog.ErrInvalidArgument},
			{Name: "no CEN", Mutate: func(s *flowlog.FlowLogSpec) { s.Resource.NetworkID = "" }, Field: "Resource.NetworkID", Is: flowlog.ErrInvalidArgument},
			{Name: "traffic type", Mutate: func(s *flowlog.FlowLogSpec) { s.TrafficType = flowlog.TrafficReject }, Field: "TrafficType", Is: flowlog.ErrUnsupported},
			{Name: "ENI", Mutate: func(s *flowlog.FlowLogSpec) { s.Resource.Kind = flowlog.ResourceNetworkInterface }, Field: "Resource.Kind", Is: flowlog.ErrUnsupported},
			{Name: "tag key of 65", Mutate: func(s *flowlog.FlowLogSpec) {
				s.Tags = map[string]string{fmt.Sprintf("%065d", 1): "v"}
			}, Field: "key", Is: flowlog.ErrInvalidArgument},
			{Name: "VPC knobs", Mutate: func(s *flowlog.FlowLogSpec) { s.Alibaba = &flowlog.AlibabaOptions{IPVersion: "IPv4"} }, Field: "Alibaba", Is: flowlog.ErrUnsupported},
			{Name: "CKafka", Mutate: func(s *flowlog.FlowLogSpec) {
				s.Destination = flowlog.Destination{CKafka: &flowlog.CKafkaDestination{InstanceID: "i", Topic: "t"}}
			}, Field: "Destination.CKafka", Is: flowlog.ErrUnsupported},
		},
		ServerErrors: []flowlogtest.ServerErrorCase{
			{Name: "unknown CEN", Is: flowlog.ErrNotFound, ProviderCode: "InvalidCenId.NotFound",
				Prepare: func(t *testing.T, srv *flowlogtest.Server, s *flowlog.FlowLogSpec) {
					s.Resource.NetworkID = "cen-unknown00000000"
				}},
			{Name: "unknown attachment", Is: flowlog.ErrNotFound, ProviderCode: "InvalidTransitRouterAttachmentId.NotFound",
				Prepare: func(t *testing.T, srv *flowlogtest.Server, s *flowlog.FlowLogSpec) {
					s.Resource.ID = "tr-attach-unknown0000000"
				}},
		},
		Raw: func() any { return new(sdkcbn.FlowLog) },
	})
}

func TestClientTokenMakesCreateIdempotent(t *testing.T) {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(10 * time.Millisecond))
	defer srv.Close()
	c := flowlog.NewClient(newProvider(t, srv))
	spec := attachmentSpec(flowlogtest.DefaultTransitRouterAttachmentID)
	spec.ClientToken = "logical-create-1"

	// The same logical create, sent from many goroutines (as retries after a
	// lost response would be), makes one flow log.
	var wg sync.WaitGroup
	ids := make([]string, 8)
	for i := range ids {
		wg.Go(func() {
			fl, err := c.Create(context.Background(), spec)
			if assert.NoError(t, err) {
				ids[i] = fl.ID
			}
		})
	}
	wg.Wait()
	for _, id := range ids {
		assert.Equal(t, ids[0], id)
	}
	assert.Len(t, srv.CENFlowLogs(), 1)
}

func TestSpecReachesTheServer(t *testing.T) {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(10 * time.Millisecond))
	defer srv.Close()
	c := flowlog.NewClient(newProvider(t, srv), flowlog.WithWaitDefaults(flowlog.PollDelay(2*time.Millisecond, 10*time.Millisecond)))
	ctx := context.Background()

	spec := attachmentSpec(flowlogtest.DefaultTransitRouterAttachmentID2)
	spec.AggregationInterval = 10 * time.Minute
	fl, err := c.CreateAndWait(ctx, spec)
	require.NoError(t, err)
	assert.Equal(t, 10*time.Minute, fl.AggregationInterval)
	assert.Equal(t, "Active", fl.RawStatus)
	var raw sdkcbn.FlowLog
	require.True(t, fl.As(&raw))
	assert.Equal(t, int64(600), raw.Interval, "the interval is sent in seconds")
	assert.Equal(t, flowlogtest.DefaultCENID, raw.CenId)

	// A transit-router-level flow log goes out as TransitRouterId.
	tr := attachmentSpec("")
	tr.Resource = flowlog.Resource{Kind: flowlog.ResourceTransitRouter, ID: flowlogtest.DefaultTransitRouterID, NetworkID: flowlogtest.DefaultCENID}
	created, err := c.Create(ctx, tr)
	require.NoError(t, err)
	var stored *flowlogtest.CENFlowLog
	for _, f := range srv.CENFlowLogs() {
		if f.FlowLogID == created.ID {
			stored = &f
		}
	}
	require.NotNil(t, stored)
	assert.Equal(t, flowlogtest.DefaultTransitRouterID, stored.TransitRouterID)
	assert.Empty(t, stored.TransitRouterAttachmentID)
}

// TestEnsureOnATransitRouterIsStable: a transit-router-level flow log is
// described with its router's ID (read from the response: the pinned SDK
// does not decode TransitRouterId), so a second Ensure finds the first
// one's flow log unchanged, and listing by the router takes no
// attachment's flow log for the router's.
func TestEnsureOnATransitRouterIsStable(t *testing.T) {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(10 * time.Millisecond))
	defer srv.Close()
	p := newProvider(t, srv)
	c := flowlog.NewClient(p, flowlog.WithWaitDefaults(flowlog.PollDelay(2*time.Millisecond, 10*time.Millisecond)))
	defer c.Close()
	ctx := context.Background()
	spec := attachmentSpec("")
	spec.Resource = flowlog.Resource{Kind: flowlog.ResourceTransitRouter, ID: flowlogtest.DefaultTransitRouterID,
		NetworkID: flowlogtest.DefaultCENID}

	first, err := c.Ensure(ctx, spec)
	require.NoError(t, err)
	second, err := c.Ensure(ctx, spec)
	require.NoError(t, err)
	assert.Equal(t, first.ID, second.ID)
	assert.Equal(t, spec.Resource, second.Resource)
	described, err := p.Describe(ctx, spec.Region, []string{first.ID})
	require.NoError(t, err)
	require.Len(t, described, 1)
	assert.Equal(t, spec.Resource, described[0].Resource)

	// A flow log on an attachment of the router is not on the router.
	_, err = c.Create(ctx, attachmentSpec(flowlogtest.DefaultTransitRouterAttachmentID))
	require.NoError(t, err)
	var found []string
	for fl, err := range c.List(ctx, spec.Region, flowlog.ListFilter{ResourceID: spec.Resource.ID, NetworkID: spec.Resource.NetworkID}) {
		require.NoError(t, err)
		found = append(found, fl.ID)
	}
	assert.Equal(t, []string{first.ID}, found)
}
