package docspace

import (
	"context"
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
	sb := sandbox.New()
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	opts := shared.DefaultOptions()
	opts.MaxRetries = 0
	opts.RequestTimeout = 5 * time.Second
	c, err := NewClient(Config{Endpoint: srv.URL + sandbox.PrefixDocSpace, Token: sandbox.DocSpaceToken}, opts)
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
	c, sb := testClient(t)
	sb.DocSpace.SetGuestInvitesDisabled(true)
	_, err := c.Invite(context.Background(), "", []Invitation{{Email: "g@example.com", Type: "Guest"}})
	if shared.StatusOf(err) != http.StatusForbidden || !strings.Contains(err.Error(), "inviting guests is disabled") {
		t.Fatalf("%v", err)
	}
}

// Concurrent invitations share a request per (culture, type); a failure
// of one member lands on that member only.
func TestInviteBatching(t *testing.T) {
	c, sb := testClient(t)
	ctx := context.Background()
	sb.DocSpace.SetAdminQuota(4) // 2 used by the seeds: 2 free
	type res struct {
		email string
		u     User
		err   error
	}
	var wg sync.WaitGroup
	out := make(chan res, 30)
	for i := 0; i < 10; i++ {
		for _, typ := range []string{"User", "Guest"} {
			email := fmt.Sprintf("%s%d@example.com", strings.ToLower(typ), i)
			wg.Add(1)
			go func() {
				defer wg.Done()
				u, err := c.InviteOne(ctx, email, typ, "en-US")
				out <- res{email, u, err}
			}()
		}
	}
	wg.Add(3)
	for i := 0; i < 3; i++ {
		email := fmt.Sprintf("ra%d@example.com", i)
		go func() {
			defer wg.Done()
			u, err := c.InviteOne(ctx, email, "RoomAdmin", "en-US")
			out <- res{email, u, err}
		}()
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
		if !strings.EqualFold(r.u.Email, r.email) {
			t.Errorf("%s got user %s", r.email, r.u.Email)
		}
	}
	if failed != 1 {
		t.Fatalf("%d invitations failed, want 1 (quota of 2 free seats for 3 room admins)", failed)
	}
	// User and Guest batches: one request each; RoomAdmin: one refused
	// batch then one request per member.
	if got := sb.Count("docspace", "POST /api/2.0/people/invite"); got != 2+1+3 {
		t.Fatalf("%d POST people/invite, want 6", got)
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
			got, found, err := c.Lookup(ctx, u.ID)
			if err != nil || !found || got.Email != u.Email {
				t.Errorf("%s: %v %v", u.Email, found, err)
			}
		}()
	}
	wg.Wait()
	if got := sb.Count("docspace", ""); got != 3 {
		t.Fatalf("%d lookups sent %d requests, want the 3 pages", len(users), got)
	}
	if _, found, err := c.Lookup(ctx, "3f2a9c1e-8b7d-4e6f-a5b4-c3d2e1f0a9b8"); found || err != nil {
		t.Fatalf("missing user: %v %v", found, err)
	}
	if _, err := c.InviteOne(ctx, "new@example.com", "User", ""); err != nil {
		t.Fatal(err)
	}
	sb.ClearLog()
	if _, _, err := c.Lookup(ctx, users[0].ID); err != nil {
		t.Fatal(err)
	}
	if got := sb.Count("docspace", "GET /api/2.0/people/filter"); got != 3 {
		t.Fatalf("after a write the listing was not refreshed (%d pages)", got)
	}
}

func TestRemove(t *testing.T) {
	c, sb := testClient(t)
	ctx := context.Background()
	owner, _ := sb.DocSpace.User(sandbox.DocSpaceOwnerEmail)
	if err := c.Remove(ctx, owner.ID, owner.Email); err == nil || !strings.Contains(err.Error(), "did not terminate") {
		t.Fatalf("owner removed: %v", err)
	}
	u, _ := sb.DocSpace.User(sandbox.DocSpaceUserEmail)
	if err := c.Remove(ctx, u.ID, u.Email); err != nil {
		t.Fatal(err)
	}
	if _, ok := sb.DocSpace.User(sandbox.DocSpaceUserEmail); ok {
		t.Fatal("not deleted")
	}
	if err := c.Remove(ctx, u.ID, u.Email); err != nil {
		t.Fatalf("removing a gone user: %v", err)
	}
}
