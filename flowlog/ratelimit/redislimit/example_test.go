package redislimit_test

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/ratelimit"
	"github.com/cloudflowlog/flowlog-go/flowlog/ratelimit/redislimit"
	"github.com/cloudflowlog/flowlog-go/tencent"
)

// These examples need a Redis server, so they have no Output line: go test
// compiles them and does not run them.

// A Limiter per replica, all on the same Redis and namespace: together
// they start at most 20 CreateFlowLog requests a second in ap-guangzhou.
func ExampleNew() {
	rdb := redis.NewClient(&redis.Options{
		Addr:                  "127.0.0.1:6379",
		ContextTimeoutEnabled: true,
		DialTimeout:           250 * time.Millisecond,
		ReadTimeout:           250 * time.Millisecond,
		MaxRetries:            -1,
		DialerRetries:         1,
	})
	defer rdb.Close()

	lim := redislimit.New(rdb, 20,
		redislimit.WithNamespace("acct-1234"), // the account, never a credential
		redislimit.WithLogger(slog.Default()),
	)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	k := ratelimit.Key{Provider: "tencent", Region: "ap-guangzhou", Action: "CreateFlowLog"}
	if err := lim.Wait(ctx, k); err != nil {
		fmt.Println("not sent:", err)
		return
	}
	fmt.Println("send the request")
}

// During an outage of Redis each replica limits on its own; with 4
// replicas, a quarter of the rate each keeps the account under its limit.
func ExampleWithFallback() {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379", ContextTimeoutEnabled: true, MaxRetries: -1})
	defer rdb.Close()

	const perSecond, replicas = 20.0, 4
	lim := redislimit.New(rdb, perSecond,
		redislimit.WithNamespace("acct-1234"),
		redislimit.WithFallback(ratelimit.NewLocal(perSecond/replicas)),
	)
	_ = lim
}

// A retry budget shared by the replicas: a retry takes tokens first, and a
// success gives some back.
func ExampleNewBudget() {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379", ContextTimeoutEnabled: true, MaxRetries: -1})
	defer rdb.Close()

	budget := redislimit.NewBudget(rdb, 500, redislimit.WithNamespace("acct-1234"))
	ctx := context.Background()
	if budget.Take(ctx, 5) {
		fmt.Println("retry")
	} else {
		fmt.Println("budget exhausted: give up")
	}
	budget.Refund(ctx, 1) // after a success
}

// The replicas of a service: each runs this, with the same Redis and the
// same namespace, and together they keep one account's Tencent limit and
// retry budget.
func Example_replicas() {
	rdb := redis.NewClient(&redis.Options{Addr: "redis:6379", ContextTimeoutEnabled: true, MaxRetries: -1})
	defer rdb.Close()
	account := redislimit.WithNamespace("acct-1234") // the account's ID or alias, never a secret
	tc, err := tencent.New(tencent.WithLimiter(redislimit.New(rdb, tencent.DefaultRateLimit, account)))
	if err != nil {
		fmt.Println(err)
		return
	}
	client := flowlog.NewClient(tc,
		flowlog.WithRetry(flowlog.SharedRetryBudget(redislimit.NewBudget(rdb, 500, account))))
	defer client.Close()
	var specs []flowlog.FlowLogSpec // the flow logs this service keeps on
	for _, r := range client.EnsureAll(context.Background(), specs) {
		fmt.Println(r.Spec.Resource.ID, r.Err)
	}
}
