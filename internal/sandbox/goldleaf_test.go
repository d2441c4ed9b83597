package sandbox_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

type glEnv struct {
	t   *testing.T
	sb  *sandbox.Sandbox
	url string
}

func newGL(t *testing.T) *glEnv {
	t.Helper()
	sb := sandbox.New()
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	return &glEnv{t: t, sb: sb, url: srv.URL + sandbox.PrefixGoldLeaf}
}

func (e *glEnv) post(path, token, body string) (int, map[string]any) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.url+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(bytes.TrimSpace(b)) > 0 {
		if err := json.Unmarshal(b, &out); err != nil {
			e.t.Fatalf("%s answered non-JSON %q", path, b)
		}
	}
	return resp.StatusCode, out
}

func (e *glEnv) token(key, name string) string {
	e.t.Helper()
	body, _ := json.Marshal(map[string]string{"apiKey": key, "name": name, "grantType": "client_credentials"})
	st, out := e.post("/security/v1/token", "", string(body))
	if st != http.StatusOK {
		e.t.Fatalf("token: HTTP %d %v", st, out)
	}
	data, _ := out["data"].(map[string]any)
	tok, _ := data["securityToken"].(string)
	exp, _ := data["expires"].(string)
	if tok == "" {
		e.t.Fatalf("no data.securityToken in %v", out)
	}
	if _, err := time.Parse(time.RFC3339, exp); err != nil {
		e.t.Fatalf("data.expires %q is not RFC 3339", exp)
	}
	return tok
}

func (e *glEnv) adminToken() string {
	return e.token(sandbox.GoldLeafAPIKey, sandbox.GoldLeafAPIKeyName)
}

const glInvite = "/api/v1/organization/users/invite"

func TestGoldLeafToken(t *testing.T) {
	e := newGL(t)
	e.adminToken()
	if n := e.sb.GoldLeaf.TokensIssued(); n != 1 {
		t.Fatalf("TokensIssued = %d, want 1", n)
	}
	cases := []struct {
		name, body string
		want       int
	}{
		{"wrong key", `{"apiKey":"nope","name":"terraform","grantType":"client_credentials"}`, 401},
		{"wrong name", `{"apiKey":"` + sandbox.GoldLeafAPIKey + `","name":"other","grantType":"client_credentials"}`, 401},
		{"wrong grant", `{"apiKey":"` + sandbox.GoldLeafAPIKey + `","name":"terraform","grantType":"password"}`, 400},
		{"missing grant", `{"apiKey":"` + sandbox.GoldLeafAPIKey + `","name":"terraform"}`, 400},
		{"unknown field", `{"apiKey":"` + sandbox.GoldLeafAPIKey + `","name":"terraform","grantType":"client_credentials","scope":"x"}`, 400},
		{"not json", `apiKey=x`, 400},
	}
	for _, c := range cases {
		if st, out := e.post("/security/v1/token", "", c.body); st != c.want {
			t.Errorf("%s: HTTP %d %v, want %d", c.name, st, out, c.want)
		} else if msg, _ := out["message"].(string); msg == "" {
			t.Errorf("%s: no message in %v", c.name, out)
		}
	}
}

func TestGoldLeafTokenFlatShape(t *testing.T) {
	e := newGL(t)
	e.sb.GoldLeaf.SetFlatTokenResponse(true)
	st, out := e.post("/security/v1/token", "", `{"apiKey":"`+sandbox.GoldLeafAPIKey+`","name":"terraform","grantType":"client_credentials"}`)
	if st != 200 || out["securityToken"] == nil || out["expires"] == nil || out["data"] != nil {
		t.Fatalf("flat answer: HTTP %d %v", st, out)
	}
}

