package royalti

// Conversions between the resources' models and plain values.

import (
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// invitationModel is membership_royalti_workspace_invitation (the resource
// and the list resource's results).
type invitationModel struct {
	ID           types.String `tfsdk:"id"`
	Email        shared.Email `tfsdk:"email"`
	Role         types.String `tfsdk:"role"`
	FirstName    types.String `tfsdk:"first_name"`
	LastName     types.String `tfsdk:"last_name"`
	Message      types.String `tfsdk:"message"`
	RedirectURL  types.String `tfsdk:"redirect_url"`
	SendEmail    types.Bool   `tfsdk:"send_email"`
	WorkspaceID  types.String `tfsdk:"workspace_id"`
	InviteStatus types.String `tfsdk:"invite_status"`
	InvitedAt    types.String `tfsdk:"invited_at"`
	Pending      types.Bool   `tfsdk:"pending"`
}

// fill copies what Royalti holds into the model.
func (m *invitationModel) fill(u *User) {
	m.ID = types.StringValue(u.ID)
	if m.Email.IsNull() || shared.NormalizeEmail(m.Email.ValueString()) != shared.NormalizeEmail(u.Email) {
		m.Email = shared.EmailValue(u.Email)
	}
	if u.Role != "" {
		m.Role = types.StringValue(u.Role)
	}
	m.FirstName = shared.StringOrNull(optional(u.FirstName))
	m.LastName = shared.StringOrNull(optional(u.LastName))
	m.InviteStatus = types.StringValue(u.InviteStatus())
	m.InvitedAt = shared.TimestampValue(u.InvitedAt())
	m.Pending = types.BoolValue(u.InvitePending())
	if m.SendEmail.IsNull() || m.SendEmail.IsUnknown() {
		m.SendEmail = types.BoolValue(true)
	}
}

// invitation is the model's invitation (see newMemberInvite).
func (m invitationModel) invitation() memberInvite {
	return newMemberInvite(m.Email.ValueString(), profileFrom(m.Role, m.FirstName, m.LastName), inviteSettings{
		Message: m.Message.ValueString(), RedirectURL: m.RedirectURL.ValueString(), SendEmail: sendEmail(m.SendEmail),
	})
}

// sendEmail is a send_email value: true unless set to false.
func sendEmail(v types.Bool) bool { return v.IsNull() || v.IsUnknown() || v.ValueBool() }

// profileFrom is the profile a model's role and names ask for (null or
// unknown: not managed).
func profileFrom(role, first, last types.String) Profile {
	return Profile{Role: role.ValueString(), FirstName: shared.StringPtr(first), LastName: shared.StringPtr(last)}
}
