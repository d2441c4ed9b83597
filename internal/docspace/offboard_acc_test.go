package docspace_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

// ownsData activates jane and gives her rooms and shared files, then
// clears the request log.
func ownsData(env *acctest.Env, email string) func() {
	return func() {
		env.Sandbox.DocSpace.Activate(email, "Jane", "Doe")
		env.Sandbox.DocSpace.GiveData(email, 2, 3)
		env.Sandbox.ClearLog()
	}
}

// checkNoLoss fails when DocSpace dropped anyone's data.
func checkNoLoss(env *acctest.Env) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if l := env.Sandbox.DocSpace.DataLosses(); len(l) != 0 {
			return fmt.Errorf("data lost: %+v", l)
		}
		return nil
	}
}

// checkOwns checks who owns how many rooms.
func checkOwns(env *acctest.Env, email string, rooms int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		u, ok := env.Sandbox.DocSpace.User(email)
		if !ok || u.Rooms != rooms {
			return fmt.Errorf("%s owns %d rooms (found %v), want %d", email, u.Rooms, ok, rooms)
		}
		return nil
	}
}

// Removing someone who owns data reassigns it to the resource's
// data_successor, follows the reassignment over several polls, and only
// then deletes the profile.
func TestAccDocSpaceInvitation_offboardReassignsData(t *testing.T) {
	env := acctest.New(t)
	env.Sandbox.DocSpace.SetReassignPolls(3)
	acctest.Test(t,
		resource.TestStep{
			Config: env.Config(invitationHCL("jane@example.com", "RoomAdmin", fmt.Sprintf("  data_successor = %q", sandbox.DocSpaceRoomAdminEmail))),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(addr, "data_successor", knownvalue.StringExact(sandbox.DocSpaceRoomAdminEmail)),
			},
		},
		resource.TestStep{
			PreConfig: ownsData(env, "jane@example.com"),
			Config:    env.Config(`# jane leaves`),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroy),
			}},
			Check: resource.ComposeAggregateTestCheckFunc(
				portalGone(env, "jane@example.com").Check,
				checkOwns(env, sandbox.DocSpaceRoomAdminEmail, 2),
				checkNoLoss(env),
				// the plan (applied as saved), the apply before changing
				// anything, and the check after the reassignment
				env.ExpectRequests("docspace", "GET /api/2.0/people/reassign/necessary", 3).Check,
				env.ExpectRequests("docspace", "GET /api/2.0/people/email", 1).Check, // the successor, afresh
				env.ExpectRequests("docspace", "PUT /api/2.0/people/status/{status}", 1).Check,
				env.ExpectRequests("docspace", "POST /api/2.0/people/reassign/start", 1).Check,
				env.ExpectRequests("docspace", "GET /api/2.0/people/reassign/progress/{userid}", 1+3).Check, // an earlier one?, then 3 polls
				env.ExpectRequests("docspace", "PUT /api/2.0/people/reassign/terminate", 0).Check,
				env.ExpectRequests("docspace", "DELETE /api/2.0/people/{id}", 1).Check,
			),
		},
	)
}

// Without a successor, removing someone who owns data is refused at plan
// time (destroy and replacement alike), with nothing sent but reads;
// naming a successor then lets it through, without loss.
func TestAccDocSpaceInvitation_offboardRefusedWithoutSuccessor(t *testing.T) {
	env := acctest.New(t)
	refusal := regexp.MustCompile(`(?s)Removing jane@example.com from ONLYOFFICE DocSpace would lose their data.*owns\s+rooms\s+or\s+shared\s+files.*data_successor`)
	acctest.Test(t,
		resource.TestStep{Config: env.Config(invitationHCL("jane@example.com", "User", ""))},
		resource.TestStep{
			PreConfig:   ownsData(env, "jane@example.com"),
			Config:      env.Config(`# jane leaves`),
			ExpectError: refusal,
		},
		// a new email replaces the resource: the old user would be removed
		resource.TestStep{
			PreConfig: func() {
				if w := writesOf(env); len(w) != 0 {
					t.Errorf("the refused removal sent %v", w)
				}
			},
			Config:      env.Config(invitationHCL("jane.doe@example.com", "User", "")),
			ExpectError: refusal,
		},
		// naming a successor is an update that sends nothing...
		resource.TestStep{
			PreConfig: func() {
				if w := writesOf(env); len(w) != 0 {
					t.Errorf("the refused replacement sent %v", w)
				}
				env.Sandbox.ClearLog()
			},
			Config: env.Config(invitationHCL("jane@example.com", "User", fmt.Sprintf("  data_successor = %q", sandbox.DocSpaceAdminEmail))),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
			}},
			Check: noWrites(env),
		},
		// ...and then the removal goes, the data moving to the successor
		resource.TestStep{
			Config: env.Config(`# jane leaves`),
			Check: resource.ComposeAggregateTestCheckFunc(
				portalGone(env, "jane@example.com").Check,
				checkOwns(env, sandbox.DocSpaceAdminEmail, 2),
				checkNoLoss(env),
			),
		},
	)
}

// The provider-level data_successor serves every resource that names
// none.
func TestAccDocSpaceInvitation_offboardProviderSuccessor(t *testing.T) {
	env := acctest.New(t)
	provider := strings.Replace(env.ProviderConfig(), "  docspace {\n", fmt.Sprintf("  docspace {\n    data_successor = %q\n", sandbox.DocSpaceRoomAdminEmail), 1)
	if provider == env.ProviderConfig() {
		t.Fatal("could not set data_successor in the provider's docspace block")
	}
	acctest.Test(t,
		resource.TestStep{Config: provider + invitationHCL("jane@example.com", "User", "")},
		resource.TestStep{
			PreConfig: ownsData(env, "jane@example.com"),
			Config:    provider,
			Check: resource.ComposeAggregateTestCheckFunc(
				portalGone(env, "jane@example.com").Check,
				checkOwns(env, sandbox.DocSpaceRoomAdminEmail, 2),
				checkNoLoss(env),
			),
		},
	)
}

