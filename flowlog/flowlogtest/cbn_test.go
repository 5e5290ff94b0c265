package flowlogtest

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cbn"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var warmCBN sync.Once

// newCBNClient returns an official CBN SDK client for the emulator.
func newCBNClient(t *testing.T, srv *Server, region, akID, secret string) *cbn.Client {
	t.Helper()
	warmCBN.Do(func() { cbn.GetEndpointMap() }) // avoid the SDK's lazy global-map race
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	cfg := sdk.NewConfig().WithScheme("HTTP")
	cfg.Transport = roundTripperFunc(tr.RoundTrip) // see roundTripperFunc
	c, err := cbn.NewClientWithOptions(region, cfg, credentials.NewStaticAKCredentialsProvider(akID, secret))
	require.NoError(t, err)
	c.Domain = srv.Endpoint()
	return c
}

func defaultCBNClient(t *testing.T, srv *Server) *cbn.Client {
	return newCBNClient(t, srv, DefaultRegion, DefaultAccessKeyID, DefaultAccessKeySecret)
}

// validCBNCreate returns a CreateFlowlog request that succeeds against the
// default fixture.
func validCBNCreate() *cbn.CreateFlowlogRequest {
	req := cbn.CreateCreateFlowlogRequest()
	req.CenId = DefaultCENID
	req.ProjectName = DefaultSLSProject
	req.LogStoreName = DefaultSLSLogStore
	req.TransitRouterAttachmentId = DefaultTransitRouterAttachmentID
	return req
}

func mustCreateCEN(t *testing.T, c *cbn.Client, mutate func(*cbn.CreateFlowlogRequest)) string {
	t.Helper()
	req := validCBNCreate()
	if mutate != nil {
		mutate(req)
	}
	resp, err := c.CreateFlowlog(req)
	require.NoError(t, err)
	return resp.FlowLogId
}

// atTransitRouter turns a create request into a transit-router-level one.
// The pinned SDK has no TransitRouterId field, so it goes in as a raw query
// parameter, which the SDK signs and sends like any other.
func atTransitRouter(trID string) func(*cbn.CreateFlowlogRequest) {
	return func(r *cbn.CreateFlowlogRequest) {
		r.TransitRouterAttachmentId = ""
		r.QueryParams["TransitRouterId"] = trID
	}
}

func describeCEN(t *testing.T, c *cbn.Client, mutate func(*cbn.DescribeFlowlogsRequest)) *cbn.DescribeFlowlogsResponse {
	t.Helper()
	req := cbn.CreateDescribeFlowlogsRequest()
	if mutate != nil {
		mutate(req)
	}
	resp, err := c.DescribeFlowlogs(req)
	require.NoError(t, err)
	return resp
}

func describeCENOne(t *testing.T, c *cbn.Client, id string) cbn.FlowLog {
	t.Helper()
	resp := describeCEN(t, c, func(r *cbn.DescribeFlowlogsRequest) { r.FlowLogId = id })
	require.Len(t, resp.FlowLogs.FlowLog, 1)
	return resp.FlowLogs.FlowLog[0]
}

func cenStatus(t *testing.T, c *cbn.Client, id string) string {
	t.Helper()
	return describeCENOne(t, c, id).Status
}

// cbnRaw is a hand-made CBN request (for parameters the pinned SDK lacks
// and for values it never sends).
func cbnRaw(action string, params url.Values) rawRequest {
	p := url.Values{"Version": {CBNVersion}, "Action": {action}}
	for k, v := range params {
		p[k] = v
	}
	return rawRequest{params: p}
}

func rawCreateParams() url.Values {
	return url.Values{
		"CenId": {DefaultCENID}, "ProjectName": {DefaultSLSProject}, "LogStoreName": {DefaultSLSLogStore},
		"TransitRouterAttachmentId": {DefaultTransitRouterAttachmentID},
	}
}

func cbnFlowLogIDs(resp *cbn.DescribeFlowlogsResponse) []string {
	var ids []string
	for _, fl := range resp.FlowLogs.FlowLog {
		ids = append(ids, fl.FlowLogId)
	}
	return ids
}

var cenFlowLogID = `^flowlog-[a-z0-9]{18}$`

// ---- CreateFlowlog ----------------------------------------------------------

func TestCBNCreateFlowlogSuccess(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now), WithActivationDelay(time.Minute))
	c := defaultCBNClient(t, srv)

	req := validCBNCreate()
	req.FlowLogName = "my-flowlog"
	req.Description = "This is my Flowlog."
	req.Interval = requests.NewInteger(60)
	req.ClientToken = "02fb3da4-130e-11e9-8e44-0016e04115b"
	req.Tag = &[]cbn.CreateFlowlogTag{{Key: "team", Value: "net"}, {Key: "empty", Value: ""}}
	// The SDK's business Version field is overwritten by its signer with
	// the API version; the emulator must not care.
	req.Version = "3"
	resp, err := c.CreateFlowlog(req)
	require.NoError(t, err)
	// The wire carries a JSON boolean; the SDK's fuzzy decoder makes it "true".
	assert.Equal(t, "true", resp.Success)
	assert.Regexp(t, cenFlowLogID, resp.FlowLogId)
	assert.Regexp(t, uuidUpper, resp.RequestId)

	fl := describeCENOne(t, c, resp.FlowLogId)
	assert.Equal(t, cbn.FlowLog{
		FlowLogId:                 resp.FlowLogId,
		FlowLogName:               "my-flowlog",
		Description:               "This is my Flowlog.",
		CenId:                     DefaultCENID,
		Status:                    "Creating",
		CreationTime:              clock.Now().Format("2006-01-02T15:04:05Z"),
		ProjectName:               DefaultSLSProject,
		LogStoreName:              DefaultSLSLogStore,
		RegionId:                  DefaultRegion,
		TransitRouterAttachmentId: DefaultTransitRouterAttachmentID,
		Interval:                  60,
		Tags: cbn.TagsInDescribeFlowlogs{Tag: []cbn.Tag{
			{Key: "team", Value: "net"}, {Key: "empty", Value: ""},
		}},
	}, fl)

	snap := srv.CENFlowLogs()
	require.Len(t, snap, 1)
	assert.Equal(t, CENFlowLog{
		FlowLogID:                 resp.FlowLogId,
		FlowLogName:               "my-flowlog",
		Description:               "This is my Flowlog.",
		CENID:                     DefaultCENID,
		RegionID:                  DefaultRegion,
		TransitRouterID:           DefaultTransitRouterID,
		TransitRouterAttachmentID: DefaultTransitRouterAttachmentID,
		ProjectName:               DefaultSLSProject,
		LogStoreName:              DefaultSLSLogStore,
		Interval:                  60,
		Tags:                      []Tag{{"team", "net"}, {"empty", ""}},
		ClientToken:               "02fb3da4-130e-11e9-8e44-0016e04115b",
		CreationTime:              clock.Now(),
		Status:                    CENStatusCreating,
	}, snap[0])

	// Asynchronous: Creating for the activation delay, then Active.
	clock.Advance(time.Minute - time.Second)
	assert.Equal(t, "Creating", cenStatus(t, c, resp.FlowLogId))
	clock.Advance(time.Second)
	assert.Equal(t, "Active", cenStatus(t, c, resp.FlowLogId))
	assert.Equal(t, CENStatusActive, srv.CENFlowLogs()[0].Status)
	assert.Equal(t, 1, srv.Calls("Cbn.CreateFlowlog"))
	assert.Zero(t, srv.Calls("Vpc.CreateFlowLog"))
}

