package ratelimit

import (
	"context"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// The constants of Adaptive, those of aws-sdk-go-v2's adaptive retry mode.
const (
	// beta is the share of its rate that a throttle leaves a key.
	beta = 0.7
	// cubicC scales the cubic curve on which the rate grows back, in
	// requests per second per second cubed.
	cubicC = 0.4
	// minRate is the lowest rate, in requests per second.
	minRate = 0.5
	// bucket is how long one measurement of the send rate lasts, in
	// seconds.
	bucket = 0.5
	// smooth is the weight of the newest measurement in the measured send
	// rate; the ones before keep 1-smooth.
	smooth = 0.8
	// headroom caps the rate, while it grows back, at this many times the
	// measured send rate.
	headroom = 2
)

// Adaptive is a Limiter and Observer that slows the requests of a Key down
// when the server throttles them and speeds them up again afterwards,
// between 0.5 requests per second and its maximum. Each Key adapts on its
// own: the throttles of one never slow another.
//
// It adapts after CUBIC congestion control, as the adaptive retry mode of
// aws-sdk-go-v2 applies it to request rates:
//
//   - Each Key's send rate is measured in buckets of 0.5 s, every observed
//     request counting one: when a bucket ends, measured = 0.8·(requests /
//     seconds since the last bucket ended) + 0.2·measured.
//   - A throttle sets the rate to beta = 0.7 times the rate it had, and
//     keeps that rate as lastMax, with the time t₀ of the throttle. The
//     throttles that come within one bucket of a decrease do not lower the
//     rate again: they answer requests sent at the old rate.
//   - Each success then moves the rate up the curve C·(t − t₀ − K)³ +
//     lastMax, with C = 0.4 and K = ∛(lastMax·(1 − beta)/C): it climbs
//     fast at first and flattens as it nears lastMax, which it reaches at
//     t = t₀ + K, then climbs faster again. While it climbs it is capped at
//     twice the measured rate, so that it does not run ahead of what the
//     key really sends.
//   - The rate never falls under 0.5 per second (under the maximum, if
//     that is lower) and never exceeds the maximum.
//
// Where it differs from aws-sdk-go-v2, and why:
//
//   - It starts at the maximum, with requests spaced evenly (a burst of 1,
//     see NewLocal), rather than unlimited until the first throttle: the
//     providers document their limits (Tencent's 20 per second of each
//     action), and keeping under them from the first request avoids most
//     throttles in the first place.
//   - It never exceeds the maximum. Once the curve reaches it, the key is
//     back where it started and the cap of twice the measured rate no
//     longer applies, so a key that was idle since its throttle starts
//     again at full rate.
//   - A throttle takes beta of the key's rate, where aws-sdk-go-v2 takes
//     beta of the lower of the rate and the measured send rate. Behind a
//     client that retries, a throttled request sleeps in its backoff: when
//     most of a key's requests were refused, the measured rate dips far
//     under what the key may send, and beta of it drops the rate to the
//     floor, from where the curve takes seconds to climb. Three replicas
//     sharing Tencent's 20 per second lost about a quarter of the limit
//     that way (BenchmarkReplicas in internal/fleetbench).
//   - One decrease per bucket: the refusals of one burst of concurrent
//     requests, which come back together, lower the rate once, not once
//     each; throttles that go on lower it bucket after bucket. And the cap
//     of twice the measured rate only holds the climb back: it does not pull
//     the rate down after a quiet spell, as it does there.
//
// Requests of a Key that Wait never saw may be observed too; their Key
// starts at the maximum. The limiter keeps one small state per Key for its
// lifetime: keys are few (regions times actions).
type Adaptive struct {
	max, min float64 // max 0: no limit
	now      func() time.Time
	epoch    time.Time // times are seconds since epoch, as floats

	mu   sync.Mutex
	keys map[Key]*adaptiveKey
}

var (
	_ Limiter  = (*Adaptive)(nil)
	_ Observer = (*Adaptive)(nil)
)

// adaptiveKey is the state of one Key; Adaptive.mu guards it.
type adaptiveKey struct {
	lim  *rate.Limiter // at rate, burst 1
	rate float64

	// The measured send rate: requests observed in the bucket that began
	// at bucketStart, and the smoothed rate of the buckets before.
	bucketStart float64
	count       float64
	measured    float64

	// Since the last throttle, until the curve reaches the maximum.
	recovering bool
	lastMax    float64
	throttleAt float64
	k          float64 // K of the curve
}

// NewAdaptive returns an Adaptive limiter that starts every Key at
// maxPerSecond, such as a provider's documented limit, and never exceeds
// it. maxPerSecond <= 0, NaN or +Inf means no limit: Wait then only
// reports whether ctx has ended, and Observe does nothing.
//
// Wait behaves as NewLocal's does: it returns nil when the request's slot
// comes, or ctx's error when ctx ends first (not sooner), and a wait that
// ends with ctx gives its slot back.
func NewAdaptive(maxPerSecond float64) *Adaptive { return newAdaptive(maxPerSecond, time.Now) }

// newAdaptive is NewAdaptive with the clock as a parameter, for tests.
func newAdaptive(maxPerSecond float64, now func() time.Time) *Adaptive {
	a := &Adaptive{now: now, epoch: now(), keys: map[Key]*adaptiveKey{}}
	if limited(maxPerSecond) {
		a.max, a.min = maxPerSecond, math.Min(minRate, maxPerSecond)
	}
	return a
}

// Wait blocks until one request of k may start, or until ctx ends.
func (a *Adaptive) Wait(ctx context.Context, k Key) error {
	if a.max == 0 {
		return ctx.Err()
	}
	a.mu.Lock()
	lim := a.key(k, a.seconds(a.now())).lim
	a.mu.Unlock()
	return wait(ctx, lim, a.now)
}

// Observe adapts k's rate to the outcome of one of its requests: whether
// the server refused it as throttled.
func (a *Adaptive) Observe(k Key, throttled bool) {
	if a.max == 0 {
		return
	}
	now := a.now()
	t := a.seconds(now)
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.key(k, t)
	s.measure(t)
	r := s.rate
	switch {
	case throttled && s.recovering && t-s.throttleAt < bucket:
		// The throttles of requests let through before the last decrease
		// say nothing about the new rate: one decrease per bucket.
	case throttled:
		r = beta * s.rate
		s.recovering, s.lastMax, s.throttleAt = true, s.rate, t
		s.k = math.Cbrt(s.lastMax * (1 - beta) / cubicC)
	case s.recovering:
		d := t - s.throttleAt - s.k
		curve := cubicC*d*d*d + s.lastMax
		if curve >= a.max {
			s.recovering = false
			r = a.max
		} else {
			r = math.Max(s.rate, math.Min(curve, headroom*s.measured))
		}
	}
	r = math.Min(math.Max(r, a.min), a.max)
	if r != s.rate {
		s.rate = r
		s.lim.SetLimitAt(now, spacing(r))
	}
}

// Rate returns the rate, in requests per second, at which requests of k
// may start now: the maximum for a Key the limiter has not seen, +Inf when
// it does not limit.
func (a *Adaptive) Rate(k Key) float64 {
	if a.max == 0 {
		return math.Inf(1)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if s, ok := a.keys[k]; ok {
		return s.rate
	}
	return a.max
}

func (a *Adaptive) seconds(t time.Time) float64 { return t.Sub(a.epoch).Seconds() }

// key returns the state of k, made at time t if it has none. a.mu must be
// held.
func (a *Adaptive) key(k Key, t float64) *adaptiveKey {
	s, ok := a.keys[k]
	if !ok {
		s = &adaptiveKey{lim: rate.NewLimiter(spacing(a.max), 1), rate: a.max,
			bucketStart: math.Floor(t/bucket) * bucket, measured: a.max}
		a.keys[k] = s
	}
	return s
}

// measure counts one request observed at t, first closing the bucket it
// was counted in if t is past it.
func (s *adaptiveKey) measure(t float64) {
	if b := math.Floor(t/bucket) * bucket; b > s.bucketStart {
		s.measured = smooth*s.count/(b-s.bucketStart) + (1-smooth)*s.measured
		s.bucketStart, s.count = b, 0
	}
	s.count++
}
