package flowlogtest

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cloudflowlog/flowlog-go/internal/acsv1"
)

// This file implements the framing of Alibaba Cloud's RPC-style OpenAPI
// gateway, shared by every Alibaba product the emulator serves: parameter
// parsing, common-parameter checks, signature v1, timestamp window, nonce
// replay protection, STS tokens, dispatch by Version and Action, and the
// JSON envelopes.

// rpcHandler serves one action. It is called with s.mu held and must not
// block. It returns the success body (a struct or map marshalled to JSON;
// it must carry the request's RequestId) or an error; a *rpcError becomes a
// typed error response, any other error an InternalError.
type rpcHandler func(s *Server, req *rpcRequest) (any, error)

// rpcAPI is one product version served over the RPC protocol.
type rpcAPI struct {
	// Product is the product code, e.g. "Vpc" or "Cbn". It qualifies call
	// counts and appears in the Recommend link of errors.
	Product string
	// Version is the API version, e.g. "2016-04-28".
	Version string
	// Actions maps action names (case-sensitive, as the gateway treats them)
	// to handlers.
	Actions map[string]rpcHandler
}

// rpcRegistry holds every RPC product version the emulator knows, keyed by
// Version. Product files add themselves from init with registerRPCAPI; each
// NewServer takes a copy.
var rpcRegistry = map[string]*rpcAPI{}

// registerRPCAPI makes a product version available to all servers created
// afterwards. It must be called from an init function. Registering the same
// Version twice is a programming error and panics.
func registerRPCAPI(api *rpcAPI) {
	if _, dup := rpcRegistry[api.Version]; dup {
		panic("flowlogtest: RPC API version " + api.Version + " registered twice")
	}
	rpcRegistry[api.Version] = api
}

