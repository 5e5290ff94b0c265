package flowlogtest_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/cloudflowlog/flowlog-go/aliyun"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/tencent"
)

// These examples cover the options and seeding methods one by one. Like
// those in example_test.go, they drive the emulator through this module's
// adapters, so each shows what a test of client code would do with it; the
// helpers that set up their clients and specs are at the end of that file.

// ---- options ------------------------------------------------------------------

func ExampleWithActivationJitter() {
	// A manual clock shows where the jitter put each activation. The draws
	// come from a fixed seed, so every run prints the same.
	start := time.Now()
	var elapsed atomic.Int64 // read by the server's goroutines
	clock := func() time.Time { return start.Add(time.Duration(elapsed.Load())) }

	srv := flowlogtest.NewServer(flowlogtest.WithClock(clock),
		flowlogtest.WithActivationDelay(time.Minute), flowlogtest.WithActivationJitter(time.Minute))
	defer srv.Close()
	client := aliyunClient(srv)
	defer client.Close()

	// Three flow logs, created at the same instant of the server's clock.
	for _, eni := range []string{flowlogtest.DefaultNetworkInterfaceID, flowlogtest.DefaultNetworkInterfaceID2, flowlogtest.DefaultNetworkInterfaceID3} {
		if _, err := client.Create(context.Background(), slsSpec(flowlog.ResourceNetworkInterface, eni)); err != nil {
			fmt.Println(err)
			return
		}
	}
	elapsed.Store(int64(2 * time.Minute)) // past delay + jitter: all have settled

	// Each became Active at its own time, between the delay and the delay
	// plus the jitter.
	distinct := map[time.Time]bool{}
	for _, v := range srv.VPCFlowLogs() {
		after := v.ActivatedAt.Sub(start)
		fmt.Println(v.Status, after >= time.Minute && after < 2*time.Minute)
		distinct[v.ActivatedAt] = true
	}
	fmt.Println(len(distinct), "activation times")
	// Output:
	// Active true
	// Active true
	// Active true
	// 3 activation times
}

func ExampleWithFaultSeed() {
	// run sends eight reads to a new emulator that fails each with
	// probability 1/2, and returns which failed ("x") and which did not (".").
	run := func(seed int64) string {
		srv := flowlogtest.NewServer(flowlogtest.WithFaultSeed(seed), flowlogtest.WithFaults(flowlogtest.FaultRule{
			Rate: 0.5, Kinds: []flowlogtest.FaultKind{flowlogtest.FaultServerError}}))
		defer srv.Close()
		client := aliyunClient(srv, flowlog.WithRetry(flowlog.MaxAttempts(1)))
		defer client.Close()
		var pattern strings.Builder
		for range 8 {
			_, err := client.Get(context.Background(), flowlogtest.DefaultRegion, "fl-doesnotexist000000000")
			if errors.Is(err, flowlog.ErrUnavailable) {
				pattern.WriteString("x")
			} else {
				pattern.WriteString(".")
			}
		}
		return pattern.String()
	}
	// The same seed and the same requests give the same faults, so a test
	// that failed on a fault can be rerun to see it again.
	first := run(42)
	fmt.Println(first == run(42), strings.Contains(first, "x"), strings.Contains(first, "."))
	// Output:
	// true true true
}

func ExampleWithLogger() {
	// Debug level shows every answer. Time and request ID change from run
	// to run, so this handler leaves them out.
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == "request_id" {
				return slog.Attr{}
			}
			return a
		},
	}))
	srv := flowlogtest.NewServer(flowlogtest.WithLogger(logger))
	defer srv.Close()
	client := aliyunClient(srv, flowlog.WithRetry(flowlog.MaxAttempts(1)))
	defer client.Close()

	// A read that the server answers, then one in a region it does not
	// know: the log says what it answered, and why.
	for _, region := range []string{flowlogtest.DefaultRegion, "xx-nowhere-1"} {
		_, err := client.Get(context.Background(), region, "fl-doesnotexist000000000")
		fmt.Println(flowlog.ErrorCode(err))
	}
	// Output:
	// level=DEBUG msg="flowlogtest: rpc ok" product=Vpc action=DescribeFlowLogs
	// not found
	// level=DEBUG msg="flowlogtest: rpc error" product=Vpc action=DescribeFlowLogs code=InvalidRegionId.NotFound status=400 detail=""
	// invalid argument
}

