package flowlog

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/flowlog/ratelimit"
)

// Retries happen here, around whole adapter calls, so every attempt is
// signed afresh by the SDK: a resent signed request would hit Alibaba's
// nonce check and could duplicate a Tencent create. Adapters classify each
// failure (Error.Retry); this file decides what to do about it.
//
// The policy, in order:
//   - RetryNever ends the call.
//   - RetryAmbiguous (the request may have been applied) is repeated only
//     when repeating is harmless: reads, deletes, creates that carry a
//     client token, and creates after a lookup has shown that the first
//     attempt made nothing.
//   - RetryClockSkew is repeated once.
//   - Every retry costs tokens from the client's retry budget (its own, or
//     one shared with other clients: SharedRetryBudget), and the loop stops
//     after the maximum number of attempts.
//   - The wait before a retry is full-jitter exponential backoff, capped,
//     and at least the server's Retry-After when it sends one (within the
//     cap). After a throttle it starts from a larger base, is at least
//     half its ceiling ("equal jitter"), since a retry that came straight
//     back would land in the second that refused it, and its ceiling stops
//     doubling at four times that base: the limiter sets the rate, and the
//     wait only has to move the retry out of the refusing second. Longer
//     waits left a bulk call's last creates asleep while the limit went
//     unused (BenchmarkReplicas in internal/fleetbench). Every wait
//     honours the context.

// RetryOption tunes the client's retries; pass them to WithRetry.
type RetryOption func(*retryConfig)

type retryConfig struct {
	maxAttempts  int
	base         time.Duration // first backoff after a transient error
	throttleBase time.Duration // first backoff after a throttle
	maxDelay     time.Duration
	budget       int              // tokens; 0 disables the budget
	shared       ratelimit.Budget // when set, the budget in place of a budget of its own
}

func defaultRetryConfig() retryConfig {
	return retryConfig{
		maxAttempts:  5,
		base:         100 * time.Millisecond,
		throttleBase: time.Second,
		maxDelay:     20 * time.Second,
		budget:       500,
	}
}

// WithRetry tunes the client's retries.
func WithRetry(opts ...RetryOption) Option {
	return func(c *Client) {
		for _, o := range opts {
			o(&c.retry)
		}
	}
}

// MaxAttempts sets how many times one call is attempted in all (default 5;
// 1 disables retries).
func MaxAttempts(n int) RetryOption {
	return func(r *retryConfig) { r.maxAttempts = max(n, 1) }
}

// RetryDelays sets the first backoff after a transient error and after a
// throttle, and the cap of every backoff (defaults 100ms, 1s and 20s). The
// backoff after a throttle doubles up to four times throttleBase, not to
// the cap.
func RetryDelays(base, throttleBase, maxDelay time.Duration) RetryOption {
	return func(r *retryConfig) {
		r.base, r.throttleBase, r.maxDelay = base, throttleBase, max(maxDelay, base, throttleBase)
	}
}

// RetryBudget sets the size of the client's retry budget (default 500
// tokens; 0 disables it). A retry costs 5 tokens, 10 after a failure that may
// have been applied; a success gives 1 back. When an outage drains the
// budget, calls fail with their own error instead of multiplying the load on
// a struggling API. The budget is shared by every call of the client; it
// replaces a SharedRetryBudget given before it.
func RetryBudget(tokens int) RetryOption {
	return func(r *retryConfig) { r.budget, r.shared = max(tokens, 0), nil }
}

// SharedRetryBudget makes the client's retries spend b's tokens instead of a
// budget of the client's own, at the same prices as RetryBudget: 5 tokens a
// retry, 10 after a failure that may have been applied, 1 back per success.
// Give the clients of one account the same b to make its budget account-wide
// rather than per client: NewRetryBudget for the clients of one process, or a
// budget kept outside the process, such as the Redis-backed one of package
// ratelimit/redislimit, for every replica of a service, so that an outage
// drains one budget instead of one per replica. b must be safe for concurrent
// use; Take and Refund get the call's context. A nil b restores the client's
// own budget. It replaces a RetryBudget given before it. Like RetryBudget it
// is a client option: as a CallOption it changes nothing.
func SharedRetryBudget(b ratelimit.Budget) RetryOption {
	return func(r *retryConfig) { r.shared = b }
}

// NewRetryBudget returns a retry budget of tokens tokens, full, held in
// memory, to share with SharedRetryBudget among the clients of one process
// (0 or less: a budget that never runs out). It is the budget each client
// has by default.
func NewRetryBudget(tokens int) ratelimit.Budget { return newRetryBudget(max(tokens, 0)) }

const (
	retryCost          = 5
	ambiguousRetryCost = 10
	successRefund      = 1
)

// retryBudget is a token bucket shared by all calls of a client (or of the
// clients given it), after the standard retryer of aws-sdk-go-v2.
type retryBudget struct {
	mu      sync.Mutex
	size    int
	current int
}

var _ ratelimit.Budget = (*retryBudget)(nil)

