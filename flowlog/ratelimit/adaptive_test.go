package ratelimit

import (
	"context"
	"math"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cloudflowlog/flowlog-go/internal/window"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// clock is a manual clock for the tests of Observe, which never wait.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// steady observes successes of k spaced 1/rate apart, as a client that
// keeps the limiter busy sends them, up to and not including until.
func steady(a *Adaptive, c *clock, k Key, until time.Time) {
	for {
		next := c.now().Add(seconds(1 / a.Rate(k)))
		if !next.Before(until) {
			return
		}
		c.advance(next.Sub(c.now()))
		a.Observe(k, false)
	}
}

// state returns a copy of k's state.
func state(a *Adaptive, k Key) adaptiveKey {
	a.mu.Lock()
	defer a.mu.Unlock()
	return *a.keys[k]
}

func TestAdaptiveStartsAtTheMaximum(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a := NewAdaptive(20)
		assert.Equal(t, 20.0, a.Rate(keyA), "a key not seen yet")
		start := time.Now()
		at := admitted(t, a, keyA, 21)
		assert.Equal(t, start, at[0], "the first goes at once")
		assert.Equal(t, 20, window.Max(at, time.Second), "evenly spaced: no second holds more than the maximum")
		assert.GreaterOrEqual(t, at[20].Sub(start), time.Second, "so 21 take a second")
		for range 20 {
			a.Observe(keyA, false)
		}
		assert.Equal(t, 20.0, a.Rate(keyA), "successes never take it past the maximum")
	})
}

func TestAdaptiveFirstThrottle(t *testing.T) {
	c := newClock()
	a := newAdaptive(20, c.now)
	a.Observe(keyA, true)
	assert.InDelta(t, 14, a.Rate(keyA), 1e-9, "within the first bucket the measured rate is the maximum: 0.7 of it is left")
	assert.Equal(t, 20.0, a.Rate(keyB), "another action keeps its own rate")
	assert.Equal(t, 20.0, a.Rate(keyC), "so does another region")
}

func TestAdaptiveThrottleLeavesBetaOfTheRate(t *testing.T) {
	c := newClock()
	a := newAdaptive(20, c.now)
	// 10 per second for 3 seconds, as a key does whose requests sleep in
	// their backoff: the measured rate converges on 10, the rate stays 20.
	for range 30 {
		a.Observe(keyA, false)
		c.advance(100 * time.Millisecond)
	}
	a.Observe(keyA, true)
	s := state(a, keyA)
	assert.InDelta(t, 10, s.measured, 0.01)
	assert.InDelta(t, beta*20, a.Rate(keyA), 1e-9, "beta of the rate, not of the measured rate")
	assert.InDelta(t, 20, s.lastMax, 1e-9, "the rate the server refused")
	assert.Equal(t, 20.0, a.Rate(keyB))
}

func TestAdaptiveThrottlesOfOneBucketCountOnce(t *testing.T) {
	c := newClock()
	a := newAdaptive(20, c.now)
	// The refusals of one burst of concurrent requests come back together.
	for range 10 {
		a.Observe(keyA, true)
	}
	assert.InDelta(t, 14, a.Rate(keyA), 1e-9)
	c.advance(499 * time.Millisecond)
	a.Observe(keyA, true)
	assert.InDelta(t, 14, a.Rate(keyA), 1e-9, "within a bucket of the decrease: the old rate's")
	// Throttles that go on lower it bucket after bucket; they never raise it.
	c.advance(time.Millisecond)
	a.Observe(keyA, true)
	assert.InDelta(t, beta*14, a.Rate(keyA), 1e-9)
	c.advance(500 * time.Millisecond)
	a.Observe(keyA, true)
	assert.InDelta(t, beta*beta*14, a.Rate(keyA), 1e-9)
}

func TestAdaptiveRecoversToTheOldMaximumAtK(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		limit := rapid.Float64Range(2, 100).Draw(t, "max")
		sent := rapid.Float64Range(1, limit).Draw(t, "rate sent before the throttle")
		c := newClock()
		a := newAdaptive(limit, c.now)
		for range int(5 * sent) {
			a.Observe(keyA, false)
			c.advance(seconds(1 / sent))
		}
		before := a.Rate(keyA)
		a.Observe(keyA, true)
		s := state(a, keyA)
		throttleAt, lastMax := c.now(), s.lastMax
		require.InDelta(t, beta*before, a.Rate(keyA), 1e-9)
		require.InDelta(t, before, lastMax, 1e-9)
		k := math.Cbrt(lastMax * (1 - beta) / cubicC)

		// On the way up the rate climbs, and stays under the old maximum.
		end := throttleAt.Add(seconds(k))
		prev := a.Rate(keyA)
		for next := c.now().Add(seconds(1 / prev)); next.Before(end); next = c.now().Add(seconds(1 / prev)) {
			c.advance(next.Sub(c.now()))
			a.Observe(keyA, false)
			require.GreaterOrEqual(t, a.Rate(keyA), prev)
			require.LessOrEqual(t, a.Rate(keyA), lastMax*(1+1e-9))
			prev = a.Rate(keyA)
		}
		c.advance(end.Sub(c.now()))
		a.Observe(keyA, false)
		require.InDelta(t, math.Min(lastMax, limit), a.Rate(keyA), 1e-6*lastMax, "back to the old maximum at t = K")

		// Then past it, up to the limit, where it stays.
		full := end.Add(seconds(math.Cbrt((limit-lastMax)/cubicC)) + time.Millisecond)
		steady(a, c, keyA, full)
		c.advance(full.Sub(c.now()))
		a.Observe(keyA, false)
		require.Equal(t, limit, a.Rate(keyA))
		require.False(t, state(a, keyA).recovering)
	})
}

