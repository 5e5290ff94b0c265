// Package setup is the plumbing the example programs share: their common
// flags, the choice between the embedded flowlogtest emulator and the live
// clouds, and the options that point the adapters and the client at either.
// It is not part of the library: a real program builds its providers with
// credentials from the SDKs' default chains and keeps the client's default
// poll delays.
package setup

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/cloudflowlog/flowlog-go/aliyun"
	"github.com/cloudflowlog/flowlog-go/cbn"
	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/tencent"
)

// Config is what every example is set up with.
type Config struct {
	Live    bool          // -live: the real clouds instead of the emulator
	Keep    bool          // -keep: keep the flow logs at the end
	Timeout time.Duration // -timeout: give up after this long

	// Region, Project and LogStore are the Alibaba Cloud region and the SLS
	// logstore receiving the records (-region, -project, -logstore).
	Region, Project, LogStore string

	// ENIs and Count are the Alibaba Cloud network interfaces an example
	// works on, for those that take them (-enis and -count, see
	// ENIFlags): the comma-separated IDs in live mode, how many the
	// emulator seeds in emulator mode.
	ENIs  string
	Count int

	// PollMin and PollMax are the client's poll delays in emulator mode,
	// where flow logs settle in milliseconds; the real clouds take seconds
	// to minutes, for which the client's defaults (2s to 15s) fit.
	PollMin, PollMax time.Duration
}

// Defaults returns the defaults: the emulator's region and logstore, and
// timeout.
func Defaults(timeout time.Duration) Config {
	return Config{
		Timeout:  timeout,
		Region:   flowlogtest.DefaultRegion,
		Project:  flowlogtest.DefaultSLSProject,
		LogStore: flowlogtest.DefaultSLSLogStore,
		PollMin:  10 * time.Millisecond,
		PollMax:  100 * time.Millisecond,
	}
}

// Flags registers -live, -keep, -timeout, -region, -project and -logstore
// on fs. cloud is what -live reaches ("the real clouds"), kept what -keep
// keeps ("the flow logs").
func (c *Config) Flags(fs *flag.FlagSet, cloud, kept string) {
	fs.BoolVar(&c.Live, "live", c.Live, "use "+cloud+" instead of the embedded emulator")
	fs.BoolVar(&c.Keep, "keep", c.Keep, "keep "+kept+" instead of deleting them at the end")
	fs.DurationVar(&c.Timeout, "timeout", c.Timeout, "give up after this long")
	fs.StringVar(&c.Region, "region", c.Region, "Alibaba Cloud region")
	fs.StringVar(&c.Project, "project", c.Project, "SLS project receiving the records")
	fs.StringVar(&c.LogStore, "logstore", c.LogStore, "SLS logstore receiving the records")
}

// ENIFlags registers -enis and -count on fs; what says what the network
// interfaces are for ("the network interfaces to capture").
func (c *Config) ENIFlags(fs *flag.FlagSet, what string) {
	fs.StringVar(&c.ENIs, "enis", c.ENIs, "comma-separated IDs of "+what+" (live mode)")
	fs.IntVar(&c.Count, "count", c.Count, "how many of "+what+" to seed (emulator mode)")
}

// Main runs run with a context that an interrupt or the timeout cancels.
// If run fails, Main prints the error after name and exits with status 1.
func Main(name string, timeout time.Duration, run func(ctx context.Context) error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(1)
	}
}

// Env is where an example runs: the embedded emulator or the live clouds.
type Env struct {
	// Server is the embedded emulator; nil in live mode.
	Server *flowlogtest.Server
	// AliyunOptions, CBNOptions and TencentOptions point the adapters at
	// the emulator, with its credentials; in live mode they are empty: the
	// SDKs' default endpoints and credential chains.
	AliyunOptions  []aliyun.Option
	CBNOptions     []cbn.Option
	TencentOptions []tencent.Option
	// ClientOptions are for flowlog.NewClient: the poll delays in emulator
	// mode, none in live mode.
	ClientOptions []flowlog.Option
}

// Start returns the Env of c and writes which it is to out: in live mode
// the real clouds (cloud names them: "clouds", "Alibaba Cloud"); else a
// new emulator, with opts, that Close stops.
func Start(c Config, out io.Writer, cloud string, opts ...flowlogtest.Option) *Env {
	if c.Live {
		fmt.Fprintf(out, "mode: live %s, credentials from each SDK's default chain\n", cloud)
		return &Env{}
	}
	srv := flowlogtest.NewServer(opts...)
	fmt.Fprintf(out, "mode: embedded emulator at %s (use -live for the real %s)\n", srv.URL, cloud)
	return &Env{
		Server: srv,
		AliyunOptions: []aliyun.Option{aliyun.WithEndpoint(srv.URL),
			aliyun.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret)},
		CBNOptions: []cbn.Option{cbn.WithEndpoint(srv.URL),
			cbn.WithAccessKey(flowlogtest.DefaultAccessKeyID, flowlogtest.DefaultAccessKeySecret)},
		TencentOptions: []tencent.Option{tencent.WithEndpoint(srv.URL),
			tencent.WithSecretKey(flowlogtest.DefaultTencentSecretID, flowlogtest.DefaultTencentSecretKey)},
		ClientOptions: []flowlog.Option{flowlog.WithWaitDefaults(flowlog.PollDelay(c.PollMin, c.PollMax))},
	}
}

// Close stops the emulator, if there is one.
func (e *Env) Close() {
	if e.Server != nil {
		e.Server.Close()
	}
}

// ENIs returns the Alibaba Cloud network interfaces an example works on: in
// live mode those of c.ENIs (what says what they are for, in the error if
// there are none), in emulator mode c.Count new ones, seeded in the default
// vSwitch of c.Region.
func (e *Env) ENIs(c Config, what string) ([]string, error) {
	if e.Server != nil {
		if c.Count < 1 {
			return nil, errors.New("-count must be at least 1")
		}
		return e.Server.AddNetworkInterfaces(c.Region, flowlogtest.DefaultVPCID, flowlogtest.DefaultVSwitchID, c.Count), nil
	}
	var enis []string
	for _, id := range strings.Split(c.ENIs, ",") {
		if id = strings.TrimSpace(id); id != "" {
			enis = append(enis, id)
		}
	}
	if len(enis) == 0 {
		return nil, errors.New("-live needs -enis: " + what)
	}
	return enis, nil
}
