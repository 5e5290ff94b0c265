package flowlogtest

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cloudflowlog/flowlog-go/internal/tc3"
)

// This file implements the framing of Tencent Cloud API 3.0 (POST with a
// JSON body, TC3-HMAC-SHA256 signature, X-TC-* headers, the
// {"Response":{...}} envelope, always HTTP 200) and the flow-log actions of
// Tencent Cloud VPC, API version 2017-03-12: CreateFlowLog,
// DescribeFlowLogs, DeleteFlowLog, EnableFlowLogs and DisableFlowLogs.
// Validation rules and codes follow api-spec.md §4-§6; where the
// documentation is silent the choice is marked "emulator choice".

// TencentVPCVersion is the API version of Tencent Cloud VPC.
const TencentVPCVersion = "2017-03-12"

// TencentTimeLayout is the format of FlowLog.CreatedTime. Like the real API,
// the emulator reports it in Beijing time (UTC+8), without a zone.
const TencentTimeLayout = "2006-01-02 15:04:05"

// DefaultTencentRateLimit is the documented limit of the flow-log actions:
// 20 requests per second (per SecretId and action in the emulator).
const DefaultTencentRateLimit = 20

// DefaultTencentFlowLogQuota is the per-region Tencent flow log quota when
// WithTencentFlowLogQuota is not given, far above anything a test creates.
const DefaultTencentFlowLogQuota = 100000

// Tencent CloudLogState values reported by DescribeFlowLogs.
const (
	TencentCloudLogStateSuccess = "SUCCESS"
	TencentCloudLogStateDeleted = "DELETED"
)

const (
	tencentService = "vpc"
	// tencentMaxSkew is how far X-TC-Timestamp may be from server time.
	tencentMaxSkew = 5 * time.Minute
	// tencentMaxBody is the documented body limit of a v3 POST.
	tencentMaxBody = 10 << 20
	// tencentMaxFlowLogIDs caps FlowLogIds of Enable/DisableFlowLogs. The
	// real cap is undocumented (emulator choice).
	tencentMaxFlowLogIDs = 100
	// createPendingTime is what the create response shows as CreatedTime.
	createPendingTime = "0000-00-00 00:00:00"
)

// beijing is the zone of the times the API reports.
var beijing = time.FixedZone("UTC+8", 8*60*60)

// ---- configuration ---------------------------------------------------------

type tencentConfig struct {
	credentials  map[string]credential
	rateLimit    int
	flowLogQuota int
}

func defaultTencentConfig() tencentConfig {
	return tencentConfig{rateLimit: DefaultTencentRateLimit, flowLogQuota: DefaultTencentFlowLogQuota}
}

func (c *tencentConfig) addCredential(cr credential) {
	if c.credentials == nil {
		c.credentials = make(map[string]credential)
	}
	c.credentials[cr.id] = cr
}

// WithTencentCredential accepts Tencent requests signed with this long-term
// SecretId/SecretKey pair. It may be given several times. If neither it nor
// WithTencentSTSCredential is given, the server accepts exactly one Tencent
// credential, DefaultTencentSecretID / DefaultTencentSecretKey; once any is
// given the default one is no longer accepted, so tests of
// AuthFailure.SecretIdNotFound stay meaningful. Tencent and Alibaba
// credentials are independent.
func WithTencentCredential(secretID, secretKey string) Option {
	return func(c *config) { c.tc.addCredential(credential{id: secretID, secret: secretKey}) }
}

// WithTencentSTSCredential accepts Tencent requests signed with a temporary
// credential. Such requests must carry X-TC-Token equal to token; a missing
// or different token is rejected with AuthFailure.TokenFailure.
func WithTencentSTSCredential(secretID, secretKey, token string) Option {
	return func(c *config) { c.tc.addCredential(credential{id: secretID, secret: secretKey, token: token}) }
}

// WithTencentRateLimit sets how many requests one SecretId may make to one
// Tencent action within one second of the server clock (default
// DefaultTencentRateLimit, the documented 20/s). Further requests in that
// second fail with RequestLimitExceeded, which the Tencent SDK can retry. Zero
// or less disables the limit. With WithClock and a frozen clock every request
// falls into the same second, which makes throttling tests deterministic.
func WithTencentRateLimit(perSecond int) Option {
	return func(c *config) { c.tc.rateLimit = perSecond }
}

// WithTencentFlowLogQuota sets how many Tencent flow logs one region may
// hold; creating one more fails with LimitExceeded. Default
// DefaultTencentFlowLogQuota; zero or less makes every create fail that way.
func WithTencentFlowLogQuota(n int) Option {
	return func(c *config) { c.tc.flowLogQuota = n }
}

// ---- state -------------------------------------------------------------------

// TencentFlowLog is a snapshot of one emulated Tencent flow log, as returned
// by Server.TencentFlowLogs. CloudLogState is what DescribeFlowLogs would
// report at the time of the snapshot.
type TencentFlowLog struct {
	FlowLogID    string
	FlowLogName  string
	Description  string
	Region       string // the region the flow log was created in
	VPCID        string // "" for CCN flow logs
	ResourceType string // VPC | SUBNET | NETWORKINTERFACE | CCN | NAT | DCG
	ResourceID   string
	TrafficType  string // ACCEPT | REJECT | ALL
	StorageType  string // cls | ckafka
	// CloudLogID is the CLS topic (cls only); CloudLogRegion is the region
	// of the storage (CLS topic or CKafka instance).
	CloudLogID     string
	CloudLogRegion string
	// StorageID and StorageTopic are the CKafka instance and topic (ckafka
	// only).
	StorageID    string
	StorageTopic string
	// Period is the aggregation period in seconds of a CCN flow log (60,
	// 300 or 600), 0 for other resource types.
	Period      int
	Tags        []Tag
	Enabled     bool
	CreatedTime time.Time

	CloudLogState string // SUCCESS | DELETED
}

type tcResource struct {
	region string // "" for global resources (CCN)
	vpcID  string // the VPC itself, or the parent VPC
}

