package paging

import (
	"errors"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// list serves n items "id0".."id(n-1)" in pages and counts the calls.
type list struct {
	n, total int
	calls    int
}

func (l *list) fetch(size int) func(int) ([]string, int, error) {
	return func(page int) ([]string, int, error) {
		l.calls++
		var items []string
		for i := page * size; i < (page+1)*size && i < l.n; i++ {
			items = append(items, "id"+strconv.Itoa(i))
		}
		return items, l.total, nil
	}
}

func id(s string) string { return s }

func TestFindStopsWhenAllFound(t *testing.T) {
	l := &list{n: 500, total: 500}
	got, err := Find([]string{"id3", "id60"}, 50, l.fetch(50), id)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"id3", "id60"}, got)
	assert.Equal(t, 2, l.calls)
}

func TestFindStopsOnShortPageAndTotal(t *testing.T) {
	l := &list{n: 120, total: 120}
	got, err := Find([]string{"id119", "missing"}, 50, l.fetch(50), id)
	require.NoError(t, err)
	assert.Equal(t, []string{"id119"}, got)
	assert.Equal(t, 3, l.calls)

	l = &list{n: 100, total: 100} // exact multiple: the total ends it
	_, err = Find([]string{"missing"}, 50, l.fetch(50), id)
	require.NoError(t, err)
	assert.Equal(t, 2, l.calls)
}

func TestFindSurvivesAWrongTotal(t *testing.T) {
	// A provider that always returns a full page and claims more: the hard
	// limit ends the walk.
	calls := 0
	full := func(int) ([]string, int, error) { calls++; return make([]string, 50), 1 << 30, nil }
	_, err := Find([]string{"never"}, 50, full, id)
	require.NoError(t, err)
	assert.Equal(t, MaxPages, calls)
}

func TestFindReturnsErrors(t *testing.T) {
	boom := errors.New("boom")
	_, err := Find([]string{"x"}, 50, func(int) ([]string, int, error) { return nil, 0, boom }, id)
	assert.ErrorIs(t, err, boom)
	got, err := Find(nil, 50, func(int) ([]string, int, error) { t.Fatal("no call for no IDs"); return nil, 0, nil }, id)
	assert.NoError(t, err)
	assert.Empty(t, got)
}
