package aliyun_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/cloudflowlog/flowlog-go/aliyun"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/internal/testkit"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		// Idle keep-alive connections of the private transport clones close
		// on their own; they are not goroutines a call leaves behind.
		goleak.IgnoreTopFunction("internal/poll.runtime_pollWait"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).readLoop"))
}

const testSecret = "emulator-secret-must-not-leak"

// oneAttempt makes a client that does not retry, for tests of how a single
// failure is reported.
var oneAttempt = flowlog.WithRetry(flowlog.MaxAttempts(1))

// setup starts an emulator and a client talking to it with fast polling.
func setup(t *testing.T, opts ...flowlogtest.Option) (*flowlogtest.Server, *flowlog.Client) {
	t.Helper()
	srv := flowlogtest.NewServer(append([]flowlogtest.Option{
		flowlogtest.WithAlibabaCredential("LTAItestkey", testSecret),
		flowlogtest.WithActivationDelay(30 * time.Millisecond),
	}, opts...)...)
	t.Cleanup(srv.Close)
	p, err := aliyun.New(aliyun.WithEndpoint(srv.URL), aliyun.WithAccessKey("LTAItestkey", testSecret))
	require.NoError(t, err)
	c := flowlog.NewClient(p, flowlog.WithWaitDefaults(flowlog.PollDelay(5*time.Millisecond, 20*time.Millisecond), flowlog.MaxWait(5*time.Second)))
	t.Cleanup(func() { c.Close() })
	return srv, c
}

func eniSpec(eni string) flowlog.FlowLogSpec {
	return flowlog.FlowLogSpec{
		Region:      flowlogtest.DefaultRegion,
		Name:        "test-flowlog",
		Description: "a test flow log",
		Resource:    flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: eni},
		TrafficType: flowlog.TrafficReject,
		Destination: flowlog.Destination{SLS: &flowlog.SLSDestination{
			Project: flowlogtest.DefaultSLSProject, LogStore: flowlogtest.DefaultSLSLogStore}},
		AggregationInterval: 5 * time.Minute,
		Tags:                map[string]string{"team": "net", "env": "test"},
	}
}

func TestCreateAndWaitUntilActive(t *testing.T) {
	// A fake clock holds the flow log in Activating until the first poll has
	// seen it: the test does not depend on how fast the machine is.
	clock := testkit.NewClock()
	srv, c := setup(t, flowlogtest.WithActivationDelay(time.Minute), flowlogtest.WithClock(clock.Now))
	ctx := context.Background()
	var seen []string
	spec := eniSpec(flowlogtest.DefaultNetworkInterfaceID)
	spec.Alibaba = &flowlog.AlibabaOptions{IPVersion: "IPv4", ResourceGroupID: "rg-acfmtest0001"}

	created, err := c.Create(ctx, spec)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(created.ID, "fl-"), created.ID)
	assert.Equal(t, flowlog.StatusPending, created.Status)
	var createResp *vpc.CreateFlowLogResponse
	require.True(t, created.As(&createResp))
	assert.NotEmpty(t, createResp.RequestId)

	fl, err := c.Wait(ctx, spec.Region, created.ID, flowlog.OnStatus(func(f *flowlog.FlowLog) {
		seen = append(seen, f.RawStatus)
		clock.Advance(time.Minute) // activation happens after the first look
	}))
	require.NoError(t, err)
	assert.Equal(t, []string{"Activating", "Active"}, seen)
	assert.Equal(t, flowlog.StatusActive, fl.Status)
	assert.Equal(t, "aliyun", fl.Provider)
	assert.Equal(t, spec.Region, fl.Region)
	assert.Equal(t, spec.Name, fl.Name)
	assert.Equal(t, spec.Description, fl.Description)
	assert.Equal(t, spec.Resource, fl.Resource)
	assert.Equal(t, flowlog.TrafficReject, fl.TrafficType)
	assert.Equal(t, spec.Destination, fl.Destination)
	assert.Equal(t, 5*time.Minute, fl.AggregationInterval)
	assert.Equal(t, map[string]string{"team": "net", "env": "test", flowlog.OwnerTagKey: flowlog.DefaultOwner}, fl.Tags,
		"the spec's tags and the client's owner tag")
	assert.WithinDuration(t, time.Now(), fl.CreatedAt, time.Minute)

	var raw vpc.FlowLog
	require.True(t, fl.As(&raw))
	assert.Equal(t, "Drop", raw.TrafficType)
	assert.Equal(t, "IPv4", raw.IpVersion)
	assert.Equal(t, "rg-acfmtest0001", raw.ResourceGroupId)
	assert.Equal(t, spec.Alibaba, created.Alibaba, "Create reports what it asked for")
	assert.Equal(t, &flowlog.AlibabaOptions{TrafficPaths: []flowlog.AlibabaTrafficPath{flowlog.AlibabaTrafficPathAll},
		IPVersion: "IPv4", ResourceGroupID: "rg-acfmtest0001"}, fl.Alibaba, "Describe reports what the API says")

	// What reached the emulator is what the spec said.
	var stored *flowlogtest.VPCFlowLog
	for _, f := range srv.VPCFlowLogs() {
		if f.FlowLogID == created.ID {
			stored = &f
		}
	}
	require.NotNil(t, stored)
	assert.Equal(t, 5, stored.AggregationInterval)
	assert.Equal(t, "NetworkInterface", stored.ResourceType)
}

