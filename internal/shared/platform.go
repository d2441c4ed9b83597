package shared

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

// Platform is what a platform package gives the provider: its
// configuration block, how to build its client, and its resources and data
// sources. The provider composes the five platforms; nothing else couples
// them.
type Platform struct {
	// Name is the provider block name and the resource name prefix:
	// "docspace" gives block docspace {} and membership_docspace_*.
	Name string
	// Title is the display name used in messages ("ONLYOFFICE DocSpace").
	Title string
	// EnvVars are the environment variables that configure the platform
	// ("DOCSPACE_ENDPOINT", "DOCSPACE_TOKEN"): any of them set configures it
	// even without a block (Configured).
	EnvVars []string
	Block   schema.SingleNestedBlock
	// RateLimit is the platform's default client-side request rate and
	// its source; the provider adds requests_per_second and burst to Block
	// (WithRateLimitAttributes) and hands Configure the result in
	// Options.RateLimit.
	RateLimit RateLimitDefault
	// Configure builds the platform's client from its block (null when
	// absent) and environment variables.
	Configure   func(ctx context.Context, block types.Object, opts Options) (any, diag.Diagnostics)
	Resources   func() []func() resource.Resource
	DataSources func() []func() datasource.DataSource
	// ListResources are the platform's list resources (`terraform query`,
	// Terraform 1.14 and later); nil when it has none.
	ListResources func() []func() list.ListResource
	// Actions are the platform's actions (`action` blocks, Terraform 1.14
	// and later); nil when it has none.
	Actions func() []func() action.Action
}

// Configured reports whether the block is present or an env var is set.
func (p Platform) Configured(block types.Object) bool {
	if !block.IsNull() {
		return true
	}
	for _, e := range p.EnvVars {
		if os.Getenv(e) != "" {
			return true
		}
	}
	return false
}

// ProviderData is handed to every resource and data source.
type ProviderData struct {
	// Guardrails are the provider's rules on removals.
	Guardrails Guardrails

	clients map[string]any
	titles  map[string]string
	envs    map[string][]string
}

// NewProviderData makes an empty ProviderData.
func NewProviderData() *ProviderData {
	return &ProviderData{clients: map[string]any{}, titles: map[string]string{}, envs: map[string][]string{}}
}

// Set records a platform's client (nil when the platform is not configured).
func (d *ProviderData) Set(p Platform, client any) {
	d.clients[p.Name] = client
	d.titles[p.Name] = p.Title
	d.envs[p.Name] = p.EnvVars
}

// ClientFor returns the platform's client for a resource's or data
// source's Configure. It returns ok=false with no error while the provider
// is not configured yet (validation), and an error naming the missing
// block when the platform was not configured.
func ClientFor[T any](providerData any, platform string) (T, bool, diag.Diagnostics) {
	var zero T
	var diags diag.Diagnostics
	if providerData == nil {
		return zero, false, diags
	}
	d, ok := providerData.(*ProviderData)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("Expected *shared.ProviderData, got %T. This is a bug in the provider.", providerData))
		return zero, false, diags
	}
	raw := d.clients[platform]
	if raw == nil {
		title := d.titles[platform]
		if title == "" {
			title = platform
		}
		diags.AddError(title+" is not configured",
			fmt.Sprintf("This configuration uses %s resources, but the membership provider has no %q block.\n\n"+
				"Add one to the provider configuration:\n\n  provider \"membership\" {\n    %s {\n      # endpoint and credentials\n    }\n  }\n\nor set the %s environment variables.",
				title, platform, platform, strings.Join(d.envs[platform], ", ")))
		return zero, false, diags
	}
	c, ok := raw.(T)
	if !ok {
		diags.AddError("Unexpected provider client",
			fmt.Sprintf("Expected a %T for platform %q, got %T. This is a bug in the provider.", zero, platform, raw))
		return zero, false, diags
	}
	return c, true, diags
}

// ConfigureClient is the whole Configure of a resource or data source: it
// stores the platform's client in *client, or adds the error naming the
// missing provider block.
func ConfigureClient[T any](providerData any, platform string, client *T, diags *diag.Diagnostics) {
	c, ok, d := ClientFor[T](providerData, platform)
	diags.Append(d...)
	if ok {
		*client = c
	}
}

// DecodeBlock reads a platform's provider block into model, leaving it
// zero when the block is absent (environment variables then apply). The
// rate limit attributes are the provider's (Options.RateLimit), not in
// model.
func DecodeBlock(ctx context.Context, block types.Object, model any) diag.Diagnostics {
	if block.IsNull() || block.IsUnknown() {
		return nil
	}
	block, diags := withoutRateLimit(block)
	if diags.HasError() {
		return diags
	}
	return block.As(ctx, model, basetypes.ObjectAsOptions{})
}

// StringOrEnv returns the attribute's value when it is set and not empty,
// else the environment variable env when it is not empty, else def.
func StringOrEnv(v types.String, env string, def string) string {
	if !v.IsNull() && !v.IsUnknown() && v.ValueString() != "" {
		return v.ValueString()
	}
	if e := os.Getenv(env); e != "" {
		return e
	}
	return def
}
