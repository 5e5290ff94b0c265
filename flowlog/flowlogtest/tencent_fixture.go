package flowlogtest

import (
	"fmt"
	"slices"
)

// The default Tencent fixture, seeded by NewServer unless
// WithoutDefaultFixture is given: one VPC in DefaultTencentRegion with a
// subnet, three ENIs and a NAT gateway, a CCN, a CLS topic and a CKafka
// topic. It is enough to create one flow log per resource. The IDs look
// like the documented examples (seed 003: "vpc-pq9vxykj", "eni-78ysaex1",
// CloudLogId "dfb8f1a2-8522-47c1-8571-67905167ab3f"); the emulator itself
// requires only the documented prefix (see AddTencentVPC).
const (
	// DefaultTencentSecretID and DefaultTencentSecretKey form the Tencent
	// credential the server accepts when no WithTencentCredential or
	// WithTencentSTSCredential is given.
	DefaultTencentSecretID  = "AKIDflowlogtestEmulator000000000001"
	DefaultTencentSecretKey = "flowlogtest-tencent-emulator-key"

	DefaultTencentRegion   = "ap-guangzhou"
	DefaultTencentVPCID    = "vpc-emu00001"
	DefaultTencentSubnetID = "subnet-emu00001"
	// DefaultTencentNetworkInterfaceID, ...ID2 and ...ID3 are ENIs in
	// DefaultTencentVPCID.
	DefaultTencentNetworkInterfaceID  = "eni-emu00001"
	DefaultTencentNetworkInterfaceID2 = "eni-emu00002"
	DefaultTencentNetworkInterfaceID3 = "eni-emu00003"
	DefaultTencentNATGatewayID        = "nat-emu00001"
	// DefaultTencentCCNID is a Cloud Connect Network. CCNs are global; a CCN
	// flow log takes no VpcId.
	DefaultTencentCCNID = "ccn-emu00001"

	// DefaultCLSTopicID is a CLS topic in DefaultTencentRegion, the
	// CloudLogId of a flow log with the default StorageType cls.
	DefaultCLSTopicID = "f10e1000-0000-4000-8000-000000000001"

	// DefaultCKafkaInstanceID and DefaultCKafkaTopic are the
	// FlowLogStorage of a flow log with StorageType ckafka.
	DefaultCKafkaInstanceID = "ckafka-emu00001"
	DefaultCKafkaTopic      = "flowlog-emu"
)

// seedDefaultTencentFixture seeds the DefaultTencent* resources.
func (s *Server) seedDefaultTencentFixture() {
	s.AddTencentSubnet(DefaultTencentRegion, DefaultTencentVPCID, DefaultTencentSubnetID)
	for _, eni := range []string{DefaultTencentNetworkInterfaceID, DefaultTencentNetworkInterfaceID2, DefaultTencentNetworkInterfaceID3} {
		s.AddTencentNetworkInterface(DefaultTencentRegion, DefaultTencentVPCID, eni)
	}
	s.AddTencentNATGateway(DefaultTencentRegion, DefaultTencentVPCID, DefaultTencentNATGatewayID)
	s.AddTencentCCN(DefaultTencentCCNID)
	s.AddCLSTopic(DefaultTencentRegion, DefaultCLSTopicID)
	s.AddCKafkaTopic(DefaultTencentRegion, DefaultCKafkaInstanceID, DefaultCKafkaTopic)
}

// mustTencentID panics unless id is an ID of resourceType the API accepts:
// non-empty, with the type's documented prefix if it has one (see
// tencentResourcePrefixes). The emulator rejects other IDs with
// InvalidParameterValue.Malformed, so a resource seeded with one could never
// be used: failing at seeding time points at the real mistake.
func mustTencentID(resourceType, id string) {
	if msg := tencentIDProblem(resourceType, id); msg != "" {
		panic("flowlogtest: Tencent ID " + msg)
	}
}

// tencentIDProblem explains why id is not an ID of resourceType the API
// accepts, or is "".
func tencentIDProblem(resourceType, id string) string {
	prefix := tencentResourcePrefixes[resourceType]
	switch {
	case validTencentID(prefix, id):
		return ""
	case prefix == "":
		return "must not be empty"
	}
	return fmt.Sprintf("%q must start with %q", id, prefix)
}

// AddTencentRegion makes a region known to the Tencent API. Requests whose
// X-TC-Region is neither a real region ID (ap-guangzhou, ap-shanghai, ...)
// nor seeded fail with InvalidParameterValue. The other AddTencent* methods
// add their region implicitly.
func (s *Server) AddTencentRegion(region string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tc.regions[region] = true
}

