package flowlog

import (
	"context"
	"errors"
	"strings"

	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
)

// create makes one logical create, with retries, and never a second flow
// log: see Client.Create.
func (c *Client) create(ctx context.Context, cc *callConfig, spec *FlowLogSpec) (*FlowLog, error) {
	tokens := false
	if tc, ok := c.p.(driver.TokenCreator); ok {
		tokens = tc.CreateIsIdempotent()
	}
	// An attempt that may have been applied can be followed by another:
	// with a token as it is, without one after a look at the resource.
	var out *FlowLog
	var st *callState
	err := c.withRetries(ctx, cc.in(spec.Region), "Create", true, func(s *callState) error {
		st = s
		if st.ambiguous && !tokens {
			// An earlier attempt may have made the flow log: look first.
			fl, err := c.adopt(s.ctx, spec, nil)
			if err != nil || fl != nil {
				out = fl
				return err
			}
		}
		fl, err := c.p.Create(s.ctx, c.withOwner(spec))
		if opened, oerr := c.openOnDemand(s.ctx, cc, spec.Region, err); oerr != nil {
			return oerr
		} else if opened {
			fl, err = c.p.Create(s.ctx, c.withOwner(spec))
		}
		if err == nil {
			out = fl
			return nil
		}
		if errors.Is(err, ErrAlreadyExists) {
			found, ferr := c.adopt(s.ctx, spec, err)
			if ferr != nil || found != nil {
				out = found
				return ferr
			}
		}
		return err
	})
	if err == nil || !st.ambiguous {
		return out, err
	}
	return c.settleCreate(ctx, cc, spec, tokens, err)
}

// settleCreate decides what a create did that failed after an attempt that
// may have been applied: it looks for the flow log once more, outside the
// retry budget, and returns it if it is there. Only when nothing is on the
// resource is the failure cause returned as it is; when the look-up cannot
// tell, the error is an *UnknownOutcomeError.
func (c *Client) settleCreate(ctx context.Context, cc *callConfig, spec *FlowLogSpec, tokens bool, cause error) (*FlowLog, error) {
	unknown := &UnknownOutcomeError{Provider: c.p.Name(), Op: "Create", Region: spec.Region,
		Resource: spec.Resource.ID, Err: cause}
	if tokens {
		unknown.ClientToken = spec.ClientToken
	}
	var fl *FlowLog
	err := c.lookup(ctx, cc, func() (err error) {
		fl, err = c.adopt(ctx, spec, cause)
		return err
	})
	switch {
	case err == nil && fl != nil:
		return fl, nil
	case err == nil:
		return nil, cause // nothing on the resource: the create was not applied
	case errors.Is(err, ErrAlreadyExists):
		return nil, public(err) // another flow log holds the resource: this create made nothing
	}
	unknown.LookupErr = public(err)
	return nil, unknown
}

// lookupAttempts bounds the look-up that settles an ambiguous call.
const lookupAttempts = 3

// lookup runs read, which settles what an ambiguous call did, with a few
// attempts of its own and the client's backoff, under ctx. The retry budget
// does not apply: it may be what ended the call, and one read that answers
// the question costs less than leaving the caller to guess.
func (c *Client) lookup(ctx context.Context, cc *callConfig, read func() error) error {
	var err error
	for attempt := 1; ; attempt++ {
		if cerr := ctx.Err(); cerr != nil {
			if err == nil {
				err = cerr
			}
			return err
		}
		if err = read(); err == nil || retryClass(err) == driver.RetryNever || attempt == lookupAttempts {
			return err
		}
		if sleep(ctx, cc.retry.backoff(attempt, err)) != nil {
			return err
		}
	}
}

// settleByID reads the flow log id back after a call of op (Delete,
// Activate, Deactivate) that failed with cause after an attempt that may
// have been applied. applied reports, of the flow log as described (nil
// when it is gone), whether the call's effect shows: then the call
// succeeded and settleByID returns nil. Otherwise it returns cause, or an
// *UnknownOutcomeError when the look-up fails.
func (c *Client) settleByID(ctx context.Context, cc *callConfig, op, region, id string, cause error, applied func(*FlowLog) bool) error {
	var fls []*FlowLog
	err := c.lookup(ctx, cc, func() (err error) {
		fls, err = c.p.Describe(ctx, region, []string{id})
		return err
	})
	if err != nil {
		return &UnknownOutcomeError{Provider: c.p.Name(), Op: op, Region: region, ID: id, Err: cause, LookupErr: public(err)}
	}
	if applied(find(fls, id)) {
		return nil
	}
	return cause
}

// adopt looks for the flow logs on spec's resource and returns the one that
// matches spec, or nil when there is none. When there are flow logs but none
// matches, it returns an error matching ErrAlreadyExists that names the
// existing one and the fields that differ, wrapping cause (the provider's
// own "already exists" error, if there was one). An adopted flow log names
// the spec's fields the provider could not confirm in Unconfirmed.
func (c *Client) adopt(ctx context.Context, spec *FlowLogSpec, cause error) (*FlowLog, error) {
	fls, err := c.onResource(ctx, spec)
	if err != nil {
		return nil, err
	}
	return c.adoptFrom(spec, fls, cause)
}

// adoptFrom is adopt once the flow logs on spec's resource are known.
func (c *Client) adoptFrom(spec *FlowLogSpec, fls []*FlowLog, cause error) (*FlowLog, error) {
	var other *FlowLog
	var diff []string
	for _, fl := range fls {
		if fl.Status == StatusDeleted || fl.Settling == StatusDeleted {
			continue // on its way out; it neither matches nor blocks for long
		}
		d := Differences(*spec, fl)
		if len(d) == 0 {
			fl.Unconfirmed = Unconfirmed(*spec, fl)
			return fl, nil
		}
		if other == nil {
			other, diff = fl, d
		}
	}
	if other == nil {
		return nil, nil
	}
	e := &Error{
		Code: CodeAlreadyExists, Provider: c.p.Name(), Op: "Create", ID: other.ID,
		Message: "resource " + spec.Resource.ID + " already has flow log " + other.ID +
			", which differs from the spec in " + strings.Join(diff, ", "),
		Err: public(cause),
	}
	var pe *driver.Error
	if errors.As(cause, &pe) {
		e.Op, e.ProviderCode, e.RequestID, e.HTTPStatus = pe.Op, pe.ProviderCode, pe.RequestID, pe.HTTPStatus
	}
	return nil, e
}
