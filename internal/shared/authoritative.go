package shared

// The authoritative engine: the one implementation of the resources that
// manage a whole team or portal (membership_docspace_invitations,
// membership_attackforge_project_team,
// membership_royalti_workspace_invitations). A platform gives an Engine its
// listing (Observe), its requests (Remove, Invite, Update), an optional
// read-back, and its plan-time refusals; the engine does the rest, the
// same way for every platform. The rules, also in
// docs/guides/authoritative-resources.md:
//
//   - State: `members` holds the listed people as the last refresh found
//     them (someone gone is dropped, so the plan invites them again).
//     `unlisted_members` holds, with exclusive = true, everyone else the
//     platform lists that the provider may remove (email => type or role).
//   - Plan: a removal is always a visible change. A person leaves
//     `members` (their line was deleted) or, with exclusive = true, leaves
//     `unlisted_members` (planned as empty). The plan fails when it would
//     remove a protected person, the last administrator, or more people
//     than max_removals.
//   - Create adopts: listed people already there are kept (and changed
//     where the configuration differs); nobody is removed. The next plan
//     shows the unlisted people leaving `unlisted_members`.
//   - Update does what the plan shows and no more: it removes only people
//     the plan's prior state names and the plan drops, and sends changes
//     only for members the plan adds or changes. Someone who joined after
//     the plan was made is left alone.
//   - Destroy removes the people in `members` (not those in
//     unlisted_members); protected people stay, with a warning at plan.
//   - exclusive = false keeps unlisted_members as it is in the plan (no
//     removal); the next refresh empties it. Switching exclusive on fills
//     it at the next refresh; the plan after that removes them.
//   - Partial failure: what succeeded is kept, what failed is left as it
//     was (an invitation absent, a change or removal as observed), each
//     failure is an error naming its member. A create that fails records
//     no state (Terraform would replace a tainted object, removing
//     everyone); the next apply adopts what the failed one did.
//   - Import adopts everyone the provider may remove into `members`.

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

var (
	membersPath  = path.Root("members")
	unlistedPath = path.Root("unlisted_members")
)

// Snapshot is an authoritative resource's state or plan in plain values.
type Snapshot[V any] struct {
	// Members are the listed members by key. Nil in a state means the
	// resource was just imported: the next Read adopts everyone found.
	Members map[string]V
	// Unlisted are the people found but not listed (email => label),
	// filled by Read when Exclusive.
	Unlisted map[string]string
	// Exclusive: unlisted people are planned for removal.
	Exclusive bool
	// MaxRemovals is the resource's own removal limit (nil: the
	// provider's).
	MaxRemovals *int64
	// IDs and Statuses are the members' ids and computed statuses, by
	// member key.
	IDs, Statuses map[string]string
}

// Discovery says what finding the people who are not listed costs.
type Discovery int

const (
	// DiscoverWithListing: the platform lists the scope in one listing,
	// which finds everyone; observing the listed members costs the same.
	DiscoverWithListing Discovery = iota
	// DiscoverPerMember: the platform has no listing of the scope, and
	// finding a member costs a request per person (AttackForge: the
	// projects of each user). Everyone is observed only when needed
	// (exclusive, import); an update and a destroy trust the state the
	// plan was made from instead of observing again, and plan-time checks
	// use that state too.
	DiscoverPerMember
)

// Found records what an operation learnt of a member (its id and status
// after an invitation), by member key.
type Found[V any] func(key string, o Observed[V])

// OpFunc sends one operation for ms and returns an error per member key
// that failed (a missing key succeeded), or err to fail them all.
type OpFunc[V, S any] func(ctx context.Context, scope S, ms []Member[V], found Found[V]) (map[string]error, error)

// Refusal is a change the platform would refuse, known before sending.
type Refusal struct {
	// Key is the member key the refusal is about ("" for the whole map).
	Key             string
	Summary, Detail string
	// Warning: the plan may go ahead; the message says what it does.
	Warning bool
	// Unlisted: the refusal is about someone in unlisted_members.
	Unlisted bool
}

// Review is what a plan-time check sees: the changes and the platform as
// observed (the plan's prior state where Discovery is DiscoverPerMember).
type Review[V, S any] struct {
	Scope    S
	Changes  Changes[V]
	Observed map[string]Observed[V]
	Creating bool
}

