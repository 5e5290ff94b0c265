package flowlogtest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// This file holds the error answers and parameter rules of Alibaba Cloud
// VPC (vpc.go). Each names its source: seed 004 (VPC CreateFlowLog, the
// newest English doc; seeds 001 and 002 are older versions of it) or the
// research notes (api-spec.md §1 CreateFlowLog, §3 the read and lifecycle
// APIs; acs3-and-lifecycle-apis.md §2). Choices the sources leave open are
// marked "emulator choice".

// VPC error responses (all HTTP 400), verbatim from the documentation.

// errVPCMissing: seed 004 "400 MissingParameter Missing mandatory
// parameter" (seeds 001, 002 the same). Detail, for the log only, names the
// parameter.
func errVPCMissing(param string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: "MissingParameter",
		Message: "Missing mandatory parameter", Detail: param + " is missing"}
}

// errVPCInvalid is an invalidFunc: seed 004 "400 INVALID_PARAMETER The
// parameter invalid."; api-spec §9 item 3 "Enum and length checks → VPC
// INVALID_PARAMETER". The documented message does not name the parameter.
func errVPCInvalid(_, detail string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: "INVALID_PARAMETER",
		Message: "The parameter invalid.", Detail: detail}
}

// errInvalidParameter is the emulator's choice for bad paging and filter
// values on DescribeFlowLogs, whose error table is not published (api-spec
// §3.1 "(Emulator choice): bad PageSize (>50 or <1) → InvalidParameter; bad
// Status → InvalidParameter").
func errInvalidParameter(param, detail string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: "InvalidParameter",
		Message: "Specified parameter " + param + " is not valid.", Detail: detail}
}

// The errors below are seed 004's "Error codes" table (all 400), their
// messages taken from documentedErrors, unless marked otherwise; when each
// is answered is cited where it is used (vpc.go, vpc_params.go) and follows
// api-spec §1.3's "When" column.
var (
	errVPCRegionNotFound          = vpcDocumented("InvalidRegionId.NotFound")
	errVPCResourceTypeUnsupported = vpcDocumented("OperationUnsupported.ResourceType")
	errVPCResourceTypeMismatch    = vpcDocumented("InvalidResourceType.NotFound")
	errVPCNoDestination           = vpcDocumented("MissingParam.TrafficAnalyzerIdOrLogProjectOrLogStore")
	errVPCAnalyzerNotFound        = vpcDocumented("OperationDenied.NisTrafficAnalyzerNotFound")
	errVPCProjectOrLogstore       = vpcDocumented("ProjectOrLogstoreNotExist")
	errVPCAggregationInterval     = vpcDocumented("IllegalParam.AggregationInterval")
	errVPCTrafficPathIllegal      = vpcDocumented("IllegalParam.TrafficPath")
	errVPCTrafficPathDuplicated   = vpcDocumented("DuplicatedParam.TrafficPath")
	errVPCTrafficPathUnsupported  = vpcDocumented("UnsupportedFeature.UserDefinedTrafficPath")
	errVPCTrafficPathIPv6         = vpcDocumented("UnsupportedFeature.UserDefinedTrafficPathIpv6")
	errVPCIPVersion               = vpcDocumented("IllegalParam.IpVersion")
	errVPCResourceGroup           = vpcDocumented("IllegalParam.ResourceGroupId") // sic: the documented message has a lower-case L
	errVPCOptIn                   = vpcDocumented("OptInRequired.FlowLog")
	errVPCBusinessStatus          = vpcDocumented("IncorrectBusinessStatus.FlowLog")
	errVPCAlreadyHasFlowLog       = vpcDocumented("InvalidResourceId.NotFound")
	errVPCQuota                   = vpcDocumented("QuotaExceeded.FlowlogCount")
	// Not in seed 004: the Active/Deactive/Delete docs' codes (api-spec
	// §3.3, §3.4 [DOC]: InvalidInstanceId "Instance does not exist.",
	// IncorrectStatus.flowlog "Invalid flowlog status.").
	errVPCFlowLogNotFound = errBadRequest("InvalidInstanceId",
		"Instance does not exist.")
	errVPCIncorrectStatus = errBadRequest("IncorrectStatus.flowlog",
		"Invalid flowlog status.")
)

