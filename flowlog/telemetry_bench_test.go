package flowlog_test

import (
	"context"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/cloudflowlog/flowlog-go/aliyun"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
)

// discardExporter is a span exporter that drops what it gets: the cost
// measured is the client's and the SDK's, not an exporter's.
type discardExporter struct{}

func (discardExporter) ExportSpans(context.Context, []sdktrace.ReadOnlySpan) error { return nil }
func (discardExporter) Shutdown(context.Context) error                             { return nil }

// BenchmarkTracing measures one create and one describe (Client.Create and
// Client.Get) through the aliyun adapter against the emulator on loopback,
// with telemetry off (no provider), with tracing on (an SDK tracer provider
// with a batching processor and an exporter that drops the spans), and with
// tracing and metrics on (plus an SDK meter provider with a manual reader).
// Compare them with
//
//	go test -run '^$' -bench Tracing -benchmem -count 10 ./flowlog/ | benchstat -col /telemetry -
func BenchmarkTracing(b *testing.B) {
	sides := telemetrySides()
	// Alternate the order from one run to the next (with -count), so that
	// no side always runs in another's wake.
	if tracingRuns.Add(1)%2 == 0 {
		slices.Reverse(sides)
	}
	for _, side := range sides {
		b.Run("telemetry="+side.name, func(b *testing.B) {
			srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(0))
			b.Cleanup(srv.Close)
			p, err := aliyun.New(aliyun.WithEndpoint(srv.URL),
				aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
			if err != nil {
				b.Fatal(err)
			}
			c := flowlog.NewClient(p, side.opts(b)...)
			b.Cleanup(func() { c.Close() })
			ctx := context.Background()
			spec := emulatorSpec()
			var enis []string
			runtime.GC()
			for i := 0; b.Loop(); i++ {
				if i == len(enis) {
					// Seeding with the timer stopped, in batches: stopping the
					// timer stops the world to read memory statistics.
					b.StopTimer()
					for range 500 {
						eni := flowlogtest.BenchmarkID("eni", len(enis))
						srv.AddNetworkInterface(flowlogtest.DefaultRegion, flowlogtest.DefaultVPCID, flowlogtest.DefaultVSwitchID, eni)
						enis = append(enis, eni)
					}
					b.StartTimer()
				}
				spec.Resource.ID = enis[i]
				fl, err := c.Create(ctx, spec)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := c.Get(ctx, spec.Region, fl.ID); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkTracingClientOnly is BenchmarkTracing against the in-memory
// fake provider: what is left is the client's own cost, telemetry's
// included, without HTTP, signing or the emulator.
func BenchmarkTracingClientOnly(b *testing.B) {
	for _, side := range telemetrySides() {
		b.Run("telemetry="+side.name, func(b *testing.B) {
			p := newFake(active())
			p.createStatus = flowlog.StatusActive
			c := flowlog.NewClient(p, side.opts(b)...)
			b.Cleanup(func() { c.Close() })
			ctx := context.Background()
			spec := validSpec()
			b.ReportAllocs()
			for b.Loop() {
				fl, err := c.Create(ctx, spec)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := c.Get(ctx, spec.Region, fl.ID); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

type telemetrySide struct {
	name string
	opts func(b *testing.B) []flowlog.Option
}

func telemetrySides() []telemetrySide {
	return []telemetrySide{
		{"off", func(*testing.B) []flowlog.Option { return nil }},
		{"traces", func(b *testing.B) []flowlog.Option {
			tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(discardExporter{}))
			b.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
			return []flowlog.Option{flowlog.WithTracerProvider(tp)}
		}},
		{"traces+metrics", func(b *testing.B) []flowlog.Option {
			tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(discardExporter{}))
			mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
			b.Cleanup(func() {
				_ = tp.Shutdown(context.Background())
				_ = mp.Shutdown(context.Background())
			})
			return []flowlog.Option{flowlog.WithTracerProvider(tp), flowlog.WithMeterProvider(mp)}
		}},
	}
}

var tracingRuns atomic.Int64