func TestCBNCreateFlowlogDefaults(t *testing.T) {
	srv := newTestServer(t)
	c := defaultCBNClient(t, srv)
	id := mustCreateCEN(t, c, nil)
	fl := describeCENOne(t, c, id)
	assert.EqualValues(t, 600, fl.Interval)
	assert.Empty(t, fl.Tags.Tag)
	assert.Empty(t, fl.FlowLogName)
	assert.Empty(t, fl.Description)
	snap := srv.CENFlowLogs()
	require.Len(t, snap, 1)
	assert.Empty(t, snap[0].LogFormatString)
	assert.Empty(t, snap[0].ClientToken)
}

func TestCBNCreateFlowlogTransitRouterLevel(t *testing.T) {
	srv := newTestServer(t, WithActivationDelay(0))
	c := defaultCBNClient(t, srv)
	id := mustCreateCEN(t, c, atTransitRouter(DefaultTransitRouterID))
	snap := srv.CENFlowLogs()
	require.Len(t, snap, 1)
	assert.Equal(t, DefaultTransitRouterID, snap[0].TransitRouterID)
	assert.Empty(t, snap[0].TransitRouterAttachmentID)
	assert.Empty(t, describeCENOne(t, c, id).TransitRouterAttachmentId)

	// One transit-router-level flow log per transit router, but attachments
	// of that router can still get their own.
	_, err := c.CreateFlowlog(func() *cbn.CreateFlowlogRequest {
		r := validCBNCreate()
		atTransitRouter(DefaultTransitRouterID)(r)
		return r
	}())
	requireServerError(t, err, 400, "OperationFailed.FlowLogExist", "")
	mustCreateCEN(t, c, nil)

	// Both IDs given: the attachment must be on that transit router.
	mustCreateCEN(t, c, func(r *cbn.CreateFlowlogRequest) {
		r.TransitRouterAttachmentId = DefaultTransitRouterAttachmentID2
		r.QueryParams["TransitRouterId"] = DefaultTransitRouterID
	})
	assert.Len(t, srv.CENFlowLogs(), 3)
}

// TestCBNCreateFlowlogErrors drives every CreateFlowlog error path the SDK
// can express and checks that nothing was created.
func TestCBNCreateFlowlogErrors(t *testing.T) {
	invalid := func(p string) string { return "The specified parameter " + p + " is not valid." }
	missing := func(p string) string {
		return `The input parameter "` + p + `" that is mandatory for processing this request is not supplied.`
	}
	tags := func(n int) *[]cbn.CreateFlowlogTag {
		out := make([]cbn.CreateFlowlogTag, n)
		for i := range out {
			out[i] = cbn.CreateFlowlogTag{Key: fmt.Sprintf("k%d", i), Value: "v"}
		}
		return &out
	}
	tag := func(k, v string) *[]cbn.CreateFlowlogTag { return &[]cbn.CreateFlowlogTag{{Key: k, Value: v}} }
	tests := []struct {
		name    string
		region  string
		mutate  func(*cbn.CreateFlowlogRequest)
		code    string
		message string
	}{
		{name: "missing CenId", mutate: func(r *cbn.CreateFlowlogRequest) { r.CenId = "" },
			code: "MissingParameter", message: missing("CenId")},
		{name: "missing ProjectName", mutate: func(r *cbn.CreateFlowlogRequest) { r.ProjectName = "" },
			code: "MissingParameter", message: missing("ProjectName")},
		{name: "missing LogStoreName", mutate: func(r *cbn.CreateFlowlogRequest) { r.LogStoreName = "" },
			code: "MissingParameter", message: missing("LogStoreName")},
		{name: "neither attachment nor transit router", mutate: func(r *cbn.CreateFlowlogRequest) { r.TransitRouterAttachmentId = "" },
			code: "MissingParameter", message: missing("TransitRouterAttachmentId")},
		{name: "unknown CEN", mutate: func(r *cbn.CreateFlowlogRequest) { r.CenId = "cen-nope" },
			code: "InvalidCenId.NotFound", message: "The specified CenId is not found."},
		{name: "unknown attachment", mutate: func(r *cbn.CreateFlowlogRequest) { r.TransitRouterAttachmentId = "tr-attach-nope" },
			code: "InvalidTransitRouterAttachmentId.NotFound", message: "The TransitRouterAttachmentId is not found."},
		{name: "attachment of another CEN", mutate: func(r *cbn.CreateFlowlogRequest) { r.TransitRouterAttachmentId = "tr-attach-other" },
			code: "InvalidTransitRouterAttachmentId.NotFound"},
		{name: "attachment in another region", region: "cn-shanghai",
			code: "InvalidTransitRouterAttachmentId.NotFound"},
		{name: "unknown transit router", mutate: atTransitRouter("tr-nope"),
			code: "InvalidTransitRouterId.NotFound", message: "The specified TransitRouterId is not found."},
		{name: "transit router of another CEN", mutate: atTransitRouter("tr-other"),
			code: "InvalidTransitRouterId.NotFound"},
		{name: "attachment not on the given transit router", mutate: func(r *cbn.CreateFlowlogRequest) {
			r.QueryParams["TransitRouterId"] = "tr-second"
		}, code: "InvalidTransitRouterAttachmentId.NotFound"},
		// The older doc's own example names do not follow the SLS rules.
		{name: "upper-case project", mutate: func(r *cbn.CreateFlowlogRequest) { r.ProjectName = "FlowLogProject" },
			code: "InvalidParameter", message: invalid("ProjectName")},
		{name: "short project", mutate: func(r *cbn.CreateFlowlogRequest) { r.ProjectName = "ab" },
			code: "InvalidParameter", message: invalid("ProjectName")},
		{name: "logstore ends with -", mutate: func(r *cbn.CreateFlowlogRequest) { r.LogStoreName = "store-" },
			code: "InvalidParameter", message: invalid("LogStoreName")},
		{name: "logstore too long", mutate: func(r *cbn.CreateFlowlogRequest) { r.LogStoreName = strings.Repeat("s", 64) },
			code: "InvalidParameter", message: invalid("LogStoreName")},
		{name: "FlowLogName too long", mutate: func(r *cbn.CreateFlowlogRequest) { r.FlowLogName = strings.Repeat("n", 129) },
			code: "InvalidParameter", message: invalid("FlowLogName")},
		{name: "FlowLogName is a URL", mutate: func(r *cbn.CreateFlowlogRequest) { r.FlowLogName = "http://x" },
			code: "InvalidParameter", message: invalid("FlowLogName")},
		{name: "Description too long", mutate: func(r *cbn.CreateFlowlogRequest) { r.Description = strings.Repeat("d", 257) },
			code: "InvalidParameter", message: invalid("Description")},
		{name: "Description is a URL", mutate: func(r *cbn.CreateFlowlogRequest) { r.Description = "https://x" },
			code: "InvalidParameter", message: invalid("Description")},
		{name: "Interval 300", mutate: func(r *cbn.CreateFlowlogRequest) { r.Interval = requests.NewInteger(300) },
			code: "InvalidParameter", message: "The specified parameter Interval is not valid."},
		{name: "Interval 0", mutate: func(r *cbn.CreateFlowlogRequest) { r.Interval = requests.NewInteger(0) },
			code: "InvalidParameter", message: "The specified parameter Interval is not valid."},
		{name: "Interval not a number", mutate: func(r *cbn.CreateFlowlogRequest) { r.Interval = "1m" },
			code: "InvalidParameter", message: "The specified parameter Interval is not valid."},
		{name: "21 tags", mutate: func(r *cbn.CreateFlowlogRequest) { r.Tag = tags(21) },
			code: "InvalidParameter", message: invalid("Tag")},
		{name: "tag key 65 chars", mutate: func(r *cbn.CreateFlowlogRequest) { r.Tag = tag(strings.Repeat("k", 65), "v") },
			code: "InvalidParameter", message: invalid("Tag")},
		{name: "tag value 129 chars", mutate: func(r *cbn.CreateFlowlogRequest) { r.Tag = tag("k", strings.Repeat("v", 129)) },
			code: "InvalidParameter", message: invalid("Tag")},
		{name: "tag key aliyun prefix", mutate: func(r *cbn.CreateFlowlogRequest) { r.Tag = tag("aliyun-team", "v") },
			code: "InvalidParameter", message: invalid("Tag")},
		{name: "tag key acs: prefix", mutate: func(r *cbn.CreateFlowlogRequest) { r.Tag = tag("acs:team", "v") },
			code: "InvalidParameter", message: invalid("Tag")},
		{name: "tag value URL", mutate: func(r *cbn.CreateFlowlogRequest) { r.Tag = tag("k", "https://example.com") },
			code: "InvalidParameter", message: invalid("Tag")},
		{name: "duplicate tag keys", mutate: func(r *cbn.CreateFlowlogRequest) {
			r.Tag = &[]cbn.CreateFlowlogTag{{Key: "k", Value: "1"}, {Key: "k", Value: "2"}}
		}, code: "InvalidParameter", message: invalid("Tag")},
		{name: "ClientToken 65 chars", mutate: func(r *cbn.CreateFlowlogRequest) { r.ClientToken = strings.Repeat("t", 65) },
			code: "InvalidParameter", message: invalid("ClientToken")},
		{name: "ClientToken not ASCII", mutate: func(r *cbn.CreateFlowlogRequest) { r.ClientToken = "tökén" },
			code: "InvalidParameter", message: invalid("ClientToken")},
	}
	srv := newTestServer(t)
	srv.AddTransitRouterAttachment("cen-emu000000000099", DefaultRegion, "tr-other", "tr-attach-other")
	srv.AddTransitRouterAttachment(DefaultCENID, DefaultRegion, "tr-second", "tr-attach-second")
	clients := map[string]*cbn.Client{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			region := tt.region
			if region == "" {
				region = DefaultRegion
			}
			if clients[region] == nil {
				clients[region] = newCBNClient(t, srv, region, DefaultAccessKeyID, DefaultAccessKeySecret)
			}
			req := validCBNCreate()
			if tt.mutate != nil {
				tt.mutate(req)
			}
			_, err := clients[region].CreateFlowlog(req)
			requireServerError(t, err, http.StatusBadRequest, tt.code, tt.message)
		})
	}
	assert.Empty(t, srv.CENFlowLogs())
	assert.Equal(t, len(tests), srv.Calls("Cbn.CreateFlowlog"))
}

