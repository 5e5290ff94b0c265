package flowlog_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
)

// fleet is a provider whose flow logs activate at set times, for tests of
// the shared poller. It records every Describe call.
type fleet struct {
	mu       sync.Mutex
	activeAt map[string]time.Time // ID -> when it turns active
	latency  time.Duration        // how long each Describe takes
	// cancelLag is how long a canceled Describe takes to return, as a real
	// HTTP exchange does.
	cancelLag time.Duration
	// fail, when set, decides the error of the n-th call (1-based).
	fail  func(n int) error
	calls []fleetCall
}

type fleetCall struct {
	at     time.Time
	region string
	ids    []string
}

// bubbleGoroutines counts the goroutines of the calling synctest bubble.
// runtime.NumGoroutine would also count goroutines of earlier tests that are
// still winding down outside the bubble, which made goroutine counts flaky on
// a loaded machine; the traceback marks bubbled goroutines, so count those.
func bubbleGoroutines() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	count := 0
	for line := range strings.Lines(string(buf)) {
		if strings.HasPrefix(line, "goroutine ") && strings.Contains(line, "synctest bubble") {
			count++
		}
	}
	return count
}

func newFleet() *fleet { return &fleet{activeAt: map[string]time.Time{}} }

func (f *fleet) Name() string                                       { return "fleet" }
func (f *fleet) Validate(*flowlog.FlowLogSpec) []flowlog.FieldError { return nil }
func (f *fleet) Create(context.Context, *flowlog.FlowLogSpec) (*flowlog.FlowLog, error) {
	return nil, errors.New("not used")
}
func (f *fleet) Delete(context.Context, string, string) error { return errors.New("not used") }
func (f *fleet) ListPage(context.Context, string, flowlog.ListFilter, string) (driver.Page, error) {
	return driver.Page{}, errors.New("not used")
}
func (f *fleet) SetEnabled(context.Context, string, string, bool) error {
	return errors.New("not used")
}

func (f *fleet) Describe(ctx context.Context, region string, ids []string) ([]*flowlog.FlowLog, error) {
	f.mu.Lock()
	f.calls = append(f.calls, fleetCall{time.Now(), region, slices.Sorted(slices.Values(ids))})
	n := len(f.calls)
	fail, latency, lag := f.fail, f.latency, f.cancelLag
	f.mu.Unlock()
	if latency > 0 {
		select {
		case <-time.After(latency):
		case <-ctx.Done():
			time.Sleep(lag)
			return nil, ctx.Err()
		}
	}
	if fail != nil {
		if err := fail(n); err != nil {
			return nil, err
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*flowlog.FlowLog
	for _, id := range ids {
		at, ok := f.activeAt[id]
		if !ok {
			continue
		}
		fl := &flowlog.FlowLog{ID: id, Provider: "fleet", Region: region, Status: flowlog.StatusPending, RawStatus: "Activating"}
		if !time.Now().Before(at) {
			fl.Status, fl.RawStatus = flowlog.StatusActive, "Active"
		}
		out = append(out, fl)
	}
	return out, nil
}

func (f *fleet) add(id string, after time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.activeAt[id] = time.Now().Add(after)
}

func (f *fleet) snapshot() []fleetCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

func TestPollerCoalescesWaitsIntoOneCallPerTick(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFleet()
		const n = 200
		for i := range n {
			f.add(fmt.Sprintf("fl-%03d", i), time.Duration(1+i%10)*time.Second)
		}
		c := flowlog.NewClient(f, flowlog.WithWaitDefaults(flowlog.PollDelay(time.Second, time.Second)))
		defer c.Close()
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				_, err := c.Wait(t.Context(), region, fmt.Sprintf("fl-%03d", i))
				assert.NoError(t, err)
			})
		}
		wg.Wait()
		calls := f.snapshot()
		// Activation times spread over 10s and polls are 1s apart: about
		// one call per second, not one per wait per second.
		assert.LessOrEqual(t, len(calls), 12, "calls: %d", len(calls))
		assert.Len(t, calls[0].ids, n, "the first call covers every wait")
		for i := 1; i < len(calls); i++ {
			assert.Positive(t, calls[i].at.Sub(calls[i-1].at), "calls are spaced, not back to back")
		}
	})
}

