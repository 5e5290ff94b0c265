package flowlog_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/flowlog"
)

// fieldNames returns the Field of each FieldError of err, a *ValidationError.
func fieldNames(t *testing.T, err error) []string {
	t.Helper()
	var v *flowlog.ValidationError
	require.ErrorAs(t, err, &v)
	names := make([]string, len(v.Fields))
	for i, f := range v.Fields {
		names[i] = f.Field
	}
	return names
}

func TestValidateNeutralRules(t *testing.T) {
	tests := []struct {
		name   string
		mod    func(*flowlog.FlowLogSpec)
		fields []string // nil: valid
		reason string   // a part of the first field's reason
	}{
		{name: "valid", mod: func(*flowlog.FlowLogSpec) {}},
		{name: "valid with every resource kind", mod: func(s *flowlog.FlowLogSpec) {
			s.Resource.Kind = flowlog.ResourceTransitRouterAttachment
		}},
		{name: "empty traffic type means all", mod: func(s *flowlog.FlowLogSpec) { s.TrafficType = "" }},
		{name: "accept", mod: func(s *flowlog.FlowLogSpec) { s.TrafficType = flowlog.TrafficAccept }},
		{name: "reject", mod: func(s *flowlog.FlowLogSpec) { s.TrafficType = flowlog.TrafficReject }},
		{name: "zero interval is the default", mod: func(s *flowlog.FlowLogSpec) { s.AggregationInterval = 0 }},
		{name: "positive interval", mod: func(s *flowlog.FlowLogSpec) { s.AggregationInterval = time.Minute }},
		{name: "no tags", mod: func(s *flowlog.FlowLogSpec) { s.Tags = nil }},
		{name: "CLS destination", mod: func(s *flowlog.FlowLogSpec) {
			s.Destination = flowlog.Destination{CLS: &flowlog.CLSDestination{TopicID: "t"}}
		}},
		{name: "CKafka destination", mod: func(s *flowlog.FlowLogSpec) {
			s.Destination = flowlog.Destination{CKafka: &flowlog.CKafkaDestination{InstanceID: "ck-1", Topic: "t"}}
		}},

		{name: "region missing", mod: func(s *flowlog.FlowLogSpec) { s.Region = "" },
			fields: []string{"Region"}, reason: "is required"},
		{name: "region blank", mod: func(s *flowlog.FlowLogSpec) { s.Region = " \t" },
			fields: []string{"Region"}, reason: "is required"},
		{name: "resource kind missing", mod: func(s *flowlog.FlowLogSpec) { s.Resource.Kind = "" },
			fields: []string{"Resource.Kind"}, reason: "is required"},
		{name: "resource kind unknown", mod: func(s *flowlog.FlowLogSpec) { s.Resource.Kind = "LoadBalancer" },
			fields: []string{"Resource.Kind"}, reason: `unknown kind "LoadBalancer"`},
		{name: "resource ID missing", mod: func(s *flowlog.FlowLogSpec) { s.Resource.ID = "" },
			fields: []string{"Resource.ID"}, reason: "is required"},
		{name: "resource ID blank", mod: func(s *flowlog.FlowLogSpec) { s.Resource.ID = "  " },
			fields: []string{"Resource.ID"}, reason: "is required"},
		{name: "traffic type unknown", mod: func(s *flowlog.FlowLogSpec) { s.TrafficType = "ALL" },
			fields: []string{"TrafficType"}, reason: `not "ALL"`},
		{name: "no destination", mod: func(s *flowlog.FlowLogSpec) { s.Destination = flowlog.Destination{} },
			fields: []string{"Destination"}, reason: "exactly one"},
		{name: "two destinations", mod: func(s *flowlog.FlowLogSpec) {
			s.Destination.CLS = &flowlog.CLSDestination{TopicID: "t"}
		}, fields: []string{"Destination"}, reason: "exactly one"},
		{name: "SLS project missing", mod: func(s *flowlog.FlowLogSpec) { s.Destination.SLS.Project = "" },
			fields: []string{"Destination.SLS.Project"}, reason: "is required"},
		{name: "SLS logstore missing", mod: func(s *flowlog.FlowLogSpec) { s.Destination.SLS.LogStore = "" },
			fields: []string{"Destination.SLS.LogStore"}, reason: "is required"},
		{name: "CLS topic missing", mod: func(s *flowlog.FlowLogSpec) {
			s.Destination = flowlog.Destination{CLS: &flowlog.CLSDestination{Region: "ap-guangzhou"}}
		}, fields: []string{"Destination.CLS.TopicID"}, reason: "is required"},
		{name: "CKafka instance missing", mod: func(s *flowlog.FlowLogSpec) {
			s.Destination = flowlog.Destination{CKafka: &flowlog.CKafkaDestination{Topic: "t"}}
		}, fields: []string{"Destination.CKafka.InstanceID"}, reason: "is required"},
		{name: "CKafka topic missing", mod: func(s *flowlog.FlowLogSpec) {
			s.Destination = flowlog.Destination{CKafka: &flowlog.CKafkaDestination{InstanceID: "ck-1"}}
		}, fields: []string{"Destination.CKafka.Topic"}, reason: "is required"},
		{name: "negative interval", mod: func(s *flowlog.FlowLogSpec) { s.AggregationInterval = -time.Second },
			fields: []string{"AggregationInterval"}, reason: "negative"},
		{name: "empty tag key", mod: func(s *flowlog.FlowLogSpec) { s.Tags = map[string]string{"": "v", "a": "b"} },
			fields: []string{"Tags"}, reason: "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newFake()
			c := flowlog.NewClient(p)
			spec := validSpec()
			tt.mod(&spec)
			err := c.Validate(spec)
			if tt.fields == nil {
				require.NoError(t, err)
				assert.Equal(t, 1, p.validateCalls, "provider rules run after the neutral ones pass")
				return
			}
			require.Error(t, err)
			assert.Equal(t, tt.fields, fieldNames(t, err))
			assert.ErrorIs(t, err, flowlog.ErrInvalidArgument)
			assert.NotErrorIs(t, err, flowlog.ErrUnsupported)
			var v *flowlog.ValidationError
			require.ErrorAs(t, err, &v)
			assert.Equal(t, "fake", v.Provider)
			assert.Equal(t, flowlog.CodeInvalidArgument, v.Fields[0].Code)
			assert.Contains(t, v.Fields[0].Reason, tt.reason)
			assert.Equal(t, 1, p.validateCalls, "provider rules run even when neutral rules fail")
		})
	}
}

