package ratelimit

import (
	"context"
	"math"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cloudflowlog/flowlog-go/internal/window"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	keyA = Key{Provider: "tencent", Region: "ap-guangzhou", Action: "DescribeFlowLogs"}
	keyB = Key{Provider: "tencent", Region: "ap-guangzhou", Action: "CreateFlowLog"}
	keyC = Key{Provider: "tencent", Region: "ap-shanghai", Action: "DescribeFlowLogs"}
)

// admitted runs n concurrent Waits of k on l and returns the times at which
// they returned, sorted. Each must succeed.
func admitted(t *testing.T, l Limiter, k Key, n int) []time.Time {
	t.Helper()
	var mu sync.Mutex
	var at []time.Time
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			assert.NoError(t, l.Wait(context.Background(), k))
			mu.Lock()
			at = append(at, time.Now())
			mu.Unlock()
		})
	}
	wg.Wait()
	slices.SortFunc(at, time.Time.Compare)
	return at
}

func TestLocalSpreadsRequestsOverSeconds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := NewLocal(20)
		start := time.Now()
		at := admitted(t, l, keyA, 41)
		require.Len(t, at, 41)
		assert.Equal(t, 20, window.Max(at, time.Second), "no second-long window holds more than 20")
		assert.Equal(t, start, at[0], "the first goes at once")
		elapsed := at[40].Sub(start)
		assert.True(t, elapsed >= 2*time.Second && elapsed < 2*time.Second+time.Millisecond,
			"41 requests at 20/s take 2s, not much more: %v", elapsed)
	})
}

func TestLocalKeysAreIndependent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := NewLocal(20)
		start := time.Now()
		keys := []Key{keyA, keyB, keyC, {Provider: "aliyun", Region: keyA.Region, Action: keyA.Action}}
		for _, k := range keys {
			require.NoError(t, l.Wait(context.Background(), k))
			assert.Equal(t, start, time.Now(), "%s: its own budget, so its first request goes at once", k)
		}
		// The second request of every key waits for its own key's next
		// slot only: all of them go 1/20 s after the start.
		var wg sync.WaitGroup
		for _, k := range keys {
			wg.Go(func() {
				assert.NoError(t, l.Wait(context.Background(), k))
				assert.Equal(t, 50*time.Millisecond+time.Microsecond, time.Since(start), "%s", k)
			})
		}
		wg.Wait()
	})
}

func TestLocalNeverEarly(t *testing.T) {
	// x/time/rate truncates float durations: at a plain rate.Limit(20), many
	// grants come a nanosecond early and 21 fit in one second. Irregular
	// pauses between requests exercise its token arithmetic.
	for _, perSecond := range []float64{20, 13, 30} {
		synctest.Test(t, func(t *testing.T) {
			l := NewLocal(perSecond)
			var at []time.Time
			for i := range 500 {
				require.NoError(t, l.Wait(context.Background(), keyA))
				at = append(at, time.Now())
				if i%7 == 3 {
					time.Sleep(time.Duration(i) * time.Microsecond)
				}
			}
			assert.LessOrEqual(t, window.Max(at, time.Second), int(perSecond), "%v/s", perSecond)
		})
	}
}

func TestLocalContextEndsWhileWaiting(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := NewLocal(10) // a slot every 100ms
		start := time.Now()
		require.NoError(t, l.Wait(context.Background(), keyA))

		// Canceled while it waits for the next slot.
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(30*time.Millisecond, cancel)
		assert.ErrorIs(t, l.Wait(ctx, keyA), context.Canceled)
		assert.Equal(t, 30*time.Millisecond, time.Since(start), "returns when the context ends")

		// A deadline before the next slot ends the wait with the deadline's
		// own error, at the deadline.
		ctx, cancel = context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		assert.ErrorIs(t, l.Wait(ctx, keyA), context.DeadlineExceeded)
		assert.Equal(t, 50*time.Millisecond, time.Since(start))

		// An ended context is not even queued.
		assert.ErrorIs(t, l.Wait(ctx, keyA), context.DeadlineExceeded)
		assert.Equal(t, 50*time.Millisecond, time.Since(start))

		// The canceled waits gave their slots back: the next request goes at
		// the first slot after the first request.
		require.NoError(t, l.Wait(context.Background(), keyA))
		assert.Less(t, time.Since(start), 101*time.Millisecond)
	})
}

func TestLocalWithoutLimit(t *testing.T) {
	for _, perSecond := range []float64{0, -1, math.NaN(), math.Inf(1), math.Inf(-1)} {
		synctest.Test(t, func(t *testing.T) {
			l := NewLocal(perSecond)
			start := time.Now()
			admitted(t, l, keyA, 100)
			assert.Equal(t, start, time.Now(), "%v: no wait", perSecond)
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			assert.ErrorIs(t, l.Wait(ctx, keyA), context.Canceled, "%v: an ended context still ends the wait", perSecond)
		})
	}
}

func TestLocalVerySlowRates(t *testing.T) {
	// One request a day: the interval is far past what the microsecond
	// margin is for, and must not overflow.
	synctest.Test(t, func(t *testing.T) {
		l := NewLocal(1.0 / 86400)
		start := time.Now()
		at := admitted(t, l, keyA, 2)
		assert.Equal(t, start, at[0])
		assert.InDelta(t, float64(24*time.Hour), float64(at[1].Sub(start)), float64(time.Millisecond))
	})
	assert.Equal(t, 1e-12, float64(spacing(1e-12)))
}
