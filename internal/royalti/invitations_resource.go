package royalti

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"

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

// defaultWorkspaceID is the id of the resource for the token's workspace.
const defaultWorkspaceID = "default"

// concurrency bounds the requests one apply of the authoritative resource
// sends at a time.
const concurrency = 8

func newInvitationsResource() resource.Resource { return &invitationsResource{} }

type invitationsResource struct{ client *Client }

type invitationsModel struct {
	ID             types.String `tfsdk:"id"`
	WorkspaceID    types.String `tfsdk:"workspace_id"`
	Exclusive      types.Bool   `tfsdk:"exclusive"`
	Members        types.Map    `tfsdk:"members"`
	Message        types.String `tfsdk:"message"`
	RedirectURL    types.String `tfsdk:"redirect_url"`
	SendEmail      types.Bool   `tfsdk:"send_email"`
	UserIDs        types.Map    `tfsdk:"user_ids"`
	InviteStatuses types.Map    `tfsdk:"invite_statuses"`
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
		MarkdownDescription: "Authoritative list of the members of a Royalti.io workspace: a map from email to role and names.\n\n" +
			"Emails in `members` that have no tenant user are invited (`POST /auth/invite`, at most 8 at a time), then read back all at once " +
			"(one read of the recently changed users, or the listing's pages for more than 100) and given their role and names with `PATCH /user/{id}` " +
			"where the invite did not apply them (the current invite page documents neither); existing tenant users are adopted and their " +
			"role and names updated in place (`PATCH /user/{id}`); emails removed from the map are removed from the workspace (`DELETE /user/{id}`). " +
			"When some changes fail, the others are applied and kept in state, and each failure is reported with its member. " +
			"With `exclusive = true` (the default), tenant users found in the workspace that are not in `members` appear in the plan as " +
			"removals after the next refresh and are removed on apply; with `exclusive = false` only the listed members are managed " +
			"(switching it off drops the unlisted users found by the last refresh from state without removing them, with a warning saying so). " +
			"The workspace owner is never removed and its role is never changed. Creating the resource never removes anyone: unlisted users " +
			"show up as planned removals on the next plan.\n\n" +
			"A refresh costs the pages of two listings (`GET /user/` and `GET /user/invites`) whatever the number of members. A member " +
			"whose invite was cancelled counts as absent and is invited again. `message`, `redirect_url` and `send_email` are only used for new " +
			"invitations; Royalti does not return them. Destroying the resource removes every member it manages from the workspace. " +
			"Do not manage the same email with this resource and `membership_royalti_workspace_invitation`.",
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
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(true),
				MarkdownDescription: "When `true` (default), tenant users not listed in `members` (except the owner) are planned for removal. When `false`, only listed members are managed.",
			},
			"members": schema.MapNestedAttribute{
				Required:            true,
				MarkdownDescription: "Members by email (compared case-insensitively; a change of letter case only is not a change; listing one email twice in different cases is an error).",
				Validators:          []validator.Map{mapvalidator.KeysAre(shared.EmailValidator()), shared.UniqueMemberKeys()},
				PlanModifiers:       []planmodifier.Map{shared.MapKeysIgnoreCase()},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"role": schema.StringAttribute{
						Optional: true, Computed: true, Default: stringdefault.StaticString("user"),
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
			},
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

func (r *invitationsResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	shared.ConfigureClient(req.ProviderData, Name, &r.client, &resp.Diagnostics)
}

func membersOf(ctx context.Context, m types.Map) (map[string]memberModel, diag.Diagnostics) {
	out := map[string]memberModel{}
	if m.IsNull() || m.IsUnknown() {
		return out, nil
	}
	diags := m.ElementsAs(ctx, &out, false)
	return out, diags
}

func membersValue(members map[string]memberModel) types.Map {
	elems := map[string]attr.Value{}
	for k, m := range members {
		elems[k] = types.ObjectValueMust(memberAttrTypes, map[string]attr.Value{"role": m.Role, "first_name": m.FirstName, "last_name": m.LastName})
	}
	return types.MapValueMust(types.ObjectType{AttrTypes: memberAttrTypes}, elems)
}

func stringMap(m map[string]string) types.Map {
	elems := map[string]attr.Value{}
	for k, v := range m {
		elems[k] = types.StringValue(v)
	}
	return types.MapValueMust(types.StringType, elems)
}

// ModifyPlan warns, when exclusive is turned off, which members found by
// the last refresh are dropped from state without being removed. Letter
// case of emails and the computed maps are the shared plan modifiers'.
func (r *invitationsResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || req.State.Raw.IsNull() {
		return
	}
	var plan invitationsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || plan.Members.IsUnknown() || plan.Exclusive.IsUnknown() || plan.Exclusive.ValueBool() {
		return
	}
	listed := map[string]bool{}
	for k := range plan.Members.Elements() {
		listed[shared.NormalizeEmail(k)] = true
	}
	var kept []string
	for e := range discoveredOf(ctx, req.Private) {
		if !listed[e] {
			kept = append(kept, e)
		}
	}
	if len(kept) > 0 {
		sort.Strings(kept)
		resp.Diagnostics.AddWarning("Unlisted Royalti members are left in the workspace",
			fmt.Sprintf("With exclusive = false, %s (found in the workspace but not in members) will be dropped from state only, not removed from Royalti.", strings.Join(kept, ", ")))
	}
}

// refreshMembers rebuilds the members map from the directory: prior
// members still present (by email, case-insensitively, invite not
// cancelled) keep their key; names are only tracked where prior had them;
// with exclusive, every other tenant user but the owner is added.
func refreshMembers(prior map[string]memberModel, dir *Directory, exclusive bool) (members map[string]memberModel, ids, statuses map[string]string, discovered []string) {
	members, ids, statuses = map[string]memberModel{}, map[string]string{}, map[string]string{}
	seen := map[string]bool{}
	for key, pm := range prior {
		u := dir.ByEmail(key)
		if u == nil || u.InviteStatus() == StatusCancelled {
			continue
		}
		m := memberModel{Role: types.StringValue(u.Role), FirstName: types.StringNull(), LastName: types.StringNull()}
		if u.Role == "owner" {
			m.Role = pm.Role
		}
		if !pm.FirstName.IsNull() {
			m.FirstName = optString(u.FirstName)
		}
		if !pm.LastName.IsNull() {
			m.LastName = optString(u.LastName)
		}
		members[key], ids[key], statuses[key] = m, u.ID, u.InviteStatus()
		seen[u.ID] = true
	}
	if exclusive {
		for _, u := range dir.Sorted() {
			if seen[u.ID] || u.Role == "owner" || u.InviteStatus() == StatusCancelled {
				continue
			}
			members[u.Email] = memberModel{Role: types.StringValue(u.Role), FirstName: optString(u.FirstName), LastName: optString(u.LastName)}
			ids[u.Email], statuses[u.Email] = u.ID, u.InviteStatus()
			discovered = append(discovered, shared.NormalizeEmail(u.Email))
		}
	}
	return members, ids, statuses, discovered
}

// privateDiscovered is the private state key listing the (normalized)
// emails that the last Read found in the workspace but not in members: with
// exclusive = false they are dropped from state, not removed from Royalti.
const privateDiscovered = "discovered"

type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

func discoveredOf(ctx context.Context, p privateGetter) map[string]bool {
	out := map[string]bool{}
	if p == nil {
		return out
	}
	b, _ := p.GetKey(ctx, privateDiscovered)
	var list []string
	if len(b) > 0 && json.Unmarshal(b, &list) == nil {
		for _, e := range list {
			out[e] = true
		}
	}
	return out
}

func discoveredJSON(list []string) []byte {
	if list == nil {
		list = []string{}
	}
	sort.Strings(list)
	b, _ := json.Marshal(list)
	return b
}

func wsOf(m invitationsModel) string {
	return m.WorkspaceID.ValueString()
}

func (r *invitationsResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state invitationsModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	prior, diags := membersOf(ctx, state.Members)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	dir, err := r.client.directory(ctx, wsOf(state))
	if err != nil {
		shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not list the members of %s", workspaceLabel(wsOf(state))), err, Name)
		return
	}
	if state.Exclusive.IsNull() {
		state.Exclusive = types.BoolValue(true)
	}
	if state.SendEmail.IsNull() {
		state.SendEmail = types.BoolValue(true)
	}
	members, ids, statuses, discovered := refreshMembers(prior, dir, state.Exclusive.ValueBool())
	if dir.InvitesErr != nil {
		// The invites listing failed: the user rows say who is a member;
		// invite statuses keep their last known values.
		last := map[string]string{}
		for k, v := range state.InviteStatuses.Elements() {
			if sv, ok := v.(types.String); ok {
				last[shared.NormalizeEmail(k)] = sv.ValueString()
			}
		}
		for k := range statuses {
			if v, ok := last[shared.NormalizeEmail(k)]; ok {
				statuses[k] = v
			} else {
				statuses[k] = "unknown"
			}
		}
		resp.Diagnostics.AddWarning("Royalti invite statuses not refreshed",
			fmt.Sprintf("The invites listing of %s failed, so invite_statuses keep their last known values. The members themselves were read. Cause: %v", workspaceLabel(wsOf(state)), dir.InvitesErr))
	}
	state.Members, state.UserIDs, state.InviteStatuses = membersValue(members), stringMap(ids), stringMap(statuses)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateDiscovered, discoveredJSON(discovered))...)
}