func TestValidateListsEveryBadField(t *testing.T) {
	p := newFake()
	c := flowlog.NewClient(p)
	spec := flowlog.FlowLogSpec{
		Resource:            flowlog.Resource{Kind: "Bogus"},
		TrafficType:         "some",
		Destination:         flowlog.Destination{SLS: &flowlog.SLSDestination{}, CKafka: &flowlog.CKafkaDestination{}},
		AggregationInterval: -1,
		Tags:                map[string]string{"": ""},
	}
	err := c.Validate(spec)
	require.Error(t, err)
	want := []string{
		"Region", "Resource.Kind", "Resource.ID", "TrafficType",
		"Destination.SLS.Project", "Destination.SLS.LogStore",
		"Destination.CKafka.InstanceID", "Destination.CKafka.Topic",
		"Destination", "AggregationInterval", "Tags",
	}
	assert.Equal(t, want, fieldNames(t, err))
	for _, f := range want {
		assert.Contains(t, err.Error(), f+": ")
	}
	assert.True(t, strings.HasPrefix(err.Error(), "flowlog: invalid fake spec: "), err.Error())
	assert.Equal(t, 1, p.validateCalls)
}

// A failed neutral rule does not hide the provider's rules: one error lists
// both, each field once.
func TestValidateListsNeutralAndProviderFieldsTogether(t *testing.T) {
	p := newFake()
	p.validate = func(*flowlog.FlowLogSpec) []flowlog.FieldError {
		return []flowlog.FieldError{
			{Field: "Name", Code: flowlog.CodeInvalidArgument, Reason: "too long"},
			{Field: "Region", Code: flowlog.CodeInvalidArgument, Reason: "said twice"},
		}
	}
	spec := validSpec()
	spec.Region = "cn-hangzhou\r\nX-Injected: 1"
	err := flowlog.NewClient(p).Validate(spec)
	assert.Equal(t, []string{"Region", "Name"}, fieldNames(t, err))
	assert.NotContains(t, err.Error(), "said twice")
}

