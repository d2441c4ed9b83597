package docspace

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// newUsersDataSource is membership_docspace_users.
func newUsersDataSource() datasource.DataSource { return &usersDataSource{} }

type usersDataSource struct{ client *Client }

type usersDSModel struct {
	ManageableOnly   types.Bool    `tfsdk:"manageable_only"`
	ActivationStatus types.String  `tfsdk:"activation_status"`
	Type             types.String  `tfsdk:"type"`
	PendingOlderThan types.String  `tfsdk:"pending_older_than"`
	Users            []usersDSUser `tfsdk:"users"`
}

type usersDSUser struct {
	ID               types.String `tfsdk:"id"`
	Email            types.String `tfsdk:"email"`
	DisplayName      types.String `tfsdk:"display_name"`
	Type             types.String `tfsdk:"type"`
	ActivationStatus types.String `tfsdk:"activation_status"`
	Status           types.String `tfsdk:"status"`
	InvitedAt        types.String `tfsdk:"invited_at"`
	Pending          types.Bool   `tfsdk:"pending"`
}

func (d *usersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_docspace_users"
}

func (d *usersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the users of an ONLYOFFICE DocSpace portal, reading every page of `GET /api/2.0/people/filter` " +
			"(" + fmt.Sprint(PageSize) + " per page), optionally filtered by activation status and type. Terminated users are listed too, with `status = \"terminated\"`.",
		Attributes: map[string]schema.Attribute{
			"manageable_only": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Only people a `membership_docspace_invitation` can manage, for onboarding (see the onboarding guide): " + manageableDoc +
					" Costs one `GET /api/2.0/people/@self`. Default `false`.",
			},
			"activation_status": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only users with this activation status: `pending`, `activated`, `not_activated` or `auto_generated`.",
				Validators:          []validator.String{stringvalidator.OneOf(ActivationStatuses...)},
			},
			"type": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only users of this type: `User`, `RoomAdmin`, `DocSpaceAdmin` or `Guest` " +
					"(DocSpace lists the owner among DocSpace admins).",
				Validators: []validator.String{typeValidator()},
			},
			"pending_older_than": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: shared.PendingOlderThanDoc + " DocSpace reports the date (`registrationDate`) only to DocSpace admins and the owner.",
				Validators:          []validator.String{shared.DurationValidator()},
			},
			"users": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The matching users, in the portal's order.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":                computedStr("The user's id (a uuid)."),
					"email":             computedStr("Email address."),
					"display_name":      computedStr("Display name."),
					"type":              computedStr(userTypeDoc),
					"activation_status": computedStr(activationDoc),
					"status":            computedStr(statusDoc),
					"invited_at":        computedStr(invitedAtDoc),
					"pending":           schema.BoolAttribute{Computed: true, MarkdownDescription: pendingDoc},
				}},
			},
		},
	}
}

func (d *usersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	shared.ConfigureClient(req.ProviderData, Name, &d.client, &resp.Diagnostics)
}

func (d *usersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m usersDSModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	stale, err := shared.NewPendingFilter(m.PendingOlderThan, time.Now())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("pending_older_than"), "Invalid pending_older_than", err.Error())
		return
	}
	f := filterOf(m.ActivationStatus.ValueString(), m.Type.ValueString())
	var us []User
	if f.ActivationStatus == anyActivation && f.EmployeeType == "" {
		// the whole portal: the listing shared with the Reads and imports
		// of this run (an onboarding plan reads it once)
		var dir Directory
		dir, err = d.client.Directory(ctx)
		us = dir.All
	} else {
		us, err = d.client.ListUsers(ctx, f)
	}
	var caller User
	if err == nil && m.ManageableOnly.ValueBool() {
		caller, err = d.client.Caller(ctx)
	}
	if err != nil {
		shared.AddError(&resp.Diagnostics, "Could not list the users of the ONLYOFFICE DocSpace portal", err, Name)
		return
	}
	m.Users = make([]usersDSUser, 0, len(us))
	for i := range us {
		if (m.ManageableOnly.ValueBool() && !Manageable(us[i], caller)) || !stale.Keep(us[i].InvitePending(), us[i].InvitedAt()) {
			continue
		}
		var e usersDSUser
		e.fill(&us[i])
		m.Users = append(m.Users, e)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (m *usersDSUser) fill(u *User) {
	m.ID, m.Email, m.DisplayName = types.StringValue(u.ID), types.StringValue(u.Email), types.StringValue(u.DisplayName)
	m.Type = types.StringValue(u.Type())
	m.ActivationStatus = types.StringValue(ActivationWord(u.ActivationStatus))
	m.Status = types.StringValue(StatusWord(u.Status))
	m.InvitedAt = shared.TimestampValue(u.InvitedAt())
	m.Pending = types.BoolValue(u.InvitePending())
}
