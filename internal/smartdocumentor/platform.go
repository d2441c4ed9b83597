// Package smartdocumentor manages SmartDocumentor workspace invitations:
// its provider block, API client, resources and data sources.
package smartdocumentor

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

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
		Block: schema.SingleNestedBlock{
			MarkdownDescription: "SmartDocumentor connection. Authenticate with an OAuth2 client (`client_id` + `client_secret`, scope `WebAPI`) or a static `access_token`.",
			Attributes: map[string]schema.Attribute{
				"endpoint":      schema.StringAttribute{Optional: true, MarkdownDescription: "Base URL. Default `" + DefaultEndpoint + "`, or `SMARTDOCUMENTOR_ENDPOINT`."},
				"client_id":     schema.StringAttribute{Optional: true, MarkdownDescription: "OAuth2 client ID, or `SMARTDOCUMENTOR_CLIENT_ID`."},
				"client_secret": schema.StringAttribute{Optional: true, Sensitive: true, MarkdownDescription: "OAuth2 client secret, or `SMARTDOCUMENTOR_CLIENT_SECRET`."},
				"access_token":  schema.StringAttribute{Optional: true, Sensitive: true, MarkdownDescription: "A bearer token to use instead of the client pair, or `SMARTDOCUMENTOR_ACCESS_TOKEN`."},
			},
		},
		Configure:   configure,
		Resources:   resources,
		DataSources: dataSources,
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

// Config holds the resolved connection settings.
type Config struct {
	Endpoint, ClientID, ClientSecret, AccessToken string
}

// Client talks to the SmartDocumentor external API.
type Client struct {
	api *shared.Client

	// roles caches the tenant's roles for the provider run (plan-time
	// validation of every resource's role costs one request).
	roles shared.ListCache[string, []string]
	// users caches each workspace's member listing for the provider run.
	users shared.ListCache[int64, []User]
	// invites coalesces concurrent invitations to one workspace into one
	// POST sdworkspace/inviteusers.
	invites *shared.Batcher[int64, InviteUser, struct{}]
}

// NewClient builds a client. With a client pair, tokens come from
// {endpoint}/connect/token (client credentials via golang.org/x/oauth2,
// scope WebAPI), cached while valid and renewed before they expire.
func NewClient(cfg Config, opts shared.Options) (*Client, error) {
	c := &Client{}
	// 50ms gathers Terraform's waves of concurrent creates (parallelism
	// 10) into about one request each, at a cost of 50ms per wave.
	c.invites = &shared.Batcher[int64, InviteUser, struct{}]{Window: 50 * time.Millisecond, Run: c.runInvites}
	tokens := &tokenCache{}
	authorize := func(ctx context.Context, req *http.Request) error {
		if cfg.AccessToken != "" {
			req.Header.Set("Authorization", "Bearer "+cfg.AccessToken)
			return nil
		}
		tok, err := tokens.get(ctx)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		return nil
	}
	api, err := shared.NewClient(shared.ClientConfig{
		Platform:  Title,
		BaseURL:   cfg.Endpoint,
		Options:   opts,
		Authorize: authorize,
		Secrets:   []string{cfg.ClientSecret, cfg.AccessToken},
	})
	if err != nil {
		return nil, err
	}
	c.api = api
	tokens.http = api.HTTP
	tokens.cc = clientcredentials.Config{
		ClientID:     cfg.ClientID,
		ClientSecret: cfg.ClientSecret,
		TokenURL:     strings.TrimRight(api.BaseURL().String(), "/") + "/connect/token",
		Scopes:       []string{"WebAPI"},
		AuthStyle:    oauth2.AuthStyleInParams,
	}
	return c, nil
}

// tokenCache holds the client-credentials token for the provider run. The
// token request uses the caller's context, so it goes through the shared
// transport like every other call: retried, and logged at TRACE with the
// client secret and the token redacted.
type tokenCache struct {
	mu   sync.Mutex
	cc   clientcredentials.Config
	http *http.Client
	tok  *oauth2.Token
}

func (t *tokenCache) get(ctx context.Context) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.tok.Valid() { // false for nil, and ten seconds before expiry
		return t.tok.AccessToken, nil
	}
	tok, err := t.cc.Token(context.WithValue(ctx, oauth2.HTTPClient, t.http))
	if err != nil {
		return "", err
	}
	t.tok = tok
	return tok.AccessToken, nil
}

func resources() []func() resource.Resource {
	return []func() resource.Resource{NewWorkspaceInvitationResource}
}

func dataSources() []func() datasource.DataSource {
	return []func() datasource.DataSource{NewRolesDataSource, NewWorkspacesDataSource, NewWorkspaceUsersDataSource}
}
