package sandbox_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

type afClient struct {
	t   *testing.T
	srv *httptest.Server
	key string
}

func newAF(t *testing.T) (*afClient, *sandbox.Sandbox) {
	sb := sandbox.New()
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	return &afClient{t: t, srv: srv, key: sandbox.AttackForgeAPIKey}, sb
}

// do sends a request and decodes the JSON answer into a generic value.
func (c *afClient) do(method, path, body string) (int, map[string]any) {
	c.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, c.srv.URL+sandbox.PrefixAttackForge+path, rd)
	if c.key != "" {
		req.Header.Set("X-SSAPI-KEY", c.key)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	b, _ := io.ReadAll(resp.Body)
	if len(b) > 0 {
		if err := json.Unmarshal(b, &out); err != nil {
			c.t.Fatalf("%s %s: answer is not a JSON object: %s", method, path, b)
		}
	}
	return resp.StatusCode, out
}

func results(t *testing.T, body map[string]any) []map[string]any {
	t.Helper()
	list, ok := body["result"].([]any)
	if !ok {
		t.Fatalf("no result array in %v", body)
	}
	out := make([]map[string]any, len(list))
	for i, v := range list {
		out[i] = v.(map[string]any)
	}
	return out
}

const (
	afNet  = "/api/ss/project/" + sandbox.AFProjectNetwork
	afWeb  = "/api/ss/project/" + sandbox.AFProjectWebApp
	afNone = "/api/ss/project/650f1707c66ef8821d35eeff"
)

func TestAttackForgeAuth(t *testing.T) {
	c, _ := newAF(t)
	for _, key := range []string{"", "wrong"} {
		c.key = key
		for _, r := range [][2]string{
			{"GET", "/api/ss/users"}, {"GET", "/api/ss/users/email/alice@example.com"}, {"GET", "/api/ss/users/username/alice"},
			{"GET", "/api/ss/user/" + sandbox.AFUserAlice + "/projects"}, {"POST", afNet + "/team/invite"},
			{"PUT", afNet + "/team/remove"}, {"PUT", afNet + "/access/" + sandbox.AFUserAlice},
		} {
			if st, body := c.do(r[0], r[1], `{}`); st != http.StatusUnauthorized || body["error"] == nil {
				t.Errorf("%s %s with key %q: %d %v", r[0], r[1], key, st, body)
			}
		}
	}
}

func TestAttackForgeInvite(t *testing.T) {
	c, sb := newAF(t)
	st, body := c.do("POST", afNet+"/team/invite", `{"users":[
		{"user":"Alice@Example.com","accessLevel":"View"},
		{"user":"`+sandbox.AFUserBob+`","accessLevel":"Edit","role":"Pentester"},
		{"user":"ghost@example.com","accessLevel":"View"},
		{"user":"carol@example.com","accessLevel":"Admin"},
		{"user":"dave","accessLevel":"View","role":"Hacker"}]}`)
	if st != http.StatusOK {
		t.Fatalf("status %d %v", st, body)
	}
	rs := results(t, body)
	if len(rs) != 5 {
		t.Fatalf("%d results", len(rs))
	}
	want := []map[string]any{
		{"userId": sandbox.AFUserAlice, "username": "alice", "email": "alice@example.com", "accessLevel": "View", "status": "Invited"},
		{"userId": sandbox.AFUserBob, "username": "bob", "email": "bob@example.com", "accessLevel": "Edit", "status": "Invited"},
		{"user": "ghost@example.com", "status": "User Not Found"},
		{"user": "carol@example.com", "status": "Invalid accessLevel"},
		{"user": "dave", "status": "Invalid role"},
	}
	for i, w := range want {
		if len(rs[i]) != len(w) {
			t.Errorf("result %d: %v, want %v", i, rs[i], w)
		}
		for k, v := range w {
			if rs[i][k] != v {
				t.Errorf("result %d: %s = %v, want %v", i, k, rs[i][k], v)
			}
		}
	}
	if m, ok := sb.AttackForge.Member(sandbox.AFProjectNetwork, "bob"); !ok || m.AccessLevel != "Edit" || m.ProjectRole != "Pentester" {
		t.Errorf("bob: %+v %v", m, ok)
	}
	if len(sb.AttackForge.Team(sandbox.AFProjectNetwork)) != 2 {
		t.Errorf("team: %v", sb.AttackForge.Team(sandbox.AFProjectNetwork))
	}
	// Bad shapes and an unknown project.
	for _, b := range []string{`{}`, `{"users":[]}`, `{"users":[{"user":"bob","accessLevel":"View","extra":1}]}`, `{"emails":["bob"]}`, `[`} {
		if st, _ := c.do("POST", afNet+"/team/invite", b); st != http.StatusBadRequest {
			t.Errorf("invite %s: %d, want 400", b, st)
		}
	}
	if st, _ := c.do("POST", afNone+"/team/invite", `{"users":[{"user":"bob","accessLevel":"View"}]}`); st != http.StatusNotFound {
		t.Errorf("unknown project: %d", st)
	}
}

