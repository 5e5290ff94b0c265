package flowlogtest

import (
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
// (upper-case "L"). It shares the RPC gateway (gateway_rpc.go: signature,
// nonce, timestamp, credentials) and the SLS logstores (alibaba.go) with
// the VPC emulation. Seeding and inspection are in cbn_fixture.go.
//
// Facts follow seed 000 (CEN CreateFlowlog, an older Chinese doc), api-spec.md
// §2 and §3.2-3.4 and acs3-and-lifecycle-apis.md §2.2; each rule names its
// source at its check. The official CBN error tables are only partly known,
// so several codes are emulator choices; each is marked where it is
// defined.

// CBNVersion is the API version of Alibaba Cloud Enterprise Network.
const CBNVersion = "2017-09-12"

// CEN flow log states as DescribeFlowlogs reports them (api-spec §3.2).
// Creating, Modifying and Deleting are transitional and settle after the
// activation delay; while a flow log is in one of them it can only be
// queried (api-spec §2.2, §3.3; acs3-and-lifecycle §2.2).
const (
	CENStatusCreating  = "Creating"
	CENStatusActive    = "Active"
	CENStatusInactive  = "Inactive"
	CENStatusModifying = "Modifying"
	CENStatusDeleting  = "Deleting"
)

// cenStates are the CEN states by role. ActiveFlowLog and DeactiveFlowLog
// go through Modifying, DeleteFlowlog through Deleting (see
// statusHandlers).
var cenStates = statusNames{
	active: CENStatusActive, inactive: CENStatusInactive,
	activating: CENStatusModifying, deactivating: CENStatusModifying, deleting: CENStatusDeleting,
	modifying: CENStatusModifying,
}

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
	transit
}

func (fl *cenFlowLog) ident() (string, string)    { return fl.FlowLogID, fl.RegionID }
func (fl *cenFlowLog) tagList() []Tag             { return fl.Tags }
func (fl *cenFlowLog) state() (*string, *transit) { return &fl.Status, &fl.transit }

// cenToken is a ClientToken that a mutating action has consumed.
type cenToken struct {
	fingerprint string // the request's business parameters
	flowLogID   string
}

// cbnProduct is the emulated CEN API. s.mu guards it.
type cbnProduct struct {
	*alibaba
	cens        map[string]bool
	routers     map[string]cenRouter
	attachments map[string]cenAttachment
	flowLogs    flowLogTable[*cenFlowLog]
	// tokens maps AccessKeyId, action and ClientToken to the successful
	// request that used the token first.
	tokens map[string]cenToken
	actions[rpcHandler]
}

func newCBNProduct(ali *alibaba) *cbnProduct {
	p := &cbnProduct{
		alibaba:     ali,
		cens:        make(map[string]bool),
		routers:     make(map[string]cenRouter),
		attachments: make(map[string]cenAttachment),
		flowLogs:    newFlowLogTable[*cenFlowLog](),
		tokens:      make(map[string]cenToken),
	}
	del, activate, deactivate := statusHandlers(ali, p.mutate, cenStates, errCBNIncorrectStatus)
	p.actions = actions[rpcHandler]{
		"CreateFlowlog":          p.createFlowlog,
		"DescribeFlowlogs":       p.describeFlowlogs,
		"DeleteFlowlog":          del,
		"ActiveFlowLog":          activate,
		"DeactiveFlowLog":        deactivate,
		"ModifyFlowLogAttribute": p.modifyFlowLogAttribute,
	}
	return p
}

func (*cbnProduct) name() string    { return "Cbn" }
func (*cbnProduct) version() string { return CBNVersion }

// ---- errors ----------------------------------------------------------------

// errCBNMissing is the generic POP answer for a missing parameter; the
// message names it (api-spec §2.3 "MissingParameter / InvalidParameter
// generic POP codes", §6.3 for the message; emulator choice, as seed 000
// lists no error codes).
func errCBNMissing(param string) *apiError { return errMissingCommonParameter(param) }

