package attackforge_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

const teamAddr = "membership_attackforge_project_team.test"

func teamConfig(project, members, extra string) string {
	return fmt.Sprintf(`
resource "membership_attackforge_project_team" "test" {
  project_id = %q
  members = {
%s
  }
%s
}
`, project, members, extra)
}

// checkExactTeam asserts the project's team is exactly want (user ->
// "level/role").
func checkExactTeam(env *acctest.Env, project string, want map[string]string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		team := env.Sandbox.AttackForge.Team(project)
		if len(team) != len(want) {
			return fmt.Errorf("team of %s is %v, want %v", project, team, want)
		}
		for user, lr := range want {
			m, ok := env.Sandbox.AttackForge.Member(project, user)
			if !ok {
				return fmt.Errorf("%s is not on the team %v", user, team)
			}
			if got := m.AccessLevel + "/" + m.ProjectRole; got != lr {
				return fmt.Errorf("%s is %s, want %s", user, got, lr)
			}
		}
		return nil
	}
}

func checkNoWrites(env *acctest.Env) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, r := range []string{routeInvite, routeRemove, routeAccess} {
			if n := env.Sandbox.Count("attackforge", r); n != 0 {
				return fmt.Errorf("%d requests %s, want none", n, r)
			}
		}
		return nil
	}
}

func TestAccTeam_exclusive(t *testing.T) {
	env := acctest.New(t)
	p := sandbox.AFProjectWebApp // Frank is on it
	members := `
    "alice@example.com" = { access_level = "View" }
    "bob@example.com"   = { access_level = "Edit", project_role = "Pentester" }`
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkExactTeam(env, p, map[string]string{"carol@example.com": "View/"}),
		Steps: []resource.TestStep{
			{
				// Creating the exclusive team removes Frank, who is not listed.
				Config: env.Config(teamConfig(p, members, "")),
				Check: resource.ComposeAggregateTestCheckFunc(
					checkExactTeam(env, p, map[string]string{"alice": "View/", "bob": "Edit/Pentester"}),
					resource.TestCheckResourceAttr(teamAddr, "id", p),
					resource.TestCheckResourceAttr(teamAddr, "exclusive", "true"),
					resource.TestCheckResourceAttr(teamAddr, "user_ids.alice@example.com", sandbox.AFUserAlice),
					resource.TestCheckResourceAttr(teamAddr, "user_ids.bob@example.com", sandbox.AFUserBob),
					func(*terraform.State) error {
						if n := env.Sandbox.Count("attackforge", routeInvite); n != 1 {
							return fmt.Errorf("%d invite requests, want 1", n)
						}
						if n := env.Sandbox.Count("attackforge", routeRemove); n != 1 {
							return fmt.Errorf("%d remove requests, want 1", n)
						}
						return nil
					},
				),
			},
			{
				ResourceName:                         teamAddr,
				ImportState:                          true,
				ImportStateId:                        p,
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "project_id",
			},
			{
				// Out of band: Carol added, Alice's access raised. Both are planned back.
				PreConfig: func() {
					if err := env.Sandbox.AttackForge.SetMember(p, "carol@example.com", "View", ""); err != nil {
						t.Fatal(err)
					}
					if err := env.Sandbox.AttackForge.SetAccess(p, "alice", "Edit"); err != nil {
						t.Fatal(err)
					}
				},
				Config: env.Config(teamConfig(p, members, "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(teamAddr, plancheck.ResourceActionUpdate)},
				},
				Check: checkExactTeam(env, p, map[string]string{"alice": "View/", "bob": "Edit/Pentester"}),
			},
			{
				// Access level in place, role by removal and invitation, a new member.
				Config: env.Config(teamConfig(p, `
    "alice@example.com" = { access_level = "Upload" }
    "bob@example.com"   = { access_level = "Edit", project_role = "Pentest Lead" }
    "dave"              = { access_level = "View" }`, "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(teamAddr, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkExactTeam(env, p, map[string]string{"alice": "Upload/", "bob": "Edit/Pentest Lead", "dave": "View/"}),
					resource.TestCheckResourceAttr(teamAddr, "user_ids.dave", sandbox.AFUserDave),
				),
			},
			{
				// A change of case of an email key is shown but sends nothing.
				PreConfig: env.Sandbox.ClearLog,
				Config: env.Config(teamConfig(p, `
    "ALICE@example.com" = { access_level = "Upload" }
    "bob@example.com"   = { access_level = "Edit", project_role = "Pentest Lead" }
    "dave"              = { access_level = "View" }`, "")),
				Check: resource.ComposeAggregateTestCheckFunc(
					checkNoWrites(env),
					resource.TestCheckResourceAttr(teamAddr, "user_ids.ALICE@example.com", sandbox.AFUserAlice),
				),
			},
			{
				// Only the listed members from now on: switching sends nothing.
				PreConfig: env.Sandbox.ClearLog,
				Config: env.Config(teamConfig(p, `
    "ALICE@example.com" = { access_level = "Upload" }
    "bob@example.com"   = { access_level = "Edit", project_role = "Pentest Lead" }
    "dave"              = { access_level = "View" }`, "exclusive = false")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(teamAddr, plancheck.ResourceActionUpdate)},
				},
				Check: checkNoWrites(env),
			},
			{
				// Carol, added out of band, is left alone; Bob, dropped from
				// the configuration, is removed.
				PreConfig: func() {
					env.Sandbox.ClearLog()
					if err := env.Sandbox.AttackForge.SetMember(p, "carol@example.com", "View", ""); err != nil {
						t.Fatal(err)
					}
				},
				Config: env.Config(teamConfig(p, `
    "ALICE@example.com" = { access_level = "Upload" }
    "dave"              = { access_level = "View" }`, "exclusive = false")),
				Check: resource.ComposeAggregateTestCheckFunc(
					checkExactTeam(env, p, map[string]string{"alice": "Upload/", "carol@example.com": "View/", "dave": "View/"}),
					func(*terraform.State) error {
						if n := env.Sandbox.Count("attackforge", routeRemove); n != 1 {
							return fmt.Errorf("%d remove requests, want 1 (bob)", n)
						}
						if n := env.Sandbox.Count("attackforge", routeUsers); n != 0 {
							return fmt.Errorf("%d user listings with exclusive = false, want 0", n)
						}
						return nil
					},
				),
			},
		},
	})
}

