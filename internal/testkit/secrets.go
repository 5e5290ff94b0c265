package testkit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
)

// Secret hygiene: the helpers below collect every text a caller can get of
// an error, a value or a log, and check that none of them holds a
// credential or a signature.

// LogBuffer is an io.Writer for a slog handler that tests read back; it is
// safe for concurrent writes (the client logs from its poller too).
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *LogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// DebugLogger returns a logger that writes JSON records at Debug level into
// the returned buffer.
func DebugLogger() (*slog.Logger, *LogBuffer) {
	b := &LogBuffer{}
	return slog.New(slog.NewJSONHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug})), b
}

// SlogTexts returns what the JSON and the text handlers of log/slog write
// for slog.Any(key, v).
func SlogTexts(key string, v any) map[string]string {
	var j, t bytes.Buffer
	slog.New(slog.NewJSONHandler(&j, nil)).Info("m", slog.Any(key, v))
	slog.New(slog.NewTextHandler(&t, nil)).Info("m", slog.Any(key, v))
	return map[string]string{"slog JSON": j.String(), "slog text": t.String()}
}

// ValueTexts returns what fmt (every usual verb) and log/slog print of v.
func ValueTexts(v any) map[string]string {
	texts := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d"} {
		texts["fmt "+verb] = fmt.Sprintf(verb, v)
	}
	maps.Copy(texts, SlogTexts("v", v))
	return texts
}

// ErrorTexts returns what a caller can print of err: Error, the fmt verbs,
// log/slog's handlers, and the Error text and %#v of every error in its
// tree (errors.Unwrap, single and multiple), by a name saying where each
// comes from. The SDKs' errors are included: the mappers wrap sanitized
// copies of them.
func ErrorTexts(err error) map[string]string {
	return errorTexts(err, func(error) bool { return true })
}

// OwnErrorTexts is ErrorTexts for tests that plant raw errors with secrets
// under this module's errors: the walk of the tree records and goes
// through this module's errors and fmt's wrappers only.
func OwnErrorTexts(err error) map[string]string {
	return errorTexts(err, func(e error) bool {
		pkg := pkgPath(e)
		return pkg == "fmt" || strings.HasPrefix(pkg, "github.com/cloudflowlog/flowlog-go") && !strings.HasSuffix(pkg, "_test")
	})
}

func errorTexts(err error, follow func(error) bool) map[string]string {
	texts := map[string]string{"Error()": err.Error()}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		texts["fmt "+verb] = fmt.Sprintf(verb, err)
	}
	maps.Copy(texts, SlogTexts("err", err))
	var walk func(path string, e error)
	walk = func(path string, e error) {
		if !follow(e) {
			return
		}
		texts[fmt.Sprintf("%s (%T).Error()", path, e)] = e.Error()
		texts[fmt.Sprintf("%s (%T) %%#v", path, e)] = fmt.Sprintf("%#v", e)
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			if next := u.Unwrap(); next != nil {
				walk(path+".Unwrap", next)
			}
		case interface{ Unwrap() []error }:
			for i, next := range u.Unwrap() {
				if next != nil {
					walk(fmt.Sprintf("%s.Unwrap[%d]", path, i), next)
				}
			}
		}
	}
	walk("err", err)
	return texts
}

// pkgPath is the import path of the package that defines e's type.
func pkgPath(e error) string {
	t := reflect.TypeOf(e)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.PkgPath()
}

// signatureRe finds a signature parameter at any encoding depth; the value
// must be REDACTED (or empty).
var signatureRe = regexp.MustCompile(`(?i)(?:^|[^a-z])signature(=|%3D|%253D)`)

// Leaks returns a description of each way text shows a secret: one of
// secrets, raw or percent-encoded once or twice, or the value of a
// Signature parameter.
func Leaks(text string, secrets ...string) []string {
	var leaks []string
	for _, s := range secrets {
		if s == "" {
			continue
		}
		once := url.QueryEscape(s)
		forms := slices.Compact([]string{s, once, url.QueryEscape(once), url.PathEscape(s)})
		for _, f := range forms {
			if strings.Contains(text, f) {
				leaks = append(leaks, fmt.Sprintf("%q", f))
			}
		}
	}
	for _, m := range signatureRe.FindAllStringIndex(text, -1) {
		rest := text[m[1]:]
		if rest == "" || strings.HasPrefix(rest, "REDACTED") {
			continue
		}
		switch rest[0] {
		case '&', ' ', '"', '\'', '\n', ',':
			continue
		}
		if strings.HasPrefix(rest, "%26") {
			continue
		}
		leaks = append(leaks, fmt.Sprintf("signature value %q", text[m[0]:min(len(text), m[1]+12)]))
	}
	return leaks
}

