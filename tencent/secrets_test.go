package tencent_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	sdkerrors "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/internal/testkit"
	"github.com/cloudflowlog/flowlog-go/tencent"
)

// Distinctive credentials: none of them, nor the SecretIds, may show in an
// error, a log line or a printed value.
const (
	secretID      = "AKIDgoodSecretIdValue0000000000000001"
	secretKey     = "tc-secret-key-must-not-leak"
	wrongKey      = "tc-wrong-key-must-not-leak"
	stsID         = "AKIDstsSecretIdValue00000000000000002"
	secretToken   = "tc+sts/token=must-not-leak"
	wrongToken    = "tc-wrong-token-must-not-leak"
	unknownID     = "AKIDunknownSecretIdValue000000000003"
	secretsMarker = "must-not-leak"
)

var allSecrets = []string{secretID, secretKey, wrongKey, stsID, secretToken, wrongToken, unknownID, secretsMarker}

// TestSecretsNeverShow drives the adapter into every cheap class of failure
// and checks every text a caller can get: the error (Error, %v %+v %#v %s,
// slog, each wrapped error, the SDK's *TencentCloudSDKError included), the
// provider (fmt, slog) and the client's Debug log. API 3.0 signs in
// headers, so the SDK's own texts hold no credential (its network errors
// quote the URL, which carries none); a gateway that quotes the
// Authorization header back is redacted in the SDK error the mapper hands
// out too.
func TestSecretsNeverShow(t *testing.T) {
	srv := flowlogtest.NewServer(
		flowlogtest.WithTencentCredential(secretID, secretKey),
		flowlogtest.WithTencentSTSCredential(stsID, secretKey, secretToken))
	t.Cleanup(srv.Close)
	closed := testkit.ClosedAddr(t)
	// echo answers every request with an API error quoting its
	// Authorization header, as a misconfigured proxy might.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := json.Marshal(map[string]any{"Response": map[string]any{
			"Error":     map[string]string{"Code": "AuthFailure.SignatureFailure", "Message": "refused Authorization " + r.Header.Get("Authorization")},
			"RequestId": "echo-request-1",
		}})
		_, _ = w.Write(body)
	}))
	t.Cleanup(echo.Close)

	provider := func(endpoint string, cred tencent.Option) func(t *testing.T) flowlog.Provider {
		return func(t *testing.T) flowlog.Provider {
			p, err := tencent.New(tencent.WithEndpoint(endpoint), cred)
			require.NoError(t, err)
			return p
		}
	}
	sts := tencent.WithSTSToken(stsID, secretKey, secretToken)
	create := func(ctx context.Context, c *flowlog.Client) error {
		_, err := c.Create(ctx, eniSpec(flowlogtest.DefaultTencentNetworkInterfaceID))
		return err
	}
	auth := func(code string) func(t *testing.T, err error) {
		return func(t *testing.T, err error) {
			fe := testkit.ProviderError(t, err, flowlog.ErrUnauthenticated, code, flowlog.RetryNever)
			assert.Equal(t, 200, fe.HTTPStatus, "Tencent answers API errors with HTTP 200")
			var sdkErr *sdkerrors.TencentCloudSDKError
			require.ErrorAs(t, err, &sdkErr, "errors.As reaches the SDK's error")
			assert.Equal(t, code, sdkErr.Code)
		}
	}

	testkit.RunSecretCases(t, allSecrets, []testkit.SecretCase{
		{
			Name:     "wrong secret key",
			Provider: provider(srv.URL, tencent.WithSecretKey(secretID, wrongKey)),
			Call:     create, Check: auth("AuthFailure.SignatureFailure"),
		},
		{
			Name:     "unknown SecretId",
			Provider: provider(srv.URL, tencent.WithSecretKey(unknownID, secretKey)),
			Call:     create, Check: auth("AuthFailure.SecretIdNotFound"),
		},
		{
			Name:     "token mismatch",
			Provider: provider(srv.URL, tencent.WithSTSToken(stsID, secretKey, wrongToken)),
			Call:     create, Check: auth("AuthFailure.TokenFailure"),
		},
		{
			Name:     "gateway quotes the Authorization header",
			Provider: provider(echo.URL, sts),
			Call:     create,
			Check: func(t *testing.T, err error) {
				auth("AuthFailure.SignatureFailure")(t, err)
				var sdkErr *sdkerrors.TencentCloudSDKError
				require.ErrorAs(t, err, &sdkErr)
				assert.Equal(t, "echo-request-1", sdkErr.RequestId)
				assert.Contains(t, sdkErr.Message, "Credential=REDACTED/")
				assert.Contains(t, sdkErr.Message, "Signature=REDACTED")
			},
		},
		{
			Name:     "closed port",
			Provider: provider("http://"+closed, sts),
			Call:     create,
			Check: func(t *testing.T, err error) {
				assert.ErrorIs(t, err, flowlog.ErrUnavailable)
			},
		},
		{
			Name:     "HTML 502",
			Provider: provider(srv.URL, sts),
			Setup: func(t *testing.T) {
				srv.InjectFaults(flowlogtest.FaultRule{Kinds: []flowlogtest.FaultKind{flowlogtest.FaultHTMLError}, Count: 1})
				t.Cleanup(srv.ClearFaults)
			},
			Attempts: 1, // CreateFlowLog has no client token: not simply resent
			Call:     create,
			Check: func(t *testing.T, err error) {
				assert.ErrorIs(t, err, flowlog.ErrUnavailable)
				var fe *flowlog.Error
				require.ErrorAs(t, err, &fe)
				assert.Equal(t, 502, fe.HTTPStatus)
				assert.NotContains(t, err.Error(), "<html")
			},
		},
		{
			Name:     "timeout",
			Provider: provider(srv.URL, sts),
			Setup: func(t *testing.T) {
				srv.InjectFaults(flowlogtest.FaultRule{Kinds: []flowlogtest.FaultKind{flowlogtest.FaultSlow}, Count: 1, Delay: 5 * time.Second})
				t.Cleanup(srv.ClearFaults)
			},
			Timeout: 100 * time.Millisecond,
			Call:    create,
			Check: func(t *testing.T, err error) {
				assert.ErrorIs(t, err, context.DeadlineExceeded)
			},
		},
		{
			Name:     "wait fails on describe errors",
			Provider: provider(srv.URL, sts),
			Setup: func(t *testing.T) {
				srv.InjectFaults(flowlogtest.FaultRule{Action: "Tencent.DescribeFlowLogs",
					Kinds: []flowlogtest.FaultKind{flowlogtest.FaultHTMLError}, Count: 1000})
				t.Cleanup(srv.ClearFaults)
			},
			Call: func(ctx context.Context, c *flowlog.Client) error {
				_, err := c.CreateAndWait(ctx, eniSpec(flowlogtest.DefaultTencentNetworkInterfaceID2), flowlog.MaxWait(200*time.Millisecond))
				return err
			},
			Check: func(t *testing.T, err error) {
				var we *flowlog.WaitError
				require.ErrorAs(t, err, &we)
				assert.ErrorIs(t, err, context.DeadlineExceeded)
				var fe *flowlog.Error
				require.ErrorAs(t, we.LastErr, &fe)
				assert.Equal(t, 502, fe.HTTPStatus)
			},
		},
	})
}

