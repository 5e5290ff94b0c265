package aliyun

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"slices"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/flowlog/ratelimit"
	"github.com/cloudflowlog/flowlog-go/internal/alirpc"
	"github.com/cloudflowlog/flowlog-go/internal/paging"
	"github.com/cloudflowlog/flowlog-go/internal/redact"
)

// Name is the provider name in errors, logs and FlowLog.Provider.
const Name = "aliyun"

// pageSize is the largest page DescribeFlowLogs allows.
const pageSize = 50

// Option configures the adapter. The cbn adapter has options of the same
// names for the same Alibaba Cloud account settings.
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

// WithEndpoint overrides the endpoint, e.g. "vpc.cn-shanghai.aliyuncs.com" or
// a flowlogtest server's URL. HTTPS unless the endpoint starts with http://.
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

// summary is what fmt and log/slog show of an adapter: its String,
// GoString, Format and LogValue, promoted into Provider, name the endpoint
// and the kind of credentials, never a secret, so no verb of fmt and no
// log/slog handler prints the credentials the api holds.
type summary = redact.Summary

// Provider implements driver.Provider for Alibaba Cloud VPC. It prints as
// "aliyun (endpoint https://..., credentials static AccessKey LTAI****)"
// with every verb of fmt and in log/slog: never a secret.
type Provider struct {
	summary
	api *alirpc.API[vpc.Client]
}

var _ driver.Provider = (*Provider)(nil)

// New returns the adapter. It does no I/O.
func New(opts ...Option) (*Provider, error) {
	api, err := alirpc.NewAPI(alirpc.Mapper{Provider: Name, Codes: codes}, alirpc.Options(opts, func(o Option) alirpc.Option { return o.apply }),
		vpc.NewClientWithOptions, func(c *vpc.Client) *sdk.Client { return &c.Client })
	if err != nil {
		return nil, err
	}
	return &Provider{summary: api.Summary("aliyun.Provider", ""), api: api}, nil
}

// Name returns "aliyun".
func (p *Provider) Name() string { return Name }

var _ driver.Updater = (*Provider)(nil)

// Create sends one CreateFlowLog request.
func (p *Provider) Create(ctx context.Context, spec *driver.FlowLogSpec) (*driver.FlowLog, error) {
	const op = "CreateFlowLog"
	req := createRequest(spec)
	var resp *vpc.CreateFlowLogResponse
	err := p.api.Do(ctx, op, spec.Region, "", func(cl *vpc.Client) (err error) { resp, err = cl.CreateFlowLog(req); return err })
	if err != nil {
		return nil, explainCreate(err, spec.Region)
	}
	if resp.FlowLogId == "" {
		return nil, p.api.Errs.MissingID(op, resp.RequestId, resp.GetHttpStatus())
	}
	fl := specFlowLog(spec)
	fl.ID = resp.FlowLogId
	fl.Status = driver.StatusPending
	fl.Raw = resp
	return fl, nil
}

// Describe lists the flow logs among ids through ListPage: one call
// filtered by ID each, or pages of 50 through the region, whichever takes
// fewer calls.
func (p *Provider) Describe(ctx context.Context, region string, ids []string) ([]*driver.FlowLog, error) {
	return paging.Describe(ctx, region, ids, pageSize, p.ListPage)
}

// Delete sends one DeleteFlowLog request. Alibaba deletes asynchronously: the
// flow log shows Deleting for a while.
func (p *Provider) Delete(ctx context.Context, region, id string) error {
	req := vpc.CreateDeleteFlowLogRequest()
	req.RegionId, req.FlowLogId = region, id
	return p.api.Do(ctx, "DeleteFlowLog", region, id, func(cl *vpc.Client) error { _, err := cl.DeleteFlowLog(req); return err })
}

// ListPage sends one DescribeFlowLogs request for the page token asks for,
// of 50, filtered on the server by FlowLogId, ResourceId, FlowLogName, VpcId
// and, for active and inactive, Status. Flow logs of a VpcId-filtered page
// carry that VPC as Resource.NetworkID: DescribeFlowLogs does not return it.
func (p *Provider) ListPage(ctx context.Context, region string, f driver.ListFilter, token string) (driver.Page, error) {
	return alirpc.ListPage(ctx, p.api, "DescribeFlowLogs", region, token, pageSize,
		func(cl *vpc.Client, number int) ([]vpc.FlowLog, string, error) {
			req := vpc.CreateDescribeFlowLogsRequest()
			req.RegionId, req.FlowLogId = region, f.ID
			req.ResourceId, req.FlowLogName, req.VpcId = f.ResourceID, f.Name, f.NetworkID
			req.Status = statusFilter[f.Status]
			req.PageNumber, req.PageSize = requests.NewInteger(number), requests.NewInteger(pageSize)
			resp, err := cl.DescribeFlowLogs(req)
			if err != nil {
				return nil, "", err
			}
			return resp.FlowLogs.FlowLog, resp.TotalCount, nil
		}, func(item *vpc.FlowLog) *driver.FlowLog {
			fl := toFlowLog(item)
			if f.NetworkID != "" {
				fl.Resource.NetworkID = f.NetworkID
			}
			return fl
		})
}

// SetEnabled sends ActiveFlowLog (Inactive, Activating, Active) or
// DeactiveFlowLog (Active, Deactivating, Inactive). It does not wait.
func (p *Provider) SetEnabled(ctx context.Context, region, id string, enabled bool) error {
	return alirpc.SetEnabled(ctx, p.api, region, id, enabled,
		func(cl *vpc.Client, region, id string) error {
			req := vpc.CreateActiveFlowLogRequest()
			req.RegionId, req.FlowLogId = region, id
			_, err := cl.ActiveFlowLog(req)
			return err
		}, func(cl *vpc.Client, region, id string) error {
			req := vpc.CreateDeactiveFlowLogRequest()
			req.RegionId, req.FlowLogId = region, id
			_, err := cl.DeactiveFlowLog(req)
			return err
		})
}

