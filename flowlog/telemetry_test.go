package flowlog_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/metric/metricdata/metricdatatest"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/cloudflowlog/flowlog-go/aliyun"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/internal/testkit"
	"github.com/cloudflowlog/flowlog-go/tencent"
)

// otelRecorder is an SDK tracer provider and meter provider whose spans and
// metrics a test reads back.
type otelRecorder struct {
	spans  *tracetest.SpanRecorder
	tp     *sdktrace.TracerProvider
	reader *sdkmetric.ManualReader
	mp     *sdkmetric.MeterProvider
}

func newOtelRecorder(t testing.TB) *otelRecorder {
	r := &otelRecorder{spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	r.tp = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(r.spans))
	r.mp = sdkmetric.NewMeterProvider(sdkmetric.WithReader(r.reader))
	t.Cleanup(func() {
		_ = r.tp.Shutdown(context.Background())
		_ = r.mp.Shutdown(context.Background())
	})
	return r
}

func (r *otelRecorder) options() []flowlog.Option {
	return []flowlog.Option{flowlog.WithTracerProvider(r.tp), flowlog.WithMeterProvider(r.mp)}
}

// ended returns the ended spans named name, in the order they started.
func (r *otelRecorder) ended(name string) []sdktrace.ReadOnlySpan {
	var out []sdktrace.ReadOnlySpan
	for _, s := range r.spans.Ended() {
		if s.Name() == name {
			out = append(out, s)
		}
	}
	for i := 1; i < len(out); i++ { // few spans: insertion sort by start
		for j := i; j > 0 && out[j].StartTime().Before(out[j-1].StartTime()); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// metrics collects the client's metrics by name.
func (r *otelRecorder) metrics(t testing.TB) map[string]metricdata.Metrics {
	t.Helper()
	var rm metricdata.ResourceMetrics
	require.NoError(t, r.reader.Collect(context.Background(), &rm))
	out := map[string]metricdata.Metrics{}
	for _, sm := range rm.ScopeMetrics {
		require.Equal(t, flowlog.ScopeName, sm.Scope.Name)
		for _, m := range sm.Metrics {
			out[m.Name] = m
		}
	}
	return out
}

func attrMap(kvs []attribute.KeyValue) map[string]any {
	m := make(map[string]any, len(kvs))
	for _, kv := range kvs {
		m[string(kv.Key)] = kv.Value.AsInterface()
	}
	return m
}

// emulatorClient is a client over the aliyun adapter and an emulator that
// throttles the first CreateFlowLog, with retries that wait a millisecond
// and a debug log.
func emulatorClient(t testing.TB, opts ...flowlog.Option) (*flowlog.Client, *testkit.LogBuffer) {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(0),
		flowlogtest.WithFaults(flowlogtest.FaultRule{Action: "CreateFlowLog", Kinds: []flowlogtest.FaultKind{flowlogtest.FaultThrottle}, Count: 1}))
	t.Cleanup(srv.Close)
	p, err := aliyun.New(aliyun.WithEndpoint(srv.URL), aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	require.NoError(t, err)
	log, logs := testkit.DebugLogger()
	opts = append([]flowlog.Option{flowlog.WithLogger(log),
		flowlog.WithRetry(flowlog.RetryDelays(time.Millisecond, time.Millisecond, time.Millisecond)),
		flowlog.WithWaitDefaults(flowlog.PollDelay(time.Millisecond, 5*time.Millisecond))}, opts...)
	c := flowlog.NewClient(p, opts...)
	t.Cleanup(func() { c.Close() })
	return c, logs
}

func emulatorSpec() flowlog.FlowLogSpec {
	return flowlog.FlowLogSpec{
		Region: flowlogtest.DefaultRegion, Name: "telemetry",
		Resource: flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: flowlogtest.DefaultNetworkInterfaceID},
		Destination: flowlog.Destination{SLS: &flowlog.SLSDestination{
			Project: flowlogtest.DefaultSLSProject, LogStore: flowlogtest.DefaultSLSLogStore}},
	}
}

// logRecord returns the first JSON record of logs with message msg.
func logRecord(t *testing.T, logs *testkit.LogBuffer, msg string) map[string]any {
	t.Helper()
	for line := range strings.Lines(logs.String()) {
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec))
		if rec["msg"] == msg {
			return rec
		}
	}
	require.Failf(t, "no log record", "%q in\n%s", msg, logs.String())
	return nil
}