func TestPollerSharesOneSlotPerID(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFleet()
		f.add("fl-1", 3*time.Second)
		c := flowlog.NewClient(f, flowlog.WithWaitDefaults(flowlog.PollDelay(time.Second, time.Second)))
		defer c.Close()
		var wg sync.WaitGroup
		for range 5 {
			wg.Go(func() {
				fl, err := c.Wait(t.Context(), region, "fl-1")
				assert.NoError(t, err)
				assert.Equal(t, flowlog.StatusActive, fl.Status)
			})
		}
		wg.Wait()
		for _, call := range f.snapshot() {
			assert.Equal(t, []string{"fl-1"}, call.ids, "five waits, one slot")
		}
		assert.Len(t, f.snapshot(), 4, "polls at 1ms, 1s, 2s and 3s (+1ms)")
	})
}

func TestPollerWaitsAddedDuringACallJoinTheNext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFleet()
		f.latency = 500 * time.Millisecond
		f.add("fl-a", 0)
		f.add("fl-b", 0)
		c := flowlog.NewClient(f, flowlog.WithWaitDefaults(flowlog.PollDelay(time.Second, time.Second)))
		defer c.Close()
		done := make(chan struct{})
		go func() {
			defer close(done)
			_, err := c.Wait(t.Context(), region, "fl-a")
			assert.NoError(t, err)
		}()
		time.Sleep(100 * time.Millisecond) // fl-a's call is in flight
		_, err := c.Wait(t.Context(), region, "fl-b")
		require.NoError(t, err)
		<-done
		calls := f.snapshot()
		require.Len(t, calls, 2)
		assert.Equal(t, []string{"fl-a"}, calls[0].ids)
		assert.Equal(t, []string{"fl-b"}, calls[1].ids)
		assert.Equal(t, 500*time.Millisecond, calls[1].at.Sub(calls[0].at), "the next call starts when the first returns")
	})
}

func TestPollerThrottleSlowsTheWholeScope(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFleet()
		throttled := &driver.Error{Code: flowlog.CodeThrottled, Retry: driver.RetrySafe, ProviderCode: "Throttling.User"}
		f.fail = func(n int) error {
			if n <= 3 {
				return throttled
			}
			return nil
		}
		for i := range 50 {
			f.add(fmt.Sprintf("fl-%02d", i), 0)
		}
		const minDelay = time.Second
		c := flowlog.NewClient(f, flowlog.WithWaitDefaults(flowlog.PollDelay(minDelay, 8*time.Second)))
		defer c.Close()
		var wg sync.WaitGroup
		for i := range 50 {
			wg.Go(func() {
				_, err := c.Wait(t.Context(), region, fmt.Sprintf("fl-%02d", i))
				assert.NoError(t, err, "a throttle is transient")
			})
		}
		wg.Wait()
		calls := f.snapshot()
		require.Len(t, calls, 4, "three throttled calls for all fifty waits, then one that succeeds")
		for i := 1; i < len(calls); i++ {
			assert.GreaterOrEqual(t, calls[i].at.Sub(calls[i-1].at), minDelay)
		}
	})
}

func TestPollerPermanentErrorEndsEveryWaitOfTheCall(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFleet()
		denied := &flowlog.Error{Code: flowlog.CodePermissionDenied, ProviderCode: "Forbidden.RAM"}
		f.fail = func(int) error { return denied }
		f.add("fl-1", time.Hour)
		f.add("fl-2", time.Hour)
		c := flowlog.NewClient(f)
		defer c.Close()
		results := map[string]error{}
		for r := range c.WaitAll(t.Context(), region, []string{"fl-1", "fl-2"}) {
			results[r.ID] = r.Err
		}
		require.Len(t, results, 2)
		for id, err := range results {
			assert.ErrorIs(t, err, flowlog.ErrPermissionDenied, id)
			var we *flowlog.WaitError
			require.ErrorAs(t, err, &we)
			assert.Equal(t, id, we.ID)
			assert.Equal(t, 1, we.Polls)
		}
		assert.Len(t, f.snapshot(), 1)
	})
}

func TestWaitAllYieldsInCompletionOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFleet()
		f.add("fl-slow", 5*time.Second)
		f.add("fl-fast", time.Second)
		f.add("fl-mid", 3*time.Second)
		c := flowlog.NewClient(f, flowlog.WithWaitDefaults(flowlog.PollDelay(time.Second, time.Second)))
		defer c.Close()
		start := time.Now()
		var order []string
		var at []time.Duration
		for r := range c.WaitAll(t.Context(), region, []string{"fl-slow", "fl-fast", "fl-mid", "fl-fast"}) {
			require.NoError(t, r.Err)
			require.Equal(t, r.ID, r.FlowLog.ID)
			order = append(order, r.ID)
			at = append(at, time.Since(start))
		}
		assert.Equal(t, []string{"fl-fast", "fl-mid", "fl-slow"}, order, "each result as it completes; duplicates once")
		assert.Equal(t, []time.Duration{gather + time.Second, gather + 3*time.Second, gather + 5*time.Second}, at)
	})
}

