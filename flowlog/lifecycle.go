package flowlog

import (
	"context"
	"errors"
	"iter"
	"log/slog"
	"strings"
	"time"

	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
)

// maxListPages bounds List even when a provider's total is wrong: at the
// providers' page sizes it is tens of thousands of flow logs.
const maxListPages = 1000

// List yields the flow logs in region that pass f, page by page, fetching
// the next page only when the previous one is used up. It stops on a short
// page, at the provider's total, or after a hard page limit, so a wrong
// total can never make it loop forever. Each page is retried like any read;
// an error ends the sequence with that error.
//
// Deleting what List yields while ranging over it is safe: the providers
// page by offset, so each delete moves later flow logs forward; when a
// page's total shows that flow logs are gone, List steps back by as many
// and skips the ones it has already yielded, so none is missed and none is
// yielded twice. (Flow logs created while List runs are yielded or not.)
func (c *Client) List(ctx context.Context, region string, f ListFilter, opts ...CallOption) iter.Seq2[*FlowLog, error] {
	return func(yield func(*FlowLog, error) bool) {
		var err error
		ctx, o := c.tel.startOp(ctx, "List", region, opInfo{})
		defer func() { o.end(err) }()
		if err = c.ready(ctx); err != nil {
			yield(nil, err)
			return
		}
		if err = checkRegion(region); err != nil {
			yield(nil, err)
			return
		}
		for fl, ferr := range c.pages(ctx, c.configure(opts), region, f) {
			err = ferr
			if !yield(fl, err) || err != nil {
				return
			}
		}
	}
}

// pages walks the provider's list from the first page to the last,
// yielding once each flow log that passes f. With cc each page is retried
// like any read; with nil cc a page is one attempt and its error ends the
// walk (for callers inside a retry loop of their own). It stops at the
// last page or after a hard page limit, so a provider's wrong tokens can
// never make it loop forever.
func (c *Client) pages(ctx context.Context, cc *callConfig, region string, f ListFilter) iter.Seq2[*FlowLog, error] {
	return c.walk(ctx, cc, region, f, "", map[string]bool{})
}

// walk is pages from the page token names, skipping the flow logs in seen
// and adding those it yields.
func (c *Client) walk(ctx context.Context, cc *callConfig, region string, f ListFilter, token string, seen map[string]bool) iter.Seq2[*FlowLog, error] {
	return func(yield func(*FlowLog, error) bool) {
		for range maxListPages {
			p, err := c.page(ctx, cc, region, f, token)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, fl := range p.FlowLogs {
				if fl == nil || seen[fl.ID] || !f.Matches(fl) {
					continue
				}
				seen[fl.ID] = true
				if !yield(fl, nil) {
					return
				}
			}
			if p.NextToken == "" {
				return
			}
			token = p.NextToken
		}
	}
}

// page reads one page of the provider's list, retried like any read with
// cc, or in one attempt with nil cc.
func (c *Client) page(ctx context.Context, cc *callConfig, region string, f ListFilter, token string) (driver.Page, error) {
	var p driver.Page
	read := func(s *callState) (err error) {
		p, err = c.p.ListPage(s.ctx, region, f, token)
		return err
	}
	if cc == nil {
		return p, read(&callState{ctx: ctx})
	}
	return p, c.withRetries(ctx, cc.in(region), "List", true, read)
}

// onResource returns the flow logs on spec's resource, in any state: the
// one way Create, Ensure and the look-ups after an ambiguous create find
// what is there, through the provider's filtered list. Each page is one
// attempt; the callers retry.
func (c *Client) onResource(ctx context.Context, spec *FlowLogSpec) ([]*FlowLog, error) {
	var out []*FlowLog
	f := ListFilter{ResourceID: spec.Resource.ID, NetworkID: spec.Resource.NetworkID}
	for fl, err := range c.pages(ctx, nil, spec.Region, f) {
		if err != nil {
			return nil, err
		}
		out = append(out, fl)
	}
	return out, nil
}

