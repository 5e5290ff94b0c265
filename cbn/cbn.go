package cbn

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cbn"

	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/flowlog/ratelimit"
	"github.com/cloudflowlog/flowlog-go/internal/alirpc"
	"github.com/cloudflowlog/flowlog-go/internal/errmap"
	"github.com/cloudflowlog/flowlog-go/internal/paging"
	"github.com/cloudflowlog/flowlog-go/internal/redact"
	"github.com/cloudflowlog/flowlog-go/internal/validate"
)

// Name is the provider name in errors, logs and FlowLog.Provider.
const Name = "cbn"

// pageSize for DescribeFlowlogs; the API documents no maximum, 50 matches VPC.
const pageSize = 50

// summary is what fmt and log/slog show of an adapter: its String,
// GoString, Format and LogValue, promoted into Provider, name the endpoint
// and the kind of credentials, never a secret.
type summary = redact.Summary

// Provider implements driver.Provider for CEN flow logs. It prints as
// "cbn (endpoint https://cbn.aliyuncs.com, credentials ...)" with every
// verb of fmt and in log/slog: never a secret.
type Provider struct {
	summary
	api *alirpc.API[cbn.Client]
}

var _ driver.Provider = (*Provider)(nil)

// Option configures the adapter. The aliyun adapter has options of the
// same names for the same Alibaba Cloud account settings.
type Option struct{ apply alirpc.Option }

// WithAccessKey uses a static AccessKey pair.
func WithAccessKey(accessKeyID, accessKeySecret string) Option {
	return Option{alirpc.WithAccessKey(accessKeyID, accessKeySecret)}
}

// WithSTSToken uses temporary STS credentials.
func WithSTSToken(accessKeyID, accessKeySecret, securityToken string) Option {
	return Option{alirpc.WithSTSToken(accessKeyID, accessKeySecret, securityToken)}
}

// WithCredentialsProvider uses any credentials provider of the SDK. Without a
// credentials option, the SDK's default chain is used (environment variables
// ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET, profile files, ECS RAM role, ...).
func WithCredentialsProvider(p credentials.CredentialsProvider) Option {
	return Option{alirpc.WithCredentialsProvider(p)}
}

// WithEndpoint overrides the endpoint, cbn.aliyuncs.com over HTTPS by
// default, e.g. with a flowlogtest server's URL. HTTPS unless the endpoint
// starts with http://.
func WithEndpoint(endpoint string) Option { return Option{alirpc.WithEndpoint(endpoint)} }

// WithHTTPTransport sends requests through rt. rt is wrapped: requests whose
// connection could not be made are retried, and the rate limit
// (WithRateLimit or WithLimiter) applies.
func WithHTTPTransport(rt http.RoundTripper) Option { return Option{alirpc.WithHTTPTransport(rt)} }

// WithRateLimit makes the adapter start at most perSecond requests per
// second for each region and action, evenly spaced (a
// ratelimit.NewLocal(perSecond) of the adapter's own); further requests
// wait, bounded by their context. Alibaba documents no limit for the
// flow-log APIs, so the default is none (zero or less also means none). Of
// WithRateLimit and WithLimiter, the last given wins.
func WithRateLimit(perSecond float64) Option { return Option{alirpc.WithRateLimit(perSecond)} }

// WithLimiter has l admit each request before it is sent, under the
// ratelimit.Key of the adapter's Name and the request's region and action,
// and, if l is a ratelimit.Observer (such as ratelimit.NewAdaptive's), tells
// it after each call whether the server throttled it. Requests wait for l,
// bounded by their context. A limiter applies to one account: give the
// adapters of one account the same limiter, those of different accounts
// different ones. nil means no limit. Of WithRateLimit and WithLimiter, the
// last given wins.
func WithLimiter(l ratelimit.Limiter) Option { return Option{alirpc.WithLimiter(l)} }

// New returns the adapter. It does no I/O.
func New(opts ...Option) (*Provider, error) {
	api, err := alirpc.NewAPI(alirpc.Mapper{Provider: Name, Codes: codes}, alirpc.Options(opts, func(o Option) alirpc.Option { return o.apply }),
		cbn.NewClientWithOptions, func(c *cbn.Client) *sdk.Client { return &c.Client })
	if err != nil {
		return nil, err
	}
	return &Provider{summary: api.Summary("cbn.Provider", "cbn.aliyuncs.com"), api: api}, nil
}

