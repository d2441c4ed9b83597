package docspace_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

// The authoritative resource offboards through the same path as the
// per-member one: a removal of someone who owns data is refused at plan
// time without a successor (a listed member dropped, and someone found
// unlisted alike); with one, the data moves before the profile is deleted;
// a reassignment that fails in the middle keeps that profile (terminated,
// with its data, still in state) while the others are removed, and the
// next apply finishes it. No data is ever lost.
func TestAccDocSpaceInvitations_offboardingKeepsData(t *testing.T) {
	env := acctest.New(t)
	base := map[string]string{sandbox.DocSpaceAdminEmail: "DocSpaceAdmin", sandbox.DocSpaceRoomAdminEmail: "RoomAdmin",
		sandbox.DocSpaceUserEmail: "User", sandbox.DocSpaceGuestEmail: "Guest"}
	with := func(extra ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for _, e := range extra {
			m[e] = "User"
		}
		return m
	}
	successor := fmt.Sprintf("  data_successor = %q", sandbox.DocSpaceRoomAdminEmail)
	refused := func(who string) *regexp.Regexp {
		return regexp.MustCompile(`(?s)Removing ` + regexp.QuoteMeta(who) + ` from ONLYOFFICE DocSpace would lose their data.*data_successor`)
	}
	acctest.Test(t,
		resource.TestStep{Config: env.Config(teamHCL(with("a@example.com", "b@example.com", "c@example.com"), ""))},
		// a listed member who owns data, dropped without a successor: refused at plan, nothing written
		resource.TestStep{
			PreConfig:   ownsData(env, "a@example.com"),
			Config:      env.Config(teamHCL(with("b@example.com", "c@example.com"), "")),
			ExpectError: refused("a@example.com"),
			Check:       noWrites(env),
		},
		// with a successor: the data moves, then the profile goes
		resource.TestStep{
			Config: env.Config(teamHCL(with("b@example.com", "c@example.com"), successor)),
			Check:  resource.ComposeAggregateTestCheckFunc(portalGone(env, "a@example.com").Check, checkOwns(env, sandbox.DocSpaceRoomAdminEmail, 2), checkNoLoss(env)),
		},
		// someone found unlisted who owns data: refused at plan without a successor too
		resource.TestStep{
			PreConfig: func() {
				env.Sandbox.DocSpace.AddUser("u@example.com", "User", sandbox.DSActivationActivated)
				env.Sandbox.DocSpace.GiveData("u@example.com", 1, 0)
			},
			Config:             env.Config(teamHCL(with("b@example.com", "c@example.com"), "")),
			ExpectError:        refused("u@example.com"),
			ExpectNonEmptyPlan: true,
		},
		resource.TestStep{
			Config: env.Config(teamHCL(with("b@example.com", "c@example.com"), successor)),
			Check:  resource.ComposeAggregateTestCheckFunc(portalGone(env, "u@example.com").Check, checkOwns(env, sandbox.DocSpaceRoomAdminEmail, 3), checkNoLoss(env)),
		},
		// a reassignment failing in the middle of an apply: b@ keeps their profile and data, c@ is removed
		resource.TestStep{
			PreConfig: func() {
				ownsData(env, "b@example.com")()
				env.Sandbox.DocSpace.FailReassign("b@example.com", "storage quota exceeded")
			},
			Config:      env.Config(teamHCL(with(), successor)),
			ExpectError: regexp.MustCompile(`(?s)Could not remove b@example.com.*storage\s+quota\s+exceeded`),
			Check:       resource.ComposeAggregateTestCheckFunc(portalGone(env, "c@example.com").Check, checkNoLoss(env)),
		},
		resource.TestStep{
			PreConfig: func() {
				if u, ok := env.Sandbox.DocSpace.User("b@example.com"); !ok || u.Rooms != 2 || u.Status != sandbox.DSStatusTerminated {
					t.Errorf("after the failed reassignment: %+v (found %v), want b@ terminated with their 2 rooms", u, ok)
				}
				env.Sandbox.DocSpace.FailReassign("b@example.com", "")
			},
			Config: env.Config(teamHCL(with(), successor)),
			Check:  resource.ComposeAggregateTestCheckFunc(portalGone(env, "b@example.com").Check, checkOwns(env, sandbox.DocSpaceRoomAdminEmail, 5), checkNoLoss(env)),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(teamAddr, "members", membersExact(base)),
				expect(teamAddr, "unlisted_members", knownvalue.MapExact(map[string]knownvalue.Check{})),
			},
		},
		// the successor is listed too: destroying the resource hands their data to the owner
		resource.TestStep{Config: env.Config(teamHCL(with(), fmt.Sprintf("  data_successor = %q", sandbox.DocSpaceOwnerEmail)))},
	)
	if err := checkNoLoss(env)(nil); err != nil {
		t.Fatal(err)
	}
	if err := checkOwns(env, sandbox.DocSpaceOwnerEmail, 5)(nil); err != nil {
		t.Fatal(err)
	}
}
