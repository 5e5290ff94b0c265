package flowlogtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cloudflowlog/flowlog-go/internal/tc3"
)

// This file is the gateway of Tencent Cloud API 3.0, in front of Tencent
// Cloud VPC (tencent.go): POST with a JSON body, TC3-HMAC-SHA256 signature,
// X-TC-* headers, a rate limit per SecretId and action, and the
// {"Response":{...}} envelope, always HTTP 200.

// DefaultTencentRateLimit is the documented limit of the flow-log actions:
// 20 requests per second (per SecretId and action in the emulator).
const DefaultTencentRateLimit = 20

const (
	// tencentMaxSkew is how far X-TC-Timestamp may be from server time.
	tencentMaxSkew = 5 * time.Minute
	// tencentMaxBody is the documented body limit of a v3 POST.
	tencentMaxBody = 10 << 20
)

// WithTencentCredential accepts Tencent requests signed with this long-term
// SecretId/SecretKey pair. It may be given several times. If neither it nor
// WithTencentSTSCredential is given, the server accepts exactly one Tencent
// credential, DefaultTencentSecretID / DefaultTencentSecretKey; once any is
// given the default one is no longer accepted, so tests of
// AuthFailure.SecretIdNotFound stay meaningful. Tencent and Alibaba
// credentials are independent.
func WithTencentCredential(secretID, secretKey string) Option {
	return func(c *config) { c.tencentKeys.add(credential{id: secretID, secret: secretKey}) }
}

// WithTencentSTSCredential accepts Tencent requests signed with a temporary
// credential. Such requests must carry X-TC-Token equal to token; a missing
// or different token is rejected with AuthFailure.TokenFailure.
func WithTencentSTSCredential(secretID, secretKey, token string) Option {
	return func(c *config) { c.tencentKeys.add(credential{id: secretID, secret: secretKey, token: token}) }
}

// WithTencentRateLimit sets how many requests one SecretId may make to one
// Tencent action within one second of the server clock (default
// DefaultTencentRateLimit, the documented 20/s). Further requests in that
// second fail with RequestLimitExceeded, which the Tencent SDK can retry. Zero
// or less disables the limit. With WithClock and a frozen clock every request
// falls into the same second, which makes throttling tests deterministic.
func WithTencentRateLimit(perSecond int) Option {
	return func(c *config) { c.tencentRateLimit = perSecond }
}

// tcHandler serves one action of a Tencent product. It returns the success
// body (which must carry the request's RequestId) or an error; an *apiError
// becomes a typed answer, any other error an InternalError.
type tcHandler func(req *tcRequest) (any, error)

// tcRequest is an authenticated request as handlers see it.
type tcRequest struct {
	Action    string
	Region    string
	SecretID  string
	RequestID string
	// Now is the emulator clock's time when the request was accepted.
	Now time.Time
	// Params are the body's top-level members.
	Params map[string]json.RawMessage
}

// tc3Product is a product behind the Tencent gateway.
type tc3Product interface {
	product[tcHandler]
	// service is the service of the product's credential scope and the
	// first label of its host, e.g. "vpc": the gateway finds the product
	// by it (see productFor).
	service() string
	// knownRegion reports whether the product serves region, the
	// X-TC-Region of a request.
	knownRegion(region string) bool
}

// tc3Gateway is the Tencent Cloud API 3.0 gateway.
type tc3Gateway struct {
	s        *Server
	keys     keyring
	products []tc3Product
	// rate counts requests per SecretId and action; s.mu guards it.
	rate map[tcRateKey]*tcRateWindow
}

type tcRateKey struct{ secretID, action string }

type tcRateWindow struct {
	second int64
	n      int
}

func newTC3Gateway(s *Server, products ...tc3Product) *tc3Gateway {
	return &tc3Gateway{
		s:        s,
		keys:     s.cfg.tencentKeys.orDefault(DefaultTencentSecretID, DefaultTencentSecretKey),
		products: products,
		rate:     make(map[tcRateKey]*tcRateWindow),
	}
}

// Gateway errors, with the messages real responses carry (api-spec.md §6.3).
var (
	errTCSignatureFailure = newTCError("AuthFailure.SignatureFailure",
		"The provided credentials could not be validated. Please check your signature is correct.")
	errTCSignatureExpire = newTCError("AuthFailure.SignatureExpire",
		"The signature is expired, please request again.")
	errTCSecretIDNotFound = newTCError("AuthFailure.SecretIdNotFound",
		"The SecretId is not found, please ensure that your SecretId is correct.")
	errTCTokenFailure = newTCError("AuthFailure.TokenFailure",
		"Token verification failed, please check if your Token is correct")
	errTCUnsupportedProtocol = newTCError("UnsupportedProtocol",
		"The emulator accepts only POST requests with a JSON body (API 3.0, TC3-HMAC-SHA256).")
	errTCBodyTooLarge = newTCError("RequestSizeLimitExceeded",
		"The request body exceeds the limit of 10 MB.")
	errTCBadBody = newTCError("InvalidParameter",
		"The request body is not a valid JSON object.")
	errTCInternal = newTCError("InternalError",
		"An internal error has occurred. Retry your request, but if the problem persists, contact us.")
)

