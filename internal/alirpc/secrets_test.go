package alirpc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/internal/testkit"
)

const (
	keyID  = "STS.NTkeyIdValue0123456"
	secret = "secret-must-not-leak"
	token  = "CAIS+token/value=must-not-leak"
)

// TestConfigPrintsNoSecret: Config holds the credentials; every fmt verb
// and log/slog show the kind of credentials and the endpoint only.
func TestConfigPrintsNoSecret(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts []Option
		want string
	}{
		{"STS", []Option{WithSTSToken(keyID, secret, token), WithEndpoint("http://127.0.0.1:9")},
			"alibaba cloud (endpoint http://127.0.0.1:9, credentials STS token STS.****)"},
		{"AccessKey", []Option{WithAccessKey("LTAI5tKeyIdValue0123", secret)},
			"alibaba cloud (endpoint https://(SDK default), credentials static AccessKey LTAI****)"},
		{"last credentials option wins", []Option{WithAccessKey("LTAI5tKeyIdValue0123", secret), WithCredentialsProvider(nil)},
			"alibaba cloud (endpoint https://(SDK default), credentials default credentials chain)"},
		{"endpoint with user information", []Option{WithEndpoint("https://user:" + secret + "@host")},
			"alibaba cloud (endpoint (invalid endpoint), credentials default credentials chain)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var c Config
			for _, o := range tt.opts {
				o(&c)
			}
			assert.Equal(t, tt.want, fmt.Sprint(c))
			assert.Equal(t, tt.want, fmt.Sprintf("%+v", &c))
			texts := testkit.ValueTexts(c)
			for k, v := range testkit.ValueTexts(&c) {
				texts["pointer "+k] = v
			}
			testkit.AssertNoLeaks(t, texts, keyID, secret, token, "must-not-leak")
		})
	}
}

// TestAPISummary: what the Providers print of the shared API names the kind
// of credentials and the endpoint, never a secret.
func TestAPISummary(t *testing.T) {
	api, err := NewAPI(Mapper{Provider: "aliyun"}, []Option{WithSTSToken(keyID, secret, token)}, vpc.NewClientWithOptions, nil)
	require.NoError(t, err)
	assert.Equal(t, "aliyun (endpoint https://(SDK default), credentials STS token STS.****)", api.Summary("aliyun.Provider", "").String())
	assert.Equal(t, "aliyun (endpoint https://vpc.example.test, credentials STS token STS.****)", api.Summary("aliyun.Provider", "vpc.example.test").String())
	testkit.AssertNoLeaks(t, testkit.ValueTexts(api.Summary("aliyun.Provider", "")), keyID, secret, token, "must-not-leak")
}

// TestSignatureMismatchIsSanitized: the SDK's SignatureDoesNotMatch error
// quotes the server's string to sign, with the AccessKeyId and the STS
// token. The mapper wraps a copy made with the SDK's constructor, message
// redacted, everything else kept.
func TestSignatureMismatchIsSanitized(t *testing.T) {
	stringToSign := "POST&%2F&AccessKeyId%3D" + keyID + "%26Action%3DCreateFlowLog%26SecurityToken%3DCAIS%252Btoken%252Fvalue%253Dmust-not-leak%26Version%3D2016-04-28"
	body, err := json.Marshal(map[string]any{
		"RequestId": "req-1", "HostId": "vpc.aliyuncs.com", "Code": "SignatureDoesNotMatch",
		"Recommend": "https://api.aliyun.com/troubleshoot?q=SignatureDoesNotMatch",
		"Message":   "Specified signature is not matched with our calculation. server string to sign is:" + stringToSign,
	})
	require.NoError(t, err)
	orig := sdkerrors.NewServerError(400, string(body), "InvalidAccessKeySecret: Please check you AccessKeySecret").(*sdkerrors.ServerError)
	orig.RespHeaders = map[string][]string{"X-Acs-Request-Id": {"req-1"}}
	require.NotEmpty(t, testkit.Leaks(orig.Error(), keyID, token), "the SDK's own text holds the key ID and the token")

	mapped := testMapper.Error(context.Background(), "CreateFlowLog", "", orig)
	var fe *driver.Error
	require.ErrorAs(t, mapped, &fe)
	assert.Equal(t, flowlog.CodeUnauthenticated, fe.Code)
	var se *sdkerrors.ServerError
	require.ErrorAs(t, mapped, &se)
	assert.NotSame(t, orig, se)
	assert.Equal(t, orig.ErrorCode(), se.ErrorCode())
	assert.Equal(t, orig.HttpStatus(), se.HttpStatus())
	assert.Equal(t, orig.RequestId(), se.RequestId())
	assert.Equal(t, orig.HostId(), se.HostId())
	assert.Equal(t, orig.Recommend(), se.Recommend())
	assert.Equal(t, orig.Comment(), se.Comment())
	assert.Equal(t, http.Header(orig.RespHeaders), http.Header(se.RespHeaders))
	assert.Equal(t, "Specified signature is not matched with our calculation. server string to sign is:"+
		"POST&%2F&AccessKeyId%3DREDACTED%26Action%3DCreateFlowLog%26SecurityToken%3DREDACTED%26Version%3D2016-04-28", se.Message())
	testkit.AssertNoLeaks(t, testkit.ErrorTexts(mapped), keyID, token, "must-not-leak")

	// An error with nothing to redact is wrapped as it is.
	plain := sdkerrors.NewServerError(404, `{"Code":"InvalidAccessKeyId.NotFound","Message":"Specified access key is not found.","RequestId":"r"}`, "")
	assert.Same(t, plain, errors.Unwrap(testMapper.Error(context.Background(), "CreateFlowLog", "", plain)))
}

