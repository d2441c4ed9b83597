package docspace_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

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
		if u.Status == sandbox.DSStatusTerminated {
			return fmt.Errorf("%s is terminated on the portal", email)
		}
		return nil
	}
}

// portalGone checks that the portal has no user with these emails, not
// even a terminated one.
func portalGone(env *acctest.Env, emails ...string) acctest.Gone {
	return acctest.ExpectGone("the DocSpace portal", func(email string) bool {
		_, ok := env.Sandbox.DocSpace.User(email)
		return ok
	}, emails...)
}

// noWrites checks that the sandbox saw only GET requests.
func noWrites(env *acctest.Env) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, r := range env.Sandbox.Requests("docspace") {
			if r.Method != "GET" {
				return fmt.Errorf("sent %s %s", r.Method, r.Path)
			}
		}
		return nil
	}
}

func expect(address, attr string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(address, tfjsonpath.New(attr), v)
}

func TestAccDocSpaceInvitation_lifecycle(t *testing.T) {
	env := acctest.New(t)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	cfg := func(email, typ, culture string) string {
		return env.Config(invitationHCL(email, typ, fmt.Sprintf("  culture = %q", culture)))
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             portalGone(env, "jane@example.com").Check,
		Steps: []resource.TestStep{
			{
				Config: cfg("Jane@Example.com", "User", "en-US"),
				ConfigStateChecks: []statecheck.StateCheck{
					expect(addr, "id", knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f-]{36}$`))),
					expect(addr, "email", knownvalue.StringExact("Jane@Example.com")),
					expect(addr, "type", knownvalue.StringExact("User")),
					expect(addr, "activation_status", knownvalue.StringExact("pending")),
					expect(addr, "status", knownvalue.StringExact("pending")),
					expect(addr, "display_name", knownvalue.StringExact("Jane@Example.com")),
					sameID.AddStateValue(addr, tfjsonpath.New("id")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkType(env, "jane@example.com", "User"),
					func(*terraform.State) error {
						if u, _ := env.Sandbox.DocSpace.User("jane@example.com"); u.Culture != "en-US" {
							return fmt.Errorf("invited with culture %q, want en-US", u.Culture)
						}
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
				Config: cfg("Jane@Example.com", "RoomAdmin", "en-US"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expect(addr, "type", knownvalue.StringExact("RoomAdmin")),
					sameID.AddStateValue(addr, tfjsonpath.New("id")),
				},
				Check: checkType(env, "jane@example.com", "RoomAdmin"),
			},
			// a case-only change of the email is no change
			{
				Config: cfg("jane@EXAMPLE.com", "RoomAdmin", "en-US"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
			// drift: type changed out of band -> in-place update back
			{
				PreConfig: func() { env.Sandbox.DocSpace.SetType("jane@example.com", "User") },
				Config:    cfg("jane@EXAMPLE.com", "RoomAdmin", "en-US"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("type"), knownvalue.StringExact("RoomAdmin")),
				}},
				Check: checkType(env, "jane@example.com", "RoomAdmin"),
			},
			// drift: terminated out of band -> re-activated in place (same id)
			{
				PreConfig: func() { env.Sandbox.DocSpace.Terminate("jane@example.com") },
				Config:    cfg("jane@EXAMPLE.com", "RoomAdmin", "en-US"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("status")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expect(addr, "status", knownvalue.StringExact("pending")),
					sameID.AddStateValue(addr, tfjsonpath.New("id")),
				},
				Check: checkType(env, "jane@example.com", "RoomAdmin"),
			},
			// drift: deleted out of band -> invited again
			{
				PreConfig: func() { env.Sandbox.DocSpace.DeleteUser("jane@example.com") },
				Config:    cfg("jane@EXAMPLE.com", "RoomAdmin", "en-US"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: checkType(env, "jane@example.com", "RoomAdmin"),
			},
			// culture only: an update that sends nothing
			{
				PreConfig: env.Sandbox.ClearLog,
				Config:    cfg("jane@EXAMPLE.com", "RoomAdmin", "de-DE"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: noWrites(env),
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

// DocSpace never invites guests to the portal (403 for type Guest): the
// plan says so, and how guests are invited, before anything is sent. An
// existing user can be managed as a Guest.
func TestAccDocSpaceInvitation_guestIsRefusedAtPlan(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t,
		resource.TestStep{
			Config:      env.Config(invitationHCL("visitor@example.com", "Guest", "")),
			ExpectError: regexp.MustCompile(`(?s)refuse to make visitor@example.com a Guest.*403.*guests join.*through\s+rooms.*invite them here as User`),
		},
		resource.TestStep{
			PreConfig: env.Sandbox.ClearLog,
			Config:    env.Config(invitationHCL(sandbox.DocSpaceGuestEmail, "Guest", "")),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(addr, "type", knownvalue.StringExact("Guest")),
				expect(addr, "activation_status", knownvalue.StringExact("pending")),
			},
			Check: resource.ComposeAggregateTestCheckFunc(checkType(env, sandbox.DocSpaceGuestEmail, "Guest"), noWrites(env)),
		},
	)
	if _, ok := env.Sandbox.DocSpace.User("visitor@example.com"); ok {
		t.Fatal("the refused guest was invited")
	}
}

func TestAccDocSpaceInvitation_existingUserConverges(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t,
		// room.admin@ is an activated RoomAdmin: inviting as User leaves it
		// a RoomAdmin, so the provider sets User itself
		resource.TestStep{
			Config: env.Config(invitationHCL(strings.ToUpper(sandbox.DocSpaceRoomAdminEmail), "User", "")),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(addr, "type", knownvalue.StringExact("User")),
				expect(addr, "activation_status", knownvalue.StringExact("activated")),
				expect(addr, "status", knownvalue.StringExact("active")),
				expect(addr, "display_name", knownvalue.StringExact("Rita Rooms")),
			},
			Check: checkType(env, sandbox.DocSpaceRoomAdminEmail, "User"),
		},
	)
}

func TestAccDocSpaceInvitation_skippedTypeChangeFails(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t,
		resource.TestStep{Config: env.Config(invitationHCL("jane@example.com", "User", ""))},
		resource.TestStep{
			PreConfig:   func() { env.Sandbox.DocSpace.SetSkipTypeChanges(true) },
			Config:      env.Config(invitationHCL("jane@example.com", "RoomAdmin", "")),
			ExpectError: regexp.MustCompile(`(?s)without\s+changing.*still\s+User.*leaves\s+alone`),
		},
		resource.TestStep{
			PreConfig: func() { env.Sandbox.DocSpace.SetSkipTypeChanges(false) },
			Config:    env.Config(invitationHCL("jane@example.com", "RoomAdmin", "")),
			Check:     checkType(env, "jane@example.com", "RoomAdmin"),
		},
	)
}

// The owner and the account the provider signs in as can never be
// changed or removed: managing them is refused at plan, before anything
// is sent.
func TestAccDocSpaceInvitation_protectedUsersAreRefusedAtPlan(t *testing.T) {
	env := acctest.New(t)
	adminProvider := strings.Replace(env.ProviderConfig(), sandbox.DocSpaceToken, sandbox.DocSpaceAdminToken, 1)
	acctest.Test(t,
		resource.TestStep{
			Config:      env.Config(invitationHCL(sandbox.DocSpaceOwnerEmail, "User", "")),
			ExpectError: regexp.MustCompile(`(?s)owner@docspace.example\s+is\s+the\s+portal\s+owner.*cannot\s+manage\s+it`),
		},
		resource.TestStep{
			Config:      adminProvider + invitationHCL(sandbox.DocSpaceAdminEmail, "DocSpaceAdmin", ""),
			ExpectError: regexp.MustCompile(`(?s)admin@docspace.example\s+is\s+the\s+account\s+whose\s+credentials\s+the\s+provider\s+uses`),
		},
		resource.TestStep{
			PreConfig: env.Sandbox.ClearLog,
			Config:    adminProvider + invitationHCL("new.admin@example.com", "DocSpaceAdmin", ""),
			// the owner may; the admin may not
			ExpectError: regexp.MustCompile(`(?s)only\s+the\s+portal\s+owner\s+may\s+invite\s+DocSpace\s+admins`),
			Check:       noWrites(env),
		},
	)
	for _, r := range env.Sandbox.Requests("docspace") {
		if r.Method != "GET" {
			t.Fatalf("a refused plan sent %s %s", r.Method, r.Path)
		}
	}
}

// Destroying a resource whose user DocSpace refuses to remove (here the
// caller's own account, after the credentials changed) fails at plan,
// saying to remove it from state instead; nothing is sent.
func TestAccDocSpaceInvitation_removalRefusedAtPlan(t *testing.T) {
	env := acctest.New(t)
	adminProvider := strings.Replace(env.ProviderConfig(), sandbox.DocSpaceToken, sandbox.DocSpaceAdminToken, 1)
	other := `
resource "membership_docspace_invitation" "other" {
  email = "other@example.com"
  type  = "User"
}
`
	acctest.Test(t,
		// the owner manages admin@ and other@
		resource.TestStep{Config: env.Config(invitationHCL(sandbox.DocSpaceAdminEmail, "DocSpaceAdmin", "") + other)},
		// signed in as admin@, removing admin@ is refused, at plan
		resource.TestStep{
			PreConfig:   env.Sandbox.ClearLog,
			Config:      adminProvider + other,
			ExpectError: regexp.MustCompile(`(?s)refuses to remove admin@docspace.example.*the\s+account\s+whose\s+credentials\s+the\s+provider\s+uses.*terraform\s+state\s+rm`),
		},
		// with the owner's credentials it goes
		resource.TestStep{
			Config: env.Config(other),
			Check:  portalGone(env, sandbox.DocSpaceAdminEmail).Check,
		},
	)
}

func TestAccDocSpaceInvitation_refusals(t *testing.T) {
	env := acctest.New(t)
	adminProvider := strings.Replace(env.ProviderConfig(), sandbox.DocSpaceToken, sandbox.DocSpaceAdminToken, 1)
	acctest.Test(t,
		resource.TestStep{
			PreConfig:   func() { env.Sandbox.DocSpace.SetAdminQuota(2) },
			Config:      env.Config(invitationHCL("admin2@example.com", "RoomAdmin", "")),
			ExpectError: regexp.MustCompile(`(?s)HTTP 402.*no\s+free\s+paid\s+admin\s+seat.*upgrade`),
		},
		resource.TestStep{
			PreConfig: func() { env.Sandbox.DocSpace.SetAdminQuota(10) },
			Config:    adminProvider + invitationHCL("admin3@example.com", "RoomAdmin", ""),
			Check:     checkType(env, "admin3@example.com", "RoomAdmin"),
		},
		// a type change to Guest where the portal does not allow guests:
		// the API's refusal, with what to do
		resource.TestStep{
			PreConfig:   func() { env.Sandbox.DocSpace.SetGuestInvitesDisabled(true) },
			Config:      adminProvider + invitationHCL("admin3@example.com", "Guest", ""),
			ExpectError: regexp.MustCompile(`(?s)HTTP 403.*Access denied.*may not allow guests`),
		},
		resource.TestStep{
			PreConfig: func() { env.Sandbox.DocSpace.SetGuestInvitesDisabled(false) },
			Config:    adminProvider + invitationHCL("admin3@example.com", "Guest", ""),
			Check:     checkType(env, "admin3@example.com", "Guest"),
		},
	)
}

func TestAccDocSpaceInvitation_importErrors(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t,
		resource.TestStep{Config: env.Config(invitationHCL("jane@example.com", "User", ""))},
		resource.TestStep{
			ResourceName: addr, ImportState: true, ImportStateId: "not-an-id",
			ExpectError: regexp.MustCompile(`(?s)Invalid import ID.*email\s+address.*or\s+user\s+id,\s+a\s+uuid`),
		},
		resource.TestStep{
			ResourceName: addr, ImportState: true, ImportStateId: "nobody@example.com",
			ExpectError: regexp.MustCompile(`no\s+user\s+nobody@example.com`),
		},
	)
}

// 120 invitations in one apply, more than one listing page: creates are
// batched, each batch reads its invitees back with one request among the
// pending users (the invite answer has no email), never the whole
// listing and never one request per invitee; a refresh costs the
// listing's pages.
func TestAccDocSpaceInvitation_scale(t *testing.T) {
	env := acctest.New(t)
	const n = 120
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
			PreConfig: env.Sandbox.ClearLog,
			Config:    env.Config(hcl),
			Check: func(*terraform.State) error {
				posts := env.Sandbox.Count("docspace", "POST /api/2.0/people/invite")
				// Terraform creates 10 at a time, so batching gives about
				// n/10; how full each wave's batch is depends on scheduling,
				// so the bound is half the members: one request each fails it.
				if posts > n/2 {
					return fmt.Errorf("%d invitations took %d POST people/invite, want at most %d", n, posts, n/2)
				}
				if got := env.Sandbox.Count("docspace", "GET /api/2.0/people/email"); got != 0 {
					return fmt.Errorf("%d GET people/email: the read-back must be the listing, not one request per invitee", got)
				}
				if got := env.Sandbox.Count("docspace", "GET /api/2.0/people/{id}"); got != 0 {
					return fmt.Errorf("%d GET people/{id}, want 0", got)
				}
				// one read-back per batch (at most 50 emails each)...
				if got := env.Sandbox.Count("docspace", "GET /api/2.0/people/status/{status}"); got != posts {
					return fmt.Errorf("%d batches sent %d read-backs, want one each", posts, got)
				}
				// ...and the portal (5 users: one page) listed once by the
				// plan and once by the apply, whose plans of each resource
				// share that listing, never once per batch
				if got := env.Sandbox.Count("docspace", "GET /api/2.0/people/filter"); got != 2 {
					return fmt.Errorf("%d batches listed %d pages of the portal, want 2 (one per walk): the read-back is by email", posts, got)
				}
				return nil
			},
		},
		resource.TestStep{
			PreConfig:    env.Sandbox.ClearLog,
			RefreshState: true,
			Check: func(*terraform.State) error {
				if got := env.Sandbox.Count("docspace", "GET /api/2.0/people/filter"); got != pages {
					return fmt.Errorf("refresh of %d invitations listed %d pages, want %d", n, got, pages)
				}
				if got := env.Sandbox.Count("docspace", ""); got != pages {
					return fmt.Errorf("refresh sent %d requests, want %d: %v", got, pages, env.Sandbox.Counts())
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
				// one deletion each; the portal's rate limit (500 requests in
				// 10 s) may answer some 503, retried: the removals also ask
				// whether each person owns data to reassign
				deleted, limited := 0, 0
				for _, r := range env.Sandbox.Requests("docspace") {
					switch {
					case r.Status == 503:
						limited++
					case r.Route == "DELETE /api/2.0/people/{id}" && r.Status == 200:
						deleted++
					}
				}
				if deleted != n {
					return fmt.Errorf("%d removals took %d DELETE people/{id} answered 200, want %d", n, deleted, n)
				}
				if got := env.Sandbox.Count("docspace", "GET /api/2.0/people/reassign/necessary"); got-limited > 2*n || got < 2*n {
					return fmt.Errorf("%d removals asked %d times whether someone owns data (%d answered 503), want %d: once at plan, once at apply", n, got, limited, 2*n)
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
// the read-back shares one fresh listing: never one fetched before the
// change (which read "type is still User" under load).
func TestAccDocSpaceInvitation_batchedTypeChanges(t *testing.T) {
	env := acctest.New(t)
	env.Sandbox.DocSpace.SetAdminQuota(30)
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
		resource.TestStep{Config: hcl("User")},
		resource.TestStep{
			PreConfig: env.Sandbox.ClearLog,
			Config:    hcl("RoomAdmin"),
			ConfigStateChecks: []statecheck.StateCheck{
				expect("membership_docspace_invitation.m[0]", "type", knownvalue.StringExact("RoomAdmin")),
				expect("membership_docspace_invitation.m[19]", "type", knownvalue.StringExact("RoomAdmin")),
			},
			Check: func(*terraform.State) error {
				// About 2 (two waves of 10); at most half the members, as above.
				if got := env.Sandbox.Count("docspace", "PUT /api/2.0/people/type/{type}"); got > 10 {
					return fmt.Errorf("20 type changes took %d PUT people/type, want at most 10", got)
				}
				if got := env.Sandbox.Count("docspace", "GET /api/2.0/people/{id}"); got != 0 {
					return fmt.Errorf("the read-back sent %d GET people/{id}, want 0", got)
				}
				for i := 0; i < 20; i++ {
					if err := checkType(env, fmt.Sprintf("m%d@example.com", i), "RoomAdmin")(nil); err != nil {
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
// sharing the user (destroying either would delete it). This holds however
// Terraform schedules the two creates (in one batch or in two).
func TestAccDocSpaceInvitation_duplicateEmail(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t, resource.TestStep{
		Config: env.Config(invitationHCL("twin@example.com", "User", "") + `
resource "membership_docspace_invitation" "twin" {
  email = "Twin@Example.com"
  type  = "User"
}
`),
		ExpectError: regexp.MustCompile(`(?is)twin@example\.com is invited by another resource of this\s+configuration\s+too\s+\(duplicate`),
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

// The same when Terraform creates the two one after the other, so that
// they never share a batch (as on a loaded machine, where the first batch
// is sent before the second create starts): the second still fails.
func TestAccDocSpaceInvitation_duplicateEmailInAnotherBatch(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t, resource.TestStep{
		Config: env.Config(invitationHCL("twin@example.com", "User", "") + `
resource "membership_docspace_invitation" "twin" {
  email      = "Twin@Example.com"
  type       = "User"
  depends_on = [membership_docspace_invitation.jane]
}
`),
		ExpectError: regexp.MustCompile(`(?is)twin@example\.com is invited by another resource of this\s+configuration\s+too\s+\(duplicate`),
	})
}

// A removal whose termination or deletion answer is lost leaves the user
// terminated. It is still ours: the refresh keeps it (status
// "terminated"), the next destroy finishes the deletion, and wanting it
// back re-activates it, where DocSpace would refuse to invite it again.
func TestAccDocSpaceInvitation_terminatedIsStillOurs(t *testing.T) {
	for _, c := range []struct{ name, method, path string }{
		{"termination", "PUT", "/people/status/Terminated"},
		{"deletion", "DELETE", "/people/"},
	} {
		t.Run(c.name+"_answer_lost", func(t *testing.T) {
			env := acctest.New(t)
			lose := func() {
				env.Sandbox.AddFault(sandbox.Fault{Platform: "docspace", Method: c.method, Path: c.path, Status: 500, AfterHandler: true, Count: 1})
			}
			if c.method == "DELETE" {
				// the DELETE fails before the work: the user stays terminated
				lose = func() {
					env.Sandbox.AddFault(sandbox.Fault{Platform: "docspace", Method: c.method, Path: c.path, Status: 500, Count: 1})
				}
			}
			acctest.Test(t,
				resource.TestStep{Config: env.Config(invitationHCL("jane@example.com", "User", ""))},
				resource.TestStep{
					PreConfig:   lose,
					Config:      env.Config(`# removed`),
					ExpectError: regexp.MustCompile(`Could not remove jane@example.com`),
				},
				// the user is terminated, not deleted, and still in state:
				// wanted back, it is re-activated in place, where an
				// invitation would answer 400 "disabled"
				resource.TestStep{
					PreConfig: func() {
						env.Sandbox.ClearFaults()
						if u, _ := env.Sandbox.DocSpace.User("jane@example.com"); u.Status != sandbox.DSStatusTerminated {
							t.Fatalf("the lost answer left the user with status %d, want terminated", u.Status)
						}
					},
					Config: env.Config(invitationHCL("jane@example.com", "User", "")),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(addr, tfjsonpath.New("status")),
					}},
					ConfigStateChecks: []statecheck.StateCheck{
						expect(addr, "status", knownvalue.StringExact("pending")),
					},
					Check: checkType(env, "jane@example.com", "User"),
				},
				// lost again, then destroyed: the deletion is finished
				resource.TestStep{
					PreConfig:   lose,
					Config:      env.Config(`# removed`),
					ExpectError: regexp.MustCompile(`Could not remove jane@example.com`),
				},
				resource.TestStep{
					PreConfig: env.Sandbox.ClearFaults,
					Config:    env.Config(`# removed`),
					Check:     portalGone(env, "jane@example.com").Check,
				},
			)
		})
	}
}

