package paging

import (
	"errors"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// list serves n items "id0".."id(n-1)" in pages, or one by ID, and counts
// the calls of each kind.
type list struct {
	n, total          int
	pages, singleGets int
}

func (l *list) fetch(size int) func(int, string) ([]string, int, error) {
	return func(page int, id string) ([]string, int, error) {
		if id != "" {
			l.singleGets++
			if i, err := strconv.Atoi(id[2:]); err == nil && i < l.n {
				return []string{id}, 1, nil
			}
			return nil, 0, nil
		}
		l.pages++
		var items []string
		for i := page * size; i < (page+1)*size && i < l.n; i++ {
			items = append(items, "id"+strconv.Itoa(i))
		}
		return items, l.total, nil
	}
}

func id(s string) string { return s }

func TestFindOneIDIsOneFilteredCall(t *testing.T) {
	l := &list{n: 500, total: 500}
	got, err := Find([]string{"id321"}, 50, l.fetch(50), id)
	require.NoError(t, err)
	assert.Equal(t, []string{"id321"}, got)
	assert.Equal(t, 0, l.pages)
	assert.Equal(t, 1, l.singleGets)
}

func TestFindListsWhenThatIsCheaper(t *testing.T) {
	l := &list{n: 500, total: 500}
	var ids []string
	for i := 0; i < 500; i += 3 {
		ids = append(ids, "id"+strconv.Itoa(i))
	}
	got, err := Find(ids, 50, l.fetch(50), id)
	require.NoError(t, err)
	assert.Len(t, got, len(ids))
	assert.Equal(t, 10, l.pages)
	assert.Zero(t, l.singleGets)
}

func TestFindAsksEachWhenThatIsCheaper(t *testing.T) {
	l := &list{n: 10000, total: 10000}
	got, err := Find([]string{"id9000", "id9500", "id20", "missing"}, 50, l.fetch(50), id)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"id9000", "id9500", "id20"}, got)
	assert.Equal(t, 1, l.pages, "one page to learn the total")
	assert.Equal(t, 3, l.singleGets, "then one call per ID still missing")
}

func TestFindStopsWhenAllFound(t *testing.T) {
	l := &list{n: 500, total: 500}
	got, err := Find([]string{"id3", "id60"}, 50, l.fetch(50), id)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"id3", "id60"}, got)
	assert.Equal(t, 1, l.pages)
	assert.Equal(t, 1, l.singleGets, "id60 alone is cheaper than 9 more pages")
}

func TestFindStopsOnShortPageAndTotal(t *testing.T) {
	l := &list{n: 120, total: -1} // no total: only a short page ends it
	var ids []string
	for i := range 120 {
		ids = append(ids, "id"+strconv.Itoa(i))
	}
	got, err := Find(append(ids, "missing"), 50, l.fetch(50), id)
	require.NoError(t, err)
	assert.Len(t, got, 120)
	assert.Equal(t, 3, l.pages)

	l = &list{n: 100, total: 100} // exact multiple: the total ends it
	_, err = Find(append(ids[:100], "missing", "missing2"), 50, l.fetch(50), id)
	require.NoError(t, err)
	assert.Equal(t, 2, l.pages)
}

func TestFindSurvivesAWrongTotal(t *testing.T) {
	// A provider that always returns a full page and no total: the hard
	// limit ends the walk.
	calls := 0
	full := func(int, string) ([]string, int, error) { calls++; return make([]string, 50), -1, nil }
	_, err := Find([]string{"never", "either"}, 50, full, id)
	require.NoError(t, err)
	assert.Equal(t, MaxPages, calls)
}

func TestFindReturnsErrors(t *testing.T) {
	boom := errors.New("boom")
	fail := func(int, string) ([]string, int, error) { return nil, 0, boom }
	_, err := Find([]string{"x"}, 50, fail, id)
	assert.ErrorIs(t, err, boom)
	_, err = Find([]string{"x", "y"}, 50, fail, id)
	assert.ErrorIs(t, err, boom)
	got, err := Find(nil, 50, func(int, string) ([]string, int, error) { t.Fatal("no call for no IDs"); return nil, 0, nil }, id)
	assert.NoError(t, err)
	assert.Empty(t, got)
}
