package flowlogtest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/cloudflowlog/flowlog-go/aliyun"
	"github.com/cloudflowlog/flowlog-go/cbn"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/flowlog/ratelimit"
	"github.com/cloudflowlog/flowlog-go/tencent"
)

// The examples drive the emulator with this module's adapters. Any client of
// the clouds' APIs works the same way: the package documentation shows the
// official SDKs pointed at Server.Endpoint. ExampleNewServer shows the setup
// step by step; the others get the same setup from the helpers at the end of
// this file.

func ExampleNewServer() {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(10 * time.Millisecond))
	defer srv.Close()

	// Point the adapter at the emulator, with the credential it accepts.
	p, err := aliyun.New(
		aliyun.WithEndpoint(srv.URL),
		aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	if err != nil {
		fmt.Println(err)
		return
	}
	client := flowlog.NewClient(p, flowlog.WithWaitDefaults(flowlog.PollDelay(2*time.Millisecond, 10*time.Millisecond)))
	defer client.Close()

	// The default fixture has a region, a VPC, a vSwitch, three ENIs and an
	// SLS logstore to deliver to.
	fl, err := client.CreateAndWait(context.Background(), flowlog.FlowLogSpec{
		Region:      flowlogtest.DefaultRegion,
		Name:        "web-eni",
		Resource:    flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: flowlogtest.DefaultNetworkInterfaceID},
		TrafficType: flowlog.TrafficReject,
		Destination: flowlog.Destination{SLS: &flowlog.SLSDestination{
			Project: flowlogtest.DefaultSLSProject, LogStore: flowlogtest.DefaultSLSLogStore}},
		AggregationInterval: 5 * time.Minute,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("client sees:", fl.Status)

	// Inspect what the emulator holds, in the API's own terms.
	for _, v := range srv.VPCFlowLogs() {
		fmt.Println("server holds:", v.FlowLogName, v.ResourceType, v.ResourceID, v.VPCID,
			v.TrafficType, v.AggregationInterval, v.LogStoreName, v.Status)
	}
	fmt.Println("create calls:", srv.Calls("CreateFlowLog"))
	// Output:
	// client sees: active
	// server holds: web-eni NetworkInterface eni-emu00000000000001 vpc-emu00000000000001 Drop 5 flowlog-store Active
	// create calls: 1
}

func ExampleServer_InjectFaults() {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(10 * time.Millisecond))
	defer srv.Close()
	client := aliyunClient(srv,
		flowlog.WithRetry(flowlog.RetryDelays(time.Millisecond, time.Millisecond, 10*time.Millisecond)))
	defer client.Close()

	// The next create is applied, but its answer never arrives: the client
	// cannot know whether the flow log was made.
	srv.InjectFaults(flowlogtest.FaultRule{Action: "CreateFlowLog", Count: 1,
		Kinds: []flowlogtest.FaultKind{flowlogtest.FaultLostResponse}})

	eni := flowlogtest.DefaultNetworkInterfaceID
	fl, err := client.CreateAndWait(context.Background(), slsSpec(flowlog.ResourceNetworkInterface, eni))
	if err != nil {
		fmt.Println(err)
		return
	}
	// The client looked before creating again and adopted the flow log the
	// lost request made: there is exactly one.
	fmt.Println(fl.Status, srv.FaultsInjected(), len(srv.FlowLogsOn(eni)))
	// Output:
	// active map[LostResponse:1] 1
}

func ExampleDocumentedErrorCodes() {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	client := aliyunClient(srv)
	defer client.Close()

	codes := flowlogtest.DocumentedErrorCodes("Vpc.CreateFlowLog")
	fmt.Println(len(codes), "codes, e.g.", codes[0])

	// The emulator does not model who calls; a documented-error fault
	// answers the next create as Alibaba answers a RAM user.
	srv.InjectFaults(flowlogtest.FaultRule{Action: "Vpc.CreateFlowLog", Count: 1,
		Kinds: []flowlogtest.FaultKind{flowlogtest.FaultDocumentedError}, Code: "Unauthorized"})
	_, err := client.Create(context.Background(), slsSpec(flowlog.ResourceNetworkInterface, flowlogtest.DefaultNetworkInterfaceID))
	var fe *flowlog.Error
	if errors.As(err, &fe) {
		fmt.Println(fe.ProviderCode, fe.Message, errors.Is(err, flowlog.ErrPermissionDenied))
	}
	// Output:
	// 35 codes, e.g. DuplicatedParam.TrafficPath
	// Unauthorized This api does not support sub user or role. true
}

