package flowlogtest

import (
	"crypto/rand"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file emulates the flow-log actions of Alibaba Cloud VPC, API version
// 2016-04-28: CreateFlowLog, DescribeFlowLogs, DeleteFlowLog, ActiveFlowLog,
// DeactiveFlowLog, ModifyFlowLogAttribute, OpenFlowLogService and
// GetFlowLogServiceStatus. Validation rules, codes and messages follow the
// newest official documentation (api-spec.md §1, §3); where the docs are
// silent the choice is marked "emulator choice".

// VPCVersion is the API version of Alibaba Cloud VPC.
const VPCVersion = "2016-04-28"

func init() {
	registerRPCAPI(&rpcAPI{
		Product: "Vpc",
		Version: VPCVersion,
		Actions: map[string]rpcHandler{
			"CreateFlowLog":           (*Server).vpcCreateFlowLog,
			"DescribeFlowLogs":        (*Server).vpcDescribeFlowLogs,
			"DeleteFlowLog":           (*Server).vpcDeleteFlowLog,
			"ActiveFlowLog":           (*Server).vpcActiveFlowLog,
			"DeactiveFlowLog":         (*Server).vpcDeactiveFlowLog,
			"ModifyFlowLogAttribute":  (*Server).vpcModifyFlowLogAttribute,
			"OpenFlowLogService":      (*Server).vpcOpenFlowLogService,
			"GetFlowLogServiceStatus": (*Server).vpcGetFlowLogServiceStatus,
		},
	})
}

// VPC flow log states as DescribeFlowLogs reports them. The -ing states are
// transitional; they settle after the activation delay.
const (
	VPCStatusActive       = "Active"
	VPCStatusActivating   = "Activating"
	VPCStatusInactive     = "Inactive"
	VPCStatusDeactivating = "Deactivating"
	VPCStatusModifying    = "Modifying"
	VPCStatusDeleting     = "Deleting"
)

// Business statuses accepted by SetBusinessStatus.
const (
	BusinessStatusNormal          = "Normal"
	BusinessStatusFinancialLocked = "FinancialLocked"
)

// VPCFlowLog is a snapshot of one emulated VPC flow log, as returned by
// Server.VPCFlowLogs. Status, BusinessStatus, DeliverStatus and
// DeliverErrorMessage are what DescribeFlowLogs would report at the time of
// the snapshot.
type VPCFlowLog struct {
	FlowLogID           string
	FlowLogName         string
	Description         string
	RegionID            string
	ResourceType        string // NetworkInterface | VSwitch | VPC
	ResourceID          string
	VPCID               string // the VPC the resource belongs to
	TrafficType         string // All | Allow | Drop
	ProjectName         string
	LogStoreName        string
	AggregationInterval int // minutes
	TrafficPath         []string
	IPVersion           string
	ResourceGroupID     string
	Tags                []Tag
	CreationTime        time.Time
	// ActivatedAt is when the flow log last became Active (zero if never).
	ActivatedAt time.Time

	Status              string
	BusinessStatus      string
	DeliverStatus       string // SUCCESS | FAILED | "" (not active)
	DeliverErrorMessage string
}

type vpcRegion struct {
	serviceClosed  bool // zero value = opened, the default
	businessStatus string
}

type vpcNetwork struct {
	region string
	vpcID  string // the VPC itself, or the parent VPC
	vswID  string // parent vSwitch of an ENI
}

type vpcFlowLog struct {
	VPCFlowLog // static fields; Status is the current state

	// While Status is transitional it becomes next at settleAt; next == ""
	// means the flow log disappears (deletion).
	next     string
	settleAt time.Time
	// deliveryError, when non-empty, makes an Active flow log report
	// FlowLogDeliverStatus=FAILED with this message (see FailDelivery).
	deliveryError string
}

type vpcState struct {
	regions   map[string]*vpcRegion
	vpcs      map[string]vpcNetwork
	vswitches map[string]vpcNetwork
	enis      map[string]vpcNetwork
	flowLogs  []*vpcFlowLog // creation order, which Describe preserves
	byID      map[string]*vpcFlowLog
}

func newVPCState() vpcState {
	return vpcState{
		regions:   make(map[string]*vpcRegion),
		vpcs:      make(map[string]vpcNetwork),
		vswitches: make(map[string]vpcNetwork),
		enis:      make(map[string]vpcNetwork),
		byID:      make(map[string]*vpcFlowLog),
	}
}

// region returns the region's state, creating it. The caller holds s.mu.
func (st *vpcState) region(id string) *vpcRegion {
	r := st.regions[id]
	if r == nil {
		r = &vpcRegion{businessStatus: BusinessStatusNormal}
		st.regions[id] = r
	}
	return r
}

// settle applies every transition that is due at now. State is evaluated
// lazily like this, on every read and write, instead of with timers: the
// emulator then follows an injected clock exactly and leaves no goroutines
// behind. The caller holds s.mu.
func (st *vpcState) settle(now time.Time) {
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
		if fl.next == VPCStatusActive {
			fl.ActivatedAt = fl.settleAt
		}
		fl.Status, fl.next, fl.settleAt = fl.next, "", time.Time{}
		kept = append(kept, fl)
	}
	clear(st.flowLogs[len(kept):])
	st.flowLogs = kept
}

