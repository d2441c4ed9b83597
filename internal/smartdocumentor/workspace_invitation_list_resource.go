package smartdocumentor

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
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
	_ list.ListResource              = &workspaceInvitationListResource{}
	_ list.ListResourceWithConfigure = &workspaceInvitationListResource{}
)

// newWorkspaceInvitationListResource lists the members of a workspace as
// membership_smartdocumentor_workspace_invitation resources (`terraform
// query`, Terraform 1.14 and later).
func newWorkspaceInvitationListResource() list.ListResource {
	return &workspaceInvitationListResource{}
}

type workspaceInvitationListResource struct{ client *Client }

type invitationListModel struct {
	WorkspaceID      types.Int64  `tfsdk:"workspace_id"`
	Role             types.String `tfsdk:"role"`
	Status           types.String `tfsdk:"status"`
	PendingOlderThan types.String `tfsdk:"pending_older_than"`
}

// listStatuses are the statuses the listing reports (and the filter takes).
func (r *workspaceInvitationListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_smartdocumentor_workspace_invitation"
}

func (r *workspaceInvitationListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the members of a SmartDocumentor workspace (`GET /api/v1.0/external/sdworkspace/allusers/{workspaceId}`, one request) " +
			"as `membership_smartdocumentor_workspace_invitation` resources, with their identity and, on request, the whole resource, " +
			"so that `terraform query -generate-config-out=members.tf` writes their configuration and import blocks. " +
			"SmartDocumentor reports no owner or caller flag, so every listed member is returned.",
		Attributes: map[string]schema.Attribute{
			"workspace_id": schema.Int64Attribute{
				Required:            true,
				MarkdownDescription: "ID of the workspace (see the `membership_smartdocumentor_workspaces` data source).",
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"role": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only members with this role. Roles are tenant data: the value is checked against the tenant's roles " +
					"(`GET .../tenant/availableroles`) before listing.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"status": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only members with this status: `Active`, or `Invited` (pending).",
				Validators:          []validator.String{stringvalidator.OneOf(listStatuses...)},
			},
			"pending_older_than": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: shared.PendingOlderThanDoc,
				Validators:          []validator.String{shared.DurationValidator()},
			},
		},
	}
}

func (r *workspaceInvitationListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	shared.ConfigureClient(req.ProviderData, Name, &r.client, &resp.Diagnostics)
}

func (r *workspaceInvitationListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var diags diag.Diagnostics
	var cfg invitationListModel
	if diags.Append(req.Config.Get(ctx, &cfg)...); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if r.client == nil {
		diags.AddError(Title+" is not configured", "Add a smartdocumentor block to the provider configuration to list workspace members.")
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stale, err := shared.NewPendingFilter(cfg.PendingOlderThan, time.Now())
	if err != nil {
		diags.AddAttributeError(path.Root("pending_older_than"), "Invalid pending_older_than", err.Error())
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	ws := cfg.WorkspaceID.ValueInt64()
	if role := cfg.Role.ValueString(); role != "" {
		roles, err := r.client.AvailableRoles(ctx)
		if err != nil {
			shared.AddError(&diags, "Could not check role \""+role+"\" against the SmartDocumentor tenant's roles", err, Name)
		} else if why := checkRole(role, roles); why != "" {
			diags.AddAttributeError(path.Root("role"), "Unknown SmartDocumentor role", why)
		}
		if diags.HasError() {
			stream.Results = list.ListResultsStreamDiagnostics(diags)
			return
		}
	}
	users, err := r.client.WorkspaceUsers(ctx, ws)
	if err != nil {
		summary := fmt.Sprintf("Could not list the members of SmartDocumentor workspace %d", ws)
		if s := shared.StatusOf(err); s == http.StatusNotFound || s == http.StatusForbidden {
			diags.AddAttributeError(path.Root("workspace_id"), summary, err.Error()+"\n\n"+
				fmt.Sprintf("Workspace %d does not exist or the provider's credentials cannot see it. "+
					"The data source membership_smartdocumentor_workspaces lists the workspaces they can see.", ws))
		} else {
			shared.AddError(&diags, summary, err, Name)
		}
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	var members []User
	for _, u := range users {
		if (cfg.Role.IsNull() || u.RoleName == cfg.Role.ValueString()) && (cfg.Status.IsNull() || u.Status == cfg.Status.ValueString()) &&
			stale.Keep(u.InvitePending(), u.CreatedAt) {
			members = append(members, u)
		}
	}
	stream.Results = shared.ListResults(ctx, req, members, fmt.Sprintf("members of SmartDocumentor workspace %d", ws), func(ctx context.Context, u User, result *list.ListResult) {
		result.DisplayName = fmt.Sprintf("%s (%s, %s)", u.Email, u.RoleName, u.Status)
		setIdentity(ctx, result.Identity, ws, u.Email, &result.Diagnostics)
		if req.IncludeResource {
			m := listedInvitation(ws, u)
			result.Diagnostics.Append(result.Resource.Set(ctx, &m)...)
		}
	})
}
