package flowlog

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"go.opentelemetry.io/otel/trace"

	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/internal/backoff"
)

// The poller is the one mechanism behind every wait of a Client.
//
// Waits are grouped into scopes, one per region (the provider is the
// Client's). Each scope has one goroutine, started by its first wait and
// ended with its last, which repeatedly makes one Describe call for every
// flow log that is due and hands each result to every wait on that ID. Waits
// that arrive while a call is in flight join the next call, and two waits on
// the same ID share one slot in the call. So N concurrent waits in a region
// cost about one describe call (a few pages) per poll interval rather than N,
// and the number of goroutines follows the number of regions, not of waits.
//
// Each wait keeps its own backoff (exponential between its min and max
// delay, clamped to its deadline); a slot is due when its earliest wait is.
// The jitter is drawn once per call, so waits that started together stay
// together instead of drifting into a call each. A describe call that fails
// with a transient error (throttled, unavailable) holds the whole scope back
// with its own growing delay, so a throttled API is not hit harder by more
// waiters.
type poller struct {
	p      driver.Provider
	tel    *telemetry
	ctx    context.Context // ends when the client closes
	cancel context.CancelFunc

	mu     sync.Mutex
	scopes map[string]*scope
	closed bool
	wg     sync.WaitGroup
}

type scope struct {
	region  string
	waiters map[string][]*waiter // slots, by flow log ID
	wake    chan struct{}        // a new wait is due: end the current sleep
	// holdUntil delays the scope's next call after a transient error.
	holdUntil  time.Time
	errAttempt int
	// cancelCall ends the in-flight describe call once nobody waits;
	// callCanceled records that it did, so that the call's error (a
	// canceled context) is not taken for news about the waits that joined
	// since.
	cancelCall   context.CancelFunc
	callCanceled bool
}

// waiter is one wait for one flow log.
type waiter struct {
	id       string
	want     Status
	cfg      waitConfig
	start    time.Time
	deadline time.Time // zero: none
	attempt  int
	due      time.Time // zero: no further poll fits before the deadline
	we       WaitError
	out      chan<- WaitResult
	finished bool
	// span is the span of the wait's operation, to which the describe
	// calls that serve it link (invalid when tracing is off).
	span trace.SpanContext
}

// gatherWindow delays a new wait's first poll a little, so that waits started
// together (a loop over many IDs, WaitAll) share their first describe call
// instead of each racing the scope goroutine into a call of its own.
const gatherWindow = time.Millisecond

func newPoller(p driver.Provider, tel *telemetry) *poller {
	ctx, cancel := context.WithCancel(context.Background())
	return &poller{p: p, tel: tel, ctx: ctx, cancel: cancel, scopes: map[string]*scope{}}
}

// newWaiter prepares a wait that has not been registered yet. Waits started
// together get the same start, hence the same first poll: on a slow machine,
// starts taken one by one could straddle a poll and split it in two.
func (pl *poller) newWaiter(ctx context.Context, id string, want Status, cfg waitConfig, start time.Time, out chan<- WaitResult) *waiter {
	w := &waiter{id: id, want: want, cfg: cfg, start: start, out: out}
	w.due = w.start.Add(gatherWindow)
	w.deadline, _ = ctx.Deadline()
	w.we = WaitError{Provider: pl.p.Name(), ID: id, Want: want}
	if pl.tel.tracer != nil {
		w.span = trace.SpanContextFromContext(ctx)
	}
	return w
}

// add registers waits of one region. It fails once the client is closed.
func (pl *poller) add(region string, ws ...*waiter) error {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	if pl.closed {
		return ErrClosed
	}
	s := pl.scopes[region]
	if s == nil {
		s = &scope{region: region, waiters: map[string][]*waiter{}, wake: make(chan struct{}, 1)}
		pl.scopes[region] = s
		pl.wg.Add(1)
		go pl.run(s)
	}
	for _, w := range ws {
		w.we.Region = region
		s.waiters[w.id] = append(s.waiters[w.id], w)
	}
	select {
	case s.wake <- struct{}{}:
	default:
	}
	return nil
}

