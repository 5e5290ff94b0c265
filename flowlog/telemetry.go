package flowlog

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/internal/redact"
)

// OpenTelemetry instrumentation of the client. It is off unless the client
// is given a provider (WithTracerProvider, WithMeterProvider): the global
// providers are never used, so a program that installs an SDK for its own
// code does not start tracing this library's calls by accident, and a
// client without providers pays a nil check per call and allocates nothing
// for telemetry. The package imports only the OpenTelemetry API.
//
// Spans. Each operation of the client is a span of kind client named
// "flowlog.<Op>" (flowlog.Create, flowlog.Get, flowlog.Wait, ...), and each
// run of an attempt in the retry loop is a child span of kind client named
// "<rpc.service>/<action>" (vpc/CreateFlowLog). Operations made of others
// nest: a CreateAndWait span is the parent of a Create and a Wait span.
// Attribute names follow the semantic conventions where they have one
// (cloud.provider, cloud.region, rpc.system, rpc.service, rpc.method,
// http.response.status_code, error.type; the pre-1.39 RPC names, on
// purpose) and are under "flowlog." otherwise, with the words of the log
// records (flowlog.code, flowlog.provider_code, flowlog.request_id). A
// failure sets the span's status to Error with the error's redacted text.
//
// Operations whose code opens no span of its own (the lifecycle calls List,
// Delete, Activate, Deactivate, Ensure) are still traced: a retried call
// outside any operation of the client opens the operation span around its
// retry loop (Delete gets a flowlog.Delete span around its attempts, then a
// flowlog.Wait span for its wait; each page of a List is a flowlog.List),
// so every attempt has a parent and every wait a span. An operation span
// opened around the whole call later (startOp at the top of the method)
// makes those its children with no other change.
//
// Bulk calls (CreateAll, EnsureAll) open no parent span on purpose: each
// item is an operation of its own, under whatever span the caller opened
// around the bulk call. One span over thousands of items would live as long
// as the slowest of them and make one trace too large to read or to keep
// (exporters and backends cap spans per trace); the caller's span already
// groups the items, and the metrics count them.
//
// The poller's describe calls serve many waits of many traces at once, so
// each is a root span, "flowlog.poll", linked to the span of every wait it
// serves (up to maxPollLinks).
//
// Metrics (instruments made once per client, units UCUM): operation and
// wait durations (s), attempts, retries, throttles, unknown outcomes, and
// the size of the poller's batches, and the time requests wait for an
// adapter's rate limiter, which the adapter reports through the attempt's
// context (driver.WithLimiterWaits).

// ScopeName is the instrumentation scope of the client's tracer and meter.
const ScopeName = "github.com/cloudflowlog/flowlog-go/flowlog"

// Attribute keys. Those without a semantic convention are under "flowlog.".
const (
	keyCloudProvider = attribute.Key("cloud.provider")
	keyCloudRegion   = attribute.Key("cloud.region")
	keyRPCSystem     = attribute.Key("rpc.system")
	keyRPCService    = attribute.Key("rpc.service")
	keyRPCMethod     = attribute.Key("rpc.method")
	keyHTTPStatus    = attribute.Key("http.response.status_code")
	keyErrorType     = attribute.Key("error.type")

	keyProvider     = attribute.Key("flowlog.provider")
	keyOperation    = attribute.Key("flowlog.operation")
	keyAttempt      = attribute.Key("flowlog.attempt")
	keyRetryClass   = attribute.Key("flowlog.retry_class")
	keyProviderCode = attribute.Key("flowlog.provider_code")
	keyRequestID    = attribute.Key("flowlog.request_id")
	keyCode         = attribute.Key("flowlog.code")
	keyID           = attribute.Key("flowlog.id")
	keyResource     = attribute.Key("flowlog.resource")
	keyWaitWant     = attribute.Key("flowlog.wait.want")
	keyWaitState    = attribute.Key("flowlog.wait.state")
	keyWaitCount    = attribute.Key("flowlog.wait.count")
	keyBatchSize    = attribute.Key("flowlog.poller.batch.size")
)

