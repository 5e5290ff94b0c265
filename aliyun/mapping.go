package aliyun

import (
	"errors"
	"strings"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/internal/alirpc"
	"github.com/cloudflowlog/flowlog-go/internal/errmap"
	"github.com/cloudflowlog/flowlog-go/internal/validate"
)

var resourceTypes = map[driver.ResourceKind]string{
	driver.ResourceNetworkInterface: "NetworkInterface",
	driver.ResourceSubnet:           "VSwitch",
	driver.ResourceVPC:              "VPC",
}

var trafficTypes = map[driver.TrafficType]string{
	driver.TrafficAll:    "All",
	driver.TrafficAccept: "Allow",
	driver.TrafficReject: "Drop",
}

// codes maps the documented error codes of CreateFlowLog, DescribeFlowLogs,
// DeleteFlowLog, ActiveFlowLog and DeactiveFlowLog (api-spec §1.3, §3.3,
// §3.4) to neutral codes by their documented meaning; TestDocumentedCodes
// lists each.
var codes = errmap.Table{Exact: map[string]driver.Code{
	// Despite its name, this is "the resource already has a flow log".
	"InvalidResourceId.NotFound": driver.CodeAlreadyExists,
	"RuleExist":                  driver.CodeAlreadyExists,
	"OperationDenied.AllTrafficPathOfManagedExist": driver.CodeAlreadyExists,
	"InvalidInstanceId":                            driver.CodeNotFound,
	"ProjectOrLogstoreNotExist":                    driver.CodeNotFound,
	"SourceProjectNotExist":                        driver.CodeNotFound,
	"OperationDenied.NisTrafficAnalyzerNotFound":   driver.CodeNotFound,
	"QuotaExceeded.FlowlogCount":                   driver.CodeQuotaExceeded,
	"Unauthorized":                                 driver.CodePermissionDenied,
	"OperationDenied.OperateShareResource":         driver.CodePermissionDenied,
	// The account must do something first: open the flow-log service in
	// the region, settle its bills, have traffic paths enabled (by ticket)
	// or enable the traffic analyzer. No permission is missing.
	"OptInRequired.FlowLog":                       driver.CodeFailedPrecondition,
	"IncorrectBusinessStatus.FlowLog":             driver.CodeFailedPrecondition,
	"UnsupportedFeature.UserDefinedTrafficPath":   driver.CodeFailedPrecondition,
	"OperationDenied.NisTrafficAnalyzerNotActive": driver.CodeFailedPrecondition,
	"INVALID_PARAMETER":                           driver.CodeInvalidArgument,
	"ParameterInvalid":                            driver.CodeInvalidArgument,
	"InvalidResourceType.NotFound":                driver.CodeInvalidArgument,
	"DuplicatedParam.TrafficPath":                 driver.CodeInvalidArgument,
	// The interval asked for is longer than the analyzer's.
	"OperationDenied.NisTrafficAnalyzerAggregationIntervalMismatch": driver.CodeInvalidArgument,
	"OperationFailed.EniTypeNotSupport":                             driver.CodeUnsupported,
	// The flow log or its resource is busy; trying later helps.
	"IncorrectStatus.flowlog":             driver.CodeUnavailable,
	"IncorrectStatus":                     driver.CodeUnavailable,
	"InvalidStatus":                       driver.CodeUnavailable,
	"InvalidHdMonitorStatus":              driver.CodeUnavailable,
	"OperationConflict":                   driver.CodeUnavailable,
	"TaskConflict":                        driver.CodeUnavailable,
	"LastTokenProcessing":                 driver.CodeUnavailable,
	"OperationFailed.LastTokenProcessing": driver.CodeUnavailable,
	"OperationFailed.InternalError":       driver.CodeUnavailable,
}, Prefixes: map[string]driver.Code{
	"IllegalParam.":         driver.CodeInvalidArgument,
	"MissingParam":          driver.CodeInvalidArgument,
	"OperationUnsupported.": driver.CodeUnsupported,
	"UnsupportedFeature.":   driver.CodeUnsupported,
}, Retry: map[string]driver.RetryClass{
	// Busy: the request was refused, not applied; trying later helps.
	"IncorrectStatus.flowlog":             driver.RetrySafe,
	"IncorrectStatus":                     driver.RetrySafe,
	"InvalidStatus":                       driver.RetrySafe,
	"InvalidHdMonitorStatus":              driver.RetrySafe,
	"OperationConflict":                   driver.RetrySafe,
	"TaskConflict":                        driver.RetrySafe,
	"LastTokenProcessing":                 driver.RetrySafe,
	"OperationFailed.LastTokenProcessing": driver.RetrySafe,
}}

