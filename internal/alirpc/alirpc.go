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

	"github.com/cloudflowlog/flowlog-go/internal/transport"
)

// Config is the adapter configuration the Alibaba adapters share.
type Config struct {
	creds     credentials.CredentialsProvider
	endpoint  string
	transport http.RoundTripper
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
// http.DefaultTransport.
func WithHTTPTransport(rt http.RoundTripper) Option {
	return func(c *Config) { c.transport = rt }
}

// Caller makes SDK clients for one adapter.
type Caller struct {
	creds     auth.Credential
	endpoint  transport.Endpoint
	transport http.RoundTripper
}

var warmEndpointMaps sync.Once

// NewCaller checks the options and returns a Caller. Without explicit
// credentials it uses the SDK's default chain (environment, profile files,
// ECS role, ...), resolved on the first request.
func NewCaller(opts []Option) (*Caller, error) {
	var cfg Config
	for _, o := range opts {
		o(&cfg)
	}
	ep, err := transport.ParseEndpoint(cfg.endpoint)
	if err != nil {
		return nil, err
	}
	c := &Caller{endpoint: ep, transport: cfg.transport}
	if c.transport == nil {
		c.transport = transport.Default()
	}
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

// Client makes a fresh SDK client of type T bound to ctx. newClient is the
// product's NewClientWithOptions; base returns the embedded sdk.Client.
func Client[T any](ctx context.Context, c *Caller, region string,
	newClient func(string, *sdk.Config, auth.Credential) (*T, error), base func(*T) *sdk.Client) (*T, error) {
	cfg := sdk.NewConfig().WithScheme(c.endpoint.Scheme).WithAutoRetry(false)
	cfg.Transport = transport.WithContext(ctx, c.transport)
	cl, err := newClient(region, cfg, c.creds)
	if err != nil {
		return nil, fmt.Errorf("alibaba sdk client: %w", err)
	}
	if c.endpoint.Host != "" {
		base(cl).Domain = c.endpoint.Host
	}
	return cl, nil
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
