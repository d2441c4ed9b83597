package provider_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/workspace-membership/terraform-provider-membership/internal/acctest"
	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

// echoServer stands in front of the sandbox. Requests whose path matches
// one of echo are answered HTTP 400 with an error message quoting the
// whole request (method, path, every header, the body), as some APIs do;
// the others reach the sandbox. It records which credential kinds it
// quoted back.
type echoServer struct {
	next http.Handler
	mu   sync.Mutex
	echo []string
	// echoed maps a credential kind to the value quoted back.
	echoed map[string]string
	// redirectTo, when set, makes the server redirect the matching
	// requests there (alternating 302 and 307) instead of quoting them.
	redirectTo string
	redirects  int
}

var passwordRe = regexp.MustCompile(`"password"\s*:\s*"([^"]+)"`)

func (e *echoServer) setEcho(paths ...string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.echo = paths
}

func (e *echoServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	e.mu.Lock()
	match := false
	for _, p := range e.echo {
		match = match || strings.HasPrefix(r.URL.Path, p)
	}
	if !match {
		e.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		e.next.ServeHTTP(w, r)
		return
	}
	platform := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/"), "/", 2)[0]
	record := func(kind, v string) {
		if v != "" {
			e.echoed[platform+" "+kind] = v
		}
	}
	if _, tok, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok {
		record("bearer token", tok)
	}
	record("api key header", r.Header.Get("X-SSAPI-KEY"))
	if c, err := r.Cookie("asc_auth_key"); err == nil {
		record("auth key cookie", c.Value)
	}
	if form, err := url.ParseQuery(string(body)); err == nil {
		record("client secret", form.Get("client_secret"))
	}
	var j map[string]any
	if json.Unmarshal(body, &j) == nil {
		if k, ok := j["apiKey"].(string); ok {
			record("api key body", k)
		}
	}
	if m := passwordRe.FindSubmatch(body); m != nil {
		record("password", string(m[1]))
	}
	if e.redirectTo != "" {
		e.redirects++
		status := http.StatusFound
		if e.redirects%2 == 0 {
			status = http.StatusTemporaryRedirect
		}
		e.mu.Unlock()
		http.Redirect(w, r, e.redirectTo+r.URL.RequestURI(), status)
		return
	}
	e.mu.Unlock()
	var dump strings.Builder
	fmt.Fprintf(&dump, "ECHO %s %s", r.Method, r.URL.RequestURI())
	keys := make([]string, 0, len(r.Header))
	for k := range r.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&dump, " %s: %s;", k, strings.Join(r.Header[k], ", "))
	}
	fmt.Fprintf(&dump, " body: %s", body)
	msg := dump.String()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"error": msg, "error_description": msg, "message": msg, "title": "Bad request", "detail": msg,
	})
}

