package smartdocumentor

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// newWorkspacesDataSource is membership_smartdocumentor_workspaces.
func newWorkspacesDataSource() datasource.DataSource { return &workspacesDataSource{} }

type workspacesDataSource struct{ dsBase }

type workspacesModel struct {
	Workspaces []workspaceModel `tfsdk:"workspaces"`
}

type workspaceModel struct {
	WorkspaceID types.Int64  `tfsdk:"workspace_id"`
	TenantID    types.Int64  `tfsdk:"tenant_id"`
	Name        types.String `tfsdk:"name"`
	IsDefault   types.Bool   `tfsdk:"is_default"`
}

func (d *workspacesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_smartdocumentor_workspaces"
}

func (d *workspacesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The workspaces of the SmartDocumentor tenant (`GET /api/v1.0/external/sdworkspace/CurrentWorkspaces`).",
		Attributes: map[string]schema.Attribute{
			"workspaces": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Workspaces, in the order the API returns them.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"workspace_id": schema.Int64Attribute{Computed: true, MarkdownDescription: "Workspace ID, the `workspace_id` of invitations."},
					"tenant_id":    schema.Int64Attribute{Computed: true, MarkdownDescription: "ID of the tenant the workspace belongs to."},
					"name":         schema.StringAttribute{Computed: true, MarkdownDescription: "Workspace name."},
					"is_default":   schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether this is the tenant's default workspace."},
				}},
			},
		},
	}
}

func (d *workspacesDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	list, err := d.client.Workspaces(ctx)
	if err != nil {
		shared.AddError(&resp.Diagnostics, "Could not list the SmartDocumentor workspaces", err, Name)
		return
	}
	m := workspacesModel{Workspaces: make([]workspaceModel, 0, len(list))}
	for _, w := range list {
		var wm workspaceModel
		wm.fill(w)
		m.Workspaces = append(m.Workspaces, wm)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
