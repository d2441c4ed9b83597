// Package acctest is the acceptance test harness: it starts the sandbox
// in-process and gives tests the provider factories and a provider block
// pointing every platform at it. Tests run the real terraform binary
// (terraform-plugin-testing) when TF_ACC=1, which `make test` sets.
package acctest

import (
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/workspace-membership/terraform-provider-membership/internal/provider"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

// ProviderFactories serve the provider in-process to terraform, wrapped as
// main.go serves it (secrets redacted from every diagnostic).
var ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"membership": func() (tfprotov6.ProviderServer, error) { return provider.ProtocolServer("test")(), nil },
}

// Env is one sandbox for one test.
type Env struct {
	Sandbox *sandbox.Sandbox
	Server  *httptest.Server
	URL     string
}

func init() {
	// Keep terraform quiet about a missing ~/.terraformrc and away from
	// any user configuration.
	if cfg := os.Getenv("TF_CLI_CONFIG_FILE"); cfg == "" || !fileExists(cfg) {
		if f, err := os.CreateTemp("", "membership-acc-*.tfrc"); err == nil {
			_ = f.Close()
			_ = os.Setenv("TF_CLI_CONFIG_FILE", f.Name())
		}
	}
	_ = os.Setenv("CHECKPOINT_DISABLE", "1")
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// New starts a fresh sandbox for t, stopped when t ends.
func New(t testing.TB) *Env {
	t.Helper()
	sb := sandbox.New()
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	return &Env{Sandbox: sb, Server: srv, URL: srv.URL}
}

// PreCheck skips nothing: the sandbox needs no account. It fails early if
// terraform cannot be found, with a message saying how to fix it.
func PreCheck(t testing.TB) {
	t.Helper()
	if os.Getenv("TF_ACC_TERRAFORM_PATH") != "" {
		return
	}
	if _, err := exec.LookPath("terraform"); err != nil {
		t.Fatal("acceptance tests need the terraform CLI (>= 1.11) in PATH or TF_ACC_TERRAFORM_PATH")
	}
}

// ProviderConfig is a provider block configuring every platform against
// the sandbox, with fast retries and no pacing (TestRateLimit). Extra
// lines go inside the provider block.
func (e *Env) ProviderConfig(extra ...string) string {
	return withTestRateLimits(fmt.Sprintf(`
provider "membership" {
%s
  smartdocumentor {
    endpoint      = %q
    client_id     = %q
    client_secret = %q
  }
  docspace {
    endpoint = %q
    token    = %q
  }
  attackforge {
    endpoint = %q
    api_key  = %q
  }
  goldleaf {
    endpoint     = %q
    api_key      = %q
    api_key_name = %q
  }
  royalti {
    endpoint = %q
    token    = %q
  }
}
`, providerSettings(extra),
		e.URL+sandbox.PrefixSmartDocumentor, sandbox.SmartDocumentorClientID, sandbox.SmartDocumentorClientSecret,
		e.URL+sandbox.PrefixDocSpace, sandbox.DocSpaceToken,
		e.URL+sandbox.PrefixAttackForge, sandbox.AttackForgeAPIKey,
		e.URL+sandbox.PrefixGoldLeaf, sandbox.GoldLeafAPIKey, sandbox.GoldLeafAPIKeyName,
		e.URL+sandbox.PrefixRoyalti, sandbox.RoyaltiToken))
}

// providerSettings puts fast test defaults for max_retries and
// request_timeout before the extra lines, unless the extra lines set them.
func providerSettings(extra []string) string {
	joined := strings.Join(extra, "\n")
	var lines []string
	if !strings.Contains(joined, "max_retries") {
		lines = append(lines, "  max_retries     = 3")
	}
	if !strings.Contains(joined, "request_timeout") {
		lines = append(lines, `  request_timeout = "5s"`)
	}
	return strings.Join(append(lines, extra...), "\n")
}

// Config joins the provider block with resource configuration.
func (e *Env) Config(resources string) string { return e.ProviderConfig() + resources }

// Secrets are every credential the sandbox accepts, for leak checks.
func Secrets() []string {
	return []string{
		sandbox.SmartDocumentorClientSecret, sandbox.SmartDocumentorAccessToken,
		sandbox.DocSpaceToken, sandbox.DocSpaceAuthKey, sandbox.AttackForgeAPIKey,
		sandbox.GoldLeafAPIKey, sandbox.RoyaltiToken,
	}
}

// Test runs an acceptance test case with the provider factories and the
// pre-check filled in, in parallel with other tests (each has its own
// sandbox).
func Test(t *testing.T, steps ...resource.TestStep) {
	t.Helper()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { PreCheck(t) },
		ProtoV6ProviderFactories: ProviderFactories,
		Steps:                    steps,
	})
}

