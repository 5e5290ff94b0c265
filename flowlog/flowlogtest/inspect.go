package flowlogtest

// Tag is a resource tag.
type Tag struct {
	Key   string
	Value string
}

// FlowLogsOn returns the IDs of the flow logs, of any product and in any
// state, that capture the resource resourceID: a VPC, vSwitch or ENI on
// Alibaba VPC, a transit router attachment (or, for router-level flow logs,
// a transit router) on CEN, any resource on Tencent. Tests of idempotency use
// it to prove that a create, however it was retried, made one flow log.
func (s *Server) FlowLogsOn(resourceID string) []string {
	var ids []string
	for _, fl := range s.VPCFlowLogs() {
		if fl.ResourceID == resourceID {
			ids = append(ids, fl.FlowLogID)
		}
	}
	for _, fl := range s.CENFlowLogs() {
		if fl.TransitRouterAttachmentID == resourceID ||
			(fl.TransitRouterAttachmentID == "" && fl.TransitRouterID == resourceID) {
			ids = append(ids, fl.FlowLogID)
		}
	}
	for _, fl := range s.TencentFlowLogs() {
		if fl.ResourceID == resourceID {
			ids = append(ids, fl.FlowLogID)
		}
	}
	return ids
}
