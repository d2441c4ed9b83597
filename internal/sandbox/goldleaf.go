package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// GoldLeaf emulates the GoldLeaf API under PrefixGoldLeaf, as
// API-NOTES.md and the vendor's invite page describe it:
//
//   - POST /security/v1/token {apiKey, name, grantType:"client_credentials"}
//     (strict shape) exchanges an API key for a security token. The answer is
//     {"data":{"securityToken":"...","expires":"<RFC 3339>"}}; the real API
//     has also been seen answering the flat {securityToken, expires}, which
//     SetFlatTokenResponse switches to. A wrong key or name is a 401.
//   - POST /api/v1/organization/users/invite {emailAddresses:[{email,
//     password}]} needs a valid bearer token (401 otherwise) issued to an
//     admin key (403 otherwise). Every entry is validated first (email syntax,
//     password policy: at least 8 characters, an upper-case and a lower-case
//     letter, a digit and a special character); any invalid entry fails the
//     whole request with a 400 naming the email and the rule, and nothing is
//     invited. An email that is already an active member of the organization
//     is a 400 too. The real API documents neither case; this is the
//     plausible choice. Inviting an email that is still only invited is
//     accepted and re-sends the invitation with the new password (a
//     replacement in Terraform does exactly that).
//
// There is no list, read or removal of users, as in the real API. Admin
// routes under /_admin/goldleaf let the demo look at and change users out
// of band: GET /_admin/goldleaf/users, DELETE /_admin/goldleaf/users/{email}
// and POST /_admin/goldleaf/users/{email}/activate.
type GoldLeaf struct {
	sb *Sandbox
	mu sync.Mutex

	users         map[string]*GoldLeafUser // by lower-case email
	tokens        map[string]goldLeafToken
	tokenTTL      time.Duration
	flatToken     bool
	lastPasswords map[string]string
	tokensIssued  int
}

// GoldLeafUser is a user of the emulated organization.
type GoldLeafUser struct {
	Email string `json:"email"`
	// Status is "invited" or "active".
	Status string `json:"status"`
	// PasswordSet says whether the last invitation carried a password.
	PasswordSet bool `json:"password_set"`
	// Invitations counts the invitations sent to this email.
	Invitations int `json:"invitations"`
}

type goldLeafToken struct {
	admin   bool
	expires time.Time
}

// goldLeafReadOnlyKey is an API key the sandbox accepts at the token
// endpoint but whose tokens may not invite (403): a non-admin key.
const (
	goldLeafReadOnlyKey     = "glkey-readonly-Z1x2c3v4b5"
	goldLeafReadOnlyKeyName = "reporting"
)

// GoldLeafReadOnlyKey returns the non-admin API key and its name, for
// tests of the 403 answer.
func GoldLeafReadOnlyKey() (key, name string) { return goldLeafReadOnlyKey, goldLeafReadOnlyKeyName }

// GoldLeafOwner is the seeded active member of the organization.
const GoldLeafOwner = "owner@goldleaf.example"

func newGoldLeaf(sb *Sandbox) *GoldLeaf {
	p := &GoldLeaf{sb: sb}
	p.reset()
	p.routes()
	return p
}

// reset restores the seed data: one active owner, nothing invited, the
// default one-hour token lifetime and the enveloped token answer.
func (p *GoldLeaf) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.users = map[string]*GoldLeafUser{
		GoldLeafOwner: {Email: GoldLeafOwner, Status: "active", PasswordSet: true},
	}
	p.tokens = map[string]goldLeafToken{}
	p.tokenTTL = time.Hour
	p.flatToken = false
	p.lastPasswords = map[string]string{}
	p.tokensIssued = 0
}

// SetTokenTTL sets the lifetime of the security tokens issued from now on
// (one hour by default), to test renewal.
func (p *GoldLeaf) SetTokenTTL(d time.Duration) {
	p.mu.Lock()
	p.tokenTTL = d
	p.mu.Unlock()
}