// TestCBNCreateFlowlogRawErrors covers values the SDK never sends.
func TestCBNCreateFlowlogRawErrors(t *testing.T) {
	tests := []struct {
		name  string
		set   url.Values
		del   []string
		code  string
		param string
	}{
		{name: "empty RegionId", set: url.Values{"RegionId": {""}}, code: "MissingParameter", param: "RegionId"},
		{name: "empty FlowLogName", set: url.Values{"FlowLogName": {""}}, code: "InvalidParameter", param: "FlowLogName"},
		{name: "empty Description", set: url.Values{"Description": {""}}, code: "InvalidParameter", param: "Description"},
		{name: "empty Interval", set: url.Values{"Interval": {""}}, code: "InvalidParameter", param: "Interval"},
		{name: "empty tag key", set: url.Values{"Tag.1.Key": {""}, "Tag.1.Value": {"v"}}, code: "InvalidParameter", param: "Tag"},
		{name: "tag value without key", set: url.Values{"Tag.1.Value": {"v"}}, code: "InvalidParameter", param: "Tag"},
		{name: "LogFormatString without the required prefix", set: url.Values{"LogFormatString": {"${srcaddr}${bytes}"}},
			code: "InvalidParameter", param: "LogFormatString"},
		{name: "LogFormatString not fields", set: url.Values{"LogFormatString": {"${srcaddr}${dstaddr}${bytes} x"}},
			code: "InvalidParameter", param: "LogFormatString"},
		// Seed 000 allows any ASCII in ClientToken (control characters and
		// spaces included; see rules_alibaba_test.go); a byte past ASCII is
		// refused.
		{name: "ClientToken with a non-ASCII byte", set: url.Values{"ClientToken": {"a\x80b"}},
			code: "InvalidParameter", param: "ClientToken"},
	}
	srv := newTestServer(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := rawCreateParams()
			for k, v := range tt.set {
				p[k] = v
			}
			resp := doRaw(t, srv, cbnRaw("CreateFlowlog", p))
			assert.Equal(t, http.StatusBadRequest, resp.status, resp.raw)
			assert.Equal(t, tt.code, resp.str("Code"))
			assert.Contains(t, resp.str("Message"), tt.param)
		})
	}
	assert.Empty(t, srv.CENFlowLogs())

	// A valid custom LogFormatString is kept and reported.
	p := rawCreateParams()
	p.Set("LogFormatString", "${srcaddr}${dstaddr}${bytes}${packets}")
	resp := doRaw(t, srv, cbnRaw("CreateFlowlog", p))
	require.Equal(t, http.StatusOK, resp.status, resp.raw)
	assert.Equal(t, "${srcaddr}${dstaddr}${bytes}${packets}", srv.CENFlowLogs()[0].LogFormatString)
}

