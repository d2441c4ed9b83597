package smartdocumentor_test

import (
	"encoding/json"
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
	platform    = "smartdocumentor"
	routeToken  = "POST /connect/token"
	routeInvite = "POST /api/v1.0/external/sdworkspace/inviteusers"
	routeUsers  = "GET /api/v1.0/external/sdworkspace/allusers/{workspaceId}"
	routeRoles  = "GET /api/v1.0/external/tenant/availableroles"
	addr        = "membership_smartdocumentor_workspace_invitation.jane"
)

func invitation(ws int, email, role string) string {
	return fmt.Sprintf(`
resource "membership_smartdocumentor_workspace_invitation" "jane" {
  workspace_id = %d
  email        = %q
  role         = %q
}
`, ws, email, role)
}

// wrapped compiles an error pattern in which every space also matches the
// line breaks terraform puts in long diagnostics.
func wrapped(pattern string) *regexp.Regexp {
	return regexp.MustCompile(strings.ReplaceAll(pattern, " ", `\s+`))
}

// attr is a state check of one attribute of a resource.
func attr(addr, name string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(addr, tfjsonpath.New(name), v)
}

func planIs(addr string, action plancheck.ResourceActionType) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, action)}}
}

func emptyPlan() resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}
}

// checkMember asserts the sandbox's view of a member.
func checkMember(env *acctest.Env, ws int, email, role, status string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		m, ok := env.Sandbox.SmartDocumentor.Member(ws, email)
		if !ok {
			return fmt.Errorf("%s is not a member of workspace %d in the sandbox", email, ws)
		}
		if m.RoleName != role || m.Status != status {
			return fmt.Errorf("sandbox member %s: role %q status %q, want %q %q", email, m.RoleName, m.Status, role, status)
		}
		return nil
	}
}

// checkInviteBodies asserts that no invite request named an email twice.
func checkInviteBodies(t *testing.T, env *acctest.Env) {
	t.Helper()
	for _, r := range env.Sandbox.Requests(platform) {
		if r.Route != routeInvite {
			continue
		}
		var body struct {
			WorkspaceID int `json:"workspaceId"`
			Users       []struct {
				Email    string `json:"email"`
				RoleName string `json:"roleName"`
			} `json:"users"`
		}
		if err := json.Unmarshal([]byte(r.Body), &body); err != nil {
			t.Fatalf("invite body is not the contract's shape: %s", r.Body)
		}
		seen := map[string]bool{}
		for _, u := range body.Users {
			k := strings.ToLower(u.Email)
			if seen[k] {
				t.Fatalf("an invite request named %s twice: %s", u.Email, r.Body)
			}
			seen[k] = true
		}
	}
}

const roleChangeRefused = `(?s)SmartDocumentor cannot change a member's role.*`

