package flowlog_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/cloudflowlog/flowlog-go/aliyun"
	"github.com/cloudflowlog/flowlog-go/cbn"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/tencent"
)

// strictUTF8 makes FuzzValidate require valid UTF-8 error text whatever the
// input. It is off because some rules echo a rejected value byte for byte
// (validateNeutral's quote of Resource.Kind and TrafficType, the
// "Tags[<key>]" field names of the Alibaba adapters), so a spec holding
// invalid UTF-8 gets an error text holding it too; see the fuzzing report.
// With it off, the text must still be valid UTF-8 whenever every string of
// the spec is.
const strictUTF8 = true

// fuzzSpec builds a spec from fuzzed values. dest selects the destinations
// (bit 0 SLS, bit 1 CLS, bit 2 CKafka), so that none, one or several can be
// set; alibaba adds Alibaba-only options.
func fuzzSpec(region, name, description, kind, id, network, traffic, project, logstore, topic string,
	intervalSeconds int64, tagKey, tagValue, token string, dest uint8, alibaba bool) flowlog.FlowLogSpec {
	spec := flowlog.FlowLogSpec{
		Region:              region,
		Name:                name,
		Description:         description,
		Resource:            flowlog.Resource{Kind: flowlog.ResourceKind(kind), ID: id, NetworkID: network},
		TrafficType:         flowlog.TrafficType(traffic),
		AggregationInterval: time.Duration(intervalSeconds) * time.Second,
		ClientToken:         token,
	}
	if dest&1 != 0 {
		spec.Destination.SLS = &flowlog.SLSDestination{Project: project, LogStore: logstore}
	}
	if dest&2 != 0 {
		spec.Destination.CLS = &flowlog.CLSDestination{TopicID: topic, Region: region}
	}
	if dest&4 != 0 {
		spec.Destination.CKafka = &flowlog.CKafkaDestination{InstanceID: project, Topic: topic}
	}
	if tagKey != "" || tagValue != "" {
		spec.Tags = map[string]string{tagKey: tagValue}
	}
	if alibaba {
		spec.Alibaba = &flowlog.AlibabaOptions{
			TrafficPaths:    []flowlog.AlibabaTrafficPath{flowlog.AlibabaTrafficPath(tagValue)},
			IPVersion:       "IPv4",
			ResourceGroupID: network,
		}
	}
	return spec
}

