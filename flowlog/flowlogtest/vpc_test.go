package flowlogtest

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// validCreate returns a CreateFlowLog request that succeeds against the
// default fixture.
func validCreate() *vpc.CreateFlowLogRequest {
	req := vpc.CreateCreateFlowLogRequest()
	req.ResourceType = "NetworkInterface"
	req.ResourceId = DefaultNetworkInterfaceID
	req.TrafficType = "All"
	req.ProjectName = DefaultSLSProject
	req.LogStoreName = DefaultSLSLogStore
	return req
}

func mustCreate(t *testing.T, c *vpc.Client, mutate func(*vpc.CreateFlowLogRequest)) string {
	t.Helper()
	req := validCreate()
	if mutate != nil {
		mutate(req)
	}
	resp, err := c.CreateFlowLog(req)
	require.NoError(t, err)
	return resp.FlowLogId
}

func describeOne(t *testing.T, c *vpc.Client, id string) vpc.FlowLog {
	t.Helper()
	req := vpc.CreateDescribeFlowLogsRequest()
	req.FlowLogId = id
	resp, err := c.DescribeFlowLogs(req)
	require.NoError(t, err)
	require.Len(t, resp.FlowLogs.FlowLog, 1)
	return resp.FlowLogs.FlowLog[0]
}

func TestCreateFlowLogSuccess(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now), WithTrafficPathAllowed())
	c := defaultClient(t, srv)

	req := validCreate()
	req.FlowLogName = "my-flowlog"
	req.Description = "This is my Flowlog."
	req.TrafficType = "all" // the older doc's spelling is accepted and canonicalised
	req.AggregationInterval = requests.NewInteger(5)
	req.TrafficPath = &[]string{"all", "internetGateway"}
	req.IpVersion = "IPv4"
	req.ResourceGroupId = "rg-acfmxazdjdhd1234"
	req.Tag = &[]vpc.CreateFlowLogTag{{Key: "team", Value: "net"}, {Key: "empty", Value: ""}}
	resp, err := c.CreateFlowLog(req)
	require.NoError(t, err)
	assert.Equal(t, "true", resp.Success)
	assert.Regexp(t, `^fl-[a-z0-9]{21}$`, resp.FlowLogId)
	assert.Equal(t, "rg-acfmxazdjdhd1234", resp.ResourceGroupId)
	assert.Regexp(t, uuidUpper, resp.RequestId)

	fl := describeOne(t, c, resp.FlowLogId)
	assert.Equal(t, vpc.FlowLog{
		FlowLogId:           resp.FlowLogId,
		FlowLogName:         "my-flowlog",
		Description:         "This is my Flowlog.",
		Status:              "Activating",
		BusinessStatus:      "Normal",
		CreationTime:        clock.Now().Format("2006-01-02T15:04:05Z"),
		ResourceType:        "NetworkInterface",
		ResourceId:          DefaultNetworkInterfaceID,
		TrafficType:         "All",
		ProjectName:         DefaultSLSProject,
		LogStoreName:        DefaultSLSLogStore,
		RegionId:            DefaultRegion,
		AggregationInterval: 5,
		IpVersion:           "IPv4",
		ResourceGroupId:     "rg-acfmxazdjdhd1234",
		TrafficPath:         vpc.TrafficPath{TrafficPathList: []string{"all", "internetGateway"}},
		Tags: vpc.TagsInDescribeFlowLogs{Tag: []vpc.Tag{
			{Key: "team", Value: "net"}, {Key: "empty", Value: ""},
		}},
	}, fl)

	snap := srv.VPCFlowLogs()
	require.Len(t, snap, 1)
	assert.Equal(t, DefaultVPCID, snap[0].VPCID)
	assert.Equal(t, []Tag{{"team", "net"}, {"empty", ""}}, snap[0].Tags)
}

func TestCreateFlowLogDefaults(t *testing.T) {
	srv := newTestServer(t)
	c := defaultClient(t, srv)
	resp, err := c.CreateFlowLog(validCreate())
	require.NoError(t, err)
	assert.Equal(t, DefaultResourceGroupID, resp.ResourceGroupId)
	fl := describeOne(t, c, resp.FlowLogId)
	assert.Equal(t, 10, fl.AggregationInterval)
	assert.Equal(t, []string{"all"}, fl.TrafficPath.TrafficPathList)
	assert.Equal(t, "IPv4", fl.IpVersion)
	assert.Empty(t, fl.Tags.Tag)
	assert.Empty(t, fl.FlowLogName)
}