type tcFlowLog struct {
	TencentFlowLog
	seq int // creation order, the tie-breaker of every sort
}

type tcRateKey struct{ secretID, action string }

type tcRateWindow struct {
	second int64
	n      int
}

type tencentState struct {
	regions   map[string]bool // seeded regions, in addition to tencentRegions
	resources map[string]map[string]tcResource
	// cls maps region -> topic ID -> deleted.
	cls map[string]map[string]bool
	// ckafka maps region -> instance -> topic set.
	ckafka   map[string]map[string]map[string]bool
	flowLogs []*tcFlowLog // creation order
	byID     map[string]*tcFlowLog
	rate     map[tcRateKey]*tcRateWindow
	seq      int
}

func newTencentState() tencentState {
	st := tencentState{
		regions:   make(map[string]bool),
		resources: make(map[string]map[string]tcResource),
		cls:       make(map[string]map[string]bool),
		ckafka:    make(map[string]map[string]map[string]bool),
		byID:      make(map[string]*tcFlowLog),
		rate:      make(map[tcRateKey]*tcRateWindow),
	}
	for _, typ := range tencentResourceTypes {
		st.resources[typ] = make(map[string]tcResource)
	}
	return st
}

// tencentRegions are the real region IDs the emulator accepts without
// seeding (requests to them simply find no resources). Others must be added
// with AddTencentRegion or by seeding a resource in them.
var tencentRegions = []string{
	"ap-guangzhou", "ap-shanghai", "ap-nanjing", "ap-beijing", "ap-chengdu",
	"ap-chongqing", "ap-hongkong", "ap-singapore", "ap-jakarta", "ap-seoul",
	"ap-tokyo", "ap-bangkok", "ap-mumbai", "na-siliconvalley", "na-ashburn",
	"eu-frankfurt", "sa-saopaulo", "ap-shanghai-fsi", "ap-shenzhen-fsi",
	"ap-beijing-fsi", "ap-taipei", "ap-qingyuan",
}

func (st *tencentState) knownRegion(region string) bool {
	return st.regions[region] || slices.Contains(tencentRegions, region)
}

// cloudLogState computes what DescribeFlowLogs reports as CloudLogState: a
// CLS flow log whose topic was deleted (DeleteCLSTopic) is DELETED. CKafka
// flow logs report SUCCESS (emulator choice: the state of CKafka delivery is
// undocumented).
func (st *tencentState) cloudLogState(fl *tcFlowLog) string {
	if fl.StorageType == "cls" {
		if deleted, ok := st.cls[fl.CloudLogRegion][fl.CloudLogID]; !ok || deleted {
			return TencentCloudLogStateDeleted
		}
	}
	return TencentCloudLogStateSuccess
}

func (st *tencentState) snapshot(fl *tcFlowLog) TencentFlowLog {
	v := fl.TencentFlowLog
	v.Tags = slices.Clone(fl.Tags)
	v.CloudLogState = st.cloudLogState(fl)
	return v
}

// allow counts one request of secretID to action in the current second and
// reports the count and whether it is within limit.
func (st *tencentState) allow(secretID, action string, now time.Time, limit int) (int, bool) {
	key := tcRateKey{secretID, action}
	w := st.rate[key]
	if w == nil {
		w = &tcRateWindow{}
		st.rate[key] = w
	}
	if sec := now.Unix(); w.second != sec {
		w.second, w.n = sec, 0
	}
	w.n++
	return w.n, w.n <= limit
}

// ---- errors --------------------------------------------------------------------

// tcError is an error answer. Tencent answers every error with HTTP 200 and
// the error inside Response: the SDK turns any other status into a
// ClientError.HttpStatusCodeError and loses the code.
type tcError struct {
	Code    string
	Message string
	// Detail is only logged, like rpcError.Detail.
	Detail string
}

func (e *tcError) Error() string { return e.Code + ": " + e.Message }

func newTCError(code, message string) *tcError { return &tcError{Code: code, Message: message} }

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

func errTCInvalidAuthorization(reason string) *tcError {
	return newTCError("AuthFailure.InvalidAuthorization",
		"The request `Authorization` header does not conform to tencentcloud standards: "+reason+".")
}

func errTCNoSuchVersion(version string) *tcError {
	return newTCError("NoSuchVersion",
		"The specified api version=`"+version+"` does not exist in service=`"+tencentService+"`.")
}

func errTCInvalidAction(action, version string) *tcError {
	return newTCError("InvalidAction", "The request action=`"+action+"` is invalid or not found in service=`"+
		tencentService+"` and version=`"+version+"`.")
}

func errTCRequestLimit(n, limit int) *tcError {
	return newTCError("RequestLimitExceeded", fmt.Sprintf("Your current request times equals to `%d` in a second, "+
		"which exceeds the frequency limit `%d` for a second. Please reduce the frequency of calls.", n, limit))
}

func errTCMissing(param string) *tcError {
	return newTCError("MissingParameter", "The request is missing a required parameter `"+param+"`.")
}

func errTCInvalidHeader(header string) *tcError {
	return newTCError("InvalidParameterValue",
		"A value specified in `"+header+"` is not valid, is unsupported, or cannot be used.")
}

func errTCUnknownParameter(param string) *tcError {
	return newTCError("UnknownParameter", "The parameter `"+param+"` is not recognized.")
}

func errTCParameterType(param string) *tcError {
	return newTCError("InvalidParameter", "The value type of parameter `"+param+"` is invalid.")
}

// The flow-log business errors. The codes are the documented ones; messages
// start with the documented description and name the parameter, so a test
// author sees what was wrong.
func errTCEmpty(param string) *tcError {
	return newTCError("InvalidParameterValue.Empty", "Missing parameters: `"+param+"` must not be empty.")
}

func errTCRange(param, value, rule string) *tcError {
	return newTCError("InvalidParameterValue.Range", "The parameter value is not in the specified range: `"+
		param+"`=`"+value+"` "+rule+".")
}

