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
	del, activate, deactivate := statusHandlers((*Server).vpcMutate, vpcStates, errVPCIncorrectStatus)
	registerRPCAPI(&rpcAPI{
		Product: "Vpc",
		Version: VPCVersion,
		Actions: map[string]rpcHandler{
			"CreateFlowLog":           (*Server).vpcCreateFlowLog,
			"DescribeFlowLogs":        (*Server).vpcDescribeFlowLogs,
			"DeleteFlowLog":           del,
			"ActiveFlowLog":           activate,
			"DeactiveFlowLog":         deactivate,
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

// vpcStates are the VPC states by role. DeleteFlowLog, ActiveFlowLog and
// DeactiveFlowLog go through Deleting, Activating and Deactivating (see
// statusHandlers).
var vpcStates = statusNames{
	active: VPCStatusActive, inactive: VPCStatusInactive,
	activating: VPCStatusActivating, deactivating: VPCStatusDeactivating, deleting: VPCStatusDeleting,
	modifying: VPCStatusModifying,
}

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
	transit
	// deliveryError, when non-empty, makes an Active flow log report
	// FlowLogDeliverStatus=FAILED with this message (see FailDelivery).
	deliveryError string
}

func (fl *vpcFlowLog) ident() (string, string)    { return fl.FlowLogID, fl.RegionID }
func (fl *vpcFlowLog) tagList() []Tag             { return fl.Tags }
func (fl *vpcFlowLog) state() (*string, *transit) { return &fl.Status, &fl.transit }

type vpcState struct {
	regions   map[string]*vpcRegion
	vpcs      map[string]vpcNetwork
	vswitches map[string]vpcNetwork
	enis      map[string]vpcNetwork
	flowLogs  flowLogTable[*vpcFlowLog]
}

func newVPCState() vpcState {
	return vpcState{
		regions:   make(map[string]*vpcRegion),
		vpcs:      make(map[string]vpcNetwork),
		vswitches: make(map[string]vpcNetwork),
		enis:      make(map[string]vpcNetwork),
		flowLogs:  newFlowLogTable[*vpcFlowLog](),
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

// settle applies every transition that is due at now (see
// flowLogTable.settle) and notes when a flow log became Active. The caller
// holds s.mu.
func (st *vpcState) settle(now time.Time) {
	st.flowLogs.settle(now, func(fl *vpcFlowLog, at time.Time) {
		if fl.Status == VPCStatusActive {
			fl.ActivatedAt = at
		}
	})
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

// errVPCInvalid is an invalidFunc; the documented message does not name the
// parameter.
func errVPCInvalid(_, detail string) *rpcError {
	return &rpcError{Status: http.StatusBadRequest, Code: "INVALID_PARAMETER",
		Message: "The parameter invalid.", Detail: detail}
}

// errInvalidParameter is the emulator's choice for bad paging and filter
// values on DescribeFlowLogs, whose error table is not published.
func errInvalidParameter(param, detail string) *rpcError {
	return &rpcError{Status: http.StatusBadRequest, Code: "InvalidParameter",
		Message: "Specified parameter " + param + " is not valid.", Detail: detail}
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
	if rerr := requireParams(req, errVPCMissing, "RegionId"); rerr != nil {
		return "", rerr
	}
	region := req.Get("RegionId")
	if _, ok := s.vpc.regions[region]; !ok {
		return "", errVPCRegionNotFound
	}
	s.vpc.settle(req.Now)
	return region, nil
}

// vpcMutate is the common frame of the actions on one flow log: RegionId
// and FlowLogId are required and the flow log must exist in that region.
// apply validates the action's own parameters and state and performs the
// change.
func (s *Server) vpcMutate(req *rpcRequest, apply func(fl *vpcFlowLog) *rpcError) (any, error) {
	region, rerr := s.requireRegion(req)
	if rerr != nil {
		return nil, rerr
	}
	if rerr := requireParams(req, errVPCMissing, "FlowLogId"); rerr != nil {
		return nil, rerr
	}
	fl := s.vpc.flowLogs.byID[req.Get("FlowLogId")]
	if fl == nil || fl.RegionID != region {
		return nil, errVPCFlowLogNotFound
	}
	if rerr := apply(fl); rerr != nil {
		return nil, rerr
	}
	return okResponse(req), nil
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
	if rerr := requireParams(req, errVPCMissing, "RegionId", "ResourceType", "ResourceId", "TrafficType"); rerr != nil {
		return nil, rerr
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
		return nil, errVPCInvalid("TrafficType", "TrafficType must be All, Allow or Drop")
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
	if rerr := checkSLSNames(project, logstore, errVPCInvalid); rerr != nil {
		return nil, rerr
	}
	if rerr := checkNameParams(req, errVPCInvalid); rerr != nil {
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
	for _, fl := range s.vpc.flowLogs.list {
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
	s.start(fl, req.Now, VPCStatusActivating, VPCStatusActive)
	s.vpc.flowLogs.add(fl)
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
		if _, dup := s.vpc.flowLogs.byID[id]; !dup {
			return id
		}
	}
}

type vpcTagJSON struct {
	Key   string
	Value string
}

// vpcFlowLogJSON is a flow log in the DescribeFlowLogs response (a
// describeResponse), shaped like the SDK's vpc.DescribeFlowLogsResponse:
// lists are wrapped in objects (TrafficPath.TrafficPathList, Tags.Tag).
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
	page, size, rerr := pageParams(req, knownStatuses, errInvalidParameter)
	if rerr != nil {
		return nil, rerr
	}
	if rerr := checkNameParams(req, errVPCInvalid); rerr != nil {
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

	matched := s.vpc.flowLogs.match(req, region, []paramFilter[*vpcFlowLog]{
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
	}, tagFilter, func(f *vpcFlowLog) bool {
		return trafficType == "" || f.TrafficType == trafficType
	})
	return describePage(req, matched, page, size, func(fl *vpcFlowLog) vpcFlowLogJSON {
		return toJSON(s.snapshot(fl))
	}), nil
}

// vpcModifyFlowLogAttribute changes name, description, interval or IP
// version: Modifying, then back to the previous state.
func (s *Server) vpcModifyFlowLogAttribute(req *rpcRequest) (any, error) {
	return s.vpcMutate(req, func(fl *vpcFlowLog) *rpcError {
		if rerr := checkNameParams(req, errVPCInvalid); rerr != nil {
			return rerr
		}
		interval, rerr := parseAggregationInterval(req)
		if rerr != nil {
			return rerr
		}
		if rerr := checkIPVersion(req); rerr != nil {
			return rerr
		}
		if rerr := s.startModify(fl, req.Now, vpcStates, errVPCIncorrectStatus); rerr != nil {
			return rerr
		}
		setNameParams(req, &fl.FlowLogName, &fl.Description)
		if interval != 0 {
			fl.AggregationInterval = interval
		}
		if req.Has("IpVersion") {
			fl.IPVersion = req.Get("IpVersion")
		}
		return nil
	})
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
