package flowlog_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
)

func listed(n int) []*flowlog.FlowLog {
	var out []*flowlog.FlowLog
	for i := range n {
		out = append(out, &flowlog.FlowLog{ID: fmt.Sprintf("fl-%d", i), Name: fmt.Sprintf("n%d", i%2),
			Status: flowlog.StatusActive, Resource: flowlog.Resource{ID: fmt.Sprintf("eni-%d", i)}})
	}
	return out
}

func TestListPagesAndFilters(t *testing.T) {
	p := newFake()
	p.listed = listed(5)
	c := flowlog.NewClient(p)
	var ids []string
	for fl, err := range c.List(context.Background(), region, flowlog.ListFilter{}) {
		require.NoError(t, err)
		ids = append(ids, fl.ID)
	}
	assert.Equal(t, []string{"fl-0", "fl-1", "fl-2", "fl-3", "fl-4"}, ids)
	assert.Equal(t, 3, p.listCalls, "pages of 2: the third is short")

	p.listCalls = 0
	var names []string
	for fl, err := range c.List(context.Background(), region, flowlog.ListFilter{Name: "n1"}) {
		require.NoError(t, err)
		names = append(names, fl.ID)
	}
	assert.Equal(t, []string{"fl-1", "fl-3"}, names, "the filter is applied to what the provider returns")

	p.listCalls = 0
	for range c.List(context.Background(), region, flowlog.ListFilter{}) {
		break
	}
	assert.Equal(t, 1, p.listCalls, "stopping early fetches no more pages")

	p.listed, p.listCalls = listed(4), 0
	for range c.List(context.Background(), region, flowlog.ListFilter{}) {
	}
	assert.Equal(t, 2, p.listCalls, "the total (4) ends the walk without an empty page")

	p.wrongTotal, p.listCalls = true, 0
	count := 0
	for range c.List(context.Background(), region, flowlog.ListFilter{}) {
		count++
	}
	assert.Equal(t, 4, count)
	assert.Equal(t, 3, p.listCalls, "a wrong total does not keep it going past an empty page")

	p.listErr = &flowlog.Error{Code: flowlog.CodePermissionDenied}
	for fl, err := range c.List(context.Background(), region, flowlog.ListFilter{}) {
		assert.Nil(t, fl)
		assert.ErrorIs(t, err, flowlog.ErrPermissionDenied)
	}
}

func TestActivateAndDeactivate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newFake(step{status: flowlog.StatusInactive, raw: "Inactive"}, pending("Activating"), active())
		c := flowlog.NewClient(p, flowlog.WithWaitDefaults(flowlog.PollDelay(time.Second, time.Second)))
		fl, err := c.Activate(t.Context(), region, "fl-1")
		require.NoError(t, err)
		assert.Equal(t, flowlog.StatusActive, fl.Status)
		assert.Equal(t, []bool{true}, p.enabled)

		p = newFake(active())
		c = flowlog.NewClient(p)
		_, err = c.Activate(t.Context(), region, "fl-1")
		require.NoError(t, err)
		assert.Empty(t, p.enabled, "already active: nothing to do")

		p = newFake(active(), step{status: flowlog.StatusPending, raw: "Deactivating", settling: flowlog.StatusInactive},
			step{status: flowlog.StatusInactive, raw: "Inactive"})
		c = flowlog.NewClient(p, flowlog.WithWaitDefaults(flowlog.PollDelay(time.Second, time.Second)))
		fl, err = c.Deactivate(t.Context(), region, "fl-1")
		require.NoError(t, err)
		assert.Equal(t, flowlog.StatusInactive, fl.Status)
		assert.Equal(t, []bool{false}, p.enabled)
	})
}

func TestWaitEndsWhenTheFlowLogSettlesElsewhere(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newFake(pending("Activating"), step{status: flowlog.StatusPending, raw: "Deleting", settling: flowlog.StatusDeleted})
		_, err := flowlog.NewClient(p).Wait(t.Context(), region, "fl-1")
		var we *flowlog.WaitError
		require.ErrorAs(t, err, &we)
		assert.Equal(t, "Deleting", we.LastRaw)
		assert.Equal(t, 2, we.Polls, "no point waiting for active once it is being deleted")
		assert.Contains(t, err.Error(), "moving elsewhere")
	})
}

