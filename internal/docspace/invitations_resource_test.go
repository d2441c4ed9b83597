package docspace_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
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
		return checkGone(env, gone...)(nil)
	}
}

func TestAccDocSpaceInvitations_exclusive(t *testing.T) {
	env := acctest.New(t)
	members := map[string]string{
		sandbox.DocSpaceAdminEmail:     "DocSpaceAdmin",
		sandbox.DocSpaceRoomAdminEmail: "RoomAdmin",
		"new1@example.com":             "User",
		"New2@Example.com":             "Guest",
	}
	changed := map[string]string{
		sandbox.DocSpaceAdminEmail:     "DocSpaceAdmin",
		sandbox.DocSpaceRoomAdminEmail: "RoomAdmin",
		"new1@example.com":             "RoomAdmin",
		"New2@Example.com":             "Guest",
	}
	recased := map[string]string{
		strings.ToUpper(sandbox.DocSpaceAdminEmail): "DocSpaceAdmin",
		sandbox.DocSpaceRoomAdminEmail:              "RoomAdmin",
		"NEW1@example.com":                          "RoomAdmin",
		"new2@example.com":                          "Guest",
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			if _, ok := env.Sandbox.DocSpace.User(sandbox.DocSpaceOwnerEmail); !ok {
				return fmt.Errorf("the owner was removed")
			}
			return checkGone(env, "new1@example.com", "new2@example.com", sandbox.DocSpaceAdminEmail, sandbox.DocSpaceRoomAdminEmail)(s)
		},
		Steps: []resource.TestStep{
			{
				Config: env.Config(teamHCL(members, `  culture = "en-GB"`)),
				Check: resource.ComposeAggregateTestCheckFunc(
					func(*terraform.State) error {
						if u, _ := env.Sandbox.DocSpace.User("new1@example.com"); u.Culture != "en-GB" {
							return fmt.Errorf("invited with culture %q, want en-GB", u.Culture)
						}
						return nil
					},
					checkPortal(env, map[string]string{"new1@example.com": "User", "new2@example.com": "Guest",
						sandbox.DocSpaceOwnerEmail: "Owner", sandbox.DocSpaceAdminEmail: "DocSpaceAdmin"},
						sandbox.DocSpaceUserEmail, sandbox.DocSpaceGuestEmail),
					resource.TestCheckResourceAttr(teamAddr, "exclusive", "true"),
					resource.TestCheckResourceAttr(teamAddr, "members.%", "4"),
					resource.TestCheckResourceAttr(teamAddr, "member_ids.%", "4"),
					resource.TestCheckResourceAttr(teamAddr, "activation_statuses.new1@example.com", "pending"),
					resource.TestCheckResourceAttr(teamAddr, "activation_statuses.admin@docspace.example", "activated"),
				),
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
					plancheck.ExpectKnownValue(teamAddr, tfjsonpath.New("members"), knownvalue.MapExact(map[string]knownvalue.Check{
						strings.ToUpper(sandbox.DocSpaceAdminEmail): knownvalue.StringExact("DocSpaceAdmin"),
						sandbox.DocSpaceRoomAdminEmail:              knownvalue.StringExact("RoomAdmin"),
						"NEW1@example.com":                          knownvalue.StringExact("RoomAdmin"),
						"new2@example.com":                          knownvalue.StringExact("Guest"),
					})),
				}},
				Check: checkPortal(env, map[string]string{"new2@example.com": "Guest"}, "stranger@example.com"),
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
				Check:  checkPortal(env, map[string]string{"new1@example.com": "RoomAdmin"}, "new2@example.com", sandbox.DocSpaceRoomAdminEmail),
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
			Config: env.Config(teamHCL(map[string]string{"b@example.com": "Guest", sandbox.DocSpaceGuestEmail: "User"}, "  exclusive = false")),
			Check: checkPortal(env, map[string]string{"b@example.com": "Guest", "stranger@example.com": "User", sandbox.DocSpaceUserEmail: "User"},
				"a@example.com"),
		},
	)
}

func TestAccDocSpaceInvitations_neverRemovesOwnerOrCaller(t *testing.T) {
	env := acctest.New(t)
	adminProvider := strings.Replace(env.ProviderConfig(), sandbox.DocSpaceToken, sandbox.DocSpaceAdminToken, 1)
	acctest.Test(t,
		resource.TestStep{
			// the caller is admin@: with exclusive, everyone but the owner
			// and the caller is removed
			Config: adminProvider + teamHCL(map[string]string{"a@example.com": "User"}, ""),
			Check: checkPortal(env, map[string]string{"a@example.com": "User", sandbox.DocSpaceOwnerEmail: "Owner", sandbox.DocSpaceAdminEmail: "DocSpaceAdmin"},
				sandbox.DocSpaceUserEmail, sandbox.DocSpaceGuestEmail, sandbox.DocSpaceRoomAdminEmail),
		},
	)
}

func TestAccDocSpaceInvitations_skippedTypeChangeFails(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t,
		resource.TestStep{Config: env.Config(teamHCL(map[string]string{"a@example.com": "User"}, "  exclusive = false"))},
		resource.TestStep{
			PreConfig:   func() { env.Sandbox.DocSpace.SetSkipTypeChanges(true) },
			Config:      env.Config(teamHCL(map[string]string{"a@example.com": "Guest"}, "  exclusive = false")),
			ExpectError: regexp.MustCompile(`(?s)did\s+not\s+apply\s+every\s+change.*a@example.com\s+is\s+"User",\s+not\s+"Guest"`),
		},
		resource.TestStep{
			PreConfig: func() { env.Sandbox.DocSpace.SetSkipTypeChanges(false) },
			Config:    env.Config(teamHCL(map[string]string{"a@example.com": "Guest"}, "  exclusive = false")),
			Check:     checkPortal(env, map[string]string{"a@example.com": "Guest"}),
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
			ExpectError: regexp.MustCompile(`(?s)Duplicate member email.*same email address`),
		},
		resource.TestStep{
			ResourceName: teamAddr, ImportState: true, ImportStateId: "https://elsewhere.example.com",
			Config:      env.Config(teamHCL(map[string]string{"a@example.com": "User"}, "")),
			ExpectError: regexp.MustCompile(`(?s)import\s+id\s+must\s+be\s+the\s+portal's\s+endpoint`),
		},
	)
	env.CheckNoRequests(t)
}

// 300 members: a few requests to create, the list pages to refresh, three
// terminations and the deletions to destroy.
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
				if got := env.Sandbox.Count("docspace", "POST /api/2.0/people/invite"); got > n/100+1 {
					return fmt.Errorf("%d members took %d POST people/invite, want at most %d", n, got, n/100+1)
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
			Config:    env.Config("# nothing"),
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