func (r *invitationsResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan invitationsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = types.StringValue(defaultWorkspaceID)
	if ws := wsOf(plan); ws != "" {
		plan.ID = types.StringValue(ws)
	}
	if !r.apply(ctx, &plan, nil, types.MapNull(types.StringType), &resp.Diagnostics) {
		// No state: Terraform taints an object whose create failed and
		// replaces it, which would remove every member. The next apply
		// creates it again from the workspace as it is: members already
		// invited are adopted, only the failed changes are sent again.
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *invitationsResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state invitationsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	prior, diags := membersOf(ctx, state.Members)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = state.ID
	if !plan.Exclusive.ValueBool() {
		// Members only in state because a refresh found them (exclusive
		// was on) are dropped from state, not removed.
		for e := range discoveredOf(ctx, req.Private) {
			for k := range prior {
				if shared.NormalizeEmail(k) == e {
					delete(prior, k)
				}
			}
		}
	}
	r.apply(ctx, &plan, prior, state.InviteStatuses, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateDiscovered, discoveredJSON(nil))...)
}

// --- the reconciler (shared.Differ, Execute, Settle) ---

// differ compares a wanted member with Royalti's: the role, and the names
// the configuration sets (a null name is not managed). Every difference
// is changed in place (PATCH /user/{id}).
var differ = shared.Differ[memberModel]{Compare: func(want, have memberModel) shared.Difference {
	same := want.Role.ValueString() == have.Role.ValueString() &&
		(want.FirstName.IsNull() || want.FirstName.ValueString() == have.FirstName.ValueString()) &&
		(want.LastName.IsNull() || want.LastName.ValueString() == have.LastName.ValueString())
	if same {
		return shared.Same
	}
	return shared.InPlace
}}

