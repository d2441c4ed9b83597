package shared

import (
	"context"
	"sync"
)

// ListCache shares one listing (all pages) per key across the Reads of a
// provider run: concurrent Reads of members of one workspace wait for the
// same fetch, later Reads reuse its result, and writes call Invalidate for
// the keys they touch. A provider run is one terraform command, so a
// refresh of N members costs the list's pages, not N calls.
//
// A shared fetch runs for as long as someone waits for it: when the last
// waiter goes (its context ends: Ctrl-C, a timeout), the fetch is
// cancelled. A fetch that began before a write (Invalidate, InvalidateAll)
// never answers a caller that arrived after the write, and is not cached.
type ListCache[K comparable, V any] struct {
	mu      sync.Mutex
	entries map[K]V
	gen     map[K]uint64
	epoch   uint64 // bumped by InvalidateAll: covers keys not cached yet
	flights map[flightKey[K]]*flight[V]
}

type flightKey[K comparable] struct {
	key        K
	gen, epoch uint64
}

type flight[V any] struct {
	done    chan struct{}
	val     V
	err     error
	waiters int
	cancel  context.CancelFunc
}

// Get returns the cached value for key or fetches it once. fetch runs with
// the values of the first caller's context (loggers) and is cancelled
// when every caller waiting for it has gone.
func (c *ListCache[K, V]) Get(ctx context.Context, key K, fetch func(ctx context.Context) (V, error)) (V, error) {
	var zero V
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	c.mu.Lock()
	if v, ok := c.entries[key]; ok {
		c.mu.Unlock()
		return v, nil
	}
	fk := flightKey[K]{key: key, gen: c.gen[key], epoch: c.epoch}
	f := c.flights[fk]
	if f == nil {
		fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		f = &flight[V]{done: make(chan struct{}), cancel: cancel}
		if c.flights == nil {
			c.flights = map[flightKey[K]]*flight[V]{}
		}
		c.flights[fk] = f
		go c.run(fctx, fk, f, fetch)
	}
	f.waiters++
	c.mu.Unlock()
	select {
	case <-f.done:
		return f.val, f.err
	case <-ctx.Done():
		c.mu.Lock()
		f.waiters--
		if f.waiters == 0 {
			f.cancel()
			if c.flights[fk] == f {
				delete(c.flights, fk)
			}
		}
		c.mu.Unlock()
		return zero, ctx.Err()
	}
}

func (c *ListCache[K, V]) run(ctx context.Context, fk flightKey[K], f *flight[V], fetch func(ctx context.Context) (V, error)) {
	defer f.cancel()
	v, err := fetch(ctx)
	c.mu.Lock()
	if err == nil && c.flights[fk] == f && c.gen[fk.key] == fk.gen && c.epoch == fk.epoch {
		if c.entries == nil {
			c.entries = map[K]V{}
		}
		c.entries[fk.key] = v
	}
	if c.flights[fk] == f {
		delete(c.flights, fk)
	}
	f.val, f.err = v, err
	c.mu.Unlock()
	close(f.done)
}

// Invalidate drops the cached value for key; fetches already under way
// answer only the callers that were waiting before, and are not stored.
func (c *ListCache[K, V]) Invalidate(key K) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, key)
	if c.gen == nil {
		c.gen = map[K]uint64{}
	}
	c.gen[key]++
}

// InvalidateAll drops every cached value, and outdates every fetch under
// way, for every key (cached, in flight or not seen yet).
func (c *ListCache[K, V]) InvalidateAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	c.entries = nil
}
