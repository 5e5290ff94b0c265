package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/aliyun"
	"github.com/cloudflowlog/flowlog-go/cbn"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/tencent"
)

// TestEmulatorProcess runs the command as users do, as a process of its own,
// and drives it with the library's three adapters over its listener.
func TestEmulatorProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	if runtime.GOOS == "windows" {
		t.Skip("stops the process with SIGTERM")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH:", err)
	}
	bin := filepath.Join(t.TempDir(), "emulator")
	build := exec.Command(goTool, "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)

	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-activation-delay", "20ms")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	// A file, not a buffer: the exec package writes to a buffer from a
	// goroutine of its own, so reading one here would race.
	stderr, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	require.NoError(t, err)
	defer stderr.Close()
	cmd.Stderr = stderr
	require.NoError(t, cmd.Start())
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { // a failed test must not leave the process behind
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-exited
		}
	})

	// Read the banner up to the endpoint line, then keep draining stdout so
	// the process never blocks on a full pipe.
	lines := make(chan string, 64)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var endpoint string
	var banner []string
	deadline := time.After(30 * time.Second)
	for endpoint == "" {
		select {
		case line, ok := <-lines:
			require.True(t, ok, "stdout closed before the endpoint line; stderr: %s", readFile(stderr.Name()))
			banner = append(banner, line)
			if rest, found := strings.CutPrefix(line, "endpoint: "); found {
				endpoint = rest
			}
		case <-deadline:
			t.Fatalf("no endpoint line within 30s; stdout so far: %q", banner)
		}
	}
	require.Regexp(t, `^http://127\.0\.0\.1:\d+$`, endpoint)
	rest := collect(lines, 200*time.Millisecond)
	text := strings.Join(append(banner, rest...), "\n")
	for _, want := range []string{flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret,
		flowlogtest.DefaultTencentSecretID, flowlogtest.DefaultTencentSecretKey,
		flowlogtest.DefaultNetworkInterfaceID, flowlogtest.DefaultTransitRouterAttachmentID, flowlogtest.DefaultCLSTopicID} {
		assert.Contains(t, text, want)
	}
	go func() { // drain the rest
		for range lines {
		}
	}()

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	clients := newClients(t, endpoint)

	// Round 1: create, wait until active and delete on each product.
	for _, c := range clients {
		fl, err := c.client.Create(ctx, c.spec)
		require.NoError(t, err, c.name)
		active, err := c.client.Wait(ctx, c.spec.Region, fl.ID)
		require.NoError(t, err, c.name)
		assert.Equal(t, flowlog.StatusActive, active.Status, c.name)
		require.NoError(t, c.client.Delete(ctx, c.spec.Region, fl.ID), c.name)
	}
	st := getState(t, endpoint)
	assert.Empty(t, st.Aliyun)
	assert.Empty(t, st.CBN)
	assert.Empty(t, st.Tencent)
	for _, a := range []string{"Vpc.CreateFlowLog", "Vpc.DeleteFlowLog", "Cbn.CreateFlowlog", "Cbn.DeleteFlowlog",
		"Tencent.CreateFlowLog", "Tencent.DeleteFlowLog"} {
		assert.Equal(t, 1, st.Calls[a], a)
	}

	// Round 2: flow logs that stay show in the state, until a reset.
	ids := map[string]string{}
	for _, c := range clients {
		fl, err := c.client.Create(ctx, c.spec)
		require.NoError(t, err, c.name)
		ids[c.name] = fl.ID
	}
	st = getState(t, endpoint)
	require.Len(t, st.Aliyun, 1)
	require.Len(t, st.CBN, 1)
	require.Len(t, st.Tencent, 1)
	assert.Equal(t, ids["aliyun"], st.Aliyun[0].FlowLogID)
	assert.Equal(t, flowlogtest.DefaultNetworkInterfaceID, st.Aliyun[0].ResourceID)
	assert.Equal(t, ids["cbn"], st.CBN[0].FlowLogID)
	assert.Equal(t, ids["tencent"], st.Tencent[0].FlowLogID)

	resp, err := http.Post(endpoint+resetPath, "", nil)
	require.NoError(t, err)
	var afterReset state
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&afterReset))
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	for _, st := range []state{afterReset, getState(t, endpoint)} {
		assert.Empty(t, st.Aliyun)
		assert.Empty(t, st.CBN)
		assert.Empty(t, st.Tencent)
		assert.Empty(t, st.Calls)
	}
	// The listener serves the fresh emulator, seeded with the fixture: the
	// resource of the flow log that was there before the reset is free.
	fl, err := clients[0].client.Create(ctx, clients[0].spec)
	require.NoError(t, err)
	assert.Equal(t, []string{fl.ID}, flowLogIDs(getState(t, endpoint).Aliyun))

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	select {
	case err := <-exited:
		require.NoError(t, err, "exit after SIGTERM; stderr: %s", readFile(stderr.Name()))
		assert.Equal(t, 0, cmd.ProcessState.ExitCode())
	case <-time.After(5 * time.Second):
		t.Fatal("the emulator did not exit within 5s of SIGTERM")
	}
}

