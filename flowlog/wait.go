package flowlog

import (
	"context"
	"errors"
	"time"

	"github.com/cloudflowlog/flowlog-go/internal/backoff"
)

// WaitOption tunes one wait (or, through WithWaitDefaults, every wait).
type WaitOption func(*waitConfig)

type waitConfig struct {
	minDelay, maxDelay time.Duration
	maxWait            time.Duration
	notFoundGrace      time.Duration
	onStatus           func(*FlowLog)
}

func defaultWaitConfig() waitConfig {
	return waitConfig{
		minDelay:      2 * time.Second,
		maxDelay:      15 * time.Second,
		maxWait:       10 * time.Minute,
		notFoundGrace: 30 * time.Second,
	}
}

// PollDelay sets the smallest and largest delay between two polls. Delays
// grow exponentially from min to max, with jitter. Defaults: 2s and 15s.
func PollDelay(min, max time.Duration) WaitOption {
	return func(c *waitConfig) {
		if min > 0 {
			c.minDelay = min
		}
		if max >= c.minDelay {
			c.maxDelay = max
		} else {
			c.maxDelay = c.minDelay
		}
	}
}

// MaxWait bounds a wait even when the context has no deadline (default 10
// minutes). Zero means only the context bounds it.
func MaxWait(d time.Duration) WaitOption {
	return func(c *waitConfig) { c.maxWait = d }
}

// NotFoundGrace is how long a flow log may be missing from describe results
// before the wait fails with ErrNotFound (default 30s). Providers list a new
// flow log with a short delay; this keeps that from failing a wait.
func NotFoundGrace(d time.Duration) WaitOption {
	return func(c *waitConfig) { c.notFoundGrace = d }
}

// OnStatus calls fn each time a poll sees the flow log in a new state (neutral
// or raw), so a program can show progress. fn must not block.
func OnStatus(fn func(*FlowLog)) WaitOption {
	return func(c *waitConfig) { c.onStatus = fn }
}

// waiter is the seam between Client and the polling mechanism.
type waiter interface {
	wait(ctx context.Context, region, id string, want Status, cfg waitConfig) (*FlowLog, error)
}

// pollLoop polls one flow log in its own loop.
type pollLoop struct{ p Provider }

func (w *pollLoop) wait(ctx context.Context, region, id string, want Status, cfg waitConfig) (*FlowLog, error) {
	start := time.Now()
	if cfg.maxWait > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.maxWait)
		defer cancel()
	}
	we := &WaitError{Provider: w.p.Name(), Region: region, ID: id, Want: want}
	fail := func(cause error) error {
		we.Cause = cause
		we.Elapsed = time.Since(start)
		return we
	}
	var timer *time.Timer
	for attempt := 0; ; attempt++ {
		fls, err := w.p.Describe(ctx, region, []string{id})
		we.Polls++
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return nil, fail(ctxErr)
			}
			we.LastErr = err
			if !transient(err) {
				return nil, fail(nil)
			}
		} else {
			fl := find(fls, id)
			switch {
			case fl == nil && want == StatusDeleted:
				return nil, nil
			case fl == nil:
				if time.Since(start) >= cfg.notFoundGrace {
					return nil, fail(&Error{Code: CodeNotFound, Provider: w.p.Name(), Op: "Wait", ID: id,
						Message: "flow log not found in region " + region})
				}
			default:
				if fl.Status != we.Last || fl.RawStatus != we.LastRaw {
					if cfg.onStatus != nil {
						cfg.onStatus(fl)
					}
				}
				we.Last, we.LastRaw, we.Reason = fl.Status, fl.RawStatus, fl.StatusReason
				if fl.Status == want {
					return fl, nil
				}
				if fl.Status.Terminal() {
					return nil, fail(nil)
				}
			}
		}
		delay := backoff.Exponential(attempt, cfg.minDelay, cfg.maxDelay)
		if dl, ok := ctx.Deadline(); ok {
			remaining := time.Until(dl)
			delay = backoff.Clamp(delay, remaining, cfg.minDelay)
			if delay >= remaining {
				// No room for another poll before the deadline: wait it
				// out instead of polling again at (or past) the deadline.
				<-ctx.Done()
				return nil, fail(ctx.Err())
			}
		}
		if timer == nil {
			timer = time.NewTimer(delay)
			defer timer.Stop()
		} else {
			timer.Reset(delay)
		}
		select {
		case <-ctx.Done():
			return nil, fail(ctx.Err())
		case <-timer.C:
		}
	}
}

// transient reports whether polling again may succeed after err.
func transient(err error) bool {
	switch ErrorCode(err) {
	case CodeThrottled, CodeUnavailable, CodeUnknown:
		return !errors.Is(err, context.Canceled)
	}
	return false
}

func find(fls []*FlowLog, id string) *FlowLog {
	for _, fl := range fls {
		if fl != nil && fl.ID == id {
			return fl
		}
	}
	return nil
}
