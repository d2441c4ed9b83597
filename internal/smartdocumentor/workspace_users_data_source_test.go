package smartdocumentor_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
)

func TestAccWorkspaceUsersDataSource(t *testing.T) {
	env := acctest.New(t)
	env.Sandbox.SmartDocumentor.AddMember(2, "pending@example.com", "Viewer")
	acctest.Test(t, resource.TestStep{
		Config: env.Config(`
data "membership_smartdocumentor_workspace_users" "engineering" {
  workspace_id = 2
}
`),
		ConfigStateChecks: []statecheck.StateCheck{
			attr("data.membership_smartdocumentor_workspace_users.engineering", "users", knownvalue.ListExact([]knownvalue.Check{
				knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"email": knownvalue.StringExact("martin.manager@example.com"), "role": knownvalue.StringExact("Creator"),
					"status": knownvalue.StringExact("Active"), "email_confirmed": knownvalue.Bool(true),
					"user_id": knownvalue.Int64Exact(2), "created_at": knownvalue.StringRegexp(regexp.MustCompile(`^2025-01-16T`)),
				}),
				knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"email": knownvalue.StringExact("pending@example.com"), "role": knownvalue.StringExact("Viewer"),
				}),
			})),
		},
	})
}

func TestAccWorkspaceUsersDataSource_errors(t *testing.T) {
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
