package flowlogtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Fixture is a set of resources to seed a server with, in a form that can be
// written as JSON: what a standalone emulator (examples/emulator) reads with
// -fixture, or what a test keeps in testdata instead of a list of Add* calls.
// Server.Load applies it; DefaultFixture is what NewServer seeds.
//
// The JSON has one object per product, each a list per kind of resource;
// every entry names its parents, and a parent is added implicitly when a
// child names it, as the Add* methods do:
//
//	{
//	  "aliyun": {
//	    "networkInterfaces": [{"region": "cn-hangzhou", "vpcId": "vpc-1",
//	      "vSwitchId": "vsw-1", "id": "eni-1"}],
//	    "slsLogStores": [{"project": "my-project", "logStore": "my-store"}]
//	  },
//	  "cbn": {
//	    "transitRouterAttachments": [{"cenId": "cen-1", "region": "cn-hangzhou",
//	      "transitRouterId": "tr-1", "id": "tr-attach-1"}]
//	  },
//	  "tencent": {
//	    "networkInterfaces": [{"region": "ap-guangzhou", "vpcId": "vpc-abcd1234",
//	      "id": "eni-abcd1234"}],
//	    "clsTopics": [{"region": "ap-guangzhou",
//	      "id": "f10e1000-0000-4000-8000-000000000002"}]
//	  }
//	}
//
// Missing lists are empty; DecodeFixture refuses unknown fields, so a typo
// is an error rather than a resource silently missing. A fixture holds
// resources only: flow logs are made through the API under test, and
// account settings (SetFlowLogServiceOpened, SetBusinessStatus, quotas,
// credentials) stay with the Server's methods and options.
type Fixture struct {
	Aliyun  FixtureAliyun  `json:"aliyun,omitzero"`
	CBN     FixtureCBN     `json:"cbn,omitzero"`
	Tencent FixtureTencent `json:"tencent,omitzero"`
}

// FixtureAliyun is the Alibaba Cloud VPC part of a Fixture, seeded with
// AddRegion, AddVPC, AddVSwitch, AddNetworkInterface and AddSLSLogStore.
type FixtureAliyun struct {
	Regions           []string             `json:"regions,omitempty"`
	VPCs              []FixtureVPC         `json:"vpcs,omitempty"`
	VSwitches         []FixtureInVPC       `json:"vSwitches,omitempty"`
	NetworkInterfaces []FixtureAliyunENI   `json:"networkInterfaces,omitempty"`
	SLSLogStores      []FixtureSLSLogStore `json:"slsLogStores,omitempty"`
}

// FixtureCBN is the Alibaba Cloud CEN part of a Fixture, seeded with AddCEN,
// AddTransitRouter and AddTransitRouterAttachment. CEN flow logs deliver to
// the logstores of FixtureAliyun (or create theirs).
type FixtureCBN struct {
	CENs                     []string                         `json:"cens,omitempty"`
	TransitRouters           []FixtureTransitRouter           `json:"transitRouters,omitempty"`
	TransitRouterAttachments []FixtureTransitRouterAttachment `json:"transitRouterAttachments,omitempty"`
}

// FixtureTencent is the Tencent Cloud part of a Fixture, seeded with the
// AddTencent* methods, AddCLSTopic and AddCKafkaTopic. IDs must be ones
// CreateFlowLog accepts: non-empty, with the documented prefix where there
// is one (see AddTencentVPC); Load says which one is not.
type FixtureTencent struct {
	Regions               []string             `json:"regions,omitempty"`
	VPCs                  []FixtureVPC         `json:"vpcs,omitempty"`
	Subnets               []FixtureInVPC       `json:"subnets,omitempty"`
	NetworkInterfaces     []FixtureInVPC       `json:"networkInterfaces,omitempty"`
	NATGateways           []FixtureInVPC       `json:"natGateways,omitempty"`
	DirectConnectGateways []FixtureInVPC       `json:"directConnectGateways,omitempty"`
	CCNs                  []string             `json:"ccns,omitempty"`
	CLSTopics             []FixtureCLSTopic    `json:"clsTopics,omitempty"`
	CKafkaTopics          []FixtureCKafkaTopic `json:"ckafkaTopics,omitempty"`
}

