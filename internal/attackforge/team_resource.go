package attackforge

import (
	"context"
	"encoding/json"
	"errors"
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
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

var (
	_ resource.Resource                = &teamResource{}
	_ resource.ResourceWithConfigure   = &teamResource{}
	_ resource.ResourceWithIdentity    = &teamResource{}
	_ resource.ResourceWithImportState = &teamResource{}
)

func newTeamResource() resource.Resource { return &teamResource{} }

type teamResource struct{ client *Client }

type teamModel struct {
	ID        types.String `tfsdk:"id"`
	ProjectID types.String `tfsdk:"project_id"`
	Members   types.Map    `tfsdk:"members"`
	Exclusive types.Bool   `tfsdk:"exclusive"`
	UserIDs   types.Map    `tfsdk:"user_ids"`
}

type teamMember struct {
	AccessLevel types.String `tfsdk:"access_level"`
	ProjectRole types.String `tfsdk:"project_role"`
}

var teamMemberAttrTypes = map[string]attr.Type{"access_level": types.StringType, "project_role": types.StringType}

// discoveryWorkers bounds the concurrent GET user/:id/projects requests of
// an exclusive team's discovery.
const discoveryWorkers = 8

// teamIdentity is the resource identity (Terraform 1.12 and later): the
// project. The team is one resource per project, so the scope is enough.
type teamIdentity struct {
	ProjectID types.String `tfsdk:"project_id"`
}

const teamType = "membership_attackforge_project_team"

func (r *teamResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"project_id": identityschema.StringAttribute{RequiredForImport: true, Description: "Id of the AttackForge project (24 hexadecimal characters)."},
		},
	}
}

func setTeamIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, projectID string, diags *diag.Diagnostics) {
	shared.SetIdentity(ctx, identity, teamIdentity{ProjectID: types.StringValue(strings.ToLower(projectID))}, diags)
}

func (r *teamResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_attackforge_project_team"
}

const teamDescription = "The whole team of an AttackForge project, authoritatively: every user in `members` is on the team with " +
	"that access level and project role, and (with `exclusive = true`, the default) every other user found on the team is planned for removal.\n\n" +
	"**How the team is found.** The Self-Service API has no endpoint listing a project's team. With `exclusive = true` the provider " +
	"lists all users (`GET /api/ss/users`, one request) and reads the projects of each (`GET /api/ss/user/:id/projects`, one request per user in your " +
	"AttackForge account, 8 at a time, shared with `membership_attackforge_project_team_member` within a run). A refresh therefore costs 1 + the number of users " +
	"of the account, whatever the team size: on a large account, consider `exclusive = false`, which reads only the listed members (one request per member) " +
	"and leaves everyone else alone. Users the user listing does not return (if AttackForge ever limits it) cannot be found; the provider warns when the listing's " +
	"`count` exceeds the users it returned.\n\n" +
	"**Creating** an exclusive team removes the members found that are not listed, without showing them first: import the team " +
	"(`terraform import ... <project_id>`) to see them in a plan before anything is removed. If some invitations fail on creation, no state is recorded " +
	"(a partly created team would be replaced); the next apply adopts the members already on the team (setting their access level, which cannot be read) and invites only the rest. **Destroying** the resource removes every member it manages " +
	"(with `exclusive = true`, the whole team found at the last refresh).\n\n" +
	"Invitations are sent in one `team/invite` request (`users[]`) and removals in one `team/remove` request; access levels change in place " +
	"(`PUT /api/ss/project/:project_id/access/:user_id`). The API cannot change a project role, so a changed `project_role` removes the user and invites them again. " +
	"An invitation answered with a status other than `Invited` (`User Not Found`, `Invalid accessLevel`) is an error naming the member; the other members are still applied.\n\n" +
	"Map keys are users: an email address, a username or a 24-hexadecimal user id. A key that changes only in the letter case of an email address " +
	"shows in the plan (Terraform compares map keys exactly) but applying it sends no request.\n\n" +
	"**Access levels and project roles cannot be read**: `GET /api/ss/user/:id/projects`, like every project endpoint of the Self-Service API, reports " +
	"projects but not a member's access level or role. Changes of them made outside Terraform are therefore not detected (membership is). Members found on the " +
	"team rather than invited by this resource (on import, or added out of band and then listed) have neither in state: their configured access level is set " +
	"in place, and their configured project role is adopted as it is, without removing and inviting them again. " +
	"Do not manage the same project with this resource and `membership_attackforge_project_team_member`."

