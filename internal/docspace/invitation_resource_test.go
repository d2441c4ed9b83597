package docspace_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

const addr = "membership_docspace_invitation.jane"

func invitationHCL(email, typ, extra string) string {
	return fmt.Sprintf(`
resource "membership_docspace_invitation" "jane" {
  email = %q
  type  = %q
%s
}
`, email, typ, extra)
}

// checkType checks the sandbox user's type.
func checkType(env *acctest.Env, email, typ string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		u, ok := env.Sandbox.DocSpace.User(email)
		if !ok {
			return fmt.Errorf("the portal has no user %s", email)
		}
		if u.Type != typ {
			return fmt.Errorf("%s has type %s on the portal, want %s", email, u.Type, typ)
		}
		return nil
	}
}

func checkGone(env *acctest.Env, emails ...string) func(*terraform.State) error {
	return func(*terraform.State) error {
		for _, e := range emails {
			if _, ok := env.Sandbox.DocSpace.User(e); ok {
				return fmt.Errorf("%s is still on the portal after destroy", e)
			}
		}
		return nil
	}
}

func TestAccDocSpaceInvitation_lifecycle(t *testing.T) {
	env := acctest.New(t)
	var firstID string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkGone(env, "jane@example.com"),
		Steps: []resource.TestStep{
			{
				Config: env.Config(invitationHCL("Jane@Example.com", "Guest", `  culture = "en-US"`)),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestMatchResourceAttr(addr, "id", regexp.MustCompile(`^[0-9a-f-]{36}$`)),
					resource.TestCheckResourceAttr(addr, "email", "Jane@Example.com"),
					resource.TestCheckResourceAttr(addr, "type", "Guest"),
					resource.TestCheckResourceAttr(addr, "activation_status", "pending"),
					resource.TestCheckResourceAttr(addr, "status", "active"),
					resource.TestCheckResourceAttr(addr, "display_name", "Jane@Example.com"),
					checkType(env, "jane@example.com", "Guest"),
					func(s *terraform.State) error {
						if u, _ := env.Sandbox.DocSpace.User("jane@example.com"); u.Culture != "en-US" {
							return fmt.Errorf("invited with culture %q, want en-US", u.Culture)
						}
						firstID = s.RootModule().Resources[addr].Primary.ID
						return nil
					},
				),
			},
			// import by email (any case) and by uuid
			{
				ResourceName: addr, ImportState: true, ImportStateId: "jane@example.COM",
				ImportStateVerify: true, ImportStateVerifyIgnore: []string{"culture"},
			},
			{
				ResourceName: addr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"culture"},
			},
			// type changed in place
			{
				Config: env.Config(invitationHCL("Jane@Example.com", "RoomAdmin", `  culture = "en-US"`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(addr, "type", "RoomAdmin"),
					checkType(env, "jane@example.com", "RoomAdmin"),
					resource.TestCheckResourceAttrPtr(addr, "id", &firstID),
				),
			},
			// a case-only change of the email is no change
			{
				Config: env.Config(invitationHCL("jane@EXAMPLE.com", "RoomAdmin", `  culture = "en-US"`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
			// drift: type changed out of band -> in-place update back
			{
				PreConfig: func() { env.Sandbox.DocSpace.SetType("jane@example.com", "User") },
				Config:    env.Config(invitationHCL("jane@EXAMPLE.com", "RoomAdmin", `  culture = "en-US"`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("type"), knownvalue.StringExact("RoomAdmin")),
				}},
				Check: checkType(env, "jane@example.com", "RoomAdmin"),
			},
			// drift: user deleted out of band -> invited again
			{
				PreConfig: func() { env.Sandbox.DocSpace.DeleteUser("jane@example.com") },
				Config:    env.Config(invitationHCL("jane@EXAMPLE.com", "RoomAdmin", `  culture = "en-US"`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: checkType(env, "jane@example.com", "RoomAdmin"),
			},
			// drift: user terminated out of band -> gone from state, plan re-creates
			{
				PreConfig:          func() { env.Sandbox.DocSpace.Terminate("jane@example.com") },
				Config:             env.Config(invitationHCL("jane@EXAMPLE.com", "RoomAdmin", `  culture = "en-US"`)),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				PreConfig: func() { env.Sandbox.DocSpace.DeleteUser("jane@example.com") },
				Config:    env.Config(invitationHCL("jane@EXAMPLE.com", "RoomAdmin", `  culture = "en-US"`)),
			},
			// culture only: an update that sends nothing
			{
				PreConfig: env.Sandbox.ClearLog,
				Config:    env.Config(invitationHCL("jane@EXAMPLE.com", "RoomAdmin", `  culture = "de-DE"`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					for _, r := range env.Sandbox.Requests("docspace") {
						if r.Method != "GET" {
							return fmt.Errorf("a culture change sent %s %s", r.Method, r.Path)
						}
					}
					return nil
				},
			},
		},
	})
}

func TestAccDocSpaceInvitation_badInput(t *testing.T) {
	env := acctest.New(t)
	bad := []struct{ hcl, want string }{
		{invitationHCL("jane@example.com", "Admin", ""), `(?s)type.*value must be one of`},
		{invitationHCL("jane@example.com", "user", ""), `(?s)type.*value must be one of`},
		{invitationHCL("not an email", "User", ""), `(?s)email.*must be a plain email address`},
		{invitationHCL("jane@example.com", "User", `  culture = "English"`), `(?s)culture.*must be a culture name`},
	}
	var steps []resource.TestStep
	for _, b := range bad {
		steps = append(steps, resource.TestStep{Config: env.Config(b.hcl), PlanOnly: true, ExpectError: regexp.MustCompile(b.want)})
	}
	acctest.Test(t, steps...)
	env.CheckNoRequests(t)
}

func TestAccDocSpaceInvitation_existingUserConverges(t *testing.T) {
	env := acctest.New(t)
	const a = "membership_docspace_invitation.jane"
	acctest.Test(t,
		// user@ is an activated User: inviting as Guest leaves it a User,
		// so the provider sets Guest itself
		resource.TestStep{
			Config: env.Config(invitationHCL(strings.ToUpper(sandbox.DocSpaceUserEmail), "Guest", "")),
			Check: resource.ComposeAggregateTestCheckFunc(
				checkType(env, sandbox.DocSpaceUserEmail, "Guest"),
				resource.TestCheckResourceAttr(a, "type", "Guest"),
				resource.TestCheckResourceAttr(a, "activation_status", "activated"),
				resource.TestCheckResourceAttr(a, "display_name", "Ulysses User"),
			),
		},
	)
}

func TestAccDocSpaceInvitation_skippedTypeChangeFails(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t,
		resource.TestStep{Config: env.Config(invitationHCL("jane@example.com", "User", ""))},
		resource.TestStep{
			PreConfig:   func() { env.Sandbox.DocSpace.SetSkipTypeChanges(true) },
			Config:      env.Config(invitationHCL("jane@example.com", "Guest", "")),
			ExpectError: regexp.MustCompile(`(?s)without\s+changing.*still\s+User.*silently\s+skips`),
		},
		resource.TestStep{
			PreConfig: func() { env.Sandbox.DocSpace.SetSkipTypeChanges(false) },
			Config:    env.Config(invitationHCL("jane@example.com", "Guest", "")),
			Check:     checkType(env, "jane@example.com", "Guest"),
		},
	)
}

func TestAccDocSpaceInvitation_ownerCannotBeChanged(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t, resource.TestStep{
		Config:      env.Config(invitationHCL(sandbox.DocSpaceOwnerEmail, "User", "")),
		ExpectError: regexp.MustCompile(`(?s)portal\s+owner.*cannot\s+change.*Owner`),
	})
}

