package attackforge_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

const (
	platform      = "attackforge"
	routeInvite   = "POST /api/ss/project/{id}/team/invite"
	routeAccess   = "PUT /api/ss/project/{project_id}/access/{user_id}"
	routeRemove   = "PUT /api/ss/project/{id}/team/remove"
	routeProjects = "GET /api/ss/user/{id}/projects"
	routeUsers    = "GET /api/ss/users"
	memberAddr    = "membership_attackforge_project_team_member.test"
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

// attr is a state check of one attribute of a resource.
func attr(addr, name string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(addr, tfjsonpath.New(name), v)
}

// planIs checks the action planned for addr before apply.
func planIs(addr string, action plancheck.ResourceActionType) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, action)}}
}

func emptyPlan() resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}
}

// checkTeam asserts the number of members of a project in the sandbox.
func checkTeam(env *acctest.Env, project string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := len(env.Sandbox.AttackForge.Team(project)); got != want {
			return fmt.Errorf("project %s has %d members, want %d: %v", project, got, want, env.Sandbox.AttackForge.Team(project))
		}
		return nil
	}
}

// checkMember asserts a member's access level and role in the sandbox.
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
	p := sandbox.AFProjectNetwork
	sameID := statecheck.CompareValue(compare.ValuesSame())
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkTeam(env, p, 0),
		Steps: []resource.TestStep{
			{
				Config:           env.Config(memberConfig(p, "alice@example.com", "View", "Pentester")),
				ConfigPlanChecks: planIs(memberAddr, plancheck.ResourceActionCreate),
				ConfigStateChecks: []statecheck.StateCheck{
					attr(memberAddr, "id", knownvalue.StringExact(p+"/"+sandbox.AFUserAlice)),
					attr(memberAddr, "user_id", knownvalue.StringExact(sandbox.AFUserAlice)),
					attr(memberAddr, "email", knownvalue.StringExact("alice@example.com")),
					attr(memberAddr, "username", knownvalue.StringExact("alice")),
					attr(memberAddr, "status", knownvalue.StringExact("Invited")),
					attr(memberAddr, "access_level", knownvalue.StringExact("View")),
					attr(memberAddr, "project_role", knownvalue.StringExact("Pentester")),
					sameID.AddStateValue(memberAddr, tfjsonpath.New("id")),
				},
				Check: checkMember(env, p, sandbox.AFUserAlice, "View", "Pentester"),
			},
			{
				// The API cannot read a member's access level or role: an
				// import has neither, and says so by not inventing them.
				ResourceName:            memberAddr,
				ImportState:             true,
				ImportStateId:           p + "/alice@example.com",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"access_level", "project_role"},
			},
			{
				// access_level changes in place.
				Config:            env.Config(memberConfig(p, "alice@example.com", "Edit", "Pentester")),
				ConfigPlanChecks:  planIs(memberAddr, plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(memberAddr, tfjsonpath.New("id"))},
				Check:             checkMember(env, p, sandbox.AFUserAlice, "Edit", "Pentester"),
			},
			{
				// A change of letter case of the email is not a change.
				Config:           env.Config(memberConfig(p, "Alice@EXAMPLE.com", "Edit", "Pentester")),
				ConfigPlanChecks: emptyPlan(),
			},
			{
				// Access level changed out of band: the API cannot report it,
				// so the plan stays empty (documented).
				PreConfig: func() {
					if err := env.Sandbox.AttackForge.SetAccess(p, sandbox.AFUserAlice, "Upload"); err != nil {
						t.Fatal(err)
					}
				},
				Config:           env.Config(memberConfig(p, "Alice@EXAMPLE.com", "Edit", "Pentester")),
				ConfigPlanChecks: emptyPlan(),
				Check:            checkMember(env, p, sandbox.AFUserAlice, "Upload", "Pentester"),
			},
			{
				// Removed from the team out of band: the next apply invites again.
				PreConfig: func() {
					if !env.Sandbox.AttackForge.RemoveFromProject(p, sandbox.AFUserAlice) {
						t.Fatal("alice was not on the team")
					}
				},
				Config:           env.Config(memberConfig(p, "Alice@EXAMPLE.com", "Edit", "Pentester")),
				ConfigPlanChecks: planIs(memberAddr, plancheck.ResourceActionCreate),
				Check:            checkMember(env, p, sandbox.AFUserAlice, "Edit", "Pentester"),
			},
			{
				// The API cannot change a project role: replace.
				Config:           env.Config(memberConfig(p, "alice@example.com", "Edit", "Pentest Lead")),
				ConfigPlanChecks: planIs(memberAddr, plancheck.ResourceActionReplace),
				Check:            checkMember(env, p, sandbox.AFUserAlice, "Edit", "Pentest Lead"),
			},
		},
	})
}

