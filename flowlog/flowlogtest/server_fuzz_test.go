package flowlogtest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cloudflowlog/flowlog-go/internal/tc3"
)

// These fuzz targets send requests over the wire to a running emulator
// (srv.URL), unlike FuzzRPC in rpc_test.go, which calls the handler with
// signed query parameters only: here the method, the raw query string, the
// form body, its Content-Type and, for Tencent, every X-TC-* header and the
// Authorization header are fuzzed, signed correctly or not. `go test`
// replays the f.Add seeds and the corpora in testdata/fuzz.

// wireSafe escapes the bytes that cannot appear in an HTTP request target
// (controls, space, '#', non-ASCII), so that a fuzzed query reaches the
// emulator as it is, malformed escapes included, instead of being refused
// by net/http before the emulator sees it.
func wireSafe(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || c == '#' {
			b.WriteString("%" + strings.ToUpper(strconv.FormatUint(uint64(c)|0x100, 16)[1:]))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// headerSafe drops the bytes net/http refuses in a header value.
func headerSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' && r != '\t' || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// fuzzClient returns an HTTP client whose idle connections are closed when
// the fuzz target ends (the package runs goleak).
func fuzzClient(f *testing.F) *http.Client {
	tr := &http.Transport{}
	f.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// exchange sends req and returns the status, headers and JSON body. Any
// transport error fails the test: the emulator must answer every request.
func exchange(t *testing.T, c *http.Client, req *http.Request) (int, http.Header, map[string]any, string) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("no answer to %s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("answer to %s %s cut short: %v", req.Method, req.URL, err)
	}
	var body map[string]any
	if err := json.Unmarshal(data, &body); err != nil {
		t.Fatalf("answer %d to %s %s is not a JSON object: %q", resp.StatusCode, req.Method, req.URL, data)
	}
	return resp.StatusCode, resp.Header, body, string(data)
}

var fuzzMethods = []string{http.MethodPost, http.MethodGet, http.MethodPut, http.MethodDelete, http.MethodHead, "PATCH"}

// FuzzServeRPC sends Alibaba RPC requests to the emulator: a fuzzed method,
// query string and form body with a fuzzed Content-Type, either as they are
// or with the query's parameters correctly signed (split between the query
// and the body when inBody is set), so that the handlers are reached too.
// Properties: the emulator always answers (no dropped connection); never
// with a 5xx (a handler panic or an unexpected handler error is a 500
// InternalError); always JSON; an error answer carries a Code and a
// RequestId, equal to the X-Acs-Request-Id header; a success carries the
// RequestId too.
func FuzzServeRPC(f *testing.F) {
	for _, s := range []struct {
		method      uint8
		query, body string
		contentType string
		sign        bool
		inBody      bool
	}{
		{0, "Action=CreateFlowLog&ResourceType=NetworkInterface&ResourceId=" + DefaultNetworkInterfaceID + "&TrafficType=All&ProjectName=" + DefaultSLSProject + "&LogStoreName=" + DefaultSLSLogStore, "", "", true, false},
		{0, "Action=DescribeFlowLogs&PageSize=50&PageNumber=1", "", "", true, true},
		{1, "Action=DescribeFlowLogs&PageSize=99999999999999999999&PageNumber=-1", "", "", true, false},
		{0, "Action=CreateFlowlog&Version=" + CBNVersion + "&CenId=" + DefaultCENID + "&TransitRouterAttachmentId=" + DefaultTransitRouterAttachmentID + "&ProjectName=" + DefaultSLSProject + "&LogStoreName=" + DefaultSLSLogStore + "&ClientToken=t1&Interval=600", "", "", true, false},
		{0, "Action=DescribeFlowlogs&Version=" + CBNVersion + "&PageSize=0&PageNumber=0", "", "", true, true},
		{0, "Action=DeleteFlowLog&FlowLogId=fl-nope", "", "", true, false},
		{0, "Action=ActiveFlowLog&FlowLogId=&RegionId=", "", "", true, false},
		{0, "Action=CreateFlowLog&Tag.1.Key=&Tag.1.Value=x&TrafficPath.1=internetGateway&AggregationInterval=1e3", "", "", true, false},
		{0, "Action=%zz", "", "", false, false},
		{0, "", "Action=DescribeFlowLogs&Signature=x", "application/x-www-form-urlencoded; charset=utf-8", false, false},
		{0, "", "a=%zz", "application/x-www-form-urlencoded", false, false},
		{0, "", "{\"Action\":\"x\"}", "application/json", false, false},
		{0, "", "a=b", "application/x-www-form-urlencoded; charset=\"", false, false},
		{2, "Action=DescribeFlowLogs", "", "", true, false},
		{4, "", "", "", false, false},
		{0, "Version=2016-04-28&Action=DescribeFlowLogs&AccessKeyId=nobody&Signature=x&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&SignatureNonce=1&Timestamp=2024-01-01T00:00:00Z", "", "", false, false},
		{0, "RegionId=%E4%B8%AD&Action=GetFlowLogServiceStatus", "", "", true, false},
		{0, "Action=CreateFlowLog&FlowLogName=%FF%FE&Description=http://x&ResourceGroupId=rg-", "", "", true, true},
	} {
		f.Add(s.method, s.query, s.body, s.contentType, s.sign, s.inBody)
	}
	srv := NewServer(WithActivationDelay(0))
	f.Cleanup(srv.Close)
	client := fuzzClient(f)

	f.Fuzz(func(t *testing.T, methodIndex uint8, query, body, contentType string, sign, inBody bool) {
		method := fuzzMethods[int(methodIndex)%len(fuzzMethods)]
		rawQuery := wireSafe(query)
		if sign {
			extra, err := url.ParseQuery(query)
			if err == nil {
				if v := extra.Get("Version"); v == "" {
					extra.Set("Version", VPCVersion)
				}
				p := rawRequest{method: method, params: extra}.signedParams()
				if inBody && method == http.MethodPost {
					form := url.Values{}
					for k, vs := range p {
						if k != "Signature" && k != "Action" {
							form[k] = vs
						}
					}
					q := url.Values{"Signature": p["Signature"], "Action": p["Action"]}
					rawQuery, body, contentType = q.Encode(), form.Encode(), "application/x-www-form-urlencoded"
				} else {
					rawQuery = p.Encode()
				}
			}
		}
		req, err := http.NewRequest(method, srv.URL+"/", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.URL.RawQuery = rawQuery
		if ct := headerSafe(contentType); ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		if method == http.MethodHead {
			resp, err := client.Do(req)
			if err != nil {
				t.Fatalf("no answer to HEAD: %v", err)
			}
			resp.Body.Close()
			if resp.StatusCode >= 500 {
				t.Fatalf("HEAD answered %d", resp.StatusCode)
			}
			return
		}
		status, header, resp, raw := exchange(t, client, req)
		if status >= 500 {
			t.Fatalf("%s ?%s body %q: status %d: %s", method, rawQuery, body, status, raw)
		}
		if ct := header.Get("Content-Type"); !strings.Contains(ct, "application/json") {
			t.Fatalf("Content-Type %q: %s", ct, raw)
		}
		requestID, _ := resp["RequestId"].(string)
		if requestID == "" || header.Get("X-Acs-Request-Id") != requestID {
			t.Fatalf("RequestId %q, X-Acs-Request-Id %q: %s", resp["RequestId"], header.Get("X-Acs-Request-Id"), raw)
		}
		if status != http.StatusOK {
			if code, _ := resp["Code"].(string); code == "" || code == "InternalError" {
				t.Fatalf("status %d with code %q: %s", status, code, raw)
			}
		}
	})
}

// FuzzServeTencent sends Tencent Cloud API 3.0 requests to the emulator with
// fuzzed X-TC-Action, X-TC-Version, X-TC-Region, X-TC-Timestamp, X-TC-Token
// and Content-Type headers and a fuzzed body, either correctly signed (so
// that the actions' own rules are reached) or with a fuzzed Authorization
// header. Properties: the emulator always answers; always HTTP 200 with a
// JSON {"Response":{...}} envelope carrying a RequestId; an error carries
// a Code and a Message, and is never InternalError (what a handler panic or
// an unexpected handler error becomes).
func FuzzServeTencent(f *testing.F) {
	const create = `{"FlowLogName":"f","ResourceType":"NETWORKINTERFACE","ResourceId":"` + DefaultTencentNetworkInterfaceID +
		`","TrafficType":"ALL","VpcId":"` + DefaultTencentVPCID + `","CloudLogId":"` + DefaultCLSTopicID + `"}`
	for _, s := range []struct {
		action, version, region, timestamp, token, contentType string
		body                                                   []byte
		auth                                                   string
		sign                                                   bool
	}{
		{"CreateFlowLog", "", "", "", "", "", []byte(create), "", true},
		{"DescribeFlowLogs", "", "", "", "", "", []byte(`{"Limit":100,"Offset":0,"OrderField":"createTime","OrderDirection":"ASC"}`), "", true},
		{"DescribeFlowLogs", "", "", "", "", "", []byte(`{"Limit":18446744073709551616,"Offset":-1,"Filters":[{"Name":"tag-key","Values":[null]}]}`), "", true},
		{"DeleteFlowLog", "", "", "", "", "", []byte(`{"FlowLogId":"fl-nope0001","VpcId":"` + DefaultTencentVPCID + `"}`), "", true},
		{"EnableFlowLogs", "", "", "", "", "", []byte(`{"FlowLogIds":["fl-nope0001",null,""]}`), "", true},
		{"DisableFlowLogs", "", "", "", "", "", []byte(`{"FlowLogIds":[]}`), "", true},
		{"CreateFlowLog", "", "", "", "", "", []byte(`{"FlowLogName":1,"Tags":[{"Key":null}],"StorageType":"ckafka","FlowLogStorage":{}}`), "", true},
		{"CreateFlowLog", "", "", "", "", "", []byte(`[1,2]`), "", true},
		{"CreateFlowLog", "", "", "", "", "", []byte(`{"FlowLogName":"x"`), "", true},
		{"DescribeFlowLogs", "2017-03-12", "ap-nowhere", "", "", "", []byte(`{}`), "", true},
		{"DescribeFlowLogs", "2020-01-01", "", "", "tok", "text/plain", nil, "", true},
		{"Nope", "", "", "", "", "", []byte(`{}`), "", true},
		{"DescribeFlowLogs", "", "", "1e9", "", "", []byte(`{}`), "", true},
		{"DescribeFlowLogs", "", "", "", "", "", []byte(`{}`), "TC3-HMAC-SHA256 Credential=AKIDx/2019-02-25/vpc/tc3_request, SignedHeaders=content-type;host, Signature=" + strings.Repeat("0", 64), false},
		{"DescribeFlowLogs", "", "", "", "", "", []byte(`{}`), "TC3-HMAC-SHA256 Credential=" + DefaultTencentSecretID + "/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=" + strings.Repeat("0", 64), false},
		{"DescribeFlowLogs", "", "", "", "", "", []byte(`{}`), "Bearer x", false},
		{"DescribeFlowLogs", "", "", "", "", "", []byte(`{}`), "", false},
		{"DescribeFlowLogs", "-", "-", "-", "", "", []byte(`{}`), "", true},
	} {
		f.Add(s.action, s.version, s.region, s.timestamp, s.token, s.contentType, s.body, s.auth, s.sign)
	}
	srv := NewServer(WithActivationDelay(0), WithTencentRateLimit(0))
	f.Cleanup(srv.Close)
	client := fuzzClient(f)

	f.Fuzz(func(t *testing.T, action, version, region, timestamp, token, contentType string, body []byte, auth string, sign bool) {
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(string(body)))
		if err != nil {
			t.Fatal(err)
		}
		// An empty or missing header takes its default; "-" leaves it out.
		set := func(name, v, def string) {
			v = headerSafe(v)
			switch v {
			case "-":
			case "":
				req.Header.Set(name, def)
			default:
				req.Header.Set(name, v)
			}
		}
		// The emulator tells Tencent from Alibaba requests by X-TC-Action,
		// so a Tencent request always has one.
		if action = strings.TrimSpace(headerSafe(action)); action == "" || action == "-" {
			action = "DescribeFlowLogs"
		}
		req.Header.Set("X-TC-Action", action)
		set("X-TC-Version", version, TencentVPCVersion)
		set("X-TC-Region", region, DefaultTencentRegion)
		set("X-TC-Timestamp", timestamp, strconv.FormatInt(time.Now().Unix(), 10))
		set("Content-Type", contentType, "application/json")
		if token = headerSafe(token); token != "" {
			req.Header.Set("X-TC-Token", token)
		}
		if sign {
			// SignRequest refuses a timestamp that is not a Unix time; the
			// request then goes out unsigned.
			_ = tc3.SignRequest(req, body, DefaultTencentSecretID, DefaultTencentSecretKey, "vpc", nil)
		} else if auth = headerSafe(auth); auth != "" {
			req.Header.Set("Authorization", auth)
		}

		status, header, out, raw := exchange(t, client, req)
		if status != http.StatusOK {
			t.Fatalf("status %d: %s", status, raw)
		}
		if ct := header.Get("Content-Type"); ct != "application/json" {
			t.Fatalf("Content-Type %q: %s", ct, raw)
		}
		resp, ok := out["Response"].(map[string]any)
		if !ok || len(out) != 1 {
			t.Fatalf("no Response envelope: %s", raw)
		}
		if id, _ := resp["RequestId"].(string); id == "" {
			t.Fatalf("no RequestId: %s", raw)
		}
		if e, ok := resp["Error"]; ok {
			e, _ := e.(map[string]any)
			code, _ := e["Code"].(string)
			msg, _ := e["Message"].(string)
			if code == "" || msg == "" || code == errTCInternal.Code {
				t.Fatalf("error code %q message %q: %s", code, msg, raw)
			}
		}
	})
}
