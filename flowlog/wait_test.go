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

// Every test that waits runs in a synctest bubble: time is virtual, so the
// waits are instant and the poll times are exact.

const region = "cn-hangzhou"

// gather is the poller's gather window: a wait's first poll comes 1ms after
// it starts, so that waits started together share their first call.
const gather = time.Millisecond

// waitErr asserts that err is a *WaitError and returns it.
func waitErr(t *testing.T, err error) *flowlog.WaitError {
	t.Helper()
	require.Error(t, err)
	var we *flowlog.WaitError
	require.ErrorAs(t, err, &we)
	return we
}

func TestWaitBecomesActive(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newFake(pending("Activating"), pending("Activating"), pending("Activating"), active())
		c := flowlog.NewClient(p)
		start := time.Now()
		fl, err := c.Wait(t.Context(), region, "fl-1", flowlog.PollDelay(time.Second, 4*time.Second))
		require.NoError(t, err)
		assert.Equal(t, "fl-1", fl.ID)
		assert.Equal(t, flowlog.StatusActive, fl.Status)
		assert.Equal(t, 4, p.describeCalls())
		polls := p.pollTimes()
		assert.Equal(t, gather, polls[0].Sub(start), "the first poll comes after the gather window")
		assert.Equal(t, time.Second, polls[1].Sub(polls[0]), "the first delay is the minimum")
	})
}

func TestWaitActiveAtFirstPoll(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newFake(active())
		c := flowlog.NewClient(p)
		start := time.Now()
		fl, err := c.Wait(t.Context(), region, "fl-1")
		require.NoError(t, err)
		assert.Equal(t, flowlog.StatusActive, fl.Status)
		assert.Equal(t, 1, p.describeCalls())
		assert.Equal(t, gather, time.Since(start), "only the gather window")
	})
}

func TestWaitFailsFastOnSettledState(t *testing.T) {
	tests := []struct {
		status flowlog.Status
		raw    string
		reason string
	}{
		{flowlog.StatusInactive, "Inactive", ""},
		{flowlog.StatusFailed, "Unknown", "SLS logstore not found"},
		{flowlog.StatusDeleted, "Deleting", ""},
	}
	for _, tt := range tests {
		t.Run(tt.status.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				p := newFake(pending("Activating"), step{status: tt.status, raw: tt.raw, reason: tt.reason})
				c := flowlog.NewClient(p)
				fl, err := c.Wait(t.Context(), region, "fl-7", flowlog.PollDelay(2*time.Second, 15*time.Second))
				assert.Nil(t, fl)
				we := waitErr(t, err)
				assert.Equal(t, "fake", we.Provider)
				assert.Equal(t, region, we.Region)
				assert.Equal(t, "fl-7", we.ID)
				assert.Equal(t, flowlog.StatusActive, we.Want)
				assert.Equal(t, tt.status, we.Last)
				assert.Equal(t, tt.raw, we.LastRaw)
				assert.Equal(t, tt.reason, we.Reason)
				assert.Equal(t, 2, we.Polls)
				assert.Equal(t, gather+2*time.Second, we.Elapsed, "the first delay is exactly the minimum")
				assert.NoError(t, we.Cause)
				assert.NoError(t, we.LastErr)
				assert.NotErrorIs(t, err, context.DeadlineExceeded)
				assert.Contains(t, err.Error(), "reached "+tt.status.String())
				assert.Contains(t, err.Error(), "("+tt.raw+")")
				if tt.reason != "" {
					assert.Contains(t, err.Error(), tt.reason)
				}
				assert.Equal(t, 2, p.describeCalls(), "no poll after a settled state")
			})
		})
	}
}

func TestWaitToleratesNotFoundWithinGrace(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newFake(missing(), missing(), missing(), pending("Activating"), active())
		c := flowlog.NewClient(p)
		fl, err := c.Wait(t.Context(), region, "fl-1",
			flowlog.PollDelay(time.Second, time.Second), flowlog.NotFoundGrace(5*time.Second))
		require.NoError(t, err)
		assert.Equal(t, flowlog.StatusActive, fl.Status)
		assert.Equal(t, 5, p.describeCalls())
	})
}