// valueProvider is a credential provider held by value with the secret in
// its fields: fmt would print them if it reached them (the adapter keeps
// the provider in a field until the first call resolves it).
type valueProvider struct{ id, key, token string }

func (v valueProvider) GetCredential() (common.CredentialIface, error) {
	return common.NewTokenCredential(v.id, v.key, v.token), nil
}

// TestProviderPrintsNoSecret checks what fmt and log/slog show of the
// adapter for each kind of credentials: the endpoint, the kind and at most
// the first four characters of the SecretId.
func TestProviderPrintsNoSecret(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts []tencent.Option
		want string
	}{
		{"static SecretKey", []tencent.Option{tencent.WithSecretKey(secretID, secretKey)},
			"tencent (endpoint https://vpc.tencentcloudapi.com, credentials static SecretKey AKID****)"},
		{"STS token, international", []tencent.Option{tencent.WithSTSToken(stsID, secretKey, secretToken), tencent.WithInternational()},
			"tencent (endpoint https://vpc.intl.tencentcloudapi.com, credentials STS token AKID****)"},
		{"explicit endpoint", []tencent.Option{tencent.WithSecretKey("AKIDshort", secretKey), tencent.WithEndpoint("http://127.0.0.1:9")},
			"tencent (endpoint http://127.0.0.1:9, credentials static SecretKey ****)"},
		{"provider held by value", []tencent.Option{tencent.WithCredentialProvider(valueProvider{secretID, secretKey, secretToken})},
			"tencent (endpoint https://vpc.tencentcloudapi.com, credentials credential provider tencent_test.valueProvider)"},
		{"default chain", nil,
			"tencent (endpoint https://vpc.tencentcloudapi.com, credentials default credential provider chain)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := tencent.New(tt.opts...)
			require.NoError(t, err)
			assert.Equal(t, tt.want, fmt.Sprintf("%v", p))
			assert.Equal(t, tt.want, fmt.Sprintf("%+v", p))
			assert.True(t, strings.HasPrefix(fmt.Sprintf("%#v", p), "&tencent.Provider{endpoint:"), fmt.Sprintf("%#v", p))
			texts := testkit.ValueTexts(p)
			assert.Contains(t, texts["slog JSON"], `"v":{"name":"tencent","endpoint":`)
			testkit.AssertNoLeaks(t, texts, allSecrets...)
		})
	}
	var nilProvider *tencent.Provider
	assert.NotPanics(t, func() { _ = fmt.Sprintf("%v %#v", nilProvider, nilProvider) })
}

