package smartdocumentor_test

import (
	"os"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
)

// frozenConfig is the onboarding guide's "freeze to a map" configuration,
// as published.
func frozenConfig(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../examples/guides/onboarding/smartdocumentor/frozen/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestAccOnboarding_frozen onboards workspace 2 with the guide's
// configuration, then switches to the frozen one (the members as a map
// literal): the plan is empty. Someone then removes Raj from the workspace
// by hand: the plan shows exactly that (Raj's drift, and an invitation for
// Raj, nothing else), and the apply invites Raj again. Last, someone
// changes Jane's role by hand: the plan names it, and fails, since the API
// cannot change it back.
func TestAccOnboarding_frozen(t *testing.T) {
	env := acctest.New(t)
	sd := env.Sandbox.SmartDocumentor
	sd.AddMember(2, "jane@example.com", "Reviewer")
	sd.AddMember(2, "Raj@Example.com", "Viewer") // letter case: as people type it
	vars := config.Variables{"workspace_id": config.IntegerVariable(2)}
	const raj = `membership_smartdocumentor_workspace_invitation.member["raj@example.com"]`
	acctest.Test(t, resource.TestStep{
		Config:          env.ProviderConfig() + onboardingConfig(t),
		ConfigVariables: vars,
	}, resource.TestStep{
		Config:          env.ProviderConfig() + frozenConfig(t),
		ConfigVariables: vars,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
	}, resource.TestStep{
		PreConfig:       func() { sd.RemoveUser(2, "raj@example.com") },
		Config:          env.ProviderConfig() + frozenConfig(t),
		ConfigVariables: vars,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{
				acctest.ExpectDrift{raj: plancheck.ResourceActionDestroy},
				acctest.ExpectChanges{raj: plancheck.ResourceActionCreate},
			},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
	}, resource.TestStep{
		PreConfig:       func() { sd.SetRole(2, "jane@example.com", "Manager") },
		Config:          env.ProviderConfig() + frozenConfig(t),
		ConfigVariables: vars,
		PlanOnly:        true,
		ExpectError:     regexp.MustCompile(`(?s)SmartDocumentor cannot change a member's role.*jane@example.com.*"Manager".*"Reviewer"`),
	}, forget(env, invitationType))
	if m, ok := sd.Member(2, "raj@example.com"); !ok || m.RoleName != "Viewer" {
		t.Fatalf("Raj should have been invited again as Viewer: %+v", m)
	}
}
