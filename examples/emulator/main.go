package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// config is what the flags say.
type config struct {
	addr            string
	fixture         string
	printFixture    bool
	shutdownTimeout time.Duration

	activationDelay  time.Duration
	activationJitter time.Duration
	tencentRateLimit int

	faultRate   float64
	faultCount  int
	faultKinds  string
	faultAction string
	faultSeed   int64
	faultDelay  time.Duration
	faultCode   string
	strict      bool
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:4566", "address to listen on (host:port; port 0 picks a free one)")
	fs.StringVar(&c.fixture, "fixture", "", "JSON fixture file to seed from (default: the emulator's default fixture)")
	fs.BoolVar(&c.printFixture, "print-fixture", false, "print the fixture as JSON and exit (a starting point for -fixture)")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", 5*time.Second, "how long SIGTERM/SIGINT waits for requests in flight")
	fs.DurationVar(&c.activationDelay, "activation-delay", flowlogtest.DefaultActivationDelay, "how long Alibaba flow logs stay in a transitional state")
	fs.DurationVar(&c.activationJitter, "activation-jitter", 0, "random extra time in [0, d) added to each transition")
	fs.IntVar(&c.tencentRateLimit, "tencent-rate-limit", flowlogtest.DefaultTencentRateLimit, "Tencent requests per second per SecretId and action (0: no limit)")
	fs.Float64Var(&c.faultRate, "fault-rate", 0, "probability (0..1) that a matching request gets a fault")
	fs.IntVar(&c.faultCount, "fault-count", 0, "fault the next N matching requests instead (overrides -fault-rate)")
	fs.StringVar(&c.faultKinds, "fault-kinds", "", "comma-separated fault kinds: "+strings.Join(faultKindNames(), ", "))
	fs.StringVar(&c.faultAction, "fault-action", "", `action to fault, as Calls names it ("CreateFlowLog", "Tencent.CreateFlowLog"; default all)`)
	fs.Int64Var(&c.faultSeed, "fault-seed", 1, "seed of the fault decisions")
	fs.DurationVar(&c.faultDelay, "fault-delay", time.Second, "how long a slow fault holds a request")
	fs.BoolVar(&c.strict, "strict-rules", false, "also enforce the plausible rules that go beyond the documentation (flowlogtest.WithStrictRules)")
	fs.StringVar(&c.faultCode, "fault-code", "", `documented error code a DocumentedError fault answers with; needs a product-qualified -fault-action ("Vpc.CreateFlowLog")`)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	return c, nil
}

// options turns the flags into server options, checking the fault flags
// here because WithFaults panics on an invalid rule.
func (c config) options() ([]flowlogtest.Option, error) {
	opts := []flowlogtest.Option{
		flowlogtest.WithoutDefaultFixture(), // the fixture is always loaded explicitly
		flowlogtest.WithActivationDelay(c.activationDelay),
		flowlogtest.WithActivationJitter(c.activationJitter),
		flowlogtest.WithTencentRateLimit(c.tencentRateLimit),
		flowlogtest.WithFaultSeed(c.faultSeed),
	}
	if c.strict {
		opts = append(opts, flowlogtest.WithStrictRules())
	}
	kinds, err := parseFaultKinds(c.faultKinds)
	if err != nil {
		return nil, err
	}
	switch {
	case c.faultRate < 0 || c.faultRate > 1 || c.faultRate != c.faultRate:
		return nil, fmt.Errorf("-fault-rate %v is not within 0..1", c.faultRate)
	case c.faultCount < 0:
		return nil, fmt.Errorf("-fault-count %d is negative", c.faultCount)
	case c.faultDelay < 0:
		return nil, fmt.Errorf("-fault-delay %v is negative", c.faultDelay)
	case (c.faultRate > 0 || c.faultCount > 0) && len(kinds) == 0:
		return nil, errors.New("-fault-rate or -fault-count needs -fault-kinds")
	case c.faultRate == 0 && c.faultCount == 0 && (len(kinds) > 0 || c.faultAction != ""):
		return nil, errors.New("-fault-kinds and -fault-action need -fault-rate or -fault-count")
	case slices.Contains(kinds, flowlogtest.FaultDocumentedError) != (c.faultCode != ""):
		return nil, errors.New("-fault-code goes with -fault-kinds DocumentedError, and only with it")
	case c.faultCode != "" && !slices.Contains(flowlogtest.DocumentedErrorCodes(c.faultAction), c.faultCode):
		return nil, fmt.Errorf("-fault-action %q does not document -fault-code %q; it documents %q",
			c.faultAction, c.faultCode, flowlogtest.DocumentedErrorCodes(c.faultAction))
	}
	if len(kinds) > 0 {
		opts = append(opts, flowlogtest.WithFaults(flowlogtest.FaultRule{
			Action: c.faultAction, Kinds: kinds, Rate: c.faultRate, Count: c.faultCount, Delay: c.faultDelay,
			Code: c.faultCode,
		}))
	}
	return opts, nil
}

