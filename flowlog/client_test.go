package flowlog_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/flowlog"
)

// logBuffer collects JSON log records.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// records decodes every record logged so far.
func (b *logBuffer) records(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	dec := json.NewDecoder(bytes.NewReader([]byte(b.String())))
	for dec.More() {
		var r map[string]any
		require.NoError(t, dec.Decode(&r))
		out = append(out, r)
	}
	return out
}

func newLogger() (*slog.Logger, *logBuffer) {
	b := &logBuffer{}
	return slog.New(slog.NewJSONHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug})), b
}

func TestClientProvider(t *testing.T) {
	p := newFake()
	p.name = "aliyun"
	assert.Equal(t, "aliyun", flowlog.NewClient(p).Provider())
}

func TestCreate(t *testing.T) {
	p := newFake()
	log, logs := newLogger()
	c := flowlog.NewClient(p, flowlog.WithLogger(log))
	spec := validSpec()

	fl, err := c.Create(t.Context(), spec)
	require.NoError(t, err)
	assert.Equal(t, "fl-1", fl.ID)
	assert.Equal(t, "fake", fl.Provider)
	assert.Equal(t, spec.Region, fl.Region)
	assert.Equal(t, flowlog.StatusPending, fl.Status)

	assert.Equal(t, 1, p.createCalls)
	require.Len(t, p.created, 1)
	got := p.created[0]
	assert.Regexp(t, `^[0-9a-f]{32}$`, got.ClientToken, "a token is minted for the logical create")
	got.ClientToken = ""
	assert.Equal(t, map[string]string{"team": "net", flowlog.OwnerTagKey: flowlog.DefaultOwner}, got.Tags,
		"the client's owner tag is added to the spec's tags")
	assert.Equal(t, map[string]string{"team": "net"}, spec.Tags, "the caller's map is not changed")
	got.Tags = spec.Tags
	assert.Equal(t, spec, got, "the provider gets the spec as given, with the owner tag")

	assert.Equal(t, 1, p.validateCalls)
	assert.Zero(t, p.describeCalls(), "Create does not wait")

	recs := logs.records(t)
	require.Len(t, recs, 1)
	r := recs[0]
	assert.Equal(t, "flowlog created", r["msg"])
	assert.Equal(t, "INFO", r["level"], "a create changes the cloud: Info")
	assert.Equal(t, "fake", r["provider"])
	assert.Equal(t, "fl-1", r["id"])
	assert.Equal(t, "cn-hangzhou", r["region"])
	assert.Equal(t, "vpc-1", r["resource"])
	assert.Equal(t, "pending", r["status"])
	assert.Equal(t, "Activating", r["raw_status"])
	assert.Contains(t, r, "elapsed")
}

func TestCreateDoesNotShareSpecMutations(t *testing.T) {
	p := newFake()
	c := flowlog.NewClient(p)
	spec := validSpec()
	_, err := c.Create(t.Context(), spec)
	require.NoError(t, err)
	p.created[0].Region = "changed"
	assert.Equal(t, "cn-hangzhou", spec.Region)
}

