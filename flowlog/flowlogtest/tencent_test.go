package flowlogtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tcerrors "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"
	tcvpc "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/vpc/v20170312"

	"github.com/cloudflowlog/flowlog-go/internal/tc3"
)

// ---- helpers -------------------------------------------------------------------

// newTencentClient returns an official SDK client for the emulator, as a
// user's test would build one: plain HTTP, Endpoint = host:port, English
// messages, no region breaker (which could fail over to the real cloud).
func newTencentClient(t *testing.T, srv *Server, region string, cred common.CredentialIface) *tcvpc.Client {
	t.Helper()
	cpf := profile.NewClientProfile()
	cpf.HttpProfile.Endpoint = srv.Endpoint()
	cpf.HttpProfile.Scheme = "HTTP"
	cpf.Language = "en-US"
	cpf.DisableRegionBreaker = true
	c, err := tcvpc.NewClient(cred, region, cpf)
	require.NoError(t, err)
	tr := &http.Transport{} // no proxy from the environment; closed for goleak
	t.Cleanup(tr.CloseIdleConnections)
	c.WithHttpTransport(tr)
	return c
}

func defaultTencentClient(t *testing.T, srv *Server) *tcvpc.Client {
	return newTencentClient(t, srv, DefaultTencentRegion, common.NewCredential(DefaultTencentSecretID, DefaultTencentSecretKey))
}

// requireTCError asserts err is the SDK's TencentCloudSDKError with this
// code and, if given, a message containing msg.
func requireTCError(t *testing.T, err error, code, msg string) {
	t.Helper()
	require.Error(t, err)
	var e *tcerrors.TencentCloudSDKError
	require.ErrorAs(t, err, &e, "want *TencentCloudSDKError, got %T: %v", err, err)
	assert.Equal(t, code, e.GetCode(), e.GetMessage())
	if msg != "" {
		assert.Contains(t, e.GetMessage(), msg)
	}
	assert.Regexp(t, uuidLower, e.GetRequestId())
}

// validTencentCreate returns a CreateFlowLog request that succeeds against
// the default fixture.
func validTencentCreate() *tcvpc.CreateFlowLogRequest {
	req := tcvpc.NewCreateFlowLogRequest()
	req.FlowLogName = common.StringPtr("test")
	req.ResourceType = common.StringPtr("NETWORKINTERFACE")
	req.ResourceId = common.StringPtr(DefaultTencentNetworkInterfaceID)
	req.TrafficType = common.StringPtr("ACCEPT")
	req.VpcId = common.StringPtr(DefaultTencentVPCID)
	req.CloudLogId = common.StringPtr(DefaultCLSTopicID)
	return req
}

func mustTencentCreate(t *testing.T, c *tcvpc.Client, mutate func(*tcvpc.CreateFlowLogRequest)) *tcvpc.FlowLog {
	t.Helper()
	req := validTencentCreate()
	if mutate != nil {
		mutate(req)
	}
	resp, err := c.CreateFlowLog(req)
	require.NoError(t, err)
	require.Len(t, resp.Response.FlowLog, 1)
	return resp.Response.FlowLog[0]
}

func tcDescribe(t *testing.T, c *tcvpc.Client, mutate func(*tcvpc.DescribeFlowLogsRequest)) ([]*tcvpc.FlowLog, uint64) {
	t.Helper()
	req := tcvpc.NewDescribeFlowLogsRequest()
	if mutate != nil {
		mutate(req)
	}
	resp, err := c.DescribeFlowLogs(req)
	require.NoError(t, err)
	require.NotNil(t, resp.Response.TotalNum)
	return resp.Response.FlowLog, *resp.Response.TotalNum
}

func tcDescribeOne(t *testing.T, c *tcvpc.Client, id string) *tcvpc.FlowLog {
	t.Helper()
	logs, total := tcDescribe(t, c, func(r *tcvpc.DescribeFlowLogsRequest) { r.FlowLogId = common.StringPtr(id) })
	require.Len(t, logs, 1)
	require.EqualValues(t, 1, total)
	return logs[0]
}

func flowLogIDs(logs []*tcvpc.FlowLog) []string {
	ids := make([]string, 0, len(logs))
	for _, fl := range logs {
		ids = append(ids, *fl.FlowLogId)
	}
	return ids
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	require.NoError(t, err)
	return string(data)
}

// tcRaw describes a hand-made Tencent request, signed with internal/tc3.
type tcRaw struct {
	method    string // default POST
	action    string // default DescribeFlowLogs
	version   string // default TencentVPCVersion; "-" omits the header
	region    string // default DefaultTencentRegion; "-" omits the header
	body      string // default "{}"
	secretID  string // default DefaultTencentSecretID
	secretKey string // default DefaultTencentSecretKey
	token     string
	now       time.Time // X-TC-Timestamp; default time.Now()
	signed    []string  // signed headers; nil = content-type;host
	header    map[string]string
	noSign    bool
	// mutate runs after signing (to tamper with a signed request).
	mutate func(*http.Request)
}

type tcRawResponse struct {
	rawResponse
	resp map[string]any
}

func (r tcRawResponse) code() string {
	e, _ := r.resp["Error"].(map[string]any)
	s, _ := e["Code"].(string)
	return s
}

func (r tcRawResponse) message() string {
	e, _ := r.resp["Error"].(map[string]any)
	s, _ := e["Message"].(string)
	return s
}

func def(v, d string) string {
	if v == "" {
		return d
	}
	return v
}

func doTC(t *testing.T, srv *Server, r tcRaw) tcRawResponse {
	t.Helper()
	body := def(r.body, "{}")
	req, err := http.NewRequest(def(r.method, http.MethodPost), srv.URL+"/", strings.NewReader(body))
	require.NoError(t, err)
	now := r.now
	if now.IsZero() {
		now = time.Now()
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-TC-Action", def(r.action, "DescribeFlowLogs"))
	if v := def(r.version, TencentVPCVersion); v != "-" {
		req.Header.Set("X-TC-Version", v)
	}
	if v := def(r.region, DefaultTencentRegion); v != "-" {
		req.Header.Set("X-TC-Region", v)
	}
	req.Header.Set("X-TC-Timestamp", strconv.FormatInt(now.Unix(), 10))
	if r.token != "" {
		req.Header.Set("X-TC-Token", r.token)
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	if !r.noSign {
		require.NoError(t, tc3.SignRequest(req, []byte(body), def(r.secretID, DefaultTencentSecretID),
			def(r.secretKey, DefaultTencentSecretKey), "vpc", r.signed))
	}
	if r.mutate != nil {
		r.mutate(req)
	}
	out := tcRawResponse{rawResponse: sendHTTP(t, req)}
	// Every answer is HTTP 200 JSON with a lower-case RequestId.
	require.Equal(t, http.StatusOK, out.status, out.raw)
	assert.Equal(t, "application/json", out.header.Get("Content-Type"))
	resp, ok := out.body["Response"].(map[string]any)
	require.True(t, ok, out.raw)
	out.resp = resp
	assert.Regexp(t, uuidLower, resp["RequestId"], out.raw)
	return out
}

func requireTCRawError(t *testing.T, r tcRawResponse, code, msg string) {
	t.Helper()
	assert.Equal(t, code, r.code(), r.raw)
	if msg != "" {
		assert.Contains(t, r.message(), msg, r.raw)
	}
}

func requireTCRawOK(t *testing.T, r tcRawResponse) {
	t.Helper()
	require.NotContains(t, r.resp, "Error", r.raw)
}

// ---- CreateFlowLog ---------------------------------------------------------------

func TestTencentCreateFlowLogSuccess(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now))
	c := defaultTencentClient(t, srv)

	req := validTencentCreate()
	req.FlowLogName = common.StringPtr("my-flowlog")
	req.FlowLogDescription = common.StringPtr("This is my flow log.")
	req.TrafficType = common.StringPtr("ALL")
	req.StorageType = common.StringPtr("cls")
	req.CloudLogRegion = common.StringPtr(DefaultTencentRegion)
	req.Tags = []*tcvpc.Tag{{Key: common.StringPtr("city"), Value: common.StringPtr("shanghai")}, {Key: common.StringPtr("empty")}}
	resp, err := c.CreateFlowLog(req)
	require.NoError(t, err)
	assert.Regexp(t, uuidLower, *resp.Response.RequestId)
	require.Len(t, resp.Response.FlowLog, 1)
	created := resp.Response.FlowLog[0]
	id := *created.FlowLogId
	assert.Regexp(t, `^fl-[a-z0-9]{8}$`, id)

	// The create response: storage state and creation time not filled in
	// yet, as in the documented example.
	assert.JSONEq(t, fmt.Sprintf(`{
		"VpcId": %q, "FlowLogId": %q, "FlowLogName": "my-flowlog",
		"ResourceType": "NETWORKINTERFACE", "ResourceId": %q, "TrafficType": "ALL",
		"CloudLogId": %q, "CloudLogState": "", "CloudLogRegion": "",
		"FlowLogDescription": "This is my flow log.", "Enable": true, "StorageType": "cls",
		"TagSet": [{"Key": "city", "Value": "shanghai"}, {"Key": "empty", "Value": ""}],
		"FlowLogStorage": {"StorageId": "", "StorageTopic": ""},
		"CreatedTime": "0000-00-00 00:00:00"}`,
		DefaultTencentVPCID, id, DefaultTencentNetworkInterfaceID, DefaultCLSTopicID), jsonOf(t, created))

	// DescribeFlowLogs: SUCCESS, the storage region and the creation time in
	// Beijing time.
	fl := tcDescribeOne(t, c, id)
	wantTime := clock.Now().In(time.FixedZone("", 8*3600)).Format("2006-01-02 15:04:05")
	assert.JSONEq(t, fmt.Sprintf(`{
		"VpcId": %q, "FlowLogId": %q, "FlowLogName": "my-flowlog",
		"ResourceType": "NETWORKINTERFACE", "ResourceId": %q, "TrafficType": "ALL",
		"CloudLogId": %q, "CloudLogState": "SUCCESS", "CloudLogRegion": %q,
		"FlowLogDescription": "This is my flow log.", "Enable": true, "StorageType": "cls",
		"TagSet": [{"Key": "city", "Value": "shanghai"}, {"Key": "empty", "Value": ""}],
		"FlowLogStorage": {"StorageId": "", "StorageTopic": ""},
		"CreatedTime": %q}`,
		DefaultTencentVPCID, id, DefaultTencentNetworkInterfaceID, DefaultCLSTopicID, DefaultTencentRegion, wantTime),
		jsonOf(t, fl))

	snap := srv.TencentFlowLogs()
	require.Len(t, snap, 1)
	assert.Equal(t, TencentFlowLog{
		FlowLogID:      id,
		FlowLogName:    "my-flowlog",
		Description:    "This is my flow log.",
		Region:         DefaultTencentRegion,
		VPCID:          DefaultTencentVPCID,
		ResourceType:   "NETWORKINTERFACE",
		ResourceID:     DefaultTencentNetworkInterfaceID,
		TrafficType:    "ALL",
		StorageType:    "cls",
		CloudLogID:     DefaultCLSTopicID,
		CloudLogRegion: DefaultTencentRegion,
		Tags:           []Tag{{"city", "shanghai"}, {"empty", ""}},
		Enabled:        true,
		CreatedTime:    clock.Now().UTC(),
		CloudLogState:  TencentCloudLogStateSuccess,
	}, snap[0])
	assert.Equal(t, 1, srv.Calls("CreateFlowLog"))
	assert.Equal(t, 1, srv.Calls("Tencent.CreateFlowLog"))
	assert.Zero(t, srv.Calls("Vpc.CreateFlowLog"))
}

