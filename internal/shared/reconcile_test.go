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

// access is a member value like AttackForge's: the level changes in place,
// the role only by replacing the member, and a role left "" is not managed.
type access struct{ Level, Role string }

var accessDiffer = Differ[access]{Compare: func(want, have access) Difference {
	switch {
	case want.Role != "" && want.Role != have.Role:
		return Replace
	case want.Level != have.Level:
		return InPlace
	}
	return Same
}}

// summary renders Changes compactly: "kind:key" (+ "=replace", "/id",
// "!reason") per member, in order.
func summary[V any](ch Changes[V]) map[string][]string {
	out := map[string][]string{}
	add := func(kind string, ms []Member[V]) {
		for _, m := range ms {
			s := m.Key
			if m.ID != "" {
				s += "/" + m.ID
			}
			if m.Replace {
				s += "=replace"
			}
			if m.Unusable {
				s += "=unusable"
			}
			if m.Reason != "" {
				s += "!" + m.Reason
			}
			out[kind] = append(out[kind], s)
		}
	}
	add("invite", ch.Invite)
	add("update", ch.Update)
	add("remove", ch.Remove)
	add("unchanged", ch.Unchanged)
	add("protected", ch.Protected)
	return out
}

func TestMemberKey(t *testing.T) {
	for in, want := range map[string]string{
		"Jane@Example.COM":         "jane@example.com",
		"jane@example.com":         "jane@example.com",
		"Jane.Doe":                 "Jane.Doe", // a username: exact
		"620F1707C66EF8821D35EE17": "620F1707C66EF8821D35EE17",
		"":                         "",
	} {
		if got := MemberKey(in); got != want {
			t.Errorf("MemberKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDiff(t *testing.T) {
	obs := func(level, role, id string) Observed[access] {
		return Observed[access]{Value: access{level, role}, ID: id}
	}
	owner := Observed[access]{Value: access{"Edit", "Owner"}, ID: "o1", Protected: "the owner"}
	gone := Observed[access]{Value: access{"View", ""}, ID: "g1", Unusable: true}
	cases := []struct {
		name      string
		observed  map[string]Observed[access]
		wanted    map[string]access
		prior     map[string]access
		exclusive bool
		want      map[string][]string
	}{
		{name: "all empty", want: map[string][]string{}},
		{name: "empty maps, exclusive", observed: map[string]Observed[access]{}, wanted: map[string]access{}, prior: map[string]access{}, exclusive: true,
			want: map[string][]string{}},
		{
			name:   "create invites everyone wanted, sorted",
			wanted: map[string]access{"c@x.io": {"View", ""}, "a@x.io": {"Edit", "Pentester"}, "b@x.io": {"View", ""}},
			want:   map[string][]string{"invite": {"a@x.io", "b@x.io", "c@x.io"}},
		},
		{
			name:     "wanted and present the same is unchanged, with the observed id",
			observed: map[string]Observed[access]{"a@x.io": obs("View", "", "u1")},
			wanted:   map[string]access{"a@x.io": {"View", ""}},
			prior:    map[string]access{"a@x.io": {"View", ""}},
			want:     map[string][]string{"unchanged": {"a@x.io/u1"}},
		},
		{
			name:      "case-only rename of a key is the same member, keyed as wanted",
			observed:  map[string]Observed[access]{"jane@x.io": obs("View", "", "u1")},
			wanted:    map[string]access{"Jane@X.io": {"View", ""}},
			prior:     map[string]access{"jane@x.io": {"View", ""}},
			exclusive: true,
			want:      map[string][]string{"unchanged": {"Jane@X.io/u1"}},
		},
		{
			name:     "observed in another case than wanted and prior: an update keyed as wanted",
			observed: map[string]Observed[access]{"JANE@x.io": obs("View", "", "u1")},
			wanted:   map[string]access{"jane@X.io": {"Edit", ""}},
			prior:    map[string]access{"Jane@x.io": {"View", ""}},
			want:     map[string][]string{"update": {"jane@X.io/u1"}},
		},
		{
			name:     "usernames and ids are exact: a case change is another member",
			observed: map[string]Observed[access]{"jane": obs("View", "", "u1")},
			wanted:   map[string]access{"Jane": {"View", ""}},
			prior:    map[string]access{"jane": {"View", ""}},
			want:     map[string][]string{"invite": {"Jane"}, "remove": {"jane/u1"}},
		},
		{
			name:     "update in place vs replace",
			observed: map[string]Observed[access]{"a@x.io": obs("View", "Pentester", "u1"), "b@x.io": obs("View", "Pentester", "u2"), "c@x.io": obs("View", "Pentester", "u3")},
			wanted:   map[string]access{"a@x.io": {"Edit", "Pentester"}, "b@x.io": {"View", "Lead"}, "c@x.io": {"View", ""}},
			prior:    map[string]access{"a@x.io": {"View", "Pentester"}, "b@x.io": {"View", "Pentester"}, "c@x.io": {"View", "Pentester"}},
			want: map[string][]string{
				"update":    {"a@x.io/u1"},
				"remove":    {"b@x.io/u2=replace"},
				"invite":    {"b@x.io/u2=replace"},
				"unchanged": {"c@x.io/u3"}, // the role is not managed
			},
		},
		{
			name:      "exclusive removes every present member not wanted",
			observed:  map[string]Observed[access]{"a@x.io": obs("View", "", "u1"), "Stranger@x.io": obs("Edit", "", "u9")},
			wanted:    map[string]access{"a@x.io": {"View", ""}},
			prior:     map[string]access{"a@x.io": {"View", ""}},
			exclusive: true,
			want:      map[string][]string{"unchanged": {"a@x.io/u1"}, "remove": {"Stranger@x.io/u9"}},
		},
		{
			name:     "not exclusive: strangers are left alone, prior members not wanted are removed (keyed as in prior)",
			observed: map[string]Observed[access]{"a@x.io": obs("View", "", "u1"), "stranger@x.io": obs("Edit", "", "u9"), "old@x.io": obs("View", "", "u2")},
			wanted:   map[string]access{"a@x.io": {"View", ""}},
			prior:    map[string]access{"a@x.io": {"View", ""}, "Old@X.io": {"View", ""}},
			want:     map[string][]string{"unchanged": {"a@x.io/u1"}, "remove": {"Old@X.io/u2"}},
		},
		{
			name:      "removing a prior member already gone is a no-op, and a wanted one gone is invited again",
			observed:  map[string]Observed[access]{},
			wanted:    map[string]access{"back@x.io": {"View", ""}},
			prior:     map[string]access{"gone@x.io": {"View", ""}, "back@x.io": {"View", ""}},
			exclusive: true,
			want:      map[string][]string{"invite": {"back@x.io"}},
		},
		{
			name:      "protected and not wanted: never removed; reported only when in prior",
			observed:  map[string]Observed[access]{"owner@x.io": owner, "caller@x.io": {Value: access{"View", ""}, ID: "c1", Protected: "the caller"}},
			wanted:    map[string]access{},
			prior:     map[string]access{"Caller@x.io": {"View", ""}},
			exclusive: true,
			want:      map[string][]string{"protected": {"Caller@x.io/c1!the caller"}},
		},
		{
			name:     "protected and wanted: unchanged when equal, refused when different",
			observed: map[string]Observed[access]{"owner@x.io": owner, "caller@x.io": {Value: access{"View", ""}, ID: "c1", Protected: "the caller"}},
			wanted:   map[string]access{"owner@x.io": {"Edit", "Owner"}, "caller@x.io": {"Edit", ""}},
			want:     map[string][]string{"unchanged": {"owner@x.io/o1"}, "protected": {"caller@x.io/c1!the caller"}},
		},
		{
			name:     "protected and wanted with another role: refused, not replaced",
			observed: map[string]Observed[access]{"owner@x.io": owner},
			wanted:   map[string]access{"owner@x.io": {"Edit", "Lead"}},
			want:     map[string][]string{"protected": {"owner@x.io/o1!the owner"}},
		},
		{
			name:      "unusable counts as absent: invited when wanted, ignored otherwise (even when protected or in prior)",
			observed:  map[string]Observed[access]{"a@x.io": gone, "b@x.io": {Value: access{"View", ""}, ID: "g2", Unusable: true}, "c@x.io": {ID: "g3", Unusable: true, Protected: "the owner"}},
			wanted:    map[string]access{"A@x.io": {"View", ""}},
			prior:     map[string]access{"b@x.io": {"View", ""}},
			exclusive: true,
			want:      map[string][]string{"invite": {"A@x.io/g1=unusable"}},
		},
		{
			name:     "delete: nothing wanted, not exclusive: prior members present are removed, the protected and the gone are not",
			observed: map[string]Observed[access]{"a@x.io": obs("View", "", "u1"), "stranger@x.io": obs("View", "", "u9"), "owner@x.io": owner, "b@x.io": gone},
			prior:    map[string]access{"A@x.io": {"View", ""}, "owner@x.io": {"Edit", "Owner"}, "b@x.io": {"View", ""}, "c@x.io": {"View", ""}},
			want:     map[string][]string{"remove": {"A@x.io/u1"}, "protected": {"owner@x.io/o1!the owner"}},
		},
		{
			name: "keys that are the same member within one map: the first in sorted order wins",
			observed: map[string]Observed[access]{
				"dup@x.io": obs("View", "", "u2"),
				"DUP@x.io": obs("Edit", "", "u1"), // sorts first
			},
			wanted:    map[string]access{"Dup@x.io": {"Edit", ""}, "dup@X.io": {"View", ""}}, // "Dup@x.io" sorts first
			exclusive: true,
			want:      map[string][]string{"unchanged": {"Dup@x.io/u1"}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := summary(accessDiffer.Diff(tc.observed, tc.wanted, tc.prior, tc.exclusive))
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Diff:\n got  %v\n want %v", got, tc.want)
			}
		})
	}
}

func TestDiff_membersCarryValues(t *testing.T) {
	ch := accessDiffer.Diff(
		map[string]Observed[access]{"a@x.io": {Value: access{"View", "Lead"}, ID: "u1"}, "gone@x.io": {Value: access{"Edit", ""}, ID: "u2"}},
		map[string]access{"A@x.io": {"Edit", ""}},
		map[string]access{"gone@x.io": {"Edit", ""}}, false)
	want := Changes[access]{
		Update: []Member[access]{{Key: "A@x.io", Want: access{"Edit", ""}, Have: access{"View", "Lead"}, ID: "u1", Wanted: true, Present: true}},
		Remove: []Member[access]{{Key: "gone@x.io", Have: access{"Edit", ""}, ID: "u2", Present: true}},
	}
	if !reflect.DeepEqual(ch, want) {
		t.Fatalf("Diff = %+v, want %+v", ch, want)
	}
	if ch.Empty() {
		t.Fatal("Empty() with an update and a removal")
	}
	if onlyUnchanged := (Changes[access]{Unchanged: ch.Update}); !onlyUnchanged.Empty() {
		t.Fatal("Empty() false with unchanged members only")
	}
}

func TestDiff_defaultCompareAndPurity(t *testing.T) {
	observed := map[string]Observed[string]{"a@x.io": {Value: "User", ID: "1"}, "b@x.io": {Value: "Guest", ID: "2"}}
	wanted := map[string]string{"a@x.io": "User", "b@x.io": "RoomAdmin"}
	var d Differ[string] // nil Compare: reflect.DeepEqual
	ch := d.Diff(observed, wanted, nil, false)
	got := summary(ch)
	want := map[string][]string{"unchanged": {"a@x.io/1"}, "update": {"b@x.io/2"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Diff = %v, want %v", got, want)
	}
	if len(observed) != 2 || len(wanted) != 2 || observed["b@x.io"].Value != "Guest" {
		t.Fatal("Diff changed its arguments")
	}
	// deterministic: the same input gives the same output
	for range 20 {
		if again := d.Diff(observed, wanted, nil, false); !reflect.DeepEqual(again, ch) {
			t.Fatalf("Diff is not deterministic: %v then %v", ch, again)
		}
	}
}

func TestSettle(t *testing.T) {
	observed := map[string]Observed[access]{
		"same@x.io":    {Value: access{"View", ""}, ID: "1"},
		"upd-ok@x.io":  {Value: access{"View", ""}, ID: "2"},
		"upd-bad@x.io": {Value: access{"View", ""}, ID: "3"},
		"rm-ok@x.io":   {Value: access{"View", ""}, ID: "4"},
		"rm-bad@x.io":  {Value: access{"Edit", ""}, ID: "5"},
		"rep-ok@x.io":  {Value: access{"View", "A"}, ID: "6"},
		"rep-rm@x.io":  {Value: access{"View", "A"}, ID: "7"},
		"rep-inv@x.io": {Value: access{"View", "A"}, ID: "8"},
		"owner@x.io":   {Value: access{"Edit", "Owner"}, ID: "9", Protected: "the owner"},
		"caller@x.io":  {Value: access{"View", ""}, ID: "10", Protected: "the caller"},
	}
	wanted := map[string]access{
		"Same@x.io":    {"View", ""}, // a case-only rename
		"upd-ok@x.io":  {"Edit", ""},
		"upd-bad@x.io": {"Edit", ""},
		"inv-ok@x.io":  {"View", ""},
		"inv-bad@x.io": {"View", ""},
		"rep-ok@x.io":  {"View", "B"},
		"rep-rm@x.io":  {"View", "B"},
		"rep-inv@x.io": {"View", "B"},
		"owner@x.io":   {"View", ""},
	}
	prior := map[string]access{"same@x.io": {"View", ""}, "caller@x.io": {"View", ""}}
	ch := accessDiffer.Diff(observed, wanted, prior, true)

	t.Run("everything succeeded: exactly the wanted map, but the refused change", func(t *testing.T) {
		out := &Outcomes{}
		for _, m := range ch.Invite {
			out.Record(OpInvite, m.Key, nil)
		}
		for _, m := range ch.Update {
			out.Record(OpUpdate, m.Key, nil)
		}
		for _, m := range ch.Remove {
			out.Record(OpRemove, m.Key, nil)
		}
		want := map[string]access{}
		for k, v := range wanted {
			want[k] = v
		}
		want["owner@x.io"] = access{"Edit", "Owner"} // protected: refused
		if got := ch.Settle(out); !reflect.DeepEqual(got, want) {
			t.Fatalf("Settle:\n got  %v\n want %v", got, want)
		}
	})
	t.Run("partial failure keeps what succeeded", func(t *testing.T) {
		boom := errors.New("boom")
		out := &Outcomes{}
		out.Record(OpUpdate, "upd-ok@x.io", nil)
		out.Record(OpUpdate, "upd-bad@x.io", boom)
		out.Record(OpInvite, "inv-ok@x.io", nil)
		out.Record(OpInvite, "inv-bad@x.io", boom)
		out.Record(OpRemove, "rm-ok@x.io", nil)
		out.Record(OpRemove, "rm-bad@x.io", boom)
		out.Record(OpRemove, "rep-ok@x.io", nil)
		out.Record(OpInvite, "rep-ok@x.io", nil)
		out.Record(OpRemove, "rep-rm@x.io", boom)
		out.Record(OpInvite, "rep-rm@x.io", fmt.Errorf("%w", ErrSkipped))
		out.Record(OpRemove, "rep-inv@x.io", nil)
		out.Record(OpInvite, "rep-inv@x.io", boom)
		want := map[string]access{
			"Same@x.io":    {"View", ""},
			"upd-ok@x.io":  {"Edit", ""},
			"upd-bad@x.io": {"View", ""}, // the old value
			"inv-ok@x.io":  {"View", ""},
			// inv-bad: absent
			// rm-ok: absent
			"rm-bad@x.io": {"Edit", ""}, // still there
			"rep-ok@x.io": {"View", "B"},
			"rep-rm@x.io": {"View", "A"}, // not removed: still the old one
			// rep-inv: removed, not invited again: absent
			"owner@x.io": {"Edit", "Owner"},
			// caller: protected, dropped from members: absent
		}
		if got := ch.Settle(out); !reflect.DeepEqual(got, want) {
			t.Fatalf("Settle:\n got  %v\n want %v", got, want)
		}
	})
	t.Run("nothing executed: the members as observed", func(t *testing.T) {
		want := map[string]access{
			"Same@x.io":    {"View", ""},
			"upd-ok@x.io":  {"View", ""},
			"upd-bad@x.io": {"View", ""},
			"rm-ok@x.io":   {"View", ""},
			"rm-bad@x.io":  {"Edit", ""},
			"rep-ok@x.io":  {"View", "A"},
			"rep-rm@x.io":  {"View", "A"},
			"rep-inv@x.io": {"View", "A"},
			"owner@x.io":   {"Edit", "Owner"},
		}
		if got := ch.Settle(nil); !reflect.DeepEqual(got, want) {
			t.Fatalf("Settle(nil):\n got  %v\n want %v", got, want)
		}
	})
}

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
func Example_reconcile() {
	// The platform as listed by the observe step (one listing).
	portal := map[string]Observed[string]{
		"owner@example.com": {Value: "DocSpaceAdmin", ID: "u0", Protected: "the portal owner"},
		"jane@example.com":  {Value: "User", ID: "u1"},
		"bob@example.com":   {Value: "User", ID: "u2"},
		"old@example.com":   {Value: "Guest", ID: "u3", Unusable: true}, // terminated
	}
	prior := map[string]string{"jane@example.com": "User", "bob@example.com": "User"}        // state
	wanted := map[string]string{"Jane@example.com": "RoomAdmin", "old@example.com": "Guest"} // plan

	var d Differ[string] // values compared with ==
	ch := d.Diff(portal, wanted, prior, false)

	// One request per invitation; removals in one batched request.
	invites := EachOp(OpInvite, ch.Invite, func(ctx context.Context, m Member[string]) error {
		fmt.Printf("POST invite %s as %s\n", m.Key, m.Want)
		return nil
	})
	updates := EachOp(OpUpdate, ch.Update, func(ctx context.Context, m Member[string]) error {
		fmt.Printf("PUT type of %s (%s) to %s\n", m.Key, m.ID, m.Want)
		return errors.New("HTTP 403: the caller may not change types")
	})
	removes := BatchOps(OpRemove, ch.Remove, 100, func(ctx context.Context, ms []Member[string]) (map[string]error, error) {
		fmt.Printf("DELETE %d user(s)\n", len(ms))
		return nil, nil
	})
	// Stages run in order (the output is deterministic only because the
	// stages here hold one op each).
	out := Execute(context.Background(), DefaultConcurrency, removes, invites, updates)

	for _, f := range out.Failures() {
		if !f.Skipped {
			fmt.Printf("error: could not %s %s: %v\n", f.Kind, f.Key, f.Err)
		}
	}
	settled := ch.Settle(out) // what to write to state
	for _, k := range sortedKeys(settled) {
		fmt.Printf("state: %s = %s\n", k, settled[k])
	}
	// Output:
	// DELETE 1 user(s)
	// POST invite old@example.com as Guest
	// PUT type of Jane@example.com (u1) to RoomAdmin
	// error: could not update Jane@example.com: HTTP 403: the caller may not change types
	// state: Jane@example.com = User
	// state: old@example.com = Guest
}
