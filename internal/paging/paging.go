// Package paging is the adapters' paging: page tokens that survive deletes
// (Cursor, Next), and Describe on top of an adapter's ListPage, choosing the
// cheaper of two ways to find a set of flow logs: listing the region page by
// page, or one call filtered by ID per flow log. It also applies the stop
// rules every provider needs: a short page, everything wanted found, the
// provider's total reached, or a hard page limit so a wrong total can never
// loop forever.
package paging

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/cloudflowlog/flowlog-go/flowlog/driver"
)

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

// Cursor is what the adapters keep in a page token: the offset of the page
// to read, and the provider's total when the token was made (-1: unknown),
// so that the next read can tell that earlier flow logs went away.
type Cursor struct {
	Offset int
	Total  int
}

// String encodes c as a page token.
func (c Cursor) String() string { return strconv.Itoa(c.Offset) + "." + strconv.Itoa(c.Total) }

// Parse decodes a page token; "" is the first page.
func Parse(token string) (Cursor, error) {
	if token == "" {
		return Cursor{Total: -1}, nil
	}
	off, total, ok := strings.Cut(token, ".")
	o, err1 := strconv.Atoi(off)
	t, err2 := strconv.Atoi(total)
	if !ok || err1 != nil || err2 != nil || o < 0 || t < -1 {
		return Cursor{}, fmt.Errorf("not a page token of this adapter: %q", token)
	}
	return Cursor{Offset: o, Total: t}, nil
}

// Next returns the token of the page after one read at offset read, that
// held n items of at most size, when the provider counted total (-1:
// unknown) and the token that asked for the page had seen prev (-1: none);
// "" when there is no next page.
//
// The providers page by offset, so deleting a flow log moves every later
// one a place forward. When the total fell since the token was made, up to
// that many flow logs before this page may be gone, and as many not yet
// read have moved onto pages already read: the next token steps back by as
// many (the client skips what it has seen). This holds even when this page
// came back short because of the deletes.
func Next(read, prev, n, size, total int) string {
	if gone := prev - total; prev >= 0 && total >= 0 && gone > 0 && read > 0 {
		return Cursor{Offset: max(0, read-gone), Total: total}.String()
	}
	next := read + size
	if n == 0 || n < size || (total >= 0 && next >= total) {
		return ""
	}
	return Cursor{Offset: next, Total: total}.String()
}

// Describe implements Provider.Describe for an adapter on top of its
// ListPage (list), which takes pages of size flow logs: one call filtered
// by ID, or a walk of the region, whichever takes fewer calls (see Find).
func Describe(ctx context.Context, region string, ids []string, size int,
	list func(ctx context.Context, region string, f driver.ListFilter, token string) (driver.Page, error)) ([]*driver.FlowLog, error) {
	return Find(ids, size, func(page int, id string) ([]*driver.FlowLog, int, error) {
		p, err := list(ctx, region, driver.ListFilter{ID: id}, Cursor{Offset: page * size, Total: -1}.String())
		return p.FlowLogs, p.Total, err
	}, func(fl *driver.FlowLog) string {
		if fl == nil {
			return ""
		}
		return fl.ID
	})
}
