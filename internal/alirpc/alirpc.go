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
	"log/slog"
	"net/http"
	"sync"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cbn"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/flowlog/ratelimit"
	"github.com/cloudflowlog/flowlog-go/internal/paging"
	"github.com/cloudflowlog/flowlog-go/internal/redact"
	"github.com/cloudflowlog/flowlog-go/internal/transport"
)

// Config is the adapter configuration the Alibaba adapters share. It holds
// the credentials: fmt and log/slog show it through String, GoString, Format
// and LogValue, which name the kind of credentials, never a secret.
type Config struct {
	creds credentials.CredentialsProvider
	// credKind describes creds when an option of this package made them;
	// it is empty for a provider given with WithCredentialsProvider.
	credKind  string
	endpoint  string
	transport http.RoundTripper
	limiter   ratelimit.Limiter
}

// credentialsKind describes the credentials without a secret: the kind, and
// at most the first four characters of a static key ID.
func (c *Config) credentialsKind() string {
	switch {
	case c.creds == nil:
		return "default credentials chain"
	case c.credKind != "":
		return c.credKind
	}
	// The type, not GetProviderName: no user code runs to describe it.
	return fmt.Sprintf("credentials provider %T", c.creds)
}

func (c Config) summary() redact.Summary {
	ep := "(invalid endpoint)"
	if e, err := transport.ParseEndpoint(c.endpoint); err == nil {
		ep = e.Display("")
	}
	return redact.Summary{Type: "alirpc.Config", Provider: "alibaba cloud", Endpoint: ep, Credentials: c.credentialsKind()}
}

// String describes c without its secrets.
func (c Config) String() string { return c.summary().String() }

// GoString describes c for %#v without its secrets.
func (c Config) GoString() string { return c.summary().GoString() }

// Format prints c for every verb without its secrets.
func (c Config) Format(f fmt.State, verb rune) { c.summary().Format(f, verb) }

// LogValue describes c for log/slog without its secrets.
func (c Config) LogValue() slog.Value { return c.summary().LogValue() }

// Option configures an Alibaba adapter.
type Option func(*Config)

// Options unwraps the options of an adapter package, whose exported Option
// type hides this package's.
func Options[O any](opts []O, unwrap func(O) Option) []Option {
	out := make([]Option, len(opts))
	for i, o := range opts {
		out[i] = unwrap(o)
	}
	return out
}

// WithAccessKey uses a static AccessKey pair.
func WithAccessKey(accessKeyID, accessKeySecret string) Option {
	return func(c *Config) {
		c.creds = credentials.NewStaticAKCredentialsProvider(accessKeyID, accessKeySecret)
		c.credKind = "static AccessKey " + redact.KeyHint(accessKeyID)
	}
}

// WithSTSToken uses temporary STS credentials.
func WithSTSToken(accessKeyID, accessKeySecret, securityToken string) Option {
	return func(c *Config) {
		c.creds = credentials.NewStaticSTSCredentialsProvider(accessKeyID, accessKeySecret, securityToken)
		c.credKind = "STS token " + redact.KeyHint(accessKeyID)
	}
}

// WithCredentialsProvider uses any credentials provider of the SDK, such as a
// RAM role. It is called once per request and must be safe for concurrent use.
func WithCredentialsProvider(p credentials.CredentialsProvider) Option {
	return func(c *Config) { c.creds, c.credKind = p, "" }
}

// WithEndpoint overrides the API endpoint: "https://host[:port]",
// "http://host[:port]" or "host[:port]" (HTTPS). Plain HTTP is used only when
// the endpoint says so.
func WithEndpoint(endpoint string) Option {
	return func(c *Config) { c.endpoint = endpoint }
}

// WithHTTPTransport sends requests through rt instead of a private clone of
// http.DefaultTransport. rt is wrapped, not replaced: requests whose
// connection could not be made are still retried (transport.New) and the
// rate limit (WithRateLimit, WithLimiter) still applies.
func WithHTTPTransport(rt http.RoundTripper) Option {
	return func(c *Config) { c.transport = rt }
}

// WithRateLimit makes the adapter start at most perSecond requests per
// second for each region and action, spaced evenly: a
// ratelimit.NewLocal(perSecond) limiter of the adapter's own. Requests
// beyond it wait, bounded by their context. Alibaba documents no limit for
// the flow-log APIs, so the default is none; zero or less also means none.
// Of WithRateLimit and WithLimiter, the last given wins.
func WithRateLimit(perSecond float64) Option {
	return func(c *Config) { c.limiter = ratelimit.NewLocal(perSecond) }
}

