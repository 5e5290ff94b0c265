package flowlog_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
)

// scripted is a provider whose calls answer from scripts, for the retry loop.
type scripted struct {
	mu      sync.Mutex
	creates []error // the n-th Create fails with creates[n] (nil: success)
	deletes []error
	gets    []error
	found   []*flowlog.FlowLog // what ListPage returns
	findErr error
	gone    bool // Describe finds nothing

	createCalls, deleteCalls, getCalls, findCalls int
	tokens                                        []string
	callTimes                                     []time.Time
}

func (s *scripted) Name() string                                       { return "scripted" }
func (s *scripted) Validate(*flowlog.FlowLogSpec) []flowlog.FieldError { return nil }

func next(script []error, n int) error {
	if n < len(script) {
		return script[n]
	}
	return nil
}

func (s *scripted) Create(_ context.Context, spec *flowlog.FlowLogSpec) (*flowlog.FlowLog, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens = append(s.tokens, spec.ClientToken)
	s.callTimes = append(s.callTimes, time.Now())
	s.createCalls++
	if err := next(s.creates, s.createCalls-1); err != nil {
		return nil, err
	}
	return &flowlog.FlowLog{ID: "fl-new", Provider: "scripted", Region: spec.Region, Status: flowlog.StatusPending}, nil
}

func (s *scripted) Describe(_ context.Context, region string, ids []string) ([]*flowlog.FlowLog, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.getCalls++
	if err := next(s.gets, s.getCalls-1); err != nil {
		return nil, err
	}
	if s.gone {
		return nil, nil
	}
	return []*flowlog.FlowLog{{ID: ids[0], Region: region, Status: flowlog.StatusActive}}, nil
}

func (s *scripted) Delete(context.Context, string, string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deleteCalls++
	return next(s.deletes, s.deleteCalls-1)
}

func (s *scripted) ListPage(context.Context, string, flowlog.ListFilter, string) (driver.Page, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.findCalls++
	return driver.Page{FlowLogs: s.found, Total: len(s.found)}, s.findErr
}
func (s *scripted) SetEnabled(context.Context, string, string, bool) error {
	return errors.New("not used")
}

// tokened adds TokenCreator to scripted.
type tokened struct{ *scripted }

func (tokened) CreateIsIdempotent() bool { return true }

func failure(code flowlog.Code, class driver.RetryClass, providerCode string) *driver.Error {
	return &driver.Error{Code: code, Retry: class, Provider: "scripted", Op: "CreateFlowLog", ProviderCode: providerCode, RequestID: "req-" + providerCode}
}

var (
	throttled = failure(flowlog.CodeThrottled, driver.RetrySafe, "Throttling.User")
	busy      = failure(flowlog.CodeUnavailable, driver.RetrySafe, "OperationConflict")
	lost      = failure(flowlog.CodeUnavailable, driver.RetryAmbiguous, "")
	skew      = failure(flowlog.CodeUnauthenticated, driver.RetryClockSkew, "InvalidTimeStamp.Expired")
	invalid   = failure(flowlog.CodeInvalidArgument, driver.RetryNever, "INVALID_PARAMETER")
	exists    = failure(flowlog.CodeAlreadyExists, driver.RetryNever, "InvalidResourceId.NotFound")
	notFound  = failure(flowlog.CodeNotFound, driver.RetryNever, "InvalidInstanceId")
)

func TestRetrySafeFailuresUntilSuccess(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &scripted{creates: []error{throttled, busy, throttled}}
		c := flowlog.NewClient(p)
		start := time.Now()
		fl, err := c.Create(t.Context(), validSpec())
		require.NoError(t, err)
		assert.Equal(t, "fl-new", fl.ID)
		assert.Equal(t, 4, p.createCalls)
		// Full jitter: each wait is within [0, base·2^(n-1)], from 1s after a
		// throttle and 100ms otherwise.
		gaps := gaps(p.callTimes)
		assert.LessOrEqual(t, gaps[0], time.Second)
		assert.LessOrEqual(t, gaps[1], 200*time.Millisecond)
		assert.LessOrEqual(t, gaps[2], 4*time.Second)
		assert.Equal(t, time.Since(start), gaps[0]+gaps[1]+gaps[2])
		assert.Len(t, p.tokens, 4)
		for _, tok := range p.tokens {
			assert.Equal(t, p.tokens[0], tok, "one logical create, one token")
		}
	})
}

