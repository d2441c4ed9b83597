package docspace

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

func testClient(t *testing.T) (*Client, *sandbox.Sandbox) {
	t.Helper()
	return testClientAs(t, sandbox.DocSpaceToken)
}

// testClientAs signs in with token (sandbox.DocSpaceAdminToken: a DocSpace
// admin who is not the owner).
func testClientAs(t *testing.T, token string) (*Client, *sandbox.Sandbox) {
	t.Helper()
	sb := sandbox.New()
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	opts := shared.DefaultOptions()
	opts.MaxRetries = 0
	opts.RequestTimeout = 5 * time.Second
	c, err := NewClient(Config{Endpoint: srv.URL + sandbox.PrefixDocSpace, Token: token}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c, sb
}

func TestDecodeUser(t *testing.T) {
	u, err := DecodeUser([]byte(`{"response":{"id":"a","email":"x@y.z","isAdmin":true,"status":1,"activationStatus":2},"count":1,"status":0,"statusCode":200}`))
	if err != nil || u.Type() != "DocSpaceAdmin" || ActivationWord(u.ActivationStatus) != "pending" || StatusWord(u.Status) != "active" {
		t.Fatalf("%+v %v", u, err)
	}
	for _, bad := range []string{`{"response":null}`, `{}`, `{"response":{"email":"x"}}`, `[`, `{"response":"text"}`} {
		if _, err := DecodeUser([]byte(bad)); err == nil {
			t.Errorf("%s decoded", bad)
		}
	}
	us, err := DecodeUsers([]byte(`{"response":[{"id":"a","isOwner":true,"isAdmin":true},{"id":"b","isVisitor":true},{"id":"c","isRoomAdmin":true},{"id":"d"}],"count":4}`))
	if err != nil || len(us) != 4 {
		t.Fatal(err)
	}
	got := []string{us[0].Type(), us[1].Type(), us[2].Type(), us[3].Type()}
	if strings.Join(got, ",") != "Owner,Guest,RoomAdmin,User" {
		t.Fatal(got)
	}
	if us, err := DecodeUsers([]byte(`{"response":null}`)); err != nil || len(us) != 0 {
		t.Fatal("null list")
	}
	if ActivationWord(9) != "unknown_9" || StatusWord(9) != "unknown_9" {
		t.Fatal("unknown words")
	}
	if n, ok := ActivationNumber("auto_generated"); !ok || n != 4 {
		t.Fatal("ActivationNumber")
	}
}

func TestParseImportID(t *testing.T) {
	cases := map[string][2]string{
		"Jane@Example.com":                       {"Jane@Example.com", ""},
		"3F2A9C1E-8B7D-4E6F-A5B4-C3D2E1F0A9B8":   {"", "3f2a9c1e-8b7d-4e6f-a5b4-c3d2e1f0a9b8"},
		" 3f2a9c1e-8b7d-4e6f-a5b4-c3d2e1f0a9b8 ": {"", "3f2a9c1e-8b7d-4e6f-a5b4-c3d2e1f0a9b8"},
	}
	for in, want := range cases {
		e, id, err := ParseImportID(in)
		if err != nil || e != want[0] || id != want[1] {
			t.Errorf("%q -> %q %q %v", in, e, id, err)
		}
	}
	for _, bad := range []string{"", "jane", "3f2a9c1e", "a@b", "<jane@example.com>", "3f2a9c1e-8b7d-4e6f-a5b4-c3d2e1f0a9bz"} {
		if _, _, err := ParseImportID(bad); err == nil || !strings.Contains(err.Error(), "uuid") {
			t.Errorf("%q accepted", bad)
		}
	}
}

func FuzzParseImportID(f *testing.F) {
	for _, s := range []string{"jane@example.com", "3f2a9c1e-8b7d-4e6f-a5b4-c3d2e1f0a9b8", "", "@", "a@b.c@d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, id, err := ParseImportID(s)
		if err == nil && (e == "") == (id == "") {
			t.Fatalf("%q: exactly one of email and id expected, got %q %q", s, e, id)
		}
		if err == nil && id != "" && !uuidRe.MatchString(id) {
			t.Fatalf("%q: bad uuid %q", s, id)
		}
	})
}

