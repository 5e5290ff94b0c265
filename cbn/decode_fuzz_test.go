package cbn_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudflowlog/flowlog-go/aliyun"
	"github.com/cloudflowlog/flowlog-go/cbn"
	"github.com/cloudflowlog/flowlog-go/flowlog"
)

// Distinctive credentials: none of them may ever show in an error text.
const (
	fuzzKeyID  = "LTAIfuzzDecodeKeyId7Qx9"
	fuzzSecret = "fuzz-decode-secret-Zk2PqW"
	fuzzToken  = "CAISfuzzDecodeSecurityToken4Hn"
)

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

// checkFuzzError asserts that err, returned by op, is a *flowlog.Error of
// provider with Op set, a known code and retry class, and no credential in
// its text or in the text of any error it wraps (unless the server itself
// sent the credential in body).
func checkFuzzError(t *testing.T, provider, op string, err error, body []byte, creds ...string) {
	t.Helper()
	fe, ok := err.(*flowlog.Error)
	if !ok {
		t.Fatalf("%s: error %v is %T, want *flowlog.Error", op, err, err)
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
	texts := []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fe.Message}
	// The SDK's own error, reachable with errors.As, must not hold one either.
	for u := errors.Unwrap(err); u != nil; u = errors.Unwrap(u) {
		texts = append(texts, u.Error())
	}
	for _, c := range creds {
		if bytes.Contains(body, []byte(c)) {
			continue // the server echoed it; not a leak of ours
		}
		for _, text := range texts {
			if strings.Contains(text, c) {
				t.Fatalf("%s: credential %q in error text %q", op, c, text)
			}
		}
	}
}

