package provider_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
)

const rateLimitedMember = `
resource "membership_docspace_invitation" "m" {
  email = "paced@example.com"
  type  = "User"
}
`

// requests_per_second and burst are accepted in every platform block
// (fractions of a request per second included), and refused at plan time
// when they are not positive, before any request is sent.
func TestAccProvider_rateLimitSettings(t *testing.T) {
	env := acctest.New(t)
	cfg := env.ProviderConfig()
	for _, p := range []string{"smartdocumentor", "docspace", "attackforge", "goldleaf", "royalti"} {
		cfg = acctest.InBlock(cfg, p, "requests_per_second = 2.5", "burst = 20")
	}
	bad := func(line, want string) resource.TestStep {
		return resource.TestStep{
			Config:      acctest.InBlock(env.ProviderConfig(), "royalti", line) + rateLimitedMember,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(want),
		}
	}
	acctest.Test(t,
		bad("requests_per_second = 0", `(?s)royalti.requests_per_second.*must be a number greater than 0`),
		bad("requests_per_second = -3", `(?s)royalti.requests_per_second.*must be a number greater than 0`),
		bad("burst = 0", `(?s)royalti.burst.*at least 1`),
		resource.TestStep{
			PreConfig: func() { env.CheckNoRequests(t) },
			Config:    cfg + rateLimitedMember,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("membership_docspace_invitation.m", tfjsonpath.New("status"), knownvalue.StringExact("pending")),
			},
		},
		// The provider's own defaults (the other tests pace nothing).
		resource.TestStep{
			Config: acctest.WithDefaultRateLimits(env.ProviderConfig()) + strings.ReplaceAll(rateLimitedMember, `"User"`, `"RoomAdmin"`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("membership_docspace_invitation.m", tfjsonpath.New("type"), knownvalue.StringExact("RoomAdmin")),
			},
		},
	)
}

// The environment variables (ROYALTI_REQUESTS_PER_SECOND, DOCSPACE_BURST,
// ...) set the same, and a bad value is an error at plan naming the
// variable. Not parallel: it sets environment variables.
func TestAccProvider_rateLimitFromEnvironment(t *testing.T) {
	env := acctest.New(t)
	// The block sets no limit, so the environment's applies.
	cfg := acctest.WithDefaultRateLimits(env.ProviderConfig()) + rateLimitedMember
	badEnv := func(name, value, want string) resource.TestStep {
		return resource.TestStep{
			PreConfig:   func() { t.Setenv(name, value) },
			Config:      cfg,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(want),
		}
	}
	unset := func() {
		for _, v := range []string{"DOCSPACE_REQUESTS_PER_SECOND", "DOCSPACE_BURST", "ROYALTI_REQUESTS_PER_SECOND"} {
			t.Setenv(v, "")
		}
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			badEnv("ROYALTI_REQUESTS_PER_SECOND", "fast", `(?s)Invalid ROYALTI_REQUESTS_PER_SECOND.*"fast".*positive number`),
			badEnv("ROYALTI_REQUESTS_PER_SECOND", "0", `Invalid ROYALTI_REQUESTS_PER_SECOND`),
			badEnv("ROYALTI_REQUESTS_PER_SECOND", "NaN", `Invalid ROYALTI_REQUESTS_PER_SECOND`),
			badEnv("DOCSPACE_BURST", "-1", `(?s)Invalid DOCSPACE_BURST.*at least 1`),
			{
				PreConfig: func() {
					unset()
					env.CheckNoRequests(t)
					t.Setenv("DOCSPACE_REQUESTS_PER_SECOND", "30")
					t.Setenv("DOCSPACE_BURST", "5")
				},
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("membership_docspace_invitation.m", tfjsonpath.New("status"), knownvalue.StringExact("pending")),
				},
			},
		},
	})
}