func TestCBNCreateFlowlogCreatesMissingLogStore(t *testing.T) {
	srv := newTestServer(t)
	mustCreateCEN(t, defaultCBNClient(t, srv), func(r *cbn.CreateFlowlogRequest) {
		r.ProjectName, r.LogStoreName = "cen-new-project", "cen_new_store"
	})
	// The logstore now exists for the VPC side too, which would otherwise
	// refuse it with ProjectOrLogstoreNotExist.
	req := vpc.CreateCreateFlowLogRequest()
	req.ResourceType, req.ResourceId, req.TrafficType = "VPC", DefaultVPCID, "All"
	req.ProjectName, req.LogStoreName = "cen-new-project", "cen_new_store"
	_, err := defaultClient(t, srv).CreateFlowLog(req)
	require.NoError(t, err)
}

func TestCBNCreateFlowlogOnePerAttachment(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now), WithActivationDelay(time.Minute))
	c := defaultCBNClient(t, srv)
	id := mustCreateCEN(t, c, nil)
	for _, status := range []string{"Creating", "Active"} {
		assert.Equal(t, status, cenStatus(t, c, id))
		_, err := c.CreateFlowlog(validCBNCreate())
		requireServerError(t, err, 400, "OperationFailed.FlowLogExist",
			"Operation failed because the flow log of the specified instance already exists.")
		clock.Advance(time.Minute)
	}
	// Another attachment is fine.
	mustCreateCEN(t, c, func(r *cbn.CreateFlowlogRequest) { r.TransitRouterAttachmentId = DefaultTransitRouterAttachmentID2 })

	// A flow log that is being deleted still blocks; once gone, it does not.
	del := cbn.CreateDeleteFlowlogRequest()
	del.FlowLogId = id
	_, err := c.DeleteFlowlog(del)
	require.NoError(t, err)
	_, err = c.CreateFlowlog(validCBNCreate())
	requireServerError(t, err, 400, "OperationFailed.FlowLogExist", "")
	clock.Advance(time.Minute)
	newID := mustCreateCEN(t, c, nil)
	assert.NotEqual(t, id, newID)
	assert.Len(t, srv.CENFlowLogs(), 2)
}

// ---- ClientToken idempotency -------------------------------------------------

func TestCBNCreateFlowlogClientToken(t *testing.T) {
	const otherAK, otherSecret = "LTAIsecondAccount", "second-secret"
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now), WithActivationDelay(time.Minute),
		WithAlibabaCredential(DefaultAccessKeyID, DefaultAccessKeySecret),
		WithAlibabaCredential(otherAK, otherSecret))
	c := defaultCBNClient(t, srv)

	withToken := func(tok string) func(*cbn.CreateFlowlogRequest) {
		return func(r *cbn.CreateFlowlogRequest) { r.ClientToken = tok; r.FlowLogName = "fl" }
	}
	id := mustCreateCEN(t, c, withToken("token-1"))
	// A retry of the same request (new nonce, new timestamp, new signature;
	// even a different business Version, which the SDK overwrites) returns
	// the same flow log and creates nothing.
	again := mustCreateCEN(t, c, func(r *cbn.CreateFlowlogRequest) { withToken("token-1")(r); r.Version = "changed" })
	assert.Equal(t, id, again)
	require.Len(t, srv.CENFlowLogs(), 1)
	assert.Equal(t, 2, srv.Calls("Cbn.CreateFlowlog"))

	// Same token, different parameters.
	_, err := c.CreateFlowlog(func() *cbn.CreateFlowlogRequest {
		r := validCBNCreate()
		withToken("token-1")(r)
		r.FlowLogName = "other-name"
		return r
	}())
	requireServerError(t, err, 400, "IdempotentParameterMismatch",
		"Request uses a client token in a previous request but is not identical to that request.")

	// A different token is a different request: the attachment is taken.
	_, err = c.CreateFlowlog(func() *cbn.CreateFlowlogRequest { r := validCBNCreate(); withToken("token-2")(r); return r }())
	requireServerError(t, err, 400, "OperationFailed.FlowLogExist", "")

	// Tokens are scoped to the AccessKey: the same token from another
	// account's key is not a replay.
	c2 := newCBNClient(t, srv, DefaultRegion, otherAK, otherSecret)
	id2 := mustCreateCEN(t, c2, func(r *cbn.CreateFlowlogRequest) {
		withToken("token-1")(r)
		r.TransitRouterAttachmentId = DefaultTransitRouterAttachmentID2
	})
	assert.NotEqual(t, id, id2)

	// A failed request does not consume its token.
	_, err = c.CreateFlowlog(func() *cbn.CreateFlowlogRequest {
		r := validCBNCreate()
		withToken("token-3")(r)
		r.CenId = "cen-nope"
		return r
	}())
	requireServerError(t, err, 400, "InvalidCenId.NotFound", "")
	mustCreateCEN(t, c, func(r *cbn.CreateFlowlogRequest) {
		withToken("token-3")(r)
		r.TransitRouterAttachmentId = DefaultTransitRouterAttachmentID3
	})
	assert.Len(t, srv.CENFlowLogs(), 3)

	// A replay after the flow log is gone still answers with its ID.
	clock.Advance(time.Minute)
	del := cbn.CreateDeleteFlowlogRequest()
	del.FlowLogId = id
	_, err = c.DeleteFlowlog(del)
	require.NoError(t, err)
	clock.Advance(time.Minute)
	assert.Equal(t, id, mustCreateCEN(t, c, withToken("token-1")))
	assert.Len(t, srv.CENFlowLogs(), 2)
}

func TestCBNCreateFlowlogConcurrentSameToken(t *testing.T) {
	srv := newTestServer(t)
	atts := srv.AddTransitRouterAttachments(DefaultCENID, DefaultRegion, DefaultTransitRouterID, 6)
	const perToken = 4
	var wg sync.WaitGroup
	type result struct {
		att, id string
		err     error
	}
	results := make(chan result, len(atts)*perToken)
	for _, att := range atts {
		for range perToken {
			c := defaultCBNClient(t, srv) // SDK clients are not goroutine-safe: one each
			wg.Add(1)
			go func() {
				defer wg.Done()
				req := validCBNCreate()
				req.TransitRouterAttachmentId = att
				req.ClientToken = "token-" + att
				resp, err := c.CreateFlowlog(req)
				if err != nil {
					results <- result{att: att, err: err}
					return
				}
				results <- result{att: att, id: resp.FlowLogId}
				_ = srv.CENFlowLogs()
			}()
		}
	}
	wg.Wait()
	close(results)
	ids := map[string]map[string]bool{}
	for r := range results {
		require.NoError(t, r.err)
		if ids[r.att] == nil {
			ids[r.att] = map[string]bool{}
		}
		ids[r.att][r.id] = true
	}
	require.Len(t, ids, len(atts))
	for att, set := range ids {
		assert.Len(t, set, 1, "attachment %s got several flow logs", att)
	}
	assert.Len(t, srv.CENFlowLogs(), len(atts))
	assert.Equal(t, len(atts)*perToken, srv.Calls("CreateFlowlog"))
}

// ---- lifecycle ----------------------------------------------------------------

