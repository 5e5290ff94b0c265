package validate

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestNoURLPrefix: the http:// and https:// prefixes are refused as the
// docs write them, in lower case (seed 000 and seed 004
// FlowLogName/Description), as the flowlogtest emulator refuses them by
// default; the text may mention a URL later.
func TestNoURLPrefix(t *testing.T) {
	for v, ok := range map[string]bool{
		"http://x": false, "https://x": false, "HTTP://x": true, "Https://x": true, "hTTpS://x": true,
		"": true, "http": true, "http:/x": true, "see http://x": true, "httpsx://": true, "名字": true,
	} {
		var c Collector
		assert.Equal(t, ok, c.NoURLPrefix("Name", v), v)
		assert.Equal(t, ok, len(c.Errs) == 0, v)
	}
}
