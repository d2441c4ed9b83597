package acctest

import (
	"strings"
)

// platforms are the provider's platform blocks, in ProviderConfig's order.
var platforms = []string{"smartdocumentor", "docspace", "attackforge", "goldleaf", "royalti"}

// TestRateLimit is the client-side rate limit ProviderConfig sets in every
// platform block: high enough never to pace a test. The tests assert
// request counts at the pace Terraform sets, and the defaults (45 a second
// for DocSpace, 10 elsewhere) would pace the sandbox, which answers at
// once, and change how creates and destroys gather into batches. Tests of
// the pacing set their own (InBlock) or drop these (WithDefaultRateLimits).
var TestRateLimit = []string{"requests_per_second = 100000", "burst = 100000"}

// withTestRateLimits adds TestRateLimit to every platform block.
func withTestRateLimits(config string) string {
	for _, p := range platforms {
		config = InBlock(config, p, TestRateLimit...)
	}
	return config
}

// WithDefaultRateLimits removes TestRateLimit from a configuration written
// by ProviderConfig: the provider's own defaults apply again.
func WithDefaultRateLimits(config string) string {
	for _, l := range TestRateLimit {
		config = strings.ReplaceAll(config, "    "+l+"\n", "")
	}
	return config
}

// InBlock sets attributes inside one platform block ("docspace") of a
// provider configuration written by ProviderConfig: settings such as
// requests_per_second that live in the platform's block. Each line is
// "name = value"; a line already in the block for the same name is
// replaced. It panics when the configuration has no such block (a broken
// test).
func InBlock(config, platform string, lines ...string) string {
	open := "\n  " + platform + " {\n"
	start := strings.Index(config, open)
	if start < 0 {
		panic("acctest.InBlock: no " + platform + " block in the provider configuration")
	}
	start += len(open)
	end := strings.Index(config[start:], "\n  }")
	if end < 0 {
		panic("acctest.InBlock: the " + platform + " block does not end")
	}
	end += start + 1 // keep the newline before the closing brace
	names := map[string]bool{}
	for _, l := range lines {
		names[attrName(l)] = true
	}
	var body strings.Builder
	for _, l := range strings.SplitAfter(config[start:end], "\n") {
		if l != "" && !names[attrName(l)] {
			body.WriteString(l)
		}
	}
	for _, l := range lines {
		body.WriteString("    " + strings.TrimSpace(l) + "\n")
	}
	return config[:start] + body.String() + config[end:]
}

func attrName(line string) string {
	name, _, _ := strings.Cut(line, "=")
	return strings.TrimSpace(name)
}
