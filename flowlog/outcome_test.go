package flowlog_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
)

// A caller is never told "failed" about a flow log that may exist: after an
// attempt that may have been applied, a failing call looks once more,
// outside the retry budget, and says ErrUnknownOutcome when even that
// cannot tell (issue 11, defect 7).

var fastRetries = flowlog.WithRetry(flowlog.RetryDelays(time.Millisecond, time.Millisecond, time.Millisecond), flowlog.MaxAttempts(3))

func lostEveryTime(n int) []error {
	errs := make([]error, n)
	for i := range errs {
		errs[i] = lost
	}
	return errs
}

func TestAmbiguousCreateFindsWhatItMade(t *testing.T) {
	spec := validSpec()
	made := &flowlog.FlowLog{ID: "fl-made", Provider: "scripted", Region: spec.Region, Resource: spec.Resource, Name: spec.Name, Tags: spec.Tags,
		Destination: spec.Destination, Status: flowlog.StatusPending}
	for name, p := range map[string]driver.Provider{
		"with a token":    tokened{&scripted{creates: lostEveryTime(10), found: []*flowlog.FlowLog{made}}},
		"without a token": &scripted{creates: lostEveryTime(10), found: []*flowlog.FlowLog{made}},
	} {
		t.Run(name, func(t *testing.T) {
			for _, opt := range []flowlog.Option{fastRetries, flowlog.WithRetry(flowlog.RetryBudget(1))} {
				fl, err := flowlog.NewClient(p, opt).Create(t.Context(), spec)
				require.NoError(t, err, "the responses were lost, the flow log exists")
				assert.Equal(t, "fl-made", fl.ID)
			}
		})
	}
}

func TestAmbiguousCreateOfNothingFails(t *testing.T) {
	p := tokened{&scripted{creates: lostEveryTime(10)}}
	_, err := flowlog.NewClient(p, fastRetries).Create(t.Context(), validSpec())
	samePublic(t, lost, err, "the look-up found nothing: the create was not applied")
	assert.NotErrorIs(t, err, flowlog.ErrUnknownOutcome)
}

func TestAmbiguousCreateThatCannotBeSettledIsUnknown(t *testing.T) {
	unavailable := failure(flowlog.CodeUnavailable, driver.RetryAmbiguous, "ServiceUnavailable")
	p := tokened{&scripted{creates: lostEveryTime(10), findErr: unavailable}}
	spec := validSpec()
	spec.ClientToken = "token-1"
	_, err := flowlog.NewClient(p, fastRetries).Create(t.Context(), spec)
	require.ErrorIs(t, err, flowlog.ErrUnknownOutcome)
	assert.ErrorIs(t, err, flowlog.ErrUnavailable, "and still the code of the last attempt")
	var u *flowlog.UnknownOutcomeError
	require.ErrorAs(t, err, &u)
	assert.Equal(t, spec.Resource.ID, u.Resource)
	assert.Equal(t, "token-1", u.ClientToken)
	assert.Contains(t, err.Error(), spec.Resource.ID)
	assert.Contains(t, err.Error(), "token-1")
	assert.Equal(t, 3, p.findCalls, "a bounded look-up")

	// Canceled in the middle: no look-up can run, so the outcome is unknown.
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	p2 := tokened{&scripted{}}
	_, err = flowlog.NewClient(p2).Create(ctx, spec)
	assert.ErrorIs(t, err, context.Canceled, "canceled before anything was sent: plainly canceled")
	assert.NotErrorIs(t, err, flowlog.ErrUnknownOutcome)
}

func TestAmbiguousDeleteIsSettledByReading(t *testing.T) {
	p := &scripted{deletes: lostEveryTime(10), gone: true}
	require.NoError(t, flowlog.NewClient(p, fastRetries).Delete(t.Context(), region, "fl-1"),
		"the responses were lost; the flow log is gone")

	unavailable := failure(flowlog.CodeUnavailable, driver.RetryAmbiguous, "ServiceUnavailable")
	p = &scripted{deletes: lostEveryTime(10), gets: []error{unavailable, unavailable, unavailable}}
	err := flowlog.NewClient(p, fastRetries).Delete(t.Context(), region, "fl-1")
	require.ErrorIs(t, err, flowlog.ErrUnknownOutcome)
	var u *flowlog.UnknownOutcomeError
	require.ErrorAs(t, err, &u)
	assert.Equal(t, "fl-1", u.ID)
	assert.Equal(t, "Delete", u.Op)

	p = &scripted{deletes: lostEveryTime(10)}
	err = flowlog.NewClient(p, fastRetries).Delete(t.Context(), region, "fl-1")
	samePublic(t, lost, err, "still there and not deleting: the delete failed")
}
