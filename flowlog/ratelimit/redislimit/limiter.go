package redislimit

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"time"

	"github.com/go-redis/redis_rate/v10"

	"github.com/cloudflowlog/flowlog-go/flowlog/ratelimit"
)

// Limiter is a ratelimit.Limiter whose budgets live in Redis, shared by
// every Limiter on the same Redis and namespace. It is safe for concurrent
// use.
type Limiter struct {
	rl       *redis_rate.Limiter
	limit    redis_rate.Limit
	prefix   string
	ns       string
	timeout  time.Duration
	fallback ratelimit.Limiter
	h        *health
}

var _ ratelimit.Limiter = (*Limiter)(nil)

// New returns a Limiter that lets at most perSecond requests of each Key
// start per second, counted in Redis across every Limiter with the same
// Redis and namespace (see WithNamespace). Requests are spaced evenly, with
// no burst: no one-second window holds more than perSecond of them.
//
// New does not contact Redis; the first Wait does. It panics unless
// perSecond is positive and finite, like time.NewTicker on a bad period:
// the rate is the program's constant, not input.
func New(rdb Client, perSecond float64, opts ...Option) *Limiter {
	if !(perSecond > 0) || math.IsInf(perSecond, 0) {
		panic(fmt.Sprintf("redislimit: New: rate %v per second is not positive and finite", perSecond))
	}
	c := newConfig(opts)
	fb := c.fallback
	if fb == nil {
		fb = ratelimit.NewLocal(perSecond)
	}
	return &Limiter{
		rl:       redis_rate.NewLimiter(rdb),
		limit:    redis_rate.Limit{Rate: 1, Burst: 1, Period: interval(perSecond)},
		prefix:   c.prefix(),
		ns:       c.namespace,
		timeout:  c.timeout,
		fallback: fb,
		h:        c.health("rate limiter"),
	}
}

// interval is the least time between two requests of one key at perSecond.
//
// redis_rate's Limit has an integer Rate per Period; its script spaces
// requests Period/Rate apart. Rate 1 with Period = 1/perSecond keeps any
// float rate (0.5/s is one request per 2 s, 20/s one per 50 ms) to the
// nanosecond, where an integer Rate per second would turn 0.5 into 0.
// Rounding up, and one microsecond more, keeps "at most perSecond in any
// second" true despite the script's float arithmetic on the server's
// clock (its times, seconds since 2017 as doubles, are exact to about
// 0.1 µs). Burst is 1 so that the first requests after a pause are spaced
// too; a larger burst would let perSecond+Burst-1 start in one second.
func interval(perSecond float64) time.Duration {
	ns := math.Ceil(float64(time.Second) / perSecond)
	if ns >= math.MaxInt64-float64(time.Microsecond) {
		return math.MaxInt64
	}
	return time.Duration(ns) + time.Microsecond
}

// Wait blocks until one request of k may start, and returns nil, or until
// ctx ends, and returns ctx's error.
//
// It asks Redis for a slot; when denied, it sleeps for the RetryAfter that
// Redis computed and asks again. While Redis fails (an error or no answer
// within the per-call timeout), it waits on the fallback limiter instead;
// see the package documentation.
func (l *Limiter) Wait(ctx context.Context, k ratelimit.Key) error {
	// redis_rate stores the key under its own "rate:" prefix.
	key := l.prefix + k.String()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		r := l.h.route()
		if r == viaFallback {
			return l.fallback.Wait(ctx, k)
		}
		sent := time.Now()
		res, err := call(ctx, l.timeout, func(ctx context.Context) (*redis_rate.Result, error) {
			return l.rl.Allow(ctx, key, l.limit)
		})
		rtt := time.Since(sent)
		if err != nil {
			if ctx.Err() != nil {
				l.h.abandoned(r)
				return ctx.Err()
			}
			l.h.failed(ctx, r, fmt.Errorf("redislimit: rate limit %q: %w", rateKeyPrefix+key, err), l.attrs(k, key))
			return l.fallback.Wait(ctx, k)
		}
		l.h.answered(ctx, r, l.attrs(k, key))
		if res.Allowed > 0 {
			return nil
		}
		// RetryAfter is the time from Redis's answer to the next slot, and
		// the slot goes to whoever asks first at or after it: time between
		// the slot and the ask is lost, since GCRA with burst 1 counts the
		// next slot from the ask. The answer took part of the round trip to
		// get here and the next ask takes the rest to get there, so
		// sleeping one round trip less asks at the slot; an ask that comes
		// early only costs a denial and another ask. (Sleeping the plain
		// RetryAfter, the replica test reached 91-96% of the rate; this
		// way, 97-99%.) Other replicas may take the slot first, hence the
		// loop. The floor keeps a rounding to zero from spinning on Redis.
		if err := sleep(ctx, max(res.RetryAfter-rtt, 100*time.Microsecond)); err != nil {
			return err
		}
	}
}

func (l *Limiter) attrs(k ratelimit.Key, key string) func() []slog.Attr {
	return func() []slog.Attr {
		return []slog.Attr{
			slog.String("namespace", l.ns),
			slog.String("key", k.String()),
			slog.String("redis_key", rateKeyPrefix+key),
		}
	}
}

// rateKeyPrefix is the prefix redis_rate puts before the keys it is given
// (its unexported redisPrefix), for records that name the real key.
const rateKeyPrefix = "rate:"

// sleep waits for d or until ctx ends, and returns ctx's error then.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
