package flowlogtest

import (
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"time"

	"github.com/cloudflowlog/flowlog-go/internal/acsv1"
)

// This file is the gateway of Alibaba Cloud's RPC-style OpenAPI, in front
// of every Alibaba product the emulator serves (vpc.go, cbn.go): parameter
// parsing, common-parameter checks, signature v1, timestamp window, nonce
// replay protection, STS tokens, dispatch by Version and Action, and the
// JSON envelopes of answers, errors and faults. Requests signed with
// ACS3-HMAC-SHA256 (gateway_acs3.go) go through the same gateway: the real
// one takes both signature versions on one endpoint, so they share the
// credentials, the nonce cache, the products and the error shapes here.

// rpcHandler serves one action of an RPC product. It returns the success
// body (a struct or map marshalled to JSON; it must carry the request's
// RequestId) or an error; an *apiError becomes a typed error response, any
// other error an InternalError.
type rpcHandler func(req *rpcRequest) (any, error)

// rpcRequest is an authenticated RPC request as handlers see it.
type rpcRequest struct {
	// Params holds the merged query-string and form-body parameters.
	Params      url.Values
	Action      string
	AccessKeyID string
	RequestID   string
	// Now is the emulator clock's time when the request was accepted.
	Now time.Time
}

// Get returns the first value of a parameter, or "".
func (r *rpcRequest) Get(name string) string { return r.Params.Get(name) }

// Has reports whether a parameter was sent, even with an empty value. The
// SDK never sends empty values, so an empty one comes from a hand-made
// request and is validated rather than treated as absent.
func (r *rpcRequest) Has(name string) bool { return r.Params.Has(name) }

// WithAlibabaCredential accepts requests signed with this long-term
// AccessKey pair. It may be given several times. If neither it nor
// WithSTSCredential is given, the server accepts exactly one credential,
// DefaultAccessKeyID / DefaultAccessKeySecret; once any credential is given,
// the default one is no longer accepted, so tests of the
// InvalidAccessKeyId.NotFound path stay meaningful.
func WithAlibabaCredential(accessKeyID, secret string) Option {
	return func(c *config) { c.alibabaKeys.add(credential{id: accessKeyID, secret: secret}) }
}

// WithSTSCredential accepts requests signed with a temporary STS credential.
// Such requests must also carry token, as the SecurityToken parameter
// (signature v1) or the x-acs-security-token header (ACS3); a missing token
// is rejected with MissingSecurityToken and a different one with
// InvalidSecurityToken.MismatchWithAccessKey, as the real gateway does.
func WithSTSCredential(accessKeyID, secret, token string) Option {
	return func(c *config) { c.alibabaKeys.add(credential{id: accessKeyID, secret: secret, token: token}) }
}

// rpcGateway is the Alibaba RPC gateway.
type rpcGateway struct {
	s    *Server
	keys keyring
	// products maps an RPC Version to the product that serves it.
	products map[string]product[rpcHandler]
	// nonces are the SignatureNonces (v1) and x-acs-signature-nonces (ACS3)
	// seen, in one cache: a nonce is spent whichever version spent it.
	// s.mu guards them.
	nonces nonceCache
}

func newRPCGateway(s *Server, products ...product[rpcHandler]) *rpcGateway {
	g := &rpcGateway{
		s:        s,
		keys:     s.cfg.alibabaKeys.orDefault(DefaultAccessKeyID, DefaultAccessKeySecret),
		products: make(map[string]product[rpcHandler], len(products)),
	}
	for _, p := range products {
		g.add(p)
	}
	return g
}

// add serves p under its version. Two products of one version are a wiring
// mistake and panic.
func (g *rpcGateway) add(p product[rpcHandler]) {
	if _, dup := g.products[p.version()]; dup {
		panic("flowlogtest: RPC API version " + p.version() + " wired twice")
	}
	g.products[p.version()] = p
}

func newRPCError(status int, code, message string) *apiError {
	return &apiError{Status: status, Code: code, Message: message}
}

// errBadRequest is the common case: HTTP 400 with a code and message.
func errBadRequest(code, message string) *apiError {
	return newRPCError(http.StatusBadRequest, code, message)
}

// errMissingCommonParameter is the gateway's answer for a missing common
// parameter; the message names the parameter.
func errMissingCommonParameter(name string) *apiError {
	return errBadRequest("MissingParameter",
		`The input parameter "`+name+`" that is mandatory for processing this request is not supplied.`)
}

