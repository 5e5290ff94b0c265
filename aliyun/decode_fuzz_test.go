package aliyun_test

import (
	"net/http"
	"testing"

	"github.com/cloudflowlog/flowlog-go/aliyun"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/internal/testkit"
)

// FuzzDecode answers the Alibaba Cloud VPC adapter's calls with a fuzzed
// HTTP status, Content-Type and body (testkit.FuzzDecode says which calls
// and what must hold). Besides, a flow log that Create returns is pending,
// and a Delete error the server coded names the flow log.
//
// `go test` replays the f.Add seeds and testdata/fuzz/FuzzDecode.
func FuzzDecode(f *testing.F) {
	const describeOne = `{"RequestId":"D97CBF9F-A330-45E4-BA13-3AAE35CCA92D","Success":"true","TotalCount":"1","PageNumber":"1","PageSize":"50","FlowLogs":{"FlowLog":[{"FlowLogId":"fl-1","FlowLogName":"n","Description":"","Status":"Active","BusinessStatus":"Normal","FlowLogDeliverStatus":"SUCCESS","FlowLogDeliverErrorMessage":"","CreationTime":"2026-11-23T19:38:22Z","ResourceType":"NetworkInterface","ResourceId":"eni-emu00000000000001","TrafficType":"All","ProjectName":"flowlog-emu","LogStoreName":"flowlog-store","RegionId":"cn-hangzhou","AggregationInterval":10,"TrafficPath":{"TrafficPathList":["all"]},"IpVersion":"IPv4","ResourceGroupId":"rg-emudefault0000001","ServiceType":"","Tags":{"Tag":[{"Key":"a","Value":"b"}]}}]}}`
	f.Add(200, "application/json;charset=utf-8", []byte(`{"RequestId":"34F72597-01D2-4C99-BB3E-D18B8BC1171F","Success":"true","FlowLogId":"fl-1","ResourceGroupId":"rg-emudefault0000001"}`))
	f.Add(200, "application/json;charset=utf-8", []byte(describeOne))
	f.Add(200, "application/json", []byte(`{"RequestId":"D12974C1","Success":"true"}`))
	f.Add(200, "application/json", []byte(`{"RequestId":"x","TotalCount":"2","FlowLogs":{"FlowLog":[{"FlowLogId":"fl-2","Status":"Deleting","TrafficType":"Drop","Tags":{"Tag":[{"TagKey":"k","TagValue":"v"}]}},{"FlowLogId":"fl-1","Status":"weird","AggregationInterval":-9223372036854775808}]}}`))
	f.Add(400, "application/json;charset=utf-8", []byte(`{"RequestId":"C624098F","HostId":"127.0.0.1","Code":"InvalidInstanceId","Message":"Instance does not exist.","Recommend":"https://api.aliyun.com/troubleshoot?q=InvalidInstanceId"}`))
	f.Add(400, "application/json", []byte(`{"RequestId":"r","Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3DLTAIother%26Action%3DCreateFlowLog%26SecurityToken%3DCAISother%26Signature%3Dabc"}`))
	f.Add(403, "application/json", []byte(`{"RequestId":"r","Code":"Forbidden.RAM","Message":"denied","AccessDeniedDetail":{"AuthAction":"vpc:CreateFlowLog"}}`))
	f.Add(429, "application/json", []byte(`{"RequestId":"r","Code":"Throttling.User","Message":"Request was denied due to user flow control."}`))
	f.Add(503, "application/json", []byte(`{"RequestId":"r","Code":"ServiceUnavailable","Message":"The request has failed due to a temporary failure of the server."}`))
	f.Add(200, "application/json", []byte(`{"RequestId":"x","FlowLogId":"fl-`))
	f.Add(200, "application/json", []byte(`{"RequestId":5}`))
	f.Add(400, "application/json", []byte(`{"RequestId":5,"Code":7,"Message":["m"],"HostId":{},"Recommend":false}`))
	f.Add(500, "application/json", []byte(`{"RequestId":"r","Code":"InternalError","AccessDeniedDetail":"not-a-map"}`))
	f.Add(400, "", []byte(""))
	f.Add(200, "application/json", []byte(`{"RequestId":"x","TotalCount":"99999999999999999999999","PageSize":1e400,"FlowLogs":{"FlowLog":[{"FlowLogId":"fl-1","AggregationInterval":1e30}]}}`))
	f.Add(200, "application/json", []byte(`{"FlowLogs":{"FlowLog":{"FlowLogId":"fl-1"}}}`))
	f.Add(200, "application/json", []byte(`[]`))
	f.Add(204, "application/json", []byte(`{"RequestId":"x","FlowLogId":"fl-1"}`))
	f.Add(301, "text/plain", []byte("moved"))
	f.Add(200, "application/xml", []byte(`<?xml version="1.0"?><CreateFlowLogResponse><FlowLogId>fl-1</FlowLogId></CreateFlowLogResponse>`))

	testkit.FuzzDecode(f, testkit.DecodeTarget{
		Provider: aliyun.Name,
		Creds:    testkit.Creds{ID: "LTAIfuzzDecodeKeyId7Qx9", Secret: "fuzz-decode-secret-Zk2PqW", Token: "CAISfuzzDecodeSecurityToken4Hn"},
		New: func(endpoint string, tr http.RoundTripper, c testkit.Creds) (driver.Provider, error) {
			return aliyun.New(aliyun.WithEndpoint(endpoint), aliyun.WithSTSToken(c.ID, c.Secret, c.Token),
				aliyun.WithHTTPTransport(tr))
		},
		Spec:          eniSpec("eni-fuzz0000000000001"),
		CreatePending: true,
		DeleteNamesID: true,
	})
}