// TestErrorsMaskCredentialsByValue: an error body that quotes the
// credentials and the signature without a name a pattern knows ("id |
// value", a response header) is scrubbed by value: the credentials the
// API's provider handed out, refreshed ones included, and the call's
// signatures. The SDK error errors.As reaches is a scrubbed copy.
func TestErrorsMaskCredentialsByValue(t *testing.T) {
	const refreshedToken, signature = "CAIS+refreshed/token-value", "n0tAReal/Signature+Value="
	api, err := NewAPI(Mapper{Provider: "aliyun"}, []Option{WithCredentialsProvider(&stsSequence{tokens: []string{token, refreshedToken}})},
		vpc.NewClientWithOptions, func(c *vpc.Client) *sdk.Client { return &c.Client })
	require.NoError(t, err)
	for range 2 { // what the SDK does before it signs each request
		_, err := api.caller.creds.(credentials.CredentialsProvider).GetCredentials()
		require.NoError(t, err)
	}

	body, err := json.Marshal(map[string]string{"RequestId": "req-1", "Code": "ServiceUnavailable",
		"Message": "request: id | " + keyID + " | secret | " + secret + " | token | " + refreshedToken + " | sig | " + signature})
	require.NoError(t, err)
	orig := sdkerrors.NewServerError(503, string(body), "").(*sdkerrors.ServerError)
	orig.RespHeaders = map[string][]string{"X-Upstream-Token": {token}, "X-Acs-Request-Id": {"req-1"}}
	mapped := api.Errs.Error(context.Background(), "CreateFlowLog", "", orig, signature)

	testkit.AssertNoLeaks(t, testkit.ErrorTexts(mapped), keyID, secret, token, refreshedToken, signature)
	var fe *driver.Error
	require.ErrorAs(t, mapped, &fe)
	assert.Equal(t, "request: id | REDACTED | secret | REDACTED | token | REDACTED | sig | REDACTED", fe.Message)
	var se *sdkerrors.ServerError
	require.ErrorAs(t, mapped, &se)
	assert.NotSame(t, orig, se)
	assert.Equal(t, fe.Message, se.Message())
	assert.Equal(t, "req-1", se.RequestId())
	assert.Equal(t, http.Header{"X-Upstream-Token": {"REDACTED"}, "X-Acs-Request-Id": {"req-1"}}, http.Header(se.RespHeaders))
}

// stsSequence hands out the STS credentials keyID/secret with each of
// tokens in turn, the last one for good: a provider refreshing its token.
type stsSequence struct {
	mu     sync.Mutex
	tokens []string
}

func (s *stsSequence) GetCredentials() (*credentials.Credentials, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tok := s.tokens[0]
	if len(s.tokens) > 1 {
		s.tokens = s.tokens[1:]
	}
	return &credentials.Credentials{AccessKeyId: keyID, AccessKeySecret: secret, SecurityToken: tok}, nil
}

func (s *stsSequence) GetProviderName() string { return "sequence" }
