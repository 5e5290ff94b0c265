package flowlogtest

import (
	"slices"
	"strings"
	"time"
)

// This file emulates the flow-log actions of Alibaba Cloud VPC, API version
// 2016-04-28, behind the Alibaba RPC gateway (gateway_rpc.go):
// CreateFlowLog, DescribeFlowLogs, DeleteFlowLog, ActiveFlowLog,
// DeactiveFlowLog, ModifyFlowLogAttribute, OpenFlowLogService and
// GetFlowLogServiceStatus. Validation rules, codes and messages
// (vpc_params.go) follow the newest official documentation (api-spec.md §1,
// §3); where the docs are silent the choice is marked "emulator choice".
// Seeding and inspection are in vpc_fixture.go.

// VPCVersion is the API version of Alibaba Cloud VPC.
const VPCVersion = "2016-04-28"

// DefaultFlowLogQuota is the per-region flow log quota when WithFlowLogQuota
// is not given. It is deliberately far above anything a test creates.
const DefaultFlowLogQuota = 100000

// WithFlowLogQuota sets how many VPC flow logs one region may hold; creating
// one more fails with QuotaExceeded.FlowlogCount "This user has reached the
// maximum instance number of flowlog." (seed 004: "The number of flow logs
// reaches the upper limit."). The limit's value is not documented, nor is
// its scope (the code says per user; the emulator counts per region):
// both are emulator choices. Default DefaultFlowLogQuota; zero or less makes
// every create fail that way.
func WithFlowLogQuota(n int) Option {
	return func(c *config) { c.flowLogQuota = n }
}

// WithTrafficPathAllowed puts the account on the allow-list for custom
// traffic paths. Without it, CreateFlowLog with TrafficPath.N=internetGateway
// fails with UnsupportedFeature.UserDefinedTrafficPath, as it does for real
// accounts that have not filed the support ticket (seed 004 TrafficPath:
// "The traffic path feature is not enabled by default. To use this feature,
// submit a ticket.").
func WithTrafficPathAllowed() Option {
	return func(c *config) { c.trafficPathAllowed = true }
}

// VPC flow log states as DescribeFlowLogs reports them (api-spec §3.1:
// Active, Activating, Inactive, and the transitional Deactivating,
// Modifying, Deleting [TEA]). The -ing states are transitional; they settle
// after the activation delay.
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

// Business statuses accepted by SetBusinessStatus (api-spec §3.1
// BusinessStatus "Normal | FinancialLocked").
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

// vpcProduct is the emulated VPC API. s.mu guards it.
type vpcProduct struct {
	*alibaba
	regions   map[string]*vpcRegion
	vpcs      map[string]vpcNetwork
	vswitches map[string]vpcNetwork
	enis      map[string]vpcNetwork
	flowLogs  flowLogTable[*vpcFlowLog]
	actions[rpcHandler]
}

func newVPCProduct(ali *alibaba) *vpcProduct {
	p := &vpcProduct{
		alibaba:   ali,
		regions:   make(map[string]*vpcRegion),
		vpcs:      make(map[string]vpcNetwork),
		vswitches: make(map[string]vpcNetwork),
		enis:      make(map[string]vpcNetwork),
		flowLogs:  newFlowLogTable[*vpcFlowLog](),
	}
	del, activate, deactivate := statusHandlers(ali, p.mutate, vpcStates, errVPCIncorrectStatus)
	p.actions = actions[rpcHandler]{
		"CreateFlowLog":           p.createFlowLog,
		"DescribeFlowLogs":        p.describeFlowLogs,
		"DeleteFlowLog":           del,
		"ActiveFlowLog":           activate,
		"DeactiveFlowLog":         deactivate,
		"ModifyFlowLogAttribute":  p.modifyFlowLogAttribute,
		"OpenFlowLogService":      p.openFlowLogService,
		"GetFlowLogServiceStatus": p.getFlowLogServiceStatus,
	}
	return p
}

func (*vpcProduct) name() string    { return "Vpc" }
func (*vpcProduct) version() string { return VPCVersion }

// region returns the region's state, creating it. The caller holds s.mu.
func (p *vpcProduct) region(id string) *vpcRegion {
	r := p.regions[id]
	if r == nil {
		r = &vpcRegion{businessStatus: BusinessStatusNormal}
		p.regions[id] = r
	}
	return r
}

