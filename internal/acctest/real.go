package acctest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

// Real tenants: the acceptance tests in each platform's real_test.go run
// against a real account when MEMBERSHIP_REAL_<PLATFORM>_* environment
// variables name one, and are skipped with the reason otherwise (CI keeps
// the sandbox). See CONTRIBUTING.md, "Running against a real tenant".

// RealEmailDomainEnv names the domain of the test email addresses
// (tf-acc-<random>@<domain>); example.com (reserved, never delivered) by
// default.
const RealEmailDomainEnv = "MEMBERSHIP_REAL_EMAIL_DOMAIN"

// realVar is one MEMBERSHIP_REAL_<PLATFORM>_<Name> variable.
type realVar struct {
	// Name is the variable's suffix ("ENDPOINT").
	Name string
	// Attr is the provider block attribute it sets ("" for test settings
	// such as a project id).
	Attr string
	// Optional variables may be unset (the provider's default applies).
	Optional bool
	// Env is the provider's own environment variable for a secret
	// ("DOCSPACE_TOKEN"): secrets reach the provider through it, never
	// through the configuration, which the test harness writes to disk and
	// logs.
	Env string
}

type realSpec struct {
	// what is the real account, for the skip reason ("a real DocSpace portal").
	what string
	vars []realVar
}

var realSpecs = map[string]realSpec{
	"smartdocumentor": {what: "a real SmartDocumentor workspace", vars: []realVar{
		{Name: "ENDPOINT", Attr: "endpoint", Optional: true},
		{Name: "CLIENT_ID", Attr: "client_id"},
		{Name: "CLIENT_SECRET", Env: "SMARTDOCUMENTOR_CLIENT_SECRET"},
		{Name: "WORKSPACE_ID"},
		// SmartDocumentor has no API to remove a member: the test invites
		// this address, which stays in the workspace (adopted on later runs).
		{Name: "EMAIL"},
		{Name: "ROLE", Optional: true},
	}},
	"docspace": {what: "a real ONLYOFFICE DocSpace portal", vars: []realVar{
		{Name: "ENDPOINT", Attr: "endpoint"},
		{Name: "TOKEN", Env: "DOCSPACE_TOKEN"},
		{Name: "UPDATE_TYPE", Optional: true},
	}},
	"attackforge": {what: "a real AttackForge project", vars: []realVar{
		{Name: "ENDPOINT", Attr: "endpoint"},
		{Name: "API_KEY", Env: "ATTACKFORGE_API_KEY"},
		{Name: "PROJECT_ID"},
		// AttackForge adds existing users only: a user (email or username)
		// who is not on the project's team.
		{Name: "USER"},
	}},
	"goldleaf": {what: "a real GoldLeaf organization", vars: []realVar{
		{Name: "ENDPOINT", Attr: "endpoint", Optional: true},
		{Name: "API_KEY", Env: "GOLDLEAF_API_KEY"},
		{Name: "NAME", Attr: "api_key_name"},
		// GoldLeaf has no API to read or remove users: the test invites
		// this address, which stays invited.
		{Name: "EMAIL"},
	}},
	"royalti": {what: "a real Royalti workspace", vars: []realVar{
		{Name: "ENDPOINT", Attr: "endpoint", Optional: true},
		{Name: "TOKEN", Env: "ROYALTI_TOKEN"},
	}},
}

// RealTenant is a real account of one platform, from its
// MEMBERSHIP_REAL_<PLATFORM>_* variables.
type RealTenant struct {
	Platform string
	vars     map[string]string
	spec     realSpec
}

// RealEnv is the name of a platform's variable: RealEnv("docspace",
// "TOKEN") is MEMBERSHIP_REAL_DOCSPACE_TOKEN.
func RealEnv(platform, name string) string {
	return "MEMBERSHIP_REAL_" + strings.ToUpper(platform) + "_" + name
}

// Real returns the real tenant of platform, or skips t with the variables
// to set when they are not set; it fails t when only some are (a half
// configured run is a mistake, not a reason to pass). It sets the
// provider's environment variables for the secrets: not for parallel
// tests (real tenants are not for parallel runs either).
func Real(t testing.TB, platform string) *RealTenant {
	t.Helper()
	r, skip, err := resolveReal(platform)
	switch {
	case err != nil:
		t.Fatal(err)
	case skip != "":
		t.Skip(skip)
	}
	for _, v := range r.spec.vars {
		if v.Env != "" {
			t.Setenv(v.Env, r.vars[v.Name])
		}
	}
	return r
}

