package smartdocumentor_test

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
)

var rfc3339 = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)

// invited_at is the listing's createdAt, pending its !emailConfirmed; the
// person's acceptance shows at refresh without a diff.
func TestAccSmartDocumentorInvitation_invitedAtAndPending(t *testing.T) {
	env := acctest.New(t)
	cfg := env.Config(invitation(2, "jane@example.com", "Viewer"))
	acctest.Test(t,
		resource.TestStep{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("invited_at"), knownvalue.StringRegexp(rfc3339)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("pending"), knownvalue.Bool(true)),
			},
		},
		resource.TestStep{
			PreConfig: func() { env.Sandbox.SmartDocumentor.ConfirmUser("jane@example.com") },
			Config:    cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectEmptyPlan(),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("pending"), knownvalue.Bool(false)),
			},
		},
	)
}

func TestAccSmartDocumentorWorkspaceUsers_pendingOlderThan(t *testing.T) {
	env := acctest.New(t)
	sd := env.Sandbox.SmartDocumentor
	old := time.Now().Add(-40 * 24 * time.Hour).UTC().Truncate(time.Second)
	acctest.Test(t,
		resource.TestStep{
			Config: env.Config(invitation(2, "stale@example.com", "Viewer") + `
resource "membership_smartdocumentor_workspace_invitation" "fresh" {
  workspace_id = 2
  email        = "fresh@example.com"
  role         = "Viewer"
}
`),
		},
		resource.TestStep{
			PreConfig: func() { sd.SetCreatedAt("stale@example.com", old) },
			Config: env.Config(invitation(2, "stale@example.com", "Viewer") + `
resource "membership_smartdocumentor_workspace_invitation" "fresh" {
  workspace_id = 2
  email        = "fresh@example.com"
  role         = "Viewer"
}
data "membership_smartdocumentor_workspace_users" "stale" {
  workspace_id       = 2
  pending_older_than = "720h"
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.membership_smartdocumentor_workspace_users.stale", tfjsonpath.New("users"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"email":      knownvalue.StringExact("stale@example.com"),
						"pending":    knownvalue.Bool(true),
						"invited_at": knownvalue.StringExact(old.Format(time.RFC3339)),
					}),
				})),
			},
		},
	)
}

func TestListResource_pendingOlderThan(t *testing.T) {
	env := acctest.New(t)
	srv := env.ProtocolServer(t, nil)
	sd := env.Sandbox.SmartDocumentor
	sd.SeedMembers(2, 10) // member005 and member010 pending, the others active
	sd.SetCreatedAt("member005@example.com", time.Now().Add(-40*24*time.Hour))
	sd.SetCreatedAt("member004@example.com", time.Now().Add(-40*24*time.Hour)) // active: never listed
	results, diags := srv.List(context.Background(), invitationType, map[string]any{"workspace_id": 2, "pending_older_than": "720h"}, true, 0, nil)
	if acctest.HasError(diags) {
		t.Fatal(acctest.DiagText(diags))
	}
	if len(results) != 1 || results[0].Identity["email"] != "member005@example.com" || results[0].Resource["pending"] != true {
		t.Fatalf("listed %+v, want the stale invitation only", results)
	}
	if s, _ := results[0].Resource["invited_at"].(string); !rfc3339.MatchString(s) {
		t.Fatalf("invited_at %v", results[0].Resource["invited_at"])
	}
}
