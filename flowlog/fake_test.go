package flowlog_test

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/internal/paging"
	"github.com/stretchr/testify/assert"
)

// step is what one Describe call of a fakeProvider sees.
type step struct {
	status   flowlog.Status
	raw      string
	reason   string
	missing  bool  // the flow log is not listed
	err      error // Describe fails with err
	settling flowlog.Status
}

func pending(raw string) step { return step{status: flowlog.StatusPending, raw: raw} }
func active() step            { return step{status: flowlog.StatusActive, raw: "Active"} }
func missing() step           { return step{missing: true} }
func failing(err error) step  { return step{err: err} }

// fakeProvider is an in-memory driver.Provider. Describe plays script, one
// step per call; the last step repeats forever. It records every call.
type fakeProvider struct {
	name string

	mu     sync.Mutex
	script []step
	// validate, when set, is the provider's own validation.
	validate func(*flowlog.FlowLogSpec) []flowlog.FieldError
	// createStatus is the status Create reports (StatusPending by default).
	createStatus flowlog.Status
	createErr    error
	deleteErr    error
	// onDescribe, when set, runs after each Describe call is recorded, with
	// the 1-based call number.
	onDescribe func(n int)

	validateCalls int
	createCalls   int
	deleteCalls   int
	created       []flowlog.FlowLogSpec
	polls         []time.Time // the time of each Describe call
	listed        []*flowlog.FlowLog
	listErr       error
	listCalls     int
	wrongTotal    bool   // ListPage claims far more than it has
	enabled       []bool // SetEnabled calls
	deleted       map[string]bool
	// slowDelete keeps deleted flow logs in Describe; the script decides
	// when they go, as on a provider that deletes asynchronously.
	slowDelete bool
	setErr     error
	batches    [][]string // the IDs of each Describe call
	nextID     int
}

var _ driver.Provider = (*fakeProvider)(nil)

func newFake(script ...step) *fakeProvider {
	return &fakeProvider{name: "fake", script: script}
}

func (f *fakeProvider) Name() string { return f.name }

func (f *fakeProvider) Validate(spec *flowlog.FlowLogSpec) []flowlog.FieldError {
	f.mu.Lock()
	f.validateCalls++
	v := f.validate
	f.mu.Unlock()
	if v == nil {
		return nil
	}
	return v(spec)
}

func (f *fakeProvider) Create(ctx context.Context, spec *flowlog.FlowLogSpec) (*flowlog.FlowLog, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.createCalls++
	f.created = append(f.created, *spec)
	if f.createErr != nil {
		return nil, f.createErr
	}
	f.nextID++
	st := f.createStatus
	if st == flowlog.StatusUnknown {
		st = flowlog.StatusPending
	}
	return &flowlog.FlowLog{
		ID:       "fl-" + strconv.Itoa(f.nextID),
		Provider: f.name,
		Region:   spec.Region,
		Name:     spec.Name,
		Status:   st,
		RawStatus: map[flowlog.Status]string{
			flowlog.StatusPending: "Activating", flowlog.StatusActive: "Active",
		}[st],
		Resource: spec.Resource,
	}, nil
}

func (f *fakeProvider) Describe(ctx context.Context, region string, ids []string) ([]*flowlog.FlowLog, error) {
	f.mu.Lock()
	f.polls = append(f.polls, time.Now())
	f.batches = append(f.batches, slices.Sorted(slices.Values(ids)))
	n := len(f.polls)
	var s step
	if len(f.script) > 0 {
		s = f.script[min(n, len(f.script))-1]
	} else {
		s = missing()
	}
	hook := f.onDescribe
	f.mu.Unlock()
	if hook != nil {
		hook(n)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if s.err != nil {
		return nil, s.err
	}
	if s.missing {
		return nil, nil
	}
	var out []*flowlog.FlowLog
	for _, id := range ids {
		f.mu.Lock()
		gone := f.deleted[id] && !f.slowDelete
		f.mu.Unlock()
		if gone {
			continue
		}
		out = append(out, &flowlog.FlowLog{
			ID: id, Provider: f.name, Region: region,
			Status: s.status, RawStatus: s.raw, StatusReason: s.reason, Settling: s.settling,
		})
	}
	return out, nil
}

func (f *fakeProvider) Delete(ctx context.Context, region, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.deleteCalls++
	if f.deleteErr == nil {
		if f.deleted == nil {
			f.deleted = map[string]bool{}
		}
		f.deleted[id] = true
	}
	return f.deleteErr
}

// pollTimes returns the times of the Describe calls.
func (f *fakeProvider) pollTimes() []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Time(nil), f.polls...)
}

