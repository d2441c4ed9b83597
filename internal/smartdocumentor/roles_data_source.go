package smartdocumentor

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// newRolesDataSource is membership_smartdocumentor_roles.
func newRolesDataSource() datasource.DataSource { return &rolesDataSource{} }

type rolesDataSource struct{ dsBase }

type rolesModel struct {
	Names types.List `tfsdk:"names"`
}

func (d *rolesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_smartdocumentor_roles"
}

func (d *rolesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The roles of the SmartDocumentor tenant (`GET /api/v1.0/external/tenant/availableroles`): the values " +
			"`membership_smartdocumentor_workspace_invitation` accepts for `role`. Roles are tenant data, not a fixed list.",
		Attributes: map[string]schema.Attribute{
			"names": schema.ListAttribute{
				Computed: true, ElementType: types.StringType,
				MarkdownDescription: "Role names, in the order the API returns them.",
			},
		},
	}
}

func (d *rolesDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	roles, err := d.client.AvailableRoles(ctx)
	if err != nil {
		shared.AddError(&resp.Diagnostics, "Could not list the SmartDocumentor tenant's roles", err, Name)
		return
	}
	names, diags := types.ListValueFrom(ctx, types.StringType, roles)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &rolesModel{Names: names})...)
}
