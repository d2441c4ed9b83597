package attackforge

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

var (
	_ resource.Resource                = &teamMemberResource{}
	_ resource.ResourceWithConfigure   = &teamMemberResource{}
	_ resource.ResourceWithImportState = &teamMemberResource{}
	_ resource.ResourceWithIdentity    = &teamMemberResource{}
	_ resource.ResourceWithModifyPlan  = &teamMemberResource{}
)

func newTeamMemberResource() resource.Resource { return &teamMemberResource{} }

type teamMemberResource struct {
	client *Client
	guard  shared.Guardrails
}

type teamMemberModel struct {
	ID          types.String `tfsdk:"id"`
	ProjectID   types.String `tfsdk:"project_id"`
	User        types.String `tfsdk:"user"`
	AccessLevel types.String `tfsdk:"access_level"`
	ProjectRole types.String `tfsdk:"project_role"`
	UserID      types.String `tfsdk:"user_id"`
	Email       shared.Email `tfsdk:"email"`
	Username    types.String `tfsdk:"username"`
	Status      types.String `tfsdk:"status"`
}

const teamMemberType = "membership_attackforge_project_team_member"

// teamMemberIdentity is the resource identity (Terraform 1.12 and later):
// the project and the member's email in lower case.
type teamMemberIdentity struct {
	ProjectID types.String `tfsdk:"project_id"`
	Email     types.String `tfsdk:"email"`
}

// identityShape is what an identity looks like, for errors.
const identityShape = `{ project_id = "620f1707c66ef8821d35ee17", email = "jane@example.com" }`

func (r *teamMemberResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"project_id": identityschema.StringAttribute{RequiredForImport: true, Description: "Id of the AttackForge project (24 hexadecimal characters)."},
			"email":      shared.EmailIdentityAttribute(),
		},
	}
}

func (r *teamMemberResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_attackforge_project_team_member"
}

// teamMemberDescription is the schema's description; how it works, the
// API's limits and the cost are in
// templates/resources/attackforge_project_team_member.md.tmpl.
const teamMemberDescription = "One user on an AttackForge project team, with their access level and project role " +
	"(Self-Service API `POST /api/ss/project/:id/team/invite`, `PUT /api/ss/project/:project_id/access/:user_id`, " +
	"`PUT /api/ss/project/:id/team/remove`)."

// privateRoleUnknown is the private state key set on import: the member's
// project role was not written by this resource and cannot be read, so
// the first configured value is adopted instead of replacing the member.
const privateRoleUnknown = "project_role_unknown"

