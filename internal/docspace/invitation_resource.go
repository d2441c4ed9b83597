package docspace

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

var (
	_ resource.ResourceWithConfigure   = &invitationResource{}
	_ resource.ResourceWithImportState = &invitationResource{}
	_ resource.ResourceWithModifyPlan  = &invitationResource{}
	_ resource.ResourceWithIdentity    = &invitationResource{}
)

// newInvitationResource is membership_docspace_invitation.
func newInvitationResource() resource.Resource { return &invitationResource{} }

type invitationResource struct{ client *Client }

const invitationType = "membership_docspace_invitation"

// identityShape is what an identity looks like, for errors.
const identityShape = `{ email = "jane@example.com" }, or with the portal: { portal = "yourportal.onlyoffice.com", email = "jane@example.com" }`

func (r *invitationResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"portal": identityschema.StringAttribute{
				OptionalForImport: true,
				Description: "Host name of the DocSpace portal (the provider's docspace endpoint without scheme, such as yourportal.onlyoffice.com). " +
					"Optional in an import: when given it must be the portal the provider is configured for.",
			},
			"email": shared.EmailIdentityAttribute(),
		},
	}
}

// setIdentity records the person's identity. An identity already stored
// is kept as it is: the resource follows the user by id, so an email
// changed on the portal does not change what this resource is.
func (r *invitationResource) setIdentity(ctx context.Context, current, identity *tfsdk.ResourceIdentity, email string, diags *diag.Diagnostics) {
	if identity == nil {
		return
	}
	if !shared.IdentityIsNull(current) {
		var id invitationIdentity
		if d := current.Get(ctx, &id); !d.HasError() && !id.Email.IsNull() && id.Email.ValueString() != "" && !id.Portal.IsNull() {
			shared.SetIdentity(ctx, identity, id, diags)
			return
		}
	}
	shared.SetIdentity(ctx, identity, invitationIdentity{Portal: types.StringValue(r.client.Portal()), Email: types.StringValue(shared.NormalizeEmail(email))}, diags)
}

func (r *invitationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_docspace_invitation"
}

func (r *invitationResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Invites a person to an ONLYOFFICE DocSpace portal with a user type, and keeps that type in place: " +
			"what DocSpace would refuse is refused at plan time, a type change is made in place, and a removal terminates, then deletes the user, " +
			"reassigning their rooms and shared files to a data successor first.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The user's id (a uuid).",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"email": shared.EmailAttribute("Email address to invite. Compared without regard to letter case: a case-only change is not a change. Changing the address invites the new one and removes the old user."),
			"type": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "User type. " + typeDoc + " Changed in place.",
				Validators:          []validator.String{typeValidator()},
			},
			"culture": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Language of the invitation email, a culture name such as `en-US`. Only used when inviting: " +
					"DocSpace does not report it back, so changing it later changes nothing on the portal and it is not imported.",
				Validators: []validator.String{cultureValidator()},
			},
			"display_name": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The user's display name (DocSpace shows the email until the person joins and sets a name).",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"activation_status": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: activationDoc,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"status": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: statusDoc + " A `terminated` user is re-activated by the next apply.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"invited_at": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: invitedAtDoc,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"pending": schema.BoolAttribute{
				Computed:            true,
				MarkdownDescription: pendingDoc + " Refreshed by every read, like `status`.",
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
			"data_successor": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Email of an active `RoomAdmin` or `DocSpaceAdmin` who receives this person's rooms and shared files when the resource removes them " +
					"(destroy, or replacement). Overrides `data_successor` of the provider's `docspace` block. Only used at removal, and the value in the state is the one used: " +
					"set it and apply before removing the resource. Checked at plan time when set (an unknown, inactive or non-admin user is refused). " +
					"Changing it changes nothing on the portal.",
				Validators: []validator.String{shared.EmailValidator()},
			},
		},
	}
}

func (r *invitationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	shared.ConfigureClient(req.ProviderData, Name, &r.client, &resp.Diagnostics)
}

// ModifyPlan refuses, before anything is sent, what DocSpace would refuse
// (see MemberPlan and Protection), and plans the re-activation of a
// terminated user.
func (r *invitationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.client == nil {
		return
	}
	var plan, state invitationModel
	if !req.Plan.Raw.IsNull() {
		resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	}
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	switch {
	case req.Plan.Raw.IsNull(): // destroy
		if r.planDestroy(ctx, &state, &resp.Diagnostics) {
			r.planOffboard(ctx, &state, &resp.Diagnostics)
		}
	case req.State.Raw.IsNull(): // create
		r.planCreate(ctx, &plan, &resp.Diagnostics)
		r.planSuccessor(ctx, &plan, nil, &resp.Diagnostics)
	default:
		if plan.Email.IsUnknown() || shared.NormalizeEmail(plan.Email.ValueString()) != shared.NormalizeEmail(state.Email.ValueString()) {
			// replaced (email requires replacement): the user in state is
			// removed and the new address invited
			r.planOffboard(ctx, &state, &resp.Diagnostics)
			r.planCreate(ctx, &plan, &resp.Diagnostics)
			r.planSuccessor(ctx, &plan, nil, &resp.Diagnostics)
			return
		}
		r.planUpdate(ctx, &state, &plan, resp)
		r.planSuccessor(ctx, &plan, &state, &resp.Diagnostics)
	}
}

