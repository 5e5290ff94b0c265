package aliyun_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/cloudflowlog/flowlog-go/aliyun"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
)

// The runnable examples talk to the emulator of package flowlogtest; a
// program leaves out WithEndpoint and passes its own credentials (or none,
// for the SDK's default chain).

func ExampleNew() {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(10 * time.Millisecond))
	defer srv.Close()

	p, err := aliyun.New(
		aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret),
		aliyun.WithEndpoint(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	client := flowlog.NewClient(p, flowlog.WithWaitDefaults(flowlog.PollDelay(2*time.Millisecond, 10*time.Millisecond)))
	defer client.Close()

	fl, err := client.CreateAndWait(context.Background(), flowlog.FlowLogSpec{
		Region:      flowlogtest.DefaultRegion,
		Name:        "web-eni",
		Resource:    flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: flowlogtest.DefaultNetworkInterfaceID},
		TrafficType: flowlog.TrafficReject,
		Destination: flowlog.Destination{SLS: &flowlog.SLSDestination{
			Project: flowlogtest.DefaultSLSProject, LogStore: flowlogtest.DefaultSLSLogStore}},
		AggregationInterval: 10 * time.Minute,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fl.Provider, fl.Status, fl.RawStatus)

	// FlowLog.As reaches the SDK's own type.
	var raw vpc.FlowLog
	if fl.As(&raw) {
		fmt.Println(raw.ResourceType, raw.TrafficType, raw.AggregationInterval)
	}
	// Output:
	// aliyun active Active
	// NetworkInterface Drop 10
}

