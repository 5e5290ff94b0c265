package testkit

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// TableEcho is an http.RoundTripper for the secrets tests of the Alibaba
// adapters: it sends requests to the emulator, but answers the next ones
// (as many as next says) itself, as a misconfigured proxy might: HTTP 503
// ServiceUnavailable whose message is a table of the request's parameters,
// "name | value" a line. It records the signature of every request.
type TableEcho struct {
	// Next is how many of the next requests get the echo.
	Next atomic.Int32
	mu   sync.Mutex
	sigs []string
}

func (e *TableEcho) RoundTrip(r *http.Request) (*http.Response, error) {
	q := r.URL.Query()
	e.mu.Lock()
	e.sigs = append(e.sigs, q.Get("Signature"))
	e.mu.Unlock()
	if e.Next.Add(-1) < 0 {
		e.Next.Store(0)
		return http.DefaultTransport.RoundTrip(r)
	}
	var b strings.Builder
	b.WriteString("upstream error; request was:")
	for _, k := range slices.Sorted(maps.Keys(q)) {
		b.WriteString("\n" + k + " | " + q.Get(k))
	}
	body, err := json.Marshal(map[string]string{"RequestId": "ECHO-1", "Code": "ServiceUnavailable", "Message": b.String()})
	if err != nil {
		return nil, err
	}
	return &http.Response{StatusCode: http.StatusServiceUnavailable, Request: r,
		Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(bytes.NewReader(body))}, nil
}

// Signatures returns the signatures of the requests seen so far.
func (e *TableEcho) Signatures() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.sigs)
}
