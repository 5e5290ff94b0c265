package driver

import (
	"context"
	"time"
)

// The client measures how long requests wait for an adapter's rate limiter,
// which runs inside the adapter, out of its sight: it puts a function in
// each attempt's context, and the adapter's HTTP stack reports each wait
// to it.

type limiterWaitKey struct{}

// WithLimiterWaits returns a copy of ctx that carries fn: LimiterWaited
// under it calls fn with the request's action and how long it waited.
func WithLimiterWaits(ctx context.Context, fn func(action string, waited time.Duration)) context.Context {
	return context.WithValue(ctx, limiterWaitKey{}, fn)
}

// LimiterWaited reports that a request of action waited for its limiter,
// admitted or not, to the function ctx carries, if any. Adapters call it
// once per request that their limiter was asked about.
func LimiterWaited(ctx context.Context, action string, waited time.Duration) {
	if fn, ok := ctx.Value(limiterWaitKey{}).(func(string, time.Duration)); ok {
		fn(action, waited)
	}
}
