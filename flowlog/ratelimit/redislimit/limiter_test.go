package redislimit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/cloudflowlog/flowlog-go/flowlog/ratelimit"
	"github.com/cloudflowlog/flowlog-go/internal/testkit"
	"github.com/cloudflowlog/flowlog-go/internal/window"
)

var key = ratelimit.Key{Provider: "tencent", Region: "ap-guangzhou", Action: "CreateFlowLog"}

func TestIntervalIsNeverShorterThanTheRateAllows(t *testing.T) {
	for _, r := range []float64{0.001, 0.5, 1, 2.5, 3, 20, 50, 1000} {
		got := interval(r)
		exact := float64(time.Second) / r
		if float64(got) < exact {
			t.Errorf("interval(%v) = %v, shorter than 1/%v s", r, got, r)
		}
		// Rounding up and the microsecond of margin, no more.
		if float64(got) > exact+float64(time.Microsecond)+1 {
			t.Errorf("interval(%v) = %v, want %v", r, got, time.Duration(exact))
		}
	}
}

func TestNewPanicsOnABadRate(t *testing.T) {
	for _, r := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New(%v) did not panic", r)
				}
			}()
			New(nil, r)
		}()
	}
}

// Several replicas, each with its own client and Limiter, share one
// budget: together they start no more than perSecond requests in a second,
// and close to that many.
//
// The upper bound is checked on every run. The throughput can only suffer
// from a machine busy with other work (a replica that is not scheduled at
// its slot loses it), so up to three runs are made and the best counts.
func TestReplicasTogetherKeepTheRate(t *testing.T) {
	const (
		perSecond = 50.0
		attempts  = 3
	)
	ns := namespace(t)
	best := 0.0
	for i := range attempts {
		k := key
		k.Action = fmt.Sprintf("%s%d", key.Action, i) // a fresh budget
		rate := replicaRun(t, ns, k, perSecond)
		best = max(best, rate)
		if t.Failed() || best >= 0.9*perSecond {
			break
		}
	}
	if best < 0.9*perSecond {
		t.Errorf("the replicas together started at best %.2f requests a second in %d runs, want at least 90%% of %v",
			best, attempts, perSecond)
	}
}