// faultKinds lists the kinds flowlogtest knows, by asking FaultKind.String
// for consecutive values until it names none: the command then never lags
// behind a kind added to the emulator.
func faultKinds() []flowlogtest.FaultKind {
	var kinds []flowlogtest.FaultKind
	for k := flowlogtest.FaultKind(1); k < 256; k++ {
		if strings.HasPrefix(k.String(), "FaultKind(") {
			break
		}
		kinds = append(kinds, k)
	}
	return kinds
}

// normalizeKind lets "server-error", "server_error" and "ServerError" all
// name FaultServerError.
func normalizeKind(s string) string {
	return strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(strings.TrimSpace(s)))
}

func faultKindNames() []string {
	var names []string
	for _, k := range faultKinds() {
		names = append(names, k.String())
	}
	return names
}

func parseFaultKinds(list string) ([]flowlogtest.FaultKind, error) {
	var kinds []flowlogtest.FaultKind
	for _, name := range strings.Split(list, ",") {
		if strings.TrimSpace(name) == "" {
			continue
		}
		found := false
		for _, k := range faultKinds() {
			if normalizeKind(k.String()) == normalizeKind(name) {
				kinds, found = append(kinds, k), true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("-fault-kinds: unknown kind %q (want %s)", strings.TrimSpace(name), strings.Join(faultKindNames(), ", "))
		}
	}
	return kinds, nil
}

func loadFixture(path string) (flowlogtest.Fixture, error) {
	if path == "" {
		return flowlogtest.DefaultFixture(), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return flowlogtest.Fixture{}, fmt.Errorf("-fixture: %w", err)
	}
	defer f.Close()
	fx, err := flowlogtest.DecodeFixture(f)
	if err != nil {
		return flowlogtest.Fixture{}, fmt.Errorf("-fixture %s: %w", path, err)
	}
	return fx, nil
}

// run is the command; it returns the exit code: 0 after a clean shutdown,
// 1 if the emulator could not start or stop, 2 for bad flags.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "emulator:", err)
		return 2
	}
	opts, err := cfg.options()
	if err != nil {
		fmt.Fprintln(stderr, "emulator:", err)
		return 2
	}
	fixture, err := loadFixture(cfg.fixture)
	if err != nil {
		fmt.Fprintln(stderr, "emulator:", err)
		return 2
	}
	if cfg.printFixture {
		b, _ := json.MarshalIndent(fixture, "", "  ") // plain data: cannot fail
		fmt.Fprintf(stdout, "%s\n", b)
		return 0
	}

	emu, err := newEmulator(opts, fixture, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "emulator:", err)
		return 2 // the fixture's values are wrong: a usage error
	}
	defer emu.close()

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		fmt.Fprintln(stderr, "emulator: listen:", err)
		return 1
	}
	hs := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()

	base := "http://" + displayAddr(ln.Addr())
	printBanner(stdout, base, cfg, fixture)

	select {
	case err := <-served:
		fmt.Fprintln(stderr, "emulator: serve:", err)
		return 1
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		// Requests still in flight (a slow fault, say) are cut off: an
		// emulator being stopped owes them nothing more.
		fmt.Fprintf(stderr, "emulator: shutdown after %v: %v; closing connections\n", cfg.shutdownTimeout, err)
		emu.close() // ends slow faults, so the handlers return
		hs.Close()
	}
	fmt.Fprintln(stdout, "emulator: stopped")
	return 0
}

