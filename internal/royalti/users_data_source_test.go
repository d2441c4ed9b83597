package royalti_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

func TestAccRoyaltiUsersDataSource(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t,
		resource.TestStep{
			// 150 more users: two pages of each listing.
			PreConfig: func() {
				for i := 0; i < 150; i++ {
					role := "user"
					if i == 7 {
						role = "admin"
					}
					env.Sandbox.Royalti.AddUser(fmt.Sprintf("bulk%c%d@example.com", rune('a'+i%26), i), role, "", "", "invited")
				}
				env.Sandbox.Royalti.SetInviteStatus("bulkh7@example.com", "cancelled")
			},
			Config: env.Config(`
data "membership_royalti_users" "all" {}
data "membership_royalti_users" "admins" {
  role = "admin"
}
data "membership_royalti_users" "owners" {
  role = "owner"
}
`),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("data.membership_royalti_users.all", "users.#", "152"),
				resource.TestCheckResourceAttr("data.membership_royalti_users.admins", "users.#", "1"),
				resource.TestCheckResourceAttr("data.membership_royalti_users.admins", "users.0.email", "bulkh7@example.com"),
				resource.TestCheckResourceAttr("data.membership_royalti_users.admins", "users.0.invite_status", "cancelled"),
				resource.TestCheckResourceAttr("data.membership_royalti_users.owners", "users.#", "1"),
				resource.TestCheckResourceAttr("data.membership_royalti_users.owners", "users.0.id", sandbox.RoyaltiOwnerID),
				resource.TestCheckResourceAttr("data.membership_royalti_users.owners", "users.0.email", sandbox.RoyaltiOwnerEmail),
				resource.TestCheckResourceAttr("data.membership_royalti_users.owners", "users.0.first_name", "Olu"),
				resource.TestCheckResourceAttr("data.membership_royalti_users.owners", "users.0.role", "owner"),
				resource.TestCheckResourceAttr("data.membership_royalti_users.owners", "users.0.invite_status", "joined"),
				resource.TestCheckTypeSetElemNestedAttrs("data.membership_royalti_users.all", "users.*", map[string]string{
					"email": sandbox.RoyaltiMemberEmail, "id": sandbox.RoyaltiMemberID, "role": "user", "invite_status": "joined", "last_name": "Member",
				}),
			),
		},
	)
}

func TestAccRoyaltiUsersDataSource_badRole(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t, resource.TestStep{
		Config:      env.Config(`data "membership_royalti_users" "x" { role = "superuser" }`),
		PlanOnly:    true,
		ExpectError: wrapRe(`Attribute role value must be one of`),
	})
	env.CheckNoRequests(t)
}
