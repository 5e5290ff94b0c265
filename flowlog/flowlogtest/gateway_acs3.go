package flowlogtest

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/cloudflowlog/flowlog-go/internal/acs3"
)

// This file is the ACS3-HMAC-SHA256 half of the RPC gateway (see
// gateway_rpc.go): the newer official SDKs (darabonba-openapi v2, under
// every github.com/alibabacloud-go/* client) sign with it by default. Action
// and Version travel in the x-acs-action and x-acs-version headers, the
// parameters in the query or a form body as with signature v1, and the
// signature in the Authorization header. Only the parsing and the signature
// check differ from v1: what follows the signature (date window, nonce, STS
// token, Version, Action, dispatch) is rpcGateway.admit for both, so an
// ACS3 request reaches the same handlers with the same parameters.

// acs3RequiredHeaders are the common headers every ACS3 request must carry,
// in the order their absence is reported. All are required by the V3
// request documentation (acs3-and-lifecycle §1.2: x-acs-action,
// x-acs-version, x-acs-date, x-acs-signature-nonce "[DOC-V3] says it is
// required; [DOC-ROA3] lists it as optional", x-acs-content-sha256);
// x-acs-security-token is checked with the credential, as SecurityToken is
// for v1 ("required with STS credentials").
var acs3RequiredHeaders = []string{
	acs3.HeaderAction, acs3.HeaderVersion, acs3.HeaderDate,
	acs3.HeaderNonce, acs3.HeaderContentSHA256,
}

// ACS3 error answers, with the codes and messages of acs3-and-lifecycle-apis.md
// §1.7, which documents only SignatureDoesNotMatch and IncompleteSignature
// for ACS3; the other codes are the gateway's, shared with v1.
var (
	// errACS3Incomplete answers an Authorization header that is not of the
	// documented form, or one that leaves a header unsigned that the
	// documentation says must be signed.
	errACS3Incomplete = errBadRequest("IncompleteSignature",
		"The request signature does not conform to Aliyun standards.")
	// errACS3Mismatch is the V3 wording. Unlike v1's, it carries no string
	// to sign: the newer SDKs do not read one back. The emulator logs its
	// canonical request in Detail instead.
	errACS3Mismatch = errBadRequest("SignatureDoesNotMatch",
		"Specified signature does not match our calculation.")
)

// withDetail returns a copy of e with Detail set, for the log.
func withDetail(e *apiError, detail string) *apiError {
	c := *e
	c.Detail = detail
	return &c
}

// isACS3 reports whether r is signed with ACS3: its Authorization header
// names an ACS3 algorithm. The v1 SDKs send x-acs-action and x-acs-version
// headers too (unsigned), so those do not tell the versions apart. An
// ACS3-SM3 or -RSA request is taken as ACS3 and refused as an unsupported
// method rather than as a v1 request lacking its parameters.
func isACS3(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Authorization"), "ACS3-")
}

// routeACS3 returns the Version and Action an ACS3 request names.
func routeACS3(r *http.Request) (version, action string) {
	return r.Header.Get(acs3.HeaderVersion), r.Header.Get(acs3.HeaderAction)
}

// parseACS3 parses an ACS3 request. The body is read whatever its type,
// since its hash is signed; it adds parameters only if it is a form.
func parseACS3(r *http.Request) (rpcInput, error) {
	body, err := readRPCBody(r)
	if err != nil {
		return rpcInput{}, err
	}
	params, err := mergeRPCParams(r, body)
	if err != nil {
		return rpcInput{}, err
	}
	version, action := routeACS3(r)
	return rpcInput{
		version: version,
		action:  action,
		verify:  func(keys keyring) (signedRequest, error) { return verifyACS3(keys, r, params, body) },
	}, nil
}

