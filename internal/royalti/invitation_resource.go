package royalti

import (
	"context"
	"fmt"
	"regexp"
	"strings"

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
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

var (
	_ resource.Resource                = &invitationResource{}
	_ resource.ResourceWithConfigure   = &invitationResource{}
	_ resource.ResourceWithImportState = &invitationResource{}
	_ resource.ResourceWithIdentity    = &invitationResource{}
	_ resource.ResourceWithModifyPlan  = &invitationResource{}
)

// invitationType is the resource type name.
const invitationType = "membership_royalti_workspace_invitation"

// invitationIdentity is the resource identity (Terraform 1.12 and later):
// the workspace ("default" for the workspace of the provider's token) and
// the member's email in lower case.
type invitationIdentity struct {
	WorkspaceID types.String `tfsdk:"workspace_id"`
	Email       types.String `tfsdk:"email"`
}

// identityShape is what an identity looks like, for errors.
const identityShape = `{ workspace_id = "default", email = "jane@example.com" }`

func (r *invitationResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"workspace_id": identityschema.StringAttribute{OptionalForImport: true,
				Description: "The workspace id as in `workspace_id`, or \"default\" (the default) for the workspace of the provider's token."},
			"email": shared.EmailIdentityAttribute(),
		},
	}
}

// setIdentity records the member's identity.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, ws, email string, diags *diag.Diagnostics) {
	if ws == "" {
		ws = defaultWorkspaceID
	}
	shared.SetIdentity(ctx, identity, invitationIdentity{WorkspaceID: types.StringValue(ws), Email: types.StringValue(shared.NormalizeEmail(email))}, diags)
}

var workspaceIDRe = regexp.MustCompile(`^[^\s/]+$`)

func newInvitationResource() resource.Resource { return &invitationResource{} }

type invitationResource struct {
	client *Client
	guard  shared.Guardrails
}

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

const invitedAtDoc = "When the invitation was sent, in RFC 3339 (UTC): the invite's `meta.date` as `GET /user/invites` reports it. " +
	"Null right after the invitation is sent (the invite's answer carries no date, and the read-back lists users without their invites): the next refresh fills it. " +
	"Null for a member who was never invited."

const pendingDoc = "Whether the invitation is still pending: `invite_status` is `invited`."

func (r *invitationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_royalti_workspace_invitation"
}

// roleValidator accepts the roles an invitation can give.
func roleValidator() validator.String { return stringvalidator.OneOf("user", "admin") }

func (r *invitationResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Invites one person to a Royalti.io workspace (`POST /auth/invite`) and manages the resulting tenant user: " +
			"`role`, `first_name` and `last_name` are updated in place (`PATCH /user/{id}`), and destroying the resource removes the " +
			"tenant user from the workspace (`DELETE /user/{id}`).\n\n" +
			"The current invite page documents neither a role nor names (the older one did), so they are sent as hints: after inviting, the " +
			"provider reads the user back and sets role and names with `PATCH /user/{id}` where the invite did not apply them, so an apply " +
			"converges whichever way the service behaves. The read-back is shared: one read of the most recently changed users " +
			"(`GET /user/?sort=updatedAt&order=desc`) serves every invitation whose answer had arrived when it started, instead of a read per member.\n\n" +
			"Refresh reads the workspace's user and invite listings once per Terraform run (`GET /user/` and `GET /user/invites`, 100 a page, " +
			"paged until `totalUsers`) and shares them among all invitations, so a refresh of many members costs the listings' pages, not one call " +
			"per member; if only the invites listing fails, the members are still read and `invite_status` keeps its last value (with a warning). " +
			"An answer that carries Royalti's error envelope (`{\"message\": ...}`) instead of data is an error, never an absent member. " +
			"A tenant user that was deleted, or whose invite was cancelled, disappears from state and is planned for re-invitation; a role or name changed in Royalti shows as a diff.\n\n" +
			"Limits of the API: `message`, `redirect_url` and `send_email` are only used when the invitation is sent; Royalti does not " +
			"return them, so changing them later only updates state (no request) and they are not checked for drift. " +
			"Royalti allows one tenant user per email in a workspace: an email that already has one is adopted (decided from the listing), its role and names set in place. " +
			"The workspace owner cannot be invited, re-assigned or removed.\n\n" +
			"Import with the tenant user id, the email, or either prefixed by `<workspace_id>/`; with Terraform 1.12 and later also by identity " +
			"(`{ workspace_id = \"default\", email = \"jane@example.com\" }`). With Terraform 1.14 and later, `terraform query` lists the members " +
			"(list resource of the same name, with `role` and `status` filters).",
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
				Default:             stringdefault.StaticString("user"),
				MarkdownDescription: "Role in the workspace: `user` (default) or `admin`. Updated in place. (`owner` exists but cannot be assigned.)",
				Validators:          []validator.String{roleValidator()},
			},
			"first_name": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "First name of the person. Updated in place. When not set, the value Royalti holds is kept.",
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 100)},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"last_name": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "Last name of the person. Updated in place. When not set, the value Royalti holds is kept.",
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 100)},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
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

func workspaceLabel(ws string) string {
	if ws == "" {
		return "Royalti workspace (of the provider's token)"
	}
	return "Royalti workspace " + ws
}

