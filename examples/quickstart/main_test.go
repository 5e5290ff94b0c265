package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQuickstartAgainstEmbeddedEmulator(t *testing.T) {
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	require.NoError(t, run(ctx, defaults(), &out), out.String())
	// On a loaded machine the first poll may come after the emulator's
	// 50ms activation, so the pending state is optional in the patterns.
	text := out.String()
	assert.Contains(t, text, "mode: embedded emulator")
	assert.Regexp(t, `aliyun +fl-[a-z0-9]+ +(pending\(Activating\) -> )?active\(Active\) +\d`, text)
	assert.Regexp(t, `cbn +flowlog-[a-z0-9]+ +(pending\(Creating\) -> )?active\(Active\) +\d`, text)
	assert.Regexp(t, `tencent +fl-[a-z0-9]+ +pending\(Enable=true CloudLogState=\) -> active\(Enable=true CloudLogState=SUCCESS\) +\d`, text)
	for _, p := range []string{"aliyun", "cbn", "tencent"} {
		assert.Regexp(t, `deleted `+p+` \S+`, text)
	}
}

func TestQuickstartRejectsUnknownProvider(t *testing.T) {
	cfg := defaults()
	cfg.providers = "aws"
	assert.ErrorContains(t, run(context.Background(), cfg, &bytes.Buffer{}), "unknown provider")
}
