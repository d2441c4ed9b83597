package royalti

// Finding tenant users. A Directory is the index of the workspace's
// listing (users joined with their invites); the finders answer "is this
// member there?" with the user, or an error wrapping shared.ErrNotFound
// when absent (check with errors.Is):
//
//   - findUser: by tenant user id (a Read), confirmed with GET /user/{id};
//   - findMember: by email, a cancelled invite counting as absent (an
//     import, an invitation refused for an email that has a tenant user);
//   - findInvited: by email, right after inviting it (the read-back).

import (
	"context"
	"fmt"
	"sort"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// Directory is every tenant user of a workspace with their invites, from
// the two listings.
type Directory struct {
	ByID    map[string]*User
	byEmail map[string]*User
	// InvitesErr is set when the invites listing failed: users carry no
	// invite, and their invite status is unknown (not "joined").
	InvitesErr error
}

// ByEmail is the user with email (compared case-insensitively), nil when
// the listing has none; a user whose invite was cancelled is returned
// only when no other user has the email.
func (d *Directory) ByEmail(email string) *User { return d.byEmail[shared.NormalizeEmail(email)] }

// Sorted returns the users ordered by email.
func (d *Directory) Sorted() []*User {
	out := make([]*User, 0, len(d.ByID))
	for _, u := range d.ByID {
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return shared.NormalizeEmail(out[i].Email) < shared.NormalizeEmail(out[j].Email) })
	return out
}

// newDirectory joins users with their invites: when a user has several
// invites the latest (by meta.date; a live one wins a tie) counts.
func newDirectory(users []User, invites []inviteEntry, invitesErr error) *Directory {
	d := &Directory{ByID: map[string]*User{}, byEmail: map[string]*User{}, InvitesErr: invitesErr}
	for i := range users {
		u := users[i]
		u.Invite = nil
		d.ByID[u.ID] = &u
	}
	for _, inv := range invites {
		uid := inv.TenantUserID
		if uid == "" {
			uid = inv.TenantUser.ID
		}
		u := d.ByID[uid]
		if u == nil {
			continue
		}
		if u.Invite != nil {
			if inv.Meta.Date < u.Invite.Date() || (inv.Meta.Date == u.Invite.Date() && inv.Status == StatusCancelled) {
				continue
			}
		}
		u.Invite = &Invite{ID: inv.ID, Status: inv.Status, Meta: inv.Meta}
	}
	for _, u := range d.ByID {
		key := shared.NormalizeEmail(u.Email)
		if prev := d.byEmail[key]; prev == nil || prev.InviteStatus() == StatusCancelled {
			d.byEmail[key] = u
		}
	}
	return d
}

// findUser finds a tenant user by id in dir (the run's listing),
// confirming with GET /user/{id} when the listing does not have it. The
// user is a copy.
func (c *Client) findUser(ctx context.Context, dir *Directory, id string) (*User, error) {
	if u := dir.ByID[id]; u != nil {
		cp := *u
		return &cp, nil
	}
	u, err := c.getUser(ctx, id)
	if shared.IsNotFound(err) {
		return nil, fmt.Errorf("tenant user %s: %w", id, shared.ErrNotFound)
	}
	return u, err
}

// findMember finds the member with email in the run's listing: a tenant
// user whose invite was not cancelled (countsAsAbsent). The user is a copy.
func (c *Client) findMember(ctx context.Context, workspaceID, email string) (*User, error) {
	dir, err := c.directory(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	u := dir.ByEmail(email)
	if countsAsAbsent(u) {
		return nil, fmt.Errorf("no tenant user with email %s: %w", email, shared.ErrNotFound)
	}
	cp := *u
	return &cp, nil
}

// findInvited finds the tenant user of an email just invited (its
// invitation began at mark): in a read of the most recently changed users
// usable by the invitation (from: the read-back shared by the run's
// Creates, or a batch's own read), else in the whole listing (more than
// recentSize users changed meanwhile, or a re-invited user), whatever its
// invite status. The user is a copy.
func (c *Client) findInvited(ctx context.Context, workspaceID, email string, mark int, from readBackSource) (*User, error) {
	u, err := from.wait(ctx, email, mark)
	if err != nil {
		return nil, err
	}
	if u != nil {
		return u, nil
	}
	dir, err := c.directory(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	if u := dir.ByEmail(email); u != nil {
		cp := *u
		return &cp, nil
	}
	return nil, fmt.Errorf("no tenant user with email %s: %w", email, shared.ErrNotFound)
}
