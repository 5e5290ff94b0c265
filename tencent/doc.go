// Package tencent is the flowlog adapter for Tencent Cloud VPC flow logs (API
// 3.0, version 2017-03-12: CreateFlowLog, DescribeFlowLogs, DeleteFlowLog,
// EnableFlowLogs, DisableFlowLogs), built on the official tencentcloud-sdk-go (tencentcloud/vpc and
// tencentcloud/common).
//
//	p, err := tencent.New(tencent.WithSecretKey(id, key))
//	if err != nil { ... }
//	client := driver.NewClient(p)
//
// # What it does for you
//
//   - The SDK's own retries stay off: they resend the same signed request
//     without re-signing and sleep without the context. Its region breaker,
//     which can redirect traffic to another endpoint, stays off too.
//   - HTTPS by default; the mainland endpoint (vpc.tencentcloudapi.com) or the
//     international one (WithInternational: vpc.intl.tencentcloudapi.com), or
//     any endpoint override.
//   - A non-JSON error page (a gateway's HTML 502) still yields an error
//     carrying the HTTP status, which the SDK itself drops.
//   - English error messages from the API (X-TC-Language en-US).
//   - Credentials from a provider are looked up on first use; a failed
//     lookup is retried by the next call, and a call stops waiting for a
//     slow one when its context ends.
//   - No error text shows a credential value the adapter signed with (a
//     refreshed STS token included) or a signature it sent, however a
//     server echoes the request.
//
// # Spec mapping
//
//   - Resource kinds NetworkInterface, Subnet, VPC, CloudConnectNetwork (CCN),
//     NATGateway and DirectConnectGateway. Resource.NetworkID is the VpcId:
//     required, except for CCN, where it must be empty.
//   - Name is required (at most 60 characters); Description at most 512.
//   - The destination is CLS (TopicID, and Region when the topic lives in
//     another region) or CKafka (InstanceID, Topic).
//   - Tags are sent in the create call itself, after a local check of
//     Tencent's tag limits: at most 50; keys of 1 to 127 and values of at
//     most 255 characters; Chinese and English letters, digits, inner
//     spaces and + - = . _ : / @ ( ) [ ] , ; > < (and full-width forms);
//     no key starting with qcs:, qcloud, tencent, project or 项目.
//   - AggregationInterval and FlowLogSpec.Alibaba are not supported (the
//     pinned SDK has no Period field).
//
// # Status mapping
//
// Create is synchronous. A flow log that is enabled is active once its CLS
// delivery state is SUCCESS (right after create it is empty: pending, with
// FlowLog.Settling active); a CKafka flow log is active once enabled.
// Disabled is inactive; a deleted CLS topic (CloudLogState DELETED) is
// failed. EnableFlowLogs and DisableFlowLogs (SetEnabled) are synchronous
// too. Delete is immediate: there is no deleting state.
//
// # Listing
//
// ListPage asks for pages of 100, oldest first, and filters on the server by
// ResourceId, FlowLogName and VpcId (ListFilter.NetworkID); a VpcId Tencent
// does not know gives an empty page. The API cannot filter by the neutral
// states; the client does.
//
// Delete needs the flow log's VpcId, which DeleteFlowLog requires; the adapter
// describes the flow log first to learn it.
//
// # As
//
// FlowLog.As reaches *v20170312.FlowLog. errors.As reaches the SDK's
// *errors.TencentCloudSDKError.
package tencent