// Gateway-level error codes and messages: api-spec.md §6.3 (codes, HTTP
// status, messages "verbatim from real responses [3P]") unless marked
// otherwise; when each is answered is cited at the check.
var (
	errAccessKeyNotFound = newRPCError(http.StatusNotFound, "InvalidAccessKeyId.NotFound",
		"Specified access key is not found.")
	errTimestampExpired = errBadRequest("InvalidTimeStamp.Expired",
		"Specified time stamp or date value is expired.")
	// api-spec §6.3 gives the code only, "(bad Timestamp format)"; the
	// message is the emulator's.
	errTimestampFormat = errBadRequest("InvalidTimeStamp.Format",
		"Specified time stamp or date value is not well formatted.")
	errNonceUsed = errBadRequest("SignatureNonceUsed",
		"Specified signature nonce was used already.")
	// api-spec §6.3 "MissingSecurityToken / ... .MismatchWithAccessKey |
	// 400 | STS token problems"; the messages are the emulator's.
	errMissingSecurityToken = errBadRequest("MissingSecurityToken",
		"SecurityToken is mandatory for this action.")
	errTokenMismatch = errBadRequest("InvalidSecurityToken.MismatchWithAccessKey",
		"Specified SecurityToken mismatch with the AccessKey.")
	errInvalidVersion = errBadRequest("InvalidVersion",
		"Specified parameter Version is not valid.")
	errActionNotFound = newRPCError(http.StatusNotFound, "InvalidAction.NotFound",
		"Specified api is not found, please check your url and method.")
	// Requests no SDK sends, which the protocol itself refuses; their codes
	// and messages are not in the sources (emulator choice). A signature
	// method or version other than the documented HMAC-SHA1 / 1.0
	// (api-spec §7.1) cannot be verified, so the request cannot be
	// authenticated; unparsable parameters cannot be read. The body cap:
	// every HTTP server bounds what it reads, the sources give the
	// gateway's bound for no Alibaba product, and 1 MiB (maxBodyBytes) is
	// the emulator's, far above any request its actions take.
	errSignatureMethod = errBadRequest("InvalidSignatureMethod",
		"Specified signature method is not supported.")
	errSignatureVersion = errBadRequest("InvalidSignatureVersion",
		"Specified signature version is not supported.")
	errMalformedRequest = errBadRequest("InvalidParameter",
		"The request query string or form body is malformed.")
	errBodyTooLarge = newRPCError(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
		"The request body is too large.")
	errRPCInternal = newRPCError(http.StatusInternalServerError, "InternalError",
		"The request processing has failed due to some unknown error.")
)

func errSignatureMismatch(stringToSign string) *apiError {
	// api-spec §6.3 SignatureDoesNotMatch, 400, with the message's suffix:
	// it lets the Alibaba SDK compare the server's string to sign with its
	// own and tell "wrong secret" from "SDK bug" in Recommend.
	return errBadRequest("SignatureDoesNotMatch",
		"Specified signature is not matched with our calculation. server string to sign is:"+stringToSign)
}

const (
	// timestampLayout is the only Timestamp format the gateway accepts:
	// ISO 8601 UTC without fractional seconds (api-spec §7.1 Timestamp
	// "2006-01-02T15:04:05Z (UTC, ISO-8601)"; sdk-internals.md §A; for ACS3
	// acs3-and-lifecycle §1.2 x-acs-date "yyyy-MM-ddTHH:mm:ssZ, no
	// fraction").
	timestampLayout = "2006-01-02T15:04:05Z"
	// maxClockSkew is how far a request's Timestamp may be from server time:
	// api-spec §7.1 "accepts a Timestamp within ±15 minutes of server time"
	// [3P]; sdk-internals.md §A (help.aliyun.com/document_detail/48054.html).
	maxClockSkew = 15 * time.Minute
	// nonceTTL is how long a SignatureNonce is remembered: api-spec §7.1
	// "remembers SignatureNonce values for at least 15 minutes", §9 item 2
	// "nonce cache for at least 15 min". It only has to outlive the
	// timestamp window: a replay after that is refused as expired anyway.
	nonceTTL = 2 * maxClockSkew
	// maxBodyBytes caps the form body read from a request (emulator
	// choice, see errBodyTooLarge): the largest valid request of any
	// emulated action (20 tags of 128 + 128 characters, percent-encoded
	// UTF-8, and the names) is under 100 KiB, so no request the real
	// gateway would take is refused for its size.
	maxBodyBytes = 1 << 20
)

