package docspace_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/docspace"
)

// The default client-side limit keeps within the portal's published one
// (500 requests per 10 s from one address with one account): a token
// bucket sends at most burst + 10 s × rate in any 10 seconds.
func TestRateLimitDefaultWithinThePublishedLimit(t *testing.T) {
	l := docspace.Platform().RateLimit
	if l.RequestsPerSecond <= 0 || l.Burst < 1 {
		t.Fatalf("no default rate limit: %+v", l)
	}
	if most := float64(l.Burst) + 10*l.RequestsPerSecond; most > 500 {
		t.Fatalf("the default (%s) can send %.0f requests in 10 s, the portal allows 500", l.RateLimit, most)
	}
}

// rateLimitedRun applies, refreshes and destroys ten invitations against a
// portal that allows 4 requests a second (then 503 with Retry-After), with
// the given lines in the provider's docspace block, and returns how many
// requests the portal refused. Its destroy sends ten deletions at once
// (one per user, after one batched termination).
func rateLimitedRun(t *testing.T, docspaceLines ...string) int {
	const n = 10
	env := acctest.New(t)
	env.Sandbox.DocSpace.SetRateLimit(4, time.Second)
	var hcl strings.Builder
	for i := range n {
		fmt.Fprintf(&hcl, `
resource "membership_docspace_invitation" "m%d" {
  email = "paced%02d@example.com"
  type  = "User"
}
`, i, i)
	}
	acctest.Test(t, resource.TestStep{
		Config: acctest.InBlock(env.ProviderConfig(`  max_retries = 10`), "docspace", docspaceLines...) + hcl.String(),
		Check: func(*terraform.State) error {
			for i := range n {
				if _, ok := env.Sandbox.DocSpace.User(fmt.Sprintf("paced%02d@example.com", i)); !ok {
					return fmt.Errorf("paced%02d@example.com was not invited", i)
				}
			}
			return nil
		},
	})
	for _, u := range env.Sandbox.DocSpace.Users() {
		if strings.HasPrefix(u.Email, "paced") {
			t.Fatalf("%s is still on the portal after destroy", u.Email)
		}
	}
	refused := 0
	for _, r := range env.Sandbox.Requests("docspace") {
		if r.Status == 503 {
			refused++
		}
	}
	return refused
}

// requests_per_second and burst pace the requests below the portal's
// limit: ten invitations applied, refreshed and destroyed with the portal
// allowing 4 requests a second and the provider sending at most 1 + 1 in
// any second (3 where one terraform command ends and the next begins with
// a fresh bucket), and the portal never refused one. The same run without
// the client-side limit (TestAccDocSpace_withoutClientRateLimitThePortalRefuses)
// meets the 503s, so this one proves the setting is applied.
func TestAccDocSpace_clientRateLimitKeepsUnderThePortalLimit(t *testing.T) {
	if refused := rateLimitedRun(t, "requests_per_second = 1", "burst = 1"); refused != 0 {
		t.Fatalf("the portal refused %d requests (503): the client-side limit did not pace them", refused)
	}
}

// The control of the test above: with a limit far above the portal's, the
// same run meets the portal's 503s (the ten deletions at once, if nothing
// before them) and rides them out by Retry-After.
func TestAccDocSpace_withoutClientRateLimitThePortalRefuses(t *testing.T) {
	if refused := rateLimitedRun(t, "requests_per_second = 100000", "burst = 100000"); refused == 0 {
		t.Fatal("the portal never refused a request: the control proves nothing, so neither does the paced run")
	}
}