// TestCreateDoesNotAdoptOtherAlibabaSettings: the ENI has a flow log for
// IPv4 in one resource group; a create of the same spec for IPv6 in another
// must not pass that flow log off as the one asked for.
func TestCreateDoesNotAdoptOtherAlibabaSettings(t *testing.T) {
	_, c := setup(t)
	ctx := context.Background()
	spec := eniSpec(flowlogtest.DefaultNetworkInterfaceID)
	spec.Alibaba = &flowlog.AlibabaOptions{IPVersion: "IPv4", ResourceGroupID: "rg-aaaa"}
	existing, err := c.Create(ctx, spec)
	require.NoError(t, err)

	other := spec
	other.Alibaba = &flowlog.AlibabaOptions{IPVersion: "IPv6", ResourceGroupID: "rg-bbbb"}
	fl, err := c.Create(ctx, other)
	require.ErrorIs(t, err, flowlog.ErrAlreadyExists)
	assert.Nil(t, fl, "the existing flow log is not returned")
	var fe *flowlog.Error
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, existing.ID, fe.ID)
	assert.Contains(t, fe.Message, "Alibaba.IPVersion")
	assert.Contains(t, fe.Message, "Alibaba.ResourceGroupID")

	same, err := c.Create(ctx, spec)
	require.NoError(t, err, "the same spec again adopts it")
	assert.Equal(t, existing.ID, same.ID)
}

