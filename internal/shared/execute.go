package shared

// Execute runs the changes of an authoritative apply as operations (one
// request, or a few in sequence, covering one member or many), in stages,
// at most a limit at a time, and records every member's outcome.

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"

	"golang.org/x/sync/errgroup"
)

// OpKind is what an operation does to its members.
type OpKind int

// The kinds, in the order an apply usually runs them.
const (
	OpRemove OpKind = iota + 1
	OpInvite
	OpUpdate
)

func (k OpKind) String() string {
	switch k {
	case OpRemove:
		return "remove"
	case OpInvite:
		return "invite"
	case OpUpdate:
		return "update"
	}
	return fmt.Sprintf("OpKind(%d)", int(k))
}

// Op is one unit of work for Execute: one request, or a few in sequence,
// covering one member or many.
type Op struct {
	Kind OpKind
	// Keys are the members the op covers.
	Keys []string
	// Run performs the op for keys (Keys without the members skipped
	// because an earlier stage failed for them). It returns an error per
	// member that failed (members absent from the map succeeded), or err
	// to fail every member of the op. It must honour ctx.
	Run func(ctx context.Context, keys []string) (perMember map[string]error, err error)
}

// EachOp makes one op per member, calling f for it.
func EachOp[V any](kind OpKind, members []Member[V], f func(ctx context.Context, m Member[V]) error) []Op {
	ops := make([]Op, 0, len(members))
	for _, m := range members {
		ops = append(ops, Op{Kind: kind, Keys: []string{m.Key}, Run: func(ctx context.Context, _ []string) (map[string]error, error) {
			return nil, f(ctx, m)
		}})
	}
	return ops
}

// BatchOps makes ops covering at most size members each (size <= 0: one op
// for all), calling f with the members of the op still to do. f returns an
// error per member key that failed, or err to fail them all.
func BatchOps[V any](kind OpKind, members []Member[V], size int, f func(ctx context.Context, ms []Member[V]) (map[string]error, error)) []Op {
	if len(members) == 0 {
		return nil
	}
	if size <= 0 {
		size = len(members)
	}
	var ops []Op
	for start := 0; start < len(members); start += size {
		chunk := members[start:min(start+size, len(members))]
		byKey := make(map[string]Member[V], len(chunk))
		keys := make([]string, len(chunk))
		for i, m := range chunk {
			byKey[m.Key], keys[i] = m, m.Key
		}
		ops = append(ops, Op{Kind: kind, Keys: keys, Run: func(ctx context.Context, keys []string) (map[string]error, error) {
			ms := make([]Member[V], len(keys))
			for i, k := range keys {
				ms[i] = byKey[k]
			}
			return f(ctx, ms)
		}})
	}
	return ops
}

// DefaultConcurrency is the limit Execute uses when given 0.
const DefaultConcurrency = 8

// ErrSkipped is wrapped by the error of a member's op that was not sent
// because an earlier stage failed for that member (a replacement's invite
// after its removal failed).
var ErrSkipped = errors.New("not attempted because an earlier step for this member failed")

// Execute runs stages one after the other; the ops of a stage run
// concurrently, at most limit at a time (limit <= 0: DefaultConcurrency).
// When Compare may return Replace, removals must be in a stage before
// invitations: Execute(ctx, n, removes, invites, updates).
//
// A failing op never cancels the others. A member that failed in a stage is
// left out of the ops of later stages (its outcome there is Skipped, its
// error wraps ErrSkipped), so a replacement is not invited again when its
// removal failed. Once ctx is done no op starts: the members of the ops not
// started fail with ctx's error. Ops whose keys are all skipped do not run.
func Execute(ctx context.Context, limit int, stages ...[]Op) *Outcomes {
	if limit <= 0 {
		limit = DefaultConcurrency
	}
	out := &Outcomes{}
	for _, stage := range stages {
		failed := out.failedKeys()
		var g errgroup.Group
		g.SetLimit(limit)
		for _, op := range stage {
			keys := make([]string, 0, len(op.Keys))
			for _, k := range op.Keys {
				if cause, ok := failed[k]; ok {
					out.record(Outcome{Kind: op.Kind, Key: k, Skipped: true, Err: fmt.Errorf("%s %s: %w: %w", op.Kind, k, ErrSkipped, cause)})
					continue
				}
				keys = append(keys, k)
			}
			if len(keys) == 0 {
				continue
			}
			if out.notStarted(ctx, op.Kind, keys) {
				continue
			}
			g.Go(func() error { // blocks while limit ops run
				if out.notStarted(ctx, op.Kind, keys) {
					return nil
				}
				perMember, err := op.Run(ctx, keys)
				for _, k := range keys {
					e := err
					if e == nil {
						e = perMember[k]
					}
					out.record(Outcome{Kind: op.Kind, Key: k, Err: e})
				}
				return nil
			})
		}
		_ = g.Wait() // the ops return nil: their errors are outcomes
	}
	return out
}

