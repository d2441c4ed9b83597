package docspace_test

import (
	"fmt"
	"regexp"
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

const teamAddr = "membership_docspace_invitations.team"

func teamHCL(members map[string]string, extra string) string {
	var lines []string
	for k, v := range members {
		lines = append(lines, fmt.Sprintf("    %q = %q", k, v))
	}
	return fmt.Sprintf(`
resource "membership_docspace_invitations" "team" {
  members = {
%s
  }
%s
}
`, strings.Join(lines, "\n"), extra)
}

func checkPortal(env *acctest.Env, want map[string]string, gone ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for e, typ := range want {
			if err := checkType(env, e, typ)(nil); err != nil {
				return err
			}
		}
		return portalGone(env, gone...).Check(nil)
	}
}

func membersExact(m map[string]string) knownvalue.Check {
	checks := map[string]knownvalue.Check{}
	for k, v := range m {
		checks[k] = knownvalue.StringExact(v)
	}
	return knownvalue.MapExact(checks)
}

func TestAccDocSpaceInvitations_exclusive(t *testing.T) {
	env := acctest.New(t)
	members := map[string]string{
		sandbox.DocSpaceAdminEmail:     "DocSpaceAdmin",
		sandbox.DocSpaceRoomAdminEmail: "RoomAdmin",
		sandbox.DocSpaceGuestEmail:     "Guest",
		"new1@example.com":             "User",
		"New2@Example.com":             "RoomAdmin",
	}
	changed := map[string]string{
		sandbox.DocSpaceAdminEmail:     "DocSpaceAdmin",
		sandbox.DocSpaceRoomAdminEmail: "RoomAdmin",
		sandbox.DocSpaceGuestEmail:     "Guest",
		"new1@example.com":             "RoomAdmin",
		"New2@Example.com":             "RoomAdmin",
	}
	recased := map[string]string{
		strings.ToUpper(sandbox.DocSpaceAdminEmail): "DocSpaceAdmin",
		sandbox.DocSpaceRoomAdminEmail:              "RoomAdmin",
		sandbox.DocSpaceGuestEmail:                  "Guest",
		"NEW1@example.com":                          "RoomAdmin",
		"new2@example.com":                          "RoomAdmin",
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			if _, ok := env.Sandbox.DocSpace.User(sandbox.DocSpaceOwnerEmail); !ok {
				return fmt.Errorf("the owner was removed")
			}
			return portalGone(env, "new1@example.com", "new2@example.com", sandbox.DocSpaceAdminEmail, sandbox.DocSpaceRoomAdminEmail).Check(s)
		},
		Steps: []resource.TestStep{
			{
				Config: env.Config(teamHCL(members, `  culture = "en-GB"`)),
				ConfigStateChecks: []statecheck.StateCheck{
					expect(teamAddr, "exclusive", knownvalue.Bool(true)),
					expect(teamAddr, "members", membersExact(members)),
					expect(teamAddr, "member_ids", knownvalue.MapSizeExact(5)),
					expect(teamAddr, "activation_statuses", knownvalue.MapPartial(map[string]knownvalue.Check{
						"new1@example.com":         knownvalue.StringExact("pending"),
						sandbox.DocSpaceAdminEmail: knownvalue.StringExact("activated"),
					})),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					func(*terraform.State) error {
						if u, _ := env.Sandbox.DocSpace.User("new1@example.com"); u.Culture != "en-GB" {
							return fmt.Errorf("invited with culture %q, want en-GB", u.Culture)
						}
						return nil
					},
					// the create adopts: user@, not listed, is left for the next plan
					checkPortal(env, map[string]string{"new1@example.com": "User", "new2@example.com": "RoomAdmin",
						sandbox.DocSpaceOwnerEmail: "Owner", sandbox.DocSpaceAdminEmail: "DocSpaceAdmin", sandbox.DocSpaceGuestEmail: "Guest",
						sandbox.DocSpaceUserEmail: "User"}),
				),
				ExpectNonEmptyPlan: true,
			},
			// the next plan shows user@ leaving unlisted_members, and removes them
			{
				Config: env.Config(teamHCL(members, `  culture = "en-GB"`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(teamAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(teamAddr, tfjsonpath.New("unlisted_members"), knownvalue.MapExact(map[string]knownvalue.Check{})),
				}},
				Check: portalGone(env, sandbox.DocSpaceUserEmail).Check,
			},
			{ResourceName: teamAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"culture"}, ImportStateIdFunc: func(*terraform.State) (string, error) {
				return env.URL + sandbox.PrefixDocSpace, nil
			}},
			// a refresh costs one listing page and the caller's profile
			{
				PreConfig:    env.Sandbox.ClearLog,
				RefreshState: true,
				Check: func(*terraform.State) error {
					if got := env.Sandbox.Count("docspace", ""); got != 2 {
						return fmt.Errorf("refresh sent %d requests, want 2 (people/filter, people/@self): %v", got, env.Sandbox.Counts())
					}
					return nil
				},
			},
			// type changed in place
			{
				Config: env.Config(teamHCL(changed, "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(teamAddr, plancheck.ResourceActionUpdate),
				}},
				Check: checkPortal(env, map[string]string{"new1@example.com": "RoomAdmin"}),
			},
			// case-only changes of emails are no change
			{
				Config: env.Config(teamHCL(recased, "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
			// drift: a stranger added and a type changed out of band: the
			// plan removes the stranger and restores the type
			{
				PreConfig: func() {
					env.Sandbox.DocSpace.AddUser("stranger@example.com", "User", sandbox.DSActivationActivated)
					env.Sandbox.DocSpace.SetType("new2@example.com", "User")
				},
				Config: env.Config(teamHCL(recased, "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(teamAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(teamAddr, tfjsonpath.New("members"), membersExact(recased)),
				}},
				Check: checkPortal(env, map[string]string{"new2@example.com": "RoomAdmin"}, "stranger@example.com"),
			},
			// drift: a member deleted out of band is invited again
			{
				PreConfig: func() { env.Sandbox.DocSpace.DeleteUser("new1@example.com") },
				Config:    env.Config(teamHCL(changed, "")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(teamAddr, plancheck.ResourceActionUpdate),
				}},
				Check: checkPortal(env, map[string]string{"new1@example.com": "RoomAdmin"}),
			},
			// dropping a member removes it
			{
				Config: env.Config(teamHCL(map[string]string{sandbox.DocSpaceAdminEmail: "DocSpaceAdmin", "new1@example.com": "RoomAdmin"}, "")),
				Check: checkPortal(env, map[string]string{"new1@example.com": "RoomAdmin"},
					"new2@example.com", sandbox.DocSpaceRoomAdminEmail, sandbox.DocSpaceGuestEmail),
			},
		},
	})
}

