package royalti_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

const invAddr = "membership_royalti_workspace_invitation.jane"

func invitationHCL(email, extra string) string {
	return fmt.Sprintf(`
resource "membership_royalti_workspace_invitation" "jane" {
  email = %q
%s
}
`, email, extra)
}

// sandboxUser checks the sandbox holds the email with the given role and
// invite status.
func sandboxUser(env *acctest.Env, email, role, first, last, status string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		u, ok := env.Sandbox.Royalti.User(email)
		if !ok {
			return fmt.Errorf("sandbox has no tenant user %s", email)
		}
		got := u.Role + "|" + u.FirstName + "|" + u.LastName + "|"
		if u.Invite != nil {
			got += u.Invite.Status
		}
		if want := role + "|" + first + "|" + last + "|" + status; got != want {
			return fmt.Errorf("sandbox user %s is %q, want %q", email, got, want)
		}
		return nil
	}
}

// wrapRe matches text terraform may have wrapped: spaces match any
// whitespace.
func wrapRe(s string) *regexp.Regexp {
	return regexp.MustCompile("(?s)" + strings.ReplaceAll(s, " ", `\s+`))
}

// sandboxPlatform is Royalti in the sandbox's request log.
const sandboxPlatform = "royalti"

// checkGone checks that none of emails has a tenant user any more, and
// that the owner still has one.
func checkGone(env *acctest.Env, emails ...string) resource.TestCheckFunc {
	hasUser := func(email string) bool { _, ok := env.Sandbox.Royalti.User(email); return ok }
	return resource.ComposeTestCheckFunc(
		acctest.ExpectGone("the Royalti workspace", hasUser, emails...).Check,
		func(*terraform.State) error {
			if !hasUser(sandbox.RoyaltiOwnerEmail) {
				return fmt.Errorf("the owner was removed")
			}
			return nil
		})
}

