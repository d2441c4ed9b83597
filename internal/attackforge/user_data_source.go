package attackforge

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

var (
	_ datasource.DataSource              = &userDataSource{}
	_ datasource.DataSourceWithConfigure = &userDataSource{}
)

func newUserDataSource() datasource.DataSource { return &userDataSource{} }

type userDataSource struct{ client *Client }

type userModel struct {
	ID        types.String `tfsdk:"id"`
	Email     shared.Email `tfsdk:"email"`
	Username  types.String `tfsdk:"username"`
	FirstName types.String `tfsdk:"first_name"`
	LastName  types.String `tfsdk:"last_name"`
	Role      types.String `tfsdk:"role"`
	Status    types.String `tfsdk:"status"`
}

func (d *userDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_attackforge_user"
}

func (d *userDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up an existing AttackForge user by email address (`GET /api/ss/users/email/:email`) or by username " +
			"(`GET /api/ss/users/username/:username`), for example to use its `id` as the `user` of a project team member. " +
			"Fails when no user matches.",
		Attributes: map[string]schema.Attribute{
			"email": schema.StringAttribute{
				CustomType:          shared.EmailType{},
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "Email address to look up (case-insensitive). Exactly one of `email` and `username` is required.",
				Validators: []validator.String{
					shared.EmailValidator(),
					stringvalidator.ExactlyOneOf(path.MatchRoot("email"), path.MatchRoot("username")),
				},
			},
			"username": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "Username to look up. Exactly one of `email` and `username` is required.",
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 254), stringvalidator.NoneOf("")},
			},
			"id":         schema.StringAttribute{Computed: true, MarkdownDescription: "AttackForge id of the user (24 hexadecimal characters)."},
			"first_name": schema.StringAttribute{Computed: true, MarkdownDescription: "First name."},
			"last_name":  schema.StringAttribute{Computed: true, MarkdownDescription: "Last name."},
			"role":       schema.StringAttribute{Computed: true, MarkdownDescription: "AttackForge role of the user (such as `admin`, `consultant`, `client`)."},
			"status":     schema.StringAttribute{Computed: true, MarkdownDescription: "Account status as AttackForge reports it."},
		},
	}
}

func (d *userDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	shared.ConfigureClient(req.ProviderData, Name, &d.client, &resp.Diagnostics)
}

func (d *userDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg userModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var (
		u    User
		err  error
		what string
	)
	if !cfg.Email.IsNull() {
		what = "email " + cfg.Email.ValueString()
		u, err = d.client.UserByEmail(ctx, cfg.Email.ValueString())
	} else {
		what = "username " + cfg.Username.ValueString()
		u, err = d.client.UserByUsername(ctx, cfg.Username.ValueString())
	}
	if errors.Is(err, shared.ErrNotFound) {
		resp.Diagnostics.AddError("No AttackForge user with "+what,
			fmt.Sprintf("%s answered 404: no user has this %s. Check the spelling, or create the user in AttackForge first.", Title, what))
		return
	}
	if err != nil {
		shared.AddError(&resp.Diagnostics, "Could not look up the AttackForge user with "+what, err, Name)
		return
	}
	out := cfg
	out.fill(u)
	resp.Diagnostics.Append(resp.State.Set(ctx, out)...)
}
