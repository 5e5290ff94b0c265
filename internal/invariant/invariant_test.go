package invariant

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
	"pgregory.net/rapid"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/internal/testkit"
)

// The promises, as the suite checks them after every step of a random
// history (the README states them the same way):
//
//  1. At most one flow log per resource, never two.
//  2. Every success matches its spec in every field the spec set, in the
//     emulator's own records, or names the fields it could not confirm
//     (FlowLog.Unconfirmed); a call never makes a flow log that differs
//     from its spec.
//  3. Every error is typed, and no error claims failure for something that
//     happened (a flow log made, deleted, started or stopped) unless it
//     matches flowlog.ErrUnknownOutcome.
//  4. Ensure of an unchanged spec twice in a row changes nothing the
//     second time and returns the same ID.
//  5. A wait returns the state the emulator holds, and a successful one
//     returns within one maximum poll delay (plus scheduling slack) of the
//     flow log becoming active.
//  6. No goroutine outlives Close, and no secret (credential, token,
//     signature sent) shows in any error text, fmt verb, slog record or
//     the client's log.
//
// Histories mix Create, CreateAndWait, Ensure (twice), EnsureAll, Get,
// List, Delete, deleting while listing, Activate, Deactivate, Wait and
// WaitAll on two Client replicas sharing one emulator, concurrent callers
// with conflicting specs, deadlines and cancellations in the middle of a
// call, Close in the middle of a wait, and fault rules that change during
// the history (every fault kind; lost create responses up to 100%; in one
// variant, servers that echo requests in their error bodies). Calls draw
// per-call options (attempts, poll delays), and specs sometimes name their
// provider.

// defaultChecks keeps the package well under a minute in the plain
// `go test ./...`; -rapid.checks runs more.
const defaultChecks = 4

func TestMain(m *testing.M) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "rapid.checks" })
	if !set && os.Getenv("RAPID_CHECKS") == "" {
		_ = flag.Set("rapid.checks", fmt.Sprint(defaultChecks))
	}
	code := m.Run()
	fmt.Print(stats.report())
	os.Exit(code)
}

// stats counts what the histories covered, for the report at the end.
var stats = coverage{actions: map[string]*actionStats{}, faults: map[flowlogtest.FaultKind]int{}}

type coverage struct {
	mu        sync.Mutex
	histories int
	steps     int
	actions   map[string]*actionStats
	faults    map[flowlogtest.FaultKind]int
}

type actionStats struct {
	n       int
	elapsed time.Duration
}

func (c *coverage) action(name string, d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a := c.actions[name]
	if a == nil {
		a = &actionStats{}
		c.actions[name] = a
	}
	a.n++
	a.elapsed += d
	c.steps++
}

func (c *coverage) history(faults map[flowlogtest.FaultKind]int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.histories++
	for k, n := range faults {
		c.faults[k] += n
	}
}

func (c *coverage) report() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.histories == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "invariant suite: %d histories, %d steps\n", c.histories, c.steps)
	for _, name := range slices.Sorted(maps.Keys(c.actions)) {
		a := c.actions[name]
		fmt.Fprintf(&b, "  %-20s %6d steps, %v each on average\n", name, a.n, (a.elapsed / time.Duration(a.n)).Round(time.Millisecond))
	}
	var kinds []string
	for _, k := range slices.Sorted(maps.Keys(c.faults)) {
		kinds = append(kinds, fmt.Sprintf("%v %d", k, c.faults[k]))
	}
	fmt.Fprintf(&b, "  faults injected: %s\n", strings.Join(kinds, ", "))
	return b.String()
}

// Timing of the histories: the emulator settles in activation, the client
// polls between minPoll and maxPoll and gives a wait maxWait.
const (
	activation = 10 * time.Millisecond
	minPoll    = 2 * time.Millisecond
	maxPoll    = 20 * time.Millisecond
	maxWait    = 600 * time.Millisecond
	// slack is what a loaded machine (2 cores, the race detector) may add
	// to a wait's return after its last poll.
	slack = 250 * time.Millisecond
)

func TestInvariants(t *testing.T) {
	for _, w := range historyWorlds() {
		t.Run(w.name, func(t *testing.T) { rapid.Check(t, func(rt *rapid.T) { runHistory(rt, w, false) }) })
	}
}

// TestInvariantsWithEchoingServers adds servers that quote the request,
// with its credentials and signature, in their error bodies.
func TestInvariantsWithEchoingServers(t *testing.T) {
	for _, w := range historyWorlds() {
		t.Run(w.name, func(t *testing.T) { rapid.Check(t, func(rt *rapid.T) { runHistory(rt, w, true) }) })
	}
}

func runHistory(rt *rapid.T, w *world, echo bool) {
	before := goleak.IgnoreCurrent()
	m := newMachine(rt, w, echo)
	func() {
		defer m.close()
		defer func() { stats.history(m.srv.FaultsInjected()) }()
		rt.Repeat(m.timed(m.actions()))
	}()
	if err := goleak.Find(before); err != nil {
		rt.Fatalf("goroutines outlive Close: %v", err)
	}
}

// machine runs one history.
type machine struct {
	t    *rapid.T
	w    *world
	echo bool
	srv  *flowlogtest.Server
	res  []resource
	reps []*flowlog.Client
	// untagged creates without the owner tag.
	untagged *flowlog.Client
	// logger and shared are the options of every client of the history.
	logger flowlog.Option
	shared []flowlog.Option
	logs   *testkit.LogBuffer
	sent   *signatures
	known  []string // flow log IDs seen so far
	// texts are what the library produced in the current step: error
	// texts, printed flow logs; checked for secrets after the step.
	mu    sync.Mutex
	texts map[string]string
	steps int
	// faulty says the emulator has fault rules.
	faulty bool
}

func newMachine(t *rapid.T, w *world, echo bool) *machine {
	m := &machine{t: t, w: w, echo: echo, sent: &signatures{}, texts: map[string]string{}}
	m.srv = flowlogtest.NewServer(append([]flowlogtest.Option{
		flowlogtest.WithActivationDelay(activation),
		flowlogtest.WithFaultSeed(rapid.Int64().Draw(t, "fault seed")),
	}, w.serverOpts...)...)
	m.res = w.seed(m.srv)
	m.logger = testkitLogger(&m.logs)
	if w.clientOpts != nil {
		m.shared = w.clientOpts()
	}
	for range 2 {
		m.reps = append(m.reps, m.newClient(m.logger, m.shared...))
	}
	// A third client stands for whoever makes flow logs without the owner
	// tag (by hand, another tool): the drift policies must leave those be.
	m.untagged = m.newClient(m.logger, append(slices.Clone(m.shared), flowlog.WithoutOwnerTag())...)
	return m
}

