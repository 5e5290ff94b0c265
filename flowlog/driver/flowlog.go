package driver

import (
	"github.com/cloudflowlog/flowlog-go/internal/errfmt"

	"maps"
	"reflect"
	"slices"
	"time"
)

// FlowLog is a flow log as the provider reports it.
type FlowLog struct {
	ID       string
	Provider string
	Region   string
	Name     string

	Description string
	// Status is the neutral state; RawStatus is the provider's own word for it
	// ("Activating", "Creating", "SUCCESS", ...).
	Status    Status
	RawStatus string
	// StatusReason explains a failed status when the provider says why, e.g.
	// Alibaba's FlowLogDeliverErrorMessage or BusinessStatus.
	StatusReason string
	// Settling is, for a pending flow log, the state it is moving to when
	// the provider's status says so (Activating: active, Deactivating:
	// inactive, Deleting: deleted); StatusUnknown otherwise. A wait for
	// another state ends as soon as it sees a flow log settling elsewhere.
	Settling Status

	Resource            Resource
	TrafficType         TrafficType
	Destination         Destination
	AggregationInterval time.Duration
	CreatedAt           time.Time
	Tags                map[string]string
	// Alibaba holds the Alibaba Cloud VPC settings as described (traffic
	// paths, IP version, resource group); nil where the provider has none
	// or did not report them.
	Alibaba *AlibabaOptions

	// Unconfirmed names the FlowLogSpec fields that a Create or an Ensure
	// which adopted this flow log could not check, because the provider
	// does not report them (see Unconfirmed). Empty for a flow log the call
	// created, and for one whose every field was checked.
	Unconfirmed []string

	// Raw is the provider SDK's own object this value was built from, such as
	// a vpc.FlowLog of alibaba-cloud-sdk-go. Prefer As, which checks the type.
	Raw any
}

// Clone returns a copy of f that shares no map or slice with it (Raw, the
// SDK's object, is shared: it is read-only by convention).
func (f *FlowLog) Clone() *FlowLog {
	if f == nil {
		return nil
	}
	c := *f
	c.Tags = maps.Clone(f.Tags)
	c.Unconfirmed = slices.Clone(f.Unconfirmed)
	if f.Alibaba != nil {
		a := *f.Alibaba
		a.TrafficPaths = slices.Clone(a.TrafficPaths)
		c.Alibaba = &a
	}
	if d := f.Destination; d.SLS != nil || d.CLS != nil || d.CKafka != nil {
		c.Destination = Destination{SLS: clonePtr(d.SLS), CLS: clonePtr(d.CLS), CKafka: clonePtr(d.CKafka)}
	}
	return &c
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}

// As sets target, a non-nil pointer, to the provider SDK's own object when
// its type fits, and reports whether it did. Each adapter's package doc lists
// the types it offers.
func (f *FlowLog) As(target any) bool {
	return asRaw(f.Raw, target)
}

// asRaw assigns raw to *target when the types allow it.
func asRaw(raw, target any) bool {
	if raw == nil || target == nil {
		return false
	}
	tv := reflect.ValueOf(target)
	if tv.Kind() != reflect.Pointer || tv.IsNil() {
		return false
	}
	rv := reflect.ValueOf(raw)
	elem := tv.Elem()
	if rv.Type().AssignableTo(elem.Type()) {
		elem.Set(rv)
		return true
	}
	// Let callers ask for the struct when the adapter kept a pointer to it.
	if rv.Kind() == reflect.Pointer && !rv.IsNil() && rv.Elem().Type().AssignableTo(elem.Type()) {
		elem.Set(rv.Elem())
		return true
	}
	return false
}

// Status is the provider-neutral state of a flow log.
type Status int

// Neutral states. The numbers are stable: they may be stored by callers.
const (
	// StatusUnknown is the zero value; no provider status maps to it.
	StatusUnknown Status = iota
	// StatusPending: in transition (Activating, Creating, Modifying,
	// Deactivating, Deleting); FlowLog.Settling says where to, if known.
	StatusPending
	// StatusActive: capturing and delivering.
	StatusActive
	// StatusInactive: exists but stopped.
	StatusInactive
	// StatusFailed: exists but cannot deliver (destination gone, account
	// locked, or a status this library does not know).
	StatusFailed
	// StatusDeleted: gone. Describe and List never return such a flow log;
	// waits and Settling use it.
	StatusDeleted
)

// String returns the state in words, e.g. "active".
func (s Status) String() string { return errfmt.Words("Status", statusGoNames, s) }

// Terminal reports whether a flow log in this state will not move on by itself.
func (s Status) Terminal() bool {
	return s == StatusActive || s == StatusInactive || s == StatusFailed || s == StatusDeleted
}