func TestGoldLeafInvite(t *testing.T) {
	e := newGL(t)
	tok := e.adminToken()
	st, out := e.post(glInvite, tok, `{"emailAddresses":[{"email":"Jane@Example.com","password":"Str0ng!pass"},{"email":"bob@example.com"}]}`)
	if st != 200 {
		t.Fatalf("invite: HTTP %d %v", st, out)
	}
	inv := e.sb.GoldLeaf.Invited()
	if len(inv) != 2 || !inv["jane@example.com"] || inv["bob@example.com"] {
		t.Fatalf("Invited() = %v", inv)
	}
	if pw := e.sb.GoldLeaf.LastPasswords()["jane@example.com"]; pw != "Str0ng!pass" {
		t.Fatalf("LastPasswords = %q", pw)
	}
	// Re-inviting an invited user re-sends the invitation.
	if st, out := e.post(glInvite, tok, `{"emailAddresses":[{"email":"jane@example.com","password":"N3w!passw"}]}`); st != 200 {
		t.Fatalf("re-invite: HTTP %d %v", st, out)
	}
	if u, _ := e.sb.GoldLeaf.User("JANE@example.com"); u.Invitations != 2 || u.Status != "invited" {
		t.Fatalf("user after re-invite = %+v", u)
	}
	if pw := e.sb.GoldLeaf.LastPasswords()["jane@example.com"]; pw != "N3w!passw" {
		t.Fatalf("LastPasswords after re-invite = %q", pw)
	}
}

func TestGoldLeafInviteRejects(t *testing.T) {
	e := newGL(t)
	tok := e.adminToken()
	cases := []struct {
		name, body string
		want       int
		msg        string
	}{
		{"bad email", `{"emailAddresses":[{"email":"not-an-email"}]}`, 400, "not-an-email"},
		{"short", `{"emailAddresses":[{"email":"a@example.com","password":"Ab1!"}]}`, 400, "8 characters"},
		{"no upper", `{"emailAddresses":[{"email":"a@example.com","password":"abcdef1!"}]}`, 400, "uppercase"},
		{"no lower", `{"emailAddresses":[{"email":"a@example.com","password":"ABCDEF1!"}]}`, 400, "lowercase"},
		{"no digit", `{"emailAddresses":[{"email":"a@example.com","password":"Abcdefg!"}]}`, 400, "number"},
		{"no special", `{"emailAddresses":[{"email":"a@example.com","password":"Abcdefg1"}]}`, 400, "special"},
		{"member", `{"emailAddresses":[{"email":"` + sandbox.GoldLeafOwner + `"}]}`, 400, "already a member"},
		{"twice", `{"emailAddresses":[{"email":"a@example.com"},{"email":"A@example.com"}]}`, 400, "twice"},
		{"empty", `{"emailAddresses":[]}`, 400, "at least one"},
		{"missing email", `{"emailAddresses":[{"password":"Str0ng!pass"}]}`, 400, "email is required"},
		{"unknown field", `{"emailAddresses":[{"email":"a@example.com","role":"admin"}]}`, 400, "shape"},
		{"wrong shape", `{"emails":["a@example.com"]}`, 400, "shape"},
		{"one bad in batch", `{"emailAddresses":[{"email":"ok@example.com"},{"email":"b@example.com","password":"weak"}]}`, 400, "b@example.com"},
	}
	for _, c := range cases {
		st, out := e.post(glInvite, tok, c.body)
		msg, _ := out["message"].(string)
		if st != c.want || !strings.Contains(msg, c.msg) {
			t.Errorf("%s: HTTP %d %q, want %d with %q", c.name, st, msg, c.want, c.msg)
		}
		if strings.Contains(msg, "weak") || strings.Contains(msg, "Ab1!") {
			t.Errorf("%s: the message echoes the password: %q", c.name, msg)
		}
	}
	if inv := e.sb.GoldLeaf.Invited(); len(inv) != 0 {
		t.Fatalf("a rejected request invited %v", inv)
	}
}

