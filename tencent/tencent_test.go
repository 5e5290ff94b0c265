package tencent_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	sdkerrors "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	vpc "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/vpc/v20170312"
	"go.uber.org/goleak"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/flowlog/ratelimit"
	"github.com/cloudflowlog/flowlog-go/tencent"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		goleak.IgnoreTopFunction("internal/poll.runtime_pollWait"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).readLoop"))
}

func newProvider(t testing.TB, srv *flowlogtest.Server, opts ...tencent.Option) *tencent.Provider {
	t.Helper()
	p, err := tencent.New(append([]tencent.Option{tencent.WithEndpoint(srv.URL),
		tencent.WithSecretKey(flowlogtest.DefaultTencentSecretID, flowlogtest.DefaultTencentSecretKey)}, opts...)...)
	require.NoError(t, err)
	return p
}

func eniSpec(eni string) flowlog.FlowLogSpec {
	return flowlog.FlowLogSpec{
		Region:      flowlogtest.DefaultTencentRegion,
		Name:        "tc-flowlog",
		Description: "a Tencent flow log",
		Resource: flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: eni,
			NetworkID: flowlogtest.DefaultTencentVPCID},
		TrafficType: flowlog.TrafficAccept,
		Destination: flowlog.Destination{CLS: &flowlog.CLSDestination{TopicID: flowlogtest.DefaultCLSTopicID}},
		Tags:        map[string]string{"team": "net"},
	}
}

func TestConformance(t *testing.T) {
	flowlogtest.RunConformance(t, flowlogtest.Harness{
		NewProvider: func(t *testing.T, srv *flowlogtest.Server, rt http.RoundTripper) driver.Provider {
			return newProvider(t, srv, tencent.WithHTTPTransport(rt))
		},
		NewProviderWithLimiter: func(t *testing.T, srv *flowlogtest.Server, lim ratelimit.Limiter) driver.Provider {
			return newProvider(t, srv, tencent.WithLimiter(lim))
		},
		NewProviderWithSecret: func(t *testing.T, srv *flowlogtest.Server, secret string) driver.Provider {
			return newProvider(t, srv, tencent.WithSecretKey(flowlogtest.DefaultTencentSecretID, secret))
		},
		Spec: func(t *testing.T, srv *flowlogtest.Server, i int) flowlog.FlowLogSpec {
			eni := fmt.Sprintf("eni-conf%04d", i)
			srv.AddTencentNetworkInterface(flowlogtest.DefaultTencentRegion, flowlogtest.DefaultTencentVPCID, eni)
			return eniSpec(eni)
		},
		Invalid: []flowlogtest.InvalidCase{
			{Name: "no name", Mutate: func(s *flowlog.FlowLogSpec) { s.Name = "" }, Field: "Name", Is: flowlog.ErrInvalidArgument},
			{Name: "long name", Mutate: func(s *flowlog.FlowLogSpec) { s.Name = strings.Repeat("n", 61) }, Field: "Name", Is: flowlog.ErrInvalidArgument},
			{Name: "long description", Mutate: func(s *flowlog.FlowLogSpec) { s.Description = strings.Repeat("d", 513) }, Field: "Description", Is: flowlog.ErrInvalidArgument},
			{Name: "no VPC", Mutate: func(s *flowlog.FlowLogSpec) { s.Resource.NetworkID = "" }, Field: "Resource.NetworkID", Is: flowlog.ErrInvalidArgument},
			// The documented prefixes (seed 003 "vpc-xxxxxx", "eni-xxxxxxxx"):
			// the emulator's Malformed, refused before sending.
			{Name: "VPC ID without vpc-", Mutate: func(s *flowlog.FlowLogSpec) { s.Resource.NetworkID = "emu00001" }, Field: "Resource.NetworkID", Is: flowlog.ErrInvalidArgument},
			{Name: "ENI ID without eni-", Mutate: func(s *flowlog.FlowLogSpec) { s.Resource.ID = "BAD" }, Field: "Resource.ID", Is: flowlog.ErrInvalidArgument},
			{Name: "VPC on CCN", Mutate: func(s *flowlog.FlowLogSpec) {
				s.Resource = flowlog.Resource{Kind: flowlog.ResourceCloudConnectNetwork, ID: flowlogtest.DefaultTencentCCNID, NetworkID: "vpc-x"}
			}, Field: "Resource.NetworkID", Is: flowlog.ErrInvalidArgument},
			{Name: "SLS", Mutate: func(s *flowlog.FlowLogSpec) {
				s.Destination = flowlog.Destination{SLS: &flowlog.SLSDestination{Project: "p", LogStore: "s"}}
			}, Field: "Destination.SLS", Is: flowlog.ErrUnsupported},
			{Name: "interval", Mutate: func(s *flowlog.FlowLogSpec) { s.AggregationInterval = time.Minute }, Field: "AggregationInterval", Is: flowlog.ErrUnsupported},
			{Name: "transit router", Mutate: func(s *flowlog.FlowLogSpec) { s.Resource.Kind = flowlog.ResourceTransitRouter }, Field: "Resource.Kind", Is: flowlog.ErrUnsupported},
			{Name: "Alibaba knobs", Mutate: func(s *flowlog.FlowLogSpec) { s.Alibaba = &flowlog.AlibabaOptions{} }, Field: "Alibaba", Is: flowlog.ErrUnsupported},
		},
		ServerErrors: []flowlogtest.ServerErrorCase{
			{Name: "unknown ENI", Is: flowlog.ErrNotFound, ProviderCode: "ResourceNotFound",
				Prepare: func(t *testing.T, srv *flowlogtest.Server, s *flowlog.FlowLogSpec) { s.Resource.ID = "eni-zzzzzzzz" }},
			{Name: "unknown CLS topic", Is: flowlog.ErrNotFound, ProviderCode: "ResourceNotFound",
				Prepare: func(t *testing.T, srv *flowlogtest.Server, s *flowlog.FlowLogSpec) {
					s.Destination.CLS.TopicID = "00000000-0000-4000-8000-00000000dead"
				}},
		},
		UnknownID: "fl-zzzzzzzz",
		Raw:       func() any { return new(vpc.FlowLog) },
	})
}

