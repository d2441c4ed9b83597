package docspace_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

// TestAccOnboarding applies the onboarding guide's configuration to a
// portal with 155 people (150 seeded with mixed types, mixed-case emails,
// every fifth pending): everyone but the owner (the caller) is imported,
// nothing is invited, changed or removed, the import costs the listing's
// pages and one @self (no request per person), and the next plan is
// empty.
func TestAccOnboarding(t *testing.T) {
	env := acctest.New(t)
	seeded := env.Sandbox.DocSpace.SeedPeople(150)
	people := len(env.Sandbox.DocSpace.Users())
	pages := (people + 99) / 100
	b, err := os.ReadFile("../../examples/guides/onboarding/docspace/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	const mixed = `membership_docspace_invitation.member["person003@example.com"]`
	const pending = `membership_docspace_invitation.member["person005@example.com"]`
	owner := fmt.Sprintf("membership_docspace_invitation.member[%q]", sandbox.DocSpaceOwnerEmail)
	acctest.Test(t, resource.TestStep{
		PreConfig: env.Sandbox.ClearLog,
		Config:    env.ProviderConfig() + string(b),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(mixed, plancheck.ResourceActionNoop)},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(mixed, tfjsonpath.New("email"), knownvalue.StringExact(seeded[2])),
			statecheck.ExpectKnownValue(mixed, tfjsonpath.New("type"), knownvalue.StringExact("DocSpaceAdmin")),
			statecheck.ExpectKnownValue(pending, tfjsonpath.New("activation_status"), knownvalue.StringExact("pending")),
			statecheck.ExpectKnownValue(pending, tfjsonpath.New("type"), knownvalue.StringExact("RoomAdmin")),
			acctest.StateCheck(func(s *tfjson.State) error {
				if n := acctest.CountResources(s, invitationType); n != people-1 || people != 155 {
					return fmt.Errorf("%d people in state, want all %d but the owner", n, people)
				}
				for _, r := range s.Values.RootModule.Resources {
					if r.Address == owner {
						return fmt.Errorf("the owner was imported")
					}
				}
				// the plan (data source, 154 imports and their reads) and
				// the apply: the listing's pages and @self, nothing else
				counts := env.Sandbox.Counts()
				if counts["docspace "+routeFilter] != pages || counts["docspace GET /api/2.0/people/@self"] != 1 ||
					len(env.Sandbox.Requests("docspace")) != pages+1 {
					return fmt.Errorf("requests of the onboarding: %v; want %d pages of people/filter and one @self", counts, pages)
				}
				return nil
			}),
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
		ConfigStateChecks: []statecheck.StateCheck{acctest.StateCheck(func(s *tfjson.State) error {
			if n := acctest.CountResources(s, invitationType); n != 0 {
				return fmt.Errorf("%d people still in state", n)
			}
			return nil
		})},
	})
	after := env.Sandbox.DocSpace.Users()
	if len(after) != people {
		t.Fatalf("the portal has %d people after onboarding, had %d", len(after), people)
	}
	for _, r := range env.Sandbox.Requests("docspace") {
		if r.Method != "GET" && !strings.HasPrefix(r.Path, "/_admin") {
			t.Fatalf("onboarding changed something: %s %s", r.Method, r.Path)
		}
	}
}
