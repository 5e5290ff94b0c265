// Package aliyun is the flowlog adapter for Alibaba Cloud VPC flow logs
// (API version 2016-04-28: CreateFlowLog, DescribeFlowLogs, DeleteFlowLog,
// ActiveFlowLog, DeactiveFlowLog), built on the official alibaba-cloud-sdk-go.
//
//	p, err := aliyun.New(aliyun.WithAccessKey(id, secret))
//	if err != nil { ... }
//	client := driver.NewClient(p)
//	fl, err := client.CreateAndWait(ctx, spec)
//
// # What it does for you
//
//   - HTTPS by default (the SDK's default is plain HTTP); plain HTTP only for
//     an endpoint written "http://...".
//   - The SDK's own retries are off: retries belong to driver.Client, where
//     every attempt is signed afresh.
//   - One SDK client per call, bound to the caller's context: a shared SDK
//     client races, and the SDK has no context API.
//   - Errors never show the signed URL, the AccessKeyId, the token or the
//     signature that the SDK's own error strings contain.
//
// # Spec mapping
//
// Resource kinds NetworkInterface, Subnet (a vSwitch) and VPC; traffic types
// all/accept/reject become All/Allow/Drop; the destination must be SLS; the
// aggregation interval must be 1, 5 or 10 minutes; up to 20 tags.
// FlowLogSpec.Alibaba carries traffic paths, the IP version and the resource
// group; a described flow log reports them in FlowLog.Alibaba, so Create and
// Ensure do not take a flow log with other settings for the one asked for.
// Resource.NetworkID is not part of this API and is rejected.
//
// # Status mapping
//
// Activating, Modifying, Deactivating and Deleting are pending, with
// FlowLog.Settling active, unknown (Modifying returns to the previous
// state), inactive and deleted respectively. Active is active unless the
// account is financially locked or delivery failed (then failed, with the
// reason); Inactive is inactive; any other status is failed. A deleted flow
// log disappears from DescribeFlowLogs.
//
// # Listing
//
// ListPage asks for pages of 50 and filters on the server by ResourceId,
// FlowLogName, VpcId and, for the active and inactive states, Status (the
// Active status also holds failed flow logs, which the client filters out).
// DescribeFlowLogs does not return a flow log's VPC: flow logs listed with a
// ListFilter.NetworkID carry it as Resource.NetworkID, others have none.
//
// # As
//
// FlowLog.As reaches vpc.FlowLog (from DescribeFlowLogs) or
// vpc.CreateFlowLogResponse (from Create). errors.As reaches
// *errors.ServerError of the SDK for provider errors.
package aliyun