func (r *teamMemberResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: teamMemberDescription,
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`<project_id>/<user_id>`.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"project_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Id of the AttackForge project (24 hexadecimal characters, as in the project's URL). Changing it replaces the resource.",
				Validators:          []validator.String{objectIDValidator()},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"user": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The user to add: an email address, a username, or a 24-hexadecimal user id (a value with `@` is an email address; " +
					"24 lowercase hexadecimal characters are an id; anything else is a username). Email addresses compare case-insensitively: " +
					"changing only their letter case is not a change. Changing the user replaces the resource.",
				Validators:    []validator.String{userValidator()},
				PlanModifiers: []planmodifier.String{userIgnoreCase(), stringplanmodifier.RequiresReplace()},
			},
			"access_level": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Access to the project: `View`, `Upload` or `Edit`, changed in place. **Unset, it is not managed**: the provider never changes " +
					"the member's level (an import or a member already on the team keeps theirs), and a user it must invite is invited with `View`, the least access. " +
					"The API cannot read it back: a change made outside Terraform is not detected, and setting it on a member whose level this resource never set " +
					"overwrites their current level, whatever it is (the plan warns, naming the member). Unsetting it stops managing it (nothing is sent).",
				Validators: []validator.String{stringvalidator.OneOf(accessLevels...)},
			},
			"project_role": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Role on the project team, one of " + quotedList(projectRoles) + ". " +
					"The API cannot change a member's role, so changing it replaces the resource; it cannot read it either, so a change made " +
					"outside Terraform is not detected, and after an import the configured value is adopted as is.",
				Validators:    []validator.String{stringvalidator.OneOf(projectRoles...)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIf(roleChangeReplaces, "A change replaces the member, except the first value set after an import, which is adopted.", "A change replaces the member, except the first value set after an import, which is adopted.")},
			},
			"user_id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "AttackForge id of the user.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"email": schema.StringAttribute{
				CustomType:          shared.EmailType{},
				Computed:            true,
				MarkdownDescription: "Email address of the user, as AttackForge reported it when the membership was created or imported.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"username": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Username of the user, as AttackForge reported it when the membership was created or imported.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"status": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "Status the API gave the invitation: `Invited`. AttackForge puts an invited user on the team at once " +
					"(there is no pending state); the resource disappears from state when the user leaves the team.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

func (r *teamMemberResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	shared.ConfigureClient(req.ProviderData, Name, &r.client, &resp.Diagnostics)
	r.guard = shared.GuardrailsOf(req.ProviderData)
}

// protected is what destroying m leaves, when the provider's
// protected_members protect the member (ok false otherwise).
func (r *teamMemberResource) protected(m teamMemberModel) (shared.KeptAccess, bool) {
	email := m.Email.ValueString()
	if email == "" {
		email = m.User.ValueString()
	}
	return r.guard.ProtectedKeptAccess(email, "AttackForge project "+m.ProjectID.ValueString(), Title)
}

func (r *teamMemberResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan teamMemberModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	projectID, user := plan.ProjectID.ValueString(), plan.User.ValueString()
	summary := fmt.Sprintf("Could not invite %s to AttackForge project %s", user, projectID)
	level := plan.AccessLevel.ValueString()
	if plan.AccessLevel.IsNull() {
		// Not managed: a member already on the team keeps their level (an
		// invitation would overwrite it), anyone else is invited with the
		// least access.
		// A user AttackForge does not know is not on it: the invitation
		// then fails with AttackForge's "User Not Found".
		u, err := r.client.findUser(ctx, user)
		if err == nil {
			_, err = r.client.findMember(ctx, projectID, u.ID)
		}
		switch {
		case err == nil:
			tflog.Info(ctx, "AttackForge user already on the project team; adopted without changing their access level",
				map[string]any{"project_id": projectID, "user_id": u.ID})
			plan.fill(u)
			plan.Status = types.StringValue(statusInvited)
			resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
			setIdentity(ctx, nil, resp.Identity, plan, &resp.Diagnostics)
			return
		case !errors.Is(err, shared.ErrNotFound):
			shared.AddError(&resp.Diagnostics, summary, err, Name)
			return
		}
		level = leastAccessLevel
	}
	res, err := r.client.InviteOne(ctx, projectID, InviteItem{
		User: user, AccessLevel: level, Role: plan.ProjectRole.ValueString(),
	})
	var me *MemberError
	switch {
	case errors.As(err, &me): // about this user: on the attribute, with MemberError's hint
		shared.AddAttributeError(&resp.Diagnostics, path.Root("user"), summary, err, Name)
		return
	case err != nil:
		shared.AddError(&resp.Diagnostics, summary, err, Name)
		return
	}
	u := User{ID: res.UserID, Email: res.Email, Username: res.Username}
	if u.ID == "" {
		// The answer said Invited without a user id: look the user up.
		u, err = r.client.findUser(ctx, user)
		if errors.Is(err, shared.ErrNotFound) {
			resp.Diagnostics.AddError(summary, fmt.Sprintf("%s answered Invited for %q but the user cannot be found afterwards.", Title, user))
			return
		}
		if err != nil {
			shared.AddError(&resp.Diagnostics, summary, err, Name)
			return
		}
	}
	plan.fill(u)
	plan.Status = types.StringValue(res.Status)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
	setIdentity(ctx, nil, resp.Identity, plan, &resp.Diagnostics)
}

// ModifyPlan warns of what the plan's diff cannot show, the access level
// being unreadable: a level set on a member whose level this resource
// never set overwrites an unknown level, and a replacement with no level
// invites the member again with the least access.
func (r *teamMemberResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() {
		return
	}
	var plan, state teamMemberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if req.Plan.Raw.IsNull() {
		if k, ok := r.protected(state); ok {
			shared.AddDestroyWarning(&resp.Diagnostics, k)
		}
		return
	}
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	member := memberName(state)
	projectID := state.ProjectID.ValueString()
	replaced := r.replaced(ctx, req, state, plan, &resp.Diagnostics)
	if k, ok := r.protected(state); ok && replaced {
		shared.AddReplaceWarning(&resp.Diagnostics, k, "another membership")
	}
	switch {
	case replaced && plan.AccessLevel.IsNull():
		resp.Diagnostics.AddAttributeWarning(path.Root("access_level"),
			fmt.Sprintf("%s is invited again to AttackForge project %s with access level %s", member, projectID, leastAccessLevel),
			fmt.Sprintf("This plan replaces the membership of %s on project %s (removes them from the team and invites them again), and access_level "+
				"is not set, so they are invited with %s, the least access. The API cannot read their current access level: if it is higher, "+
				"the replacement lowers it. Set access_level to the level they should have.", member, projectID, leastAccessLevel))
	case !replaced && state.AccessLevel.IsNull() && !plan.AccessLevel.IsNull():
		level := "a level known only at apply"
		if !plan.AccessLevel.IsUnknown() {
			level = plan.AccessLevel.ValueString()
		}
		resp.Diagnostics.AddAttributeWarning(path.Root("access_level"),
			fmt.Sprintf("The access level of %s on AttackForge project %s will be overwritten", member, projectID),
			fmt.Sprintf("This plan sets the access level of %s on project %s to %s. Terraform has never set it (the member was imported, found on the team, "+
				"or invited without access_level) and the AttackForge API cannot read it, so their current level is unknown: whatever it is, "+
				"it becomes %s, which lowers it if it is higher. To keep the level they have, remove access_level from the configuration "+
				"(or set it to the level they have in AttackForge).", member, projectID, level, level))
	}
}

// replaced reports whether the plan replaces the member: another project
// or user, or another project role (except the first one after an
// import, which is adopted; see roleChangeReplaces). Unknown values count
// as a replacement, as for RequiresReplace.
func (r *teamMemberResource) replaced(ctx context.Context, req resource.ModifyPlanRequest, state, plan teamMemberModel, diags *diag.Diagnostics) bool {
	if !plan.ProjectID.Equal(state.ProjectID) {
		return true
	}
	if plan.User.IsUnknown() || !sameUser(plan.User.ValueString(), state.User.ValueString()) {
		return true
	}
	if plan.ProjectRole.Equal(state.ProjectRole) {
		return false
	}
	if state.ProjectRole.IsNull() && req.Private != nil {
		v, d := req.Private.GetKey(ctx, privateRoleUnknown)
		diags.Append(d...)
		if string(v) == "true" {
			return false
		}
	}
	return true
}

// memberName names a member for messages: the configured user, with the
// email AttackForge reported when the user is named otherwise.
func memberName(m teamMemberModel) string {
	user, email := m.User.ValueString(), m.Email.ValueString()
	if email == "" || sameUser(user, email) {
		return user
	}
	return fmt.Sprintf("%s (%s)", user, email)
}

// roleChangeReplaces is the RequiresReplaceIf of project_role: a change
// replaces the member, except the first value configured after an import
// (the role was never read: there is nothing to compare it with).
func roleChangeReplaces(ctx context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
	resp.RequiresReplace = true
	if !req.StateValue.IsNull() || req.Private == nil {
		return
	}
	v, diags := req.Private.GetKey(ctx, privateRoleUnknown)
	resp.Diagnostics.Append(diags...)
	if string(v) == "true" {
		resp.RequiresReplace = false
	}
}

func (r *teamMemberResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state teamMemberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	projectID, user := state.ProjectID.ValueString(), state.User.ValueString()
	summary := fmt.Sprintf("Could not read %s on AttackForge project %s", user, projectID)
	// The framework wants an identity even from a Read that removes the
	// resource: set it first (from the user value on import, kept after).
	setIdentity(ctx, req.Identity, resp.Identity, state, &resp.Diagnostics)
	importing := state.UserID.IsNull() || state.UserID.ValueString() == ""
	if importing {
		u, err := r.client.findUser(ctx, user)
		if errors.Is(err, shared.ErrNotFound) {
			tflog.Info(ctx, "AttackForge user not found; removing the membership from state", map[string]any{"user": user})
			resp.State.RemoveResource(ctx)
			return
		}
		if err != nil {
			shared.AddError(&resp.Diagnostics, summary, err, Name)
			return
		}
		state.fill(u)
	}
	userID := state.UserID.ValueString()
	_, err := r.client.findMember(ctx, projectID, userID)
	if errors.Is(err, shared.ErrNotFound) {
		tflog.Info(ctx, "AttackForge user is not on the project team (or no longer exists); removing from state",
			map[string]any{"project_id": projectID, "user_id": userID})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		shared.AddError(&resp.Diagnostics, summary, err, Name)
		return
	}
	// access_level and project_role stay as they are in state: the API
	// cannot report them (after an import they are null until the
	// configuration sets them).
	if state.Status.IsNull() || state.Status.ValueString() == "" {
		state.Status = types.StringValue(statusInvited)
	}
	state.ID = types.StringValue(projectID + "/" + state.UserID.ValueString())
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
	setIdentity(ctx, req.Identity, resp.Identity, state, &resp.Diagnostics)
}

func (r *teamMemberResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state teamMemberModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// An unset access_level is not managed: nothing is sent.
	if !plan.AccessLevel.IsNull() && !plan.AccessLevel.Equal(state.AccessLevel) {
		err := r.client.UpdateAccess(ctx, state.ProjectID.ValueString(), state.UserID.ValueString(), plan.AccessLevel.ValueString())
		if err != nil {
			summary := fmt.Sprintf("Could not change the access level of %s on AttackForge project %s to %s",
				state.User.ValueString(), state.ProjectID.ValueString(), plan.AccessLevel.ValueString())
			shared.AddError(&resp.Diagnostics, summary, err, Name)
			return
		}
	}
	// A project_role change reaches Update only when it is the first value
	// after an import (see roleChangeReplaces): it is adopted, as the API
	// can neither read nor change it.
	if !plan.ProjectRole.IsNull() {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateRoleUnknown, nil)...)
	}
	plan.ID, plan.UserID, plan.Email, plan.Username, plan.Status = state.ID, state.UserID, state.Email, state.Username, state.Status
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
	setIdentity(ctx, req.Identity, resp.Identity, plan, &resp.Diagnostics)
}

