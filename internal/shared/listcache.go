package shared

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/sync/singleflight"
)

// ListCache shares one listing (all pages) per key across the Reads of a
// provider run: concurrent Reads of members of one workspace wait for the
// same fetch (singleflight), later Reads reuse its result, and writes call
// Invalidate for the keys they touch. A provider run is one terraform
// command, so a refresh of N members costs the list's pages, not N calls.
type ListCache[K comparable, V any] struct {
	group   singleflight.Group
	mu      sync.Mutex
	entries map[K]V
	gen     map[K]uint64
}

// Get returns the cached value for key or fetches it once.
func (c *ListCache[K, V]) Get(ctx context.Context, key K, fetch func(ctx context.Context) (V, error)) (V, error) {
	c.mu.Lock()
	if v, ok := c.entries[key]; ok {
		c.mu.Unlock()
		return v, nil
	}
	gen := c.gen[key]
	c.mu.Unlock()
	sfKey := fmt.Sprintf("%v#%d", key, gen)
	res, err, _ := c.group.Do(sfKey, func() (any, error) {
		// A flight that ended between our cache miss and this call has
		// stored its result: use it rather than fetching again.
		c.mu.Lock()
		if v, ok := c.entries[key]; ok && c.gen[key] == gen {
			c.mu.Unlock()
			return v, nil
		}
		c.mu.Unlock()
		v, err := fetch(context.WithoutCancel(ctx))
		if err != nil {
			return v, err
		}
		c.mu.Lock()
		if c.gen[key] == gen {
			if c.entries == nil {
				c.entries = map[K]V{}
			}
			c.entries[key] = v
		}
		c.mu.Unlock()
		return v, nil
	})
	if err != nil {
		var zero V
		return zero, err
	}
	v, _ := res.(V)
	return v, nil
}

// Invalidate drops the cached value for key; fetches already under way
// are not stored.
func (c *ListCache[K, V]) Invalidate(key K) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, key)
	if c.gen == nil {
		c.gen = map[K]uint64{}
	}
	c.gen[key]++
}

// InvalidateAll drops every cached value.
func (c *ListCache[K, V]) InvalidateAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.entries {
		if c.gen == nil {
			c.gen = map[K]uint64{}
		}
		c.gen[k]++
	}
	c.entries = nil
}
