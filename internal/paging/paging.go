// Package paging walks list APIs for the adapters' Describe, choosing the
// cheaper of two ways to find a set of flow logs: listing the region page by
// page, or one call filtered by ID per flow log. It also applies the stop
// rules every provider needs: a short page, everything wanted found, the
// provider's total reached, or a hard page limit so a wrong total can never
// loop forever.
package paging

// MaxPages bounds any walk. At the largest page size of the providers (50 to
// 100) it is tens of thousands of flow logs, far beyond their quotas.
const MaxPages = 1000

// Find returns the items whose IDs are among ids. fetch(page, "") lists page
// page (0-based) of pageSize items; fetch(0, id) makes a call filtered by that
// one ID. Either returns the provider's total count, or -1 when it gives
// none. idOf reads an item's ID. Items are checked against ids, never
// trusted to match a filter.
//
// One ID costs one filtered call. For several, Find lists the first page,
// learns the total, and then either keeps listing or asks for each ID still
// missing, whichever takes fewer calls: a region of 10,000 flow logs is not
// listed to find three, and 1,000 wanted flow logs are not asked for one by
// one.
func Find[T any](ids []string, pageSize int, fetch func(page int, id string) ([]T, int, error), idOf func(T) string) ([]T, error) {
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	var out []T
	take := func(items []T) {
		for _, it := range items {
			if id := idOf(it); want[id] {
				out = append(out, it)
				delete(want, id)
			}
		}
	}
	if len(want) == 1 {
		for id := range want {
			items, _, err := fetch(0, id)
			if err != nil {
				return nil, err
			}
			take(items)
		}
		return out, nil
	}
	for page := 0; page < MaxPages && len(want) > 0; page++ {
		items, total, err := fetch(page, "")
		if err != nil {
			return nil, err
		}
		take(items)
		if len(items) < pageSize || (total >= 0 && (page+1)*pageSize >= total) {
			break
		}
		if total >= 0 {
			pagesLeft := (total - (page+1)*pageSize + pageSize - 1) / pageSize
			if len(want) < pagesLeft {
				if err := findEach(want, fetch, take); err != nil {
					return nil, err
				}
				return out, nil
			}
		}
	}
	return out, nil
}

// findEach asks for each ID still wanted with a filtered call.
func findEach[T any](want map[string]bool, fetch func(int, string) ([]T, int, error), take func([]T)) error {
	ids := make([]string, 0, len(want))
	for id := range want {
		ids = append(ids, id)
	}
	for _, id := range ids {
		items, _, err := fetch(0, id)
		if err != nil {
			return err
		}
		take(items)
	}
	return nil
}
