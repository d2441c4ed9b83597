package smartdocumentor

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

const invitationType = "membership_smartdocumentor_workspace_invitation"

var (
	_ resource.ResourceWithConfigure   = &workspaceInvitationResource{}
	_ resource.ResourceWithImportState = &workspaceInvitationResource{}
	_ resource.ResourceWithModifyPlan  = &workspaceInvitationResource{}
	_ resource.ResourceWithIdentity    = &workspaceInvitationResource{}
)

// newWorkspaceInvitationResource is membership_smartdocumentor_workspace_invitation.
func newWorkspaceInvitationResource() resource.Resource { return &workspaceInvitationResource{} }

type workspaceInvitationResource struct {
	client *Client
}

type invitationModel struct {
	ID             types.String `tfsdk:"id"`
	WorkspaceID    types.Int64  `tfsdk:"workspace_id"`
	Email          shared.Email `tfsdk:"email"`
	Role           types.String `tfsdk:"role"`
	UserID         types.Int64  `tfsdk:"user_id"`
	Status         types.String `tfsdk:"status"`
	EmailConfirmed types.Bool   `tfsdk:"email_confirmed"`
	InvitedAt      types.String `tfsdk:"invited_at"`
	Pending        types.Bool   `tfsdk:"pending"`
}

// invitationIdentity is the resource identity (Terraform 1.12 and later):
// the workspace and the member's email in lower case.
type invitationIdentity struct {
	WorkspaceID types.Int64  `tfsdk:"workspace_id"`
	Email       types.String `tfsdk:"email"`
}

// identityShape is what an identity looks like, for errors.
const identityShape = `{ workspace_id = 12, email = "jane@example.com" }`

func (r *workspaceInvitationResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"workspace_id": identityschema.Int64Attribute{RequiredForImport: true, Description: "ID of the SmartDocumentor workspace."},
			"email":        shared.EmailIdentityAttribute(),
		},
	}
}

func (r *workspaceInvitationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_smartdocumentor_workspace_invitation"
}

