// Package tc3 implements Tencent Cloud's API 3.0 request signature,
// TC3-HMAC-SHA256 ("signature method v3").
//
// It is written from the published algorithm, not taken from the Tencent
// SDK, so that the emulator in flowlog/flowlogtest checks the SDK's
// signatures independently: if both sides shared one implementation, a bug
// in it would go unnoticed. The unit tests pin it to the documented test
// vectors.
//
// The algorithm:
//
//  1. CanonicalRequest =
//     HTTPRequestMethod + "\n" + CanonicalURI + "\n" + CanonicalQueryString + "\n" +
//     CanonicalHeaders + "\n" + SignedHeaders + "\n" + HashedRequestPayload
//     where CanonicalURI is "/" for API 3.0, CanonicalQueryString is empty for
//     POST, CanonicalHeaders is "name:value\n" for every signed header (names
//     and values lower-cased, values trimmed, sorted by name), SignedHeaders
//     is the names joined by ";", and HashedRequestPayload is
//     hex(SHA-256(body)) (or of "UNSIGNED-PAYLOAD" when the request says
//     X-TC-Content-SHA256: UNSIGNED-PAYLOAD).
//  2. StringToSign = "TC3-HMAC-SHA256\n" + X-TC-Timestamp + "\n" +
//     CredentialScope + "\n" + hex(SHA-256(CanonicalRequest)), with
//     CredentialScope = Date + "/" + service + "/tc3_request" and Date the UTC
//     date (2006-01-02) of the timestamp.
//  3. SecretDate = HMAC-SHA256("TC3" + SecretKey, Date);
//     SecretService = HMAC-SHA256(SecretDate, service);
//     SecretSigning = HMAC-SHA256(SecretService, "tc3_request").
//  4. Signature = hex(HMAC-SHA256(SecretSigning, StringToSign)).
//  5. Authorization = "TC3-HMAC-SHA256 Credential=" + SecretId + "/" +
//     CredentialScope + ", SignedHeaders=" + SignedHeaders + ", Signature=" +
//     Signature.
package tc3

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	// Algorithm is the signature algorithm name, the first word of the
	// Authorization header and of the string to sign.
	Algorithm = "TC3-HMAC-SHA256"
	// Terminator ends every credential scope.
	Terminator = "tc3_request"
	// UnsignedPayload is the value of the X-TC-Content-SHA256 header that
	// asks for the body to be left out of the signature; the canonical
	// request then carries the hash of this string instead of the body's.
	UnsignedPayload = "UNSIGNED-PAYLOAD"
	// ContentSHA256Header is the header that selects UnsignedPayload.
	ContentSHA256Header = "X-TC-Content-SHA256"
	// TimestampHeader carries the request time in Unix seconds.
	TimestampHeader = "X-TC-Timestamp"
	// DateLayout is the format of the date in the credential scope.
	DateLayout = "2006-01-02"
)

// HashHex returns the lower-case hex SHA-256 of data.
func HashHex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func hmacSHA256(key []byte, msg string) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(msg))
	return mac.Sum(nil)
}

// Date returns the credential-scope date of a Unix timestamp: its UTC date.
// Using a local date instead is the classic client bug that makes requests
// fail only around midnight.
func Date(timestamp int64) string {
	return time.Unix(timestamp, 0).UTC().Format(DateLayout)
}

// CanonicalRequest holds the parts of step 1.
type CanonicalRequest struct {
	// Method is the HTTP method, upper-case ("POST").
	Method string
	// URI is the canonical URI; "" means "/".
	URI string
	// Query is the canonical query string, "" for POST.
	Query string
	// Headers maps lower-case header names to their values. Only the names
	// listed in SignedHeaders are used; a missing one contributes an empty
	// value (and therefore, in practice, a signature mismatch).
	Headers map[string]string
	// SignedHeaders lists the signed header names, lower-case and sorted.
	SignedHeaders []string
	// HashedPayload is hex(SHA-256(body)), or HashHex of UnsignedPayload.
	HashedPayload string
}

// CanonicalHeaders returns the "name:value\n" lines of the signed headers:
// names and values lower-cased, values trimmed of surrounding white space.
func (c CanonicalRequest) CanonicalHeaders() string {
	var b strings.Builder
	for _, name := range c.SignedHeaders {
		b.WriteString(strings.ToLower(name))
		b.WriteByte(':')
		b.WriteString(strings.ToLower(strings.TrimSpace(c.Headers[strings.ToLower(name)])))
		b.WriteByte('\n')
	}
	return b.String()
}