func FuzzDecodeUser(f *testing.F) {
	f.Add([]byte(`{"response":{"id":"a","email":"x@y.z","isAdmin":true},"count":1}`))
	f.Add([]byte(`{"error":{"message":"no"},"statusCode":404}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, b []byte) {
		u, err := DecodeUser(b)
		if err == nil && u.ID == "" {
			t.Fatal("decoded a user without id")
		}
		_ = u.Type()
	})
}

func FuzzDecodeUsers(f *testing.F) {
	f.Add([]byte(`{"response":[{"id":"a"},{"id":"b","isVisitor":true}],"count":2}`))
	f.Add([]byte(`{"response":{}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		us, _ := DecodeUsers(b)
		for _, u := range us {
			_ = u.Type()
		}
	})
}

func TestErrorEnvelopeMessage(t *testing.T) {
	c, _ := testClient(t)
	err := c.Invite(context.Background(), "", []Invitation{{Email: "g@example.com", Type: "Guest"}})
	if shared.StatusOf(err) != http.StatusForbidden || !strings.Contains(err.Error(), "Access denied") {
		t.Fatalf("%v", err)
	}
}

// Concurrent invitations share a request per (culture, type) and one
// read-back of the listing per request; a failure of one member lands on
// that member only.
func TestInviteBatching(t *testing.T) {
	c, sb := testClient(t)
	ctx := context.Background()
	sb.DocSpace.SetAdminQuota(4) // 2 used by the seeds: 2 free
	type res struct {
		email string
		u     Invited
		err   error
	}
	var wg sync.WaitGroup
	out := make(chan res, 30)
	invite := func(email, typ string) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u, err := c.InviteOne(ctx, email, typ, "en-US")
			out <- res{email, u, err}
		}()
	}
	for i := 0; i < 10; i++ {
		invite(fmt.Sprintf("user%d@example.com", i), "User")
	}
	for i := 0; i < 3; i++ {
		invite(fmt.Sprintf("ra%d@example.com", i), "RoomAdmin")
	}
	wg.Wait()
	close(out)
	failed := 0
	for r := range out {
		if r.err != nil {
			if !strings.HasPrefix(r.email, "ra") || shared.StatusOf(r.err) != http.StatusPaymentRequired {
				t.Errorf("%s: %v", r.email, r.err)
			}
			failed++
			continue
		}
		if !strings.EqualFold(r.u.Email, r.email) || r.u.ID == "" {
			t.Errorf("%s got user %+v", r.email, r.u)
		}
	}
	if failed != 1 {
		t.Fatalf("%d invitations failed, want 1 (quota of 2 free seats for 3 room admins)", failed)
	}
	// User: one request; RoomAdmin: one refused request (the quota is
	// checked for the whole request), then one request per member.
	if got := sb.Count("docspace", "POST /api/2.0/people/invite"); got != 1+1+3 {
		t.Fatalf("%d POST people/invite, want 5", got)
	}
	if got := sb.Count("docspace", "GET /api/2.0/people/email"); got != 0 {
		t.Fatalf("%d GET people/email: the read-back must use the listing", got)
	}
}

