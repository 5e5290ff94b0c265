// Package acsv1 implements Alibaba Cloud's RPC request signature, version 1.0
// (SignatureMethod=HMAC-SHA1), as used by the classic RPC-style OpenAPI
// gateway (VPC 2016-04-28, CEN/Cbn 2017-09-12, ...).
//
// It is written from the published algorithm, not copied from the Alibaba SDK,
// so that the emulator in flowlog/flowlogtest can check the SDK's signatures
// independently: if both sides shared one implementation, a bug in it would
// go unnoticed. The unit tests pin it to the documented test vectors.
//
// The algorithm:
//
//  1. Take every request parameter (query string and form body) except
//     Signature. Parameters with empty values, notably the SDK's
//     "SignatureType=", are kept: they are part of what the client signed.
//  2. Sort them by key and encode them as key=value pairs joined by "&"
//     (url.Values.Encode), then make the encoding RFC 3986 strict:
//     "+" -> "%20", "*" -> "%2A", "%7E" -> "~".
//  3. StringToSign = METHOD + "&" + PercentEncode("/") + "&" + PercentEncode(step 2).
//  4. Signature = base64(HMAC-SHA1(key = AccessKeySecret + "&", StringToSign)).
package acsv1

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"strings"
)

// SignatureParam is the name of the parameter that carries the signature. It
// is the only parameter left out of the string to sign.
const SignatureParam = "Signature"

// rfc3986 turns Go's form encoding (application/x-www-form-urlencoded, which
// writes a space as "+" and leaves "*" alone) into the strict RFC 3986
// percent-encoding Alibaba specifies. Go already leaves "~" unescaped; the
// "%7E" rule is kept so the function is correct for any input encoder.
var rfc3986 = strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~")

// PercentEncode encodes s the way Alibaba's signature specification requires:
// every byte except the unreserved set A-Z a-z 0-9 - _ . ~ becomes %XX with
// uppercase hex digits.
func PercentEncode(s string) string {
	return rfc3986.Replace(url.QueryEscape(s))
}

// CanonicalQuery returns the sorted, strictly percent-encoded parameter string
// (step 2 of the algorithm). The Signature parameter is skipped; all others,
// including those with empty values, are included. Repeated values of one key
// keep their order.
func CanonicalQuery(params url.Values) string {
	if _, ok := params[SignatureParam]; ok {
		trimmed := make(url.Values, len(params))
		for k, v := range params {
			if k != SignatureParam {
				trimmed[k] = v
			}
		}
		params = trimmed
	}
	return rfc3986.Replace(params.Encode())
}

// StringToSign builds the canonical string to sign for an RPC request sent
// with the given HTTP method ("GET" or "POST") and parameters. The method is
// used verbatim; callers pass it upper-case, as net/http reports it.
func StringToSign(method string, params url.Values) string {
	return method + "&" + PercentEncode("/") + "&" + PercentEncode(CanonicalQuery(params))
}

// Sign returns base64(HMAC-SHA1(secret+"&", stringToSign)). The trailing "&"
// on the key is part of the specification (it separates the AccessKey secret
// from an unused token secret).
func Sign(stringToSign, secret string) string {
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// SignParams computes the signature of a request with the given method and
// parameters (any Signature parameter is ignored). It is a shortcut for
// Sign(StringToSign(method, params), secret).
func SignParams(method string, params url.Values, secret string) string {
	return Sign(StringToSign(method, params), secret)
}

// Verify reports whether signature is the correct signature of stringToSign
// under secret. The comparison takes constant time.
func Verify(stringToSign, secret, signature string) bool {
	return hmac.Equal([]byte(Sign(stringToSign, secret)), []byte(signature))
}
