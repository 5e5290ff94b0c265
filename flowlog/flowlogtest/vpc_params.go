package flowlogtest

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// This file holds the error answers and parameter rules of Alibaba Cloud
// VPC (vpc.go).

// VPC error responses (all HTTP 400), verbatim from the documentation.
func errVPCMissing(param string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: "MissingParameter",
		Message: "Missing mandatory parameter", Detail: param + " is missing"}
}

// errVPCInvalid is an invalidFunc; the documented message does not name the
// parameter.
func errVPCInvalid(_, detail string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: "INVALID_PARAMETER",
		Message: "The parameter invalid.", Detail: detail}
}

// errInvalidParameter is the emulator's choice for bad paging and filter
// values on DescribeFlowLogs, whose error table is not published.
func errInvalidParameter(param, detail string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: "InvalidParameter",
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
func errVPCResourceNotFound(resourceType string) *apiError {
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

// parseAggregationInterval validates AggregationInterval (minutes, 1/5/10).
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

// checkIPVersion validates IpVersion. No value list is documented; IPv4 and
// IPv6 are accepted (emulator choice).
func checkIPVersion(req *rpcRequest) *apiError {
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
func parseTags(params url.Values, prefix string) ([]Tag, *apiError) {
	return parseTagParams(params, prefix, 128, errVPCInvalid)
}

// parseTrafficPath validates TrafficPath.N: values all | internetGateway,
// no duplicates; internetGateway needs the allow-list and IPv4.
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