// TestCreateFlowLogErrors drives every CreateFlowLog error path through the
// official SDK and checks that nothing was created.
func TestCreateFlowLogErrors(t *testing.T) {
	const invalid = "The parameter invalid."
	tooManyTags := make([]vpc.CreateFlowLogTag, 21)
	for i := range tooManyTags {
		tooManyTags[i] = vpc.CreateFlowLogTag{Key: fmt.Sprintf("k%d", i), Value: "v"}
	}
	tests := []struct {
		name    string
		opts    []Option
		setup   func(*Server)
		mutate  func(*vpc.CreateFlowLogRequest)
		code    string
		message string
	}{
		{name: "missing ResourceType", mutate: func(r *vpc.CreateFlowLogRequest) { r.ResourceType = "" },
			code: "MissingParameter", message: "Missing mandatory parameter"},
		{name: "missing ResourceId", mutate: func(r *vpc.CreateFlowLogRequest) { r.ResourceId = "" },
			code: "MissingParameter", message: "Missing mandatory parameter"},
		{name: "missing TrafficType", mutate: func(r *vpc.CreateFlowLogRequest) { r.TrafficType = "" },
			code: "MissingParameter", message: "Missing mandatory parameter"},
		{name: "unknown region", mutate: func(r *vpc.CreateFlowLogRequest) { r.RegionId = "cn-nowhere" },
			code: "InvalidRegionId.NotFound", message: "The RegionId provided does not exist in our records."},
		{name: "unsupported ResourceType", mutate: func(r *vpc.CreateFlowLogRequest) { r.ResourceType = "Instance" },
			code: "OperationUnsupported.ResourceType", message: "This resource type is not supported."},
		{name: "ResourceType case matters", mutate: func(r *vpc.CreateFlowLogRequest) { r.ResourceType = "vpc" },
			code: "OperationUnsupported.ResourceType"},
		{name: "ResourceId of another type", mutate: func(r *vpc.CreateFlowLogRequest) { r.ResourceType = "VSwitch" },
			code: "InvalidResourceType.NotFound", message: "Resource type no the same."},
		{name: "unknown ENI", mutate: func(r *vpc.CreateFlowLogRequest) { r.ResourceId = "eni-doesnotexist" },
			code: "InvalidInstanceId", message: "networkInterface does not exist."},
		{name: "unknown vSwitch", mutate: func(r *vpc.CreateFlowLogRequest) {
			r.ResourceType, r.ResourceId = "VSwitch", "vsw-doesnotexist"
		}, code: "InvalidInstanceId", message: "vswitch does not exist."},
		{name: "unknown VPC", mutate: func(r *vpc.CreateFlowLogRequest) {
			r.ResourceType, r.ResourceId = "VPC", "vpc-doesnotexist"
		}, code: "InvalidInstanceId", message: "vpc does not exist."},
		{name: "ENI in another region", setup: func(s *Server) {
			s.AddNetworkInterface("cn-beijing", "vpc-bj", "vsw-bj", "eni-bj")
		}, mutate: func(r *vpc.CreateFlowLogRequest) { r.ResourceId = "eni-bj" }, code: "InvalidInstanceId"},
		{name: "bad TrafficType", mutate: func(r *vpc.CreateFlowLogRequest) { r.TrafficType = "Everything" },
			code: "INVALID_PARAMETER", message: invalid},
		{name: "no destination", mutate: func(r *vpc.CreateFlowLogRequest) { r.ProjectName, r.LogStoreName = "", "" },
			code:    "MissingParam.TrafficAnalyzerIdOrLogProjectOrLogStore",
			message: "TrafficAnalyzerId and ProjectName and LogStoreName parameters are not passed in."},
		{name: "project without logstore", mutate: func(r *vpc.CreateFlowLogRequest) { r.LogStoreName = "" },
			code: "MissingParam.TrafficAnalyzerIdOrLogProjectOrLogStore"},
		{name: "project with upper case", mutate: func(r *vpc.CreateFlowLogRequest) { r.ProjectName = "FlowLogProject" },
			code: "INVALID_PARAMETER", message: invalid},
		{name: "project too short", mutate: func(r *vpc.CreateFlowLogRequest) { r.ProjectName = "ab" },
			code: "INVALID_PARAMETER"},
		{name: "project too long", mutate: func(r *vpc.CreateFlowLogRequest) { r.ProjectName = strings.Repeat("a", 64) },
			code: "INVALID_PARAMETER"},
		{name: "project with underscore", mutate: func(r *vpc.CreateFlowLogRequest) { r.ProjectName = "flow_log" },
			code: "INVALID_PARAMETER"},
		{name: "logstore ending in hyphen", mutate: func(r *vpc.CreateFlowLogRequest) { r.LogStoreName = "store-" },
			code: "INVALID_PARAMETER"},
		{name: "unknown project", mutate: func(r *vpc.CreateFlowLogRequest) { r.ProjectName = "no-such-project" },
			code: "ProjectOrLogstoreNotExist", message: "The specified project or logstore does not exist."},
		{name: "unknown logstore", mutate: func(r *vpc.CreateFlowLogRequest) { r.LogStoreName = "no_such_store" },
			code: "ProjectOrLogstoreNotExist"},
		{name: "name too long", mutate: func(r *vpc.CreateFlowLogRequest) { r.FlowLogName = strings.Repeat("n", 129) },
			code: "INVALID_PARAMETER", message: invalid},
		{name: "name is a URL", mutate: func(r *vpc.CreateFlowLogRequest) { r.FlowLogName = "http://example.com" },
			code: "INVALID_PARAMETER"},
		{name: "description too long", mutate: func(r *vpc.CreateFlowLogRequest) { r.Description = strings.Repeat("d", 257) },
			code: "INVALID_PARAMETER"},
		{name: "description is a URL", mutate: func(r *vpc.CreateFlowLogRequest) { r.Description = "https://example.com" },
			code: "INVALID_PARAMETER"},
		{name: "interval 2", mutate: func(r *vpc.CreateFlowLogRequest) { r.AggregationInterval = requests.NewInteger(2) },
			code: "IllegalParam.AggregationInterval", message: "The param of aggregationInterval is illegal."},
		{name: "interval not a number", mutate: func(r *vpc.CreateFlowLogRequest) { r.AggregationInterval = "ten" },
			code: "IllegalParam.AggregationInterval"},
		{name: "traffic path unknown", mutate: func(r *vpc.CreateFlowLogRequest) { r.TrafficPath = &[]string{"vpn"} },
			code: "IllegalParam.TrafficPath", message: "The param of trafficPath is illegal."},
		{name: "traffic path duplicated", mutate: func(r *vpc.CreateFlowLogRequest) { r.TrafficPath = &[]string{"all", "all"} },
			code: "DuplicatedParam.TrafficPath", message: "The param of trafficPath is duplicated."},
		{name: "traffic path not allow-listed", mutate: func(r *vpc.CreateFlowLogRequest) {
			r.TrafficPath = &[]string{"internetGateway"}
		}, code: "UnsupportedFeature.UserDefinedTrafficPath",
			message: "The feature of UserDefinedTrafficPath is not supported."},
		{name: "traffic path with IPv6", opts: []Option{WithTrafficPathAllowed()}, mutate: func(r *vpc.CreateFlowLogRequest) {
			r.TrafficPath, r.IpVersion = &[]string{"internetGateway"}, "IPv6"
		}, code: "UnsupportedFeature.UserDefinedTrafficPathIpv6"},
		{name: "bad ResourceGroupId", mutate: func(r *vpc.CreateFlowLogRequest) { r.ResourceGroupId = "group-1" },
			code: "IllegalParam.ResourceGroupId", message: "Invalid ResourceGroupld value."},
		{name: "21 tags", mutate: func(r *vpc.CreateFlowLogRequest) { r.Tag = &tooManyTags },
			code: "INVALID_PARAMETER"},
		{name: "tag value without key", mutate: func(r *vpc.CreateFlowLogRequest) {
			r.Tag = &[]vpc.CreateFlowLogTag{{Value: "v"}}
		}, code: "INVALID_PARAMETER"},
		{name: "tag key aliyun prefix", mutate: func(r *vpc.CreateFlowLogRequest) {
			r.Tag = &[]vpc.CreateFlowLogTag{{Key: "aliyun:owner", Value: "v"}}
		}, code: "INVALID_PARAMETER"},
		{name: "tag key acs: prefix", mutate: func(r *vpc.CreateFlowLogRequest) {
			r.Tag = &[]vpc.CreateFlowLogTag{{Key: "acs:owner", Value: "v"}}
		}, code: "INVALID_PARAMETER"},
		{name: "tag value with URL", mutate: func(r *vpc.CreateFlowLogRequest) {
			r.Tag = &[]vpc.CreateFlowLogTag{{Key: "k", Value: "see https://x"}}
		}, code: "INVALID_PARAMETER"},
		{name: "tag key too long", mutate: func(r *vpc.CreateFlowLogRequest) {
			r.Tag = &[]vpc.CreateFlowLogTag{{Key: strings.Repeat("k", 129)}}
		}, code: "INVALID_PARAMETER"},
		{name: "service not opened", setup: func(s *Server) { s.SetFlowLogServiceOpened(DefaultRegion, false) },
			code: "OptInRequired.FlowLog",
			message: "You are not authorized to use the requested service of flowLog. " +
				"Ensure that you have subscribed to the service you are trying to use."},
		{name: "financially locked", setup: func(s *Server) { s.SetBusinessStatus(DefaultRegion, BusinessStatusFinancialLocked) },
			code: "IncorrectBusinessStatus.FlowLog", message: "The business status of flowLog is incorrect."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t, tt.opts...)
			if tt.setup != nil {
				tt.setup(srv)
			}
			req := validCreate()
			if tt.mutate != nil {
				tt.mutate(req)
			}
			_, err := defaultClient(t, srv).CreateFlowLog(req)
			requireServerError(t, err, http.StatusBadRequest, tt.code, tt.message)
			assert.Empty(t, srv.VPCFlowLogs())
			assert.Equal(t, 1, srv.Calls("CreateFlowLog"))
		})
	}
}

