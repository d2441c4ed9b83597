package goldleaf_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

const (
	resType     = "membership_goldleaf_organization_invitation"
	inviteRoute = "POST /api/v1/organization/users/invite"
	tokenRoute  = "POST /security/v1/token"
	password1   = "Gl-Initial-Pw1!"
	password2   = "Gl-Rotated-Pw2?"
)

// words matches s with any run of white space (terraform wraps messages)
// between its words.
func words(s string) string {
	return strings.Join(strings.Fields(regexp.QuoteMeta(s)), `\s+`)
}

func invitationHCL(name, email, password string, version int) string {
	return fmt.Sprintf(`
resource %q %q {
  email               = %q
  password_wo         = %q
  password_wo_version = %d
}
`, resType, name, email, password, version)
}

// checkNoAttrContains fails when any state attribute of addr holds one of
// the secrets.
func checkNoAttrContains(addr string, secrets ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s is not in the state", addr)
		}
		for k, v := range rs.Primary.Attributes {
			for _, secret := range secrets {
				if strings.Contains(v, secret) {
					return fmt.Errorf("state attribute %s of %s holds a secret", k, addr)
				}
			}
		}
		if v, ok := rs.Primary.Attributes["password_wo"]; ok && v != "" {
			return fmt.Errorf("password_wo is in the state")
		}
		return nil
	}
}

func TestAccGoldLeafInvitation_lifecycle(t *testing.T) {
	env := acctest.New(t)
	gl := env.Sandbox.GoldLeaf
	addr := resType + ".jane"
	const email = "Jane.Doe@Example.com"
	acctest.Test(t,
		resource.TestStep{
			Config: env.Config(invitationHCL("jane", email, password1, 1)),
			Check: resource.ComposeAggregateTestCheckFunc(
				checkNoAttrContains(addr, password1, sandbox.GoldLeafAPIKey),
				func(*terraform.State) error {
					if !gl.Invited()["jane.doe@example.com"] {
						return fmt.Errorf("the sandbox has no invitation with a password: %v", gl.Invited())
					}
					if got := gl.LastPasswords()["jane.doe@example.com"]; got != password1 {
						return fmt.Errorf("the sandbox received another password (%d characters)", len(got))
					}
					return nil
				},
			),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact("jane.doe@example.com")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("email"), knownvalue.StringExact(email)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("password_wo"), knownvalue.Null()),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("password_wo_version"), knownvalue.Int64Exact(1)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("invited")),
			},
		},
		// A change of letter case only is no change.
		resource.TestStep{
			PreConfig: env.Sandbox.ClearLog,
			Config:    env.Config(invitationHCL("jane", strings.ToLower(email), password1, 1)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		},
		// A new password without a new version is not sent: write-only
		// values are never compared.
		resource.TestStep{
			Config: env.Config(invitationHCL("jane", email, password2, 1)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: func(*terraform.State) error {
				if n := env.Sandbox.Count("goldleaf", ""); n != 0 {
					return fmt.Errorf("%d GoldLeaf requests for a configuration without changes", n)
				}
				return nil
			},
		},
		// A version bump re-invites with the new password.
		resource.TestStep{
			Config: env.Config(invitationHCL("jane", email, password2, 2)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace)},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("password_wo_version"), knownvalue.Int64Exact(2)),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				checkNoAttrContains(addr, password1, password2),
				func(*terraform.State) error {
					u, _ := gl.User(email)
					if u.Invitations != 2 {
						return fmt.Errorf("%d invitations sent, want 2", u.Invitations)
					}
					if gl.LastPasswords()["jane.doe@example.com"] != password2 {
						return fmt.Errorf("the re-invitation did not carry the new password")
					}
					return nil
				},
			),
		},
		resource.TestStep{
			ResourceName:      addr,
			ImportState:       true,
			ImportStateVerify: true,
			ImportStateIdFunc: func(s *terraform.State) (string, error) {
				return s.RootModule().Resources[addr].Primary.Attributes["email"], nil
			},
			// The version only exists in configuration history.
			ImportStateVerifyIgnore: []string{"password_wo_version"},
		},
		resource.TestStep{
			ResourceName:  addr,
			ImportState:   true,
			ImportStateId: "not-an-email",
			ExpectError:   regexp.MustCompile(`(?s)import\s+ID\s+must\s+be\s+the\s+invited\s+email\s+address.*terraform\s+import\s+membership_goldleaf_organization_invitation`),
		},
		// Drift cannot be detected: the user accepts out of band, the plan
		// stays empty and refresh sends no request.
		resource.TestStep{
			PreConfig: func() {
				env.Sandbox.ClearLog()
				gl.ActivateUser(email)
			},
			Config:   env.Config(invitationHCL("jane", email, password2, 2)),
			PlanOnly: true,
		},
	)
	// Destroy forgot the user: they stay in GoldLeaf, and neither refresh
	// nor destroy sent a request.
	if u, ok := gl.User(email); !ok || u.Status != "active" {
		t.Fatalf("destroy changed the GoldLeaf user: %+v %v", u, ok)
	}
	if n := env.Sandbox.Count("goldleaf", ""); n != 0 {
		t.Fatalf("refresh and destroy sent %d GoldLeaf requests, want 0", n)
	}
}