// String renders the canonical request.
func (c CanonicalRequest) String() string {
	uri := c.URI
	if uri == "" {
		uri = "/"
	}
	return c.Method + "\n" + uri + "\n" + c.Query + "\n" + c.CanonicalHeaders() + "\n" +
		strings.Join(c.SignedHeaders, ";") + "\n" + c.HashedPayload
}

// Hash returns hex(SHA-256(canonical request)), the last line of the string
// to sign.
func (c CanonicalRequest) Hash() string { return HashHex([]byte(c.String())) }

// CredentialScope returns date + "/" + service + "/tc3_request".
func CredentialScope(date, service string) string {
	return date + "/" + service + "/" + Terminator
}

// StringToSign builds step 2. timestamp is the X-TC-Timestamp value exactly
// as sent; hashedCanonicalRequest is CanonicalRequest.Hash().
func StringToSign(timestamp, scope, hashedCanonicalRequest string) string {
	return Algorithm + "\n" + timestamp + "\n" + scope + "\n" + hashedCanonicalRequest
}

// Keys are the intermediate keys of step 3. They are exposed because the
// official documentation publishes them as test vectors.
type Keys struct {
	SecretDate    []byte
	SecretService []byte
	SecretSigning []byte
}

// DeriveKeys runs the key chain of step 3.
func DeriveKeys(secretKey, date, service string) Keys {
	var k Keys
	k.SecretDate = hmacSHA256([]byte("TC3"+secretKey), date)
	k.SecretService = hmacSHA256(k.SecretDate, service)
	k.SecretSigning = hmacSHA256(k.SecretService, Terminator)
	return k
}

// SignWithKey returns hex(HMAC-SHA256(signingKey, stringToSign)) (step 4).
func SignWithKey(signingKey []byte, stringToSign string) string {
	return hex.EncodeToString(hmacSHA256(signingKey, stringToSign))
}

// Sign derives the signing key from secretKey, date and service and signs
// stringToSign.
func Sign(secretKey, date, service, stringToSign string) string {
	return SignWithKey(DeriveKeys(secretKey, date, service).SecretSigning, stringToSign)
}

// Authorization is a parsed TC3 Authorization header.
type Authorization struct {
	SecretID string
	// Date is the credential-scope date, 2006-01-02.
	Date    string
	Service string
	// SignedHeaders are lower-case and sorted.
	SignedHeaders []string
	// Signature is 64 lower-case hex digits.
	Signature string
}

// Scope returns the authorization's credential scope.
func (a Authorization) Scope() string { return CredentialScope(a.Date, a.Service) }

// String renders the header value in the form the official SDKs send.
func (a Authorization) String() string {
	return Algorithm + " Credential=" + a.SecretID + "/" + a.Scope() +
		", SignedHeaders=" + strings.Join(a.SignedHeaders, ";") + ", Signature=" + a.Signature
}

// ParseError describes why an Authorization header is malformed. Reason is a
// short phrase in the style of the real gateway's messages, e.g.
// "`Service` in Credential not valid".
type ParseError struct{ Reason string }

func (e *ParseError) Error() string { return "tc3: malformed Authorization header: " + e.Reason }

func parseErr(reason string) error { return &ParseError{Reason: reason} }

// ParseAuthorization parses "TC3-HMAC-SHA256 Credential=<id>/<date>/<service>/tc3_request,
// SignedHeaders=<h1;h2>, Signature=<hex>". The three fields may come in any
// order, separated by commas with optional white space, and must each appear
// once. SignedHeaders must be lower-case, sorted, free of duplicates and
// contain at least content-type and host, as the specification requires.
// Errors are *ParseError.
func ParseAuthorization(header string) (Authorization, error) {
	var a Authorization
	rest, ok := strings.CutPrefix(strings.TrimSpace(header), Algorithm+" ")
	if !ok {
		return a, parseErr("`Algorithm` not valid, only " + Algorithm + " is supported")
	}
	seen := make(map[string]bool, 3)
	for part := range strings.SplitSeq(rest, ",") {
		key, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return a, parseErr("`" + strings.TrimSpace(part) + "` is not a key=value pair")
		}
		if seen[key] {
			return a, parseErr("`" + key + "` appears more than once")
		}
		seen[key] = true
		switch key {
		case "Credential":
			fields := strings.Split(value, "/")
			if len(fields) != 4 {
				return a, parseErr("`Credential` not valid")
			}
			a.SecretID, a.Date, a.Service = fields[0], fields[1], fields[2]
			if a.SecretID == "" {
				return a, parseErr("`SecretId` in Credential not valid")
			}
			if _, err := time.Parse(DateLayout, a.Date); err != nil || len(a.Date) != len(DateLayout) {
				return a, parseErr("`Date` in Credential not valid")
			}
			if a.Service == "" {
				return a, parseErr("`Service` in Credential not valid")
			}
			if fields[3] != Terminator {
				return a, parseErr("`Terminator` in Credential not valid")
			}
		case "SignedHeaders":
			a.SignedHeaders = strings.Split(value, ";")
			for i, h := range a.SignedHeaders {
				if h == "" || h != strings.ToLower(h) || strings.ContainsAny(h, " \t:") {
					return a, parseErr("`SignedHeaders` not valid")
				}
				if i > 0 && a.SignedHeaders[i-1] >= h {
					return a, parseErr("`SignedHeaders` must be sorted and unique")
				}
			}
			if !slices.Contains(a.SignedHeaders, "content-type") || !slices.Contains(a.SignedHeaders, "host") {
				return a, parseErr("`SignedHeaders` must include content-type and host")
			}
		case "Signature":
			if len(value) != sha256.Size*2 || strings.Trim(value, "0123456789abcdef") != "" {
				return a, parseErr("`Signature` not valid")
			}
			a.Signature = value
		default:
			return a, parseErr("unknown field `" + key + "`")
		}
	}
	for _, key := range []string{"Credential", "SignedHeaders", "Signature"} {
		if !seen[key] {
			return a, parseErr("`" + key + "` is missing")
		}
	}
	return a, nil
}