// FixtureVPC is a VPC in a region.
type FixtureVPC struct {
	Region string `json:"region"`
	ID     string `json:"id"`
}

// FixtureInVPC is a resource that lives in a VPC: an Alibaba vSwitch, or a
// Tencent subnet, ENI, NAT gateway or direct connect gateway.
type FixtureInVPC struct {
	Region string `json:"region"`
	VPCID  string `json:"vpcId"`
	ID     string `json:"id"`
}

// FixtureAliyunENI is an Alibaba ENI, which lives in a vSwitch.
type FixtureAliyunENI struct {
	Region    string `json:"region"`
	VPCID     string `json:"vpcId"`
	VSwitchID string `json:"vSwitchId"`
	ID        string `json:"id"`
}

// FixtureSLSLogStore is an SLS logstore. SLS projects are global.
type FixtureSLSLogStore struct {
	Project  string `json:"project"`
	LogStore string `json:"logStore"`
}

// FixtureTransitRouter is a transit router of a CEN instance.
type FixtureTransitRouter struct {
	CENID  string `json:"cenId"`
	Region string `json:"region"`
	ID     string `json:"id"`
}

// FixtureTransitRouterAttachment is an attachment of a transit router.
type FixtureTransitRouterAttachment struct {
	CENID           string `json:"cenId"`
	Region          string `json:"region"`
	TransitRouterID string `json:"transitRouterId"`
	ID              string `json:"id"`
}

// FixtureCLSTopic is a CLS topic; ID is any non-empty string (real ones
// look like UUIDs).
type FixtureCLSTopic struct {
	Region string `json:"region"`
	ID     string `json:"id"`
}

// FixtureCKafkaTopic is a topic of a CKafka instance.
type FixtureCKafkaTopic struct {
	Region     string `json:"region"`
	InstanceID string `json:"instanceId"`
	Topic      string `json:"topic"`
}

// DefaultFixture returns the fixture NewServer seeds unless
// WithoutDefaultFixture is given (the Default* constants), e.g. to extend
// it, or to write it out as the starting point of a fixture file.
// NewServer(WithoutDefaultFixture()) followed by Load(DefaultFixture())
// gives the same state as NewServer().
func DefaultFixture() Fixture {
	aliENI := func(id string) FixtureAliyunENI {
		return FixtureAliyunENI{Region: DefaultRegion, VPCID: DefaultVPCID, VSwitchID: DefaultVSwitchID, ID: id}
	}
	attachment := func(id string) FixtureTransitRouterAttachment {
		return FixtureTransitRouterAttachment{CENID: DefaultCENID, Region: DefaultRegion, TransitRouterID: DefaultTransitRouterID, ID: id}
	}
	inTencentVPC := func(id string) FixtureInVPC {
		return FixtureInVPC{Region: DefaultTencentRegion, VPCID: DefaultTencentVPCID, ID: id}
	}
	return Fixture{
		Aliyun: FixtureAliyun{
			NetworkInterfaces: []FixtureAliyunENI{aliENI(DefaultNetworkInterfaceID), aliENI(DefaultNetworkInterfaceID2), aliENI(DefaultNetworkInterfaceID3)},
			SLSLogStores:      []FixtureSLSLogStore{{Project: DefaultSLSProject, LogStore: DefaultSLSLogStore}},
		},
		CBN: FixtureCBN{
			TransitRouterAttachments: []FixtureTransitRouterAttachment{attachment(DefaultTransitRouterAttachmentID),
				attachment(DefaultTransitRouterAttachmentID2), attachment(DefaultTransitRouterAttachmentID3)},
		},
		Tencent: FixtureTencent{
			Subnets: []FixtureInVPC{inTencentVPC(DefaultTencentSubnetID)},
			NetworkInterfaces: []FixtureInVPC{inTencentVPC(DefaultTencentNetworkInterfaceID),
				inTencentVPC(DefaultTencentNetworkInterfaceID2), inTencentVPC(DefaultTencentNetworkInterfaceID3)},
			NATGateways:  []FixtureInVPC{inTencentVPC(DefaultTencentNATGatewayID)},
			CCNs:         []string{DefaultTencentCCNID},
			CLSTopics:    []FixtureCLSTopic{{Region: DefaultTencentRegion, ID: DefaultCLSTopicID}},
			CKafkaTopics: []FixtureCKafkaTopic{{Region: DefaultTencentRegion, InstanceID: DefaultCKafkaInstanceID, Topic: DefaultCKafkaTopic}},
		},
	}
}

