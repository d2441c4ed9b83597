package docspace_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

func portalContract(env *acctest.Env) *acctest.Contract {
	return &acctest.Contract{
		Address: teamAddr,
		Members: func() []string {
			var out []string
			for _, u := range env.Sandbox.DocSpace.Users() {
				if u.Status != sandbox.DSStatusTerminated {
					out = append(out, u.Email)
				}
			}
			return out
		},
		Join: func(email string) { env.Sandbox.DocSpace.AddUser(email, "User", sandbox.DSActivationActivated) },
	}
}

func preApply(c *acctest.Contract, join ...string) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{c.Named(join...)}}
}

// The plan is the contract: across a create, updates after people were
// added out of band, exclusive switched off and on, a listed member
// removed, and a destroy, each apply of a saved plan removes exactly the
// people the plan's JSON diff names, and nobody who joined after the plan
// was made.
func TestAccDocSpaceInvitations_removesExactlyWhatThePlanNames(t *testing.T) {
	env := acctest.New(t)
	c := portalContract(env)
	a := map[string]string{sandbox.DocSpaceAdminEmail: "DocSpaceAdmin", "new1@example.com": "User"}
	b := map[string]string{sandbox.DocSpaceAdminEmail: "DocSpaceAdmin", "new1@example.com": "User", "new2@example.com": "RoomAdmin"}
	cfg := map[string]string{sandbox.DocSpaceAdminEmail: "DocSpaceAdmin", "new2@example.com": "RoomAdmin"}
	add := func(email string) func() {
		return func() { env.Sandbox.DocSpace.AddUser(email, "User", sandbox.DSActivationActivated) }
	}
	acctest.Test(t,
		// create adopts: nobody is removed; the people not listed are in unlisted_members
		resource.TestStep{
			Config:           env.Config(teamHCL(a, "")),
			ConfigPlanChecks: preApply(c, "joiner1@example.com"),
			Check:            c.Removed(),
			// the unlisted people are the next plan's removals
			ExpectNonEmptyPlan: true,
			ConfigStateChecks: []statecheck.StateCheck{
				expect(teamAddr, "unlisted_members", knownvalue.MapExact(map[string]knownvalue.Check{
					sandbox.DocSpaceRoomAdminEmail: knownvalue.StringExact("RoomAdmin"),
					sandbox.DocSpaceUserEmail:      knownvalue.StringExact("User"),
					sandbox.DocSpaceGuestEmail:     knownvalue.StringExact("Guest"),
					"joiner1@example.com":          knownvalue.StringExact("User"),
				})),
			},
		},
		// the next plan shows them leaving unlisted_members, and removes them; a joiner is left alone
		resource.TestStep{
			Config:           env.Config(teamHCL(a, "")),
			ConfigPlanChecks: preApply(c, "joiner2@example.com"),
			Check:            c.Removed(),
			// joiner2 joined after the plan: the next plan removes them
			ExpectNonEmptyPlan: true,
		},
		// someone added out of band is named and removed; a joiner after the plan is not
		resource.TestStep{
			PreConfig:        add("oob@example.com"),
			Config:           env.Config(teamHCL(b, "")),
			ConfigPlanChecks: preApply(c, "joiner3@example.com"),
			Check:            c.Removed(),
			// joiner3 joined after the plan: the next plan removes them
			ExpectNonEmptyPlan: true,
		},
		// exclusive switched off: the unlisted people stay in unlisted_members, nobody is named or removed
		resource.TestStep{
			PreConfig:        add("kept@example.com"),
			Config:           env.Config(teamHCL(b, "  exclusive = false")),
			ConfigPlanChecks: preApply(c),
			Check:            c.Removed(),
		},
		// switched on again and a listed member dropped: only that member is named this time
		resource.TestStep{
			PreConfig:        add("later@example.com"),
			Config:           env.Config(teamHCL(cfg, "")),
			ConfigPlanChecks: preApply(c, "joiner4@example.com"),
			Check:            c.Removed(),
			// with exclusive on again, the next refresh finds the unlisted people
			ExpectNonEmptyPlan: true,
			ConfigStateChecks: []statecheck.StateCheck{
				expect(teamAddr, "unlisted_members", knownvalue.MapExact(map[string]knownvalue.Check{})),
			},
		},
		// the refresh with exclusive on finds the unlisted people; the plan names and removes them
		resource.TestStep{
			Config:           env.Config(teamHCL(cfg, "")),
			ConfigPlanChecks: preApply(c, "joiner5@example.com"),
			Check:            c.Removed(),
			// joiner5 joined after the plan: the next plan removes them
			ExpectNonEmptyPlan: true,
		},
		// destroy removes the members, not the people who joined
		resource.TestStep{
			Config:           env.Config(teamHCL(cfg, "")),
			Destroy:          true,
			ConfigPlanChecks: preApply(c, "joiner6@example.com"),
			Check:            c.Removed(),
		},
	)
	for _, e := range []string{"joiner1@example.com", "joiner3@example.com", "kept@example.com", "later@example.com"} {
		if _, ok := env.Sandbox.DocSpace.User(e); ok {
			t.Errorf("%s is still on the portal, but the plans named them", e)
		}
	}
	for _, e := range []string{"joiner5@example.com", "joiner6@example.com", sandbox.DocSpaceOwnerEmail} {
		if _, ok := env.Sandbox.DocSpace.User(e); !ok {
			t.Errorf("%s was removed, but no plan named them", e)
		}
	}
}

