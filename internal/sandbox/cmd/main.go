// Command sandbox serves the emulator of the five membership APIs on one
// port, for the demo and for trying things by hand (`make sandbox`):
//
//	go run ./internal/sandbox/cmd -addr 127.0.0.1:8080 -seed 200
//
// Each platform lives under its own prefix (/smartdocumentor, /docspace,
// /attackforge, /goldleaf, /royalti); the admin API is under /_admin. When
// it starts it prints every platform's endpoint and credentials, a provider
// block and the equivalent `export` lines, and the admin routes; then it
// serves until interrupted (Ctrl-C).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on (port 0 picks a free one)")
	latency := flag.Duration("latency", 0, "delay added to every API request, e.g. 50ms")
	urlFile := flag.String("url-file", "", "write the base URL to this file once listening")
	seed := flag.Int("seed", 0, fmt.Sprintf("add this many members to every platform before serving (0 to %d; POST /_admin/seed does it later)", sandbox.MaxSeed))
	providerDir := flag.String("provider-dir", "", "directory holding terraform-provider-membership (make build's bin/): write a Terraform CLI configuration there that uses it (sandbox.tfrc, dev_overrides) and say how to apply examples/sandbox with it")
	flag.Parse()

	sb := sandbox.New()
	sb.SetLatency(*latency)
	var seeded []sandbox.Seeded
	if *seed != 0 {
		var err error
		if seeded, err = sb.Seed(*seed); err != nil {
			log.Fatalf("-seed: %v", err)
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	b := banner{base: "http://" + ln.Addr().String(), adminRoutes: sb.AdminRoutes(), seeded: seeded}
	if *providerDir != "" {
		if b.tfrc, err = writeTFRC(*providerDir); err != nil {
			log.Fatal(err)
		}
	}
	if err := b.print(os.Stdout); err != nil {
		log.Fatal(err)
	}
	base := b.base
	if *urlFile != "" {
		if err := os.WriteFile(*urlFile, []byte(base), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	srv := &http.Server{Handler: sb, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
	fmt.Println("sandbox stopped")
}

// platform is one platform's prefix, the credentials the sandbox accepts
// for it (provider block attribute, environment variable, value) and a
// note on who or what they reach.
type platform struct {
	name, prefix string
	creds        [][3]string
	note         string
}

func platforms() []platform {
	return []platform{
		{"smartdocumentor", sandbox.PrefixSmartDocumentor, [][3]string{
			{"client_id", "SMARTDOCUMENTOR_CLIENT_ID", sandbox.SmartDocumentorClientID},
			{"client_secret", "SMARTDOCUMENTOR_CLIENT_SECRET", sandbox.SmartDocumentorClientSecret},
		}, fmt.Sprintf("or access_token %s; workspaces 1 \"Default\" and 2 \"Engineering\"", sandbox.SmartDocumentorAccessToken)},
		{"docspace", sandbox.PrefixDocSpace, [][3]string{
			{"token", "DOCSPACE_TOKEN", sandbox.DocSpaceToken},
		}, fmt.Sprintf("calls as %s, the portal owner; token %s calls as %s, a DocSpace admin",
			sandbox.DocSpaceOwnerEmail, sandbox.DocSpaceAdminToken, sandbox.DocSpaceAdminEmail)},
		{"attackforge", sandbox.PrefixAttackForge, [][3]string{
			{"api_key", "ATTACKFORGE_API_KEY", sandbox.AttackForgeAPIKey},
		}, fmt.Sprintf("projects %s, %s and %s", sandbox.AFProjectWebApp, sandbox.AFProjectNetwork, sandbox.AFProjectRedTeam)},
		{"goldleaf", sandbox.PrefixGoldLeaf, [][3]string{
			{"api_key", "GOLDLEAF_API_KEY", sandbox.GoldLeafAPIKey},
			{"api_key_name", "GOLDLEAF_API_KEY_NAME", sandbox.GoldLeafAPIKeyName},
		}, "an admin key"},
		{"royalti", sandbox.PrefixRoyalti, [][3]string{
			{"token", "ROYALTI_TOKEN", sandbox.RoyaltiToken},
		}, "workspace " + sandbox.RoyaltiWorkspaceID},
	}
}

// providerBlock is the provider block for a sandbox at base, as
// examples/sandbox/main.tf has it for http://127.0.0.1:8080.
func providerBlock(base string) string {
	var b strings.Builder
	b.WriteString("provider \"membership\" {\n")
	for _, p := range platforms() {
		width := len("endpoint")
		for _, c := range p.creds {
			width = max(width, len(c[0]))
		}
		fmt.Fprintf(&b, "  %s {\n", p.name)
		fmt.Fprintf(&b, "    %-*s = %q\n", width, "endpoint", base+p.prefix)
		for _, c := range p.creds {
			fmt.Fprintf(&b, "    %-*s = %q\n", width, c[0], c[2])
		}
		b.WriteString("  }\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// exports are the environment variables that configure the provider for a
// sandbox at base, in order: name, value.
func exports(base string) [][2]string {
	var out [][2]string
	for _, p := range platforms() {
		out = append(out, [2]string{strings.ToUpper(p.name) + "_ENDPOINT", base + p.prefix})
		for _, c := range p.creds {
			out = append(out, [2]string{c[1], c[2]})
		}
	}
	return out
}

// adminHints are what the main admin routes take or do.
var adminHints = map[string]string{
	"POST /_admin/seed":    `{"per_platform":200} adds members 1..200 to every platform (mixed roles and types, some pending); "platforms":["docspace"] narrows it`,
	"POST /_admin/reset":   "back to the seed data (members, request log, faults, latency)",
	"GET /_admin/requests": "the request log (?platform=docspace)",
	"GET /_admin/counts":   "requests per route",
	"POST /_admin/faults":  `{"platform":"docspace","method":"GET","path":"/people","status":503,"retry_after":"2","count":1}`,
	"PUT /_admin/latency":  `{"latency":"50ms"} added to every API request`,
	"POST /_admin/smartdocumentor/workspaces/{id}/users":        `{"email":"jo@example.com","roleName":"Viewer","pending":true}`,
	"PUT /_admin/smartdocumentor/workspaces/{id}/users/{email}": `{"roleName":"Manager"}`,
	"POST /_admin/docspace/users":                               `{"email":"jo@example.com","type":"User"}`,
	"PUT /_admin/docspace/users/{email}/type":                   `{"type":"RoomAdmin"}`,
	"PUT /_admin/attackforge/projects/{id}/team/{user}":         `{"access_level":"Edit","project_role":"Pentester"}`,
	"POST /_admin/attackforge/users":                            `{"username":"jo","email":"jo@example.com","first_name":"Jo","last_name":"Doe"}`,
	"PUT /_admin/docspace/settings":                             `{"admin_quota":10,"guest_invites_disabled":true}`,
	"POST /_admin/royalti/users":                                `{"email":"jo@example.com","role":"user","status":"invited"}`,
	"POST /_admin/royalti/users/{user}/role":                    `{"role":"admin"}`,
	"POST /_admin/royalti/users/{user}/name":                    `{"firstName":"Jo","lastName":"Doe"}`,
	"POST /_admin/royalti/users/{user}/invite-status":           `{"status":"joined"}`,
	"PUT /_admin/royalti/options":                               `{"LegacyInvite":true}`,
}

// writeTFRC writes dir/sandbox.tfrc, a Terraform CLI configuration whose
// dev_overrides use the provider binary in dir, and returns its path.
func writeTFRC(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	path := filepath.Join(abs, "sandbox.tfrc")
	rc := fmt.Sprintf(`# Written by the sandbox (make sandbox): use the provider built in this
# directory instead of the registry's (no terraform init needed).
provider_installation {
  dev_overrides {
    "registry.terraform.io/workspace-membership/membership" = %q
  }
  direct {}
}
`, abs)
	return path, os.WriteFile(path, []byte(rc), 0o644)
}

// banner is what `make sandbox` shows when it starts.
type banner struct {
	base        string
	adminRoutes []string
	seeded      []sandbox.Seeded
	// tfrc is the Terraform CLI configuration written for the provider
	// binary, or "".
	tfrc string
}

// exampleBase is the sandbox examples/sandbox/main.tf points at (the
// address `make sandbox` serves on).
const exampleBase = "http://127.0.0.1:8080"

// print writes the endpoints and credentials, a provider block and export
// lines to paste, how to apply examples/sandbox, what was seeded, and the
// admin routes.
func (bn banner) print(out io.Writer) error {
	base, adminRoutes, seeded := bn.base, bn.adminRoutes, bn.seeded
	w := &strings.Builder{}
	fmt.Fprintf(w, "Sandbox of the five membership APIs at %s (Ctrl-C stops it).\n", base)
	fmt.Fprintf(w, "The credentials are the sandbox's own, not real ones, and the only ones it accepts.\n\n")
	for _, p := range platforms() {
		var creds []string
		for _, c := range p.creds {
			creds = append(creds, c[0]+" "+c[2])
		}
		fmt.Fprintf(w, "  %-16s %s\n  %-16s %s (%s)\n", p.name, base+p.prefix, "", strings.Join(creds, ", "), p.note)
	}
	fmt.Fprintf(w, "\nProvider block (examples/sandbox/main.tf has it, with one resource per platform):\n\n%s\n", providerBlock(base))
	fmt.Fprintf(w, "Or an empty provider \"membership\" {} block and the environment:\n\n")
	for _, e := range exports(base) {
		fmt.Fprintf(w, "export %s='%s'\n", e[0], e[1])
	}
	if bn.tfrc != "" {
		fmt.Fprintf(w, "\nTo apply examples/sandbox with the provider make built, in another terminal:\n\n")
		fmt.Fprintf(w, "export TF_CLI_CONFIG_FILE='%s'  # dev_overrides: no terraform init\n", bn.tfrc)
		fmt.Fprintf(w, "terraform -chdir=examples/sandbox apply\n")
		if base != exampleBase {
			fmt.Fprintf(w, "(examples/sandbox points at %s: with this address, use the provider block above)\n", exampleBase)
		}
	}
	if len(seeded) > 0 {
		fmt.Fprintf(w, "\nSeeded:\n")
		for _, s := range seeded {
			fmt.Fprintf(w, "  %s\n", s)
		}
	}
	fmt.Fprintf(w, "\nAdmin API at %s (no credentials; not logged, never faulted), e.g.\n", base)
	fmt.Fprintf(w, "  curl -X POST %s/_admin/seed -d '{\"per_platform\":200}'\n", base)
	group := ""
	for _, r := range orderAdmin(adminRoutes) {
		method, path, _ := strings.Cut(r, " ")
		g := "sandbox"
		if rest, ok := strings.CutPrefix(path, "/_admin/"); ok {
			if name, _, found := strings.Cut(rest, "/"); found {
				g = name
			}
		}
		if g != group {
			fmt.Fprintf(w, "  %s:\n", g)
			group = g
		}
		line := fmt.Sprintf("    %-6s %s", method, path)
		if h := adminHints[r]; h != "" {
			line += "  " + h
		}
		fmt.Fprintln(w, line)
	}
	_, err := io.WriteString(out, w.String())
	return err
}

// orderAdmin puts the sandbox's own admin routes (seed, reset, log,
// faults, latency) before the platforms' ones, keeping the registration
// order within each.
func orderAdmin(routes []string) []string {
	var own, rest []string
	for _, r := range routes {
		_, path, _ := strings.Cut(r, " ")
		if strings.Count(path, "/") == 2 {
			own = append(own, r)
		} else {
			rest = append(rest, r)
		}
	}
	return append(own, rest...)
}
