package flowlogtest

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seeded is everything a fixture can seed, read from the products' own
// maps: comparing these, rather than what some requests happen to see,
// proves two servers were seeded alike.
type seeded struct {
	VPCRegions       map[string]*vpcRegion
	VPCs, VSw, ENIs  map[string]vpcNetwork
	SLS              map[string]map[string]bool
	CENs             map[string]bool
	Routers          map[string]cenRouter
	Attachments      map[string]cenAttachment
	TencentRegions   map[string]bool
	TencentResources map[string]map[string]tcResource
	CLS              map[string]map[string]bool
	CKafka           map[string]map[string]map[string]bool
	Seq              int
}

func stateOf(s *Server) seeded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return seeded{
		VPCRegions: s.vpc.regions, VPCs: s.vpc.vpcs, VSw: s.vpc.vswitches, ENIs: s.vpc.enis,
		SLS:  s.ali.sls,
		CENs: s.cbn.cens, Routers: s.cbn.routers, Attachments: s.cbn.attachments,
		TencentRegions: s.tc.regions, TencentResources: s.tc.resources, CLS: s.tc.cls, CKafka: s.tc.ckafka,
		Seq: s.seq,
	}
}

func TestLoadDefaultFixtureEqualsDefaultSeed(t *testing.T) {
	want := stateOf(newServer(nil)) // wired, not started: no listener needed
	loaded := newServer([]Option{WithoutDefaultFixture()})
	require.NoError(t, loaded.Load(DefaultFixture()))
	assert.Equal(t, want, stateOf(loaded))

	// And through JSON, as the emulator command reads it.
	b, err := json.Marshal(DefaultFixture())
	require.NoError(t, err)
	f, err := DecodeFixture(strings.NewReader(string(b)))
	require.NoError(t, err)
	assert.Equal(t, DefaultFixture(), f)
}

func TestLoadAddsToExistingState(t *testing.T) {
	s := newServer(nil)
	require.NoError(t, s.Load(Fixture{
		Aliyun:  FixtureAliyun{VSwitches: []FixtureInVPC{{Region: "cn-shanghai", VPCID: "vpc-sh", ID: "vsw-sh"}}},
		CBN:     FixtureCBN{CENs: []string{"cen-other"}},
		Tencent: FixtureTencent{DirectConnectGateways: []FixtureInVPC{{Region: "ap-shanghai", VPCID: "vpc-sh000001", ID: "dcg-sh000001"}}},
	}))
	st := stateOf(s)
	assert.Contains(t, st.VSw, "vsw-sh")
	assert.Contains(t, st.VPCs, "vpc-sh", "parents are added implicitly")
	assert.Contains(t, st.VPCRegions, "cn-shanghai")
	assert.Contains(t, st.ENIs, DefaultNetworkInterfaceID, "the default fixture stays")
	assert.True(t, st.CENs["cen-other"])
	assert.Contains(t, st.TencentResources["DCG"], "dcg-sh000001")
	assert.Contains(t, st.TencentResources["VPC"], "vpc-sh000001")
}

func TestDecodeFixtureRefusesUnknownFields(t *testing.T) {
	for name, tc := range map[string]struct{ json, field string }{
		"top level": {`{"alibaba": {}}`, `"alibaba"`},
		"section":   {`{"aliyun": {"networkInterface": []}}`, `"networkInterface"`},
		"entry": {`{"tencent": {"networkInterfaces": [{"region": "ap-guangzhou",
			"vpcId": "vpc-emu00001", "id": "eni-emu00009", "subnetId": "subnet-emu00001"}]}}`, `"subnetId"`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := DecodeFixture(strings.NewReader(tc.json))
			require.Error(t, err)
			assert.ErrorContains(t, err, "unknown field "+tc.field)
			assert.ErrorContains(t, err, "decode fixture")
		})
	}
}

func TestDecodeFixtureRefusesBadJSON(t *testing.T) {
	for name, in := range map[string]string{
		"trailing data": `{} {}`,
		"wrong type":    `{"cbn": {"cens": "cen-1"}}`,
		"truncated":     `{"aliyun": {`,
		"empty":         ``,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := DecodeFixture(strings.NewReader(in))
			assert.ErrorContains(t, err, "flowlogtest: decode fixture")
		})
	}
	f, err := DecodeFixture(strings.NewReader(`{}`))
	require.NoError(t, err)
	assert.Equal(t, Fixture{}, f, "an empty object is an empty fixture")
}

func TestLoadRefusesInvalidEntriesAndSeedsNothing(t *testing.T) {
	s := newServer([]Option{WithoutDefaultFixture()})
	before := stateOf(s)
	err := s.Load(Fixture{
		Aliyun: FixtureAliyun{
			NetworkInterfaces: []FixtureAliyunENI{{Region: DefaultRegion, VPCID: DefaultVPCID, ID: "eni-1"}},
			SLSLogStores:      []FixtureSLSLogStore{{Project: "p", LogStore: "s"}},
		},
		CBN: FixtureCBN{CENs: []string{""}},
		Tencent: FixtureTencent{
			NetworkInterfaces: []FixtureInVPC{
				{Region: DefaultTencentRegion, VPCID: DefaultTencentVPCID, ID: DefaultTencentNetworkInterfaceID},
				{Region: DefaultTencentRegion, VPCID: DefaultTencentVPCID, ID: "ENI-12345678"},
			},
			CLSTopics: []FixtureCLSTopic{{Region: DefaultTencentRegion, ID: ""}},
		},
	})
	require.Error(t, err)
	for _, want := range []string{
		"aliyun.networkInterfaces[0].vSwitchId: is empty",
		"cbn.cens[0]: is empty",
		`tencent.networkInterfaces[1].id: "ENI-12345678" must start with "eni-"`,
		`tencent.clsTopics[0].id: is empty`,
	} {
		assert.ErrorContains(t, err, want)
	}
	assert.NotContains(t, err.Error(), "networkInterfaces[0].id", "valid entries are not reported")
	assert.Equal(t, before, stateOf(s), "a refused fixture seeds nothing, not even its valid entries")
}