// A new resource whose email belongs to a terminated user (not in state)
// re-activates it with a warning, instead of failing on DocSpace's
// 400 "disabled".
func TestAccDocSpaceInvitation_createReactivatesATerminatedUser(t *testing.T) {
	env := acctest.New(t)
	id := env.Sandbox.DocSpace.AddUser("back@example.com", "User", sandbox.DSActivationActivated)
	env.Sandbox.DocSpace.Terminate("back@example.com")
	acctest.Test(t, resource.TestStep{
		Config: env.Config(invitationHCL("back@example.com", "RoomAdmin", "")),
		ConfigStateChecks: []statecheck.StateCheck{
			expect(addr, "id", knownvalue.StringExact(id)),
			expect(addr, "status", knownvalue.StringExact("active")),
			expect(addr, "type", knownvalue.StringExact("RoomAdmin")),
		},
		Check: checkType(env, "back@example.com", "RoomAdmin"),
	})
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
		// max_retries covers the destroy too: each removal asks DocSpace
		// whether the person owns data to reassign (at plan and at apply)
		Config: env.ProviderConfig(`  max_retries = 20`) + hcl.String(),
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

// After an apply that was killed, its invitations were sent but never
// recorded: the next apply creates those resources again. People already
// on the portal (invited and pending, or active) are adopted from the
// run's listing, not invited again (which would email them once more);
// a type that differs is changed in place.
func TestAccDocSpaceInvitation_reapplyAdoptsInsteadOfInvitingAgain(t *testing.T) {
	env := acctest.New(t)
	env.Sandbox.DocSpace.AddUser("sent-before@example.com", "User", sandbox.DSActivationPending)
	env.Sandbox.DocSpace.AddUser("joined-since@example.com", "User", sandbox.DSActivationActivated)
	acctest.Test(t, resource.TestStep{
		PreConfig: env.Sandbox.ClearLog,
		Config: env.Config(`
resource "membership_docspace_invitation" "a" {
  email = "sent-before@example.com"
  type  = "User"
}
resource "membership_docspace_invitation" "b" {
  email = "Joined-Since@example.com"
  type  = "RoomAdmin"
}
`),
		ConfigStateChecks: []statecheck.StateCheck{
			expect("membership_docspace_invitation.a", "activation_status", knownvalue.StringExact("pending")),
			expect("membership_docspace_invitation.b", "type", knownvalue.StringExact("RoomAdmin")),
		},
		Check: resource.ComposeAggregateTestCheckFunc(
			checkType(env, "joined-since@example.com", "RoomAdmin"),
			func(*terraform.State) error {
				if n := env.Sandbox.Count("docspace", "POST /api/2.0/people/invite"); n != 0 {
					return fmt.Errorf("%d invitations sent to people already on the portal, want 0", n)
				}
				return nil
			},
		),
	})
}