func (r *teamResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: teamDescription,
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The project id.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"project_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Id of the AttackForge project (24 hexadecimal characters). Changing it replaces the resource.",
				Validators:          []validator.String{objectIDValidator()},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"members": schema.MapNestedAttribute{
				Required: true,
				MarkdownDescription: "Team members keyed by user: an email address, a username or a 24-hexadecimal user id " +
					"(the user must exist in AttackForge). Members found on the team but not listed are keyed by their email address.",
				Validators:    []validator.Map{mapvalidator.KeysAre(userValidator()), shared.UniqueMemberKeys()},
				PlanModifiers: []planmodifier.Map{shared.MapKeysIgnoreCase()},
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"access_level": schema.StringAttribute{
							Required:            true,
							MarkdownDescription: "`View`, `Upload` or `Edit`. Changed in place.",
							Validators:          []validator.String{stringvalidator.OneOf(accessLevels...)},
						},
						"project_role": schema.StringAttribute{
							Optional:            true,
							MarkdownDescription: "One of " + quotedList(projectRoles) + ". A change removes the user and invites them again.",
							Validators:          []validator.String{stringvalidator.OneOf(projectRoles...)},
						},
					},
				},
			},
			"exclusive": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
				MarkdownDescription: "`true` (default): users found on the team that are not in `members` are planned for removal (discovering them costs one request per user of the account). " +
					"`false`: only the listed members are managed; others are neither read nor removed.",
			},
			"user_ids": schema.MapAttribute{
				ElementType:         types.StringType,
				Computed:            true,
				MarkdownDescription: "AttackForge user id of each member, by the key used in `members`.",
				PlanModifiers:       []planmodifier.Map{shared.KeepStateWhileMemberKeysUnchanged(path.Root("members"))},
			},
		},
	}
}

func (r *teamResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	shared.ConfigureClient(req.ProviderData, Name, &r.client, &resp.Diagnostics)
}

func membersOf(ctx context.Context, m types.Map, diags *diag.Diagnostics) map[string]teamMember {
	out := map[string]teamMember{}
	if m.IsNull() || m.IsUnknown() {
		return out
	}
	diags.Append(m.ElementsAs(ctx, &out, false)...)
	return out
}

func idsOf(ctx context.Context, m types.Map, diags *diag.Diagnostics) map[string]string {
	out := map[string]string{}
	if m.IsNull() || m.IsUnknown() {
		return out
	}
	diags.Append(m.ElementsAs(ctx, &out, false)...)
	return out
}

func membersValue(ctx context.Context, members map[string]teamMember, diags *diag.Diagnostics) types.Map {
	v, d := types.MapValueFrom(ctx, types.ObjectType{AttrTypes: teamMemberAttrTypes}, members)
	diags.Append(d...)
	return v
}

func idsValue(ctx context.Context, ids map[string]string, diags *diag.Diagnostics) types.Map {
	v, d := types.MapValueFrom(ctx, types.StringType, ids)
	diags.Append(d...)
	return v
}

// member is a team member as the shared reconciler handles it: the
// configured attributes, and whether the role is unknown (the member was
// found on the team, not invited by this resource: the API cannot read a
// role).
type member struct {
	teamMember
	RoleUnknown bool
}

// differ compares a wanted member with the one on the team. The API can
// change an access level in place (an update), not a project role: a
// change of role is a replacement (team/remove, then team/invite), except
// for a role never read, which is adopted as configured (an update that
// sends nothing for the role). A role dropped from the configuration is
// left as it is (the API cannot unset it).
var differ = shared.Differ[member]{Compare: func(want, have member) shared.Difference {
	if !want.ProjectRole.IsNull() && !want.ProjectRole.Equal(have.ProjectRole) {
		if !have.RoleUnknown || !have.ProjectRole.IsNull() {
			return shared.Replace
		}
		return shared.InPlace
	}
	if !want.AccessLevel.Equal(have.AccessLevel) {
		return shared.InPlace
	}
	return shared.Same
}}

