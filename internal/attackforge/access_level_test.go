package attackforge_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

// memberNoLevel is a team member without access_level (not managed).
func memberNoLevel(project, user, role string) string {
	roleLine := ""
	if role != "" {
		roleLine = fmt.Sprintf("  project_role = %q\n", role)
	}
	return fmt.Sprintf(`
resource "membership_attackforge_project_team_member" "test" {
  project_id = %q
  user       = %q
%s}
`, project, user, roleLine)
}

// warns is a plan check that the plan's warnings are exactly one per
// entry of want, each holding all of its fragments.
func warns(rec *acctest.PlanDiagnostics, want ...[]string) plancheck.PlanCheck {
	return rec.CheckWarnings(func(ws []acctest.PlanDiagnostic) error {
		if len(ws) != len(want) {
			return fmt.Errorf("%d warnings, want %d: %v", len(ws), len(want), ws)
		}
		for i, fragments := range want {
			text := ws[i].Summary + " " + ws[i].Detail
			for _, f := range fragments {
				if !strings.Contains(text, f) {
					return fmt.Errorf("warning %q does not say %q", text, f)
				}
			}
		}
		return nil
	})
}

// An import leaves access_level unset: the member keeps the level they
// have (Frank, Edit), nothing is sent, and the plan has no update of
// access_level (the role is adopted without a request). Setting
// access_level afterwards warns, naming the member, that their level,
// unreadable, is overwritten; then it is managed like any other value.
// Unsetting it stops managing it, without a request.
func TestAccTeamMember_importKeepsLevelUnlessSet(t *testing.T) {
	env := acctest.New(t)
	rec := &acctest.PlanDiagnostics{}
	p := sandbox.AFProjectWebApp // Frank: Edit, Pentest Lead
	unmanaged := env.Config(memberNoLevel(p, "frank@example.com", "Pentest Lead"))
	rec.Test(t,
		resource.TestStep{
			Config:             unmanaged,
			ResourceName:       memberAddr,
			ImportState:        true,
			ImportStatePersist: true,
			ImportStateId:      p + "/frank@example.com",
		},
		resource.TestStep{
			PreConfig: func() { env.Sandbox.ClearLog(); rec.Reset() },
			Config:    unmanaged,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(memberAddr, plancheck.ResourceActionUpdate), // the role, adopted
				plancheck.ExpectKnownValue(memberAddr, tfjsonpath.New("access_level"), knownvalue.Null()),
				warns(rec),
			}},
			ConfigStateChecks: []statecheck.StateCheck{attr(memberAddr, "access_level", knownvalue.Null())},
			Check: resource.ComposeAggregateTestCheckFunc(
				checkMember(env, p, "frank", "Edit", "Pentest Lead"),
				env.ExpectRequests(platform, routeAccess, 0).Check, env.ExpectRequests(platform, routeInvite, 0).Check, env.ExpectRequests(platform, routeRemove, 0).Check,
			),
		},
		resource.TestStep{Config: unmanaged, ConfigPlanChecks: emptyPlan()},
		resource.TestStep{
			PreConfig: rec.Reset,
			Config:    env.Config(memberConfig(p, "frank@example.com", "View", "Pentest Lead")),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(memberAddr, plancheck.ResourceActionUpdate),
				warns(rec, []string{"frank@example.com", p, "will be overwritten", "cannot read", "lowers it"}),
			}},
			Check: resource.ComposeAggregateTestCheckFunc(checkMember(env, p, "frank", "View", "Pentest Lead"), env.ExpectRequests(platform, routeAccess, 1).Check),
		},
		// Managed now: a change is a plain in-place update, no warning.
		resource.TestStep{
			PreConfig: rec.Reset,
			Config:    env.Config(memberConfig(p, "frank@example.com", "Upload", "Pentest Lead")),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(memberAddr, plancheck.ResourceActionUpdate), warns(rec),
			}},
			Check: checkMember(env, p, "frank", "Upload", "Pentest Lead"),
		},
		// Unset: no longer managed, nothing sent.
		resource.TestStep{
			PreConfig: env.Sandbox.ClearLog,
			Config:    unmanaged,
			Check: resource.ComposeAggregateTestCheckFunc(
				checkMember(env, p, "frank", "Upload", "Pentest Lead"),
				func(*terraform.State) error {
					if n := len(env.Sandbox.Requests(platform)); n != 1 {
						return fmt.Errorf("%d AttackForge requests, want the refresh's one: %v", n, env.Sandbox.Counts())
					}
					return nil
				},
			),
			ConfigStateChecks: []statecheck.StateCheck{attr(memberAddr, "access_level", knownvalue.Null())},
		},
	)
}

