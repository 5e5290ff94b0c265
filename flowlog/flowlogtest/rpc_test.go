package flowlogtest

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/internal/acsv1"
)

func TestRPCMissingCommonParameter(t *testing.T) {
	srv := newTestServer(t)
	for _, name := range []string{"Action", "Version", "AccessKeyId", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp"} {
		t.Run(name, func(t *testing.T) {
			resp := doRaw(t, srv, rawRequest{remove: []string{name}})
			assert.Equal(t, http.StatusBadRequest, resp.status)
			assert.Equal(t, "MissingParameter", resp.str("Code"))
			assert.Equal(t, `The input parameter "`+name+`" that is mandatory for processing this request is not supplied.`,
				resp.str("Message"))
		})
	}
	t.Run("Signature", func(t *testing.T) {
		resp := doRaw(t, srv, rawRequest{mutate: func(p url.Values) { p.Del("Signature") }})
		assert.Equal(t, http.StatusBadRequest, resp.status)
		assert.Equal(t, `The input parameter "Signature" that is mandatory for processing this request is not supplied.`,
			resp.str("Message"))
	})
}

func TestRPCErrorEnvelope(t *testing.T) {
	srv := newTestServer(t)
	resp := doRaw(t, srv, rawRequest{params: url.Values{"AccessKeyId": {"LTAInobody"}}})

	// Non-2xx: the SDK decides success by HTTP status alone.
	assert.Equal(t, http.StatusNotFound, resp.status)
	assert.Equal(t, "application/json;charset=utf-8", resp.header.Get("Content-Type"))
	assert.ElementsMatch(t, []string{"RequestId", "HostId", "Code", "Message", "Recommend"}, keys(resp.body))
	assert.Regexp(t, uuidUpper, resp.str("RequestId"))
	assert.Equal(t, resp.str("RequestId"), resp.header.Get("X-Acs-Request-Id"))
	assert.Equal(t, srv.Endpoint(), resp.str("HostId"))
	assert.Equal(t, "InvalidAccessKeyId.NotFound", resp.str("Code"))
	assert.Equal(t, "Specified access key is not found.", resp.str("Message"))
	rec, err := url.Parse(resp.str("Recommend"))
	require.NoError(t, err)
	assert.Equal(t, "InvalidAccessKeyId.NotFound", rec.Query().Get("q"))
	assert.Equal(t, "Vpc", rec.Query().Get("product"))
	assert.Equal(t, resp.str("RequestId"), rec.Query().Get("requestId"))
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestRPCSignature(t *testing.T) {
	srv := newTestServer(t)
	tests := []struct {
		name string
		req  rawRequest
	}{
		{"wrong secret", rawRequest{secret: "not-the-secret"}},
		{"tampered after signing", rawRequest{mutate: func(p url.Values) { p.Set("PageSize", "10") }}},
		{"GET signature sent with POST", rawRequest{method: http.MethodGet, mutate: func(url.Values) {}}},
		{"signed without the empty SignatureType", rawRequest{
			remove: []string{"SignatureType"},
			mutate: func(p url.Values) { p["SignatureType"] = []string{""} },
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.req.signedParams()
			method := tt.req.method
			if tt.name == "GET signature sent with POST" {
				method = http.MethodPost
			}
			resp := sendParams(t, srv, method, p, false)
			assert.Equal(t, http.StatusBadRequest, resp.status)
			assert.Equal(t, "SignatureDoesNotMatch", resp.str("Code"))
			if method == "" {
				method = http.MethodPost
			}
			wantSTS := acsv1.StringToSign(method, p)
			assert.Equal(t, "Specified signature is not matched with our calculation. server string to sign is:"+wantSTS,
				resp.str("Message"))
		})
	}
	assert.Zero(t, srv.Calls("DescribeFlowLogs"))
}

// TestSDKWrongSecretRecommend proves that the emulator's string to sign is
// byte-for-byte the SDK's: the SDK compares the server's string (from the
// error message) with its own and, only when they are equal, blames the
// secret in Recommend.
func TestSDKWrongSecretRecommend(t *testing.T) {
	srv := newTestServer(t)
	c := newVPCClient(t, srv, DefaultRegion, DefaultAccessKeyID, "wrong-secret")
	_, err := c.DescribeFlowLogs(vpc.CreateDescribeFlowLogsRequest())
	se := requireServerError(t, err, 400, "SignatureDoesNotMatch", "")
	assert.Contains(t, se.Message(), "server string to sign is:POST&%2F&")
	assert.Equal(t, "InvalidAccessKeySecret: Please check you AccessKeySecret", se.Recommend())
}

func TestRPCUnknownAccessKey(t *testing.T) {
	srv := newTestServer(t, WithAlibabaCredential("LTAIother", "other-secret"))
	// Once a credential is configured, the default one is not accepted.
	c := defaultClient(t, srv)
	_, err := c.DescribeFlowLogs(vpc.CreateDescribeFlowLogsRequest())
	requireServerError(t, err, 404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")

	c = newVPCClient(t, srv, DefaultRegion, "LTAIother", "other-secret")
	_, err = c.DescribeFlowLogs(vpc.CreateDescribeFlowLogsRequest())
	require.NoError(t, err)
}

func TestRPCSeveralCredentials(t *testing.T) {
	srv := newTestServer(t, WithAlibabaCredential("LTAIa", "sa"), WithAlibabaCredential("LTAIb", "sb"))
	for _, ak := range [][2]string{{"LTAIa", "sa"}, {"LTAIb", "sb"}} {
		_, err := newVPCClient(t, srv, DefaultRegion, ak[0], ak[1]).DescribeFlowLogs(vpc.CreateDescribeFlowLogsRequest())
		require.NoError(t, err, ak[0])
	}
	_, err := newVPCClient(t, srv, DefaultRegion, "LTAIa", "sb").DescribeFlowLogs(vpc.CreateDescribeFlowLogsRequest())
	requireServerError(t, err, 400, "SignatureDoesNotMatch", "")
}

func TestRPCTimestamp(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now))
	now := clock.Now()
	tests := []struct {
		name      string
		timestamp string
		code      string
		message   string
	}{
		{"16 min behind", now.Add(-16 * time.Minute).Format(timestampLayout), "InvalidTimeStamp.Expired",
			"Specified time stamp or date value is expired."},
		{"16 min ahead", now.Add(16 * time.Minute).Format(timestampLayout), "InvalidTimeStamp.Expired",
			"Specified time stamp or date value is expired."},
		{"14 min behind", now.Add(-14 * time.Minute).Format(timestampLayout), "", ""},
		{"14 min ahead", now.Add(14 * time.Minute).Format(timestampLayout), "", ""},
		{"space instead of T", now.Format("2006-01-02 15:04:05"), "InvalidTimeStamp.Format",
			"Specified time stamp or date value is not well formatted."},
		{"fractional seconds", now.Format("2006-01-02T15:04:05.000Z"), "InvalidTimeStamp.Format", ""},
		{"offset instead of Z", now.Format("2006-01-02T15:04:05+08:00"), "InvalidTimeStamp.Format", ""},
		{"unix seconds", "1700000000", "InvalidTimeStamp.Format", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := doRaw(t, srv, rawRequest{params: url.Values{"Timestamp": {tt.timestamp}}})
			if tt.code == "" {
				assert.Equal(t, http.StatusOK, resp.status, resp.raw)
				return
			}
			assert.Equal(t, http.StatusBadRequest, resp.status)
			assert.Equal(t, tt.code, resp.str("Code"))
			if tt.message != "" {
				assert.Equal(t, tt.message, resp.str("Message"))
			}
		})
	}
}

