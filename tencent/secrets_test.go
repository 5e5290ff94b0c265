package tencent_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	sdkerrors "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
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

	provider := func(endpoint string, cred tencent.Option) func(t *testing.T) driver.Provider {
		return func(t *testing.T) driver.Provider {
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
			fe := testkit.ClientError(t, err, flowlog.ErrUnauthenticated, code)
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
		{"provider held by value", []tencent.Option{tencent.WithCredentialsProvider(valueProvider{secretID, secretKey, secretToken})},
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

// More distinctive credentials, for a credential that refreshes itself.
const (
	rotatedID    = "AKIDrotatedSecretIdValue0000000000004"
	rotatedKey   = "tc-rotated-key-must-not-leak"
	rotatedToken = "tc-rotated/token+must-not-leak"
)

// rotatingCredential stands for a credential that refreshes itself, as the
// SDK's CVM role and OIDC role credentials do inside their getters: each
// call may return new values.
type rotatingCredential struct{ cur atomic.Pointer[[3]string] }

func newRotatingCredential(id, key, token string) *rotatingCredential {
	c := &rotatingCredential{}
	c.rotate(id, key, token)
	return c
}

func (c *rotatingCredential) rotate(id, key, token string) { c.cur.Store(&[3]string{id, key, token}) }
func (c *rotatingCredential) GetSecretId() string          { return c.cur.Load()[0] }
func (c *rotatingCredential) GetSecretKey() string         { return c.cur.Load()[1] }
func (c *rotatingCredential) GetToken() string             { return c.cur.Load()[2] }
func (c *rotatingCredential) GetCredential() (string, string, string) {
	v := c.cur.Load()
	return v[0], v[1], v[2]
}

// credentialProvider hands out one credential.
type credentialProvider struct{ cred common.CredentialIface }

func (p credentialProvider) GetCredential() (common.CredentialIface, error) { return p.cred, nil }

// sentHeaders records the signature and the token of every request.
type sentHeaders struct {
	mu         sync.Mutex
	signatures []string
	tokens     []string
}

func (s *sentHeaders) RoundTrip(r *http.Request) (*http.Response, error) {
	auth := r.Header.Get("Authorization")
	s.mu.Lock()
	if _, sig, ok := strings.Cut(auth, "Signature="); ok {
		s.signatures = append(s.signatures, sig)
	}
	s.tokens = append(s.tokens, r.Header.Get("X-TC-Token"))
	s.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

func (s *sentHeaders) sent() (signatures, tokens []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.signatures), slices.Clone(s.tokens)
}

// TestSecretsNeverShowInEchoes drives the adapter into a server error that
// quotes the whole request back (flowlogtest.FaultEcho: the URL, the
// headers as lines and as JSON, the body), and checks that no credential
// value and no signature the adapter sent shows in any text of the error,
// the SDK error errors.As reaches included, or in the client's Debug log:
// on a retried read, when the echo is the final error of a create, and
// after the credential refreshed itself to values the adapter had not
// signed with before.
func TestSecretsNeverShowInEchoes(t *testing.T) {
	srv := flowlogtest.NewServer(
		flowlogtest.WithTencentSTSCredential(stsID, secretKey, secretToken),
		flowlogtest.WithTencentSTSCredential(rotatedID, rotatedKey, rotatedToken))
	t.Cleanup(srv.Close)
	secrets := append(slices.Clone(allSecrets), rotatedID, rotatedKey, rotatedToken)

	get := func(ctx context.Context, c *flowlog.Client) error {
		_, err := c.Get(ctx, flowlogtest.DefaultTencentRegion, "fl-zzzzzzzz")
		return err
	}
	create := func(ctx context.Context, c *flowlog.Client) error {
		_, err := c.Create(ctx, eniSpec(flowlogtest.DefaultTencentNetworkInterfaceID))
		return err
	}
	for _, tc := range []struct {
		name     string
		attempts int
		call     func(context.Context, *flowlog.Client) error
		rotate   bool // refresh the credential before the echoed call
	}{
		{name: "retried read", attempts: 2, call: get},
		{name: "create, echo is the final error", attempts: 1, call: create},
		{name: "after a refresh", attempts: 1, call: create, rotate: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cred := newRotatingCredential(stsID, secretKey, secretToken)
			rec := &sentHeaders{}
			p, err := tencent.New(tencent.WithEndpoint(srv.URL), tencent.WithHTTPTransport(rec),
				tencent.WithCredentialsProvider(credentialProvider{cred}))
			require.NoError(t, err)
			logger, logs := testkit.DebugLogger()
			c := flowlog.NewClient(p, flowlog.WithLogger(logger),
				flowlog.WithRetry(flowlog.MaxAttempts(tc.attempts), flowlog.RetryDelays(time.Millisecond, time.Millisecond, time.Millisecond)))
			t.Cleanup(func() { c.Close() })
			ctx := context.Background()
			if tc.rotate {
				_, err := p.Describe(ctx, flowlogtest.DefaultTencentRegion, []string{"fl-zzzzzzzz"})
				require.NoError(t, err, "signed with the first values")
				cred.rotate(rotatedID, rotatedKey, rotatedToken)
			}
			srv.InjectFaults(flowlogtest.FaultRule{Kinds: []flowlogtest.FaultKind{flowlogtest.FaultEcho}, Count: tc.attempts})
			t.Cleanup(srv.ClearFaults)

			err = tc.call(ctx, c)
			fe := testkit.ClientError(t, err, flowlog.ErrUnavailable, "InternalError")
			assert.Equal(t, 200, fe.HTTPStatus)
			var sdkErr *sdkerrors.TencentCloudSDKError
			require.ErrorAs(t, err, &sdkErr, "errors.As reaches the SDK's error")
			assert.Equal(t, "InternalError", sdkErr.Code)
			assert.Contains(t, sdkErr.Message, "request was: POST", "the echo is kept, masked")

			if tc.rotate {
				_, tokens := rec.sent()
				assert.Equal(t, rotatedToken, tokens[len(tokens)-1], "the refreshed credential signed the call")
			}
			assertNoEchoedSecret(t, err, logs, rec, secrets)
		})
	}
}

// assertNoEchoedSecret checks every text of err and the log for secrets and
// for the signatures rec saw sent, by value.
func assertNoEchoedSecret(t *testing.T, err error, logs *testkit.LogBuffer, rec *sentHeaders, secrets []string) {
	t.Helper()
	signatures, _ := rec.sent()
	require.NotEmpty(t, signatures)
	texts := testkit.ErrorTexts(err)
	texts["client log"] = logs.String()
	assert.Contains(t, texts["client log"], `"level":"DEBUG"`, "the failure is logged")
	testkit.AssertNoLeaks(t, texts, append(slices.Clone(secrets), signatures...)...)
}

// TestSecretsNeverShowInForeignEchoes checks the masking by value against an
// echo no pattern knows: a debugging proxy that names the signature and the
// session token in prose and lists the headers as name/value objects.
func TestSecretsNeverShowInForeignEchoes(t *testing.T) {
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var headers []map[string]string
		for _, name := range slices.Sorted(maps.Keys(r.Header)) {
			headers = append(headers, map[string]string{"name": name, "value": r.Header.Get(name)})
		}
		list, _ := json.Marshal(headers)
		_, sig, _ := strings.Cut(r.Header.Get("Authorization"), "Signature=")
		body, _ := json.Marshal(map[string]any{"Response": map[string]any{
			"Error": map[string]string{"Code": "InternalError",
				"Message": "proxy: upstream timed out checking signature " + sig + " of session " + r.Header.Get("X-TC-Token") +
					"; request headers " + string(list)},
			"RequestId": "echo-request-2",
		}})
		_, _ = w.Write(body)
	}))
	t.Cleanup(echo.Close)
	rec := &sentHeaders{}
	// A token without "token=" in it: the pattern would mask the rest of
	// secretToken and hide a leak of its beginning.
	const plainToken = "tcPlainStsTokenValue-must-not-leak"
	p, err := tencent.New(tencent.WithEndpoint(echo.URL), tencent.WithHTTPTransport(rec),
		tencent.WithSTSToken(stsID, secretKey, plainToken))
	require.NoError(t, err)
	logger, logs := testkit.DebugLogger()
	c := flowlog.NewClient(p, flowlog.WithLogger(logger),
		flowlog.WithRetry(flowlog.MaxAttempts(2), flowlog.RetryDelays(time.Millisecond, time.Millisecond, time.Millisecond)))
	t.Cleanup(func() { c.Close() })

	_, err = c.Get(context.Background(), flowlogtest.DefaultTencentRegion, "fl-zzzzzzzz")
	testkit.ClientError(t, err, flowlog.ErrUnavailable, "InternalError")
	var sdkErr *sdkerrors.TencentCloudSDKError
	require.ErrorAs(t, err, &sdkErr)
	assert.Contains(t, sdkErr.Message, `"name":"X-Tc-Token","value":"REDACTED"`)
	assert.Contains(t, sdkErr.Message, "checking signature REDACTED of session REDACTED;")
	assertNoEchoedSecret(t, err, logs, rec, append(slices.Clone(allSecrets), plainToken))
}
