package flowlogtest

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file emulates the flow-log actions of Alibaba Cloud Enterprise
// Network (product Cbn, API version 2017-09-12): CreateFlowlog,
// DescribeFlowlogs, DeleteFlowlog (lower-case "l", as the real action names
// are spelled), ActiveFlowLog, DeactiveFlowLog and ModifyFlowLogAttribute
// (upper-case "L"). It shares the RPC gateway (signature, nonce, timestamp,
// credentials) with the VPC emulation and the SLS logstores with it.
//
// Facts follow api-spec.md §2 and §3.2-3.4. The official CBN error tables
// are only partly known, so several codes are emulator choices; each is
// marked where it is defined.

// CBNVersion is the API version of Alibaba Cloud Enterprise Network.
const CBNVersion = "2017-09-12"

func init() {
	registerRPCAPI(&rpcAPI{
		Product: "Cbn",
		Version: CBNVersion,
		Actions: map[string]rpcHandler{
			"CreateFlowlog":          (*Server).cbnCreateFlowlog,
			"DescribeFlowlogs":       (*Server).cbnDescribeFlowlogs,
			"DeleteFlowlog":          (*Server).cbnDeleteFlowlog,
			"ActiveFlowLog":          (*Server).cbnActiveFlowLog,
			"DeactiveFlowLog":        (*Server).cbnDeactiveFlowLog,
			"ModifyFlowLogAttribute": (*Server).cbnModifyFlowLogAttribute,
		},
	})
	serverHooks = append(serverHooks, (*Server).setupCBN)
}

// The default CEN fixture, seeded by NewServer unless WithoutDefaultFixture
// is given: one CEN instance with one transit router in DefaultRegion and
// three attachments on it. Flow logs deliver to the shared SLS logstore
// DefaultSLSProject/DefaultSLSLogStore (or any other; CreateFlowlog creates
// missing ones).
const (
	DefaultCENID           = "cen-emu000000000001"
	DefaultTransitRouterID = "tr-emu00000000000001"
	// DefaultTransitRouterAttachmentID, ...ID2 and ...ID3 are attachments
	// of DefaultTransitRouterID.
	DefaultTransitRouterAttachmentID  = "tr-attach-emu000000000001"
	DefaultTransitRouterAttachmentID2 = "tr-attach-emu000000000002"
	DefaultTransitRouterAttachmentID3 = "tr-attach-emu000000000003"
)

// CEN flow log states as DescribeFlowlogs reports them. Creating, Modifying
// and Deleting are transitional and settle after the activation delay;
// while a flow log is in one of them it can only be queried.
const (
	CENStatusCreating  = "Creating"
	CENStatusActive    = "Active"
	CENStatusInactive  = "Inactive"
	CENStatusModifying = "Modifying"
	CENStatusDeleting  = "Deleting"
)

// cenFlowLogVersion is the read-only FlowLogVersion every flow log reports.
const cenFlowLogVersion = "3"

// CENFlowLog is a snapshot of one emulated CEN flow log, as returned by
// Server.CENFlowLogs. Status is what DescribeFlowlogs would report at the
// time of the snapshot.
type CENFlowLog struct {
	FlowLogID   string
	FlowLogName string
	Description string
	CENID       string
	RegionID    string
	// TransitRouterID is the transit router the flow log belongs to, also
	// for an attachment-level flow log.
	TransitRouterID string
	// TransitRouterAttachmentID is empty for a transit-router-level flow
	// log.
	TransitRouterAttachmentID string
	ProjectName               string
	LogStoreName              string
	Interval                  int // seconds: 60 or 600
	LogFormatString           string
	Tags                      []Tag
	// ClientToken is the token the flow log was created with, if any.
	ClientToken  string
	CreationTime time.Time
	Status       string
}

type cenRouter struct{ cenID, region string }

type cenAttachment struct{ cenID, region, trID string }

