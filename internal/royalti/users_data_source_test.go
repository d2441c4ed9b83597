package royalti_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

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
			ConfigStateChecks: []statecheck.StateCheck{
				// sorted by email: 150 "bulk..." users, then the member, then the owner
				statecheck.ExpectKnownValue("data.membership_royalti_users.all", tfjsonpath.New("users"), knownvalue.ListPartial(map[int]knownvalue.Check{
					150: knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"email": knownvalue.StringExact(sandbox.RoyaltiMemberEmail), "id": knownvalue.StringExact(sandbox.RoyaltiMemberID),
						"role": knownvalue.StringExact("user"), "invite_status": knownvalue.StringExact("joined"), "last_name": knownvalue.StringExact("Member"),
					}),
				})),
				statecheck.ExpectKnownValue("data.membership_royalti_users.all", tfjsonpath.New("users"), knownvalue.ListSizeExact(152)),
				statecheck.ExpectKnownValue("data.membership_royalti_users.admins", tfjsonpath.New("users"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue("data.membership_royalti_users.admins", tfjsonpath.New("users").AtSliceIndex(0).AtMapKey("email"), knownvalue.StringExact("bulkh7@example.com")),
				statecheck.ExpectKnownValue("data.membership_royalti_users.admins", tfjsonpath.New("users").AtSliceIndex(0).AtMapKey("invite_status"), knownvalue.StringExact("cancelled")),
				statecheck.ExpectKnownValue("data.membership_royalti_users.owners", tfjsonpath.New("users"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue("data.membership_royalti_users.owners", tfjsonpath.New("users").AtSliceIndex(0).AtMapKey("id"), knownvalue.StringExact(sandbox.RoyaltiOwnerID)),
				statecheck.ExpectKnownValue("data.membership_royalti_users.owners", tfjsonpath.New("users").AtSliceIndex(0).AtMapKey("email"), knownvalue.StringExact(sandbox.RoyaltiOwnerEmail)),
				statecheck.ExpectKnownValue("data.membership_royalti_users.owners", tfjsonpath.New("users").AtSliceIndex(0).AtMapKey("first_name"), knownvalue.StringExact("Olu")),
				statecheck.ExpectKnownValue("data.membership_royalti_users.owners", tfjsonpath.New("users").AtSliceIndex(0).AtMapKey("role"), knownvalue.StringExact("owner")),
				statecheck.ExpectKnownValue("data.membership_royalti_users.owners", tfjsonpath.New("users").AtSliceIndex(0).AtMapKey("invite_status"), knownvalue.StringExact("joined")),
			},
			Check: resource.ComposeAggregateTestCheckFunc(),
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
