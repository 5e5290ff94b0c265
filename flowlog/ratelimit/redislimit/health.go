package redislimit

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// route says where one call goes.
type route int

const (
	viaRedis    route = iota // Redis is up: ask it
	viaProbe                 // Redis is down and this call is the one probe allowed now
	viaFallback              // Redis is down: use the local fallback
)

// health is the up/down state of one Limiter's or Budget's Redis, shared by
// all its keys: reachability belongs to the client, not to a key, so one
// key's failure sends every key to the fallback and one answer brings them
// all back. It logs one record per transition and no more: a Warn when
// Redis first fails, an Info when a probe finds it answering again.
type health struct {
	subject string // "rate limiter" or "retry budget", for the records
	log     *slog.Logger
	now     func() time.Time
	backoff time.Duration

	mu        sync.Mutex
	down      bool
	downSince time.Time
	probing   bool      // a probe is in flight; the others keep to the fallback
	probeAt   time.Time // when down, the earliest time of the next probe
}

// route returns where a call should go now. While Redis is down, one call
// per back-off period is let through as a probe, so that a dead Redis costs
// one timed-out call per period instead of one per request.
func (h *health) route() route {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.down {
		return viaRedis
	}
	if h.probing || h.now().Before(h.probeAt) {
		return viaFallback
	}
	h.probing = true
	return viaProbe
}

// failed records that a call routed r found Redis failing with err.
// attrs, called only when a record is written, names what failed.
func (h *health) failed(ctx context.Context, r route, err error, attrs func() []slog.Attr) {
	h.mu.Lock()
	first := !h.down
	now := h.now()
	switch {
	case first:
		h.down, h.downSince = true, now
		h.probeAt = now.Add(h.backoff)
	case r == viaProbe:
		h.probing = false
		h.probeAt = now.Add(h.backoff)
	}
	// A viaRedis call that fails while already down started before the
	// transition; the first failure was logged and set the back-off.
	h.mu.Unlock()
	if first {
		a := append(attrs(), slog.String("error", err.Error()), slog.Duration("retry_in", h.backoff))
		h.log.LogAttrs(ctx, slog.LevelWarn, "flowlog "+h.subject+" on local fallback: redis failed", a...)
	}
}

// answered records that a call routed r got an answer from Redis. Only a
// probe ends an outage: a call that was sent before Redis went down may
// still get its answer afterwards, and letting it flip the state back
// would log a Warn/Info pair per straggler.
func (h *health) answered(ctx context.Context, r route, attrs func() []slog.Attr) {
	if r != viaProbe {
		return
	}
	h.mu.Lock()
	downFor := h.now().Sub(h.downSince)
	h.down, h.probing = false, false
	h.mu.Unlock()
	a := append(attrs(), slog.Duration("down_for", downFor))
	h.log.LogAttrs(ctx, slog.LevelInfo, "flowlog "+h.subject+" back on redis", a...)
}

// abandoned records that a call routed r ended with its caller's context,
// which says nothing about Redis: a probe gives its turn to the next call.
func (h *health) abandoned(r route) {
	if r != viaProbe {
		return
	}
	h.mu.Lock()
	h.probing = false
	h.mu.Unlock()
}

// timeoutError is the error of a Redis call that did not answer within the
// per-call timeout. It is deliberately not context.DeadlineExceeded: that
// one means the caller's context ended, this one means Redis is failing.
type timeoutError struct{ after time.Duration }

func (e timeoutError) Error() string {
	return fmt.Sprintf("no answer within %v", e.after)
}

func (timeoutError) Timeout() bool { return true }

type result[T any] struct {
	v   T
	err error
}

// call runs fn with a context that ends at ctx's end or after timeout, and
// returns when fn does, when the timeout passes or when ctx ends, whichever
// comes first.
//
// go-redis takes socket deadlines from the context only when the client's
// ContextTimeoutEnabled is set; otherwise a read on a hung connection lasts
// its ReadTimeout (5 s by default) whatever the context says. Running fn in
// its own goroutine is what lets the caller go at ctx's end either way; fn
// then finishes in the background when go-redis gives up, and the buffered
// channel lets that goroutine exit without a reader. No goroutine outlives
// go-redis's own timeouts.
//
// When it returns because ctx ended, the error is ctx's; callers tell a
// Redis failure from their own context's end by ctx.Err(), not by the
// error's type (an expired per-call context also yields DeadlineExceeded).
func call[T any](ctx context.Context, timeout time.Duration, fn func(context.Context) (T, error)) (T, error) {
	// Cancelled here, not in the goroutine: cancelling there once fn has
	// returned would make both cases below ready, and a call that had
	// answered could be taken for one that timed out.
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	done := make(chan result[T], 1)
	go func() {
		v, err := fn(cctx)
		done <- result[T]{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-cctx.Done():
		select {
		case r := <-done: // an answer at the last moment still counts
			return r.v, r.err
		default:
		}
		var zero T
		if err := ctx.Err(); err != nil {
			return zero, err
		}
		return zero, timeoutError{timeout}
	}
}
