package redact

import (
	"encoding/json"
	"net/url"
	"strings"
	"sync"
)

// Values masks known secrets by value, wherever and however they appear:
// pattern redaction (String) only finds a secret behind a name it knows, so
// a server that echoes a request in a format of its own (a JSON dump, a
// header list, an HTML page) would get past it. An adapter remembers every
// credential it signs with, including refreshed STS tokens, and the
// signatures it sends, and scrubs every text it hands out with its Values.
//
// The zero value is ready to use and safe for concurrent use. It keeps the
// most recent maxValues values: enough for the credentials in use and the
// signatures of the requests in flight, bounded however long the adapter
// lives.
type Values struct {
	mu   sync.RWMutex
	vals []string // most recent last
}

// maxValues bounds a Values: a few credentials, and the signatures of the
// calls in flight at a time.
const maxValues = 256

// minSecretLen is the shortest value Remember keeps. Masking a value of a
// few characters would mangle ordinary text ("ok", "1") and such a value
// hides nothing a guess would not find.
const minSecretLen = 6

// Remember adds secrets. Empty and short values are ignored.
func (v *Values) Remember(secrets ...string) {
	if v == nil {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, s := range secrets {
		if len(s) < minSecretLen {
			continue
		}
		for _, form := range forms(s) {
			if i := indexOf(v.vals, form); i >= 0 {
				v.vals = append(v.vals[:i], v.vals[i+1:]...) // move it to the end
			}
			v.vals = append(v.vals, form)
		}
	}
	if n := len(v.vals) - maxValues; n > 0 {
		v.vals = append([]string(nil), v.vals[n:]...)
	}
}

func indexOf(vals []string, s string) int {
	for i, x := range vals {
		if x == s {
			return i
		}
	}
	return -1
}

// forms returns the encodings a secret can appear in: as it is, percent
// encoded once and twice (a query string, a string to sign), and
// JSON-escaped.
func forms(s string) []string {
	out := []string{s}
	add := func(f string) {
		if indexOf(out, f) < 0 {
			out = append(out, f)
		}
	}
	once := url.QueryEscape(s)
	add(once)
	add(strings.ReplaceAll(once, "+", "%20"))
	add(url.QueryEscape(once))
	if b, err := json.Marshal(s); err == nil {
		add(string(b[1 : len(b)-1]))
	}
	return out
}

// String returns s with every remembered value, and every value of extra,
// replaced by Mask, then redacted by pattern (see String).
func (v *Values) String(s string, extra ...string) string {
	if s == "" {
		return s
	}
	var vals []string
	if v != nil {
		v.mu.RLock()
		vals = append(vals, v.vals...)
		v.mu.RUnlock()
	}
	for _, e := range extra {
		if len(e) >= minSecretLen {
			vals = append(vals, forms(e)...)
		}
	}
	// Longest first, so a value that contains another is masked whole.
	for i := 1; i < len(vals); i++ {
		for j := i; j > 0 && len(vals[j]) > len(vals[j-1]); j-- {
			vals[j], vals[j-1] = vals[j-1], vals[j]
		}
	}
	for _, val := range vals {
		if strings.Contains(s, val) {
			s = strings.ReplaceAll(s, val, Mask)
		}
	}
	return String(s)
}

// Error is like the package's Error, but also masks the remembered values
// and extra: it returns err itself when no text in its tree holds a secret,
// else an error with the scrubbed text that matches what err matches with
// errors.Is and unwraps to nothing.
func (v *Values) Error(err error, extra ...string) error {
	if err == nil || v.clean(err, extra) {
		return err
	}
	return &redacted{text: v.String(err.Error(), extra...), orig: err}
}

func (v *Values) clean(err error, extra []string) bool {
	if text := err.Error(); v.String(text, extra...) != text {
		return false
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		if next := u.Unwrap(); next != nil {
			return v.clean(next, extra)
		}
	case interface{ Unwrap() []error }:
		for _, next := range u.Unwrap() {
			if next != nil && !v.clean(next, extra) {
				return false
			}
		}
	}
	return true
}

// Clean reports whether no text in err's tree holds a remembered value, a
// value of extra or a secret String would remove.
func (v *Values) Clean(err error, extra ...string) bool {
	return err == nil || v.clean(err, extra)
}
