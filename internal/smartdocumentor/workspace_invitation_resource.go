package smartdocumentor

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
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

// setIdentity records the member's identity.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, ws int64, email string, diags *diag.Diagnostics) {
	shared.SetIdentity(ctx, identity, invitationIdentity{WorkspaceID: types.Int64Value(ws), Email: types.StringValue(shared.NormalizeEmail(email))}, diags)
}

func (r *workspaceInvitationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_smartdocumentor_workspace_invitation"
}

func (r *workspaceInvitationResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Invites a user to a SmartDocumentor workspace with a role (`POST /api/v1.0/external/sdworkspace/inviteusers`) " +
			"and tracks the membership through the workspace's user list (`GET .../sdworkspace/allusers/{workspaceId}`).\n\n" +
			"What the SmartDocumentor API cannot do, and what this means here:\n\n" +
			"- **No removal.** The API has no call to remove a workspace member or revoke an invitation. " +
			"Destroying this resource only makes Terraform forget the member; they stay in the workspace " +
			"until someone removes them in the SmartDocumentor web app. The plan says so: a destroy, and a replacement (another `workspace_id` or `email`), " +
			"warn at plan time, naming the member who keeps access (on Terraform 1.16 and later, `lifecycle { destroy = false }` makes forgetting explicit, " +
			"without the warning).\n" +
			"- **No role update.** A change of `role` is refused at plan time, with what to do: change the role in the SmartDocumentor web app, " +
			"then set the same role in the configuration (or keep the configured role as it is). The member never leaves Terraform's state. " +
			"A role changed outside Terraform shows the same way.\n\n" +
			"`role` is checked at plan time against the tenant's roles (`GET .../tenant/availableroles`, fetched once per Terraform run). " +
			"Refresh reads each workspace's user list once per run, whatever the number of members, and so does the read back of the " +
			"invitations created together. Invitations to one workspace created together are sent in one request (`users[]`); the API accepts " +
			"or rejects such a request as a whole, so when it rejects one (HTTP 400) the provider reads the workspace's user list: members " +
			"already there with the planned role are adopted, with another role they fail with what to do, and the others are sent again " +
			"(each alone if rejected again, so only the bad one fails, with the API's message). Two resources inviting the same email to the " +
			"same workspace (in any letter case) are an error: only the first is sent.\n\n" +
			"A member removed out of band disappears from state (the plan shows the invitation again). `status` and `email_confirmed` follow the " +
			"user's acceptance of the invitation.",
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
			shared.AddDestroyWarning(&resp.Diagnostics, keptAccess(state))
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
			shared.AddReplaceWarning(&resp.Diagnostics, keptAccess(state), replacement(plan))
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
			resp.Diagnostics.AddAttributeError(path.Root("role"), "SmartDocumentor cannot change a member's role", roleChangeDetail(state, plan.Role.ValueString()))
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

// keptAccess is who keeps access when the member's resource is destroyed:
// SmartDocumentor cannot remove anyone.
func keptAccess(m invitationModel) shared.KeptAccess {
	person := m.Email.ValueString()
	if !m.Role.IsNull() && !m.Role.IsUnknown() {
		person += fmt.Sprintf(" (role %q)", m.Role.ValueString())
	}
	return shared.KeptAccess{
		Where:       fmt.Sprintf("%s workspace %d", Title, m.WorkspaceID.ValueInt64()),
		People:      []string{person},
		Why:         "the SmartDocumentor API has no call to remove a workspace member or revoke an invitation",
		OnlyForgets: true,
		Remove:      "remove them from the workspace in the SmartDocumentor web app",
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
	return state.WorkspaceID.Equal(plan.WorkspaceID) && !plan.Email.IsUnknown() &&
		strings.EqualFold(state.Email.ValueString(), plan.Email.ValueString())
}

// roleChangeDetail says why a role change cannot be applied and what to do.
func roleChangeDetail(state invitationModel, planned string) string {
	current := state.Role.ValueString()
	return fmt.Sprintf("%s is a member of SmartDocumentor workspace %d with role %q (as SmartDocumentor reports it), and the configuration asks for %q. "+
		"The SmartDocumentor API has no call to change a member's role, so Terraform cannot make this change, and it changes nothing rather than "+
		"half of it.\n\nTo give the member role %q, change it in the SmartDocumentor web app, then run terraform again: the plan will be empty. "+
		"To keep the member as they are, set role = %q in the configuration.",
		state.Email.ValueString(), state.WorkspaceID.ValueInt64(), current, planned, planned, current)
}

// checkRole returns why role is not one of roles, or "".
func checkRole(role string, roles []string) string {
	for _, r := range roles {
		if r == role {
			return ""
		}
	}
	msg := fmt.Sprintf("Attribute role must be one of the roles of this SmartDocumentor tenant (GET %s/tenant/availableroles); got %q.", apiPrefix, role)
	if len(roles) == 0 {
		return msg + " The tenant reports no roles at all."
	}
	quoted := make([]string, len(roles))
	for i, r := range roles {
		quoted[i] = strconv.Quote(r)
		if strings.EqualFold(r, role) {
			msg += fmt.Sprintf(" Role names are case-sensitive: did you mean %q?", r)
		}
	}
	return msg + " Valid roles: " + strings.Join(quoted, ", ") + "."
}

func (r *workspaceInvitationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan invitationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ws, email, role := plan.WorkspaceID.ValueInt64(), plan.Email.ValueString(), plan.Role.ValueString()
	if err := r.client.Invite(ctx, ws, email, role); err != nil {
		addInviteError(&resp.Diagnostics, fmt.Sprintf("Could not invite %s to SmartDocumentor workspace %d", email, ws), ws, email, err)
		return
	}
	u, found, err := r.client.FindMember(ctx, ws, email)
	if err != nil {
		shared.AddError(&resp.Diagnostics, fmt.Sprintf("Invited %s to SmartDocumentor workspace %d, but could not read the workspace's users back", email, ws), err, Name)
		return
	}
	plan.ID = types.StringValue(importID(ws, email))
	if found {
		plan.fill(u)
		plan.Role = types.StringValue(role) // as planned; a difference shows at the next refresh
	} else {
		// Accepted but not listed (yet): pending.
		plan.UserID = types.Int64Null()
		plan.Status = types.StringValue("Invited")
		plan.EmailConfirmed = types.BoolValue(false)
		plan.InvitedAt, plan.Pending = types.StringNull(), types.BoolValue(true)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setIdentity(ctx, resp.Identity, ws, email, &resp.Diagnostics)
}

// addInviteError reports a failed invitation on the email attribute, with
// what to do.
func addInviteError(diags *diag.Diagnostics, summary string, ws int64, email string, err error) {
	var dup *DuplicateError
	var exists *MemberExistsError
	detail := err.Error()
	switch {
	case errors.As(err, &dup):
		detail += "\n\nKeep one resource per workspace and email address (emails are compared case-insensitively)."
	case errors.As(err, &exists):
		detail += fmt.Sprintf("\n\nChange the member's role to %q in the SmartDocumentor web app and apply again, or set role = %q in the configuration "+
			"(the existing membership is then adopted). To manage it without inviting, import it:\n\n  terraform import %s.<name> \"%s\"",
			exists.Planned, exists.Role, invitationType, importID(ws, email))
	default:
		if h := shared.Hint(err, Name); h != "" {
			detail += "\n\n" + h
		}
	}
	diags.AddAttributeError(path.Root("email"), summary, detail)
}

// fill copies what the workspace listing says about the member.
func (m *invitationModel) fill(u User) {
	m.Role = types.StringValue(u.RoleName)
	m.UserID = types.Int64Value(u.ID)
	status := u.Status
	if status == "" {
		status = "Unknown"
	}
	m.Status = types.StringValue(status)
	m.EmailConfirmed = types.BoolValue(u.EmailConfirmed)
	m.InvitedAt = shared.TimestampValue(u.CreatedAt)
	m.Pending = types.BoolValue(u.InvitePending())
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
	u, found, err := r.client.FindMember(ctx, ws, email)
	if err != nil {
		if shared.IsNotFound(err) {
			resp.State.RemoveResource(ctx)
			return
		}
		shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not read SmartDocumentor workspace %d to find %s", ws, email), err, Name)
		return
	}
	if !found {
		resp.State.RemoveResource(ctx)
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
		resp.Diagnostics.AddAttributeError(path.Root("role"), "SmartDocumentor cannot change a member's role", roleChangeDetail(state, plan.Role.ValueString()))
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
	shared.AddForgottenWarning(&resp.Diagnostics, keptAccess(state))
}

// ImportState accepts the string import id "<workspace_id>/<email>" and,
// with Terraform 1.12 and later, an identity
// { workspace_id = 12, email = "jane@example.com" }.
func (r *workspaceInvitationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	var ws int64
	var email string
	if req.ID == "" && req.Identity != nil {
		var id invitationIdentity
		if resp.Diagnostics.Append(req.Identity.Get(ctx, &id)...); resp.Diagnostics.HasError() {
			return
		}
		if id.WorkspaceID.IsNull() || id.WorkspaceID.IsUnknown() || id.WorkspaceID.ValueInt64() < 1 {
			shared.IdentityError(&resp.Diagnostics, invitationType, identityShape, "workspace_id is missing or not a positive whole number")
		}
		email = shared.IdentityEmail(id.Email, invitationType, identityShape, &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
		ws = id.WorkspaceID.ValueInt64()
	} else {
		var err error
		ws, email, err = parseImportID(req.ID)
		if err != nil {
			resp.Diagnostics.AddError("Invalid import ID for "+invitationType, err.Error())
			return
		}
	}
	// Look the member up (the workspace's listing, which the Read that
	// follows reuses): an import of nobody says who and where.
	if _, found, err := r.client.FindMember(ctx, ws, email); err != nil {
		if s := shared.StatusOf(err); s == http.StatusNotFound || s == http.StatusForbidden {
			shared.AddImportNotFound(&resp.Diagnostics, email, fmt.Sprintf("%s workspace %d", Title, ws),
				fmt.Sprintf("%s\n\nWorkspace %d does not exist or the provider's credentials cannot see it: check the workspace id "+
					"(the data source membership_smartdocumentor_workspaces lists the workspaces they can see).", err.Error(), ws))
			return
		}
		shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not import %s: reading SmartDocumentor workspace %d failed", email, ws), err, Name)
		return
	} else if !found {
		shared.AddImportNotFound(&resp.Diagnostics, email, fmt.Sprintf("%s workspace %d", Title, ws),
			fmt.Sprintf("The user list of SmartDocumentor workspace %d (GET %s/sdworkspace/allusers/%d) has no member with the email %s (compared without regard to case). "+
				"Check the email and the workspace id: the data source membership_smartdocumentor_workspace_users lists a workspace's members.", ws, apiPrefix, ws, email))
		return
	}
	setIdentity(ctx, resp.Identity, ws, email, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), importID(ws, email))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("workspace_id"), ws)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("email"), shared.EmailValue(email))...)
}

func importID(ws int64, email string) string { return fmt.Sprintf("%d/%s", ws, email) }

// parseImportID reads "<workspace_id>/<email>".
func parseImportID(id string) (int64, string, error) {
	bad := func(why string) error {
		return fmt.Errorf("expected an import ID of the form \"<workspace_id>/<email>\", such as \"1/jane@example.com\"; got %q: %s", id, why)
	}
	wsText, email, ok := strings.Cut(id, "/")
	if !ok {
		return 0, "", bad("there is no \"/\" between the workspace ID and the email")
	}
	ws, err := strconv.ParseInt(wsText, 10, 64)
	if err != nil || ws < 1 || strconv.FormatInt(ws, 10) != wsText {
		return 0, "", bad("the workspace ID must be a positive whole number")
	}
	if why := shared.ValidateEmail(email); why != "" {
		return 0, "", bad("the email " + why)
	}
	return ws, email, nil
}
