package royalti

// The flows above the raw calls: the run's shared listing of the
// workspace (directory) and the one invitation flow (inviteAndReadBack),
// used by the per-member resource (one invitation) and the authoritative
// one (all its new members at once).

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// directoryKey is the one key of the listing cache: Royalti's read
// endpoints take no workspace parameter and answer for the token's
// workspace, so every resource reads the same listing whatever its
// workspace_id, and every write outdates it.
const directoryKey = "the token's workspace"

// directory returns the users of the token's workspace with invites,
// listed once per provider run and shared by every Read (see
// shared.ListCache); writes invalidate it. workspaceID is the resource's:
// the listing does not depend on it.
func (c *Client) directory(ctx context.Context, _ string) (*Directory, error) {
	return c.dirs.Get(ctx, directoryKey, func(ctx context.Context) (*Directory, error) {
		return c.fetchDirectory(ctx, userFilter{})
	})
}

// fetchDirectory lists the users, then their invites. A failing invites
// listing does not fail the directory: the users are what says who is a
// member; Directory.InvitesErr says their invite status is unknown.
func (c *Client) fetchDirectory(ctx context.Context, f userFilter) (*Directory, error) {
	users, err := c.listUsers(ctx, f)
	if err != nil {
		return nil, err
	}
	invites, err := c.listInvites(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		return newDirectory(users, nil, err), nil
	}
	return newDirectory(users, invites, nil), nil
}

// inviteSettings are the settings of the invitation email, used when
// inviting only (Royalti does not return them).
type inviteSettings struct {
	Message, RedirectURL string
	SendEmail            bool
}

// memberInvite is one invitation of inviteAndReadBack.
type memberInvite struct {
	Key     string
	Want    Profile
	Request InviteRequest
}

// newMemberInvite is the invitation of email, keyed by it. Role and names
// are sent as hints (the current invite page documents neither): the flow
// reads the user back and corrects them.
func newMemberInvite(email string, want Profile, s inviteSettings) memberInvite {
	return memberInvite{Key: email, Want: want, Request: InviteRequest{
		Email: email, SendEmail: s.SendEmail, Message: s.Message, RedirectURL: s.RedirectURL,
		Role: want.Role, FirstName: shared.Deref(want.FirstName), LastName: shared.Deref(want.LastName),
	}}
}

// inviteOne is inviteAndReadBack of one invitation.
func (c *Client) inviteOne(ctx context.Context, workspaceID string, inv memberInvite) (*User, error) {
	users, errs := c.inviteAndReadBack(ctx, workspaceID, []memberInvite{inv}, 1)
	if err := errs[inv.Key]; err != nil {
		return nil, err
	}
	return users[inv.Key], nil
}

// inviteAndReadBack is the one invitation flow:
//
//  1. send the invitations, at most limit at a time (POST /auth/invite);
//  2. find each tenant user: an invitation refused for an email that
//     already has one adopts it (adopt); an accepted one is read back
//     (readBackInvited);
//  3. settle role and names with PATCH /user/{id} where the invite did
//     not apply them (settle).
//
// It returns the user of each member key that succeeded and the error of
// each that failed.
func (c *Client) inviteAndReadBack(ctx context.Context, workspaceID string, invs []memberInvite, limit int) (map[string]*User, map[string]error) {
	sent := c.sendInvites(ctx, workspaceID, invs, limit)
	from := c.readBackSourceFor(ctx, len(invs))
	users, errs := map[string]*User{}, map[string]error{}
	for i, inv := range invs {
		var u *User
		var err error
		if sent[i].err != nil {
			u, err = c.adopt(ctx, workspaceID, inv.Request.Email, sent[i].err)
		} else {
			u, err = c.readBackInvited(ctx, workspaceID, inv.Request.Email, sent[i].mark, from)
		}
		if err != nil {
			errs[inv.Key] = err
			continue
		}
		users[inv.Key] = u
	}
	for key, err := range c.settle(ctx, workspaceID, invs, users, limit) {
		errs[key] = err
		delete(users, key)
	}
	return users, errs
}

// sentInvite is how one invitation went: its error, and its mark for the
// read-back (see readBack).
type sentInvite struct {
	mark int
	err  error
}