// remove withdraws a wait whose caller stopped waiting. It reports false
// when the wait had already finished: its result is then on its way.
func (pl *poller) remove(region string, w *waiter) bool {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	if w.finished {
		return false
	}
	w.finished = true
	if s := pl.scopes[region]; s != nil {
		s.drop(w)
		if len(s.waiters) == 0 && s.cancelCall != nil {
			s.cancelCall()
			s.callCanceled = true
		}
		select {
		case s.wake <- struct{}{}:
		default:
		}
	}
	return true
}

func (s *scope) drop(w *waiter) {
	slot := s.waiters[w.id]
	for i, x := range slot {
		if x == w {
			slot = append(slot[:i], slot[i+1:]...)
			break
		}
	}
	if len(slot) == 0 {
		delete(s.waiters, w.id)
	} else {
		s.waiters[w.id] = slot
	}
}

// close ends every wait with ErrClosed and stops the scope goroutines.
func (pl *poller) close() {
	pl.mu.Lock()
	pl.closed = true
	var done []*waiter
	for _, s := range pl.scopes {
		for _, slot := range s.waiters {
			for _, w := range slot {
				w.finished = true
				w.we.Cause = ErrClosed
				w.we.Elapsed = time.Since(w.start)
				done = append(done, w)
			}
		}
		s.waiters = map[string][]*waiter{}
	}
	pl.mu.Unlock()
	pl.cancel()
	for _, w := range done {
		w.out <- WaitResult{ID: w.id, Err: &w.we}
	}
	pl.wg.Wait()
}

// run is a scope's goroutine: sleep until a slot is due, describe every due
// slot in one call, deliver, repeat; return when no wait is left.
func (pl *poller) run(s *scope) {
	defer pl.wg.Done()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		pl.mu.Lock()
		if len(s.waiters) == 0 || pl.closed {
			delete(pl.scopes, s.region)
			pl.mu.Unlock()
			return
		}
		now := time.Now()
		ids, next := s.due(now)
		if len(ids) == 0 {
			pl.mu.Unlock()
			var tc <-chan time.Time
			if !next.IsZero() {
				timer.Reset(next.Sub(now))
				tc = timer.C
			}
			// Timers are synchronous since Go 1.23: Reset and Stop leave no
			// stale tick behind.
			select {
			case <-tc:
			case <-s.wake:
				timer.Stop()
			case <-pl.ctx.Done():
			}
			continue
		}
		callCtx, cancel := context.WithCancel(pl.ctx)
		s.cancelCall = cancel
		links := s.links(pl.tel, ids)
		pl.mu.Unlock()

		callCtx, span := pl.tel.startPoll(callCtx, s.region, len(ids), links)
		fls, err := pl.p.Describe(callCtx, s.region, ids)
		pl.tel.endPoll(callCtx, span, s.region, err)
		cancel()

		pl.mu.Lock()
		s.cancelCall = nil
		if s.callCanceled && err != nil {
			// Every wait of the call left and the call was canceled for
			// them: its error says nothing about waits that joined since,
			// which are still due and go into the next call.
			s.callCanceled = false
			pl.mu.Unlock()
			continue
		}
		s.callCanceled = false
		notify, results := s.deliver(ids, fls, err, now, pl.ctx.Err() != nil)
		pl.mu.Unlock()
		// User callbacks and results go out without the lock held, callbacks
		// first, so a wait never returns before its progress was reported.
		for _, n := range notify {
			if v, ok := callback(n.fn, n.fl); ok {
				results = pl.panicked(s, n.w, v, results)
			}
		}
		for _, r := range results {
			r.w.out <- r.res
		}
	}
}

// callback runs an OnStatus function and reports whether it panicked, and
// with what.
func callback(fn func(*FlowLog), fl *FlowLog) (v any, panicked bool) {
	panicked = true
	defer func() {
		if panicked {
			v = recover()
			if v == nil {
				v = "flowlog: OnStatus callback panicked with nil" // panic(nil) is still a panic
			}
		}
	}()
	fn(fl)
	return nil, false
}

