package attackforge_test

import (
	"fmt"
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

// userID checks the user id recorded for a member key.
func userID(key, id string) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(teamAddr, tfjsonpath.New("user_ids").AtMapKey(key), knownvalue.StringExact(id))
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
	return resource.ComposeAggregateTestCheckFunc(env.ExpectRequests(platform, routeInvite, 0).Check, env.ExpectRequests(platform, routeRemove, 0).Check, env.ExpectRequests(platform, routeAccess, 0).Check)
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
				// Creating the exclusive team adopts the project: Frank, who
				// is not listed, stays, and is in unlisted_members.
				Config: env.Config(teamConfig(p, members, "")),
				ConfigStateChecks: []statecheck.StateCheck{
					attr(teamAddr, "id", knownvalue.StringExact(p)),
					attr(teamAddr, "exclusive", knownvalue.Bool(true)),
					userID("alice@example.com", sandbox.AFUserAlice),
					userID("bob@example.com", sandbox.AFUserBob),
					attr(teamAddr, "unlisted_members", knownvalue.MapExact(map[string]knownvalue.Check{
						"frank@example.com": knownvalue.StringExact(sandbox.AFUserFrank)})),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkExactTeam(env, p, map[string]string{"alice": "View/", "bob": "Edit/Pentester", "frank": "Edit/Pentest Lead"}),
					env.ExpectRequests(platform, routeInvite, 1).Check, env.ExpectRequests(platform, routeRemove, 0).Check,
				),
				ExpectNonEmptyPlan: true,
			},
			{
				// The next plan shows Frank leaving unlisted_members, and removes him.
				PreConfig:        env.Sandbox.ClearLog,
				Config:           env.Config(teamConfig(p, members, "")),
				ConfigPlanChecks: planIs(teamAddr, plancheck.ResourceActionUpdate),
				Check: resource.ComposeAggregateTestCheckFunc(
					checkExactTeam(env, p, map[string]string{"alice": "View/", "bob": "Edit/Pentester"}),
					env.ExpectRequests(platform, routeInvite, 0).Check, env.ExpectRequests(platform, routeRemove, 1).Check,
				),
			},
			{
				// Access levels and roles cannot be read: an import has the
				// members and their ids, not those.
				ResourceName:                         teamAddr,
				ImportState:                          true,
				ImportStateId:                        p,
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "project_id",
				ImportStateVerifyIgnore:              []string{"members"},
			},
			{
				// Out of band: Carol added (planned for removal); Alice's
				// access raised (not detectable: the API cannot report it).
				PreConfig: func() {
					if err := env.Sandbox.AttackForge.SetMember(p, "carol@example.com", "View", ""); err != nil {
						t.Fatal(err)
					}
					if err := env.Sandbox.AttackForge.SetAccess(p, "alice", "Edit"); err != nil {
						t.Fatal(err)
					}
				},
				Config:           env.Config(teamConfig(p, members, "")),
				ConfigPlanChecks: planIs(teamAddr, plancheck.ResourceActionUpdate),
				Check:            checkExactTeam(env, p, map[string]string{"alice": "Edit/", "bob": "Edit/Pentester"}),
			},
			{
				// Access level in place, role by removal and invitation, a new member.
				Config: env.Config(teamConfig(p, `
    "alice@example.com" = { access_level = "Upload" }
    "bob@example.com"   = { access_level = "Edit", project_role = "Pentest Lead" }
    "dave"              = { access_level = "View" }`, "")),
				ConfigPlanChecks:  planIs(teamAddr, plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{userID("dave", sandbox.AFUserDave)},
				Check:             checkExactTeam(env, p, map[string]string{"alice": "Upload/", "bob": "Edit/Pentest Lead", "dave": "View/"}),
			},
			{
				// A change of letter case of an email key alone plans nothing.
				PreConfig: env.Sandbox.ClearLog,
				Config: env.Config(teamConfig(p, `
    "ALICE@example.com" = { access_level = "Upload" }
    "bob@example.com"   = { access_level = "Edit", project_role = "Pentest Lead" }
    "dave"              = { access_level = "View" }`, "")),
				ConfigPlanChecks:  emptyPlan(),
				ConfigStateChecks: []statecheck.StateCheck{userID("alice@example.com", sandbox.AFUserAlice)},
				Check:             checkNoWrites(env),
			},
			{
				// Only the listed members from now on: switching sends nothing.
				PreConfig: env.Sandbox.ClearLog,
				Config: env.Config(teamConfig(p, `
    "ALICE@example.com" = { access_level = "Upload" }
    "bob@example.com"   = { access_level = "Edit", project_role = "Pentest Lead" }
    "dave"              = { access_level = "View" }`, "exclusive = false")),
				ConfigPlanChecks: planIs(teamAddr, plancheck.ResourceActionUpdate),
				Check:            checkNoWrites(env),
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
				ConfigStateChecks: []statecheck.StateCheck{userID("ALICE@example.com", sandbox.AFUserAlice)},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkExactTeam(env, p, map[string]string{"alice": "Upload/", "carol@example.com": "View/", "dave": "View/"}),
					env.ExpectRequests(platform, routeRemove, 1).Check, // bob
					env.ExpectRequests(platform, routeInvite, 0).Check, // ALICE@ is alice@: nothing sent for her
					env.ExpectRequests(platform, routeUsers, 0).Check,  // exclusive = false lists no users
				),
			},
		},
	})
}

