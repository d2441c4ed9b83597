package provider_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

const secretPassword = "Wr1te-Only!Secret#42"

// TestAccSecretsNeverInLogsOrState applies, updates and destroys members on
// every platform with TF_LOG=TRACE, then asserts that no credential (static
// keys, client secret, tokens the provider obtained by exchange) and no
// password appears in the TRACE log or in any state or plan file, while
// the sandbox did receive them. Not parallel: it sets the environment.
func TestAccSecretsNeverInLogsOrState(t *testing.T) {
	trace := acctest.CaptureTrace(t)
	env := acctest.New(t)
	members := func(level, role, typ string) string {
		return env.ProviderConfigFromEnv(t) + fmt.Sprintf(`
variable "password" {
  type      = string
  sensitive = true
}
resource "membership_smartdocumentor_workspace_invitation" "s" {
  workspace_id = 1
  email        = "secret.sd@example.com"
  role         = "Viewer"
}
resource "membership_attackforge_project_team_member" "s" {
  project_id   = %q
  user         = "alice@example.com"
  access_level = %q
}
resource "membership_goldleaf_organization_invitation" "s" {
  email               = "secret.gl@example.com"
  password_wo         = var.password
  password_wo_version = 1
}
resource "membership_royalti_workspace_invitation" "s" {
  email = "secret.rt@example.com"
  role  = %q
}
resource "membership_docspace_invitation" "s" {
  email = "secret.ds@example.com"
  type  = %q
}
`, sandbox.AFProjectNetwork, level, role, typ)
	}
	vars := config.Variables{"password": config.StringVariable(secretPassword)}
	var sent []string
	collect := func(*terraform.State) error { sent = env.CredentialsSent(); return nil }
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: members("View", "user", "User"), ConfigVariables: vars, Check: collect},
			{
				Config: members("Edit", "admin", "RoomAdmin"), ConfigVariables: vars, Check: collect,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("membership_attackforge_project_team_member.s", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("membership_royalti_workspace_invitation.s", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("membership_docspace_invitation.s", plancheck.ResourceActionUpdate),
				}},
			},
		},
	})

	// The sandbox did receive the password and the credentials.
	if got := env.Sandbox.GoldLeaf.LastPasswords()["secret.gl@example.com"]; got != secretPassword {
		t.Fatal("the sandbox did not receive the password: the test would prove nothing")
	}
	secrets := map[string]string{"GoldLeaf password": secretPassword}
	for i, s := range acctest.Secrets() {
		secrets[fmt.Sprintf("configured credential %d", i)] = s
	}
	exchanged := 0
	for i, s := range sent {
		secrets[fmt.Sprintf("credential sent %d", i)] = s
		static := false
		for _, c := range acctest.Secrets() {
			static = static || c == s
		}
		if !static {
			exchanged++
		}
	}
	if exchanged < 2 {
		t.Fatalf("expected tokens obtained by exchange (SmartDocumentor, GoldLeaf) among the credentials sent, got %d of %d", exchanged, len(sent))
	}
	trace.AssertNoSecrets(t, secrets,
		"HTTP request", "[REDACTED]", "/connect/token", "/security/v1/token", "/team/invite", "/auth/invite", "/sdworkspace/inviteusers", "/api/2.0/people/invite")
	if strings.Contains(strings.Join(sent, ""), "REDACTED") {
		t.Fatal("redaction must only apply to logs, not to what is sent")
	}
}