type cenFlowLog struct {
	CENFlowLog // static fields; Status is the current state

	// While Status is transitional it becomes next at settleAt; next == ""
	// means the flow log disappears (deletion).
	next     string
	settleAt time.Time
}

// cenToken is a ClientToken that a mutating action has consumed.
type cenToken struct {
	fingerprint string // the request's business parameters
	flowLogID   string
}

type cbnState struct {
	cens        map[string]bool
	routers     map[string]cenRouter
	attachments map[string]cenAttachment
	flowLogs    []*cenFlowLog // creation order, which Describe preserves
	byID        map[string]*cenFlowLog
	// tokens maps AccessKeyId, action and ClientToken to the successful
	// request that used the token first.
	tokens map[string]cenToken
}

// setupCBN initialises the CEN state and seeds the default fixture. It runs
// from NewServer through serverHooks.
func (s *Server) setupCBN() {
	s.mu.Lock()
	s.cbn = cbnState{
		cens:        make(map[string]bool),
		routers:     make(map[string]cenRouter),
		attachments: make(map[string]cenAttachment),
		byID:        make(map[string]*cenFlowLog),
		tokens:      make(map[string]cenToken),
	}
	s.mu.Unlock()
	if s.cfg.noDefaultFixture {
		return
	}
	for _, id := range []string{DefaultTransitRouterAttachmentID, DefaultTransitRouterAttachmentID2, DefaultTransitRouterAttachmentID3} {
		s.AddTransitRouterAttachment(DefaultCENID, DefaultRegion, DefaultTransitRouterID, id)
	}
}

// ---- seeding and inspection ----------------------------------------------

// AddCEN adds a CEN instance. CEN instances are global (not tied to a
// region), as in the cloud.
func (s *Server) AddCEN(cenID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cbn.cens[cenID] = true
}

// AddTransitRouter adds a transit router of a CEN instance in a region,
// adding the CEN instance if needed.
func (s *Server) AddTransitRouter(cenID, region, trID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addTransitRouter(cenID, region, trID)
}

func (s *Server) addTransitRouter(cenID, region, trID string) {
	s.cbn.cens[cenID] = true
	s.cbn.routers[trID] = cenRouter{cenID: cenID, region: region}
}

// AddTransitRouterAttachment adds a network instance connection (VPC, VPN,
// VBR, ECR or inter-region) to a transit router, adding the transit router
// and CEN instance if needed.
func (s *Server) AddTransitRouterAttachment(cenID, region, trID, attachmentID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addTransitRouter(cenID, region, trID)
	s.cbn.attachments[attachmentID] = cenAttachment{cenID: cenID, region: region, trID: trID}
}

// AddTransitRouterAttachments adds n attachments with generated, unique IDs
// ("tr-attach-emun...") to a transit router and returns their IDs in order.
// It is meant for bulk tests (paging, concurrency).
func (s *Server) AddTransitRouterAttachments(cenID, region, trID string, n int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addTransitRouter(cenID, region, trID)
	ids := make([]string, 0, max(n, 0))
	for len(ids) < n {
		id := fmt.Sprintf("tr-attach-emun%014d", s.nextSeq())
		if _, taken := s.cbn.attachments[id]; taken {
			continue
		}
		s.cbn.attachments[id] = cenAttachment{cenID: cenID, region: region, trID: trID}
		ids = append(ids, id)
	}
	return ids
}

// CENFlowLogs returns a snapshot of all CEN flow logs in creation order,
// with their state as of the server clock's current time.
func (s *Server) CENFlowLogs() []CENFlowLog {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cbn.settle(s.now())
	out := make([]CENFlowLog, 0, len(s.cbn.flowLogs))
	for _, fl := range s.cbn.flowLogs {
		out = append(out, fl.snapshot())
	}
	return slices.Clip(out)
}

func (fl *cenFlowLog) snapshot() CENFlowLog {
	v := fl.CENFlowLog
	v.Tags = slices.Clone(fl.Tags)
	return v
}

