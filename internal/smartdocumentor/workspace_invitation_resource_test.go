package smartdocumentor_test

import (
	"encoding/json"
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

func TestAccWorkspaceInvitation_lifecycle(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t,
		resource.TestStep{
			Config: env.Config(invitation(1, "jane@example.com", "Reviewer")),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
			}},
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(addr, "id", "1/jane@example.com"),
				resource.TestCheckResourceAttr(addr, "workspace_id", "1"),
				resource.TestCheckResourceAttr(addr, "email", "jane@example.com"),
				resource.TestCheckResourceAttr(addr, "role", "Reviewer"),
				resource.TestCheckResourceAttr(addr, "status", "Invited"),
				resource.TestCheckResourceAttr(addr, "email_confirmed", "false"),
				resource.TestCheckResourceAttrSet(addr, "user_id"),
				checkMember(env, 1, "jane@example.com", "Reviewer", "Invited"),
			),
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
			Config: env.Config(invitation(1, "Jane@Example.COM", "Reviewer")),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectEmptyPlan(),
			}},
		},
		// The user accepts out of band: refresh picks the status up, with no diff.
		resource.TestStep{
			PreConfig: func() { env.Sandbox.SmartDocumentor.ConfirmUser("jane@example.com") },
			Config:    env.Config(invitation(1, "jane@example.com", "Reviewer")),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectEmptyPlan(),
			}},
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(addr, "status", "Active"),
				resource.TestCheckResourceAttr(addr, "email_confirmed", "true"),
			),
		},
		// Role changed out of band: the plan shows the replacement.
		resource.TestStep{
			PreConfig:          func() { env.Sandbox.SmartDocumentor.SetRole(1, "jane@example.com", "Viewer") },
			Config:             env.Config(invitation(1, "jane@example.com", "Reviewer")),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
			}},
		},
		// Accepting the new role in configuration makes the plan empty again.
		resource.TestStep{
			Config: env.Config(invitation(1, "jane@example.com", "Viewer")),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectEmptyPlan(),
			}},
			Check: resource.TestCheckResourceAttr(addr, "role", "Viewer"),
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
			Config: env.Config(invitation(1, "jane@example.com", "Viewer")),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
			}},
			Check: checkMember(env, 1, "jane@example.com", "Viewer", "Active"),
		},
		// A role change in configuration is a replacement; the API cannot
		// change the role of a member, and says so.
		resource.TestStep{
			Config: env.Config(invitation(1, "jane@example.com", "Manager")),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
			}},
			ExpectError: wrapped(`(?s)already a member of workspace 1 with role "Viewer".*cannot change`),
		},
	)
	// Destroy only forgets: the member is still there.
	if _, ok := env.Sandbox.SmartDocumentor.Member(1, "jane@example.com"); !ok {
		t.Fatal("destroy removed the member, but the API has no removal")
	}
	checkInviteBodies(t, env)
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
			if n := env.Sandbox.Count(platform, routeInvite); n != 1 {
				return fmt.Errorf("%d invite requests, want 1", n)
			}
			return nil
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
		// duplicate"). Created apart: the API refuses it ("already a member").
		ExpectError: wrapped(`(?s)Could not invite (dup|DUP)@example.com to SmartDocumentor workspace 1.*(already invited to workspace 1 by another resource.*duplicate|already a member of workspace 1)`),
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

// An existing member with the planned role is adopted: that is the desired
// state, and what a retried invite whose first answer was lost looks like.
// With another role the apply fails and says what to do.
func TestAccWorkspaceInvitation_alreadyMember(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t, resource.TestStep{
		Config: env.Config(invitation(1, "Owner@example.com", "Manager")),
		ExpectError: wrapped(`(?s)Could not invite Owner@example.com to SmartDocumentor workspace 1.*` +
			`HTTP 400 Bad Request: Bad Request: The user 'Owner@example.com' is already a member of workspace 1.*` +
			`already a member of workspace 1 with role "Administrator", and the SmartDocumentor API cannot change a member's role`),
	}, resource.TestStep{
		Config: env.Config(invitation(1, "Owner@example.com", "Administrator")),
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckResourceAttr(addr, "id", "1/Owner@example.com"),
			resource.TestCheckResourceAttr(addr, "status", "Active"),
			resource.TestCheckResourceAttr(addr, "user_id", "1"),
		),
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
		Config: env.Config(invitation(1, "owner@example.com", "Administrator")),
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectEmptyPlan(),
		}},
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
	// A well-formed ID of no member: the import finds nothing.
	steps = append(steps, resource.TestStep{
		Config:        env.Config(invitation(1, "jane@example.com", "Viewer")),
		ResourceName:  addr,
		ImportState:   true,
		ImportStateId: "1/nobody@example.com",
		ExpectError:   wrapped(`Cannot import non-existent remote object`),
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

func TestAccWorkspaceInvitation_badCredentials(t *testing.T) {
	env := acctest.New(t)
	cfg := strings.Replace(env.Config(invitation(1, "jane@example.com", "Viewer")), sandbox.SmartDocumentorClientSecret, "not-the-secret", 1)
	acctest.Test(t, resource.TestStep{
		Config:      cfg,
		ExpectError: wrapped(`(?s)invalid_client.*Check the credentials in the provider's "smartdocumentor" block`),
	})
	if n := env.Sandbox.Count(platform, "") - env.Sandbox.Count(platform, routeToken); n != 0 {
		t.Fatalf("%d API requests without a token", n)
	}
}

// Scale: 30 members in one workspace are invited in a few batched
// requests, and a refresh lists the workspace once.
func TestAccWorkspaceInvitation_scale(t *testing.T) {
	env := acctest.New(t)
	const n = 30
	cfg := env.Config(fmt.Sprintf(`
resource "membership_smartdocumentor_workspace_invitation" "many" {
  count        = %d
  workspace_id = 2
  email        = format("member%%02d@example.com", count.index)
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
				// Terraform creates 10 at a time; each wave is one request.
				t.Logf("%d members invited with %d requests", n, env.Sandbox.Count(platform, routeInvite))
				if got := env.Sandbox.Count(platform, routeInvite); got >= n/2 {
					return fmt.Errorf("%d invite requests for %d members: not batched", got, n)
				}
				return nil
			},
		},
		resource.TestStep{
			PreConfig:    env.Sandbox.ClearLog,
			RefreshState: true,
			Check: func(*terraform.State) error {
				if got := env.Sandbox.Count(platform, routeUsers); got != 1 {
					return fmt.Errorf("refresh of %d members sent %d allusers requests, want 1", n, got)
				}
				if got := env.Sandbox.Count(platform, routeToken); got != 1 {
					return fmt.Errorf("refresh fetched %d tokens, want 1", got)
				}
				if got := env.Sandbox.Count(platform, ""); got != 2 {
					return fmt.Errorf("refresh sent %d requests, want 2 (token, allusers): %v", got, env.Sandbox.Counts())
				}
				return nil
			},
		},
	)
	checkInviteBodies(t, env)
}
