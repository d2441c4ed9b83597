package smartdocumentor_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
)

func TestAccWorkspacesDataSource(t *testing.T) {
	env := acctest.New(t)
	acctest.Test(t, resource.TestStep{
		Config: env.Config(`data "membership_smartdocumentor_workspaces" "all" {}`),
		ConfigStateChecks: []statecheck.StateCheck{
			attr("data.membership_smartdocumentor_workspaces.all", "workspaces", knownvalue.ListExact([]knownvalue.Check{
				knownvalue.ObjectExact(map[string]knownvalue.Check{
					"workspace_id": knownvalue.Int64Exact(1), "tenant_id": knownvalue.Int64Exact(1),
					"name": knownvalue.StringExact("Default"), "is_default": knownvalue.Bool(true),
				}),
				knownvalue.ObjectExact(map[string]knownvalue.Check{
					"workspace_id": knownvalue.Int64Exact(2), "tenant_id": knownvalue.Int64Exact(1),
					"name": knownvalue.StringExact("Engineering"), "is_default": knownvalue.Bool(false),
				}),
			})),
		},
	})
}