// Engine is one platform's authoritative resource.
type Engine[V, S any] struct {
	// Name is the provider block ("docspace"), for error hints; Title the
	// platform's display name ("ONLYOFFICE DocSpace").
	Name, Title string
	// Where names the scope in messages: "the portal https://...".
	Where func(S) string
	// Describe, when set, says what a wanted value makes its member
	// ("a RoomAdmin"), for messages.
	Describe func(V) string
	// Change, when set, says what an update of the member with this key
	// does, for its error's summary ("change the access level of jane to
	// Edit"); default: "change <key>".
	Change func(key string, want V) string
	// Observe lists the scope: the members with the known keys (keyed as
	// given), and, when all, everyone else (keyed by email, or id when
	// there is none). Protected and Unusable are set as the platform says.
	// Warnings say what the listing could not tell (shown on refresh and
	// apply, not on plan).
	// known maps each key to its id as state has it ("" when unknown).
	Observe func(ctx context.Context, scope S, known map[string]string, all bool) (found map[string]Observed[V], warnings diag.Diagnostics, err error)
	// StaleStatus is the Status Observe gives a member whose status it
	// could not read this time: the last known one is kept.
	StaleStatus string
	// Compare, Shape, Adopt: see Compare and Changes.Settle. Shape and
	// Adopt may be nil.
	Compare Compare[V]
	Shape   func(have, like V) V
	Adopt   func(want, have V) V
	// IsAdmin reports whether a wanted value makes its member an
	// administrator; nil: the last-administrator rule only counts
	// removals.
	IsAdmin func(V) bool
	// The operations. SendRemove is nil for a platform that cannot remove.
	SendRemove, SendInvite, SendUpdate OpFunc[V, S]
	// BatchSize of each operation (0: one operation for all members) and
	// Concurrency (at most this many operations at a time; 0: 8).
	RemoveBatch, InviteBatch, UpdateBatch int
	Concurrency                           int
	Discovery                             Discovery
	// ReadBack, when set, lists the scope again after the changes: a
	// change the platform acknowledged but did not make fails its member
	// (VerifyHint explains why that happens), and ids and statuses come
	// from it.
	ReadBack   func(ctx context.Context, scope S) (map[string]Observed[V], error)
	VerifyHint string
	// Refuse returns the platform's own refusals of a plan (errors, or
	// warnings).
	Refuse func(ctx context.Context, r Review[V, S]) []Refusal
	// ReportError adds an API error to diags (default AddError with the
	// engine's Name).
	ReportError func(diags *diag.Diagnostics, summary string, err error)
}

func (e *Engine[V, S]) report(diags *diag.Diagnostics, summary string, err error) {
	if e.ReportError != nil {
		e.ReportError(diags, summary, err)
		return
	}
	AddError(diags, summary, err, e.Name)
}

// observe lists the scope and marks the people protected_members protects;
// the listing's warnings go to warn (nil: dropped).
func (e *Engine[V, S]) observe(ctx context.Context, scope S, g Guardrails, known map[string]string, all bool, warn *diag.Diagnostics) (map[string]Observed[V], error) {
	found, warnings, err := e.Observe(ctx, scope, known, all)
	if warn != nil {
		warn.Append(warnings...)
	}
	if err != nil {
		return nil, err
	}
	for k, o := range found {
		if o.Protected == "" {
			if why := g.Protects(k); why != "" {
				o.Protected = why
				found[k] = o
			}
		}
	}
	return found, nil
}

// fromState is the platform as the snapshot has it, for DiscoverPerMember
// updates and destroys: its members and unlisted people with their ids,
// protected_members applied.
func fromState[V any](s Snapshot[V], g Guardrails) map[string]Observed[V] {
	out := make(map[string]Observed[V], len(s.Members)+len(s.Unlisted))
	for k, v := range s.Members {
		out[k] = Observed[V]{Value: v, ID: s.IDs[k], Protected: g.Protects(k)}
	}
	for k, label := range s.Unlisted {
		if _, ok := out[k]; !ok {
			out[k] = Observed[V]{Label: label, Protected: g.Protects(k)}
		}
	}
	return out
}