func ExampleWithFaults() {
	// Every DescribeFlowLogs call fails with a 503 or a throttle, picked by
	// the seeded source, until ClearFaults.
	srv := flowlogtest.NewServer(flowlogtest.WithFaults(flowlogtest.FaultRule{
		Action: "Vpc.DescribeFlowLogs",
		Rate:   1,
		Kinds:  []flowlogtest.FaultKind{flowlogtest.FaultServerError, flowlogtest.FaultThrottle},
	}), flowlogtest.WithFaultSeed(7))
	defer srv.Close()
	client := aliyunClient(srv, flowlog.WithRetry(flowlog.MaxAttempts(1)))
	defer client.Close()

	_, err := client.Get(context.Background(), flowlogtest.DefaultRegion, "fl-doesnotexist000000000")
	fmt.Println(errors.Is(err, flowlog.ErrUnavailable) || errors.Is(err, flowlog.ErrThrottled))

	srv.ClearFaults()
	_, err = client.Get(context.Background(), flowlogtest.DefaultRegion, "fl-doesnotexist000000000")
	fmt.Println(errors.Is(err, flowlog.ErrNotFound))
	// Output:
	// true
	// true
}

func ExampleServer_FlowLogsOn() {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(10 * time.Millisecond))
	defer srv.Close()
	ctx := context.Background()

	// One emulator serves Alibaba Cloud VPC, CEN and Tencent Cloud at once.
	aliClient, tcClient := aliyunClient(srv), tencentClient(srv)
	defer aliClient.Close()
	defer tcClient.Close()

	aliSpec := slsSpec(flowlog.ResourceNetworkInterface, flowlogtest.DefaultNetworkInterfaceID)
	if _, err := aliClient.Create(ctx, aliSpec); err != nil {
		fmt.Println(err)
		return
	}
	tcSpec := clsSpec("web-eni", flowlog.ResourceNetworkInterface,
		flowlogtest.DefaultTencentNetworkInterfaceID, flowlogtest.DefaultTencentVPCID)
	if _, err := tcClient.Create(ctx, tcSpec); err != nil {
		fmt.Println(err)
		return
	}

	// FlowLogsOn finds the flow logs of a resource on any product, in any
	// state: the way to prove that retries made exactly one.
	fmt.Println(len(srv.FlowLogsOn(flowlogtest.DefaultNetworkInterfaceID)))
	fmt.Println(len(srv.FlowLogsOn(flowlogtest.DefaultTencentNetworkInterfaceID)))
	fmt.Println(len(srv.FlowLogsOn(flowlogtest.DefaultNetworkInterfaceID2)))
	// Output:
	// 1
	// 1
	// 0
}

func ExampleWithActivationDelay() {
	// A manual clock makes the transition deterministic: the flow log
	// settles when the clock has moved past the activation delay, not when
	// real time has.
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); defer mu.Unlock(); now = now.Add(d) }

	srv := flowlogtest.NewServer(
		flowlogtest.WithClock(clock),
		flowlogtest.WithActivationDelay(time.Minute))
	defer srv.Close()
	client := aliyunClient(srv)
	defer client.Close()
	ctx := context.Background()

	fl, err := client.Create(ctx, slsSpec(flowlog.ResourceNetworkInterface, flowlogtest.DefaultNetworkInterfaceID))
	if err != nil {
		fmt.Println(err)
		return
	}
	fl, err = client.Get(ctx, fl.Region, fl.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fl.Status, fl.RawStatus)

	advance(time.Minute) // keep a manual clock within 15 minutes of real time
	fl, err = client.Get(ctx, fl.Region, fl.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fl.Status, fl.RawStatus)
	// Output:
	// pending Activating
	// active Active
}