// TestTencentCreateFlowLogResourceKinds creates one flow log of every
// resource type and both storage types.
func TestTencentCreateFlowLogResourceKinds(t *testing.T) {
	srv := newTestServer(t)
	srv.AddTencentDirectConnectGateway(DefaultTencentRegion, DefaultTencentVPCID, "dcg-emu00001")
	c := defaultTencentClient(t, srv)
	for _, r := range []struct{ typ, id string }{
		{"VPC", DefaultTencentVPCID}, {"SUBNET", DefaultTencentSubnetID}, {"NAT", DefaultTencentNATGatewayID},
		{"DCG", "dcg-emu00001"},
	} {
		fl := mustTencentCreate(t, c, func(req *tcvpc.CreateFlowLogRequest) {
			req.ResourceType, req.ResourceId = common.StringPtr(r.typ), common.StringPtr(r.id)
		})
		assert.Equal(t, r.typ, *fl.ResourceType)
		assert.Equal(t, DefaultTencentVPCID, *fl.VpcId)
	}

	// CCN: no VpcId; the aggregation period defaults to 600 seconds.
	ccn := mustTencentCreate(t, c, func(req *tcvpc.CreateFlowLogRequest) {
		req.ResourceType, req.ResourceId, req.VpcId = common.StringPtr("CCN"), common.StringPtr(DefaultTencentCCNID), nil
	})
	assert.Empty(t, *ccn.VpcId)

	// CKafka storage.
	kafka := mustTencentCreate(t, c, func(req *tcvpc.CreateFlowLogRequest) {
		req.StorageType = common.StringPtr("ckafka")
		req.CloudLogId = nil
		req.FlowLogStorage = &tcvpc.FlowLogStorage{
			StorageId: common.StringPtr(DefaultCKafkaInstanceID), StorageTopic: common.StringPtr(DefaultCKafkaTopic),
		}
	})
	assert.Equal(t, "ckafka", *kafka.StorageType)
	assert.Equal(t, DefaultCKafkaInstanceID, *kafka.FlowLogStorage.StorageId)
	assert.Equal(t, DefaultCKafkaTopic, *kafka.FlowLogStorage.StorageTopic)
	got := tcDescribeOne(t, c, *kafka.FlowLogId)
	assert.Equal(t, "SUCCESS", *got.CloudLogState)
	assert.Equal(t, DefaultTencentRegion, *got.CloudLogRegion)
	assert.Empty(t, *got.CloudLogId)

	byType := map[string]TencentFlowLog{}
	for _, fl := range srv.TencentFlowLogs() {
		byType[fl.ResourceType+"/"+fl.StorageType] = fl
	}
	assert.Len(t, byType, 6)
	assert.Equal(t, 600, byType["CCN/cls"].Period)
	assert.Empty(t, byType["CCN/cls"].VPCID)
	assert.Zero(t, byType["VPC/cls"].Period)
	assert.Equal(t, DefaultCKafkaTopic, byType["NETWORKINTERFACE/ckafka"].StorageTopic)
}