// displayAddr is the address to print: a wildcard listener is reachable
// on the loopback, which is what a client on the same machine should use.
func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

func printBanner(w io.Writer, base string, cfg config, f flowlogtest.Fixture) {
	var b bytes.Buffer
	fmt.Fprintln(&b, "flowlog emulator (Alibaba Cloud VPC and CEN, Tencent Cloud VPC) listening")
	// The endpoint line is the one scripts and tests look for; keep its form.
	fmt.Fprintf(&b, "endpoint: %s\n", base)
	fmt.Fprintf(&b, "alibaba access key id: %s\n", flowlogtest.DefaultAccessKeyID)
	fmt.Fprintf(&b, "alibaba access key secret: %s\n", flowlogtest.DefaultAccessKeySecret)
	fmt.Fprintf(&b, "tencent secret id: %s\n", flowlogtest.DefaultTencentSecretID)
	fmt.Fprintf(&b, "tencent secret key: %s\n", flowlogtest.DefaultTencentSecretKey)
	fmt.Fprintf(&b, "state: GET %s%s, reset: POST %s%s\n", base, statePath, base, resetPath)
	fixture := "default"
	if cfg.fixture != "" {
		fixture = cfg.fixture
	}
	fmt.Fprintf(&b, "fixture: %s\n", fixture)
	for _, line := range summarize(f) {
		fmt.Fprintf(&b, "  %s\n", line)
	}
	// One write, so that a reader never sees half a banner.
	_, _ = w.Write(b.Bytes())
}

// summarize lists what f seeds, one line per kind of resource.
func summarize(f flowlogtest.Fixture) []string {
	var lines []string
	add := func(name string, items []string) {
		if len(items) == 0 {
			return
		}
		shown := items
		if len(shown) > 5 {
			shown = shown[:5]
		}
		line := fmt.Sprintf("%-33s %s", name+":", strings.Join(shown, ", "))
		if len(items) > len(shown) {
			line += fmt.Sprintf(", ... (%d in all)", len(items))
		}
		lines = append(lines, line)
	}
	each := func(n int, item func(i int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = item(i)
		}
		return out
	}
	a, c, t := f.Aliyun, f.CBN, f.Tencent
	add("aliyun.regions", a.Regions)
	add("aliyun.vpcs", each(len(a.VPCs), func(i int) string { return a.VPCs[i].Region + "/" + a.VPCs[i].ID }))
	add("aliyun.vSwitches", each(len(a.VSwitches), func(i int) string { v := a.VSwitches[i]; return v.Region + "/" + v.VPCID + "/" + v.ID }))
	add("aliyun.networkInterfaces", each(len(a.NetworkInterfaces), func(i int) string {
		v := a.NetworkInterfaces[i]
		return v.Region + "/" + v.VPCID + "/" + v.VSwitchID + "/" + v.ID
	}))
	add("aliyun.slsLogStores", each(len(a.SLSLogStores), func(i int) string { return a.SLSLogStores[i].Project + "/" + a.SLSLogStores[i].LogStore }))
	add("cbn.cens", c.CENs)
	add("cbn.transitRouters", each(len(c.TransitRouters), func(i int) string {
		v := c.TransitRouters[i]
		return v.CENID + "/" + v.Region + "/" + v.ID
	}))
	add("cbn.transitRouterAttachments", each(len(c.TransitRouterAttachments), func(i int) string {
		v := c.TransitRouterAttachments[i]
		return v.CENID + "/" + v.Region + "/" + v.TransitRouterID + "/" + v.ID
	}))
	inVPC := func(name string, l []flowlogtest.FixtureInVPC) {
		add(name, each(len(l), func(i int) string { return l[i].Region + "/" + l[i].VPCID + "/" + l[i].ID }))
	}
	add("tencent.regions", t.Regions)
	add("tencent.vpcs", each(len(t.VPCs), func(i int) string { return t.VPCs[i].Region + "/" + t.VPCs[i].ID }))
	inVPC("tencent.subnets", t.Subnets)
	inVPC("tencent.networkInterfaces", t.NetworkInterfaces)
	inVPC("tencent.natGateways", t.NATGateways)
	inVPC("tencent.directConnectGateways", t.DirectConnectGateways)
	add("tencent.ccns", t.CCNs)
	add("tencent.clsTopics", each(len(t.CLSTopics), func(i int) string { return t.CLSTopics[i].Region + "/" + t.CLSTopics[i].ID }))
	add("tencent.ckafkaTopics", each(len(t.CKafkaTopics), func(i int) string {
		v := t.CKafkaTopics[i]
		return v.Region + "/" + v.InstanceID + "/" + v.Topic
	}))
	if len(lines) == 0 {
		lines = append(lines, "(nothing)")
	}
	return lines
}

