// Package provider composes the platform packages into the membership
// provider. Each platform (internal/<platform>) brings its own provider
// block, client, resources and data sources.
package provider

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-membership/terraform-provider-membership/internal/attackforge"
	"github.com/workspace-membership/terraform-provider-membership/internal/docspace"
	"github.com/workspace-membership/terraform-provider-membership/internal/goldleaf"
	"github.com/workspace-membership/terraform-provider-membership/internal/royalti"
	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
	"github.com/workspace-membership/terraform-provider-membership/internal/smartdocumentor"
)

// Platforms are the platforms the provider speaks to, in documentation order.
func Platforms() []shared.Platform {
	return []shared.Platform{
		smartdocumentor.Platform(),
		docspace.Platform(),
		attackforge.Platform(),
		goldleaf.Platform(),
		royalti.Platform(),
	}
}

var (
	_ provider.Provider                   = &membershipProvider{}
	_ provider.ProviderWithListResources  = &membershipProvider{}
	_ provider.ProviderWithActions        = &membershipProvider{}
	_ provider.ProviderWithValidateConfig = &membershipProvider{}
)

type membershipProvider struct {
	version string
}

// New returns the provider factory for a given version.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &membershipProvider{version: version} }
}

func (p *membershipProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "membership"
	resp.Version = p.version
}

func (p *membershipProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	blocks := map[string]schema.Block{}
	for _, pl := range Platforms() {
		blocks[pl.Name] = shared.WithRateLimitAttributes(pl)
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages who is invited to and member of SaaS workspaces: SmartDocumentor, ONLYOFFICE DocSpace, AttackForge, GoldLeaf and Royalti. " +
			"Configure only the blocks of the platforms you use; a resource of a platform whose block is missing fails at plan with an error naming the block.",
		Attributes: map[string]schema.Attribute{
			"max_retries": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: "How many times a request is retried after HTTP 429, 502, 503, 504 or a connection error, waiting as `Retry-After` says or with exponential backoff. Default `4`.",
				Validators:          []validator.Int64{int64validator.Between(0, 20)},
			},
			"request_timeout": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Timeout of one HTTP request attempt, as a Go duration string (`\"30s\"`, `\"2m\"`). Default `\"30s\"`.",
				Validators:          []validator.String{shared.DurationValidator()},
			},
			"max_removals": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("The most people one plan of one authoritative resource may remove, unless the resource sets its own `max_removals`: "+
					"a plan that removes more fails at plan time, listing them. Also from `MEMBERSHIP_MAX_REMOVALS`. Default `%d`.", shared.DefaultMaxRemovals),
				Validators: []validator.Int64{int64validator.Between(0, 1_000_000)},
			},
			"protected_members": schema.ListAttribute{
				Optional:    true,
				ElementType: types.StringType,
				MarkdownDescription: "Email addresses, or patterns of them (`*`, `?` and `[...]`, compared without regard to letter case, such as `\"*@admins.example.com\"`), " +
					"of people the provider never removes: a plan that would remove one fails at plan time (destroying a resource leaves them, with a warning at plan). " +
					"Also from `MEMBERSHIP_PROTECTED_MEMBERS` (comma-separated). The portal or workspace owner, the provider's own account and the last administrator are always protected.",
				Validators: []validator.List{listvalidator.ValueStringsAre(shared.ProtectedPatternValidator())},
			},
		},
		Blocks: blocks,
	}
}

// ValidateConfig checks every platform's endpoint at plan time: no user
// info (user:password@) in it, and a warning for plain http:// to another
// machine (shared.CheckEndpoint).
func (p *membershipProvider) ValidateConfig(ctx context.Context, req provider.ValidateConfigRequest, resp *provider.ValidateConfigResponse) {
	for _, pl := range Platforms() {
		at := path.Root(pl.Name).AtName("endpoint")
		var endpoint types.String
		if diags := req.Config.GetAttribute(ctx, at, &endpoint); diags.HasError() {
			continue // no such attribute in this block
		}
		vresp := &validator.StringResponse{}
		shared.EndpointValidator().ValidateString(ctx, validator.StringRequest{Path: at, ConfigValue: endpoint}, vresp)
		resp.Diagnostics.Append(vresp.Diagnostics...)
	}
}

// endpointFromEnv checks an endpoint that comes from the environment
// (<PLATFORM>_ENDPOINT, the block setting none), which ValidateConfig
// cannot see: a warning for plain http:// to another machine. Errors are
// left to the platform's Configure, which refuses such an endpoint.
func endpointFromEnv(ctx context.Context, pl shared.Platform, config tfsdk.Config, diags *diag.Diagnostics) {
	var endpoint types.String
	if d := config.GetAttribute(ctx, path.Root(pl.Name).AtName("endpoint"), &endpoint); d.HasError() || !endpoint.IsNull() {
		return
	}
	for _, env := range pl.EnvVars {
		if !strings.HasSuffix(env, "_ENDPOINT") || os.Getenv(env) == "" {
			continue
		}
		if _, warning, err := shared.CheckEndpoint(os.Getenv(env)); err == nil && warning != "" {
			diags.AddWarning("Unencrypted endpoint", env+": "+warning)
		}
	}
}

