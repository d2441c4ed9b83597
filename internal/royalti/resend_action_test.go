package royalti_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

const resendAction = "membership_royalti_resend_invitation"

// The action at the protocol level (Terraform 1.14 and later): its schema,
// the plan's refusal of members whose invitation is not pending, and an
// invocation that re-sends each pending invitation and reports progress.
func TestResendActionProtocol(t *testing.T) {
	env := acctest.New(t)
	srv := env.ProtocolServer(t, nil)
	ctx := context.Background()
	rt := env.Sandbox.Royalti

	s := srv.ActionSchema(resendAction)
	names := map[string]bool{}
	for _, a := range s.Block.Attributes {
		names[a.Name] = a.Required
	}
	if len(names) != 3 || !names["emails"] || names["message"] || names["redirect_url"] {
		t.Fatalf("schema: %v", names)
	}
	if diags := srv.ValidateAction(ctx, resendAction, map[string]any{"emails": []any{"a@example.com"}, "redirect_url": "ftp://x"}); !acctest.HasError(diags) {
		t.Fatal("a non-http redirect_url was accepted")
	}

	rt.AddUser("ann@example.com", "user", "", "", "invited")
	rt.AddUser("bob@example.com", "user", "", "", "invited")
	rt.AddUser("cancelled@example.com", "user", "", "", "cancelled")
	env.Sandbox.ClearLog()

	if diags := srv.PlanAction(ctx, resendAction, map[string]any{"emails": []any{"Ann@Example.com", "bob@example.com"}}); len(diags) != 0 {
		t.Fatalf("plan of pending invitations: %s", acctest.DiagText(diags))
	}
	diags := srv.PlanAction(ctx, resendAction, map[string]any{"emails": []any{"ann@example.com", sandbox.RoyaltiMemberEmail, "cancelled@example.com", "nobody@example.com", sandbox.RoyaltiOwnerEmail}})
	text := acctest.DiagText(diags)
	for _, want := range []string{sandbox.RoyaltiMemberEmail + " has already joined", "cancelled@example.com's invitation is cancelled", "nobody@example.com is not a member", sandbox.RoyaltiOwnerEmail + " has no invitation"} {
		if !strings.Contains(text, want) {
			t.Errorf("plan: %s, want %q", text, want)
		}
	}
	if strings.Contains(text, "ann@example.com") {
		t.Errorf("plan refused a pending invitation: %s", text)
	}
	for _, r := range env.Sandbox.Requests("royalti") {
		if r.Method != "GET" {
			t.Fatalf("the plan sent %s %s", r.Method, r.Path)
		}
	}

	env.Sandbox.ClearLog()
	progress, diags := srv.InvokeAction(ctx, resendAction, map[string]any{"emails": []any{"ann@example.com", "bob@example.com"}, "message": "Reminder"})
	if len(diags) != 0 {
		t.Fatalf("invoke: %s", acctest.DiagText(diags))
	}
	if len(progress) != 3 || !strings.Contains(progress[1], "ann@example.com (1/2)") || !strings.Contains(progress[2], "bob@example.com (2/2)") {
		t.Fatalf("progress: %q", progress)
	}
	for _, email := range []string{"ann@example.com", "bob@example.com"} {
		if u, _ := rt.User(email); u.Invite.Resent != 1 || u.Invite.Message != "Reminder" {
			t.Errorf("%s: resent %d times, message %q", email, u.Invite.Resent, u.Invite.Message)
		}
	}
	if n := env.Sandbox.Count("royalti", "POST /user/invites/{inviteId}/resend"); n != 2 {
		t.Fatalf("%d resend requests, want 2", n)
	}
	for _, r := range env.Sandbox.Requests("royalti") {
		if r.Method == "POST" {
			var body map[string]any
			if err := json.Unmarshal([]byte(r.Body), &body); err != nil || len(body) != 1 || body["message"] != "Reminder" {
				t.Fatalf("body %s: want only the message", r.Body)
			}
		}
	}

	// joined since the plan: skipped with a warning
	rt.SetInviteStatus("ann@example.com", "joined")
	_, diags = srv.InvokeAction(ctx, resendAction, map[string]any{"emails": []any{"ann@example.com"}})
	if acctest.HasError(diags) || !strings.Contains(acctest.DiagText(diags), "[WARNING] Some invitations were not sent again") {
		t.Fatalf("invoke after joining: %s", acctest.DiagText(diags))
	}
}

// The action in a real Terraform (1.14 and later; skipped below): run by
// a resource's action_trigger, and refused at plan time for a member whose
// invitation is not pending.
func TestAccRoyaltiResendInvitation_actionTrigger(t *testing.T) {
	env := acctest.New(t)
	env.Sandbox.Royalti.AddUser("ann@example.com", "user", "", "", "invited")
	cfg := func(input, email string) string {
		return env.Config(fmt.Sprintf(`
action "membership_royalti_resend_invitation" "reminder" {
  config {
    emails       = [%q]
    redirect_url = "https://app.example.com/welcome"
  }
}

resource "terraform_data" "schedule" {
  input = %q
  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.membership_royalti_resend_invitation.reminder]
    }
  }
}
`, email, input))
	}
	resent := func(want int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			u, _ := env.Sandbox.Royalti.User("ann@example.com")
			if u.Invite.Resent != want || (want > 0 && u.Invite.RedirectURL != "https://app.example.com/welcome") {
				return fmt.Errorf("ann@example.com: %d invitations re-sent (redirect %q), want %d", u.Invite.Resent, u.Invite.RedirectURL, want)
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg("2026-11", "Ann@Example.com"), Check: resent(1)},
			{
				PreConfig: env.Sandbox.ClearLog,
				Config:    cfg("2026-12", "ann@example.com"),
				Check:     resource.ComposeAggregateTestCheckFunc(resent(2), env.ExpectRequests(sandboxPlatform, "POST /user/invites/{inviteId}/resend", 1).Check),
			},
			{
				Config:      cfg("2027-01", sandbox.RoyaltiMemberEmail),
				ExpectError: regexp.MustCompile(`(?s)Failed\s+to\s+plan\s+action.*has\s+already\s+joined`),
			},
		},
	})
}
