package flowlogtest

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file implements deterministic fault injection: rules that make a
// share of the requests fail the way real clouds and networks fail
// (throttling, server errors, a load balancer's HTML error page, dropped
// connections, lost responses, slow answers, truncated bodies), so that
// retry and error-handling code can be tested against the emulator.
//
// The injector runs in front of the gateways (Server.serveHTTP) and knows
// no protocol: it asks the request's gateway. For each request it
//
//  1. has the gateway route it as far as needed to know the product and
//     action (gateway.route);
//  2. under s.mu, asks the rules in order whether one fires (a Count rule
//     while it has faults left, a Rate rule with probability Rate from the
//     seeded source) and picks the rule's kind;
//  3. for every kind but FaultReset, checks that the gateway would accept
//     the request, with its real checks in dry-run mode (signature,
//     timestamp, nonce not yet used, token, version, action; nothing is
//     recorded). A request the gateway would reject is served normally and
//     a Count rule gets its fault back, so only authenticated requests
//     are faulted and a faulted request never consumes a nonce;
//  4. acts out the fault: on the connection for FaultReset,
//     FaultLostResponse and FaultSlow, else with the gateway's canned
//     answer (gateway.writeFault).

// FaultKind is a kind of injected failure.
type FaultKind int

// The kinds of faults. Unless stated otherwise, a faulted request is not
// applied, not counted by Server.Calls and does not consume its
// SignatureNonce (nor Tencent rate-limit budget), so a client may resend the
// very same signed request.
const (
	// FaultThrottle answers with the provider's throttling error: Alibaba
	// HTTP 400 Throttling.User "Request was denied due to user flow
	// control."; Tencent HTTP 200 RequestLimitExceeded with the documented
	// message ("Your current request times equals to `21` in a second, ...",
	// using the configured rate limit).
	FaultThrottle FaultKind = iota + 1
	// FaultServerError answers with a JSON server error: Alibaba HTTP 503
	// ServiceUnavailable "The request has failed due to a temporary failure
	// of the server."; Tencent HTTP 200 InternalError.
	FaultServerError
	// FaultHTMLError answers HTTP 502 with a load balancer's HTML error
	// page (Content-Type text/html), on either cloud.
	FaultHTMLError
	// FaultReset closes the connection without answering and without
	// reading the request body (except an Alibaba form body that carries
	// Version or Action). It is decided before authentication, so it can
	// hit any request that names a known product and action.
	FaultReset
	// FaultLostResponse applies the request for real (the handler runs, the
	// nonce is consumed, Calls counts it: a flow log is created), then
	// closes the connection without sending the response.
	FaultLostResponse
	// FaultSlow holds the request for FaultRule.Delay, then handles it
	// normally (it is applied, counted and consumes its nonce then). If the
	// client goes away or the server is closed during the delay, the
	// connection is closed and nothing is applied.
	FaultSlow
	// FaultMalformed answers HTTP 200 with a truncated body that is not
	// valid JSON.
	FaultMalformed
	// FaultEcho answers with a server error whose message echoes the
	// request, as a misconfigured proxy, a gateway's debug page or a wrong
	// endpoint does: the method and URL with its query string, the headers
	// as "Name: value" lines and as a JSON object, and the body. Alibaba:
	// HTTP 503 ServiceUnavailable; Tencent: HTTP 200 InternalError. A
	// client must not let any credential, token or signature of the echo
	// reach a text it hands out.
	FaultEcho
	// FaultDocumentedError answers with the error FaultRule.Code, one of
	// the codes the action's reference documents (DocumentedErrorCodes),
	// with its documented message and HTTP status: Alibaba's 400, Tencent's
	// 200 with the error in Response. It reaches the codes that hang on
	// what the emulator does not model, such as a RAM user calling, a
	// resource another account shares or a tag service's state; doc.go
	// lists the codes the emulator produces from its own state.
	FaultDocumentedError
)

var faultKindNames = map[FaultKind]string{
	FaultThrottle:     "Throttle",
	FaultServerError:  "ServerError",
	FaultHTMLError:    "HTMLError",
	FaultReset:        "Reset",
	FaultLostResponse: "LostResponse",
	FaultSlow:         "Slow",
	FaultMalformed:    "Malformed",
	FaultEcho:         "Echo",

	FaultDocumentedError: "DocumentedError",
}