// Importing an existing member whose configuration sets access_level and
// project_role: the API reports neither, so the import must not plan a
// replacement (team/remove and invite again). The access level is set in
// place, the role adopted, nothing else sent; a later role change
// replaces as usual.
func TestAccTeamMember_importAdoptsLevelAndRole(t *testing.T) {
	env := acctest.New(t)
	p := sandbox.AFProjectWebApp // Frank: Edit, Pentest Lead
	cfg := env.Config(memberConfig(p, "frank@example.com", "Edit", "Pentest Lead"))
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkTeam(env, p, 0),
		Steps: []resource.TestStep{
			{
				Config:             cfg,
				ResourceName:       memberAddr,
				ImportState:        true,
				ImportStatePersist: true,
				ImportStateId:      p + "/frank@example.com",
				ImportStateCheck: func(s []*terraform.InstanceState) error {
					a := s[0].Attributes
					if a["user_id"] != sandbox.AFUserFrank || a["access_level"] != "" || a["project_role"] != "" {
						return fmt.Errorf("imported %v: want the user id and no access level or role (the API reports none)", a)
					}
					return nil
				},
			},
			{
				PreConfig:        env.Sandbox.ClearLog,
				Config:           cfg,
				ConfigPlanChecks: planIs(memberAddr, plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{
					attr(memberAddr, "access_level", knownvalue.StringExact("Edit")),
					attr(memberAddr, "project_role", knownvalue.StringExact("Pentest Lead")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkMember(env, p, "frank", "Edit", "Pentest Lead"),
					env.ExpectRequests(platform, routeRemove, 0).Check, env.ExpectRequests(platform, routeInvite, 0).Check, env.ExpectRequests(platform, routeAccess, 1).Check,
				),
			},
			{Config: cfg, ConfigPlanChecks: emptyPlan()},
			{
				Config:           env.Config(memberConfig(p, "frank@example.com", "Edit", "SOC")),
				ConfigPlanChecks: planIs(memberAddr, plancheck.ResourceActionReplace),
				Check:            checkMember(env, p, "frank", "Edit", "SOC"),
			},
		},
	})
}

// Emails that need escaping in a URL path are looked up, invited, read,
// imported and removed: each path segment is escaped exactly once.
func TestAccTeamMember_emailsEscapedOnce(t *testing.T) {
	env := acctest.New(t)
	p := sandbox.AFProjectRedTeam
	users := map[string]string{
		"o'brien@example.com": sandbox.AFUserOBrien,
		"x%y@example.com":     sandbox.AFUserPercent,
		"jöhn@exämple.com":    sandbox.AFUserUmlaut,
	}
	var cfg strings.Builder
	var checks []statecheck.StateCheck
	i := 0
	for email, id := range users {
		fmt.Fprintf(&cfg, `
resource "membership_attackforge_project_team_member" "m%d" {
  project_id   = %q
  user         = %q
  access_level = "View"
}
data "membership_attackforge_user" "u%d" {
  email = %q
}
`, i, p, email, i, email)
		checks = append(checks,
			attr(fmt.Sprintf("membership_attackforge_project_team_member.m%d", i), "user_id", knownvalue.StringExact(id)),
			attr(fmt.Sprintf("data.membership_attackforge_user.u%d", i), "id", knownvalue.StringExact(id)))
		i++
	}
	steps := []resource.TestStep{{
		Config:            env.Config(cfg.String()),
		ConfigStateChecks: checks,
		Check:             checkTeam(env, p, 3),
	}}
	i = 0
	for email := range users {
		steps = append(steps, resource.TestStep{
			ResourceName:            fmt.Sprintf("membership_attackforge_project_team_member.m%d", i),
			ImportState:             true,
			ImportStateId:           p + "/" + email,
			ImportStateVerify:       true,
			ImportStateVerifyIgnore: []string{"access_level"},
		})
		i++
	}
	steps = append(steps, resource.TestStep{
		PreConfig:    env.Sandbox.ClearLog,
		RefreshState: true,
		Check:        env.ExpectRequests(platform, routeProjects, 3).Check,
	})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkTeam(env, p, 0),
		Steps:                    steps,
	})
}

