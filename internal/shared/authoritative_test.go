package shared

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// fakePlatform is an in-memory platform for the engine: people by email
// with a type, the calls it received, and failures to inject.
type fakePlatform struct {
	mu       sync.Mutex
	people   map[string]fakePerson
	calls    []string
	fail     map[string]bool // "remove:a@x", "invite:b@x", "update:c@x"
	ignore   map[string]bool // acknowledged but not done: "update:c@x"
	listErr  error
	readBack bool
	lists    int
}

type fakePerson struct {
	typ, id, protected string
	admin, unusable    bool
}

func newFake(people map[string]string) *fakePlatform {
	f := &fakePlatform{people: map[string]fakePerson{}, fail: map[string]bool{}, ignore: map[string]bool{}}
	for e, typ := range people {
		f.people[e] = fakePerson{typ: typ, id: "id-" + e, admin: typ == "Admin"}
	}
	return f
}

func (f *fakePlatform) set(email string, p fakePerson) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if p.id == "" {
		p.id = "id-" + email
	}
	f.people[email] = p
}

func (f *fakePlatform) has(email string) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p, ok := f.people[email]
	return p.typ, ok
}

func (f *fakePlatform) callList() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := slices.Clone(f.calls)
	slices.Sort(out)
	return out
}

func (f *fakePlatform) observe(context.Context, string, map[string]string, bool) (map[string]Observed[string], diag.Diagnostics, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lists++
	if f.listErr != nil {
		return nil, nil, f.listErr
	}
	out := map[string]Observed[string]{}
	for e, p := range f.people {
		out[e] = Observed[string]{Value: p.typ, ID: p.id, Protected: p.protected, Admin: p.admin, Unusable: p.unusable, Label: p.typ, Status: "status-" + p.typ}
	}
	return out, nil, nil
}

func (f *fakePlatform) op(kind string, apply func(m Member[string])) OpFunc[string, string] {
	return func(_ context.Context, _ string, ms []Member[string], found Found[string]) (map[string]error, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		errs := map[string]error{}
		for _, m := range ms {
			f.calls = append(f.calls, kind+":"+m.Key)
			if f.fail[kind+":"+m.Key] {
				errs[m.Key] = fmt.Errorf("%s %s failed", kind, m.Key)
				continue
			}
			if !f.ignore[kind+":"+m.Key] {
				apply(m)
			}
			found(m.Key, Observed[string]{ID: "id-" + MemberKey(m.Key), Status: "learnt"})
		}
		return errs, nil
	}
}

func (f *fakePlatform) engine() *Engine[string, string] {
	e := &Engine[string, string]{
		Name: "fake", Title: "Fake",
		Where:   func(s string) string { return "the workspace " + s },
		Observe: f.observe,
		IsAdmin: func(v string) bool { return v == "Admin" },
		SendRemove: f.op("remove", func(m Member[string]) {
			delete(f.people, MemberKey(m.Key))
		}),
		SendInvite: f.op("invite", func(m Member[string]) {
			f.people[MemberKey(m.Key)] = fakePerson{typ: m.Want, id: "id-" + MemberKey(m.Key), admin: m.Want == "Admin"}
		}),
		SendUpdate: f.op("update", func(m Member[string]) {
			p := f.people[MemberKey(m.Key)]
			p.typ, p.admin, p.unusable = m.Want, m.Want == "Admin", false
			f.people[MemberKey(m.Key)] = p
		}),
	}
	if f.readBack {
		e.ReadBack = func(ctx context.Context, s string) (map[string]Observed[string], error) {
			found, _, err := f.observe(ctx, s, nil, true)
			return found, err
		}
		e.VerifyHint = "The fake ignores some changes: make them by hand."
	}
	return e
}

func snap(members map[string]string, unlisted map[string]string, exclusive bool) Snapshot[string] {
	return Snapshot[string]{Members: members, Unlisted: unlisted, Exclusive: exclusive}
}

func errText(d diag.Diagnostics) string {
	var b strings.Builder
	for _, x := range d {
		fmt.Fprintf(&b, "[%s] %s: %s\n", x.Severity(), x.Summary(), x.Detail())
	}
	return b.String()
}

var ctx = context.Background()

