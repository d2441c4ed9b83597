package smartdocumentor_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
)

func TestAccDataSources(t *testing.T) {
	env := acctest.New(t)
	env.Sandbox.SmartDocumentor.AddMember(2, "pending@example.com", "Viewer")
	acctest.Test(t, resource.TestStep{
		Config: env.Config(`
data "membership_smartdocumentor_roles" "all" {}

data "membership_smartdocumentor_workspaces" "all" {}

data "membership_smartdocumentor_workspace_users" "engineering" {
  workspace_id = 2
}

resource "membership_smartdocumentor_workspace_invitation" "new" {
  workspace_id = data.membership_smartdocumentor_workspaces.all.workspaces[1].workspace_id
  email        = "new@example.com"
  role         = data.membership_smartdocumentor_roles.all.names[4]
}
`),
		Check: resource.ComposeAggregateTestCheckFunc(
			resource.TestCheckResourceAttr("data.membership_smartdocumentor_roles.all", "names.#", "5"),
			resource.TestCheckResourceAttr("data.membership_smartdocumentor_roles.all", "names.0", "Administrator"),
			resource.TestCheckResourceAttr("data.membership_smartdocumentor_roles.all", "names.4", "Viewer"),
			resource.TestCheckResourceAttr("data.membership_smartdocumentor_workspaces.all", "workspaces.#", "2"),
			resource.TestCheckResourceAttr("data.membership_smartdocumentor_workspaces.all", "workspaces.0.workspace_id", "1"),
			resource.TestCheckResourceAttr("data.membership_smartdocumentor_workspaces.all", "workspaces.0.name", "Default"),
			resource.TestCheckResourceAttr("data.membership_smartdocumentor_workspaces.all", "workspaces.0.is_default", "true"),
			resource.TestCheckResourceAttr("data.membership_smartdocumentor_workspaces.all", "workspaces.0.tenant_id", "1"),
			resource.TestCheckResourceAttr("data.membership_smartdocumentor_workspaces.all", "workspaces.1.name", "Engineering"),
			resource.TestCheckResourceAttr("data.membership_smartdocumentor_workspaces.all", "workspaces.1.is_default", "false"),
			resource.TestCheckResourceAttr("data.membership_smartdocumentor_workspace_users.engineering", "users.#", "2"),
			resource.TestCheckResourceAttr("data.membership_smartdocumentor_workspace_users.engineering", "users.0.email", "martin.manager@example.com"),
			resource.TestCheckResourceAttr("data.membership_smartdocumentor_workspace_users.engineering", "users.0.role", "Creator"),
			resource.TestCheckResourceAttr("data.membership_smartdocumentor_workspace_users.engineering", "users.0.status", "Active"),
			resource.TestCheckResourceAttr("data.membership_smartdocumentor_workspace_users.engineering", "users.0.email_confirmed", "true"),
			resource.TestCheckResourceAttr("data.membership_smartdocumentor_workspace_users.engineering", "users.0.user_id", "2"),
			resource.TestCheckResourceAttrSet("data.membership_smartdocumentor_workspace_users.engineering", "users.0.created_at"),
			resource.TestCheckResourceAttr("data.membership_smartdocumentor_workspace_users.engineering", "users.1.email", "pending@example.com"),
			resource.TestCheckResourceAttr("membership_smartdocumentor_workspace_invitation.new", "workspace_id", "2"),
			resource.TestCheckResourceAttr("membership_smartdocumentor_workspace_invitation.new", "role", "Viewer"),
			func(*terraform.State) error {
				if _, ok := env.Sandbox.SmartDocumentor.Member(2, "new@example.com"); !ok {
					return fmt.Errorf("new@example.com was not invited to workspace 2")
				}
				return nil
			},
		),
	})
}

func TestAccDataSourceWorkspaceUsers_errors(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t,
		resource.TestStep{
			Config: env.Config(`
data "membership_smartdocumentor_workspace_users" "x" {
  workspace_id = 0
}
`),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`Attribute workspace_id value must be at least 1`),
		},
		resource.TestStep{
			Config: env.Config(`
data "membership_smartdocumentor_workspace_users" "x" {
  workspace_id = 7
}
`),
			ExpectError: wrapped(`(?s)Could not list the users of SmartDocumentor workspace 7.*HTTP 404 Not Found: Not Found: Workspace 7 was not found`),
		},
	)
}