func TestAccTeamMember_usernameAndID(t *testing.T) {
	env := acctest.New(t)
	p := sandbox.AFProjectRedTeam
	const byName, byID = "membership_attackforge_project_team_member.by_name", "membership_attackforge_project_team_member.by_id"
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
				ConfigStateChecks: []statecheck.StateCheck{
					attr(byName, "user_id", knownvalue.StringExact(sandbox.AFUserBob)),
					attr(byName, "email", knownvalue.StringExact("bob@example.com")),
					attr(byID, "username", knownvalue.StringExact("dave")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkMember(env, p, "bob", "Upload", ""),
					checkMember(env, p, "dave", "View", "Developer"),
				),
			},
			{
				ResourceName:            byName,
				ImportState:             true,
				ImportStateId:           p + "/bob",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"access_level"},
			},
			{
				ResourceName:            byID,
				ImportState:             true,
				ImportStateId:           p + "/" + sandbox.AFUserDave,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"access_level", "project_role"},
			},
			{
				// Importing by email a member created by id: same membership.
				ResourceName:            byID,
				ImportState:             true,
				ImportStateId:           p + "/dave@example.com",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"user", "access_level", "project_role"},
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
				Config:           env.Config(good),
				ConfigPlanChecks: emptyPlan(),
				Check:            checkMember(env, p, "grace@example.com", "View", ""),
			},
			{
				PreConfig: func() {
					env.Sandbox.AddFault(sandbox.Fault{
						Platform: platform, Method: "POST", Path: "/team/invite", Status: 200, Count: 1,
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
  members = setproduct([%q, %q], ["alice@example.com", "bob", %q])
}
resource "membership_attackforge_project_team_member" "m" {
  count        = length(local.members)
  project_id   = local.members[count.index][0]
  user         = local.members[count.index][1]
  access_level = "View"
}
`, sandbox.AFProjectNetwork, sandbox.AFProjectRedTeam, sandbox.AFUserCarol))
	between := func(route string, lo, hi int, what string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if n := env.Sandbox.Count(platform, route); n < lo || n > hi {
				return fmt.Errorf("%d requests %s for %s, want %d to %d", n, route, what, lo, hi)
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(
			checkTeam(env, sandbox.AFProjectNetwork, 0), checkTeam(env, sandbox.AFProjectRedTeam, 0),
			// Six destroys, two projects: batched removals too.
			between(routeRemove, 2, 5, "6 members on 2 projects")),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: resource.ComposeAggregateTestCheckFunc(
					checkTeam(env, sandbox.AFProjectNetwork, 3),
					checkTeam(env, sandbox.AFProjectRedTeam, 3),
					// Six creates, two projects: batched into fewer requests than members.
					between(routeInvite, 2, 5, "6 members on 2 projects"),
				),
			},
			{
				PreConfig:    env.Sandbox.ClearLog,
				RefreshState: true,
				// Six memberships of three users: three listings, nothing else.
				Check: resource.ComposeAggregateTestCheckFunc(env.ExpectRequests(platform, routeProjects, 3).Check, env.ExpectRequests(platform, "", 3).Check),
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
			ResourceName:  memberAddr,
			ImportState:   true,
			ImportStateId: "alice@example.com",
			ExpectError:   errRe(`(?s)expected\s+"<project_id>/<user>"`),
		},
		resource.TestStep{
			Config:        env.Config(memberConfig(p, "alice@example.com", "View", "")),
			ResourceName:  memberAddr,
			ImportState:   true,
			ImportStateId: "nope/alice@example.com",
			ExpectError:   errRe(`(?s)project_id must be a 24-character`),
		},
	)
	env.CheckNoRequests(t)
}

// GET /api/ss/user/:id/projects answers "an array of projects": a bare
// array with `_id` is understood as well as the documented envelope;
// membership is detected either way.
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
					env.Sandbox.AddFault(sandbox.Fault{Platform: platform, Method: "GET", Path: "/projects", Status: 200,
						Body: `[{"_id":"` + p + `","project_name":"Internal Network"}]`})
				},
				Config:   cfg,
				PlanOnly: true,
			},
			{
				// Listed on another project only: the membership is gone.
				PreConfig: func() {
					env.Sandbox.ClearFaults()
					env.Sandbox.AddFault(sandbox.Fault{Platform: platform, Method: "GET", Path: "/projects", Status: 200,
						Body: `{"count":1,"projects":[{"project_id":"` + sandbox.AFProjectWebApp + `","project_name":"Web App Pentest"}]}`})
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