func TestAccWorkspaceInvitation_lifecycle(t *testing.T) {
	env := acctest.New(t)
	sameUser := statecheck.CompareValue(compare.ValuesSame())
	acctest.Test(t,
		resource.TestStep{
			Config:           env.Config(invitation(1, "jane@example.com", "Reviewer")),
			ConfigPlanChecks: planIs(addr, plancheck.ResourceActionCreate),
			ConfigStateChecks: []statecheck.StateCheck{
				attr(addr, "id", knownvalue.StringExact("1/jane@example.com")),
				attr(addr, "workspace_id", knownvalue.Int64Exact(1)),
				attr(addr, "email", knownvalue.StringExact("jane@example.com")),
				attr(addr, "role", knownvalue.StringExact("Reviewer")),
				attr(addr, "status", knownvalue.StringExact("Invited")),
				attr(addr, "email_confirmed", knownvalue.Bool(false)),
				attr(addr, "user_id", knownvalue.NotNull()),
				sameUser.AddStateValue(addr, tfjsonpath.New("user_id")),
			},
			Check: checkMember(env, 1, "jane@example.com", "Reviewer", "Invited"),
		},
		resource.TestStep{
			ResourceName:      addr,
			ImportState:       true,
			ImportStateId:     "1/jane@example.com",
			ImportStateVerify: true,
		},
		// Import by an ID in another case matches the member too.
		resource.TestStep{
			ResourceName:                         addr,
			ImportState:                          true,
			ImportStateId:                        "1/JANE@example.com",
			ImportStateVerify:                    true,
			ImportStateVerifyIdentifierAttribute: "workspace_id",
			ImportStateVerifyIgnore:              []string{"id", "email"},
		},
		// A change of letter case only is no change.
		resource.TestStep{
			Config:           env.Config(invitation(1, "Jane@Example.COM", "Reviewer")),
			ConfigPlanChecks: emptyPlan(),
		},
		// The user accepts out of band: refresh picks the status up, with no diff.
		resource.TestStep{
			PreConfig:        func() { env.Sandbox.SmartDocumentor.ConfirmUser("jane@example.com") },
			Config:           env.Config(invitation(1, "jane@example.com", "Reviewer")),
			ConfigPlanChecks: emptyPlan(),
			ConfigStateChecks: []statecheck.StateCheck{
				attr(addr, "status", knownvalue.StringExact("Active")),
				attr(addr, "email_confirmed", knownvalue.Bool(true)),
				sameUser.AddStateValue(addr, tfjsonpath.New("user_id")),
			},
		},
		// Role changed out of band: the plan says the API cannot change it
		// back and what to do.
		resource.TestStep{
			PreConfig:   func() { env.Sandbox.SmartDocumentor.SetRole(1, "jane@example.com", "Viewer") },
			Config:      env.Config(invitation(1, "jane@example.com", "Reviewer")),
			PlanOnly:    true,
			ExpectError: wrapped(roleChangeRefused + `with role "Viewer".*asks for "Reviewer".*web app.*set role = "Viewer"`),
		},
		// Accepting the new role in configuration makes the plan empty again.
		resource.TestStep{
			Config:            env.Config(invitation(1, "jane@example.com", "Viewer")),
			ConfigPlanChecks:  emptyPlan(),
			ConfigStateChecks: []statecheck.StateCheck{attr(addr, "role", knownvalue.StringExact("Viewer"))},
		},
		// Removed out of band: the plan shows the invitation again, and
		// applying it invites again.
		resource.TestStep{
			PreConfig:          func() { env.Sandbox.SmartDocumentor.RemoveUser(1, "jane@example.com") },
			Config:             env.Config(invitation(1, "jane@example.com", "Viewer")),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
			}},
		},
		resource.TestStep{
			Config:           env.Config(invitation(1, "jane@example.com", "Viewer")),
			ConfigPlanChecks: planIs(addr, plancheck.ResourceActionCreate),
			Check:            checkMember(env, 1, "jane@example.com", "Viewer", "Active"),
		},
	)
	// Destroy only forgets: the member is still there.
	if _, ok := env.Sandbox.SmartDocumentor.Member(1, "jane@example.com"); !ok {
		t.Fatal("destroy removed the member, but the API has no removal")
	}
	checkInviteBodies(t, env)
}

// A role change in configuration is refused at plan time, with what to do:
// nothing is sent, the member stays in state, and once the role is changed
// in the web app the same configuration plans nothing.
func TestAccWorkspaceInvitation_roleChangeRefused(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t,
		resource.TestStep{
			Config: env.Config(invitation(1, "jane@example.com", "Viewer")),
			Check:  checkMember(env, 1, "jane@example.com", "Viewer", "Invited"),
		},
		resource.TestStep{
			PreConfig:   env.Sandbox.ClearLog,
			Config:      env.Config(invitation(1, "jane@example.com", "Manager")),
			ExpectError: wrapped(roleChangeRefused + `jane@example.com is a member of SmartDocumentor workspace 1 with role "Viewer".*asks for "Manager".*change it in the SmartDocumentor web app.*set role = "Viewer"`),
		},
		// Nothing was sent, and the member is still in state.
		resource.TestStep{
			Config:            env.Config(invitation(1, "jane@example.com", "Viewer")),
			ConfigPlanChecks:  emptyPlan(),
			ConfigStateChecks: []statecheck.StateCheck{attr(addr, "role", knownvalue.StringExact("Viewer"))},
			Check:             env.ExpectRequests(platform, routeInvite, 0).Check,
		},
		// Changed in the web app, then in configuration: nothing to do.
		resource.TestStep{
			PreConfig:         func() { env.Sandbox.SmartDocumentor.SetRole(1, "jane@example.com", "Manager") },
			Config:            env.Config(invitation(1, "jane@example.com", "Manager")),
			ConfigPlanChecks:  emptyPlan(),
			ConfigStateChecks: []statecheck.StateCheck{attr(addr, "role", knownvalue.StringExact("Manager"))},
			Check:             env.ExpectRequests(platform, routeInvite, 0).Check,
		},
		// Moving the member to another workspace is a new invitation there
		// (the old membership is forgotten, as destroy does).
		resource.TestStep{
			Config:           env.Config(invitation(2, "jane@example.com", "Viewer")),
			ConfigPlanChecks: planIs(addr, plancheck.ResourceActionDestroyBeforeCreate),
			Check:            checkMember(env, 2, "jane@example.com", "Viewer", "Invited"),
		},
	)
}

