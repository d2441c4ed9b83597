package docspace

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

var (
	_ resource.ResourceWithConfigure   = &invitationResource{}
	_ resource.ResourceWithImportState = &invitationResource{}
)

// NewInvitationResource is membership_docspace_invitation.
func NewInvitationResource() resource.Resource { return &invitationResource{} }

type invitationResource struct{ client *Client }

type invitationModel struct {
	ID               types.String `tfsdk:"id"`
	Email            shared.Email `tfsdk:"email"`
	Type             types.String `tfsdk:"type"`
	Culture          types.String `tfsdk:"culture"`
	DisplayName      types.String `tfsdk:"display_name"`
	ActivationStatus types.String `tfsdk:"activation_status"`
	Status           types.String `tfsdk:"status"`
}

var cultureRe = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

func cultureValidator() validator.String {
	return stringvalidator.RegexMatches(cultureRe, "must be a culture name such as \"en-US\", \"de-DE\" or \"fr\"")
}

func typeValidator() validator.String { return stringvalidator.OneOf(Types...) }

const typeDoc = "One of `User`, `RoomAdmin`, `DocSpaceAdmin` (only the portal owner may invite or make DocSpace admins) and `Guest`. " +
	"`RoomAdmin` and `DocSpaceAdmin` take a paid admin seat."

const activationDoc = "Whether the person has accepted the invitation: `pending` (invited, not yet joined), `activated`, `not_activated` or `auto_generated` " +
	"(DocSpace's activationStatus 2, 1, 0 and 4)."

const statusDoc = "The account status: `active`, `terminated` (disabled) or `pending` (DocSpace's status 1, 2 and 4)."

func (r *invitationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_docspace_invitation"
}