func TestWaitNotFoundAfterGrace(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newFake(missing())
		c := flowlog.NewClient(p)
		start := time.Now()
		_, err := c.Wait(t.Context(), region, "fl-404",
			flowlog.PollDelay(time.Second, time.Second), flowlog.NotFoundGrace(10*time.Second))
		we := waitErr(t, err)
		assert.ErrorIs(t, err, flowlog.ErrNotFound)
		assert.NotErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, flowlog.CodeNotFound, flowlog.ErrorCode(err))
		// Polls at 1ms, 1.001s, ..., 10.001s: missing for the whole grace
		// period.
		assert.Equal(t, 11, we.Polls)
		assert.Equal(t, gather+10*time.Second, we.Elapsed)
		assert.Equal(t, gather+10*time.Second, time.Since(start))
		assert.Equal(t, flowlog.StatusUnknown, we.Last)
		assert.Empty(t, we.LastRaw)
		assert.Contains(t, err.Error(), "fl-404 to be active: not found")
		var apiErr *flowlog.Error
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, "fl-404", apiErr.ID)
	})
}

func TestWaitZeroNotFoundGrace(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newFake(missing())
		c := flowlog.NewClient(p)
		_, err := c.Wait(t.Context(), region, "fl-1", flowlog.NotFoundGrace(0))
		assert.ErrorIs(t, err, flowlog.ErrNotFound)
		assert.Equal(t, 1, waitErr(t, err).Polls, "no grace: the first miss ends the wait")
	})
}

func TestWaitPollsThroughTransientErrors(t *testing.T) {
	throttled := apiErr(flowlog.CodeThrottled, "Throttling.User")
	unavailable := apiErr(flowlog.CodeUnavailable, "ServiceUnavailable")
	// A reset after the request was sent: the adapters class it ambiguous
	// under an unknown code; a poll is a read, so it is polled through.
	reset := &driver.Error{Code: flowlog.CodeUnknown, Retry: driver.RetryAmbiguous, Provider: "fake",
		Op: "DescribeFlowLogs", Message: "read: connection reset by peer"}

	t.Run("then active", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			p := newFake(failing(throttled), failing(unavailable), failing(reset), pending("Activating"), active())
			c := flowlog.NewClient(p)
			fl, err := c.Wait(t.Context(), region, "fl-1")
			require.NoError(t, err)
			assert.Equal(t, flowlog.StatusActive, fl.Status)
			assert.Equal(t, 5, p.describeCalls())
		})
	})
	t.Run("kept as last error when a settled state follows", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			p := newFake(pending("Activating"), failing(throttled), step{status: flowlog.StatusInactive, raw: "Inactive"})
			c := flowlog.NewClient(p)
			_, err := c.Wait(t.Context(), region, "fl-1")
			we := waitErr(t, err)
			samePublic(t, throttled, we.LastErr)
			assert.ErrorIs(t, err, flowlog.ErrThrottled)
			assert.Equal(t, flowlog.StatusInactive, we.Last)
			assert.Equal(t, 3, we.Polls)
			assert.NoError(t, we.Cause)
			assert.Contains(t, err.Error(), "reached inactive")
		})
	})
	t.Run("kept as last error at the deadline", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			p := newFake(pending("Activating"), failing(throttled), failing(unavailable))
			c := flowlog.NewClient(p)
			_, err := c.Wait(t.Context(), region, "fl-1", flowlog.MaxWait(time.Minute))
			we := waitErr(t, err)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			samePublic(t, unavailable, we.LastErr)
			assert.ErrorIs(t, err, flowlog.ErrUnavailable)
			assert.Equal(t, flowlog.StatusPending, we.Last, "the last state seen")
			assert.Equal(t, "Activating", we.LastRaw)
			assert.Greater(t, we.Polls, 3)
			assert.Equal(t, time.Minute, we.Elapsed)
			assert.Contains(t, err.Error(), "timed out")
			assert.Contains(t, err.Error(), "ServiceUnavailable")
		})
	})
}

func TestWaitStopsOnPermanentError(t *testing.T) {
	for _, code := range []flowlog.Code{flowlog.CodePermissionDenied, flowlog.CodeUnauthenticated, flowlog.CodeInvalidArgument} {
		t.Run(code.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				denied := apiErr(code, "Forbidden.RAM")
				p := newFake(pending("Activating"), failing(denied), active())
				c := flowlog.NewClient(p)
				start := time.Now()
				_, err := c.Wait(t.Context(), region, "fl-1")
				we := waitErr(t, err)
				assert.Equal(t, 2, we.Polls)
				assert.Equal(t, 2, p.describeCalls(), "no poll after a permanent error")
				samePublic(t, denied, we.LastErr)
				assert.NoError(t, we.Cause)
				assert.Equal(t, code, flowlog.ErrorCode(err))
				assert.NotErrorIs(t, err, context.DeadlineExceeded)
				assert.Equal(t, gather+2*time.Second, time.Since(start))
				assert.Contains(t, err.Error(), "to be active: failed; last status pending (Activating); last error: ")
				assert.Contains(t, err.Error(), "Forbidden.RAM")
			})
		})
	}
	t.Run("permission denied matches its sentinel", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			p := newFake(failing(apiErr(flowlog.CodePermissionDenied, "Forbidden")))
			_, err := flowlog.NewClient(p).Wait(t.Context(), region, "fl-1")
			assert.ErrorIs(t, err, flowlog.ErrPermissionDenied)
			assert.Equal(t, 1, p.describeCalls())
		})
	})
}

func TestWaitContextDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newFake(pending("Activating"))
		c := flowlog.NewClient(p)
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		defer cancel()
		start := time.Now()
		fl, err := c.Wait(ctx, region, "fl-1", flowlog.MaxWait(0))
		assert.Nil(t, fl)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		we := waitErr(t, err)
		assert.Equal(t, context.DeadlineExceeded, we.Cause)
		assert.Equal(t, 30*time.Second, we.Elapsed)
		assert.Equal(t, 30*time.Second, time.Since(start))
		assert.Equal(t, flowlog.StatusPending, we.Last)
		assert.Equal(t, "Activating", we.LastRaw)
		assert.Equal(t, p.describeCalls(), we.Polls)
		assert.NoError(t, we.LastErr)
		assert.Contains(t, err.Error(), "timed out; last status pending (Activating)")
	})
}

func TestWaitContextDeadlineShorterThanMaxWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newFake(pending("Activating"))
		c := flowlog.NewClient(p)
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
		defer cancel()
		_, err := c.Wait(ctx, region, "fl-1", flowlog.MaxWait(time.Hour))
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, 20*time.Second, waitErr(t, err).Elapsed)
	})
}

func TestWaitMaxWaitBoundsWaitWithoutDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newFake(pending("Activating"))
		c := flowlog.NewClient(p)
		start := time.Now()
		_, err := c.Wait(context.Background(), region, "fl-1", flowlog.MaxWait(45*time.Second))
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		we := waitErr(t, err)
		assert.Equal(t, 45*time.Second, we.Elapsed)
		assert.Equal(t, 45*time.Second, time.Since(start))
	})
}

func TestWaitDefaultMaxWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newFake(pending("Activating"))
		c := flowlog.NewClient(p)
		_, err := c.Wait(context.Background(), region, "fl-1")
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, 10*time.Minute, waitErr(t, err).Elapsed)
	})
}

func TestWaitLastPollJustBeforeDeadline(t *testing.T) {
	for _, maxWait := range []time.Duration{60 * time.Second, 61 * time.Second, 97 * time.Second, 5 * time.Minute} {
		t.Run(maxWait.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				const minDelay = 2 * time.Second
				p := newFake(pending("Activating"))
				c := flowlog.NewClient(p)
				start := time.Now()
				_, err := c.Wait(t.Context(), region, "fl-1",
					flowlog.PollDelay(minDelay, 15*time.Second), flowlog.MaxWait(maxWait))
				assert.ErrorIs(t, err, context.DeadlineExceeded)
				assert.Equal(t, maxWait, time.Since(start), "the wait lasts until the deadline")
				polls := p.pollTimes()
				require.NotEmpty(t, polls)
				assert.Equal(t, maxWait-minDelay, polls[len(polls)-1].Sub(start),
					"the last poll leaves exactly the minimum delay before the deadline")
				for i, g := range gaps(polls) {
					assert.Positive(t, g, "poll %d: no back-to-back polls", i+1)
					assert.LessOrEqual(t, g, 15*time.Second)
				}
				assert.Equal(t, len(polls), waitErr(t, err).Polls)
			})
		})
	}
}

func TestWaitDeadlineShorterThanMinDelay(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newFake(pending("Activating"))
		c := flowlog.NewClient(p)
		start := time.Now()
		_, err := c.Wait(t.Context(), region, "fl-1",
			flowlog.PollDelay(5*time.Second, 10*time.Second), flowlog.MaxWait(3*time.Second))
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, 1, p.describeCalls(), "no room for a second poll")
		assert.Equal(t, 3*time.Second, time.Since(start))
	})
}

