package flowlog

import (
	"context"
	"log/slog"
	"sync"

	"golang.org/x/sync/errgroup"
)

// BulkResult is the outcome of one spec of a bulk call, at the spec's index.
type BulkResult struct {
	Spec    FlowLogSpec
	FlowLog *FlowLog // the active flow log, nil on failure
	Err     error
	// Outcome is what the call did for the spec: created, adopted,
	// updated, replaced or drift reported (Err is then a *DriftError);
	// OutcomeNone when it failed otherwise. It says what was done even
	// when the wait for activation that followed failed.
	Outcome Outcome
}

// Progress is what a bulk call has done so far.
type Progress struct {
	Total     int
	Done      int // finished, successfully or not
	Failed    int
	Last      BulkResult // the item that just finished
	Submitted int        // creates (or ensures) answered so far, before waiting
	// The finished items by outcome. Failed counts the items with an
	// error, drift reported among them.
	Created, Adopted, Updated, Replaced, DriftReported int
}

// count adds a finished item's outcome.
func (p *Progress) count(o Outcome) {
	switch o {
	case OutcomeCreated:
		p.Created++
	case OutcomeAdopted:
		p.Adopted++
	case OutcomeUpdated:
		p.Updated++
	case OutcomeReplaced:
		p.Replaced++
	case OutcomeDriftReported:
		p.DriftReported++
	}
}

// BulkOption tunes a bulk call: Concurrency, OnProgress, BulkCall, and
// the options that tune both one call and a bulk call (OnDrift,
// ChangeUnowned).
type BulkOption interface{ applyBulk(*bulkConfig) }

// bulkOption is a BulkOption that is a function.
type bulkOption func(*bulkConfig)

func (o bulkOption) applyBulk(b *bulkConfig) { o(b) }

type bulkConfig struct {
	concurrency int
	onProgress  func(Progress)
	call        []CallOption
}

// Concurrency bounds how many creates (or ensures) are in flight at once
// (default 10). Waits for activation are not counted: they share the
// client's poller and cost no request of their own.
func Concurrency(n int) BulkOption {
	return bulkOption(func(b *bulkConfig) { b.concurrency = max(n, 1) })
}

// OnProgress calls fn after each create is answered and after each item
// finishes, one call at a time. fn must not block for long.
func OnProgress(fn func(Progress)) BulkOption {
	return bulkOption(func(b *bulkConfig) { b.onProgress = fn })
}

// BulkCall passes call options (retry and wait settings) to every create,
// ensure and wait of the bulk call.
func BulkCall(opts ...CallOption) BulkOption {
	return bulkOption(func(b *bulkConfig) { b.call = append(b.call, opts...) })
}

// CreateAll creates the flow log of each spec and waits until each is
// active. Creates run with bounded concurrency, subject to the adapters'
// rate limits and the client's retries; activation waits share the poller.
// Every spec gets its own result, in the order of specs: one failure never
// hides the others. When ctx ends, creates not yet started are not sent,
// and the results say so.
//
// Like EnsureAll it first surveys the specs' resources, each region once,
// and decides what Create would decide after an "already exists" without
// asking: a flow log on the resource that matches the spec is adopted, one
// that differs is an error matching ErrAlreadyExists; only the rest are
// created. A flow log made after the survey is met by the create's "already
// exists", as a single Create would meet it.
func (c *Client) CreateAll(ctx context.Context, specs []FlowLogSpec, opts ...BulkOption) []BulkResult {
	create := func(ctx context.Context, cc *callConfig, spec FlowLogSpec) (*FlowLog, Outcome, error) {
		fl, err := c.createSpec(ctx, cc, spec)
		return outcome(fl, OutcomeCreated, err)
	}
	return c.surveyed(ctx, specs, opts, create, func(ctx context.Context, cc *callConfig, spec FlowLogSpec, found []*FlowLog) (*FlowLog, Outcome, error) {
		fl, err := c.adoptFrom(&spec, found, nil)
		switch {
		case err != nil:
			return nil, OutcomeNone, err
		case fl != nil:
			c.logEvent(ctx, slog.LevelInfo, "flowlog adopted", func() []slog.Attr {
				return append(c.flowLogAttrs(spec, fl), slog.String("status", fl.Status.String()))
			})
			return fl, OutcomeAdopted, nil
		}
		return create(ctx, cc, spec)
	})
}

