package flowlog

import (
	"context"
	"sync"

	"github.com/cloudflowlog/flowlog-go/internal/errfmt"
)

// A bulk reconcile (EnsureAll, Plan) first learns what is on the resources
// of its specs, region by region, in as few list calls as it can, and then
// decides each spec from that survey: a fleet in steady state costs a walk
// of the region, not a look-up per spec. Terraform refreshes per resource;
// at Tencent's 20 requests per second a 10,000-resource reconcile would
// spend 500 s on look-ups where a walk of 100 pages takes 5.
//
// The survey is a snapshot. A flow log made by someone else after it is
// taken is met by the create's "already exists" and adopted then, as a
// single Ensure would; one deleted after it is taken is adopted and its
// wait then reports it gone.

// handful is how many resources of a region are looked up one by one
// without first reading a page of the region: with so few, one filtered
// call each is never worse than learning the region's size.
const handful = 3

// survey is what a bulk call knows of the flow logs on its resources.
type survey struct {
	mu sync.Mutex
	// byResource holds the flow logs found on each surveyed resource, in
	// any state; a surveyed resource without flow logs has an empty entry.
	byResource map[regionResource][]*FlowLog
	// failed holds the error of a region whose survey failed.
	failed map[string]error
}

type regionResource struct{ region, resource string }

// on returns the flow logs on spec's resource that spec's filter passes,
// and whether the survey covered it (false: look it up), or the error that
// ended the survey of its region.
func (s *survey) on(spec *FlowLogSpec) ([]*FlowLog, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.failed[spec.Region]; err != nil {
		return nil, true, err
	}
	fls, ok := s.byResource[regionResource{spec.Region, spec.Resource.ID}]
	if !ok {
		return nil, false, nil
	}
	f := resourceFilter(spec)
	var out []*FlowLog
	for _, fl := range fls {
		if f.Matches(fl) {
			// Each spec gets its own copy: ensure may change the state it
			// returns, and two specs can name one resource.
			out = append(out, fl.Clone())
		}
	}
	return out, true, nil
}

func resourceFilter(spec *FlowLogSpec) ListFilter {
	return ListFilter{ResourceID: spec.Resource.ID, NetworkID: spec.Resource.NetworkID}
}

// survey finds the flow logs on the resources of the valid specs, each
// region once. Invalid specs are left to fail on their own.
func (c *Client) survey(ctx context.Context, cc *callConfig, specs []FlowLogSpec) *survey {
	s := &survey{byResource: map[regionResource][]*FlowLog{}, failed: map[string]error{}}
	regions := map[string][]*FlowLogSpec{}
	var order []string
	for i := range specs {
		spec := &specs[i]
		if c.Validate(*spec) != nil {
			continue
		}
		if regions[spec.Region] == nil {
			order = append(order, spec.Region)
		}
		regions[spec.Region] = append(regions[spec.Region], spec)
	}
	for _, region := range order {
		if err := c.surveyRegion(ctx, cc, s, region, regions[region]); err != nil {
			s.failed[region] = err
		}
	}
	return s
}

// surveyRegion fills s with the flow logs on the resources of specs, all
// in region, choosing by cost between one filtered look-up per resource, a
// walk per network (VPC or CEN instance) and a walk of the region, as the
// poller does for its describes: it reads the region's first page, learns
// its total, and takes whichever way needs the fewest further calls.
func (c *Client) surveyRegion(ctx context.Context, cc *callConfig, s *survey, region string, specs []*FlowLogSpec) error {
	resources := map[string]bool{}
	networks := map[string]bool{}
	for _, spec := range specs {
		resources[spec.Resource.ID] = true
		networks[spec.Resource.NetworkID] = true
		s.byResource[regionResource{region, spec.Resource.ID}] = nil
	}
	take := func(fl *FlowLog) {
		k := regionResource{region, fl.Resource.ID}
		if resources[fl.Resource.ID] {
			s.byResource[k] = append(s.byResource[k], fl)
		}
	}
	walk := func(f ListFilter, token string, seen map[string]bool) error {
		for fl, err := range c.walk(ctx, cc, region, f, token, seen) {
			if err != nil {
				return err
			}
			take(fl)
		}
		return nil
	}
	if len(resources) <= handful {
		return c.surveyEach(ctx, cc, s, region, specs)
	}
	first, err := c.page(ctx, cc, region, ListFilter{}, "")
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, fl := range first.FlowLogs {
		if fl != nil && !seen[fl.ID] {
			seen[fl.ID] = true
			take(fl)
		}
	}
	if first.NextToken == "" {
		return nil
	}
	pagesLeft := -1 // unknown: walk
	if n := len(first.FlowLogs); first.Total >= 0 && n > 0 {
		pagesLeft = (first.Total - n + n - 1) / n
	}
	perNetwork := len(networks) // at least one call each
	if networks[""] {
		perNetwork = -1 // a spec without a network: only the region walk covers it
	}
	if pagesLeft < 0 || (pagesLeft <= len(resources) && (perNetwork < 0 || pagesLeft <= perNetwork)) {
		return walk(ListFilter{}, first.NextToken, seen)
	}
	// Another way is cheaper: it starts over, so the first page's finds go.
	for _, spec := range specs {
		s.byResource[regionResource{region, spec.Resource.ID}] = nil
	}
	if perNetwork >= 0 && perNetwork < len(resources) {
		for n := range networks {
			if err := walk(ListFilter{NetworkID: n}, "", map[string]bool{}); err != nil {
				return err
			}
		}
		return nil
	}
	return c.surveyEach(ctx, cc, s, region, specs)
}

