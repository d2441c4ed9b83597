package smartdocumentor_test

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
	"github.com/workspace-membership/terraform-provider-membership/internal/smartdocumentor"
)

// TestAccReal_workspaceInvitation runs the invitation's life against a real
// SmartDocumentor workspace (MEMBERSHIP_REAL_SMARTDOCUMENTOR_CLIENT_ID,
// _CLIENT_SECRET, _WORKSPACE_ID and _EMAIL, plus _ENDPOINT when not the
// default and _ROLE, Viewer by default; skipped otherwise): invite EMAIL
// with ROLE, import it, see a role change refused at plan, destroy. The API
// has no removal, so EMAIL stays in the workspace (a later run adopts it):
// use an address you own, and the same one each time. The destroy only
// forgets it, which the check confirms.
func TestAccReal_workspaceInvitation(t *testing.T) {
	realWorkspaceInvitation(t, acctest.Real(t, "smartdocumentor"))
}

// TestAccReal_workspaceInvitationOnSandbox runs the real-tenant test
// against the sandbox, so that it keeps working between runs against a
// real workspace.
func TestAccReal_workspaceInvitationOnSandbox(t *testing.T) {
	env := acctest.New(t)
	realWorkspaceInvitation(t, env.SandboxAsReal(t, "smartdocumentor", map[string]string{"WORKSPACE_ID": "1", "EMAIL": "Real.Test@Example.com"}))
}

func realWorkspaceInvitation(t *testing.T, tenant *acctest.RealTenant) {
	ws, err := strconv.ParseInt(tenant.Get("WORKSPACE_ID", ""), 10, 64)
	if err != nil || ws <= 0 {
		t.Fatalf("MEMBERSHIP_REAL_SMARTDOCUMENTOR_WORKSPACE_ID must be a workspace number, got %q", tenant.Get("WORKSPACE_ID", ""))
	}
	email, role := tenant.Get("EMAIL", ""), tenant.Get("ROLE", "Viewer")
	other := "Viewer"
	if role == other {
		other = "Reviewer"
	}
	const addr = "membership_smartdocumentor_workspace_invitation.real"
	hcl := func(role string) string {
		return tenant.Config(fmt.Sprintf(`
resource "membership_smartdocumentor_workspace_invitation" "real" {
  workspace_id = %d
  email        = %q
  role         = %q
}
`, ws, email, role))
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		// SmartDocumentor cannot remove a member: the destroy forgets it
		// (with a warning), and the workspace still lists it.
		CheckDestroy: func(*terraform.State) error {
			opts := shared.DefaultOptions()
			opts.RateLimit = smartdocumentor.Platform().RateLimit.RateLimit
			c, err := smartdocumentor.NewClient(smartdocumentor.Config{
				Endpoint: tenant.Get("ENDPOINT", smartdocumentor.DefaultEndpoint),
				ClientID: tenant.Get("CLIENT_ID", ""), ClientSecret: tenant.Get("CLIENT_SECRET", ""),
			}, opts)
			if err != nil {
				return err
			}
			if _, err := c.FindMember(context.Background(), ws, email); err != nil {
				return fmt.Errorf("%s is not listed in workspace %d after destroy (%v): the API has no removal, so something else removed it", email, ws, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: hcl(role),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("role"), knownvalue.StringExact(role)),
				},
			},
			{ResourceName: addr, ImportState: true, ImportStateId: fmt.Sprintf("%d/%s", ws, strings.ToLower(email)), ImportStateVerify: true,
				ImportStateVerifyIdentifierAttribute: "workspace_id", ImportStateVerifyIgnore: []string{"id", "email"}},
			{
				Config:      hcl(other),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`SmartDocumentor cannot change a member's role`),
			},
		},
	})
}
