package flowlog_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/cloudflowlog/flowlog-go/aliyun"
	"github.com/cloudflowlog/flowlog-go/cbn"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/tencent"
)

// The examples use an in-memory provider; real programs get one from an
// adapter, such as aliyun.New, cbn.New or tencent.New.

func ExampleNewClient() {
	ctx := context.Background()
	provider := newFake(active()) // a real adapter in a program
	c := flowlog.NewClient(provider, flowlog.WithWaitDefaults(flowlog.MaxWait(5*time.Minute)))
	defer c.Close()

	spec := flowlog.FlowLogSpec{
		Region:      "cn-hangzhou",
		Name:        "vpc-audit",
		Resource:    flowlog.Resource{Kind: flowlog.ResourceVPC, ID: "vpc-bp1example"},
		TrafficType: flowlog.TrafficReject,
		Destination: flowlog.Destination{SLS: &flowlog.SLSDestination{Project: "netlogs", LogStore: "flowlogs"}},
	}
	fl, err := c.Create(ctx, spec)
	if err != nil {
		fmt.Println("create:", err)
		return
	}
	fmt.Println("created", fl.ID, fl.Status)

	fl, err = c.Wait(ctx, spec.Region, fl.ID, flowlog.OnStatus(func(fl *flowlog.FlowLog) {
		fmt.Println("status:", fl.Status, fl.RawStatus)
	}))
	if err != nil {
		fmt.Println("wait:", err)
		return
	}
	fmt.Println(fl.ID, "is", fl.Status)
	// Output:
	// created fl-1 pending
	// status: active Active
	// fl-1 is active
}

func ExampleErrorCode() {
	err := fmt.Errorf("delete: %w", &flowlog.Error{
		Code: flowlog.CodeNotFound, Provider: "aliyun", Op: "DeleteFlowLog",
		ProviderCode: "InvalidFlowLogId.NotFound",
	})
	switch flowlog.ErrorCode(err) {
	case flowlog.CodeNotFound:
		fmt.Println("already gone")
	case flowlog.CodeThrottled, flowlog.CodeUnavailable:
		fmt.Println("try again later")
	default:
		fmt.Println("failed:", err)
	}
	fmt.Println(flowlog.ErrorCode(nil), "/", flowlog.ErrorCode(errors.New("other")))
	// Output:
	// already gone
	// unknown / unknown
}

func ExampleError() {
	var err error = &flowlog.Error{
		Code:         flowlog.CodeNotFound,
		Provider:     "aliyun",
		Op:           "DeleteFlowLog",
		ID:           "fl-bp1example",
		ProviderCode: "InvalidFlowLogId.NotFound",
		Message:      "The specified flow log does not exist.",
		RequestID:    "0D1F9A8E-EXAMPLE",
		HTTPStatus:   404,
	}
	err = fmt.Errorf("cleanup: %w", err)

	fmt.Println(errors.Is(err, flowlog.ErrNotFound))
	var apiErr *flowlog.Error
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.ProviderCode, apiErr.RequestID)
	}
	fmt.Println(err)
	// Output:
	// true
	// InvalidFlowLogId.NotFound 0D1F9A8E-EXAMPLE
	// cleanup: flowlog: aliyun DeleteFlowLog fl-bp1example: InvalidFlowLogId.NotFound: The specified flow log does not exist. (http 404, request id 0D1F9A8E-EXAMPLE)
}

func ExampleValidationError() {
	c := flowlog.NewClient(newFake())
	_, err := c.Create(context.Background(), flowlog.FlowLogSpec{
		Region:              "cn-hangzhou",
		Resource:            flowlog.Resource{Kind: flowlog.ResourceVPC},
		Destination:         flowlog.Destination{SLS: &flowlog.SLSDestination{Project: "netlogs"}},
		AggregationInterval: -time.Minute,
	})
	fmt.Println(errors.Is(err, flowlog.ErrInvalidArgument))
	var v *flowlog.ValidationError
	if errors.As(err, &v) {
		for _, f := range v.Fields {
			fmt.Printf("%s: %s\n", f.Field, f.Reason)
		}
	}
	// Output:
	// true
	// Resource.ID: is required
	// Destination.SLS.LogStore: is required
	// AggregationInterval: must not be negative
}

// sdkVPCFlowLog stands in for an SDK type, such as vpc.FlowLog of
// alibaba-cloud-sdk-go.
type sdkVPCFlowLog struct {
	FlowLogId      string
	BusinessStatus string
}

func ExampleFlowLog_As() {
	fl := &flowlog.FlowLog{
		ID:  "fl-bp1example",
		Raw: &sdkVPCFlowLog{FlowLogId: "fl-bp1example", BusinessStatus: "Normal"},
	}
	var raw *sdkVPCFlowLog
	if fl.As(&raw) {
		fmt.Println(raw.FlowLogId, raw.BusinessStatus)
	}
	var other *flowlog.FlowLog
	fmt.Println(fl.As(&other))
	// Output:
	// fl-bp1example Normal
	// false
}

func ExampleWaitError() {
	c := flowlog.NewClient(newFake(step{status: flowlog.StatusFailed, raw: "Unknown", reason: "logstore not found"}))
	_, err := c.Wait(context.Background(), "cn-hangzhou", "fl-bp1example")
	var we *flowlog.WaitError
	if errors.As(err, &we) {
		fmt.Println(we.ID, we.Last, we.LastRaw, we.Reason, we.Polls)
	}
	fmt.Println(errors.Is(err, context.DeadlineExceeded))
	// Output:
	// fl-bp1example failed Unknown logstore not found 1
	// false
}

func ExampleClient_WaitAll() {
	provider := newFleet() // a real adapter in a program
	for _, id := range []string{"fl-1", "fl-2", "fl-3"} {
		provider.add(id, 0) // already active
	}
	c := flowlog.NewClient(provider)
	defer c.Close()

	// One poller serves all the waits: each poll is one describe call for
	// every flow log still pending, and results come as they complete.
	active := 0
	for r := range c.WaitAll(context.Background(), "cn-hangzhou", []string{"fl-1", "fl-2", "fl-3"}) {
		if r.Err != nil {
			fmt.Println(r.ID, "failed:", r.Err)
			continue
		}
		active++
	}
	fmt.Println(active, "active,", len(provider.snapshot()), "describe call")
	// Output:
	// 3 active, 1 describe call
}

// ---- Examples against the emulator ------------------------------------------
//
// The examples below run the real Alibaba Cloud VPC adapter against the local
// emulator of package flowlogtest, exactly as a program's tests can. The
// package example shows the setup step by step; the others get the same
// setup from emulator, defined at the end of this file.

