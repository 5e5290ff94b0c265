package flowlogtest

import (
	"fmt"
	"slices"
)

// The default CEN fixture, seeded by NewServer unless WithoutDefaultFixture
// is given: one CEN instance with one transit router in DefaultRegion and
// three attachments on it. Flow logs deliver to the shared SLS logstore
// DefaultSLSProject/DefaultSLSLogStore (or any other; CreateFlowlog creates
// missing ones, api-spec §2.1 "Auto-created if it does not exist").
const (
	DefaultCENID           = "cen-emu000000000001"
	DefaultTransitRouterID = "tr-emu00000000000001"
	// DefaultTransitRouterAttachmentID, ...ID2 and ...ID3 are attachments
	// of DefaultTransitRouterID.
	DefaultTransitRouterAttachmentID  = "tr-attach-emu000000000001"
	DefaultTransitRouterAttachmentID2 = "tr-attach-emu000000000002"
	DefaultTransitRouterAttachmentID3 = "tr-attach-emu000000000003"
)

// seedDefaultCENFixture seeds the DefaultCEN* and DefaultTransitRouter*
// resources.
func (s *Server) seedDefaultCENFixture() {
	for _, id := range []string{DefaultTransitRouterAttachmentID, DefaultTransitRouterAttachmentID2, DefaultTransitRouterAttachmentID3} {
		s.AddTransitRouterAttachment(DefaultCENID, DefaultRegion, DefaultTransitRouterID, id)
	}
}

// AddCEN adds a CEN instance. CEN instances are global (not tied to a
// region), as in the cloud.
func (s *Server) AddCEN(cenID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cbn.cens[cenID] = true
}

// AddTransitRouter adds a transit router of a CEN instance in a region,
// adding the CEN instance if needed.
func (s *Server) AddTransitRouter(cenID, region, trID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addTransitRouter(cenID, region, trID)
}

func (s *Server) addTransitRouter(cenID, region, trID string) {
	s.cbn.cens[cenID] = true
	s.cbn.routers[trID] = cenRouter{cenID: cenID, region: region}
}

// AddTransitRouterAttachment adds a network instance connection (VPC, VPN,
// VBR, ECR or inter-region) to a transit router, adding the transit router
// and CEN instance if needed.
func (s *Server) AddTransitRouterAttachment(cenID, region, trID, attachmentID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addTransitRouter(cenID, region, trID)
	s.cbn.attachments[attachmentID] = cenAttachment{cenID: cenID, region: region, trID: trID}
}

// AddTransitRouterAttachments adds n attachments with generated, unique IDs
// ("tr-attach-emun...") to a transit router and returns their IDs in order.
// It is meant for bulk tests (paging, concurrency).
func (s *Server) AddTransitRouterAttachments(cenID, region, trID string, n int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addTransitRouter(cenID, region, trID)
	return addNumbered(s, s.cbn.attachments, n, func(seq int) string { return fmt.Sprintf("tr-attach-emun%014d", seq) },
		cenAttachment{cenID: cenID, region: region, trID: trID})
}

// CENFlowLogs returns a snapshot of all CEN flow logs in creation order,
// with their state as of the server clock's current time.
func (s *Server) CENFlowLogs() []CENFlowLog {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cbn.flowLogs.settle(s.now(), nil)
	out := make([]CENFlowLog, 0, len(s.cbn.flowLogs.list))
	for _, fl := range s.cbn.flowLogs.list {
		out = append(out, fl.snapshot())
	}
	return slices.Clip(out)
}

func (fl *cenFlowLog) snapshot() CENFlowLog {
	v := fl.CENFlowLog
	v.Tags = slices.Clone(fl.Tags)
	return v
}
