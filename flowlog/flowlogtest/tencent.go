package flowlogtest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file emulates the flow-log actions of Tencent Cloud VPC, API version
// 2017-03-12, behind the Tencent Cloud API 3.0 gateway (gateway_tc3.go):
// CreateFlowLog, DescribeFlowLogs (tencent_describe.go), DeleteFlowLog,
// EnableFlowLogs and DisableFlowLogs. Validation rules and codes follow
// api-spec.md §4-§6; where the documentation is silent the choice is marked
// "emulator choice".

// TencentVPCVersion is the API version of Tencent Cloud VPC.
const TencentVPCVersion = "2017-03-12"

// TencentTimeLayout is the format of FlowLog.CreatedTime. Like the real API,
// the emulator reports it in Beijing time (UTC+8), without a zone.
const TencentTimeLayout = "2006-01-02 15:04:05"

// DefaultTencentFlowLogQuota is the per-region Tencent flow log quota when
// WithTencentFlowLogQuota is not given, far above anything a test creates.
const DefaultTencentFlowLogQuota = 100000

// Tencent CloudLogState values reported by DescribeFlowLogs.
const (
	TencentCloudLogStateSuccess = "SUCCESS"
	TencentCloudLogStateDeleted = "DELETED"
)

const (
	// tencentMaxFlowLogIDs caps FlowLogIds of Enable/DisableFlowLogs. The
	// real cap is undocumented (emulator choice).
	tencentMaxFlowLogIDs = 100
	// createPendingTime is what the create response shows as CreatedTime.
	createPendingTime = "0000-00-00 00:00:00"
)

// beijing is the zone of the times the API reports.
var beijing = time.FixedZone("UTC+8", 8*60*60)

// WithTencentFlowLogQuota sets how many Tencent flow logs one region may
// hold; creating one more fails with LimitExceeded. Default
// DefaultTencentFlowLogQuota; zero or less makes every create fail that way.
func WithTencentFlowLogQuota(n int) Option {
	return func(c *config) { c.tencentFlowLogQuota = n }
}

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

// tencentProduct is the emulated Tencent Cloud VPC API. s.mu guards it.
type tencentProduct struct {
	cfg       *config
	regions   map[string]bool // seeded regions, in addition to tencentRegions
	resources map[string]map[string]tcResource
	// cls maps region -> topic ID -> deleted.
	cls map[string]map[string]bool
	// ckafka maps region -> instance -> topic set.
	ckafka   map[string]map[string]map[string]bool
	flowLogs []*tcFlowLog // creation order
	byID     map[string]*tcFlowLog
	seq      int
	actions[tcHandler]
}

func newTencentProduct(cfg *config) *tencentProduct {
	tc := &tencentProduct{
		cfg:       cfg,
		regions:   make(map[string]bool),
		resources: make(map[string]map[string]tcResource),
		cls:       make(map[string]map[string]bool),
		ckafka:    make(map[string]map[string]map[string]bool),
		byID:      make(map[string]*tcFlowLog),
	}
	for _, typ := range tencentResourceTypes {
		tc.resources[typ] = make(map[string]tcResource)
	}
	tc.actions = actions[tcHandler]{
		"CreateFlowLog":    tc.createFlowLog,
		"DescribeFlowLogs": tc.describeFlowLogs,
		"DeleteFlowLog":    tc.deleteFlowLog,
		"EnableFlowLogs":   tc.enableFlowLogs,
		"DisableFlowLogs":  tc.disableFlowLogs,

		"ModifyFlowLogAttribute": tc.modifyFlowLogAttribute,
	}
	return tc
}

func (*tencentProduct) name() string    { return "Tencent" }
func (*tencentProduct) version() string { return TencentVPCVersion }
func (*tencentProduct) service() string { return "vpc" }

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

func (tc *tencentProduct) knownRegion(region string) bool {
	return tc.regions[region] || slices.Contains(tencentRegions, region)
}

