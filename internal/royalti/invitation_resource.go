package royalti

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

var (
	_ resource.Resource                = &invitationResource{}
	_ resource.ResourceWithConfigure   = &invitationResource{}
	_ resource.ResourceWithImportState = &invitationResource{}
)

var workspaceIDRe = regexp.MustCompile(`^[^\s/]+$`)

func newInvitationResource() resource.Resource { return &invitationResource{} }

type invitationResource struct{ client *Client }

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
}

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
			"Refresh reads the workspace's user and invite listings once per Terraform run and shares them among all invitations, so a " +
			"refresh of many members costs the listings' pages, not one call per member. A tenant user that was deleted, or whose " +
			"invite was cancelled, disappears from state and is planned for re-invitation; a role or name changed in Royalti shows as a diff.\n\n" +
			"Limits of the API: `message`, `redirect_url` and `send_email` are only used when the invitation is sent; Royalti does not " +
			"return them, so changing them later only updates state (no request) and they are not checked for drift. " +
			"Royalti allows one tenant user per email in a workspace: inviting an email that is already a member fails (import it instead). " +
			"The workspace owner cannot be invited, re-assigned or removed.",
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
		},
	}
}

func (r *invitationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	shared.ConfigureClient(req.ProviderData, Name, &r.client, &resp.Diagnostics)
}

func workspaceLabel(ws string) string {
	if ws == "" {
		return "Royalti workspace (of the provider's token)"
	}
	return "Royalti workspace " + ws
}

// inviteHint adds what to do about Royalti's answers to an invite.
func inviteHint(err error) error {
	var ae *shared.APIError
	if errors.As(err, &ae) && ae.Status == 400 && strings.Contains(strings.ToLower(ae.Message), "already") {
		return fmt.Errorf("%w\n\nThis email already has a tenant user in the workspace, which could not be adopted: import it with "+
			"`terraform import <address> <email>` instead of inviting it again", err)
	}
	return err
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

// inviteAndSettle invites email, reads the user back and brings role and
// names to the wanted values (PATCH /user/{id} when the invite did not
// apply them). An invite refused (4xx) for an email whose tenant user is
// in the workspace (invited by hand, or by a retried invite whose first
// answer was lost) adopts that user instead, decided from the listing,
// not from the message's wording.
func (c *Client) inviteAndSettle(ctx context.Context, ws string, ir InviteRequest, role, first, last types.String) (*User, error) {
	var u *User
	mark := c.recent.begin()
	err := c.invite(ctx, ws, ir)
	c.recent.end()
	if err != nil {
		if st := shared.StatusOf(err); st < 400 || st >= 500 || st == 401 || st == 403 || st == 404 {
			return nil, inviteHint(err)
		}
		dir, lerr := c.directory(ctx, ws)
		if lerr != nil {
			return nil, errors.Join(inviteHint(err), lerr)
		}
		if u = dir.ByEmail(ir.Email); u == nil || u.InviteStatus() == StatusCancelled {
			return nil, inviteHint(err)
		}
		cp := *u
		u = &cp
	} else {
		found, err := c.findInvited(ctx, ws, ir.Email, mark)
		if err != nil {
			return nil, fmt.Errorf("the invitation was accepted, but reading the tenant user back failed: %w", err)
		}
		if found == nil {
			return nil, fmt.Errorf("Royalti accepted the invitation of %s (POST /auth/invite), but GET /user/ lists no tenant user with this email. "+
				"Run terraform again; if it persists, check the workspace in Royalti", ir.Email)
		}
		u = found
		if u.Invite == nil {
			u.Invite = &Invite{Status: StatusInvited}
		}
	}
	fields := changedFields(role, types.StringValue(u.Role), first, types.StringValue(u.FirstName), last, types.StringValue(u.LastName))
	if len(fields) == 0 {
		return u, nil
	}
	got, err := c.updateUser(ctx, ws, u.ID, fields)
	if err != nil {
		return nil, fmt.Errorf("%s is in the workspace (tenant user %s), but setting its role and names failed: %w", ir.Email, u.ID, err)
	}
	u.Role, u.FirstName, u.LastName = got.Role, got.FirstName, got.LastName
	if left := changedFields(role, types.StringValue(u.Role), first, types.StringValue(u.FirstName), last, types.StringValue(u.LastName)); len(left) > 0 {
		return nil, fmt.Errorf("Royalti answered PATCH /user/%s without applying %s", u.ID, strings.Join(sortedFieldNames(left), ", "))
	}
	return u, nil
}

func sortedFieldNames(fields map[string]string) []string {
	out := make([]string, 0, len(fields))
	for k := range fields {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
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
	u, err := r.client.inviteAndSettle(ctx, ws, ir, plan.Role, plan.FirstName, plan.LastName)
	if err != nil {
		shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not invite %s to %s", email, workspaceLabel(ws)), err, Name)
		return
	}
	plan.fill(u)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
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
}

func (r *invitationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state invitationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	fields := changedFields(plan.Role, state.Role, plan.FirstName, state.FirstName, plan.LastName, state.LastName)
	ws := state.WorkspaceID.ValueString()
	if len(fields) > 0 {
		if _, err := r.client.updateUser(ctx, ws, state.ID.ValueString(), fields); err != nil {
			shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not update %s in %s", state.Email.ValueString(), workspaceLabel(ws)), err, Name)
			return
		}
	}
	plan.ID = state.ID
	plan.InviteStatus = state.InviteStatus
	if plan.FirstName.IsUnknown() {
		plan.FirstName = state.FirstName
	}
	if plan.LastName.IsUnknown() {
		plan.LastName = state.LastName
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// changedFields returns the PATCH /user/{id} form fields for the known
// planned values that differ from state.
func changedFields(role, oldRole, first, oldFirst, last, oldLast types.String) map[string]string {
	fields := map[string]string{}
	add := func(name string, v, old types.String) {
		if !v.IsNull() && !v.IsUnknown() && v.ValueString() != old.ValueString() {
			fields[name] = v.ValueString()
		}
	}
	add("role", role, oldRole)
	add("firstName", first, oldFirst)
	add("lastName", last, oldLast)
	return fields
}

func (r *invitationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state invitationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ws := state.WorkspaceID.ValueString()
	if err := r.client.deleteUser(ctx, ws, state.ID.ValueString()); err != nil {
		shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not remove %s from %s", state.Email.ValueString(), workspaceLabel(ws)), err, Name)
	}
}

func (r *invitationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ws, key, isEmail, err := parseImportID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id for membership_royalti_workspace_invitation", err.Error())
		return
	}
	id := key
	if isEmail {
		dir, err := r.client.directory(ctx, ws)
		if err != nil {
			shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not look up %s in %s", key, workspaceLabel(ws)), err, Name)
			return
		}
		u := dir.ByEmail(key)
		if u == nil {
			resp.Diagnostics.AddError("No such Royalti tenant user",
				fmt.Sprintf("No tenant user with email %s was found in %s. Check the email, or invite it with this resource instead of importing it.", key, workspaceLabel(ws)))
			return
		}
		id = u.ID
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
