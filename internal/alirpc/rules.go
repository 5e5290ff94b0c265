package alirpc

import (
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/internal/validate"
)

// Documented Simple Log Service name rules, shared by VPC and CEN flow logs:
// seed 004 (VPC CreateFlowLog) ProjectName "can contain only lowercase
// letters, digits, and hyphens (-) ... must start and end with a lowercase
// letter or digit ... 3 to 63 characters", LogStoreName the same plus
// underscores; api-spec §2.1 ([TEA]) gives CEN the same two rules.
var (
	slsProject  = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$`)
	slsLogStore = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$`)
)

// Seed 000's (CEN CreateFlowlog) name and description rules. FlowLogName:
// "长度为2~128个字符，必须以字母或中文开头，可包含数字，点号（.），下划线（_）和短横线
// （-）" (2 to 128 characters, starting with a letter or a Chinese
// character, containing digits, ".", "_" and "-" besides); Description:
// "长度为2~256个字符，必须以字母或中文开头" (2 to 256 characters, starting with a
// letter or a Chinese character). A letter (字母) is an ASCII letter, a
// Chinese character one of the Han script. Neither may start with http://
// or https:// (checked by validate.Collector.NoURLPrefix).
var (
	cenName        = regexp.MustCompile(`^[A-Za-z\p{Han}][A-Za-z\p{Han}0-9._-]*$`)
	cenDescription = regexp.MustCompile(`^[A-Za-z\p{Han}]`)
)

// MaxTags is the documented number of tags a flow log may carry: seed 004
// Tag "You can specify up to 20 tag keys"; api-spec §2.1 (CEN) "≤20 tags".
const MaxTags = 20

// ValidateNames checks VPC's newest FlowLogName and Description rules: seed
// 004 (VPC CreateFlowLog) FlowLogName "1 to 128 characters in length and
// cannot start with http:// or https://", Description "1 to 256 characters
// ... cannot start with http:// or https://". The older VPC docs (seed
// 001, 002) asked for 2 characters and a letter first; seed 004 dropped
// that. The prefixes are refused as the docs write them, in lower case
// (validate.Collector.NoURLPrefix). The flowlogtest emulator applies the same rules.
func ValidateNames(c *validate.Collector, s *driver.FlowLogSpec) {
	if c.Length("Name", s.Name, 1, 128) {
		c.NoURLPrefix("Name", s.Name)
	}
	if c.Length("Description", s.Description, 1, 256) {
		c.NoURLPrefix("Description", s.Description)
	}
}

// ValidateCENNames checks CEN CreateFlowlog's FlowLogName and Description
// rules, those of seed 000 (see cenName). api-spec §2.1 reports newer
// metadata ([TEA]) with looser ones (1–128 / 1–256, only the URL prefix
// refused); the seed is the documentation at hand, so its rules apply, and
// the flowlogtest emulator applies the same.
func ValidateCENNames(c *validate.Collector, s *driver.FlowLogSpec) {
	if s.Name != "" && c.Length("Name", s.Name, 2, 128) && c.NoURLPrefix("Name", s.Name) {
		c.Match("Name", s.Name, cenName,
			"must start with a letter or a Chinese character and contain only letters, Chinese characters, digits, '.', '_' and '-'")
	}
	if s.Description != "" && c.Length("Description", s.Description, 2, 256) && c.NoURLPrefix("Description", s.Description) {
		c.Match("Description", s.Description, cenDescription, "must start with a letter or a Chinese character")
	}
}

