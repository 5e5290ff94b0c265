package flowlogtest

import (
	"slices"
	"strings"
)

// This file holds the parameter rules of Tencent Cloud VPC (tencent.go).
// Each rule names its source: seed 003 (CreateFlowLog, VPC 2017-03-12, the
// intl doc) or api-spec.md (§4 CreateFlowLog, §5 the read and lifecycle
// APIs). The IDs' shape beyond a documented prefix, CLS topic IDs being
// UUIDs and the Tag service's limits are not documented for these APIs; the
// emulator does not enforce them.

// tencentResourcePrefixes maps ResourceType to the documented prefix of its
// IDs, "" where no source names one (any non-empty ID then has the shape):
//   - VPC: seed 003 example "VpcId": "vpc-xxxxxx", "vpc-pq9vxykj";
//   - NETWORKINTERFACE: seed 003 example "ResourceId": "eni-xxxxxxxx";
//   - NAT, CCN, DCG: api-spec §4.1 ResourceId "e.g. eni-b4ax8qbz, nat-…,
//     ccn-…, dcg-…";
//   - SUBNET: no example in seed 003 or api-spec.
//
// Neither source gives a length or an alphabet ("vpc-xxxxxx" has six
// characters after the prefix, "eni-xxxxxxxx" eight).
var tencentResourcePrefixes = map[string]string{
	"VPC":              "vpc-",
	"SUBNET":           "",
	"NETWORKINTERFACE": "eni-",
	"CCN":              "ccn-",
	"NAT":              "nat-",
	"DCG":              "dcg-",
}

// tencentFlowLogIDPrefix is the prefix of FlowLogId: seed 003 output example
// "FlowLogId": "fl-f42uhpkj"; api-spec §4.2.
const tencentFlowLogIDPrefix = "fl-"

// tencentResourceTypes lists the ResourceType values in documented order:
// seed 003 ResourceType "Valid values: VPC, SUBNET, NETWORKINTERFACE, CCN,
// NAT, and DCG"; api-spec §5 (DescribeFlowLogs) the same list.
var tencentResourceTypes = []string{"VPC", "SUBNET", "NETWORKINTERFACE", "CCN", "NAT", "DCG"}

var (
	// seed 003 TrafficType: "Valid values: ACCEPT, REJECT and ALL".
	tencentTrafficTypes = []string{"ACCEPT", "REJECT", "ALL"}
	// seed 003 StorageType: "Consumer types: cls and ckafka".
	tencentStorageTypes = []string{"cls", "ckafka"}
	// api-spec §4.1 Period: "seconds 60 | 300 | 600, CCN only" [T-NEW].
	tencentCCNPeriods = []int64{60, 300, 600}
	// api-spec §5 DescribeFlowLogs CloudLogState (SUCCESS|DELETED).
	tencentCloudLogStates = []string{TencentCloudLogStateSuccess, TencentCloudLogStateDeleted}
)

const (
	// api-spec §4.1 FlowLogName "≤60 chars [T-NEW]"; §5 DescribeFlowLogs
	// FlowLogName (≤60).
	tencentMaxNameLen = 60
	// api-spec §4.1 FlowLogDescription "≤512 chars [T-NEW]".
	tencentMaxDescriptionLen = 512
	// The Period a CCN flow log reports when none is given (emulator
	// choice: the default is undocumented).
	tencentDefaultCCNPeriod = 600
)

// validTencentID reports whether id is non-empty and starts with prefix, the
// only shape the sources document (see tencentResourcePrefixes). A
// well-formed ID that names nothing is ResourceNotFound, not Malformed.
func validTencentID(prefix, id string) bool {
	return id != "" && strings.HasPrefix(id, prefix)
}

func runeLen(s string) int { return len([]rune(s)) }

// requiredString applies the rule for required string parameters: absent is
// MissingParameter (a common error code), empty is
// InvalidParameterValue.Empty (seed 003 "Missing parameters."); api-spec §9
// item 3.
func requiredString(name string, v *string) (string, *apiError) {
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

// oneOf refuses a value outside an enumeration with
// InvalidParameterValue.Range (seed 003 "The parameter value is not in the
// specified range.").
func oneOf(param, value string, allowed []string) *apiError {
	if slices.Contains(allowed, value) {
		return nil
	}
	return errTCRange(param, value, "must be one of "+strings.Join(allowed, ", "))
}

type tcTagParam struct {
	Key   *string
	Value *string
}

// parseTencentTags applies the documented tag rules: a tag's Key is
// required and its Value optional (api-spec §4.1 Tags "Key required, Value
// optional"), refused with InvalidParameterValue.TagInvalidKey (seed 003
// "Invalid tag key."); keys are unique (seed 003
// InvalidParameterValue.TagDuplicateKey "Duplicate tag keys."). Seed 003
// gives no count, length, character set or reserved keys for Tags.N (nor
// does api-spec §4.1; acs3-and-lifecycle-apis.md §3: "no per-call cap"), so
// the Tag service's own limits are not applied.
func parseTencentTags(in []tcTagParam) ([]Tag, *apiError) {
	tags := make([]Tag, 0, len(in))
	seen := make(map[string]bool, len(in))
	for _, p := range in {
		t := Tag{Key: deref(p.Key), Value: deref(p.Value)}
		switch {
		case t.Key == "":
			return nil, newTCError("InvalidParameterValue.TagInvalidKey", "Invalid tag key: the key must not be empty.")
		case seen[t.Key]:
			return nil, newTCError("InvalidParameterValue.TagDuplicateKey", "Duplicate tag keys: `"+t.Key+"`.")
		}
		seen[t.Key] = true
		tags = append(tags, t)
	}
	return tags, nil
}
