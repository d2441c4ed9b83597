package docspace

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
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
	_ resource.ResourceWithConfigure   = &invitationsResource{}
	_ resource.ResourceWithImportState = &invitationsResource{}
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
					uniqueEmailKeys{},
				},
				PlanModifiers: []planmodifier.Map{membersIgnoreCase{}},
			},
			"exclusive": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "When `true` (default) people on the portal who are not in `members` are removed (except the owner and the caller). " +
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
				PlanModifiers:       []planmodifier.Map{sameMembersKeepState{}},
			},
			"activation_statuses": schema.MapAttribute{
				ElementType: types.StringType, Computed: true,
				MarkdownDescription: "Email => activation status of each member. " + activationDoc,
				PlanModifiers:       []planmodifier.Map{sameMembersKeepState{}},
			},
		},
	}
}

func (r *invitationsResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	shared.ConfigureClient(req.ProviderData, Name, &r.client, &resp.Diagnostics)
}

// --- validators and plan modifiers ---

type uniqueEmailKeys struct{}

func (uniqueEmailKeys) Description(context.Context) string {
	return "each email must appear once, whatever its letter case"
}
func (v uniqueEmailKeys) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (uniqueEmailKeys) ValidateMap(_ context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	seen := map[string]string{}
	keys := make([]string, 0, len(req.ConfigValue.Elements()))
	for k := range req.ConfigValue.Elements() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		n := shared.NormalizeEmail(k)
		if prev, ok := seen[n]; ok {
			resp.Diagnostics.AddAttributeError(req.Path, "Duplicate member email",
				fmt.Sprintf("Attribute %s lists %q and %q, which are the same email address in different letter case: keep one.", req.Path, prev, k))
		}
		seen[n] = k
	}
}

func stringMap(m types.Map) map[string]string {
	out := map[string]string{}
	for k, v := range m.Elements() {
		if s, ok := v.(types.String); ok {
			out[k] = s.ValueString()
		}
	}
	return out
}

// sameMembers reports whether a and b name the same emails (any case)
// with the same types.
func sameMembers(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	norm := map[string]string{}
	for k, v := range b {
		norm[shared.NormalizeEmail(k)] = v
	}
	for k, v := range a {
		if w, ok := norm[shared.NormalizeEmail(k)]; !ok || w != v {
			return false
		}
	}
	return true
}

// membersIgnoreCase keeps the state's map when the configuration differs
// only in the letter case of emails.
type membersIgnoreCase struct{}

func (membersIgnoreCase) Description(context.Context) string {
	return "a change of letter case in an email is not a change"
}
func (m membersIgnoreCase) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }
func (membersIgnoreCase) PlanModifyMap(_ context.Context, req planmodifier.MapRequest, resp *planmodifier.MapResponse) {
	if req.StateValue.IsNull() || req.PlanValue.IsNull() || req.PlanValue.IsUnknown() || req.StateValue.IsUnknown() {
		return
	}
	if sameMembers(stringMap(req.StateValue), stringMap(req.PlanValue)) {
		resp.PlanValue = req.StateValue
	}
}

// sameMembersKeepState keeps computed per-member maps when members do not
// change.
type sameMembersKeepState struct{}

func (sameMembersKeepState) Description(context.Context) string {
	return "unchanged while members do not change"
}
func (m sameMembersKeepState) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}
func (sameMembersKeepState) PlanModifyMap(ctx context.Context, req planmodifier.MapRequest, resp *planmodifier.MapResponse) {
	if req.StateValue.IsNull() || !req.PlanValue.IsUnknown() {
		return
	}
	var planned, prior types.Map
	if d := req.Plan.GetAttribute(ctx, path.Root("members"), &planned); d.HasError() {
		return
	}
	if d := req.State.GetAttribute(ctx, path.Root("members"), &prior); d.HasError() {
		return
	}
	if planned.IsUnknown() || planned.IsNull() || prior.IsNull() {
		return
	}
	// the plan seen here is before membersIgnoreCase ran: compare as it does
	if sameMembers(stringMap(planned), stringMap(prior)) {
		resp.PlanValue = req.StateValue
	}
}

// --- the portal as seen by this resource ---

// terminatedMember is the type a member has in state while its user is
// terminated (disabled) on the portal.
const terminatedMember = "Terminated"

