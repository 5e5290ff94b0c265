package tc3

import (
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// FuzzParseAuthorization parses arbitrary Authorization headers. Properties:
// ParseAuthorization never panics; a rejection is a *ParseError with a
// reason; an accepted header yields an Authorization whose String parses
// back to the same value (and renders the same text again), with the
// documented invariants: a non-empty SecretId and Service, a 2006-01-02 date,
// signed headers lower-case, sorted, unique and including content-type and
// host, and a 64-digit lower-case hex signature.
//
// `go test` replays the f.Add seeds and testdata/fuzz/FuzzParseAuthorization.
func FuzzParseAuthorization(f *testing.F) {
	for _, seed := range []string{
		"TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, " +
			"SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
		"TC3-HMAC-SHA256 Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168,SignedHeaders=content-type;host;x-tc-action,Credential=a=b/2019-02-25/vpc/tc3_request",
		"TC3-HMAC-SHA256 Credential=a/2019-02-30/vpc/tc3_request, SignedHeaders=content-type;host, Signature=00",
		"TC3-HMAC-SHA256 Credential=/2019-02-25//tc3_request",
		"TC3-HMAC-SHA256 Credential=x/2019-02-25/vpc/tc3_request, Credential=y/2019-02-25/vpc/tc3_request",
		"TC3-HMAC-SHA256 SignedHeaders=host;content-type",
		"TC3-HMAC-SHA256 ,,,",
		"TC3-HMAC-SHA256 Credential=id with space/2019-02-25/s v c/tc3_request, SignedHeaders=content-type;host, Signature=" + strings.Repeat("f", 64),
		"HMAC-SHA256 Credential=x",
		"",
		"TC3-HMAC-SHA256 Credential=\xff/2019-02-25/\x00/tc3_request, SignedHeaders=content-type;host, Signature=" + strings.Repeat("0", 64),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, header string) {
		a, err := ParseAuthorization(header)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Reason == "" {
				t.Fatalf("error %v (%T) is not a *ParseError with a reason", err, err)
			}
			return
		}
		checkInvariants(t, a)
		text := a.String()
		b, err := ParseAuthorization(text)
		if err != nil {
			t.Fatalf("%q parsed to %+v, whose String %q does not parse: %v", header, a, text, err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("round trip changed the value:\n%+v\n%+v (via %q)", a, b, text)
		}
		if b.String() != text {
			t.Fatalf("String is not stable: %q then %q", text, b.String())
		}
	})
}

func checkInvariants(t *testing.T, a Authorization) {
	t.Helper()
	if a.SecretID == "" || a.Service == "" {
		t.Fatalf("empty SecretId or Service: %+v", a)
	}
	if len(a.Date) != len(DateLayout) {
		t.Fatalf("date %q", a.Date)
	}
	for i, h := range a.SignedHeaders {
		if h == "" || h != strings.ToLower(h) || (i > 0 && a.SignedHeaders[i-1] >= h) {
			t.Fatalf("signed headers %q", a.SignedHeaders)
		}
	}
	if len(a.Signature) != 64 || strings.Trim(a.Signature, "0123456789abcdef") != "" {
		t.Fatalf("signature %q", a.Signature)
	}
}

// FuzzVerify signs a request with fuzzed body, host, timestamp, secret and
// content type, then verifies it. Properties: SignRequest either refuses the
// request with an error or sets an Authorization header that
// ParseAuthorization accepts; Verify accepts the signed request; and Verify
// refuses it once one byte of the body is flipped, the timestamp header
// changes, the secret differs, the credential date differs or one hex digit
// of the signature changes.
//
// `go test` replays the f.Add seeds and testdata/fuzz/FuzzVerify.
func FuzzVerify(f *testing.F) {
	f.Add([]byte(`{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}`),
		"cvm.tencentcloudapi.com", int64(1551113065), "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "application/json; charset=utf-8", uint(3))
	f.Add([]byte{}, "127.0.0.1:8080", int64(0), "", "", uint(0))
	f.Add([]byte("{}"), "VPC.TencentCloudAPI.com", int64(-1), "k", "Application/JSON", uint(1))
	f.Add([]byte("\x00\xff"), "", int64(253402300799), "\xff", " text/plain ", uint(99))
	f.Add([]byte("x"), "h", int64(253402300800), "s", "a", uint(0))        // year 10000
	f.Add([]byte("x"), "h", int64(-62135596801), "s", "a", uint(0))        // year 0
	f.Add([]byte("x"), "h", int64(9223372036854775807), "s", "a", uint(0)) // max int64
	f.Fuzz(func(t *testing.T, body []byte, host string, ts int64, secret, contentType string, at uint) {
		req := &http.Request{Method: http.MethodPost, URL: &url.URL{Path: "/"}, Host: host, Header: http.Header{}}
		req.Header.Set("Content-Type", contentType)
		req.Header.Set(TimestampHeader, strconv.FormatInt(ts, 10))
		const secretID = "AKIDfuzz"
		if err := SignRequest(req, body, secretID, secret, "vpc", nil); err != nil {
			if req.Header.Get("Authorization") != "" {
				t.Fatalf("SignRequest failed (%v) but set Authorization", err)
			}
			return
		}
		header := req.Header.Get("Authorization")
		auth, err := ParseAuthorization(header)
		if err != nil {
			t.Fatalf("SignRequest made an Authorization header that does not parse: %q: %v", header, err)
		}
		if auth.SecretID != secretID || auth.Service != "vpc" || auth.Date != Date(ts) {
			t.Fatalf("parsed %+v for timestamp %d", auth, ts)
		}
		if !Verify(req, body, auth, secret) {
			t.Fatalf("Verify rejects a request SignRequest signed: %q", header)
		}

		if len(body) > 0 {
			flipped := append([]byte(nil), body...)
			flipped[int(at%uint(len(flipped)))] ^= 0x01
			if Verify(req, flipped, auth, secret) {
				t.Fatalf("Verify accepts the body with byte %d flipped", at%uint(len(flipped)))
			}
		}
		if Verify(req, append(append([]byte(nil), body...), ' '), auth, secret) {
			t.Fatal("Verify accepts a longer body")
		}
		if Verify(req, body, auth, secret+"x") {
			t.Fatal("Verify accepts another secret")
		}
		sig := []byte(auth.Signature)
		i := int(at % uint(len(sig)))
		if sig[i] == '0' {
			sig[i] = '1'
		} else {
			sig[i] = '0'
		}
		forged := auth
		forged.Signature = string(sig)
		if Verify(req, body, forged, secret) {
			t.Fatalf("Verify accepts the signature with digit %d changed", i)
		}
		other := auth
		other.Date = "1999-12-31"
		if other.Date != auth.Date && Verify(req, body, other, secret) {
			t.Fatal("Verify accepts another credential date")
		}
		req.Header.Set(TimestampHeader, strconv.FormatInt(ts, 10)+"0")
		if Verify(req, body, auth, secret) {
			t.Fatal("Verify accepts another timestamp")
		}
	})
}
