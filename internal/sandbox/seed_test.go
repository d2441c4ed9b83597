package sandbox_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

// call sends an admin or API request with optional headers and returns the
// status and the body.
func call(t *testing.T, method, url, body string, header ...string) (int, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func seed(t *testing.T, url, body string) map[string]sandbox.Seeded {
	t.Helper()
	status, out := call(t, "POST", url+"/_admin/seed", body)
	if status != http.StatusOK {
		t.Fatalf("POST /_admin/seed %s: %d %s", body, status, out)
	}
	var list []sandbox.Seeded
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	m := map[string]sandbox.Seeded{}
	for _, s := range list {
		m[s.Platform] = s
	}
	return m
}

// TestSeedEveryPlatform seeds 200 members per platform through the admin
// route and reads them back through each platform's own API, as the
// provider would: mixed roles, types and access levels, some pending,
// AttackForge users on and off a project team.
func TestSeedEveryPlatform(t *testing.T) {
	sb := sandbox.New()
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	got := seed(t, srv.URL, `{"per_platform":200}`)
	if len(got) != 5 {
		t.Fatalf("seeded %d platforms, want 5: %v", len(got), got)
	}
	for _, p := range sandbox.Platforms {
		s := got[p]
		if s.Members != 200 || s.Added != 200 || len(s.Sample) != 3 {
			t.Errorf("%s: %+v; want 200 members, all added, 3 samples", p, s)
		}
		if p != "attackforge" && (s.Pending == 0 || s.Pending == 200) {
			t.Errorf("%s: %d pending; want some", p, s.Pending)
		}
		if len(s.Kinds) < 2 {
			t.Errorf("%s: kinds %v; want a mix", p, s.Kinds)
		}
		if !strings.Contains(s.String(), "200 members") {
			t.Errorf("%s: summary %q", p, s)
		}
	}

	// SmartDocumentor: the workspace listing has them, every role, some Invited.
	status, body := call(t, "GET", srv.URL+"/smartdocumentor/api/v1.0/external/sdworkspace/allusers/1", "",
		"Authorization", "Bearer "+sandbox.SmartDocumentorAccessToken)
	var sdUsers []sandbox.SmartDocumentorUser
	if status != 200 || json.Unmarshal([]byte(body), &sdUsers) != nil {
		t.Fatalf("SmartDocumentor listing: %d %s", status, body)
	}
	roles, invited := map[string]bool{}, 0
	for _, u := range sdUsers {
		roles[u.RoleName] = true
		if u.Status == "Invited" && !u.EmailConfirmed {
			invited++
		}
	}
	if len(sdUsers) != 202 || len(roles) != 5 || invited != 40 {
		t.Errorf("SmartDocumentor workspace 1: %d members, roles %v, %d invited; want 202, 5 roles, 40", len(sdUsers), roles, invited)
	}

	// DocSpace: 205 people, every type, 40 + the seeded guest pending; the
	// seat quota leaves room for one more admin.
	types, pending := map[string]int{}, 0
	for _, u := range sb.DocSpace.Users() {
		types[u.Type]++
		if u.ActivationStatus == sandbox.DSActivationPending {
			pending++
		}
	}
	if len(sb.DocSpace.Users()) != 205 || len(types) != 5 || pending != 41 {
		t.Errorf("DocSpace: %d people, types %v, %d pending", len(sb.DocSpace.Users()), types, pending)
	}
	status, body = call(t, "POST", srv.URL+"/docspace/api/2.0/people/invite", `{"invitations":[{"email":"new.admin@example.com","type":"RoomAdmin"}]}`,
		"Authorization", sandbox.DocSpaceToken, "Content-Type", "application/json")
	if status != 200 {
		t.Errorf("a room admin invitation after seeding: %d %s; the seat quota should leave room", status, body)
	}

	// AttackForge: every analyst is a user; three in four are on the team
	// of Internal Network, with every access level; the others on no team.
	team := sb.AttackForge.Team(sandbox.SeedAttackForgeProject)
	levels := map[string]bool{}
	for _, m := range team {
		levels[m.AccessLevel] = true
	}
	if len(team) != 150 || len(levels) != 3 {
		t.Errorf("AttackForge team: %d members, levels %v; want 150 and all three", len(team), levels)
	}
	for user, want := range map[string]int{"analyst001": 1, "analyst004": 0} {
		u, ok := sb.AttackForge.User(user)
		if !ok {
			t.Fatalf("no AttackForge user %s", user)
		}
		status, body := call(t, "GET", srv.URL+"/attackforge/api/ss/user/"+u.ID+"/projects", "", "X-SSAPI-KEY", sandbox.AttackForgeAPIKey)
		var projects struct{ Count int }
		if status != 200 || json.Unmarshal([]byte(body), &projects) != nil || projects.Count != want {
			t.Errorf("%s's projects: %d %s; want %d", user, status, body, want)
		}
	}

	// GoldLeaf: 40 invited, the others active.
	if n := len(sb.GoldLeaf.Invited()); n != 40 || len(sb.GoldLeaf.Users()) != 201 {
		t.Errorf("GoldLeaf: %d users, %d invited", len(sb.GoldLeaf.Users()), n)
	}

	// Royalti: the listing counts them; admins, invited and cancelled among them.
	status, body = call(t, "GET", srv.URL+"/royalti/user/?size=1", "", "Authorization", "Bearer "+sandbox.RoyaltiToken)
	var rt struct{ TotalUsers int }
	if status != 200 || json.Unmarshal([]byte(body), &rt) != nil || rt.TotalUsers != 202 {
		t.Errorf("Royalti listing: %d %s; want 202 users", status, body)
	}
	statuses, admins := map[string]int{}, 0
	for _, u := range sb.Royalti.Users() {
		if u.Invite != nil {
			statuses[u.Invite.Status]++
		}
		if u.Role == "admin" {
			admins++
		}
	}
	if statuses["cancelled"] != 8 || statuses["invited"] != 48 || admins != 66 {
		t.Errorf("Royalti: invites %v, %d admins", statuses, admins)
	}
}

// TestSeedIsIdempotentAndPerPlatform: seeding the same number again adds
// nothing, a larger one adds the rest, platforms narrows it, and reset
// removes the seeded members.
func TestSeedIsIdempotentAndPerPlatform(t *testing.T) {
	sb := sandbox.New()
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	seed(t, srv.URL, `{"per_platform":20}`)
	if again := seed(t, srv.URL, `{"per_platform":20}`); again["docspace"].Added != 0 || again["smartdocumentor"].Added != 0 || again["attackforge"].Members != 20 {
		t.Errorf("seeding again: %+v; want nothing added", again)
	}
	more := seed(t, srv.URL, `{"per_platform":30,"platforms":["smartdocumentor","royalti"]}`)
	if len(more) != 2 || more["smartdocumentor"].Added != 10 || more["royalti"].Added != 10 || more["royalti"].Members != 30 {
		t.Errorf("seeding 30 on two platforms: %+v", more)
	}
	if n := len(sb.DocSpace.Users()); n != 25 {
		t.Errorf("DocSpace has %d people, want 25 (not seeded the second time)", n)
	}
	if status, body := call(t, "POST", srv.URL+"/_admin/reset", ""); status != http.StatusNoContent {
		t.Fatalf("reset: %d %s", status, body)
	}
	if n := len(sb.SmartDocumentor.Members(1)); n != 2 {
		t.Errorf("after reset workspace 1 has %d members, want the 2 seeded", n)
	}
}

func TestSeedRefusesBadRequests(t *testing.T) {
	sb := sandbox.New()
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	for _, body := range []string{
		`{}`,
		`{"per_platform":0}`,
		`{"per_platform":5001}`,
		`{"per_platform":10,"platforms":["slack"]}`,
		`{"per_platform":10,"count":3}`,
		`{"per_platform":"ten"}`,
	} {
		if status, out := call(t, "POST", srv.URL+"/_admin/seed", body); status != http.StatusBadRequest || !strings.Contains(out, "error") {
			t.Errorf("POST /_admin/seed %s: %d %s; want 400 with an error", body, status, out)
		}
	}
	if n := len(sb.DocSpace.Users()); n != 5 {
		t.Errorf("a refused seeding changed DocSpace: %d people", n)
	}
}

// TestSmartDocumentorAdminAddsMembers: the admin API adds a workspace
// member out of band, active or pending, and the API's listing shows them.
func TestSmartDocumentorAdminAddsMembers(t *testing.T) {
	sb := sandbox.New()
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	add := func(ws, body string) (int, string) {
		return call(t, "POST", srv.URL+"/_admin/smartdocumentor/workspaces/"+ws+"/users", body)
	}
	if status, body := add("2", `{"email":"New.Person@example.com","roleName":"Viewer","pending":true}`); status != http.StatusCreated {
		t.Fatalf("add pending: %d %s", status, body)
	}
	if status, body := add("2", `{"email":"active.person@example.com","roleName":"Reviewer"}`); status != http.StatusCreated {
		t.Fatalf("add active: %d %s", status, body)
	}
	// an existing tenant user keeps their status
	if status, body := add("2", `{"email":"OWNER@example.com","roleName":"Viewer","pending":true}`); status != http.StatusCreated {
		t.Fatalf("add the owner to workspace 2: %d %s", status, body)
	}
	status, body := call(t, "GET", srv.URL+"/smartdocumentor/api/v1.0/external/sdworkspace/allusers/2", "",
		"Authorization", "Bearer "+sandbox.SmartDocumentorAccessToken)
	var users []sandbox.SmartDocumentorUser
	if status != 200 || json.Unmarshal([]byte(body), &users) != nil {
		t.Fatalf("listing: %d %s", status, body)
	}
	want := map[string]string{
		"New.Person@example.com":     "Viewer Invited false",
		"active.person@example.com":  "Reviewer Active true",
		"owner@example.com":          "Viewer Active true",
		"martin.manager@example.com": "Creator Active true",
	}
	if len(users) != len(want) {
		t.Fatalf("workspace 2 lists %d members: %+v", len(users), users)
	}
	for _, u := range users {
		if got := u.RoleName + " " + u.Status + " " + map[bool]string{true: "true", false: "false"}[u.EmailConfirmed]; got != want[u.Email] {
			t.Errorf("%s: %s, want %s", u.Email, got, want[u.Email])
		}
	}
	for _, c := range []struct {
		ws, body string
		status   int
	}{
		{"2", `{"email":"new.person@EXAMPLE.com","roleName":"Viewer"}`, http.StatusConflict},
		{"9", `{"email":"x@example.com","roleName":"Viewer"}`, http.StatusNotFound},
		{"two", `{"email":"x@example.com","roleName":"Viewer"}`, http.StatusBadRequest},
		{"2", `{"email":"x@example.com","roleName":"Owner"}`, http.StatusBadRequest},
		{"2", `{"email":"not an email","roleName":"Viewer"}`, http.StatusBadRequest},
		{"2", `{"email":"x@example.com"}`, http.StatusBadRequest},
		{"2", `{"email":"x@example.com","roleName":"Viewer","role":"Viewer"}`, http.StatusBadRequest},
	} {
		if status, body := add(c.ws, c.body); status != c.status {
			t.Errorf("add %s to %s: %d %s; want %d", c.body, c.ws, status, body, c.status)
		}
	}
	if n := len(sb.SmartDocumentor.Members(2)); n != 4 {
		t.Errorf("refused additions changed workspace 2: %d members", n)
	}
}

// TestAdminRoutesListsEveryRoute: AdminRoutes (what `make sandbox` prints)
// has the sandbox's own routes and every platform's, and each is served.
func TestAdminRoutesListsEveryRoute(t *testing.T) {
	sb := sandbox.New()
	routes := sb.AdminRoutes()
	joined := strings.Join(routes, "\n")
	for _, want := range []string{"POST /_admin/seed", "POST /_admin/reset", "GET /_admin/counts",
		"POST /_admin/smartdocumentor/workspaces/{id}/users", "POST /_admin/docspace/users",
		"POST /_admin/attackforge/users", "GET /_admin/goldleaf/users", "POST /_admin/royalti/users"} {
		if !strings.Contains(joined, want) {
			t.Errorf("AdminRoutes lacks %q:\n%s", want, joined)
		}
	}
	for _, r := range routes {
		method, path, _ := strings.Cut(r, " ")
		req := httptest.NewRequest(method, strings.NewReplacer("{id}", "1", "{email}", "x@example.com", "{user}", "x").Replace(path), nil)
		rec := httptest.NewRecorder()
		sb.ServeHTTP(rec, req)
		if rec.Code == http.StatusNotFound && strings.Contains(rec.Body.String(), "404 page not found") || rec.Code == http.StatusMethodNotAllowed {
			t.Errorf("%s is listed but not served: %d", r, rec.Code)
		}
	}
}