// Example creates a flow log on a network interface with the Alibaba Cloud VPC
// adapter, waits until it is active and deletes it. The adapter talks to
// flowlogtest's emulator here; without aliyun.WithEndpoint and
// aliyun.WithAccessKey it talks to the real cloud with the credentials of the
// SDK's default chain.
func Example() {
	ctx := context.Background()

	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(10 * time.Millisecond))
	defer srv.Close()

	p, err := aliyun.New(
		aliyun.WithEndpoint(srv.URL),
		aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	if err != nil {
		fmt.Println(err)
		return
	}
	client := flowlog.NewClient(p,
		flowlog.WithWaitDefaults(flowlog.PollDelay(2*time.Millisecond, 10*time.Millisecond)))
	defer client.Close()

	spec := flowlog.FlowLogSpec{
		Region:      flowlogtest.DefaultRegion, // "cn-hangzhou"
		Name:        "web-eni",
		Resource:    flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: flowlogtest.DefaultNetworkInterfaceID},
		TrafficType: flowlog.TrafficReject,
		Destination: flowlog.Destination{SLS: &flowlog.SLSDestination{
			Project: flowlogtest.DefaultSLSProject, LogStore: flowlogtest.DefaultSLSLogStore}},
		AggregationInterval: time.Minute,
		Tags:                map[string]string{"team": "web"},
	}
	fl, err := client.CreateAndWait(ctx, spec)
	switch {
	case errors.Is(err, flowlog.ErrAlreadyExists):
		fmt.Println("the network interface already has a different flow log")
		return
	case errors.Is(err, flowlog.ErrInvalidArgument):
		fmt.Println("bad spec, nothing was sent:", err)
		return
	case err != nil:
		fmt.Println(err)
		return
	}
	fmt.Println(fl.Provider, fl.Status, fl.RawStatus, fl.Resource.ID)

	if err := client.Delete(ctx, fl.Region, fl.ID); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("flow logs left:", len(srv.FlowLogsOn(flowlogtest.DefaultNetworkInterfaceID)))
	// Output:
	// aliyun active Active eni-emu00000000000001
	// flow logs left: 0
}

func ExampleClient_Create() {
	srv, client := emulator()
	defer srv.Close()
	defer client.Close()
	ctx := context.Background()

	spec := flowlog.FlowLogSpec{
		Region:      flowlogtest.DefaultRegion,
		Name:        "web-eni",
		Resource:    flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: flowlogtest.DefaultNetworkInterfaceID},
		TrafficType: flowlog.TrafficAll,
		Destination: flowlog.Destination{SLS: &flowlog.SLSDestination{
			Project: flowlogtest.DefaultSLSProject, LogStore: flowlogtest.DefaultSLSLogStore}},
	}
	// Create returns once the provider has accepted the request: the flow
	// log is usually still pending.
	fl, err := client.Create(ctx, spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fl.Status)

	// Creating the same flow log again makes no second one: the flow log on
	// the resource matches the spec, so it is adopted.
	again, err := client.Create(ctx, spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("same flow log:", again.ID == fl.ID)

	// A different flow log on the resource is in the way.
	spec.TrafficType = flowlog.TrafficReject
	_, err = client.Create(ctx, spec)
	fmt.Println("already exists:", errors.Is(err, flowlog.ErrAlreadyExists))
	fmt.Println("flow logs on the ENI:", len(srv.FlowLogsOn(flowlogtest.DefaultNetworkInterfaceID)))
	// Output:
	// pending
	// same flow log: true
	// already exists: true
	// flow logs on the ENI: 1
}

func ExampleClient_CreateAndWait() {
	srv, client := emulator()
	defer srv.Close()
	defer client.Close()

	fl, err := client.CreateAndWait(context.Background(), eniSpec(flowlogtest.DefaultNetworkInterfaceID),
		flowlog.MaxWait(5*time.Second)) // per-call wait options override the client's defaults
	var we *flowlog.WaitError
	switch {
	case errors.As(err, &we):
		// Created, but not active in time: we.ID names what was made.
		fmt.Println("created", we.ID, "but it is", we.Last)
	case err != nil:
		fmt.Println("create:", err)
	default:
		fmt.Println(fl.Status, fl.RawStatus)
	}
	// Output:
	// active Active
}

func ExampleClient_Wait() {
	srv, client := emulator()
	defer srv.Close()
	defer client.Close()
	ctx := context.Background()

	fl, err := client.Create(ctx, eniSpec(flowlogtest.DefaultNetworkInterfaceID))
	if err != nil {
		fmt.Println(err)
		return
	}
	// Wait needs only the region and the ID, so a program can wait for a
	// flow log it created earlier, or in another process.
	fl, err = client.Wait(ctx, fl.Region, fl.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fl.Status)

	// A flow log that does not exist fails the wait after the not-found
	// grace period, with a *WaitError that says so.
	_, err = client.Wait(ctx, fl.Region, "fl-doesnotexist000000000", flowlog.NotFoundGrace(0))
	var we *flowlog.WaitError
	fmt.Println(errors.As(err, &we), errors.Is(err, flowlog.ErrNotFound))
	// Output:
	// active
	// true true
}

func ExampleClient_Get() {
	srv, client := emulator()
	defer srv.Close()
	defer client.Close()
	ctx := context.Background()

	created, err := client.CreateAndWait(ctx, eniSpec(flowlogtest.DefaultNetworkInterfaceID))
	if err != nil {
		fmt.Println(err)
		return
	}
	fl, err := client.Get(ctx, created.Region, created.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fl.Status, fl.Resource.Kind, fl.Resource.ID, fl.TrafficType, fl.Destination.SLS.LogStore)

	_, err = client.Get(ctx, created.Region, "fl-doesnotexist000000000")
	fmt.Println(errors.Is(err, flowlog.ErrNotFound))
	// Output:
	// active NetworkInterface eni-emu00000000000001 reject flowlog-store
	// true
}

func ExampleClient_List() {
	srv, client := emulator()
	defer srv.Close()
	defer client.Close()
	ctx := context.Background()

	for _, eni := range []string{
		flowlogtest.DefaultNetworkInterfaceID,
		flowlogtest.DefaultNetworkInterfaceID2,
		flowlogtest.DefaultNetworkInterfaceID3,
	} {
		if _, err := client.CreateAndWait(ctx, eniSpec(eni)); err != nil {
			fmt.Println(err)
			return
		}
	}

	// List pages through the provider's list API as the loop asks for more.
	var resources []string
	for fl, err := range client.List(ctx, flowlogtest.DefaultRegion, flowlog.ListFilter{Status: flowlog.StatusActive}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		resources = append(resources, fl.Resource.ID)
	}
	slices.Sort(resources)
	fmt.Println(resources)

	// Filter by resource.
	n := 0
	for _, err := range client.List(ctx, flowlogtest.DefaultRegion, flowlog.ListFilter{ResourceID: flowlogtest.DefaultNetworkInterfaceID2}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		n++
	}
	fmt.Println(n)
	// Output:
	// [eni-emu00000000000001 eni-emu00000000000002 eni-emu00000000000003]
	// 1
}

func ExampleClient_Delete() {
	srv, client := emulator()
	defer srv.Close()
	defer client.Close()
	ctx := context.Background()

	fl, err := client.CreateAndWait(ctx, eniSpec(flowlogtest.DefaultNetworkInterfaceID))
	if err != nil {
		fmt.Println(err)
		return
	}
	// Alibaba deletes asynchronously; Delete waits until the flow log is gone.
	if err := client.Delete(ctx, fl.Region, fl.ID); err != nil {
		fmt.Println(err)
		return
	}
	_, err = client.Get(ctx, fl.Region, fl.ID)
	fmt.Println("gone:", errors.Is(err, flowlog.ErrNotFound))

	// Deleting what is already gone succeeds, so cleanup code can run twice.
	fmt.Println("delete again:", client.Delete(ctx, fl.Region, fl.ID))
	// Output:
	// gone: true
	// delete again: <nil>
}

