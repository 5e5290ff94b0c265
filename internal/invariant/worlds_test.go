package invariant

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stretchr/testify/require"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/cloudflowlog/flowlog-go/aliyun"
	"github.com/cloudflowlog/flowlog-go/cbn"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/flowlog/ratelimit"
	"github.com/cloudflowlog/flowlog-go/tencent"
)

// A world is one provider as the suite drives it: how to start the
// emulator with its resources, how to make an adapter, the specs a history
// draws from, and how to read the emulator's own state back. The readers
// here map the emulator's raw records to the spec's vocabulary on their own,
// without the adapters' code: a mapping bug in an adapter must not be
// mirrored by the check.
type world struct {
	name string
	// secrets are the credentials the adapters sign with: no text the
	// library produces may show one.
	secrets []string
	// server options beyond the suite's common ones.
	serverOpts []flowlogtest.Option
	// seed adds the resources of a history and returns them.
	seed func(srv *flowlogtest.Server) []resource
	// newProvider returns an adapter talking to srv through rt.
	newProvider func(t require.TestingT, srv *flowlogtest.Server, rt http.RoundTripper) driver.Provider
	// spec returns variant v (0..variants-1) of the spec for r.
	spec func(r resource, v int) flowlog.FlowLogSpec
	// records reads every flow log of the emulator.
	records func(srv *flowlogtest.Server) []record
	// region the history works in.
	region string
	// absentID is a well-formed flow log ID that is never created.
	absentID string
	// clientOpts, if set, returns options for every client of one history
	// (called once per history, so that what they hold is shared).
	clientOpts func() []flowlog.Option
	// createAction is the provider's create, as fault rules name it.
	createAction string
	// closeService, if set, closes the provider's flow-log service in the
	// region, as a new account has it (Alibaba VPC); the world's clients
	// then open it on demand (WithServiceOpening).
	closeService func(srv *flowlogtest.Server)
}

// variants is how many specs a world has per resource. Different variants
// on one resource conflict: variant 1 differs from variant 0 only in the
// provider's own knobs where it has any (the fields a lookup can miss),
// variant 2 in most fields; the last one leaves every field to the
// provider, so it adopts whatever is there.
const variants = 4

type resource struct {
	kind    flowlog.ResourceKind
	id      string
	network string
}

// record is a flow log as the emulator holds it, in the spec's words.
type record struct {
	id, resource string
	// status is active, inactive, pending or deleting; settling, for a
	// pending one, where to ("active", "inactive" or "").
	status, settling string
	// activatedAt is when it last became active, where the emulator says.
	activatedAt time.Time
	// fields are the values of the FlowLogSpec fields, by field name.
	fields map[string]string
}

// expected returns what a flow log made for spec must hold, by FlowLogSpec
// field name: every field the spec sets, and the traffic type, which
// defaults to all.
func expected(spec flowlog.FlowLogSpec) map[string]string {
	m := map[string]string{}
	if spec.Name != "" {
		m["Name"] = spec.Name
	}
	if spec.Description != "" {
		m["Description"] = spec.Description
	}
	tt := spec.TrafficType
	if tt == "" {
		tt = flowlog.TrafficAll
	}
	m["TrafficType"] = string(tt)
	m["Destination"] = destination(spec.Destination)
	if spec.AggregationInterval != 0 {
		m["AggregationInterval"] = spec.AggregationInterval.String()
	}
	for k, v := range spec.Tags {
		m["Tags["+k+"]"] = v
	}
	if a := spec.Alibaba; a != nil {
		if a.IPVersion != "" {
			m["Alibaba.IPVersion"] = a.IPVersion
		}
		if a.ResourceGroupID != "" {
			m["Alibaba.ResourceGroupID"] = a.ResourceGroupID
		}
		if len(a.TrafficPaths) > 0 {
			paths := make([]string, len(a.TrafficPaths))
			for i, p := range a.TrafficPaths {
				paths[i] = string(p)
			}
			m["Alibaba.TrafficPaths"] = joinSorted(paths)
		}
	}
	return m
}

func destination(d flowlog.Destination) string {
	switch {
	case d.SLS != nil:
		return "sls:" + d.SLS.Project + "/" + d.SLS.LogStore
	case d.CLS != nil:
		return "cls:" + d.CLS.TopicID
	case d.CKafka != nil:
		return "ckafka:" + d.CKafka.InstanceID + "/" + d.CKafka.Topic
	}
	return ""
}

func joinSorted(s []string) string {
	s = slices.Clone(s)
	slices.Sort(s)
	return strings.Join(s, ",")
}

