package docspace_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

const resendAction = "membership_docspace_resend_invitation"

// The action at the protocol level (Terraform 1.14 and later): its schema,
// validation, the plan's refusal of people who are not pending, and an
// invocation that re-sends in one request and reports its progress.
func TestResendActionProtocol(t *testing.T) {
	env := acctest.New(t)
	srv := env.ProtocolServer(t, nil)
	ctx := context.Background()
	ds := env.Sandbox.DocSpace

	s := srv.ActionSchema(resendAction)
	if len(s.Block.Attributes) != 1 || s.Block.Attributes[0].Name != "emails" || !s.Block.Attributes[0].Required ||
		!s.Block.Attributes[0].Type.Equal(tftypes.Set{ElementType: tftypes.String}) {
		t.Fatalf("schema: %+v", s.Block.Attributes)
	}

	// validation: bad and duplicate addresses, an empty set
	for cfg, want := range map[string]string{
		"not-an-email":                      "email",
		"jane@example.com,JANE@example.com": "Duplicate email",
		"":                                  "at least 1",
	} {
		var emails []any
		for _, e := range strings.Split(cfg, ",") {
			if e != "" {
				emails = append(emails, e)
			}
		}
		if emails == nil {
			emails = []any{}
		}
		diags := srv.ValidateAction(ctx, resendAction, map[string]any{"emails": emails})
		if !acctest.HasError(diags) || !strings.Contains(acctest.DiagText(diags), want) {
			t.Errorf("%q: %s, want an error with %q", cfg, acctest.DiagText(diags), want)
		}
	}

	ds.AddUser("pending@example.com", "User", sandbox.DSActivationPending)
	ds.AddUser("gone@example.com", "User", sandbox.DSActivationPending)
	ds.Terminate("gone@example.com")
	env.Sandbox.ClearLog()

	// plan: only pending invitees pass, whatever the letter case
	if diags := srv.PlanAction(ctx, resendAction, map[string]any{"emails": []any{"Pending@Example.com", sandbox.DocSpaceGuestEmail}}); len(diags) != 0 {
		t.Fatalf("plan of pending invitees: %s", acctest.DiagText(diags))
	}
	diags := srv.PlanAction(ctx, resendAction, map[string]any{"emails": []any{"pending@example.com", sandbox.DocSpaceUserEmail, "gone@example.com", "nobody@example.com"}})
	text := acctest.DiagText(diags)
	for _, want := range []string{sandbox.DocSpaceUserEmail + " has already joined", "gone@example.com is terminated", "nobody@example.com is not on the portal"} {
		if !strings.Contains(text, want) {
			t.Errorf("plan: %s, want %q", text, want)
		}
	}
	if strings.Contains(text, "pending@example.com") {
		t.Errorf("plan refused a pending invitee: %s", text)
	}
	for _, r := range env.Sandbox.Requests("docspace") {
		if r.Method != "GET" {
			t.Fatalf("the plan sent %s %s", r.Method, r.Path)
		}
	}

	// invoke: one PUT people/invite for both, progress reported
	env.Sandbox.ClearLog()
	progress, diags := srv.InvokeAction(ctx, resendAction, map[string]any{"emails": []any{"pending@example.com", sandbox.DocSpaceGuestEmail}})
	if acctest.HasError(diags) || len(diags) != 0 {
		t.Fatalf("invoke: %s", acctest.DiagText(diags))
	}
	if len(progress) < 2 || !strings.Contains(progress[len(progress)-1], "pending@example.com") || !strings.Contains(progress[len(progress)-1], sandbox.DocSpaceGuestEmail) {
		t.Fatalf("progress: %q", progress)
	}
	for _, email := range []string{"pending@example.com", sandbox.DocSpaceGuestEmail} {
		if u, _ := ds.User(email); u.Resent != 1 {
			t.Errorf("%s: %d invitations re-sent, want 1", email, u.Resent)
		}
	}
	if n := env.Sandbox.Count("docspace", "PUT /api/2.0/people/invite"); n != 1 {
		t.Fatalf("%d PUT people/invite, want 1", n)
	}
	for _, r := range env.Sandbox.Requests("docspace") {
		if r.Method == "PUT" {
			var body struct {
				UserIDs   []string `json:"userIds"`
				ResendAll bool     `json:"resendAll"`
			}
			if err := json.Unmarshal([]byte(r.Body), &body); err != nil || len(body.UserIDs) != 2 || body.ResendAll {
				t.Fatalf("body %s", r.Body)
			}
		}
	}

	// someone who joined since the plan is skipped, with a warning
	ds.Activate("pending@example.com", "P", "Q")
	env.Sandbox.ClearLog()
	_, diags = srv.InvokeAction(ctx, resendAction, map[string]any{"emails": []any{"pending@example.com"}})
	if acctest.HasError(diags) || !strings.Contains(acctest.DiagText(diags), "[WARNING] Some invitations were not sent again") {
		t.Fatalf("invoke after joining: %s", acctest.DiagText(diags))
	}
	if n := env.Sandbox.Count("docspace", "PUT /api/2.0/people/invite"); n != 0 {
		t.Fatalf("%d PUT people/invite for nobody pending", n)
	}
}

// The action in a real Terraform (1.14 and later; skipped below): run by
// a resource's action_trigger after its creation and after an update, and
// refused at plan time for someone who is not a pending invitee.
func TestAccDocSpaceResendInvitation_actionTrigger(t *testing.T) {
	env := acctest.New(t)
	env.Sandbox.DocSpace.AddUser("pending@example.com", "User", sandbox.DSActivationPending)
	cfg := func(input, email string) string {
		return env.Config(fmt.Sprintf(`
action "membership_docspace_resend_invitation" "reminder" {
  config {
    emails = [%q]
  }
}

resource "terraform_data" "schedule" {
  input = %q
  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.membership_docspace_resend_invitation.reminder]
    }
  }
}
`, email, input))
	}
	resent := func(want int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if u, _ := env.Sandbox.DocSpace.User("pending@example.com"); u.Resent != want {
				return fmt.Errorf("pending@example.com: %d invitations re-sent, want %d", u.Resent, want)
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg("2026-11", "Pending@Example.com"), Check: resent(1)},
			{
				PreConfig: env.Sandbox.ClearLog,
				Config:    cfg("2026-12", "pending@example.com"),
				Check:     resource.ComposeAggregateTestCheckFunc(resent(2), env.ExpectRequests("docspace", "PUT /api/2.0/people/invite", 1).Check),
			},
			{
				Config:      cfg("2027-01", sandbox.DocSpaceUserEmail),
				ExpectError: regexp.MustCompile(`(?s)Failed\s+to\s+plan\s+action.*no\s+pending\s+invitation.*user@docspace.example\s+has\s+already\s+joined`),
			},
		},
	})
}