func (p *membershipProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var maxRetries types.Int64
	var timeout types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("max_retries"), &maxRetries)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("request_timeout"), &timeout)...)
	guard := guardrails(ctx, req.Config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	opts := shared.DefaultOptions()
	opts.UserAgent = shared.UserAgent(p.version, req.TerraformVersion)
	if !maxRetries.IsNull() && !maxRetries.IsUnknown() {
		opts.MaxRetries = int(maxRetries.ValueInt64())
	}
	if !timeout.IsNull() && !timeout.IsUnknown() {
		d, err := time.ParseDuration(timeout.ValueString())
		if err != nil || d <= 0 {
			resp.Diagnostics.AddAttributeError(path.Root("request_timeout"), "Invalid request_timeout",
				fmt.Sprintf("%q is not a positive duration such as \"30s\".", timeout.ValueString()))
			return
		}
		opts.RequestTimeout = d
	}
	data := shared.NewProviderData()
	data.Guardrails = guard
	for _, pl := range Platforms() {
		var block types.Object
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(pl.Name), &block)...)
		if resp.Diagnostics.HasError() {
			return
		}
		if !pl.Configured(block) {
			data.Set(pl, nil)
			continue
		}
		endpointFromEnv(ctx, pl, req.Config, &resp.Diagnostics)
		popts := opts
		limit, diags := shared.ResolveRateLimit(ctx, pl, block)
		resp.Diagnostics.Append(diags...)
		if diags.HasError() {
			continue
		}
		popts.RateLimit = limit
		client, diags := pl.Configure(ctx, block, popts)
		resp.Diagnostics.Append(diags...)
		if diags.HasError() {
			continue
		}
		data.Set(pl, client)
	}
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ListResourceData = data
	resp.ActionData = data
}

// guardrails reads max_removals and protected_members, else
// MEMBERSHIP_MAX_REMOVALS and MEMBERSHIP_PROTECTED_MEMBERS.
func guardrails(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) shared.Guardrails {
	var limit types.Int64
	var protected types.List
	diags.Append(config.GetAttribute(ctx, path.Root("max_removals"), &limit)...)
	diags.Append(config.GetAttribute(ctx, path.Root("protected_members"), &protected)...)
	var g shared.Guardrails
	switch {
	case !limit.IsNull() && !limit.IsUnknown():
		g.MaxRemovals = shared.Int64Ptr(limit)
	case os.Getenv("MEMBERSHIP_MAX_REMOVALS") != "":
		n, err := strconv.ParseInt(strings.TrimSpace(os.Getenv("MEMBERSHIP_MAX_REMOVALS")), 10, 64)
		if err != nil || n < 0 {
			diags.AddError("Invalid MEMBERSHIP_MAX_REMOVALS", fmt.Sprintf("MEMBERSHIP_MAX_REMOVALS must be a whole number of people, 0 or more; got %q.", os.Getenv("MEMBERSHIP_MAX_REMOVALS")))
			return g
		}
		g.MaxRemovals = &n
	}
	if !protected.IsNull() && !protected.IsUnknown() {
		diags.Append(protected.ElementsAs(ctx, &g.Protected, false)...)
	} else if env := os.Getenv("MEMBERSHIP_PROTECTED_MEMBERS"); env != "" {
		for _, p := range strings.Split(env, ",") {
			if p = strings.TrimSpace(p); p == "" {
				continue
			}
			if why := shared.ProtectedPatternError(p); why != "" {
				diags.AddError("Invalid MEMBERSHIP_PROTECTED_MEMBERS", fmt.Sprintf("%q %s.", p, why))
				continue
			}
			g.Protected = append(g.Protected, p)
		}
	}
	return g
}

func (p *membershipProvider) Resources(context.Context) []func() resource.Resource {
	var out []func() resource.Resource
	for _, pl := range Platforms() {
		if pl.Resources != nil {
			out = append(out, pl.Resources()...)
		}
	}
	return out
}

func (p *membershipProvider) DataSources(context.Context) []func() datasource.DataSource {
	var out []func() datasource.DataSource
	for _, pl := range Platforms() {
		if pl.DataSources != nil {
			out = append(out, pl.DataSources()...)
		}
	}
	return out
}

// Actions are the platforms' actions (Terraform 1.14 and later: `action`
// blocks, run by `terraform apply -invoke` or a resource's action_trigger).
func (p *membershipProvider) Actions(context.Context) []func() action.Action {
	var out []func() action.Action
	for _, pl := range Platforms() {
		if pl.Actions != nil {
			out = append(out, pl.Actions()...)
		}
	}
	return out
}

func (p *membershipProvider) ListResources(context.Context) []func() list.ListResource {
	var out []func() list.ListResource
	for _, pl := range Platforms() {
		if pl.ListResources != nil {
			out = append(out, pl.ListResources()...)
		}
	}
	return out
}