func TestAccWorkspaceInvitation_destroyForgets(t *testing.T) {
	env := acctest.New(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			// No API can remove the member: it stays, and nothing else was sent.
			if _, ok := env.Sandbox.SmartDocumentor.Member(2, "sam@example.com"); !ok {
				return fmt.Errorf("sam@example.com disappeared from workspace 2")
			}
			return env.ExpectRequests(platform, routeInvite, 1).Check(nil)
		},
		Steps: []resource.TestStep{{
			Config: env.Config(`
resource "membership_smartdocumentor_workspace_invitation" "sam" {
  workspace_id = 2
  email        = "sam@example.com"
  role         = "Creator"
}
`),
			Check: checkMember(env, 2, "sam@example.com", "Creator", "Invited"),
		}},
	})
}

func TestAccWorkspaceInvitation_badEmail(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t, resource.TestStep{
		Config:      env.Config(invitation(1, "Jane Doe <jane@example.com>", "Viewer")),
		PlanOnly:    true,
		ExpectError: wrapped(`(?s)Invalid email address.*Attribute email must be a plain email address`),
	})
	env.CheckNoRequests(t)
}

func TestAccWorkspaceInvitation_badWorkspaceID(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t, resource.TestStep{
		Config:      env.Config(invitation(0, "jane@example.com", "Viewer")),
		PlanOnly:    true,
		ExpectError: wrapped(`(?s)Attribute workspace_id value must be at least 1`),
	})
	env.CheckNoRequests(t)
}

func TestAccWorkspaceInvitation_unknownRole(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t,
		resource.TestStep{
			Config:   env.Config(invitation(1, "jane@example.com", "Boss")),
			PlanOnly: true,
			ExpectError: wrapped(`(?s)Unknown SmartDocumentor role.*with membership_smartdocumentor_workspace_invitation.jane.*role.*got "Boss".*` +
				`Valid roles: "Administrator", "Manager", "Creator", "Reviewer", "Viewer"`),
		},
		resource.TestStep{
			Config:      env.Config(invitation(1, "jane@example.com", "viewer")),
			PlanOnly:    true,
			ExpectError: wrapped(`did you mean "Viewer"\?`),
		},
	)
	// The roles were read (once per plan), nothing was invited.
	if n := env.Sandbox.Count(platform, routeInvite); n != 0 {
		t.Fatalf("%d invite requests sent with an unknown role", n)
	}
	for _, r := range env.Sandbox.Requests(platform) {
		if r.Route != routeToken && r.Route != routeRoles {
			t.Fatalf("unexpected request %s %s", r.Method, r.Path)
		}
	}
	if n := env.Sandbox.Count(platform, routeRoles); n != 2 {
		t.Fatalf("availableroles requests = %d, want 2 (one per plan)", n)
	}
}

func TestAccWorkspaceInvitation_duplicateEmail(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t, resource.TestStep{
		Config: env.Config(`
resource "membership_smartdocumentor_workspace_invitation" "a" {
  workspace_id = 1
  email        = "dup@example.com"
  role         = "Viewer"
}
resource "membership_smartdocumentor_workspace_invitation" "b" {
  workspace_id = 1
  email        = "DUP@example.com"
  role         = "Creator"
}
`),
		// Created in one batch: the second is not sent ("already invited ...
		// duplicate"). Created apart: the listing shows the first ("already
		// a member ... with role").
		ExpectError: wrapped(`(?s)Could not invite (dup|DUP)@example.com to SmartDocumentor workspace 1.*(already invited to workspace 1 by another resource.*duplicate|already a member of workspace 1 with role)`),
	})
	n := 0
	for _, m := range env.Sandbox.SmartDocumentor.Members(1) {
		if strings.EqualFold(m.Email, "dup@example.com") {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("dup@example.com is a member %d times", n)
	}
	checkInviteBodies(t, env)
}