func (r *workspaceInvitationResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		// How it works, what the API cannot do and what it costs:
		// templates/resources/smartdocumentor_workspace_invitation.md.tmpl.
		MarkdownDescription: "Invites a user to a SmartDocumentor workspace with a role (`POST /api/v1.0/external/sdworkspace/inviteusers`) " +
			"and tracks the membership through the workspace's user list (`GET .../sdworkspace/allusers/{workspaceId}`).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`<workspace_id>/<email>`, also the import ID.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"workspace_id": schema.Int64Attribute{
				Required:            true,
				MarkdownDescription: "ID of the workspace (see the `membership_smartdocumentor_workspaces` data source). Changing it replaces the resource.",
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
			"email": shared.EmailAttribute("Email address of the user to invite. Compared case-insensitively: changing only its letter case changes nothing; any other change replaces the resource."),
			"role": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Name of the role to give the user in the workspace, exactly as the tenant names it (see the `membership_smartdocumentor_roles` data source; " +
					"by default `Administrator`, `Manager`, `Creator`, `Reviewer`, `Viewer`). Checked at plan time against the tenant's roles. " +
					"The API cannot change a member's role: a change is refused at plan time (change it in the SmartDocumentor web app, then here).",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"user_id": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "SmartDocumentor's ID of the user.",
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"status": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Status SmartDocumentor reports for the user: `Invited` while the invitation is pending, `Active` once accepted.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"email_confirmed": schema.BoolAttribute{
				Computed:            true,
				MarkdownDescription: "Whether the user has confirmed their email address (`false` while the invitation is pending).",
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
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

func (r *workspaceInvitationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	shared.ConfigureClient(req.ProviderData, Name, &r.client, &resp.Diagnostics)
}

// ModifyPlan warns, at plan time, that a destroy or a replacement keeps
// the member's access (the API cannot remove anyone), checks role against
// the tenant's roles, and refuses a role change of an existing member,
// which the API cannot make. It runs at plan with the provider configured
// (ValidateConfig runs before, without a client), and for a destroy too,
// with a null plan. Either error fails the plan, so nothing is ever sent
// for it.
func (r *workspaceInvitationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		var state invitationModel
		if resp.Diagnostics.Append(req.State.Get(ctx, &state)...); !resp.Diagnostics.HasError() {
			shared.AddDestroyWarning(&resp.Diagnostics, keptAccess(state.membership()))
		}
		return
	}
	var plan invitationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var state invitationModel
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		if !sameMembership(state, plan) {
			shared.AddReplaceWarning(&resp.Diagnostics, keptAccess(state.membership()), replacement(plan))
		}
	}
	if r.client == nil || plan.Role.IsNull() || plan.Role.IsUnknown() {
		return
	}
	if !req.State.Raw.IsNull() {
		if state.Role.Equal(plan.Role) {
			return // unchanged: nothing will be sent
		}
		if sameMembership(state, plan) {
			resp.Diagnostics.AddAttributeError(path.Root("role"), "SmartDocumentor cannot change a member's role", roleChangeDetail(state.membership(), plan.Role.ValueString()))
			return
		}
	}
	roles, err := r.client.AvailableRoles(ctx)
	if err != nil {
		shared.AddError(&resp.Diagnostics, "Could not check role \""+plan.Role.ValueString()+"\" against the SmartDocumentor tenant's roles", err, Name)
		return
	}
	if why := checkRole(plan.Role.ValueString(), roles); why != "" {
		resp.Diagnostics.AddAttributeError(path.Root("role"), "Unknown SmartDocumentor role", why)
	}
}

// replacement names the membership that replaces the state's.
func replacement(plan invitationModel) string {
	if plan.WorkspaceID.IsUnknown() || plan.Email.IsUnknown() {
		return "a membership whose workspace or email is known only at apply"
	}
	return fmt.Sprintf("a membership of %s in workspace %d", plan.Email.ValueString(), plan.WorkspaceID.ValueInt64())
}

// sameMembership reports whether the plan keeps the member of the state
// (same workspace, same email in any case): no replacement.
func sameMembership(state, plan invitationModel) bool {
	return !plan.WorkspaceID.IsUnknown() && !plan.Email.IsUnknown() && sameMember(state.membership(), plan.membership())
}

func (r *workspaceInvitationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan invitationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ws, email, role := plan.WorkspaceID.ValueInt64(), plan.Email.ValueString(), plan.Role.ValueString()
	if err := r.client.InviteOne(ctx, ws, email, role); err != nil {
		// On the email attribute, with the hint the error carries
		// (DuplicateError, MemberExistsError) or its status suggests.
		shared.AddAttributeError(&resp.Diagnostics, path.Root("email"), fmt.Sprintf("Could not invite %s to SmartDocumentor workspace %d", email, ws), err, Name)
		return
	}
	u, err := r.client.findMember(ctx, ws, email)
	plan.ID = types.StringValue(importID(ws, email))
	switch {
	case err == nil:
		plan.fill(u)
		plan.Role = types.StringValue(role) // as planned; a difference shows at the next refresh
	case errors.Is(err, shared.ErrNotFound):
		plan.fillPending() // accepted but not listed (yet)
	default:
		shared.AddError(&resp.Diagnostics, fmt.Sprintf("Invited %s to SmartDocumentor workspace %d, but could not read the workspace's users back", email, ws), err, Name)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setIdentity(ctx, resp.Identity, ws, email, &resp.Diagnostics)
}

func (r *workspaceInvitationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state invitationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ws, email := state.WorkspaceID.ValueInt64(), state.Email.ValueString()
	// The framework wants an identity even from a Read that removes the
	// resource: set it first.
	setIdentity(ctx, resp.Identity, ws, email, &resp.Diagnostics)
	u, err := r.client.findMember(ctx, ws, email)
	if errors.Is(err, shared.ErrNotFound) || shared.IsNotFound(err) { // the member, or the workspace, is gone
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not read SmartDocumentor workspace %d to find %s", ws, email), err, Name)
		return
	}
	state.fill(u)
	state.ID = types.StringValue(importID(ws, email))
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update sends nothing: workspace_id and email replace the resource, and
// a role change is refused at plan. A role known only at apply (computed
// from another resource) that differs is refused here the same way, with
// the state left as it was.
func (r *workspaceInvitationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state invitationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.Role.Equal(state.Role) {
		resp.Diagnostics.AddAttributeError(path.Root("role"), "SmartDocumentor cannot change a member's role", roleChangeDetail(state.membership(), plan.Role.ValueString()))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setIdentity(ctx, resp.Identity, state.WorkspaceID.ValueInt64(), state.Email.ValueString(), &resp.Diagnostics)
}

func (r *workspaceInvitationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state invitationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	shared.AddForgottenWarning(&resp.Diagnostics, keptAccess(state.membership()))
}

// ImportState accepts the string import ID "<workspace_id>/<email>" and,
// with Terraform 1.12 and later, an identity
// { workspace_id = 12, email = "jane@example.com" }.
func (r *workspaceInvitationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ws, email, ok := importTarget(ctx, req, resp)
	if !ok {
		return
	}
	// Look the member up (the workspace's listing, which the Read that
	// follows reuses): an import of nobody says who and where.
	_, err := r.client.findMember(ctx, ws, email)
	if s := shared.StatusOf(err); s == http.StatusNotFound || s == http.StatusForbidden {
		shared.AddImportNotFound(&resp.Diagnostics, email, fmt.Sprintf("%s workspace %d", Title, ws),
			fmt.Sprintf("%s\n\nWorkspace %d does not exist or the provider's credentials cannot see it: check the workspace id "+
				"(the data source membership_smartdocumentor_workspaces lists the workspaces they can see).", err.Error(), ws))
		return
	}
	if errors.Is(err, shared.ErrNotFound) {
		shared.AddImportNotFound(&resp.Diagnostics, email, fmt.Sprintf("%s workspace %d", Title, ws),
			fmt.Sprintf("The user list of SmartDocumentor workspace %d (GET %s/sdworkspace/allusers/%d) has no member with the email %s (compared without regard to case). "+
				"Check the email and the workspace id: the data source membership_smartdocumentor_workspace_users lists a workspace's members.", ws, apiPrefix, ws, email))
		return
	}
	if err != nil {
		shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not import %s: reading SmartDocumentor workspace %d failed", email, ws), err, Name)
		return
	}
	setIdentity(ctx, resp.Identity, ws, email, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), importID(ws, email))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("workspace_id"), ws)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("email"), shared.EmailValue(email))...)
}

// importTarget is the workspace and email an import names, by its import
// ID or its identity; ok is false after an error.
func importTarget(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) (ws int64, email string, ok bool) {
	if req.ID != "" || req.Identity == nil {
		ws, email, err := parseImportID(req.ID)
		if err != nil {
			resp.Diagnostics.AddError("Invalid import ID for "+invitationType, err.Error())
			return 0, "", false
		}
		return ws, email, true
	}
	var id invitationIdentity
	if resp.Diagnostics.Append(req.Identity.Get(ctx, &id)...); resp.Diagnostics.HasError() {
		return 0, "", false
	}
	if id.WorkspaceID.IsNull() || id.WorkspaceID.IsUnknown() || id.WorkspaceID.ValueInt64() < 1 {
		shared.IdentityError(&resp.Diagnostics, invitationType, identityShape, "workspace_id is missing or not a positive whole number")
	}
	email = shared.IdentityEmail(id.Email, invitationType, identityShape, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return 0, "", false
	}
	return id.WorkspaceID.ValueInt64(), email, true
}
