package royalti_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

// The Royalti tests against the service as its API reference describes it
// (apidocs.royalti.io): GET /user/ pages of size 10 by default with count
// per page and totalUsers, invites dated under meta.date, and an invite
// that may or may not honour role and names (the current invite page
// documents neither; the older one and the vendor's example do).

// inviteModes are the two invite behaviours the pages allow.
var inviteModes = []struct {
	name   string
	legacy bool
}{{"current_page_ignores_role", false}, {"legacy_page_honours_role", true}}

// noUnknownQuery checks the provider sent no query parameter the API
// reference does not document (the service would silently ignore it).
func noUnknownQuery(env *acctest.Env) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, u := range env.Sandbox.Royalti.Unknown() {
			if strings.Contains(u, " query ") {
				return fmt.Errorf("undocumented query parameter sent: %s", u)
			}
		}
		return nil
	}
}

// Role and names converge whether or not the invite
// honours them, and creates read back through one shared read: an apply
// of N members costs N invites + N/10 listing pages + the PATCHes needed,
// with no GET /user/{id} (Terraform never has all its 10 slots waiting at
// once, so a read serves 8 or 9 creates: the bound asserted is N/5); the
// next plan is empty; a refresh of N members
// costs the listings' pages (N > 1 page).
func TestAccRoyaltiInvitation_scaleBothInviteModes(t *testing.T) {
	const n = 120
	// the members, the seeded owner and member; their invites, the
	// owner's none: 100 a page
	userPages, invitePages := (n+2+99)/100, (n+1+99)/100
	for _, mode := range inviteModes {
		t.Run(mode.name, func(t *testing.T) {
			env := acctest.New(t)
			env.Sandbox.Royalti.SetOptions(sandbox.RoyaltiOptions{LegacyInvite: mode.legacy})
			// Answers take time, as a real service's do, so that Terraform's
			// concurrent creates overlap.
			env.Sandbox.SetLatency(100 * time.Millisecond)
			cfg := env.Config(fmt.Sprintf(`
resource "membership_royalti_workspace_invitation" "m" {
  count      = %d
  email      = "Member${count.index}@Example.com"
  role       = count.index %% 2 == 0 ? "admin" : "user"
  first_name = "First${count.index}"
}
`, n))
			patches := n // names are ignored by the current invite page: every member needs a PATCH
			if mode.legacy {
				patches = 0
			}
			acctest.Test(t,
				resource.TestStep{
					Config: cfg,
					Check: resource.ComposeAggregateTestCheckFunc(
						env.ExpectRequests(sandboxPlatform, "POST /auth/invite", n).Check,
						env.ExpectRequests(sandboxPlatform, "PATCH /user/{id}", patches).Check,
						env.ExpectRequests(sandboxPlatform, "GET /user/{id}", 0).Check,
						// One read serves every create waiting when no invitation
						// is in flight: about one per wave of Terraform's
						// parallelism (10), never one per member.
						env.ExpectAtMostRequests(sandboxPlatform, "GET /user/{$}", n/5).Check,
						noUnknownQuery(env),
						func(*terraform.State) error {
							for i := 0; i < n; i++ {
								u, ok := env.Sandbox.Royalti.User(fmt.Sprintf("member%d@example.com", i))
								want := map[bool]string{true: "admin", false: "user"}[i%2 == 0]
								if !ok || u.Role != want || u.FirstName != fmt.Sprintf("First%d", i) {
									return fmt.Errorf("member%d: %+v, want role %s", i, u, want)
								}
							}
							return nil
						},
					),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("membership_royalti_workspace_invitation.m[0]", tfjsonpath.New("role"), knownvalue.StringExact("admin")),
						statecheck.ExpectKnownValue("membership_royalti_workspace_invitation.m[1]", tfjsonpath.New("role"), knownvalue.StringExact("user")),
						statecheck.ExpectKnownValue("membership_royalti_workspace_invitation.m[7]", tfjsonpath.New("invite_status"), knownvalue.StringExact("invited")),
					},
				},
				resource.TestStep{
					PreConfig:    env.Sandbox.ClearLog,
					RefreshState: true,
					Check: resource.ComposeAggregateTestCheckFunc(
						env.ExpectRequests(sandboxPlatform, "GET /user/{$}", userPages).Check,
						env.ExpectRequests(sandboxPlatform, "GET /user/invites", invitePages).Check,
						env.ExpectRequests(sandboxPlatform, "", userPages+invitePages).Check,
					),
				},
				resource.TestStep{
					Config:           cfg,
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				},
			)
		})
	}
}

