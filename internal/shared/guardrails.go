package shared

import (
	"fmt"
	"path"
	"strings"
)

// DefaultMaxRemovals is how many people one plan of one authoritative
// resource may remove when neither the resource (max_removals) nor the
// provider sets a limit.
const DefaultMaxRemovals = 10

// Guardrails are the provider's rules on removals, checked at plan time
// (see docs/guides/authoritative-resources.md).
type Guardrails struct {
	// MaxRemovals is the most people one plan of one authoritative
	// resource may remove; a resource's own max_removals overrides it.
	// Nil means DefaultMaxRemovals.
	MaxRemovals *int64
	// Protected are email addresses or patterns (path.Match syntax: *, ?
	// and [...], compared without regard to letter case) of people the
	// provider never removes.
	Protected []string
}

// Limit is the removal limit of a resource: its own when set, else the
// provider's, else DefaultMaxRemovals.
func (g Guardrails) Limit(own *int64) int64 {
	switch {
	case own != nil:
		return *own
	case g.MaxRemovals != nil:
		return *g.MaxRemovals
	}
	return DefaultMaxRemovals
}

// GuardrailsOf returns the provider's guardrails from the provider data a
// resource's Configure gets (zero before the provider is configured).
func GuardrailsOf(providerData any) Guardrails {
	if d, ok := providerData.(*ProviderData); ok && d != nil {
		return d.Guardrails
	}
	return Guardrails{}
}

// Protects returns why the member with this key (an email; other keys
// never match) is protected by the provider's protected_members, or "".
func (g Guardrails) Protects(key string) string {
	if !strings.Contains(key, "@") {
		return ""
	}
	email := NormalizeEmail(key)
	for _, p := range g.Protected {
		if ok, _ := path.Match(NormalizeEmail(p), email); ok {
			return fmt.Sprintf("protected by the provider's protected_members (%q)", p)
		}
	}
	return ""
}

// ProtectedPatternError says what is wrong with a protected_members entry,
// or "" when it is a valid email address or pattern.
func ProtectedPatternError(p string) string {
	p = strings.TrimSpace(p)
	switch {
	case p == "":
		return "is empty"
	case !strings.Contains(p, "@"):
		return "must be an email address or a pattern of email addresses such as *@example.com (it has no @)"
	}
	if _, err := path.Match(NormalizeEmail(p), ""); err != nil {
		return "is not a valid pattern (use *, ? and [...]): " + err.Error()
	}
	return ""
}

// ProtectedKeptAccess is, for a per-member resource, what its destroy (or
// a replacement by another member) leaves of a member the provider's
// protected_members protect: they keep their access and Terraform only
// forgets them. ok is false when the member is not protected.
func (g Guardrails) ProtectedKeptAccess(email, where, title string) (k KeptAccess, ok bool) {
	why := g.Protects(email)
	if why == "" {
		return KeptAccess{}, false
	}
	return KeptAccess{Where: where, People: []string{email}, Why: "they are " + why,
		Remove: "take them out of protected_members first, or remove them by hand in " + title}, true
}
