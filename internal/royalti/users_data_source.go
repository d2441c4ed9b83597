package royalti

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

var (
	_ datasource.DataSource              = &usersDataSource{}
	_ datasource.DataSourceWithConfigure = &usersDataSource{}
)

func newUsersDataSource() datasource.DataSource { return &usersDataSource{} }

type usersDataSource struct{ client *Client }

type usersModel struct {
	Role             types.String `tfsdk:"role"`
	ManageableOnly   types.Bool   `tfsdk:"manageable_only"`
	PendingOlderThan types.String `tfsdk:"pending_older_than"`
	Users            []userModel  `tfsdk:"users"`
}

type userModel struct {
	ID           types.String `tfsdk:"id"`
	Email        types.String `tfsdk:"email"`
	FirstName    types.String `tfsdk:"first_name"`
	LastName     types.String `tfsdk:"last_name"`
	Role         types.String `tfsdk:"role"`
	InviteStatus types.String `tfsdk:"invite_status"`
	InvitedAt    types.String `tfsdk:"invited_at"`
	Pending      types.Bool   `tfsdk:"pending"`
}

func (d *usersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_royalti_users"
}

func (d *usersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the tenant users of the Royalti.io workspace of the provider's token (`GET /user/`, every page), " +
			"with their invite status (`GET /user/invites`), ordered by email: every attribute `membership_royalti_workspace_invitation` needs. " +
			"Users whose invite was cancelled are included with `invite_status = \"cancelled\"` unless `manageable_only` is set. The listing costs its pages (100 users a page).",
		Attributes: map[string]schema.Attribute{
			"role": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only list users with this role: `owner`, `admin` or `user`.",
				Validators:          []validator.String{stringvalidator.OneOf("owner", "admin", "user")},
			},
			"manageable_only": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Leave out the users a `membership_royalti_workspace_invitation` cannot manage: the workspace owner and users whose invitation was cancelled " +
					"(for bringing a workspace under Terraform with `import` blocks). Royalti does not say which user the provider's token belongs to, so that user is not left out.",
			},
			"pending_older_than": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: shared.PendingOlderThanDoc,
				Validators:          []validator.String{shared.DurationValidator()},
			},
			"users": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The tenant users.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":            schema.StringAttribute{Computed: true, MarkdownDescription: "Tenant user id (uuid)."},
					"email":         schema.StringAttribute{Computed: true, MarkdownDescription: "Email address."},
					"first_name":    schema.StringAttribute{Computed: true, MarkdownDescription: "First name (null when not set)."},
					"last_name":     schema.StringAttribute{Computed: true, MarkdownDescription: "Last name (null when not set)."},
					"role":          schema.StringAttribute{Computed: true, MarkdownDescription: "Role: `owner`, `admin` or `user`."},
					"invite_status": schema.StringAttribute{Computed: true, MarkdownDescription: "`invited`, `joined` or `cancelled`; `joined` for users never invited (the owner)."},
					"invited_at":    schema.StringAttribute{Computed: true, MarkdownDescription: "When the invitation was sent (the invite's `meta.date`), in RFC 3339 (UTC); null for users never invited."},
					"pending":       schema.BoolAttribute{Computed: true, MarkdownDescription: pendingDoc},
				}},
			},
		},
	}
}

func (d *usersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	shared.ConfigureClient(req.ProviderData, Name, &d.client, &resp.Diagnostics)
}

func (d *usersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m usersModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	stale, err := shared.NewPendingFilter(m.PendingOlderThan, time.Now())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("pending_older_than"), "Invalid pending_older_than", err.Error())
		return
	}
	var dir *Directory
	if r := m.Role.ValueString(); r != "" {
		dir, err = d.client.fetchDirectory(ctx, userFilter{Roles: []string{r}})
	} else {
		// the run's shared listing: imports and reads that follow use it
		dir, err = d.client.directory(ctx, "")
	}
	if err != nil {
		shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not list the users of %s", workspaceLabel("")), err, Name)
		return
	}
	if dir.InvitesErr != nil {
		shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not list the invitations of %s", workspaceLabel("")), dir.InvitesErr, Name)
		return
	}
	m.Users = []userModel{}
	for _, u := range dir.Sorted() {
		if (m.ManageableOnly.ValueBool() && !manageable(u)) || !stale.Keep(u.InvitePending(), u.InvitedAt()) {
			continue
		}
		m.Users = append(m.Users, userModel{
			ID: types.StringValue(u.ID), Email: types.StringValue(u.Email),
			FirstName: shared.StringOrNull(optional(u.FirstName)), LastName: shared.StringOrNull(optional(u.LastName)),
			Role: types.StringValue(u.Role), InviteStatus: types.StringValue(u.InviteStatus()),
			InvitedAt: shared.TimestampValue(u.InvitedAt()), Pending: types.BoolValue(u.InvitePending()),
		})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
