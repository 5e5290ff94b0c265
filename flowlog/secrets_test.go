package flowlog_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/internal/testkit"
)

// What the SDKs put into their texts, with distinctive values: the signed
// URL of a transport error and the string to sign of SignatureDoesNotMatch.
const (
	leakKeyID  = "LTAI5tLeakyKeyIdValue9"
	leakSig    = "c2lnbmF0dXJlLXNlY3JldA"
	leakToken  = "CAISleaky-token-value"
	signedURL  = `Post "https://vpc.aliyuncs.com/?AccessKeyId=` + leakKeyID + `&Action=CreateFlowLog&SecurityToken=` + leakToken + `&Signature=` + leakSig + `&Version=2016-04-28": dial tcp: i/o timeout`
	stringToSn = "server string to sign is:POST&%2F&AccessKeyId%3D" + leakKeyID + "%26Action%3DCreateFlowLog%26SecurityToken%3D" + leakToken + "%26Version%3D2016-04-28"
)

var leaks = []string{leakKeyID, leakSig, leakToken}

// sdkStructError is an error held by value whose fields hold the signed
// URL: the default %#v of a struct that wraps it would print them.
type sdkStructError struct{ URL string }

func (e sdkStructError) Error() string { return "request to " + e.URL + " failed" }

// sdkPtrError is the same held by pointer.
type sdkPtrError struct{ msg string }

func (e *sdkPtrError) Error() string { return e.msg }

// leakyError is a *flowlog.Error as a careless adapter might build it: the
// message not redacted, the raw SDK error wrapped.
func leakyError(wrapped error) *flowlog.Error {
	return &flowlog.Error{Code: flowlog.CodeUnauthenticated, Provider: "aliyun", Op: "CreateFlowLog",
		ProviderCode: "SignatureDoesNotMatch", Message: "Specified signature is not matched. " + stringToSn,
		RequestID: "req-1", HTTPStatus: 400, ID: "fl-1", Err: wrapped}
}

// TestErrorsNeverShowSecrets checks every text of every error type of the
// package, with the SDKs' secret-bearing texts planted in every field that
// can carry provider text: Error, %v %+v %#v %s, log/slog's handlers, and
// the package's own errors in the Unwrap tree. (The planted raw errors
// themselves are the SDKs'; the adapters' tests check that the mappers
// never wrap a raw one.)
func TestErrorsNeverShowSecrets(t *testing.T) {
	apiErr := leakyError(&sdkPtrError{msg: signedURL})
	tests := []struct {
		name string
		err  error
	}{
		{"*Error with the string to sign", apiErr},
		{"*Error wrapping an SDK error held by value", leakyError(sdkStructError{URL: signedURL})},
		{"*Error with only a raw error", &driver.Error{Code: flowlog.CodeUnavailable, Provider: "aliyun", Op: "DescribeFlowLogs",
			Retry: driver.RetryAmbiguous, RetryAfter: time.Second, Err: sdkStructError{URL: signedURL}}},
		{"*WaitError", &flowlog.WaitError{Provider: "aliyun", Region: "cn-hangzhou", ID: "fl-1", Want: flowlog.StatusActive,
			Last: flowlog.StatusFailed, LastRaw: "Failed Signature=" + leakSig, Reason: "delivery failed: " + signedURL,
			LastErr: apiErr, Polls: 3, Elapsed: time.Second}},
		{"*WaitError with a raw last error", &flowlog.WaitError{Provider: "aliyun", Region: "cn-hangzhou", ID: "fl-1",
			Want: flowlog.StatusActive, LastErr: sdkStructError{URL: signedURL}, Cause: context.DeadlineExceeded}},
		{"*ValidationError", &flowlog.ValidationError{Provider: "tencent", Fields: []flowlog.FieldError{
			{Field: "Description", Code: flowlog.CodeInvalidArgument, Reason: "must not hold SecretKey=" + leakToken},
			{Field: "Destination.SLS", Code: flowlog.CodeUnsupported, Reason: "tencent"},
		}}},
		{"*DriftError", &flowlog.DriftError{Provider: "aliyun", Region: "cn-hangzhou",
			FlowLog: &flowlog.FlowLog{ID: "fl-1", Resource: flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: "eni-1"}},
			Fields:  []string{"TrafficType", "Tags"}}},
		{"retries stopped by the context", fmt.Errorf("%w (stopped retrying: %w)", apiErr, context.Canceled)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			testkit.AssertNoLeaks(t, testkit.OwnErrorTexts(tt.err), leaks...)
		})
	}
}