func TestAccRoyaltiInvitation_lifecycle(t *testing.T) {
	env := acctest.New(t)
	full := `
  role         = "admin"
  first_name   = "Jane"
  last_name    = "Doe"
  message      = "Welcome aboard"
  redirect_url = "https://app.example.com/welcome"
`
	// the tenant user keeps its id through in-place changes
	sameID := statecheck.CompareValue(compare.ValuesSame())
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkGone(env, "jane@example.com"),
		Steps: []resource.TestStep{
			{
				Config: env.Config(invitationHCL("Jane@Example.com", full)),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(invAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f-]{36}$`))),
					statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("email"), knownvalue.StringExact("Jane@Example.com")),
					statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("role"), knownvalue.StringExact("admin")),
					statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("first_name"), knownvalue.StringExact("Jane")),
					statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("last_name"), knownvalue.StringExact("Doe")),
					statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("send_email"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("invite_status"), knownvalue.StringExact("invited")),
					statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("workspace_id"), knownvalue.Null()),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					sandboxUser(env, "jane@example.com", "admin", "Jane", "Doe", "invited"),
					env.ExpectRequests(sandboxPlatform, "POST /auth/invite", 1).Check,
					func(*terraform.State) error {
						reqs := env.Sandbox.Requests("royalti")
						for _, r := range reqs {
							if r.Route == "POST /auth/invite" {
								want := `{"email":"Jane@Example.com","sendEmail":true,"message":"Welcome aboard","redirectUrl":"https://app.example.com/welcome",` +
									`"redirect_url":"https://app.example.com/welcome","role":"admin","firstName":"Jane","lastName":"Doe"}`
								if r.Body != want {
									return fmt.Errorf("invite body %s, want %s", r.Body, want)
								}
								if r.Query != "" {
									return fmt.Errorf("invite query %q, want none", r.Query)
								}
							}
						}
						return nil
					},
				),
			},
			// invited_at is unknown right after the invitation (the read-back
			// lists users without their invites): the import reads it
			{
				ResourceName:            invAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"message", "redirect_url", "invited_at"},
			},
			{
				ResourceName:            invAddr,
				ImportState:             true,
				ImportStateId:           "Jane@Example.com",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"message", "redirect_url", "invited_at"},
			},
			// role and names in place
			{
				PreConfig: env.Sandbox.ClearLog,
				Config: env.Config(invitationHCL("Jane@Example.com", `
  role         = "user"
  first_name   = "Janet"
  last_name    = "Doe"
  message      = "Welcome aboard"
  redirect_url = "https://app.example.com/welcome"
`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(invAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("role"), knownvalue.StringExact("user")),
					sameID.AddStateValue(invAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("first_name"), knownvalue.StringExact("Janet")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					sandboxUser(env, "jane@example.com", "user", "Janet", "Doe", "invited"),
					env.ExpectRequests(sandboxPlatform, "PATCH /user/{id}", 1).Check,
					env.ExpectRequests(sandboxPlatform, "POST /auth/invite", 0).Check,
					env.ExpectRequests(sandboxPlatform, "DELETE /user/{id}", 0).Check,
				),
			},
			// case-only change of the email: no diff
			{
				Config: env.Config(invitationHCL("JANE@example.COM", `
  role         = "user"
  first_name   = "Janet"
  last_name    = "Doe"
  message      = "Welcome aboard"
  redirect_url = "https://app.example.com/welcome"
`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			// invite-time settings: state only, no request
			{
				PreConfig: env.Sandbox.ClearLog,
				Config: env.Config(invitationHCL("JANE@example.COM", `
  role         = "user"
  first_name   = "Janet"
  last_name    = "Doe"
  message      = "Another message"
  redirect_url = "https://app.example.com/other"
  send_email   = false
`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(invAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("message"), knownvalue.StringExact("Another message")),
					statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("send_email"), knownvalue.Bool(false)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.ExpectRequests(sandboxPlatform, "PATCH /user/{id}", 0).Check,
					env.ExpectRequests(sandboxPlatform, "POST /auth/invite", 0).Check,
				),
			},
			// removing the names from config keeps them (no diff); removing role goes back to user
			{
				Config:           env.Config(invitationHCL("jane@example.com", `  role = "user"`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(invAddr, plancheck.ResourceActionUpdate)}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("first_name"), knownvalue.StringExact("Janet")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					sandboxUser(env, "jane@example.com", "user", "Janet", "Doe", "invited"),
				),
			},
		},
	})
}

func TestAccRoyaltiInvitation_drift(t *testing.T) {
	env := acctest.New(t)
	cfg := env.Config(invitationHCL("drift@example.com", `
  role       = "user"
  first_name = "Dee"
`))
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkGone(env, "drift@example.com"),
		Steps: []resource.TestStep{
			{Config: cfg, Check: sandboxUser(env, "drift@example.com", "user", "Dee", "", "invited")},
			// role and name changed out of band: planned back in place
			{
				PreConfig: func() {
					env.Sandbox.Royalti.SetRole("drift@example.com", "admin")
					env.Sandbox.Royalti.SetName("drift@example.com", "Deirdre", "")
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(invAddr, plancheck.ResourceActionUpdate),
				}},
				Check: sandboxUser(env, "drift@example.com", "user", "Dee", "", "invited"),
			},
			// accepted out of band: status follows, no diff
			{
				PreConfig: func() { env.Sandbox.Royalti.SetInviteStatus("drift@example.com", "joined") },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("invite_status"), knownvalue.StringExact("joined")),
				},
			},
			// deleted out of band: re-invited
			{
				PreConfig: func() { env.Sandbox.Royalti.DeleteUser("drift@example.com") },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(invAddr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("invite_status"), knownvalue.StringExact("invited")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					sandboxUser(env, "drift@example.com", "user", "Dee", "", "invited"),
				),
			},
			// invite cancelled out of band: re-invited
			{
				PreConfig: func() { env.Sandbox.Royalti.SetInviteStatus("drift@example.com", "cancelled") },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(invAddr, plancheck.ResourceActionCreate),
				}},
				Check: sandboxUser(env, "drift@example.com", "user", "Dee", "", "invited"),
			},
			// drift is visible to a plain plan
			{
				PreConfig:          func() { env.Sandbox.Royalti.SetRole("drift@example.com", "admin") },
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

func TestAccRoyaltiInvitation_planErrors(t *testing.T) {
	env := acctest.New(t)
	cases := []struct{ hcl, re string }{
		{invitationHCL("jane@example.com", `  role = "owner"`), `(?s)Attribute role value must be one of`},
		{invitationHCL("jane@example.com", `  role = "Admin"`), `(?s)Attribute role value must be one of`},
		{invitationHCL("jane@example.com", `  redirect_url = "app.example.com/welcome"`), `(?s)Attribute redirect_url must be an absolute http or https URL`},
		{invitationHCL("jane@example.com", `  redirect_url = "ftp://example.com/x"`), `(?s)Attribute redirect_url must be an absolute`},
		{invitationHCL("not-an-email", ""), `(?s)Attribute email must be a plain email address`},
		{invitationHCL("Jane <jane@example.com>", ""), `(?s)Attribute email must be a plain email address`},
		{invitationHCL("jane@localhost", ""), `(?s)Attribute email must have a domain with a dot`},
		{invitationHCL("jane@example.com", `  workspace_id = "a/b"`), `(?s)Attribute workspace_id must contain no spaces or slashes`},
		{invitationHCL("jane@example.com", `  first_name = ""`), `(?s)Attribute first_name string length must be between 1 and 100`},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		steps = append(steps, resource.TestStep{Config: env.Config(c.hcl), PlanOnly: true, ExpectError: regexp.MustCompile(c.re)})
	}
	acctest.Test(t, steps...)
	env.CheckNoRequests(t)
}

// An email that already has a tenant user (invited by hand, or by a retried
// invite whose first answer was lost) is adopted, its role and names
// brought to the configuration in place, and nobody is invited twice.
func TestAccRoyaltiInvitation_adoptsExisting(t *testing.T) {
	env := acctest.New(t)
	before := len(env.Sandbox.Royalti.Users())
	acctest.Test(t, resource.TestStep{
		Config: env.Config(invitationHCL(strings.ToUpper(sandbox.RoyaltiMemberEmail), `  role = "admin"
  last_name = "Adopted"`)),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("id"), knownvalue.StringExact(sandbox.RoyaltiMemberID)),
			statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("role"), knownvalue.StringExact("admin")),
			statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("last_name"), knownvalue.StringExact("Adopted")),
		},
		Check: resource.ComposeAggregateTestCheckFunc(
			sandboxUser(env, sandbox.RoyaltiMemberEmail, "admin", "Mina", "Adopted", "joined"),
			func(*terraform.State) error {
				if after := len(env.Sandbox.Royalti.Users()); after != before {
					return fmt.Errorf("adopting must not add a tenant user: %d before, %d after", before, after)
				}
				return nil
			},
		),
	})
}

func TestAccRoyaltiInvitation_apiErrors(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t,
		resource.TestStep{
			Config:      env.Config(invitationHCL("new@example.com", `  workspace_id = "no-such-workspace"`)),
			ExpectError: wrapRe(`Could not invite new@example.com to Royalti workspace no-such-workspace.*HTTP 404.*Workspace not found`),
		},
		resource.TestStep{
			PreConfig: func() {
				env.Sandbox.AddFault(sandbox.Fault{Platform: "royalti", Method: "POST", Path: "/auth/invite", Status: 400, Body: `{"message":"missing fields"}`, Count: 1})
			},
			Config:      env.Config(invitationHCL("new@example.com", "")),
			ExpectError: wrapRe(`Could not invite new@example.com.*HTTP 400 Bad Request: missing fields.*Fix the value`),
		},
		resource.TestStep{
			Config:       env.Config(invitationHCL("x@example.com", "")),
			ResourceName: invAddr, ImportState: true, ImportStateId: "not a valid id",
			ExpectError: wrapRe(`Invalid import ID.*expected a tenant user ID \(uuid`),
		},
		resource.TestStep{
			Config:       env.Config(invitationHCL("x@example.com", "")),
			ResourceName: invAddr, ImportState: true, ImportStateId: "nobody@example.com",
			ExpectError: wrapRe(`No tenant user with email nobody@example.com`),
		},
		resource.TestStep{
			Config:       env.Config(invitationHCL("x@example.com", "")),
			ResourceName: invAddr, ImportState: true, ImportStateId: "0a1b2c3d-0000-4000-8000-00000000ffff",
			ExpectError: regexp.MustCompile(`(?s)Cannot import non-existent remote object`),
		},
	)
	if n := env.Sandbox.Count("royalti", "GET /user/{id}"); n != 1 {
		t.Errorf("importing an unknown id: %d GET /user/{id}, want 1 (the confirmation)", n)
	}
}

// A refresh of 25 members costs the two listings' pages, not 25 reads.
func TestAccRoyaltiInvitation_refreshScale(t *testing.T) {
	env := acctest.New(t)
	const n = 25
	cfg := env.Config(fmt.Sprintf(`
resource "membership_royalti_workspace_invitation" "m" {
  count = %d
  email = "member${count.index}@example.com"
}
`, n))
	acctest.Test(t,
		resource.TestStep{
			// 200 more users out of band: each listing is 3 pages of 100.
			PreConfig: func() {
				for i := 0; i < 200; i++ {
					env.Sandbox.Royalti.AddUser(fmt.Sprintf("other%d@example.com", i), "user", "", "", "invited")
				}
			},
			Config: cfg,
			Check:  env.ExpectRequests(sandboxPlatform, "POST /auth/invite", n).Check,
		},
		resource.TestStep{
			PreConfig:    env.Sandbox.ClearLog,
			RefreshState: true,
			Check: resource.ComposeAggregateTestCheckFunc(
				env.ExpectRequests(sandboxPlatform, "GET /user/{$}", 3).Check,
				env.ExpectRequests(sandboxPlatform, "GET /user/invites", 3).Check,
				env.ExpectRequests(sandboxPlatform, "GET /user/{id}", 0).Check,
				env.ExpectRequests(sandboxPlatform, "", 6).Check,
			),
		},
	)
}

func TestAccRoyaltiInvitation_badToken(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t, resource.TestStep{
		Config: fmt.Sprintf(`
provider "membership" {
  max_retries = 0
  royalti {
    endpoint = %q
    token    = "RWAK_not-the-right-one"
  }
}
`, env.URL+sandbox.PrefixRoyalti) + invitationHCL("jane@example.com", ""),
		ExpectError: wrapRe(`Could not invite jane@example.com.*HTTP 401 Unauthorized: Unauthorized: invalid or missing token.*Check the credentials in the provider's "royalti" block`),
	})
	for _, r := range env.Sandbox.Requests("royalti") {
		if r.Header["Authorization"] != "Bearer RWAK_not-the-right-one" {
			t.Fatalf("unexpected Authorization header %q", r.Header["Authorization"])
		}
	}
}
