package tencent_test

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

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/tencent"
)

// Distinctive credentials: none of them may ever show in an error text.
const (
	fuzzKeyID  = "AKIDfuzzDecodeSecretId7Qx9"
	fuzzSecret = "fuzz-decode-secret-key-Zk2PqW"
	fuzzToken  = "fuzzDecodeSessionToken4Hn"
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

// FuzzDecode answers the Tencent Cloud VPC adapter's calls with a fuzzed
// HTTP status (100..599), Content-Type and body, and calls Create, Describe
// (one ID and two), Delete (which describes first), ListPage and SetEnabled
// directly on the provider. Properties: no panic; Create either returns a flow log with an
// ID or a *flowlog.Error; Describe returns only flow logs it was asked for,
// each once; every error is a *flowlog.Error with Provider "tencent", an
// Op, a known code and retry class; no error text holds the SecretId, the
// SecretKey or the session token.
//
// `go test` replays the f.Add seeds and testdata/fuzz/FuzzDecode.
func FuzzDecode(f *testing.F) {
	const flowLog = `{"VpcId":"vpc-emu00001","FlowLogId":"fl-1","FlowLogName":"n","ResourceType":"NETWORKINTERFACE","ResourceId":"eni-emu00001","TrafficType":"ALL","CloudLogId":"f10e1000-0000-4000-8000-000000000001","CloudLogState":"SUCCESS","FlowLogDescription":"","CreatedTime":"2026-11-24 03:38:22","TagSet":[{"Key":"a","Value":"b"}],"Enable":true,"StorageType":"cls","FlowLogStorage":{"StorageId":"","StorageTopic":""},"CloudLogRegion":"ap-guangzhou"}`
	for _, s := range []struct {
		status int
		ct     string
		body   string
	}{
		{200, "application/json", `{"Response":{"FlowLog":[` + flowLog + `],"RequestId":"85a7c505-1133-4641-bc10-613edb8910fd"}}`},
		{200, "application/json", `{"Response":{"FlowLog":[` + flowLog + `],"TotalNum":1,"RequestId":"21cd6cfc-70de-4e51-81c2-1241e955e2fd"}}`},
		{200, "application/json", `{"Response":{"RequestId":"3f0e332f-a0a8-4a65-96b9-d092cd3e017d"}}`},
		{200, "application/json", `{"Response":{"FlowLog":[null,{"FlowLogId":"fl-2","Enable":false},{"FlowLogId":"fl-1","StorageType":"ckafka","FlowLogStorage":null,"TagSet":[null]}],"TotalNum":18446744073709551615,"RequestId":"r"}}`},
		{200, "application/json", `{"Response":{"Error":{"Code":"InvalidParameterValue.Malformed","Message":"Invalid input parameter format: the value ` + "`fl-nope`" + ` of ` + "`FlowLogId`" + ` is malformed."},"RequestId":"1cae6e18-70dc-4e0f-b0c4-b120aeadd72d"}}`},
		{200, "application/json", `{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"The provided credentials could not be validated. Please check your signature is correct."},"RequestId":"r"}}`},
		{200, "application/json", `{"Response":{"Error":{"Code":"UnsupportedOperation.FlowLogInstanceExisted","Message":"exists"},"RequestId":"r"}}`},
		{200, "application/json", `{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"Your current request times equals to 21 in a second"},"RequestId":"r"}}`},
		{200, "application/json", `{"Response":{"Error":{"Code":"ResourceNotFound","Message":"The resource is not found."},"RequestId":"r"}}`},
		{200, "application/json", `{"Response":{"Error":{"Code":1}}}`},
		{200, "application/json", `{"Response":{"Error":{"Code":"InternalError","Message":null},"RequestId":5}}`},
		{200, "application/json", `{"Response":{"FlowLog":[{"FlowLogId":""}],"RequestId":"r"}}`},
		{200, "application/json", `{"Response":{"FlowLog":{"FlowLogId":"fl-1"},"RequestId":"r"}}`},
		{200, "application/json", `{"Response":null}`},
		{200, "application/json", `{"Response":`},
		{200, "application/json", `{"Response":{"FlowLog":[{"FlowLogId":"fl-1","CreatedTime":"9999-99-99 99:99:99","Enable":"yes"}],"TotalNum":1e400,"RequestId":"r"}}`},
		{429, "application/json", `{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"slow down"},"RequestId":"r"}}`},
		{502, "text/html", "<html><head><title>502 Bad Gateway</title></head><body><center>502 Bad Gateway</center></body></html>"},
		{503, "text/plain", "Service Unavailable"},
		{400, "application/json", `{"Response":{"Error":{"Code":"AuthFailure.SecretIdNotFound","Message":"Authorization: TC3-HMAC-SHA256 Credential=AKIDother/2026-01-01/vpc/tc3_request"},"RequestId":"r"}}`},
		{200, "", ""},
		{500, "", ""},
		{200, "application/json", `null`},
		{200, "application/json", `[]`},
		{204, "application/json", `{"Response":{"RequestId":"r"}}`},
		{101, "", ""},
		{103, "", "early"},
	} {
		f.Add(s.status, s.ct, []byte(s.body))
	}

	srv := newCannedServer(f)
	tr := &http.Transport{}
	f.Cleanup(tr.CloseIdleConnections)
	// No client-side rate limit: every iteration makes several calls.
	p, err := tencent.New(tencent.WithEndpoint(srv.URL), tencent.WithSTSToken(fuzzKeyID, fuzzSecret, fuzzToken),
		tencent.WithHTTPTransport(tr), tencent.WithRateLimit(0))
	if err != nil {
		f.Fatal(err)
	}
	spec := eniSpec("eni-fuzz0001")

	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		if strings.ContainsAny(contentType, "\r\n\x00") {
			contentType = ""
		}
		srv.set(clampStatus(status), contentType, body)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		check := func(op string, err error) {
			t.Helper()
			checkFuzzError(t, tencent.Name, op, err, body, fuzzKeyID, fuzzSecret, fuzzToken)
		}

		fl, err := p.Create(ctx, &spec)
		switch {
		case err != nil:
			check("Create", err)
		case fl == nil || fl.ID == "":
			t.Fatalf("Create succeeded without a flow log ID: %+v", fl)
		case fl.Provider != tencent.Name:
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