// ValidateCommon checks the rules VPC and CEN flow logs share: SLS
// destination and tags. Names and descriptions differ between the products
// (ValidateNames, ValidateCENNames), and so does tagKeyMax (128 on VPC, 64
// on CEN).
//
// Tags: seed 004 (VPC CreateFlowLog) Tag.N.Key "up to 20 tag keys ... cannot
// be an empty string ... up to 128 characters in length and cannot start
// with aliyun or acs:. It cannot contain http:// or https://", Tag.N.Value
// "can be an empty string ... up to 128 characters", the same prefix and
// content rules; api-spec §2.1 (CEN, [TEA]): key ≤64 characters, otherwise
// the same. The prefixes and URLs are compared in lower case, as the docs
// write them, the same as the URL prefixes of names (validate.Collector.NoURLPrefix).
func ValidateCommon(c *validate.Collector, s *driver.FlowLogSpec, provider string, tagKeyMax int) {
	if s.Destination.CLS != nil {
		c.Unsupported("Destination.CLS", provider)
	}
	if s.Destination.CKafka != nil {
		c.Unsupported("Destination.CKafka", provider)
	}
	if sls := s.Destination.SLS; sls != nil {
		c.Match("Destination.SLS.Project", sls.Project, slsProject,
			"must be 3 to 63 lowercase letters, digits or hyphens, starting and ending with a letter or digit")
		c.Match("Destination.SLS.LogStore", sls.LogStore, slsLogStore,
			"must be 3 to 63 lowercase letters, digits, hyphens or underscores, starting and ending with a letter or digit")
	}
	if len(s.Tags) > MaxTags {
		c.Invalid("Tags", "at most %d tags, got %d", MaxTags, len(s.Tags))
	}
	for _, k := range slices.Sorted(maps.Keys(s.Tags)) {
		field := "Tags[" + strings.ToValidUTF8(k, "\uFFFD") + "]"
		if c.Length(field+" key", k, 1, tagKeyMax) {
			tagText(c, field+" key", k)
		}
		if v := s.Tags[k]; c.Length(field+" value", v, 0, 128) {
			tagText(c, field+" value", v)
		}
	}
}

func tagText(c *validate.Collector, field, v string) {
	switch {
	case strings.HasPrefix(v, "aliyun"), strings.HasPrefix(v, "acs:"):
		c.Invalid(field, "must not start with aliyun or acs:")
	case strings.Contains(v, "http://"), strings.Contains(v, "https://"):
		c.Invalid(field, "must not contain http:// or https://")
	}
}

// TotalCount reads the string TotalCount of a describe response; -1 when it
// is missing or not a number, so paging relies on short pages instead.
func TotalCount(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

// Destination is the SLS destination of a described flow log.
func Destination(project, logstore string) driver.Destination {
	if project == "" && logstore == "" {
		return driver.Destination{}
	}
	return driver.Destination{SLS: &driver.SLSDestination{Project: project, LogStore: logstore}}
}

// CreationTime parses Alibaba's "2006-01-02T15:04:05Z"; zero if malformed.
func CreationTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

// Tags turns a described tag list into a map; nil for none.
func Tags[T any](items []T, kv func(T) (string, string)) map[string]string {
	if len(items) == 0 {
		return nil
	}
	m := make(map[string]string, len(items))
	for _, it := range items {
		k, v := kv(it)
		m[k] = v
	}
	return m
}

// MissingID is the error for a success response without a flow log ID: the
// request may have worked, but nothing can be done with the answer.
func (m Mapper) MissingID(op, requestID string, status int) error {
	return &driver.Error{Code: driver.CodeUnavailable, Retry: driver.RetryAmbiguous, Provider: m.Provider, Op: op,
		RequestID: requestID, HTTPStatus: status, Message: "malformed response: no FlowLogId"}
}

// ValidatePatch checks what p sets by the rules of ModifyFlowLogAttribute,
// which VPC and CEN share for names (acs3-and-lifecycle §2.1 VPC
// "FlowLogName is 1–128 chars and must not start with http:// or https://",
// "Description is 1–256 chars, same rule"; §2.2 CEN the same, or empty, and
// an SDK sends no empty value, so a patch to "" would change nothing), and
// its interval against the product's valid ones (say, "1m, 5m or 10m").
func ValidatePatch(p *driver.Patch, intervals map[time.Duration]bool, valid string) []driver.FieldError {
	var c validate.Collector
	for _, f := range []struct {
		field string
		v     *string
		max   int
	}{{driver.FieldName, p.Name, 128}, {driver.FieldDescription, p.Description, 256}} {
		switch {
		case f.v == nil:
		case *f.v == "":
			c.Invalid(f.field, "must not be empty: the API cannot clear it")
		case c.Length(f.field, *f.v, 1, f.max):
			c.NoURLPrefix(f.field, *f.v)
		}
	}
	if d := p.AggregationInterval; d != nil && (*d == 0 || !intervals[*d]) {
		c.Invalid(driver.FieldAggregationInterval, "must be %s, got %s", valid, *d)
	}
	return c.Errs
}