func (r *teamMemberResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state teamMemberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if k, ok := r.protected(state); ok {
		shared.AddForgottenWarning(&resp.Diagnostics, k)
		return
	}
	projectID, userID := state.ProjectID.ValueString(), state.UserID.ValueString()
	summary := fmt.Sprintf("Could not remove %s from AttackForge project %s", state.User.ValueString(), projectID)
	err := r.client.RemoveOne(ctx, projectID, userID)
	var me *MemberError
	switch {
	case errors.As(err, &me): // about this user: on the attribute, with MemberError's hint
		shared.AddAttributeError(&resp.Diagnostics, path.Root("user"), summary, err, Name)
	case err != nil:
		shared.AddError(&resp.Diagnostics, summary, err, Name)
	}
}

// ImportState accepts the import ID "<project_id>/<user>" and, with
// Terraform 1.12 and later, an identity
// { project_id = "620f1707c66ef8821d35ee17", email = "jane@example.com" }.
func (r *teamMemberResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	projectID, user, ok := importTarget(ctx, req, resp)
	if !ok {
		return
	}
	// Look the member up (the user, then their projects: the Read that
	// follows reuses both): an import of nobody says who and where.
	where := fmt.Sprintf("%s project %s", Title, projectID)
	u, err := r.client.findUser(ctx, user)
	if errors.Is(err, shared.ErrNotFound) {
		shared.AddImportNotFound(&resp.Diagnostics, user, where,
			fmt.Sprintf("AttackForge has no user %s. Check the value: an email address, a username or a 24-hexadecimal user id of an existing "+
				"AttackForge user (the data source membership_attackforge_project_team_members lists a project's team).", user))
		return
	}
	if err == nil {
		_, err = r.client.findMember(ctx, projectID, u.ID)
		if errors.Is(err, shared.ErrNotFound) {
			shared.AddImportNotFound(&resp.Diagnostics, user, where,
				fmt.Sprintf("AttackForge user %s (id %s) exists, but project %s is not among the projects AttackForge lists for them "+
					"(GET /api/ss/user/%s/projects). Check the project id: the Self-Service API does not say whether a project exists or whether "+
					"the API key may see it, so a wrong or invisible project looks like a team without them.", user, u.ID, projectID, u.ID))
			return
		}
	}
	if err != nil {
		shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not import %s on AttackForge project %s", user, projectID), err, Name)
		return
	}
	m := teamMemberModel{
		ProjectID: types.StringValue(projectID), User: types.StringValue(user),
		AccessLevel: types.StringNull(), ProjectRole: types.StringNull(), Status: types.StringValue(statusInvited),
	}
	m.fill(u)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateRoleUnknown, []byte("true"))...)
}

