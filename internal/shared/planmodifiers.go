package shared

// Plan modifiers and a validator for the members map of an authoritative
// resource (email, username or id => the member's attributes) and for the
// computed per-member maps next to it (ids, statuses), written once for
// every platform. Keys are matched with MemberKey (emails ignoring letter
// case). Schema:
//
//	"members": schema.MapAttribute{ // or MapNestedAttribute
//		Required:      true,
//		Validators:    []validator.Map{shared.UniqueMemberKeys()},
//		PlanModifiers: []planmodifier.Map{shared.MapKeysIgnoreCase()},
//	},
//	"member_ids": schema.MapAttribute{
//		Computed: true, ElementType: types.StringType,
//		PlanModifiers: []planmodifier.Map{shared.KeepStateWhileMemberKeysUnchanged(path.Root("members"))},
//	},
//	"statuses": schema.MapAttribute{
//		Computed: true, ElementType: types.StringType,
//		PlanModifiers: []planmodifier.Map{shared.KeepStateWhileMembersUnchanged(path.Root("members"))},
//	},

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// SameMembers reports whether a and b hold the same members: keys equal
// by MemberKey (an email in another letter case is the same key) and equal
// values. Null or unknown maps are never the same.
func SameMembers(a, b types.Map) bool {
	if a.IsNull() || a.IsUnknown() || b.IsNull() || b.IsUnknown() {
		return false
	}
	aKeys, aOK := memberKeysOf(a)
	bKeys, bOK := memberKeysOf(b)
	if !aOK || !bOK || !sameKeySet(aKeys, bKeys) {
		return false // other members, or a map naming one member twice
	}
	ae, be := a.Elements(), b.Elements()
	for id, k := range aKeys {
		if !ae[k].Equal(be[bKeys[id]]) {
			return false
		}
	}
	return true
}

// memberKeysOf maps MemberKey(k) to k for each key of m; ok is false when
// m is null, unknown or names one member twice.
func memberKeysOf(m types.Map) (keys map[string]string, ok bool) {
	if m.IsNull() || m.IsUnknown() {
		return nil, false
	}
	keys = make(map[string]string, len(m.Elements()))
	for k := range m.Elements() {
		keys[MemberKey(k)] = k
	}
	return keys, len(keys) == len(m.Elements())
}

// MapKeysIgnoreCase is the plan modifier of a members map: when the
// configuration differs from state only in the letter case of emails
// (same members, same values), the plan keeps state's map, so a case-only
// change plans nothing.
//
// With any other change the plan is the configuration as written:
// Terraform rejects a planned map whose keys are not the configuration's
// unless the whole value is the prior state's ("Provider produced invalid
// plan: map key ... from plan is not present in config"), so renaming only
// some keys is not possible. The key whose case changed then shows in the
// plan as removed and added, and Differ.Diff sees the same member: no
// request is sent for it.
func MapKeysIgnoreCase() planmodifier.Map { return mapKeysIgnoreCase{} }

type mapKeysIgnoreCase struct{}

func (mapKeysIgnoreCase) Description(context.Context) string {
	return "a change of letter case in an email key alone is not a change"
}

func (m mapKeysIgnoreCase) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (mapKeysIgnoreCase) PlanModifyMap(_ context.Context, req planmodifier.MapRequest, resp *planmodifier.MapResponse) {
	if req.PlanValue.Equal(req.StateValue) {
		return
	}
	if SameMembers(req.StateValue, req.PlanValue) {
		resp.PlanValue = req.StateValue
	}
}

// KeepStateWhileMembersUnchanged is the plan modifier of a computed
// per-member map (statuses, or anything an update of a member may
// change): it keeps the state's value instead of "known after apply" while
// the members map at path members is unchanged (SameMembers: the same
// members with the same values), and state's map has one entry per member.
//
// The members map must use MapKeysIgnoreCase, so that the plan keys the
// members as state does whenever this keeps state's value. The apply must
// then write exactly the kept value.
func KeepStateWhileMembersUnchanged(members path.Path) planmodifier.Map {
	return keepState{members: members}
}

