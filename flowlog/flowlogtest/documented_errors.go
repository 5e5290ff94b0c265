package flowlogtest

import (
	"maps"
	"net/http"
	"slices"
)

// The error codes each action's reference documents, with their documented
// messages, for FaultDocumentedError. The emulator produces many of them
// from its state and parameter checks (doc.go lists the scenarios); the
// others depend on what it does not model, such as the caller being a RAM
// user, a resource shared by another account or the state of a tag
// service, and are reached by injecting them.

// documentedErrorTable is the documented errors of one action: the HTTP
// status they are answered with and each code's message.
type documentedErrorTable struct {
	status   int // Alibaba's documented status; Tencent answers every error with 200
	messages map[string]string
}

// documentedErrors holds the documented errors per product-qualified action
// (the names of FaultRule.Action).
var documentedErrors = map[string]documentedErrorTable{
	// Seed 004 (VPC CreateFlowLog, 2016-04-28), its "Error codes" table,
	// every one HTTP 400, with the documented error message.
	"Vpc.CreateFlowLog": {status: http.StatusBadRequest, messages: map[string]string{
		"IncorrectBusinessStatus.FlowLog":                               "The business status of flowLog is incorrect.",
		"OptInRequired.FlowLog":                                         "You are not authorized to use the requested service of flowLog. Ensure that you have subscribed to the service you are trying to use.",
		"OperationUnsupported.AdvancedFeature":                          "Advanced features of the vpc is unsupported.",
		"InvalidInstanceId":                                             "vswitch does not exist.",
		"ProjectOrLogstoreNotExist":                                     "The specified project or logstore does not exist.",
		"SourceProjectNotExist":                                         "The Source Project or logstore does not exist.",
		"Unauthorized":                                                  "This api does not support sub user or role.",
		"OperationUnsupported.action":                                   "This action is not support.",
		"ParameterInvalid":                                              "Invalid parameter.",
		"RuleExist":                                                     "The rule has already existed.",
		"InvalidHdMonitorStatus":                                        "Current instance status is not valid for this action.",
		"QuotaExceeded.FlowlogCount":                                    "This user has reached the maximum instance number of flowlog.",
		"InvalidResourceId.NotFound":                                    "This resourceId already has flowlog instance existed.",
		"INVALID_PARAMETER":                                             "The parameter invalid.",
		"MissingParameter":                                              "Missing mandatory parameter",
		"InvalidRegionId.NotFound":                                      "The RegionId provided does not exist in our records.",
		"InvalidResourceType.NotFound":                                  "Resource type no the same.",
		"OperationUnsupported.ResourceType":                             "This resource type is not supported.",
		"IllegalParam.AggregationInterval":                              "The param of aggregationInterval is illegal.",
		"UnsupportedFeature.UserDefinedTrafficPath":                     "The feature of UserDefinedTrafficPath is not supported.",
		"IllegalParam.TrafficPath":                                      "The param of trafficPath is illegal.",
		"DuplicatedParam.TrafficPath":                                   "The param of trafficPath is duplicated.",
		"IllegalParam.ResourceGroupId":                                  "Invalid ResourceGroupld value.",
		"OperationDenied.OperateShareResource":                          "The operation is not allowed because of OperateShareResource.",
		"UnsupportedFeature.IpVersion":                                  "The ipversion type is not supported.",
		"UnsupportedFeature.VpcAdvancedFeature":                         "The VPC does not support some advanced features.",
		"OperationFailed.EniTypeNotSupport":                             "Operation failed because the ENI type is not supported.",
		"IllegalParam.IpVersion":                                        "The parameter of IpVersion is illegal.",
		"OperationDenied.NisTrafficAnalyzerAggregationIntervalMismatch": "The sampling interval of the FlowLog is greater than the sampling interval of the NIS Traffic Analyzer.",
		"OperationDenied.NisTrafficAnalyzerNotFound":                    "The specified NIS Traffic Analyzer does not exist.",
		"OperationDenied.NisTrafficAnalyzerNotActive":                   "The specified NIS Traffic Analyzer is not enabled.",
		"OperationFailed.InternalError":                                 "The request processing has failed due to some unknown error.",
		"MissingParam.TrafficAnalyzerIdOrLogProjectOrLogStore":          "TrafficAnalyzerId and ProjectName and LogStoreName parameters are not passed in.",
		"OperationDenied.AllTrafficPathOfManagedExist":                  "The resource you specified has created a flow log instance that collects the traffic of all scenarios. You cannot create a flow log instance that collects only some scenarios.",
		"UnsupportedFeature.UserDefinedTrafficPathIpv6":                 "Dual-stack flow log instances do not support custom trafficPath.",
	}},
	// Seed 003 (Tencent VPC CreateFlowLog, 2017-03-12), its "Error Code"
	// table of business codes, with the documented description as the
	// message. Tencent errors are HTTP 200 with the error in Response.
	"Tencent.CreateFlowLog": {status: http.StatusOK, messages: map[string]string{
		"InternalError.CreateCkafkaRouteError":                         "Failed to create the Ckafka route. Please retry later.",
		"InternalError.ModuleError":                                    "Internal module error",
		"InvalidParameterValue.Duplicate":                              "The input parameter already exists.",
		"InvalidParameterValue.Empty":                                  "Missing parameters.",
		"InvalidParameterValue.Malformed":                              "Invalid input parameter format.",
		"InvalidParameterValue.Range":                                  "The parameter value is not in the specified range.",
		"InvalidParameterValue.TagDuplicateKey":                        "Duplicate tag keys.",
		"InvalidParameterValue.TagDuplicateResourceType":               "Duplicate tag resource type.",
		"InvalidParameterValue.TagInvalidKey":                          "Invalid tag key.",
		"InvalidParameterValue.TagInvalidKeyLen":                       "Invalid tag key length.",
		"InvalidParameterValue.TagInvalidVal":                          "Invalid tag key.",
		"InvalidParameterValue.TagKeyNotExists":                        "The tag key does not exist.",
		"InvalidParameterValue.TagNotAllocatedQuota":                   "Tags are not assigned quotas.",
		"InvalidParameterValue.TagNotExisted":                          "The Tag does not exist.",
		"InvalidParameterValue.TagNotSupportTag":                       "Unsupported tag.",
		"InvalidParameterValue.TagResourceFormatError":                 "Tag resource format error.",
		"InvalidParameterValue.TagTimestampExceeded":                   "Exceeded the quota of tag timestamp.",
		"InvalidParameterValue.TagValNotExists":                        "The tag value does not exist.",
		"LimitExceeded":                                                "Quota limit is reached.",
		"LimitExceeded.ActionLimited":                                  "Too often API invocations",
		"LimitExceeded.TagKeyExceeded":                                 "Reached the upper limit of tag keys.",
		"LimitExceeded.TagKeyPerResourceExceeded":                      "Reached the upper limit of tags keys per resource.",
		"LimitExceeded.TagNotEnoughQuota":                              "Insufficient tag quota.",
		"LimitExceeded.TagQuota":                                       "Exceeded the tag quota. Unable to create resources.",
		"LimitExceeded.TagQuotaExceeded":                               "Reached the upper limit of tag quota.",
		"LimitExceeded.TagTagsExceeded":                                "Reached the number limit of tag keys.",
		"ResourceNotFound":                                             "The resource does not exist.",
		"UnauthorizedOperation":                                        "Unauthorized operation.",
		"UnsupportedOperation.DpdkNatFlowLogOnlySupportAllTrafficType": "To create a DPDK NAT flow log, the collection type must be All.",
		"UnsupportedOperation.FlowLogInstanceExisted":                  "There is already a flow log created for the specified ResourceId.",
		"UnsupportedOperation.FlowLogsNotSupportKoInstanceEni":         "Unable to create a flow log: the current ENI is bound with a KO model.",
		"UnsupportedOperation.FlowLogsNotSupportNullInstanceEni":       "Unable to create a flow log: the current ENI is not bound to an instance.",
		"UnsupportedOperation.OnlySupportProfessionKafka":              "Only the Ckafka Pro Edition is supported.",
		"UnsupportedOperation.TagAllocate":                             "Tags are being assigned.",
		"UnsupportedOperation.TagFree":                                 "Tags are being released.",
		"UnsupportedOperation.TagNotPermit":                            "Unauthorized for this tag.",
		"UnsupportedOperation.TagSystemReservedTagKey":                 "The specified tag key is reserved for system usage.",
	}},
}

// DocumentedErrorCodes returns, sorted, the error codes that the reference
// of action documents and FaultDocumentedError can inject; action is
// product-qualified as in FaultRule.Action: "Vpc.CreateFlowLog" (seed 004's
// 35 codes) or "Tencent.CreateFlowLog" (seed 003's 37 business codes). It
// returns nil for any other action.
func DocumentedErrorCodes(action string) []string {
	if t, ok := documentedErrors[action]; ok {
		return slices.Sorted(maps.Keys(t.messages))
	}
	return nil
}

// documentedAPIError is the answer of FaultDocumentedError for code on
// action, or nil if action does not document code.
func documentedAPIError(action, code string) *apiError {
	t := documentedErrors[action]
	m, ok := t.messages[code]
	if !ok {
		return nil
	}
	return &apiError{Status: t.status, Code: code, Message: m}
}