// resolveReal reads a platform's variables: the tenant, or why the test is
// skipped (none set), or an error (some set, not all).
func resolveReal(platform string) (*RealTenant, string, error) {
	spec, ok := realSpecs[platform]
	if !ok {
		return nil, "", fmt.Errorf("acctest.Real: no platform %q", platform)
	}
	r := &RealTenant{Platform: platform, vars: map[string]string{}, spec: spec}
	var required, missing, set []string
	for _, v := range spec.vars {
		name := RealEnv(platform, v.Name)
		val := strings.TrimSpace(os.Getenv(name))
		if !v.Optional {
			required = append(required, name)
			if val == "" {
				missing = append(missing, name)
			} else {
				set = append(set, name)
			}
		}
		if val != "" {
			r.vars[v.Name] = val
		}
	}
	if len(set) == 0 {
		return nil, fmt.Sprintf("set %s to run against %s (CONTRIBUTING.md, Running against a real tenant)", joinAnd(required), spec.what), nil
	}
	if len(missing) > 0 {
		return nil, "", fmt.Errorf("%s set but %s not: set all of %s to run against %s, or none to skip", joinAnd(set), joinAnd(missing), joinAnd(required), spec.what)
	}
	return r, "", nil
}

func joinAnd(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// Get is the value of one of the tenant's variables ("PROJECT_ID"), or
// def when an optional one is unset.
func (r *RealTenant) Get(name, def string) string {
	if v, ok := r.vars[name]; ok {
		return v
	}
	return def
}

// ProviderConfig is a provider block configuring only the tenant's
// platform, with the provider's default retries and rate limit.
func (r *RealTenant) ProviderConfig() string {
	var lines []string
	for _, v := range r.spec.vars {
		val, ok := r.vars[v.Name]
		if !ok || v.Attr == "" {
			continue
		}
		lines = append(lines, fmt.Sprintf("    %s = %q", v.Attr, val))
	}
	sort.Strings(lines)
	return fmt.Sprintf("\nprovider \"membership\" {\n  %s {\n%s\n  }\n}\n", r.Platform, strings.Join(lines, "\n"))
}

// Config joins the provider block with resource configuration.
func (r *RealTenant) Config(resources string) string { return r.ProviderConfig() + resources }

// Settings are the tenant's variables by name, for a test that builds an
// API client of its own (CheckDestroy, clean-up).
func (r *RealTenant) Settings() map[string]string {
	out := make(map[string]string, len(r.vars))
	for k, v := range r.vars {
		out[k] = v
	}
	return out
}

// UniqueEmail is an address no one has: tf-acc-<random>@<domain>, the
// domain from MEMBERSHIP_REAL_EMAIL_DOMAIN (example.com by default).
func UniqueEmail(t testing.TB) string {
	t.Helper()
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	domain := strings.TrimPrefix(strings.TrimSpace(os.Getenv(RealEmailDomainEnv)), "@")
	if domain == "" {
		domain = "example.com"
	}
	return "tf-acc-" + hex.EncodeToString(b) + "@" + strings.ToLower(domain)
}

// SandboxAsReal points a platform's MEMBERSHIP_REAL_* variables at the
// sandbox (endpoint and credentials, plus extra such as a project id) and
// returns the tenant: the real-tenant tests run against it in every `make
// test`, so that they keep working while no one runs them against a real
// account. It sets environment variables: not for parallel tests.
func (e *Env) SandboxAsReal(t testing.TB, platform string, extra map[string]string) *RealTenant {
	t.Helper()
	vars := map[string]string{}
	switch platform {
	case "smartdocumentor":
		vars = map[string]string{"ENDPOINT": e.URL + sandbox.PrefixSmartDocumentor, "CLIENT_ID": sandbox.SmartDocumentorClientID, "CLIENT_SECRET": sandbox.SmartDocumentorClientSecret}
	case "docspace":
		vars = map[string]string{"ENDPOINT": e.URL + sandbox.PrefixDocSpace, "TOKEN": sandbox.DocSpaceToken}
	case "attackforge":
		vars = map[string]string{"ENDPOINT": e.URL + sandbox.PrefixAttackForge, "API_KEY": sandbox.AttackForgeAPIKey}
	case "goldleaf":
		vars = map[string]string{"ENDPOINT": e.URL + sandbox.PrefixGoldLeaf, "API_KEY": sandbox.GoldLeafAPIKey, "NAME": sandbox.GoldLeafAPIKeyName}
	case "royalti":
		vars = map[string]string{"ENDPOINT": e.URL + sandbox.PrefixRoyalti, "TOKEN": sandbox.RoyaltiToken}
	}
	for k, v := range extra {
		vars[k] = v
	}
	for _, v := range realSpecs[platform].vars {
		t.Setenv(RealEnv(platform, v.Name), vars[v.Name])
	}
	return Real(t, platform)
}
