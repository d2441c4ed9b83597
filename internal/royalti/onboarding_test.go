package royalti_test

import (
	"fmt"
	"os"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
)

// onboardingConfig is the onboarding guide's configuration, as published.
func onboardingConfig(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../examples/guides/onboarding/royalti/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestAccOnboarding applies the onboarding guide's configuration to a
// workspace with 150 existing members (mixed roles, mixed-case emails,
// names on half, every fourth pending, one cancelled) besides the seeded
// owner and member: every manageable member is imported, nothing is
// invited, changed or removed, the import costs the listings' pages (no
// request per member), and the next plan is empty.
func TestAccOnboarding(t *testing.T) {
	env := acctest.New(t)
	seedMembers(env, 150)
	const pending = `membership_royalti_workspace_invitation.member["person004@example.com"]`
	const named = `membership_royalti_workspace_invitation.member["person006@example.com"]`
	acctest.Test(t, resource.TestStep{
		PreConfig: env.Sandbox.ClearLog,
		Config:    env.ProviderConfig() + onboardingConfig(t),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(named, plancheck.ResourceActionNoop)},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(named, tfjsonpath.New("email"), knownvalue.StringExact("Person006@Example.com")),
			statecheck.ExpectKnownValue(named, tfjsonpath.New("role"), knownvalue.StringExact("admin")),
			statecheck.ExpectKnownValue(named, tfjsonpath.New("first_name"), knownvalue.StringExact("P6")),
			statecheck.ExpectKnownValue(pending, tfjsonpath.New("invite_status"), knownvalue.StringExact("invited")),
			acctest.StateCheck(func(s *tfjson.State) error {
				// 150 seeded less the cancelled one, plus the seeded member
				if n := acctest.CountResources(s, invitationType); n != 150 {
					return fmt.Errorf("%d members in state, want 150", n)
				}
				// the plan (data source, 150 imports and their reads) and
				// the apply: the two listings' pages (152 users: 2 pages
				// each), nothing else
				counts := env.Sandbox.Counts()
				if counts["royalti GET /user/{$}"] != 2 || counts["royalti GET /user/invites"] != 2 || len(env.Sandbox.Requests("royalti")) != 4 {
					return fmt.Errorf("requests of the onboarding: %v; want 2 pages of each listing and nothing else", counts)
				}
				return nil
			}),
		},
	}, forget(env))
	if n := len(env.Sandbox.Royalti.Users()); n != 152 {
		t.Fatalf("the workspace has %d users after onboarding, had 152", n)
	}
}

// forget is a last step that drops the members from state with a removed
// block and changes nothing (the test harness's own destroy can't read
// for_each instances keyed by strings).
func forget(env *acctest.Env) resource.TestStep {
	return resource.TestStep{
		Config: env.ProviderConfig() + `
removed {
  from = membership_royalti_workspace_invitation.member
  lifecycle {
    destroy = false
  }
}
`,
		ConfigStateChecks: []statecheck.StateCheck{acctest.StateCheck(func(s *tfjson.State) error {
			if n := acctest.CountResources(s, invitationType); n != 0 {
				return fmt.Errorf("%d members still in state", n)
			}
			return nil
		})},
	}
}