func ExampleServer_Calls() {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(0))
	defer srv.Close()
	client := aliyunClient(srv)
	defer client.Close()

	spec := slsSpec(flowlog.ResourceNetworkInterface, flowlogtest.DefaultNetworkInterfaceID)
	for range 2 {
		if _, err := client.Create(context.Background(), spec); err != nil {
			fmt.Println(err)
			return
		}
	}
	// The second create reached the server and was answered "already
	// exists" (Calls counts it); the client then found the flow log on the
	// resource and adopted it, so there is still only one.
	fmt.Println(srv.Calls("CreateFlowLog"), srv.Calls("Vpc.CreateFlowLog"), srv.Calls("Tencent.CreateFlowLog"),
		len(srv.FlowLogsOn(flowlogtest.DefaultNetworkInterfaceID)))
	// Output:
	// 2 2 0 1
}

func ExampleServer_TencentFlowLogs() {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	client := tencentClient(srv)
	defer client.Close()

	spec := clsSpec("nat-kafka", flowlog.ResourceNATGateway,
		flowlogtest.DefaultTencentNATGatewayID, flowlogtest.DefaultTencentVPCID)
	spec.TrafficType = flowlog.TrafficAccept
	spec.Destination = flowlog.Destination{CKafka: &flowlog.CKafkaDestination{
		InstanceID: flowlogtest.DefaultCKafkaInstanceID, Topic: flowlogtest.DefaultCKafkaTopic}}
	if _, err := client.Create(context.Background(), spec); err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range srv.TencentFlowLogs() {
		fmt.Println(v.FlowLogName, v.ResourceType, v.ResourceID, v.TrafficType, v.StorageType, v.StorageID, v.StorageTopic, v.Enabled)
	}
	// Output:
	// nat-kafka NAT nat-emu00001 ACCEPT ckafka ckafka-emu00001 flowlog-emu true
}

func ExampleServer_CENFlowLogs() {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(10 * time.Millisecond))
	defer srv.Close()
	// CEN flow logs go through the cbn adapter, on the same account and
	// gateway as the VPC ones.
	client := cbnClient(srv)
	defer client.Close()

	spec := cenSpec(flowlog.ResourceTransitRouterAttachment,
		flowlogtest.DefaultTransitRouterAttachmentID, flowlogtest.DefaultCENID)
	spec.Name = "attachment"
	spec.AggregationInterval = time.Minute
	spec.ClientToken = "attachment-flowlog-1"
	if _, err := client.CreateAndWait(context.Background(), spec); err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range srv.CENFlowLogs() {
		fmt.Println(v.FlowLogName, v.CENID, v.TransitRouterID, v.TransitRouterAttachmentID,
			v.ProjectName, v.Interval, v.ClientToken, v.Status)
	}
	// Output:
	// attachment cen-emu000000000001 tr-emu00000000000001 tr-attach-emu000000000001 cen-logs 60 attachment-flowlog-1 Active
}

func ExampleWithoutDefaultFixture() {
	// Start empty and seed exactly what the test needs.
	srv := flowlogtest.NewServer(flowlogtest.WithoutDefaultFixture(), flowlogtest.WithActivationDelay(0))
	defer srv.Close()
	srv.AddNetworkInterface("cn-shanghai", "vpc-test0000000000001", "vsw-test0000000000001", "eni-test0000000000001")
	srv.AddSLSLogStore("test-project", "test-store")

	client := aliyunClient(srv)
	defer client.Close()

	spec := flowlog.FlowLogSpec{
		Region:      "cn-shanghai",
		Resource:    flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: "eni-test0000000000001"},
		Destination: flowlog.Destination{SLS: &flowlog.SLSDestination{Project: "test-project", LogStore: "test-store"}},
	}
	_, err := client.Create(context.Background(), spec)
	fmt.Println(err)

	spec.Region = "xx-nowhere-1" // no such region, and not seeded
	_, err = client.Create(context.Background(), spec)
	var apiErr *flowlog.Error
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Code, apiErr.ProviderCode)
	}
	// Output:
	// <nil>
	// invalid argument InvalidRegionId.NotFound
}

