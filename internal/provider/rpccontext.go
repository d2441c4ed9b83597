package provider

import (
	"context"
	"sync"
	"time"
)

// rpcContext is the context the provider server hands the framework for
// one RPC. terraform-plugin-framework (proto6server.registerContext, up to
// v1.19.0 at least) keeps a cancel function of every RPC's context until
// StopProvider, which Terraform sends only to interrupt: through it, the
// whole context of every RPC the process ever served stays reachable, with
// the per-RPC loggers terraform-plugin-go puts in it (about 50 KB each).
// A plan of N resources is about 4N RPCs, so the provider's heap grew by
// some 100 KB per resource (60 MB live at N=1000), and the garbage
// collector, unable to get under a memory limit, took a third of the CPU.
//
// rpcContext delegates to the RPC's own context while the RPC runs and lets
// go of it when the RPC returns (end): what the framework keeps is then a
// few words. Done and Deadline stay those of the RPC; after the end, Value
// answers nil (work the RPC left running, such as a listing shared with
// later RPCs, loses its loggers but not its cancellation, which it takes
// from its own waiters anyway) and Err what the RPC's context said.
type rpcContext struct {
	done     <-chan struct{}
	deadline time.Time
	hasDL    bool

	mu     sync.RWMutex
	parent context.Context // nil once ended
	err    error           // the parent's Err when it ended
}

// detach returns the context to serve one RPC with, and the function to
// call when the RPC has returned.
func detach(ctx context.Context) (context.Context, func()) {
	c := &rpcContext{done: ctx.Done(), parent: ctx}
	c.deadline, c.hasDL = ctx.Deadline()
	return c, c.end
}

func (c *rpcContext) end() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.parent != nil {
		c.err = c.parent.Err()
		c.parent = nil
	}
}

func (c *rpcContext) Deadline() (time.Time, bool) { return c.deadline, c.hasDL }

func (c *rpcContext) Done() <-chan struct{} { return c.done }

func (c *rpcContext) Err() error {
	c.mu.RLock()
	p, err := c.parent, c.err
	c.mu.RUnlock()
	if p != nil {
		return p.Err()
	}
	if err != nil {
		return err
	}
	select {
	case <-c.done:
		return context.Canceled
	default:
		return nil
	}
}

func (c *rpcContext) Value(key any) any {
	c.mu.RLock()
	p := c.parent
	c.mu.RUnlock()
	if p == nil {
		return nil
	}
	return p.Value(key)
}
