package flowlogtest

import (
	"math/rand/v2"
	"time"
)

// WithActivationJitter spreads transitions out: each transitional state of
// an Alibaba flow log (VPC or CEN) settles after the activation delay plus a
// random extra time in [0, d). The draws come from a fixed seed, so a run
// that makes the same requests in the same order sees the same times.
// Benchmarks of many waits use it to make flow logs activate at random
// times.
func WithActivationJitter(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.activationJitter = d
			c.jitter = rand.New(rand.NewPCG(1, 2))
		}
	}
}

// settleDelay is how long the next transitional state lasts. The caller
// holds s.mu, which also guards the jitter source.
func (a *alibaba) settleDelay() time.Duration {
	d := a.cfg.activationDelay
	if a.cfg.jitter != nil {
		d += time.Duration(a.cfg.jitter.Int64N(int64(a.cfg.activationJitter)))
	}
	return d
}
