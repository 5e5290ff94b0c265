package redislimit

import (
	"context"
	"errors"
	"testing"
	"time"
)

// A Redis call that outlasts the per-call timeout is a Redis failure, not
// the caller's context ending; the caller's context ending is.
func TestCallEndsAtTheTimeoutOrTheContext(t *testing.T) {
	hang := func(ctx context.Context) (int, error) {
		<-ctx.Done()
		time.Sleep(10 * time.Millisecond) // a client slower to give up than its context
		return 0, ctx.Err()
	}
	_, err := call(context.Background(), 10*time.Millisecond, hang)
	var te timeoutError
	if !errors.As(err, &te) || errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("call past its timeout = %v, want a timeoutError, not the context's error", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(10*time.Millisecond, cancel)
	if _, err := call(ctx, time.Hour, hang); !errors.Is(err, context.Canceled) {
		t.Errorf("call with a cancelled context = %v, want context.Canceled", err)
	}
}
