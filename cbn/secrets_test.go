package cbn_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/cbn"
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
	secretSecret  = "cen-secret-must-not-leak"
	wrongSecret   = "cen-wrong-secret-must-not-leak"
	secretSTSID   = "STS.NTgoodStsKeyIdValue02"
	secretToken   = "CAIS+sts/token=must-not-leak"
	wrongToken    = "CAISwrong-token-must-not-leak"
	unknownKeyID  = "LTAI5tUnknownKeyIdValue3"
	secretsMarker = "must-not-leak"
)

var allSecrets = []string{secretKeyID, secretSecret, wrongSecret, secretSTSID, secretToken, wrongToken, unknownKeyID, secretsMarker}

// TestSecretsNeverShow drives the CEN adapter into every cheap class of
// failure and checks every text a caller can get: the error (Error, %v %+v
// %#v %s, slog, each wrapped error, the SDK's sanitized *ServerError
// included), the provider (fmt, slog) and the client's Debug log. See the
// aliyun package's test of the same name for SignatureDoesNotMatch.
func TestSecretsNeverShow(t *testing.T) {
	srv := flowlogtest.NewServer(
		flowlogtest.WithAlibabaCredential(secretKeyID, secretSecret),
		flowlogtest.WithSTSCredential(secretSTSID, secretSecret, secretToken),
		flowlogtest.WithActivationDelay(10*time.Millisecond))
	t.Cleanup(srv.Close)
	closed := testkit.ClosedAddr(t)

	provider := func(endpoint string, cred cbn.Option) func(t *testing.T) driver.Provider {
		return func(t *testing.T) driver.Provider {
			p, err := cbn.New(cbn.WithEndpoint(endpoint), cred)
			require.NoError(t, err)
			return p
		}
	}
	sts := cbn.WithSTSToken(secretSTSID, secretSecret, secretToken)
	create := func(ctx context.Context, c *flowlog.Client) error {
		_, err := c.Create(ctx, attachmentSpec(flowlogtest.DefaultTransitRouterAttachmentID))
		return err
	}
	auth := func(code string, status int) func(t *testing.T, err error) {
		return func(t *testing.T, err error) {
			fe := testkit.ClientError(t, err, flowlog.ErrUnauthenticated, code)
			assert.Equal(t, status, fe.HTTPStatus)
		}
	}
	signatureMismatch := func(t *testing.T, err error) {
		auth("SignatureDoesNotMatch", 400)(t, err)
		var se *sdkerrors.ServerError
		require.ErrorAs(t, err, &se, "errors.As still reaches the SDK's error type")
		assert.Equal(t, "SignatureDoesNotMatch", se.ErrorCode())
		assert.Contains(t, se.Message(), "AccessKeyId%3DREDACTED%26")
	}

	testkit.RunSecretCases(t, allSecrets, []testkit.SecretCase{
		{
			Name:     "wrong secret",
			Provider: provider(srv.URL, cbn.WithAccessKey(secretKeyID, wrongSecret)),
			Call:     create, Check: signatureMismatch,
		},
		{
			Name:     "wrong secret with STS token",
			Provider: provider(srv.URL, cbn.WithSTSToken(secretSTSID, wrongSecret, secretToken)),
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
			Provider: provider(srv.URL, cbn.WithAccessKey(unknownKeyID, secretSecret)),
			Call:     create, Check: auth("InvalidAccessKeyId.NotFound", 404),
		},
		{
			Name:     "token mismatch",
			Provider: provider(srv.URL, cbn.WithSTSToken(secretSTSID, secretSecret, wrongToken)),
			Call:     create, Check: auth("InvalidSecurityToken.MismatchWithAccessKey", 400),
		},
		{
			Name:     "closed port",
			Provider: provider("http://"+closed, sts),
			Call:     create,
			Check: func(t *testing.T, err error) {
				assert.ErrorIs(t, err, flowlog.ErrUnavailable)
				assert.Contains(t, errors.Unwrap(err).Error(), "Signature=REDACTED&")
			},
		},
		{
			Name:     "HTML 502",
			Provider: provider(srv.URL, sts),
			Setup: func(t *testing.T) {
				srv.InjectFaults(flowlogtest.FaultRule{Kinds: []flowlogtest.FaultKind{flowlogtest.FaultHTMLError}, Count: 1})
				t.Cleanup(srv.ClearFaults)
			},
			Attempts: 1,
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
				srv.InjectFaults(flowlogtest.FaultRule{Action: "DescribeFlowlogs",
					Kinds: []flowlogtest.FaultKind{flowlogtest.FaultHTMLError}, Count: 1000})
				t.Cleanup(srv.ClearFaults)
			},
			Call: func(ctx context.Context, c *flowlog.Client) error {
				_, err := c.CreateAndWait(ctx, attachmentSpec(flowlogtest.DefaultTransitRouterAttachmentID2), flowlog.MaxWait(200*time.Millisecond))
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
// error message must not get the key ID, the secret, the STS token or the
// request's signature into any text: the error, every error in its tree
// (the SDK's *ServerError that errors.As reaches included) or the client's
// Debug log. The emulator's echo (flowlogtest.FaultEcho) names every value;
// a proxy's table of names and values (testkit.TableEcho) names none where a
// pattern would look. See the aliyun package's test of the same name for
// refreshed credentials.
func TestEchoedRequestShowsNoSecret(t *testing.T) {
	for _, tt := range []struct {
		name    string
		emulate bool // the emulator's FaultEcho, else testkit.TableEcho
	}{{"emulator's echo", true}, {"proxy's table", false}} {
		t.Run(tt.name, func(t *testing.T) {
			srv := flowlogtest.NewServer(flowlogtest.WithSTSCredential(secretSTSID, secretSecret, secretToken))
			t.Cleanup(srv.Close)
			echo := &testkit.TableEcho{}
			p, err := cbn.New(cbn.WithEndpoint(srv.URL), cbn.WithHTTPTransport(echo),
				cbn.WithSTSToken(secretSTSID, secretSecret, secretToken))
			require.NoError(t, err)
			logger, logs := testkit.DebugLogger()
			c := flowlog.NewClient(p, flowlog.WithLogger(logger), flowlog.WithRetry(flowlog.MaxAttempts(1)))
			t.Cleanup(func() { c.Close() })

			if tt.emulate {
				srv.InjectFaults(flowlogtest.FaultRule{Kinds: []flowlogtest.FaultKind{flowlogtest.FaultEcho}, Count: 1})
			} else {
				echo.Next.Store(1)
			}
			_, err = c.Create(context.Background(), attachmentSpec(flowlogtest.DefaultTransitRouterAttachmentID))
			fe := testkit.ClientError(t, err, flowlog.ErrUnavailable, "ServiceUnavailable")
			assert.Equal(t, 503, fe.HTTPStatus)
			assert.Contains(t, fe.Message, "request was", "the echo is kept, masked")
			var se *sdkerrors.ServerError
			require.ErrorAs(t, err, &se, "errors.As still reaches the SDK's error type")
			assert.Equal(t, "ServiceUnavailable", se.ErrorCode())

			texts := testkit.ErrorTexts(err)
			texts["client log"] = logs.String()
			assert.Contains(t, texts["client log"], "ServiceUnavailable", "the failure is logged")
			testkit.AssertNoLeaks(t, texts, append(allSecrets, echo.Signatures()...)...)
		})
	}
}

// TestProviderPrintsNoSecret checks what fmt and log/slog show of the
// adapter: the endpoint, the kind of credentials and at most the first four
// characters of the key ID.
func TestProviderPrintsNoSecret(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts []cbn.Option
		want string
	}{
		{"static AccessKey", []cbn.Option{cbn.WithAccessKey(secretKeyID, secretSecret)},
			"cbn (endpoint https://cbn.aliyuncs.com, credentials static AccessKey LTAI****)"},
		{"STS token", []cbn.Option{cbn.WithSTSToken(secretSTSID, secretSecret, secretToken), cbn.WithEndpoint("http://127.0.0.1:9")},
			"cbn (endpoint http://127.0.0.1:9, credentials STS token STS.****)"},
		{"default chain", nil, "cbn (endpoint https://cbn.aliyuncs.com, credentials default credentials chain)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := cbn.New(tt.opts...)
			require.NoError(t, err)
			assert.Equal(t, tt.want, fmt.Sprintf("%v", p))
			assert.Equal(t, tt.want, fmt.Sprintf("%+v", p))
			assert.True(t, strings.HasPrefix(fmt.Sprintf("%#v", p), "&cbn.Provider{endpoint:"), fmt.Sprintf("%#v", p))
			texts := testkit.ValueTexts(p)
			assert.Contains(t, texts["slog JSON"], `"v":{"name":"cbn","endpoint":`)
			testkit.AssertNoLeaks(t, texts, allSecrets...)
		})
	}
}

// TestHTTPSEverywhere checks the scheme of every request the adapter sends:
// HTTPS by default (cbn.aliyuncs.com) and for a bare or https:// endpoint,
// plain HTTP only for an explicit http:// one; and the plain-HTTP emulator
// gets no request when its address is given without a scheme.
func TestHTTPSEverywhere(t *testing.T) {
	rec := &testkit.SchemeRecorder{}
	for _, tt := range []struct{ endpoint, want string }{
		{"", "https://cbn.aliyuncs.com"},
		{"cbn.aliyuncs.com", "https://cbn.aliyuncs.com"},
		{"127.0.0.1:9", "https://127.0.0.1:9"},
		{"https://cbn.example.test:8443", "https://cbn.example.test:8443"},
		{"http://127.0.0.1:9", "http://127.0.0.1:9"},
	} {
		t.Run(tt.endpoint, func(t *testing.T) {
			opts := []cbn.Option{cbn.WithHTTPTransport(rec), cbn.WithAccessKey(secretKeyID, secretSecret)}
			if tt.endpoint != "" {
				opts = append(opts, cbn.WithEndpoint(tt.endpoint))
			}
			p, err := cbn.New(opts...)
			require.NoError(t, err)
			testkit.CallEverything(p, attachmentSpec(flowlogtest.DefaultTransitRouterAttachmentID), "flowlog-x")
			assert.Equal(t, []string{tt.want}, rec.URLs())
			assert.Contains(t, p.String(), "endpoint "+tt.want)
		})
	}

	t.Run("emulator without scheme", func(t *testing.T) {
		srv := flowlogtest.NewServer(flowlogtest.WithAlibabaCredential(secretKeyID, secretSecret))
		defer srv.Close()
		p, err := cbn.New(cbn.WithEndpoint(srv.Endpoint()), cbn.WithAccessKey(secretKeyID, secretSecret))
		require.NoError(t, err)
		_, err = flowlog.NewClient(p, flowlog.WithRetry(flowlog.MaxAttempts(1))).Create(context.Background(),
			attachmentSpec(flowlogtest.DefaultTransitRouterAttachmentID))
		require.Error(t, err, "TLS to a plain-HTTP server fails")
		assert.Zero(t, srv.Calls("CreateFlowlog"), "no plaintext request reached the emulator")
		testkit.AssertNoLeaks(t, testkit.ErrorTexts(err), allSecrets...)
	})
}