// serviceNotOpened is the code of CreateFlowLog in a region where the
// account has not opened the flow-log service.
const serviceNotOpened = "OptInRequired.FlowLog"

// explainCreate adds to the message of a CreateFlowLog error what to do
// about it, where the documentation's message does not say: "You are not
// authorized to use the requested service" reads as a missing permission.
func explainCreate(err error, region string) error {
	var fe *driver.Error
	if errors.As(err, &fe) && fe.ProviderCode == serviceNotOpened {
		fe.Message += " The flow-log service is not opened in region " + region +
			": open it there with OpenFlowLogService (API) or in the VPC console, then create again," +
			" or let the client open it when needed: flowlog.NewClient(p, flowlog.WithServiceOpening())."
	}
	return err
}

var (
	validIntervals   = map[time.Duration]bool{0: true, time.Minute: true, 5 * time.Minute: true, 10 * time.Minute: true}
	validTrafficPath = map[driver.AlibabaTrafficPath]bool{driver.AlibabaTrafficPathAll: true, driver.AlibabaTrafficPathInternetGateway: true}
)

// Validate checks spec against CreateFlowLog's documented rules, each
// cited; the flowlogtest emulator applies the same (rules_alibaba_test.go
// runs one table of cases through both).
func (p *Provider) Validate(s *driver.FlowLogSpec) []driver.FieldError {
	var c validate.Collector
	// seed 004 ResourceType "Valid values: NetworkInterface ... VSwitch ...
	// VPC".
	if _, ok := resourceTypes[s.Resource.Kind]; !ok {
		c.Unsupported("Resource.Kind", Name+" (resource kind "+string(s.Resource.Kind)+")")
	}
	if s.Resource.NetworkID != "" {
		c.Unsupported("Resource.NetworkID", Name)
	}
	alirpc.ValidateNames(&c, s)
	alirpc.ValidateCommon(&c, s, Name, 128)
	// seed 004 AggregationInterval "Unit: minutes. Valid values: 1, 5, and
	// 10 (default)".
	if !validIntervals[s.AggregationInterval] {
		c.Invalid("AggregationInterval", "must be 1m, 5m or 10m, got %s", s.AggregationInterval)
	}
	if a := s.Alibaba; a != nil {
		// seed 004 TrafficPath "Valid values: all ... internetGateway";
		// DuplicatedParam.TrafficPath "The value of TrafficPath.N is
		// duplicate."
		seen := map[driver.AlibabaTrafficPath]bool{}
		for _, tp := range a.TrafficPaths {
			switch {
			case !validTrafficPath[tp]:
				c.Invalid("Alibaba.TrafficPaths", "must be all or internetGateway, got %q", tp)
			case seen[tp]:
				c.Invalid("Alibaba.TrafficPaths", "%q is given twice", tp)
			}
			seen[tp] = true
		}
		// IpVersion is not checked: seed 004 gives only the example IPv4
		// and the error IllegalParam.IpVersion, and no value list is
		// documented (api-spec §1.1), so which values the server refuses
		// is its to say. The emulator accepts any (its IPv4/IPv6 list is a
		// flowlogtest.WithStrictRules rule).
		// ResourceGroupId: "rg-" and at least one more character. Source:
		// seed 004 (CreateFlowLog, ResourceGroupId, example
		// "rg-acfmxazdjdhd****"; error IllegalParam.ResourceGroupId "The
		// specified resource group is invalid or does not exist."),
		// api-spec §1.1. No length or character set is documented, so none
		// is checked here; the flowlogtest emulator applies the same rule
		// (rules_alibaba_test.go runs both over one table).
		if rg := a.ResourceGroupID; rg != "" && (len(rg) <= len("rg-") || !strings.HasPrefix(rg, "rg-")) {
			c.Invalid("Alibaba.ResourceGroupID", "must be rg- followed by the group's ID, got %q", rg)
		}
	}
	return c.Errs
}

