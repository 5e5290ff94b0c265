package flowlog

import (
	"slices"
	"strings"
)

// Differences lists the fields of spec that fl does not have as the spec
// says, by their FlowLogSpec names. Fields the spec leaves empty (name,
// description, interval, each provider knob) accept whatever the provider
// chose; tags must all be present with the same values, extra tags are
// allowed. A field the provider does not report cannot differ: Unconfirmed
// lists those.
func Differences(spec FlowLogSpec, fl *FlowLog) []string {
	var diff []string
	if fl.Resource.Kind != spec.Resource.Kind || fl.Resource.ID != spec.Resource.ID {
		diff = append(diff, "Resource")
	}
	if spec.Resource.NetworkID != "" && fl.Resource.NetworkID != "" && fl.Resource.NetworkID != spec.Resource.NetworkID {
		diff = append(diff, "Resource.NetworkID")
	}
	if spec.Name != "" && fl.Name != spec.Name {
		diff = append(diff, "Name")
	}
	if spec.Description != "" && fl.Description != spec.Description {
		diff = append(diff, "Description")
	}
	want := spec.TrafficType
	if want == "" {
		want = TrafficAll
	}
	if fl.TrafficType != "" && fl.TrafficType != want {
		diff = append(diff, "TrafficType")
	}
	if !sameDestination(spec.Destination, fl.Destination) {
		diff = append(diff, "Destination")
	}
	if spec.AggregationInterval != 0 && fl.AggregationInterval != spec.AggregationInterval {
		diff = append(diff, "AggregationInterval")
	}
	for k, v := range spec.Tags {
		if got, ok := fl.Tags[k]; !ok || got != v {
			diff = append(diff, "Tags["+k+"]")
		}
	}
	if want, got := spec.Alibaba, fl.Alibaba; want != nil && got != nil {
		if len(want.TrafficPaths) > 0 && !samePaths(want.TrafficPaths, got.TrafficPaths) {
			diff = append(diff, "Alibaba.TrafficPaths")
		}
		if want.IPVersion != "" && !strings.EqualFold(got.IPVersion, want.IPVersion) {
			diff = append(diff, "Alibaba.IPVersion")
		}
		if want.ResourceGroupID != "" && got.ResourceGroupID != want.ResourceGroupID {
			diff = append(diff, "Alibaba.ResourceGroupID")
		}
	}
	slices.Sort(diff)
	return diff
}

// Unconfirmed lists the fields spec sets that fl does not report, so that
// neither Differences nor a caller can tell whether they match: a flow log
// described without its Alibaba settings (FlowLog.Alibaba nil) cannot
// confirm a spec's Alibaba.IPVersion, say. Create and Ensure put this list
// in FlowLog.Unconfirmed of a flow log they adopt.
func Unconfirmed(spec FlowLogSpec, fl *FlowLog) []string {
	var out []string
	if a := spec.Alibaba; a != nil && fl.Alibaba == nil {
		if len(a.TrafficPaths) > 0 {
			out = append(out, "Alibaba.TrafficPaths")
		}
		if a.IPVersion != "" {
			out = append(out, "Alibaba.IPVersion")
		}
		if a.ResourceGroupID != "" {
			out = append(out, "Alibaba.ResourceGroupID")
		}
	}
	return out
}

// samePaths compares traffic paths as sets.
func samePaths(want, got []AlibabaTrafficPath) bool {
	a, b := slices.Clone(want), slices.Clone(got)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

func sameDestination(want, got Destination) bool {
	switch {
	case want.SLS != nil:
		return got.SLS != nil && *got.SLS == *want.SLS
	case want.CLS != nil:
		return got.CLS != nil && got.CLS.TopicID == want.CLS.TopicID &&
			(want.CLS.Region == "" || got.CLS.Region == "" || got.CLS.Region == want.CLS.Region)
	case want.CKafka != nil:
		return got.CKafka != nil && *got.CKafka == *want.CKafka
	}
	return true
}
