package royalti

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

var (
	_ resource.Resource                = &invitationResource{}
	_ resource.ResourceWithConfigure   = &invitationResource{}
	_ resource.ResourceWithImportState = &invitationResource{}
	_ resource.ResourceWithIdentity    = &invitationResource{}
	_ resource.ResourceWithModifyPlan  = &invitationResource{}
)

// newInvitationResource is membership_royalti_workspace_invitation: one
// member of a workspace.
func newInvitationResource() resource.Resource { return &invitationResource{} }

type invitationResource struct {
	client *Client
	guard  shared.Guardrails
}

const invitedAtDoc = "When the invitation was sent, in RFC 3339 (UTC): the invite's `meta.date` as `GET /user/invites` reports it. " +
	"Null right after the invitation is sent (the invite's answer carries no date, and the read-back lists users without their invites): the next refresh fills it. " +
	"Null for a member who was never invited."

func (r *invitationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_royalti_workspace_invitation"
}

func (r *invitationResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"workspace_id": identityschema.StringAttribute{OptionalForImport: true,
				Description: "The workspace id as in `workspace_id`, or \"default\" (the default) for the workspace of the provider's token."},
			"email": shared.EmailIdentityAttribute(),
		},
	}
}

func (r *invitationResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Invites one person to a Royalti.io workspace (`POST /auth/invite`) and manages the resulting tenant user: " +
			"`role`, `first_name` and `last_name` are updated in place (`PATCH /user/{id}`), and destroying the resource removes the " +
			"tenant user from the workspace (`DELETE /user/{id}`).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Tenant user id (uuid) of the invited person in the workspace.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"email": shared.EmailAttribute("Email address to invite. Compared case-insensitively: a change of letter case only is not a change. Changing it invites the new address and removes the old tenant user."),
			"role": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(RoleUser),
				MarkdownDescription: "Role in the workspace: `user` (default) or `admin`. Updated in place. (`owner` exists but cannot be assigned.)",
				Validators:          []validator.String{roleValidator()},
			},
			"first_name": nameAttribute("First"),
			"last_name":  nameAttribute("Last"),
			"message": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Message added to the invitation email. Used when inviting only: changing it later updates state without a request.",
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 2000)},
			},
			"redirect_url": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Absolute http(s) URL the person is sent to after accepting. Used when inviting only: changing it later updates state without a request.",
				Validators:          []validator.String{shared.URLValidator()},
			},
			"send_email": schema.BoolAttribute{
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(true),
				MarkdownDescription: "Whether Royalti emails the invitation. Default `true`. Used when inviting only: changing it later updates state without a request.",
			},
			"workspace_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Workspace to invite into, sent as the `workspaceId` query parameter of the invite. Default: the workspace of the provider's token. Changing it forces a new invitation. " +
					"Royalti's read endpoints (`GET /user/...`) take no workspace parameter and answer for the token's workspace, so the token must belong to this workspace.",
				Validators:    []validator.String{stringvalidator.LengthBetween(1, 100), stringvalidator.RegexMatches(workspaceIDRe, "must contain no spaces or slashes")},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"invite_status": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Status of the invitation: `invited` (pending) or `joined` (accepted). A cancelled invitation removes the resource from state.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"invited_at": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: invitedAtDoc,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"pending": schema.BoolAttribute{
				Computed:            true,
				MarkdownDescription: pendingDoc,
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

// nameAttribute is first_name or last_name (which: "First" or "Last").
func nameAttribute(which string) schema.StringAttribute {
	return schema.StringAttribute{
		Optional:            true,
		Computed:            true,
		MarkdownDescription: which + " name of the person. Updated in place. When not set, the value Royalti holds is kept.",
		Validators:          []validator.String{stringvalidator.LengthBetween(1, 100)},
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
}

func (r *invitationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	shared.ConfigureClient(req.ProviderData, Name, &r.client, &resp.Diagnostics)
	r.guard = shared.GuardrailsOf(req.ProviderData)
}

// protected is what destroying m leaves, when the provider's
// protected_members protect the member (ok false otherwise).
func (r *invitationResource) protected(m invitationModel) (shared.KeptAccess, bool) {
	return r.guard.ProtectedKeptAccess(m.Email.ValueString(), workspaceLabel(m.WorkspaceID.ValueString()), Title)
}

// ModifyPlan warns, at plan time, that destroying or replacing the
// invitation of a member the provider's protected_members protect leaves
// them in the workspace.
func (r *invitationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() {
		return
	}
	var state invitationModel
	if resp.Diagnostics.Append(req.State.Get(ctx, &state)...); resp.Diagnostics.HasError() {
		return
	}
	k, ok := r.protected(state)
	if !ok {
		return
	}
	if req.Plan.Raw.IsNull() {
		shared.AddDestroyWarning(&resp.Diagnostics, k)
		return
	}
	var plan invitationModel
	if resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...); resp.Diagnostics.HasError() {
		return
	}
	if !plan.WorkspaceID.Equal(state.WorkspaceID) || plan.Email.IsUnknown() || shared.NormalizeEmail(plan.Email.ValueString()) != shared.NormalizeEmail(state.Email.ValueString()) {
		shared.AddReplaceWarning(&resp.Diagnostics, k, "another invitation")
	}
}

func (r *invitationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan invitationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ws := plan.WorkspaceID.ValueString()
	u, err := r.client.inviteOne(ctx, ws, plan.invitation())
	if err != nil {
		shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not invite %s to %s", plan.Email.ValueString(), workspaceLabel(ws)), err, Name)
		return
	}
	plan.fill(u)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setIdentity(ctx, resp.Identity, ws, plan.Email.ValueString(), &resp.Diagnostics)
}

// Read removes the member when Royalti has no tenant user for it any more,
// or its invite was cancelled (countsAsAbsent).
func (r *invitationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state invitationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ws := state.WorkspaceID.ValueString()
	// The framework wants an identity even from a Read that removes the
	// resource: set it first.
	setIdentity(ctx, resp.Identity, ws, state.Email.ValueString(), &resp.Diagnostics)
	u, err := r.member(ctx, state, &resp.Diagnostics)
	if errors.Is(err, shared.ErrNotFound) || (err == nil && countsAsAbsent(u)) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not read the invitation of %s in %s", state.Email.ValueString(), workspaceLabel(ws)), err, Name)
		return
	}
	state.fill(u)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	setIdentity(ctx, resp.Identity, ws, state.Email.ValueString(), &resp.Diagnostics)
}

