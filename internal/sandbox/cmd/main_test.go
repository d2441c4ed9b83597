package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

// printed is the banner for a sandbox at base, as `make sandbox` prints it.
func printed(base string, routes []string) string {
	var b bytes.Buffer
	_ = banner{base: base, adminRoutes: routes}.print(&b)
	return b.String()
}

var exportLine = regexp.MustCompile(`(?m)^export ([A-Z_]+)='([^']*)'`)

// printedExports are the export lines of a printed banner.
func printedExports(t *testing.T, out string) map[string]string {
	t.Helper()
	env := map[string]string{}
	for _, m := range exportLine.FindAllStringSubmatch(out, -1) {
		env[m[1]] = m[2]
	}
	if len(env) == 0 {
		t.Fatalf("no export lines in:\n%s", out)
	}
	return env
}

func send(t *testing.T, method, u, contentType, body string, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestPrintedCredentialsAreAccepted takes the endpoints and credentials
// from what the sandbox prints (the export lines) and calls each platform's
// API with them: every one is accepted, and the same call with the
// credential altered is refused, so the check is real. The DocSpace caller
// the banner names is the one the token authenticates.
func TestPrintedCredentialsAreAccepted(t *testing.T) {
	sb := sandbox.New()
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	out := printed(srv.URL, sb.AdminRoutes())
	env := printedExports(t, out)

	for _, p := range sandbox.Platforms {
		if got, want := env[strings.ToUpper(p)+"_ENDPOINT"], srv.URL+"/"+p; got != want {
			t.Errorf("%s endpoint printed %q, want %q", p, got, want)
		}
	}
	// the provider block carries the same values
	for k, v := range env {
		if !strings.Contains(out, `= "`+v+`"`) {
			t.Errorf("the provider block lacks %s's value %q", k, v)
		}
	}

	bad := func(s string) string { return s + "x" }
	calls := []struct {
		name string
		call func(alter func(string) string) (int, string)
	}{
		{"smartdocumentor token and workspaces", func(alter func(string) string) (int, string) {
			form := url.Values{"grant_type": {"client_credentials"}, "scope": {"WebAPI"},
				"client_id": {env["SMARTDOCUMENTOR_CLIENT_ID"]}, "client_secret": {alter(env["SMARTDOCUMENTOR_CLIENT_SECRET"])}}
			status, body := send(t, "POST", env["SMARTDOCUMENTOR_ENDPOINT"]+"/connect/token", "application/x-www-form-urlencoded", form.Encode())
			if status != 200 {
				return status, body
			}
			var tok struct {
				AccessToken string `json:"access_token"`
			}
			_ = json.Unmarshal([]byte(body), &tok)
			return send(t, "GET", env["SMARTDOCUMENTOR_ENDPOINT"]+"/api/v1.0/external/sdworkspace/CurrentWorkspaces", "", "",
				"Authorization", "Bearer "+tok.AccessToken)
		}},
		{"docspace @self", func(alter func(string) string) (int, string) {
			return send(t, "GET", env["DOCSPACE_ENDPOINT"]+"/api/2.0/people/@self", "", "", "Authorization", alter(env["DOCSPACE_TOKEN"]))
		}},
		{"attackforge users", func(alter func(string) string) (int, string) {
			return send(t, "GET", env["ATTACKFORGE_ENDPOINT"]+"/api/ss/users", "", "", "X-SSAPI-KEY", alter(env["ATTACKFORGE_API_KEY"]))
		}},
		{"goldleaf token", func(alter func(string) string) (int, string) {
			body, _ := json.Marshal(map[string]string{"apiKey": alter(env["GOLDLEAF_API_KEY"]), "name": env["GOLDLEAF_API_KEY_NAME"], "grantType": "client_credentials"})
			return send(t, "POST", env["GOLDLEAF_ENDPOINT"]+"/security/v1/token", "application/json", string(body))
		}},
		{"royalti users", func(alter func(string) string) (int, string) {
			return send(t, "GET", env["ROYALTI_ENDPOINT"]+"/user/", "", "", "Authorization", "Bearer "+alter(env["ROYALTI_TOKEN"]))
		}},
	}
	for _, c := range calls {
		if status, body := c.call(func(s string) string { return s }); status != 200 {
			t.Errorf("%s with the printed credentials: %d %s", c.name, status, body)
		}
		// 401, or 400 invalid_client from the OAuth2 token endpoint
		if status, body := c.call(bad); status != 401 && (status != 400 || !strings.Contains(body, "invalid_client")) {
			t.Errorf("%s with an altered credential: %d %s; want it refused", c.name, status, body)
		}
	}

	m := regexp.MustCompile(`calls as (\S+), the portal owner`).FindStringSubmatch(out)
	status, body := send(t, "GET", env["DOCSPACE_ENDPOINT"]+"/api/2.0/people/@self", "", "", "Authorization", env["DOCSPACE_TOKEN"])
	var self struct {
		Response struct {
			Email   string `json:"email"`
			IsOwner bool   `json:"isOwner"`
		} `json:"response"`
	}
	if m == nil || status != 200 || json.Unmarshal([]byte(body), &self) != nil || self.Response.Email != m[1] || !self.Response.IsOwner {
		t.Errorf("the banner names the DocSpace caller %v; @self answers %d %s", m, status, body)
	}
}

// TestBannerListsEveryAdminRoute: the banner lists every admin route the
// sandbox serves, and each hint belongs to a route that exists.
func TestBannerListsEveryAdminRoute(t *testing.T) {
	sb := sandbox.New()
	routes := sb.AdminRoutes()
	out := printed("http://127.0.0.1:8080", routes)
	for _, r := range routes {
		method, path, _ := strings.Cut(r, " ")
		if !regexp.MustCompile(`(?m)^    ` + method + ` +` + regexp.QuoteMeta(path) + `( |$)`).MatchString(out) {
			t.Errorf("the banner does not list %s", r)
		}
	}
	for r := range adminHints {
		found := false
		for _, have := range routes {
			found = found || have == r
		}
		if !found {
			t.Errorf("hint for %q, which the sandbox does not serve", r)
		}
	}
	if !strings.Contains(out, `curl -X POST http://127.0.0.1:8080/_admin/seed -d '{"per_platform":200}'`) {
		t.Errorf("the banner does not show how to seed:\n%s", out)
	}
}

// TestExampleHasThePrintedProviderBlock: examples/sandbox/main.tf holds
// the provider block the sandbox prints for the address `make sandbox`
// serves on.
func TestExampleHasThePrintedProviderBlock(t *testing.T) {
	b, err := os.ReadFile("../../../examples/sandbox/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), providerBlock(exampleBase)) {
		t.Errorf("examples/sandbox/main.tf does not hold the printed provider block:\n%s", providerBlock(exampleBase))
	}
	mk, err := os.ReadFile("../../../GNUmakefile")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(mk), "ADDR ?= "+strings.TrimPrefix(exampleBase, "http://")+"\n") {
		t.Errorf("make sandbox does not serve on %s, where examples/sandbox points", exampleBase)
	}
}