func errTCTooLong(param string, maxLen int) *tcError {
	return newTCError("InvalidParameterValue.TooLong", fmt.Sprintf(
		"The parameter value is too long: `%s` must be at most %d characters.", param, maxLen))
}

func errTCMalformed(param, value string) *tcError {
	return newTCError("InvalidParameterValue.Malformed",
		"Invalid input parameter format: the value `"+value+"` of `"+param+"` is malformed.")
}

func errTCNotFound(what, id string) *tcError {
	return newTCError("ResourceNotFound", "The resource does not exist: "+what+" `"+id+"` not found.")
}

var (
	errTCFlowLogExists = newTCError("UnsupportedOperation.FlowLogInstanceExisted",
		"There is already a flow log created for the specified ResourceId.")
	errTCQuota = newTCError("LimitExceeded", "Quota limit is reached.")
	// errTCVpcIDNotNeeded is documented for ModifyFlowLogAttribute; the
	// emulator uses it wherever VpcId is given for a CCN flow log.
	errTCVpcIDNotNeeded = newTCError("InvalidParameterValue.VpcIdNotNeededForFlowLog",
		"VpcId is not needed for a CCN flow log.")
	errTCFiltersCoexist = newTCError("InvalidParameter.Coexist",
		"The parameters `Filters` and `FlowLogId` cannot be specified at the same time.")
	errTCFilterNotDict = newTCError("InvalidParameter.FilterNotDict",
		"The filter `Filters` is not a dict of Name and Values.")
	errTCFilterValuesNotList = newTCError("InvalidParameter.FilterValuesNotList",
		"The filter values of `Filters.Values` are not a list of strings.")
	errTCTooManyIDs = newTCError("InvalidParameterValue.LimitExceeded",
		fmt.Sprintf("The parameter value exceeds the limit: at most %d `FlowLogIds`.", tencentMaxFlowLogIDs))
)

func errTCFilterInvalidKey(name string) *tcError {
	return newTCError("InvalidParameter.FilterInvalidKey",
		"The filter key `"+name+"` does not exist; valid keys are tag-key and tag:<key>.")
}

// ---- framing -------------------------------------------------------------------

// tcHandler serves one action. It is called with s.mu held and must not
// block. It returns the success body (which must carry the request's
// RequestId) or an error; a *tcError becomes a typed answer, any other error
// an InternalError.
type tcHandler func(s *Server, req *tcRequest) (any, error)

// tencentActions are the actions of VPC 2017-03-12 the emulator serves.
var tencentActions = map[string]tcHandler{
	"CreateFlowLog":    (*Server).tcCreateFlowLog,
	"DescribeFlowLogs": (*Server).tcDescribeFlowLogs,
	"DeleteFlowLog":    (*Server).tcDeleteFlowLog,
	"EnableFlowLogs":   (*Server).tcEnableFlowLogs,
	"DisableFlowLogs":  (*Server).tcDisableFlowLogs,
}

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

func init() {
	serverHooks = append(serverHooks, (*Server).initTencent)
}

// initTencent sets up the Tencent state, the default credential and the
// default Tencent fixture. It runs inside NewServer before serving.
func (s *Server) initTencent() {
	s.tc = newTencentState()
	if len(s.cfg.tc.credentials) == 0 {
		s.cfg.tc.addCredential(credential{id: DefaultTencentSecretID, secret: DefaultTencentSecretKey})
	}
	if !s.cfg.noDefaultFixture {
		s.seedDefaultTencentFixture()
	}
}

// serveTencent handles one Tencent Cloud API 3.0 request. Every answer,
// including a bug in the emulator, is HTTP 200 with a JSON envelope: the
// Tencent SDK reads anything else as a transport failure.
func (s *Server) serveTencent(w http.ResponseWriter, r *http.Request) {
	requestID := strings.ToLower(newRequestID())
	action := r.Header.Get("X-TC-Action")
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.cfg.logger.Error("flowlogtest: tencent handler panic", "panic", fmt.Sprint(v), "action", action)
			writeTencentError(w, requestID, errTCInternal)
		}
	}()
	resp, err := s.handleTencent(r, requestID, false)
	if err != nil {
		var terr *tcError
		if !errors.As(err, &terr) {
			s.cfg.logger.Error("flowlogtest: tencent handler error", "error", err)
			terr = errTCInternal
		}
		s.cfg.logger.Debug("flowlogtest: tencent error", "request_id", requestID, "action", action,
			"code", terr.Code, "detail", terr.Detail)
		writeTencentError(w, requestID, terr)
		return
	}
	s.cfg.logger.Debug("flowlogtest: tencent ok", "request_id", requestID, "action", action)
	writeTencentJSON(w, resp)
}

