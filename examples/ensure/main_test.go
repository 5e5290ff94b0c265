package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/flowlog"
)

func runEnsure(t *testing.T, cfg config) (result, string) {
	t.Helper()
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := run(ctx, cfg, &out)
	require.NoError(t, err, out.String())
	return res, out.String()
}

// assertOnePerResource checks that after the round every desired resource
// has exactly one flow log on the server.
func assertOnePerResource(t *testing.T, rd round) {
	t.Helper()
	require.Len(t, rd.FlowLogsOn, len(rd.Items))
	for eni, n := range rd.FlowLogsOn {
		assert.Equal(t, 1, n, eni)
	}
}

func TestEnsureAgainstEmbeddedEmulator(t *testing.T) {
	res, text := runEnsure(t, defaults())
	require.Len(t, res.Rounds, 2)
	assert.Contains(t, text, "mode: embedded emulator")

	// Round 1 creates the 5 desired flow logs.
	r1 := res.Rounds[0]
	assert.Equal(t, 5, r1.Created)
	assert.Equal(t, 0, r1.Adopted+r1.Updated+r1.Replaced+r1.Drifted+r1.Errors)
	assert.Equal(t, 5, r1.CreateCalls)
	assertOnePerResource(t, r1)
	for _, it := range r1.Items {
		assert.Equal(t, flowlog.OutcomeCreated, it.Outcome, it.Resource)
	}

	// Round 2 applies the spec change in place: the same 5 flow logs,
	// one modify each, no create; and it reports the drift on the sixth
	// resource, whose hand-made flow log (no owner tag) it leaves alone.
	r2 := res.Rounds[1]
	assert.Equal(t, 0, r2.Created)
	assert.Equal(t, 0, r2.CreateCalls, "no CreateFlowLog may reach the server in round 2")
	assert.Equal(t, 5, r2.Updated)
	assert.Equal(t, 5, r2.ModifyCalls)
	assert.Equal(t, 1, r2.Drifted)
	assert.Equal(t, 0, r2.Errors+r2.Adopted+r2.Replaced)
	assertOnePerResource(t, r2)
	require.Len(t, r2.Items, 6)
	for i, it := range r2.Items[:5] {
		assert.Equal(t, flowlog.OutcomeUpdated, it.Outcome, it.Resource)
		assert.Equal(t, r1.Items[i].FlowLog, it.FlowLog, "round 2 changes round 1's flow log in place")
	}
	drift := r2.Items[5]
	assert.Equal(t, flowlog.OutcomeDriftReported, drift.Outcome)
	assert.Equal(t, res.DriftResource, drift.Resource)
	assert.Equal(t, res.DriftFlowLog, drift.FlowLog)
	require.NotNil(t, drift.Drift)
	assert.Equal(t, []string{"Name"}, drift.Drift.Fields)
	assert.True(t, drift.Drift.Unowned, "the hand-made flow log has no owner tag")
	assert.ErrorIs(t, drift.Err, flowlog.ErrAlreadyExists)
	require.Len(t, res.DriftAfter, 1, "the drifted resource keeps its one flow log")
	assert.Equal(t, res.DriftFlowLog, res.DriftAfter[0].FlowLogID)
	assert.Equal(t, "made-by-hand", res.DriftAfter[0].FlowLogName)

	assert.Regexp(t, `eni-\S+ +drift reported: fields Name \(not ours: no owner tag\) +fl-\S+ \(named "made-by-hand"\) +1\n`, text)
	assert.Contains(t, text, "0 created, 0 adopted, 5 updated, 0 replaced, 1 drift reported, 0 errors; "+
		"calls that reached the server: 0 CreateFlowLog, 5 ModifyFlowLogAttribute")
	assert.Contains(t, text, "nothing was changed")
	assert.Equal(t, 5, res.Deleted)
}

// With -drift report the spec change is only reported; with -drift replace
// the 5 flow logs are deleted and created again.
func TestEnsureDriftPolicies(t *testing.T) {
	cfg := defaults()
	cfg.drift = "report"
	res, _ := runEnsure(t, cfg)
	r2 := res.Rounds[1]
	assert.Equal(t, 6, r2.Drifted)
	assert.Equal(t, 0, r2.ModifyCalls+r2.CreateCalls)

	cfg.drift = "replace"
	res, _ = runEnsure(t, cfg)
	r2 = res.Rounds[1]
	assert.Equal(t, 5, r2.Replaced)
	assert.Equal(t, 1, r2.Drifted, "the unowned flow log is not replaced")
	assert.Equal(t, 5, r2.CreateCalls)
	assertOnePerResource(t, r2)
	for i, it := range r2.Items[:5] {
		assert.NotEqual(t, res.Rounds[0].Items[i].FlowLog, it.FlowLog, "a new flow log")
	}
	assert.Equal(t, 5, res.Deleted, "the replacements, not the replaced")

	cfg.drift = "sometimes"
	_, err := run(context.Background(), cfg, &bytes.Buffer{})
	assert.ErrorContains(t, err, `-drift "sometimes"`)
}

func TestEnsureManyRounds(t *testing.T) {
	cfg := defaults()
	cfg.rounds = 4
	cfg.Keep = true
	res, text := runEnsure(t, cfg)
	require.Len(t, res.Rounds, 4)
	assert.Equal(t, 5, res.Rounds[0].Created)
	assert.Equal(t, 5, res.Rounds[1].Updated)
	for i, rd := range res.Rounds {
		assertOnePerResource(t, rd)
		if i == 0 {
			continue
		}
		assert.Equal(t, 0, rd.Created, "round %d", i+1)
		assert.Equal(t, 0, rd.CreateCalls, "round %d", i+1)
		if i > 1 {
			assert.Equal(t, 5, rd.Adopted, "round %d", i+1)
			assert.Equal(t, 0, rd.ModifyCalls, "round %d: the change is applied once", i+1)
		}
	}
	assert.Equal(t, 0, res.Rounds[2].Drifted, "no drift before the last round")
	assert.Equal(t, 1, res.Rounds[3].Drifted)
	assert.Equal(t, 0, res.Deleted)
	assert.Contains(t, text, "kept (-keep)")
}

func TestEnsureLiveNeedsENIs(t *testing.T) {
	cfg := defaults()
	cfg.Live = true
	_, err := run(context.Background(), cfg, &bytes.Buffer{})
	assert.ErrorContains(t, err, "-enis")
}