// teamMembers are the members of a state or plan as the reconciler wants
// them; unknown marks the keys whose role is unknown.
func teamMembers(m map[string]teamMember, unknown map[string]bool) map[string]member {
	out := make(map[string]member, len(m))
	for k, v := range m {
		out[k] = member{teamMember: v, RoleUnknown: unknown[k] && v.ProjectRole.IsNull()}
	}
	return out
}

// observedFromState is the team as state has it (the last refresh), for
// Update and Delete.
func observedFromState(members map[string]member, ids map[string]string) map[string]shared.Observed[member] {
	out := make(map[string]shared.Observed[member], len(members))
	for k, v := range members {
		out[k] = shared.Observed[member]{Value: v, ID: ids[k]}
	}
	return out
}

// settled is what an apply leaves: the members to write to state, their
// ids, and the keys whose role is unknown.
type settled struct {
	members map[string]teamMember
	ids     map[string]string
	unknown map[string]bool
}

// apply carries out the changes: removals (replacements' first half
// included) in one team/remove request per maxPerRequest users, then
// invitations likewise, then access levels in place, each member's failure
// reported on its own (one never stops the others). It returns what is now
// in place (what succeeded) for state.
func (r *teamResource) apply(ctx context.Context, projectID string, ch shared.Changes[member], diags *diag.Diagnostics) settled {
	var mu sync.Mutex
	invitedIDs := map[string]string{}
	userOf := func(m shared.Member[member]) string {
		if m.ID != "" {
			return m.ID
		}
		return m.Key
	}
	removes := shared.BatchOps(shared.OpRemove, ch.Remove, maxPerRequest, func(ctx context.Context, ms []shared.Member[member]) (map[string]error, error) {
		users := make([]string, len(ms))
		for i, m := range ms {
			users[i] = userOf(m)
		}
		failed, err := r.client.RemoveMembers(ctx, projectID, users)
		if err != nil {
			return nil, err
		}
		out := map[string]error{}
		for i, m := range ms {
			if e := failed[users[i]]; e != nil {
				out[m.Key] = e
			}
		}
		return out, nil
	})
	invites := shared.BatchOps(shared.OpInvite, ch.Invite, maxPerRequest, func(ctx context.Context, ms []shared.Member[member]) (map[string]error, error) {
		items := make([]InviteItem, len(ms))
		for i, m := range ms {
			items[i] = InviteItem{User: m.Key, AccessLevel: m.Want.AccessLevel.ValueString(), Role: m.Want.ProjectRole.ValueString()}
		}
		results, err := r.client.Invite(ctx, projectID, items)
		if err != nil {
			return nil, err
		}
		res, errs := matchResults(projectID, items, results)
		out := map[string]error{}
		for i, m := range ms {
			if errs[i] != nil {
				out[m.Key] = errs[i]
				continue
			}
			id := res[i].UserID
			if id == "" {
				if u, found, err := r.client.ResolveUser(ctx, m.Key); err == nil && found {
					id = u.ID
				}
			}
			mu.Lock()
			invitedIDs[m.Key] = id
			mu.Unlock()
		}
		return out, nil
	})
	updates := shared.EachOp(shared.OpUpdate, ch.Update, func(ctx context.Context, m shared.Member[member]) error {
		if m.Want.AccessLevel.Equal(m.Have.AccessLevel) {
			return nil // only a role never read, adopted: nothing to send
		}
		id := m.ID
		if id == "" {
			u, found, err := r.client.ResolveUser(ctx, m.Key)
			if err != nil {
				return err
			}
			if !found {
				return fmt.Errorf("%s: no AttackForge user %s", Title, m.Key)
			}
			id = u.ID
		}
		return r.client.UpdateAccess(ctx, projectID, id, m.Want.AccessLevel.ValueString())
	})
	out := shared.Execute(ctx, discoveryWorkers, removes, invites, updates)
	for _, f := range out.Failures() {
		if f.Skipped {
			continue
		}
		summary := fmt.Sprintf("Could not %s %s on AttackForge project %s", f.Kind, f.Key, projectID)
		switch f.Kind {
		case shared.OpInvite:
			summary = fmt.Sprintf("Could not invite %s to AttackForge project %s", f.Key, projectID)
		case shared.OpRemove:
			summary = fmt.Sprintf("Could not remove %s from AttackForge project %s", f.Key, projectID)
		case shared.OpUpdate:
			summary = fmt.Sprintf("Could not change the access level of %s on AttackForge project %s", f.Key, projectID)
		}
		detail := f.Err.Error()
		var me *MemberError
		if errors.As(f.Err, &me) {
			detail += "\n\n" + me.Hint()
		} else if h := shared.Hint(f.Err, Name); h != "" {
			detail += "\n\n" + h
		}
		diags.AddError(summary, detail)
	}

	res := settled{members: map[string]teamMember{}, ids: map[string]string{}, unknown: map[string]bool{}}
	ids := map[string]string{}
	for _, list := range [][]shared.Member[member]{ch.Unchanged, ch.Update, ch.Remove, ch.Protected, ch.Invite} {
		for _, m := range list {
			if m.ID != "" {
				ids[m.Key] = m.ID
			}
		}
	}
	for k, id := range invitedIDs {
		if out.Succeeded(shared.OpInvite, k) && id != "" {
			ids[k] = id
		}
	}
	for k, m := range ch.Settle(out) {
		res.members[k] = m.teamMember
		if id := ids[k]; id != "" {
			res.ids[k] = id
		}
		if m.RoleUnknown && m.ProjectRole.IsNull() {
			res.unknown[k] = true
		}
	}
	// A role never read stays unknown while the configuration sets none.
	for _, m := range ch.Unchanged {
		if m.Have.RoleUnknown && m.Want.ProjectRole.IsNull() {
			res.unknown[m.Key] = true
		}
	}
	return res
}