// A data_successor who cannot receive data is refused at plan time, before
// anything is sent.
func TestAccDocSpaceInvitation_unfitSuccessorRefusedAtPlan(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t,
		resource.TestStep{
			PreConfig:   env.Sandbox.ClearLog,
			Config:      env.Config(invitationHCL("jane@example.com", "User", fmt.Sprintf("  data_successor = %q", sandbox.DocSpaceUserEmail))),
			ExpectError: regexp.MustCompile(`(?s)Unfit ONLYOFFICE DocSpace data successor.*user@docspace.example is a User`),
		},
		resource.TestStep{
			PreConfig: func() {
				if w := writesOf(env); len(w) != 0 {
					t.Errorf("the refused plan sent %v", w)
				}
			},
			Config:      env.Config(invitationHCL("jane@example.com", "User", `  data_successor = "nobody@example.com"`)),
			ExpectError: regexp.MustCompile(`(?s)Unfit ONLYOFFICE DocSpace data successor.*has no user nobody@example.com`),
		},
	)
}

// A reassignment that fails leaves the profile (terminated, with its
// data) and an error naming the person; fixed, the next apply resumes.
func TestAccDocSpaceInvitation_offboardFailureKeepsTheProfile(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t,
		resource.TestStep{Config: env.Config(invitationHCL("jane@example.com", "User", fmt.Sprintf("  data_successor = %q", sandbox.DocSpaceRoomAdminEmail)))},
		resource.TestStep{
			PreConfig: func() {
				ownsData(env, "jane@example.com")()
				env.Sandbox.DocSpace.FailReassign("jane@example.com", "storage quota exceeded")
			},
			Config:      env.Config(`# jane leaves`),
			ExpectError: regexp.MustCompile(`(?s)data\s+of\s+jane@example.com.*storage\s+quota\s+exceeded.*NOT\s+deleted`),
		},
		resource.TestStep{
			PreConfig: func() {
				u, ok := env.Sandbox.DocSpace.User("jane@example.com")
				if !ok || u.Rooms != 2 || u.Status != sandbox.DSStatusTerminated {
					t.Errorf("after the failed reassignment: %+v (found %v), want jane terminated with her 2 rooms", u, ok)
				}
				if n := env.Sandbox.Count("docspace", "DELETE /api/2.0/people/{id}"); n != 0 {
					t.Errorf("%d deletions after the failed reassignment", n)
				}
				env.Sandbox.DocSpace.FailReassign("jane@example.com", "")
			},
			Config: env.Config(`# jane leaves`),
			Check: resource.ComposeAggregateTestCheckFunc(
				portalGone(env, "jane@example.com").Check,
				checkOwns(env, sandbox.DocSpaceRoomAdminEmail, 2),
				checkNoLoss(env),
			),
		},
	)
}

// writesOf lists the DocSpace requests other than GET.
func writesOf(env *acctest.Env) []string {
	var out []string
	for _, r := range env.Sandbox.Requests("docspace") {
		if r.Method != "GET" {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	return out
}

// The destroy plan, at the protocol level: a warning naming whose data
// moves to whom when a successor is set, the refusal naming the person and
// what to set when none is, and only reads either way.
func TestOffboardDestroyPlan(t *testing.T) {
	env := acctest.New(t)
	srv := env.ProtocolServer(t, nil)
	ctx := context.Background()
	id := env.Sandbox.DocSpace.AddUser("jane@example.com", "User", sandbox.DSActivationActivated)
	env.Sandbox.DocSpace.GiveData("jane@example.com", 1, 0)
	state := func(successor any) map[string]any {
		return map[string]any{"id": id, "email": "jane@example.com", "type": "User", "display_name": "jane@example.com",
			"activation_status": "activated", "status": "active", "data_successor": successor}
	}
	env.Sandbox.ClearLog()
	resp := srv.PlanDestroy(ctx, invitationType, state(sandbox.DocSpaceRoomAdminEmail))
	text := acctest.DiagText(resp.Diagnostics)
	if acctest.HasError(resp.Diagnostics) || !strings.Contains(text, "[WARNING] The data of jane@example.com will be reassigned to "+sandbox.DocSpaceRoomAdminEmail) ||
		!strings.Contains(text, "RoomAdmin") {
		t.Fatalf("destroy plan with a successor: %s", text)
	}
	resp = srv.PlanDestroy(ctx, invitationType, state(nil))
	text = acctest.DiagText(resp.Diagnostics)
	if !acctest.HasError(resp.Diagnostics) || !strings.Contains(text, "jane@example.com") || !strings.Contains(text, "data_successor") {
		t.Fatalf("destroy plan without a successor: %s", text)
	}
	if w := writesOf(env); len(w) != 0 {
		t.Fatalf("plans sent %v", w)
	}
	if n := env.Sandbox.Count("docspace", "GET /api/2.0/people/reassign/necessary"); n != 2 {
		t.Fatalf("%d necessary checks for 2 plans", n)
	}
	// someone who owns nothing: no warning, no error
	env.Sandbox.DocSpace.GiveData("jane@example.com", 0, 0)
	if resp := srv.PlanDestroy(ctx, invitationType, state(nil)); len(resp.Diagnostics) != 0 {
		t.Fatalf("destroy plan of someone without data: %s", acctest.DiagText(resp.Diagnostics))
	}
}