// The invite answer (EmployeeDto) has no email: each batch reads the
// listing back once, whatever its size, and concurrent batches never
// use a listing fetched before their request.
func TestInviteReadBackIsOneListingPerBatch(t *testing.T) {
	c, sb := testClient(t)
	ctx := context.Background()
	for i := 0; i < 150; i++ {
		sb.DocSpace.AddUser(fmt.Sprintf("old%03d@example.com", i), "User", sandbox.DSActivationActivated)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 60)
	for i := 0; i < 60; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			email := fmt.Sprintf("new%02d@example.com", i)
			u, err := c.InviteOne(ctx, email, "User", "")
			if err == nil && !strings.EqualFold(u.Email, email) {
				err = fmt.Errorf("%s got user %s", email, u.Email)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	posts := sb.Count("docspace", "POST /api/2.0/people/invite")
	pages := sb.Count("docspace", "GET /api/2.0/people/filter")
	pending := sb.Count("docspace", "GET /api/2.0/people/status/{status}")
	// The run's listing (150 users before, 210 after: 2 or 3 pages of
	// 100) is read once per batch at most, to adopt who is already
	// there; the invitees are read back among pending users, 50 a
	// request.
	if posts == 0 || pages > 3*posts {
		t.Fatalf("%d batches read %d listing pages, want 3 per batch at most", posts, pages)
	}
	if pending == 0 || pending > 2*posts {
		t.Fatalf("%d batches read back %d pages of pending users, want 1 or 2 per batch (50 invitees a request)", posts, pending)
	}
	if got := sb.Count("docspace", "GET /api/2.0/people/email"); got != 0 {
		t.Fatalf("%d GET people/email, want 0", got)
	}
}

// A request DocSpace stops part-way (400 for a disabled address in the
// middle) leaves the earlier invitations sent: they are kept, the
// terminated user is re-activated rather than invited, and the rest is
// sent again.
func TestInviteManyPartialFailure(t *testing.T) {
	c, sb := testClient(t)
	ctx := context.Background()
	sb.DocSpace.AddUser("gone@example.com", "User", sandbox.DSActivationActivated)
	sb.DocSpace.Terminate("gone@example.com")
	out := c.InviteMany(ctx, "", []Invitation{
		{Email: "first@example.com", Type: "User"}, {Email: "gone@example.com", Type: "User"}, {Email: "last@example.com", Type: "User"},
	})
	for _, e := range []string{"first@example.com", "gone@example.com", "last@example.com"} {
		o := out[e]
		if o.Err != nil || !strings.EqualFold(o.Email, e) || o.Terminated() {
			t.Fatalf("%s: %+v", e, o)
		}
		if o.Reactivated != (e == "gone@example.com") {
			t.Fatalf("%s: reactivated %v", e, o.Reactivated)
		}
		if u, _ := sb.DocSpace.User(e); u.Status == sandbox.DSStatusTerminated {
			t.Fatalf("%s is still terminated", e)
		}
	}
	n := 0
	for _, r := range sb.Requests("docspace") {
		if r.Route == "POST /api/2.0/people/invite" {
			n += strings.Count(r.Body, "first@example.com")
		}
	}
	if n != 1 {
		t.Fatalf("first@example.com was sent %d times, want once (the failed request had sent it)", n)
	}
}

// A termination request the portal refuses as a whole (403) is split, so
// that the refused user fails alone and the others are removed; users the
// provider knows DocSpace refuses are never sent.
func TestRemoveManySplitsARefusedBatch(t *testing.T) {
	c, sb := testClientAs(t, sandbox.DocSpaceAdminToken)
	ctx := context.Background()
	var users []User
	for i := 0; i < 7; i++ {
		email := fmt.Sprintf("m%d@example.com", i)
		users = append(users, User{ID: sb.DocSpace.AddUser(email, "User", sandbox.DSActivationActivated), Email: email})
	}
	// an admin the provider's (stale) listing takes for a plain user
	stale := User{ID: sb.DocSpace.AddUser("admin2@example.com", "DocSpaceAdmin", sandbox.DSActivationActivated), Email: "admin2@example.com"}
	owner, _ := sb.DocSpace.User(sandbox.DocSpaceOwnerEmail)
	users = append(users[:3], append([]User{stale}, users[3:]...)...)
	users = append(users, User{ID: owner.ID, Email: owner.Email, IsOwner: true})
	errs := c.RemoveMany(ctx, users)
	if len(errs) != 2 || shared.StatusOf(errs[stale.ID]) != http.StatusForbidden || !strings.Contains(errs[owner.ID].Error(), "portal owner") {
		t.Fatalf("errors %v, want the stale admin's 403 and the owner's refusal", errs)
	}
	for _, u := range users[:len(users)-1] {
		if _, ok := sb.DocSpace.User(u.Email); ok != (u.ID == stale.ID) {
			t.Fatalf("%s: on the portal %v", u.Email, ok)
		}
	}
	for _, r := range sb.Requests("docspace") {
		if strings.Contains(r.Body, owner.ID) {
			t.Fatalf("the owner was sent: %s %s %s", r.Method, r.Path, r.Body)
		}
	}
	// 8 ids: at most 2*8-1 requests, and fewer than one per user
	if got := sb.Count("docspace", "PUT /api/2.0/people/status/{status}"); got > 15 || got < 2 {
		t.Fatalf("%d termination requests", got)
	}
}

// A user left terminated by an earlier run is deleted without another
// termination; the owner is refused without a request.
func TestRemove(t *testing.T) {
	c, sb := testClient(t)
	ctx := context.Background()
	owner, _ := sb.DocSpace.User(sandbox.DocSpaceOwnerEmail)
	if err := c.Remove(ctx, User{ID: owner.ID, Email: owner.Email, IsOwner: true}); err == nil || !strings.Contains(err.Error(), "portal owner") {
		t.Fatalf("owner removed: %v", err)
	}
	if got := sb.Count("docspace", "PUT /api/2.0/people/status/{status}"); got != 0 {
		t.Fatalf("the owner was sent (%d)", got)
	}
	u, _ := sb.DocSpace.User(sandbox.DocSpaceUserEmail)
	if err := c.Remove(ctx, User{ID: u.ID, Email: u.Email}); err != nil {
		t.Fatal(err)
	}
	if _, ok := sb.DocSpace.User(sandbox.DocSpaceUserEmail); ok {
		t.Fatal("not deleted")
	}
	if err := c.Remove(ctx, User{ID: u.ID, Email: u.Email}); err != nil {
		t.Fatalf("removing a gone user: %v", err)
	}
	id := sb.DocSpace.AddUser("half@example.com", "User", sandbox.DSActivationActivated)
	sb.DocSpace.Terminate("half@example.com")
	sb.ClearLog()
	if err := c.Remove(ctx, User{ID: id, Email: "half@example.com", Status: 2}); err != nil {
		t.Fatal(err)
	}
	if got := sb.Count("docspace", ""); got != 1 {
		t.Fatalf("finishing a terminated user took %d requests, want the DELETE: %v", got, sb.Counts())
	}
}

// A type change request DocSpace rejects in the middle (403 for the
// owner) leaves the users before it converted: split, the rejected user
// fails alone and every other one is converted.
func TestChangeTypesSplitsARejectedBatch(t *testing.T) {
	c, sb := testClientAs(t, sandbox.DocSpaceAdminToken)
	ctx := context.Background()
	var users []User
	for i := 0; i < 6; i++ {
		email := fmt.Sprintf("g%d@example.com", i)
		users = append(users, User{ID: sb.DocSpace.AddUser(email, "Guest", sandbox.DSActivationActivated), Email: email, IsVisitor: true})
	}
	owner, _ := sb.DocSpace.User(sandbox.DocSpaceOwnerEmail)
	stale := User{ID: owner.ID, Email: owner.Email} // a listing that missed the owner flag
	users = append(users[:2], append([]User{stale}, users[2:]...)...)
	errs := c.ChangeTypes(ctx, "User", users)
	if len(errs) != 1 || shared.StatusOf(errs[owner.ID]) != http.StatusForbidden {
		t.Fatalf("errors %v, want only the owner's 403", errs)
	}
	for _, u := range users {
		if u.ID == owner.ID {
			continue
		}
		if got, _ := sb.DocSpace.User(u.Email); got.Type != "User" {
			t.Fatalf("%s is %s, want User", u.Email, got.Type)
		}
	}
}

// A server that answers the same full page whatever startIndex says is
// detected on the second page: the listing fails, naming the problem,
// instead of looping or planning the members beyond it away.
func TestListUsersStopsOnARepeatedPage(t *testing.T) {
	c, sb := testClient(t)
	for i := 0; i < 150; i++ {
		sb.DocSpace.AddUser(fmt.Sprintf("m%03d@example.com", i), "User", sandbox.DSActivationActivated)
	}
	sb.DocSpace.SetIgnorePaging(true)
	_, err := c.ListUsers(context.Background(), Filter{ActivationStatus: anyActivation})
	var pe *shared.PagingError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "earlier pages") {
		t.Fatalf("%v", err)
	}
	if got := sb.Count("docspace", "GET /api/2.0/people/filter"); got != 2 {
		t.Fatalf("%d requests, want 2", got)
	}
}

