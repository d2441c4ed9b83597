package royalti

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

var (
	_ action.ActionWithConfigure      = &resendAction{}
	_ action.ActionWithValidateConfig = &resendAction{}
	_ action.ActionWithModifyPlan     = &resendAction{}
)

// newResendAction is membership_royalti_resend_invitation.
func newResendAction() action.Action { return &resendAction{} }

type resendAction struct{ client *Client }

type resendModel struct {
	Emails      types.Set    `tfsdk:"emails"`
	Message     types.String `tfsdk:"message"`
	RedirectURL types.String `tfsdk:"redirect_url"`
}

func (a *resendAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_royalti_resend_invitation"
}

func (a *resendAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Sends the invitation of the given members of the Royalti.io workspace of the provider's token again " +
			"(`POST /user/invites/{inviteId}/resend`: a fresh activation email with a new activation code), for invitations nobody accepted. " +
			"Terraform 1.14 and later: run it by hand with `terraform apply -invoke=action.membership_royalti_resend_invitation.<name>`, " +
			"or from a resource's `lifecycle { action_trigger { ... } }`.",
		Attributes: map[string]schema.Attribute{
			"emails": shared.ActionEmailsAttribute("Email addresses of the members whose invitation is sent again (any letter case). Each must have a pending invitation (`invite_status = \"invited\"`)."),
			"message": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Custom message of the new email; it replaces the invitation's previous message. Not set: the previous message is kept.",
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 2000)},
			},
			"redirect_url": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Absolute http(s) URL the person is sent to after accepting, overriding the invitation's. Not set: Royalti's default.",
				Validators:          []validator.String{shared.URLValidator()},
			},
		},
	}
}

func (a *resendAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	shared.ConfigureClient(req.ProviderData, Name, &a.client, &resp.Diagnostics)
}

// ValidateConfig refuses the same address given twice.
func (a *resendAction) ValidateConfig(ctx context.Context, req action.ValidateConfigRequest, resp *action.ValidateConfigResponse) {
	var m resendModel
	if resp.Diagnostics.Append(req.Config.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	shared.ActionEmails(ctx, m.Emails, path.Root("emails"), &resp.Diagnostics)
}

// directory is the workspace with its invites, failing when the invites
// listing failed (who is pending is unknown then).
func (a *resendAction) directory(ctx context.Context) (*Directory, error) {
	dir, err := a.client.directory(ctx, "")
	if err == nil && dir.InvitesErr != nil {
		err = dir.InvitesErr
	}
	return dir, err
}

// ModifyPlan refuses, at plan time, the members whose invitation is not
// pending.
func (a *resendAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	if a.client == nil {
		return
	}
	var m resendModel
	if resp.Diagnostics.Append(req.Config.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	emails, _ := shared.ActionEmails(ctx, m.Emails, path.Root("emails"), &resp.Diagnostics)
	if resp.Diagnostics.HasError() || len(emails) == 0 {
		return
	}
	dir, err := a.directory(ctx)
	if err != nil {
		shared.AddError(&resp.Diagnostics, "Could not read the members and invitations of "+workspaceLabel("")+" to plan the re-sending of invitations", err, Name)
		return
	}
	var refused []string
	for _, e := range emails {
		if _, why := resendRefusal(dir, e); why != "" {
			refused = append(refused, why)
		}
	}
	if len(refused) > 0 {
		resp.Diagnostics.AddAttributeError(path.Root("emails"), "Royalti has no pending invitation to send again",
			strings.Join(refused, ".\n")+".\n\nRe-send only pending invitations: the membership_royalti_users data source with pending_older_than lists them.")
	}
}

func (a *resendAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m resendModel
	if resp.Diagnostics.Append(req.Config.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	if a.client == nil {
		resp.Diagnostics.AddError(Title+" is not configured", "Add a royalti block to the provider configuration.")
		return
	}
	emails, _ := shared.ActionEmails(ctx, m.Emails, path.Root("emails"), &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	// who is pending now, not as the run's listing (which may predate the
	// plan) had it
	progress(resp, "Reading the members and invitations of %s", workspaceLabel(""))
	a.client.forgetDirectory()
	dir, err := a.directory(ctx)
	if err != nil {
		shared.AddError(&resp.Diagnostics, "Could not read the members and invitations of "+workspaceLabel(""), err, Name)
		return
	}
	var pending []*User
	var skipped []string
	for _, e := range emails {
		u, why := resendRefusal(dir, e)
		if why != "" {
			skipped = append(skipped, why)
			continue
		}
		pending = append(pending, u)
	}
	if len(skipped) > 0 {
		resp.Diagnostics.AddWarning("Some invitations were not sent again", strings.Join(skipped, ".\n")+
			".\n\nThey were pending when the plan was made; the workspace says otherwise now.")
	}
	sort.Slice(pending, func(i, j int) bool {
		return shared.NormalizeEmail(pending[i].Email) < shared.NormalizeEmail(pending[j].Email)
	})
	body := ResendRequest{Message: m.Message.ValueString(), RedirectURL: m.RedirectURL.ValueString()}
	sent := 0
	for i, u := range pending {
		if ctx.Err() != nil {
			resp.Diagnostics.AddError("Re-sending the Royalti invitations was interrupted",
				fmt.Sprintf("%d of %d invitations were sent again before the run was cancelled.", sent, len(pending)))
			return
		}
		if err := a.client.resendInvite(ctx, u.Invite.ID, body); err != nil {
			shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not re-send the invitation of %s to %s", u.Email, workspaceLabel("")), err, Name)
			continue
		}
		sent++
		progress(resp, "Re-sent the invitation of %s (%d/%d)", u.Email, i+1, len(pending))
	}
}

// progress reports a step of an action to Terraform.
func progress(resp *action.InvokeResponse, format string, args ...any) {
	if resp.SendProgress != nil {
		resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf(format, args...)})
	}
}