func TestErrorGoString(t *testing.T) {
	e := leakyError(&sdkPtrError{msg: signedURL})
	got := fmt.Sprintf("%#v", e)
	assert.True(t, strings.HasPrefix(got, `&flowlog.Error{Code:flowlog.CodeUnauthenticated, Provider:"aliyun", Op:"CreateFlowLog", `+
		`ProviderCode:"SignatureDoesNotMatch", Message:"Specified signature is not matched. server string to sign is:POST&%2F&AccessKeyId%3DREDACTED%26`), got)
	assert.Contains(t, got, `, RequestID:"req-1", HTTPStatus:400, ID:"fl-1", Err:(*flowlog_test.sdkPtrError)(0x`)
	assert.Equal(t, `&flowlog.Error{Code:flowlog.CodeUnknown, Provider:"", Op:"", ProviderCode:"", Message:"", RequestID:"", HTTPStatus:0, ID:"", `+
		`Err:error(nil)}`, fmt.Sprintf("%#v", &flowlog.Error{}))
	assert.Contains(t, fmt.Sprintf("%#v", leakyError(sdkStructError{URL: signedURL})), "Err:flowlog_test.sdkStructError{...}}")

	w := &flowlog.WaitError{Provider: "aliyun", ID: "fl-1", Want: flowlog.StatusActive, Last: flowlog.StatusPending,
		LastErr: e, Cause: context.DeadlineExceeded, Polls: 2}
	got = fmt.Sprintf("%#v", w)
	assert.Contains(t, got, `&flowlog.WaitError{Provider:"aliyun", Region:"", ID:"fl-1", Want:flowlog.StatusActive, Last:flowlog.StatusPending, `)
	assert.Contains(t, got, `LastErr:&flowlog.Error{Code:flowlog.CodeUnauthenticated, `)
	assert.True(t, strings.HasSuffix(got, `Polls:2, Elapsed:0, Cause:context.DeadlineExceeded}`), got)
	assert.Contains(t, fmt.Sprintf("%#v", &flowlog.WaitError{Cause: flowlog.ErrNotFound}), "Cause:flowlog.ErrNotFound}")

	v := &flowlog.ValidationError{Provider: "aliyun", Fields: []flowlog.FieldError{{Field: "Name", Code: flowlog.CodeInvalidArgument, Reason: "is required"}}}
	assert.Equal(t, `&flowlog.ValidationError{Provider:"aliyun", Fields:[]flowlog.FieldError{{Field:"Name", Code:flowlog.CodeInvalidArgument, Reason:"is required"}}}`,
		fmt.Sprintf("%#v", v))

	d := &flowlog.DriftError{Provider: "aliyun", Region: "r", FlowLog: &flowlog.FlowLog{ID: "fl-1",
		Resource: flowlog.Resource{Kind: flowlog.ResourceVPC, ID: "vpc-1"}}, Fields: []string{"Name"}}
	assert.Equal(t, `&flowlog.DriftError{Provider:"aliyun", Region:"r", FlowLog:&flowlog.FlowLog{ID:"fl-1", `+
		`Resource:flowlog.Resource{Kind:"VPC", ID:"vpc-1"}, ...}, Fields:[]string{"Name"}}`, fmt.Sprintf("%#v", d))

	// nil pointers print as Go would, and never panic.
	var ne *flowlog.Error
	var nw *flowlog.WaitError
	var nv *flowlog.ValidationError
	var nd *flowlog.DriftError
	assert.Equal(t, "(*flowlog.Error)(nil) (*flowlog.WaitError)(nil) (*flowlog.ValidationError)(nil) (*flowlog.DriftError)(nil)",
		fmt.Sprintf("%#v %#v %#v %#v", ne, nw, nv, nd))
	for _, lv := range []slog.LogValuer{ne, nw, nv, nd} {
		assert.Equal(t, "<nil>", lv.LogValue().String())
	}
}

// slogGroup returns the JSON object slog's JSON handler writes for
// slog.Any("err", v).
func slogGroup(t *testing.T, v any) map[string]any {
	t.Helper()
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("m", slog.Any("err", v))
	var rec map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &rec), buf.String())
	g, ok := rec["err"].(map[string]any)
	require.True(t, ok, "a group, not a string: %s", buf.String())
	return g
}