func (m *machine) newClient(logger flowlog.Option, opts ...flowlog.Option) *flowlog.Client {
	p := m.w.newProvider(m.t, m.srv, m.sent.wrap(http.DefaultTransport.(*http.Transport).Clone()))
	return flowlog.NewClient(p, append([]flowlog.Option{logger,
		flowlog.WithRetry(flowlog.RetryDelays(time.Millisecond, 2*time.Millisecond, 10*time.Millisecond), flowlog.MaxAttempts(4)),
		flowlog.WithWaitDefaults(flowlog.PollDelay(minPoll, maxPoll), flowlog.MaxWait(maxWait), flowlog.NotFoundGrace(100*time.Millisecond))},
		opts...)...)
}

func testkitLogger(buf **testkit.LogBuffer) flowlog.Option {
	l, b := testkit.DebugLogger()
	*buf = b
	return flowlog.WithLogger(l)
}

func (m *machine) close() {
	for _, c := range append(m.reps, m.untagged) {
		_ = c.Close()
	}
	m.srv.Close()
	m.sent.closeIdle()
}

// timed counts each action and its time for the report.
func (m *machine) timed(actions map[string]func(*rapid.T)) map[string]func(*rapid.T) {
	out := make(map[string]func(*rapid.T), len(actions))
	for name, act := range actions {
		if name == "" {
			out[name] = act
			continue
		}
		out[name] = func(t *rapid.T) {
			start := time.Now()
			defer func() { stats.action(name, time.Since(start)) }()
			act(t)
		}
	}
	return out
}

func (m *machine) actions() map[string]func(*rapid.T) {
	return map[string]func(*rapid.T){
		"":                   m.invariants,
		"Create":             m.create,
		"CreateAndWait":      m.createAndWait,
		"Ensure":             m.ensure,
		"EnsureTwice":        m.ensureTwice,
		"EnsureAll":          m.ensureAll,
		"CreateAll":          m.createAll,
		"Plan":               m.plan,
		"Get":                m.get,
		"List":               m.list,
		"Delete":             m.delete,
		"DeleteWhileListing": m.deleteWhileListing,
		"Activate":           func(t *rapid.T) { m.setEnabled(t, true) },
		"Deactivate":         func(t *rapid.T) { m.setEnabled(t, false) },
		"Wait":               m.wait,
		"WaitAll":            m.waitAll,
		"Concurrent":         m.concurrent,
		"CloseMidWait":       m.closeMidWait,
		"Faults":             m.faults,
		"CreateInvalid":      m.createInvalid,
		"CreateUnowned":      m.createUnowned,
		"CloseService":       m.closeService,
		"Update":             m.update,
		"EnsureOnDrift":      m.ensureOnDrift,
	}
}

// ---- drawing --------------------------------------------------------------------

func (m *machine) drawSpec(t *rapid.T) flowlog.FlowLogSpec {
	r := rapid.SampledFrom(m.res).Draw(t, "resource")
	spec := m.w.spec(r, rapid.IntRange(0, variants-1).Draw(t, "variant"))
	if rapid.Bool().Draw(t, "spec names its provider") {
		spec.Provider = m.w.name
	}
	return spec
}

// drawCallOptions returns per-call overrides of the client's retries and
// waits, or none.
func (m *machine) drawCallOptions(t *rapid.T) []flowlog.CallOption {
	var opts []flowlog.CallOption
	if rapid.Bool().Draw(t, "own attempts") {
		opts = append(opts, flowlog.MaxAttempts(rapid.IntRange(1, 6).Draw(t, "attempts")))
	}
	if rapid.Bool().Draw(t, "own poll delays") {
		opts = append(opts, flowlog.PollDelay(time.Millisecond, time.Duration(rapid.IntRange(1, 30).Draw(t, "max poll ms"))*time.Millisecond))
	}
	return opts
}

func (m *machine) drawClient(t *rapid.T) *flowlog.Client {
	return m.reps[rapid.IntRange(0, len(m.reps)-1).Draw(t, "replica")]
}

// drawContext returns a context that lives long enough, one with a short
// deadline, or one canceled a moment into the call.
func (m *machine) drawContext(t *rapid.T) (context.Context, context.CancelFunc) {
	switch rapid.IntRange(0, 9).Draw(t, "context") {
	case 0, 1:
		return context.WithTimeout(context.Background(), time.Duration(rapid.IntRange(1, 30).Draw(t, "deadline ms"))*time.Millisecond)
	case 2:
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(time.Duration(rapid.IntRange(0, 10).Draw(t, "cancel after ms"))*time.Millisecond, cancel)
		return ctx, cancel
	}
	return context.WithTimeout(context.Background(), 20*time.Second)
}

func (m *machine) drawKnown(t *rapid.T) string {
	if len(m.known) == 0 || rapid.IntRange(0, 9).Draw(t, "unknown id") == 0 {
		return m.w.absentID
	}
	return rapid.SampledFrom(m.known).Draw(t, "id")
}

// ---- state ------------------------------------------------------------------------

type snapshot map[string]record // by flow log ID

func (m *machine) snapshot() snapshot {
	s := snapshot{}
	for _, r := range m.w.records(m.srv) {
		s[r.id] = r
	}
	return s
}

func (s snapshot) on(resource string) []record {
	var out []record
	for _, r := range s {
		if r.resource == resource {
			out = append(out, r)
		}
	}
	return out
}

func (m *machine) learn(ids ...string) {
	for _, id := range ids {
		if id != "" && !slices.Contains(m.known, id) {
			m.known = append(m.known, id)
		}
	}
}

// produced records the texts of err and fl for the secrets check.
func (m *machine) produced(label string, err error, fl *flowlog.FlowLog) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err != nil {
		for k, v := range testkit.ErrorTexts(err) {
			m.texts[label+" "+k] = v
		}
	}
	if fl != nil {
		m.texts[label+" flow log"] = fmt.Sprintf("%+v", *fl)
	}
}

// ---- checks -------------------------------------------------------------------------

