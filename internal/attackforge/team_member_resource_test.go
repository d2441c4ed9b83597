package attackforge_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

const (
	routeInvite   = "POST /api/ss/project/{id}/team/invite"
	routeAccess   = "PUT /api/ss/project/{project_id}/access/{user_id}"
	routeRemove   = "PUT /api/ss/project/{id}/team/remove"
	routeProjects = "GET /api/ss/user/{id}/projects"
	routeByEmail  = "GET /api/ss/users/email/{email}"
	routeByName   = "GET /api/ss/users/username/{username}"
	routeUsers    = "GET /api/ss/users"
)

// errRe compiles an expected error pattern in which each space matches
// any run of white space (terraform wraps long messages).
func errRe(s string) *regexp.Regexp {
	return regexp.MustCompile(strings.ReplaceAll(s, " ", `\s+`))
}

func memberConfig(project, user, level, role string) string {
	roleLine := ""
	if role != "" {
		roleLine = fmt.Sprintf("  project_role = %q\n", role)
	}
	return fmt.Sprintf(`
resource "membership_attackforge_project_team_member" "test" {
  project_id   = %q
  user         = %q
  access_level = %q
%s}
`, project, user, level, roleLine)
}

// checkGone is a CheckDestroy asserting nobody but the seeded team is left
// on the project.
func checkTeam(env *acctest.Env, project string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := len(env.Sandbox.AttackForge.Team(project)); got != want {
			return fmt.Errorf("project %s has %d members, want %d: %v", project, got, want, env.Sandbox.AttackForge.Team(project))
		}
		return nil
	}
}

func checkMember(env *acctest.Env, project, user, level, role string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		m, ok := env.Sandbox.AttackForge.Member(project, user)
		if !ok {
			return fmt.Errorf("%s is not on project %s", user, project)
		}
		if m.AccessLevel != level || m.ProjectRole != role {
			return fmt.Errorf("%s on %s: access %q role %q, want %q %q", user, project, m.AccessLevel, m.ProjectRole, level, role)
		}
		return nil
	}
}

func TestAccTeamMember_lifecycle(t *testing.T) {
	env := acctest.New(t)
	const addr = "membership_attackforge_project_team_member.test"
	p := sandbox.AFProjectNetwork
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkTeam(env, p, 0),
		Steps: []resource.TestStep{
			{
				Config: env.Config(memberConfig(p, "alice@example.com", "View", "Pentester")),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(addr, "id", p+"/"+sandbox.AFUserAlice),
					resource.TestCheckResourceAttr(addr, "user_id", sandbox.AFUserAlice),
					resource.TestCheckResourceAttr(addr, "email", "alice@example.com"),
					resource.TestCheckResourceAttr(addr, "username", "alice"),
					resource.TestCheckResourceAttr(addr, "status", "Invited"),
					resource.TestCheckResourceAttr(addr, "access_level", "View"),
					resource.TestCheckResourceAttr(addr, "project_role", "Pentester"),
					checkMember(env, p, sandbox.AFUserAlice, "View", "Pentester"),
				),
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateId:     p + "/alice@example.com",
				ImportStateVerify: true,
			},
			{
				// access_level changes in place.
				Config: env.Config(memberConfig(p, "alice@example.com", "Edit", "Pentester")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				Check: checkMember(env, p, sandbox.AFUserAlice, "Edit", "Pentester"),
			},
			{
				// A change of letter case of the email is not a change.
				Config: env.Config(memberConfig(p, "Alice@EXAMPLE.com", "Edit", "Pentester")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				// Access level changed out of band: an in-place update puts it back.
				PreConfig: func() {
					if err := env.Sandbox.AttackForge.SetAccess(p, sandbox.AFUserAlice, "Upload"); err != nil {
						t.Fatal(err)
					}
				},
				Config: env.Config(memberConfig(p, "Alice@EXAMPLE.com", "Edit", "Pentester")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				Check: checkMember(env, p, sandbox.AFUserAlice, "Edit", "Pentester"),
			},
			{
				// Removed from the team out of band: the next apply invites again.
				PreConfig: func() {
					if !env.Sandbox.AttackForge.RemoveFromProject(p, sandbox.AFUserAlice) {
						t.Fatal("alice was not on the team")
					}
				},
				Config: env.Config(memberConfig(p, "Alice@EXAMPLE.com", "Edit", "Pentester")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
				Check: checkMember(env, p, sandbox.AFUserAlice, "Edit", "Pentester"),
			},
			{
				// The API cannot change a project role: replace.
				Config: env.Config(memberConfig(p, "alice@example.com", "Edit", "Pentest Lead")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace)},
				},
				Check: checkMember(env, p, sandbox.AFUserAlice, "Edit", "Pentest Lead"),
			},
		},
	})
}