// handleTencent authenticates and dispatches a request. Checks run in this
// order (emulator choice where the real order is unknown): method, body
// size, X-TC-Timestamp and X-TC-Version present, Authorization well-formed
// and for service vpc, timestamp within 5 minutes, SecretId known, signature,
// STS token, version, action, rate limit, region, JSON body, then the
// action's own rules. A request is counted by Calls once it passes the rate
// limit. With dryRun (fault injection, faults.go) it stops before the rate
// limit, changes nothing and returns (nil, nil) for a request that passed.
func (s *Server) handleTencent(r *http.Request, requestID string, dryRun bool) (any, error) {
	if r.Method != http.MethodPost {
		return nil, errTCUnsupportedProtocol
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, tencentMaxBody+1))
	if err != nil {
		return nil, errTCBadBody
	}
	if len(body) > tencentMaxBody {
		return nil, errTCBodyTooLarge
	}
	tsHeader := r.Header.Get(tc3.TimestampHeader)
	if tsHeader == "" {
		return nil, errTCMissing("Timestamp")
	}
	version := r.Header.Get("X-TC-Version")
	if version == "" {
		return nil, errTCMissing("Version")
	}
	ts, err := strconv.ParseInt(tsHeader, 10, 64)
	if err != nil {
		return nil, errTCInvalidHeader(tc3.TimestampHeader)
	}
	authHeader := r.Header.Get("Authorization")
	if authHeader == "" {
		return nil, errTCInvalidAuthorization("the header is missing")
	}
	auth, err := tc3.ParseAuthorization(authHeader)
	if err != nil {
		var pe *tc3.ParseError
		reason := err.Error()
		if errors.As(err, &pe) {
			reason = pe.Reason
		}
		return nil, errTCInvalidAuthorization(reason)
	}
	if auth.Service != tencentService {
		return nil, errTCInvalidAuthorization("`Service` in Credential not valid")
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if d := now.Sub(time.Unix(ts, 0)); d > tencentMaxSkew || d < -tencentMaxSkew {
		return nil, errTCSignatureExpire
	}
	cred, ok := s.cfg.tc.credentials[auth.SecretID]
	if !ok {
		return nil, errTCSecretIDNotFound
	}
	// The credential date must be the UTC date of the timestamp: a client
	// that uses its local date fails only around midnight, as in the cloud.
	if auth.Date != tc3.Date(ts) || !tc3.Verify(r, body, auth, cred.secret) {
		return nil, errTCSignatureFailure
	}
	if r.Header.Get("X-TC-Token") != cred.token {
		return nil, errTCTokenFailure
	}
	if version != TencentVPCVersion {
		return nil, errTCNoSuchVersion(version)
	}
	action := r.Header.Get("X-TC-Action")
	handler, ok := tencentActions[action]
	if !ok {
		return nil, errTCInvalidAction(action, version)
	}
	if dryRun {
		return nil, nil
	}
	if limit := s.cfg.tc.rateLimit; limit > 0 {
		if n, ok := s.tc.allow(auth.SecretID, action, now, limit); !ok {
			return nil, errTCRequestLimit(n, limit)
		}
	}
	s.recordCall("Tencent", action)
	region := r.Header.Get("X-TC-Region")
	if region == "" {
		return nil, errTCMissing("Region")
	}
	if !s.tc.knownRegion(region) {
		return nil, errTCInvalidHeader("X-TC-Region")
	}
	params, terr := parseTencentBody(body)
	if terr != nil {
		return nil, terr
	}
	return handler(s, &tcRequest{
		Action:    action,
		Region:    region,
		SecretID:  auth.SecretID,
		RequestID: requestID,
		Now:       now,
		Params:    params,
	})
}

