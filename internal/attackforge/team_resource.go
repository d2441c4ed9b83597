package attackforge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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

// observe finds the team (findTeam): which known users are on it and,
// when all, every other user of the account who is. Neither the access
// level nor the project role can be read: members are Unread.
func (r *teamResource) observe(ctx context.Context, s teamScope, known map[string]string, all bool) (map[string]shared.Observed[member], diag.Diagnostics, error) {
	var diags diag.Diagnostics
	t, err := r.client.findTeam(ctx, s.ProjectID, known, all, nil)
	if t.Incomplete() {
		diags.AddWarning("AttackForge user list incomplete",
			fmt.Sprintf("GET /api/ss/users reported %d users but returned %d: members of project %s among the others cannot be found, so they are neither shown nor removed.", t.Reported, t.Listed, s.ProjectID))
	}
	if err != nil {
		return nil, diags, err
	}
	out := map[string]shared.Observed[member]{}
	for _, c := range t.Members {
		key := c.Key
		if _, clash := out[key]; clash {
			key = c.ID
		}
		out[key] = shared.Observed[member]{Value: member{Unread: true}, ID: c.ID, Label: c.ID}
	}
	return out, diags, nil
}

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
			failed, err := c.RemoveUsers(ctx, s.ProjectID, users)
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
		RemoveBatch: maxPerRequest, InviteBatch: maxPerRequest, UpdateBatch: 1, Concurrency: teamWorkers,
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
		level := leastAccessLevel
		if m.Want.AccessLevel != nil {
			level = *m.Want.AccessLevel
		}
		items[i] = InviteItem{User: m.Key, AccessLevel: level, Role: shared.Deref(m.Want.ProjectRole)}
	}
	results, err := r.client.Invite(ctx, s.ProjectID, items)
	if err != nil {
		return nil, err
	}
	res, errs := inviteOutcomes(s.ProjectID, items, results)
	out := map[string]error{}
	for i, m := range ms {
		if errs[i] != nil {
			out[m.Key] = errs[i]
			continue
		}
		id := res[i].UserID
		if id == "" {
			if u, err := r.client.findUser(ctx, m.Key); err == nil {
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
		u, err := r.client.findUser(ctx, m.Key)
		if errors.Is(err, shared.ErrNotFound) {
			return nil, fmt.Errorf("%s: no AttackForge user %s", Title, m.Key)
		}
		if err != nil {
			return nil, err
		}
		id = u.ID
	}
	if err := r.client.UpdateAccess(ctx, s.ProjectID, id, *m.Want.AccessLevel); err != nil {
		return nil, err
	}
	found(m.Key, shared.Observed[member]{ID: id})
	return nil, nil
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
		resp.Diagnostics.AddError("Invalid import ID for "+teamType,
			fmt.Sprintf("Import ID %q: expected the project id, which %s.", req.ID, why))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("project_id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("exclusive"), true)...)
	// members stays null: the next read adopts the whole team
}
