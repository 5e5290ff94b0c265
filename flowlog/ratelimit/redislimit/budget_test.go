package redislimit

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudflowlog/flowlog-go/internal/testkit"
)

// full checks that b holds exactly size tokens: size can be taken and not
// one more. It leaves b full.
func full(t *testing.T, b *Budget, size int) {
	t.Helper()
	ctx := context.Background()
	if !b.Take(ctx, size) {
		t.Errorf("Take(%d) of a budget of %d failed: tokens were lost", size, size)
		return
	}
	if b.Take(ctx, 1) {
		t.Errorf("Take(1) after Take(%d) of a budget of %d succeeded: the budget went above its size", size, size)
		b.Refund(ctx, 1)
	}
	b.Refund(ctx, size)
}

func TestBudgetStartsFullAndStaysWithinItsSize(t *testing.T) {
	const size = 5
	ctx := context.Background()
	ns := namespace(t)
	b := NewBudget(newRedis(t), size, WithNamespace(ns))
	full(t, b, size)
	if b.Take(ctx, size+1) {
		t.Errorf("Take(%d) of a budget of %d succeeded", size+1, size)
	}
	if !b.Take(ctx, 3) || b.Take(ctx, 3) {
		t.Errorf("Take(3) twice from 5 tokens: want the first to succeed and the second to fail")
	}
	b.Refund(ctx, 100)
	full(t, b, size)
	if !b.Take(ctx, 0) {
		t.Errorf("Take(0) failed")
	}

	// Another namespace has its own budget.
	if !b.Take(ctx, size) {
		t.Fatal("Take(size) failed")
	}
	full(t, NewBudget(newRedis(t), size, WithNamespace(namespace(t))), size)
	b.Refund(ctx, size)
}

// Two Budgets on the same namespace, as two replicas would have, taking
// and refunding at once: the tokens held never exceed the size (the
// budget never went below 0), and it never holds more than its size.
func TestBudgetSharedByReplicas(t *testing.T) {
	const (
		size    = 5
		workers = 8
		rounds  = 40
	)
	ns := namespace(t)
	budgets := []*Budget{
		NewBudget(newRedis(t), size, WithNamespace(ns)),
		NewBudget(newRedis(t), size, WithNamespace(ns)),
	}
	ctx := context.Background()

	var held, most, denied atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range rounds {
				b := budgets[(w+i)%2]
				n := 1 + rand.IntN(2)
				if !b.Take(ctx, n) {
					denied.Add(1)
					continue
				}
				// Counted after Take and uncounted before Refund, held is
				// never more than the tokens really out.
				h := held.Add(int64(n))
				for m := most.Load(); h > m && !most.CompareAndSwap(m, h); m = most.Load() {
				}
				if h > size {
					t.Errorf("%d tokens held from a budget of %d", h, size)
				}
				time.Sleep(time.Duration(rand.IntN(500)) * time.Microsecond)
				held.Add(-int64(n))
				budgets[(w+i+1)%2].Refund(ctx, n)
			}
		})
	}
	wg.Wait()
	t.Logf("%d workers x %d rounds on 2 Budgets of %d: at most %d tokens held at once, %d takes denied",
		workers, rounds, size, most.Load(), denied.Load())
	if denied.Load() == 0 {
		t.Errorf("no Take was denied: the test did not drain the budget")
	}
	full(t, budgets[0], size)

	// Refunds of tokens never taken, from both at once, stop at the size.
	for w := range workers {
		wg.Go(func() {
			for range rounds {
				budgets[w%2].Refund(ctx, 1+rand.IntN(3))
			}
		})
	}
	wg.Wait()
	full(t, budgets[1], size)
}

// With Redis unreachable, a Budget uses a local budget of the same size,
// with one Warn record; when a probe finds Redis again, one Info record,
// and the tokens are Redis's again.
func TestBudgetFallbackWhileRedisIsUnreachable(t *testing.T) {
	const size = 4
	ctx := context.Background()
	ns := namespace(t)
	rdb := switchTo(unreachable(t))
	clock := testkit.NewClock()
	logs := &records{}
	b := NewBudget(rdb, size, WithNamespace(ns), WithLogger(slog.New(logs)), withClock(clock.Now))

	var wg sync.WaitGroup
	var taken atomic.Int64
	for range 8 {
		wg.Go(func() {
			if b.Take(ctx, 1) {
				taken.Add(1)
			}
		})
	}
	wg.Wait()
	if taken.Load() != size {
		t.Errorf("8 Take(1) of a local budget of %d: %d succeeded", size, taken.Load())
	}
	b.Refund(ctx, size)
	clock.Advance(2 * DefaultBackoff) // a probe, still failing
	full(t, b, size)

	warns := logs.at(slog.LevelWarn)
	if len(warns) != 1 {
		t.Fatalf("%d Warn records, want 1: %v", len(warns), warns)
	}
	if w := warns[0]; !strings.Contains(attr(w, "error"), "connection refused") ||
		attr(w, "redis_key") != "flowlog:"+ns+":retry-budget" || !strings.Contains(attr(w, "error"), attr(w, "redis_key")) {
		t.Errorf("Warn record %q: redis_key %q, error %q; want the key and the cause", w.Message, attr(w, "redis_key"), attr(w, "error"))
	}

	// Drain the local budget, then let Redis back: the Redis budget is a
	// fresh one, full.
	if !b.Take(ctx, size) {
		t.Fatal("Take(size) of the local budget failed")
	}
	rdb.set(newRedis(t))
	clock.Advance(2 * DefaultBackoff)
	if !b.Take(ctx, size) {
		t.Errorf("Take(size) failed once Redis was back: still on the drained local budget")
	}
	b.Refund(ctx, size)
	if infos := logs.at(slog.LevelInfo); len(infos) != 1 {
		t.Errorf("%d Info records, want 1", len(infos))
	}
	if n := len(logs.at(slog.LevelWarn)); n != 1 {
		t.Errorf("%d Warn records in all, want 1", n)
	}
	full(t, NewBudget(newRedis(t), size, WithNamespace(ns)), size)
}
