package attackforge

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

func testClient(t *testing.T) (*Client, *sandbox.Sandbox) {
	t.Helper()
	sb := sandbox.New()
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	opts := shared.DefaultOptions()
	opts.MaxRetries = 0
	c, err := NewClient(Config{Endpoint: srv.URL + sandbox.PrefixAttackForge, APIKey: sandbox.AttackForgeAPIKey}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c, sb
}

// Concurrent invitations to one project share one request; each caller
// gets its own user's result or failure.
func TestInviteOneBatches(t *testing.T) {
	c, sb := testClient(t)
	users := []string{"alice@example.com", "BOB", sandbox.AFUserCarol, "dave", "ghost@example.com", "erin"}
	var wg sync.WaitGroup
	res := make([]InviteResult, len(users))
	errs := make([]error, len(users))
	for i, u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res[i], errs[i] = c.InviteOne(context.Background(), sandbox.AFProjectNetwork, InviteItem{User: u, AccessLevel: "View"})
		}()
	}
	wg.Wait()
	if n := sb.Count("attackforge", "POST /api/ss/project/{id}/team/invite"); n >= len(users) {
		t.Errorf("%d invite requests for %d concurrent invitations", n, len(users))
	}
	want := map[int]string{0: sandbox.AFUserAlice, 1: sandbox.AFUserBob, 2: sandbox.AFUserCarol, 3: sandbox.AFUserDave, 5: sandbox.AFUserErin}
	for i, id := range want {
		if errs[i] != nil || res[i].UserID != id || res[i].Status != "Invited" {
			t.Errorf("%s: %+v %v", users[i], res[i], errs[i])
		}
	}
	var me *MemberError
	if !errors.As(errs[4], &me) || me.Status != "User Not Found" || me.User != "ghost@example.com" {
		t.Errorf("ghost: %v", errs[4])
	}
}

// Concurrent reads of one user's projects cost one request per run; a
// write invalidates it.
func TestUserProjectsCache(t *testing.T) {
	c, sb := testClient(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.findMember(ctx, sandbox.AFProjectWebApp, sandbox.AFUserFrank); err != nil {
				t.Errorf("frank: %v", err)
			}
		}()
	}
	wg.Wait()
	route := "GET /api/ss/user/{id}/projects"
	if n := sb.Count("attackforge", route); n != 1 {
		t.Fatalf("%d listings, want 1", n)
	}
	if err := c.UpdateAccess(ctx, sandbox.AFProjectWebApp, sandbox.AFUserFrank, "View"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.findMember(ctx, sandbox.AFProjectWebApp, sandbox.AFUserFrank); err != nil || sb.Count("attackforge", route) != 2 {
		t.Errorf("after a write: %v, %d listings, want a fresh listing", err, sb.Count("attackforge", route))
	}
	if err := c.RemoveOne(ctx, sandbox.AFProjectWebApp, sandbox.AFUserFrank); err != nil {
		t.Fatal(err)
	}
	if _, err := c.findMember(ctx, sandbox.AFProjectWebApp, sandbox.AFUserFrank); !errors.Is(err, shared.ErrNotFound) {
		t.Errorf("frank after removal: %v, want shared.ErrNotFound", err)
	}
	// Removing again is not an error: he is off the team.
	if err := c.RemoveOne(ctx, sandbox.AFProjectWebApp, sandbox.AFUserFrank); err != nil {
		t.Errorf("second removal: %v", err)
	}
	// Look-ups are cached too.
	for range 3 {
		if u, err := c.findUser(ctx, "Alice@Example.com"); err != nil || u.ID != sandbox.AFUserAlice {
			t.Fatalf("alice: %+v %v", u, err)
		}
		if u, err := c.findUser(ctx, sandbox.AFUserBob); err != nil || u.Username != "bob" {
			t.Fatalf("bob: %+v %v", u, err)
		}
	}
	if sb.Count("attackforge", "GET /api/ss/users/email/{email}") != 1 || sb.Count("attackforge", "GET /api/ss/users") != 1 {
		t.Errorf("look-ups not cached: %v", sb.Counts())
	}
	if _, err := c.findUser(ctx, "nobody"); !errors.Is(err, shared.ErrNotFound) {
		t.Errorf("unknown username: %v, want shared.ErrNotFound", err)
	}
}

func TestClientErrors(t *testing.T) {
	c, sb := testClient(t)
	ctx := context.Background()
	sb.AddFault(sandbox.Fault{Platform: "attackforge", Path: "/team/invite", Malformed: true, Count: 1})
	_, err := c.Invite(ctx, sandbox.AFProjectNetwork, []InviteItem{{User: "bob", AccessLevel: "View"}})
	var de *shared.DecodeError
	if !errors.As(err, &de) {
		t.Errorf("malformed answer: %v", err)
	}
	_, err = c.Invite(ctx, "650f1707c66ef8821d35eeff", []InviteItem{{User: "bob", AccessLevel: "View"}})
	if shared.StatusOf(err) != 404 {
		t.Errorf("unknown project: %v", err)
	}
	bad, _ := NewClient(Config{Endpoint: c.api.BaseURL().String(), APIKey: "wrong"}, shared.DefaultOptions())
	if _, err := bad.UserByEmail(ctx, "alice@example.com"); shared.StatusOf(err) != 401 {
		t.Errorf("bad key: %v", err)
	}
}

