// Package docspace manages ONLYOFFICE DocSpace invitations and user types:
// its provider block, API client, resources and data sources.
package docspace

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

const (
	// Name is the provider block name and resource prefix.
	Name = "docspace"
	// Title is the platform's display name.
	Title = "ONLYOFFICE DocSpace"
)

// Platform describes DocSpace to the provider.
func Platform() shared.Platform {
	return shared.Platform{
		Name:      Name,
		Title:     Title,
		EnvVars:   []string{"DOCSPACE_ENDPOINT", "DOCSPACE_TOKEN", "DOCSPACE_AUTH_KEY"},
		RateLimit: rateLimit,
		Block: schema.SingleNestedBlock{
			MarkdownDescription: "ONLYOFFICE DocSpace portal connection. Set exactly one of `token` (sent in the `Authorization` header) and `auth_key` (sent as the `asc_auth_key` cookie).",
			Attributes: map[string]schema.Attribute{
				"endpoint": schema.StringAttribute{Optional: true, MarkdownDescription: "Portal URL such as `https://yourportal.onlyoffice.com` (required), or `DOCSPACE_ENDPOINT`."},
				"token":    schema.StringAttribute{Optional: true, Sensitive: true, MarkdownDescription: "API key or bearer token, or `DOCSPACE_TOKEN`. Sent as `Authorization: Bearer <token>` (a value that already names a scheme, such as `Basic ...`, is sent as is)."},
				"auth_key": schema.StringAttribute{Optional: true, Sensitive: true, MarkdownDescription: "Authentication key sent as the `asc_auth_key` cookie, or `DOCSPACE_AUTH_KEY`."},
				"data_successor": schema.StringAttribute{
					Optional: true,
					MarkdownDescription: "Email of an active `RoomAdmin` or `DocSpaceAdmin` who receives the rooms and shared files of the people the provider removes, " +
						"when their resource names no `data_successor` of its own; or `DOCSPACE_DATA_SUCCESSOR`. DocSpace drops what a deleted user owns: " +
						"without a successor, removing someone who owns data is refused at plan time. Checked when it is needed (a removal of someone who owns data).",
					Validators: []validator.String{shared.EmailValidator()},
				},
				"reassign_timeout": schema.StringAttribute{
					Optional: true,
					MarkdownDescription: "How long a removal waits for DocSpace to reassign the removed person's data (polling `GET /api/2.0/people/reassign/progress/{userid}`), " +
						"as a Go duration string. Default `\"30m\"`. A removal that outlasts it fails without deleting the profile, and the next apply resumes it.",
					Validators: []validator.String{shared.DurationValidator()},
				},
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
	Endpoint        types.String `tfsdk:"endpoint"`
	Token           types.String `tfsdk:"token"`
	AuthKey         types.String `tfsdk:"auth_key"`
	DataSuccessor   types.String `tfsdk:"data_successor"`
	ReassignTimeout types.String `tfsdk:"reassign_timeout"`
}

func configure(ctx context.Context, block types.Object, opts shared.Options) (any, diag.Diagnostics) {
	var diags diag.Diagnostics
	var m providerModel
	if diags.Append(shared.DecodeBlock(ctx, block, &m)...); diags.HasError() {
		return nil, diags
	}
	cfg := Config{
		Endpoint: shared.StringOrEnv(m.Endpoint, "DOCSPACE_ENDPOINT", ""),
		Token:    shared.StringOrEnv(m.Token, "DOCSPACE_TOKEN", ""),
		AuthKey:  shared.StringOrEnv(m.AuthKey, "DOCSPACE_AUTH_KEY", ""),
	}
	at := path.Root(Name)
	if s := shared.StringOrEnv(m.DataSuccessor, "DOCSPACE_DATA_SUCCESSOR", ""); s != "" {
		if why := shared.ValidateEmail(s); why != "" {
			diags.AddAttributeError(at.AtName("data_successor"), "Invalid ONLYOFFICE DocSpace data successor",
				fmt.Sprintf("data_successor (or DOCSPACE_DATA_SUCCESSOR) must be the email of an active RoomAdmin or DocSpaceAdmin: %q %s.", s, why))
		}
		cfg.DataSuccessor = s
	}
	if t := m.ReassignTimeout.ValueString(); t != "" {
		d, err := time.ParseDuration(t)
		if err != nil || d <= 0 {
			diags.AddAttributeError(at.AtName("reassign_timeout"), "Invalid reassign_timeout", fmt.Sprintf("%q is not a positive duration such as \"30m\".", t))
		}
		cfg.ReassignTimeout = d
	}
	if cfg.Endpoint == "" {
		diags.AddAttributeError(at.AtName("endpoint"), "Missing ONLYOFFICE DocSpace endpoint",
			"The docspace block needs endpoint, your portal's URL such as https://yourportal.onlyoffice.com (or DOCSPACE_ENDPOINT).")
	}
	if (cfg.Token == "") == (cfg.AuthKey == "") {
		diags.AddAttributeError(at, "ONLYOFFICE DocSpace needs exactly one credential",
			"Set exactly one of token (DOCSPACE_TOKEN) and auth_key (DOCSPACE_AUTH_KEY) in the docspace block.")
	}
	if diags.HasError() {
		return nil, diags
	}
	c, err := NewClient(cfg, opts)
	if err != nil {
		diags.AddAttributeError(at.AtName("endpoint"), "Invalid ONLYOFFICE DocSpace endpoint", err.Error())
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

func actions() []func() action.Action {
	return []func() action.Action{newResendAction}
}

func dataSources() []func() datasource.DataSource {
	return []func() datasource.DataSource{newUserDataSource, newUsersDataSource}
}

// rateLimit keeps within the published limit, 500 requests per 10 seconds
// from one IP address with one account (then 503 with Retry-After; see
// API-NOTES.md): a token bucket of 45 a second holding 45 sends at most
// 45 + 10 × 45 = 495 in any 10 seconds. At 50 a second any burst at all
// could pass 500.
var rateLimit = shared.RateLimitDefault{
	RateLimit: shared.RateLimit{RequestsPerSecond: 45, Burst: 45},
	Source: "the portal allows 500 requests per 10 seconds from one IP address with one account, " +
		"and 45 a second with a burst of 45 sends at most 495 in any 10 seconds. " +
		"Lower it when other tools use the same account from the same address.",
}
