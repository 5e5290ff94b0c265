package acsv1

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// percentEncoded is what PercentEncode may produce: the unreserved set and
// %XX escapes with upper-case hex digits, nothing else.
var percentEncoded = regexp.MustCompile(`^(?:[A-Za-z0-9\-_.~]|%[0-9A-F]{2})*$`)

// canonicalQuery is what CanonicalQuery may produce: key=value pairs joined
// by "&", each side strictly percent-encoded.
var canonicalQuery = regexp.MustCompile(`^(?:(?:[A-Za-z0-9\-_.~]|%[0-9A-F]{2})*=(?:[A-Za-z0-9\-_.~]|%[0-9A-F]{2})*(?:&|$))*$`)

// FuzzStringToSign signs arbitrary requests (a method and a raw query string,
// parsed the way the emulator parses them) and checks, beyond "no panic":
//   - the string to sign is METHOD&%2F&<strictly percent-encoded canonical
//     query>, which decodes back to the canonical query, which in turn
//     parses back to the parameters (minus Signature);
//   - Signature itself is never part of what is signed;
//   - Sign is deterministic, and Verify accepts the parameters once they
//     carry that signature;
//   - a mutated signature, another secret, or another method verifies false.
//
// `go test` replays the f.Add seeds and testdata/fuzz/FuzzStringToSign.
func FuzzStringToSign(f *testing.F) {
	for _, seed := range []struct{ method, query, secret string }{
		{"GET", "AccessKeyId=testid&Action=DescribeRegions&Format=XML&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0&Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26", "testsecret"},
		{"POST", "Action=CreateFlowLog&SignatureType=&Tag.1.Key=a+b*c~d&Tag.1.Value=%E4%B8%AD", "flowlogtest-emulator-secret"},
		{"POST", "Signature=abc&Signature=def&A=1", "s"},
		{"POST", "=&&=x&%FF=%00", ""},
		{"get", "a=1;b=2", "k"},
		{"", "", ""},
		{"POST", "k=%7E%2A%2B+", "secret&"},
		{"PUT\n", "x=%zz&y=1", "\xff"},
	} {
		f.Add(seed.method, seed.query, seed.secret)
	}
	f.Fuzz(func(t *testing.T, method, query, secret string) {
		// ParseQuery keeps what it could parse next to its error; the
		// emulator refuses such requests, but signing them must still work.
		params, _ := url.ParseQuery(query)

		sts := StringToSign(method, params)
		prefix := method + "&%2F&"
		rest, ok := strings.CutPrefix(sts, prefix)
		if !ok {
			t.Fatalf("string to sign %q does not start with %q", sts, prefix)
		}
		if !percentEncoded.MatchString(rest) {
			t.Fatalf("string to sign is not strictly percent-encoded: %q", rest)
		}
		canon := CanonicalQuery(params)
		if !canonicalQuery.MatchString(canon) {
			t.Fatalf("canonical query is not strictly percent-encoded: %q", canon)
		}
		if decoded, err := url.PathUnescape(rest); err != nil || decoded != canon {
			t.Fatalf("string to sign does not decode to the canonical query: %q, %v; want %q", decoded, err, canon)
		}
		back, err := url.ParseQuery(canon)
		if err != nil {
			t.Fatalf("canonical query %q does not parse: %v", canon, err)
		}
		want := url.Values{}
		for k, vs := range params {
			if k != SignatureParam {
				want[k] = vs
			}
		}
		if !sameValues(back, want) {
			t.Fatalf("canonical query %q parses to %v, want %v", canon, back, want)
		}

		sig := Sign(sts, secret)
		if again := Sign(sts, secret); again != sig {
			t.Fatalf("Sign is not deterministic: %q then %q", sig, again)
		}
		if got := SignParams(method, params, secret); got != sig {
			t.Fatalf("SignParams = %q, Sign(StringToSign) = %q", got, sig)
		}

		// The signature joins the parameters without changing what is signed.
		signed := url.Values{}
		for k, vs := range params {
			signed[k] = slices.Clone(vs)
		}
		signed.Set(SignatureParam, sig)
		sts2 := StringToSign(method, signed)
		if sts2 != sts {
			t.Fatalf("adding Signature changed the string to sign:\n%q\n%q", sts, sts2)
		}
		if !Verify(sts2, secret, signed.Get(SignatureParam)) {
			t.Fatalf("Verify rejects its own signature %q of %q", sig, sts2)
		}

		// Any change must be refused.
		for i := range len(sig) {
			mutated := []byte(sig)
			mutated[i] ^= 0x01
			if Verify(sts, secret, string(mutated)) {
				t.Fatalf("Verify accepts signature %q mutated at %d (%q)", sig, i, mutated)
			}
		}
		if Verify(sts, secret, sig[:len(sig)-1]) || Verify(sts, secret, sig+"=") || Verify(sts, secret, "") {
			t.Fatal("Verify accepts a truncated, extended or empty signature")
		}
		if Verify(sts, secret+"x", sig) {
			t.Fatal("Verify accepts the signature under another secret")
		}
		if other := method + "X"; Verify(StringToSign(other, params), secret, sig) {
			t.Fatalf("Verify accepts the signature for method %q", other)
		}
	})
}

// sameValues compares two url.Values, treating a nil and an empty value list
// alike (ParseQuery never makes either, but params may come from anywhere).
func sameValues(a, b url.Values) bool {
	if len(a) != len(b) {
		return false
	}
	for k, va := range a {
		vb, ok := b[k]
		if !ok || !slices.Equal(va, vb) {
			return false
		}
	}
	return true
}
