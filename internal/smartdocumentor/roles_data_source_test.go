package smartdocumentor_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
)

// The roles are tenant data: the data source lists what the tenant has,
// and feeds an invitation.
func TestAccRolesDataSource(t *testing.T) {
	env := acctest.New(t)
	const roles = "data.membership_smartdocumentor_roles.all"
	acctest.Test(t,
		resource.TestStep{
			Config: env.Config(`
data "membership_smartdocumentor_roles" "all" {}

data "membership_smartdocumentor_workspaces" "all" {}

resource "membership_smartdocumentor_workspace_invitation" "new" {
  workspace_id = data.membership_smartdocumentor_workspaces.all.workspaces[1].workspace_id
  email        = "new@example.com"
  role         = data.membership_smartdocumentor_roles.all.names[4]
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				attr(roles, "names", knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact("Administrator"), knownvalue.StringExact("Manager"), knownvalue.StringExact("Creator"),
					knownvalue.StringExact("Reviewer"), knownvalue.StringExact("Viewer"),
				})),
				attr("membership_smartdocumentor_workspace_invitation.new", "workspace_id", knownvalue.Int64Exact(2)),
				attr("membership_smartdocumentor_workspace_invitation.new", "role", knownvalue.StringExact("Viewer")),
			},
			Check: func(*terraform.State) error {
				if _, ok := env.Sandbox.SmartDocumentor.Member(2, "new@example.com"); !ok {
					return fmt.Errorf("new@example.com was not invited to workspace 2")
				}
				return nil
			},
		},
		resource.TestStep{
			PreConfig: func() { env.Sandbox.SmartDocumentor.SetRoles("Owner", "Guest") },
			Config:    env.Config(`data "membership_smartdocumentor_roles" "all" {}`),
			ConfigStateChecks: []statecheck.StateCheck{
				attr(roles, "names", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("Owner"), knownvalue.StringExact("Guest")})),
			},
		},
	)
}