// HTTPCanonicalRequest builds the canonical request of an HTTP request whose
// body has been read into body, signing the given header names (lower-case,
// sorted). The host header is r.Host (which includes a non-default port),
// falling back to r.URL.Host on client requests; other headers are their
// values in r.Header, repeated values joined by ",". The payload hash honours
// X-TC-Content-SHA256: UNSIGNED-PAYLOAD.
func HTTPCanonicalRequest(r *http.Request, body []byte, signedHeaders []string) CanonicalRequest {
	headers := make(map[string]string, len(signedHeaders))
	for _, name := range signedHeaders {
		if name == "host" {
			host := r.Host
			if host == "" && r.URL != nil {
				host = r.URL.Host
			}
			headers[name] = host
			continue
		}
		headers[name] = strings.Join(r.Header.Values(name), ",")
	}
	hashed := HashHex(body)
	if r.Header.Get(ContentSHA256Header) == UnsignedPayload {
		hashed = HashHex([]byte(UnsignedPayload))
	}
	uri := "/"
	query := ""
	if r.URL != nil {
		if p := r.URL.EscapedPath(); p != "" {
			uri = p
		}
		if r.Method == http.MethodGet {
			query = r.URL.RawQuery
		}
	}
	return CanonicalRequest{
		Method:        r.Method,
		URI:           uri,
		Query:         query,
		Headers:       headers,
		SignedHeaders: signedHeaders,
		HashedPayload: hashed,
	}
}

// Verify reports whether auth's signature is the correct signature of r
// (with body) under secretKey. The string to sign uses the request's
// X-TC-Timestamp header verbatim and auth's credential scope; callers check
// the timestamp window and that auth.Date matches the timestamp separately.
// The comparison takes constant time.
func Verify(r *http.Request, body []byte, auth Authorization, secretKey string) bool {
	cr := HTTPCanonicalRequest(r, body, auth.SignedHeaders)
	sts := StringToSign(r.Header.Get(TimestampHeader), auth.Scope(), cr.Hash())
	want := Sign(secretKey, auth.Date, auth.Service, sts)
	return hmac.Equal([]byte(want), []byte(auth.Signature))
}

// SignRequest signs a client request: it reads X-TC-Timestamp from r (which
// must be set), signs the given headers (nil means content-type and host,
// what the official SDKs sign) and sets the Authorization header. body is
// the exact request body.
func SignRequest(r *http.Request, body []byte, secretID, secretKey, service string, signedHeaders []string) error {
	ts := r.Header.Get(TimestampHeader)
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errors.New("tc3: request has no valid " + TimestampHeader + " header")
	}
	date := Date(sec)
	if _, err := time.Parse(DateLayout, date); err != nil || len(date) != len(DateLayout) {
		// Outside years 0000-9999 the credential date cannot be written
		// in the scope's format; ParseAuthorization would refuse it.
		return errors.New("tc3: " + TimestampHeader + " " + ts + " is out of range")
	}
	if signedHeaders == nil {
		signedHeaders = []string{"content-type", "host"}
	}
	auth := Authorization{
		SecretID:      secretID,
		Date:          date,
		Service:       service,
		SignedHeaders: signedHeaders,
	}
	cr := HTTPCanonicalRequest(r, body, signedHeaders)
	auth.Signature = Sign(secretKey, auth.Date, service, StringToSign(ts, auth.Scope(), cr.Hash()))
	r.Header.Set("Authorization", auth.String())
	return nil
}
