// Package goldleaf manages GoldLeaf organization invitations: its provider
// block, API client (with the API key to security token exchange) and
// resources.
package goldleaf

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

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
	if !block.IsNull() {
		diags.Append(block.As(ctx, &m, basetypes.ObjectAsOptions{})...)
		if diags.HasError() {
			return nil, diags
		}
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

// Config holds the resolved connection settings.
type Config struct {
	Endpoint, APIKey, APIKeyName, AccessToken string
}

// Client talks to the GoldLeaf API.
type Client struct {
	api *shared.Client
	cfg Config

	mu      sync.Mutex
	token   string
	expires time.Time
}

// NewClient builds a client.
func NewClient(cfg Config, opts shared.Options) (*Client, error) {
	c := &Client{cfg: cfg}
	api, err := shared.NewClient(shared.ClientConfig{
		Platform: Title, BaseURL: cfg.Endpoint, Options: opts,
		Authorize: c.authorize,
		Secrets:   []string{cfg.APIKey, cfg.AccessToken},
	})
	if err != nil {
		return nil, err
	}
	c.api = api
	return c, nil
}

func (c *Client) authorize(ctx context.Context, req *http.Request) error {
	tok, err := c.securityToken(ctx)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	return nil
}

type tokenResponse struct {
	SecurityToken string `json:"securityToken"`
	Expires       any    `json:"expires"`
	Data          *struct {
		SecurityToken string `json:"securityToken"`
		Expires       any    `json:"expires"`
	} `json:"data"`
}

// securityToken returns the cached token, exchanging the API key for a new
// one when none is cached or it expires within a minute.
func (c *Client) securityToken(ctx context.Context) (string, error) {
	if c.cfg.AccessToken != "" {
		return c.cfg.AccessToken, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token != "" && time.Until(c.expires) > time.Minute {
		return c.token, nil
	}
	var out tokenResponse
	_, err := c.api.Do(ctx, shared.Request{
		Op: "exchange the API key for a security token", Method: http.MethodPost, Path: "/security/v1/token",
		JSON:   map[string]string{"apiKey": c.cfg.APIKey, "name": c.cfg.APIKeyName, "grantType": "client_credentials"},
		NoAuth: true,
	}, &out)
	if err != nil {
		return "", err
	}
	tok := out.SecurityToken
	if tok == "" && out.Data != nil {
		tok = out.Data.SecurityToken
	}
	if tok == "" {
		return "", errors.New("the token endpoint answered without a securityToken")
	}
	c.token = tok
	c.expires = time.Now().Add(time.Hour)
	if exp := expiry(out); !exp.IsZero() {
		c.expires = exp
	}
	return tok, nil
}

// expiry reads "expires" as RFC 3339 or seconds; the shape is unverified.
func expiry(out tokenResponse) time.Time {
	v := out.Expires
	if v == nil && out.Data != nil {
		v = out.Data.Expires
	}
	switch t := v.(type) {
	case string:
		if ts, err := time.Parse(time.RFC3339, t); err == nil {
			return ts
		}
	case float64:
		if t > 1e9 {
			return time.Unix(int64(t), 0)
		}
		return time.Now().Add(time.Duration(t) * time.Second)
	}
	return time.Time{}
}

func resources() []func() resource.Resource       { return nil }
func dataSources() []func() datasource.DataSource { return nil }