// Name returns "cbn".
func (p *Provider) Name() string { return Name }

// codes maps CEN's flow-log codes (api-spec §2.3, §3.3, §3.4; the official
// table is incomplete, Terraform's handling fills gaps).
var codes = errmap.Table{Exact: map[string]driver.Code{
	"InvalidFlowlogId.NotFound":                 driver.CodeNotFound,
	"InvalidCenId.NotFound":                     driver.CodeNotFound,
	"InvalidTransitRouterAttachmentId.NotFound": driver.CodeNotFound,
	"InvalidTransitRouterId.NotFound":           driver.CodeNotFound,
	"ProjectOrLogstoreNotExist":                 driver.CodeNotFound,
	"SourceProjectNotExist":                     driver.CodeNotFound,
	"IdempotentParameterMismatch":               driver.CodeFailedPrecondition,
	"Operation.Blocking":                        driver.CodeUnavailable,
	"IncorrectStatus.TrFlowlog":                 driver.CodeUnavailable,
	"IncorrectStatus.flowlog":                   driver.CodeUnavailable,
	"LOCK_ERROR":                                driver.CodeUnavailable,
	"QuotaExceeded.FlowlogCount":                driver.CodeQuotaExceeded,
	// The CEN error table is not public; this is the emulator's choice
	// for a second flow log on one attachment.
	"OperationFailed.FlowLogExist": driver.CodeAlreadyExists,
}, Retry: map[string]driver.RetryClass{
	// Busy: the request was refused, not applied; trying later helps.
	"Operation.Blocking":        driver.RetrySafe,
	"IncorrectStatus.TrFlowlog": driver.RetrySafe,
	"IncorrectStatus.flowlog":   driver.RetrySafe,
	"LOCK_ERROR":                driver.RetrySafe,
}}

var validIntervals = map[time.Duration]bool{0: true, time.Minute: true, 10 * time.Minute: true}

// Validate checks spec against CreateFlowlog's documented rules, each
// cited; the flowlogtest emulator applies the same (rules_alibaba_test.go
// runs one table of cases through both).
func (p *Provider) Validate(s *driver.FlowLogSpec) []driver.FieldError {
	var c validate.Collector
	// api-spec §8.1: a CEN flow log is on a transit router
	// (TransitRouterId) or one of its attachments
	// (TransitRouterAttachmentId).
	switch s.Resource.Kind {
	case driver.ResourceTransitRouterAttachment, driver.ResourceTransitRouter:
	default:
		c.Unsupported("Resource.Kind", Name+" (resource kind "+string(s.Resource.Kind)+")")
	}
	// seed 000 CenId "是" (required).
	if s.Resource.NetworkID == "" {
		c.Invalid("Resource.NetworkID", "is required: the CEN instance ID (cen-...)")
	}
	// api-spec §8.1: CreateFlowlog has no TrafficType.
	if s.TrafficType != "" && s.TrafficType != driver.TrafficAll {
		c.Unsupported("TrafficType", Name+" (CEN captures all traffic)")
	}
	if s.Alibaba != nil {
		c.Unsupported("Alibaba", Name+" (these are Alibaba Cloud VPC settings)")
	}
	alirpc.ValidateCENNames(&c, s)
	alirpc.ValidateCommon(&c, s, Name, 64)
	// api-spec §2.1 ([TEA]) Interval "seconds: 60 or 600, default 600".
	if !validIntervals[s.AggregationInterval] {
		c.Invalid("AggregationInterval", "must be 1m or 10m, got %s", s.AggregationInterval)
	}
	validateClientToken(&c, s.ClientToken)
	return c.Errs
}

