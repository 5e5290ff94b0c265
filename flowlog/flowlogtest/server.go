package flowlogtest

import (
	"crypto/rand"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
)

// Server is a running emulator. Create it with NewServer and stop it with
// Close. All methods are safe for concurrent use, also while requests are
// being served.
type Server struct {
	// URL is the base URL of the emulator, "http://127.0.0.1:port". Plain
	// HTTP is used on purpose: the Alibaba SDK's default scheme is HTTP and
	// the Tencent SDK can be switched to it, so no test CA is needed.
	URL string

	ts  *httptest.Server
	cfg config

	// The gateways, each with the products it serves, and the state the
	// Alibaba products share. NewServer wires them, and the gateways'
	// product and action tables do not change afterwards, so routing reads
	// them without s.mu.
	rpc *rpcGateway
	tc3 *tc3Gateway
	ali *alibaba
	vpc *vpcProduct
	cbn *cbnProduct
	tc  *tencentProduct

	// mu guards every field below and the state of the gateways and
	// products. One lock for everything keeps the emulator obviously
	// race-free; it is a test double, not a database.
	mu     sync.Mutex
	calls  map[string]int
	seq    int        // for generated seed IDs
	faults faultState // injected faults (faults.go)
}

// NewServer starts an emulator on a random port of 127.0.0.1, like
// httptest.NewServer, and returns it. Unless WithoutDefaultFixture is given,
// it is seeded with the Default* fixture (region, VPC, vSwitch, ENIs and an
// SLS logstore) so a quickstart can create a flow log without any setup.
func NewServer(opts ...Option) *Server {
	s := newServer(opts)
	s.start()
	return s
}

// newServer wires a server without starting it: its gateways, each with
// the products it serves, and its fault injector. Adding a product or a
// protocol starts here.
func newServer(opts []Option) *Server {
	cfg := defaultConfig()
	for _, opt := range opts {
		if opt != nil {
			opt(&cfg)
		}
	}
	s := &Server{cfg: cfg, calls: make(map[string]int)}
	s.ali = newAlibaba(&s.cfg)
	s.vpc, s.cbn = newVPCProduct(s.ali), newCBNProduct(s.ali)
	s.tc = newTencentProduct(&s.cfg)
	s.rpc = newRPCGateway(s, s.vpc, s.cbn)
	s.tc3 = newTC3Gateway(s, s.tc)
	s.initFaults()
	if !cfg.noDefaultFixture {
		s.seedDefaultVPCFixture()
		s.seedDefaultCENFixture()
		s.seedDefaultTencentFixture()
	}
	return s
}

// start starts serving.
func (s *Server) start() {
	s.ts = httptest.NewServer(s)
	s.URL = s.ts.URL
}

// NewUnstartedServer returns a server like NewServer's that does not
// listen: serve it (it is an http.Handler) on a listener of your own, as a
// standalone emulator or an in-process gateway of a larger test setup
// does. Its URL is empty and Endpoint returns "". Close it when done: that
// ends the waits of injected slow faults.
func NewUnstartedServer(opts ...Option) *Server { return newServer(opts) }

// ServeHTTP answers one request of any of the emulated APIs, as the
// server's own listener does: a Server is an http.Handler. The request's
// Host is the one its signature covers, so serve it as the client sent it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.serveHTTP(w, r) }

// Close shuts the emulator down and blocks until all outstanding requests
// have completed, like httptest.Server.Close. It starts no goroutines that
// outlive it.
func (s *Server) Close() {
	s.stopFaults() // ends FaultSlow waits, which would block ts.Close
	if s.ts != nil {
		s.ts.Close()
	}
}

// Endpoint returns the emulator's "host:port" (e.g. "127.0.0.1:41234"): the
// form SDKs expect for a custom endpoint (Alibaba client.Domain, Tencent
// HttpProfile.Endpoint).
func (s *Server) Endpoint() string {
	if s.ts == nil {
		return "" // NewUnstartedServer: it listens where its owner serves it
	}
	return s.ts.Listener.Addr().String()
}