// commonParams are the parameters every RPC request must carry, in the order
// their absence is reported (emulator choice), each answered with
// MissingParameter naming it (api-spec §6.3 "MissingParameter (e.g.
// Timestamp, AccessKeyId)"). The list is the common parameters the SDK
// signs (api-spec §7.1, sdk-internals.md §A) but SignatureType, which it
// sends empty, and SecurityToken, which only STS credentials carry. Format
// is optional (api-spec §7.1 "JSON or XML"; JSON is the default here).
var commonParams = []string{
	"Action", "Version", "AccessKeyId", "Signature", "SignatureMethod",
	"SignatureVersion", "SignatureNonce", "Timestamp",
}

func (*rpcGateway) name() string             { return "rpc" }
func (*rpcGateway) maxBody() int64           { return maxBodyBytes }
func (*rpcGateway) newRequestID() string     { return randomUUID() }
func (*rpcGateway) internalError() *apiError { return errRPCInternal }

// route reads Version and Action from the query string, or from a form body
// when the query lacks them; an ACS3 request carries them in headers.
func (g *rpcGateway) route(r *http.Request) (string, string, bool) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		return "", "", false
	}
	version, action, ok := routeParams(r)
	if !ok {
		return "", "", false
	}
	p := g.products[version]
	if p == nil {
		return "", "", false
	}
	_, ok = p.handler(action)
	return p.name(), action, ok
}

// routeParams returns the Version and Action that r names, as far as it
// can tell without authenticating r.
func routeParams(r *http.Request) (version, action string, ok bool) {
	if isACS3(r) {
		version, action = routeACS3(r)
		return version, action, true
	}
	params, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return "", "", false
	}
	if params.Get("Version") == "" || params.Get("Action") == "" {
		if params, err = parseRPCParams(r); err != nil {
			return "", "", false
		}
	}
	return params.Get("Version"), params.Get("Action"), true
}

// handle authenticates and dispatches a request.
//
// Checks run in this order (emulator choice: the gateway's real order is
// not documented, only each check; a request that fails several gets the
// first one's answer): method, parseable request, common parameters
// present, known AccessKeyId, signature, timestamp, nonce, STS token,
// Version, Action. A method other than GET or POST is outside the RPC
// protocol, which is defined on those two (api-spec §7.1, the string to
// sign starts with the method; acs3-and-lifecycle §1.5 "Most RPC APIs
// accept GET or POST"); answering it InvalidAction.NotFound is an
// emulator choice, the gateway's code whose message names the method
// ("please check your url and method", api-spec §6.3). The nonce is
// recorded only once the signature and timestamp are good, so a forged or
// stale request cannot burn a nonce; a dry run only looks it up. A request with an ACS3 Authorization header is
// parsed and its signature checked as ACS3 (gateway_acs3.go), any other as
// signature v1; the checks after the signature are the same (admit).
//
// Responses are always JSON, whatever Format says: the SDK always sends
// Format=JSON and the emulator does not implement the XML rendering.
func (g *rpcGateway) handle(r *http.Request, requestID string, dryRun bool) (c call) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		c.err = errActionNotFound
		return c
	}
	parse := parseV1
	if isACS3(r) {
		parse = parseACS3
	}
	in, err := parse(r)
	if err != nil {
		c.err = err
		return c
	}
	c.action = in.action

	g.s.mu.Lock()
	defer g.s.mu.Unlock()
	p := g.products[in.version]
	if p != nil {
		c.product = p.name()
	}
	signed, err := in.verify(g.keys)
	if err != nil {
		c.err = err
		return c
	}
	c.resp, c.err = g.admit(signed, p, requestID, dryRun)
	return c
}

// rpcInput is a parsed request, not yet authenticated.
type rpcInput struct {
	version, action string
	// verify checks the request's signature in its version against keys
	// and returns what the signature vouches for.
	verify func(keys keyring) (signedRequest, error)
}

// parseV1 parses a request signed with signature v1.
func parseV1(r *http.Request) (rpcInput, error) {
	params, err := parseRPCParams(r)
	if err != nil {
		return rpcInput{}, err
	}
	return rpcInput{
		version: params.Get("Version"),
		action:  params.Get("Action"),
		verify:  func(keys keyring) (signedRequest, error) { return verifyV1(keys, r.Method, params) },
	}, nil
}