// rpcRequest is an authenticated RPC request as handlers see it.
type rpcRequest struct {
	// Params holds the merged query-string and form-body parameters.
	Params      url.Values
	Action      string
	Version     string
	Product     string
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

// rpcError is an error response. Status is the HTTP status: the Alibaba SDK
// decides success only from the status code (any 2xx is success, even with
// a Code in the body), so every error must be non-2xx to be seen as one.
type rpcError struct {
	Status  int
	Code    string
	Message string
	// Detail says which parameter or rule failed. It is only logged: many
	// real messages are generic ("The parameter invalid.") and the emulator
	// reproduces them verbatim, so the log is where a test author finds out
	// what exactly was wrong.
	Detail string
}

func (e *rpcError) Error() string { return e.Code + ": " + e.Message }

func newRPCError(status int, code, message string) *rpcError {
	return &rpcError{Status: status, Code: code, Message: message}
}

// errBadRequest is the common case: HTTP 400 with a code and message.
func errBadRequest(code, message string) *rpcError {
	return newRPCError(http.StatusBadRequest, code, message)
}

// errMissingCommonParameter is the gateway's answer for a missing common
// parameter; the message names the parameter.
func errMissingCommonParameter(name string) *rpcError {
	return errBadRequest("MissingParameter",
		`The input parameter "`+name+`" that is mandatory for processing this request is not supplied.`)
}

// Gateway-level error codes and messages (api-spec.md §6.3).
var (
	errAccessKeyNotFound = newRPCError(http.StatusNotFound, "InvalidAccessKeyId.NotFound",
		"Specified access key is not found.")
	errTimestampExpired = errBadRequest("InvalidTimeStamp.Expired",
		"Specified time stamp or date value is expired.")
	errTimestampFormat = errBadRequest("InvalidTimeStamp.Format",
		"Specified time stamp or date value is not well formatted.")
	errNonceUsed = errBadRequest("SignatureNonceUsed",
		"Specified signature nonce was used already.")
	errMissingSecurityToken = errBadRequest("MissingSecurityToken",
		"SecurityToken is mandatory for this action.")
	errTokenMismatch = errBadRequest("InvalidSecurityToken.MismatchWithAccessKey",
		"Specified SecurityToken mismatch with the AccessKey.")
	errInvalidVersion = errBadRequest("InvalidVersion",
		"Specified parameter Version is not valid.")
	errActionNotFound = newRPCError(http.StatusNotFound, "InvalidAction.NotFound",
		"Specified api is not found, please check your url and method.")
	errSignatureMethod = errBadRequest("InvalidSignatureMethod",
		"Specified signature method is not supported.")
	errSignatureVersion = errBadRequest("InvalidSignatureVersion",
		"Specified signature version is not supported.")
	errMalformedRequest = errBadRequest("InvalidParameter",
		"The request query string or form body is malformed.")
	errBodyTooLarge = newRPCError(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
		"The request body is too large.")
)

func errSignatureMismatch(stringToSign string) *rpcError {
	// The suffix lets the Alibaba SDK compare the server's string to sign
	// with its own and tell "wrong secret" from "SDK bug" in Recommend.
	return errBadRequest("SignatureDoesNotMatch",
		"Specified signature is not matched with our calculation. server string to sign is:"+stringToSign)
}

const (
	// timestampLayout is the only Timestamp format the gateway accepts:
	// ISO 8601 UTC without fractional seconds.
	timestampLayout = "2006-01-02T15:04:05Z"
	// maxClockSkew is how far a request's Timestamp may be from server time.
	maxClockSkew = 15 * time.Minute
	// nonceTTL is how long a SignatureNonce is remembered. It only has to
	// outlive the timestamp window: a replay after that is refused as
	// expired anyway.
	nonceTTL = 2 * maxClockSkew
	// maxBodyBytes caps the form body read from a request.
	maxBodyBytes = 1 << 20
)

// commonParams are the parameters every RPC request must carry, in the order
// their absence is reported. Format is optional (JSON is the default here).
var commonParams = []string{
	"Action", "Version", "AccessKeyId", "Signature", "SignatureMethod",
	"SignatureVersion", "SignatureNonce", "Timestamp",
}

// serveRPC handles one Alibaba RPC request.
//
// Checks run in the gateway's order: parseable request, common parameters
// present, known AccessKeyId, signature, timestamp, nonce, STS token,
// Version, Action. The nonce is recorded only once the signature and
// timestamp are good, so a forged or stale request cannot burn a nonce.
//
// Responses are always JSON, whatever Format says: the SDK always sends
// Format=JSON and the emulator does not implement the XML rendering.
func (s *Server) serveRPC(w http.ResponseWriter, r *http.Request) {
	requestID := newRequestID()
	call := s.handleRPC(r, requestID)
	if call.err != nil {
		var rerr *rpcError
		if !errors.As(call.err, &rerr) {
			s.cfg.logger.Error("flowlogtest: handler error", "error", call.err)
			rerr = newRPCError(http.StatusInternalServerError, "InternalError",
				"The request processing has failed due to some unknown error.")
		}
		s.cfg.logger.Debug("flowlogtest: rpc error", "request_id", requestID,
			"product", call.product, "action", call.action,
			"code", rerr.Code, "status", rerr.Status, "detail", rerr.Detail)
		writeRPCError(w, requestID, r.Host, call.product, rerr)
		return
	}
	s.cfg.logger.Debug("flowlogtest: rpc ok", "request_id", requestID,
		"product", call.product, "action", call.action)
	writeJSON(w, http.StatusOK, requestID, call.resp)
}

// rpcCall is the outcome of handleRPC.
type rpcCall struct {
	product, action string // as far as known, for logs and errors
	resp            any
	err             error
}

// handleRPC authenticates and dispatches a request.
func (s *Server) handleRPC(r *http.Request, requestID string) (call rpcCall) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		call.err = errActionNotFound
		return call
	}
	params, err := parseRPCParams(r)
	if err != nil {
		call.err = err
		return call
	}
	call.action = params.Get("Action")

	s.mu.Lock()
	defer s.mu.Unlock()
	api := s.rpcAPIs[params.Get("Version")]
	if api != nil {
		call.product = api.Product
	}
	call.resp, call.err = s.authorizeAndDispatch(r.Method, params, api, requestID, false)
	return call
}