func ExampleWithSTSCredential() {
	srv := flowlogtest.NewServer(flowlogtest.WithSTSCredential("STS.example", "sts-secret", "sts-token"))
	defer srv.Close()

	// The right token, a stale one, and none: only the first is accepted.
	for _, token := range []string{"sts-token", "stale-token", ""} {
		opt := aliyun.WithSTSToken("STS.example", "sts-secret", token)
		if token == "" {
			opt = aliyun.WithAccessKey("STS.example", "sts-secret")
		}
		p, err := aliyun.New(aliyun.WithEndpoint(srv.URL), opt)
		if err != nil {
			fmt.Println(err)
			return
		}
		client := flowlog.NewClient(p)
		_, err = client.Get(context.Background(), flowlogtest.DefaultRegion, "fl-doesnotexist000000000")
		var apiErr *flowlog.Error
		if errors.As(err, &apiErr) && apiErr.ProviderCode != "" {
			fmt.Println(apiErr.Code, apiErr.ProviderCode)
		} else {
			fmt.Println(flowlog.ErrorCode(err)) // authenticated: the flow log is just missing
		}
		client.Close()
	}
	// Output:
	// not found
	// unauthenticated InvalidSecurityToken.MismatchWithAccessKey
	// unauthenticated MissingSecurityToken
}

func ExampleWithTencentCredential() {
	// Accept this SecretId/SecretKey pair instead of the default one.
	srv := flowlogtest.NewServer(flowlogtest.WithTencentCredential("AKIDexampleSecretId", "example-key"))
	defer srv.Close()

	for _, id := range []string{"AKIDexampleSecretId", flowlogtest.DefaultTencentSecretID} {
		p, err := tencent.New(tencent.WithEndpoint(srv.URL), tencent.WithSecretKey(id, "example-key"))
		if err != nil {
			fmt.Println(err)
			return
		}
		client := flowlog.NewClient(p)
		_, err = client.Get(context.Background(), flowlogtest.DefaultTencentRegion, "fl-abcd1234")
		var apiErr *flowlog.Error
		if errors.As(err, &apiErr) && apiErr.Code == flowlog.CodeUnauthenticated {
			fmt.Println(id, apiErr.ProviderCode)
		} else {
			fmt.Println(id, flowlog.ErrorCode(err))
		}
		client.Close()
	}
	// Output:
	// AKIDexampleSecretId not found
	// AKIDflowlogtestEmulator000000000001 AuthFailure.SecretIdNotFound
}

func ExampleWithTencentFlowLogQuota() {
	srv := flowlogtest.NewServer(flowlogtest.WithTencentFlowLogQuota(1))
	defer srv.Close()
	client := tencentClient(srv)
	defer client.Close()

	// The region holds one flow log: the second create is over the quota.
	for _, eni := range []string{flowlogtest.DefaultTencentNetworkInterfaceID, flowlogtest.DefaultTencentNetworkInterfaceID2} {
		_, err := client.Create(context.Background(), clsSpec(eni, flowlog.ResourceNetworkInterface, eni, flowlogtest.DefaultTencentVPCID))
		var apiErr *flowlog.Error
		if errors.As(err, &apiErr) {
			fmt.Println(eni, errors.Is(err, flowlog.ErrQuotaExceeded), apiErr.ProviderCode)
			continue
		}
		fmt.Println(eni, err)
	}
	// Output:
	// eni-emu00001 <nil>
	// eni-emu00002 true LimitExceeded
}

