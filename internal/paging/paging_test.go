package paging

import (
	"errors"
	"slices"
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

func TestCursorRoundTrip(t *testing.T) {
	for _, c := range []Cursor{{0, -1}, {50, 120}, {100, 0}} {
		got, err := Parse(c.String())
		require.NoError(t, err)
		assert.Equal(t, c, got)
	}
	first, err := Parse("")
	require.NoError(t, err)
	assert.Equal(t, Cursor{Offset: 0, Total: -1}, first)
	for _, bad := range []string{"x", "1", "-1.5", "1.-2", "a.b"} {
		_, err := Parse(bad)
		assert.Error(t, err, bad)
	}
}

func TestNext(t *testing.T) {
	// Full pages move on; a short page, an empty one or the total end it.
	assert.Equal(t, "50.120", Next(0, -1, 50, 50, 120))
	assert.Equal(t, "", Next(100, 120, 20, 50, 120))
	assert.Equal(t, "", Next(50, 100, 50, 50, 100))
	assert.Equal(t, "", Next(0, -1, 0, 50, -1))
	assert.Equal(t, "50.-1", Next(0, -1, 50, 50, -1), "no total: a full page may have a next")

	// The total fell by 50 since the token was made: the 50 flow logs after
	// those read moved onto page 0, so the walk steps back, even though the
	// page came back short.
	assert.Equal(t, "0.70", Next(50, 120, 20, 50, 70))
	assert.Equal(t, "30.100", Next(50, 120, 50, 50, 100), "by as many as are gone")
	assert.Equal(t, "", Next(0, 120, 20, 50, 20), "nothing before the first page")
}

// Walking with Next while deleting every flow log read leaves none
// unread.
func TestNextSurvivesDeletes(t *testing.T) {
	items := make([]int, 120)
	for i := range items {
		items[i] = i
	}
	seen := map[int]bool{}
	token := ""
	for range 100 {
		cur, err := Parse(token)
		require.NoError(t, err)
		end := min(cur.Offset+50, len(items))
		page := slices.Clone(items[min(cur.Offset, end):end])
		token = Next(cur.Offset, cur.Total, len(page), 50, len(items))
		for _, it := range page {
			seen[it] = true
			items = slices.DeleteFunc(items, func(x int) bool { return x == it }) // the caller deletes it
		}
		if token == "" {
			break
		}
	}
	assert.Len(t, seen, 120)
	assert.Empty(t, items)
}