// errCBNInvalid is InvalidParameter naming the parameter (emulator choice:
// the generic POP code, as api-spec.md §2.3 suggests for CBN); an
// invalidFunc.
func errCBNInvalid(param, detail string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: "InvalidParameter",
		Message: "The specified parameter " + param + " is not valid.", Detail: detail}
}

var (
	// A CEN instance, transit router or attachment that does not exist
	// cannot be given a flow log: the refusal is inevitable, only its answer
	// is chosen. InvalidCenId.NotFound is api-spec §2.3's emulator choice
	// for an unknown CEN ("unverified"). The transit-router and attachment
	// codes follow the same pattern; no source at hand names them (emulator
	// choice; the CreateFlowlog error table is a known gap). The messages
	// are the emulator's.
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
	// A second flow log on the same transit router or attachment. The
	// refusal is sourced, its answer is not: api-spec §2.3 counts "a
	// duplicate flow log" among the CBN refusals whose codes "were not
	// reachable", so the code and message are an emulator choice, in the
	// style of CBN's OperationFailed.*Exist codes.
	errCBNFlowLogExists = errBadRequest("OperationFailed.FlowLogExist",
		"Operation failed because the flow log of the specified instance already exists.")
	// A ClientToken reused with different parameters. Seed 000 says the
	// client must keep the token unique across different requests
	// ("要保证在不同请求间唯一"), so such a request breaks the documented
	// contract, and the server must either refuse it or answer the first
	// request again; which one, and the code, are an emulator choice, not
	// in the sources at hand: refusing shows the client's mistake, with the
	// code and message Alibaba's ECS family uses for it.
	errCBNIdempotentMismatch = errBadRequest("IdempotentParameterMismatch",
		"Request uses a client token in a previous request but is not identical to that request.")
)

// ---- parameter helpers -----------------------------------------------------

// logFormatPattern is a sequence of ${field} references: api-spec §2.1
// LogFormatString "${field1}${field2}…". The characters of a field name are
// not documented, so any but the form's own "$", "{" and "}" are accepted
// by default; strictLogFormatPattern, letters, digits, "_" and "-" only,
// applies with WithStrictRules (a strict rule).
var (
	logFormatPattern       = regexp.MustCompile(`^(\$\{[^${}]+\})+$`)
	strictLogFormatPattern = regexp.MustCompile(`^(\$\{[A-Za-z0-9_-]+\})+$`)
)

// logFormatPrefix is what a custom LogFormatString must start with: api-spec
// §2.1 "When set it must start with ${srcaddr}${dstaddr}${bytes}".
const logFormatPrefix = "${srcaddr}${dstaddr}${bytes}"

// Seed 000's FlowLogName and Description rules for CreateFlowlog, the same
// as the cbn adapter's Validate (internal/alirpc ValidateCENNames).
// FlowLogName: "长度为2~128个字符，必须以字母或中文开头，可包含数字，点号（.），下划线（_）和
// 短横线（-），但不能以`http://`或`https://`开头" (2 to 128 characters, starting
// with a letter or a Chinese character, containing digits, ".", "_" and "-"
// besides, not starting with http:// or https://); Description:
// "长度为2~256个字符，必须以字母或中文开头，但不能以`http://`或`https://`开头". A letter
// (字母) is an ASCII letter, a Chinese character one of the Han script.
// api-spec §2.1 reports looser rules in newer metadata ([TEA]: 1–128 /
// 1–256, only the URL prefix refused); the seed is the documentation at
// hand for CreateFlowlog, so its rules apply.
var (
	cenNamePattern        = regexp.MustCompile(`^[A-Za-z\p{Han}][A-Za-z\p{Han}0-9._-]{1,127}$`)
	cenDescriptionPattern = regexp.MustCompile(`(?s)^[A-Za-z\p{Han}].{1,255}$`)
)