func ExampleWithTencentSTSCredential() {
	srv := flowlogtest.NewServer(flowlogtest.WithTencentSTSCredential("AKIDtemporary", "temporary-key", "session-token"))
	defer srv.Close()

	// The right token, a stale one, and none: only the first is accepted.
	for _, token := range []string{"session-token", "stale-token", ""} {
		opt := tencent.WithSTSToken("AKIDtemporary", "temporary-key", token)
		if token == "" {
			opt = tencent.WithSecretKey("AKIDtemporary", "temporary-key")
		}
		p, err := tencent.New(tencent.WithEndpoint(srv.URL), opt)
		if err != nil {
			fmt.Println(err)
			return
		}
		client := flowlog.NewClient(p)
		_, err = client.Get(context.Background(), flowlogtest.DefaultTencentRegion, "fl-abcd1234")
		var apiErr *flowlog.Error
		if errors.As(err, &apiErr) && apiErr.Code == flowlog.CodeUnauthenticated {
			fmt.Println(apiErr.ProviderCode)
		} else {
			fmt.Println(flowlog.ErrorCode(err)) // authenticated: the flow log is just missing
		}
		client.Close()
	}
	// Output:
	// not found
	// AuthFailure.TokenFailure
	// AuthFailure.TokenFailure
}

func ExampleWithTrafficPathAllowed() {
	// The same create, on an account without and with the allow-list.
	for _, opts := range [][]flowlogtest.Option{nil, {flowlogtest.WithTrafficPathAllowed()}} {
		srv := flowlogtest.NewServer(opts...)
		client := aliyunClient(srv)
		spec := slsSpec(flowlog.ResourceNetworkInterface, flowlogtest.DefaultNetworkInterfaceID)
		spec.Alibaba = &flowlog.AlibabaOptions{TrafficPaths: []flowlog.AlibabaTrafficPath{flowlog.AlibabaTrafficPathInternetGateway}}
		_, err := client.Create(context.Background(), spec)
		var apiErr *flowlog.Error
		if errors.As(err, &apiErr) {
			fmt.Println(errors.Is(err, flowlog.ErrFailedPrecondition), apiErr.ProviderCode)
		} else {
			fmt.Println(err, srv.VPCFlowLogs()[0].TrafficPath)
		}
		client.Close()
		srv.Close()
	}
	// Output:
	// true UnsupportedFeature.UserDefinedTrafficPath
	// <nil> [internetGateway]
}

// ---- Alibaba Cloud VPC fixture ------------------------------------------------

func ExampleServer_AddRegion() {
	srv := flowlogtest.NewServer(flowlogtest.WithoutDefaultFixture())
	defer srv.Close()
	client := aliyunClient(srv)
	defer client.Close()

	// A region that does not exist is a bad argument; once seeded (as a
	// private or not yet listed one would be), it simply holds no such flow
	// log, as a public region does unseeded.
	_, err := client.Get(context.Background(), "xx-nowhere-1", "fl-doesnotexist000000000")
	fmt.Println(flowlog.ErrorCode(err))
	srv.AddRegion("xx-nowhere-1")
	_, err = client.Get(context.Background(), "xx-nowhere-1", "fl-doesnotexist000000000")
	fmt.Println(flowlog.ErrorCode(err))
	// Output:
	// invalid argument
	// not found
}

func ExampleServer_AddVPC() {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(0))
	defer srv.Close()
	// A second VPC, to capture all of its traffic with one flow log.
	srv.AddVPC(flowlogtest.DefaultRegion, "vpc-emu00000000000002")
	client := aliyunClient(srv)
	defer client.Close()

	fl, err := client.CreateAndWait(context.Background(),
		slsSpec(flowlog.ResourceVPC, "vpc-emu00000000000002"))
	if err != nil {
		fmt.Println(err)
		return
	}
	v := srv.VPCFlowLogs()[0]
	fmt.Println(fl.Status, v.ResourceType, v.ResourceID, v.VPCID)
	// Output:
	// active VPC vpc-emu00000000000002 vpc-emu00000000000002
}

func ExampleServer_AddVSwitch() {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(0))
	defer srv.Close()
	// A second vSwitch in the default VPC; the client calls it a subnet.
	srv.AddVSwitch(flowlogtest.DefaultRegion, flowlogtest.DefaultVPCID, "vsw-emu00000000000002")
	client := aliyunClient(srv)
	defer client.Close()

	fl, err := client.CreateAndWait(context.Background(),
		slsSpec(flowlog.ResourceSubnet, "vsw-emu00000000000002"))
	if err != nil {
		fmt.Println(err)
		return
	}
	v := srv.VPCFlowLogs()[0]
	fmt.Println(fl.Status, v.ResourceType, v.ResourceID, v.VPCID)
	// Output:
	// active VSwitch vsw-emu00000000000002 vpc-emu00000000000001
}

