package royalti_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/royalti"
	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// realAPI is a plain client of the real Royalti API, for checks made
// outside Terraform: GET and DELETE /user/{id}.
func realAPI(t *testing.T, tenant *acctest.RealTenant) *shared.Client {
	t.Helper()
	token := tenant.Get("TOKEN", "")
	opts := shared.DefaultOptions()
	opts.RateLimit = royalti.Platform().RateLimit.RateLimit
	c, err := shared.NewClient(shared.ClientConfig{
		Platform: royalti.Title, BaseURL: tenant.Get("ENDPOINT", royalti.DefaultEndpoint), Options: opts,
		Authorize: func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+token)
			return nil
		},
		Secrets: []string{token},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// realUserExists reports whether the workspace still has the tenant user id.
func realUserExists(ctx context.Context, c *shared.Client, id string) (bool, error) {
	var u royalti.User
	_, err := c.Do(ctx, shared.Request{Op: "read tenant user " + id, Method: http.MethodGet, Path: "/user/" + url.PathEscape(id)}, &u)
	switch {
	case shared.IsNotFound(err):
		return false, nil
	case err != nil:
		return false, err
	}
	return u.ID == id, nil
}

// TestAccReal_invitation runs the invitation's life against a real
// workspace (MEMBERSHIP_REAL_ROYALTI_TOKEN, and _ENDPOINT when not
// https://api.royalti.io; skipped otherwise): invite a new address as a
// user without sending the email, import it, set its names in place,
// destroy it, and check that the workspace no longer has it. A failed run
// deletes the user at the end.
func TestAccReal_invitation(t *testing.T) { realInvitation(t, acctest.Real(t, "royalti")) }

// TestAccReal_invitationOnSandbox runs the real-tenant test against the
// sandbox, so that it keeps working between runs against a real workspace.
func TestAccReal_invitationOnSandbox(t *testing.T) {
	realInvitation(t, acctest.New(t).SandboxAsReal(t, "royalti", nil))
}

func realInvitation(t *testing.T, tenant *acctest.RealTenant) {
	email := acctest.UniqueEmail(t)
	var id string // the tenant user, once created
	t.Cleanup(func() {
		if id == "" {
			return
		}
		ctx := context.Background()
		c := realAPI(t, tenant)
		if ok, err := realUserExists(ctx, c, id); err == nil && ok {
			if _, err := c.Do(ctx, shared.Request{Op: "remove tenant user " + id, Method: http.MethodDelete, Path: "/user/" + url.PathEscape(id)}, nil); err != nil {
				t.Logf("clean-up: could not remove %s (%s): %v", email, id, err)
			}
		}
	})
	const addr = "membership_royalti_workspace_invitation.real"
	hcl := func(names string) string {
		return tenant.Config(fmt.Sprintf(`
resource "membership_royalti_workspace_invitation" "real" {
  email      = %q
  role       = "user"
  send_email = false
%s
}
`, email, names))
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if id == "" {
				return fmt.Errorf("no tenant user id was recorded for %s", email)
			}
			ok, err := realUserExists(context.Background(), realAPI(t, tenant), id)
			switch {
			case err != nil:
				return fmt.Errorf("checking that %s is gone: %w", email, err)
			case ok:
				return fmt.Errorf("%s (%s) is still in the workspace after destroy", email, id)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: hcl(""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("role"), knownvalue.StringExact("user")),
				},
				Check: func(s *terraform.State) error {
					id = s.RootModule().Resources[addr].Primary.Attributes["id"]
					if id == "" || strings.Contains(id, "@") {
						return fmt.Errorf("id %q is not a tenant user id", id)
					}
					return nil
				},
			},
			{ResourceName: addr, ImportState: true, ImportStateId: email, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"message", "redirect_url", "send_email"}},
			{
				Config:           hcl(`  first_name = "Acceptance"` + "\n" + `  last_name  = "Test"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("first_name"), knownvalue.StringExact("Acceptance")),
				},
			},
		},
	})
}
