package docspace_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/docspace"
	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// realClient is a DocSpace client of the real portal, for checks made
// outside Terraform (a new one each time: a client caches its listing).
func realClient(t *testing.T, tenant *acctest.RealTenant) *docspace.Client {
	t.Helper()
	opts := shared.DefaultOptions()
	opts.RateLimit = docspace.Platform().RateLimit.RateLimit
	c, err := docspace.NewClient(docspace.Config{Endpoint: tenant.Get("ENDPOINT", ""), Token: tenant.Get("TOKEN", "")}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestAccReal_invitation runs the invitation's life against a real portal
// (MEMBERSHIP_REAL_DOCSPACE_ENDPOINT and _TOKEN; skipped otherwise): invite
// a new address as User, import it, change its type in place
// (MEMBERSHIP_REAL_DOCSPACE_UPDATE_TYPE, RoomAdmin by default; a paid seat
// on some plans), destroy it (terminate, then delete), and check that the
// portal no longer has it. A failed run removes the address at the end.
func TestAccReal_invitation(t *testing.T) { realInvitation(t, acctest.Real(t, "docspace")) }

// TestAccReal_invitationOnSandbox runs the real-tenant test against the
// sandbox, so that it keeps working between runs against a real portal.
func TestAccReal_invitationOnSandbox(t *testing.T) {
	realInvitation(t, acctest.New(t).SandboxAsReal(t, "docspace", nil))
}

func realInvitation(t *testing.T, tenant *acctest.RealTenant) {
	email := acctest.UniqueEmail(t)
	updateType := tenant.Get("UPDATE_TYPE", "RoomAdmin")
	t.Cleanup(func() {
		ctx := context.Background()
		c := realClient(t, tenant)
		if u, err := c.GetUserByEmail(ctx, email); err == nil {
			if err := c.Remove(ctx, u); err != nil {
				t.Logf("clean-up: could not remove %s from the portal: %v", email, err)
			}
		}
	})
	const addr = "membership_docspace_invitation.real"
	hcl := func(typ string) string {
		return tenant.Config(fmt.Sprintf(`
resource "membership_docspace_invitation" "real" {
  email = %q
  type  = %q
}
`, email, typ))
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			_, err := realClient(t, tenant).GetUserByEmail(context.Background(), email)
			switch {
			case err == nil:
				return fmt.Errorf("%s is still on the portal after destroy", email)
			case !shared.IsNotFound(err):
				return fmt.Errorf("checking that %s is gone: %w", email, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: hcl("User"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("type"), knownvalue.StringExact("User")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("pending")),
				},
			},
			{ResourceName: addr, ImportState: true, ImportStateId: email, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"culture"}},
			{
				Config:           hcl(updateType),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("type"), knownvalue.StringExact(updateType)),
				},
			},
		},
	})
}
