package window

import (
	"testing"
	"time"
)

func TestMax(t *testing.T) {
	at := func(ms ...int) []time.Time {
		var out []time.Time
		for _, m := range ms {
			out = append(out, time.Unix(0, 0).Add(time.Duration(m)*time.Millisecond))
		}
		return out
	}
	for _, tc := range []struct {
		ts   []time.Time
		want int
	}{
		{nil, 0},
		{at(0), 1},
		{at(0, 999), 2},
		{at(0, 1000), 1}, // the window is half-open
		{at(0, 500, 1200, 1400, 1600), 3},
	} {
		if got := Max(tc.ts, time.Second); got != tc.want {
			t.Errorf("Max(%v) = %d, want %d", tc.ts, got, tc.want)
		}
	}
}