// Delete deletes the flow log and, where the provider deletes
// asynchronously, waits until it is gone. Deleting a flow log that is
// already gone succeeds. The wait options bound the wait as for Wait.
func (c *Client) Delete(ctx context.Context, region, id string, opts ...CallOption) (err error) {
	ctx, o := c.tel.startOp(ctx, "Delete", region, opInfo{id: id, want: StatusDeleted})
	defer func() { o.end(err) }()
	if err := c.ready(ctx); err != nil {
		return err
	}
	if err := checkTarget(region, id); err != nil {
		return err
	}
	return c.delete(ctx, c.configure(opts), region, id)
}

// delete is Delete with the call's settings, once the target is checked.
func (c *Client) delete(ctx context.Context, cc *callConfig, region, id string) error {
	var st *callState
	err := c.withRetries(ctx, cc.in(region), "Delete", true, func(s *callState) error {
		st = s
		return c.p.Delete(s.ctx, region, id)
	})
	attrs := func() []slog.Attr {
		return []slog.Attr{slog.String("provider", c.p.Name()), slog.String("region", region), slog.String("id", id)}
	}
	if err != nil && !errors.Is(err, ErrNotFound) && st.ambiguous {
		gone := false
		err = c.settleByID(ctx, cc, "Delete", region, id, err, func(fl *FlowLog) bool {
			gone = fl == nil
			return gone || fl.Settling == StatusDeleted
		})
		if err == nil && gone {
			c.logEvent(ctx, slog.LevelInfo, "flowlog deleted", attrs)
			return nil
		}
	}
	if errors.Is(err, ErrNotFound) && !errors.Is(err, ErrUnknownOutcome) {
		c.logEvent(ctx, slog.LevelDebug, "flowlog already gone", attrs)
		return nil
	}
	if err != nil {
		c.logFailure(ctx, "flowlog delete failed", err, attrs)
		return err
	}
	if _, err := c.waitFor(ctx, cc, region, id, StatusDeleted); err != nil {
		return err
	}
	c.logEvent(ctx, slog.LevelInfo, "flowlog deleted", attrs)
	return nil
}

// Activate starts a stopped flow log and waits until it is active. A flow
// log that is already active, or on its way, is only waited for.
func (c *Client) Activate(ctx context.Context, region, id string, opts ...CallOption) (*FlowLog, error) {
	return c.setEnabled(ctx, region, id, true, opts)
}

// Deactivate stops a flow log and waits until it is inactive. A flow log
// that is already inactive, or on its way, is only waited for.
func (c *Client) Deactivate(ctx context.Context, region, id string, opts ...CallOption) (*FlowLog, error) {
	return c.setEnabled(ctx, region, id, false, opts)
}

func (c *Client) setEnabled(ctx context.Context, region, id string, enabled bool, opts []CallOption) (_ *FlowLog, err error) {
	want, op := StatusActive, "Activate"
	if !enabled {
		want, op = StatusInactive, "Deactivate"
	}
	ctx, o := c.tel.startOp(ctx, op, region, opInfo{id: id, want: want})
	defer func() { o.end(err) }()
	if err := checkTarget(region, id); err != nil {
		return nil, err
	}
	cc := c.configure(opts)
	fl, err := c.Get(ctx, region, id, opts...)
	if err != nil {
		return nil, err
	}
	if fl.Status == want {
		return fl, nil
	}
	if fl.Settling != want {
		if err := c.switchTo(ctx, cc, region, id, enabled); err != nil {
			c.logFailure(ctx, "flowlog "+strings.ToLower(op)+" failed", err, func() []slog.Attr {
				return []slog.Attr{slog.String("provider", c.p.Name()), slog.String("region", region), slog.String("id", id)}
			})
			return nil, err
		}
	}
	return c.waitFor(ctx, cc, region, id, want)
}