// observe returns the members as the portal has them: the keys of known
// (in their configured case) that exist, with the type Terminated for a
// terminated user, plus, when exclusive, every other active user the
// provider may remove (see Protection).
func observe(dir Directory, caller User, known map[string]string, exclusive bool) (members, ids, activation map[string]string) {
	members, ids, activation = map[string]string{}, map[string]string{}, map[string]string{}
	taken := map[string]bool{}
	for k := range known {
		u, ok := dir.ByEmail[shared.NormalizeEmail(k)]
		if !ok {
			continue
		}
		members[k], ids[k], activation[k] = u.Type(), u.ID, ActivationWord(u.ActivationStatus)
		if u.Terminated() {
			members[k] = terminatedMember
		}
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

func mapValue(m map[string]string) types.Map {
	elems := make(map[string]attr.Value, len(m))
	for k, v := range m {
		elems[k] = types.StringValue(v)
	}
	return types.MapValueMust(types.StringType, elems)
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
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

// ModifyPlan refuses, before anything is sent, what DocSpace would refuse
// (see MemberPlan and Protection), says which terminated members are
// re-activated, and, when the resource is created with exclusive = true,
// which people it removes. A plan that changes no member sends nothing.
func (r *invitationsResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.client == nil {
		return
	}
	var plan invitationsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || plan.Members.IsUnknown() || plan.Exclusive.IsUnknown() {
		return
	}
	wanted := stringMap(plan.Members)
	var prior map[string]string
	creating := req.State.Raw.IsNull()
	if !creating {
		var state invitationsModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		prior = stringMap(state.Members)
		if sameMembers(prior, wanted) {
			return
		}
	}
	dir, caller, err := r.portal(ctx)
	if err != nil {
		shared.AddError(&resp.Diagnostics, "Could not list the people of the ONLYOFFICE DocSpace portal to plan the changes", err, Name)
		return
	}
	members := path.Root("members")
	for _, email := range sortedKeys(wanted) {
		typ := wanted[email]
		if typ == "" { // unknown until apply
			continue
		}
		note, refusal := MemberPlan(dir, caller, email, typ, false)
		if refusal != "" {
			resp.Diagnostics.AddAttributeError(members.AtMapKey(email), fmt.Sprintf("DocSpace would refuse to make %s a %s", email, typ), refusal+".")
		} else if note != "" {
			resp.Diagnostics.AddAttributeWarning(members.AtMapKey(email), "DocSpace user is terminated: it will be re-activated", note)
		}
	}
	for _, email := range sortedKeys(prior) {
		if containsFold(wanted, email) {
			continue
		}
		if u, ok := dir.ByEmail[shared.NormalizeEmail(email)]; ok && Protection(u, caller) != "" {
			resp.Diagnostics.AddAttributeError(members, fmt.Sprintf("DocSpace refuses to remove %s", email),
				fmt.Sprintf("%s was a member and is no longer in members, which asks to remove it; but it is %s, and DocSpace answers a termination holding it with 403 \"Access denied\". "+
					"Keep it in members (the provider never removes it), or use credentials that may remove it.", email, Protection(u, caller)))
		}
	}
	if !creating || !plan.Exclusive.ValueBool() {
		return
	}
	current, _, _ := observe(dir, caller, nil, true)
	var gone []string
	for email, typ := range current {
		if !containsFold(wanted, email) {
			gone = append(gone, fmt.Sprintf("%s (%s)", email, typ))
		}
	}
	if len(gone) > 0 {
		sort.Strings(gone)
		resp.Diagnostics.AddAttributeWarning(members, fmt.Sprintf("Creating this resource removes %d people from the DocSpace portal", len(gone)),
			"exclusive is true, so people on the portal who are not in members will be terminated and deleted:\n  "+strings.Join(gone, "\n  ")+
				"\n\nAdd them to members to keep them, or set exclusive = false to manage only the listed people.")
	}
}

func containsFold(m map[string]string, email string) bool {
	for k := range m {
		if strings.EqualFold(k, email) {
			return true
		}
	}
	return false
}

func (r *invitationsResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan invitationsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
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
	r.apply(ctx, stringMap(state.Members), &plan, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// failure is one change the apply could not make.
type failure struct {
	summary string
	err     error
}

// apply makes the portal match plan, one step after the other (removals
// first, which frees paid seats; then invitations, re-activations and
// type changes, each batched), and fills plan's computed values with what
// the portal has afterwards, so that a partial failure keeps what
// succeeded in state, and a member whose removal failed stays in it.
func (r *invitationsResource) apply(ctx context.Context, prior map[string]string, plan *invitationsModel, diags *diag.Diagnostics) {
	c := r.client
	wanted := stringMap(plan.Members)
	plan.ID = types.StringValue(c.BaseURL().String())
	known := map[string]string{}
	for k, v := range wanted {
		known[k] = v
	}
	dir, caller, err := r.portal(ctx)
	if err != nil {
		shared.AddError(diags, "Could not list the people of the ONLYOFFICE DocSpace portal", err, Name)
		for k, v := range prior {
			if !containsFold(known, k) {
				known[k] = v
			}
		}
		r.finish(ctx, known, wanted, plan, diags)
		return
	}
	var failed []failure

	// removals: people not wanted, among the prior members (whatever
	// their status) or, when exclusive, any active person the provider
	// may remove
	byEmail := func(us []User) { sort.Slice(us, func(i, j int) bool { return us[i].Email < us[j].Email }) }
	var removals []User
	for _, u := range dir.ByID {
		if u.Email == "" || containsFold(wanted, u.Email) {
			continue
		}
		if !containsFold(prior, u.Email) && (!plan.Exclusive.ValueBool() || u.Terminated() || Protection(u, caller) != "") {
			continue
		}
		removals = append(removals, u)
	}
	byEmail(removals)
	removeErrs := c.RemoveMany(ctx, removals)
	for _, u := range removals {
		if err := removeErrs[u.ID]; err != nil {
			failed = append(failed, failure{fmt.Sprintf("Could not remove %s from ONLYOFFICE DocSpace", u.Email), err})
			for k, v := range prior {
				if strings.EqualFold(k, u.Email) {
					known[k] = v // still there: stays in state
				}
			}
		}
	}

	// invitations, re-activations, type changes
	var invs []Invitation
	var reactivate []User
	changes := map[string][]User{}
	typeOf := map[string]string{}
	for _, email := range sortedKeys(wanted) {
		typ := wanted[email]
		typeOf[shared.NormalizeEmail(email)] = typ
		switch u, ok := dir.ByEmail[shared.NormalizeEmail(email)]; {
		case !ok:
			invs = append(invs, Invitation{Email: email, Type: typ})
		case u.Terminated():
			reactivate = append(reactivate, u)
		case u.Type() != typ:
			changes[typ] = append(changes[typ], u)
		}
	}
	if len(invs) > 0 {
		outcomes := c.InviteMany(ctx, plan.Culture.ValueString(), invs)
		for _, inv := range invs {
			o := outcomes[shared.NormalizeEmail(inv.Email)]
			switch {
			case o.Err != nil:
				failed = append(failed, failure{fmt.Sprintf("Could not invite %s to ONLYOFFICE DocSpace as %s", inv.Email, inv.Type), o.Err})
			case o.Type() != inv.Type: // an existing user the invitation left as is
				changes[inv.Type] = append(changes[inv.Type], o.User)
			}
		}
	}
	if len(reactivate) > 0 {
		users, errs := c.Reactivate(ctx, reactivate)
		for _, u := range reactivate {
			typ := typeOf[shared.NormalizeEmail(u.Email)]
			switch after := users[u.ID]; {
			case errs[u.ID] != nil:
				failed = append(failed, failure{"Could not re-activate the terminated DocSpace user " + u.Email, errs[u.ID]})
			case after.Type() != typ:
				changes[typ] = append(changes[typ], after)
			}
		}
	}
	for _, typ := range []string{"Guest", "User", "RoomAdmin", "DocSpaceAdmin"} { // seats freed first
		users := changes[typ]
		byEmail(users)
		errs := c.ChangeTypes(ctx, typ, users)
		for _, u := range users {
			if err := errs[u.ID]; err != nil {
				failed = append(failed, failure{fmt.Sprintf("Could not change the type of %s on ONLYOFFICE DocSpace to %s", u.Email, typ), err})
			}
		}
	}
	for _, f := range failed {
		addAPIError(diags, f.summary, f.err)
	}
	r.finish(ctx, known, wanted, plan, diags)
}

// finish reads the portal back (one fresh listing) and records in plan
// what it has for the known members: on success it must be exactly what
// was wanted, else the apply fails naming each member the portal left
// undone.
func (r *invitationsResource) finish(ctx context.Context, known, wanted map[string]string, plan *invitationsModel, diags *diag.Diagnostics) {
	dir, caller, err := r.portal(ctx)
	if err != nil {
		shared.AddError(diags, "Could not read the people of the ONLYOFFICE DocSpace portal back", err, Name)
	}
	members, ids, act := observe(dir, caller, known, false)
	if !diags.HasError() {
		var wrong []string
		for _, k := range sortedKeys(wanted) {
			if members[k] != wanted[k] {
				wrong = append(wrong, fmt.Sprintf("%s is %q, not %q", k, members[k], wanted[k]))
			}
		}
		if len(wrong) > 0 {
			diags.AddError("The ONLYOFFICE DocSpace portal did not apply every change",
				"After the apply:\n  "+strings.Join(wrong, "\n  ")+
					"\n\nDocSpace leaves alone type changes it does not make (the owner, the caller, DocSpace admins and changes to DocSpaceAdmin unless the caller is the owner, "+
					"and changes it does not support).")
		}
	}
	if diags.HasError() {
		plan.Members = mapValue(members)
	}
	plan.MemberIDs, plan.ActivationStatuses = mapValue(ids), mapValue(act)
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
	var removals []User
	for _, email := range sortedKeys(stringMap(state.Members)) {
		u, ok := dir.ByEmail[shared.NormalizeEmail(email)]
		if !ok {
			continue
		}
		if why := Protection(u, caller); why != "" {
			resp.Diagnostics.AddWarning("DocSpace member left on the portal",
				fmt.Sprintf("%s is %s: DocSpace refuses to remove it, so destroying this resource leaves it on the portal.", u.Email, why))
			continue
		}
		removals = append(removals, u)
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
	if strings.TrimRight(strings.TrimSpace(req.ID), "/") != want {
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