// TestAccGoldLeafInvitation_noSecretsInLogsOrState runs with TRACE logs of
// Terraform and of the provider in a file, keeps the working directories,
// and checks that neither holds the password, the API key or a security
// token, while the sandbox did receive the password. It sets environment
// variables, so it does not run in parallel.
func TestAccGoldLeafInvitation_noSecretsInLogsOrState(t *testing.T) {
	trace := acctest.CaptureTrace(t)

	// The API key comes from the environment and the password from a
	// variable, so that neither is in the configuration the test harness
	// itself logs.
	t.Setenv("GOLDLEAF_API_KEY", sandbox.GoldLeafAPIKey)
	t.Setenv("GOLDLEAF_API_KEY_NAME", sandbox.GoldLeafAPIKeyName)

	env := acctest.New(t)
	gl := env.Sandbox.GoldLeaf
	addr := resType + ".secret"
	hcl := goldleafOnly(env, "") + `
variable "pw" {
  type      = string
  sensitive = true
}
variable "pw_version" {
  type = number
}
resource "membership_goldleaf_organization_invitation" "secret" {
  email               = "secret@example.com"
  password_wo         = var.pw
  password_wo_version = var.pw_version
}
`
	var tokens []string
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:          hcl,
				ConfigVariables: config.Variables{"pw": config.StringVariable(password1), "pw_version": config.IntegerVariable(1)},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkNoAttrContains(addr, password1, sandbox.GoldLeafAPIKey),
					func(*terraform.State) error {
						tokens = append(tokens, gl.IssuedTokens()...)
						return nil
					},
				),
			},
			{
				Config:          hcl,
				ConfigVariables: config.Variables{"pw": config.StringVariable(password2), "pw_version": config.IntegerVariable(2)},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace)},
				},
				Check: func(*terraform.State) error {
					tokens = append(tokens, gl.IssuedTokens()...)
					return nil
				},
			},
		},
	})
	if got := gl.LastPasswords()["secret@example.com"]; got != password2 {
		t.Fatal("the sandbox did not receive the password")
	}
	var sawBody bool
	for _, r := range env.Sandbox.Requests("goldleaf") {
		if r.Route == inviteRoute && strings.Contains(r.Body, `"password":"`+password1+`"`) {
			sawBody = true
		}
	}
	if !sawBody {
		t.Fatal("no invite request body carried the password")
	}
	if len(tokens) == 0 {
		t.Fatal("no security token was issued")
	}
	secrets := map[string]string{"password 1": password1, "password 2": password2, "API key": sandbox.GoldLeafAPIKey}
	for i, tok := range tokens {
		secrets[fmt.Sprintf("security token %d", i)] = tok
	}

	trace.AssertNoSecrets(t, secrets, "HTTP request", "/api/v1/organization/users/invite", "/security/v1/token", "[REDACTED]", "Terraform version:")
}

// weakPasswordCase runs one plan with a weak password given through a
// sensitive variable and checks the error: it names the attribute and the
// rule, never the value, and no request is sent.
func TestAccGoldLeafInvitation_weakPasswords(t *testing.T) {
	cases := []struct{ name, password, rule string }{
		{"length", "Ab1!xyz", "at least 8 characters"},
		{"upper", "lower-case-1!", "an upper-case letter"},
		{"lower", "UPPER-CASE-1!", "a lower-case letter"},
		{"digit", "No-Digits-Here!", "a digit"},
		{"special", "NoSpecial1234", "a special character"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := acctest.New(t)
			var failed atomic.Bool
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				ErrorCheck: func(err error) error {
					failed.Store(true)
					msg := err.Error()
					if strings.Contains(msg, c.password) {
						return fmt.Errorf("the error echoes the password: %w", err)
					}
					if !regexp.MustCompile(`(?s)password_wo.*must\s+contain\s+` + words(c.rule)).MatchString(msg) {
						return fmt.Errorf("the error does not name password_wo and the rule %q: %w", c.rule, err)
					}
					return nil
				},
				Steps: []resource.TestStep{{
					Config: env.Config(`
variable "pw" {
  type      = string
  sensitive = true
}
resource "membership_goldleaf_organization_invitation" "weak" {
  email       = "weak@example.com"
  password_wo = var.pw
}
`),
					ConfigVariables: config.Variables{"pw": config.StringVariable(c.password)},
					PlanOnly:        true,
				}},
			})
			if !failed.Load() {
				t.Fatal("the weak password was accepted at plan")
			}
			env.CheckNoRequests(t)
		})
	}
}

