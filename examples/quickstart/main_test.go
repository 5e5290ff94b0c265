package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudflowlog/flowlog-go/flowlog/flowlogtest"
)

func TestQuickstartAgainstEmbeddedEmulator(t *testing.T) {
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := run(ctx, config{
		region: flowlogtest.DefaultRegion, eni: flowlogtest.DefaultNetworkInterfaceID,
		project: flowlogtest.DefaultSLSProject, logstore: flowlogtest.DefaultSLSLogStore,
	}, &out)
	require.NoError(t, err, out.String())
	text := out.String()
	assert.Contains(t, text, "mode: embedded emulator")
	assert.Contains(t, text, "status:        active (Active)")
	assert.Regexp(t, `states seen:   pending .*-> active\(Active\)`, text)
	assert.Regexp(t, `deleted fl-[a-z0-9]+`, text)
}
