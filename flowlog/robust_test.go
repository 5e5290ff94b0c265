package flowlog_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
)

// Regression tests of the poller's defects found from outside (issue 11,
// defects 3 to 5): each failed before its fix.

func TestWaitAllCanBeRangedTwice(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFleet()
		f.add("fl-1", 0)
		f.add("fl-2", 3*time.Second)
		c := flowlog.NewClient(f)
		defer c.Close()
		seq := c.WaitAll(t.Context(), region, []string{"fl-1", "fl-2"}, flowlog.MaxWait(time.Minute))
		for round := range 2 {
			n := 0
			for r := range seq {
				require.NoError(t, r.Err, "round %d", round)
				assert.Equal(t, flowlog.StatusActive, r.FlowLog.Status)
				n++
			}
			assert.Equal(t, 2, n, "round %d", round)
		}
	})
}

// A describe call canceled because its last wait left must not end a wait
// that joined while the call was returning.
func TestPollerCanceledCallSparesJoinedWaits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFleet()
		f.latency, f.cancelLag = 5*time.Second, 500*time.Millisecond
		f.add("fl-1", 0)
		c := flowlog.NewClient(f)
		defer c.Close()
		first := make(chan error, 1)
		go func() {
			_, err := c.Wait(t.Context(), region, "fl-1", flowlog.MaxWait(time.Second))
			first <- err
		}()
		time.Sleep(1100 * time.Millisecond) // the first wait timed out; its call is returning
		fl, err := c.Wait(t.Context(), region, "fl-1", flowlog.MaxWait(time.Minute))
		require.NoError(t, err, "the second wait had a minute left")
		assert.Equal(t, flowlog.StatusActive, fl.Status)
		assert.ErrorIs(t, <-first, context.DeadlineExceeded)
	})
}

// A panicking OnStatus callback ends its own wait, in its own goroutine;
// the poller and the other waits of the region go on.
func TestOnStatusPanicStaysWithItsWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFleet()
		f.add("fl-1", 3*time.Second)
		f.add("fl-2", 3*time.Second)
		c := flowlog.NewClient(f)
		defer c.Close()
		other := make(chan error, 1)
		go func() {
			_, err := c.Wait(t.Context(), region, "fl-2", flowlog.MaxWait(time.Minute))
			other <- err
		}()
		panicked := func() (v any) {
			defer func() { v = recover() }()
			_, _ = c.Wait(t.Context(), region, "fl-1", flowlog.OnStatus(func(*flowlog.FlowLog) { panic("boom") }))
			return nil
		}()
		assert.Equal(t, "boom", panicked, "the panic reaches the goroutine that waited")
		assert.NoError(t, <-other, "the other wait is served to its end")

		// The same through WaitAll.
		f.add("fl-3", 3*time.Second)
		panicked = func() (v any) {
			defer func() { v = recover() }()
			for range c.WaitAll(t.Context(), region, []string{"fl-3"},
				flowlog.OnStatus(func(*flowlog.FlowLog) { panic("boom all") })) {
			}
			return nil
		}()
		assert.Equal(t, "boom all", panicked)
	})
}

func TestWaitersOfOneIDGetTheirOwnFlowLog(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFleet()
		f.add("fl-1", 3*time.Second)
		c := flowlog.NewClient(f)
		defer c.Close()
		results := make(chan *flowlog.FlowLog, 2)
		for range 2 {
			go func() {
				fl, err := c.Wait(t.Context(), region, "fl-1")
				assert.NoError(t, err)
				results <- fl
			}()
		}
		a, b := <-results, <-results
		require.NotSame(t, a, b)
		a.Name = "changed by one caller"
		assert.Empty(t, b.Name)
	})
}

// The poller decides what to poll through with the adapters' retry class,
// as the client's retries do: a refused timestamp is polled through, a
// failure that retrying cannot fix ends the wait at once, whatever its code.
func TestWaitClassifiesByRetryClass(t *testing.T) {
	skew := &driver.Error{Code: flowlog.CodeUnauthenticated, Retry: driver.RetryClockSkew,
		Provider: "fake", ProviderCode: "InvalidTimeStamp.Expired"}
	final := &driver.Error{Code: flowlog.CodeUnknown, Retry: driver.RetryNever, Provider: "fake", ProviderCode: "Weird"}
	t.Run("clock skew polls again", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			p := newFake(failing(skew), active())
			fl, err := flowlog.NewClient(p).Wait(t.Context(), region, "fl-1")
			require.NoError(t, err)
			assert.Equal(t, flowlog.StatusActive, fl.Status)
		})
	})
	t.Run("an unknown code that is final ends the wait", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			p := newFake(failing(final), active())
			_, err := flowlog.NewClient(p).Wait(t.Context(), region, "fl-1")
			we := waitErr(t, err)
			assert.Equal(t, 1, we.Polls)
			samePublic(t, final, we.LastErr)
		})
	})
}

// Every sequence the client returns can be ranged again (issue 11,
// defect 3): List's too.
func TestListCanBeRangedTwice(t *testing.T) {
	p := newFake()
	p.listed = listed(5)
	seq := flowlog.NewClient(p).List(t.Context(), region, flowlog.ListFilter{})
	for round := range 2 {
		n := 0
		for fl, err := range seq {
			require.NoError(t, err)
			require.NotNil(t, fl)
			n++
		}
		assert.Equal(t, 5, n, "round %d", round)
	}
}

// The options that configure the client configure one call too: a call's
// own retry settings win over the client's, for that call only.
func TestCallOptionsOverrideTheClientForOneCall(t *testing.T) {
	s := &scripted{creates: []error{throttled, throttled, throttled}}
	c := flowlog.NewClient(s, flowlog.WithRetry(flowlog.MaxAttempts(5),
		flowlog.RetryDelays(time.Millisecond, time.Millisecond, time.Millisecond)))
	_, err := c.Create(t.Context(), validSpec(), flowlog.MaxAttempts(1))
	samePublic(t, throttled, err)
	assert.Equal(t, 1, s.createCalls, "one attempt, as the call asked")

	s.createCalls = 0
	_, err = c.Create(t.Context(), validSpec())
	require.NoError(t, err)
	assert.Equal(t, 4, s.createCalls, "the client's five attempts again: three throttles, then a success")
}
