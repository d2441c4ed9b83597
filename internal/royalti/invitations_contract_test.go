package royalti_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

func workspaceContract(env *acctest.Env) *acctest.Contract {
	return &acctest.Contract{
		Address: teamAddr,
		Members: func() []string {
			var out []string
			for _, u := range env.Sandbox.Royalti.Users() {
				out = append(out, u.Email)
			}
			return out
		},
		Join: func(email string) { env.Sandbox.Royalti.AddUser(email, "user", "", "", "joined") },
	}
}

func preApply(c *acctest.Contract, join ...string) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{c.Named(join...)}}
}

// The plan is the contract (see the DocSpace test of the same name): each
// apply of a saved plan removes exactly the people its JSON diff names.
func TestAccRoyaltiInvitations_removesExactlyWhatThePlanNames(t *testing.T) {
	env := acctest.New(t)
	c := workspaceContract(env)
	c.KeepsAccess = []string{sandbox.RoyaltiOwnerEmail}
	a := `    "new1@example.com" = {}`
	b := a + "\n" + `    "new2@example.com" = { role = "admin" }`
	cfg := `    "new2@example.com" = { role = "admin" }`
	add := func(email string) func() {
		return func() { env.Sandbox.Royalti.AddUser(email, "user", "", "", "joined") }
	}
	acctest.Test(t,
		resource.TestStep{
			Config: env.Config(teamHCL("", a)), ConfigPlanChecks: preApply(c, "joiner1@example.com"), Check: c.Removed(),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(teamAddr, tfjsonpath.New("unlisted_members"), knownvalue.MapExact(map[string]knownvalue.Check{
					sandbox.RoyaltiMemberEmail: knownvalue.StringExact("user"), "joiner1@example.com": knownvalue.StringExact("user"),
				})),
			},
			ExpectNonEmptyPlan: true,
		},
		resource.TestStep{Config: env.Config(teamHCL("", a)), ConfigPlanChecks: preApply(c, "joiner2@example.com"), Check: c.Removed(), ExpectNonEmptyPlan: true},
		resource.TestStep{PreConfig: add("oob@example.com"), Config: env.Config(teamHCL("", b)), ConfigPlanChecks: preApply(c, "joiner3@example.com"), Check: c.Removed(), ExpectNonEmptyPlan: true},
		resource.TestStep{PreConfig: add("kept@example.com"), Config: env.Config(teamHCL("  exclusive = false", b)), ConfigPlanChecks: preApply(c), Check: c.Removed()},
		resource.TestStep{PreConfig: add("later@example.com"), Config: env.Config(teamHCL("", cfg)), ConfigPlanChecks: preApply(c, "joiner4@example.com"), Check: c.Removed(), ExpectNonEmptyPlan: true},
		resource.TestStep{Config: env.Config(teamHCL("", cfg)), ConfigPlanChecks: preApply(c, "joiner5@example.com"), Check: c.Removed(), ExpectNonEmptyPlan: true},
		resource.TestStep{Config: env.Config(teamHCL("", cfg)), Destroy: true, ConfigPlanChecks: preApply(c, "joiner6@example.com"), Check: c.Removed()},
	)
	for _, e := range []string{"joiner1@example.com", "oob@example.com", "kept@example.com", "later@example.com", "new1@example.com", "new2@example.com"} {
		if _, ok := env.Sandbox.Royalti.User(e); ok {
			t.Errorf("%s is still in the workspace, but the plans named them", e)
		}
	}
	for _, e := range []string{"joiner5@example.com", "joiner6@example.com", sandbox.RoyaltiOwnerEmail} {
		if _, ok := env.Sandbox.Royalti.User(e); !ok {
			t.Errorf("%s was removed, but no plan named them", e)
		}
	}
}

// The removal limit and protected_members, on Royalti.
func TestAccRoyaltiInvitations_guardrails(t *testing.T) {
	env := acctest.New(t)
	for i := range 11 {
		env.Sandbox.Royalti.AddUser(fmt.Sprintf("leaver%02d@example.com", i), "user", "", "", "joined")
	}
	env.Sandbox.Royalti.AddUser("cfo@keep.example", "admin", "", "", "joined")
	provider := env.ProviderConfig(`  protected_members = ["cfo@keep.example"]`)
	members := `    "member@royalti.example" = {}`
	c := workspaceContract(env)
	acctest.Test(t,
		resource.TestStep{
			Config:      provider + teamHCL("", members),
			ExpectError: regexp.MustCompile(`(?s)The plan removes 11 people from.*more than max_removals \(10\).*leaver00@example.com`),
		},
		resource.TestStep{
			Config:           provider + teamHCL("  max_removals = 11", members),
			ConfigPlanChecks: preApply(c),
			Check:            c.Removed(),
			// the protected admin is never in unlisted_members
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(teamAddr, tfjsonpath.New("unlisted_members"), knownvalue.MapExact(map[string]knownvalue.Check{})),
			},
		},
	)
	if _, ok := env.Sandbox.Royalti.User("cfo@keep.example"); !ok {
		t.Fatal("the protected member was removed")
	}
}
