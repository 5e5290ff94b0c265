package transport

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"time"

	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/flowlog/ratelimit"
)

// RateLimit returns a RoundTripper that has l admit each request, under
// the Key of provider and the request's region and action, then sends it
// through next and notes the Key and l in the Response the request's
// context carries (see WithResponse), so that Response.Observe can tell l
// how the call went. With a nil l it returns next itself.
//
// The region and action are read from the request: Tencent API 3.0
// requests carry the X-TC-Region and X-TC-Action headers; Alibaba RPC
// requests carry RegionId and Action in the URL query or, failing that, in
// a form-encoded body. Requests naming neither share the Key with an empty
// region and action.
//
// A request that l does not admit, because its context ended while it
// waited or l failed, is not sent: RoundTrip closes its body and returns
// l's error, which names the Key and wraps the context's error, if that is
// the cause.
func RateLimit(next http.RoundTripper, provider string, l ratelimit.Limiter) http.RoundTripper {
	if l == nil {
		return next
	}
	return &limiter{next: next, provider: provider, l: l}
}

type limiter struct {
	next     http.RoundTripper
	provider string
	l        ratelimit.Limiter
}

func (t *limiter) RoundTrip(r *http.Request) (*http.Response, error) {
	ctx := r.Context()
	if err := ctx.Err(); err != nil {
		closeBody(r)
		return nil, err
	}
	k, r, err := t.requestKey(r)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	err = t.l.Wait(ctx, k)
	driver.LimiterWaited(ctx, k.Action, time.Since(start))
	if err != nil {
		closeBody(r)
		return nil, &waitError{key: k, err: err}
	}
	if rec, ok := ctx.Value(responseKey{}).(*Response); ok {
		rec.admitted(t.l, k)
	}
	return t.next.RoundTrip(r)
}

// waitError is a request that its limiter did not admit: it was never
// sent, so NeverSent reports it.
type waitError struct {
	key ratelimit.Key
	err error
}

func (e *waitError) Error() string { return "rate limit " + e.key.String() + ": " + e.err.Error() }
func (e *waitError) Unwrap() error { return e.err }

// requestKey returns the Key of r. When it has to read the region and
// action from a form body, it returns a copy of r whose body can be read
// again.
func (t *limiter) requestKey(r *http.Request) (ratelimit.Key, *http.Request, error) {
	k := ratelimit.Key{Provider: t.provider}
	if a := r.Header.Get("X-TC-Action"); a != "" {
		k.Region, k.Action = r.Header.Get("X-TC-Region"), a
		return k, r, nil
	}
	q := r.URL.Query()
	if a := q.Get("Action"); a != "" {
		k.Region, k.Action = q.Get("RegionId"), a
		return k, r, nil
	}
	if r.Body == nil || r.Body == http.NoBody {
		return k, r, nil
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		return k, r, nil
	}
	body, err := io.ReadAll(r.Body)
	_ = r.Body.Close()
	if err != nil {
		return k, nil, fmt.Errorf("rate limit: reading the request body for its region and action: %w", err)
	}
	r2 := *r // RoundTrip must not modify r
	r2.Body = io.NopCloser(bytes.NewReader(body))
	r2.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	form, _ := url.ParseQuery(string(body))
	k.Region, k.Action = form.Get("RegionId"), form.Get("Action")
	return k, &r2, nil
}

func closeBody(r *http.Request) {
	if r.Body != nil {
		_ = r.Body.Close()
	}
}
