package shared

import (
	"encoding/json"
	"net/url"
	"sort"
	"strings"
	"sync"
)

// The secret registry is process-wide: every credential the provider is
// configured with or obtains (API keys, tokens, client secrets, auth keys,
// exchanged security tokens, OAuth2 access tokens) and every write-only
// value it sends (passwords) is registered here, and every string that
// leaves the provider — diagnostics, warnings, TRACE lines, errors of
// libraries such as golang.org/x/oauth2 — is passed through RedactSecrets.
var secretRegistry struct {
	mu   sync.RWMutex
	set  map[string]struct{}
	list []string // longest first, so a secret containing another goes first
}

// minSecretLen is the shortest value registered: shorter ones would
// redact ordinary words.
const minSecretLen = 4

// RegisterSecret adds values (and the forms a server may echo them in:
// URL query and path escaped, JSON escaped) to the process-wide registry.
// Empty and very short values are ignored.
func RegisterSecret(values ...string) {
	var forms []string
	for _, v := range values {
		if len(v) < minSecretLen {
			continue
		}
		forms = append(forms, v, url.QueryEscape(v), url.PathEscape(v))
		if b, err := json.Marshal(v); err == nil {
			forms = append(forms, strings.Trim(string(b), `"`))
		}
	}
	if len(forms) == 0 {
		return
	}
	secretRegistry.mu.Lock()
	defer secretRegistry.mu.Unlock()
	if secretRegistry.set == nil {
		secretRegistry.set = map[string]struct{}{}
	}
	added := false
	for _, f := range forms {
		if _, ok := secretRegistry.set[f]; ok || len(f) < minSecretLen {
			continue
		}
		secretRegistry.set[f] = struct{}{}
		secretRegistry.list = append(secretRegistry.list, f)
		added = true
	}
	if added {
		sort.SliceStable(secretRegistry.list, func(i, j int) bool {
			return len(secretRegistry.list[i]) > len(secretRegistry.list[j])
		})
	}
}

// RedactSecrets replaces every registered secret in s, and any bearer or
// basic credential, with [REDACTED].
func RedactSecrets(s string) string {
	if s == "" {
		return s
	}
	secretRegistry.mu.RLock()
	for _, secret := range secretRegistry.list {
		if strings.Contains(s, secret) {
			s = strings.ReplaceAll(s, secret, redacted)
		}
	}
	secretRegistry.mu.RUnlock()
	return bearerRe.ReplaceAllStringFunc(s, func(m string) string {
		f := strings.Fields(m)
		scheme, cred := f[0], f[len(f)-1]
		// A credential, not prose ("a valid bearer token is required"):
		// long enough and not a plain lower-case word.
		if len(cred) < 8 || strings.Trim(cred, "abcdefghijklmnopqrstuvwxyz") == "" {
			return m
		}
		return scheme + " " + redacted
	})
}

// registerCredentialHeaders registers the credentials an outgoing request
// carries in its headers (Authorization, API key headers, cookies), so that
// tokens obtained at run time are redacted like configured ones.
func registerCredentialHeaders(h map[string][]string) {
	for k, vs := range h {
		lk := strings.ToLower(k)
		if !IsSensitiveKey(lk) {
			continue
		}
		for _, v := range vs {
			switch lk {
			case "authorization":
				if _, tok, ok := strings.Cut(v, " "); ok {
					RegisterSecret(strings.TrimSpace(tok))
				}
				RegisterSecret(v)
			case "cookie":
				for _, c := range strings.Split(v, ";") {
					if _, val, ok := strings.Cut(c, "="); ok {
						RegisterSecret(strings.TrimSpace(val))
					}
				}
			case "set-cookie":
				if first, _, _ := strings.Cut(v, ";"); first != "" {
					if _, val, ok := strings.Cut(first, "="); ok {
						RegisterSecret(strings.TrimSpace(val))
					}
				}
			default:
				RegisterSecret(v)
			}
		}
	}
}
