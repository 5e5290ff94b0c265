package flowlogtest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudflowlog/flowlog-go/internal/limittest"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/flowlog/ratelimit"
)

// Harness adapts one provider to the conformance suite. Every adapter's tests
// call RunConformance with one; a new adapter proves it behaves like the
// others by passing the same suite.
type Harness struct {
	// NewProvider returns the adapter under test talking to srv through rt
	// (the suite counts requests with it), with valid credentials.
	NewProvider func(t *testing.T, srv *Server, rt http.RoundTripper) driver.Provider
	// NewProviderWithSecret returns the adapter with a valid key ID and the
	// wrong secret, secret, which must never appear in an error.
	NewProviderWithSecret func(t *testing.T, srv *Server, secret string) driver.Provider
	// Spec returns a valid spec for the i-th distinct resource of srv,
	// seeding the resource when needed.
	Spec func(t *testing.T, srv *Server, i int) flowlog.FlowLogSpec
	// Invalid are specs the provider must reject before sending anything.
	Invalid []InvalidCase
	// ServerErrors are server-side failures and the neutral code each must
	// map to.
	ServerErrors []ServerErrorCase
	// UnknownID is a well-formed flow log ID that does not exist (default
	// "fl-doesnotexist000000000"); providers check the shape of IDs.
	UnknownID string
	// Raw returns a new pointer to the provider SDK's type that FlowLog.As
	// of a described flow log must fill, e.g. new(vpc.FlowLog).
	Raw func() any
	// NewProviderWithLimiter returns the adapter with valid credentials and
	// lim as its limiter (its WithLimiter option).
	NewProviderWithLimiter func(t *testing.T, srv *Server, lim ratelimit.Limiter) driver.Provider
}

// InvalidCase is one spec the provider must refuse locally.
type InvalidCase struct {
	Name   string
	Mutate func(*flowlog.FlowLogSpec)
	Field  string // the FieldError.Field that must be reported
	Is     error  // flowlog.ErrInvalidArgument or flowlog.ErrUnsupported
}

// ServerErrorCase is one server-side failure of Create.
type ServerErrorCase struct {
	Name string
	// Prepare changes the server or the spec so that Create fails.
	Prepare      func(t *testing.T, srv *Server, spec *flowlog.FlowLogSpec)
	Is           error  // the neutral sentinel the error must match
	ProviderCode string // the provider's code the error must carry
}

// conformanceOptions keep the emulator fast: flow logs settle in 20ms.
var conformanceOptions = []Option{WithActivationDelay(20 * time.Millisecond)}

// fastRetry retries the emulator quickly.
var fastRetry = flowlog.WithRetry(flowlog.RetryDelays(time.Millisecond, 2*time.Millisecond, 10*time.Millisecond))

// fastWait polls the emulator often.
var fastWait = flowlog.WithWaitDefaults(flowlog.PollDelay(2*time.Millisecond, 20*time.Millisecond), flowlog.MaxWait(10*time.Second))

