// Package redislimit keeps an account's rate limits and retry budget in
// Redis, so that the replicas of a service share them: a Limiter
// (ratelimit.Limiter) and a Budget (ratelimit.Budget). It is a package of
// its own so that a program that does not import it does not link a Redis
// client.
//
// Set up each replica with the same Redis and the same namespace; then give
// lim to every adapter of that account (their WithLimiter option) and
// budget to whatever takes a ratelimit.Budget:
//
//	rdb := redis.NewClient(&redis.Options{
//		Addr:                  "redis.internal:6379",
//		ContextTimeoutEnabled: true, // socket deadlines follow the context
//		DialTimeout:           250 * time.Millisecond,
//		ReadTimeout:           250 * time.Millisecond,
//		MaxRetries:            -1, // the local fallback is the retry
//		DialerRetries:         1,
//	})
//	lim := redislimit.New(rdb, 20, redislimit.WithNamespace("acct-1234"))
//	budget := redislimit.NewBudget(rdb, 500, redislimit.WithNamespace("acct-1234"))
//
// # Keys and namespaces
//
// The namespace is the account scope: each namespace has its own budgets,
// and every replica using it shares them. Use the account's ID or an alias
// ("acct-1234"); it is written into Redis keys and log records, so it must
// never hold a secret. A Limiter's budget for a Key is the redis_rate key
// "rate:flowlog:<namespace>:<provider>/<region>/<action>"; a Budget's
// tokens are in "flowlog:<namespace>:retry-budget". A rate key expires
// once its budget is full again, and the budget key is deleted when the
// budget is full, so a namespace at rest leaves nothing behind.
//
// # Rates
//
// The Limiter runs redis_rate's GCRA script, on the Redis server's clock
// (the replicas' clocks do not matter), with Limit{Rate: 1, Burst: 1,
// Period: 1/perSecond}, the period rounded up to the nanosecond and one
// microsecond added against the script's float rounding: requests of a key
// start at least 1/perSecond apart, with no burst, so no one-second window
// holds more than perSecond of them whatever the number of replicas. A
// fractional rate keeps its precision (0.5/s is one request per 2 s, where
// redis_rate's integer Rate per second would make it 0).
//
// # When Redis fails
//
// When a Redis call fails or does not answer within the per-call timeout
// (WithTimeout, 250 ms by default), and the caller's context has not ended,
// the Limiter waits on its fallback (WithFallback; by default
// ratelimit.NewLocal at the same rate) and the Budget uses a local budget
// of the same size. One Warn record says so, with the error and the key.
// After the back-off (WithBackoff, 1 s by default) one call tries Redis
// again, the others keep to the fallback; while Redis still fails this
// repeats silently, once per back-off. When Redis answers a try, one Info
// record says so and every call goes to Redis again. The fallback is per
// process: during an outage, n replicas together allow n times the rate.
//
// # Client options
//
// Wait returns at its context's end whatever the client does, and a Redis
// call never holds the caller longer than the per-call timeout. But
// go-redis applies a context's deadline to its sockets only with
// ContextTimeoutEnabled; without it a call abandoned by its caller goes on
// in the background, holding a goroutine and a pooled connection, until
// the client's ReadTimeout (5 s by default). So set, as above:
//
//   - ContextTimeoutEnabled: true, so that abandoned calls end with the
//     per-call timeout;
//   - DialTimeout and ReadTimeout near the per-call timeout, for the same
//     reason when the context has no deadline;
//   - MaxRetries: -1, because go-redis retries a script whose connection
//     broke after it was sent, which can charge a slot or a token twice;
//     the fallback covers the failure instead;
//   - DialerRetries: 1, because go-redis otherwise dials 5 times, 100 ms
//     apart, which outlasts the per-call timeout: the Warn record would
//     then give the timeout instead of the dial's error.
//
// go-redis logs some failures itself (through redis.SetLogger), apart from
// this package's records.
package redislimit