func ExampleClient_Deactivate() {
	srv, client := emulator()
	defer srv.Close()
	defer client.Close()
	ctx := context.Background()

	fl, err := client.CreateAndWait(ctx, eniSpec(flowlogtest.DefaultNetworkInterfaceID))
	if err != nil {
		fmt.Println(err)
		return
	}
	// Deactivate stops capturing and waits until the flow log is inactive.
	fl, err = client.Deactivate(ctx, fl.Region, fl.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fl.Status, fl.RawStatus)
	// Output:
	// inactive Inactive
}

func ExampleClient_Update() {
	srv, client := emulator()
	defer srv.Close()
	defer client.Close()
	ctx := context.Background()

	fl, err := client.CreateAndWait(ctx, eniSpec(flowlogtest.DefaultNetworkInterfaceID))
	if err != nil {
		fmt.Println(err)
		return
	}
	// Alibaba changes these in place, asynchronously: Update waits while
	// the flow log shows Modifying.
	fmt.Println(client.MutableFields())
	fl, err = client.Update(ctx, fl.Region, fl.ID, flowlog.Patch{
		Description:         flowlog.Ptr("web tier, every minute"),
		AggregationInterval: flowlog.Ptr(time.Minute),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fl.Status, fl.Description, fl.AggregationInterval)

	// A patch that sets nothing, a field the provider cannot change in
	// place and a value its rules refuse are refused before anything is
	// sent.
	_, err = client.Update(ctx, fl.Region, fl.ID, flowlog.Patch{})
	fmt.Println(errors.Is(err, flowlog.ErrInvalidArgument))
	// Output:
	// [Name Description AggregationInterval]
	// active web tier, every minute 1m0s
	// true
}

func ExampleOnDrift() {
	srv, client := emulator()
	defer srv.Close()
	defer client.Close()
	ctx := context.Background()

	spec := eniSpec(flowlogtest.DefaultNetworkInterfaceID)
	made, err := client.CreateAndWait(ctx, spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	// The desired state changes. By default Ensure reports the drift...
	spec.Description = "web tier, rejected traffic"
	_, err = client.Ensure(ctx, spec)
	var drift *flowlog.DriftError
	fmt.Println(errors.As(err, &drift), drift.Fields)

	// ...with DriftUpdate it changes the flow log in place: the client made
	// it, so it carries the client's owner tag.
	fl, err := client.Ensure(ctx, spec, flowlog.OnDrift(flowlog.DriftUpdate))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fl.ID == made.ID, fl.Description, fl.Tags[flowlog.OwnerTagKey])
	// Output:
	// true [Description]
	// true web tier, rejected traffic flowlog-go
}

func ExampleWithOwner() {
	srv, _ := emulator()
	defer srv.Close()
	p, err := aliyun.New(aliyun.WithEndpoint(srv.URL),
		aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	fast := flowlog.WithWaitDefaults(flowlog.PollDelay(2*time.Millisecond, 10*time.Millisecond))
	billing := flowlog.NewClient(p, fast, flowlog.WithOwner("billing"))
	defer billing.Close()
	spec := eniSpec(flowlogtest.DefaultNetworkInterfaceID)
	if _, err := billing.CreateAndWait(ctx, spec); err != nil {
		fmt.Println(err)
		return
	}
	// Another service's client may adopt the flow log, but not change it.
	other := flowlog.NewClient(p, fast, flowlog.WithOwner("search"))
	defer other.Close()
	spec.Description = "search wants this"
	_, err = other.Ensure(ctx, spec, flowlog.OnDrift(flowlog.DriftReplace))
	var drift *flowlog.DriftError
	fmt.Println(errors.As(err, &drift), drift.Unowned, len(srv.FlowLogsOn(spec.Resource.ID)))
	// Output:
	// true true 1
}

func ExampleWithServiceOpening() {
	srv, _ := emulator()
	defer srv.Close()
	// A new account: the flow-log service is not opened in the region.
	srv.SetFlowLogServiceOpened(flowlogtest.DefaultRegion, false)
	p, err := aliyun.New(aliyun.WithEndpoint(srv.URL),
		aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	if err != nil {
		fmt.Println(err)
		return
	}
	client := flowlog.NewClient(p, flowlog.WithServiceOpening(),
		flowlog.WithWaitDefaults(flowlog.PollDelay(2*time.Millisecond, 10*time.Millisecond)))
	defer client.Close()

	fl, err := client.CreateAndWait(context.Background(), eniSpec(flowlogtest.DefaultNetworkInterfaceID))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fl.Status, srv.Calls("OpenFlowLogService"))
	// Output:
	// active 1
}

func ExampleClient_Activate() {
	srv, client := emulator()
	defer srv.Close()
	defer client.Close()
	ctx := context.Background()

	fl, err := client.CreateAndWait(ctx, eniSpec(flowlogtest.DefaultNetworkInterfaceID))
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := client.Deactivate(ctx, fl.Region, fl.ID); err != nil {
		fmt.Println(err)
		return
	}
	// Activate starts the stopped flow log again and waits until it is active.
	fl, err = client.Activate(ctx, fl.Region, fl.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fl.Status, fl.RawStatus)
	// Output:
	// active Active
}

func ExampleClient_Ensure() {
	srv, client := emulator()
	defer srv.Close()
	defer client.Close()
	ctx := context.Background()
	spec := eniSpec(flowlogtest.DefaultNetworkInterfaceID)

	// The first run creates the flow log.
	first, err := client.Ensure(ctx, spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("first:", first.Status)

	// Someone stops it; the next run adopts it and starts it again.
	if _, err := client.Deactivate(ctx, first.Region, first.ID); err != nil {
		fmt.Println(err)
		return
	}
	second, err := client.Ensure(ctx, spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("second:", second.Status, "same flow log:", second.ID == first.ID)
	fmt.Println("creates sent:", srv.Calls("CreateFlowLog"))

	// A spec the existing flow log does not match is reported, not applied.
	spec.TrafficType = flowlog.TrafficAll
	_, err = client.Ensure(ctx, spec)
	var drift *flowlog.DriftError
	if errors.As(err, &drift) {
		fmt.Println("drift:", drift.Fields)
	}
	// Output:
	// first: active
	// second: active same flow log: true
	// creates sent: 1
	// drift: [TrafficType]
}

func ExampleClient_EnsureAll() {
	srv, client := emulator()
	defer srv.Close()
	defer client.Close()
	ctx := context.Background()

	specs := []flowlog.FlowLogSpec{
		eniSpec(flowlogtest.DefaultNetworkInterfaceID),
		eniSpec(flowlogtest.DefaultNetworkInterfaceID2),
		eniSpec(flowlogtest.DefaultNetworkInterfaceID3),
	}
	var last flowlog.Progress
	for round := 1; round <= 2; round++ {
		results := client.EnsureAll(ctx, specs,
			flowlog.Concurrency(2), // at most 2 creates in flight
			flowlog.OnProgress(func(p flowlog.Progress) {
				last = p // a program would redraw a progress bar here
			}))
		for _, r := range results { // one result per spec, in order
			if r.Err != nil {
				fmt.Println(r.Spec.Resource.ID, r.Err)
				continue
			}
			fmt.Println(round, r.Spec.Resource.ID, r.FlowLog.Status)
		}
		fmt.Printf("round %d: %d/%d done, %d failed, %d creates sent in all\n",
			round, last.Done, last.Total, last.Failed, srv.Calls("CreateFlowLog"))
	}
	// Output:
	// 1 eni-emu00000000000001 active
	// 1 eni-emu00000000000002 active
	// 1 eni-emu00000000000003 active
	// round 1: 3/3 done, 0 failed, 3 creates sent in all
	// 2 eni-emu00000000000001 active
	// 2 eni-emu00000000000002 active
	// 2 eni-emu00000000000003 active
	// round 2: 3/3 done, 0 failed, 3 creates sent in all
}

func ExampleClient_CreateAll() {
	srv, client := emulator()
	defer srv.Close()
	defer client.Close()

	bad := eniSpec(flowlogtest.DefaultNetworkInterfaceID3)
	bad.AggregationInterval = 3 * time.Minute // Alibaba takes 1, 5 or 10 minutes
	specs := []flowlog.FlowLogSpec{
		eniSpec(flowlogtest.DefaultNetworkInterfaceID),
		eniSpec(flowlogtest.DefaultNetworkInterfaceID2),
		bad,
	}
	results := client.CreateAll(context.Background(), specs, flowlog.Concurrency(4))
	for _, r := range results {
		switch {
		case errors.Is(r.Err, flowlog.ErrInvalidArgument):
			fmt.Println(r.Spec.Resource.ID, "invalid spec")
		case r.Err != nil:
			fmt.Println(r.Spec.Resource.ID, r.Err)
		default:
			fmt.Println(r.Spec.Resource.ID, r.FlowLog.Status)
		}
	}
	// Output:
	// eni-emu00000000000001 active
	// eni-emu00000000000002 active
	// eni-emu00000000000003 invalid spec
}

func ExampleClient_Validate() {
	p, err := aliyun.New() // no I/O: validation is local
	if err != nil {
		fmt.Println(err)
		return
	}
	client := flowlog.NewClient(p)
	defer client.Close()

	err = client.Validate(flowlog.FlowLogSpec{
		Region:   "cn-hangzhou",
		Resource: flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: "eni-bp1example"},
		// Alibaba Cloud VPC delivers to SLS only.
		Destination:         flowlog.Destination{CLS: &flowlog.CLSDestination{TopicID: "f10e1000-0000-4000-8000-000000000001"}},
		AggregationInterval: 3 * time.Minute,
	})
	fmt.Println(errors.Is(err, flowlog.ErrUnsupported), errors.Is(err, flowlog.ErrInvalidArgument))
	var v *flowlog.ValidationError
	if errors.As(err, &v) {
		for _, f := range v.Fields {
			fmt.Println(f.Field, f.Code)
		}
	}
	// Output:
	// true true
	// Destination.CLS unsupported
	// AggregationInterval invalid argument
}

func ExampleClient_Close() {
	srv, client := emulator(flowlogtest.WithActivationDelay(time.Hour))
	defer srv.Close()
	ctx := context.Background()

	fl, err := client.Create(ctx, eniSpec(flowlogtest.DefaultNetworkInterfaceID))
	if err != nil {
		fmt.Println(err)
		return
	}
	// A wait in progress ends when the client is closed.
	seen := make(chan struct{})
	var once sync.Once
	done := make(chan error)
	go func() {
		_, err := client.Wait(ctx, fl.Region, fl.ID, flowlog.OnStatus(func(*flowlog.FlowLog) {
			once.Do(func() { close(seen) })
		}))
		done <- err
	}()
	<-seen // the wait has polled once
	client.Close()
	err = <-done
	fmt.Println("wait ended by close:", errors.Is(err, flowlog.ErrClosed))

	// Later calls fail with ErrClosed; closing again is harmless.
	_, err = client.Get(ctx, fl.Region, fl.ID)
	fmt.Println("get after close:", errors.Is(err, flowlog.ErrClosed))
	fmt.Println("close again:", client.Close())
	// Output:
	// wait ended by close: true
	// get after close: true
	// close again: <nil>
}

func ExampleWithLogger() {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(10 * time.Millisecond))
	defer srv.Close()
	p, err := aliyun.New(aliyun.WithEndpoint(srv.URL),
		aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	if err != nil {
		fmt.Println(err)
		return
	}

	// The client logs what changes the cloud at Info, attempts at Debug.
	// This handler, at the default level (Info), drops the attributes that
	// change from run to run (time, ID, elapsed time), so the output is
	// stable; a program would use slog.Default() or its own handler.
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			switch a.Key {
			case slog.TimeKey, "id", "elapsed":
				return slog.Attr{}
			}
			return a
		},
	}))
	client := flowlog.NewClient(p, flowlog.WithLogger(logger),
		flowlog.WithWaitDefaults(flowlog.PollDelay(2*time.Millisecond, 10*time.Millisecond)))
	defer client.Close()

	if _, err := client.CreateAndWait(context.Background(), eniSpec(flowlogtest.DefaultNetworkInterfaceID)); err != nil {
		fmt.Println(err)
	}
	// Output:
	// level=INFO msg="flowlog created" provider=aliyun region=cn-hangzhou resource=eni-emu00000000000001 status=pending
	// level=INFO msg="flowlog active" provider=aliyun region=cn-hangzhou
}