func TestRPCClockSkewWithSDK(t *testing.T) {
	// The SDK stamps requests with the real time; a server clock 20 minutes
	// ahead sees them as expired.
	clock := newFakeClock()
	clock.Advance(20 * time.Minute)
	srv := newTestServer(t, WithClock(clock.Now))
	_, err := defaultClient(t, srv).DescribeFlowLogs(vpc.CreateDescribeFlowLogsRequest())
	requireServerError(t, err, 400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
}

func TestRPCNonce(t *testing.T) {
	clock := newFakeClock()
	srv := newTestServer(t, WithClock(clock.Now),
		WithAlibabaCredential(DefaultAccessKeyID, DefaultAccessKeySecret),
		WithAlibabaCredential("LTAIsecond", "second-secret"))
	nonce := url.Values{"SignatureNonce": {"fixed-nonce-1"}}

	first := doRaw(t, srv, rawRequest{params: nonce, now: clock.Now()})
	require.Equal(t, http.StatusOK, first.status, first.raw)

	// The identical nonce again, freshly signed: replay.
	again := doRaw(t, srv, rawRequest{params: nonce, now: clock.Now()})
	assert.Equal(t, http.StatusBadRequest, again.status)
	assert.Equal(t, "SignatureNonceUsed", again.str("Code"))
	assert.Equal(t, "Specified signature nonce was used already.", again.str("Message"))

	// An exact byte-for-byte replay (what an HTTP-level retry does).
	p := rawRequest{params: url.Values{"SignatureNonce": {"fixed-nonce-2"}}, now: clock.Now()}.signedParams()
	require.Equal(t, http.StatusOK, sendParams(t, srv, "", p, false).status)
	assert.Equal(t, "SignatureNonceUsed", sendParams(t, srv, "", p, false).str("Code"))

	// Nonces are per AccessKeyId.
	other := doRaw(t, srv, rawRequest{
		params: url.Values{"SignatureNonce": {"fixed-nonce-1"}, "AccessKeyId": {"LTAIsecond"}},
		secret: "second-secret", now: clock.Now(),
	})
	assert.Equal(t, http.StatusOK, other.status, other.raw)

	// A request refused for its signature does not burn its nonce.
	bad := doRaw(t, srv, rawRequest{params: url.Values{"SignatureNonce": {"fixed-nonce-3"}}, secret: "x", now: clock.Now()})
	require.Equal(t, "SignatureDoesNotMatch", bad.str("Code"))
	good := doRaw(t, srv, rawRequest{params: url.Values{"SignatureNonce": {"fixed-nonce-3"}}, now: clock.Now()})
	assert.Equal(t, http.StatusOK, good.status, good.raw)

	// Only handled requests count; the replays never reached the handler.
	assert.Equal(t, 4, srv.Calls("DescribeFlowLogs"))

	// After the retention period the nonce may be used again.
	clock.Advance(31 * time.Minute)
	late := doRaw(t, srv, rawRequest{params: nonce, now: clock.Now()})
	assert.Equal(t, http.StatusOK, late.status, late.raw)
}

func TestNonceCachePrunes(t *testing.T) {
	var c nonceCache
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 5000 {
		require.True(t, c.add("k"+strings.Repeat("x", i%7)+time.Duration(i).String(), t0))
	}
	assert.Equal(t, 5000, c.len())
	assert.False(t, c.add("k0s", t0), "still remembered")
	// Past the TTL, the next add prunes everything expired.
	t1 := t0.Add(nonceTTL)
	assert.True(t, c.add("fresh", t1))
	assert.Equal(t, 1, c.len())
	assert.True(t, c.add("k0s", t1), "expired nonce is accepted again")
}

func TestRPCSecurityToken(t *testing.T) {
	srv := newTestServer(t,
		WithSTSCredential("STS.emu", "sts-secret", "token-123"),
		WithAlibabaCredential("LTAIlong", "long-secret"))
	tests := []struct {
		name    string
		cred    credentials.CredentialsProvider
		code    string
		message string
	}{
		{"matching token", credentials.NewStaticSTSCredentialsProvider("STS.emu", "sts-secret", "token-123"), "", ""},
		{"missing token", credentials.NewStaticAKCredentialsProvider("STS.emu", "sts-secret"),
			"MissingSecurityToken", "SecurityToken is mandatory for this action."},
		{"wrong token", credentials.NewStaticSTSCredentialsProvider("STS.emu", "sts-secret", "token-999"),
			"InvalidSecurityToken.MismatchWithAccessKey", "Specified SecurityToken mismatch with the AccessKey."},
		{"token on a long-term key", credentials.NewStaticSTSCredentialsProvider("LTAIlong", "long-secret", "token-123"),
			"InvalidSecurityToken.MismatchWithAccessKey", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newVPCClientWithProvider(t, srv, DefaultRegion, tt.cred)
			_, err := c.DescribeFlowLogs(vpc.CreateDescribeFlowLogsRequest())
			if tt.code == "" {
				require.NoError(t, err)
				return
			}
			requireServerError(t, err, 400, tt.code, tt.message)
		})
	}
}