type productClient struct {
	name   string
	client *flowlog.Client
	spec   flowlog.FlowLogSpec
}

func newClients(t *testing.T, endpoint string) []productClient {
	t.Helper()
	sls := flowlog.Destination{SLS: &flowlog.SLSDestination{Project: flowlogtest.DefaultSLSProject, LogStore: flowlogtest.DefaultSLSLogStore}}
	ali, err := aliyun.New(aliyun.WithEndpoint(endpoint),
		aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	require.NoError(t, err)
	cen, err := cbn.New(cbn.WithEndpoint(endpoint),
		cbn.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	require.NoError(t, err)
	tc, err := tencent.New(tencent.WithEndpoint(endpoint),
		tencent.WithSecretKey(flowlogtest.DefaultTencentSecretID, flowlogtest.DefaultTencentSecretKey))
	require.NoError(t, err)
	mk := func(name string, p driver.Provider, spec flowlog.FlowLogSpec) productClient {
		c := flowlog.NewClient(p, flowlog.WithWaitDefaults(flowlog.PollDelay(10*time.Millisecond, 100*time.Millisecond)))
		t.Cleanup(func() { _ = c.Close() })
		spec.Name = "emulator-test"
		return productClient{name: name, client: c, spec: spec}
	}
	return []productClient{
		mk("aliyun", ali, flowlog.FlowLogSpec{
			Region:              flowlogtest.DefaultRegion,
			Resource:            flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: flowlogtest.DefaultNetworkInterfaceID},
			TrafficType:         flowlog.TrafficAll,
			Destination:         sls,
			AggregationInterval: time.Minute,
		}),
		mk("cbn", cen, flowlog.FlowLogSpec{
			Region: flowlogtest.DefaultRegion,
			Resource: flowlog.Resource{Kind: flowlog.ResourceTransitRouterAttachment,
				ID: flowlogtest.DefaultTransitRouterAttachmentID, NetworkID: flowlogtest.DefaultCENID},
			Destination:         sls,
			AggregationInterval: 10 * time.Minute,
		}),
		mk("tencent", tc, flowlog.FlowLogSpec{
			Region: flowlogtest.DefaultTencentRegion,
			Resource: flowlog.Resource{Kind: flowlog.ResourceNetworkInterface,
				ID: flowlogtest.DefaultTencentNetworkInterfaceID, NetworkID: flowlogtest.DefaultTencentVPCID},
			TrafficType: flowlog.TrafficAll,
			Destination: flowlog.Destination{CLS: &flowlog.CLSDestination{TopicID: flowlogtest.DefaultCLSTopicID}},
		}),
	}
}

func getState(t *testing.T, endpoint string) state {
	t.Helper()
	resp, err := http.Get(endpoint + statePath)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var st state
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&st))
	return st
}

func flowLogIDs(fls []flowlogtest.VPCFlowLog) []string {
	var ids []string
	for _, fl := range fls {
		ids = append(ids, fl.FlowLogID)
	}
	return ids
}

// collect returns the lines that arrive until none has for quiet.
func collect(lines <-chan string, quiet time.Duration) []string {
	var out []string
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				return out
			}
			out = append(out, line)
		case <-time.After(quiet):
			return out
		}
	}
}