func ExampleWithRetry() {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(10 * time.Millisecond))
	defer srv.Close()
	p, err := aliyun.New(aliyun.WithEndpoint(srv.URL),
		aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	if err != nil {
		fmt.Println(err)
		return
	}
	client := flowlog.NewClient(p,
		flowlog.WithRetry(
			flowlog.MaxAttempts(4),
			// Short delays for the example; the defaults are 100ms, 1s and 20s.
			flowlog.RetryDelays(time.Millisecond, 2*time.Millisecond, 10*time.Millisecond),
			flowlog.RetryBudget(100)),
		flowlog.WithWaitDefaults(flowlog.PollDelay(2*time.Millisecond, 10*time.Millisecond)))
	defer client.Close()

	// The next two creates are throttled; the client backs off and tries
	// again, signing each attempt afresh.
	srv.InjectFaults(flowlogtest.FaultRule{Action: "CreateFlowLog", Count: 2,
		Kinds: []flowlogtest.FaultKind{flowlogtest.FaultThrottle}})
	fl, err := client.CreateAndWait(context.Background(), eniSpec(flowlogtest.DefaultNetworkInterfaceID))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fl.Status, "after", srv.FaultsInjected()[flowlogtest.FaultThrottle], "throttles")
	// Output:
	// active after 2 throttles
}

func ExampleWithWaitDefaults() {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(time.Hour)) // never active in time
	defer srv.Close()
	p, err := aliyun.New(aliyun.WithEndpoint(srv.URL),
		aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	if err != nil {
		fmt.Println(err)
		return
	}
	// Every wait of this client polls every 2 to 10 ms and gives up after
	// 50 ms; per-call wait options override these.
	client := flowlog.NewClient(p, flowlog.WithWaitDefaults(
		flowlog.PollDelay(2*time.Millisecond, 10*time.Millisecond),
		flowlog.MaxWait(50*time.Millisecond)))
	defer client.Close()

	_, err = client.CreateAndWait(context.Background(), eniSpec(flowlogtest.DefaultNetworkInterfaceID))
	// The *WaitError says what the wait wanted and, in Last, LastRaw and
	// Polls, what it saw.
	var we *flowlog.WaitError
	if errors.As(err, &we) {
		fmt.Println("timed out:", errors.Is(err, context.DeadlineExceeded))
		fmt.Println("wanted:", we.Want)
	}
	// Output:
	// timed out: true
	// wanted: active
}