func (f *fakeProvider) describeCalls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.polls)
}

// gaps returns the delays between consecutive polls.
func gaps(ts []time.Time) []time.Duration {
	var out []time.Duration
	for i := 1; i < len(ts); i++ {
		out = append(out, ts[i].Sub(ts[i-1]))
	}
	return out
}

// apiErr builds the kind of *driver.Error an adapter returns, with the
// retry class the adapters' tables give the code by default.
func apiErr(code flowlog.Code, providerCode string) *driver.Error {
	retry := driver.RetryNever
	switch code {
	case flowlog.CodeThrottled:
		retry = driver.RetrySafe
	case flowlog.CodeUnavailable:
		retry = driver.RetryAmbiguous
	}
	return &driver.Error{
		Code: code, Provider: "fake", Op: "DescribeFlowLogs", Retry: retry,
		ProviderCode: providerCode, Message: providerCode + " happened", RequestID: "req-1", HTTPStatus: 400,
	}
}

// validSpec is a spec every neutral rule accepts.
func validSpec() flowlog.FlowLogSpec {
	return flowlog.FlowLogSpec{
		Region:      "cn-hangzhou",
		Name:        "fl",
		Resource:    flowlog.Resource{Kind: flowlog.ResourceVPC, ID: "vpc-1"},
		TrafficType: flowlog.TrafficAll,
		Destination: flowlog.Destination{SLS: &flowlog.SLSDestination{Project: "p", LogStore: "s"}},
		Tags:        map[string]string{"team": "net"},
	}
}

// listPageSize is the fake's page size, small so that tests page.
const listPageSize = 2

func (f *fakeProvider) ListPage(ctx context.Context, region string, filter flowlog.ListFilter, token string) (driver.Page, error) {
	if err := ctx.Err(); err != nil {
		return driver.Page{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.listCalls++
	if f.listErr != nil {
		return driver.Page{}, f.listErr
	}
	cur, err := paging.Parse(token)
	if err != nil {
		return driver.Page{}, err
	}
	var out []*flowlog.FlowLog
	for i := cur.Offset; i < cur.Offset+listPageSize && i < len(f.listed); i++ {
		out = append(out, f.listed[i])
	}
	total := len(f.listed)
	if f.wrongTotal {
		total = 1 << 30
	}
	return driver.Page{FlowLogs: out, Total: total, NextToken: paging.Next(cur.Offset, cur.Total, len(out), listPageSize, total)}, nil
}

func (f *fakeProvider) SetEnabled(ctx context.Context, region, id string, enabled bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.enabled = append(f.enabled, enabled)
	return f.setErr
}

// samePublic asserts that err is want as a caller sees it: the client hands
// an adapter's *driver.Error out as a *flowlog.Error with the same fields.
func samePublic(t *testing.T, want *driver.Error, err error, msgAndArgs ...any) {
	t.Helper()
	var fe *flowlog.Error
	if !assert.ErrorAs(t, err, &fe, msgAndArgs...) {
		return
	}
	assert.Equal(t, flowlog.Error{Code: want.Code, Provider: want.Provider, Op: want.Op, ProviderCode: want.ProviderCode,
		Message: want.Message, RequestID: want.RequestID, HTTPStatus: want.HTTPStatus, ID: want.ID, Err: want.Err}, *fe, msgAndArgs...)
}