// newTCError is a Tencent error, which is answered with HTTP 200.
func newTCError(code, message string) *apiError {
	return &apiError{Status: http.StatusOK, Code: code, Message: message}
}

func errTCInvalidAuthorization(reason string) *apiError {
	return newTCError("AuthFailure.InvalidAuthorization",
		"The request `Authorization` header does not conform to tencentcloud standards: "+reason+".")
}

func errTCNoSuchVersion(service, version string) *apiError {
	return newTCError("NoSuchVersion",
		"The specified api version=`"+version+"` does not exist in service=`"+service+"`.")
}

func errTCInvalidAction(service, action, version string) *apiError {
	return newTCError("InvalidAction", "The request action=`"+action+"` is invalid or not found in service=`"+
		service+"` and version=`"+version+"`.")
}

func errTCRequestLimit(n, limit int) *apiError {
	return newTCError("RequestLimitExceeded", fmt.Sprintf("Your current request times equals to `%d` in a second, "+
		"which exceeds the frequency limit `%d` for a second. Please reduce the frequency of calls.", n, limit))
}

func errTCMissing(param string) *apiError {
	return newTCError("MissingParameter", "The request is missing a required parameter `"+param+"`.")
}

func errTCInvalidHeader(header string) *apiError {
	return newTCError("InvalidParameterValue",
		"A value specified in `"+header+"` is not valid, is unsupported, or cannot be used.")
}

func errTCUnknownParameter(param string) *apiError {
	return newTCError("UnknownParameter", "The parameter `"+param+"` is not recognized.")
}

func errTCParameterType(param string) *apiError {
	return newTCError("InvalidParameter", "The value type of parameter `"+param+"` is invalid.")
}

func (*tc3Gateway) name() string             { return "tencent" }
func (*tc3Gateway) maxBody() int64           { return tencentMaxBody }
func (*tc3Gateway) newRequestID() string     { return strings.ToLower(randomUUID()) }
func (*tc3Gateway) internalError() *apiError { return errTCInternal }

// route reads the X-TC-Version and X-TC-Action headers.
func (g *tc3Gateway) route(r *http.Request) (string, string, bool) {
	if r.Method != http.MethodPost {
		return "", "", false
	}
	version, action := r.Header.Get("X-TC-Version"), r.Header.Get("X-TC-Action")
	for _, p := range g.products {
		if _, ok := p.handler(action); ok && p.version() == version {
			return p.name(), action, true
		}
	}
	return "", "", false
}

// tc3Input is what the gateway reads of a request before it looks at the
// server's state.
type tc3Input struct {
	body    []byte
	ts      int64
	version string
	auth    tc3.Authorization
}

// handle authenticates and dispatches a request. Checks run in this order
// (emulator choice where the real order is unknown): method, body size,
// X-TC-Timestamp and X-TC-Version present, Authorization well-formed and
// for a known service, timestamp within 5 minutes, SecretId known,
// signature, STS token, version, action, rate limit, region, JSON body, then
// the action's own rules. A request is counted by Calls once it passes the
// rate limit; a dry run stops before it.
func (g *tc3Gateway) handle(r *http.Request, requestID string, dryRun bool) (c call) {
	c.action = r.Header.Get("X-TC-Action")
	in, err := readTC3(r)
	if err != nil {
		c.err = err
		return c
	}
	p, ok := g.productFor(r.Host, in)
	if !ok {
		c.err = errTCInvalidAuthorization("`Service` in Credential not valid")
		return c
	}
	c.product = p.name()

	g.s.mu.Lock()
	defer g.s.mu.Unlock()
	c.resp, c.err = g.authorizeAndDispatch(r, in, p, requestID, dryRun)
	return c
}