// checkCENCreateNames applies seed 000's rules (see cenNamePattern) to
// FlowLogName and Description if they were sent, the URL prefixes in lower
// case as seed 000 writes them, in any case with WithStrictRules (see
// urlPrefixRule). Sent empty, either is refused, as it is too short.
func (p *cbnProduct) checkCENCreateNames(req *rpcRequest) *apiError {
	for _, c := range []struct {
		param, rule string
		re          *regexp.Regexp
	}{
		{"FlowLogName", "FlowLogName must be 2..128 letters, Chinese characters, digits, '.', '_' or '-', starting with a letter or a Chinese character", cenNamePattern},
		{"Description", "Description must be 2..256 characters, starting with a letter or a Chinese character", cenDescriptionPattern},
	} {
		if !req.Has(c.param) {
			continue
		}
		v := req.Get(c.param)
		if p.createURLRule().refuses(v) {
			return errCBNInvalid(c.param, c.param+" must not start with http:// or https://")
		}
		if !c.re.MatchString(v) {
			return errCBNInvalid(c.param, c.rule)
		}
	}
	return nil
}

// tokenRules are the ClientToken rules of one action.
type tokenRules struct {
	maxLen int  // 0 for no limit
	ascii  bool // refuse bytes past ASCII
}

// tokenRules returns the ClientToken rules of action. CreateFlowlog: at
// most 64 characters, all ASCII, the same rule as the cbn adapter's
// Validate. Source: seed 000 (CEN CreateFlowlog, request parameters,
// ClientToken: "最大值不超过64个ASCII字符", at most 64 ASCII characters);
// api-spec §2.1 ("ASCII only"). Spaces are ASCII and so accepted; no
// narrower character set is documented. ModifyFlowLogAttribute: ASCII
// (acs3-and-lifecycle §2.2 "ClientToken (ASCII)"). DescribeFlowlogs,
// DeleteFlowlog, ActiveFlowLog and DeactiveFlowLog document their
// ClientToken without a rule (api-spec §3.2-3.4). The limit of 64 on the
// actions other than CreateFlowlog, and ASCII on those without it, apply
// with WithStrictRules only.
func (p *cbnProduct) tokenRules(action string) tokenRules {
	switch {
	case action == "CreateFlowlog" || p.strict():
		return tokenRules{maxLen: 64, ascii: true}
	case action == "ModifyFlowLogAttribute":
		return tokenRules{ascii: true}
	}
	return tokenRules{}
}

// checkClientToken validates the request's ClientToken with its action's
// rules (see tokenRules).
func (p *cbnProduct) checkClientToken(req *rpcRequest) *apiError {
	rules := p.tokenRules(req.Action)
	tok := req.Get("ClientToken")
	if rules.maxLen > 0 && len(tok) > rules.maxLen {
		return errCBNInvalid("ClientToken", "ClientToken must be at most 64 characters")
	}
	for i := 0; rules.ascii && i < len(tok); i++ {
		if tok[i] > 0x7f {
			return errCBNInvalid("ClientToken", "ClientToken must be ASCII")
		}
	}
	return nil
}

// tagRules are the rules of CEN's tag lists (see parseTagParams). The
// Tag.N of CreateFlowlog gets api-spec §2.1's: key up to 64 characters,
// each key unique, and the rest of the create rules, in lower case. The
// Tag.N filter of DescribeFlowlogs documents the key length of 64
// (api-spec §3.2 "key ≤64"), which applies; CreateFlowlog's other rules
// apply to it with WithStrictRules only, as do the prefixes and URLs in
// another letter case. All violations are InvalidParameter.
func (p *cbnProduct) tagRules(filter bool) tagRules {
	if filter && !p.strict() {
		return tagRules{maxKeyLen: 64}
	}
	return tagRules{maxKeyLen: 64, create: true, anyCase: p.strict(), uniqueKeys: true}
}