// planOffboard refuses the removal of someone who owns data that no fit
// successor can receive, and says whose data moves to whom otherwise
// (PlanOffboard: one GET people/reassign/necessary).
func (r *invitationResource) planOffboard(ctx context.Context, state *invitationModel, diags *diag.Diagnostics) {
	u := state.user()
	p, err := r.client.PlanOffboard(ctx, u, state.DataSuccessor.ValueString())
	if err != nil {
		shared.AddError(diags, fmt.Sprintf("Could not check whether %s owns data on ONLYOFFICE DocSpace (to plan their removal)", state.Email.ValueString()), err, Name)
		return
	}
	if p.Refusal != "" {
		diags.AddAttributeError(path.Root("data_successor"), fmt.Sprintf("Removing %s from ONLYOFFICE DocSpace would lose their data", state.Email.ValueString()), p.Refusal+".")
		return
	}
	if note := p.Note(u); note != "" {
		diags.AddWarning(fmt.Sprintf("The data of %s will be reassigned to %s", state.Email.ValueString(), p.Successor.Email), note)
	}
}

// planSuccessor checks a data_successor that the configuration sets or
// changes: an active room admin or DocSpace admin of the portal.
func (r *invitationResource) planSuccessor(ctx context.Context, plan, state *invitationModel, diags *diag.Diagnostics) {
	if diags.HasError() || plan.DataSuccessor.IsNull() || plan.DataSuccessor.IsUnknown() {
		return
	}
	if state != nil && shared.NormalizeEmail(state.DataSuccessor.ValueString()) == shared.NormalizeEmail(plan.DataSuccessor.ValueString()) {
		return
	}
	dir, err := r.client.PlanDirectory(ctx)
	if err != nil {
		shared.AddError(diags, "Could not read the people of the ONLYOFFICE DocSpace portal to check data_successor", err, Name)
		return
	}
	leaving := User{ID: plan.ID.ValueString()}
	if plan.ID.IsUnknown() {
		leaving, _ = dir.UserByEmail(plan.Email.ValueString())
	}
	if _, why := SuccessorRefusal(dir, plan.DataSuccessor.ValueString(), leaving); why != "" {
		diags.AddAttributeError(path.Root("data_successor"), "Unfit ONLYOFFICE DocSpace data successor",
			fmt.Sprintf("data_successor must be the email of an active RoomAdmin or DocSpaceAdmin of the portal, who would receive the data of %s when it is removed: %s.", plan.Email.ValueString(), why))
	}
}

// planDestroy refuses the removal of a user DocSpace protects; it reports
// whether the removal can go on.
func (r *invitationResource) planDestroy(ctx context.Context, state *invitationModel, diags *diag.Diagnostics) bool {
	caller, err := r.client.Caller(ctx)
	if err != nil {
		shared.AddError(diags, "Could not read the ONLYOFFICE DocSpace account the provider signs in as (to plan the removal)", err, Name)
		return false
	}
	if why := Protection(state.user(), caller); why != "" {
		diags.AddError(fmt.Sprintf("ONLYOFFICE DocSpace refuses to remove %s", state.Email.ValueString()),
			fmt.Sprintf("%s (user %s) is %s: DocSpace answers PUT /api/2.0/people/status/Terminated with 403 \"Access denied\" for it, so it cannot be removed. "+
				"To stop managing it without touching the portal, remove it from the state: terraform state rm membership_docspace_invitation.<name> "+
				"(or, with Terraform 1.7 or later, a removed block with lifecycle { destroy = false }).", state.Email.ValueString(), state.ID.ValueString(), why))
		return false
	}
	return true
}

