package attackforge_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

func TestAccUserDataSource(t *testing.T) {
	env := acctest.New(t)
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
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("data.membership_attackforge_user.by_email", "id", sandbox.AFUserAlice),
				resource.TestCheckResourceAttr("data.membership_attackforge_user.by_email", "username", "alice"),
				resource.TestCheckResourceAttr("data.membership_attackforge_user.by_email", "first_name", "Alice"),
				resource.TestCheckResourceAttr("data.membership_attackforge_user.by_email", "last_name", "Anders"),
				resource.TestCheckResourceAttr("data.membership_attackforge_user.by_email", "role", "consultant"),
				resource.TestCheckResourceAttr("data.membership_attackforge_user.by_email", "status", "Active"),
				resource.TestCheckResourceAttr("data.membership_attackforge_user.by_username", "id", sandbox.AFUserBob),
				resource.TestCheckResourceAttr("data.membership_attackforge_user.by_username", "email", "bob@example.com"),
			),
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
