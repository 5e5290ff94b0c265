package redact

import (
	"fmt"
	"io"
	"log/slog"
	"strconv"
)

// Summary describes an adapter without its secrets: the provider, the
// endpoint and the kind of credentials. The adapters' Provider types hold
// credentials (an AccessKey secret, an STS token, a Tencent SecretKey), and
// fmt prints unexported fields too; their String, GoString, Format and
// LogValue methods delegate to a Summary built when the adapter is, so that
// no verb of fmt and no log/slog handler can reach the credentials.
type Summary struct {
	// Type is the Go type GoString names, e.g. "aliyun.Provider".
	Type string
	// Provider is the provider name, e.g. "aliyun".
	Provider string
	// Endpoint is "scheme://host[:port]" (see transport.Endpoint.Display).
	Endpoint string
	// Credentials is the kind of credentials, with at most KeyHint of the
	// key ID, e.g. "static AccessKey LTAI****". Never a secret or token.
	Credentials string
}

// String returns, e.g., "aliyun (endpoint https://vpc.example.test,
// credentials static AccessKey LTAI****)".
func (s Summary) String() string {
	return s.Provider + " (endpoint " + s.Endpoint + ", credentials " + s.Credentials + ")"
}

// GoString returns, e.g., `&aliyun.Provider{endpoint:"https://vpc.example.test",
// credentials:"static AccessKey LTAI****"}`, for %#v.
func (s Summary) GoString() string {
	return "&" + s.Type + "{endpoint:" + strconv.Quote(s.Endpoint) + ", credentials:" + strconv.Quote(s.Credentials) + "}"
}

// Format makes every verb of fmt print the summary: %#v its GoString, every
// other verb (with its flags) its String. Without it a verb that ignores
// String, such as %d, would print the fields of the value.
func (s Summary) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, s.GoString())
		return
	}
	_, _ = fmt.Fprintf(f, fmt.FormatString(f, verb), s.String())
}

// LogValue returns the group {name, endpoint, credentials}.
func (s Summary) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("name", s.Provider),
		slog.String("endpoint", s.Endpoint),
		slog.String("credentials", s.Credentials))
}

// minHintedKeyID is the shortest key ID whose prefix KeyHint shows. Real
// IDs are longer (Alibaba AccessKey IDs 16 to 30 characters, STS ones far
// more, Tencent SecretIds 36), so their first four characters are only the
// kind of key; a short ID would give away too large a share of itself.
const minHintedKeyID = 16

// KeyHint returns what may be shown of a key ID: its first four characters,
// which name the kind of key ("LTAI" for an Alibaba AccessKey, "STS." for
// an Alibaba STS key, "AKID" for a Tencent SecretId), then "****"; only
// "****" for an ID shorter than 16 characters or not made of printable
// ASCII. Secrets, tokens and signatures are never passed to it.
func KeyHint(id string) string {
	if len(id) < minHintedKeyID {
		return "****"
	}
	for i := range 4 {
		if id[i] <= ' ' || id[i] > '~' {
			return "****"
		}
	}
	return id[:4] + "****"
}
