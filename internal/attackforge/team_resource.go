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
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

var (
	_ resource.Resource                = &teamResource{}
	_ resource.ResourceWithConfigure   = &teamResource{}
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
				Validators: []validator.Map{mapvalidator.KeysAre(userValidator())},
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
				PlanModifiers:       []planmodifier.Map{userIDsPlanModifier{}},
			},
		},
	}
}

// userIDsPlanModifier keeps user_ids from state while the member keys do
// not change.
type userIDsPlanModifier struct{}

func (userIDsPlanModifier) Description(context.Context) string {
	return "unchanged while the member keys are unchanged"
}
func (m userIDsPlanModifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (userIDsPlanModifier) PlanModifyMap(ctx context.Context, req planmodifier.MapRequest, resp *planmodifier.MapResponse) {
	if req.StateValue.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	var planMembers, stateMembers types.Map
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("members"), &planMembers)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("members"), &stateMembers)...)
	if resp.Diagnostics.HasError() || planMembers.IsUnknown() || planMembers.IsNull() || stateMembers.IsNull() {
		return
	}
	pe, se := planMembers.Elements(), stateMembers.Elements()
	if len(pe) != len(se) {
		return
	}
	for k := range pe {
		if _, ok := se[k]; !ok {
			return
		}
	}
	resp.PlanValue = req.StateValue
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

func membersValue(members map[string]teamMember, diags *diag.Diagnostics) types.Map {
	v, d := types.MapValueFrom(context.Background(), types.ObjectType{AttrTypes: teamMemberAttrTypes}, members)
	diags.Append(d...)
	return v
}

func idsValue(ids map[string]string, diags *diag.Diagnostics) types.Map {
	v, d := types.MapValueFrom(context.Background(), types.StringType, ids)
	diags.Append(d...)
	return v
}

// findKey returns the key of old that names the same user as k: the same
// string, or the same email address in another case.
func findKey[V any](old map[string]V, k string) (string, bool) {
	if _, ok := old[k]; ok {
		return k, true
	}
	keys := make([]string, 0, len(old))
	for ok := range old {
		keys = append(keys, ok)
	}
	sort.Strings(keys)
	for _, ok := range keys {
		if sameUser(ok, k) {
			return ok, true
		}
	}
	return "", false
}