func TestValidationSendsNothing(t *testing.T) {
	srv, c := setup(t)
	long := strings.Repeat("a", 129)
	tests := []struct {
		name   string
		mutate func(*flowlog.FlowLogSpec)
		field  string
		is     error
	}{
		{"name too long", func(s *flowlog.FlowLogSpec) { s.Name = long }, "Name", flowlog.ErrInvalidArgument},
		{"name is a URL", func(s *flowlog.FlowLogSpec) { s.Name = "http://x" }, "Name", flowlog.ErrInvalidArgument},
		{"description too long", func(s *flowlog.FlowLogSpec) { s.Description = strings.Repeat("d", 257) }, "Description", flowlog.ErrInvalidArgument},
		{"description is a URL", func(s *flowlog.FlowLogSpec) { s.Description = "https://x" }, "Description", flowlog.ErrInvalidArgument},
		{"project pattern", func(s *flowlog.FlowLogSpec) { s.Destination.SLS.Project = "Bad_Project" }, "Destination.SLS.Project", flowlog.ErrInvalidArgument},
		{"project too short", func(s *flowlog.FlowLogSpec) { s.Destination.SLS.Project = "ab" }, "Destination.SLS.Project", flowlog.ErrInvalidArgument},
		{"project ends with hyphen", func(s *flowlog.FlowLogSpec) { s.Destination.SLS.Project = "abc-" }, "Destination.SLS.Project", flowlog.ErrInvalidArgument},
		{"logstore pattern", func(s *flowlog.FlowLogSpec) { s.Destination.SLS.LogStore = "_store" }, "Destination.SLS.LogStore", flowlog.ErrInvalidArgument},
		{"logstore too long", func(s *flowlog.FlowLogSpec) { s.Destination.SLS.LogStore = strings.Repeat("s", 64) }, "Destination.SLS.LogStore", flowlog.ErrInvalidArgument},
		{"interval", func(s *flowlog.FlowLogSpec) { s.AggregationInterval = 2 * time.Minute }, "AggregationInterval", flowlog.ErrInvalidArgument},
		{"too many tags", func(s *flowlog.FlowLogSpec) {
			for i := range 21 {
				s.Tags[fmt.Sprintf("k%d", i)] = "v"
			}
		}, "Tags", flowlog.ErrInvalidArgument},
		{"tag key aliyun prefix", func(s *flowlog.FlowLogSpec) { s.Tags["aliyun-x"] = "v" }, "Tags[aliyun-x] key", flowlog.ErrInvalidArgument},
		{"tag key acs prefix", func(s *flowlog.FlowLogSpec) { s.Tags["acs:x"] = "v" }, "Tags[acs:x] key", flowlog.ErrInvalidArgument},
		{"tag key too long", func(s *flowlog.FlowLogSpec) { s.Tags[long] = "v" }, "Tags[" + long + "] key", flowlog.ErrInvalidArgument},
		{"tag value URL", func(s *flowlog.FlowLogSpec) { s.Tags["k"] = "see https://x" }, "Tags[k] value", flowlog.ErrInvalidArgument},
		{"tag value too long", func(s *flowlog.FlowLogSpec) { s.Tags["k"] = long }, "Tags[k] value", flowlog.ErrInvalidArgument},
		{"traffic path value", func(s *flowlog.FlowLogSpec) {
			s.Alibaba = &flowlog.AlibabaOptions{TrafficPaths: []flowlog.AlibabaTrafficPath{"vpn"}}
		}, "Alibaba.TrafficPaths", flowlog.ErrInvalidArgument},
		{"traffic path twice", func(s *flowlog.FlowLogSpec) {
			s.Alibaba = &flowlog.AlibabaOptions{TrafficPaths: []flowlog.AlibabaTrafficPath{"all", "all"}}
		}, "Alibaba.TrafficPaths", flowlog.ErrInvalidArgument},
		{"resource group", func(s *flowlog.FlowLogSpec) { s.Alibaba = &flowlog.AlibabaOptions{ResourceGroupID: "group"} }, "Alibaba.ResourceGroupID", flowlog.ErrInvalidArgument},
		{"CLS destination", func(s *flowlog.FlowLogSpec) {
			s.Destination = flowlog.Destination{CLS: &flowlog.CLSDestination{TopicID: "t"}}
		}, "Destination.CLS", flowlog.ErrUnsupported},
		{"CKafka destination", func(s *flowlog.FlowLogSpec) {
			s.Destination = flowlog.Destination{CKafka: &flowlog.CKafkaDestination{InstanceID: "i", Topic: "t"}}
		}, "Destination.CKafka", flowlog.ErrUnsupported},
		{"CCN resource", func(s *flowlog.FlowLogSpec) { s.Resource.Kind = flowlog.ResourceCloudConnectNetwork }, "Resource.Kind", flowlog.ErrUnsupported},
		{"network ID", func(s *flowlog.FlowLogSpec) { s.Resource.NetworkID = "vpc-1" }, "Resource.NetworkID", flowlog.ErrUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := eniSpec(flowlogtest.DefaultNetworkInterfaceID)
			spec.Tags = map[string]string{}
			tt.mutate(&spec)
			_, err := c.Create(context.Background(), spec)
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.is)
			var ve *flowlog.ValidationError
			require.ErrorAs(t, err, &ve)
			var fields []string
			for _, f := range ve.Fields {
				fields = append(fields, f.Field)
			}
			assert.Contains(t, fields, tt.field)
		})
	}
	assert.Zero(t, srv.Calls("CreateFlowLog"), "no request may be sent for an invalid spec")
}