func TestCBNFlowLogLifecycle(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now), WithActivationDelay(time.Minute))
	c := defaultCBNClient(t, srv)
	id := mustCreateCEN(t, c, nil)

	del := func() error {
		r := cbn.CreateDeleteFlowlogRequest()
		r.FlowLogId = id
		_, err := c.DeleteFlowlog(r)
		return err
	}
	activate := func() error {
		r := cbn.CreateActiveFlowLogRequest()
		r.FlowLogId = id
		resp, err := c.ActiveFlowLog(r)
		if err == nil {
			assert.Equal(t, "true", resp.Success)
		}
		return err
	}
	deactivate := func() error {
		r := cbn.CreateDeactiveFlowLogRequest()
		r.FlowLogId = id
		_, err := c.DeactiveFlowLog(r)
		return err
	}
	modify := func(name string) error {
		r := cbn.CreateModifyFlowLogAttributeRequest()
		r.FlowLogId = id
		r.FlowLogName = name
		_, err := c.ModifyFlowLogAttribute(r)
		return err
	}
	const incorrect = "IncorrectStatus.TrFlowlog"
	blocked := func(state string) {
		t.Helper()
		assert.Equal(t, state, cenStatus(t, c, id))
		requireServerError(t, del(), 400, incorrect, "The status of the flow log does not support this operation.")
		requireServerError(t, activate(), 400, incorrect, "")
		requireServerError(t, deactivate(), 400, incorrect, "")
		requireServerError(t, modify("x"), 400, "IncorrectStatus.flowlog", "Invalid flowlog status.")
	}

	// Creating: only queries are allowed.
	blocked("Creating")
	clock.Advance(time.Minute)
	assert.Equal(t, "Active", cenStatus(t, c, id))
	requireServerError(t, activate(), 400, incorrect, "") // already active

	// Active -> Modifying -> Inactive.
	require.NoError(t, deactivate())
	blocked("Modifying")
	clock.Advance(time.Minute)
	assert.Equal(t, "Inactive", cenStatus(t, c, id))
	requireServerError(t, deactivate(), 400, incorrect, "") // already inactive

	// Modify keeps the state it started from.
	require.NoError(t, modify("renamed"))
	assert.Equal(t, "Modifying", cenStatus(t, c, id))
	clock.Advance(time.Minute)
	fl := describeCENOne(t, c, id)
	assert.Equal(t, "Inactive", fl.Status)
	assert.Equal(t, "renamed", fl.FlowLogName)

	// Inactive -> Modifying -> Active.
	require.NoError(t, activate())
	assert.Equal(t, "Modifying", cenStatus(t, c, id))
	clock.Advance(time.Minute)
	assert.Equal(t, "Active", cenStatus(t, c, id))

	// Delete: Deleting, then gone.
	require.NoError(t, del())
	blocked("Deleting")
	assert.Equal(t, CENStatusDeleting, srv.CENFlowLogs()[0].Status)
	clock.Advance(time.Minute)
	assert.Empty(t, describeCEN(t, c, func(r *cbn.DescribeFlowlogsRequest) { r.FlowLogId = id }).FlowLogs.FlowLog)
	assert.Empty(t, srv.CENFlowLogs())
	requireServerError(t, del(), 400, "InvalidFlowlogId.NotFound", "The specified FlowLogId is not found.")
}

func TestCBNActivationDelayZero(t *testing.T) {
	srv := newTestServer(t, WithActivationDelay(0))
	c := defaultCBNClient(t, srv)
	id := mustCreateCEN(t, c, nil)
	assert.Equal(t, "Active", cenStatus(t, c, id))
}

func TestCBNFlowLogActionsErrors(t *testing.T) {
	srv := newTestServer(t, WithActivationDelay(0))
	srv.AddTransitRouterAttachment(DefaultCENID, "cn-shanghai", "tr-sh", "tr-attach-sh")
	c := defaultCBNClient(t, srv)
	id := mustCreateCEN(t, c, nil)

	type call func(flowLogID, cenID, token string) error
	actions := map[string]call{
		"DeleteFlowlog": func(fid, cen, tok string) error {
			r := cbn.CreateDeleteFlowlogRequest()
			r.FlowLogId, r.CenId, r.ClientToken = fid, cen, tok
			_, err := c.DeleteFlowlog(r)
			return err
		},
		"ActiveFlowLog": func(fid, cen, tok string) error {
			r := cbn.CreateActiveFlowLogRequest()
			r.FlowLogId, r.CenId, r.ClientToken = fid, cen, tok
			_, err := c.ActiveFlowLog(r)
			return err
		},
		"DeactiveFlowLog": func(fid, cen, tok string) error {
			r := cbn.CreateDeactiveFlowLogRequest()
			r.FlowLogId, r.CenId, r.ClientToken = fid, cen, tok
			_, err := c.DeactiveFlowLog(r)
			return err
		},
		"ModifyFlowLogAttribute": func(fid, cen, tok string) error {
			r := cbn.CreateModifyFlowLogAttributeRequest()
			r.FlowLogId, r.CenId, r.ClientToken = fid, cen, tok
			_, err := c.ModifyFlowLogAttribute(r)
			return err
		},
	}
	for name, do := range actions {
		t.Run(name, func(t *testing.T) {
			requireServerError(t, do("", "", ""), 400, "MissingParameter",
				`The input parameter "FlowLogId" that is mandatory for processing this request is not supplied.`)
			requireServerError(t, do("flowlog-nope", "", ""), 400, "InvalidFlowlogId.NotFound", "The specified FlowLogId is not found.")
			requireServerError(t, do(id, "cen-other", ""), 400, "InvalidFlowlogId.NotFound", "")
			if name == "ModifyFlowLogAttribute" {
				// Modify's token is documented as ASCII (acs3-and-lifecycle
				// §2.2); the other token rules of these actions are strict
				// ones (strict_test.go).
				requireServerError(t, do(id, "", "tökén"), 400, "InvalidParameter",
					"The specified parameter ClientToken is not valid.")
			}
			// A flow log in another region is not found from this one.
			sh := newCBNClient(t, srv, "cn-shanghai", DefaultAccessKeyID, DefaultAccessKeySecret)
			r := cbn.CreateDeleteFlowlogRequest()
			r.FlowLogId = id
			_, err := sh.DeleteFlowlog(r)
			requireServerError(t, err, 400, "InvalidFlowlogId.NotFound", "")
			// Missing RegionId (the SDK always fills it in).
			resp := doRaw(t, srv, cbnRaw(name, url.Values{"RegionId": {""}, "FlowLogId": {id}}))
			assert.Equal(t, http.StatusBadRequest, resp.status)
			assert.Equal(t, "MissingParameter", resp.str("Code"))
			assert.Contains(t, resp.str("Message"), `"RegionId"`)
		})
	}
	assert.Equal(t, "Active", cenStatus(t, c, id))

	// Modify validates its own parameters.
	m := cbn.CreateModifyFlowLogAttributeRequest()
	m.FlowLogId, m.Interval = id, requests.NewInteger(120)
	_, err := c.ModifyFlowLogAttribute(m)
	requireServerError(t, err, 400, "InvalidParameter", "The specified parameter Interval is not valid.")
	m.Interval, m.Description = requests.NewInteger(60), "http://x"
	_, err = c.ModifyFlowLogAttribute(m)
	requireServerError(t, err, 400, "InvalidParameter", "The specified parameter Description is not valid.")
	m.Description = "new description"
	m.CenId = DefaultCENID // a matching CenId is accepted
	_, err = c.ModifyFlowLogAttribute(m)
	require.NoError(t, err)
	fl := describeCENOne(t, c, id)
	assert.EqualValues(t, 60, fl.Interval)
	assert.Equal(t, "new description", fl.Description)
}

