package flowlog

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"iter"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/flowlog/ratelimit"
	"github.com/cloudflowlog/flowlog-go/internal/redact"
)

// Client is the portable handle users hold. It validates specs, calls the
// Provider, waits for flow logs to settle and logs what it does. A Client is
// safe for concurrent use; Close it when done.
type Client struct {
	p      driver.Provider
	log    *slog.Logger
	wait   waitConfig
	retry  retryConfig
	budget ratelimit.Budget
	poller *poller
	otel   telemetryConfig
	tel    *telemetry
	owner  string // the value of OwnerTagKey on what the client creates
	// services is set by WithServiceOpening.
	services *services

	mu     sync.Mutex
	closed bool
}

// Option configures a Client.
type Option func(*Client)

// WithLogger sends the client's structured logs to l. The default discards
// them. Records never carry credentials.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) {
		if l != nil {
			c.log = l
		}
	}
}

// WithWaitDefaults sets the defaults of every wait; per-call WaitOptions
// override them.
func WithWaitDefaults(opts ...WaitOption) Option {
	return func(c *Client) {
		for _, o := range opts {
			o(&c.wait)
		}
	}
}

// NewClient returns a Client over p, an adapter such as the one aliyun.New,
// cbn.New or tencent.New returns.
func NewClient(p driver.Provider, opts ...Option) *Client {
	c := &Client{
		p:     p,
		log:   slog.New(slog.DiscardHandler),
		wait:  defaultWaitConfig(),
		retry: defaultRetryConfig(),
		owner: DefaultOwner,
	}
	for _, o := range opts {
		o(c)
	}
	c.budget = budgetOf(c.retry)
	c.tel = newTelemetry(p.Name(), c.otel)
	c.poller = newPoller(p, c.tel)
	return c
}

// Provider returns the adapter's name, e.g. "aliyun".
func (c *Client) Provider() string { return c.p.Name() }

// ErrClosed is returned by calls on a closed Client.
var ErrClosed = errors.New("flowlog: client is closed")

// ready reports why a call must not start: a closed client or a context
// that has already ended. Nothing is sent in either case.
func (c *Client) ready(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return c.checkOpen()
}

func (c *Client) checkOpen() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return ErrClosed
	}
	return nil
}

// Close ends the waits in progress (with a *WaitError whose Cause is
// ErrClosed), stops the poller's goroutines and makes later calls fail with
// ErrClosed. It is safe to call more than once.
func (c *Client) Close() error {
	c.mu.Lock()
	was := c.closed
	c.closed = true
	c.mu.Unlock()
	if !was {
		c.poller.close()
	}
	return nil
}

// Validate checks spec against the neutral rules and the provider's rules and
// returns a *ValidationError listing every bad field, or nil. Create calls it
// first, so no request is ever sent for a spec it rejects. It checks the
// spec as it would be sent, with the owner tag (OwnerTagKey) among its tags.
func (c *Client) Validate(spec FlowLogSpec) error {
	spec = *c.withOwner(&spec)
	// One error lists every bad field, the provider's too (its rules must
	// not assume the neutral ones passed), each field once: a field the
	// neutral rules reject is not reported again by the provider's.
	errs := validateNeutral(&spec)
	if spec.Provider != "" && spec.Provider != c.p.Name() {
		errs = append([]FieldError{{Field: "Provider", Code: CodeInvalidArgument,
			Reason: "names " + quote(spec.Provider) + ", but this client serves " + c.p.Name()}}, errs...)
	}
	for _, fe := range c.p.Validate(&spec) {
		if !slices.ContainsFunc(errs, func(n FieldError) bool { return n.Field == fe.Field }) {
			errs = append(errs, fe)
		}
	}
	if len(errs) > 0 {
		return &ValidationError{Provider: c.p.Name(), Fields: errs}
	}
	return nil
}

// Create validates spec and asks the provider to create the flow log. It
// returns as soon as the provider has accepted the request; the flow log may
// still be pending. Use CreateAndWait to wait until it is active.
//
// Create retries what is safe to retry and never makes a second flow log for
// one call: on APIs with a client token every attempt carries the same
// token; on the others, after an attempt that may have been applied, it
// looks for a flow log on the resource before creating again. A flow log on
// the resource that matches the spec is adopted and returned; one that
// differs is an error matching ErrAlreadyExists whose ID names it.
func (c *Client) Create(ctx context.Context, spec FlowLogSpec, opts ...CallOption) (*FlowLog, error) {
	return c.createSpec(ctx, c.configure(opts), spec)
}