// settle applies every transition that is due at now; see vpcState.settle
// for why state is evaluated lazily. The caller holds s.mu.
func (st *cbnState) settle(now time.Time) {
	kept := st.flowLogs[:0]
	for _, fl := range st.flowLogs {
		if fl.settleAt.IsZero() || now.Before(fl.settleAt) {
			kept = append(kept, fl)
			continue
		}
		if fl.next == "" {
			delete(st.byID, fl.FlowLogID)
			continue
		}
		fl.Status, fl.next, fl.settleAt = fl.next, "", time.Time{}
		kept = append(kept, fl)
	}
	clear(st.flowLogs[len(kept):])
	st.flowLogs = kept
}

// cenTransition starts a transitional state that settles into next after
// the activation delay.
func (s *Server) cenTransition(fl *cenFlowLog, now time.Time, status, next string) {
	fl.Status, fl.next = status, next
	fl.settleAt = now.Add(s.settleDelay())
}

// ---- errors ----------------------------------------------------------------

// errCBNMissing is the generic POP answer for a missing parameter; the
// message names it.
func errCBNMissing(param string) *rpcError { return errMissingCommonParameter(param) }

// errCBNInvalid is InvalidParameter naming the parameter (emulator choice:
// the generic POP code, as api-spec.md §2.3 suggests for CBN).
func errCBNInvalid(param, detail string) *rpcError {
	return &rpcError{Status: http.StatusBadRequest, Code: "InvalidParameter",
		Message: "The specified parameter " + param + " is not valid.", Detail: detail}
}

func cbnInvalidFunc(param string) invalidFunc {
	return func(detail string) *rpcError { return errCBNInvalid(param, detail) }
}

var (
	// The three NotFound codes and messages are those of other CBN
	// transit-router APIs; that CreateFlowlog uses them too is an emulator
	// choice (the CreateFlowlog error table is a known gap).
	errCBNCenNotFound = errBadRequest("InvalidCenId.NotFound",
		"The specified CenId is not found.")
	errCBNRouterNotFound = errBadRequest("InvalidTransitRouterId.NotFound",
		"The specified TransitRouterId is not found.")
	errCBNAttachmentNotFound = errBadRequest("InvalidTransitRouterAttachmentId.NotFound",
		"The TransitRouterAttachmentId is not found.")
	// InvalidFlowlogId.NotFound is a real code (Terraform ignores it on
	// delete); the message is an emulator choice.
	errCBNFlowLogNotFound = errBadRequest("InvalidFlowlogId.NotFound",
		"The specified FlowLogId is not found.")
	// IncorrectStatus.TrFlowlog is a real code (Terraform retries it on
	// Active, Deactive and Delete); the message is an emulator choice.
	errCBNIncorrectStatus = errBadRequest("IncorrectStatus.TrFlowlog",
		"The status of the flow log does not support this operation.")
	// IncorrectStatus.flowlog is what Terraform retries on
	// ModifyFlowLogAttribute; code and message as on the VPC side.
	errCBNModifyIncorrectStatus = errBadRequest("IncorrectStatus.flowlog",
		"Invalid flowlog status.")
	// Emulator choice, in the style of CBN's OperationFailed.*Exist codes:
	// the code CBN returns for a second flow log on the same transit router
	// or attachment is not published.
	errCBNFlowLogExists = errBadRequest("OperationFailed.FlowLogExist",
		"Operation failed because the flow log of the specified instance already exists.")
	// Emulator choice: the code and message Alibaba's ECS family uses when a
	// ClientToken is reused with different parameters.
	errCBNIdempotentMismatch = errBadRequest("IdempotentParameterMismatch",
		"Request uses a client token in a previous request but is not identical to that request.")
)

// ---- parameter helpers -----------------------------------------------------

// logFormatPattern is a sequence of ${field} references.
var logFormatPattern = regexp.MustCompile(`^(\$\{[A-Za-z0-9_-]+\})+$`)

