package acs3

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The vectors come from /work/shared/research/acs3-and-lifecycle-apis.md
// §1.6. Their expected values were not produced by this package: they were
// computed independently (by a signer written from the documentation and
// cross-checked with two SDK functions, openapi-util v0.1.1
// service.GetAuthorization and darabonba-openapi v2.1.13
// utils.GetAuthorization), so agreeing with them is evidence, not a
// tautology.
//
//   - V1 is the worked example of Alibaba's "V3 request structure and
//     signature" page (its fixed inputs; the page's final HTTP listing shows
//     another date and nonce, which do not match the signature).
//   - V2 is openapi-util's own unit test (service_test.go
//     Test_GetAuthorization): an unset method, one header in two
//     spellings, a parameter with an empty value.
//   - V3 (VPC ModifyFlowLogAttribute with STS, a query needing every
//     encoding rule) and V4 (Cbn ModifyFlowLogAttribute with a form body and
//     mixed-case header names) were made for this project by the notes'
//     author and checked against both SDK functions.
type vector struct {
	name    string
	req     Request
	secret  string
	akID    string
	signed  string // SignedHeaders
	query   string // CanonicalQueryString, checked when non-empty
	hashed  string // HashedCanonicalRequest
	wantSig string
}

func vectors() []vector {
	const (
		v34Date   = "2026-01-15T08:30:00Z"
		v34Secret = "FlowlogTestSecret0123456789abc"
		v4Body    = "CenId=cen-7qthudw0ll6jmctest&ClientToken=0c593ea1-3bea-11e9-b96b-88e9fe637760&Description=new%20desc&FlowLogId=flowlog-m5evbtbpttest&FlowLogName=fl-2&Interval=60&RegionId=cn-hangzhou"
	)
	return []vector{
		{
			name: "V1 official doc example",
			req: Request{
				Method: "POST",
				Path:   "/",
				Query: url.Values{
					"ImageId":  {"win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"},
					"RegionId": {"cn-shanghai"},
				},
				Header: http.Header{
					"Host":                  {"ecs.cn-shanghai.aliyuncs.com"},
					"X-Acs-Action":          {"RunInstances"},
					"X-Acs-Version":         {"2014-05-26"},
					"X-Acs-Date":            {"2023-10-26T10:22:32Z"},
					"X-Acs-Signature-Nonce": {"3156853299f313e23d1673dc12e1703d"},
					"X-Acs-Content-Sha256":  {EmptyPayloadHash},
				},
				PayloadHash: EmptyPayloadHash,
			},
			secret:  "YourAccessKeySecret",
			akID:    "YourAccessKeyId",
			signed:  "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version",
			query:   "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai",
			hashed:  "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259",
			wantSig: "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0",
		},
		{
			name: "V2 SDK unit test",
			req: Request{
				Query: url.Values{"test": {"ok"}, "empty": {""}},
				// Both spellings on purpose: the SDK merges them into one
				// line, values sorted.
				Header:      http.Header{"x-acs-test": {"http"}, "x-acs-TEST": {"https"}},
				PayloadHash: "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23",
			},
			secret:  "secret",
			akID:    "acesskey",
			signed:  "x-acs-test",
			query:   "empty=&test=ok",
			hashed:  "de5b11a1e2e756c1d859871395fe0b6d47f2564e88a5477eb586c03c6fc105ff",
			wantSig: "4ab59fffe3c5738ff8a2729f90cc04fe18b02a4b15b2102cbaf92f9ff3df2ea3",
		},
		{
			name: "V3 VPC with STS",
			req: Request{
				Method: "POST",
				Path:   "/",
				Query: url.Values{
					"RegionId":            {"cn-hangzhou"},
					"FlowLogId":           {"fl-bp1m2x3y4z5test0001"},
					"FlowLogName":         {"fl name"},
					"Description":         {"flow log * test ~ 中文 + a/b"},
					"AggregationInterval": {"5"},
				},
				Header: http.Header{
					"Host":                  {"vpc.aliyuncs.com"},
					"X-Acs-Action":          {"ModifyFlowLogAttribute"},
					"X-Acs-Version":         {"2016-04-28"},
					"X-Acs-Date":            {v34Date},
					"X-Acs-Signature-Nonce": {"6a1f3c9e2b7d4e5f8a0b1c2d3e4f5a6b"},
					"X-Acs-Content-Sha256":  {EmptyPayloadHash},
					"X-Acs-Accesskey-Id":    {"STS.NTestStsAccessKeyId"},
					"X-Acs-Security-Token":  {"CAIStestSecurityToken+/=="},
					// Sent but not signed.
					"User-Agent": {"AlibabaCloud (linux; amd64) Go/go1.26 Core/2.1.13"},
					"Accept":     {"application/json"},
				},
				PayloadHash: EmptyPayloadHash,
			},
			secret: v34Secret,
			akID:   "STS.NTestStsAccessKeyId",
			signed: "host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version",
			query: "AggregationInterval=5&Description=flow%20log%20%2A%20test%20~%20%E4%B8%AD%E6%96%87%20%2B%20a%2Fb" +
				"&FlowLogId=fl-bp1m2x3y4z5test0001&FlowLogName=fl%20name&RegionId=cn-hangzhou",
			hashed:  "135dd3ef701d7bed4bd2ade4d5b7e13c2d1fb0a64bb5e1d0d5893c7eb7cd3d93",
			wantSig: "93d355146e15060c676e6f1e4ce42e2c446951083e912464021e87cee840c5de",
		},
		{
			name: "V4 Cbn form body",
			req: Request{
				Method: "POST",
				Path:   "/",
				Query:  url.Values{},
				Header: http.Header{
					"Host":                  {"cbn.aliyuncs.com"},
					"X-Acs-Action":          {"ModifyFlowLogAttribute"},
					"Content-Type":          {"application/x-www-form-urlencoded"},
					"x-acs-version":         {"2017-09-12"},
					"x-acs-date":            {v34Date},
					"x-acs-signature-nonce": {"0f9e8d7c6b5a49382716a5b4c3d2e1f0"},
					"x-acs-content-sha256":  {HashPayload([]byte(v4Body))},
				},
				PayloadHash: HashPayload([]byte(v4Body)),
			},
			secret:  v34Secret,
			akID:    "LTAI5tFlowlogTestAK",
			signed:  "content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version",
			hashed:  "7e70dc1f51357e6bd1084afa4ba145c5884e31b9d9286f3d902f268f4a762b31",
			wantSig: "12cc8ed3c33c7b46313042df66f6ed6ece50bb0c02ece57c3ca75ad328b2b2f2",
		},
	}
}

