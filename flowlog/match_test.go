package flowlog_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/cloudflowlog/flowlog-go/flowlog"
)

func TestDifferences(t *testing.T) {
	spec := validSpec()
	spec.Description = "audit"
	spec.AggregationInterval = 5 * time.Minute
	same := &flowlog.FlowLog{
		Name: spec.Name, Description: spec.Description, Resource: spec.Resource, TrafficType: flowlog.TrafficAll,
		Destination:         flowlog.Destination{SLS: &flowlog.SLSDestination{Project: spec.Destination.SLS.Project, LogStore: spec.Destination.SLS.LogStore}},
		AggregationInterval: spec.AggregationInterval, Tags: map[string]string{"team": "net", "more": "fine"},
	}
	assert.Empty(t, flowlog.Differences(spec, same), "equal values, extra tags allowed")

	other := *same
	other.Name, other.TrafficType, other.AggregationInterval = "x", flowlog.TrafficReject, time.Minute
	other.Destination = flowlog.Destination{SLS: &flowlog.SLSDestination{Project: "other", LogStore: "s"}}
	other.Tags = map[string]string{"team": "web"}
	assert.Equal(t, []string{"AggregationInterval", "Destination", "Name", "Tags[team]", "TrafficType"}, flowlog.Differences(spec, &other))

	// What the spec leaves open accepts the provider's choice.
	open := validSpec()
	open.Name, open.AggregationInterval, open.TrafficType = "", 0, ""
	assert.Empty(t, flowlog.Differences(open, same))

	cls := flowlog.FlowLogSpec{Resource: spec.Resource, Destination: flowlog.Destination{CLS: &flowlog.CLSDestination{TopicID: "t"}}}
	got := &flowlog.FlowLog{Resource: spec.Resource, Destination: flowlog.Destination{CLS: &flowlog.CLSDestination{TopicID: "t", Region: "ap-guangzhou"}}}
	assert.Empty(t, flowlog.Differences(cls, got), "an unset CLS region is the provider's default")
	got.Resource.ID = "vpc-other"
	assert.Equal(t, []string{"Resource"}, flowlog.Differences(cls, got))
}