func TestAccDocSpaceInvitation_refusals(t *testing.T) {
	env := acctest.New(t)
	adminProvider := strings.Replace(env.ProviderConfig(), sandbox.DocSpaceToken, sandbox.DocSpaceAdminToken, 1)
	acctest.Test(t,
		resource.TestStep{
			PreConfig:   func() { env.Sandbox.DocSpace.SetGuestInvitesDisabled(true) },
			Config:      env.Config(invitationHCL("guest1@example.com", "Guest", "")),
			ExpectError: regexp.MustCompile(`(?s)HTTP 403.*guests.*Guest\s+invitations\s+disabled`),
		},
		resource.TestStep{
			PreConfig:   func() { env.Sandbox.DocSpace.SetAdminQuota(2) },
			Config:      env.Config(invitationHCL("admin2@example.com", "RoomAdmin", "")),
			ExpectError: regexp.MustCompile(`(?s)HTTP 402.*no\s+free\s+paid\s+admin\s+seat.*upgrade`),
		},
		resource.TestStep{
			PreConfig:   func() { env.Sandbox.DocSpace.SetAdminQuota(10) },
			Config:      adminProvider + invitationHCL("admin3@example.com", "DocSpaceAdmin", ""),
			ExpectError: regexp.MustCompile(`(?s)HTTP 403.*only\s+the\s+portal\s+owner.*owner's\s+API\s+key`),
		},
		resource.TestStep{
			Config: adminProvider + invitationHCL("admin3@example.com", "RoomAdmin", ""),
			Check:  checkType(env, "admin3@example.com", "RoomAdmin"),
		},
	)
}