// discover observes the team: which of the keys (and, when exclusive, of
// all users) are on it. A member found in prior keeps its access level and
// role from there (the API cannot report them); any other member found is
// observed with neither, its role unknown (so is a prior member's listed
// in unknown, when it has none).
func (r *teamResource) discover(ctx context.Context, projectID string, keys []string, prior map[string]teamMember, ids map[string]string, unknown map[string]bool, exclusive bool, diags *diag.Diagnostics) (map[string]shared.Observed[member], bool) {
	out := map[string]shared.Observed[member]{}
	sort.Strings(keys)
	idKey := map[string]string{}
	for _, k := range keys {
		id := ids[k]
		if id == "" {
			u, found, err := r.client.ResolveUser(ctx, k)
			if err != nil {
				shared.AddError(diags, fmt.Sprintf("Could not look up %s for AttackForge project %s", k, projectID), err, Name)
				return nil, false
			}
			if !found {
				continue // the user is gone: so is the membership
			}
			id = u.ID
		}
		idKey[id] = k
	}
	type candidate struct {
		id, key string
	}
	var cands []candidate
	for id, k := range idKey {
		cands = append(cands, candidate{id, k})
	}
	if exclusive {
		users, count, err := r.client.Users(ctx)
		if err != nil {
			shared.AddError(diags, "Could not list AttackForge users to find the team of project "+projectID, err, Name)
			return nil, false
		}
		if count > len(users) {
			diags.AddWarning("AttackForge user list incomplete",
				fmt.Sprintf("GET /api/ss/users reported %d users but returned %d: members of project %s among the others cannot be found, so they are neither shown nor removed.", count, len(users), projectID))
		}
		for _, u := range users {
			if _, ok := idKey[u.ID]; ok {
				continue
			}
			key := strings.ToLower(u.Email)
			if key == "" || userKind(key) != kindEmail {
				key = u.ID
			}
			cands = append(cands, candidate{u.ID, key})
		}
	}
	sort.Slice(cands, func(i, j int) bool { return cands[i].key < cands[j].key })
	type result struct {
		candidate
		member bool
		err    error
	}
	res := make([]result, len(cands))
	var wg sync.WaitGroup
	sem := make(chan struct{}, discoveryWorkers)
	for i, c := range cands {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				res[i] = result{candidate: c, err: ctx.Err()}
				return
			}
			defer func() { <-sem }()
			ok, err := r.client.Membership(ctx, projectID, c.id)
			res[i] = result{candidate: c, member: ok, err: err}
		}()
	}
	wg.Wait()
	for _, f := range res {
		if f.err != nil {
			shared.AddError(diags, fmt.Sprintf("Could not read the team of AttackForge project %s", projectID), f.err, Name)
			return nil, false
		}
		if !f.member {
			continue
		}
		key := f.key
		if _, clash := out[key]; clash {
			key = f.id
		}
		m := member{teamMember: teamMember{AccessLevel: types.StringNull(), ProjectRole: types.StringNull()}, RoleUnknown: true}
		if v, known := prior[key]; known {
			m = member{teamMember: v, RoleUnknown: unknown[key] && v.ProjectRole.IsNull()}
		}
		out[key] = shared.Observed[member]{Value: m, ID: f.id}
	}
	return out, true
}

