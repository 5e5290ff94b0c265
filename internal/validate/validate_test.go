package validate

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestNoURLPrefix: the http:// and https:// prefixes are refused in any
// letter case (seed 000 and seed 004 FlowLogName/Description; a URL scheme
// is case-insensitive, RFC 3986 §3.1), as the flowlogtest emulator refuses
// them; the text may mention a URL later.
func TestNoURLPrefix(t *testing.T) {
	for v, ok := range map[string]bool{
		"http://x": false, "https://x": false, "HTTP://x": false, "Https://x": false, "hTTpS://x": false,
		"": true, "http": true, "http:/x": true, "see http://x": true, "httpsx://": true, "名字": true,
	} {
		var c Collector
		assert.Equal(t, ok, c.NoURLPrefix("Name", v), v)
		assert.Equal(t, ok, len(c.Errs) == 0, v)
	}
}
