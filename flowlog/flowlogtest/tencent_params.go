package flowlogtest

import (
	"fmt"
	"slices"
	"strings"
)

// This file holds the parameter rules of Tencent Cloud VPC (tencent.go).

// tencentResourceTypes maps ResourceType to the prefix of its IDs.
var tencentResourcePrefixes = map[string]string{
	"VPC":              "vpc",
	"SUBNET":           "subnet",
	"NETWORKINTERFACE": "eni",
	"CCN":              "ccn",
	"NAT":              "nat",
	"DCG":              "dcg",
}

// tencentResourceTypes lists the ResourceType values in documented order.
var tencentResourceTypes = []string{"VPC", "SUBNET", "NETWORKINTERFACE", "CCN", "NAT", "DCG"}

var (
	tencentTrafficTypes   = []string{"ACCEPT", "REJECT", "ALL"}
	tencentStorageTypes   = []string{"cls", "ckafka"}
	tencentCCNPeriods     = []int64{60, 300, 600}
	tencentCloudLogStates = []string{TencentCloudLogStateSuccess, TencentCloudLogStateDeleted}
)

const (
	tencentMaxNameLen        = 60
	tencentMaxDescriptionLen = 512
	tencentMaxTags           = 50
	tencentMaxTagKeyLen      = 127
	tencentMaxTagValueLen    = 255
	tencentDefaultCCNPeriod  = 600
)

func isLowerAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// validTencentID reports whether id is prefix + "-" + 8 lower-case
// alphanumerics, the shape of every Tencent VPC resource ID.
func validTencentID(prefix, id string) bool {
	rest, ok := strings.CutPrefix(id, prefix+"-")
	return ok && len(rest) == 8 && isLowerAlnum(rest)
}

// validUUID reports whether id is a lower-case UUID, the shape of CLS topic
// IDs.
func validUUID(id string) bool {
	if len(id) != 36 {
		return false
	}
	for i := 0; i < len(id); i++ {
		switch i {
		case 8, 13, 18, 23:
			if id[i] != '-' {
				return false
			}
		default:
			if c := id[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
				return false
			}
		}
	}
	return true
}

func runeLen(s string) int { return len([]rune(s)) }

// requiredString applies the rule for required string parameters: absent is
// MissingParameter, empty is InvalidParameterValue.Empty.
func requiredString(name string, v *string) (string, *apiError) {
	if v == nil {
		return "", errTCMissing(name)
	}
	if *v == "" {
		return "", errTCEmpty(name)
	}
	return *v, nil
}

func deref(v *string) string {
	if v == nil {
		return ""
	}
	return *v
}

func oneOf(param, value string, allowed []string) *apiError {
	if slices.Contains(allowed, value) {
		return nil
	}
	return errTCRange(param, value, "must be one of "+strings.Join(allowed, ", "))
}

type tcTagParam struct {
	Key   *string
	Value *string
}

// parseTencentTags applies Tencent's tag rules (emulator choice where the
// flow-log docs are silent; the limits are the Tag service's): at most 50
// tags; key 1..127 characters, not starting with the reserved prefixes
// qcloud, tencent or project; value at most 255 characters; keys unique.
func parseTencentTags(in []tcTagParam) ([]Tag, *apiError) {
	if len(in) > tencentMaxTags {
		return nil, newTCError("LimitExceeded.TagKeyPerResourceExceeded", fmt.Sprintf(
			"Reached the upper limit of tags keys per resource: at most %d tags.", tencentMaxTags))
	}
	tags := make([]Tag, 0, len(in))
	seen := make(map[string]bool, len(in))
	for _, p := range in {
		t := Tag{Key: deref(p.Key), Value: deref(p.Value)}
		switch {
		case t.Key == "":
			return nil, newTCError("InvalidParameterValue.TagInvalidKey", "Invalid tag key: the key must not be empty.")
		case runeLen(t.Key) > tencentMaxTagKeyLen:
			return nil, newTCError("InvalidParameterValue.TagInvalidKeyLen", fmt.Sprintf(
				"Invalid tag key length: `%s` is longer than %d characters.", t.Key, tencentMaxTagKeyLen))
		case hasReservedTagPrefix(t.Key):
			return nil, newTCError("UnsupportedOperation.TagSystemReservedTagKey",
				"The specified tag key `"+t.Key+"` is reserved for system usage.")
		case seen[t.Key]:
			return nil, newTCError("InvalidParameterValue.TagDuplicateKey", "Duplicate tag keys: `"+t.Key+"`.")
		case runeLen(t.Value) > tencentMaxTagValueLen:
			return nil, newTCError("InvalidParameterValue.TagInvalidVal", fmt.Sprintf(
				"Invalid tag value: the value of `%s` is longer than %d characters.", t.Key, tencentMaxTagValueLen))
		}
		seen[t.Key] = true
		tags = append(tags, t)
	}
	return tags, nil
}

func hasReservedTagPrefix(key string) bool {
	l := strings.ToLower(key)
	return strings.HasPrefix(l, "qcloud") || strings.HasPrefix(l, "tencent") || strings.HasPrefix(l, "project")
}