// authorizeAndDispatch runs the gateway checks and the action handler. The
// caller holds s.mu. With dryRun (fault injection, faults.go) it only runs
// the checks and changes nothing: the nonce is looked up but not recorded,
// and a request that passes them returns (nil, nil) without reaching the
// handler or Calls.
func (s *Server) authorizeAndDispatch(method string, params url.Values, api *rpcAPI, requestID string, dryRun bool) (any, error) {
	for _, name := range commonParams {
		if params.Get(name) == "" {
			return nil, errMissingCommonParameter(name)
		}
	}
	if params.Get("SignatureMethod") != "HMAC-SHA1" {
		return nil, errSignatureMethod
	}
	if params.Get("SignatureVersion") != "1.0" {
		return nil, errSignatureVersion
	}
	now := s.now()
	akID := params.Get("AccessKeyId")
	cred, ok := s.cfg.credentials[akID]
	if !ok {
		return nil, errAccessKeyNotFound
	}
	sts := acsv1.StringToSign(method, params)
	if !acsv1.Verify(sts, cred.secret, params.Get("Signature")) {
		return nil, errSignatureMismatch(sts)
	}
	ts, err := parseTimestamp(params.Get("Timestamp"))
	if err != nil {
		return nil, errTimestampFormat
	}
	if d := now.Sub(ts); d > maxClockSkew || d < -maxClockSkew {
		return nil, errTimestampExpired
	}
	nonce := akID + "\x00" + params.Get("SignatureNonce")
	if dryRun && s.nonces.used(nonce, now) || !dryRun && !s.nonces.add(nonce, now) {
		return nil, errNonceUsed
	}
	if token := params.Get("SecurityToken"); token != cred.token {
		if token == "" {
			return nil, errMissingSecurityToken
		}
		return nil, errTokenMismatch
	}
	if api == nil {
		return nil, errInvalidVersion
	}
	action := params.Get("Action")
	handler, ok := api.Actions[action]
	if !ok {
		return nil, errActionNotFound
	}
	if dryRun {
		return nil, nil
	}
	s.recordCall(api.Product, action)
	return handler(s, &rpcRequest{
		Params:      params,
		Action:      action,
		Version:     api.Version,
		Product:     api.Product,
		AccessKeyID: akID,
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
// body parameters, as the gateway does. Query values come first when a key
// appears in both.
func parseRPCParams(r *http.Request) (url.Values, error) {
	params, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, errMalformedRequest
	}
	if r.Body == nil || r.Method != http.MethodPost {
		return params, nil
	}
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return params, nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/x-www-form-urlencoded" {
		// Other bodies carry no RPC parameters; ignore them.
		return params, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return nil, errMalformedRequest
	}
	if len(body) > maxBodyBytes {
		return nil, errBodyTooLarge
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

func writeRPCError(w http.ResponseWriter, requestID, host, product string, e *rpcError) {
	q := url.Values{"q": {e.Code}, "requestId": {requestID}}
	if product != "" {
		q.Set("product", product)
	}
	writeJSON(w, e.Status, requestID, rpcErrorBody{
		RequestId: requestID,
		HostId:    host,
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
			Code:      "InternalError",
			Message:   "The request processing has failed due to some unknown error.",
		})
	}
	h := w.Header()
	h.Set("Content-Type", "application/json;charset=utf-8")
	h.Set("X-Acs-Request-Id", requestID)
	w.WriteHeader(status)
	_, _ = w.Write(data)
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

// ---- parameter helpers shared by the Alibaba products ----------------------

// Tag is a resource tag.
type Tag struct {
	Key   string
	Value string
}

// SLS destination names, shared by every product that delivers to SLS.
var (
	slsProjectPattern  = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$`)
	slsLogStorePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$`)
)

// invalidFunc builds a product's "invalid parameter" error for param from
// a detail that says which rule failed.
type invalidFunc func(param, detail string) *rpcError

// checkSLSNames validates the SLS destination ProjectName and LogStoreName.
func checkSLSNames(project, logstore string, invalid invalidFunc) *rpcError {
	if !slsProjectPattern.MatchString(project) {
		return invalid("ProjectName", "ProjectName must be 3..63 of [a-z0-9-], starting and ending with [a-z0-9]")
	}
	if !slsLogStorePattern.MatchString(logstore) {
		return invalid("LogStoreName", "LogStoreName must be 3..63 of [a-z0-9_-], starting and ending with [a-z0-9]")
	}
	return nil
}

// checkTextParam validates a name or description parameter if it was sent:
// 1..maxLen characters, not starting with http:// or https://.
func checkTextParam(req *rpcRequest, param string, maxLen int, invalid invalidFunc) *rpcError {
	if !req.Has(param) {
		return nil
	}
	v := req.Get(param)
	n := utf8.RuneCountInString(v)
	if n < 1 || n > maxLen {
		return invalid(param, param+" must be 1.."+strconv.Itoa(maxLen)+" characters")
	}
	if hasURLPrefix(v) {
		return invalid(param, param+" must not start with http:// or https://")
	}
	return nil
}

func hasURLPrefix(v string) bool {
	l := strings.ToLower(v)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// indexed collects repeated parameters "<prefix>.N<suffix>" (N = 1, 2, ...)
// into a map by N. Keys whose N is not a positive decimal integer are
// ignored, as the gateway ignores unknown parameters.
func indexed(params url.Values, prefix, suffix string) map[int]string {
	out := make(map[int]string)
	for k, vs := range params {
		rest, ok := strings.CutPrefix(k, prefix+".")
		if !ok {
			continue
		}
		rest, ok = strings.CutSuffix(rest, suffix)
		if !ok || rest == "" || len(rest) > 6 || strings.Trim(rest, "0123456789") != "" {
			continue
		}
		n, err := strconv.Atoi(rest)
		if err != nil || n < 1 || len(vs) == 0 {
			continue
		}
		out[n] = vs[0]
	}
	return out
}

func sortedKeys(m ...map[int]string) []int {
	seen := make(map[int]bool)
	var keys []int
	for _, mm := range m {
		for k := range mm {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Ints(keys)
	return keys
}

// parseTagParams reads "<prefix>.N.Key" / "<prefix>.N.Value" pairs and
// applies the rules common to Alibaba tags: at most 20 tags; key non-empty,
// at most maxKeyLen characters; value at most 128; neither starts with
// "aliyun" or "acs:" nor contains "http://" or "https://". Duplicate keys are
// rejected (emulator choice). Violations are reported with invalid, as of
// the parameter prefix.
func parseTagParams(params url.Values, prefix string, maxKeyLen int, invalid invalidFunc) ([]Tag, *rpcError) {
	keys := indexed(params, prefix, ".Key")
	values := indexed(params, prefix, ".Value")
	idx := sortedKeys(keys, values)
	if len(idx) > 20 {
		return nil, invalid(prefix, "more than 20 tags")
	}
	var tags []Tag
	seen := make(map[string]bool)
	for _, n := range idx {
		t := Tag{Key: keys[n], Value: values[n]}
		if t.Key == "" {
			return nil, invalid(prefix, "tag key must not be empty")
		}
		if seen[t.Key] {
			return nil, invalid(prefix, "duplicate tag key "+t.Key)
		}
		seen[t.Key] = true
		if utf8.RuneCountInString(t.Key) > maxKeyLen || utf8.RuneCountInString(t.Value) > 128 {
			return nil, invalid(prefix, "tag "+t.Key+" is too long")
		}
		for _, v := range []string{t.Key, t.Value} {
			l := strings.ToLower(v)
			if strings.HasPrefix(l, "aliyun") || strings.HasPrefix(l, "acs:") ||
				strings.Contains(l, "http://") || strings.Contains(l, "https://") {
				return nil, invalid(prefix, "invalid tag "+t.Key)
			}
		}
		tags = append(tags, t)
	}
	return tags, nil
}

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// randomAlnum returns n random lower-case alphanumerics, the alphabet of
// Alibaba resource ID suffixes.
func randomAlnum(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = idAlphabet[int(b[i])%len(idAlphabet)]
	}
	return string(b)
}