func TestCreateFlowLogLimitsAccepted(t *testing.T) {
	srv := newTestServer(t, WithTrafficPathAllowed())
	c := defaultClient(t, srv)
	maxTags := make([]vpc.CreateFlowLogTag, 20)
	for i := range maxTags {
		// 128-character keys and values: the documented maximum.
		maxTags[i] = vpc.CreateFlowLogTag{Key: fmt.Sprintf("%s%02d", strings.Repeat("k", 126), i), Value: strings.Repeat("v", 128)}
	}
	enis := srv.AddNetworkInterfaces(DefaultRegion, DefaultVPCID, DefaultVSwitchID, 6)
	cases := []func(*vpc.CreateFlowLogRequest){
		func(r *vpc.CreateFlowLogRequest) {
			r.FlowLogName, r.Description = strings.Repeat("名", 128), strings.Repeat("d", 256)
		},
		func(r *vpc.CreateFlowLogRequest) { r.Tag = &maxTags },
		func(r *vpc.CreateFlowLogRequest) {
			r.ProjectName, r.LogStoreName = "abc", "a_c"
			srv.AddSLSLogStore("abc", "a_c")
		},
		func(r *vpc.CreateFlowLogRequest) {
			r.TrafficType, r.AggregationInterval = "Drop", requests.NewInteger(1)
		},
		func(r *vpc.CreateFlowLogRequest) { r.TrafficType, r.IpVersion = "Allow", "IPv6" },
		func(r *vpc.CreateFlowLogRequest) { r.TrafficPath = &[]string{"internetGateway"} },
	}
	for i, mutate := range cases {
		mustCreate(t, c, func(r *vpc.CreateFlowLogRequest) {
			r.ResourceId = enis[i]
			mutate(r)
		})
	}
	assert.Len(t, srv.VPCFlowLogs(), len(cases))
}