// cloudLogState computes what DescribeFlowLogs reports as CloudLogState: a
// CLS flow log whose topic was deleted (DeleteCLSTopic) is DELETED. CKafka
// flow logs report SUCCESS (emulator choice: the state of CKafka delivery is
// undocumented).
func (tc *tencentProduct) cloudLogState(fl *tcFlowLog) string {
	if fl.StorageType == "cls" {
		if deleted, ok := tc.cls[fl.CloudLogRegion][fl.CloudLogID]; !ok || deleted {
			return TencentCloudLogStateDeleted
		}
	}
	return TencentCloudLogStateSuccess
}

func (tc *tencentProduct) snapshot(fl *tcFlowLog) TencentFlowLog {
	v := fl.TencentFlowLog
	v.Tags = slices.Clone(fl.Tags)
	v.CloudLogState = tc.cloudLogState(fl)
	return v
}

// The flow-log business errors. The codes are the documented ones; messages
// start with the documented description and name the parameter, so a test
// author sees what was wrong.
func errTCEmpty(param string) *apiError {
	return newTCError("InvalidParameterValue.Empty", "Missing parameters: `"+param+"` must not be empty.")
}

func errTCRange(param, value, rule string) *apiError {
	return newTCError("InvalidParameterValue.Range", "The parameter value is not in the specified range: `"+
		param+"`=`"+value+"` "+rule+".")
}

func errTCTooLong(param string, maxLen int) *apiError {
	return newTCError("InvalidParameterValue.TooLong", fmt.Sprintf(
		"The parameter value is too long: `%s` must be at most %d characters.", param, maxLen))
}

func errTCMalformed(param, value string) *apiError {
	return newTCError("InvalidParameterValue.Malformed",
		"Invalid input parameter format: the value `"+value+"` of `"+param+"` is malformed.")
}

