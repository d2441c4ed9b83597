package royalti

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
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
	_ resource.Resource                = &invitationsResource{}
	_ resource.ResourceWithConfigure   = &invitationsResource{}
	_ resource.ResourceWithImportState = &invitationsResource{}
	_ resource.ResourceWithModifyPlan  = &invitationsResource{}
)

// concurrency bounds the requests one apply of the authoritative resource
// sends at a time.
const concurrency = 8

func newInvitationsResource() resource.Resource { return &invitationsResource{} }

// invitationsResource is the authoritative engine (shared.Authoritative)
// over a workspace's tenant users.
type invitationsResource struct {
	shared.Authoritative[invitationsModel, Profile, workspaceScope]
	client *Client
}

type invitationsModel struct {
	ID              types.String `tfsdk:"id"`
	WorkspaceID     types.String `tfsdk:"workspace_id"`
	Exclusive       types.Bool   `tfsdk:"exclusive"`
	MaxRemovals     types.Int64  `tfsdk:"max_removals"`
	Members         types.Map    `tfsdk:"members"`
	Message         types.String `tfsdk:"message"`
	RedirectURL     types.String `tfsdk:"redirect_url"`
	SendEmail       types.Bool   `tfsdk:"send_email"`
	UserIDs         types.Map    `tfsdk:"user_ids"`
	InviteStatuses  types.Map    `tfsdk:"invite_statuses"`
	UnlistedMembers types.Map    `tfsdk:"unlisted_members"`
}

// workspaceScope is what an apply needs besides the members: the
// workspace and the invitation settings.
type workspaceScope struct {
	WorkspaceID, Message, RedirectURL string
	SendEmail                         bool
}

type memberModel struct {
	Role      types.String `tfsdk:"role"`
	FirstName types.String `tfsdk:"first_name"`
	LastName  types.String `tfsdk:"last_name"`
}

var memberAttrTypes = map[string]attr.Type{"role": types.StringType, "first_name": types.StringType, "last_name": types.StringType}

func (r *invitationsResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_royalti_workspace_invitations"
}

func (r *invitationsResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The members of a Royalti.io workspace, authoritatively: `members` maps each email to a role and names, " +
			"and with `exclusive = true` every other tenant user but the owner is planned for removal, visibly, as `unlisted_members` entries.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`workspace_id`, or `default` for the workspace of the provider's token.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"workspace_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Workspace id, sent as the `workspaceId` query parameter of invitations. Default: the workspace of the provider's token. Changing it forces a new resource. " +
					"Royalti's read endpoints take no workspace parameter and answer for the token's workspace, so the token must belong to this workspace.",
				Validators:    []validator.String{stringvalidator.LengthBetween(1, 100), stringvalidator.RegexMatches(workspaceIDRe, "must contain no spaces or slashes"), stringvalidator.NoneOf(defaultWorkspaceID)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"exclusive": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "When `true` (default), tenant users not in `members` (except the owner) are listed in `unlisted_members` at each refresh, and the next plan removes them. " +
					"When `false`, only the listed members are managed.",
			},
			"max_removals":     shared.MaxRemovalsAttribute(),
			"unlisted_members": shared.UnlistedMembersAttribute(),
			"members":          profileMembersAttribute(),
			"message": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Message added to invitation emails of new members.",
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 2000)},
			},
			"redirect_url": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Absolute http(s) URL new members are sent to after accepting.",
				Validators:          []validator.String{shared.URLValidator()},
			},
			"send_email": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "Whether Royalti emails invitations to new members. Default `true`.",
			},
			"user_ids": schema.MapAttribute{
				Computed: true, ElementType: types.StringType,
				MarkdownDescription: "Tenant user id of each member, by email as written in `members`.",
				PlanModifiers:       []planmodifier.Map{shared.KeepStateWhileMemberKeysUnchanged(path.Root("members"))},
			},
			"invite_statuses": schema.MapAttribute{
				Computed: true, ElementType: types.StringType,
				MarkdownDescription: "Invite status of each member (`invited` or `joined`), by email as written in `members`; when the invites listing fails, the last known status (`unknown` for a member never seen before).",
				PlanModifiers:       []planmodifier.Map{shared.KeepStateWhileMembersUnchanged(path.Root("members"))},
			},
		},
	}
}