func TestGoldLeafInviteAuth(t *testing.T) {
	e := newGL(t)
	body := `{"emailAddresses":[{"email":"a@example.com"}]}`
	if st, _ := e.post(glInvite, "", body); st != 401 {
		t.Errorf("no token: HTTP %d, want 401", st)
	}
	if st, _ := e.post(glInvite, "glst-forged", body); st != 401 {
		t.Errorf("forged token: HTTP %d, want 401", st)
	}
	if st, _ := e.post(glInvite, sandbox.GoldLeafAPIKey, body); st != 401 {
		t.Errorf("API key as bearer: HTTP %d, want 401", st)
	}
	key, name := sandbox.GoldLeafReadOnlyKey()
	if st, out := e.post(glInvite, e.token(key, name), body); st != 403 || !strings.Contains(out["message"].(string), "admin") {
		t.Errorf("non-admin key: HTTP %d %v, want 403 naming admin", st, out)
	}
	tok := e.adminToken()
	e.sb.GoldLeaf.RevokeTokens()
	if st, _ := e.post(glInvite, tok, body); st != 401 {
		t.Errorf("revoked token: HTTP %d, want 401", st)
	}
	e.sb.GoldLeaf.SetTokenTTL(time.Millisecond)
	tok = e.adminToken()
	time.Sleep(5 * time.Millisecond)
	if st, _ := e.post(glInvite, tok, body); st != 401 {
		t.Errorf("expired token: HTTP %d, want 401", st)
	}
	if inv := e.sb.GoldLeaf.Invited(); len(inv) != 0 {
		t.Fatalf("an unauthorized request invited %v", inv)
	}
}

func TestGoldLeafAdminRoutes(t *testing.T) {
	e := newGL(t)
	tok := e.adminToken()
	e.post(glInvite, tok, `{"emailAddresses":[{"email":"a@example.com"},{"email":"b@example.com"}]}`)
	base := strings.TrimSuffix(e.url, sandbox.PrefixGoldLeaf)
	resp, err := http.Get(base + "/_admin/goldleaf/users")
	if err != nil {
		t.Fatal(err)
	}
	var users []sandbox.GoldLeafUser
	json.NewDecoder(resp.Body).Decode(&users)
	resp.Body.Close()
	if len(users) != 3 {
		t.Fatalf("users = %+v, want owner + 2", users)
	}
	req, _ := http.NewRequest(http.MethodDelete, base+"/_admin/goldleaf/users/a@example.com", nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 204 {
		t.Fatalf("DELETE: %v %v", resp, err)
	}
	if resp, err := http.Post(base+"/_admin/goldleaf/users/B@example.com/activate", "", nil); err != nil || resp.StatusCode != 204 {
		t.Fatalf("activate: %v %v", resp, err)
	}
	if resp, _ := http.Post(base+"/_admin/goldleaf/users/nobody@example.com/activate", "", nil); resp.StatusCode != 404 {
		t.Fatalf("activate unknown: %d", resp.StatusCode)
	}
	if inv := e.sb.GoldLeaf.Invited(); len(inv) != 0 {
		t.Fatalf("Invited() = %v after removal and activation", inv)
	}
	if st, _ := e.post(glInvite, tok, `{"emailAddresses":[{"email":"b@example.com"}]}`); st != 400 {
		t.Fatalf("inviting an active member: HTTP %d, want 400", st)
	}
	if n := e.sb.Count("goldleaf", "POST "+glInvite); n != 2 {
		t.Fatalf("Count = %d", n)
	}
}

func TestGoldLeafPasswordProblem(t *testing.T) {
	for pw, want := range map[string]string{
		"Str0ng!pass": "", "Ab1!": "8 characters", "abcdef1!": "uppercase", "ABCDEF1!": "lowercase",
		"Abcdefg!": "number", "Abcdefg1": "special", "Abcdef 1": "special", "Ünïcödé1€": "",
	} {
		got := sandbox.GoldLeafPasswordProblem(pw)
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("GoldLeafPasswordProblem(%q) = %q, want %q", pw, got, want)
		}
	}
}