func TestCreateFlowLogMissingRegionRaw(t *testing.T) {
	srv := newTestServer(t)
	resp := doRaw(t, srv, rawRequest{params: url.Values{
		"Action": {"CreateFlowLog"}, "RegionId": {""}, "ResourceType": {"VPC"}, "ResourceId": {DefaultVPCID},
		"TrafficType": {"All"}, "ProjectName": {DefaultSLSProject}, "LogStoreName": {DefaultSLSLogStore},
	}})
	assert.Equal(t, http.StatusBadRequest, resp.status)
	assert.Equal(t, "MissingParameter", resp.str("Code"))
	assert.Equal(t, "Missing mandatory parameter", resp.str("Message"))
}

func TestCreateFlowLogEmptyOptionalValuesRaw(t *testing.T) {
	// The SDK never sends empty strings, so an explicitly empty optional
	// value comes from a hand-made client and is validated, not ignored.
	srv := newTestServer(t)
	base := url.Values{
		"Action": {"CreateFlowLog"}, "ResourceType": {"VPC"}, "ResourceId": {DefaultVPCID},
		"TrafficType": {"All"}, "ProjectName": {DefaultSLSProject}, "LogStoreName": {DefaultSLSLogStore},
	}
	for param, code := range map[string]string{
		"FlowLogName":         "INVALID_PARAMETER",
		"Description":         "INVALID_PARAMETER",
		"AggregationInterval": "IllegalParam.AggregationInterval",
		"ResourceGroupId":     "IllegalParam.ResourceGroupId",
		"TrafficAnalyzerId":   "OperationDenied.NisTrafficAnalyzerNotFound",
	} {
		p := url.Values{}
		for k, v := range base {
			p[k] = v
		}
		p[param] = []string{""}
		resp := doRaw(t, srv, rawRequest{params: p})
		assert.Equal(t, http.StatusBadRequest, resp.status, param)
		assert.Equal(t, code, resp.str("Code"), param)
	}
	assert.Empty(t, srv.VPCFlowLogs())
}

func TestCreateFlowLogOnePerResource(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now), WithActivationDelay(time.Minute))
	c := defaultClient(t, srv)
	id := mustCreate(t, c, nil)

	_, err := c.CreateFlowLog(validCreate())
	requireServerError(t, err, 400, "InvalidResourceId.NotFound", "This resourceId already has flowlog instance existed.")

	// Still refused while the first one is being deleted...
	clock.Advance(time.Minute)
	del := vpc.CreateDeleteFlowLogRequest()
	del.FlowLogId = id
	_, err = c.DeleteFlowLog(del)
	require.NoError(t, err)
	_, err = c.CreateFlowLog(validCreate())
	requireServerError(t, err, 400, "InvalidResourceId.NotFound", "")

	// ...and accepted once it is gone.
	clock.Advance(time.Minute)
	mustCreate(t, c, nil)

	// Other resources are independent.
	mustCreate(t, c, func(r *vpc.CreateFlowLogRequest) { r.ResourceType, r.ResourceId = "VPC", DefaultVPCID })
}

