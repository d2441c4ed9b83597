package attackforge

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

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
	"golang.org/x/sync/errgroup"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

var (
	_ resource.Resource                = &teamResource{}
	_ resource.ResourceWithConfigure   = &teamResource{}
	_ resource.ResourceWithIdentity    = &teamResource{}
	_ resource.ResourceWithImportState = &teamResource{}
	_ resource.ResourceWithModifyPlan  = &teamResource{}
)

func newTeamResource() resource.Resource { return &teamResource{} }

// teamResource is the authoritative engine (shared.Authoritative) over a
// project's team.
type teamResource struct {
	shared.Authoritative[teamModel, member, teamScope]
	client *Client
}

type teamModel struct {
	ID              types.String `tfsdk:"id"`
	ProjectID       types.String `tfsdk:"project_id"`
	Members         types.Map    `tfsdk:"members"`
	Exclusive       types.Bool   `tfsdk:"exclusive"`
	MaxRemovals     types.Int64  `tfsdk:"max_removals"`
	UserIDs         types.Map    `tfsdk:"user_ids"`
	UnlistedMembers types.Map    `tfsdk:"unlisted_members"`
}

// teamMember is one member of the members map.
type teamMember struct {
	AccessLevel types.String `tfsdk:"access_level"`
	ProjectRole types.String `tfsdk:"project_role"`
}

var teamMemberAttrTypes = map[string]attr.Type{"access_level": types.StringType, "project_role": types.StringType}

// teamScope is the project.
type teamScope struct{ ProjectID string }

// discoveryWorkers bounds the concurrent GET user/:id/projects requests of
// a team's discovery, and the concurrent operations of an apply.
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

func (r *teamResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The whole team of an AttackForge project, authoritatively: every user in `members` is on the team, " +
			"and with `exclusive = true` every other user found on the team is planned for removal, visibly, as `unlisted_members` entries.",
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
					"(the user must exist in AttackForge).",
				Validators:    []validator.Map{mapvalidator.KeysAre(userValidator()), shared.UniqueMemberKeys()},
				PlanModifiers: []planmodifier.Map{shared.MapKeysIgnoreCase()},
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"access_level": schema.StringAttribute{
							Optional: true,
							MarkdownDescription: "`View`, `Upload` or `Edit`, changed in place. Not managed when not set (AttackForge cannot report a member's level): " +
								"a new member is then invited as `View`, and a member already on the team keeps theirs.",
							Validators: []validator.String{stringvalidator.OneOf(accessLevels...)},
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
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "`true` (default): users found on the team that are not in `members` are listed in `unlisted_members` at each refresh, " +
					"and the next plan removes them (finding them costs one request per user of the account). `false`: only the listed members are managed; others are neither read nor removed.",
			},
			"max_removals":     shared.MaxRemovalsAttribute(),
			"unlisted_members": shared.UnlistedMembersAttribute(),
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
	if r.client == nil {
		return
	}
	r.Engine = r.engine()
	r.Guard = shared.GuardrailsOf(req.ProviderData)
	r.Load, r.Store = loadTeam, storeTeam
	r.LoadPrivate, r.StorePrivate = loadUnknownRoles, storeUnknownRoles
	r.Identity = func(s teamScope) any { return teamIdentity{ProjectID: types.StringValue(strings.ToLower(s.ProjectID))} }
}

func loadTeam(ctx context.Context, m teamModel) (shared.Snapshot[member], teamScope, bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	s := shared.Snapshot[member]{
		Unlisted: shared.StringMapOf(m.UnlistedMembers), Exclusive: m.Exclusive.IsNull() || m.Exclusive.ValueBool(),
		MaxRemovals: shared.Int64Ptr(m.MaxRemovals), IDs: shared.StringMapOf(m.UserIDs),
	}
	if !m.Members.IsNull() && !m.Members.IsUnknown() {
		var members map[string]teamMember
		diags.Append(m.Members.ElementsAs(ctx, &members, false)...)
		s.Members = make(map[string]member, len(members))
		for k, v := range members {
			s.Members[k] = member{AccessLevel: shared.StringPtr(v.AccessLevel), ProjectRole: shared.StringPtr(v.ProjectRole)}
		}
	}
	return s, teamScope{ProjectID: m.ProjectID.ValueString()}, !m.Members.IsUnknown() && !m.Exclusive.IsUnknown() && !m.ProjectID.IsUnknown(), diags
}