// parseTencentBody parses the body as a JSON object. An empty body is an
// empty object (emulator choice).
func parseTencentBody(body []byte) (map[string]json.RawMessage, *tcError) {
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
func (req *tcRequest) decode(dst any) *tcError {
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

func writeTencentError(w http.ResponseWriter, requestID string, e *tcError) {
	var b tcErrorBody
	b.Error.Code, b.Error.Message, b.RequestId = e.Code, e.Message, requestID
	writeTencentJSON(w, b)
}

func writeTencentJSON(w http.ResponseWriter, resp any) {
	data, err := json.Marshal(struct{ Response any }{resp})
	if err != nil {
		var b tcErrorBody
		b.Error.Code, b.Error.Message = errTCInternal.Code, errTCInternal.Message
		b.RequestId = strings.ToLower(newRequestID())
		data, _ = json.Marshal(struct{ Response any }{b})
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data)
}

// ---- parameter rules -----------------------------------------------------------

// tencentResourceTypes maps ResourceType to the prefix of its IDs.
var tencentResourcePrefixes = map[string]string{
	"VPC":              "vpc",
	"SUBNET":           "subnet",
	"NETWORKINTERFACE": "eni",
	"CCN":              "ccn",
	"NAT":              "nat",
	"DCG":              "dcg",
}

// tencentResourceTypes lists the ResourceType values in documented order.
var tencentResourceTypes = []string{"VPC", "SUBNET", "NETWORKINTERFACE", "CCN", "NAT", "DCG"}

var (
	tencentTrafficTypes   = []string{"ACCEPT", "REJECT", "ALL"}
	tencentStorageTypes   = []string{"cls", "ckafka"}
	tencentCCNPeriods     = []int64{60, 300, 600}
	tencentCloudLogStates = []string{TencentCloudLogStateSuccess, TencentCloudLogStateDeleted}
)

const (
	tencentMaxNameLen        = 60
	tencentMaxDescriptionLen = 512
	tencentMaxTags           = 50
	tencentMaxTagKeyLen      = 127
	tencentMaxTagValueLen    = 255
	tencentDefaultCCNPeriod  = 600
)

func isLowerAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// validTencentID reports whether id is prefix + "-" + 8 lower-case
// alphanumerics, the shape of every Tencent VPC resource ID.
func validTencentID(prefix, id string) bool {
	rest, ok := strings.CutPrefix(id, prefix+"-")
	return ok && len(rest) == 8 && isLowerAlnum(rest)
}

// validUUID reports whether id is a lower-case UUID, the shape of CLS topic
// IDs.
func validUUID(id string) bool {
	if len(id) != 36 {
		return false
	}
	for i := 0; i < len(id); i++ {
		switch i {
		case 8, 13, 18, 23:
			if id[i] != '-' {
				return false
			}
		default:
			if c := id[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
				return false
			}
		}
	}
	return true
}

func runeLen(s string) int { return len([]rune(s)) }

// requiredString applies the rule for required string parameters: absent is
// MissingParameter, empty is InvalidParameterValue.Empty.
func requiredString(name string, v *string) (string, *tcError) {
	if v == nil {
		return "", errTCMissing(name)
	}
	if *v == "" {
		return "", errTCEmpty(name)
	}
	return *v, nil
}

func deref(v *string) string {
	if v == nil {
		return ""
	}
	return *v
}

func oneOf(param, value string, allowed []string) *tcError {
	if slices.Contains(allowed, value) {
		return nil
	}
	return errTCRange(param, value, "must be one of "+strings.Join(allowed, ", "))
}

type tcTagParam struct {
	Key   *string
	Value *string
}

// parseTencentTags applies Tencent's tag rules (emulator choice where the
// flow-log docs are silent; the limits are the Tag service's): at most 50
// tags; key 1..127 characters, not starting with the reserved prefixes
// qcloud, tencent or project; value at most 255 characters; keys unique.
func parseTencentTags(in []tcTagParam) ([]Tag, *tcError) {
	if len(in) > tencentMaxTags {
		return nil, newTCError("LimitExceeded.TagKeyPerResourceExceeded", fmt.Sprintf(
			"Reached the upper limit of tags keys per resource: at most %d tags.", tencentMaxTags))
	}
	tags := make([]Tag, 0, len(in))
	seen := make(map[string]bool, len(in))
	for _, p := range in {
		t := Tag{Key: deref(p.Key), Value: deref(p.Value)}
		switch {
		case t.Key == "":
			return nil, newTCError("InvalidParameterValue.TagInvalidKey", "Invalid tag key: the key must not be empty.")
		case runeLen(t.Key) > tencentMaxTagKeyLen:
			return nil, newTCError("InvalidParameterValue.TagInvalidKeyLen", fmt.Sprintf(
				"Invalid tag key length: `%s` is longer than %d characters.", t.Key, tencentMaxTagKeyLen))
		case hasReservedTagPrefix(t.Key):
			return nil, newTCError("UnsupportedOperation.TagSystemReservedTagKey",
				"The specified tag key `"+t.Key+"` is reserved for system usage.")
		case seen[t.Key]:
			return nil, newTCError("InvalidParameterValue.TagDuplicateKey", "Duplicate tag keys: `"+t.Key+"`.")
		case runeLen(t.Value) > tencentMaxTagValueLen:
			return nil, newTCError("InvalidParameterValue.TagInvalidVal", fmt.Sprintf(
				"Invalid tag value: the value of `%s` is longer than %d characters.", t.Key, tencentMaxTagValueLen))
		}
		seen[t.Key] = true
		tags = append(tags, t)
	}
	return tags, nil
}

func hasReservedTagPrefix(key string) bool {
	l := strings.ToLower(key)
	return strings.HasPrefix(l, "qcloud") || strings.HasPrefix(l, "tencent") || strings.HasPrefix(l, "project")
}

// ---- JSON shapes ---------------------------------------------------------------

type tcTagJSON struct {
	Key   string
	Value string
}

type tcStorageJSON struct {
	StorageId    string
	StorageTopic string
}

// tcFlowLogJSON is the FlowLog object, shaped like the SDK's
// v20170312.FlowLog. Period is only present for CCN flow logs.
type tcFlowLogJSON struct {
	VpcId              string
	FlowLogId          string
	FlowLogName        string
	ResourceType       string
	ResourceId         string
	TrafficType        string
	CloudLogId         string
	CloudLogState      string
	FlowLogDescription string
	CreatedTime        string
	TagSet             []tcTagJSON
	Enable             bool
	StorageType        string
	FlowLogStorage     tcStorageJSON
	CloudLogRegion     string
	Period             int `json:",omitempty"`
}

func tcToJSON(v TencentFlowLog) tcFlowLogJSON {
	j := tcFlowLogJSON{
		VpcId:              v.VPCID,
		FlowLogId:          v.FlowLogID,
		FlowLogName:        v.FlowLogName,
		ResourceType:       v.ResourceType,
		ResourceId:         v.ResourceID,
		TrafficType:        v.TrafficType,
		CloudLogId:         v.CloudLogID,
		CloudLogState:      v.CloudLogState,
		FlowLogDescription: v.Description,
		CreatedTime:        v.CreatedTime.In(beijing).Format(TencentTimeLayout),
		TagSet:             make([]tcTagJSON, 0, len(v.Tags)),
		Enable:             v.Enabled,
		StorageType:        v.StorageType,
		FlowLogStorage:     tcStorageJSON{StorageId: v.StorageID, StorageTopic: v.StorageTopic},
		CloudLogRegion:     v.CloudLogRegion,
		Period:             v.Period,
	}
	for _, t := range v.Tags {
		j.TagSet = append(j.TagSet, tcTagJSON(t))
	}
	return j
}

// ---- CreateFlowLog ---------------------------------------------------------------

type tcCreateFlowLogParams struct {
	FlowLogName        *string
	ResourceType       *string
	ResourceId         *string
	TrafficType        *string
	VpcId              *string
	FlowLogDescription *string
	CloudLogId         *string
	Tags               []tcTagParam
	StorageType        *string
	FlowLogStorage     *struct {
		StorageId    *string
		StorageTopic *string
	}
	CloudLogRegion *string
	Period         *int64
}

type tcFlowLogListResponse struct {
	FlowLog   []tcFlowLogJSON
	RequestId string
}

// tcCreateFlowLog validates in this order: required parameters (FlowLogName,
// ResourceType, ResourceId, TrafficType), FlowLogName length, ResourceType,
// ResourceId shape, TrafficType, VpcId (required and well-formed unless CCN,
// absent for CCN), description length, storage parameters, tags, Period;
// then existence of the resource, of the VPC and its match with the
// resource, of the storage; one flow log per resource; quota. Lengths over
// the limit are InvalidParameterValue.Range: TooLong is not among
// CreateFlowLog's documented codes, while Range ("not in the specified
// range") is.
func (s *Server) tcCreateFlowLog(req *tcRequest) (any, error) {
	var p tcCreateFlowLogParams
	if terr := req.decode(&p); terr != nil {
		return nil, terr
	}
	name, terr := requiredString("FlowLogName", p.FlowLogName)
	if terr != nil {
		return nil, terr
	}
	resourceType, terr := requiredString("ResourceType", p.ResourceType)
	if terr != nil {
		return nil, terr
	}
	resourceID, terr := requiredString("ResourceId", p.ResourceId)
	if terr != nil {
		return nil, terr
	}
	trafficType, terr := requiredString("TrafficType", p.TrafficType)
	if terr != nil {
		return nil, terr
	}
	if runeLen(name) > tencentMaxNameLen {
		return nil, errTCRange("FlowLogName", name, fmt.Sprintf("must be at most %d characters", tencentMaxNameLen))
	}
	prefix, ok := tencentResourcePrefixes[resourceType]
	if !ok {
		return nil, oneOf("ResourceType", resourceType, tencentResourceTypes)
	}
	if !validTencentID(prefix, resourceID) {
		return nil, errTCMalformed("ResourceId", resourceID)
	}
	if terr := oneOf("TrafficType", trafficType, tencentTrafficTypes); terr != nil {
		return nil, terr
	}
	isCCN := resourceType == "CCN"
	vpcID := ""
	if isCCN {
		if deref(p.VpcId) != "" {
			return nil, errTCVpcIDNotNeeded
		}
	} else {
		if vpcID, terr = requiredString("VpcId", p.VpcId); terr != nil {
			return nil, terr
		}
		if !validTencentID("vpc", vpcID) {
			return nil, errTCMalformed("VpcId", vpcID)
		}
	}
	description := deref(p.FlowLogDescription)
	if runeLen(description) > tencentMaxDescriptionLen {
		return nil, errTCRange("FlowLogDescription", "...",
			fmt.Sprintf("must be at most %d characters", tencentMaxDescriptionLen))
	}

	storageType := "cls"
	if p.StorageType != nil {
		storageType = *p.StorageType
		if terr := oneOf("StorageType", storageType, tencentStorageTypes); terr != nil {
			return nil, terr
		}
	}
	cloudLogRegion := req.Region
	if r := deref(p.CloudLogRegion); r != "" {
		if !s.tc.knownRegion(r) {
			return nil, errTCRange("CloudLogRegion", r, "is not a known region")
		}
		cloudLogRegion = r
	}
	var cloudLogID, storageID, storageTopic string
	if storageType == "cls" {
		// CloudLogId is required for CLS storage (the newest docs); a
		// FlowLogStorage object is ignored.
		if cloudLogID, terr = requiredString("CloudLogId", p.CloudLogId); terr != nil {
			return nil, terr
		}
		if !validUUID(cloudLogID) {
			return nil, errTCMalformed("CloudLogId", cloudLogID)
		}
	} else {
		// CKafka storage: CloudLogId is ignored (emulator choice).
		if p.FlowLogStorage == nil {
			return nil, errTCMissing("FlowLogStorage")
		}
		if storageID, terr = requiredString("FlowLogStorage.StorageId", p.FlowLogStorage.StorageId); terr != nil {
			return nil, terr
		}
		if storageTopic, terr = requiredString("FlowLogStorage.StorageTopic", p.FlowLogStorage.StorageTopic); terr != nil {
			return nil, terr
		}
	}
	tags, terr := parseTencentTags(p.Tags)
	if terr != nil {
		return nil, terr
	}
	period := 0
	if p.Period != nil {
		if !isCCN {
			return nil, errTCRange("Period", strconv.FormatInt(*p.Period, 10), "is only supported for CCN flow logs")
		}
		if !slices.Contains(tencentCCNPeriods, *p.Period) {
			return nil, errTCRange("Period", strconv.FormatInt(*p.Period, 10), "must be one of 60, 300, 600")
		}
		period = int(*p.Period)
	} else if isCCN {
		period = tencentDefaultCCNPeriod
	}

	res, ok := s.tc.resources[resourceType][resourceID]
	if !ok || (!isCCN && res.region != req.Region) {
		return nil, errTCNotFound(strings.ToLower(resourceType), resourceID)
	}
	if !isCCN {
		if vpc, ok := s.tc.resources["VPC"][vpcID]; !ok || vpc.region != req.Region {
			return nil, errTCNotFound("vpc", vpcID)
		}
		if res.vpcID != vpcID {
			return nil, errTCNotFound(strings.ToLower(resourceType), resourceID+"` in vpc `"+vpcID)
		}
	}
	if storageType == "cls" {
		if deleted, ok := s.tc.cls[cloudLogRegion][cloudLogID]; !ok || deleted {
			return nil, errTCNotFound("cls topic", cloudLogID)
		}
	} else if !s.tc.ckafka[cloudLogRegion][storageID][storageTopic] {
		return nil, errTCNotFound("ckafka topic", storageID+"/"+storageTopic)
	}
	inRegion := 0
	for _, fl := range s.tc.flowLogs {
		if fl.ResourceID == resourceID {
			return nil, errTCFlowLogExists
		}
		if fl.Region == req.Region {
			inRegion++
		}
	}
	if inRegion >= s.cfg.tc.flowLogQuota {
		return nil, errTCQuota
	}

	s.tc.seq++
	fl := &tcFlowLog{seq: s.tc.seq, TencentFlowLog: TencentFlowLog{
		FlowLogID:      s.newTencentFlowLogID(),
		FlowLogName:    name,
		Description:    description,
		Region:         req.Region,
		VPCID:          vpcID,
		ResourceType:   resourceType,
		ResourceID:     resourceID,
		TrafficType:    trafficType,
		StorageType:    storageType,
		CloudLogID:     cloudLogID,
		CloudLogRegion: cloudLogRegion,
		StorageID:      storageID,
		StorageTopic:   storageTopic,
		Period:         period,
		Tags:           tags,
		Enabled:        true,
		CreatedTime:    req.Now.UTC().Truncate(time.Second),
	}}
	s.tc.flowLogs = append(s.tc.flowLogs, fl)
	s.tc.byID[fl.FlowLogID] = fl

	// The create response echoes the flow log before the backend has
	// filled in its storage state and creation time.
	j := tcToJSON(s.tc.snapshot(fl))
	j.CloudLogState, j.CloudLogRegion, j.CreatedTime = "", "", createPendingTime
	return tcFlowLogListResponse{FlowLog: []tcFlowLogJSON{j}, RequestId: req.RequestID}, nil
}

// newTencentFlowLogID returns "fl-" + 8 random lower-case alphanumerics. The
// caller holds s.mu.
func (s *Server) newTencentFlowLogID() string {
	for {
		id := "fl-" + tencentRandomSuffix(8)
		if _, dup := s.tc.byID[id]; !dup {
			return id
		}
	}
}

// tencentRandomSuffix returns n random lower-case alphanumerics.
func tencentRandomSuffix(n int) string {
	const tencentIDAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = tencentIDAlphabet[int(b[i])%len(tencentIDAlphabet)]
	}
	return string(b)
}

// ---- DescribeFlowLogs --------------------------------------------------------------

type tcDescribeFlowLogsParams struct {
	VpcId          *string
	FlowLogId      *string
	FlowLogName    *string
	ResourceType   *string
	ResourceId     *string
	TrafficType    *string
	CloudLogId     *string
	CloudLogState  *string
	OrderField     *string
	OrderDirection *string
	Offset         *int64
	Limit          *int64
	Filters        json.RawMessage
	CloudLogRegion *string
}

type tcDescribeFlowLogsResponse struct {
	FlowLog   []tcFlowLogJSON
	TotalNum  int
	RequestId string
}

// tcFilter is the parsed Filters object: a tag-key filter (Key == "") or a
// tag:<key> filter.
type tcFilter struct {
	tagKey bool   // Name = tag-key: Values are keys
	key    string // Name = tag:<key>: Values are values of key
	values []string
}

func (f *tcFilter) match(tags []Tag) bool {
	return slices.ContainsFunc(tags, func(t Tag) bool {
		if f.tagKey {
			return slices.Contains(f.values, t.Key)
		}
		return t.Key == f.key && slices.Contains(f.values, t.Value)
	})
}

// parseTencentFilter parses Filters, which the SDK models as a single Filter
// object {Name, Values}, not an array.
func parseTencentFilter(raw json.RawMessage) (*tcFilter, *tcError) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return nil, errTCFilterNotDict
	}
	var name string
	if err := json.Unmarshal(obj["Name"], &name); err != nil && obj["Name"] != nil {
		return nil, errTCFilterInvalidKey(string(obj["Name"]))
	}
	var values []string
	if err := json.Unmarshal(obj["Values"], &values); err != nil {
		return nil, errTCFilterValuesNotList
	}
	f := &tcFilter{values: values}
	switch key, ok := strings.CutPrefix(name, "tag:"); {
	case name == "tag-key":
		f.tagKey = true
	case ok && key != "":
		f.key = key
	default:
		return nil, errTCFilterInvalidKey(name)
	}
	return f, nil
}