// The shared listing pages by totalUsers whatever page size the server
// answers (it caps size silently here); a page repeated by a server that
// ignores page fails the refresh clearly (nothing planned away); wrong
// totals, low or high, still list every member.
func TestAccRoyaltiInvitation_hostilePaging(t *testing.T) {
	env := acctest.New(t)
	const n = 30
	cfg := env.Config(fmt.Sprintf(`
resource "membership_royalti_workspace_invitation" "m" {
  count = %d
  email = "p${count.index}@example.com"
}
`, n))
	for i := 0; i < 40; i++ {
		env.Sandbox.Royalti.AddUser(fmt.Sprintf("other%d@example.com", i), "user", "", "", "joined")
	}
	empty := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}
	acctest.Test(t,
		resource.TestStep{Config: cfg},
		resource.TestStep{
			PreConfig: func() {
				env.Sandbox.Royalti.SetOptions(sandbox.RoyaltiOptions{MaxPageSize: 10})
				env.Sandbox.ClearLog()
			},
			Config: cfg, ConfigPlanChecks: empty,
			Check: env.ExpectRequests(sandboxPlatform, "GET /user/{id}", 0).Check,
		},
		resource.TestStep{
			PreConfig: func() { env.Sandbox.Royalti.SetOptions(sandbox.RoyaltiOptions{MaxPageSize: 10, TotalSkew: -50}) },
			Config:    cfg, ConfigPlanChecks: empty,
		},
		resource.TestStep{
			PreConfig: func() { env.Sandbox.Royalti.SetOptions(sandbox.RoyaltiOptions{TotalSkew: 500}) },
			Config:    cfg, ConfigPlanChecks: empty,
		},
		resource.TestStep{
			PreConfig:   func() { env.Sandbox.Royalti.SetOptions(sandbox.RoyaltiOptions{MaxPageSize: 10, IgnorePaging: true}) },
			Config:      cfg,
			PlanOnly:    true,
			ExpectError: wrapRe(`Royalti: list workspace users \(GET /user/\) stopped at page 2: the API answered a page whose items were all on earlier pages`),
		},
		resource.TestStep{
			PreConfig: func() { env.Sandbox.Royalti.SetOptions(sandbox.RoyaltiOptions{}) },
			Config:    cfg, ConfigPlanChecks: empty,
		},
	)
}

// A 200 that carries the error envelope is an error, never a user nor an
// empty workspace: the refresh fails (no replacement is planned) and the
// apply after it converges.
func TestAccRoyaltiInvitation_errorEnvelope(t *testing.T) {
	env := acctest.New(t)
	cfg := env.Config(invitationHCL("env@example.com", `  role = "admin"`))
	acctest.Test(t,
		resource.TestStep{Config: cfg},
		resource.TestStep{
			PreConfig: func() {
				env.Sandbox.AddFault(sandbox.Fault{Platform: "royalti", Method: "GET", Path: "/user/", Status: 200, Body: `{"message":"Something went wrong"}`, Count: 100})
			},
			Config:      cfg,
			PlanOnly:    true,
			ExpectError: wrapRe(`Could not read the invitation of env@example.com.*answered with success but without the expected data.*Something went wrong`),
		},
		resource.TestStep{
			PreConfig: func() {
				env.Sandbox.ClearFaults()
				env.Sandbox.Royalti.SetOptions(sandbox.RoyaltiOptions{EnvelopeErrors: true})
				env.Sandbox.Royalti.DeleteUser("env@example.com")
				// GET /user/ answers, GET /user/{id} of the user gone
				// answers 200 {"message":"User not found"}.
			},
			Config:      cfg,
			PlanOnly:    true,
			ExpectError: wrapRe(`Could not read the invitation of env@example.com.*User not found`),
		},
		resource.TestStep{
			PreConfig: func() { env.Sandbox.Royalti.SetOptions(sandbox.RoyaltiOptions{}) },
			Config:    cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("membership_royalti_workspace_invitation.jane", plancheck.ResourceActionCreate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("role"), knownvalue.StringExact("admin")),
			},
		},
	)
}

// A failing invites listing does not fail a refresh: the user rows say who
// is a member, and invite_status keeps its last known value.
func TestAccRoyaltiInvitation_invitesListingDown(t *testing.T) {
	env := acctest.New(t)
	cfg := env.Config(invitationHCL("down@example.com", `  role = "admin"`))
	acctest.Test(t,
		resource.TestStep{Config: cfg},
		resource.TestStep{
			PreConfig: func() {
				env.Sandbox.AddFault(sandbox.Fault{Platform: "royalti", Method: "GET", Path: "/user/invites", Status: 500, Body: `{"message":"invites unavailable"}`, Count: 1000})
				env.Sandbox.Royalti.SetRole("down@example.com", "user")
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(invAddr, plancheck.ResourceActionUpdate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("role"), knownvalue.StringExact("admin")),
				statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("invite_status"), knownvalue.StringExact("invited")),
			},
		},
	)
}