func TestRetryStopsOnFinalErrors(t *testing.T) {
	p := &scripted{creates: []error{invalid}}
	_, err := flowlog.NewClient(p).Create(context.Background(), validSpec())
	samePublic(t, invalid, err)
	assert.Equal(t, 1, p.createCalls)
}

func TestRetryMaxAttempts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &scripted{creates: []error{busy, busy, busy, busy, busy, busy}}
		_, err := flowlog.NewClient(p, flowlog.WithRetry(flowlog.MaxAttempts(3))).Create(t.Context(), validSpec())
		samePublic(t, busy, err)
		assert.Equal(t, 3, p.createCalls)

		p = &scripted{creates: []error{busy, busy}}
		_, err = flowlog.NewClient(p, flowlog.WithRetry(flowlog.MaxAttempts(1))).Create(t.Context(), validSpec())
		samePublic(t, busy, err, "one attempt: no retries")
		assert.Equal(t, 1, p.createCalls)
	})
}

func TestAmbiguousCreateWithTokenIsRepeated(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &scripted{creates: []error{lost, lost}}
		fl, err := flowlog.NewClient(tokened{s}).Create(t.Context(), validSpec())
		require.NoError(t, err)
		assert.Equal(t, "fl-new", fl.ID)
		assert.Equal(t, 3, s.createCalls)
		assert.Equal(t, s.tokens[0], s.tokens[2], "every attempt carries the same token")
	})
}

func TestAmbiguousCreateLooksBeforeCreatingAgain(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		spec := validSpec()
		made := &flowlog.FlowLog{ID: "fl-made", Name: spec.Name, Resource: spec.Resource, TrafficType: flowlog.TrafficAll,
			Destination: spec.Destination, Tags: spec.Tags, Status: flowlog.StatusPending}

		// The lost attempt did create it: the lookup adopts it.
		s := &scripted{creates: []error{lost}, found: []*flowlog.FlowLog{made}}
		fl, err := flowlog.NewClient(s).Create(t.Context(), spec)
		require.NoError(t, err)
		assert.Equal(t, "fl-made", fl.ID)
		assert.Equal(t, 1, s.createCalls, "found, so not created again")
		assert.Equal(t, 1, s.findCalls)

		// It did not: the lookup finds nothing and the create is repeated.
		s = &scripted{creates: []error{lost}}
		fl, err = flowlog.NewClient(s).Create(t.Context(), spec)
		require.NoError(t, err)
		assert.Equal(t, "fl-new", fl.ID)
		assert.Equal(t, 2, s.createCalls)
		assert.Equal(t, 1, s.findCalls)
	})
}

func TestAlreadyExistsAdoptsOrNamesTheExistingFlowLog(t *testing.T) {
	spec := validSpec()
	same := &flowlog.FlowLog{ID: "fl-same", Name: spec.Name, Resource: spec.Resource, TrafficType: flowlog.TrafficAll,
		Destination: spec.Destination, Tags: map[string]string{"team": "net", "extra": "ok"}}
	s := &scripted{creates: []error{exists}, found: []*flowlog.FlowLog{same}}
	fl, err := flowlog.NewClient(s).Create(context.Background(), spec)
	require.NoError(t, err)
	assert.Equal(t, "fl-same", fl.ID, "a matching flow log is adopted")

	differs := *same
	differs.ID, differs.TrafficType, differs.Name = "fl-other", flowlog.TrafficReject, "someone-else"
	s = &scripted{creates: []error{exists}, found: []*flowlog.FlowLog{&differs}}
	_, err = flowlog.NewClient(s).Create(context.Background(), spec)
	require.ErrorIs(t, err, flowlog.ErrAlreadyExists)
	var fe *flowlog.Error
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "fl-other", fe.ID, "the error names the existing flow log")
	assert.Equal(t, "InvalidResourceId.NotFound", fe.ProviderCode)
	assert.Contains(t, err.Error(), "differs from the spec in Name, TrafficType")
	samePublic(t, exists, errors.Unwrap(err), "the provider's own error is kept")
	assert.Equal(t, 1, s.createCalls)
}

func TestClockSkewIsRetriedOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &scripted{creates: []error{skew, skew, skew}}
		_, err := flowlog.NewClient(p).Create(t.Context(), validSpec())
		samePublic(t, skew, err)
		assert.Equal(t, 2, p.createCalls)
	})
}