// AddTencentVPC adds a VPC (and its region). Every Tencent ID seeded must
// be one CreateFlowLog accepts: non-empty and, where the documentation names
// one, with its prefix: "vpc-", "eni-", "nat-", "ccn-", "dcg-" (subnet IDs
// have no documented prefix). The Add* methods panic otherwise.
func (s *Server) AddTencentVPC(region, vpcID string) {
	mustTencentID("VPC", vpcID)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addTencentVPC(region, vpcID)
}

func (s *Server) addTencentVPC(region, vpcID string) {
	s.tc.regions[region] = true
	s.tc.resources["VPC"][vpcID] = tcResource{region: region, vpcID: vpcID}
}

// addTencentChild adds a resource that lives in a VPC, adding the VPC.
func (s *Server) addTencentChild(resourceType, region, vpcID, id string) {
	mustTencentID("VPC", vpcID)
	mustTencentID(resourceType, id)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addTencentVPC(region, vpcID)
	s.tc.resources[resourceType][id] = tcResource{region: region, vpcID: vpcID}
}

// AddTencentSubnet adds a subnet in a VPC, adding the VPC and region if
// needed.
func (s *Server) AddTencentSubnet(region, vpcID, subnetID string) {
	s.addTencentChild("SUBNET", region, vpcID, subnetID)
}

// AddTencentNetworkInterface adds an ENI in a VPC, adding the VPC and region
// if needed.
func (s *Server) AddTencentNetworkInterface(region, vpcID, eniID string) {
	s.addTencentChild("NETWORKINTERFACE", region, vpcID, eniID)
}

// AddTencentNATGateway adds a NAT gateway in a VPC, adding the VPC and
// region if needed.
func (s *Server) AddTencentNATGateway(region, vpcID, natID string) {
	s.addTencentChild("NAT", region, vpcID, natID)
}

// AddTencentDirectConnectGateway adds a direct connect gateway (resource
// type DCG) in a VPC, adding the VPC and region if needed.
func (s *Server) AddTencentDirectConnectGateway(region, vpcID, dcgID string) {
	s.addTencentChild("DCG", region, vpcID, dcgID)
}

// AddTencentNetworkInterfaces adds n ENIs with generated, unique IDs
// ("eni-g0000001", ...) to a VPC and returns their IDs in order. It is meant
// for bulk tests (paging, quotas, batch enablement).
func (s *Server) AddTencentNetworkInterfaces(region, vpcID string, n int) []string {
	mustTencentID("VPC", vpcID)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addTencentVPC(region, vpcID)
	return addNumbered(s, s.tc.resources["NETWORKINTERFACE"], n,
		func(seq int) string { return fmt.Sprintf("eni-g%07d", seq%10_000_000) },
		tcResource{region: region, vpcID: vpcID})
}

// AddTencentCCN adds a Cloud Connect Network. CCNs are global: a CCN flow
// log can be created from any region.
func (s *Server) AddTencentCCN(ccnID string) {
	mustTencentID("CCN", ccnID)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tc.resources["CCN"][ccnID] = tcResource{}
}

// AddCLSTopic adds a CLS topic in a region, or restores one removed by
// DeleteCLSTopic. topicID must not be empty; no other shape is documented
// (seed 003 CloudLogId: "The storage ID of the flow log"), though real
// topic IDs look like UUIDs.
func (s *Server) AddCLSTopic(region, topicID string) {
	if topicID == "" {
		panic("flowlogtest: CLS topic ID must not be empty")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tc.regions[region] = true
	if s.tc.cls[region] == nil {
		s.tc.cls[region] = make(map[string]bool)
	}
	s.tc.cls[region][topicID] = false
}

// DeleteCLSTopic deletes a CLS topic, as if the user had removed it in the
// CLS console: flow logs that deliver to it keep existing, but
// DescribeFlowLogs reports their CloudLogState as DELETED, and new flow
// logs cannot use it (ResourceNotFound). Unknown topics are ignored.
func (s *Server) DeleteCLSTopic(region, topicID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.tc.cls[region][topicID]; ok {
		s.tc.cls[region][topicID] = true
	}
}

// AddCKafkaTopic adds a topic of a CKafka instance in a region, adding the
// instance if needed.
func (s *Server) AddCKafkaTopic(region, instanceID, topic string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tc.regions[region] = true
	if s.tc.ckafka[region] == nil {
		s.tc.ckafka[region] = make(map[string]map[string]bool)
	}
	if s.tc.ckafka[region][instanceID] == nil {
		s.tc.ckafka[region][instanceID] = make(map[string]bool)
	}
	s.tc.ckafka[region][instanceID][topic] = true
}

// TencentFlowLogs returns a snapshot of all Tencent flow logs in creation
// order, with CloudLogState as DescribeFlowLogs would report it now.
func (s *Server) TencentFlowLogs() []TencentFlowLog {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]TencentFlowLog, 0, len(s.tc.flowLogs))
	for _, fl := range s.tc.flowLogs {
		out = append(out, s.tc.snapshot(fl))
	}
	return slices.Clip(out)
}
