package flowlogtest

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// strictCase is one request that only a rule of WithStrictRules refuses:
// the default server accepts it, a strict one refuses it with code.
type strictCase struct {
	name string
	// req builds the request against srv, seeding what it needs.
	req  func(t *testing.T, srv *Server) rawRequest
	code string
}

// vpcRaw is a hand-made VPC request of action.
func vpcRaw(action string, params url.Values) rawRequest {
	p := url.Values{"Action": {action}}
	for k, v := range params {
		p[k] = v
	}
	return rawRequest{params: p}
}

// vpcCreateRaw is a valid VPC CreateFlowLog on the default ENI, with extra
// parameters.
func vpcCreateRaw(extra url.Values) rawRequest {
	p := url.Values{
		"ResourceType": {"NetworkInterface"}, "ResourceId": {DefaultNetworkInterfaceID},
		"TrafficType": {"All"}, "ProjectName": {DefaultSLSProject}, "LogStoreName": {DefaultSLSLogStore},
	}
	for k, v := range extra {
		p[k] = v
	}
	return vpcRaw("CreateFlowLog", p)
}

// rawFlowLogID sends r, which must succeed, and returns the FlowLogId it
// answers.
func rawFlowLogID(t *testing.T, srv *Server, r rawRequest) string {
	t.Helper()
	resp := doRaw(t, srv, r)
	require.Equal(t, http.StatusOK, resp.status, resp.raw)
	id := resp.str("FlowLogId")
	require.NotEmpty(t, id, resp.raw)
	return id
}

// numberedTagParams returns n tags "<prefix>.N.Key=kN".
func numberedTagParams(prefix string, n int) url.Values {
	p := url.Values{}
	for i := 1; i <= n; i++ {
		p.Set(prefix+"."+strconv.Itoa(i)+".Key", "k"+strconv.Itoa(i))
	}
	return p
}

// params builds url.Values from key, value pairs.
func params(kv ...string) url.Values {
	p := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		p.Set(kv[i], kv[i+1])
	}
	return p
}