// WithLimiter has l admit every request before it is sent, under the Key
// of the adapter's name and the request's region and action (see
// transport.RateLimit), and, if l is a ratelimit.Observer, tells it after
// each call whether the server throttled it. Give the adapters of one
// account the same limiter and those of different accounts different
// ones. nil means no limit. Of WithRateLimit and WithLimiter, the last
// given wins.
func WithLimiter(l ratelimit.Limiter) Option {
	return func(c *Config) { c.limiter = l }
}

// caller makes SDK clients for one adapter.
type caller struct {
	creds     auth.Credential
	credKind  string // Config.credentialsKind
	endpoint  transport.Endpoint
	transport http.RoundTripper
}

var warmEndpointMaps sync.Once

// newCaller checks the options and returns a caller for the adapter named
// provider. Without explicit credentials it uses the SDK's default chain
// (environment, profile files, ECS role, ...), resolved on the first
// request. Every credential the SDK signs with is remembered in secrets.
func newCaller(opts []Option, provider string, secrets *redact.Values) (*caller, error) {
	var cfg Config
	for _, o := range opts {
		if o != nil { // the zero value of an adapter's Option
			o(&cfg)
		}
	}
	ep, err := transport.ParseEndpoint(cfg.endpoint)
	if err != nil {
		return nil, err
	}
	// The signatures of each call's requests are recorded (see API.Do),
	// then come the rate limit, dial-only retries and the base transport,
	// which is wrapped even when the caller gave it.
	c := &caller{endpoint: ep, credKind: cfg.credentialsKind(),
		transport: transport.RecordResponses(transport.Stack(cfg.transport, provider, cfg.limiter))}
	if cfg.creds == nil {
		// The SDK's chain remembers the last provider that worked without a
		// lock, so one chain shared by concurrent calls needs one.
		cfg.creds = &lockedProvider{p: credentials.NewDefaultCredentialsProvider()}
	}
	c.creds = rememberingProvider{p: cfg.creds, secrets: secrets}
	// The SDK fills its endpoint maps lazily and without a lock; filling them
	// once here keeps concurrent first calls race-free.
	warmEndpointMaps.Do(func() { vpc.GetEndpointMap(); cbn.GetEndpointMap() })
	return c, nil
}

// API is one Alibaba RPC product (VPC, CEN) as the adapters use it: C is
// the product's SDK client type.
//
// SDK clients are kept in a pool per region and lent to one call at a time:
// a client is never used by two goroutines at once (the SDK's clients race
// when shared), and making one per call would compile the SDK's region
// regexp and build its HTTP client every time.
type API[C any] struct {
	Errs      Mapper
	caller    *caller
	newClient func(string, *sdk.Config, auth.Credential) (*C, error)
	base      func(*C) *sdk.Client
	pools     sync.Map // region -> *sync.Pool of *C
}

// NewAPI checks the options and returns the product's API. newClient is the
// product's NewClientWithOptions; base returns the embedded sdk.Client.
// The API's errors mask the credentials it signs with by value.
func NewAPI[C any](errs Mapper, opts []Option,
	newClient func(string, *sdk.Config, auth.Credential) (*C, error), base func(*C) *sdk.Client) (*API[C], error) {
	errs.secrets = &redact.Values{}
	c, err := newCaller(opts, errs.Provider, errs.secrets)
	if err != nil {
		return nil, err
	}
	return &API[C]{Errs: errs, caller: c, newClient: newClient, base: base}, nil
}

// Do makes one SDK call for op with a client for region that no other call
// is using, bound to ctx, and maps its error (id names the flow log the call
// is about, if any), masking the signatures the call sent. Then it tells
// the rate limiter, if it observes, whether the call was throttled.
func (a *API[C]) Do(ctx context.Context, op, region, id string, call func(*C) error) error {
	cl, err := a.borrow(region)
	if err != nil {
		return a.Errs.Error(ctx, op, id, fmt.Errorf("alibaba sdk client: %w", err))
	}
	// The transport records the signatures of the requests sent under ctx,
	// for the error mapper to mask, and the rate limiter's keys.
	ctx, sent := transport.WithResponse(ctx)
	// The SDK has no context API: bind this call's context through the
	// transport, and unbind it before the client goes back to the pool.
	base := a.base(cl)
	base.SetTransport(transport.WithContext(ctx, a.caller.transport))
	defer func() {
		base.SetTransport(a.caller.transport)
		a.pool(region).Put(cl)
	}()
	err = a.Errs.Call(ctx, op, id, sent.Signatures, func() error { return onShallowStack(func() error { return call(cl) }) })
	sent.Observe(errors.Is(err, driver.ErrThrottled))
	return err
}