func TestDirectoryIsSharedAndInvalidated(t *testing.T) {
	c, sb := testClient(t)
	ctx := context.Background()
	for i := 0; i < 250; i++ {
		sb.DocSpace.AddUser(fmt.Sprintf("m%03d@example.com", i), "User", sandbox.DSActivationActivated)
	}
	users := sb.DocSpace.Users()
	var wg sync.WaitGroup
	for _, u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := c.findUser(ctx, u.ID)
			if err != nil || got.Email != u.Email {
				t.Errorf("%s: %v", u.Email, err)
			}
		}()
	}
	wg.Wait()
	if got := sb.Count("docspace", ""); got != 3 {
		t.Fatalf("%d lookups sent %d requests, want the 3 pages", len(users), got)
	}
	if _, err := c.findUser(ctx, "3f2a9c1e-8b7d-4e6f-a5b4-c3d2e1f0a9b8"); !errors.Is(err, shared.ErrNotFound) {
		t.Fatalf("missing user: %v, want shared.ErrNotFound", err)
	}
	sb.ClearLog()
	// An invitation is read back by email among the pending users (one
	// request), not by listing the portal's 3 pages...
	if u, err := c.InviteOne(ctx, "New@Example.com", "User", ""); err != nil || u.Email != "New@Example.com" || !u.Pending() {
		t.Fatalf("invite: %+v %v", u, err)
	}
	if got, pending := sb.Count("docspace", ""), sb.Count("docspace", "GET /api/2.0/people/status/{status}"); got != 2 || pending != 1 {
		t.Fatalf("invite and read-back sent %d requests (%d read-backs), want the invite and 1: %v", got, pending, sb.Counts())
	}
	// ...and the listing, which the invitation outdated, is read again
	// once for the Reads that follow.
	sb.ClearLog()
	for range 3 {
		if _, err := c.findUser(ctx, users[0].ID); err != nil {
			t.Fatal(err)
		}
	}
	if got := sb.Count("docspace", "GET /api/2.0/people/filter"); got != 3 {
		t.Fatalf("lookups after the invitation listed %d pages, want the 3 pages once", got)
	}
}

