package backoff

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

const draws = 2000

func TestExponentialBounds(t *testing.T) {
	cases := []struct{ min, max time.Duration }{
		{2 * time.Second, 15 * time.Second},
		{time.Millisecond, time.Second},
		{500 * time.Millisecond, 7 * time.Second},
		{time.Nanosecond, time.Hour},
		{time.Second, time.Second},
	}
	for _, c := range cases {
		for attempt := 0; attempt < 70; attempt++ {
			for range draws / 20 {
				d := Exponential(attempt, c.min, c.max)
				if d < c.min || d > c.max {
					t.Fatalf("Exponential(%d, %v, %v) = %v, outside [min, max]", attempt, c.min, c.max, d)
				}
			}
		}
	}
}

func TestExponentialFirstAttemptIsMin(t *testing.T) {
	for range draws {
		assert.Equal(t, 2*time.Second, Exponential(0, 2*time.Second, 15*time.Second))
	}
}

// drawRange returns the smallest and the largest of n draws.
func drawRange(n, attempt int, min, max time.Duration) (lo, hi time.Duration) {
	lo = time.Duration(math.MaxInt64)
	for range n {
		d := Exponential(attempt, min, max)
		lo, hi = minDur(lo, d), maxDur(hi, d)
	}
	return lo, hi
}

func minDur(a, b time.Duration) time.Duration {
	if a < b {
		return a
	}
	return b
}

func maxDur(a, b time.Duration) time.Duration {
	if a > b {
		return a
	}
	return b
}

func TestExponentialGrowth(t *testing.T) {
	const min, max = time.Second, time.Hour
	for attempt := 1; attempt <= 10; attempt++ {
		ceiling := min << attempt
		lo, hi := drawRange(draws, attempt, min, max)
		assert.GreaterOrEqual(t, lo, min, "attempt %d", attempt)
		assert.LessOrEqual(t, hi, ceiling, "attempt %d: at most min·2^attempt", attempt)
		// The draws spread over the range: the largest of 2000 uniform
		// draws falls in the top half of [min, ceiling] except with
		// probability 2^-2000.
		assert.Greater(t, hi, min+(ceiling-min)/2, "attempt %d: the range grew", attempt)
	}
}

func TestExponentialCap(t *testing.T) {
	const min, max = 2 * time.Second, 15 * time.Second
	for _, attempt := range []int{3, 4, 10, 30, 61, 62, 63, 64, 100, 1000, math.MaxInt} {
		lo, hi := drawRange(draws, attempt, min, max)
		assert.GreaterOrEqual(t, lo, min, "attempt %d", attempt)
		assert.LessOrEqual(t, hi, max, "attempt %d", attempt)
		assert.Greater(t, hi, max-(max-min)/8, "attempt %d: the cap, not a smaller range", attempt)
	}
}

func TestExponentialLargeAttemptsDoNotOverflow(t *testing.T) {
	// min·2^attempt overflows int64 for these; the range must stay [min, max]
	// rather than wrap to a small or negative value.
	cases := []struct {
		attempt  int
		min, max time.Duration
	}{
		// (2^54+1)·2^10 wraps to exactly 1024ns: the old code then used
		// min as the whole range.
		{10, 1<<54 + 1, 1 << 60},
		{33, 2 * time.Second, math.MaxInt64},
		{36, 2 * time.Second, math.MaxInt64},
		{62, 3, math.MaxInt64},
		{63, time.Nanosecond, math.MaxInt64},
		{64, time.Nanosecond, math.MaxInt64},
	}
	for _, c := range cases {
		lo, hi := drawRange(draws, c.attempt, c.min, c.max)
		assert.GreaterOrEqual(t, lo, c.min, "attempt %d", c.attempt)
		assert.LessOrEqual(t, hi, c.max, "attempt %d", c.attempt)
		assert.Greater(t, hi, c.min+(c.max-c.min)/2, "attempt %d, min %v: capped at max", c.attempt, c.min)
	}
	// The largest shift that does not overflow is used as is.
	lo, hi := drawRange(draws, 62, time.Nanosecond, math.MaxInt64)
	assert.GreaterOrEqual(t, lo, time.Nanosecond)
	assert.LessOrEqual(t, hi, time.Duration(1)<<62)
	assert.Greater(t, hi, time.Duration(1)<<61)
}