// In production, New takes no option at all: credentials come from the
// SDK's default chain (ALIBABA_CLOUD_ACCESS_KEY_ID and
// ALIBABA_CLOUD_ACCESS_KEY_SECRET, profile files, the ECS RAM role) and
// requests go over HTTPS to the region's endpoint. The example needs a real
// account, so it is compiled but not run.
func ExampleNew_defaultChain() {
	p, err := aliyun.New()
	if err != nil {
		log.Fatal(err)
	}
	client := flowlog.NewClient(p)
	defer client.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	fl, err := client.CreateAndWait(ctx, flowlog.FlowLogSpec{
		Region:      "cn-hangzhou",
		Name:        "web-eni",
		Resource:    flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: "eni-bp1example"},
		TrafficType: flowlog.TrafficReject,
		Destination: flowlog.Destination{SLS: &flowlog.SLSDestination{Project: "netlogs", LogStore: "flows"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(fl.ID, fl.Status)
}

func ExampleWithEndpoint() {
	// A regional endpoint of the real cloud (HTTPS unless written http://):
	_ = aliyun.WithEndpoint("vpc.cn-shanghai.aliyuncs.com")

	// Or an emulator, over plain HTTP.
	srv := flowlogtest.NewServer()
	defer srv.Close()
	p, err := aliyun.New(aliyun.WithEndpoint(srv.URL),
		aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	if err != nil {
		fmt.Println(err)
		return
	}
	client := flowlog.NewClient(p)
	defer client.Close()

	_, err = client.Get(context.Background(), flowlogtest.DefaultRegion, "fl-doesnotexist000000000")
	fmt.Println(errors.Is(err, flowlog.ErrNotFound), srv.Calls("DescribeFlowLogs"))
	// Output:
	// true 1
}

func ExampleWithRateLimit() {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(0))
	defer srv.Close()
	// At most 100 requests per second for each region and action, evenly
	// spaced: 10 ms apart. Alibaba documents no limit, so there is none by
	// default.
	p, err := aliyun.New(aliyun.WithRateLimit(100), aliyun.WithEndpoint(srv.URL),
		aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	if err != nil {
		fmt.Println(err)
		return
	}
	client := flowlog.NewClient(p)
	defer client.Close()

	start := time.Now()
	for _, eni := range []string{
		flowlogtest.DefaultNetworkInterfaceID,
		flowlogtest.DefaultNetworkInterfaceID2,
		flowlogtest.DefaultNetworkInterfaceID3,
	} {
		if _, err := client.Create(context.Background(), exampleSpec(eni)); err != nil {
			fmt.Println(err)
			return
		}
	}
	// Three creates: the first at once, the others 10 ms apart.
	fmt.Println(srv.Calls("CreateFlowLog"), time.Since(start) >= 20*time.Millisecond)
	// Output:
	// 3 true
}

func ExampleWithSTSToken() {
	srv := flowlogtest.NewServer(flowlogtest.WithSTSCredential("STS.example", "sts-secret", "sts-token"))
	defer srv.Close()

	p, err := aliyun.New(aliyun.WithSTSToken("STS.example", "sts-secret", "sts-token"), aliyun.WithEndpoint(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	client := flowlog.NewClient(p)
	defer client.Close()
	fl, err := client.Create(context.Background(), exampleSpec(flowlogtest.DefaultNetworkInterfaceID))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fl.Status)
	// Output:
	// pending
}

func ExampleWithCredentialsProvider() {
	srv := flowlogtest.NewServer()
	defer srv.Close()

	// Any provider of the SDK's credentials package: a RAM role, an OIDC
	// role, a profile, or, as here, a static pair.
	creds := credentials.NewStaticAKCredentialsProvider(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret)
	p, err := aliyun.New(aliyun.WithCredentialsProvider(creds), aliyun.WithEndpoint(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	client := flowlog.NewClient(p)
	defer client.Close()
	_, err = client.Create(context.Background(), exampleSpec(flowlogtest.DefaultNetworkInterfaceID))
	fmt.Println(err)

	// A wrong secret is refused; the error never contains the secret.
	p, err = aliyun.New(aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, "wrong-secret"), aliyun.WithEndpoint(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	bad := flowlog.NewClient(p)
	defer bad.Close()
	_, err = bad.Create(context.Background(), exampleSpec(flowlogtest.DefaultNetworkInterfaceID2))
	var apiErr *flowlog.Error
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Code, apiErr.ProviderCode)
	}
	// Output:
	// <nil>
	// unauthenticated SignatureDoesNotMatch
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
	p, err := aliyun.New(aliyun.WithHTTPTransport(rt), aliyun.WithEndpoint(srv.URL),
		aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	if err != nil {
		fmt.Println(err)
		return
	}
	client := flowlog.NewClient(p)
	defer client.Close()
	if _, err := client.Create(context.Background(), exampleSpec(flowlogtest.DefaultNetworkInterfaceID)); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rt.n.Load(), "request")
	// Output:
	// 1 request
}

func ExampleProvider_ListPage() {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(0))
	defer srv.Close()
	p, err := aliyun.New(aliyun.WithEndpoint(srv.URL),
		aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	if err != nil {
		fmt.Println(err)
		return
	}
	client := flowlog.NewClient(p)
	defer client.Close()
	ctx := context.Background()

	spec := exampleSpec(flowlogtest.DefaultNetworkInterfaceID)
	created, err := client.Create(ctx, spec)
	if err != nil {
		fmt.Println(err)
		return
	}

	// One page of the flow logs on the spec's resource, in any state: how
	// the client finds what is there before it creates (the API has no
	// client token). The page's NextToken asks for the next one; "" here.
	page, err := p.ListPage(ctx, spec.Region, flowlog.ListFilter{ResourceID: spec.Resource.ID, NetworkID: spec.Resource.NetworkID}, "")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, fl := range page.FlowLogs {
		fmt.Println(fl.ID == created.ID, fl.Resource.ID, fl.Status, flowlog.Differences(spec, fl))
	}
	// Output:
	// true eni-emu00000000000001 active []
}

// exampleSpec is a minimal spec of a flow log on the emulator's ENI eni.
func exampleSpec(eni string) flowlog.FlowLogSpec {
	return flowlog.FlowLogSpec{
		Region:   flowlogtest.DefaultRegion,
		Resource: flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: eni},
		Destination: flowlog.Destination{SLS: &flowlog.SLSDestination{
			Project: flowlogtest.DefaultSLSProject, LogStore: flowlogtest.DefaultSLSLogStore}},
	}
}

func ExampleWithAccessKey() {
	srv := flowlogtest.NewServer(flowlogtest.WithAlibabaCredential("LTAIexampleKeyId", "example-secret"))
	defer srv.Close()

	// A long-term AccessKey pair; prefer WithSTSToken or
	// WithCredentialsProvider (a RAM role) where you can.
	p, err := aliyun.New(aliyun.WithAccessKey("LTAIexampleKeyId", "example-secret"), aliyun.WithEndpoint(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	client := flowlog.NewClient(p)
	defer client.Close()
	fl, err := client.Create(context.Background(), exampleSpec(flowlogtest.DefaultNetworkInterfaceID))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fl.Provider, fl.Status)
	// Output:
	// aliyun pending
}