// member finds the tenant user of state in the run's listing (findUser).
// When the invites listing failed, the user row says the member is there;
// its invite status is the one state has or, when state has none (an
// import), the user's own record, with a warning.
func (r *invitationResource) member(ctx context.Context, state invitationModel, diags *diag.Diagnostics) (*User, error) {
	ws := state.WorkspaceID.ValueString()
	dir, err := r.client.directory(ctx, ws)
	if err != nil {
		return nil, err
	}
	u, err := r.client.findUser(ctx, dir, state.ID.ValueString())
	if err != nil || u.Invite != nil || dir.InvitesErr == nil {
		return u, err
	}
	if s := state.InviteStatus.ValueString(); s != "" {
		u.Invite = &Invite{Status: s}
	} else {
		u, err = r.client.getUser(ctx, u.ID)
	}
	diags.AddWarning("Royalti invite statuses not refreshed",
		fmt.Sprintf("The invites listing of %s failed, so invite_status keeps its last known value. The members themselves were read. Cause: %v", workspaceLabel(ws), dir.InvitesErr))
	return u, err
}

func (r *invitationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state invitationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	fields := profileFrom(plan.Role, plan.FirstName, plan.LastName).Fields(profileFrom(state.Role, state.FirstName, state.LastName))
	ws := state.WorkspaceID.ValueString()
	if len(fields) > 0 {
		if _, err := r.client.updateUser(ctx, User{ID: state.ID.ValueString()}, fields); err != nil {
			shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not update %s in %s", state.Email.ValueString(), workspaceLabel(ws)), err, Name)
			return
		}
	}
	plan.ID = state.ID
	plan.InviteStatus, plan.InvitedAt, plan.Pending = state.InviteStatus, state.InvitedAt, state.Pending
	if plan.FirstName.IsUnknown() {
		plan.FirstName = state.FirstName
	}
	if plan.LastName.IsUnknown() {
		plan.LastName = state.LastName
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setIdentity(ctx, resp.Identity, ws, state.Email.ValueString(), &resp.Diagnostics)
}

func (r *invitationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state invitationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if k, ok := r.protected(state); ok {
		shared.AddForgottenWarning(&resp.Diagnostics, k)
		return
	}
	ws := state.WorkspaceID.ValueString()
	if err := r.client.deleteUser(ctx, state.ID.ValueString()); err != nil {
		shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not remove %s from %s", state.Email.ValueString(), workspaceLabel(ws)), err, Name)
	}
}

// ImportState accepts the string import IDs (see parseImportID) and, with
// Terraform 1.12 and later, an identity
// { workspace_id = "default", email = "jane@example.com" }. Emails are
// found in the run's shared listing, so importing many members costs the
// listing's pages.
func (r *invitationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ws, key, isEmail, ok := importKey(ctx, req, &resp.Diagnostics)
	if !ok {
		return
	}
	id, email := key, ""
	if isEmail {
		u, err := r.client.findMember(ctx, ws, key)
		switch {
		case errors.Is(err, shared.ErrNotFound):
			resp.Diagnostics.AddError("No such Royalti tenant user",
				fmt.Sprintf("No tenant user with email %s was found in %s. Check the email, or invite it with this resource instead of importing it.", key, workspaceLabel(ws)))
			return
		case err != nil:
			shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not look up %s in %s", key, workspaceLabel(ws)), err, Name)
			return
		}
		id, email = u.ID, key
	} else if dir, err := r.client.directory(ctx, ws); err == nil && dir.ByID[key] != nil {
		email = dir.ByID[key].Email
	}
	if email != "" {
		setIdentity(ctx, resp.Identity, ws, email, &resp.Diagnostics)
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	if ws != "" {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("workspace_id"), ws)...)
	}
	if isEmail {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("email"), shared.EmailValue(key))...)
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("send_email"), true)...)
}

