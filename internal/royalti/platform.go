// Package royalti manages Royalti.io workspace invitations: its provider
// block, API client, resources and data sources.
package royalti

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

const (
	// Name is the provider block name and resource prefix.
	Name = "royalti"
	// Title is the platform's display name.
	Title = "Royalti"
	// DefaultEndpoint is Royalti's API host.
	DefaultEndpoint = "https://api.royalti.io"
	// defaultWorkspaceID stands for the workspace of the provider's token:
	// the id of the authoritative resource and the workspace_id of an
	// identity when workspace_id is not set.
	defaultWorkspaceID = "default"
)

// workspaceLabel names the workspace ws ("" for the token's) in messages.
func workspaceLabel(ws string) string {
	if ws == "" {
		return "Royalti workspace (of the provider's token)"
	}
	return "Royalti workspace " + ws
}

// Platform describes Royalti to the provider.
func Platform() shared.Platform {
	return shared.Platform{
		Name:    Name,
		Title:   Title,
		EnvVars: []string{"ROYALTI_ENDPOINT", "ROYALTI_TOKEN"},
		// The vendor publishes no rate limit (API-NOTES.md).
		RateLimit: shared.UnpublishedRateLimit(),
		Block: schema.SingleNestedBlock{
			MarkdownDescription: "Royalti.io connection.",
			Attributes: map[string]schema.Attribute{
				"endpoint": schema.StringAttribute{Optional: true, MarkdownDescription: "API base URL. Default `" + DefaultEndpoint + "`, or `ROYALTI_ENDPOINT`."},
				"token":    schema.StringAttribute{Optional: true, Sensitive: true, MarkdownDescription: "Workspace API key (`RWAK_...`), user API key (`RUAK_...`) or access JWT, sent as a bearer token (required), or `ROYALTI_TOKEN`."},
			},
		},
		Configure:     configure,
		Resources:     resources,
		DataSources:   dataSources,
		ListResources: listResources,
		Actions:       actions,
	}
}

type providerModel struct {
	Endpoint types.String `tfsdk:"endpoint"`
	Token    types.String `tfsdk:"token"`
}

func configure(ctx context.Context, block types.Object, opts shared.Options) (any, diag.Diagnostics) {
	var diags diag.Diagnostics
	var m providerModel
	if diags.Append(shared.DecodeBlock(ctx, block, &m)...); diags.HasError() {
		return nil, diags
	}
	cfg := Config{
		Endpoint: shared.StringOrEnv(m.Endpoint, "ROYALTI_ENDPOINT", DefaultEndpoint),
		Token:    shared.StringOrEnv(m.Token, "ROYALTI_TOKEN", ""),
	}
	at := path.Root(Name)
	if cfg.Token == "" {
		diags.AddAttributeError(at.AtName("token"), "Missing Royalti token",
			"The royalti block needs token, a workspace or user API key or an access JWT (or ROYALTI_TOKEN).")
		return nil, diags
	}
	c, err := NewClient(cfg, opts)
	if err != nil {
		diags.AddAttributeError(at.AtName("endpoint"), "Invalid Royalti endpoint", err.Error())
		return nil, diags
	}
	return c, diags
}

func resources() []func() resource.Resource {
	return []func() resource.Resource{newInvitationResource, newInvitationsResource}
}

func listResources() []func() list.ListResource {
	return []func() list.ListResource{newInvitationListResource}
}

func dataSources() []func() datasource.DataSource {
	return []func() datasource.DataSource{newUsersDataSource}
}

func actions() []func() action.Action {
	return []func() action.Action{newResendAction}
}
