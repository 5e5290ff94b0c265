package tc3

import (
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The published vectors (sdk-internals.md §D). All three sign the same
// DescribeInstances request of the "签名方法 v3" documentation: the payload is
// Python's json.dumps output, with the non-ASCII name as literal \u escapes.
const (
	vectorPayload     = `{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}`
	vectorPayloadHash = "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
	vectorTimestamp   = "1551113065"
	vectorDate        = "2019-02-25"
	vectorHost        = "cvm.tencentcloudapi.com"
	vectorContentType = "application/json; charset=utf-8"
)

// vectorRequest is the canonical request of T1/T2 (signed headers
// content-type;host) or T3 (plus x-tc-action).
func vectorRequest(withAction bool) CanonicalRequest {
	cr := CanonicalRequest{
		Method: "POST",
		Headers: map[string]string{
			"content-type": vectorContentType,
			"host":         vectorHost,
			"x-tc-action":  "DescribeInstances",
		},
		SignedHeaders: []string{"content-type", "host"},
		HashedPayload: HashHex([]byte(vectorPayload)),
	}
	if withAction {
		cr.SignedHeaders = append(cr.SignedHeaders, "x-tc-action")
	}
	return cr
}

func TestPayloadHash(t *testing.T) {
	// The Go literal keeps the backslashes: the vector signs the escapes as
	// they go on the wire.
	require.True(t, strings.Contains(vectorPayload, `\u672a`))
	assert.Equal(t, vectorPayloadHash, HashHex([]byte(vectorPayload)))
}

func TestVectorT1(t *testing.T) {
	cr := vectorRequest(false)
	assert.Equal(t, "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\n"+
		"content-type;host\n"+vectorPayloadHash, cr.String())
	assert.Equal(t, "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031", cr.Hash())

	assert.Equal(t, vectorDate, Date(1551113065))
	scope := CredentialScope(vectorDate, "cvm")
	assert.Equal(t, "2019-02-25/cvm/tc3_request", scope)
	sts := StringToSign(vectorTimestamp, scope, cr.Hash())
	assert.Equal(t, "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"+
		"5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031", sts)

	sig := Sign("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", vectorDate, "cvm", sts)
	assert.Equal(t, "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168", sig)

	auth := Authorization{
		SecretID:      "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
		Date:          vectorDate,
		Service:       "cvm",
		SignedHeaders: cr.SignedHeaders,
		Signature:     sig,
	}
	const header = "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, " +
		"SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
	assert.Equal(t, header, auth.String())
	parsed, err := ParseAuthorization(header)
	require.NoError(t, err)
	assert.Equal(t, auth, parsed)
}

func TestVectorT2(t *testing.T) {
	// The 2020-23 documentation masked the example key pair; taken
	// literally, the masked strings give this published signature.
	cr := vectorRequest(false)
	sts := StringToSign(vectorTimestamp, CredentialScope(vectorDate, "cvm"), cr.Hash())
	sig := Sign("Gu5t9xGARNpq86cd98joQYCN3*******", vectorDate, "cvm", sts)
	assert.Equal(t, "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c", sig)
	auth := Authorization{SecretID: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******", Date: vectorDate, Service: "cvm",
		SignedHeaders: []string{"content-type", "host"}, Signature: sig}
	parsed, err := ParseAuthorization(auth.String())
	require.NoError(t, err)
	assert.Equal(t, auth, parsed)
}

func TestVectorT3(t *testing.T) {
	// The current documentation signs x-tc-action too, with the header
	// value lower-cased in the canonical headers, and publishes the derived
	// keys. Its SecretKey is masked as 32 asterisks.
	cr := vectorRequest(true)
	assert.Equal(t, "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n"+
		"x-tc-action:describeinstances\n\ncontent-type;host;x-tc-action\n"+vectorPayloadHash, cr.String())
	assert.Equal(t, "7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84", cr.Hash())
	sts := StringToSign(vectorTimestamp, CredentialScope(vectorDate, "cvm"), cr.Hash())

	keys := DeriveKeys(strings.Repeat("*", 32), vectorDate, "cvm")
	assert.Equal(t, "da98fb70dcf6b112dc21038d1eeeb3a95c74b4dcb12c1131f864f6066bd02be0", hex.EncodeToString(keys.SecretDate))
	assert.Equal(t, "8d70cbefb03939f929db64d32dc2ba89b1095620119fe3e050e2b18c5bd2752f", hex.EncodeToString(keys.SecretService))
	assert.Equal(t, "b596b923aad85185e2d1f6659d2a062e0a86731226e021e61bfe06f7ed05f5af", hex.EncodeToString(keys.SecretSigning))

	// From the published SecretSigning alone, independent of the key.
	signing, err := hex.DecodeString("b596b923aad85185e2d1f6659d2a062e0a86731226e021e61bfe06f7ed05f5af")
	require.NoError(t, err)
	assert.Equal(t, "10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f", SignWithKey(signing, sts))
}

func vectorHTTPRequest(t *testing.T) *http.Request {
	t.Helper()
	r, err := http.NewRequest(http.MethodPost, "https://"+vectorHost+"/", strings.NewReader(vectorPayload))
	require.NoError(t, err)
	r.Header.Set("Content-Type", vectorContentType)
	r.Header.Set("X-TC-Action", "DescribeInstances")
	r.Header.Set(TimestampHeader, vectorTimestamp)
	return r
}

func TestSignAndVerifyHTTP(t *testing.T) {
	const id, key = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"
	r := vectorHTTPRequest(t)
	body := []byte(vectorPayload)
	require.NoError(t, SignRequest(r, body, id, key, "cvm", nil))
	// SignRequest reproduces vector T1 from an http.Request (host from the
	// URL, as on the client side).
	assert.Equal(t, "TC3-HMAC-SHA256 Credential="+id+"/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, "+
		"Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168", r.Header.Get("Authorization"))

	auth, err := ParseAuthorization(r.Header.Get("Authorization"))
	require.NoError(t, err)
	assert.True(t, Verify(r, body, auth, key))
	assert.False(t, Verify(r, body, auth, key+"x"), "wrong key")
	assert.False(t, Verify(r, []byte(vectorPayload+" "), auth, key), "tampered body")

	// The server sees the host in r.Host, port included.
	r.Host = vectorHost + ":8080"
	assert.False(t, Verify(r, body, auth, key), "host is signed")

	// Vector T3's signed-header set, signed and verified over HTTP.
	r = vectorHTTPRequest(t)
	require.NoError(t, SignRequest(r, body, id, key, "cvm", []string{"content-type", "host", "x-tc-action"}))
	auth, err = ParseAuthorization(r.Header.Get("Authorization"))
	require.NoError(t, err)
	assert.Equal(t, []string{"content-type", "host", "x-tc-action"}, auth.SignedHeaders)
	assert.True(t, Verify(r, body, auth, key))
	r.Header.Set("X-TC-Action", "RunInstances")
	assert.False(t, Verify(r, body, auth, key), "x-tc-action is signed")

	// Unsigned payload: the body is not covered.
	r = vectorHTTPRequest(t)
	r.Header.Set(ContentSHA256Header, UnsignedPayload)
	require.NoError(t, SignRequest(r, body, id, key, "cvm", nil))
	auth, err = ParseAuthorization(r.Header.Get("Authorization"))
	require.NoError(t, err)
	assert.True(t, Verify(r, []byte("anything"), auth, key))

	r.Header.Del(TimestampHeader)
	assert.Error(t, SignRequest(r, body, id, key, "cvm", nil))
}

func TestParseAuthorizationErrors(t *testing.T) {
	const sig = "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
	good := "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/vpc/tc3_request, SignedHeaders=content-type;host, Signature=" + sig
	_, err := ParseAuthorization(good)
	require.NoError(t, err)
	// Field order and spacing are free.
	a, err := ParseAuthorization("TC3-HMAC-SHA256 Signature=" + sig + ",SignedHeaders=content-type;host,Credential=AKID/2019-02-25/vpc/tc3_request")
	require.NoError(t, err)
	assert.Equal(t, "vpc", a.Service)

	tests := []struct{ name, header, reason string }{
		{"empty", "", "Algorithm"},
		{"other algorithm", strings.Replace(good, "TC3-HMAC-SHA256", "HMAC-SHA256", 1), "Algorithm"},
		{"no space", strings.Replace(good, "TC3-HMAC-SHA256 ", "TC3-HMAC-SHA256", 1), "Algorithm"},
		{"missing signature", "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/vpc/tc3_request, SignedHeaders=content-type;host", "`Signature` is missing"},
		{"duplicate field", good + ", Signature=" + sig, "more than once"},
		{"unknown field", good + ", Nonce=1", "unknown field"},
		{"not key=value", good + ", junk", "key=value"},
		{"short credential", strings.Replace(good, "/tc3_request", "", 1), "`Credential` not valid"},
		{"empty secret id", strings.Replace(good, "AKID", "", 1), "`SecretId`"},
		{"bad date", strings.Replace(good, "2019-02-25", "20190225", 1), "`Date`"},
		{"empty service", strings.Replace(good, "/vpc/", "//", 1), "`Service` in Credential not valid"},
		{"bad terminator", strings.Replace(good, "tc3_request", "aws4_request", 1), "`Terminator`"},
		{"upper-case header", strings.Replace(good, "content-type;host", "Content-Type;host", 1), "`SignedHeaders` not valid"},
		{"unsorted headers", strings.Replace(good, "content-type;host", "host;content-type", 1), "sorted"},
		{"duplicate header", strings.Replace(good, "content-type;host", "content-type;content-type;host", 1), "sorted"},
		{"empty header", strings.Replace(good, "content-type;host", "content-type;;host", 1), "`SignedHeaders` not valid"},
		{"host not signed", strings.Replace(good, "content-type;host", "content-type;x-tc-action", 1), "must include"},
		{"short signature", strings.Replace(good, sig, sig[:63], 1), "`Signature` not valid"},
		{"upper-case signature", strings.Replace(good, sig, strings.ToUpper(sig), 1), "`Signature` not valid"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseAuthorization(tc.header)
			var pe *ParseError
			require.True(t, errors.As(err, &pe), "got %v", err)
			assert.Contains(t, pe.Reason, tc.reason)
			assert.Contains(t, err.Error(), "malformed Authorization")
		})
	}
}

func TestCanonicalHeadersNormalise(t *testing.T) {
	cr := CanonicalRequest{
		Method:        "POST",
		Headers:       map[string]string{"content-type": "  Application/JSON ", "host": "VPC.TencentCloudAPI.com"},
		SignedHeaders: []string{"content-type", "host"},
	}
	assert.Equal(t, "content-type:application/json\nhost:vpc.tencentcloudapi.com\n", cr.CanonicalHeaders())
	// A signed header that is absent contributes an empty value.
	cr.SignedHeaders = append(cr.SignedHeaders, "x-tc-region")
	assert.Equal(t, "content-type:application/json\nhost:vpc.tencentcloudapi.com\nx-tc-region:\n", cr.CanonicalHeaders())
}