// mismatch lists the fields of spec that rec does not hold as the spec
// says, leaving out those the library said it could not confirm.
func mismatch(spec flowlog.FlowLogSpec, rec record, unconfirmed []string) []string {
	var out []string
	for field, want := range expected(spec) {
		if got := rec.fields[field]; got != want && !slices.Contains(unconfirmed, field) {
			out = append(out, field+": "+strconv.Quote(got)+", want "+strconv.Quote(want))
		}
	}
	if spec.Resource.ID != rec.resource {
		out = append(out, "Resource: "+rec.resource+", want "+spec.Resource.ID)
	}
	slices.Sort(out)
	return out
}

func tagFields(m map[string]string, tags []flowlogtest.Tag) {
	for _, t := range tags {
		m["Tags["+t.Key+"]"] = t.Value
	}
}

// Alibaba's long-term test credentials are STS ones: a token is one more
// secret that must never show.
const (
	aliKeyID  = "STS.NUinvariantKeyID0001"
	aliSecret = "invariant-alibaba-secret-value"
	aliToken  = "CAISinvariantSecurityToken+with/slashes=="
	tcKeyID   = "AKIDinvariantSecretID000000000001"
	tcSecret  = "invariant-tencent-secret-key-value"
	tcToken   = "tc-invariant-session-token-value"
)

var sls = &flowlog.SLSDestination{Project: flowlogtest.DefaultSLSProject, LogStore: flowlogtest.DefaultSLSLogStore}
var otherSLS = &flowlog.SLSDestination{Project: flowlogtest.DefaultSLSProject, LogStore: "other-store"}

func aliyunWorld() *world {
	return &world{
		name:         "aliyun",
		createAction: "Vpc.CreateFlowLog",
		closeService: func(srv *flowlogtest.Server) { srv.SetFlowLogServiceOpened(flowlogtest.DefaultRegion, false) },
		clientOpts:   func() []flowlog.Option { return []flowlog.Option{flowlog.WithServiceOpening()} },
		region:       flowlogtest.DefaultRegion,
		absentID:     "fl-nevercreated000000000",
		secrets:      []string{aliKeyID, aliSecret, aliToken},
		serverOpts:   []flowlogtest.Option{flowlogtest.WithSTSCredential(aliKeyID, aliSecret, aliToken)},
		seed: func(srv *flowlogtest.Server) []resource {
			srv.AddSLSLogStore(flowlogtest.DefaultSLSProject, "other-store")
			enis := append([]string{flowlogtest.DefaultNetworkInterfaceID, flowlogtest.DefaultNetworkInterfaceID2},
				srv.AddNetworkInterfaces(flowlogtest.DefaultRegion, flowlogtest.DefaultVPCID, flowlogtest.DefaultVSwitchID, 1)...)
			var out []resource
			for _, id := range enis {
				out = append(out, resource{kind: flowlog.ResourceNetworkInterface, id: id})
			}
			return append(out, resource{kind: flowlog.ResourceSubnet, id: flowlogtest.DefaultVSwitchID})
		},
		newProvider: func(t require.TestingT, srv *flowlogtest.Server, rt http.RoundTripper) driver.Provider {
			p, err := aliyun.New(aliyun.WithEndpoint(srv.URL), aliyun.WithSTSToken(aliKeyID, aliSecret, aliToken), aliyun.WithHTTPTransport(rt))
			require.NoError(t, err)
			return p
		},
		spec: func(r resource, v int) flowlog.FlowLogSpec {
			s := flowlog.FlowLogSpec{Region: flowlogtest.DefaultRegion, Resource: flowlog.Resource{Kind: r.kind, ID: r.id},
				Destination: flowlog.Destination{SLS: sls}}
			switch v {
			case 0, 1:
				s.Name, s.Description, s.AggregationInterval = "inv-a", "first variant", 10*time.Minute
				s.Tags = map[string]string{"team": "a"}
				s.Alibaba = &flowlog.AlibabaOptions{IPVersion: "IPv4", ResourceGroupID: "rg-aaaa"}
				if v == 1 {
					s.Alibaba = &flowlog.AlibabaOptions{IPVersion: "IPv6", ResourceGroupID: "rg-bbbb"}
				}
			case 2:
				s.Name, s.TrafficType, s.AggregationInterval = "inv-b", flowlog.TrafficAccept, time.Minute
				s.Destination.SLS = otherSLS
				s.Alibaba = &flowlog.AlibabaOptions{IPVersion: "IPv6", ResourceGroupID: "rg-bbbb"}
			}
			return s
		},
		records: func(srv *flowlogtest.Server) []record {
			var out []record
			for _, f := range srv.VPCFlowLogs() {
				m := map[string]string{
					"Name": f.FlowLogName, "Description": f.Description,
					"TrafficType":         map[string]string{"All": "all", "Allow": "accept", "Drop": "reject"}[f.TrafficType],
					"Destination":         "sls:" + f.ProjectName + "/" + f.LogStoreName,
					"AggregationInterval": (time.Duration(f.AggregationInterval) * time.Minute).String(),
					"Alibaba.IPVersion":   f.IPVersion, "Alibaba.ResourceGroupID": f.ResourceGroupID,
					"Alibaba.TrafficPaths": joinSorted(f.TrafficPath),
				}
				tagFields(m, f.Tags)
				rec := record{id: f.FlowLogID, resource: f.ResourceID, fields: m, activatedAt: f.ActivatedAt}
				rec.status, rec.settling = alibabaStatus(f.Status)
				out = append(out, rec)
			}
			return out
		},
	}
}