func TestAccDocSpaceInvitations_listedOnly(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t,
		resource.TestStep{
			Config: env.Config(teamHCL(map[string]string{"a@example.com": "User", sandbox.DocSpaceGuestEmail: "User"}, "  exclusive = false")),
			Check: checkPortal(env, map[string]string{"a@example.com": "User", sandbox.DocSpaceGuestEmail: "User",
				sandbox.DocSpaceUserEmail: "User", sandbox.DocSpaceRoomAdminEmail: "RoomAdmin"}),
		},
		// people outside members are none of its business
		resource.TestStep{
			PreConfig: func() { env.Sandbox.DocSpace.AddUser("stranger@example.com", "User", sandbox.DSActivationActivated) },
			Config:    env.Config(teamHCL(map[string]string{"a@example.com": "User", sandbox.DocSpaceGuestEmail: "User"}, "  exclusive = false")),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectEmptyPlan(),
			}},
		},
		resource.TestStep{
			Config: env.Config(teamHCL(map[string]string{"b@example.com": "RoomAdmin", sandbox.DocSpaceGuestEmail: "User"}, "  exclusive = false")),
			Check: checkPortal(env, map[string]string{"b@example.com": "RoomAdmin", "stranger@example.com": "User", sandbox.DocSpaceUserEmail: "User"},
				"a@example.com"),
		},
	)
}

