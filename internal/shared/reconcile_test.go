package shared

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"testing"
)

// access is a member value like AttackForge's: the level changes in place,
// the role only by replacing the member, and a role left "" is not managed.
type access struct{ Level, Role string }

func accessCompare(want, have access) Difference {
	switch {
	case want.Role != "" && want.Role != have.Role:
		return Replace
	case want.Level != have.Level:
		return InPlace
	}
	return Same
}

// summary renders Changes compactly: "kind:key" (+ "=replace", "/id",
// "!reason", "~unlisted") per member, in order.
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
			if m.Unlisted {
				s += "~unlisted"
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

func rm(keys ...string) []Removal {
	var out []Removal
	for _, k := range keys {
		out = append(out, Removal{Key: k})
	}
	return out
}

func TestDiff(t *testing.T) {
	obs := func(level, role, id string) Observed[access] {
		return Observed[access]{Value: access{level, role}, ID: id}
	}
	owner := Observed[access]{Value: access{"Edit", "Owner"}, ID: "o1", Protected: "the owner"}
	gone := Observed[access]{Value: access{"View", ""}, ID: "g1", Unusable: true}
	cases := []struct {
		name     string
		observed map[string]Observed[access]
		wanted   map[string]access
		prior    map[string]access
		remove   []Removal
		want     map[string][]string
	}{
		{name: "all empty", want: map[string][]string{}},
		{
			name:   "create invites everyone wanted, sorted",
			wanted: map[string]access{"c@x.io": {"View", ""}, "a@x.io": {"Edit", "Pentester"}, "b@x.io": {"View", ""}},
			want:   map[string][]string{"invite": {"a@x.io", "b@x.io", "c@x.io"}},
		},
		{
			name:     "create adopts: present and the same is unchanged, present and different is updated, nobody else is touched",
			observed: map[string]Observed[access]{"a@x.io": obs("View", "", "u1"), "b@x.io": obs("View", "", "u2"), "stranger@x.io": obs("Edit", "", "u9")},
			wanted:   map[string]access{"a@x.io": {"View", ""}, "b@x.io": {"Edit", ""}},
			want:     map[string][]string{"unchanged": {"a@x.io/u1"}, "update": {"b@x.io/u2"}},
		},
		{
			name:     "a member the plan leaves as it was is unchanged even if the platform drifted since",
			observed: map[string]Observed[access]{"a@x.io": obs("Edit", "", "u1")},
			wanted:   map[string]access{"a@x.io": {"View", ""}},
			prior:    map[string]access{"a@x.io": {"View", ""}},
			want:     map[string][]string{"unchanged": {"a@x.io/u1"}},
		},
		{
			name:     "a member the plan leaves as it was and that vanished since is not invited again",
			observed: map[string]Observed[access]{},
			wanted:   map[string]access{"a@x.io": {"View", ""}},
			prior:    map[string]access{"a@x.io": {"View", ""}},
			want:     map[string][]string{"unchanged": {"a@x.io"}},
		},
		{
			name:     "case-only rename of a key is the same member, keyed as wanted",
			observed: map[string]Observed[access]{"jane@x.io": obs("View", "", "u1")},
			wanted:   map[string]access{"Jane@X.io": {"View", ""}},
			prior:    map[string]access{"jane@x.io": {"View", ""}},
			want:     map[string][]string{"unchanged": {"Jane@X.io/u1"}},
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
			remove:   rm("jane"),
			want:     map[string][]string{"invite": {"Jane"}, "remove": {"jane/u1"}},
		},
		{
			name:     "update in place vs replace",
			observed: map[string]Observed[access]{"a@x.io": obs("View", "Pentester", "u1"), "b@x.io": obs("View", "Pentester", "u2"), "c@x.io": obs("View", "Pentester", "u3")},
			wanted:   map[string]access{"a@x.io": {"Edit", "Pentester"}, "b@x.io": {"View", "Lead"}, "c@x.io": {"Edit", ""}},
			prior:    map[string]access{"a@x.io": {"View", "Pentester"}, "b@x.io": {"View", "Pentester"}, "c@x.io": {"View", ""}},
			want: map[string][]string{
				"update": {"a@x.io/u1", "c@x.io/u3"}, // c's role is not managed
				"remove": {"b@x.io/u2=replace"},
				"invite": {"b@x.io/u2=replace"},
			},
		},
		{
			name:     "only the given removals are removed: a stranger present is left alone",
			observed: map[string]Observed[access]{"a@x.io": obs("View", "", "u1"), "stranger@x.io": obs("Edit", "", "u9"), "old@x.io": obs("View", "", "u2")},
			wanted:   map[string]access{"a@x.io": {"View", ""}},
			prior:    map[string]access{"a@x.io": {"View", ""}, "Old@X.io": {"View", ""}},
			remove:   rm("Old@X.io"),
			want:     map[string][]string{"unchanged": {"a@x.io/u1"}, "remove": {"Old@X.io/u2"}},
		},
		{
			name:     "an unlisted removal carries its origin",
			observed: map[string]Observed[access]{"bob@x.io": obs("View", "", "u5")},
			wanted:   map[string]access{},
			prior:    map[string]access{},
			remove:   []Removal{{Key: "bob@x.io", Unlisted: true}},
			want:     map[string][]string{"remove": {"bob@x.io/u5~unlisted"}},
		},
		{
			name:     "a removal that is wanted after all is not removed",
			observed: map[string]Observed[access]{"bob@x.io": obs("View", "", "u5")},
			wanted:   map[string]access{"Bob@x.io": {"View", ""}},
			prior:    map[string]access{},
			remove:   []Removal{{Key: "bob@x.io", Unlisted: true}},
			want:     map[string][]string{"unchanged": {"Bob@x.io/u5"}},
		},
		{
			name:     "removing someone already gone is a no-op, and a wanted one gone is invited again",
			observed: map[string]Observed[access]{},
			wanted:   map[string]access{"back@x.io": {"Edit", ""}},
			prior:    map[string]access{"gone@x.io": {"View", ""}, "back@x.io": {"View", ""}},
			remove:   rm("gone@x.io"),
			want:     map[string][]string{"invite": {"back@x.io"}},
		},
		{
			name:     "protected: never removed, reported",
			observed: map[string]Observed[access]{"owner@x.io": owner, "caller@x.io": {Value: access{"View", ""}, ID: "c1", Protected: "the caller"}},
			wanted:   map[string]access{},
			prior:    map[string]access{"Caller@x.io": {"View", ""}},
			remove:   rm("Caller@x.io"),
			want:     map[string][]string{"protected": {"Caller@x.io/c1!the caller"}},
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
			name:     "unusable counts as absent: invited when wanted, not removed",
			observed: map[string]Observed[access]{"a@x.io": gone, "b@x.io": {Value: access{"View", ""}, ID: "g2", Unusable: true}},
			wanted:   map[string]access{"A@x.io": {"View", ""}},
			prior:    map[string]access{"b@x.io": {"View", ""}},
			remove:   rm("b@x.io"),
			want:     map[string][]string{"invite": {"A@x.io/g1=unusable"}},
		},
		{
			name:     "destroy: the prior members present are removed, the protected and the gone are not",
			observed: map[string]Observed[access]{"a@x.io": obs("View", "", "u1"), "stranger@x.io": obs("View", "", "u9"), "owner@x.io": owner, "b@x.io": gone},
			prior:    map[string]access{"A@x.io": {"View", ""}, "owner@x.io": {"Edit", "Owner"}, "b@x.io": {"View", ""}, "c@x.io": {"View", ""}},
			remove:   rm("A@x.io", "b@x.io", "c@x.io", "owner@x.io"),
			want:     map[string][]string{"remove": {"A@x.io/u1"}, "protected": {"owner@x.io/o1!the owner"}},
		},
		{
			name: "keys that are the same member within one map: the first in sorted order wins",
			observed: map[string]Observed[access]{
				"dup@x.io": obs("View", "", "u2"),
				"DUP@x.io": obs("Edit", "", "u1"), // sorts first
			},
			wanted: map[string]access{"Dup@x.io": {"Edit", ""}, "dup@X.io": {"View", ""}}, // "Dup@x.io" sorts first
			want:   map[string][]string{"unchanged": {"Dup@x.io/u1"}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := summary(Diff(accessCompare, tc.observed, tc.wanted, tc.prior, tc.remove))
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Diff:\n got  %v\n want %v", got, tc.want)
			}
		})
	}
}