// SetFlatTokenResponse makes the token endpoint answer
// {securityToken, expires} instead of {data:{securityToken, expires}}.
func (p *GoldLeaf) SetFlatTokenResponse(flat bool) {
	p.mu.Lock()
	p.flatToken = flat
	p.mu.Unlock()
}

// RevokeTokens invalidates every issued security token.
func (p *GoldLeaf) RevokeTokens() {
	p.mu.Lock()
	p.tokens = map[string]goldLeafToken{}
	p.mu.Unlock()
}

// TokensIssued counts the security tokens issued since the last reset.
func (p *GoldLeaf) TokensIssued() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.tokensIssued
}

// IssuedTokens returns the security tokens that are still valid, for
// leak checks.
func (p *GoldLeaf) IssuedTokens() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]string, 0, len(p.tokens))
	for t := range p.tokens {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// Invited returns the users that are invited but not active, by lower-case
// email, each with whether their invitation carried a password.
func (p *GoldLeaf) Invited() map[string]bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string]bool{}
	for k, u := range p.users {
		if u.Status == "invited" {
			out[k] = u.PasswordSet
		}
	}
	return out
}

// Users returns every user of the organization, sorted by email.
func (p *GoldLeaf) Users() []GoldLeafUser {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]GoldLeafUser, 0, len(p.users))
	for _, u := range p.users {
		out = append(out, *u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Email < out[j].Email })
	return out
}

// User returns one user by email (any case).
func (p *GoldLeaf) User(email string) (GoldLeafUser, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	u, ok := p.users[strings.ToLower(email)]
	if !ok {
		return GoldLeafUser{}, false
	}
	return *u, true
}

// LastPasswords returns, by lower-case email, the password each accepted
// invitation request carried last ("" when it had none), so tests can
// check what the provider sent.
func (p *GoldLeaf) LastPasswords() map[string]string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[string]string, len(p.lastPasswords))
	for k, v := range p.lastPasswords {
		out[k] = v
	}
	return out
}

// RemoveUser deletes a user out of band (the API itself cannot).
func (p *GoldLeaf) RemoveUser(email string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	k := strings.ToLower(email)
	_, ok := p.users[k]
	delete(p.users, k)
	return ok
}

// ActivateUser marks an invited user as having accepted the invitation.
func (p *GoldLeaf) ActivateUser(email string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	u, ok := p.users[strings.ToLower(email)]
	if ok {
		u.Status = "active"
	}
	return ok
}

// GoldLeafPasswordProblem returns the first password policy rule pw
// breaks, or "".
func GoldLeafPasswordProblem(pw string) string {
	var upper, lower, digit, special bool
	for _, r := range pw {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsDigit(r):
			digit = true
		case !unicode.IsLetter(r) && !unicode.IsSpace(r):
			special = true
		}
	}
	switch {
	case utf8.RuneCountInString(pw) < 8:
		return "must be at least 8 characters long"
	case !upper:
		return "must contain at least one uppercase letter"
	case !lower:
		return "must contain at least one lowercase letter"
	case !digit:
		return "must contain at least one number"
	case !special:
		return "must contain at least one special character"
	}
	return ""
}

func goldLeafError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"statusCode": status, "message": msg})
}

