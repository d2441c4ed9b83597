package docspace

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
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
	"golang.org/x/sync/errgroup"

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

// invitationsResource is the authoritative engine (shared.Authoritative)
// over the portal's people.
type invitationsResource struct {
	shared.Authoritative[invitationsModel, string, portalScope]
	client *Client
}

type invitationsModel struct {
	ID                 types.String `tfsdk:"id"`
	Members            types.Map    `tfsdk:"members"`
	Exclusive          types.Bool   `tfsdk:"exclusive"`
	MaxRemovals        types.Int64  `tfsdk:"max_removals"`
	Culture            types.String `tfsdk:"culture"`
	MemberIDs          types.Map    `tfsdk:"member_ids"`
	ActivationStatuses types.Map    `tfsdk:"activation_statuses"`
	UnlistedMembers    types.Map    `tfsdk:"unlisted_members"`
	DataSuccessor      types.String `tfsdk:"data_successor"`
}

// portalScope is what an apply needs besides the members: the culture of
// invitations, and who receives the data of the people removed ("": the
// provider's data_successor).
type portalScope struct {
	Culture, Successor string
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
		MarkdownDescription: "The people of an ONLYOFFICE DocSpace portal, authoritatively: `members` maps each email to its user type, " +
			"and with `exclusive = true` everyone else the provider may remove is planned for removal, visibly, as `unlisted_members` entries.",
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
				MarkdownDescription: "When `true` (default), people on the portal who are not in `members` are listed in `unlisted_members` at each refresh, and the next plan removes them. " +
					"When `false`, only the listed people are managed.",
			},
			"max_removals":     shared.MaxRemovalsAttribute(),
			"unlisted_members": shared.UnlistedMembersAttribute(),
			"culture": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Language of the invitation emails, a culture name such as `en-US`. Only used when inviting; " +
					"DocSpace does not report it back, so it is not imported and changing it changes nothing on the portal.",
				Validators: []validator.String{cultureValidator()},
			},
			"data_successor": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Email of an active `RoomAdmin` or `DocSpaceAdmin` who receives the rooms and shared files of the people this resource removes. " +
					"Overrides `data_successor` of the provider's `docspace` block. A removal of someone who owns data is refused at plan time without one.",
				Validators: []validator.String{shared.EmailValidator()},
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
	if r.client == nil {
		return
	}
	r.Engine = r.engine()
	r.Guard = shared.GuardrailsOf(req.ProviderData)
	r.Load, r.Store = loadPortal, r.storePortal
	r.Identity = func(portalScope) any { return invitationsIdentity{Portal: types.StringValue(r.client.Portal())} }
}

// --- the platform side of the engine ---

// engine is the portal for the authoritative engine: one listing (shared
// with the run), batched requests sent one stage at a time, and a
// read-back that fails a change the portal did not make.
func (r *invitationsResource) engine() *shared.Engine[string, portalScope] {
	c := r.client
	return &shared.Engine[string, portalScope]{
		Name: Name, Title: Title,
		Where:    func(portalScope) string { return "the " + Title + " portal " + c.Portal() },
		Describe: func(typ string) string { return "a " + typ },
		Change:   func(key, typ string) string { return "make " + key + " a " + typ },
		Observe: func(ctx context.Context, _ portalScope, known map[string]string, _ bool) (map[string]shared.Observed[string], diag.Diagnostics, error) {
			found, err := r.observe(ctx, known)
			return found, nil, err
		},
		IsAdmin: func(typ string) bool { return typ == "DocSpaceAdmin" },
		SendRemove: func(ctx context.Context, sc portalScope, ms []shared.Member[string], _ shared.Found[string]) (map[string]error, error) {
			return r.remove(ctx, sc, ms), nil
		},
		SendInvite: func(ctx context.Context, sc portalScope, ms []shared.Member[string], _ shared.Found[string]) (map[string]error, error) {
			invs := make([]Invitation, len(ms))
			for i, m := range ms {
				invs[i] = Invitation{Email: m.Key, Type: m.Want}
			}
			out := c.InviteMany(ctx, sc.Culture, invs)
			errs := map[string]error{}
			for _, m := range ms {
				if err := out[shared.NormalizeEmail(m.Key)].Err; err != nil {
					errs[m.Key] = err
				}
			}
			return errs, nil
		},
		SendUpdate: func(ctx context.Context, _ portalScope, ms []shared.Member[string], _ shared.Found[string]) (map[string]error, error) {
			return r.update(ctx, ms), nil
		},
		Concurrency: 1,
		ReadBack: func(ctx context.Context, _ portalScope) (map[string]shared.Observed[string], error) {
			return r.observe(ctx, nil)
		},
		VerifyHint: "The portal leaves alone type changes it does not make (the owner, the caller, DocSpace admins and changes to DocSpaceAdmin unless the caller is the owner, " +
			"and changes it does not support)",
		Refuse: r.refusals,
	}
}