// RunConformance runs the suite against h.
func RunConformance(t *testing.T, h Harness) {
	t.Helper()
	setup := func(t *testing.T, opts ...flowlog.Option) (*Server, *flowlog.Client, *countingTransport) {
		srv := NewServer(conformanceOptions...)
		t.Cleanup(srv.Close)
		rt := &countingTransport{next: http.DefaultTransport.(*http.Transport).Clone()}
		t.Cleanup(rt.next.(*http.Transport).CloseIdleConnections)
		c := flowlog.NewClient(h.NewProvider(t, srv, rt), append([]flowlog.Option{fastWait, fastRetry}, opts...)...)
		t.Cleanup(func() { _ = c.Close() })
		return srv, c, rt
	}

	t.Run("CreateWaitDescribeDelete", func(t *testing.T) {
		srv, c, _ := setup(t)
		ctx := context.Background()
		spec := h.Spec(t, srv, 0)
		created, err := c.Create(ctx, spec)
		must(t, err)
		check(t, created.ID != "", "Create returned no ID")
		check(t, created.Provider == c.Provider(), "Create: Provider %q, want %q", created.Provider, c.Provider())
		check(t, created.Status == flowlog.StatusPending || created.Status == flowlog.StatusActive,
			"Create: status %v, want pending or active", created.Status)

		var seen []flowlog.Status
		fl, err := c.Wait(ctx, spec.Region, created.ID, flowlog.OnStatus(func(f *flowlog.FlowLog) { seen = append(seen, f.Status) }))
		must(t, err)
		check(t, fl.Status == flowlog.StatusActive, "Wait: status %v", fl.Status)
		check(t, len(seen) > 0 && seen[len(seen)-1] == flowlog.StatusActive, "OnStatus saw %v", seen)

		got, err := c.Get(ctx, spec.Region, created.ID)
		must(t, err)
		check(t, got.ID == created.ID, "Get: ID %q", got.ID)
		check(t, got.Provider == c.Provider(), "Get: Provider %q", got.Provider)
		check(t, got.Name == spec.Name, "Get: Name %q, want %q", got.Name, spec.Name)
		check(t, got.Description == spec.Description, "Get: Description %q, want %q", got.Description, spec.Description)
		check(t, got.Resource.ID == spec.Resource.ID, "Get: Resource.ID %q, want %q", got.Resource.ID, spec.Resource.ID)
		check(t, got.Resource.Kind == spec.Resource.Kind, "Get: Resource.Kind %q, want %q", got.Resource.Kind, spec.Resource.Kind)
		check(t, fmt.Sprint(got.Destination) != fmt.Sprint(flowlog.Destination{}), "Get: no destination")
		check(t, destinationString(got.Destination) == destinationString(spec.Destination),
			"Get: destination %s, want %s", destinationString(got.Destination), destinationString(spec.Destination))
		for k, v := range spec.Tags {
			check(t, got.Tags[k] == v, "Get: tag %q = %q, want %q", k, got.Tags[k], v)
		}
		check(t, !got.CreatedAt.IsZero(), "Get: no creation time")
		if h.Raw != nil {
			target := h.Raw()
			check(t, got.As(target), "FlowLog.As(%T) = false", target)
		}

		must(t, c.Delete(ctx, spec.Region, created.ID))
		_, err = c.Get(ctx, spec.Region, created.ID)
		check(t, errors.Is(err, flowlog.ErrNotFound), "Delete waits until the flow log is gone; Get after it: %v", err)
		check(t, len(srv.FlowLogsOn(spec.Resource.ID)) == 0, "still on the server: %v", srv.FlowLogsOn(spec.Resource.ID))
		must(t, c.Delete(ctx, spec.Region, created.ID)) // deleting what is gone succeeds
	})

	t.Run("List", func(t *testing.T) {
		srv, c, _ := setup(t)
		ctx := context.Background()
		const n = 7
		var region string
		want := map[string]string{} // ID -> resource
		for i := range n {
			spec := h.Spec(t, srv, 10+i)
			region = spec.Region
			fl, err := c.Create(ctx, spec)
			must(t, err)
			want[fl.ID] = spec.Resource.ID
		}
		got := map[string]bool{}
		for fl, err := range c.List(ctx, region, flowlog.ListFilter{}) {
			must(t, err)
			got[fl.ID] = true
			check(t, fl.Provider == c.Provider(), "List: Provider %q", fl.Provider)
		}
		for id := range want {
			check(t, got[id], "List did not return %s", id)
		}
		for id, resource := range want {
			var ids []string
			for fl, err := range c.List(ctx, region, flowlog.ListFilter{ResourceID: resource}) {
				must(t, err)
				ids = append(ids, fl.ID)
			}
			check(t, len(ids) == 1 && ids[0] == id, "List by resource %s: %v, want [%s]", resource, ids, id)
			break
		}
		count := 0
		for _, err := range c.List(ctx, region, flowlog.ListFilter{Name: "no-such-name"}) {
			must(t, err)
			count++
		}
		check(t, count == 0, "List by an unknown name returned %d flow logs", count)
	})

	t.Run("DeactivateActivate", func(t *testing.T) {
		srv, c, _ := setup(t)
		ctx := context.Background()
		spec := h.Spec(t, srv, 20)
		fl, err := c.CreateAndWait(ctx, spec)
		must(t, err)
		off, err := c.Deactivate(ctx, spec.Region, fl.ID)
		must(t, err)
		check(t, off.Status == flowlog.StatusInactive, "Deactivate: status %v", off.Status)
		got, err := c.Get(ctx, spec.Region, fl.ID)
		must(t, err)
		check(t, got.Status == flowlog.StatusInactive, "Get after Deactivate: status %v (%s)", got.Status, got.RawStatus)
		on, err := c.Activate(ctx, spec.Region, fl.ID)
		must(t, err)
		check(t, on.Status == flowlog.StatusActive, "Activate: status %v", on.Status)
		again, err := c.Activate(ctx, spec.Region, fl.ID)
		must(t, err)
		check(t, again.Status == flowlog.StatusActive, "Activate of an active flow log: status %v", again.Status)
	})

	t.Run("UpdateInPlace", func(t *testing.T) {
		srv, c, rt := setup(t)
		ctx := context.Background()
		spec := h.Spec(t, srv, 21)
		fl, err := c.CreateAndWait(ctx, spec)
		must(t, err)
		mutable := c.MutableFields()
		check(t, len(mutable) > 0, "the provider can change nothing in place")
		patches := map[string][]flowlog.Patch{
			driver.FieldName:        {{Name: flowlog.Ptr("renamed-in-place")}},
			driver.FieldDescription: {{Description: flowlog.Ptr("changed in place")}},
		}
		for _, d := range []time.Duration{time.Minute, 10 * time.Minute, 5 * time.Minute} {
			if d != fl.AggregationInterval {
				patches[driver.FieldAggregationInterval] = append(patches[driver.FieldAggregationInterval],
					flowlog.Patch{AggregationInterval: flowlog.Ptr(d)})
			}
		}
		for _, field := range []string{driver.FieldName, driver.FieldDescription, driver.FieldAggregationInterval} {
			updated := false
			for _, patch := range patches[field] {
				before, modifies := rt.count.Load(), srv.Calls("ModifyFlowLogAttribute")
				got, err := c.Update(ctx, spec.Region, fl.ID, patch)
				if !slices.Contains(mutable, field) || errors.Is(err, flowlog.ErrInvalidArgument) {
					check(t, errors.Is(err, flowlog.ErrUnsupported) || errors.Is(err, flowlog.ErrInvalidArgument),
						"Update of %s, which it cannot change: %v", field, err)
					check(t, rt.count.Load() == before, "Update of %s sent a request before refusing it", field)
					continue
				}
				if !check(t, err == nil, "Update of %s: %v", field, err) {
					continue
				}
				updated = true
				check(t, patch.AppliedTo(got) && got.Status == flowlog.StatusActive,
					"Update of %s returned %+v (%s)", field, got, got.RawStatus)
				again, err := c.Get(ctx, spec.Region, fl.ID)
				must(t, err)
				check(t, patch.AppliedTo(again), "Get after Update of %s: %+v", field, again)
				check(t, srv.Calls("ModifyFlowLogAttribute") == modifies+1, "Update of %s: %d modify calls, want 1",
					field, srv.Calls("ModifyFlowLogAttribute")-modifies)
				// The same change again finds nothing to do.
				_, err = c.Update(ctx, spec.Region, fl.ID, patch)
				must(t, err)
				check(t, srv.Calls("ModifyFlowLogAttribute") == modifies+1, "a second Update of %s sent a modify", field)
				break
			}
			check(t, updated == slices.Contains(mutable, field), "%s: updated %v, but MutableFields says %v", field, updated, mutable)
		}

		// A stopped flow log is changed and stays stopped.
		_, err = c.Deactivate(ctx, spec.Region, fl.ID)
		must(t, err)
		patch := flowlog.Patch{Description: flowlog.Ptr("changed while stopped")}
		got, err := c.Update(ctx, spec.Region, fl.ID, patch)
		must(t, err)
		check(t, patch.AppliedTo(got) && got.Status == flowlog.StatusInactive, "Update of a stopped flow log: %q %v (%s)",
			got.Description, got.Status, got.RawStatus)
	})

	t.Run("UpdateWithLostResponseIsSettledByReading", func(t *testing.T) {
		srv, c, _ := setup(t)
		ctx := context.Background()
		spec := h.Spec(t, srv, 22)
		fl, err := c.CreateAndWait(ctx, spec)
		must(t, err)
		srv.InjectFaults(FaultRule{Action: "ModifyFlowLogAttribute", Kinds: []FaultKind{FaultLostResponse}, Count: 1})
		patch := flowlog.Patch{Description: flowlog.Ptr("changed while the answer was lost")}
		got, err := c.Update(ctx, spec.Region, fl.ID, patch)
		must(t, err)
		check(t, patch.AppliedTo(got), "Update after a lost response: %+v", got)
		check(t, srv.Calls("ModifyFlowLogAttribute") == 1, "%d modify calls, want 1: the lost one was read back, not resent",
			srv.Calls("ModifyFlowLogAttribute"))
	})

	t.Run("Ensure", func(t *testing.T) {
		srv, c, _ := setup(t)
		ctx := context.Background()
		spec := h.Spec(t, srv, 30)
		first, err := c.Ensure(ctx, spec)
		must(t, err)
		check(t, first.Status == flowlog.StatusActive, "Ensure: status %v", first.Status)
		for range 3 {
			spec.ClientToken = ""
			again, err := c.Ensure(ctx, spec)
			must(t, err)
			check(t, again.ID == first.ID, "Ensure again returned %s, want %s", again.ID, first.ID)
		}
		check(t, len(srv.FlowLogsOn(spec.Resource.ID)) == 1, "flow logs: %v", srv.FlowLogsOn(spec.Resource.ID))

		_, err = c.Deactivate(ctx, spec.Region, first.ID)
		must(t, err)
		back, err := c.Ensure(ctx, spec)
		must(t, err)
		check(t, back.ID == first.ID && back.Status == flowlog.StatusActive, "Ensure of a stopped flow log: %s %v", back.ID, back.Status)

		drifted := spec
		drifted.Name += "x"
		_, err = c.Ensure(ctx, drifted)
		var drift *flowlog.DriftError
		if check(t, errors.As(err, &drift), "Ensure of a different spec: %v, want a *flowlog.DriftError", err) {
			check(t, drift.FlowLog.ID == first.ID, "drift names %s, want %s", drift.FlowLog.ID, first.ID)
			check(t, slices.Contains(drift.Fields, "Name"), "drift fields %v", drift.Fields)
		}
	})

	t.Run("DriftPolicies", func(t *testing.T) {
		srv, c, _ := setup(t)
		ctx := context.Background()
		modifies := func() int { return srv.Calls("ModifyFlowLogAttribute") }
		// A flow log this client made, and one made without the owner tag
		// (by hand, or before the service used the library).
		mine, theirs := h.Spec(t, srv, 40), h.Spec(t, srv, 41)
		made, err := c.CreateAndWait(ctx, mine)
		must(t, err)
		check(t, made.Tags[flowlog.OwnerTagKey] == c.Owner(), "created without the owner tag: %v", made.Tags)
		untagged := flowlog.NewClient(h.NewProvider(t, srv, http.DefaultTransport), fastWait, fastRetry, flowlog.WithoutOwnerTag())
		t.Cleanup(func() { _ = untagged.Close() })
		other, err := untagged.CreateAndWait(ctx, theirs)
		must(t, err)
		_, tagged := other.Tags[flowlog.OwnerTagKey]
		check(t, !tagged, "WithoutOwnerTag: tags %v", other.Tags)

		changed := func(s flowlog.FlowLogSpec) flowlog.FlowLogSpec {
			s.Description = "a new description"
			return s
		}
		var drift *flowlog.DriftError

		// Report, the default: nothing changes.
		_, err = c.Ensure(ctx, changed(mine))
		check(t, errors.As(err, &drift) && drift.Policy == flowlog.DriftReport, "DriftReport: %v", err)
		check(t, modifies() == 0, "DriftReport sent a modify")

		// Update: in place, same flow log.
		up, err := c.Ensure(ctx, changed(mine), flowlog.OnDrift(flowlog.DriftUpdate))
		must(t, err)
		check(t, up.ID == made.ID && up.Description == "a new description" && up.Status == flowlog.StatusActive,
			"DriftUpdate: %s %q %v, want %s changed in place and active", up.ID, up.Description, up.Status, made.ID)
		check(t, modifies() == 1, "DriftUpdate: %d modify calls, want 1", modifies())

		// Not owned: reported, unless the caller says so.
		_, err = c.Ensure(ctx, changed(theirs), flowlog.OnDrift(flowlog.DriftUpdate))
		check(t, errors.As(err, &drift) && drift.Unowned && errors.Is(err, flowlog.ErrAlreadyExists),
			"DriftUpdate of an unowned flow log: %v, want a *DriftError with Unowned", err)
		_, err = c.Ensure(ctx, changed(theirs), flowlog.OnDrift(flowlog.DriftReplace))
		check(t, errors.As(err, &drift) && drift.Unowned, "DriftReplace of an unowned flow log: %v", err)
		check(t, modifies() == 1 && len(srv.FlowLogsOn(theirs.Resource.ID)) == 1, "an unowned flow log was changed")
		took, err := c.Ensure(ctx, changed(theirs), flowlog.OnDrift(flowlog.DriftUpdate), flowlog.ChangeUnowned())
		must(t, err)
		check(t, took.ID == other.ID && took.Description == "a new description", "ChangeUnowned: %s %q", took.ID, took.Description)

		// Replace: a new flow log for the spec, the old one deleted.
		again := changed(mine)
		again.Description = "replaced"
		repl, err := c.Ensure(ctx, again, flowlog.OnDrift(flowlog.DriftReplace))
		must(t, err)
		check(t, repl.ID != made.ID && repl.Description == "replaced" && repl.Status == flowlog.StatusActive,
			"DriftReplace: %s %q %v, want a new, active flow log", repl.ID, repl.Description, repl.Status)
		check(t, slices.Equal(srv.FlowLogsOn(mine.Resource.ID), []string{repl.ID}),
			"after DriftReplace the resource has %v, want only %s", srv.FlowLogsOn(mine.Resource.ID), repl.ID)

		// EnsureAll: one outcome per item, counted by the progress callback.
		fresh, same := h.Spec(t, srv, 42), h.Spec(t, srv, 43)
		_, err = c.CreateAndWait(ctx, same)
		must(t, err)
		back := again
		back.Description = "back again"
		unowned := theirs
		unowned.Description = "someone else's"
		plan := c.Plan(ctx, []flowlog.FlowLogSpec{fresh, back, unowned, same}, flowlog.OnDrift(flowlog.DriftUpdate))
		planned := []flowlog.PlanAction{flowlog.PlanCreate, flowlog.PlanUpdate, flowlog.PlanDrift, flowlog.PlanAdopt}
		for i, p := range plan {
			check(t, p.Action == planned[i] && p.Err == nil, "Plan item %d: %v (%v), want %v", i, p.Action, p.Err, planned[i])
		}
		var last flowlog.Progress
		results := c.EnsureAll(ctx, []flowlog.FlowLogSpec{fresh, back, unowned, same},
			flowlog.OnDrift(flowlog.DriftUpdate), flowlog.OnProgress(func(p flowlog.Progress) { last = p }))
		want := []flowlog.Outcome{flowlog.OutcomeCreated, flowlog.OutcomeUpdated, flowlog.OutcomeDriftReported, flowlog.OutcomeAdopted}
		for i, r := range results {
			check(t, r.Outcome == want[i], "EnsureAll item %d: %v (%v), want %v", i, r.Outcome, r.Err, want[i])
		}
		check(t, last.Created == 1 && last.Updated == 1 && last.DriftReported == 1 && last.Adopted == 1 && last.Failed == 1,
			"progress %+v", last)
	})

	t.Run("ServiceOpening", func(t *testing.T) {
		srv, c, _ := setup(t, flowlog.WithServiceOpening())
		ctx := context.Background()
		specs := []flowlog.FlowLogSpec{h.Spec(t, srv, 50), h.Spec(t, srv, 51), h.Spec(t, srv, 52)}
		if _, ok := h.NewProvider(t, srv, http.DefaultTransport).(driver.ServiceOpener); !ok {
			// Nothing to open: the option changes nothing.
			_, err := c.CreateAndWait(ctx, specs[0])
			must(t, err)
			return
		}
		region := specs[0].Region
		srv.SetFlowLogServiceOpened(region, false)
		plain := flowlog.NewClient(h.NewProvider(t, srv, http.DefaultTransport), fastWait, fastRetry)
		t.Cleanup(func() { _ = plain.Close() })
		_, err := plain.Create(ctx, specs[0])
		check(t, errors.Is(err, flowlog.ErrFailedPrecondition) && strings.Contains(err.Error(), "WithServiceOpening"),
			"a create where the service is not opened: %v, want ErrFailedPrecondition saying how to open it", err)
		check(t, srv.Calls("OpenFlowLogService") == 0, "the service was opened without WithServiceOpening")

		// Concurrent creates open it once, then all succeed.
		results := c.CreateAll(ctx, specs, flowlog.Concurrency(3))
		for i, r := range results {
			check(t, r.Err == nil && r.Outcome == flowlog.OutcomeCreated, "create %d after opening: %v", i, r.Err)
		}
		check(t, srv.Calls("OpenFlowLogService") == 1, "OpenFlowLogService called %d times, want once", srv.Calls("OpenFlowLogService"))
		_, err = c.CreateAndWait(ctx, h.Spec(t, srv, 53))
		must(t, err)
		check(t, srv.Calls("OpenFlowLogService") == 1, "opened again for a later create")
	})

	t.Run("BulkCallsSurveyOnce", func(t *testing.T) {
		// A fleet in steady state costs a walk of the region, not a
		// look-up per spec, for EnsureAll and CreateAll alike; Plan costs
		// the same and tells each spec apart.
		srv, c, rt := setup(t)
		ctx := context.Background()
		const n, smallestPage = 120, 50
		specs := make([]flowlog.FlowLogSpec, n)
		for i := range specs {
			specs[i] = h.Spec(t, srv, 100+i)
		}
		first := c.EnsureAll(ctx, specs)
		for _, r := range first {
			must(t, r.Err)
		}
		before := rt.count.Load()
		again := c.EnsureAll(ctx, specs)
		calls := rt.count.Load() - before
		limit := int64((n+smallestPage-1)/smallestPage + 2)
		check(t, calls <= limit, "steady-state EnsureAll of %d made %d requests, want at most %d", n, calls, limit)
		for i, r := range again {
			must(t, r.Err)
			check(t, r.FlowLog.ID == first[i].FlowLog.ID, "spec %d: EnsureAll again returned %s, want %s", i, r.FlowLog.ID, first[i].FlowLog.ID)
			check(t, len(srv.FlowLogsOn(specs[i].Resource.ID)) == 1, "spec %d: flow logs %v", i, srv.FlowLogsOn(specs[i].Resource.ID))
		}

		// CreateAll decides from the same survey what Create would decide
		// after an "already exists": the same flow logs, no create sent.
		redone := slices.Clone(specs)
		redone[0].Name += "x"
		before = rt.count.Load()
		created := c.CreateAll(ctx, redone)
		calls = rt.count.Load() - before
		check(t, calls <= limit, "CreateAll of %d existing made %d requests, want at most %d", n, calls, limit)
		check(t, errors.Is(created[0].Err, flowlog.ErrAlreadyExists), "CreateAll of a differing spec: %v, want ErrAlreadyExists", created[0].Err)
		var fe *flowlog.Error
		if errors.As(created[0].Err, &fe) {
			check(t, fe.ID == first[0].FlowLog.ID, "CreateAll of a differing spec names %q, want %q", fe.ID, first[0].FlowLog.ID)
		}
		for i, r := range created[1:] {
			must(t, r.Err)
			check(t, r.FlowLog.ID == first[i+1].FlowLog.ID, "spec %d: CreateAll returned %s, want %s", i+1, r.FlowLog.ID, first[i+1].FlowLog.ID)
		}

		_, err := c.Deactivate(ctx, specs[1].Region, first[1].FlowLog.ID)
		must(t, err)
		must(t, c.Delete(ctx, specs[2].Region, first[2].FlowLog.ID))
		planned := slices.Clone(specs)
		planned[3].Name += "x"
		before = rt.count.Load()
		plan := c.Plan(ctx, planned)
		calls = rt.count.Load() - before
		check(t, calls <= limit, "Plan of %d made %d requests, want at most %d", n, calls, limit)
		want := map[int]flowlog.PlanAction{0: flowlog.PlanAdopt, 1: flowlog.PlanActivate, 2: flowlog.PlanCreate, 3: flowlog.PlanDrift}
		for i, item := range plan {
			must(t, item.Err)
			w, ok := want[i]
			if !ok {
				w = flowlog.PlanAdopt
			}
			check(t, item.Action == w, "Plan of spec %d: %v, want %v", i, item.Action, w)
		}
		if check(t, plan[3].FlowLog != nil, "Plan of a drifted spec names no flow log") {
			check(t, plan[3].FlowLog.ID == first[3].FlowLog.ID && slices.Contains(plan[3].Fields, "Name"),
				"Plan of a drifted spec: %s %v", plan[3].FlowLog.ID, plan[3].Fields)
		}
		check(t, len(srv.FlowLogsOn(specs[2].Resource.ID)) == 0, "Plan created a flow log: %v", srv.FlowLogsOn(specs[2].Resource.ID))
		stopped, err := c.Get(ctx, specs[1].Region, first[1].FlowLog.ID)
		must(t, err)
		check(t, stopped.Status == flowlog.StatusInactive, "Plan started a stopped flow log: %v", stopped.Status)
	})

	t.Run("LimiterSeesEveryRequest", func(t *testing.T) {
		// The adapter asks its limiter once per request, for the request's
		// provider, region and action, and tells it of throttles only.
		if h.NewProviderWithLimiter == nil {
			t.Fatal("the Harness has no NewProviderWithLimiter: every adapter takes a limiter")
		}
		srv := NewServer(slices.Concat(conformanceOptions, []Option{WithTencentRateLimit(0)})...)
		t.Cleanup(srv.Close)
		lim := &limittest.Recorder{}
		p := h.NewProviderWithLimiter(t, srv, lim)
		ctx := context.Background()
		spec := h.Spec(t, srv, 40)
		fl, err := p.Create(ctx, &spec)
		must(t, err)
		waits, observed := lim.Record()
		if check(t, len(waits) == 1, "Create asked the limiter %d times, want once: %v", len(waits), waits) {
			k := waits[0]
			check(t, k.Provider == p.Name() && k.Region == spec.Region && strings.HasPrefix(k.Action, "Create"),
				"Create asked for %v, want provider %s, region %s, a Create action", k, p.Name(), spec.Region)
			check(t, slices.Equal(observed, []limittest.Observation{{Key: k, Throttled: false}}), "Create observed %v, want one success of %v", observed, k)
		}

		_, err = p.Describe(ctx, fl.Region, []string{fl.ID})
		must(t, err)
		waits, _ = lim.Record()
		if !check(t, len(waits) == 1 && strings.HasPrefix(waits[0].Action, "Describe"), "Describe asked for %v, want one Describe action", waits) {
			return
		}
		describe := waits[0]
		for _, tc := range []struct {
			kind      FaultKind
			is        error
			throttled bool
		}{{FaultThrottle, flowlog.ErrThrottled, true}, {FaultServerError, flowlog.ErrUnavailable, false}} {
			srv.InjectFaults(FaultRule{Count: 1, Kinds: []FaultKind{tc.kind}})
			_, err = p.Describe(ctx, fl.Region, []string{fl.ID})
			check(t, errors.Is(err, tc.is), "Describe with %v: %v, want %v", tc.kind, err, tc.is)
			waits, observed = lim.Record()
			check(t, slices.Equal(waits, []ratelimit.Key{describe}), "Describe with %v asked for %v, want %v once", tc.kind, waits, describe)
			check(t, slices.Equal(observed, []limittest.Observation{{Key: describe, Throttled: tc.throttled}}), "Describe with %v observed %v, want throttled %v", tc.kind, observed, tc.throttled)
		}
	})

	t.Run("ValidationSendsNothing", func(t *testing.T) {
		srv, c, rt := setup(t)
		for _, tc := range h.Invalid {
			spec := h.Spec(t, srv, 0)
			tc.Mutate(&spec)
			before := rt.count.Load()
			_, err := c.Create(context.Background(), spec)
			var ve *flowlog.ValidationError
			if !errors.As(err, &ve) {
				t.Errorf("%s: want a *flowlog.ValidationError, got %v", tc.Name, err)
				continue
			}
			check(t, errors.Is(err, tc.Is), "%s: %v does not match %v", tc.Name, err, tc.Is)
			check(t, strings.Contains(err.Error(), tc.Field), "%s: %q does not name field %s", tc.Name, err, tc.Field)
			check(t, rt.count.Load() == before, "%s: a request was sent for an invalid spec", tc.Name)
		}
	})

	t.Run("ServerErrorsAreTyped", func(t *testing.T) {
		for _, tc := range h.ServerErrors {
			t.Run(tc.Name, func(t *testing.T) {
				srv, c, _ := setup(t)
				spec := h.Spec(t, srv, 0)
				tc.Prepare(t, srv, &spec)
				_, err := c.Create(context.Background(), spec)
				checkAPIError(t, err, tc.Is, tc.ProviderCode, c.Provider())
			})
		}
	})

	t.Run("ServerFaultsAreTyped", func(t *testing.T) {
		// One injected fault on the first request the provider sends,
		// whatever product it talks to, and a client that makes one
		// attempt: the fault surfaces as the error of Create, classified.
		flowLogCount := func(srv *Server) int { // on every product
			return len(srv.VPCFlowLogs()) + len(srv.CENFlowLogs()) + len(srv.TencentFlowLogs())
		}
		for _, tc := range []struct {
			kind   FaultKind
			is     error
			retry  driver.RetryClass
			status int // the HTTP status the error must carry, 0 = any
		}{
			{FaultThrottle, flowlog.ErrThrottled, driver.RetrySafe, 0},
			{FaultServerError, flowlog.ErrUnavailable, driver.RetryAmbiguous, 0},
			{FaultHTMLError, flowlog.ErrUnavailable, driver.RetryAmbiguous, http.StatusBadGateway},
			{FaultMalformed, flowlog.ErrUnavailable, driver.RetryAmbiguous, 0},
			{FaultReset, flowlog.ErrUnavailable, driver.RetryAmbiguous, 0},
		} {
			t.Run(tc.kind.String(), func(t *testing.T) {
				// The contract: the adapter's own error says how to retry.
				srv, _, rt := setup(t)
				p := h.NewProvider(t, srv, rt)
				spec := h.Spec(t, srv, 0)
				before := flowLogCount(srv)
				srv.InjectFaults(FaultRule{Kinds: []FaultKind{tc.kind}, Count: 1})
				_, err := p.Create(context.Background(), &spec)
				var fe *driver.Error
				if !errors.As(err, &fe) {
					t.Fatalf("want a *driver.Error, got %T: %v", err, err)
				}
				check(t, errors.Is(err, tc.is), "%v does not match %v", err, tc.is)
				check(t, fe.Retry == tc.retry, "retry class %v, want %v", fe.Retry, tc.retry)
				check(t, fe.Provider == p.Name(), "Provider %q, want %q", fe.Provider, p.Name())
				check(t, fe.Op != "", "no Op in %v", err)
				if tc.status != 0 {
					check(t, fe.HTTPStatus == tc.status, "HTTPStatus %d, want %d", fe.HTTPStatus, tc.status)
				}
				check(t, srv.FaultsInjected()[tc.kind] == 1, "faults injected: %v", srv.FaultsInjected())
				check(t, flowLogCount(srv) == before, "a flow log was created despite the fault")
			})
		}
	})

	t.Run("FaultsAreRetriedWithoutDuplicates", func(t *testing.T) {
		// Two faults of each kind on the first requests, and the client's
		// retries: Create succeeds and the resource has exactly one flow
		// log, also when a response was lost after the flow log was made.
		for _, kind := range []FaultKind{FaultThrottle, FaultServerError, FaultHTMLError, FaultMalformed, FaultReset, FaultLostResponse} {
			t.Run(kind.String(), func(t *testing.T) {
				srv, c, _ := setup(t)
				spec := h.Spec(t, srv, 0)
				srv.InjectFaults(FaultRule{Kinds: []FaultKind{kind}, Count: 2})
				fl, err := c.Create(context.Background(), spec)
				must(t, err)
				ids := srv.FlowLogsOn(spec.Resource.ID)
				check(t, len(ids) == 1 && ids[0] == fl.ID, "flow logs on %s: %v, want just %s", spec.Resource.ID, ids, fl.ID)
				check(t, srv.FaultsInjected()[kind] == 2, "faults injected: %v", srv.FaultsInjected())
			})
		}
	})

	t.Run("SameSpecTwiceAdopts", func(t *testing.T) {
		srv, c, _ := setup(t)
		spec := h.Spec(t, srv, 1)
		first, err := c.Create(context.Background(), spec)
		must(t, err)
		spec.ClientToken = "" // a new logical create of the same flow log
		again, err := c.Create(context.Background(), spec)
		must(t, err)
		check(t, again.ID == first.ID, "the second create returned %s, want the existing %s", again.ID, first.ID)
		check(t, len(srv.FlowLogsOn(spec.Resource.ID)) == 1, "flow logs: %v", srv.FlowLogsOn(spec.Resource.ID))
	})

	t.Run("AlreadyExists", func(t *testing.T) {
		srv, c, _ := setup(t)
		spec := h.Spec(t, srv, 1)
		first, err := c.Create(context.Background(), spec)
		must(t, err)
		spec.ClientToken = "" // a new logical create on the same resource
		spec.Name += "x"      // ... of a different flow log
		_, err = c.Create(context.Background(), spec)
		checkAPIError(t, err, flowlog.ErrAlreadyExists, "", c.Provider())
		var fe *flowlog.Error
		if errors.As(err, &fe) {
			check(t, fe.ID == first.ID, "the error names %q, want the existing %s", fe.ID, first.ID)
		}
		check(t, err != nil && strings.Contains(err.Error(), "Name"), "the error does not name the differing field: %v", err)
	})

	t.Run("WrongSecretIsUnauthenticatedAndNotShown", func(t *testing.T) {
		srv := NewServer(conformanceOptions...)
		defer srv.Close()
		const secret = "conformance-wrong-secret-0123456789"
		c := flowlog.NewClient(h.NewProviderWithSecret(t, srv, secret))
		_, err := c.Create(context.Background(), h.Spec(t, srv, 0))
		checkAPIError(t, err, flowlog.ErrUnauthenticated, "", c.Provider())
		check(t, err != nil && !strings.Contains(fmt.Sprintf("%v %+v", err, err), secret), "the secret appears in %v", err)
	})

	t.Run("NotFound", func(t *testing.T) {
		srv, c, _ := setup(t)
		region := h.Spec(t, srv, 0).Region
		unknown := h.UnknownID
		if unknown == "" {
			unknown = "fl-doesnotexist000000000"
		}
		_, err := c.Get(context.Background(), region, unknown)
		check(t, errors.Is(err, flowlog.ErrNotFound), "Get of an unknown ID: %v", err)
		err = c.Delete(context.Background(), region, unknown)
		check(t, err == nil, "Delete of an unknown ID: %v, want success (it is gone)", err)
	})

	t.Run("CanceledContext", func(t *testing.T) {
		srv, c, rt := setup(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		before := rt.count.Load()
		_, err := c.Create(ctx, h.Spec(t, srv, 0))
		check(t, errors.Is(err, context.Canceled), "Create with a canceled context: %v", err)
		check(t, rt.count.Load() == before, "a request was sent with a canceled context")
	})

	t.Run("ConcurrentCreates", func(t *testing.T) {
		srv, c, _ := setup(t)
		const n = 8
		specs := make([]flowlog.FlowLogSpec, n)
		for i := range specs {
			specs[i] = h.Spec(t, srv, 2+i)
		}
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range specs {
			wg.Go(func() { _, errs[i] = c.CreateAndWait(context.Background(), specs[i]) })
		}
		wg.Wait()
		for i, err := range errs {
			check(t, err == nil, "create %d: %v", i, err)
		}
	})
}

func checkAPIError(t *testing.T, err error, is error, providerCode, provider string) {
	t.Helper()
	var fe *flowlog.Error
	if !errors.As(err, &fe) {
		t.Errorf("want a *flowlog.Error, got %v", err)
		return
	}
	check(t, errors.Is(err, is), "%v does not match %v", err, is)
	if providerCode != "" {
		check(t, fe.ProviderCode == providerCode, "provider code %q, want %q", fe.ProviderCode, providerCode)
	}
	check(t, fe.Provider == provider, "Provider %q, want %q", fe.Provider, provider)
	check(t, fe.Op != "", "no Op in %v", err)
	check(t, fe.RequestID != "", "no RequestID in %v", err)
	check(t, strings.Contains(err.Error(), fe.RequestID), "the text %q does not show the request ID", err)
}

func destinationString(d flowlog.Destination) string {
	switch {
	case d.SLS != nil:
		return "sls:" + d.SLS.Project + "/" + d.SLS.LogStore
	case d.CLS != nil:
		return "cls:" + d.CLS.TopicID
	case d.CKafka != nil:
		return "ckafka:" + d.CKafka.InstanceID + "/" + d.CKafka.Topic
	}
	return "none"
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func check(t *testing.T, ok bool, format string, args ...any) bool {
	t.Helper()
	if !ok {
		t.Errorf(format, args...)
	}
	return ok
}

// countingTransport counts the requests an adapter sends.
type countingTransport struct {
	next  http.RoundTripper
	count atomic.Int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.count.Add(1)
	return c.next.RoundTrip(r)
}
