// Package cbn is the flowlog adapter for Alibaba Cloud Enterprise Network
// (CEN, product code Cbn, API version 2017-09-12) flow logs: CreateFlowlog,
// DescribeFlowlogs and DeleteFlowlog (note the lowercase "l"), ActiveFlowLog
// and DeactiveFlowLog (uppercase "L"), built on the official
// alibaba-cloud-sdk-go.
//
//	p, err := cbn.New(cbn.WithAccessKey(id, secret))
//	if err != nil { ... }
//	client := driver.NewClient(p)
//
// It shares its plumbing with package aliyun: HTTPS by default, the SDK's
// retries off, one SDK client per call bound to the caller's context, and
// redacted errors.
//
// # Spec mapping
//
//   - Resource.NetworkID is the CEN instance ID (CenId) and is required.
//   - Resource.Kind is ResourceTransitRouterAttachment (Resource.ID is sent as
//     TransitRouterAttachmentId) or ResourceTransitRouter (TransitRouterId, a
//     transit-router-level flow log).
//   - The destination must be SLS; CEN creates a missing project or logstore.
//   - AggregationInterval is 1 or 10 minutes, sent as Interval in seconds (60
//     or 600); zero leaves the default of 600.
//   - Up to 20 tags, keys at most 64 characters.
//   - FlowLogSpec.ClientToken is sent as ClientToken, so a repeated create
//     returns the first flow log instead of making a second one.
//   - CEN captures all traffic: TrafficType must be empty or all.
//     FlowLogSpec.Alibaba (VPC-only knobs) is rejected.
//
// The SDK request's business field Version is never set: the SDK's signer
// overwrites it with the API version, so it could never reach the server.
//
// # Status mapping
//
// Creating, Modifying and Deleting are pending, with FlowLog.Settling
// active, unknown (Modifying is how CEN shows activation, deactivation and
// attribute changes alike) and deleted respectively. Active is active,
// Inactive is inactive, any other status is failed. A deleted flow log
// disappears from DescribeFlowlogs.
//
// # Listing
//
// ListPage asks for pages of 50 and filters on the server by CenId
// (ListFilter.NetworkID), FlowLogName, Status (active or inactive) and the
// resource: a transit router ID (tr-...) as TransitRouterId, an attachment ID
// as TransitRouterAttachmentId; a transit router's filter also lists the
// flow logs of its attachments. The pinned SDK does not decode a flow log's
// TransitRouterId, so every describe reads it from the response body: a
// transit-router-level flow log always has its router as Resource.ID.
//
// # As
//
// FlowLog.As reaches cbn.FlowLog (from DescribeFlowlogs) or
// cbn.CreateFlowlogResponse (from Create). errors.As reaches the SDK's
// *errors.ServerError.
package cbn