// validateClientToken applies CreateFlowlog's ClientToken rule: at most 64
// characters, all ASCII. Source: seed 000 (CEN CreateFlowlog, request
// parameters, ClientToken: "最大值不超过64个ASCII字符", at most 64 ASCII
// characters); api-spec §2.1. Spaces are ASCII, so they are allowed; the
// flowlogtest emulator applies the same rule (its rules_alibaba_test.go runs
// both over one table).
func validateClientToken(c *validate.Collector, tok string) {
	if len(tok) > 64 {
		c.Invalid("ClientToken", "must be at most 64 characters, got %d", len(tok))
	}
	for i := 0; i < len(tok); i++ {
		if tok[i] > 0x7f {
			c.Invalid("ClientToken", "must be ASCII")
			break
		}
	}
}

// Create sends one CreateFlowlog request carrying spec.ClientToken, so that a
// repeat of the same logical create returns the same flow log.
func (p *Provider) Create(ctx context.Context, spec *driver.FlowLogSpec) (*driver.FlowLog, error) {
	const op = "CreateFlowlog"
	req := createRequest(spec)
	var resp *cbn.CreateFlowlogResponse
	err := p.api.Do(ctx, op, spec.Region, "", func(cl *cbn.Client) (err error) { resp, err = cl.CreateFlowlog(req); return err })
	if err != nil {
		return nil, err
	}
	if resp.FlowLogId == "" {
		return nil, p.api.Errs.MissingID(op, resp.RequestId, resp.GetHttpStatus())
	}
	return &driver.FlowLog{
		ID:                  resp.FlowLogId,
		Provider:            Name,
		Region:              spec.Region,
		Name:                spec.Name,
		Description:         spec.Description,
		Status:              driver.StatusPending,
		Resource:            spec.Resource,
		TrafficType:         driver.TrafficAll,
		Destination:         spec.Destination,
		AggregationInterval: spec.AggregationInterval,
		Tags:                spec.Tags,
		Raw:                 resp,
	}, nil
}

func createRequest(s *driver.FlowLogSpec) *cbn.CreateFlowlogRequest {
	req := cbn.CreateCreateFlowlogRequest()
	req.RegionId = s.Region
	req.CenId = s.Resource.NetworkID
	req.ClientToken = s.ClientToken
	req.FlowLogName = s.Name
	req.Description = s.Description
	req.ProjectName = s.Destination.SLS.Project
	req.LogStoreName = s.Destination.SLS.LogStore
	switch s.Resource.Kind {
	case driver.ResourceTransitRouterAttachment:
		req.TransitRouterAttachmentId = s.Resource.ID
	case driver.ResourceTransitRouter:
		// The pinned SDK predates TransitRouterId; extra query parameters
		// are flattened and signed like the struct's own fields.
		req.QueryParams["TransitRouterId"] = s.Resource.ID
	}
	if s.AggregationInterval > 0 {
		req.Interval = requests.NewInteger(int(s.AggregationInterval / time.Second))
	}
	if len(s.Tags) > 0 {
		tags := make([]cbn.CreateFlowlogTag, 0, len(s.Tags))
		for _, k := range slices.Sorted(maps.Keys(s.Tags)) {
			tags = append(tags, cbn.CreateFlowlogTag{Key: k, Value: s.Tags[k]})
		}
		req.Tag = &tags
	}
	return req
}

// Describe lists the flow logs among ids through ListPage: one call
// filtered by ID each, or pages of 50 through the region, whichever takes
// fewer calls.
func (p *Provider) Describe(ctx context.Context, region string, ids []string) ([]*driver.FlowLog, error) {
	return paging.Describe(ctx, region, ids, pageSize, p.ListPage)
}

// flowLog is a flow log of a DescribeFlowlogs response: the SDK's, and the
// TransitRouterId that the pinned SDK's cbn.FlowLog lacks.
type flowLog struct {
	cbn.FlowLog
	transitRouterID string
}

// describe sends one DescribeFlowlogs request and returns its flow logs and
// TotalCount. Every describe goes through here, so that each flow log has
// its transit router whichever call listed it.
func describe(cl *cbn.Client, req *cbn.DescribeFlowlogsRequest) ([]flowLog, string, error) {
	resp, err := cl.DescribeFlowlogs(req)
	if err != nil {
		return nil, "", err
	}
	routers := transitRouterIDs(resp.GetHttpContentString())
	out := make([]flowLog, len(resp.FlowLogs.FlowLog))
	for i, f := range resp.FlowLogs.FlowLog {
		out[i] = flowLog{FlowLog: f, transitRouterID: routers[f.FlowLogId]}
	}
	return out, resp.TotalCount, nil
}

