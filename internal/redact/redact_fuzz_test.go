package redact

import (
	"strings"
	"testing"
)

// secretForms are the shapes a secret takes in the texts the SDKs produce:
// a raw query parameter of a signed URL, the last parameter of one, and the
// once- and twice-encoded copies inside a string to sign, and the key ID of
// a TC3 Authorization header. {v} is the value.
var secretForms = []string{
	"AccessKeyId={v}&",
	"Signature={v}",
	"SecurityToken%3D{v}%26",
	"AccessKeySecret%253D{v}%2526",
	"X-TC-Token={v} ",
	"Credential={v}/2019-02-25/vpc/tc3_request",
}

// urlSafe reports whether v is made only of characters that a signed URL
// carries unescaped (RFC 3986 unreserved).
func urlSafe(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isWordChar(c byte) bool { return isLetter(c) || '0' <= c && c <= '9' || c == '_' }

// FuzzSecretNeverSurvives inserts a secret value, in each form the SDKs
// write one (AccessKeyId=<v>&, Signature=<v>, SecurityToken%3D<v>%26, ...),
// between arbitrary text and checks that redact.String removes it: the
// result does not depend on the secret (it equals the result for another
// value of the same shape), so the value cannot survive in it, and the
// result is idempotent. Values are 8 or more URL-safe characters, the shape
// of real keys, tokens and signatures. A parameter name glued to a
// preceding letter ("xAccessKeyId=") is another parameter (NextToken must
// stay readable), and "Credential=" is only recognised as a word of its
// own, so the insertion gets a separator then.
//
// `go test` replays the f.Add seeds and testdata/fuzz/FuzzSecretNeverSurvives.
func FuzzSecretNeverSurvives(f *testing.F) {
	f.Add("Post \"http://127.0.0.1:1234/?Action=CreateFlowLog&", "&Timestamp=2024-05-01T12%3A00%3A00Z\": connection refused", "LTAI5tXyzSecret01", uint8(0))
	f.Add("server string to sign is:POST&%2F&", "Timestamp%3D2024", "CAISsecuritytoken", uint8(2))
	f.Add("", "", "abcdefgh", uint8(1))
	f.Add("Token=", "", "REDACTED", uint8(1))
	f.Add("%26Signature%253D", "%2526x", "secret.value~_-", uint8(3))
	f.Add("x", "y", "AKIDsecretid0001", uint8(5))
	f.Add("NextToken=", "Signature", "12345678", uint8(4))
	f.Fuzz(func(t *testing.T, before, after, value string, form uint8) {
		if len(value) < 8 || !urlSafe(value) {
			return
		}
		pattern := secretForms[int(form)%len(secretForms)]
		if before != "" {
			last := before[len(before)-1]
			if isLetter(last) || strings.HasPrefix(pattern, "Credential=") && isWordChar(last) {
				before += "&"
			}
		}
		build := func(v string) string {
			return before + strings.ReplaceAll(pattern, "{v}", v) + after
		}

		in := build(value)
		got := String(in)
		other := strings.Repeat("Q", len(value))
		if value == other {
			other = strings.Repeat("Z", len(value))
		}
		ref := String(build(other))
		if got != ref {
			t.Fatalf("the secret shows through:\n in: %q\nout: %q\nwith %q instead: %q", in, got, other, ref)
		}
		if again := String(got); again != got {
			t.Fatalf("not idempotent: %q -> %q", got, again)
		}
	})
}