// transition starts a transitional state that settles into next after the
// activation delay.
func (s *Server) transition(fl *vpcFlowLog, now time.Time, status, next string) {
	fl.Status, fl.next = status, next
	fl.settleAt = now.Add(s.settleDelay())
}

// snapshot renders fl as DescribeFlowLogs would show it. The caller holds s.mu.
func (s *Server) snapshot(fl *vpcFlowLog) VPCFlowLog {
	v := fl.VPCFlowLog
	v.TrafficPath = slices.Clone(fl.TrafficPath)
	v.Tags = slices.Clone(fl.Tags)
	v.BusinessStatus = s.vpc.region(fl.RegionID).businessStatus
	if fl.Status == VPCStatusActive {
		v.DeliverStatus = "SUCCESS"
		if fl.deliveryError != "" {
			v.DeliverStatus, v.DeliverErrorMessage = "FAILED", fl.deliveryError
		}
	}
	return v
}

// VPC error responses (all HTTP 400), verbatim from the documentation.
func errVPCMissing(param string) *rpcError {
	return &rpcError{Status: http.StatusBadRequest, Code: "MissingParameter",
		Message: "Missing mandatory parameter", Detail: param + " is missing"}
}

func errVPCInvalid(detail string) *rpcError {
	return &rpcError{Status: http.StatusBadRequest, Code: "INVALID_PARAMETER",
		Message: "The parameter invalid.", Detail: detail}
}

// errInvalidParameter is the emulator's choice for bad paging and filter
// values on DescribeFlowLogs, whose error table is not published.
func errInvalidParameter(param string) *rpcError {
	return &rpcError{Status: http.StatusBadRequest, Code: "InvalidParameter",
		Message: "Specified parameter " + param + " is not valid."}
}