func storeTeam(_ context.Context, m *teamModel, s shared.Snapshot[member]) diag.Diagnostics {
	m.ID = types.StringValue(m.ProjectID.ValueString())
	elems := make(map[string]attr.Value, len(s.Members))
	for k, v := range s.Members {
		elems[k] = types.ObjectValueMust(teamMemberAttrTypes, map[string]attr.Value{
			"access_level": shared.StringOrNull(v.AccessLevel), "project_role": shared.StringOrNull(v.ProjectRole)})
	}
	m.Members = types.MapValueMust(types.ObjectType{AttrTypes: teamMemberAttrTypes}, elems)
	m.Exclusive = types.BoolValue(s.Exclusive)
	m.UserIDs, m.UnlistedMembers = shared.StringMapValue(s.IDs), shared.StringMapValue(s.Unlisted)
	return nil
}

// --- the members as the engine handles them ---

// member is a team member: the configured access level and project role
// (nil: not managed), and what is known of them.
type member struct {
	AccessLevel, ProjectRole *string
	// RoleUnknown: the project role was never read (the member was found
	// on the team, not invited by this resource). Kept in private state.
	RoleUnknown bool
	// Unread: found on the team by discovery, which reads neither the
	// access level nor the project role.
	Unread bool
}

func sameString(a, b *string) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

// compareMembers: the API changes an access level in place (an update),
// not a project role: a change of role is a replacement (team/remove, then
// team/invite), except for a role never read, which is adopted as
// configured (an update that sends nothing for the role). What the
// configuration leaves unset is not managed.
func compareMembers(want, have member) shared.Difference {
	if want.ProjectRole != nil && !sameString(want.ProjectRole, have.ProjectRole) {
		if have.Unread || (have.RoleUnknown && have.ProjectRole == nil) {
			return shared.InPlace
		}
		return shared.Replace
	}
	if want.AccessLevel != nil && !sameString(want.AccessLevel, have.AccessLevel) {
		return shared.InPlace
	}
	return shared.Same
}

// shapeMember: what discovery found (level and role unread) is what state
// had.
func shapeMember(have, like member) member {
	if have.Unread {
		return like
	}
	return have
}

// adoptMember is the member recorded for one that was already on the
// team: its role stays unknown while the configuration sets none.
func adoptMember(want, have member) member {
	want.RoleUnknown = (have.Unread || have.RoleUnknown) && want.ProjectRole == nil
	return want
}

// privateUnknownRoles is the private state key holding the member keys
// whose project role is unknown.
const privateUnknownRoles = "unknown_roles"

func loadUnknownRoles(ctx context.Context, p shared.PrivateGetter, s *shared.Snapshot[member]) diag.Diagnostics {
	b, diags := p.GetKey(ctx, privateUnknownRoles)
	var keys []string
	if len(b) > 0 && json.Unmarshal(b, &keys) == nil {
		for _, k := range keys {
			if m, ok := s.Members[k]; ok {
				m.RoleUnknown = true
				s.Members[k] = m
			}
		}
	}
	return diags
}

