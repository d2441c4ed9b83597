package shared

// Reconciling an authoritative membership resource (a whole team, every
// person of a portal) takes four steps; only the first is platform code:
//
//  1. Observe: list the members as the platform has them (one listing) into
//     a map[string]Observed[V], keyed like the resource's members map:
//     members known from configuration or state under their key, the others
//     under the key the API gives (their email). Mark the owner and the
//     caller Protected, terminated users or cancelled invites Unusable.
//  2. Diff: Differ[V].Diff(observed, wanted, prior, exclusive) is pure and
//     returns Changes[V]: who to invite, update, remove, who is unchanged and
//     who is protected, each list sorted by key.
//  3. Execute: turn the changes into Ops (EachOp for one request per member,
//     BatchOps for requests covering many) and run them with Execute, in
//     stages, at most limit at a time. One failure never cancels the others;
//     every member gets an Outcome.
//  4. Settle: Changes.Settle(outcomes) is what to write to state: what
//     succeeded is applied, what failed is left as it was (a failed invite is
//     absent, a failed removal or update keeps the observed value). Report
//     Outcomes.Failures() as errors, one per member.
//
// See Example_reconcile in reconcile_test.go for a whole apply.

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"
)

// MemberKey is the identity of a member key: keys holding an email address
// (an "@") are compared without regard to letter case, other keys
// (usernames, user ids) exactly. Every function of this file matches keys
// through it.
func MemberKey(key string) string {
	if strings.Contains(key, "@") {
		return NormalizeEmail(key)
	}
	return key
}

// Observed is one member as the platform has it.
type Observed[V any] struct {
	// Value is the member's attributes, shaped like the configuration's
	// (attributes the configuration does not manage left null), since it is
	// written to state when a change of this member fails.
	Value V
	// ID is the platform's id of the member, passed on to the operations.
	ID string
	// Protected, when not empty, says why this member is never removed nor
	// changed, e.g. "the portal owner".
	Protected string
	// Unusable marks a member the platform lists but that does not count
	// as one (a terminated user, a cancelled invite): it is invited again
	// when wanted and ignored otherwise.
	Unusable bool
}

// Difference is how a wanted member differs from the observed one.
type Difference int

const (
	// Same: nothing to do.
	Same Difference = iota
	// InPlace: the API changes the member in place (an update).
	InPlace
	// Replace: the API cannot change it in place: remove the member, then
	// invite it again.
	Replace
)

// Differ works out the changes of one kind of authoritative resource.
type Differ[V any] struct {
	// Compare says how want differs from have. It only looks at what the
	// configuration manages (an attribute left null in want is not
	// managed). Nil compares with reflect.DeepEqual, differences being
	// InPlace.
	Compare func(want, have V) Difference
}

// Member is one member in Changes.
type Member[V any] struct {
	// Key is the member's key: as wanted (configuration), else as in prior
	// state, else as observed.
	Key string
	// Want is the wanted value (zero when not Wanted).
	Want V
	// Have is the observed value (zero when not Present).
	Have V
	// ID is the observed member's id ("" when not observed).
	ID string
	// Wanted: the member is in the wanted map.
	Wanted bool
	// Present: the member is observed and usable.
	Present bool
	// Unusable: the member is observed but unusable (see Observed).
	Unusable bool
	// Replace: the member is in both Remove and Invite, replacing it.
	Replace bool
	// Reason is why a Protected member is left alone.
	Reason string
}

// Changes is the outcome of a Diff. Every list is sorted by Key.
type Changes[V any] struct {
	// Invite: wanted members not present (never observed, gone, or
	// unusable), and the second half of replacements (Replace set).
	Invite []Member[V]
	// Update: present wanted members that differ in place.
	Update []Member[V]
	// Remove: present members that are not wanted and are either in
	// prior state or (exclusive) anywhere, and the first half of
	// replacements (Replace set). A member already gone is not removed.
	Remove []Member[V]
	// Unchanged: present wanted members equal to what is wanted.
	Unchanged []Member[V]
	// Protected: protected members the changes would have touched: wanted
	// with another value (a change the platform refuses: report it as an
	// error, it is not applied), or in prior state and no longer wanted
	// (they are dropped from state, not removed). Protected members that
	// are neither wanted nor in prior state are not listed.
	Protected []Member[V]
}

// Empty reports whether there is nothing to send.
func (c Changes[V]) Empty() bool {
	return len(c.Invite) == 0 && len(c.Update) == 0 && len(c.Remove) == 0
}

type keyed[V any] struct {
	key string
	val V
}