var (
	errVPCRegionNotFound = errBadRequest("InvalidRegionId.NotFound",
		"The RegionId provided does not exist in our records.")
	errVPCResourceTypeUnsupported = errBadRequest("OperationUnsupported.ResourceType",
		"This resource type is not supported.")
	errVPCResourceTypeMismatch = errBadRequest("InvalidResourceType.NotFound",
		"Resource type no the same.")
	errVPCNoDestination = errBadRequest("MissingParam.TrafficAnalyzerIdOrLogProjectOrLogStore",
		"TrafficAnalyzerId and ProjectName and LogStoreName parameters are not passed in.")
	errVPCAnalyzerNotFound = errBadRequest("OperationDenied.NisTrafficAnalyzerNotFound",
		"The specified NIS Traffic Analyzer does not exist.")
	errVPCProjectOrLogstore = errBadRequest("ProjectOrLogstoreNotExist",
		"The specified project or logstore does not exist.")
	errVPCAggregationInterval = errBadRequest("IllegalParam.AggregationInterval",
		"The param of aggregationInterval is illegal.")
	errVPCTrafficPathIllegal = errBadRequest("IllegalParam.TrafficPath",
		"The param of trafficPath is illegal.")
	errVPCTrafficPathDuplicated = errBadRequest("DuplicatedParam.TrafficPath",
		"The param of trafficPath is duplicated.")
	errVPCTrafficPathUnsupported = errBadRequest("UnsupportedFeature.UserDefinedTrafficPath",
		"The feature of UserDefinedTrafficPath is not supported.")
	errVPCTrafficPathIPv6 = errBadRequest("UnsupportedFeature.UserDefinedTrafficPathIpv6",
		"Dual-stack flow log instances do not support custom trafficPath.")
	errVPCIPVersion = errBadRequest("IllegalParam.IpVersion",
		"The parameter of IpVersion is illegal.")
	errVPCResourceGroup = errBadRequest("IllegalParam.ResourceGroupId",
		"Invalid ResourceGroupld value.") // sic: the documented message has a lower-case L
	errVPCOptIn = errBadRequest("OptInRequired.FlowLog",
		"You are not authorized to use the requested service of flowLog. "+
			"Ensure that you have subscribed to the service you are trying to use.")
	errVPCBusinessStatus = errBadRequest("IncorrectBusinessStatus.FlowLog",
		"The business status of flowLog is incorrect.")
	errVPCAlreadyHasFlowLog = errBadRequest("InvalidResourceId.NotFound",
		"This resourceId already has flowlog instance existed.")
	errVPCQuota = errBadRequest("QuotaExceeded.FlowlogCount",
		"This user has reached the maximum instance number of flowlog.")
	errVPCFlowLogNotFound = errBadRequest("InvalidInstanceId",
		"Instance does not exist.")
	errVPCIncorrectStatus = errBadRequest("IncorrectStatus.flowlog",
		"Invalid flowlog status.")
)

// errVPCResourceNotFound is InvalidInstanceId for an unknown ResourceId. The
// documented message names the vSwitch; the ENI and VPC variants are the
// emulator's choice in the same style.
func errVPCResourceNotFound(resourceType string) *rpcError {
	noun := map[string]string{"VSwitch": "vswitch", "VPC": "vpc", "NetworkInterface": "networkInterface"}[resourceType]
	return errBadRequest("InvalidInstanceId", noun+" does not exist.")
}

// resourcePrefixes maps ResourceType to the prefix its IDs carry.
var resourcePrefixes = map[string]string{
	"NetworkInterface": "eni-",
	"VSwitch":          "vsw-",
	"VPC":              "vpc-",
}

// trafficTypes maps accepted TrafficType spellings to the canonical value.
// The documented values are All, Allow and Drop; matching ignores case
// because the older official example sends "all" (emulator choice). The
// canonical spelling is stored and reported.
var trafficTypes = map[string]string{"all": "All", "allow": "Allow", "drop": "Drop"}

var (
	// resourceGroupPattern accepts IDs shaped like "rg-acfmxazdjdhd****"
	// (emulator choice: letters and digits after the prefix).
	resourceGroupPattern = regexp.MustCompile(`^rg-[A-Za-z0-9]{1,64}$`)
)

// checkText validates FlowLogName and Description: 1..maxLen characters,
// not starting with http:// or https://.
func checkText(req *rpcRequest, param string, maxLen int) *rpcError {
	return checkTextParam(req, param, maxLen, errVPCInvalid)
}