func ExampleWithClock() {
	// A clock the test moves by hand; guard it if requests run concurrently.
	// Keep it within 15 minutes of real time: the SDKs stamp their requests
	// with the real time, and the emulator checks that as the clouds do.
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }

	srv := flowlogtest.NewServer(flowlogtest.WithClock(clock), flowlogtest.WithActivationDelay(30*time.Second))
	defer srv.Close()
	client := aliyunClient(srv)
	defer client.Close()
	ctx := context.Background()

	if _, err := client.Create(ctx, slsSpec(flowlog.ResourceNetworkInterface, flowlogtest.DefaultNetworkInterfaceID)); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(srv.VPCFlowLogs()[0].Status)

	// Half a minute later by the clock, not in real time, it is active.
	mu.Lock()
	now = now.Add(30 * time.Second)
	mu.Unlock()
	v := srv.VPCFlowLogs()[0]
	fmt.Println(v.Status, v.ActivatedAt.Equal(clock()))
	// Output:
	// Activating
	// Active true
}

func ExampleWithAlibabaCredential() {
	// Accept this AccessKey pair instead of the default one.
	srv := flowlogtest.NewServer(flowlogtest.WithAlibabaCredential("LTAIexampleKeyId", "example-secret"))
	defer srv.Close()

	for _, id := range []string{"LTAIexampleKeyId", flowlogtest.DefaultAccessKeyID} {
		p, err := aliyun.New(aliyun.WithEndpoint(srv.URL), aliyun.WithAccessKey(id, "example-secret"))
		if err != nil {
			fmt.Println(err)
			return
		}
		client := flowlog.NewClient(p)
		_, err = client.Get(context.Background(), flowlogtest.DefaultRegion, "fl-doesnotexist000000000")
		fmt.Println(id, flowlog.ErrorCode(err))
		client.Close()
	}
	// Output:
	// LTAIexampleKeyId not found
	// LTAIflowlogtestEmulator unauthenticated
}

func ExampleWithFlowLogQuota() {
	srv := flowlogtest.NewServer(flowlogtest.WithFlowLogQuota(1))
	defer srv.Close()
	client := aliyunClient(srv)
	defer client.Close()

	for _, eni := range []string{flowlogtest.DefaultNetworkInterfaceID, flowlogtest.DefaultNetworkInterfaceID2} {
		_, err := client.Create(context.Background(), slsSpec(flowlog.ResourceNetworkInterface, eni))
		var apiErr *flowlog.Error
		if errors.As(err, &apiErr) {
			fmt.Println(eni, errors.Is(err, flowlog.ErrQuotaExceeded), apiErr.ProviderCode)
			continue
		}
		fmt.Println(eni, err)
	}
	// Output:
	// eni-emu00000000000001 <nil>
	// eni-emu00000000000002 true QuotaExceeded.FlowlogCount
}

func ExampleWithTencentRateLimit() {
	// The limit counts requests per second of the server's clock: with a
	// frozen clock, every request falls into the same second.
	frozen := time.Now()
	srv := flowlogtest.NewServer(
		flowlogtest.WithClock(func() time.Time { return frozen }),
		flowlogtest.WithTencentRateLimit(2))
	defer srv.Close()
	p, err := tencent.New(tencent.WithEndpoint(srv.URL),
		tencent.WithSecretKey(flowlogtest.DefaultTencentSecretID, flowlogtest.DefaultTencentSecretKey),
		tencent.WithRateLimit(0)) // no client-side limit, to reach the server's
	if err != nil {
		fmt.Println(err)
		return
	}
	client := flowlog.NewClient(p, flowlog.WithRetry(flowlog.MaxAttempts(1)))
	defer client.Close()

	// Two describe calls go through (the flow log does not exist); the
	// third is throttled.
	for range 3 {
		_, err := client.Get(context.Background(), flowlogtest.DefaultTencentRegion, "fl-abcd1234")
		fmt.Println(flowlog.ErrorCode(err))
	}
	// Output:
	// not found
	// not found
	// throttled
}