// alibabaStatus maps a VPC or CEN status to the suite's words.
func alibabaStatus(s string) (status, settling string) {
	switch s {
	case "Active":
		return "active", ""
	case "Inactive":
		return "inactive", ""
	case "Activating", "Creating":
		return "pending", "active"
	case "Deactivating":
		return "pending", "inactive"
	case "Deleting":
		return "deleting", ""
	}
	return "pending", "" // Modifying: back to where it was
}

func cbnWorld() *world {
	return &world{
		name:         "cbn",
		createAction: "Cbn.CreateFlowlog",
		region:       flowlogtest.DefaultRegion,
		absentID:     "flowlog-nevercreated000000",
		secrets:      []string{aliKeyID, aliSecret, aliToken},
		serverOpts:   []flowlogtest.Option{flowlogtest.WithSTSCredential(aliKeyID, aliSecret, aliToken)},
		seed: func(srv *flowlogtest.Server) []resource {
			srv.AddSLSLogStore(flowlogtest.DefaultSLSProject, "other-store")
			var out []resource
			for _, id := range srv.AddTransitRouterAttachments(flowlogtest.DefaultCENID, flowlogtest.DefaultRegion, flowlogtest.DefaultTransitRouterID, 3) {
				out = append(out, resource{kind: flowlog.ResourceTransitRouterAttachment, id: id, network: flowlogtest.DefaultCENID})
			}
			return append(out, resource{kind: flowlog.ResourceTransitRouter, id: flowlogtest.DefaultTransitRouterID, network: flowlogtest.DefaultCENID})
		},
		newProvider: func(t require.TestingT, srv *flowlogtest.Server, rt http.RoundTripper) driver.Provider {
			p, err := cbn.New(cbn.WithEndpoint(srv.URL), cbn.WithSTSToken(aliKeyID, aliSecret, aliToken), cbn.WithHTTPTransport(rt))
			require.NoError(t, err)
			return p
		},
		spec: func(r resource, v int) flowlog.FlowLogSpec {
			s := flowlog.FlowLogSpec{Region: flowlogtest.DefaultRegion,
				Resource:    flowlog.Resource{Kind: r.kind, ID: r.id, NetworkID: r.network},
				Destination: flowlog.Destination{SLS: sls}}
			switch v {
			case 0, 1:
				s.Name, s.Description, s.AggregationInterval = "inv-a", "first variant", 10*time.Minute
				s.Tags = map[string]string{"team": "a"}
				if v == 1 { // CEN has no knobs of its own: another tag value
					s.Tags = map[string]string{"team": "b"}
				}
			case 2:
				s.Name, s.AggregationInterval = "inv-b", time.Minute
				s.Destination.SLS = otherSLS
			}
			return s
		},
		records: func(srv *flowlogtest.Server) []record {
			var out []record
			for _, f := range srv.CENFlowLogs() {
				m := map[string]string{
					"Name": f.FlowLogName, "Description": f.Description, "TrafficType": "all",
					"Destination":         "sls:" + f.ProjectName + "/" + f.LogStoreName,
					"AggregationInterval": (time.Duration(f.Interval) * time.Second).String(),
				}
				tagFields(m, f.Tags)
				res := f.TransitRouterAttachmentID
				if res == "" {
					res = f.TransitRouterID
				}
				rec := record{id: f.FlowLogID, resource: res, fields: m}
				rec.status, rec.settling = alibabaStatus(f.Status)
				out = append(out, rec)
			}
			return out
		},
	}
}