func TestValidationListsEveryBadField(t *testing.T) {
	_, c := setup(t)
	spec := eniSpec(flowlogtest.DefaultNetworkInterfaceID)
	spec.Name = "https://bad"
	spec.AggregationInterval = time.Hour
	spec.Destination.SLS.Project = "X"
	err := c.Validate(spec)
	var ve *flowlog.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Len(t, ve.Fields, 3)
	for _, f := range []string{"Name", "AggregationInterval", "Destination.SLS.Project"} {
		assert.Contains(t, err.Error(), f)
	}
}

func TestProviderErrorsAreTyped(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		opts   []flowlogtest.Option
		prep   func(*flowlogtest.Server)
		spec   func() flowlog.FlowLogSpec
		is     error
		code   string
		status int
	}{
		{
			name: "resource already has a flow log",
			prep: func(s *flowlogtest.Server) {},
			spec: func() flowlog.FlowLogSpec { return eniSpec(flowlogtest.DefaultNetworkInterfaceID2) },
			is:   flowlog.ErrAlreadyExists, code: "InvalidResourceId.NotFound", status: 400,
		},
		{
			name: "unknown network interface",
			spec: func() flowlog.FlowLogSpec { return eniSpec("eni-doesnotexist000001") },
			is:   flowlog.ErrNotFound, code: "InvalidInstanceId", status: 400,
		},
		{
			name: "unknown logstore",
			spec: func() flowlog.FlowLogSpec {
				s := eniSpec(flowlogtest.DefaultNetworkInterfaceID)
				s.Destination.SLS.LogStore = "no-such-store"
				return s
			},
			is: flowlog.ErrNotFound, code: "ProjectOrLogstoreNotExist", status: 400,
		},
		{
			name: "service not opened",
			prep: func(s *flowlogtest.Server) { s.SetFlowLogServiceOpened(flowlogtest.DefaultRegion, false) },
			spec: func() flowlog.FlowLogSpec { return eniSpec(flowlogtest.DefaultNetworkInterfaceID) },
			is:   flowlog.ErrFailedPrecondition, code: "OptInRequired.FlowLog", status: 400,
		},
		{
			name: "account financially locked",
			prep: func(s *flowlogtest.Server) { s.SetBusinessStatus(flowlogtest.DefaultRegion, "FinancialLocked") },
			spec: func() flowlog.FlowLogSpec { return eniSpec(flowlogtest.DefaultNetworkInterfaceID) },
			is:   flowlog.ErrFailedPrecondition, code: "IncorrectBusinessStatus.FlowLog", status: 400,
		},
		{
			name: "quota reached",
			opts: []flowlogtest.Option{flowlogtest.WithFlowLogQuota(0)},
			spec: func() flowlog.FlowLogSpec { return eniSpec(flowlogtest.DefaultNetworkInterfaceID) },
			is:   flowlog.ErrQuotaExceeded, code: "QuotaExceeded.FlowlogCount", status: 400,
		},
		{
			name: "unknown region",
			spec: func() flowlog.FlowLogSpec {
				s := eniSpec(flowlogtest.DefaultNetworkInterfaceID)
				s.Region = "xx-nowhere-1"
				return s
			},
			is: flowlog.ErrInvalidArgument, code: "InvalidRegionId.NotFound", status: 400,
		},
		{
			name: "traffic path not allow-listed",
			spec: func() flowlog.FlowLogSpec {
				s := eniSpec(flowlogtest.DefaultNetworkInterfaceID)
				s.Alibaba = &flowlog.AlibabaOptions{TrafficPaths: []flowlog.AlibabaTrafficPath{flowlog.AlibabaTrafficPathInternetGateway}}
				return s
			},
			is: flowlog.ErrFailedPrecondition, code: "UnsupportedFeature.UserDefinedTrafficPath", status: 400,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := setup(t, tt.opts...)
			if tt.name == "resource already has a flow log" {
				other := eniSpec(flowlogtest.DefaultNetworkInterfaceID2)
				other.Name = "someone-else" // an identical one would be adopted
				_, err := c.Create(ctx, other)
				require.NoError(t, err)
			}
			if tt.prep != nil {
				tt.prep(srv)
			}
			_, err := c.Create(ctx, tt.spec())
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.is)
			var fe *flowlog.Error
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, "aliyun", fe.Provider)
			assert.Equal(t, "CreateFlowLog", fe.Op)
			assert.Equal(t, tt.code, fe.ProviderCode)
			assert.Equal(t, tt.status, fe.HTTPStatus)
			assert.NotEmpty(t, fe.RequestID)
			assert.Contains(t, err.Error(), tt.code)
			assert.Contains(t, err.Error(), fe.RequestID)
			var se *sdkerrors.ServerError
			require.ErrorAs(t, err, &se, "errors.As reaches the SDK's error")
			assert.Equal(t, tt.code, se.ErrorCode())
		})
	}
}