// Metric names and units.
const (
	metricOperationDuration = "flowlog.client.operation.duration"
	metricAttempts          = "flowlog.client.attempts"
	metricRetries           = "flowlog.client.retries"
	metricThrottles         = "flowlog.client.throttles"
	metricUnknownOutcomes   = "flowlog.client.unknown_outcomes"
	metricWaitDuration      = "flowlog.client.wait.duration"
	metricBatchSize         = "flowlog.poller.batch.size"
	metricLimiterWait       = "flowlog.client.limiter.wait.duration"
)

// otherErrorType is error.type for a failure of no known class, as the
// semantic conventions spell it.
const otherErrorType = "_OTHER"

// WithTracerProvider makes the client trace its operations and their
// attempts with tp: one span of kind client per operation and a child span
// per attempt, with the cloud.*, rpc.*, error.type and flowlog.* attributes
// listed in README. Without it (or with nil) the client traces nothing: it
// does not fall back to the global provider (otel.GetTracerProvider), so
// pass that explicitly to use it. Span texts never carry a credential: an
// error's status message is its redacted text.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *Client) { c.otel.tp = tp }
}

// WithMeterProvider makes the client record its metrics with mp: the
// duration of operations and waits, the attempts, retries, throttles and
// unknown outcomes, and the size of the poller's batches (see README for
// names, units and attributes). Without it (or with nil) the client records
// nothing: it does not fall back to the global provider
// (otel.GetMeterProvider), so pass that explicitly to use it.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(c *Client) { c.otel.mp = mp }
}

type telemetryConfig struct {
	tp trace.TracerProvider
	mp metric.MeterProvider
}

// cloudInfo describes the known adapters in semantic-convention terms.
type cloudInfo struct {
	cloud, system, service string
	// actions maps the client's operation (as the retry loop names it) and
	// the driver methods behind it to the provider action they send.
	actions map[string]string
}

// The actions mirror the adapters' (aliyun.go, cbn.go, tencent.go); an
// attempt that fails names the action its error came from, which wins.
var clouds = map[string]cloudInfo{
	"aliyun": {"alibaba_cloud", "alibaba_cloud_rpc", "vpc", map[string]string{
		"Create": "CreateFlowLog", "Get": "DescribeFlowLogs", "List": "DescribeFlowLogs", "Ensure": "DescribeFlowLogs",
		"Describe": "DescribeFlowLogs", "Delete": "DeleteFlowLog", "Activate": "ActiveFlowLog", "Deactivate": "DeactiveFlowLog",
		"Update": "ModifyFlowLogAttribute", "OpenService": "OpenFlowLogService", "ServiceOpened": "GetFlowLogServiceStatus",
	}},
	"cbn": {"alibaba_cloud", "alibaba_cloud_rpc", "cbn", map[string]string{
		"Create": "CreateFlowlog", "Get": "DescribeFlowlogs", "List": "DescribeFlowlogs", "Ensure": "DescribeFlowlogs",
		"Describe": "DescribeFlowlogs", "Delete": "DeleteFlowlog", "Activate": "ActiveFlowLog", "Deactivate": "DeactiveFlowLog",
		"Update": "ModifyFlowLogAttribute",
	}},
	"tencent": {"tencent_cloud", "tencent_cloud_api", "vpc", map[string]string{
		"Create": "CreateFlowLog", "Get": "DescribeFlowLogs", "List": "DescribeFlowLogs", "Ensure": "DescribeFlowLogs",
		"Describe": "DescribeFlowLogs", "Delete": "DeleteFlowLog", "Activate": "EnableFlowLogs", "Deactivate": "DisableFlowLogs",
		"Update": "ModifyFlowLogAttribute",
	}},
}