// Signed in as a DocSpace admin who is not the owner, exclusive = true
// plans the removal of everyone but the owner, the caller and the other
// DocSpace admins: DocSpace refuses a termination holding any of them, for
// the whole request, so the provider never lists them in
// unlisted_members.
func TestAccDocSpaceInvitations_neverRemovesWhatDocSpaceRefuses(t *testing.T) {
	env := acctest.New(t)
	env.Sandbox.DocSpace.AddUser("admin2@example.com", "DocSpaceAdmin", sandbox.DSActivationActivated)
	adminProvider := strings.Replace(env.ProviderConfig(), sandbox.DocSpaceToken, sandbox.DocSpaceAdminToken, 1)
	acctest.Test(t,
		resource.TestStep{
			Config: adminProvider + teamHCL(map[string]string{"a@example.com": "User"}, ""),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(teamAddr, "members", membersExact(map[string]string{"a@example.com": "User"})),
				expect(teamAddr, "unlisted_members", knownvalue.MapExact(map[string]knownvalue.Check{
					sandbox.DocSpaceUserEmail: knownvalue.StringExact("User"), sandbox.DocSpaceGuestEmail: knownvalue.StringExact("Guest"),
					sandbox.DocSpaceRoomAdminEmail: knownvalue.StringExact("RoomAdmin"),
				})),
			},
			ExpectNonEmptyPlan: true,
		},
		resource.TestStep{
			Config: adminProvider + teamHCL(map[string]string{"a@example.com": "User"}, ""),
			Check: checkPortal(env, map[string]string{"a@example.com": "User", sandbox.DocSpaceOwnerEmail: "Owner",
				sandbox.DocSpaceAdminEmail: "DocSpaceAdmin", "admin2@example.com": "DocSpaceAdmin"},
				sandbox.DocSpaceUserEmail, sandbox.DocSpaceGuestEmail, sandbox.DocSpaceRoomAdminEmail),
		},
		resource.TestStep{
			Config:            adminProvider + teamHCL(map[string]string{"a@example.com": "User"}, ""),
			ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			ConfigStateChecks: []statecheck.StateCheck{expect(teamAddr, "members", knownvalue.MapSizeExact(1))},
		},
	)
	for _, r := range env.Sandbox.Requests("docspace") {
		if r.Route == "PUT /api/2.0/people/status/{status}" && r.Status != 200 {
			t.Fatalf("a termination was refused: %s %s", r.Body, r.Path)
		}
	}
}

// Dropping from members someone DocSpace refuses to remove (here the
// account the provider signs in as) is an error at plan, with what to do;
// listing the owner is too.
func TestAccDocSpaceInvitations_protectedMembersAreRefusedAtPlan(t *testing.T) {
	env := acctest.New(t)
	adminProvider := strings.Replace(env.ProviderConfig(), sandbox.DocSpaceToken, sandbox.DocSpaceAdminToken, 1)
	acctest.Test(t,
		resource.TestStep{
			Config: adminProvider + teamHCL(map[string]string{"a@example.com": "User", sandbox.DocSpaceAdminEmail: "DocSpaceAdmin"}, "  exclusive = false"),
		},
		resource.TestStep{
			PreConfig:   env.Sandbox.ClearLog,
			Config:      adminProvider + teamHCL(map[string]string{"a@example.com": "User"}, "  exclusive = false"),
			ExpectError: regexp.MustCompile(`(?s)The plan would remove admin@docspace.example, which is protected.*account\s+whose\s+credentials.*Keep\s+it\s+in\s+members`),
			Check:       noWrites(env),
		},
		resource.TestStep{
			Config:      env.Config(teamHCL(map[string]string{"a@example.com": "User", sandbox.DocSpaceAdminEmail: "DocSpaceAdmin", sandbox.DocSpaceOwnerEmail: "DocSpaceAdmin"}, "  exclusive = false")),
			ExpectError: regexp.MustCompile(`(?s)refuses\s+to\s+change\s+owner@docspace.example.*the\s+portal\s+owner.*never\s+changes`),
		},
		resource.TestStep{
			Config: adminProvider + teamHCL(map[string]string{"a@example.com": "User", sandbox.DocSpaceAdminEmail: "DocSpaceAdmin"}, "  exclusive = false"),
		},
	)
}

