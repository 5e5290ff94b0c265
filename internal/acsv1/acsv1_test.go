package acsv1

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Published vectors: sdk-internals.md §D (A1 from the ECS signature doc, A2
// from the "V2 RPC" doc, POST variants from third-party sources).
func vectorA1() url.Values {
	return url.Values{
		"AccessKeyId":      {"testid"},
		"Action":           {"DescribeRegions"},
		"Format":           {"XML"},
		"SignatureMethod":  {"HMAC-SHA1"},
		"SignatureNonce":   {"3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
		"SignatureVersion": {"1.0"},
		"Timestamp":        {"2016-02-23T12:46:24Z"},
		"Version":          {"2014-05-26"},
	}
}

func vectorA2() url.Values {
	return url.Values{
		"AccessKeyId":      {"testid"},
		"Action":           {"DescribeDedicatedHosts"},
		"Format":           {"JSON"},
		"RegionId":         {"cn-beijing"},
		"SignatureMethod":  {"HMAC-SHA1"},
		"SignatureNonce":   {"edb2b34af0af9a6d14deaf7c1a5315eb"},
		"SignatureVersion": {"1.0"},
		"Timestamp":        {"2023-03-13T08:34:30Z"},
		"Version":          {"2014-05-26"},
	}
}

func TestVectors(t *testing.T) {
	const a1STS = "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML" +
		"%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf" +
		"%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"

	tests := []struct {
		name    string
		method  string
		params  url.Values
		wantSTS string // checked when non-empty
		wantSig string
	}{
		{"A1 GET", "GET", vectorA1(), a1STS, "OLeaidS1JvxuMvnyHOwuJ+uX5qY="},
		{"A1p POST", "POST", vectorA1(), "POST" + a1STS[len("GET"):], "MxbnVAM4w6sft9xjVpe/GCKueuk="},
		{"A2 GET", "GET", vectorA2(), "", "9NaGiOspFP5UPcwX8Iwt2YJXXuk="},
		{"A2 POST", "POST", vectorA2(), "", "ZvQ9xGiFnquSJRvj+WE6kdSpTwU="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sts := StringToSign(tt.method, tt.params)
			if tt.wantSTS != "" {
				assert.Equal(t, tt.wantSTS, sts)
			}
			assert.Equal(t, tt.wantSig, Sign(sts, "testsecret"))
			assert.Equal(t, tt.wantSig, SignParams(tt.method, tt.params, "testsecret"))
			assert.True(t, Verify(sts, "testsecret", tt.wantSig))
			assert.False(t, Verify(sts, "wrongsecret", tt.wantSig))
		})
	}
}

func TestSignatureParamIsExcluded(t *testing.T) {
	p := vectorA1()
	p.Set("Signature", "OLeaidS1JvxuMvnyHOwuJ+uX5qY=")
	assert.Equal(t, "OLeaidS1JvxuMvnyHOwuJ+uX5qY=", SignParams("GET", p, "testsecret"))
	// The caller's map is not modified.
	assert.Equal(t, "OLeaidS1JvxuMvnyHOwuJ+uX5qY=", p.Get("Signature"))
}

func TestEmptyValuesAreSigned(t *testing.T) {
	// The Alibaba SDK always sends SignatureType= (empty) and signs it; a
	// verifier that drops empty parameters computes a different signature.
	with := vectorA2()
	with.Set("SignatureType", "")
	require.Contains(t, CanonicalQuery(with), "SignatureType=&")
	assert.NotEqual(t, SignParams("POST", vectorA2(), "testsecret"), SignParams("POST", with, "testsecret"))
	assert.Contains(t, StringToSign("POST", with), "%26SignatureType%3D%26")
}

func TestPercentEncode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"abcXYZ019-_.~", "abcXYZ019-_.~"},
		{"a b", "a%20b"},
		{"a*b", "a%2Ab"},
		{"a+b", "a%2Bb"},
		{"/", "%2F"},
		{"2016-02-23T12:46:24Z", "2016-02-23T12%3A46%3A24Z"},
		{"中", "%E4%B8%AD"},
		{"=&%", "%3D%26%25"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, PercentEncode(tt.in), "input %q", tt.in)
	}
}

func TestCanonicalQuery(t *testing.T) {
	p := url.Values{
		"b":   {"x y"},
		"a":   {"1*2", "~3"},
		"Tag": {"k=v"},
	}
	// Keys sorted byte-wise (upper case first), repeated values kept in order,
	// RFC 3986 escaping for space and star.
	assert.Equal(t, "Tag=k%3Dv&a=1%2A2&a=~3&b=x%20y", CanonicalQuery(p))
}