// switchTo asks the provider to start (enabled) or stop the flow log, with
// retries. After an attempt that may have been applied it reads the flow
// log back: one on its way to the wanted state (or pending elsewhere, which
// the wait that follows will tell apart) means the call worked.
func (c *Client) switchTo(ctx context.Context, cc *callConfig, region, id string, enabled bool) error {
	want, op := StatusActive, "Activate"
	if !enabled {
		want, op = StatusInactive, "Deactivate"
	}
	var st *callState
	err := c.withRetries(ctx, cc.in(region), op, true, func(s *callState) error {
		st = s
		return c.p.SetEnabled(s.ctx, region, id, enabled)
	})
	if err == nil || !st.ambiguous {
		return err
	}
	return c.settleByID(ctx, cc, op, region, id, err, func(fl *FlowLog) bool {
		return fl != nil && (fl.Status == want || fl.Settling == want ||
			(fl.Status == StatusPending && fl.Settling == StatusUnknown))
	})
}

// Ensure makes the flow log that spec describes exist and be active, and
// can run again and again without creating anything twice: a flow log on the
// resource that matches the spec is adopted (and activated if stopped), one
// is created when there is none, and one that differs is dealt with by the
// drift policy (OnDrift): by default reported as a *DriftError and never
// changed; with DriftUpdate changed in place, with DriftReplace deleted and
// created again, in both cases only if it carries the client's owner tag
// (or ChangeUnowned says so).
func (c *Client) Ensure(ctx context.Context, spec FlowLogSpec, opts ...CallOption) (_ *FlowLog, err error) {
	ctx, o := c.tel.startOp(ctx, "Ensure", spec.Region, opInfo{resource: spec.Resource.ID, want: StatusActive})
	defer func() { o.end(err) }()
	cc := c.configure(opts)
	fl, _, err := c.ensure(ctx, cc, spec)
	if err != nil || fl.Status == StatusActive {
		return fl, err
	}
	return c.waitFor(ctx, cc, spec.Region, fl.ID, StatusActive)
}

// ensure adopts, starts, changes or creates the flow log of spec, without
// waiting for it to be active, and says which it did.
func (c *Client) ensure(ctx context.Context, cc *callConfig, spec FlowLogSpec) (*FlowLog, Outcome, error) {
	if err := c.ready(ctx); err != nil {
		return nil, OutcomeNone, err
	}
	if err := c.Validate(spec); err != nil {
		return nil, OutcomeNone, err
	}
	var found []*FlowLog
	err := c.withRetries(ctx, cc.in(spec.Region), "Ensure", true, func(s *callState) (err error) {
		found, err = c.onResource(s.ctx, &spec)
		return err
	})
	if err != nil {
		return nil, OutcomeNone, err
	}
	return c.ensureOn(ctx, cc, spec, found)
}

// ensureOn is ensure once the flow logs on spec's resource are known
// (found, in any state): it acts on decide's choice.
func (c *Client) ensureOn(ctx context.Context, cc *callConfig, spec FlowLogSpec, found []*FlowLog) (*FlowLog, Outcome, error) {
	action, fl, diff := decide(spec, found)
	switch action {
	case PlanCreate:
		created, err := c.createSpec(ctx, cc, spec)
		return outcome(created, OutcomeCreated, err)
	case PlanDrift:
		return c.onDrift(ctx, cc, spec, fl, diff)
	}
	c.logEvent(ctx, slog.LevelInfo, "flowlog adopted", func() []slog.Attr {
		return append(c.flowLogAttrs(spec, fl), slog.String("status", fl.Status.String()))
	})
	if action == PlanActivate {
		if err := c.activate(ctx, cc, fl); err != nil {
			return nil, OutcomeNone, err
		}
	}
	return fl, OutcomeAdopted, nil
}

// activate starts fl, stopped, and marks it as on its way to active.
func (c *Client) activate(ctx context.Context, cc *callConfig, fl *FlowLog) error {
	if err := c.switchTo(ctx, cc, fl.Region, fl.ID, true); err != nil {
		return err
	}
	fl.Status, fl.Settling = StatusPending, StatusActive
	return nil
}

