package ratelimit

import (
	"context"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// NewLocal returns a Limiter of this process that lets the requests of each
// Key start at least 1/perSecond apart, so that no one-second window holds
// more than perSecond of them. perSecond <= 0, NaN or +Inf means no limit:
// Wait then only reports whether ctx has ended.
//
// The burst is 1 on purpose, for APIs that count requests per second, like
// Tencent's "20 per second": a token bucket lets its burst go at once and
// then perSecond more per second, so any one-second window of the server
// can see up to perSecond+burst-1 of them. With a burst of 20 at 20/s, 20
// requests at the start of a second plus the 19 tokens that refill before
// it ends make 39, and the 21st of them fails with RequestLimitExceeded.
// With a burst of 1 the requests are spaced evenly and no second holds more
// than perSecond.
//
// Wait returns nil when the request's slot comes, or ctx's error when ctx
// ends first; the wait ends at ctx's end, not sooner, so a deadline too
// close for the next free slot is still waited out and the error is ctx's
// own. A wait that ends with ctx gives its slot back to the next request.
//
// The limiter keeps one small state per Key it has seen, for its lifetime:
// keys are few (regions times actions).
func NewLocal(perSecond float64) Limiter {
	if !limited(perSecond) {
		return unlimited{}
	}
	return &local{limit: spacing(perSecond), keys: map[Key]*rate.Limiter{}}
}

// limited reports whether perSecond is a limit: a positive, finite number.
func limited(perSecond float64) bool {
	return perSecond > 0 && !math.IsInf(perSecond, 1)
}

type unlimited struct{}

func (unlimited) Wait(ctx context.Context, _ Key) error { return ctx.Err() }

type local struct {
	limit rate.Limit

	mu   sync.Mutex
	keys map[Key]*rate.Limiter
}

func (l *local) Wait(ctx context.Context, k Key) error {
	l.mu.Lock()
	lim, ok := l.keys[k]
	if !ok {
		lim = rate.NewLimiter(l.limit, 1)
		l.keys[k] = lim
	}
	l.mu.Unlock()
	return wait(ctx, lim, time.Now)
}

// spacing returns the rate.Limit that starts requests at most perSecond
// per second. x/time/rate turns its float token counts into durations by
// truncation, so at a plain rate.Limit(20) many slots open a nanosecond
// early and 21 fit in one second; one microsecond more than 1/perSecond
// between slots keeps "at most perSecond in any second" true. Below one
// request an hour a nanosecond does not matter, and the interval in
// nanoseconds would soon overflow a time.Duration.
func spacing(perSecond float64) rate.Limit {
	ns := math.Ceil(float64(time.Second) / perSecond)
	if ns > float64(time.Hour) {
		return rate.Limit(perSecond)
	}
	return rate.Every(time.Duration(ns) + time.Microsecond)
}

// wait reserves the next slot of l at now() and waits for it, or until ctx
// ends: then it cancels the reservation, which gives the slot to the next
// request, and returns ctx's error. It waits on a timer rather than with
// l.Wait, which fails at once, with an error of its own, when ctx's
// deadline comes before the slot.
func wait(ctx context.Context, l *rate.Limiter, now func() time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	t := now()
	// A burst of 1 always holds the one token asked for, so the
	// reservation is always OK.
	r := l.ReserveN(t, 1)
	d := r.DelayFrom(t)
	if d == 0 {
		return nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		r.CancelAt(now())
		return ctx.Err()
	}
}