// privateUnknownRoles is the private state key holding the member keys
// whose project role is unknown: members found on the team rather than
// invited by this resource (the API cannot read a role).
const privateUnknownRoles = "unknown_roles"

// privateState is what a CRUD request or response keeps private data in.
type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

func unknownRoles(ctx context.Context, p privateState, diags *diag.Diagnostics) map[string]bool {
	out := map[string]bool{}
	if p == nil {
		return out
	}
	b, d := p.GetKey(ctx, privateUnknownRoles)
	diags.Append(d...)
	var keys []string
	if len(b) > 0 && json.Unmarshal(b, &keys) == nil {
		for _, k := range keys {
			out[k] = true
		}
	}
	return out
}

func setUnknownRoles(ctx context.Context, p privateState, unknown map[string]bool, diags *diag.Diagnostics) {
	keys := make([]string, 0, len(unknown))
	for k, u := range unknown {
		if u {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		diags.Append(p.SetKey(ctx, privateUnknownRoles, nil)...)
		return
	}
	sort.Strings(keys)
	b, _ := json.Marshal(keys)
	diags.Append(p.SetKey(ctx, privateUnknownRoles, b)...)
}

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// fill records what is in place: the members (the configured ones when
// members is nil) and their ids.
func (m *teamModel) fill(ctx context.Context, members map[string]teamMember, ids map[string]string, diags *diag.Diagnostics) {
	m.ID = types.StringValue(m.ProjectID.ValueString())
	if members != nil {
		m.Members = membersValue(ctx, members, diags)
	}
	m.UserIDs = idsValue(ctx, ids, diags)
}

func (r *teamResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan teamModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	projectID := plan.ProjectID.ValueString()
	setTeamIdentity(ctx, resp.Identity, projectID, &resp.Diagnostics)
	want := membersOf(ctx, plan.Members, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	// Start from the team as it is: listed members already on it are
	// adopted, not invited again (their access level, which cannot be read,
	// is set); with exclusive, members not listed are removed.
	observed, ok := r.discover(ctx, projectID, keysOf(want), nil, nil, nil, plan.Exclusive.ValueBool(), &resp.Diagnostics)
	if !ok {
		return
	}
	done := r.apply(ctx, projectID, differ.Diff(observed, teamMembers(want, nil), nil, plan.Exclusive.ValueBool()), &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		// No state: Terraform would taint a partly created team and replace
		// it (removing everyone). The next apply creates it again, starting
		// from the team as it is, so members already invited are adopted
		// and only the failed ones are sent again.
		return
	}
	plan.fill(ctx, nil, done.ids, &resp.Diagnostics)
	setUnknownRoles(ctx, resp.Private, done.unknown, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

func (r *teamResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state teamModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	projectID := state.ProjectID.ValueString()
	setTeamIdentity(ctx, resp.Identity, projectID, &resp.Diagnostics)
	known := membersOf(ctx, state.Members, &resp.Diagnostics)
	ids := idsOf(ctx, state.UserIDs, &resp.Diagnostics)
	exclusive := state.Exclusive.IsNull() || state.Exclusive.ValueBool()
	unknown := unknownRoles(ctx, req.Private, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	observed, ok := r.discover(ctx, projectID, keysOf(known), known, ids, unknown, exclusive, &resp.Diagnostics)
	if !ok {
		return
	}
	members, outIDs, outUnknown := map[string]teamMember{}, map[string]string{}, map[string]bool{}
	for k, o := range observed {
		members[k], outIDs[k] = o.Value.teamMember, o.ID
		if o.Value.RoleUnknown {
			outUnknown[k] = true
		}
	}
	state.Exclusive = types.BoolValue(exclusive)
	state.fill(ctx, members, outIDs, &resp.Diagnostics)
	setUnknownRoles(ctx, resp.Private, outUnknown, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

func (r *teamResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state teamModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	projectID := plan.ProjectID.ValueString()
	setTeamIdentity(ctx, resp.Identity, projectID, &resp.Diagnostics)
	want := membersOf(ctx, plan.Members, &resp.Diagnostics)
	cur := teamMembers(membersOf(ctx, state.Members, &resp.Diagnostics), unknownRoles(ctx, req.Private, &resp.Diagnostics))
	ids := idsOf(ctx, state.UserIDs, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.Exclusive.ValueBool() && state.Exclusive.ValueBool() {
		// Switching to non-exclusive: members found but not listed are let
		// go, not removed.
		wanted := map[string]bool{}
		for k := range want {
			wanted[shared.MemberKey(k)] = true
		}
		for k := range cur {
			if !wanted[shared.MemberKey(k)] {
				delete(cur, k)
			}
		}
	}
	// The team as the last refresh found it.
	ch := differ.Diff(observedFromState(cur, ids), teamMembers(want, nil), cur, plan.Exclusive.ValueBool())
	done := r.apply(ctx, projectID, ch, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		// Keep what succeeded: the next plan shows the rest again.
		plan.fill(ctx, done.members, done.ids, &resp.Diagnostics)
	} else {
		plan.fill(ctx, nil, done.ids, &resp.Diagnostics)
	}
	setUnknownRoles(ctx, resp.Private, done.unknown, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

func (r *teamResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state teamModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cur := teamMembers(membersOf(ctx, state.Members, &resp.Diagnostics), nil)
	ids := idsOf(ctx, state.UserIDs, &resp.Diagnostics)
	if resp.Diagnostics.HasError() || len(cur) == 0 {
		return
	}
	// Every member the resource manages is removed; those that fail stay
	// in state, so a later destroy tries them again.
	ch := differ.Diff(observedFromState(cur, ids), nil, cur, false)
	done := r.apply(ctx, state.ProjectID.ValueString(), ch, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		state.fill(ctx, done.members, done.ids, &resp.Diagnostics)
		resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
	}
}

func (r *teamResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := strings.TrimSpace(req.ID)
	if req.ID == "" && req.Identity != nil {
		var ident teamIdentity
		if resp.Diagnostics.Append(req.Identity.Get(ctx, &ident)...); resp.Diagnostics.HasError() {
			return
		}
		id = strings.ToLower(strings.TrimSpace(ident.ProjectID.ValueString()))
		if why := validateObjectID(id); why != "" || ident.ProjectID.IsNull() {
			if why == "" {
				why = "is missing"
			}
			shared.IdentityError(&resp.Diagnostics, teamType, `{ project_id = "620f1707c66ef8821d35ee17" }`, "project_id "+why)
			return
		}
		setTeamIdentity(ctx, resp.Identity, id, &resp.Diagnostics)
	}
	if why := validateObjectID(id); why != "" {
		resp.Diagnostics.AddError("Invalid import id for membership_attackforge_project_team",
			fmt.Sprintf("Import id %q: expected the project id, which %s.", req.ID, why))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("project_id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("exclusive"), true)...)
}