// panicked ends the wait w, whose OnStatus callback panicked with v: its
// result, pending in results or made now, carries v for the waiting
// goroutine to panic with again.
func (pl *poller) panicked(s *scope, w *waiter, v any, results []delivery) []delivery {
	for i := range results {
		if results[i].w == w {
			results[i].res.panicked = v
			return results
		}
	}
	pl.mu.Lock()
	defer pl.mu.Unlock()
	if w.finished {
		return results // withdrawn meanwhile: nobody waits for the result
	}
	w.finished = true
	s.drop(w)
	w.we.Cause = fmt.Errorf("flowlog: OnStatus callback panicked: %v", v)
	w.we.Elapsed = time.Since(w.start)
	return append(results, delivery{w, WaitResult{ID: w.id, Err: &w.we, panicked: v}})
}

// due returns the IDs to describe now and, when there are none, when the
// next one is due (zero: nothing is scheduled). The caller holds the lock.
//
// A call for one flow log is a cheap filtered call, but a call for several
// lists the region page by page anyway (the adapters choose whichever costs
// fewer requests), so once two slots are due every wait of the region rides
// along: its news comes for free and its next poll moves out.
func (s *scope) due(now time.Time) ([]string, time.Time) {
	var due []string
	var next time.Time
	for id, slot := range s.waiters {
		var at time.Time
		for _, w := range slot {
			if !w.due.IsZero() && (at.IsZero() || w.due.Before(at)) {
				at = w.due
			}
		}
		if at.IsZero() {
			continue
		}
		if at.Before(s.holdUntil) {
			at = s.holdUntil
		}
		if !at.After(now) {
			due = append(due, id)
		} else if next.IsZero() || at.Before(next) {
			next = at
		}
	}
	switch len(due) {
	case 0:
		return nil, next
	case 1:
		return due, time.Time{}
	}
	all := make([]string, 0, len(s.waiters))
	for id := range s.waiters {
		all = append(all, id)
	}
	return all, time.Time{}
}

// maxPollLinks bounds the links of a describe call's span to the waits it
// serves; the batch size attribute still says how many there were.
const maxPollLinks = 128

// links returns the links of a describe call for ids to the spans of their
// waits, nil when tracing is off. The caller holds the lock.
func (s *scope) links(tel *telemetry, ids []string) []trace.Link {
	if tel.tracer == nil {
		return nil
	}
	var links []trace.Link
	for _, id := range ids {
		for _, w := range s.waiters[id] {
			if w.span.IsValid() && len(links) < maxPollLinks {
				links = append(links, trace.Link{SpanContext: w.span})
			}
		}
	}
	return links
}

type notification struct {
	w  *waiter
	fn func(*FlowLog)
	fl *FlowLog
}

type delivery struct {
	w   *waiter
	res WaitResult
}

// deliver applies the outcome of one describe call to the waits of ids. The
// caller holds the lock.
//
// Next polls are counted from started, when the call began: a describe call
// that pages through a region takes a while, and the poll interval is the
// time between the starts of two calls.
func (s *scope) deliver(ids []string, fls []*FlowLog, err error, started time.Time, closing bool) ([]notification, []delivery) {
	if closing {
		return nil, nil // close() answers every wait
	}
	now := time.Now()
	// One jitter fraction for the whole call: waits at the same attempt stay
	// together and keep sharing calls, while the jitter still varies from
	// call to call.
	frac := rand.Float64()
	var notify []notification
	var results []delivery
	finish := func(w *waiter, fl *FlowLog, cause error, failed bool) {
		w.finished = true
		s.drop(w)
		res := WaitResult{ID: w.id, FlowLog: fl}
		if failed {
			w.we.Cause = cause
			w.we.Elapsed = now.Sub(w.start)
			res.Err = &w.we
		}
		results = append(results, delivery{w, res})
	}

	if err != nil && transient(err) {
		minD, maxD := s.delays(ids)
		s.holdUntil = now.Add(backoff.Exponential(s.errAttempt, minD, maxD))
		s.errAttempt++
	} else if err == nil {
		s.errAttempt = 0
	}
	for _, id := range ids {
		var fl *FlowLog
		if err == nil {
			fl = find(fls, id)
		}
		for _, w := range append([]*waiter(nil), s.waiters[id]...) {
			w.we.Polls++
			switch {
			case err != nil:
				w.we.LastErr = public(err)
				if !transient(err) {
					finish(w, nil, nil, true)
					continue
				}
				// The scope's hold decides when to try again; the wait's
				// own schedule stays, so the batch stays together.
				if !w.deadline.IsZero() && !s.holdUntil.Before(w.deadline.Add(-w.cfg.minDelay)) {
					w.due = time.Time{} // no retry fits before the deadline
				}
				continue
			case fl == nil && w.want == StatusDeleted:
				finish(w, nil, nil, false)
				continue
			case fl == nil:
				if now.Sub(w.start) >= w.cfg.notFoundGrace {
					finish(w, nil, &Error{Code: CodeNotFound, Provider: w.we.Provider, Op: "Wait", ID: w.id,
						Message: "flow log not found in region " + s.region}, true)
					continue
				}
			default:
				if (fl.Status != w.we.Last || fl.RawStatus != w.we.LastRaw) && w.cfg.onStatus != nil {
					notify = append(notify, notification{w, w.cfg.onStatus, fl.Clone()})
				}
				w.we.Last, w.we.LastRaw, w.we.Reason = fl.Status, fl.RawStatus, fl.StatusReason
				if w.want == StatusDeleted {
					break // only absence ends a wait for deletion
				}
				if fl.Status == w.want {
					finish(w, fl.Clone(), nil, false) // a copy each: one caller's change stays its own
					continue
				}
				if fl.Status.Terminal() || (fl.Settling != StatusUnknown && fl.Settling != w.want) {
					finish(w, nil, nil, true) // settled, or settling, elsewhere
					continue
				}
			}
			w.schedule(started, frac)
		}
	}
	return notify, results
}

