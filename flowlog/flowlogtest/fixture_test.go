package flowlogtest

import (
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAddNetworkInterfaces(t *testing.T) {
	srv := newTestServer(t, WithActivationDelay(0))
	first := srv.AddNetworkInterfaces(DefaultRegion, "vpc-bulk", "vsw-bulk", 3)
	second := srv.AddNetworkInterfaces(DefaultRegion, "vpc-bulk", "vsw-bulk", 2)
	assert.Empty(t, srv.AddNetworkInterfaces(DefaultRegion, "vpc-bulk", "vsw-bulk", 0))
	assert.Empty(t, srv.AddNetworkInterfaces(DefaultRegion, "vpc-bulk", "vsw-bulk", -1))
	all := append(append([]string{}, first...), second...)
	require.Len(t, all, 5)
	seen := map[string]bool{}
	for _, id := range all {
		assert.Regexp(t, `^eni-emun\d+$`, id)
		assert.False(t, seen[id], "duplicate %s", id)
		seen[id] = true
	}

	// The generated ENIs, their vSwitch and VPC are usable resources.
	c := defaultClient(t, srv)
	for _, id := range []struct{ typ, id string }{{"NetworkInterface", all[4]}, {"VSwitch", "vsw-bulk"}, {"VPC", "vpc-bulk"}} {
		mustCreate(t, c, func(r *vpc.CreateFlowLogRequest) { r.ResourceType, r.ResourceId = id.typ, id.id })
	}
	for _, fl := range srv.VPCFlowLogs() {
		assert.Equal(t, "vpc-bulk", fl.VPCID)
	}
}

func TestSeedingCreatesParents(t *testing.T) {
	srv := newTestServer(t, WithoutDefaultFixture())
	srv.AddNetworkInterface("ap-southeast-1", "vpc-sg", "vsw-sg", "eni-sg")
	srv.AddSLSLogStore("sg-project", "sg-store")
	c := newVPCClient(t, srv, "ap-southeast-1", DefaultAccessKeyID, DefaultAccessKeySecret)
	for _, r := range []struct{ typ, id string }{{"NetworkInterface", "eni-sg"}, {"VSwitch", "vsw-sg"}, {"VPC", "vpc-sg"}} {
		mustCreate(t, c, func(req *vpc.CreateFlowLogRequest) {
			req.ResourceType, req.ResourceId = r.typ, r.id
			req.ProjectName, req.LogStoreName = "sg-project", "sg-store"
		})
	}
	// The default fixture is absent.
	_, err := c.CreateFlowLog(func() *vpc.CreateFlowLogRequest {
		r := validCreate()
		r.RegionId, r.ResourceId, r.ProjectName, r.LogStoreName = "ap-southeast-1", "eni-sg", DefaultSLSProject, DefaultSLSLogStore
		return r
	}())
	requireServerError(t, err, 400, "ProjectOrLogstoreNotExist", "")
}

func TestVPCFlowLogsIsASnapshot(t *testing.T) {
	srv := newTestServer(t)
	c := defaultClient(t, srv)
	id := mustCreate(t, c, func(r *vpc.CreateFlowLogRequest) {
		r.Tag = &[]vpc.CreateFlowLogTag{{Key: "k", Value: "v"}}
	})
	snap := srv.VPCFlowLogs()
	require.Len(t, snap, 1)
	snap[0].Tags[0].Value = "changed"
	snap[0].TrafficPath[0] = "changed"
	snap[0].Status = "changed"

	fl := describeOne(t, c, id)
	assert.Equal(t, "v", fl.Tags.Tag[0].Value)
	assert.Equal(t, []string{"all"}, fl.TrafficPath.TrafficPathList)
	assert.NotEqual(t, "changed", fl.Status)
}

func TestFailDeliveryUnknownIDIsIgnored(t *testing.T) {
	srv := newTestServer(t)
	srv.FailDelivery("fl-unknown", "UnknownError")
	assert.Empty(t, srv.VPCFlowLogs())
}