// TestServiceNotOpenedSaysHowToOpenIt: OptInRequired.FlowLog is a failed
// precondition, not a missing permission, and its message says what to do.
func TestServiceNotOpenedSaysHowToOpenIt(t *testing.T) {
	srv, c := setup(t)
	srv.SetFlowLogServiceOpened(flowlogtest.DefaultRegion, false)
	_, err := c.Create(context.Background(), eniSpec(flowlogtest.DefaultNetworkInterfaceID))
	fe := testkit.ClientError(t, err, flowlog.ErrFailedPrecondition, "OptInRequired.FlowLog")
	assert.NotErrorIs(t, err, flowlog.ErrPermissionDenied)
	assert.Contains(t, fe.Message, "not opened in region "+flowlogtest.DefaultRegion)
	assert.Contains(t, err.Error(), "OpenFlowLogService (API) or in the VPC console")
}

func TestAuthErrorsNeverShowSecrets(t *testing.T) {
	srv := flowlogtest.NewServer(
		flowlogtest.WithAlibabaCredential("LTAIgoodkey", testSecret),
		flowlogtest.WithSTSCredential("STS.goodkey", testSecret, "sts-token-must-not-leak"))
	defer srv.Close()
	ctx := context.Background()
	tests := []struct {
		name   string
		opt    aliyun.Option
		code   string
		status int
	}{
		{"wrong secret", aliyun.WithAccessKey("LTAIgoodkey", "wrong-secret-must-not-leak"), "SignatureDoesNotMatch", 400},
		{"unknown key", aliyun.WithAccessKey("LTAIunknownkey", testSecret), "InvalidAccessKeyId.NotFound", 404},
		{"wrong token", aliyun.WithSTSToken("STS.goodkey", testSecret, "other-token-must-not-leak"), "InvalidSecurityToken.MismatchWithAccessKey", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := aliyun.New(aliyun.WithEndpoint(srv.URL), tt.opt)
			require.NoError(t, err)
			c := flowlog.NewClient(p)
			_, err = c.Create(ctx, eniSpec(flowlogtest.DefaultNetworkInterfaceID))
			require.Error(t, err)
			assert.ErrorIs(t, err, flowlog.ErrUnauthenticated)
			var fe *flowlog.Error
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tt.code, fe.ProviderCode)
			assert.Equal(t, tt.status, fe.HTTPStatus)
			for _, secret := range []string{testSecret, "wrong-secret-must-not-leak", "must-not-leak", "goodkey", "unknownkey"} {
				assert.NotContains(t, err.Error(), secret)
				assert.NotContains(t, fmt.Sprintf("%+v", err), secret)
			}
		})
	}
	// The STS credential itself works.
	p, err := aliyun.New(aliyun.WithEndpoint(srv.URL), aliyun.WithSTSToken("STS.goodkey", testSecret, "sts-token-must-not-leak"))
	require.NoError(t, err)
	_, err = flowlog.NewClient(p).Create(ctx, eniSpec(flowlogtest.DefaultNetworkInterfaceID))
	require.NoError(t, err)
}

