// Package limittest holds what tests of the rate-limiting seam share: a
// limiter that records what it is asked and told.
package limittest

import (
	"context"
	"slices"
	"sync"

	"github.com/cloudflowlog/flowlog-go/flowlog/ratelimit"
)

// Recorder is a ratelimit.Limiter and Observer that admits every request at
// once, or fails it with Err, and records what it is asked and told.
type Recorder struct {
	Err error

	mu       sync.Mutex
	waits    []ratelimit.Key
	observed []Observation
}

// Observation is one call of Observe.
type Observation struct {
	Key       ratelimit.Key
	Throttled bool
}

// Wait records k and returns Err.
func (l *Recorder) Wait(_ context.Context, k ratelimit.Key) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.waits = append(l.waits, k)
	return l.Err
}

// Observe records k and throttled.
func (l *Recorder) Observe(k ratelimit.Key, throttled bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.observed = append(l.observed, Observation{k, throttled})
}

// Asked returns the keys Wait was asked for, in order.
func (l *Recorder) Asked() []ratelimit.Key {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.waits)
}

// Told returns what Observe was told, in order.
func (l *Recorder) Told() []Observation {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.observed)
}

// Record returns what the limiter was asked and told since the last call
// of Record, and forgets it.
func (l *Recorder) Record() ([]ratelimit.Key, []Observation) {
	l.mu.Lock()
	defer l.mu.Unlock()
	waits, observed := l.waits, l.observed
	l.waits, l.observed = nil, nil
	return waits, observed
}
