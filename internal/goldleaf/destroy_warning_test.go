package goldleaf_test

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

// users is one invitation per email (for_each), plus "solo" inviting
// solo with a password of version.
func users(solo string, version int, emails ...string) string {
	quoted := make([]string, len(emails))
	for i, e := range emails {
		quoted[i] = fmt.Sprintf("%q", e)
	}
	return fmt.Sprintf(`
resource %[1]q "m" {
  for_each = toset([%[2]s])
  email    = each.value
}
`, resType, strings.Join(quoted, ", ")) + invitationHCL("solo", solo, password1, version)
}

// checkUsers asserts that the sandbox still has every email.
func checkUsers(env *acctest.Env, emails ...string) statecheck.StateCheck {
	return acctest.StateCheck(func(*tfjson.State) error {
		for _, e := range emails {
			if _, ok := env.Sandbox.GoldLeaf.User(e); !ok {
				return fmt.Errorf("%s is no longer a GoldLeaf user", e)
			}
		}
		return nil
	})
}

// noWarnings is a plan check that the plan warned of nothing.
func noWarnings(rec *acctest.PlanDiagnostics) plancheck.PlanCheck {
	return rec.CheckWarnings(func(ws []acctest.PlanDiagnostic) error {
		if len(ws) != 0 {
			return fmt.Errorf("the plan warned: %v", ws)
		}
		return nil
	})
}

// The plan of a destroy says, before anything is applied, that the users
// stay in the GoldLeaf organization: one warning per user, naming them. A
// user dropped from the configuration warns alone; a replacement by
// another email warns that the old user stays; a replacement that
// re-invites the same email (a new password) warns of nothing, since the
// same person is meant to keep access. Without ModifyPlan the plan had no
// warning (only the apply did).
func TestAccGoldLeafInvitation_destroyWarnsAtPlan(t *testing.T) {
	env := acctest.New(t)
	rec := &acctest.PlanDiagnostics{}
	all := []string{"ann@example.com", "bob@example.com", "cy@example.com"}
	addrOf := func(email string) string { return fmt.Sprintf("%s.m[%q]", resType, email) }
	solo := resType + ".solo"
	rec.Test(t,
		resource.TestStep{
			PreConfig:        rec.Reset,
			Config:           env.Config(users("solo@example.com", 1, all...)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{noWarnings(rec)}},
		},
		// One user leaves the configuration: only they are named.
		resource.TestStep{
			PreConfig: rec.Reset,
			Config:    env.Config(users("solo@example.com", 1, all[1:]...)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addrOf(all[0]), plancheck.ResourceActionDestroy),
				rec.ExpectDestroyWarnings(resType, "ann@example.com"),
				rec.CheckWarnings(func(ws []acctest.PlanDiagnostic) error {
					text := ws[0].Summary + " " + ws[0].Detail
					for _, want := range []string{"GoldLeaf organization", "GoldLeaf itself", "lifecycle { destroy = false }"} {
						if !strings.Contains(text, want) {
							return fmt.Errorf("the warning does not say %q: %s", want, text)
						}
					}
					return nil
				}),
			}},
			ConfigStateChecks: []statecheck.StateCheck{checkUsers(env, all...)},
		},
		// A new password re-invites the same email: no warning.
		resource.TestStep{
			PreConfig: rec.Reset,
			Config:    env.Config(users("solo@example.com", 2, all[1:]...)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(solo, plancheck.ResourceActionReplace),
				noWarnings(rec),
			}},
		},
		// Another email replaces the invitation: the old user stays.
		resource.TestStep{
			PreConfig: rec.Reset,
			Config:    env.Config(users("other@example.com", 2, all[1:]...)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(solo, plancheck.ResourceActionReplace),
				rec.CheckWarnings(func(ws []acctest.PlanDiagnostic) error {
					if len(ws) != 1 {
						return fmt.Errorf("%d warnings, want 1: %v", len(ws), ws)
					}
					text := ws[0].Summary + " " + ws[0].Detail
					for _, want := range []string{"Replacement does not revoke", "solo@example.com", "GoldLeaf organization", "other@example.com"} {
						if !strings.Contains(text, want) {
							return fmt.Errorf("the warning does not say %q: %s", want, text)
						}
					}
					return nil
				}),
			}},
			ConfigStateChecks: []statecheck.StateCheck{checkUsers(env, "solo@example.com", "other@example.com")},
		},
		// terraform plan -destroy: each of the three warns, by name.
		resource.TestStep{
			PreConfig: rec.Reset,
			Config:    env.Config(users("other@example.com", 2, all[1:]...)),
			Destroy:   true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addrOf(all[1]), plancheck.ResourceActionDestroy),
				plancheck.ExpectResourceAction(addrOf(all[2]), plancheck.ResourceActionDestroy),
				plancheck.ExpectResourceAction(solo, plancheck.ResourceActionDestroy),
				rec.ExpectDestroyWarnings(resType, "bob@example.com", "cy@example.com", "other@example.com"),
			}},
		},
	)
	for _, e := range append(all, "solo@example.com", "other@example.com") {
		if _, ok := env.Sandbox.GoldLeaf.User(e); !ok {
			t.Errorf("%s is no longer a GoldLeaf user", e)
		}
	}
}