// importTarget is the project and user an import names, by its import ID
// or its identity (whose identity it then sets); ok is false after an
// error.
func importTarget(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) (projectID, user string, ok bool) {
	if req.ID != "" || req.Identity == nil {
		projectID, user, err := parseImportID(req.ID)
		if err != nil {
			resp.Diagnostics.AddError("Invalid import ID for "+teamMemberType, err.Error())
			return "", "", false
		}
		return projectID, user, true
	}
	var id teamMemberIdentity
	if resp.Diagnostics.Append(req.Identity.Get(ctx, &id)...); resp.Diagnostics.HasError() {
		return "", "", false
	}
	projectID = strings.ToLower(strings.TrimSpace(id.ProjectID.ValueString()))
	if why := validateObjectID(projectID); why != "" || id.ProjectID.IsNull() {
		if why == "" {
			why = "is missing"
		}
		shared.IdentityError(&resp.Diagnostics, teamMemberType, identityShape, "project_id "+why)
	}
	user = shared.IdentityEmail(id.Email, teamMemberType, identityShape, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return "", "", false
	}
	setIdentity(ctx, nil, resp.Identity, teamMemberModel{ProjectID: types.StringValue(projectID), User: types.StringValue(user), Email: shared.EmailValue(user)}, &resp.Diagnostics)
	return projectID, user, true
}
