package shared

// The pure core of the authoritative engine (authoritative.go): who a plan
// invites, changes and removes (Diff), and what to write to state once the
// changes were sent (Settle). Nothing here sends a request.
//
// The rule that makes the plan the contract lives in Diff's signature: it
// removes only the keys it is given in remove, and the engine builds that
// list from the plan alone (members that leave `members`, people that leave
// `unlisted_members`), never from what the platform lists. Someone who
// joined after the plan was made is in no such list, so no apply removes
// them.

import (
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"
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
	// Value is the member's attributes as the platform reports them.
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
	// Admin marks a member who administers the scope, for the rule that
	// a plan never removes or downgrades the last administrator.
	Admin bool
	// Label is how unlisted_members shows the member (its type or role).
	Label string
	// Status is the member's computed status (activation or invitation
	// status), "" when the platform has none.
	Status string
	// Object is the platform's own record of the member (a user), for the
	// platform's operations; the engine never looks at it.
	Object any
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

// Compare says how want differs from have. It only looks at what the
// configuration manages (an attribute left unset in want is not managed).
type Compare[V any] func(want, have V) Difference

// compareOrDeep is c, or reflect.DeepEqual with differences InPlace.
func compareOrDeep[V any](c Compare[V]) Compare[V] {
	if c != nil {
		return c
	}
	return func(want, have V) Difference {
		if reflect.DeepEqual(want, have) {
			return Same
		}
		return InPlace
	}
}

// Member is one member in Changes.
type Member[V any] struct {
	// Key is the member's key: as wanted (configuration), else as in the
	// plan's prior state (members or unlisted_members).
	Key string
	// Want is the wanted value (zero when not Wanted).
	Want V
	// Have is the observed value (zero when not Present).
	Have V
	// ID is the observed member's id ("" when not observed).
	ID string
	// Object is the observed member's platform record (nil when not
	// observed).
	Object any
	// Wanted: the member is in the wanted map.
	Wanted bool
	// Present: the member is observed and usable.
	Present bool
	// Unusable: the member is observed but unusable (see Observed).
	Unusable bool
	// Replace: the member is in both Remove and Invite, replacing it.
	Replace bool
	// Unlisted: a removal of someone from unlisted_members (not members).
	Unlisted bool
	// Reason is why a Protected member is left alone.
	Reason string
}

// Changes is the outcome of a Diff. Every list is sorted by Key.
type Changes[V any] struct {
	// Invite: wanted members the plan adds or changes that are not
	// present (never observed, gone, or unusable), and the second half of
	// replacements (Replace set).
	Invite []Member[V]
	// Update: present wanted members the plan adds or changes that differ
	// in place.
	Update []Member[V]
	// Remove: members the plan removes that are present, and the first
	// half of replacements (Replace set).
	Remove []Member[V]
	// Unchanged: wanted members with nothing to send, either because the
	// plan does not change them or because they already are as wanted.
	Unchanged []Member[V]
	// Protected: protected members the plan would change (Wanted: a value
	// the platform refuses) or remove (not Wanted). Nothing is sent for
	// them.
	Protected []Member[V]
}

// Empty reports whether there is nothing to send.
func (c Changes[V]) Empty() bool {
	return len(c.Invite) == 0 && len(c.Update) == 0 && len(c.Remove) == 0
}

// Removed returns the keys of the members removed for good (replacements
// excluded).
func (c Changes[V]) Removed() []string {
	var out []string
	for _, m := range c.Remove {
		if !m.Replace {
			out = append(out, m.Key)
		}
	}
	return out
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
	for _, k := range slices.Sorted(maps.Keys(m)) {
		id := MemberKey(k)
		if _, dup := out[id]; !dup {
			out[id] = keyed[V]{k, m[k]}
		}
	}
	return out
}

// Removal is a key the plan removes: one that leaves members (Unlisted
// false) or unlisted_members (Unlisted true).
type Removal struct {
	Key      string
	Unlisted bool
}

// Diff works out what an apply sends, from what the plan says and what the
// platform has now (observed):
//
//   - a wanted member the plan adds or changes (prior is nil on create,
//     else the member is not in prior or its prior value differs): invited
//     when not present (absent or unusable), else unchanged, updated or
//     replaced as compare says, or Protected when the member is protected
//     and differs;
//   - a wanted member the plan leaves as it was: Unchanged, and nothing is
//     sent even if the platform changed since the plan (the next plan
//     shows that drift);
//   - a removal that is not wanted: removed when present, Protected when
//     protected, nothing when already gone.
//
// Keys are matched with MemberKey, so a key whose letter case differs
// between wanted, prior, remove and observed is the same member. Diff is
// pure: it sends nothing and keeps no reference to its arguments' maps.
func Diff[V any](compare Compare[V], observed map[string]Observed[V], wanted, prior map[string]V, remove []Removal) Changes[V] {
	compare = compareOrDeep(compare)
	obs := byMemberKey(observed)
	pri := byMemberKey(prior)
	var ch Changes[V]
	seen := map[string]bool{}
	for _, k := range slices.Sorted(maps.Keys(wanted)) {
		id := MemberKey(k)
		if seen[id] {
			continue
		}
		seen[id] = true
		m := Member[V]{Key: k, Want: wanted[k], Wanted: true}
		o, ok := obs[id]
		if ok {
			m.ID, m.Object, m.Unusable = o.val.ID, o.val.Object, o.val.Unusable
			if !o.val.Unusable {
				m.Have, m.Present = o.val.Value, true
			}
		}
		if p, inPrior := pri[id]; prior != nil && inPrior && compare(m.Want, p.val) == Same {
			ch.Unchanged = append(ch.Unchanged, m)
			continue
		}
		if !m.Present {
			ch.Invite = append(ch.Invite, m)
			continue
		}
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
	for _, r := range remove {
		id := MemberKey(r.Key)
		if seen[id] {
			continue
		}
		seen[id] = true
		o, ok := obs[id]
		if !ok || o.val.Unusable {
			continue // already gone
		}
		m := Member[V]{Key: r.Key, Have: o.val.Value, ID: o.val.ID, Object: o.val.Object, Present: true, Unlisted: r.Unlisted}
		if o.val.Protected != "" {
			m.Reason = o.val.Protected
			ch.Protected = append(ch.Protected, m)
			continue
		}
		ch.Remove = append(ch.Remove, m)
	}
	for _, list := range []*[]Member[V]{&ch.Invite, &ch.Update, &ch.Remove, &ch.Unchanged, &ch.Protected} {
		sort.SliceStable(*list, func(i, j int) bool { return (*list)[i].Key < (*list)[j].Key })
	}
	return ch
}

// Settled is what an apply leaves, for state.
type Settled[V any] struct {
	// Members are the members of `members` as they now are: the wanted
	// value where the change succeeded or nothing was sent, the observed
	// value where a change or a removal failed, absent where an invitation
	// failed or a removal succeeded.
	Members map[string]V
	// KeptUnlisted are the removals from unlisted_members that failed:
	// those people are still there.
	KeptUnlisted []Member[V]
}

// Settle returns what to write to state after the changes were executed
// with outcomes out (nil: nothing was executed):
//   - unchanged members as wanted;
//   - an invite or update that succeeded as wanted, a failed update with
//     the observed value, a failed (or never attempted) invite absent;
//   - a removal that succeeded absent, a failed one with the observed value
//     (in KeptUnlisted for a removal from unlisted_members);
//   - a replacement whose removal failed with the observed value, whose
//     removal succeeded but invite failed absent;
//   - protected members with the observed value when wanted or removed
//     from members (nothing was sent), in KeptUnlisted when removed from
//     unlisted_members.
//
// shape gives an observed value the form of the wanted or prior one (what
// the configuration does not manage left unset); nil keeps it as is. adopt
// is the value recorded for a wanted member that was already present
// (unchanged, or updated); nil records the wanted value. When every change
// succeeded Members is the wanted map (as adopt gives it), so state
// matches the plan.
func (c Changes[V]) Settle(out *Outcomes, shape func(have V, like V) V, adopt func(want, have V) V) Settled[V] {
	if shape == nil {
		shape = func(have, _ V) V { return have }
	}
	kept := func(m Member[V]) V {
		if adopt == nil || !m.Present {
			return m.Want
		}
		return adopt(m.Want, m.Have)
	}
	res := Settled[V]{Members: make(map[string]V, len(c.Unchanged)+len(c.Update)+len(c.Invite))}
	keep := func(m Member[V]) {
		if m.Unlisted {
			res.KeptUnlisted = append(res.KeptUnlisted, m)
			return
		}
		like := m.Want
		if !m.Wanted {
			like = m.Have
		}
		res.Members[m.Key] = shape(m.Have, like)
	}
	for _, m := range c.Unchanged {
		res.Members[m.Key] = kept(m)
	}
	for _, m := range c.Protected {
		keep(m)
	}
	for _, m := range c.Update {
		if out.Succeeded(OpUpdate, m.Key) {
			res.Members[m.Key] = kept(m)
		} else {
			keep(m)
		}
	}
	for _, m := range c.Remove {
		if !out.Succeeded(OpRemove, m.Key) { // a replacement too: kept as it was
			keep(m)
		}
	}
	for _, m := range c.Invite {
		switch {
		case m.Replace && !out.Succeeded(OpRemove, m.Key):
			keep(m)
		case out.Succeeded(OpInvite, m.Key):
			res.Members[m.Key] = m.Want
		}
	}
	return res
}
