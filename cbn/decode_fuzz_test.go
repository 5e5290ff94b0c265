package cbn_test

import (
	"net/http"
	"testing"

	"github.com/cloudflowlog/flowlog-go/cbn"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/internal/testkit"
)

// FuzzDecode answers the Alibaba Cloud CEN adapter's calls with a fuzzed
// HTTP status, Content-Type and body (testkit.FuzzDecode says which calls
// and what must hold). Besides, a flow log that Create returns is pending,
// and a Delete error the server coded names the flow log.
//
// `go test` replays the f.Add seeds and testdata/fuzz/FuzzDecode.
func FuzzDecode(f *testing.F) {
	const describeOne = `{"RequestId":"17CA0F48-9FC9-48F7-A252-192F95D8750F","Success":"true","TotalCount":"1","PageNumber":"1","PageSize":"50","FlowLogs":{"FlowLog":[{"FlowLogId":"fl-1","FlowLogName":"n","Description":"","CenId":"cen-emu000000000001","Status":"Active","CreationTime":"2026-11-23T19:38:22Z","ProjectName":"flowlog-emu","LogStoreName":"flowlog-store","RegionId":"cn-hangzhou","TransitRouterId":"tr-emu00000000000001","TransitRouterAttachmentId":"tr-attach-emu000000000001","Interval":600,"LogFormatString":"","FlowLogVersion":"3","Tags":{"Tag":[{"Key":"a","Value":"b"}]}}]}}`
	f.Add(200, "application/json;charset=utf-8", []byte(`{"RequestId":"66C952C9-B7AD-4B25-8900-60437E43BEDA","Success":true,"FlowLogId":"flowlog-cfwy3uq36368naqede"}`))
	f.Add(200, "application/json;charset=utf-8", []byte(describeOne))
	f.Add(200, "application/json", []byte(`{"RequestId":"75BA5351","Success":"true"}`))
	f.Add(200, "application/json", []byte(`{"RequestId":"x","TotalCount":"2","FlowLogs":{"FlowLog":[{"FlowLogId":"fl-2","Status":"Creating"},{"FlowLogId":"fl-1","Status":"weird","Interval":-9223372036854775808,"TransitRouterAttachmentId":""}]}}`))
	f.Add(400, "application/json;charset=utf-8", []byte(`{"RequestId":"715DE4E5","HostId":"127.0.0.1","Code":"InvalidFlowlogId.NotFound","Message":"The specified FlowLogId is not found.","Recommend":"https://api.aliyun.com/troubleshoot?product=Cbn&q=InvalidFlowlogId.NotFound"}`))
	f.Add(400, "application/json", []byte(`{"RequestId":"r","Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3DLTAIother%26Action%3DCreateFlowlog%26SecurityToken%3DCAISother%26Signature%3Dabc"}`))
	f.Add(400, "application/json", []byte(`{"RequestId":"r","Code":"IdempotentParameterMismatch","Message":"The ClientToken was used with other parameters."}`))
	f.Add(400, "application/json", []byte(`{"RequestId":"r","Code":"Operation.Blocking","Message":"busy"}`))
	f.Add(429, "application/json", []byte(`{"RequestId":"r","Code":"Throttling","Message":"Request was denied due to flow control."}`))
	f.Add(503, "application/json", []byte(`{"RequestId":"r","Code":"ServiceUnavailable","Message":"The request has failed due to a temporary failure of the server."}`))
	f.Add(200, "application/json", []byte(`{"RequestId":"x","FlowLogId":"flowlog-`))
	f.Add(200, "application/json", []byte(`{"RequestId":5}`))
	f.Add(200, "application/json", []byte(`{"RequestId":"x","Success":"yes","FlowLogId":7}`))
	f.Add(400, "application/json", []byte(`{"RequestId":5,"Code":7,"Message":["m"],"HostId":{},"Recommend":false}`))
	f.Add(500, "application/json", []byte(`{"RequestId":"r","Code":"InternalError","AccessDeniedDetail":"not-a-map"}`))
	f.Add(400, "", []byte(""))
	f.Add(200, "application/json", []byte(`{"RequestId":"x","TotalCount":"99999999999999999999999","PageSize":1e400,"FlowLogs":{"FlowLog":[{"FlowLogId":"fl-1","Interval":1e30}]}}`))
	f.Add(200, "application/json", []byte(`{"FlowLogs":{"FlowLog":{"FlowLogId":"fl-1"}}}`))
	f.Add(204, "application/json", []byte(`{"RequestId":"x","FlowLogId":"fl-1"}`))

	spec := attachmentSpec("tr-attach-fuzz00000001")
	spec.ClientToken = "fuzz-token-1"
	testkit.FuzzDecode(f, testkit.DecodeTarget{
		Provider: cbn.Name,
		Creds:    testkit.Creds{ID: "LTAIfuzzDecodeKeyId7Qx9", Secret: "fuzz-decode-secret-Zk2PqW", Token: "CAISfuzzDecodeSecurityToken4Hn"},
		New: func(endpoint string, tr http.RoundTripper, c testkit.Creds) (driver.Provider, error) {
			return cbn.New(cbn.WithEndpoint(endpoint), cbn.WithSTSToken(c.ID, c.Secret, c.Token),
				cbn.WithHTTPTransport(tr))
		},
		Spec:          spec,
		CreatePending: true,
		DeleteNamesID: true,
	})
}
