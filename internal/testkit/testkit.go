// Package testkit holds what the adapters' tests share: a fake clock for the
// emulator, a transport that records the requests an adapter sends, and
// checks of the Provider methods. Only tests import it.
package testkit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
)

// Clock is a fake clock for flowlogtest.WithClock: the emulator's state
// transitions happen when a test advances it, never by sleeping. Keep it
// within 15 minutes of real time: the SDKs stamp requests with the real
// time.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock standing at the current time.
func NewClock() *Clock { return &Clock{t: time.Now()} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Emulator starts a flowlogtest server on a fake clock, whose transitions
// take delay, with opts; it is closed when the test ends. The RequestLog is
// for the adapter's transport.
func Emulator(t testing.TB, delay time.Duration, opts ...flowlogtest.Option) (*flowlogtest.Server, *Clock, *RequestLog) {
	clock := NewClock()
	srv := flowlogtest.NewServer(append([]flowlogtest.Option{flowlogtest.WithClock(clock.Now),
		flowlogtest.WithActivationDelay(delay)}, opts...)...)
	t.Cleanup(srv.Close)
	return srv, clock, &RequestLog{}
}

// Request is what RequestLog saw of one request.
type Request struct {
	Header http.Header
	Query  url.Values
	Body   []byte
}

// RequestLog is an http.RoundTripper that records every request, then
// sends it through http.DefaultTransport.
type RequestLog struct {
	mu   sync.Mutex
	reqs []Request
}

// RoundTrip records r and sends it.
func (l *RequestLog) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := Request{Header: r.Header.Clone(), Query: r.URL.Query()}
	if r.Body != nil {
		body, err := io.ReadAll(r.Body)
		_ = r.Body.Close()
		if err != nil {
			return nil, err
		}
		rec.Body = body
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	l.mu.Lock()
	l.reqs = append(l.reqs, rec)
	l.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

// Last returns the last request recorded; it panics if there is none.
func (l *RequestLog) Last() Request {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.reqs[len(l.reqs)-1]
}

// Pages walks f through p.ListPage from the first page to the one without
// a next token and checks what every page says of itself: the same Total on
// each, Total the number of flow logs listed, and no flow log twice. It
// returns the pages, the last one last.
func Pages(t testing.TB, p driver.Provider, region string, f flowlog.ListFilter) []driver.Page {
	t.Helper()
	var pages []driver.Page
	seen := map[string]bool{}
	token := ""
	for n := 0; ; n++ {
		pg, err := p.ListPage(context.Background(), region, f, token)
		require.NoError(t, err, "page %d", n)
		if n > 0 {
			assert.Equal(t, pages[0].Total, pg.Total, "page %d", n)
		}
		for _, fl := range pg.FlowLogs {
			assert.False(t, seen[fl.ID], "%s listed twice", fl.ID)
			seen[fl.ID] = true
		}
		pages = append(pages, pg)
		if pg.NextToken == "" {
			break
		}
		token = pg.NextToken
		require.Less(t, n, 100, "no last page")
	}
	assert.Equal(t, len(seen), pages[0].Total)
	return pages
}

// IDs returns the IDs of the flow logs on pages that pass f.
func IDs(pages []driver.Page, f flowlog.ListFilter) map[string]bool {
	ids := map[string]bool{}
	for _, pg := range pages {
		for _, fl := range pg.FlowLogs {
			if f.Matches(fl) {
				ids[fl.ID] = true
			}
		}
	}
	return ids
}

// DescribeOne describes the flow log id, which must exist.
func DescribeOne(t testing.TB, p driver.Provider, region, id string) *flowlog.FlowLog {
	t.Helper()
	fls, err := p.Describe(context.Background(), region, []string{id})
	require.NoError(t, err)
	require.Len(t, fls, 1, "flow log %s", id)
	return fls[0]
}

// ProviderError checks that err is a provider's *driver.Error matching is,
// with that provider code and retry class, and returns it.
func ProviderError(t testing.TB, err error, is error, code string, retry driver.RetryClass) *driver.Error {
	t.Helper()
	require.ErrorIs(t, err, is)
	var fe *driver.Error
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, code, fe.ProviderCode)
	assert.Equal(t, retry, fe.Retry, "retry class of %s", code)
	assert.NotEmpty(t, fe.RequestID)
	return fe
}

// ClientError checks that err, returned by a flowlog.Client, carries a
// provider's *flowlog.Error matching is, with that provider code and a
// request ID, and returns it. (The retry class is the client's own: see
// ProviderError for an adapter's error.)
func ClientError(t testing.TB, err error, is error, code string) *flowlog.Error {
	t.Helper()
	require.ErrorIs(t, err, is)
	var fe *flowlog.Error
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, code, fe.ProviderCode)
	assert.NotEmpty(t, fe.RequestID)
	return fe
}