// parseAggregationInterval validates AggregationInterval (minutes, 1/5/10).
func parseAggregationInterval(req *rpcRequest) (int, *rpcError) {
	if !req.Has("AggregationInterval") {
		return 0, nil
	}
	n, err := strconv.Atoi(req.Get("AggregationInterval"))
	if err != nil || (n != 1 && n != 5 && n != 10) {
		return 0, errVPCAggregationInterval
	}
	return n, nil
}

// checkIPVersion validates IpVersion. No value list is documented; IPv4 and
// IPv6 are accepted (emulator choice).
func checkIPVersion(req *rpcRequest) *rpcError {
	if !req.Has("IpVersion") {
		return nil
	}
	switch req.Get("IpVersion") {
	case "IPv4", "IPv6":
		return nil
	}
	return errVPCIPVersion
}

// parseTags reads "<prefix>.N.Key" / "<prefix>.N.Value" pairs and applies
// the documented rules: at most 20 tags; key non-empty, at most 128
// characters; value at most 128; neither starts with "aliyun" or "acs:" nor
// contains "http://" or "https://". Duplicate keys are rejected (emulator
// choice). All violations are INVALID_PARAMETER.
func parseTags(params url.Values, prefix string) ([]Tag, *rpcError) {
	return parseTagParams(params, prefix, 128, errVPCInvalid)
}

// parseTrafficPath validates TrafficPath.N: values all | internetGateway,
// no duplicates; internetGateway needs the allow-list and IPv4.
func (s *Server) parseTrafficPath(req *rpcRequest) ([]string, *rpcError) {
	m := indexed(req.Params, "TrafficPath", "")
	if len(m) == 0 {
		return []string{"all"}, nil
	}
	var paths []string
	for _, n := range sortedKeys(m) {
		v := m[n]
		if v != "all" && v != "internetGateway" {
			return nil, errVPCTrafficPathIllegal
		}
		if slices.Contains(paths, v) {
			return nil, errVPCTrafficPathDuplicated
		}
		paths = append(paths, v)
	}
	if slices.Contains(paths, "internetGateway") {
		if !s.cfg.trafficPathAllowed {
			return nil, errVPCTrafficPathUnsupported
		}
		if req.Get("IpVersion") == "IPv6" {
			return nil, errVPCTrafficPathIPv6
		}
	}
	return paths, nil
}

// requireRegion checks RegionId is present and known, and settles due
// transitions so the handler sees current state.
func (s *Server) requireRegion(req *rpcRequest) (string, *rpcError) {
	region := req.Get("RegionId")
	if region == "" {
		return "", errVPCMissing("RegionId")
	}
	if _, ok := s.vpc.regions[region]; !ok {
		return "", errVPCRegionNotFound
	}
	s.vpc.settle(req.Now)
	return region, nil
}

// requireFlowLog looks up FlowLogId in the region.
func (s *Server) requireFlowLog(req *rpcRequest) (*vpcFlowLog, *rpcError) {
	region, rerr := s.requireRegion(req)
	if rerr != nil {
		return nil, rerr
	}
	id := req.Get("FlowLogId")
	if id == "" {
		return nil, errVPCMissing("FlowLogId")
	}
	fl := s.vpc.byID[id]
	if fl == nil || fl.RegionID != region {
		return nil, errVPCFlowLogNotFound
	}
	return fl, nil
}

type vpcCreateFlowLogResponse struct {
	RequestId       string
	Success         string
	FlowLogId       string
	ResourceGroupId string
}

