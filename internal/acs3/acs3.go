// Package acs3 implements Alibaba Cloud's ACS3-HMAC-SHA256 request
// signature ("signature method V3" in Alibaba's documentation), the default
// of the newer official SDKs (darabonba-openapi v2 and the per-product
// clients built on it).
//
// It is written from the published algorithm, not taken from an SDK, so
// that the emulator in flowlog/flowlogtest checks the SDKs' signatures
// independently: if both sides shared one implementation, a bug in it would
// go unnoticed. The unit tests pin it to the documented test vectors.
//
// The algorithm:
//
//  1. CanonicalRequest =
//     Method + "\n" + CanonicalURI + "\n" + CanonicalQueryString + "\n" +
//     CanonicalHeaders + "\n" + SignedHeaders + "\n" + HashedRequestPayload
//     where CanonicalURI is the escaped path ("/" for RPC-style APIs);
//     CanonicalQueryString is the decoded query parameters, sorted, with
//     names and values strictly RFC 3986-encoded, as "name=value" joined by
//     "&"; CanonicalHeaders is "name:value\n" for every signed header (name
//     lower-cased, values trimmed, several values sorted and joined by ","),
//     in the order of SignedHeaders, which is the lower-case names sorted
//     and joined by ";"; HashedRequestPayload is hex(SHA-256(body)).
//  2. StringToSign = "ACS3-HMAC-SHA256\n" + hex(SHA-256(CanonicalRequest)).
//  3. Signature = hex(HMAC-SHA256(key = AccessKeySecret, StringToSign)). The
//     key is the bare secret: unlike signature v1, no "&" is appended.
//  4. Authorization = "ACS3-HMAC-SHA256 Credential=" + AccessKeyId +
//     ",SignedHeaders=" + SignedHeaders + ",Signature=" + Signature, with no
//     spaces after the commas and no date or region scope.
//
// A signer signs host, content-type and every x-acs-* header it sends
// (SignedHeaderNames); a verifier rebuilds the canonical request from the
// headers the Authorization header names.
package acs3

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/cloudflowlog/flowlog-go/internal/acsv1"
)

const (
	// Algorithm is the only algorithm this package implements, the first
	// word of the Authorization header and the first line of the string to
	// sign. The SDKs also know ACS3-HMAC-SM3 and ACS3-RSA-SHA256.
	Algorithm = "ACS3-HMAC-SHA256"

	// The common request headers, lower-case as they are signed.
	HeaderAction        = "x-acs-action"
	HeaderVersion       = "x-acs-version"
	HeaderDate          = "x-acs-date"
	HeaderNonce         = "x-acs-signature-nonce"
	HeaderContentSHA256 = "x-acs-content-sha256"
	HeaderSecurityToken = "x-acs-security-token"

	// DateLayout is the format of x-acs-date: ISO 8601 UTC, no fraction.
	DateLayout = "2006-01-02T15:04:05Z"

	// EmptyPayloadHash is HashPayload of an empty body, the
	// x-acs-content-sha256 of every request without one.
	EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
)

// HashPayload returns the lower-case hex SHA-256 of a request body: the
// HashedRequestPayload line and the x-acs-content-sha256 header.
func HashPayload(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// Request is the part of an HTTP request that the signature covers.
type Request struct {
	// Method is used verbatim: callers pass it upper-case, as net/http
	// reports it.
	Method string
	// Path is the escaped path (URL.EscapedPath); "" stands for "/".
	Path string
	// Query holds the decoded query parameters. The wire encoding is not
	// canonical (Go clients write a space as "+"), so the canonical query
	// is always rebuilt from the decoded values.
	Query url.Values
	// Header holds the headers. Names are matched case-insensitively, so
	// keys that net/http did not canonicalize are found too.
	Header http.Header
	// Host is the value of the host header. A server takes it from
	// http.Request.Host, because net/http moves the Host header there; if
	// Host is empty, a "host" entry of Header is used.
	Host string
	// PayloadHash is HashPayload of the body.
	PayloadHash string
}

// PercentEncode encodes s under RFC 3986 as both signature versions
// require: every byte but A-Z a-z 0-9 - _ . ~ becomes %XX, upper-case hex,
// so a space is "%20", never "+".
func PercentEncode(s string) string { return acsv1.PercentEncode(s) }

// CanonicalQuery returns the CanonicalQueryString of the decoded query q:
// the parameters sorted by name and, for a repeated name, by value
// (comparing the decoded bytes), each written as PercentEncode(name) + "=" +
// PercentEncode(value), joined by "&". A parameter without a value is
// "name="; an empty query gives "".
func CanonicalQuery(q url.Values) string {
	type pair struct{ name, value string }
	pairs := make([]pair, 0, len(q))
	for name, values := range q {
		for _, v := range values {
			pairs = append(pairs, pair{name, v})
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		return cmp.Or(strings.Compare(a.name, b.name), strings.Compare(a.value, b.value))
	})
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(PercentEncode(p.name))
		b.WriteByte('=')
		b.WriteString(PercentEncode(p.value))
	}
	return b.String()
}

