package shared

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
)

func numbers(from, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = from + i
	}
	return out
}

func intPager(size int, fetch func(n int) Page[int]) (*Pager[int], *int) {
	calls := 0
	return &Pager[int]{
		Platform: "Test", Op: "list things", Size: size,
		Key: strconv.Itoa,
		Fetch: func(_ context.Context, n int) (Page[int], error) {
			calls++
			return fetch(n), nil
		},
	}, &calls
}

func TestPagerStops(t *testing.T) {
	cases := []struct {
		name      string
		size      int
		fetch     func(n int) Page[int]
		wantItems int
		wantCalls int
	}{
		{"short page ends", 10, func(n int) Page[int] {
			if n < 2 {
				return Page[int]{Items: numbers(n*10, 10)}
			}
			return Page[int]{Items: numbers(n*10, 3)}
		}, 23, 3},
		{"empty page ends", 10, func(n int) Page[int] {
			if n < 2 {
				return Page[int]{Items: numbers(n*10, 10)}
			}
			return Page[int]{}
		}, 20, 3},
		{"reported total ends without asking for an empty page", 10, func(n int) Page[int] {
			return Page[int]{Items: numbers(n*10, 10), Total: 30}
		}, 30, 3},
		{"total counts items, not pages: a server shortening pages is followed", 0, func(n int) Page[int] {
			if n*4 >= 10 {
				return Page[int]{}
			}
			return Page[int]{Items: numbers(n*4, min(4, 10-n*4)), Total: 10}
		}, 10, 3},
		{"last flag ends", 10, func(n int) Page[int] {
			return Page[int]{Items: numbers(n*10, 10), Last: n == 1}
		}, 20, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, calls := intPager(c.size, c.fetch)
			items, err := p.All(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != c.wantItems || *calls != c.wantCalls {
				t.Fatalf("got %d items in %d calls, want %d in %d", len(items), *calls, c.wantItems, c.wantCalls)
			}
		})
	}
}

func TestPagerRepeatedPageIsAnError(t *testing.T) {
	// A server ignoring the page parameter answers page one forever.
	p, calls := intPager(10, func(int) Page[int] { return Page[int]{Items: numbers(0, 10), Total: 1000} })
	_, err := p.All(context.Background())
	var pe *PagingError
	if !errors.As(err, &pe) || pe.Page != 1 {
		t.Fatalf("want a PagingError at the second page, got %v", err)
	}
	if *calls != 2 {
		t.Fatalf("made %d calls, want 2", *calls)
	}
}

func TestPagerHardCap(t *testing.T) {
	// Fresh items forever, with no total: the cap ends it.
	p, calls := intPager(10, func(n int) Page[int] { return Page[int]{Items: numbers(n*10, 10)} })
	p.MaxPages = 50
	_, err := p.All(context.Background())
	var pe *PagingError
	if !errors.As(err, &pe) {
		t.Fatalf("want a PagingError, got %v", err)
	}
	if *calls != 50 {
		t.Fatalf("made %d calls, want 50", *calls)
	}
}

func TestPagerCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	p, calls := intPager(10, func(n int) Page[int] {
		if n == 2 {
			cancel()
		}
		return Page[int]{Items: numbers(n*10, 10)}
	})
	_, err := p.All(ctx)
	if !errors.Is(err, context.Canceled) || *calls != 3 {
		t.Fatalf("got %v after %d calls, want context.Canceled after 3", err, *calls)
	}
}

func TestPagerFetchError(t *testing.T) {
	boom := errors.New("boom")
	p := &Pager[int]{Platform: "Test", Op: "list", Size: 10, Fetch: func(context.Context, int) (Page[int], error) { return Page[int]{}, boom }}
	if _, err := p.All(context.Background()); !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
}

// A listing of ever-new items past the item cap fails, however large the
// pages are.
func TestPagerMaxItems(t *testing.T) {
	p, calls := intPager(100, func(n int) Page[int] { return Page[int]{Items: numbers(n*100, 100)} })
	p.MaxItems = 250
	items, err := p.All(context.Background())
	var pe *PagingError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "more than 250 items") {
		t.Fatalf("want a PagingError naming the item limit, got %v", err)
	}
	if *calls != 3 || len(items) != 200 {
		t.Fatalf("%d calls, %d items; want 3 calls and the 200 items before the limit", *calls, len(items))
	}
}
