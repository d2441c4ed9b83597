package docspace_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

// The filters are sent to the portal (employeeType, activationStatus),
// which applies them, over every page.
func TestAccDocSpaceUsersDataSource(t *testing.T) {
	env := acctest.New(t)
	for i := 0; i < 230; i++ {
		env.Sandbox.DocSpace.AddUser(fmt.Sprintf("p%03d@example.com", i), "Guest", sandbox.DSActivationPending)
	}
	const all, pendingGuests, roomAdmins, admins = "data.membership_docspace_users.all", "data.membership_docspace_users.pending_guests",
		"data.membership_docspace_users.room_admins", "data.membership_docspace_users.admins"
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
data "membership_docspace_users" "admins" { type = "DocSpaceAdmin" }
`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(all, "users", knownvalue.ListSizeExact(235)),
				expect(pendingGuests, "users", knownvalue.ListSizeExact(231)),
				expect(roomAdmins, "users", knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"email":             knownvalue.StringExact(sandbox.DocSpaceRoomAdminEmail),
					"type":              knownvalue.StringExact("RoomAdmin"),
					"activation_status": knownvalue.StringExact("activated"),
					"status":            knownvalue.StringExact("active"),
				})})),
				// DocSpace lists the owner among the admins
				expect(admins, "users", knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"type": knownvalue.StringExact("Owner")}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"type": knownvalue.StringExact("DocSpaceAdmin")}),
				})),
			},
			Check: func(*terraform.State) error {
				filtered := 0
				for _, r := range env.Sandbox.Requests("docspace") {
					if r.Route != "GET /api/2.0/people/filter" {
						return fmt.Errorf("unexpected request %s %s", r.Method, r.Path)
					}
					if strings.Contains(r.Query, "employeeType=") {
						filtered++
					}
				}
				if filtered == 0 {
					return fmt.Errorf("the type filter was never sent to the portal")
				}
				return nil
			},
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

// manageable_only leaves out what onboarding must not adopt: the owner
// (here also the caller) and terminated users; DocSpace admins stay,
// since the caller is the owner. The whole-portal listing is the one the
// imports of the run share.
func TestAccDocSpaceUsersDataSource_manageableOnly(t *testing.T) {
	env := acctest.New(t)
	env.Sandbox.DocSpace.AddUser("gone@example.com", "User", sandbox.DSActivationActivated)
	env.Sandbox.DocSpace.Terminate("gone@example.com")
	const ds = "data.membership_docspace_users.onboard"
	acctest.Test(t,
		resource.TestStep{
			Config: env.Config(`data "membership_docspace_users" "onboard" { manageable_only = true }`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(ds, "users", knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"email": knownvalue.StringExact(sandbox.DocSpaceAdminEmail), "type": knownvalue.StringExact("DocSpaceAdmin")}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"email": knownvalue.StringExact(sandbox.DocSpaceRoomAdminEmail), "type": knownvalue.StringExact("RoomAdmin")}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"email": knownvalue.StringExact(sandbox.DocSpaceUserEmail), "type": knownvalue.StringExact("User")}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"email": knownvalue.StringExact(sandbox.DocSpaceGuestEmail), "type": knownvalue.StringExact("Guest"),
						"activation_status": knownvalue.StringExact("pending"), "status": knownvalue.StringExact("pending")}),
				})),
			},
		},
	)
}