// TestTencentCreateFlowLogErrors drives every CreateFlowLog error path
// through the official SDK and checks that nothing was created.
func TestTencentCreateFlowLogErrors(t *testing.T) {
	s := common.StringPtr
	tags := func(kv ...string) []*tcvpc.Tag {
		var out []*tcvpc.Tag
		for i := 0; i < len(kv); i += 2 {
			out = append(out, &tcvpc.Tag{Key: s(kv[i]), Value: s(kv[i+1])})
		}
		return out
	}
	kafka := func(id, topic *string) func(*tcvpc.CreateFlowLogRequest) {
		return func(r *tcvpc.CreateFlowLogRequest) {
			r.StorageType, r.CloudLogId = s("ckafka"), nil
			r.FlowLogStorage = &tcvpc.FlowLogStorage{StorageId: id, StorageTopic: topic}
		}
	}
	tests := []struct {
		name   string
		region string
		setup  func(*Server)
		mutate func(*tcvpc.CreateFlowLogRequest)
		code   string
		msg    string
	}{
		{name: "missing FlowLogName", mutate: func(r *tcvpc.CreateFlowLogRequest) { r.FlowLogName = nil },
			code: "MissingParameter", msg: "The request is missing a required parameter `FlowLogName`."},
		{name: "empty FlowLogName", mutate: func(r *tcvpc.CreateFlowLogRequest) { r.FlowLogName = s("") },
			code: "InvalidParameterValue.Empty", msg: "`FlowLogName`"},
		{name: "FlowLogName too long", mutate: func(r *tcvpc.CreateFlowLogRequest) { r.FlowLogName = s(strings.Repeat("名", 61)) },
			code: "InvalidParameterValue.Range", msg: "at most 60"},
		{name: "missing ResourceType", mutate: func(r *tcvpc.CreateFlowLogRequest) { r.ResourceType = nil },
			code: "MissingParameter", msg: "`ResourceType`"},
		{name: "missing ResourceId", mutate: func(r *tcvpc.CreateFlowLogRequest) { r.ResourceId = nil },
			code: "MissingParameter", msg: "`ResourceId`"},
		{name: "missing TrafficType", mutate: func(r *tcvpc.CreateFlowLogRequest) { r.TrafficType = nil },
			code: "MissingParameter", msg: "`TrafficType`"},
		{name: "unknown ResourceType", mutate: func(r *tcvpc.CreateFlowLogRequest) { r.ResourceType = s("INSTANCE") },
			code: "InvalidParameterValue.Range", msg: "VPC, SUBNET, NETWORKINTERFACE, CCN, NAT, DCG"},
		{name: "lower-case ResourceType", mutate: func(r *tcvpc.CreateFlowLogRequest) { r.ResourceType = s("networkinterface") },
			code: "InvalidParameterValue.Range"},
		{name: "ResourceId of another type", mutate: func(r *tcvpc.CreateFlowLogRequest) { r.ResourceId = s(DefaultTencentSubnetID) },
			code: "InvalidParameterValue.Malformed", msg: DefaultTencentSubnetID},
		{name: "ResourceId without its prefix", mutate: func(r *tcvpc.CreateFlowLogRequest) { r.ResourceId = s("emu00001") },
			code: "InvalidParameterValue.Malformed"},
		// Only the prefix is documented (seed 003 "eni-xxxxxxxx"): another
		// length or case is well-formed, and unknown.
		{name: "ResourceId upper-case", mutate: func(r *tcvpc.CreateFlowLogRequest) { r.ResourceId = s("eni-EMU00001") },
			code: "ResourceNotFound", msg: "eni-EMU00001"},
		{name: "ResourceId short", mutate: func(r *tcvpc.CreateFlowLogRequest) { r.ResourceId = s("eni-emu0001") },
			code: "ResourceNotFound", msg: "eni-emu0001"},
		{name: "lower-case TrafficType", mutate: func(r *tcvpc.CreateFlowLogRequest) { r.TrafficType = s("all") },
			code: "InvalidParameterValue.Range", msg: "ACCEPT, REJECT, ALL"},
		{name: "missing VpcId", mutate: func(r *tcvpc.CreateFlowLogRequest) { r.VpcId = nil },
			code: "MissingParameter", msg: "`VpcId`"},
		{name: "empty VpcId", mutate: func(r *tcvpc.CreateFlowLogRequest) { r.VpcId = s("") },
			code: "InvalidParameterValue.Empty", msg: "`VpcId`"},
		{name: "malformed VpcId", mutate: func(r *tcvpc.CreateFlowLogRequest) { r.VpcId = s("vpc_123") },
			code: "InvalidParameterValue.Malformed", msg: "`VpcId`"},
		{name: "short VpcId", mutate: func(r *tcvpc.CreateFlowLogRequest) { r.VpcId = s("vpc-123") },
			code: "ResourceNotFound", msg: "vpc-123"},
		{name: "VpcId for CCN", mutate: func(r *tcvpc.CreateFlowLogRequest) {
			r.ResourceType, r.ResourceId = s("CCN"), s(DefaultTencentCCNID)
		}, code: "InvalidParameterValue.VpcIdNotNeededForFlowLog"},
		{name: "description too long", mutate: func(r *tcvpc.CreateFlowLogRequest) { r.FlowLogDescription = s(strings.Repeat("d", 513)) },
			code: "InvalidParameterValue.Range", msg: "at most 512"},
		{name: "unknown StorageType", mutate: func(r *tcvpc.CreateFlowLogRequest) { r.StorageType = s("cos") },
			code: "InvalidParameterValue.Range", msg: "cls, ckafka"},
		{name: "missing CloudLogId", mutate: func(r *tcvpc.CreateFlowLogRequest) { r.CloudLogId = nil },
			code: "MissingParameter", msg: "`CloudLogId`"},
		{name: "empty CloudLogId", mutate: func(r *tcvpc.CreateFlowLogRequest) { r.CloudLogId = s("") },
			code: "InvalidParameterValue.Empty", msg: "`CloudLogId`"},
		// No CloudLogId format is documented (seed 003): any is looked up.
		{name: "CloudLogId not a UUID", mutate: func(r *tcvpc.CreateFlowLogRequest) { r.CloudLogId = s("topic-1") },
			code: "ResourceNotFound", msg: "topic-1"},
		{name: "unknown CLS topic", mutate: func(r *tcvpc.CreateFlowLogRequest) {
			r.CloudLogId = s("00000000-0000-4000-8000-000000000000")
		}, code: "ResourceNotFound", msg: "00000000-0000-4000-8000-000000000000"},
		{name: "deleted CLS topic", setup: func(s *Server) { s.DeleteCLSTopic(DefaultTencentRegion, DefaultCLSTopicID) },
			code: "ResourceNotFound", msg: DefaultCLSTopicID},
		{name: "CLS topic in another region", mutate: func(r *tcvpc.CreateFlowLogRequest) { r.CloudLogRegion = s("ap-shanghai") },
			code: "ResourceNotFound", msg: DefaultCLSTopicID},
		{name: "unknown CloudLogRegion", mutate: func(r *tcvpc.CreateFlowLogRequest) { r.CloudLogRegion = s("xx-nowhere") },
			code: "ResourceNotFound", msg: DefaultCLSTopicID},
		{name: "ckafka without FlowLogStorage", mutate: func(r *tcvpc.CreateFlowLogRequest) { r.StorageType = s("ckafka") },
			code: "MissingParameter", msg: "`FlowLogStorage`"},
		{name: "ckafka without StorageId", mutate: kafka(nil, s(DefaultCKafkaTopic)),
			code: "MissingParameter", msg: "`FlowLogStorage.StorageId`"},
		{name: "ckafka with empty StorageTopic", mutate: kafka(s(DefaultCKafkaInstanceID), s("")),
			code: "InvalidParameterValue.Empty", msg: "`FlowLogStorage.StorageTopic`"},
		{name: "unknown ckafka topic", mutate: kafka(s(DefaultCKafkaInstanceID), s("nope")),
			code: "ResourceNotFound", msg: "nope"},
		{name: "unknown ckafka instance", mutate: kafka(s("ckafka-nope0000"), s(DefaultCKafkaTopic)),
			code: "ResourceNotFound", msg: "ckafka-nope0000"},
		{name: "empty tag key", mutate: func(r *tcvpc.CreateFlowLogRequest) { r.Tags = tags("", "v") },
			code: "InvalidParameterValue.TagInvalidKey"},
		{name: "tag without key", mutate: func(r *tcvpc.CreateFlowLogRequest) { r.Tags = []*tcvpc.Tag{{Value: s("v")}} },
			code: "InvalidParameterValue.TagInvalidKey"},
		{name: "duplicate tag key", mutate: func(r *tcvpc.CreateFlowLogRequest) { r.Tags = tags("a", "1", "a", "2") },
			code: "InvalidParameterValue.TagDuplicateKey", msg: "`a`"},
		{name: "unknown ENI", mutate: func(r *tcvpc.CreateFlowLogRequest) { r.ResourceId = s("eni-unknown0") },
			code: "ResourceNotFound", msg: "eni-unknown0"},
		{name: "ENI in another region", setup: func(s *Server) {
			s.AddTencentNetworkInterface("ap-shanghai", "vpc-shanghai", "eni-shanghai")
		}, mutate: func(r *tcvpc.CreateFlowLogRequest) { r.ResourceId, r.VpcId = s("eni-shanghai"), s("vpc-shanghai") },
			code: "ResourceNotFound", msg: "eni-shanghai"},
		{name: "unknown VPC", mutate: func(r *tcvpc.CreateFlowLogRequest) { r.VpcId = s("vpc-unknown0") },
			code: "ResourceNotFound", msg: "vpc-unknown0"},
		{name: "resource in another VPC", setup: func(s *Server) { s.AddTencentVPC(DefaultTencentRegion, "vpc-other000") },
			mutate: func(r *tcvpc.CreateFlowLogRequest) { r.VpcId = s("vpc-other000") },
			code:   "ResourceNotFound", msg: "in vpc `vpc-other000`"},
		{name: "unknown CCN", mutate: func(r *tcvpc.CreateFlowLogRequest) {
			r.ResourceType, r.ResourceId, r.VpcId = s("CCN"), s("ccn-unknown0"), nil
		}, code: "ResourceNotFound", msg: "ccn-unknown0"},
		{name: "quota", setup: func(*Server) {}, code: "LimitExceeded", msg: "Quota limit is reached."},
		{name: "unknown region", region: "xx-nowhere-1",
			code: "InvalidParameterValue", msg: "A value specified in `X-TC-Region` is not valid, is unsupported, or cannot be used."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var opts []Option
			if tc.name == "quota" {
				opts = append(opts, WithTencentFlowLogQuota(0))
			}
			srv := newTestServer(t, opts...)
			if tc.setup != nil {
				tc.setup(srv)
			}
			c := newTencentClient(t, srv, def(tc.region, DefaultTencentRegion),
				common.NewCredential(DefaultTencentSecretID, DefaultTencentSecretKey))
			req := validTencentCreate()
			if tc.mutate != nil {
				tc.mutate(req)
			}
			_, err := c.CreateFlowLog(req)
			requireTCError(t, err, tc.code, tc.msg)
			assert.Empty(t, srv.TencentFlowLogs())
		})
	}
}

func TestTencentOneFlowLogPerResource(t *testing.T) {
	srv := newTestServer(t)
	c := defaultTencentClient(t, srv)
	mustTencentCreate(t, c, nil)
	_, err := c.CreateFlowLog(validTencentCreate())
	requireTCError(t, err, "UnsupportedOperation.FlowLogInstanceExisted",
		"There is already a flow log created for the specified ResourceId.")
	// Another resource is fine.
	mustTencentCreate(t, c, func(r *tcvpc.CreateFlowLogRequest) {
		r.ResourceId = common.StringPtr(DefaultTencentNetworkInterfaceID2)
	})
	assert.Len(t, srv.TencentFlowLogs(), 2)
}

func TestTencentFlowLogQuota(t *testing.T) {
	srv := newTestServer(t, WithTencentFlowLogQuota(2))
	c := defaultTencentClient(t, srv)
	mustTencentCreate(t, c, nil)
	mustTencentCreate(t, c, func(r *tcvpc.CreateFlowLogRequest) {
		r.ResourceId = common.StringPtr(DefaultTencentNetworkInterfaceID2)
	})
	_, err := c.CreateFlowLog(func() *tcvpc.CreateFlowLogRequest {
		r := validTencentCreate()
		r.ResourceId = common.StringPtr(DefaultTencentNetworkInterfaceID3)
		return r
	}())
	requireTCError(t, err, "LimitExceeded", "Quota limit is reached.")

	// The quota is per region.
	srv.AddTencentNetworkInterface("ap-shanghai", "vpc-shanghai", "eni-shanghai")
	srv.AddCLSTopic("ap-shanghai", DefaultCLSTopicID)
	sh := newTencentClient(t, srv, "ap-shanghai", common.NewCredential(DefaultTencentSecretID, DefaultTencentSecretKey))
	mustTencentCreate(t, sh, func(r *tcvpc.CreateFlowLogRequest) {
		r.ResourceId, r.VpcId = common.StringPtr("eni-shanghai"), common.StringPtr("vpc-shanghai")
	})
}

// TestTencentCreatePeriod uses raw requests: the pinned SDK's
// CreateFlowLogRequest predates the Period parameter.
func TestTencentCreatePeriod(t *testing.T) {
	srv := newTestServer(t)
	ccn := func(extra string) string {
		return `{"FlowLogName":"ccn","ResourceType":"CCN","ResourceId":"` + DefaultTencentCCNID +
			`","TrafficType":"ALL","CloudLogId":"` + DefaultCLSTopicID + `"` + extra + `}`
	}
	r := doTC(t, srv, tcRaw{action: "CreateFlowLog", body: ccn(`,"Period":120`)})
	requireTCRawError(t, r, "InvalidParameterValue.Range", "60, 300, 600")
	eni := `{"FlowLogName":"eni","ResourceType":"NETWORKINTERFACE","ResourceId":"` + DefaultTencentNetworkInterfaceID +
		`","VpcId":"` + DefaultTencentVPCID + `","TrafficType":"ALL","CloudLogId":"` + DefaultCLSTopicID + `","Period":300}`
	r = doTC(t, srv, tcRaw{action: "CreateFlowLog", body: eni})
	requireTCRawError(t, r, "InvalidParameterValue.Range", "only supported for CCN")

	r = doTC(t, srv, tcRaw{action: "CreateFlowLog", body: ccn(`,"Period":300`)})
	requireTCRawOK(t, r)
	fl := r.resp["FlowLog"].([]any)[0].(map[string]any)
	assert.EqualValues(t, 300, fl["Period"])
	assert.Equal(t, "", fl["VpcId"])
	r = doTC(t, srv, tcRaw{body: `{"ResourceType":"CCN"}`})
	requireTCRawOK(t, r)
	fl = r.resp["FlowLog"].([]any)[0].(map[string]any)
	assert.EqualValues(t, 300, fl["Period"])
	assert.EqualValues(t, 1, r.resp["TotalNum"])
}

