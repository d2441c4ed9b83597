package smartdocumentor

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// newWorkspaceUsersDataSource is membership_smartdocumentor_workspace_users.
func newWorkspaceUsersDataSource() datasource.DataSource { return &workspaceUsersDataSource{} }

type workspaceUsersDataSource struct{ dsBase }

type workspaceUsersModel struct {
	WorkspaceID      types.Int64     `tfsdk:"workspace_id"`
	PendingOlderThan types.String    `tfsdk:"pending_older_than"`
	Users            []workspaceUser `tfsdk:"users"`
}

type workspaceUser struct {
	UserID         types.Int64  `tfsdk:"user_id"`
	Email          types.String `tfsdk:"email"`
	Name           types.String `tfsdk:"name"`
	UserName       types.String `tfsdk:"user_name"`
	Role           types.String `tfsdk:"role"`
	Status         types.String `tfsdk:"status"`
	EmailConfirmed types.Bool   `tfsdk:"email_confirmed"`
	CreatedAt      types.String `tfsdk:"created_at"`
	InvitedAt      types.String `tfsdk:"invited_at"`
	Pending        types.Bool   `tfsdk:"pending"`
}

func (d *workspaceUsersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_smartdocumentor_workspace_users"
}

func (d *workspaceUsersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The users of a SmartDocumentor workspace, with their role and status (`GET /api/v1.0/external/sdworkspace/allusers/{workspaceId}`), " +
			"including invited users who have not accepted yet.",
		Attributes: map[string]schema.Attribute{
			"workspace_id": schema.Int64Attribute{
				Required: true, MarkdownDescription: "ID of the workspace.",
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"pending_older_than": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: shared.PendingOlderThanDoc,
				Validators:          []validator.String{shared.DurationValidator()},
			},
			"users": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Users of the workspace, in the order the API returns them.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"user_id":         schema.Int64Attribute{Computed: true, MarkdownDescription: "User ID."},
					"email":           schema.StringAttribute{Computed: true, MarkdownDescription: "Email address."},
					"name":            schema.StringAttribute{Computed: true, MarkdownDescription: "Display name (empty until the user has set one)."},
					"user_name":       schema.StringAttribute{Computed: true, MarkdownDescription: "User name."},
					"role":            schema.StringAttribute{Computed: true, MarkdownDescription: "Role in this workspace."},
					"status":          schema.StringAttribute{Computed: true, MarkdownDescription: "Status: `Active`, or `Invited` while the invitation is pending."},
					"email_confirmed": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the user has confirmed their email address."},
					"created_at":      schema.StringAttribute{Computed: true, MarkdownDescription: "When the user was created, as the API reports it."},
					"invited_at":      schema.StringAttribute{Computed: true, MarkdownDescription: invitedAtDoc},
					"pending":         schema.BoolAttribute{Computed: true, MarkdownDescription: pendingDoc},
				}},
			},
		},
	}
}

func (d *workspaceUsersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m workspaceUsersModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	stale, err := shared.NewPendingFilter(m.PendingOlderThan, time.Now())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("pending_older_than"), "Invalid pending_older_than", err.Error())
		return
	}
	ws := m.WorkspaceID.ValueInt64()
	users, err := d.client.WorkspaceUsers(ctx, ws)
	if err != nil {
		shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not list the users of SmartDocumentor workspace %d", ws), err, Name)
		return
	}
	m.Users = make([]workspaceUser, 0, len(users))
	for _, u := range users {
		if !stale.Keep(u.InvitePending(), u.CreatedAt) {
			continue
		}
		var wu workspaceUser
		wu.fill(u)
		m.Users = append(m.Users, wu)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