// Without access_level, a user who is not on the team is invited with
// View, the least access; a user already on the team (with Edit, put there
// outside Terraform) is adopted without an invitation, keeping Edit. A
// replacement (another project role) without access_level warns that the
// member is invited again with View.
func TestAccTeamMember_unsetLevelInvitesWithLeastAccess(t *testing.T) {
	env := acctest.New(t)
	rec := &acctest.PlanDiagnostics{}
	p := sandbox.AFProjectNetwork
	if err := env.Sandbox.AttackForge.SetMember(p, "bob", "Edit", ""); err != nil {
		t.Fatal(err)
	}
	const bobAddr = "membership_attackforge_project_team_member.bob"
	cfg := func(aliceRole string) string {
		return env.Config(memberNoLevel(p, "alice@example.com", aliceRole) + `
resource "membership_attackforge_project_team_member" "bob" {
  project_id = "` + p + `"
  user       = "bob"
}
`)
	}
	rec.Test(t,
		resource.TestStep{
			PreConfig: env.Sandbox.ClearLog,
			Config:    cfg("Pentester"),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(memberAddr, plancheck.ResourceActionCreate),
				plancheck.ExpectResourceAction(bobAddr, plancheck.ResourceActionCreate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				attr(memberAddr, "access_level", knownvalue.Null()),
				attr(bobAddr, "access_level", knownvalue.Null()),
				attr(bobAddr, "user_id", knownvalue.StringExact(sandbox.AFUserBob)),
				attr(bobAddr, "status", knownvalue.StringExact("Invited")),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				checkMember(env, p, "alice", "View", "Pentester"),
				checkMember(env, p, "bob", "Edit", ""),
				env.ExpectRequests(platform, routeInvite, 1).Check, env.ExpectRequests(platform, routeAccess, 0).Check,
			),
		},
		resource.TestStep{Config: cfg("Pentester"), ConfigPlanChecks: emptyPlan()},
		resource.TestStep{
			PreConfig: rec.Reset,
			Config:    cfg("Pentest Lead"),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(memberAddr, plancheck.ResourceActionReplace),
				warns(rec, []string{"alice@example.com", p, "invited again", "View", "Set access_level"}),
			}},
			Check: resource.ComposeAggregateTestCheckFunc(
				checkMember(env, p, "alice", "View", "Pentest Lead"),
				checkMember(env, p, "bob", "Edit", ""),
			),
		},
	)
}

// Importing a member who is not there names the member and the project and
// says what to check, instead of Terraform's "Cannot import non-existent
// remote object": a user AttackForge does not know, and a known user who
// is not on the team. Nothing is invited or removed.
func TestAccTeamMember_importNotFound(t *testing.T) {
	env := acctest.New(t)
	p := sandbox.AFProjectNetwork // empty team
	cfg := env.Config(memberNoLevel(p, "alice@example.com", ""))
	acctest.Test(t,
		resource.TestStep{
			Config: cfg, ResourceName: memberAddr, ImportState: true, ImportStateId: p + "/nobody@example.com",
			ExpectError: errRe(`(?s)Cannot import nobody@example.com: not a member of AttackForge project ` + p + `.*` +
				`AttackForge has no user nobody@example.com. Check the value`),
		},
		resource.TestStep{
			Config: cfg, ResourceName: memberAddr, ImportState: true, ImportStateId: p + "/alice@example.com",
			ExpectError: errRe(`(?s)Cannot import alice@example.com: not a member of AttackForge project ` + p + `.*` +
				`user alice@example.com \(id ` + sandbox.AFUserAlice + `\) exists, but project ` + p + ` is not among the projects.*Check the project id`),
		},
	)
	for _, route := range []string{routeInvite, routeRemove, routeAccess} {
		if n := env.Sandbox.Count(platform, route); n != 0 {
			t.Errorf("%d requests %s during imports", n, route)
		}
	}
}
