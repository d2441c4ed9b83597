package docspace

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

var (
	_ action.ActionWithConfigure      = &resendAction{}
	_ action.ActionWithValidateConfig = &resendAction{}
	_ action.ActionWithModifyPlan     = &resendAction{}
)

// newResendAction is membership_docspace_resend_invitation.
func newResendAction() action.Action { return &resendAction{} }

type resendAction struct{ client *Client }

type resendModel struct {
	Emails types.Set `tfsdk:"emails"`
}

func (a *resendAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_docspace_resend_invitation"
}

func (a *resendAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Sends the portal invitation of the given people again (`PUT /api/2.0/people/invite` with their user ids and `resendAll = false`), " +
			"for invitations nobody accepted. Terraform 1.14 and later: run it by hand with `terraform apply -invoke=action.membership_docspace_resend_invitation.<name>`, " +
			"or from a resource's `lifecycle { action_trigger { ... } }`.\n\n" +
			"* **Plan** refuses anyone who is not a pending invitee of the portal (one listing of the portal per run): someone who has joined, " +
			"is terminated, or is not on the portal (an invitation created by the same apply needs no re-send). The `membership_docspace_users` data source " +
			"with `pending_older_than` gives the people invited long ago who never joined.\n" +
			"* **Invoke** reads who is pending again (`GET /api/2.0/people/status/Pending` with the emails, 50 a request), re-sends the invitations of those still pending, 100 people a request, and reports its progress. " +
			"Someone who joined since the plan is skipped with a warning. DocSpace's answer lists the people targeted, not the emails it sent: " +
			"it sends nothing to someone who has joined or is disabled, and throttles repeated re-sends. Each re-send issues a new link, which makes the previous one useless.",
		Attributes: map[string]schema.Attribute{
			"emails": shared.ActionEmailsAttribute("Email addresses of the people whose invitation is sent again (any letter case). Each must be a pending invitee of the portal."),
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

// ModifyPlan refuses, at plan time, the people who are not pending
// invitees of the portal.
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
	dir, err := a.client.PlanDirectory(ctx)
	if err != nil {
		shared.AddError(&resp.Diagnostics, "Could not read the people of the ONLYOFFICE DocSpace portal to plan the re-sending of invitations", err, Name)
		return
	}
	var refused []string
	for _, e := range emails {
		if why := resendRefusal(dir, e); why != "" {
			refused = append(refused, why)
		}
	}
	if len(refused) > 0 {
		resp.Diagnostics.AddAttributeError(path.Root("emails"), "ONLYOFFICE DocSpace has no pending invitation to send again",
			strings.Join(refused, ".\n")+".\n\nRe-send only to pending invitees: the membership_docspace_users data source with pending_older_than lists them.")
	}
}

func (a *resendAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m resendModel
	if resp.Diagnostics.Append(req.Config.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	if a.client == nil {
		resp.Diagnostics.AddError(Title+" is not configured", "Add a docspace block to the provider configuration.")
		return
	}
	emails, _ := shared.ActionEmails(ctx, m.Emails, path.Root("emails"), &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	// who is pending now: the pending users with these emails, read afresh
	// (GET people/status/Pending, 50 emails a request), not the run's
	// listing, which may predate the plan
	progress(resp, "Reading the pending invitations of the ONLYOFFICE DocSpace portal %s", a.client.Portal())
	now, err := a.client.PendingUsers(ctx, emails)
	if err != nil {
		shared.AddError(&resp.Diagnostics, "Could not read the pending invitations of the ONLYOFFICE DocSpace portal", err, Name)
		return
	}
	pending, skipped := stillPending(now, emails)
	if len(skipped) > 0 {
		resp.Diagnostics.AddWarning("Some invitations were not sent again", strings.Join(skipped, ".\n")+
			".\n\nThey were pending when the plan was made; the portal says otherwise now.")
	}
	ids, names := make([]string, len(pending)), make([]string, len(pending))
	for i, u := range pending {
		ids[i], names[i] = u.ID, u.Email
	}
	if len(ids) == 0 {
		return
	}
	for start := 0; start < len(ids); start += resendChunk {
		end := min(start+resendChunk, len(ids))
		progress(resp, "Re-sending the invitations of %d of %d people (PUT /api/2.0/people/invite)", end-start, len(ids))
		if _, err := a.client.ResendInvites(ctx, ids[start:end]); err != nil {
			shared.AddError(&resp.Diagnostics, fmt.Sprintf("Could not re-send the ONLYOFFICE DocSpace invitations of %s", strings.Join(names[start:end], ", ")), err, Name)
			return
		}
	}
	progress(resp, "DocSpace accepted the re-sending of the invitations of %s", strings.Join(names, ", "))
}

// progress reports a step of an action to Terraform.
func progress(resp *action.InvokeResponse, format string, args ...any) {
	if resp.SendProgress != nil {
		resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf(format, args...)})
	}
}