// TestCreateWithOneRetryTraces creates a flow log through the aliyun adapter
// against the emulator, which throttles the first attempt: one operation
// span, a child of the caller's, and two attempt spans under it.
func TestCreateWithOneRetryTraces(t *testing.T) {
	rec := newOtelRecorder(t)
	c, logs := emulatorClient(t, rec.options()...)

	ctx, parent := rec.tp.Tracer("test").Start(t.Context(), "caller")
	fl, err := c.Create(ctx, emulatorSpec())
	parent.End()
	require.NoError(t, err)

	ops := rec.ended("flowlog.Create")
	require.Len(t, ops, 1)
	op := ops[0]
	assert.Equal(t, trace.SpanKindClient, op.SpanKind())
	assert.Equal(t, parent.SpanContext().SpanID(), op.Parent().SpanID(), "a child of the caller's span")
	assert.Equal(t, flowlog.ScopeName, op.InstrumentationScope().Name)
	assert.Equal(t, map[string]any{
		"flowlog.provider": "aliyun", "cloud.provider": "alibaba_cloud", "cloud.region": "cn-hangzhou",
		"rpc.system": "alibaba_cloud_rpc", "rpc.service": "vpc", "rpc.method": "Create", "flowlog.operation": "Create",
		"flowlog.resource": flowlogtest.DefaultNetworkInterfaceID, "flowlog.id": fl.ID,
	}, attrMap(op.Attributes()))
	assert.Equal(t, codes.Unset, op.Status().Code, "the call succeeded")

	attempts := rec.ended("vpc/CreateFlowLog")
	require.Len(t, attempts, 2)
	for i, a := range attempts {
		assert.Equal(t, op.SpanContext().SpanID(), a.Parent().SpanID(), "attempt %d is a child of the operation", i+1)
		assert.Equal(t, op.SpanContext().TraceID(), a.SpanContext().TraceID())
		assert.Equal(t, trace.SpanKindClient, a.SpanKind())
		assert.False(t, a.StartTime().Before(op.StartTime()) || a.EndTime().After(op.EndTime()), "within the operation")
	}
	retry := logRecord(t, logs, "flowlog retry")
	requestID, _ := retry["request_id"].(string)
	require.NotEmpty(t, requestID, "the emulator names its throttling answer")
	assert.Equal(t, map[string]any{
		"flowlog.provider": "aliyun", "cloud.provider": "alibaba_cloud", "cloud.region": "cn-hangzhou",
		"rpc.system": "alibaba_cloud_rpc", "rpc.service": "vpc", "rpc.method": "CreateFlowLog", "flowlog.operation": "Create",
		"flowlog.attempt": int64(1), "flowlog.retry_class": "safe",
		"flowlog.provider_code": "Throttling.User", "flowlog.request_id": requestID, "flowlog.code": "throttled",
		"http.response.status_code": int64(400), "error.type": "throttled",
	}, attrMap(attempts[0].Attributes()))
	assert.Equal(t, codes.Error, attempts[0].Status().Code)
	assert.Contains(t, attempts[0].Status().Description, "Throttling.User")
	assert.Equal(t, map[string]any{
		"flowlog.provider": "aliyun", "cloud.provider": "alibaba_cloud", "cloud.region": "cn-hangzhou",
		"rpc.system": "alibaba_cloud_rpc", "rpc.service": "vpc", "rpc.method": "CreateFlowLog", "flowlog.operation": "Create",
		"flowlog.attempt": int64(2),
	}, attrMap(attempts[1].Attributes()))
	assert.Equal(t, codes.Unset, attempts[1].Status().Code)
	assert.Len(t, rec.spans.Ended(), 4, "caller, operation and two attempts: nothing else")
}

