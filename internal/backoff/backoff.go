// Package backoff computes jittered delays between attempts. The functions are
// pure apart from the random source, so the poller and the retry loop share
// them and tests can check their bounds.
package backoff

import (
	"math"
	"math/rand/v2"
	"time"
)

// Exponential returns the delay before the next attempt, after attempt
// earlier ones (attempt starts at 0): a uniform pick in [min, d] where
// d = min·2^attempt capped at max. Keeping min as the floor (rather than full
// jitter from zero) suits polling, where an early poll is only waste.
func Exponential(attempt int, min, max time.Duration) time.Duration {
	return Jittered(attempt, min, max, rand.Float64())
}

// Jittered is Exponential with the random pick given as frac in [0, 1]:
// min + frac·(d - min). Callers that schedule many waits at once share one
// frac, so waits at the same attempt stay together and can share a call.
func Jittered(attempt int, min, max time.Duration, frac float64) time.Duration {
	if min <= 0 {
		min = time.Millisecond
	}
	if max < min {
		max = min
	}
	if attempt < 0 {
		attempt = 0
	}
	d := max
	// min<<attempt <= max, tested without the shift overflowing.
	if attempt < 63 && min <= max>>uint(attempt) {
		d = min << uint(attempt)
	}
	if d <= min {
		return min
	}
	frac = math.Min(math.Max(frac, 0), 1)
	return min + time.Duration(frac*float64(d-min))
}

// Clamp shortens delay so that the attempt after it still happens before a
// deadline that is remaining away, leaving min for that attempt to run; this
// way the last poll lands just before the deadline instead of never. When
// remaining is min or less there is no room for another attempt, and Clamp
// returns remaining: wait out the deadline rather than retry at once. A
// remaining of zero or less means no deadline.
func Clamp(delay, remaining, min time.Duration) time.Duration {
	if remaining <= 0 {
		return delay
	}
	if min < 0 {
		min = 0
	}
	if remaining <= min {
		return remaining
	}
	if remaining-delay <= min {
		delay = remaining - min
	}
	return delay
}