// parseInterval validates Interval (seconds, 60 or 600; 0 if absent):
// api-spec §2.1 ([TEA]) "seconds: 60 or 600, default 600", §3.2
// (DescribeFlowlogs "Interval (60/600)"), acs3-and-lifecycle §2.2 (Modify).
// The code and message are the emulator choice api-spec §2.3 proposes:
// InvalidParameter "The specified parameter Interval is not valid."
func parseInterval(req *rpcRequest) (int, *apiError) {
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

// replayToken implements ClientToken idempotency for mutating actions (seed
// 000 ClientToken "用于保证请求的幂等性", it makes the request idempotent;
// api-spec §2.1, §3.3, §3.4). The scope is the AccessKeyId and the action;
// only successful requests consume a token, and tokens never expire
// (emulator choices: no source gives either). It returns the earlier
// request's record and true if the token was used before with the same
// parameters, and IdempotentParameterMismatch if with different ones, a
// request seed 000 says the client must not make (see
// errCBNIdempotentMismatch for the choice of answer).
func (p *cbnProduct) replayToken(req *rpcRequest) (cenToken, bool, *apiError) {
	if req.Get("ClientToken") == "" {
		return cenToken{}, false, nil
	}
	t, ok := p.tokens[tokenKey(req)]
	if !ok {
		return cenToken{}, false, nil
	}
	if t.fingerprint != fingerprint(req.Params) {
		return cenToken{}, false, errCBNIdempotentMismatch
	}
	return t, true, nil
}

// consumeToken records a successful request under its ClientToken.
func (p *cbnProduct) consumeToken(req *rpcRequest, flowLogID string) {
	if req.Get("ClientToken") == "" {
		return
	}
	p.tokens[tokenKey(req)] = cenToken{fingerprint: fingerprint(req.Params), flowLogID: flowLogID}
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

// createFlowlog validates in this order (emulator choice: the real order is
// not documented): required parameters, parameter formats, ClientToken
// replay, CEN, transit router and attachment existence, one flow log per
// transit router or attachment. A missing SLS project or logstore is
// created, as the newest documentation says (api-spec §2.1 ProjectName
// "Auto-created if it does not exist").
//
// Required: RegionId and CenId (seed 000 "是"); ProjectName and LogStoreName
// (seed 000 "是"; the newest metadata no longer marks them so, and api-spec
// §2.1 chooses to require them for compatibility with seed 000); one of
// TransitRouterAttachmentId and TransitRouterId, else MissingParameter
// (api-spec §2.1 "Emulator choice ... (inferred)"). The emulator never reads
// the SDK's business Version field, which the SDK overwrites with the API
// version anyway (api-spec §2.1).
func (p *cbnProduct) createFlowlog(req *rpcRequest) (any, error) {
	if rerr := requireParams(req, errCBNMissing, "RegionId", "CenId", "ProjectName", "LogStoreName"); rerr != nil {
		return nil, rerr
	}
	region, cenID := req.Get("RegionId"), req.Get("CenId")
	attID, trID := req.Get("TransitRouterAttachmentId"), req.Get("TransitRouterId")
	if attID == "" && trID == "" {
		return nil, errCBNMissing("TransitRouterAttachmentId")
	}
	p.flowLogs.settle(req.Now, nil)

	project, logstore := req.Get("ProjectName"), req.Get("LogStoreName")
	if rerr := checkSLSNames(project, logstore, errCBNInvalid); rerr != nil {
		return nil, rerr
	}
	if rerr := p.checkCENCreateNames(req); rerr != nil {
		return nil, rerr
	}
	interval, rerr := parseInterval(req)
	if rerr != nil {
		return nil, rerr
	}
	if interval == 0 {
		interval = 600 // api-spec §2.1 "default 600"
	}
	if req.Has("LogFormatString") {
		f, pattern := req.Get("LogFormatString"), logFormatPattern
		if p.strict() {
			pattern = strictLogFormatPattern
		}
		if !pattern.MatchString(f) || !strings.HasPrefix(f, logFormatPrefix) {
			return nil, errCBNInvalid("LogFormatString", "LogFormatString must be ${field}... starting with "+logFormatPrefix)
		}
	}
	// api-spec §2.1 Tag.N: key ≤64 characters (see cbnProduct.tagRules).
	tags, rerr := parseTagParams(req.Params, "Tag", p.tagRules(false), errCBNInvalid)
	if rerr != nil {
		return nil, rerr
	}
	if rerr := p.checkClientToken(req); rerr != nil {
		return nil, rerr
	}
	if t, ok, rerr := p.replayToken(req); rerr != nil {
		return nil, rerr
	} else if ok {
		return cbnCreateFlowlogResponse{RequestId: req.RequestID, Success: true, FlowLogId: t.flowLogID}, nil
	}

	// api-spec §2.3 "(Emulator choice): for an unknown CEN use
	// InvalidCenId.NotFound".
	if !p.cens[cenID] {
		return nil, errCBNCenNotFound
	}
	// The request names the CEN instance and the region the flow log is
	// created in (seed 000 CenId, RegionId "流日志的所属地域"), so a transit
	// router or attachment outside them cannot be its target: the refusal
	// is inevitable; answering it as not found is an emulator choice.
	if trID != "" {
		// A transit router of another CEN instance or region is not found.
		if tr, ok := p.routers[trID]; !ok || tr.cenID != cenID || tr.region != region {
			return nil, errCBNRouterNotFound
		}
	}
	if attID != "" {
		// An attachment of another CEN instance, region or (if
		// TransitRouterId is given) transit router is not found.
		att, ok := p.attachments[attID]
		if !ok || att.cenID != cenID || att.region != region || (trID != "" && att.trID != trID) {
			return nil, errCBNAttachmentNotFound
		}
		trID = att.trID
	}
	for _, fl := range p.flowLogs.list {
		// One flow log per transit router or attachment: api-spec §2.3
		// counts a duplicate flow log among CBN's refusals whose codes were
		// "not reachable" (VPC documents the same rule, seed 004
		// InvalidResourceId.NotFound); the code is an emulator choice (see
		// errCBNFlowLogExists). Flow logs that are being deleted still count
		// until they are gone (emulator choice).
		if fl.TransitRouterID == trID && fl.TransitRouterAttachmentID == attID {
			return nil, errCBNFlowLogExists
		}
	}

	p.addLogStore(project, logstore)

	fl := &cenFlowLog{CENFlowLog: CENFlowLog{
		FlowLogID:                 p.newFlowLogID(),
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
	p.start(fl, req.Now, CENStatusCreating, CENStatusActive)
	p.flowLogs.add(fl)
	p.consumeToken(req, fl.FlowLogID)
	return cbnCreateFlowlogResponse{RequestId: req.RequestID, Success: true, FlowLogId: fl.FlowLogID}, nil
}

// newFlowLogID returns "flowlog-" + 18 random lower-case alphanumerics, the
// shape of real CEN flow log IDs.
func (p *cbnProduct) newFlowLogID() string { return newID(p.flowLogs.byID, "flowlog-", 18) }

// ---- DescribeFlowlogs ----------------------------------------------------------

// cbnFlowLogJSON is a flow log in the DescribeFlowlogs response (a
// describeResponse), shaped like the SDK's cbn.DescribeFlowlogsResponse:
// tags are wrapped in an object (Tags.Tag). TransitRouterId,
// LogFormatString and FlowLogVersion are in the newest metadata but not in
// the pinned SDK's struct.
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
// Active and Inactive (api-spec §3.2 "Status (Active|Inactive)"), and the
// transitional states (emulator choice).
var cenStatuses = []string{
	CENStatusActive, CENStatusInactive, CENStatusCreating, CENStatusModifying, CENStatusDeleting,
}

// describeFlowlogs lists flow logs of a region in creation order. All
// filters are exact matches and combine with AND; a tag filter without a
// value matches any value. An unknown FlowLogId yields an empty list, not an
// error (clients rely on that to detect deletion).
//
// Sources: api-spec §3.2. RegionId is required ("marked N in [TEA], Y in
// practice"); PageSize is 1..50 and PageNumber at least 1 (see pageParams),
// else InvalidParameter, as are a Status or Interval outside the accepted
// values (emulator choices). The Tag.N filter gets its documented key
// length (see cbnProduct.tagRules) and ClientToken no rule (see
// cbnProduct.tokenRules); both get CreateFlowlog's other rules with
// WithStrictRules.
func (p *cbnProduct) describeFlowlogs(req *rpcRequest) (any, error) {
	if rerr := requireParams(req, errCBNMissing, "RegionId"); rerr != nil {
		return nil, rerr
	}
	region := req.Get("RegionId")
	p.flowLogs.settle(req.Now, nil)
	page, size, rerr := pageParams(req, cenStatuses, errCBNInvalid)
	if rerr != nil {
		return nil, rerr
	}
	interval, rerr := parseInterval(req)
	if rerr != nil {
		return nil, rerr
	}
	tagFilter, rerr := parseTagParams(req.Params, "Tag", p.tagRules(true), errCBNInvalid)
	if rerr != nil {
		return nil, rerr
	}
	if rerr := p.checkClientToken(req); rerr != nil {
		return nil, rerr
	}

	matched := p.flowLogs.match(req, region, []paramFilter[*cenFlowLog]{
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
	}, tagFilter, func(f *cenFlowLog) bool {
		return interval == 0 || f.Interval == interval
	})
	return describePage(req, matched, page, size, func(fl *cenFlowLog) cbnFlowLogJSON {
		return cenToJSON(fl.snapshot())
	}), nil
}

// ---- Delete, Active, Deactive, Modify ------------------------------------------

// mutate is the common frame of the actions on one flow log: RegionId and
// FlowLogId are required (api-spec §3.3 DeleteFlowlog "RegionId (Y),
// FlowLogId (Y)", §3.4 Active/Deactive; acs3-and-lifecycle §2.2 Modify);
// the flow log must exist in that region (else InvalidFlowlogId.NotFound,
// api-spec §2.3, §3.3 [TF]) and, if CenId is given, in that CEN instance:
// the older docs addressed a flow log by CenId and FlowLogId (api-spec §3.3
// "CenId (N; Y in old docs)"), so a request with another CEN's ID names a
// flow log that does not exist, and answering it InvalidFlowlogId.NotFound
// is an emulator choice. The ClientToken gets its action's rules (see
// cbnProduct.tokenRules); one already used with the same parameters
// returns success without acting again. apply validates the action's own
// parameters and state and performs the change.
func (p *cbnProduct) mutate(req *rpcRequest, apply func(fl *cenFlowLog) *apiError) (any, error) {
	if rerr := requireParams(req, errCBNMissing, "RegionId", "FlowLogId"); rerr != nil {
		return nil, rerr
	}
	if rerr := p.checkClientToken(req); rerr != nil {
		return nil, rerr
	}
	p.flowLogs.settle(req.Now, nil)
	if _, ok, rerr := p.replayToken(req); rerr != nil {
		return nil, rerr
	} else if ok {
		return okResponse(req), nil
	}
	fl := p.flowLogs.byID[req.Get("FlowLogId")]
	if fl == nil || fl.RegionID != req.Get("RegionId") || (req.Get("CenId") != "" && fl.CENID != req.Get("CenId")) {
		return nil, errCBNFlowLogNotFound
	}
	if rerr := apply(fl); rerr != nil {
		return nil, rerr
	}
	p.consumeToken(req, fl.FlowLogID)
	return okResponse(req), nil
}

// modifyFlowLogAttribute changes FlowLogName, Description or Interval:
// Modifying, then back to the previous state (emulator choice; the docs
// only describe the Active case: acs3-and-lifecycle §2.2 "The status is
// Modifying ..., then Active"). Parameters, same section: FlowLogName empty
// or 1–128, Description empty or 1–256, neither starting with http(s)://
// (checkNameParams; seed 000's stricter rules are CreateFlowlog's),
// Interval 60 or 600. A flow log in a transitional state is
// IncorrectStatus.flowlog, the code Terraform retries on Modify (api-spec
// §2.3, §3.4 [TF]).
func (p *cbnProduct) modifyFlowLogAttribute(req *rpcRequest) (any, error) {
	return p.mutate(req, func(fl *cenFlowLog) *apiError {
		if rerr := checkNameParams(req, p.createURLRule(), errCBNInvalid); rerr != nil {
			return rerr
		}
		interval, rerr := parseInterval(req)
		if rerr != nil {
			return rerr
		}
		if rerr := p.startModify(fl, req.Now, cenStates, errCBNModifyIncorrectStatus); rerr != nil {
			return rerr
		}
		setNameParams(req, &fl.FlowLogName, &fl.Description)
		if interval != 0 {
			fl.Interval = interval
		}
		return nil
	})
}
