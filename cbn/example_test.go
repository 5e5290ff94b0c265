package cbn_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkcbn "github.com/aliyun/alibaba-cloud-sdk-go/services/cbn"

	"github.com/cloudflowlog/flowlog-go/cbn"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
)

// The runnable examples talk to the emulator of package flowlogtest; a
// program leaves out cbn.WithEndpoint and passes its own credentials (or
// none, for the SDK's default chain).

func ExampleNew() {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(10 * time.Millisecond))
	defer srv.Close()

	// The same option names as package aliyun's, for the same Alibaba Cloud
	// account settings.
	p, err := cbn.New(
		cbn.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret),
		cbn.WithEndpoint(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	client := flowlog.NewClient(p, flowlog.WithWaitDefaults(flowlog.PollDelay(2*time.Millisecond, 10*time.Millisecond)))
	defer client.Close()

	fl, err := client.CreateAndWait(context.Background(), flowlog.FlowLogSpec{
		Region: flowlogtest.DefaultRegion,
		Name:   "attachment-flows",
		// A transit router attachment of a CEN instance; NetworkID is the CEN.
		Resource: flowlog.Resource{Kind: flowlog.ResourceTransitRouterAttachment,
			ID: flowlogtest.DefaultTransitRouterAttachmentID, NetworkID: flowlogtest.DefaultCENID},
		Destination:         flowlog.Destination{SLS: &flowlog.SLSDestination{Project: "cen-logs", LogStore: "flows"}},
		AggregationInterval: time.Minute,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fl.Provider, fl.Status, fl.RawStatus)

	// FlowLog.As reaches the SDK's own type.
	var raw sdkcbn.FlowLog
	if fl.As(&raw) {
		fmt.Println(raw.TransitRouterAttachmentId, raw.Interval)
	}
	// Output:
	// cbn active Active
	// tr-attach-emu000000000001 60
}

// In production, New takes no option at all: credentials come from the
// SDK's default chain (ALIBABA_CLOUD_ACCESS_KEY_ID and
// ALIBABA_CLOUD_ACCESS_KEY_SECRET, profile files, the ECS RAM role) and
// requests go over HTTPS to cbn.aliyuncs.com. The example needs a real
// account, so it is compiled but not run.
func ExampleNew_defaultChain() {
	p, err := cbn.New()
	if err != nil {
		log.Fatal(err)
	}
	client := flowlog.NewClient(p)
	defer client.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	fl, err := client.CreateAndWait(ctx, flowlog.FlowLogSpec{
		Region: "cn-hangzhou",
		Name:   "attachment-flows",
		Resource: flowlog.Resource{Kind: flowlog.ResourceTransitRouterAttachment,
			ID: "tr-attach-example", NetworkID: "cen-example"},
		Destination: flowlog.Destination{SLS: &flowlog.SLSDestination{Project: "netlogs", LogStore: "cen"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(fl.ID, fl.Status)
}

// A client-side rate limit: at most 50 requests per second for each region
// and action.
func ExampleWithRateLimit() {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	p, err := cbn.New(cbn.WithRateLimit(50), cbn.WithEndpoint(srv.URL),
		cbn.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	if err != nil {
		fmt.Println(err)
		return
	}
	client := flowlog.NewClient(p)
	defer client.Close()

	start := time.Now()
	for _, id := range []string{flowlogtest.DefaultTransitRouterAttachmentID, flowlogtest.DefaultTransitRouterAttachmentID2} {
		if _, err := client.Create(context.Background(), attachmentSpecFor(id)); err != nil {
			fmt.Println(err)
			return
		}
	}
	// The second create waited for its turn, 20 ms after the first.
	fmt.Println(srv.Calls("CreateFlowlog"), time.Since(start) >= 20*time.Millisecond)
	// Output:
	// 2 true
}

func ExampleProvider_CreateIsIdempotent() {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	p, err := cbn.New(cbn.WithEndpoint(srv.URL),
		cbn.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	if err != nil {
		fmt.Println(err)
		return
	}
	// CEN's CreateFlowlog takes a client token, so the client may repeat an
	// ambiguous create as it is.
	fmt.Println(p.CreateIsIdempotent())

	client := flowlog.NewClient(p)
	defer client.Close()
	spec := attachmentSpecFor(flowlogtest.DefaultTransitRouterAttachmentID)
	spec.ClientToken = "attachment-1-flowlog" // kept across restarts by the caller
	first, err := client.Create(context.Background(), spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	// The same token returns the first flow log instead of making another.
	again, err := client.Create(context.Background(), spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(again.ID == first.ID, srv.Calls("CreateFlowlog"), len(srv.FlowLogsOn(flowlogtest.DefaultTransitRouterAttachmentID)))
	// Output:
	// true
	// true 2 1
}

func ExampleProvider_ListPage() {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(0))
	defer srv.Close()
	p, err := cbn.New(cbn.WithEndpoint(srv.URL),
		cbn.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	if err != nil {
		fmt.Println(err)
		return
	}
	client := flowlog.NewClient(p)
	defer client.Close()
	ctx := context.Background()

	spec := attachmentSpecFor(flowlogtest.DefaultTransitRouterAttachmentID)
	created, err := client.Create(ctx, spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	// One page of the flow logs of the spec's CEN on its attachment, in any
	// state; the page's NextToken asks for the next one.
	page, err := p.ListPage(ctx, spec.Region, flowlog.ListFilter{ResourceID: spec.Resource.ID, NetworkID: spec.Resource.NetworkID}, "")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, fl := range page.FlowLogs {
		fmt.Println(fl.ID == created.ID, fl.Resource.ID, fl.Resource.NetworkID, fl.Status)
	}
	// Output:
	// true tr-attach-emu000000000001 cen-emu000000000001 active
}

// attachmentSpecFor is a minimal spec of a flow log on a transit router
// attachment of the emulator's CEN.
func attachmentSpecFor(id string) flowlog.FlowLogSpec {
	return flowlog.FlowLogSpec{
		Region: flowlogtest.DefaultRegion,
		Resource: flowlog.Resource{Kind: flowlog.ResourceTransitRouterAttachment,
			ID: id, NetworkID: flowlogtest.DefaultCENID},
		Destination: flowlog.Destination{SLS: &flowlog.SLSDestination{
			Project: flowlogtest.DefaultSLSProject, LogStore: flowlogtest.DefaultSLSLogStore}},
	}
}

// createOne creates a flow log through p on the emulator's attachment and
// prints its provider and status.
func createOne(p *cbn.Provider, err error) {
	if err != nil {
		fmt.Println(err)
		return
	}
	client := flowlog.NewClient(p)
	defer client.Close()
	fl, err := client.Create(context.Background(), attachmentSpecFor(flowlogtest.DefaultTransitRouterAttachmentID))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fl.Provider, fl.Status)
}

func ExampleWithAccessKey() {
	srv := flowlogtest.NewServer(flowlogtest.WithAlibabaCredential("LTAIexampleKeyId", "example-secret"))
	defer srv.Close()
	// A long-term AccessKey pair; prefer WithSTSToken or
	// WithCredentialsProvider (a RAM role) where you can.
	createOne(cbn.New(cbn.WithAccessKey("LTAIexampleKeyId", "example-secret"), cbn.WithEndpoint(srv.URL)))
	// Output:
	// cbn pending
}

func ExampleWithSTSToken() {
	srv := flowlogtest.NewServer(flowlogtest.WithSTSCredential("STS.example", "sts-secret", "sts-token"))
	defer srv.Close()
	createOne(cbn.New(cbn.WithSTSToken("STS.example", "sts-secret", "sts-token"), cbn.WithEndpoint(srv.URL)))
	// Output:
	// cbn pending
}

func ExampleWithCredentialsProvider() {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	// Any provider of the SDK's credentials package: a RAM role, an OIDC
	// role, a profile, or, as here, a static pair.
	creds := credentials.NewStaticAKCredentialsProvider(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret)
	createOne(cbn.New(cbn.WithCredentialsProvider(creds), cbn.WithEndpoint(srv.URL)))
	// Output:
	// cbn pending
}

func ExampleWithEndpoint() {
	// The real cloud's endpoint is the default; an emulator is plain HTTP.
	srv := flowlogtest.NewServer()
	defer srv.Close()
	createOne(cbn.New(cbn.WithEndpoint(srv.URL),
		cbn.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret)))
	// Output:
	// cbn pending
}

func ExampleWithHTTPTransport() {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	// Send requests through a transport of your own: a proxy, a custom TLS
	// configuration, tracing.
	base := &http.Transport{}
	defer base.CloseIdleConnections()
	createOne(cbn.New(cbn.WithHTTPTransport(base), cbn.WithEndpoint(srv.URL),
		cbn.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret)))
	// Output:
	// cbn pending
}