func TestValidateProviderRules(t *testing.T) {
	p := newFake()
	var seen *flowlog.FlowLogSpec
	p.validate = func(s *flowlog.FlowLogSpec) []flowlog.FieldError {
		seen = s
		return []flowlog.FieldError{
			{Field: "Alibaba", Code: flowlog.CodeUnsupported, Reason: "fake has no Alibaba options"},
			{Field: "Name", Code: flowlog.CodeInvalidArgument, Reason: "too long"},
		}
	}
	c := flowlog.NewClient(p)
	spec := validSpec()
	spec.Alibaba = &flowlog.AlibabaOptions{IPVersion: "IPv4"}
	err := c.Validate(spec)
	require.Error(t, err)
	assert.Equal(t, []string{"Alibaba", "Name"}, fieldNames(t, err))
	assert.ErrorIs(t, err, flowlog.ErrUnsupported)
	assert.ErrorIs(t, err, flowlog.ErrInvalidArgument)
	assert.Equal(t, flowlog.CodeUnsupported, flowlog.ErrorCode(err))
	assert.Equal(t, 1, p.validateCalls)
	require.NotNil(t, seen)
	assert.Equal(t, flowlog.DefaultOwner, seen.Tags[flowlog.OwnerTagKey], "the provider checks the spec as sent, owner tag and all")
	seen.Tags = spec.Tags
	assert.Equal(t, spec, *seen, "the provider sees the caller's spec")
}

func TestCreateSendsNothingWhenValidationFails(t *testing.T) {
	ctx := context.Background()
	t.Run("neutral rule", func(t *testing.T) {
		p := newFake(active())
		c := flowlog.NewClient(p)
		spec := validSpec()
		spec.Region = ""
		fl, err := c.Create(ctx, spec)
		assert.Nil(t, fl)
		assert.ErrorIs(t, err, flowlog.ErrInvalidArgument)
		fl, err = c.CreateAndWait(ctx, spec)
		assert.Nil(t, fl)
		assert.ErrorIs(t, err, flowlog.ErrInvalidArgument)
		assert.Zero(t, p.createCalls)
		assert.Zero(t, p.describeCalls())
	})
	t.Run("provider rule", func(t *testing.T) {
		p := newFake(active())
		p.validate = func(*flowlog.FlowLogSpec) []flowlog.FieldError {
			return []flowlog.FieldError{{Field: "Alibaba", Code: flowlog.CodeUnsupported, Reason: "no"}}
		}
		c := flowlog.NewClient(p)
		_, err := c.Create(ctx, validSpec())
		assert.ErrorIs(t, err, flowlog.ErrUnsupported)
		_, err = c.CreateAndWait(ctx, validSpec())
		assert.ErrorIs(t, err, flowlog.ErrUnsupported)
		assert.Equal(t, 2, p.validateCalls)
		assert.Zero(t, p.createCalls)
		assert.Zero(t, p.describeCalls())
	})
}

func TestValidateAcceptsEveryResourceKind(t *testing.T) {
	kinds := []flowlog.ResourceKind{
		flowlog.ResourceNetworkInterface, flowlog.ResourceSubnet, flowlog.ResourceVPC,
		flowlog.ResourceCloudConnectNetwork, flowlog.ResourceNATGateway, flowlog.ResourceDirectConnectGateway,
		flowlog.ResourceTransitRouter, flowlog.ResourceTransitRouterAttachment,
	}
	c := flowlog.NewClient(newFake())
	for _, k := range kinds {
		spec := validSpec()
		spec.Resource.Kind = k
		assert.NoError(t, c.Validate(spec), string(k))
	}
}