// logFormatPrefix is what a custom LogFormatString must start with.
const logFormatPrefix = "${srcaddr}${dstaddr}${bytes}"

// checkClientToken validates ClientToken: at most 64 ASCII characters.
func checkClientToken(req *rpcRequest) *rpcError {
	tok := req.Get("ClientToken")
	if len(tok) > 64 {
		return errCBNInvalid("ClientToken", "ClientToken must be at most 64 characters")
	}
	for i := 0; i < len(tok); i++ {
		if tok[i] < 0x20 || tok[i] > 0x7e {
			return errCBNInvalid("ClientToken", "ClientToken must be printable ASCII")
		}
	}
	return nil
}

// parseInterval validates Interval (seconds, 60 or 600); 0 if absent.
func parseInterval(req *rpcRequest) (int, *rpcError) {
	if !req.Has("Interval") {
		return 0, nil
	}
	n, err := strconv.Atoi(req.Get("Interval"))
	if err != nil || (n != 60 && n != 600) {
		return 0, errCBNInvalid("Interval", "Interval must be 60 or 600")
	}
	return n, nil
}

// tokenParams are left out of a ClientToken fingerprint: they differ
// between two sends of the same logical request (signature, nonce,
// timestamp) or are the token itself.
var tokenParams = []string{
	"Signature", "SignatureMethod", "SignatureVersion", "SignatureNonce", "SignatureType",
	"Timestamp", "AccessKeyId", "SecurityToken", "BearerToken", "Format", "Version",
	"Action", "ClientToken",
}

func fingerprint(params url.Values) string {
	p := make(url.Values, len(params))
	for k, v := range params {
		if !slices.Contains(tokenParams, k) {
			p[k] = v
		}
	}
	return p.Encode()
}

func tokenKey(req *rpcRequest) string {
	return req.AccessKeyID + "\x00" + req.Action + "\x00" + req.Get("ClientToken")
}

// replayToken implements ClientToken idempotency for mutating actions. The
// scope is the AccessKeyId and the action; only successful requests consume
// a token, and tokens never expire (emulator choices). It returns the
// earlier request's record and true if the token was used before with the
// same parameters, and IdempotentParameterMismatch if with different ones.
func (s *Server) replayToken(req *rpcRequest) (cenToken, bool, *rpcError) {
	if req.Get("ClientToken") == "" {
		return cenToken{}, false, nil
	}
	t, ok := s.cbn.tokens[tokenKey(req)]
	if !ok {
		return cenToken{}, false, nil
	}
	if t.fingerprint != fingerprint(req.Params) {
		return cenToken{}, false, errCBNIdempotentMismatch
	}
	return t, true, nil
}

// consumeToken records a successful request under its ClientToken.
func (s *Server) consumeToken(req *rpcRequest, flowLogID string) {
	if req.Get("ClientToken") == "" {
		return
	}
	s.cbn.tokens[tokenKey(req)] = cenToken{fingerprint: fingerprint(req.Params), flowLogID: flowLogID}
}

// ---- CreateFlowlog -----------------------------------------------------------

// cbnCreateFlowlogResponse carries Success as a JSON boolean, as the
// documented example does; the SDK types the field as a string and its
// fuzzy decoder turns true into "true".
type cbnCreateFlowlogResponse struct {
	RequestId string
	Success   bool
	FlowLogId string
}

