package flowlogtest

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/tea"
	vpc6 "github.com/alibabacloud-go/vpc-20160428/v6/client"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// This file drives the emulator with the newer official SDK,
// github.com/alibabacloud-go/vpc-20160428/v6 on darabonba-openapi v2, in its
// default signing mode, ACS3-HMAC-SHA256: the SDK's signer is the
// independent check of the gateway's verifier (gateway_acs3.go). Being a
// _test.go file, it adds the SDK to no user's build.

// sdkHTTPClient is the darabonba client's transport hook. Without it, the
// SDK keeps one http.Client per host in a package-level pool whose idle
// connections outlive the test (goleak in TestMain would report them); it
// also routes through the environment's proxy. It records what the SDK
// sent, so that the test can check which signature version it used.
type sdkHTTPClient struct {
	c    *http.Client
	mu   sync.Mutex
	sent []*http.Request
}

func (h *sdkHTTPClient) Call(r *http.Request, _ *http.Transport) (*http.Response, error) {
	h.mu.Lock()
	h.sent = append(h.sent, r)
	h.mu.Unlock()
	return h.c.Do(r)
}

// requireACS3 asserts that every request the SDK sent was signed with
// ACS3, never with signature v1.
func (h *sdkHTTPClient) requireACS3(t *testing.T) {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	require.NotEmpty(t, h.sent)
	for _, r := range h.sent {
		assert.True(t, strings.HasPrefix(r.Header.Get("Authorization"), "ACS3-HMAC-SHA256 Credential="),
			"Authorization %q", r.Header.Get("Authorization"))
		assert.False(t, r.URL.Query().Has("Signature"), "v1 signature in %s", r.URL)
		assert.False(t, r.URL.Query().Has("Action"), "Action in the query of %s", r.URL)
	}
}

// newVPC6Client returns a v6 client for srv as a user's test would build one:
// Endpoint is the emulator's host:port, taken verbatim (the client derives
// an endpoint from the region only when none is given, and the host header
// it signs is this value, port included), and plain HTTP.
func newVPC6Client(t *testing.T, srv *Server, akID, secret string) (*vpc6.Client, *sdkHTTPClient) {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	hc := &sdkHTTPClient{c: &http.Client{Transport: tr}}
	c, err := vpc6.NewClient(&openapi.Config{
		AccessKeyId:     tea.String(akID),
		AccessKeySecret: tea.String(secret),
		Endpoint:        tea.String(srv.Endpoint()),
		Protocol:        tea.String("HTTP"),
		HttpClient:      hc,
	})
	require.NoError(t, err)
	require.Equal(t, srv.Endpoint(), tea.StringValue(c.Endpoint))
	require.Nil(t, c.SignatureAlgorithm, "the default signing mode is ACS3")
	return c, hc
}

func TestACS3OfficialSDKLifecycle(t *testing.T) {
	srv := newTestServer(t, WithActivationDelay(0))
	c, hc := newVPC6Client(t, srv, DefaultAccessKeyID, DefaultAccessKeySecret)

	created, err := c.CreateFlowLog(&vpc6.CreateFlowLogRequest{
		RegionId:     tea.String(DefaultRegion),
		ResourceType: tea.String("NetworkInterface"),
		ResourceId:   tea.String(DefaultNetworkInterfaceID),
		TrafficType:  tea.String("All"),
		ProjectName:  tea.String(DefaultSLSProject),
		LogStoreName: tea.String(DefaultSLSLogStore),
		// Exercises the canonical query's encoding: Go's query encoding
		// writes the spaces as "+", the signature has them as "%20".
		FlowLogName: tea.String("acs3 flow log ~ *"),
		Description: tea.String("created with ACS3 / 中文"),
	})
	require.NoError(t, err)
	id := tea.StringValue(created.Body.FlowLogId)
	require.NotEmpty(t, id)
	assert.Equal(t, 1, srv.Calls("Vpc.CreateFlowLog"))

	described, err := c.DescribeFlowLogs(&vpc6.DescribeFlowLogsRequest{
		RegionId:  tea.String(DefaultRegion),
		FlowLogId: tea.String(id),
	})
	require.NoError(t, err)
	require.Len(t, described.Body.FlowLogs.FlowLog, 1)
	fl := described.Body.FlowLogs.FlowLog[0]
	assert.Equal(t, id, tea.StringValue(fl.FlowLogId))
	assert.Equal(t, DefaultNetworkInterfaceID, tea.StringValue(fl.ResourceId))
	assert.Equal(t, "acs3 flow log ~ *", tea.StringValue(fl.FlowLogName))
	assert.Equal(t, "created with ACS3 / 中文", tea.StringValue(fl.Description))
	assert.Equal(t, "Active", tea.StringValue(fl.Status))

	deleted, err := c.DeleteFlowLog(&vpc6.DeleteFlowLogRequest{
		RegionId:  tea.String(DefaultRegion),
		FlowLogId: tea.String(id),
	})
	require.NoError(t, err)
	assert.NotEmpty(t, tea.StringValue(deleted.Body.RequestId))
	assert.Empty(t, srv.VPCFlowLogs())
	hc.requireACS3(t)

	// The classic v1 path on the same server still works.
	resp, err := defaultClient(t, srv).DescribeFlowLogs(vpc.CreateDescribeFlowLogsRequest())
	require.NoError(t, err)
	assert.Equal(t, "true", resp.Success)
	assert.Equal(t, 2, srv.Calls("Vpc.DescribeFlowLogs"))
}