func ExamplePollDelay() {
	srv, client := emulator()
	defer srv.Close()
	defer client.Close()

	// Poll this flow log after 2 ms, then back off exponentially (with
	// jitter) up to 10 ms between polls. The default, 2s to 15s, suits the
	// real clouds, where activation takes seconds to minutes.
	fl, err := client.CreateAndWait(context.Background(), eniSpec(flowlogtest.DefaultNetworkInterfaceID),
		flowlog.PollDelay(2*time.Millisecond, 10*time.Millisecond))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fl.Status)
	// Output:
	// active
}

func ExampleOnStatus() {
	srv, client := emulator()
	defer srv.Close()
	defer client.Close()

	var last *flowlog.FlowLog
	fl, err := client.CreateAndWait(context.Background(), eniSpec(flowlogtest.DefaultNetworkInterfaceID),
		flowlog.OnStatus(func(fl *flowlog.FlowLog) {
			// Called once per state change the poller sees; a program
			// would update its display here.
			last = fl
		}))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fl.Status, last.Status, last.RawStatus)
	// Output:
	// active active Active
}

func ExampleDriftError() {
	srv, client := emulator()
	defer srv.Close()
	defer client.Close()
	ctx := context.Background()

	// Someone else made a flow log that captures all traffic of the ENI.
	other := eniSpec(flowlogtest.DefaultNetworkInterfaceID)
	other.TrafficType = flowlog.TrafficAll
	other.AggregationInterval = 10 * time.Minute
	if _, err := client.CreateAndWait(ctx, other); err != nil {
		fmt.Println(err)
		return
	}

	// Ensure does not change it: it says what differs.
	_, err := client.Ensure(ctx, eniSpec(flowlogtest.DefaultNetworkInterfaceID))
	fmt.Println(errors.Is(err, flowlog.ErrAlreadyExists))
	var drift *flowlog.DriftError
	if errors.As(err, &drift) {
		fmt.Println(drift.Provider, drift.Fields, drift.FlowLog.Resource.ID)
	}
	// Output:
	// true
	// aliyun [AggregationInterval TrafficType] eni-emu00000000000001
}

func ExampleDifferences() {
	spec := flowlog.FlowLogSpec{
		Region:      "cn-hangzhou",
		Name:        "web-eni",
		Resource:    flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: "eni-bp1example"},
		TrafficType: flowlog.TrafficReject,
		Destination: flowlog.Destination{SLS: &flowlog.SLSDestination{Project: "netlogs", LogStore: "flows"}},
		Tags:        map[string]string{"team": "web"},
	}
	fl := &flowlog.FlowLog{
		Name:                "web-eni",
		Resource:            flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: "eni-bp1example"},
		TrafficType:         flowlog.TrafficAll,
		Destination:         flowlog.Destination{SLS: &flowlog.SLSDestination{Project: "netlogs", LogStore: "flows"}},
		AggregationInterval: 10 * time.Minute, // the spec leaves it to the provider
		Tags:                map[string]string{"team": "db", "owner": "ops"},
	}
	fmt.Println(flowlog.Differences(spec, fl))

	fl.TrafficType = flowlog.TrafficReject
	fl.Tags["team"] = "web" // extra tags are fine
	fmt.Println(flowlog.Differences(spec, fl), len(flowlog.Differences(spec, fl)))
	// Output:
	// [Tags[team] TrafficType]
	// [] 0
}

func ExampleListFilter() {
	f := flowlog.ListFilter{ResourceID: "eni-bp1example", Status: flowlog.StatusActive}

	fmt.Println(f.Matches(&flowlog.FlowLog{Resource: flowlog.Resource{ID: "eni-bp1example"}, Status: flowlog.StatusActive}))
	fmt.Println(f.Matches(&flowlog.FlowLog{Resource: flowlog.Resource{ID: "eni-bp1example"}, Status: flowlog.StatusInactive}))
	fmt.Println(f.Matches(&flowlog.FlowLog{Resource: flowlog.Resource{ID: "eni-bp1other"}, Status: flowlog.StatusActive}))
	fmt.Println(flowlog.ListFilter{}.Matches(&flowlog.FlowLog{Status: flowlog.StatusFailed})) // empty fields match everything
	// Output:
	// true
	// false
	// false
	// true
}

func ExampleStatus() {
	for _, s := range []flowlog.Status{
		flowlog.StatusUnknown, flowlog.StatusPending, flowlog.StatusActive,
		flowlog.StatusInactive, flowlog.StatusFailed, flowlog.StatusDeleted,
	} {
		fmt.Printf("%d %-8s terminal=%t\n", s, s, s.Terminal())
	}
	// Output:
	// 0 unknown  terminal=false
	// 1 pending  terminal=false
	// 2 active   terminal=true
	// 3 inactive terminal=true
	// 4 failed   terminal=true
	// 5 deleted  terminal=true
}

// eniSpec is the spec of a flow log on the emulator's network interface eni.
func eniSpec(eni string) flowlog.FlowLogSpec {
	return flowlog.FlowLogSpec{
		Region:      flowlogtest.DefaultRegion,
		Name:        "web-eni",
		Resource:    flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: eni},
		TrafficType: flowlog.TrafficReject,
		Destination: flowlog.Destination{SLS: &flowlog.SLSDestination{
			Project: flowlogtest.DefaultSLSProject, LogStore: flowlogtest.DefaultSLSLogStore}},
		AggregationInterval: time.Minute,
	}
}