// Importing a team whose configuration sets access levels and roles: the
// API reports neither, so the members are not removed and invited again.
// Their access levels are set in place; their roles are adopted; a later
// role change removes and invites as usual.
func TestAccTeam_importAdoptsLevelsAndRoles(t *testing.T) {
	env := acctest.New(t)
	p := sandbox.AFProjectWebApp // Frank: Edit, Pentest Lead
	if err := env.Sandbox.AttackForge.SetMember(p, "grace", "View", "SOC"); err != nil {
		t.Fatal(err)
	}
	members := func(frankRole string) string {
		return `
    "frank@example.com" = { access_level = "Edit", project_role = "` + frankRole + `" }
    "grace@example.com" = { access_level = "View", project_role = "SOC" }`
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkExactTeam(env, p, map[string]string{}),
		Steps: []resource.TestStep{
			{
				Config:             env.Config(teamConfig(p, members("Pentest Lead"), "")),
				ResourceName:       teamAddr,
				ImportState:        true,
				ImportStatePersist: true,
				ImportStateId:      p,
				ImportStateCheck: func(s []*terraform.InstanceState) error {
					a := s[0].Attributes
					if a["user_ids.frank@example.com"] != sandbox.AFUserFrank || a["members.frank@example.com.access_level"] != "" ||
						a["members.grace@example.com.project_role"] != "" {
						return fmt.Errorf("imported %v: want ids and no access level or role (the API reports none)", a)
					}
					return nil
				},
			},
			{
				PreConfig:        env.Sandbox.ClearLog,
				Config:           env.Config(teamConfig(p, members("Pentest Lead"), "")),
				ConfigPlanChecks: planIs(teamAddr, plancheck.ResourceActionUpdate),
				Check: resource.ComposeAggregateTestCheckFunc(
					checkExactTeam(env, p, map[string]string{"frank": "Edit/Pentest Lead", "grace": "View/SOC"}),
					env.ExpectRequests(platform, routeRemove, 0).Check, env.ExpectRequests(platform, routeInvite, 0).Check, env.ExpectRequests(platform, routeAccess, 2).Check,
				),
			},
			{Config: env.Config(teamConfig(p, members("Pentest Lead"), "")), ConfigPlanChecks: emptyPlan()},
			{
				PreConfig: env.Sandbox.ClearLog,
				Config:    env.Config(teamConfig(p, members("Project Manager"), "")),
				Check: resource.ComposeAggregateTestCheckFunc(
					checkExactTeam(env, p, map[string]string{"frank": "Edit/Project Manager", "grace": "View/SOC"}),
					env.ExpectRequests(platform, routeRemove, 1).Check, env.ExpectRequests(platform, routeInvite, 1).Check,
				),
			},
		},
	})
}

// Keys that need escaping in a URL path are looked up once escaped.
func TestAccTeam_emailsEscapedOnce(t *testing.T) {
	env := acctest.New(t)
	p := sandbox.AFProjectRedTeam
	members := `
    "o'brien@example.com" = { access_level = "View" }
    "x%y@example.com"     = { access_level = "Upload" }
    "jöhn@exämple.com"    = { access_level = "Edit" }`
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkExactTeam(env, p, map[string]string{}),
		Steps: []resource.TestStep{
			{
				Config: env.Config(teamConfig(p, members, "exclusive = false")),
				ConfigStateChecks: []statecheck.StateCheck{
					userID("o'brien@example.com", sandbox.AFUserOBrien),
					userID("x%y@example.com", sandbox.AFUserPercent),
					userID("jöhn@exämple.com", sandbox.AFUserUmlaut),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkExactTeam(env, p, map[string]string{
						sandbox.AFUserOBrien: "View/", sandbox.AFUserPercent: "Upload/", sandbox.AFUserUmlaut: "Edit/",
					}),
					// Each key was looked up (GET users/email/:email) and found.
					func(*terraform.State) error {
						n := 0
						for _, r := range env.Sandbox.Requests(platform) {
							if r.Route == "GET /api/ss/users/email/{email}" {
								n++
								if r.Status != 200 {
									return fmt.Errorf("GET %s answered %d", r.Path, r.Status)
								}
							}
						}
						if n == 0 {
							return fmt.Errorf("no user was looked up by email")
						}
						return nil
					},
				),
			},
			{Config: env.Config(teamConfig(p, members, "exclusive = false")), ConfigPlanChecks: emptyPlan()},
		},
	})
}

