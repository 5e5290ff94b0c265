package flowlogtest_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

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
// source.

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
var alibabaRefusals = []string{"INVALID_PARAMETER", "IllegalParam.ResourceGroupId", "InvalidParameter"}

// runRuleTable checks each case: the library's validation (the neutral rules
// and the adapter's Validate, as flowlog.Client.Validate runs them) and
// Create (sent unvalidated through the adapter to a fresh emulator with the
// default fixture) must both refuse it or both accept it, as the case says.
func runRuleTable(t *testing.T, side ruleSide, cases []ruleCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			srv := flowlogtest.NewServer(flowlogtest.WithActivationDelay(0))
			t.Cleanup(srv.Close)
			p := side.newProvider(srv)
			c := flowlog.NewClient(p)
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
		name = "seed 004 FlowLogName: 1 to 128 characters, cannot start with http:// or https://"
		desc = "seed 004 Description: 1 to 256 characters, cannot start with http:// or https://"
		url  = "seed 004 FlowLogName/Description; RFC 3986 §3.1: a scheme is case-insensitive"
		rg   = "seed 004 ResourceGroupId: example rg-acfmxazdjdhd****, IllegalParam.ResourceGroupId; no pattern documented"
	)
	setName := func(v string) func(*driver.FlowLogSpec) { return func(s *driver.FlowLogSpec) { s.Name = v } }
	setDesc := func(v string) func(*driver.FlowLogSpec) { return func(s *driver.FlowLogSpec) { s.Description = v } }
	setRG := func(v string) func(*driver.FlowLogSpec) {
		return func(s *driver.FlowLogSpec) { s.Alibaba = &driver.AlibabaOptions{ResourceGroupID: v} }
	}
	runRuleTable(t, ruleSide{newProvider: newProvider, base: base, refusals: alibabaRefusals}, []ruleCase{
		{"baseline", "-", func(*driver.FlowLogSpec) {}, false},
		{"name of one character", name, setName("a"), false},
		{"name starting with a digit", name, setName("1st.flow_log-x"), false},
		{"name of 128 characters", name, setName(strings.Repeat("n", 128)), false},
		{"name of 129 characters", name, setName(strings.Repeat("n", 129)), true},
		{"name http://", url, setName("http://x"), true},
		{"name HTTP://", url, setName("HTTP://x"), true},
		{"name Https://", url, setName("Https://x"), true},
		{"name mentioning http:// later", name, setName("see http://x"), false},
		{"description of 256 characters", desc, setDesc(strings.Repeat("d", 256)), false},
		{"description of 257 characters", desc, setDesc(strings.Repeat("d", 257)), true},
		{"description HTTPS://", url, setDesc("HTTPS://x"), true},
		{"resource group like the example", rg, setRG("rg-acfmxazdjdhd1234"), false},
		{"resource group with an underscore", rg, setRG("rg-acfm_x"), false},
		{"resource group of 70 characters", rg, setRG("rg-" + strings.Repeat("a", 67)), false},
		{"resource group prefix only", rg, setRG("rg-"), true},
		{"resource group without the prefix", rg, setRG("acfmxazdjdhd1234"), true},
		{"resource group upper-case prefix", rg, setRG("RG-acfmxazdjdhd1234"), true},
	})
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
		name  = "api-spec §2.1 [TEA] FlowLogName: 1–128, not http(s)://; seed 000's 2–128 and letter-first were dropped"
		desc  = "api-spec §2.1 [TEA] Description: 1–256, not http(s)://; seed 000's 2–256 and letter-first were dropped"
		url   = "seed 000 FlowLogName/Description: 不能以http://或https://开头; RFC 3986 §3.1"
	)
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
		{"name of one character", name, setName("a"), false},
		{"name starting with a digit", name, setName("1abc"), false},
		{"name in Chinese", name, setName("流日志"), false},
		{"name of 128 characters", name, setName(strings.Repeat("名", 128)), false},
		{"name of 129 characters", name, setName(strings.Repeat("名", 129)), true},
		{"name http://", url, setName("http://x"), true},
		{"name HTTP://", url, setName("HTTP://x"), true},
		{"name hTTpS://", url, setName("hTTpS://x"), true},
		{"description of 256 characters", desc, setDesc(strings.Repeat("d", 256)), false},
		{"description of 257 characters", desc, setDesc(strings.Repeat("d", 257)), true},
		{"description HTTPS://", url, setDesc("HTTPS://x"), true},
	})
}
