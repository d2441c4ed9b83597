package docspace

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

var (
	_ list.ListResource              = &invitationListResource{}
	_ list.ListResourceWithConfigure = &invitationListResource{}
)

// newInvitationListResource lists the people of the portal as
// membership_docspace_invitation resources (`terraform query`, Terraform
// 1.14 and later).
func newInvitationListResource() list.ListResource { return &invitationListResource{} }

type invitationListResource struct{ client *Client }

type invitationListModel struct {
	Type             types.String `tfsdk:"type"`
	ActivationStatus types.String `tfsdk:"activation_status"`
	PendingOlderThan types.String `tfsdk:"pending_older_than"`
}

func (r *invitationListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_docspace_invitation"
}

func (r *invitationListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the people of the ONLYOFFICE DocSpace portal (every page of `GET /api/2.0/people/filter`, " + fmt.Sprint(PageSize) + " per page, " +
			"plus `GET /api/2.0/people/@self` once) as `membership_docspace_invitation` resources, with their identity and, on request, the whole resource, " +
			"so that `terraform query -generate-config-out=members.tf` writes their configuration and import blocks. " + manageableDoc,
		Attributes: map[string]schema.Attribute{
			"type": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only people of this type: `User`, `RoomAdmin`, `DocSpaceAdmin` or `Guest` (sent to DocSpace as `employeeType`).",
				Validators:          []validator.String{typeValidator()},
			},
			"activation_status": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only people with this activation status: `pending` (invited, not yet joined), `activated`, `not_activated` or `auto_generated` (sent as `activationStatus`).",
				Validators:          []validator.String{stringvalidator.OneOf(ActivationStatuses...)},
			},
			"pending_older_than": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: shared.PendingOlderThanDoc + " DocSpace reports the date (`registrationDate`) only to DocSpace admins and the owner.",
				Validators:          []validator.String{shared.DurationValidator()},
			},
		},
	}
}

func (r *invitationListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	shared.ConfigureClient(req.ProviderData, Name, &r.client, &resp.Diagnostics)
}

func (r *invitationListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var diags diag.Diagnostics
	var cfg invitationListModel
	if diags.Append(req.Config.Get(ctx, &cfg)...); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if r.client == nil {
		diags.AddError(Title+" is not configured", "Add a docspace block to the provider configuration to list the portal's people.")
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	f := filterOf(cfg.ActivationStatus.ValueString(), cfg.Type.ValueString())
	stale, err := shared.NewPendingFilter(cfg.PendingOlderThan, time.Now())
	if err != nil {
		diags.AddAttributeError(path.Root("pending_older_than"), "Invalid pending_older_than", err.Error())
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	caller, err := r.client.Caller(ctx)
	var users []User
	if err == nil {
		users, err = r.client.ListUsers(ctx, f)
	}
	if err != nil {
		shared.AddError(&diags, "Could not list the people of the ONLYOFFICE DocSpace portal "+r.client.Portal(), err, Name)
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	var people []User
	for _, u := range users {
		if Manageable(u, caller) && stale.Keep(u.InvitePending(), u.InvitedAt()) {
			people = append(people, u)
		}
	}
	portal := r.client.Portal()
	stream.Results = shared.ListResults(ctx, req, people, "people of the ONLYOFFICE DocSpace portal "+portal, func(ctx context.Context, u User, result *list.ListResult) {
		result.DisplayName = fmt.Sprintf("%s (%s, %s)", u.Email, u.Type(), StatusWord(u.Status))
		shared.SetIdentity(ctx, result.Identity, invitationIdentity{Portal: types.StringValue(portal), Email: types.StringValue(shared.NormalizeEmail(u.Email))}, &result.Diagnostics)
		if req.IncludeResource {
			m := invitationModel{Email: shared.EmailNull(), Culture: types.StringNull()}
			m.fill(&u)
			result.Diagnostics.Append(result.Resource.Set(ctx, &m)...)
		}
	})
}