// observe lists the portal: every user by email, Protected when DocSpace
// refuses to change or remove it. A terminated user that is a member
// (known) has the type Terminated, so that the plan re-activates it when
// it is listed and finishes its removal when it is not; other terminated
// users are Unusable (ignored).
func (r *invitationsResource) observe(ctx context.Context, known map[string]string) (map[string]shared.Observed[string], error) {
	dir, caller, err := r.portal(ctx)
	if err != nil {
		return nil, err
	}
	isKnown := map[string]bool{}
	for k := range known {
		isKnown[shared.NormalizeEmail(k)] = true
	}
	out := make(map[string]shared.Observed[string], len(dir.ByID))
	for _, u := range dir.ByID {
		if u.Email == "" {
			continue
		}
		out[u.Email] = shared.Observed[string]{
			Value: memberType(u), ID: u.ID, Object: u, Label: memberType(u), Status: ActivationWord(u.ActivationStatus),
			Protected: Protection(u, caller), Admin: isAdmin(u),
			Unusable: u.Terminated() && !isKnown[shared.NormalizeEmail(u.Email)],
		}
	}
	return out, nil
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

// remove removes the users of ms without losing their data: who owns rooms
// or shared files is offboarded one by one (their data reassigned to the
// successor, then the profile deleted; see Client.Offboard), the others
// are removed in batches. It returns an error per member key that failed.
func (r *invitationsResource) remove(ctx context.Context, sc portalScope, ms []shared.Member[string]) map[string]error {
	c := r.client
	us, keyOf := users(ms)
	owns := make([]bool, len(us))
	errs := map[string]error{}
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for i, u := range us {
		g.Go(func() error {
			needed, err := c.NeedsReassignment(gctx, u)
			if err != nil {
				mu.Lock()
				errs[keyOf[u.ID]] = fmt.Errorf("could not check whether %s owns data to reassign before removing them: %w", u.Email, err)
				mu.Unlock()
			}
			owns[i] = needed
			return nil
		})
	}
	_ = g.Wait()
	var plain []User
	for i, u := range us {
		switch {
		case errs[keyOf[u.ID]] != nil:
		case owns[i]:
			if err := c.Offboard(ctx, u, sc.Successor); err != nil {
				errs[keyOf[u.ID]] = err
			}
		default:
			plain = append(plain, u)
		}
	}
	for k, err := range byKey(c.RemoveMany(ctx, plain), keyOf) {
		errs[k] = err
	}
	return errs
}

// refusals are what DocSpace would refuse, known before sending
// (InviteRefusal, TypeChangeRefusal, a removal that would lose someone's
// data), and warnings for each terminated member the apply re-activates
// and for whose data moves where.
func (r *invitationsResource) refusals(ctx context.Context, rv shared.Review[string, portalScope]) []shared.Refusal {
	out := r.offboardings(ctx, rv)
	if len(rv.Changes.Invite) == 0 && len(rv.Changes.Update) == 0 {
		return out
	}
	_, caller, err := r.portal(ctx)
	if err != nil {
		return append(out, shared.Refusal{Summary: "Could not read the caller of the " + Title + " portal", Detail: err.Error()})
	}
	refuse := func(key, want, why string) {
		out = append(out, shared.Refusal{Key: key, Summary: fmt.Sprintf("ONLYOFFICE DocSpace would refuse to make %s a %s", key, want), Detail: why})
	}
	for _, m := range rv.Changes.Invite {
		if why := InviteRefusal(m.Want, caller); why != "" {
			refuse(m.Key, m.Want, why+".")
		}
	}
	for _, m := range rv.Changes.Update {
		u, ok := m.Object.(User)
		if !ok {
			continue
		}
		if u.Terminated() {
			out = append(out, shared.Refusal{Key: m.Key, Warning: true, Summary: "ONLYOFFICE DocSpace user is terminated: it will be re-activated",
				Detail: fmt.Sprintf("%s (user %s) is terminated (disabled) on the portal, and DocSpace refuses to invite a disabled address again: "+
					"the apply re-activates this user (PUT /api/2.0/people/status/Active) instead, keeping its id, profile and data.", m.Key, m.ID)})
			u.Status = StatusActive
		}
		if u.Type() != m.Want {
			if why := TypeChangeRefusal(u, m.Want, caller); why != "" {
				refuse(m.Key, m.Want, fmt.Sprintf("%s is a %s and cannot be made %s: %s.", m.Key, u.Type(), m.Want, why))
			}
		}
	}
	return out
}

// offboardings check each removal at plan time: someone who owns rooms or
// shared files is refused without a fit successor, and otherwise the plan
// says whose data moves where.
func (r *invitationsResource) offboardings(ctx context.Context, rv shared.Review[string, portalScope]) []shared.Refusal {
	var out []shared.Refusal
	for _, m := range rv.Changes.Remove {
		u, ok := m.Object.(User)
		if !ok {
			continue
		}
		plan, err := r.client.PlanOffboard(ctx, u, rv.Scope.Successor)
		switch {
		case err != nil:
			out = append(out, shared.Refusal{Key: m.Key, Unlisted: m.Unlisted, Summary: fmt.Sprintf("Could not check whether %s owns data on %s", m.Key, Title), Detail: err.Error()})
		case plan.Refusal != "":
			out = append(out, shared.Refusal{Key: m.Key, Unlisted: m.Unlisted, Summary: fmt.Sprintf("Removing %s from %s would lose their data", m.Key, Title), Detail: plan.Refusal + "."})
		case plan.NeedsReassignment:
			out = append(out, shared.Refusal{Key: m.Key, Unlisted: m.Unlisted, Warning: true,
				Summary: fmt.Sprintf("The data of %s moves to %s", m.Key, plan.Successor.Email), Detail: plan.Note(u)})
		}
	}
	return out
}

// users are the portal users of ms, and the member key of each by id.
func users(ms []shared.Member[string]) ([]User, map[string]string) {
	us := make([]User, 0, len(ms))
	keyOf := make(map[string]string, len(ms))
	for _, m := range ms {
		if u, ok := m.Object.(User); ok {
			us = append(us, u)
			keyOf[u.ID] = m.Key
		}
	}
	return us, keyOf
}

// update re-activates the terminated members of ms, then changes the type
// of those whose type differs (one request per type, seats freed first).
// It returns an error per member key that failed.
func (r *invitationsResource) update(ctx context.Context, ms []shared.Member[string]) map[string]error {
	c := r.client
	errs := map[string]error{}
	current := map[string]User{}
	keyOf := map[string]string{}
	var terminated []User
	for _, m := range ms {
		u, _ := m.Object.(User)
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

// ImportState takes the portal's endpoint URL (as in the provider block);
// the next read adopts everyone on the portal the provider may remove,
// except terminated users, with exclusive = true.
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
		resp.Diagnostics.AddError("Invalid import ID for membership_docspace_invitations",
			fmt.Sprintf("The import ID must be the portal's endpoint URL as configured in the provider's docspace block, %q; got %q.", want, req.ID))
		return
	}
	m := invitationsModel{
		ID: types.StringValue(want), Exclusive: types.BoolValue(true), Culture: types.StringNull(), MaxRemovals: types.Int64Null(), DataSuccessor: types.StringNull(),
		Members:   types.MapNull(types.StringType), // imported: the next read adopts everyone
		MemberIDs: types.MapNull(types.StringType), ActivationStatuses: types.MapNull(types.StringType), UnlistedMembers: types.MapNull(types.StringType),
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
