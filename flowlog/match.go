package flowlog

import "slices"

// Differences lists the fields of spec that fl does not have as the spec
// says, by their FlowLogSpec names. Fields the spec leaves empty (name,
// description, interval) accept whatever the provider chose; tags must all
// be present with the same values, extra tags are allowed.
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
	slices.Sort(diff)
	return diff
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