// emulator starts the emulator of package flowlogtest, where new flow logs
// become active after 10ms, and returns it with a Client of the Alibaba Cloud
// VPC adapter talking to it that polls every 2 to 10 ms. The caller closes
// both.
func emulator(opts ...flowlogtest.Option) (*flowlogtest.Server, *flowlog.Client) {
	srv := flowlogtest.NewServer(append([]flowlogtest.Option{
		flowlogtest.WithActivationDelay(10 * time.Millisecond)}, opts...)...)
	p, err := aliyun.New(aliyun.WithEndpoint(srv.URL),
		aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	if err != nil {
		panic(err) // New does no I/O; it fails only on bad options
	}
	client := flowlog.NewClient(p,
		flowlog.WithWaitDefaults(flowlog.PollDelay(2*time.Millisecond, 10*time.Millisecond)))
	return srv, client
}

func ExampleClient_Provider() {
	p, err := aliyun.New()
	if err != nil {
		fmt.Println(err)
		return
	}
	client := flowlog.NewClient(p)
	defer client.Close()
	fmt.Println(client.Provider())
	// Output:
	// aliyun
}

// One FlowLogSpec type describes a flow log on every provider; each adapter
// checks the rules of its own API before anything is sent.
func ExampleFlowLogSpec() {
	specs := map[string]flowlog.FlowLogSpec{
		"aliyun": {
			Region:              "cn-hangzhou",
			Name:                "web-eni",
			Resource:            flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: "eni-bp1example"},
			TrafficType:         flowlog.TrafficReject,
			Destination:         flowlog.Destination{SLS: &flowlog.SLSDestination{Project: "netlogs", LogStore: "flows"}},
			AggregationInterval: 5 * time.Minute,
			Tags:                map[string]string{"team": "web"},
			Alibaba:             &flowlog.AlibabaOptions{IPVersion: "IPv4"},
		},
		"cbn": {
			Region: "cn-hangzhou",
			Name:   "cen-attachment",
			Resource: flowlog.Resource{Kind: flowlog.ResourceTransitRouterAttachment,
				ID: "tr-attach-example", NetworkID: "cen-example"}, // NetworkID: the CEN instance
			Destination: flowlog.Destination{SLS: &flowlog.SLSDestination{Project: "netlogs", LogStore: "cen"}},
			ClientToken: "cen-attachment-2024-01", // the same token never makes a second flow log
		},
		"tencent": {
			Region: "ap-guangzhou",
			Name:   "web-eni",
			Resource: flowlog.Resource{Kind: flowlog.ResourceNetworkInterface,
				ID: "eni-abcd1234", NetworkID: "vpc-abcd1234"}, // NetworkID: the VpcId
			TrafficType: flowlog.TrafficAll,
			Destination: flowlog.Destination{CKafka: &flowlog.CKafkaDestination{InstanceID: "ckafka-abcd1234", Topic: "flows"}},
		},
	}
	newProvider := map[string]func() (driver.Provider, error){
		"aliyun":  func() (driver.Provider, error) { return aliyun.New() },
		"cbn":     func() (driver.Provider, error) { return cbn.New() },
		"tencent": func() (driver.Provider, error) { return tencent.New() },
	}
	for _, name := range []string{"aliyun", "cbn", "tencent"} {
		p, err := newProvider[name]() // no I/O
		if err != nil {
			fmt.Println(err)
			return
		}
		client := flowlog.NewClient(p)
		fmt.Println(name, client.Validate(specs[name]))
		client.Close()
	}

	// A field the provider cannot express is refused, never dropped.
	spec := specs["tencent"]
	spec.AggregationInterval = time.Minute
	p, err := tencent.New()
	if err != nil {
		fmt.Println(err)
		return
	}
	client := flowlog.NewClient(p)
	defer client.Close()
	fmt.Println(errors.Is(client.Validate(spec), flowlog.ErrUnsupported))
	// Output:
	// aliyun <nil>
	// cbn <nil>
	// tencent <nil>
	// true
}

func ExampleCode() {
	err := fmt.Errorf("create: %w", &flowlog.Error{Code: flowlog.CodeQuotaExceeded, ProviderCode: "QuotaExceeded.FlowlogCount"})
	code := flowlog.ErrorCode(err)
	fmt.Printf("%d %s %t\n", code, code, errors.Is(err, flowlog.ErrQuotaExceeded))
	// Output:
	// 5 quota exceeded true
}

func ExampleRetryClass() {
	for _, r := range []driver.RetryClass{driver.RetryNever, driver.RetrySafe, driver.RetryAmbiguous, driver.RetryClockSkew} {
		fmt.Println(int(r), r)
	}
	// Output:
	// 0 never
	// 1 safe
	// 2 ambiguous
	// 3 clock skew
}

func ExampleOnProgress() {
	srv, client := emulator()
	defer srv.Close()
	defer client.Close()

	specs := []flowlog.FlowLogSpec{
		eniSpec(flowlogtest.DefaultNetworkInterfaceID),
		eniSpec(flowlogtest.DefaultNetworkInterfaceID2),
		eniSpec(flowlogtest.DefaultNetworkInterfaceID3),
	}
	done := 0
	client.CreateAll(context.Background(), specs, flowlog.OnProgress(func(p flowlog.Progress) {
		// Calls come one at a time: after each create is answered
		// (Submitted grows) and after each item finishes (Done grows).
		if p.Done > done {
			done = p.Done
			fmt.Printf("%d/%d done, %d failed\n", p.Done, p.Total, p.Failed)
		}
	}))
	// Output:
	// 1/3 done, 0 failed
	// 2/3 done, 0 failed
	// 3/3 done, 0 failed
}

func ExampleConcurrency() {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(10 * time.Millisecond))
	defer srv.Close()
	enis := srv.AddNetworkInterfaces(flowlogtest.DefaultRegion, flowlogtest.DefaultVPCID, flowlogtest.DefaultVSwitchID, 20)

	p, err := aliyun.New(aliyun.WithEndpoint(srv.URL),
		aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	if err != nil {
		fmt.Println(err)
		return
	}
	client := flowlog.NewClient(p, flowlog.WithWaitDefaults(flowlog.PollDelay(2*time.Millisecond, 10*time.Millisecond)))
	defer client.Close()

	var specs []flowlog.FlowLogSpec
	for _, eni := range enis {
		specs = append(specs, eniSpec(eni))
	}
	// At most 5 creates are in flight at once; the waits for activation
	// share the client's poller and do not count.
	active := 0
	for _, r := range client.CreateAll(context.Background(), specs, flowlog.Concurrency(5)) {
		if r.Err == nil && r.FlowLog.Status == flowlog.StatusActive {
			active++
		}
	}
	fmt.Println(active, "active,", srv.Calls("CreateFlowLog"), "creates")
	// Output:
	// 20 active, 20 creates
}

func ExampleBulkCall() {
	srv, client := emulator()
	defer srv.Close()
	defer client.Close()

	specs := []flowlog.FlowLogSpec{
		eniSpec(flowlogtest.DefaultNetworkInterfaceID),
		eniSpec(flowlogtest.DefaultNetworkInterfaceID2),
	}
	// Every wait of the bulk call polls every 2 to 10 ms and gives up after
	// 5 seconds, whatever the client's defaults are.
	results := client.EnsureAll(context.Background(), specs,
		flowlog.BulkCall(flowlog.PollDelay(2*time.Millisecond, 10*time.Millisecond), flowlog.MaxWait(5*time.Second)))
	for _, r := range results {
		fmt.Println(r.Spec.Resource.ID, r.FlowLog.Status, r.Err)
	}
	// Output:
	// eni-emu00000000000001 active <nil>
	// eni-emu00000000000002 active <nil>
}

func ExampleMaxWait() {
	srv, client := emulator(flowlogtest.WithActivationDelay(time.Hour)) // never active in time
	defer srv.Close()
	defer client.Close()

	// MaxWait bounds a wait even when the context has no deadline.
	_, err := client.CreateAndWait(context.Background(), eniSpec(flowlogtest.DefaultNetworkInterfaceID),
		flowlog.MaxWait(30*time.Millisecond))
	// The error names the flow log that was created, so the caller can
	// still find or delete it.
	var we *flowlog.WaitError
	if errors.As(err, &we) {
		fmt.Println(errors.Is(err, context.DeadlineExceeded), we.ID != "", we.Want)
	}
	// Output:
	// true true active
}

func ExampleNotFoundGrace() {
	srv, client := emulator()
	defer srv.Close()
	defer client.Close()

	// Providers list a new flow log with a short delay, so a wait tolerates
	// a missing flow log for a while (30s by default) before it gives up.
	_, err := client.Wait(context.Background(), flowlogtest.DefaultRegion, "fl-doesnotexist000000000",
		flowlog.NotFoundGrace(20*time.Millisecond))
	var we *flowlog.WaitError
	if errors.As(err, &we) {
		fmt.Println(errors.Is(err, flowlog.ErrNotFound), we.Last)
	}
	// Output:
	// true unknown
}