// settle applies every transition that is due at now (see
// flowLogTable.settle) and notes when a flow log became Active. The caller
// holds s.mu.
func (p *vpcProduct) settle(now time.Time) {
	p.flowLogs.settle(now, func(fl *vpcFlowLog, at time.Time) {
		if fl.Status == VPCStatusActive {
			fl.ActivatedAt = at
		}
	})
}

// snapshot renders fl as DescribeFlowLogs would show it. The caller holds s.mu.
func (p *vpcProduct) snapshot(fl *vpcFlowLog) VPCFlowLog {
	v := fl.VPCFlowLog
	v.TrafficPath = slices.Clone(fl.TrafficPath)
	v.Tags = slices.Clone(fl.Tags)
	v.BusinessStatus = p.region(fl.RegionID).businessStatus
	if fl.Status == VPCStatusActive {
		v.DeliverStatus = "SUCCESS"
		if fl.deliveryError != "" {
			v.DeliverStatus, v.DeliverErrorMessage = "FAILED", fl.deliveryError
		}
	}
	return v
}

// regionState returns the region's state without creating it: a public
// region that was never seeded has the defaults (service opened, business
// status Normal). The caller holds s.mu.
func (p *vpcProduct) regionState(id string) vpcRegion {
	if r := p.regions[id]; r != nil {
		return *r
	}
	return vpcRegion{businessStatus: BusinessStatusNormal}
}

// requireRegion checks RegionId is present (seed 004 RegionId "Required
// Yes"; api-spec §3.1, §3.3, §3.4 "RegionId (Y)" for the other actions,
// acs3-and-lifecycle §2.4 for the service actions) and is a seeded region or
// a public Alibaba Cloud region (see alibabaRegions; a real region the
// emulator holds nothing in answers as empty, not InvalidRegionId.NotFound),
// and settles due transitions so the handler sees current state. Reads do
// not add the region to the emulator's state.
func (p *vpcProduct) requireRegion(req *rpcRequest) (string, *apiError) {
	if rerr := requireParams(req, errVPCMissing, "RegionId"); rerr != nil {
		return "", rerr
	}
	region := req.Get("RegionId")
	if _, ok := p.regions[region]; !ok && !alibabaRegions[region] {
		return "", errVPCRegionNotFound
	}
	p.settle(req.Now)
	return region, nil
}

