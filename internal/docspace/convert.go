package docspace

// convert.go: the models of the resources and the list resource beside
// their conversions to and from plain values: fill (a portal user into the
// model), user (the state into the portal user it describes), loadPortal
// and storePortal (the authoritative model and the engine's snapshot).

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

type invitationModel struct {
	ID               types.String `tfsdk:"id"`
	Email            shared.Email `tfsdk:"email"`
	Type             types.String `tfsdk:"type"`
	Culture          types.String `tfsdk:"culture"`
	DisplayName      types.String `tfsdk:"display_name"`
	ActivationStatus types.String `tfsdk:"activation_status"`
	Status           types.String `tfsdk:"status"`
	DataSuccessor    types.String `tfsdk:"data_successor"`
	InvitedAt        types.String `tfsdk:"invited_at"`
	Pending          types.Bool   `tfsdk:"pending"`
}

// invitationIdentity is the resource identity (Terraform 1.12 and later):
// the portal and the person's email in lower case.
type invitationIdentity struct {
	Portal types.String `tfsdk:"portal"`
	Email  types.String `tfsdk:"email"`
}

func (m *invitationModel) fill(u *User) {
	m.ID = types.StringValue(u.ID)
	if m.Email.IsNull() || m.Email.IsUnknown() || shared.NormalizeEmail(m.Email.ValueString()) != shared.NormalizeEmail(u.Email) {
		m.Email = shared.EmailValue(u.Email)
	}
	m.Type = types.StringValue(u.Type())
	m.DisplayName = types.StringValue(u.DisplayName)
	m.ActivationStatus = types.StringValue(ActivationWord(u.ActivationStatus))
	m.Status = types.StringValue(StatusWord(u.Status))
	m.InvitedAt = shared.TimestampValue(u.InvitedAt())
	m.Pending = types.BoolValue(u.InvitePending())
}

// user is what the state knows of the portal user.
func (m *invitationModel) user() User {
	typ := m.Type.ValueString()
	u := User{ID: m.ID.ValueString(), Email: m.Email.ValueString(), IsOwner: typ == "Owner", IsAdmin: typ == "DocSpaceAdmin",
		IsRoomAdmin: typ == "RoomAdmin", IsVisitor: typ == "Guest", IsCollaborator: typ == "User"}
	if m.Status.ValueString() == StatusWord(StatusTerminated) {
		u.Status = StatusTerminated
	}
	return u
}

func loadPortal(_ context.Context, m invitationsModel) (shared.Snapshot[string], portalScope, bool, diag.Diagnostics) {
	s := shared.Snapshot[string]{
		Members: shared.StringMapOf(m.Members), Unlisted: shared.StringMapOf(m.UnlistedMembers),
		Exclusive: m.Exclusive.IsNull() || m.Exclusive.ValueBool(), MaxRemovals: shared.Int64Ptr(m.MaxRemovals),
		IDs: shared.StringMapOf(m.MemberIDs), Statuses: shared.StringMapOf(m.ActivationStatuses),
	}
	scope := portalScope{Culture: m.Culture.ValueString(), Successor: m.DataSuccessor.ValueString()}
	return s, scope, !m.Members.IsUnknown() && !m.Exclusive.IsUnknown() && !m.DataSuccessor.IsUnknown(), nil
}

func (r *invitationsResource) storePortal(_ context.Context, m *invitationsModel, s shared.Snapshot[string]) diag.Diagnostics {
	m.ID = types.StringValue(r.client.BaseURL().String())
	m.Exclusive = types.BoolValue(s.Exclusive)
	m.Members, m.UnlistedMembers = shared.StringMapValue(s.Members), shared.StringMapValue(s.Unlisted)
	m.MemberIDs, m.ActivationStatuses = shared.StringMapValue(s.IDs), shared.StringMapValue(s.Statuses)
	return nil
}
