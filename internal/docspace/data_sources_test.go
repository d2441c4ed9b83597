package docspace_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

func TestAccDocSpaceUserDataSource(t *testing.T) {
	env := acctest.New(t)
	const a = "data.membership_docspace_user.u"
	acctest.Test(t,
		resource.TestStep{
			Config: env.Config(`data "membership_docspace_user" "u" { email = "ROOM.ADMIN@docspace.example" }`),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestMatchResourceAttr(a, "id", regexp.MustCompile(`^[0-9a-f-]{36}$`)),
				resource.TestCheckResourceAttr(a, "type", "RoomAdmin"),
				resource.TestCheckResourceAttr(a, "display_name", "Rita Rooms"),
				resource.TestCheckResourceAttr(a, "first_name", "Rita"),
				resource.TestCheckResourceAttr(a, "activation_status", "activated"),
				resource.TestCheckResourceAttr(a, "status", "active"),
			),
		},
		resource.TestStep{
			Config:      env.Config(`data "membership_docspace_user" "u" { email = "nobody@example.com" }`),
			ExpectError: regexp.MustCompile(`(?s)no\s+user\s+with\s+email\s+nobody@example.com`),
		},
	)
}

func TestAccDocSpaceUserDataSource_badEmail(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t, resource.TestStep{
		Config:      env.Config(`data "membership_docspace_user" "u" { email = "nope" }`),
		PlanOnly:    true,
		ExpectError: regexp.MustCompile(`(?s)email.*must be a plain email address`),
	})
	env.CheckNoRequests(t)
}

func TestAccDocSpaceUsersDataSource(t *testing.T) {
	env := acctest.New(t)
	for i := 0; i < 230; i++ {
		env.Sandbox.DocSpace.AddUser(fmt.Sprintf("p%03d@example.com", i), "Guest", sandbox.DSActivationPending)
	}
	acctest.Test(t,
		resource.TestStep{
			PreConfig: env.Sandbox.ClearLog,
			Config: env.Config(`
data "membership_docspace_users" "all" {}
data "membership_docspace_users" "pending_guests" {
  activation_status = "pending"
  type              = "Guest"
}
data "membership_docspace_users" "room_admins" { type = "RoomAdmin" }
`),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("data.membership_docspace_users.all", "users.#", "235"),
				resource.TestCheckResourceAttr("data.membership_docspace_users.pending_guests", "users.#", "231"),
				resource.TestCheckResourceAttr("data.membership_docspace_users.room_admins", "users.#", "1"),
				resource.TestCheckResourceAttr("data.membership_docspace_users.room_admins", "users.0.email", sandbox.DocSpaceRoomAdminEmail),
				resource.TestCheckResourceAttr("data.membership_docspace_users.room_admins", "users.0.type", "RoomAdmin"),
				resource.TestCheckResourceAttr("data.membership_docspace_users.room_admins", "users.0.activation_status", "activated"),
				func(*terraform.State) error {
					for _, r := range env.Sandbox.Requests("docspace") {
						if r.Route != "GET /api/2.0/people/filter" {
							return fmt.Errorf("unexpected request %s %s", r.Method, r.Path)
						}
					}
					return nil
				},
			),
		},
	)
}

func TestAccDocSpaceUsersDataSource_badFilter(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t,
		resource.TestStep{
			Config:      env.Config(`data "membership_docspace_users" "x" { activation_status = "waiting" }`),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)activation_status.*value must be one of`),
		},
		resource.TestStep{
			Config:      env.Config(`data "membership_docspace_users" "x" { type = "Owner" }`),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)type.*value must be one of`),
		},
	)
	env.CheckNoRequests(t)
}