// known maps the keys of the snapshots' members (and extra keys) to the
// ids the snapshots have for them, each member once (MemberKey).
func known[V any](extra []string, snaps ...Snapshot[V]) map[string]string {
	out := map[string]string{}
	seen := map[string]bool{}
	add := func(k, id string) {
		if !seen[MemberKey(k)] {
			seen[MemberKey(k)] = true
			out[k] = id
		}
	}
	for _, s := range snaps {
		for _, k := range slices.Sorted(maps.Keys(s.Members)) {
			add(k, s.IDs[k])
		}
	}
	for _, k := range extra {
		add(k, "")
	}
	return out
}

// Read refreshes prior from the platform: listed members still there keep
// their key with the observed value (shaped like prior's), the others are
// dropped; with Exclusive, every other person the provider may remove is
// in Unlisted. A snapshot with nil Members (an import) adopts everyone the
// provider may remove into Members.
func (e *Engine[V, S]) Read(ctx context.Context, scope S, prior Snapshot[V], g Guardrails) (Snapshot[V], diag.Diagnostics) {
	var diags diag.Diagnostics
	importing := prior.Members == nil
	all := importing || prior.Exclusive || e.Discovery == DiscoverWithListing
	found, err := e.observe(ctx, scope, g, known(slices.Collect(maps.Keys(prior.Unlisted)), prior), all, &diags)
	if err != nil {
		e.report(&diags, fmt.Sprintf("Could not read the members of %s", e.Where(scope)), err)
		return prior, diags
	}
	next := Snapshot[V]{Members: map[string]V{}, Unlisted: map[string]string{}, IDs: map[string]string{}, Statuses: map[string]string{},
		Exclusive: prior.Exclusive || importing, MaxRemovals: prior.MaxRemovals}
	obs := byMemberKey(found)
	taken := map[string]bool{}
	for _, k := range slices.Sorted(maps.Keys(prior.Members)) {
		o, ok := obs[MemberKey(k)]
		if !ok || o.val.Unusable || taken[MemberKey(k)] {
			continue
		}
		taken[MemberKey(k)] = true
		next.Members[k] = e.shape(o.val.Value, prior.Members[k])
		next.setComputed(k, o.val, e.StaleStatus, prior.Statuses)
	}
	if next.Exclusive {
		for _, id := range slices.Sorted(maps.Keys(obs)) {
			o := obs[id]
			if taken[id] || o.val.Unusable || o.val.Protected != "" {
				continue
			}
			if importing {
				next.Members[o.key] = o.val.Value
				next.setComputed(o.key, o.val, e.StaleStatus, nil)
			} else {
				next.Unlisted[MemberKey(o.key)] = o.val.Label
			}
		}
	}
	return next, diags
}

// setComputed records o's id and status for member k. A status the
// platform could not read (stale) keeps the last known one (last, by
// MemberKey) when there is one.
func (s *Snapshot[V]) setComputed(k string, o Observed[V], stale string, last map[string]string) {
	if s.IDs == nil {
		s.IDs = map[string]string{}
	}
	if s.Statuses == nil {
		s.Statuses = map[string]string{}
	}
	if o.ID != "" {
		s.IDs[k] = o.ID
	}
	if o.Status != "" && o.Status == stale {
		if l, ok := byMemberKey(last)[MemberKey(k)]; ok {
			o.Status = l.val
		}
	}
	if o.Status != "" {
		s.Statuses[k] = o.Status
	}
}

func (e *Engine[V, S]) shape(have, like V) V {
	if e.Shape == nil {
		return have
	}
	return e.Shape(have, like)
}

// removals are the keys a plan removes: members that leave `members`, and
// with exclusive the people that leave `unlisted_members`. Nothing else is
// ever removed.
func removals[V any](prior Snapshot[V], wanted map[string]V, exclusive bool) []Removal {
	want := byMemberKey(wanted)
	var out []Removal
	seen := map[string]bool{}
	for _, k := range slices.Sorted(maps.Keys(prior.Members)) {
		if _, ok := want[MemberKey(k)]; !ok && !seen[MemberKey(k)] {
			seen[MemberKey(k)] = true
			out = append(out, Removal{Key: k})
		}
	}
	if exclusive {
		for _, k := range slices.Sorted(maps.Keys(prior.Unlisted)) {
			if _, ok := want[MemberKey(k)]; !ok && !seen[MemberKey(k)] {
				seen[MemberKey(k)] = true
				out = append(out, Removal{Key: k, Unlisted: true})
			}
		}
	}
	return out
}

