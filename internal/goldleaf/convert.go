package goldleaf

// The resource's model and its conversions to and from plain values.

import (
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// statusInvited is the status of every invitation: GoldLeaf cannot be
// asked whether the user accepted.
const statusInvited = "invited"

// invitationModel is membership_goldleaf_organization_invitation.
type invitationModel struct {
	ID                types.String `tfsdk:"id"`
	Email             shared.Email `tfsdk:"email"`
	PasswordWO        types.String `tfsdk:"password_wo"`
	PasswordWOVersion types.Int64  `tfsdk:"password_wo_version"`
	Status            types.String `tfsdk:"status"`
}

// invitee is the user the model invites, with password (the write-only
// password_wo from the configuration) when it is set.
func (m invitationModel) invitee(password types.String) Invitee {
	inv := Invitee{Email: m.Email.ValueString()}
	if !password.IsNull() && !password.IsUnknown() {
		pw := password.ValueString()
		inv.Password = &pw
	}
	return inv
}

// invited records a sent invitation: the id, the status, and no password
// (write-only values are never stored).
func (m *invitationModel) invited() {
	m.ID = types.StringValue(shared.NormalizeEmail(m.Email.ValueString()))
	m.Status = types.StringValue(statusInvited)
	m.PasswordWO = types.StringNull()
}

// importedModel is the state of an imported invitation of email: recorded
// as given, since GoldLeaf cannot read users.
func importedModel(email string) invitationModel {
	m := invitationModel{Email: shared.EmailValue(email), PasswordWOVersion: types.Int64Null()}
	m.invited()
	return m
}
