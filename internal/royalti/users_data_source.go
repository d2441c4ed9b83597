package royalti

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
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
	Role  types.String `tfsdk:"role"`
	Users []userModel  `tfsdk:"users"`
}

type userModel struct {
	ID           types.String `tfsdk:"id"`
	Email        types.String `tfsdk:"email"`
	FirstName    types.String `tfsdk:"first_name"`
	LastName     types.String `tfsdk:"last_name"`
	Role         types.String `tfsdk:"role"`
	InviteStatus types.String `tfsdk:"invite_status"`
}

func (d *usersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_royalti_users"
}

func (d *usersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the tenant users of the Royalti.io workspace of the provider's token (`GET /user/`, every page), " +
			"with their invite status (`GET /user/invites`), ordered by email. Users whose invite was cancelled are included with `invite_status = \"cancelled\"`.",
		Attributes: map[string]schema.Attribute{
			"role": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only list users with this role: `owner`, `admin` or `user`.",
				Validators:          []validator.String{stringvalidator.OneOf("owner", "admin", "user")},
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
	var f userFilter
	if r := m.Role.ValueString(); r != "" {
		f.Roles = []string{r}
	}
	dir, err := d.client.fetchDirectory(ctx, f)
	if err != nil {
		shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not list the users of %s", workspaceLabel("")), err, Name)
		return
	}
	m.Users = []userModel{}
	for _, u := range dir.Sorted() {
		m.Users = append(m.Users, userModel{
			ID: types.StringValue(u.ID), Email: types.StringValue(u.Email),
			FirstName: optString(u.FirstName), LastName: optString(u.LastName),
			Role: types.StringValue(u.Role), InviteStatus: types.StringValue(u.InviteStatus()),
		})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