func TestRetryBudgetLimitsRetriesAcrossCalls(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// 12 tokens: two retries of 5 each, then the budget is empty.
		p := &scripted{creates: []error{busy, busy, busy, busy, busy, busy, busy, busy}}
		c := flowlog.NewClient(p, flowlog.WithRetry(flowlog.RetryBudget(12), flowlog.MaxAttempts(10)))
		_, err := c.Create(t.Context(), validSpec())
		samePublic(t, busy, err)
		assert.Equal(t, 3, p.createCalls, "first attempt + 2 paid retries")
		_, err = c.Create(t.Context(), validSpec())
		samePublic(t, busy, err)
		assert.Equal(t, 4, p.createCalls, "the next call gets no retry either")

		// Successes refill the budget one token at a time.
		p.creates = nil
		for range 5 {
			_, err = c.Create(t.Context(), validSpec())
			require.NoError(t, err)
		}
		p.creates = append(make([]error, p.createCalls), busy)
		_, err = c.Create(t.Context(), validSpec())
		require.NoError(t, err, "2 + 5 tokens pay for one retry again")
	})
}

func TestRetryAfterIsHonouredWithinTheCap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		slow := *throttled
		slow.RetryAfter = 7 * time.Second
		p := &scripted{creates: []error{&slow}}
		c := flowlog.NewClient(p, flowlog.WithRetry(flowlog.RetryDelays(10*time.Millisecond, 10*time.Millisecond, 20*time.Second)))
		start := time.Now()
		_, err := c.Create(t.Context(), validSpec())
		require.NoError(t, err)
		assert.Equal(t, 7*time.Second, time.Since(start))

		slow.RetryAfter = time.Hour
		p = &scripted{creates: []error{&slow}}
		c = flowlog.NewClient(p, flowlog.WithRetry(flowlog.RetryDelays(10*time.Millisecond, 10*time.Millisecond, 3*time.Second)))
		start = time.Now()
		_, err = c.Create(t.Context(), validSpec())
		require.NoError(t, err)
		assert.Equal(t, 3*time.Second, time.Since(start), "capped")
	})
}

func TestRetryWaitHonoursTheContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		slow := *throttled
		slow.RetryAfter = 10 * time.Second
		p := &scripted{creates: []error{&slow}}
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		defer cancel()
		start := time.Now()
		_, err := flowlog.NewClient(p).Create(ctx, validSpec())
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.ErrorIs(t, err, flowlog.ErrThrottled, "the last failure is kept")
		assert.Equal(t, 2*time.Second, time.Since(start))
		assert.Equal(t, 1, p.createCalls)
	})
}

func TestDeleteAndGetRetry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &scripted{deletes: []error{lost, notFound}}
		c := flowlog.NewClient(p)
		require.NoError(t, c.Delete(t.Context(), region, "fl-1"), "not found after a lost delete: it is gone")
		assert.Equal(t, 2, p.deleteCalls)

		p = &scripted{deletes: []error{notFound}}
		assert.NoError(t, flowlog.NewClient(p).Delete(t.Context(), region, "fl-1"), "already gone is success")
		assert.Equal(t, 1, p.deleteCalls)

		p = &scripted{gets: []error{throttled, lost}}
		fl, err := flowlog.NewClient(p).Get(t.Context(), region, "fl-1")
		require.NoError(t, err)
		assert.Equal(t, "fl-1", fl.ID)
		assert.Equal(t, 3, p.getCalls, "reads are repeated whatever happened")
	})
}

func TestSharedRetryBudgetSpansClients(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// 12 tokens for both clients: the first one's two retries leave too
		// few for the second one's.
		budget := flowlog.NewRetryBudget(12)
		opts := flowlog.WithRetry(flowlog.SharedRetryBudget(budget), flowlog.MaxAttempts(10))
		p1 := &scripted{creates: []error{busy, busy, busy, busy, busy}}
		p2 := &scripted{creates: []error{busy, busy, busy, busy, busy}}
		_, err := flowlog.NewClient(p1, opts).Create(t.Context(), validSpec())
		samePublic(t, busy, err)
		assert.Equal(t, 3, p1.createCalls, "first attempt + 2 paid retries")
		_, err = flowlog.NewClient(p2, opts).Create(t.Context(), validSpec())
		samePublic(t, busy, err)
		assert.Equal(t, 1, p2.createCalls, "the other client's retries emptied the budget")

		// Each client without it has a budget of its own.
		p3 := &scripted{creates: []error{busy, busy}}
		_, err = flowlog.NewClient(p3, flowlog.WithRetry(flowlog.SharedRetryBudget(budget), flowlog.RetryBudget(12))).
			Create(t.Context(), validSpec())
		require.NoError(t, err, "RetryBudget after SharedRetryBudget wins")
		assert.Equal(t, 3, p3.createCalls)
	})
}

