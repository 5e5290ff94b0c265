// Package validate collects field errors for the adapters' spec rules, so
// every adapter reports bad fields the same way and all of them at once.
package validate

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
)

// Collector accumulates field errors.
type Collector struct {
	Errs []driver.FieldError
}

// Invalid records an invalid field.
func (c *Collector) Invalid(field, format string, args ...any) {
	c.Errs = append(c.Errs, driver.FieldError{Field: field, Code: driver.CodeInvalidArgument, Reason: fmt.Sprintf(format, args...)})
}

// Unsupported records a field the provider cannot express.
func (c *Collector) Unsupported(field, provider string) {
	c.Errs = append(c.Errs, driver.FieldError{Field: field, Code: driver.CodeUnsupported, Reason: "not supported by " + provider})
}

// Length checks that v, when not empty, has min..max characters.
func (c *Collector) Length(field, v string, min, max int) bool {
	if v == "" {
		return true
	}
	if n := utf8.RuneCountInString(v); n < min || n > max {
		c.Invalid(field, "must be %d to %d characters, got %d", min, max, n)
		return false
	}
	return true
}

// NoURLPrefix checks that v does not start with http:// or https://, a
// rule Alibaba Cloud applies to names and descriptions: seed 000 (CEN
// CreateFlowlog, FlowLogName and Description: "不能以`http://`或`https://`开头"),
// seed 004 (VPC CreateFlowLog: "cannot start with http:// or https://")
// and acs3-and-lifecycle §2.1, §2.2 (ModifyFlowLogAttribute). The docs
// write the prefixes in lower case, and only those are refused: "HTTP://x"
// is not, by the flowlogtest emulator either, unless it runs with
// flowlogtest.WithStrictRules.
func (c *Collector) NoURLPrefix(field, v string) bool {
	if strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://") {
		c.Invalid(field, "must not start with http:// or https://")
		return false
	}
	return true
}

// Match checks v against re, naming the rule in the error.
func (c *Collector) Match(field, v string, re *regexp.Regexp, rule string) bool {
	if !re.MatchString(v) {
		c.Invalid(field, "%s, got %q", rule, v)
		return false
	}
	return true
}