func TestTransportErrorsAreRedacted(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close()) // nothing listens here now

	p, err := aliyun.New(aliyun.WithEndpoint("http://"+addr), aliyun.WithSTSToken("LTAIsecretid", testSecret, "sts-token-secret"))
	require.NoError(t, err)
	_, err = flowlog.NewClient(p, oneAttempt).Create(context.Background(), eniSpec(flowlogtest.DefaultNetworkInterfaceID))
	require.Error(t, err)
	assert.ErrorIs(t, err, flowlog.ErrUnavailable)
	text := fmt.Sprintf("%v %+v", err, err)
	for _, s := range []string{"LTAIsecretid", "sts-token-secret", testSecret, "Signature=", "SecurityToken=CAIS"} {
		if s == "Signature=" {
			assert.NotRegexp(t, `Signature=[^R&]`, text)
			continue
		}
		assert.NotContains(t, text, s)
	}
	// The wrapped url.Error is redacted too, for callers who unwrap it.
	assert.NotContains(t, errors.Unwrap(err).Error(), "LTAIsecretid")
}

func TestContextIsHonoured(t *testing.T) {
	release := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer hang.Close()
	defer close(release)

	p, err := aliyun.New(aliyun.WithEndpoint(hang.URL), aliyun.WithAccessKey("LTAIx", testSecret))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = flowlog.NewClient(p).Create(ctx, eniSpec(flowlogtest.DefaultNetworkInterfaceID))
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 5*time.Second, "the SDK's 10s read timeout must not be what ends the call")
}

func TestHTTPSIsTheDefault(t *testing.T) {
	var mu sync.Mutex
	var urls []string
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		urls = append(urls, r.URL.Scheme+"://"+r.URL.Host)
		mu.Unlock()
		return nil, errors.New("offline test")
	})
	for _, tt := range []struct{ endpoint, want string }{
		{"", "https://vpc.aliyuncs.com"}, // cn-hangzhou maps to the central endpoint
		{"vpc.cn-shanghai.aliyuncs.com", "https://vpc.cn-shanghai.aliyuncs.com"},
		{"https://vpc.example.test:8443", "https://vpc.example.test:8443"},
		{"http://127.0.0.1:9", "http://127.0.0.1:9"},
	} {
		opts := []aliyun.Option{aliyun.WithHTTPTransport(rt), aliyun.WithAccessKey("LTAIx", testSecret)}
		if tt.endpoint != "" {
			opts = append(opts, aliyun.WithEndpoint(tt.endpoint))
		}
		p, err := aliyun.New(opts...)
		require.NoError(t, err)
		_, err = flowlog.NewClient(p, oneAttempt).Create(context.Background(), eniSpec(flowlogtest.DefaultNetworkInterfaceID))
		require.Error(t, err)
		mu.Lock()
		assert.Equal(t, tt.want, urls[len(urls)-1])
		mu.Unlock()
	}
	_, err := aliyun.New(aliyun.WithEndpoint("ftp://x"))
	assert.Error(t, err)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestWaitFailsFastOnDeliveryFailure(t *testing.T) {
	srv, c := setup(t)
	ctx := context.Background()
	fl, err := c.CreateAndWait(ctx, eniSpec(flowlogtest.DefaultNetworkInterfaceID))
	require.NoError(t, err)
	srv.FailDelivery(fl.ID, "ProjectNotExist")
	_, err = c.Wait(ctx, fl.Region, fl.ID)
	var we *flowlog.WaitError
	require.ErrorAs(t, err, &we)
	assert.Equal(t, flowlog.StatusFailed, we.Last)
	assert.Equal(t, "Active", we.LastRaw)
	assert.Contains(t, we.Reason, "ProjectNotExist")
	assert.Equal(t, 1, we.Polls)
}