// countingBudget is a ratelimit.Budget that records what it is asked.
type countingBudget struct {
	mu      sync.Mutex
	takes   []int
	refunds []int
	ctxs    []context.Context
	refuse  bool
}

func (b *countingBudget) Take(ctx context.Context, n int) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.takes, b.ctxs = append(b.takes, n), append(b.ctxs, ctx)
	return !b.refuse
}

func (b *countingBudget) Refund(ctx context.Context, n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refunds, b.ctxs = append(b.refunds, n), append(b.ctxs, ctx)
}

type ctxKey struct{}

func TestSharedRetryBudgetIsAskedAtTheRetryPrices(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := &countingBudget{}
		s := &scripted{creates: []error{busy, lost}}
		c := flowlog.NewClient(tokened{s}, flowlog.WithRetry(flowlog.SharedRetryBudget(b)))
		ctx := context.WithValue(t.Context(), ctxKey{}, "call")
		_, err := c.Create(ctx, validSpec())
		require.NoError(t, err)
		assert.Equal(t, []int{5, 10}, b.takes, "a retry costs 5, after an ambiguous failure 10")
		assert.Equal(t, []int{1}, b.refunds, "a success gives 1 back")
		for _, got := range b.ctxs {
			assert.Equal(t, "call", got.Value(ctxKey{}), "the budget gets the call's context")
		}

		b = &countingBudget{refuse: true}
		s = &scripted{creates: []error{busy}}
		_, err = flowlog.NewClient(s, flowlog.WithRetry(flowlog.SharedRetryBudget(b))).Create(t.Context(), validSpec())
		samePublic(t, busy, err, "a refusing budget ends the call with its error")
		assert.Equal(t, 1, s.createCalls)

		// A nil budget is the client's own.
		s = &scripted{creates: []error{busy}}
		_, err = flowlog.NewClient(s, flowlog.WithRetry(flowlog.SharedRetryBudget(b), flowlog.SharedRetryBudget(nil))).
			Create(t.Context(), validSpec())
		require.NoError(t, err)
	})
}

// After a throttle the wait before a retry is at least half its ceiling, so
// the retry does not land in the second that refused it; after a
// transient error it may be anything up to the ceiling (full jitter).
func TestThrottleRetriesWaitAtLeastHalfTheirCeiling(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		shortest := map[bool]time.Duration{}
		for i := range 200 {
			throttle := i%2 == 0
			fail := busy
			if throttle {
				fail = throttled
			}
			p := &scripted{creates: []error{fail}}
			c := flowlog.NewClient(p, flowlog.WithRetry(flowlog.RetryDelays(time.Second, time.Second, 20*time.Second)))
			start := time.Now()
			_, err := c.Create(t.Context(), validSpec())
			require.NoError(t, err)
			d := time.Since(start)
			require.LessOrEqual(t, d, time.Second, "the first retry's ceiling is the base")
			if s, ok := shortest[throttle]; !ok || d < s {
				shortest[throttle] = d
			}
		}
		assert.GreaterOrEqual(t, shortest[true], 500*time.Millisecond, "after a throttle")
		assert.Less(t, shortest[false], 500*time.Millisecond, "after a transient error, full jitter")
	})
}

// The wait after a throttle stops growing at four times the throttle
// base: the limiter sets the rate, and a longer wait only leaves the limit
// unused. After transient errors the ceiling keeps doubling.
func TestThrottleRetriesStopGrowingAtFourTimesTheirBase(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		longest := map[bool]time.Duration{}
		for i := range 100 {
			throttle := i%2 == 0
			fail := busy
			if throttle {
				fail = throttled
			}
			p := &scripted{creates: []error{fail, fail, fail, fail}}
			c := flowlog.NewClient(p, flowlog.WithRetry(flowlog.RetryDelays(time.Second, time.Second, 20*time.Second)))
			_, err := c.Create(t.Context(), validSpec())
			require.NoError(t, err)
			for n, d := range gaps(p.callTimes) {
				if throttle {
					ceiling := min(time.Second<<n, 4*time.Second)
					require.GreaterOrEqual(t, d, ceiling/2, "retry %d after a throttle", n+1)
					require.LessOrEqual(t, d, ceiling, "retry %d after a throttle", n+1)
				}
				longest[throttle] = max(longest[throttle], d)
			}
		}
		assert.Greater(t, longest[false], 4*time.Second, "after transient errors the ceiling doubles up to 8s")
	})
}