func TestAttackForgeAccessAndRemove(t *testing.T) {
	c, sb := newAF(t)
	frank := sandbox.AFUserFrank
	if st, body := c.do("PUT", afWeb+"/access/"+frank, `{"update":"View"}`); st != 200 || body["status"] != "User Access Updated" {
		t.Fatalf("access update: %d %v", st, body)
	}
	if m, _ := sb.AttackForge.Member(sandbox.AFProjectWebApp, frank); m.AccessLevel != "View" {
		t.Errorf("frank: %+v", m)
	}
	if st, _ := c.do("PUT", afWeb+"/access/"+frank, `{"update":"Owner"}`); st != 400 {
		t.Errorf("invalid level: %d", st)
	}
	if st, _ := c.do("PUT", afWeb+"/access/"+frank, `{"accessLevel":"View"}`); st != 400 {
		t.Errorf("bad shape: %d", st)
	}
	if st, _ := c.do("PUT", afWeb+"/access/"+sandbox.AFUserAlice, `{"update":"View"}`); st != 404 {
		t.Errorf("not a member: %d", st)
	}
	if st, _ := c.do("PUT", afNone+"/access/"+frank, `{"update":"View"}`); st != 404 {
		t.Errorf("unknown project: %d", st)
	}

	st, body := c.do("PUT", afWeb+"/team/remove", `{"users":["`+frank+`","alice","ghost"]}`)
	if st != 200 {
		t.Fatalf("remove: %d %v", st, body)
	}
	rs := results(t, body)
	if rs[0]["status"] != "Removed" || rs[0]["userId"] != frank || rs[0]["email"] != "frank@example.com" || rs[0]["username"] != "frank" {
		t.Errorf("frank: %v", rs[0])
	}
	if rs[1]["status"] == "Removed" || rs[2]["status"] != "User Not Found" || rs[2]["user"] != "ghost" {
		t.Errorf("others: %v", rs[1:])
	}
	if len(sb.AttackForge.Team(sandbox.AFProjectWebApp)) != 0 {
		t.Error("frank still on the team")
	}
	for _, b := range []string{`{}`, `{"users":[]}`, `{"users":[{"user":"bob"}]}`, `{"users":["bob"],"x":1}`} {
		if st, _ := c.do("PUT", afWeb+"/team/remove", b); st != 400 {
			t.Errorf("remove %s: %d, want 400", b, st)
		}
	}
	if st, _ := c.do("PUT", afNone+"/team/remove", `{"users":["bob"]}`); st != 404 {
		t.Errorf("unknown project: %d", st)
	}
}

func TestAttackForgeUsers(t *testing.T) {
	c, sb := newAF(t)
	st, body := c.do("GET", "/api/ss/users/email/ALICE@example.com", "")
	u, _ := body["user"].(map[string]any)
	if st != 200 || u["id"] != sandbox.AFUserAlice || u["email_address"] != "alice@example.com" || u["username"] != "alice" || u["first_name"] != "Alice" || u["status"] != "Active" {
		t.Errorf("by email: %d %v", st, body)
	}
	st, body = c.do("GET", "/api/ss/users/username/bob", "")
	if u, _ := body["user"].(map[string]any); st != 200 || u["id"] != sandbox.AFUserBob {
		t.Errorf("by username: %d %v", st, body)
	}
	if st, _ := c.do("GET", "/api/ss/users/email/nobody@example.com", ""); st != 404 {
		t.Errorf("unknown email: %d", st)
	}
	if st, _ := c.do("GET", "/api/ss/users/username/nobody", ""); st != 404 {
		t.Errorf("unknown username: %d", st)
	}
	st, body = c.do("GET", "/api/ss/users", "")
	if users, _ := body["users"].([]any); st != 200 || body["count"] != float64(11) || len(users) != 11 {
		t.Errorf("all users: %d %v", st, body)
	}
	st, body = c.do("GET", "/api/ss/users?email=carol@example.com", "")
	if users, _ := body["users"].([]any); st != 200 || body["count"] != float64(1) || len(users) != 1 {
		t.Errorf("users?email: %d %v", st, body)
	}

	// Projects of a user, shaped like the sibling project endpoints: no
	// per-user access level or project role.
	st, body = c.do("GET", "/api/ss/user/"+sandbox.AFUserFrank+"/projects", "")
	ps, _ := body["projects"].([]any)
	if st != 200 || len(ps) != 1 || body["count"] != float64(1) {
		t.Fatalf("frank's projects: %d %v", st, body)
	}
	p := ps[0].(map[string]any)
	if p["project_id"] != sandbox.AFProjectWebApp || p["project_name"] != "Web App Pentest" {
		t.Errorf("frank's project: %v", p)
	}
	for k := range p {
		if strings.Contains(k, "access") || strings.Contains(k, "role") {
			t.Errorf("frank's project has %q, which the vendor documents nowhere: %v", k, p)
		}
	}
	st, body = c.do("GET", "/api/ss/user/"+sandbox.AFUserAlice+"/projects", "")
	if ps, _ := body["projects"].([]any); st != 200 || len(ps) != 0 {
		t.Errorf("alice's projects: %d %v", st, body)
	}
	if st, _ := c.do("GET", "/api/ss/user/6132a2db9239f0975f505cff/projects", ""); st != 404 {
		t.Errorf("unknown user: %d", st)
	}
	sb.AttackForge.DeleteUser("frank")
	if st, _ := c.do("GET", "/api/ss/user/"+sandbox.AFUserFrank+"/projects", ""); st != 404 {
		t.Errorf("deleted user: %d", st)
	}
	if len(sb.AttackForge.Team(sandbox.AFProjectWebApp)) != 0 {
		t.Error("deleted user still on a team")
	}
}

