package flowlogtest

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
)

// OverheadSide sets up one side of CompareOverhead, on an emulator of its
// own (so neither side sees the other's flow logs): seed makes the i-th
// resource and returns its ID, op does the measured work on it.
type OverheadSide func(b *testing.B) (seed func(i int) string, op func(b *testing.B, resource string))

// CompareOverhead runs two sub-benchmarks, "client" and "sdk", that do the
// same work once per iteration on a resource of their own: through the
// flowlog client, and directly with the provider's official SDK. Run it with
// -benchmem to compare allocations too, and with -count to compare with
// benchstat.
//
// Three things keep the comparison fair on a small, busy machine. Resources
// are seeded in batches with the timer stopped, because stopping the timer
// reads memory statistics, which stops the world: once per iteration, that
// pause would weigh on both sides. Each side starts after a garbage
// collection, so that it does not pay for the other's emulator. And the
// order of the two alternates from one call to the next (with -count), so
// that neither side always runs in the other's wake.
func CompareOverhead(b *testing.B, client, sdk OverheadSide) {
	b.Helper()
	sides := []struct {
		name  string
		setup OverheadSide
	}{{"client", client}, {"sdk", sdk}}
	if overheadRuns.Add(1)%2 == 0 {
		sides[0], sides[1] = sides[1], sides[0]
	}
	for _, side := range sides {
		b.Run(side.name, func(b *testing.B) {
			seed, op := side.setup(b)
			var resources []string
			runtime.GC()
			for i := 0; b.Loop(); i++ {
				if i == len(resources) {
					b.StopTimer()
					for range overheadBatch {
						resources = append(resources, seed(len(resources)))
					}
					b.StartTimer()
				}
				op(b, resources[i])
			}
		})
	}
}

// overheadRuns counts the calls of CompareOverhead, to alternate the order.
var overheadRuns atomic.Int64

// overheadBatch is how many resources CompareOverhead seeds at a time.
const overheadBatch = 500

// BenchmarkID returns the i-th resource ID with prefix, in a shape both
// clouds accept (Tencent wants 8 lower-case letters or digits after the
// prefix).
func BenchmarkID(prefix string, i int) string {
	return fmt.Sprintf("%s-%08x", prefix, i)
}
