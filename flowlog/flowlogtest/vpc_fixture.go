package flowlogtest

import (
	"fmt"
	"slices"
)

// The default fixture, seeded by NewServer unless WithoutDefaultFixture is
// given. It is enough to create one flow log per resource: on the VPC, on
// the vSwitch, or on any of the three ENIs, delivering to the SLS logstore.
const (
	// DefaultAccessKeyID and DefaultAccessKeySecret form the credential the
	// server accepts when no WithAlibabaCredential/WithSTSCredential is given.
	DefaultAccessKeyID     = "LTAIflowlogtestEmulator"
	DefaultAccessKeySecret = "flowlogtest-emulator-secret"

	DefaultRegion    = "cn-hangzhou"
	DefaultVPCID     = "vpc-emu00000000000001"
	DefaultVSwitchID = "vsw-emu00000000000001"
	// DefaultNetworkInterfaceID, ...ID2 and ...ID3 are ENIs in
	// DefaultVSwitchID.
	DefaultNetworkInterfaceID  = "eni-emu00000000000001"
	DefaultNetworkInterfaceID2 = "eni-emu00000000000002"
	DefaultNetworkInterfaceID3 = "eni-emu00000000000003"

	DefaultSLSProject  = "flowlog-emu"
	DefaultSLSLogStore = "flowlog-store"

	// DefaultResourceGroupID is reported for flow logs created without a
	// ResourceGroupId, like an account's default resource group.
	DefaultResourceGroupID = "rg-emudefault0000001"
)

// seedDefaultVPCFixture seeds the Default* resources of Alibaba VPC and the
// SLS logstore.
func (s *Server) seedDefaultVPCFixture() {
	for _, eni := range []string{DefaultNetworkInterfaceID, DefaultNetworkInterfaceID2, DefaultNetworkInterfaceID3} {
		s.AddNetworkInterface(DefaultRegion, DefaultVPCID, DefaultVSwitchID, eni)
	}
	s.AddSLSLogStore(DefaultSLSProject, DefaultSLSLogStore)
}

// AddRegion makes a region known, with the flow-log service opened and
// business status Normal. A public region (one of the pinned SDK's VPC
// endpoints) is known without it and holds nothing until seeded; any other
// RegionId fails with InvalidRegionId.NotFound until it is added. The
// other Add* and Set* methods add their region implicitly.
func (s *Server) AddRegion(region string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.vpc.region(region)
}

// AddVPC adds a VPC (and its region).
func (s *Server) AddVPC(region, vpcID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addVPC(region, vpcID)
}

func (s *Server) addVPC(region, vpcID string) {
	s.vpc.region(region)
	s.vpc.vpcs[vpcID] = vpcNetwork{region: region, vpcID: vpcID}
}

// AddVSwitch adds a vSwitch in a VPC, adding the VPC and region if needed.
func (s *Server) AddVSwitch(region, vpcID, vswitchID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addVSwitch(region, vpcID, vswitchID)
}

func (s *Server) addVSwitch(region, vpcID, vswitchID string) {
	s.addVPC(region, vpcID)
	s.vpc.vswitches[vswitchID] = vpcNetwork{region: region, vpcID: vpcID}
}

// AddNetworkInterface adds an ENI in a vSwitch, adding the vSwitch, VPC and
// region if needed.
func (s *Server) AddNetworkInterface(region, vpcID, vswitchID, eniID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addVSwitch(region, vpcID, vswitchID)
	s.vpc.enis[eniID] = vpcNetwork{region: region, vpcID: vpcID, vswID: vswitchID}
}

// AddNetworkInterfaces adds n ENIs with generated, unique IDs
// ("eni-emun...") to a vSwitch and returns their IDs in order. It is meant
// for bulk tests (paging, quotas, batch enablement).
func (s *Server) AddNetworkInterfaces(region, vpcID, vswitchID string, n int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addVSwitch(region, vpcID, vswitchID)
	return addNumbered(s, s.vpc.enis, n, func(seq int) string { return fmt.Sprintf("eni-emun%013d", seq) },
		vpcNetwork{region: region, vpcID: vpcID, vswID: vswitchID})
}

// AddSLSLogStore adds an SLS logstore, creating the project if needed. SLS
// projects are global in the emulator (not tied to a region).
func (s *Server) AddSLSLogStore(project, logstore string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ali.addLogStore(project, logstore)
}

// SetFlowLogServiceOpened opens or closes the flow-log service in a region
// (opened by default). While it is closed, CreateFlowLog fails with
// OptInRequired.FlowLog (seed 004; api-spec §3.5); the OpenFlowLogService
// action opens it again.
func (s *Server) SetFlowLogServiceOpened(region string, opened bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.vpc.region(region).serviceClosed = !opened
}

// SetBusinessStatus sets the account's business status in a region:
// BusinessStatusNormal (default) or BusinessStatusFinancialLocked (or any
// other string). While it is not Normal, CreateFlowLog fails with
// IncorrectBusinessStatus.FlowLog (seed 004 "you cannot create flow logs in
// the current business state"), and existing flow logs report it as their
// BusinessStatus (api-spec §3.1).
func (s *Server) SetBusinessStatus(region, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.vpc.region(region).businessStatus = status
}

// FailDelivery makes a flow log report delivery failure: while it is Active,
// DescribeFlowLogs shows FlowLogDeliverStatus=FAILED with message as
// FlowLogDeliverErrorMessage (real values, api-spec §3.1:
// "UnavaliableTarget" (sic), "ProjectNotExist", "UnknownError"). An empty message clears the failure.
// Unknown IDs are ignored.
func (s *Server) FailDelivery(flowLogID, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if fl := s.vpc.flowLogs.byID[flowLogID]; fl != nil {
		fl.deliveryError = message
	}
}

// VPCFlowLogs returns a snapshot of all VPC flow logs in creation order,
// with their state as of the server clock's current time.
func (s *Server) VPCFlowLogs() []VPCFlowLog {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.vpc.settle(s.now())
	out := make([]VPCFlowLog, 0, len(s.vpc.flowLogs.list))
	for _, fl := range s.vpc.flowLogs.list {
		out = append(out, s.vpc.snapshot(fl))
	}
	return slices.Clip(out)
}
