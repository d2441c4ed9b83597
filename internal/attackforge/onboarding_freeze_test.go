package attackforge_test

import (
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

// onboardingExample returns an onboarding guide configuration, as
// published.
func onboardingExample(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile("../../examples/guides/onboarding/attackforge/" + path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestAccOnboarding_frozen onboards a team of three with the guide's
// configuration (their levels and roles in access_levels and
// project_roles), then switches to the frozen one (the team as a map
// literal): the plan is empty. Someone then removes Bob from the team by
// hand: the plan shows exactly that (Bob's drift and Bob added back,
// nothing else), and the apply adds Bob back (as View: the map sets no
// level for him).
func TestAccOnboarding_frozen(t *testing.T) {
	env := acctest.New(t)
	af := env.Sandbox.AttackForge
	project := sandbox.AFProjectRedTeam
	for _, m := range []struct{ user, level, role string }{
		{"alice@example.com", "Upload", "Pentester"},
		{"bob@example.com", "View", ""},
		{"carol@example.com", "Edit", "Client"},
	} {
		if err := af.SetMember(project, m.user, m.level, m.role); err != nil {
			t.Fatal(err)
		}
	}
	onboarding := config.Variables{
		"project_id": config.StringVariable(project),
		"access_levels": config.MapVariable(map[string]config.Variable{
			"alice@example.com": config.StringVariable("Upload"),
			"carol@example.com": config.StringVariable("Edit"),
		}),
		"project_roles": config.MapVariable(map[string]config.Variable{
			"alice@example.com": config.StringVariable("Pentester"),
			"carol@example.com": config.StringVariable("Client"),
		}),
	}
	frozen := config.Variables{"project_id": config.StringVariable(project)}
	const bob = `membership_attackforge_project_team_member.member["bob@example.com"]`
	acctest.Test(t, resource.TestStep{
		Config:          env.ProviderConfig() + onboardingExample(t, "main.tf"),
		ConfigVariables: onboarding,
	}, resource.TestStep{
		Config:          env.ProviderConfig() + onboardingExample(t, "frozen/main.tf"),
		ConfigVariables: frozen,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
	}, resource.TestStep{
		PreConfig:       func() { af.RemoveFromProject(project, "bob@example.com") },
		Config:          env.ProviderConfig() + onboardingExample(t, "frozen/main.tf"),
		ConfigVariables: frozen,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{
				acctest.ExpectDrift{bob: plancheck.ResourceActionDestroy},
				acctest.ExpectChanges{bob: plancheck.ResourceActionCreate},
			},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
	}, resource.TestStep{
		Config: env.ProviderConfig() + `
removed {
  from = membership_attackforge_project_team_member.member
  lifecycle {
    destroy = false
  }
}
`,
	})
	if m, ok := af.Member(project, "bob@example.com"); !ok || m.AccessLevel != "View" {
		t.Fatalf("Bob should be back on the team with View: %+v", m)
	}
	if n := len(af.Team(project)); n != 3 {
		t.Fatalf("the team has %d members, want 3", n)
	}
}