func TestCreateErrorIsReturnedAndLoggedWithoutSecrets(t *testing.T) {
	sdkErr := errors.New(`Post "http://127.0.0.1:1234/?AccessKeyId=LTAI5tXyz&Action=CreateFlowLog&Signature=sigsecret&SecurityToken=CAISsecret": connection refused`)
	providerErr := &flowlog.Error{
		Code: flowlog.CodeUnavailable, Provider: "fake", Op: "CreateFlowLog",
		RequestID: "req-42", ProviderCode: "ServiceUnavailable", HTTPStatus: 503,
		Message: "upstream AccessKeyId=LTAIabc&Signature=xyz&SecurityToken=tok", Err: sdkErr,
	}
	tests := []struct {
		name string
		err  error
	}{
		{"redacted *Error", providerErr},
		// The contract says adapters return *Error; the log must stay clean
		// even when one lets a raw SDK error through.
		{"raw SDK error", sdkErr},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newFake()
			p.createErr = tt.err
			log, logs := newLogger()
			c := flowlog.NewClient(p, flowlog.WithLogger(log))

			fl, err := c.Create(t.Context(), validSpec())
			assert.Nil(t, fl)
			assert.Same(t, tt.err, err, "the provider's error is returned as is")
			assert.Equal(t, 1, p.createCalls)

			text := logs.String()
			assertNoSecret(t, text)
			recs := logs.records(t)
			require.Len(t, recs, 1)
			r := recs[0]
			assert.Equal(t, "flowlog create failed", r["msg"])
			assert.Equal(t, "fake", r["provider"])
			var apiErr *flowlog.Error
			if errors.As(tt.err, &apiErr) {
				assert.Equal(t, "req-42", r["request_id"])
				assert.Equal(t, "unavailable", r["code"])
				assert.Equal(t, "ServiceUnavailable", r["provider_code"])
			} else {
				assert.Contains(t, r["error"], "Action=CreateFlowLog")
				assert.Contains(t, r["error"], "connection refused")
			}
		})
	}
}

func TestClose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newFake(active())
		c := flowlog.NewClient(p)
		require.NoError(t, c.Close())
		require.NoError(t, c.Close(), "Close is idempotent")

		ctx := t.Context()
		_, err := c.Create(ctx, validSpec())
		assert.ErrorIs(t, err, flowlog.ErrClosed)
		_, err = c.CreateAndWait(ctx, validSpec())
		assert.ErrorIs(t, err, flowlog.ErrClosed)
		_, err = c.Get(ctx, region, "fl-1")
		assert.ErrorIs(t, err, flowlog.ErrClosed)
		_, err = c.Wait(ctx, region, "fl-1")
		assert.ErrorIs(t, err, flowlog.ErrClosed)
		assert.ErrorIs(t, c.Delete(ctx, region, "fl-1"), flowlog.ErrClosed)

		assert.Zero(t, p.createCalls)
		assert.Zero(t, p.describeCalls())
		assert.Zero(t, p.deleteCalls)
		assert.Zero(t, p.validateCalls)
		assert.Equal(t, flowlog.CodeUnknown, flowlog.ErrorCode(flowlog.ErrClosed))
	})
}

func TestCreateAndWait(t *testing.T) {
	t.Run("active at create skips the wait", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			p := newFake(pending("Activating"))
			p.createStatus = flowlog.StatusActive
			c := flowlog.NewClient(p)
			start := time.Now()
			fl, err := c.CreateAndWait(t.Context(), validSpec())
			require.NoError(t, err)
			assert.Equal(t, flowlog.StatusActive, fl.Status)
			assert.Equal(t, 1, p.createCalls)
			assert.Zero(t, p.describeCalls())
			assert.Zero(t, time.Since(start))
		})
	})
	t.Run("pending then active", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			p := newFake(pending("Activating"), pending("Activating"), active())
			log, logs := newLogger()
			c := flowlog.NewClient(p, flowlog.WithLogger(log))
			var seen int
			fl, err := c.CreateAndWait(t.Context(), validSpec(), flowlog.OnStatus(func(*flowlog.FlowLog) { seen++ }))
			require.NoError(t, err)
			assert.Equal(t, "fl-1", fl.ID)
			assert.Equal(t, flowlog.StatusActive, fl.Status)
			assert.Equal(t, 1, p.createCalls)
			assert.Equal(t, 3, p.describeCalls())
			assert.Equal(t, 2, seen)

			recs := logs.records(t)
			require.Len(t, recs, 2)
			assert.Equal(t, "flowlog created", recs[0]["msg"])
			assert.Equal(t, "flowlog active", recs[1]["msg"])
			assert.Equal(t, "fl-1", recs[1]["id"])
			assert.Equal(t, "fake", recs[1]["provider"])
		})
	})
	t.Run("wait failure names the created ID", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			p := newFake(pending("Activating"), step{status: flowlog.StatusFailed, raw: "Unknown", reason: "SecurityToken=tok expired"})
			log, logs := newLogger()
			c := flowlog.NewClient(p, flowlog.WithLogger(log))
			fl, err := c.CreateAndWait(t.Context(), validSpec())
			assert.Nil(t, fl)
			we := waitErr(t, err)
			assert.Equal(t, "fl-1", we.ID)
			assert.Equal(t, flowlog.StatusFailed, we.Last)
			assertNoSecret(t, err.Error())

			recs := logs.records(t)
			require.Len(t, recs, 2)
			assert.Equal(t, "flowlog wait failed", recs[1]["msg"])
			assert.Equal(t, "fl-1", recs[1]["id"])
			assertNoSecret(t, logs.String())
		})
	})
	t.Run("create failure does not wait", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			p := newFake(active())
			p.createErr = apiErr(flowlog.CodeAlreadyExists, "FlowLogExist")
			_, err := flowlog.NewClient(p).CreateAndWait(t.Context(), validSpec())
			assert.ErrorIs(t, err, flowlog.ErrAlreadyExists)
			assert.Zero(t, p.describeCalls())
		})
	})
}

