package flowlogtest

import (
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// This file holds what the emulations of Alibaba Cloud VPC (vpc.go) and CEN
// (cbn.go) do alike: the SLS logstores both deliver to, a table of flow
// logs whose transitional states settle by themselves, actions that move
// one flow log through such a state, the paging, filters and response of
// DescribeFlowLogs / DescribeFlowlogs, and the parameter rules they share.
// Codes and messages stay each product's own: the helpers are given them.

// alibaba is the state and configuration the Alibaba products share. s.mu
// guards it.
type alibaba struct {
	cfg *config
	sls map[string]map[string]bool // project -> logstore set
}

func newAlibaba(cfg *config) *alibaba {
	return &alibaba{cfg: cfg, sls: make(map[string]map[string]bool)}
}

// addLogStore adds an SLS logstore, creating the project if needed.
func (a *alibaba) addLogStore(project, logstore string) {
	if a.sls[project] == nil {
		a.sls[project] = make(map[string]bool)
	}
	a.sls[project][logstore] = true
}

// transit is the part of a flow log's state that changes by itself: while
// its status is transitional it becomes next at settleAt; next == "" means
// the flow log disappears (deletion).
type transit struct {
	next     string
	settleAt time.Time
}

// aliFlowLog is a VPC or CEN flow log as the shared helpers see it.
type aliFlowLog interface {
	// ident returns the flow log's ID and region.
	ident() (id, region string)
	tagList() []Tag
	// state returns its Status field and its transit.
	state() (*string, *transit)
}

// flowLogTable holds a product's flow logs.
type flowLogTable[F aliFlowLog] struct {
	list []F // creation order, which Describe preserves
	byID map[string]F
}

func newFlowLogTable[F aliFlowLog]() flowLogTable[F] {
	return flowLogTable[F]{byID: make(map[string]F)}
}

// add adds a new flow log. The caller holds s.mu.
func (t *flowLogTable[F]) add(fl F) {
	id, _ := fl.ident()
	t.list = append(t.list, fl)
	t.byID[id] = fl
}

// settle applies every transition that is due at now. State is evaluated
// lazily like this, on every read and write, instead of with timers: the
// emulator then follows an injected clock exactly and leaves no goroutines
// behind. settled, if not nil, is called with each flow log that settled
// into a new status and the time it did. The caller holds s.mu.
func (t *flowLogTable[F]) settle(now time.Time, settled func(fl F, at time.Time)) {
	kept := t.list[:0]
	for _, fl := range t.list {
		status, tr := fl.state()
		if tr.settleAt.IsZero() || now.Before(tr.settleAt) {
			kept = append(kept, fl)
			continue
		}
		if tr.next == "" {
			id, _ := fl.ident()
			delete(t.byID, id)
			continue
		}
		at := tr.settleAt
		*status, tr.next, tr.settleAt = tr.next, "", time.Time{}
		if settled != nil {
			settled(fl, at)
		}
		kept = append(kept, fl)
	}
	clear(t.list[len(kept):])
	t.list = kept
}

// match returns the flow logs of region, in creation order, that pass
// every filter whose parameter was sent (exact matches), carry every tag of
// tagFilter (a tag without a value matches any value) and pass keep.
func (t *flowLogTable[F]) match(req *rpcRequest, region string, filters []paramFilter[F], tagFilter []Tag, keep func(F) bool) []F {
	// A FlowLogId (both products name it so) is looked up, not searched
	// for: the cost of a describe by ID then does not grow with the number
	// of flow logs, which would skew benchmarks that create many.
	candidates := t.list
	if id := req.Get("FlowLogId"); id != "" {
		candidates = nil
		if fl, ok := t.byID[id]; ok {
			candidates = []F{fl}
		}
	}
	var matched []F
next:
	for _, fl := range candidates {
		if _, r := fl.ident(); r != region || !keep(fl) {
			continue
		}
		for _, f := range filters {
			if v := req.Get(f.param); v != "" && f.field(fl) != v {
				continue next
			}
		}
		for _, want := range tagFilter {
			if !slices.ContainsFunc(fl.tagList(), func(t Tag) bool {
				return t.Key == want.Key && (want.Value == "" || t.Value == want.Value)
			}) {
				continue next
			}
		}
		matched = append(matched, fl)
	}
	return matched
}

// paramFilter is a Describe filter: the request parameter param must equal
// the flow log's field.
type paramFilter[F any] struct {
	param string
	field func(F) string
}

// start puts fl into the transitional status via, which becomes next ("":
// the flow log disappears) after the activation delay.
func (a *alibaba) start(fl aliFlowLog, now time.Time, via, next string) {
	status, tr := fl.state()
	*status, tr.next = via, next
	tr.settleAt = now.Add(a.settleDelay())
}

// move starts fl's transition through via into next, as start does, if its
// status is one of from; otherwise it returns wrong.
func (a *alibaba) move(fl aliFlowLog, now time.Time, from []string, via, next string, wrong *apiError) *apiError {
	if status, _ := fl.state(); !slices.Contains(from, *status) {
		return wrong
	}
	a.start(fl, now, via, next)
	return nil
}

// startModify moves fl, if it is Active or Inactive, through modifying back
// into its status, as ModifyFlowLogAttribute does; otherwise it returns
// wrong.
func (a *alibaba) startModify(fl aliFlowLog, now time.Time, n statusNames, wrong *apiError) *apiError {
	status, _ := fl.state()
	return a.move(fl, now, n.settled(), n.modifying, *status, wrong)
}

// statusNames are a product's names of the states its flow logs go through.
type statusNames struct {
	active, inactive                   string
	activating, deactivating, deleting string // transitional
	modifying                          string // transitional
}

// settled are the states in which a flow log accepts changes; the real APIs
// refuse to act on one in a transitional state: api-spec §3.3 (Delete: "does
// not support concurrent deletion of the same flow log"; CBN "only query is
// allowed while in a transitional state"), §3.4 (VPC Active/Deactive "no
// concurrent calls on the same flow log"), acs3-and-lifecycle §2.1 (VPC
// Modify "cannot be modified concurrently"), §2.2 (CEN Modify).
func (n statusNames) settled() []string { return []string{n.active, n.inactive} }

// statusHandlers returns the handlers of the three actions that only change
// a flow log's status, each within frame, the product's common frame of the
// actions on one flow log (it finds the flow log, runs apply on it and
// answers):
//   - delete starts an asynchronous deletion of an Active or Inactive flow
//     log: deleting for the activation delay, then gone;
//   - activate turns an Inactive flow log on: activating, then Active;
//   - deactivate turns an Active flow log off: deactivating, then Inactive.
//
// wrong is the error for a flow log in any other status: VPC
// IncorrectStatus.flowlog "Invalid flowlog status." (api-spec §3.4 [DOC]),
// CEN IncorrectStatus.TrFlowlog (api-spec §2.3, §3.3 [TF]). The from-states
// follow the documented paths (api-spec §3.4: ActiveFlowLog Inactive →
// Activating → Active, DeactiveFlowLog Active → Deactivating → Inactive).
func statusHandlers[F aliFlowLog](a *alibaba, frame func(*rpcRequest, func(F) *apiError) (any, error), n statusNames, wrong *apiError) (del, activate, deactivate rpcHandler) {
	handler := func(from []string, via, next string) rpcHandler {
		return func(req *rpcRequest) (any, error) {
			return frame(req, func(fl F) *apiError {
				return a.move(fl, req.Now, from, via, next, wrong)
			})
		}
	}
	return handler(n.settled(), n.deleting, ""),
		handler([]string{n.inactive}, n.activating, n.active),
		handler([]string{n.active}, n.deactivating, n.inactive)
}

// successResponse is the body of the write actions that return nothing
// else; their documented examples carry Success as the string "true".
type successResponse struct {
	RequestId string
	Success   string
}

func okResponse(req *rpcRequest) successResponse {
	return successResponse{RequestId: req.RequestID, Success: "true"}
}

// requireParams returns missing(p) for the first p of params that was not
// sent or is empty. The required parameters are each action's documented
// ones; the call sites cite them.
func requireParams(req *rpcRequest, missing func(param string) *apiError, params ...string) *apiError {
	for _, p := range params {
		if req.Get(p) == "" {
			return missing(p)
		}
	}
	return nil
}

// checkNameParams validates FlowLogName (1..128 characters) and Description
// (1..256) if they were sent, and refuses either starting with http:// or
// https:// as urls says; see checkTextParam. It is the rule of VPC
// CreateFlowLog (seed 004 FlowLogName "1 to 128 characters in length and
// cannot start with http:// or https://", Description "1 to 256
// characters"), VPC ModifyFlowLogAttribute (acs3-and-lifecycle §2.1) and
// CEN ModifyFlowLogAttribute (acs3-and-lifecycle §2.2: "empty or 1–128
// chars", "empty or 1–256", neither starting with http(s)://); those give
// urls = a.createURLRule(). VPC DescribeFlowLogs has "same length rules as
// Create" for its filters (api-spec §3.1) and no URL rule: it gives
// a.filterURLRule(). The library's Validate applies the same to VPC specs
// (internal/alirpc ValidateNames). CEN CreateFlowlog has seed 000's
// stricter rules instead (checkCENCreateNames).
func checkNameParams(req *rpcRequest, urls urlPrefixRule, invalid invalidFunc) *apiError {
	if rerr := checkTextParam(req, "FlowLogName", 128, urls, invalid); rerr != nil {
		return rerr
	}
	return checkTextParam(req, "Description", 256, urls, invalid)
}

// strict reports whether WithStrictRules was given: whether the rules
// that go beyond the documentation apply (see WithStrictRules).
func (a *alibaba) strict() bool { return a.cfg.strictRules }

// urlPrefixRule is how a name or description starting with http:// or
// https:// is treated.
type urlPrefixRule int

const (
	// urlPrefixAllowed: not refused (no rule documented).
	urlPrefixAllowed urlPrefixRule = iota
	// urlPrefixLowerCase: refused as the documentation writes the prefixes,
	// in lower case (seed 000, seed 004, acs3-and-lifecycle §2.1, §2.2).
	urlPrefixLowerCase
	// urlPrefixAnyCase: refused in any letter case ("HTTP://x"), a strict
	// rule: a URL scheme is case-insensitive (RFC 3986 §3.1), but the
	// documentation does not say that the rule is.
	urlPrefixAnyCase
)

// refuses reports whether the rule refuses v.
func (r urlPrefixRule) refuses(v string) bool {
	switch r {
	case urlPrefixLowerCase:
		return strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://")
	case urlPrefixAnyCase:
		return hasURLPrefix(v)
	}
	return false
}

// createURLRule is the URL prefix rule of the create and modify actions:
// the documented lower-case prefixes, in any letter case with
// WithStrictRules.
func (a *alibaba) createURLRule() urlPrefixRule {
	if a.strict() {
		return urlPrefixAnyCase
	}
	return urlPrefixLowerCase
}

// filterURLRule is the URL prefix rule of VPC DescribeFlowLogs' name and
// description filters: none is documented (api-spec §3.1 gives them
// Create's length rules only), so they get Create's only with
// WithStrictRules.
func (a *alibaba) filterURLRule() urlPrefixRule {
	if a.strict() {
		return urlPrefixAnyCase
	}
	return urlPrefixAllowed
}

// setNameParams sets name and description from FlowLogName and Description
// if they were sent.
func setNameParams(req *rpcRequest, name, description *string) {
	if req.Has("FlowLogName") {
		*name = req.Get("FlowLogName")
	}
	if req.Has("Description") {
		*description = req.Get("Description")
	}
}

// pageParams reads the paging of a Describe action, PageNumber (at least 1,
// 1 if absent) and PageSize (1..50, 20 if absent), and checks that Status,
// if sent, is one of statuses. VPC: api-spec §3.1 PageNumber "default 1",
// PageSize "default 20, max 50" [TEA][DOC-zh], §9 item 8 "PageSize 1–50
// ..., PageNumber ≥1"; the code for a bad value is an emulator choice
// (api-spec §3.1 "bad PageSize (>50 or <1) → InvalidParameter; bad Status →
// InvalidParameter"). CEN: api-spec §3.2 PageSize "min 1, default 20; no max
// documented — emulator choice: 50", PageNumber "default 1".
func pageParams(req *rpcRequest, statuses []string, invalid invalidFunc) (page, size int, rerr *apiError) {
	page, size = 1, 20
	if req.Has("PageNumber") {
		n, err := strconv.Atoi(req.Get("PageNumber"))
		if err != nil || n < 1 {
			return 0, 0, invalid("PageNumber", "PageNumber must be at least 1")
		}
		page = n
	}
	if req.Has("PageSize") {
		n, err := strconv.Atoi(req.Get("PageSize"))
		if err != nil || n < 1 || n > 50 {
			return 0, 0, invalid("PageSize", "PageSize must be 1..50")
		}
		size = n
	}
	if req.Has("Status") && !slices.Contains(statuses, req.Get("Status")) {
		return 0, 0, invalid("Status", "unknown Status")
	}
	return page, size, nil
}

// describeResponse is the body of a Describe action, shaped like the SDK's
// responses: counts and Success are strings, the list is wrapped in an
// object (FlowLogs.FlowLog).
type describeResponse[J any] struct {
	RequestId  string
	Success    string
	TotalCount string
	PageNumber string
	PageSize   string
	FlowLogs   struct{ FlowLog []J }
}

// describePage answers a Describe action with page (from 1) of matched,
// size flow logs a page, each rendered with render.
func describePage[F, J any](req *rpcRequest, matched []F, page, size int, render func(F) J) describeResponse[J] {
	resp := describeResponse[J]{
		RequestId:  req.RequestID,
		Success:    "true",
		TotalCount: strconv.Itoa(len(matched)),
		PageNumber: strconv.Itoa(page),
		PageSize:   strconv.Itoa(size),
	}
	resp.FlowLogs.FlowLog = []J{}
	// Bounds are checked before multiplying, so a huge PageNumber cannot
	// overflow.
	if start := page - 1; start < (len(matched)+size-1)/size {
		lo := start * size
		hi := min(lo+size, len(matched))
		for _, fl := range matched[lo:hi] {
			resp.FlowLogs.FlowLog = append(resp.FlowLogs.FlowLog, render(fl))
		}
	}
	return resp
}

// SLS destination names, shared by every product that delivers to SLS:
// seed 004 (VPC CreateFlowLog) ProjectName "can contain only lowercase
// letters, digits, and hyphens (-) ... must start and end with a lowercase
// letter or digit ... 3 to 63 characters in length", LogStoreName the same
// with underscores (_) besides; api-spec §2.1 ([TEA]) the same for CEN. The
// library checks the same patterns (internal/alirpc).
var (
	slsProjectPattern  = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$`)
	slsLogStorePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$`)
)