// String returns the kind's name without the "Fault" prefix, e.g.
// "Throttle", or "FaultKind(N)" for an unknown value.
func (k FaultKind) String() string {
	if name, ok := faultKindNames[k]; ok {
		return name
	}
	return "FaultKind(" + strconv.Itoa(int(k)) + ")"
}

// FaultRule says which requests get which faults.
type FaultRule struct {
	// Action selects the requests, with the names Server.Calls uses: ""
	// matches every request; a bare action name matches it on every
	// product ("CreateFlowLog" matches Alibaba VPC and Tencent; names are
	// case-sensitive, so CEN's "CreateFlowlog" is a different action); a
	// product-qualified name matches one product ("Vpc.CreateFlowLog",
	// "Cbn.CreateFlowlog", "Tencent.CreateFlowLog").
	Action string
	// Kinds are the faults the rule injects; when it fires, one is picked
	// uniformly with the seeded source. It must not be empty.
	Kinds []FaultKind
	// Rate is the probability (0..1) that a matching request gets a fault.
	Rate float64
	// Count, if positive, makes the next Count matching requests get a
	// fault, after which the rule is spent; Rate is then ignored.
	Count int
	// Delay is how long FaultSlow holds a request.
	Delay time.Duration
	// Code is the error FaultDocumentedError answers with. Action must
	// then name one product's action, such as "Vpc.CreateFlowLog", whose
	// reference documents Code.
	Code string
}

// defaultFaultSeed seeds the fault source when WithFaultSeed is not given.
const defaultFaultSeed = 1

type faultConfig struct {
	seed  int64
	rules []FaultRule
}

// WithFaultSeed seeds the source of every fault decision (default 1). The
// decisions come from one math/rand/v2 PCG source, drawn under the server's
// lock, so the same seed and the same sequence of requests give the same
// faults. Concurrent requests reach the source in an unspecified order.
func WithFaultSeed(seed int64) Option {
	return func(c *config) { c.faults.seed = seed }
}

// WithFaults starts the server with fault rules; see FaultRule and
// Server.InjectFaults. It panics if a rule is invalid: no Kinds, an unknown
// kind, Rate outside 0..1, a negative Count or Delay, or a Code that its
// Action does not document (or a Code without FaultDocumentedError).
func WithFaults(rules ...FaultRule) Option {
	rules = cloneFaultRules(rules)
	return func(c *config) { c.faults.rules = append(c.faults.rules, rules...) }
}

// InjectFaults adds rules while the server runs. Rules are consulted in the
// order they were added; the first one that fires decides the fault, so an
// earlier rule shadows a later one for the requests it faults. It panics if
// a rule is invalid, like WithFaults.
func (s *Server) InjectFaults(rules ...FaultRule) {
	rules = cloneFaultRules(rules)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addFaultRules(rules)
}

// ClearFaults removes every fault rule. FaultsInjected keeps its counts.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.rules = nil
}

// FaultsInjected returns how many faults of each kind the server has
// injected so far (a copy). A FaultSlow is counted when it is decided,
// whether or not the client waited for the answer.
func (s *Server) FaultsInjected() map[FaultKind]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.faults.injected)
}

// ---- state -------------------------------------------------------------------

// faultState is the server's fault injector. s.mu guards it, except stop,
// which is created before the server starts and only closed afterwards.
type faultState struct {
	rng      *rand.Rand
	rules    []*faultRuleState
	injected map[FaultKind]int
	// stop is closed by Server.Close: FaultSlow waits end then, or Close
	// would wait for them.
	stop chan struct{}
}

type faultRuleState struct {
	FaultRule
	remaining int // faults left of a Count rule
}

// initFaults runs inside NewServer, before serving.
func (s *Server) initFaults() {
	seed := uint64(s.cfg.faults.seed)
	s.faults.rng = rand.New(rand.NewPCG(seed, seed))
	s.faults.injected = make(map[FaultKind]int)
	s.faults.stop = make(chan struct{})
	s.addFaultRules(s.cfg.faults.rules)
}