func storeUnknownRoles(ctx context.Context, p shared.PrivateSetter, s shared.Snapshot[member]) diag.Diagnostics {
	var keys []string
	for k, m := range s.Members {
		if (m.RoleUnknown || m.Unread) && m.ProjectRole == nil {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return p.SetKey(ctx, privateUnknownRoles, nil)
	}
	slices.Sort(keys)
	b, _ := json.Marshal(keys)
	return p.SetKey(ctx, privateUnknownRoles, b)
}

// --- the platform side of the engine ---

// engine is the project for the authoritative engine. The Self-Service
// API has no listing of a team: finding it costs the user listing and one
// projects request per user (shared.DiscoverPerMember), so updates and
// destroys start from the state the plan was made from.
func (r *teamResource) engine() *shared.Engine[member, teamScope] {
	c := r.client
	return &shared.Engine[member, teamScope]{
		Name: Name, Title: Title,
		Where:   func(s teamScope) string { return "AttackForge project " + s.ProjectID },
		Observe: r.observe,
		Compare: compareMembers, Shape: shapeMember, Adopt: adoptMember,
		Change: func(key string, m member) string {
			return fmt.Sprintf("change the access level of %s to %s", key, shared.Deref(m.AccessLevel))
		},
		Discovery: shared.DiscoverPerMember,
		SendRemove: func(ctx context.Context, s teamScope, ms []shared.Member[member], _ shared.Found[member]) (map[string]error, error) {
			users := make([]string, len(ms))
			for i, m := range ms {
				users[i] = userOf(m)
			}
			failed, err := c.RemoveMembers(ctx, s.ProjectID, users)
			out := map[string]error{}
			for i, m := range ms {
				if e := failed[users[i]]; e != nil {
					out[m.Key] = e
				}
			}
			return out, err
		},
		SendInvite:  r.invite,
		SendUpdate:  r.update,
		RemoveBatch: maxPerRequest, InviteBatch: maxPerRequest, UpdateBatch: 1, Concurrency: discoveryWorkers,
		Refuse: refusals,
	}
}

// userOf is how requests name a member: by id when known, else by key.
func userOf(m shared.Member[member]) string {
	if m.ID != "" {
		return m.ID
	}
	return m.Key
}

// invite sends one team/invite for ms (new members without a configured
// level are invited as View), reporting each member's user id.
func (r *teamResource) invite(ctx context.Context, s teamScope, ms []shared.Member[member], found shared.Found[member]) (map[string]error, error) {
	items := make([]InviteItem, len(ms))
	for i, m := range ms {
		level := "View"
		if m.Want.AccessLevel != nil {
			level = *m.Want.AccessLevel
		}
		items[i] = InviteItem{User: m.Key, AccessLevel: level, Role: shared.Deref(m.Want.ProjectRole)}
	}
	results, err := r.client.Invite(ctx, s.ProjectID, items)
	if err != nil {
		return nil, err
	}
	res, errs := matchResults(s.ProjectID, items, results)
	out := map[string]error{}
	for i, m := range ms {
		if errs[i] != nil {
			out[m.Key] = errs[i]
			continue
		}
		id := res[i].UserID
		if id == "" {
			if u, ok, err := r.client.ResolveUser(ctx, m.Key); err == nil && ok {
				id = u.ID
			}
		}
		found(m.Key, shared.Observed[member]{ID: id})
	}
	return out, nil
}

// update sets a member's configured access level when it differs (a role
// never read is adopted: nothing to send for it).
func (r *teamResource) update(ctx context.Context, s teamScope, ms []shared.Member[member], found shared.Found[member]) (map[string]error, error) {
	m := ms[0]
	if m.Want.AccessLevel == nil || sameString(m.Want.AccessLevel, m.Have.AccessLevel) {
		return nil, nil
	}
	id := m.ID
	if id == "" {
		u, ok, err := r.client.ResolveUser(ctx, m.Key)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("%s: no AttackForge user %s", Title, m.Key)
		}
		id = u.ID
	}
	if err := r.client.UpdateAccess(ctx, s.ProjectID, id, *m.Want.AccessLevel); err != nil {
		return nil, err
	}
	found(m.Key, shared.Observed[member]{ID: id})
	return nil, nil
}