// TestHTTPSEverywhere checks the scheme of every request the adapter sends:
// HTTPS by default, with WithInternational, and for a bare or https://
// endpoint; plain HTTP only for an explicit http:// endpoint, which wins
// over WithInternational. The plain-HTTP emulator gets no request when its
// address is given without a scheme.
func TestHTTPSEverywhere(t *testing.T) {
	rec := &testkit.SchemeRecorder{}
	for _, tt := range []struct {
		name string
		opts []tencent.Option
		want string
	}{
		{"default", nil, "https://vpc.tencentcloudapi.com"},
		{"international", []tencent.Option{tencent.WithInternational()}, "https://vpc.intl.tencentcloudapi.com"},
		{"bare host", []tencent.Option{tencent.WithEndpoint("127.0.0.1:9")}, "https://127.0.0.1:9"},
		{"bare host, international", []tencent.Option{tencent.WithInternational(), tencent.WithEndpoint("vpc.example.test")}, "https://vpc.example.test"},
		{"https", []tencent.Option{tencent.WithEndpoint("https://vpc.example.test:8443")}, "https://vpc.example.test:8443"},
		{"http", []tencent.Option{tencent.WithEndpoint("http://127.0.0.1:9")}, "http://127.0.0.1:9"},
		{"http, international", []tencent.Option{tencent.WithEndpoint("http://127.0.0.1:9"), tencent.WithInternational()}, "http://127.0.0.1:9"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			opts := append([]tencent.Option{tencent.WithHTTPTransport(rec), tencent.WithSecretKey(secretID, secretKey)}, tt.opts...)
			p, err := tencent.New(opts...)
			require.NoError(t, err)
			testkit.CallEverything(p, eniSpec(flowlogtest.DefaultTencentNetworkInterfaceID), "fl-x")
			assert.Equal(t, []string{tt.want}, rec.URLs())
			assert.Contains(t, p.String(), "endpoint "+tt.want)
		})
	}

	t.Run("emulator without scheme", func(t *testing.T) {
		srv := flowlogtest.NewServer(flowlogtest.WithTencentCredential(secretID, secretKey))
		defer srv.Close()
		p, err := tencent.New(tencent.WithEndpoint(srv.Endpoint()), tencent.WithSecretKey(secretID, secretKey))
		require.NoError(t, err)
		_, err = flowlog.NewClient(p, flowlog.WithRetry(flowlog.MaxAttempts(1))).Create(context.Background(),
			eniSpec(flowlogtest.DefaultTencentNetworkInterfaceID))
		require.Error(t, err, "TLS to a plain-HTTP server fails")
		assert.Zero(t, srv.Calls("Tencent.CreateFlowLog"), "no plaintext request reached the emulator")
		testkit.AssertNoLeaks(t, testkit.ErrorTexts(err), allSecrets...)
	})
}