// TestFixtureFileIsTheDefault keeps fixture.json what -print-fixture
// prints, and that the default fixture.
func TestFixtureFileIsTheDefault(t *testing.T) {
	file, err := os.ReadFile("fixture.json")
	require.NoError(t, err)
	f, err := flowlogtest.DecodeFixture(bytes.NewReader(file))
	require.NoError(t, err)
	assert.Equal(t, flowlogtest.DefaultFixture(), f)

	var out, errOut bytes.Buffer
	require.Equal(t, 0, run(context.Background(), []string{"-print-fixture"}, &out, &errOut), errOut.String())
	assert.Equal(t, string(file), out.String(), "regenerate with: go run ./examples/emulator -print-fixture > examples/emulator/fixture.json")

	out.Reset()
	require.Equal(t, 0, run(context.Background(), []string{"-print-fixture", "-fixture", "fixture.json"}, &out, &errOut), errOut.String())
	assert.Equal(t, string(file), out.String())
}

func TestBadFixtureFile(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]struct{ json, want string }{
		"unknown field": {`{"aliyun": {"enis": []}}`, `unknown field "enis"`},
		"bad value":     {`{"tencent": {"ccns": ["ccn_1"]}}`, `tencent.ccns[0]: "ccn_1" must start with "ccn-"`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".json")
			require.NoError(t, os.WriteFile(path, []byte(tc.json), 0o600))
			var out, errOut bytes.Buffer
			assert.Equal(t, 2, run(context.Background(), []string{"-addr", "127.0.0.1:0", "-fixture", path}, &out, &errOut))
			assert.Contains(t, errOut.String(), tc.want)
			assert.NotContains(t, out.String(), "endpoint:", "it must not start")
		})
	}
	var out, errOut bytes.Buffer
	assert.Equal(t, 2, run(context.Background(), []string{"-fixture", filepath.Join(dir, "missing.json")}, &out, &errOut))
	assert.Contains(t, errOut.String(), "missing.json")
}

func TestFaultFlags(t *testing.T) {
	kinds, err := parseFaultKinds("throttle, server-error,HTMLError,lost_response")
	require.NoError(t, err)
	assert.Equal(t, []flowlogtest.FaultKind{flowlogtest.FaultThrottle, flowlogtest.FaultServerError,
		flowlogtest.FaultHTMLError, flowlogtest.FaultLostResponse}, kinds)
	assert.Contains(t, faultKindNames(), "Echo", "every kind of flowlogtest is offered")

	_, err = parseFaultKinds("throttle,timeout")
	assert.ErrorContains(t, err, `unknown kind "timeout"`)

	for args, want := range map[string]string{
		"-fault-rate 1.5 -fault-kinds reset":  "-fault-rate 1.5 is not within 0..1",
		"-fault-rate 0.1":                     "needs -fault-kinds",
		"-fault-kinds throttle":               "need -fault-rate or -fault-count",
		"-fault-count -1 -fault-kinds reset":  "-fault-count -1 is negative",
		"-fault-kinds nope -fault-rate 0.5":   `unknown kind "nope"`,
		"-activation-delay soon":              `invalid value "soon"`,
		"-addr 127.0.0.1:0 stray-argument":    `unexpected arguments`,
		"-fault-action CreateFlowLog":         "need -fault-rate or -fault-count",
		"-fault-rate 0.2 -fault-kinds Malfor": `unknown kind "Malfor"`,
		"-fault-count 1 -fault-kinds documented-error -fault-action Vpc.CreateFlowLog":                   "-fault-code goes with",
		"-fault-count 1 -fault-kinds reset -fault-code RuleExist":                                        "-fault-code goes with",
		"-fault-count 1 -fault-kinds documented-error -fault-action CreateFlowLog -fault-code RuleExist": `-fault-action "CreateFlowLog" does not document -fault-code "RuleExist"`,
	} {
		var out, errOut bytes.Buffer
		assert.Equal(t, 2, run(context.Background(), strings.Fields(args), &out, &errOut), args)
		assert.Contains(t, errOut.String(), want, args)
	}
}

