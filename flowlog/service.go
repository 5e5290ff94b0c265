package flowlog

import (
	"context"
	"log/slog"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
)

// A new Alibaba Cloud account must open the flow-log service in a region
// before its first create there; until it does, every create fails with
// OptInRequired.FlowLog (an error matching ErrFailedPrecondition). With
// WithServiceOpening the client opens it on that error, once per region
// however many creates meet it at the same time, waits until the provider
// says it is open, and sends the create again.

// WithServiceOpening lets the client open the provider's flow-log service
// in a region when a create there fails because it is not opened, then
// create again: Alibaba Cloud VPC's OpenFlowLogService, which an account
// needs once per region (its RAM user needs vpc:OpenFlowLogService and
// vpc:GetFlowLogServiceStatus). Off by default: opening a service is an
// account decision, and the error without it says how to turn this on.
// Concurrent creates in one region open it once, under the context of the
// first of them, whose cancellation the others then share; the wait for
// it uses the call's wait settings (PollDelay, MaxWait). Providers without
// such a service (CEN, Tencent) ignore it.
func WithServiceOpening() Option {
	return func(c *Client) { c.services = &services{} }
}

// services joins concurrent openings of one region's service.
type services struct {
	opening singleflight.Group
}

// openOnDemand reports whether err, from a create in region, was that the
// service is not opened and, if so, opens it. ok says the create may be
// sent again. The opening runs under the context of the create that
// started it; the creates that join it share its outcome.
func (c *Client) openOnDemand(ctx context.Context, cc *callConfig, region string, err error) (ok bool, openErr error) {
	so, is := c.p.(driver.ServiceOpener)
	if c.services == nil || !is || !so.ServiceNotOpened(err) {
		return false, nil
	}
	_, openErr, _ = c.services.opening.Do(region, func() (any, error) {
		c.logEvent(ctx, slog.LevelInfo, "flowlog opening service", func() []slog.Attr {
			return []slog.Attr{slog.String("provider", c.p.Name()), slog.String("region", region)}
		})
		if err := c.withRetries(ctx, cc.in(region), "OpenService", true, func(st *callState) error {
			return so.OpenService(st.ctx, region)
		}); err != nil {
			return nil, err
		}
		if err := c.awaitService(ctx, cc, so, region); err != nil {
			return nil, err
		}
		c.logEvent(ctx, slog.LevelInfo, "flowlog service opened", func() []slog.Attr {
			return []slog.Attr{slog.String("provider", c.p.Name()), slog.String("region", region)}
		})
		return nil, nil
	})
	return openErr == nil, openErr
}

// awaitService polls the service's status with the call's poll delays,
// doubling from the shortest, until it is open, the call's MaxWait has
// passed or ctx ends.
func (c *Client) awaitService(ctx context.Context, cc *callConfig, so driver.ServiceOpener, region string) error {
	deadline := time.Now().Add(cc.wait.maxWait)
	delay := cc.wait.minDelay
	for {
		var open bool
		err := c.withRetries(ctx, cc.in(region), "ServiceOpened", true, func(st *callState) (err error) {
			open, err = so.ServiceOpened(st.ctx, region)
			return err
		})
		switch {
		case err != nil:
			return err
		case open:
			return nil
		case time.Now().Add(delay).After(deadline):
			return &Error{Code: CodeUnavailable, Provider: c.p.Name(), Op: "OpenService",
				Message: "the flow-log service in region " + region + " was opened but is not open after " + cc.wait.maxWait.String()}
		}
		if err := sleep(ctx, delay); err != nil {
			return err
		}
		delay = min(2*delay, cc.wait.maxDelay)
	}
}