func TestCBNFlowLogActionsClientToken(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now), WithActivationDelay(time.Minute))
	c := defaultCBNClient(t, srv)
	id := mustCreateCEN(t, c, nil)
	id2 := mustCreateCEN(t, c, func(r *cbn.CreateFlowlogRequest) { r.TransitRouterAttachmentId = DefaultTransitRouterAttachmentID2 })
	clock.Advance(time.Minute)

	deleteWith := func(fid, tok string) error {
		r := cbn.CreateDeleteFlowlogRequest()
		r.FlowLogId, r.ClientToken = fid, tok
		_, err := c.DeleteFlowlog(r)
		return err
	}
	require.NoError(t, deleteWith(id, "del-1"))
	// A retry with the same token succeeds instead of hitting the
	// transitional state...
	require.NoError(t, deleteWith(id, "del-1"))
	// ...but a new token does not.
	requireServerError(t, deleteWith(id, "del-2"), 400, "IncorrectStatus.TrFlowlog", "")
	// The token is bound to its parameters.
	requireServerError(t, deleteWith(id2, "del-1"), 400, "IdempotentParameterMismatch", "")
	// Tokens are per action: the same token on another action is new.
	r := cbn.CreateDeactiveFlowLogRequest()
	r.FlowLogId, r.ClientToken = id2, "del-1"
	_, err := c.DeactiveFlowLog(r)
	require.NoError(t, err)
	assert.Equal(t, "Modifying", cenStatus(t, c, id2))
}

// ---- DescribeFlowlogs -----------------------------------------------------------

func TestCBNDescribeFlowlogsPaging(t *testing.T) {
	srv := newTestServer(t, WithActivationDelay(0))
	atts := srv.AddTransitRouterAttachments(DefaultCENID, DefaultRegion, DefaultTransitRouterID, 45)
	c := defaultCBNClient(t, srv)
	var want []string
	for _, att := range atts {
		want = append(want, mustCreateCEN(t, c, func(r *cbn.CreateFlowlogRequest) { r.TransitRouterAttachmentId = att }))
	}

	// Defaults: page 1, 20 per page.
	resp := describeCEN(t, c, nil)
	assert.Equal(t, "45", resp.TotalCount)
	assert.Equal(t, "1", resp.PageNumber)
	assert.Equal(t, "20", resp.PageSize)
	assert.Equal(t, "true", resp.Success)
	assert.Equal(t, want[:20], cbnFlowLogIDs(resp))

	var got []string
	for page := 1; ; page++ {
		resp := describeCEN(t, c, func(r *cbn.DescribeFlowlogsRequest) {
			r.PageNumber = requests.NewInteger(page)
			r.PageSize = requests.NewInteger(20)
		})
		assert.Equal(t, strconv.Itoa(page), resp.PageNumber)
		if len(resp.FlowLogs.FlowLog) == 0 {
			assert.Equal(t, 4, page)
			break
		}
		got = append(got, cbnFlowLogIDs(resp)...)
	}
	assert.Equal(t, want, got)

	resp = describeCEN(t, c, func(r *cbn.DescribeFlowlogsRequest) { r.PageSize = requests.NewInteger(50) })
	assert.Len(t, resp.FlowLogs.FlowLog, 45)
	resp = describeCEN(t, c, func(r *cbn.DescribeFlowlogsRequest) { r.PageNumber = requests.NewInteger(1 << 30) })
	assert.Empty(t, resp.FlowLogs.FlowLog)
	assert.Equal(t, "45", resp.TotalCount)

	for _, tt := range []struct {
		param string
		set   func(*cbn.DescribeFlowlogsRequest)
	}{
		{"PageSize", func(r *cbn.DescribeFlowlogsRequest) { r.PageSize = requests.NewInteger(51) }},
		{"PageSize", func(r *cbn.DescribeFlowlogsRequest) { r.PageSize = requests.NewInteger(0) }},
		{"PageSize", func(r *cbn.DescribeFlowlogsRequest) { r.PageSize = "ten" }},
		{"PageNumber", func(r *cbn.DescribeFlowlogsRequest) { r.PageNumber = requests.NewInteger(0) }},
		{"Status", func(r *cbn.DescribeFlowlogsRequest) { r.Status = "InActive" }},
		{"Tag", func(r *cbn.DescribeFlowlogsRequest) {
			r.Tag = &[]cbn.DescribeFlowlogsTag{{Key: strings.Repeat("k", 65)}}
		}},
	} {
		req := cbn.CreateDescribeFlowlogsRequest()
		tt.set(req)
		_, err := c.DescribeFlowlogs(req)
		requireServerError(t, err, 400, "InvalidParameter", "The specified parameter "+tt.param+" is not valid.")
	}
}

