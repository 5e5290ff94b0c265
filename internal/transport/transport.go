// Package transport holds the HTTP plumbing the adapters share: endpoint
// parsing with HTTPS as the default, a RoundTripper that binds each request
// to the caller's context (the Alibaba SDK has no context API), dial-only
// retries (New) and a client-side rate limit per region and action
// (RateLimit, through a ratelimit.Limiter), put together by Stack, and the
// Response a call's requests are recorded in (RecordResponses), which also
// carries the call's outcome back to an adaptive limiter (Response.Observe).
package transport

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/cloudflowlog/flowlog-go/flowlog/ratelimit"
	"github.com/cloudflowlog/flowlog-go/internal/redact"
)

// Endpoint is a parsed endpoint override.
type Endpoint struct {
	// Scheme is "HTTPS" or "HTTP", in the SDKs' spelling.
	Scheme string
	// Host is host[:port].
	Host string
}

// ParseEndpoint reads "https://host[:port]", "http://host[:port]" or a bare
// "host[:port]". HTTPS is the default: plain HTTP is used only when the
// endpoint says "http://" explicitly, as it does for a local emulator.
func ParseEndpoint(s string) (Endpoint, error) {
	if s == "" {
		return Endpoint{Scheme: "HTTPS"}, nil
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		// url.Error quotes the whole URL; its Err says what is wrong.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return Endpoint{}, endpointError(s, err.Error())
	}
	if u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
		return Endpoint{}, endpointError(s, "want scheme://host[:port] with nothing after the host")
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return Endpoint{Scheme: "HTTPS", Host: u.Host}, nil
	case "http":
		return Endpoint{Scheme: "HTTP", Host: u.Host}, nil
	}
	return Endpoint{}, endpointError(s, "scheme must be http or https")
}

// endpointError describes a bad endpoint s. s is quoted without its user
// information ("user:password@") and with secret query parameters masked:
// a mistaken endpoint can hold a credential.
func endpointError(s, problem string) error {
	prefix, rest := "", s
	if i := strings.Index(s, "://"); i >= 0 {
		prefix, rest = s[:i+3], s[i+3:]
	}
	authority := len(rest)
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority = i
	}
	if at := strings.LastIndex(rest[:authority], "@"); at >= 0 {
		rest = redact.Mask + "@" + rest[at+1:]
	}
	return fmt.Errorf("endpoint %q: %s", redact.String(prefix+rest), problem)
}

// Display returns the endpoint as "scheme://host[:port]" for fmt and logs,
// with defaultHost as the host when the endpoint names none (the SDK then
// picks the host), or "(SDK default)" when defaultHost is empty too. It
// never holds user information: ParseEndpoint refuses it.
func (e Endpoint) Display(defaultHost string) string {
	host := e.Host
	if host == "" {
		host = defaultHost
	}
	if host == "" {
		host = "(SDK default)"
	}
	scheme := strings.ToLower(e.Scheme)
	if scheme == "" {
		scheme = "https"
	}
	return scheme + "://" + host
}

// Default returns the RoundTripper adapters use when the caller gives none:
// New (dial retries) around a private clone of http.DefaultTransport, so
// that no SDK can mutate a transport other code shares.
func Default() http.RoundTripper {
	return New(http.DefaultTransport.(*http.Transport).Clone())
}

// Stack returns the HTTP stack of an adapter named provider, outermost
// first: the rate limit l, if any (see RateLimit), dial retries (see New),
// then base. A nil base means a private clone of http.DefaultTransport. A
// caller's own base is wrapped too, so that dial retries and the limit
// apply whatever transport the user chose. The limit is checked before the
// dial retries, so that a resend of a request that never left is not
// counted twice.
func Stack(base http.RoundTripper, provider string, l ratelimit.Limiter) http.RoundTripper {
	rt := Default()
	if base != nil {
		rt = New(base)
	}
	return RateLimit(rt, provider, l)
}

// WithContext returns a RoundTripper that sends every request under ctx. It is
// deliberately not an *http.Transport: the Alibaba SDK rewrites the dialer,
// TLS settings and proxy of an *http.Transport it is given, and leaves any
// other RoundTripper alone.
func WithContext(ctx context.Context, next http.RoundTripper) http.RoundTripper {
	return ctxRoundTripper{ctx: ctx, next: next}
}

