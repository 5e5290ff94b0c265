package driver

import "time"

// FlowLogSpec describes, once and for every provider, the flow log a caller wants.
//
// Zero values mean "the provider's default" where a provider has one. A field
// that the chosen provider cannot express makes Client.Create fail with an
// error matching ErrUnsupported before any request is sent: nothing in a spec
// is ever silently dropped.
type FlowLogSpec struct {
	// Provider names the adapter that serves the spec ("aliyun", "cbn",
	// "tencent"), so that specs for several clouds can go through one
	// flowlog.Clients. Empty means the Client's own; a Client refuses a
	// spec that names another provider.
	Provider string
	// Region is the provider region the flow log lives in, e.g. "cn-hangzhou"
	// or "ap-guangzhou". Required.
	Region string
	// Name is the flow log's display name. Tencent requires it.
	Name string
	// Description is free text shown next to the flow log.
	Description string
	// Resource is what traffic is captured from. Required.
	Resource Resource
	// TrafficType selects which traffic is logged. The zero value means TrafficAll.
	TrafficType TrafficType
	// Destination is where the records are delivered. Exactly one of its
	// members must be set.
	Destination Destination
	// AggregationInterval is the capture window. Zero means the provider's
	// default (10 minutes on Alibaba Cloud).
	AggregationInterval time.Duration
	// Tags are attached to the flow log in the create call itself.
	Tags map[string]string
	// ClientToken identifies one logical create, so that repeating it does
	// not make a second flow log. Client.Create mints one when it is empty
	// and keeps it for every attempt; set it yourself to keep it across
	// process restarts. At most 64 printable ASCII characters. It is sent
	// where the API takes an idempotency token (CEN's ClientToken).
	ClientToken string
	// Alibaba holds knobs only Alibaba Cloud VPC understands. Other providers
	// reject a non-nil value as unsupported.
	Alibaba *AlibabaOptions
}

// ResourceKind names the kind of network resource a flow log captures.
type ResourceKind string

// Resource kinds. Each provider supports a subset; see the README's matrix.
const (
	ResourceNetworkInterface        ResourceKind = "NetworkInterface"
	ResourceSubnet                  ResourceKind = "Subnet" // an Alibaba vSwitch or a Tencent subnet
	ResourceVPC                     ResourceKind = "VPC"
	ResourceCloudConnectNetwork     ResourceKind = "CloudConnectNetwork" // Tencent CCN
	ResourceNATGateway              ResourceKind = "NATGateway"
	ResourceDirectConnectGateway    ResourceKind = "DirectConnectGateway"
	ResourceTransitRouter           ResourceKind = "TransitRouter"           // Alibaba CEN
	ResourceTransitRouterAttachment ResourceKind = "TransitRouterAttachment" // Alibaba CEN
)

// Resource identifies the resource whose traffic is captured.
type Resource struct {
	Kind ResourceKind
	ID   string
	// NetworkID is the network the resource lives in: the VPC ID on Tencent
	// Cloud (required there except for CCN) or the CEN instance ID on Alibaba
	// Cloud Enterprise Network. Alibaba Cloud VPC does not need it.
	NetworkID string
}

// TrafficType selects accepted, rejected or all traffic.
type TrafficType string

// Traffic types.
const (
	TrafficAll    TrafficType = "all"
	TrafficAccept TrafficType = "accept"
	TrafficReject TrafficType = "reject"
)

// Destination is where flow-log records are delivered. Exactly one member is set.
type Destination struct {
	SLS    *SLSDestination    // Alibaba Cloud Simple Log Service
	CLS    *CLSDestination    // Tencent Cloud Log Service
	CKafka *CKafkaDestination // Tencent Cloud CKafka
}

// SLSDestination is an Alibaba Cloud Simple Log Service project and logstore.
type SLSDestination struct {
	Project  string
	LogStore string
}

// CLSDestination is a Tencent Cloud Log Service topic.
type CLSDestination struct {
	TopicID string
	// Region of the topic; empty means the flow log's region.
	Region string
}

// CKafkaDestination is a Tencent Cloud CKafka instance and topic.
type CKafkaDestination struct {
	InstanceID string
	Topic      string
}

// AlibabaOptions are the Alibaba Cloud VPC-only settings of a flow log.
type AlibabaOptions struct {
	// TrafficPaths limits capture to some paths ("all", "internetGateway").
	// Alibaba enables this feature per account on request.
	TrafficPaths []AlibabaTrafficPath
	// IPVersion of the captured traffic, e.g. "IPv4".
	IPVersion string
	// ResourceGroupID places the flow log in a resource group ("rg-...").
	ResourceGroupID string
}

// AlibabaTrafficPath is one value of Alibaba Cloud's TrafficPath parameter.
type AlibabaTrafficPath string

// Alibaba Cloud traffic paths.
const (
	AlibabaTrafficPathAll             AlibabaTrafficPath = "all"
	AlibabaTrafficPathInternetGateway AlibabaTrafficPath = "internetGateway"
)