// transitRouterIDs reads FlowLogs.FlowLog[].TransitRouterId of a
// DescribeFlowlogs body, by FlowLogId. The SDK has already decoded the body
// (leniently); entries this strict decoding cannot read just have no
// router, as every entry had before.
func transitRouterIDs(body string) map[string]string {
	var r struct {
		FlowLogs struct {
			FlowLog []struct{ FlowLogId, TransitRouterId string }
		}
	}
	_ = json.Unmarshal([]byte(body), &r)
	ids := make(map[string]string, len(r.FlowLogs.FlowLog))
	for _, f := range r.FlowLogs.FlowLog {
		ids[f.FlowLogId] = f.TransitRouterId
	}
	return ids
}

// ListPage sends one DescribeFlowlogs request for the page token asks for,
// of 50, filtered on the server by FlowLogId, CenId, FlowLogName, Status
// and the resource: a transit router ID (tr-..., not tr-attach-...) is sent
// as TransitRouterId, any other ID as TransitRouterAttachmentId. A transit
// router's filter also lists the flow logs of its attachments; the client
// keeps those whose Resource is the router.
func (p *Provider) ListPage(ctx context.Context, region string, f driver.ListFilter, token string) (driver.Page, error) {
	return alirpc.ListPage(ctx, p.api, "DescribeFlowlogs", region, token, pageSize,
		func(cl *cbn.Client, number int) ([]flowLog, string, error) {
			req := cbn.CreateDescribeFlowlogsRequest()
			req.RegionId, req.FlowLogId, req.CenId, req.FlowLogName = region, f.ID, f.NetworkID, f.Name
			setResource(req, f.ResourceID, isTransitRouterID(f.ResourceID))
			req.Status = statusFilter[f.Status]
			req.PageNumber, req.PageSize = requests.NewInteger(number), requests.NewInteger(pageSize)
			return describe(cl, req)
		}, toFlowLog)
}

// setResource filters a DescribeFlowlogs request by a transit router
// (TransitRouterId, which the pinned SDK's request lacks: extra query
// parameters are signed like its own) or by an attachment.
func setResource(req *cbn.DescribeFlowlogsRequest, id string, router bool) {
	if router {
		req.QueryParams["TransitRouterId"] = id
	} else {
		req.TransitRouterAttachmentId = id
	}
}

// isTransitRouterID tells a transit router's ID (tr-...) from an
// attachment's (tr-attach-...).
func isTransitRouterID(id string) bool {
	return strings.HasPrefix(id, "tr-") && !strings.HasPrefix(id, "tr-attach-")
}

// SetEnabled sends ActiveFlowLog or DeactiveFlowLog (upper-case L, unlike
// the other CEN flow-log actions): the flow log shows Modifying, then Active
// or Inactive. It does not wait.
func (p *Provider) SetEnabled(ctx context.Context, region, id string, enabled bool) error {
	return alirpc.SetEnabled(ctx, p.api, region, id, enabled,
		func(cl *cbn.Client, region, id string) error {
			req := cbn.CreateActiveFlowLogRequest()
			req.RegionId, req.FlowLogId = region, id
			_, err := cl.ActiveFlowLog(req)
			return err
		}, func(cl *cbn.Client, region, id string) error {
			req := cbn.CreateDeactiveFlowLogRequest()
			req.RegionId, req.FlowLogId = region, id
			_, err := cl.DeactiveFlowLog(req)
			return err
		})
}

var _ driver.Updater = (*Provider)(nil)

// MutableFields implements driver.Updater: CEN's ModifyFlowLogAttribute
// changes the name, the description and the interval (acs3-and-lifecycle
// §2.2).
func (p *Provider) MutableFields() []string {
	return []string{driver.FieldName, driver.FieldDescription, driver.FieldAggregationInterval}
}

// ValidatePatch implements driver.Updater.
func (p *Provider) ValidatePatch(patch *driver.Patch) []driver.FieldError {
	return alirpc.ValidatePatch(patch, validIntervals, "1m or 10m")
}