func TestEngineRead(t *testing.T) {
	f := newFake(map[string]string{"a@x.io": "User", "b@x.io": "Admin", "stranger@x.io": "User", "owner@x.io": "Owner", "gone-ish@x.io": "User", "keep@vip.io": "User"})
	f.set("owner@x.io", fakePerson{typ: "Owner", protected: "the owner", admin: true})
	f.set("gone-ish@x.io", fakePerson{typ: "User", unusable: true})
	e := f.engine()
	g := Guardrails{Protected: []string{"*@VIP.io"}}
	prior := snap(map[string]string{"A@x.io": "Admin", "vanished@x.io": "User", "gone-ish@x.io": "User"}, nil, true)
	prior.Statuses = map[string]string{"A@x.io": "old"}

	t.Run("exclusive: listed members as observed, keyed as before; everyone else removable is unlisted", func(t *testing.T) {
		got, diags := e.Read(ctx, "w", prior, g)
		if diags.HasError() {
			t.Fatal(errText(diags))
		}
		if want := map[string]string{"A@x.io": "User"}; !maps.Equal(got.Members, want) {
			t.Errorf("members %v, want %v (vanished and unusable dropped, the drift of A shows)", got.Members, want)
		}
		if want := map[string]string{"b@x.io": "Admin", "stranger@x.io": "User"}; !maps.Equal(got.Unlisted, want) {
			t.Errorf("unlisted %v, want %v (never the protected, the unusable or the protected_members)", got.Unlisted, want)
		}
		if got.IDs["A@x.io"] != "id-a@x.io" || got.Statuses["A@x.io"] != "status-User" || !got.Exclusive {
			t.Errorf("ids %v statuses %v exclusive %v", got.IDs, got.Statuses, got.Exclusive)
		}
	})
	t.Run("not exclusive: nobody unlisted", func(t *testing.T) {
		p := prior
		p.Exclusive = false
		got, _ := e.Read(ctx, "w", p, g)
		if len(got.Unlisted) != 0 || len(got.Members) != 1 {
			t.Errorf("%+v", got)
		}
	})
	t.Run("import (nil members): everyone removable is adopted into members", func(t *testing.T) {
		got, _ := e.Read(ctx, "w", Snapshot[string]{}, g)
		if want := map[string]string{"a@x.io": "User", "b@x.io": "Admin", "stranger@x.io": "User"}; !maps.Equal(got.Members, want) || len(got.Unlisted) != 0 || !got.Exclusive {
			t.Errorf("%+v", got)
		}
	})
	t.Run("a stale status keeps the last known one", func(t *testing.T) {
		e := f.engine()
		e.StaleStatus = "status-User"
		got, _ := e.Read(ctx, "w", prior, g)
		if got.Statuses["A@x.io"] != "old" {
			t.Errorf("statuses %v", got.Statuses)
		}
	})
	t.Run("a failing listing fails the read and keeps the state", func(t *testing.T) {
		f.listErr = errors.New("boom")
		defer func() { f.listErr = nil }()
		got, diags := e.Read(ctx, "w", prior, g)
		if !diags.HasError() || !reflect.DeepEqual(got, prior) || !strings.Contains(errText(diags), "Could not read the members of the workspace w") {
			t.Errorf("%v %s", got, errText(diags))
		}
	})
}

