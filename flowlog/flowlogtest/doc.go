// Package flowlogtest provides a local, high-fidelity emulator of the cloud
// APIs that manage VPC flow logs, for testing code that calls them, in the
// spirit of net/http/httptest.
//
// The emulator is an HTTP server on 127.0.0.1. Point the official SDK (or
// any client) at Server.Endpoint with plain HTTP and it talks to the
// emulator exactly as it would to the cloud: requests are signed and
// checked, errors come back with the real codes, messages and HTTP
// statuses, and resources change state asynchronously.
//
// # Alibaba Cloud VPC
//
// The VPC flow-log API (product Vpc, version 2016-04-28) is emulated over
// Alibaba's RPC protocol: CreateFlowLog, DescribeFlowLogs, DeleteFlowLog,
// ActiveFlowLog, DeactiveFlowLog, ModifyFlowLogAttribute,
// OpenFlowLogService and GetFlowLogServiceStatus.
//
//	srv := flowlogtest.NewServer()
//	defer srv.Close()
//
//	vpc.GetEndpointMap() // once, before clients are used concurrently
//	client, err := vpc.NewClientWithOptions(flowlogtest.DefaultRegion,
//		sdk.NewConfig().WithScheme("HTTP"),
//		credentials.NewStaticAKCredentialsProvider(
//			flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
//	client.Domain = srv.Endpoint()
//
//	req := vpc.CreateCreateFlowLogRequest()
//	req.ResourceType = "NetworkInterface"
//	req.ResourceId = flowlogtest.DefaultNetworkInterfaceID
//	req.TrafficType = "All"
//	req.ProjectName = flowlogtest.DefaultSLSProject
//	req.LogStoreName = flowlogtest.DefaultSLSLogStore
//	resp, err := client.CreateFlowLog(req) // resp.FlowLogId = "fl-..."
//
// What is checked, in the gateway's order:
//
//   - the common parameters (Action, Version, AccessKeyId, Signature,
//     SignatureMethod=HMAC-SHA1, SignatureVersion=1.0, SignatureNonce,
//     Timestamp): MissingParameter;
//   - the AccessKeyId: InvalidAccessKeyId.NotFound (HTTP 404);
//   - the HMAC-SHA1 signature over all query and form parameters except
//     Signature, including the SDK's empty SignatureType: SignatureDoesNotMatch,
//     with the server's string to sign appended to the message as the real
//     gateway does (the SDK uses it to diagnose a wrong secret);
//   - the Timestamp (format 2006-01-02T15:04:05Z, within 15 minutes of the
//     server clock): InvalidTimeStamp.Format / InvalidTimeStamp.Expired;
//   - the SignatureNonce, remembered per AccessKeyId for 30 minutes:
//     SignatureNonceUsed. This is what exposes an HTTP-level retry that
//     replays a signed request;
//   - the STS SecurityToken: MissingSecurityToken /
//     InvalidSecurityToken.MismatchWithAccessKey;
//   - the Version: InvalidVersion; the Action: InvalidAction.NotFound (404);
//   - then every documented parameter rule of the action, with the
//     documented codes and messages (INVALID_PARAMETER, IllegalParam.*,
//     ProjectOrLogstoreNotExist, InvalidResourceId.NotFound for a second flow
//     log on one resource, QuotaExceeded.FlowlogCount, ...).
//
// Errors use the gateway's JSON envelope {RequestId, HostId, Code, Message,
// Recommend} with a non-2xx status: the Alibaba SDK decides success from the
// HTTP status alone, so an error with status 200 would be parsed as an
// empty success. Responses are always JSON; Format=XML is not rendered.
//
// Flow logs are asynchronous as in the cloud. A new one is Activating for the
// activation delay (WithActivationDelay, default 50ms), then Active; Delete
// goes through Deleting, Deactive through Deactivating, Modify through
// Modifying. States are computed from the server's clock whenever they are
// observed, never by timers, so WithClock gives fully deterministic tests:
//
//	now := time.Now()
//	clock := func() time.Time { return now } // guard with a mutex if shared
//	srv := flowlogtest.NewServer(flowlogtest.WithClock(clock),
//		flowlogtest.WithActivationDelay(time.Minute))
//
// # Seeding and inspection
//
// NewServer seeds a default fixture (DefaultRegion, DefaultVPCID,
// DefaultVSwitchID, three ENIs and the SLS logstore
// DefaultSLSProject/DefaultSLSLogStore); WithoutDefaultFixture turns it off.
// Add more with AddVPC, AddVSwitch, AddNetworkInterface(s) and
// AddSLSLogStore, and drive account-level failures with
// SetFlowLogServiceOpened, SetBusinessStatus and FailDelivery. VPCFlowLogs
// returns the server's state and Calls counts the requests each action
// handled, e.g. to assert that a client retried, or did not.
//
// # Tencent Cloud
//
// Requests with an X-TC-Action header are Tencent Cloud API 3.0 requests.
// They are routed separately and, for now, answered with InvalidAction in
// Tencent's envelope (HTTP 200, error inside Response).
//
// All Server methods are safe for concurrent use. Close stops the server and
// leaves no goroutines behind.
package flowlogtest