// Someone already in the workspace is recognised from the workspace
// listing, whatever the API's message says ("... already belongs to the
// workspace" here). With the planned role the membership is adopted (what
// a retried invite whose first answer was lost looks like); with another
// role the apply fails and says what to do.
func TestAccWorkspaceInvitation_alreadyMember(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t, resource.TestStep{
		Config: env.Config(invitation(1, "Owner@example.com", "Manager")),
		ExpectError: wrapped(`(?s)Could not invite Owner@example.com to SmartDocumentor workspace 1.*` +
			`already a member of workspace 1 with role "Administrator", not "Manager".*` +
			`Change the member's role to "Manager" in the SmartDocumentor web app.*or set role = "Administrator"`),
	}, resource.TestStep{
		Config: env.Config(invitation(1, "Owner@example.com", "Administrator")),
		ConfigStateChecks: []statecheck.StateCheck{
			attr(addr, "id", knownvalue.StringExact("1/Owner@example.com")),
			attr(addr, "status", knownvalue.StringExact("Active")),
			attr(addr, "user_id", knownvalue.Int64Exact(1)),
		},
	}, resource.TestStep{
		Config:           env.Config(invitation(1, "Owner@example.com", "Administrator")),
		ConfigPlanChecks: emptyPlan(),
	})
	if n := len(env.Sandbox.SmartDocumentor.Members(1)); n != 2 {
		t.Fatalf("adopting must not add a member: workspace 1 has %d", n)
	}
}

// The seed member can be adopted by import instead.
func TestAccWorkspaceInvitation_importExisting(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t, resource.TestStep{
		Config:             env.Config(invitation(1, "owner@example.com", "Administrator")),
		ImportState:        true,
		ImportStatePersist: true,
		ResourceName:       addr,
		ImportStateId:      "1/owner@example.com",
		ImportStateCheck: func(s []*terraform.InstanceState) error {
			if len(s) != 1 || s[0].Attributes["role"] != "Administrator" || s[0].Attributes["status"] != "Active" || s[0].Attributes["user_id"] != "1" {
				return fmt.Errorf("imported: %v", s)
			}
			return nil
		},
	}, resource.TestStep{
		Config:           env.Config(invitation(1, "owner@example.com", "Administrator")),
		ConfigPlanChecks: emptyPlan(),
	})
	if n := env.Sandbox.Count(platform, routeInvite); n != 0 {
		t.Fatalf("%d invite requests for an imported member", n)
	}
}

func TestAccWorkspaceInvitation_importErrors(t *testing.T) {
	env := acctest.New(t)
	steps := []resource.TestStep{}
	for id, why := range map[string]string{
		"jane@example.com":     `there is no "/"`,
		"one/jane@example.com": "positive whole number",
		"1/jane":               "email must be a plain email address",
	} {
		steps = append(steps, resource.TestStep{
			Config:        env.Config(invitation(1, "jane@example.com", "Viewer")),
			ResourceName:  addr,
			ImportState:   true,
			ImportStateId: id,
			ExpectError:   wrapped(`(?s)Invalid import ID.*"<workspace_id>/<email>", such as "1/jane@example.com".*` + why),
		})
	}
	// A well-formed ID of no member, or of a workspace that does not
	// exist: the error names the member and the workspace, and says what
	// to check (Terraform's own "Cannot import non-existent remote object"
	// names neither).
	steps = append(steps, resource.TestStep{
		Config:        env.Config(invitation(1, "jane@example.com", "Viewer")),
		ResourceName:  addr,
		ImportState:   true,
		ImportStateId: "1/nobody@example.com",
		ExpectError: wrapped(`(?s)Cannot import nobody@example.com: not a member of SmartDocumentor workspace 1.*` +
			`has no member with the email nobody@example.com.*Check the email and the workspace id.*membership_smartdocumentor_workspace_users`),
	}, resource.TestStep{
		Config:        env.Config(invitation(1, "jane@example.com", "Viewer")),
		ResourceName:  addr,
		ImportState:   true,
		ImportStateId: "99/jane@example.com",
		ExpectError: wrapped(`(?s)Cannot import jane@example.com: not a member of SmartDocumentor workspace 99.*` +
			`Workspace 99 does not exist or the provider's credentials cannot see it`),
	})
	acctest.Test(t, steps...)
	if n := env.Sandbox.Count(platform, routeInvite); n != 0 {
		t.Fatalf("%d invite requests during imports", n)
	}
}