func TestVectors(t *testing.T) {
	for _, v := range vectors() {
		t.Run(v.name, func(t *testing.T) {
			signed := SignedHeaderNames(v.req.Header)
			require.Equal(t, v.signed, strings.Join(signed, ";"), "SignedHeaders")
			if v.query != "" {
				assert.Equal(t, v.query, CanonicalQuery(v.req.Query))
			}
			sts := StringToSign(CanonicalRequest(v.req, signed))
			assert.Equal(t, Algorithm+"\n"+v.hashed, sts)
			sig := Sign(sts, v.secret)
			assert.Equal(t, v.wantSig, sig)
			assert.True(t, Verify(sts, v.secret, v.wantSig))
			assert.False(t, Verify(sts, v.secret+"x", v.wantSig))

			// The header a client sends parses back to what was signed.
			auth := Authorization{Algorithm: Algorithm, Credential: v.akID, SignedHeaders: signed, Signature: sig}
			parsed, err := ParseAuthorization(auth.String())
			require.NoError(t, err)
			assert.Equal(t, auth, parsed)
		})
	}
}

// TestV4BodyHash pins the body hash the notes give, so that V4 checks
// HashPayload too.
func TestV4BodyHash(t *testing.T) {
	assert.Equal(t, "025fd2a97d5555a0468f8a3b962a2ef9ff3d423a7938dcd65b7a1a76044fda90",
		vectors()[3].req.PayloadHash)
	assert.Equal(t, EmptyPayloadHash, HashPayload(nil))
}

// TestV3FromTheWire decodes the query as a Go client writes it (url.Values
// encoding: "+" for a space, "*" and "~" left alone) and still gets V3's
// canonical query and signature: a verifier must not sign the wire bytes.
func TestV3FromTheWire(t *testing.T) {
	v := vectors()[2]
	wire := v.req.Query.Encode()
	require.Contains(t, wire, "Description=flow+log+%2A+test+~+")
	q, err := url.ParseQuery(wire)
	require.NoError(t, err)
	v.req.Query = q
	// net/http on the server side canonicalizes header names and moves
	// Host out of Header.
	v.req.Host = v.req.Header.Get("Host")
	v.req.Header.Del("Host")
	signed := strings.Split(v.signed, ";")
	assert.Equal(t, v.query, CanonicalQuery(q))
	assert.True(t, Verify(StringToSign(CanonicalRequest(v.req, signed)), v.secret, v.wantSig))
}