// Update implements driver.Updater with ModifyFlowLogAttribute, naming the
// flow log's CEN instance. It is asynchronous: the flow log shows
// Modifying, then Active.
func (p *Provider) Update(ctx context.Context, fl *driver.FlowLog, patch *driver.Patch) error {
	req := cbn.CreateModifyFlowLogAttributeRequest()
	req.RegionId, req.FlowLogId, req.CenId = fl.Region, fl.ID, fl.Resource.NetworkID
	if patch.Name != nil {
		req.FlowLogName = *patch.Name
	}
	if patch.Description != nil {
		req.Description = *patch.Description
	}
	if d := patch.AggregationInterval; d != nil {
		req.Interval = requests.NewInteger(int(*d / time.Second))
	}
	return p.api.Do(ctx, "ModifyFlowLogAttribute", fl.Region, fl.ID, func(cl *cbn.Client) error {
		_, err := cl.ModifyFlowLogAttribute(req)
		return err
	})
}

// Delete sends one DeleteFlowlog request. CEN deletes asynchronously.
func (p *Provider) Delete(ctx context.Context, region, id string) error {
	req := cbn.CreateDeleteFlowlogRequest()
	req.RegionId, req.FlowLogId = region, id
	return p.api.Do(ctx, "DeleteFlowlog", region, id, func(cl *cbn.Client) error { _, err := cl.DeleteFlowlog(req); return err })
}

// status maps a CEN status to the neutral model: the state, where a pending
// one is settling (StatusUnknown when the status does not say: Modifying
// covers ActiveFlowLog, DeactiveFlowLog and attribute changes) and why a
// failed one failed.
func status(raw string) (st, settling driver.Status, reason string) {
	switch strings.ToLower(raw) {
	case "creating":
		return driver.StatusPending, driver.StatusActive, ""
	case "modifying":
		return driver.StatusPending, driver.StatusUnknown, ""
	case "deleting":
		return driver.StatusPending, driver.StatusDeleted, ""
	case "active":
		return driver.StatusActive, driver.StatusUnknown, ""
	case "inactive":
		return driver.StatusInactive, driver.StatusUnknown, ""
	}
	return driver.StatusFailed, driver.StatusUnknown, "unknown status " + raw
}

// statusFilter is DescribeFlowlogs' Status for a neutral state: the two
// documented values, which match the neutral states exactly.
var statusFilter = map[driver.Status]string{
	driver.StatusActive:   "Active",
	driver.StatusInactive: "Inactive",
}

func toFlowLog(f *flowLog) *driver.FlowLog {
	st, settling, reason := status(f.Status)
	fl := &driver.FlowLog{
		ID:                  f.FlowLogId,
		Provider:            Name,
		Region:              f.RegionId,
		Name:                f.FlowLogName,
		Description:         f.Description,
		Status:              st,
		RawStatus:           f.Status,
		StatusReason:        reason,
		Settling:            settling,
		TrafficType:         driver.TrafficAll,
		Destination:         alirpc.Destination(f.ProjectName, f.LogStoreName),
		AggregationInterval: time.Duration(f.Interval) * time.Second,
		CreatedAt:           alirpc.CreationTime(f.CreationTime),
		Tags:                alirpc.Tags(f.Tags.Tag, func(t cbn.Tag) (string, string) { return t.Key, t.Value }),
		Raw:                 f.FlowLog,
	}
	// An entry without an attachment is a transit-router-level flow log.
	if f.TransitRouterAttachmentId != "" {
		fl.Resource = driver.Resource{Kind: driver.ResourceTransitRouterAttachment, ID: f.TransitRouterAttachmentId, NetworkID: f.CenId}
	} else {
		fl.Resource = driver.Resource{Kind: driver.ResourceTransitRouter, ID: f.transitRouterID, NetworkID: f.CenId}
	}
	return fl
}

// CreateIsIdempotent reports that CreateFlowlog takes FlowLogSpec.ClientToken:
// the client may repeat an ambiguous create as it is.
func (p *Provider) CreateIsIdempotent() bool { return true }
