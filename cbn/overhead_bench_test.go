package cbn_test

import (
	"context"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkcbn "github.com/aliyun/alibaba-cloud-sdk-go/services/cbn"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
)

// BenchmarkOverhead compares one create and one describe through the client
// with the same two calls made directly with the official SDK.
func BenchmarkOverhead(b *testing.B) {
	server := func(b *testing.B) (*flowlogtest.Server, func(int) string) {
		srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(0))
		b.Cleanup(srv.Close)
		return srv, func(i int) string {
			att := flowlogtest.BenchmarkID("tr-attach", i)
			srv.AddTransitRouterAttachment(flowlogtest.DefaultCENID, flowlogtest.DefaultRegion, flowlogtest.DefaultTransitRouterID, att)
			return att
		}
	}
	client := func(b *testing.B) (func(int) string, func(*testing.B, string)) {
		srv, seed := server(b)
		c := flowlog.NewClient(newProvider(b, srv))
		b.Cleanup(func() { c.Close() })
		return seed, func(b *testing.B, att string) {
			fl, err := c.Create(context.Background(), attachmentSpec(att))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := c.Get(context.Background(), flowlogtest.DefaultRegion, fl.ID); err != nil {
				b.Fatal(err)
			}
		}
	}
	raw := func(b *testing.B) (func(int) string, func(*testing.B, string)) {
		srv, seed := server(b)
		cl, err := sdkcbn.NewClientWithOptions(flowlogtest.DefaultRegion, sdk.NewConfig().WithScheme("HTTP"),
			credentials.NewStaticAKCredentialsProvider(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
		if err != nil {
			b.Fatal(err)
		}
		cl.Domain = srv.Endpoint()
		spec := attachmentSpec("")
		return seed, func(b *testing.B, att string) {
			req := sdkcbn.CreateCreateFlowlogRequest()
			req.RegionId, req.CenId, req.TransitRouterAttachmentId = flowlogtest.DefaultRegion, flowlogtest.DefaultCENID, att
			req.FlowLogName, req.Description = spec.Name, spec.Description
			req.ProjectName, req.LogStoreName = spec.Destination.SLS.Project, spec.Destination.SLS.LogStore
			req.Interval = "60"
			req.ClientToken = att // one token per logical create, as the client does
			req.Tag = &[]sdkcbn.CreateFlowlogTag{{Key: "team", Value: "net"}}
			resp, err := cl.CreateFlowlog(req)
			if err != nil {
				b.Fatal(err)
			}
			d := sdkcbn.CreateDescribeFlowlogsRequest()
			d.RegionId, d.FlowLogId = flowlogtest.DefaultRegion, resp.FlowLogId
			d.PageNumber, d.PageSize = "1", "50"
			if _, err := cl.DescribeFlowlogs(d); err != nil {
				b.Fatal(err)
			}
		}
	}
	flowlogtest.CompareOverhead(b, client, raw)
}