// A listing whose fetch began before a write never serves that write's
// read-back (the flaky "type is still Guest"): the read-back fetches
// again, and sees the change.
func TestReadBackNeverUsesAListingFetchedBeforeTheWrite(t *testing.T) {
	sb := sandbox.New()
	answered, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	// the first listing is answered by the portal at once, but reaches
	// the client only when the test says so
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/people/filter") {
			sb.ServeHTTP(w, r)
			return
		}
		first := false
		once.Do(func() { first = true })
		if !first {
			sb.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		sb.ServeHTTP(rec, r)
		close(answered)
		<-release
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(srv.Close)
	opts := shared.DefaultOptions()
	opts.MaxRetries = 0
	c, err := NewClient(Config{Endpoint: srv.URL + sandbox.PrefixDocSpace, Token: sandbox.DocSpaceToken}, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	id := sb.DocSpace.AddUser("g@example.com", "Guest", sandbox.DSActivationActivated)
	stale := make(chan Directory)
	go func() {
		d, _ := c.Directory(ctx)
		stale <- d
	}()
	<-answered // the portal has listed g@ as a Guest
	if _, err := c.SetType(ctx, "User", []string{id}); err != nil {
		t.Fatal(err)
	}
	fresh := make(chan Directory)
	go func() {
		d, _ := c.Directory(ctx)
		fresh <- d
	}()
	var dir Directory
	select {
	case dir = <-fresh:
	case <-time.After(10 * time.Second): // a bound on a hang, not a timing
		close(release)
		<-stale
		t.Fatal("the read-back after the write is waiting for the listing fetched before it")
	}
	close(release)
	if u, _ := dir.User(id); u.Type() != "User" {
		t.Fatalf("the read-back after the write says %s", u.Type())
	}
	<-stale
}

// The authoritative apply (removals, invitations, re-activations and type
// changes through the shared reconciler) without Terraform, so that `make
// race` runs it under the race detector; a refused invitation fails alone
// and the state keeps what succeeded.
func TestInvitationsApply(t *testing.T) {
	c, sb := testClient(t)
	ctx := context.Background()
	sb.DocSpace.SetAdminQuota(2) // the seeded admins are removed first
	for i := 0; i < 30; i++ {
		sb.DocSpace.AddUser(fmt.Sprintf("old%02d@example.com", i), "User", sandbox.DSActivationActivated)
	}
	sb.DocSpace.Terminate("old00@example.com")
	prior := map[string]string{"old00@example.com": "User", "old01@example.com": "User"}
	wanted := map[string]string{"old00@example.com": "User", "old02@example.com": "Guest"} // re-activate; change
	for i := 0; i < 20; i++ {
		wanted[fmt.Sprintf("new%02d@example.com", i)] = "User"
	}
	for i := 0; i < 3; i++ {
		wanted[fmt.Sprintf("ra%d@example.com", i)] = "RoomAdmin" // one over the quota
	}
	r := &invitationsResource{client: c}
	e := r.engine()
	refreshed, diags := e.Read(ctx, portalScope{}, shared.Snapshot[string]{Members: prior, Exclusive: true}, shared.Guardrails{})
	if diags.HasError() || refreshed.Members["old00@example.com"] != terminatedMember || len(refreshed.Unlisted) < 28 {
		t.Fatalf("refresh: %v %v", refreshed, diags)
	}
	plan, diags := e.Update(ctx, portalScope{}, refreshed, shared.Snapshot[string]{Members: wanted, Exclusive: true}, shared.Guardrails{})
	if n := diags.ErrorsCount(); n != 1 || !strings.Contains(diags.Errors()[0].Detail(), "HTTP 402") {
		t.Fatalf("%d errors, want the one refused room admin: %v", n, diags)
	}
	got := plan.Members
	if len(got) != len(wanted)-1 {
		t.Fatalf("state has %d members, want %d (all but the refused one): %v", len(got), len(wanted)-1, got)
	}
	for k, v := range got {
		if wanted[k] != v {
			t.Fatalf("state says %s is %s, want %s", k, v, wanted[k])
		}
		if u, _ := sb.DocSpace.User(k); u.Type != v || u.Status == sandbox.DSStatusTerminated {
			t.Fatalf("%s on the portal: %+v", k, u)
		}
	}
	if len(plan.IDs) != len(got) || len(plan.Unlisted) != 0 {
		t.Fatalf("member_ids %v, unlisted %v", plan.IDs, plan.Unlisted)
	}
	// exclusive: everyone else went (they were unlisted), except the owner (the caller)
	left := map[string]bool{}
	for _, u := range sb.DocSpace.Users() {
		left[u.Email] = true
	}
	if len(left) != len(got)+1 || !left[sandbox.DocSpaceOwnerEmail] {
		t.Fatalf("%d users left on the portal, want the %d members and the owner: %v", len(left), len(got), left)
	}
}

// On a portal of more than two listing pages, invitations are
// read back by email among the pending users, one request per 50
// invitees, never by listing the portal; an invitee that is an existing
// (active) user, and every invitee when that read-back fails, is found in
// the listing instead.
func TestInviteManyReadsBackByEmail(t *testing.T) {
	c, sb := testClient(t)
	ctx := context.Background()
	for i := 0; i < 250; i++ {
		sb.DocSpace.AddUser(fmt.Sprintf("old%03d@example.com", i), "User", sandbox.DSActivationActivated)
	}
	var invs []Invitation
	for i := 0; i < 119; i++ {
		invs = append(invs, Invitation{Email: fmt.Sprintf("New%d@Example.com", i), Type: "User"})
	}
	// the terms match substrings: new5@ is in xnew5@ too
	invs = append(invs, Invitation{Email: "xnew5@example.com", Type: "User"})
	sb.ClearLog()
	out := c.InviteMany(ctx, "", invs)
	for _, inv := range invs {
		o := out[shared.NormalizeEmail(inv.Email)]
		if o.Err != nil || !strings.EqualFold(o.Email, inv.Email) || !o.Pending() {
			t.Fatalf("%s: %+v", inv.Email, o)
		}
	}
	if got := sb.Count("docspace", "GET /api/2.0/people/status/{status}"); got != 3 {
		t.Fatalf("120 invitees read back with %d requests, want 3 (50 a request): %v", got, sb.Counts())
	}
	if got := sb.Count("docspace", "GET /api/2.0/people/filter"); got != 0 {
		t.Fatalf("the read-back listed %d pages of the portal, want none", got)
	}

	// An existing active user is not pending: the listing finds it.
	sb.ClearLog()
	out = c.InviteMany(ctx, "", []Invitation{{Email: "OLD007@example.com", Type: "User"}, {Email: "fresh@example.com", Type: "User"}})
	if o := out["old007@example.com"]; o.Err != nil || o.Email != "old007@example.com" {
		t.Fatalf("existing user: %+v", o)
	}
	if o := out["fresh@example.com"]; o.Err != nil || !o.Pending() {
		t.Fatalf("new user: %+v", o)
	}
	if got := sb.Count("docspace", "GET /api/2.0/people/filter"); got != 4 {
		t.Fatalf("the existing user was looked up with %d listing pages, want the portal's 4", got)
	}

	// A read-back that fails falls back to the listing.
	sb.AddFault(sandbox.Fault{Platform: "docspace", Method: "GET", Path: "/people/status/", Status: 500, Count: 1})
	sb.ClearLog()
	out = c.InviteMany(ctx, "", []Invitation{{Email: "late@example.com", Type: "User"}})
	if o := out["late@example.com"]; o.Err != nil || !o.Pending() {
		t.Fatalf("after a failed read-back: %+v", o)
	}
	if got := sb.Count("docspace", "GET /api/2.0/people/filter"); got != 4 {
		t.Fatalf("after a failed read-back, %d listing pages, want the portal's 4", got)
	}
}
