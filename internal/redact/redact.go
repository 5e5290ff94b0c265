// Package redact removes credentials and signatures from text before it can
// reach an error string or a log line.
//
// The Alibaba SDK puts the whole signed URL (AccessKeyId, Signature,
// SecurityToken) into transport errors, and its SignatureDoesNotMatch message
// repeats the string to sign. Both forms are handled: plain query parameters
// and the percent-encoded copies found inside a string to sign.
package redact

import (
	"errors"
	"regexp"
	"strings"
)

// Mask replaces a secret value.
const Mask = "REDACTED"

// secretParams are the request parameters whose values must never be shown.
var secretParams = []string{
	"AccessKeyId", "AccessKeySecret", "Signature", "SecurityToken", "BearerToken",
	"SecretId", "SecretKey", "Token", "X-TC-Token", "X-Acs-Security-Token",
}

var (
	// paramRe finds a secret parameter name and its separator at any encoding
	// depth: name= (raw), name%3D (once encoded), name%253D (twice encoded).
	// The name must not follow a letter, so NextToken or SignatureMethod do not
	// match. A word boundary (\b) is not enough: in a string to sign the name
	// follows "%26" or "%2526", and "6S" has no word boundary. Besides the
	// query forms, a JSON member ("Token":"...", "Token":["..."]) and a
	// header line (Token: ...) are recognised: servers and proxies echo
	// requests in those shapes too.
	paramRe = regexp.MustCompile(`(?i)(?:^|[^A-Za-z])(` + strings.Join(secretParams, "|") + `)(=|%3D|%253D|\\?"\s*:\s*\[?\s*\\?"|:[ \t]*)`)
	// credentialRe finds the key ID in a TC3 or ACS3 Authorization header.
	credentialRe = regexp.MustCompile(`(?i)\b(Credential=)[^/,\s]+`)
)

// String returns s with every secret parameter value replaced by Mask.
func String(s string) string {
	if s == "" {
		return s
	}
	var b strings.Builder
	last := 0
	// Only the name and separator are matched, never the value, so a secret
	// right after another one's terminator is found too.
	for _, m := range paramRe.FindAllStringSubmatchIndex(s, -1) {
		if m[2] < last {
			continue // a name inside a value already masked
		}
		start := m[5]
		b.WriteString(s[last:start])
		b.WriteString(Mask)
		depth := 1 // the separator's encoding: raw, %3D or %253D
		if sep := s[m[4]:m[5]]; strings.EqualFold(sep, "%3D") || strings.EqualFold(sep, "%253D") {
			depth = len(sep)
		}
		last = valueEnd(s, start, depth)
	}
	b.WriteString(s[last:])
	return credentialRe.ReplaceAllString(b.String(), "${1}"+Mask)
}

// valueEnd returns the end of the value that starts at i and whose separator
// was sepLen bytes long (1, 3 or 5 for 0, 1 or 2 levels of encoding). A value
// ends at "&", white space, a quote, the end of s, or the encoded "&" of its
// own or a shallower depth ("%26", "%2526").
func valueEnd(s string, i, sepLen int) int {
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '&', ' ', '\t', '\n', '\r', '\f', '\v', '"', '\'', '\\', ',', ']', '}', '<':
			return j
		case '%':
			if sepLen >= 3 && strings.HasPrefix(s[j:], "%26") {
				return j
			}
			if sepLen >= 5 && strings.HasPrefix(s[j:], "%2526") {
				return j
			}
		}
	}
	return len(s)
}

// Error returns err when neither its text nor the text of any error it wraps
// holds anything String would remove. Otherwise it returns an error whose
// text is err's, redacted, and which matches what err matches with
// errors.Is (context.DeadlineExceeded, say) but unwraps to nothing, so that
// the raw texts cannot be reached through it.
func Error(err error) error { return (*Values)(nil).Error(err) }

type redacted struct {
	text string
	orig error
}

func (r *redacted) Error() string { return r.text }

// Is lets errors.Is see through to the original error without exposing it.
func (r *redacted) Is(target error) bool { return errors.Is(r.orig, target) }