// cbnCreateFlowlog validates in this order: required parameters, parameter
// formats, ClientToken replay, CEN, transit router and attachment
// existence, one flow log per transit router or attachment. A missing SLS
// project or logstore is created, as the newest documentation says.
//
// Emulator choices: ProjectName and LogStoreName are required (the newest
// metadata no longer marks them so, the older docs do); a request with
// neither TransitRouterAttachmentId nor TransitRouterId is MissingParameter;
// the emulator never reads the SDK's business Version field, which the SDK
// overwrites with the API version anyway.
func (s *Server) cbnCreateFlowlog(req *rpcRequest) (any, error) {
	for _, p := range []string{"RegionId", "CenId", "ProjectName", "LogStoreName"} {
		if req.Get(p) == "" {
			return nil, errCBNMissing(p)
		}
	}
	region, cenID := req.Get("RegionId"), req.Get("CenId")
	attID, trID := req.Get("TransitRouterAttachmentId"), req.Get("TransitRouterId")
	if attID == "" && trID == "" {
		return nil, errCBNMissing("TransitRouterAttachmentId")
	}
	s.cbn.settle(req.Now)

	project, logstore := req.Get("ProjectName"), req.Get("LogStoreName")
	if !slsProjectPattern.MatchString(project) {
		return nil, errCBNInvalid("ProjectName", "ProjectName must be 3..63 of [a-z0-9-], starting and ending with [a-z0-9]")
	}
	if !slsLogStorePattern.MatchString(logstore) {
		return nil, errCBNInvalid("LogStoreName", "LogStoreName must be 3..63 of [a-z0-9_-], starting and ending with [a-z0-9]")
	}
	if rerr := checkTextParam(req, "FlowLogName", 128, cbnInvalidFunc("FlowLogName")); rerr != nil {
		return nil, rerr
	}
	if rerr := checkTextParam(req, "Description", 256, cbnInvalidFunc("Description")); rerr != nil {
		return nil, rerr
	}
	interval, rerr := parseInterval(req)
	if rerr != nil {
		return nil, rerr
	}
	if interval == 0 {
		interval = 600
	}
	if req.Has("LogFormatString") {
		f := req.Get("LogFormatString")
		if !logFormatPattern.MatchString(f) || !strings.HasPrefix(f, logFormatPrefix) {
			return nil, errCBNInvalid("LogFormatString", "LogFormatString must be ${field}... starting with "+logFormatPrefix)
		}
	}
	tags, rerr := parseTagParams(req.Params, "Tag", 64, cbnInvalidFunc("Tag"))
	if rerr != nil {
		return nil, rerr
	}
	if rerr := checkClientToken(req); rerr != nil {
		return nil, rerr
	}
	if t, ok, rerr := s.replayToken(req); rerr != nil {
		return nil, rerr
	} else if ok {
		return cbnCreateFlowlogResponse{RequestId: req.RequestID, Success: true, FlowLogId: t.flowLogID}, nil
	}

	if !s.cbn.cens[cenID] {
		return nil, errCBNCenNotFound
	}
	if trID != "" {
		// Emulator choice: a transit router of another CEN instance or
		// region is reported as not found.
		if tr, ok := s.cbn.routers[trID]; !ok || tr.cenID != cenID || tr.region != region {
			return nil, errCBNRouterNotFound
		}
	}
	if attID != "" {
		// Emulator choice: an attachment of another CEN instance, region or
		// (if TransitRouterId is given) transit router is not found.
		att, ok := s.cbn.attachments[attID]
		if !ok || att.cenID != cenID || att.region != region || (trID != "" && att.trID != trID) {
			return nil, errCBNAttachmentNotFound
		}
		trID = att.trID
	}
	for _, fl := range s.cbn.flowLogs {
		// Flow logs that are being deleted still count until they are gone.
		if fl.TransitRouterID == trID && fl.TransitRouterAttachmentID == attID {
			return nil, errCBNFlowLogExists
		}
	}

	if s.sls[project] == nil {
		s.sls[project] = make(map[string]bool)
	}
	s.sls[project][logstore] = true

	fl := &cenFlowLog{CENFlowLog: CENFlowLog{
		FlowLogID:                 s.newCENFlowLogID(),
		FlowLogName:               req.Get("FlowLogName"),
		Description:               req.Get("Description"),
		CENID:                     cenID,
		RegionID:                  region,
		TransitRouterID:           trID,
		TransitRouterAttachmentID: attID,
		ProjectName:               project,
		LogStoreName:              logstore,
		Interval:                  interval,
		LogFormatString:           req.Get("LogFormatString"),
		Tags:                      tags,
		ClientToken:               req.Get("ClientToken"),
		CreationTime:              req.Now.UTC().Truncate(time.Second),
	}}
	s.cenTransition(fl, req.Now, CENStatusCreating, CENStatusActive)
	s.cbn.flowLogs = append(s.cbn.flowLogs, fl)
	s.cbn.byID[fl.FlowLogID] = fl
	s.consumeToken(req, fl.FlowLogID)
	return cbnCreateFlowlogResponse{RequestId: req.RequestID, Success: true, FlowLogId: fl.FlowLogID}, nil
}