func ExampleServer_AddNetworkInterface() {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(0))
	defer srv.Close()
	// An ENI in a new vSwitch of the default VPC: the vSwitch comes with it.
	srv.AddNetworkInterface(flowlogtest.DefaultRegion, flowlogtest.DefaultVPCID, "vsw-emu00000000000002", "eni-emu00000000000004")
	client := aliyunClient(srv)
	defer client.Close()

	fl, err := client.CreateAndWait(context.Background(),
		slsSpec(flowlog.ResourceNetworkInterface, "eni-emu00000000000004"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fl.Status, fl.Resource.ID, len(srv.FlowLogsOn("eni-emu00000000000004")))
	// Output:
	// active eni-emu00000000000004 1
}

func ExampleServer_AddNetworkInterfaces() {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(0))
	defer srv.Close()
	// Generated IDs follow a per-server sequence, so they are the same on
	// every run.
	enis := srv.AddNetworkInterfaces(flowlogtest.DefaultRegion, flowlogtest.DefaultVPCID, flowlogtest.DefaultVSwitchID, 3)
	fmt.Println(enis)

	client := aliyunClient(srv)
	defer client.Close()

	// Enough resources for a bulk create: one flow log per ENI.
	var specs []flowlog.FlowLogSpec
	for _, eni := range enis {
		specs = append(specs, slsSpec(flowlog.ResourceNetworkInterface, eni))
	}
	for _, r := range client.CreateAll(context.Background(), specs) {
		fmt.Println(r.Spec.Resource.ID, r.Err)
	}
	// Output:
	// [eni-emun0000000000001 eni-emun0000000000002 eni-emun0000000000003]
	// eni-emun0000000000001 <nil>
	// eni-emun0000000000002 <nil>
	// eni-emun0000000000003 <nil>
}

func ExampleServer_AddSLSLogStore() {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	client := aliyunClient(srv)
	defer client.Close()

	spec := slsSpec(flowlog.ResourceNetworkInterface, flowlogtest.DefaultNetworkInterfaceID)
	spec.Destination = flowlog.Destination{SLS: &flowlog.SLSDestination{Project: "audit", LogStore: "vpc-flows"}}
	// VPC flow logs deliver only to a logstore that already exists.
	_, err := client.Create(context.Background(), spec)
	var apiErr *flowlog.Error
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Code, apiErr.ProviderCode)
	}
	srv.AddSLSLogStore("audit", "vpc-flows")
	_, err = client.Create(context.Background(), spec)
	fmt.Println(err)
	// Output:
	// not found ProjectOrLogstoreNotExist
	// <nil>
}

func ExampleServer_SetFlowLogServiceOpened() {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	client := aliyunClient(srv)
	defer client.Close()
	spec := slsSpec(flowlog.ResourceNetworkInterface, flowlogtest.DefaultNetworkInterfaceID)

	// An account that never opened the service: creates are refused.
	srv.SetFlowLogServiceOpened(flowlogtest.DefaultRegion, false)
	_, err := client.Create(context.Background(), spec)
	var apiErr *flowlog.Error
	if errors.As(err, &apiErr) {
		fmt.Println(errors.Is(err, flowlog.ErrFailedPrecondition), apiErr.ProviderCode)
	}
	srv.SetFlowLogServiceOpened(flowlogtest.DefaultRegion, true)
	_, err = client.Create(context.Background(), spec)
	fmt.Println(err)
	// Output:
	// true OptInRequired.FlowLog
	// <nil>
}