// stopFaults ends pending FaultSlow waits. It may be called more than once.
func (s *Server) stopFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.faults.stop:
	default:
		close(s.faults.stop)
	}
}

// addFaultRules appends validated, cloned rules. The caller holds s.mu (or
// the server is not serving yet).
func (s *Server) addFaultRules(rules []FaultRule) {
	for _, r := range rules {
		s.faults.rules = append(s.faults.rules, &faultRuleState{FaultRule: r, remaining: r.Count})
	}
}

// cloneFaultRules validates rules and copies them, so that the caller's
// Kinds slices can be reused.
func cloneFaultRules(rules []FaultRule) []FaultRule {
	out := make([]FaultRule, len(rules))
	for i, r := range rules {
		if err := r.validate(); err != nil {
			panic("flowlogtest: invalid FaultRule: " + err.Error())
		}
		r.Kinds = slices.Clone(r.Kinds)
		out[i] = r
	}
	return out
}

func (r FaultRule) validate() error {
	if len(r.Kinds) == 0 {
		return fmt.Errorf("action %q: no Kinds", r.Action)
	}
	for _, k := range r.Kinds {
		if _, ok := faultKindNames[k]; !ok {
			return fmt.Errorf("action %q: unknown kind %v", r.Action, k)
		}
	}
	if math.IsNaN(r.Rate) || r.Rate < 0 || r.Rate > 1 {
		return fmt.Errorf("action %q: Rate %v is not within 0..1", r.Action, r.Rate)
	}
	if r.Count < 0 || r.Delay < 0 {
		return fmt.Errorf("action %q: negative Count or Delay", r.Action)
	}
	if documented := slices.Contains(r.Kinds, FaultDocumentedError); documented != (r.Code != "") {
		return fmt.Errorf("action %q: Code %q goes with FaultDocumentedError, and only with it", r.Action, r.Code)
	} else if documented && documentedAPIError(r.Action, r.Code) == nil {
		return fmt.Errorf("action %q does not document code %q (see DocumentedErrorCodes)", r.Action, r.Code)
	}
	return nil
}

func (r *faultRuleState) matches(product, action string) bool {
	return r.Action == "" || r.Action == action || r.Action == product+"."+action
}

// live reports whether the rule can still fire.
func (r *faultRuleState) live() bool {
	if r.Count > 0 {
		return r.remaining > 0
	}
	return r.Rate > 0
}

// faultPlan is a decided fault.
type faultPlan struct {
	kind  FaultKind
	delay time.Duration
	rule  *faultRuleState
}

// drawFault asks the rules whether a request of product and action gets a
// fault. The caller holds s.mu.
func (s *Server) drawFault(product, action string) *faultPlan {
	f := &s.faults
	for _, r := range f.rules {
		if !r.live() || !r.matches(product, action) {
			continue
		}
		if r.Count > 0 {
			r.remaining--
		} else if r.Rate < 1 && f.rng.Float64() >= r.Rate {
			continue
		}
		kind := r.Kinds[0]
		if len(r.Kinds) > 1 {
			kind = r.Kinds[f.rng.IntN(len(r.Kinds))]
		}
		return &faultPlan{kind: kind, delay: r.Delay, rule: r}
	}
	return nil
}

// hasLiveFaults reports whether any rule can still fire. The caller holds
// s.mu.
func (s *Server) hasLiveFaults() bool {
	for _, r := range s.faults.rules {
		if r.live() {
			return true
		}
	}
	return false
}

// ---- the injector ------------------------------------------------------------