// observed is the workspace for the differ: every tenant user by email,
// shaped like the configuration where known (a name the configuration
// leaves null is null). The owner is Protected, with the role the
// configuration or state gives it (the owner's role is never compared); a
// user whose invite was cancelled is Unusable (invited again when wanted).
func observed(dir *Directory, shapes ...map[string]memberModel) map[string]shared.Observed[memberModel] {
	shape := map[string]memberModel{}
	for _, m := range shapes {
		for k, v := range m {
			if _, ok := shape[shared.NormalizeEmail(k)]; !ok {
				shape[shared.NormalizeEmail(k)] = v
			}
		}
	}
	out := make(map[string]shared.Observed[memberModel], len(dir.ByID))
	for _, u := range dir.ByID {
		v := memberModel{Role: types.StringValue(u.Role), FirstName: optString(u.FirstName), LastName: optString(u.LastName)}
		o := shared.Observed[memberModel]{ID: u.ID, Unusable: u.InviteStatus() == StatusCancelled}
		if sh, ok := shape[shared.NormalizeEmail(u.Email)]; ok {
			if sh.FirstName.IsNull() {
				v.FirstName = types.StringNull()
			}
			if sh.LastName.IsNull() {
				v.LastName = types.StringNull()
			}
			if u.Role == "owner" {
				v.Role = sh.Role
			}
		}
		if u.Role == "owner" {
			o.Protected = "the workspace owner"
		}
		o.Value = v
		out[u.Email] = o
	}
	return out
}

