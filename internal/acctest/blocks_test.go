package acctest

import (
	"strings"
	"testing"
)

func TestInBlock(t *testing.T) {
	e := &Env{URL: "http://127.0.0.1:1"}
	cfg := e.ProviderConfig()
	if n := strings.Count(cfg, "requests_per_second = 100000"); n != len(platforms) {
		t.Fatalf("%d platform blocks with the test rate limit, want %d:\n%s", n, len(platforms), cfg)
	}
	cfg = InBlock(cfg, "docspace", "requests_per_second = 2", "burst = 1")
	ds := cfg[strings.Index(cfg, "  docspace {"):]
	ds = ds[:strings.Index(ds, "\n  }")]
	for _, want := range []string{"token", "requests_per_second = 2\n", "burst = 1"} {
		if !strings.Contains(ds+"\n", want) {
			t.Fatalf("docspace block lacks %q:\n%s", want, ds)
		}
	}
	if strings.Count(ds, "requests_per_second") != 1 || strings.Count(ds, "burst") != 1 {
		t.Fatalf("an attribute set twice:\n%s", ds)
	}
	if d := WithDefaultRateLimits(e.ProviderConfig()); strings.Contains(d, "requests_per_second") || strings.Contains(d, "burst") {
		t.Fatalf("test rate limits left:\n%s", d)
	}
}