func (r *invitationResource) planCreate(ctx context.Context, plan *invitationModel, diags *diag.Diagnostics) {
	if plan.Email.IsUnknown() || plan.Type.IsUnknown() {
		return
	}
	email, typ := plan.Email.ValueString(), plan.Type.ValueString()
	dir, err := r.client.PlanDirectory(ctx)
	var caller User
	if err == nil {
		caller, err = r.client.Caller(ctx)
	}
	if err != nil {
		shared.AddError(diags, "Could not read the people of the ONLYOFFICE DocSpace portal to plan the invitation of "+email, err, Name)
		return
	}
	note, refusal := MemberPlan(dir, caller, email, typ, true)
	if refusal != "" {
		at := path.Root("type")
		if u, ok := dir.UserByEmail(email); ok && Protection(u, caller) != "" {
			at = path.Root("email")
		}
		diags.AddAttributeError(at, fmt.Sprintf("ONLYOFFICE DocSpace would refuse to make %s a %s", email, typ), refusal+".")
		return
	}
	if note != "" {
		diags.AddAttributeWarning(path.Root("email"), "ONLYOFFICE DocSpace user is terminated: it will be re-activated", note)
	}
}

func (r *invitationResource) planUpdate(ctx context.Context, state, plan *invitationModel, resp *resource.ModifyPlanResponse) {
	terminated := state.Status.ValueString() == StatusWord(StatusTerminated)
	typeChange := !plan.Type.IsUnknown() && plan.Type.ValueString() != state.Type.ValueString()
	if !terminated && !typeChange {
		return
	}
	caller, err := r.client.Caller(ctx)
	if err != nil {
		shared.AddError(&resp.Diagnostics, "Could not read the ONLYOFFICE DocSpace account the provider signs in as (to plan the change)", err, Name)
		return
	}
	u := state.user()
	if terminated {
		if why := Protection(u, caller); why != "" {
			resp.Diagnostics.AddError(fmt.Sprintf("ONLYOFFICE DocSpace refuses to re-activate %s", state.Email.ValueString()),
				fmt.Sprintf("%s is terminated (disabled) on the portal and is %s: DocSpace refuses to re-activate it with these credentials. Re-activate it in the portal, or remove this resource.", state.Email.ValueString(), why))
			return
		}
		resp.Diagnostics.AddAttributeWarning(path.Root("status"), "ONLYOFFICE DocSpace user is terminated: it will be re-activated",
			fmt.Sprintf("%s (user %s) is terminated (disabled) on the portal, for instance because an earlier removal stopped between its two steps or someone disabled it. "+
				"This resource still wants it on the portal, so the apply re-activates it (PUT /api/2.0/people/status/Active), keeping its id, profile and data. "+
				"Remove the resource instead to delete the user.", state.Email.ValueString(), state.ID.ValueString()))
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("status"), types.StringUnknown())...)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("activation_status"), types.StringUnknown())...)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("pending"), types.BoolUnknown())...)
	}
	if typeChange {
		if why := TypeChangeRefusal(u, plan.Type.ValueString(), caller); why != "" {
			resp.Diagnostics.AddAttributeError(path.Root("type"), fmt.Sprintf("ONLYOFFICE DocSpace would refuse to make %s a %s", state.Email.ValueString(), plan.Type.ValueString()),
				fmt.Sprintf("%s is a %s and cannot be made %s: %s.", state.Email.ValueString(), state.Type.ValueString(), plan.Type.ValueString(), why))
		}
	}
}

func (r *invitationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan invitationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	email, typ := plan.Email.ValueString(), plan.Type.ValueString()
	summary := fmt.Sprintf("Could not invite %s to ONLYOFFICE DocSpace as %s", email, typ)
	if err := r.client.Claim(email); err != nil {
		resp.Diagnostics.AddError(summary, err.Error())
		return
	}
	got, err := r.client.InviteOne(ctx, email, typ, plan.Culture.ValueString())
	if err != nil {
		shared.AddError(&resp.Diagnostics, summary, err, Name)
		return
	}
	if got.Reactivated {
		resp.Diagnostics.AddWarning(fmt.Sprintf("ONLYOFFICE DocSpace user %s was re-activated", email),
			fmt.Sprintf("%s (user %s) was terminated (disabled) on the portal, and DocSpace refuses to invite a disabled address: it was re-activated instead, with its id, profile and data.", email, got.ID))
	}
	u := got.User
	if u.Type() != typ {
		// an existing user DocSpace did not upgrade (or downgrade):
		// converge. On failure the user, who existed before, is left out
		// of state: this resource does not take over a user it could not
		// converge.
		after, err := r.client.ChangeType(ctx, u, typ)
		if err != nil {
			shared.AddError(&resp.Diagnostics, fmt.Sprintf("%s already was an ONLYOFFICE DocSpace user of type %s and could not be made %s", email, u.Type(), typ), err, Name)
			return
		}
		u = after
	}
	plan.fill(&u)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	r.setIdentity(ctx, nil, resp.Identity, email, &resp.Diagnostics)
}