func typed(err error) bool {
	var (
		e *flowlog.Error
		v *flowlog.ValidationError
		w *flowlog.WaitError
		d *flowlog.DriftError
		u *flowlog.UnknownOutcomeError
	)
	return errors.As(err, &e) || errors.As(err, &v) || errors.As(err, &w) || errors.As(err, &d) || errors.As(err, &u) ||
		errors.Is(err, flowlog.ErrClosed) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

func (m *machine) checkTyped(t *rapid.T, op string, err error) {
	if err != nil && !typed(err) {
		t.Fatalf("%s: untyped error %T: %v", op, err, err)
	}
}

// checkMade checks what a create-like call of spec did: on success the
// flow log it returns is in the emulator and holds the spec; on failure,
// nothing new on the resource holds the spec unless the error says the
// outcome is unknown or it is a wait's error about that very flow log.
// Nothing new may differ from its spec.
func (m *machine) checkMade(t *rapid.T, op string, spec flowlog.FlowLogSpec, before, after snapshot, fl *flowlog.FlowLog, err error, wantActive bool) {
	m.checkTyped(t, op, err)
	if err == nil {
		if fl == nil {
			t.Fatalf("%s: no flow log and no error", op)
		}
		rec, ok := after[fl.ID]
		if !ok {
			t.Fatalf("%s returned %s, which the emulator does not hold", op, fl.ID)
		}
		if diff := mismatch(spec, rec, fl.Unconfirmed); len(diff) > 0 {
			t.Fatalf("%s returned %s, which differs from its spec: %v", op, fl.ID, diff)
		}
		if wantActive && rec.status != "active" {
			t.Fatalf("%s returned %s as active; the emulator holds it %s", op, fl.ID, rec.status)
		}
		return
	}
	// A flow log named as being in the way must be on the spec's resource:
	// never a wrong one.
	var drift *flowlog.DriftError
	var fe *flowlog.Error
	blocker := ""
	switch {
	case errors.As(err, &drift) && drift.FlowLog != nil:
		blocker = drift.FlowLog.ID
	case errors.Is(err, flowlog.ErrAlreadyExists) && errors.As(err, &fe):
		blocker = fe.ID
	}
	if blocker != "" {
		rec, ok := after[blocker]
		if !ok {
			rec, ok = before[blocker]
		}
		if ok && rec.resource != spec.Resource.ID {
			t.Fatalf("%s failed with %v, naming %s, which is on %s, not on %s", op, err, blocker, rec.resource, spec.Resource.ID)
		}
	}
	var we *flowlog.WaitError
	waited := errors.As(err, &we)
	for _, rec := range after.on(spec.Resource.ID) {
		if _, old := before[rec.id]; old {
			continue
		}
		if diff := mismatch(spec, rec, nil); len(diff) > 0 {
			t.Fatalf("%s made %s, which differs from its spec: %v", op, rec.id, diff)
		}
		if waited && we.ID == rec.id {
			continue // the create worked; the wait for it failed, and says which
		}
		if !errors.Is(err, flowlog.ErrUnknownOutcome) {
			t.Fatalf("%s failed with %v, but it made %s", op, err, rec.id)
		}
	}
}

// checkWaited checks a wait's outcome against the emulator. ctx is the
// caller's: a wait may end for a context only when it ended, or when the
// wait's own maximum did.
func (m *machine) checkWaited(t *rapid.T, ctx context.Context, op, id string, fl *flowlog.FlowLog, err error, started, returned time.Time, after snapshot) {
	m.checkTyped(t, op, err)
	var ended *flowlog.WaitError
	if errors.As(err, &ended) && ctx.Err() == nil &&
		(errors.Is(ended.Cause, context.Canceled) || (errors.Is(ended.Cause, context.DeadlineExceeded) && returned.Sub(started) < maxWait-maxPoll)) {
		t.Fatalf("%s of %s ended with %v after %v, though neither the caller's context nor the maximum wait ended", op, id, err, returned.Sub(started))
	}
	rec, exists := after[id]
	if err == nil {
		if !exists || rec.status != "active" {
			t.Fatalf("%s of %s succeeded; the emulator holds %+v", op, id, rec)
		}
		// With faults a poll may fail and the news come later: the bound
		// holds for a healthy server.
		if became := later(rec.activatedAt, started); !m.faulty && !rec.activatedAt.IsZero() && returned.Sub(became) > maxPoll+slack {
			t.Fatalf("%s of %s returned %v after the flow log became active (at most one poll delay, %v, plus slack %v)",
				op, id, returned.Sub(became), maxPoll, slack)
		}
		if fl == nil || fl.ID != id || fl.Status != flowlog.StatusActive {
			t.Fatalf("%s of %s returned %+v", op, id, fl)
		}
		return
	}
	var we *flowlog.WaitError
	if errors.As(err, &we) && we.Cause == nil && we.Last.Terminal() && we.LastErr == nil {
		want := map[flowlog.Status]string{flowlog.StatusInactive: "inactive", flowlog.StatusActive: "active"}[we.Last]
		if want != "" && (!exists || rec.status != want) {
			t.Fatalf("%s of %s reports %v; the emulator holds %+v", op, id, we.Last, rec)
		}
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// invariants runs after every step.
func (m *machine) invariants(t *rapid.T) {
	m.steps++
	counts := map[string]int{}
	for _, rec := range m.snapshot() {
		if rec.status != "deleting" {
			counts[rec.resource]++
		}
	}
	for res, n := range counts {
		if n > 1 {
			t.Fatalf("%d flow logs on %s", n, res)
		}
	}
	secrets := append(slices.Clone(m.w.secrets), m.sent.all()...)
	m.mu.Lock()
	texts := m.texts
	m.texts = map[string]string{}
	m.mu.Unlock()
	texts["client log"] = m.logs.String()
	for name, text := range texts {
		if leaks := testkit.Leaks(text, secrets...); len(leaks) > 0 {
			t.Fatalf("%s shows a secret %v: %s", name, leaks, text)
		}
	}
}

// ---- actions -----------------------------------------------------------------------

func (m *machine) create(t *rapid.T) {
	spec, c := m.drawSpec(t), m.drawClient(t)
	ctx, cancel := m.drawContext(t)
	defer cancel()
	before := m.snapshot()
	fl, err := c.Create(ctx, spec, m.drawCallOptions(t)...)
	m.produced("Create", err, fl)
	after := m.snapshot()
	if fl != nil {
		m.learn(fl.ID)
	}
	m.checkMade(t, "Create", spec, before, after, fl, err, false)
}

func (m *machine) createAndWait(t *rapid.T) {
	spec, c := m.drawSpec(t), m.drawClient(t)
	ctx, cancel := m.drawContext(t)
	defer cancel()
	before := m.snapshot()
	fl, err := c.CreateAndWait(ctx, spec, m.drawCallOptions(t)...)
	m.produced("CreateAndWait", err, fl)
	after := m.snapshot()
	m.learnFrom(fl, err)
	m.checkMade(t, "CreateAndWait", spec, before, after, fl, err, true)
}

func (m *machine) learnFrom(fl *flowlog.FlowLog, err error) {
	if fl != nil {
		m.learn(fl.ID)
	}
	var we *flowlog.WaitError
	if errors.As(err, &we) {
		m.learn(we.ID)
	}
}

func (m *machine) ensure(t *rapid.T) {
	spec, c := m.drawSpec(t), m.drawClient(t)
	ctx, cancel := m.drawContext(t)
	defer cancel()
	before := m.snapshot()
	fl, err := c.Ensure(ctx, spec, m.drawCallOptions(t)...)
	m.produced("Ensure", err, fl)
	after := m.snapshot()
	m.learnFrom(fl, err)
	m.checkMade(t, "Ensure", spec, before, after, fl, err, true)
}

// ensureTwice: a second Ensure of an unchanged spec that the first one
// ensured changes nothing and returns the same flow log.
func (m *machine) ensureTwice(t *rapid.T) {
	spec, c := m.drawSpec(t), m.drawClient(t)
	first, err := c.Ensure(context.Background(), spec)
	m.produced("Ensure", err, first)
	m.checkTyped(t, "Ensure", err)
	if err != nil {
		return
	}
	m.learn(first.ID)
	before := m.snapshot()
	second, err := m.drawClient(t).Ensure(context.Background(), spec)
	m.produced("second Ensure", err, second)
	after := m.snapshot()
	m.checkTyped(t, "second Ensure", err)
	if err == nil && second.ID != first.ID {
		t.Fatalf("Ensure returned %s, then %s for the same spec", first.ID, second.ID)
	}
	if ids(before.on(spec.Resource.ID)) != ids(after.on(spec.Resource.ID)) {
		t.Fatalf("a second Ensure changed the flow logs on %s: %s -> %s", spec.Resource.ID,
			ids(before.on(spec.Resource.ID)), ids(after.on(spec.Resource.ID)))
	}
	if err == nil {
		m.checkMade(t, "second Ensure", spec, before, after, second, nil, true)
	}
}

func ids(recs []record) string {
	var out []string
	for _, r := range recs {
		out = append(out, r.id+"="+r.status)
	}
	slices.Sort(out)
	return strings.Join(out, ",")
}

func (m *machine) ensureAll(t *rapid.T) {
	c := m.drawClient(t)
	ensureAll := c.EnsureAll
	if rapid.Bool().Draw(t, "through flowlog.Clients") {
		// The multi-cloud handle routes by each spec's provider; a spec
		// without one is refused before anything is sent.
		cs, err := flowlog.NewClients(c)
		if err != nil {
			t.Fatalf("NewClients: %v", err)
		}
		ensureAll = cs.EnsureAll
	}
	specs := m.drawFleet(t)
	ctx, cancel := m.drawContext(t)
	defer cancel()
	before := m.snapshot()
	results := ensureAll(ctx, specs)
	after := m.snapshot()
	if len(results) != len(specs) {
		t.Fatalf("EnsureAll: %d results for %d specs", len(results), len(specs))
	}
	for i, r := range results {
		m.produced("EnsureAll", r.Err, r.FlowLog)
		m.learnFrom(r.FlowLog, r.Err)
		m.checkMade(t, "EnsureAll", specs[i], before, after, r.FlowLog, r.Err, true)
	}
}

// drawFleet draws specs of distinct resources, one per resource as a fleet
// has.
func (m *machine) drawFleet(t *rapid.T) []flowlog.FlowLogSpec {
	n := rapid.IntRange(1, len(m.res)).Draw(t, "specs")
	var specs []flowlog.FlowLogSpec
	used := map[string]bool{}
	for range n {
		s := m.drawSpec(t)
		if !used[s.Resource.ID] {
			used[s.Resource.ID] = true
			specs = append(specs, s)
		}
	}
	return specs
}

// plan: the dry run changes nothing, and says what the emulator holds: a
// create where nothing lives on the resource, otherwise a flow log that is
// there.
func (m *machine) plan(t *rapid.T) {
	c := m.drawClient(t)
	specs := m.drawFleet(t)
	policy := rapid.SampledFrom([]flowlog.DriftPolicy{flowlog.DriftReport, flowlog.DriftUpdate, flowlog.DriftReplace}).Draw(t, "plan policy")
	unowned := rapid.Bool().Draw(t, "plan change unowned")
	opts := []flowlog.BulkOption{flowlog.OnDrift(policy)}
	if unowned {
		opts = append(opts, flowlog.ChangeUnowned())
	}
	before := m.snapshot()
	items := c.Plan(context.Background(), specs, opts...)
	after := m.snapshot()
	if len(items) != len(specs) {
		t.Fatalf("Plan: %d items for %d specs", len(items), len(specs))
	}
	for id, rec := range after {
		if _, ok := before[id]; !ok {
			t.Fatalf("Plan made %s (%+v)", id, rec)
		}
	}
	for id, rec := range before {
		if _, ok := after[id]; !ok && rec.status != "deleting" {
			t.Fatalf("Plan removed %s (%+v)", id, rec)
		}
	}
	for i, item := range items {
		m.produced("Plan", item.Err, item.FlowLog)
		m.checkTyped(t, "Plan", item.Err)
		if item.Err != nil {
			continue
		}
		live := 0
		for _, rec := range after.on(specs[i].Resource.ID) {
			if rec.status != "deleting" {
				live++
			}
		}
		switch item.Action {
		case flowlog.PlanCreate:
			if live > 0 {
				t.Fatalf("Plan says create %s, but the emulator holds %v", specs[i].Resource.ID, after.on(specs[i].Resource.ID))
			}
		case flowlog.PlanAdopt, flowlog.PlanActivate, flowlog.PlanDrift, flowlog.PlanUpdate, flowlog.PlanReplace:
			rec, ok := after[item.FlowLog.ID]
			if !ok || rec.resource != specs[i].Resource.ID {
				t.Fatalf("Plan says %v %s for %s; the emulator holds %+v", item.Action, item.FlowLog.ID, specs[i].Resource.ID, rec)
			}
			changes := item.Action == flowlog.PlanUpdate || item.Action == flowlog.PlanReplace
			if (item.Action == flowlog.PlanDrift || changes) && len(item.Fields) == 0 {
				t.Fatalf("Plan says %v of %s in no field", item.Action, item.FlowLog.ID)
			}
			_, tagged := rec.fields["Tags["+flowlog.OwnerTagKey+"]"]
			switch {
			case changes && !tagged && !unowned:
				t.Fatalf("Plan(%v) would change %s, which has no owner tag", policy, item.FlowLog.ID)
			case item.Action == flowlog.PlanUpdate && policy != flowlog.DriftUpdate,
				item.Action == flowlog.PlanReplace && policy != flowlog.DriftReplace:
				t.Fatalf("Plan(%v) says %v", policy, item.Action)
			case item.Action == flowlog.PlanUpdate:
				for _, f := range item.Fields {
					if !slices.Contains(c.MutableFields(), f) {
						t.Fatalf("Plan says update of %s in %v, which the provider cannot change", item.FlowLog.ID, item.Fields)
					}
				}
			}
		default:
			t.Fatalf("Plan: action %v without an error", item.Action)
		}
	}
}

// createAll: each result is what Create of its spec may return, though the
// bulk call decides many of them from one survey of the region.
func (m *machine) createAll(t *rapid.T) {
	c := m.drawClient(t)
	specs := m.drawFleet(t)
	ctx, cancel := m.drawContext(t)
	defer cancel()
	before := m.snapshot()
	results := c.CreateAll(ctx, specs)
	after := m.snapshot()
	if len(results) != len(specs) {
		t.Fatalf("CreateAll: %d results for %d specs", len(results), len(specs))
	}
	for i, r := range results {
		m.produced("CreateAll", r.Err, r.FlowLog)
		m.learnFrom(r.FlowLog, r.Err)
		m.checkMade(t, "CreateAll", specs[i], before, after, r.FlowLog, r.Err, true)
	}
}

func (m *machine) get(t *rapid.T) {
	id, c := m.drawKnown(t), m.drawClient(t)
	before := m.snapshot()
	fl, err := c.Get(context.Background(), m.w.region, id)
	after := m.snapshot()
	m.produced("Get", err, fl)
	m.checkTyped(t, "Get", err)
	_, was := before[id]
	_, is := after[id]
	switch {
	case err == nil && (fl.ID != id || !(was || is)):
		t.Fatalf("Get(%s) returned %+v; the emulator holds nothing of that ID", id, fl)
	case errors.Is(err, flowlog.ErrNotFound) && was && is && before[id].status != "deleting":
		t.Fatalf("Get(%s) says not found; the emulator holds %+v", id, after[id])
	}
}

func (m *machine) list(t *rapid.T) {
	c := m.drawClient(t)
	var f flowlog.ListFilter
	if rapid.Bool().Draw(t, "filter by resource") {
		f.ResourceID = rapid.SampledFrom(m.res).Draw(t, "resource").id
	}
	before := m.snapshot()
	listed := map[string]bool{}
	var err error
	for fl, e := range c.List(context.Background(), m.w.region, f) {
		if e != nil {
			err = e
			break
		}
		if listed[fl.ID] {
			t.Fatalf("List yielded %s twice", fl.ID)
		}
		listed[fl.ID] = true
	}
	after := m.snapshot()
	m.produced("List", err, nil)
	m.checkTyped(t, "List", err)
	if err != nil {
		return
	}
	for id := range listed {
		if _, ok := before[id]; !ok {
			if _, ok := after[id]; !ok {
				t.Fatalf("List yielded %s, which the emulator never held", id)
			}
		}
	}
	for id, rec := range before {
		if _, still := after[id]; still && !listed[id] && (f.ResourceID == "" || rec.resource == f.ResourceID) {
			t.Fatalf("List missed %s (%+v)", id, rec)
		}
	}
}

func (m *machine) delete(t *rapid.T) {
	id, c := m.drawKnown(t), m.drawClient(t)
	ctx, cancel := m.drawContext(t)
	defer cancel()
	before := m.snapshot()
	err := c.Delete(ctx, m.w.region, id)
	after := m.snapshot()
	m.produced("Delete", err, nil)
	m.checkDeleted(t, id, before, after, err)
}

func (m *machine) checkDeleted(t *rapid.T, id string, before, after snapshot, err error) {
	m.checkTyped(t, "Delete", err)
	rec, is := after[id]
	if err == nil {
		if is {
			t.Fatalf("Delete(%s) succeeded; the emulator still holds %+v", id, rec)
		}
		return
	}
	var we *flowlog.WaitError
	prev, was := before[id]
	if errors.As(err, &we) || !was || prev.status == "deleting" {
		return
	}
	if (!is || rec.status == "deleting") && !errors.Is(err, flowlog.ErrUnknownOutcome) {
		t.Fatalf("Delete(%s) failed with %v, but the flow log is being deleted or gone", id, err)
	}
}

// deleteWhileListing deletes everything List yields, as the obvious way
// to delete what a filter matches; with no error anywhere, nothing is
// left.
func (m *machine) deleteWhileListing(t *rapid.T) {
	c := m.drawClient(t)
	failed := false
	for fl, err := range c.List(context.Background(), m.w.region, flowlog.ListFilter{}) {
		if err != nil {
			m.produced("List", err, nil)
			m.checkTyped(t, "List", err)
			failed = true
			break
		}
		before := m.snapshot()
		derr := c.Delete(context.Background(), m.w.region, fl.ID)
		after := m.snapshot()
		m.produced("Delete", derr, nil)
		m.checkDeleted(t, fl.ID, before, after, derr)
		failed = failed || derr != nil
	}
	if left := m.snapshot(); !failed && len(left) > 0 {
		t.Fatalf("deleting while listing left %d flow logs: %v", len(left), left)
	}
}

func (m *machine) setEnabled(t *rapid.T, enabled bool) {
	id, c := m.drawKnown(t), m.drawClient(t)
	ctx, cancel := m.drawContext(t)
	defer cancel()
	want, op := "active", "Activate"
	call := c.Activate
	if !enabled {
		want, op, call = "inactive", "Deactivate", c.Deactivate
	}
	before := m.snapshot()
	fl, err := call(ctx, m.w.region, id)
	after := m.snapshot()
	m.produced(op, err, fl)
	m.checkTyped(t, op, err)
	rec, is := after[id]
	if err == nil {
		if !is || rec.status != want {
			t.Fatalf("%s(%s) succeeded; the emulator holds %+v", op, id, rec)
		}
		return
	}
	var we *flowlog.WaitError
	prev, was := before[id]
	// A flow log that was moving when the call began (Modifying: nobody can
	// tell where to) may reach the wanted state by an earlier call's doing.
	if errors.As(err, &we) || !was || prev.status == want || prev.settling == want || !is ||
		(prev.status == "pending" && prev.settling == "") {
		return
	}
	if (rec.status == want || rec.settling == want) && !errors.Is(err, flowlog.ErrUnknownOutcome) {
		t.Fatalf("%s(%s) failed with %v, but the emulator holds it %s (%s)", op, id, err, rec.status, rec.settling)
	}
}

func (m *machine) wait(t *rapid.T) {
	id, c := m.drawKnown(t), m.drawClient(t)
	ctx, cancel := m.drawContext(t)
	defer cancel()
	started := time.Now()
	fl, err := c.Wait(ctx, m.w.region, id)
	returned := time.Now()
	m.produced("Wait", err, fl)
	m.checkWaited(t, ctx, "Wait", id, fl, err, started, returned, m.snapshot())
}

func (m *machine) waitAll(t *rapid.T) {
	c := m.drawClient(t)
	var ids []string
	for range rapid.IntRange(1, 4).Draw(t, "waits") {
		ids = append(ids, m.drawKnown(t))
	}
	ctx, cancel := m.drawContext(t)
	defer cancel()
	seq := c.WaitAll(ctx, m.w.region, ids)
	type outcome struct {
		flowlog.WaitResult
		at time.Time
	}
	for round := range 1 + rapid.IntRange(0, 1).Draw(t, "range twice") {
		seen := map[string]bool{}
		var outcomes []outcome
		started := time.Now()
		for r := range seq {
			if seen[r.ID] {
				t.Fatalf("WaitAll yielded %s twice in round %d", r.ID, round)
			}
			seen[r.ID] = true
			outcomes = append(outcomes, outcome{r, time.Now()})
		}
		after := m.snapshot()
		for _, o := range outcomes {
			m.produced("WaitAll", o.Err, o.FlowLog)
			m.checkWaited(t, ctx, "WaitAll", o.ID, o.FlowLog, o.Err, started, o.at, after)
		}
		for _, id := range ids {
			if !seen[id] {
				t.Fatalf("WaitAll yielded nothing for %s in round %d", id, round)
			}
		}
	}
}

// concurrent runs creates and ensures of specs drawn for one resource
// (possibly conflicting) from both replicas at once.
func (m *machine) concurrent(t *rapid.T) {
	r := rapid.SampledFrom(m.res).Draw(t, "resource")
	n := rapid.IntRange(2, 4).Draw(t, "callers")
	type call struct {
		spec   flowlog.FlowLogSpec
		ensure bool
		c      *flowlog.Client
		fl     *flowlog.FlowLog
		err    error
	}
	calls := make([]*call, n)
	for i := range calls {
		calls[i] = &call{spec: m.w.spec(r, rapid.IntRange(0, variants-1).Draw(t, "variant")),
			ensure: rapid.Bool().Draw(t, "ensure"), c: m.reps[i%len(m.reps)]}
	}
	before := m.snapshot()
	var wg sync.WaitGroup
	for _, cl := range calls {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			if cl.ensure {
				cl.fl, cl.err = cl.c.Ensure(ctx, cl.spec)
			} else {
				cl.fl, cl.err = cl.c.Create(ctx, cl.spec)
			}
		})
	}
	wg.Wait()
	after := m.snapshot()
	made := false
	for _, cl := range calls {
		m.produced("concurrent", cl.err, cl.fl)
		m.learnFrom(cl.fl, cl.err)
		m.checkTyped(t, "concurrent", cl.err)
		if cl.err == nil {
			m.checkMade(t, "concurrent", cl.spec, before, after, cl.fl, nil, cl.ensure)
		}
		made = made || (cl.err == nil && before[cl.fl.ID].id == "")
	}
	// Whatever is new on the resource holds one caller's spec, and if all
	// failed, one of them says the outcome is unknown.
	for _, rec := range after.on(r.id) {
		if _, old := before[rec.id]; old {
			continue
		}
		matches, unknown := false, false
		for _, cl := range calls {
			matches = matches || len(mismatch(cl.spec, rec, nil)) == 0
			unknown = unknown || errors.Is(cl.err, flowlog.ErrUnknownOutcome) || cl.err == nil
			var we *flowlog.WaitError
			unknown = unknown || (errors.As(cl.err, &we) && we.ID == rec.id)
		}
		if !matches {
			t.Fatalf("concurrent callers made %s, which holds none of their specs", rec.id)
		}
		if !unknown && !made {
			t.Fatalf("concurrent callers all failed, but %s was made", rec.id)
		}
	}
}

// breakages make a valid spec invalid in one field each, named as
// ValidationError names it: neutral rules and each provider's own.
var breakages = []struct {
	field string
	apply func(*flowlog.FlowLogSpec)
	only  string // the one provider whose rule it breaks, or "" for all
}{
	{"Region", func(s *flowlog.FlowLogSpec) { s.Region += "\r\nX-Injected: 1" }, ""},
	{"Resource.ID", func(s *flowlog.FlowLogSpec) { s.Resource.ID = " " }, ""},
	{"TrafficType", func(s *flowlog.FlowLogSpec) { s.TrafficType = "sometimes" }, ""},
	// Only CEN takes a token: at most 64 ASCII characters (seed 000).
	{"ClientToken", func(s *flowlog.FlowLogSpec) { s.ClientToken = "tökén" }, "cbn"},
	{"AggregationInterval", func(s *flowlog.FlowLogSpec) { s.AggregationInterval = 7 * time.Second }, ""},
	// An empty key: a neutral rule (the providers' own tag rules are in
	// flowlogtest's rules tables).
	{"Tags", func(s *flowlog.FlowLogSpec) { s.Tags = map[string]string{"": "v"} }, ""},
}

// createInvalid: a spec broken in one or two fields fails with one
// ValidationError naming each of them, and nothing is sent.
// createUnowned makes a flow log as someone else would: without the
// owner tag.
func (m *machine) createUnowned(t *rapid.T) {
	spec := m.drawSpec(t)
	ctx, cancel := m.drawContext(t)
	defer cancel()
	before := m.snapshot()
	fl, err := m.untagged.Create(ctx, spec, m.drawCallOptions(t)...)
	m.produced("CreateUnowned", err, fl)
	after := m.snapshot()
	if fl != nil {
		m.learn(fl.ID)
	}
	for _, rec := range after.on(spec.Resource.ID) {
		if _, old := before[rec.id]; old {
			continue // adopted, not made
		}
		if _, tagged := rec.fields["Tags["+flowlog.OwnerTagKey+"]"]; tagged {
			t.Fatalf("WithoutOwnerTag made %s with the owner tag", rec.id)
		}
	}
	m.checkMade(t, "CreateUnowned", spec, before, after, fl, err, false)
}

// closeService closes the provider's flow-log service in the region where
// it has one (Alibaba VPC), as a new account has it, and creates: the
// clients open it on demand, so the create must not fail for it.
func (m *machine) closeService(t *rapid.T) {
	if m.w.closeService == nil {
		return
	}
	m.w.closeService(m.srv)
	spec, c := m.drawSpec(t), m.drawClient(t)
	ctx, cancel := m.drawContext(t)
	defer cancel()
	before := m.snapshot()
	fl, err := c.CreateAndWait(ctx, spec, m.drawCallOptions(t)...)
	m.produced("CloseService", err, fl)
	after := m.snapshot()
	m.learnFrom(fl, err)
	var fe *flowlog.Error
	if errors.As(err, &fe) && fe.ProviderCode == "OptInRequired.FlowLog" {
		t.Fatalf("a create with WithServiceOpening failed as the service is not opened: %v", err)
	}
	m.checkMade(t, "CloseService", spec, before, after, fl, err, true)
}

// update changes what a known flow log's provider can change, drawn at
// random, and checks the emulator: a success holds the values; a failure
// that does not say the outcome is unknown changed nothing; a patch the
// rules refuse sends nothing.
func (m *machine) update(t *rapid.T) {
	id, c := m.drawKnown(t), m.drawClient(t)
	ctx, cancel := m.drawContext(t)
	defer cancel()
	var patch flowlog.Patch
	want := map[string]string{}
	for _, f := range c.MutableFields() {
		if !rapid.Bool().Draw(t, "patch "+f) {
			continue
		}
		switch f {
		case "Name":
			v := rapid.SampledFrom([]string{"updated-a", "updated-b"}).Draw(t, "name")
			patch.Name, want[f] = &v, v
		case "Description":
			v := rapid.SampledFrom([]string{"changed in place", "changed again"}).Draw(t, "description")
			patch.Description, want[f] = &v, v
		case "AggregationInterval":
			v := rapid.SampledFrom([]time.Duration{time.Minute, 5 * time.Minute, 10 * time.Minute}).Draw(t, "interval")
			patch.AggregationInterval, want[f] = &v, v.String()
		}
	}
	before := m.snapshot()
	fl, err := c.Update(ctx, m.w.region, id, patch, m.drawCallOptions(t)...)
	after := m.snapshot()
	m.produced("Update", err, fl)
	m.checkTyped(t, "Update", err)
	holds := func(r record) bool {
		for f, v := range want {
			if r.fields[f] != v {
				return false
			}
		}
		return true
	}
	rec, is := after[id]
	prev, was := before[id]
	var ve *flowlog.ValidationError
	var we *flowlog.WaitError
	switch {
	case err == nil:
		if !is || !holds(rec) || !patch.AppliedTo(fl) {
			t.Fatalf("Update(%s, %v) succeeded; the emulator holds %+v, the client returned %+v", id, want, rec, fl)
		}
	case errors.As(err, &ve):
		if was && !maps.Equal(prev.fields, rec.fields) {
			t.Fatalf("Update(%s) was refused as invalid (%v), yet the flow log changed: %v -> %v", id, err, prev.fields, rec.fields)
		}
	case errors.Is(err, flowlog.ErrUnknownOutcome), errors.As(err, &we), !was, !is:
	case !holds(prev) && holds(rec) && len(want) > 0:
		t.Fatalf("Update(%s) failed with %v, but the emulator holds the new values %v", id, err, rec.fields)
	}
}

// ensureOnDrift is Ensure with a drift policy, drawn, and sometimes
// ChangeUnowned. Beyond Ensure's checks: under DriftReport, and for a flow
// log without the owner tag unless ChangeUnowned, the flow logs on the
// resource are left as they were; a replace leaves one flow log there.
func (m *machine) ensureOnDrift(t *rapid.T) {
	spec, c := m.drawSpec(t), m.drawClient(t)
	policy := rapid.SampledFrom([]flowlog.DriftPolicy{flowlog.DriftReport, flowlog.DriftUpdate, flowlog.DriftReplace}).Draw(t, "policy")
	opts := append(m.drawCallOptions(t), flowlog.OnDrift(policy))
	unowned := rapid.Bool().Draw(t, "change unowned")
	if unowned {
		opts = append(opts, flowlog.ChangeUnowned())
	}
	if len(m.snapshot().on(spec.Resource.ID)) == 0 && rapid.Bool().Draw(t, "someone else's flow log first") {
		// Someone else made a flow log there, named and described unlike
		// the spec (when it names and describes one): a drift every
		// provider can change in place, which the policy must leave alone
		// without ChangeUnowned.
		theirs := spec
		theirs.Name, theirs.Description = "someone-else", "made by someone else"
		made, err := m.untagged.Create(context.Background(), theirs)
		m.produced("EnsureOnDrift setup", err, made)
		m.learnFrom(made, err)
	}
	ctx, cancel := m.drawContext(t)
	defer cancel()
	before := m.snapshot()
	fl, err := c.Ensure(ctx, spec, opts...)
	m.produced("EnsureOnDrift", err, fl)
	after := m.snapshot()
	m.learnFrom(fl, err)
	var drift *flowlog.DriftError
	if errors.As(err, &drift) {
		// Reported: nothing on the resource changed but for activation.
		for _, prev := range before.on(spec.Resource.ID) {
			if rec, ok := after[prev.id]; !ok || !maps.Equal(prev.fields, rec.fields) {
				t.Fatalf("Ensure(%v) reported drift (%v), yet %s changed: %v -> %v", policy, err, prev.id, prev.fields, rec.fields)
			}
		}
		if drift.Unowned && (unowned || policy == flowlog.DriftReport) {
			t.Fatalf("Ensure(%v, change unowned %v) reported %s as unowned", policy, unowned, drift.FlowLog.ID)
		}
		if _, tagged := before[drift.FlowLog.ID].fields["Tags["+flowlog.OwnerTagKey+"]"]; tagged && drift.Unowned {
			t.Fatalf("%s carries the owner tag, but the drift says it is unowned", drift.FlowLog.ID)
		}
	}
	for _, prev := range before.on(spec.Resource.ID) {
		_, tagged := prev.fields["Tags["+flowlog.OwnerTagKey+"]"]
		rec, ok := after[prev.id]
		if !tagged && !unowned && prev.status != "deleting" && (!ok || !maps.Equal(prev.fields, rec.fields)) {
			t.Fatalf("Ensure(%v) without ChangeUnowned changed %s, which has no owner tag: %v -> %+v (%v)", policy, prev.id, prev.fields, rec, err)
		}
	}
	m.checkMade(t, "EnsureOnDrift", spec, before, after, fl, err, true)
}

func (m *machine) createInvalid(t *rapid.T) {
	spec, c := m.drawSpec(t), m.drawClient(t)
	var here []int
	for i, b := range breakages {
		if b.only == "" || b.only == m.w.name {
			here = append(here, i)
		}
	}
	picked := rapid.SliceOfNDistinct(rapid.SampledFrom(here), 1, 2, rapid.ID[int]).Draw(t, "breakages")
	for _, i := range picked {
		breakages[i].apply(&spec)
	}
	sent := m.sent.count()
	_, err := c.Create(context.Background(), spec)
	m.produced("Create invalid", err, nil)
	var v *flowlog.ValidationError
	if !errors.As(err, &v) {
		t.Fatalf("Create of an invalid spec: %v, want a *ValidationError", err)
	}
	if n := m.sent.count() - sent; n != 0 {
		t.Fatalf("Create of an invalid spec sent %d requests", n)
	}
	for _, i := range picked {
		field := breakages[i].field
		if !slices.ContainsFunc(v.Fields, func(f flowlog.FieldError) bool { return strings.HasPrefix(f.Field, field) }) {
			t.Fatalf("the ValidationError does not name %s: %v", field, err)
		}
	}
}

// closeMidWait closes a replica while waits run on it: one on a known flow
// log, which may end by itself first, and one that cannot end by itself (a
// flow log that does not exist, with a long grace and no maximum). Close
// ends both at once (ErrClosed as the cause, unless a wait had finished),
// later calls fail with ErrClosed, and a new replica takes the old one's
// place.
func (m *machine) closeMidWait(t *rapid.T) {
	i := rapid.IntRange(0, len(m.reps)-1).Draw(t, "replica")
	id := m.drawKnown(t)
	c := m.reps[i]
	known, endless := make(chan error, 1), make(chan error, 1)
	go func() {
		_, err := c.Wait(context.Background(), m.w.region, id)
		known <- err
	}()
	go func() {
		_, err := c.Wait(context.Background(), m.w.region, m.w.absentID,
			flowlog.NotFoundGrace(time.Hour), flowlog.MaxWait(0))
		endless <- err
	}()
	time.Sleep(time.Duration(rapid.IntRange(0, 10).Draw(t, "close after ms")) * time.Millisecond)
	_ = c.Close()
	closed := time.Now()
	for name, ch := range map[string]chan error{"a wait": known, "a wait that cannot end by itself": endless} {
		select {
		case err := <-ch:
			m.produced("Wait", err, nil)
			m.checkTyped(t, "Wait closed", err)
			if name != "a wait" && !errors.Is(err, flowlog.ErrClosed) {
				t.Fatalf("%s ended with %v when its client closed, want ErrClosed", name, err)
			}
		case <-time.After(time.Second):
			t.Fatalf("%s did not end when its client closed (%v ago)", name, time.Since(closed))
		}
	}
	if _, err := c.Get(context.Background(), m.w.region, id); !errors.Is(err, flowlog.ErrClosed) {
		t.Fatalf("Get after Close: %v, want ErrClosed", err)
	}
	// The replica starts again, as a service restarts one, with the
	// history's shared options and logger.
	m.reps[i] = m.newClient(m.logger, m.shared...)
}

// faults replaces the emulator's fault rules.
func (m *machine) faults(t *rapid.T) {
	m.srv.ClearFaults()
	m.faulty = false
	if rapid.IntRange(0, 3).Draw(t, "no faults") == 0 {
		return
	}
	m.faulty = true
	kinds := []flowlogtest.FaultKind{flowlogtest.FaultThrottle, flowlogtest.FaultServerError, flowlogtest.FaultHTMLError,
		flowlogtest.FaultReset, flowlogtest.FaultLostResponse, flowlogtest.FaultSlow, flowlogtest.FaultMalformed}
	if m.echo {
		kinds = append(kinds, flowlogtest.FaultEcho, flowlogtest.FaultEcho)
	}
	picked := rapid.SliceOfNDistinct(rapid.SampledFrom(kinds), 1, len(kinds), func(k flowlogtest.FaultKind) flowlogtest.FaultKind { return k }).Draw(t, "kinds")
	rules := []flowlogtest.FaultRule{{
		Kinds: picked,
		Rate:  rapid.SampledFrom([]float64{0.1, 0.3, 0.5}).Draw(t, "rate"),
		Delay: time.Duration(rapid.IntRange(1, 30).Draw(t, "slow ms")) * time.Millisecond,
	}}
	if rapid.Bool().Draw(t, "lose create responses") {
		rules = append([]flowlogtest.FaultRule{{Action: m.w.createAction, Kinds: []flowlogtest.FaultKind{flowlogtest.FaultLostResponse},
			Rate: rapid.SampledFrom([]float64{0.5, 0.9, 1.0}).Draw(t, "lost rate")}}, rules...)
	}
	// A documented error of the create, which the emulator does not model
	// (a busy resource, a RAM user, an internal error, ...): mapped, and
	// retried or not by its class, it must keep every promise.
	if codes := flowlogtest.DocumentedErrorCodes(m.w.createAction); len(codes) > 0 && rapid.Bool().Draw(t, "documented create errors") {
		rules = append([]flowlogtest.FaultRule{{Action: m.w.createAction, Kinds: []flowlogtest.FaultKind{flowlogtest.FaultDocumentedError},
			Code: rapid.SampledFrom(codes).Draw(t, "documented code"),
			Rate: rapid.SampledFrom([]float64{0.2, 0.5}).Draw(t, "documented rate")}}, rules...)
	}
	m.srv.InjectFaults(rules...)
}

// signatures records the signature of every request the adapters send,
// so that the secrets check knows them by value.
type signatures struct {
	mu   sync.Mutex
	sigs []string
	sent int // requests sent
	rts  []*http.Transport
}

func (s *signatures) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sent
}

func (s *signatures) wrap(base *http.Transport) http.RoundTripper {
	s.mu.Lock()
	s.rts = append(s.rts, base)
	s.mu.Unlock()
	return rtFunc(func(r *http.Request) (*http.Response, error) {
		sig := r.URL.Query().Get("Signature")
		if auth := r.Header.Get("Authorization"); sig == "" && strings.Contains(auth, "Signature=") {
			sig = auth[strings.Index(auth, "Signature=")+len("Signature="):]
		}
		s.mu.Lock()
		s.sent++
		if len(sig) >= 8 {
			s.sigs = append(s.sigs, sig)
		}
		s.mu.Unlock()
		return base.RoundTrip(r)
	})
}

func (s *signatures) all() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sigs)
}

func (s *signatures) closeIdle() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, rt := range s.rts {
		rt.CloseIdleConnections()
	}
}

type rtFunc func(*http.Request) (*http.Response, error)

func (f rtFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
