package royalti

import (
	"context"
	"fmt"
	"net/http"
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

// newInvitationListResource lists the members of the workspace as
// membership_royalti_workspace_invitation resources (`terraform query`,
// Terraform 1.14 and later).
func newInvitationListResource() list.ListResource { return &invitationListResource{} }

type invitationListResource struct{ client *Client }

type invitationListModel struct {
	Role             types.String `tfsdk:"role"`
	Status           types.String `tfsdk:"status"`
	PendingOlderThan types.String `tfsdk:"pending_older_than"`
}

func (r *invitationListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_royalti_workspace_invitation"
}

func (r *invitationListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the members of the Royalti.io workspace of the provider's token (`GET /user/` and `GET /user/invites`, every page, " +
			"100 users a page) as `membership_royalti_workspace_invitation` resources, with their identity and, on request, the whole resource, " +
			"so that `terraform query -generate-config-out=members.tf` writes their configuration and import blocks. " +
			"The workspace owner (who cannot be invited, re-assigned or removed) and users whose invitation was cancelled are left out. " +
			"Royalti does not say which user the provider's token belongs to, so that user is listed like any other.",
		Attributes: map[string]schema.Attribute{
			"role": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only members with this role: `user` or `admin` (sent as the listing's `role` filter).",
				Validators:          []validator.String{roleValidator()},
			},
			"status": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only members whose invitation is `invited` (pending) or `joined`.",
				Validators:          []validator.String{stringvalidator.OneOf(StatusInvited, StatusJoined)},
			},
			"pending_older_than": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: shared.PendingOlderThanDoc,
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
		diags.AddError(Title+" is not configured", "Add a royalti block to the provider configuration to list workspace members.")
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stale, err := shared.NewPendingFilter(cfg.PendingOlderThan, time.Now())
	if err != nil {
		diags.AddAttributeError(path.Root("pending_older_than"), "Invalid pending_older_than", err.Error())
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	var f userFilter
	if role := cfg.Role.ValueString(); role != "" {
		f.Roles = []string{role}
	}
	dir, err := r.client.fetchDirectory(ctx, f)
	if err != nil {
		summary := "Could not list the members of " + workspaceLabel("")
		if s := shared.StatusOf(err); s == http.StatusUnauthorized || s == http.StatusForbidden || s == http.StatusNotFound {
			shared.AddAttributeError(&diags, path.Root("role"), summary, shared.WithHint(err,
				"The provider's token cannot list this workspace's users: use a workspace API key (RWAK_...) or the token of a workspace owner or admin."), Name)
		} else {
			shared.AddError(&diags, summary, err, Name)
		}
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if dir.InvitesErr != nil && (!cfg.Status.IsNull() || stale.Set()) {
		shared.AddError(&diags, "Could not list the invitations of "+workspaceLabel(""), dir.InvitesErr, Name)
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	var members []*User
	for _, u := range dir.Sorted() {
		if manageable(u) && (cfg.Role.IsNull() || u.Role == cfg.Role.ValueString()) && (cfg.Status.IsNull() || u.InviteStatus() == cfg.Status.ValueString()) &&
			stale.Keep(u.InvitePending(), u.InvitedAt()) {
			members = append(members, u)
		}
	}
	stream.Results = shared.ListResults(ctx, req, members, "members of the "+workspaceLabel(""), func(ctx context.Context, u *User, result *list.ListResult) {
		result.DisplayName = fmt.Sprintf("%s (%s, %s)", u.Email, u.Role, u.InviteStatus())
		setIdentity(ctx, result.Identity, "", u.Email, &result.Diagnostics)
		if req.IncludeResource {
			m := invitationModel{Email: shared.EmailValue(u.Email), SendEmail: types.BoolValue(true),
				Message: types.StringNull(), RedirectURL: types.StringNull(), WorkspaceID: types.StringNull()}
			m.fill(u)
			result.Diagnostics.Append(result.Resource.Set(ctx, &m)...)
		}
	})
}
