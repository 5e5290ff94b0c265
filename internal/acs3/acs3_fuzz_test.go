package acs3

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// canonicalQuery is what CanonicalQuery may produce: name=value pairs
// joined by "&", each side strictly percent-encoded.
var canonicalQuery = regexp.MustCompile(`^(?:(?:[A-Za-z0-9\-_.~]|%[0-9A-F]{2})*=(?:[A-Za-z0-9\-_.~]|%[0-9A-F]{2})*(?:&|$))*$`)

// FuzzSignVerify signs arbitrary requests (a method, a raw query parsed the
// way the emulator parses it, a header value, a body, a secret) and checks,
// beyond "no panic":
//   - the canonical query is strictly percent-encoded and parses back to
//     the same parameters;
//   - the canonical request starts with the method, path and canonical
//     query and ends with the signed header names and the body hash;
//   - Sign is deterministic and Verify accepts its signature;
//   - a mutated signature, another secret, another header value, another
//     body or another query verifies false;
//   - an Authorization header built from the parts parses back to them, and
//     any header that parses formats back to itself.
//
// `go test` replays the f.Add seeds.
func FuzzSignVerify(f *testing.F) {
	for _, seed := range []struct{ method, query, header, body, secret, auth string }{
		{"POST", "ImageId=win2019&RegionId=cn-shanghai", "RunInstances", "", "YourAccessKeySecret",
			"ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action,Signature=06563a9e"},
		{"POST", "Description=flow+log+%2A+test+~+%E4%B8%AD&b=2&b=1&empty=", " padded ", "a=1&b=2", "s", ""},
		{"GET", "=&&=x&%FF=%00", "a,b", "\x00\xff", "", "X Credential=a,SignedHeaders=b,Signature=c"},
		{"", "", "", "", "", "ACS3-HMAC-SHA256 Credential=k,SignedHeaders=host;host,Signature=s"},
		{"post", "k=%7E%2A%2B+", "\t", "{}", "secret&", "a b,c,d"},
	} {
		f.Add(seed.method, seed.query, seed.header, seed.body, seed.secret, seed.auth)
	}
	f.Fuzz(func(t *testing.T, method, query, header, body, secret, auth string) {
		// ParseQuery keeps what it could parse next to its error; the
		// emulator refuses such requests, but signing them must still work.
		params, _ := url.ParseQuery(query)

		canon := CanonicalQuery(params)
		if !canonicalQuery.MatchString(canon) {
			t.Fatalf("canonical query is not strictly percent-encoded: %q", canon)
		}
		back, err := url.ParseQuery(canon)
		if err != nil {
			t.Fatalf("canonical query %q does not parse: %v", canon, err)
		}
		if !sameValues(back, params) {
			t.Fatalf("canonical query %q parses to %v, want %v", canon, back, params)
		}

		req := Request{
			Method: method,
			Query:  params,
			Host:   "vpc.example:80",
			Header: http.Header{
				"X-Acs-Test":           {header},
				"X-Acs-Content-Sha256": {HashPayload([]byte(body))},
			},
			PayloadHash: HashPayload([]byte(body)),
		}
		signed := []string{"host", "x-acs-content-sha256", "x-acs-test"}
		cr := CanonicalRequest(req, signed)
		if prefix := method + "\n/\n" + canon + "\n"; !strings.HasPrefix(cr, prefix) {
			t.Fatalf("canonical request %q does not start with %q", cr, prefix)
		}
		if suffix := "\n\n" + strings.Join(signed, ";") + "\n" + req.PayloadHash; !strings.HasSuffix(cr, suffix) {
			t.Fatalf("canonical request %q does not end with %q", cr, suffix)
		}

		sts := StringToSign(cr)
		sig := Sign(sts, secret)
		if again := Sign(sts, secret); again != sig {
			t.Fatalf("Sign is not deterministic: %q then %q", sig, again)
		}
		if !Verify(sts, secret, sig) {
			t.Fatalf("Verify rejects its own signature %q", sig)
		}
		for i := range len(sig) {
			mutated := []byte(sig)
			mutated[i] ^= 0x01
			if Verify(sts, secret, string(mutated)) {
				t.Fatalf("Verify accepts signature %q mutated at %d", sig, i)
			}
		}
		if Verify(sts, secret, sig[:len(sig)-1]) || Verify(sts, secret, sig+"0") || Verify(sts, secret, "") {
			t.Fatal("Verify accepts a truncated, extended or empty signature")
		}
		if Verify(sts, secret+"x", sig) {
			t.Fatal("Verify accepts the signature under another secret")
		}

		changed := func(what string, edit func(r *Request)) {
			t.Helper()
			r := req
			r.Header = req.Header.Clone()
			r.Query = url.Values{}
			for k, vs := range params {
				r.Query[k] = slices.Clone(vs)
			}
			edit(&r)
			if Verify(StringToSign(CanonicalRequest(r, signed)), secret, sig) {
				t.Fatalf("Verify accepts the signature after changing the %s", what)
			}
		}
		changed("header", func(r *Request) { r.Header.Set("X-Acs-Test", strings.TrimSpace(header)+"x") })
		changed("body", func(r *Request) { r.PayloadHash = HashPayload([]byte(body + "x")) })
		changed("query", func(r *Request) { r.Query.Add("zz-extra", "") })
		changed("host", func(r *Request) { r.Host = "other.example" })
		changed("method", func(r *Request) { r.Method += "X" })

		a := Authorization{Algorithm: Algorithm, Credential: "LTAIfuzz", SignedHeaders: signed, Signature: sig}
		if parsed, err := ParseAuthorization(a.String()); err != nil || !equalAuth(parsed, a) {
			t.Fatalf("ParseAuthorization(%q) = %+v, %v; want %+v", a.String(), parsed, err, a)
		}
		if parsed, err := ParseAuthorization(auth); err == nil && parsed.String() != auth {
			t.Fatalf("ParseAuthorization(%q) accepted a header that formats as %q", auth, parsed.String())
		}
	})
}

func equalAuth(a, b Authorization) bool {
	return a.Algorithm == b.Algorithm && a.Credential == b.Credential &&
		slices.Equal(a.SignedHeaders, b.SignedHeaders) && a.Signature == b.Signature
}

// sameValues compares two url.Values as multisets of values per name: the
// canonical query sorts repeated values.
func sameValues(a, b url.Values) bool {
	if len(a) != len(b) {
		return false
	}
	for k, va := range a {
		vb, ok := b[k]
		if !ok || !slices.Equal(slices.Sorted(slices.Values(va)), slices.Sorted(slices.Values(vb))) {
			return false
		}
	}
	return true
}
