package docspace

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

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

// NewInvitationsResource is membership_docspace_invitations.
func NewInvitationsResource() resource.Resource { return &invitationsResource{} }

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
			"* Listed people missing from the portal are invited (`POST /api/2.0/people/invite`, one request per type), listed people whose type differs are changed " +
			"in place (`PUT /api/2.0/people/type/{type}`, one request per type) and read back: the apply fails, naming each member, if the portal silently skipped a change.\n" +
			"* With `exclusive = true` (the default) every other person on the portal is planned for removal, shown in the plan as a member leaving `members`, and removed " +
			"(terminated, then deleted: `PUT /api/2.0/people/status/Terminated`, `DELETE /api/2.0/people/{id}`). Creating the resource warns at plan time which people it will remove. " +
			"With `exclusive = false` only the listed people are managed: removing an entry from `members` removes that person, nobody else is touched.\n" +
			"* The portal owner and the account whose credentials the provider uses are never removed, and terminated users are ignored. Do not list the owner: DocSpace cannot change the owner's type.\n" +
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
					"Emails are compared without regard to letter case (a case-only change is not a change); listing one email twice in different cases is an error.",
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

// CallerID is the id of the account whose credentials the provider uses,
// read once per provider run.
func (c *Client) CallerID(ctx context.Context) (string, error) {
	c.selfMu.Lock()
	defer c.selfMu.Unlock()
	if c.selfID != "" {
		return c.selfID, nil
	}
	u, err := c.Self(ctx)
	if err != nil {
		return "", err
	}
	c.selfID = u.ID
	return u.ID, nil
}

// protected reports why a user must never be removed, or "".
func protected(u User, callerID string) string {
	switch {
	case u.IsOwner:
		return "the portal owner"
	case strings.EqualFold(u.ID, callerID):
		return "the account whose credentials the provider uses"
	}
	return ""
}

