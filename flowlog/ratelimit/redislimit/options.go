package redislimit

import (
	"context"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/cloudflowlog/flowlog-go/flowlog/ratelimit"
)

// Client is the part of a go-redis client this package uses: scripts, and
// DEL for redis_rate. *redis.Client, *redis.ClusterClient, *redis.Ring and
// every redis.UniversalClient implement it.
type Client interface {
	redis.Scripter
	Del(ctx context.Context, keys ...string) *redis.IntCmd
}

// Defaults of the options.
const (
	// DefaultNamespace is the namespace of a Limiter or Budget made without
	// WithNamespace. Set one: two accounts sharing a namespace share their
	// budgets.
	DefaultNamespace = "default"
	// DefaultTimeout bounds each Redis call. A rate limiter's Redis answers
	// in a millisecond or two; past this it counts as failing.
	DefaultTimeout = 250 * time.Millisecond
	// DefaultBackoff is how long Redis is left alone after it failed before
	// one call tries it again.
	DefaultBackoff = time.Second
)

// Option configures New and NewBudget.
type Option func(*config)

type config struct {
	namespace string
	fallback  ratelimit.Limiter
	log       *slog.Logger
	timeout   time.Duration
	backoff   time.Duration
	now       func() time.Time
}

func newConfig(opts []Option) config {
	c := config{
		namespace: DefaultNamespace,
		log:       slog.Default(),
		timeout:   DefaultTimeout,
		backoff:   DefaultBackoff,
		now:       time.Now,
	}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

// WithNamespace names the account whose limits the Limiter or Budget keeps:
// every replica that uses the same Redis and the same namespace shares one
// budget per Key, and different namespaces never share. Use an account ID
// or an alias of it ("acct-1234", "prod-hangzhou").
//
// The namespace is part of every Redis key and of every log record, so it
// must not hold a secret: never an access key ID or anything derived from
// a credential. "" keeps DefaultNamespace.
func WithNamespace(ns string) Option {
	return func(c *config) {
		if ns != "" {
			c.namespace = ns
		}
	}
}

// WithFallback sets the limiter a Limiter uses while Redis fails, instead
// of a local limiter of the same rate. It is process-local, so during an
// outage each replica allows its own rate: with n replicas, give it
// perSecond/n to stay under the account limit. NewBudget ignores it (its
// fallback is a local budget of the same size). nil keeps the default.
func WithFallback(l ratelimit.Limiter) Option {
	return func(c *config) {
		if l != nil {
			c.fallback = l
		}
	}
}

// WithLogger sets the logger of the fallback's records (one Warn when Redis
// fails, one Info when it answers again). nil keeps slog.Default().
func WithLogger(l *slog.Logger) Option {
	return func(c *config) {
		if l != nil {
			c.log = l
		}
	}
}

// WithTimeout bounds each Redis call (DefaultTimeout by default); a call
// that takes longer counts as a Redis failure. Zero or less keeps the
// default.
//
// Without ContextTimeoutEnabled on the client, go-redis goes on reading
// until its ReadTimeout after this timeout has passed: the caller does not
// wait for it, but a goroutine and a connection stay busy until then. See
// the package documentation for the client options.
func WithTimeout(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.timeout = d
		}
	}
}

// WithBackoff sets how long after a Redis failure the Limiter or Budget
// keeps to its fallback before one call tries Redis again
// (DefaultBackoff). Zero or less keeps the default.
func WithBackoff(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.backoff = d
		}
	}
}

// withClock sets the clock of the back-off, for tests.
func withClock(now func() time.Time) Option {
	return func(c *config) { c.now = now }
}

func (c *config) health(subject string) *health {
	return &health{subject: subject, log: c.log, now: c.now, backoff: c.backoff}
}

// prefix is the start of every Redis key of the namespace.
func (c *config) prefix() string { return "flowlog:" + c.namespace + ":" }