// verifyACS3 checks an ACS3 request in this order: the common headers are
// there (MissingParameter, naming the header), the algorithm is
// ACS3-HMAC-SHA256 (InvalidSignatureMethod), the Authorization header is
// well-formed and signs every header the documentation requires
// (IncompleteSignature), the AccessKey is known (InvalidAccessKeyId.NotFound),
// x-acs-content-sha256 is the body's hash, and the signature
// (SignatureDoesNotMatch for either).
//
// x-acs-date is checked afterwards by admit, in v1's window of 15 minutes
// either side of the server clock. The V3 documentation says the date must
// be within 15 minutes before the request is sent (acs3-and-lifecycle
// §1.2), so a date further off is refused as documented; a date up to 15
// minutes in the future is accepted, an emulator choice (v1's symmetric
// window, api-spec §7.1: client and server clocks differ, so "before"
// cannot be told to the second), and no source names a code for a date
// in the future (§1.7): InvalidTimeStamp.Expired, which v1 answers for
// both directions, is the closest documented one (emulator choice). A
// nonce must be unique (§1.2), so a reused one is refused as documented;
// that v3 shares v1's cache and window is an emulator choice, as the V3
// replay window is not documented (§1.7) and both versions reach one
// gateway (§4).
func verifyACS3(keys keyring, r *http.Request, params url.Values, body []byte) (signedRequest, error) {
	for _, name := range acs3RequiredHeaders {
		if r.Header.Get(name) == "" {
			// The headers are required (see acs3RequiredHeaders), so the
			// refusal is documented; the notes give no code for it, and
			// MissingParameter, the gateway's code for a missing common
			// parameter (these headers are ACS3's common parameters), is an
			// emulator choice.
			return signedRequest{}, errMissingCommonParameter(name)
		}
	}
	// acs3-and-lifecycle §1.2 Authorization "ACS3-HMAC-SHA256
	// Credential=<AccessKeyId>,SignedHeaders=<a;b;c>,Signature=<hex>";
	// another form is IncompleteSignature ("does not conform to Aliyun
	// standards", §1.7).
	auth, err := acs3.ParseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		return signedRequest{}, withDetail(errACS3Incomplete, err.Error())
	}
	if auth.Algorithm != acs3.Algorithm {
		// Not documented for ACS3 either: the real gateway takes SM3 and
		// RSA signatures (acs3-and-lifecycle §1.3 "The SDK also knows
		// ACS3-HMAC-SM3, ACS3-RSA-SHA256"), the emulator does not, and
		// InvalidSignatureMethod is the gateway's code (an emulator choice,
		// see gateway_rpc.go) for a method it does not support.
		return signedRequest{}, withDetail(errSignatureMethod, auth.Algorithm)
	}
	if name := unsignedHeader(r, auth.SignedHeaders); name != "" {
		// "All request headers except Authorization must be used for
		// signature calculation" (V3 documentation; acs3-and-lifecycle
		// §1.3 "every common header except Authorization must be
		// signed"; no code for it is documented, §1.7, so
		// IncompleteSignature, the documented code for a signature not of
		// the standard form, is an emulator choice). Enforcing it for
		// host, content-type and x-acs-* means a forwarded request cannot
		// change the action, version, date, nonce or token unnoticed.
		return signedRequest{}, withDetail(errACS3Incomplete, name+" is not signed")
	}
	cred, ok := keys[auth.Credential]
	if !ok {
		return signedRequest{}, errAccessKeyNotFound
	}
	hash := acs3.HashPayload(body)
	if got := r.Header.Get(acs3.HeaderContentSHA256); got != hash {
		// No source names a code for a wrong x-acs-content-sha256. The
		// header is the client's claim of what it signed as the payload
		// (§1.2 "it equals HashedRequestPayload"), so a wrong one is the
		// signature failure it amounts to, refused as documented; the
		// code, the closest documented one, is an emulator choice. Detail
		// tells them apart in the log. It is checked before the signature so that a body
		// changed after signing is reported as that.
		return signedRequest{}, withDetail(errACS3Mismatch,
			acs3.HeaderContentSHA256+" "+got+" is not the body's SHA-256 "+hash)
	}
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil { // parseACS3 has parsed it already
		return signedRequest{}, errMalformedRequest
	}
	canonical := acs3.CanonicalRequest(acs3.Request{
		Method:      r.Method,
		Path:        r.URL.EscapedPath(),
		Query:       query,
		Header:      r.Header,
		Host:        r.Host,
		PayloadHash: hash,
	}, auth.SignedHeaders)
	// acs3-and-lifecycle §1.3, §1.4: canonical request, string to sign and
	// HMAC-SHA256 with the raw secret, checked by internal/acs3 against the
	// §1.6 vectors.
	if !acs3.Verify(acs3.StringToSign(canonical), cred.secret, auth.Signature) {
		return signedRequest{}, withDetail(errACS3Mismatch, "server canonical request: "+canonical)
	}
	return signedRequest{
		cred:      cred,
		timestamp: r.Header.Get(acs3.HeaderDate),
		nonce:     r.Header.Get(acs3.HeaderNonce),
		token:     r.Header.Get(acs3.HeaderSecurityToken),
		action:    r.Header.Get(acs3.HeaderAction),
		params:    params,
	}, nil
}

// unsignedHeader returns the first header of r that must be signed and is
// not in signed (sorted), or "". net/http keeps the Host header in r.Host.
func unsignedHeader(r *http.Request, signed []string) string {
	for _, name := range append([]string{"host"}, acs3.SignedHeaderNames(r.Header)...) {
		if _, found := slices.BinarySearch(signed, name); !found {
			return name
		}
	}
	return ""
}