// profileMembersAttribute is the members map: email => role and names.
func profileMembersAttribute() schema.MapNestedAttribute {
	return schema.MapNestedAttribute{
		Required:            true,
		MarkdownDescription: "Members by email (compared case-insensitively; a change of letter case only is not a change; listing one email twice in different cases is an error).",
		Validators:          []validator.Map{mapvalidator.KeysAre(shared.EmailValidator()), shared.UniqueMemberKeys()},
		PlanModifiers:       []planmodifier.Map{shared.MapKeysIgnoreCase()},
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"role": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(RoleUser),
				MarkdownDescription: "`user` (default) or `admin`.",
				Validators:          []validator.String{roleValidator()},
			},
			"first_name": schema.StringAttribute{
				Optional: true, MarkdownDescription: "First name; not managed when not set.",
				Validators: []validator.String{stringvalidator.LengthBetween(1, 100)},
			},
			"last_name": schema.StringAttribute{
				Optional: true, MarkdownDescription: "Last name; not managed when not set.",
				Validators: []validator.String{stringvalidator.LengthBetween(1, 100)},
			},
		}},
	}
}

func (r *invitationsResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	shared.ConfigureClient(req.ProviderData, Name, &r.client, &resp.Diagnostics)
	if r.client == nil {
		return
	}
	r.Engine = r.engine()
	r.Guard = shared.GuardrailsOf(req.ProviderData)
	r.Load, r.Store = loadWorkspace, storeWorkspace
}

func loadWorkspace(ctx context.Context, m invitationsModel) (shared.Snapshot[Profile], workspaceScope, bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	s := shared.Snapshot[Profile]{
		Unlisted: shared.StringMapOf(m.UnlistedMembers), Exclusive: m.Exclusive.IsNull() || m.Exclusive.ValueBool(),
		MaxRemovals: shared.Int64Ptr(m.MaxRemovals), IDs: shared.StringMapOf(m.UserIDs), Statuses: shared.StringMapOf(m.InviteStatuses),
	}
	if !m.Members.IsNull() && !m.Members.IsUnknown() {
		var members map[string]memberModel
		diags.Append(m.Members.ElementsAs(ctx, &members, false)...)
		s.Members = make(map[string]Profile, len(members))
		for k, v := range members {
			s.Members[k] = profileFrom(v.Role, v.FirstName, v.LastName)
		}
	}
	scope := workspaceScope{WorkspaceID: m.WorkspaceID.ValueString(), Message: m.Message.ValueString(), RedirectURL: m.RedirectURL.ValueString(),
		SendEmail: sendEmail(m.SendEmail)}
	return s, scope, !m.Members.IsUnknown() && !m.Exclusive.IsUnknown(), diags
}

func storeWorkspace(_ context.Context, m *invitationsModel, s shared.Snapshot[Profile]) diag.Diagnostics {
	m.ID = types.StringValue(defaultWorkspaceID)
	if ws := m.WorkspaceID.ValueString(); ws != "" {
		m.ID = types.StringValue(ws)
	}
	elems := make(map[string]attr.Value, len(s.Members))
	for k, p := range s.Members {
		elems[k] = types.ObjectValueMust(memberAttrTypes, map[string]attr.Value{
			"role": types.StringValue(p.Role), "first_name": shared.StringOrNull(p.FirstName), "last_name": shared.StringOrNull(p.LastName)})
	}
	m.Members = types.MapValueMust(types.ObjectType{AttrTypes: memberAttrTypes}, elems)
	m.Exclusive = types.BoolValue(s.Exclusive)
	if m.SendEmail.IsNull() || m.SendEmail.IsUnknown() {
		m.SendEmail = types.BoolValue(true)
	}
	m.UserIDs, m.InviteStatuses, m.UnlistedMembers = shared.StringMapValue(s.IDs), shared.StringMapValue(s.Statuses), shared.StringMapValue(s.Unlisted)
	return nil
}

// --- the platform side of the engine ---

