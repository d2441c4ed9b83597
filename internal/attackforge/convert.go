package attackforge

// Conversions between the resources' models and the plain values of
// api.go, find.go and rules.go: one function each way beside the model
// (fill copies a User into a model; loadTeam/storeTeam turn the team
// model into the engine's snapshot and back), and the identity every
// membership_attackforge_project_team_member (resource or list result)
// carries.

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// fill copies what AttackForge reports about the member's user.
func (m *teamMemberModel) fill(u User) {
	m.UserID = types.StringValue(u.ID)
	m.ID = types.StringValue(m.ProjectID.ValueString() + "/" + u.ID)
	m.Email = emailOrNull(u.Email)
	m.Username = stringOrNull(u.Username)
}

// listedMember is the resource a member found on a team is listed or
// imported as: access level and project role null (unreadable), status
// Invited.
func listedMember(projectID string, u User) teamMemberModel {
	m := teamMemberModel{
		ProjectID: types.StringValue(projectID), User: types.StringValue(listedUser(u)),
		AccessLevel: types.StringNull(), ProjectRole: types.StringNull(), Status: types.StringValue(statusInvited),
	}
	m.fill(u)
	return m
}

// setIdentity records the member's identity: the project and the user's
// email as AttackForge reports it (the user value itself when AttackForge
// reports none). An identity already stored is kept.
func setIdentity(ctx context.Context, current, identity *tfsdk.ResourceIdentity, m teamMemberModel, diags *diag.Diagnostics) {
	if identity == nil {
		return
	}
	if !shared.IdentityIsNull(current) {
		var id teamMemberIdentity
		if d := current.Get(ctx, &id); !d.HasError() && id.Email.ValueString() != "" && id.ProjectID.ValueString() != "" {
			shared.SetIdentity(ctx, identity, id, diags)
			return
		}
	}
	email := m.Email.ValueString()
	if email == "" {
		email = m.User.ValueString()
	}
	shared.SetIdentity(ctx, identity, teamMemberIdentity{
		ProjectID: types.StringValue(strings.ToLower(m.ProjectID.ValueString())),
		Email:     types.StringValue(shared.NormalizeEmail(email)),
	}, diags)
}

// fill copies a member found on a team into a data source entry.
func (e *teamMembersEntry) fill(u User) {
	*e = teamMembersEntry{
		User: types.StringValue(listedUser(u)), UserID: types.StringValue(u.ID), Email: stringOrNull(u.Email), Username: stringOrNull(u.Username),
		FirstName: stringOrNull(u.FirstName), LastName: stringOrNull(u.LastName), Status: stringOrNull(u.Status),
	}
}

// fill copies a user into the user data source, keeping the email or
// username the configuration looked them up by.
func (m *userModel) fill(u User) {
	email, username := m.Email, m.Username
	*m = userModel{
		ID: types.StringValue(u.ID), Email: emailOrNull(u.Email), Username: stringOrNull(u.Username),
		FirstName: stringOrNull(u.FirstName), LastName: stringOrNull(u.LastName),
		Role: stringOrNull(u.Role), Status: stringOrNull(u.Status),
	}
	if !email.IsNull() && !email.IsUnknown() {
		m.Email = email
	}
	if !username.IsNull() && !username.IsUnknown() {
		m.Username = username
	}
}

// loadTeam is the team model as the authoritative engine's snapshot, and
// its scope (ok false while a value it needs is unknown).
func loadTeam(ctx context.Context, m teamModel) (shared.Snapshot[member], teamScope, bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	s := shared.Snapshot[member]{
		Unlisted: shared.StringMapOf(m.UnlistedMembers), Exclusive: m.Exclusive.IsNull() || m.Exclusive.ValueBool(),
		MaxRemovals: shared.Int64Ptr(m.MaxRemovals), IDs: shared.StringMapOf(m.UserIDs),
	}
	if !m.Members.IsNull() && !m.Members.IsUnknown() {
		var members map[string]teamMember
		diags.Append(m.Members.ElementsAs(ctx, &members, false)...)
		s.Members = make(map[string]member, len(members))
		for k, v := range members {
			s.Members[k] = member{AccessLevel: shared.StringPtr(v.AccessLevel), ProjectRole: shared.StringPtr(v.ProjectRole)}
		}
	}
	return s, teamScope{ProjectID: m.ProjectID.ValueString()}, !m.Members.IsUnknown() && !m.Exclusive.IsUnknown() && !m.ProjectID.IsUnknown(), diags
}

// storeTeam writes the engine's snapshot into the team model.
func storeTeam(_ context.Context, m *teamModel, s shared.Snapshot[member]) diag.Diagnostics {
	m.ID = types.StringValue(m.ProjectID.ValueString())
	elems := make(map[string]attr.Value, len(s.Members))
	for k, v := range s.Members {
		elems[k] = types.ObjectValueMust(teamMemberAttrTypes, map[string]attr.Value{
			"access_level": shared.StringOrNull(v.AccessLevel), "project_role": shared.StringOrNull(v.ProjectRole)})
	}
	m.Members = types.MapValueMust(types.ObjectType{AttrTypes: teamMemberAttrTypes}, elems)
	m.Exclusive = types.BoolValue(s.Exclusive)
	m.UserIDs, m.UnlistedMembers = shared.StringMapValue(s.IDs), shared.StringMapValue(s.Unlisted)
	return nil
}

func emailOrNull(s string) shared.Email {
	if s == "" {
		return shared.EmailNull()
	}
	return shared.EmailValue(s)
}

func stringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