// mutate is the common frame of the actions on one flow log: RegionId
// and FlowLogId are required (api-spec §3.3 DeleteFlowLog "RegionId (Y),
// FlowLogId (Y)", §3.4 ActiveFlowLog, DeactiveFlowLog; acs3-and-lifecycle
// §2.1 ModifyFlowLogAttribute) and the flow log must exist in that region
// (else InvalidInstanceId "Instance does not exist.", api-spec §3.3, §3.4
// [DOC]).
// apply validates the action's own parameters and state and performs the
// change.
func (p *vpcProduct) mutate(req *rpcRequest, apply func(fl *vpcFlowLog) *apiError) (any, error) {
	region, rerr := p.requireRegion(req)
	if rerr != nil {
		return nil, rerr
	}
	if rerr := requireParams(req, errVPCMissing, "FlowLogId"); rerr != nil {
		return nil, rerr
	}
	fl := p.flowLogs.byID[req.Get("FlowLogId")]
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

// createFlowLog validates in this order (emulator choice: the real order is
// not documented): required parameters, region, resource type and ID shape,
// traffic type, destination, optional parameters, account state (service
// opened, business status), resource and logstore existence, one flow log
// per resource, quota. The source of each rule is at its check.
func (p *vpcProduct) createFlowLog(req *rpcRequest) (any, error) {
	// seed 004: RegionId, ResourceType, ResourceId and TrafficType "Required
	// Yes"; ProjectName and LogStoreName "No" (required in seeds 001, 002).
	if rerr := requireParams(req, errVPCMissing, "RegionId", "ResourceType", "ResourceId", "TrafficType"); rerr != nil {
		return nil, rerr
	}
	region, rerr := p.requireRegion(req)
	if rerr != nil {
		return nil, rerr
	}
	// Resource type and ID prefix, traffic type: sources at resourcePrefixes
	// and trafficTypes (vpc_params.go).
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
		// NIS traffic analyzers are not emulated, so none exists: seed 004
		// OperationDenied.NisTrafficAnalyzerNotFound "The specified NIS
		// Traffic Analyzer does not exist."
		return nil, errVPCAnalyzerNotFound
	}
	project, logstore := req.Get("ProjectName"), req.Get("LogStoreName")
	if project == "" || logstore == "" {
		// Without an analyzer, a complete SLS destination is required: seed
		// 004 MissingParam.TrafficAnalyzerIdOrLogProjectOrLogStore
		// "TrafficAnalyzerId and ProjectName and LogStoreName parameters are
		// not passed in." for neither; api-spec §1.1 Notes. A project
		// without a logstore (or the reverse) is refused as well, because
		// the protocol makes it inevitable: an SLS logstore is named by
		// both, so half a destination names nothing a flow log could
		// deliver to (and seeds 001, 002 required both). That it gets the
		// same code is an emulator choice: the docs only name the code for
		// neither.
		return nil, errVPCNoDestination
	}
	// Parameter formats: sources at each checker (checkSLSNames,
	// checkNameParams in alibaba.go; the rest in vpc_params.go).
	if rerr := checkSLSNames(project, logstore, errVPCInvalid); rerr != nil {
		return nil, rerr
	}
	if rerr := checkNameParams(req, p.createURLRule(), errVPCInvalid); rerr != nil {
		return nil, rerr
	}
	interval, rerr := parseAggregationInterval(req)
	if rerr != nil {
		return nil, rerr
	}
	if interval == 0 {
		interval = 10 // seed 004 "10 (default)"
	}
	if rerr := p.checkIPVersion(req); rerr != nil {
		return nil, rerr
	}
	paths, rerr := p.parseTrafficPath(req)
	if rerr != nil {
		return nil, rerr
	}
	rg := DefaultResourceGroupID
	if req.Has("ResourceGroupId") {
		rg = req.Get("ResourceGroupId")
		if rerr := checkResourceGroupID(rg); rerr != nil {
			return nil, rerr
		}
	}
	tags, rerr := parseTagParams(req.Params, "Tag", p.tagRules(false), errVPCInvalid)
	if rerr != nil {
		return nil, rerr
	}

	reg := p.regionState(region)
	// seed 004 OptInRequired.FlowLog "Make sure that the flow log feature is
	// already enabled."; api-spec §3.5 "If the service was never opened,
	// CreateFlowLog returns OptInRequired.FlowLog".
	if reg.serviceClosed {
		return nil, errVPCOptIn
	}
	// seed 004 IncorrectBusinessStatus.FlowLog "you cannot create flow logs
	// in the current business state"; api-spec §1.3 "account financially
	// locked", §3.1 BusinessStatus Normal | FinancialLocked.
	if reg.businessStatus != BusinessStatusNormal {
		return nil, errVPCBusinessStatus
	}

	var table map[string]vpcNetwork
	switch resourceType {
	case "NetworkInterface":
		table = p.enis
	case "VSwitch":
		table = p.vswitches
	default:
		table = p.vpcs
	}
	res, ok := table[resourceID]
	if !ok || res.region != region {
		return nil, errVPCResourceNotFound(resourceType)
	}
	// seed 004 ProjectOrLogstoreNotExist "The specified project or logstore
	// does not exist."
	if !p.sls[project][logstore] {
		return nil, errVPCProjectOrLogstore
	}
	inRegion := 0
	for _, fl := range p.flowLogs.list {
		// One flow log per resource: seed 004 InvalidResourceId.NotFound
		// "This resourceId already has flowlog instance existed. A flow log
		// is already enabled for the resource."
		if fl.ResourceID == resourceID {
			return nil, errVPCAlreadyHasFlowLog
		}
		if fl.RegionID == region {
			inRegion++
		}
	}
	// The quota refusal is documented (seed 004 QuotaExceeded.FlowlogCount
	// "The number of flow logs reaches the upper limit."); its number and
	// its per-region scope are emulator choices (see WithFlowLogQuota), as
	// no source gives either.
	if inRegion >= p.cfg.flowLogQuota {
		return nil, errVPCQuota
	}

	fl := &vpcFlowLog{VPCFlowLog: VPCFlowLog{
		FlowLogID:           p.newFlowLogID(),
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
		fl.IPVersion = "IPv4" // emulator choice: the default is undocumented; seed 004's example
	}
	p.start(fl, req.Now, VPCStatusActivating, VPCStatusActive)
	p.flowLogs.add(fl)
	return vpcCreateFlowLogResponse{
		RequestId:       req.RequestID,
		Success:         "true",
		FlowLogId:       fl.FlowLogID,
		ResourceGroupId: rg,
	}, nil
}

// newFlowLogID returns "fl-" + 21 random lower-case alphanumerics, the shape
// of real VPC flow log IDs.
func (p *vpcProduct) newFlowLogID() string { return newID(p.flowLogs.byID, "fl-", 21) }

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

// knownStatuses are the values the Status filter accepts: api-spec §3.1
// documents Active, Activating and Inactive; the transitional states that
// Describe reports are accepted too (emulator choice).
var knownStatuses = []string{
	VPCStatusActive, VPCStatusActivating, VPCStatusInactive,
	VPCStatusDeactivating, VPCStatusModifying, VPCStatusDeleting,
}

// describeFlowLogs lists flow logs of a region in creation order. All
// filters are exact matches and combine with AND; an unknown FlowLogId
// yields an empty list, not an error (clients rely on that to detect
// deletion). The name and description filters get Create's lengths
// (api-spec §3.1), the tag filter no rule (see vpcProduct.tagRules); both
// get Create's other rules with WithStrictRules only.
func (p *vpcProduct) describeFlowLogs(req *rpcRequest) (any, error) {
	region, rerr := p.requireRegion(req)
	if rerr != nil {
		return nil, rerr
	}
	page, size, rerr := pageParams(req, knownStatuses, errInvalidParameter)
	if rerr != nil {
		return nil, rerr
	}
	if rerr := checkNameParams(req, p.filterURLRule(), errVPCInvalid); rerr != nil {
		return nil, rerr
	}
	tagFilter, rerr := parseTagParams(req.Params, "Tags", p.tagRules(true), errVPCInvalid)
	if rerr != nil {
		return nil, rerr
	}
	trafficType := req.Get("TrafficType")
	if canon, ok := trafficTypes[strings.ToLower(trafficType)]; ok {
		trafficType = canon
	}

	matched := p.flowLogs.match(req, region, []paramFilter[*vpcFlowLog]{
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
		return toJSON(p.snapshot(fl))
	}), nil
}

// modifyFlowLogAttribute changes name, description, interval or IP
// version: Modifying, then back to the previous state (acs3-and-lifecycle
// §2.1: "The flow log shows Modifying while the change runs, then Active or
// Inactive. The same flow log cannot be modified concurrently"). Its
// parameters follow the same section: FlowLogName 1–128, Description 1–256,
// AggregationInterval 1, 5 or 10, IpVersion.
func (p *vpcProduct) modifyFlowLogAttribute(req *rpcRequest) (any, error) {
	return p.mutate(req, func(fl *vpcFlowLog) *apiError {
		if rerr := checkNameParams(req, p.createURLRule(), errVPCInvalid); rerr != nil {
			return rerr
		}
		interval, rerr := parseAggregationInterval(req)
		if rerr != nil {
			return rerr
		}
		if rerr := p.checkIPVersion(req); rerr != nil {
			return rerr
		}
		if rerr := p.startModify(fl, req.Now, vpcStates, errVPCIncorrectStatus); rerr != nil {
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

// openFlowLogService opens the flow-log service in the request's region
// (the real service is per account; the emulator keeps it per region so
// tests can exercise both states side by side). RegionId is required
// (acs3-and-lifecycle §2.4); the documented refusals
// (OperationFailed.ExceedPurchaseLimit, Forbidden.RAM) depend on what the
// emulator does not model and are not produced.
func (p *vpcProduct) openFlowLogService(req *rpcRequest) (any, error) {
	region, rerr := p.requireRegion(req)
	if rerr != nil {
		return nil, rerr
	}
	p.region(region).serviceClosed = false
	return struct{ RequestId string }{req.RequestID}, nil
}

func (p *vpcProduct) getFlowLogServiceStatus(req *rpcRequest) (any, error) {
	region, rerr := p.requireRegion(req)
	if rerr != nil {
		return nil, rerr
	}
	return struct {
		RequestId string
		Enabled   bool
	}{req.RequestID, !p.regionState(region).serviceClosed}, nil
}
