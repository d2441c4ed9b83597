package attackforge_test

import (
	"context"
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
// project whose team has onboardingMembers (150) members (View, Upload and Edit members,
// project roles, mixed-case emails), with the roles they have in
// project_roles and no access_levels: every member is imported, nobody is
// invited or removed, nobody's access level changes, the plan sets no
// access_level, and the next plan is empty. AttackForge has no team
// listing and cannot read access levels, so the import costs 1 + one
// request per user of the instance, and nothing else.
func TestAccOnboarding(t *testing.T) {
	const n = onboardingMembers
	env := acctest.New(t)
	af := env.Sandbox.AttackForge
	levels := []string{"View", "Upload", "Edit"}
	projectRoles := map[string]config.Variable{}
	seeded := map[string]int{}
	for i := 1; i <= n; i++ {
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
		seeded[level]++
	}
	if seeded["Upload"] != n/3 || seeded["Edit"] != n/3 {
		t.Fatalf("seeded levels %v, want %d Upload and %d Edit members", seeded, n/3, n/3)
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
			"project_roles": config.MapVariable(projectRoles),
		},
		ConfigPlanChecks: resource.ConfigPlanChecks{
			// the project role is adopted (an update without a request);
			// nothing is replaced, and no access level is set
			PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(member, plancheck.ResourceActionUpdate),
				noAccessLevelPlanned{},
			},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(member, tfjsonpath.New("user"), knownvalue.StringExact("member002@example.com")),
			statecheck.ExpectKnownValue(member, tfjsonpath.New("email"), knownvalue.StringExact("Member002@Example.com")),
			statecheck.ExpectKnownValue(member, tfjsonpath.New("access_level"), knownvalue.Null()),
			statecheck.ExpectKnownValue(member, tfjsonpath.New("project_role"), knownvalue.StringExact("Consultant")),
			acctest.StateCheck(func(s *tfjson.State) error {
				if got := acctest.CountResources(s, teamMemberType); got != n {
					return fmt.Errorf("%d members in state, want %d", got, n)
				}
				counts := env.Sandbox.Counts()
				want := map[string]int{
					"attackforge " + routeUsers:    1,
					"attackforge " + routeProjects: users,
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
				return sameTeam(before, af.Team(sandbox.AFProjectRedTeam))
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
	if err := sameTeam(before, af.Team(sandbox.AFProjectRedTeam)); err != nil {
		t.Fatal(err)
	}
}

// onboardingMembers is the size of the team TestAccOnboarding adopts: the
// cost asserted is one request per user of the instance, whatever the size.
const onboardingMembers = 150

// sameTeam reports a difference between two views of a team: a member
// added, removed, or with another access level or project role.
func sameTeam(before, after map[string]sandbox.AFMember) error {
	if len(after) != len(before) {
		return fmt.Errorf("the team has %d members, had %d", len(after), len(before))
	}
	for id, m := range before {
		if after[id] != m {
			return fmt.Errorf("member %s changed: %+v -> %+v", id, m, after[id])
		}
	}
	return nil
}

// noAccessLevelPlanned is a plan check that no team member's planned
// access_level is set: the plan overwrites nobody's access level.
type noAccessLevelPlanned struct{}

func (noAccessLevelPlanned) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	n := 0
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Type != teamMemberType || rc.Change == nil {
			continue
		}
		n++
		after, _ := rc.Change.After.(map[string]any)
		if after == nil {
			resp.Error = fmt.Errorf("%s: no planned values (%v)", rc.Address, rc.Change.Actions)
			return
		}
		if v := after["access_level"]; v != nil {
			resp.Error = fmt.Errorf("%s: the plan sets access_level to %v", rc.Address, v)
			return
		}
	}
	if n != onboardingMembers {
		resp.Error = fmt.Errorf("%d team members in the plan, want %d", n, onboardingMembers)
	}
}