// telemetry is a client's tracer and instruments; a nil tracer or nil
// instruments turn that half off.
type telemetry struct {
	tracer  trace.Tracer
	inst    *instruments
	info    cloudInfo
	service string // rpc.service: the product, or the adapter's name
	// base are the attributes of every span and measurement of the client,
	// but the region.
	base []attribute.KeyValue
	// names are the span names of the operations and of the attempts of
	// the known operations, made once.
	opNames, attemptNames map[string]string

	// sets caches the attribute sets of measurements: their values are
	// few (regions, operations, error types), and a set made once spares
	// each measurement a sort and some allocations.
	mu   sync.RWMutex
	sets map[labels]attribute.Set
	// starts caches the attributes spans start with, for the same reason:
	// the SDK copies them, so one slice serves every span of its kind.
	starts map[startKey][]attribute.KeyValue
}

// startKey identifies the attributes a span starts with: an operation's
// (attempt 0) or an attempt's.
type startKey struct {
	region, op string
	attempt    int
}

// labels are the attributes of a measurement: the region and up to four
// more, of string values.
type labels struct {
	region string
	n      int
	keys   [4]attribute.Key
	vals   [4]string
}

func (l labels) with(k attribute.Key, v string) labels {
	l.keys[l.n], l.vals[l.n] = k, v
	l.n++
	return l
}

// maxSets bounds the cache of attribute sets; past it, sets are made for
// each measurement.
const maxSets = 4096

// measurement returns the attributes of a measurement with l, and the
// client's.
func (t *telemetry) measurement(l labels) metric.MeasurementOption {
	t.mu.RLock()
	set, ok := t.sets[l]
	t.mu.RUnlock()
	if !ok {
		kv := make([]attribute.KeyValue, l.n)
		for i := range l.n {
			kv[i] = l.keys[i].String(l.vals[i])
		}
		set = attribute.NewSet(t.attrs(l.region, kv...)...)
		t.mu.Lock()
		if len(t.sets) < maxSets {
			t.sets[l] = set
		}
		t.mu.Unlock()
	}
	return metric.WithAttributeSet(set)
}

// knownOps are the operations whose span names are made once.
var knownOps = []string{"Create", "CreateAndWait", "Get", "List", "Delete", "Activate", "Deactivate",
	"Ensure", "Wait", "WaitAll", "Update"}

type instruments struct {
	opDuration   metric.Float64Histogram
	attempts     metric.Int64Counter
	retries      metric.Int64Counter
	throttles    metric.Int64Counter
	unknown      metric.Int64Counter
	waitDuration metric.Float64Histogram
	batchSize    metric.Int64Histogram
	limiterWait  metric.Float64Histogram
}

func newTelemetry(provider string, cfg telemetryConfig) *telemetry {
	t := &telemetry{info: clouds[provider], service: provider, sets: map[labels]attribute.Set{},
		starts: map[startKey][]attribute.KeyValue{}}
	if t.info.service != "" {
		t.service = t.info.service
	}
	t.base = []attribute.KeyValue{keyProvider.String(provider)}
	if t.info.cloud != "" {
		t.base = append(t.base, keyCloudProvider.String(t.info.cloud), keyRPCSystem.String(t.info.system))
	}
	t.base = append(t.base, keyRPCService.String(t.service))
	t.opNames, t.attemptNames = map[string]string{}, map[string]string{}
	for _, op := range knownOps {
		t.opNames[op] = "flowlog." + op
		t.attemptNames[op] = t.service + "/" + t.action(op)
	}
	if cfg.tp != nil {
		t.tracer = cfg.tp.Tracer(ScopeName)
	}
	if cfg.mp != nil {
		t.inst = newInstruments(cfg.mp.Meter(ScopeName))
	}
	return t
}

// Bucket boundaries, in seconds: calls take milliseconds to seconds (the
// semantic conventions' RPC buckets), waits seconds to minutes.
var (
	callBuckets  = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60}
	waitBuckets  = []float64{0.1, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1200}
	batchBuckets = []float64{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000}
	// A limiter's wait is nothing, or a few slots of 50 ms (20/s) to 2 s
	// (0.5/s), or much longer behind a queue.
	limiterBuckets = []float64{0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}
)

