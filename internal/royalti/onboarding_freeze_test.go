package royalti_test

import (
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
)

// frozenConfig is the onboarding guide's "freeze to a map" configuration,
// as published.
func frozenConfig(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../examples/guides/onboarding/royalti/frozen/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestAccOnboarding_frozen onboards the workspace with the guide's
// configuration, then switches to the frozen one (the members as a map
// literal, names left as Royalti holds them): the plan is empty. Someone
// then demotes Ada to user by hand: the plan shows exactly that (Ada's
// drift, Ada's role set back in place, nothing else), and the apply makes
// Ada an admin again.
func TestAccOnboarding_frozen(t *testing.T) {
	env := acctest.New(t)
	ro := env.Sandbox.Royalti
	ro.AddUser("ada@example.com", "admin", "Ada", "Lovelace", "joined")
	ro.AddUser("Raj@Example.com", "user", "", "", "invited") // letter case: as people type it
	const ada = `membership_royalti_workspace_invitation.member["ada@example.com"]`
	acctest.Test(t, resource.TestStep{
		Config: env.ProviderConfig() + onboardingConfig(t),
	}, resource.TestStep{
		Config: env.ProviderConfig() + frozenConfig(t),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
	}, resource.TestStep{
		PreConfig: func() { ro.SetRole("ada@example.com", "user") },
		Config:    env.ProviderConfig() + frozenConfig(t),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{
				acctest.ExpectDrift{ada: plancheck.ResourceActionUpdate},
				acctest.ExpectChanges{ada: plancheck.ResourceActionUpdate},
				plancheck.ExpectKnownValue(ada, tfjsonpath.New("role"), knownvalue.StringExact("admin")),
			},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
	}, forget(env))
	if u, ok := ro.User("ada@example.com"); !ok || u.Role != "admin" || u.FirstName != "Ada" {
		t.Fatalf("Ada should be an admin again, names kept: %+v", u)
	}
}