// verifyV1 checks the common parameters and the v1 signature: api-spec §7.1
// (SignatureMethod HMAC-SHA1, SignatureVersion 1.0, AccessKeyId unknown →
// InvalidAccessKeyId.NotFound, StringToSign over every parameter but
// Signature, the empty SignatureType included, HMAC-SHA1 keyed with the
// secret and "&" → SignatureDoesNotMatch), checked by internal/acsv1
// against sdk-internals.md §D's vectors.
func verifyV1(keys keyring, method string, params url.Values) (signedRequest, error) {
	for _, name := range commonParams {
		if params.Get(name) == "" {
			return signedRequest{}, errMissingCommonParameter(name)
		}
	}
	if params.Get("SignatureMethod") != "HMAC-SHA1" {
		return signedRequest{}, errSignatureMethod
	}
	if params.Get("SignatureVersion") != "1.0" {
		return signedRequest{}, errSignatureVersion
	}
	cred, ok := keys[params.Get("AccessKeyId")]
	if !ok {
		return signedRequest{}, errAccessKeyNotFound
	}
	sts := acsv1.StringToSign(method, params)
	if !acsv1.Verify(sts, cred.secret, params.Get("Signature")) {
		return signedRequest{}, errSignatureMismatch(sts)
	}
	return signedRequest{
		cred:      cred,
		timestamp: params.Get("Timestamp"),
		nonce:     params.Get("SignatureNonce"),
		token:     params.Get("SecurityToken"),
		action:    params.Get("Action"),
		params:    params,
	}, nil
}

// signedRequest is what a good signature vouches for, whichever version
// signed it: the credential that signed and the values the checks after
// the signature look at.
type signedRequest struct {
	cred                    credential
	timestamp, nonce, token string
	action                  string
	// params are the parameters the handler gets: the query and form body,
	// which for v1 include the common parameters.
	params url.Values
}

// admit runs the checks that follow the signature, the same for both
// signature versions (acs3-and-lifecycle §1.7 "v1 and v3 share one
// gateway", §4): timestamp format and window (InvalidTimeStamp.Format,
// .Expired; see maxClockSkew), nonce unused (SignatureNonceUsed, api-spec
// §7.1 "reject reuse", keyed per AccessKeyId as §7.1's emulator choice
// says), STS token (api-spec §6.3), Version (p is nil for an unknown one:
// InvalidVersion, api-spec §7.1) and Action (InvalidAction.NotFound,
// api-spec §7.1); then, unless dryRun, the action's handler. The caller
// holds s.mu.
func (g *rpcGateway) admit(req signedRequest, p product[rpcHandler], requestID string, dryRun bool) (any, error) {
	now := g.s.now()
	ts, err := parseTimestamp(req.timestamp)
	if err != nil {
		return nil, errTimestampFormat
	}
	if d := now.Sub(ts); d > maxClockSkew || d < -maxClockSkew {
		return nil, errTimestampExpired
	}
	nonce := req.cred.id + "\x00" + req.nonce
	if dryRun && g.nonces.used(nonce, now) || !dryRun && !g.nonces.add(nonce, now) {
		return nil, errNonceUsed
	}
	if req.token != req.cred.token {
		if req.token == "" {
			return nil, errMissingSecurityToken
		}
		return nil, errTokenMismatch
	}
	if p == nil {
		return nil, errInvalidVersion
	}
	handler, ok := p.handler(req.action)
	if !ok {
		return nil, errActionNotFound
	}
	if dryRun {
		return nil, nil
	}
	g.s.recordCall(p.name(), req.action)
	return handler(&rpcRequest{
		Params:      req.params,
		Action:      req.action,
		AccessKeyID: req.cred.id,
		RequestID:   requestID,
		Now:         now,
	})
}

// parseTimestamp parses a Timestamp strictly. time.Parse alone would also
// accept fractional seconds after the seconds field, which the gateway
// rejects.
func parseTimestamp(v string) (time.Time, error) {
	if len(v) != len(timestampLayout) {
		return time.Time{}, errTimestampFormat
	}
	return time.Parse(timestampLayout, v)
}

// parseRPCParams merges the query string and, for form-encoded bodies, the
// body parameters, as the gateway does (api-spec §9 item 1 "accept params
// from both the query string and a form body"; acs3-and-lifecycle §4 "v1
// parameters may come in the query, the form body or both"). Query values come first when a key
// appears in both. Signature v1 reads the body only when it carries
// parameters.
func parseRPCParams(r *http.Request) (url.Values, error) {
	var body []byte
	if hasFormBody(r) {
		var err error
		if body, err = readRPCBody(r); err != nil {
			return nil, err
		}
	}
	return mergeRPCParams(r, body)
}

// hasFormBody reports whether r's body carries RPC parameters: a POST with
// a form-encoded body. Other bodies carry none and are ignored.
func hasFormBody(r *http.Request) bool {
	if r.Body == nil || r.Method != http.MethodPost {
		return false
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "application/x-www-form-urlencoded"
}

// readRPCBody reads r's body (with peekBody, so it stays readable) up to
// the gateway's limit.
func readRPCBody(r *http.Request) ([]byte, error) {
	body, err := peekBody(r, maxBodyBytes)
	if err != nil {
		return nil, errMalformedRequest
	}
	if len(body) > maxBodyBytes {
		return nil, errBodyTooLarge
	}
	return body, nil
}

// mergeRPCParams returns the query parameters and, if hasFormBody(r), those
// of body, which is r's body.
func mergeRPCParams(r *http.Request, body []byte) (url.Values, error) {
	params, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, errMalformedRequest
	}
	if !hasFormBody(r) {
		return params, nil
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, errMalformedRequest
	}
	for k, vs := range form {
		params[k] = append(params[k], vs...)
	}
	return params, nil
}