// TestMetricsAfterKnownHistory: one create throttled once then made, then
// a wait that sees it active at the first poll.
func TestMetricsAfterKnownHistory(t *testing.T) {
	rec := newOtelRecorder(t)
	c, _ := emulatorClient(t, flowlog.WithMeterProvider(rec.mp))
	fl, err := c.CreateAndWait(t.Context(), emulatorSpec())
	require.NoError(t, err)
	require.Equal(t, flowlog.StatusActive, fl.Status)

	base := []attribute.KeyValue{attribute.String("flowlog.provider", "aliyun"), attribute.String("cloud.provider", "alibaba_cloud"),
		attribute.String("rpc.system", "alibaba_cloud_rpc"), attribute.String("rpc.service", "vpc"),
		attribute.String("cloud.region", "cn-hangzhou")}
	with := func(kv ...attribute.KeyValue) attribute.Set {
		return attribute.NewSet(append(append([]attribute.KeyValue(nil), base...), kv...)...)
	}
	create := []attribute.KeyValue{attribute.String("rpc.method", "CreateFlowLog"), attribute.String("flowlog.operation", "Create")}
	m := rec.metrics(t)
	assert.NotContains(t, m, "flowlog.client.unknown_outcomes", "nothing unknown happened")

	sum := func(points ...metricdata.DataPoint[int64]) metricdata.Sum[int64] {
		return metricdata.Sum[int64]{Temporality: metricdata.CumulativeTemporality, IsMonotonic: true, DataPoints: points}
	}
	metricdatatest.AssertEqual(t, metricdata.Metrics{Name: "flowlog.client.attempts", Unit: "{attempt}",
		Description: "Attempts made by the client's retry loop, first attempts included.",
		Data: sum(
			metricdata.DataPoint[int64]{Attributes: with(append(create, attribute.String("error.type", "throttled"))...), Value: 1},
			metricdata.DataPoint[int64]{Attributes: with(create...), Value: 1},
		)}, m["flowlog.client.attempts"], metricdatatest.IgnoreTimestamp(), metricdatatest.IgnoreExemplars())
	metricdatatest.AssertEqual(t, metricdata.Metrics{Name: "flowlog.client.retries", Unit: "{retry}",
		Description: "Retries the client decided to make, by the retry class of the failure before them.",
		Data:        sum(metricdata.DataPoint[int64]{Attributes: with(append(create, attribute.String("flowlog.retry_class", "safe"))...), Value: 1}),
	}, m["flowlog.client.retries"], metricdatatest.IgnoreTimestamp(), metricdatatest.IgnoreExemplars())
	metricdatatest.AssertEqual(t, metricdata.Metrics{Name: "flowlog.client.throttles", Unit: "{throttle}",
		Description: "Provider responses refused as throttled, attempts and poller calls alike.",
		Data:        sum(metricdata.DataPoint[int64]{Attributes: with(append(create, attribute.String("error.type", "throttled"))...), Value: 1}),
	}, m["flowlog.client.throttles"], metricdatatest.IgnoreTimestamp(), metricdatatest.IgnoreExemplars())

	// Histograms: how many and with what; the durations vary.
	key := func(s attribute.Set) string { return s.Encoded(attribute.DefaultEncoder()) }
	counts := func(name string) map[string]uint64 {
		out := map[string]uint64{}
		switch d := m[name].Data.(type) {
		case metricdata.Histogram[float64]:
			for _, p := range d.DataPoints {
				out[key(p.Attributes)] = p.Count
			}
		case metricdata.Histogram[int64]:
			for _, p := range d.DataPoints {
				out[key(p.Attributes)] = p.Count
				assert.Equal(t, int64(p.Count), p.Sum, "%s: one flow log per call", name)
			}
		default:
			t.Errorf("%s: %T", name, m[name].Data)
		}
		return out
	}
	op := func(name string) string {
		return key(with(attribute.String("rpc.method", name), attribute.String("flowlog.operation", name)))
	}
	assert.Equal(t, map[string]uint64{op("Create"): 1, op("CreateAndWait"): 1, op("Wait"): 1},
		counts("flowlog.client.operation.duration"), "CreateAndWait is a Create and a Wait")
	assert.Equal(t, "s", m["flowlog.client.operation.duration"].Unit)
	assert.Equal(t, map[string]uint64{key(with(attribute.String("flowlog.wait.want", "active"),
		attribute.String("flowlog.wait.state", "active"))): 1}, counts("flowlog.client.wait.duration"))
	assert.Equal(t, "s", m["flowlog.client.wait.duration"].Unit)
	assert.Equal(t, map[string]uint64{key(with()): 1}, counts("flowlog.poller.batch.size"),
		"one describe call for one flow log")
	assert.Equal(t, "{flow_log}", m["flowlog.poller.batch.size"].Unit)
	assert.NotContains(t, m, "flowlog.client.limiter.wait.duration", "aliyun has no limiter by default: nothing waited")
}