func TestRPCVersionAndAction(t *testing.T) {
	srv := newTestServer(t)
	tests := []struct {
		name    string
		params  url.Values
		status  int
		code    string
		message string
	}{
		{"unknown version", url.Values{"Version": {"2014-05-26"}}, 400, "InvalidVersion",
			"Specified parameter Version is not valid."},
		{"malformed version", url.Values{"Version": {"latest"}}, 400, "InvalidVersion", ""},
		{"unknown action", url.Values{"Action": {"DescribeInstances"}}, 404, "InvalidAction.NotFound",
			"Specified api is not found, please check your url and method."},
		{"action case matters", url.Values{"Action": {"describeflowlogs"}}, 404, "InvalidAction.NotFound", ""},
		{"bad signature method", url.Values{"SignatureMethod": {"HMAC-SHA256"}}, 400, "InvalidSignatureMethod", ""},
		{"bad signature version", url.Values{"SignatureVersion": {"2.0"}}, 400, "InvalidSignatureVersion", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := doRaw(t, srv, rawRequest{params: tt.params})
			assert.Equal(t, tt.status, resp.status)
			assert.Equal(t, tt.code, resp.str("Code"))
			if tt.message != "" {
				assert.Equal(t, tt.message, resp.str("Message"))
			}
		})
	}
}

