package driver

import (
	"context"
	"time"
)

// Patch is a change to the fields of a flow log that a provider may be
// able to change in place. A nil field is left as it is.
type Patch struct {
	Name                *string
	Description         *string
	AggregationInterval *time.Duration
}

// The names of Patch's fields, as Updater.MutableFields and FieldError
// report them: those of FlowLogSpec.
const (
	FieldName                = "Name"
	FieldDescription         = "Description"
	FieldAggregationInterval = "AggregationInterval"
)

// Fields returns the names of the fields p sets, in declaration order.
func (p *Patch) Fields() []string {
	var fs []string
	if p.Name != nil {
		fs = append(fs, FieldName)
	}
	if p.Description != nil {
		fs = append(fs, FieldDescription)
	}
	if p.AggregationInterval != nil {
		fs = append(fs, FieldAggregationInterval)
	}
	return fs
}

// AppliedTo reports whether fl already has every value p sets.
func (p *Patch) AppliedTo(fl *FlowLog) bool {
	return (p.Name == nil || *p.Name == fl.Name) &&
		(p.Description == nil || *p.Description == fl.Description) &&
		(p.AggregationInterval == nil || *p.AggregationInterval == fl.AggregationInterval)
}

// Updater is an optional upgrade of a Provider that can change some fields
// of a flow log in place (the providers' ModifyFlowLogAttribute).
type Updater interface {
	// MutableFields names the Patch fields the provider can change.
	MutableFields() []string
	// ValidatePatch checks the values p sets against the provider's
	// documented rules without I/O, as Validate does for a spec; the
	// client has already refused fields outside MutableFields.
	ValidatePatch(p *Patch) []FieldError
	// Update sends one modify request for fl, as last described (some
	// providers need its network ID), changing what p sets. It does not
	// wait: an asynchronous provider shows the flow log pending until the
	// change is done, then in the state it had.
	Update(ctx context.Context, fl *FlowLog, p *Patch) error
}

// ServiceOpener is an optional upgrade of a Provider whose accounts must
// open the flow-log service in a region before their first create there
// (Alibaba Cloud VPC's OpenFlowLogService).
type ServiceOpener interface {
	// ServiceNotOpened reports whether err, from Create, says that the
	// service is not opened in the region.
	ServiceNotOpened(err error) bool
	// OpenService sends one request to open the service in region.
	OpenService(ctx context.Context, region string) error
	// ServiceOpened sends one request for whether the service is open in
	// region.
	ServiceOpened(ctx context.Context, region string) (bool, error)
}
