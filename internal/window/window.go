// Package window counts events in time windows, for the tests that check
// a rate limit: how many requests started within any one second.
package window

import "time"

// Max returns the largest number of the sorted times ts that fall within
// one window [t, t+w).
func Max(ts []time.Time, w time.Duration) int {
	best, j := 0, 0
	for i := range ts {
		for j < len(ts) && ts[j].Sub(ts[i]) < w {
			j++
		}
		best = max(best, j-i)
	}
	return best
}