// apply moves the team from cur (with ids; unknown: the keys whose role
// is not known) to want. It returns what is now in place (what
// succeeded), adding errors to diags.
func (r *teamResource) apply(ctx context.Context, projectID string, cur map[string]teamMember, ids map[string]string, unknown map[string]bool, want map[string]teamMember, diags *diag.Diagnostics) discovery {
	done := map[string]teamMember{}
	doneIDs := map[string]string{}
	doneUnknown := map[string]bool{}
	// Keys renamed only in the case of an email are the same member.
	curByKey := map[string]string{} // want key -> cur key
	for k := range want {
		if ck, ok := findKey(cur, k); ok {
			curByKey[k] = ck
		}
	}
	matched := map[string]bool{}
	for _, ck := range curByKey {
		matched[ck] = true
	}

	// 1. Removals: members no longer wanted, and members whose role changes.
	var removeKeys []string
	for ck := range cur {
		if !matched[ck] {
			removeKeys = append(removeKeys, ck)
		}
	}
	var invite []InviteItem
	var inviteKeys []string
	var accessKeys []string
	for k, w := range want {
		ck, ok := curByKey[k]
		if !ok {
			invite = append(invite, InviteItem{User: k, AccessLevel: w.AccessLevel.ValueString(), Role: w.ProjectRole.ValueString()})
			inviteKeys = append(inviteKeys, k)
			continue
		}
		c := cur[ck]
		roleUnknown := unknown[ck] && c.ProjectRole.IsNull()
		if !w.ProjectRole.IsNull() && !w.ProjectRole.Equal(c.ProjectRole) && !roleUnknown {
			removeKeys = append(removeKeys, ck)
			invite = append(invite, InviteItem{User: k, AccessLevel: w.AccessLevel.ValueString(), Role: w.ProjectRole.ValueString()})
			inviteKeys = append(inviteKeys, k)
			continue
		}
		// Unchanged, or only the role dropped from config (the API cannot
		// unset it), or a role never read (found on the team or imported):
		// the configured one is adopted, as the API can neither read nor
		// change it.
		done[k] = teamMember{AccessLevel: c.AccessLevel, ProjectRole: w.ProjectRole}
		if roleUnknown && w.ProjectRole.IsNull() {
			doneUnknown[k] = true
		}
		if id := ids[ck]; id != "" {
			doneIDs[k] = id
		}
		if !w.AccessLevel.Equal(c.AccessLevel) {
			accessKeys = append(accessKeys, k)
		}
	}
	sort.Strings(removeKeys)
	kept := map[string]bool{}
	if len(removeKeys) > 0 {
		users := make([]string, len(removeKeys))
		for i, ck := range removeKeys {
			users[i] = ck
			if id := ids[ck]; id != "" {
				users[i] = id
			}
		}
		if err := r.client.RemoveMembers(ctx, projectID, users); err != nil {
			shared.AddError(diags, fmt.Sprintf("Could not remove %s from AttackForge project %s", strings.Join(removeKeys, ", "), projectID), err, Name)
			// Nothing is known to be removed: keep them all in state.
			for _, ck := range removeKeys {
				kept[ck] = true
			}
		}
	}
	for _, ck := range removeKeys {
		if kept[ck] {
			done[ck] = cur[ck]
			doneUnknown[ck] = unknown[ck]
			if id := ids[ck]; id != "" {
				doneIDs[ck] = id
			}
		}
	}

	// 2. Invitations, in one request per maxPerRequest users.
	for start := 0; start < len(invite); start += maxPerRequest {
		end := min(start+maxPerRequest, len(invite))
		chunk, chunkKeys := invite[start:end], inviteKeys[start:end]
		results, err := r.client.Invite(ctx, projectID, chunk)
		if err != nil {
			shared.AddError(diags, fmt.Sprintf("Could not invite %s to AttackForge project %s", strings.Join(chunkKeys, ", "), projectID), err, Name)
		} else {
			out, errs := matchResults(projectID, chunk, results)
			for i, k := range chunkKeys {
				if errs[i] != nil {
					var me *MemberError
					detail := errs[i].Error()
					if errors.As(errs[i], &me) {
						detail += "\n\n" + me.Hint()
					}
					diags.AddAttributeError(path.Root("members").AtMapKey(k),
						fmt.Sprintf("Could not invite %s to AttackForge project %s", k, projectID), detail)
					continue
				}
				done[k] = want[k]
				id := out[i].UserID
				if id == "" {
					if u, found, err := r.client.ResolveUser(ctx, k); err == nil && found {
						id = u.ID
					}
				}
				if id != "" {
					doneIDs[k] = id
				}
			}
		}
	}

	// 3. Access levels, in place.
	sort.Strings(accessKeys)
	for _, k := range accessKeys {
		id := doneIDs[k]
		if id == "" {
			u, found, err := r.client.ResolveUser(ctx, k)
			if err != nil || !found {
				diags.AddAttributeError(path.Root("members").AtMapKey(k), "Could not find AttackForge user "+k, fmt.Sprintf("%v", err))
				continue
			}
			id, doneIDs[k] = u.ID, u.ID
		}
		level := want[k].AccessLevel.ValueString()
		if err := r.client.UpdateAccess(ctx, projectID, id, level); err != nil {
			shared.AddError(diags, fmt.Sprintf("Could not change the access level of %s on AttackForge project %s to %s", k, projectID, level), err, Name)
			continue
		}
		m := done[k]
		m.AccessLevel = want[k].AccessLevel
		done[k] = m
	}
	for k, u := range doneUnknown {
		if !u {
			delete(doneUnknown, k)
		}
	}
	return discovery{members: done, ids: doneIDs, unknown: doneUnknown}
}

// discovery is what discover found: the members by key with their ids,
// and the keys whose project role is unknown (members this resource did
// not write: found on the team, or imported).
type discovery struct {
	members map[string]teamMember
	ids     map[string]string
	unknown map[string]bool
}

