package attackforge_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

// TestAccOnboarding applies the onboarding guide's configuration to a
// project whose team has 300 members (mixed access levels and project
// roles, mixed-case emails), with the access levels and roles they have
// in access_levels and project_roles: every member is imported, nobody is
// invited or removed, and the next plan is empty. AttackForge has no team
// listing and cannot read access levels, so the import costs 1 + one
// request per user of the instance, and the apply one access level PUT
// per member (with the level the member already has).
func TestAccOnboarding(t *testing.T) {
	env := acctest.New(t)
	af := env.Sandbox.AttackForge
	levels := []string{"View", "Upload", "Edit"}
	accessLevels, projectRoles := map[string]config.Variable{}, map[string]config.Variable{}
	for i := 1; i <= 300; i++ {
		email := fmt.Sprintf("Member%03d@Example.com", i)
		if i%3 == 0 {
			email = strings.ToLower(email)
		}
		id := af.AddUser(fmt.Sprintf("member%03d", i), email, "Mem", fmt.Sprintf("Ber%d", i))
		level, role := levels[i%3], ""
		if i%4 != 0 {
			role = sandbox.AFProjectRoles[i%len(sandbox.AFProjectRoles)]
			projectRoles[strings.ToLower(email)] = config.StringVariable(role)
		}
		if err := af.SetMember(sandbox.AFProjectRedTeam, id, level, role); err != nil {
			t.Fatal(err)
		}
		if level != "View" {
			accessLevels[strings.ToLower(email)] = config.StringVariable(level)
		}
	}
	before := af.Team(sandbox.AFProjectRedTeam)
	users := len(af.Users())
	b, err := os.ReadFile("../../examples/guides/onboarding/attackforge/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	const member = `membership_attackforge_project_team_member.member["member002@example.com"]`
	acctest.Test(t, resource.TestStep{
		PreConfig: env.Sandbox.ClearLog,
		Config:    env.ProviderConfig() + string(b),
		ConfigVariables: config.Variables{
			"project_id":    config.StringVariable(sandbox.AFProjectRedTeam),
			"access_levels": config.MapVariable(accessLevels),
			"project_roles": config.MapVariable(projectRoles),
		},
		ConfigPlanChecks: resource.ConfigPlanChecks{
			// the access level, unreadable, is set once; nothing is replaced
			PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(member, plancheck.ResourceActionUpdate)},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(member, tfjsonpath.New("user"), knownvalue.StringExact("member002@example.com")),
			statecheck.ExpectKnownValue(member, tfjsonpath.New("email"), knownvalue.StringExact("Member002@Example.com")),
			statecheck.ExpectKnownValue(member, tfjsonpath.New("access_level"), knownvalue.StringExact("Edit")),
			statecheck.ExpectKnownValue(member, tfjsonpath.New("project_role"), knownvalue.StringExact("Consultant")),
			acctest.StateCheck(func(s *tfjson.State) error {
				if n := acctest.CountResources(s, teamMemberType); n != 300 {
					return fmt.Errorf("%d members in state, want 300", n)
				}
				counts := env.Sandbox.Counts()
				want := map[string]int{
					"attackforge " + routeUsers:    1,
					"attackforge " + routeProjects: users,
					"attackforge " + routeAccess:   300,
				}
				total := 0
				for route, n := range want {
					if counts[route] != n {
						return fmt.Errorf("requests of the onboarding: %v; want %v", counts, want)
					}
					total += n
				}
				if len(env.Sandbox.Requests("attackforge")) != total {
					return fmt.Errorf("requests of the onboarding: %v; want only %v", counts, want)
				}
				return nil
			}),
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
		ConfigStateChecks: []statecheck.StateCheck{acctest.StateCheck(func(s *tfjson.State) error {
			if n := acctest.CountResources(s, teamMemberType); n != 0 {
				return fmt.Errorf("%d members still in state", n)
			}
			return nil
		})},
	})
	after := af.Team(sandbox.AFProjectRedTeam)
	if len(after) != len(before) {
		t.Fatalf("the team has %d members after onboarding, had %d", len(after), len(before))
	}
	for id, m := range before {
		if after[id] != m {
			t.Fatalf("member %s changed: %+v -> %+v", id, m, after[id])
		}
	}
}