func TestGet(t *testing.T) {
	t.Run("found", func(t *testing.T) {
		p := newFake(active())
		fl, err := flowlog.NewClient(p).Get(t.Context(), region, "fl-9")
		require.NoError(t, err)
		assert.Equal(t, "fl-9", fl.ID)
		assert.Equal(t, flowlog.StatusActive, fl.Status)
		assert.Equal(t, 1, p.describeCalls())
	})
	t.Run("not found", func(t *testing.T) {
		p := newFake(missing())
		fl, err := flowlog.NewClient(p).Get(t.Context(), region, "fl-9")
		assert.Nil(t, fl)
		assert.ErrorIs(t, err, flowlog.ErrNotFound)
		var apiErr *flowlog.Error
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, "fake", apiErr.Provider)
		assert.Equal(t, "fl-9", apiErr.ID)
		assert.Contains(t, err.Error(), region)
	})
	t.Run("provider error", func(t *testing.T) {
		want := apiErr(flowlog.CodeThrottled, "Throttling")
		p := newFake(failing(want))
		_, err := flowlog.NewClient(p, flowlog.WithRetry(flowlog.MaxAttempts(1))).Get(t.Context(), region, "fl-9")
		samePublic(t, want, err)
	})
}

func TestDelete(t *testing.T) {
	t.Run("ok", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			p := newFake(pending("Deleting"), missing()) // deleting, then gone
			p.slowDelete = true
			log, logs := newLogger()
			require.NoError(t, flowlog.NewClient(p, flowlog.WithLogger(log)).Delete(t.Context(), region, "fl-3"))
			assert.Equal(t, 1, p.deleteCalls)
			assert.Equal(t, 2, p.describeCalls(), "Delete waits until the flow log is gone")
			recs := logs.records(t)
			require.Len(t, recs, 1)
			assert.Equal(t, "flowlog deleted", recs[0]["msg"])
			assert.Equal(t, "fl-3", recs[0]["id"])
			assert.Equal(t, "fake", recs[0]["provider"])
		})
	})
	t.Run("already gone", func(t *testing.T) {
		p := newFake()
		p.deleteErr = &flowlog.Error{Code: flowlog.CodeNotFound, Provider: "fake", Op: "DeleteFlowLog", RequestID: "req-7"}
		require.NoError(t, flowlog.NewClient(p).Delete(t.Context(), region, "fl-3"), "deleting what is gone succeeds")
		assert.Zero(t, p.describeCalls())
	})
	t.Run("error", func(t *testing.T) {
		p := newFake()
		p.deleteErr = &flowlog.Error{Code: flowlog.CodePermissionDenied, Provider: "fake", Op: "DeleteFlowLog",
			Message: "denied; Signature=sigsecret", RequestID: "req-7"}
		log, logs := newLogger()
		err := flowlog.NewClient(p, flowlog.WithLogger(log)).Delete(t.Context(), region, "fl-3")
		assert.ErrorIs(t, err, flowlog.ErrPermissionDenied)
		assertNoSecret(t, err.Error())
		recs := logs.records(t)
		require.Len(t, recs, 1)
		assert.Equal(t, "flowlog delete failed", recs[0]["msg"])
		assert.Equal(t, "req-7", recs[0]["request_id"])
		assertNoSecret(t, logs.String())
	})
}

