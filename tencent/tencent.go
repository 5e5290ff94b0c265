package tencent

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"
	vpc "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/vpc/v20170312"
	"golang.org/x/sync/singleflight"

	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/flowlog/ratelimit"
	"github.com/cloudflowlog/flowlog-go/internal/errmap"
	"github.com/cloudflowlog/flowlog-go/internal/paging"
	"github.com/cloudflowlog/flowlog-go/internal/redact"
	"github.com/cloudflowlog/flowlog-go/internal/transport"
	"github.com/cloudflowlog/flowlog-go/internal/validate"
)

// Name is the provider name in errors, logs and FlowLog.Provider.
const Name = "tencent"

// pageSize is the largest Limit DescribeFlowLogs allows.
const pageSize = 100

// Option configures the adapter.
type Option func(*config)

type config struct {
	cred common.CredentialIface
	// credKind describes cred without its secret (see redact.KeyHint).
	credKind      string
	provider      common.Provider
	endpoint      string
	international bool
	transport     http.RoundTripper
	limiter       ratelimit.Limiter
}

// DefaultRateLimit is the documented 20 requests per second of
// CreateFlowLog and DescribeFlowLogs, and the maximum of the adapter's
// default limiter, ratelimit.NewAdaptive(DefaultRateLimit): requests of
// each region and action start evenly spaced at that rate, and slow down
// when the server throttles them anyway (other clients of the account
// share its limit), to speed up again afterwards, never past it.
const DefaultRateLimit = 20

// WithSecretKey uses a static SecretId/SecretKey pair.
func WithSecretKey(secretID, secretKey string) Option {
	return func(c *config) {
		c.cred = common.NewCredential(secretID, secretKey)
		c.credKind = "static SecretKey " + redact.KeyHint(secretID)
	}
}

// WithSTSToken uses temporary credentials with a session token.
func WithSTSToken(secretID, secretKey, token string) Option {
	return func(c *config) {
		c.cred = common.NewTokenCredential(secretID, secretKey, token)
		c.credKind = "STS token " + redact.KeyHint(secretID)
	}
}

// WithCredentialsProvider resolves credentials through p on first use, for
// example common.DefaultProviderChain(), which is also the default
// (TENCENTCLOUD_SECRET_ID/KEY, the profile file, the CVM role). A failed
// lookup is tried again on the next call; the credential found is kept, and
// one that refreshes itself (a CVM or OIDC role's) goes on doing so.
func WithCredentialsProvider(p common.Provider) Option {
	return func(c *config) { c.provider = p }
}

// WithEndpoint overrides the endpoint: "https://host[:port]",
// "http://host[:port]" or "host[:port]" (HTTPS).
func WithEndpoint(endpoint string) Option {
	return func(c *config) { c.endpoint = endpoint }
}

// WithInternational uses the international site's endpoint,
// vpc.intl.tencentcloudapi.com, instead of the mainland one.
func WithInternational() Option {
	return func(c *config) { c.international = true }
}

// WithHTTPTransport sends requests through rt. rt is wrapped: requests whose
// connection could not be made are retried, and the rate limit
// (WithRateLimit or WithLimiter) applies.
func WithHTTPTransport(rt http.RoundTripper) Option {
	return func(c *config) { c.transport = rt }
}

// WithRateLimit makes the adapter start at most perSecond requests per
// second for each region and action, evenly spaced (a
// ratelimit.NewLocal(perSecond) of the adapter's own), so that concurrent
// calls stay under Tencent's per-second limit instead of failing with
// RequestLimitExceeded; further requests wait, bounded by their context.
// Unlike the default, ratelimit.NewAdaptive(DefaultRateLimit), it does not
// slow down when the server throttles. Zero or less disables the limit.
// The limit is per adapter instance: give several instances of one account
// a share each, or one limiter with WithLimiter. Of WithRateLimit and
// WithLimiter, the last given wins.
func WithRateLimit(perSecond float64) Option {
	return func(c *config) { c.limiter = ratelimit.NewLocal(perSecond) }
}