func TestAccDocSpaceInvitations_skippedTypeChangeFails(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t,
		resource.TestStep{Config: env.Config(teamHCL(map[string]string{"a@example.com": "User"}, "  exclusive = false"))},
		resource.TestStep{
			PreConfig:   func() { env.Sandbox.DocSpace.SetSkipTypeChanges(true) },
			Config:      env.Config(teamHCL(map[string]string{"a@example.com": "RoomAdmin"}, "  exclusive = false")),
			ExpectError: regexp.MustCompile(`(?s)Could\s+not\s+make\s+a@example.com\s+a\s+RoomAdmin.*without\s+making.*it\s+is\s+User.*leaves\s+alone`),
		},
		resource.TestStep{
			PreConfig: func() { env.Sandbox.DocSpace.SetSkipTypeChanges(false) },
			Config:    env.Config(teamHCL(map[string]string{"a@example.com": "RoomAdmin"}, "  exclusive = false")),
			Check:     checkPortal(env, map[string]string{"a@example.com": "RoomAdmin"}),
		},
	)
}

// One invitation of a batch refused (the quota covers two of three room
// admins): the others are invited and kept in state, the refused one is
// reported, and the next apply sends only it. A create that fails part-way
// leaves no state (Terraform would taint it and replace it, removing every
// member): the next apply adopts what the first one invited.
func TestAccDocSpaceInvitations_partialFailureKeepsWhatSucceeded(t *testing.T) {
	env := acctest.New(t)
	env.Sandbox.DocSpace.SetAdminQuota(4) // the seeds use 2
	one := map[string]string{"u@example.com": "User"}
	members := map[string]string{"u@example.com": "User", "ra0@example.com": "RoomAdmin", "ra1@example.com": "RoomAdmin", "ra2@example.com": "RoomAdmin"}
	invited := func() int {
		n := 0
		for _, r := range env.Sandbox.Requests("docspace") {
			if r.Route == "POST /api/2.0/people/invite" && r.Status == 200 {
				n += strings.Count(r.Body, "@example.com")
			}
		}
		return n
	}
	acctest.Test(t,
		// update
		resource.TestStep{Config: env.Config(teamHCL(one, "  exclusive = false"))},
		resource.TestStep{
			PreConfig:   env.Sandbox.ClearLog,
			Config:      env.Config(teamHCL(members, "  exclusive = false")),
			ExpectError: regexp.MustCompile(`(?s)Could\s+not\s+invite\s+ra\d@example.com.*HTTP\s+402`),
		},
		resource.TestStep{
			PreConfig: func() {
				if n := invited(); n != 2 {
					t.Fatalf("%d invitations accepted, want the 2 the quota allows", n)
				}
				env.Sandbox.ClearLog()
				env.Sandbox.DocSpace.SetAdminQuota(5)
			},
			Config: env.Config(teamHCL(members, "  exclusive = false")),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(teamAddr, plancheck.ResourceActionUpdate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{expect(teamAddr, "members", membersExact(members))},
			Check: func(*terraform.State) error {
				if n := invited(); n != 1 {
					return fmt.Errorf("the second apply sent %d invitations, want only the refused one", n)
				}
				return nil
			},
		},
		// create
		resource.TestStep{Config: env.Config(`# nothing`)},
		resource.TestStep{
			PreConfig: func() {
				env.Sandbox.DocSpace.SetAdminQuota(4)
				env.Sandbox.ClearLog()
			},
			Config:      env.Config(teamHCL(members, "  exclusive = false")),
			ExpectError: regexp.MustCompile(`(?s)Could\s+not\s+invite\s+ra\d@example.com.*HTTP\s+402`),
		},
		resource.TestStep{
			PreConfig: func() {
				env.Sandbox.ClearLog()
				env.Sandbox.DocSpace.SetAdminQuota(5)
			},
			Config: env.Config(teamHCL(members, "  exclusive = false")),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(teamAddr, plancheck.ResourceActionCreate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{expect(teamAddr, "members", membersExact(members))},
			Check: func(*terraform.State) error {
				if n := invited(); n != 1 {
					return fmt.Errorf("the second create sent %d invitations, want only the refused one", n)
				}
				return nil
			},
		},
	)
}

// A member whose removal stopped between its two steps (the deletion
// failed) is terminated, not gone: it stays in state as "Terminated" and
// the next apply finishes the deletion. A listed member terminated out of
// band is re-activated, where an invitation would answer 400 "disabled".
func TestAccDocSpaceInvitations_terminatedMembers(t *testing.T) {
	env := acctest.New(t)
	both := map[string]string{"a@example.com": "User", "b@example.com": "User"}
	acctest.Test(t,
		resource.TestStep{Config: env.Config(teamHCL(both, "  exclusive = false"))},
		resource.TestStep{
			PreConfig: func() {
				env.Sandbox.AddFault(sandbox.Fault{Platform: "docspace", Method: "DELETE", Path: "/people/", Status: 500, Count: 1})
			},
			Config:      env.Config(teamHCL(map[string]string{"a@example.com": "User"}, "  exclusive = false")),
			ExpectError: regexp.MustCompile(`Could not remove b@example.com`),
		},
		// b@ stayed in state, as Terminated: the plan finishes its removal
		resource.TestStep{
			PreConfig: env.Sandbox.ClearFaults,
			Config:    env.Config(teamHCL(map[string]string{"a@example.com": "User"}, "  exclusive = false")),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(teamAddr, plancheck.ResourceActionUpdate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				expect(teamAddr, "members", membersExact(map[string]string{"a@example.com": "User"})),
			},
			Check: portalGone(env, "b@example.com").Check,
		},
		resource.TestStep{
			PreConfig: func() { env.Sandbox.DocSpace.Terminate("a@example.com") },
			Config:    env.Config(teamHCL(map[string]string{"a@example.com": "User"}, "  exclusive = false")),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(teamAddr, plancheck.ResourceActionUpdate),
			}},
			Check: checkPortal(env, map[string]string{"a@example.com": "User"}),
		},
	)
}

