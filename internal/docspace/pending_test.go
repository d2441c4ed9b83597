package docspace_test

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

var rfc3339 = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)

// invited_at and pending come from the invitation's read-back, follow the
// person's joining at refresh, and never show as a diff.
func TestAccDocSpaceInvitation_invitedAtAndPending(t *testing.T) {
	env := acctest.New(t)
	cfg := env.Config(invitationHCL("jane@example.com", "User", ""))
	sameDate := statecheck.CompareValue(compare.ValuesSame())
	acctest.Test(t,
		resource.TestStep{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				expect(addr, "invited_at", knownvalue.StringRegexp(rfc3339)),
				expect(addr, "pending", knownvalue.Bool(true)),
				sameDate.AddStateValue(addr, tfjsonpath.New("invited_at")),
			},
		},
		// Jane joins: pending turns false at refresh, and the plan is empty
		resource.TestStep{
			PreConfig: func() { env.Sandbox.DocSpace.Activate("jane@example.com", "Jane", "Doe") },
			Config:    cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectEmptyPlan(),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				expect(addr, "pending", knownvalue.Bool(false)),
				sameDate.AddStateValue(addr, tfjsonpath.New("invited_at")),
			},
		},
	)
}

// pending_older_than keeps the pending invitations sent longer ago than
// the given age: the stale one, not the fresh one, not one who joined.
func TestAccDocSpaceUsersDataSource_pendingOlderThan(t *testing.T) {
	env := acctest.New(t)
	ds := env.Sandbox.DocSpace
	old := time.Now().Add(-40 * 24 * time.Hour).UTC().Truncate(time.Second)
	ds.AddUser("stale@example.com", "User", sandbox.DSActivationPending)
	ds.SetCreated("stale@example.com", old)
	ds.AddUser("fresh@example.com", "User", sandbox.DSActivationPending)
	ds.AddUser("joined@example.com", "User", sandbox.DSActivationActivated)
	ds.SetCreated("joined@example.com", old)
	ds.SetCreated(sandbox.DocSpaceGuestEmail, time.Now()) // the seeded pending guest: fresh
	const stale = "data.membership_docspace_users.stale"
	acctest.Test(t,
		resource.TestStep{
			Config:      env.Config(`data "membership_docspace_users" "bad" { pending_older_than = "30d" }`),
			ExpectError: regexp.MustCompile(`(?s)Invalid duration`),
		},
		resource.TestStep{
			Config: env.Config(`
data "membership_docspace_users" "stale" {
  pending_older_than = "720h"
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(stale, "users", knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"email":      knownvalue.StringExact("stale@example.com"),
					"pending":    knownvalue.Bool(true),
					"invited_at": knownvalue.StringExact(old.Format(time.RFC3339)),
				})})),
			},
		},
	)
}

// The list resource filters the same way, at the protocol level.
func TestListResource_pendingOlderThan(t *testing.T) {
	env := acctest.New(t)
	srv := env.ProtocolServer(t, nil)
	ds := env.Sandbox.DocSpace
	ds.AddUser("stale@example.com", "User", sandbox.DSActivationPending)
	ds.SetCreated("stale@example.com", time.Now().Add(-40*24*time.Hour))
	ds.AddUser("fresh@example.com", "User", sandbox.DSActivationPending)
	ds.SetCreated(sandbox.DocSpaceGuestEmail, time.Now()) // the seeded pending guest: fresh
	results, diags := srv.List(context.Background(), invitationType, map[string]any{"pending_older_than": "720h"}, true, 0, nil)
	if acctest.HasError(diags) {
		t.Fatal(acctest.DiagText(diags))
	}
	var emails []string
	for _, r := range results {
		emails = append(emails, r.Identity["email"].(string))
		if r.Resource["pending"] != true || r.Resource["invited_at"] == nil {
			t.Errorf("%v: pending %v, invited_at %v", r.Identity["email"], r.Resource["pending"], r.Resource["invited_at"])
		}
	}
	if len(emails) != 1 || emails[0] != "stale@example.com" {
		t.Fatalf("listed %v, want the stale invitation only", emails)
	}
}

// Listed with the owner's credentials, every person has an invited_at.
func TestListResource_invitedAt(t *testing.T) {
	env := acctest.New(t)
	srv := env.ProtocolServer(t, nil)
	results, _ := srv.List(context.Background(), invitationType, map[string]any{}, true, 0, nil)
	for _, r := range results {
		if s, _ := r.Resource["invited_at"].(string); !rfc3339.MatchString(s) {
			t.Errorf("%v: invited_at %v", r.Identity["email"], r.Resource["invited_at"])
		}
	}
}