// PlannedUnlisted is the value of unlisted_members a plan of an existing
// resource shows: empty with exclusive (everyone in it is removed), the
// prior value without (nobody in it is removed).
func PlannedUnlisted(prior map[string]string, exclusive bool) map[string]string {
	if exclusive {
		return map[string]string{}
	}
	if prior == nil {
		return map[string]string{}
	}
	return prior
}

// Plan checks a plan before anything is sent: prior is nil on create,
// planned nil on destroy. It returns the refusals and warnings: the
// platform's own (Refuse), protected people the plan would remove or
// change, the last administrator, and the removal limit.
func (e *Engine[V, S]) Plan(ctx context.Context, scope S, prior, planned *Snapshot[V], g Guardrails) diag.Diagnostics {
	var diags diag.Diagnostics
	if prior != nil && planned != nil && e.samePlan(*prior, *planned) {
		return diags
	}
	where := e.Where(scope)
	ch, found, err := e.planned(ctx, scope, prior, planned, g)
	if err != nil {
		e.report(&diags, fmt.Sprintf("Could not list the members of %s to plan the changes", where), err)
		return diags
	}
	limitOwn := prior.limit()
	if planned == nil {
		for _, m := range ch.Protected {
			AddDestroyWarning(&diags, KeptAccess{Where: where, People: []string{m.Key},
				Why: "they are " + m.Reason + ", whom the provider never removes", Remove: "remove them by hand in " + e.Title})
		}
	} else {
		limitOwn = planned.MaxRemovals
		if prior == nil {
			e.warnCreate(&diags, where, ch, found, planned)
		}
		e.refuseProtected(&diags, where, ch)
	}
	if e.Refuse != nil {
		for _, r := range e.Refuse(ctx, Review[V, S]{Scope: scope, Changes: ch, Observed: found, Creating: prior == nil}) {
			attr := membersPath
			switch {
			case r.Unlisted:
				attr = unlistedPath
			case r.Key != "":
				attr = membersPath.AtMapKey(r.Key)
			}
			if r.Warning {
				diags.AddAttributeWarning(attr, r.Summary, r.Detail)
			} else {
				diags.AddAttributeError(attr, r.Summary, r.Detail)
			}
		}
	}
	e.checkLastAdmin(&diags, where, ch, found)
	checkLimit(&diags, where, ch, g.Limit(limitOwn), planned == nil)
	return diags
}

func (s *Snapshot[V]) limit() *int64 {
	if s == nil {
		return nil
	}
	return s.MaxRemovals
}

// planned is what a plan does (destroy: planned nil; create: prior nil),
// and the platform it was worked out against.
func (e *Engine[V, S]) planned(ctx context.Context, scope S, prior, planned *Snapshot[V], g Guardrails) (Changes[V], map[string]Observed[V], error) {
	switch {
	case planned == nil:
		found, err := e.planObservation(ctx, scope, *prior, g, known(nil, *prior))
		return Diff(e.Compare, found, nil, prior.Members, removals(*prior, nil, false)), found, err
	case prior == nil:
		found := map[string]Observed[V]{}
		if e.Discovery == DiscoverWithListing {
			var err error
			if found, err = e.observe(ctx, scope, g, known(nil, *planned), true, nil); err != nil {
				return Changes[V]{}, nil, err
			}
		}
		return Diff(e.Compare, found, planned.Members, nil, nil), found, nil
	}
	found, err := e.planObservation(ctx, scope, *prior, g, known(nil, *prior, *planned))
	return Diff(e.Compare, found, planned.Members, prior.Members, removals(*prior, planned.Members, planned.Exclusive)), found, err
}