// engine is the workspace for the authoritative engine: the users and
// invites listings (shared with the run), an invitation per member (at
// most concurrency at a time) read back all at once and corrected with
// PATCH where the invite did not apply role and names, a PATCH per
// update and a DELETE per removal.
func (r *invitationsResource) engine() *shared.Engine[Profile, workspaceScope] {
	c := r.client
	return &shared.Engine[Profile, workspaceScope]{
		Name: Name, Title: Title,
		Where:   func(s workspaceScope) string { return workspaceLabel(s.WorkspaceID) },
		Observe: r.observe,
		Compare: compareProfiles, Shape: shapeProfile,
		IsAdmin: func(p Profile) bool { return isAdminRole(p.Role) },
		SendRemove: func(ctx context.Context, s workspaceScope, ms []shared.Member[Profile], _ shared.Found[Profile]) (map[string]error, error) {
			return nil, c.deleteUser(ctx, ms[0].ID)
		},
		SendInvite: func(ctx context.Context, s workspaceScope, ms []shared.Member[Profile], found shared.Found[Profile]) (map[string]error, error) {
			settings := inviteSettings{Message: s.Message, RedirectURL: s.RedirectURL, SendEmail: s.SendEmail}
			invs := make([]memberInvite, len(ms))
			for i, m := range ms {
				invs[i] = newMemberInvite(m.Key, m.Want, settings)
			}
			got, errs := c.inviteAndReadBack(ctx, s.WorkspaceID, invs, concurrency)
			for k, u := range got {
				found(k, observedUser(u))
			}
			return errs, nil
		},
		SendUpdate: func(ctx context.Context, s workspaceScope, ms []shared.Member[Profile], found shared.Found[Profile]) (map[string]error, error) {
			m := ms[0]
			base, _ := m.Object.(*User)
			if base == nil {
				base = &User{ID: m.ID}
			}
			u, err := c.updateUser(ctx, *base, m.Want.Fields(m.Have))
			if err == nil {
				o := observedUser(u)
				if u.Invite == nil { // an update's answer may omit the invite
					if o.Status = statusUnknown; base.Invite != nil {
						o.Status = base.InviteStatus()
					}
				}
				found(m.Key, o)
			}
			return nil, err
		},
		RemoveBatch: 1, UpdateBatch: 1, Concurrency: concurrency,
		StaleStatus: statusUnknown,
	}
}

// statusUnknown is the invite status of a member whose status the invites
// listing could not give: the last known one is kept.
const statusUnknown = "unknown"

// observe lists the workspace: every tenant user by email; the owner is
// Protected, a user whose invite was cancelled Unusable (invited again
// when wanted). When the invites listing fails, the statuses are
// statusUnknown (the engine keeps the last known ones), with a warning.
func (r *invitationsResource) observe(ctx context.Context, s workspaceScope, _ map[string]string, _ bool) (map[string]shared.Observed[Profile], diag.Diagnostics, error) {
	dir, err := r.client.directory(ctx, s.WorkspaceID)
	if err != nil {
		return nil, nil, err
	}
	var diags diag.Diagnostics
	if dir.InvitesErr != nil {
		diags.AddWarning("Royalti invite statuses not refreshed",
			fmt.Sprintf("The invites listing of %s failed, so invite_statuses keep their last known values. The members themselves were read. Cause: %v", workspaceLabel(s.WorkspaceID), dir.InvitesErr))
	}
	out := make(map[string]shared.Observed[Profile], len(dir.ByID))
	for _, u := range dir.ByID {
		o := observedUser(u)
		if dir.InvitesErr != nil && u.Invite == nil {
			o.Status = statusUnknown
		}
		out[u.Email] = o
	}
	return out, diags, nil
}

func observedUser(u *User) shared.Observed[Profile] {
	return shared.Observed[Profile]{Value: ProfileOf(u), ID: u.ID, Object: u, Label: u.Role, Status: u.InviteStatus(),
		Unusable: countsAsAbsent(u), Admin: isAdminRole(u.Role), Protected: protectedReason(u.Role)}
}

func (r *invitationsResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := strings.TrimSpace(req.ID)
	if id == "" || !workspaceIDRe.MatchString(id) {
		resp.Diagnostics.AddError("Invalid import ID for membership_royalti_workspace_invitations",
			fmt.Sprintf("Import ID %q is not valid: expected %q for the workspace of the provider's token, or a workspace ID (no spaces or slashes).", req.ID, defaultWorkspaceID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	if id != defaultWorkspaceID {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("workspace_id"), id)...)
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("exclusive"), true)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("send_email"), true)...)
	// members stays null: the next read adopts every tenant user but the owner
}