func TestAttackForgeAdmin(t *testing.T) {
	c, sb := newAF(t)
	admin := func(method, path, body string) int {
		req, _ := http.NewRequest(method, c.srv.URL+"/_admin/attackforge"+path, strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if st := admin("PUT", "/projects/"+sandbox.AFProjectNetwork+"/team/alice@example.com", `{"access_level":"Upload","project_role":"SOC"}`); st != 200 {
		t.Errorf("set member: %d", st)
	}
	if m, ok := sb.AttackForge.Member(sandbox.AFProjectNetwork, "alice"); !ok || m.AccessLevel != "Upload" || m.ProjectRole != "SOC" {
		t.Errorf("alice: %+v", m)
	}
	if st := admin("PUT", "/projects/"+sandbox.AFProjectNetwork+"/team/alice", `{"access_level":"Owner"}`); st != 400 {
		t.Errorf("bad level: %d", st)
	}
	if st := admin("GET", "/projects/"+sandbox.AFProjectNetwork+"/team", ""); st != 200 {
		t.Errorf("team: %d", st)
	}
	if st := admin("DELETE", "/projects/"+sandbox.AFProjectNetwork+"/team/alice", ""); st != 204 {
		t.Errorf("remove: %d", st)
	}
	if st := admin("DELETE", "/projects/"+sandbox.AFProjectNetwork+"/team/alice", ""); st != 404 {
		t.Errorf("remove twice: %d", st)
	}
	if st := admin("POST", "/users", `{"email":"zed@example.com"}`); st != 201 {
		t.Errorf("add user: %d", st)
	}
	if u, ok := sb.AttackForge.User("zed@example.com"); !ok || u.Username != "zed@example.com" || len(u.ID) != 24 {
		t.Errorf("zed: %+v", u)
	}
	if st := admin("POST", "/users", `{"count":3}`); st != 201 {
		t.Errorf("add users: %d", st)
	}
	if _, ok := sb.AttackForge.User("user0003@bench.example.com"); !ok {
		t.Error("bulk users missing")
	}
	if st := admin("DELETE", "/users/zed@example.com", ""); st != 204 {
		t.Errorf("delete user: %d", st)
	}
	// Reset restores the seeds.
	sb.Reset()
	if _, ok := sb.AttackForge.User("zed@example.com"); ok {
		t.Error("reset kept zed")
	}
	if _, ok := sb.AttackForge.Member(sandbox.AFProjectWebApp, "frank"); !ok {
		t.Error("reset lost frank")
	}
}

// Emails with characters that need escaping in a path are found when they
// are escaped exactly once, and not when escaped twice.
func TestAttackForgePathEscaping(t *testing.T) {
	c, _ := newAF(t)
	for email, id := range map[string]string{
		"o'brien@example.com": sandbox.AFUserOBrien,
		"x%y@example.com":     sandbox.AFUserPercent,
		"jöhn@exämple.com":    sandbox.AFUserUmlaut,
	} {
		once := url.PathEscape(email)
		st, body := c.do("GET", "/api/ss/users/email/"+once, "")
		if u, _ := body["user"].(map[string]any); st != 200 || u["id"] != id {
			t.Errorf("GET users/email/%s: %d %v", once, st, body)
		}
		twice := url.PathEscape(once)
		if twice == once {
			continue
		}
		if st, _ := c.do("GET", "/api/ss/users/email/"+twice, ""); st != 404 {
			t.Errorf("GET users/email/%s (escaped twice): %d, want 404", twice, st)
		}
	}
	if st, body := c.do("GET", "/api/ss/users/username/"+url.PathEscape("x%y"), ""); st != 200 || body["user"].(map[string]any)["id"] != sandbox.AFUserPercent {
		t.Errorf("GET users/username/x%%25y: %d %v", st, body)
	}
}