func ExampleServer_SetBusinessStatus() {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(0))
	defer srv.Close()
	client := aliyunClient(srv)
	defer client.Close()
	ctx := context.Background()
	spec := slsSpec(flowlog.ResourceNetworkInterface, flowlogtest.DefaultNetworkInterfaceID)
	fl, err := client.Create(ctx, spec) // Active at once: no activation delay
	if err != nil {
		fmt.Println(err)
		return
	}

	// The account falls into arrears: the existing flow log still says
	// Active, but the client reports it failed and why; creates are refused.
	srv.SetBusinessStatus(flowlogtest.DefaultRegion, flowlogtest.BusinessStatusFinancialLocked)
	if fl, err = client.Get(ctx, fl.Region, fl.ID); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fl.Status, fl.RawStatus, fl.StatusReason)
	spec.Resource.ID = flowlogtest.DefaultNetworkInterfaceID2
	_, err = client.Create(ctx, spec)
	var apiErr *flowlog.Error
	if errors.As(err, &apiErr) {
		fmt.Println(errors.Is(err, flowlog.ErrFailedPrecondition), apiErr.ProviderCode)
	}
	// Output:
	// failed Active business status FinancialLocked
	// true IncorrectBusinessStatus.FlowLog
}

func ExampleServer_VPCFlowLogs() {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(0))
	defer srv.Close()
	client := aliyunClient(srv)
	defer client.Close()

	// A spec that leaves most fields to the provider.
	spec := slsSpec(flowlog.ResourceVPC, flowlogtest.DefaultVPCID)
	spec.Name = "vpc-wide"
	if _, err := client.Create(context.Background(), spec); err != nil {
		fmt.Println(err)
		return
	}
	// The server's side shows what the client sent and what the cloud
	// filled in: a test can check that no default was overridden.
	for _, v := range srv.VPCFlowLogs() {
		fmt.Println(v.FlowLogName, v.ResourceType, v.TrafficType, v.AggregationInterval, v.TrafficPath,
			v.IPVersion, v.ResourceGroupID, v.Status, v.DeliverStatus)
	}
	// Output:
	// vpc-wide VPC All 10 [all] IPv4 rg-emudefault0000001 Active SUCCESS
}

// ---- Alibaba Cloud Enterprise Network fixture ---------------------------------

func ExampleServer_AddCEN() {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	client := cbnClient(srv)
	defer client.Close()
	spec := cenSpec(flowlog.ResourceTransitRouterAttachment,
		flowlogtest.DefaultTransitRouterAttachmentID, "cen-emu000000000002")

	create := func() {
		_, err := client.Create(context.Background(), spec)
		var apiErr *flowlog.Error
		if errors.As(err, &apiErr) {
			fmt.Println(apiErr.Code, apiErr.ProviderCode)
		}
	}

	// The CEN instance is checked before the attachment: an empty CEN
	// instance lets a test reach the second error.
	create()
	srv.AddCEN("cen-emu000000000002")
	create()
	// Output:
	// not found InvalidCenId.NotFound
	// not found InvalidTransitRouterAttachmentId.NotFound
}

func ExampleServer_AddTransitRouter() {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(0))
	defer srv.Close()
	// A transit router of a second CEN instance, which is added with it.
	srv.AddTransitRouter("cen-emu000000000002", flowlogtest.DefaultRegion, "tr-emu00000000000002")
	client := cbnClient(srv)
	defer client.Close()

	// One flow log for the whole router rather than one per attachment.
	fl, err := client.CreateAndWait(context.Background(),
		cenSpec(flowlog.ResourceTransitRouter, "tr-emu00000000000002", "cen-emu000000000002"))
	if err != nil {
		fmt.Println(err)
		return
	}
	v := srv.CENFlowLogs()[0]
	fmt.Printf("%s %s %s attachment=%q\n", fl.Status, v.CENID, v.TransitRouterID, v.TransitRouterAttachmentID)
	// Output:
	// active cen-emu000000000002 tr-emu00000000000002 attachment=""
}

func ExampleServer_AddTransitRouterAttachment() {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(0))
	defer srv.Close()
	// A fourth attachment (say, a VPN) on the default transit router.
	srv.AddTransitRouterAttachment(flowlogtest.DefaultCENID, flowlogtest.DefaultRegion,
		flowlogtest.DefaultTransitRouterID, "tr-attach-vpn000000000001")
	client := cbnClient(srv)
	defer client.Close()

	fl, err := client.CreateAndWait(context.Background(),
		cenSpec(flowlog.ResourceTransitRouterAttachment, "tr-attach-vpn000000000001", flowlogtest.DefaultCENID))
	if err != nil {
		fmt.Println(err)
		return
	}
	v := srv.CENFlowLogs()[0]
	fmt.Println(fl.Status, v.TransitRouterID, v.TransitRouterAttachmentID)
	// Output:
	// active tr-emu00000000000001 tr-attach-vpn000000000001
}