func newInstruments(m metric.Meter) *instruments {
	var inst instruments
	var err error
	record := func(e error) { err = errors.Join(err, e) }
	var e error
	inst.opDuration, e = m.Float64Histogram(metricOperationDuration, metric.WithUnit("s"),
		metric.WithDescription("Duration of the client's operations, retries and waits included."),
		metric.WithExplicitBucketBoundaries(callBuckets...))
	record(e)
	inst.attempts, e = m.Int64Counter(metricAttempts, metric.WithUnit("{attempt}"),
		metric.WithDescription("Attempts made by the client's retry loop, first attempts included."))
	record(e)
	inst.retries, e = m.Int64Counter(metricRetries, metric.WithUnit("{retry}"),
		metric.WithDescription("Retries the client decided to make, by the retry class of the failure before them."))
	record(e)
	inst.throttles, e = m.Int64Counter(metricThrottles, metric.WithUnit("{throttle}"),
		metric.WithDescription("Provider responses refused as throttled, attempts and poller calls alike."))
	record(e)
	inst.unknown, e = m.Int64Counter(metricUnknownOutcomes, metric.WithUnit("{call}"),
		metric.WithDescription("Calls that failed with an outcome the client could not settle (ErrUnknownOutcome)."))
	record(e)
	inst.waitDuration, e = m.Float64Histogram(metricWaitDuration, metric.WithUnit("s"),
		metric.WithDescription("Duration of waits for a flow log's state, by the state last seen."),
		metric.WithExplicitBucketBoundaries(waitBuckets...))
	record(e)
	inst.batchSize, e = m.Int64Histogram(metricBatchSize, metric.WithUnit("{flow_log}"),
		metric.WithDescription("Flow logs asked for by each describe call of the poller."),
		metric.WithExplicitBucketBoundaries(batchBuckets...))
	record(e)
	inst.limiterWait, e = m.Float64Histogram(metricLimiterWait, metric.WithUnit("s"),
		metric.WithDescription("Time each request waited for the adapter's client-side rate limiter."),
		metric.WithExplicitBucketBoundaries(limiterBuckets...))
	record(e)
	if err != nil {
		// The API hands out working no-op instruments along with the error.
		otel.Handle(err)
	}
	return &inst
}

func (t *telemetry) on() bool { return t.tracer != nil || t.inst != nil }

// clientKind is the kind of every span of the client.
var clientKind = trace.WithSpanKind(trace.SpanKindClient)

// opName is the span name of the operation op.
func (t *telemetry) opName(op string) string {
	if name, ok := t.opNames[op]; ok {
		return name
	}
	return "flowlog." + op
}

// attemptName is the span name of an attempt of op that sent method.
func (t *telemetry) attemptName(op, method string) string {
	if name, ok := t.attemptNames[op]; ok && method == t.action(op) {
		return name
	}
	return t.service + "/" + method
}

// action is the provider action behind op, or op itself when the adapter
// is not one of this module's.
func (t *telemetry) action(op string) string {
	if a := t.info.actions[op]; a != "" {
		return a
	}
	return op
}

// attrs returns the client's attributes with region and extra.
func (t *telemetry) attrs(region string, extra ...attribute.KeyValue) []attribute.KeyValue {
	out := make([]attribute.KeyValue, 0, len(t.base)+1+len(extra)+4)
	out = append(out, t.base...)
	if region != "" {
		out = append(out, keyCloudRegion.String(region))
	}
	return append(out, extra...)
}

// startAttrs returns the attributes a span of k starts with, shared: the
// caller must not change them.
func (t *telemetry) startAttrs(k startKey) []attribute.KeyValue {
	t.mu.RLock()
	kv, ok := t.starts[k]
	t.mu.RUnlock()
	if ok {
		return kv
	}
	if k.attempt == 0 {
		kv = t.attrs(k.region, keyRPCMethod.String(k.op), keyOperation.String(k.op))
	} else {
		kv = t.attrs(k.region, keyRPCMethod.String(t.action(k.op)), keyOperation.String(k.op), keyAttempt.Int(k.attempt))
	}
	t.mu.Lock()
	if len(t.starts) < maxSets {
		t.starts[k] = kv
	}
	t.mu.Unlock()
	return kv
}