// tcDescribeFlowLogs lists the flow logs of the request's region. All
// filters are exact matches and combine with AND; empty strings do not
// filter. An unknown FlowLogId yields an empty list (clients rely on that to
// detect deletion); an unknown, well-formed VpcId is ResourceNotFound
// (emulator choice, which explains that documented code). Ordering is by
// OrderField (createTime by default, with creation order breaking ties of
// the one-second timestamps) in OrderDirection (DESC by default).
func (s *Server) tcDescribeFlowLogs(req *tcRequest) (any, error) {
	var p tcDescribeFlowLogsParams
	if terr := req.decode(&p); terr != nil {
		return nil, terr
	}
	if name := deref(p.FlowLogName); runeLen(name) > tencentMaxNameLen {
		return nil, errTCTooLong("FlowLogName", tencentMaxNameLen)
	}
	enums := []struct {
		param   string
		value   *string
		allowed []string
	}{
		{"ResourceType", p.ResourceType, tencentResourceTypes},
		{"TrafficType", p.TrafficType, tencentTrafficTypes},
		{"CloudLogState", p.CloudLogState, tencentCloudLogStates},
		{"OrderField", p.OrderField, []string{"flowLogName", "createTime"}},
		{"OrderDirection", p.OrderDirection, []string{"ASC", "DESC"}},
	}
	for _, e := range enums {
		if v := deref(e.value); v != "" {
			if terr := oneOf(e.param, v, e.allowed); terr != nil {
				return nil, terr
			}
		}
	}
	offset, limit := int64(0), int64(10)
	if p.Offset != nil {
		if *p.Offset < 0 {
			return nil, errTCRange("Offset", strconv.FormatInt(*p.Offset, 10), "must not be negative")
		}
		offset = *p.Offset
	}
	if p.Limit != nil {
		if *p.Limit < 1 || *p.Limit > 100 {
			return nil, errTCRange("Limit", strconv.FormatInt(*p.Limit, 10), "must be 1..100")
		}
		limit = *p.Limit
	}
	if id := deref(p.FlowLogId); id != "" && !validTencentID("fl", id) {
		return nil, errTCMalformed("FlowLogId", id)
	}
	if id := deref(p.VpcId); id != "" && !validTencentID("vpc", id) {
		return nil, errTCMalformed("VpcId", id)
	}
	if id := deref(p.ResourceId); id != "" && !slices.ContainsFunc(tencentResourceTypes, func(typ string) bool {
		return validTencentID(tencentResourcePrefixes[typ], id)
	}) {
		return nil, errTCMalformed("ResourceId", id)
	}
	if id := deref(p.CloudLogId); id != "" && !validUUID(id) {
		return nil, errTCMalformed("CloudLogId", id)
	}
	var filter *tcFilter
	if len(p.Filters) > 0 {
		if deref(p.FlowLogId) != "" {
			return nil, errTCFiltersCoexist
		}
		f, terr := parseTencentFilter(p.Filters)
		if terr != nil {
			return nil, terr
		}
		filter = f
	}
	if id := deref(p.VpcId); id != "" {
		if vpc, ok := s.tc.resources["VPC"][id]; !ok || vpc.region != req.Region {
			return nil, errTCNotFound("vpc", id)
		}
	}

	exact := []struct {
		value *string
		field func(*TencentFlowLog) string
	}{
		{p.VpcId, func(f *TencentFlowLog) string { return f.VPCID }},
		{p.FlowLogId, func(f *TencentFlowLog) string { return f.FlowLogID }},
		{p.FlowLogName, func(f *TencentFlowLog) string { return f.FlowLogName }},
		{p.ResourceType, func(f *TencentFlowLog) string { return f.ResourceType }},
		{p.ResourceId, func(f *TencentFlowLog) string { return f.ResourceID }},
		{p.TrafficType, func(f *TencentFlowLog) string { return f.TrafficType }},
		{p.CloudLogId, func(f *TencentFlowLog) string { return f.CloudLogID }},
		{p.CloudLogState, func(f *TencentFlowLog) string { return f.CloudLogState }},
		{p.CloudLogRegion, func(f *TencentFlowLog) string { return f.CloudLogRegion }},
	}
	type entry struct {
		snap TencentFlowLog
		seq  int
	}
	var matched []entry
	wantID := deref(p.FlowLogId)
	// A FlowLogId is looked up, not searched for (see flowLogTable.match).
	candidates := s.tc.flowLogs
	if wantID != "" {
		candidates = nil
		if fl, ok := s.tc.byID[wantID]; ok {
			candidates = []*tcFlowLog{fl}
		}
	}
next:
	for _, fl := range candidates {
		if fl.Region != req.Region || (wantID != "" && fl.FlowLogID != wantID) {
			continue // cheap checks first: snapshots copy tags
		}
		snap := s.tc.snapshot(fl)
		for _, f := range exact {
			if v := deref(f.value); v != "" && f.field(&snap) != v {
				continue next
			}
		}
		if filter != nil && !filter.match(snap.Tags) {
			continue
		}
		matched = append(matched, entry{snap, fl.seq})
	}

	byName := deref(p.OrderField) == "flowLogName"
	desc := deref(p.OrderDirection) != "ASC"
	slices.SortFunc(matched, func(a, b entry) int {
		c := 0
		if byName {
			c = strings.Compare(a.snap.FlowLogName, b.snap.FlowLogName)
		} else {
			c = a.snap.CreatedTime.Compare(b.snap.CreatedTime)
		}
		if c == 0 {
			c = a.seq - b.seq
		}
		if desc {
			c = -c
		}
		return c
	})

	resp := tcDescribeFlowLogsResponse{FlowLog: []tcFlowLogJSON{}, TotalNum: len(matched), RequestId: req.RequestID}
	if offset < int64(len(matched)) {
		hi := min(offset+limit, int64(len(matched)))
		for _, e := range matched[offset:hi] {
			resp.FlowLog = append(resp.FlowLog, tcToJSON(e.snap))
		}
	}
	return resp, nil
}