// FuzzDecode answers the Alibaba Cloud CEN adapter's calls with a fuzzed
// HTTP status (100..599), Content-Type and body, and calls Create, Describe
// (one ID and two), Delete, ListPage and SetEnabled directly on the
// provider. Properties: no panic; Create either returns a flow log with an
// ID or a *flowlog.Error; Describe returns only flow logs it was asked for,
// each once; every error is a *flowlog.Error with Provider "cbn", an Op,
// a known code and retry class (a Delete error the server coded names the
// flow log); no error text holds the AccessKeyId, the secret or the STS
// token.
//
// `go test` replays the f.Add seeds and testdata/fuzz/FuzzDecode.
func FuzzDecode(f *testing.F) {
	const describeOne = `{"RequestId":"17CA0F48-9FC9-48F7-A252-192F95D8750F","Success":"true","TotalCount":"1","PageNumber":"1","PageSize":"50","FlowLogs":{"FlowLog":[{"FlowLogId":"fl-1","FlowLogName":"n","Description":"","CenId":"cen-emu000000000001","Status":"Active","CreationTime":"2026-11-23T19:38:22Z","ProjectName":"flowlog-emu","LogStoreName":"flowlog-store","RegionId":"cn-hangzhou","TransitRouterId":"tr-emu00000000000001","TransitRouterAttachmentId":"tr-attach-emu000000000001","Interval":600,"LogFormatString":"","FlowLogVersion":"3","Tags":{"Tag":[{"Key":"a","Value":"b"}]}}]}}`
	for _, s := range []struct {
		status int
		ct     string
		body   string
	}{
		{200, "application/json;charset=utf-8", `{"RequestId":"66C952C9-B7AD-4B25-8900-60437E43BEDA","Success":true,"FlowLogId":"flowlog-cfwy3uq36368naqede"}`},
		{200, "application/json;charset=utf-8", describeOne},
		{200, "application/json", `{"RequestId":"75BA5351","Success":"true"}`},
		{200, "application/json", `{"RequestId":"x","TotalCount":"2","FlowLogs":{"FlowLog":[{"FlowLogId":"fl-2","Status":"Creating"},{"FlowLogId":"fl-1","Status":"weird","Interval":-9223372036854775808,"TransitRouterAttachmentId":""}]}}`},
		{400, "application/json;charset=utf-8", `{"RequestId":"715DE4E5","HostId":"127.0.0.1","Code":"InvalidFlowlogId.NotFound","Message":"The specified FlowLogId is not found.","Recommend":"https://api.aliyun.com/troubleshoot?product=Cbn&q=InvalidFlowlogId.NotFound"}`},
		{400, "application/json", `{"RequestId":"r","Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3DLTAIother%26Action%3DCreateFlowlog%26SecurityToken%3DCAISother%26Signature%3Dabc"}`},
		{400, "application/json", `{"RequestId":"r","Code":"IdempotentParameterMismatch","Message":"The ClientToken was used with other parameters."}`},
		{400, "application/json", `{"RequestId":"r","Code":"Operation.Blocking","Message":"busy"}`},
		{429, "application/json", `{"RequestId":"r","Code":"Throttling","Message":"Request was denied due to flow control."}`},
		{503, "application/json", `{"RequestId":"r","Code":"ServiceUnavailable","Message":"The request has failed due to a temporary failure of the server."}`},
		{502, "text/html", "<html><head><title>502 Bad Gateway</title></head><body><center>502 Bad Gateway</center></body></html>"},
		{200, "application/json", `{"RequestId":"x","FlowLogId":"flowlog-`},
		{200, "application/json", `{"RequestId":5}`},
		{200, "application/json", `{"RequestId":"x","Success":"yes","FlowLogId":7}`},
		{400, "application/json", `{"RequestId":5,"Code":7,"Message":["m"],"HostId":{},"Recommend":false}`},
		{500, "application/json", `{"RequestId":"r","Code":"InternalError","AccessDeniedDetail":"not-a-map"}`},
		{200, "", ""},
		{400, "", ""},
		{200, "application/json", `{"RequestId":"x","TotalCount":"99999999999999999999999","PageSize":1e400,"FlowLogs":{"FlowLog":[{"FlowLogId":"fl-1","Interval":1e30}]}}`},
		{200, "application/json", `{"FlowLogs":{"FlowLog":{"FlowLogId":"fl-1"}}}`},
		{200, "application/json", `null`},
		{204, "application/json", `{"RequestId":"x","FlowLogId":"fl-1"}`},
		{101, "", ""},
		{103, "", "early"},
	} {
		f.Add(s.status, s.ct, []byte(s.body))
	}

	srv := newCannedServer(f)
	tr := &http.Transport{}
	f.Cleanup(tr.CloseIdleConnections)
	p, err := cbn.New(aliyun.WithEndpoint(srv.URL), aliyun.WithSTSToken(fuzzKeyID, fuzzSecret, fuzzToken),
		aliyun.WithHTTPTransport(tr))
	if err != nil {
		f.Fatal(err)
	}
	spec := attachmentSpec("tr-attach-fuzz00000001")
	spec.ClientToken = "fuzz-token-1"

	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		if strings.ContainsAny(contentType, "\r\n\x00") {
			contentType = ""
		}
		srv.set(clampStatus(status), contentType, body)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		check := func(op string, err error) {
			t.Helper()
			checkFuzzError(t, cbn.Name, op, err, body, fuzzKeyID, fuzzSecret, fuzzToken)
		}

		fl, err := p.Create(ctx, &spec)
		switch {
		case err != nil:
			check("Create", err)
		case fl == nil || fl.ID == "":
			t.Fatalf("Create succeeded without a flow log ID: %+v", fl)
		case fl.Provider != cbn.Name || fl.Status != flowlog.StatusPending:
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
			if errors.As(err, &fe) && fe.ID != "fl-1" && fe.ProviderCode != "" {
				t.Fatalf("Delete error %v does not name the flow log", err)
			}
		}
		if page, err := p.ListPage(ctx, spec.Region, flowlog.ListFilter{}, 0); err != nil {
			check("ListPage", err)
		} else if page.Size <= 0 {
			t.Fatalf("ListPage returned page size %d", page.Size)
		}
		if err := p.SetEnabled(ctx, spec.Region, "fl-1", true); err != nil {
			check("SetEnabled", err)
		}
	})
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