// newCENFlowLogID returns "flowlog-" + 18 random lower-case alphanumerics,
// the shape of real CEN flow log IDs. The caller holds s.mu.
func (s *Server) newCENFlowLogID() string {
	for {
		id := "flowlog-" + randomAlnum(18)
		if _, dup := s.cbn.byID[id]; !dup {
			return id
		}
	}
}

// ---- DescribeFlowlogs ----------------------------------------------------------

// The DescribeFlowlogs response, shaped like the SDK's
// cbn.DescribeFlowlogsResponse: counts and Success are strings, lists are
// wrapped in objects (FlowLogs.FlowLog, Tags.Tag). TransitRouterId,
// LogFormatString and FlowLogVersion are in the newest metadata but not in
// the pinned SDK's struct.
type cbnDescribeFlowlogsResponse struct {
	RequestId  string
	Success    string
	TotalCount string
	PageNumber string
	PageSize   string
	FlowLogs   struct{ FlowLog []cbnFlowLogJSON }
}

type cbnFlowLogJSON struct {
	FlowLogId                 string
	FlowLogName               string
	Description               string
	CenId                     string
	Status                    string
	CreationTime              string
	ProjectName               string
	LogStoreName              string
	RegionId                  string
	TransitRouterId           string
	TransitRouterAttachmentId string
	Interval                  int
	LogFormatString           string
	FlowLogVersion            string
	Tags                      struct{ Tag []Tag }
}

func cenToJSON(v CENFlowLog) cbnFlowLogJSON {
	j := cbnFlowLogJSON{
		FlowLogId:                 v.FlowLogID,
		FlowLogName:               v.FlowLogName,
		Description:               v.Description,
		CenId:                     v.CENID,
		Status:                    v.Status,
		CreationTime:              v.CreationTime.UTC().Format(timestampLayout),
		ProjectName:               v.ProjectName,
		LogStoreName:              v.LogStoreName,
		RegionId:                  v.RegionID,
		TransitRouterId:           v.TransitRouterID,
		TransitRouterAttachmentId: v.TransitRouterAttachmentID,
		Interval:                  v.Interval,
		LogFormatString:           v.LogFormatString,
		FlowLogVersion:            cenFlowLogVersion,
	}
	j.Tags.Tag = append([]Tag{}, v.Tags...)
	return j
}

// cenStatuses are the values the Status filter accepts: the documented
// Active and Inactive, and the transitional states (emulator choice).
var cenStatuses = []string{
	CENStatusActive, CENStatusInactive, CENStatusCreating, CENStatusModifying, CENStatusDeleting,
}

