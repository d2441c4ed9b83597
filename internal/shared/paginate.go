package shared

import (
	"context"
	"fmt"
)

// MaxPages is the hard cap on the pages one listing may take. At 100 items
// a page it is a million members: a server that keeps answering past it is
// broken or hostile, and the listing fails instead of looping.
const MaxPages = 10_000

// MaxItems is the hard cap on the items one listing may hold: beyond it
// (or beyond a Pager's own MaxItems) the listing fails instead of growing
// without bound, whatever the page size.
const MaxItems = 1_000_000

// Page is one page of a listing as the API answered it.
type Page[T any] struct {
	Items []T
	// Total is the number of items the API says the whole listing holds
	// (Royalti's totalUsers, DocSpace's total); 0 or less when unknown.
	Total int
	// Last is set when the API says this page is the last one (a
	// totalPages it reached); it stops the listing like reaching Total.
	Last bool
}

// Pager walks a paged listing and stops for every reason a listing can
// end, good or bad:
//   - a page shorter than Size, an empty page, or Last: the end;
//   - as many items as the reported Total: the end;
//   - a page whose every item was already seen (a server ignoring the page
//     parameter or repeating itself): an error, since what follows is
//     unknown and treating the members beyond it as gone would plan their
//     removal;
//   - more than MaxPages (or the Pager's own cap): an error.
type Pager[T any] struct {
	// Platform and Op name the listing in errors ("Royalti", "list workspace users").
	Platform, Op string
	// Size is the page size asked of the API; a page with fewer items is
	// the last one. Zero disables that rule (APIs that may shorten pages).
	Size int
	// Key identifies an item (an id, an email) for the repeated-page check.
	Key func(T) string
	// MaxPages overrides the package's MaxPages (tests); zero keeps it.
	MaxPages int
	// MaxItems overrides the package's MaxItems; zero keeps it.
	MaxItems int
	// Fetch reads page number n, counted from 0 (the caller turns it into
	// a page number or an offset).
	Fetch func(ctx context.Context, n int) (Page[T], error)
}

// PagingError is a listing that could not be read to its end.
type PagingError struct {
	Platform, Op string
	Page         int
	Reason       string
}

func (e *PagingError) Error() string {
	return fmt.Sprintf("%s: %s stopped at page %d: %s", e.Platform, e.Op, e.Page+1, e.Reason)
}

// All reads every page and returns the items in order.
func (p *Pager[T]) All(ctx context.Context) ([]T, error) {
	var all []T
	err := p.Each(ctx, func(items []T) error {
		all = append(all, items...)
		return nil
	})
	return all, err
}

// Each reads every page and hands each page's items to fn, so a caller can
// keep only what it needs of each item.
func (p *Pager[T]) Each(ctx context.Context, fn func(items []T) error) error {
	maxPages := p.MaxPages
	if maxPages <= 0 {
		maxPages = MaxPages
	}
	maxItems := p.MaxItems
	if maxItems <= 0 {
		maxItems = MaxItems
	}
	seen := map[string]struct{}{}
	count := 0
	for n := 0; ; n++ {
		if n >= maxPages {
			return &PagingError{Platform: p.Platform, Op: p.Op, Page: n,
				Reason: fmt.Sprintf("the listing did not end after %d pages (the provider's limit); the API may be ignoring the paging parameters", maxPages)}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		page, err := p.Fetch(ctx, n)
		if err != nil {
			return err
		}
		if len(page.Items) == 0 {
			return nil
		}
		fresh := 0
		if p.Key != nil {
			for _, it := range page.Items {
				k := p.Key(it)
				if _, dup := seen[k]; !dup {
					seen[k] = struct{}{}
					fresh++
				}
			}
			if fresh == 0 {
				return &PagingError{Platform: p.Platform, Op: p.Op, Page: n,
					Reason: "the API answered a page whose items were all on earlier pages (it may be ignoring the paging parameters), so the rest of the listing is unknown"}
			}
		}
		count += len(page.Items)
		if count > maxItems {
			return &PagingError{Platform: p.Platform, Op: p.Op, Page: n,
				Reason: fmt.Sprintf("the listing holds more than %d items (the provider's limit); the API may be ignoring the paging parameters", maxItems)}
		}
		if err := fn(page.Items); err != nil {
			return err
		}
		if page.Last || (page.Total > 0 && count >= page.Total) || (p.Size > 0 && len(page.Items) < p.Size) {
			return nil
		}
	}
}