// inviteRequest is the invitation of one member. Role and names are hints
// (the current invite page documents neither): the caller reads the user
// back and corrects them with PATCH /user/{id}.
func inviteRequest(email string, role, first, last types.String, sendEmail types.Bool, message, redirect types.String) InviteRequest {
	return InviteRequest{
		Email: email, SendEmail: sendEmail.IsNull() || sendEmail.IsUnknown() || sendEmail.ValueBool(), Message: message.ValueString(),
		RedirectURL: redirect.ValueString(), Role: role.ValueString(), FirstName: first.ValueString(), LastName: last.ValueString(),
	}
}

func (r *invitationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan invitationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	email := plan.Email.ValueString()
	ws := plan.WorkspaceID.ValueString()
	ir := inviteRequest(email, plan.Role, plan.FirstName, plan.LastName, plan.SendEmail, plan.Message, plan.RedirectURL)
	u, err := r.client.inviteAndSettle(ctx, ws, ir, profileFrom(plan.Role, plan.FirstName, plan.LastName))
	if err != nil {
		shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not invite %s to %s", email, workspaceLabel(ws)), err, Name)
		return
	}
	plan.fill(u)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setIdentity(ctx, resp.Identity, ws, plan.Email.ValueString(), &resp.Diagnostics)
}

// fill copies what Royalti holds into the model.
func (m *invitationModel) fill(u *User) {
	m.ID = types.StringValue(u.ID)
	if !strings.EqualFold(m.Email.ValueString(), u.Email) || m.Email.IsNull() {
		m.Email = shared.EmailValue(u.Email)
	}
	if u.Role != "" {
		m.Role = types.StringValue(u.Role)
	}
	m.FirstName = optString(u.FirstName)
	m.LastName = optString(u.LastName)
	m.InviteStatus = types.StringValue(u.InviteStatus())
	m.InvitedAt = shared.TimestampValue(u.InvitedAt())
	m.Pending = types.BoolValue(u.InvitePending())
	if m.SendEmail.IsNull() || m.SendEmail.IsUnknown() {
		m.SendEmail = types.BoolValue(true)
	}
}

func optString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

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
	u, dir, err := r.client.lookup(ctx, ws, state.ID.ValueString())
	if err == nil && u != nil && u.Invite == nil && dir.InvitesErr != nil {
		// The invites listing failed: the user row says the member is
		// there; its invite status is the one state has, or, when state
		// has none (an import), the user's own record.
		if s := state.InviteStatus.ValueString(); s != "" {
			u.Invite = &Invite{Status: s}
		} else {
			u, err = r.client.getUser(ctx, u.ID)
		}
		resp.Diagnostics.AddWarning("Royalti invite statuses not refreshed",
			fmt.Sprintf("The invites listing of %s failed, so invite_status keeps its last known value. The members themselves were read. Cause: %v", workspaceLabel(ws), dir.InvitesErr))
	}
	if err != nil {
		shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not read the invitation of %s in %s", state.Email.ValueString(), workspaceLabel(ws)), err, Name)
		return
	}
	if u == nil || u.InviteStatus() == StatusCancelled {
		resp.State.RemoveResource(ctx)
		return
	}
	state.fill(u)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	setIdentity(ctx, resp.Identity, ws, state.Email.ValueString(), &resp.Diagnostics)
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
		if _, err := r.client.updateUser(ctx, ws, User{ID: state.ID.ValueString()}, fields); err != nil {
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
	if err := r.client.deleteUser(ctx, ws, state.ID.ValueString()); err != nil {
		shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not remove %s from %s", state.Email.ValueString(), workspaceLabel(ws)), err, Name)
	}
}

// ImportState accepts the string import ids (see parseImportID) and, with
// Terraform 1.12 and later, an identity
// { workspace_id = "default", email = "jane@example.com" }. Emails are
// found in the run's shared listing, so importing many members costs the
// listing's pages.
func (r *invitationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	var ws, key string
	var isEmail bool
	if req.ID == "" && req.Identity != nil {
		var id invitationIdentity
		if resp.Diagnostics.Append(req.Identity.Get(ctx, &id)...); resp.Diagnostics.HasError() {
			return
		}
		ws = id.WorkspaceID.ValueString()
		if !id.WorkspaceID.IsNull() && (ws == "" || !workspaceIDRe.MatchString(ws)) {
			shared.IdentityError(&resp.Diagnostics, invitationType, identityShape, fmt.Sprintf("workspace_id %q is not a workspace id (no spaces or slashes) nor \"default\"", ws))
		}
		key = shared.IdentityEmail(id.Email, invitationType, identityShape, &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
		if ws == defaultWorkspaceID {
			ws = ""
		}
		isEmail = true
	} else {
		var err error
		ws, key, isEmail, err = parseImportID(req.ID)
		if err != nil {
			resp.Diagnostics.AddError("Invalid import id for "+invitationType, err.Error())
			return
		}
	}
	id, email := key, ""
	if isEmail {
		dir, err := r.client.directory(ctx, ws)
		if err != nil {
			shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not look up %s in %s", key, workspaceLabel(ws)), err, Name)
			return
		}
		u := dir.ByEmail(key)
		if u == nil || u.InviteStatus() == StatusCancelled {
			resp.Diagnostics.AddError("No such Royalti tenant user",
				fmt.Sprintf("No tenant user with email %s was found in %s. Check the email, or invite it with this resource instead of importing it.", key, workspaceLabel(ws)))
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