func ExampleServer_AddTransitRouterAttachments() {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(0))
	defer srv.Close()
	// Three attachments of a second transit router, with generated IDs
	// that are the same on every run.
	atts := srv.AddTransitRouterAttachments(flowlogtest.DefaultCENID, flowlogtest.DefaultRegion, "tr-emu00000000000002", 3)
	fmt.Println(atts)

	client := cbnClient(srv)
	defer client.Close()
	var specs []flowlog.FlowLogSpec
	for _, att := range atts {
		specs = append(specs, cenSpec(flowlog.ResourceTransitRouterAttachment, att, flowlogtest.DefaultCENID))
	}
	for _, r := range client.CreateAll(context.Background(), specs) {
		fmt.Println(r.Spec.Resource.ID, r.Err)
	}
	// Output:
	// [tr-attach-emun00000000000001 tr-attach-emun00000000000002 tr-attach-emun00000000000003]
	// tr-attach-emun00000000000001 <nil>
	// tr-attach-emun00000000000002 <nil>
	// tr-attach-emun00000000000003 <nil>
}

// ---- Tencent Cloud fixture ----------------------------------------------------

func ExampleServer_AddTencentRegion() {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	client := tencentClient(srv)
	defer client.Close()

	// A region missing from the emulator's list of real ones is refused
	// until it is seeded; then it is a region with no flow logs.
	_, err := client.Get(context.Background(), "eu-moscow", "fl-abcd1234")
	fmt.Println(flowlog.ErrorCode(err))
	srv.AddTencentRegion("eu-moscow")
	_, err = client.Get(context.Background(), "eu-moscow", "fl-abcd1234")
	fmt.Println(flowlog.ErrorCode(err))
	// Output:
	// invalid argument
	// not found
}

func ExampleServer_AddTencentVPC() {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	// Tencent IDs must have the real shape: "vpc-" and 8 lower-case
	// letters or digits.
	srv.AddTencentVPC(flowlogtest.DefaultTencentRegion, "vpc-prod0001")
	client := tencentClient(srv)
	defer client.Close()

	// A VPC-wide flow log: the VPC is both the resource and its network.
	fl, err := client.CreateAndWait(context.Background(),
		clsSpec("prod", flowlog.ResourceVPC, "vpc-prod0001", "vpc-prod0001"))
	if err != nil {
		fmt.Println(err)
		return
	}
	v := srv.TencentFlowLogs()[0]
	fmt.Println(fl.Status, v.ResourceType, v.ResourceID)
	// Output:
	// active VPC vpc-prod0001
}

func ExampleServer_AddTencentSubnet() {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	// A second subnet in the default VPC.
	srv.AddTencentSubnet(flowlogtest.DefaultTencentRegion, flowlogtest.DefaultTencentVPCID, "subnet-db000001")
	client := tencentClient(srv)
	defer client.Close()

	fl, err := client.CreateAndWait(context.Background(),
		clsSpec("db-subnet", flowlog.ResourceSubnet, "subnet-db000001", flowlogtest.DefaultTencentVPCID))
	if err != nil {
		fmt.Println(err)
		return
	}
	v := srv.TencentFlowLogs()[0]
	fmt.Println(fl.Status, v.ResourceType, v.ResourceID, v.VPCID)
	// Output:
	// active SUBNET subnet-db000001 vpc-emu00001
}

func ExampleServer_AddTencentNetworkInterface() {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	// An ENI in a VPC of its own: the VPC is added with it.
	srv.AddTencentNetworkInterface(flowlogtest.DefaultTencentRegion, "vpc-web00001", "eni-web00001")
	client := tencentClient(srv)
	defer client.Close()

	fl, err := client.CreateAndWait(context.Background(),
		clsSpec("web", flowlog.ResourceNetworkInterface, "eni-web00001", "vpc-web00001"))
	if err != nil {
		fmt.Println(err)
		return
	}
	v := srv.TencentFlowLogs()[0]
	fmt.Println(fl.Status, v.ResourceType, v.ResourceID, v.VPCID)
	// Output:
	// active NETWORKINTERFACE eni-web00001 vpc-web00001
}