// productFor picks the product a request is for from the service of its
// credential scope and the host it was sent to. In the cloud the scope's
// service must be the one the host names: vpc.tencentcloudapi.com takes
// "vpc" only, and so does the emulator when the host names a product's
// service. An address that names none (an IP address such as the
// emulator's own 127.0.0.1:port, localhost, a one-label name such as a
// compose service's, a name whose first label is no product's service)
// leaves the scope free: some official SDKs derive the
// service from the endpoint's first label and sign "127" or "localhost",
// and such a request goes to the product whose service the scope names or,
// failing that, whose API version it asks for. Either way the signature is
// then checked over the scope the client signed, so only correctly signed
// requests get in.
func (g *tc3Gateway) productFor(host string, in tc3Input) (tc3Product, bool) {
	byService := func(service string) (tc3Product, bool) {
		i := slices.IndexFunc(g.products, func(p tc3Product) bool { return p.service() == service })
		if i < 0 {
			return nil, false
		}
		return g.products[i], true
	}
	if named, ok := byService(hostService(host)); ok {
		return named, in.auth.Service == named.service()
	}
	if p, ok := byService(in.auth.Service); ok {
		return p, true
	}
	i := slices.IndexFunc(g.products, func(p tc3Product) bool { return p.version() == in.version })
	if i < 0 {
		return nil, false
	}
	return g.products[i], true
}

// verifyTC3 checks in's signature over r with secret. The host header is
// taken as sent or, when it carries a port, without it: the official
// Node.js SDK signs the URL's host name alone, which is the Host header on
// the cloud's default port but not on the emulator's. The signature must
// still be right for one of the two.
func verifyTC3(r *http.Request, in tc3Input, secret string) bool {
	if tc3.Verify(r, in.body, in.auth, secret) {
		return true
	}
	name, _, err := net.SplitHostPort(r.Host)
	if err != nil {
		return false
	}
	bare := r.Clone(r.Context())
	bare.Host = name
	return tc3.Verify(bare, in.body, in.auth, secret)
}

// hostService returns the first label of a host name with several labels
// ("vpc" of vpc.tencentcloudapi.com:443), or "" for an IP address or a
// one-label name.
func hostService(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if net.ParseIP(host) != nil {
		return ""
	}
	label, _, dotted := strings.Cut(host, ".")
	if !dotted {
		return ""
	}
	return label
}

// readTC3 checks the method, the body size, the presence of X-TC-Timestamp
// and X-TC-Version and the form of Authorization.
func readTC3(r *http.Request) (tc3Input, error) {
	if r.Method != http.MethodPost {
		return tc3Input{}, errTCUnsupportedProtocol
	}
	body, err := peekBody(r, tencentMaxBody)
	if err != nil {
		return tc3Input{}, errTCBadBody
	}
	if len(body) > tencentMaxBody {
		return tc3Input{}, errTCBodyTooLarge
	}
	tsHeader := r.Header.Get(tc3.TimestampHeader)
	if tsHeader == "" {
		return tc3Input{}, errTCMissing("Timestamp")
	}
	version := r.Header.Get("X-TC-Version")
	if version == "" {
		return tc3Input{}, errTCMissing("Version")
	}
	ts, err := strconv.ParseInt(tsHeader, 10, 64)
	if err != nil {
		return tc3Input{}, errTCInvalidHeader(tc3.TimestampHeader)
	}
	authHeader := r.Header.Get("Authorization")
	if authHeader == "" {
		return tc3Input{}, errTCInvalidAuthorization("the header is missing")
	}
	auth, err := tc3.ParseAuthorization(authHeader)
	if err != nil {
		var pe *tc3.ParseError
		reason := err.Error()
		if errors.As(err, &pe) {
			reason = pe.Reason
		}
		return tc3Input{}, errTCInvalidAuthorization(reason)
	}
	return tc3Input{body: body, ts: ts, version: version, auth: auth}, nil
}

// authorizeAndDispatch runs the checks that need the server's state, then
// p's handler. The caller holds s.mu.
func (g *tc3Gateway) authorizeAndDispatch(r *http.Request, in tc3Input, p tc3Product, requestID string, dryRun bool) (any, error) {
	now := g.s.now()
	if d := now.Sub(time.Unix(in.ts, 0)); d > tencentMaxSkew || d < -tencentMaxSkew {
		return nil, errTCSignatureExpire
	}
	cred, ok := g.keys[in.auth.SecretID]
	if !ok {
		return nil, errTCSecretIDNotFound
	}
	// The credential date must be the UTC date of the timestamp: a client
	// that uses its local date fails only around midnight, as in the cloud.
	if in.auth.Date != tc3.Date(in.ts) || !verifyTC3(r, in, cred.secret) {
		return nil, errTCSignatureFailure
	}
	if r.Header.Get("X-TC-Token") != cred.token {
		return nil, errTCTokenFailure
	}
	if in.version != p.version() {
		return nil, errTCNoSuchVersion(p.service(), in.version)
	}
	action := r.Header.Get("X-TC-Action")
	handler, ok := p.handler(action)
	if !ok {
		return nil, errTCInvalidAction(p.service(), action, in.version)
	}
	if dryRun {
		return nil, nil
	}
	if limit := g.s.cfg.tencentRateLimit; limit > 0 {
		if n, ok := g.allow(in.auth.SecretID, action, now, limit); !ok {
			return nil, errTCRequestLimit(n, limit)
		}
	}
	g.s.recordCall(p.name(), action)
	region := r.Header.Get("X-TC-Region")
	if region == "" {
		return nil, errTCMissing("Region")
	}
	if !p.knownRegion(region) {
		return nil, errTCInvalidHeader("X-TC-Region")
	}
	params, err := parseTencentBody(in.body)
	if err != nil {
		return nil, err
	}
	return handler(&tcRequest{
		Action:    action,
		Region:    region,
		SecretID:  in.auth.SecretID,
		RequestID: requestID,
		Now:       now,
		Params:    params,
	})
}

