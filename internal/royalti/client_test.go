package royalti

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

func TestParseImportID(t *testing.T) {
	cases := []struct {
		in, ws, key string
		email, ok   bool
	}{
		{"0a1b2c3d-0000-4000-8000-000000000002", "", "0a1b2c3d-0000-4000-8000-000000000002", false, true},
		{"0A1B2C3D-0000-4000-8000-000000000002", "", "0a1b2c3d-0000-4000-8000-000000000002", false, true},
		{"Jane@Example.com", "", "Jane@Example.com", true, true},
		{"ws-1/jane@example.com", "ws-1", "jane@example.com", true, true},
		{"ws-1/0a1b2c3d-0000-4000-8000-000000000002", "ws-1", "0a1b2c3d-0000-4000-8000-000000000002", false, true},
		{"", "", "", false, false},
		{"not a valid id", "", "", false, false},
		{"/jane@example.com", "", "", false, false},
		{"ws/", "", "", false, false},
		{"jane@localhost", "", "", false, false},
		{"0a1b2c3d-0000-4000-8000-00000000000z", "", "", false, false},
	}
	for _, c := range cases {
		ws, key, email, err := parseImportID(c.in)
		if (err == nil) != c.ok {
			t.Errorf("%q: err %v, want ok=%v", c.in, err, c.ok)
			continue
		}
		if err != nil {
			if !strings.Contains(err.Error(), c.in) {
				t.Errorf("%q: error does not quote the id: %v", c.in, err)
			}
			continue
		}
		if ws != c.ws || key != c.key || email != c.email {
			t.Errorf("%q: got (%q,%q,%v), want (%q,%q,%v)", c.in, ws, key, email, c.ws, c.key, c.email)
		}
	}
}

func FuzzParseImportID(f *testing.F) {
	for _, s := range []string{"0a1b2c3d-0000-4000-8000-000000000002", "jane@example.com", "ws/jane@example.com", "", "/", "a/b/c", "@", "x@y.z/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ws, key, email, err := parseImportID(s)
		if err != nil {
			return
		}
		if key == "" || strings.Contains(ws, "/") {
			t.Fatalf("%q parsed to ws=%q key=%q", s, ws, key)
		}
		if email && shared.ValidateEmail(key) != "" {
			t.Fatalf("%q: invalid email %q accepted", s, key)
		}
		if !email && !isUUID(key) {
			t.Fatalf("%q: key %q is neither email nor uuid", s, key)
		}
	})
}

func TestDecoders(t *testing.T) {
	u, err := decodeUser([]byte(`{"id":"u1","email":"A@b.co","firstName":null,"lastName":"L","role":"admin","invite":{"id":"i1","status":"invited","meta":{"date":"2026-01-01T00:00:00Z"}},"extra":{"x":1}}`))
	if err != nil || u.ID != "u1" || u.FirstName != "" || u.LastName != "L" || u.InviteStatus() != "invited" || u.Invite.Date() != "2026-01-01T00:00:00Z" {
		t.Fatalf("user: %+v %v", u, err)
	}
	u, _ = decodeUser([]byte(`{"id":"u2","email":"o@b.co","role":"owner"}`))
	if u.InviteStatus() != StatusJoined {
		t.Fatalf("no invite means joined, got %q", u.InviteStatus())
	}
	p, err := decodeUserPage([]byte(`{"Users":[{"id":"u1","email":"a@b.co"}],"count":1,"totalUsers":5}`))
	if err != nil || p.Users == nil || len(*p.Users) != 1 || p.Count != 1 || p.TotalUsers != 5 {
		t.Fatalf("page: %+v %v", p, err)
	}
	ip, err := decodeInvitePage([]byte(`{"invites":[{"id":"i1","TenantUserId":"u1","status":"joined","meta":{"date":"2026-01-01T00:00:00.000Z"},"TenantUser":{"id":"u1","role":"user","User":{"email":"a@b.co"}}}],"totalItems":1,"totalPages":1,"currentPage":1}`))
	if err != nil || ip.Invites == nil || len(*ip.Invites) != 1 || (*ip.Invites)[0].TenantUser.User.Email != "a@b.co" || (*ip.Invites)[0].Meta.Date == "" || ip.TotalPages != 1 {
		t.Fatalf("invites: %+v %v", ip, err)
	}
	if _, err := decodeUserPage([]byte(`{"Users":"nope"}`)); err == nil {
		t.Fatal("a malformed page decoded")
	}
}