func TestCreateFlowLogQuota(t *testing.T) {
	srv := newTestServer(t, WithFlowLogQuota(2))
	srv.AddNetworkInterface("cn-beijing", "vpc-bj", "vsw-bj", "eni-bj")
	c := defaultClient(t, srv)
	mustCreate(t, c, nil)
	mustCreate(t, c, func(r *vpc.CreateFlowLogRequest) { r.ResourceId = DefaultNetworkInterfaceID2 })
	_, err := c.CreateFlowLog(func() *vpc.CreateFlowLogRequest {
		r := validCreate()
		r.ResourceId = DefaultNetworkInterfaceID3
		return r
	}())
	requireServerError(t, err, 400, "QuotaExceeded.FlowlogCount", "This user has reached the maximum instance number of flowlog.")

	// The quota is per region.
	mustCreate(t, c, func(r *vpc.CreateFlowLogRequest) { r.RegionId, r.ResourceId = "cn-beijing", "eni-bj" })
}

func TestFlowLogLifecycle(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now), WithActivationDelay(time.Minute))
	c := defaultClient(t, srv)
	id := mustCreate(t, c, nil)

	status := func() (string, string, string, string) {
		fl := describeOne(t, c, id)
		return fl.Status, fl.BusinessStatus, fl.FlowLogDeliverStatus, fl.FlowLogDeliverErrorMessage
	}
	st, bs, ds, _ := status()
	assert.Equal(t, []string{"Activating", "Normal", ""}, []string{st, bs, ds})

	clock.Advance(time.Minute - time.Second)
	st, _, _, _ = status()
	assert.Equal(t, "Activating", st)

	// A transitional flow log cannot be deleted.
	del := vpc.CreateDeleteFlowLogRequest()
	del.FlowLogId = id
	_, err := c.DeleteFlowLog(del)
	requireServerError(t, err, 400, "IncorrectStatus.flowlog", "Invalid flowlog status.")

	clock.Advance(time.Second)
	st, bs, ds, _ = status()
	assert.Equal(t, []string{"Active", "Normal", "SUCCESS"}, []string{st, bs, ds})

	// Failure injection.
	srv.FailDelivery(id, "ProjectNotExist")
	st, _, ds, msg := status()
	assert.Equal(t, []string{"Active", "FAILED", "ProjectNotExist"}, []string{st, ds, msg})
	srv.FailDelivery(id, "")
	srv.SetBusinessStatus(DefaultRegion, BusinessStatusFinancialLocked)
	st, bs, ds, _ = status()
	assert.Equal(t, []string{"Active", "FinancialLocked", "SUCCESS"}, []string{st, bs, ds})
	srv.SetBusinessStatus(DefaultRegion, BusinessStatusNormal)

	// Deactivate: Deactivating -> Inactive.
	deact := vpc.CreateDeactiveFlowLogRequest()
	deact.FlowLogId = id
	_, err = c.DeactiveFlowLog(deact)
	require.NoError(t, err)
	st, _, _, _ = status()
	assert.Equal(t, "Deactivating", st)
	_, err = c.DeactiveFlowLog(deact)
	requireServerError(t, err, 400, "IncorrectStatus.flowlog", "")
	clock.Advance(time.Minute)
	st, _, ds, _ = status()
	assert.Equal(t, []string{"Inactive", ""}, []string{st, ds})

	// Modify keeps the state it started from.
	mod := vpc.CreateModifyFlowLogAttributeRequest()
	mod.FlowLogId, mod.FlowLogName, mod.AggregationInterval = id, "renamed", requests.NewInteger(1)
	_, err = c.ModifyFlowLogAttribute(mod)
	require.NoError(t, err)
	st, _, _, _ = status()
	assert.Equal(t, "Modifying", st)
	clock.Advance(time.Minute)
	fl := describeOne(t, c, id)
	assert.Equal(t, "Inactive", fl.Status)
	assert.Equal(t, "renamed", fl.FlowLogName)
	assert.Equal(t, 1, fl.AggregationInterval)

	// Activate: Activating -> Active.
	act := vpc.CreateActiveFlowLogRequest()
	act.FlowLogId = id
	_, err = c.ActiveFlowLog(act)
	require.NoError(t, err)
	st, _, _, _ = status()
	assert.Equal(t, "Activating", st)
	_, err = c.ActiveFlowLog(act)
	requireServerError(t, err, 400, "IncorrectStatus.flowlog", "")
	clock.Advance(time.Minute)
	st, _, _, _ = status()
	assert.Equal(t, "Active", st)

	// Delete: Deleting -> gone; an unknown ID then lists as empty.
	_, err = c.DeleteFlowLog(del)
	require.NoError(t, err)
	st, _, _, _ = status()
	assert.Equal(t, "Deleting", st)
	_, err = c.DeleteFlowLog(del)
	requireServerError(t, err, 400, "IncorrectStatus.flowlog", "")
	clock.Advance(time.Minute)
	req := vpc.CreateDescribeFlowLogsRequest()
	req.FlowLogId = id
	resp, err := c.DescribeFlowLogs(req)
	require.NoError(t, err)
	assert.Empty(t, resp.FlowLogs.FlowLog)
	assert.Equal(t, "0", resp.TotalCount)
	assert.Empty(t, srv.VPCFlowLogs())

	_, err = c.DeleteFlowLog(del)
	requireServerError(t, err, 400, "InvalidInstanceId", "Instance does not exist.")
}

