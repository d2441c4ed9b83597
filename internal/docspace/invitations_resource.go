package docspace

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
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
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

var (
	_ resource.ResourceWithConfigure   = &invitationsResource{}
	_ resource.ResourceWithImportState = &invitationsResource{}
	_ resource.ResourceWithIdentity    = &invitationsResource{}
	_ resource.ResourceWithModifyPlan  = &invitationsResource{}
)

// newInvitationsResource is membership_docspace_invitations.
func newInvitationsResource() resource.Resource { return &invitationsResource{} }

type invitationsResource struct{ client *Client }

type invitationsModel struct {
	ID                 types.String `tfsdk:"id"`
	Members            types.Map    `tfsdk:"members"`
	Exclusive          types.Bool   `tfsdk:"exclusive"`
	Culture            types.String `tfsdk:"culture"`
	MemberIDs          types.Map    `tfsdk:"member_ids"`
	ActivationStatuses types.Map    `tfsdk:"activation_statuses"`
}

func (r *invitationsResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_docspace_invitations"
}

// invitationsIdentity is the resource identity (Terraform 1.12 and
// later): the portal. The resource is the whole portal's people, so the
// scope is enough.
type invitationsIdentity struct {
	Portal types.String `tfsdk:"portal"`
}

const invitationsType = "membership_docspace_invitations"

func (r *invitationsResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"portal": identityschema.StringAttribute{RequiredForImport: true,
				Description: "Host name of the DocSpace portal (the provider's docspace endpoint without scheme, such as yourportal.onlyoffice.com); it must be the portal the provider is configured for."},
		},
	}
}

func (r *invitationsResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages the people of an ONLYOFFICE DocSpace portal **authoritatively**: `members` maps each email to its user type.\n\n" +
			"* Listed people missing from the portal are invited (`POST /api/2.0/people/invite`, one request per type and 100 people, then one read-back of the portal's listing for all of them: " +
			"the invite answer does not say which user each invitation became). Listed people whose type differs are changed in place (`PUT /api/2.0/people/type/{type}`, one request per type and 100 people). " +
			"Listed people whose user is terminated (disabled), which DocSpace refuses to invite, are re-activated (`PUT /api/2.0/people/status/Active`). " +
			"The portal is read back afterwards: the apply fails, naming each member, if the portal left a change undone, and what did succeed is kept in state.\n" +
			"* With `exclusive = true` (the default) every other active person on the portal is planned for removal, shown in the plan as a member leaving `members`, and removed " +
			"(terminated, then deleted: `PUT /api/2.0/people/status/Terminated` for up to 100 people, `DELETE /api/2.0/people/{id}` each). Creating the resource warns at plan time which people it will remove. " +
			"With `exclusive = false` only the listed people are managed: removing an entry from `members` removes that person, nobody else is touched.\n" +
			"* DocSpace refuses to remove, or change the type of, the portal owner, the account whose credentials the provider uses, and (unless those credentials are the owner's) DocSpace admins; " +
			"it refuses a whole termination request that holds one of them. So the provider never sends them: with `exclusive = true` they are left alone, listing one with another type " +
			"or dropping a listed one from `members` is an error at plan time, and destroying the resource leaves them on the portal with a warning. " +
			"`Guest` is refused at plan time for someone not yet on the portal: DocSpace invites guests only through rooms.\n" +
			"* A member whose user is terminated (disabled) on the portal, for instance because a removal stopped between its two steps, shows in state with the type `Terminated`: " +
			"the next plan re-activates it if it is listed, and finishes its deletion otherwise. Other terminated users are ignored.\n" +
			"* A refresh costs one listing of the portal (all pages of `GET /api/2.0/people/filter`) plus `GET /api/2.0/people/@self` to know the caller.\n\n" +
			"Do not manage the same people with this resource and `membership_docspace_invitation`: they would fight. Destroying the resource removes the listed people.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The portal's endpoint URL.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"members": schema.MapAttribute{
				ElementType: types.StringType,
				Required:    true,
				MarkdownDescription: "The people of the portal: email address => user type. " + typeDoc + " " +
					"Emails are compared without regard to letter case (a case-only change is not a change); listing one email twice in different cases is an error. " +
					"In state, a member whose user is terminated (disabled) on the portal has the type `Terminated`.",
				Validators: []validator.Map{
					mapvalidator.KeysAre(shared.EmailValidator()),
					mapvalidator.ValueStringsAre(typeValidator()),
					shared.UniqueMemberKeys(),
				},
				PlanModifiers: []planmodifier.Map{shared.MapKeysIgnoreCase()},
			},
			"exclusive": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "When `true` (default) people on the portal who are not in `members` are removed (except those DocSpace refuses to remove: the owner, the caller and, unless the caller is the owner, DocSpace admins). " +
					"When `false` only the listed people are managed.",
			},
			"culture": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Language of the invitation emails, a culture name such as `en-US`. Only used when inviting; " +
					"DocSpace does not report it back, so it is not imported and changing it changes nothing on the portal.",
				Validators: []validator.String{cultureValidator()},
			},
			"member_ids": schema.MapAttribute{
				ElementType: types.StringType, Computed: true,
				MarkdownDescription: "Email => user id (uuid) of each member.",
				PlanModifiers:       []planmodifier.Map{shared.KeepStateWhileMemberKeysUnchanged(path.Root("members"))},
			},
			"activation_statuses": schema.MapAttribute{
				ElementType: types.StringType, Computed: true,
				MarkdownDescription: "Email => activation status of each member. " + activationDoc,
				PlanModifiers:       []planmodifier.Map{shared.KeepStateWhileMembersUnchanged(path.Root("members"))},
			},
		},
	}
}

