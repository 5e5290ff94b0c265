package flowlogtest_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"

	"github.com/cloudflowlog/flowlog-go/aliyun"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
)

// An unstarted server is a handler: serve it on a listener of your own.
// Here httptest's, as a standalone emulator would serve it on -addr.
func ExampleNewUnstartedServer() {
	emu := flowlogtest.NewUnstartedServer()
	defer emu.Close()
	front := httptest.NewServer(emu)
	defer front.Close()

	p, err := aliyun.New(aliyun.WithEndpoint(front.URL),
		aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	if err != nil {
		fmt.Println(err)
		return
	}
	fls, err := p.Describe(context.Background(), flowlogtest.DefaultRegion, []string{"fl-nothere0000000000000"})
	fmt.Println(len(fls), err, emu.Calls("DescribeFlowLogs"))
	// Output: 0 <nil> 1
}

// A fixture seeds a server from JSON, as the standalone emulator's
// -fixture file does: the resources, each naming its parents.
func ExampleDecodeFixture() {
	f, err := flowlogtest.DecodeFixture(strings.NewReader(`{
		"aliyun": {"networkInterfaces": [
			{"region": "cn-shanghai", "vpcId": "vpc-uf6fixture0000000001",
			 "vSwitchId": "vsw-uf6fixture0000000001", "id": "eni-uf6fixture0000000001"}]}
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	srv := flowlogtest.NewServer(flowlogtest.WithoutDefaultFixture())
	defer srv.Close()
	if err := srv.Load(f); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(f.Aliyun.NetworkInterfaces), "ENI seeded")

	_, err = flowlogtest.DecodeFixture(strings.NewReader(`{"aliyun": {"enis": []}}`))
	fmt.Println(err)
	// Output:
	// 1 ENI seeded
	// flowlogtest: decode fixture: json: unknown field "enis"
}