// onShallowStack runs f on a goroutine of its own and waits for it, passing
// a panic of f back to the caller's goroutine (Mapper.Call turns it into an
// error). The SDK signs every request with a nonce whose inputs include the
// goroutine ID, which it reads by formatting the goroutine's stack trace
// (utils.getGID): up to 100 frames, however small its buffer. Called from a
// service's handler, through middleware and this client, that walk cost more
// than all of the client's own work on the call (a CPU profile of
// BenchmarkOverhead showed it); on a fresh goroutine it is a few frames,
// whatever the depth of the caller.
func onShallowStack(f func() error) error {
	type result struct {
		err      error
		panicked bool
		value    any
	}
	done := make(chan result, 1)
	go func() {
		r := result{panicked: true}
		defer func() {
			if r.panicked {
				r.value = recover()
			}
			done <- r
		}()
		r.err = f()
		r.panicked = false
	}()
	r := <-done
	if r.panicked {
		panic(r.value)
	}
	return r.err
}

// Summary describes the adapter without its secrets, for the String,
// GoString, Format and LogValue methods of its Provider type typ (e.g.
// "aliyun.Provider"). defaultHost is the host the SDK uses when no endpoint
// was given ("" when it depends on the region).
func (a *API[C]) Summary(typ, defaultHost string) redact.Summary {
	return redact.Summary{Type: typ, Provider: a.Errs.Provider,
		Endpoint: a.caller.endpoint.Display(defaultHost), Credentials: a.caller.credKind}
}

func (a *API[C]) pool(region string) *sync.Pool {
	if p, ok := a.pools.Load(region); ok {
		return p.(*sync.Pool)
	}
	p, _ := a.pools.LoadOrStore(region, &sync.Pool{})
	return p.(*sync.Pool)
}

// borrow takes a client of region from the pool, or makes one.
func (a *API[C]) borrow(region string) (*C, error) {
	if cl, ok := a.pool(region).Get().(*C); ok {
		return cl, nil
	}
	cfg := sdk.NewConfig().WithScheme(a.caller.endpoint.Scheme).WithAutoRetry(false)
	cfg.Transport = a.caller.transport
	cl, err := a.newClient(region, cfg, a.caller.creds)
	if err != nil {
		return nil, err
	}
	if a.caller.endpoint.Host != "" {
		a.base(cl).Domain = a.caller.endpoint.Host
	}
	return cl, nil
}

// ListPage implements Provider.ListPage for a product: one describe call
// for the page token asks for, of size items. The APIs page by number, so
// the token's offset is read from the start of its page (the client skips
// what it has seen). call makes the call for a 1-based page number with the
// product's server-side filters and returns the items and TotalCount;
// convert turns an item into a FlowLog.
func ListPage[C, F any](ctx context.Context, a *API[C], op, region, token string, size int,
	call func(cl *C, number int) ([]F, string, error), convert func(*F) *driver.FlowLog) (driver.Page, error) {
	cur, err := paging.Parse(token)
	if err != nil {
		return driver.Page{}, &driver.Error{Code: driver.CodeInvalidArgument, Provider: a.Errs.Provider, Op: op, Message: err.Error()}
	}
	number := cur.Offset / size
	var items []F
	var total string
	err = a.Do(ctx, op, region, "", func(cl *C) (err error) {
		items, total, err = call(cl, number+1)
		return err
	})
	if err != nil {
		return driver.Page{}, err
	}
	out := make([]*driver.FlowLog, len(items))
	for i := range items {
		out[i] = convert(&items[i])
	}
	n := TotalCount(total)
	return driver.Page{FlowLogs: out, Total: n, NextToken: paging.Next(number*size, cur.Total, len(items), size, n)}, nil
}

// SetEnabled implements Provider.SetEnabled for a product: VPC and CEN both
// name the actions ActiveFlowLog and DeactiveFlowLog (upper-case L on CEN
// too) and take RegionId and FlowLogId. activate and deactivate make the
// product's SDK call.
func SetEnabled[C any](ctx context.Context, a *API[C], region, id string, enabled bool,
	activate, deactivate func(cl *C, region, id string) error) error {
	op, call := "DeactiveFlowLog", deactivate
	if enabled {
		op, call = "ActiveFlowLog", activate
	}
	return a.Do(ctx, op, region, id, func(cl *C) error { return call(cl, region, id) })
}

// rememberingProvider remembers every credential p hands out, refreshed
// ones included, before the SDK signs with it, so that the API's errors
// mask them by value wherever a server echoes them. The SDK takes any
// CredentialsProvider as it is (auth.ToCredentialsProvider) and asks it for
// credentials on every request (signRpcRequest), so the wrapper sees each.
type rememberingProvider struct {
	p       credentials.CredentialsProvider
	secrets *redact.Values
}

func (r rememberingProvider) GetCredentials() (*credentials.Credentials, error) {
	cr, err := r.p.GetCredentials()
	if cr != nil {
		r.secrets.Remember(cr.AccessKeyId, cr.AccessKeySecret, cr.SecurityToken, cr.BearerToken)
	}
	return cr, err
}

func (r rememberingProvider) GetProviderName() string { return r.p.GetProviderName() }

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