func TestEnginePlan(t *testing.T) {
	base := map[string]string{"a@x.io": "User", "b@x.io": "User", "owner@x.io": "Owner", "admin@x.io": "Admin"}
	newEngine := func() (*fakePlatform, *Engine[string, string]) {
		f := newFake(base)
		f.set("owner@x.io", fakePerson{typ: "Owner", protected: "the owner"})
		return f, f.engine()
	}
	limit := func(n int64) *int64 { return &n }
	cases := []struct {
		name           string
		prior, planned *Snapshot[string]
		g              Guardrails
		errs, warns    []string // substrings, in order of appearance
		noListing      bool
	}{
		{
			name:    "create: adopts, warns who it changes and who is unlisted, removes nobody",
			planned: &Snapshot[string]{Members: map[string]string{"a@x.io": "Admin", "new@x.io": "User"}, Exclusive: true},
			warns:   []string{"changes 1 people", "a@x.io (now User)", "2 people on the workspace w are not in members", "admin@x.io (Admin)", "b@x.io (User)"},
		},
		{
			name:    "create: a protected member listed as something else is refused",
			planned: &Snapshot[string]{Members: map[string]string{"owner@x.io": "User"}},
			errs:    []string{"Fake refuses to change owner@x.io", "the owner"},
		},
		{
			name:      "update that changes nothing: no listing, nothing to say",
			prior:     &Snapshot[string]{Members: map[string]string{"a@x.io": "User"}, Unlisted: map[string]string{}, Exclusive: true},
			planned:   &Snapshot[string]{Members: map[string]string{"A@X.io": "User"}, Exclusive: true},
			noListing: true,
		},
		{
			name:    "update: more removals than the limit fails, listing them",
			prior:   &Snapshot[string]{Members: map[string]string{"a@x.io": "User"}, Unlisted: map[string]string{"b@x.io": "User", "admin@x.io": "Admin"}, Exclusive: true},
			planned: &Snapshot[string]{Members: map[string]string{}, Exclusive: true, MaxRemovals: limit(2)},
			errs:    []string{"The plan removes 3 people from the workspace w, more than max_removals (2)", "a@x.io\n  admin@x.io\n  b@x.io", "max_removals = 3"},
		},
		{
			name:    "update: the provider's limit applies when the resource sets none; the resource's wins",
			prior:   &Snapshot[string]{Members: map[string]string{"a@x.io": "User", "b@x.io": "User"}, Exclusive: false},
			planned: &Snapshot[string]{Members: map[string]string{}, Exclusive: false},
			g:       Guardrails{MaxRemovals: limit(1)},
			errs:    []string{"more than max_removals (1)"},
		},
		{
			name:    "update: exclusive off keeps unlisted_members: nobody in it is removed or counted",
			prior:   &Snapshot[string]{Members: map[string]string{"a@x.io": "User"}, Unlisted: map[string]string{"b@x.io": "User", "admin@x.io": "Admin"}, Exclusive: true},
			planned: &Snapshot[string]{Members: map[string]string{"a@x.io": "User"}, Exclusive: false, MaxRemovals: limit(0)},
		},
		{
			name:    "update: dropping a protected member is refused",
			prior:   &Snapshot[string]{Members: map[string]string{"owner@x.io": "Owner", "a@x.io": "User"}},
			planned: &Snapshot[string]{Members: map[string]string{"a@x.io": "User"}},
			errs:    []string{"The plan would remove owner@x.io, which is protected", "the owner"},
		},
		{
			name:    "update: protected_members are refused too",
			prior:   &Snapshot[string]{Members: map[string]string{"a@x.io": "User", "b@x.io": "User"}},
			planned: &Snapshot[string]{Members: map[string]string{"b@x.io": "User"}},
			g:       Guardrails{Protected: []string{"a@*"}},
			errs:    []string{"The plan would remove a@x.io, which is protected", `protected_members ("a@*")`},
		},
		{
			name:    "update: removing or downgrading the last administrator is refused",
			prior:   &Snapshot[string]{Members: map[string]string{"admin@x.io": "Admin", "a@x.io": "User"}},
			planned: &Snapshot[string]{Members: map[string]string{"admin@x.io": "User", "a@x.io": "User"}},
			errs:    []string{"without an administrator", "admin@x.io (no longer an administrator)"},
		},
		{
			name:    "update: the last administrator may go when another becomes one",
			prior:   &Snapshot[string]{Members: map[string]string{"admin@x.io": "Admin", "a@x.io": "User"}},
			planned: &Snapshot[string]{Members: map[string]string{"a@x.io": "Admin"}},
		},
		{
			name:  "destroy: protected members are left with a warning; the limit applies",
			prior: &Snapshot[string]{Members: map[string]string{"owner@x.io": "Owner", "a@x.io": "User", "b@x.io": "User"}, MaxRemovals: limit(1)},
			warns: []string{"owner@x.io keeps access to the workspace w"},
			errs:  []string{"The plan removes 2 people", "If destroying the resource should remove them all", "removed block with lifecycle { destroy = false }"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, e := newEngine()
			diags := e.Plan(ctx, "w", tc.prior, tc.planned, tc.g)
			check := func(kind string, got diag.Diagnostics, want []string) {
				text := errText(got)
				if len(want) == 0 && len(got) > 0 {
					t.Errorf("unexpected %s:\n%s", kind, text)
				}
				for _, w := range want {
					if !strings.Contains(text, w) {
						t.Errorf("%s lack %q:\n%s", kind, w, text)
					}
				}
			}
			check("errors", diags.Errors(), tc.errs)
			check("warnings", diags.Warnings(), tc.warns)
			if tc.noListing && f.lists != 0 {
				t.Errorf("%d listings, want none", f.lists)
			}
			if len(f.callList()) != 0 {
				t.Errorf("a plan sent %v", f.callList())
			}
		})
	}
}