// WithLimiter has l admit each request before it is sent, under the
// ratelimit.Key of the adapter's Name and the request's region and action,
// and, if l is a ratelimit.Observer (such as ratelimit.NewAdaptive's), tells
// it after each call whether the server throttled it. Requests wait for l,
// bounded by their context. A limiter applies to one account: give the
// adapters of one account the same limiter, those of different accounts
// different ones. nil means no limit. Of WithRateLimit and WithLimiter, the
// last given wins.
func WithLimiter(l ratelimit.Limiter) Option {
	return func(c *config) { c.limiter = l }
}

// summary is what fmt and log/slog show of an adapter: its String,
// GoString, Format and LogValue, promoted into Provider, name the endpoint
// and the kind of credentials, never a secret.
type summary = redact.Summary

// Provider implements driver.Provider for Tencent Cloud VPC. It prints as
// "tencent (endpoint https://vpc.tencentcloudapi.com, credentials static
// SecretKey AKID****)" with every verb of fmt and in log/slog: never a
// secret, though the fields below hold the credentials (and a caller's
// credential provider, which fmt would print field by field).
type Provider struct {
	summary
	profile   *profile.ClientProfile
	transport http.RoundTripper

	// provider finds the credential on first use when none was given;
	// lookups shares one lookup among concurrent callers.
	provider common.Provider
	lookups  singleflight.Group
	// secrets holds every credential value the adapter has signed with, so
	// that error texts are masked by value (see redact.Values).
	secrets redact.Values

	mu sync.Mutex
	// cred is set once and never replaced, so every client below signs
	// with it.
	cred    common.CredentialIface
	clients map[string]*vpc.Client // per region: the SDK binds a client to one
}

var _ driver.Provider = (*Provider)(nil)

// New returns the adapter. It does no I/O; credentials from a provider chain
// are resolved on the first call. Unless WithRateLimit or WithLimiter says
// otherwise, the adapter has a limiter of its own,
// ratelimit.NewAdaptive(DefaultRateLimit): at most 20 requests per second
// for each region and action, fewer for a while after the server
// throttles some.
func New(opts ...Option) (*Provider, error) {
	cfg := config{limiter: ratelimit.NewAdaptive(DefaultRateLimit)}
	for _, o := range opts {
		o(&cfg)
	}
	ep, err := transport.ParseEndpoint(cfg.endpoint)
	if err != nil {
		return nil, err
	}
	cpf := profile.NewClientProfile()
	cpf.HttpProfile.Scheme = ep.Scheme
	cpf.HttpProfile.Endpoint = ep.Host
	if cfg.international {
		cpf.HttpProfile.RootDomain = "intl.tencentcloudapi.com"
	}
	cpf.Language = "en-US"
	// Both stay at zero: the SDK's retries resend without re-signing.
	cpf.NetworkFailureMaxRetries = 0
	cpf.RateLimitExceededMaxRetries = 0
	cpf.DisableRegionBreaker = true

	// Outermost first: status recorder, rate limit, dial-only retries, the
	// base transport (wrapped even when the caller gave it).
	rt := transport.Stack(cfg.transport, Name, cfg.limiter)
	p := &Provider{
		profile:   cpf,
		transport: transport.RecordResponses(rt),
		provider:  cfg.provider,
		clients:   map[string]*vpc.Client{},
	}
	credKind := cfg.credKind
	switch {
	case cfg.cred != nil:
		p.cred = p.remembering(cfg.cred)
	case p.provider != nil:
		// The type, not the value: a provider may hold a secret.
		credKind = fmt.Sprintf("credential provider %T", p.provider)
	default:
		credKind = "default credential provider chain"
		p.provider = common.DefaultProviderChain()
	}
	defaultHost := "vpc.tencentcloudapi.com"
	if cfg.international {
		defaultHost = "vpc.intl.tencentcloudapi.com"
	}
	p.summary = redact.Summary{Type: "tencent.Provider", Provider: Name, Endpoint: ep.Display(defaultHost), Credentials: credKind}
	return p, nil
}

// Name returns "tencent".
func (p *Provider) Name() string { return Name }

// client returns the SDK client of region. The SDK's vpc client is safe for
// concurrent calls as long as every call has its own request object.
func (p *Provider) client(ctx context.Context, region string) (*vpc.Client, error) {
	cred, err := p.credential(ctx)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.clients[region]; ok {
		return c, nil
	}
	c, err := vpc.NewClient(cred, region, p.profile)
	if err != nil {
		return nil, &driver.Error{Code: driver.CodeInvalidArgument, Provider: Name, Message: errmap.Message(err.Error())}
	}
	c.WithHttpTransport(p.transport)
	p.clients[region] = c
	return c, nil
}

