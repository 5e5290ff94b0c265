package flowlog

import (
	"context"
	"errors"
	"time"

	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
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
// or raw), so a program can show progress. fn gets a copy of its own and
// must not block. If fn panics, the wait ends and the panic is raised again
// in the goroutine that called Wait (or ranges over WaitAll); other waits go
// on.
func OnStatus(fn func(*FlowLog)) WaitOption {
	return func(c *waitConfig) { c.onStatus = fn }
}

// transient reports whether polling again may succeed after err. It reads
// the adapter's retry class, as the client's retries do, so both agree on
// what is worth repeating: a poll is a read, so anything but RetryNever is.
func transient(err error) bool {
	return retryClass(err) != driver.RetryNever && !errors.Is(err, context.Canceled)
}

func find(fls []*FlowLog, id string) *FlowLog {
	for _, fl := range fls {
		if fl != nil && fl.ID == id {
			return fl
		}
	}
	return nil
}

// WaitResult is the outcome of one wait of Client.WaitAll.
type WaitResult struct {
	ID      string
	FlowLog *FlowLog // nil unless the wait succeeded; each wait has its own copy
	Err     error    // a *WaitError, or ErrClosed

	// panicked holds what an OnStatus callback of this wait panicked with;
	// the goroutine that receives the result panics with it again.
	panicked any
}

// rethrow re-raises, in the goroutine that waited, a panic of the wait's
// OnStatus callback: the callback is the caller's code, and its panic must
// neither kill the poller that serves every other wait nor be swallowed.
func (r WaitResult) rethrow() {
	if r.panicked != nil {
		panic(r.panicked)
	}
}