// createSpec is Create with the call's settings.
func (c *Client) createSpec(ctx context.Context, cc *callConfig, spec FlowLogSpec) (fl *FlowLog, err error) {
	ctx, o := c.tel.startOp(ctx, "Create", spec.Region, opInfo{resource: spec.Resource.ID})
	defer func() { o.end(err) }()
	if err := c.ready(ctx); err != nil {
		return nil, err
	}
	if err := c.Validate(spec); err != nil {
		return nil, err
	}
	if spec.ClientToken == "" {
		spec.ClientToken = newClientToken()
	}
	start := time.Now()
	fl, err = c.create(ctx, cc, &spec)
	if err == nil && fl == nil {
		// A broken adapter must not make callers dereference nil.
		err = &Error{Code: CodeUnknown, Provider: c.p.Name(), Op: "Create", Message: "provider returned no flow log and no error"}
	}
	attrs := func() []slog.Attr {
		return []slog.Attr{slog.String("provider", c.p.Name()), slog.String("region", spec.Region),
			slog.String("resource", spec.Resource.ID), slog.Duration("elapsed", time.Since(start))}
	}
	if err != nil {
		c.logFailure(ctx, "flowlog create failed", err, attrs)
	} else {
		c.logEvent(ctx, slog.LevelInfo, "flowlog created", func() []slog.Attr {
			// The neutral status always; the raw one only when the create
			// response has one (Alibaba's answers only with an ID).
			a := append(attrs(), slog.String("id", fl.ID), slog.String("status", fl.Status.String()))
			if fl.RawStatus != "" {
				a = append(a, slog.String("raw_status", redact.String(fl.RawStatus)))
			}
			return a
		})
	}
	if err != nil {
		return nil, err
	}
	if o.tracing() {
		o.set(keyID.String(fl.ID))
	}
	return fl, nil
}

// CreateAndWait creates the flow log and waits until it is active. When the
// wait fails, the error is a *WaitError naming the created ID, so the caller
// can still find or delete what was made.
func (c *Client) CreateAndWait(ctx context.Context, spec FlowLogSpec, opts ...CallOption) (_ *FlowLog, err error) {
	ctx, o := c.tel.startOp(ctx, "CreateAndWait", spec.Region, opInfo{resource: spec.Resource.ID, want: StatusActive})
	defer func() { o.end(err) }()
	fl, err := c.Create(ctx, spec, opts...)
	if err != nil {
		return nil, err
	}
	if fl.Status == StatusActive {
		return fl, nil
	}
	return c.Wait(ctx, spec.Region, fl.ID, opts...)
}

