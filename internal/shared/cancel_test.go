package shared

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// guard is a generous bound for "promptly": the tests synchronise on
// channels; the guard only keeps a broken implementation from hanging.
const guard = 5 * time.Second

func waitClosed(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(guard):
		t.Fatalf("%s did not happen within %v", what, guard)
	}
}

// A shared fetch keeps running while one waiter remains, and is cancelled
// when its last waiter goes.
func TestListCacheFetchCancelledWhenLastWaiterGoes(t *testing.T) {
	c := &ListCache[string, int]{}
	started := make(chan struct{})
	fetchDone := make(chan struct{})
	fetch := func(ctx context.Context) (int, error) {
		close(started)
		<-ctx.Done()
		close(fetchDone)
		return 0, ctx.Err()
	}
	ctx1, cancel1 := context.WithCancel(context.Background())
	ctx2, cancel2 := context.WithCancel(context.Background())
	errs := make(chan error, 2)
	go func() { _, err := c.Get(ctx1, "k", fetch); errs <- err }()
	<-started
	joined := make(chan struct{})
	go func() {
		close(joined)
		_, err := c.Get(ctx2, "k", fetch)
		errs <- err
	}()
	<-joined
	// Let the second caller reach the flight: poll the waiter count.
	for deadline := time.Now().Add(guard); ; time.Sleep(time.Millisecond) {
		c.mu.Lock()
		n := 0
		for _, f := range c.flights {
			n += f.waiters
		}
		c.mu.Unlock()
		if n == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the second caller never joined the fetch")
		}
	}
	cancel1()
	if err := <-errs; !errors.Is(err, context.Canceled) {
		t.Fatalf("first caller: %v", err)
	}
	select {
	case <-fetchDone:
		t.Fatal("the fetch was cancelled while a caller still waited for it")
	case <-time.After(50 * time.Millisecond):
	}
	cancel2()
	waitClosed(t, fetchDone, "cancelling the fetch after its last waiter went")
	if err := <-errs; !errors.Is(err, context.Canceled) {
		t.Fatalf("second caller: %v", err)
	}
	// A later caller starts afresh.
	v, err := c.Get(context.Background(), "k", func(context.Context) (int, error) { return 7, nil })
	if err != nil || v != 7 {
		t.Fatalf("%v %v", v, err)
	}
}

// A fetch that began before a write never answers a caller that arrived
// after it, whether the write invalidated that key or every key (including
// keys never cached, whose listing is in flight).
func TestListCacheWriteDuringFetchIsNotOvertaken(t *testing.T) {
	for _, how := range []string{"Invalidate", "InvalidateAll"} {
		t.Run(how, func(t *testing.T) {
			c := &ListCache[string, string]{}
			started := make(chan struct{})
			release := make(chan struct{})
			oldDone := make(chan string, 1)
			go func() {
				v, _ := c.Get(context.Background(), "ws", func(context.Context) (string, error) {
					close(started)
					<-release
					return "before the write", nil
				})
				oldDone <- v
			}()
			<-started
			if how == "Invalidate" {
				c.Invalidate("ws")
			} else {
				c.InvalidateAll()
			}
			newDone := make(chan string, 1)
			var fetches atomic.Int32
			go func() {
				v, _ := c.Get(context.Background(), "ws", func(context.Context) (string, error) {
					fetches.Add(1)
					return "after the write", nil
				})
				newDone <- v
			}()
			select {
			case v := <-newDone:
				if v != "after the write" {
					t.Fatalf("a caller after the write got %q", v)
				}
			case <-time.After(guard):
				close(release)
				t.Fatalf("a caller after the write waited for the fetch that began before it (%s)", how)
			}
			close(release)
			if v := <-oldDone; v != "before the write" {
				t.Fatalf("the first caller got %q", v)
			}
			v, _ := c.Get(context.Background(), "ws", func(context.Context) (string, error) { return "third", nil })
			if v != "after the write" {
				t.Fatalf("the cache holds %q, want the listing fetched after the write", v)
			}
		})
	}
}

// A batch nobody waits for any more is cancelled.
func TestBatcherCancelledWhenEveryCallerGoes(t *testing.T) {
	started := make(chan struct{})
	runDone := make(chan struct{})
	b := &Batcher[int, int, int]{
		Window: time.Millisecond,
		Run: func(ctx context.Context, _ int, items []int) ([]int, []error, error) {
			close(started)
			<-ctx.Done()
			close(runDone)
			return nil, nil, ctx.Err()
		},
	}
	ctx, cancel := context.WithCancel(context.Background())
	errs := make(chan error, 1)
	go func() { _, err := b.Do(ctx, 1, 1); errs <- err }()
	waitClosed(t, started, "the batch starting")
	cancel()
	waitClosed(t, runDone, "cancelling the batch after its last caller went")
	if err := <-errs; !errors.Is(err, context.Canceled) {
		t.Fatalf("caller: %v", err)
	}
}

// Ctrl-C during a shared listing whose server keeps answering 429 with a
// long Retry-After: the caller returns at once, the wait is abandoned and
// no further request is sent.
func TestRetryAfterWaitEndsWithTheLastWaiter(t *testing.T) {
	srv, n, _ := flaky(t, http.StatusTooManyRequests, "120", 1000)
	c := testClient(t, srv.URL, 20)
	c.http.RetryWaitMax = 10 * time.Minute
	cache := &ListCache[string, int]{}
	ctx, cancel := context.WithCancel(context.Background())
	fetchDone := make(chan struct{})
	errs := make(chan error, 1)
	go func() {
		_, err := cache.Get(ctx, "users", func(ctx context.Context) (int, error) {
			defer close(fetchDone)
			_, err := c.Do(ctx, Request{Op: "list users", Method: http.MethodGet, Path: "/users"}, nil)
			return 0, err
		})
		errs <- err
	}()
	for deadline := time.Now().Add(guard); n.Load() == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no request reached the server")
		}
	}
	cancel()
	select {
	case err := <-errs:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("caller: %v", err)
		}
	case <-time.After(guard):
		t.Fatal("the caller did not return after Ctrl-C")
	}
	waitClosed(t, fetchDone, "the fetch abandoning its Retry-After wait")
	if got := n.Load(); got != 1 {
		t.Fatalf("%d requests, want 1", got)
	}
}

// Many callers getting, invalidating and giving up concurrently: run
// with -race; every answer is a value some fetch returned, and nothing
// hangs.
func TestListCacheConcurrentUse(t *testing.T) {
	c := &ListCache[int, string]{}
	var seq atomic.Int64
	var wg sync.WaitGroup
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 50 {
				ctx, cancel := context.WithCancel(context.Background())
				if (i+j)%7 == 0 {
					cancel()
				}
				key := j % 3
				v, err := c.Get(ctx, key, func(ctx context.Context) (string, error) {
					select {
					case <-ctx.Done():
						return "", ctx.Err()
					case <-time.After(time.Duration(j%3) * 100 * time.Microsecond):
					}
					return fmt.Sprintf("%d-%d", key, seq.Add(1)), nil
				})
				if err == nil && v == "" {
					t.Errorf("empty value without error")
				}
				if err != nil && !errors.Is(err, context.Canceled) {
					t.Errorf("unexpected error %v", err)
				}
				switch (i + j) % 11 {
				case 0:
					c.Invalidate(key)
				case 5:
					c.InvalidateAll()
				}
				cancel()
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	waitClosed(t, done, "all callers finishing")
}