// headerValue returns the canonical value of header name (lower-case): every
// value under any spelling of the name, each trimmed, sorted and joined by
// ",". Sorting makes the result independent of map order when one name is
// given in several spellings, as in the SDK's own unit test.
func (r *Request) headerValue(name string) string {
	if name == "host" && r.Host != "" {
		return strings.TrimSpace(r.Host)
	}
	var values []string
	for k, vs := range r.Header {
		if strings.EqualFold(k, name) {
			for _, v := range vs {
				values = append(values, strings.TrimSpace(v))
			}
		}
	}
	slices.Sort(values)
	return strings.Join(values, ",")
}

// CanonicalHeaders returns the CanonicalHeaders block for the signed header
// names, in their order: "name:value\n" each. A signed header the request
// lacks is written with an empty value: it then verifies only if it was
// signed empty.
func CanonicalHeaders(r Request, signedHeaders []string) string {
	var b strings.Builder
	for _, name := range signedHeaders {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(r.headerValue(name))
		b.WriteByte('\n')
	}
	return b.String()
}

// CanonicalRequest returns the canonical request of r signed over
// signedHeaders, which must be lower-case and sorted (ParseAuthorization
// guarantees it; SignedHeaderNames returns such a list).
func CanonicalRequest(r Request, signedHeaders []string) string {
	path := r.Path
	if path == "" {
		path = "/"
	}
	return strings.Join([]string{
		r.Method,
		path,
		CanonicalQuery(r.Query),
		CanonicalHeaders(r, signedHeaders), // ends with "\n": a blank line follows
		strings.Join(signedHeaders, ";"),
		r.PayloadHash,
	}, "\n")
}

// StringToSign returns the string to sign of a canonical request.
func StringToSign(canonicalRequest string) string {
	sum := sha256.Sum256([]byte(canonicalRequest))
	return Algorithm + "\n" + hex.EncodeToString(sum[:])
}

// Sign returns hex(HMAC-SHA256(secret, stringToSign)), lower-case.
func Sign(stringToSign, secret string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(stringToSign))
	return hex.EncodeToString(mac.Sum(nil))
}

// Verify reports whether signature is the signature of stringToSign under
// secret. The comparison takes constant time, so the time of a refusal does
// not tell how much of a guessed signature was right.
func Verify(stringToSign, secret, signature string) bool {
	return hmac.Equal([]byte(Sign(stringToSign, secret)), []byte(signature))
}

// SignedHeaderNames returns the headers of h a signer signs: every host,
// content-type and x-acs-* header, lower-case, sorted, without duplicates.
// A client puts the host in h under "Host" for this: net/http sends
// http.Request.Host, not a Host entry of Header.
func SignedHeaderNames(h http.Header) []string {
	var names []string
	for k := range h {
		if n := strings.ToLower(k); MustSign(n) {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// MustSign reports whether a header of this lower-case name is one the
// documentation requires to be signed: host, content-type and x-acs-*.
func MustSign(name string) bool {
	return name == "host" || name == "content-type" || strings.HasPrefix(name, "x-acs-")
}

// Authorization is a parsed Authorization header.
type Authorization struct {
	// Algorithm is the first word, e.g. "ACS3-HMAC-SHA256".
	Algorithm     string
	Credential    string   // the AccessKey ID
	SignedHeaders []string // lower-case, sorted, unique
	Signature     string
}

// String formats a as an Authorization header value.
func (a Authorization) String() string {
	return a.Algorithm + " Credential=" + a.Credential +
		",SignedHeaders=" + strings.Join(a.SignedHeaders, ";") +
		",Signature=" + a.Signature
}

// ErrMalformedAuthorization is returned by ParseAuthorization for a header
// that is not of the documented form.
var ErrMalformedAuthorization = errors.New("acs3: malformed Authorization header")

// ParseAuthorization parses "<algorithm> Credential=<id>,SignedHeaders=<a;b>,
// Signature=<sig>". It is as strict as the documented form: one space after
// the algorithm, the three fields once each, in this order, separated by a
// bare ",", none empty, and the signed header names lower-case, sorted and
// unique. Every official SDK writes exactly that; a looser header comes
// from a hand-made signer whose canonical request would be ambiguous (in
// which order, in which case, did it write the header lines?). The
// algorithm is not checked: callers tell an unsupported one apart.
func ParseAuthorization(v string) (Authorization, error) {
	var a Authorization
	alg, rest, ok := strings.Cut(v, " ")
	if !ok || alg == "" {
		return a, ErrMalformedAuthorization
	}
	a.Algorithm = alg
	fields := strings.Split(rest, ",")
	if len(fields) != 3 {
		return a, ErrMalformedAuthorization
	}
	for i, name := range []string{"Credential", "SignedHeaders", "Signature"} {
		value, ok := strings.CutPrefix(fields[i], name+"=")
		if !ok || value == "" {
			return a, ErrMalformedAuthorization
		}
		switch i {
		case 0:
			a.Credential = value
		case 1:
			a.SignedHeaders = strings.Split(value, ";")
		case 2:
			a.Signature = value
		}
	}
	for i, name := range a.SignedHeaders {
		if name == "" || name != strings.ToLower(name) || strings.ContainsAny(name, " \t:") ||
			i > 0 && a.SignedHeaders[i-1] >= name {
			return a, ErrMalformedAuthorization
		}
	}
	return a, nil
}