// MutableFields implements driver.Updater: VPC's ModifyFlowLogAttribute
// changes the name, the description and the aggregation interval
// (acs3-and-lifecycle §2.1).
func (p *Provider) MutableFields() []string {
	return []string{driver.FieldName, driver.FieldDescription, driver.FieldAggregationInterval}
}

// ValidatePatch implements driver.Updater.
func (p *Provider) ValidatePatch(patch *driver.Patch) []driver.FieldError {
	return alirpc.ValidatePatch(patch, validIntervals, "1m, 5m or 10m")
}

// Update implements driver.Updater with ModifyFlowLogAttribute, which is
// asynchronous: the flow log shows Modifying, then the state it had.
func (p *Provider) Update(ctx context.Context, fl *driver.FlowLog, patch *driver.Patch) error {
	req := vpc.CreateModifyFlowLogAttributeRequest()
	req.RegionId, req.FlowLogId = fl.Region, fl.ID
	if patch.Name != nil {
		req.FlowLogName = *patch.Name
	}
	if patch.Description != nil {
		req.Description = *patch.Description
	}
	if d := patch.AggregationInterval; d != nil {
		req.AggregationInterval = requests.NewInteger(int(*d / time.Minute))
	}
	return p.api.Do(ctx, "ModifyFlowLogAttribute", fl.Region, fl.ID, func(cl *vpc.Client) error {
		_, err := cl.ModifyFlowLogAttribute(req)
		return err
	})
}

var _ driver.ServiceOpener = (*Provider)(nil)

// ServiceNotOpened implements driver.ServiceOpener: CreateFlowLog answers
// OptInRequired.FlowLog in a region where the account has not opened the
// flow-log service (seed 004).
func (p *Provider) ServiceNotOpened(err error) bool {
	var fe *driver.Error
	return errors.As(err, &fe) && fe.ProviderCode == serviceNotOpened
}

// OpenService implements driver.ServiceOpener with OpenFlowLogService
// (acs3-and-lifecycle §2.4).
func (p *Provider) OpenService(ctx context.Context, region string) error {
	req := vpc.CreateOpenFlowLogServiceRequest()
	req.RegionId = region
	return p.api.Do(ctx, "OpenFlowLogService", region, "", func(cl *vpc.Client) error {
		_, err := cl.OpenFlowLogService(req)
		return err
	})
}

// ServiceOpened implements driver.ServiceOpener with
// GetFlowLogServiceStatus (acs3-and-lifecycle §2.4).
func (p *Provider) ServiceOpened(ctx context.Context, region string) (bool, error) {
	req := vpc.CreateGetFlowLogServiceStatusRequest()
	req.RegionId = region
	var enabled bool
	err := p.api.Do(ctx, "GetFlowLogServiceStatus", region, "", func(cl *vpc.Client) error {
		resp, err := cl.GetFlowLogServiceStatus(req)
		if err == nil {
			enabled = resp.Enabled
		}
		return err
	})
	return enabled, err
}

// createRequest translates a validated spec.
func createRequest(s *driver.FlowLogSpec) *vpc.CreateFlowLogRequest {
	req := vpc.CreateCreateFlowLogRequest()
	req.RegionId = s.Region
	req.ResourceType = resourceTypes[s.Resource.Kind]
	req.ResourceId = s.Resource.ID
	req.TrafficType = trafficTypes[trafficOrAll(s.TrafficType)]
	req.FlowLogName = s.Name
	req.Description = s.Description
	if sls := s.Destination.SLS; sls != nil {
		req.ProjectName = sls.Project
		req.LogStoreName = sls.LogStore
	}
	if s.AggregationInterval > 0 {
		req.AggregationInterval = requests.NewInteger(int(s.AggregationInterval / time.Minute))
	}
	if len(s.Tags) > 0 {
		tags := make([]vpc.CreateFlowLogTag, 0, len(s.Tags))
		for _, k := range slices.Sorted(maps.Keys(s.Tags)) {
			tags = append(tags, vpc.CreateFlowLogTag{Key: k, Value: s.Tags[k]})
		}
		req.Tag = &tags
	}
	if a := s.Alibaba; a != nil {
		if len(a.TrafficPaths) > 0 {
			paths := make([]string, len(a.TrafficPaths))
			for i, tp := range a.TrafficPaths {
				paths[i] = string(tp)
			}
			req.TrafficPath = &paths
		}
		req.IpVersion = a.IPVersion
		req.ResourceGroupId = a.ResourceGroupID
	}
	return req
}

func trafficOrAll(t driver.TrafficType) driver.TrafficType {
	if t == "" {
		return driver.TrafficAll
	}
	return t
}

// specFlowLog is what Create knows of the new flow log before describing it.
func specFlowLog(s *driver.FlowLogSpec) *driver.FlowLog {
	return &driver.FlowLog{
		Provider:            Name,
		Region:              s.Region,
		Name:                s.Name,
		Description:         s.Description,
		Resource:            s.Resource,
		TrafficType:         trafficOrAll(s.TrafficType),
		Destination:         s.Destination,
		AggregationInterval: s.AggregationInterval,
		Tags:                s.Tags,
		Alibaba:             s.Alibaba,
	}
}