// apply makes the workspace match plan with the shared reconciler: one
// listing, Diff against prior (state: the members the last refresh found,
// so that nobody the plan does not show is removed), then removals,
// invitations (all sent, read back once, role and names corrected where
// the invite did not apply them) and updates, at most concurrency at a
// time. plan gets what the workspace has afterwards (shared.Changes.Settle):
// what succeeded as wanted, a failed invitation absent, a failed removal
// or update as it was. It reports whether everything succeeded.
//
// lastStatuses are the invite statuses in state, used for members whose
// status the invites listing could not give (Directory.InvitesErr).
func (r *invitationsResource) apply(ctx context.Context, plan *invitationsModel, prior map[string]memberModel, lastStatuses types.Map, diags *diag.Diagnostics) bool {
	c := r.client
	want, d := membersOf(ctx, plan.Members)
	diags.Append(d...)
	if diags.HasError() {
		return false
	}
	ws := wsOf(*plan)
	dir, err := c.directory(ctx, ws)
	if err != nil {
		shared.AddError(diags, fmt.Sprintf("Could not list the members of %s", workspaceLabel(ws)), err, Name)
		return false
	}
	ch := differ.Diff(observed(dir, want, prior), want, prior, false)
	users := map[string]*User{} // by member key, as settled
	var mu sync.Mutex
	keep := func(key string, u *User) {
		mu.Lock()
		defer mu.Unlock()
		users[key] = u
	}
	removes := shared.EachOp(shared.OpRemove, ch.Remove, func(ctx context.Context, m shared.Member[memberModel]) error {
		return c.deleteUser(ctx, ws, m.ID)
	})
	invites := shared.BatchOps(shared.OpInvite, ch.Invite, 0, func(ctx context.Context, ms []shared.Member[memberModel]) (map[string]error, error) {
		reqs := make([]memberInvite, len(ms))
		for i, m := range ms {
			reqs[i] = memberInvite{Key: m.Key, Want: m.Want,
				Request: inviteRequest(m.Key, m.Want.Role, m.Want.FirstName, m.Want.LastName, plan.SendEmail, plan.Message, plan.RedirectURL)}
		}
		got, errs := c.inviteMany(ctx, ws, reqs, concurrency)
		for k, u := range got {
			keep(k, u)
		}
		return errs, nil
	})
	updates := shared.EachOp(shared.OpUpdate, ch.Update, func(ctx context.Context, m shared.Member[memberModel]) error {
		fields := changedFields(m.Want.Role, m.Have.Role, m.Want.FirstName, m.Have.FirstName, m.Want.LastName, m.Have.LastName)
		base := User{ID: m.ID}
		if cur := dir.ByID[m.ID]; cur != nil {
			base = *cur
		}
		u, err := c.updateUser(ctx, ws, base, fields)
		if err == nil {
			keep(m.Key, u)
		}
		return err
	})
	out := shared.Execute(ctx, concurrency, removes, invites, updates)
	for _, m := range ch.Protected {
		if !m.Wanted {
			diags.AddWarning("Royalti workspace owner not removed",
				fmt.Sprintf("%s is %s of %s: the owner is never removed; it is dropped from this resource only.", m.Key, m.Reason, workspaceLabel(ws)))
		}
	}
	for _, f := range out.Failures() {
		if f.Skipped {
			continue
		}
		shared.AddError(diags, failureSummary(f, ws), f.Err, Name)
	}
	settled := ch.Settle(out)
	ids, statuses := map[string]string{}, map[string]string{}
	for k := range settled {
		u := users[k]
		if u == nil {
			u = dir.ByEmail(k)
		}
		if u == nil {
			continue
		}
		status := u.InviteStatus()
		if prev := dir.ByEmail(k); u.Invite == nil && prev != nil && prev.ID == u.ID && prev.Invite != nil {
			status = prev.InviteStatus() // an update's answer may omit the invite
		} else if u.Invite == nil && dir.InvitesErr != nil {
			status = "unknown"
			for lk, lv := range lastStatuses.Elements() {
				if sv, ok := lv.(types.String); ok && shared.NormalizeEmail(lk) == shared.NormalizeEmail(k) {
					status = sv.ValueString()
				}
			}
		}
		ids[k], statuses[k] = u.ID, status
	}
	plan.Members, plan.UserIDs, plan.InviteStatuses = membersValue(settled), stringMap(ids), stringMap(statuses)
	return !diags.HasError()
}

func failureSummary(f shared.Outcome, ws string) string {
	switch f.Kind {
	case shared.OpRemove:
		return fmt.Sprintf("Could not remove %s from %s", f.Key, workspaceLabel(ws))
	case shared.OpInvite:
		return fmt.Sprintf("Could not invite %s to %s", f.Key, workspaceLabel(ws))
	}
	return fmt.Sprintf("Could not update %s in %s", f.Key, workspaceLabel(ws))
}

func (r *invitationsResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state invitationsModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	prior, diags := membersOf(ctx, state.Members)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ws := wsOf(state)
	dir, err := r.client.directory(ctx, ws)
	if err != nil {
		shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not list the members of %s", workspaceLabel(ws)), err, Name)
		return
	}
	ch := differ.Diff(observed(dir, prior), nil, prior, false)
	out := shared.Execute(ctx, concurrency, shared.EachOp(shared.OpRemove, ch.Remove, func(ctx context.Context, m shared.Member[memberModel]) error {
		return r.client.deleteUser(ctx, ws, m.ID)
	}))
	for _, f := range out.Failures() {
		shared.AddError(&resp.Diagnostics, failureSummary(f, ws), f.Err, Name)
	}
}

func (r *invitationsResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := strings.TrimSpace(req.ID)
	if id == "" || !workspaceIDRe.MatchString(id) {
		resp.Diagnostics.AddError("Invalid import id for membership_royalti_workspace_invitations",
			fmt.Sprintf("Import id %q is not valid: expected %q for the workspace of the provider's token, or a workspace id (no spaces or slashes).", req.ID, defaultWorkspaceID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	if id != defaultWorkspaceID {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("workspace_id"), id)...)
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("exclusive"), true)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("send_email"), true)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("members"), membersValue(map[string]memberModel{}))...)
}