// TestLimiterWaitsAreMeasured: the adapter reports each request's wait for
// its rate limiter to the attempt, which records it.
func TestLimiterWaitsAreMeasured(t *testing.T) {
	rec := newOtelRecorder(t)
	srv := flowlogtest.NewServer()
	defer srv.Close()
	p, err := tencent.New(tencent.WithEndpoint(srv.URL), tencent.WithRateLimit(50),
		tencent.WithSecretKey(flowlogtest.DefaultTencentSecretID, flowlogtest.DefaultTencentSecretKey))
	require.NoError(t, err)
	c := flowlog.NewClient(p, flowlog.WithMeterProvider(rec.mp))
	defer c.Close()
	for range 2 { // 50 per second: the second waits about 20 ms, less the first's round trip
		_, err := c.Get(t.Context(), flowlogtest.DefaultTencentRegion, "fl-nothere1")
		require.ErrorIs(t, err, flowlog.ErrNotFound)
	}
	m := rec.metrics(t)
	h, ok := m["flowlog.client.limiter.wait.duration"].Data.(metricdata.Histogram[float64])
	require.True(t, ok, "%v", m["flowlog.client.limiter.wait.duration"])
	assert.Equal(t, "s", m["flowlog.client.limiter.wait.duration"].Unit)
	require.Len(t, h.DataPoints, 1)
	pt := h.DataPoints[0]
	assert.Equal(t, uint64(2), pt.Count, "one wait per request")
	assert.Greater(t, pt.Sum, 0.01, "the second request waited for its slot")
	assert.Less(t, pt.Sum, 1.0)
	attrs := map[string]string{}
	for _, kv := range pt.Attributes.ToSlice() {
		attrs[string(kv.Key)] = kv.Value.Emit()
	}
	assert.Equal(t, "DescribeFlowLogs", attrs["rpc.method"])
	assert.Equal(t, "Get", attrs["flowlog.operation"])
	assert.Equal(t, "tencent_cloud", attrs["cloud.provider"])
}