// Walk lists every page without a filter (see Pages) and checks that it
// took one call per page (calls counts the provider's describe calls), that
// a full page holds size flow logs, and the total.
func Walk(t testing.TB, p driver.Provider, region string, calls func() int, wantPages, size, total int) []driver.Page {
	t.Helper()
	before := calls()
	pages := Pages(t, p, region, flowlog.ListFilter{})
	require.Len(t, pages, wantPages)
	assert.Equal(t, wantPages, calls()-before, "one call per page")
	if wantPages > 1 {
		assert.Len(t, pages[0].FlowLogs, size)
	}
	assert.Equal(t, total, pages[0].Total)
	return pages
}

// Step is one call of a lifecycle test and what it leads to.
type Step struct {
	Call func() error
	// Raw is the provider's status right after the call, when the flow
	// log is pending and Settling says where to.
	Raw      string
	Settling flowlog.Status
	// Then is the state once the clock has moved on; StatusDeleted means
	// Describe no longer finds the flow log.
	Then flowlog.Status
}

// Steps makes each step's call, checks the pending state that follows,
// advances clock by d and checks the state the flow log settled in.
func Steps(t testing.TB, p driver.Provider, region, id string, clock *Clock, d time.Duration, steps []Step) {
	t.Helper()
	for _, st := range steps {
		require.NoError(t, st.Call())
		fl := DescribeOne(t, p, region, id)
		assert.Equal(t, st.Raw, fl.RawStatus)
		assert.Equal(t, flowlog.StatusPending, fl.Status, st.Raw)
		assert.Equal(t, st.Settling, fl.Settling, st.Raw)
		clock.Advance(d)
		if st.Then == flowlog.StatusDeleted {
			fls, err := p.Describe(context.Background(), region, []string{id})
			require.NoError(t, err)
			assert.Empty(t, fls, "a deleted flow log is not described")
			continue
		}
		fl = DescribeOne(t, p, region, id)
		assert.Equal(t, st.Then, fl.Status, "after %s", st.Raw)
		assert.Equal(t, flowlog.StatusUnknown, fl.Settling, "after %s", st.Raw)
	}
}

// Param returns the request parameter name: from the query (Alibaba RPC) or
// a top-level field of the JSON body (Tencent API 3.0); "" if it was not
// sent.
func (r Request) Param(name string) string {
	if r.Query.Has(name) {
		return r.Query.Get(name)
	}
	var fields map[string]any
	if json.Unmarshal(r.Body, &fields) == nil {
		if v, ok := fields[name]; ok {
			return fmt.Sprint(v)
		}
	}
	return ""
}

// FilterCase is a ListFilter and what listing with it must do.
type FilterCase struct {
	Name string
	F    flowlog.ListFilter
	// Param and Value are the server-side filter it must send; Value ""
	// means Param must not be sent.
	Param, Value string
	// Total is the provider's count (the server's filter); Match is how
	// many pass the client's filter.
	Total, Match int
}

// Filters lists every page of each case, in a subtest of its own, and
// checks the last request and the counts.
func Filters(t *testing.T, p driver.Provider, region string, log *RequestLog, cases []FilterCase) {
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			pages := Pages(t, p, region, tc.F)
			assert.Equal(t, tc.Value, log.Last().Param(tc.Param))
			assert.Equal(t, tc.Total, pages[0].Total)
			assert.Len(t, IDs(pages, tc.F), tc.Match)
		})
	}
}

// DocumentedCode is the meaning an adapter must give one documented error
// code: the neutral code and the retry class.
type DocumentedCode struct {
	Code  flowlog.Code
	Retry driver.RetryClass
}

// EachDocumentedCode has srv answer one request of action (product-
// qualified, as flowlogtest.FaultRule.Action) with each error code the
// emulator documents for it (flowlogtest.DocumentedErrorCodes, n of them),
// sends it with send, and checks that the adapter's error carries the
// code, a request ID and the meaning want gives it. Every documented code
// must have its meaning in want.
func EachDocumentedCode(t *testing.T, srv *flowlogtest.Server, action string, n int, want map[string]DocumentedCode, send func() error) {
	t.Helper()
	codes := flowlogtest.DocumentedErrorCodes(action)
	require.Len(t, codes, n, "the codes documented for %s", action)
	for _, code := range codes {
		meaning, ok := want[code]
		require.True(t, ok, "%s has no expected meaning", code)
		srv.InjectFaults(flowlogtest.FaultRule{Action: action,
			Kinds: []flowlogtest.FaultKind{flowlogtest.FaultDocumentedError}, Code: code, Count: 1})
		var fe *driver.Error
		require.ErrorAs(t, send(), &fe, code)
		assert.Equal(t, code, fe.ProviderCode)
		assert.NotEmpty(t, fe.RequestID, code)
		assert.Equal(t, meaning.Code, fe.Code, "neutral code of %s", code)
		assert.Equal(t, meaning.Retry, fe.Retry, "retry class of %s", code)
	}
}