// delays returns the smallest minimum and largest maximum delay of the waits
// of ids: the bounds of the scope's backoff after an error.
func (s *scope) delays(ids []string) (time.Duration, time.Duration) {
	var minD, maxD time.Duration
	for _, id := range ids {
		for _, w := range s.waiters[id] {
			if minD == 0 || w.cfg.minDelay < minD {
				minD = w.cfg.minDelay
			}
			maxD = max(maxD, w.cfg.maxDelay)
		}
	}
	return minD, maxD
}

// schedule sets the wait's next poll after one made at now: its own
// exponential backoff between its minimum and maximum delay, jittered by
// frac, clamped so the last poll lands just before its deadline, or no
// further poll when none fits.
func (w *waiter) schedule(now time.Time, frac float64) {
	delay := backoff.Jittered(w.attempt, w.cfg.minDelay, w.cfg.maxDelay, frac)
	w.attempt++
	if !w.deadline.IsZero() {
		remaining := w.deadline.Sub(now)
		delay = backoff.Clamp(delay, remaining, w.cfg.minDelay)
		if delay >= remaining {
			w.due = time.Time{} // the deadline ends the wait
			return
		}
	}
	w.due = now.Add(delay)
}

// wait runs one wait to its end. Outside an operation of the client (the
// wait of a Delete, say) it is an operation of its own.
func (pl *poller) wait(ctx context.Context, region, id string, want Status, cfg waitConfig) (fl *FlowLog, err error) {
	if pl.tel.on() {
		start := time.Now()
		var o opSpan
		if !pl.tel.inOp(ctx) {
			ctx, o = pl.tel.startOp(ctx, "Wait", region, opInfo{id: id, want: want})
		}
		defer func() {
			pl.tel.waitEnded(ctx, o, region, want, start, fl, err)
			o.end(err)
		}()
	}
	if cfg.maxWait > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.maxWait)
		defer cancel()
	}
	out := make(chan WaitResult, 1)
	w := pl.newWaiter(ctx, id, want, cfg, time.Now(), out)
	if err := ctx.Err(); err != nil {
		w.we.Region, w.we.Cause = region, err
		return nil, &w.we
	}
	if err := pl.add(region, w); err != nil {
		return nil, err
	}
	var r WaitResult
	select {
	case r = <-out:
	case <-ctx.Done():
		if pl.remove(region, w) {
			return nil, pl.timedOut(w, ctx.Err())
		}
		r = <-out
	}
	r.rethrow()
	return r.FlowLog, r.Err
}

// timedOut completes the error of a wait its caller gave up on.
func (pl *poller) timedOut(w *waiter, cause error) error {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	w.we.Cause = cause
	w.we.Elapsed = time.Since(w.start)
	return &w.we
}