func TestDecodeUser(t *testing.T) {
	u, err := decodeUser([]byte(`{"user":{"id":"6132a2db9239f0975f505c01","status":"Active","role":"admin","first_name":"A","last_name":"B","email_address":"a@example.com","username":"a"}}`))
	if err != nil || u.ID != "6132a2db9239f0975f505c01" || u.Email != "a@example.com" || u.Username != "a" || u.FirstName != "A" || u.Role != "admin" || u.Status != "Active" {
		t.Fatalf("got %+v, %v", u, err)
	}
	u, err = decodeUser([]byte(`{"_id":"x1","email":"b@example.com"}`))
	if err != nil || u.ID != "x1" || u.Email != "b@example.com" {
		t.Fatalf("bare user: got %+v, %v", u, err)
	}
	for _, bad := range []string{`[]`, `{"user":[]}`, `{"user":{"email":"a@b.c"}}`, `nope`, ``} {
		if _, err := decodeUser([]byte(bad)); err == nil {
			t.Errorf("decodeUser(%q) did not fail", bad)
		}
	}
}

func TestDecodeUsers(t *testing.T) {
	us, n, err := decodeUsers([]byte(`{"count":2,"users":[{"id":"1","email_address":"a@x.io"},{"username":"no-id"},{"_id":"2"}]}`))
	if err != nil || n != 2 || len(us) != 2 || us[1].ID != "2" {
		t.Fatalf("got %+v %d %v", us, n, err)
	}
	us, n, err = decodeUsers([]byte(`[{"id":"1"}]`))
	if err != nil || n != -1 || len(us) != 1 {
		t.Fatalf("bare array: got %+v %d %v", us, n, err)
	}
	if _, _, err := decodeUsers([]byte(`{"users":{}}`)); err == nil {
		t.Error("users as an object did not fail")
	}
	if _, _, err := decodeUsers([]byte(`{"items":[]}`)); err == nil {
		t.Error("missing users did not fail")
	}
}

func TestDecodeResults(t *testing.T) {
	rs, err := decodeResults([]byte(`{"result":[{"userId":"u1","username":"a","email":"a@x.io","accessLevel":"View","status":"Invited"},{"user":"ghost","status":"User Not Found"}]}`))
	if err != nil || len(rs) != 2 || rs[0].UserID != "u1" || rs[0].AccessLevel != "View" || rs[1].User != "ghost" || rs[1].Status != "User Not Found" {
		t.Fatalf("got %+v %v", rs, err)
	}
	if _, err := decodeResults([]byte(`{"result":"ok"}`)); err == nil {
		t.Error("result as a string did not fail")
	}
	if _, err := decodeResults([]byte(`{"result":[1]}`)); err == nil {
		t.Error("result item as a number did not fail")
	}
}

func TestDecodeUserProjects(t *testing.T) {
	cases := map[string]Project{
		// The shape of the sibling project endpoints (GetProjects, GetProjectsByGroup).
		`{"count":1,"projects":[{"project_id":"p1","project_name":"N","project_code":"C"}]}`: {ID: "p1", Name: "N"},
		`[{"_id":"p1","project_name":"N"}]`:                                                  {ID: "p1", Name: "N"},
		`{"projects":[{"id":"p1","name":"N"}]}`:                                              {ID: "p1", Name: "N"},
		// Undocumented access fields are not read: no value is invented from them.
		`{"data":[{"id":"p1","access_level":"Edit","project_role":"SOC"}]}`: {ID: "p1"},
	}
	for body, want := range cases {
		ps, err := decodeUserProjects([]byte(body))
		if err != nil || len(ps) != 1 || ps[0] != want {
			t.Errorf("%s: got %+v %v, want %+v", body, ps, err, want)
		}
	}
	ps, err := decodeUserProjects([]byte(`{"projects":null}`))
	if err != nil || len(ps) != 0 {
		t.Errorf("null projects: %+v %v", ps, err)
	}
	for _, bad := range []string{`{"projects":"x"}`, `{"count":0}`, `"x"`, `{`} {
		if _, err := decodeUserProjects([]byte(bad)); err == nil {
			t.Errorf("decodeUserProjects(%q) did not fail", bad)
		}
	}
}