// Get returns the flow log id in region, or an error matching ErrNotFound.
func (c *Client) Get(ctx context.Context, region, id string, opts ...CallOption) (_ *FlowLog, err error) {
	ctx, o := c.tel.startOp(ctx, "Get", region, opInfo{id: id})
	defer func() { o.end(err) }()
	if err := c.ready(ctx); err != nil {
		return nil, err
	}
	if err := checkTarget(region, id); err != nil {
		return nil, err
	}
	var fls []*FlowLog
	cc := c.configure(opts)
	cc.region = region
	err = c.withRetries(ctx, cc, "Get", true, func(s *callState) (err error) {
		fls, err = c.p.Describe(s.ctx, region, []string{id})
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, fl := range fls {
		if fl.ID == id {
			return fl, nil
		}
	}
	return nil, &Error{Code: CodeNotFound, Provider: c.p.Name(), Op: "Get", ID: id, Message: "flow log not found in region " + region}
}

// Wait polls the flow log until it is active and returns it. It fails fast
// with a *WaitError when the flow log reaches another settled state
// (inactive, failed, deleted), when a poll fails with an error that retrying
// cannot fix, when it is still not found after the not-found grace period, or
// when the context or the maximum wait ends (then errors.Is(err,
// context.DeadlineExceeded) holds).
func (c *Client) Wait(ctx context.Context, region, id string, opts ...CallOption) (_ *FlowLog, err error) {
	ctx, o := c.tel.startOp(ctx, "Wait", region, opInfo{id: id, want: StatusActive})
	defer func() { o.end(err) }()
	if err := c.checkOpen(); err != nil {
		return nil, err
	}
	if err := checkTarget(region, id); err != nil {
		return nil, err
	}
	fl, err := c.waitFor(ctx, c.configure(opts), region, id, StatusActive)
	if o.tracing() {
		o.set(keyWaitState.String(waitState(StatusActive, fl, err).String()))
	}
	if err != nil {
		return nil, err
	}
	return fl, nil
}

// waitAllErr is the outcome of a WaitAll range for its span: an error
// when some waits failed (each has its own in its result).
func waitAllErr(waited, failed int) error {
	if failed == 0 {
		return nil
	}
	return &waitAllError{waited: waited, failed: failed}
}

type waitAllError struct{ waited, failed int }

func (e *waitAllError) Error() string {
	return "flowlog: " + strconv.Itoa(e.failed) + " of " + strconv.Itoa(e.waited) + " waits failed"
}

// newClientToken returns 32 random hex characters: unique per logical create
// and within every provider's token limits.
func newClientToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// WaitAll waits until each of ids in region is active and yields each
// outcome as soon as it is known, in completion order. All the waits share
// the client's poller: one describe call per poll covers every due ID. A
// failed wait yields a WaitResult whose Err is a *WaitError naming the ID;
// stopping the iteration early withdraws the remaining waits. Duplicate IDs
// are waited for once. The sequence may be ranged more than once; each range
// waits anew.
func (c *Client) WaitAll(ctx context.Context, region string, ids []string, opts ...CallOption) iter.Seq[WaitResult] {
	return func(yield func(WaitResult) bool) {
		cfg := c.configure(opts).wait
		// A context of this range's own: the sequence may be ranged again,
		// and each range waits afresh under the caller's ctx (and is an
		// operation of its own).
		unique := slices.Compact(slices.Sorted(slices.Values(ids)))
		ctx, o := c.tel.startOp(ctx, "WaitAll", region, opInfo{want: StatusActive, count: len(unique)})
		var waited, failed int
		defer func() { o.end(waitAllErr(waited, failed)) }()
		if cfg.maxWait > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, cfg.maxWait)
			defer cancel()
		}
		out := make(chan WaitResult, len(unique))
		ws := make([]*waiter, len(unique))
		start := time.Now()
		for i, id := range unique {
			ws[i] = c.poller.newWaiter(ctx, id, StatusActive, cfg, start, out)
		}
		if c.tel.on() {
			// yield hands r out, and counts and records its outcome.
			yield = func(next func(WaitResult) bool) func(WaitResult) bool {
				return func(r WaitResult) bool {
					waited++
					if r.Err != nil {
						failed++
					}
					c.tel.waitEnded(ctx, opSpan{}, region, StatusActive, start, r.FlowLog, r.Err)
					return next(r)
				}
			}(yield)
		}
		err := c.ready(ctx)
		if err == nil {
			err = checkRegion(region)
		}
		if err != nil {
			for _, w := range ws {
				w.we.Region, w.we.Cause = region, err
				if !yield(WaitResult{ID: w.id, Err: &w.we}) {
					return
				}
			}
			return
		}
		if err := c.poller.add(region, ws...); err != nil {
			for _, w := range ws {
				if !yield(WaitResult{ID: w.id, Err: err}) {
					return
				}
			}
			return
		}
		pending := len(ws)
		// withdraw removes the waits still running; with a cause, it
		// returns their failed results.
		withdraw := func(cause error) []WaitResult {
			var ended []WaitResult
			for _, w := range ws {
				if c.poller.remove(region, w) {
					pending--
					if cause != nil {
						ended = append(ended, WaitResult{ID: w.id, Err: c.poller.timedOut(w, cause)})
					}
				}
			}
			return ended
		}
		for pending > 0 {
			select {
			case r := <-out:
				pending--
				if r.panicked != nil {
					withdraw(nil)
					r.rethrow()
				}
				if !yield(r) {
					withdraw(nil)
					return
				}
			case <-ctx.Done():
				ended := withdraw(ctx.Err())
				for ; pending > 0; pending-- {
					ended = append(ended, <-out)
				}
				for _, r := range ended {
					r.rethrow()
					if !yield(r) {
						return
					}
				}
				return
			}
		}
	}
}
