package royalti_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

const teamAddr = "membership_royalti_workspace_invitations.team"

func teamHCL(extra, members string) string {
	return fmt.Sprintf(`
resource "membership_royalti_workspace_invitations" "team" {
%s
  members = {
%s
  }
}
`, extra, members)
}

func exists(env *acctest.Env, email string, want bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		u, ok := env.Sandbox.Royalti.User(email)
		if ok && u.Invite != nil && u.Invite.Status == "cancelled" {
			ok = false
		}
		if ok != want {
			return fmt.Errorf("tenant user %s exists=%v, want %v", email, ok, want)
		}
		return nil
	}
}

func TestAccRoyaltiInvitations_authoritative(t *testing.T) {
	env := acctest.New(t)
	three := `
    "member@royalti.example" = { role = "user" }
    "Ada@Example.com"        = { role = "admin", first_name = "Ada" }
    "grace@example.com"      = {}
`
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			if err := checkGone(env, "ada@example.com", "member@royalti.example")(s); err != nil {
				return err
			}
			if _, ok := env.Sandbox.Royalti.User("guest@example.com"); !ok {
				return fmt.Errorf("destroy removed guest@example.com, which the resource did not manage")
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: env.Config(teamHCL(`  message = "Welcome"`, three)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(teamAddr, tfjsonpath.New("id"), knownvalue.StringExact("default")),
					statecheck.ExpectKnownValue(teamAddr, tfjsonpath.New("exclusive"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(teamAddr, tfjsonpath.New("members"), knownvalue.MapSizeExact(3)),
					statecheck.ExpectKnownValue(teamAddr, tfjsonpath.New("user_ids").AtMapKey("member@royalti.example"), knownvalue.StringExact(sandbox.RoyaltiMemberID)),
					statecheck.ExpectKnownValue(teamAddr, tfjsonpath.New("invite_statuses").AtMapKey("member@royalti.example"), knownvalue.StringExact("joined")),
					statecheck.ExpectKnownValue(teamAddr, tfjsonpath.New("invite_statuses").AtMapKey("Ada@Example.com"), knownvalue.StringExact("invited")),
					statecheck.ExpectKnownValue(teamAddr, tfjsonpath.New("user_ids").AtMapKey("grace@example.com"), knownvalue.NotNull()),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					sandboxUser(env, "ada@example.com", "admin", "Ada", "", "invited"),
					sandboxUser(env, "grace@example.com", "user", "", "", "invited"),
					// the existing member is adopted, not invited again
					env.ExpectRequests(sandboxPlatform, "POST /auth/invite", 2).Check,
					env.ExpectRequests(sandboxPlatform, "DELETE /user/{id}", 0).Check,
				),
			},
			{
				ResourceName:                         teamAddr,
				ImportState:                          true,
				ImportStateId:                        "default",
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "id",
				ImportStateVerifyIgnore:              []string{"message", "members.member@royalti.example.first_name", "members.member@royalti.example.last_name"},
			},
			// out of band: a stranger joins, Ada loses admin, Grace is deleted
			{
				PreConfig: func() {
					env.Sandbox.Royalti.AddUser("stranger@example.com", "admin", "Str", "Anger", "joined")
					env.Sandbox.Royalti.SetRole("ada@example.com", "user")
					env.Sandbox.Royalti.DeleteUser("grace@example.com")
					env.Sandbox.ClearLog()
				},
				Config: env.Config(teamHCL(`  message = "Welcome"`, three)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(teamAddr, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					exists(env, "stranger@example.com", false),
					sandboxUser(env, "ada@example.com", "admin", "Ada", "", "invited"),
					sandboxUser(env, "grace@example.com", "user", "", "", "invited"),
					exists(env, sandbox.RoyaltiOwnerEmail, true),
					env.ExpectRequests(sandboxPlatform, "DELETE /user/{id}", 1).Check,
					env.ExpectRequests(sandboxPlatform, "PATCH /user/{id}", 1).Check,
					env.ExpectRequests(sandboxPlatform, "POST /auth/invite", 1).Check,
					env.ExpectRequests(sandboxPlatform, "GET /user/{id}", 0).Check,
				),
			},
			// a case-only change of a member's email is no change
			{
				Config:           env.Config(teamHCL(`  message = "Welcome"`, strings.Replace(three, "Ada@Example.com", "ADA@example.COM", 1))),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			// non-exclusive: a guest added out of band is left alone
			{
				PreConfig: func() { env.Sandbox.Royalti.AddUser("guest@example.com", "user", "", "", "invited") },
				Config:    env.Config(teamHCL("  exclusive = false\n  message = \"Welcome\"", three)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(teamAddr, tfjsonpath.New("members"), knownvalue.MapSizeExact(3)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					exists(env, "guest@example.com", true),
				),
			},
			// removing a listed member removes it, only it
			{
				PreConfig: env.Sandbox.ClearLog,
				Config: env.Config(teamHCL("  exclusive = false", `
    "member@royalti.example" = { role = "user" }
    "Ada@Example.com"        = { role = "admin", first_name = "Ada" }
`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(teamAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(teamAddr, tfjsonpath.New("members"), knownvalue.MapSizeExact(2)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					exists(env, "grace@example.com", false),
					exists(env, "guest@example.com", true),
					env.ExpectRequests(sandboxPlatform, "DELETE /user/{id}", 1).Check,
				),
			},
		},
	})
}

// A refresh of a 25-member team costs the listings' pages.
func TestAccRoyaltiInvitations_refreshScale(t *testing.T) {
	env := acctest.New(t)
	var b strings.Builder
	b.WriteString(`    "member@royalti.example" = {}` + "\n")
	for i := 0; i < 25; i++ {
		fmt.Fprintf(&b, "    \"m%d@example.com\" = { role = \"admin\" }\n", i)
	}
	acctest.Test(t,
		resource.TestStep{
			Config: env.ProviderConfig("  max_removals = 26") + teamHCL("", b.String()),
			Check: resource.ComposeAggregateTestCheckFunc(
				env.ExpectRequests(sandboxPlatform, "POST /auth/invite", 25).Check,
				env.ExpectRequests(sandboxPlatform, "GET /user/{id}", 0).Check,
			),
		},
		resource.TestStep{
			PreConfig:    env.Sandbox.ClearLog,
			RefreshState: true,
			Check: resource.ComposeAggregateTestCheckFunc(
				env.ExpectRequests(sandboxPlatform, "GET /user/{$}", 1).Check,
				env.ExpectRequests(sandboxPlatform, "GET /user/invites", 1).Check,
				env.ExpectRequests(sandboxPlatform, "", 2).Check,
			),
		},
	)
}

func TestAccRoyaltiInvitations_planErrors(t *testing.T) {
	env := acctest.New(t)
	cases := []struct{ hcl, re string }{
		{teamHCL("", `"a@example.com" = { role = "owner" }`), `Attribute members\["a@example.com"\].role value must be one of`},
		{teamHCL("", `"not-an-email" = {}`), `must be a plain email address`},
		{teamHCL("", `"a@example.com" = {}
    "A@Example.com" = {}`), `Duplicate member`},
		{teamHCL(`  redirect_url = "nope"`, `"a@example.com" = {}`), `Attribute redirect_url must be an absolute http or https URL`},
		{teamHCL(`  workspace_id = "default"`, `"a@example.com" = {}`), `Attribute workspace_id value must be none of`},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		steps = append(steps, resource.TestStep{Config: env.Config(c.hcl), PlanOnly: true, ExpectError: wrapRe(c.re)})
	}
	acctest.Test(t, steps...)
	env.CheckNoRequests(t)
}

func TestAccRoyaltiInvitations_importAndAPIErrors(t *testing.T) {
	env2 := acctest.New(t)
	acctest.Test(t,
		resource.TestStep{
			Config:        env2.Config(teamHCL("", `"a@example.com" = {}`)),
			ResourceName:  teamAddr,
			ImportState:   true,
			ImportStateId: "a b",
			ExpectError:   regexp.MustCompile(`(?s)Invalid import ID.*expected "default"`),
		},
		resource.TestStep{
			Config:      env2.Config(teamHCL(`  workspace_id = "nope"`, `"a@example.com" = {}`)),
			ExpectError: wrapRe(`Could not invite a@example.com to Royalti workspace nope.*HTTP 404.*Workspace not found`),
		},
	)
}

// The owner can be listed but is never re-assigned nor removed: dropping it
// from members is refused at plan, and destroying the resource leaves it.
func TestAccRoyaltiInvitations_owner(t *testing.T) {
	env := acctest.New(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkGone(env, "x@example.com", sandbox.RoyaltiMemberEmail),
		Steps: []resource.TestStep{
			{
				Config: env.Config(teamHCL("", `
    "owner@royalti.example"  = { role = "admin" }
    "member@royalti.example" = {}
    "x@example.com"          = {}
`)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(teamAddr, tfjsonpath.New("members").AtMapKey("owner@royalti.example").AtMapKey("role"), knownvalue.StringExact("admin")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					sandboxUser(env, sandbox.RoyaltiOwnerEmail, "owner", "Olu", "Owner", ""),
					env.ExpectRequests(sandboxPlatform, "PATCH /user/{id}", 0).Check,
				),
			},
			{
				// dropping the owner from members would plan its removal:
				// refused at plan (a destroy leaves it, with a warning)
				Config: env.Config(teamHCL("", `
    "member@royalti.example" = {}
    "x@example.com"          = {}
`)),
				ExpectError: wrapRe(`The plan would remove owner@royalti.example, which is protected.*the workspace owner`),
				Check: resource.ComposeAggregateTestCheckFunc(
					exists(env, sandbox.RoyaltiOwnerEmail, true),
					env.ExpectRequests(sandboxPlatform, "DELETE /user/{id}", 0).Check,
				),
			},
		},
	})
}
