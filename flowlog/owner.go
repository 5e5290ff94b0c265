package flowlog

import (
	"maps"
	"slices"
	"strconv"

	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
)

// Ownership: a service changes only what it made. Every flow log a client
// creates carries the tag OwnerTagKey with the client's owner value, and
// Ensure's drift policies update or replace only flow logs that carry it
// (unless ChangeUnowned says otherwise). Matching does not look at the tag:
// a flow log someone else made that matches a spec is adopted, as before,
// since adopting changes nothing.

// OwnerTagKey is the tag with which a client marks the flow logs it creates.
// The key is valid on every provider (no reserved prefix, within each
// one's length and character rules).
const OwnerTagKey = "flowlog-owner"

// DefaultOwner is the value of OwnerTagKey unless WithOwner sets another.
const DefaultOwner = "flowlog-go"

// WithOwner sets the value of the owner tag the client puts on what it
// creates, and looks for before changing a flow log: one per service (or
// per team) keeps services that share an account off each other's flow
// logs. An empty value keeps DefaultOwner. The provider's tag-value rules
// apply to it, and it counts towards the provider's number of tags.
func WithOwner(value string) Option {
	return func(c *Client) {
		if value != "" {
			c.owner = value
		}
	}
}

// WithoutOwnerTag makes the client create flow logs without the owner tag,
// for an account whose flow logs must keep every tag the provider allows
// for the caller's own. The drift policies then change a drifted flow log
// only with ChangeUnowned: without the tag, ownership cannot be told.
func WithoutOwnerTag() Option {
	return func(c *Client) { c.owner = "" }
}

// Owner returns the value of the owner tag the client sets, "" with
// WithoutOwnerTag.
func (c *Client) Owner() string { return c.owner }

// owns reports whether fl carries the client's owner tag.
func (c *Client) owns(fl *FlowLog) bool {
	v, ok := fl.Tags[OwnerTagKey]
	return ok && c.owner != "" && v == c.owner
}

// withOwner returns spec as it is sent: with the owner tag added, unless
// the spec sets that tag itself. The caller's map is not changed.
func (c *Client) withOwner(spec *FlowLogSpec) *FlowLogSpec {
	if _, ok := spec.Tags[OwnerTagKey]; ok || c.owner == "" {
		return spec
	}
	sent := *spec
	sent.Tags = maps.Clone(spec.Tags)
	if sent.Tags == nil {
		sent.Tags = map[string]string{}
	}
	sent.Tags[OwnerTagKey] = c.owner
	return &sent
}

// DriftPolicy says what Ensure and EnsureAll do with a flow log on the
// spec's resource that differs from the spec; see OnDrift.
type DriftPolicy int

const (
	// DriftReport leaves the flow log alone and reports a *DriftError (the
	// default).
	DriftReport DriftPolicy = iota
	// DriftUpdate changes the differing fields in place (Client.Update)
	// when the provider can change all of them; a drift in a field it
	// cannot change is still reported, naming those fields in
	// DriftError.Immutable.
	DriftUpdate
	// DriftReplace deletes the flow log and creates the spec's. Every
	// provider allows one flow log per resource, so the delete comes
	// first and the resource's traffic is not captured between the two:
	// a gap of the delete's and the create's time (seconds on Alibaba,
	// less on Tencent). Should the create fail, the old flow log is gone.
	DriftReplace
)

func (p DriftPolicy) String() string {
	switch p {
	case DriftReport:
		return "report"
	case DriftUpdate:
		return "update"
	case DriftReplace:
		return "replace"
	}
	return "DriftPolicy(" + strconv.Itoa(int(p)) + ")"
}

// DriftOption tunes how Ensure and EnsureAll treat drift. It is a
// CallOption and a BulkOption:
//
//	client.Ensure(ctx, spec, flowlog.OnDrift(flowlog.DriftUpdate))
//	client.EnsureAll(ctx, specs, flowlog.OnDrift(flowlog.DriftUpdate))
type DriftOption struct {
	apply func(*callConfig)
}

func (o DriftOption) applyCall(c *callConfig) { o.apply(c) }
func (o DriftOption) applyBulk(b *bulkConfig) { b.call = append(b.call, o) }

// OnDrift sets the drift policy of Ensure and EnsureAll (default
// DriftReport). Update and replace touch only flow logs that carry the
// client's owner tag (WithOwner); a drifted flow log without it is
// reported, with DriftError.Unowned set, unless ChangeUnowned is given too.
func OnDrift(p DriftPolicy) DriftOption {
	return DriftOption{func(c *callConfig) { c.drift = p }}
}

// ChangeUnowned lets the drift policy change flow logs that do not carry
// the client's owner tag, such as ones made before the service used this
// library, or by hand. Say so only for flow logs the service may take over.
func ChangeUnowned() DriftOption {
	return DriftOption{func(c *callConfig) { c.changeUnowned = true }}
}

// Outcome is what a bulk call did with one spec.
type Outcome int

const (
	// OutcomeNone: the item failed, or nothing was decided.
	OutcomeNone Outcome = iota
	// OutcomeCreated: a flow log was created for the spec.
	OutcomeCreated
	// OutcomeAdopted: a flow log that matches the spec was there (and was
	// started, if it was stopped).
	OutcomeAdopted
	// OutcomeUpdated: a flow log that differed was changed in place.
	OutcomeUpdated
	// OutcomeReplaced: a flow log that differed was deleted and the spec's
	// created.
	OutcomeReplaced
	// OutcomeDriftReported: a flow log that differs was left as it is; the
	// item's error is a *DriftError.
	OutcomeDriftReported
)

func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return "Outcome(" + strconv.Itoa(int(o)) + ")"
}

var outcomeNames = []string{"none", "created", "adopted", "updated", "replaced", "drift reported"}

// mutableDiff splits the fields of diff into those Update can change and
// the others.
func (c *Client) mutableDiff(diff []string) (mutable, immutable []string) {
	can := c.MutableFields()
	for _, f := range diff {
		if slices.Contains(can, f) {
			mutable = append(mutable, f)
		} else {
			immutable = append(immutable, f)
		}
	}
	return mutable, immutable
}

// patchFor is the Patch that gives fields of a flow log spec's values.
func patchFor(spec FlowLogSpec, fields []string) Patch {
	var p Patch
	for _, f := range fields {
		switch f {
		case driver.FieldName:
			p.Name = Ptr(spec.Name)
		case driver.FieldDescription:
			p.Description = Ptr(spec.Description)
		case driver.FieldAggregationInterval:
			p.AggregationInterval = Ptr(spec.AggregationInterval)
		}
	}
	return p
}
