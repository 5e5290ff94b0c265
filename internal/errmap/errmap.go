// Package errmap maps providers' error codes to neutral flowlog codes, and
// cleans provider messages before they enter an error text. Each adapter
// declares its tables; the lookup rules live here once.
package errmap

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/internal/redact"
	"github.com/cloudflowlog/flowlog-go/internal/transport"
)

// Table maps exact provider codes, then code families by prefix (for
// example "Throttling" or "InvalidParameterValue."). Exact codes win; among
// prefixes the longest match wins, so a family can have exceptions.
type Table struct {
	Exact    map[string]driver.Code
	Prefixes map[string]driver.Code
	// Retry overrides the retry class a code's neutral class implies (see
	// RetryOf), for codes such as "busy, try later" (RetrySafe although
	// unavailable) or a refused timestamp (RetryClockSkew).
	Retry map[string]driver.RetryClass
}

// Lookup returns the neutral code of providerCode, if the table knows it.
func (t Table) Lookup(providerCode string) (driver.Code, bool) {
	if c, ok := t.Exact[providerCode]; ok {
		return c, true
	}
	best, code := -1, driver.CodeUnknown
	for prefix, c := range t.Prefixes {
		if len(prefix) > best && strings.HasPrefix(providerCode, prefix) {
			best, code = len(prefix), c
		}
	}
	return code, best >= 0
}

// Lookup tries the tables in order: a product's own table before the codes
// its gateway shares with other products.
func Lookup(providerCode string, tables ...Table) (driver.Code, bool) {
	for _, t := range tables {
		if c, ok := t.Lookup(providerCode); ok {
			return c, true
		}
	}
	return driver.CodeUnknown, false
}

// RetryOf returns how a call that failed with providerCode, mapped to code,
// may be retried: an override from the tables, else throttled is safe (the
// request was refused, not applied), unavailable is ambiguous (it may have
// been applied), and everything else is final.
func RetryOf(code driver.Code, providerCode string, tables ...Table) driver.RetryClass {
	for _, t := range tables {
		if r, ok := t.Retry[providerCode]; ok {
			return r
		}
	}
	switch code {
	case driver.CodeThrottled:
		return driver.RetrySafe
	case driver.CodeUnavailable:
		return driver.RetryAmbiguous
	}
	return driver.RetryNever
}

// maxMessage bounds the provider message kept in an error: a gateway's HTML
// error page is not a message.
const maxMessage = 512

// Message returns a provider message fit for an error text: secrets
// removed, white space folded onto one line, a gateway's HTML error page
// named rather than quoted, and at most 512 bytes.
func Message(s string) string {
	lower := strings.ToLower(s)
	if strings.Contains(lower, "<html") || strings.Contains(lower, "<!doctype html") {
		return "the server answered with an HTML page, not an API response"
	}
	s = strings.Join(strings.Fields(redact.String(s)), " ")
	if len(s) <= maxMessage {
		return s
	}
	return strings.ToValidUTF8(s[:maxMessage], "") + "..."
}

// TransportRetry classifies a failure to get any response: a request that
// never left (see transport.NeverSent) was not applied and is safe to send
// again; any other transport failure (a timeout, a reset, an EOF after the
// request was written) may have been applied. A call whose context has ended
// is not retried at all.
func TransportRetry(ctx context.Context, err error) driver.RetryClass {
	if ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return driver.RetryNever
	}
	if transport.NeverSent(err) {
		return driver.RetrySafe
	}
	return driver.RetryAmbiguous
}

// RetryAfter parses a Retry-After header value: seconds, or an HTTP date (0
// when it is in the past or unreadable).
func RetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