func TestEngineCreate(t *testing.T) {
	t.Run("adopts: updates who differs, invites who is missing, removes nobody; the others are unlisted", func(t *testing.T) {
		f := newFake(map[string]string{"a@x.io": "User", "b@x.io": "User", "stranger@x.io": "User"})
		got, ok, diags := f.engine().Create(ctx, "w", snap(map[string]string{"a@x.io": "User", "B@x.io": "Admin", "new@x.io": "User"}, nil, true), Guardrails{})
		if !ok || diags.HasError() {
			t.Fatal(errText(diags))
		}
		if want := []string{"invite:new@x.io", "update:B@x.io"}; !reflect.DeepEqual(f.callList(), want) {
			t.Errorf("calls %v, want %v", f.callList(), want)
		}
		if want := map[string]string{"a@x.io": "User", "B@x.io": "Admin", "new@x.io": "User"}; !maps.Equal(got.Members, want) {
			t.Errorf("members %v", got.Members)
		}
		if want := map[string]string{"stranger@x.io": "User"}; !maps.Equal(got.Unlisted, want) {
			t.Errorf("unlisted %v", got.Unlisted)
		}
		if got.IDs["new@x.io"] != "id-new@x.io" || got.Statuses["new@x.io"] != "learnt" || got.Statuses["a@x.io"] != "status-User" {
			t.Errorf("ids %v statuses %v", got.IDs, got.Statuses)
		}
	})
	t.Run("a failure records no state; the others are sent", func(t *testing.T) {
		f := newFake(nil)
		f.fail["invite:bad@x.io"] = true
		_, ok, diags := f.engine().Create(ctx, "w", snap(map[string]string{"good@x.io": "User", "bad@x.io": "User"}, nil, false), Guardrails{})
		if ok || !strings.Contains(errText(diags), "Could not invite bad@x.io to the workspace w") {
			t.Fatalf("ok %v: %s", ok, errText(diags))
		}
		if _, ok := f.has("good@x.io"); !ok {
			t.Error("good@ was not invited")
		}
	})
}

