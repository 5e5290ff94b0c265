// Package ratelimit is the contract between the adapters and the limits
// they keep: a Limiter decides when each request may start, an Observer
// learns from the server's throttling, and a Budget holds the tokens a
// client's retries spend.
//
// A limiter, like the account limits it mirrors, applies to one account:
// give each adapter instance of an account the same limiter, and adapters
// of different accounts different ones. Within a limiter, every Key has a
// budget of its own.
//
// NewLocal and NewAdaptive are limiters of one process: a fixed rate per
// Key, and a rate per Key that slows down when the server throttles and
// speeds up again after, never past its maximum. A limiter shared by the
// replicas of a service lives in package ratelimit/redislimit, so that a
// program that does not import it does not link a Redis client.
package ratelimit

import "context"

// Key names one budget of a limiter: the requests of one action in one
// region of one provider, as the providers count them.
type Key struct {
	// Provider is the adapter's name: "aliyun", "cbn" or "tencent".
	Provider string
	// Region is the region the request names, "" for none.
	Region string
	// Action is the API action, such as "CreateFlowLog".
	Action string
}

// String returns "provider/region/action".
func (k Key) String() string { return k.Provider + "/" + k.Region + "/" + k.Action }

// Limiter decides when a request may start.
type Limiter interface {
	// Wait blocks until one request of k may start, and returns nil, or
	// until ctx ends, and returns ctx's error; the request is then not
	// sent. It must be safe for concurrent use.
	Wait(ctx context.Context, k Key) error
}

// Observer is implemented by limiters that adapt to the server: after each
// request a Limiter let through, the adapter calls Observe with whether the
// server refused it as throttled.
type Observer interface {
	Observe(k Key, throttled bool)
}

// Budget is a retry budget: a retry takes tokens before it runs and a
// success gives some back, so that an outage drains it and calls stop
// multiplying the load on a struggling API. It must be safe for concurrent
// use.
type Budget interface {
	// Take takes n tokens and reports whether there were enough; when there
	// were not, it takes none.
	Take(ctx context.Context, n int) bool
	// Refund gives n tokens back, up to the budget's size.
	Refund(ctx context.Context, n int)
}
