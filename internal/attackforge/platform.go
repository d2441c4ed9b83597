// Package attackforge manages AttackForge project team members through the
// Self-Service API: its provider block, API client, resources and data
// sources.
package attackforge

import (
	"context"

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
	Name = "attackforge"
	// Title is the platform's display name.
	Title = "AttackForge"
)

// Platform describes AttackForge to the provider.
func Platform() shared.Platform {
	return shared.Platform{
		Name:    Name,
		Title:   Title,
		EnvVars: []string{"ATTACKFORGE_ENDPOINT", "ATTACKFORGE_API_KEY"},
		// The vendor publishes no rate limit (API-NOTES.md).
		RateLimit: shared.UnpublishedRateLimit(),
		Block: schema.SingleNestedBlock{
			MarkdownDescription: "AttackForge Self-Service API connection.",
			Attributes: map[string]schema.Attribute{
				"endpoint": schema.StringAttribute{Optional: true, MarkdownDescription: "Your AttackForge URL such as `https://demo.attackforge.com` (required), or `ATTACKFORGE_ENDPOINT`."},
				"api_key":  schema.StringAttribute{Optional: true, Sensitive: true, MarkdownDescription: "Self-Service API key sent as `X-SSAPI-KEY` (required), or `ATTACKFORGE_API_KEY`."},
			},
		},
		Configure:     configure,
		Resources:     resources,
		DataSources:   dataSources,
		ListResources: listResources,
	}
}

type providerModel struct {
	Endpoint types.String `tfsdk:"endpoint"`
	APIKey   types.String `tfsdk:"api_key"`
}

func configure(ctx context.Context, block types.Object, opts shared.Options) (any, diag.Diagnostics) {
	var diags diag.Diagnostics
	var m providerModel
	if diags.Append(shared.DecodeBlock(ctx, block, &m)...); diags.HasError() {
		return nil, diags
	}
	cfg := Config{
		Endpoint: shared.StringOrEnv(m.Endpoint, "ATTACKFORGE_ENDPOINT", ""),
		APIKey:   shared.StringOrEnv(m.APIKey, "ATTACKFORGE_API_KEY", ""),
	}
	at := path.Root(Name)
	if cfg.Endpoint == "" {
		diags.AddAttributeError(at.AtName("endpoint"), "Missing AttackForge endpoint",
			"The attackforge block needs endpoint, your AttackForge URL (or ATTACKFORGE_ENDPOINT).")
	}
	if cfg.APIKey == "" {
		diags.AddAttributeError(at.AtName("api_key"), "Missing AttackForge API key",
			"The attackforge block needs api_key, a Self-Service API key (or ATTACKFORGE_API_KEY).")
	}
	if diags.HasError() {
		return nil, diags
	}
	c, err := NewClient(cfg, opts)
	if err != nil {
		diags.AddAttributeError(at.AtName("endpoint"), "Invalid AttackForge endpoint", err.Error())
		return nil, diags
	}
	return c, diags
}

func resources() []func() resource.Resource {
	return []func() resource.Resource{newTeamMemberResource, newTeamResource}
}

func listResources() []func() list.ListResource {
	return []func() list.ListResource{newTeamMemberListResource}
}

func dataSources() []func() datasource.DataSource {
	return []func() datasource.DataSource{newUserDataSource, newTeamMembersDataSource}
}
