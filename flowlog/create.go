package flowlog

import (
	"context"
	"errors"
	"strings"
)

// create makes one logical create, with retries, and never a second flow
// log: see Client.Create.
func (c *Client) create(ctx context.Context, spec *FlowLogSpec) (*FlowLog, error) {
	finder, _ := c.p.(ResourceFinder)
	tokens := false
	if tc, ok := c.p.(TokenCreator); ok {
		tokens = tc.CreateIsIdempotent()
	}
	// Without a token or a way to look, an attempt that may have been
	// applied cannot be followed by another.
	repeatable := tokens || finder != nil
	var out *FlowLog
	err := c.withRetries(ctx, "Create", repeatable, func(st *callState) error {
		if st.ambiguous && !tokens {
			// An earlier attempt may have made the flow log: look first.
			fl, err := c.adopt(ctx, finder, spec, nil)
			if err != nil || fl != nil {
				out = fl
				return err
			}
		}
		fl, err := c.p.Create(ctx, spec)
		if err == nil {
			out = fl
			return nil
		}
		if errors.Is(err, ErrAlreadyExists) && finder != nil {
			found, ferr := c.adopt(ctx, finder, spec, err)
			if ferr != nil || found != nil {
				out = found
				return ferr
			}
		}
		return err
	})
	return out, err
}

// adopt looks for the flow logs on spec's resource and returns the one that
// matches spec, or nil when there is none. When there are flow logs but none
// matches, it returns an error matching ErrAlreadyExists that names the
// existing one and the fields that differ, wrapping cause (the provider's
// own "already exists" error, if there was one).
func (c *Client) adopt(ctx context.Context, finder ResourceFinder, spec *FlowLogSpec, cause error) (*FlowLog, error) {
	fls, err := finder.FindByResource(ctx, spec)
	if err != nil {
		return nil, err
	}
	var other *FlowLog
	var diff []string
	for _, fl := range fls {
		if fl.Status == StatusDeleted {
			continue // on its way out; it neither matches nor blocks for long
		}
		d := Differences(*spec, fl)
		if len(d) == 0 {
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
		Err: cause,
	}
	var pe *Error
	if errors.As(cause, &pe) {
		e.Op, e.ProviderCode, e.RequestID, e.HTTPStatus = pe.Op, pe.ProviderCode, pe.RequestID, pe.HTTPStatus
	}
	return nil, e
}
