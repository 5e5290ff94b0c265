package aliyun_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/aliyun"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/internal/testkit"
)

// Distinctive credentials: none of them, nor the key IDs, may show in an
// error, a log line or a printed value. The token has the characters real
// STS tokens have (+ / =), so it is percent-encoded in requests.
const (
	secretKeyID   = "LTAI5tGoodKeyIdValue01"
	secretSecret  = "ali-secret-must-not-leak"
	wrongSecret   = "ali-wrong-secret-must-not-leak"
	secretSTSID   = "STS.NTgoodStsKeyIdValue02"
	secretToken   = "CAIS+sts/token=must-not-leak"
	wrongToken    = "CAISwrong-token-must-not-leak"
	unknownKeyID  = "LTAI5tUnknownKeyIdValue3"
	secretsMarker = "must-not-leak"
)

var allSecrets = []string{secretKeyID, secretSecret, wrongSecret, secretSTSID, secretToken, wrongToken, unknownKeyID, secretsMarker}

// TestSecretsNeverShow drives the adapter into every cheap class of failure
// and checks every text a caller can get: the error (Error, %v %+v %#v %s,
// slog, each wrapped error), the provider (fmt, slog) and the client's
// Debug log.
//
// The SDK's own *errors.ServerError for SignatureDoesNotMatch is the case
// to watch: its message ends with the server's string to sign, which holds
// the AccessKeyId and, with STS credentials, the SecurityToken, and its
// Error text repeats it. The mapper hands out a copy of it with the message
// redacted (internal/alirpc sanitize), so errors.As still reaches a
// *ServerError, and this test checks that copy like every other text.
func TestSecretsNeverShow(t *testing.T) {
	srv := flowlogtest.NewServer(
		flowlogtest.WithAlibabaCredential(secretKeyID, secretSecret),
		flowlogtest.WithSTSCredential(secretSTSID, secretSecret, secretToken),
		flowlogtest.WithActivationDelay(10*time.Millisecond))
	t.Cleanup(srv.Close)
	closed := testkit.ClosedAddr(t)

	provider := func(endpoint string, cred aliyun.Option) func(t *testing.T) driver.Provider {
		return func(t *testing.T) driver.Provider {
			p, err := aliyun.New(aliyun.WithEndpoint(endpoint), cred)
			require.NoError(t, err)
			return p
		}
	}
	sts := aliyun.WithSTSToken(secretSTSID, secretSecret, secretToken)
	create := func(ctx context.Context, c *flowlog.Client) error {
		_, err := c.Create(ctx, eniSpec(flowlogtest.DefaultNetworkInterfaceID))
		return err
	}
	auth := func(code string, status int) func(t *testing.T, err error) {
		return func(t *testing.T, err error) {
			fe := testkit.ClientError(t, err, flowlog.ErrUnauthenticated, code)
			assert.Equal(t, status, fe.HTTPStatus)
			assert.NotEmpty(t, fe.RequestID)
		}
	}
	// signatureMismatch checks the SignatureDoesNotMatch error, whose
	// message carries the redacted string to sign, and the SDK error
	// errors.As reaches.
	signatureMismatch := func(t *testing.T, err error) {
		auth("SignatureDoesNotMatch", 400)(t, err)
		var fe *flowlog.Error
		require.ErrorAs(t, err, &fe)
		assert.Contains(t, fe.Message, "string to sign")
		assert.Contains(t, fe.Message, "AccessKeyId%3DREDACTED")
		var se *sdkerrors.ServerError
		require.ErrorAs(t, err, &se, "errors.As still reaches the SDK's error type")
		assert.Equal(t, "SignatureDoesNotMatch", se.ErrorCode())
		assert.Equal(t, 400, se.HttpStatus())
		assert.Equal(t, fe.RequestID, se.RequestId())
		assert.Contains(t, se.Message(), "server string to sign is:POST&%2F&AccessKeyId%3DREDACTED%26")
		assert.Contains(t, se.Error(), "InvalidAccessKeySecret", "the SDK's diagnosis is kept")
		assert.NotEmpty(t, se.RespHeaders)
	}

	testkit.RunSecretCases(t, allSecrets, []testkit.SecretCase{
		{
			Name:     "wrong secret",
			Provider: provider(srv.URL, aliyun.WithAccessKey(secretKeyID, wrongSecret)),
			Call:     create, Check: signatureMismatch,
		},
		{
			// The string to sign holds the STS token here.
			Name:     "wrong secret with STS token",
			Provider: provider(srv.URL, aliyun.WithSTSToken(secretSTSID, wrongSecret, secretToken)),
			Call:     create,
			Check: func(t *testing.T, err error) {
				signatureMismatch(t, err)
				var se *sdkerrors.ServerError
				require.ErrorAs(t, err, &se)
				assert.Contains(t, se.Message(), "SecurityToken%3DREDACTED%26")
			},
		},
		{
			Name:     "unknown key",
			Provider: provider(srv.URL, aliyun.WithAccessKey(unknownKeyID, secretSecret)),
			Call:     create, Check: auth("InvalidAccessKeyId.NotFound", 404),
		},
		{
			Name:     "token mismatch",
			Provider: provider(srv.URL, aliyun.WithSTSToken(secretSTSID, secretSecret, wrongToken)),
			Call:     create, Check: auth("InvalidSecurityToken.MismatchWithAccessKey", 400),
		},
		{
			Name:     "missing token",
			Provider: provider(srv.URL, aliyun.WithAccessKey(secretSTSID, secretSecret)),
			Call:     create, Check: auth("MissingSecurityToken", 400),
		},
		{
			// The SDK's transport error quotes the signed URL.
			Name:     "closed port",
			Provider: provider("http://"+closed, sts),
			Call:     create,
			Check: func(t *testing.T, err error) {
				assert.ErrorIs(t, err, flowlog.ErrUnavailable)
				assert.Contains(t, errors.Unwrap(err).Error(), "SecurityToken=REDACTED&Signature=REDACTED&",
					"the wrapped url.Error keeps its URL, redacted")
			},
		},
		{
			Name:     "HTML 502",
			Provider: provider(srv.URL, sts),
			Setup: func(t *testing.T) {
				srv.InjectFaults(flowlogtest.FaultRule{Kinds: []flowlogtest.FaultKind{flowlogtest.FaultHTMLError}, Count: 1})
				t.Cleanup(srv.ClearFaults)
			},
			Attempts: 1, // a create that may have been applied is not simply resent
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
			// A *WaitError whose last poll error is a gateway's 502.
			Name:     "wait fails on describe errors",
			Provider: provider(srv.URL, sts),
			Setup: func(t *testing.T) {
				srv.InjectFaults(flowlogtest.FaultRule{Action: "DescribeFlowLogs",
					Kinds: []flowlogtest.FaultKind{flowlogtest.FaultHTMLError}, Count: 1000})
				t.Cleanup(srv.ClearFaults)
			},
			Call: func(ctx context.Context, c *flowlog.Client) error {
				_, err := c.CreateAndWait(ctx, eniSpec(flowlogtest.DefaultNetworkInterfaceID2), flowlog.MaxWait(200*time.Millisecond))
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

// TestEchoedRequestShowsNoSecret: a server that echoes the request in its
// error message, as a misconfigured proxy or a debug page does, must not
// get the key ID, the secret, the STS token or the request's signature into
// any text: the error, every error in its tree (the SDK's *ServerError that
// errors.As reaches included) or the client's Debug log. The emulator's
// echo (flowlogtest.FaultEcho: the URL with its query, the headers as lines
// and as JSON, the body) names every value; a proxy's table of names and
// values (testkit.TableEcho) names none where a pattern would look, so only masking
// by value hides them, including credentials a provider hands out after a
// refresh.
func TestEchoedRequestShowsNoSecret(t *testing.T) {
	const (
		refreshedID     = "STS.NTrefreshedKeyIdValue03"
		refreshedSecret = "ali-refreshed-secret-must-not-leak"
		refreshedToken  = "CAIS+refreshed/token=must-not-leak"
	)
	secrets := append([]string{refreshedID, refreshedSecret, refreshedToken}, allSecrets...)
	sts := aliyun.WithSTSToken(secretSTSID, secretSecret, secretToken)
	// The first call signs with one credential, the echoed one with the
	// refreshed credential.
	refreshing := aliyun.WithCredentialsProvider(&refreshingProvider{
		first: credentials.Credentials{AccessKeyId: secretSTSID, AccessKeySecret: secretSecret, SecurityToken: secretToken},
		later: credentials.Credentials{AccessKeyId: refreshedID, AccessKeySecret: refreshedSecret, SecurityToken: refreshedToken},
	})
	for _, tt := range []struct {
		name    string
		creds   aliyun.Option
		emulate bool // the emulator's FaultEcho, else testkit.TableEcho
	}{
		{"emulator's echo", sts, true},
		{"proxy's table", sts, false},
		{"proxy's table with refreshed credentials", refreshing, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := flowlogtest.NewServer(
				flowlogtest.WithSTSCredential(secretSTSID, secretSecret, secretToken),
				flowlogtest.WithSTSCredential(refreshedID, refreshedSecret, refreshedToken))
			t.Cleanup(srv.Close)
			echo := &testkit.TableEcho{}
			p, err := aliyun.New(aliyun.WithEndpoint(srv.URL), aliyun.WithHTTPTransport(echo), tt.creds)
			require.NoError(t, err)
			logger, logs := testkit.DebugLogger()
			c := flowlog.NewClient(p, flowlog.WithLogger(logger), flowlog.WithRetry(flowlog.MaxAttempts(1)))
			t.Cleanup(func() { c.Close() })
			ctx := context.Background()
			_, err = p.Describe(ctx, flowlogtest.DefaultRegion, []string{"fl-none"})
			require.NoError(t, err, "a first call, signed as the provider first says")

			if tt.emulate {
				srv.InjectFaults(flowlogtest.FaultRule{Kinds: []flowlogtest.FaultKind{flowlogtest.FaultEcho}, Count: 1})
			} else {
				echo.Next.Store(1)
			}
			_, err = c.Create(ctx, eniSpec(flowlogtest.DefaultNetworkInterfaceID))
			fe := testkit.ClientError(t, err, flowlog.ErrUnavailable, "ServiceUnavailable")
			assert.Equal(t, 503, fe.HTTPStatus)
			assert.Contains(t, fe.Message, "request was", "the echo is kept, masked")
			var se *sdkerrors.ServerError
			require.ErrorAs(t, err, &se, "errors.As still reaches the SDK's error type")
			assert.Equal(t, "ServiceUnavailable", se.ErrorCode())
			assert.Equal(t, fe.RequestID, se.RequestId())

			texts := testkit.ErrorTexts(err)
			texts["client log"] = logs.String()
			assert.Contains(t, texts["client log"], "ServiceUnavailable", "the failure is logged")
			testkit.AssertNoLeaks(t, texts, append(secrets, echo.Signatures()...)...)
		})
	}
}

// refreshingProvider hands out first on its first call and later on every
// call after, as a provider that refreshes an expiring STS token does.
type refreshingProvider struct {
	mu           sync.Mutex
	calls        int
	first, later credentials.Credentials
}

func (r *refreshingProvider) GetCredentials() (*credentials.Credentials, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	if r.calls == 1 {
		c := r.first
		return &c, nil
	}
	c := r.later
	return &c, nil
}

func (r *refreshingProvider) GetProviderName() string { return "refreshing" }

// TestProviderPrintsNoSecret checks what fmt and log/slog show of an
// adapter for each kind of credentials: the endpoint, the kind and at most
// the first four characters of the key ID.
func TestProviderPrintsNoSecret(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts []aliyun.Option
		want string
	}{
		{"static AccessKey", []aliyun.Option{aliyun.WithAccessKey(secretKeyID, secretSecret)},
			"aliyun (endpoint https://(SDK default), credentials static AccessKey LTAI****)"},
		{"STS token", []aliyun.Option{aliyun.WithSTSToken(secretSTSID, secretSecret, secretToken), aliyun.WithEndpoint("vpc.cn-shanghai.aliyuncs.com")},
			"aliyun (endpoint https://vpc.cn-shanghai.aliyuncs.com, credentials STS token STS.****)"},
		{"short key ID", []aliyun.Option{aliyun.WithAccessKey("LTAIshort", secretSecret), aliyun.WithEndpoint("http://127.0.0.1:9")},
			"aliyun (endpoint http://127.0.0.1:9, credentials static AccessKey ****)"},
		{"credentials provider", []aliyun.Option{aliyun.WithCredentialsProvider(valueProvider{id: secretKeyID, secret: secretSecret})},
			"aliyun (endpoint https://(SDK default), credentials credentials provider aliyun_test.valueProvider)"},
		{"default chain", nil,
			"aliyun (endpoint https://(SDK default), credentials default credentials chain)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := aliyun.New(tt.opts...)
			require.NoError(t, err)
			assert.Equal(t, tt.want, p.String())
			assert.Equal(t, tt.want, fmt.Sprintf("%v", p))
			assert.Equal(t, tt.want, fmt.Sprintf("%+v", p))
			assert.True(t, strings.HasPrefix(fmt.Sprintf("%#v", p), "&aliyun.Provider{endpoint:"), fmt.Sprintf("%#v", p))
			texts := testkit.ValueTexts(p)
			assert.Contains(t, texts["slog JSON"], `"v":{"name":"aliyun","endpoint":`)
			testkit.AssertNoLeaks(t, texts, allSecrets...)
		})
	}
	var nilProvider *aliyun.Provider
	assert.NotPanics(t, func() { _ = fmt.Sprintf("%v %#v", nilProvider, nilProvider) })
}

// valueProvider is a credentials provider held by value, with the secret in
// its fields: fmt would print them if it reached them.
type valueProvider struct{ id, secret string }

func (v valueProvider) GetCredentials() (*credentials.Credentials, error) {
	return &credentials.Credentials{AccessKeyId: v.id, AccessKeySecret: v.secret}, nil
}

func (v valueProvider) GetProviderName() string { return "value" }

// TestHTTPSEverywhere checks the scheme of every request the adapter sends:
// HTTPS without an endpoint and with a bare or https:// one; plain HTTP only
// for an explicit http:// endpoint. And the emulator, which speaks plain
// HTTP, gets no request when its address is given without a scheme.
func TestHTTPSEverywhere(t *testing.T) {
	rec := &testkit.SchemeRecorder{}
	for _, tt := range []struct{ endpoint, want string }{
		{"", "https://vpc.aliyuncs.com"},
		{"vpc.cn-shanghai.aliyuncs.com", "https://vpc.cn-shanghai.aliyuncs.com"},
		{"127.0.0.1:9", "https://127.0.0.1:9"},
		{"https://vpc.example.test:8443", "https://vpc.example.test:8443"},
		{"HTTPS://vpc.example.test", "https://vpc.example.test"},
		{"http://127.0.0.1:9", "http://127.0.0.1:9"},
		{"HTTP://127.0.0.1:9", "http://127.0.0.1:9"},
	} {
		t.Run(tt.endpoint, func(t *testing.T) {
			opts := []aliyun.Option{aliyun.WithHTTPTransport(rec), aliyun.WithAccessKey(secretKeyID, secretSecret)}
			if tt.endpoint != "" {
				opts = append(opts, aliyun.WithEndpoint(tt.endpoint))
			}
			p, err := aliyun.New(opts...)
			require.NoError(t, err)
			testkit.CallEverything(p, eniSpec(flowlogtest.DefaultNetworkInterfaceID), "fl-x")
			assert.Equal(t, []string{tt.want}, rec.URLs())
			if tt.endpoint != "" {
				assert.Contains(t, p.String(), "endpoint "+tt.want)
			}
		})
	}

	t.Run("emulator without scheme", func(t *testing.T) {
		srv := flowlogtest.NewServer(flowlogtest.WithAlibabaCredential(secretKeyID, secretSecret))
		defer srv.Close()
		p, err := aliyun.New(aliyun.WithEndpoint(srv.Endpoint()), aliyun.WithAccessKey(secretKeyID, secretSecret))
		require.NoError(t, err)
		_, err = flowlog.NewClient(p, oneAttempt).Create(context.Background(), eniSpec(flowlogtest.DefaultNetworkInterfaceID))
		require.Error(t, err, "TLS to a plain-HTTP server fails")
		assert.Zero(t, srv.Calls("CreateFlowLog"), "no plaintext request reached the emulator")
		testkit.AssertNoLeaks(t, testkit.ErrorTexts(err), allSecrets...)
	})
}
