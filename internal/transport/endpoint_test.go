package transport

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEndpointDisplay(t *testing.T) {
	for _, tt := range []struct{ in, def, want string }{
		{"", "", "https://(SDK default)"},
		{"", "cbn.aliyuncs.com", "https://cbn.aliyuncs.com"},
		{"vpc.example.test", "cbn.aliyuncs.com", "https://vpc.example.test"},
		{"127.0.0.1:9", "", "https://127.0.0.1:9"},
		{"HTTP://127.0.0.1:9", "x", "http://127.0.0.1:9"},
	} {
		ep, err := ParseEndpoint(tt.in)
		require.NoError(t, err)
		assert.Equal(t, tt.want, ep.Display(tt.def), tt.in)
	}
	assert.Equal(t, "https://x", Endpoint{Host: "x"}.Display(""), "the zero scheme is HTTPS")
}

// TestEndpointErrorsHoldNoCredentials: an endpoint with user information or
// a signed query is refused without quoting the credential.
func TestEndpointErrorsHoldNoCredentials(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"https://user:pass-must-not-leak@host", `endpoint "https://REDACTED@host": want scheme://host[:port] with nothing after the host`},
		{"admin:pass-must-not-leak@host:8443", `endpoint "https://REDACTED@host:8443": want scheme://host[:port] with nothing after the host`},
		{"https://host/?Signature=sig-must-not-leak&AccessKeyId=LTAIkey-must-not-leak", `endpoint "https://host/?Signature=REDACTED&AccessKeyId=REDACTED": want scheme://host[:port] with nothing after the host`},
		{"ftp://u:pass-must-not-leak@host", `endpoint "ftp://REDACTED@host": want scheme://host[:port] with nothing after the host`},
		{"https://u:pass-must-not-leak@ho st", `endpoint "https://REDACTED@ho st": invalid character " " in host name`},
		{"https://u:pass%zz-must-not-leak@host", `endpoint "https://REDACTED@host": invalid URL escape "%zz"`},
		{"https://host:port", `endpoint "https://host:port": invalid port ":port" after host`},
	} {
		_, err := ParseEndpoint(tt.in)
		require.Error(t, err, tt.in)
		assert.Equal(t, tt.want, err.Error(), tt.in)
		assert.NotContains(t, err.Error(), "must-not-leak")
	}
}