func TestAccDocSpaceInvitation_importErrors(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t,
		resource.TestStep{Config: env.Config(invitationHCL("jane@example.com", "User", ""))},
		resource.TestStep{
			ResourceName: addr, ImportState: true, ImportStateId: "not-an-id",
			ExpectError: regexp.MustCompile(`(?s)email\s+address.*or\s+user\s+id,\s+a\s+uuid`),
		},
		resource.TestStep{
			ResourceName: addr, ImportState: true, ImportStateId: "nobody@example.com",
			ExpectError: regexp.MustCompile(`no\s+user\s+nobody@example.com`),
		},
	)
}

// N invitations: creates are batched, a refresh costs the list's pages.
func TestAccDocSpaceInvitation_scale(t *testing.T) {
	env := acctest.New(t)
	const n = 150
	var emails []string
	for i := 0; i < n; i++ {
		emails = append(emails, fmt.Sprintf("member%03d@example.com", i))
	}
	hcl := fmt.Sprintf(`
locals { emails = [%s] }
resource "membership_docspace_invitation" "m" {
  count    = length(local.emails)
  email    = local.emails[count.index]
  type     = "User"
}
`, `"`+strings.Join(emails, `", "`)+`"`)
	pages := (n+5)/100 + 1 // 5 seeded users, 100 per page
	acctest.Test(t,
		resource.TestStep{
			Config: env.Config(hcl),
			Check: func(*terraform.State) error {
				// Terraform creates 10 at a time, so batching gives about n/10;
				// how full each wave's batch is depends on scheduling, so the
				// bound is half the members: one request each would fail it.
				if got := env.Sandbox.Count("docspace", "POST /api/2.0/people/invite"); got > n/2 {
					return fmt.Errorf("%d invitations took %d POST people/invite, want at most %d", n, got, n/2)
				}
				return nil
			},
		},
		resource.TestStep{
			PreConfig:    env.Sandbox.ClearLog,
			RefreshState: true,
			Check: func(*terraform.State) error {
				if got := env.Sandbox.Count("docspace", "GET /api/2.0/people/{id}"); got != 0 {
					return fmt.Errorf("refresh sent %d GET people/{id}, want 0", got)
				}
				if got := env.Sandbox.Count("docspace", "GET /api/2.0/people/filter"); got != pages {
					return fmt.Errorf("refresh of %d invitations listed %d pages, want %d", n, got, pages)
				}
				if got := env.Sandbox.Count("docspace", ""); got != pages {
					return fmt.Errorf("refresh sent %d requests, want %d", got, pages)
				}
				return nil
			},
		},
		resource.TestStep{
			PreConfig: env.Sandbox.ClearLog,
			Config:    env.Config(`# nothing`),
			Check: func(*terraform.State) error {
				if got := env.Sandbox.Count("docspace", "PUT /api/2.0/people/status/{status}"); got > n/2 {
					return fmt.Errorf("%d removals took %d terminations, want at most %d", n, got, n/2)
				}
				if got := env.Sandbox.Count("docspace", "DELETE /api/2.0/people/{id}"); got != n {
					return fmt.Errorf("%d removals took %d DELETE people/{id}, want %d", n, got, n)
				}
				if got := len(env.Sandbox.DocSpace.Users()); got != 5 {
					return fmt.Errorf("%d users left on the portal, want the 5 seeded", got)
				}
				return nil
			},
		},
	)
}

// Three room admins in one apply with two free seats: the batch is
// refused with 402, the provider retries one by one, and exactly one
// resource fails, with the quota explained.
func TestAccDocSpaceInvitation_perMemberQuotaFailure(t *testing.T) {
	env := acctest.New(t)
	env.Sandbox.DocSpace.SetAdminQuota(4) // the seeds use 2
	acctest.Test(t, resource.TestStep{
		Config: env.Config(`
resource "membership_docspace_invitation" "ra" {
  count = 3
  email = "ra${count.index}@example.com"
  type  = "RoomAdmin"
}
`),
		ExpectError: regexp.MustCompile(`(?s)Could\s+not\s+invite\s+ra\d@example.com.*HTTP\s+402.*Free\s+a\s+seat`),
	}, resource.TestStep{
		RefreshState:       true,
		ExpectNonEmptyPlan: true, // the refused one is still to create
		Check: func(*terraform.State) error {
			n := 0
			for i := 0; i < 3; i++ {
				if _, ok := env.Sandbox.DocSpace.User(fmt.Sprintf("ra%d@example.com", i)); ok {
					n++
				}
			}
			if n != 2 {
				return fmt.Errorf("%d of 3 room admins invited, want the 2 the quota allows", n)
			}
			return nil
		},
	})
}