func TestCanonicalHeadersTrimAndMerge(t *testing.T) {
	r := Request{
		Host:   " example.com:8080 ",
		Header: http.Header{"X-Acs-Multi": {" b ", "a"}, "X-Acs-Empty": {""}},
	}
	assert.Equal(t, "host:example.com:8080\nx-acs-empty:\nx-acs-missing:\nx-acs-multi:a,b\n",
		CanonicalHeaders(r, []string{"host", "x-acs-empty", "x-acs-missing", "x-acs-multi"}))
}

func TestCanonicalQueryRepeatedNames(t *testing.T) {
	// Repeated names are ordered by value; names sort before values.
	q := url.Values{"b": {"2", "1"}, "a": {""}, "a.b": {"x y"}}
	assert.Equal(t, "a=&a.b=x%20y&b=1&b=2", CanonicalQuery(q))
	assert.Equal(t, "", CanonicalQuery(nil))
}

func TestParseAuthorization(t *testing.T) {
	good := "ACS3-HMAC-SHA256 Credential=LTAIx,SignedHeaders=host;x-acs-action,Signature=abc"
	a, err := ParseAuthorization(good)
	require.NoError(t, err)
	assert.Equal(t, Authorization{
		Algorithm: Algorithm, Credential: "LTAIx",
		SignedHeaders: []string{"host", "x-acs-action"}, Signature: "abc",
	}, a)
	assert.Equal(t, good, a.String())

	// Another algorithm parses; the caller decides it is unsupported.
	a, err = ParseAuthorization("ACS3-HMAC-SM3 Credential=k,SignedHeaders=host,Signature=s")
	require.NoError(t, err)
	assert.Equal(t, "ACS3-HMAC-SM3", a.Algorithm)

	for _, bad := range []string{
		"",
		"ACS3-HMAC-SHA256",
		"ACS3-HMAC-SHA256 ",
		" Credential=k,SignedHeaders=host,Signature=s",
		"ACS3-HMAC-SHA256 Credential=k, SignedHeaders=host, Signature=s", // spaces after commas
		"ACS3-HMAC-SHA256  Credential=k,SignedHeaders=host,Signature=s",  // two spaces
		"ACS3-HMAC-SHA256 Credential=,SignedHeaders=host,Signature=s",
		"ACS3-HMAC-SHA256 Credential=k,SignedHeaders=,Signature=s",
		"ACS3-HMAC-SHA256 Credential=k,SignedHeaders=host,Signature=",
		"ACS3-HMAC-SHA256 Credential=k,SignedHeaders=host",
		"ACS3-HMAC-SHA256 Credential=k,SignedHeaders=host,Signature=s,Extra=1",
		"ACS3-HMAC-SHA256 SignedHeaders=host,Credential=k,Signature=s", // order
		"ACS3-HMAC-SHA256 Credential=k,SignedHeaders=x-acs-date;host,Signature=s",
		"ACS3-HMAC-SHA256 Credential=k,SignedHeaders=host;host,Signature=s",
		"ACS3-HMAC-SHA256 Credential=k,SignedHeaders=Host,Signature=s",
		"ACS3-HMAC-SHA256 Credential=k,SignedHeaders=host;;x-acs-date,Signature=s",
		"ACS3-HMAC-SHA256 Credential=k,SignedHeaders=ho st,Signature=s",
	} {
		_, err := ParseAuthorization(bad)
		assert.ErrorIs(t, err, ErrMalformedAuthorization, "%q", bad)
	}
}

func TestSignedHeaderNames(t *testing.T) {
	h := http.Header{
		"Host": {"h"}, "Content-Type": {"x"}, "content-type": {"y"}, "X-Acs-Date": {"d"},
		"User-Agent": {"ua"}, "Accept": {"*/*"}, "X-Other": {"o"}, "Content-Length": {"0"},
	}
	assert.Equal(t, []string{"content-type", "host", "x-acs-date"}, SignedHeaderNames(h))
	assert.Empty(t, SignedHeaderNames(nil))
}
