package shared

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestExecute_boundedConcurrency(t *testing.T) {
	for _, limit := range []int{1, 3, 8} {
		t.Run(fmt.Sprint(limit), func(t *testing.T) {
			var running, peak, ran atomic.Int32
			full := make(chan struct{}) // closed once limit ops run at once
			var once sync.Once
			var ops []Op
			for i := range 40 {
				ops = append(ops, op(OpInvite, fmt.Sprintf("m%02d@x.io", i), func(context.Context) error {
					n := running.Add(1)
					defer running.Add(-1)
					ran.Add(1)
					for {
						p := peak.Load()
						if n <= p || peak.CompareAndSwap(p, n) {
							break
						}
					}
					if n == int32(limit) {
						once.Do(func() { close(full) })
					}
					// the first ops wait until limit run together, proving
					// the limit is reached; later ones pass straight on
					waitOrFail(t, full, "the limit to be reached")
					return nil
				}))
			}
			out := Execute(context.Background(), limit, ops)
			if got := peak.Load(); got != int32(limit) {
				t.Errorf("peak concurrency %d, want exactly %d", got, limit)
			}
			if ran.Load() != 40 || len(out.All()) != 40 || len(out.Failures()) != 0 {
				t.Errorf("ran %d ops, %d outcomes, failures %v", ran.Load(), len(out.All()), out.Failures())
			}
		})
	}
}

func TestExecute_defaultLimit(t *testing.T) {
	var running, peak atomic.Int32
	full := make(chan struct{})
	var once sync.Once
	var ops []Op
	for i := range 3 * DefaultConcurrency {
		ops = append(ops, op(OpUpdate, fmt.Sprint(i), func(context.Context) error {
			n := running.Add(1)
			defer running.Add(-1)
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
			if n == DefaultConcurrency {
				once.Do(func() { close(full) })
			}
			waitOrFail(t, full, "the default limit to be reached")
			return nil
		}))
	}
	Execute(context.Background(), 0, ops)
	if peak.Load() != DefaultConcurrency {
		t.Fatalf("peak %d, want %d", peak.Load(), DefaultConcurrency)
	}
}

func TestExecute_noSiblingCancellation(t *testing.T) {
	failed := make(chan struct{})
	boom := errors.New("HTTP 500")
	out := Execute(context.Background(), 4, []Op{
		op(OpInvite, "a@x.io", func(context.Context) error { close(failed); return boom }),
		op(OpInvite, "b@x.io", func(ctx context.Context) error {
			waitOrFail(t, failed, "the sibling to fail")
			if ctx.Err() != nil {
				return fmt.Errorf("cancelled by a sibling's failure: %w", ctx.Err())
			}
			return nil
		}),
		op(OpRemove, "c@x.io", func(ctx context.Context) error {
			waitOrFail(t, failed, "the sibling to fail")
			return ctx.Err()
		}),
	})
	if oc, _ := out.Get(OpInvite, "a@x.io"); !errors.Is(oc.Err, boom) {
		t.Errorf("a: %+v, want boom", oc)
	}
	if !out.Succeeded(OpInvite, "b@x.io") || !out.Succeeded(OpRemove, "c@x.io") {
		t.Errorf("siblings did not succeed: %+v", out.All())
	}
	if f := out.Failures(); len(f) != 1 || f[0].Key != "a@x.io" || f[0].Kind != OpInvite || f[0].Skipped {
		t.Errorf("Failures() = %+v", f)
	}
}

func TestExecute_batchOutcomesPerMember(t *testing.T) {
	members := func(keys ...string) []Member[string] {
		var ms []Member[string]
		for _, k := range keys {
			ms = append(ms, Member[string]{Key: k, Want: "W-" + k, ID: "id-" + k})
		}
		return ms
	}
	var mu sync.Mutex
	var calls [][]string
	ops := BatchOps(OpInvite, members("a", "b", "c", "d", "e"), 2, func(_ context.Context, ms []Member[string]) (map[string]error, error) {
		var ids []string
		for _, m := range ms {
			ids = append(ids, m.ID+"="+m.Want)
		}
		mu.Lock()
		calls = append(calls, ids)
		mu.Unlock()
		if ms[0].Key == "e" {
			return nil, errors.New("whole request failed")
		}
		return map[string]error{"b": errors.New("User Not Found"), "zzz": errors.New("not a member of this op")}, nil
	})
	if len(ops) != 3 || !reflect.DeepEqual(ops[0].Keys, []string{"a", "b"}) || !reflect.DeepEqual(ops[2].Keys, []string{"e"}) {
		t.Fatalf("BatchOps made %d ops: %+v", len(ops), ops)
	}
	ops = append(ops, EachOp(OpUpdate, members("f", "g"), func(_ context.Context, m Member[string]) error {
		if m.Key == "g" {
			return errors.New("HTTP 403")
		}
		return nil
	})...)
	out := Execute(context.Background(), 2, ops)
	sort.Slice(calls, func(i, j int) bool { return calls[i][0] < calls[j][0] })
	if want := [][]string{{"id-a=W-a", "id-b=W-b"}, {"id-c=W-c", "id-d=W-d"}, {"id-e=W-e"}}; !reflect.DeepEqual(calls, want) {
		t.Errorf("batches %v, want %v", calls, want)
	}
	var got []string
	for _, oc := range out.All() {
		s := oc.Kind.String() + " " + oc.Key
		if oc.Err != nil {
			s += ": " + oc.Err.Error()
		}
		got = append(got, s)
	}
	want := []string{
		"invite a", "invite b: User Not Found", "invite c", "invite d", "invite e: whole request failed",
		"update f", "update g: HTTP 403",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("outcomes:\n got  %q\n want %q", got, want)
	}
	if BatchOps(OpRemove, []Member[string]{}, 10, nil) != nil {
		t.Error("BatchOps of no members made ops")
	}
	if ops := BatchOps(OpRemove, members("a", "b", "c"), 0, nil); len(ops) != 1 || len(ops[0].Keys) != 3 {
		t.Errorf("BatchOps size 0: %+v", ops)
	}
}