func TestRPCTransportVariants(t *testing.T) {
	srv := newTestServer(t)
	t.Run("GET with query", func(t *testing.T) {
		resp := doRaw(t, srv, rawRequest{method: http.MethodGet})
		assert.Equal(t, http.StatusOK, resp.status, resp.raw)
	})
	t.Run("POST with form body", func(t *testing.T) {
		resp := doRaw(t, srv, rawRequest{inBody: true})
		assert.Equal(t, http.StatusOK, resp.status, resp.raw)
		assert.Equal(t, "true", resp.str("Success"))
	})
	t.Run("POST split between query and body", func(t *testing.T) {
		p := rawRequest{}.signedParams()
		body := url.Values{"PageSize": p["PageSize"], "Signature": p["Signature"], "RegionId": p["RegionId"]}
		p.Del("Signature")
		p.Del("RegionId")
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/?"+p.Encode(), strings.NewReader(body.Encode()))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		resp := sendHTTP(t, req)
		assert.Equal(t, http.StatusOK, resp.status, resp.raw)
	})
	t.Run("non-form body is ignored", func(t *testing.T) {
		p := rawRequest{}.signedParams()
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/?"+p.Encode(), strings.NewReader(`{"PageSize":"x"}`))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		resp := sendHTTP(t, req)
		assert.Equal(t, http.StatusOK, resp.status, resp.raw)
	})
	t.Run("PUT", func(t *testing.T) {
		resp := doRaw(t, srv, rawRequest{method: http.MethodPut})
		assert.Equal(t, http.StatusNotFound, resp.status)
		assert.Equal(t, "InvalidAction.NotFound", resp.str("Code"))
	})
	t.Run("malformed query", func(t *testing.T) {
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/?Action=%zz", nil)
		require.NoError(t, err)
		resp := sendHTTP(t, req)
		assert.Equal(t, http.StatusBadRequest, resp.status)
		assert.Equal(t, "InvalidParameter", resp.str("Code"))
	})
	t.Run("oversized body", func(t *testing.T) {
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader("a="+strings.Repeat("x", maxBodyBytes)))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp := sendHTTP(t, req)
		assert.Equal(t, http.StatusRequestEntityTooLarge, resp.status)
		assert.Equal(t, "RequestEntityTooLarge", resp.str("Code"))
	})
	assert.Equal(t, 4, srv.Calls("DescribeFlowLogs"))
}

// FuzzRPC feeds arbitrary parameter strings, correctly signed, through the
// whole stack (framing and VPC handlers). Whatever the input, the answer
// must be well-formed JSON with a non-5xx status: malformed input is the
// client's error, never the emulator's. `go test` runs the seed corpus.
func FuzzRPC(f *testing.F) {
	for _, seed := range []string{
		"Action=CreateFlowLog&ResourceType=NetworkInterface&ResourceId=eni-emu00000000000001&TrafficType=All&ProjectName=flowlog-emu&LogStoreName=flowlog-store",
		"Action=CreateFlowLog&ResourceType=VPC&ResourceId=vpc-&TrafficType=all&ProjectName=a&LogStoreName=b&AggregationInterval=1e3",
		"Action=CreateFlowLog&TrafficPath.0=all&TrafficPath.999999999999=x&Tag.1.Value=v&Tag.-1.Key=k&IpVersion=",
		"Action=DescribeFlowLogs&PageSize=99999999999999999999&PageNumber=-1",
		"Action=DescribeFlowLogs&PageNumber=9223372036854775807&PageSize=50",
		"Action=DescribeFlowLogs&Tags.1.Key=&Tags.2.Value=x&Status=Active&TrafficType=DROP",
		"Action=DeleteFlowLog&FlowLogId=fl-nope",
		"Action=ModifyFlowLogAttribute&FlowLogId=&AggregationInterval=5",
		"Action=ActiveFlowLog&RegionId=&FlowLogId=x",
		"Action=OpenFlowLogService&RegionId=cn-nowhere",
		"RegionId=%E4%B8%AD&Action=GetFlowLogServiceStatus",
		"Action=CreateFlowLog&FlowLogName=%FF%FE&Description=http://x",
	} {
		f.Add(seed)
	}
	srv := NewServer(WithActivationDelay(0))
	f.Cleanup(srv.Close)
	handler := http.HandlerFunc(srv.serveHTTP)
	f.Fuzz(func(t *testing.T, query string) {
		extra, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		p := rawRequest{params: extra}.signedParams()
		req := httptest.NewRequest(http.MethodPost, "/?"+p.Encode(), nil)
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("status %d for %q: %s", rec.Code, query, rec.Body)
		}
		assert.Contains(t, rec.Header().Get("Content-Type"), "application/json")
		assert.True(t, strings.HasPrefix(rec.Body.String(), "{"), rec.Body.String())
	})
}
