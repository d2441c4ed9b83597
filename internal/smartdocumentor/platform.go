// Package smartdocumentor manages SmartDocumentor workspace invitations:
// its provider block, API client, resources and data sources.
package smartdocumentor

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
	Name = "smartdocumentor"
	// Title is the platform's display name.
	Title = "SmartDocumentor"
	// DefaultEndpoint is SmartDocumentor's cloud.
	DefaultEndpoint = "https://cloud.smartdocumentor.net"
)

// Platform describes SmartDocumentor to the provider.
func Platform() shared.Platform {
	return shared.Platform{
		Name:    Name,
		Title:   Title,
		EnvVars: []string{"SMARTDOCUMENTOR_ENDPOINT", "SMARTDOCUMENTOR_CLIENT_ID", "SMARTDOCUMENTOR_CLIENT_SECRET", "SMARTDOCUMENTOR_ACCESS_TOKEN"},
		// The vendor publishes no rate limit (API-NOTES.md).
		RateLimit: shared.UnpublishedRateLimit(),
		Block: schema.SingleNestedBlock{
			MarkdownDescription: "SmartDocumentor connection. Authenticate with an OAuth2 client (`client_id` + `client_secret`, scope `WebAPI`) or a static `access_token`.",
			Attributes: map[string]schema.Attribute{
				"endpoint":      schema.StringAttribute{Optional: true, MarkdownDescription: "Base URL. Default `" + DefaultEndpoint + "`, or `SMARTDOCUMENTOR_ENDPOINT`."},
				"client_id":     schema.StringAttribute{Optional: true, MarkdownDescription: "OAuth2 client ID, or `SMARTDOCUMENTOR_CLIENT_ID`."},
				"client_secret": schema.StringAttribute{Optional: true, Sensitive: true, MarkdownDescription: "OAuth2 client secret, or `SMARTDOCUMENTOR_CLIENT_SECRET`."},
				"access_token":  schema.StringAttribute{Optional: true, Sensitive: true, MarkdownDescription: "A bearer token to use instead of the client pair, or `SMARTDOCUMENTOR_ACCESS_TOKEN`."},
			},
		},
		Configure:     configure,
		Resources:     resources,
		DataSources:   dataSources,
		ListResources: listResources,
	}
}

type providerModel struct {
	Endpoint     types.String `tfsdk:"endpoint"`
	ClientID     types.String `tfsdk:"client_id"`
	ClientSecret types.String `tfsdk:"client_secret"`
	AccessToken  types.String `tfsdk:"access_token"`
}

func configure(ctx context.Context, block types.Object, opts shared.Options) (any, diag.Diagnostics) {
	var diags diag.Diagnostics
	var m providerModel
	if diags.Append(shared.DecodeBlock(ctx, block, &m)...); diags.HasError() {
		return nil, diags
	}
	endpoint := shared.StringOrEnv(m.Endpoint, "SMARTDOCUMENTOR_ENDPOINT", DefaultEndpoint)
	clientID := shared.StringOrEnv(m.ClientID, "SMARTDOCUMENTOR_CLIENT_ID", "")
	clientSecret := shared.StringOrEnv(m.ClientSecret, "SMARTDOCUMENTOR_CLIENT_SECRET", "")
	accessToken := shared.StringOrEnv(m.AccessToken, "SMARTDOCUMENTOR_ACCESS_TOKEN", "")
	at := path.Root(Name)
	switch {
	case accessToken != "" && (clientID != "" || clientSecret != ""):
		diags.AddAttributeError(at, "Conflicting SmartDocumentor credentials",
			"Set either access_token or the client_id + client_secret pair in the smartdocumentor block (or their SMARTDOCUMENTOR_* environment variables), not both.")
	case accessToken == "" && (clientID == "" || clientSecret == ""):
		diags.AddAttributeError(at, "Missing SmartDocumentor credentials",
			"The smartdocumentor block needs client_id and client_secret (an OAuth2 client with the WebAPI scope) or access_token; they can also come from SMARTDOCUMENTOR_CLIENT_ID / SMARTDOCUMENTOR_CLIENT_SECRET or SMARTDOCUMENTOR_ACCESS_TOKEN.")
	}
	if diags.HasError() {
		return nil, diags
	}
	c, err := NewClient(Config{Endpoint: endpoint, ClientID: clientID, ClientSecret: clientSecret, AccessToken: accessToken}, opts)
	if err != nil {
		diags.AddAttributeError(at.AtName("endpoint"), "Invalid SmartDocumentor endpoint", err.Error())
		return nil, diags
	}
	return c, diags
}

func resources() []func() resource.Resource {
	return []func() resource.Resource{newWorkspaceInvitationResource}
}

func listResources() []func() list.ListResource {
	return []func() list.ListResource{newWorkspaceInvitationListResource}
}

func dataSources() []func() datasource.DataSource {
	return []func() datasource.DataSource{newRolesDataSource, newWorkspacesDataSource, newWorkspaceUsersDataSource}
}

// dsBase gives the data sources their client (every data source embeds
// it).
type dsBase struct{ client *Client }

func (d *dsBase) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	shared.ConfigureClient(req.ProviderData, Name, &d.client, &resp.Diagnostics)
}