// cbnDescribeFlowlogs lists flow logs of a region in creation order. All
// filters are exact matches and combine with AND; a tag filter without a
// value matches any value. An unknown FlowLogId yields an empty list, not an
// error (clients rely on that to detect deletion).
//
// Emulator choices: RegionId is required (the SDK always sends it); PageSize
// is 1..50 and PageNumber at least 1, else InvalidParameter, as are a
// Status or Interval outside the accepted values.
func (s *Server) cbnDescribeFlowlogs(req *rpcRequest) (any, error) {
	region := req.Get("RegionId")
	if region == "" {
		return nil, errCBNMissing("RegionId")
	}
	s.cbn.settle(req.Now)
	page, size := 1, 20
	if req.Has("PageNumber") {
		n, err := strconv.Atoi(req.Get("PageNumber"))
		if err != nil || n < 1 {
			return nil, errCBNInvalid("PageNumber", "PageNumber must be at least 1")
		}
		page = n
	}
	if req.Has("PageSize") {
		n, err := strconv.Atoi(req.Get("PageSize"))
		if err != nil || n < 1 || n > 50 {
			return nil, errCBNInvalid("PageSize", "PageSize must be 1..50")
		}
		size = n
	}
	if req.Has("Status") && !slices.Contains(cenStatuses, req.Get("Status")) {
		return nil, errCBNInvalid("Status", "unknown Status")
	}
	interval, rerr := parseInterval(req)
	if rerr != nil {
		return nil, rerr
	}
	tagFilter, rerr := parseTagParams(req.Params, "Tag", 64, cbnInvalidFunc("Tag"))
	if rerr != nil {
		return nil, rerr
	}
	if rerr := checkClientToken(req); rerr != nil {
		return nil, rerr
	}

	filters := []struct {
		param string
		field func(*cenFlowLog) string
	}{
		{"CenId", func(f *cenFlowLog) string { return f.CENID }},
		{"FlowLogId", func(f *cenFlowLog) string { return f.FlowLogID }},
		{"FlowLogName", func(f *cenFlowLog) string { return f.FlowLogName }},
		{"Description", func(f *cenFlowLog) string { return f.Description }},
		{"ProjectName", func(f *cenFlowLog) string { return f.ProjectName }},
		{"LogStoreName", func(f *cenFlowLog) string { return f.LogStoreName }},
		{"TransitRouterAttachmentId", func(f *cenFlowLog) string { return f.TransitRouterAttachmentID }},
		{"TransitRouterId", func(f *cenFlowLog) string { return f.TransitRouterID }},
		{"Status", func(f *cenFlowLog) string { return f.Status }},
		{"FlowLogVersion", func(*cenFlowLog) string { return cenFlowLogVersion }},
	}
	var matched []*cenFlowLog
next:
	for _, fl := range s.cbn.flowLogs {
		if fl.RegionID != region {
			continue
		}
		for _, f := range filters {
			if v := req.Get(f.param); v != "" && f.field(fl) != v {
				continue next
			}
		}
		if interval != 0 && fl.Interval != interval {
			continue
		}
		for _, want := range tagFilter {
			if !slices.ContainsFunc(fl.Tags, func(t Tag) bool {
				return t.Key == want.Key && (want.Value == "" || t.Value == want.Value)
			}) {
				continue next
			}
		}
		matched = append(matched, fl)
	}

	resp := cbnDescribeFlowlogsResponse{
		RequestId:  req.RequestID,
		Success:    "true",
		TotalCount: strconv.Itoa(len(matched)),
		PageNumber: strconv.Itoa(page),
		PageSize:   strconv.Itoa(size),
	}
	resp.FlowLogs.FlowLog = []cbnFlowLogJSON{}
	// Bounds are checked before multiplying, so a huge PageNumber cannot
	// overflow.
	if start := page - 1; start < (len(matched)+size-1)/size {
		lo := start * size
		hi := min(lo+size, len(matched))
		for _, fl := range matched[lo:hi] {
			resp.FlowLogs.FlowLog = append(resp.FlowLogs.FlowLog, cenToJSON(fl.snapshot()))
		}
	}
	return resp, nil
}

// ---- Delete, Active, Deactive, Modify ------------------------------------------

// cbnSuccessResponse is the {RequestId, Success} body of the other write
// actions; their documented examples carry Success as the string "true".
type cbnSuccessResponse struct {
	RequestId string
	Success   string
}