func TestACS3OfficialSDKWrongSecret(t *testing.T) {
	srv := newTestServer(t)
	c, hc := newVPC6Client(t, srv, DefaultAccessKeyID, "wrong-secret")
	_, err := c.DescribeFlowLogs(&vpc6.DescribeFlowLogsRequest{RegionId: tea.String(DefaultRegion)})
	require.Error(t, err)
	var se *tea.SDKError
	require.True(t, errors.As(err, &se), "want *tea.SDKError, got %T: %v", err, err)
	assert.Equal(t, "SignatureDoesNotMatch", tea.StringValue(se.Code))
	assert.Equal(t, http.StatusBadRequest, tea.IntValue(se.StatusCode))
	assert.Contains(t, tea.StringValue(se.Message), "Specified signature does not match our calculation.")
	assert.Zero(t, srv.Calls("DescribeFlowLogs"))
	hc.requireACS3(t)

	// An unknown AccessKey is refused before the signature.
	c, _ = newVPC6Client(t, srv, "LTAInobody", "x")
	_, err = c.DescribeFlowLogs(&vpc6.DescribeFlowLogsRequest{RegionId: tea.String(DefaultRegion)})
	require.True(t, errors.As(err, &se), "want *tea.SDKError, got %T: %v", err, err)
	assert.Equal(t, "InvalidAccessKeyId.NotFound", tea.StringValue(se.Code))
}

func TestACS3OfficialSDKSTS(t *testing.T) {
	srv := newTestServer(t, WithSTSCredential("STS.emu", "sts-secret", "token-123"))
	for _, tt := range []struct {
		name, token, code string
	}{
		{"matching token", "token-123", ""},
		{"wrong token", "token-999", "InvalidSecurityToken.MismatchWithAccessKey"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tr := &http.Transport{}
			t.Cleanup(tr.CloseIdleConnections)
			hc := &sdkHTTPClient{c: &http.Client{Transport: tr}}
			c, err := vpc6.NewClient(&openapi.Config{
				AccessKeyId:     tea.String("STS.emu"),
				AccessKeySecret: tea.String("sts-secret"),
				SecurityToken:   tea.String(tt.token),
				Endpoint:        tea.String(srv.Endpoint()),
				Protocol:        tea.String("HTTP"),
				HttpClient:      hc,
			})
			require.NoError(t, err)
			_, err = c.DescribeFlowLogs(&vpc6.DescribeFlowLogsRequest{RegionId: tea.String(DefaultRegion)})
			hc.requireACS3(t)
			// The token travels as a signed header.
			assert.Contains(t, hc.sent[0].Header.Get("Authorization"), "x-acs-security-token")
			if tt.code == "" {
				require.NoError(t, err)
				return
			}
			var se *tea.SDKError
			require.True(t, errors.As(err, &se), "want *tea.SDKError, got %T: %v", err, err)
			assert.Equal(t, tt.code, tea.StringValue(se.Code))
		})
	}
	assert.Equal(t, 1, srv.Calls("DescribeFlowLogs"))
}