// injectFault decides whether r, for gateway g, gets a fault and, if so,
// acts it out. It reports whether the request has been dealt with; false
// means it is to be served normally (possibly after a FaultSlow delay).
func (s *Server) injectFault(g gateway, w http.ResponseWriter, r *http.Request) bool {
	s.mu.Lock()
	live := s.hasLiveFaults()
	s.mu.Unlock()
	if !live {
		return false
	}
	product, action, ok := g.route(r)
	if !ok {
		return false
	}
	s.mu.Lock()
	plan := s.drawFault(product, action)
	s.mu.Unlock()
	if plan == nil {
		return false
	}
	var body []byte
	if plan.kind != FaultReset {
		if body, ok = s.accepted(g, r); !ok {
			// Only requests the gateway accepts are faulted; the rule keeps
			// its fault for the next one.
			s.mu.Lock()
			if plan.rule.Count > 0 {
				plan.rule.remaining++
			}
			s.mu.Unlock()
			return false
		}
	}
	s.mu.Lock()
	s.faults.injected[plan.kind]++
	s.mu.Unlock()
	s.cfg.logger.Debug("flowlogtest: injected fault", "kind", plan.kind.String(),
		"product", product, "action", action)

	switch plan.kind {
	case FaultReset:
		abortConnection(w)
	case FaultLostResponse:
		s.serveDiscarded(g, r)
		abortConnection(w)
	case FaultSlow:
		if s.waitFault(r, plan.delay) {
			return false // served normally, late
		}
		abortConnection(w)
	case FaultDocumentedError:
		g.writeError(w, r, g.newRequestID(), product, documentedAPIError(plan.rule.Action, plan.rule.Code))
	default:
		g.writeFault(w, r, product, plan.kind, body)
	}
	return true
}

// accepted reports whether g would accept r, running its checks in dry-run
// mode: nothing is recorded. It returns the body, which stays readable for
// the real handling.
func (s *Server) accepted(g gateway, r *http.Request) ([]byte, bool) {
	body, err := peekBody(r, g.maxBody())
	if err != nil || int64(len(body)) > g.maxBody() {
		return nil, false
	}
	return body, g.handle(r, "", true).err == nil
}

// waitFault holds a FaultSlow request for d. It reports true if the delay
// passed, false if the client went away or the server is closing first.
// (The request context ends when the client closes the connection: the
// body has been read to the end by then, so net/http watches the
// connection.)
func (s *Server) waitFault(r *http.Request, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-r.Context().Done():
	case <-s.faults.stop:
	}
	return false
}

// serveDiscarded handles r for real and throws the answer away.
func (s *Server) serveDiscarded(g gateway, r *http.Request) {
	defer func() {
		if v := recover(); v != nil && v != http.ErrAbortHandler {
			s.cfg.logger.Error("flowlogtest: handler panic", "panic", fmt.Sprint(v))
		}
	}()
	s.serve(g, httptest.NewRecorder(), r)
}

// abortConnection closes the client connection without an answer.
func abortConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// net/http closes the connection without an answer, quietly.
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// writeErrorPage answers HTTP 502 with the error page of the load balancer
// in front of the API (Tengine at Alibaba, nginx at Tencent).
func writeErrorPage(w http.ResponseWriter, server string) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusBadGateway)
	_, _ = io.WriteString(w, "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"+
		"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>"+server+"</center>\r\n</body>\r\n</html>\r\n")
}

// writeTruncated answers 200 with the first half of body's JSON (with a
// matching Content-Length, so the client reads it to the end and then fails
// to parse it).
func writeTruncated(w http.ResponseWriter, body any) {
	data, _ := json.Marshal(body)
	data = data[:len(data)/2]
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data)
}

// echoRequest dumps r the ways proxies and debug pages quote a request:
// the URL, header lines, the headers as a JSON object, every query
// parameter and header as a name/value pair (a shape no name=value pattern
// matches), and the body.
func echoRequest(r *http.Request, body []byte) string {
	var b strings.Builder
	b.WriteString("upstream error; request was: " + r.Method + " " + r.URL.String() + "\n")
	type pair struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	var pairs []pair
	for _, name := range slices.Sorted(maps.Keys(r.Header)) {
		for _, v := range r.Header[name] {
			b.WriteString(name + ": " + v + "\n")
			pairs = append(pairs, pair{name, v})
		}
	}
	query := r.URL.Query()
	for _, name := range slices.Sorted(maps.Keys(query)) {
		for _, v := range query[name] {
			pairs = append(pairs, pair{name, v})
		}
	}
	headers, _ := json.Marshal(r.Header)
	named, _ := json.Marshal(pairs)
	b.WriteString("headers " + string(headers) + "\nparameters " + string(named) + "\nbody " + string(body))
	return b.String()
}
