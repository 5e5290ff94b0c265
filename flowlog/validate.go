package flowlog

import (
	"strconv"
	"strings"
)

// validateNeutral checks what every provider needs of a spec. Provider rules
// come after, from Provider.Validate; both lists end up in one error.
func validateNeutral(s *FlowLogSpec) []FieldError {
	var errs []FieldError
	bad := func(field, reason string) {
		errs = append(errs, FieldError{Field: field, Code: CodeInvalidArgument, Reason: reason})
	}
	if strings.TrimSpace(s.Region) == "" {
		bad("Region", "is required")
	}
	switch s.Resource.Kind {
	case "":
		bad("Resource.Kind", "is required")
	case ResourceNetworkInterface, ResourceSubnet, ResourceVPC, ResourceCloudConnectNetwork,
		ResourceNATGateway, ResourceDirectConnectGateway, ResourceTransitRouter, ResourceTransitRouterAttachment:
	default:
		bad("Resource.Kind", "unknown kind "+quote(string(s.Resource.Kind)))
	}
	if strings.TrimSpace(s.Resource.ID) == "" {
		bad("Resource.ID", "is required")
	}
	switch s.TrafficType {
	case "", TrafficAll, TrafficAccept, TrafficReject:
	default:
		bad("TrafficType", "must be all, accept or reject, not "+quote(string(s.TrafficType)))
	}
	d := s.Destination
	n := 0
	if d.SLS != nil {
		n++
		if d.SLS.Project == "" {
			bad("Destination.SLS.Project", "is required")
		}
		if d.SLS.LogStore == "" {
			bad("Destination.SLS.LogStore", "is required")
		}
	}
	if d.CLS != nil {
		n++
		if d.CLS.TopicID == "" {
			bad("Destination.CLS.TopicID", "is required")
		}
	}
	if d.CKafka != nil {
		n++
		if d.CKafka.InstanceID == "" {
			bad("Destination.CKafka.InstanceID", "is required")
		}
		if d.CKafka.Topic == "" {
			bad("Destination.CKafka.Topic", "is required")
		}
	}
	if n != 1 {
		bad("Destination", "exactly one of SLS, CLS and CKafka must be set")
	}
	if s.AggregationInterval < 0 {
		bad("AggregationInterval", "must not be negative")
	}
	if len(s.ClientToken) > 64 {
		bad("ClientToken", "must be at most 64 characters")
	}
	for _, r := range s.ClientToken {
		if r < 0x21 || r > 0x7e {
			bad("ClientToken", "must be printable ASCII without spaces")
			break
		}
	}
	for k := range s.Tags {
		if k == "" {
			bad("Tags", "a tag key must not be empty")
			break
		}
	}
	return errs
}

// quote shows a caller's value in an error: quoted, with invalid UTF-8
// escaped so the text stays printable.
func quote(s string) string { return strconv.Quote(s) }
