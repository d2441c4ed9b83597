package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

// protected_members protects people managed by per-member resources too:
// destroying their resource warns at plan time, naming them, and only
// forgets them; the others are removed as usual.
func TestAccProtectedMembers_perMemberResources(t *testing.T) {
	env := acctest.New(t)
	env.Sandbox.AttackForge.AddUser("boss", "boss@keep.example", "Bo", "Ss")
	rec := &acctest.PlanDiagnostics{}
	provider := env.ProviderConfig(`  protected_members = ["*@KEEP.example"]`)
	resources := fmt.Sprintf(`
resource "membership_royalti_workspace_invitation" "ceo" {
  email = "ceo@keep.example"
}
resource "membership_royalti_workspace_invitation" "temp" {
  email = "temp@example.com"
}
resource "membership_attackforge_project_team_member" "boss" {
  project_id = %q
  user       = "boss@keep.example"
}
`, sandbox.AFProjectRedTeam)
	rec.Test(t,
		resource.TestStep{Config: provider + resources},
		resource.TestStep{
			PreConfig: rec.Reset,
			Config:    provider + resources,
			Destroy:   true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				rec.ExpectDestroyWarnings("membership_royalti_workspace_invitation", "ceo@keep.example"),
				rec.ExpectDestroyWarnings("membership_attackforge_project_team_member", "boss@keep.example"),
			}},
			Check: func(*terraform.State) error {
				if _, ok := env.Sandbox.Royalti.User("ceo@keep.example"); !ok {
					return fmt.Errorf("the protected Royalti member was removed")
				}
				if _, ok := env.Sandbox.AttackForge.Member(sandbox.AFProjectRedTeam, "boss@keep.example"); !ok {
					return fmt.Errorf("the protected AttackForge member was removed")
				}
				if _, ok := env.Sandbox.Royalti.User("temp@example.com"); ok {
					return fmt.Errorf("the unprotected Royalti member was not removed")
				}
				return nil
			},
		},
	)
}