// observe finds the team: which known users are on it (by the id state
// has, else looked up), and, when all, every other user of the account
// who is (the user listing, then one projects request per user, at most
// discoveryWorkers at a time, each cached for the run). Neither the access
// level nor the project role can be read: members are Unread.
func (r *teamResource) observe(ctx context.Context, s teamScope, known map[string]string, all bool) (map[string]shared.Observed[member], diag.Diagnostics, error) {
	cands, diags, err := r.candidates(ctx, s, known, all)
	if err != nil {
		return nil, diags, err
	}
	on := make([]bool, len(cands))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(discoveryWorkers)
	for i, c := range cands {
		g.Go(func() (err error) {
			on[i], err = r.client.Membership(gctx, s.ProjectID, c.id)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, diags, err
	}
	out := map[string]shared.Observed[member]{}
	for i, c := range cands {
		if !on[i] {
			continue
		}
		key := c.key
		if _, clash := out[key]; clash {
			key = c.id
		}
		out[key] = shared.Observed[member]{Value: member{Unread: true}, ID: c.id, Label: c.id}
	}
	return out, diags, nil
}

// candidate is a user who may be on the team, and the key to report it by.
type candidate struct{ id, key string }

// candidates are the known users (found by the id state has, else looked
// up; a user that no longer exists is left out) and, when all, every other
// user of the account, keyed by email (or id).
func (r *teamResource) candidates(ctx context.Context, s teamScope, known map[string]string, all bool) ([]candidate, diag.Diagnostics, error) {
	var diags diag.Diagnostics
	var cands []candidate
	taken := map[string]bool{}
	for _, k := range slices.Sorted(maps.Keys(known)) {
		id := known[k]
		if id == "" {
			u, ok, err := r.client.ResolveUser(ctx, k)
			if err != nil {
				return nil, nil, fmt.Errorf("looking up %s: %w", k, err)
			}
			if !ok {
				continue // the user is gone: so is the membership
			}
			id = u.ID
		}
		taken[strings.ToLower(id)] = true
		cands = append(cands, candidate{id, k})
	}
	if !all {
		return cands, diags, nil
	}
	users, count, err := r.client.Users(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("listing the users to find the team: %w", err)
	}
	if count > len(users) {
		diags.AddWarning("AttackForge user list incomplete",
			fmt.Sprintf("GET /api/ss/users reported %d users but returned %d: members of project %s among the others cannot be found, so they are neither shown nor removed.", count, len(users), s.ProjectID))
	}
	for _, u := range users {
		if taken[strings.ToLower(u.ID)] {
			continue
		}
		key := strings.ToLower(u.Email)
		if key == "" || userKind(key) != kindEmail {
			key = u.ID
		}
		cands = append(cands, candidate{u.ID, key})
	}
	return cands, diags, nil
}

// refusals are warnings: AttackForge cannot report access levels, so a
// level set on a member already on the team replaces one nobody can see;
// a changed project role removes and invites the member again.
func refusals(_ context.Context, rv shared.Review[member, teamScope]) []shared.Refusal {
	var out []shared.Refusal
	for _, m := range rv.Changes.Update {
		if m.Want.AccessLevel != nil && m.Have.AccessLevel == nil {
			out = append(out, shared.Refusal{Key: m.Key, Warning: true,
				Summary: fmt.Sprintf("The access level of %s cannot be read", m.Key),
				Detail: fmt.Sprintf("AttackForge does not report access levels, so the provider does not know %s's level on project %s. "+
					"The apply sets it to %s, whatever it is now. Leave access_level unset to keep it.", m.Key, rv.Scope.ProjectID, *m.Want.AccessLevel)})
		}
	}
	for _, m := range rv.Changes.Remove {
		if m.Replace {
			out = append(out, shared.Refusal{Key: m.Key, Warning: true,
				Summary: fmt.Sprintf("%s is removed and invited again", m.Key),
				Detail:  fmt.Sprintf("AttackForge cannot change a project role: the apply removes %s from project %s and invites them again as %s.", m.Key, rv.Scope.ProjectID, shared.Deref(m.Want.ProjectRole))})
		}
	}
	if rv.Creating {
		var set []string
		for _, m := range rv.Changes.Invite {
			if m.Want.AccessLevel != nil {
				set = append(set, m.Key)
			}
		}
		if len(set) > 0 {
			out = append(out, shared.Refusal{Warning: true, Summary: "Access levels of members already on the team are replaced",
				Detail: "AttackForge does not report access levels. Members listed with access_level who are already on project " + rv.Scope.ProjectID +
					" get the configured level, whatever it is now: " + strings.Join(set, ", ") + ". Leave access_level unset to keep a member's level."})
		}
	}
	return out
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
	// members stays null: the next read adopts the whole team
}