func TestAccGoldLeafInvitation_planTimeErrors(t *testing.T) {
	cases := []struct{ name, hcl, want string }{
		{"literal weak password", `
resource "membership_goldleaf_organization_invitation" "x" {
  email       = "x@example.com"
  password_wo = "short"
}`, `(?s)password_wo.*must\s+contain\s+at\s+least\s+8\s+characters`},
		{"bad email", `
resource "membership_goldleaf_organization_invitation" "x" {
  email = "Jane <jane@example.com>"
}`, `(?s)email.*plain\s+email\s+address`},
		{"version without password", `
resource "membership_goldleaf_organization_invitation" "x" {
  email               = "x@example.com"
  password_wo_version = 1
}`, `(?s)password_wo_version.*password_wo`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := acctest.New(t)
			acctest.Test(t, resource.TestStep{
				Config:      env.Config(c.hcl),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(c.want),
			})
			env.CheckNoRequests(t)
		})
	}
}

func TestAccGoldLeafInvitation_batched(t *testing.T) {
	env := acctest.New(t)
	gl := env.Sandbox.GoldLeaf
	const n = 30
	cfg := env.Config(fmt.Sprintf(`
resource "membership_goldleaf_organization_invitation" "many" {
  count               = %d
  email               = "user${count.index}@example.com"
  password_wo         = "Batch-Pw-01!"
  password_wo_version = 1
}
`, n))
	acctest.Test(t,
		resource.TestStep{
			Config: cfg,
			Check: func(*terraform.State) error {
				if got := len(gl.Invited()); got != n {
					return fmt.Errorf("%d invited, want %d", got, n)
				}
				invites := env.Sandbox.Count("goldleaf", inviteRoute)
				t.Logf("%d members created together in %d invite requests", n, invites)
				if invites >= n {
					return fmt.Errorf("%d invite requests for %d members created together, want fewer", invites, n)
				}
				if got := env.Sandbox.Count("goldleaf", tokenRoute); got != 1 {
					return fmt.Errorf("%d token requests, want 1", got)
				}
				for e, pw := range gl.LastPasswords() {
					if pw != "Batch-Pw-01!" {
						return fmt.Errorf("%s got another password", e)
					}
				}
				return nil
			},
		},
		// A refresh of every member costs no request at all: there is
		// nothing GoldLeaf could be asked.
		resource.TestStep{
			PreConfig: env.Sandbox.ClearLog,
			Config:    cfg,
			PlanOnly:  true,
		},
		resource.TestStep{
			PreConfig: func() {
				if got := env.Sandbox.Count("goldleaf", ""); got != 0 {
					t.Errorf("refreshing %d members sent %d GoldLeaf requests, want 0", n, got)
				}
			},
			Config:   cfg,
			PlanOnly: true,
		},
	)
}

func TestAccGoldLeafInvitation_batchMemberFailure(t *testing.T) {
	env := acctest.New(t)
	gl := env.Sandbox.GoldLeaf
	good := []string{"ann@example.com", "ben@example.com", "cat@example.com", "dan@example.com"}
	teamConfig := func(emails []string) string {
		quoted, _ := json.Marshal(emails)
		return env.Config(fmt.Sprintf(`
locals {
  emails = %s
}
resource "membership_goldleaf_organization_invitation" "team" {
  count = length(local.emails)
  email = local.emails[count.index]
}
`, quoted))
	}
	acctest.Test(t,
		resource.TestStep{
			// The member GoldLeaf rejects comes last so that the others keep
			// their index in the next step.
			Config: teamConfig(append(good[:len(good):len(good)], sandbox.GoldLeafOwner)),
			ExpectError: regexp.MustCompile(`(?s)Could not invite ` + regexp.QuoteMeta(sandbox.GoldLeafOwner) +
				`\s+to\s+the\s+GoldLeaf\s+organization.*HTTP\s+400.*already\s+a\s+member`),
		},
		resource.TestStep{
			PreConfig: func() {
				inv := gl.Invited()
				for _, e := range good {
					if _, ok := inv[e]; !ok {
						t.Errorf("%s was not invited although only %s was rejected", e, sandbox.GoldLeafOwner)
					}
				}
				if len(inv) != len(good) {
					t.Errorf("invited %v", inv)
				}
			},
			// The good members are in the state: nothing left to do.
			Config:   teamConfig(good),
			PlanOnly: true,
		},
	)
}

