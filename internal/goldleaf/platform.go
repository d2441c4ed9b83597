// Package goldleaf manages GoldLeaf organization invitations: its provider
// block, API client (with the API key to security token exchange) and
// resources.
package goldleaf

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

const (
	// Name is the provider block name and resource prefix.
	Name = "goldleaf"
	// Title is the platform's display name.
	Title = "GoldLeaf"
	// DefaultEndpoint is GoldLeaf's API host.
	DefaultEndpoint = "https://goldleaf.app"
)

// Platform describes GoldLeaf to the provider.
func Platform() shared.Platform {
	return shared.Platform{
		Name:    Name,
		Title:   Title,
		EnvVars: []string{"GOLDLEAF_ENDPOINT", "GOLDLEAF_API_KEY", "GOLDLEAF_API_KEY_NAME", "GOLDLEAF_ACCESS_TOKEN"},
		// The vendor publishes no rate limit (API-NOTES.md).
		RateLimit: shared.UnpublishedRateLimit(),
		Block: schema.SingleNestedBlock{
			MarkdownDescription: "GoldLeaf connection. Use an admin API key (`api_key` + `api_key_name`, exchanged at `/security/v1/token` for a one-hour security token, renewed as needed) or a ready `access_token`.",
			Attributes: map[string]schema.Attribute{
				"endpoint":     schema.StringAttribute{Optional: true, MarkdownDescription: "Base URL. Default `" + DefaultEndpoint + "`, or `GOLDLEAF_ENDPOINT`."},
				"api_key":      schema.StringAttribute{Optional: true, Sensitive: true, MarkdownDescription: "Admin API key, or `GOLDLEAF_API_KEY`."},
				"api_key_name": schema.StringAttribute{Optional: true, MarkdownDescription: "The API key's name, or `GOLDLEAF_API_KEY_NAME`."},
				"access_token": schema.StringAttribute{Optional: true, Sensitive: true, MarkdownDescription: "A security token to use instead of the key pair, or `GOLDLEAF_ACCESS_TOKEN`."},
			},
		},
		Configure:   configure,
		Resources:   resources,
		DataSources: dataSources,
	}
}

type providerModel struct {
	Endpoint    types.String `tfsdk:"endpoint"`
	APIKey      types.String `tfsdk:"api_key"`
	APIKeyName  types.String `tfsdk:"api_key_name"`
	AccessToken types.String `tfsdk:"access_token"`
}

func configure(ctx context.Context, block types.Object, opts shared.Options) (any, diag.Diagnostics) {
	var diags diag.Diagnostics
	var m providerModel
	if diags.Append(shared.DecodeBlock(ctx, block, &m)...); diags.HasError() {
		return nil, diags
	}
	cfg := Config{
		Endpoint:    shared.StringOrEnv(m.Endpoint, "GOLDLEAF_ENDPOINT", DefaultEndpoint),
		APIKey:      shared.StringOrEnv(m.APIKey, "GOLDLEAF_API_KEY", ""),
		APIKeyName:  shared.StringOrEnv(m.APIKeyName, "GOLDLEAF_API_KEY_NAME", ""),
		AccessToken: shared.StringOrEnv(m.AccessToken, "GOLDLEAF_ACCESS_TOKEN", ""),
	}
	at := path.Root(Name)
	switch {
	case cfg.AccessToken != "" && (cfg.APIKey != "" || cfg.APIKeyName != ""):
		diags.AddAttributeError(at, "Conflicting GoldLeaf credentials",
			"Set either access_token or the api_key + api_key_name pair in the goldleaf block (or their GOLDLEAF_* environment variables), not both.")
	case cfg.AccessToken == "" && (cfg.APIKey == "" || cfg.APIKeyName == ""):
		diags.AddAttributeError(at, "Missing GoldLeaf credentials",
			"The goldleaf block needs api_key and api_key_name (an admin API key) or access_token; they can also come from GOLDLEAF_API_KEY / GOLDLEAF_API_KEY_NAME or GOLDLEAF_ACCESS_TOKEN.")
	}
	if diags.HasError() {
		return nil, diags
	}
	c, err := NewClient(cfg, opts)
	if err != nil {
		diags.AddAttributeError(at.AtName("endpoint"), "Invalid GoldLeaf endpoint", err.Error())
		return nil, diags
	}
	return c, diags
}

func resources() []func() resource.Resource {
	return []func() resource.Resource{newInvitationResource}
}

// GoldLeaf has no list or read endpoint, so there is nothing a data source
// could read.
func dataSources() []func() datasource.DataSource { return nil }
