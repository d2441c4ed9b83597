package attackforge

import (
	"context"
	"errors"
	"net/http/httptest"
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
			if _, ok, err := c.Membership(ctx, sandbox.AFProjectWebApp, sandbox.AFUserFrank); !ok || err != nil {
				t.Errorf("frank: %v %v", ok, err)
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
	m, _, _ := c.Membership(ctx, sandbox.AFProjectWebApp, sandbox.AFUserFrank)
	if m.AccessLevel != "View" || sb.Count("attackforge", route) != 2 {
		t.Errorf("after a write: %+v, %d listings", m, sb.Count("attackforge", route))
	}
	if err := c.RemoveMember(ctx, sandbox.AFProjectWebApp, sandbox.AFUserFrank); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := c.Membership(ctx, sandbox.AFProjectWebApp, sandbox.AFUserFrank); ok {
		t.Error("frank still a member after removal")
	}
	// Removing again is not an error: he is off the team.
	if err := c.RemoveMember(ctx, sandbox.AFProjectWebApp, sandbox.AFUserFrank); err != nil {
		t.Errorf("second removal: %v", err)
	}
	// Look-ups are cached too.
	for range 3 {
		if u, ok, err := c.ResolveUser(ctx, "Alice@Example.com"); !ok || err != nil || u.ID != sandbox.AFUserAlice {
			t.Fatalf("alice: %+v %v %v", u, ok, err)
		}
		if u, ok, err := c.ResolveUser(ctx, sandbox.AFUserBob); !ok || err != nil || u.Username != "bob" {
			t.Fatalf("bob: %+v %v %v", u, ok, err)
		}
	}
	if sb.Count("attackforge", "GET /api/ss/users/email/{email}") != 1 || sb.Count("attackforge", "GET /api/ss/users") != 1 {
		t.Errorf("look-ups not cached: %v", sb.Counts())
	}
	if _, ok, err := c.ResolveUser(ctx, "nobody"); ok || err != nil {
		t.Errorf("unknown username: %v %v", ok, err)
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
	if _, _, err := bad.UserByEmail(ctx, "alice@example.com"); shared.StatusOf(err) != 401 {
		t.Errorf("bad key: %v", err)
	}
}