func TestExecute_cancellationStopsNewOps(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var started atomic.Int32
	var ops []Op
	for i := range 10 {
		ops = append(ops, op(OpRemove, fmt.Sprint(i), func(ctx context.Context) error {
			started.Add(1)
			if i == 0 {
				cancel() // e.g. the user pressed Ctrl-C during the first request
				return ctx.Err()
			}
			return nil
		}))
	}
	later := []Op{op(OpInvite, "later", func(context.Context) error { started.Add(1); return nil })}
	out := Execute(ctx, 1, ops, later)
	if started.Load() != 1 {
		t.Fatalf("%d ops started after the context was cancelled", started.Load()-1)
	}
	fails := out.Failures()
	if len(fails) != 11 {
		t.Fatalf("failures %+v, want all 11", fails)
	}
	for _, f := range fails {
		if !errors.Is(f.Err, context.Canceled) {
			t.Errorf("%s %s: %v, want context.Canceled", f.Kind, f.Key, f.Err)
		}
	}
	if f, _ := out.Get(OpInvite, "later"); f.Err == nil || !strings.Contains(f.Err.Error(), "invite later: not started") {
		t.Errorf("later: %+v", f)
	}
}

func TestExecute_doneContextRunsNothing(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	out := Execute(ctx, 2, []Op{op(OpInvite, "a", func(context.Context) error { ran = true; return nil })})
	if ran || out.Succeeded(OpInvite, "a") {
		t.Fatal("an op ran with a done context")
	}
	if oc, ok := out.Get(OpInvite, "a"); !ok || !errors.Is(oc.Err, context.Canceled) {
		t.Fatalf("outcome %+v", oc)
	}
}

func TestExecute_stages(t *testing.T) {
	var removed atomic.Bool
	var gotKeys []string
	boom := errors.New("HTTP 500 on remove")
	removes := []Op{
		op(OpRemove, "ok", func(context.Context) error { removed.Store(true); return nil }),
		op(OpRemove, "bad", func(context.Context) error { return boom }),
	}
	invites := []Op{{Kind: OpInvite, Keys: []string{"bad", "new", "ok"}, Run: func(_ context.Context, keys []string) (map[string]error, error) {
		if !removed.Load() {
			return nil, errors.New("invite ran before the removals finished")
		}
		gotKeys = keys
		return nil, nil
	}}}
	onlyBad := []Op{op(OpUpdate, "bad", func(context.Context) error { t.Error("ran an op for a member that failed earlier"); return nil })}
	out := Execute(context.Background(), 4, removes, invites, onlyBad)
	if !reflect.DeepEqual(gotKeys, []string{"new", "ok"}) {
		t.Errorf("invite op got %v, want the members that did not fail", gotKeys)
	}
	oc, _ := out.Get(OpInvite, "bad")
	if !oc.Skipped || !errors.Is(oc.Err, ErrSkipped) || !errors.Is(oc.Err, boom) {
		t.Errorf("invite of bad: %+v, want skipped because of the removal", oc)
	}
	if oc, _ := out.Get(OpUpdate, "bad"); !oc.Skipped {
		t.Errorf("update of bad: %+v, want skipped", oc)
	}
	if !out.Succeeded(OpInvite, "ok") || !out.Succeeded(OpInvite, "new") || !out.Succeeded(OpRemove, "ok") {
		t.Errorf("outcomes %+v", out.All())
	}
	var reported []string
	for _, f := range out.Failures() {
		if !f.Skipped {
			reported = append(reported, f.Kind.String()+" "+f.Key)
		}
	}
	if !reflect.DeepEqual(reported, []string{"remove bad"}) {
		t.Errorf("failures to report %v", reported)
	}
}

func TestOutcomes(t *testing.T) {
	var nilOut *Outcomes
	if nilOut.Succeeded(OpInvite, "a") || nilOut.All() != nil || nilOut.Failures() != nil {
		t.Fatal("nil Outcomes is not empty")
	}
	if _, ok := nilOut.Get(OpInvite, "a"); ok {
		t.Fatal("nil Outcomes has an outcome")
	}
	out := &Outcomes{}
	out.Record(OpUpdate, "a", nil)
	out.Record(OpUpdate, "a", errors.New("read back: type not changed"))
	out.Record(OpUpdate, "a", nil) // a failure is never overwritten by a success
	if out.Succeeded(OpUpdate, "a") {
		t.Fatal("a success overwrote a failure")
	}
	if OpKind(9).String() != "OpKind(9)" || OpRemove.String() != "remove" {
		t.Fatal("OpKind.String")
	}
}

// Example_reconcile is a whole apply of an authoritative resource whose
// members map emails to a user type, against a fake API.

// op is a single-member op for tests.
func op(kind OpKind, key string, f func(ctx context.Context) error) Op {
	return Op{Kind: kind, Keys: []string{key}, Run: func(ctx context.Context, _ []string) (map[string]error, error) { return nil, f(ctx) }}
}

// waitOrFail waits for ch, failing the test instead of hanging forever if a
// bug keeps it from closing. The deadline is a safety net, never what makes
// a test pass.
func waitOrFail(t *testing.T, ch <-chan struct{}, what string) bool {
	t.Helper()
	select {
	case <-ch:
		return true
	case <-time.After(30 * time.Second):
		t.Errorf("timed out waiting for %s", what)
		return false
	}
}