// FuzzValidate validates specs built from fuzzed values, with a provider
// that accepts everything (so only the neutral rules apply) and with each
// real adapter (aliyun, cbn, tencent; Validate does no I/O, so their
// endpoint is never dialled). Properties:
//   - Validate never panics;
//   - a rejection is a *flowlog.ValidationError naming its provider, with at
//     least one FieldError, each with a non-empty Field and the code
//     InvalidArgument or Unsupported, matching ErrInvalidArgument or
//     ErrUnsupported accordingly through errors.Is and ErrorCode;
//   - its text (Error(), %v, %+v) is valid UTF-8 when the spec is (always,
//     with strictUTF8);
//   - an adapter accepts a spec only if the neutral rules do, and rejects a
//     spec the neutral rules reject with exactly the neutral field errors;
//   - Validate does not change the spec.
//
// `go test` replays the f.Add seeds and testdata/fuzz/FuzzValidate.
func FuzzValidate(f *testing.F) {
	type seed struct {
		region, name, description, kind, id, network, traffic, project, logstore, topic string
		interval                                                                        int64
		tagKey, tagValue, token                                                         string
		dest                                                                            uint8
		alibaba                                                                         bool
	}
	for _, s := range []seed{
		// Valid for aliyun.
		{"cn-hangzhou", "web-eni", "a flow log", "NetworkInterface", "eni-bp1", "", "reject", "netlogs", "flows", "", 60, "team", "web", "tok-1", 1, false},
		{"cn-hangzhou", "vpc", "", "VPC", "vpc-1", "", "", "netlogs", "flows", "", 600, "", "", "", 1, true},
		// Valid for cbn.
		{"cn-hangzhou", "cen", "", "TransitRouterAttachment", "tr-attach-1", "cen-1", "all", "netlogs", "flows", "", 600, "k", "v", "token", 1, false},
		// Valid for tencent.
		{"ap-guangzhou", "fl", "d", "NetworkInterface", "eni-1", "vpc-1", "accept", "", "", "topic-1", 0, "k", "v", "", 2, false},
		{"ap-guangzhou", "ccn", "", "CloudConnectNetwork", "ccn-1", "", "all", "ckafka-1", "", "t", 0, "", "", "", 4, false},
		// Broken in many ways.
		{"", "", "", "", "", "", "sometimes", "", "", "", -1, "", "v", strings.Repeat("x", 65), 7, true},
		{" ", "http://x", "https://y", "Bogus", " ", "net", "ALL", "Bad_Project", "-x", "", 300, "aliyun:x", "http://v", "has space", 0, false},
		{"r", strings.Repeat("名", 129), strings.Repeat("d", 257), "Subnet", "vsw-1", "", "accept", "ab", "c_", "", 1, "acs:k", "", "\x7f", 1, true},
		// Invalid UTF-8 and control characters.
		{"\xff", "\xfe", "\x00", "\xffKind", "\xc0", "\n", "\xe2\x82", "p\xff", "l", "\xff", 59, "\xff", "\xfe", "\xff", 1, false},
		{"cn-hangzhou", "n", "", "VPC", "vpc-1", "", "all", "netlogs", "flows", "", 60, "k\xff", "v\xfe", "", 1, false},
		{"cn-hangzhou", "n", "", "VPC", "vpc-1", "", "all", "netlogs", "flows", "", 60, "aliyun\xff", "", "", 1, false},
		// Huge intervals.
		{"cn-hangzhou", "n", "", "VPC", "vpc-1", "", "", "netlogs", "flows", "", 9223372036854775807, "k", "", "", 1, false},
		{"cn-hangzhou", "n", "", "VPC", "vpc-1", "", "", "netlogs", "flows", "", -9223372036854775808, "k", "", "", 1, false},
	} {
		f.Add(s.region, s.name, s.description, s.kind, s.id, s.network, s.traffic, s.project, s.logstore, s.topic,
			s.interval, s.tagKey, s.tagValue, s.token, s.dest, s.alibaba)
	}

	neutral := flowlog.NewClient(newFake())
	f.Cleanup(func() { neutral.Close() })
	// The adapters never dial: Validate does no I/O.
	const endpoint = "http://127.0.0.1:9"
	ali, err := aliyun.New(aliyun.WithEndpoint(endpoint), aliyun.WithAccessKey("LTAIfuzzvalidate", "fuzz-validate-secret"))
	if err != nil {
		f.Fatal(err)
	}
	cen, err := cbn.New(cbn.WithEndpoint(endpoint), cbn.WithAccessKey("LTAIfuzzvalidate", "fuzz-validate-secret"))
	if err != nil {
		f.Fatal(err)
	}
	tc, err := tencent.New(tencent.WithEndpoint(endpoint), tencent.WithSecretKey("AKIDfuzzvalidate", "fuzz-validate-secret"))
	if err != nil {
		f.Fatal(err)
	}
	adapters := []*flowlog.Client{flowlog.NewClient(ali), flowlog.NewClient(cen), flowlog.NewClient(tc)}
	f.Cleanup(func() {
		for _, c := range adapters {
			c.Close()
		}
	})

	f.Fuzz(func(t *testing.T, region, name, description, kind, id, network, traffic, project, logstore, topic string,
		interval int64, tagKey, tagValue, token string, dest uint8, alibaba bool) {
		build := func() flowlog.FlowLogSpec {
			return fuzzSpec(region, name, description, kind, id, network, traffic, project, logstore, topic,
				interval, tagKey, tagValue, token, dest, alibaba)
		}
		inputUTF8 := true
		for _, s := range []string{region, name, description, kind, id, network, traffic, project, logstore, topic, tagKey, tagValue, token} {
			inputUTF8 = inputUTF8 && utf8.ValidString(s)
		}

		spec := build()
		neutralErr := neutral.Validate(spec)
		neutralFields := checkValidation(t, "fake", neutralErr, inputUTF8)
		for _, c := range adapters {
			err := c.Validate(spec)
			fields := checkValidation(t, c.Provider(), err, inputUTF8)
			if err == nil && neutralErr != nil {
				t.Fatalf("%s accepts a spec the neutral rules reject: %v", c.Provider(), neutralErr)
			}
			if neutralErr != nil && (len(fields) < len(neutralFields) || fmt.Sprint(fields[:len(neutralFields)]) != fmt.Sprint(neutralFields)) {
				t.Fatalf("%s reports %v for a spec the neutral rules reject with %v: it must list those first", c.Provider(), fields, neutralFields)
			}
		}
		if want := build(); !reflect.DeepEqual(spec, want) {
			t.Fatalf("Validate changed the spec:\n%+v\n%+v", spec, want)
		}
	})
}

// checkValidation asserts the properties of one Validate result and returns
// its field errors.
func checkValidation(t *testing.T, provider string, err error, inputUTF8 bool) []flowlog.FieldError {
	t.Helper()
	if err == nil {
		return nil
	}
	v, ok := err.(*flowlog.ValidationError)
	if !ok {
		t.Fatalf("%s: Validate returned %T (%v), want *flowlog.ValidationError", provider, err, err)
	}
	if v.Provider != provider {
		t.Fatalf("ValidationError.Provider = %q, want %q", v.Provider, provider)
	}
	if len(v.Fields) == 0 {
		t.Fatalf("%s: ValidationError without fields", provider)
	}
	var invalid, unsupported bool
	for _, fe := range v.Fields {
		if fe.Field == "" {
			t.Fatalf("%s: field error without a field: %+v", provider, fe)
		}
		switch fe.Code {
		case flowlog.CodeInvalidArgument:
			invalid = true
		case flowlog.CodeUnsupported:
			unsupported = true
		default:
			t.Fatalf("%s: field error %+v has code %v", provider, fe, fe.Code)
		}
		if fe.Reason == "" {
			t.Fatalf("%s: field error without a reason: %+v", provider, fe)
		}
	}
	if errors.Is(err, flowlog.ErrInvalidArgument) != invalid || errors.Is(err, flowlog.ErrUnsupported) != unsupported {
		t.Fatalf("%s: errors.Is disagrees with the field codes of %v", provider, err)
	}
	if errors.Is(err, flowlog.ErrNotFound) {
		t.Fatalf("%s: a validation error matches ErrNotFound", provider)
	}
	if code := flowlog.ErrorCode(err); code != v.Fields[0].Code {
		t.Fatalf("%s: ErrorCode = %v, want %v", provider, code, v.Fields[0].Code)
	}
	if strictUTF8 || inputUTF8 {
		for _, text := range []string{err.Error(), fmt.Sprint(err), fmt.Sprintf("%+v", err)} {
			if !utf8.ValidString(text) {
				t.Fatalf("%s: error text is not valid UTF-8: %q", provider, text)
			}
		}
	}
	if !strings.HasPrefix(err.Error(), "flowlog: invalid "+provider+" spec: ") {
		t.Fatalf("%s: error text %q", provider, err.Error())
	}
	return v.Fields
}
