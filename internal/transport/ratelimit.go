package transport

import (
	"bytes"
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limits is a client-side rate limit, applied separately to each pair of
// region and action a request names.
type Limits struct {
	// PerSecond is how many requests of one (region, action) may start per
	// second. Zero or less means no limit.
	PerSecond float64
	// Burst is how many requests of one (region, action) may start at once
	// after a quiet period; zero or less means 1, the default.
	//
	// Keep it at 1 for an API that counts requests per second, like
	// Tencent's "20 per second": a token bucket lets Burst requests go at
	// once and then PerSecond more per second, so any one-second window of
	// the server can see up to PerSecond+Burst-1 of them. With Burst 20 and
	// 20/s, 20 requests at the start of a second plus the 19 tokens that
	// refill before it ends make 39, and the 21st of them fails with
	// RequestLimitExceeded. With Burst 1 the requests start at least
	// 1/PerSecond apart, and no second holds more than PerSecond.
	Burst int
}

// RateLimit returns a RoundTripper that delays each request until the limit
// of its (region, action) allows it, then sends it through next. With
// l.PerSecond <= 0 it returns next itself.
//
// The key is read from the request: Tencent API 3.0 requests carry the
// X-TC-Region and X-TC-Action headers; Alibaba RPC requests carry RegionId
// and Action in the URL query or, failing that, in a form-encoded body.
// Requests naming neither share one limiter, with an empty key.
//
// Limiters are made on first use of a key and shared by every goroutine
// using the returned RoundTripper, so one adapter instance (one
// RoundTripper) stays under the limit however many calls run at once;
// separate instances each have their own limiters.
//
// A request whose context ends while it waits is not sent: RoundTrip closes
// its body and returns the context's error. The wait ends at the context's
// end, not sooner: a deadline too close for the next free slot is still
// waited out, so the error is the context's own.
func RateLimit(next http.RoundTripper, l Limits) http.RoundTripper {
	if l.PerSecond <= 0 || math.IsNaN(l.PerSecond) || math.IsInf(l.PerSecond, 0) {
		return next
	}
	burst := max(l.Burst, 1)
	// x/time/rate turns its float token counts into durations by truncation,
	// so a slot can open a nanosecond early; one microsecond more than
	// 1/PerSecond between slots keeps "at most PerSecond in any second" true.
	every := time.Duration(math.Ceil(float64(time.Second)/l.PerSecond)) + time.Microsecond
	return &limiter{next: next, limit: rate.Every(every), burst: burst, keys: map[limitKey]*rate.Limiter{}}
}

type limitKey struct{ region, action string }

type limiter struct {
	next  http.RoundTripper
	limit rate.Limit
	burst int

	mu   sync.Mutex
	keys map[limitKey]*rate.Limiter
}

func (t *limiter) get(k limitKey) *rate.Limiter {
	t.mu.Lock()
	defer t.mu.Unlock()
	l, ok := t.keys[k]
	if !ok {
		l = rate.NewLimiter(t.limit, t.burst)
		t.keys[k] = l
	}
	return l
}

func (t *limiter) RoundTrip(r *http.Request) (*http.Response, error) {
	ctx := r.Context()
	if err := ctx.Err(); err != nil {
		closeBody(r)
		return nil, err
	}
	k, r, err := requestKey(r)
	if err != nil {
		return nil, err
	}
	res := t.get(k).Reserve()
	if d := res.Delay(); d > 0 {
		timer := time.NewTimer(d)
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			res.Cancel() // give the slot to the next request
			closeBody(r)
			return nil, ctx.Err()
		}
	}
	return t.next.RoundTrip(r)
}

// requestKey reads the (region, action) of r. When it has to read them from
// a form body, it returns a copy of r whose body can be read again.
func requestKey(r *http.Request) (limitKey, *http.Request, error) {
	if a := r.Header.Get("X-TC-Action"); a != "" {
		return limitKey{r.Header.Get("X-TC-Region"), a}, r, nil
	}
	q := r.URL.Query()
	if a := q.Get("Action"); a != "" {
		return limitKey{q.Get("RegionId"), a}, r, nil
	}
	if r.Body == nil || r.Body == http.NoBody {
		return limitKey{}, r, nil
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		return limitKey{}, r, nil
	}
	body, err := io.ReadAll(r.Body)
	_ = r.Body.Close()
	if err != nil {
		return limitKey{}, nil, err
	}
	r2 := *r // RoundTrip must not modify r
	r2.Body = io.NopCloser(bytes.NewReader(body))
	r2.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	form, _ := url.ParseQuery(string(body))
	return limitKey{form.Get("RegionId"), form.Get("Action")}, &r2, nil
}

func closeBody(r *http.Request) {
	if r.Body != nil {
		_ = r.Body.Close()
	}
}