// opKey marks a context inside an operation of the client whose telemetry
// is the value.
type opKey struct{}

// inOp reports whether ctx is inside an operation of this client.
func (t *telemetry) inOp(ctx context.Context) bool { return ctx.Value(opKey{}) == t }

// opSpan is an operation in progress; its zero value (telemetry off) does
// nothing.
type opSpan struct {
	t      *telemetry
	ctx    context.Context
	span   trace.Span // nil when tracing is off
	start  time.Time
	op     string
	region string
}

// opInfo is what an operation's span says of its subject, besides the
// client's attributes: the flow log, the resource, the state a wait wants
// (StatusUnknown: not a wait) and how many flow logs it waits for.
type opInfo struct {
	id, resource string
	want         Status
	count        int
}

// attrs returns the attributes of i. IDs are not redacted, as in the log
// records.
func (i opInfo) attrs() []attribute.KeyValue {
	var kv []attribute.KeyValue
	if i.id != "" {
		kv = append(kv, keyID.String(i.id))
	}
	if i.resource != "" {
		kv = append(kv, keyResource.String(i.resource))
	}
	if i.want != StatusUnknown {
		kv = append(kv, keyWaitWant.String(i.want.String()))
	}
	if i.count > 0 {
		kv = append(kv, keyWaitCount.Int(i.count))
	}
	return kv
}

// startOp starts the operation op in region, about what info says. The
// operation span is a child of ctx's span: operations nest.
func (t *telemetry) startOp(ctx context.Context, op, region string, info opInfo) (context.Context, opSpan) {
	if !t.on() {
		return ctx, opSpan{}
	}
	o := opSpan{t: t, start: time.Now(), op: op, region: region}
	ctx = context.WithValue(ctx, opKey{}, t)
	if t.tracer != nil {
		// Attributes are set after the start rather than passed to it: a
		// start option copies them once more, for samplers this client
		// does not need to inform.
		ctx, o.span = t.tracer.Start(ctx, t.opName(op), clientKind)
		o.span.SetAttributes(t.startAttrs(startKey{region: region, op: op})...)
		if kv := info.attrs(); len(kv) > 0 {
			o.span.SetAttributes(kv...)
		}
	}
	o.ctx = ctx
	return ctx, o
}

// tracing reports whether the operation has a span to annotate.
func (o opSpan) tracing() bool { return o.span != nil }

// set adds attributes to the operation's span; callers check tracing
// first, so that nothing is built when tracing is off.
func (o opSpan) set(kv ...attribute.KeyValue) { o.span.SetAttributes(kv...) }

// end ends the operation with its outcome err.
func (o opSpan) end(err error) {
	if o.t == nil {
		return
	}
	now := time.Now()
	if o.span != nil {
		if err != nil {
			o.span.SetAttributes(errorAttrs(err)...)
			o.span.SetStatus(codes.Error, statusMessage(err))
		}
		o.span.End()
	}
	if o.t.inst != nil {
		l := labels{region: o.region}.with(keyRPCMethod, o.op).with(keyOperation, o.op)
		if err != nil {
			l = l.with(keyErrorType, errorType(err))
		}
		o.t.inst.opDuration.Record(o.ctx, now.Sub(o.start).Seconds(), o.t.measurement(l))
	}
}

// attemptSpan is one attempt in progress; its zero value does nothing.
type attemptSpan struct {
	t      *telemetry
	ctx    context.Context
	span   trace.Span
	op     string
	region string
	n      int
}

// startAttempt starts attempt n (1-based) of op.
func (t *telemetry) startAttempt(ctx context.Context, op, region string, n int) (context.Context, attemptSpan) {
	if !t.on() {
		return ctx, attemptSpan{}
	}
	a := attemptSpan{t: t, ctx: ctx, op: op, region: region, n: n}
	if t.tracer != nil {
		method := t.action(op)
		ctx, a.span = t.tracer.Start(ctx, t.attemptName(op, method), clientKind)
		a.span.SetAttributes(t.startAttrs(startKey{region: region, op: op, attempt: n})...)
		a.ctx = ctx
	}
	if t.inst != nil {
		// The adapter's HTTP stack reports each request's wait for its
		// rate limiter here (driver.LimiterWaited).
		spanCtx := ctx
		ctx = driver.WithLimiterWaits(ctx, func(action string, waited time.Duration) {
			l := labels{region: region}.with(keyRPCMethod, action).with(keyOperation, op)
			t.inst.limiterWait.Record(spanCtx, waited.Seconds(), t.measurement(l))
		})
		a.ctx = ctx
	}
	return ctx, a
}

