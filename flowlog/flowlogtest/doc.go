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
// WithStrictRules adds rules that go beyond the documentation (see Strict
// rules below).
//
// Both signature versions of the real gateway are verified, on the same
// endpoint: the classic one above (HMAC-SHA1 in the query, which the
// pinned github.com/aliyun/alibaba-cloud-sdk-go uses and Alibaba's docs call
// "V2"), and ACS3-HMAC-SHA256 ("V3"), the default of the newer SDKs built on
// darabonba-openapi v2 (github.com/alibabacloud-go/vpc-20160428/v6 and the
// like: set their Config.Endpoint to srv.Endpoint() and Protocol to
// "HTTP"). A request with an "Authorization: ACS3-..." header is checked
// as ACS3: Action and Version come from the x-acs-action and x-acs-version
// headers, the parameters from the query or a form body as for v1, and
//
//   - x-acs-action, x-acs-version, x-acs-date, x-acs-signature-nonce and
//     x-acs-content-sha256 must be present: MissingParameter, naming the
//     header;
//   - the algorithm must be ACS3-HMAC-SHA256: InvalidSignatureMethod (the
//     SM3 and RSA variants are not emulated);
//   - the Authorization header must have the documented form and sign host,
//     content-type and every x-acs-* header sent: IncompleteSignature;
//   - then the AccessKey (InvalidAccessKeyId.NotFound), x-acs-content-sha256
//     against the body and the signature over the canonical request
//     (SignatureDoesNotMatch, "Specified signature does not match our
//     calculation."; the server's canonical request is logged at Debug);
//   - then x-acs-date, x-acs-signature-nonce and x-acs-security-token exactly
//     as Timestamp, SignatureNonce and SecurityToken are for v1, with the
//     same codes. Nonces are remembered in one place for both versions, so
//     a nonce spent by either is spent for both.
//
// An ACS3 request then reaches the same actions with the same parameters as
// a v1 request. The real gateway's codes for a wrong x-acs-content-sha256
// or a missing ACS3 header are not published; the choices are marked in
// gateway_acs3.go.
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
// # Alibaba Cloud Enterprise Network
//
// The CEN flow-log API (product Cbn, version 2017-09-12) shares the same
// gateway, credentials and SLS logstores: CreateFlowlog, DescribeFlowlogs
// and DeleteFlowlog (lower-case "l", as the real actions are spelled),
// ActiveFlowLog, DeactiveFlowLog and ModifyFlowLogAttribute. Use the SDK's
// cbn client the same way (cbn.GetEndpointMap once, client.Domain =
// srv.Endpoint()). A flow log targets a transit router attachment
// (TransitRouterAttachmentId) or a whole transit router (TransitRouterId,
// which the pinned SDK lacks: set req.QueryParams["TransitRouterId"]); one
// flow log per target, else OperationFailed.FlowLogExist. It is Creating for
// the activation delay, then Active; Active, Deactive and Modify go through
// Modifying, Delete through Deleting, and any write on a flow log in one of
// those states fails with IncorrectStatus.TrFlowlog. A ClientToken makes
// writes idempotent per AccessKeyId and action: the same token with the same
// parameters returns the first result without acting again; with different
// parameters it fails with IdempotentParameterMismatch. CreateFlowlog
// creates a missing SLS project or logstore, as the newest documentation
// says. The CBN error table is not fully published; codes the emulator had
// to choose are marked in cbn.go.
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
// handled, e.g. to assert that a client retried, or did not. A Fixture
// holds the resources of all three APIs as data (DecodeFixture reads its
// JSON form, DefaultFixture is the default one), and Server.Load seeds it.
//
// NewUnstartedServer returns a server that does not listen: a Server is an
// http.Handler, to serve on a listener of one's own. examples/emulator
// does so: the emulator as a standalone server for any language.
//
// The default fixture also holds the CEN instance DefaultCENID with the
// transit router DefaultTransitRouterID in DefaultRegion and three
// attachments (DefaultTransitRouterAttachmentID, ...ID2, ...ID3). Add more
// with AddCEN, AddTransitRouter and AddTransitRouterAttachment(s);
// CENFlowLogs returns the CEN flow logs.
//
// # Tencent Cloud
//
// Requests with an X-TC-Action header are Tencent Cloud API 3.0 requests
// (POST, JSON body). The same server emulates the Tencent Cloud VPC
// flow-log API (vpc, version 2017-03-12): CreateFlowLog, DescribeFlowLogs,
// DeleteFlowLog, EnableFlowLogs and DisableFlowLogs.
//
// The TC3 credential scope names a service, which in the cloud must be the
// one the host names (vpc.tencentcloudapi.com takes "vpc" only); so it is
// here when the request's host names a product's service. An address that
// names none (an IP address such as the server's own, localhost, a
// one-label name such as a compose service's) leaves the scope free,
// because some official SDKs sign the first label of the endpoint they are
// given ("127"); the request goes to the product of its API version, and
// its signature is still checked over the scope it signed.
//
//	cpf := profile.NewClientProfile()
//	cpf.HttpProfile.Endpoint = srv.Endpoint()
//	cpf.HttpProfile.Scheme = "HTTP"
//	cpf.Language = "en-US"
//	cpf.DisableRegionBreaker = true // never fail over to the real cloud
//	client, err := vpc.NewClient(common.NewCredential(
//		flowlogtest.DefaultTencentSecretID, flowlogtest.DefaultTencentSecretKey),
//		flowlogtest.DefaultTencentRegion, cpf)
//
//	req := vpc.NewCreateFlowLogRequest()
//	req.FlowLogName = common.StringPtr("my-flow-log")
//	req.ResourceType = common.StringPtr("NETWORKINTERFACE")
//	req.ResourceId = common.StringPtr(flowlogtest.DefaultTencentNetworkInterfaceID)
//	req.VpcId = common.StringPtr(flowlogtest.DefaultTencentVPCID)
//	req.TrafficType = common.StringPtr("ALL")
//	req.CloudLogId = common.StringPtr(flowlogtest.DefaultCLSTopicID)
//	resp, err := client.CreateFlowLog(req) // resp.Response.FlowLog[0].FlowLogId = "fl-..."
//
// Every answer is HTTP 200 with {"Response":{...,"RequestId"}}, errors
// inside Response.Error, as the Tencent SDK expects. The gateway checks
// X-TC-Timestamp and X-TC-Version, the Authorization header
// (AuthFailure.InvalidAuthorization), the timestamp within 5 minutes of the
// server clock (AuthFailure.SignatureExpire: keep WithClock within 5
// minutes of real time when the SDK is the client), the SecretId
// (AuthFailure.SecretIdNotFound), the TC3-HMAC-SHA256 signature over the
// headers the request lists as signed, Host with its port included
// (AuthFailure.SignatureFailure), the STS token of credentials given with
// WithTencentSTSCredential (AuthFailure.TokenFailure), the version
// (NoSuchVersion), the action (InvalidAction), a rate limit of 20 requests
// per second per SecretId and action (RequestLimitExceeded, with the real
// message; see WithTencentRateLimit), the X-TC-Region, and unknown or
// mistyped parameters (UnknownParameter, InvalidParameter). Each action
// then applies its documented rules and codes (MissingParameter,
// InvalidParameterValue.Empty/.Range/.Malformed/.TooLong, ResourceNotFound,
// UnsupportedOperation.FlowLogInstanceExisted, LimitExceeded, tag codes).
// Tencent flow logs are synchronous: CreateFlowLog answers with the flow
// log, enabled, with an empty CloudLogState and CreatedTime
// "0000-00-00 00:00:00"; DescribeFlowLogs shows CloudLogState SUCCESS, or
// DELETED once the CLS topic is gone (DeleteCLSTopic), and CreatedTime in
// Beijing time. The default fixture adds DefaultTencentRegion with
// DefaultTencentVPCID, a subnet, three ENIs, a NAT gateway, the CCN
// DefaultTencentCCNID, the CLS topic DefaultCLSTopicID and the CKafka topic
// DefaultCKafkaInstanceID/DefaultCKafkaTopic; add more with AddTencentVPC,
// AddTencentSubnet, AddTencentNetworkInterface(s), AddTencentNATGateway,
// AddTencentDirectConnectGateway, AddTencentCCN, AddCLSTopic and
// AddCKafkaTopic (IDs must have their documented prefix, e.g. "eni-").
// TencentFlowLogs returns the server's state, and Calls counts Tencent
// actions both bare ("CreateFlowLog", summed over clouds) and qualified
// ("Tencent.CreateFlowLog").
//
// # Official SDKs of other languages
//
// The server checks each SDK's own signature, so any official SDK can use
// it: give it the server's host and port (Server.Endpoint, or the URL
// without "http://") as the endpoint, plain HTTP, and the emulator's
// credentials (DefaultAccessKeyID and DefaultAccessKeySecret,
// DefaultTencentSecretID and DefaultTencentSecretKey, or the ones the
// server was given). A wrong secret is refused with SignatureDoesNotMatch
// (Alibaba) or AuthFailure.SignatureFailure (Tencent), as in the cloud.
//
// Checked against the emulator, creating, describing and deleting a flow
// log and refused with a wrong secret:
//
//   - Go: github.com/aliyun/alibaba-cloud-sdk-go (signature v1; this
//     library's adapters), github.com/alibabacloud-go/vpc-20160428/v6 with
//     darabonba-openapi v2 (ACS3, in this package's tests:
//     openapi.Config{Endpoint: host:port, Protocol: "HTTP"}), and
//     tencentcloud-sdk-go (HttpProfile.Endpoint = host:port, Scheme
//     "HTTP").
//   - Node.js (by hand on 2026-12-04, not in the tests: they would need
//     npm): @alicloud/vpc20160428 7.3.2 with @alicloud/openapi-client
//     0.4.15, new Config({endpoint: "127.0.0.1:PORT", protocol: "HTTP",
//     ...}); tencentcloud-sdk-nodejs 4.1.313, profile {httpProfile:
//     {endpoint: "127.0.0.1:PORT", protocol: "http://"}}. The latter signs
//     the endpoint's first label as the TC3 service ("127") and the host
//     name without its port; the Tencent gateway lets both in when the
//     signature is right (see Tencent Cloud above).
//
// Not checked here (their registries are out of this machine's reach):
// Python, where the Alibaba SDKs take the same endpoint and protocol in
// alibabacloud_tea_openapi's Config and tencentcloud-sdk-python takes
// HttpProfile(protocol="http", endpoint="127.0.0.1:PORT"); and Java, whose
// SDKs have the same two settings.
//
// # Fault injection
//
// WithFaults (or Server.InjectFaults at run time) makes requests fail the
// way clouds and networks do, to test retries and error handling. A
// FaultRule selects requests by action, with the names Calls uses ("" for
// all, "CreateFlowLog" on every product, "Vpc.CreateFlowLog",
// "Cbn.CreateFlowlog", "Tencent.CreateFlowLog" for one), and either faults
// the next Count of them or each with probability Rate, with a kind picked
// from Kinds:
//
//	srv := flowlogtest.NewServer(flowlogtest.WithFaults(
//		flowlogtest.FaultRule{Action: "CreateFlowLog", Count: 2,
//			Kinds: []flowlogtest.FaultKind{flowlogtest.FaultThrottle}},
//		flowlogtest.FaultRule{Rate: 0.1, Kinds: []flowlogtest.FaultKind{
//			flowlogtest.FaultServerError, flowlogtest.FaultReset}},
//	))
//	// ... run the code under test, then:
//	srv.FaultsInjected() // map[Throttle:2 ServerError:1 ...]
//
// The kinds, on the wire:
//
//   - FaultThrottle: Alibaba HTTP 400 Throttling.User ("Request was denied
//     due to user flow control."); Tencent HTTP 200 RequestLimitExceeded
//     with the documented message;
//   - FaultServerError: Alibaba HTTP 503 ServiceUnavailable; Tencent HTTP
//     200 InternalError;
//   - FaultHTMLError: HTTP 502 with a load balancer's HTML page (the
//     Alibaba SDK returns a ServerError with status 502 and no code, the
//     Tencent SDK ClientError.ParseJsonError);
//   - FaultMalformed: HTTP 200 with a truncated, non-JSON body;
//   - FaultEcho: a server error whose message quotes the request back
//     (URL with its query, headers, body), as a misconfigured proxy does;
//   - FaultReset: the connection is closed without an answer;
//   - FaultLostResponse: the request is applied (a flow log is created),
//     then the connection is closed without an answer;
//   - FaultSlow: the request waits FaultRule.Delay, then is handled
//     normally; if the client gives up or the server closes first, the
//     connection is closed and nothing is applied;
//   - FaultDocumentedError: the documented error FaultRule.Code of the
//     rule's product-qualified action, with its documented message and
//     status (see below).
//
// # Documented error codes
//
// Every error code that the references of VPC CreateFlowLog (seed 004, 35
// codes) and Tencent CreateFlowLog (seed 003, 37 business codes) document
// can be produced, and DocumentedErrorCodes lists them. Most come from the
// emulator's own state and checks, each in its documented scenario:
//
//   - VPC: a parameter out of its documented values (INVALID_PARAMETER,
//     IllegalParam.AggregationInterval, .TrafficPath, .ResourceGroupId,
//     and, with WithStrictRules, .IpVersion; DuplicatedParam.TrafficPath,
//     MissingParameter,
//     MissingParam.TrafficAnalyzerIdOrLogProjectOrLogStore); a region the
//     emulator does not serve (InvalidRegionId.NotFound); a resource type
//     other than the documented three (OperationUnsupported.ResourceType) or
//     not matching the resource (InvalidResourceType.NotFound); a resource
//     that does not exist (InvalidInstanceId); a missing SLS project or
//     Logstore (ProjectOrLogstoreNotExist, see AddSLSLogStore); an unknown
//     TrafficAnalyzerId (OperationDenied.NisTrafficAnalyzerNotFound); a
//     second flow log on one resource (InvalidResourceId.NotFound); the
//     quota (QuotaExceeded.FlowlogCount, WithFlowLogQuota); traffic paths
//     without WithTrafficPathAllowed
//     (UnsupportedFeature.UserDefinedTrafficPath); the service not opened
//     (OptInRequired.FlowLog, SetFlowLogServiceOpened) and the account's
//     business status (IncorrectBusinessStatus.FlowLog, SetBusinessStatus).
//   - Tencent: a missing, out-of-range or malformed parameter
//     (InvalidParameterValue.Empty, .Range, .Malformed); a tag without a key
//     or a key given twice (InvalidParameterValue.TagInvalidKey,
//     .TagDuplicateKey); a resource, VPC or destination that does not exist
//     (ResourceNotFound); a second flow log on one resource
//     (UnsupportedOperation.FlowLogInstanceExisted); the quota
//     (LimitExceeded, WithTencentFlowLogQuota); and the rate limit of the
//     gateway (RequestLimitExceeded, WithTencentRateLimit).
//
// The others hang on state the emulator does not model: who calls (a RAM
// user, Unauthorized; UnauthorizedOperation), another account's shared
// resource, the VPC's advanced features, ENI and instance kinds, NIS
// traffic analyzers' state, the CKafka edition, the Tag service's quotas
// and busy states, and the providers' internal errors. FaultDocumentedError
// answers a request with any of them, as the provider documents it:
//
//	srv.InjectFaults(flowlogtest.FaultRule{Action: "Vpc.CreateFlowLog", Count: 1,
//		Kinds: []flowlogtest.FaultKind{flowlogtest.FaultDocumentedError},
//		Code:  "OperationDenied.OperateShareResource"})
//
// Each adapter's tests answer a create with every one of these codes and
// check that the adapter maps it to its documented meaning.
//
// Faults are decided once the request names a known product and action
// and, for every kind but FaultReset, only for requests the gateway
// accepts (signature, timestamp, unused nonce, token): a wrongly signed
// request still gets its authentication error, and a Count rule keeps its
// fault for the next request. A faulted request is not applied, not
// counted by Calls and does not consume its SignatureNonce, so resending
// the same signed request works; the exceptions are FaultLostResponse,
// which is a real request, and FaultSlow once it is served. Every decision
// comes from one PCG source seeded by WithFaultSeed (default 1), drawn under
// the server's lock: the same seed and the same sequence of requests give
// the same faults.
//
// All Server methods are safe for concurrent use. Close stops the server and
// leaves no goroutines behind (it also ends FaultSlow waits).
//
// # Strict rules
//
// By default the emulator refuses only what its sources (the providers'
// API references and the research notes on them) or the protocol itself
// refuse, and the library's validation agrees with it on every rule.
// Where a documented refusal left the code, message or number open, the
// emulator's answer is marked "emulator choice" at its check.
// WithStrictRules adds plausible rules that go beyond the documentation,
// each answered with the code of the documented rule it extends:
//
//   - VPC IpVersion other than IPv4 or IPv6, sent empty included
//     (IllegalParam.IpVersion; no value list is documented);
//   - VPC and CEN names and descriptions starting with http:// or https://
//     in another letter case, and tags starting with aliyun or acs: or
//     containing http(s):// in another letter case (INVALID_PARAMETER,
//     InvalidParameter; the docs write them in lower case);
//   - a VPC tag key given twice (INVALID_PARAMETER);
//   - VPC DescribeFlowLogs Tags.N filters that CreateFlowLog's tag rules
//     refuse, and its name and description filters starting with
//     http(s)://; CEN DescribeFlowlogs Tag.N filters that CreateFlowlog's
//     tag rules refuse beyond the documented key length of 64;
//   - CEN ClientTokens beyond CreateFlowlog: more than 64 characters on
//     any action, not ASCII on all but ModifyFlowLogAttribute
//     (InvalidParameter);
//   - CEN LogFormatString field names of other characters than letters,
//     digits, "_" and "-" (InvalidParameter).
//
// A test that passes with WithStrictRules sends none of these values; one
// that fails with it depends on what the real cloud does with them, which
// no source says.
//
// # Inside the emulator
//
// The emulator has one seam, drawn in gateway.go. A gateway is a wire
// protocol: it routes a request to a product and action, authenticates it
// (also in a dry run that records nothing, for the fault injector),
// dispatches it, and writes answers, errors and faults in the protocol's
// shape. There is one for Alibaba RPC (gateway_rpc.go), which verifies
// signature v1 and, with its own parsing and signature check in
// gateway_acs3.go, ACS3, and one for Tencent Cloud API 3.0
// (gateway_tc3.go). A product is an
// emulated API, with its name, version, action table, state and rules:
// Alibaba VPC (vpc*.go) and CEN (cbn*.go), which share alibaba.go, and
// Tencent VPC (tencent*.go). The fault injector (faults.go) knows no
// protocol: it asks the request's gateway. newServer (server.go) wires the
// gateways and products; there are no global registries. To add
//
//   - a fault kind: declare it in faults.go (the constant, its name in
//     faultKindNames, its wire shapes above) and write its answer in the
//     writeFault of each gateway; a kind that acts on the connection
//     instead of answering is acted out in injectFault, in faults.go;
//   - a product: give it a file with a type that holds its state and
//     rules and embeds its action table (a Tencent product also names its
//     service and regions), then create it in newServer, hand it to its
//     gateway there and seed its default fixture;
//   - a protocol (Alibaba's ROA style, say): implement gateway in a
//     gateway_*.go file, wire it with its products in newServer and route
//     its requests to it in Server.gatewayFor; a second signature of one
//     protocol is a parse and verify pair of its gateway instead, as ACS3
//     is of the RPC gateway.
package flowlogtest
