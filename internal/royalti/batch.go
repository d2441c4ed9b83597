package royalti

// The flows above the raw calls: the run's shared listing of the
// workspace (directory) and the invitation flow, written once
// (settleInvited: adopt or read back, then settle role and names), entered
// by inviteOne (the per-member resource: one invitation, read back through
// the read shared by the run's Creates) and inviteAndReadBack (the
// authoritative one: all its new members at once, one read of their own).

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

// forgetDirectory drops the run's listing (after a write, or before a
// read that must see the workspace as it is now): the one key directory
// uses, whatever a resource's workspace_id.
func (c *Client) forgetDirectory() { c.dirs.Invalidate(directoryKey) }

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

// memberInvite is one invitation of inviteOne or inviteAndReadBack.
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

// inviteOne invites one member (a Create) and settles it like
// inviteAndReadBack, reading it back through the read it shares with the
// run's other Creates (c.recent; the invitation is bracketed for it).
func (c *Client) inviteOne(ctx context.Context, workspaceID string, inv memberInvite) (*User, error) {
	mark := c.recent.begin()
	err := c.invite(ctx, workspaceID, inv.Request)
	c.recent.end()
	users, errs := c.settleInvited(ctx, workspaceID, []memberInvite{inv}, []sentInvite{{mark: mark, err: err}}, c.recent, 1)
	if err := errs[inv.Key]; err != nil {
		return nil, err
	}
	return users[inv.Key], nil
}

// inviteAndReadBack invites members (an authoritative apply), at most
// limit at a time (POST /auth/invite), then settles them (settleInvited)
// through one read of their own once every invitation has ended
// (batchRead). It returns the user of each member key that succeeded and
// the error of each that failed.
func (c *Client) inviteAndReadBack(ctx context.Context, workspaceID string, invs []memberInvite, limit int) (map[string]*User, map[string]error) {
	sent := make([]sentInvite, len(invs))
	var g errgroup.Group
	g.SetLimit(limit)
	for i, inv := range invs {
		g.Go(func() error {
			sent[i] = sentInvite{err: c.invite(ctx, workspaceID, inv.Request)}
			return nil
		})
	}
	_ = g.Wait()
	return c.settleInvited(ctx, workspaceID, invs, sent, c.batchRead(ctx, len(invs)), limit)
}

// sentInvite is how one invitation went: its error, and its mark for the
// read-back (see readBack).
type sentInvite struct {
	mark int
	err  error
}

// settleInvited is the one flow after invitations, whether one or many:
//
//  1. find each tenant user: an invitation refused for an email that
//     already has one adopts it (adopt); an accepted one is read back
//     from from, else the listing (readBackInvited);
//  2. settle role and names with PATCH /user/{id} where the invite did
//     not apply them, at most limit at a time (settle).
//
// It returns the user of each member key that succeeded and the error of
// each that failed.
func (c *Client) settleInvited(ctx context.Context, workspaceID string, invs []memberInvite, sent []sentInvite, from readBackSource, limit int) (map[string]*User, map[string]error) {
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
	for key, err := range c.settle(ctx, invs, users, limit) {
		errs[key] = err
		delete(users, key)
	}
	return users, errs
}

// batchRead is where n invitations of a batch, all ended, are read back:
// one read of the most recently changed users of their own, or straight
// from the listing when more were invited than that page holds or the
// read failed.
func (c *Client) batchRead(ctx context.Context, n int) readBackSource {
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
func (c *Client) settle(ctx context.Context, invs []memberInvite, users map[string]*User, limit int) map[string]error {
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
			if err := c.settleOne(ctx, inv, u); err != nil {
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
func (c *Client) settleOne(ctx context.Context, inv memberInvite, u *User) error {
	got, err := c.updateUser(ctx, *u, inv.Want.Fields(ProfileOf(u)))
	if err != nil {
		return fmt.Errorf("%s is in the workspace (tenant user %s), but setting its role and names failed: %w", inv.Request.Email, u.ID, err)
	}
	if left := inv.Want.Fields(ProfileOf(got)); len(left) > 0 {
		return fmt.Errorf("PATCH /user/%s was answered without applying %s", u.ID, strings.Join(slices.Sorted(maps.Keys(left)), ", "))
	}
	u.Role, u.FirstName, u.LastName = got.Role, got.FirstName, got.LastName
	return nil
}