// refuseProtected refuses a plan that changes or removes a protected
// member.
func (e *Engine[V, S]) refuseProtected(diags *diag.Diagnostics, where string, ch Changes[V]) {
	for _, m := range ch.Protected {
		if m.Wanted {
			diags.AddAttributeError(membersPath.AtMapKey(m.Key), fmt.Sprintf("%s refuses to change %s", e.Title, m.Key),
				fmt.Sprintf("%s is %s: the provider never changes or removes it. Set it in members as it is on %s, or leave it out.", m.Key, m.Reason, where))
			continue
		}
		attr := membersPath
		if m.Unlisted {
			attr = unlistedPath
		}
		diags.AddAttributeError(attr, fmt.Sprintf("The plan would remove %s, which is protected", m.Key),
			fmt.Sprintf("%s is %s, so the provider never removes it from %s. Keep it in members, or change the protection if it really should go.", m.Key, m.Reason, where))
	}
}

// planObservation is the platform for a plan of an existing resource: the
// listing (shared with the refresh of the same run), or, where finding
// people costs a request each, the prior state.
func (e *Engine[V, S]) planObservation(ctx context.Context, scope S, prior Snapshot[V], g Guardrails, known map[string]string) (map[string]Observed[V], error) {
	if e.Discovery == DiscoverPerMember {
		return fromState(prior, g), nil
	}
	return e.observe(ctx, scope, g, known, true, nil)
}

// samePlan reports whether planned changes nothing of prior: the same
// members (by MemberKey) with the same values, and unlisted_members
// planned as it is.
func (e *Engine[V, S]) samePlan(prior, planned Snapshot[V]) bool {
	return sameMembers(e.Compare, prior.Members, planned.Members) &&
		maps.Equal(PlannedUnlisted(prior.Unlisted, planned.Exclusive), emptyIfNil(prior.Unlisted))
}

func emptyIfNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func sameMembers[V any](compare Compare[V], a, b map[string]V) bool {
	if len(a) != len(b) {
		return false
	}
	compare = compareOrDeep(compare)
	bk := byMemberKey(b)
	for k, v := range a {
		w, ok := bk[MemberKey(k)]
		if !ok || compare(w.val, v) != Same || compare(v, w.val) != Same {
			return false
		}
	}
	return true
}

// warnCreate says, on create, which people already there the create
// changes, and (with exclusive) that the people not listed are planned for
// removal by the next plan, not by this one.
func (e *Engine[V, S]) warnCreate(diags *diag.Diagnostics, where string, ch Changes[V], found map[string]Observed[V], planned *Snapshot[V]) {
	var changed []string
	for _, m := range ch.Update {
		changed = append(changed, fmt.Sprintf("%s (now %s)", m.Key, labelOf(found, m.Key)))
	}
	for _, m := range ch.Remove { // replacements
		changed = append(changed, fmt.Sprintf("%s (now %s, removed and invited again)", m.Key, labelOf(found, m.Key)))
	}
	if len(changed) > 0 {
		diags.AddAttributeWarning(membersPath, fmt.Sprintf("Creating this resource changes %d people already on %s", len(changed), where),
			"These people are already members, and the apply sets them as members says:\n  "+strings.Join(changed, "\n  "))
	}
	if !planned.Exclusive {
		return
	}
	if e.Discovery == DiscoverPerMember {
		diags.AddAttributeWarning(membersPath, fmt.Sprintf("Creating this resource removes nobody from %s", where),
			"With exclusive = true, the next refresh lists the other people it finds in unlisted_members, and the plan after it removes them "+
				"(finding them costs a request per user). Add them to members to keep them, or set exclusive = false to manage only the listed people.")
		return
	}
	want := byMemberKey(planned.Members)
	var unlisted []string
	for _, k := range slices.Sorted(maps.Keys(found)) {
		o := found[k]
		if _, ok := want[MemberKey(k)]; ok || o.Unusable || o.Protected != "" {
			continue
		}
		unlisted = append(unlisted, fmt.Sprintf("%s (%s)", MemberKey(k), o.Label))
	}
	if len(unlisted) > 0 {
		diags.AddAttributeWarning(membersPath, fmt.Sprintf("%d people on %s are not in members", len(unlisted), where),
			"Creating this resource removes nobody. With exclusive = true, the next plan shows these people leaving unlisted_members, "+
				"which removes them; add them to members to keep them, or set exclusive = false to manage only the listed people:\n  "+strings.Join(unlisted, "\n  "))
	}
}