// Changing the type of many invitations at once shares PUT requests and
// the read-back shares one listing.
func TestAccDocSpaceInvitation_batchedTypeChanges(t *testing.T) {
	env := acctest.New(t)
	hcl := func(typ string) string {
		return env.Config(fmt.Sprintf(`
resource "membership_docspace_invitation" "m" {
  count = 20
  email = "m${count.index}@example.com"
  type  = %q
}
`, typ))
	}
	acctest.Test(t,
		resource.TestStep{Config: hcl("Guest")},
		resource.TestStep{
			PreConfig: env.Sandbox.ClearLog,
			Config:    hcl("User"),
			Check: func(*terraform.State) error {
				// About 2 (two waves of 10); at most half the members, as above.
				if got := env.Sandbox.Count("docspace", "PUT /api/2.0/people/type/{type}"); got > 10 {
					return fmt.Errorf("20 type changes took %d PUT people/type, want at most 10", got)
				}
				if got := env.Sandbox.Count("docspace", "GET /api/2.0/people/{id}"); got != 0 {
					return fmt.Errorf("the read-back sent %d GET people/{id}, want 0", got)
				}
				for i := 0; i < 20; i++ {
					if err := checkType(env, fmt.Sprintf("m%d@example.com", i), "User")(nil); err != nil {
						return err
					}
				}
				return nil
			},
		},
	)
}

// Two resources inviting the same email (in another case) created together:
// the first is invited, the second fails as a duplicate instead of silently
// sharing the user (destroying either would delete it).
func TestAccDocSpaceInvitation_duplicateEmail(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t, resource.TestStep{
		Config: env.Config(invitationHCL("twin@example.com", "User", "") + `
resource "membership_docspace_invitation" "twin" {
  email = "Twin@Example.com"
  type  = "User"
}
`),
		ExpectError: regexp.MustCompile(`(?is)twin@example\.com is invited by another resource of this\s+configuration\s+too\s+\(duplicate\)`),
	})
	n := 0
	for _, r := range env.Sandbox.Requests("docspace") {
		if r.Route == "POST /api/2.0/people/invite" {
			n += strings.Count(strings.ToLower(r.Body), "twin@example.com")
		}
	}
	if n != 1 {
		t.Fatalf("twin@example.com was sent in %d invitations, want 1", n)
	}
}

// The portal's rate limit (503 with Retry-After) is ridden out by the
// provider's retries: with a limit of 2 requests a second, twelve
// invitations still apply, refresh clean and destroy.
func TestAccDocSpaceInvitation_rateLimited(t *testing.T) {
	env := acctest.New(t)
	var hcl strings.Builder
	for i := range 12 {
		fmt.Fprintf(&hcl, `
resource "membership_docspace_invitation" "m%d" {
  email = "limited%02d@example.com"
  type  = "User"
}
`, i, i)
	}
	acctest.Test(t, resource.TestStep{
		PreConfig: func() { env.Sandbox.DocSpace.SetRateLimit(2, time.Second) },
		Config:    env.ProviderConfig(`  max_retries = 10`) + hcl.String(),
		Check: func(*terraform.State) error {
			for i := range 12 {
				if _, ok := env.Sandbox.DocSpace.User(fmt.Sprintf("limited%02d@example.com", i)); !ok {
					return fmt.Errorf("limited%02d@example.com was not invited", i)
				}
			}
			return nil
		},
	})
	// Apply, refresh and destroy (12 deletions) all went through.
	limited := 0
	for _, r := range env.Sandbox.Requests("docspace") {
		if r.Status == 503 {
			limited++
		}
	}
	if limited == 0 {
		t.Fatalf("the rate limit was never hit: the test proves nothing (%v)", env.Sandbox.Counts())
	}
	for _, u := range env.Sandbox.DocSpace.Users() {
		if strings.HasPrefix(u.Email, "limited") {
			t.Fatalf("%s is still on the portal after destroy", u.Email)
		}
	}
}