func TestAccDocSpaceInvitations_badInput(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t,
		resource.TestStep{
			Config: env.Config(teamHCL(map[string]string{"nope": "User"}, "")), PlanOnly: true,
			ExpectError: regexp.MustCompile(`(?s)members.*must be a plain email address`),
		},
		resource.TestStep{
			Config: env.Config(teamHCL(map[string]string{"a@example.com": "Owner"}, "")), PlanOnly: true,
			ExpectError: regexp.MustCompile(`(?s)members.*value must be one of`),
		},
		resource.TestStep{
			Config: env.Config(teamHCL(map[string]string{"a@example.com": "User", "A@example.com": "Guest"}, "")), PlanOnly: true,
			ExpectError: regexp.MustCompile(`(?s)Duplicate member.*same\s+email\s+address`),
		},
		resource.TestStep{
			ResourceName: teamAddr, ImportState: true, ImportStateId: "https://elsewhere.example.com",
			Config:      env.Config(teamHCL(map[string]string{"a@example.com": "User"}, "")),
			ExpectError: regexp.MustCompile(`(?s)Invalid import ID.*import\s+ID\s+must\s+be\s+the\s+portal's\s+endpoint`),
		},
	)
	env.CheckNoRequests(t)
}

// Guest for someone not on the portal is refused at plan, saying guests
// join through rooms; nothing is written.
func TestAccDocSpaceInvitations_guestIsRefusedAtPlan(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t, resource.TestStep{
		Config:      env.Config(teamHCL(map[string]string{"a@example.com": "User", "visitor@example.com": "Guest"}, "  exclusive = false")),
		ExpectError: regexp.MustCompile(`(?s)visitor@example.com a Guest.*through\s+rooms`),
		Check:       noWrites(env),
	})
	if err := noWrites(env)(nil); err != nil {
		t.Fatal(err)
	}
}

