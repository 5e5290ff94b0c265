package ratelimit_test

import (
	"context"
	"fmt"
	"time"

	"github.com/cloudflowlog/flowlog-go/flowlog/ratelimit"
)

func ExampleNewLocal() {
	// 1000 requests per second of each key: one every millisecond.
	l := ratelimit.NewLocal(1000)
	k := ratelimit.Key{Provider: "aliyun", Region: "cn-hangzhou", Action: "DescribeFlowLogs"}
	start := time.Now()
	for range 3 {
		if err := l.Wait(context.Background(), k); err != nil {
			fmt.Println(err)
			return
		}
	}
	fmt.Println(time.Since(start) >= 2*time.Millisecond)

	// A wait ends with its context, and the request is not sent.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	fmt.Println(l.Wait(ctx, k))
	// Output:
	// true
	// context canceled
}

func ExampleNewAdaptive() {
	// Tencent allows 20 requests per second of each action: start there.
	a := ratelimit.NewAdaptive(20)
	create := ratelimit.Key{Provider: "tencent", Region: "ap-guangzhou", Action: "CreateFlowLog"}
	describe := ratelimit.Key{Provider: "tencent", Region: "ap-guangzhou", Action: "DescribeFlowLogs"}

	// Another client of the account uses part of the limit, and a create
	// is refused as throttled: creates slow down, describes do not.
	a.Observe(create, true)
	fmt.Printf("create %.0f/s, describe %.0f/s\n", a.Rate(create), a.Rate(describe))
	// Output:
	// create 14/s, describe 20/s
}

// An adapter calls Wait before each request and, when the limiter is an
// Observer, Observe after it; a Limiter of one's own needs only Wait.
func ExampleLimiter() {
	var l ratelimit.Limiter = printingLimiter{ratelimit.NewLocal(0)}
	_ = l.Wait(context.Background(), ratelimit.Key{Provider: "cbn", Region: "cn-hangzhou", Action: "DescribeFlowlogs"})
	// Output:
	// request of cbn/cn-hangzhou/DescribeFlowlogs
}

// printingLimiter prints each request before its Limiter lets it start.
type printingLimiter struct{ ratelimit.Limiter }

func (c printingLimiter) Wait(ctx context.Context, k ratelimit.Key) error {
	fmt.Println("request of", k)
	return c.Limiter.Wait(ctx, k)
}