// TestInProcess drives the handler without a process: faults reach the
// client as the emulator injects them, and the inspection
// paths answer what they should.
// serveInProcess starts the emulator with the command's flags args behind
// an httptest server, closed when the test ends, and returns its URL.
func serveInProcess(t *testing.T, args ...string) string {
	t.Helper()
	cfg, err := parseFlags(args, io.Discard)
	require.NoError(t, err)
	opts, err := cfg.options()
	require.NoError(t, err)
	emu, err := newEmulator(opts, flowlogtest.DefaultFixture(), io.Discard)
	require.NoError(t, err)
	t.Cleanup(emu.close)
	hs := httptest.NewServer(emu)
	t.Cleanup(hs.Close)
	return hs.URL
}

// createOn sends one create for the default ENI, with alibaba settings a,
// to the emulator at url through the aliyun adapter.
func createOn(t *testing.T, url string, a *flowlog.AlibabaOptions) error {
	t.Helper()
	p, err := aliyun.New(aliyun.WithEndpoint(url),
		aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret))
	require.NoError(t, err)
	_, err = flowlog.NewClient(p).Create(context.Background(), flowlog.FlowLogSpec{Region: flowlogtest.DefaultRegion, Name: "in-process",
		Resource:    flowlog.Resource{Kind: flowlog.ResourceNetworkInterface, ID: flowlogtest.DefaultNetworkInterfaceID},
		Destination: flowlog.Destination{SLS: &flowlog.SLSDestination{Project: flowlogtest.DefaultSLSProject, LogStore: flowlogtest.DefaultSLSLogStore}},
		Alibaba:     a})
	return err
}

func TestInProcess(t *testing.T) {
	// -fault-code: a documented error the emulator does not model.
	err := createOn(t, serveInProcess(t, "-fault-count", "1", "-fault-kinds", "documented-error",
		"-fault-action", "Vpc.CreateFlowLog", "-fault-code", "Unauthorized"), nil)
	assert.ErrorIs(t, err, flowlog.ErrPermissionDenied, "-fault-code Unauthorized: a RAM user may not create")

	// -strict-rules: an IpVersion outside IPv4 and IPv6 is refused by the
	// emulator, which the library (documented rules only) lets through.
	err = createOn(t, serveInProcess(t, "-strict-rules"), &flowlog.AlibabaOptions{IPVersion: "DualStack"})
	var fe *flowlog.Error
	require.ErrorAs(t, err, &fe, "-strict-rules refuses an undocumented IpVersion")
	assert.Equal(t, "IllegalParam.IpVersion", fe.ProviderCode)

	hsURL := serveInProcess(t, "-fault-count", "1", "-fault-kinds", "reset", "-fault-action", "Tencent.DescribeFlowLogs")
	// A reset fault is a dropped connection to the client, not a 502.
	tc, err := tencent.New(tencent.WithEndpoint(hsURL),
		tencent.WithSecretKey(flowlogtest.DefaultTencentSecretID, flowlogtest.DefaultTencentSecretKey))
	require.NoError(t, err)
	_, err = tc.ListPage(context.Background(), flowlogtest.DefaultTencentRegion, driver.ListFilter{}, "")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "502")
	assert.Equal(t, map[string]int{"Reset": 1}, getState(t, hsURL).FaultsInjected)
	_, err = tc.ListPage(context.Background(), flowlogtest.DefaultTencentRegion, driver.ListFilter{}, "")
	require.NoError(t, err, "the rule was spent")

	for _, tc := range []struct {
		method, path string
		status       int
	}{
		{http.MethodPost, statePath, http.StatusMethodNotAllowed},
		{http.MethodGet, resetPath, http.StatusMethodNotAllowed},
		{http.MethodGet, inspectPrefix + "nope", http.StatusNotFound},
		{http.MethodGet, fixturePath, http.StatusOK},
	} {
		req, err := http.NewRequest(tc.method, hsURL+tc.path, nil)
		require.NoError(t, err)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, tc.status, resp.StatusCode, "%s %s: %s", tc.method, tc.path, body)
		assert.True(t, json.Valid(body), "%s %s answers JSON", tc.method, tc.path)
	}

	// Anything else is the emulator's, whatever its path: an unsigned
	// request gets a cloud error, not an inspection answer.
	resp, err := http.Get(hsURL + "/_emulatorx")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(body), `"Code"`)
}

func readFile(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}
