package redact

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPatternsOfEchoedRequests(t *testing.T) {
	for name, in := range map[string]string{
		"JSON member":        `{"AccessKeyId":"LTAIsecretid","SecurityToken":"CAISsecrettoken","Signature":"c2lnbmF0dXJl"}`,
		"JSON header array":  `{"X-TC-Token":["tcsecrettoken"],"SecretId":["AKIDsecretid"]}`,
		"escaped JSON":       `"{\"AccessKeyId\":\"LTAIsecretid\",\"SecurityToken\":\"CAISsecrettoken\"}"`,
		"header lines":       "X-TC-Token: tcsecrettoken\r\nX-Acs-Security-Token: CAISsecrettoken\r\n",
		"spaced JSON member": `{ "Token" : "tcsecrettoken" }`,
	} {
		t.Run(name, func(t *testing.T) {
			out := String(in)
			for _, secret := range []string{"LTAIsecretid", "CAISsecrettoken", "c2lnbmF0dXJl", "tcsecrettoken", "AKIDsecretid"} {
				assert.NotContains(t, out, secret)
			}
			assert.Contains(t, out, Mask)
		})
	}
}

func TestValuesMaskEveryEncoding(t *testing.T) {
	var v Values
	const token = "CAIS+tok/en=secret"
	v.Remember("LTAIsecretid", token, "", "short")
	for name, in := range map[string]string{
		"raw":            "echo: LTAIsecretid and " + token,
		"query encoded":  "q=" + url.QueryEscape(token),
		"double encoded": "sts=" + url.QueryEscape(url.QueryEscape(token)),
		"unnamed field":  `{"k":"LTAIsecretid"}`,
		"html page":      "<pre>LTAIsecretid</pre>",
	} {
		t.Run(name, func(t *testing.T) {
			out := v.String(in)
			assert.NotContains(t, out, "LTAIsecretid")
			assert.NotContains(t, out, "tok/en")
			assert.NotContains(t, out, "tok%2Fen")
			assert.Contains(t, out, Mask)
		})
	}
	assert.Equal(t, "short stays", v.String("short stays"), "values under the minimum length are not remembered")
	assert.Equal(t, "a "+Mask+" b", v.String("a per-call-sig b", "per-call-sig"), "extra values are masked too")
}

func TestValuesErrorKeepsIsAndHidesTheCause(t *testing.T) {
	var v Values
	v.Remember("LTAIsecretid")
	inner := fmt.Errorf("echo LTAIsecretid: %w", context.DeadlineExceeded)
	err := v.Error(fmt.Errorf("wrapped: %w", inner))
	assert.NotContains(t, err.Error(), "LTAIsecretid")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Nil(t, errors.Unwrap(err), "the raw text cannot be reached")
	clean := errors.New("nothing secret")
	assert.Same(t, clean, v.Error(clean))
	assert.True(t, v.Clean(clean))
	assert.False(t, v.Clean(inner))
}

func TestValuesStayBounded(t *testing.T) {
	var v Values
	for i := range 10 * maxValues {
		v.Remember(fmt.Sprintf("signature-%06d", i))
	}
	v.mu.RLock()
	n := len(v.vals)
	v.mu.RUnlock()
	assert.LessOrEqual(t, n, maxValues)
	last := fmt.Sprintf("signature-%06d", 10*maxValues-1)
	assert.False(t, strings.Contains(v.String(last), last), "the newest value is kept")
}