func TestActivationDelayZero(t *testing.T) {
	clock := newFakeClock() // never advanced
	srv := newTestServer(t, WithClock(clock.Now), WithActivationDelay(0))
	c := defaultClient(t, srv)
	id := mustCreate(t, c, nil)
	assert.Equal(t, "Active", describeOne(t, c, id).Status)
}

func TestDefaultActivationDelay(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now))
	id := mustCreate(t, defaultClient(t, srv), nil)
	assert.Equal(t, "Activating", srv.VPCFlowLogs()[0].Status)
	clock.Advance(DefaultActivationDelay)
	snap := srv.VPCFlowLogs()
	assert.Equal(t, id, snap[0].FlowLogID)
	assert.Equal(t, "Active", snap[0].Status)
	assert.Equal(t, "SUCCESS", snap[0].DeliverStatus)
}

func TestFlowLogActionsNotFound(t *testing.T) {
	srv := newTestServer(t)
	srv.AddNetworkInterface("cn-beijing", "vpc-bj", "vsw-bj", "eni-bj")
	c := defaultClient(t, srv)
	bj := mustCreate(t, c, func(r *vpc.CreateFlowLogRequest) { r.RegionId, r.ResourceId = "cn-beijing", "eni-bj" })

	for _, id := range []string{"fl-doesnotexist", bj /* exists, but in another region */} {
		del := vpc.CreateDeleteFlowLogRequest()
		del.FlowLogId = id
		_, err := c.DeleteFlowLog(del)
		requireServerError(t, err, 400, "InvalidInstanceId", "Instance does not exist.")
		act := vpc.CreateActiveFlowLogRequest()
		act.FlowLogId = id
		_, err = c.ActiveFlowLog(act)
		requireServerError(t, err, 400, "InvalidInstanceId", "")
	}
	_, err := c.DeleteFlowLog(vpc.CreateDeleteFlowLogRequest())
	requireServerError(t, err, 400, "MissingParameter", "Missing mandatory parameter")
}

func TestFlowLogService(t *testing.T) {
	srv := newTestServer(t)
	srv.SetFlowLogServiceOpened(DefaultRegion, false)
	c := defaultClient(t, srv)

	st, err := c.GetFlowLogServiceStatus(vpc.CreateGetFlowLogServiceStatusRequest())
	require.NoError(t, err)
	assert.False(t, st.Enabled)
	_, err = c.CreateFlowLog(validCreate())
	requireServerError(t, err, 400, "OptInRequired.FlowLog", "")

	_, err = c.OpenFlowLogService(vpc.CreateOpenFlowLogServiceRequest())
	require.NoError(t, err)
	st, err = c.GetFlowLogServiceStatus(vpc.CreateGetFlowLogServiceStatusRequest())
	require.NoError(t, err)
	assert.True(t, st.Enabled)
	mustCreate(t, c, nil)
}

func TestDescribeFlowLogsPaging(t *testing.T) {
	srv := newTestServer(t)
	enis := srv.AddNetworkInterfaces(DefaultRegion, DefaultVPCID, DefaultVSwitchID, 120)
	c := defaultClient(t, srv)
	var created []string
	for _, eni := range enis {
		created = append(created, mustCreate(t, c, func(r *vpc.CreateFlowLogRequest) { r.ResourceId = eni }))
	}

	var listed []string
	for page, want := range []int{50, 50, 20, 0} {
		req := vpc.CreateDescribeFlowLogsRequest()
		req.PageNumber = requests.NewInteger(page + 1)
		req.PageSize = requests.NewInteger(50)
		resp, err := c.DescribeFlowLogs(req)
		require.NoError(t, err)
		assert.Equal(t, "120", resp.TotalCount)
		assert.Equal(t, strconv.Itoa(page+1), resp.PageNumber)
		assert.Equal(t, "50", resp.PageSize)
		assert.Equal(t, "true", resp.Success)
		require.Len(t, resp.FlowLogs.FlowLog, want, "page %d", page+1)
		for _, fl := range resp.FlowLogs.FlowLog {
			listed = append(listed, fl.FlowLogId)
		}
	}
	// Stable creation order, each flow log exactly once.
	assert.Equal(t, created, listed)

	// Defaults: page 1, 20 per page.
	resp, err := c.DescribeFlowLogs(vpc.CreateDescribeFlowLogsRequest())
	require.NoError(t, err)
	assert.Equal(t, "1", resp.PageNumber)
	assert.Equal(t, "20", resp.PageSize)
	assert.Len(t, resp.FlowLogs.FlowLog, 20)
	assert.Equal(t, created[0], resp.FlowLogs.FlowLog[0].FlowLogId)
}