func TestDescribeManyPagesAndDelete(t *testing.T) {
	srv, c := setup(t, flowlogtest.WithActivationDelay(0))
	ctx := context.Background()
	enis := srv.AddNetworkInterfaces(flowlogtest.DefaultRegion, flowlogtest.DefaultVPCID, flowlogtest.DefaultVSwitchID, 120)
	p, err := aliyun.New(aliyun.WithEndpoint(srv.URL), aliyun.WithAccessKey("LTAItestkey", testSecret))
	require.NoError(t, err)
	var ids []string
	for _, eni := range enis {
		fl, err := c.Create(ctx, eniSpec(eni))
		require.NoError(t, err)
		ids = append(ids, fl.ID)
	}
	before := srv.Calls("DescribeFlowLogs")
	fls, err := p.Describe(ctx, flowlogtest.DefaultRegion, append(ids, "fl-doesnotexist"))
	require.NoError(t, err)
	assert.Len(t, fls, 120)
	assert.Equal(t, 3, srv.Calls("DescribeFlowLogs")-before, "120 flow logs are 3 pages of 50")

	require.NoError(t, c.Delete(ctx, flowlogtest.DefaultRegion, ids[0]))
	_, err = c.Get(ctx, flowlogtest.DefaultRegion, ids[0])
	assert.ErrorIs(t, err, flowlog.ErrNotFound)
	assert.NoError(t, c.Delete(ctx, flowlogtest.DefaultRegion, ids[0]), "deleting what is gone succeeds")
}

func TestConcurrentCreatesAreRaceFree(t *testing.T) {
	srv, c := setup(t)
	enis := srv.AddNetworkInterfaces(flowlogtest.DefaultRegion, flowlogtest.DefaultVPCID, flowlogtest.DefaultVSwitchID, 16)
	var wg sync.WaitGroup
	errs := make(chan error, len(enis))
	for _, eni := range enis {
		wg.Go(func() {
			_, err := c.CreateAndWait(context.Background(), eniSpec(eni))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	assert.Len(t, srv.VPCFlowLogs(), len(enis))
}

func TestMalformedResponsesBecomeTypedErrors(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		code   flowlog.Code
	}{
		{"html 502", 502, "<html><body>Bad Gateway</body></html>", flowlog.CodeUnavailable},
		{"json 503", 503, `{"RequestId":"R-1","Code":"ServiceUnavailable","Message":"The request has failed due to a temporary failure of the server."}`, flowlog.CodeUnavailable},
		{"throttled", 400, `{"RequestId":"R-2","Code":"Throttling.User","Message":"Request was denied due to user flow control."}`, flowlog.CodeThrottled},
		{"numeric request id", 400, `{"RequestId":5,"Code":"X"}`, flowlog.CodeUnavailable},
		{"200 not json", 200, "not json at all", flowlog.CodeUnavailable},
		{"200 without id", 200, `{"RequestId":"R-3","Success":"true"}`, flowlog.CodeUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			p, err := aliyun.New(aliyun.WithEndpoint(srv.URL), aliyun.WithAccessKey("LTAIx", testSecret))
			require.NoError(t, err)
			_, err = flowlog.NewClient(p, oneAttempt).Create(context.Background(), eniSpec(flowlogtest.DefaultNetworkInterfaceID))
			require.Error(t, err)
			var fe *flowlog.Error
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tt.code, fe.Code, err.Error())
			assert.Equal(t, "CreateFlowLog", fe.Op)
		})
	}
}