func ExampleMaxAttempts() {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	p, err := aliyun.New(aliyun.WithEndpoint(srv.URL),
		aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	if err != nil {
		fmt.Println(err)
		return
	}
	// One attempt: no retries, so the caller sees the first failure.
	client := flowlog.NewClient(p, flowlog.WithRetry(flowlog.MaxAttempts(1)))
	defer client.Close()

	srv.InjectFaults(flowlogtest.FaultRule{Action: "CreateFlowLog", Count: 1,
		Kinds: []flowlogtest.FaultKind{flowlogtest.FaultThrottle}})
	_, err = client.Create(context.Background(), eniSpec(flowlogtest.DefaultNetworkInterfaceID))
	var apiErr *flowlog.Error
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Code, apiErr.ProviderCode, apiErr.HTTPStatus)
	}
	// Output:
	// throttled Throttling.User 400
}

func ExampleRetryBudget() {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	p, err := aliyun.New(aliyun.WithEndpoint(srv.URL),
		aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	if err != nil {
		fmt.Println(err)
		return
	}
	// A budget of 5 tokens pays for one retry after a throttle: during an
	// outage the client stops retrying instead of adding to the load.
	client := flowlog.NewClient(p, flowlog.WithRetry(
		flowlog.RetryBudget(5),
		flowlog.RetryDelays(time.Millisecond, time.Millisecond, 5*time.Millisecond)))
	defer client.Close()

	srv.InjectFaults(flowlogtest.FaultRule{Action: "CreateFlowLog", Count: 10,
		Kinds: []flowlogtest.FaultKind{flowlogtest.FaultThrottle}})
	_, err = client.Create(context.Background(), eniSpec(flowlogtest.DefaultNetworkInterfaceID))
	fmt.Println(errors.Is(err, flowlog.ErrThrottled), srv.FaultsInjected()[flowlogtest.FaultThrottle], "attempts")
	// Output:
	// true 2 attempts
}

func ExampleRetryDelays() {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	p, err := aliyun.New(aliyun.WithEndpoint(srv.URL),
		aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	if err != nil {
		fmt.Println(err)
		return
	}
	// Back off from 1 ms after a transient error and from 2 ms after a
	// throttle, never more than 10 ms (the defaults, 100ms, 1s and 20s, suit
	// the real clouds).
	client := flowlog.NewClient(p, flowlog.WithRetry(
		flowlog.RetryDelays(time.Millisecond, 2*time.Millisecond, 10*time.Millisecond)))
	defer client.Close()

	// A 503, then a throttle: both are safe to retry.
	srv.InjectFaults(
		flowlogtest.FaultRule{Action: "CreateFlowLog", Count: 1, Kinds: []flowlogtest.FaultKind{flowlogtest.FaultServerError}},
		flowlogtest.FaultRule{Action: "CreateFlowLog", Count: 1, Kinds: []flowlogtest.FaultKind{flowlogtest.FaultThrottle}})
	fl, err := client.Create(context.Background(), eniSpec(flowlogtest.DefaultNetworkInterfaceID))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fl.Status, len(srv.FlowLogsOn(flowlogtest.DefaultNetworkInterfaceID)))
	// Output:
	// pending 1
}

func ExampleFlowLog() {
	srv, client := emulator()
	defer srv.Close()
	defer client.Close()
	ctx := context.Background()

	spec := eniSpec(flowlogtest.DefaultNetworkInterfaceID)
	spec.Tags = map[string]string{"team": "web"}
	created, err := client.CreateAndWait(ctx, spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	fl, err := client.Get(ctx, created.Region, created.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	// The neutral view of what the provider reports; Raw (through As) is
	// the SDK's own object.
	fmt.Println(fl.Provider, fl.Region, fl.Name)
	fmt.Println(fl.Status, fl.RawStatus, fl.Settling, fl.StatusReason == "")
	fmt.Println(fl.Resource.Kind, fl.Resource.ID, fl.TrafficType)
	fmt.Println(fl.Destination.SLS.Project, fl.Destination.SLS.LogStore, fl.AggregationInterval, fl.Tags["team"])
	fmt.Println(fl.CreatedAt.IsZero())
	// Output:
	// aliyun cn-hangzhou web-eni
	// active Active unknown true
	// NetworkInterface eni-emu00000000000001 reject
	// flowlog-emu flowlog-store 1m0s web
	// false
}

// A Resource names what a flow log captures. Which kinds a provider takes,
// and what NetworkID means there, is each provider's rule.
func ExampleResource() {
	ali, err := aliyun.New()
	if err != nil {
		fmt.Println(err)
		return
	}
	tc, err := tencent.New()
	if err != nil {
		fmt.Println(err)
		return
	}
	alibaba, tencentCloud := flowlog.NewClient(ali), flowlog.NewClient(tc)
	defer alibaba.Close()
	defer tencentCloud.Close()

	sls := flowlog.Destination{SLS: &flowlog.SLSDestination{Project: "netlogs", LogStore: "flows"}}
	cls := flowlog.Destination{CLS: &flowlog.CLSDestination{TopicID: "f10e1000-0000-4000-8000-000000000001"}}
	for _, c := range []struct {
		client *flowlog.Client
		spec   flowlog.FlowLogSpec
	}{
		// An Alibaba vSwitch is a ResourceSubnet; Alibaba VPC takes no NetworkID.
		{alibaba, flowlog.FlowLogSpec{Region: "cn-hangzhou", Destination: sls,
			Resource: flowlog.Resource{Kind: flowlog.ResourceSubnet, ID: "vsw-bp1example"}}},
		// Tencent needs the VpcId as NetworkID...
		{tencentCloud, flowlog.FlowLogSpec{Region: "ap-guangzhou", Name: "subnet", Destination: cls,
			Resource: flowlog.Resource{Kind: flowlog.ResourceSubnet, ID: "subnet-abcd1234", NetworkID: "vpc-abcd1234"}}},
		{tencentCloud, flowlog.FlowLogSpec{Region: "ap-guangzhou", Name: "subnet", Destination: cls,
			Resource: flowlog.Resource{Kind: flowlog.ResourceSubnet, ID: "subnet-abcd1234"}}},
		// ...except for a CCN, which is global.
		{tencentCloud, flowlog.FlowLogSpec{Region: "ap-guangzhou", Name: "ccn", Destination: cls,
			Resource: flowlog.Resource{Kind: flowlog.ResourceCloudConnectNetwork, ID: "ccn-abcd1234"}}},
		// Transit routers are CEN's (package cbn), not Alibaba VPC's.
		{alibaba, flowlog.FlowLogSpec{Region: "cn-hangzhou", Destination: sls,
			Resource: flowlog.Resource{Kind: flowlog.ResourceTransitRouter, ID: "tr-bp1example"}}},
	} {
		fmt.Printf("%s %s: %v\n", c.client.Provider(), c.spec.Resource.Kind, c.client.Validate(c.spec))
	}
	// Output:
	// aliyun Subnet: <nil>
	// tencent Subnet: <nil>
	// tencent Subnet: flowlog: invalid tencent spec: Resource.NetworkID: is required: the VPC ID (vpc-...) of the resource
	// tencent CloudConnectNetwork: <nil>
	// aliyun TransitRouter: flowlog: invalid aliyun spec: Resource.Kind: not supported by aliyun (resource kind TransitRouter)
}

func ExampleDestination() {
	p, err := aliyun.New()
	if err != nil {
		fmt.Println(err)
		return
	}
	client := flowlog.NewClient(p)
	defer client.Close()

	spec := flowlog.FlowLogSpec{
		Region:   "cn-hangzhou",
		Resource: flowlog.Resource{Kind: flowlog.ResourceVPC, ID: "vpc-bp1example"},
		// Exactly one member is set: SLS on Alibaba Cloud, CLS or CKafka on
		// Tencent Cloud.
		Destination: flowlog.Destination{SLS: &flowlog.SLSDestination{Project: "netlogs", LogStore: "flows"}},
	}
	fmt.Println(client.Validate(spec))

	spec.Destination.CKafka = &flowlog.CKafkaDestination{InstanceID: "ckafka-abcd1234", Topic: "flows"}
	fmt.Println(errors.Is(client.Validate(spec), flowlog.ErrInvalidArgument))
	// Output:
	// <nil>
	// true
}

func ExampleBulkResult() {
	srv, client := emulator()
	defer srv.Close()
	defer client.Close()
	ctx := context.Background()

	specs := []flowlog.FlowLogSpec{
		eniSpec(flowlogtest.DefaultNetworkInterfaceID),
		eniSpec(flowlogtest.DefaultNetworkInterfaceID2),
	}
	// The service is not opened in the region yet: every create fails.
	srv.SetFlowLogServiceOpened(flowlogtest.DefaultRegion, false)
	results := client.EnsureAll(ctx, specs)

	// Each result says what happened to its spec; retry what can be fixed.
	var retry []flowlog.FlowLogSpec
	for _, r := range results {
		if errors.Is(r.Err, flowlog.ErrFailedPrecondition) {
			retry = append(retry, r.Spec)
		}
	}
	fmt.Println(len(retry), "to retry")

	srv.SetFlowLogServiceOpened(flowlogtest.DefaultRegion, true) // e.g. after opening the service
	for _, r := range client.EnsureAll(ctx, retry) {
		fmt.Println(r.Spec.Resource.ID, r.FlowLog.Status, r.Err)
	}
	// Output:
	// 2 to retry
	// eni-emu00000000000001 active <nil>
	// eni-emu00000000000002 active <nil>
}

func ExampleAlibabaOptions() {
	// The emulator, like a real account, refuses custom traffic paths until
	// the account is on Alibaba's allow-list.
	srv, client := emulator(flowlogtest.WithTrafficPathAllowed())
	defer srv.Close()
	defer client.Close()

	spec := eniSpec(flowlogtest.DefaultNetworkInterfaceID)
	spec.Alibaba = &flowlog.AlibabaOptions{
		TrafficPaths:    []flowlog.AlibabaTrafficPath{flowlog.AlibabaTrafficPathInternetGateway},
		IPVersion:       "IPv4",
		ResourceGroupID: "rg-acfmexample0001",
	}
	if _, err := client.CreateAndWait(context.Background(), spec); err != nil {
		fmt.Println(err)
		return
	}
	v := srv.VPCFlowLogs()[0]
	fmt.Println(v.TrafficPath, v.IPVersion, v.ResourceGroupID)
	// Output:
	// [internetGateway] IPv4 rg-acfmexample0001
}

func ExampleUnconfirmed() {
	spec := flowlog.FlowLogSpec{
		Region:      "cn-hangzhou",
		Resource:    flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: "eni-bp1example"},
		Destination: flowlog.Destination{SLS: &flowlog.SLSDestination{Project: "netlogs", LogStore: "flows"}},
		Alibaba:     &flowlog.AlibabaOptions{IPVersion: "IPv6"},
	}
	// Described without the Alibaba settings: nothing differs, but the IP
	// version could not be checked.
	fl := &flowlog.FlowLog{
		Resource:    spec.Resource,
		Destination: spec.Destination,
	}
	fmt.Println(flowlog.Differences(spec, fl), flowlog.Unconfirmed(spec, fl))

	// Described with them: now it can differ.
	fl.Alibaba = &flowlog.AlibabaOptions{IPVersion: "IPv4"}
	fmt.Println(flowlog.Differences(spec, fl), flowlog.Unconfirmed(spec, fl))
	// Output:
	// [] [Alibaba.IPVersion]
	// [Alibaba.IPVersion] []
}

func ExampleUnknownOutcomeError() {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(0))
	defer srv.Close()
	p, err := aliyun.New(aliyun.WithEndpoint(srv.URL),
		aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	if err != nil {
		panic(err)
	}
	client := flowlog.NewClient(p, flowlog.WithRetry(flowlog.MaxAttempts(2),
		flowlog.RetryDelays(time.Millisecond, time.Millisecond, time.Millisecond)))
	defer client.Close()
	ctx := context.Background()
	spec := flowlog.FlowLogSpec{
		Region:      flowlogtest.DefaultRegion,
		Resource:    flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: flowlogtest.DefaultNetworkInterfaceID},
		Destination: flowlog.Destination{SLS: &flowlog.SLSDestination{Project: flowlogtest.DefaultSLSProject, LogStore: flowlogtest.DefaultSLSLogStore}},
	}

	// Every answer is lost on its way back, though the server acts on the
	// request: the create worked, and no look-up can tell.
	srv.InjectFaults(flowlogtest.FaultRule{Kinds: []flowlogtest.FaultKind{flowlogtest.FaultLostResponse}, Rate: 1})
	_, err = client.Create(ctx, spec)
	var u *flowlog.UnknownOutcomeError
	fmt.Println(errors.Is(err, flowlog.ErrUnknownOutcome), errors.As(err, &u) && u.Resource == spec.Resource.ID)

	// Never assume it failed: once the network is back, Ensure settles it
	// and adopts the flow log the lost create made.
	srv.ClearFaults()
	fl, err := client.Ensure(ctx, spec)
	fmt.Println(err, srv.FlowLogsOn(spec.Resource.ID)[0] == fl.ID, len(srv.FlowLogsOn(spec.Resource.ID)))
	// Output:
	// true true
	// <nil> true 1
}

func ExampleClient_Plan() {
	srv, client := emulator()
	defer srv.Close()
	defer client.Close()
	ctx := context.Background()

	specs := []flowlog.FlowLogSpec{
		eniSpec(flowlogtest.DefaultNetworkInterfaceID),
		eniSpec(flowlogtest.DefaultNetworkInterfaceID2),
		eniSpec(flowlogtest.DefaultNetworkInterfaceID3),
	}
	for _, r := range client.EnsureAll(ctx, specs[:2]) {
		if r.Err != nil {
			fmt.Println(r.Err)
			return
		}
	}
	specs[1].Description = "changed since"

	// A dry run: the same survey as EnsureAll, nothing changed.
	for _, item := range client.Plan(ctx, specs) {
		if item.Err != nil {
			fmt.Println(item.Spec.Resource.ID, item.Err)
			continue
		}
		fmt.Println(item.Spec.Resource.ID, item.Action, item.Fields)
	}
	fmt.Println("creates sent:", srv.Calls("CreateFlowLog"))
	// Output:
	// eni-emu00000000000001 adopt []
	// eni-emu00000000000002 drift [Description]
	// eni-emu00000000000003 create []
	// creates sent: 2
}

func ExamplePlanAction() {
	fmt.Println(flowlog.PlanActivate)
	fmt.Printf("%#v\n", flowlog.PlanDrift)
	// Output:
	// activate
	// flowlog.PlanDrift
}