// Any client can talk to the emulator; here the official Alibaba Cloud SDK,
// pointed at Endpoint over plain HTTP.
func ExampleServer_Endpoint() {
	srv := flowlogtest.NewServer()
	defer srv.Close()

	client, err := vpc.NewClientWithOptions(flowlogtest.DefaultRegion,
		sdk.NewConfig().WithScheme("HTTP"),
		credentials.NewStaticAKCredentialsProvider(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	if err != nil {
		fmt.Println(err)
		return
	}
	client.Domain = srv.Endpoint() // "127.0.0.1:port"

	req := vpc.CreateCreateFlowLogRequest()
	req.ResourceType = "NetworkInterface"
	req.ResourceId = flowlogtest.DefaultNetworkInterfaceID
	req.TrafficType = "All"
	req.ProjectName = flowlogtest.DefaultSLSProject
	req.LogStoreName = flowlogtest.DefaultSLSLogStore
	resp, err := client.CreateFlowLog(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.Success, resp.FlowLogId == srv.VPCFlowLogs()[0].FlowLogID)

	// A second flow log on the same ENI fails with the real status and code
	// (Alibaba's, odd as it is).
	_, err = client.CreateFlowLog(req)
	var serverErr *sdkerrors.ServerError
	if errors.As(err, &serverErr) {
		fmt.Println(serverErr.HttpStatus(), serverErr.ErrorCode())
	}
	// Output:
	// true true
	// 400 InvalidResourceId.NotFound
}

func ExampleServer_FailDelivery() {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(0))
	defer srv.Close()
	client := aliyunClient(srv)
	defer client.Close()
	ctx := context.Background()

	fl, err := client.Create(ctx, slsSpec(flowlog.ResourceNetworkInterface, flowlogtest.DefaultNetworkInterfaceID))
	if err != nil {
		fmt.Println(err)
		return
	}
	// The logstore is gone: the flow log is active but cannot deliver, and a
	// wait for it fails at once, saying why.
	srv.FailDelivery(fl.ID, "ProjectNotExist")
	_, err = client.Wait(ctx, fl.Region, fl.ID)
	var we *flowlog.WaitError
	if errors.As(err, &we) {
		fmt.Println(we.Last, we.LastRaw, we.Reason)
	}
	// Output:
	// failed Active delivery failed: ProjectNotExist
}

func ExampleServer_DeleteCLSTopic() {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	client := tencentClient(srv)
	defer client.Close()
	ctx := context.Background()

	spec := clsSpec("web-eni", flowlog.ResourceNetworkInterface,
		flowlogtest.DefaultTencentNetworkInterfaceID, flowlogtest.DefaultTencentVPCID)
	fl, err := client.Create(ctx, spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	// Someone deletes the CLS topic in the console: the flow log stays, but
	// reports CloudLogState DELETED.
	srv.DeleteCLSTopic(flowlogtest.DefaultTencentRegion, flowlogtest.DefaultCLSTopicID)
	fl, err = client.Get(ctx, fl.Region, fl.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fl.Status, srv.TencentFlowLogs()[0].CloudLogState)

	// New flow logs cannot use it.
	spec.Resource.ID = flowlogtest.DefaultTencentNetworkInterfaceID2
	_, err = client.Create(ctx, spec)
	fmt.Println(flowlog.ErrorCode(err))
	// Output:
	// failed DELETED
	// not found
}

func ExampleBenchmarkID() {
	fmt.Println(flowlogtest.BenchmarkID("eni", 0), flowlogtest.BenchmarkID("eni", 255))
	// Output:
	// eni-00000000 eni-000000ff
}

// RunConformance needs a *testing.T, so this example is compiled but not run.
// An adapter's tests call it from a test function, as below.
func ExampleRunConformance() {
	testConformance := func(t *testing.T) { // func TestConformance(t *testing.T) in a _test.go file
		newProvider := func(t *testing.T, srv *flowlogtest.Server, secret string, rt http.RoundTripper) driver.Provider {
			opts := []aliyun.Option{aliyun.WithEndpoint(srv.URL), aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, secret)}
			if rt != nil {
				opts = append(opts, aliyun.WithHTTPTransport(rt))
			}
			p, err := aliyun.New(opts...)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		flowlogtest.RunConformance(t, flowlogtest.Harness{
			NewProvider: func(t *testing.T, srv *flowlogtest.Server, rt http.RoundTripper) driver.Provider {
				return newProvider(t, srv, flowlogtest.DefaultAccessKeySecret, rt)
			},
			NewProviderWithSecret: func(t *testing.T, srv *flowlogtest.Server, secret string) driver.Provider {
				return newProvider(t, srv, secret, nil)
			},
			NewProviderWithLimiter: func(t *testing.T, srv *flowlogtest.Server, lim ratelimit.Limiter) driver.Provider {
				p, err := aliyun.New(aliyun.WithEndpoint(srv.URL), aliyun.WithLimiter(lim),
					aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
				if err != nil {
					t.Fatal(err)
				}
				return p
			},
			// A valid spec on the i-th resource, seeded on demand.
			Spec: func(t *testing.T, srv *flowlogtest.Server, i int) flowlog.FlowLogSpec {
				eni := fmt.Sprintf("eni-conformance%04d", i)
				srv.AddNetworkInterface(flowlogtest.DefaultRegion, flowlogtest.DefaultVPCID, flowlogtest.DefaultVSwitchID, eni)
				return slsSpec(flowlog.ResourceNetworkInterface, eni)
			},
			// Specs the adapter must refuse before sending anything.
			Invalid: []flowlogtest.InvalidCase{{
				Name: "CLS destination",
				Mutate: func(s *flowlog.FlowLogSpec) {
					s.Destination = flowlog.Destination{CLS: &flowlog.CLSDestination{TopicID: "t"}}
				},
				Field: "Destination.CLS",
				Is:    flowlog.ErrUnsupported,
			}},
			// Server-side failures and the neutral code each must map to.
			ServerErrors: []flowlogtest.ServerErrorCase{{
				Name: "service not opened",
				Prepare: func(t *testing.T, srv *flowlogtest.Server, s *flowlog.FlowLogSpec) {
					srv.SetFlowLogServiceOpened(s.Region, false)
				},
				Is:           flowlog.ErrFailedPrecondition,
				ProviderCode: "OptInRequired.FlowLog",
			}},
			// The SDK type FlowLog.As must reach.
			Raw: func() any { return new(vpc.FlowLog) },
		})
	}
	_ = testConformance
}

// CompareOverhead needs a *testing.B, so this example is compiled but not
// run. Both sides create a flow log on a fresh ENI of an emulator of their
// own: one through flowlog.Client, the other with the official SDK.
func ExampleCompareOverhead() {
	emulator := func(b *testing.B) (*flowlogtest.Server, func(int) string) {
		srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(0))
		b.Cleanup(srv.Close)
		return srv, func(i int) string {
			eni := flowlogtest.BenchmarkID("eni", i)
			srv.AddNetworkInterface(flowlogtest.DefaultRegion, flowlogtest.DefaultVPCID, flowlogtest.DefaultVSwitchID, eni)
			return eni
		}
	}
	clientSide := func(b *testing.B) (func(int) string, func(*testing.B, string)) {
		srv, seed := emulator(b)
		client := aliyunClient(srv)
		b.Cleanup(func() { client.Close() })
		return seed, func(b *testing.B, eni string) {
			if _, err := client.Create(context.Background(), slsSpec(flowlog.ResourceNetworkInterface, eni)); err != nil {
				b.Fatal(err)
			}
		}
	}
	sdkSide := func(b *testing.B) (func(int) string, func(*testing.B, string)) {
		srv, seed := emulator(b)
		client, err := vpc.NewClientWithOptions(flowlogtest.DefaultRegion, sdk.NewConfig().WithScheme("HTTP"),
			credentials.NewStaticAKCredentialsProvider(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
		if err != nil {
			b.Fatal(err)
		}
		client.Domain = srv.Endpoint()
		return seed, func(b *testing.B, eni string) {
			req := vpc.CreateCreateFlowLogRequest()
			req.RegionId = flowlogtest.DefaultRegion
			req.ResourceType, req.ResourceId, req.TrafficType = "NetworkInterface", eni, "All"
			req.ProjectName, req.LogStoreName = flowlogtest.DefaultSLSProject, flowlogtest.DefaultSLSLogStore
			if _, err := client.CreateFlowLog(req); err != nil {
				b.Fatal(err)
			}
		}
	}
	benchmarkOverhead := func(b *testing.B) { // func BenchmarkOverhead(b *testing.B) in a _test.go file
		flowlogtest.CompareOverhead(b, clientSide, sdkSide)
	}
	_ = benchmarkOverhead
}

// ---- helpers ------------------------------------------------------------------
//
// The helpers below give the examples of this package their setup, so that
// each shows only what it is about: a Client of one of this module's adapters,
// pointed at the emulator with the credential it accepts by default, and specs
// of flow logs that deliver to the default fixture's destinations.
// ExampleNewServer shows the same setup in full. The clients' waits poll every
// 2 to 10 ms, fast enough for an emulator whose flow logs become active within
// milliseconds; opts come after that and may override it. The caller closes
// the client.

// aliyunClient returns a Client of the Alibaba Cloud VPC adapter talking to srv.
func aliyunClient(srv *flowlogtest.Server, opts ...flowlog.Option) *flowlog.Client {
	p, err := aliyun.New(aliyun.WithEndpoint(srv.URL),
		aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	return emulatorClient(p, err, opts)
}

// cbnClient returns a Client of the Alibaba Cloud Enterprise Network adapter
// talking to srv.
func cbnClient(srv *flowlogtest.Server, opts ...flowlog.Option) *flowlog.Client {
	p, err := cbn.New(cbn.WithEndpoint(srv.URL),
		cbn.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	return emulatorClient(p, err, opts)
}

// tencentClient returns a Client of the Tencent Cloud adapter talking to srv.
func tencentClient(srv *flowlogtest.Server, opts ...flowlog.Option) *flowlog.Client {
	p, err := tencent.New(tencent.WithEndpoint(srv.URL),
		tencent.WithSecretKey(flowlogtest.DefaultTencentSecretID, flowlogtest.DefaultTencentSecretKey))
	return emulatorClient(p, err, opts)
}

// emulatorClient returns a Client over p, the adapter a New returned with
// err, or panics with err: New does no I/O and fails only on bad options.
func emulatorClient(p driver.Provider, err error, opts []flowlog.Option) *flowlog.Client {
	if err != nil {
		panic(err)
	}
	return flowlog.NewClient(p, append([]flowlog.Option{
		flowlog.WithWaitDefaults(flowlog.PollDelay(2*time.Millisecond, 10*time.Millisecond))}, opts...)...)
}

// slsSpec is the spec of a flow log on the Alibaba Cloud VPC resource id, in
// the default region, delivering to the default SLS logstore.
func slsSpec(kind flowlog.ResourceKind, id string) flowlog.FlowLogSpec {
	return flowlog.FlowLogSpec{
		Region:   flowlogtest.DefaultRegion,
		Resource: flowlog.Resource{Kind: kind, ID: id},
		Destination: flowlog.Destination{SLS: &flowlog.SLSDestination{
			Project: flowlogtest.DefaultSLSProject, LogStore: flowlogtest.DefaultSLSLogStore}},
	}
}

// cenSpec is the spec of a flow log on the resource id of the CEN instance
// cenID, in the default region, delivering to the logstore "flows" of the SLS
// project "cen-logs".
func cenSpec(kind flowlog.ResourceKind, id, cenID string) flowlog.FlowLogSpec {
	return flowlog.FlowLogSpec{
		Region:      flowlogtest.DefaultRegion,
		Resource:    flowlog.Resource{Kind: kind, ID: id, NetworkID: cenID},
		Destination: flowlog.Destination{SLS: &flowlog.SLSDestination{Project: "cen-logs", LogStore: "flows"}},
	}
}

// clsSpec is the spec of the Tencent Cloud flow log name on the resource id of
// the VPC vpcID (empty for a CCN), in the default region, delivering to the
// default CLS topic.
func clsSpec(name string, kind flowlog.ResourceKind, id, vpcID string) flowlog.FlowLogSpec {
	return flowlog.FlowLogSpec{
		Region:      flowlogtest.DefaultTencentRegion,
		Name:        name,
		Resource:    flowlog.Resource{Kind: kind, ID: id, NetworkID: vpcID},
		Destination: flowlog.Destination{CLS: &flowlog.CLSDestination{TopicID: flowlogtest.DefaultCLSTopicID}},
	}
}