func TestMatchResults(t *testing.T) {
	items := []InviteItem{{User: "Alice@Example.com"}, {User: "ghost"}, {User: "6132a2db9239f0975f505c02"}, {User: "carol"}}
	results := []InviteResult{
		{UserID: "6132a2db9239f0975f505c02", Username: "bob", Email: "bob@x.io", Status: "Invited"},
		{User: "ghost", Status: "User Not Found"},
		{UserID: "u1", Username: "alice", Email: "alice@example.com", Status: "Invited"},
	}
	out, errs := inviteOutcomes("p", items, results)
	if errs[0] != nil || out[0].UserID != "u1" {
		t.Errorf("alice: %+v %v", out[0], errs[0])
	}
	var me *MemberError
	if !errors.As(errs[1], &me) || me.Status != "User Not Found" || me.User != "ghost" {
		t.Errorf("ghost: %v", errs[1])
	}
	if errs[2] != nil || out[2].Username != "bob" {
		t.Errorf("bob by id: %+v %v", out[2], errs[2])
	}
	if !errors.As(errs[3], &me) || !strings.Contains(me.Error(), "no status") {
		t.Errorf("carol (no result): %v", errs[3])
	}
	// Unrecognisable entries, one per item: taken in order.
	out, errs = inviteOutcomes("p", []InviteItem{{User: "x"}, {User: "y"}},
		[]InviteResult{{UserID: "1", Status: "Invited"}, {UserID: "2", Status: "Invalid accessLevel"}})
	if errs[0] != nil || out[0].UserID != "1" || errs[1] == nil || !strings.Contains(errs[1].Error(), "Invalid accessLevel") {
		t.Errorf("positional: %+v %v", out, errs)
	}
}

func FuzzParseImportID(f *testing.F) {
	for _, s := range []string{"620f1707c66ef8821d35ee17/jane@example.com", "x/y", "", "/", "620f1707c66ef8821d35ee17/bob/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		p, u, err := parseImportID(id)
		if err != nil {
			return
		}
		if p+"/"+u != id || validateObjectID(p) != "" || validateUser(u) != "" {
			t.Fatalf("accepted %q as %q %q", id, p, u)
		}
	})
}

func fuzzSeeds(f *testing.F) {
	for _, s := range []string{
		`{"user":{"id":"1","email_address":"a@b.io"}}`, `{"count":1,"users":[{"id":"1"}]}`,
		`{"result":[{"userId":"1","status":"Invited"},{"user":"x","status":"User Not Found"}]}`,
		`{"projects":[{"id":"p","access_level":"View"}]}`, `[{"_id":"p"}]`, `null`, `{}`, `[1]`, `{"projects":3}`, `"`,
	} {
		f.Add([]byte(s))
	}
}

func FuzzDecodeUser(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		if u, err := decodeUser(b); err == nil && u.ID == "" {
			t.Fatal("user without id accepted")
		}
	})
}

func FuzzDecodeUsers(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		us, _, err := decodeUsers(b)
		if err != nil {
			return
		}
		for _, u := range us {
			if u.ID == "" {
				t.Fatal("user without id listed")
			}
		}
	})
}

func FuzzDecodeResults(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		rs, err := decodeResults(b)
		if err != nil {
			return
		}
		items := make([]InviteItem, len(rs))
		for i := range rs {
			items[i] = InviteItem{User: "u"}
		}
		out, errs := inviteOutcomes("p", items, rs)
		if len(out) != len(items) || len(errs) != len(items) {
			t.Fatal("inviteOutcomes lost items")
		}
	})
}

func FuzzDecodeUserProjects(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		ps, err := decodeUserProjects(b)
		if err != nil {
			return
		}
		for _, p := range ps {
			if p.ID == "" {
				t.Fatalf("bad project %+v", p)
			}
		}
	})
}

// One matcher pairs every team/invite and team/remove answer with the
// submitted users: by the echoed user, else by id, email or username,
// else in order when the answer has one unrecognisable entry per user.
func TestMatchResultsTable(t *testing.T) {
	const (
		id    = "6132a2db9239f0975f505c02"
		email = "bob@example.com"
	)
	for _, tc := range []struct {
		name    string
		users   []string
		results []InviteResult
		status  []string // "" for a user the answer does not mention
	}{
		{"by id", []string{id}, []InviteResult{{UserID: id, Status: statusRemoved}}, []string{statusRemoved}},
		{"by email, any case", []string{strings.ToUpper(email)}, []InviteResult{{Email: email, Status: statusRemoved}}, []string{statusRemoved}},
		{"by username, any case", []string{"BOB"}, []InviteResult{{Username: "bob", Status: statusInvited}}, []string{statusInvited}},
		{"echoed user wins", []string{"ghost", id}, []InviteResult{{UserID: id, Status: statusRemoved}, {User: "ghost", Status: statusUserNotFound}}, []string{statusUserNotFound, statusRemoved}},
		{"in order", []string{"x", "y"}, []InviteResult{{Status: statusRemoved}, {Status: statusInvalidAccessLevel}}, []string{statusRemoved, statusInvalidAccessLevel}},
		{"not in order when counts differ", []string{"x", "y"}, []InviteResult{{Status: statusRemoved}}, []string{"", ""}},
		{"an entry serves one user", []string{id, id}, []InviteResult{{UserID: id, Status: statusRemoved}}, []string{statusRemoved, ""}},
	} {
		out, found := matchResults(tc.users, tc.results)
		for i, want := range tc.status {
			if out[i].Status != want || found[i] != (want != "") {
				t.Errorf("%s: %s got %q (found %v), want %q", tc.name, tc.users[i], out[i].Status, found[i], want)
			}
		}
	}
}