// cbnMutate is the common frame of the actions on one flow log: RegionId and
// FlowLogId are required; the flow log must exist in that region and, if
// CenId is given, in that CEN instance (emulator choice: otherwise
// InvalidFlowlogId.NotFound); a ClientToken already used with the same
// parameters returns success without acting again. apply validates the
// action's own parameters and state and performs the change.
func (s *Server) cbnMutate(req *rpcRequest, apply func(fl *cenFlowLog) *rpcError) (any, error) {
	for _, p := range []string{"RegionId", "FlowLogId"} {
		if req.Get(p) == "" {
			return nil, errCBNMissing(p)
		}
	}
	if rerr := checkClientToken(req); rerr != nil {
		return nil, rerr
	}
	s.cbn.settle(req.Now)
	if _, ok, rerr := s.replayToken(req); rerr != nil {
		return nil, rerr
	} else if ok {
		return cbnSuccessResponse{RequestId: req.RequestID, Success: "true"}, nil
	}
	fl := s.cbn.byID[req.Get("FlowLogId")]
	if fl == nil || fl.RegionID != req.Get("RegionId") || (req.Get("CenId") != "" && fl.CENID != req.Get("CenId")) {
		return nil, errCBNFlowLogNotFound
	}
	if rerr := apply(fl); rerr != nil {
		return nil, rerr
	}
	s.consumeToken(req, fl.FlowLogID)
	return cbnSuccessResponse{RequestId: req.RequestID, Success: "true"}, nil
}

// cbnDeleteFlowlog starts an asynchronous deletion: Deleting for the
// activation delay, then gone. A flow log in a transitional state cannot be
// deleted.
func (s *Server) cbnDeleteFlowlog(req *rpcRequest) (any, error) {
	return s.cbnMutate(req, func(fl *cenFlowLog) *rpcError {
		if fl.Status != CENStatusActive && fl.Status != CENStatusInactive {
			return errCBNIncorrectStatus
		}
		s.cenTransition(fl, req.Now, CENStatusDeleting, "")
		return nil
	})
}

// cbnActiveFlowLog turns an Inactive flow log on: Modifying, then Active.
func (s *Server) cbnActiveFlowLog(req *rpcRequest) (any, error) {
	return s.cbnMutate(req, func(fl *cenFlowLog) *rpcError {
		if fl.Status != CENStatusInactive {
			return errCBNIncorrectStatus
		}
		s.cenTransition(fl, req.Now, CENStatusModifying, CENStatusActive)
		return nil
	})
}

// cbnDeactiveFlowLog turns an Active flow log off: Modifying, then Inactive.
func (s *Server) cbnDeactiveFlowLog(req *rpcRequest) (any, error) {
	return s.cbnMutate(req, func(fl *cenFlowLog) *rpcError {
		if fl.Status != CENStatusActive {
			return errCBNIncorrectStatus
		}
		s.cenTransition(fl, req.Now, CENStatusModifying, CENStatusInactive)
		return nil
	})
}

// cbnModifyFlowLogAttribute changes FlowLogName, Description or Interval:
// Modifying, then back to the previous state (emulator choice; the docs
// only describe the Active case).
func (s *Server) cbnModifyFlowLogAttribute(req *rpcRequest) (any, error) {
	return s.cbnMutate(req, func(fl *cenFlowLog) *rpcError {
		if rerr := checkTextParam(req, "FlowLogName", 128, cbnInvalidFunc("FlowLogName")); rerr != nil {
			return rerr
		}
		if rerr := checkTextParam(req, "Description", 256, cbnInvalidFunc("Description")); rerr != nil {
			return rerr
		}
		interval, rerr := parseInterval(req)
		if rerr != nil {
			return rerr
		}
		if fl.Status != CENStatusActive && fl.Status != CENStatusInactive {
			return errCBNModifyIncorrectStatus
		}
		if req.Has("FlowLogName") {
			fl.FlowLogName = req.Get("FlowLogName")
		}
		if req.Has("Description") {
			fl.Description = req.Get("Description")
		}
		if interval != 0 {
			fl.Interval = interval
		}
		s.cenTransition(fl, req.Now, CENStatusModifying, fl.Status)
		return nil
	})
}
