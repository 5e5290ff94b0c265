// Package alirpc is what the Alibaba Cloud adapters (aliyun for VPC, cbn for
// Cloud Enterprise Network) share on top of the classic alibaba-cloud-sdk-go:
// configuration, safe per-call SDK clients, error mapping and parameter rules.
//
// Why per-call clients: an sdk.Client mutates its own http.Client and
// transport on every call and races when shared between goroutines; it also
// has no context API. A fresh client per call, whose transport binds the
// request to the caller's context, fixes both at the cost of a few
// allocations and no I/O.
package alirpc

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cbn"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/internal/paging"
	"github.com/cloudflowlog/flowlog-go/internal/transport"
)

// Config is the adapter configuration the Alibaba adapters share.
type Config struct {
	creds     credentials.CredentialsProvider
	endpoint  string
	transport http.RoundTripper
	rateLimit float64
}

// Option configures an Alibaba adapter.
type Option func(*Config)

// WithAccessKey uses a static AccessKey pair.
func WithAccessKey(accessKeyID, accessKeySecret string) Option {
	return func(c *Config) { c.creds = credentials.NewStaticAKCredentialsProvider(accessKeyID, accessKeySecret) }
}

// WithSTSToken uses temporary STS credentials.
func WithSTSToken(accessKeyID, accessKeySecret, securityToken string) Option {
	return func(c *Config) {
		c.creds = credentials.NewStaticSTSCredentialsProvider(accessKeyID, accessKeySecret, securityToken)
	}
}

// WithCredentialsProvider uses any credentials provider of the SDK, such as a
// RAM role. It is called once per request and must be safe for concurrent use.
func WithCredentialsProvider(p credentials.CredentialsProvider) Option {
	return func(c *Config) { c.creds = p }
}

// WithEndpoint overrides the API endpoint: "https://host[:port]",
// "http://host[:port]" or "host[:port]" (HTTPS). Plain HTTP is used only when
// the endpoint says so.
func WithEndpoint(endpoint string) Option {
	return func(c *Config) { c.endpoint = endpoint }
}

// WithHTTPTransport sends requests through rt instead of a private clone of
// http.DefaultTransport. rt is wrapped, not replaced: requests whose
// connection could not be made are still retried (transport.New) and
// WithRateLimit still applies.
func WithHTTPTransport(rt http.RoundTripper) Option {
	return func(c *Config) { c.transport = rt }
}

// WithRateLimit makes the adapter start at most perSecond requests per
// second for each region and action, spaced evenly (see
// transport.RateLimit); requests beyond it wait, bounded by their context.
// Alibaba documents no limit for the flow-log APIs, so the default is none;
// zero or less also means none.
func WithRateLimit(perSecond float64) Option {
	return func(c *Config) { c.rateLimit = perSecond }
}

// caller makes SDK clients for one adapter.
type caller struct {
	creds     auth.Credential
	endpoint  transport.Endpoint
	transport http.RoundTripper
}

var warmEndpointMaps sync.Once

// newCaller checks the options and returns a caller. Without explicit
// credentials it uses the SDK's default chain (environment, profile files,
// ECS role, ...), resolved on the first request.
func newCaller(opts []Option) (*caller, error) {
	var cfg Config
	for _, o := range opts {
		o(&cfg)
	}
	ep, err := transport.ParseEndpoint(cfg.endpoint)
	if err != nil {
		return nil, err
	}
	// Rate limit, then dial-only retries, then the base transport, which is
	// wrapped even when the caller gave it.
	c := &caller{endpoint: ep, transport: transport.Stack(cfg.transport, transport.Limits{PerSecond: cfg.rateLimit})}
	if cfg.creds == nil {
		// The SDK's chain remembers the last provider that worked without a
		// lock, so one chain shared by concurrent calls needs one.
		cfg.creds = &lockedProvider{p: credentials.NewDefaultCredentialsProvider()}
	}
	c.creds = cfg.creds
	// The SDK fills its endpoint maps lazily and without a lock; filling them
	// once here keeps concurrent first calls race-free.
	warmEndpointMaps.Do(func() { vpc.GetEndpointMap(); cbn.GetEndpointMap() })
	return c, nil
}

// API is one Alibaba RPC product (VPC, CEN) as the adapters use it: C is
// the product's SDK client type.
type API[C any] struct {
	Errs      Mapper
	caller    *caller
	newClient func(string, *sdk.Config, auth.Credential) (*C, error)
	base      func(*C) *sdk.Client
}

// NewAPI checks the options and returns the product's API. newClient is the
// product's NewClientWithOptions; base returns the embedded sdk.Client.
func NewAPI[C any](errs Mapper, opts []Option,
	newClient func(string, *sdk.Config, auth.Credential) (*C, error), base func(*C) *sdk.Client) (*API[C], error) {
	c, err := newCaller(opts)
	if err != nil {
		return nil, err
	}
	return &API[C]{Errs: errs, caller: c, newClient: newClient, base: base}, nil
}

// Do makes one SDK call for op with a fresh client for region, bound to ctx,
// and maps its error (id names the flow log the call is about, if any).
func (a *API[C]) Do(ctx context.Context, op, region, id string, call func(*C) error) error {
	cfg := sdk.NewConfig().WithScheme(a.caller.endpoint.Scheme).WithAutoRetry(false)
	cfg.Transport = transport.WithContext(ctx, a.caller.transport)
	cl, err := a.newClient(region, cfg, a.caller.creds)
	if err != nil {
		return a.Errs.Error(ctx, op, id, fmt.Errorf("alibaba sdk client: %w", err))
	}
	if a.caller.endpoint.Host != "" {
		a.base(cl).Domain = a.caller.endpoint.Host
	}
	return a.Errs.Call(ctx, op, id, func() error { return call(cl) })
}

// Describe implements Provider.Describe for a product: page fetches one page
// (1-based number) of the product's describe call, or, when id is not
// empty, the call filtered by that ID; it returns the items and TotalCount.
// convert turns a wanted item into a FlowLog.
func Describe[C, F any](ctx context.Context, a *API[C], op, region string, ids []string, size int,
	page func(cl *C, number int, id string) ([]F, string, error),
	idOf func(F) string, convert func(*F) *flowlog.FlowLog) ([]*flowlog.FlowLog, error) {
	found, err := paging.Find(ids, size, func(n int, id string) ([]F, int, error) {
		var items []F
		var total string
		err := a.Do(ctx, op, region, "", func(cl *C) (err error) {
			items, total, err = page(cl, n+1, id)
			return err
		})
		return items, TotalCount(total), err
	}, idOf)
	if err != nil {
		return nil, err
	}
	out := make([]*flowlog.FlowLog, len(found))
	for i := range found {
		out[i] = convert(&found[i])
	}
	return out, nil
}

// lockedProvider serialises a credentials provider that is not safe for
// concurrent use.
type lockedProvider struct {
	mu sync.Mutex
	p  credentials.CredentialsProvider
}

func (l *lockedProvider) GetCredentials() (*credentials.Credentials, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	cr, err := l.p.GetCredentials()
	if err != nil {
		// The chain's error lists every provider it tried; it holds no secret.
		return nil, errors.New("alibaba cloud credentials: " + err.Error())
	}
	return cr, nil
}

func (l *lockedProvider) GetProviderName() string { return l.p.GetProviderName() }