// ---- DescribeFlowLogs --------------------------------------------------------------

func TestTencentDescribeFlowLogsPagingAndOrder(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now), WithTencentRateLimit(0))
	c := defaultTencentClient(t, srv)
	enis := srv.AddTencentNetworkInterfaces(DefaultTencentRegion, DefaultTencentVPCID, 12)
	var created []string
	for i, eni := range enis {
		// Pairs share a creation second, so ties must be broken
		// deterministically (by creation order).
		if i%2 == 0 {
			clock.Advance(time.Second)
		}
		fl := mustTencentCreate(t, c, func(r *tcvpc.CreateFlowLogRequest) {
			r.ResourceId = common.StringPtr(eni)
			r.FlowLogName = common.StringPtr(fmt.Sprintf("name-%02d", (i*5)%12))
		})
		created = append(created, *fl.FlowLogId)
	}
	reversed := make([]string, len(created))
	for i, id := range created {
		reversed[len(created)-1-i] = id
	}

	// Default: createTime DESC, 10 per page.
	logs, total := tcDescribe(t, c, nil)
	assert.EqualValues(t, 12, total)
	assert.Equal(t, reversed[:10], flowLogIDs(logs))

	// Paging with Offset/Limit covers everything exactly once.
	var paged []string
	for offset := uint64(0); offset < 12; offset += 5 {
		logs, total := tcDescribe(t, c, func(r *tcvpc.DescribeFlowLogsRequest) {
			r.Offset, r.Limit = common.Uint64Ptr(offset), common.Uint64Ptr(5)
		})
		assert.EqualValues(t, 12, total)
		paged = append(paged, flowLogIDs(logs)...)
	}
	assert.Equal(t, reversed, paged)
	logs, total = tcDescribe(t, c, func(r *tcvpc.DescribeFlowLogsRequest) { r.Offset = common.Uint64Ptr(100) })
	assert.Empty(t, logs)
	assert.EqualValues(t, 12, total)

	// ASC, and by name.
	logs, _ = tcDescribe(t, c, func(r *tcvpc.DescribeFlowLogsRequest) {
		r.OrderDirection, r.Limit = common.StringPtr("ASC"), common.Uint64Ptr(100)
	})
	assert.Equal(t, created, flowLogIDs(logs))
	for _, dir := range []string{"ASC", "DESC"} {
		logs, _ = tcDescribe(t, c, func(r *tcvpc.DescribeFlowLogsRequest) {
			r.OrderField, r.OrderDirection, r.Limit = common.StringPtr("flowLogName"), common.StringPtr(dir), common.Uint64Ptr(100)
		})
		var names []string
		for _, fl := range logs {
			names = append(names, *fl.FlowLogName)
		}
		require.Len(t, names, 12)
		for i := 1; i < len(names); i++ {
			if dir == "ASC" {
				assert.LessOrEqual(t, names[i-1], names[i])
			} else {
				assert.GreaterOrEqual(t, names[i-1], names[i])
			}
		}
	}
}

func TestTencentDescribeFlowLogsFilters(t *testing.T) {
	srv := newTestServer(t, WithTencentRateLimit(0))
	srv.AddTencentSubnet(DefaultTencentRegion, "vpc-second01", "subnet-second01")
	srv.AddCLSTopic(DefaultTencentRegion, "f10e1000-0000-4000-8000-000000000002")
	c := defaultTencentClient(t, srv)
	s := common.StringPtr
	eni := mustTencentCreate(t, c, func(r *tcvpc.CreateFlowLogRequest) {
		r.FlowLogName, r.TrafficType = s("eni"), s("REJECT")
		r.Tags = []*tcvpc.Tag{{Key: s("team"), Value: s("net")}}
	})
	subnet := mustTencentCreate(t, c, func(r *tcvpc.CreateFlowLogRequest) {
		r.FlowLogName, r.ResourceType, r.ResourceId, r.VpcId = s("subnet"), s("SUBNET"), s("subnet-second01"), s("vpc-second01")
		r.CloudLogId = s("f10e1000-0000-4000-8000-000000000002")
		r.Tags = []*tcvpc.Tag{{Key: s("team"), Value: s("sec")}, {Key: s("env"), Value: s("prod")}}
	})
	ccn := mustTencentCreate(t, c, func(r *tcvpc.CreateFlowLogRequest) {
		r.FlowLogName, r.ResourceType, r.ResourceId, r.VpcId = s("ccn"), s("CCN"), s(DefaultTencentCCNID), nil
	})
	// A flow log in another region is never listed here.
	srv.AddTencentNetworkInterface("ap-shanghai", "vpc-shanghai", "eni-shanghai")
	srv.AddCLSTopic("ap-shanghai", DefaultCLSTopicID)
	sh := newTencentClient(t, srv, "ap-shanghai", common.NewCredential(DefaultTencentSecretID, DefaultTencentSecretKey))
	mustTencentCreate(t, sh, func(r *tcvpc.CreateFlowLogRequest) {
		r.ResourceId, r.VpcId = s("eni-shanghai"), s("vpc-shanghai")
	})

	ids := func(logs []*tcvpc.FlowLog, _ uint64) []string { return flowLogIDs(logs) }
	all := ids(tcDescribe(t, c, nil))
	assert.ElementsMatch(t, []string{*eni.FlowLogId, *subnet.FlowLogId, *ccn.FlowLogId}, all)

	tests := []struct {
		name   string
		mutate func(*tcvpc.DescribeFlowLogsRequest)
		want   []*tcvpc.FlowLog
	}{
		{"VpcId", func(r *tcvpc.DescribeFlowLogsRequest) { r.VpcId = s("vpc-second01") }, []*tcvpc.FlowLog{subnet}},
		{"FlowLogId", func(r *tcvpc.DescribeFlowLogsRequest) { r.FlowLogId = ccn.FlowLogId }, []*tcvpc.FlowLog{ccn}},
		{"unknown FlowLogId", func(r *tcvpc.DescribeFlowLogsRequest) { r.FlowLogId = s("fl-00000000") }, nil},
		{"FlowLogName", func(r *tcvpc.DescribeFlowLogsRequest) { r.FlowLogName = s("eni") }, []*tcvpc.FlowLog{eni}},
		{"ResourceType", func(r *tcvpc.DescribeFlowLogsRequest) { r.ResourceType = s("CCN") }, []*tcvpc.FlowLog{ccn}},
		{"ResourceId", func(r *tcvpc.DescribeFlowLogsRequest) { r.ResourceId = s("subnet-second01") }, []*tcvpc.FlowLog{subnet}},
		{"TrafficType", func(r *tcvpc.DescribeFlowLogsRequest) { r.TrafficType = s("REJECT") }, []*tcvpc.FlowLog{eni}},
		{"CloudLogId", func(r *tcvpc.DescribeFlowLogsRequest) { r.CloudLogId = s("f10e1000-0000-4000-8000-000000000002") },
			[]*tcvpc.FlowLog{subnet}},
		{"CloudLogState", func(r *tcvpc.DescribeFlowLogsRequest) { r.CloudLogState = s("DELETED") }, nil},
		{"CloudLogRegion", func(r *tcvpc.DescribeFlowLogsRequest) { r.CloudLogRegion = s("ap-shanghai") }, nil},
		{"combined", func(r *tcvpc.DescribeFlowLogsRequest) { r.VpcId, r.ResourceType = s(DefaultTencentVPCID), s("SUBNET") }, nil},
		{"tag-key", func(r *tcvpc.DescribeFlowLogsRequest) {
			r.Filters = &tcvpc.Filter{Name: s("tag-key"), Values: common.StringPtrs([]string{"env", "nope"})}
		}, []*tcvpc.FlowLog{subnet}},
		{"tag:team", func(r *tcvpc.DescribeFlowLogsRequest) {
			r.Filters = &tcvpc.Filter{Name: s("tag:team"), Values: common.StringPtrs([]string{"net", "other"})}
		}, []*tcvpc.FlowLog{eni}},
		{"tag:team any of", func(r *tcvpc.DescribeFlowLogsRequest) {
			r.Filters = &tcvpc.Filter{Name: s("tag:team"), Values: common.StringPtrs([]string{"net", "sec"})}
		}, []*tcvpc.FlowLog{eni, subnet}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			logs, total := tcDescribe(t, c, tc.mutate)
			assert.ElementsMatch(t, flowLogIDs(tc.want), flowLogIDs(logs))
			assert.EqualValues(t, len(tc.want), total)
		})
	}
}