func TestAccTeamMember_usernameAndID(t *testing.T) {
	env := acctest.New(t)
	p := sandbox.AFProjectRedTeam
	cfg := env.Config(`
resource "membership_attackforge_project_team_member" "by_name" {
  project_id   = "` + p + `"
  user         = "bob"
  access_level = "Upload"
}
resource "membership_attackforge_project_team_member" "by_id" {
  project_id   = "` + p + `"
  user         = "` + sandbox.AFUserDave + `"
  access_level = "View"
  project_role = "Developer"
}
`)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkTeam(env, p, 0),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("membership_attackforge_project_team_member.by_name", "user_id", sandbox.AFUserBob),
					resource.TestCheckResourceAttr("membership_attackforge_project_team_member.by_name", "email", "bob@example.com"),
					resource.TestCheckResourceAttr("membership_attackforge_project_team_member.by_id", "username", "dave"),
					checkMember(env, p, "bob", "Upload", ""),
					checkMember(env, p, "dave", "View", "Developer"),
				),
			},
			{
				ResourceName:      "membership_attackforge_project_team_member.by_name",
				ImportState:       true,
				ImportStateId:     p + "/bob",
				ImportStateVerify: true,
			},
			{
				ResourceName:      "membership_attackforge_project_team_member.by_id",
				ImportState:       true,
				ImportStateId:     p + "/" + sandbox.AFUserDave,
				ImportStateVerify: true,
			},
			{
				// Importing by email a member created by id: same membership.
				ResourceName:            "membership_attackforge_project_team_member.by_id",
				ImportState:             true,
				ImportStateId:           p + "/dave@example.com",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"user"},
			},
			{
				// The user is deleted in AttackForge: the membership is gone.
				PreConfig:          func() { env.Sandbox.AttackForge.DeleteUser("bob") },
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// Per-user failures inside the HTTP 200 answer are errors on the right
// resource, and the other users of the same batch are created.
func TestAccTeamMember_perUserStatuses(t *testing.T) {
	env := acctest.New(t)
	p := sandbox.AFProjectNetwork
	good := `
resource "membership_attackforge_project_team_member" "good" {
  project_id   = "` + p + `"
  user         = "grace@example.com"
  access_level = "View"
}
`
	bad := `
resource "membership_attackforge_project_team_member" "ghost" {
  project_id   = "` + p + `"
  user         = "ghost@example.com"
  access_level = "View"
}
`
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkTeam(env, p, 0),
		Steps: []resource.TestStep{
			{
				Config:      env.Config(good + bad),
				ExpectError: errRe(`(?s)Could not invite ghost@example.com to AttackForge project.*User Not Found`),
			},
			{
				// grace went through in the same batch.
				Config: env.Config(good),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: checkMember(env, p, "grace@example.com", "View", ""),
			},
			{
				PreConfig: func() {
					env.Sandbox.AddFault(sandbox.Fault{
						Platform: "attackforge", Method: "POST", Path: "/team/invite", Status: 200, Count: 1,
						Body: `{"result":[{"user":"heidi","status":"Invalid accessLevel"}]}`,
					})
				},
				Config: env.Config(good + `
resource "membership_attackforge_project_team_member" "heidi" {
  project_id   = "` + p + `"
  user         = "heidi"
  access_level = "Upload"
}
`),
				ExpectError: errRe(`(?s)Could not invite heidi to AttackForge project.*Invalid accessLevel.*View, Upload or Edit`),
			},
		},
	})
	if _, ok := env.Sandbox.AttackForge.Member(p, "heidi"); ok {
		t.Error("heidi is on the team although the invitation failed")
	}
}

