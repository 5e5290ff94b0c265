package flowlogtest_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/aliyun"
	"github.com/cloudflowlog/flowlog-go/cbn"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
)

// The parameter rules of each cloud exist twice: in the adapters' Validate,
// which refuses a spec before sending it, and in the emulator, which refuses
// the request on the wire. The tests below (and rules_tencent_test.go) run
// one table of cases through both and require that the library refuses a
// spec locally exactly when the emulator refuses it. Each case names its
// source. The emulator runs with its default rules: a rule that goes
// beyond the documentation (WithStrictRules) is in neither, and its cases
// here expect acceptance; strict_test.go checks that WithStrictRules
// refuses them.

// ruleCase is a spec change and whether the documented rule refuses it.
type ruleCase struct {
	name   string
	source string // where the rule is documented
	mutate func(*driver.FlowLogSpec)
	refuse bool
}

// ruleSide is one adapter under test and what its API answers mean.
type ruleSide struct {
	newProvider func(*flowlogtest.Server) driver.Provider
	base        func() driver.FlowLogSpec
	// refusals are the codes with which the emulator refuses a parameter.
	refusals []string
	// passed are codes of checks that come after the parameter rules (a
	// well-formed but unknown resource: ResourceNotFound). A case answered
	// with one passed the parameter rules: it counts as accepted.
	passed []string
}

// alibabaRefusals are the codes with which the Alibaba emulator refuses a
// parameter.
var alibabaRefusals = []string{
	"INVALID_PARAMETER", "InvalidParameter", "IllegalParam.ResourceGroupId",
	"IllegalParam.AggregationInterval", "IllegalParam.IpVersion",
	"IllegalParam.TrafficPath", "DuplicatedParam.TrafficPath",
}

// runRuleTable checks each case: the library's validation (the neutral rules
// and the adapter's Validate, as flowlog.Client.Validate runs them) and
// Create (sent unvalidated through the adapter to a fresh emulator with the
// default fixture) must both refuse it or both accept it, as the case says.
// The client adds no owner tag, so that both see the same spec.
func runRuleTable(t *testing.T, side ruleSide, cases []ruleCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(0))
			t.Cleanup(srv.Close)
			p := side.newProvider(srv)
			c := flowlog.NewClient(p, flowlog.WithoutOwnerTag())
			t.Cleanup(func() { _ = c.Close() })
			spec := side.base()
			tt.mutate(&spec)

			local := c.Validate(spec)
			_, err := p.Create(context.Background(), &spec)
			var wire string
			if err != nil {
				var fe *driver.Error
				require.True(t, errors.As(err, &fe), "want a provider error, got %T: %v", err, err)
				if !slices.Contains(side.passed, fe.ProviderCode) {
					require.Contains(t, side.refusals, fe.ProviderCode, "refused for another reason: %v", err)
					wire = fe.ProviderCode
				}
			}
			assert.Equal(t, tt.refuse, local != nil, "library validation (source: %s): %v", tt.source, local)
			assert.Equal(t, tt.refuse, wire != "", "emulator (source: %s): %v", tt.source, err)
		})
	}
}