// invalidFunc builds a product's "invalid parameter" error for param from
// a detail that says which rule failed.
type invalidFunc func(param, detail string) *apiError

// checkSLSNames validates the SLS destination ProjectName and LogStoreName
// (see slsProjectPattern) with the product's "invalid parameter" error:
// VPC INVALID_PARAMETER (seed 004 "The parameter invalid."; api-spec §9
// item 3), CEN InvalidParameter (api-spec §2.3, emulator choice).
func checkSLSNames(project, logstore string, invalid invalidFunc) *apiError {
	if !slsProjectPattern.MatchString(project) {
		return invalid("ProjectName", "ProjectName must be 3..63 of [a-z0-9-], starting and ending with [a-z0-9]")
	}
	if !slsLogStorePattern.MatchString(logstore) {
		return invalid("LogStoreName", "LogStoreName must be 3..63 of [a-z0-9_-], starting and ending with [a-z0-9]")
	}
	return nil
}

// checkTextParam validates a name or description parameter if it was sent:
// 1..maxLen characters, not starting with http:// or https:// as urls says.
// An empty value that was sent is refused: the SDKs never send one
// (sdk-internals.md §A, api-spec §1.1 "Empty strings are not sent"), and 1
// character is the documented minimum.
func checkTextParam(req *rpcRequest, param string, maxLen int, urls urlPrefixRule, invalid invalidFunc) *apiError {
	if !req.Has(param) {
		return nil
	}
	v := req.Get(param)
	n := utf8.RuneCountInString(v)
	if n < 1 || n > maxLen {
		return invalid(param, param+" must be 1.."+strconv.Itoa(maxLen)+" characters")
	}
	if urls.refuses(v) {
		return invalid(param, param+" must not start with http:// or https://")
	}
	return nil
}