func TestExponentialDegenerateArguments(t *testing.T) {
	// A non-positive min becomes 1ms; max below min becomes min.
	assert.Equal(t, time.Millisecond, Exponential(0, 0, 0))
	assert.Equal(t, time.Millisecond, Exponential(5, -time.Second, 0))
	assert.Equal(t, 3*time.Second, Exponential(10, 3*time.Second, time.Second))
	// A negative attempt is the first attempt.
	assert.Equal(t, time.Second, Exponential(-1, time.Second, time.Minute))
	assert.Equal(t, time.Second, Exponential(math.MinInt, time.Second, time.Minute))
	for range draws {
		d := Exponential(3, 0, 5*time.Millisecond)
		assert.True(t, d >= time.Millisecond && d <= 5*time.Millisecond, d)
	}
}

func TestClamp(t *testing.T) {
	const s = time.Second
	tests := []struct {
		name                  string
		delay, remaining, min time.Duration
		want                  time.Duration
	}{
		{"no deadline", 10 * s, 0, 2 * s, 10 * s},
		{"deadline passed", 10 * s, -s, 2 * s, 10 * s},
		{"plenty of time", 5 * s, 60 * s, 2 * s, 5 * s},
		{"exactly enough", 8 * s, 10 * s, 2 * s, 8 * s},
		{"just too long", 8*s + 1, 10 * s, 2 * s, 8 * s},
		{"past the deadline", 15 * s, 10 * s, 2 * s, 8 * s},
		{"short remaining, short delay", 1 * s, 3 * s, 2 * s, 1 * s},
		{"room for one last poll", 5 * s, 3 * s, 2 * s, 1 * s},
		{"a nanosecond of room", 5 * s, 2*s + 1, 2 * s, 1},
		// No room for another attempt: wait out the deadline, never 0
		// (which made the poller spin).
		{"remaining equals min", 5 * s, 2 * s, 2 * s, 2 * s},
		{"remaining below min", 5 * s, s, 2 * s, s},
		{"remaining below min, short delay", 100 * time.Millisecond, s, 2 * s, s},
		{"zero min", 15 * s, 10 * s, 0, 10 * s},
		{"negative min", 15 * s, 10 * s, -s, 10 * s},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Clamp(tt.delay, tt.remaining, tt.min)
			assert.Equal(t, tt.want, got)
			if tt.remaining > 0 {
				assert.Positive(t, got, "a clamped delay is never zero")
				assert.LessOrEqual(t, got, tt.remaining)
			}
			if tt.remaining > tt.min {
				assert.LessOrEqual(t, got, tt.delay, "Clamp only shortens while there is room")
				assert.GreaterOrEqual(t, tt.remaining-got, max(tt.min, 0), "min is left for the attempt")
			}
		})
	}
}

func TestJitteredSharesTheFraction(t *testing.T) {
	const min, max = time.Second, 10 * time.Second
	assert.Equal(t, min, Jittered(3, min, max, 0))
	assert.Equal(t, 8*time.Second, Jittered(3, min, max, 1), "attempt 3: d = 8s")
	assert.Equal(t, max, Jittered(10, min, max, 1), "capped")
	assert.Equal(t, min+(7*time.Second)/2, Jittered(3, min, max, 0.5))
	assert.Equal(t, Jittered(2, min, max, 0.3), Jittered(2, min, max, 0.3), "same attempt, same fraction, same delay")
	assert.Equal(t, max, Jittered(10, min, max, 7), "fractions are clamped to [0, 1]")
	assert.Equal(t, min, Jittered(10, min, max, -1))
}