// end ends the attempt with its outcome err.
func (a attemptSpan) end(err error) {
	if a.t == nil {
		return
	}
	method := a.t.action(a.op)
	if err != nil {
		var de *driver.Error
		if errors.As(err, &de) && de.Op != "" {
			method = de.Op // the action that failed, which may be a look-up's
		}
	}
	if a.span != nil {
		if err != nil {
			if method != a.t.action(a.op) {
				a.span.SetName(a.t.attemptName(a.op, method))
				a.span.SetAttributes(keyRPCMethod.String(method))
			}
			a.span.SetAttributes(keyRetryClass.String(retryClass(err).String()))
			a.span.SetAttributes(errorAttrs(err)...)
			a.span.SetStatus(codes.Error, statusMessage(err))
		}
		a.span.End()
	}
	if a.t.inst != nil {
		l := labels{region: a.region}.with(keyRPCMethod, method).with(keyOperation, a.op)
		if err != nil {
			l = l.with(keyErrorType, errorType(err))
		}
		attrs := a.t.measurement(l)
		a.t.inst.attempts.Add(a.ctx, 1, attrs)
		if err != nil && ErrorCode(err) == CodeThrottled {
			a.t.inst.throttles.Add(a.ctx, 1, attrs)
		}
	}
}

// retry counts a retry of op after a failure of class.
func (t *telemetry) retry(ctx context.Context, op, region string, class driver.RetryClass) {
	if t.inst == nil {
		return
	}
	t.inst.retries.Add(ctx, 1, t.measurement(labels{region: region}.with(keyRPCMethod, t.action(op)).
		with(keyOperation, op).with(keyRetryClass, class.String())))
}

// unknownOutcome counts a call that returned err, which matches
// ErrUnknownOutcome.
func (t *telemetry) unknownOutcome(ctx context.Context, err error) {
	if t.inst == nil {
		return
	}
	var u *UnknownOutcomeError
	var op, region string
	if errors.As(err, &u) {
		op, region = u.Op, u.Region
	}
	t.inst.unknown.Add(ctx, 1, t.measurement(labels{region: region}.with(keyRPCMethod, op).with(keyOperation, op)))
}

// waitState is the state a wait ended in: the wanted one on success, else
// the last one seen.
func waitState(want Status, fl *FlowLog, err error) Status {
	var we *WaitError
	switch {
	case err == nil && fl != nil:
		return fl.Status
	case err == nil:
		return want // a wait for deletion succeeds when the flow log is gone
	case errors.As(err, &we):
		return we.Last
	}
	return StatusUnknown
}

// waitEnded records a wait for want in region, begun at start, that ended
// with fl or err; o is the wait's operation span when it has one of its
// own.
func (t *telemetry) waitEnded(ctx context.Context, o opSpan, region string, want Status, start time.Time, fl *FlowLog, err error) {
	if !t.on() {
		return
	}
	state := waitState(want, fl, err)
	if o.tracing() {
		o.set(keyWaitState.String(state.String()))
	}
	if t.inst == nil {
		return
	}
	l := labels{region: region}.with(keyWaitWant, want.String()).with(keyWaitState, state.String())
	if err != nil {
		l = l.with(keyErrorType, errorType(err))
	}
	t.inst.waitDuration.Record(ctx, time.Since(start).Seconds(), t.measurement(l))
}