// goldleafOnly is a provider block with only a goldleaf block.
func goldleafOnly(env *acctest.Env, creds string) string {
	return fmt.Sprintf(`
provider "membership" {
  max_retries     = 0
  request_timeout = "5s"
  goldleaf {
    endpoint = %q
%s
  }
}
`, env.URL+sandbox.PrefixGoldLeaf, creds)
}

func TestAccGoldLeafInvitation_credentials(t *testing.T) {
	roKey, roName := sandbox.GoldLeafReadOnlyKey()
	cases := []struct{ name, creds, want string }{
		{"wrong key", `    api_key = "glkey-wrong-0000"
    api_key_name = "terraform"`, `(?s)HTTP\s+401.*Invalid\s+API\s+key.*an\s+admin\s+API\s+key`},
		{"non-admin key", fmt.Sprintf(`    api_key = %q
    api_key_name = %q`, roKey, roName), `(?s)HTTP\s+403.*requires\s+an\s+admin\s+API\s+key`},
		{"expired access token", `    access_token = "glst-expired-0000"`, `(?s)HTTP\s+401.*access_token\s+was\s+rejected`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := acctest.New(t)
			acctest.Test(t, resource.TestStep{
				Config: goldleafOnly(env, c.creds) + `
resource "membership_goldleaf_organization_invitation" "x" {
  email = "x@example.com"
}`,
				ExpectError: regexp.MustCompile(c.want),
			})
			if len(env.Sandbox.GoldLeaf.Invited()) != 0 {
				t.Fatal("invited with rejected credentials")
			}
		})
	}
}

func TestAccGoldLeafInvitation_accessToken(t *testing.T) {
	env := acctest.New(t)
	body := fmt.Sprintf(`{"apiKey":%q,"name":%q,"grantType":"client_credentials"}`, sandbox.GoldLeafAPIKey, sandbox.GoldLeafAPIKeyName)
	resp, err := http.Post(env.URL+sandbox.PrefixGoldLeaf+"/security/v1/token", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Data struct {
			SecurityToken string `json:"securityToken"`
		} `json:"data"`
	}
	json.NewDecoder(resp.Body).Decode(&out)
	resp.Body.Close()
	acctest.Test(t, resource.TestStep{
		Config: goldleafOnly(env, fmt.Sprintf("    access_token = %q", out.Data.SecurityToken)) + `
resource "membership_goldleaf_organization_invitation" "x" {
  email = "token-user@example.com"
}`,
		Check: func(*terraform.State) error {
			if _, ok := env.Sandbox.GoldLeaf.Invited()["token-user@example.com"]; !ok {
				return fmt.Errorf("not invited")
			}
			if n := env.Sandbox.Count("goldleaf", tokenRoute); n != 1 {
				return fmt.Errorf("%d token requests, want only the test's own", n)
			}
			return nil
		},
	})
}

// TestAccGoldLeafInvitation_missingBlock uses a provider block with only
// royalti and no GOLDLEAF_* variables. It sets environment variables, so
// it does not run in parallel.
func TestAccGoldLeafInvitation_missingBlock(t *testing.T) {
	for _, v := range []string{"GOLDLEAF_ENDPOINT", "GOLDLEAF_API_KEY", "GOLDLEAF_API_KEY_NAME", "GOLDLEAF_ACCESS_TOKEN"} {
		t.Setenv(v, "")
	}
	env := acctest.New(t)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "membership" {
  royalti {
    endpoint = %q
    token    = %q
  }
}
resource "membership_goldleaf_organization_invitation" "x" {
  email = "x@example.com"
}`, env.URL+sandbox.PrefixRoyalti, sandbox.RoyaltiToken),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)GoldLeaf\s+is\s+not\s+configured.*no\s+"goldleaf"\s+block`),
		}},
	})
	env.CheckNoRequests(t)
}
