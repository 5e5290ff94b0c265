package redislimit

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/cloudflowlog/flowlog-go/flowlog/ratelimit"
)

// budgetKeySuffix ends a namespace's budget key. A Key's String always
// holds two slashes, so no rate-limit key of the namespace can be it.
const budgetKeySuffix = "retry-budget"

// The budget scripts keep the token count in one string key and treat a
// missing key as a full budget: a budget is initialised to its size on
// first use without a separate SETNX, and a full one is deleted, so an
// idle namespace leaves nothing behind. Each script reads and writes in
// one step on the server, so no two replicas can both spend the last
// token. A stored count above the caller's size (a replica with a larger
// size wrote it) is read as size.

// takeScript: KEYS[1] the budget, ARGV[1] its size, ARGV[2] n > 0.
// Returns 1 and takes n tokens if there are n, else 0 and takes none.
var takeScript = redis.NewScript(`
local size = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
local v = redis.call("GET", KEYS[1])
local tokens = size
if v then
  tokens = math.min(tonumber(v), size)
end
if tokens < n then
  return 0
end
tokens = tokens - n
if tokens >= size then
  redis.call("DEL", KEYS[1])
else
  redis.call("SET", KEYS[1], tokens)
end
return 1
`)

// refundScript: KEYS[1] the budget, ARGV[1] its size, ARGV[2] n > 0.
// Adds n tokens, up to size, and returns the new count.
var refundScript = redis.NewScript(`
local size = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
local v = redis.call("GET", KEYS[1])
if not v then
  return size
end
local tokens = math.min(tonumber(v) + n, size)
if tokens >= size then
  redis.call("DEL", KEYS[1])
else
  redis.call("SET", KEYS[1], tokens)
end
return tokens
`)

// Budget is a ratelimit.Budget whose tokens live in one Redis key per
// namespace, shared by every Budget on the same Redis and namespace. It is
// safe for concurrent use.
type Budget struct {
	rdb     Client
	key     string
	ns      string
	size    int
	timeout time.Duration
	local   *localBudget
	h       *health
}

var _ ratelimit.Budget = (*Budget)(nil)

// NewBudget returns a retry budget of size tokens, kept in Redis under
// "flowlog:<namespace>:retry-budget" and shared by every Budget with the
// same Redis and namespace; give them all the same size. The budget starts
// full.
//
// While Redis fails, Take and Refund use a local budget of the same size
// (made full at NewBudget and kept across outages), with the same records
// and back-off as a Limiter. WithFallback does not apply.
//
// It panics if size is negative.
func NewBudget(rdb Client, size int, opts ...Option) *Budget {
	if size < 0 {
		panic(fmt.Sprintf("redislimit: NewBudget: size %d is negative", size))
	}
	c := newConfig(opts)
	return &Budget{
		rdb:     rdb,
		key:     c.prefix() + budgetKeySuffix,
		ns:      c.namespace,
		size:    size,
		timeout: c.timeout,
		local:   &localBudget{tokens: size, size: size},
		h:       c.health("retry budget"),
	}
}

// Take takes n tokens and reports whether there were enough; when there
// were not, it takes none. n <= 0 takes nothing and succeeds.
//
// When ctx has ended it takes nothing and returns false: the retry would
// not run. When ctx ends during the call, the script may have run on Redis
// and the tokens are then lost to the budget until refunds make up for
// them; that errs towards fewer retries.
func (b *Budget) Take(ctx context.Context, n int) bool {
	if n <= 0 {
		return true
	}
	if n > b.size || ctx.Err() != nil {
		return false
	}
	r := b.h.route()
	if r == viaFallback {
		return b.local.take(n)
	}
	ok, err := call(ctx, b.timeout, func(ctx context.Context) (bool, error) {
		v, err := takeScript.Run(ctx, b.rdb, []string{b.key}, b.size, n).Int64()
		return v == 1, err
	})
	if err != nil {
		if ctx.Err() != nil {
			b.h.abandoned(r)
			return false
		}
		b.h.failed(ctx, r, fmt.Errorf("redislimit: take %d from retry budget %q: %w", n, b.key, err), b.attrs)
		return b.local.take(n)
	}
	b.h.answered(ctx, r, b.attrs)
	return ok
}

// Refund gives n tokens back, up to the budget's size. n <= 0 does
// nothing.
//
// A refund is owed for a success that has already happened, so it is made
// even when ctx has ended (without ctx's cancellation, but with its
// values), bounded by the per-call timeout.
func (b *Budget) Refund(ctx context.Context, n int) {
	if n <= 0 {
		return
	}
	ctx = context.WithoutCancel(ctx)
	r := b.h.route()
	if r == viaFallback {
		b.local.refund(n)
		return
	}
	_, err := call(ctx, b.timeout, func(ctx context.Context) (int64, error) {
		return refundScript.Run(ctx, b.rdb, []string{b.key}, b.size, n).Int64()
	})
	if err != nil {
		b.h.failed(ctx, r, fmt.Errorf("redislimit: refund %d to retry budget %q: %w", n, b.key, err), b.attrs)
		b.local.refund(n)
		return
	}
	b.h.answered(ctx, r, b.attrs)
}

func (b *Budget) attrs() []slog.Attr {
	return []slog.Attr{slog.String("namespace", b.ns), slog.String("redis_key", b.key)}
}

// localBudget is the budget of this process that a Budget uses while Redis
// fails.
type localBudget struct {
	mu     sync.Mutex
	tokens int
	size   int
}

func (l *localBudget) take(n int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.tokens < n {
		return false
	}
	l.tokens -= n
	return true
}

func (l *localBudget) refund(n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.tokens = min(l.tokens+n, l.size)
}