// KeepStateWhileMemberKeysUnchanged is the plan modifier of a computed
// per-member map that only depends on who the members are (their ids): it
// keeps the state's values instead of "known after apply" while the
// members map at path members names the same members (by MemberKey), even
// when their values change, and state's map has one entry per member. The
// planned map is keyed as the members will be planned: as in state when
// nothing but letter case changed, otherwise as in the configuration.
//
// The members map must use MapKeysIgnoreCase. The apply must then write
// exactly these values, keyed as the planned members.
func KeepStateWhileMemberKeysUnchanged(members path.Path) planmodifier.Map {
	return keepState{members: members, keysOnly: true}
}

type keepState struct {
	members  path.Path
	keysOnly bool
}

func (m keepState) Description(context.Context) string {
	if m.keysOnly {
		return fmt.Sprintf("unchanged while %s names the same members", m.members)
	}
	return fmt.Sprintf("unchanged while %s is unchanged", m.members)
}

func (m keepState) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (m keepState) PlanModifyMap(ctx context.Context, req planmodifier.MapRequest, resp *planmodifier.MapResponse) {
	// Only a value the framework marked unknown because something changed;
	// not on create, destroy or replacement (planned with no prior state).
	if !req.PlanValue.IsUnknown() || req.StateValue.IsNull() || req.StateValue.IsUnknown() ||
		req.Plan.Raw.IsNull() || req.State.Raw.IsNull() {
		return
	}
	var planned, prior types.Map
	if d := req.Plan.GetAttribute(ctx, m.members, &planned); d.HasError() {
		return
	}
	if d := req.State.GetAttribute(ctx, m.members, &prior); d.HasError() {
		return
	}
	// This modifier sees the plan before the members' own modifiers ran:
	// MapKeysIgnoreCase will plan state's members exactly when they are
	// the same.
	priorKeys, ok := memberKeysOf(prior)
	if !ok {
		return
	}
	computedKeys, ok := memberKeysOf(req.StateValue)
	if !ok || !sameKeySet(computedKeys, priorKeys) {
		return
	}
	if SameMembers(prior, planned) {
		resp.PlanValue = req.StateValue
		return
	}
	if !m.keysOnly {
		return
	}
	plannedKeys, ok := memberKeysOf(planned)
	if !ok || !sameKeySet(plannedKeys, priorKeys) {
		return
	}
	elems := make(map[string]attr.Value, len(plannedKeys))
	for k, v := range req.StateValue.Elements() {
		elems[plannedKeys[MemberKey(k)]] = v
	}
	v, d := types.MapValue(req.StateValue.ElementType(ctx), elems)
	if d.HasError() {
		return
	}
	resp.PlanValue = v
}

func sameKeySet(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for id := range a {
		if _, ok := b[id]; !ok {
			return false
		}
	}
	return true
}

// UniqueMemberKeys validates that no two keys of a members map are the
// same member: the same email in different letter case (MemberKey).
func UniqueMemberKeys() validator.Map { return uniqueMemberKeys{} }

type uniqueMemberKeys struct{}

func (uniqueMemberKeys) Description(context.Context) string {
	return "each member must appear once: emails are compared without regard to letter case"
}

func (v uniqueMemberKeys) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (uniqueMemberKeys) ValidateMap(_ context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	_, dups := UniqueMembers(slices.Sorted(maps.Keys(req.ConfigValue.Elements())))
	for _, d := range dups {
		resp.Diagnostics.AddAttributeError(req.Path, "Duplicate member",
			fmt.Sprintf("Attribute %s lists %q and %q, which are the same email address in different letter case (emails are compared without regard to case): keep one.", req.Path, d.First, d.Again))
	}
}
