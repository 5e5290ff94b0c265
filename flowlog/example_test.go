package flowlog_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cloudflowlog/flowlog-go/flowlog"
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