// TestUnknownOutcomeIsCounted: a create whose response was lost and whose
// look-ups fail ends with ErrUnknownOutcome, counted once.
func TestUnknownOutcomeIsCounted(t *testing.T) {
	rec := newOtelRecorder(t)
	p := &scripted{creates: []error{lost}, findErr: invalid}
	c := flowlog.NewClient(p, append(rec.options(),
		flowlog.WithRetry(flowlog.RetryDelays(time.Millisecond, time.Millisecond, time.Millisecond)))...)
	defer c.Close()
	_, err := c.Create(t.Context(), validSpec())
	require.ErrorIs(t, err, flowlog.ErrUnknownOutcome)

	m := rec.metrics(t)
	metricdatatest.AssertEqual(t, metricdata.Metrics{Name: "flowlog.client.unknown_outcomes", Unit: "{call}",
		Description: "Calls that failed with an outcome the client could not settle (ErrUnknownOutcome).",
		Data: metricdata.Sum[int64]{Temporality: metricdata.CumulativeTemporality, IsMonotonic: true,
			DataPoints: []metricdata.DataPoint[int64]{{Attributes: attribute.NewSet(
				attribute.String("flowlog.provider", "scripted"), attribute.String("rpc.service", "scripted"),
				attribute.String("cloud.region", "cn-hangzhou"),
				attribute.String("rpc.method", "Create"), attribute.String("flowlog.operation", "Create")), Value: 1}}},
	}, m["flowlog.client.unknown_outcomes"], metricdatatest.IgnoreTimestamp(), metricdatatest.IgnoreExemplars())

	ops := rec.ended("flowlog.Create")
	require.Len(t, ops, 1)
	attrs := attrMap(ops[0].Attributes())
	assert.Equal(t, "unknown_outcome", attrs["error.type"])
	assert.Equal(t, "invalid argument", attrs["flowlog.code"], "the look-up's error, the first in the chain")
	assert.Equal(t, codes.Error, ops[0].Status().Code)
	assert.Contains(t, ops[0].Status().Description, "outcome unknown")
	assert.NotContains(t, attrs, "cloud.provider", "an adapter of no known cloud")

	// The attempts: the create, lost; then the look-up before creating
	// again, refused for good. Each is named after the action its error
	// names (the scripted errors all name CreateFlowLog).
	assert.Empty(t, rec.ended("scripted/Create"))
	attempts := rec.ended("scripted/CreateFlowLog")
	require.Len(t, attempts, 2)
	for i, class := range []string{"ambiguous", "never"} {
		a := attrMap(attempts[i].Attributes())
		assert.Equal(t, int64(i+1), a["flowlog.attempt"])
		assert.Equal(t, class, a["flowlog.retry_class"])
		assert.Equal(t, "CreateFlowLog", a["rpc.method"])
	}
}

// TestLifecycleCallsAreOperations: calls whose code opens no operation span
// (Delete here) still get one around their retries, and their wait one of
// its own; the poller's describe calls are roots linked to the waits.
func TestLifecycleCallsAreOperations(t *testing.T) {
	rec := newOtelRecorder(t)
	p := newFake(active(), missing())
	p.slowDelete = true
	c := flowlog.NewClient(p, append(rec.options(),
		flowlog.WithWaitDefaults(flowlog.PollDelay(time.Millisecond, time.Millisecond)))...)
	defer c.Close()
	require.NoError(t, c.Delete(t.Context(), "cn-hangzhou", "fl-1"))

	del := rec.ended("flowlog.Delete")
	require.Len(t, del, 1)
	assert.Equal(t, "Delete", attrMap(del[0].Attributes())["rpc.method"])
	attempts := rec.ended("fake/Delete")
	require.Len(t, attempts, 1)
	assert.Equal(t, del[0].SpanContext().SpanID(), attempts[0].Parent().SpanID())

	// The wait for the deletion is part of the Delete: no span of its own.
	assert.Empty(t, rec.ended("flowlog.Wait"))
	assert.Equal(t, map[string]any{"flowlog.provider": "fake", "rpc.service": "fake", "cloud.region": "cn-hangzhou",
		"rpc.method": "Delete", "flowlog.operation": "Delete", "flowlog.id": "fl-1",
		"flowlog.wait.want": "deleted"}, attrMap(del[0].Attributes()))

	polls := rec.ended("flowlog.poll")
	require.Len(t, polls, p.describeCalls())
	for _, poll := range polls {
		assert.False(t, poll.Parent().IsValid(), "a root: it serves waits of many traces")
		require.Len(t, poll.Links(), 1)
		assert.Equal(t, del[0].SpanContext().SpanID(), poll.Links()[0].SpanContext.SpanID())
		assert.Equal(t, int64(1), attrMap(poll.Attributes())["flowlog.poller.batch.size"])
		assert.Equal(t, "Describe", attrMap(poll.Attributes())["rpc.method"])
	}
}