// DecodeFixture reads one JSON Fixture from r. An unknown field is an error
// that names it (a misspelt "networkInterface" would otherwise seed
// nothing and surface later as a puzzling NotFound), and so is anything
// after the fixture. DecodeFixture checks the syntax only; Load checks the
// values.
func DecodeFixture(r io.Reader) (Fixture, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var f Fixture
	if err := dec.Decode(&f); err != nil {
		return Fixture{}, fmt.Errorf("flowlogtest: decode fixture: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Fixture{}, errors.New("flowlogtest: decode fixture: unexpected data after the fixture object")
	}
	return f, nil
}

// Load seeds the server with f, in addition to what it holds already (start
// it with WithoutDefaultFixture for f alone). Every entry is checked first:
// if any is invalid (an empty field, a Tencent ID without its documented prefix),
// Load seeds nothing and returns an error naming each bad entry by its JSON
// path, e.g. tencent.networkInterfaces[1].id. Load goes through the public
// Add* methods, so a fixture seeds exactly what those calls would.
func (s *Server) Load(f Fixture) error {
	if err := f.validate(); err != nil {
		return err
	}
	a, c, t := f.Aliyun, f.CBN, f.Tencent
	for _, r := range a.Regions {
		s.AddRegion(r)
	}
	for _, v := range a.VPCs {
		s.AddVPC(v.Region, v.ID)
	}
	for _, v := range a.VSwitches {
		s.AddVSwitch(v.Region, v.VPCID, v.ID)
	}
	for _, e := range a.NetworkInterfaces {
		s.AddNetworkInterface(e.Region, e.VPCID, e.VSwitchID, e.ID)
	}
	for _, l := range a.SLSLogStores {
		s.AddSLSLogStore(l.Project, l.LogStore)
	}
	for _, id := range c.CENs {
		s.AddCEN(id)
	}
	for _, r := range c.TransitRouters {
		s.AddTransitRouter(r.CENID, r.Region, r.ID)
	}
	for _, at := range c.TransitRouterAttachments {
		s.AddTransitRouterAttachment(at.CENID, at.Region, at.TransitRouterID, at.ID)
	}
	for _, r := range t.Regions {
		s.AddTencentRegion(r)
	}
	for _, v := range t.VPCs {
		s.AddTencentVPC(v.Region, v.ID)
	}
	for _, v := range t.Subnets {
		s.AddTencentSubnet(v.Region, v.VPCID, v.ID)
	}
	for _, v := range t.NetworkInterfaces {
		s.AddTencentNetworkInterface(v.Region, v.VPCID, v.ID)
	}
	for _, v := range t.NATGateways {
		s.AddTencentNATGateway(v.Region, v.VPCID, v.ID)
	}
	for _, v := range t.DirectConnectGateways {
		s.AddTencentDirectConnectGateway(v.Region, v.VPCID, v.ID)
	}
	for _, id := range t.CCNs {
		s.AddTencentCCN(id)
	}
	for _, v := range t.CLSTopics {
		s.AddCLSTopic(v.Region, v.ID)
	}
	for _, v := range t.CKafkaTopics {
		s.AddCKafkaTopic(v.Region, v.InstanceID, v.Topic)
	}
	return nil
}

// validate checks every entry of f, so that Load never reaches the panics
// with which the Tencent Add* methods refuse malformed IDs.
func (f Fixture) validate() error {
	var errs []error
	bad := func(path string, i int, field, msg string) {
		errs = append(errs, fmt.Errorf("flowlogtest: fixture %s[%d].%s: %s", path, i, field, msg))
	}
	// need reports each empty field of entry i of path; fields alternate
	// JSON name and value.
	need := func(path string, i int, fields ...string) {
		for j := 0; j < len(fields); j += 2 {
			if fields[j+1] == "" {
				bad(path, i, fields[j], "is empty")
			}
		}
	}
	ids := func(path string, list []string, check func(string) string) {
		for i, id := range list {
			if id == "" {
				errs = append(errs, fmt.Errorf("flowlogtest: fixture %s[%d]: is empty", path, i))
			} else if check != nil {
				if msg := check(id); msg != "" {
					errs = append(errs, fmt.Errorf("flowlogtest: fixture %s[%d]: %s", path, i, msg))
				}
			}
		}
	}
	// tcShape explains why id is not an ID of resourceType the Tencent API
	// accepts (the Add* methods' rule, tencentIDProblem), or is "".
	tcShape := func(resourceType string) func(string) string {
		return func(id string) string { return tencentIDProblem(resourceType, id) }
	}

	a := f.Aliyun
	ids("aliyun.regions", a.Regions, nil)
	for i, v := range a.VPCs {
		need("aliyun.vpcs", i, "region", v.Region, "id", v.ID)
	}
	for i, v := range a.VSwitches {
		need("aliyun.vSwitches", i, "region", v.Region, "vpcId", v.VPCID, "id", v.ID)
	}
	for i, v := range a.NetworkInterfaces {
		need("aliyun.networkInterfaces", i, "region", v.Region, "vpcId", v.VPCID, "vSwitchId", v.VSwitchID, "id", v.ID)
	}
	for i, v := range a.SLSLogStores {
		need("aliyun.slsLogStores", i, "project", v.Project, "logStore", v.LogStore)
	}

	c := f.CBN
	ids("cbn.cens", c.CENs, nil)
	for i, v := range c.TransitRouters {
		need("cbn.transitRouters", i, "cenId", v.CENID, "region", v.Region, "id", v.ID)
	}
	for i, v := range c.TransitRouterAttachments {
		need("cbn.transitRouterAttachments", i, "cenId", v.CENID, "region", v.Region, "transitRouterId", v.TransitRouterID, "id", v.ID)
	}

	t := f.Tencent
	ids("tencent.regions", t.Regions, nil)
	for i, v := range t.VPCs {
		need("tencent.vpcs", i, "region", v.Region)
		if msg := tcShape("VPC")(v.ID); msg != "" {
			bad("tencent.vpcs", i, "id", msg)
		}
	}
	for _, kind := range []struct {
		path, resourceType string
		list               []FixtureInVPC
	}{
		{"tencent.subnets", "SUBNET", t.Subnets},
		{"tencent.networkInterfaces", "NETWORKINTERFACE", t.NetworkInterfaces},
		{"tencent.natGateways", "NAT", t.NATGateways},
		{"tencent.directConnectGateways", "DCG", t.DirectConnectGateways},
	} {
		for i, v := range kind.list {
			need(kind.path, i, "region", v.Region)
			if msg := tcShape("VPC")(v.VPCID); msg != "" {
				bad(kind.path, i, "vpcId", msg)
			}
			if msg := tcShape(kind.resourceType)(v.ID); msg != "" {
				bad(kind.path, i, "id", msg)
			}
		}
	}
	ids("tencent.ccns", t.CCNs, tcShape("CCN"))
	for i, v := range t.CLSTopics {
		need("tencent.clsTopics", i, "region", v.Region, "id", v.ID)
	}
	for i, v := range t.CKafkaTopics {
		need("tencent.ckafkaTopics", i, "region", v.Region, "instanceId", v.InstanceID, "topic", v.Topic)
	}
	return errors.Join(errs...)
}