// credential returns the adapter's credential, looking it up through the
// provider until a lookup succeeds: a failure is not kept, since the
// variables may be set or the metadata service back by the next call.
// Concurrent callers share one lookup. The SDK's providers take no context,
// so the lookup runs on its own and each caller waits for it only as long
// as its ctx allows; an abandoned lookup still keeps what it finds.
func (p *Provider) credential(ctx context.Context) (common.CredentialIface, error) {
	p.mu.Lock()
	cred := p.cred
	p.mu.Unlock()
	if cred != nil {
		return cred, nil
	}
	lookup := p.lookups.DoChan("", func() (any, error) { return p.lookUp() })
	select {
	case r := <-lookup:
		if r.Err != nil {
			return nil, &driver.Error{Code: driver.CodeUnauthenticated, Provider: Name,
				Message: "no credentials: " + errmap.Message(p.secrets.String(r.Err.Error()))}
		}
		return r.Val.(common.CredentialIface), nil
	case <-ctx.Done():
		return nil, &driver.Error{Code: driver.CodeUnauthenticated, Provider: Name,
			Message: "no credentials yet: " + ctx.Err().Error(), Err: ctx.Err()}
	}
}

// lookUp asks the provider for the credential and keeps it, unless a lookup
// that ended after the caller looked has kept one already.
func (p *Provider) lookUp() (common.CredentialIface, error) {
	p.mu.Lock()
	cred := p.cred
	p.mu.Unlock()
	if cred != nil {
		return cred, nil
	}
	found, err := p.provider.GetCredential()
	if err != nil {
		return nil, err
	}
	if found == nil {
		return nil, errors.New("the credential provider returned no credential")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cred = p.remembering(found)
	return p.cred, nil
}

// remembering wraps cred so that every value the SDK signs with, including
// the new values of a credential that refreshes itself, is remembered for
// masking first.
func (p *Provider) remembering(cred common.CredentialIface) common.CredentialIface {
	return rememberedCredential{cred: cred, secrets: &p.secrets}
}

// rememberedCredential passes cred's values on, remembering each one. It
// keeps cred itself, not a copy of its values: the SDK's role credentials
// refresh themselves inside their getters.
type rememberedCredential struct {
	cred    common.CredentialIface
	secrets *redact.Values
}

func (r rememberedCredential) GetSecretId() string  { return r.remember(r.cred.GetSecretId()) }
func (r rememberedCredential) GetSecretKey() string { return r.remember(r.cred.GetSecretKey()) }
func (r rememberedCredential) GetToken() string     { return r.remember(r.cred.GetToken()) }

func (r rememberedCredential) GetCredential() (string, string, string) {
	id, key, token := r.cred.GetCredential()
	r.secrets.Remember(id, key, token)
	return id, key, token
}

func (r rememberedCredential) remember(v string) string {
	r.secrets.Remember(v)
	return v
}

// do makes one SDK call for op and maps its error, then tells the rate
// limiter, if it observes, whether the call was throttled.
func (p *Provider) do(ctx context.Context, op, region, id string, call func(context.Context, *vpc.Client) error) (err error) {
	cl, err := p.client(ctx, region)
	if err != nil {
		var fe *driver.Error
		if errors.As(err, &fe) {
			fe.Op, fe.ID = op, id
		}
		return err
	}
	ctx, resp := transport.WithResponse(ctx)
	defer func() {
		if r := recover(); r != nil {
			err = &driver.Error{Code: driver.CodeUnavailable, Retry: driver.RetryAmbiguous, Provider: Name, Op: op, ID: id,
				HTTPStatus: resp.Status(), Message: "malformed response: the SDK could not decode it"}
		}
		resp.Observe(errors.Is(err, driver.ErrThrottled))
	}()
	if err := call(ctx, cl); err != nil {
		return p.mapError(ctx, op, id, resp, err)
	}
	return nil
}

// Validate checks spec against CreateFlowLog's documented rules, each
// named with its source: seed 003 (the CreateFlowLog reference, VPC
// 2017-03-12) or api-spec.md §4.1. The flowlogtest emulator enforces the
// same rules (flowlogtest/rules_tencent_test.go runs one table through
// both).
func (p *Provider) Validate(s *driver.FlowLogSpec) []driver.FieldError {
	var c validate.Collector
	kind, ok := resourceTypes[s.Resource.Kind]
	if !ok {
		c.Unsupported("Resource.Kind", Name+" (resource kind "+string(s.Resource.Kind)+")")
	}
	// seed 003 VpcId: "This parameter is required unless the ResourceType is
	// set to CCN"; api-spec §4.1: must be empty for CCN.
	switch {
	case kind == "CCN" && s.Resource.NetworkID != "":
		c.Invalid("Resource.NetworkID", "must be empty for a CCN flow log")
	case ok && kind != "CCN" && s.Resource.NetworkID == "":
		c.Invalid("Resource.NetworkID", "is required: the VPC ID (vpc-...) of the resource")
	case ok && kind != "CCN" && !strings.HasPrefix(s.Resource.NetworkID, idPrefixes["VPC"]):
		c.Invalid("Resource.NetworkID", "must be a VPC ID, which starts with %q, got %q", idPrefixes["VPC"], s.Resource.NetworkID)
	}
	if prefix := idPrefixes[kind]; prefix != "" && s.Resource.ID != "" && !strings.HasPrefix(s.Resource.ID, prefix) {
		c.Invalid("Resource.ID", "a %s ID starts with %q, got %q", kind, prefix, s.Resource.ID)
	}
	// seed 003 FlowLogName: Required Yes; api-spec §4.1: ≤60 characters
	// [T-NEW].
	if s.Name == "" {
		c.Invalid("Name", "is required")
	} else if n := utf8.RuneCountInString(s.Name); n > 60 {
		c.Invalid("Name", "must be at most 60 characters, got %d", n)
	}
	// api-spec §4.1 FlowLogDescription: ≤512 characters [T-NEW].
	if n := utf8.RuneCountInString(s.Description); n > 512 {
		c.Invalid("Description", "must be at most 512 characters, got %d", n)
	}
	// seed 003 StorageType: "cls and ckafka"; there is no SLS.
	if s.Destination.SLS != nil {
		c.Unsupported("Destination.SLS", Name)
	}
	// api-spec §4.1 Period (CCN only) is [T-NEW] only, not in the pinned
	// SDK's CreateFlowLogRequest ([SDK-T] v1.0.1000): it cannot be sent.
	if s.AggregationInterval != 0 {
		c.Unsupported("AggregationInterval", Name)
	}
	if s.Alibaba != nil {
		c.Unsupported("Alibaba", Name)
	}
	// Tags: api-spec §4.1 "Key required, Value optional" (an empty key is the
	// neutral validation's; a map has no duplicate keys, seed 003
	// TagDuplicateKey). Seed 003 and api-spec give no count, length,
	// character set or reserved keys for CreateFlowLog's Tags.N, so none is
	// checked: the Tag service's own limits (acs3-and-lifecycle-apis.md §3)
	// are not CreateFlowLog's documented rules.
	return c.Errs
}

// idPrefixes are the documented prefixes of the IDs of each ResourceType;
// a type without one (SUBNET) takes any non-empty ID:
//   - VPC: seed 003 example "VpcId": "vpc-xxxxxx", "vpc-pq9vxykj";
//   - NETWORKINTERFACE: seed 003 example "ResourceId": "eni-xxxxxxxx";
//   - NAT, CCN, DCG: api-spec §4.1 ResourceId "e.g. eni-b4ax8qbz, nat-…,
//     ccn-…, dcg-…".
//
// No length or alphabet is documented after the prefix.
var idPrefixes = map[string]string{
	"VPC":              "vpc-",
	"NETWORKINTERFACE": "eni-",
	"NAT":              "nat-",
	"CCN":              "ccn-",
	"DCG":              "dcg-",
}

var resourceTypes = map[driver.ResourceKind]string{
	driver.ResourceNetworkInterface:     "NETWORKINTERFACE",
	driver.ResourceSubnet:               "SUBNET",
	driver.ResourceVPC:                  "VPC",
	driver.ResourceCloudConnectNetwork:  "CCN",
	driver.ResourceNATGateway:           "NAT",
	driver.ResourceDirectConnectGateway: "DCG",
}

var trafficTypes = map[driver.TrafficType]string{
	driver.TrafficAll:    "ALL",
	driver.TrafficAccept: "ACCEPT",
	driver.TrafficReject: "REJECT",
}

// Create sends one CreateFlowLog request. The API has no idempotency token.
func (p *Provider) Create(ctx context.Context, spec *driver.FlowLogSpec) (*driver.FlowLog, error) {
	const op = "CreateFlowLog"
	req := createRequest(spec)
	var resp *vpc.CreateFlowLogResponse
	err := p.do(ctx, op, spec.Region, "", func(ctx context.Context, cl *vpc.Client) (err error) {
		resp, err = cl.CreateFlowLogWithContext(ctx, req)
		return err
	})
	if err != nil {
		return nil, err
	}
	if resp.Response == nil || len(resp.Response.FlowLog) == 0 || resp.Response.FlowLog[0] == nil || str(resp.Response.FlowLog[0].FlowLogId) == "" {
		e := &driver.Error{Code: driver.CodeUnavailable, Retry: driver.RetryAmbiguous, Provider: Name, Op: op,
			Message: "malformed response: no FlowLog"}
		if resp.Response != nil {
			e.RequestID = str(resp.Response.RequestId)
		}
		return nil, e
	}
	fl := toFlowLog(resp.Response.FlowLog[0], spec.Region)
	return fl, nil
}

func createRequest(s *driver.FlowLogSpec) *vpc.CreateFlowLogRequest {
	req := vpc.NewCreateFlowLogRequest()
	req.FlowLogName = common.StringPtr(s.Name)
	req.ResourceType = common.StringPtr(resourceTypes[s.Resource.Kind])
	req.ResourceId = common.StringPtr(s.Resource.ID)
	traffic := s.TrafficType
	if traffic == "" {
		traffic = driver.TrafficAll
	}
	req.TrafficType = common.StringPtr(trafficTypes[traffic])
	req.VpcId = optional(s.Resource.NetworkID)
	req.FlowLogDescription = optional(s.Description)
	switch d := s.Destination; {
	case d.CLS != nil:
		req.StorageType = common.StringPtr("cls")
		req.CloudLogId = common.StringPtr(d.CLS.TopicID)
		req.CloudLogRegion = optional(d.CLS.Region)
	case d.CKafka != nil:
		req.StorageType = common.StringPtr("ckafka")
		req.FlowLogStorage = &vpc.FlowLogStorage{StorageId: common.StringPtr(d.CKafka.InstanceID), StorageTopic: common.StringPtr(d.CKafka.Topic)}
	}
	for _, k := range slices.Sorted(maps.Keys(s.Tags)) {
		req.Tags = append(req.Tags, &vpc.Tag{Key: common.StringPtr(k), Value: common.StringPtr(s.Tags[k])})
	}
	return req
}

// Describe lists the flow logs among ids through ListPage: one call
// filtered by ID each, or pages of 100 through the region, whichever takes
// fewer calls.
func (p *Provider) Describe(ctx context.Context, region string, ids []string) ([]*driver.FlowLog, error) {
	return paging.Describe(ctx, region, ids, pageSize, p.ListPage)
}

// describe makes one DescribeFlowLogs call and returns the flow logs and
// TotalNum (-1 when missing).
func (p *Provider) describe(ctx context.Context, region string, req *vpc.DescribeFlowLogsRequest) ([]*vpc.FlowLog, int, error) {
	var resp *vpc.DescribeFlowLogsResponse
	err := p.do(ctx, "DescribeFlowLogs", region, "", func(ctx context.Context, cl *vpc.Client) (err error) {
		resp, err = cl.DescribeFlowLogsWithContext(ctx, req)
		return err
	})
	if err != nil || resp.Response == nil {
		return nil, -1, err
	}
	total := -1
	if resp.Response.TotalNum != nil {
		total = int(*resp.Response.TotalNum)
	}
	return resp.Response.FlowLog, total, nil
}

// ListPage sends one DescribeFlowLogs request for the page token asks for,
// of 100, oldest first (so that flow logs created during a walk do not
// shift the pages), filtered on the server by FlowLogId, ResourceId,
// FlowLogName and VpcId. The API has no filter for the neutral states. A
// VpcId the API does not know (ResourceNotFound) gives an empty page: no
// flow log is in it.
func (p *Provider) ListPage(ctx context.Context, region string, f driver.ListFilter, token string) (driver.Page, error) {
	const op = "DescribeFlowLogs"
	cur, err := paging.Parse(token)
	if err != nil {
		return driver.Page{}, &driver.Error{Code: driver.CodeInvalidArgument, Provider: Name, Op: op, Message: err.Error()}
	}
	req := vpc.NewDescribeFlowLogsRequest()
	req.FlowLogId, req.ResourceId, req.FlowLogName, req.VpcId = optional(f.ID), optional(f.ResourceID), optional(f.Name), optional(f.NetworkID)
	req.OrderField, req.OrderDirection = common.StringPtr("createTime"), common.StringPtr("ASC")
	req.Offset = common.Uint64Ptr(uint64(cur.Offset))
	req.Limit = common.Uint64Ptr(pageSize)
	items, total, err := p.describe(ctx, region, req)
	switch {
	case err != nil && f.NetworkID != "" && errors.Is(err, driver.ErrNotFound):
		return driver.Page{Total: 0}, nil
	case err != nil:
		return driver.Page{}, err
	}
	out := make([]*driver.FlowLog, 0, len(items))
	for _, item := range items {
		if item != nil {
			out = append(out, toFlowLog(item, region))
		}
	}
	return driver.Page{FlowLogs: out, Total: total, NextToken: paging.Next(cur.Offset, cur.Total, len(items), pageSize, total)}, nil
}

// SetEnabled sends EnableFlowLogs or DisableFlowLogs for the one flow log.
// Both are synchronous: Enable flips at once. It does not wait.
func (p *Provider) SetEnabled(ctx context.Context, region, id string, enabled bool) error {
	ids := []*string{common.StringPtr(id)}
	if enabled {
		req := vpc.NewEnableFlowLogsRequest()
		req.FlowLogIds = ids
		return p.do(ctx, "EnableFlowLogs", region, id, func(ctx context.Context, cl *vpc.Client) error {
			_, err := cl.EnableFlowLogsWithContext(ctx, req)
			return err
		})
	}
	req := vpc.NewDisableFlowLogsRequest()
	req.FlowLogIds = ids
	return p.do(ctx, "DisableFlowLogs", region, id, func(ctx context.Context, cl *vpc.Client) error {
		_, err := cl.DisableFlowLogsWithContext(ctx, req)
		return err
	})
}

var _ driver.Updater = (*Provider)(nil)

// MutableFields implements driver.Updater: ModifyFlowLogAttribute changes
// the name and the description (acs3-and-lifecycle §2.3; its CCN-only
// Period is not in the pinned SDK's request).
func (p *Provider) MutableFields() []string {
	return []string{driver.FieldName, driver.FieldDescription}
}

// ValidatePatch implements driver.Updater with ModifyFlowLogAttribute's
// rules (api-spec §5: FlowLogName ≤60, FlowLogDescription ≤512
// characters). An SDK sends no empty name, so a patch to "" is refused.
func (p *Provider) ValidatePatch(patch *driver.Patch) []driver.FieldError {
	var c validate.Collector
	if v := patch.Name; v != nil {
		if *v == "" {
			c.Invalid("Name", "must not be empty")
		} else if n := utf8.RuneCountInString(*v); n > 60 {
			c.Invalid("Name", "must be at most 60 characters, got %d", n)
		}
	}
	if v := patch.Description; v != nil {
		if n := utf8.RuneCountInString(*v); n > 512 {
			c.Invalid("Description", "must be at most 512 characters, got %d", n)
		}
	}
	return c.Errs
}

// Update implements driver.Updater with ModifyFlowLogAttribute, which takes
// the flow log's VpcId (none for a CCN flow log) and is synchronous.
func (p *Provider) Update(ctx context.Context, fl *driver.FlowLog, patch *driver.Patch) error {
	req := vpc.NewModifyFlowLogAttributeRequest()
	req.FlowLogId = common.StringPtr(fl.ID)
	req.VpcId = optional(fl.Resource.NetworkID) // as DeleteFlowLog's
	req.FlowLogName, req.FlowLogDescription = patch.Name, patch.Description
	return p.do(ctx, "ModifyFlowLogAttribute", fl.Region, fl.ID, func(ctx context.Context, cl *vpc.Client) error {
		_, err := cl.ModifyFlowLogAttributeWithContext(ctx, req)
		return err
	})
}

// Delete deletes the flow log. DeleteFlowLog requires the VpcId (except for
// CCN flow logs), so the flow log is described first.
func (p *Provider) Delete(ctx context.Context, region, id string) error {
	const op = "DeleteFlowLog"
	fls, err := p.Describe(ctx, region, []string{id})
	if err != nil {
		return err
	}
	if len(fls) == 0 {
		return &driver.Error{Code: driver.CodeNotFound, Provider: Name, Op: op, ID: id, Message: "flow log not found in region " + region}
	}
	req := vpc.NewDeleteFlowLogRequest()
	req.FlowLogId = common.StringPtr(id)
	req.VpcId = optional(fls[0].Resource.NetworkID)
	return p.do(ctx, op, region, id, func(ctx context.Context, cl *vpc.Client) error {
		_, err := cl.DeleteFlowLogWithContext(ctx, req)
		return err
	})
}

// status maps Enable and CloudLogState to the neutral model (api-spec §8.3):
// the state, where a pending one is settling, and why a failed one failed.
func status(f *vpc.FlowLog) (st, settling driver.Status, reason string) {
	state := str(f.CloudLogState)
	switch {
	case strings.EqualFold(state, "DELETED"):
		return driver.StatusFailed, driver.StatusUnknown, "the CLS topic was deleted"
	case f.Enable != nil && !*f.Enable:
		return driver.StatusInactive, driver.StatusUnknown, ""
	case strings.EqualFold(str(f.StorageType), "ckafka"), strings.EqualFold(state, "SUCCESS"):
		return driver.StatusActive, driver.StatusUnknown, ""
	case state == "":
		// Enabled, CLS delivery not yet reported: becoming active.
		return driver.StatusPending, driver.StatusActive, ""
	}
	return driver.StatusFailed, driver.StatusUnknown, "unknown CloudLogState " + state
}

func rawStatus(f *vpc.FlowLog) string {
	enabled := "Enable=false"
	if f.Enable != nil && *f.Enable {
		enabled = "Enable=true"
	}
	return enabled + " CloudLogState=" + str(f.CloudLogState)
}

func toFlowLog(f *vpc.FlowLog, region string) *driver.FlowLog {
	st, settling, reason := status(f)
	fl := &driver.FlowLog{
		ID:           str(f.FlowLogId),
		Provider:     Name,
		Region:       region,
		Name:         str(f.FlowLogName),
		Description:  str(f.FlowLogDescription),
		Status:       st,
		RawStatus:    rawStatus(f),
		StatusReason: reason,
		Settling:     settling,
		Resource:     driver.Resource{Kind: kindOf(str(f.ResourceType)), ID: str(f.ResourceId), NetworkID: str(f.VpcId)},
		TrafficType:  driver.TrafficType(strings.ToLower(str(f.TrafficType))),
		Raw:          f,
	}
	if strings.EqualFold(str(f.StorageType), "ckafka") && f.FlowLogStorage != nil {
		fl.Destination.CKafka = &driver.CKafkaDestination{InstanceID: str(f.FlowLogStorage.StorageId), Topic: str(f.FlowLogStorage.StorageTopic)}
	} else if id := str(f.CloudLogId); id != "" {
		fl.Destination.CLS = &driver.CLSDestination{TopicID: id, Region: str(f.CloudLogRegion)}
	}
	// Tencent writes local time without a zone; China Standard Time is the
	// documented console time. The create response shows all zeros.
	if t, err := time.ParseInLocation(time.DateTime, str(f.CreatedTime), chinaTime); err == nil {
		fl.CreatedAt = t
	}
	if len(f.TagSet) > 0 {
		fl.Tags = make(map[string]string, len(f.TagSet))
		for _, t := range f.TagSet {
			if t != nil {
				fl.Tags[str(t.Key)] = str(t.Value)
			}
		}
	}
	return fl
}

var chinaTime = time.FixedZone("CST", 8*60*60)

func kindOf(resourceType string) driver.ResourceKind {
	for k, v := range resourceTypes {
		if strings.EqualFold(v, resourceType) {
			return k
		}
	}
	return driver.ResourceKind(resourceType)
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