// TestUpdateIsAnOperation: an Update is one span, the parent of its read
// and of its modify attempt.
func TestUpdateIsAnOperation(t *testing.T) {
	rec := newOtelRecorder(t)
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(time.Millisecond))
	defer srv.Close()
	p, err := aliyun.New(aliyun.WithEndpoint(srv.URL),
		aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	require.NoError(t, err)
	c := flowlog.NewClient(p, append(rec.options(), flowlog.WithWaitDefaults(flowlog.PollDelay(time.Millisecond, 5*time.Millisecond)))...)
	defer c.Close()
	fl, err := c.CreateAndWait(t.Context(), flowlog.FlowLogSpec{Region: flowlogtest.DefaultRegion, Name: "traced",
		Resource:    flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: flowlogtest.DefaultNetworkInterfaceID},
		Destination: flowlog.Destination{SLS: &flowlog.SLSDestination{Project: flowlogtest.DefaultSLSProject, LogStore: flowlogtest.DefaultSLSLogStore}}})
	require.NoError(t, err)
	_, err = c.Update(t.Context(), fl.Region, fl.ID, flowlog.Patch{Description: flowlog.Ptr("traced change")})
	require.NoError(t, err)

	up := rec.ended("flowlog.Update")
	require.Len(t, up, 1)
	assert.Equal(t, "Update", attrMap(up[0].Attributes())["flowlog.operation"])
	modify := rec.ended("vpc/ModifyFlowLogAttribute")
	require.Len(t, modify, 1)
	assert.Equal(t, up[0].SpanContext().SpanID(), modify[0].Parent().SpanID())

	// Opening the service on demand: its calls are children of the create
	// attempt that met the closed service.
	srv.SetFlowLogServiceOpened(flowlogtest.DefaultRegion, false)
	opener := flowlog.NewClient(p, append(rec.options(), flowlog.WithServiceOpening(),
		flowlog.WithWaitDefaults(flowlog.PollDelay(time.Millisecond, 5*time.Millisecond)))...)
	defer opener.Close()
	eni := srv.AddNetworkInterfaces(flowlogtest.DefaultRegion, flowlogtest.DefaultVPCID, flowlogtest.DefaultVSwitchID, 1)[0]
	created, err := opener.Create(t.Context(), flowlog.FlowLogSpec{Region: flowlogtest.DefaultRegion, Name: "opened",
		Resource:    flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: eni},
		Destination: flowlog.Destination{SLS: &flowlog.SLSDestination{Project: flowlogtest.DefaultSLSProject, LogStore: flowlogtest.DefaultSLSLogStore}}})
	require.NoError(t, err)
	attempts := rec.ended("vpc/CreateFlowLog")
	require.NotEmpty(t, attempts)
	parent := attempts[len(attempts)-1].SpanContext().SpanID()
	for _, name := range []string{"vpc/OpenFlowLogService", "vpc/GetFlowLogServiceStatus"} {
		spans := rec.ended(name)
		if assert.Len(t, spans, 1, name) {
			assert.Equal(t, parent, spans[0].Parent().SpanID(), "%s is a child of the attempt that created %s", name, created.ID)
		}
	}
}