// A plan that removes more people than max_removals fails at plan time,
// listing them, until the limit is raised in the same change.
func TestAccDocSpaceInvitations_removalLimit(t *testing.T) {
	env := acctest.New(t)
	var many []string
	for i := range 11 {
		e := fmt.Sprintf("leaver%02d@example.com", i)
		env.Sandbox.DocSpace.AddUser(e, "User", sandbox.DSActivationActivated)
		many = append(many, e)
	}
	members := map[string]string{sandbox.DocSpaceAdminEmail: "DocSpaceAdmin", sandbox.DocSpaceRoomAdminEmail: "RoomAdmin",
		sandbox.DocSpaceUserEmail: "User", sandbox.DocSpaceGuestEmail: "Guest"}
	c := portalContract(env)
	acctest.Test(t,
		// the create adopts; the plan after it would remove the 11 unlisted people
		resource.TestStep{
			Config:      env.Config(teamHCL(members, "")),
			ExpectError: regexp.MustCompile(`(?s)The plan removes 11 people from.*more than max_removals \(10\).*leaver00@example.com.*leaver10@example.com.*max_removals = 11`),
		},
		// the provider's limit, when the resource sets none
		resource.TestStep{
			Config:      env.ProviderConfig("  max_removals = 3") + teamHCL(members, ""),
			ExpectError: regexp.MustCompile(`more than max_removals \(3\)`),
		},
		resource.TestStep{
			Config:           env.Config(teamHCL(members, "  max_removals = 11")),
			ConfigPlanChecks: preApply(c),
			Check:            c.Removed(),
		},
	)
	for _, e := range many {
		if _, ok := env.Sandbox.DocSpace.User(e); ok {
			t.Errorf("%s is still on the portal", e)
		}
	}
}

// protected_members are never planned for removal: not listed in
// unlisted_members, refused when dropped from members, left (with a
// warning) by a destroy.
func TestAccDocSpaceInvitations_protectedMembers(t *testing.T) {
	env := acctest.New(t)
	env.Sandbox.DocSpace.AddUser("ceo@keep.example", "User", sandbox.DSActivationActivated)
	env.Sandbox.DocSpace.AddUser("temp@other.example", "User", sandbox.DSActivationActivated)
	provider := env.ProviderConfig(`  protected_members = ["*@KEEP.example"]`)
	base := map[string]string{sandbox.DocSpaceAdminEmail: "DocSpaceAdmin", sandbox.DocSpaceRoomAdminEmail: "RoomAdmin",
		sandbox.DocSpaceUserEmail: "User", sandbox.DocSpaceGuestEmail: "Guest"}
	withCEO := map[string]string{"ceo@keep.example": "User"}
	for k, v := range base {
		withCEO[k] = v
	}
	c := portalContract(env)
	c.KeepsAccess = []string{"ceo@keep.example"}
	acctest.Test(t,
		resource.TestStep{
			Config:             provider + teamHCL(base, ""),
			ExpectNonEmptyPlan: true, // temp@other.example
			ConfigStateChecks: []statecheck.StateCheck{
				expect(teamAddr, "unlisted_members", knownvalue.MapExact(map[string]knownvalue.Check{"temp@other.example": knownvalue.StringExact("User")})),
			},
		},
		resource.TestStep{Config: provider + teamHCL(withCEO, ""), ConfigPlanChecks: preApply(c), Check: c.Removed()},
		resource.TestStep{
			Config:      provider + teamHCL(base, ""),
			ExpectError: regexp.MustCompile(`(?s)The plan would remove ceo@keep.example, which is protected.*protected_members`),
		},
		resource.TestStep{Config: provider + teamHCL(withCEO, ""), Destroy: true, ConfigPlanChecks: preApply(c), Check: c.Removed()},
	)
	if _, ok := env.Sandbox.DocSpace.User("ceo@keep.example"); !ok {
		t.Fatal("the protected member was removed")
	}
}
