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

// Documented Simple Log Service name rules, shared by VPC and CEN flow logs.
var (
	slsProject  = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$`)
	slsLogStore = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$`)
)

// MaxTags is the documented number of tags a flow log may carry.
const MaxTags = 20

// ValidateCommon checks the rules VPC and CEN flow logs share: name,
// description, SLS destination and tags. tagKeyMax differs between the two
// products (128 on VPC, 64 on CEN).
//
// Name is 1..128 characters and Description 1..256, neither starting with
// http:// or https:// (any letter case, see validate.NoURLPrefix). These are
// the newest documented rules: VPC, seed 004 FlowLogName ("1 to 128
// characters in length and cannot start with http:// or https://") and
// Description ("1 to 256"); CEN, api-spec §2.1 ([TEA] HEAD: "empty or
// 1–128 chars, must not start with http(s)://", "empty or 1–256"). The older
// docs, seed 000 (CEN) and seed 001 (VPC), also asked for at least 2
// characters, a letter or Chinese character first and, in a name, only
// letters, Chinese, digits, ".", "_" and "-"; the newer metadata dropped
// those, and so does this check (and the flowlogtest emulator).
func ValidateCommon(c *validate.Collector, s *driver.FlowLogSpec, provider string, tagKeyMax int) {
	if c.Length("Name", s.Name, 1, 128) {
		c.NoURLPrefix("Name", s.Name)
	}
	if c.Length("Description", s.Description, 1, 256) {
		c.NoURLPrefix("Description", s.Description)
	}
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
	lower := strings.ToLower(v)
	switch {
	case strings.HasPrefix(lower, "aliyun"), strings.HasPrefix(lower, "acs:"):
		c.Invalid(field, "must not start with aliyun or acs:")
	case strings.Contains(lower, "http://"), strings.Contains(lower, "https://"):
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