func TestTencentDescribeFlowLogsErrors(t *testing.T) {
	srv := newTestServer(t, WithTencentRateLimit(0))
	c := defaultTencentClient(t, srv)
	s := common.StringPtr
	tests := []struct {
		name   string
		mutate func(*tcvpc.DescribeFlowLogsRequest)
		code   string
		msg    string
	}{
		{"Limit 0", func(r *tcvpc.DescribeFlowLogsRequest) { r.Limit = common.Uint64Ptr(0) }, "InvalidParameterValue.Range", "`Limit`"},
		{"Limit 101", func(r *tcvpc.DescribeFlowLogsRequest) { r.Limit = common.Uint64Ptr(101) }, "InvalidParameterValue.Range", "1..100"},
		{"FlowLogName too long", func(r *tcvpc.DescribeFlowLogsRequest) { r.FlowLogName = s(strings.Repeat("n", 61)) },
			"InvalidParameterValue.TooLong", "at most 60"},
		{"ResourceType", func(r *tcvpc.DescribeFlowLogsRequest) { r.ResourceType = s("ENI") }, "InvalidParameterValue.Range", ""},
		{"TrafficType", func(r *tcvpc.DescribeFlowLogsRequest) { r.TrafficType = s("Accept") }, "InvalidParameterValue.Range", ""},
		{"CloudLogState", func(r *tcvpc.DescribeFlowLogsRequest) { r.CloudLogState = s("FAILED") }, "InvalidParameterValue.Range", ""},
		{"OrderField", func(r *tcvpc.DescribeFlowLogsRequest) { r.OrderField = s("createdTime") }, "InvalidParameterValue.Range",
			"flowLogName, createTime"},
		{"OrderDirection", func(r *tcvpc.DescribeFlowLogsRequest) { r.OrderDirection = s("asc") }, "InvalidParameterValue.Range", ""},
		{"malformed FlowLogId", func(r *tcvpc.DescribeFlowLogsRequest) { r.FlowLogId = s("flowlog-1") }, "InvalidParameterValue.Malformed", ""},
		{"malformed VpcId", func(r *tcvpc.DescribeFlowLogsRequest) { r.VpcId = s("vpc_1") }, "InvalidParameterValue.Malformed", ""},
		{"unknown VpcId", func(r *tcvpc.DescribeFlowLogsRequest) { r.VpcId = s("vpc-unknown0") }, "ResourceNotFound", "vpc-unknown0"},
		{"Filters with FlowLogId", func(r *tcvpc.DescribeFlowLogsRequest) {
			r.FlowLogId = s("fl-00000000")
			r.Filters = &tcvpc.Filter{Name: s("tag-key"), Values: common.StringPtrs([]string{"a"})}
		}, "InvalidParameter.Coexist", ""},
		{"unknown filter", func(r *tcvpc.DescribeFlowLogsRequest) {
			r.Filters = &tcvpc.Filter{Name: s("vpc-id"), Values: common.StringPtrs([]string{"a"})}
		}, "InvalidParameter.FilterInvalidKey", "`vpc-id`"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := tcvpc.NewDescribeFlowLogsRequest()
			tc.mutate(req)
			_, err := c.DescribeFlowLogs(req)
			requireTCError(t, err, tc.code, tc.msg)
		})
	}
}

// TestTencentCLSTopicDeleted: deleting the CLS topic shows as CloudLogState
// DELETED, the state a client has to surface as a delivery failure.
func TestTencentCLSTopicDeleted(t *testing.T) {
	srv := newTestServer(t)
	c := defaultTencentClient(t, srv)
	fl := mustTencentCreate(t, c, nil)
	assert.Equal(t, "SUCCESS", *tcDescribeOne(t, c, *fl.FlowLogId).CloudLogState)

	srv.DeleteCLSTopic(DefaultTencentRegion, DefaultCLSTopicID)
	srv.DeleteCLSTopic(DefaultTencentRegion, "00000000-0000-4000-8000-000000000000") // unknown: ignored
	got := tcDescribeOne(t, c, *fl.FlowLogId)
	assert.Equal(t, "DELETED", *got.CloudLogState)
	assert.True(t, *got.Enable)
	logs, _ := tcDescribe(t, c, func(r *tcvpc.DescribeFlowLogsRequest) { r.CloudLogState = common.StringPtr("DELETED") })
	assert.Equal(t, []string{*fl.FlowLogId}, flowLogIDs(logs))
	assert.Equal(t, TencentCloudLogStateDeleted, srv.TencentFlowLogs()[0].CloudLogState)

	// Restoring the topic restores the state.
	srv.AddCLSTopic(DefaultTencentRegion, DefaultCLSTopicID)
	assert.Equal(t, "SUCCESS", *tcDescribeOne(t, c, *fl.FlowLogId).CloudLogState)
}

// ---- DeleteFlowLog, EnableFlowLogs, DisableFlowLogs ---------------------------------

func TestTencentDeleteFlowLog(t *testing.T) {
	srv := newTestServer(t)
	c := defaultTencentClient(t, srv)
	fl := mustTencentCreate(t, c, nil)
	ccn := mustTencentCreate(t, c, func(r *tcvpc.CreateFlowLogRequest) {
		r.ResourceType, r.ResourceId, r.VpcId = common.StringPtr("CCN"), common.StringPtr(DefaultTencentCCNID), nil
	})
	del := func(id, vpcID *string) error {
		req := tcvpc.NewDeleteFlowLogRequest()
		req.FlowLogId, req.VpcId = id, vpcID
		_, err := c.DeleteFlowLog(req)
		return err
	}
	s := common.StringPtr
	requireTCError(t, del(nil, s(DefaultTencentVPCID)), "MissingParameter", "`FlowLogId`")
	requireTCError(t, del(s(""), s(DefaultTencentVPCID)), "InvalidParameterValue.Empty", "`FlowLogId`")
	requireTCError(t, del(s("fl_1"), s(DefaultTencentVPCID)), "InvalidParameterValue.Malformed", "fl_1")
	requireTCError(t, del(s("fl-00000000"), s(DefaultTencentVPCID)), "ResourceNotFound", "fl-00000000")
	requireTCError(t, del(fl.FlowLogId, nil), "MissingParameter", "`VpcId`")
	requireTCError(t, del(fl.FlowLogId, s("vpc_bad")), "InvalidParameterValue.Malformed", "vpc_bad")
	requireTCError(t, del(fl.FlowLogId, s("vpc-other000")), "ResourceNotFound", "vpc-other000")
	requireTCError(t, del(ccn.FlowLogId, s(DefaultTencentVPCID)), "InvalidParameterValue.VpcIdNotNeededForFlowLog", "")
	assert.Len(t, srv.TencentFlowLogs(), 2)

	// Deletion is synchronous.
	require.NoError(t, del(fl.FlowLogId, s(DefaultTencentVPCID)))
	require.NoError(t, del(ccn.FlowLogId, nil))
	assert.Empty(t, srv.TencentFlowLogs())
	logs, total := tcDescribe(t, c, func(r *tcvpc.DescribeFlowLogsRequest) { r.FlowLogId = fl.FlowLogId })
	assert.Empty(t, logs)
	assert.Zero(t, total)
	requireTCError(t, del(fl.FlowLogId, s(DefaultTencentVPCID)), "ResourceNotFound", "")
	// The resource can get a new flow log.
	mustTencentCreate(t, c, nil)
}

func TestTencentEnableDisableFlowLogs(t *testing.T) {
	srv := newTestServer(t)
	c := defaultTencentClient(t, srv)
	a := mustTencentCreate(t, c, nil)
	b := mustTencentCreate(t, c, func(r *tcvpc.CreateFlowLogRequest) {
		r.ResourceId = common.StringPtr(DefaultTencentNetworkInterfaceID2)
	})
	enabled := func(fl *tcvpc.FlowLog) bool { return *tcDescribeOne(t, c, *fl.FlowLogId).Enable }
	disable := func(ids []*string) error {
		req := tcvpc.NewDisableFlowLogsRequest()
		req.FlowLogIds = ids
		_, err := c.DisableFlowLogs(req)
		return err
	}
	enable := func(ids []*string) error {
		req := tcvpc.NewEnableFlowLogsRequest()
		req.FlowLogIds = ids
		_, err := c.EnableFlowLogs(req)
		return err
	}

	require.NoError(t, disable([]*string{a.FlowLogId, b.FlowLogId, a.FlowLogId}))
	assert.False(t, enabled(a))
	assert.False(t, enabled(b))
	require.NoError(t, disable([]*string{a.FlowLogId})) // already disabled: no error
	require.NoError(t, enable([]*string{a.FlowLogId}))
	assert.True(t, enabled(a))
	assert.False(t, enabled(b))

	// A failing batch changes nothing.
	requireTCError(t, enable([]*string{b.FlowLogId, common.StringPtr("fl-00000000")}), "ResourceNotFound", "fl-00000000")
	assert.False(t, enabled(b))
	requireTCError(t, disable([]*string{a.FlowLogId, common.StringPtr("fl_bad")}), "InvalidParameterValue.Malformed", "fl_bad")
	assert.True(t, enabled(a))
	requireTCError(t, enable(nil), "MissingParameter", "`FlowLogIds`")
	requireTCError(t, enable([]*string{}), "InvalidParameterValue.Empty", "`FlowLogIds`")
	tooMany := make([]*string, 101)
	for i := range tooMany {
		tooMany[i] = a.FlowLogId
	}
	requireTCError(t, disable(tooMany), "InvalidParameterValue.LimitExceeded", "100")
	require.NoError(t, disable(tooMany[:100]))
	assert.False(t, enabled(a))

	snap := srv.TencentFlowLogs()
	require.Len(t, snap, 2)
	assert.False(t, snap[0].Enabled)
	assert.False(t, snap[1].Enabled)
	assert.Equal(t, 5, srv.Calls("Tencent.DisableFlowLogs"))
	assert.Equal(t, 4, srv.Calls("EnableFlowLogs"))
}

// ---- gateway: auth, rate limit, framing ----------------------------------------------

func TestTencentSDKAuthErrors(t *testing.T) {
	srv := newTestServer(t, WithTencentCredential("AKIDlongterm", "long-secret"),
		WithTencentSTSCredential("AKIDtemporary", "tmp-secret", "the-token"))
	describe := func(cred common.CredentialIface) error {
		_, err := newTencentClient(t, srv, DefaultTencentRegion, cred).DescribeFlowLogs(tcvpc.NewDescribeFlowLogsRequest())
		return err
	}
	require.NoError(t, describe(common.NewCredential("AKIDlongterm", "long-secret")))
	require.NoError(t, describe(common.NewTokenCredential("AKIDtemporary", "tmp-secret", "the-token")))

	// Once a credential is configured, the default one is refused.
	requireTCError(t, describe(common.NewCredential(DefaultTencentSecretID, DefaultTencentSecretKey)),
		"AuthFailure.SecretIdNotFound", "The SecretId is not found, please ensure that your SecretId is correct.")
	requireTCError(t, describe(common.NewCredential("AKIDlongterm", "wrong")),
		"AuthFailure.SignatureFailure", "The provided credentials could not be validated. Please check your signature is correct.")
	requireTCError(t, describe(common.NewCredential("AKIDtemporary", "tmp-secret")),
		"AuthFailure.TokenFailure", "Token verification failed")
	requireTCError(t, describe(common.NewTokenCredential("AKIDtemporary", "tmp-secret", "other-token")),
		"AuthFailure.TokenFailure", "")
	requireTCError(t, describe(common.NewTokenCredential("AKIDlongterm", "long-secret", "unexpected")),
		"AuthFailure.TokenFailure", "")
	// Alibaba credentials are a different namespace.
	requireTCError(t, describe(common.NewCredential(DefaultAccessKeyID, DefaultAccessKeySecret)),
		"AuthFailure.SecretIdNotFound", "")
	assert.Equal(t, 2, srv.Calls("DescribeFlowLogs"))
}