// A member the API answers "User Not Found" for is an error on that member;
// the others are applied. The failed create records no state; the next one
// adopts the members already invited (setting their access level, which
// cannot be read) and invites nobody again.
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
				PreConfig:         env.Sandbox.ClearLog,
				Config:            env.Config(teamConfig(p, good, "")),
				ConfigStateChecks: []statecheck.StateCheck{userID("erin", sandbox.AFUserErin)},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.ExpectRequests(platform, routeInvite, 0).Check, env.ExpectRequests(platform, routeRemove, 0).Check, env.ExpectRequests(platform, routeAccess, 2).Check,
					checkExactTeam(env, p, map[string]string{"erin": "Upload/", "grace": "View/SOC"}),
				),
			},
			{
				// Import keys members by email; user ids match.
				ResourceName:  teamAddr,
				ImportState:   true,
				ImportStateId: p,
				ImportStateCheck: func(s []*terraform.InstanceState) error {
					a := s[0].Attributes
					if a["members.%"] != "2" || a["user_ids.grace@example.com"] != sandbox.AFUserGrace ||
						a["user_ids.erin@example.com"] != sandbox.AFUserErin || a["exclusive"] != "true" {
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
	users := len(env.Sandbox.AttackForge.Users())
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
					env.ExpectRequests(platform, routeUsers, 1).Check, env.ExpectRequests(platform, routeProjects, users).Check, env.ExpectRequests(platform, "", 1+users).Check),
			},
			{Config: env.Config(teamConfig(p, members, "exclusive = false"))},
			{
				PreConfig:    env.Sandbox.ClearLog,
				RefreshState: true,
				Check:        resource.ComposeAggregateTestCheckFunc(env.ExpectRequests(platform, routeProjects, 3).Check, env.ExpectRequests(platform, "", 3).Check),
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

// A partial failure keeps what succeeded in state: one member's invitation
// fails (User Not Found) and another's access level change fails (HTTP
// 500); the rest is applied and recorded, so the next apply sends only
// what is still to do.
func TestAccTeam_partialFailureKeepsWhatSucceeded(t *testing.T) {
	env := acctest.New(t)
	p := sandbox.AFProjectNetwork
	before := `
    "alice@example.com" = { access_level = "View" }
    "bob"               = { access_level = "View" }`
	after := `
    "alice@example.com" = { access_level = "Edit" }
    "bob"               = { access_level = "View" }
    "dave"              = { access_level = "Upload" }`
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkExactTeam(env, p, map[string]string{}),
		Steps: []resource.TestStep{
			{Config: env.Config(teamConfig(p, before, ""))},
			{
				PreConfig: func() {
					env.Sandbox.AddFault(sandbox.Fault{Platform: platform, Method: "PUT", Path: "/access/", Status: 500, Count: 1})
				},
				Config:      env.Config(teamConfig(p, after+"\n    \"ghost@example.com\" = { access_level = \"View\" }", "")),
				ExpectError: errRe(`(?s)(Could not invite ghost@example.com to AttackForge project.*User Not Found.*Could not change the access level of alice@example.com.*HTTP 500|Could not change the access level of alice@example.com.*HTTP 500.*Could not invite ghost@example.com.*User Not Found)`),
				Check:       checkExactTeam(env, p, map[string]string{"alice": "View/", "bob": "View/", "dave": "Upload/"}),
			},
			{
				// dave is in state (not invited again), alice's level is not
				// (changed now).
				PreConfig:        env.Sandbox.ClearLog,
				Config:           env.Config(teamConfig(p, after, "")),
				ConfigPlanChecks: planIs(teamAddr, plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{
					userID("dave", sandbox.AFUserDave),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkExactTeam(env, p, map[string]string{"alice": "Edit/", "bob": "View/", "dave": "Upload/"}),
					env.ExpectRequests(platform, routeInvite, 0).Check, env.ExpectRequests(platform, routeRemove, 0).Check, env.ExpectRequests(platform, routeAccess, 1).Check,
				),
			},
			{Config: env.Config(teamConfig(p, after, "")), ConfigPlanChecks: emptyPlan()},
		},
	})
}