func (r *invitationsResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	shared.ConfigureClient(req.ProviderData, Name, &r.client, &resp.Diagnostics)
}

func stringMap(m types.Map) map[string]string {
	out := map[string]string{}
	for k, v := range m.Elements() {
		if s, ok := v.(types.String); ok && !s.IsUnknown() && !s.IsNull() {
			out[k] = s.ValueString()
		}
	}
	return out
}

// --- the portal as seen by this resource ---

// terminatedMember is the type a member has in state while its user is
// terminated (disabled) on the portal.
const terminatedMember = "Terminated"

// observe returns the members as the portal has them, for state: the keys
// of known (in their configured case) that exist, with the type Terminated
// for a terminated user, plus, when exclusive, every other active user the
// provider may remove (see Protection).
func observe(dir Directory, caller User, known map[string]string, exclusive bool) (members, ids, activation map[string]string) {
	members, ids, activation = map[string]string{}, map[string]string{}, map[string]string{}
	taken := map[string]bool{}
	for k := range known {
		u, ok := dir.ByEmail[shared.NormalizeEmail(k)]
		if !ok {
			continue
		}
		members[k], ids[k], activation[k] = memberType(u), u.ID, ActivationWord(u.ActivationStatus)
		taken[u.ID] = true
	}
	if exclusive {
		for _, u := range dir.ByID {
			if taken[u.ID] || u.Terminated() || Protection(u, caller) != "" || u.Email == "" {
				continue
			}
			members[u.Email], ids[u.Email], activation[u.Email] = u.Type(), u.ID, ActivationWord(u.ActivationStatus)
		}
	}
	return members, ids, activation
}

func memberType(u User) string {
	if u.Terminated() {
		return terminatedMember
	}
	return u.Type()
}

// observed is the portal for shared.Differ: every user, keyed by email,
// Protected when DocSpace refuses to change or remove it. A terminated
// user that is a member (in known) has the type Terminated, so that Diff
// plans its re-activation (an update) when it is wanted and finishes its
// removal when it is not; other terminated users are Unusable (ignored).
func observed(dir Directory, caller User, known ...map[string]string) map[string]shared.Observed[string] {
	isKnown := map[string]bool{}
	for _, m := range known {
		for k := range m {
			isKnown[shared.NormalizeEmail(k)] = true
		}
	}
	out := make(map[string]shared.Observed[string], len(dir.ByID))
	for _, u := range dir.ByID {
		if u.Email == "" {
			continue
		}
		out[u.Email] = shared.Observed[string]{
			Value: memberType(u), ID: u.ID, Protected: Protection(u, caller),
			Unusable: u.Terminated() && !isKnown[shared.NormalizeEmail(u.Email)],
		}
	}
	return out
}