// ---- DeleteFlowLog, EnableFlowLogs, DisableFlowLogs ---------------------------------

type tcRequestIDResponse struct {
	RequestId string
}

type tcDeleteFlowLogParams struct {
	FlowLogId *string
	VpcId     *string
}

// tcDeleteFlowLog deletes a flow log synchronously. VpcId is required unless
// the flow log is a CCN one (for which it must be absent) and must be the
// flow log's VPC.
func (s *Server) tcDeleteFlowLog(req *tcRequest) (any, error) {
	var p tcDeleteFlowLogParams
	if terr := req.decode(&p); terr != nil {
		return nil, terr
	}
	id, terr := requiredString("FlowLogId", p.FlowLogId)
	if terr != nil {
		return nil, terr
	}
	if !validTencentID("fl", id) {
		return nil, errTCMalformed("FlowLogId", id)
	}
	vpcID := deref(p.VpcId)
	if vpcID != "" && !validTencentID("vpc", vpcID) {
		return nil, errTCMalformed("VpcId", vpcID)
	}
	fl := s.tc.byID[id]
	if fl == nil || fl.Region != req.Region {
		return nil, errTCNotFound("flow log", id)
	}
	if fl.ResourceType == "CCN" {
		if vpcID != "" {
			return nil, errTCVpcIDNotNeeded
		}
	} else {
		if _, terr := requiredString("VpcId", p.VpcId); terr != nil {
			return nil, terr
		}
		if vpcID != fl.VPCID {
			return nil, errTCNotFound("flow log", id+"` in vpc `"+vpcID)
		}
	}
	delete(s.tc.byID, id)
	s.tc.flowLogs = slices.DeleteFunc(s.tc.flowLogs, func(f *tcFlowLog) bool { return f == fl })
	return tcRequestIDResponse{RequestId: req.RequestID}, nil
}