// Calls returns how many requests reached the handler of action, that is,
// passed authentication, nonce and version checks and named a known action.
// Requests rejected before that are not counted, so a test can assert that a
// client did (or did not) retry. Requests answered by an injected fault
// (WithFaults) are not counted either, except FaultLostResponse, which runs
// the handler, and FaultSlow once the delayed request is handled.
//
// action is either a bare action name, counted across all products
// ("CreateFlowLog"), or a product-qualified one ("Vpc.CreateFlowLog") for
// names that several products share.
func (s *Server) Calls(action string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[action]
}

// recordCall counts one handled request. The caller holds s.mu.
func (s *Server) recordCall(product, action string) {
	s.calls[action]++
	s.calls[product+"."+action]++
}

// now reads the injected clock.
func (s *Server) now() time.Time { return s.cfg.now() }

// nextSeq returns a per-server counter for generated fixture IDs. The caller
// holds s.mu.
func (s *Server) nextSeq() int {
	s.seq++
	return s.seq
}

// addNumbered adds n resources v to m under generated IDs, newID of the
// next sequence numbers (see nextSeq) with any ID already in m skipped, and
// returns the IDs in order. The caller holds s.mu.
func addNumbered[V any](s *Server, m map[string]V, n int, newID func(seq int) string, v V) []string {
	ids := make([]string, 0, max(n, 0))
	for len(ids) < n {
		id := newID(s.nextSeq())
		if _, taken := m[id]; taken {
			continue
		}
		m[id] = v
		ids = append(ids, id)
	}
	return ids
}

// newID returns an ID that is not a key of taken: prefix and n random
// lower-case alphanumerics, the alphabet of resource ID suffixes on both
// clouds.
func newID[V any](taken map[string]V, prefix string, n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for {
		_, _ = rand.Read(b)
		for i := range b {
			b[i] = alphabet[int(b[i])%len(alphabet)]
		}
		id := prefix + string(b)
		if _, dup := taken[id]; !dup {
			return id
		}
	}
}

// gatewayFor returns the gateway of the protocol r speaks. Tencent API 3.0
// requests always carry X-TC-Action; everything else is treated as an
// Alibaba RPC request, whose action travels in the parameters.
func (s *Server) gatewayFor(r *http.Request) gateway {
	if r.Header.Get("X-TC-Action") != "" {
		return s.tc3
	}
	return s.rpc
}

// serveHTTP hands a request to its gateway, unless a fault is injected.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	g := s.gatewayFor(r)
	defer func() {
		// No input may crash the emulator or kill the connection without an
		// answer: a panic is a bug in the emulator, answered with the
		// protocol's InternalError so the client under test sees a
		// well-formed server error.
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.cfg.logger.Error("flowlogtest: handler panic", "panic", fmt.Sprint(v))
			g.writeError(w, r, g.newRequestID(), "", g.internalError())
		}
	}()
	if s.injectFault(g, w, r) {
		return
	}
	s.serve(g, w, r)
}

// discardLogger is the default logger.
func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// Option configures a Server. Options are applied in order by NewServer.
type Option func(*config)

type config struct {
	now              func() time.Time
	noDefaultFixture bool
	logger           *slog.Logger
	faults           faultConfig
	// strictRules adds the rules that go beyond the documentation
	// (WithStrictRules).
	strictRules bool

	// Alibaba: the RPC gateway's credentials, and the VPC and CEN
	// products' settings.
	alibabaKeys        keyring
	activationDelay    time.Duration
	activationJitter   time.Duration
	jitter             *mrand.Rand // set with activationJitter
	flowLogQuota       int
	trafficPathAllowed bool

	// Tencent: the TC3 gateway's credentials and rate limit, and the VPC
	// product's quota.
	tencentKeys         keyring
	tencentRateLimit    int
	tencentFlowLogQuota int
}

// DefaultActivationDelay is how long a new VPC flow log reports Activating
// when WithActivationDelay is not given: long enough that a client must
// poll at least once, short enough for fast tests.
const DefaultActivationDelay = 50 * time.Millisecond