// startPoll starts the span of one describe call of the poller for n flow
// logs, linked to the waits it serves, and records the batch's size.
func (t *telemetry) startPoll(ctx context.Context, region string, n int, links []trace.Link) (context.Context, trace.Span) {
	if t.inst != nil {
		t.inst.batchSize.Record(ctx, int64(n), t.measurement(labels{region: region}))
	}
	if t.tracer == nil {
		return ctx, nil
	}
	method := t.action("Describe")
	return t.tracer.Start(ctx, "flowlog.poll", clientKind, trace.WithNewRoot(),
		trace.WithLinks(links...),
		trace.WithAttributes(t.attrs(region, keyRPCMethod.String(method), keyOperation.String("Poll"),
			keyBatchSize.Int(n))...))
}

// endPoll ends a poll's span with the call's outcome and counts a throttle.
func (t *telemetry) endPoll(ctx context.Context, span trace.Span, region string, err error) {
	if span != nil {
		if err != nil {
			span.SetAttributes(keyRetryClass.String(retryClass(err).String()))
			span.SetAttributes(errorAttrs(err)...)
			span.SetStatus(codes.Error, statusMessage(err))
		}
		span.End()
	}
	if t.inst != nil && err != nil && ErrorCode(err) == CodeThrottled {
		t.inst.throttles.Add(ctx, 1, t.measurement(labels{region: region}.with(keyRPCMethod, t.action("Describe")).
			with(keyOperation, "Poll").with(keyErrorType, errorType(err))))
	}
}

// errorAttrs describes a failure on a span, with the vocabulary of the log
// records (code, provider_code, request_id) under "flowlog.": every text
// from a provider is redacted, as in the logs.
func errorAttrs(err error) []attribute.KeyValue {
	kv := []attribute.KeyValue{keyErrorType.String(errorType(err)), keyCode.String(ErrorCode(err).String())}
	d := details(err)
	if d.code != "" {
		kv = append(kv, keyProviderCode.String(redact.String(d.code)))
	}
	if d.requestID != "" {
		kv = append(kv, keyRequestID.String(redact.String(d.requestID)))
	}
	if d.httpStatus != 0 {
		kv = append(kv, keyHTTPStatus.Int(d.httpStatus))
	}
	return kv
}

// statusMessage is a span's status description for err: its text, which
// this package's errors redact when they build it, redacted once more in
// case an adapter let a raw SDK error through.
func statusMessage(err error) string { return redact.String(err.Error()) }

// providerDetails are what a provider said about a failure.
type providerDetails struct {
	code, requestID string
	httpStatus      int
}

// details returns the provider's code, request ID and HTTP status of the
// first provider error in err's chain, like providerCode.
func details(err error) providerDetails {
	var e *Error
	if errors.As(err, &e) {
		return providerDetails{e.ProviderCode, e.RequestID, e.HTTPStatus}
	}
	var de *driver.Error
	if errors.As(err, &de) {
		return providerDetails{de.ProviderCode, de.RequestID, de.HTTPStatus}
	}
	return providerDetails{}
}

// errorType is the error.type of err, low in cardinality: the neutral code
// in snake case ("throttled", "not_found", ...), or what ended the call
// ("unknown_outcome", "deadline_exceeded", "canceled", "closed"), or
// "unwanted_state" for a wait that saw its flow log settle elsewhere,
// "wait_failed" for a WaitAll some of whose waits failed, or "_OTHER".
func errorType(err error) string {
	switch {
	case errors.Is(err, ErrUnknownOutcome):
		return "unknown_outcome"
	case errors.Is(err, ErrClosed):
		return "closed"
	case errors.Is(err, context.DeadlineExceeded):
		return "deadline_exceeded"
	case errors.Is(err, context.Canceled):
		return "canceled"
	}
	if _, ok := err.(*waitAllError); ok {
		return "wait_failed"
	}
	var we *WaitError
	if errors.As(err, &we) && we.Cause == nil && (we.LastErr == nil || (we.Last != we.Want && we.Last.Terminal())) {
		return "unwanted_state"
	}
	if code := ErrorCode(err); code != CodeUnknown {
		return strings.ReplaceAll(code.String(), " ", "_")
	}
	return otherErrorType
}