func (r *invitationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state invitationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The framework wants an identity even from a Read that removes the
	// resource: set it first.
	r.setIdentity(ctx, req.Identity, resp.Identity, state.Email.ValueString(), &resp.Diagnostics)
	u, err := r.client.findUser(ctx, state.ID.ValueString())
	if errors.Is(err, shared.ErrNotFound) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not read ONLYOFFICE DocSpace user %s (%s)", state.Email.ValueString(), state.ID.ValueString()), err, Name)
		return
	}
	// a terminated user is still ours: it stays in state, with status
	// "terminated", so that the plan re-activates it or its destroy
	// finishes the deletion (DocSpace refuses to invite it again)
	state.fill(&u)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *invitationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state invitationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = state.ID
	email, typ := state.Email.ValueString(), plan.Type.ValueString()
	u := state.user()
	changed := false
	if u.Terminated() {
		users, errs := r.client.Reactivate(ctx, []User{u})
		if err := errs[u.ID]; err != nil {
			shared.AddError(&resp.Diagnostics, "Could not re-activate the terminated ONLYOFFICE DocSpace user "+email, err, Name)
			return
		}
		u, changed = users[u.ID], true
	}
	if u.Type() != typ {
		after, err := r.client.ChangeType(ctx, u, typ)
		if err != nil {
			shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not change the type of %s on ONLYOFFICE DocSpace from %s to %s", email, u.Type(), typ), err, Name)
			if changed { // re-activated: record it
				plan.fill(&u)
				resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
			}
			return
		}
		u, changed = after, true
	}
	if changed {
		plan.fill(&u)
	} else {
		plan.DisplayName, plan.ActivationStatus, plan.Status = state.DisplayName, state.ActivationStatus, state.Status
		plan.InvitedAt, plan.Pending = state.InvitedAt, state.Pending
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	r.setIdentity(ctx, req.Identity, resp.Identity, state.Email.ValueString(), &resp.Diagnostics)
}

func (r *invitationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state invitationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.client.Offboard(ctx, state.user(), state.DataSuccessor.ValueString()); err != nil {
		shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not remove %s from ONLYOFFICE DocSpace", state.Email.ValueString()), err, Name)
	}
}

// ImportState accepts the user's email or id as the import id and, with
// Terraform 1.12 and later, an identity { email = "jane@example.com" }
// (with the portal optionally). An email is looked up in the shared
// listing of the portal, so importing many people costs its pages.
func (r *invitationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	var email, id string
	if req.ID == "" && req.Identity != nil {
		var ident invitationIdentity
		if resp.Diagnostics.Append(req.Identity.Get(ctx, &ident)...); resp.Diagnostics.HasError() {
			return
		}
		if p := ident.Portal.ValueString(); !ident.Portal.IsNull() && !strings.EqualFold(strings.TrimSpace(p), r.client.Portal()) {
			if strings.TrimSpace(p) == "" {
				shared.IdentityError(&resp.Diagnostics, invitationType, identityShape, "portal is empty (leave it out to mean the configured portal)")
			} else {
				shared.IdentityError(&resp.Diagnostics, invitationType, identityShape,
					fmt.Sprintf("portal %q is not the portal the provider's docspace block is configured for (%q): import it with a provider configured for that portal, or leave portal out", p, r.client.Portal()))
			}
		}
		email = shared.IdentityEmail(ident.Email, invitationType, identityShape, &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
	} else {
		var err error
		email, id, err = ParseImportID(req.ID)
		if err != nil {
			resp.Diagnostics.AddError("Invalid import ID for "+invitationType, "The import ID must be the user's email address or id: "+err.Error())
			return
		}
	}
	what := req.ID
	if what == "" {
		what = email
	}
	var u User
	var err error
	if email != "" {
		u, err = r.client.findUserByEmail(ctx, email)
	} else {
		u, err = r.client.GetUser(ctx, id)
	}
	if err != nil {
		if errors.Is(err, shared.ErrNotFound) || shared.IsNotFound(err) {
			resp.Diagnostics.AddError("No such ONLYOFFICE DocSpace user", fmt.Sprintf("The portal has no user %s. Check the email or id.", what))
			return
		}
		shared.AddError(&resp.Diagnostics, "Could not import ONLYOFFICE DocSpace user "+what, err, Name)
		return
	}
	if u.Terminated() {
		resp.Diagnostics.AddError("ONLYOFFICE DocSpace user is terminated", fmt.Sprintf("%s (%s) is terminated (disabled) on the portal: there is no invitation to import.", u.Email, u.ID))
		return
	}
	m := invitationModel{Email: shared.EmailNull(), Culture: types.StringNull()}
	m.fill(&u)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	r.setIdentity(ctx, nil, resp.Identity, u.Email, &resp.Diagnostics)
}
