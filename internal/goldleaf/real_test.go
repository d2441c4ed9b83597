package goldleaf_test

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
)

// TestAccReal_invitation invites an address into a real GoldLeaf
// organization (MEMBERSHIP_REAL_GOLDLEAF_API_KEY, _NAME and _EMAIL, plus
// _ENDPOINT when not the default; skipped otherwise), imports it and
// destroys it. GoldLeaf has no API to read or remove users: EMAIL stays
// invited after the test, so use an address you own; whether GoldLeaf
// accepts inviting it again on a later run is not documented.
func TestAccReal_invitation(t *testing.T) { realInvitation(t, acctest.Real(t, "goldleaf")) }

// TestAccReal_invitationOnSandbox runs the real-tenant test against the
// sandbox, so that it keeps working between runs against a real
// organization.
func TestAccReal_invitationOnSandbox(t *testing.T) {
	env := acctest.New(t)
	realInvitation(t, env.SandboxAsReal(t, "goldleaf", map[string]string{"EMAIL": "real.test@example.com"}))
}

func realInvitation(t *testing.T, tenant *acctest.RealTenant) {
	email := tenant.Get("EMAIL", "")
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	password := "Tf-" + hex.EncodeToString(b) + "-Acc9!" // upper, lower, digit, special
	const addr = "membership_goldleaf_organization_invitation.real"
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		// No CheckDestroy: GoldLeaf has no API to read users, and the
		// destroy only forgets the invitation (with a warning saying so).
		Steps: []resource.TestStep{
			{
				Config: tenant.Config(fmt.Sprintf(`
resource "membership_goldleaf_organization_invitation" "real" {
  email               = %q
  password_wo         = %q
  password_wo_version = 1
}
`, email, password)),
			},
			{ResourceName: addr, ImportState: true, ImportStateId: email, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"password_wo_version"}},
		},
	})
}
