package fleetbench

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/cloudflowlog/flowlog-go/aliyun"
	"github.com/cloudflowlog/flowlog-go/cbn"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/tencent"
)

// fleet is one provider's side of the benchmarks: how to seed n resources
// and make their specs, and the provider's action names.
type fleet struct {
	name            string
	pageSize        int
	describe, creat string
	newProvider     func(srv *flowlogtest.Server, rt http.RoundTripper) (driver.Provider, error)
	specs           func(srv *flowlogtest.Server, n int) []flowlog.FlowLogSpec
}

var sls = flowlog.Destination{SLS: &flowlog.SLSDestination{Project: flowlogtest.DefaultSLSProject, LogStore: flowlogtest.DefaultSLSLogStore}}

var fleets = []fleet{
	{
		name: "aliyun", pageSize: 50, describe: "DescribeFlowLogs", creat: "CreateFlowLog",
		newProvider: func(srv *flowlogtest.Server, rt http.RoundTripper) (driver.Provider, error) {
			return aliyun.New(aliyun.WithEndpoint(srv.URL), aliyun.WithHTTPTransport(rt),
				aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
		},
		specs: func(srv *flowlogtest.Server, n int) []flowlog.FlowLogSpec {
			var out []flowlog.FlowLogSpec
			for _, id := range srv.AddNetworkInterfaces(flowlogtest.DefaultRegion, flowlogtest.DefaultVPCID, flowlogtest.DefaultVSwitchID, n) {
				out = append(out, flowlog.FlowLogSpec{Region: flowlogtest.DefaultRegion, Name: "fleet",
					Resource: flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: id}, Destination: sls})
			}
			return out
		},
	},
	{
		name: "cbn", pageSize: 50, describe: "DescribeFlowlogs", creat: "CreateFlowlog",
		newProvider: func(srv *flowlogtest.Server, rt http.RoundTripper) (driver.Provider, error) {
			return cbn.New(cbn.WithEndpoint(srv.URL), cbn.WithHTTPTransport(rt),
				cbn.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
		},
		specs: func(srv *flowlogtest.Server, n int) []flowlog.FlowLogSpec {
			var out []flowlog.FlowLogSpec
			for _, id := range srv.AddTransitRouterAttachments(flowlogtest.DefaultCENID, flowlogtest.DefaultRegion, flowlogtest.DefaultTransitRouterID, n) {
				out = append(out, flowlog.FlowLogSpec{Region: flowlogtest.DefaultRegion, Name: "fleet",
					Resource:    flowlog.Resource{Kind: flowlog.ResourceTransitRouterAttachment, ID: id, NetworkID: flowlogtest.DefaultCENID},
					Destination: sls})
			}
			return out
		},
	},
	{
		name: "tencent", pageSize: 100, describe: "DescribeFlowLogs", creat: "CreateFlowLog",
		newProvider: func(srv *flowlogtest.Server, rt http.RoundTripper) (driver.Provider, error) {
			// The call counts are the point: the documented 20/s would only
			// make the run long.
			return tencent.New(tencent.WithEndpoint(srv.URL), tencent.WithHTTPTransport(rt), tencent.WithRateLimit(0),
				tencent.WithSecretKey(flowlogtest.DefaultTencentSecretID, flowlogtest.DefaultTencentSecretKey))
		},
		specs: func(srv *flowlogtest.Server, n int) []flowlog.FlowLogSpec {
			const region, vpcID = flowlogtest.DefaultTencentRegion, flowlogtest.DefaultTencentVPCID
			var out []flowlog.FlowLogSpec
			for _, id := range srv.AddTencentNetworkInterfaces(region, vpcID, n) {
				out = append(out, flowlog.FlowLogSpec{Region: region, Name: "fleet",
					Resource:    flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: id, NetworkID: vpcID},
					Destination: flowlog.Destination{CLS: &flowlog.CLSDestination{TopicID: flowlogtest.DefaultCLSTopicID}}})
			}
			return out
		},
	},
}

// actions records the action of every request an adapter sends, in order.
type actions struct {
	next http.RoundTripper
	mu   sync.Mutex
	seq  []string
}

func (a *actions) RoundTrip(r *http.Request) (*http.Response, error) {
	action := r.Header.Get("X-TC-Action")
	if action == "" {
		action = r.URL.Query().Get("Action")
	}
	a.mu.Lock()
	a.seq = append(a.seq, action)
	a.mu.Unlock()
	return a.next.RoundTrip(r)
}

// since returns how many requests of action were sent from index from on,
// and how many of those came before the first request of before ("": none).
func (a *actions) since(from int, action, before string) (all, first int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	done := before == ""
	for _, s := range a.seq[from:] {
		if s == before {
			done = true
		}
		if s == action {
			all++
			if !done {
				first++
			}
		}
	}
	return all, first
}

func (a *actions) len() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.seq)
}

type bench struct {
	srv    *flowlogtest.Server
	client *flowlog.Client
	rt     *actions
	specs  []flowlog.FlowLogSpec
}