// vpcCreateFlowLog validates in this order: required parameters, region,
// resource type and ID shape, traffic type, destination, optional
// parameters, account state (service opened, business status), resource
// and logstore existence, one flow log per resource, quota.
func (s *Server) vpcCreateFlowLog(req *rpcRequest) (any, error) {
	for _, p := range []string{"RegionId", "ResourceType", "ResourceId", "TrafficType"} {
		if req.Get(p) == "" {
			return nil, errVPCMissing(p)
		}
	}
	region, rerr := s.requireRegion(req)
	if rerr != nil {
		return nil, rerr
	}
	resourceType, resourceID := req.Get("ResourceType"), req.Get("ResourceId")
	prefix, ok := resourcePrefixes[resourceType]
	if !ok {
		return nil, errVPCResourceTypeUnsupported
	}
	if !strings.HasPrefix(resourceID, prefix) {
		return nil, errVPCResourceTypeMismatch
	}
	trafficType, ok := trafficTypes[strings.ToLower(req.Get("TrafficType"))]
	if !ok {
		return nil, errVPCInvalid("TrafficType must be All, Allow or Drop")
	}

	if req.Has("TrafficAnalyzerId") {
		// NIS traffic analyzers are not emulated, so none exists.
		return nil, errVPCAnalyzerNotFound
	}
	project, logstore := req.Get("ProjectName"), req.Get("LogStoreName")
	if project == "" || logstore == "" {
		// Without an analyzer, a complete SLS destination is required.
		return nil, errVPCNoDestination
	}
	if !slsProjectPattern.MatchString(project) {
		return nil, errVPCInvalid("ProjectName must be 3..63 of [a-z0-9-], starting and ending with [a-z0-9]")
	}
	if !slsLogStorePattern.MatchString(logstore) {
		return nil, errVPCInvalid("LogStoreName must be 3..63 of [a-z0-9_-], starting and ending with [a-z0-9]")
	}
	if rerr := checkText(req, "FlowLogName", 128); rerr != nil {
		return nil, rerr
	}
	if rerr := checkText(req, "Description", 256); rerr != nil {
		return nil, rerr
	}
	interval, rerr := parseAggregationInterval(req)
	if rerr != nil {
		return nil, rerr
	}
	if interval == 0 {
		interval = 10
	}
	if rerr := checkIPVersion(req); rerr != nil {
		return nil, rerr
	}
	paths, rerr := s.parseTrafficPath(req)
	if rerr != nil {
		return nil, rerr
	}
	rg := DefaultResourceGroupID
	if req.Has("ResourceGroupId") {
		rg = req.Get("ResourceGroupId")
		if !resourceGroupPattern.MatchString(rg) {
			return nil, errVPCResourceGroup
		}
	}
	tags, rerr := parseTags(req.Params, "Tag")
	if rerr != nil {
		return nil, rerr
	}

	reg := s.vpc.regions[region]
	if reg.serviceClosed {
		return nil, errVPCOptIn
	}
	if reg.businessStatus != BusinessStatusNormal {
		return nil, errVPCBusinessStatus
	}

	var table map[string]vpcNetwork
	switch resourceType {
	case "NetworkInterface":
		table = s.vpc.enis
	case "VSwitch":
		table = s.vpc.vswitches
	default:
		table = s.vpc.vpcs
	}
	res, ok := table[resourceID]
	if !ok || res.region != region {
		return nil, errVPCResourceNotFound(resourceType)
	}
	if !s.sls[project][logstore] {
		return nil, errVPCProjectOrLogstore
	}
	inRegion := 0
	for _, fl := range s.vpc.flowLogs {
		if fl.ResourceID == resourceID {
			return nil, errVPCAlreadyHasFlowLog
		}
		if fl.RegionID == region {
			inRegion++
		}
	}
	if inRegion >= s.cfg.flowLogQuota {
		return nil, errVPCQuota
	}

	fl := &vpcFlowLog{VPCFlowLog: VPCFlowLog{
		FlowLogID:           s.newFlowLogID(),
		FlowLogName:         req.Get("FlowLogName"),
		Description:         req.Get("Description"),
		RegionID:            region,
		ResourceType:        resourceType,
		ResourceID:          resourceID,
		VPCID:               res.vpcID,
		TrafficType:         trafficType,
		ProjectName:         project,
		LogStoreName:        logstore,
		AggregationInterval: interval,
		TrafficPath:         paths,
		IPVersion:           req.Get("IpVersion"),
		ResourceGroupID:     rg,
		Tags:                tags,
		CreationTime:        req.Now.UTC().Truncate(time.Second),
	}}
	if fl.IPVersion == "" {
		fl.IPVersion = "IPv4"
	}
	s.transition(fl, req.Now, VPCStatusActivating, VPCStatusActive)
	s.vpc.flowLogs = append(s.vpc.flowLogs, fl)
	s.vpc.byID[fl.FlowLogID] = fl
	return vpcCreateFlowLogResponse{
		RequestId:       req.RequestID,
		Success:         "true",
		FlowLogId:       fl.FlowLogID,
		ResourceGroupId: rg,
	}, nil
}