// rpcErrorBody is the gateway's error envelope, read by the SDK's
// errors.NewServerError.
type rpcErrorBody struct {
	RequestId string
	HostId    string
	Code      string
	Message   string
	Recommend string
}

func (*rpcGateway) writeOK(w http.ResponseWriter, requestID string, resp any) {
	writeJSON(w, http.StatusOK, requestID, resp)
}

func (*rpcGateway) writeError(w http.ResponseWriter, r *http.Request, requestID, product string, e *apiError) {
	q := url.Values{"q": {e.Code}, "requestId": {requestID}}
	if product != "" {
		q.Set("product", product)
	}
	writeJSON(w, e.Status, requestID, rpcErrorBody{
		RequestId: requestID,
		HostId:    r.Host,
		Code:      e.Code,
		Message:   e.Message,
		Recommend: "https://api.aliyun.com/troubleshoot?" + q.Encode(),
	})
}

func writeJSON(w http.ResponseWriter, status int, requestID string, body any) {
	data, err := json.Marshal(body)
	if err != nil {
		status = http.StatusInternalServerError
		data, _ = json.Marshal(rpcErrorBody{
			RequestId: requestID,
			Code:      errRPCInternal.Code,
			Message:   errRPCInternal.Message,
		})
	}
	h := w.Header()
	h.Set("Content-Type", "application/json;charset=utf-8")
	h.Set("X-Acs-Request-Id", requestID)
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// Canned fault answers.
var (
	errFaultThrottling  = errBadRequest("Throttling.User", "Request was denied due to user flow control.")
	errFaultUnavailable = newRPCError(http.StatusServiceUnavailable, "ServiceUnavailable",
		"The request has failed due to a temporary failure of the server.")
)

func (g *rpcGateway) writeFault(w http.ResponseWriter, r *http.Request, product string, kind FaultKind, body []byte) {
	requestID := g.newRequestID()
	switch kind {
	case FaultThrottle:
		g.writeError(w, r, requestID, product, errFaultThrottling)
	case FaultServerError:
		g.writeError(w, r, requestID, product, errFaultUnavailable)
	case FaultEcho:
		g.writeError(w, r, requestID, product,
			newRPCError(http.StatusServiceUnavailable, "ServiceUnavailable", echoRequest(r, body)))
	case FaultHTMLError:
		writeErrorPage(w, "Tengine")
	case FaultMalformed:
		w.Header().Set("X-Acs-Request-Id", requestID)
		writeTruncated(w, map[string]any{"RequestId": requestID, "Success": true})
	}
}

// nonceCache remembers SignatureNonce values per AccessKeyId. Entries expire
// after nonceTTL; expired ones are pruned in bulk at most once per minute of
// emulator time, or when the cache has doubled since the last prune, so
// memory stays bounded by the request rate over the TTL.
type nonceCache struct {
	seen      map[string]time.Time // key -> expiry
	lastPrune time.Time
	pruneAt   int // size that triggers an early prune
}

// add records key and reports whether it was new (or had expired).
func (c *nonceCache) add(key string, now time.Time) bool {
	if c.seen == nil {
		c.seen = make(map[string]time.Time)
		c.lastPrune = now
		c.pruneAt = 1024
	}
	if now.Sub(c.lastPrune) >= time.Minute || len(c.seen) >= c.pruneAt {
		c.prune(now)
	}
	if exp, ok := c.seen[key]; ok && now.Before(exp) {
		return false
	}
	c.seen[key] = now.Add(nonceTTL)
	return true
}

// used reports whether key was recorded and has not expired, without
// recording it.
func (c *nonceCache) used(key string, now time.Time) bool {
	exp, ok := c.seen[key]
	return ok && now.Before(exp)
}

func (c *nonceCache) prune(now time.Time) {
	for k, exp := range c.seen {
		if !now.Before(exp) {
			delete(c.seen, k)
		}
	}
	c.lastPrune = now
	c.pruneAt = max(1024, 2*len(c.seen))
}

// len reports the number of remembered nonces (for tests).
func (c *nonceCache) len() int { return len(c.seen) }