func TestCBNDescribeFlowlogsFilters(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now), WithActivationDelay(time.Minute))
	srv.AddTransitRouterAttachment("cen-emu000000000002", "cn-shanghai", "tr-emu00000000000002", "tr-attach-emu000000000021")
	c := defaultCBNClient(t, srv)

	a := mustCreateCEN(t, c, func(r *cbn.CreateFlowlogRequest) {
		r.FlowLogName, r.Description, r.Interval = "alpha", "first", requests.NewInteger(60)
		r.Tag = &[]cbn.CreateFlowlogTag{{Key: "team", Value: "net"}}
	})
	b := mustCreateCEN(t, c, func(r *cbn.CreateFlowlogRequest) {
		r.TransitRouterAttachmentId = DefaultTransitRouterAttachmentID2
		r.FlowLogName, r.Description = "beta", "second"
		r.ProjectName, r.LogStoreName = "other-project", "other-store"
		r.Tag = &[]cbn.CreateFlowlogTag{{Key: "team", Value: "sec"}, {Key: "env", Value: "prod"}}
	})
	clock.Advance(time.Minute)
	d := cbn.CreateDeactiveFlowLogRequest()
	d.FlowLogId = b
	_, err := c.DeactiveFlowLog(d)
	require.NoError(t, err)
	clock.Advance(time.Minute)
	g := mustCreateCEN(t, c, func(r *cbn.CreateFlowlogRequest) {
		atTransitRouter(DefaultTransitRouterID)(r)
		r.FlowLogName = "gamma"
	}) // still Creating
	sh := newCBNClient(t, srv, "cn-shanghai", DefaultAccessKeyID, DefaultAccessKeySecret)
	other := mustCreateCEN(t, sh, func(r *cbn.CreateFlowlogRequest) {
		r.CenId, r.TransitRouterAttachmentId = "cen-emu000000000002", "tr-attach-emu000000000021"
	})

	tests := []struct {
		name   string
		filter func(*cbn.DescribeFlowlogsRequest)
		want   []string
	}{
		{"none (region only)", func(*cbn.DescribeFlowlogsRequest) {}, []string{a, b, g}},
		{"CenId", func(r *cbn.DescribeFlowlogsRequest) { r.CenId = DefaultCENID }, []string{a, b, g}},
		{"CenId of another region", func(r *cbn.DescribeFlowlogsRequest) { r.CenId = "cen-emu000000000002" }, nil},
		{"FlowLogId", func(r *cbn.DescribeFlowlogsRequest) { r.FlowLogId = b }, []string{b}},
		{"unknown FlowLogId", func(r *cbn.DescribeFlowlogsRequest) { r.FlowLogId = "flowlog-nope" }, nil},
		{"FlowLogName", func(r *cbn.DescribeFlowlogsRequest) { r.FlowLogName = "gamma" }, []string{g}},
		{"Description", func(r *cbn.DescribeFlowlogsRequest) { r.Description = "first" }, []string{a}},
		{"ProjectName", func(r *cbn.DescribeFlowlogsRequest) { r.ProjectName = DefaultSLSProject }, []string{a, g}},
		{"LogStoreName", func(r *cbn.DescribeFlowlogsRequest) { r.LogStoreName = "other-store" }, []string{b}},
		{"TransitRouterAttachmentId", func(r *cbn.DescribeFlowlogsRequest) {
			r.TransitRouterAttachmentId = DefaultTransitRouterAttachmentID2
		}, []string{b}},
		{"Status Active", func(r *cbn.DescribeFlowlogsRequest) { r.Status = "Active" }, []string{a}},
		{"Status Inactive", func(r *cbn.DescribeFlowlogsRequest) { r.Status = "Inactive" }, []string{b}},
		{"Status Creating", func(r *cbn.DescribeFlowlogsRequest) { r.Status = "Creating" }, []string{g}},
		{"tag key", func(r *cbn.DescribeFlowlogsRequest) { r.Tag = &[]cbn.DescribeFlowlogsTag{{Key: "team"}} }, []string{a, b}},
		{"tag key and value", func(r *cbn.DescribeFlowlogsRequest) {
			r.Tag = &[]cbn.DescribeFlowlogsTag{{Key: "team", Value: "sec"}}
		}, []string{b}},
		{"two tags", func(r *cbn.DescribeFlowlogsRequest) {
			r.Tag = &[]cbn.DescribeFlowlogsTag{{Key: "team", Value: "net"}, {Key: "env"}}
		}, nil},
		{"combined", func(r *cbn.DescribeFlowlogsRequest) { r.CenId, r.FlowLogName = DefaultCENID, "alpha" }, []string{a}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := describeCEN(t, c, tt.filter)
			assert.Equal(t, tt.want, cbnFlowLogIDs(resp))
			assert.Equal(t, strconv.Itoa(len(tt.want)), resp.TotalCount)
		})
	}
	assert.Equal(t, []string{other}, cbnFlowLogIDs(describeCEN(t, sh, nil)))

	// Filters the pinned SDK cannot send.
	raw := []struct {
		params url.Values
		want   []string
	}{
		{url.Values{"TransitRouterId": {DefaultTransitRouterID}}, []string{a, b, g}},
		{url.Values{"TransitRouterId": {"tr-emu00000000000002"}}, nil},
		{url.Values{"Interval": {"60"}}, []string{a}},
		{url.Values{"Interval": {"600"}}, []string{b, g}},
		{url.Values{"FlowLogVersion": {"3"}}, []string{a, b, g}},
		{url.Values{"FlowLogVersion": {"2"}}, nil},
	}
	for _, tt := range raw {
		resp := doRaw(t, srv, cbnRaw("DescribeFlowlogs", tt.params))
		require.Equal(t, http.StatusOK, resp.status, resp.raw)
		var got []string
		for _, fl := range resp.body["FlowLogs"].(map[string]any)["FlowLog"].([]any) {
			got = append(got, fl.(map[string]any)["FlowLogId"].(string))
		}
		assert.Equal(t, tt.want, got, "%v", tt.params)
	}
	for _, p := range []url.Values{{"Interval": {"300"}}, {"RegionId": {""}}} {
		resp := doRaw(t, srv, cbnRaw("DescribeFlowlogs", p))
		assert.Equal(t, http.StatusBadRequest, resp.status)
		assert.Contains(t, []string{"InvalidParameter", "MissingParameter"}, resp.str("Code"))
	}
}