func errTCNotFound(what, id string) *apiError {
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

func errTCFilterInvalidKey(name string) *apiError {
	return newTCError("InvalidParameter.FilterInvalidKey",
		"The filter key `"+name+"` does not exist; valid keys are tag-key and tag:<key>.")
}

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

// createFlowLog validates in this order: required parameters (FlowLogName,
// ResourceType, ResourceId, TrafficType: seed 003 "Required Yes"),
// FlowLogName length, ResourceType, ResourceId prefix, TrafficType, VpcId
// (required and with its prefix unless CCN, absent for CCN), description
// length, storage parameters, tags, Period (the sources of each are at the
// checks and in tencent_params.go);
// then existence of the resource, of the VPC and its match with the
// resource, of the storage; one flow log per resource; quota. Lengths over
// the limit are InvalidParameterValue.Range: TooLong is not among
// CreateFlowLog's documented codes, while Range ("not in the specified
// range") is.
func (tc *tencentProduct) createFlowLog(req *tcRequest) (any, error) {
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
	// Malformed: seed 003 "InvalidParameterValue.Malformed Invalid input
	// parameter format"; api-spec §9 item 3 "ID format checks".
	if !validTencentID(prefix, resourceID) {
		return nil, errTCMalformed("ResourceId", resourceID)
	}
	if terr := oneOf("TrafficType", trafficType, tencentTrafficTypes); terr != nil {
		return nil, terr
	}
	// seed 003 VpcId: "This parameter is required unless the ResourceType
	// is set to CCN"; api-spec §4.1: must be empty for CCN.
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
		if !validTencentID(tencentResourcePrefixes["VPC"], vpcID) {
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
	// seed 003 CloudLogRegion: "If not passed in, this field defaults to the
	// current region." No rule on its value is documented: a region without
	// the topic makes the topic ResourceNotFound below.
	cloudLogRegion := req.Region
	if r := deref(p.CloudLogRegion); r != "" {
		cloudLogRegion = r
	}
	var cloudLogID, storageID, storageTopic string
	if storageType == "cls" {
		// CloudLogId is required for CLS storage (api-spec §4.1 [T-NEW]:
		// "Required when StorageType=cls, which is the default"); a
		// FlowLogStorage object is ignored. Seed 003 calls it "The storage
		// ID of the flow log" and gives no format: any non-empty ID is
		// looked up.
		if cloudLogID, terr = requiredString("CloudLogId", p.CloudLogId); terr != nil {
			return nil, terr
		}
	} else {
		// CKafka storage: seed 003 FlowLogStorage "is required when the
		// consumer type is ckafka"; api-spec §4.1 {StorageId, StorageTopic}.
		// CloudLogId is ignored (emulator choice).
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
	// api-spec §4.1 Period: "seconds 60 | 300 | 600, CCN only" [T-NEW].
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

	res, ok := tc.resources[resourceType][resourceID]
	if !ok || (!isCCN && res.region != req.Region) {
		return nil, errTCNotFound(strings.ToLower(resourceType), resourceID)
	}
	if !isCCN {
		if vpc, ok := tc.resources["VPC"][vpcID]; !ok || vpc.region != req.Region {
			return nil, errTCNotFound("vpc", vpcID)
		}
		if res.vpcID != vpcID {
			return nil, errTCNotFound(strings.ToLower(resourceType), resourceID+"` in vpc `"+vpcID)
		}
	}
	if storageType == "cls" {
		if deleted, ok := tc.cls[cloudLogRegion][cloudLogID]; !ok || deleted {
			return nil, errTCNotFound("cls topic", cloudLogID)
		}
	} else if !tc.ckafka[cloudLogRegion][storageID][storageTopic] {
		return nil, errTCNotFound("ckafka topic", storageID+"/"+storageTopic)
	}
	inRegion := 0
	for _, fl := range tc.flowLogs {
		if fl.ResourceID == resourceID {
			return nil, errTCFlowLogExists
		}
		if fl.Region == req.Region {
			inRegion++
		}
	}
	if inRegion >= tc.cfg.tencentFlowLogQuota {
		return nil, errTCQuota
	}

	tc.seq++
	fl := &tcFlowLog{seq: tc.seq, TencentFlowLog: TencentFlowLog{
		FlowLogID:      tc.newFlowLogID(),
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
	tc.flowLogs = append(tc.flowLogs, fl)
	tc.byID[fl.FlowLogID] = fl

	// The create response echoes the flow log before the backend has
	// filled in its storage state and creation time.
	j := tcToJSON(tc.snapshot(fl))
	j.CloudLogState, j.CloudLogRegion, j.CreatedTime = "", "", createPendingTime
	return tcFlowLogListResponse{FlowLog: []tcFlowLogJSON{j}, RequestId: req.RequestID}, nil
}

// newFlowLogID returns "fl-" + 8 random lower-case alphanumerics.
func (tc *tencentProduct) newFlowLogID() string { return newID(tc.byID, "fl-", 8) }

type tcRequestIDResponse struct {
	RequestId string
}

type tcDeleteFlowLogParams struct {
	FlowLogId *string
	VpcId     *string
}

// deleteFlowLog deletes a flow log synchronously (findForChange says which).
func (tc *tencentProduct) deleteFlowLog(req *tcRequest) (any, error) {
	var p tcDeleteFlowLogParams
	if terr := req.decode(&p); terr != nil {
		return nil, terr
	}
	fl, terr := tc.findForChange(req.Region, p.FlowLogId, p.VpcId)
	if terr != nil {
		return nil, terr
	}
	delete(tc.byID, fl.FlowLogID)
	tc.flowLogs = slices.DeleteFunc(tc.flowLogs, func(f *tcFlowLog) bool { return f == fl })
	return tcRequestIDResponse{RequestId: req.RequestID}, nil
}

type tcModifyFlowLogAttributeParams struct {
	FlowLogId          *string
	VpcId              *string
	FlowLogName        *string
	FlowLogDescription *string
}

// modifyFlowLogAttribute changes the name and description of a flow log
// synchronously (api-spec §5 "sync"; acs3-and-lifecycle §2.3): the flow
// log as findForChange finds it, FlowLogName at most 60 and
// FlowLogDescription at most 512 characters (api-spec §5), refused with
// InvalidParameterValue.Range as on create.
func (tc *tencentProduct) modifyFlowLogAttribute(req *tcRequest) (any, error) {
	var p tcModifyFlowLogAttributeParams
	if terr := req.decode(&p); terr != nil {
		return nil, terr
	}
	fl, terr := tc.findForChange(req.Region, p.FlowLogId, p.VpcId)
	if terr != nil {
		return nil, terr
	}
	if name := deref(p.FlowLogName); runeLen(name) > tencentMaxNameLen {
		return nil, errTCRange("FlowLogName", name, fmt.Sprintf("must be at most %d characters", tencentMaxNameLen))
	}
	if runeLen(deref(p.FlowLogDescription)) > tencentMaxDescriptionLen {
		return nil, errTCRange("FlowLogDescription", "...",
			fmt.Sprintf("must be at most %d characters", tencentMaxDescriptionLen))
	}
	if p.FlowLogName != nil && *p.FlowLogName != "" {
		fl.FlowLogName = *p.FlowLogName
	}
	if p.FlowLogDescription != nil {
		fl.Description = *p.FlowLogDescription
	}
	return tcRequestIDResponse{RequestId: req.RequestID}, nil
}

// findForChange finds the flow log that DeleteFlowLog and
// ModifyFlowLogAttribute name: FlowLogId is required and VpcId required
// unless the flow log is a CCN one, for which it must be absent
// (InvalidParameterValue.VpcIdNotNeededForFlowLog), and must be the flow
// log's VPC (api-spec §5).
func (tc *tencentProduct) findForChange(region string, flowLogID, vpcIDParam *string) (*tcFlowLog, *apiError) {
	id, terr := requiredString("FlowLogId", flowLogID)
	if terr != nil {
		return nil, terr
	}
	if !validTencentID(tencentFlowLogIDPrefix, id) {
		return nil, errTCMalformed("FlowLogId", id)
	}
	vpcID := deref(vpcIDParam)
	if vpcID != "" && !validTencentID(tencentResourcePrefixes["VPC"], vpcID) {
		return nil, errTCMalformed("VpcId", vpcID)
	}
	fl := tc.byID[id]
	if fl == nil || fl.Region != region {
		return nil, errTCNotFound("flow log", id)
	}
	if fl.ResourceType == "CCN" {
		if vpcID != "" {
			return nil, errTCVpcIDNotNeeded
		}
	} else {
		if _, terr := requiredString("VpcId", vpcIDParam); terr != nil {
			return nil, terr
		}
		if vpcID != fl.VPCID {
			return nil, errTCNotFound("flow log", id+"` in vpc `"+vpcID)
		}
	}
	return fl, nil
}

type tcFlowLogIDsParams struct {
	FlowLogIds []string
}

// setEnabled implements EnableFlowLogs and DisableFlowLogs: every ID is
// checked before any flow log changes, so a failing batch changes nothing.
// Repeating an ID, or enabling an enabled flow log, is not an error.
func (tc *tencentProduct) setEnabled(req *tcRequest, enabled bool) (any, error) {
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
		if !validTencentID(tencentFlowLogIDPrefix, id) {
			return nil, errTCMalformed("FlowLogIds", id)
		}
	}
	targets := make([]*tcFlowLog, 0, len(p.FlowLogIds))
	for _, id := range p.FlowLogIds {
		fl := tc.byID[id]
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

func (tc *tencentProduct) enableFlowLogs(req *tcRequest) (any, error) {
	return tc.setEnabled(req, true)
}
func (tc *tencentProduct) disableFlowLogs(req *tcRequest) (any, error) {
	return tc.setEnabled(req, false)
}