// byMemberKey indexes m by MemberKey; of keys that are the same member
// (which validation forbids in configuration), the first in sorted order
// wins, so the result is deterministic.
func byMemberKey[V any](m map[string]V) map[string]keyed[V] {
	out := make(map[string]keyed[V], len(m))
	for _, k := range sortedKeys(m) {
		id := MemberKey(k)
		if _, dup := out[id]; !dup {
			out[id] = keyed[V]{k, m[k]}
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Diff works out what to do to go from observed to wanted:
//   - wanted and not present (absent or unusable): invite;
//   - wanted and present: unchanged, update or replace as Compare says, or
//     protected if the member is protected and differs;
//   - present, usable and not wanted: removed when exclusive or in prior
//     (state), unless protected;
//   - in prior, not wanted and not present: nothing (already gone).
//
// Keys are matched with MemberKey, so a key whose letter case differs
// between wanted, prior and observed is the same member. prior is nil on
// create. Diff is pure: it sends nothing and keeps no reference to its
// arguments' maps.
func (d Differ[V]) Diff(observed map[string]Observed[V], wanted, prior map[string]V, exclusive bool) Changes[V] {
	compare := d.Compare
	if compare == nil {
		compare = func(want, have V) Difference {
			if reflect.DeepEqual(want, have) {
				return Same
			}
			return InPlace
		}
	}
	obs := byMemberKey(observed)
	pri := byMemberKey(prior)
	var ch Changes[V]
	seen := map[string]bool{}
	for _, k := range sortedKeys(wanted) {
		id := MemberKey(k)
		if seen[id] {
			continue
		}
		seen[id] = true
		m := Member[V]{Key: k, Want: wanted[k], Wanted: true}
		o, ok := obs[id]
		if ok {
			m.ID, m.Unusable = o.val.ID, o.val.Unusable
		}
		if !ok || o.val.Unusable {
			ch.Invite = append(ch.Invite, m)
			continue
		}
		m.Have, m.Present = o.val.Value, true
		diff := compare(m.Want, m.Have)
		switch {
		case diff == Same:
			ch.Unchanged = append(ch.Unchanged, m)
		case o.val.Protected != "":
			m.Reason = o.val.Protected
			ch.Protected = append(ch.Protected, m)
		case diff == Replace:
			m.Replace = true
			ch.Remove = append(ch.Remove, m)
			ch.Invite = append(ch.Invite, m)
		default:
			ch.Update = append(ch.Update, m)
		}
	}
	for _, id := range sortedKeys(obs) {
		o := obs[id]
		if seen[id] || o.val.Unusable {
			continue
		}
		p, inPrior := pri[id]
		if !exclusive && !inPrior {
			continue
		}
		m := Member[V]{Key: o.key, Have: o.val.Value, ID: o.val.ID, Present: true}
		if inPrior {
			m.Key = p.key
		}
		if o.val.Protected != "" {
			if inPrior {
				m.Reason = o.val.Protected
				ch.Protected = append(ch.Protected, m)
			}
			continue
		}
		ch.Remove = append(ch.Remove, m)
	}
	for _, list := range []*[]Member[V]{&ch.Invite, &ch.Update, &ch.Remove, &ch.Unchanged, &ch.Protected} {
		sort.SliceStable(*list, func(i, j int) bool { return (*list)[i].Key < (*list)[j].Key })
	}
	return ch
}

// Settle returns the members to write to state after the changes were
// executed with outcomes out (nil: nothing was executed): unchanged members
// as wanted; an invite or update that succeeded as wanted; a removal that
// succeeded absent; a failed (or never attempted) invite absent; a failed
// update or removal with the observed value; a replacement whose removal
// failed with the observed value, whose removal succeeded but invite failed
// absent. Protected members keep the observed value when wanted (their
// change was refused) and are dropped when not.
//
// When every change succeeded the result is exactly the wanted map, so
// state matches the plan; otherwise report Failures as errors.
//
// Update writes the result with the errors. Create writes no state when
// something failed: Terraform would taint a partly created resource and
// replace it on the next apply, removing every member and inviting them
// again; instead the next apply creates it again and Diff finds the
// members that succeeded present (Unchanged), so only the failed ones are
// sent again. Delete is Diff(observed, nil, state, false): its Remove list.
func (c Changes[V]) Settle(out *Outcomes) map[string]V {
	res := make(map[string]V, len(c.Unchanged)+len(c.Update)+len(c.Invite))
	for _, m := range c.Unchanged {
		res[m.Key] = m.Want
	}
	for _, m := range c.Protected {
		if m.Wanted {
			res[m.Key] = m.Have
		}
	}
	for _, m := range c.Update {
		if out.Succeeded(OpUpdate, m.Key) {
			res[m.Key] = m.Want
		} else {
			res[m.Key] = m.Have
		}
	}
	for _, m := range c.Remove {
		if !out.Succeeded(OpRemove, m.Key) { // a replacement too: kept as it was
			res[m.Key] = m.Have
		}
	}
	for _, m := range c.Invite {
		switch {
		case m.Replace && !out.Succeeded(OpRemove, m.Key):
			res[m.Key] = m.Have
		case out.Succeeded(OpInvite, m.Key):
			res[m.Key] = m.Want
		}
	}
	return res
}

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
