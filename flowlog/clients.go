package flowlog

import (
	"context"
	"errors"
	"slices"
	"sync"
)

// Clients is one handle for many providers: a Client per provider, and
// each spec names the one that serves it (FlowLogSpec.Provider), so one
// list of specs for every cloud goes through one call.
//
// Why a registry of Clients rather than one Client over many adapters:
// each provider has its own limits, so each Client keeps its own poller,
// retry budget and rate limits, and one cloud's outage or throttling never
// slows another's calls. Calls about a flow log that exists (Get, Delete,
// Wait, ...) take the Client of its provider: Client(fl.Provider).
type Clients struct {
	byName map[string]*Client
}

// NewClients returns the handle over clients, one per provider. It fails
// when two serve the same provider.
func NewClients(clients ...*Client) (*Clients, error) {
	cs := &Clients{byName: make(map[string]*Client, len(clients))}
	for _, c := range clients {
		name := c.Provider()
		if _, dup := cs.byName[name]; dup {
			return nil, errors.New("flowlog: two clients for provider " + quote(name))
		}
		cs.byName[name] = c
	}
	return cs, nil
}

// Providers returns the names of the providers served, sorted.
func (cs *Clients) Providers() []string {
	names := make([]string, 0, len(cs.byName))
	for name := range cs.byName {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// Client returns the Client of provider, or an error matching
// ErrUnsupported when none serves it.
func (cs *Clients) Client(provider string) (*Client, error) {
	if c, ok := cs.byName[provider]; ok {
		return c, nil
	}
	reason := "is required when specs go through flowlog.Clients"
	if provider != "" {
		reason = "names " + quote(provider) + ", which no client serves"
	}
	return nil, &ValidationError{Provider: provider, Fields: []FieldError{{Field: "Provider", Code: CodeUnsupported, Reason: reason}}}
}

// Create creates the flow log of spec with the Client of spec.Provider;
// see Client.Create.
func (cs *Clients) Create(ctx context.Context, spec FlowLogSpec, opts ...CallOption) (*FlowLog, error) {
	c, err := cs.Client(spec.Provider)
	if err != nil {
		return nil, err
	}
	return c.Create(ctx, spec, opts...)
}

// Ensure ensures the flow log of spec with the Client of spec.Provider;
// see Client.Ensure.
func (cs *Clients) Ensure(ctx context.Context, spec FlowLogSpec, opts ...CallOption) (*FlowLog, error) {
	c, err := cs.Client(spec.Provider)
	if err != nil {
		return nil, err
	}
	return c.Ensure(ctx, spec, opts...)
}

// EnsureAll ensures every spec, each with the Client of its provider, the
// providers at the same time, and returns one result per spec in the order
// of specs; see Client.EnsureAll. A spec whose provider no client serves
// gets an error result; the others go on. The bulk options apply to each
// provider's share: OnProgress reports each share's progress on its own.
func (cs *Clients) EnsureAll(ctx context.Context, specs []FlowLogSpec, opts ...BulkOption) []BulkResult {
	return byProvider(cs, specs, func(c *Client, group []FlowLogSpec) []BulkResult { return c.EnsureAll(ctx, group, opts...) },
		func(s FlowLogSpec, err error) BulkResult { return BulkResult{Spec: s, Err: err} })
}

// Plan is EnsureAll's dry run across providers; see Client.Plan.
func (cs *Clients) Plan(ctx context.Context, specs []FlowLogSpec, opts ...BulkOption) []PlanItem {
	return byProvider(cs, specs, func(c *Client, group []FlowLogSpec) []PlanItem { return c.Plan(ctx, group, opts...) },
		func(s FlowLogSpec, err error) PlanItem { return PlanItem{Spec: s, Err: err} })
}

// byProvider hands each provider's share of specs to its Client, the
// providers at the same time, and puts the results back in the order of
// specs; a spec no client serves gets failed's result.
func byProvider[R any](cs *Clients, specs []FlowLogSpec, share func(*Client, []FlowLogSpec) []R, failed func(FlowLogSpec, error) R) []R {
	results := make([]R, len(specs))
	groups := map[string][]int{}
	for i, s := range specs {
		if _, err := cs.Client(s.Provider); err != nil {
			results[i] = failed(s, err)
			continue
		}
		groups[s.Provider] = append(groups[s.Provider], i)
	}
	var wg sync.WaitGroup
	for provider, idx := range groups {
		wg.Go(func() {
			group := make([]FlowLogSpec, len(idx))
			for j, i := range idx {
				group[j] = specs[i]
			}
			for j, r := range share(cs.byName[provider], group) {
				results[idx[j]] = r
			}
		})
	}
	wg.Wait()
	return results
}

// Close closes every Client.
func (cs *Clients) Close() error {
	for _, c := range cs.byName {
		_ = c.Close()
	}
	return nil
}
