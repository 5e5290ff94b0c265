package flowlogtest

import (
	"crypto/rand"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
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

	// mu guards every field below. One lock for everything keeps the
	// emulator obviously race-free; it is a test double, not a database.
	mu sync.Mutex
	// rpcAPIs maps an Alibaba RPC Version to that product's action table.
	rpcAPIs map[string]*rpcAPI
	nonces  nonceCache
	calls   map[string]int
	vpc     vpcState
	cbn     cbnState
	tc      tencentState
	sls     map[string]map[string]bool // project -> logstore set
	seq     int                        // for generated seed IDs
	faults  faultState                 // injected faults (faults.go)
}

// serverHooks run inside NewServer after the built-in state is set up and the
// default fixture (unless disabled) is seeded, before the listener starts.
// Files that add another product (cbn.go, tencent.go) append to it from an
// init function to set up their own state and fixture, so they do not need
// to edit NewServer.
var serverHooks []func(s *Server)

// NewServer starts an emulator on a random port of 127.0.0.1, like
// httptest.NewServer, and returns it. Unless WithoutDefaultFixture is given,
// it is seeded with the Default* fixture (region, VPC, vSwitch, ENIs and an
// SLS logstore) so a quickstart can create a flow log without any setup.
func NewServer(opts ...Option) *Server {
	cfg := defaultConfig()
	for _, opt := range opts {
		if opt != nil {
			opt(&cfg)
		}
	}
	if len(cfg.credentials) == 0 {
		cfg.credentials = map[string]credential{
			DefaultAccessKeyID: {id: DefaultAccessKeyID, secret: DefaultAccessKeySecret},
		}
	}
	s := &Server{
		cfg:     cfg,
		rpcAPIs: make(map[string]*rpcAPI, len(rpcRegistry)),
		calls:   make(map[string]int),
		vpc:     newVPCState(),
		sls:     make(map[string]map[string]bool),
	}
	for version, api := range rpcRegistry {
		s.rpcAPIs[version] = api
	}
	if !cfg.noDefaultFixture {
		s.seedDefaultFixture()
	}
	for _, hook := range serverHooks {
		hook(s)
	}
	s.ts = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.URL = s.ts.URL
	return s
}

// Close shuts the emulator down and blocks until all outstanding requests
// have completed, like httptest.Server.Close. It starts no goroutines that
// outlive it.
func (s *Server) Close() {
	s.stopFaults() // ends FaultSlow waits, which would block ts.Close
	s.ts.Close()
}

// Endpoint returns the emulator's "host:port" (e.g. "127.0.0.1:41234"): the
// form SDKs expect for a custom endpoint (Alibaba client.Domain, Tencent
// HttpProfile.Endpoint).
func (s *Server) Endpoint() string {
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

// serveHTTP routes a request to the protocol it speaks. Tencent API 3.0
// requests always carry X-TC-Action; everything else is treated as an
// Alibaba RPC request, whose action travels in the parameters.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		// No input may crash the emulator or kill the connection without an
		// answer: a panic is a bug in the emulator, reported as a typed 500
		// so the client under test sees a well-formed server error.
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.cfg.logger.Error("flowlogtest: handler panic", "panic", fmt.Sprint(v))
			writeRPCError(w, newRequestID(), r.Host, "", &rpcError{
				Status:  http.StatusInternalServerError,
				Code:    "InternalError",
				Message: "The request processing has failed due to some unknown error.",
			})
		}
	}()
	if s.injectFault(w, r) {
		return
	}
	if r.Header.Get("X-TC-Action") != "" {
		s.serveTencent(w, r)
		return
	}
	s.serveRPC(w, r)
}

// newRequestID returns a random upper-case UUID (version 4), the format of
// Alibaba's RequestId.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return strings.ToUpper(fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]))
}

// discardLogger is the default logger.
func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// Option configures a Server. Options are applied in order by NewServer.
type Option func(*config)

type credential struct {
	id, secret string
	// token is the STS SecurityToken the request must carry; empty for a
	// long-term AccessKey.
	token string
}

type config struct {
	credentials        map[string]credential
	activationDelay    time.Duration
	activationJitter   time.Duration
	jitter             *mrand.Rand // set with activationJitter
	now                func() time.Time
	noDefaultFixture   bool
	flowLogQuota       int
	logger             *slog.Logger
	trafficPathAllowed bool
	tc                 tencentConfig
	faults             faultConfig
}

// DefaultActivationDelay is how long a new VPC flow log reports Activating
// when WithActivationDelay is not given: long enough that a client must
// poll at least once, short enough for fast tests.
const DefaultActivationDelay = 50 * time.Millisecond

// DefaultFlowLogQuota is the per-region flow log quota when WithFlowLogQuota
// is not given. It is deliberately far above anything a test creates.
const DefaultFlowLogQuota = 100000

func defaultConfig() config {
	return config{
		activationDelay: DefaultActivationDelay,
		now:             time.Now,
		flowLogQuota:    DefaultFlowLogQuota,
		logger:          discardLogger(),
		tc:              defaultTencentConfig(),
		faults:          faultConfig{seed: defaultFaultSeed},
	}
}

func (c *config) addCredential(cr credential) {
	if c.credentials == nil {
		c.credentials = make(map[string]credential)
	}
	c.credentials[cr.id] = cr
}

// WithAlibabaCredential accepts requests signed with this long-term
// AccessKey pair. It may be given several times. If neither it nor
// WithSTSCredential is given, the server accepts exactly one credential,
// DefaultAccessKeyID / DefaultAccessKeySecret; once any credential is given,
// the default one is no longer accepted, so tests of the
// InvalidAccessKeyId.NotFound path stay meaningful.
func WithAlibabaCredential(accessKeyID, secret string) Option {
	return func(c *config) { c.addCredential(credential{id: accessKeyID, secret: secret}) }
}

// WithSTSCredential accepts requests signed with a temporary STS credential.
// Such requests must also carry SecurityToken equal to token; a missing token
// is rejected with MissingSecurityToken and a different one with
// InvalidSecurityToken.MismatchWithAccessKey, as the real gateway does.
func WithSTSCredential(accessKeyID, secret, token string) Option {
	return func(c *config) { c.addCredential(credential{id: accessKeyID, secret: secret, token: token}) }
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

// WithFlowLogQuota sets how many VPC flow logs one region may hold; creating
// one more fails with QuotaExceeded.FlowlogCount. Default DefaultFlowLogQuota;
// zero or less makes every create fail that way.
func WithFlowLogQuota(n int) Option {
	return func(c *config) { c.flowLogQuota = n }
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

// WithTrafficPathAllowed puts the account on the allow-list for custom
// traffic paths. Without it, CreateFlowLog with TrafficPath.N=internetGateway
// fails with UnsupportedFeature.UserDefinedTrafficPath, as it does for real
// accounts that have not filed the support ticket.
func WithTrafficPathAllowed() Option {
	return func(c *config) { c.trafficPathAllowed = true }
}