func TestWaitAllDeadlineReportsEveryUnfinishedWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFleet()
		f.add("fl-1", time.Second)
		f.add("fl-2", time.Hour)
		f.add("fl-3", time.Hour)
		c := flowlog.NewClient(f, flowlog.WithWaitDefaults(flowlog.PollDelay(time.Second, time.Second)))
		defer c.Close()
		got := map[string]error{}
		for r := range c.WaitAll(t.Context(), region, []string{"fl-1", "fl-2", "fl-3"}, flowlog.MaxWait(10*time.Second)) {
			got[r.ID] = r.Err
		}
		assert.NoError(t, got["fl-1"])
		for _, id := range []string{"fl-2", "fl-3"} {
			assert.ErrorIs(t, got[id], context.DeadlineExceeded, id)
			var we *flowlog.WaitError
			require.ErrorAs(t, got[id], &we)
			assert.Equal(t, flowlog.StatusPending, we.Last)
			assert.Equal(t, 10*time.Second, we.Elapsed)
		}
	})
}

func TestWaitAllStopsEarlyAndLeavesNothingRunning(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFleet()
		f.add("fl-1", time.Second)
		f.add("fl-2", time.Hour)
		c := flowlog.NewClient(f, flowlog.WithWaitDefaults(flowlog.PollDelay(time.Second, time.Second)))
		defer c.Close()
		before := bubbleGoroutines()
		for r := range c.WaitAll(t.Context(), region, []string{"fl-1", "fl-2"}) {
			require.NoError(t, r.Err)
			break
		}
		synctest.Wait()
		assert.Equal(t, before, bubbleGoroutines(), "the scope goroutine ends with its last wait")
		n := len(f.snapshot())
		time.Sleep(time.Minute)
		assert.Len(t, f.snapshot(), n, "no polling after the waits are gone")
	})
}

func TestPollerOneGoroutinePerRegion(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFleet()
		for i := range 300 {
			f.add(fmt.Sprintf("fl-%03d", i), time.Hour)
		}
		c := flowlog.NewClient(f, flowlog.WithWaitDefaults(flowlog.PollDelay(time.Second, time.Second)))
		defer c.Close()
		ctx, cancel := context.WithCancel(t.Context())
		base := bubbleGoroutines()
		regions := []string{"cn-hangzhou", "cn-shanghai", "ap-guangzhou"}
		var ids [3][]string
		for i := range 300 {
			ids[i%3] = append(ids[i%3], fmt.Sprintf("fl-%03d", i))
		}
		var wg sync.WaitGroup
		for i, r := range regions {
			wg.Go(func() {
				for range c.WaitAll(ctx, r, ids[i]) {
				}
			})
		}
		time.Sleep(2500 * time.Millisecond)
		synctest.Wait()
		// 3 WaitAll callers + 3 scope goroutines, whatever the number of waits.
		assert.Equal(t, base+6, bubbleGoroutines())
		calls := f.snapshot()
		assert.Len(t, calls, 9, "3 regions x polls at 0s, 1s, 2s")
		for _, call := range calls {
			assert.Len(t, call.ids, 100)
		}
		cancel()
		wg.Wait()
		synctest.Wait()
		assert.Equal(t, base, bubbleGoroutines())
	})
}

func TestCloseEndsWaitsInProgress(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFleet()
		f.add("fl-1", time.Hour)
		c := flowlog.NewClient(f)
		errs := make(chan error, 1)
		go func() {
			_, err := c.Wait(context.Background(), region, "fl-1")
			errs <- err
		}()
		time.Sleep(5 * time.Second)
		require.NoError(t, c.Close())
		err := <-errs
		assert.ErrorIs(t, err, flowlog.ErrClosed)
		var we *flowlog.WaitError
		require.ErrorAs(t, err, &we)
		assert.Equal(t, "fl-1", we.ID)
		assert.Equal(t, flowlog.StatusPending, we.Last)
		_, err = c.Wait(context.Background(), region, "fl-1")
		assert.ErrorIs(t, err, flowlog.ErrClosed)
		for r := range c.WaitAll(context.Background(), region, []string{"fl-1"}) {
			assert.ErrorIs(t, r.Err, flowlog.ErrClosed)
		}
		assert.NoError(t, c.Close(), "Close twice is fine")
	})
}