// TestWithModules is Test for configurations that call modules.
// terraform-plugin-testing installs a configuration's modules only for a
// step given as a directory with providers of its own (it runs terraform
// init with that configuration then; otherwise init runs once, before any
// step's configuration is written): so each step's Config is written to a
// directory of its own and passed as ConfigDirectory, and the providers go
// into every step instead of the test case.
func TestWithModules(t *testing.T, steps ...resource.TestStep) {
	t.Helper()
	for i := range steps {
		if steps[i].Config != "" {
			dir := filepath.Join(t.TempDir(), fmt.Sprintf("step%d", i+1))
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(steps[i].Config), 0o644); err != nil {
				t.Fatal(err)
			}
			steps[i].Config, steps[i].ConfigDirectory = "", config.StaticDirectory(dir)
		}
		steps[i].ProtoV6ProviderFactories = ProviderFactories
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck: func() { PreCheck(t) },
		Steps:    steps,
	})
}

// CheckNoRequests is a TestCheckFunc-free assertion for plan-time errors:
// it fails t when the sandbox saw any API request.
func (e *Env) CheckNoRequests(t testing.TB) {
	t.Helper()
	if reqs := e.Sandbox.Requests(""); len(reqs) != 0 {
		t.Fatalf("expected no API request, the sandbox saw %d, first: %s %s", len(reqs), reqs[0].Method, reqs[0].Path)
	}
}

// ProviderConfigFromEnv is a provider block holding only the endpoints; the
// credentials go into the environment (SMARTDOCUMENTOR_CLIENT_SECRET,
// DOCSPACE_TOKEN, ...), as a careful user would keep them. The test harness
// logs the configuration it writes, so a test about secrets in logs must
// not put them in it. It sets environment variables: not for parallel tests.
func (e *Env) ProviderConfigFromEnv(t *testing.T) string {
	t.Helper()
	for k, v := range map[string]string{
		"SMARTDOCUMENTOR_CLIENT_ID":     sandbox.SmartDocumentorClientID,
		"SMARTDOCUMENTOR_CLIENT_SECRET": sandbox.SmartDocumentorClientSecret,
		"DOCSPACE_TOKEN":                sandbox.DocSpaceToken,
		"ATTACKFORGE_API_KEY":           sandbox.AttackForgeAPIKey,
		"GOLDLEAF_API_KEY":              sandbox.GoldLeafAPIKey,
		"GOLDLEAF_API_KEY_NAME":         sandbox.GoldLeafAPIKeyName,
		"ROYALTI_TOKEN":                 sandbox.RoyaltiToken,
	} {
		t.Setenv(k, v)
	}
	return fmt.Sprintf(`
provider "membership" {
  max_retries     = 3
  request_timeout = "5s"
  smartdocumentor { endpoint = %q }
  docspace { endpoint = %q }
  attackforge { endpoint = %q }
  goldleaf { endpoint = %q }
  royalti { endpoint = %q }
}
`, e.URL+sandbox.PrefixSmartDocumentor, e.URL+sandbox.PrefixDocSpace, e.URL+sandbox.PrefixAttackForge,
		e.URL+sandbox.PrefixGoldLeaf, e.URL+sandbox.PrefixRoyalti)
}
