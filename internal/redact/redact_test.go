package redact

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestString(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		secrets []string // must be gone
		keep    []string // must stay
		want    string   // exact output, when set
	}{
		{
			name: "empty",
			in:   "",
			want: "",
		},
		{
			name: "nothing secret",
			in:   "InvalidVpcId.NotFound: The specified VPC does not exist. Action=CreateFlowLog&NextToken=abc&SignatureMethod=HMAC-SHA1",
			want: "InvalidVpcId.NotFound: The specified VPC does not exist. Action=CreateFlowLog&NextToken=abc&SignatureMethod=HMAC-SHA1",
		},
		{
			name: "query parameters",
			in:   "AccessKeyId=LTAIabc&Signature=xyz&SecurityToken=tok",
			want: "AccessKeyId=REDACTED&Signature=REDACTED&SecurityToken=REDACTED",
		},
		{
			name: "Alibaba SDK transport error",
			in: `Post "http://127.0.0.1:1234/?AccessKeyId=LTAI5tXyz&Action=CreateFlowLog&Format=JSON` +
				`&Signature=abc%2Bdef%3D&SignatureMethod=HMAC-SHA1&SignatureNonce=n0nce&SecurityToken=CAIS1234secret` +
				`&Timestamp=2024-05-01T12%3A00%3A00Z&Version=2016-04-28": dial tcp 127.0.0.1:1234: connect: connection refused`,
			secrets: []string{"LTAI5tXyz", "abc%2Bdef", "CAIS1234secret"},
			keep: []string{
				`Post "http://127.0.0.1:1234/?AccessKeyId=REDACTED&Action=CreateFlowLog&Format=JSON&Signature=REDACTED&SignatureMethod=HMAC-SHA1`,
				"SignatureNonce=n0nce", "SecurityToken=REDACTED&Timestamp=2024-05-01T12%3A00%3A00Z&Version=2016-04-28\"",
				"connection refused",
			},
		},
		{
			name: "TC3 Authorization header",
			in: "TC3-HMAC-SHA256 Credential=AKIDxxx/2019-02-25/cvm/tc3_request, " +
				"SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
			want: "TC3-HMAC-SHA256 Credential=REDACTED/2019-02-25/cvm/tc3_request, " +
				"SignedHeaders=content-type;host, Signature=REDACTED",
		},
		{
			name:    "ACS3 Authorization header",
			in:      "ACS3-HMAC-SHA256 Credential=LTAI5tXyz,SignedHeaders=host;x-acs-action,Signature=06563a9e",
			secrets: []string{"LTAI5tXyz", "06563a9e"},
			keep:    []string{"SignedHeaders=host;x-acs-action"},
		},
		{
			name: "percent-encoded string to sign",
			in:   "server string to sign is:POST&%2F&AccessKeyId%3DLTAIabc%26Action%3DX",
			want: "server string to sign is:POST&%2F&AccessKeyId%3DREDACTED%26Action%3DX",
		},
		{
			// Parameters sorted as Alibaba signs them: SecurityToken follows
			// "%26", where "6S" has no word boundary.
			name: "percent-encoded secret after another parameter",
			in: "POST&%2F&AccessKeyId%3DLTAIabc%26Action%3DCreateFlowLog%26SecurityToken%3DCAIS%252Bsecret" +
				"%26SignatureMethod%3DHMAC-SHA1%26Timestamp%3D2024-05-01T12%253A00%253A00Z",
			want: "POST&%2F&AccessKeyId%3DREDACTED%26Action%3DCreateFlowLog%26SecurityToken%3DREDACTED" +
				"%26SignatureMethod%3DHMAC-SHA1%26Timestamp%3D2024-05-01T12%253A00%253A00Z",
		},
		{
			name: "adjacent percent-encoded secrets",
			in:   "AccessKeyId%3DLTAIabc%26SecurityToken%3Dtok%26Version%3D1",
			want: "AccessKeyId%3DREDACTED%26SecurityToken%3DREDACTED%26Version%3D1",
		},
		{
			name: "lower-case percent encoding",
			in:   "accesskeyid%3dLTAIabc%26action%3dX",
			want: "accesskeyid%3dREDACTED%26action%3dX",
		},
		{
			name: "doubly encoded",
			in:   "GET&%2F&AccessKeyId%253DLTAIabc%2526Action%253DX%2526SecurityToken%253Dtok%2526Timestamp%253D2024",
			want: "GET&%2F&AccessKeyId%253DREDACTED%2526Action%253DX%2526SecurityToken%253DREDACTED%2526Timestamp%253D2024",
		},
		{
			name: "secret at the end",
			in:   "x AccessKeyId%3DLTAIabc",
			want: "x AccessKeyId%3DREDACTED",
		},
		{
			name: "quoted values",
			in:   `url="https://h/?Signature=xyz" hdr='Token=tok'`,
			want: `url="https://h/?Signature=REDACTED" hdr='Token=REDACTED'`,
		},
		{
			name:    "JSON-escaped ampersand",
			in:      `{"url":"https://h/?a=1\u0026SecurityToken=tok\u0026b=2"}`,
			secrets: []string{"tok\\u0026b"},
			keep:    []string{`{"url":"https://h/?a=1\u0026SecurityToken=REDACTED`},
		},
		{
			name: "every secret parameter",
			in: "AccessKeyId=a1&AccessKeySecret=a2&Signature=a3&SecurityToken=a4&BearerToken=a5" +
				"&SecretId=a6&SecretKey=a7&Token=a8&X-TC-Token=a9",
			secrets: []string{"a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9"},
		},
		{
			name: "case-insensitive names",
			in:   "accesskeyid=LTAIabc&SIGNATURE=xyz",
			want: "accesskeyid=REDACTED&SIGNATURE=REDACTED",
		},
		{
			name: "a name inside a masked value",
			in:   "Signature=a-Token=b&Action=X",
			want: "Signature=REDACTED&Action=X",
		},
		{
			name: "empty value",
			in:   "Signature=&Action=X",
			want: "Signature=REDACTED&Action=X",
		},
		{
			name: "value spanning lines ends at the newline",
			in:   "Signature=xyz\nAction=X",
			want: "Signature=REDACTED\nAction=X",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := String(tt.in)
			if tt.want != "" || tt.in == "" {
				assert.Equal(t, tt.want, got)
			}
			for _, s := range tt.secrets {
				assert.NotContains(t, got, s)
			}
			for _, k := range tt.keep {
				assert.Contains(t, got, k)
			}
			assert.Equal(t, got, String(got), "idempotent")
		})
	}
}

func TestStringKeepsNonSecretParts(t *testing.T) {
	in := `Post "http://127.0.0.1:1234/?AccessKeyId=LTAI5tXyz&Action=CreateFlowLog&Signature=abc%2Bdef%3D` +
		`&SecurityToken=CAIS...&Timestamp=2024-05-01T12%3A00%3A00Z": connection refused`
	got := String(in)
	for _, s := range []string{"LTAI5tXyz", "abc%2Bdef%3D", "CAIS..."} {
		assert.NotContains(t, got, s)
	}
	for _, k := range []string{"Action=CreateFlowLog", "Timestamp=2024-05-01T12%3A00%3A00Z", "connection refused", "127.0.0.1:1234"} {
		assert.Contains(t, got, k)
	}
	assert.Equal(t, 3, strings.Count(got, Mask))
}

func FuzzStringNoPanic(f *testing.F) {
	f.Add("AccessKeyId%3DLTAIabc%26Action%3DX")
	f.Add("Signature=")
	f.Add("%253D%2526Token%253D")
	f.Fuzz(func(t *testing.T, s string) {
		got := String(s)
		if got != String(got) {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, got, String(got))
		}
	})
}