func mapValue(m map[string]string) types.Map {
	elems := make(map[string]attr.Value, len(m))
	for k, v := range m {
		elems[k] = types.StringValue(v)
	}
	return types.MapValueMust(types.StringType, elems)
}

// portal lists the portal and reads the caller (both shared by the run).
func (r *invitationsResource) portal(ctx context.Context) (Directory, User, error) {
	dir, err := r.client.Directory(ctx)
	if err != nil {
		return dir, User{}, err
	}
	caller, err := r.client.Caller(ctx)
	return dir, caller, err
}

func (r *invitationsResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state invitationsModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	shared.SetIdentity(ctx, resp.Identity, invitationsIdentity{Portal: types.StringValue(r.client.Portal())}, &resp.Diagnostics)
	exclusive := state.Exclusive.IsNull() || state.Exclusive.ValueBool()
	dir, caller, err := r.portal(ctx)
	if err != nil {
		shared.AddError(&resp.Diagnostics, "Could not read the people of the ONLYOFFICE DocSpace portal", err, Name)
		return
	}
	members, ids, act := observe(dir, caller, stringMap(state.Members), exclusive)
	state.ID = types.StringValue(r.client.BaseURL().String())
	state.Exclusive = types.BoolValue(exclusive)
	state.Members, state.MemberIDs, state.ActivationStatuses = mapValue(members), mapValue(ids), mapValue(act)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

var differ shared.Differ[string]

// ModifyPlan refuses, before anything is sent, what DocSpace would refuse
// (see shared.Changes.Protected, InviteRefusal and TypeChangeRefusal), says
// which terminated members are re-activated, and, when the resource is
// created with exclusive = true, which people it removes. A plan that
// changes no member sends nothing.
func (r *invitationsResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.client == nil {
		return
	}
	var plan, state invitationsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	creating := req.State.Raw.IsNull()
	if !creating {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	}
	if resp.Diagnostics.HasError() || plan.Members.IsUnknown() || plan.Exclusive.IsUnknown() {
		return
	}
	if !creating && shared.SameMembers(state.Members, plan.Members) && state.Exclusive.Equal(plan.Exclusive) {
		return
	}
	wanted, prior := stringMap(plan.Members), stringMap(state.Members)
	dir, caller, err := r.portal(ctx)
	if err != nil {
		shared.AddError(&resp.Diagnostics, "Could not list the people of the ONLYOFFICE DocSpace portal to plan the changes", err, Name)
		return
	}
	ch := differ.Diff(observed(dir, caller, wanted, prior), wanted, prior, plan.Exclusive.ValueBool())
	members := path.Root("members")
	for _, m := range ch.Protected {
		if m.Wanted {
			resp.Diagnostics.AddAttributeError(members.AtMapKey(m.Key), fmt.Sprintf("DocSpace would refuse to make %s a %s", m.Key, m.Want),
				fmt.Sprintf("%s is a %s and cannot be made %s: it is %s, which DocSpace does not change with these credentials.", m.Key, m.Have, m.Want, m.Reason))
			continue
		}
		resp.Diagnostics.AddAttributeError(members, fmt.Sprintf("DocSpace refuses to remove %s", m.Key),
			fmt.Sprintf("%s was a member and is no longer in members, which asks to remove it; but it is %s, and DocSpace answers a termination holding it with 403 \"Access denied\". "+
				"Keep it in members (the provider never removes it), or use credentials that may remove it.", m.Key, m.Reason))
	}
	for _, m := range ch.Invite {
		if why := InviteRefusal(m.Want, caller); why != "" {
			resp.Diagnostics.AddAttributeError(members.AtMapKey(m.Key), fmt.Sprintf("DocSpace would refuse to make %s a %s", m.Key, m.Want), why+".")
		}
	}
	for _, m := range ch.Update {
		u := dir.ByEmail[shared.NormalizeEmail(m.Key)]
		if m.Have == terminatedMember {
			resp.Diagnostics.AddAttributeWarning(members.AtMapKey(m.Key), "DocSpace user is terminated: it will be re-activated",
				fmt.Sprintf("%s (user %s) is terminated (disabled) on the portal, and DocSpace refuses to invite a disabled address again: "+
					"the apply re-activates this user (PUT /api/2.0/people/status/Active) instead, keeping its id, profile and data.", m.Key, m.ID))
			u.Status = 1
		}
		if u.Type() != m.Want {
			if why := TypeChangeRefusal(u, m.Want, caller); why != "" {
				resp.Diagnostics.AddAttributeError(members.AtMapKey(m.Key), fmt.Sprintf("DocSpace would refuse to make %s a %s", m.Key, m.Want),
					fmt.Sprintf("%s is a %s and cannot be made %s: %s.", m.Key, u.Type(), m.Want, why))
			}
		}
	}
	if !creating || !plan.Exclusive.ValueBool() || len(ch.Remove) == 0 {
		return
	}
	gone := make([]string, 0, len(ch.Remove))
	for _, m := range ch.Remove {
		gone = append(gone, fmt.Sprintf("%s (%s)", m.Key, m.Have))
	}
	resp.Diagnostics.AddAttributeWarning(members, fmt.Sprintf("Creating this resource removes %d people from the DocSpace portal", len(gone)),
		"exclusive is true, so people on the portal who are not in members will be terminated and deleted:\n  "+strings.Join(gone, "\n  ")+
			"\n\nAdd them to members to keep them, or set exclusive = false to manage only the listed people.")
}

func (r *invitationsResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan invitationsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	shared.SetIdentity(ctx, resp.Identity, invitationsIdentity{Portal: types.StringValue(r.client.Portal())}, &resp.Diagnostics)
	r.apply(ctx, nil, &plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		// No state: Terraform taints an object whose create failed and
		// replaces it, which would remove every member. The next apply
		// creates it again from the portal as it is: members already
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
	shared.SetIdentity(ctx, resp.Identity, invitationsIdentity{Portal: types.StringValue(r.client.Portal())}, &resp.Diagnostics)
	r.apply(ctx, stringMap(state.Members), &plan, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// apply makes the portal match plan with the shared reconciler: one
// listing, Diff, then removals (which free paid seats), invitations and
// updates (re-activations and type changes), each one batched request or
// a few, in that order. It reads the portal back once and fails a member
// DocSpace left unchanged. plan gets what the portal has afterwards
// (shared.Changes.Settle): what succeeded as wanted, a failed invitation
// absent, a failed removal or update as it was.
func (r *invitationsResource) apply(ctx context.Context, prior map[string]string, plan *invitationsModel, diags *diag.Diagnostics) {
	c := r.client
	wanted := stringMap(plan.Members)
	plan.ID = types.StringValue(c.BaseURL().String())
	dir, caller, err := r.portal(ctx)
	if err != nil {
		shared.AddError(diags, "Could not list the people of the ONLYOFFICE DocSpace portal", err, Name)
		return
	}
	ch := differ.Diff(observed(dir, caller, wanted, prior), wanted, prior, plan.Exclusive.ValueBool())
	users := func(ms []shared.Member[string]) ([]User, map[string]string) {
		us := make([]User, 0, len(ms))
		keyOf := make(map[string]string, len(ms))
		for _, m := range ms {
			u := dir.ByEmail[shared.NormalizeEmail(m.Key)]
			us = append(us, u)
			keyOf[u.ID] = m.Key
		}
		return us, keyOf
	}
	removes := shared.BatchOps(shared.OpRemove, ch.Remove, 0, func(ctx context.Context, ms []shared.Member[string]) (map[string]error, error) {
		us, keyOf := users(ms)
		return byKey(c.RemoveMany(ctx, us), keyOf), nil
	})
	invites := shared.BatchOps(shared.OpInvite, ch.Invite, 0, func(ctx context.Context, ms []shared.Member[string]) (map[string]error, error) {
		invs := make([]Invitation, len(ms))
		for i, m := range ms {
			invs[i] = Invitation{Email: m.Key, Type: m.Want}
		}
		out := c.InviteMany(ctx, plan.Culture.ValueString(), invs)
		errs := map[string]error{}
		for _, m := range ms {
			if err := out[shared.NormalizeEmail(m.Key)].Err; err != nil {
				errs[m.Key] = err
			}
		}
		return errs, nil
	})
	updates := shared.BatchOps(shared.OpUpdate, ch.Update, 0, func(ctx context.Context, ms []shared.Member[string]) (map[string]error, error) {
		return r.update(ctx, dir, ms), nil
	})
	out := shared.Execute(ctx, 1, removes, invites, updates)
	// read back: DocSpace leaves alone type changes it does not make
	after, err := c.Directory(ctx)
	if err != nil {
		shared.AddError(diags, "Could not read the people of the ONLYOFFICE DocSpace portal back", err, Name)
		after = dir
	} else {
		verify(after, ch, out)
	}
	for _, m := range ch.Protected {
		if m.Wanted {
			out.Record(shared.OpUpdate, m.Key, fmt.Errorf("%s is %s: DocSpace does not change its type with these credentials", m.Key, m.Reason))
		} else {
			out.Record(shared.OpRemove, m.Key, refusedRemoval(dir.ByEmail[shared.NormalizeEmail(m.Key)], m.Reason))
		}
	}
	for _, f := range out.Failures() {
		if f.Skipped {
			continue
		}
		addAPIError(diags, failureSummary(f, wanted[f.Key]), f.Err)
	}
	settled := ch.Settle(out)
	if diags.HasError() {
		plan.Members = mapValue(settled)
	}
	_, ids, act := observe(after, caller, settled, false)
	plan.MemberIDs, plan.ActivationStatuses = mapValue(ids), mapValue(act)
}

func failureSummary(f shared.Outcome, typ string) string {
	switch f.Kind {
	case shared.OpRemove:
		return fmt.Sprintf("Could not remove %s from ONLYOFFICE DocSpace", f.Key)
	case shared.OpInvite:
		return fmt.Sprintf("Could not invite %s to ONLYOFFICE DocSpace as %s", f.Key, typ)
	}
	return fmt.Sprintf("Could not make %s a %s on ONLYOFFICE DocSpace", f.Key, typ)
}

// update re-activates the terminated members of ms, then changes the type
// of those whose type differs (one request per type, seats freed first).
// It returns an error per member key that failed.
func (r *invitationsResource) update(ctx context.Context, dir Directory, ms []shared.Member[string]) map[string]error {
	c := r.client
	errs := map[string]error{}
	current := map[string]User{}
	keyOf := map[string]string{}
	var terminated []User
	for _, m := range ms {
		u := dir.ByEmail[shared.NormalizeEmail(m.Key)]
		current[m.Key], keyOf[u.ID] = u, m.Key
		if u.Terminated() {
			terminated = append(terminated, u)
		}
	}
	if len(terminated) > 0 {
		after, failed := c.Reactivate(ctx, terminated)
		for id, err := range failed {
			errs[keyOf[id]] = err
		}
		for id, u := range after {
			current[keyOf[id]] = u
		}
	}
	changes := map[string][]User{}
	for _, m := range ms {
		if u := current[m.Key]; errs[m.Key] == nil && u.Type() != m.Want {
			changes[m.Want] = append(changes[m.Want], u)
		}
	}
	for _, typ := range []string{"Guest", "User", "RoomAdmin", "DocSpaceAdmin"} { // seats freed first
		for id, err := range c.ChangeTypes(ctx, typ, changes[typ]) {
			errs[keyOf[id]] = err
		}
	}
	return errs
}

// byKey turns errors by user id into errors by member key.
func byKey(errs map[string]error, keyOf map[string]string) map[string]error {
	out := make(map[string]error, len(errs))
	for id, err := range errs {
		out[keyOf[id]] = err
	}
	return out
}

// verify fails, in out, each change the API acknowledged but the portal
// (after, read back once) does not show.
func verify(after Directory, ch shared.Changes[string], out *shared.Outcomes) {
	check := func(kind shared.OpKind, ms []shared.Member[string]) {
		for _, m := range ms {
			if !out.Succeeded(kind, m.Key) {
				continue
			}
			u, ok := after.ByEmail[shared.NormalizeEmail(m.Key)]
			switch {
			case kind == shared.OpRemove && ok:
				out.Record(kind, m.Key, fmt.Errorf("%s is still on the portal after its removal (status %s)", m.Key, StatusWord(u.Status)))
			case kind == shared.OpRemove:
			case !ok:
				out.Record(kind, m.Key, fmt.Errorf("DocSpace accepted the change but lists no user %s afterwards", m.Key))
			case memberType(u) != m.Want:
				out.Record(kind, m.Key, fmt.Errorf("DocSpace answered without making %s (user %s) a %s: it is %s. "+
					"The portal leaves alone type changes it does not make (the owner, the caller, DocSpace admins and changes to DocSpaceAdmin unless the caller is the owner, "+
					"and changes it does not support)", m.Key, u.ID, m.Want, memberType(u)))
			}
		}
	}
	check(shared.OpRemove, ch.Remove)
	check(shared.OpInvite, ch.Invite)
	check(shared.OpUpdate, ch.Update)
}

func (r *invitationsResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state invitationsModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	dir, caller, err := r.portal(ctx)
	if err != nil {
		shared.AddError(&resp.Diagnostics, "Could not list the people of the ONLYOFFICE DocSpace portal", err, Name)
		return
	}
	prior := stringMap(state.Members)
	ch := differ.Diff(observed(dir, caller, prior), nil, prior, false)
	for _, m := range ch.Protected {
		resp.Diagnostics.AddWarning("DocSpace member left on the portal",
			fmt.Sprintf("%s is %s: DocSpace refuses to remove it, so destroying this resource leaves it on the portal.", m.Key, m.Reason))
	}
	var removals []User
	for _, m := range ch.Remove {
		removals = append(removals, dir.ByEmail[shared.NormalizeEmail(m.Key)])
	}
	errs := r.client.RemoveMany(ctx, removals)
	for _, u := range removals {
		if err := errs[u.ID]; err != nil {
			addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not remove %s from ONLYOFFICE DocSpace", u.Email), err)
		}
	}
}

// ImportState takes the portal's endpoint URL (as in the provider block);
// everyone on the portal the provider may remove, except terminated users,
// is imported, with exclusive = true.
func (r *invitationsResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	want := strings.TrimRight(r.client.BaseURL().String(), "/")
	if req.ID == "" && req.Identity != nil {
		var ident invitationsIdentity
		if resp.Diagnostics.Append(req.Identity.Get(ctx, &ident)...); resp.Diagnostics.HasError() {
			return
		}
		if p := strings.TrimSpace(ident.Portal.ValueString()); !strings.EqualFold(p, r.client.Portal()) {
			shared.IdentityError(&resp.Diagnostics, invitationsType, fmt.Sprintf("{ portal = %q }", r.client.Portal()),
				fmt.Sprintf("portal %q is not the portal the provider's docspace block is configured for", p))
			return
		}
		shared.SetIdentity(ctx, resp.Identity, invitationsIdentity{Portal: types.StringValue(r.client.Portal())}, &resp.Diagnostics)
	} else if strings.TrimRight(strings.TrimSpace(req.ID), "/") != want {
		resp.Diagnostics.AddError("Invalid import id for membership_docspace_invitations",
			fmt.Sprintf("The import id must be the portal's endpoint URL as configured in the provider's docspace block, %q; got %q.", want, req.ID))
		return
	}
	m := invitationsModel{
		ID: types.StringValue(want), Exclusive: types.BoolValue(true), Culture: types.StringNull(),
		Members:   types.MapValueMust(types.StringType, map[string]attr.Value{}),
		MemberIDs: types.MapNull(types.StringType), ActivationStatuses: types.MapNull(types.StringType),
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