func TestDescribeFlowLogsBadPaging(t *testing.T) {
	srv := newTestServer(t)
	c := defaultClient(t, srv)
	tests := []struct {
		page, size string
		param      string
	}{
		{size: "51", param: "PageSize"},
		{size: "0", param: "PageSize"},
		{size: "-5", param: "PageSize"},
		{size: "ten", param: "PageSize"},
		{page: "0", param: "PageNumber"},
		{page: "-1", param: "PageNumber"},
		{page: "1.5", param: "PageNumber"},
	}
	for _, tt := range tests {
		req := vpc.CreateDescribeFlowLogsRequest()
		req.PageNumber, req.PageSize = requests.Integer(tt.page), requests.Integer(tt.size)
		_, err := c.DescribeFlowLogs(req)
		requireServerError(t, err, 400, "InvalidParameter", "Specified parameter "+tt.param+" is not valid.")
	}
	req := vpc.CreateDescribeFlowLogsRequest()
	req.Status = "Running"
	_, err := c.DescribeFlowLogs(req)
	requireServerError(t, err, 400, "InvalidParameter", "Specified parameter Status is not valid.")
}

func TestDescribeFlowLogsFilters(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now), WithActivationDelay(time.Minute))
	srv.AddNetworkInterface(DefaultRegion, "vpc-other", "vsw-other", "eni-other")
	srv.AddNetworkInterface("cn-beijing", "vpc-bj", "vsw-bj", "eni-bj")
	srv.AddSLSLogStore("other-project", "other-store")
	c := defaultClient(t, srv)

	onVPC := mustCreate(t, c, func(r *vpc.CreateFlowLogRequest) {
		r.ResourceType, r.ResourceId, r.FlowLogName = "VPC", DefaultVPCID, "vpc-log"
		r.Tag = &[]vpc.CreateFlowLogTag{{Key: "env", Value: "prod"}}
	})
	onVSw := mustCreate(t, c, func(r *vpc.CreateFlowLogRequest) {
		r.ResourceType, r.ResourceId, r.TrafficType = "VSwitch", DefaultVSwitchID, "Drop"
		r.Description = "switch"
		r.Tag = &[]vpc.CreateFlowLogTag{{Key: "env", Value: "dev"}}
	})
	clock.Advance(time.Minute) // the first two become Active
	onENI := mustCreate(t, c, func(r *vpc.CreateFlowLogRequest) {
		r.ResourceId, r.TrafficType, r.ResourceGroupId = DefaultNetworkInterfaceID, "Allow", "rg-special"
	})
	other := mustCreate(t, c, func(r *vpc.CreateFlowLogRequest) {
		r.ResourceId, r.ProjectName, r.LogStoreName = "eni-other", "other-project", "other-store"
	})
	mustCreate(t, c, func(r *vpc.CreateFlowLogRequest) { r.RegionId, r.ResourceId = "cn-beijing", "eni-bj" })

	tests := []struct {
		name   string
		filter func(*vpc.DescribeFlowLogsRequest)
		want   []string
	}{
		{"no filter: region only, creation order", func(*vpc.DescribeFlowLogsRequest) {}, []string{onVPC, onVSw, onENI, other}},
		{"FlowLogId", func(r *vpc.DescribeFlowLogsRequest) { r.FlowLogId = onVSw }, []string{onVSw}},
		{"unknown FlowLogId", func(r *vpc.DescribeFlowLogsRequest) { r.FlowLogId = "fl-nope" }, nil},
		{"VpcId includes ENI and vSwitch logs", func(r *vpc.DescribeFlowLogsRequest) { r.VpcId = DefaultVPCID },
			[]string{onVPC, onVSw, onENI}},
		{"VpcId other", func(r *vpc.DescribeFlowLogsRequest) { r.VpcId = "vpc-other" }, []string{other}},
		{"ResourceType", func(r *vpc.DescribeFlowLogsRequest) { r.ResourceType = "NetworkInterface" }, []string{onENI, other}},
		{"ResourceId", func(r *vpc.DescribeFlowLogsRequest) { r.ResourceId = DefaultVSwitchID }, []string{onVSw}},
		{"FlowLogName", func(r *vpc.DescribeFlowLogsRequest) { r.FlowLogName = "vpc-log" }, []string{onVPC}},
		{"Description", func(r *vpc.DescribeFlowLogsRequest) { r.Description = "switch" }, []string{onVSw}},
		{"Status Active", func(r *vpc.DescribeFlowLogsRequest) { r.Status = "Active" }, []string{onVPC, onVSw}},
		{"Status Activating", func(r *vpc.DescribeFlowLogsRequest) { r.Status = "Activating" }, []string{onENI, other}},
		{"Status Inactive", func(r *vpc.DescribeFlowLogsRequest) { r.Status = "Inactive" }, nil},
		{"TrafficType", func(r *vpc.DescribeFlowLogsRequest) { r.TrafficType = "Drop" }, []string{onVSw}},
		{"ProjectName", func(r *vpc.DescribeFlowLogsRequest) { r.ProjectName = "other-project" }, []string{other}},
		{"LogStoreName", func(r *vpc.DescribeFlowLogsRequest) { r.LogStoreName = DefaultSLSLogStore },
			[]string{onVPC, onVSw, onENI}},
		{"ResourceGroupId", func(r *vpc.DescribeFlowLogsRequest) { r.ResourceGroupId = "rg-special" }, []string{onENI}},
		{"Tags key+value", func(r *vpc.DescribeFlowLogsRequest) {
			r.Tags = &[]vpc.DescribeFlowLogsTags{{Key: "env", Value: "dev"}}
		}, []string{onVSw}},
		{"Tags key only", func(r *vpc.DescribeFlowLogsRequest) {
			r.Tags = &[]vpc.DescribeFlowLogsTags{{Key: "env"}}
		}, []string{onVPC, onVSw}},
		{"combined", func(r *vpc.DescribeFlowLogsRequest) {
			r.VpcId, r.ResourceType = DefaultVPCID, "NetworkInterface"
		}, []string{onENI}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := vpc.CreateDescribeFlowLogsRequest()
			tt.filter(req)
			resp, err := c.DescribeFlowLogs(req)
			require.NoError(t, err)
			var got []string
			for _, fl := range resp.FlowLogs.FlowLog {
				got = append(got, fl.FlowLogId)
			}
			assert.Equal(t, tt.want, got)
			assert.Equal(t, strconv.Itoa(len(tt.want)), resp.TotalCount)
		})
	}
}