// A member the API answers "User Not Found" for is an error on that member;
// the others are applied and recorded.
func TestAccTeam_perUserErrors(t *testing.T) {
	env := acctest.New(t)
	p := sandbox.AFProjectRedTeam
	good := `
    "erin"                     = { access_level = "Upload" }
    "` + sandbox.AFUserGrace + `" = { access_level = "View", project_role = "SOC" }`
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkExactTeam(env, p, map[string]string{}),
		Steps: []resource.TestStep{
			{
				Config:      env.Config(teamConfig(p, good+"\n    \"ghost@example.com\" = { access_level = \"View\" }", "")),
				ExpectError: errRe(`(?s)Could not invite ghost@example.com to AttackForge project.*User Not Found`),
			},
			{
				// The failed create left no state; creating again adopts the
				// members already invited and sends nothing.
				PreConfig: env.Sandbox.ClearLog,
				Config:    env.Config(teamConfig(p, good, "")),
				Check: resource.ComposeAggregateTestCheckFunc(
					checkNoWrites(env),
					checkExactTeam(env, p, map[string]string{"erin": "Upload/", "grace": "View/SOC"}),
					resource.TestCheckResourceAttr(teamAddr, "user_ids.erin", sandbox.AFUserErin),
				),
			},
			{
				// Import keys members by email; user ids match.
				ResourceName:                         teamAddr,
				ImportState:                          true,
				ImportStateId:                        p,
				ImportStateVerifyIdentifierAttribute: "project_id",
				ImportStateCheck: func(s []*terraform.InstanceState) error {
					a := s[0].Attributes
					if a["members.erin@example.com.access_level"] != "Upload" || a["members.grace@example.com.project_role"] != "SOC" ||
						a["user_ids.grace@example.com"] != sandbox.AFUserGrace || a["exclusive"] != "true" {
						return fmt.Errorf("imported %v", a)
					}
					return nil
				},
			},
		},
	})
}

// A refresh of an exclusive team costs the user list and one listing per
// user; a non-exclusive one, one listing per member.
func TestAccTeam_refreshCost(t *testing.T) {
	env := acctest.New(t)
	p := sandbox.AFProjectNetwork
	members := `
    "alice@example.com" = { access_level = "View" }
    "bob"               = { access_level = "View" }
    "heidi@example.com" = { access_level = "Edit" }`
	countIs := func(route string, want int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if n := env.Sandbox.Count("attackforge", route); n != want {
				return fmt.Errorf("%d requests %q, want %d: %v", n, route, want, env.Sandbox.Counts())
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkExactTeam(env, p, map[string]string{}),
		Steps: []resource.TestStep{
			{Config: env.Config(teamConfig(p, members, ""))},
			{
				PreConfig:    env.Sandbox.ClearLog,
				RefreshState: true,
				Check: resource.ComposeAggregateTestCheckFunc(
					countIs(routeUsers, 1), countIs(routeProjects, 8), countIs("", 9)),
			},
			{Config: env.Config(teamConfig(p, members, "exclusive = false"))},
			{
				PreConfig:    env.Sandbox.ClearLog,
				RefreshState: true,
				Check:        resource.ComposeAggregateTestCheckFunc(countIs(routeProjects, 3), countIs("", 3)),
			},
		},
	})
}

func TestAccTeam_badInputs(t *testing.T) {
	env := acctest.New(t)
	p := sandbox.AFProjectNetwork
	plan := func(cfg, re string) resource.TestStep {
		return resource.TestStep{Config: env.Config(cfg), PlanOnly: true, ExpectError: errRe(re)}
	}
	acctest.Test(t,
		plan(teamConfig("nope", `"bob" = { access_level = "View" }`, ""), `(?s)project_id.*24-character`),
		plan(teamConfig(p, `"bad user!" = { access_level = "View" }`, ""), `(?s)must be an email address, a username`),
		plan(teamConfig(p, `"x@" = { access_level = "View" }`, ""), `(?s)looks like an email address`),
		plan(teamConfig(p, `"bob" = { access_level = "Owner" }`, ""), `(?s)access_level.*value must be one of`),
		plan(teamConfig(p, `"bob" = { access_level = "View", project_role = "Boss" }`, ""), `(?s)project_role.*value must be one of`),
		plan(teamConfig(p, `"bob" = { }`, ""), `(?s)access_level.*required`),
		resource.TestStep{
			Config:        env.Config(teamConfig(p, `"bob" = { access_level = "View" }`, "")),
			ResourceName:  teamAddr,
			ImportState:   true,
			ImportStateId: p + "/bob",
			ExpectError:   errRe(`(?s)expected the project id`),
		},
	)
	env.CheckNoRequests(t)
}
