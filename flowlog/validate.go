package flowlog

import (
	"regexp"
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
	if err := regionProblem(s.Region); err != "" {
		bad("Region", err)
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
	// ClientToken has no neutral rule: only the providers that send it
	// (CEN) know theirs, and check it in their Validate.
	for k := range s.Tags {
		if k == "" {
			bad("Tags", "a tag key must not be empty")
			break
		}
	}
	return errs
}

// regionPattern is the shape of every region name of the providers
// ("cn-hangzhou", "ap-southeast-1", "na-siliconvalley"): lower-case words of
// letters and digits joined by hyphens.
var regionPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// maxRegionLen is far above the longest region name of the providers.
const maxRegionLen = 64

// regionProblem says what is wrong with a region name, or "". A region ends
// up in a host name and a signed parameter; one with a line break, say,
// would be sent and answered with a confusing error, or none.
func regionProblem(region string) string {
	switch {
	case strings.TrimSpace(region) == "":
		return "is required"
	case len(region) > maxRegionLen || !regionPattern.MatchString(region):
		return "must be lower-case letters, digits and hyphens like cn-hangzhou, not " + quote(region)
	}
	return ""
}

// checkRegion is the region rule of the calls that take a region and an ID
// rather than a spec; nothing is sent when it fails.
func checkRegion(region string) error {
	if p := regionProblem(region); p != "" {
		return &ValidationError{Fields: []FieldError{{Field: "Region", Code: CodeInvalidArgument, Reason: p}}}
	}
	return nil
}

// maxIDLen is far above the longest flow log ID of the providers.
const maxIDLen = 128

// checkTarget checks the region and the flow log ID of a call about one
// flow log: an ID must be printable ASCII without spaces.
func checkTarget(region, id string) error {
	var errs []FieldError
	if p := regionProblem(region); p != "" {
		errs = append(errs, FieldError{Field: "Region", Code: CodeInvalidArgument, Reason: p})
	}
	valid := id != "" && len(id) <= maxIDLen
	for _, r := range id {
		valid = valid && r > 0x20 && r < 0x7f
	}
	if !valid {
		errs = append(errs, FieldError{Field: "ID", Code: CodeInvalidArgument,
			Reason: "must be a flow log ID of 1 to 128 printable ASCII characters without spaces, not " + quote(id)})
	}
	if len(errs) > 0 {
		return &ValidationError{Fields: errs}
	}
	return nil
}

// quote shows a caller's value in an error: quoted, with invalid UTF-8
// escaped so the text stays printable.
func quote(s string) string { return strconv.Quote(s) }
