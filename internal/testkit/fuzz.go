package testkit

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
)

// Creds are distinctive credentials for a fuzzed provider: none of them may
// ever show in an error text.
type Creds struct{ ID, Secret, Token string }

// DecodeTarget is the adapter FuzzDecode fuzzes: how to build it and what
// it promises beyond what every adapter does.
type DecodeTarget struct {
	// Provider is the adapter's name, as its errors and flow logs carry it.
	Provider string
	// Creds are given to New.
	Creds Creds
	// New builds the provider: it must send every request to endpoint
	// through tr, signed with c, and must not limit its own rate (every
	// iteration makes several calls).
	New func(endpoint string, tr http.RoundTripper, c Creds) (driver.Provider, error)
	// Spec is what Create is called with.
	Spec flowlog.FlowLogSpec
	// CreatePending: a flow log that Create returns is StatusPending.
	CreatePending bool
	// DeleteNamesID: a Delete error that the server coded has the flow log's
	// ID.
	DeleteNamesID bool
}

// FuzzDecode is the body of an adapter's FuzzDecode: it answers the
// adapter's calls with a fuzzed HTTP status (100..599), Content-Type and
// body, and calls Create, Describe (one ID and two), Delete, ListPage and
// SetEnabled directly on the provider. Properties: no panic; Create either
// returns a flow log with an ID or a *flowlog.Error; Describe returns only
// flow logs it was asked for, each once; every error is a *flowlog.Error of
// the target's Provider with an Op, a known code and retry class; no error
// text holds one of the credentials (unless the server sent it); and what
// the target promises besides.
//
// The fuzz arguments are (status int, contentType string, body []byte): the
// adapter adds its own seeds with f.Add before calling FuzzDecode, which
// adds those that every adapter must survive.
func FuzzDecode(f *testing.F, d DecodeTarget) {
	for _, s := range []struct {
		status int
		ct     string
		body   string
	}{
		{200, "", ""},
		{200, "application/json", `null`},
		{502, "text/html", "<html><head><title>502 Bad Gateway</title></head><body><center>502 Bad Gateway</center></body></html>"},
		{101, "", ""},
		{103, "", "early"},
	} {
		f.Add(s.status, s.ct, []byte(s.body))
	}

	srv := newCannedServer(f)
	tr := &http.Transport{}
	f.Cleanup(tr.CloseIdleConnections)
	p, err := d.New(srv.URL, tr, d.Creds)
	if err != nil {
		f.Fatal(err)
	}
	spec := d.Spec
	creds := []string{d.Creds.ID, d.Creds.Secret, d.Creds.Token}

	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		if strings.ContainsAny(contentType, "\r\n\x00") {
			contentType = ""
		}
		srv.set(clampStatus(status), contentType, body)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		check := func(op string, err error) {
			t.Helper()
			checkFuzzError(t, d.Provider, op, err, body, creds...)
		}

		fl, err := p.Create(ctx, &spec)
		switch {
		case err != nil:
			check("Create", err)
		case fl == nil || fl.ID == "":
			t.Fatalf("Create succeeded without a flow log ID: %+v", fl)
		case fl.Provider != d.Provider || d.CreatePending && fl.Status != flowlog.StatusPending:
			t.Fatalf("Create returned %+v", fl)
		}

		for _, ids := range [][]string{{"fl-1"}, {"fl-1", "fl-2"}} {
			fls, err := p.Describe(ctx, spec.Region, ids)
			if err != nil {
				check("Describe", err)
				continue
			}
			checkDescribed(t, ids, fls)
		}

		if err := p.Delete(ctx, spec.Region, "fl-1"); err != nil {
			check("Delete", err)
			var fe *flowlog.Error
			if d.DeleteNamesID && errors.As(err, &fe) && fe.ID != "fl-1" && fe.ProviderCode != "" {
				t.Fatalf("Delete error %v does not name the flow log", err)
			}
		}
		if page, err := p.ListPage(ctx, spec.Region, flowlog.ListFilter{}, ""); err != nil {
			check("ListPage", err)
		} else if page.Total < -1 {
			t.Fatalf("ListPage returned total %d", page.Total)
		}
		if err := p.SetEnabled(ctx, spec.Region, "fl-1", true); err != nil {
			check("SetEnabled", err)
		}
	})
}

// cannedServer answers every request with the response the current fuzz
// input describes. One server serves a whole fuzz target; the handler reads
// the input under a lock, so iterations stay fast.
type cannedServer struct {
	*httptest.Server
	mu          sync.Mutex
	status      int
	contentType string
	body        []byte
}

func newCannedServer(f *testing.F) *cannedServer {
	s := &cannedServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		status, ct, body := s.status, s.contentType, s.body
		s.mu.Unlock()
		if ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}))
	f.Cleanup(s.Close)
	return s
}

func (s *cannedServer) set(status int, contentType string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status, s.contentType, s.body = status, contentType, body
}

// clampStatus keeps a status of 100..599 and folds any other int onto it.
func clampStatus(n int) int {
	if n >= 100 && n <= 599 {
		return n
	}
	n %= 500
	if n < 0 {
		n += 500
	}
	return 100 + n
}

// checkFuzzError asserts that err, returned by op, is a *driver.Error of
// provider with Op set, a known code and retry class, and no credential in
// its text or in the text of any error it wraps (unless the server itself
// sent the credential in body).
func checkFuzzError(t *testing.T, provider, op string, err error, body []byte, creds ...string) {
	t.Helper()
	fe, ok := err.(*driver.Error)
	if !ok {
		t.Fatalf("%s: error %v is %T, want *driver.Error", op, err, err)
	}
	if fe.Provider != provider || fe.Op == "" {
		t.Fatalf("%s: error %v has Provider %q and Op %q", op, err, fe.Provider, fe.Op)
	}
	if strings.HasPrefix(fe.Code.String(), "Code(") || strings.HasPrefix(fe.Retry.String(), "RetryClass(") {
		t.Fatalf("%s: error %v has code %v and retry class %v", op, err, fe.Code, fe.Retry)
	}
	if fe.RetryAfter < 0 {
		t.Fatalf("%s: negative RetryAfter %v", op, fe.RetryAfter)
	}
	// Every text of the error and of the errors it wraps (the SDK's own,
	// reachable with errors.As, included), as the secrets tests collect them.
	texts := ErrorTexts(err)
	for _, c := range creds {
		if bytes.Contains(body, []byte(c)) {
			continue // the server echoed it; not a leak of ours
		}
		for name, text := range texts {
			if strings.Contains(text, c) {
				t.Fatalf("%s: credential %q in %s: %q", op, c, name, text)
			}
		}
	}
}

// checkDescribed asserts that Describe returned only flow logs among ids,
// each once, all non-nil.
func checkDescribed(t *testing.T, ids []string, fls []*flowlog.FlowLog) {
	t.Helper()
	seen := map[string]bool{}
	for _, fl := range fls {
		if fl == nil {
			t.Fatalf("Describe(%v) returned a nil flow log", ids)
		}
		want := false
		for _, id := range ids {
			want = want || fl.ID == id
		}
		if !want || seen[fl.ID] {
			t.Fatalf("Describe(%v) returned %q (seen before: %v)", ids, fl.ID, seen[fl.ID])
		}
		seen[fl.ID] = true
	}
}