func ExampleServer_AddTencentNetworkInterfaces() {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	// Generated IDs follow a per-server sequence, so they are the same on
	// every run.
	enis := srv.AddTencentNetworkInterfaces(flowlogtest.DefaultTencentRegion, flowlogtest.DefaultTencentVPCID, 3)
	fmt.Println(enis)

	client := tencentClient(srv)
	defer client.Close()
	var specs []flowlog.FlowLogSpec
	for _, eni := range enis {
		specs = append(specs, clsSpec(eni, flowlog.ResourceNetworkInterface, eni, flowlogtest.DefaultTencentVPCID))
	}
	for _, r := range client.CreateAll(context.Background(), specs) {
		fmt.Println(r.Spec.Resource.ID, r.Err)
	}
	// Output:
	// [eni-g0000001 eni-g0000002 eni-g0000003]
	// eni-g0000001 <nil>
	// eni-g0000002 <nil>
	// eni-g0000003 <nil>
}

func ExampleServer_AddTencentNATGateway() {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	srv.AddTencentNATGateway(flowlogtest.DefaultTencentRegion, flowlogtest.DefaultTencentVPCID, "nat-egress01")
	client := tencentClient(srv)
	defer client.Close()

	// Log what the egress gateway drops.
	spec := clsSpec("egress-rejects", flowlog.ResourceNATGateway, "nat-egress01", flowlogtest.DefaultTencentVPCID)
	spec.TrafficType = flowlog.TrafficReject
	fl, err := client.CreateAndWait(context.Background(), spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	v := srv.TencentFlowLogs()[0]
	fmt.Println(fl.Status, v.ResourceType, v.ResourceID, v.TrafficType)
	// Output:
	// active NAT nat-egress01 REJECT
}

func ExampleServer_AddTencentDirectConnectGateway() {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	// The default fixture has no direct connect gateway.
	srv.AddTencentDirectConnectGateway(flowlogtest.DefaultTencentRegion, flowlogtest.DefaultTencentVPCID, "dcg-onprem01")
	client := tencentClient(srv)
	defer client.Close()

	fl, err := client.CreateAndWait(context.Background(),
		clsSpec("on-premises", flowlog.ResourceDirectConnectGateway, "dcg-onprem01", flowlogtest.DefaultTencentVPCID))
	if err != nil {
		fmt.Println(err)
		return
	}
	v := srv.TencentFlowLogs()[0]
	fmt.Println(fl.Status, v.ResourceType, v.ResourceID)
	// Output:
	// active DCG dcg-onprem01
}

func ExampleServer_AddTencentCCN() {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	srv.AddTencentCCN("ccn-backbone")
	client := tencentClient(srv)
	defer client.Close()

	// A CCN is global and belongs to no VPC: NetworkID stays empty.
	fl, err := client.CreateAndWait(context.Background(),
		clsSpec("backbone", flowlog.ResourceCloudConnectNetwork, "ccn-backbone", ""))
	if err != nil {
		fmt.Println(err)
		return
	}
	v := srv.TencentFlowLogs()[0]
	fmt.Printf("%s %s %s vpc=%q period=%d\n", fl.Status, v.ResourceType, v.ResourceID, v.VPCID, v.Period)
	// Output:
	// active CCN ccn-backbone vpc="" period=600
}

func ExampleServer_AddCLSTopic() {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	// A topic in another region, to collect the logs of several regions in
	// one place. CLS topic IDs are lower-case UUIDs.
	const topic = "f10e1000-0000-4000-8000-0000000000aa"
	srv.AddCLSTopic("ap-shanghai", topic)
	client := tencentClient(srv)
	defer client.Close()

	spec := clsSpec("to-shanghai", flowlog.ResourceNetworkInterface,
		flowlogtest.DefaultTencentNetworkInterfaceID, flowlogtest.DefaultTencentVPCID)
	spec.Destination = flowlog.Destination{CLS: &flowlog.CLSDestination{TopicID: topic, Region: "ap-shanghai"}}
	fl, err := client.CreateAndWait(context.Background(), spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	v := srv.TencentFlowLogs()[0]
	fmt.Println(fl.Status, v.CloudLogID, v.CloudLogRegion, v.CloudLogState)
	// Output:
	// active f10e1000-0000-4000-8000-0000000000aa ap-shanghai SUCCESS
}

func ExampleServer_AddCKafkaTopic() {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	// A topic of a new CKafka instance; the instance is added with it.
	srv.AddCKafkaTopic(flowlogtest.DefaultTencentRegion, "ckafka-siem0001", "vpc-flows")
	client := tencentClient(srv)
	defer client.Close()

	spec := clsSpec("to-siem", flowlog.ResourceNetworkInterface,
		flowlogtest.DefaultTencentNetworkInterfaceID, flowlogtest.DefaultTencentVPCID)
	spec.Destination = flowlog.Destination{CKafka: &flowlog.CKafkaDestination{InstanceID: "ckafka-siem0001", Topic: "vpc-flows"}}
	fl, err := client.CreateAndWait(context.Background(), spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	v := srv.TencentFlowLogs()[0]
	fmt.Println(fl.Status, v.StorageType, v.StorageID, v.StorageTopic)
	// Output:
	// active ckafka ckafka-siem0001 vpc-flows
}

// ---- fault injection and lifetime ---------------------------------------------

func ExampleServer_FaultsInjected() {
	// The next two creates are throttled; the client's retries get through.
	srv := flowlogtest.NewServer(flowlogtest.WithFaults(flowlogtest.FaultRule{Action: "CreateFlowLog", Count: 2,
		Kinds: []flowlogtest.FaultKind{flowlogtest.FaultThrottle}}))
	defer srv.Close()
	client := aliyunClient(srv,
		flowlog.WithRetry(flowlog.RetryDelays(time.Millisecond, time.Millisecond, 10*time.Millisecond)))
	defer client.Close()

	_, err := client.Create(context.Background(), slsSpec(flowlog.ResourceNetworkInterface, flowlogtest.DefaultNetworkInterfaceID))
	// Faulted requests are not handled, so Calls sees only the third.
	fmt.Println(err, srv.FaultsInjected(), srv.Calls("CreateFlowLog"))
	// Output:
	// <nil> map[Throttle:2] 1
}

func ExampleServer_ClearFaults() {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	client := tencentClient(srv, flowlog.WithRetry(flowlog.MaxAttempts(1)))
	defer client.Close()
	get := func() {
		_, err := client.Get(context.Background(), flowlogtest.DefaultTencentRegion, "fl-abcd1234")
		fmt.Println(flowlog.ErrorCode(err))
	}

	// An outage in the middle of a test: every request is throttled...
	srv.InjectFaults(flowlogtest.FaultRule{Rate: 1, Kinds: []flowlogtest.FaultKind{flowlogtest.FaultThrottle}})
	get()
	// ...until it ends. The counts stay, for the test's assertions.
	srv.ClearFaults()
	get()
	fmt.Println(srv.FaultsInjected())
	// Output:
	// throttled
	// not found
	// map[Throttle:1]
}

func ExampleServer_Close() {
	// Every request is held for an hour: a stand-in for a hung backend.
	srv := flowlogtest.NewServer(flowlogtest.WithFaults(flowlogtest.FaultRule{Rate: 1, Delay: time.Hour,
		Kinds: []flowlogtest.FaultKind{flowlogtest.FaultSlow}}))
	client := aliyunClient(srv, flowlog.WithRetry(flowlog.MaxAttempts(1)))
	defer client.Close()

	done := make(chan error, 1)
	go func() {
		_, err := client.Get(context.Background(), flowlogtest.DefaultRegion, "fl-doesnotexist000000000")
		done <- err
	}()
	for srv.FaultsInjected()[flowlogtest.FaultSlow] == 0 {
		time.Sleep(time.Millisecond) // until the request is being held
	}
	// Close does not wait out the hour: it drops the held connection, so
	// a test's deferred Close never hangs on a slow fault.
	srv.Close()
	err := <-done
	fmt.Println(flowlog.ErrorCode(err), srv.Calls("DescribeFlowLogs"))
	// Output:
	// unavailable 0
}
