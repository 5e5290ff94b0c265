package apicheck

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// What a program links when it imports the client and the adapters: the
// OpenTelemetry API but not its SDK, and no Redis client (that comes only
// with flowlog/ratelimit/redislimit).
func TestWhatTheClientLinks(t *testing.T) {
	const mod = "github.com/cloudflowlog/flowlog-go/"
	cmd := exec.Command("go", "list", "-deps", mod+"flowlog", mod+"aliyun", mod+"cbn", mod+"tencent", mod+"flowlog/ratelimit")
	cmd.Dir = "../.."
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	deps := strings.Fields(string(out))
	assert.Contains(t, deps, "go.opentelemetry.io/otel/trace", "the tracing API")
	for _, d := range deps {
		assert.False(t, strings.Contains(d, "redis"), "links %s", d)
		assert.False(t, strings.HasPrefix(d, "go.opentelemetry.io/otel/sdk"), "links the OpenTelemetry SDK: %s", d)
	}

	cmd = exec.Command("go", "list", "-deps", mod+"flowlog/ratelimit/redislimit")
	cmd.Dir = "../.."
	out, err = cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Contains(t, strings.Fields(string(out)), "github.com/redis/go-redis/v9", "the check can see a Redis client")
}
