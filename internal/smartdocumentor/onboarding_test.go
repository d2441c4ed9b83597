package smartdocumentor_test

import (
	"fmt"
	"os"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/config"
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
	b, err := os.ReadFile("../../examples/guides/onboarding/smartdocumentor/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestAccOnboarding applies the onboarding guide's configuration to a
// workspace with 151 members (150 seeded with mixed roles, mixed-case
// emails, every fifth pending): every member is imported, nothing is
// invited, the import costs one listing of the workspace (no request per
// member), and the next plan is empty.
func TestAccOnboarding(t *testing.T) {
	env := acctest.New(t)
	seeded := env.Sandbox.SmartDocumentor.SeedMembers(2, 150)
	members := len(env.Sandbox.SmartDocumentor.Members(2))
	const pending = `membership_smartdocumentor_workspace_invitation.member["member005@example.com"]`
	const mixed = `membership_smartdocumentor_workspace_invitation.member["member003@example.com"]`
	acctest.Test(t, resource.TestStep{
		PreConfig:       env.Sandbox.ClearLog,
		Config:          env.ProviderConfig() + onboardingConfig(t),
		ConfigVariables: config.Variables{"workspace_id": config.IntegerVariable(2)},
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(mixed, plancheck.ResourceActionNoop)},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(mixed, tfjsonpath.New("email"), knownvalue.StringExact(seeded[2])),
			statecheck.ExpectKnownValue(mixed, tfjsonpath.New("role"), knownvalue.StringExact("Reviewer")),
			statecheck.ExpectKnownValue(mixed, tfjsonpath.New("id"), knownvalue.StringExact("2/"+seeded[2])),
			statecheck.ExpectKnownValue(pending, tfjsonpath.New("status"), knownvalue.StringExact("Invited")),
			statecheck.ExpectKnownValue(pending, tfjsonpath.New("email_confirmed"), knownvalue.Bool(false)),
			acctest.StateCheck(func(s *tfjson.State) error {
				if n := acctest.CountResources(s, invitationType); n != members || members != 151 {
					return fmt.Errorf("%d members in state, want all %d of the workspace", n, members)
				}
				// the plan (data source, 151 imports and their reads) and the
				// apply: one listing, no invitation, no role check
				counts := env.Sandbox.Counts()
				if counts[platform+" "+routeUsers] != 1 || counts[platform+" "+routeInvite] != 0 || counts[platform+" "+routeRoles] != 0 {
					return fmt.Errorf("requests of the onboarding: %v; want one listing and nothing else but tokens", counts)
				}
				if len(env.Sandbox.Requests(platform)) != 1+env.Sandbox.Count(platform, routeToken) {
					return fmt.Errorf("requests of the onboarding: %v; want one listing and nothing else but tokens", counts)
				}
				return nil
			}),
		},
	}, forget(env, invitationType))
	if got := len(env.Sandbox.SmartDocumentor.Members(2)); got != members {
		t.Fatalf("the workspace has %d members after onboarding, had %d", got, members)
	}
}

// forget is a last step that drops the members from state with a removed
// block and changes nothing (the test harness's own destroy can't read
// for_each instances keyed by strings).
func forget(env *acctest.Env, typeName string) resource.TestStep {
	return resource.TestStep{
		Config: env.ProviderConfig() + fmt.Sprintf(`
removed {
  from = %s.member
  lifecycle {
    destroy = false
  }
}
`, typeName),
		ConfigStateChecks: []statecheck.StateCheck{acctest.StateCheck(func(s *tfjson.State) error {
			if n := acctest.CountResources(s, typeName); n != 0 {
				return fmt.Errorf("%d members still in state", n)
			}
			return nil
		})},
	}
}