// 300 members: 3 invitations and one read-back listing to create, the
// list pages to refresh, three terminations and the deletions to destroy.
func TestAccDocSpaceInvitations_scale(t *testing.T) {
	env := acctest.New(t)
	const n = 300
	members := map[string]string{}
	for i := 0; i < n; i++ {
		members[fmt.Sprintf("m%03d@example.com", i)] = "User"
	}
	config := env.Config(teamHCL(members, "  exclusive = false"))
	pages := (n+5)/100 + 1
	acctest.Test(t,
		resource.TestStep{
			PreConfig: env.Sandbox.ClearLog,
			Config:    config,
			Check: func(*terraform.State) error {
				if got := env.Sandbox.Count("docspace", "POST /api/2.0/people/invite"); got != n/100 {
					return fmt.Errorf("%d members took %d POST people/invite, want %d", n, got, n/100)
				}
				if got := env.Sandbox.Count("docspace", "GET /api/2.0/people/email"); got != 0 {
					return fmt.Errorf("%d GET people/email, want 0", got)
				}
				// plan (1 page), apply: the plan again, the portal before
				// (cached), one read-back for the invitations, the final one
				if got, most := env.Sandbox.Count("docspace", "GET /api/2.0/people/filter"), 2+2*pages; got > most {
					return fmt.Errorf("%d listing pages, want at most %d: %v", got, most, env.Sandbox.Counts())
				}
				return nil
			},
		},
		resource.TestStep{
			PreConfig:    env.Sandbox.ClearLog,
			RefreshState: true,
			Check: func(*terraform.State) error {
				if got, want := env.Sandbox.Count("docspace", ""), pages+1; got != want {
					return fmt.Errorf("refresh of %d members sent %d requests, want %d (%d pages and people/@self): %v", n, got, want, pages, env.Sandbox.Counts())
				}
				return nil
			},
		},
		resource.TestStep{
			PreConfig: env.Sandbox.ClearLog,
			// 600 requests (a data check and a deletion each) at the provider's
			// default pace, within the portal's 500 per 10 s
			Config: acctest.InBlock(env.ProviderConfig(fmt.Sprintf("  max_removals = %d", n)), "docspace", "requests_per_second = 45", "burst = 45") + "# nothing",
			Check: func(*terraform.State) error {
				if got := env.Sandbox.Count("docspace", "PUT /api/2.0/people/status/{status}"); got != n/100 {
					return fmt.Errorf("removing %d members took %d terminations, want %d", n, got, n/100)
				}
				if got := len(env.Sandbox.DocSpace.Users()); got != 5 {
					return fmt.Errorf("%d users left, want the 5 seeded", got)
				}
				return nil
			},
		},
	)
}

// A server that answers the same full page whatever startIndex says: the
// refresh fails on the second page, naming the problem, instead of
// looping or taking the members beyond the first page as gone (which
// would plan their removal).
func TestAccDocSpaceInvitations_repeatedPageFails(t *testing.T) {
	env := acctest.New(t)
	for i := 0; i < 150; i++ {
		env.Sandbox.DocSpace.AddUser(fmt.Sprintf("p%03d@example.com", i), "User", sandbox.DSActivationActivated)
	}
	members := map[string]string{"p149@example.com": "User"}
	acctest.Test(t,
		resource.TestStep{Config: env.Config(teamHCL(members, "  exclusive = false"))},
		resource.TestStep{
			PreConfig: func() {
				env.Sandbox.DocSpace.SetIgnorePaging(true)
				env.Sandbox.ClearLog()
			},
			RefreshState: true,
			ExpectError:  regexp.MustCompile(`(?s)stopped\s+at\s+page\s+2.*all\s+on\s+earlier\s+pages`),
		},
		resource.TestStep{
			PreConfig: func() {
				if got := env.Sandbox.Count("docspace", "GET /api/2.0/people/filter"); got != 2 {
					t.Fatalf("the refresh read %d pages of a repeating listing, want 2", got)
				}
				env.Sandbox.DocSpace.SetIgnorePaging(false)
			},
			Config:           env.Config(teamHCL(members, "  exclusive = false")),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		},
	)
}
