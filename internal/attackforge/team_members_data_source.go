package attackforge

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

var (
	_ datasource.DataSource              = &teamMembersDataSource{}
	_ datasource.DataSourceWithConfigure = &teamMembersDataSource{}
)

// newTeamMembersDataSource is membership_attackforge_project_team_members.
func newTeamMembersDataSource() datasource.DataSource { return &teamMembersDataSource{} }

type teamMembersDataSource struct{ client *Client }

type teamMembersModel struct {
	ProjectID types.String       `tfsdk:"project_id"`
	Members   []teamMembersEntry `tfsdk:"members"`
}

type teamMembersEntry struct {
	User      types.String `tfsdk:"user"`
	UserID    types.String `tfsdk:"user_id"`
	Email     types.String `tfsdk:"email"`
	Username  types.String `tfsdk:"username"`
	FirstName types.String `tfsdk:"first_name"`
	LastName  types.String `tfsdk:"last_name"`
	Status    types.String `tfsdk:"status"`
}

func (d *teamMembersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_attackforge_project_team_members"
}

func (d *teamMembersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The users on an AttackForge project's team, for instance to import them as `membership_attackforge_project_team_member` " +
			"resources (see the onboarding guide). " + teamCostDoc + " Leave `access_level` of the imported members unset to keep the level each has (unset, it is not managed; setting it overwrites the member's " +
			"current level, which the API cannot read, and the plan warns so); set `project_role` to the role each has, which the first apply adopts without a request. " +
			"AttackForge projects have no owner in the API, and the Self-Service API does not say which user the API key belongs to, so no member is left out: " +
			"leave out your own account in the configuration if it should not be managed.",
		Attributes: map[string]schema.Attribute{
			"project_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Id of the AttackForge project (24 hexadecimal characters).",
				Validators:          []validator.String{objectIDValidator()},
			},
			"members": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The members, in the order of the user listing.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"user":       schema.StringAttribute{Computed: true, MarkdownDescription: "The value to use as the resource's `user` (and in its import id): the email address in lower case, else the username, else the id."},
					"user_id":    schema.StringAttribute{Computed: true, MarkdownDescription: "AttackForge id of the user."},
					"email":      schema.StringAttribute{Computed: true, MarkdownDescription: "Email address, as AttackForge reports it."},
					"username":   schema.StringAttribute{Computed: true, MarkdownDescription: "Username."},
					"first_name": schema.StringAttribute{Computed: true, MarkdownDescription: "First name."},
					"last_name":  schema.StringAttribute{Computed: true, MarkdownDescription: "Last name."},
					"status":     schema.StringAttribute{Computed: true, MarkdownDescription: "Status of the user account, as AttackForge reports it."},
				}},
			},
		},
	}
}

func (d *teamMembersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	shared.ConfigureClient(req.ProviderData, Name, &d.client, &resp.Diagnostics)
}

func (d *teamMembersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m teamMembersModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	projectID := m.ProjectID.ValueString()
	m.Members = []teamMembersEntry{}
	t, err := d.client.findTeam(ctx, projectID, nil, true, nil)
	if err != nil {
		shared.AddError(&resp.Diagnostics, "Could not find the team of AttackForge project "+projectID, err, Name)
		return
	}
	for _, c := range t.Members {
		var e teamMembersEntry
		e.fill(c.User)
		m.Members = append(m.Members, e)
	}
	if t.Incomplete() {
		resp.Diagnostics.AddWarning("AttackForge user list incomplete",
			fmt.Sprintf("GET /api/ss/users returned fewer users than it reported: members of project %s among the others are not listed.", projectID))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