// discover finds which of the keys (and, when exclusive, of all users) are
// on the team. A member found in prior keeps its access level and role
// from there (the API cannot report them); any other member found is
// recorded with neither, and its role as unknown.
func (r *teamResource) discover(ctx context.Context, projectID string, keys []string, prior map[string]teamMember, ids map[string]string, exclusive bool, diags *diag.Diagnostics) (discovery, bool) {
	out := discovery{members: map[string]teamMember{}, ids: map[string]string{}, unknown: map[string]bool{}}
	sort.Strings(keys)
	idKey := map[string]string{}
	for _, k := range keys {
		id := ids[k]
		if id == "" {
			u, found, err := r.client.ResolveUser(ctx, k)
			if err != nil {
				shared.AddError(diags, fmt.Sprintf("Could not look up %s for AttackForge project %s", k, projectID), err, Name)
				return out, false
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
			return out, false
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
			return out, false
		}
		if !f.member {
			continue
		}
		key := f.key
		if _, clash := out.members[key]; clash {
			key = f.id
		}
		m, known := prior[key]
		if !known {
			m = teamMember{AccessLevel: types.StringNull(), ProjectRole: types.StringNull()}
			out.unknown[key] = true
		}
		out.members[key] = m
		out.ids[key] = f.id
	}
	return out, true
}

// privateUnknownRoles is the private state key holding the member keys
// whose project role is unknown: members found on the team rather than
// invited by this resource (the API cannot read a role).
const privateUnknownRoles = "unknown_roles"

// privateState is what a CRUD response can store private data in.
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

// fill records what is in place: the members (the configured ones, or
// what succeeded when apply failed part way) and their ids.
func (m *teamModel) fill(members map[string]teamMember, ids map[string]string, diags *diag.Diagnostics) {
	m.ID = types.StringValue(m.ProjectID.ValueString())
	if members != nil {
		m.Members = membersValue(members, diags)
	}
	m.UserIDs = idsValue(ids, diags)
}

func (r *teamResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan teamModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	projectID := plan.ProjectID.ValueString()
	want := membersOf(ctx, plan.Members, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	// Start from the team as it is: listed members already on it are
	// adopted, not invited again (their access level, which cannot be read,
	// is set); with exclusive, members not listed are removed.
	found, ok := r.discover(ctx, projectID, keysOf(want), nil, nil, plan.Exclusive.ValueBool(), &resp.Diagnostics)
	if !ok {
		return
	}
	done := r.apply(ctx, projectID, found.members, found.ids, found.unknown, want, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		// No state: Terraform would taint a partly created team and replace
		// it (removing everyone). The next apply creates it again, starting
		// from the team as it is, so members already invited are adopted
		// and only the failed ones are sent again.
		return
	}
	plan.fill(nil, done.ids, &resp.Diagnostics)
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
	known := membersOf(ctx, state.Members, &resp.Diagnostics)
	ids := idsOf(ctx, state.UserIDs, &resp.Diagnostics)
	exclusive := state.Exclusive.IsNull() || state.Exclusive.ValueBool()
	unknown := unknownRoles(ctx, req.Private, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	found, ok := r.discover(ctx, projectID, keysOf(known), known, ids, exclusive, &resp.Diagnostics)
	if !ok {
		return
	}
	for k := range found.members {
		if unknown[k] && found.members[k].ProjectRole.IsNull() {
			found.unknown[k] = true
		}
	}
	state.Exclusive = types.BoolValue(exclusive)
	state.fill(found.members, found.ids, &resp.Diagnostics)
	setUnknownRoles(ctx, resp.Private, found.unknown, &resp.Diagnostics)
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
	want := membersOf(ctx, plan.Members, &resp.Diagnostics)
	cur := membersOf(ctx, state.Members, &resp.Diagnostics)
	ids := idsOf(ctx, state.UserIDs, &resp.Diagnostics)
	unknown := unknownRoles(ctx, req.Private, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.Exclusive.ValueBool() && state.Exclusive.ValueBool() {
		// Switching to non-exclusive: members found but not listed are let go,
		// not removed.
		for k := range cur {
			if _, ok := findKey(want, k); !ok {
				delete(cur, k)
			}
		}
	}
	done := r.apply(ctx, projectID, cur, ids, unknown, want, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		// Keep what succeeded: the next plan shows the rest again.
		plan.fill(done.members, done.ids, &resp.Diagnostics)
	} else {
		plan.fill(nil, done.ids, &resp.Diagnostics)
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
	projectID := state.ProjectID.ValueString()
	cur := membersOf(ctx, state.Members, &resp.Diagnostics)
	ids := idsOf(ctx, state.UserIDs, &resp.Diagnostics)
	if resp.Diagnostics.HasError() || len(cur) == 0 {
		return
	}
	keys := make([]string, 0, len(cur))
	for k := range cur {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	users := make([]string, len(keys))
	for i, k := range keys {
		users[i] = k
		if id := ids[k]; id != "" {
			users[i] = id
		}
	}
	if err := r.client.RemoveMembers(ctx, projectID, users); err != nil {
		shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not remove the team of AttackForge project %s", projectID), err, Name)
	}
}

func (r *teamResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := strings.TrimSpace(req.ID)
	if why := validateObjectID(id); why != "" {
		resp.Diagnostics.AddError("Invalid import id for membership_attackforge_project_team",
			fmt.Sprintf("Import id %q: expected the project id, which %s.", req.ID, why))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("project_id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("exclusive"), true)...)
}
