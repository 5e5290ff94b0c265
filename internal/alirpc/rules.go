package alirpc

import (
	"regexp"
	"sort"
	"strings"

	"github.com/cloudflowlog/flowlog-go/flowlog"
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
func ValidateCommon(c *validate.Collector, s *flowlog.FlowLogSpec, provider string, tagKeyMax int) {
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
	for _, k := range SortedKeys(s.Tags) {
		field := "Tags[" + k + "]"
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

// SortedKeys returns the tag keys in order, so requests are deterministic.
func SortedKeys(tags map[string]string) []string {
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