func TestWriteTFRC(t *testing.T) {
	dir := t.TempDir()
	path, err := writeTFRC(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil || filepath.Dir(path) != dir {
		t.Fatalf("%s: %v", path, err)
	}
	if !strings.Contains(string(b), `"registry.terraform.io/workspace-membership/membership" = "`+dir+`"`) {
		t.Errorf("sandbox.tfrc:\n%s", b)
	}
	var out bytes.Buffer
	_ = banner{base: "http://127.0.0.1:9000", tfrc: path}.print(&out)
	if !strings.Contains(out.String(), "export TF_CLI_CONFIG_FILE='"+path+"'") || !strings.Contains(out.String(), "examples/sandbox points at http://127.0.0.1:8080") {
		t.Errorf("the banner does not say how to apply examples/sandbox:\n%s", out.String())
	}
}

// TestAccSandboxExample applies examples/sandbox/main.tf, pointed at a
// private sandbox seeded as `make sandbox SEED=200` seeds it: each
// platform's member is created as the example says. Then the same
// resources with an empty provider block and the printed export lines in
// the environment plan nothing: the exports reach the same sandbox with
// credentials it accepts.
func TestAccSandboxExample(t *testing.T) {
	env := acctest.New(t)
	if _, err := env.Sandbox.Seed(200); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("../../../examples/sandbox/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	cfg := strings.ReplaceAll(string(b), exampleBase, env.URL)
	fromEnv := strings.Replace(cfg, providerBlock(env.URL), "provider \"membership\" {}\n", 1)
	if cfg == string(b) || fromEnv == cfg {
		t.Fatal("examples/sandbox/main.tf does not hold the printed provider block")
	}
	exports := printedExports(t, printed(env.URL, nil))
	// the example names the provider by its registry address: serve the
	// in-process provider under that namespace
	t.Setenv("TF_ACC_PROVIDER_NAMESPACE", "workspace-membership")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("membership_smartdocumentor_workspace_invitation.new_hire", tfjsonpath.New("status"), knownvalue.StringExact("Invited")),
					statecheck.ExpectKnownValue("membership_docspace_invitation.new_hire", tfjsonpath.New("activation_status"), knownvalue.StringExact("pending")),
					statecheck.ExpectKnownValue("membership_royalti_workspace_invitation.new_hire", tfjsonpath.New("invite_status"), knownvalue.StringExact("invited")),
					acctest.StateCheck(func(*tfjson.State) error { return checkExampleApplied(env.Sandbox) }),
				},
			},
			{
				PreConfig: func() {
					for k, v := range exports {
						t.Setenv(k, v)
					}
				},
				Config: fromEnv,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// checkExampleApplied finds each platform's member of examples/sandbox in
// the sandbox, as the example describes them.
func checkExampleApplied(sb *sandbox.Sandbox) error {
	const email = "new.hire@example.com"
	var problems []string
	if m, ok := sb.SmartDocumentor.Member(1, email); !ok || m.RoleName != "Viewer" {
		problems = append(problems, "SmartDocumentor workspace 1 has no Viewer "+email)
	}
	if u, ok := sb.DocSpace.User(email); !ok || u.Type != "User" {
		problems = append(problems, "DocSpace has no User "+email)
	}
	if m, ok := sb.AttackForge.Member(sandbox.AFProjectWebApp, "alice@example.com"); !ok || m.AccessLevel != "View" || m.ProjectRole != "Consultant" {
		problems = append(problems, "alice is not on Web App Pentest with View and Consultant")
	}
	if u, ok := sb.GoldLeaf.User(email); !ok || u.Status != "invited" {
		problems = append(problems, "GoldLeaf has not invited "+email)
	}
	if u, ok := sb.Royalti.User(email); !ok || u.Role != "user" || u.FirstName != "New" || u.LastName != "Hire" {
		problems = append(problems, "Royalti has no user New Hire "+email)
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}