// status maps a described flow log to the neutral model (api-spec §8.3):
// the state, where a pending one is settling (StatusUnknown when the status
// does not say) and why a failed one failed. Statuses are compared
// case-insensitively: the docs also write "InActive".
func status(f *vpc.FlowLog) (st, settling driver.Status, reason string) {
	switch strings.ToLower(f.Status) {
	case "activating":
		return driver.StatusPending, driver.StatusActive, ""
	case "modifying": // back to Active or Inactive, whichever it was
		return driver.StatusPending, driver.StatusUnknown, ""
	case "deactivating":
		return driver.StatusPending, driver.StatusInactive, ""
	case "deleting":
		return driver.StatusPending, driver.StatusDeleted, ""
	case "active":
		if strings.EqualFold(f.BusinessStatus, "FinancialLocked") {
			return driver.StatusFailed, driver.StatusUnknown, "business status FinancialLocked"
		}
		if strings.EqualFold(f.FlowLogDeliverStatus, "FAILED") {
			return driver.StatusFailed, driver.StatusUnknown, "delivery failed: " + f.FlowLogDeliverErrorMessage
		}
		return driver.StatusActive, driver.StatusUnknown, ""
	case "inactive":
		return driver.StatusInactive, driver.StatusUnknown, ""
	}
	return driver.StatusFailed, driver.StatusUnknown, "unknown status " + f.Status
}

// statusFilter is DescribeFlowLogs' Status for a neutral state, where one
// raw status holds every flow log in that state. Active also holds failed
// ones (delivery failed, account locked); the client filters those out.
// Pending spans several statuses and failed has no status of its own: those
// are filtered by the client only.
var statusFilter = map[driver.Status]string{
	driver.StatusActive:   "Active",
	driver.StatusInactive: "Inactive",
}

func toFlowLog(f *vpc.FlowLog) *driver.FlowLog {
	st, settling, reason := status(f)
	fl := &driver.FlowLog{
		ID:                  f.FlowLogId,
		Provider:            Name,
		Region:              f.RegionId,
		Name:                f.FlowLogName,
		Description:         f.Description,
		Status:              st,
		RawStatus:           f.Status,
		StatusReason:        reason,
		Settling:            settling,
		Resource:            driver.Resource{Kind: kindOf(f.ResourceType), ID: f.ResourceId},
		TrafficType:         trafficOf(f.TrafficType),
		Destination:         alirpc.Destination(f.ProjectName, f.LogStoreName),
		AggregationInterval: time.Duration(f.AggregationInterval) * time.Minute,
		CreatedAt:           alirpc.CreationTime(f.CreationTime),
		Tags: alirpc.Tags(f.Tags.Tag, func(t vpc.Tag) (string, string) {
			if t.Key == "" { // older responses use TagKey/TagValue
				return t.TagKey, t.TagValue
			}
			return t.Key, t.Value
		}),
		Alibaba: alibabaOptions(f),
		Raw:     *f,
	}
	return fl
}

// alibabaOptions returns the VPC settings f reports, or nil when it
// reports none of them (a response of an older API version): the client
// then knows it cannot confirm a spec's settings, instead of reading the
// missing ones as different.
func alibabaOptions(f *vpc.FlowLog) *driver.AlibabaOptions {
	if f.IpVersion == "" && f.ResourceGroupId == "" && len(f.TrafficPath.TrafficPathList) == 0 {
		return nil
	}
	a := &driver.AlibabaOptions{IPVersion: f.IpVersion, ResourceGroupID: f.ResourceGroupId}
	for _, p := range f.TrafficPath.TrafficPathList {
		a.TrafficPaths = append(a.TrafficPaths, driver.AlibabaTrafficPath(p))
	}
	return a
}

func kindOf(resourceType string) driver.ResourceKind {
	for k, v := range resourceTypes {
		if strings.EqualFold(v, resourceType) {
			return k
		}
	}
	return driver.ResourceKind(resourceType)
}

func trafficOf(t string) driver.TrafficType {
	for k, v := range trafficTypes {
		if strings.EqualFold(v, t) {
			return k
		}
	}
	return driver.TrafficType(t)
}