// vpcDocumented is the error seed 004 documents for code (documentedErrors).
func vpcDocumented(code string) *apiError {
	e := documentedAPIError("Vpc.CreateFlowLog", code)
	if e == nil {
		panic("flowlogtest: seed 004 documents no " + code)
	}
	return e
}

// errVPCResourceNotFound is InvalidInstanceId for an unknown ResourceId:
// seed 004 "400 InvalidInstanceId vswitch does not exist. The error message
// returned because the vSwitch does not exist."; api-spec §1.3 "unknown
// ResourceId". The documented message names the vSwitch; the ENI and VPC
// variants are the emulator's choice in the same style.
func errVPCResourceNotFound(resourceType string) *apiError {
	noun := map[string]string{"VSwitch": "vswitch", "VPC": "vpc", "NetworkInterface": "networkInterface"}[resourceType]
	return errBadRequest("InvalidInstanceId", noun+" does not exist.")
}

// resourcePrefixes maps ResourceType to the prefix its IDs carry: seed 004
// ResourceType "Valid values: NetworkInterface ... VSwitch ... VPC", example
// ResourceId "eni-askldfas****"; api-spec §1.1 ResourceId "ID of the ENI,
// vSwitch or VPC, e.g. eni-askldfas****, vsw-…, vpc-…". A type outside the
// list is OperationUnsupported.ResourceType and an ID without the type's
// prefix InvalidResourceType.NotFound "Resource type no the same." (seed
// 004; the triggers are api-spec §1.3's "ResourceType not in the enum",
// "ResourceType does not match the ResourceId prefix"). The refusal itself
// is documented or inevitable: an ID of another type's prefix names a
// resource of another type ("Resource type no the same."), and an ID of no
// type's prefix names no resource of the cloud. Telling them apart by
// prefix, and answering the second InvalidResourceType.NotFound rather
// than InvalidInstanceId, are emulator choices: the docs give no rule for
// either (so seed resources with their type's prefix). The library does
// not check the prefix: like an unknown resource, the mismatch is the
// server's to find.
var resourcePrefixes = map[string]string{
	"NetworkInterface": "eni-",
	"VSwitch":          "vsw-",
	"VPC":              "vpc-",
}

// trafficTypes maps accepted TrafficType spellings to the canonical value.
// The documented values are All, Allow and Drop (seed 004 TrafficType
// "Valid values: All ... Allow ... Drop"); matching ignores case because the
// older official example sends "all" (seed 001 request example
// "TrafficType=all"; api-spec §1.1). The canonical spelling is stored and
// reported. Any other value is INVALID_PARAMETER (api-spec §9 item 3).
var trafficTypes = map[string]string{"all": "All", "allow": "Allow", "drop": "Drop"}

// checkResourceGroupID is the ResourceGroupId rule, the same as the aliyun
// adapter's Validate: "rg-" and at least one more character. Source: seed
// 004 (VPC CreateFlowLog, "ResourceGroupId ... The ID of the resource
// group. rg-acfmxazdjdhd****", and error "400 IllegalParam.ResourceGroupId
// Invalid ResourceGroupld value. The specified resource group is invalid or
// does not exist."); api-spec §1.1. No length or character set is
// documented, so none is enforced; the emulator models no resource groups,
// so a well-formed ID always "exists".
func checkResourceGroupID(rg string) *apiError {
	if len(rg) <= len("rg-") || !strings.HasPrefix(rg, "rg-") {
		return errVPCResourceGroup
	}
	return nil
}

// alibabaRegions are the public regions of Alibaba Cloud. A RegionId among
// them is answered like a seeded region without resources (Describe: an
// empty list); any other RegionId that was not seeded gets
// InvalidRegionId.NotFound, "The RegionId provided does not exist in our
// records." (seed 004, error codes; api-spec §1.3 "bad RegionId"). The
// list is the regions of product vpc's regional endpoints in the pinned SDK
// (alibaba-cloud-sdk-go v1.63.107 sdk/endpoints/endpoints_config.go); newer
// regions that DescribeRegions would list (seed 002/004) are not in it
// until a source for them is at hand: seed them with AddRegion.
var alibabaRegions = map[string]bool{
	// vpc regional endpoints of the pinned SDK
	"cn-qingdao": true, "cn-beijing": true, "cn-zhangjiakou": true, "cn-huhehaote": true,
	"cn-hangzhou": true, "cn-shanghai": true, "cn-shenzhen": true, "cn-hongkong": true,
	"ap-northeast-1": true, "ap-southeast-1": true, "ap-southeast-2": true, "ap-southeast-3": true,
	"ap-southeast-5": true, "ap-south-1": true, "us-east-1": true, "us-west-1": true,
	"eu-west-1": true, "eu-central-1": true, "me-east-1": true,
}