func TestTencentSignatureExpire(t *testing.T) {
	for _, tc := range []struct {
		skew time.Duration
		ok   bool
	}{{4 * time.Minute, true}, {-4 * time.Minute, true}, {6 * time.Minute, false}, {-6 * time.Minute, false}} {
		t.Run(tc.skew.String(), func(t *testing.T) {
			// The SDK stamps the real time; the server clock is skewed.
			srv := newTestServer(t, WithClock(func() time.Time { return time.Now().Add(tc.skew) }))
			_, err := defaultTencentClient(t, srv).DescribeFlowLogs(tcvpc.NewDescribeFlowLogsRequest())
			if tc.ok {
				require.NoError(t, err)
				return
			}
			requireTCError(t, err, "AuthFailure.SignatureExpire", "The signature is expired, please request again.")
			assert.Zero(t, srv.Calls("DescribeFlowLogs"))
		})
	}
}

func TestTencentRateLimit(t *testing.T) {
	clock := newFakeClock() // frozen: every request falls into one second
	srv := newTestServer(t, WithClock(clock.Now), WithTencentCredential("AKIDother", "other-secret"),
		WithTencentCredential(DefaultTencentSecretID, DefaultTencentSecretKey))
	c := defaultTencentClient(t, srv)
	for i := range 20 {
		_, err := c.DescribeFlowLogs(tcvpc.NewDescribeFlowLogsRequest())
		require.NoError(t, err, "request %d", i+1)
	}
	_, err := c.DescribeFlowLogs(tcvpc.NewDescribeFlowLogsRequest())
	requireTCError(t, err, "RequestLimitExceeded", "Your current request times equals to `21` in a second, "+
		"which exceeds the frequency limit `20` for a second. Please reduce the frequency of calls.")
	_, err = c.DescribeFlowLogs(tcvpc.NewDescribeFlowLogsRequest())
	requireTCError(t, err, "RequestLimitExceeded", "equals to `22` in a second")
	// Throttled requests never reach the handler.
	assert.Equal(t, 20, srv.Calls("DescribeFlowLogs"))

	// The limit is per action and per SecretId.
	mustTencentCreate(t, c, nil)
	other := newTencentClient(t, srv, DefaultTencentRegion, common.NewCredential("AKIDother", "other-secret"))
	_, err = other.DescribeFlowLogs(tcvpc.NewDescribeFlowLogsRequest())
	require.NoError(t, err)

	// The next second opens a new window.
	clock.Advance(time.Second)
	_, err = c.DescribeFlowLogs(tcvpc.NewDescribeFlowLogsRequest())
	require.NoError(t, err)
}

func TestTencentRateLimitOptions(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now), WithTencentRateLimit(2))
	c := defaultTencentClient(t, srv)
	for range 2 {
		_, err := c.DescribeFlowLogs(tcvpc.NewDescribeFlowLogsRequest())
		require.NoError(t, err)
	}
	_, err := c.DescribeFlowLogs(tcvpc.NewDescribeFlowLogsRequest())
	requireTCError(t, err, "RequestLimitExceeded", "equals to `3` in a second, which exceeds the frequency limit `2`")

	srv = newTestServer(t, WithClock(clock.Now), WithTencentRateLimit(0))
	c = defaultTencentClient(t, srv)
	for range 30 {
		_, err := c.DescribeFlowLogs(tcvpc.NewDescribeFlowLogsRequest())
		require.NoError(t, err)
	}
}

// TestTencentRawGateway drives the gateway checks with hand-signed requests.
func TestTencentRawGateway(t *testing.T) {
	now := time.Now()
	srv := newTestServer(t, WithClock(func() time.Time { return now }),
		WithTencentCredential(DefaultTencentSecretID, DefaultTencentSecretKey),
		WithTencentSTSCredential("AKIDtemporary", "tmp-secret", "the-token"))

	tests := []struct {
		name string
		req  tcRaw
		code string // "" = success
		msg  string
	}{
		{name: "ok", req: tcRaw{}},
		{name: "more signed headers", req: tcRaw{signed: []string{"content-type", "host", "x-tc-action", "x-tc-region"}}},
		{name: "unsigned payload", req: tcRaw{header: map[string]string{"X-TC-Content-SHA256": "UNSIGNED-PAYLOAD"},
			mutate: func(r *http.Request) { r.Body = http.NoBody; r.ContentLength = 0 }}},
		{name: "sts token", req: tcRaw{secretID: "AKIDtemporary", secretKey: "tmp-secret", token: "the-token"}},
		{name: "timestamp 4 minutes old", req: tcRaw{now: now.Add(-4 * time.Minute)}},
		{name: "empty body is an empty object", req: tcRaw{mutate: func(r *http.Request) {}, body: " "}},

		{name: "GET", req: tcRaw{method: http.MethodGet}, code: "UnsupportedProtocol"},
		{name: "missing timestamp", req: tcRaw{mutate: func(r *http.Request) { r.Header.Del("X-TC-Timestamp") }},
			code: "MissingParameter", msg: "The request is missing a required parameter `Timestamp`."},
		{name: "bad timestamp", req: tcRaw{mutate: func(r *http.Request) { r.Header.Set("X-TC-Timestamp", "yesterday") }},
			code: "InvalidParameterValue", msg: "`X-TC-Timestamp`"},
		{name: "missing version", req: tcRaw{version: "-"}, code: "MissingParameter", msg: "`Version`"},
		{name: "missing authorization", req: tcRaw{noSign: true}, code: "AuthFailure.InvalidAuthorization",
			msg: "The request `Authorization` header does not conform to tencentcloud standards: the header is missing."},
		{name: "garbage authorization", req: tcRaw{mutate: func(r *http.Request) { r.Header.Set("Authorization", "Bearer x") }},
			code: "AuthFailure.InvalidAuthorization", msg: "`Algorithm`"},
		{name: "truncated authorization", req: tcRaw{mutate: func(r *http.Request) {
			a := r.Header.Get("Authorization")
			r.Header.Set("Authorization", a[:strings.Index(a, ", Signature")])
		}}, code: "AuthFailure.InvalidAuthorization", msg: "`Signature` is missing"},
		// An address that names no service leaves the scope free, as long
		// as the signature is right for the scope the client chose: some
		// SDKs sign the first label of the endpoint they are given.
		{name: "scope service from an IP host", req: tcRaw{mutate: func(r *http.Request) {
			require.NoError(t, tc3.SignRequest(r, []byte("{}"), DefaultTencentSecretID, DefaultTencentSecretKey, "127", nil))
		}}},
		{name: "other service, signature for vpc", req: tcRaw{mutate: func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/vpc/", "/cvm/", 1))
		}}, code: "AuthFailure.SignatureFailure"},
		// A host that names a service takes that service only.
		{name: "host names vpc", req: tcRaw{mutate: func(r *http.Request) {
			r.Host = "vpc.tencentcloudapi.com"
			require.NoError(t, tc3.SignRequest(r, []byte("{}"), DefaultTencentSecretID, DefaultTencentSecretKey, "vpc", nil))
		}}},
		{name: "host names vpc, scope another", req: tcRaw{mutate: func(r *http.Request) {
			r.Host = "vpc.tencentcloudapi.com"
			require.NoError(t, tc3.SignRequest(r, []byte("{}"), DefaultTencentSecretID, DefaultTencentSecretKey, "cvm", nil))
		}}, code: "AuthFailure.InvalidAuthorization", msg: "`Service` in Credential not valid."},
		{name: "host names no product", req: tcRaw{mutate: func(r *http.Request) {
			r.Host = "emulator.internal:4566"
			require.NoError(t, tc3.SignRequest(r, []byte("{}"), DefaultTencentSecretID, DefaultTencentSecretKey, "emulator", nil))
		}}},
		// The Node.js SDK signs the host name without the port it sends.
		{name: "host signed without its port", req: tcRaw{mutate: func(r *http.Request) {
			sent := r.URL.Host
			r.Host, _, _ = strings.Cut(sent, ":")
			require.NoError(t, tc3.SignRequest(r, []byte("{}"), DefaultTencentSecretID, DefaultTencentSecretKey, "127", nil))
			r.Host = sent
		}}},
		{name: "host signed without its port, wrong key", req: tcRaw{mutate: func(r *http.Request) {
			sent := r.URL.Host
			r.Host, _, _ = strings.Cut(sent, ":")
			require.NoError(t, tc3.SignRequest(r, []byte("{}"), DefaultTencentSecretID, "wrong", "127", nil))
			r.Host = sent
		}}, code: "AuthFailure.SignatureFailure"},
		{name: "no product of the version either", req: tcRaw{version: "2099-01-01", mutate: func(r *http.Request) {
			require.NoError(t, tc3.SignRequest(r, []byte("{}"), DefaultTencentSecretID, DefaultTencentSecretKey, "127", nil))
		}}, code: "AuthFailure.InvalidAuthorization", msg: "`Service` in Credential not valid."},
		{name: "expired", req: tcRaw{now: now.Add(-6 * time.Minute)}, code: "AuthFailure.SignatureExpire"},
		{name: "from the future", req: tcRaw{now: now.Add(6 * time.Minute)}, code: "AuthFailure.SignatureExpire"},
		{name: "unknown secret id", req: tcRaw{secretID: "AKIDnobody"}, code: "AuthFailure.SecretIdNotFound"},
		{name: "wrong key", req: tcRaw{secretKey: "wrong"}, code: "AuthFailure.SignatureFailure"},
		{name: "tampered body", req: tcRaw{mutate: func(r *http.Request) {
			r.Body, r.ContentLength = http.NoBody, 0
		}}, code: "AuthFailure.SignatureFailure"},
		{name: "tampered signed header", req: tcRaw{signed: []string{"content-type", "host", "x-tc-region"},
			mutate: func(r *http.Request) { r.Header.Set("X-TC-Region", "ap-shanghai") }}, code: "AuthFailure.SignatureFailure"},
		{name: "signed for another host", req: tcRaw{mutate: func(r *http.Request) {
			// Re-sign as if for the real endpoint; the emulator checks r.Host.
			r.Host = "vpc.tencentcloudapi.com"
			require.NoError(t, tc3.SignRequest(r, []byte("{}"), DefaultTencentSecretID, DefaultTencentSecretKey, "vpc", nil))
			r.Host = ""
		}}, code: "AuthFailure.SignatureFailure"},
		{name: "local date in credential", req: tcRaw{mutate: func(r *http.Request) {
			// A consistent signature over the wrong (non-UTC) date.
			ts := r.Header.Get("X-TC-Timestamp")
			date := now.Add(24 * time.Hour).UTC().Format("2006-01-02")
			auth := tc3.Authorization{SecretID: DefaultTencentSecretID, Date: date, Service: "vpc",
				SignedHeaders: []string{"content-type", "host"}}
			cr := tc3.HTTPCanonicalRequest(r, []byte("{}"), auth.SignedHeaders)
			auth.Signature = tc3.Sign(DefaultTencentSecretKey, date, "vpc", tc3.StringToSign(ts, auth.Scope(), cr.Hash()))
			r.Header.Set("Authorization", auth.String())
		}}, code: "AuthFailure.SignatureFailure"},
		{name: "missing token", req: tcRaw{secretID: "AKIDtemporary", secretKey: "tmp-secret"}, code: "AuthFailure.TokenFailure"},
		{name: "wrong version", req: tcRaw{version: "2020-01-01"}, code: "NoSuchVersion",
			msg: "The specified api version=`2020-01-01` does not exist in service=`vpc`."},
		{name: "unknown action", req: tcRaw{action: "RunInstances"}, code: "InvalidAction",
			msg: "The request action=`RunInstances` is invalid or not found in service=`vpc` and version=`2017-03-12`."},
		{name: "singular DescribeFlowLog is not emulated", req: tcRaw{action: "DescribeFlowLog"}, code: "InvalidAction"},
		{name: "missing region", req: tcRaw{region: "-"}, code: "MissingParameter",
			msg: "The request is missing a required parameter `Region`."},
		{name: "unknown region", req: tcRaw{region: "xx-nowhere-1"}, code: "InvalidParameterValue",
			msg: "A value specified in `X-TC-Region` is not valid, is unsupported, or cannot be used."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.req.now.IsZero() {
				tc.req.now = now
			}
			r := doTC(t, srv, tc.req)
			if tc.code == "" {
				requireTCRawOK(t, r)
				assert.Contains(t, r.resp, "TotalNum")
				return
			}
			requireTCRawError(t, r, tc.code, tc.msg)
		})
	}
}