func FuzzDecodeUser(f *testing.F) {
	f.Add([]byte(`{"id":"u1","email":"a@b.co","invite":{"status":"invited"}}`))
	f.Add([]byte(`{"id":1}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if u, err := decodeUser(b); err == nil {
			_ = u.InviteStatus()
		}
	})
}

func FuzzDecodeUserPage(f *testing.F) {
	f.Add([]byte(`{"Users":[{"id":"u1","email":"a@b.co"}],"count":1,"totalUsers":1}`))
	f.Add([]byte(`{"Users":null}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if p, err := decodeUserPage(b); err == nil && p.Users != nil {
			d := newDirectory(*p.Users, nil, nil)
			for _, u := range *p.Users {
				if d.ByEmail(u.Email) == nil {
					t.Fatalf("user %q not found by email", u.Email)
				}
			}
		}
	})
}

func FuzzDecodeInvitePage(f *testing.F) {
	f.Add([]byte(`{"invites":[{"id":"i1","TenantUserId":"u1","status":"joined","meta":{"date":"2026"}}],"totalItems":1,"totalPages":1,"currentPage":1}`))
	f.Add([]byte(`{"invites":[{"id":"i1","TenantUser":{"id":"u1"}}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if p, err := decodeInvitePage(b); err == nil && p.Invites != nil {
			users := []User{{ID: "u1", Email: "a@b.co"}}
			d := newDirectory(users, *p.Invites, nil)
			if d.ByID["u1"] == nil {
				t.Fatal("user lost in the join")
			}
		}
	})
}

func TestDirectoryJoin(t *testing.T) {
	users := []User{{ID: "u1", Email: "A@b.co"}, {ID: "u2", Email: "c@d.co"}, {ID: "u3", Email: "owner@d.co", Invite: &Invite{Status: "bogus"}}}
	invites := []inviteEntry{
		{ID: "i1", TenantUserID: "u1", Status: "cancelled", Meta: inviteMeta{Date: "2026-01-01T00:00:00Z"}},
		{ID: "i2", TenantUserID: "u1", Status: "invited", Meta: inviteMeta{Date: "2026-02-01T00:00:00Z"}},
		{ID: "i3", TenantUserID: "u2", Status: "joined", Meta: inviteMeta{Date: "2026-01-01T00:00:00Z"}},
		{ID: "i4", TenantUserID: "u2", Status: "cancelled", Meta: inviteMeta{Date: "2026-01-01T00:00:00Z"}},
		{ID: "i5", TenantUserID: "gone", Status: "invited"},
	}
	invites[2].TenantUserID = ""
	invites[2].TenantUser.ID = "u2"
	d := newDirectory(users, invites, nil)
	if s := d.ByEmail("a@B.CO").InviteStatus(); s != "invited" {
		t.Errorf("u1: latest invite wins, got %q", s)
	}
	if s := d.ByID["u2"].InviteStatus(); s != "joined" {
		t.Errorf("u2: a live invite wins a tie, got %q", s)
	}
	if s := d.ByID["u3"].InviteStatus(); s != "joined" {
		t.Errorf("u3: the listing's own invite is ignored, no invite means joined, got %q", s)
	}
	if got := d.Sorted(); len(got) != 3 || got[0].ID != "u1" || got[2].ID != "u3" {
		t.Errorf("sorted: %v", got)
	}
}

// The client against the sandbox: listings page through, the directory is
// fetched once per client until a write invalidates it.
func TestClientAgainstSandbox(t *testing.T) {
	sb := sandbox.New()
	srv := httptest.NewServer(sb)
	defer srv.Close()
	c, err := NewClient(Config{Endpoint: srv.URL + sandbox.PrefixRoyalti, Token: sandbox.RoyaltiToken}, shared.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := 0; i < 120; i++ {
		sb.Royalti.AddUser("u"+strings.Repeat("x", i%5)+string(rune('a'+i%26))+itoa(i)+"@example.com", "user", "", "", "invited")
	}
	d1, err := c.directory(ctx, "")
	if err != nil || len(d1.ByID) != 122 {
		t.Fatalf("directory: %d users, %v", len(d1.ByID), err)
	}
	if _, err := c.directory(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if n := sb.Count("royalti", "GET /user/{$}"); n != 2 {
		t.Fatalf("user pages: %d, want 2 (cached second time)", n)
	}
	mark := c.recent.begin()
	err = c.invite(ctx, "", InviteRequest{Email: "new@example.com", SendEmail: true, Role: "admin"})
	c.recent.end()
	if err != nil {
		t.Fatal(err)
	}
	d2, _ := c.directory(ctx, "")
	u := d2.ByEmail("NEW@example.com")
	// the current invite page ignores the role: the user is a "user"
	if u == nil || u.Role != "user" || u.InviteStatus() != "invited" {
		t.Fatalf("after invite: %+v", u)
	}
	found, err := c.findInvited(ctx, "", "New@Example.com", mark, c.recent)
	if err != nil || found == nil || found.ID != u.ID {
		t.Fatalf("findInvited: %+v %v", found, err)
	}
	if _, err := c.updateUser(ctx, *u, map[string]string{"role": "admin", "firstName": "N"}); err != nil {
		t.Fatal(err)
	}
	got, err := c.getUser(ctx, u.ID)
	if err != nil || got.Role != "admin" || got.FirstName != "N" || got.InviteStatus() != "invited" || got.Invite.Date() == "" {
		t.Fatalf("getUser: %+v %v", got, err)
	}
	if err := c.deleteUser(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.deleteUser(ctx, u.ID); err != nil {
		t.Fatalf("deleting a deleted user: %v", err)
	}
	dir, err := c.directory(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := c.findUser(ctx, dir, u.ID); got != nil || !errors.Is(err, shared.ErrNotFound) {
		t.Fatalf("findUser of a deleted user: %+v %v", got, err)
	}
	err = c.deleteUser(ctx, sandbox.RoyaltiOwnerID)
	if shared.StatusOf(err) != 400 || !strings.Contains(err.Error(), "owner cannot be deleted") {
		t.Fatalf("deleting the owner: %v", err)
	}
}

func itoa(i int) string {
	s := ""
	for {
		s = string(rune('0'+i%10)) + s
		i /= 10
		if i == 0 {
			return s
		}
	}
}

func profile(role, first string) Profile {
	p := Profile{Role: role}
	if first != "" {
		p.FirstName = &first
	}
	return p
}

// A refresh of the authoritative resource (the engine's Read over the
// workspace as observe sees it): listed members keep their key and the
// names they manage, the owner keeps its configured role, cancelled and
// deleted users are gone, and with exclusive everyone else but the owner
// is in unlisted_members.
func TestRefreshMembers(t *testing.T) {
	users := []User{
		{ID: "o", Email: "owner@x.co", Role: "owner"},
		{ID: "a", Email: "Ada@x.co", Role: "admin", FirstName: "Ada", LastName: "L"},
		{ID: "g", Email: "g@x.co", Role: "user", FirstName: "G"},
		{ID: "c", Email: "c@x.co", Role: "user"},
		{ID: "s", Email: "s@x.co", Role: "admin"},
	}
	invites := []inviteEntry{{ID: "1", TenantUserID: "c", Status: "cancelled"}, {ID: "2", TenantUserID: "a", Status: "invited"}}
	dir := newDirectory(users, invites, nil)
	e := (&invitationsResource{}).engine()
	e.Observe = func(context.Context, workspaceScope, map[string]string, bool) (map[string]shared.Observed[Profile], diag.Diagnostics, error) {
		out := map[string]shared.Observed[Profile]{}
		for _, u := range dir.ByID {
			out[u.Email] = observedUser(u)
		}
		return out, nil, nil
	}
	prior := map[string]Profile{
		"ada@x.co":   profile("user", "Ada"),
		"c@x.co":     profile("user", ""),
		"gone@x.co":  profile("user", ""),
		"owner@x.co": profile("admin", ""),
	}
	s, diags := e.Read(context.Background(), workspaceScope{}, shared.Snapshot[Profile]{Members: prior, Exclusive: true}, shared.Guardrails{})
	if diags.HasError() {
		t.Fatal(diags)
	}
	if m := s.Members["ada@x.co"]; m.Role != "admin" || shared.Deref(m.FirstName) != "Ada" || m.LastName != nil {
		t.Errorf("ada: %+v", m)
	}
	if _, ok := s.Members["c@x.co"]; ok {
		t.Error("a cancelled invite must count as absent")
	}
	if _, ok := s.Members["gone@x.co"]; ok {
		t.Error("a deleted user must be absent")
	}
	if s.Members["owner@x.co"].Role != "admin" {
		t.Error("the owner's configured role is kept (never changed)")
	}
	if want := map[string]string{"g@x.co": "user", "s@x.co": "admin"}; !reflect.DeepEqual(s.Unlisted, want) {
		t.Errorf("unlisted: %v, want %v (the owner is never unlisted)", s.Unlisted, want)
	}
	if s.IDs["ada@x.co"] != "a" || s.Statuses["ada@x.co"] != "invited" || s.Statuses["owner@x.co"] != "joined" {
		t.Errorf("ids %v statuses %v", s.IDs, s.Statuses)
	}
	s, _ = e.Read(context.Background(), workspaceScope{}, shared.Snapshot[Profile]{Members: prior}, shared.Guardrails{})
	if len(s.Members) != 2 || len(s.Unlisted) != 0 {
		t.Errorf("non-exclusive: %v %v", s.Members, s.Unlisted)
	}
}

func testClient(t *testing.T) (*Client, *sandbox.Sandbox) {
	t.Helper()
	sb := sandbox.New()
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	opts := shared.DefaultOptions()
	opts.MaxRetries = 0
	c, err := NewClient(Config{Endpoint: srv.URL + sandbox.PrefixRoyalti, Token: sandbox.RoyaltiToken}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c, sb
}

// The authoritative apply (removals, invitations read back at once and
// corrected by PATCH, updates, through the shared reconciler) without
// Terraform, so that `make race` runs it under the race detector; a
// refused invitation fails alone and the state keeps what succeeded.
func TestInvitationsApply(t *testing.T) {
	for _, legacy := range []bool{false, true} {
		t.Run(fmt.Sprintf("legacy=%v", legacy), func(t *testing.T) {
			c, sb := testClient(t)
			sb.Royalti.SetOptions(sandbox.RoyaltiOptions{LegacyInvite: legacy})
			ctx := context.Background()
			for i := 0; i < 30; i++ {
				sb.Royalti.AddUser(fmt.Sprintf("old%02d@example.com", i), "user", "", "", "joined")
			}
			prior := map[string]Profile{"old00@example.com": profile("user", ""), "old01@example.com": profile("user", ""), "old02@example.com": profile("user", "")}
			wanted := map[string]Profile{"old00@example.com": profile("user", ""), "OLD02@example.com": profile("admin", "Two")} // keep; update
			for i := 0; i < 40; i++ {
				wanted[fmt.Sprintf("new%02d@example.com", i)] = profile([]string{"user", "admin"}[i%2], fmt.Sprintf("N%d", i))
			}
			wanted["refused@@example.com"] = profile("user", "")
			scope := workspaceScope{SendEmail: true}
			e := (&invitationsResource{client: c}).engine()
			// exclusive = false: old03.. were never in state and are not removed
			plan, diags := e.Update(ctx, scope, shared.Snapshot[Profile]{Members: prior}, shared.Snapshot[Profile]{Members: wanted}, shared.Guardrails{})
			if n := diags.ErrorsCount(); n != 1 || !strings.Contains(diags.Errors()[0].Summary(), "refused@@example.com") {
				t.Fatalf("%d errors, want the one refused invitation: %v", n, diags)
			}
			got := plan.Members
			if len(got) != len(wanted)-1 {
				t.Fatalf("state has %d members, want %d (all but the refused one)", len(got), len(wanted)-1)
			}
			for k, m := range got {
				u, ok := sb.Royalti.User(k)
				if !ok || u.Role != m.Role || (m.FirstName != nil && u.FirstName != *m.FirstName) || plan.IDs[k] != u.ID {
					t.Fatalf("%s: state %+v, workspace %+v, id %q", k, m, u, plan.IDs[k])
				}
			}
			if _, ok := sb.Royalti.User("old01@example.com"); ok {
				t.Fatal("old01, in prior state and no longer wanted, was not removed")
			}
			if _, ok := sb.Royalti.User("old03@example.com"); !ok {
				t.Fatal("old03, never in state, was removed")
			}
			// 41 invitations read back with one read of the recent users;
			// the refused one is checked against the listing (adopted if
			// its email had a tenant user)
			if n := sb.Count("royalti", "GET /user/{$}"); n != 3 {
				t.Fatalf("%d listing requests, want the observation, one read-back and one check of the refused email", n)
			}
			wantPatches := 41 // 40 new (names ignored) + old02
			if legacy {
				wantPatches = 1
			}
			if n := sb.Count("royalti", "PATCH /user/{id}"); n != wantPatches {
				t.Fatalf("%d PATCH, want %d", n, wantPatches)
			}
		})
	}
}

// The read-back never uses a read that started before the invitation
// began, and serves concurrent invitations with one request.
func TestReadBackShared(t *testing.T) {
	c, sb := testClient(t)
	sb.SetLatency(30 * time.Millisecond)
	ctx := context.Background()
	// a read of the recent users, before any invitation
	if _, err := c.recentUsers(ctx); err != nil {
		t.Fatal(err)
	}
	sb.ClearLog()
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			email := fmt.Sprintf("rb%d@example.com", i)
			mark := c.recent.begin()
			err := c.invite(ctx, "", InviteRequest{Email: email, SendEmail: true})
			c.recent.end()
			if err != nil {
				errs <- err
				return
			}
			u, err := c.findInvited(ctx, "", email, mark, c.recent)
			if err != nil || u == nil || !strings.EqualFold(u.Email, email) {
				errs <- fmt.Errorf("%s: %+v %v", email, u, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := sb.Count("royalti", "GET /user/{$}"); n != 1 {
		t.Fatalf("%d reads for 10 concurrent invitations, want 1", n)
	}
}

// Hostile answers: an error envelope in a 200 is an error, never a user;
// wrong totals and capped pages still list everyone; a repeated page is a
// clear error.
func TestListingsAgainstHostileServer(t *testing.T) {
	c, sb := testClient(t)
	ctx := context.Background()
	for i := 0; i < 57; i++ {
		sb.Royalti.AddUser(fmt.Sprintf("h%02d@example.com", i), "user", "", "", "invited")
	}
	for _, o := range []sandbox.RoyaltiOptions{{MaxPageSize: 10}, {TotalSkew: -40}, {TotalSkew: 300}, {MaxPageSize: 7, TotalSkew: -50}} {
		sb.Royalti.SetOptions(o)
		users, err := c.listUsers(ctx, userFilter{})
		if err != nil || len(users) != 59 {
			t.Fatalf("%+v: %d users, %v", o, len(users), err)
		}
	}
	sb.Royalti.SetOptions(sandbox.RoyaltiOptions{MaxPageSize: 10, IgnorePaging: true})
	if _, err := c.listUsers(ctx, userFilter{}); err == nil || !strings.Contains(err.Error(), "stopped at page 2") {
		t.Fatalf("repeated page: %v", err)
	}
	sb.Royalti.SetOptions(sandbox.RoyaltiOptions{EnvelopeErrors: true})
	if u, err := c.getUser(ctx, "0a1b2c3d-0000-4000-8000-00000000ffff"); u != nil || err == nil || !strings.Contains(err.Error(), "User not found") {
		t.Fatalf("envelope: %+v %v", u, err)
	}
	sb.AddFault(sandbox.Fault{Platform: "royalti", Method: "GET", Path: "/user/invites", Status: 200, Body: `{"message":"broken"}`})
	dir, err := c.fetchDirectory(ctx, userFilter{})
	if err != nil || len(dir.ByID) != 59 || dir.InvitesErr == nil || !strings.Contains(dir.InvitesErr.Error(), "broken") {
		t.Fatalf("invites listing down: %v %v", dir, err)
	}
	if unk := sb.Royalti.Unknown(); len(unk) != 0 {
		t.Fatalf("undocumented parameters sent: %v", unk)
	}
}

// A row that carries the email only under User (as the reference's rows
// also do) still has its email.
func TestUserEmailUnderUser(t *testing.T) {
	u, err := decodeUser([]byte(`{"id":"u1","role":"user","User":{"email":"Only@Here.example"}}`))
	if err != nil {
		t.Fatal(err)
	}
	u.normalize()
	if u.Email != "Only@Here.example" || u.Account != nil {
		t.Fatalf("user: %+v", u)
	}
}

// Royalti's read endpoints take no workspace parameter: every listing is
// the token's workspace, whatever workspace_id a resource sets. A write
// through a resource with workspace_id set to the token's workspace must
// outdate the listing a resource without workspace_id reads, and the
// other way round.
func TestDirectoryIsOneListingWhateverTheWorkspaceID(t *testing.T) {
	for _, c := range []struct{ read, write string }{{"", sandbox.RoyaltiWorkspaceID}, {sandbox.RoyaltiWorkspaceID, ""}} {
		t.Run(fmt.Sprintf("read %q write %q", c.read, c.write), func(t *testing.T) {
			cl, sb := testClient(t)
			ctx := context.Background()
			id := sb.Royalti.AddUser("leaver@example.com", "user", "", "", "joined")
			if dir, err := cl.directory(ctx, c.read); err != nil || dir.ByEmail("leaver@example.com") == nil {
				t.Fatalf("listing: %v", err)
			}
			if err := cl.deleteUser(ctx, id); err != nil {
				t.Fatal(err)
			}
			dir, err := cl.directory(ctx, c.read)
			if err != nil {
				t.Fatal(err)
			}
			if dir.ByEmail("leaver@example.com") != nil {
				t.Fatal("the listing read after the removal still has the removed user: it was cached under another workspace_id")
			}
		})
	}
}