func TestKindsAndDestinations(t *testing.T) {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	c := flowlog.NewClient(newProvider(t, srv), flowlog.WithWaitDefaults(flowlog.PollDelay(2*time.Millisecond, 10*time.Millisecond)))
	ctx := context.Background()

	ccn := eniSpec("")
	ccn.Resource = flowlog.Resource{Kind: flowlog.ResourceCloudConnectNetwork, ID: flowlogtest.DefaultTencentCCNID}
	kafka := eniSpec(flowlogtest.DefaultTencentNetworkInterfaceID2)
	kafka.Destination = flowlog.Destination{CKafka: &flowlog.CKafkaDestination{InstanceID: flowlogtest.DefaultCKafkaInstanceID, Topic: flowlogtest.DefaultCKafkaTopic}}
	nat := eniSpec(flowlogtest.DefaultTencentNATGatewayID)
	nat.Resource.Kind = flowlog.ResourceNATGateway
	nat.TrafficType = flowlog.TrafficAll

	for _, spec := range []flowlog.FlowLogSpec{ccn, kafka, nat} {
		t.Run(string(spec.Resource.Kind)+"/"+destination(spec), func(t *testing.T) {
			fl, err := c.CreateAndWait(ctx, spec)
			require.NoError(t, err)
			assert.Equal(t, flowlog.StatusActive, fl.Status)
			assert.Equal(t, spec.Resource.Kind, fl.Resource.Kind)
			assert.Equal(t, spec.Resource.NetworkID, fl.Resource.NetworkID)
			assert.Equal(t, destination(spec), destination(flowlog.FlowLogSpec{Destination: fl.Destination}))
			require.NoError(t, c.Delete(ctx, spec.Region, fl.ID), "delete finds the VpcId itself")
			_, err = c.Get(ctx, spec.Region, fl.ID)
			assert.ErrorIs(t, err, flowlog.ErrNotFound)
		})
	}
}

func destination(s flowlog.FlowLogSpec) string {
	if s.Destination.CKafka != nil {
		return "ckafka"
	}
	return "cls"
}

func TestDeletedTopicFailsTheWait(t *testing.T) {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	c := flowlog.NewClient(newProvider(t, srv), flowlog.WithWaitDefaults(flowlog.PollDelay(2*time.Millisecond, 10*time.Millisecond)))
	ctx := context.Background()
	fl, err := c.Create(ctx, eniSpec(flowlogtest.DefaultTencentNetworkInterfaceID))
	require.NoError(t, err)
	srv.DeleteCLSTopic(flowlogtest.DefaultTencentRegion, flowlogtest.DefaultCLSTopicID)
	_, err = c.Wait(ctx, fl.Region, fl.ID)
	var we *flowlog.WaitError
	require.ErrorAs(t, err, &we)
	assert.Equal(t, flowlog.StatusFailed, we.Last)
	assert.Contains(t, we.LastRaw, "DELETED")
}