// replicaRun runs 4 replicas of 3 goroutines on k for 1.3 s, checks that
// no window of a second held more than perSecond starts, and returns the
// rate they reached.
func replicaRun(t *testing.T, ns string, k ratelimit.Key, perSecond float64) float64 {
	const (
		replicas = 4
		workers  = 3 // goroutines per replica
		run      = 1300 * time.Millisecond
	)
	logs := &records{}
	ctx, cancel := context.WithTimeout(context.Background(), run)
	defer cancel()

	var (
		mu     sync.Mutex
		starts []time.Time
		wg     sync.WaitGroup
	)
	for range replicas {
		// Timeouts far above the default: this test is about sharing, and
		// a busy machine must not turn it into a test of the fallback.
		o := options(testkit.RedisAddr(t))
		o.ReadTimeout, o.WriteTimeout, o.DialTimeout = 2*time.Second, 2*time.Second, 2*time.Second
		lim := New(newClient(t, o), perSecond, WithNamespace(ns), WithTimeout(2*time.Second), WithLogger(slog.New(logs)))
		for range workers {
			wg.Go(func() {
				for lim.Wait(ctx, k) == nil {
					now := time.Now()
					mu.Lock()
					starts = append(starts, now)
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	if w := logs.at(slog.LevelWarn); len(w) > 0 {
		t.Fatalf("a replica fell back to its local limiter, so the count says nothing of Redis: %s: %s", w[0].Message, attr(w[0], "error"))
	}

	slices.SortFunc(starts, time.Time.Compare)
	// Starts are stamped by the replicas after Redis's answer reached them,
	// so two of them can look up to the answers' latency closer than they
	// were on Redis's clock. The window is shortened by half an interval
	// (10 ms) for that; a burst of even one extra request would still show.
	shorter := time.Second - time.Duration(float64(time.Second)/perSecond/2)
	strict, full := window.Max(starts, shorter), window.Max(starts, time.Second)
	span := starts[len(starts)-1].Sub(starts[0])
	rate := float64(len(starts)-1) / span.Seconds()
	t.Logf("%d replicas x %d goroutines at %v/s: %d starts in %v, %.2f/s (%.0f%%); most in any %v: %d; in any 1s: %d",
		replicas, workers, perSecond, len(starts), span.Round(time.Millisecond), rate, 100*rate/perSecond, shorter, strict, full)
	if strict > int(perSecond) {
		t.Errorf("%d requests started within %v, want at most %v", strict, shorter, perSecond)
	}
	if rate < 0.9*perSecond {
		for i := 1; i < len(starts); i++ {
			if gap := starts[i].Sub(starts[i-1]); gap > 2*time.Second/time.Duration(perSecond) {
				t.Logf("  a gap of %v after %v", gap.Round(time.Millisecond), starts[i-1].Sub(starts[0]).Round(time.Millisecond))
			}
		}
	}
	return rate
}

// A fractional rate is kept, and there is no burst: a fresh key's
// requests are spaced from the first one on.
func TestFractionalRateWithoutBurst(t *testing.T) {
	const perSecond = 1.5 // 667 ms apart; truncated to 1/s, 1 s
	lim := New(newRedis(t), perSecond, WithNamespace(namespace(t)))
	ctx := context.Background()
	start := time.Now()
	var at []time.Duration
	for range 2 {
		if err := lim.Wait(ctx, key); err != nil {
			t.Fatal(err)
		}
		at = append(at, time.Since(start))
	}
	t.Logf("starts at %v", at)
	if at[0] > 200*time.Millisecond {
		t.Errorf("the first request waited %v on a fresh key", at[0])
	}
	if gap := at[1] - at[0]; gap < 650*time.Millisecond || gap > 900*time.Millisecond {
		t.Errorf("the second request started %v after the first, want 667 ms", gap)
	}
}

func TestNamespacesAndKeysAreIndependent(t *testing.T) {
	ns, other := namespace(t), namespace(t)
	rdb := newRedis(t)
	const perSecond = 0.2
	a := New(rdb, perSecond, WithNamespace(ns))
	ctx := context.Background()
	if err := a.Wait(ctx, key); err != nil {
		t.Fatal(err)
	}
	// The next slot of key in ns is 5 s away.
	quick := func(lim *Limiter, k ratelimit.Key) error {
		ctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		return lim.Wait(ctx, k)
	}
	otherKey := key
	otherKey.Region = "ap-shanghai"
	if err := quick(a, otherKey); err != nil {
		t.Errorf("another region of the same namespace waited: %v", err)
	}
	otherAction := key
	otherAction.Action = "DeleteFlowLog"
	if err := quick(a, otherAction); err != nil {
		t.Errorf("another action of the same namespace waited: %v", err)
	}
	if err := quick(New(newRedis(t), perSecond, WithNamespace(other)), key); err != nil {
		t.Errorf("the same key in another namespace waited: %v", err)
	}
	// And the same key in the same namespace is shared, even by another
	// Limiter on another client.
	if err := quick(New(newRedis(t), perSecond, WithNamespace(ns)), key); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("the same key in the same namespace: Wait = %v, want it to wait past the deadline", err)
	}
}

func TestWaitEndsWithItsContext(t *testing.T) {
	t.Run("ended before", func(t *testing.T) {
		lim := New(newRedis(t), 1, WithNamespace(namespace(t)))
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := lim.Wait(ctx, key); !errors.Is(err, context.Canceled) {
			t.Errorf("Wait = %v, want context.Canceled", err)
		}
	})

	t.Run("deadline while denied", func(t *testing.T) {
		lim := New(newRedis(t), 0.5, WithNamespace(namespace(t)))
		if err := lim.Wait(context.Background(), key); err != nil {
			t.Fatal(err)
		}
		// The next slot is 2 s away. start comes first: the deadline is
		// 100 ms after a moment before WithTimeout returns.
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		err := lim.Wait(ctx, key)
		took := time.Since(start)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Wait = %v, want context.DeadlineExceeded", err)
		}
		if took < 100*time.Millisecond || took > 500*time.Millisecond {
			t.Errorf("Wait returned after %v, want at the deadline (100 ms)", took)
		}
	})

	// Against a Redis that never answers, with a client that ignores
	// contexts on its sockets (ContextTimeoutEnabled false) and a
	// per-call timeout longer than the test: Wait still returns when ctx
	// is cancelled, and the call it leaves behind ends with go-redis's
	// ReadTimeout.
	t.Run("hung redis", func(t *testing.T) {
		const readTimeout = 500 * time.Millisecond
		o := options(hungRedis(t))
		o.ContextTimeoutEnabled = false
		o.ReadTimeout = readTimeout
		logs := &records{}
		lim := New(newClient(t, o), 1, WithNamespace("hung"), WithTimeout(time.Minute), WithLogger(slog.New(logs)))

		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		start := time.Now()
		err := lim.Wait(ctx, key)
		took := time.Since(start)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Wait = %v, want context.Canceled", err)
		}
		if took > 450*time.Millisecond {
			t.Errorf("Wait returned %v after its context was cancelled, want at once", took-50*time.Millisecond)
		}
		if n := logs.count(); n > 0 {
			t.Errorf("the caller's cancellation was logged as a Redis failure: %d records", n)
		}
		t.Logf("Wait returned after %v; Redis calls still running: %d", took.Round(time.Millisecond), calls())
		deadline := time.Now().Add(readTimeout + time.Second)
		for calls() > 0 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if n := calls(); n > 0 {
			t.Errorf("%d Redis calls still run %v after Wait returned, past the client's ReadTimeout (%v)",
				n, time.Since(start).Round(time.Millisecond), readTimeout)
		}
	})

	// A Redis that does not answer within the per-call timeout counts as
	// failing: Wait does not hang on it, it goes to the fallback.
	t.Run("per-call timeout", func(t *testing.T) {
		logs := &records{}
		// Without ContextTimeoutEnabled the client itself would only give
		// up after its ReadTimeout: the 100 ms are this package's.
		o := options(hungRedis(t))
		o.ContextTimeoutEnabled = false
		o.ReadTimeout = 5 * time.Second
		lim := New(newClient(t, o), 1, WithNamespace("hung"),
			WithTimeout(100*time.Millisecond), WithLogger(slog.New(logs)))
		start := time.Now()
		if err := lim.Wait(context.Background(), key); err != nil {
			t.Errorf("Wait = %v, want nil from the fallback", err)
		}
		if took := time.Since(start); took > time.Second {
			t.Errorf("Wait took %v with a per-call timeout of 100 ms", took)
		}
		if w := logs.at(slog.LevelWarn); len(w) != 1 || !strings.Contains(attr(w[0], "error"), "no answer within 100ms") {
			t.Errorf("Warn records %v, want one naming the timeout", w)
		}
	})
}

// calls counts the goroutines that call started and that still run.
func calls() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	return strings.Count(string(buf), "created by github.com/cloudflowlog/flowlog-go/flowlog/ratelimit/redislimit.call[")
}

// With Redis unreachable, Wait still limits, through the fallback; one
// Warn record says so however many calls fail, and one Info record says
// when a probe after the back-off finds Redis answering again. From then
// on the limiter shares Redis's budget again.
func TestFallbackWhileRedisIsUnreachable(t *testing.T) {
	const perSecond = 10.0 // 100 ms apart
	ns := namespace(t)
	up := newRedis(t)
	rdb := switchTo(unreachable(t))
	clock := testkit.NewClock()
	logs := &records{}
	lim := New(rdb, perSecond, WithNamespace(ns), WithLogger(slog.New(logs)), withClock(clock.Now))
	ctx := context.Background()

	// Redis down: 3 goroutines x 3 requests, 9 in all, still 100 ms apart.
	start := time.Now()
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			for range 3 {
				if err := lim.Wait(ctx, key); err != nil {
					t.Errorf("Wait = %v", err)
				}
			}
		})
	}
	wg.Wait()
	if took := time.Since(start); took < 750*time.Millisecond {
		t.Errorf("9 requests at %v/s through the fallback took %v, want at least 800 ms", perSecond, took)
	}
	// Past the back-off a probe finds Redis still down: no new record.
	clock.Advance(2 * DefaultBackoff)
	for range 2 {
		if err := lim.Wait(ctx, key); err != nil {
			t.Fatal(err)
		}
	}
	warns := logs.at(slog.LevelWarn)
	if len(warns) != 1 {
		t.Fatalf("%d Warn records, want 1: %v", len(warns), warns)
	}
	w := warns[0]
	if attr(w, "key") != key.String() || !strings.Contains(attr(w, "error"), "connection refused") ||
		!strings.Contains(attr(w, "error"), ns) || attr(w, "namespace") != ns {
		t.Errorf("Warn record %q: key %q, namespace %q, error %q; want the key, the namespace and the cause",
			w.Message, attr(w, "key"), attr(w, "namespace"), attr(w, "error"))
	}
	if n := len(logs.at(slog.LevelInfo)); n != 0 {
		t.Errorf("%d Info records while Redis is down", n)
	}

	// Redis back: nothing changes before the back-off has passed...
	rdb.set(up)
	if err := lim.Wait(ctx, key); err != nil {
		t.Fatal(err)
	}
	if n := len(logs.at(slog.LevelInfo)); n != 0 {
		t.Errorf("Redis was tried before the back-off had passed")
	}
	// ...then the next call finds it.
	clock.Advance(2 * DefaultBackoff)
	if err := lim.Wait(ctx, key); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := lim.Wait(ctx, key); err != nil {
			t.Fatal(err)
		}
	}
	if infos := logs.at(slog.LevelInfo); len(infos) != 1 || attr(infos[0], "key") != key.String() {
		t.Errorf("Info records %v, want one naming the key", infos)
	}
	if n := len(logs.at(slog.LevelWarn)); n != 1 {
		t.Errorf("%d Warn records in all, want 1", n)
	}
	// The limiter's last request took a slot in Redis: another replica's
	// next slot is up to 100 ms away.
	other := New(newRedis(t), perSecond, WithNamespace(ns))
	quick, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if err := other.Wait(quick, key); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("another replica's Wait = %v right after the limiter's request, want it to wait: the limiter is not back on Redis", err)
	}
}

// The records say what failed without the client's credentials.
func TestRecordsHoldNoSecret(t *testing.T) {
	const password = "flowlog-test-password-8d1f"
	o := options(testkit.RedisAddr(t))
	o.Username, o.Password = "flowlog-nobody", password // no such user: AUTH fails
	log, buf := testkit.DebugLogger()
	lim := New(newClient(t, o), 10, WithNamespace(namespace(t)), WithLogger(log))
	if err := lim.Wait(context.Background(), key); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	if !strings.Contains(text, "on local fallback") {
		t.Fatalf("no Warn record for the failed AUTH: %s", text)
	}
	t.Logf("record: %s", text)
	if leaks := testkit.Leaks(text, password); len(leaks) > 0 {
		t.Errorf("the record holds the password: %v", leaks)
	}
}

var _ Client = redis.UniversalClient(nil)