// TestTencentMalformedBodies: no input may crash the emulator or produce
// anything but an HTTP 200 JSON answer.
func TestTencentMalformedBodies(t *testing.T) {
	srv := newTestServer(t, WithTencentRateLimit(0))
	tests := []struct {
		action, body string
		code, msg    string
	}{
		{"DescribeFlowLogs", `{`, "InvalidParameter", "not a valid JSON object"},
		{"DescribeFlowLogs", `[]`, "InvalidParameter", "not a valid JSON object"},
		{"DescribeFlowLogs", `null`, "InvalidParameter", ""},
		{"DescribeFlowLogs", `"x"`, "InvalidParameter", ""},
		{"DescribeFlowLogs", `{}{}`, "InvalidParameter", ""},
		{"DescribeFlowLogs", "\xff\xfe", "InvalidParameter", ""},
		{"DescribeFlowLogs", `{"Bogus":1}`, "UnknownParameter", "The parameter `Bogus` is not recognized."},
		{"DescribeFlowLogs", `{"limit":5}`, "UnknownParameter", "`limit`"},
		{"DescribeFlowLogs", `{"Limit":"5"}`, "InvalidParameter", "`Limit`"},
		{"DescribeFlowLogs", `{"Limit":1.5}`, "InvalidParameter", "`Limit`"},
		{"DescribeFlowLogs", `{"Offset":-1}`, "InvalidParameterValue.Range", "`Offset`"},
		{"DescribeFlowLogs", `{"VpcId":["vpc-emu00001"]}`, "InvalidParameter", "`VpcId`"},
		{"DescribeFlowLogs", `{"Filters":[{"Name":"tag-key","Values":["a"]}]}`, "InvalidParameter.FilterNotDict", ""},
		{"DescribeFlowLogs", `{"Filters":"tag-key"}`, "InvalidParameter.FilterNotDict", ""},
		{"DescribeFlowLogs", `{"Filters":{"Name":"tag-key","Values":"a"}}`, "InvalidParameter.FilterValuesNotList", ""},
		{"DescribeFlowLogs", `{"Filters":{"Name":"tag-key"}}`, "InvalidParameter.FilterValuesNotList", ""},
		{"DescribeFlowLogs", `{"Filters":{"Name":"tag:","Values":["a"]}}`, "InvalidParameter.FilterInvalidKey", ""},
		{"DescribeFlowLogs", `{"Filters":{"Name":7,"Values":["a"]}}`, "InvalidParameter.FilterInvalidKey", ""},
		{"CreateFlowLog", `{"FlowLogName":1}`, "InvalidParameter", "`FlowLogName`"},
		{"CreateFlowLog", `{"Tags":{"Key":"a"}}`, "InvalidParameter", "`Tags`"},
		{"CreateFlowLog", `{"FlowLogName":null}`, "MissingParameter", "`FlowLogName`"},
		{"CreateFlowLog", `{"FlowLogName":"a","ResourceType":"CCN","ResourceId":"ccn-emu00001","TrafficType":"ALL",` +
			`"CloudLogId":"` + DefaultCLSTopicID + `","Period":"300"}`, "InvalidParameter", "`Period`"},
		{"DeleteFlowLog", `{"FlowLogId":{}}`, "InvalidParameter", "`FlowLogId`"},
		{"EnableFlowLogs", `{}`, "MissingParameter", "`FlowLogIds`"},
		{"EnableFlowLogs", `{"FlowLogIds":[]}`, "InvalidParameterValue.Empty", "`FlowLogIds`"},
		{"DisableFlowLogs", `{"FlowLogIds":"fl-00000000"}`, "InvalidParameter", "`FlowLogIds`"},
		{"DisableFlowLogs", `{"FlowLogIds":[null]}`, "InvalidParameterValue.Malformed", ""},
	}
	for _, tc := range tests {
		t.Run(tc.action+" "+tc.body, func(t *testing.T) {
			r := doTC(t, srv, tcRaw{action: tc.action, body: tc.body})
			requireTCRawError(t, r, tc.code, tc.msg)
		})
	}
	assert.Empty(t, srv.TencentFlowLogs())

	// A body over 10 MB is refused before anything else.
	big := bytes.Repeat([]byte(" "), 10<<20+1)
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/", bytes.NewReader(big))
	require.NoError(t, err)
	req.Header.Set("X-TC-Action", "DescribeFlowLogs")
	resp := sendHTTP(t, req)
	assert.Equal(t, http.StatusOK, resp.status)
	assert.Equal(t, "RequestSizeLimitExceeded", resp.body["Response"].(map[string]any)["Error"].(map[string]any)["Code"])
}

func TestTencentCreateResponseShapeRaw(t *testing.T) {
	srv := newTestServer(t)
	body := `{"FlowLogName":"test","CloudLogId":"` + DefaultCLSTopicID + `","VpcId":"` + DefaultTencentVPCID +
		`","FlowLogDescription":"test-flowlog","ResourceType":"NETWORKINTERFACE","ResourceId":"` +
		DefaultTencentNetworkInterfaceID + `","TrafficType":"ACCEPT"}`
	r := doTC(t, srv, tcRaw{action: "CreateFlowLog", body: body})
	requireTCRawOK(t, r)
	assert.Len(t, r.resp, 2, r.raw) // FlowLog and RequestId
	list, ok := r.resp["FlowLog"].([]any)
	require.True(t, ok, r.raw)
	require.Len(t, list, 1)
	fl := list[0].(map[string]any)
	keys := make([]string, 0, len(fl))
	for k := range fl {
		keys = append(keys, k)
	}
	// Exactly the keys of the documented example (Period only for CCN).
	assert.ElementsMatch(t, []string{"VpcId", "FlowLogId", "FlowLogName", "ResourceType", "ResourceId", "TrafficType",
		"CloudLogId", "CloudLogState", "CloudLogRegion", "FlowLogDescription", "Enable", "StorageType", "TagSet",
		"FlowLogStorage", "CreatedTime"}, keys)
	assert.Equal(t, []any{}, fl["TagSet"])
	assert.Equal(t, true, fl["Enable"])

	// Delete answers only a RequestId.
	r = doTC(t, srv, tcRaw{action: "DeleteFlowLog",
		body: `{"FlowLogId":"` + fl["FlowLogId"].(string) + `","VpcId":"` + DefaultTencentVPCID + `"}`})
	requireTCRawOK(t, r)
	assert.Len(t, r.resp, 1, r.raw)
}