// EnsureAll is CreateAll with Ensure's semantics: it can run again and again
// and creates only what is missing, adopting matching flow logs and
// reporting drift per item.
//
// It first surveys what is on the specs' resources, each region once, in
// the fewest list calls: a walk of the region (or of each VPC or CEN
// instance, when there are fewer of those than pages), or one filtered
// look-up per resource when there are only a handful. A fleet in steady
// state costs about one call per page of the region, not one per spec.
// Plan reports what EnsureAll would do, at the same cost. When a region's
// survey fails, its specs fail with that error and nothing is created
// there.
func (c *Client) EnsureAll(ctx context.Context, specs []FlowLogSpec, opts ...BulkOption) []BulkResult {
	return c.surveyed(ctx, specs, opts, c.ensure, c.ensureOn)
}

// surveyed runs a bulk call whose items are decided from a survey of the
// specs' resources: decide for the specs the survey covers, alone for the
// others (and for all when the client is not ready: they fail alike).
func (c *Client) surveyed(ctx context.Context, specs []FlowLogSpec, opts []BulkOption,
	alone func(context.Context, *callConfig, FlowLogSpec) (*FlowLog, Outcome, error),
	decide func(context.Context, *callConfig, FlowLogSpec, []*FlowLog) (*FlowLog, Outcome, error)) []BulkResult {
	var s *survey
	if c.ready(ctx) == nil {
		s = c.survey(ctx, c.configure(newBulkConfig(opts).call), specs)
	}
	return c.bulk(ctx, specs, opts, func(ctx context.Context, cc *callConfig, spec FlowLogSpec) (*FlowLog, Outcome, error) {
		if s == nil {
			return alone(ctx, cc, spec)
		}
		if err := c.ready(ctx); err != nil {
			return nil, OutcomeNone, err
		}
		if err := c.Validate(spec); err != nil {
			return nil, OutcomeNone, err
		}
		found, covered, err := s.on(&spec)
		switch {
		case err != nil:
			return nil, OutcomeNone, err
		case !covered:
			return alone(ctx, cc, spec)
		}
		return decide(ctx, cc, spec, found)
	})
}

func newBulkConfig(opts []BulkOption) bulkConfig {
	cfg := bulkConfig{concurrency: 10}
	for _, o := range opts {
		if o != nil {
			o.applyBulk(&cfg)
		}
	}
	return cfg
}

func (c *Client) bulk(ctx context.Context, specs []FlowLogSpec, opts []BulkOption,
	submit func(context.Context, *callConfig, FlowLogSpec) (*FlowLog, Outcome, error)) []BulkResult {
	cfg := newBulkConfig(opts)
	cc := c.configure(cfg.call)
	results := make([]BulkResult, len(specs))
	var mu sync.Mutex
	progress := Progress{Total: len(specs)}
	report := func(i int, submitted bool) {
		mu.Lock()
		defer mu.Unlock()
		if submitted {
			progress.Submitted++
		} else {
			progress.Done++
			if results[i].Err != nil {
				progress.Failed++
			}
			progress.count(results[i].Outcome)
			progress.Last = results[i]
		}
		if cfg.onProgress != nil {
			cfg.onProgress(progress)
		}
	}
	finish := func(i int, fl *FlowLog, o Outcome, err error) {
		results[i] = BulkResult{Spec: specs[i], FlowLog: fl, Err: err, Outcome: o}
		report(i, false)
	}

	var waits sync.WaitGroup
	var g errgroup.Group
	g.SetLimit(cfg.concurrency)
	for i := range specs {
		if ctx.Err() != nil {
			finish(i, nil, OutcomeNone, ctx.Err())
			continue
		}
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				finish(i, nil, OutcomeNone, err) // canceled while queued: nothing sent
				return nil
			}
			fl, o, err := submit(ctx, cc, specs[i])
			if err != nil {
				finish(i, nil, o, err)
				return nil
			}
			report(i, true)
			if fl.Status == StatusActive {
				finish(i, fl, o, nil)
				return nil
			}
			// The wait holds no concurrency slot: it is a slot in the
			// poller's next describe call.
			waits.Go(func() {
				active, err := c.waitFor(ctx, cc, specs[i].Region, fl.ID, StatusActive)
				finish(i, active, o, err)
			})
			return nil
		})
	}
	_ = g.Wait() // the workers report through results, never through errors
	waits.Wait()
	return results
}