// onDrift applies the call's drift policy to fl, on spec's resource, which
// differs from spec in diff.
func (c *Client) onDrift(ctx context.Context, cc *callConfig, spec FlowLogSpec, fl *FlowLog, diff []string) (*FlowLog, Outcome, error) {
	action, drift, mutable := c.driftAction(cc, spec, fl, diff)
	switch action {
	case PlanUpdate:
		patch := patchFor(spec, mutable)
		if err := c.validatePatch(&patch); err != nil {
			return nil, OutcomeNone, err
		}
		updated, err := c.update(ctx, cc, fl, patch)
		if err == nil && updated.Status != StatusActive {
			err = c.activate(ctx, cc, updated)
		}
		return outcome(updated, OutcomeUpdated, err)
	case PlanReplace:
		c.logEvent(ctx, slog.LevelInfo, "flowlog replacing", func() []slog.Attr {
			return append(c.flowLogAttrs(spec, fl), slog.Any("fields", diff))
		})
		if err := c.delete(ctx, cc, spec.Region, fl.ID); err != nil {
			return nil, OutcomeNone, err
		}
		created, err := c.createSpec(ctx, cc, spec)
		return outcome(created, OutcomeReplaced, err)
	}
	c.logEvent(ctx, slog.LevelInfo, "flowlog drift", func() []slog.Attr {
		return append(c.flowLogAttrs(spec, fl), slog.Any("fields", diff), slog.String("policy", cc.drift.String()))
	})
	return nil, OutcomeDriftReported, drift
}

// driftAction is what the call's drift policy does with fl, which differs
// from spec in diff: PlanUpdate (of the fields mutable), PlanReplace, or
// PlanDrift, reporting drift.
func (c *Client) driftAction(cc *callConfig, spec FlowLogSpec, fl *FlowLog, diff []string) (_ PlanAction, _ *DriftError, mutable []string) {
	drift := &DriftError{Provider: c.p.Name(), Region: spec.Region, FlowLog: fl, Fields: diff, Policy: cc.drift}
	if cc.drift != DriftReport && !cc.changeUnowned && !c.owns(fl) {
		drift.Unowned, drift.Owner = true, c.owner
	}
	switch {
	case cc.drift == DriftReport || drift.Unowned:
	case cc.drift == DriftUpdate:
		mutable, immutable := c.mutableDiff(diff)
		if len(immutable) == 0 {
			return PlanUpdate, nil, mutable
		}
		drift.Immutable = immutable
	case cc.drift == DriftReplace:
		return PlanReplace, nil, nil
	}
	return PlanDrift, drift, nil
}

// outcome is what an item that ended with fl and err did: o, or nothing
// when it failed.
func outcome(fl *FlowLog, o Outcome, err error) (*FlowLog, Outcome, error) {
	if err != nil {
		return nil, OutcomeNone, err
	}
	return fl, o, nil
}

func (c *Client) flowLogAttrs(spec FlowLogSpec, fl *FlowLog) []slog.Attr {
	return []slog.Attr{slog.String("provider", c.p.Name()), slog.String("region", spec.Region),
		slog.String("resource", spec.Resource.ID), slog.String("id", fl.ID)}
}

// waitFor waits through the poller for want, with the client's wait
// defaults and opts.
// A wait that reaches its state is logged at Info, one that fails at
// Debug (or Warn, see logFailure); Delete logs its own success.
func (c *Client) waitFor(ctx context.Context, cc *callConfig, region, id string, want Status) (*FlowLog, error) {
	cfg := cc.wait
	start := time.Now()
	fl, err := c.poller.wait(ctx, region, id, want, cfg)
	attrs := func() []slog.Attr {
		return []slog.Attr{slog.String("provider", c.p.Name()), slog.String("region", region), slog.String("id", id),
			slog.Duration("elapsed", time.Since(start))}
	}
	switch {
	case err != nil:
		c.logFailure(ctx, "flowlog wait failed", err, attrs)
	case want != StatusDeleted:
		c.logEvent(ctx, slog.LevelInfo, "flowlog "+want.String(), attrs)
	}
	return fl, err
}
