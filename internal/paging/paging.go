// Package paging walks list APIs page by page for the adapters, with the
// stop rules every provider needs: a short page, everything wanted found, the
// provider's total reached, or a hard page limit so a wrong total can never
// loop forever.
package paging

// MaxPages bounds any walk. At the largest page size of the providers (50 to
// 100) it is tens of thousands of flow logs, far beyond their quotas.
const MaxPages = 1000

// Find fetches pages 0, 1, ... of pageSize items until every ID in ids has
// been seen, and returns the matching items. fetch returns one page and the
// provider's total count (or -1 when the provider gives none); idOf reads an
// item's ID. Items are checked against ids, never trusted to match a filter.
func Find[T any](ids []string, pageSize int, fetch func(page int) ([]T, int, error), idOf func(T) string) ([]T, error) {
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	var out []T
	for page := 0; page < MaxPages && len(want) > 0; page++ {
		items, total, err := fetch(page)
		if err != nil {
			return out, err
		}
		for _, it := range items {
			if id := idOf(it); want[id] {
				out = append(out, it)
				delete(want, id)
			}
		}
		if len(items) < pageSize || (total >= 0 && (page+1)*pageSize >= total) {
			break
		}
	}
	return out, nil
}