func TestWithLoggerNilKeepsDefault(t *testing.T) {
	c := flowlog.NewClient(newFake(), flowlog.WithLogger(nil))
	_, err := c.Create(t.Context(), validSpec())
	require.NoError(t, err, "logging to the default discard handler")
}

func TestClientConcurrentUse(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newFake(pending("Activating"), active())
		log, _ := newLogger()
		c := flowlog.NewClient(p, flowlog.WithLogger(log))
		var wg sync.WaitGroup
		for range 16 {
			wg.Go(func() {
				fl, err := c.CreateAndWait(t.Context(), validSpec())
				if !assert.NoError(t, err) {
					return
				}
				_, err = c.Get(t.Context(), region, fl.ID)
				assert.NoError(t, err)
				assert.NoError(t, c.Delete(t.Context(), region, fl.ID))
			})
		}
		wg.Go(func() { _ = c.Validate(validSpec()) })
		wg.Wait()
		assert.Equal(t, 16, p.createCalls)
		assert.Equal(t, 16, p.deleteCalls)
		require.NoError(t, c.Close())
		_, err := c.Create(t.Context(), validSpec())
		assert.ErrorIs(t, err, flowlog.ErrClosed)
	})
}

func TestCreateHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	p := newFake()
	c := flowlog.NewClient(p)
	_, err := c.Create(ctx, validSpec())
	assert.ErrorIs(t, err, context.Canceled)
	_, err = c.Get(ctx, "cn-hangzhou", "fl-1")
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, c.Delete(ctx, "cn-hangzhou", "fl-1"), context.Canceled)
	assert.Zero(t, p.createCalls+p.deleteCalls+p.describeCalls(), "nothing reaches the provider once the context has ended")
}

// nilProvider returns neither a flow log nor an error from Create, which the
// Provider contract forbids; the client must not pass the nil on.
type nilProvider struct{ *fakeProvider }

func (nilProvider) Create(context.Context, *flowlog.FlowLogSpec) (*flowlog.FlowLog, error) {
	return nil, nil
}

func TestCreateGuardsAgainstBrokenProvider(t *testing.T) {
	c := flowlog.NewClient(nilProvider{newFake()})
	fl, err := c.Create(context.Background(), validSpec())
	assert.Nil(t, fl)
	var fe *flowlog.Error
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "fake", fe.Provider)
	assert.Contains(t, err.Error(), "no flow log")
}

func TestCreateMintsOneClientTokenPerLogicalCreate(t *testing.T) {
	p := newFake()
	c := flowlog.NewClient(p)
	spec := validSpec()
	for range 2 {
		_, err := c.Create(t.Context(), spec)
		require.NoError(t, err)
	}
	spec.ClientToken = "my-token-1"
	_, err := c.Create(t.Context(), spec)
	require.NoError(t, err)

	require.Len(t, p.created, 3)
	assert.Regexp(t, `^[0-9a-f]{32}$`, p.created[0].ClientToken)
	assert.NotEqual(t, p.created[0].ClientToken, p.created[1].ClientToken, "two creates never share a minted token")
	assert.Equal(t, "my-token-1", p.created[2].ClientToken, "a caller's token is kept")

	// The token's rule is the provider's (CEN: at most 64 ASCII
	// characters, spaces included; cbn's Validate), not the client's.
	spec.ClientToken = "has space"
	_, err = c.Create(t.Context(), spec)
	require.NoError(t, err)
	require.Len(t, p.created, 4)
	assert.Equal(t, "has space", p.created[3].ClientToken)
}