func TestEngineUpdate(t *testing.T) {
	prior := Snapshot[string]{
		Members:  map[string]string{"keep@x.io": "User", "drift@x.io": "User", "change@x.io": "User", "drop@x.io": "User", "gone@x.io": "User"},
		Unlisted: map[string]string{"stranger@x.io": "User", "listed-now@x.io": "User"},
		IDs:      map[string]string{"keep@x.io": "id-keep@x.io"}, Statuses: map[string]string{"keep@x.io": "kept"}, Exclusive: true,
	}
	world := func() *fakePlatform {
		f := newFake(map[string]string{"keep@x.io": "User", "drift@x.io": "Admin", "change@x.io": "User", "drop@x.io": "User",
			"stranger@x.io": "User", "listed-now@x.io": "User", "joined-after-plan@x.io": "User"})
		return f
	}
	planned := Snapshot[string]{
		Members:   map[string]string{"keep@x.io": "User", "drift@x.io": "User", "change@x.io": "Admin", "gone@x.io": "User", "listed-now@x.io": "User", "new@x.io": "User"},
		Exclusive: true,
	}
	cases := []struct {
		name         string
		exclusive    bool
		fail, ignore []string
		readBack     bool
		wantCalls    []string
		wantMembers  map[string]string
		wantUnlisted map[string]string
		errs         []string
	}{
		{
			name:      "does what the plan shows: no more (the drift since the plan and the joiner are left alone)",
			exclusive: true,
			wantCalls: []string{"invite:new@x.io", "remove:drop@x.io", "remove:stranger@x.io", "update:change@x.io"},
			wantMembers: map[string]string{"keep@x.io": "User", "drift@x.io": "User", "change@x.io": "Admin", "gone@x.io": "User",
				"listed-now@x.io": "User", "new@x.io": "User"},
			wantUnlisted: map[string]string{},
		},
		{
			name:      "exclusive off: unlisted people are kept, only the dropped member goes",
			wantCalls: []string{"invite:new@x.io", "remove:drop@x.io", "update:change@x.io"},
			wantMembers: map[string]string{"keep@x.io": "User", "drift@x.io": "User", "change@x.io": "Admin", "gone@x.io": "User",
				"listed-now@x.io": "User", "new@x.io": "User"},
			wantUnlisted: map[string]string{"stranger@x.io": "User", "listed-now@x.io": "User"},
		},
		{
			name:      "partial failure at each step: what failed is as it was, the rest applied",
			exclusive: true,
			fail:      []string{"remove:drop@x.io", "remove:stranger@x.io", "invite:new@x.io", "update:change@x.io"},
			wantCalls: []string{"invite:new@x.io", "remove:drop@x.io", "remove:stranger@x.io", "update:change@x.io"},
			wantMembers: map[string]string{"keep@x.io": "User", "drift@x.io": "User", "change@x.io": "User", "gone@x.io": "User",
				"listed-now@x.io": "User", "drop@x.io": "User"},
			wantUnlisted: map[string]string{"stranger@x.io": "User"},
			errs:         []string{"Could not remove drop@x.io", "Could not remove stranger@x.io", "Could not invite new@x.io", "Could not change change@x.io"},
		},
		{
			name:      "a change the platform acknowledged but did not make fails on read-back",
			exclusive: true, readBack: true,
			ignore:    []string{"update:change@x.io"},
			wantCalls: []string{"invite:new@x.io", "remove:drop@x.io", "remove:stranger@x.io", "update:change@x.io"},
			wantMembers: map[string]string{"keep@x.io": "User", "drift@x.io": "User", "change@x.io": "User", "gone@x.io": "User",
				"listed-now@x.io": "User", "new@x.io": "User"},
			wantUnlisted: map[string]string{},
			// The hint follows the message, as every error's does (AddError).
			errs: []string{"Fake answered without making change@x.io: it is User\n\nThe fake ignores some changes: make them by hand."},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := world()
			f.readBack = tc.readBack
			for _, k := range tc.fail {
				f.fail[k] = true
			}
			for _, k := range tc.ignore {
				f.ignore[k] = true
			}
			p := planned
			p.Exclusive = tc.exclusive
			got, diags := f.engine().Update(ctx, "w", prior, p, Guardrails{})
			if !reflect.DeepEqual(f.callList(), tc.wantCalls) {
				t.Errorf("calls %v, want %v", f.callList(), tc.wantCalls)
			}
			if !maps.Equal(got.Members, tc.wantMembers) {
				t.Errorf("members %v, want %v", got.Members, tc.wantMembers)
			}
			if !maps.Equal(got.Unlisted, tc.wantUnlisted) {
				t.Errorf("unlisted %v, want %v", got.Unlisted, tc.wantUnlisted)
			}
			text := errText(diags.Errors())
			if len(tc.errs) == 0 && diags.HasError() {
				t.Errorf("errors:\n%s", text)
			}
			for _, w := range tc.errs {
				if !strings.Contains(text, w) {
					t.Errorf("errors lack %q:\n%s", w, text)
				}
			}
			if _, ok := f.has("joined-after-plan@x.io"); !ok {
				t.Error("someone who joined after the plan was removed")
			}
			if typ, _ := f.has("drift@x.io"); typ != "Admin" {
				t.Error("a drift the plan did not show was changed")
			}
		})
	}
	t.Run("members unchanged: the ids and statuses the plan kept", func(t *testing.T) {
		f := world()
		p := Snapshot[string]{Members: prior.Members, Exclusive: true}
		got, diags := f.engine().Update(ctx, "w", prior, p, Guardrails{})
		if diags.HasError() || !maps.Equal(got.Statuses, prior.Statuses) || !maps.Equal(got.IDs, prior.IDs) {
			t.Errorf("%+v %s", got, errText(diags))
		}
	})
	t.Run("someone protected since the plan is not removed", func(t *testing.T) {
		f := world()
		f.set("drop@x.io", fakePerson{typ: "User", protected: "made owner since"})
		got, diags := f.engine().Update(ctx, "w", prior, planned, Guardrails{})
		if _, ok := f.has("drop@x.io"); !ok || !strings.Contains(errText(diags), "made owner since") || got.Members["drop@x.io"] != "User" {
			t.Errorf("%v %s", got.Members, errText(diags))
		}
	})
}

