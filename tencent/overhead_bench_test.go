package tencent_test

import (
	"context"
	"testing"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"
	vpc "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/vpc/v20170312"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/tencent"
)

// BenchmarkOverhead compares one create and one describe through the client
// with the same two calls made directly with the official SDK. The
// emulator's rate limit is off, and so is the client's, on both sides: the
// benchmark measures the library, not the limit.
func BenchmarkOverhead(b *testing.B) {
	server := func(b *testing.B) (*flowlogtest.Server, func(int) string) {
		srv := flowlogtest.NewServer(flowlogtest.WithTencentRateLimit(0))
		b.Cleanup(srv.Close)
		return srv, func(i int) string {
			eni := flowlogtest.BenchmarkID("eni", i)
			srv.AddTencentNetworkInterface(flowlogtest.DefaultTencentRegion, flowlogtest.DefaultTencentVPCID, eni)
			return eni
		}
	}
	client := func(b *testing.B) (func(int) string, func(*testing.B, string)) {
		srv, seed := server(b)
		c := flowlog.NewClient(newProvider(b, srv, tencent.WithRateLimit(0)))
		b.Cleanup(func() { c.Close() })
		return seed, func(b *testing.B, eni string) {
			fl, err := c.Create(context.Background(), eniSpec(eni))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := c.Get(context.Background(), flowlogtest.DefaultTencentRegion, fl.ID); err != nil {
				b.Fatal(err)
			}
		}
	}
	raw := func(b *testing.B) (func(int) string, func(*testing.B, string)) {
		srv, seed := server(b)
		cpf := profile.NewClientProfile()
		cpf.HttpProfile.Endpoint, cpf.HttpProfile.Scheme = srv.Endpoint(), "HTTP"
		cpf.Language = "en-US"
		cl, err := vpc.NewClient(common.NewCredential(flowlogtest.DefaultTencentSecretID, flowlogtest.DefaultTencentSecretKey),
			flowlogtest.DefaultTencentRegion, cpf)
		if err != nil {
			b.Fatal(err)
		}
		spec := eniSpec("")
		return seed, func(b *testing.B, eni string) {
			req := vpc.NewCreateFlowLogRequest()
			req.FlowLogName, req.FlowLogDescription = common.StringPtr(spec.Name), common.StringPtr(spec.Description)
			req.ResourceType, req.ResourceId = common.StringPtr("NETWORKINTERFACE"), common.StringPtr(eni)
			req.TrafficType, req.VpcId = common.StringPtr("ACCEPT"), common.StringPtr(flowlogtest.DefaultTencentVPCID)
			req.StorageType, req.CloudLogId = common.StringPtr("cls"), common.StringPtr(flowlogtest.DefaultCLSTopicID)
			req.Tags = []*vpc.Tag{{Key: common.StringPtr("team"), Value: common.StringPtr("net")}}
			resp, err := cl.CreateFlowLogWithContext(context.Background(), req)
			if err != nil {
				b.Fatal(err)
			}
			d := vpc.NewDescribeFlowLogsRequest()
			d.FlowLogId, d.Offset, d.Limit = resp.Response.FlowLog[0].FlowLogId, common.Uint64Ptr(0), common.Uint64Ptr(100)
			if _, err := cl.DescribeFlowLogsWithContext(context.Background(), d); err != nil {
				b.Fatal(err)
			}
		}
	}
	flowlogtest.CompareOverhead(b, client, raw)
}