// importKey is what an import names: the workspace ("" for the token's)
// and a tenant user ID or an email, from the import ID or the identity;
// ok is false after an error.
func importKey(ctx context.Context, req resource.ImportStateRequest, diags *diag.Diagnostics) (ws, key string, isEmail, ok bool) {
	if req.ID != "" || req.Identity == nil {
		ws, key, isEmail, err := parseImportID(req.ID)
		if err != nil {
			diags.AddError("Invalid import ID for "+invitationType, err.Error())
			return "", "", false, false
		}
		return ws, key, isEmail, true
	}
	var id invitationIdentity
	if diags.Append(req.Identity.Get(ctx, &id)...); diags.HasError() {
		return "", "", false, false
	}
	ws = id.WorkspaceID.ValueString()
	if !id.WorkspaceID.IsNull() && (ws == "" || !workspaceIDRe.MatchString(ws)) {
		shared.IdentityError(diags, invitationType, identityShape, fmt.Sprintf("workspace_id %q is not a workspace ID (no spaces or slashes) nor \"default\"", ws))
	}
	key = shared.IdentityEmail(id.Email, invitationType, identityShape, diags)
	if diags.HasError() {
		return "", "", false, false
	}
	if ws == defaultWorkspaceID {
		ws = ""
	}
	return ws, key, true, true
}
