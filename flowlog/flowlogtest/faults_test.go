package flowlogtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	tcerrors "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	"go.uber.org/goleak"

	"github.com/cloudflowlog/flowlog-go/internal/tc3"
)

// ---- wire helpers ----------------------------------------------------------------

// wireResult is what a plain HTTP client saw: a transport error, or a
// response whose body may be anything.
type wireResult struct {
	err    error
	status int
	header http.Header
	body   string
}

// outcome summarises a result for comparisons: "transport", or the status
// and the error code of either envelope ("" for a success, "non-JSON").
func (w wireResult) outcome() string {
	if w.err != nil {
		return "transport"
	}
	var env struct {
		Code     string
		Response struct{ Error struct{ Code string } }
	}
	if err := json.Unmarshal([]byte(w.body), &env); err != nil {
		return strconv.Itoa(w.status) + " non-JSON"
	}
	return strconv.Itoa(w.status) + " " + env.Code + env.Response.Error.Code
}

// sendWire sends req on a fresh connection and never fails the test.
func sendWire(t *testing.T, req *http.Request) wireResult {
	t.Helper()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	return sendWireWith(tr, req)
}

func sendWireWith(rt http.RoundTripper, req *http.Request) wireResult {
	resp, err := (&http.Client{Transport: rt}).Do(req)
	if err != nil {
		return wireResult{err: err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return wireResult{err: err, status: resp.StatusCode, header: resp.Header, body: string(data)}
}

// rpcWire builds a signed Alibaba request with its parameters in the query.
func rpcWire(t *testing.T, srv *Server, p url.Values) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/?"+p.Encode(), nil)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// tcWire builds a signed Tencent request (action default DescribeFlowLogs,
// body default "{}"), like doTC.
func tcWire(t *testing.T, srv *Server, r tcRaw) *http.Request {
	t.Helper()
	body := def(r.body, "{}")
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-TC-Action", def(r.action, "DescribeFlowLogs"))
	req.Header.Set("X-TC-Version", TencentVPCVersion)
	req.Header.Set("X-TC-Region", DefaultTencentRegion)
	req.Header.Set("X-TC-Timestamp", strconv.FormatInt(time.Now().Unix(), 10))
	require.NoError(t, tc3.SignRequest(req, []byte(body), def(r.secretID, DefaultTencentSecretID),
		def(r.secretKey, DefaultTencentSecretKey), "vpc", nil))
	return req
}

func rpcDescribe(t *testing.T, srv *Server) *http.Request {
	return rpcWire(t, srv, rawRequest{}.signedParams())
}

func tcDescribeWire(t *testing.T, srv *Server) *http.Request {
	return tcWire(t, srv, tcRaw{})
}

func faultOnce(action string, kind FaultKind) FaultRule {
	return FaultRule{Action: action, Kinds: []FaultKind{kind}, Count: 1}
}

var allKindsButSlow = []FaultKind{FaultThrottle, FaultServerError, FaultHTMLError, FaultReset, FaultLostResponse, FaultMalformed}

// ---- the kinds through the official SDKs -----------------------------------------

func TestFaultKindString(t *testing.T) {
	want := map[FaultKind]string{
		FaultThrottle: "Throttle", FaultServerError: "ServerError", FaultHTMLError: "HTMLError",
		FaultReset: "Reset", FaultLostResponse: "LostResponse", FaultSlow: "Slow", FaultMalformed: "Malformed",
		FaultEcho: "Echo", FaultDocumentedError: "DocumentedError",
	}
	for k, name := range want {
		assert.Equal(t, name, k.String())
	}
	assert.Equal(t, "FaultKind(0)", FaultKind(0).String())
	assert.Equal(t, "FaultKind(99)", FaultKind(99).String())
}

// requireTransportError asserts the Alibaba SDK returned a raw transport
// error (its AutoRetry is off by default), not a response it parsed.
func requireTransportError(t *testing.T, err error) {
	t.Helper()
	require.Error(t, err)
	var uerr *url.Error
	require.ErrorAs(t, err, &uerr, "want a transport error, got %T: %v", err, err)
	var se *sdkerrors.ServerError
	assert.False(t, errors.As(err, &se))
}

// alibabaFaultChecks say how each kind surfaces from the Alibaba SDK.
var alibabaFaultChecks = []struct {
	kind  FaultKind
	check func(t *testing.T, err error)
}{
	{FaultThrottle, func(t *testing.T, err error) {
		requireServerError(t, err, http.StatusBadRequest, "Throttling.User", "Request was denied due to user flow control.")
	}},
	{FaultServerError, func(t *testing.T, err error) {
		requireServerError(t, err, http.StatusServiceUnavailable, "ServiceUnavailable",
			"The request has failed due to a temporary failure of the server.")
	}},
	{FaultHTMLError, func(t *testing.T, err error) {
		var se *sdkerrors.ServerError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, http.StatusBadGateway, se.HttpStatus())
		assert.Empty(t, se.ErrorCode())
		assert.Empty(t, se.RequestId())
		assert.Contains(t, se.Message(), "<h1>502 Bad Gateway</h1>")
	}},
	{FaultMalformed, func(t *testing.T, err error) {
		var ce *sdkerrors.ClientError
		require.ErrorAs(t, err, &ce, "got %T: %v", err, err)
		assert.Equal(t, sdkerrors.JsonUnmarshalErrorCode, ce.ErrorCode())
	}},
	{FaultReset, requireTransportError},
	{FaultLostResponse, requireTransportError},
}

func TestFaultsVPCSDK(t *testing.T) {
	for _, tc := range alibabaFaultChecks {
		t.Run(tc.kind.String(), func(t *testing.T) {
			srv := newTestServer(t, WithFaults(faultOnce("Vpc.CreateFlowLog", tc.kind)))
			c := defaultClient(t, srv)
			_, err := c.CreateFlowLog(validCreate())
			tc.check(t, err)

			applied := 0
			if tc.kind == FaultLostResponse {
				applied = 1 // the response was lost, the flow log was not
				require.Len(t, srv.VPCFlowLogs(), 1)
				assert.Equal(t, DefaultNetworkInterfaceID, srv.VPCFlowLogs()[0].ResourceID)
			}
			assert.Len(t, srv.VPCFlowLogs(), applied)
			assert.Equal(t, applied, srv.Calls("Vpc.CreateFlowLog"))
			assert.Equal(t, map[FaultKind]int{tc.kind: 1}, srv.FaultsInjected())

			// The rule is spent; other actions were never affected.
			mustCreate(t, c, func(r *vpc.CreateFlowLogRequest) { r.ResourceId = DefaultNetworkInterfaceID2 })
			_, err = c.DescribeFlowLogs(vpc.CreateDescribeFlowLogsRequest())
			require.NoError(t, err)
			assert.Equal(t, map[FaultKind]int{tc.kind: 1}, srv.FaultsInjected())
		})
	}
}

func TestFaultsCENSDK(t *testing.T) {
	for _, tc := range alibabaFaultChecks {
		t.Run(tc.kind.String(), func(t *testing.T) {
			srv := newTestServer(t, WithFaults(faultOnce("Cbn.CreateFlowlog", tc.kind)))
			c := defaultCBNClient(t, srv)
			_, err := c.CreateFlowlog(validCBNCreate())
			tc.check(t, err)
			var se *sdkerrors.ServerError
			if tc.kind == FaultThrottle && errors.As(err, &se) {
				assert.Contains(t, se.Recommend(), "product=Cbn")
			}
			applied := 0
			if tc.kind == FaultLostResponse {
				applied = 1
			}
			assert.Len(t, srv.CENFlowLogs(), applied)
			assert.Equal(t, applied, srv.Calls("Cbn.CreateFlowlog"))
			assert.Equal(t, map[FaultKind]int{tc.kind: 1}, srv.FaultsInjected())
			if tc.kind != FaultLostResponse {
				mustCreateCEN(t, c, nil) // spent: the same create now works
			}
		})
	}
}

func TestFaultsTencentSDK(t *testing.T) {
	networkError := func(t *testing.T, err error) {
		var e *tcerrors.TencentCloudSDKError
		require.ErrorAs(t, err, &e, "got %T: %v", err, err)
		assert.Equal(t, "ClientError.NetworkError", e.GetCode())
	}
	for _, tc := range []struct {
		kind  FaultKind
		check func(t *testing.T, err error)
	}{
		{FaultThrottle, func(t *testing.T, err error) {
			requireTCError(t, err, "RequestLimitExceeded", "Your current request times equals to `21` in a second, "+
				"which exceeds the frequency limit `20` for a second. Please reduce the frequency of calls.")
		}},
		{FaultServerError, func(t *testing.T, err error) {
			requireTCError(t, err, "InternalError", errTCInternal.Message)
		}},
		{FaultHTMLError, func(t *testing.T, err error) {
			// The SDK loses the status: it cannot parse the page.
			var e *tcerrors.TencentCloudSDKError
			require.ErrorAs(t, err, &e, "got %T: %v", err, err)
			assert.Contains(t, []string{"ClientError.ParseJsonError", "ClientError.HttpStatusCodeError"}, e.GetCode())
		}},
		{FaultMalformed, func(t *testing.T, err error) {
			var e *tcerrors.TencentCloudSDKError
			require.ErrorAs(t, err, &e, "got %T: %v", err, err)
			assert.Equal(t, "ClientError.ParseJsonError", e.GetCode())
		}},
		{FaultReset, networkError},
		{FaultLostResponse, networkError},
	} {
		t.Run(tc.kind.String(), func(t *testing.T) {
			srv := newTestServer(t, WithFaults(faultOnce("Tencent.CreateFlowLog", tc.kind)))
			c := defaultTencentClient(t, srv)
			_, err := c.CreateFlowLog(validTencentCreate())
			tc.check(t, err)
			applied := 0
			if tc.kind == FaultLostResponse {
				applied = 1
			}
			assert.Len(t, srv.TencentFlowLogs(), applied)
			assert.Equal(t, applied, srv.Calls("Tencent.CreateFlowLog"))
			assert.Equal(t, map[FaultKind]int{tc.kind: 1}, srv.FaultsInjected())
			if tc.kind != FaultLostResponse {
				mustTencentCreate(t, c, nil)
			}
		})
	}
}

// ---- wire shapes -------------------------------------------------------------------

func TestFaultsAlibabaWireShapes(t *testing.T) {
	srv := newTestServer(t)

	srv.InjectFaults(faultOnce("", FaultThrottle))
	res := sendWire(t, rpcDescribe(t, srv))
	require.NoError(t, res.err)
	assert.Equal(t, http.StatusBadRequest, res.status)
	assert.Equal(t, "application/json;charset=utf-8", res.header.Get("Content-Type"))
	var env map[string]string
	require.NoError(t, json.Unmarshal([]byte(res.body), &env), res.body)
	assert.ElementsMatch(t, []string{"RequestId", "HostId", "Code", "Message", "Recommend"}, keysOf(env))
	assert.Equal(t, "Throttling.User", env["Code"])
	assert.Regexp(t, uuidUpper, env["RequestId"])
	assert.Equal(t, env["RequestId"], res.header.Get("X-Acs-Request-Id"))
	assert.Contains(t, env["Recommend"], "product=Vpc")

	srv.InjectFaults(faultOnce("", FaultServerError))
	res = sendWire(t, rpcDescribe(t, srv))
	assert.Equal(t, "503 ServiceUnavailable", res.outcome())

	srv.InjectFaults(faultOnce("", FaultHTMLError))
	res = sendWire(t, rpcDescribe(t, srv))
	assert.Equal(t, http.StatusBadGateway, res.status)
	assert.Equal(t, "text/html", res.header.Get("Content-Type"))
	assert.Contains(t, res.body, "<title>502 Bad Gateway</title>")
	assert.Contains(t, res.body, "Tengine")

	srv.InjectFaults(faultOnce("", FaultMalformed))
	res = sendWire(t, rpcDescribe(t, srv))
	assert.Equal(t, http.StatusOK, res.status)
	assert.False(t, json.Valid([]byte(res.body)), res.body)
	assert.True(t, strings.HasPrefix(res.body, `{"RequestId":"`), res.body)
	assert.Equal(t, strconv.Itoa(len(res.body)), res.header.Get("Content-Length"))

	for _, kind := range []FaultKind{FaultReset, FaultLostResponse} {
		srv.InjectFaults(faultOnce("", kind))
		res = sendWire(t, rpcDescribe(t, srv))
		assert.Error(t, res.err, kind)
	}
	assert.Equal(t, 1, srv.Calls("DescribeFlowLogs"), "only the lost response was handled")
	assert.Equal(t, "200 ", sendWire(t, rpcDescribe(t, srv)).outcome())
}

func keysOf(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestFaultsTencentWireShapes(t *testing.T) {
	srv := newTestServer(t, WithTencentRateLimit(5))

	srv.InjectFaults(faultOnce("", FaultThrottle))
	res := sendWire(t, tcDescribeWire(t, srv))
	require.NoError(t, res.err)
	assert.Equal(t, http.StatusOK, res.status)
	assert.Equal(t, "application/json", res.header.Get("Content-Type"))
	var env tcErrorBody
	var wrapped struct{ Response *tcErrorBody }
	wrapped.Response = &env
	require.NoError(t, json.Unmarshal([]byte(res.body), &wrapped), res.body)
	assert.Equal(t, "RequestLimitExceeded", env.Error.Code)
	assert.Equal(t, "Your current request times equals to `6` in a second, which exceeds the frequency limit `5` "+
		"for a second. Please reduce the frequency of calls.", env.Error.Message)
	assert.Regexp(t, uuidLower, env.RequestId)

	srv.InjectFaults(faultOnce("", FaultServerError))
	assert.Equal(t, "200 InternalError", sendWire(t, tcDescribeWire(t, srv)).outcome())

	srv.InjectFaults(faultOnce("", FaultHTMLError))
	res = sendWire(t, tcDescribeWire(t, srv))
	assert.Equal(t, http.StatusBadGateway, res.status)
	assert.Equal(t, "text/html", res.header.Get("Content-Type"))
	assert.Contains(t, res.body, "nginx")

	srv.InjectFaults(faultOnce("", FaultMalformed))
	res = sendWire(t, tcDescribeWire(t, srv))
	assert.Equal(t, http.StatusOK, res.status)
	assert.False(t, json.Valid([]byte(res.body)), res.body)
	assert.True(t, strings.HasPrefix(res.body, `{"Response":{"RequestId":"`), res.body)

	for _, kind := range []FaultKind{FaultReset, FaultLostResponse} {
		srv.InjectFaults(faultOnce("", kind))
		assert.Error(t, sendWire(t, tcDescribeWire(t, srv)).err, kind)
	}
	assert.Equal(t, 1, srv.Calls("Tencent.DescribeFlowLogs"))
	assert.Equal(t, "200 ", sendWire(t, tcDescribeWire(t, srv)).outcome())
	assert.Equal(t, map[FaultKind]int{FaultThrottle: 1, FaultServerError: 1, FaultHTMLError: 1,
		FaultMalformed: 1, FaultReset: 1, FaultLostResponse: 1}, srv.FaultsInjected())
}

// FaultEcho quotes the request back in the provider's error shape: the
// query string with its signature, the headers in two forms and the body.
func TestFaultsEchoQuotesTheRequest(t *testing.T) {
	srv := newTestServer(t)
	srv.InjectFaults(faultOnce("", FaultEcho))
	req := rpcDescribe(t, srv)
	res := sendWire(t, req)
	require.NoError(t, res.err)
	assert.Equal(t, http.StatusServiceUnavailable, res.status)
	var env map[string]string
	require.NoError(t, json.Unmarshal([]byte(res.body), &env), res.body)
	assert.Equal(t, "ServiceUnavailable", env["Code"])
	assert.Contains(t, env["Message"], "Signature="+url.QueryEscape(req.URL.Query().Get("Signature")))
	assert.Contains(t, env["Message"], "AccessKeyId="+DefaultAccessKeyID)
	assert.Contains(t, env["Message"], `{"name":"Signature","value":"`+req.URL.Query().Get("Signature")+`"}`,
		"also in a shape no name=value pattern matches")
	assert.Equal(t, 0, srv.Calls("DescribeFlowLogs"), "an echo is not applied")

	srv.InjectFaults(faultOnce("", FaultEcho))
	treq := tcDescribeWire(t, srv)
	res = sendWire(t, treq)
	assert.Equal(t, "200 InternalError", res.outcome())
	var wrapped struct{ Response tcErrorBody }
	require.NoError(t, json.Unmarshal([]byte(res.body), &wrapped), res.body)
	assert.Contains(t, wrapped.Response.Error.Message, "Authorization: "+treq.Header.Get("Authorization"))
	assert.Contains(t, wrapped.Response.Error.Message, `"X-Tc-Action":["DescribeFlowLogs"]`)
}

// ---- semantics ---------------------------------------------------------------------

// A faulted request never consumes its nonce, so the very same signed
// request can be resent; a lost response was a real request and did.
func TestFaultsDoNotConsumeNonce(t *testing.T) {
	srv := newTestServer(t)
	for _, kind := range []FaultKind{FaultThrottle, FaultServerError, FaultHTMLError, FaultMalformed, FaultReset} {
		p := rawRequest{}.signedParams()
		srv.InjectFaults(faultOnce("DescribeFlowLogs", kind))
		first := sendWire(t, rpcWire(t, srv, p))
		assert.NotEqual(t, "200 ", first.outcome(), kind)
		assert.Equal(t, "200 ", sendWire(t, rpcWire(t, srv, p)).outcome(), "%v: resending the same request", kind)
	}
	assert.Equal(t, 5, srv.Calls("DescribeFlowLogs"))

	p := rawRequest{}.signedParams()
	srv.InjectFaults(faultOnce("DescribeFlowLogs", FaultLostResponse))
	assert.Error(t, sendWire(t, rpcWire(t, srv, p)).err)
	assert.Equal(t, "400 SignatureNonceUsed", sendWire(t, rpcWire(t, srv, p)).outcome())
	assert.Equal(t, 6, srv.Calls("DescribeFlowLogs"))
}

// Faults other than Reset only hit requests the gateway accepts; a rule
// keeps its fault for the next one.
func TestFaultsOnlyHitAuthenticatedRequests(t *testing.T) {
	srv := newTestServer(t)
	used := rawRequest{}.signedParams()
	assert.Equal(t, "200 ", sendWire(t, rpcWire(t, srv, used)).outcome())
	srv.InjectFaults(faultOnce("", FaultThrottle))

	assert.Equal(t, "400 SignatureDoesNotMatch", sendWire(t, rpcWire(t, srv, rawRequest{secret: "wrong"}.signedParams())).outcome())
	assert.Equal(t, "200 AuthFailure.SignatureFailure", sendWire(t, tcWire(t, srv, tcRaw{secretKey: "wrong"})).outcome())
	assert.Equal(t, "400 SignatureNonceUsed", sendWire(t, rpcWire(t, srv, used)).outcome(), "a replay is not faulted")
	// Unknown versions and actions are not routed, so not faulted.
	assert.Equal(t, "404 InvalidAction.NotFound", sendWire(t, rpcWire(t, srv,
		rawRequest{params: url.Values{"Action": {"Nope"}}}.signedParams())).outcome())
	assert.Equal(t, "200 InvalidAction", sendWire(t, tcWire(t, srv, tcRaw{action: "Nope"})).outcome())
	assert.Empty(t, srv.FaultsInjected())

	assert.Equal(t, "400 Throttling.User", sendWire(t, rpcDescribe(t, srv)).outcome())
	assert.Equal(t, map[FaultKind]int{FaultThrottle: 1}, srv.FaultsInjected())

	// A reset happens before authentication: even a wrongly signed
	// request gets it.
	srv.InjectFaults(faultOnce("", FaultReset))
	assert.Equal(t, "transport", sendWire(t, tcWire(t, srv, tcRaw{secretKey: "wrong"})).outcome())
	assert.Equal(t, map[FaultKind]int{FaultThrottle: 1, FaultReset: 1}, srv.FaultsInjected())
}

func TestFaultsCount(t *testing.T) {
	srv := newTestServer(t, WithFaults(FaultRule{Action: "DescribeFlowLogs", Kinds: []FaultKind{FaultServerError}, Count: 2, Rate: 0}))
	var got []string
	for range 4 {
		got = append(got, sendWire(t, rpcDescribe(t, srv)).outcome())
	}
	assert.Equal(t, []string{"503 ServiceUnavailable", "503 ServiceUnavailable", "200 ", "200 "}, got)
	assert.Equal(t, map[FaultKind]int{FaultServerError: 2}, srv.FaultsInjected())
	assert.Equal(t, 2, srv.Calls("DescribeFlowLogs"))
}

func TestFaultsRate(t *testing.T) {
	tr := &http.Transport{} // keep-alive: throttling keeps the connection
	t.Cleanup(tr.CloseIdleConnections)
	count := func(rate float64, n int) int {
		srv := newTestServer(t, WithTencentRateLimit(0),
			WithFaults(FaultRule{Kinds: []FaultKind{FaultThrottle}, Rate: rate}))
		for i := range n {
			req := rpcDescribe(t, srv)
			if i%2 == 1 {
				req = tcDescribeWire(t, srv)
			}
			res := sendWireWith(tr, req)
			require.NoError(t, res.err)
		}
		return srv.FaultsInjected()[FaultThrottle]
	}
	assert.Zero(t, count(0, 20))
	assert.Equal(t, 20, count(1, 20))
	n := count(0.3, 300)
	assert.InDelta(t, 90, n, 30, "Rate 0.3 of 300 requests injected %d faults", n)
}

func TestFaultsDeterministic(t *testing.T) {
	run := func(seed int64) ([]string, map[FaultKind]int) {
		srv := NewServer(WithFaultSeed(seed), WithTencentRateLimit(0),
			WithFaults(FaultRule{Kinds: allKindsButSlow, Rate: 0.5}))
		defer srv.Close()
		var outcomes []string
		for i := range 40 {
			req := rpcDescribe(t, srv)
			if i%2 == 1 {
				req = tcDescribeWire(t, srv)
			}
			outcomes = append(outcomes, sendWire(t, req).outcome())
		}
		return outcomes, srv.FaultsInjected()
	}
	out1, inj1 := run(7)
	out2, inj2 := run(7)
	assert.Equal(t, out1, out2)
	assert.Equal(t, inj1, inj2)
	assert.GreaterOrEqual(t, len(inj1), 5, "a good mix of kinds: %v", inj1)
	out3, _ := run(8)
	assert.NotEqual(t, out1, out3, "another seed, other faults")
}

func TestFaultsMatching(t *testing.T) {
	type req struct {
		name string
		make func(t *testing.T, srv *Server) *http.Request
	}
	reqs := []req{
		{"Vpc.CreateFlowLog", func(t *testing.T, srv *Server) *http.Request {
			return rpcWire(t, srv, rawRequest{params: url.Values{"Action": {"CreateFlowLog"}}}.signedParams())
		}},
		{"Vpc.DescribeFlowLogs", rpcDescribe},
		{"Cbn.CreateFlowlog", func(t *testing.T, srv *Server) *http.Request {
			return rpcWire(t, srv, cbnRaw("CreateFlowlog", nil).signedParams())
		}},
		{"Tencent.CreateFlowLog", func(t *testing.T, srv *Server) *http.Request {
			return tcWire(t, srv, tcRaw{action: "CreateFlowLog"})
		}},
		{"Tencent.DescribeFlowLogs", tcDescribeWire},
	}
	for action, want := range map[string][]string{
		"":                      {"Vpc.CreateFlowLog", "Vpc.DescribeFlowLogs", "Cbn.CreateFlowlog", "Tencent.CreateFlowLog", "Tencent.DescribeFlowLogs"},
		"CreateFlowLog":         {"Vpc.CreateFlowLog", "Tencent.CreateFlowLog"},
		"Vpc.CreateFlowLog":     {"Vpc.CreateFlowLog"},
		"Cbn.CreateFlowlog":     {"Cbn.CreateFlowlog"},
		"CreateFlowlog":         {"Cbn.CreateFlowlog"},
		"Tencent.CreateFlowLog": {"Tencent.CreateFlowLog"},
		"DescribeFlowLogs":      {"Vpc.DescribeFlowLogs", "Tencent.DescribeFlowLogs"},
		"createflowlog":         nil,
		"Vpc.CreateFlowlog":     nil,
	} {
		t.Run(fmt.Sprintf("%q", action), func(t *testing.T) {
			srv := newTestServer(t, WithTencentRateLimit(0),
				WithFaults(FaultRule{Action: action, Kinds: []FaultKind{FaultThrottle}, Rate: 1}))
			var got []string
			for _, r := range reqs {
				switch out := sendWire(t, r.make(t, srv)).outcome(); out {
				case "400 Throttling.User", "200 RequestLimitExceeded":
					got = append(got, r.name)
				default:
					assert.NotContains(t, out, "transport", r.name)
				}
			}
			assert.Equal(t, want, got)
		})
	}
}

// ---- FaultSlow ---------------------------------------------------------------------

func TestFaultsSlowClientGivesUp(t *testing.T) {
	srv := newTestServer(t, WithFaults(FaultRule{Kinds: []FaultKind{FaultSlow}, Rate: 1, Delay: time.Minute}))
	c := defaultTencentClient(t, srv)
	ignore := goleak.IgnoreCurrent()

	// Tencent SDK: the context deadline ends the call.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.CreateFlowLogWithContext(ctx, validTencentCreate())
	var e *tcerrors.TencentCloudSDKError
	require.ErrorAs(t, err, &e, "got %T: %v", err, err)
	assert.Equal(t, "ClientError.NetworkError", e.GetCode())
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 5*time.Second)

	// Alibaba, plain HTTP with a deadline.
	p := rawRequest{}.signedParams()
	ctx2, cancel2 := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel2()
	res := sendWire(t, rpcWire(t, srv, p).WithContext(ctx2))
	assert.ErrorIs(t, res.err, context.DeadlineExceeded)

	// The server stopped waiting: its handler goroutines are gone.
	goleak.VerifyNone(t, ignore)
	assert.Empty(t, srv.TencentFlowLogs())
	assert.Zero(t, srv.Calls("CreateFlowLog"))
	assert.Zero(t, srv.Calls("DescribeFlowLogs"))
	assert.Equal(t, map[FaultKind]int{FaultSlow: 2}, srv.FaultsInjected())

	// Nothing was applied, the nonce was not consumed.
	srv.ClearFaults()
	assert.Equal(t, "200 ", sendWire(t, rpcWire(t, srv, p)).outcome())
}

func TestFaultsSlowIsServedLate(t *testing.T) {
	const delay = 30 * time.Millisecond
	srv := newTestServer(t, WithFaults(FaultRule{Action: "Tencent.CreateFlowLog", Kinds: []FaultKind{FaultSlow}, Count: 1, Delay: delay}))
	c := defaultTencentClient(t, srv)
	start := time.Now()
	fl := mustTencentCreate(t, c, nil)
	assert.GreaterOrEqual(t, time.Since(start), delay)
	require.Len(t, srv.TencentFlowLogs(), 1)
	assert.Equal(t, *fl.FlowLogId, srv.TencentFlowLogs()[0].FlowLogID)
	assert.Equal(t, 1, srv.Calls("Tencent.CreateFlowLog"))
	assert.Equal(t, map[FaultKind]int{FaultSlow: 1}, srv.FaultsInjected())
}

func TestFaultsSlowEndsOnClose(t *testing.T) {
	srv := NewServer(WithFaults(FaultRule{Kinds: []FaultKind{FaultSlow}, Rate: 1, Delay: time.Minute}))
	defer srv.Close()
	done := make(chan wireResult, 1)
	req := rpcDescribe(t, srv)
	go func() { done <- sendWire(t, req) }()
	require.Eventually(t, func() bool { return srv.FaultsInjected()[FaultSlow] == 1 },
		2*time.Second, time.Millisecond)

	start := time.Now()
	srv.Close()
	assert.Less(t, time.Since(start), 2*time.Second)
	res := <-done
	assert.Error(t, res.err, "the client gets no answer")
	assert.Zero(t, srv.Calls("DescribeFlowLogs"))
}

// ---- runtime API -------------------------------------------------------------------

func TestFaultsRuntimeAPI(t *testing.T) {
	srv := newTestServer(t)
	assert.Empty(t, srv.FaultsInjected())
	assert.NotNil(t, srv.FaultsInjected())

	kinds := []FaultKind{FaultThrottle}
	srv.InjectFaults(
		FaultRule{Kinds: kinds, Count: 1},
		FaultRule{Kinds: []FaultKind{FaultServerError}, Rate: 1},
	)
	kinds[0] = FaultReset // the server keeps its own copy
	assert.Equal(t, "400 Throttling.User", sendWire(t, rpcDescribe(t, srv)).outcome(), "the first rule that fires wins")
	assert.Equal(t, "503 ServiceUnavailable", sendWire(t, rpcDescribe(t, srv)).outcome())

	got := srv.FaultsInjected()
	got[FaultMalformed] = 9 // a copy
	assert.Equal(t, map[FaultKind]int{FaultThrottle: 1, FaultServerError: 1}, srv.FaultsInjected())

	srv.ClearFaults()
	assert.Equal(t, "200 ", sendWire(t, rpcDescribe(t, srv)).outcome())
	assert.Equal(t, map[FaultKind]int{FaultThrottle: 1, FaultServerError: 1}, srv.FaultsInjected(), "counts survive ClearFaults")
}

func TestFaultRuleValidation(t *testing.T) {
	for name, r := range map[string]FaultRule{
		"no kinds":                      {Rate: 1},
		"unknown kind":                  {Kinds: []FaultKind{0}, Rate: 1},
		"rate above one":                {Kinds: []FaultKind{FaultThrottle}, Rate: 1.5},
		"negative rate":                 {Kinds: []FaultKind{FaultThrottle}, Rate: -0.1},
		"negative count":                {Kinds: []FaultKind{FaultThrottle}, Count: -1},
		"negative delay":                {Kinds: []FaultKind{FaultSlow}, Rate: 1, Delay: -time.Second},
		"documented error without code": {Action: "Vpc.CreateFlowLog", Kinds: []FaultKind{FaultDocumentedError}, Count: 1},
		"code without documented error": {Action: "Vpc.CreateFlowLog", Kinds: []FaultKind{FaultThrottle}, Count: 1, Code: "RuleExist"},
		"code of another product":       {Action: "Tencent.CreateFlowLog", Kinds: []FaultKind{FaultDocumentedError}, Count: 1, Code: "RuleExist"},
		"unqualified action":            {Action: "CreateFlowLog", Kinds: []FaultKind{FaultDocumentedError}, Count: 1, Code: "RuleExist"},
		"undocumented code":             {Action: "Vpc.CreateFlowLog", Kinds: []FaultKind{FaultDocumentedError}, Count: 1, Code: "NoSuchCode"},
	} {
		assert.Panics(t, func() { WithFaults(r) }, name)
		srv := newTestServer(t)
		assert.Panics(t, func() { srv.InjectFaults(r) }, name)
	}
}

// A documented error is answered in each provider's shape, with the
// documented status and message, and applies nothing; the codes of one
// action are not offered for another.
func TestFaultDocumentedError(t *testing.T) {
	srv := newTestServer(t, WithTencentRateLimit(0), WithFaults(
		FaultRule{Action: "Vpc.CreateFlowLog", Kinds: []FaultKind{FaultDocumentedError}, Count: 1, Code: "OperationDenied.OperateShareResource"},
		FaultRule{Action: "Tencent.CreateFlowLog", Kinds: []FaultKind{FaultDocumentedError}, Count: 1, Code: "UnauthorizedOperation"},
	))
	res := sendWire(t, rpcWire(t, srv, rawRequest{params: url.Values{"Action": {"CreateFlowLog"}}}.signedParams()))
	assert.Equal(t, "400 OperationDenied.OperateShareResource", res.outcome())
	assert.Contains(t, res.body, "The operation is not allowed because of OperateShareResource.")
	res = sendWire(t, tcWire(t, srv, tcRaw{action: "CreateFlowLog"}))
	assert.Equal(t, "200 UnauthorizedOperation", res.outcome())
	assert.Contains(t, res.body, "Unauthorized operation.")
	assert.Equal(t, map[FaultKind]int{FaultDocumentedError: 2}, srv.FaultsInjected())
	assert.Zero(t, srv.Calls("Vpc.CreateFlowLog")+srv.Calls("Tencent.CreateFlowLog"), "nothing applied")

	assert.Len(t, DocumentedErrorCodes("Vpc.CreateFlowLog"), 35)
	assert.Len(t, DocumentedErrorCodes("Tencent.CreateFlowLog"), 37)
	assert.Nil(t, DocumentedErrorCodes("Vpc.DescribeFlowLogs"), "no table for an action whose seed lists none")
	assert.True(t, slices.IsSorted(DocumentedErrorCodes("Vpc.CreateFlowLog")))
}

func TestFaultsConcurrent(t *testing.T) {
	srv := newTestServer(t, WithTencentRateLimit(0), WithFaults(FaultRule{
		Kinds: append([]FaultKind{FaultSlow}, allKindsButSlow...), Rate: 0.5, Delay: time.Millisecond,
	}))
	const n = 32
	var wg sync.WaitGroup
	outcomes := make([]string, n)
	for i := range n {
		req := rpcDescribe(t, srv)
		if i%2 == 1 {
			req = tcDescribeWire(t, srv)
		}
		wg.Go(func() { outcomes[i] = sendWire(t, req).outcome() })
	}
	wg.Wait()
	ok := 0
	for _, o := range outcomes {
		if o == "200 " {
			ok++
		}
	}
	injected := 0
	for _, c := range srv.FaultsInjected() {
		injected += c
	}
	// Every request either got a fault or was served; slow ones both.
	assert.Equal(t, n-injected+srv.FaultsInjected()[FaultSlow], ok, "%v", srv.FaultsInjected())
	assert.Equal(t, ok+srv.FaultsInjected()[FaultLostResponse], srv.Calls("DescribeFlowLogs"))
}
