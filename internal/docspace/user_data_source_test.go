package docspace_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
)

func TestAccDocSpaceUserDataSource(t *testing.T) {
	env := acctest.New(t)
	const a = "data.membership_docspace_user.u"
	acctest.Test(t,
		resource.TestStep{
			Config: env.Config(`data "membership_docspace_user" "u" { email = "ROOM.ADMIN@docspace.example" }`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(a, "id", knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f-]{36}$`))),
				expect(a, "type", knownvalue.StringExact("RoomAdmin")),
				expect(a, "display_name", knownvalue.StringExact("Rita Rooms")),
				expect(a, "first_name", knownvalue.StringExact("Rita")),
				expect(a, "activation_status", knownvalue.StringExact("activated")),
				expect(a, "status", knownvalue.StringExact("active")),
			},
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
