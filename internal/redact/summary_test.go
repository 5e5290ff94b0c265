package redact

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestKeyHint(t *testing.T) {
	for _, tt := range []struct{ id, want string }{
		{"", "****"},
		{"LTAIshort", "****"},
		{"LTAI5tAbcdefghij", "LTAI****"}, // 16 characters
		{"STS.NUVeryLongTemporaryKeyId0123456789", "STS.****"},
		{"AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "AKID****"},
		{"LTA\x00I5tAbcdefghijkl", "****"},
		{"日本語の鍵のIDです", "****"},
	} {
		assert.Equal(t, tt.want, KeyHint(tt.id), "%q", tt.id)
	}
}

func TestSummary(t *testing.T) {
	s := Summary{Type: "aliyun.Provider", Provider: "aliyun", Endpoint: "https://vpc.example.test", Credentials: "static AccessKey LTAI****"}
	const str = "aliyun (endpoint https://vpc.example.test, credentials static AccessKey LTAI****)"
	const gostr = `&aliyun.Provider{endpoint:"https://vpc.example.test", credentials:"static AccessKey LTAI****"}`
	assert.Equal(t, str, s.String())
	assert.Equal(t, gostr, s.GoString())
	for verb, want := range map[string]string{
		"%v": str, "%+v": str, "%s": str, "%#v": gostr, "%q": fmt.Sprintf("%q", str),
		"%d": "%!d(string=" + str + ")", "%.6s": "aliyun", "%8.6s": "  aliyun",
	} {
		assert.Equal(t, want, fmt.Sprintf(verb, s), verb)
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("m", slog.Any("provider", s))
	assert.Contains(t, buf.String(), `"provider":{"name":"aliyun","endpoint":"https://vpc.example.test","credentials":"static AccessKey LTAI****"}`)
}

func TestError(t *testing.T) {
	assert.NoError(t, Error(nil))

	clean := fmt.Errorf("dial tcp 127.0.0.1:9: %w", context.DeadlineExceeded)
	assert.Same(t, clean, Error(clean), "an error with nothing to redact is returned as is")

	signed := &url.Error{Op: "Post", URL: "https://h/?AccessKeyId=LTAIkey&Signature=sig", Err: context.DeadlineExceeded}
	got := Error(signed)
	assert.Equal(t, `Post "https://h/?AccessKeyId=REDACTED&Signature=REDACTED": context deadline exceeded`, got.Error())
	assert.ErrorIs(t, got, context.DeadlineExceeded, "errors.Is sees through")
	assert.Nil(t, errors.Unwrap(got), "the original cannot be reached")
	var ue *url.Error
	assert.False(t, errors.As(got, &ue))

	// A secret only in a wrapped error's text is found too.
	inner := errors.New("Token=tok")
	outer := &shortError{msg: "request failed", err: inner}
	got = Error(outer)
	assert.NotSame(t, outer, got)
	assert.Equal(t, "request failed", got.Error())
	assert.ErrorIs(t, got, inner)

	joined := errors.Join(errors.New("a"), errors.New("Signature=sig"))
	assert.Equal(t, "a\nSignature=REDACTED", Error(joined).Error())
}

// shortError does not repeat its cause's text, as some SDK errors do not.
type shortError struct {
	msg string
	err error
}

func (e *shortError) Error() string { return e.msg }
func (e *shortError) Unwrap() error { return e.err }
