package tencent_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"

	"github.com/cloudflowlog/flowlog-go/flowlog"
	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
	"github.com/cloudflowlog/flowlog-go/tencent"
)

// scriptedProvider is a credential provider that fails its first failures
// calls, and waits for release (when set) before answering.
type scriptedProvider struct {
	failures int
	release  chan struct{}
	calls    atomic.Int32
}

func (p *scriptedProvider) GetCredential() (common.CredentialIface, error) {
	n := p.calls.Add(1)
	if p.release != nil {
		<-p.release
	}
	if int(n) <= p.failures {
		return nil, errors.New("could not find environmental variable")
	}
	return common.NewCredential(flowlogtest.DefaultTencentSecretID, flowlogtest.DefaultTencentSecretKey), nil
}

func providerWith(t *testing.T, srv *flowlogtest.Server, cp common.Provider, opts ...tencent.Option) *tencent.Provider {
	t.Helper()
	p, err := tencent.New(append([]tencent.Option{tencent.WithEndpoint(srv.URL), tencent.WithCredentialsProvider(cp)}, opts...)...)
	require.NoError(t, err)
	return p
}

func describeNothing(ctx context.Context, p *tencent.Provider) error {
	_, err := p.Describe(ctx, flowlogtest.DefaultTencentRegion, []string{"fl-zzzzzzzz"})
	return err
}

// TestCredentialFailureIsNotKept checks that a failed lookup is tried again
// on the next call (the variables may be set by then), and that the
// credential found then signs the call.
func TestCredentialFailureIsNotKept(t *testing.T) {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	cp := &scriptedProvider{failures: 1}
	p := providerWith(t, srv, cp)
	ctx := context.Background()

	err := describeNothing(ctx, p)
	require.ErrorIs(t, err, flowlog.ErrUnauthenticated)
	assert.Contains(t, err.Error(), "could not find environmental variable")
	assert.Zero(t, srv.Calls("Tencent.DescribeFlowLogs"), "nothing is sent without credentials")

	require.NoError(t, describeNothing(ctx, p), "the second lookup finds the credential")
	require.NoError(t, describeNothing(ctx, p))
	assert.EqualValues(t, 2, cp.calls.Load(), "a credential found is kept")
	assert.Equal(t, 2, srv.Calls("Tencent.DescribeFlowLogs"))
}

// TestCredentialLookupHonoursContext checks that a caller stops waiting for
// a provider that hangs as soon as its context ends, with an error that
// says so, and that the lookup, once it answers, serves the next call.
func TestCredentialLookupHonoursContext(t *testing.T) {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	cp := &scriptedProvider{release: make(chan struct{})}
	released := sync.OnceFunc(func() { close(cp.release) })
	t.Cleanup(released) // the lookup must end before goleak looks
	p := providerWith(t, srv, cp)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- describeNothing(ctx, p) }()
	var err error
	select {
	case err = <-done:
	case <-time.After(5 * time.Second):
		released() // let the stuck call finish
		<-done
		t.Fatal("the call waited for the credential provider past its context")
	}
	assert.Less(t, time.Since(start), 2*time.Second)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	var fe *driver.Error
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, flowlog.CodeUnauthenticated, fe.Code)
	assert.Equal(t, "DescribeFlowLogs", fe.Op)

	released()
	require.NoError(t, describeNothing(context.Background(), p))
	assert.EqualValues(t, 1, cp.calls.Load(), "the abandoned lookup's answer is used")
}

// TestCredentialLookupIsShared checks that concurrent first calls share one
// lookup.
func TestCredentialLookupIsShared(t *testing.T) {
	srv := flowlogtest.NewServer()
	defer srv.Close()
	cp := &scriptedProvider{release: make(chan struct{})}
	p := providerWith(t, srv, cp)

	const callers = 8
	errs := make(chan error, callers)
	for range callers {
		go func() { errs <- describeNothing(context.Background(), p) }()
	}
	require.Eventually(t, func() bool { return cp.calls.Load() > 0 }, 5*time.Second, time.Millisecond)
	time.Sleep(50 * time.Millisecond) // the others join the lookup in flight
	close(cp.release)
	for range callers {
		require.NoError(t, <-errs)
	}
	assert.EqualValues(t, 1, cp.calls.Load())
}

// TestRefreshingCredentialKeepsRefreshing checks that a credential that
// refreshes itself (CVM role, OIDC role) signs each request with its values
// of the moment: the adapter must not copy them once.
func TestRefreshingCredentialKeepsRefreshing(t *testing.T) {
	srv := flowlogtest.NewServer(
		flowlogtest.WithTencentSTSCredential(stsID, secretKey, secretToken),
		flowlogtest.WithTencentSTSCredential(rotatedID, rotatedKey, rotatedToken))
	defer srv.Close()
	cred := newRotatingCredential(stsID, secretKey, secretToken)
	rec := &sentHeaders{}
	p := providerWith(t, srv, credentialProvider{cred}, tencent.WithHTTPTransport(rec))
	ctx := context.Background()

	require.NoError(t, describeNothing(ctx, p))
	cred.rotate(rotatedID, rotatedKey, rotatedToken)
	require.NoError(t, describeNothing(ctx, p))
	_, tokens := rec.sent()
	assert.Equal(t, []string{secretToken, rotatedToken}, tokens)
}