// allow counts one request of secretID to action in the current second and
// reports the count and whether it is within limit. The caller holds s.mu.
func (g *tc3Gateway) allow(secretID, action string, now time.Time, limit int) (int, bool) {
	key := tcRateKey{secretID, action}
	w := g.rate[key]
	if w == nil {
		w = &tcRateWindow{}
		g.rate[key] = w
	}
	if sec := now.Unix(); w.second != sec {
		w.second, w.n = sec, 0
	}
	w.n++
	return w.n, w.n <= limit
}

// parseTencentBody parses the body as a JSON object. An empty body is an
// empty object (emulator choice).
func parseTencentBody(body []byte) (map[string]json.RawMessage, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return map[string]json.RawMessage{}, nil
	}
	if body[0] != '{' {
		return nil, errTCBadBody
	}
	var params map[string]json.RawMessage
	if err := json.Unmarshal(body, &params); err != nil {
		return nil, errTCBadBody
	}
	return params, nil
}

// decode fills dst, a pointer to a struct whose field names are the
// action's parameter names (case-sensitive, as the gateway treats them),
// from the request parameters. A parameter the struct lacks is
// UnknownParameter; a value of the wrong JSON type is InvalidParameter. JSON
// null counts as absent.
func (req *tcRequest) decode(dst any) *apiError {
	rv := reflect.ValueOf(dst).Elem()
	rt := rv.Type()
	for _, name := range slices.Sorted(maps.Keys(req.Params)) {
		f, ok := rt.FieldByName(name)
		if !ok || !f.IsExported() {
			return errTCUnknownParameter(name)
		}
		raw := bytes.TrimSpace(req.Params[name])
		if string(raw) == "null" {
			continue
		}
		if err := json.Unmarshal(raw, rv.FieldByIndex(f.Index).Addr().Interface()); err != nil {
			return errTCParameterType(name)
		}
	}
	return nil
}

type tcErrorBody struct {
	Error struct {
		Code    string
		Message string
	}
	RequestId string
}

func (*tc3Gateway) writeOK(w http.ResponseWriter, _ string, resp any) { writeTencentJSON(w, resp) }

func (*tc3Gateway) writeError(w http.ResponseWriter, _ *http.Request, requestID, _ string, e *apiError) {
	var b tcErrorBody
	b.Error.Code, b.Error.Message, b.RequestId = e.Code, e.Message, requestID
	writeTencentJSON(w, b)
}

func writeTencentJSON(w http.ResponseWriter, resp any) {
	data, err := json.Marshal(struct{ Response any }{resp})
	if err != nil {
		var b tcErrorBody
		b.Error.Code, b.Error.Message = errTCInternal.Code, errTCInternal.Message
		b.RequestId = strings.ToLower(randomUUID())
		data, _ = json.Marshal(struct{ Response any }{b})
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data)
}

func (g *tc3Gateway) writeFault(w http.ResponseWriter, r *http.Request, product string, kind FaultKind, body []byte) {
	requestID := g.newRequestID()
	switch kind {
	case FaultThrottle:
		limit := g.s.cfg.tencentRateLimit
		if limit <= 0 {
			limit = DefaultTencentRateLimit
		}
		g.writeError(w, r, requestID, product, errTCRequestLimit(limit+1, limit))
	case FaultServerError:
		g.writeError(w, r, requestID, product, errTCInternal)
	case FaultEcho:
		g.writeError(w, r, requestID, product, newTCError("InternalError", echoRequest(r, body)))
	case FaultHTMLError:
		writeErrorPage(w, "nginx")
	case FaultMalformed:
		writeTruncated(w, map[string]any{"Response": map[string]any{"RequestId": requestID}})
	}
}
