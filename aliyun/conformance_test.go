package aliyun_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/aliyun"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/flowlog/ratelimit"
)

func TestConformance(t *testing.T) {
	flowlogtest.RunConformance(t, flowlogtest.Harness{
		NewProvider: func(t *testing.T, srv *flowlogtest.Server, rt http.RoundTripper) driver.Provider {
			p, err := aliyun.New(aliyun.WithEndpoint(srv.URL), aliyun.WithHTTPTransport(rt),
				aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
			require.NoError(t, err)
			return p
		},
		NewProviderWithLimiter: func(t *testing.T, srv *flowlogtest.Server, lim ratelimit.Limiter) driver.Provider {
			p, err := aliyun.New(aliyun.WithEndpoint(srv.URL), aliyun.WithLimiter(lim),
				aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
			require.NoError(t, err)
			return p
		},
		NewProviderWithSecret: func(t *testing.T, srv *flowlogtest.Server, secret string) driver.Provider {
			p, err := aliyun.New(aliyun.WithEndpoint(srv.URL), aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, secret))
			require.NoError(t, err)
			return p
		},
		Spec: func(t *testing.T, srv *flowlogtest.Server, i int) flowlog.FlowLogSpec {
			eni := fmt.Sprintf("eni-conformance%04d", i)
			srv.AddNetworkInterface(flowlogtest.DefaultRegion, flowlogtest.DefaultVPCID, flowlogtest.DefaultVSwitchID, eni)
			return eniSpec(eni)
		},
		Invalid: []flowlogtest.InvalidCase{
			{Name: "interval", Mutate: func(s *flowlog.FlowLogSpec) { s.AggregationInterval = 3 }, Field: "AggregationInterval", Is: flowlog.ErrInvalidArgument},
			{Name: "CLS", Mutate: func(s *flowlog.FlowLogSpec) {
				s.Destination = flowlog.Destination{CLS: &flowlog.CLSDestination{TopicID: "t"}}
			}, Field: "Destination.CLS", Is: flowlog.ErrUnsupported},
			{Name: "no region", Mutate: func(s *flowlog.FlowLogSpec) { s.Region = "" }, Field: "Region", Is: flowlog.ErrInvalidArgument},
		},
		ServerErrors: []flowlogtest.ServerErrorCase{
			{Name: "unknown resource", Is: flowlog.ErrNotFound, ProviderCode: "InvalidInstanceId",
				Prepare: func(t *testing.T, srv *flowlogtest.Server, s *flowlog.FlowLogSpec) {
					s.Resource.ID = "eni-unknown000000000"
				}},
			{Name: "unknown logstore", Is: flowlog.ErrNotFound, ProviderCode: "ProjectOrLogstoreNotExist",
				Prepare: func(t *testing.T, srv *flowlogtest.Server, s *flowlog.FlowLogSpec) {
					s.Destination.SLS.LogStore = "nope-store"
				}},
			{Name: "service not opened", Is: flowlog.ErrFailedPrecondition, ProviderCode: "OptInRequired.FlowLog",
				Prepare: func(t *testing.T, srv *flowlogtest.Server, s *flowlog.FlowLogSpec) {
					srv.SetFlowLogServiceOpened(s.Region, false)
				}},
		},
		Raw: func() any { return new(vpc.FlowLog) },
	})
}
