package attackforge_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/attackforge"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// realClient is an AttackForge client of the real instance, for checks
// made outside Terraform (a new one each time: a client caches listings).
func realClient(t *testing.T, tenant *acctest.RealTenant) *attackforge.Client {
	t.Helper()
	opts := shared.DefaultOptions()
	opts.RateLimit = attackforge.Platform().RateLimit.RateLimit
	c, err := attackforge.NewClient(attackforge.Config{Endpoint: tenant.Get("ENDPOINT", ""), APIKey: tenant.Get("API_KEY", "")}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// realMember reports whether user is on the project's team, and its id.
func realMember(t *testing.T, tenant *acctest.RealTenant, project, user string) (string, bool, error) {
	ctx := context.Background()
	c := realClient(t, tenant)
	u, err := c.FindUser(ctx, user)
	if errors.Is(err, shared.ErrNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	_, err = c.FindMember(ctx, project, u.ID)
	if errors.Is(err, shared.ErrNotFound) {
		return u.ID, false, nil
	}
	return u.ID, err == nil, err
}

// TestAccReal_teamMember runs a team membership's life against a real
// AttackForge project (MEMBERSHIP_REAL_ATTACKFORGE_ENDPOINT, _API_KEY,
// _PROJECT_ID and _USER, an existing user who is not on the project's
// team: AttackForge adds existing users only; skipped otherwise): add the
// user with View, import, change to Upload in place, destroy, and check
// that the user is off the team. A failed run removes the user at the end.
func TestAccReal_teamMember(t *testing.T) { realTeamMember(t, acctest.Real(t, "attackforge")) }

// TestAccReal_teamMemberOnSandbox runs the real-tenant test against the
// sandbox (alice, not on the Internal Network project), so that it keeps
// working between runs against a real instance.
func TestAccReal_teamMemberOnSandbox(t *testing.T) {
	env := acctest.New(t)
	realTeamMember(t, env.SandboxAsReal(t, "attackforge", map[string]string{"PROJECT_ID": sandbox.AFProjectNetwork, "USER": "alice@example.com"}))
}

func realTeamMember(t *testing.T, tenant *acctest.RealTenant) {
	project, user := tenant.Get("PROJECT_ID", ""), tenant.Get("USER", "")
	id, on, err := realMember(t, tenant, project, user)
	switch {
	case err != nil:
		t.Fatalf("looking up %s on project %s: %v", user, project, err)
	case id == "":
		t.Fatalf("MEMBERSHIP_REAL_ATTACKFORGE_USER: AttackForge has no user %q; name an existing user", user)
	case on:
		t.Fatalf("MEMBERSHIP_REAL_ATTACKFORGE_USER: %s is already on project %s; name a user who is not (the test removes the user at the end)", user, project)
	}
	t.Cleanup(func() {
		if _, on, err := realMember(t, tenant, project, user); err == nil && on {
			if err := realClient(t, tenant).RemoveOne(context.Background(), project, id); err != nil {
				t.Logf("clean-up: could not remove %s from project %s: %v", user, project, err)
			}
		}
	})
	const addr = "membership_attackforge_project_team_member.real"
	hcl := func(level string) string {
		return tenant.Config(fmt.Sprintf(`
resource "membership_attackforge_project_team_member" "real" {
  project_id   = %q
  user         = %q
  access_level = %q
}
`, project, user, level))
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			_, on, err := realMember(t, tenant, project, user)
			switch {
			case err != nil:
				return fmt.Errorf("checking that %s is off project %s: %w", user, project, err)
			case on:
				return fmt.Errorf("%s is still on project %s after destroy", user, project)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: hcl("View"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("user_id"), knownvalue.StringExact(id)),
				},
			},
			// The API cannot read access level or role: an import has neither.
			{ResourceName: addr, ImportState: true, ImportStateId: project + "/" + user, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"access_level", "project_role"}},
			{
				Config:           hcl("Upload"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("access_level"), knownvalue.StringExact("Upload")),
				},
			},
		},
	})
}