// TestWaitAllIsOneOperation: the waits of a WaitAll share its span, and
// each outcome is measured.
func TestWaitAllIsOneOperation(t *testing.T) {
	rec := newOtelRecorder(t)
	p := newFake(active())
	c := flowlog.NewClient(p, append(rec.options(),
		flowlog.WithWaitDefaults(flowlog.PollDelay(time.Millisecond, time.Millisecond)))...)
	defer c.Close()
	n := 0
	for r := range c.WaitAll(t.Context(), "cn-hangzhou", []string{"fl-1", "fl-2", "fl-3"}) {
		require.NoError(t, r.Err)
		n++
	}
	require.Equal(t, 3, n)
	all := rec.ended("flowlog.WaitAll")
	require.Len(t, all, 1)
	assert.Equal(t, int64(3), attrMap(all[0].Attributes())["flowlog.wait.count"])
	for _, poll := range rec.ended("flowlog.poll") {
		for _, l := range poll.Links() {
			assert.Equal(t, all[0].SpanContext().SpanID(), l.SpanContext.SpanID())
		}
	}
	m := rec.metrics(t)
	var waits uint64
	for _, dp := range m["flowlog.client.wait.duration"].Data.(metricdata.Histogram[float64]).DataPoints {
		waits += dp.Count
	}
	assert.Equal(t, uint64(3), waits)
}

// TestNoProvidersNoTelemetry: a client given no provider records nothing,
// even with an SDK installed globally.
func TestNoProvidersNoTelemetry(t *testing.T) {
	rec := newOtelRecorder(t)
	tp, mp := otel.GetTracerProvider(), otel.GetMeterProvider()
	otel.SetTracerProvider(rec.tp)
	otel.SetMeterProvider(rec.mp)
	defer func() {
		otel.SetTracerProvider(tp)
		otel.SetMeterProvider(mp)
	}()

	c, _ := emulatorClient(t)
	fl, err := c.CreateAndWait(t.Context(), emulatorSpec())
	require.NoError(t, err)
	_, err = c.Get(t.Context(), flowlogtest.DefaultRegion, fl.ID)
	require.NoError(t, err)
	require.NoError(t, c.Delete(t.Context(), flowlogtest.DefaultRegion, fl.ID))

	assert.Empty(t, rec.spans.Started(), "no span")
	var rm metricdata.ResourceMetrics
	require.NoError(t, rec.reader.Collect(context.Background(), &rm))
	assert.Empty(t, rm.ScopeMetrics, "no metric")

	// Nil providers are no providers.
	c, _ = emulatorClient(t, flowlog.WithTracerProvider(nil), flowlog.WithMeterProvider(nil))
	_, err = c.Create(t.Context(), emulatorSpec())
	require.NoError(t, err)
	assert.Empty(t, rec.spans.Started())
}

// TestFailedOperationSpan: a call that fails for good marks its operation
// span and its one attempt.
func TestFailedOperationSpan(t *testing.T) {
	rec := newOtelRecorder(t)
	p := &scripted{gets: []error{notFound}}
	c := flowlog.NewClient(p, rec.options()...)
	defer c.Close()
	_, err := c.Get(t.Context(), region, "fl-1")
	require.ErrorIs(t, err, flowlog.ErrNotFound)

	ops := rec.ended("flowlog.Get")
	require.Len(t, ops, 1)
	attrs := attrMap(ops[0].Attributes())
	assert.Equal(t, "not_found", attrs["error.type"])
	assert.Equal(t, "InvalidInstanceId", attrs["flowlog.provider_code"])
	assert.Equal(t, "req-InvalidInstanceId", attrs["flowlog.request_id"])
	assert.Equal(t, codes.Error, ops[0].Status().Code)
	attempts := rec.ended("scripted/CreateFlowLog") // the scripted errors all name CreateFlowLog
	require.Len(t, attempts, 1)
	assert.Equal(t, "never", attrMap(attempts[0].Attributes())["flowlog.retry_class"])

	m := rec.metrics(t)
	dp := m["flowlog.client.operation.duration"].Data.(metricdata.Histogram[float64]).DataPoints
	require.Len(t, dp, 1)
	v, _ := dp[0].Attributes.Value("error.type")
	assert.Equal(t, "not_found", v.AsString())
	assert.NotContains(t, m, "flowlog.client.retries")
	assert.False(t, errors.Is(err, flowlog.ErrUnknownOutcome))
}