// The inspection endpoints live under a path no cloud API of the emulator
// uses: both the Alibaba RPC gateway and Tencent API 3.0 are served on "/"
// (the action travels in the parameters or the X-TC-Action header), and the
// emulator ignores the path when routing. Requests under inspectPrefix are
// answered here and never reach the emulator; everything else always does.
const (
	inspectPrefix = "/_emulator/"
	statePath     = inspectPrefix + "state"
	resetPath     = inspectPrefix + "reset"
	fixturePath   = inspectPrefix + "fixture"
)

// An emulator serves one unstarted flowlogtest.Server at a time, as the
// handler of the command's listener (-addr, 0.0.0.0 in a container), and
// resets by swapping in a fresh one.
//
// Why swap rather than add a Reset method: a
// fresh server is the fixture's state by construction, with the call
// counts, remembered nonces, rate-limit windows, idempotency tokens, fault
// rules and fault seed of a new start, where a Reset method would have to
// be kept in step with every piece of state the emulator grows.
type emulator struct {
	opts    []flowlogtest.Option
	fixture flowlogtest.Fixture
	log     io.Writer

	mu  sync.RWMutex // guards cur; held for writing only to swap it
	cur *instance
}

// instance is one flowlogtest.Server, served by the command's own listener.
type instance struct {
	srv      *flowlogtest.Server
	inFlight sync.WaitGroup // requests being served by srv
}

func newEmulator(opts []flowlogtest.Option, fixture flowlogtest.Fixture, log io.Writer) (*emulator, error) {
	e := &emulator{opts: opts, fixture: fixture, log: log}
	inst, err := e.start()
	if err != nil {
		return nil, err
	}
	e.cur = inst
	return e, nil
}

func (e *emulator) start() (*instance, error) {
	// Unstarted: the server is a handler on this command's listener, so
	// the Host its clients signed reaches it as sent, and the faults that
	// drop a connection drop the client's own.
	srv := flowlogtest.NewUnstartedServer(e.opts...)
	if err := srv.Load(e.fixture); err != nil {
		srv.Close()
		return nil, err
	}
	return &instance{srv: srv}, nil
}

func (e *emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, inspectPrefix) {
		e.inspect(w, r)
		return
	}
	e.mu.RLock()
	inst := e.cur
	inst.inFlight.Add(1) // under the lock, so a reset waits for it
	e.mu.RUnlock()
	defer inst.inFlight.Done()
	inst.srv.ServeHTTP(w, r)
}

