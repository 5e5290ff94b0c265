package transport

import (
	"context"
	"errors"
	"net"
	"net/http"
	"syscall"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Dial retries, as New configures them.
const (
	// RetryMax is how many times New resends a request whose connection
	// could not be made: at most RetryMax+1 attempts in all.
	RetryMax = 2
	// RetryWaitMin and RetryWaitMax bound the random factor of the wait
	// before a resend; retryablehttp.LinearJitterBackoff multiplies it by the
	// attempt number, so the first wait is 50-500ms and the second 100ms-1s.
	RetryWaitMin = 50 * time.Millisecond
	RetryWaitMax = 500 * time.Millisecond
)

// New wraps base so that a request whose connection could not be made (a
// dial error: connection refused, a temporary DNS failure, no route) is sent
// again, up to RetryMax times, after a short jittered wait bounded by the
// request's context. Nothing else is retried here: no HTTP status and no
// error after the connection was made (a reset, a timeout), because the
// request may then have reached the server, and resending the same signed
// request would fail Alibaba's nonce check (SignatureNonceUsed, masking the
// real outcome) or duplicate a Tencent create. Those failures are returned
// unchanged, responses with their body intact, for the client to retry at
// the API level with a fresh signature.
//
// The result is a *retryablehttp.RoundTripper, never an *http.Transport, so
// the Alibaba SDK cannot rewrite base. It logs nothing: retryablehttp's
// default logger would print Alibaba query strings with the AccessKeyId,
// Signature and SecurityToken. It does not follow redirects: a 3xx goes back
// to the SDK's own http.Client.
//
// When a request ends with an error, retryablehttp closes base's idle
// connections (if base has a CloseIdleConnections method); requests in
// flight are not affected.
func New(base http.RoundTripper) http.RoundTripper {
	return newRetrying(base, RetryWaitMin, RetryWaitMax)
}

// newRetrying is New with the waits as parameters, for tests.
func newRetrying(base http.RoundTripper, waitMin, waitMax time.Duration) *retryablehttp.RoundTripper {
	return &retryablehttp.RoundTripper{Client: &retryablehttp.Client{
		HTTPClient: &http.Client{
			Transport: base,
			// The SDK's own http.Client follows redirects, if it wants to.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		Logger:       nil,
		RetryWaitMin: waitMin,
		RetryWaitMax: waitMax,
		RetryMax:     RetryMax,
		CheckRetry:   dialOnly,
		Backoff:      retryablehttp.LinearJitterBackoff,
		// The last response or error as it is: without this retryablehttp
		// turns a 5xx into an error and the SDK loses the body.
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}}
}

// dialOnly is the retryablehttp.CheckRetry of New: it retries exactly the
// failures that never reached the server. It never returns an error, which
// would make the RoundTripper return a response and an error together (and
// net/http drop the response): a response, of any status, is returned as it
// is, and so is an error of an ended context.
func dialOnly(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if err == nil || ctx.Err() != nil {
		return false, nil
	}
	return NeverSent(err), nil
}

// NeverSent reports whether err says a request never reached the server:
// its rate limiter failed to admit it (see RateLimit), or the connection
// could not be made (an *net.OpError with Op "dial", including one to a
// proxy, or connection refused) and any DNS failure in it is temporary. Not
// in this class: a "no such host", which will not go away in a second; a
// timeout, even of a dial (the dialer's own timeout is long, and the
// caller's retry can decide better); an ended context.
func NeverSent(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var we *waitError
	if errors.As(err, &we) {
		return true
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return dns.IsTemporary || dns.IsTimeout
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return true
	}
	// A dial to a proxy fails as Op "proxyconnect" wrapping Op "dial".
	for e := err; ; {
		var op *net.OpError
		if !errors.As(e, &op) {
			return false
		}
		if op.Op == "dial" {
			return true
		}
		e = op.Err
	}
}