func tencentWorld() *world {
	const region, vpcID = flowlogtest.DefaultTencentRegion, flowlogtest.DefaultTencentVPCID
	return &world{
		name:         "tencent",
		createAction: "Tencent.CreateFlowLog",
		region:       region,
		absentID:     "fl-never000",
		secrets:      []string{tcKeyID, tcSecret, tcToken},
		serverOpts: []flowlogtest.Option{flowlogtest.WithTencentSTSCredential(tcKeyID, tcSecret, tcToken),
			flowlogtest.WithTencentRateLimit(0)},
		seed: func(srv *flowlogtest.Server) []resource {
			enis := append([]string{flowlogtest.DefaultTencentNetworkInterfaceID}, srv.AddTencentNetworkInterfaces(region, vpcID, 2)...)
			var out []resource
			for _, id := range enis {
				out = append(out, resource{kind: flowlog.ResourceNetworkInterface, id: id, network: vpcID})
			}
			return append(out, resource{kind: flowlog.ResourceSubnet, id: flowlogtest.DefaultTencentSubnetID, network: vpcID})
		},
		newProvider: func(t require.TestingT, srv *flowlogtest.Server, rt http.RoundTripper) driver.Provider {
			p, err := tencent.New(tencent.WithEndpoint(srv.URL), tencent.WithSTSToken(tcKeyID, tcSecret, tcToken),
				tencent.WithHTTPTransport(rt), tencent.WithRateLimit(0))
			require.NoError(t, err)
			return p
		},
		spec: func(r resource, v int) flowlog.FlowLogSpec {
			s := flowlog.FlowLogSpec{Region: region, Name: "inv-a",
				Resource:    flowlog.Resource{Kind: r.kind, ID: r.id, NetworkID: r.network},
				Destination: flowlog.Destination{CLS: &flowlog.CLSDestination{TopicID: flowlogtest.DefaultCLSTopicID}}}
			switch v {
			case 0, 1:
				s.Description, s.Tags = "first variant", map[string]string{"team": "a"}
				if v == 1 { // Tencent has no knobs of its own: another tag value
					s.Tags = map[string]string{"team": "b"}
				}
			case 2:
				s.Name, s.TrafficType = "inv-b", flowlog.TrafficAccept
				s.Destination = flowlog.Destination{CKafka: &flowlog.CKafkaDestination{
					InstanceID: flowlogtest.DefaultCKafkaInstanceID, Topic: flowlogtest.DefaultCKafkaTopic}}
			}
			return s
		},
		records: func(srv *flowlogtest.Server) []record {
			var out []record
			for _, f := range srv.TencentFlowLogs() {
				m := map[string]string{
					"Name": f.FlowLogName, "Description": f.Description, "TrafficType": strings.ToLower(f.TrafficType),
					"Destination": "cls:" + f.CloudLogID,
				}
				if f.StorageType == "ckafka" {
					m["Destination"] = "ckafka:" + f.StorageID + "/" + f.StorageTopic
				}
				tagFields(m, f.Tags)
				rec := record{id: f.FlowLogID, resource: f.ResourceID, fields: m, status: "inactive"}
				if f.Enabled {
					rec.status = "active"
				}
				out = append(out, rec)
			}
			return out
		},
	}
}

// tencentThrottledWorld is Tencent as it runs in production: the
// emulator holds each action to a rate that the two replicas together
// exceed, each adapter has its default adaptive limiter (at a higher
// maximum than the documented 20/s, so that histories stay short), the
// replicas share one retry budget, and every client records traces and
// metrics. Histories then meet throttles, slowed and recovering limiters, a
// budget spent by both replicas, and the telemetry code on every path.
func tencentThrottledWorld() *world {
	w := tencentWorld()
	w.name = "tencent-throttled"
	w.serverOpts = []flowlogtest.Option{flowlogtest.WithTencentSTSCredential(tcKeyID, tcSecret, tcToken),
		flowlogtest.WithTencentRateLimit(20)}
	w.newProvider = func(t require.TestingT, srv *flowlogtest.Server, rt http.RoundTripper) driver.Provider {
		p, err := tencent.New(tencent.WithEndpoint(srv.URL), tencent.WithSTSToken(tcKeyID, tcSecret, tcToken),
			tencent.WithHTTPTransport(rt), tencent.WithLimiter(ratelimit.NewAdaptive(30)))
		require.NoError(t, err)
		return p
	}
	w.clientOpts = func() []flowlog.Option {
		return []flowlog.Option{
			flowlog.WithRetry(flowlog.SharedRetryBudget(flowlog.NewRetryBudget(200))),
			flowlog.WithTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(tracetest.NewSpanRecorder()))),
			flowlog.WithMeterProvider(sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))),
		}
	}
	return w
}

// worlds are the three providers, each unthrottled.
func worlds() []*world { return []*world{aliyunWorld(), cbnWorld(), tencentWorld()} }

// historyWorlds are the worlds the random histories run in: the three and
// throttled Tencent.
func historyWorlds() []*world { return append(worlds(), tencentThrottledWorld()) }