// surveyEach looks up each resource of specs with a filtered list.
func (c *Client) surveyEach(ctx context.Context, cc *callConfig, s *survey, region string, specs []*FlowLogSpec) error {
	done := map[ListFilter]bool{}
	for _, spec := range specs {
		f := resourceFilter(spec)
		if done[f] {
			continue
		}
		done[f] = true
		for fl, err := range c.walk(ctx, cc, region, f, "", map[string]bool{}) {
			if err != nil {
				return err
			}
			k := regionResource{region, fl.Resource.ID}
			s.byResource[k] = append(s.byResource[k], fl)
		}
	}
	return nil
}

// PlanAction is what EnsureAll would do with a spec.
type PlanAction int

const (
	// PlanNone: the spec could not be planned; PlanItem.Err says why.
	PlanNone PlanAction = iota
	// PlanCreate: nothing matching is on the resource; a flow log would be
	// created.
	PlanCreate
	// PlanAdopt: a flow log matching the spec exists, active or on its way
	// there; it would be adopted as it is.
	PlanAdopt
	// PlanActivate: a matching flow log exists but is stopped; it would be
	// adopted and started.
	PlanActivate
	// PlanDrift: a flow log on the resource differs from the spec in
	// PlanItem.Fields; EnsureAll would report a *DriftError and change
	// nothing (under its drift policy too, when the flow log lacks the
	// owner tag or differs in a field the provider cannot change).
	PlanDrift
	// PlanUpdate: a flow log on the resource differs from the spec in
	// PlanItem.Fields, and the drift policy (OnDrift(DriftUpdate)) would
	// change them in place.
	PlanUpdate
	// PlanReplace: a flow log on the resource differs from the spec, and
	// the drift policy (OnDrift(DriftReplace)) would delete it and create
	// the spec's.
	PlanReplace
)

var planActionNames = []string{"PlanNone", "PlanCreate", "PlanAdopt", "PlanActivate", "PlanDrift", "PlanUpdate", "PlanReplace"}

// String returns the action in words, e.g. "create".
func (a PlanAction) String() string { return errfmt.Words("Plan", planActionNames, a) }

// GoString returns the constant's name, e.g. "flowlog.PlanCreate".
func (a PlanAction) GoString() string { return errfmt.GoName("PlanAction", planActionNames, a) }

// PlanItem is what EnsureAll would do with one spec, at the spec's index.
type PlanItem struct {
	Spec   FlowLogSpec
	Action PlanAction
	// FlowLog is the existing flow log the action concerns: the one that
	// would be adopted or activated, or the one that drifted. Nil for
	// PlanCreate.
	FlowLog *FlowLog
	// Fields names the spec's fields a drifted flow log differs in.
	Fields []string
	// Err is why the spec could not be planned: it is invalid, or the
	// survey of its region failed.
	Err error
}

// Plan is a dry run of EnsureAll: it surveys the specs' resources as
// EnsureAll does, at the same cost in list calls, and says for each spec
// whether EnsureAll would create, adopt, activate, update, replace or
// report drift. It changes nothing. BulkCall's options and the drift
// policy (OnDrift, ChangeUnowned) apply, as they would to EnsureAll.
func (c *Client) Plan(ctx context.Context, specs []FlowLogSpec, opts ...BulkOption) []PlanItem {
	cfg := newBulkConfig(opts)
	out := make([]PlanItem, len(specs))
	if err := c.ready(ctx); err != nil {
		for i := range specs {
			out[i] = PlanItem{Spec: specs[i], Err: err}
		}
		return out
	}
	cc := c.configure(cfg.call)
	s := c.survey(ctx, cc, specs)
	for i := range specs {
		spec := specs[i]
		out[i] = PlanItem{Spec: spec}
		if err := c.Validate(spec); err != nil {
			out[i].Err = err
			continue
		}
		found, _, err := s.on(&spec)
		if err != nil {
			out[i].Err = err
			continue
		}
		out[i].Action, out[i].FlowLog, out[i].Fields = decide(spec, found)
		if out[i].Action == PlanDrift {
			out[i].Action, _, _ = c.driftAction(cc, spec, out[i].FlowLog, out[i].Fields)
		}
	}
	return out
}

// decide is Ensure's choice for spec given the flow logs on its resource:
// the first one not on its way out is adopted (and started when stopped)
// if it matches, or reported as drift if it does not; with none, a create.
func decide(spec FlowLogSpec, found []*FlowLog) (PlanAction, *FlowLog, []string) {
	for _, fl := range found {
		if fl.Status == StatusDeleted || fl.Settling == StatusDeleted {
			continue // on its way out
		}
		if diff := Differences(spec, fl); len(diff) > 0 {
			return PlanDrift, fl, diff
		}
		fl.Unconfirmed = Unconfirmed(spec, fl)
		if fl.Status == StatusInactive || fl.Settling == StatusInactive {
			return PlanActivate, fl, nil
		}
		return PlanAdopt, fl, nil
	}
	return PlanCreate, nil, nil
}
