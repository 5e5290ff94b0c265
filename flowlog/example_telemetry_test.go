package flowlog_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/cloudflowlog/flowlog-go/aliyun"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
)

// throttlingEmulator returns the aliyun adapter over an emulator that
// throttles the first CreateFlowLog, and a spec it accepts.
func throttlingEmulator() (*flowlogtest.Server, *aliyun.Provider, flowlog.FlowLogSpec) {
	srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(0), flowlogtest.WithFaults(flowlogtest.FaultRule{
		Action: "CreateFlowLog", Kinds: []flowlogtest.FaultKind{flowlogtest.FaultThrottle}, Count: 1}))
	p, err := aliyun.New(aliyun.WithEndpoint(srv.URL),
		aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	if err != nil {
		panic(err)
	}
	return srv, p, emulatorSpec()
}

func ExampleWithTracerProvider() {
	ctx := context.Background()
	srv, provider, spec := throttlingEmulator() // throttles the first create
	defer srv.Close()

	// A program gives the SDK provider it exports with (OTLP, say); the
	// example records the spans to print them. Without this option the
	// client traces nothing, whatever the global provider is.
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	defer tp.Shutdown(ctx)

	c := flowlog.NewClient(provider, flowlog.WithTracerProvider(tp),
		flowlog.WithRetry(flowlog.RetryDelays(time.Millisecond, time.Millisecond, time.Millisecond)))
	defer c.Close()
	if _, err := c.Create(ctx, spec); err != nil {
		fmt.Println("create:", err)
		return
	}

	ended := spans.Ended()
	slices.SortFunc(ended, func(a, b sdktrace.ReadOnlySpan) int { return a.StartTime().Compare(b.StartTime()) })
	for _, s := range ended {
		line := s.Name()
		if s.Parent().IsValid() {
			line = "  " + line // an attempt, a child of the operation
		}
		attrs := attribute.NewSet(s.Attributes()...)
		for _, k := range []attribute.Key{"flowlog.attempt", "flowlog.retry_class", "flowlog.provider_code", "error.type"} {
			if v, ok := attrs.Value(k); ok {
				line += " " + string(k) + "=" + v.Emit()
			}
		}
		fmt.Println(line)
	}
	// Output:
	// flowlog.Create
	//   vpc/CreateFlowLog flowlog.attempt=1 flowlog.retry_class=safe flowlog.provider_code=Throttling.User error.type=throttled
	//   vpc/CreateFlowLog flowlog.attempt=2
}

func ExampleWithMeterProvider() {
	ctx := context.Background()
	srv, provider, spec := throttlingEmulator() // throttles the first create
	defer srv.Close()

	// A program gives the SDK provider it exports with (OTLP, Prometheus);
	// the example reads the metrics by hand. Without this option the client
	// records nothing, whatever the global provider is.
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	defer mp.Shutdown(ctx)

	c := flowlog.NewClient(provider, flowlog.WithMeterProvider(mp),
		flowlog.WithRetry(flowlog.RetryDelays(time.Millisecond, time.Millisecond, time.Millisecond)))
	defer c.Close()
	if _, err := c.Create(ctx, spec); err != nil {
		fmt.Println("create:", err)
		return
	}

	var rm metricdata.ResourceMetrics
	if err := reader.Collect(ctx, &rm); err != nil {
		fmt.Println("collect:", err)
		return
	}
	var lines []string
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				var n int64
				for _, dp := range d.DataPoints {
					n += dp.Value
				}
				lines = append(lines, fmt.Sprintf("%s %d %s", m.Name, n, m.Unit))
			case metricdata.Histogram[float64]:
				var n uint64
				for _, dp := range d.DataPoints {
					n += dp.Count
				}
				lines = append(lines, fmt.Sprintf("%s: %d measurements in %s", m.Name, n, m.Unit))
			}
		}
	}
	slices.Sort(lines)
	fmt.Println(strings.Join(lines, "\n"))
	// Output:
	// flowlog.client.attempts 2 {attempt}
	// flowlog.client.operation.duration: 1 measurements in s
	// flowlog.client.retries 1 {retry}
	// flowlog.client.throttles 1 {throttle}
}
