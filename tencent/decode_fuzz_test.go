package tencent_test

import (
	"net/http"
	"testing"

	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/internal/testkit"
	"github.com/cloudflowlog/flowlog-go/tencent"
)

// FuzzDecode answers the Tencent Cloud VPC adapter's calls with a fuzzed
// HTTP status, Content-Type and body (testkit.FuzzDecode says which calls,
// Delete describing first, and what must hold).
//
// `go test` replays the f.Add seeds and testdata/fuzz/FuzzDecode.
func FuzzDecode(f *testing.F) {
	const flowLog = `{"VpcId":"vpc-emu00001","FlowLogId":"fl-1","FlowLogName":"n","ResourceType":"NETWORKINTERFACE","ResourceId":"eni-emu00001","TrafficType":"ALL","CloudLogId":"f10e1000-0000-4000-8000-000000000001","CloudLogState":"SUCCESS","FlowLogDescription":"","CreatedTime":"2026-11-24 03:38:22","TagSet":[{"Key":"a","Value":"b"}],"Enable":true,"StorageType":"cls","FlowLogStorage":{"StorageId":"","StorageTopic":""},"CloudLogRegion":"ap-guangzhou"}`
	f.Add(200, "application/json", []byte(`{"Response":{"FlowLog":[`+flowLog+`],"RequestId":"85a7c505-1133-4641-bc10-613edb8910fd"}}`))
	f.Add(200, "application/json", []byte(`{"Response":{"FlowLog":[`+flowLog+`],"TotalNum":1,"RequestId":"21cd6cfc-70de-4e51-81c2-1241e955e2fd"}}`))
	f.Add(200, "application/json", []byte(`{"Response":{"RequestId":"3f0e332f-a0a8-4a65-96b9-d092cd3e017d"}}`))
	f.Add(200, "application/json", []byte(`{"Response":{"FlowLog":[null,{"FlowLogId":"fl-2","Enable":false},{"FlowLogId":"fl-1","StorageType":"ckafka","FlowLogStorage":null,"TagSet":[null]}],"TotalNum":18446744073709551615,"RequestId":"r"}}`))
	f.Add(200, "application/json", []byte(`{"Response":{"Error":{"Code":"InvalidParameterValue.Malformed","Message":"Invalid input parameter format: the value `+"`fl-nope`"+` of `+"`FlowLogId`"+` is malformed."},"RequestId":"1cae6e18-70dc-4e0f-b0c4-b120aeadd72d"}}`))
	f.Add(200, "application/json", []byte(`{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"The provided credentials could not be validated. Please check your signature is correct."},"RequestId":"r"}}`))
	f.Add(200, "application/json", []byte(`{"Response":{"Error":{"Code":"UnsupportedOperation.FlowLogInstanceExisted","Message":"exists"},"RequestId":"r"}}`))
	f.Add(200, "application/json", []byte(`{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"Your current request times equals to 21 in a second"},"RequestId":"r"}}`))
	f.Add(200, "application/json", []byte(`{"Response":{"Error":{"Code":"ResourceNotFound","Message":"The resource is not found."},"RequestId":"r"}}`))
	f.Add(200, "application/json", []byte(`{"Response":{"Error":{"Code":1}}}`))
	f.Add(200, "application/json", []byte(`{"Response":{"Error":{"Code":"InternalError","Message":null},"RequestId":5}}`))
	f.Add(200, "application/json", []byte(`{"Response":{"FlowLog":[{"FlowLogId":""}],"RequestId":"r"}}`))
	f.Add(200, "application/json", []byte(`{"Response":{"FlowLog":{"FlowLogId":"fl-1"},"RequestId":"r"}}`))
	f.Add(200, "application/json", []byte(`{"Response":null}`))
	f.Add(200, "application/json", []byte(`{"Response":`))
	f.Add(200, "application/json", []byte(`{"Response":{"FlowLog":[{"FlowLogId":"fl-1","CreatedTime":"9999-99-99 99:99:99","Enable":"yes"}],"TotalNum":1e400,"RequestId":"r"}}`))
	f.Add(429, "application/json", []byte(`{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"slow down"},"RequestId":"r"}}`))
	f.Add(503, "text/plain", []byte("Service Unavailable"))
	f.Add(400, "application/json", []byte(`{"Response":{"Error":{"Code":"AuthFailure.SecretIdNotFound","Message":"Authorization: TC3-HMAC-SHA256 Credential=AKIDother/2026-01-01/vpc/tc3_request"},"RequestId":"r"}}`))
	f.Add(500, "", []byte(""))
	f.Add(200, "application/json", []byte(`[]`))
	f.Add(204, "application/json", []byte(`{"Response":{"RequestId":"r"}}`))

	testkit.FuzzDecode(f, testkit.DecodeTarget{
		Provider: tencent.Name,
		Creds:    testkit.Creds{ID: "AKIDfuzzDecodeSecretId7Qx9", Secret: "fuzz-decode-secret-key-Zk2PqW", Token: "fuzzDecodeSessionToken4Hn"},
		New: func(endpoint string, tr http.RoundTripper, c testkit.Creds) (driver.Provider, error) {
			return tencent.New(tencent.WithEndpoint(endpoint), tencent.WithSTSToken(c.ID, c.Secret, c.Token),
				tencent.WithHTTPTransport(tr), tencent.WithRateLimit(0))
		},
		Spec: eniSpec("eni-fuzz0001"),
	})
}
