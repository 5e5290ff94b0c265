package flowlog_test

import (
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
)

// The records a service sees: a create and a drift at Info, a failed wait
// at Debug with its codes, in one attribute vocabulary.
func TestLogRecordsOfCreateDriftAndFailedWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		drop := func(r map[string]any) map[string]any {
			delete(r, "time")
			delete(r, "elapsed")
			return r
		}
		spec := validSpec()

		log, logs := newLogger()
		p := newFake(missing())
		c := flowlog.NewClient(p, flowlog.WithLogger(log))
		fl, err := c.Create(t.Context(), spec)
		require.NoError(t, err)
		_, err = c.Wait(t.Context(), region, fl.ID, flowlog.NotFoundGrace(0))
		require.ErrorIs(t, err, flowlog.ErrNotFound)

		theirs := &flowlog.FlowLog{ID: "fl-theirs", Name: spec.Name, Resource: spec.Resource, TrafficType: flowlog.TrafficReject,
			Destination: spec.Destination, Tags: spec.Tags, Status: flowlog.StatusActive}
		p.listed = []*flowlog.FlowLog{theirs}
		_, err = c.Ensure(t.Context(), spec)
		require.Error(t, err)

		recs := logs.records(t)
		require.Len(t, recs, 3)
		assert.Equal(t, map[string]any{"level": "INFO", "msg": "flowlog created", "provider": "fake", "region": region,
			"resource": "vpc-1", "id": fl.ID, "status": "pending", "raw_status": "Activating"}, drop(recs[0]))

		wait := drop(recs[1])
		assert.Equal(t, "DEBUG", wait["level"])
		assert.Equal(t, "flowlog wait failed", wait["msg"])
		assert.Equal(t, fl.ID, wait["id"])
		assert.Equal(t, "not found", wait["code"], "a failed wait names its code")
		assert.Contains(t, wait["error"], "not found")
		details, ok := wait["details"].(map[string]any)
		require.True(t, ok, "details: %v", wait["details"])
		assert.Equal(t, "active", details["want"])
		assert.Equal(t, 1.0, details["polls"])

		assert.Equal(t, map[string]any{"level": "INFO", "msg": "flowlog drift", "provider": "fake", "region": region,
			"resource": "vpc-1", "id": "fl-theirs", "fields": []any{"TrafficType"}, "policy": "report"}, drop(recs[2]))
	})
}

// A Deactivate whose outcome is unknown is a Warn record, as every unknown
// outcome is: the service must look before it acts again.
func TestUnknownDeactivateIsWarned(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lost := &driver.Error{Code: driver.CodeUnavailable, Provider: "fake", Op: "SetEnabled", Retry: driver.RetryAmbiguous, Message: "response lost"}
		down := &driver.Error{Code: driver.CodeUnavailable, Provider: "fake", Op: "Describe", Retry: driver.RetryNever, Message: "down"}
		p := newFake(active(), failing(down))
		p.setErr = lost
		log, logs := newLogger()
		c := flowlog.NewClient(p, flowlog.WithLogger(log), flowlog.WithRetry(flowlog.MaxAttempts(1)))
		_, err := c.Deactivate(t.Context(), region, "fl-1")
		require.ErrorIs(t, err, flowlog.ErrUnknownOutcome)
		var warned []map[string]any
		for _, r := range logs.records(t) {
			if r["level"] == "WARN" {
				warned = append(warned, r)
			}
		}
		require.Len(t, warned, 1)
		assert.Equal(t, "flowlog outcome unknown", warned[0]["msg"])
		assert.Equal(t, "fl-1", warned[0]["id"])
	})
}