func labelOf[V any](found map[string]Observed[V], key string) string {
	if o, ok := byMemberKey(found)[MemberKey(key)]; ok && o.val.Label != "" {
		return o.val.Label
	}
	return "a member"
}

// checkLastAdmin refuses a plan that removes or downgrades every
// administrator the platform lists.
func (e *Engine[V, S]) checkLastAdmin(diags *diag.Diagnostics, where string, ch Changes[V], found map[string]Observed[V]) {
	admins := map[string]bool{}
	for k, o := range found {
		if o.Admin && !o.Unusable {
			admins[MemberKey(k)] = true
		}
	}
	if len(admins) == 0 {
		return
	}
	var lost []string
	for _, k := range ch.Removed() {
		if admins[MemberKey(k)] {
			delete(admins, MemberKey(k))
			lost = append(lost, k+" (removed)")
		}
	}
	if e.IsAdmin != nil {
		for _, m := range ch.Update {
			if admins[MemberKey(m.Key)] && !e.IsAdmin(m.Want) {
				delete(admins, MemberKey(m.Key))
				lost = append(lost, m.Key+" (no longer an administrator)")
			}
		}
		for _, m := range append(append([]Member[V]{}, ch.Invite...), ch.Update...) {
			if e.IsAdmin(m.Want) {
				return // an administrator is added
			}
		}
	}
	if len(admins) > 0 || len(lost) == 0 {
		return
	}
	sort.Strings(lost)
	diags.AddAttributeError(membersPath, fmt.Sprintf("The plan would leave %s without an administrator", where),
		"The provider never removes or downgrades the last administrator, and this plan removes or downgrades every one of them:\n  "+
			strings.Join(lost, "\n  ")+"\n\nKeep at least one of them an administrator in members.")
}

// checkLimit refuses a plan that removes more people than limit.
func checkLimit[V any](diags *diag.Diagnostics, where string, ch Changes[V], limit int64, destroying bool) {
	removed := ch.Removed()
	if int64(len(removed)) <= limit {
		return
	}
	how := fmt.Sprintf("If these removals are intended, confirm them by setting max_removals = %d (or more) on this resource in the same change; "+
		"the limit comes from the resource's max_removals, else the provider's max_removals (MEMBERSHIP_MAX_REMOVALS), else %d.", len(removed), DefaultMaxRemovals)
	if destroying {
		how = fmt.Sprintf("If destroying the resource should remove them all, set max_removals = %d (or more) on this resource and apply that first, "+
			"or set the provider's max_removals (or MEMBERSHIP_MAX_REMOVALS=%d) for the destroy when the resource sets none. "+
			"To stop managing them without removing anyone, use a removed block with lifecycle { destroy = false } instead.", len(removed), len(removed))
	}
	diags.AddAttributeError(membersPath, fmt.Sprintf("The plan removes %d people from %s, more than max_removals (%d)", len(removed), where, limit),
		"These people would lose access:\n  "+strings.Join(removed, "\n  ")+"\n\n"+how)
}

// Create adopts: listed members already there are kept (changed where the
// configuration differs), the others invited; nobody is removed. ok is
// false when something failed: then write no state.
func (e *Engine[V, S]) Create(ctx context.Context, scope S, planned Snapshot[V], g Guardrails) (Snapshot[V], bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	found, err := e.observe(ctx, scope, g, known(nil, planned), planned.Exclusive, &diags)
	if err != nil {
		e.report(&diags, fmt.Sprintf("Could not list the members of %s", e.Where(scope)), err)
		return planned, false, diags
	}
	ch := Diff(e.Compare, found, planned.Members, nil, nil)
	next, _ := e.run(ctx, scope, ch, found, planned, nil, &diags)
	next.Unlisted = map[string]string{}
	if planned.Exclusive {
		want := byMemberKey(planned.Members)
		for k, o := range found {
			if _, ok := want[MemberKey(k)]; !ok && !o.Unusable && o.Protected == "" {
				next.Unlisted[MemberKey(k)] = o.Label
			}
		}
	}
	return next, !diags.HasError(), diags
}

