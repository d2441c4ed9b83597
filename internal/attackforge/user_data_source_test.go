package attackforge_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

func TestAccUserDataSource(t *testing.T) {
	env := acctest.New(t)
	const byEmail, byName = "data.membership_attackforge_user.by_email", "data.membership_attackforge_user.by_username"
	acctest.Test(t,
		resource.TestStep{
			Config: env.Config(`
data "membership_attackforge_user" "by_email" {
  email = "Alice@Example.com"
}
data "membership_attackforge_user" "by_username" {
  username = "bob"
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				attr(byEmail, "id", knownvalue.StringExact(sandbox.AFUserAlice)),
				attr(byEmail, "email", knownvalue.StringExact("Alice@Example.com")),
				attr(byEmail, "username", knownvalue.StringExact("alice")),
				attr(byEmail, "first_name", knownvalue.StringExact("Alice")),
				attr(byEmail, "last_name", knownvalue.StringExact("Anders")),
				attr(byEmail, "role", knownvalue.StringExact("consultant")),
				attr(byEmail, "status", knownvalue.StringExact("Active")),
				attr(byName, "id", knownvalue.StringExact(sandbox.AFUserBob)),
				attr(byName, "email", knownvalue.StringExact("bob@example.com")),
			},
		},
		resource.TestStep{
			Config:      env.Config(`data "membership_attackforge_user" "x" { email = "nobody@example.com" }`),
			ExpectError: errRe(`No AttackForge user with email nobody@example.com`),
		},
		resource.TestStep{
			Config:      env.Config(`data "membership_attackforge_user" "x" { username = "nobody" }`),
			ExpectError: errRe(`No AttackForge user with username nobody`),
		},
	)
}

func TestAccUserDataSource_badInputs(t *testing.T) {
	env := acctest.New(t)
	plan := func(cfg, re string) resource.TestStep {
		return resource.TestStep{Config: env.Config(cfg), PlanOnly: true, ExpectError: errRe(re)}
	}
	acctest.Test(t,
		plan(`data "membership_attackforge_user" "x" {}`, `(?s)Invalid Attribute Combination.*email.*username`),
		plan(`data "membership_attackforge_user" "x" {
  email    = "a@example.com"
  username = "a"
}`, `(?s)Invalid Attribute Combination`),
		plan(`data "membership_attackforge_user" "x" { email = "not-an-email" }`, `(?s)Attribute email must be a plain email address`),
	)
	env.CheckNoRequests(t)
}
