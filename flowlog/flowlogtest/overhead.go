package flowlogtest

import (
	"fmt"
	"testing"
)

// OverheadSide sets up one side of CompareOverhead, on an emulator of its
// own (so neither side sees the other's flow logs): seed makes the i-th
// resource and returns its ID, op does the measured work on it.
type OverheadSide func(b *testing.B) (seed func(i int) string, op func(b *testing.B, resource string))

// CompareOverhead runs two sub-benchmarks, "client" and "sdk", that do the
// same work once per iteration on a resource of their own: through the
// flowlog client, and directly with the provider's official SDK. Seeding runs
// with the timer stopped, so only the calls are measured. Run it with
// -benchmem to compare allocations too.
func CompareOverhead(b *testing.B, client, sdk OverheadSide) {
	b.Helper()
	for _, side := range []struct {
		name  string
		setup OverheadSide
	}{{"client", client}, {"sdk", sdk}} {
		b.Run(side.name, func(b *testing.B) {
			seed, op := side.setup(b)
			i := 0
			for b.Loop() {
				b.StopTimer()
				resource := seed(i)
				i++
				b.StartTimer()
				op(b, resource)
			}
		})
	}
}

// BenchmarkID returns the i-th resource ID with prefix, in a shape both
// clouds accept (Tencent wants 8 lower-case letters or digits after the
// prefix).
func BenchmarkID(prefix string, i int) string {
	return fmt.Sprintf("%s-%08x", prefix, i)
}
