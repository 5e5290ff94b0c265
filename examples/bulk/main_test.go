package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/internal/testkit"
)

// testConfig is the default run with shorter emulator delays, so the test
// stays fast while flow logs still activate at spread-out times.
func testConfig() config {
	cfg := defaults()
	cfg.activationDelay = 10 * time.Millisecond
	cfg.activationJitter = 100 * time.Millisecond
	cfg.PollMax = 50 * time.Millisecond
	cfg.progressThrottle = 20 * time.Millisecond
	return cfg
}

func TestBulkAgainstEmbeddedEmulator(t *testing.T) {
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sum, err := run(ctx, testConfig(), &out)
	require.NoError(t, err, out.String())
	text := out.String()

	assert.Equal(t, 200, sum.Total)
	assert.Equal(t, 200, sum.Active)
	assert.Equal(t, 0, sum.Failed)
	assert.Empty(t, sum.Errors)

	// The bar's final state, then the summary.
	assert.Contains(t, text, "mode: embedded emulator")
	assert.Regexp(t, `enabling: 200 submitted, 0 failed 100% \[=+\] \(200/200\)`, text)
	assert.Regexp(t, `summary: 200 active, 0 failed of 200 in \d`, text)
	assert.Regexp(t, `deleting: 0 failed 100% \[=+\] \(200/200\)`, text)
	assert.Contains(t, text, "deleted 200 flow logs in ")
	assert.NotContains(t, text, "\x1b[", "the bar must not write terminal escapes")

	// Each ENI got exactly one flow log.
	require.Len(t, sum.FlowLogsPerENI, 200)
	for eni, n := range sum.FlowLogsPerENI {
		assert.Equal(t, 1, n, eni)
	}
	assert.Contains(t, text, "flow logs per ENI on the server: 200 of 200 ENIs have exactly one")

	// EnsureAll surveyed the region in a few pages (50 a page: the first
	// page, empty, says there is nothing), not a look-up per ENI; the 200
	// waits shared the poller: far fewer describe calls than waits.
	assert.Positive(t, sum.SurveyCalls)
	assert.LessOrEqual(t, sum.SurveyCalls, 200/50+2)
	assert.Positive(t, sum.PollerCalls)
	assert.Less(t, sum.PollerCalls, 200)
	assert.Equal(t, sum.SurveyCalls+sum.PollerCalls, sum.DescribeCalls)

	// Cleaned up.
	assert.Equal(t, 200, sum.Deleted)
	assert.Equal(t, 0, sum.Remaining)
}

func TestBulkKeep(t *testing.T) {
	cfg := testConfig()
	cfg.Count = 30
	cfg.Keep = true
	var out bytes.Buffer
	sum, err := run(context.Background(), cfg, &out)
	require.NoError(t, err, out.String())
	assert.Equal(t, 30, sum.Active)
	assert.Equal(t, 0, sum.Deleted)
	assert.Equal(t, 30, sum.Remaining)
	assert.Contains(t, out.String(), "kept (-keep)")
	assert.NotContains(t, out.String(), "deleting")
}

func TestBulkLiveNeedsENIs(t *testing.T) {
	cfg := defaults()
	cfg.Live = true
	_, err := run(context.Background(), cfg, &bytes.Buffer{})
	assert.ErrorContains(t, err, "-enis")
}

// Three replicas share one Redis limit: together they never go faster than
// it, and every spec still gets exactly one flow log.
func TestBulkReplicasShareOneLimitInRedis(t *testing.T) {
	cfg := testConfig()
	cfg.redisAddr = testkit.RedisAddr(t)
	cfg.replicas, cfg.rate, cfg.Count = 3, 40, 60
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sum, err := run(ctx, cfg, &out)
	require.NoError(t, err, out.String())
	assert.Equal(t, 60, sum.Active)
	for eni, n := range sum.FlowLogsPerENI {
		assert.Equal(t, 1, n, eni)
	}
	// 60 creates at most 40/s apart take at least 59/40 s: within 5%.
	assert.LessOrEqual(t, sum.CreateRate, 40*1.05, out.String())
	assert.Greater(t, sum.CreateRate, 0.0)
	assert.Contains(t, out.String(), "replicas: 3 clients sharing 40 requests/s per action through Redis")
	assert.Regexp(t, `aggregate: 60 creates in \S+, [\d.]+/s \(shared limit 40/s\), 0 throttle errors reached the callers`, out.String())
}

// -otel prints the spans of every create and of its attempts.
func TestBulkPrintsSpans(t *testing.T) {
	cfg := testConfig()
	cfg.otel, cfg.Count = true, 3
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := run(ctx, cfg, &out)
	require.NoError(t, err, out.String())
	assert.Equal(t, 3, strings.Count(out.String(), `"Name":"flowlog.Create"`), "one span per create")
	assert.GreaterOrEqual(t, strings.Count(out.String(), `"Name":"vpc/CreateFlowLog"`), 3, "and one per attempt")
	assert.Contains(t, out.String(), `"Key":"cloud.provider","Value":{"Type":"STRING","Value":"alibaba_cloud"}`)
}