// sendInvites sends the invitations, at most limit at a time, each
// bracketed for the shared read-back (readBack.begin and end).
func (c *Client) sendInvites(ctx context.Context, workspaceID string, invs []memberInvite, limit int) []sentInvite {
	sent := make([]sentInvite, len(invs))
	var g errgroup.Group
	g.SetLimit(limit)
	for i, inv := range invs {
		g.Go(func() error {
			mark := c.recent.begin()
			err := c.invite(ctx, workspaceID, inv.Request)
			c.recent.end()
			sent[i] = sentInvite{mark: mark, err: err}
			return nil
		})
	}
	_ = g.Wait()
	return sent
}

// readBackSourceFor is where n invitations that have all ended are read
// back: one invitation (a Create) through the read shared with the other
// Creates of the run (c.recent); several (an authoritative apply) through
// one read of their own, or straight from the listing when more were
// invited than the page of recent users holds.
func (c *Client) readBackSourceFor(ctx context.Context, n int) readBackSource {
	if n <= 1 {
		return c.recent
	}
	if n > recentSize {
		return ownRead(nil)
	}
	users, err := c.recentUsers(ctx)
	if err != nil {
		return ownRead(nil) // the listing answers instead
	}
	return ownRead(users)
}

// readBackInvited finds the tenant user of an accepted invitation (see
// findInvited); a user without an invite is taken as just invited.
func (c *Client) readBackInvited(ctx context.Context, workspaceID, email string, mark int, from readBackSource) (*User, error) {
	u, err := c.findInvited(ctx, workspaceID, email, mark, from)
	switch {
	case errors.Is(err, shared.ErrNotFound):
		return nil, fmt.Errorf("the invitation of %s was accepted (POST /auth/invite), but GET /user/ lists no tenant user with this email. "+
			"Run terraform again; if it persists, check the workspace in Royalti", email)
	case err != nil:
		return nil, fmt.Errorf("the invitation was accepted, but reading the tenant user back failed: %w", err)
	}
	if u.Invite == nil {
		u.Invite = &Invite{Status: StatusInvited}
	}
	return u, nil
}

// adopt is what an invitation refused with refused leaves to do: when the
// refusal may be for an email that already has a tenant user
// (mayBeAdopted), the member the listing has for it is adopted; otherwise,
// or when the listing has none, the refusal is the error.
func (c *Client) adopt(ctx context.Context, workspaceID, email string, refused error) (*User, error) {
	if !mayBeAdopted(shared.StatusOf(refused)) {
		return nil, refused
	}
	u, err := c.findMember(ctx, workspaceID, email)
	switch {
	case errors.Is(err, shared.ErrNotFound):
		return nil, refused
	case err != nil:
		return nil, errors.Join(refused, err)
	}
	return u, nil
}

// settle brings the role and names of the invited users to the wanted
// values with PATCH /user/{id} where the invite did not apply them, at
// most limit at a time. It updates users' entries in place and returns
// the error of each member that failed.
func (c *Client) settle(ctx context.Context, workspaceID string, invs []memberInvite, users map[string]*User, limit int) map[string]error {
	var mu sync.Mutex
	errs := map[string]error{}
	var g errgroup.Group
	g.SetLimit(limit)
	for _, inv := range invs {
		u := users[inv.Key]
		if u == nil || len(inv.Want.Fields(ProfileOf(u))) == 0 {
			continue
		}
		g.Go(func() error {
			if err := c.settleOne(ctx, workspaceID, inv, u); err != nil {
				mu.Lock()
				errs[inv.Key] = err
				mu.Unlock()
			}
			return nil
		})
	}
	_ = g.Wait()
	return errs
}

// settleOne sends the PATCH /user/{id} that brings u to inv.Want and
// checks that the answer applied it.
func (c *Client) settleOne(ctx context.Context, workspaceID string, inv memberInvite, u *User) error {
	got, err := c.updateUser(ctx, workspaceID, *u, inv.Want.Fields(ProfileOf(u)))
	if err != nil {
		return fmt.Errorf("%s is in the workspace (tenant user %s), but setting its role and names failed: %w", inv.Request.Email, u.ID, err)
	}
	if left := inv.Want.Fields(ProfileOf(got)); len(left) > 0 {
		return fmt.Errorf("PATCH /user/%s was answered without applying %s", u.ID, strings.Join(slices.Sorted(maps.Keys(left)), ", "))
	}
	u.Role, u.FirstName, u.LastName = got.Role, got.FirstName, got.LastName
	return nil
}
