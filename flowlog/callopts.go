package flowlog

// CallOption overrides, for one call, what the client's options set for
// every call: each RetryOption (MaxAttempts, RetryDelays) and each
// WaitOption (PollDelay, MaxWait, NotFoundGrace, OnStatus) is one, so the
// same functions configure the client and a single call, as in
// aws-sdk-go-v2:
//
//	client := flowlog.NewClient(p, flowlog.WithRetry(flowlog.MaxAttempts(5)))
//	fl, err := client.Create(ctx, spec, flowlog.MaxAttempts(2))
//
// RetryBudget and SharedRetryBudget are the client's alone: the budget's
// tokens are shared by every call, so as call options they change nothing.
type CallOption interface{ applyCall(*callConfig) }

// callConfig is what one call runs with: the client's settings, overridden
// by the call's options.
type callConfig struct {
	retry retryConfig
	wait  waitConfig
	// region is the region the call is about, for its telemetry; "" when
	// not known.
	region string
	// drift and changeUnowned are Ensure's drift policy (OnDrift,
	// ChangeUnowned).
	drift         DriftPolicy
	changeUnowned bool
}

func (o RetryOption) applyCall(c *callConfig) { o(&c.retry) }
func (o WaitOption) applyCall(c *callConfig)  { o(&c.wait) }

// configure returns the settings of a call with opts.
func (c *Client) configure(opts []CallOption) *callConfig {
	cc := &callConfig{retry: c.retry, wait: c.wait}
	for _, o := range opts {
		if o != nil {
			o.applyCall(cc)
		}
	}
	return cc
}

// in returns the settings of cc for a call about region. cc may be shared
// by concurrent calls (a bulk call's items), so it is copied, never changed.
func (cc *callConfig) in(region string) *callConfig {
	if cc.region == region {
		return cc
	}
	cp := *cc
	cp.region = region
	return &cp
}