func TestErrorLogValue(t *testing.T) {
	e := leakyError(&sdkPtrError{msg: signedURL})
	g := slogGroup(t, e)
	assert.Equal(t, map[string]any{
		"provider": "aliyun", "op": "CreateFlowLog", "id": "fl-1", "code": "unauthenticated",
		"provider_code": "SignatureDoesNotMatch", "request_id": "req-1", "http_status": float64(400),
		"message": "Specified signature is not matched. server string to sign is:POST&%2F&AccessKeyId%3DREDACTED%26Action%3DCreateFlowLog%26SecurityToken%3DREDACTED%26Version%3D2016-04-28",
	}, g)

	raw := &driver.Error{Code: flowlog.CodeUnavailable, Provider: "tencent", Op: "DescribeFlowLogs", Retry: driver.RetryAmbiguous,
		Err: sdkStructError{URL: signedURL}}
	g = slogGroup(t, raw)
	assert.Equal(t, "ambiguous", g["retry"])
	assert.Contains(t, g["message"], "Signature=REDACTED")

	w := &flowlog.WaitError{Provider: "aliyun", Region: "cn-hangzhou", ID: "fl-1", Want: flowlog.StatusActive,
		Last: flowlog.StatusFailed, LastRaw: "Failed", Reason: "SLS logstore gone; Token=" + leakToken, LastErr: e,
		Polls: 3, Elapsed: time.Second, Cause: context.DeadlineExceeded}
	g = slogGroup(t, w)
	assert.Equal(t, "active", g["want"])
	assert.Equal(t, "failed", g["last"])
	assert.Equal(t, "SLS logstore gone; Token=REDACTED", g["reason"])
	assert.Equal(t, "context deadline exceeded", g["cause"])
	assert.Equal(t, float64(3), g["polls"])
	last, ok := g["last_error"].(map[string]any)
	require.True(t, ok, "the last error is a group too")
	assert.Equal(t, "req-1", last["request_id"])

	v := &flowlog.ValidationError{Provider: "aliyun", Fields: []flowlog.FieldError{
		{Field: "Name", Code: flowlog.CodeInvalidArgument, Reason: "is required"},
		{Field: "Destination.CLS", Code: flowlog.CodeUnsupported, Reason: "aliyun"}}}
	g = slogGroup(t, v)
	assert.Equal(t, map[string]any{"provider": "aliyun", "code": "invalid argument",
		"fields": map[string]any{"Name": "is required", "Destination.CLS": "aliyun"}}, g)

	d := &flowlog.DriftError{Provider: "aliyun", Region: "r", FlowLog: &flowlog.FlowLog{ID: "fl-1",
		Resource: flowlog.Resource{Kind: flowlog.ResourceVPC, ID: "vpc-1"}}, Fields: []string{"Name", "Tags"}}
	assert.Equal(t, map[string]any{"provider": "aliyun", "region": "r", "id": "fl-1", "resource": "vpc-1", "fields": "Name, Tags"},
		slogGroup(t, d))
}

// TestClientLogsNoSecret runs the client's logging paths (create failed,
// retry, wait failed, delete failed) with errors that carry the SDKs'
// secret-bearing texts, and checks the JSON log: no secret, and each
// failure's "details" group.
func TestClientLogsNoSecret(t *testing.T) {
	transient := &driver.Error{Code: flowlog.CodeUnavailable, Provider: "fake", Op: "DescribeFlowLogs",
		Retry: driver.RetrySafe, Message: "request failed: " + signedURL, Err: &sdkPtrError{msg: signedURL}}
	p := newFake(failing(transient))
	p.createErr = leakyError(&sdkPtrError{msg: signedURL})
	p.deleteErr = leakyError(sdkStructError{URL: signedURL})
	log, logs := testkit.DebugLogger()
	c := flowlog.NewClient(p, flowlog.WithLogger(log),
		flowlog.WithRetry(flowlog.MaxAttempts(2), flowlog.RetryDelays(time.Millisecond, time.Millisecond, time.Millisecond)),
		flowlog.WithWaitDefaults(flowlog.PollDelay(time.Millisecond, 5*time.Millisecond), flowlog.MaxWait(50*time.Millisecond)))
	defer c.Close()

	_, err := c.Create(t.Context(), validSpec())
	require.Error(t, err)
	_, err = c.Get(t.Context(), "cn-hangzhou", "fl-1") // retried once, then fails
	require.Error(t, err)
	_, err = c.Wait(t.Context(), "cn-hangzhou", "fl-1")
	require.Error(t, err)
	require.Error(t, c.Delete(t.Context(), "cn-hangzhou", "fl-1"))

	text := logs.String()
	testkit.AssertNoLeaks(t, map[string]string{"log": text}, leaks...)
	byMsg := map[string]map[string]any{}
	for line := range strings.Lines(text) {
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec))
		byMsg[rec["msg"].(string)] = rec
	}
	for _, msg := range []string{"flowlog create failed", "flowlog retry", "flowlog wait failed", "flowlog delete failed"} {
		rec, ok := byMsg[msg]
		if !assert.True(t, ok, "no %q record in\n%s", msg, text) {
			continue
		}
		details, ok := rec["details"].(map[string]any)
		require.True(t, ok, "%s: details is a group: %v", msg, rec)
		assert.NotEmpty(t, details["provider"], msg)
		assert.Contains(t, rec["error"], "REDACTED", msg)
	}
	assert.Equal(t, "SignatureDoesNotMatch", byMsg["flowlog create failed"]["provider_code"])
	assert.Equal(t, "unauthenticated", byMsg["flowlog create failed"]["code"])
	assert.Equal(t, "req-1", byMsg["flowlog create failed"]["request_id"])
	assert.Equal(t, "active", byMsg["flowlog wait failed"]["details"].(map[string]any)["want"])
	assert.NotNil(t, byMsg["flowlog wait failed"]["details"].(map[string]any)["last_error"])
}