// newFlowLogID returns "fl-" + 21 random lower-case alphanumerics, the shape
// of real VPC flow log IDs. The caller holds s.mu.
func (s *Server) newFlowLogID() string {
	for {
		var b [21]byte
		_, _ = rand.Read(b[:])
		for i := range b {
			b[i] = idAlphabet[int(b[i])%len(idAlphabet)]
		}
		id := "fl-" + string(b[:])
		if _, dup := s.vpc.byID[id]; !dup {
			return id
		}
	}
}

// The DescribeFlowLogs response, shaped like the SDK's
// vpc.DescribeFlowLogsResponse: counts are strings, lists are wrapped in
// objects (FlowLogs.FlowLog, TrafficPath.TrafficPathList, Tags.Tag).
type vpcDescribeFlowLogsResponse struct {
	RequestId  string
	Success    string
	TotalCount string
	PageNumber string
	PageSize   string
	FlowLogs   struct{ FlowLog []vpcFlowLogJSON }
}

type vpcTagJSON struct {
	Key   string
	Value string
}

type vpcFlowLogJSON struct {
	FlowLogId                  string
	FlowLogName                string
	Description                string
	Status                     string
	BusinessStatus             string
	FlowLogDeliverStatus       string
	FlowLogDeliverErrorMessage string
	CreationTime               string
	ResourceType               string
	ResourceId                 string
	TrafficType                string
	ProjectName                string
	LogStoreName               string
	RegionId                   string
	AggregationInterval        int
	TrafficPath                struct{ TrafficPathList []string }
	IpVersion                  string
	ResourceGroupId            string
	ServiceType                string
	Tags                       struct{ Tag []vpcTagJSON }
}

func toJSON(v VPCFlowLog) vpcFlowLogJSON {
	j := vpcFlowLogJSON{
		FlowLogId:                  v.FlowLogID,
		FlowLogName:                v.FlowLogName,
		Description:                v.Description,
		Status:                     v.Status,
		BusinessStatus:             v.BusinessStatus,
		FlowLogDeliverStatus:       v.DeliverStatus,
		FlowLogDeliverErrorMessage: v.DeliverErrorMessage,
		CreationTime:               v.CreationTime.UTC().Format(timestampLayout),
		ResourceType:               v.ResourceType,
		ResourceId:                 v.ResourceID,
		TrafficType:                v.TrafficType,
		ProjectName:                v.ProjectName,
		LogStoreName:               v.LogStoreName,
		RegionId:                   v.RegionID,
		AggregationInterval:        v.AggregationInterval,
		IpVersion:                  v.IPVersion,
		ResourceGroupId:            v.ResourceGroupID,
	}
	j.TrafficPath.TrafficPathList = append([]string{}, v.TrafficPath...)
	j.Tags.Tag = []vpcTagJSON{}
	for _, t := range v.Tags {
		j.Tags.Tag = append(j.Tags.Tag, vpcTagJSON(t))
	}
	return j
}

// knownStatuses are the values the Status filter accepts.
var knownStatuses = []string{
	VPCStatusActive, VPCStatusActivating, VPCStatusInactive,
	VPCStatusDeactivating, VPCStatusModifying, VPCStatusDeleting,
}