func TestDiff_defaultCompareAndPurity(t *testing.T) {
	observed := map[string]Observed[string]{"a@x.io": {Value: "User", ID: "1"}, "b@x.io": {Value: "Guest", ID: "2"}}
	wanted := map[string]string{"a@x.io": "User", "b@x.io": "RoomAdmin"}
	ch := Diff(nil, observed, wanted, nil, nil) // nil Compare: reflect.DeepEqual
	got := summary(ch)
	want := map[string][]string{"unchanged": {"a@x.io/1"}, "update": {"b@x.io/2"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Diff = %v, want %v", got, want)
	}
	if len(observed) != 2 || len(wanted) != 2 || observed["b@x.io"].Value != "Guest" {
		t.Fatal("Diff changed its arguments")
	}
	for range 20 {
		if again := Diff(nil, observed, wanted, nil, nil); !reflect.DeepEqual(again, ch) {
			t.Fatalf("Diff is not deterministic: %v then %v", ch, again)
		}
	}
	if ch.Empty() {
		t.Fatal("Empty() with an update")
	}
	if onlyUnchanged := (Changes[string]{Unchanged: ch.Update}); !onlyUnchanged.Empty() {
		t.Fatal("Empty() false with unchanged members only")
	}
}

func TestSettle(t *testing.T) {
	observed := map[string]Observed[access]{
		"same@x.io":    {Value: access{"View", ""}, ID: "1"},
		"upd-ok@x.io":  {Value: access{"View", ""}, ID: "2"},
		"upd-bad@x.io": {Value: access{"View", "Lead"}, ID: "3"},
		"rm-ok@x.io":   {Value: access{"View", ""}, ID: "4"},
		"rm-bad@x.io":  {Value: access{"Edit", ""}, ID: "5"},
		"rep-ok@x.io":  {Value: access{"View", "A"}, ID: "6"},
		"rep-rm@x.io":  {Value: access{"View", "A"}, ID: "7"},
		"rep-inv@x.io": {Value: access{"View", "A"}, ID: "8"},
		"owner@x.io":   {Value: access{"Edit", "Owner"}, ID: "9", Protected: "the owner"},
		"caller@x.io":  {Value: access{"View", ""}, ID: "10", Protected: "the caller"},
		"un-ok@x.io":   {Value: access{"View", ""}, ID: "11"},
		"un-bad@x.io":  {Value: access{"View", ""}, ID: "12"},
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
	prior := map[string]access{"same@x.io": {"View", ""}, "caller@x.io": {"View", ""}, "rm-ok@x.io": {"View", ""}, "rm-bad@x.io": {"Edit", ""}}
	remove := append(rm("caller@x.io", "rm-ok@x.io", "rm-bad@x.io"), Removal{Key: "un-ok@x.io", Unlisted: true}, Removal{Key: "un-bad@x.io", Unlisted: true})
	ch := Diff(accessCompare, observed, wanted, prior, remove)
	// shape drops the role where the wanted value does not manage one
	shape := func(have, like access) access {
		if like.Role == "" {
			have.Role = ""
		}
		return have
	}
	succeed := func() *Outcomes {
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
		return out
	}

	t.Run("everything succeeded: exactly the wanted map, but the refused change and the protected removal", func(t *testing.T) {
		want := maps.Clone(wanted)
		want["owner@x.io"] = access{"Edit", ""}  // protected: refused, shaped like the wanted value
		want["caller@x.io"] = access{"View", ""} // protected: not removed
		got := ch.Settle(succeed(), shape, nil)
		if !reflect.DeepEqual(got.Members, want) || len(got.KeptUnlisted) != 0 {
			t.Fatalf("Settle:\n got  %v %v\n want %v", got.Members, got.KeptUnlisted, want)
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
		out.Record(OpRemove, "un-ok@x.io", nil)
		out.Record(OpRemove, "un-bad@x.io", boom)
		want := map[string]access{
			"Same@x.io":    {"View", ""},
			"upd-ok@x.io":  {"Edit", ""},
			"upd-bad@x.io": {"View", ""}, // the old value, shaped
			"inv-ok@x.io":  {"View", ""},
			// inv-bad: absent; rm-ok: absent
			"rm-bad@x.io": {"Edit", ""}, // still there
			"rep-ok@x.io": {"View", "B"},
			"rep-rm@x.io": {"View", "A"}, // not removed: still the old one
			// rep-inv: removed, not invited again: absent
			"owner@x.io":  {"Edit", ""},
			"caller@x.io": {"View", ""},
		}
		got := ch.Settle(out, shape, nil)
		if !reflect.DeepEqual(got.Members, want) {
			t.Fatalf("Settle:\n got  %v\n want %v", got.Members, want)
		}
		if len(got.KeptUnlisted) != 1 || got.KeptUnlisted[0].Key != "un-bad@x.io" {
			t.Fatalf("KeptUnlisted = %v, want un-bad@x.io only", got.KeptUnlisted)
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
			"owner@x.io":   {"Edit", ""},
			"caller@x.io":  {"View", ""},
		}
		got := ch.Settle(nil, shape, nil)
		if !reflect.DeepEqual(got.Members, want) || len(got.KeptUnlisted) != 2 {
			t.Fatalf("Settle(nil):\n got  %v %v\n want %v", got.Members, got.KeptUnlisted, want)
		}
	})
}
