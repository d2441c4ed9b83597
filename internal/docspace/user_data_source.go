package docspace

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// newUserDataSource is membership_docspace_user.
func newUserDataSource() datasource.DataSource { return &userDataSource{} }

type userDataSource struct{ client *Client }

type userDSModel struct {
	Email            shared.Email `tfsdk:"email"`
	ID               types.String `tfsdk:"id"`
	DisplayName      types.String `tfsdk:"display_name"`
	FirstName        types.String `tfsdk:"first_name"`
	LastName         types.String `tfsdk:"last_name"`
	Type             types.String `tfsdk:"type"`
	ActivationStatus types.String `tfsdk:"activation_status"`
	Status           types.String `tfsdk:"status"`
	InvitedAt        types.String `tfsdk:"invited_at"`
	Pending          types.Bool   `tfsdk:"pending"`
}

func (d *userDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_docspace_user"
}

func (d *userDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one ONLYOFFICE DocSpace portal user by email (`GET /api/2.0/people/email`). Fails when the portal has no such user.",
		Attributes: map[string]schema.Attribute{
			"email": schema.StringAttribute{
				CustomType: shared.EmailType{}, Required: true,
				MarkdownDescription: "Email address of the user (any letter case).",
				Validators:          []validator.String{shared.EmailValidator()},
			},
			"id":                computedStr("The user's id (a uuid)."),
			"display_name":      computedStr("Display name."),
			"first_name":        computedStr("First name (empty until the person joins)."),
			"last_name":         computedStr("Last name (empty until the person joins)."),
			"type":              computedStr(userTypeDoc),
			"activation_status": computedStr(activationDoc),
			"status":            computedStr(statusDoc),
			"invited_at":        computedStr(invitedAtDoc),
			"pending":           schema.BoolAttribute{Computed: true, MarkdownDescription: pendingDoc},
		},
	}
}

func (d *userDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	shared.ConfigureClient(req.ProviderData, Name, &d.client, &resp.Diagnostics)
}

func (d *userDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m userDSModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	u, err := d.client.GetUserByEmail(ctx, m.Email.ValueString())
	if err != nil {
		if shared.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(pathEmail, "No such ONLYOFFICE DocSpace user",
				fmt.Sprintf("The ONLYOFFICE DocSpace portal has no user with email %s.", m.Email.ValueString()))
			return
		}
		shared.AddError(&resp.Diagnostics, "Could not look up ONLYOFFICE DocSpace user "+m.Email.ValueString(), err, Name)
		return
	}
	m.fill(&u)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (m *userDSModel) fill(u *User) {
	m.ID = types.StringValue(u.ID)
	m.DisplayName = types.StringValue(u.DisplayName)
	m.FirstName = types.StringValue(u.FirstName)
	m.LastName = types.StringValue(u.LastName)
	m.Type = types.StringValue(u.Type())
	m.ActivationStatus = types.StringValue(ActivationWord(u.ActivationStatus))
	m.Status = types.StringValue(StatusWord(u.Status))
	m.InvitedAt = shared.TimestampValue(u.InvitedAt())
	m.Pending = types.BoolValue(u.InvitePending())
}

var pathEmail = path.Root("email")