func TestEnsure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		spec := validSpec()
		matching := &flowlog.FlowLog{ID: "fl-mine", Name: spec.Name, Resource: spec.Resource, TrafficType: flowlog.TrafficAll,
			Destination: spec.Destination, Tags: spec.Tags, Status: flowlog.StatusActive}

		// Nothing there: created and waited for.
		p := newFake(pending("Activating"), active())
		fl, err := flowlog.NewClient(p).Ensure(t.Context(), spec)
		require.NoError(t, err)
		assert.Equal(t, flowlog.StatusActive, fl.Status)
		assert.Equal(t, 1, p.createCalls)

		// A matching active one: adopted, nothing sent but the lookup.
		p = newFake()
		p.listed = []*flowlog.FlowLog{matching}
		fl, err = flowlog.NewClient(p).Ensure(t.Context(), spec)
		require.NoError(t, err)
		assert.Equal(t, "fl-mine", fl.ID)
		assert.Zero(t, p.createCalls)
		assert.Zero(t, p.describeCalls())

		// A matching stopped one: started and waited for.
		stopped := *matching
		stopped.Status = flowlog.StatusInactive
		p = newFake(pending("Activating"), active())
		p.listed = []*flowlog.FlowLog{&stopped}
		fl, err = flowlog.NewClient(p).Ensure(t.Context(), spec)
		require.NoError(t, err)
		assert.Equal(t, flowlog.StatusActive, fl.Status)
		assert.Equal(t, []bool{true}, p.enabled)
		assert.Zero(t, p.createCalls)

		// Someone else's different one: drift, nothing changed.
		theirs := *matching
		theirs.ID, theirs.TrafficType = "fl-theirs", flowlog.TrafficReject
		p = newFake()
		p.listed = []*flowlog.FlowLog{&theirs}
		_, err = flowlog.NewClient(p).Ensure(t.Context(), spec)
		var drift *flowlog.DriftError
		require.ErrorAs(t, err, &drift)
		assert.Equal(t, "fl-theirs", drift.FlowLog.ID)
		assert.Equal(t, []string{"TrafficType"}, drift.Fields)
		assert.ErrorIs(t, err, flowlog.ErrAlreadyExists)
		assert.Zero(t, p.createCalls)
		assert.Empty(t, p.enabled)

	})
}

// bulkFake creates flow logs that turn active after a set time, fails the
// specs named "bad", and records how many creates run at once.
type bulkFake struct {
	*fleet
	inFlight, maxInFlight atomic.Int32
	mu                    sync.Mutex
	n                     int
}

// ListPage finds nothing on any resource: the bulk calls' survey leaves
// every spec to be created.
func (b *bulkFake) ListPage(context.Context, string, flowlog.ListFilter, string) (driver.Page, error) {
	return driver.Page{Total: 0}, nil
}

func (b *bulkFake) Create(ctx context.Context, spec *flowlog.FlowLogSpec) (*flowlog.FlowLog, error) {
	cur := b.inFlight.Add(1)
	defer b.inFlight.Add(-1)
	for {
		m := b.maxInFlight.Load()
		if cur <= m || b.maxInFlight.CompareAndSwap(m, cur) {
			break
		}
	}
	time.Sleep(100 * time.Millisecond) // a create takes a while
	if spec.Name == "bad" {
		return nil, &flowlog.Error{Code: flowlog.CodeInvalidArgument, Provider: "fleet", Op: "CreateFlowLog"}
	}
	b.mu.Lock()
	b.n++
	id := fmt.Sprintf("fl-%03d", b.n)
	b.mu.Unlock()
	b.add(id, 3*time.Second)
	return &flowlog.FlowLog{ID: id, Status: flowlog.StatusPending}, nil
}

func TestCreateAll(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := &bulkFake{fleet: newFleet()}
		c := flowlog.NewClient(b, flowlog.WithWaitDefaults(flowlog.PollDelay(time.Second, time.Second)))
		defer c.Close()
		specs := make([]flowlog.FlowLogSpec, 40)
		for i := range specs {
			specs[i] = validSpec()
			if i%10 == 3 {
				specs[i].Name = "bad"
			}
		}
		var seen []flowlog.Progress
		results := c.CreateAll(t.Context(), specs, flowlog.Concurrency(5),
			flowlog.OnProgress(func(p flowlog.Progress) { seen = append(seen, p) }))
		require.Len(t, results, 40)
		for i, r := range results {
			if i%10 == 3 {
				assert.ErrorIs(t, r.Err, flowlog.ErrInvalidArgument, "item %d", i)
				continue
			}
			require.NoError(t, r.Err, "item %d", i)
			assert.Equal(t, flowlog.StatusActive, r.FlowLog.Status)
			assert.Equal(t, flowlog.OutcomeCreated, r.Outcome, "item %d", i)
		}
		assert.LessOrEqual(t, b.maxInFlight.Load(), int32(5), "bounded concurrency")
		last := seen[len(seen)-1]
		assert.Equal(t, flowlog.Progress{Total: 40, Done: 40, Failed: 4, Submitted: 36, Last: last.Last, Created: 36}, last)
		assert.Len(t, seen, 40+36, "one call per answered create and per finished item")
		assert.Less(t, len(b.snapshot()), 20, "the waits shared describe calls")
	})
}

func TestCreateAllCancellationStopsCleanly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := &bulkFake{fleet: newFleet()}
		c := flowlog.NewClient(b)
		defer c.Close()
		specs := make([]flowlog.FlowLogSpec, 30)
		for i := range specs {
			specs[i] = validSpec()
		}
		ctx, cancel := context.WithTimeout(t.Context(), 250*time.Millisecond)
		defer cancel()
		results := c.CreateAll(ctx, specs, flowlog.Concurrency(5))
		created, canceled := 0, 0
		for _, r := range results {
			switch {
			case r.Err == nil:
				created++
			case errors.Is(r.Err, context.DeadlineExceeded):
				canceled++
			default:
				t.Errorf("unexpected error: %v", r.Err)
			}
		}
		assert.Zero(t, created, "nothing turned active in 250ms")
		assert.Equal(t, 30, canceled, "every item says it was stopped")
		assert.Equal(t, 15, b.n, "rounds of five creates at 0, 100 and 200ms were sent, the rest never")
	})
}