// Concurrent creates for one project share one invitation request, and a
// refresh of several members reads each user's projects once.
func TestAccTeamMember_batchingAndRefreshCost(t *testing.T) {
	env := acctest.New(t)
	cfg := env.Config(fmt.Sprintf(`
locals {
  # count, not for_each: the test framework's state checks do not support for_each.
  members = setproduct([%q, %q], ["alice@example.com", "bob", %q])
}
resource "membership_attackforge_project_team_member" "m" {
  count        = length(local.members)
  project_id   = local.members[count.index][0]
  user         = local.members[count.index][1]
  access_level = "View"
}
`, sandbox.AFProjectNetwork, sandbox.AFProjectRedTeam, sandbox.AFUserCarol))
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(
			checkTeam(env, sandbox.AFProjectNetwork, 0), checkTeam(env, sandbox.AFProjectRedTeam, 0),
			func(*terraform.State) error {
				// Six destroys, two projects: batched removals too.
				if n := env.Sandbox.Count("attackforge", routeRemove); n < 2 || n >= 6 {
					return fmt.Errorf("%d remove requests for 6 members on 2 projects, want 2 to 5", n)
				}
				return nil
			}),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: resource.ComposeAggregateTestCheckFunc(
					checkTeam(env, sandbox.AFProjectNetwork, 3),
					checkTeam(env, sandbox.AFProjectRedTeam, 3),
					func(*terraform.State) error {
						// Six creates, two projects: batched into fewer requests than members.
						if n := env.Sandbox.Count("attackforge", routeInvite); n < 2 || n >= 6 {
							return fmt.Errorf("%d invite requests for 6 members on 2 projects, want 2 to 5", n)
						}
						return nil
					},
				),
			},
			{
				PreConfig:    env.Sandbox.ClearLog,
				RefreshState: true,
				Check: func(*terraform.State) error {
					// Six memberships of three users: three listings, nothing else.
					if n := env.Sandbox.Count("attackforge", routeProjects); n != 3 {
						return fmt.Errorf("refresh sent %d GET user/:id/projects, want 3 (one per user): %v", n, env.Sandbox.Counts())
					}
					if n := env.Sandbox.Count("attackforge", ""); n != 3 {
						return fmt.Errorf("refresh sent %d requests, want 3: %v", n, env.Sandbox.Counts())
					}
					return nil
				},
			},
		},
	})
}

func TestAccTeamMember_badInputs(t *testing.T) {
	env := acctest.New(t)
	p := sandbox.AFProjectNetwork
	plan := func(cfg, re string) resource.TestStep {
		return resource.TestStep{Config: env.Config(cfg), PlanOnly: true, ExpectError: errRe(re)}
	}
	acctest.Test(t,
		plan(memberConfig("620F1707C66EF8821D35EE17", "alice@example.com", "View", ""), `(?s)project_id.*24-character lowercase hexadecimal`),
		plan(memberConfig("1234", "alice@example.com", "View", ""), `(?s)project_id.*24-character`),
		plan(memberConfig(p, "alice@", "View", ""), `(?s)Attribute user looks like an email address`),
		plan(memberConfig(p, "bad user!", "View", ""), `(?s)Attribute user must be an email address, a username`),
		plan(memberConfig(p, "alice@example.com", "view", ""), `(?s)access_level.*value must be one of`),
		plan(memberConfig(p, "alice@example.com", "Admin", ""), `(?s)access_level.*"Edit"`),
		plan(memberConfig(p, "alice@example.com", "View", "Hacker"), `(?s)project_role.*value must be one of`),
		resource.TestStep{
			Config:        env.Config(memberConfig(p, "alice@example.com", "View", "")),
			ResourceName:  "membership_attackforge_project_team_member.test",
			ImportState:   true,
			ImportStateId: "alice@example.com",
			ExpectError:   errRe(`(?s)expected\s+"<project_id>/<user>"`),
		},
		resource.TestStep{
			Config:        env.Config(memberConfig(p, "alice@example.com", "View", "")),
			ResourceName:  "membership_attackforge_project_team_member.test",
			ImportState:   true,
			ImportStateId: "nope/alice@example.com",
			ExpectError:   errRe(`(?s)project_id must be a 24-character`),
		},
	)
	env.CheckNoRequests(t)
}

// GET /api/ss/user/:id/projects is not documented: a bare array with `_id`
// and no access level is understood; membership is still detected, access
// level drift is not (it cannot be).
func TestAccTeamMember_tolerantProjectsListing(t *testing.T) {
	env := acctest.New(t)
	p := sandbox.AFProjectNetwork
	cfg := env.Config(memberConfig(p, "erin@example.com", "View", ""))
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkTeam(env, p, 0),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					env.Sandbox.AddFault(sandbox.Fault{Platform: "attackforge", Method: "GET", Path: "/projects", Status: 200,
						Body: `[{"_id":"` + p + `","project_name":"Internal Network"}]`})
				},
				Config:   cfg,
				PlanOnly: true,
			},
			{
				PreConfig: func() {
					env.Sandbox.ClearFaults()
					env.Sandbox.AddFault(sandbox.Fault{Platform: "attackforge", Method: "GET", Path: "/projects", Status: 200,
						Body: `{"projects":[{"project_id":"` + sandbox.AFProjectWebApp + `","accessLevel":"Edit"}]}`})
				},
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				PreConfig: env.Sandbox.ClearFaults,
				Config:    cfg,
				PlanOnly:  true,
			},
		},
	})
}
