package flowlog

import "github.com/cloudflowlog/flowlog-go/flowlog/driver"

// The data a caller and an adapter share is defined once, in package
// driver; these names are what a caller holds. The adapters' contract
// itself (driver.Provider and its capabilities, pages, retry classes) is not
// repeated here.

type (
	// FlowLogSpec describes, once and for every provider, the flow log a
	// caller wants; see driver.FlowLogSpec for its fields.
	FlowLogSpec = driver.FlowLogSpec
	// Resource identifies the resource whose traffic is captured.
	Resource = driver.Resource
	// ResourceKind names the kind of network resource a flow log captures.
	ResourceKind = driver.ResourceKind
	// TrafficType selects accepted, rejected or all traffic.
	TrafficType = driver.TrafficType
	// Destination is where flow-log records are delivered.
	Destination = driver.Destination
	// SLSDestination is an Alibaba Cloud Simple Log Service project and logstore.
	SLSDestination = driver.SLSDestination
	// CLSDestination is a Tencent Cloud Log Service topic.
	CLSDestination = driver.CLSDestination
	// CKafkaDestination is a Tencent Cloud CKafka instance and topic.
	CKafkaDestination = driver.CKafkaDestination
	// AlibabaOptions are the Alibaba Cloud VPC-only settings of a flow log.
	AlibabaOptions = driver.AlibabaOptions
	// AlibabaTrafficPath is one value of Alibaba Cloud's TrafficPath parameter.
	AlibabaTrafficPath = driver.AlibabaTrafficPath
	// FlowLog is a flow log as the provider reports it.
	FlowLog = driver.FlowLog
	// Status is the provider-neutral state of a flow log.
	Status = driver.Status
	// ListFilter narrows Client.List. Empty fields match everything.
	ListFilter = driver.ListFilter
	// Code is the provider-neutral class of an error.
	Code = driver.Code
	// FieldError is one bad field of a FlowLogSpec.
	FieldError = driver.FieldError
)

// Resource kinds. Each provider supports a subset; see the README's matrix.
const (
	ResourceNetworkInterface        = driver.ResourceNetworkInterface
	ResourceSubnet                  = driver.ResourceSubnet // an Alibaba vSwitch or a Tencent subnet
	ResourceVPC                     = driver.ResourceVPC
	ResourceCloudConnectNetwork     = driver.ResourceCloudConnectNetwork // Tencent CCN
	ResourceNATGateway              = driver.ResourceNATGateway
	ResourceDirectConnectGateway    = driver.ResourceDirectConnectGateway
	ResourceTransitRouter           = driver.ResourceTransitRouter           // Alibaba CEN
	ResourceTransitRouterAttachment = driver.ResourceTransitRouterAttachment // Alibaba CEN
)

// Traffic types.
const (
	TrafficAll    = driver.TrafficAll
	TrafficAccept = driver.TrafficAccept
	TrafficReject = driver.TrafficReject
)

// Alibaba Cloud traffic paths.
const (
	AlibabaTrafficPathAll             = driver.AlibabaTrafficPathAll
	AlibabaTrafficPathInternetGateway = driver.AlibabaTrafficPathInternetGateway
)

// Neutral states; see driver.Status. The numbers are stable.
const (
	StatusUnknown  = driver.StatusUnknown
	StatusPending  = driver.StatusPending
	StatusActive   = driver.StatusActive
	StatusInactive = driver.StatusInactive
	StatusFailed   = driver.StatusFailed
	StatusDeleted  = driver.StatusDeleted
)

// Error codes; see driver.Code. The numbers are stable.
const (
	CodeUnknown            = driver.CodeUnknown
	CodeInvalidArgument    = driver.CodeInvalidArgument
	CodeNotFound           = driver.CodeNotFound
	CodeAlreadyExists      = driver.CodeAlreadyExists
	CodeThrottled          = driver.CodeThrottled
	CodeQuotaExceeded      = driver.CodeQuotaExceeded
	CodePermissionDenied   = driver.CodePermissionDenied
	CodeUnauthenticated    = driver.CodeUnauthenticated
	CodeUnavailable        = driver.CodeUnavailable
	CodeUnsupported        = driver.CodeUnsupported
	CodeFailedPrecondition = driver.CodeFailedPrecondition
)

// Sentinel errors, one per Code, for errors.Is.
var (
	ErrInvalidArgument    = driver.ErrInvalidArgument
	ErrNotFound           = driver.ErrNotFound
	ErrAlreadyExists      = driver.ErrAlreadyExists
	ErrThrottled          = driver.ErrThrottled
	ErrQuotaExceeded      = driver.ErrQuotaExceeded
	ErrPermissionDenied   = driver.ErrPermissionDenied
	ErrUnauthenticated    = driver.ErrUnauthenticated
	ErrUnavailable        = driver.ErrUnavailable
	ErrUnsupported        = driver.ErrUnsupported
	ErrFailedPrecondition = driver.ErrFailedPrecondition
)