func TestTencentHandlerPanicBecomesInternalError(t *testing.T) {
	srv := newServer(nil)
	srv.tc.actions["Panic"] = func(*tcRequest) (any, error) { panic("boom") }
	srv.tc.actions["Fail"] = func(*tcRequest) (any, error) { return nil, fmt.Errorf("plain error") }
	srv.start()
	t.Cleanup(srv.Close)
	for _, action := range []string{"Panic", "Fail"} {
		r := doTC(t, srv, tcRaw{action: action})
		requireTCRawError(t, r, "InternalError", "")
	}
	// The server keeps serving, and the lock was released.
	requireTCRawOK(t, doTC(t, srv, tcRaw{}))
	assert.Empty(t, srv.TencentFlowLogs())
}

func TestTencentCallsCounting(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now), WithTencentRateLimit(1))
	tc := defaultTencentClient(t, srv)
	ali := defaultClient(t, srv)
	mustTencentCreate(t, tc, nil)
	mustCreate(t, ali, nil)
	// Throttled: not counted.
	_, err := tc.CreateFlowLog(validTencentCreate())
	requireTCError(t, err, "RequestLimitExceeded", "")
	// Rejected by the gateway: not counted.
	requireTCRawError(t, doTC(t, srv, tcRaw{action: "CreateFlowLog", secretKey: "wrong"}), "AuthFailure.SignatureFailure", "")
	// Reached the action, refused for its region: counted.
	clock.Advance(time.Second)
	requireTCRawError(t, doTC(t, srv, tcRaw{action: "CreateFlowLog", region: "xx-nowhere-1"}), "InvalidParameterValue", "")

	assert.Equal(t, 3, srv.Calls("CreateFlowLog"))
	assert.Equal(t, 2, srv.Calls("Tencent.CreateFlowLog"))
	assert.Equal(t, 1, srv.Calls("Vpc.CreateFlowLog"))
}

func TestTencentConcurrentClients(t *testing.T) {
	srv := newTestServer(t, WithTencentRateLimit(0))
	const n = 16
	enis := srv.AddTencentNetworkInterfaces(DefaultTencentRegion, DefaultTencentVPCID, n)
	c := defaultTencentClient(t, srv) // the Tencent client is safe for concurrent calls
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for _, eni := range enis {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := validTencentCreate()
			req.ResourceId = common.StringPtr(eni)
			resp, err := c.CreateFlowLog(req)
			if err != nil {
				errs <- err
				return
			}
			d := tcvpc.NewDisableFlowLogsRequest()
			d.FlowLogIds = []*string{resp.Response.FlowLog[0].FlowLogId}
			if _, err := c.DisableFlowLogs(d); err != nil {
				errs <- err
			}
			_ = srv.TencentFlowLogs()
			srv.AddCKafkaTopic(DefaultTencentRegion, DefaultCKafkaInstanceID, "topic-"+eni)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	assert.Equal(t, n, srv.Calls("Tencent.CreateFlowLog"))
	logs := srv.TencentFlowLogs()
	assert.Len(t, logs, n)
	for _, fl := range logs {
		assert.False(t, fl.Enabled)
	}
}

// ---- fixture and seeding --------------------------------------------------------------

func TestTencentDefaultFixtureQuickstart(t *testing.T) {
	srv := newTestServer(t, WithTencentRateLimit(0))
	c := defaultTencentClient(t, srv)
	for _, eni := range []string{DefaultTencentNetworkInterfaceID, DefaultTencentNetworkInterfaceID2, DefaultTencentNetworkInterfaceID3} {
		mustTencentCreate(t, c, func(r *tcvpc.CreateFlowLogRequest) { r.ResourceId = common.StringPtr(eni) })
	}
	assert.Len(t, srv.TencentFlowLogs(), 3)
	// The Alibaba fixture is unaffected.
	assert.Empty(t, srv.VPCFlowLogs())
}

func TestTencentWithoutDefaultFixture(t *testing.T) {
	srv := newTestServer(t, WithoutDefaultFixture())
	c := defaultTencentClient(t, srv) // the default credential still works
	logs, total := tcDescribe(t, c, nil)
	assert.Empty(t, logs)
	assert.Zero(t, total)
	_, err := c.CreateFlowLog(validTencentCreate())
	requireTCError(t, err, "ResourceNotFound", DefaultTencentNetworkInterfaceID)

	// Seeding creates the parents; a custom region must be added.
	srv.AddTencentRegion("ap-test")
	srv.AddTencentNetworkInterface("ap-test", "vpc-test0001", "eni-test0001")
	srv.AddCLSTopic("ap-test", DefaultCLSTopicID)
	tc := newTencentClient(t, srv, "ap-test", common.NewCredential(DefaultTencentSecretID, DefaultTencentSecretKey))
	fl := mustTencentCreate(t, tc, func(r *tcvpc.CreateFlowLogRequest) {
		r.ResourceId, r.VpcId = common.StringPtr("eni-test0001"), common.StringPtr("vpc-test0001")
	})
	assert.Equal(t, "vpc-test0001", *fl.VpcId)
	mustTencentCreate(t, tc, func(r *tcvpc.CreateFlowLogRequest) {
		r.ResourceType, r.ResourceId, r.VpcId = common.StringPtr("VPC"), common.StringPtr("vpc-test0001"), common.StringPtr("vpc-test0001")
	})
}

func TestAddTencentNetworkInterfaces(t *testing.T) {
	srv := newTestServer(t, WithTencentRateLimit(0))
	first := srv.AddTencentNetworkInterfaces(DefaultTencentRegion, "vpc-bulk0001", 3)
	second := srv.AddTencentNetworkInterfaces(DefaultTencentRegion, "vpc-bulk0001", 2)
	assert.Empty(t, srv.AddTencentNetworkInterfaces(DefaultTencentRegion, "vpc-bulk0001", 0))
	assert.Empty(t, srv.AddTencentNetworkInterfaces(DefaultTencentRegion, "vpc-bulk0001", -1))
	all := append(append([]string{}, first...), second...)
	require.Len(t, all, 5)
	seen := map[string]bool{}
	c := defaultTencentClient(t, srv)
	for _, id := range all {
		assert.Regexp(t, `^eni-[a-z0-9]{8}$`, id)
		assert.False(t, seen[id], "duplicate %s", id)
		seen[id] = true
		mustTencentCreate(t, c, func(r *tcvpc.CreateFlowLogRequest) {
			r.ResourceId, r.VpcId = common.StringPtr(id), common.StringPtr("vpc-bulk0001")
		})
	}
}

// TestTencentSeedingRejectsMalformedIDs: seeding refuses exactly the IDs
// CreateFlowLog refuses as Malformed, those without their documented prefix
// (seed 003 "vpc-xxxxxx", "eni-xxxxxxxx"; api-spec §4.1 nat-, ccn-, dcg-),
// and accepts any other, whatever its length or case; CLS topic IDs need
// only be non-empty (seed 003 documents no format).
func TestTencentSeedingRejectsMalformedIDs(t *testing.T) {
	srv := newTestServer(t)
	assert.PanicsWithValue(t, `flowlogtest: Tencent ID "vpc_1" must start with "vpc-"`,
		func() { srv.AddTencentVPC(DefaultTencentRegion, "vpc_1") })
	assert.Panics(t, func() { srv.AddTencentNetworkInterface(DefaultTencentRegion, DefaultTencentVPCID, "eni_12345678") })
	assert.Panics(t, func() { srv.AddTencentSubnet(DefaultTencentRegion, "VPC-12345678", "subnet-12345678") })
	assert.Panics(t, func() { srv.AddTencentSubnet(DefaultTencentRegion, DefaultTencentVPCID, "") })
	assert.Panics(t, func() { srv.AddTencentCCN("CCN-ABCDEFGH") })
	assert.Panics(t, func() { srv.AddTencentNATGateway(DefaultTencentRegion, DefaultTencentVPCID, "gw-12345678") })
	assert.Panics(t, func() { srv.AddTencentDirectConnectGateway(DefaultTencentRegion, DefaultTencentVPCID, "") })
	assert.Panics(t, func() { srv.AddCLSTopic(DefaultTencentRegion, "") })
	assert.Panics(t, func() { srv.AddTencentNetworkInterfaces(DefaultTencentRegion, "vpc", 1) })

	// What the old 8-lower-case-alphanumerics rule refused, now seeded and
	// used: the API documents no such shape.
	assert.NotPanics(t, func() {
		srv.AddTencentVPC(DefaultTencentRegion, "vpc-1")
		srv.AddTencentNetworkInterface(DefaultTencentRegion, "vpc-xxxxxx", "eni-ABC_123456789")
		srv.AddTencentSubnet(DefaultTencentRegion, "vpc-xxxxxx", "any-subnet")
		srv.AddTencentCCN("ccn-1")
		srv.AddTencentNATGateway(DefaultTencentRegion, "vpc-xxxxxx", "nat-123456789")
		srv.AddCLSTopic(DefaultTencentRegion, "not-a-uuid")
	})
	c := defaultTencentClient(t, srv)
	mustTencentCreate(t, c, func(r *tcvpc.CreateFlowLogRequest) {
		r.ResourceId, r.VpcId = common.StringPtr("eni-ABC_123456789"), common.StringPtr("vpc-xxxxxx")
		r.CloudLogId = common.StringPtr("not-a-uuid")
	})
	mustTencentCreate(t, c, func(r *tcvpc.CreateFlowLogRequest) {
		r.ResourceType, r.ResourceId, r.VpcId = common.StringPtr("SUBNET"), common.StringPtr("any-subnet"), common.StringPtr("vpc-xxxxxx")
	})
}

func TestTencentFlowLogsIsASnapshot(t *testing.T) {
	srv := newTestServer(t)
	c := defaultTencentClient(t, srv)
	mustTencentCreate(t, c, func(r *tcvpc.CreateFlowLogRequest) {
		r.Tags = []*tcvpc.Tag{{Key: common.StringPtr("k"), Value: common.StringPtr("v")}}
	})
	snap := srv.TencentFlowLogs()
	snap[0].Tags[0].Value = "changed"
	snap[0].Enabled = false
	again := srv.TencentFlowLogs()
	assert.Equal(t, "v", again[0].Tags[0].Value)
	assert.True(t, again[0].Enabled)
}