// Update does what the plan shows, from the plan's prior state: it sends
// changes for the members the plan adds or changes and removes the people
// the plan drops, and nobody else.
func (e *Engine[V, S]) Update(ctx context.Context, scope S, prior, planned Snapshot[V], g Guardrails) (Snapshot[V], diag.Diagnostics) {
	var diags diag.Diagnostics
	remove := removals(prior, planned.Members, planned.Exclusive)
	var found map[string]Observed[V]
	if e.Discovery == DiscoverPerMember {
		found = fromState(prior, g)
	} else {
		var err error
		if found, err = e.observe(ctx, scope, g, known(slices.Collect(maps.Keys(prior.Unlisted)), prior, planned), true, &diags); err != nil {
			e.report(&diags, fmt.Sprintf("Could not list the members of %s", e.Where(scope)), err)
			return prior, diags
		}
	}
	ch := Diff(e.Compare, found, planned.Members, prior.Members, remove)
	for _, m := range ch.Protected { // protected since the plan was made
		if !m.Wanted {
			diags.AddError(fmt.Sprintf("Could not remove %s from %s", m.Key, e.Where(scope)),
				fmt.Sprintf("%s is %s: the provider never removes it. It is kept.", m.Key, m.Reason))
		}
	}
	next, settled := e.run(ctx, scope, ch, found, planned, prior.Statuses, &diags)
	next.Unlisted = maps.Clone(PlannedUnlisted(prior.Unlisted, planned.Exclusive))
	for _, m := range settled.KeptUnlisted {
		next.Unlisted[MemberKey(m.Key)] = prior.Unlisted[m.Key]
	}
	if !diags.HasError() && sameMembers(e.Compare, prior.Members, planned.Members) {
		// The plan kept the computed maps of unchanged members.
		next.IDs, next.Statuses = prior.IDs, prior.Statuses
	}
	return next, diags
}

// Delete removes the members in prior (protected ones are left; the plan
// warned). It returns nil when everything went, else what is left.
func (e *Engine[V, S]) Delete(ctx context.Context, scope S, prior Snapshot[V], g Guardrails) (*Snapshot[V], diag.Diagnostics) {
	var diags diag.Diagnostics
	if e.SendRemove == nil || len(prior.Members) == 0 {
		return nil, diags
	}
	var found map[string]Observed[V]
	if e.Discovery == DiscoverPerMember {
		found = fromState(prior, g)
	} else {
		var err error
		if found, err = e.observe(ctx, scope, g, known(nil, prior), false, &diags); err != nil {
			e.report(&diags, fmt.Sprintf("Could not list the members of %s", e.Where(scope)), err)
			return &prior, diags
		}
	}
	ch := Diff(e.Compare, found, nil, prior.Members, removals(prior, nil, false))
	ch.Protected = nil // left on the platform, as the plan said
	next, _ := e.run(ctx, scope, ch, found, Snapshot[V]{}, prior.Statuses, &diags)
	if !diags.HasError() {
		return nil, diags
	}
	left := prior
	left.Members, left.IDs, left.Statuses = next.Members, next.IDs, next.Statuses
	return &left, diags
}

