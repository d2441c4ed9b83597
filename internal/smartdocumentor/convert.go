package smartdocumentor

// Conversions between the models of the resources and data sources and
// the plain values of api.go and rules.go: one function each way beside
// the model (fill copies what the API reports into a model; membership
// is the model as the rules see it), and the identity every
// membership_smartdocumentor_workspace_invitation (resource or list
// result) carries.

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// fill copies what the workspace listing says about the member.
func (m *invitationModel) fill(u User) {
	m.Role = types.StringValue(u.RoleName)
	m.UserID = types.Int64Value(u.ID)
	status := u.Status
	if status == "" {
		status = statusUnknown
	}
	m.Status = types.StringValue(status)
	m.EmailConfirmed = types.BoolValue(u.EmailConfirmed)
	m.InvitedAt = shared.TimestampValue(u.CreatedAt)
	m.Pending = types.BoolValue(u.InvitePending())
}

// fillPending records an invitation the API accepted that the listing
// does not show (yet): pending.
func (m *invitationModel) fillPending() {
	m.UserID = types.Int64Null()
	m.Status = types.StringValue(statusInvited)
	m.EmailConfirmed = types.BoolValue(false)
	m.InvitedAt, m.Pending = types.StringNull(), types.BoolValue(true)
}

// listedInvitation is the resource a listed member is, as the list
// resource returns it.
func listedInvitation(ws int64, u User) invitationModel {
	m := invitationModel{ID: types.StringValue(importID(ws, u.Email)), WorkspaceID: types.Int64Value(ws), Email: shared.EmailValue(u.Email)}
	m.fill(u)
	return m
}

// membership is the member as the rules see it (the role empty when
// unknown).
func (m invitationModel) membership() membership {
	out := membership{Workspace: m.WorkspaceID.ValueInt64(), Email: m.Email.ValueString()}
	if !m.Role.IsNull() && !m.Role.IsUnknown() {
		out.Role = m.Role.ValueString()
	}
	return out
}

// setIdentity records the member's identity: the workspace and the email
// in lower case.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, ws int64, email string, diags *diag.Diagnostics) {
	shared.SetIdentity(ctx, identity, invitationIdentity{WorkspaceID: types.Int64Value(ws), Email: types.StringValue(shared.NormalizeEmail(email))}, diags)
}

// fill copies a listed member into the data source's entry.
func (m *workspaceUser) fill(u User) {
	*m = workspaceUser{
		UserID: types.Int64Value(u.ID), Email: types.StringValue(u.Email), Name: types.StringValue(u.Name),
		UserName: types.StringValue(u.UserName), Role: types.StringValue(u.RoleName), Status: types.StringValue(u.Status),
		EmailConfirmed: types.BoolValue(u.EmailConfirmed), CreatedAt: types.StringValue(u.CreatedAt),
		InvitedAt: shared.TimestampValue(u.CreatedAt), Pending: types.BoolValue(u.InvitePending()),
	}
}

// fill copies a workspace into the data source's entry.
func (m *workspaceModel) fill(w Workspace) {
	*m = workspaceModel{
		WorkspaceID: types.Int64Value(w.WorkspaceID), TenantID: types.Int64Value(w.TenantID),
		Name: types.StringValue(w.WorkspaceName), IsDefault: types.BoolValue(w.IsDefault),
	}
}