// The authoritative resource at N=250 in both invite modes: N invites, the
// listing's pages (far under N/10) and the PATCHes the invite left to do;
// the next plan is empty and a refresh costs the listings' pages.
func TestAccRoyaltiInvitations_scaleBothInviteModes(t *testing.T) {
	const n = 250
	for _, mode := range inviteModes {
		t.Run(mode.name, func(t *testing.T) {
			env := acctest.New(t)
			env.Sandbox.Royalti.SetOptions(sandbox.RoyaltiOptions{LegacyInvite: mode.legacy})
			var b strings.Builder
			b.WriteString("    \"member@royalti.example\" = {}\n") // the seeded member, so nobody is planned away
			for i := 0; i < n; i++ {
				fmt.Fprintf(&b, "    \"Team%d@Example.com\" = { role = %q, last_name = \"L%d\" }\n", i, []string{"admin", "user"}[i%2], i)
			}
			cfg := env.ProviderConfig(fmt.Sprintf("  max_removals = %d", n+1)) + teamHCL("", b.String())
			patches := n
			if mode.legacy {
				patches = 0
			}
			acctest.Test(t,
				resource.TestStep{
					Config: cfg,
					Check: resource.ComposeAggregateTestCheckFunc(
						env.ExpectRequests(sandboxPlatform, "POST /auth/invite", n).Check,
						env.ExpectRequests(sandboxPlatform, "PATCH /user/{id}", patches).Check,
						env.ExpectRequests(sandboxPlatform, "GET /user/{id}", 0).Check,
						env.ExpectAtMostRequests(sandboxPlatform, "GET /user/{$}", n/10).Check,
						env.ExpectAtMostRequests(sandboxPlatform, "GET /user/invites", n/10).Check,
						noUnknownQuery(env),
					),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(teamAddr, tfjsonpath.New("members").AtMapKey("Team0@Example.com").AtMapKey("role"), knownvalue.StringExact("admin")),
						statecheck.ExpectKnownValue(teamAddr, tfjsonpath.New("members").AtMapKey("Team1@Example.com").AtMapKey("last_name"), knownvalue.StringExact("L1")),
						statecheck.ExpectKnownValue(teamAddr, tfjsonpath.New("invite_statuses").AtMapKey("Team9@Example.com"), knownvalue.StringExact("invited")),
						statecheck.ExpectKnownValue(teamAddr, tfjsonpath.New("user_ids"), knownvalue.MapSizeExact(n+1)),
					},
				},
				resource.TestStep{
					PreConfig:    env.Sandbox.ClearLog,
					RefreshState: true,
					Check: resource.ComposeAggregateTestCheckFunc(
						env.ExpectRequests(sandboxPlatform, "GET /user/{$}", 3).Check,
						env.ExpectRequests(sandboxPlatform, "GET /user/invites", 3).Check,
						env.ExpectRequests(sandboxPlatform, "", 6).Check,
					),
				},
				resource.TestStep{
					Config:           cfg,
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				},
			)
		})
	}
}

// The authoritative resource's refresh survives a failing invites
// listing too: members come from the user rows, statuses keep their last
// values, and a role changed out of band is still corrected.
func TestAccRoyaltiInvitations_invitesListingDown(t *testing.T) {
	env := acctest.New(t)
	cfg := env.Config(teamHCL("", `
    "member@royalti.example" = {}
    "down@example.com"       = { role = "admin" }
`))
	acctest.Test(t,
		resource.TestStep{Config: cfg},
		resource.TestStep{
			PreConfig: func() {
				env.Sandbox.AddFault(sandbox.Fault{Platform: "royalti", Method: "GET", Path: "/user/invites", Status: 500, Body: `{"message":"invites unavailable"}`, Count: 1000})
				env.Sandbox.Royalti.SetRole("down@example.com", "user")
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(teamAddr, plancheck.ResourceActionUpdate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(teamAddr, tfjsonpath.New("members").AtMapKey("down@example.com").AtMapKey("role"), knownvalue.StringExact("admin")),
				statecheck.ExpectKnownValue(teamAddr, tfjsonpath.New("invite_statuses").AtMapKey("down@example.com"), knownvalue.StringExact("invited")),
				statecheck.ExpectKnownValue(teamAddr, tfjsonpath.New("invite_statuses").AtMapKey("member@royalti.example"), knownvalue.StringExact("joined")),
			},
		},
	)
}