func (p *GoldLeaf) routes() {
	p.sb.handle(PrefixGoldLeaf, "POST /security/v1/token", p.token)
	p.sb.handle(PrefixGoldLeaf, "POST /api/v1/organization/users/invite", p.invite)

	p.sb.adminHandle("GET /goldleaf/users", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, p.Users())
	})
	p.sb.adminHandle("DELETE /goldleaf/users/{email}", func(w http.ResponseWriter, r *http.Request) {
		if !p.RemoveUser(r.PathValue("email")) {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such user"})
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	p.sb.adminHandle("POST /goldleaf/users/{email}/activate", func(w http.ResponseWriter, r *http.Request) {
		if !p.ActivateUser(r.PathValue("email")) {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such user"})
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

func (p *GoldLeaf) token(w http.ResponseWriter, r *http.Request) {
	var body struct {
		APIKey    *string `json:"apiKey"`
		Name      *string `json:"name"`
		GrantType *string `json:"grantType"`
	}
	if err := decodeStrict(r, &body); err != nil {
		goldLeafError(w, http.StatusBadRequest, err.Error())
		return
	}
	if body.APIKey == nil || body.Name == nil || body.GrantType == nil {
		goldLeafError(w, http.StatusBadRequest, "apiKey, name and grantType are required")
		return
	}
	if *body.GrantType != "client_credentials" {
		goldLeafError(w, http.StatusBadRequest, "grantType must be client_credentials")
		return
	}
	var admin bool
	switch {
	case *body.APIKey == GoldLeafAPIKey && *body.Name == GoldLeafAPIKeyName:
		admin = true
	case *body.APIKey == goldLeafReadOnlyKey && *body.Name == goldLeafReadOnlyKeyName:
		admin = false
	default:
		goldLeafError(w, http.StatusUnauthorized, "Invalid API key or name")
		return
	}
	b := make([]byte, 16)
	rand.Read(b)
	tok := "glst-" + hex.EncodeToString(b)
	p.mu.Lock()
	exp := time.Now().Add(p.tokenTTL)
	p.tokens[tok] = goldLeafToken{admin: admin, expires: exp}
	p.tokensIssued++
	flat := p.flatToken
	p.mu.Unlock()
	inner := map[string]string{"securityToken": tok, "expires": exp.UTC().Format(time.RFC3339Nano)}
	if flat {
		writeJSON(w, http.StatusOK, inner)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": inner})
}

func (p *GoldLeaf) invite(w http.ResponseWriter, r *http.Request) {
	tok := bearer(r)
	p.mu.Lock()
	t, ok := p.tokens[tok]
	p.mu.Unlock()
	if tok == "" || !ok || time.Now().After(t.expires) {
		goldLeafError(w, http.StatusUnauthorized, "Unauthorized: missing, invalid or expired security token")
		return
	}
	if !t.admin {
		goldLeafError(w, http.StatusForbidden, "Forbidden: inviting users requires the admin role")
		return
	}
	var body struct {
		EmailAddresses []struct {
			Email    *string `json:"email"`
			Password *string `json:"password"`
		} `json:"emailAddresses"`
	}
	if err := decodeStrict(r, &body); err != nil {
		goldLeafError(w, http.StatusBadRequest, err.Error())
		return
	}
	if len(body.EmailAddresses) == 0 {
		goldLeafError(w, http.StatusBadRequest, "emailAddresses must list at least one user")
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	var problems []string
	seen := map[string]bool{}
	for i, e := range body.EmailAddresses {
		if e.Email == nil || *e.Email == "" {
			problems = append(problems, fmt.Sprintf("emailAddresses[%d].email is required", i))
			continue
		}
		email := *e.Email
		if !validEmail(email) {
			problems = append(problems, fmt.Sprintf("%s is not a valid email address", email))
			continue
		}
		k := strings.ToLower(email)
		if seen[k] {
			problems = append(problems, fmt.Sprintf("%s is listed twice", email))
		}
		seen[k] = true
		if u, ok := p.users[k]; ok && u.Status == "active" {
			problems = append(problems, fmt.Sprintf("%s is already a member of the organization", email))
		}
		if e.Password != nil {
			if why := GoldLeafPasswordProblem(*e.Password); why != "" {
				problems = append(problems, fmt.Sprintf("password for %s %s", email, why))
			}
		}
	}
	if len(problems) > 0 {
		goldLeafError(w, http.StatusBadRequest, strings.Join(problems, "; "))
		return
	}
	for _, e := range body.EmailAddresses {
		k := strings.ToLower(*e.Email)
		u, ok := p.users[k]
		if !ok {
			u = &GoldLeafUser{Email: *e.Email, Status: "invited"}
			p.users[k] = u
		}
		u.Invitations++
		u.PasswordSet = e.Password != nil && *e.Password != ""
		if e.Password != nil {
			p.lastPasswords[k] = *e.Password
		} else {
			p.lastPasswords[k] = ""
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"message": "Invitations sent successfully"})
}