func TestThrottlingIsTyped(t *testing.T) {
	now := time.Now()
	srv := flowlogtest.NewServer(flowlogtest.WithTencentRateLimit(3), flowlogtest.WithClock(func() time.Time { return now }))
	defer srv.Close()
	p := newProvider(t, srv)
	var throttled error
	for range 5 {
		if _, err := p.Describe(context.Background(), flowlogtest.DefaultTencentRegion, []string{"fl-aaaaaaaa"}); err != nil {
			throttled = err
		}
	}
	require.Error(t, throttled)
	assert.ErrorIs(t, throttled, flowlog.ErrThrottled)
	var fe *driver.Error
	require.ErrorAs(t, throttled, &fe)
	assert.Equal(t, "RequestLimitExceeded", fe.ProviderCode)
	assert.Equal(t, 200, fe.HTTPStatus, "Tencent answers API errors with HTTP 200")
	var sdkErr *sdkerrors.TencentCloudSDKError
	require.ErrorAs(t, throttled, &sdkErr, "errors.As reaches the SDK's error")
}

func TestNonJSONGatewayErrorKeepsHTTPStatus(t *testing.T) {
	for _, tt := range []struct {
		status int
		body   string
		code   flowlog.Code
	}{
		{502, "<html><body>502 Bad Gateway</body></html>", flowlog.CodeUnavailable},
		{503, `{"message":"no Error.Code here"}`, flowlog.CodeUnavailable},
		{429, "slow down", flowlog.CodeThrottled},
		{200, "not json", flowlog.CodeUnavailable},
	} {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			defer gw.Close()
			p, err := tencent.New(tencent.WithEndpoint(gw.URL), tencent.WithSecretKey("AKIDx", "secret-not-shown"))
			require.NoError(t, err)
			_, err = flowlog.NewClient(p, flowlog.WithRetry(flowlog.MaxAttempts(1))).Create(context.Background(), eniSpec(flowlogtest.DefaultTencentNetworkInterfaceID))
			var fe *flowlog.Error
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tt.status, fe.HTTPStatus)
			assert.Equal(t, tt.code, fe.Code, err.Error())
			assert.NotContains(t, err.Error(), "secret-not-shown")
		})
	}
}

func TestEndpoints(t *testing.T) {
	var mu sync.Mutex
	var hosts []string
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		hosts = append(hosts, r.URL.Scheme+"://"+r.URL.Host+" "+r.Header.Get("X-TC-Region")+" "+r.Header.Get("X-TC-Language"))
		mu.Unlock()
		return nil, fmt.Errorf("offline test")
	})
	for _, tt := range []struct {
		opts []tencent.Option
		want string
	}{
		{nil, "https://vpc.tencentcloudapi.com ap-guangzhou en-US"},
		{[]tencent.Option{tencent.WithInternational()}, "https://vpc.intl.tencentcloudapi.com ap-guangzhou en-US"},
		{[]tencent.Option{tencent.WithEndpoint("vpc.ap-shanghai.tencentcloudapi.com")}, "https://vpc.ap-shanghai.tencentcloudapi.com ap-guangzhou en-US"},
		{[]tencent.Option{tencent.WithEndpoint("http://127.0.0.1:9")}, "http://127.0.0.1:9 ap-guangzhou en-US"},
	} {
		p, err := tencent.New(append(tt.opts, tencent.WithHTTPTransport(rt), tencent.WithSecretKey("AKIDx", "k"))...)
		require.NoError(t, err)
		_, err = flowlog.NewClient(p, flowlog.WithRetry(flowlog.MaxAttempts(1))).Create(context.Background(), eniSpec(flowlogtest.DefaultTencentNetworkInterfaceID))
		require.Error(t, err)
		assert.ErrorIs(t, err, flowlog.ErrUnavailable)
		mu.Lock()
		assert.Equal(t, tt.want, hosts[len(hosts)-1])
		mu.Unlock()
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestSDKRetriesAreOff(t *testing.T) {
	// A throttled create is answered once and returned: the SDK must not
	// resend the same signed request on its own.
	now := time.Now()
	srv := flowlogtest.NewServer(flowlogtest.WithTencentRateLimit(1), flowlogtest.WithClock(func() time.Time { return now }))
	defer srv.Close()
	c := flowlog.NewClient(newProvider(t, srv), flowlog.WithRetry(flowlog.MaxAttempts(1)))
	_, err := c.Create(context.Background(), eniSpec(flowlogtest.DefaultTencentNetworkInterfaceID))
	require.NoError(t, err)
	_, err = c.Create(context.Background(), eniSpec(flowlogtest.DefaultTencentNetworkInterfaceID2))
	assert.ErrorIs(t, err, flowlog.ErrThrottled)
	assert.Equal(t, 1, srv.Calls("Tencent.CreateFlowLog"), "one accepted create, no hidden resend")
	assert.Len(t, srv.TencentFlowLogs(), 1)
}
