package shared

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestBatcherCoalescesConcurrentCallsPerKey(t *testing.T) {
	var calls atomic.Int32
	var mu sync.Mutex
	sizes := map[string][]int{}
	// Each key gets 10 calls and flushes when full: the batches do not
	// depend on the scheduler meeting a gathering window under load.
	b := &Batcher[string, string, string]{
		Window:  time.Minute,
		MaxSize: 10,
		Run: func(_ context.Context, key string, items []string) ([]string, []error, error) {
			calls.Add(1)
			mu.Lock()
			sizes[key] = append(sizes[key], len(items))
			mu.Unlock()
			out := make([]string, len(items))
			errs := make([]error, len(items))
			for i, it := range items {
				if strings.HasPrefix(it, "bad") {
					errs[i] = fmt.Errorf("%s: User Not Found", it)
					continue
				}
				out[i] = key + ":" + strings.ToUpper(it)
			}
			return out, errs, nil
		},
	}
	var wg sync.WaitGroup
	results := make([]string, 20)
	errs := make([]error, 20)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := "ws1"
			if i%2 == 1 {
				key = "ws2"
			}
			item := fmt.Sprintf("u%d", i)
			if i == 7 {
				item = "bad7"
			}
			results[i], errs[i] = b.Do(context.Background(), key, item)
		}()
	}
	wg.Wait()
	if got := calls.Load(); got != 2 {
		t.Fatalf("20 concurrent calls on 2 keys should make 2 batches, made %d (%v)", got, sizes)
	}
	for i := range 20 {
		key := "ws1"
		if i%2 == 1 {
			key = "ws2"
		}
		if i == 7 {
			if errs[i] == nil || !strings.Contains(errs[i].Error(), "bad7") {
				t.Fatalf("item 7 should get its own error, got %v", errs[i])
			}
			continue
		}
		if errs[i] != nil || results[i] != fmt.Sprintf("%s:U%d", key, i) {
			t.Fatalf("item %d: got %q, %v", i, results[i], errs[i])
		}
	}
}

func TestBatcherMaxSizeAndBatchError(t *testing.T) {
	var calls atomic.Int32
	boom := errors.New("boom")
	b := &Batcher[int, int, int]{
		Window:  time.Second,
		MaxSize: 3,
		Run: func(_ context.Context, _ int, items []int) ([]int, []error, error) {
			calls.Add(1)
			return nil, nil, boom
		},
	}
	var wg sync.WaitGroup
	start := time.Now()
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := b.Do(context.Background(), 1, i); !errors.Is(err, boom) {
				t.Errorf("expected the batch error, got %v", err)
			}
		}()
	}
	wg.Wait()
	if calls.Load() != 1 {
		t.Fatalf("expected one batch, got %d", calls.Load())
	}
	if time.Since(start) > 900*time.Millisecond {
		t.Fatalf("a full batch should flush before the window ends")
	}
}

func TestBatcherCallerCancellation(t *testing.T) {
	release := make(chan struct{})
	b := &Batcher[int, int, int]{
		Window: time.Millisecond,
		Run: func(ctx context.Context, _ int, items []int) ([]int, []error, error) {
			<-release
			if ctx.Err() != nil {
				return nil, nil, errors.New("batch context must not be cancelled by one caller")
			}
			return items, nil, nil
		},
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { _, err := b.Do(ctx, 1, 1); done <- err }()
	go func() {
		v, err := b.Do(context.Background(), 1, 2)
		if err != nil || v != 2 {
			t.Errorf("second caller: %v %v", v, err)
		}
		done <- nil
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled caller should return its context error, got %v", err)
	}
	close(release)
	<-done
}

func TestListCacheSingleflightAndInvalidate(t *testing.T) {
	var fetches atomic.Int32
	c := &ListCache[int, []string]{}
	fetch := func(context.Context) ([]string, error) {
		fetches.Add(1)
		time.Sleep(20 * time.Millisecond)
		return []string{"a"}, nil
	}
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if v, err := c.Get(context.Background(), 7, fetch); err != nil || len(v) != 1 {
				t.Errorf("%v %v", v, err)
			}
		}()
	}
	wg.Wait()
	if fetches.Load() != 1 {
		t.Fatalf("50 concurrent reads should fetch once, fetched %d", fetches.Load())
	}
	c.Get(context.Background(), 7, fetch)
	if fetches.Load() != 1 {
		t.Fatalf("a cached listing should be reused")
	}
	c.Invalidate(7)
	c.Get(context.Background(), 7, fetch)
	if fetches.Load() != 2 {
		t.Fatalf("invalidate should force a new fetch, fetched %d", fetches.Load())
	}
	c.InvalidateAll()
	c.Get(context.Background(), 7, fetch)
	if fetches.Load() != 3 {
		t.Fatalf("InvalidateAll should force a new fetch, fetched %d", fetches.Load())
	}
}

func TestListCacheErrorsAreNotCached(t *testing.T) {
	var fetches atomic.Int32
	c := &ListCache[string, int]{}
	fail := true
	fetch := func(context.Context) (int, error) {
		fetches.Add(1)
		if fail {
			return 0, errors.New("down")
		}
		return 3, nil
	}
	if _, err := c.Get(context.Background(), "k", fetch); err == nil {
		t.Fatal("expected error")
	}
	fail = false
	if v, err := c.Get(context.Background(), "k", fetch); err != nil || v != 3 {
		t.Fatalf("%v %v", v, err)
	}
}

func TestListCacheInvalidateDuringFetchIsNotStored(t *testing.T) {
	c := &ListCache[string, int]{}
	started := make(chan struct{})
	release := make(chan struct{})
	go c.Get(context.Background(), "k", func(context.Context) (int, error) {
		close(started)
		<-release
		return 1, nil
	})
	<-started
	c.Invalidate("k")
	close(release)
	time.Sleep(10 * time.Millisecond)
	v, _ := c.Get(context.Background(), "k", func(context.Context) (int, error) { return 2, nil })
	if v != 2 {
		t.Fatalf("a listing fetched before a write must not be cached after it, got %d", v)
	}
}

// Reads that miss the cache just as another read's fetch completes must
// reuse its result, not start a second fetch.
func TestListCacheNoSecondFetchAfterAFlightEnds(t *testing.T) {
	for round := range 50 {
		var fetches atomic.Int32
		c := &ListCache[int, int]{}
		fetch := func(context.Context) (int, error) {
			fetches.Add(1)
			time.Sleep(200 * time.Microsecond)
			return 1, nil
		}
		var wg sync.WaitGroup
		for i := range 64 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				time.Sleep(time.Duration(i*10) * time.Microsecond)
				c.Get(context.Background(), 1, fetch)
			}()
		}
		wg.Wait()
		if n := fetches.Load(); n != 1 {
			t.Fatalf("round %d: %d fetches for one key, want 1", round, n)
		}
	}
}