func TestAdaptiveIdleKeyStartsAgainAtFullRate(t *testing.T) {
	c := newClock()
	a := newAdaptive(20, c.now)
	a.Observe(keyA, true)
	c.advance(time.Second)
	a.Observe(keyA, false)
	assert.InDelta(t, 14, a.Rate(keyA), 1e-9,
		"a quiet second measures a low rate; the cap of twice it holds the climb back, but does not pull the rate down")
	c.advance(10 * time.Second)
	a.Observe(keyA, false)
	assert.Equal(t, 20.0, a.Rate(keyA), "the curve is past the maximum: the key is back where it started")
}

// The promises that hold whatever the sequence of outcomes and their times.
func TestAdaptiveProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		limit := rapid.Float64Range(0.1, 100).Draw(t, "max")
		floor := math.Min(minRate, limit)
		c := newClock()
		a := newAdaptive(limit, c.now)
		keys := []Key{keyA, keyB}
		lastDecrease := map[Key]time.Time{}
		for range rapid.IntRange(1, 300).Draw(t, "events") {
			c.advance(seconds(rapid.Float64Range(0, 3).Draw(t, "seconds since the last")))
			i := rapid.IntRange(0, 1).Draw(t, "key")
			k, other := keys[i], keys[1-i]
			throttled := rapid.Bool().Draw(t, "throttled")
			before, otherBefore := a.Rate(k), a.Rate(other)

			a.Observe(k, throttled)
			r := a.Rate(k)
			if r < floor || r > limit {
				t.Fatalf("rate %v outside [%v, %v]", r, floor, limit)
			}
			if a.Rate(other) != otherBefore {
				t.Fatalf("the other key's rate went from %v to %v", otherBefore, a.Rate(other))
			}
			if !throttled {
				if r < before {
					t.Fatalf("a success lowered the rate from %v to %v", before, r)
				}
				continue
			}
			if at, ok := lastDecrease[k]; ok && c.now().Sub(at) < seconds(bucket) {
				if r != before {
					t.Fatalf("a throttle within a bucket of the last decrease changed the rate from %v to %v", before, r)
				}
				continue
			}
			if want := math.Max(beta*before, floor); r != want {
				t.Fatalf("after a throttle the rate is %v, want beta times %v, at least %v", r, before, floor)
			}
			lastDecrease[k] = c.now()
		}
	})
}

func TestAdaptiveMaximumUnderTheFloor(t *testing.T) {
	c := newClock()
	a := newAdaptive(0.2, c.now)
	a.Observe(keyA, true)
	assert.Equal(t, 0.2, a.Rate(keyA), "the floor is the maximum")
}

func TestAdaptiveWaitFollowsTheRate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a := NewAdaptive(20)
		require.NoError(t, a.Wait(context.Background(), keyA))
		require.NoError(t, a.Wait(context.Background(), keyB))
		a.Observe(keyA, true)
		start := time.Now()
		require.NoError(t, a.Wait(context.Background(), keyA))
		assert.InDelta(t, float64(time.Second/14+time.Microsecond), float64(time.Since(start)), 2,
			"throttled: 14 per second")
		start = time.Now()
		require.NoError(t, a.Wait(context.Background(), keyB))
		assert.Zero(t, time.Since(start), "the other key's slot was free long ago")
		require.NoError(t, a.Wait(context.Background(), keyB))
		assert.Equal(t, time.Second/20+time.Microsecond, time.Since(start), "and it keeps 20 per second")
	})
}

func TestAdaptiveWaitHonoursTheContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a := NewAdaptive(10) // a slot every 100ms
		start := time.Now()
		require.NoError(t, a.Wait(context.Background(), keyA))

		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(30*time.Millisecond, cancel)
		assert.ErrorIs(t, a.Wait(ctx, keyA), context.Canceled)
		assert.Equal(t, 30*time.Millisecond, time.Since(start), "returns when the context ends")
		assert.ErrorIs(t, a.Wait(ctx, keyA), context.Canceled, "an ended context is not queued")
		assert.Equal(t, 30*time.Millisecond, time.Since(start))

		require.NoError(t, a.Wait(context.Background(), keyA))
		assert.Less(t, time.Since(start), 101*time.Millisecond, "the canceled wait gave its slot back")
	})
}

func TestAdaptiveWithoutLimit(t *testing.T) {
	for _, limit := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		synctest.Test(t, func(t *testing.T) {
			a := NewAdaptive(limit)
			start := time.Now()
			admitted(t, a, keyA, 100)
			a.Observe(keyA, true)
			admitted(t, a, keyA, 100)
			assert.Equal(t, start, time.Now(), "%v: no wait, even after a throttle", limit)
			assert.True(t, math.IsInf(a.Rate(keyA), 1))
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			assert.ErrorIs(t, a.Wait(ctx, keyA), context.Canceled)
		})
	}
}