func defaultConfig() config {
	return config{
		now:                 time.Now,
		logger:              discardLogger(),
		faults:              faultConfig{seed: defaultFaultSeed},
		activationDelay:     DefaultActivationDelay,
		flowLogQuota:        DefaultFlowLogQuota,
		tencentRateLimit:    DefaultTencentRateLimit,
		tencentFlowLogQuota: DefaultTencentFlowLogQuota,
	}
}

// WithActivationDelay sets how long a VPC flow log stays in a transitional
// state (Activating after create or activate, Deactivating, Deleting) before
// it settles. The state is computed from the injected clock when it is
// observed, so no timers run. Zero means a new flow log is already Active on
// the first describe after creation. Negative values are treated as zero.
func WithActivationDelay(d time.Duration) Option {
	return func(c *config) {
		if d < 0 {
			d = 0
		}
		c.activationDelay = d
	}
}

// WithClock injects the clock used for request timestamp checks, nonce
// expiry, CreationTime and state transitions (default time.Now). Tests of
// the activation lifecycle advance a fake clock instead of sleeping. Keep it
// within 15 minutes of real time when the official SDK is the client: the
// SDK stamps requests with the real time and the emulator enforces the
// gateway's 15-minute window.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.now = now
		}
	}
}

// WithoutDefaultFixture starts the server with no regions, networks or SLS
// logstores; seed them with the Add* methods.
func WithoutDefaultFixture() Option {
	return func(c *config) { c.noDefaultFixture = true }
}

// WithLogger makes the server log every request it answers (at Debug level)
// and internal problems (at Error level). The default discards everything.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) {
		if l != nil {
			c.logger = l
		}
	}
}

// WithStrictRules makes the server also enforce rules that go beyond the
// documentation: plausible rules that no source the emulator follows (the
// providers' API references and the research notes on them) states. By
// default the emulator refuses only what the documentation, or the
// protocol itself, refuses, where the library's own validation
// (flowlog.Client.Validate) refuses the same specs; where it had to choose
// a code, a message or a number for such a refusal, its source says
// "emulator choice". With WithStrictRules it also refuses, with the code
// of the documented rule it extends:
//
//   - VPC CreateFlowLog and ModifyFlowLogAttribute: an IpVersion other
//     than IPv4 and IPv6, sent empty included (IllegalParam.IpVersion): no
//     list of values is documented, only the example IPv4;
//   - VPC and CEN: a FlowLogName or Description starting with http:// or
//     https:// in another letter case ("HTTP://x"), a tag key or value
//     starting with aliyun or acs: in another letter case, or containing
//     http:// or https:// in another letter case (INVALID_PARAMETER,
//     InvalidParameter): the documentation writes them in lower case only;
//   - VPC CreateFlowLog: a tag key given twice (INVALID_PARAMETER): only
//     CEN documents that keys are unique;
//   - VPC DescribeFlowLogs: a Tags.N filter that CreateFlowLog's tag rules
//     refuse, and a FlowLogName or Description filter starting with
//     http:// or https:// (INVALID_PARAMETER); CEN DescribeFlowlogs: a
//     Tag.N filter that CreateFlowlog's tag rules refuse beyond the
//     documented key length of 64 (InvalidParameter): the filters' own
//     rules are not documented beyond that;
//   - CEN DescribeFlowlogs, DeleteFlowlog, ActiveFlowLog, DeactiveFlowLog
//     and ModifyFlowLogAttribute: a ClientToken longer than 64 characters,
//     or, but for ModifyFlowLogAttribute, not ASCII (InvalidParameter):
//     the limit of 64 is documented for CreateFlowlog only, ASCII for
//     CreateFlowlog and ModifyFlowLogAttribute;
//   - CEN CreateFlowlog: a LogFormatString field name of other characters
//     than letters, digits, "_" and "-" (InvalidParameter): the
//     documentation gives the form ${field} and the fields' prefix only.
//
// Use it to find clients that depend on such values. The real cloud may
// accept or refuse them: neither the default nor the strict answer is
// documented.
func WithStrictRules() Option {
	return func(c *config) { c.strictRules = true }
}