// TestCBNWireShape checks the JSON types the real API uses, which the SDK's
// lenient decoder would otherwise hide.
func TestCBNWireShape(t *testing.T) {
	srv := newTestServer(t, WithActivationDelay(0))
	p := rawCreateParams()
	p.Set("TransitRouterId", DefaultTransitRouterID)
	created := doRaw(t, srv, cbnRaw("CreateFlowlog", p))
	require.Equal(t, http.StatusOK, created.status, created.raw)
	assert.ElementsMatch(t, []string{"RequestId", "Success", "FlowLogId"}, keys(created.body))
	assert.Equal(t, true, created.body["Success"]) // a boolean, as documented
	assert.Regexp(t, cenFlowLogID, created.str("FlowLogId"))
	assert.Equal(t, created.str("RequestId"), created.header.Get("X-Acs-Request-Id"))

	resp := doRaw(t, srv, cbnRaw("DescribeFlowlogs", nil))
	require.Equal(t, http.StatusOK, resp.status, resp.raw)
	for _, k := range []string{"TotalCount", "PageNumber", "PageSize", "Success", "RequestId"} {
		assert.IsType(t, "", resp.body[k], k)
	}
	list := resp.body["FlowLogs"].(map[string]any)["FlowLog"].([]any)
	require.Len(t, list, 1)
	fl := list[0].(map[string]any)
	assert.ElementsMatch(t, []string{
		"FlowLogId", "FlowLogName", "Description", "CenId", "Status", "CreationTime", "ProjectName",
		"LogStoreName", "RegionId", "TransitRouterId", "TransitRouterAttachmentId", "Interval",
		"LogFormatString", "FlowLogVersion", "Tags",
	}, keys(fl))
	assert.Equal(t, float64(600), fl["Interval"])
	assert.Equal(t, "3", fl["FlowLogVersion"])
	assert.Equal(t, DefaultTransitRouterID, fl["TransitRouterId"])
	assert.Equal(t, DefaultTransitRouterAttachmentID, fl["TransitRouterAttachmentId"])
	assert.Equal(t, []any{}, fl["Tags"].(map[string]any)["Tag"])
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`, fl["CreationTime"])

	// A transit-router-level flow log names its router too, with an empty
	// attachment.
	p = url.Values{"CenId": {DefaultCENID}, "ProjectName": {DefaultSLSProject}, "LogStoreName": {DefaultSLSLogStore},
		"TransitRouterId": {DefaultTransitRouterID}}
	router := doRaw(t, srv, cbnRaw("CreateFlowlog", p))
	require.Equal(t, http.StatusOK, router.status, router.raw)
	resp = doRaw(t, srv, cbnRaw("DescribeFlowlogs", url.Values{"FlowLogId": {router.str("FlowLogId")}}))
	fl = resp.body["FlowLogs"].(map[string]any)["FlowLog"].([]any)[0].(map[string]any)
	assert.Equal(t, DefaultTransitRouterID, fl["TransitRouterId"])
	assert.Equal(t, "", fl["TransitRouterAttachmentId"])

	resp = doRaw(t, srv, cbnRaw("DescribeFlowlogs", url.Values{"FlowLogId": {"flowlog-nope"}}))
	assert.Contains(t, resp.raw, `"FlowLog":[]`)

	// The other write actions answer {RequestId, Success: "true"}.
	for _, action := range []string{"DeactiveFlowLog", "ActiveFlowLog", "ModifyFlowLogAttribute", "DeleteFlowlog"} {
		resp = doRaw(t, srv, cbnRaw(action, url.Values{"FlowLogId": {created.str("FlowLogId")}}))
		require.Equal(t, http.StatusOK, resp.status, "%s: %s", action, resp.raw)
		assert.ElementsMatch(t, []string{"RequestId", "Success"}, keys(resp.body), action)
		assert.Equal(t, "true", resp.body["Success"], action)
	}
}

// ---- shared gateway ---------------------------------------------------------------

func TestCBNGateway(t *testing.T) {
	srv := newTestServer(t)

	// Signature v1 is checked on the CBN path as on the VPC one; the SDK's
	// own diagnosis confirms the string to sign matches.
	bad := newCBNClient(t, srv, DefaultRegion, DefaultAccessKeyID, "wrong-secret")
	_, err := bad.DescribeFlowlogs(cbn.CreateDescribeFlowlogsRequest())
	se := requireServerError(t, err, 400, "SignatureDoesNotMatch", "")
	assert.Equal(t, "InvalidAccessKeySecret: Please check you AccessKeySecret", se.Recommend())

	unknown := newCBNClient(t, srv, DefaultRegion, "LTAInobody", "x")
	_, err = unknown.CreateFlowlog(validCBNCreate())
	requireServerError(t, err, 404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")

	// A replayed signed request (same nonce) is refused.
	p := cbnRaw("DescribeFlowlogs", nil).signedParams()
	first := sendParams(t, srv, http.MethodPost, p, false)
	require.Equal(t, http.StatusOK, first.status, first.raw)
	replay := sendParams(t, srv, http.MethodPost, p, false)
	assert.Equal(t, http.StatusBadRequest, replay.status)
	assert.Equal(t, "SignatureNonceUsed", replay.str("Code"))

	// Errors name the product in Recommend.
	resp := doRaw(t, srv, cbnRaw("CreateFlowlog", url.Values{"CenId": {"cen-nope"}}))
	rec, perr := url.Parse(resp.str("Recommend"))
	require.NoError(t, perr)
	assert.Equal(t, "Cbn", rec.Query().Get("product"))

	// Action names are case-sensitive: the VPC spellings do not exist on Cbn.
	for _, action := range []string{"CreateFlowLog", "DescribeFlowLogs", "DeleteFlowLog", "ActiveFlowlog"} {
		resp := doRaw(t, srv, cbnRaw(action, nil))
		assert.Equal(t, http.StatusNotFound, resp.status, action)
		assert.Equal(t, "InvalidAction.NotFound", resp.str("Code"), action)
	}
	assert.Equal(t, 1, srv.Calls("Cbn.DescribeFlowlogs"))
	assert.Equal(t, 1, srv.Calls("Cbn.CreateFlowlog"))
	assert.Zero(t, srv.Calls("Cbn.CreateFlowLog"))
}

// ---- seeding ------------------------------------------------------------------------

func TestCBNSeeding(t *testing.T) {
	srv := newTestServer(t, WithoutDefaultFixture(), WithActivationDelay(0))
	c := defaultCBNClient(t, srv)
	_, err := c.CreateFlowlog(validCBNCreate())
	requireServerError(t, err, 400, "InvalidCenId.NotFound", "")

	srv.AddCEN(DefaultCENID)
	_, err = c.CreateFlowlog(validCBNCreate())
	requireServerError(t, err, 400, "InvalidTransitRouterAttachmentId.NotFound", "")

	srv.AddTransitRouter(DefaultCENID, DefaultRegion, DefaultTransitRouterID)
	mustCreateCEN(t, c, atTransitRouter(DefaultTransitRouterID))

	ids := srv.AddTransitRouterAttachments(DefaultCENID, DefaultRegion, DefaultTransitRouterID, 3)
	require.Len(t, ids, 3)
	seen := map[string]bool{}
	for _, id := range ids {
		assert.Regexp(t, `^tr-attach-emun\d{14}$`, id)
		assert.False(t, seen[id])
		seen[id] = true
		mustCreateCEN(t, c, func(r *cbn.CreateFlowlogRequest) { r.TransitRouterAttachmentId = id })
	}
	assert.Empty(t, srv.AddTransitRouterAttachments(DefaultCENID, DefaultRegion, DefaultTransitRouterID, 0))
	assert.Empty(t, srv.AddTransitRouterAttachments(DefaultCENID, DefaultRegion, DefaultTransitRouterID, -1))

	// AddTransitRouterAttachment adds its parents.
	srv.AddTransitRouterAttachment("cen-emu000000000003", DefaultRegion, "tr-emu00000000000003", "tr-attach-emu000000000031")
	mustCreateCEN(t, c, func(r *cbn.CreateFlowlogRequest) {
		r.CenId, r.TransitRouterAttachmentId = "cen-emu000000000003", "tr-attach-emu000000000031"
	})

	// CENFlowLogs is a snapshot.
	snap := srv.CENFlowLogs()
	require.Len(t, snap, 5)
	snap[0].Status = "Broken"
	assert.Equal(t, CENStatusActive, srv.CENFlowLogs()[0].Status)
}

func TestCBNDefaultFixture(t *testing.T) {
	srv := newTestServer(t)
	c := defaultCBNClient(t, srv)
	for _, att := range []string{DefaultTransitRouterAttachmentID, DefaultTransitRouterAttachmentID2, DefaultTransitRouterAttachmentID3} {
		mustCreateCEN(t, c, func(r *cbn.CreateFlowlogRequest) { r.TransitRouterAttachmentId = att })
	}
	mustCreateCEN(t, c, atTransitRouter(DefaultTransitRouterID))
	for _, fl := range srv.CENFlowLogs() {
		assert.Equal(t, DefaultCENID, fl.CENID)
		assert.Equal(t, DefaultTransitRouterID, fl.TransitRouterID)
		assert.Equal(t, DefaultRegion, fl.RegionID)
	}
	assert.Regexp(t, `^cen-[a-z0-9]+$`, DefaultCENID)
	assert.Regexp(t, `^tr-[a-z0-9]+$`, DefaultTransitRouterID)
}