// hasURLPrefix reports whether v starts with http:// or https://, ignoring
// letter case: the strict rule (urlPrefixAnyCase). The docs (seed 000
// FlowLogName/Description, "不能以`http://`或`https://`开头"; seed 004 "cannot
// start with http:// or https://") name the lower-case prefixes only.
func hasURLPrefix(v string) bool {
	l := strings.ToLower(v)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// indexed collects repeated parameters "<prefix>.N<suffix>" (N = 1, 2, ...)
// into a map by N, the SDK's encoding of lists (api-spec §1.1 "Tag.1.Key=…
// &TrafficPath.1=all" [SDK-A]). Keys whose N is not a positive decimal integer are
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

// tagRules are the rules parseTagParams applies to a list of tags.
type tagRules struct {
	// maxKeyLen is the longest key in characters; 0 for no limit.
	maxKeyLen int
	// create applies the rest of the create actions' tag rules: at most 20
	// tags; a non-empty key; a value of at most 128 characters; neither
	// starting with "aliyun" or "acs:" nor containing "http://" or
	// "https://".
	create bool
	// anyCase compares those prefixes and contents in any letter case (a
	// strict rule: the documentation writes them in lower case).
	anyCase bool
	// uniqueKeys refuses a key given twice.
	uniqueKeys bool
}

// parseTagParams reads "<prefix>.N.Key" / "<prefix>.N.Value" pairs and
// applies rules to them. Sources of the create rules: VPC, seed 004
// Tag.N.Key "You can specify up to 20 tag keys. The tag key cannot be an
// empty string ... up to 128 characters in length and cannot start with
// aliyun or acs:. It cannot contain http:// or https://", Tag.N.Value "can
// be an empty string ... up to 128 characters", the same prefix and
// content rules; CEN, api-spec §2.1 ([TEA]): "≤20 tags. Key ≤64 chars ...
// non-empty, no aliyun/acs: prefix, no http(s)://", value "0–128 chars, same
// rules; each key must be unique". The library's alirpc.ValidateCommon
// applies the same create rules, in the same letter case. Each product
// says which rules apply to which list (vpcProduct.tagRules,
// cbnProduct.tagRules). Violations are reported with invalid, as of the
// parameter prefix.
func parseTagParams(params url.Values, prefix string, rules tagRules, invalid invalidFunc) ([]Tag, *apiError) {
	keys := indexed(params, prefix, ".Key")
	values := indexed(params, prefix, ".Value")
	idx := sortedKeys(keys, values)
	if rules.create && len(idx) > 20 {
		return nil, invalid(prefix, "more than 20 tags")
	}
	var tags []Tag
	seen := make(map[string]bool)
	for _, n := range idx {
		t := Tag{Key: keys[n], Value: values[n]}
		if rules.create && t.Key == "" {
			return nil, invalid(prefix, "tag key must not be empty")
		}
		if rules.uniqueKeys && seen[t.Key] {
			return nil, invalid(prefix, "duplicate tag key "+t.Key)
		}
		seen[t.Key] = true
		if rules.maxKeyLen > 0 && utf8.RuneCountInString(t.Key) > rules.maxKeyLen ||
			rules.create && utf8.RuneCountInString(t.Value) > 128 {
			return nil, invalid(prefix, "tag "+t.Key+" is too long")
		}
		if rules.create {
			for _, v := range []string{t.Key, t.Value} {
				if reservedTagText(v, rules.anyCase) {
					return nil, invalid(prefix, "invalid tag "+t.Key)
				}
			}
		}
		tags = append(tags, t)
	}
	return tags, nil
}

// reservedTagText reports whether a tag key or value starts with "aliyun"
// or "acs:" or contains "http://" or "https://", in lower case as
// documented (see parseTagParams) or, if anyCase, in any letter case.
func reservedTagText(v string, anyCase bool) bool {
	if anyCase {
		v = strings.ToLower(v)
	}
	return strings.HasPrefix(v, "aliyun") || strings.HasPrefix(v, "acs:") ||
		strings.Contains(v, "http://") || strings.Contains(v, "https://")
}
