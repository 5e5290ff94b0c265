package aliyun_test

import (
	"context"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/cloudflowlog/flowlog-go/aliyun"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
)

// BenchmarkOverhead compares one create and one describe through the client
// with the same two calls made directly with the official SDK, against the
// emulator on loopback. Reproduce the README's table with:
//
//	go test -run '^$' -bench Overhead -benchmem -count 20 ./aliyun/ ./cbn/ ./tencent/
func BenchmarkOverhead(b *testing.B) {
	server := func(b *testing.B) (*flowlogtest.Server, func(int) string) {
		srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(0))
		b.Cleanup(srv.Close)
		return srv, func(i int) string {
			eni := flowlogtest.BenchmarkID("eni", i)
			srv.AddNetworkInterface(flowlogtest.DefaultRegion, flowlogtest.DefaultVPCID, flowlogtest.DefaultVSwitchID, eni)
			return eni
		}
	}
	client := func(b *testing.B) (func(int) string, func(*testing.B, string)) {
		srv, seed := server(b)
		p, err := aliyun.New(aliyun.WithEndpoint(srv.URL),
			aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
		if err != nil {
			b.Fatal(err)
		}
		c := flowlog.NewClient(p)
		b.Cleanup(func() { c.Close() })
		return seed, func(b *testing.B, eni string) {
			fl, err := c.Create(context.Background(), eniSpec(eni))
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
		cl, err := vpc.NewClientWithOptions(flowlogtest.DefaultRegion, sdk.NewConfig().WithScheme("HTTP"),
			credentials.NewStaticAKCredentialsProvider(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
		if err != nil {
			b.Fatal(err)
		}
		cl.Domain = srv.Endpoint()
		spec := eniSpec("")
		return seed, func(b *testing.B, eni string) {
			req := vpc.CreateCreateFlowLogRequest()
			req.RegionId = flowlogtest.DefaultRegion
			req.ResourceType, req.ResourceId, req.TrafficType = "NetworkInterface", eni, "Drop"
			req.FlowLogName, req.Description = spec.Name, spec.Description
			req.ProjectName, req.LogStoreName = spec.Destination.SLS.Project, spec.Destination.SLS.LogStore
			req.AggregationInterval = "5"
			req.Tag = &[]vpc.CreateFlowLogTag{{Key: "env", Value: "test"}, {Key: "team", Value: "net"}}
			resp, err := cl.CreateFlowLog(req)
			if err != nil {
				b.Fatal(err)
			}
			d := vpc.CreateDescribeFlowLogsRequest()
			d.RegionId, d.FlowLogId = flowlogtest.DefaultRegion, resp.FlowLogId
			d.PageNumber, d.PageSize = "1", "50"
			if _, err := cl.DescribeFlowLogs(d); err != nil {
				b.Fatal(err)
			}
		}
	}
	flowlogtest.CompareOverhead(b, client, raw)
}