// parseAggregationInterval validates AggregationInterval: seed 004 "Unit:
// minutes. Valid values: 1, 5, and 10 (default)", refused with
// IllegalParam.AggregationInterval "The param of aggregationInterval is
// illegal." (seed 004; api-spec §1.3 "interval not in {1,5,10}"); the same
// values for ModifyFlowLogAttribute (acs3-and-lifecycle §2.1). 0 if absent.
func parseAggregationInterval(req *rpcRequest) (int, *apiError) {
	if !req.Has("AggregationInterval") {
		return 0, nil
	}
	n, err := strconv.Atoi(req.Get("AggregationInterval"))
	if err != nil || (n != 1 && n != 5 && n != 10) {
		return 0, errVPCAggregationInterval
	}
	return n, nil
}

// checkIPVersion validates IpVersion. No value list is documented: seed 004
// gives the example IPv4 and the error IllegalParam.IpVersion "The
// parameter of IpVersion is illegal." without saying which values are
// illegal, and api-spec §1.1 infers a dual-stack value ("IPv4 plus a
// dual-stack value (inferred)"). So any value is accepted by default, as
// by the aliyun adapter's Validate; with WithStrictRules (a strict rule)
// only IPv4 and IPv6 are, the plausible list, and any other value, sent
// empty included, is IllegalParam.IpVersion.
func (p *vpcProduct) checkIPVersion(req *rpcRequest) *apiError {
	if !p.strict() || !req.Has("IpVersion") {
		return nil
	}
	switch req.Get("IpVersion") {
	case "IPv4", "IPv6":
		return nil
	}
	return errVPCIPVersion
}

// tagRules are the rules of VPC's tag lists (see parseTagParams). The
// Tag.N of CreateFlowLog gets seed 004's: key up to 128 characters and the
// rest of the create rules, in lower case. Seed 004 does not say whether a
// key may be given twice (a resource holds one value per key, and the
// library's map cannot express a duplicate), so a duplicate is refused with
// WithStrictRules only, as are the prefixes and URLs in another letter
// case. The Tags.N filter of DescribeFlowLogs (api-spec §3.1) has no
// documented rules: none apply by default, CreateFlowLog's with
// WithStrictRules. All violations are INVALID_PARAMETER.
func (p *vpcProduct) tagRules(filter bool) tagRules {
	if filter && !p.strict() {
		return tagRules{}
	}
	return tagRules{maxKeyLen: 128, create: true, anyCase: p.strict(), uniqueKeys: p.strict()}
}

// parseTrafficPath validates TrafficPath.N, "all" if absent (seed 004 "all
// (default)"). Sources, all seed 004: values "all" and "internetGateway"
// (else IllegalParam.TrafficPath, "TrafficPath.N is set to an invalid
// value"); no value twice (DuplicatedParam.TrafficPath "The value of
// TrafficPath.N is duplicate."); "The traffic path feature is not enabled by
// default. To use this feature, submit a ticket." (else
// UnsupportedFeature.UserDefinedTrafficPath; WithTrafficPathAllowed is the
// ticket); "Dual-stack flow log instances do not support custom
// trafficPath." (UnsupportedFeature.UserDefinedTrafficPathIpv6; IPv6 stands
// for dual stack, as api-spec §1.1 infers). Only internetGateway counts as a
// custom path: "all" is the default.
func (p *vpcProduct) parseTrafficPath(req *rpcRequest) ([]string, *apiError) {
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
		if !p.cfg.trafficPathAllowed {
			return nil, errVPCTrafficPathUnsupported
		}
		if req.Get("IpVersion") == "IPv6" {
			return nil, errVPCTrafficPathIPv6
		}
	}
	return paths, nil
}