func TestAccWorkspaceInvitation_problemDetails(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t,
		resource.TestStep{
			Config:      env.Config(invitation(99, "jane@example.com", "Viewer")),
			ExpectError: wrapped(`(?s)Could not invite jane@example.com to SmartDocumentor workspace 99.*HTTP 404 Not Found: Not Found: Workspace 99 was not found`),
		},
		resource.TestStep{
			PreConfig: func() {
				env.Sandbox.AddFault(sandbox.Fault{Platform: platform, Path: "/inviteusers", Status: 500,
					Body: `{"title":"Internal Server Error","status":500,"detail":"A server error occurred while processing your request. Please try again later. Trace ID: abc123"}`})
			},
			Config:      env.Config(invitation(1, "jane@example.com", "Viewer")),
			ExpectError: wrapped(`(?s)HTTP 500 Internal Server Error: Internal Server Error: A server error occurred.*Trace ID: abc123`),
		},
	)
}

// Bad credentials: the OAuth2 error code is reported, never the token
// endpoint's body, even when it quotes the submitted form (client secret
// included).
func TestAccWorkspaceInvitation_badCredentials(t *testing.T) {
	env := acctest.New(t)
	env.Sandbox.SmartDocumentor.EchoTokenForm(true)
	cfg := strings.Replace(env.Config(invitation(1, "jane@example.com", "Viewer")), sandbox.SmartDocumentorClientSecret, "not-the-secret", 1)
	acctest.Test(t, resource.TestStep{
		Config: cfg,
		ExpectError: wrapped(`(?s)POST /connect/token\) answered HTTP 400 Bad Request with OAuth2 error "invalid_client".*client_secret=\[REDACTED\].*` +
			`Check the credentials in the provider's "smartdocumentor" block`),
	})
	if n := env.Sandbox.Count(platform, "") - env.Sandbox.Count(platform, routeToken); n != 0 {
		t.Fatalf("%d API requests without a token", n)
	}
}

// Scale: 250 members of one workspace in one apply. Invitations are
// batched (Terraform creates 10 at a time: about one request per wave),
// and the creates read back through the shared listing: at most one
// listing per invitation batch, never one per member. A refresh lists the
// workspace once.
func TestAccWorkspaceInvitation_scale(t *testing.T) {
	env := acctest.New(t)
	// Enough for Terraform's 10 creates at a time to gather into batches
	// many times over; the costs asserted are per batch and per refresh,
	// whatever n.
	const n = 100
	cfg := env.Config(fmt.Sprintf(`
resource "membership_smartdocumentor_workspace_invitation" "many" {
  count        = %d
  workspace_id = 2
  email        = format("member%%03d@example.com", count.index)
  role         = "Reviewer"
}
`, n))
	acctest.Test(t,
		resource.TestStep{
			Config: cfg,
			Check: func(*terraform.State) error {
				if got := len(env.Sandbox.SmartDocumentor.Members(2)); got != n+1 {
					return fmt.Errorf("workspace 2 has %d members, want %d", got, n+1)
				}
				invites, listings := env.Sandbox.Count(platform, routeInvite), env.Sandbox.Count(platform, routeUsers)
				t.Logf("%d members: %d invite requests, %d listings", n, invites, listings)
				if invites >= n/2 {
					return fmt.Errorf("%d invite requests for %d members: not batched", invites, n)
				}
				if listings == 0 || listings > invites {
					return fmt.Errorf("%d listings for %d invite batches: the read back must cost at most one listing per batch", listings, invites)
				}
				return nil
			},
		},
		resource.TestStep{
			PreConfig:    env.Sandbox.ClearLog,
			RefreshState: true,
			Check: resource.ComposeAggregateTestCheckFunc(
				env.ExpectRequests(platform, routeUsers, 1).Check, env.ExpectRequests(platform, routeToken, 1).Check, env.ExpectRequests(platform, "", 2).Check,
			),
		},
	)
	checkInviteBodies(t, env)
}
