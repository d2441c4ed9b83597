package attackforge_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

func projectContract(env *acctest.Env, p string) *acctest.Contract {
	return &acctest.Contract{
		Address: teamAddr,
		Members: func() []string {
			var out []string
			for id := range env.Sandbox.AttackForge.Team(p) {
				if u, ok := env.Sandbox.AttackForge.User(id); ok {
					out = append(out, u.Email)
				}
			}
			return out
		},
		Join: func(email string) {
			env.Sandbox.AttackForge.AddUser(email[:len(email)-len("@example.com")], email, "J", "Oiner")
			if err := env.Sandbox.AttackForge.SetMember(p, email, "View", ""); err != nil {
				panic(err)
			}
		},
	}
}

func preApply(c *acctest.Contract, join ...string) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{c.Named(join...)}}
}

// The plan is the contract (see the DocSpace test of the same name): each
// apply of a saved plan removes exactly the people its JSON diff names.
// AttackForge cannot list a team (shared.DiscoverPerMember): updates and
// destroys act on the state the plan was made from.
func TestAccTeam_removesExactlyWhatThePlanNames(t *testing.T) {
	env := acctest.New(t)
	p := sandbox.AFProjectWebApp // Frank is on it
	c := projectContract(env, p)
	a := `"alice@example.com" = { access_level = "View" }`
	b := a + "\n" + `"bob@example.com" = { access_level = "Edit" }`
	cfg := `"bob@example.com" = { access_level = "Edit" }`
	add := func(email string) func() { return func() { c.Join(email) } }
	acctest.Test(t,
		resource.TestStep{
			Config: env.Config(teamConfig(p, a, "")), ConfigPlanChecks: preApply(c, "joiner1@example.com"), Check: c.Removed(),
			ConfigStateChecks: []statecheck.StateCheck{
				attr(teamAddr, "unlisted_members", knownvalue.MapSizeExact(2)), // frank, joiner1
			},
			ExpectNonEmptyPlan: true,
		},
		resource.TestStep{Config: env.Config(teamConfig(p, a, "")), ConfigPlanChecks: preApply(c, "joiner2@example.com"), Check: c.Removed(), ExpectNonEmptyPlan: true},
		resource.TestStep{PreConfig: add("oob@example.com"), Config: env.Config(teamConfig(p, b, "")), ConfigPlanChecks: preApply(c, "joiner3@example.com"), Check: c.Removed(), ExpectNonEmptyPlan: true},
		resource.TestStep{PreConfig: add("kept@example.com"), Config: env.Config(teamConfig(p, b, "exclusive = false")), ConfigPlanChecks: preApply(c), Check: c.Removed()},
		resource.TestStep{PreConfig: add("later@example.com"), Config: env.Config(teamConfig(p, cfg, "")), ConfigPlanChecks: preApply(c, "joiner4@example.com"), Check: c.Removed(), ExpectNonEmptyPlan: true},
		resource.TestStep{Config: env.Config(teamConfig(p, cfg, "")), ConfigPlanChecks: preApply(c, "joiner5@example.com"), Check: c.Removed(), ExpectNonEmptyPlan: true},
		resource.TestStep{Config: env.Config(teamConfig(p, cfg, "")), Destroy: true, ConfigPlanChecks: preApply(c, "joiner6@example.com"), Check: c.Removed()},
	)
	team := env.Sandbox.AttackForge.Team(p)
	if len(team) != 2 {
		t.Fatalf("team at the end: %v, want joiner5 and joiner6 only", team)
	}
	for _, e := range []string{"joiner5@example.com", "joiner6@example.com"} {
		if _, ok := env.Sandbox.AttackForge.Member(p, e); !ok {
			t.Errorf("%s was removed, but no plan named them", e)
		}
	}
}
