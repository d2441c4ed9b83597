package smartdocumentor_test

import (
	"fmt"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
)

const typeName = "membership_smartdocumentor_workspace_invitation"

// members is one resource per email, all in workspace ws.
func members(ws int, emails ...string) string {
	quoted := make([]string, len(emails))
	for i, e := range emails {
		quoted[i] = fmt.Sprintf("%q", e)
	}
	return fmt.Sprintf(`
resource "membership_smartdocumentor_workspace_invitation" "m" {
  for_each     = toset([%s])
  workspace_id = %d
  email        = each.value
  role         = "Reviewer"
}
`, strings.Join(quoted, ", "), ws)
}

// checkMembers asserts that the sandbox's workspace still has emails.
func checkMembers(env *acctest.Env, ws int, emails ...string) func() error {
	return func() error {
		for _, e := range emails {
			if _, ok := env.Sandbox.SmartDocumentor.Member(ws, e); !ok {
				return fmt.Errorf("%s is no longer a member of workspace %d", e, ws)
			}
		}
		return nil
	}
}

// The plan of a destroy says, before anything is applied, that it revokes
// nobody's access: one warning per member, naming them and the workspace,
// so that Terraform's CLI (which folds warnings with the same summary)
// shows every name. A member dropped from the configuration warns alone,
// and a replacement (another workspace) warns that the old membership
// stays. Without ModifyPlan's destroy branch the plan had no warning.
func TestAccWorkspaceInvitation_destroyWarnsAtPlan(t *testing.T) {
	env := acctest.New(t)
	rec := &acctest.PlanDiagnostics{}
	all := []string{"ann@example.com", "bob@example.com", "cy@example.com"}
	addrOf := func(email string) string { return fmt.Sprintf("%s.m[%q]", typeName, email) }
	destroyOf := func(emails ...string) []plancheck.PlanCheck {
		var checks []plancheck.PlanCheck
		for _, e := range emails {
			checks = append(checks, plancheck.ExpectResourceAction(addrOf(e), plancheck.ResourceActionDestroy))
		}
		return checks
	}
	rec.Test(t,
		resource.TestStep{
			PreConfig: rec.Reset,
			Config:    env.Config(members(1, all...)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				rec.ExpectDestroyWarnings(typeName), // a create warns of nothing
				rec.CheckWarnings(func(ws []acctest.PlanDiagnostic) error {
					if len(ws) != 0 {
						return fmt.Errorf("a create plan warned: %v", ws)
					}
					return nil
				}),
			}},
		},
		// One member leaves the configuration: only they are named.
		resource.TestStep{
			PreConfig: rec.Reset,
			Config:    env.Config(members(1, all[1:]...)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: append(destroyOf(all[0]),
				rec.ExpectDestroyWarnings(typeName, "ann@example.com"),
				rec.CheckWarnings(func(ws []acctest.PlanDiagnostic) error {
					w := ws[0]
					for _, want := range []string{"SmartDocumentor workspace 1", `role "Reviewer"`, "SmartDocumentor web app", "lifecycle { destroy = false }", "removed block"} {
						if !strings.Contains(w.Summary+" "+w.Detail, want) {
							return fmt.Errorf("the warning does not say %q: %s: %s", want, w.Summary, w.Detail)
						}
					}
					return nil
				}),
			)},
			ConfigStateChecks: []statecheck.StateCheck{acctest.StateCheck(func(*tfjson.State) error { return checkMembers(env, 1, all...)() })},
		},
		// terraform plan -destroy: each of the two warns, by name.
		resource.TestStep{
			PreConfig: rec.Reset,
			Config:    env.Config(members(1, all[1:]...)),
			Destroy:   true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: append(destroyOf(all[1:]...),
				rec.ExpectDestroyWarnings(typeName, "bob@example.com", "cy@example.com"))},
		},
	)
	if err := checkMembers(env, 1, all...)(); err != nil {
		t.Fatal(err)
	}
}

// A replacement (another workspace) plans a destroy of the old membership
// that revokes nothing: the plan warns, naming the member, the workspace
// they stay in, and what replaces it.
func TestAccWorkspaceInvitation_replacementWarnsAtPlan(t *testing.T) {
	env := acctest.New(t)
	rec := &acctest.PlanDiagnostics{}
	rec.Test(t,
		resource.TestStep{Config: env.Config(invitation(1, "jane@example.com", "Reviewer"))},
		resource.TestStep{
			PreConfig: rec.Reset,
			Config:    env.Config(invitation(2, "jane@example.com", "Reviewer")),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
				rec.CheckWarnings(func(ws []acctest.PlanDiagnostic) error {
					if len(ws) != 1 {
						return fmt.Errorf("%d warnings, want 1: %v", len(ws), ws)
					}
					text := ws[0].Summary + " " + ws[0].Detail
					for _, want := range []string{"Replacement does not revoke", "jane@example.com", "SmartDocumentor workspace 1", "workspace 2", "SmartDocumentor web app"} {
						if !strings.Contains(text, want) {
							return fmt.Errorf("the warning does not say %q: %s", want, text)
						}
					}
					return nil
				}),
			}},
			Check: resource.ComposeTestCheckFunc(
				checkMember(env, 1, "jane@example.com", "Reviewer", "Invited"),
				checkMember(env, 2, "jane@example.com", "Reviewer", "Invited"),
			),
		},
	)
}
