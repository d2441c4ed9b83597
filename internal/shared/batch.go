package shared

import (
	"context"
	"sync"
	"time"
)

// Batcher coalesces concurrent calls that share a key (a workspace, a
// project, a portal) into one call of Run, made after a short gathering
// window or as soon as MaxSize items are waiting. Terraform creates
// resources concurrently (-parallelism, 10 by default), so N invitations to
// one workspace cost about N/parallelism requests instead of N.
type Batcher[K comparable, In, Out any] struct {
	// Window is how long the first item waits for others. Zero means 25ms.
	Window time.Duration
	// MaxSize flushes a batch early; zero means 100.
	MaxSize int
	// Run performs one batch. It returns one result per item (in order)
	// and an error per item (nil where that item succeeded); a non-nil err
	// fails every item of the batch.
	Run func(ctx context.Context, key K, items []In) (results []Out, itemErrs []error, err error)

	mu      sync.Mutex
	pending map[K]*batch[In, Out]
}

type batch[In, Out any] struct {
	ctx     context.Context
	cancel  context.CancelFunc
	waiters int
	items   []In
	done    chan struct{}
	results []Out
	errs    []error
	err     error
	flushed bool
}

// Do adds item to the batch for key and waits for its result.
func (b *Batcher[K, In, Out]) Do(ctx context.Context, key K, item In) (Out, error) {
	window := b.Window
	if window <= 0 {
		window = 25 * time.Millisecond
	}
	maxSize := b.MaxSize
	if maxSize <= 0 {
		maxSize = 100
	}
	b.mu.Lock()
	if b.pending == nil {
		b.pending = map[K]*batch[In, Out]{}
	}
	cur := b.pending[key]
	if cur == nil {
		// The batch runs with the first caller's values (loggers) but is
		// not cancelled by it: other callers depend on the batch. It is
		// cancelled when every caller has gone (Ctrl-C).
		bctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		cur = &batch[In, Out]{ctx: bctx, cancel: cancel, done: make(chan struct{})}
		b.pending[key] = cur
		go func() {
			t := time.NewTimer(window)
			defer t.Stop()
			select {
			case <-t.C:
			case <-cur.done:
				return
			}
			b.flush(key, cur)
		}()
	}
	idx := len(cur.items)
	cur.items = append(cur.items, item)
	cur.waiters++
	full := len(cur.items) >= maxSize
	b.mu.Unlock()
	if full {
		go b.flush(key, cur)
	}
	var zero Out
	select {
	case <-cur.done:
	case <-ctx.Done():
		b.mu.Lock()
		cur.waiters--
		if cur.waiters == 0 {
			// Nobody waits for this batch any more: stop it, and let no
			// later caller join it.
			cur.cancel()
			if b.pending[key] == cur {
				delete(b.pending, key)
			}
		}
		b.mu.Unlock()
		return zero, ctx.Err()
	}
	if cur.err != nil {
		return zero, cur.err
	}
	if idx < len(cur.errs) && cur.errs[idx] != nil {
		return zero, cur.errs[idx]
	}
	if idx < len(cur.results) {
		return cur.results[idx], nil
	}
	return zero, nil
}

func (b *Batcher[K, In, Out]) flush(key K, cur *batch[In, Out]) {
	b.mu.Lock()
	if cur.flushed {
		b.mu.Unlock()
		return
	}
	cur.flushed = true
	if b.pending[key] == cur {
		delete(b.pending, key)
	}
	items := cur.items
	b.mu.Unlock()
	defer cur.cancel()
	if err := cur.ctx.Err(); err != nil {
		cur.err = err
	} else {
		cur.results, cur.errs, cur.err = b.Run(cur.ctx, key, items)
	}
	close(cur.done)
}
