package flowlogtest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/tencent"
)

// tencentRefusals are the codes with which the Tencent emulator refuses a
// CreateFlowLog parameter (seed 003 §6 and api-spec §4.3, plus
// MissingParameter of the common error codes and VpcIdNotNeededForFlowLog,
// api-spec §4.1). Tag limits the emulator no longer enforces are listed too,
// so that a case they would refuse shows as a refusal, not as another error.
var tencentRefusals = []string{
	"MissingParameter",
	"InvalidParameterValue.Empty",
	"InvalidParameterValue.Malformed",
	"InvalidParameterValue.Range",
	"InvalidParameterValue.VpcIdNotNeededForFlowLog",
	"InvalidParameterValue.TagInvalidKey",
	"InvalidParameterValue.TagInvalidKeyLen",
	"InvalidParameterValue.TagInvalidVal",
	"InvalidParameterValue.TagDuplicateKey",
	"UnsupportedOperation.TagSystemReservedTagKey",
	"LimitExceeded.TagKeyPerResourceExceeded",
}

// TestRulesAgreeTencent runs Tencent CreateFlowLog's rules through the
// library's validation and the emulator. A well-formed ID of a resource the
// fixture lacks is answered with ResourceNotFound, which comes after the
// parameter rules (seed 003 §6: "ResourceNotFound The resource does not
// exist."): such a case passed them.
func TestRulesAgreeTencent(t *testing.T) {
	newProvider := func(srv *flowlogtest.Server) driver.Provider {
		p, err := tencent.New(tencent.WithEndpoint(srv.URL),
			tencent.WithSecretKey(flowlogtest.DefaultTencentSecretID, flowlogtest.DefaultTencentSecretKey))
		require.NoError(t, err)
		return p
	}
	base := func() driver.FlowLogSpec {
		return driver.FlowLogSpec{
			Region: flowlogtest.DefaultTencentRegion,
			Name:   "flow-log",
			Resource: driver.Resource{Kind: driver.ResourceNetworkInterface,
				ID: flowlogtest.DefaultTencentNetworkInterfaceID, NetworkID: flowlogtest.DefaultTencentVPCID},
			TrafficType: driver.TrafficAll,
			Destination: driver.Destination{CLS: &driver.CLSDestination{TopicID: flowlogtest.DefaultCLSTopicID}},
		}
	}
	const (
		name     = "seed 003 FlowLogName: Required Yes; api-spec §4.1 [T-NEW]: ≤60 chars"
		desc     = "api-spec §4.1 FlowLogDescription: ≤512 chars [T-NEW]"
		vpc      = "seed 003 VpcId: required unless the ResourceType is set to CCN; api-spec §4.1: must be empty for CCN"
		vpcShape = `seed 003 example "VpcId": "vpc-xxxxxx" (6 characters after the prefix), "vpc-pq9vxykj"; no length or alphabet documented`
		eni      = `seed 003 example "ResourceId": "eni-xxxxxxxx", "eni-78ysaex1"; no length or alphabet documented`
		prefixes = "api-spec §4.1 ResourceId: e.g. eni-b4ax8qbz, nat-…, ccn-…, dcg-…"
		subnet   = "seed 003 ResourceType SUBNET; no subnet ID example or prefix in seed 003 or api-spec"
		cls      = `seed 003 CloudLogId: "The storage ID of the flow log" (String), example a placeholder; api-spec §4.1: required when StorageType=cls`
		tagKey   = `api-spec §4.1 Tags: {Key, Value} (Key required, Value optional); seed 003 "Bound tags, such as [{"Key": "city", "Value": "shanghai"}]"`
		noLimit  = "seed 003 Tags.N and api-spec §4.1 give no count, length or character limit (acs3-and-lifecycle §3: 'no per-call cap')"
		reserved = "seed 003 lists UnsupportedOperation.TagSystemReservedTagKey but names no reserved key"
	)
	set := func(f func(*driver.FlowLogSpec)) func(*driver.FlowLogSpec) { return f }
	setName := func(v string) func(*driver.FlowLogSpec) { return func(s *driver.FlowLogSpec) { s.Name = v } }
	setDesc := func(v string) func(*driver.FlowLogSpec) { return func(s *driver.FlowLogSpec) { s.Description = v } }
	setID := func(v string) func(*driver.FlowLogSpec) { return func(s *driver.FlowLogSpec) { s.Resource.ID = v } }
	setVPC := func(v string) func(*driver.FlowLogSpec) {
		return func(s *driver.FlowLogSpec) { s.Resource.NetworkID = v }
	}
	setKind := func(k driver.ResourceKind, id, vpcID string) func(*driver.FlowLogSpec) {
		return func(s *driver.FlowLogSpec) { s.Resource = driver.Resource{Kind: k, ID: id, NetworkID: vpcID} }
	}
	setTopic := func(v string) func(*driver.FlowLogSpec) {
		return func(s *driver.FlowLogSpec) { s.Destination.CLS.TopicID = v }
	}
	setTags := func(tags map[string]string) func(*driver.FlowLogSpec) {
		return func(s *driver.FlowLogSpec) { s.Tags = tags }
	}
	manyTags := make(map[string]string, 51)
	for i := range 51 {
		manyTags[fmt.Sprintf("k%d", i)] = "v"
	}
	vpcID := flowlogtest.DefaultTencentVPCID
	runRuleTable(t, ruleSide{newProvider: newProvider, base: base, refusals: tencentRefusals,
		passed: []string{"ResourceNotFound"}}, []ruleCase{
		{"baseline", "-", func(*driver.FlowLogSpec) {}, false},
		{"name empty", name, setName(""), true},
		{"name of 60 characters", name, setName(strings.Repeat("名", 60)), false},
		{"name of 61 characters", name, setName(strings.Repeat("名", 61)), true},
		{"description of 512 characters", desc, setDesc(strings.Repeat("d", 512)), false},
		{"description of 513 characters", desc, setDesc(strings.Repeat("d", 513)), true},
		{"ENI without VPC", vpc, setVPC(""), true},
		{"CCN without VPC", vpc, setKind(driver.ResourceCloudConnectNetwork, flowlogtest.DefaultTencentCCNID, ""), false},
		{"CCN with a VPC", vpc, setKind(driver.ResourceCloudConnectNetwork, flowlogtest.DefaultTencentCCNID, vpcID), true},

		// ID shapes: only the documented prefix is required.
		{"VPC ID with 6 characters", vpcShape, setVPC("vpc-abc123"), false},
		{"VPC ID with 3 characters", vpcShape, setVPC("vpc-123"), false},
		{"VPC ID with upper case", vpcShape, setVPC("vpc-EMU00001"), false},
		{"VPC ID without the prefix", vpcShape, setVPC("emu00001"), true},
		{"VPC ID of another kind", vpcShape, setVPC(flowlogtest.DefaultTencentNetworkInterfaceID), true},
		{"ENI ID with upper case", eni, setID("eni-EMU00001"), false},
		{"ENI ID of 7 characters", eni, setID("eni-emu0001"), false},
		{"ENI ID of 9 characters", eni, setID("eni-emu000001"), false},
		{"ENI ID with an underscore", eni, setID("eni-emu_0001"), false},
		{"ENI ID without the prefix", eni, setID("emu00001"), true},
		{"ENI ID with another prefix", eni, setID(flowlogtest.DefaultTencentSubnetID), true},
		{"NAT ID long", prefixes, setKind(driver.ResourceNATGateway, "nat-0123456789abcdef", vpcID), false},
		{"NAT ID without the prefix", prefixes, setKind(driver.ResourceNATGateway, "gw-12345678", vpcID), true},
		{"CCN ID short", prefixes, setKind(driver.ResourceCloudConnectNetwork, "ccn-1", ""), false},
		{"CCN ID without the prefix", prefixes, setKind(driver.ResourceCloudConnectNetwork, "ccn_12345678", ""), true},
		{"DCG ID upper case", prefixes, setKind(driver.ResourceDirectConnectGateway, "dcg-ABCDEFGH", vpcID), false},
		{"DCG ID without the prefix", prefixes, setKind(driver.ResourceDirectConnectGateway, "12345678", vpcID), true},
		{"subnet ID of any shape", subnet, setKind(driver.ResourceSubnet, "sn-1", vpcID), false},
		{"VPC flow log, ID like the example", vpcShape, setKind(driver.ResourceVPC, "vpc-xxxxxx", "vpc-xxxxxx"), false},

		// CloudLogId: any non-empty string.
		{"CLS topic not a UUID", cls, setTopic("topic-1"), false},
		{"CLS topic upper-case UUID", cls, setTopic("F10E1000-0000-4000-8000-000000000001"), false},

		// Tags.
		{"tag with an empty value", tagKey, setTags(map[string]string{"team": ""}), false},
		{"tag with an empty key", tagKey, setTags(map[string]string{"": "v"}), true},
		{"51 tags", noLimit, setTags(manyTags), false},
		{"tag key of 128 characters", noLimit, setTags(map[string]string{strings.Repeat("k", 128): "v"}), false},
		{"tag value of 256 characters", noLimit, setTags(map[string]string{"k": strings.Repeat("v", 256)}), false},
		{"tag value with a bar", noLimit, setTags(map[string]string{"team": "a|b"}), false},
		{"tag key with edge spaces", noLimit, setTags(map[string]string{" lead ": "v"}), false},
		{"tag key qcs:", reserved, setTags(map[string]string{"qcs:x": "v"}), false},
		{"tag key qcloud", reserved, setTags(map[string]string{"qcloud:owner": "v"}), false},
		{"tag key project", reserved, set(func(s *driver.FlowLogSpec) { s.Tags = map[string]string{"project": "v"} }), false},
	})
}
