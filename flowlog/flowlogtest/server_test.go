package flowlogtest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/cloudflowlog/flowlog-go/internal/acsv1"
)

func TestMain(m *testing.M) {
	// Every test closes its servers and idle client connections, so no
	// goroutine may survive the package's tests.
	goleak.VerifyTestMain(m)
}

// ---- shared helpers -------------------------------------------------------

// fakeClock is a manually advanced clock for WithClock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	// Start at the real time so that SDK-signed requests (stamped with the
	// real clock) stay inside the 15-minute window.
	return &fakeClock{t: time.Now().UTC().Truncate(time.Second)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newTestServer(t *testing.T, opts ...Option) *Server {
	t.Helper()
	srv := NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

var warmSDK sync.Once

// roundTripperFunc hides the concrete transport from the Alibaba SDK, which
// otherwise rewrites an *http.Transport's dialer and proxy settings on every
// call (and would route 127.0.0.1 through an HTTP_PROXY from the environment).
type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// newVPCClient returns an official SDK client for the emulator, as a user's
// test would build one: plain HTTP, static credentials, Domain = endpoint.
func newVPCClient(t *testing.T, srv *Server, region, akID, secret string) *vpc.Client {
	t.Helper()
	return newVPCClientWithProvider(t, srv, region, credentials.NewStaticAKCredentialsProvider(akID, secret))
}

func newVPCClientWithProvider(t *testing.T, srv *Server, region string, cred credentials.CredentialsProvider) *vpc.Client {
	t.Helper()
	warmSDK.Do(func() { vpc.GetEndpointMap() }) // avoid the SDK's lazy global-map race
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	cfg := sdk.NewConfig().WithScheme("HTTP")
	cfg.Transport = roundTripperFunc(tr.RoundTrip)
	c, err := vpc.NewClientWithOptions(region, cfg, cred)
	require.NoError(t, err)
	c.Domain = srv.Endpoint()
	return c
}

func defaultClient(t *testing.T, srv *Server) *vpc.Client {
	return newVPCClient(t, srv, DefaultRegion, DefaultAccessKeyID, DefaultAccessKeySecret)
}

// requireServerError asserts err is the SDK's ServerError with this status,
// code and message.
func requireServerError(t *testing.T, err error, status int, code, message string) *sdkerrors.ServerError {
	t.Helper()
	require.Error(t, err)
	var se *sdkerrors.ServerError
	require.ErrorAs(t, err, &se, "want *errors.ServerError, got %T: %v", err, err)
	assert.Equal(t, code, se.ErrorCode())
	assert.Equal(t, status, se.HttpStatus())
	if message != "" {
		assert.Equal(t, message, se.Message())
	}
	assert.Regexp(t, uuidUpper, se.RequestId())
	return se
}

var (
	uuidUpper = regexp.MustCompile(`^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$`)
	uuidLower = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
)

// rawRequest describes a hand-made RPC request, signed with internal/acsv1.
type rawRequest struct {
	method string     // default POST
	params url.Values // business params; merged over the defaults
	remove []string   // common params to drop before signing
	secret string     // default DefaultAccessKeySecret
	now    time.Time  // Timestamp; default time.Now()
	// inBody sends the parameters as a form body instead of the query.
	inBody bool
	// mutate runs after signing (to tamper with a signed request).
	mutate func(url.Values)
}

func randomNonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// signedParams builds the full, signed parameter set of r.
func (r rawRequest) signedParams() url.Values {
	now := r.now
	if now.IsZero() {
		now = time.Now()
	}
	p := url.Values{
		"Action":           {"DescribeFlowLogs"},
		"Version":          {VPCVersion},
		"Format":           {"JSON"},
		"AccessKeyId":      {DefaultAccessKeyID},
		"SignatureMethod":  {"HMAC-SHA1"},
		"SignatureVersion": {"1.0"},
		"SignatureType":    {""},
		"SignatureNonce":   {randomNonce()},
		"Timestamp":        {now.UTC().Format("2006-01-02T15:04:05Z")},
		"RegionId":         {DefaultRegion},
	}
	for k, v := range r.params {
		p[k] = v
	}
	for _, k := range r.remove {
		p.Del(k)
	}
	secret := r.secret
	if secret == "" {
		secret = DefaultAccessKeySecret
	}
	method := r.method
	if method == "" {
		method = http.MethodPost
	}
	p.Set("Signature", acsv1.SignParams(method, p, secret))
	if r.mutate != nil {
		r.mutate(p)
	}
	return p
}

type rawResponse struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func (r rawResponse) str(key string) string {
	s, _ := r.body[key].(string)
	return s
}

func doRaw(t *testing.T, srv *Server, r rawRequest) rawResponse {
	t.Helper()
	return sendParams(t, srv, r.method, r.signedParams(), r.inBody)
}

func sendParams(t *testing.T, srv *Server, method string, p url.Values, inBody bool) rawResponse {
	t.Helper()
	if method == "" {
		method = http.MethodPost
	}
	u := srv.URL + "/"
	var body io.Reader
	if inBody {
		body = strings.NewReader(p.Encode())
	} else {
		u += "?" + p.Encode()
	}
	req, err := http.NewRequest(method, u, body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return sendHTTP(t, req)
}

func sendHTTP(t *testing.T, req *http.Request) rawResponse {
	t.Helper()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	out := rawResponse{status: resp.StatusCode, header: resp.Header, raw: string(data)}
	require.NoError(t, json.Unmarshal(data, &out.body), "body %q", data)
	return out
}

// ---- server tests ---------------------------------------------------------

func TestNewServerEndpoint(t *testing.T) {
	srv := newTestServer(t)
	assert.Regexp(t, `^127\.0\.0\.1:\d+$`, srv.Endpoint())
	assert.Equal(t, "http://"+srv.Endpoint(), srv.URL)
}

func TestDefaultFixtureQuickstart(t *testing.T) {
	srv := newTestServer(t)
	c := defaultClient(t, srv)
	for _, eni := range []string{DefaultNetworkInterfaceID, DefaultNetworkInterfaceID2, DefaultNetworkInterfaceID3} {
		req := vpc.CreateCreateFlowLogRequest()
		req.ResourceType = "NetworkInterface"
		req.ResourceId = eni
		req.TrafficType = "All"
		req.ProjectName = DefaultSLSProject
		req.LogStoreName = DefaultSLSLogStore
		resp, err := c.CreateFlowLog(req)
		require.NoError(t, err)
		assert.Regexp(t, `^fl-[a-z0-9]{21}$`, resp.FlowLogId)
	}
	for _, rt := range []struct{ typ, id string }{{"VSwitch", DefaultVSwitchID}, {"VPC", DefaultVPCID}} {
		req := vpc.CreateCreateFlowLogRequest()
		req.ResourceType, req.ResourceId, req.TrafficType = rt.typ, rt.id, "Drop"
		req.ProjectName, req.LogStoreName = DefaultSLSProject, DefaultSLSLogStore
		_, err := c.CreateFlowLog(req)
		require.NoError(t, err, rt.typ)
	}
	logs := srv.VPCFlowLogs()
	require.Len(t, logs, 5)
	for _, fl := range logs {
		assert.Equal(t, DefaultVPCID, fl.VPCID)
		assert.Equal(t, DefaultRegion, fl.RegionID)
	}
}

func TestWithoutDefaultFixture(t *testing.T) {
	srv := newTestServer(t, WithoutDefaultFixture())
	c := defaultClient(t, srv)
	// A public region holds nothing without the fixture; a region that
	// does not exist is refused until it is seeded.
	resp, err := c.DescribeFlowLogs(vpc.CreateDescribeFlowLogsRequest())
	require.NoError(t, err)
	assert.Equal(t, "0", resp.TotalCount)
	assert.Empty(t, srv.VPCFlowLogs())

	req := vpc.CreateDescribeFlowLogsRequest()
	req.RegionId = "xx-nowhere-1"
	_, err = c.DescribeFlowLogs(req)
	requireServerError(t, err, 400, "InvalidRegionId.NotFound", "The RegionId provided does not exist in our records.")
	srv.AddRegion("xx-nowhere-1")
	req = vpc.CreateDescribeFlowLogsRequest()
	req.RegionId = "xx-nowhere-1"
	resp, err = c.DescribeFlowLogs(req)
	require.NoError(t, err)
	assert.Equal(t, "0", resp.TotalCount)
}

func TestWithLoggerLogsRequests(t *testing.T) {
	var buf syncBuffer
	srv := newTestServer(t, WithLogger(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	resp := doRaw(t, srv, rawRequest{params: url.Values{"PageSize": {"99"}}})
	require.Equal(t, 400, resp.status)
	out := buf.String()
	assert.Contains(t, out, "code=InvalidParameter")
	assert.Contains(t, out, "action=DescribeFlowLogs")
	assert.Contains(t, out, resp.str("RequestId"))
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestCallsCountsOnlyHandledRequests(t *testing.T) {
	srv := newTestServer(t)
	c := defaultClient(t, srv)
	_, err := c.DescribeFlowLogs(vpc.CreateDescribeFlowLogsRequest())
	require.NoError(t, err)
	// Rejected by the gateway: not counted.
	resp := doRaw(t, srv, rawRequest{secret: "wrong"})
	require.Equal(t, 400, resp.status)
	// Reached the handler, even though the handler refused it: counted.
	resp = doRaw(t, srv, rawRequest{params: url.Values{"PageSize": {"0"}}})
	require.Equal(t, 400, resp.status)

	assert.Equal(t, 2, srv.Calls("DescribeFlowLogs"))
	assert.Equal(t, 2, srv.Calls("Vpc.DescribeFlowLogs"))
	assert.Zero(t, srv.Calls("Cbn.DescribeFlowLogs"))
	assert.Zero(t, srv.Calls("CreateFlowLog"))
}

func TestConcurrentClients(t *testing.T) {
	srv := newTestServer(t, WithActivationDelay(0))
	const n = 16
	enis := srv.AddNetworkInterfaces(DefaultRegion, DefaultVPCID, DefaultVSwitchID, n)
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for _, eni := range enis {
		c := defaultClient(t, srv) // SDK clients are not goroutine-safe: one each
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := vpc.CreateCreateFlowLogRequest()
			req.ResourceType, req.ResourceId, req.TrafficType = "NetworkInterface", eni, "All"
			req.ProjectName, req.LogStoreName = DefaultSLSProject, DefaultSLSLogStore
			if _, err := c.CreateFlowLog(req); err != nil {
				errs <- err
				return
			}
			d := vpc.CreateDescribeFlowLogsRequest()
			d.ResourceId = eni
			if _, err := c.DescribeFlowLogs(d); err != nil {
				errs <- err
			}
			_ = srv.VPCFlowLogs()
			srv.AddSLSLogStore("concurrent", "store-"+eni)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	assert.Equal(t, n, srv.Calls("CreateFlowLog"))
	assert.Len(t, srv.VPCFlowLogs(), n)
}

// stubProduct is a product of the tests' own, wired into a server with
// newServer before it starts.
type stubProduct[H any] struct {
	productName, apiVersion string
	actions[H]
}

func (p stubProduct[H]) name() string    { return p.productName }
func (p stubProduct[H]) version() string { return p.apiVersion }

func TestHandlerPanicBecomesInternalError(t *testing.T) {
	const version = "2099-01-01"
	srv := newServer(nil)
	srv.rpc.add(stubProduct[rpcHandler]{"Boom", version, actions[rpcHandler]{
		"Panic": func(*rpcRequest) (any, error) { panic("boom") },
	}})
	srv.start()
	t.Cleanup(srv.Close)
	resp := doRaw(t, srv, rawRequest{params: url.Values{"Version": {version}, "Action": {"Panic"}}})
	assert.Equal(t, http.StatusInternalServerError, resp.status)
	assert.Equal(t, "InternalError", resp.str("Code"))
	// The server keeps serving.
	resp = doRaw(t, srv, rawRequest{})
	assert.Equal(t, http.StatusOK, resp.status)
}

func TestRPCGatewayRefusesTwoProductsOfOneVersion(t *testing.T) {
	srv := newServer(nil)
	assert.Panics(t, func() { srv.rpc.add(stubProduct[rpcHandler]{"Vpc2", VPCVersion, nil}) })
}

func TestNewServerWiresEveryProduct(t *testing.T) {
	srv := newServer(nil)
	for version, name := range map[string]string{VPCVersion: "Vpc", CBNVersion: "Cbn"} {
		if assert.Contains(t, srv.rpc.products, version) {
			assert.Equal(t, name, srv.rpc.products[version].name())
		}
	}
	if assert.Len(t, srv.tc3.products, 1) {
		assert.Equal(t, "Tencent", srv.tc3.products[0].name())
		assert.Equal(t, TencentVPCVersion, srv.tc3.products[0].version())
	}
}
