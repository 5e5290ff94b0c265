package tencent_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	vpc "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/vpc/v20170312"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/tencent"
)

// The runnable examples talk to the emulator of package flowlogtest; a
// program leaves out WithEndpoint and passes its own credentials (or none,
// for the SDK's default chain).

func ExampleNew() {
	srv := flowlogtest.NewServer()
	defer srv.Close()

	p, err := tencent.New(
		tencent.WithSecretKey(flowlogtest.DefaultTencentSecretID, flowlogtest.DefaultTencentSecretKey),
		tencent.WithEndpoint(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	client := flowlog.NewClient(p, flowlog.WithWaitDefaults(flowlog.PollDelay(2*time.Millisecond, 10*time.Millisecond)))
	defer client.Close()

	fl, err := client.CreateAndWait(context.Background(), flowlog.FlowLogSpec{
		Region: flowlogtest.DefaultTencentRegion,
		Name:   "web-eni", // required on Tencent Cloud
		// NetworkID is the VpcId, required except for CCN flow logs.
		Resource: flowlog.Resource{Kind: flowlog.ResourceNetworkInterface,
			ID: flowlogtest.DefaultTencentNetworkInterfaceID, NetworkID: flowlogtest.DefaultTencentVPCID},
		TrafficType: flowlog.TrafficAccept,
		Destination: flowlog.Destination{CLS: &flowlog.CLSDestination{TopicID: flowlogtest.DefaultCLSTopicID}},
		Tags:        map[string]string{"team": "web"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fl.Provider, fl.Status, fl.RawStatus)

	// FlowLog.As reaches the SDK's own type.
	var raw *vpc.FlowLog
	if fl.As(&raw) {
		fmt.Println(*raw.ResourceType, *raw.TrafficType, *raw.CloudLogState)
	}
	// Output:
	// tencent active Enable=true CloudLogState=SUCCESS
	// NETWORKINTERFACE ACCEPT SUCCESS
}

// In production, New takes no option at all: credentials come from the
// SDK's default chain (TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY,
// the profile file, the CVM role) on the first call, and requests go over
// HTTPS to vpc.tencentcloudapi.com, at most DefaultRateLimit per second for
// each region and action. The example needs a real account, so it is
// compiled but not run.
func ExampleNew_defaultChain() {
	p, err := tencent.New()
	if err != nil {
		log.Fatal(err)
	}
	client := flowlog.NewClient(p)
	defer client.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	fl, err := client.CreateAndWait(ctx, flowlog.FlowLogSpec{
		Region: "ap-guangzhou",
		Name:   "web-eni",
		Resource: flowlog.Resource{Kind: flowlog.ResourceNetworkInterface,
			ID: "eni-abcd1234", NetworkID: "vpc-abcd1234"},
		Destination: flowlog.Destination{CLS: &flowlog.CLSDestination{TopicID: "1f2e3d4c-0000-4000-8000-000000000000"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(fl.ID, fl.Status)
}

// An account of the international site (tencentcloud.com) uses the
// international endpoint, vpc.intl.tencentcloudapi.com. The example needs a
// real account, so it is compiled but not run.
func ExampleWithInternational() {
	p, err := tencent.New(tencent.WithInternational())
	if err != nil {
		log.Fatal(err)
	}
	client := flowlog.NewClient(p)
	defer client.Close()

	for fl, err := range client.List(context.Background(), "ap-singapore", flowlog.ListFilter{}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(fl.ID, fl.Name, fl.Status)
	}
}

// WithCredentialsProvider takes any provider of the SDK's common package,
// resolved on the first call. The example needs a real account, so it is
// compiled but not run.
func ExampleWithCredentialsProvider() {
	// A CVM instance's role; common.DefaultProviderChain() is the default.
	p, err := tencent.New(tencent.WithCredentialsProvider(common.NewCvmRoleProvider("flowlog-writer")))
	if err != nil {
		log.Fatal(err)
	}
	client := flowlog.NewClient(p)
	defer client.Close()
	fl, err := client.Get(context.Background(), "ap-guangzhou", "fl-abcd1234")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(fl.Status)
}

func ExampleWithEndpoint() {
	// The endpoint of the real cloud, written out (HTTPS unless it starts
	// with http://):
	_ = tencent.WithEndpoint("vpc.tencentcloudapi.com")

	// Or an emulator, over plain HTTP.
	srv := flowlogtest.NewServer()
	defer srv.Close()
	p, err := tencent.New(tencent.WithEndpoint(srv.URL),
		tencent.WithSecretKey(flowlogtest.DefaultTencentSecretID, flowlogtest.DefaultTencentSecretKey))
	if err != nil {
		fmt.Println(err)
		return
	}
	client := flowlog.NewClient(p)
	defer client.Close()

	_, err = client.Get(context.Background(), flowlogtest.DefaultTencentRegion, "fl-abcd1234")
	fmt.Println(errors.Is(err, flowlog.ErrNotFound), srv.Calls("Tencent.DescribeFlowLogs"))
	// Output:
	// true 1
}

func ExampleWithRateLimit() {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	// Tencent allows 20 requests per second for each action; the adapter
	// keeps under that by default (DefaultRateLimit). Give each of several
	// processes of one account a share, or raise it where the account's
	// limit is higher: here 100 per second, 10 ms apart.
	p, err := tencent.New(tencent.WithRateLimit(100), tencent.WithEndpoint(srv.URL),
		tencent.WithSecretKey(flowlogtest.DefaultTencentSecretID, flowlogtest.DefaultTencentSecretKey))
	if err != nil {
		fmt.Println(err)
		return
	}
	client := flowlog.NewClient(p)
	defer client.Close()

	start := time.Now()
	for _, eni := range []string{
		flowlogtest.DefaultTencentNetworkInterfaceID,
		flowlogtest.DefaultTencentNetworkInterfaceID2,
		flowlogtest.DefaultTencentNetworkInterfaceID3,
	} {
		if _, err := client.Create(context.Background(), exampleSpec(eni)); err != nil {
			fmt.Println(err)
			return
		}
	}
	// Three creates: the first at once, the others 10 ms apart.
	fmt.Println(srv.Calls("Tencent.CreateFlowLog"), time.Since(start) >= 20*time.Millisecond)
	// Output:
	// 3 true
}

func ExampleWithSTSToken() {
	srv := flowlogtest.NewServer(flowlogtest.WithTencentSTSCredential("AKIDtemporary", "temporary-key", "session-token"))
	defer srv.Close()

	p, err := tencent.New(tencent.WithSTSToken("AKIDtemporary", "temporary-key", "session-token"), tencent.WithEndpoint(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	client := flowlog.NewClient(p)
	defer client.Close()
	fl, err := client.Create(context.Background(), exampleSpec(flowlogtest.DefaultTencentNetworkInterfaceID))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fl.Status)

	// The wrong token is refused.
	p, err = tencent.New(tencent.WithSTSToken("AKIDtemporary", "temporary-key", "stale-token"), tencent.WithEndpoint(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	stale := flowlog.NewClient(p)
	defer stale.Close()
	_, err = stale.Create(context.Background(), exampleSpec(flowlogtest.DefaultTencentNetworkInterfaceID2))
	var apiErr *flowlog.Error
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Code, apiErr.ProviderCode)
	}
	// Output:
	// pending
	// unauthenticated AuthFailure.TokenFailure
}

// countingTransport counts the HTTP requests it sends.
type countingTransport struct {
	n    atomic.Int32
	base http.RoundTripper
}

func (c *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.base.RoundTrip(req)
}

func ExampleWithHTTPTransport() {
	srv := flowlogtest.NewServer()
	defer srv.Close()

	// Send requests through a transport of your own: a proxy, a custom TLS
	// configuration, tracing or, here, a counter.
	base := &http.Transport{}
	defer base.CloseIdleConnections()
	rt := &countingTransport{base: base}
	p, err := tencent.New(tencent.WithHTTPTransport(rt), tencent.WithEndpoint(srv.URL),
		tencent.WithSecretKey(flowlogtest.DefaultTencentSecretID, flowlogtest.DefaultTencentSecretKey))
	if err != nil {
		fmt.Println(err)
		return
	}
	client := flowlog.NewClient(p)
	defer client.Close()
	if _, err := client.Create(context.Background(), exampleSpec(flowlogtest.DefaultTencentNetworkInterfaceID)); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rt.n.Load(), "request")
	// Output:
	// 1 request
}

func ExampleProvider_ListPage() {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	p, err := tencent.New(tencent.WithEndpoint(srv.URL),
		tencent.WithSecretKey(flowlogtest.DefaultTencentSecretID, flowlogtest.DefaultTencentSecretKey))
	if err != nil {
		fmt.Println(err)
		return
	}
	client := flowlog.NewClient(p)
	defer client.Close()
	ctx := context.Background()

	spec := exampleSpec(flowlogtest.DefaultTencentNetworkInterfaceID)
	created, err := client.Create(ctx, spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	// One page of the flow logs on the spec's resource, in any state: how
	// the client finds what is there before it creates (CreateFlowLog has no
	// client token). The page's NextToken asks for the next one.
	page, err := p.ListPage(ctx, spec.Region, flowlog.ListFilter{ResourceID: spec.Resource.ID, NetworkID: spec.Resource.NetworkID}, "")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, fl := range page.FlowLogs {
		fmt.Println(fl.ID == created.ID, fl.Resource.ID, fl.Resource.NetworkID, fl.Status, flowlog.Differences(spec, fl))
	}
	// Output:
	// true eni-emu00001 vpc-emu00001 active []
}

func ExampleProvider_SetEnabled() {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	p, err := tencent.New(tencent.WithEndpoint(srv.URL),
		tencent.WithRateLimit(0), // no client-side limit: the example polls fast
		tencent.WithSecretKey(flowlogtest.DefaultTencentSecretID, flowlogtest.DefaultTencentSecretKey))
	if err != nil {
		fmt.Println(err)
		return
	}
	client := flowlog.NewClient(p, flowlog.WithWaitDefaults(flowlog.PollDelay(2*time.Millisecond, 10*time.Millisecond)))
	defer client.Close()
	ctx := context.Background()

	fl, err := client.CreateAndWait(ctx, exampleSpec(flowlogtest.DefaultTencentNetworkInterfaceID))
	if err != nil {
		fmt.Println(err)
		return
	}
	// Client.Deactivate and Client.Activate call SetEnabled
	// (DisableFlowLogs, EnableFlowLogs) and wait; both are synchronous on
	// Tencent Cloud.
	if fl, err = client.Deactivate(ctx, fl.Region, fl.ID); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fl.Status, srv.TencentFlowLogs()[0].Enabled)
	if fl, err = client.Activate(ctx, fl.Region, fl.ID); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fl.Status, srv.TencentFlowLogs()[0].Enabled)
	// Output:
	// inactive false
	// active true
}

// exampleSpec is a minimal spec of a flow log on the emulator's ENI eni.
func exampleSpec(eni string) flowlog.FlowLogSpec {
	return flowlog.FlowLogSpec{
		Region: flowlogtest.DefaultTencentRegion,
		Name:   "flows-" + eni,
		Resource: flowlog.Resource{Kind: flowlog.ResourceNetworkInterface,
			ID: eni, NetworkID: flowlogtest.DefaultTencentVPCID},
		Destination: flowlog.Destination{CLS: &flowlog.CLSDestination{TopicID: flowlogtest.DefaultCLSTopicID}},
	}
}

func ExampleWithSecretKey() {
	srv := flowlogtest.NewServer(flowlogtest.WithTencentCredential("AKIDexampleSecretId0000000000000001", "example-key"))
	defer srv.Close()

	// A long-term SecretId/SecretKey pair; prefer WithSTSToken or
	// WithCredentialsProvider (a CVM role) where you can.
	p, err := tencent.New(tencent.WithSecretKey("AKIDexampleSecretId0000000000000001", "example-key"), tencent.WithEndpoint(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	client := flowlog.NewClient(p)
	defer client.Close()
	fl, err := client.Create(context.Background(), exampleSpec(flowlogtest.DefaultTencentNetworkInterfaceID))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fl.Provider, fl.Status)

	// A wrong key is refused (the signature does not match); the error
	// never contains the key.
	p, err = tencent.New(tencent.WithSecretKey("AKIDexampleSecretId0000000000000001", "wrong-key"), tencent.WithEndpoint(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	bad := flowlog.NewClient(p)
	defer bad.Close()
	_, err = bad.Create(context.Background(), exampleSpec(flowlogtest.DefaultTencentNetworkInterfaceID2))
	var apiErr *flowlog.Error
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Code, apiErr.ProviderCode)
	}
	// Output:
	// tencent pending
	// unauthenticated AuthFailure.SignatureFailure
}