// TestRawProviderErrorIsRedactedInLogs: a provider that returns a raw
// SDK error (against the contract) still gets a redacted log line, and
// slog.Any of it is the error's text as slog prints any error.
func TestRawProviderErrorIsRedactedInLogs(t *testing.T) {
	p := newFake()
	p.createErr = errors.New(signedURL)
	log, logs := testkit.DebugLogger()
	_, err := flowlog.NewClient(p, flowlog.WithLogger(log)).Create(t.Context(), validSpec())
	require.Error(t, err)
	testkit.AssertNoLeaks(t, map[string]string{"log": logs.String()}, leaks...)
	assert.Contains(t, logs.String(), "AccessKeyId=REDACTED")
}

// TestTelemetryCarriesNoSecret runs the paths of TestClientLogsNoSecret,
// and a provider that returns a raw SDK error, with tracing and metrics on,
// and checks every text of every span (name, attributes, status, events,
// links) and every attribute of every metric.
func TestTelemetryCarriesNoSecret(t *testing.T) {
	rec := newOtelRecorder(t)
	transient := &driver.Error{Code: flowlog.CodeUnavailable, Provider: "fake", Op: "DescribeFlowLogs",
		Retry: driver.RetrySafe, Message: "request failed: " + signedURL, Err: &sdkPtrError{msg: signedURL},
		ProviderCode: "Code " + stringToSn, RequestID: "req-1&Signature=" + leakSig}
	p := newFake(failing(transient))
	p.createErr = leakyError(&sdkPtrError{msg: signedURL})
	p.deleteErr = leakyError(sdkStructError{URL: signedURL})
	c := flowlog.NewClient(p, append(rec.options(),
		flowlog.WithRetry(flowlog.MaxAttempts(2), flowlog.RetryDelays(time.Millisecond, time.Millisecond, time.Millisecond)),
		flowlog.WithWaitDefaults(flowlog.PollDelay(time.Millisecond, 5*time.Millisecond), flowlog.MaxWait(50*time.Millisecond)))...)
	defer c.Close()
	_, err := c.Create(t.Context(), validSpec())
	require.Error(t, err)
	_, err = c.Get(t.Context(), "cn-hangzhou", "fl-1")
	require.Error(t, err)
	_, err = c.Wait(t.Context(), "cn-hangzhou", "fl-1")
	require.Error(t, err)
	require.Error(t, c.Delete(t.Context(), "cn-hangzhou", "fl-1"))

	raw := newFake()
	raw.createErr = errors.New(signedURL)
	rc := flowlog.NewClient(raw, rec.options()...)
	defer rc.Close()
	_, err = rc.Create(t.Context(), validSpec())
	require.Error(t, err)

	texts := map[string]string{}
	kvs := func(where string, attrs []attribute.KeyValue) {
		for _, kv := range attrs {
			texts[where+" "+string(kv.Key)] = kv.Value.Emit()
		}
	}
	spans := rec.spans.Ended()
	require.NotEmpty(t, spans)
	for i, s := range spans {
		where := fmt.Sprintf("span %d %s", i, s.Name())
		texts[where+" name"] = s.Name()
		texts[where+" status"] = s.Status().Description
		kvs(where, s.Attributes())
		for _, e := range s.Events() {
			texts[where+" event"] = e.Name
			kvs(where+" event "+e.Name, e.Attributes)
		}
		for _, l := range s.Links() {
			kvs(where+" link", l.Attributes)
		}
	}
	for name, m := range rec.metrics(t) {
		var sets []attribute.Set
		switch d := m.Data.(type) {
		case metricdata.Sum[int64]:
			for _, dp := range d.DataPoints {
				sets = append(sets, dp.Attributes)
			}
		case metricdata.Histogram[float64]:
			for _, dp := range d.DataPoints {
				sets = append(sets, dp.Attributes)
			}
		case metricdata.Histogram[int64]:
			for _, dp := range d.DataPoints {
				sets = append(sets, dp.Attributes)
			}
		}
		for i, s := range sets {
			kvs(fmt.Sprintf("metric %s %d", name, i), s.ToSlice())
		}
	}
	testkit.AssertNoLeaks(t, texts, leaks...)
	// The failures are there, redacted.
	var statuses []string
	for _, s := range spans {
		statuses = append(statuses, s.Status().Description)
	}
	assert.Contains(t, strings.Join(statuses, "\n"), "AccessKeyId=REDACTED")
	assert.Contains(t, strings.Join(statuses, "\n"), "SecurityToken%3DREDACTED")
}
