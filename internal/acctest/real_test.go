package acctest

import (
	"strings"
	"testing"
)

// No variable: skipped, naming every required one. Some: an error naming
// the missing ones. All: the tenant, secrets kept out of the configuration.
func TestResolveReal(t *testing.T) {
	for _, v := range realSpecs["docspace"].vars {
		t.Setenv(RealEnv("docspace", v.Name), "")
	}
	_, skip, err := resolveReal("docspace")
	if err != nil || skip != "set MEMBERSHIP_REAL_DOCSPACE_ENDPOINT and MEMBERSHIP_REAL_DOCSPACE_TOKEN to run against a real ONLYOFFICE DocSpace portal (CONTRIBUTING.md, Running against a real tenant)" {
		t.Fatalf("skip %q, err %v", skip, err)
	}
	t.Setenv("MEMBERSHIP_REAL_DOCSPACE_ENDPOINT", "https://portal.example.com")
	if _, _, err := resolveReal("docspace"); err == nil || !strings.Contains(err.Error(), "MEMBERSHIP_REAL_DOCSPACE_TOKEN not") {
		t.Fatalf("partial configuration: %v", err)
	}
	t.Setenv("MEMBERSHIP_REAL_DOCSPACE_TOKEN", "real-token-123456")
	r, skip, err := resolveReal("docspace")
	if err != nil || skip != "" {
		t.Fatalf("skip %q, err %v", skip, err)
	}
	cfg := r.ProviderConfig()
	if !strings.Contains(cfg, `endpoint = "https://portal.example.com"`) || strings.Contains(cfg, "real-token-123456") {
		t.Fatalf("provider configuration:\n%s", cfg)
	}
	if e := UniqueEmail(t); !strings.HasPrefix(e, "tf-acc-") || !strings.HasSuffix(e, "@example.com") {
		t.Fatalf("unique email %q", e)
	}
	t.Setenv(RealEmailDomainEnv, "@Test.Example.org")
	if e := UniqueEmail(t); !strings.HasSuffix(e, "@test.example.org") || e == UniqueEmail(t) {
		t.Fatalf("unique email %q", e)
	}
}
