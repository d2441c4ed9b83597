package goldleaf

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

var (
	_ resource.Resource                = &invitationResource{}
	_ resource.ResourceWithConfigure   = &invitationResource{}
	_ resource.ResourceWithImportState = &invitationResource{}
	_ resource.ResourceWithModifyPlan  = &invitationResource{}
)

// newInvitationResource is membership_goldleaf_organization_invitation.
func newInvitationResource() resource.Resource { return &invitationResource{} }

type invitationResource struct{ client *Client }

func (r *invitationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + Name + "_organization_invitation"
}

func (r *invitationResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Invites a user to the GoldLeaf organization of the API key, optionally with an initial password " +
			"(`POST /api/v1/organization/users/invite`; an **admin API key** is required).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The email address in lower case.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"email": shared.EmailAttribute("Email address to invite. Compared without regard to letter case: a change of case only is not a change. Changing it invites the new address (a replacement)."),
			"password_wo": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				WriteOnly: true,
				MarkdownDescription: "Initial password of the new user, **write-only** (Terraform >= 1.11): sent with the invitation, never stored in the plan or the state. " +
					"GoldLeaf's policy is checked at plan time: at least 8 characters, with an upper-case letter, a lower-case letter, a digit and a special character. " +
					"Without it, the user chooses a password when accepting the invitation. GoldLeaf cannot change it later: bump `password_wo_version` to re-invite with a new one.",
				Validators: []validator.String{passwordPolicy{}},
			},
			"password_wo_version": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "Any number; change it to send `password_wo` again. Since GoldLeaf cannot change a password, a change re-invites the user " +
					"(a replacement). Needs `password_wo`.",
				Validators:    []validator.Int64{int64validator.AlsoRequires(path.MatchRoot("password_wo"))},
				PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
			"status": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`invited` once the invitation was sent. It never changes: GoldLeaf cannot be asked whether the user accepted.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

func (r *invitationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	shared.ConfigureClient(req.ProviderData, Name, &r.client, &resp.Diagnostics)
}

func (r *invitationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan invitationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	// The write-only password is only in the configuration.
	var password types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("password_wo"), &password)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.client.InviteBatched(ctx, plan.invitee(password)); err != nil {
		shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not invite %s to the GoldLeaf organization", plan.Email.ValueString()), err, Name)
		return
	}
	plan.invited()
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// Read keeps the state as it is: GoldLeaf cannot list or read users.
func (r *invitationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state invitationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	state.PasswordWO = types.StringNull()
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// Update only happens for changes that need no request (every real change
// replaces the resource).
func (r *invitationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan invitationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.PasswordWO = types.StringNull()
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// ModifyPlan warns, at plan time, that a destroy keeps the user in the
// organization (GoldLeaf cannot remove users), and so does a replacement
// by another email (a replacement that re-invites the same email, for a
// new password, leaves the same person in, as planned).
func (r *invitationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() {
		return // a create
	}
	var state invitationModel
	if resp.Diagnostics.Append(req.State.Get(ctx, &state)...); resp.Diagnostics.HasError() {
		return
	}
	if req.Plan.Raw.IsNull() {
		shared.AddDestroyWarning(&resp.Diagnostics, keptAccess(state))
		return
	}
	var email shared.Email
	if resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("email"), &email)...); resp.Diagnostics.HasError() {
		return
	}
	switch {
	case email.IsUnknown():
		shared.AddReplaceWarning(&resp.Diagnostics, keptAccess(state), "an invitation of an email known only at apply")
	case shared.NormalizeEmail(email.ValueString()) != shared.NormalizeEmail(state.Email.ValueString()):
		shared.AddReplaceWarning(&resp.Diagnostics, keptAccess(state), "an invitation of "+email.ValueString())
	}
}

// keptAccess is who keeps access when the invitation's resource is
// destroyed: GoldLeaf cannot remove anyone.
func keptAccess(m invitationModel) shared.KeptAccess {
	return shared.KeptAccess{
		Where:       "the " + Title + " organization",
		People:      []string{m.Email.ValueString()},
		Why:         "GoldLeaf's API has no call to remove (or even list) organization users",
		OnlyForgets: true,
		Remove:      "remove them from the organization in GoldLeaf itself",
	}
}

// Delete forgets the invitation: GoldLeaf cannot remove users.
func (r *invitationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state invitationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	shared.AddForgottenWarning(&resp.Diagnostics, keptAccess(state))
}

// parseImportID checks an import ID: the invited email address.
func parseImportID(id string) (string, error) {
	if why := shared.ValidateEmail(id); why != "" {
		return "", fmt.Errorf("the import ID must be the invited email address, such as jane@example.com; %q %s", id, why)
	}
	return id, nil
}

func (r *invitationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	email, err := parseImportID(strings.TrimSpace(req.ID))
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID for a GoldLeaf organization invitation",
			err.Error()+"\n\nExpected: terraform import membership_goldleaf_organization_invitation.<name> <email>")
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, importedModel(email))...)
	resp.Diagnostics.AddWarning("GoldLeaf invitation imported without checking",
		fmt.Sprintf("GoldLeaf's API cannot read users, so whether %s is invited or a member could not be verified.", email))
}