func TestDescribeFlowLogsWireShape(t *testing.T) {
	srv := newTestServer(t)
	mustCreate(t, defaultClient(t, srv), nil)
	resp := doRaw(t, srv, rawRequest{})
	require.Equal(t, http.StatusOK, resp.status, resp.raw)
	// Counts are JSON strings, as the SDK's struct declares them.
	for _, k := range []string{"TotalCount", "PageNumber", "PageSize", "Success", "RequestId"} {
		assert.IsType(t, "", resp.body[k], k)
	}
	list := resp.body["FlowLogs"].(map[string]any)["FlowLog"].([]any)
	require.Len(t, list, 1)
	fl := list[0].(map[string]any)
	assert.IsType(t, float64(0), fl["AggregationInterval"])
	assert.Equal(t, []any{"all"}, fl["TrafficPath"].(map[string]any)["TrafficPathList"])
	assert.Equal(t, "IPv4", fl["IpVersion"])
	assert.Equal(t, DefaultResourceGroupID, fl["ResourceGroupId"])
	assert.Equal(t, []any{}, fl["Tags"].(map[string]any)["Tag"])
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`, fl["CreationTime"])

	// An empty result is an empty array, not null.
	resp = doRaw(t, srv, rawRequest{params: url.Values{"FlowLogId": {"fl-nope"}}})
	assert.Contains(t, resp.raw, `"FlowLog":[]`)
}

// TestUnseededPublicRegion: a public Alibaba Cloud region the emulator holds
// nothing in is answered as the cloud answers it, with an empty list (and
// resources not found), not with InvalidRegionId.NotFound, which seed 004's
// error table ("The RegionId provided does not exist in our records.")
// keeps for a RegionId that is no region; see alibabaRegions.
func TestUnseededPublicRegion(t *testing.T) {
	srv := newTestServer(t, WithoutDefaultFixture())
	sh := newVPCClient(t, srv, "cn-shanghai", DefaultAccessKeyID, DefaultAccessKeySecret)

	resp, err := sh.DescribeFlowLogs(vpc.CreateDescribeFlowLogsRequest())
	require.NoError(t, err)
	assert.Equal(t, "0", resp.TotalCount)
	assert.Empty(t, resp.FlowLogs.FlowLog)

	st, err := sh.GetFlowLogServiceStatus(vpc.CreateGetFlowLogServiceStatusRequest())
	require.NoError(t, err)
	assert.True(t, st.Enabled, "a region's defaults: service opened")

	_, err = sh.CreateFlowLog(validCreate())
	requireServerError(t, err, 400, "InvalidInstanceId", "networkInterface does not exist.")

	del := vpc.CreateDeleteFlowLogRequest()
	del.FlowLogId = "fl-doesnotexist000000000"
	_, err = sh.DeleteFlowLog(del)
	requireServerError(t, err, 400, "InvalidInstanceId", "Instance does not exist.")

	srv.mu.Lock()
	_, added := srv.vpc.regions["cn-shanghai"]
	srv.mu.Unlock()
	assert.False(t, added, "reads must not seed the region")

	for _, region := range []string{"cn-nowhere", "CN-SHANGHAI", "cn-shanghai-x"} {
		c := newVPCClient(t, srv, region, DefaultAccessKeyID, DefaultAccessKeySecret)
		_, err := c.DescribeFlowLogs(vpc.CreateDescribeFlowLogsRequest())
		requireServerError(t, err, 400, "InvalidRegionId.NotFound", "The RegionId provided does not exist in our records.")
	}

	// A seeded region of any name stays known.
	srv.AddRegion("xx-private-1")
	c := newVPCClient(t, srv, "xx-private-1", DefaultAccessKeyID, DefaultAccessKeySecret)
	_, err = c.DescribeFlowLogs(vpc.CreateDescribeFlowLogsRequest())
	require.NoError(t, err)
}