type ctxRoundTripper struct {
	ctx  context.Context
	next http.RoundTripper
}

func (t ctxRoundTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	return t.next.RoundTrip(r.WithContext(t.ctx))
}

// Response is what a RecordResponses transport saw of the last response of a
// call: the Tencent SDK drops the HTTP status of a non-JSON error body, and a
// classifier needs it. It also holds the Keys a RateLimit transport admitted
// the call's requests under, for Observe.
type Response struct {
	mu         sync.Mutex
	StatusCode int
	retryAfter string
	signatures []string
	limiter    ratelimit.Limiter
	keys       []ratelimit.Key
}

// admitted notes that l admitted a request of the call under k.
func (r *Response) admitted(l ratelimit.Limiter, k ratelimit.Key) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.limiter = l
	r.keys = append(r.keys, k)
}

// Observe tells the limiter that admitted the call's requests, if it is a
// ratelimit.Observer, whether the server throttled the call: the adapter
// calls it once the call's error is mapped, with whether the error's Code is
// driver.CodeThrottled. Each admitted request is reported, under its Key,
// once: a later Observe reports only requests admitted since. The adapters
// send one request per call (the SDKs' own retries are off); were a call
// to send several, each would be reported with the call's outcome.
func (r *Response) Observe(throttled bool) {
	r.mu.Lock()
	o, ok := r.limiter.(ratelimit.Observer)
	keys := r.keys
	r.keys = nil
	r.mu.Unlock()
	if !ok {
		return
	}
	// Outside the lock: an Observer may be slow (a shared one does I/O).
	for _, k := range keys {
		o.Observe(k, throttled)
	}
}

// Signatures returns the signatures of the requests sent under the
// Response's context (the Signature query parameter of an Alibaba RPC
// request, the Signature of an Authorization header), so that an error
// mapper can mask them by value wherever a server echoes them.
func (r *Response) Signatures() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.signatures...)
}

// signatureOf returns the signature r carries, or "". It looks for the
// parameter in the raw query rather than parsing it all: this runs on every
// request.
func signatureOf(r *http.Request) string {
	q := r.URL.RawQuery
	for i := strings.Index(q, "Signature="); i >= 0; {
		if i == 0 || q[i-1] == '&' {
			v := q[i+len("Signature="):]
			if j := strings.IndexByte(v, '&'); j >= 0 {
				v = v[:j]
			}
			if sig, err := url.QueryUnescape(v); err == nil && sig != "" {
				return sig
			}
			break
		}
		next := strings.Index(q[i+1:], "Signature=")
		if next < 0 {
			break
		}
		i += 1 + next
	}
	auth := r.Header.Get("Authorization")
	if i := strings.Index(auth, "Signature="); i >= 0 {
		sig := auth[i+len("Signature="):]
		if j := strings.IndexAny(sig, ", "); j >= 0 {
			sig = sig[:j]
		}
		return sig
	}
	return ""
}

// RetryAfter returns the response's Retry-After header, if any.
func (r *Response) RetryAfter() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.retryAfter
}

// Status returns the recorded HTTP status, or 0 when no response came.
func (r *Response) Status() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.StatusCode
}

type responseKey struct{}

// WithResponse returns a context under which RecordResponses records into
// the returned Response.
func WithResponse(ctx context.Context) (context.Context, *Response) {
	r := &Response{}
	return context.WithValue(ctx, responseKey{}, r), r
}

// RecordResponses wraps next so that each response's status, and each
// request's signature, is stored into the Response the request's context
// carries, if any.
func RecordResponses(next http.RoundTripper) http.RoundTripper {
	return recorder{next: next}
}

type recorder struct{ next http.RoundTripper }

func (t recorder) RoundTrip(r *http.Request) (*http.Response, error) {
	rec, ok := r.Context().Value(responseKey{}).(*Response)
	if ok {
		if sig := signatureOf(r); sig != "" {
			rec.mu.Lock()
			rec.signatures = append(rec.signatures, sig)
			rec.mu.Unlock()
		}
	}
	resp, err := t.next.RoundTrip(r)
	if ok && resp != nil {
		rec.mu.Lock()
		rec.StatusCode = resp.StatusCode
		rec.retryAfter = resp.Header.Get("Retry-After")
		rec.mu.Unlock()
	}
	return resp, err
}