// AssertNoLeaks asserts that no text of texts shows a secret (see Leaks).
func AssertNoLeaks(t testing.TB, texts map[string]string, secrets ...string) bool {
	t.Helper()
	ok := true
	for _, name := range slices.Sorted(maps.Keys(texts)) {
		if leaks := Leaks(texts[name], secrets...); len(leaks) > 0 {
			ok = assert.Fail(t, "secret leaked", "%s shows %s:\n%s", name, strings.Join(leaks, ", "), texts[name])
		}
	}
	return ok
}

// SecretCase is one failure a secrets test drives an adapter into.
type SecretCase struct {
	Name string
	// Provider makes the adapter, configured with the test's credentials.
	Provider func(t *testing.T) driver.Provider
	// Setup, if set, runs before Call (to inject faults, say).
	Setup func(t *testing.T)
	// Attempts is the client's MaxAttempts; 0 means 2, so that the retry
	// log line is checked too wherever the failure is retried.
	Attempts int
	// Timeout, if positive, bounds Call's context.
	Timeout time.Duration
	// Call makes the call that fails.
	Call func(ctx context.Context, c *flowlog.Client) error
	// Check asserts that the intended failure was reached.
	Check func(t *testing.T, err error)
}

// RunSecretCases runs each case in a subtest with a client that logs JSON
// at Debug level, then asserts that none of secrets (raw or
// percent-encoded) and no Signature value shows in any text of the error
// (ErrorTexts: Error, %v %+v %#v %s, slog, every wrapped error, the SDK's
// included), of the provider (ValueTexts) or in the log.
func RunSecretCases(t *testing.T, secrets []string, cases []SecretCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			p := tc.Provider(t)
			logger, logs := DebugLogger()
			attempts := tc.Attempts
			if attempts == 0 {
				attempts = 2
			}
			c := flowlog.NewClient(p, flowlog.WithLogger(logger),
				flowlog.WithRetry(flowlog.MaxAttempts(attempts), flowlog.RetryDelays(time.Millisecond, time.Millisecond, time.Millisecond)),
				flowlog.WithWaitDefaults(flowlog.PollDelay(5*time.Millisecond, 20*time.Millisecond), flowlog.MaxWait(5*time.Second)))
			t.Cleanup(func() { c.Close() })
			if tc.Setup != nil {
				tc.Setup(t)
			}
			ctx := context.Background()
			if tc.Timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.Timeout)
				defer cancel()
			}
			err := tc.Call(ctx, c)
			require.Error(t, err)
			tc.Check(t, err)

			texts := ErrorTexts(err)
			for k, v := range ValueTexts(p) {
				texts["provider "+k] = v
			}
			texts["client log"] = logs.String()
			assert.Regexp(t, `"level":"(DEBUG|WARN)"`, texts["client log"], "the failure is logged")
			AssertNoLeaks(t, texts, secrets...)
		})
	}
}

// SchemeRecorder is an http.RoundTripper that records the scheme and host
// of every request and fails it without sending anything.
type SchemeRecorder struct {
	mu   sync.Mutex
	urls []string
}

// RoundTrip records r and fails.
func (s *SchemeRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	s.urls = append(s.urls, r.URL.Scheme+"://"+r.URL.Host)
	s.mu.Unlock()
	return nil, errors.New("offline test")
}

// URLs returns the distinct "scheme://host" of the requests recorded so
// far, in order, and forgets them.
func (s *SchemeRecorder) URLs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	urls := slices.Compact(s.urls)
	s.urls = nil
	return urls
}

// CallEverything makes one call of every Provider method that sends a
// request (Create, Describe, ListPage, Delete, SetEnabled both ways),
// ignoring the outcomes.
func CallEverything(p driver.Provider, spec flowlog.FlowLogSpec, id string) {
	ctx := context.Background()
	_, _ = p.Create(ctx, &spec)
	_, _ = p.Describe(ctx, spec.Region, []string{id})
	_, _ = p.ListPage(ctx, spec.Region, flowlog.ListFilter{}, "")
	_ = p.Delete(ctx, spec.Region, id)
	_ = p.SetEnabled(ctx, spec.Region, id, true)
	_ = p.SetEnabled(ctx, spec.Region, id, false)
}

// ClosedAddr returns a "127.0.0.1:port" on which nothing listens.
func ClosedAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}
