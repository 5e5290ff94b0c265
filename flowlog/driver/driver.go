// Package driver is the contract between the portable flowlog.Client and
// the adapters of each cloud (aliyun, cbn, tencent): the Provider interface
// an adapter implements, its optional capabilities, the data it speaks
// (FlowLogSpec, FlowLog, Status, ListFilter, Page), and how it classifies
// failures (Error, Code, RetryClass). Users do not call it: they hold a
// *flowlog.Client, whose package re-exports the data types they need.
// flowlogtest.RunConformance checks that an adapter keeps the contract.
package driver

import "context"

// Provider is the interface each cloud adapter implements. Users do not
// call it: they hold a *flowlog.Client, which owns validation of the
// neutral fields, retries, waiting and logging, so that adapters stay
// translators.
//
// The contract, which the conformance suite in flowlogtest checks:
//   - Every method makes at most one attempt of each provider call it needs;
//     it never retries or sleeps.
//   - Every error returned for a provider or transport failure is an *Error
//     with Provider, Op, Code and, when the provider sent them, ProviderCode,
//     Message, RequestID and HTTPStatus. No error text may contain a
//     credential, a token or a signature.
//   - Methods honour ctx cancellation.
//   - Methods are safe for concurrent use.
type Provider interface {
	// Name is the adapter's short name: "aliyun", "cbn" or "tencent".
	Name() string

	// Validate checks spec against the provider's documented parameter rules
	// without I/O. The neutral checks (region, resource, destination) have
	// already passed. It returns one FieldError per bad field, using
	// CodeUnsupported for a field the provider cannot express.
	Validate(spec *FlowLogSpec) []FieldError

	// Create sends one create request for spec. The returned FlowLog has at
	// least ID, Provider, Region and Status (usually StatusPending).
	Create(ctx context.Context, spec *FlowLogSpec) (*FlowLog, error)

	// Describe returns those of ids that exist in region, in any order. An ID
	// that does not exist is left out; it is not an error. Adapters build it
	// on their ListPage with paging.Describe, which filters by ID or walks
	// the region, whichever takes fewer calls.
	Describe(ctx context.Context, region string, ids []string) ([]*FlowLog, error)

	// Delete asks the provider to delete the flow log. Deleting a flow log
	// that does not exist returns an *Error with CodeNotFound.
	Delete(ctx context.Context, region, id string) error

	// ListPage returns one page of the flow logs in region, filtered by f
	// as far as the provider's API can filter, starting where token says:
	// "" for the first page, then each page's NextToken. The client applies
	// f again to what comes back, skips a flow log it has seen, and stops
	// when NextToken is "". A token is opaque to the client; the adapters
	// keep an offset and the total in it (internal/paging), and step back
	// when the total shows that earlier flow logs are gone, so a caller who
	// deletes what it lists misses none.
	ListPage(ctx context.Context, region string, f ListFilter, token string) (Page, error)

	// SetEnabled starts (enabled) or stops a flow log: Alibaba's
	// ActiveFlowLog and DeactiveFlowLog, Tencent's EnableFlowLogs and
	// DisableFlowLogs. It does not wait.
	SetEnabled(ctx context.Context, region, id string, enabled bool) error
}

// ListFilter narrows Client.List. Empty fields match everything.
type ListFilter struct {
	// ID is one flow log's ID.
	ID string
	// ResourceID is the captured resource (ENI, vSwitch, VPC, attachment...).
	ResourceID string
	// Name is the flow log's exact name.
	Name string
	// NetworkID is the VPC (Alibaba VPC, Tencent) or the CEN instance (CEN)
	// the flow logs belong to.
	NetworkID string
	// Status is the neutral state; StatusUnknown matches every state.
	Status Status
}

// Matches reports whether fl passes the filter.
func (f ListFilter) Matches(fl *FlowLog) bool {
	return (f.ID == "" || fl.ID == f.ID) &&
		(f.ResourceID == "" || fl.Resource.ID == f.ResourceID) &&
		(f.Name == "" || fl.Name == f.Name) &&
		(f.NetworkID == "" || fl.Resource.NetworkID == f.NetworkID) &&
		(f.Status == StatusUnknown || fl.Status == f.Status)
}

// Page is one page of a provider's list call.
type Page struct {
	FlowLogs []*FlowLog
	// NextToken asks for the next page; "" when this one is the last.
	NextToken string
	// Total is the provider's count of matching flow logs, -1 if unknown.
	Total int
}

// TokenCreator is an optional upgrade of a Provider whose create API takes
// FlowLogSpec.ClientToken as an idempotency token: the same token never
// makes a second flow log, so the client may repeat an ambiguous create
// as it is.
type TokenCreator interface {
	CreateIsIdempotent() bool
}
