package transport

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseEndpoint(t *testing.T) {
	tests := []struct {
		in   string
		want Endpoint
		bad  bool
	}{
		{"", Endpoint{Scheme: "HTTPS"}, false},
		{"vpc.aliyuncs.com", Endpoint{"HTTPS", "vpc.aliyuncs.com"}, false},
		{"127.0.0.1:8080", Endpoint{"HTTPS", "127.0.0.1:8080"}, false},
		{"https://vpc.tencentcloudapi.com", Endpoint{"HTTPS", "vpc.tencentcloudapi.com"}, false},
		{"HTTP://127.0.0.1:1234/", Endpoint{"HTTP", "127.0.0.1:1234"}, false},
		{"ftp://x", Endpoint{}, true},
		{"https://host/path", Endpoint{}, true},
		{"https://user:pw@host", Endpoint{}, true},
		{"https://host?q=1", Endpoint{}, true},
		{"http://", Endpoint{}, true},
	}
	for _, tt := range tests {
		got, err := ParseEndpoint(tt.in)
		if tt.bad {
			assert.Error(t, err, tt.in)
			continue
		}
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
}

func TestWithContextBindsRequests(t *testing.T) {
	type key struct{}
	ctx := context.WithValue(context.Background(), key{}, "bound")
	var seen any
	rt := WithContext(ctx, rtFunc(func(r *http.Request) (*http.Response, error) {
		seen = r.Context().Value(key{})
		return nil, context.Canceled
	}))
	_, ok := rt.(*http.Transport)
	assert.False(t, ok, "must not be an *http.Transport, which the Alibaba SDK rewrites")
	req, err := http.NewRequest(http.MethodGet, "http://example.invalid", nil)
	require.NoError(t, err)
	_, _ = rt.RoundTrip(req)
	assert.Equal(t, "bound", seen)
}

type rtFunc func(*http.Request) (*http.Response, error)

func (f rtFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestRecordResponses(t *testing.T) {
	rt := RecordResponses(rtFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 502, Body: http.NoBody}, nil
	}))
	ctx, rec := WithResponse(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://example.invalid", nil)
	require.NoError(t, err)
	resp, err := rt.RoundTrip(req)
	require.NoError(t, err)
	assert.Equal(t, 502, resp.StatusCode)
	assert.Equal(t, 502, rec.Status())

	// Without a Response in the context nothing is recorded and nothing breaks.
	req, err = http.NewRequest(http.MethodPost, "http://example.invalid", nil)
	require.NoError(t, err)
	_, err = rt.RoundTrip(req)
	assert.NoError(t, err)
}

func TestRecordResponsesKeepsSignatures(t *testing.T) {
	rt := RecordResponses(rtFunc(func(r *http.Request) (*http.Response, error) {
		return nil, errors.New("connection reset")
	}))
	ctx, rec := WithResponse(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://example.invalid/?Action=X&Signature=abc%2Bdef%3D", nil)
	require.NoError(t, err)
	_, _ = rt.RoundTrip(req)
	req, err = http.NewRequestWithContext(ctx, http.MethodPost, "http://example.invalid/", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "TC3-HMAC-SHA256 Credential=AKID/2024-01-01/vpc/tc3_request, SignedHeaders=host, Signature=72e494ea")
	_, _ = rt.RoundTrip(req)
	assert.Equal(t, []string{"abc+def=", "72e494ea"}, rec.Signatures(), "recorded even when no response came")
}
