package docspace_test

import (
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

// readExample returns an example configuration, as published.
func readExample(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile("../../examples/guides/onboarding/docspace/" + path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestAccOnboarding_frozen onboards the portal with the guide's
// configuration, then switches to the frozen one (the people as a map
// literal): the plan is empty. Someone then makes the User a RoomAdmin by
// hand and deletes the room admin: the plan shows exactly those two
// (their drift, the type set back in place, the room admin invited again),
// and the apply converges.
func TestAccOnboarding_frozen(t *testing.T) {
	env := acctest.New(t)
	ds := env.Sandbox.DocSpace
	const user = `membership_docspace_invitation.member["user@docspace.example"]`
	const roomAdmin = `membership_docspace_invitation.member["room.admin@docspace.example"]`
	acctest.Test(t, resource.TestStep{
		Config: env.ProviderConfig() + readExample(t, "main.tf"),
	}, resource.TestStep{
		Config: env.ProviderConfig() + readExample(t, "frozen/main.tf"),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
	}, resource.TestStep{
		PreConfig: func() {
			ds.SetType(sandbox.DocSpaceUserEmail, "RoomAdmin")
			ds.DeleteUser(sandbox.DocSpaceRoomAdminEmail)
		},
		Config: env.ProviderConfig() + readExample(t, "frozen/main.tf"),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{
				acctest.ExpectDrift{user: plancheck.ResourceActionUpdate, roomAdmin: plancheck.ResourceActionDestroy},
				acctest.ExpectChanges{user: plancheck.ResourceActionUpdate, roomAdmin: plancheck.ResourceActionCreate},
				plancheck.ExpectKnownValue(user, tfjsonpath.New("type"), knownvalue.StringExact("User")),
			},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
	}, resource.TestStep{
		Config: env.ProviderConfig() + `
removed {
  from = membership_docspace_invitation.member
  lifecycle {
    destroy = false
  }
}
`,
	})
	if u, ok := ds.User(sandbox.DocSpaceUserEmail); !ok || u.Type != "User" {
		t.Fatalf("the user should be a User again: %+v", u)
	}
	if u, ok := ds.User(sandbox.DocSpaceRoomAdminEmail); !ok || u.Type != "RoomAdmin" {
		t.Fatalf("the room admin should have been invited again: %+v", u)
	}
}