// run executes ch (removals, invitations, updates, in that order), reads
// back where the platform does, reports each failure and settles.
//
// last are the statuses known before, kept where a status cannot be read.
func (e *Engine[V, S]) run(ctx context.Context, scope S, ch Changes[V], found map[string]Observed[V], planned Snapshot[V], last map[string]string, diags *diag.Diagnostics) (Snapshot[V], Settled[V]) {
	learnt := &learnt[V]{}
	ops := func(kind OpKind, ms []Member[V], size int, f OpFunc[V, S]) []Op {
		if f == nil || len(ms) == 0 {
			return nil
		}
		return BatchOps(kind, ms, size, func(ctx context.Context, ms []Member[V]) (map[string]error, error) {
			return f(ctx, scope, ms, learnt.record)
		})
	}
	out := Execute(ctx, e.Concurrency,
		ops(OpRemove, ch.Remove, e.RemoveBatch, e.SendRemove),
		ops(OpInvite, ch.Invite, e.InviteBatch, e.SendInvite),
		ops(OpUpdate, ch.Update, e.UpdateBatch, e.SendUpdate))
	after, readBack := found, false
	if e.ReadBack != nil && !ch.Empty() {
		back, err := e.ReadBack(ctx, scope)
		if err != nil {
			e.report(diags, fmt.Sprintf("Could not read the members of %s back", e.Where(scope)), err)
		} else {
			e.verify(back, ch, out)
			after, readBack = back, true
		}
	}
	wanted := byMemberKey(planned.Members)
	for _, f := range out.Failures() {
		if !f.Skipped {
			e.report(diags, e.failureSummary(f, wanted[MemberKey(f.Key)].val, scope), f.Err)
		}
	}
	settled := ch.Settle(out, e.Shape, e.Adopt)
	next := planned
	next.Members = settled.Members
	next.IDs, next.Statuses = map[string]string{}, map[string]string{}
	obs := byMemberKey(after)
	for k := range settled.Members {
		// What the read-back lists, else what an operation learnt, else
		// what was observed before the changes.
		o, ok := obs[MemberKey(k)]
		if l, learned := learnt.get(k); learned && (!readBack || !ok) {
			o, ok = keyed[Observed[V]]{k, l}, true
		}
		if ok {
			next.setComputed(k, o.val, e.StaleStatus, last)
		}
	}
	return next, settled
}

func (e *Engine[V, S]) failureSummary(f Outcome, want V, scope S) string {
	switch f.Kind {
	case OpRemove:
		return fmt.Sprintf("Could not remove %s from %s", f.Key, e.Where(scope))
	case OpInvite:
		if e.Describe != nil {
			return fmt.Sprintf("Could not invite %s to %s as %s", f.Key, e.Where(scope), e.Describe(want))
		}
		return fmt.Sprintf("Could not invite %s to %s", f.Key, e.Where(scope))
	}
	change := "change " + f.Key
	if e.Change != nil {
		change = e.Change(f.Key, want)
	}
	return fmt.Sprintf("Could not %s on %s", change, e.Where(scope))
}

// verify fails, in out, each change the platform acknowledged but the
// read-back (after) does not show.
func (e *Engine[V, S]) verify(after map[string]Observed[V], ch Changes[V], out *Outcomes) {
	obs := byMemberKey(after)
	compare := compareOrDeep(e.Compare)
	for _, m := range ch.Remove {
		if o, ok := obs[MemberKey(m.Key)]; ok && !o.val.Unusable && !m.Replace && out.Succeeded(OpRemove, m.Key) {
			out.Record(OpRemove, m.Key, fmt.Errorf("%s is still listed after its removal (%s)", m.Key, o.val.Label))
		}
	}
	for kind, ms := range map[OpKind][]Member[V]{OpInvite: ch.Invite, OpUpdate: ch.Update} {
		for _, m := range ms {
			if !out.Succeeded(kind, m.Key) {
				continue
			}
			o, ok := obs[MemberKey(m.Key)]
			switch {
			case !ok:
				out.Record(kind, m.Key, fmt.Errorf("%s accepted the change but lists no member %s afterwards", e.Title, m.Key))
			case compare(m.Want, e.shape(o.val.Value, m.Want)) != Same:
				to := ""
				if e.Describe != nil {
					to = " into " + e.Describe(m.Want)
				}
				err := fmt.Errorf("%s answered without making %s%s: it is %s", e.Title, m.Key, to, o.val.Label)
				if e.VerifyHint != "" {
					err = fmt.Errorf("%w. %s", err, e.VerifyHint)
				}
				out.Record(kind, m.Key, err)
			}
		}
	}
}

// learnt collects what operations learnt of members (Found); operations
// run concurrently.
type learnt[V any] struct {
	mu sync.Mutex
	m  map[string]Observed[V]
}

func (l *learnt[V]) record(key string, o Observed[V]) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil {
		l.m = map[string]Observed[V]{}
	}
	l.m[MemberKey(key)] = o
}

func (l *learnt[V]) get(key string) (Observed[V], bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	o, ok := l.m[MemberKey(key)]
	return o, ok
}