func TestEngineDelete(t *testing.T) {
	prior := Snapshot[string]{Members: map[string]string{"a@x.io": "User", "b@x.io": "User", "owner@x.io": "Owner", "gone@x.io": "User"},
		Unlisted: map[string]string{"stranger@x.io": "User"}}
	world := func() *fakePlatform {
		f := newFake(map[string]string{"a@x.io": "User", "b@x.io": "User", "stranger@x.io": "User"})
		f.set("owner@x.io", fakePerson{typ: "Owner", protected: "the owner"})
		return f
	}
	t.Run("removes the members, never the unlisted people nor the protected", func(t *testing.T) {
		f := world()
		left, diags := f.engine().Delete(ctx, "w", prior, Guardrails{})
		if left != nil || diags.HasError() {
			t.Fatalf("%v %s", left, errText(diags))
		}
		if want := []string{"remove:a@x.io", "remove:b@x.io"}; !reflect.DeepEqual(f.callList(), want) {
			t.Errorf("calls %v", f.callList())
		}
	})
	t.Run("partial failure: what is left stays in state", func(t *testing.T) {
		f := world()
		f.fail["remove:b@x.io"] = true
		left, diags := f.engine().Delete(ctx, "w", prior, Guardrails{})
		if left == nil || !maps.Equal(left.Members, map[string]string{"b@x.io": "User"}) || !strings.Contains(errText(diags), "Could not remove b@x.io") {
			t.Fatalf("%v %s", left, errText(diags))
		}
	})
}

// DiscoverPerMember: updates and destroys act on the plan's prior state
// without observing the platform; a create observes only what it needs.
func TestEngineDiscoverPerMember(t *testing.T) {
	f := newFake(map[string]string{"a@x.io": "User", "stranger@x.io": "User"})
	e := f.engine()
	e.Discovery = DiscoverPerMember
	prior := Snapshot[string]{Members: map[string]string{"a@x.io": "User"}, Unlisted: map[string]string{"stranger@x.io": "User"},
		IDs: map[string]string{"a@x.io": "id-a@x.io"}, Exclusive: true}
	if diags := e.Plan(ctx, "w", &prior, &Snapshot[string]{Members: map[string]string{}, Exclusive: true}, Guardrails{}); diags.HasError() {
		t.Fatal(errText(diags))
	}
	if _, diags := e.Update(ctx, "w", prior, Snapshot[string]{Members: map[string]string{}, Exclusive: true}, Guardrails{}); diags.HasError() {
		t.Fatal(errText(diags))
	}
	if f.lists != 0 {
		t.Errorf("%d listings, want none", f.lists)
	}
	if want := []string{"remove:a@x.io", "remove:stranger@x.io"}; !reflect.DeepEqual(f.callList(), want) {
		t.Errorf("calls %v", f.callList())
	}
}

func TestGuardrails(t *testing.T) {
	three := int64(3)
	zero := int64(0)
	g := Guardrails{MaxRemovals: &three, Protected: []string{"*@Admins.example.com", "ceo@example.com"}}
	if g.Limit(nil) != 3 || g.Limit(&zero) != 0 || (Guardrails{}).Limit(nil) != DefaultMaxRemovals {
		t.Error("Limit")
	}
	for key, want := range map[string]bool{"jane@admins.example.com": true, "CEO@example.com": true, "jane@example.com": false, "ceo": false} {
		if got := g.Protects(key) != ""; got != want {
			t.Errorf("Protects(%q) = %v", key, got)
		}
	}
	for p, ok := range map[string]bool{"*@example.com": true, "a@b.c": true, "": false, "nobody": false, "[@x": false} {
		if got := ProtectedPatternError(p) == ""; got != ok {
			t.Errorf("ProtectedPatternError(%q) ok = %v", p, got)
		}
	}
}
