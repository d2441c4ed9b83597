package royalti_test

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

// invited_at is the invite's meta.date: unknown right after the
// invitation (the read-back lists users without invites), filled by the
// next refresh without a diff; pending follows the invite's status.
func TestAccRoyaltiInvitation_invitedAtAndPending(t *testing.T) {
	env := acctest.New(t)
	cfg := env.Config(invitationHCL("jane@example.com", ""))
	acctest.Test(t,
		resource.TestStep{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("pending"), knownvalue.Bool(true)),
			},
		},
		// the next refresh fills invited_at, and the plan stays empty
		resource.TestStep{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectEmptyPlan(),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("invited_at"), knownvalue.StringRegexp(rfc3339)),
				statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("pending"), knownvalue.Bool(true)),
			},
		},
		resource.TestStep{
			PreConfig: func() { env.Sandbox.Royalti.SetInviteStatus("jane@example.com", "joined") },
			Config:    cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectEmptyPlan(),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("pending"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue(invAddr, tfjsonpath.New("invite_status"), knownvalue.StringExact("joined")),
			},
		},
	)
}

func TestAccRoyaltiUsersDataSource_pendingOlderThan(t *testing.T) {
	env := acctest.New(t)
	rt := env.Sandbox.Royalti
	old := time.Now().Add(-40 * 24 * time.Hour).UTC().Truncate(time.Second)
	rt.AddUser("stale@example.com", "user", "", "", "invited")
	rt.SetInviteDate("stale@example.com", old)
	rt.AddUser("fresh@example.com", "user", "", "", "invited")
	rt.AddUser("joined@example.com", "user", "", "", "joined")
	rt.SetInviteDate("joined@example.com", old)
	acctest.Test(t,
		resource.TestStep{
			Config:      env.Config(`data "membership_royalti_users" "bad" { pending_older_than = "-1h" }`),
			ExpectError: regexp.MustCompile(`Invalid duration`),
		},
		resource.TestStep{
			Config: env.Config(`data "membership_royalti_users" "stale" { pending_older_than = "720h" }`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.membership_royalti_users.stale", tfjsonpath.New("users"), knownvalue.ListExact([]knownvalue.Check{
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
	rt := env.Sandbox.Royalti
	rt.AddUser("stale@example.com", "user", "", "", "invited")
	rt.SetInviteDate("stale@example.com", time.Now().Add(-40*24*time.Hour))
	rt.AddUser("fresh@example.com", "user", "", "", "invited")
	results, diags := srv.List(context.Background(), invitationType, map[string]any{"pending_older_than": "720h"}, true, 0, nil)
	if acctest.HasError(diags) {
		t.Fatal(acctest.DiagText(diags))
	}
	if len(results) != 1 || results[0].Identity["email"] != "stale@example.com" || results[0].Resource["pending"] != true {
		t.Fatalf("listed %+v, want the stale invitation only", results)
	}
	if s, _ := results[0].Resource["invited_at"].(string); !rfc3339.MatchString(s) {
		t.Fatalf("invited_at %v", results[0].Resource["invited_at"])
	}
}