func TestRulesAgreeVPC(t *testing.T) {
	newProvider := func(srv *flowlogtest.Server) driver.Provider {
		p, err := aliyun.New(aliyun.WithEndpoint(srv.URL),
			aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
		require.NoError(t, err)
		return p
	}
	base := func() driver.FlowLogSpec {
		return driver.FlowLogSpec{
			Region:      flowlogtest.DefaultRegion,
			Resource:    driver.Resource{Kind: driver.ResourceNetworkInterface, ID: flowlogtest.DefaultNetworkInterfaceID},
			TrafficType: driver.TrafficAll,
			Destination: driver.Destination{SLS: &driver.SLSDestination{
				Project: flowlogtest.DefaultSLSProject, LogStore: flowlogtest.DefaultSLSLogStore}},
		}
	}
	const (
		name     = "seed 004 FlowLogName: 1 to 128 characters, cannot start with http:// or https://"
		desc     = "seed 004 Description: 1 to 256 characters, cannot start with http:// or https://"
		url      = "seed 004 FlowLogName/Description: cannot start with http:// or https://, in lower case; other cases are WithStrictRules"
		rg       = "seed 004 ResourceGroupId: example rg-acfmxazdjdhd****, IllegalParam.ResourceGroupId; no pattern documented"
		interval = "seed 004 AggregationInterval: minutes, valid values 1, 5 and 10; IllegalParam.AggregationInterval"
		path     = "seed 004 TrafficPath: all, internetGateway; IllegalParam.TrafficPath, DuplicatedParam.TrafficPath"
		ipv      = "seed 004 IpVersion: example IPv4, IllegalParam.IpVersion; no value list (api-spec §1.1), IPv4/IPv6 only is WithStrictRules"
		tag      = "seed 004 Tag.N: up to 20; key non-empty, up to 128, not aliyun/acs:, no http(s)://; value up to 128, same rules; in lower case"
		sls      = "seed 004 ProjectName [a-z0-9-], LogStoreName [a-z0-9_-], starting and ending with [a-z0-9], 3 to 63"
	)
	setName := func(v string) func(*driver.FlowLogSpec) { return func(s *driver.FlowLogSpec) { s.Name = v } }
	setDesc := func(v string) func(*driver.FlowLogSpec) { return func(s *driver.FlowLogSpec) { s.Description = v } }
	setRG := func(v string) func(*driver.FlowLogSpec) {
		return func(s *driver.FlowLogSpec) { s.Alibaba = &driver.AlibabaOptions{ResourceGroupID: v} }
	}
	setInterval := func(d time.Duration) func(*driver.FlowLogSpec) {
		return func(s *driver.FlowLogSpec) { s.AggregationInterval = d }
	}
	setPaths := func(v ...driver.AlibabaTrafficPath) func(*driver.FlowLogSpec) {
		return func(s *driver.FlowLogSpec) { s.Alibaba = &driver.AlibabaOptions{TrafficPaths: v} }
	}
	setIPv := func(v string) func(*driver.FlowLogSpec) {
		return func(s *driver.FlowLogSpec) { s.Alibaba = &driver.AlibabaOptions{IPVersion: v} }
	}
	setTags := func(m map[string]string) func(*driver.FlowLogSpec) {
		return func(s *driver.FlowLogSpec) { s.Tags = m }
	}
	setSLS := func(project, logstore string) func(*driver.FlowLogSpec) {
		return func(s *driver.FlowLogSpec) {
			s.Destination.SLS = &driver.SLSDestination{Project: project, LogStore: logstore}
		}
	}
	// A well-formed destination that the fixture lacks passed the rules.
	side := ruleSide{newProvider: newProvider, base: base, refusals: alibabaRefusals,
		passed: []string{"ProjectOrLogstoreNotExist"}}
	runRuleTable(t, side, []ruleCase{
		{"baseline", "-", func(*driver.FlowLogSpec) {}, false},
		{"name of one character", name, setName("a"), false},
		{"name starting with a digit", name, setName("1st.flow_log-x"), false},
		{"name with a space", name, setName("my flow log"), false},
		{"name of 128 characters", name, setName(strings.Repeat("n", 128)), false},
		{"name of 129 characters", name, setName(strings.Repeat("n", 129)), true},
		{"name http://", url, setName("http://x"), true},
		{"name https://", url, setName("https://x"), true},
		{"name HTTP://", url, setName("HTTP://x"), false},
		{"name Https://", url, setName("Https://x"), false},
		{"name mentioning http:// later", name, setName("see http://x"), false},
		{"description of one character", desc, setDesc("d"), false},
		{"description starting with a digit", desc, setDesc("1st flow log"), false},
		{"description of 256 characters", desc, setDesc(strings.Repeat("d", 256)), false},
		{"description of 257 characters", desc, setDesc(strings.Repeat("d", 257)), true},
		{"description https://", url, setDesc("https://x"), true},
		{"description HTTPS://", url, setDesc("HTTPS://x"), false},
		{"resource group like the example", rg, setRG("rg-acfmxazdjdhd1234"), false},
		{"resource group with an underscore", rg, setRG("rg-acfm_x"), false},
		{"resource group of 70 characters", rg, setRG("rg-" + strings.Repeat("a", 67)), false},
		{"resource group prefix only", rg, setRG("rg-"), true},
		{"resource group without the prefix", rg, setRG("acfmxazdjdhd1234"), true},
		{"resource group upper-case prefix", rg, setRG("RG-acfmxazdjdhd1234"), true},
		{"interval 1 minute", interval, setInterval(time.Minute), false},
		{"interval 5 minutes", interval, setInterval(5 * time.Minute), false},
		{"interval 10 minutes", interval, setInterval(10 * time.Minute), false},
		{"interval 2 minutes", interval, setInterval(2 * time.Minute), true},
		{"interval 20 minutes", interval, setInterval(20 * time.Minute), true},
		{"traffic path all", path, setPaths(driver.AlibabaTrafficPathAll), false},
		{"traffic path unknown", path, setPaths("vpnGateway"), true},
		{"traffic path twice", path, setPaths(driver.AlibabaTrafficPathAll, driver.AlibabaTrafficPathAll), true},
		{"IP version IPv4", ipv, setIPv("IPv4"), false},
		{"IP version IPv6", ipv, setIPv("IPv6"), false},
		{"IP version IPv5", ipv, setIPv("IPv5"), false},
		{"IP version DualStack", ipv, setIPv("DualStack"), false},
		{"tag key of 128 characters", tag, setTags(map[string]string{strings.Repeat("k", 128): "v"}), false},
		{"tag key of 129 characters", tag, setTags(map[string]string{strings.Repeat("k", 129): "v"}), true},
		{"tag value empty", tag, setTags(map[string]string{"k": ""}), false},
		{"tag value of 129 characters", tag, setTags(map[string]string{"k": strings.Repeat("v", 129)}), true},
		{"tag key starting with acs:", tag, setTags(map[string]string{"acs:k": "v"}), true},
		{"tag key starting with aliyun", tag, setTags(map[string]string{"aliyunk": "v"}), true},
		{"tag key starting with ACS:", tag, setTags(map[string]string{"ACS:k": "v"}), false},
		{"tag key starting with Aliyun", tag, setTags(map[string]string{"Aliyunk": "v"}), false},
		{"tag value containing https://", tag, setTags(map[string]string{"k": "see https://x"}), true},
		{"tag value containing HTTPS://", tag, setTags(map[string]string{"k": "see HTTPS://x"}), false},
		{"20 tags", tag, setTags(numberedTags(20)), false},
		{"21 tags", tag, setTags(numberedTags(21)), true},
		{"project of 3 characters", sls, setSLS("abc", flowlogtest.DefaultSLSLogStore), false},
		{"project of 2 characters", sls, setSLS("ab", flowlogtest.DefaultSLSLogStore), true},
		{"project of 63 characters", sls, setSLS(strings.Repeat("p", 63), flowlogtest.DefaultSLSLogStore), false},
		{"project of 64 characters", sls, setSLS(strings.Repeat("p", 64), flowlogtest.DefaultSLSLogStore), true},
		{"project with upper case", sls, setSLS("Flowlog-emu", flowlogtest.DefaultSLSLogStore), true},
		{"project ending with a hyphen", sls, setSLS("flowlog-", flowlogtest.DefaultSLSLogStore), true},
		{"logstore with an underscore at the end", sls, setSLS(flowlogtest.DefaultSLSProject, "store_"), true},
	})
}

// numberedTags returns n tags k1=v1, k2=v2, ...
func numberedTags(n int) map[string]string {
	m := make(map[string]string, n)
	for i := 1; i <= n; i++ {
		m["k"+strconv.Itoa(i)] = "v" + strconv.Itoa(i)
	}
	return m
}

func TestRulesAgreeCEN(t *testing.T) {
	newProvider := func(srv *flowlogtest.Server) driver.Provider {
		p, err := cbn.New(cbn.WithEndpoint(srv.URL),
			cbn.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
		require.NoError(t, err)
		return p
	}
	base := func() driver.FlowLogSpec {
		return driver.FlowLogSpec{
			Region: flowlogtest.DefaultRegion,
			Resource: driver.Resource{Kind: driver.ResourceTransitRouterAttachment,
				ID: flowlogtest.DefaultTransitRouterAttachmentID, NetworkID: flowlogtest.DefaultCENID},
			Destination: driver.Destination{SLS: &driver.SLSDestination{
				Project: flowlogtest.DefaultSLSProject, LogStore: flowlogtest.DefaultSLSLogStore}},
		}
	}
	const (
		token = "seed 000 ClientToken: 最大值不超过64个ASCII字符 (at most 64 ASCII characters)"
		name  = "seed 000 FlowLogName: 长度为2~128个字符，必须以字母或中文开头，可包含数字，点号（.），下划线（_）和短横线（-）"
		desc  = "seed 000 Description: 长度为2~256个字符，必须以字母或中文开头"
		url   = "seed 000 FlowLogName/Description: 不能以http://或https://开头, in lower case; other cases are WithStrictRules"
		intv  = "api-spec §2.1 [TEA] Interval: seconds, 60 or 600"
		tag   = "api-spec §2.1 [TEA] Tag.N: key ≤64, value 0–128, no aliyun/acs: prefix, no http(s)://; in lower case"
	)
	setInterval := func(d time.Duration) func(*driver.FlowLogSpec) {
		return func(s *driver.FlowLogSpec) { s.AggregationInterval = d }
	}
	setTags := func(m map[string]string) func(*driver.FlowLogSpec) {
		return func(s *driver.FlowLogSpec) { s.Tags = m }
	}
	setToken := func(v string) func(*driver.FlowLogSpec) { return func(s *driver.FlowLogSpec) { s.ClientToken = v } }
	setName := func(v string) func(*driver.FlowLogSpec) { return func(s *driver.FlowLogSpec) { s.Name = v } }
	setDesc := func(v string) func(*driver.FlowLogSpec) { return func(s *driver.FlowLogSpec) { s.Description = v } }
	runRuleTable(t, ruleSide{newProvider: newProvider, base: base, refusals: alibabaRefusals}, []ruleCase{
		{"baseline", "-", func(*driver.FlowLogSpec) {}, false},
		{"token like the example", token, setToken("02fb3da4-130e-11e9-8e44-0016e04115b"), false},
		{"token with spaces", token, setToken("create flow log 1"), false},
		{"token with a tab", token, setToken("a\tb"), false},
		{"token of 64 characters", token, setToken(strings.Repeat("t", 64)), false},
		{"token of 65 characters", token, setToken(strings.Repeat("t", 65)), true},
		{"token not ASCII", token, setToken("tökén"), true},
		{"name like the example", name, setName("myFlowlog"), false},
		{"name of two characters", name, setName("ab"), false},
		{"name of one character", name, setName("a"), true},
		{"name with digits, dot, underscore, hyphen", name, setName("my.flow_log-2"), false},
		{"name starting with a digit", name, setName("1abc"), true},
		{"name starting with an underscore", name, setName("_abc"), true},
		{"name starting with a hyphen", name, setName("-abc"), true},
		{"name with a space", name, setName("my flowlog"), true},
		{"name with a slash", name, setName("my/flowlog"), true},
		{"name with a non-ASCII letter", name, setName("caf\u00e9"), true},
		{"name in Chinese", name, setName("流日志"), false},
		{"name starting with Chinese, then ASCII", name, setName("流log-1"), false},
		{"name of 128 characters", name, setName(strings.Repeat("名", 128)), false},
		{"name of 129 characters", name, setName(strings.Repeat("名", 129)), true},
		{"name http://", url, setName("http://x"), true},
		// ":" and "/" are outside seed 000's name characters in any case.
		{"name HTTP://", name, setName("HTTP://x"), true},
		{"name hTTpS://", name, setName("hTTpS://x"), true},
		{"description like the example", desc, setDesc("This is my Flowlog."), false},
		{"description of two characters", desc, setDesc("ab"), false},
		{"description of one character", desc, setDesc("a"), true},
		{"description starting with a digit", desc, setDesc("1st flow log"), true},
		{"description starting with a space", desc, setDesc(" a flow log"), true},
		{"description starting with Chinese", desc, setDesc("流日志: all traffic / 100%"), false},
		{"description of 256 characters", desc, setDesc(strings.Repeat("d", 256)), false},
		{"description of 257 characters", desc, setDesc(strings.Repeat("d", 257)), true},
		{"description mentioning http:// later", desc, setDesc("see http://x"), false},
		{"description http://", url, setDesc("http://x"), true},
		{"description https://", url, setDesc("https://x"), true},
		{"description HTTPS://", url, setDesc("HTTPS://x"), false},
		{"interval 1 minute", intv, setInterval(time.Minute), false},
		{"interval 10 minutes", intv, setInterval(10 * time.Minute), false},
		{"interval 5 minutes", intv, setInterval(5 * time.Minute), true},
		{"tag key of 64 characters", tag, setTags(map[string]string{strings.Repeat("k", 64): "v"}), false},
		{"tag key of 65 characters", tag, setTags(map[string]string{strings.Repeat("k", 65): "v"}), true},
		{"tag value of 129 characters", tag, setTags(map[string]string{"k": strings.Repeat("v", 129)}), true},
		{"tag key starting with acs:", tag, setTags(map[string]string{"acs:k": "v"}), true},
		{"tag key starting with ACS:", tag, setTags(map[string]string{"ACS:k": "v"}), false},
		{"tag value containing Http://", tag, setTags(map[string]string{"k": "see Http://x"}), false},
		{"21 tags", tag, setTags(numberedTags(21)), true},
	})
}