func newRetryBudget(size int) *retryBudget { return &retryBudget{size: size, current: size} }

// budgetOf returns the budget r says the client spends.
func budgetOf(r retryConfig) ratelimit.Budget {
	if r.shared != nil {
		return r.shared
	}
	return newRetryBudget(r.budget)
}

// Take takes n tokens if there are as many.
func (b *retryBudget) Take(_ context.Context, n int) bool {
	if b.size == 0 {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.current < n {
		return false
	}
	b.current -= n
	return true
}

// Refund gives n tokens back, up to the budget's size.
func (b *retryBudget) Refund(_ context.Context, n int) {
	if b.size == 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.current = min(b.size, b.current+n)
}

// retryClass reads the adapter's classification of err.
func retryClass(err error) driver.RetryClass {
	var e *driver.Error
	if errors.As(err, &e) {
		return e.Retry
	}
	return driver.RetryNever
}

// backoff is the wait before retry number retry (1-based) after err.
func (r retryConfig) backoff(retry int, err error) time.Duration {
	base := r.base
	var e *driver.Error
	throttled := errors.As(err, &e) && e.Code == CodeThrottled
	if throttled {
		base = r.throttleBase
	}
	ceiling := r.maxDelay
	if retry < 63 && base <= r.maxDelay>>uint(retry-1) {
		ceiling = base << uint(retry-1)
	}
	floor := time.Duration(0)
	if throttled {
		// At least half the ceiling after a throttle: the providers count
		// requests per second, and a retry that comes straight back lands
		// in the second that refused it. At most four times the base: see
		// the policy above.
		ceiling = min(ceiling, 4*r.throttleBase)
		floor = ceiling / 2
	}
	d := floor + time.Duration(rand.Int64N(int64(ceiling-floor)+1))
	if e != nil && e.RetryAfter > 0 {
		d = max(d, min(e.RetryAfter, r.maxDelay))
	}
	return d
}

// callState is what a call's attempts know of each other.
type callState struct {
	attempt   int  // 1-based number of the attempt about to run
	ambiguous bool // an attempt so far may have been applied
	// ctx is the call's context with the attempt's span: an attempt that
	// passes it to the provider makes the adapter's own spans (an
	// instrumented HTTP transport's, say) children of the attempt's.
	ctx context.Context
}

// withRetries runs attempt until it succeeds or the policy says stop.
// repeatAmbiguous says whether an attempt that may have been applied can be
// followed by another; the create path handles the other case itself.
//
// Each attempt is a span, a child of the operation's; when no operation of
// the client encloses ctx, the retried call is an operation of its own,
// named op, in cc.region (see telemetry.go).
func (c *Client) withRetries(ctx context.Context, cc *callConfig, op string, repeatAmbiguous bool, attempt func(*callState) error) (err error) {
	if c.tel.on() && !c.tel.inOp(ctx) {
		var o opSpan
		ctx, o = c.tel.startOp(ctx, op, cc.region, opInfo{})
		defer func() { o.end(err) }()
	}
	st := &callState{}
	skewRetried := false
	for {
		st.attempt++
		actx, span := c.tel.startAttempt(ctx, op, cc.region, st.attempt)
		st.ctx = actx
		err := attempt(st)
		span.end(err)
		if err == nil {
			c.budget.Refund(ctx, successRefund)
			return nil
		}
		class := retryClass(err)
		if ctx.Err() != nil {
			// The context ended during the attempt, which may have been
			// in flight: whatever the adapter made of that, the outcome is
			// not known.
			st.ambiguous = true
		}
		cost := retryCost
		switch class {
		case driver.RetryNever:
			return public(err)
		case driver.RetryAmbiguous:
			st.ambiguous = true
			if !repeatAmbiguous {
				return public(err)
			}
			cost = ambiguousRetryCost
		case driver.RetryClockSkew:
			if skewRetried {
				return public(err)
			}
			skewRetried = true
		}
		if ctx.Err() != nil || st.attempt >= cc.retry.maxAttempts {
			return public(err)
		}
		if !c.budget.Take(ctx, cost) {
			c.logEvent(ctx, slog.LevelWarn, "flowlog retry budget exhausted", func() []slog.Attr {
				return append([]slog.Attr{slog.String("provider", c.p.Name()), slog.String("op", op)}, errAttrs(err)...)
			})
			return public(err)
		}
		c.tel.retry(ctx, op, cc.region, class)
		delay := cc.retry.backoff(st.attempt, err)
		c.logEvent(ctx, slog.LevelDebug, "flowlog retry", func() []slog.Attr {
			return append([]slog.Attr{slog.String("provider", c.p.Name()), slog.String("op", op),
				slog.Int("attempt", st.attempt), slog.String("retry", class.String()),
				slog.Duration("delay", delay)}, errAttrs(err)...)
		})
		if werr := sleep(ctx, delay); werr != nil {
			// Keep both: the context says why we stopped, err what failed.
			return fmt.Errorf("%w (stopped retrying: %w)", public(err), werr)
		}
	}
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