// vpcDescribeFlowLogs lists flow logs of a region in creation order. All
// filters are exact matches and combine with AND; an unknown FlowLogId
// yields an empty list, not an error (clients rely on that to detect
// deletion).
func (s *Server) vpcDescribeFlowLogs(req *rpcRequest) (any, error) {
	region, rerr := s.requireRegion(req)
	if rerr != nil {
		return nil, rerr
	}
	page, size := 1, 20
	if req.Has("PageNumber") {
		n, err := strconv.Atoi(req.Get("PageNumber"))
		if err != nil || n < 1 {
			return nil, errInvalidParameter("PageNumber")
		}
		page = n
	}
	if req.Has("PageSize") {
		n, err := strconv.Atoi(req.Get("PageSize"))
		if err != nil || n < 1 || n > 50 {
			return nil, errInvalidParameter("PageSize")
		}
		size = n
	}
	if req.Has("Status") && !slices.Contains(knownStatuses, req.Get("Status")) {
		return nil, errInvalidParameter("Status")
	}
	if rerr := checkText(req, "FlowLogName", 128); rerr != nil {
		return nil, rerr
	}
	if rerr := checkText(req, "Description", 256); rerr != nil {
		return nil, rerr
	}
	tagFilter, rerr := parseTags(req.Params, "Tags")
	if rerr != nil {
		return nil, rerr
	}
	trafficType := req.Get("TrafficType")
	if canon, ok := trafficTypes[strings.ToLower(trafficType)]; ok {
		trafficType = canon
	}

	filters := []struct {
		param string
		field func(*vpcFlowLog) string
	}{
		{"FlowLogId", func(f *vpcFlowLog) string { return f.FlowLogID }},
		{"FlowLogName", func(f *vpcFlowLog) string { return f.FlowLogName }},
		{"Description", func(f *vpcFlowLog) string { return f.Description }},
		{"ResourceId", func(f *vpcFlowLog) string { return f.ResourceID }},
		{"ResourceType", func(f *vpcFlowLog) string { return f.ResourceType }},
		{"VpcId", func(f *vpcFlowLog) string { return f.VPCID }},
		{"Status", func(f *vpcFlowLog) string { return f.Status }},
		{"ProjectName", func(f *vpcFlowLog) string { return f.ProjectName }},
		{"LogStoreName", func(f *vpcFlowLog) string { return f.LogStoreName }},
		{"ResourceGroupId", func(f *vpcFlowLog) string { return f.ResourceGroupID }},
	}
	var matched []*vpcFlowLog
next:
	for _, fl := range s.vpc.flowLogs {
		if fl.RegionID != region {
			continue
		}
		for _, f := range filters {
			if v := req.Get(f.param); v != "" && f.field(fl) != v {
				continue next
			}
		}
		if trafficType != "" && fl.TrafficType != trafficType {
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

	resp := vpcDescribeFlowLogsResponse{
		RequestId:  req.RequestID,
		Success:    "true",
		TotalCount: strconv.Itoa(len(matched)),
		PageNumber: strconv.Itoa(page),
		PageSize:   strconv.Itoa(size),
	}
	resp.FlowLogs.FlowLog = []vpcFlowLogJSON{}
	// Bounds are checked before multiplying, so a huge PageNumber cannot
	// overflow.
	if start := page - 1; start < (len(matched)+size-1)/size {
		lo := start * size
		hi := min(lo+size, len(matched))
		for _, fl := range matched[lo:hi] {
			resp.FlowLogs.FlowLog = append(resp.FlowLogs.FlowLog, toJSON(s.snapshot(fl)))
		}
	}
	return resp, nil
}

type vpcSuccessResponse struct {
	RequestId string
	Success   string
}

func okResponse(req *rpcRequest) vpcSuccessResponse {
	return vpcSuccessResponse{RequestId: req.RequestID, Success: "true"}
}

// vpcDeleteFlowLog starts an asynchronous deletion: the flow log reports
// Deleting for the activation delay, then disappears. Like the real API it
// refuses flow logs in a transitional state.
func (s *Server) vpcDeleteFlowLog(req *rpcRequest) (any, error) {
	fl, rerr := s.requireFlowLog(req)
	if rerr != nil {
		return nil, rerr
	}
	if fl.Status != VPCStatusActive && fl.Status != VPCStatusInactive {
		return nil, errVPCIncorrectStatus
	}
	s.transition(fl, req.Now, VPCStatusDeleting, "")
	return okResponse(req), nil
}

// vpcActiveFlowLog turns an Inactive flow log back on: Activating, then
// Active.
func (s *Server) vpcActiveFlowLog(req *rpcRequest) (any, error) {
	fl, rerr := s.requireFlowLog(req)
	if rerr != nil {
		return nil, rerr
	}
	if fl.Status != VPCStatusInactive {
		return nil, errVPCIncorrectStatus
	}
	s.transition(fl, req.Now, VPCStatusActivating, VPCStatusActive)
	return okResponse(req), nil
}

// vpcDeactiveFlowLog stops an Active flow log: Deactivating, then Inactive.
func (s *Server) vpcDeactiveFlowLog(req *rpcRequest) (any, error) {
	fl, rerr := s.requireFlowLog(req)
	if rerr != nil {
		return nil, rerr
	}
	if fl.Status != VPCStatusActive {
		return nil, errVPCIncorrectStatus
	}
	s.transition(fl, req.Now, VPCStatusDeactivating, VPCStatusInactive)
	return okResponse(req), nil
}

// vpcModifyFlowLogAttribute changes name, description, interval or IP
// version: Modifying, then back to the previous state.
func (s *Server) vpcModifyFlowLogAttribute(req *rpcRequest) (any, error) {
	fl, rerr := s.requireFlowLog(req)
	if rerr != nil {
		return nil, rerr
	}
	if rerr := checkText(req, "FlowLogName", 128); rerr != nil {
		return nil, rerr
	}
	if rerr := checkText(req, "Description", 256); rerr != nil {
		return nil, rerr
	}
	interval, rerr := parseAggregationInterval(req)
	if rerr != nil {
		return nil, rerr
	}
	if rerr := checkIPVersion(req); rerr != nil {
		return nil, rerr
	}
	if fl.Status != VPCStatusActive && fl.Status != VPCStatusInactive {
		return nil, errVPCIncorrectStatus
	}
	if req.Has("FlowLogName") {
		fl.FlowLogName = req.Get("FlowLogName")
	}
	if req.Has("Description") {
		fl.Description = req.Get("Description")
	}
	if interval != 0 {
		fl.AggregationInterval = interval
	}
	if req.Has("IpVersion") {
		fl.IPVersion = req.Get("IpVersion")
	}
	s.transition(fl, req.Now, VPCStatusModifying, fl.Status)
	return okResponse(req), nil
}

// vpcOpenFlowLogService opens the flow-log service in the request's region
// (the real service is per account; the emulator keeps it per region so
// tests can exercise both states side by side).
func (s *Server) vpcOpenFlowLogService(req *rpcRequest) (any, error) {
	region, rerr := s.requireRegion(req)
	if rerr != nil {
		return nil, rerr
	}
	s.vpc.regions[region].serviceClosed = false
	return struct{ RequestId string }{req.RequestID}, nil
}

func (s *Server) vpcGetFlowLogServiceStatus(req *rpcRequest) (any, error) {
	region, rerr := s.requireRegion(req)
	if rerr != nil {
		return nil, rerr
	}
	return struct {
		RequestId string
		Enabled   bool
	}{req.RequestID, !s.vpc.regions[region].serviceClosed}, nil
}
