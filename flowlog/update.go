package flowlog

import (
	"context"
	"log/slog"
	"slices"
	"strings"

	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
)

// Patch is a change to a flow log's mutable fields for Client.Update: a nil
// field is left as it is. Which fields a provider can change in place
// differs (the README has the table); Ptr makes the pointers.
type Patch = driver.Patch

// Ptr returns a pointer to v, for the fields of a Patch:
//
//	flowlog.Patch{Description: flowlog.Ptr("web tier, all traffic")}
func Ptr[T any](v T) *T { return &v }

// Update changes the fields patch sets on the flow log id in place and
// waits until the provider has applied the change; it returns the flow log
// as then described.
//
// A field the provider cannot change in place, or a provider that can
// change none, is refused with a *ValidationError matching ErrUnsupported,
// and a value the provider's rules refuse with one matching
// ErrInvalidArgument, before anything is sent. A flow log that already has
// every value is returned without a modify request. Alibaba applies a
// change asynchronously (the flow log shows Modifying, then the state it
// had), so Update waits as Activate does, with the client's wait defaults
// and opts.
//
// Retries are those of the client. A modify whose outcome is not known (a
// lost response, a timeout) is settled by reading the flow log back: one
// that shows the new values, or the change under way, means it was applied.
// Otherwise the error is returned; the flow log is unchanged.
//
// Update changes the flow log it is given, whoever made it: the owner tag
// (WithOwner) guards only what Ensure's drift policies change on their
// own.
func (c *Client) Update(ctx context.Context, region, id string, patch Patch, opts ...CallOption) (_ *FlowLog, err error) {
	ctx, o := c.tel.startOp(ctx, "Update", region, opInfo{id: id})
	defer func() { o.end(err) }()
	if err := checkTarget(region, id); err != nil {
		return nil, err
	}
	if err := c.validatePatch(&patch); err != nil {
		return nil, err
	}
	fl, err := c.Get(ctx, region, id, opts...)
	if err != nil {
		return nil, err
	}
	return c.update(ctx, c.configure(opts), fl, patch)
}

// update is Update with the call's settings, for fl as just described and
// a patch that passed validatePatch.
func (c *Client) update(ctx context.Context, cc *callConfig, fl *FlowLog, patch Patch) (*FlowLog, error) {
	region, id := fl.Region, fl.ID
	if patch.AppliedTo(fl) {
		return fl, nil
	}
	// The state to wait for once the change is done: the one it had, or
	// was moving to.
	want := fl.Status
	if want == StatusPending {
		want = fl.Settling
	}
	if want != StatusInactive {
		want = StatusActive
	}
	if err := c.modify(ctx, cc, fl, &patch); err != nil {
		c.logFailure(ctx, "flowlog update failed", err, func() []slog.Attr {
			return []slog.Attr{slog.String("provider", c.p.Name()), slog.String("region", region), slog.String("id", id)}
		})
		return nil, err
	}
	c.logEvent(ctx, slog.LevelInfo, "flowlog updated", func() []slog.Attr {
		return []slog.Attr{slog.String("provider", c.p.Name()), slog.String("region", region), slog.String("id", id),
			slog.String("fields", strings.Join(patch.Fields(), ","))}
	})
	return c.waitFor(ctx, cc, region, id, want)
}

// MutableFields names the FlowLogSpec fields that Update can change in
// place on this client's provider (driver.FieldName and the like); none if
// the provider can change none.
func (c *Client) MutableFields() []string {
	if u, ok := c.p.(driver.Updater); ok {
		return slices.Clone(u.MutableFields())
	}
	return nil
}

// validatePatch refuses, in one *ValidationError, a patch that sets
// nothing, the fields the provider cannot change and the values its rules
// refuse.
func (c *Client) validatePatch(p *Patch) error {
	u, _ := c.p.(driver.Updater)
	var errs []FieldError
	fields := p.Fields()
	if len(fields) == 0 {
		errs = append(errs, FieldError{Field: "Patch", Code: CodeInvalidArgument, Reason: "sets no field"})
	}
	for _, f := range fields {
		if u == nil || !slices.Contains(u.MutableFields(), f) {
			errs = append(errs, FieldError{Field: f, Code: CodeUnsupported,
				Reason: c.p.Name() + " cannot change it in place"})
		}
	}
	if len(errs) == 0 {
		errs = u.ValidatePatch(p)
	}
	if len(errs) > 0 {
		return &ValidationError{Provider: c.p.Name(), Fields: errs}
	}
	return nil
}

// modify sends the change with the client's retries. After an attempt that
// may have been applied it reads the flow log back rather than sending the
// change blindly again: the new values, or a change under way, mean the
// modify worked.
func (c *Client) modify(ctx context.Context, cc *callConfig, fl *FlowLog, p *Patch) error {
	u := c.p.(driver.Updater)
	var st *callState
	err := c.withRetries(ctx, cc.in(fl.Region), "Update", false, func(s *callState) error {
		st = s
		return u.Update(s.ctx, fl, p)
	})
	if err == nil || !st.ambiguous {
		return err
	}
	return c.settleByID(ctx, cc, "Update", fl.Region, fl.ID, err, func(now *FlowLog) bool {
		return now != nil && (p.AppliedTo(now) || (now.Status == StatusPending && now.Settling == StatusUnknown))
	})
}