func TestWaitDelaysStayWithinBounds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const (
			minDelay = 500 * time.Millisecond
			maxDelay = 7 * time.Second
			polls    = 60
		)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		p := newFake(pending("Activating"))
		p.onDescribe = func(n int) {
			if n == polls {
				cancel()
			}
		}
		c := flowlog.NewClient(p)
		_, err := c.Wait(ctx, region, "fl-1", flowlog.PollDelay(minDelay, maxDelay), flowlog.MaxWait(0))
		assert.ErrorIs(t, err, context.Canceled)
		assert.NotErrorIs(t, err, context.DeadlineExceeded)
		we := waitErr(t, err)
		// The context ends during the last poll: whether that poll is
		// counted depends on whether its answer beat the cancellation.
		assert.InDelta(t, polls, we.Polls, 1)
		assert.Contains(t, err.Error(), "canceled")

		g := gaps(p.pollTimes())
		require.Len(t, g, polls-1)
		assert.Equal(t, minDelay, g[0], "attempt 0 waits exactly the minimum")
		for i, d := range g {
			assert.GreaterOrEqual(t, d, minDelay, "gap %d", i)
			assert.LessOrEqual(t, d, maxDelay, "gap %d", i)
		}
		// Attempt 1 draws from [min, 2·min], attempt 2 from [min, 4·min].
		assert.LessOrEqual(t, g[1], 2*minDelay)
		assert.LessOrEqual(t, g[2], 4*minDelay)
	})
}

func TestWaitFixedDelayWhenMaxBelowMin(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		p := newFake(pending("Activating"))
		p.onDescribe = func(n int) {
			if n == 6 {
				cancel()
			}
		}
		_, err := flowlog.NewClient(p).Wait(ctx, region, "fl-1", flowlog.PollDelay(3*time.Second, time.Second))
		assert.ErrorIs(t, err, context.Canceled)
		for _, g := range gaps(p.pollTimes()) {
			assert.Equal(t, 3*time.Second, g)
		}
	})
}

func TestWaitOnStatusOncePerChange(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newFake(
			missing(),
			pending("Activating"), pending("Activating"),
			failing(apiErr(flowlog.CodeThrottled, "Throttling")),
			pending("Activating"),
			pending("Creating"), pending("Creating"),
			active(),
		)
		var seen []string
		c := flowlog.NewClient(p)
		fl, err := c.Wait(t.Context(), region, "fl-1", flowlog.OnStatus(func(fl *flowlog.FlowLog) {
			seen = append(seen, fl.Status.String()+"/"+fl.RawStatus)
		}))
		require.NoError(t, err)
		assert.Equal(t, flowlog.StatusActive, fl.Status)
		assert.Equal(t, []string{"pending/Activating", "pending/Creating", "active/Active"}, seen)
	})
}

func TestWaitCanceledContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		p := newFake(pending("Activating"))
		c := flowlog.NewClient(p)
		go func() {
			time.Sleep(5 * time.Second)
			cancel()
		}()
		start := time.Now()
		_, err := c.Wait(ctx, region, "fl-1")
		assert.ErrorIs(t, err, context.Canceled)
		we := waitErr(t, err)
		assert.Equal(t, 5*time.Second, we.Elapsed)
		assert.Equal(t, 5*time.Second, time.Since(start))
	})
	t.Run("already canceled", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			p := newFake(active())
			_, err := flowlog.NewClient(p).Wait(ctx, region, "fl-1")
			assert.ErrorIs(t, err, context.Canceled)
			we := waitErr(t, err)
			assert.Equal(t, 0, we.Polls, "nothing is sent once the context has ended")
			assert.Zero(t, p.describeCalls())
			assert.NoError(t, we.LastErr, "the context error is the cause, not a poll error")
		})
	})
}

func TestWaitDefaultsAndOverrides(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newFake(pending("Activating"))
		c := flowlog.NewClient(p, flowlog.WithWaitDefaults(flowlog.MaxWait(10*time.Second), flowlog.PollDelay(time.Second, time.Second)))

		_, err := c.Wait(t.Context(), region, "fl-1")
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		we := waitErr(t, err)
		assert.Equal(t, 10*time.Second, we.Elapsed, "client default")
		assert.Equal(t, 10, we.Polls, "polls at 1ms, 1.001s, ... 9.001s")

		_, err = c.Wait(t.Context(), region, "fl-1", flowlog.MaxWait(20*time.Second))
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		we = waitErr(t, err)
		assert.Equal(t, 20*time.Second, we.Elapsed, "per-call override")
		assert.Equal(t, 20, we.Polls)

		// The per-call option did not change the client's defaults.
		_, err = c.Wait(t.Context(), region, "fl-1")
		assert.Equal(t, 10*time.Second, waitErr(t, err).Elapsed)
	})
}

func TestWaitConcurrent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newFake(pending("Activating"), pending("Activating"), pending("Activating"), active())
		c := flowlog.NewClient(p)
		errs := make(chan error, 8)
		for range 8 {
			go func() {
				_, err := c.Wait(t.Context(), region, "fl-1")
				errs <- err
			}()
		}
		for range 8 {
			assert.NoError(t, <-errs)
		}
	})
}