func (r *invitationResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Invites a person to an ONLYOFFICE DocSpace portal with a user type, and keeps that type in place.\n\n" +
			"* **Create** sends `POST /api/2.0/people/invite`; concurrent invitations with the same type and culture share one request. " +
			"Two resources inviting the same email (in any letter case) together are an error: only the first is sent. " +
			"If the email already belongs to a portal user, DocSpace only *upgrades* that user when the requested type is higher and otherwise leaves it as is; " +
			"the provider then sets the type you asked for (`PUT /api/2.0/people/type/{type}`, which may be a downgrade), and fails (leaving the user alone and out of state) if the portal refuses. " +
			"Such an existing user becomes managed by this resource and is removed on destroy.\n" +
			"* **Update** of `type` is in place (`PUT /api/2.0/people/type/{type}`; concurrent changes to one type share a request). DocSpace silently skips users it cannot change (the owner, the caller, " +
			"DocSpace admins when the caller is not the owner, terminated users), so the provider reads the user back and fails if the type did not change.\n" +
			"* **Read** uses one listing of the portal's people per run (all pages of `GET /api/2.0/people/filter`) shared by every invitation, " +
			"confirmed by `GET /api/2.0/people/{id}` for users missing from it. A user that is gone or terminated is removed from state, so the next plan invites again.\n" +
			"* **Destroy** terminates (disables) the user, then deletes it: DocSpace cannot delete an active user. The owner and the caller cannot be removed.\n\n" +
			"HTTP 402 means the portal has no free paid admin seat; 403 means the credentials may not do this (only the owner may invite DocSpace admins, " +
			"and a portal may disallow Guest invites).",
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
				MarkdownDescription: statusDoc,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

func (r *invitationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	shared.ConfigureClient(req.ProviderData, Name, &r.client, &resp.Diagnostics)
}

func (m *invitationModel) fill(u User) {
	m.ID = types.StringValue(u.ID)
	if m.Email.IsNull() || m.Email.IsUnknown() || !strings.EqualFold(m.Email.ValueString(), u.Email) {
		m.Email = shared.EmailValue(u.Email)
	}
	m.Type = types.StringValue(u.Type())
	m.DisplayName = types.StringValue(u.DisplayName)
	m.ActivationStatus = types.StringValue(ActivationWord(u.ActivationStatus))
	m.Status = types.StringValue(StatusWord(u.Status))
}

// addAPIError adds err with a summary and, for 402 and 403, says what to do.
func addAPIError(diags *diag.Diagnostics, summary string, err error) {
	switch shared.StatusOf(err) {
	case http.StatusPaymentRequired:
		diags.AddError(summary, err.Error()+"\n\nThe portal has no free paid admin seat (DocSpaceAdmin and RoomAdmin users take one). "+
			"Free a seat (change an admin to User or Guest, or remove one) or upgrade the portal's plan, then apply again.")
	case http.StatusForbidden:
		diags.AddError(summary, err.Error()+"\n\nThe credentials in the provider's \"docspace\" block may not do this. "+
			"Only the portal owner may invite or make DocSpace admins: use the owner's API key. "+
			"If you are inviting a Guest, the portal may have Guest invitations disabled: allow them in the portal settings or choose another type.")
	default:
		shared.AddError(diags, summary, err, Name)
	}
}

// setTypeVerified changes a user's type and reads the user back, failing
// when the portal silently skipped the change.
func (c *Client) setTypeVerified(ctx context.Context, u User, typ string) (User, error) {
	if u.IsOwner {
		return u, fmt.Errorf("%s is the portal owner: DocSpace cannot change the owner's type (it stays Owner). Do not manage the owner with this resource", u.Email)
	}
	// concurrent changes to one type share one PUT; the read-back shares
	// one fresh listing of the portal
	if _, err := c.typeChanges.Do(ctx, typ, u.ID); err != nil {
		return u, err
	}
	after, found, err := c.Lookup(ctx, u.ID)
	if err != nil {
		return u, err
	}
	if !found {
		return u, fmt.Errorf("user %s (%s) disappeared from the portal while its type was being changed", u.Email, u.ID)
	}
	if after.Type() != typ {
		return after, fmt.Errorf("DocSpace answered PUT /api/2.0/people/type/%s without changing %s (user %s): the type is still %s. "+
			"The portal silently skips users it cannot change: the owner, the caller's own account, terminated users, and DocSpace admins (or a change to DocSpaceAdmin) "+
			"unless the caller is the owner. Use the owner's credentials or change the type in the portal", typ, after.Email, after.ID, after.Type())
	}
	return after, nil
}

func (r *invitationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan invitationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	email, typ := plan.Email.ValueString(), plan.Type.ValueString()
	u, err := r.client.InviteOne(ctx, email, typ, plan.Culture.ValueString())
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not invite %s to ONLYOFFICE DocSpace as %s", email, typ), err)
		return
	}
	if u.Type() != typ {
		// an existing user DocSpace did not upgrade (or downgrade): converge
		// On failure the user, who existed before, is left out of state:
		// this resource does not take over a user it could not converge.
		after, err := r.client.setTypeVerified(ctx, u, typ)
		if err != nil {
			addAPIError(&resp.Diagnostics, fmt.Sprintf("%s already was a DocSpace user of type %s and could not be made %s", email, u.Type(), typ), err)
			return
		}
		u = after
	}
	plan.fill(u)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *invitationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state invitationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	u, found, err := r.client.Lookup(ctx, state.ID.ValueString())
	if err != nil {
		shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not read DocSpace user %s (%s)", state.Email.ValueString(), state.ID.ValueString()), err, Name)
		return
	}
	if !found || u.Terminated() {
		resp.State.RemoveResource(ctx)
		return
	}
	state.fill(u)
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
	typ := plan.Type.ValueString()
	if typ != state.Type.ValueString() {
		cur := User{ID: state.ID.ValueString(), Email: state.Email.ValueString(), IsOwner: state.Type.ValueString() == "Owner"}
		u, err := r.client.setTypeVerified(ctx, cur, typ)
		if err != nil {
			addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not change the type of %s on ONLYOFFICE DocSpace from %s to %s",
				state.Email.ValueString(), state.Type.ValueString(), typ), err)
			return
		}
		plan.fill(u)
	} else {
		plan.DisplayName, plan.ActivationStatus, plan.Status = state.DisplayName, state.ActivationStatus, state.Status
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *invitationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state invitationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.client.Remove(ctx, state.ID.ValueString(), state.Email.ValueString()); err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not remove %s from ONLYOFFICE DocSpace", state.Email.ValueString()), err)
	}
}

func (r *invitationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	email, id, err := ParseImportID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id for membership_docspace_invitation", "The import id must be the user's email address or id: "+err.Error())
		return
	}
	var u User
	if email != "" {
		u, err = r.client.GetUserByEmail(ctx, email)
	} else {
		u, err = r.client.GetUser(ctx, id)
	}
	if err != nil {
		if shared.IsNotFound(err) {
			resp.Diagnostics.AddError("No such DocSpace user", fmt.Sprintf("The portal has no user %s. Check the email or id.", req.ID))
			return
		}
		shared.AddError(&resp.Diagnostics, "Could not import DocSpace user "+req.ID, err, Name)
		return
	}
	if u.Terminated() {
		resp.Diagnostics.AddError("DocSpace user is terminated", fmt.Sprintf("%s (%s) is terminated (disabled) on the portal: there is no invitation to import.", u.Email, u.ID))
		return
	}
	m := invitationModel{Email: shared.EmailNull(), Culture: types.StringNull()}
	m.fill(u)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