func setup(b testing.TB, f fleet, n int) *bench {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(time.Millisecond), flowlogtest.WithTencentRateLimit(0),
		flowlogtest.WithFlowLogQuota(2*n+10), flowlogtest.WithTencentFlowLogQuota(2*n+10))
	b.Cleanup(srv.Close)
	rt := &actions{next: http.DefaultTransport.(*http.Transport).Clone()}
	p, err := f.newProvider(srv, rt)
	if err != nil {
		b.Fatal(err)
	}
	c := flowlog.NewClient(p, flowlog.WithWaitDefaults(flowlog.PollDelay(time.Millisecond, 20*time.Millisecond)))
	b.Cleanup(func() { _ = c.Close() })
	return &bench{srv: srv, client: c, rt: rt, specs: f.specs(srv, n)}
}

func (s *bench) ensureAll(b testing.TB) {
	for i, r := range s.client.EnsureAll(context.Background(), s.specs, flowlog.Concurrency(32)) {
		if r.Err != nil {
			b.Fatalf("spec %d: %v", i, r.Err)
		}
	}
}

// BenchmarkEnsureAllSteadyState reconciles a fleet whose flow logs all
// exist and are active: nothing to do. It reports the describe calls of
// one EnsureAll (describes/op) against those of one Ensure per spec in the
// same run (per-spec-describes/op), and the target ceil(N/page)+2.
func BenchmarkEnsureAllSteadyState(b *testing.B) {
	for _, f := range fleets {
		for _, n := range []int{1000, 10000} {
			b.Run(fmt.Sprintf("%s/%d", f.name, n), func(b *testing.B) {
				s := setup(b, f, n)
				s.ensureAll(b) // the first run creates the fleet
				from := s.rt.len()
				b.ResetTimer()
				for b.Loop() {
					s.ensureAll(b)
				}
				b.StopTimer()
				describes, _ := s.rt.since(from, f.describe, "")
				creates, _ := s.rt.since(from, f.creat, "")
				if creates != 0 {
					b.Fatalf("steady state made %d creates", creates)
				}
				perRun := float64(describes) / float64(b.N)
				from = s.rt.len()
				start := time.Now()
				for _, spec := range s.specs {
					if _, err := s.client.Ensure(context.Background(), spec); err != nil {
						b.Fatal(err)
					}
				}
				perSpecTime := time.Since(start)
				perSpec, _ := s.rt.since(from, f.describe, "")
				target := (n+f.pageSize-1)/f.pageSize + 2
				if perRun > float64(target) {
					b.Errorf("%.1f describes per EnsureAll, target at most %d", perRun, target)
				}
				b.ReportMetric(perRun, "describes/op")
				b.ReportMetric(float64(perSpec), "per-spec-describes/op")
				b.ReportMetric(float64(perSpec)/perRun, "x-fewer")
				b.ReportMetric(float64(target), "target-describes")
				b.ReportMetric(float64(perSpecTime.Nanoseconds()), "per-spec-ns")
			})
		}
	}
}

// BenchmarkEnsureAllFirstRun reconciles a fleet of which nothing exists:
// exactly one create per spec, and at most pages+2 describes before the
// first create.
func BenchmarkEnsureAllFirstRun(b *testing.B) {
	const n = 1000
	for _, f := range fleets {
		b.Run(fmt.Sprintf("%s/%d", f.name, n), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				s := setup(b, f, n)
				b.StartTimer()
				s.ensureAll(b)
				b.StopTimer()
				_, before := s.rt.since(0, f.describe, f.creat)
				creates, _ := s.rt.since(0, f.creat, "")
				target := (n+f.pageSize-1)/f.pageSize + 2
				if creates != n || before > target {
					b.Errorf("%d creates (want %d), %d describes before creating (want at most %d)", creates, n, before, target)
				}
				b.ReportMetric(float64(creates), "creates/op")
				b.ReportMetric(float64(before), "describes-before-create/op")
				b.StartTimer()
			}
		})
	}
}

// TestFleetCosts runs the benchmarks' checks on a fleet of 250, so that go
// test catches a regression in what they measure.
func TestFleetCosts(t *testing.T) {
	const n = 250
	for _, f := range fleets {
		t.Run(f.name, func(t *testing.T) {
			s := setup(t, f, n)
			s.ensureAll(t)
			target := (n+f.pageSize-1)/f.pageSize + 2
			creates, _ := s.rt.since(0, f.creat, "")
			_, before := s.rt.since(0, f.describe, f.creat)
			if creates != n || before > target {
				t.Errorf("first run: %d creates (want %d), %d describes before creating (want at most %d)", creates, n, before, target)
			}
			from := s.rt.len()
			s.ensureAll(t)
			describes, _ := s.rt.since(from, f.describe, "")
			if all := s.rt.len() - from; describes > target || all != describes {
				t.Errorf("steady state: %d describes of %d requests, want only describes, at most %d", describes, all, target)
			}
		})
	}
}