// Outcome is what happened to one member in one kind of operation.
type Outcome struct {
	Kind OpKind
	Key  string
	// Err is nil when the operation succeeded.
	Err error
	// Skipped: the operation was not sent because an earlier stage failed
	// for this member (Err wraps ErrSkipped and the earlier error).
	Skipped bool
}

// Outcomes collects the outcome of every member's operations. Its methods
// are safe for concurrent use and on a nil *Outcomes (nothing happened).
type Outcomes struct {
	mu sync.Mutex
	m  map[outcomeID]Outcome
}

type outcomeID struct {
	kind OpKind
	key  string
}

// Record sets the outcome of a member's operation, e.g. to fail an update
// that the API acknowledged but that reading back shows was not applied.
// A failure is never overwritten by a success.
func (o *Outcomes) Record(kind OpKind, key string, err error) {
	o.record(Outcome{Kind: kind, Key: key, Err: err})
}

func (o *Outcomes) record(oc Outcome) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.m == nil {
		o.m = map[outcomeID]Outcome{}
	}
	id := outcomeID{oc.Kind, oc.Key}
	if prev, ok := o.m[id]; ok && prev.Err != nil && oc.Err == nil {
		return
	}
	o.m[id] = oc
}

// notStarted records ctx's error for keys and reports true when ctx is done.
func (o *Outcomes) notStarted(ctx context.Context, kind OpKind, keys []string) bool {
	err := ctx.Err()
	if err == nil {
		return false
	}
	for _, k := range keys {
		o.record(Outcome{Kind: kind, Key: k, Err: fmt.Errorf("%s %s: not started: %w", kind, k, err)})
	}
	return true
}

// failedKeys returns, for each member with a failed outcome, its first
// failure in kind order.
func (o *Outcomes) failedKeys() map[string]error {
	out := map[string]error{}
	for _, oc := range o.Failures() {
		if _, ok := out[oc.Key]; !ok {
			out[oc.Key] = oc.Err
		}
	}
	return out
}

// Get returns the outcome of kind for key, and whether there is one.
func (o *Outcomes) Get(kind OpKind, key string) (Outcome, bool) {
	if o == nil {
		return Outcome{}, false
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	oc, ok := o.m[outcomeID{kind, key}]
	return oc, ok
}

// Succeeded reports whether kind was done for key without error (false
// when it was not attempted).
func (o *Outcomes) Succeeded(kind OpKind, key string) bool {
	oc, ok := o.Get(kind, key)
	return ok && oc.Err == nil
}

// All returns every outcome, sorted by kind then key.
func (o *Outcomes) All() []Outcome {
	return o.filter(func(Outcome) bool { return true })
}

// Failures returns the failed outcomes, sorted by kind then key. Skipped
// ones are included (Skipped set): their cause is reported by the earlier
// failure, so they are usually left out of diagnostics.
func (o *Outcomes) Failures() []Outcome {
	return o.filter(func(oc Outcome) bool { return oc.Err != nil })
}

func (o *Outcomes) filter(keep func(Outcome) bool) []Outcome {
	if o == nil {
		return nil
	}
	o.mu.Lock()
	var list []Outcome
	for _, oc := range o.m {
		if keep(oc) {
			list = append(list, oc)
		}
	}
	o.mu.Unlock()
	sort.Slice(list, func(i, j int) bool {
		if list[i].Kind != list[j].Kind {
			return list[i].Kind < list[j].Kind
		}
		return list[i].Key < list[j].Key
	})
	return list
}