// observe returns the members as the portal has them: the keys of known
// (in their configured case) that exist, plus, when exclusive, everyone
// else on the portal except the owner, the caller and terminated users.
func observe(dir Directory, callerID string, known map[string]string, exclusive bool) (members, ids, activation map[string]string) {
	members, ids, activation = map[string]string{}, map[string]string{}, map[string]string{}
	taken := map[string]bool{}
	for k := range known {
		u, ok := dir.ByEmail[shared.NormalizeEmail(k)]
		if !ok || u.Terminated() {
			continue
		}
		members[k], ids[k], activation[k] = u.Type(), u.ID, ActivationWord(u.ActivationStatus)
		taken[u.ID] = true
	}
	if exclusive {
		for _, u := range dir.ByID {
			if taken[u.ID] || u.Terminated() || protected(u, callerID) != "" || u.Email == "" {
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

func (r *invitationsResource) portalState(ctx context.Context, known map[string]string, exclusive bool) (map[string]string, map[string]string, map[string]string, error) {
	dir, err := r.client.Directory(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	callerID, err := r.client.CallerID(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	m, ids, act := observe(dir, callerID, known, exclusive)
	return m, ids, act, nil
}

func (r *invitationsResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state invitationsModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	exclusive := state.Exclusive.IsNull() || state.Exclusive.ValueBool()
	members, ids, act, err := r.portalState(ctx, stringMap(state.Members), exclusive)
	if err != nil {
		shared.AddError(&resp.Diagnostics, "Could not read the people of the ONLYOFFICE DocSpace portal", err, Name)
		return
	}
	state.ID = types.StringValue(r.client.api.BaseURL().String())
	state.Exclusive = types.BoolValue(exclusive)
	state.Members, state.MemberIDs, state.ActivationStatuses = mapValue(members), mapValue(ids), mapValue(act)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *invitationsResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !req.State.Raw.IsNull() || req.Plan.Raw.IsNull() || r.client == nil {
		return
	}
	var plan invitationsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || plan.Members.IsUnknown() || plan.Exclusive.IsUnknown() || !plan.Exclusive.ValueBool() {
		return
	}
	wanted := stringMap(plan.Members)
	current, _, _, err := r.portalState(ctx, nil, true)
	if err != nil {
		shared.AddError(&resp.Diagnostics, "Could not list the people of the ONLYOFFICE DocSpace portal to plan removals", err, Name)
		return
	}
	var gone []string
	for email, typ := range current {
		if !containsFold(wanted, email) {
			gone = append(gone, fmt.Sprintf("%s (%s)", email, typ))
		}
	}
	if len(gone) > 0 {
		sort.Strings(gone)
		resp.Diagnostics.AddAttributeWarning(path.Root("members"), fmt.Sprintf("Creating this resource removes %d people from the DocSpace portal", len(gone)),
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

// apply makes the portal match plan and fills plan's computed values with
// what the portal has afterwards (so a partial failure is recorded).
func (r *invitationsResource) apply(ctx context.Context, prior map[string]string, plan *invitationsModel, diags *diag.Diagnostics) {
	c := r.client
	wanted := stringMap(plan.Members)
	exclusive := plan.Exclusive.ValueBool()
	plan.ID = types.StringValue(c.api.BaseURL().String())
	finish := func() {
		c.list.InvalidateAll()
		members, ids, act, err := r.portalState(ctx, wanted, false)
		if err != nil {
			shared.AddError(diags, "Could not read the people of the ONLYOFFICE DocSpace portal back", err, Name)
			members, ids, act = map[string]string{}, map[string]string{}, map[string]string{}
		}
		if diags.HasError() {
			plan.Members = mapValue(members)
		} else {
			var wrong []string
			for k, typ := range wanted {
				if members[k] != typ {
					wrong = append(wrong, fmt.Sprintf("%s is %q, not %q", k, members[k], typ))
				}
			}
			if len(wrong) > 0 {
				sort.Strings(wrong)
				diags.AddError("The ONLYOFFICE DocSpace portal did not apply every change",
					"After the apply:\n  "+strings.Join(wrong, "\n  ")+
						"\n\nDocSpace silently skips type changes it will not make (the owner, the caller, DocSpace admins unless the caller is the owner).")
				plan.Members = mapValue(members)
			}
		}
		plan.MemberIDs, plan.ActivationStatuses = mapValue(ids), mapValue(act)
	}
	dir, err := c.Directory(ctx)
	if err == nil {
		_, err = c.CallerID(ctx)
	}
	if err != nil {
		shared.AddError(diags, "Could not list the people of the ONLYOFFICE DocSpace portal", err, Name)
		finish()
		return
	}
	callerID, _ := c.CallerID(ctx)

	var mu sync.Mutex
	var wg sync.WaitGroup
	fail := func(summary string, err error) {
		mu.Lock()
		defer mu.Unlock()
		addAPIError(diags, summary, err)
	}

	// removals: people not wanted, among the prior members or (exclusive)
	// anyone; never the owner or the caller
	var warnings []string
	var removals []User
	for _, u := range dir.ByID {
		if u.Terminated() || containsFold(wanted, u.Email) {
			continue
		}
		if !exclusive && !containsFold(prior, u.Email) {
			continue
		}
		if why := protected(u, callerID); why != "" {
			if containsFold(prior, u.Email) {
				warnings = append(warnings, fmt.Sprintf("%s is %s and is never removed: it was only dropped from members", u.Email, why))
			}
			continue
		}
		removals = append(removals, u)
	}
	if len(removals) > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reportRemovals(removals, c.RemoveMany(ctx, removals), fail)
		}()
	}
	// invitations and type changes
	changes := map[string][]User{}
	for email, typ := range wanted {
		u, ok := dir.ByEmail[shared.NormalizeEmail(email)]
		if ok && !u.Terminated() {
			if u.Type() != typ {
				if u.IsOwner {
					fail(fmt.Sprintf("Could not make %s a %s", email, typ), fmt.Errorf("%s is the portal owner: DocSpace cannot change the owner's type. Remove the owner from members", email))
					continue
				}
				changes[typ] = append(changes[typ], u)
			}
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := c.InviteOne(ctx, email, typ, plan.Culture.ValueString())
			if err != nil {
				fail(fmt.Sprintf("Could not invite %s to ONLYOFFICE DocSpace as %s", email, typ), err)
				return
			}
			if got.Type() != typ { // existing user the invitation left as is
				mu.Lock()
				changes[typ] = append(changes[typ], got)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	typeNames := make([]string, 0, len(changes))
	for typ := range changes {
		typeNames = append(typeNames, typ)
	}
	sort.Strings(typeNames)
	for _, typ := range typeNames {
		var ids, emails []string
		for _, u := range changes[typ] {
			ids = append(ids, u.ID)
			emails = append(emails, u.Email)
		}
		if _, err := c.SetType(ctx, typ, ids); err != nil {
			addAPIError(diags, fmt.Sprintf("Could not change the type of %s on ONLYOFFICE DocSpace to %s", strings.Join(emails, ", "), typ), err)
		}
	}
	for _, w := range warnings {
		diags.AddAttributeWarning(path.Root("members"), "DocSpace member not removed", w)
	}
	finish()
}

func (r *invitationsResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state invitationsModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := r.client
	dir, err := c.Directory(ctx)
	var callerID string
	if err == nil {
		callerID, err = c.CallerID(ctx)
	}
	if err != nil {
		shared.AddError(&resp.Diagnostics, "Could not list the people of the ONLYOFFICE DocSpace portal", err, Name)
		return
	}
	var removals []User
	for email := range stringMap(state.Members) {
		u, ok := dir.ByEmail[shared.NormalizeEmail(email)]
		if !ok || u.Terminated() || protected(u, callerID) != "" {
			continue
		}
		removals = append(removals, u)
	}
	reportRemovals(removals, c.RemoveMany(ctx, removals), func(summary string, err error) {
		addAPIError(&resp.Diagnostics, summary, err)
	})
}

func reportRemovals(users []User, errs map[string]error, fail func(string, error)) {
	sort.Slice(users, func(i, j int) bool { return users[i].Email < users[j].Email })
	for _, u := range users {
		if err := errs[u.ID]; err != nil {
			fail(fmt.Sprintf("Could not remove %s from ONLYOFFICE DocSpace", u.Email), err)
		}
	}
}

// ImportState takes the portal's endpoint URL (as in the provider block);
// everyone on the portal except the owner, the caller and terminated users
// is imported, with exclusive = true.
func (r *invitationsResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	want := strings.TrimRight(r.client.api.BaseURL().String(), "/")
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