// TestStrictRules checks each rule WithStrictRules documents: the default
// server accepts the request (the rule is not documented, and the
// library's validation does not have it either, see rules_alibaba_test.go),
// a server with WithStrictRules refuses it with the rule's code.
func TestStrictRules(t *testing.T) {
	vpcCreate := func(kv ...string) func(*testing.T, *Server) rawRequest {
		return func(*testing.T, *Server) rawRequest { return vpcCreateRaw(params(kv...)) }
	}
	vpcModify := func(kv ...string) func(*testing.T, *Server) rawRequest {
		return func(t *testing.T, srv *Server) rawRequest {
			p := params(kv...)
			p.Set("FlowLogId", rawFlowLogID(t, srv, vpcCreateRaw(nil)))
			return vpcRaw("ModifyFlowLogAttribute", p)
		}
	}
	vpcDescribe := func(p url.Values) func(*testing.T, *Server) rawRequest {
		return func(*testing.T, *Server) rawRequest { return vpcRaw("DescribeFlowLogs", p) }
	}
	cbnCreate := func(kv ...string) func(*testing.T, *Server) rawRequest {
		return func(*testing.T, *Server) rawRequest {
			p := rawCreateParams()
			for k, v := range params(kv...) {
				p[k] = v
			}
			return cbnRaw("CreateFlowlog", p)
		}
	}
	cbnDescribe := func(p url.Values) func(*testing.T, *Server) rawRequest {
		return func(*testing.T, *Server) rawRequest { return cbnRaw("DescribeFlowlogs", p) }
	}
	// cbnOnFlowLog sends action with a ClientToken on a new flow log; for
	// ActiveFlowLog the flow log is deactivated first (the emulator runs
	// with no activation delay, so each change settles at once).
	cbnOnFlowLog := func(action, token string) func(*testing.T, *Server) rawRequest {
		return func(t *testing.T, srv *Server) rawRequest {
			id := rawFlowLogID(t, srv, cbnRaw("CreateFlowlog", rawCreateParams()))
			if action == "ActiveFlowLog" {
				resp := doRaw(t, srv, cbnRaw("DeactiveFlowLog", params("FlowLogId", id)))
				require.Equal(t, http.StatusOK, resp.status, resp.raw)
			}
			return cbnRaw(action, params("FlowLogId", id, "ClientToken", token))
		}
	}
	long, notASCII := strings.Repeat("t", 65), "tökén"
	const (
		vpcInvalid = "INVALID_PARAMETER"
		cbnInvalid = "InvalidParameter"
	)
	tests := []strictCase{
		// IpVersion: no value list is documented.
		{"VPC create IpVersion IPv5", vpcCreate("IpVersion", "IPv5"), "IllegalParam.IpVersion"},
		{"VPC create IpVersion empty", vpcCreate("IpVersion", ""), "IllegalParam.IpVersion"},
		{"VPC modify IpVersion DualStack", vpcModify("IpVersion", "DualStack"), "IllegalParam.IpVersion"},
		// URL prefixes and tag prefixes in another letter case.
		{"VPC create name HTTP://", vpcCreate("FlowLogName", "HTTP://x"), vpcInvalid},
		{"VPC create description Https://", vpcCreate("Description", "Https://x"), vpcInvalid},
		{"VPC modify name HTTPS://", vpcModify("FlowLogName", "HTTPS://x"), vpcInvalid},
		{"VPC create tag key ACS:", vpcCreate("Tag.1.Key", "ACS:k"), vpcInvalid},
		{"VPC create tag key Aliyun", vpcCreate("Tag.1.Key", "Aliyun-k"), vpcInvalid},
		{"VPC create tag value containing HTTP://", vpcCreate("Tag.1.Key", "k", "Tag.1.Value", "see HTTP://x"), vpcInvalid},
		{"CEN create description HTTPS://", cbnCreate("Description", "HTTPS://x"), cbnInvalid},
		{"CEN modify description Http://", func(t *testing.T, srv *Server) rawRequest {
			id := rawFlowLogID(t, srv, cbnRaw("CreateFlowlog", rawCreateParams()))
			return cbnRaw("ModifyFlowLogAttribute", params("FlowLogId", id, "Description", "Http://x"))
		}, cbnInvalid},
		{"CEN create tag key ACS:", cbnCreate("Tag.1.Key", "ACS:k"), cbnInvalid},
		{"CEN create tag value containing Https://", cbnCreate("Tag.1.Key", "k", "Tag.1.Value", "see Https://x"), cbnInvalid},
		// VPC duplicate tag keys.
		{"VPC create tag key twice", vpcCreate("Tag.1.Key", "k", "Tag.1.Value", "1", "Tag.2.Key", "k", "Tag.2.Value", "2"), vpcInvalid},
		// Describe filters get the create rules.
		{"VPC describe 21 tags", vpcDescribe(numberedTagParams("Tags", 21)), vpcInvalid},
		{"VPC describe tag key of 129", vpcDescribe(params("Tags.1.Key", strings.Repeat("k", 129))), vpcInvalid},
		{"VPC describe tag key acs:", vpcDescribe(params("Tags.1.Key", "acs:k")), vpcInvalid},
		{"VPC describe tag value without key", vpcDescribe(params("Tags.1.Value", "v")), vpcInvalid},
		{"VPC describe name filter http://", vpcDescribe(params("FlowLogName", "http://x")), vpcInvalid},
		{"VPC describe description filter HTTPS://", vpcDescribe(params("Description", "HTTPS://x")), vpcInvalid},
		{"CEN describe 21 tags", cbnDescribe(numberedTagParams("Tag", 21)), cbnInvalid},
		{"CEN describe tag key aliyun", cbnDescribe(params("Tag.1.Key", "aliyun-k")), cbnInvalid},
		{"CEN describe tag value of 129", cbnDescribe(params("Tag.1.Key", "k", "Tag.1.Value", strings.Repeat("v", 129))), cbnInvalid},
		// CEN ClientToken rules beyond CreateFlowlog's.
		{"CEN describe token of 65", cbnDescribe(params("ClientToken", long)), cbnInvalid},
		{"CEN describe token not ASCII", cbnDescribe(params("ClientToken", notASCII)), cbnInvalid},
		{"CEN delete token of 65", cbnOnFlowLog("DeleteFlowlog", long), cbnInvalid},
		{"CEN delete token not ASCII", cbnOnFlowLog("DeleteFlowlog", notASCII), cbnInvalid},
		{"CEN deactivate token of 65", cbnOnFlowLog("DeactiveFlowLog", long), cbnInvalid},
		{"CEN activate token not ASCII", cbnOnFlowLog("ActiveFlowLog", notASCII), cbnInvalid},
		{"CEN modify token of 65", cbnOnFlowLog("ModifyFlowLogAttribute", long), cbnInvalid},
		// LogFormatString field names.
		{"CEN create LogFormatString field with a dot", cbnCreate("LogFormatString", logFormatPrefix+"${tcp.flags}"), cbnInvalid},
		{"CEN create LogFormatString field with a space", cbnCreate("LogFormatString", logFormatPrefix+"${start time}"), cbnInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			def := newTestServer(t, WithActivationDelay(0))
			resp := doRaw(t, def, tt.req(t, def))
			assert.Equal(t, http.StatusOK, resp.status, "without WithStrictRules the request is accepted: %s", resp.raw)

			strict := newTestServer(t, WithActivationDelay(0), WithStrictRules())
			resp = doRaw(t, strict, tt.req(t, strict))
			assert.Equal(t, http.StatusBadRequest, resp.status, resp.raw)
			assert.Equal(t, tt.code, resp.str("Code"), resp.raw)
		})
	}
}

// TestStrictRulesKeepDocumentedOnes: WithStrictRules only adds rules; what
// the documentation allows is still accepted, what it refuses still
// refused.
func TestStrictRulesKeepDocumentedOnes(t *testing.T) {
	srv := newTestServer(t, WithActivationDelay(0), WithStrictRules())
	for _, r := range []rawRequest{
		vpcCreateRaw(params("IpVersion", "IPv6", "FlowLogName", "see http://x", "Tag.1.Key", "k", "Tag.1.Value", "")),
		cbnRaw("CreateFlowlog", func() url.Values {
			p := rawCreateParams()
			p.Set("LogFormatString", logFormatPrefix+"${packets}${tcp_flags}")
			p.Set("ClientToken", strings.Repeat("t", 64))
			return p
		}()),
		vpcRaw("DescribeFlowLogs", params("Tags.1.Key", "k")),
		cbnRaw("DescribeFlowlogs", params("Tag.1.Key", "k", "ClientToken", "a b")),
	} {
		resp := doRaw(t, srv, r)
		assert.Equal(t, http.StatusOK, resp.status, resp.raw)
	}
	for _, tt := range []struct {
		r    rawRequest
		code string
	}{
		{vpcCreateRaw(params("FlowLogName", "http://x")), "INVALID_PARAMETER"},
		{vpcCreateRaw(params("Tag.1.Key", "acs:k")), "INVALID_PARAMETER"},
		{cbnRaw("DescribeFlowlogs", params("Tag.1.Key", strings.Repeat("k", 65))), "InvalidParameter"},
	} {
		resp := doRaw(t, srv, tt.r)
		assert.Equal(t, http.StatusBadRequest, resp.status, resp.raw)
		assert.Equal(t, tt.code, resp.str("Code"), resp.raw)
	}
}
