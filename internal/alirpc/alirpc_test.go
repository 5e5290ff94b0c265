package alirpc

import (
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// deep calls f under n extra frames, like a call from deep in a service.
func deep(n int, f func()) {
	if n == 0 {
		f()
		return
	}
	deep(n-1, f)
}

// frames counts the frames of the calling goroutine's stack trace: what the
// SDK's nonce generator walks on every request (the runtime stops at 100).
func frames() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, false)]
	return strings.Count(string(buf), "\n\t")
}

func TestOnShallowStackHidesTheCallersDepth(t *testing.T) {
	var direct, shallow int
	deep(60, func() {
		direct = frames()
		require.NoError(t, onShallowStack(func() error { shallow = frames(); return nil }))
	})
	assert.Greater(t, direct, 60)
	assert.Less(t, shallow, 10, "f runs on a fresh goroutine, whatever the caller's depth")
}

func TestOnShallowStackPassesResultsBack(t *testing.T) {
	want := errors.New("sdk error")
	assert.Same(t, want, onShallowStack(func() error { return want }))
	assert.NoError(t, onShallowStack(func() error { return nil }))

	// A panic comes back to the caller's goroutine, where Mapper.Call
	// recovers it; on the helper goroutine it would end the program.
	assert.PanicsWithValue(t, "interface conversion", func() {
		_ = onShallowStack(func() error { panic("interface conversion") })
	})
	err := testMapper.Call(t.Context(), "CreateFlowLog", "", noSignatures, func() error {
		return onShallowStack(func() error { panic("interface conversion") })
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "malformed response")
}
