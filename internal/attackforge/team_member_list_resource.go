package attackforge

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

var (
	_ list.ListResource              = &teamMemberListResource{}
	_ list.ListResourceWithConfigure = &teamMemberListResource{}
)

// newTeamMemberListResource lists a project's team as
// membership_attackforge_project_team_member resources (`terraform query`,
// Terraform 1.14 and later).
func newTeamMemberListResource() list.ListResource { return &teamMemberListResource{} }

type teamMemberListResource struct{ client *Client }

type teamMemberListModel struct {
	ProjectID types.String `tfsdk:"project_id"`
}

func (r *teamMemberListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_attackforge_project_team_member"
}

func (r *teamMemberListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the team of an AttackForge project as `membership_attackforge_project_team_member` resources, with their identity and, " +
			"on request, the whole resource, so that `terraform query -generate-config-out=members.tf` writes their configuration and import blocks " +
			"(`access_level`, which the API cannot report, is left unset: unset, it is not managed, so importing the members changes nobody's level). " + teamCostDoc +
			" The API has no filter by access level or role, so this list has none. When the list block's `limit` is reached, the listing looks on for one " +
			"more member (and no further) to say whether the limit cut the team short (the query then warns): a team that exactly fits the limit " +
			"costs the look-ups of every user.",
		Attributes: map[string]schema.Attribute{
			"project_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Id of the AttackForge project (24 hexadecimal characters, as in the project's URL).",
				Validators:          []validator.String{objectIDValidator()},
			},
		},
	}
}

func (r *teamMemberListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	shared.ConfigureClient(req.ProviderData, Name, &r.client, &resp.Diagnostics)
}

func (r *teamMemberListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var diags diag.Diagnostics
	var cfg teamMemberListModel
	if diags.Append(req.Config.Get(ctx, &cfg)...); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if r.client == nil {
		diags.AddError(Title+" is not configured", "Add an attackforge block to the provider configuration to list project teams.")
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	projectID := cfg.ProjectID.ValueString()
	stream.Results = func(push func(list.ListResult) bool) {
		l := shared.NewListLimit(req, push, "members of AttackForge project "+projectID)
		stopped, more := false, false
		t, err := r.client.findTeam(ctx, projectID, nil, true, func(members []candidate) bool {
			for _, c := range members {
				if l.Full() {
					more = true // a member past the limit: stop looking
					return false
				}
				if ctx.Err() != nil {
					stopped = true
					return false
				}
				result := req.NewListResult(ctx)
				fillListResult(ctx, projectID, c.User, req.IncludeResource, &result)
				if !req.IncludeResource {
					result.Resource = nil
				}
				if !l.Push(result) {
					stopped = true
					return false
				}
			}
			return true
		})
		switch {
		case stopped:
			return
		case more:
			l.More(0) // the total is unknown: the listing stopped at the first member past the limit
			return
		}
		var d diag.Diagnostics
		switch {
		case err != nil && ctx.Err() != nil:
			return // interrupted
		case err != nil:
			shared.AddError(&d, "Could not find the team of AttackForge project "+projectID, err, Name)
		case t.Incomplete():
			d.AddWarning("AttackForge user list incomplete",
				fmt.Sprintf("GET /api/ss/users returned fewer users than it reported: members of project %s among the others are not listed.", projectID))
		case !l.Any():
			d.AddWarning("No team members found",
				fmt.Sprintf("No AttackForge user is on the team of project %s. Check the project id: the Self-Service API does not say whether a project exists "+
					"or whether the API key may see it, so a wrong or invisible project looks like an empty team.", projectID))
		}
		l.Close(d)
	}
}

// fillListResult sets a member's identity, display name and, when asked,
// the resource object (access level and project role null: unreadable).
func fillListResult(ctx context.Context, projectID string, u User, include bool, result *list.ListResult) {
	m := listedMember(projectID, u)
	result.DisplayName = m.User.ValueString()
	setIdentity(ctx, nil, result.Identity, m, &result.Diagnostics)
	if include {
		result.Diagnostics.Append(result.Resource.Set(ctx, &m)...)
	}
}