type tcFlowLogIDsParams struct {
	FlowLogIds []string
}

// tcSetEnabled implements EnableFlowLogs and DisableFlowLogs: every ID is
// checked before any flow log changes, so a failing batch changes nothing.
// Repeating an ID, or enabling an enabled flow log, is not an error.
func (s *Server) tcSetEnabled(req *tcRequest, enabled bool) (any, error) {
	var p tcFlowLogIDsParams
	if terr := req.decode(&p); terr != nil {
		return nil, terr
	}
	if p.FlowLogIds == nil {
		return nil, errTCMissing("FlowLogIds")
	}
	if len(p.FlowLogIds) == 0 {
		return nil, errTCEmpty("FlowLogIds")
	}
	if len(p.FlowLogIds) > tencentMaxFlowLogIDs {
		return nil, errTCTooManyIDs
	}
	for _, id := range p.FlowLogIds {
		if !validTencentID("fl", id) {
			return nil, errTCMalformed("FlowLogIds", id)
		}
	}
	targets := make([]*tcFlowLog, 0, len(p.FlowLogIds))
	for _, id := range p.FlowLogIds {
		fl := s.tc.byID[id]
		if fl == nil || fl.Region != req.Region {
			return nil, errTCNotFound("flow log", id)
		}
		targets = append(targets, fl)
	}
	for _, fl := range targets {
		fl.Enabled = enabled
	}
	return tcRequestIDResponse{RequestId: req.RequestID}, nil
}

func (s *Server) tcEnableFlowLogs(req *tcRequest) (any, error)  { return s.tcSetEnabled(req, true) }
func (s *Server) tcDisableFlowLogs(req *tcRequest) (any, error) { return s.tcSetEnabled(req, false) }