// TestAccEchoedCredentialsAreRedacted: an API that quotes the request in
// its error message (headers and body) must not bring any credential into
// the diagnostics or the TRACE log: every kind of credential (SmartDocumentor
// client secret and the access token obtained with it, DocSpace token and
// auth key cookie, AttackForge API key, GoldLeaf API key and the security
// token exchanged for it, Royalti token) and a write-only password.
// Not parallel: it sets the environment.
func TestAccEchoedCredentialsAreRedacted(t *testing.T) {
	trace := acctest.CaptureTrace(t)
	echo := runCredentialSteps(t, "", regexp.MustCompile(`ECHO`))
	log, err := os.ReadFile(trace.LogFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(log, []byte("diagnostic_detail")) || !bytes.Contains(log, []byte("ECHO ")) {
		t.Fatal("the TRACE log holds no echoed diagnostic: the test would prove nothing")
	}
	for kind, secret := range echo.echoed {
		for _, line := range bytes.Split(log, []byte("\n")) {
			if bytes.Contains(line, []byte(secret)) {
				shown := strings.ReplaceAll(string(line), secret, "<"+strings.ToUpper(kind)+">")
				if len(shown) > 600 {
					i := strings.Index(shown, "<"+strings.ToUpper(kind)+">")
					shown = shown[max(0, i-300):min(len(shown), i+300)]
				}
				t.Errorf("the TRACE log holds the %s: …%s…", kind, shown)
				break
			}
		}
	}
}

// TestAccRedirectsCarryNoCredential: an endpoint redirecting (302, 307)
// to another server fails with an error saying to fix the endpoint, and
// the other server receives nothing: no request, so no header, cookie or
// body, for every kind of credential. Not parallel: it sets the
// environment.
func TestAccRedirectsCarryNoCredential(t *testing.T) {
	var mu sync.Mutex
	var received []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		received = append(received, fmt.Sprintf("%s %s %v %s", r.Method, r.URL, r.Header, body))
		mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(other.Close)
	echo := runCredentialSteps(t, other.URL, regexp.MustCompile(`(?s)redirecting to\s+http://127\.0\.0\.1:\d+/.*never\s+follows\s+redirects`))
	if echo.redirects < 8 {
		t.Fatalf("only %d redirects were answered", echo.redirects)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(received) > 0 {
		t.Fatalf("the server redirected to received %d requests, first: %s", len(received), received[0])
	}
}

// runCredentialSteps runs one failing step per kind of credential with
// the matching requests echoed (redirectTo "") or redirected, and checks
// that every kind was indeed at stake.
func runCredentialSteps(t *testing.T, redirectTo string, expectError *regexp.Regexp) *echoServer {
	t.Helper()
	sb := sandbox.New()
	echo := &echoServer{next: sb, echoed: map[string]string{}, redirectTo: redirectTo}
	srv := httptest.NewServer(echo)
	t.Cleanup(srv.Close)
	env := &acctest.Env{Sandbox: sb, Server: srv, URL: srv.URL}
	provider := env.ProviderConfigFromEnv(t) + `
variable "password" {
  type      = string
  sensitive = true
}
`
	resources := map[string]string{
		"sd": `
resource "membership_smartdocumentor_workspace_invitation" "s" {
  workspace_id = 1
  email        = "echo.sd@example.com"
  role         = "Viewer"
}`,
		"af": `
resource "membership_attackforge_project_team_member" "s" {
  project_id   = "` + sandbox.AFProjectNetwork + `"
  user         = "alice@example.com"
  access_level = "View"
}`,
		"gl": `
resource "membership_goldleaf_organization_invitation" "s" {
  email               = "echo.gl@example.com"
  password_wo         = var.password
  password_wo_version = 1
}`,
		"rt": `
resource "membership_royalti_workspace_invitation" "s" {
  email = "echo.rt@example.com"
  role  = "user"
}`,
		"ds": `
resource "membership_docspace_invitation" "s" {
  email = "echo.ds@example.com"
  type  = "User"
}`,
	}
	vars := config.Variables{"password": config.StringVariable(secretPassword)}
	step := func(res string, pre func(), echoPaths ...string) resource.TestStep {
		return resource.TestStep{
			PreConfig: func() {
				if pre != nil {
					pre()
				}
				echo.setEcho(echoPaths...)
			},
			Config: provider + resources[res], ConfigVariables: vars, ExpectError: expectError,
		}
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			step("sd", nil, sandbox.PrefixSmartDocumentor+"/connect/token"),
			step("sd", nil, sandbox.PrefixSmartDocumentor+"/api/"),
			step("af", nil, sandbox.PrefixAttackForge),
			step("gl", nil, sandbox.PrefixGoldLeaf+"/security/"),
			step("gl", nil, sandbox.PrefixGoldLeaf+"/api/"),
			step("rt", nil, sandbox.PrefixRoyalti),
			step("ds", nil, sandbox.PrefixDocSpace),
			step("ds", func() {
				t.Setenv("DOCSPACE_TOKEN", "")
				t.Setenv("DOCSPACE_AUTH_KEY", sandbox.DocSpaceAuthKey)
			}, sandbox.PrefixDocSpace),
		},
	})

	want := []string{
		"smartdocumentor client secret", "smartdocumentor bearer token", "docspace bearer token", "docspace auth key cookie",
		"attackforge api key header", "goldleaf api key body", "goldleaf bearer token", "goldleaf password", "royalti bearer token",
	}
	echo.mu.Lock()
	defer echo.mu.Unlock()
	for _, kind := range want {
		if echo.echoed[kind] == "" {
			t.Errorf("no %s was quoted back: the test would prove nothing for it (quoted: %v)", kind, keysOf(echo.echoed))
		}
	}
	return echo
}

func keysOf(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