// reset swaps in a fresh server seeded with the fixture, then stops the old
// one once the requests already sent to it are answered.
func (e *emulator) reset() error {
	inst, err := e.start()
	if err != nil {
		return err
	}
	e.mu.Lock()
	old := e.cur
	e.cur = inst
	e.mu.Unlock()
	old.inFlight.Wait()
	old.srv.Close()
	return nil
}

func (e *emulator) current() *flowlogtest.Server {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.cur.srv
}

func (e *emulator) close() {
	// Server.Close may run twice (a forced shutdown, then run's defer):
	// it is idempotent.
	e.current().Close()
}

// state is the JSON of GET /_emulator/state.
type state struct {
	// The flow logs of each product, in creation order, as the emulator's
	// VPCFlowLogs, CENFlowLogs and TencentFlowLogs return them.
	Aliyun  []flowlogtest.VPCFlowLog     `json:"aliyun"`
	CBN     []flowlogtest.CENFlowLog     `json:"cbn"`
	Tencent []flowlogtest.TencentFlowLog `json:"tencent"`
	// Calls are the requests each action handled (Server.Calls), by
	// product-qualified name, for the actions called at least once.
	Calls map[string]int `json:"calls"`
	// FaultsInjected counts the injected faults by kind.
	FaultsInjected map[string]int `json:"faultsInjected"`
}

// actions are the emulated actions by product, as Server.Calls qualifies
// them. flowlogtest does not list its actions; a new one must be added here
// to be counted in the state.
var actions = map[string][]string{
	"Vpc": {"CreateFlowLog", "DescribeFlowLogs", "DeleteFlowLog", "ActiveFlowLog", "DeactiveFlowLog",
		"ModifyFlowLogAttribute", "OpenFlowLogService", "GetFlowLogServiceStatus"},
	"Cbn": {"CreateFlowlog", "DescribeFlowlogs", "DeleteFlowlog", "ActiveFlowLog", "DeactiveFlowLog",
		"ModifyFlowLogAttribute"},
	"Tencent": {"CreateFlowLog", "DescribeFlowLogs", "DeleteFlowLog", "EnableFlowLogs", "DisableFlowLogs"},
}

func stateOf(srv *flowlogtest.Server) state {
	st := state{
		Aliyun: srv.VPCFlowLogs(), CBN: srv.CENFlowLogs(), Tencent: srv.TencentFlowLogs(),
		Calls: map[string]int{}, FaultsInjected: map[string]int{},
	}
	for product, names := range actions {
		for _, a := range names {
			if n := srv.Calls(product + "." + a); n > 0 {
				st.Calls[product+"."+a] = n
			}
		}
	}
	for k, n := range srv.FaultsInjected() {
		st.FaultsInjected[k.String()] = n
	}
	return st
}

func (e *emulator) inspect(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case statePath:
		if !allow(w, r, http.MethodGet) {
			return
		}
		writeJSON(w, http.StatusOK, stateOf(e.current()))
	case resetPath:
		if !allow(w, r, http.MethodPost) {
			return
		}
		if err := e.reset(); err != nil {
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "reset: " + err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, stateOf(e.current()))
	case fixturePath:
		if !allow(w, r, http.MethodGet) {
			return
		}
		writeJSON(w, http.StatusOK, e.fixture)
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{
			"error": fmt.Sprintf("no emulator endpoint %s (have GET %s, POST %s, GET %s)", r.URL.Path, statePath, resetPath, fixturePath)})
	}
}

func allow(w http.ResponseWriter, r *http.Request, method string) bool {
	if r.Method == method {
		return true
	}
	w.Header().Set("Allow", method)
	writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": fmt.Sprintf("%s needs %s, not %s", r.URL.Path, method, r.Method)})
	return false
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v) // the client may be gone; nothing to do about it
}
