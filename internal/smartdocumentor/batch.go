package smartdocumentor

// Batched invitations: InviteOne sends one invitation through a
// per-workspace batcher (concurrent invitations to one workspace share one
// POST sdworkspace/inviteusers, the raw Invite of api.go), and settles a
// batch the API refuses as a whole so that only the bad invitation fails.

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// inviteWindow gathers Terraform's waves of concurrent creates
// (parallelism 10) into about one request each, at a cost of 50ms per
// wave.
const inviteWindow = 50 * time.Millisecond

// InviteOne invites one user to a workspace; someone already a member with
// this role counts as invited. Concurrent calls for the same workspace are
// sent as one request (see runInvites).
func (c *Client) InviteOne(ctx context.Context, workspaceID int64, email, role string) error {
	_, err := c.invites.Do(ctx, workspaceID, InviteUser{Email: email, RoleName: role})
	return err
}

// DuplicateError is the answer to the second of two invitations of one
// email to one workspace in the same batch: the first is sent, this one is
// not (the API rejects a request that names an email twice).
type DuplicateError struct {
	WorkspaceID int64
	Email       string
}

func (e *DuplicateError) Error() string {
	return fmt.Sprintf("%s: %s is already invited to workspace %d by another resource of this configuration (duplicate): "+
		"an email can be invited to a workspace only once, so this invitation was not sent", Title, e.Email, e.WorkspaceID)
}

// Hint says what to do (shared.Hinter).
func (e *DuplicateError) Hint() string {
	return "Keep one resource per workspace and email address (emails are compared case-insensitively)."
}

// MemberExistsError is an invitation of someone who is already a member
// of the workspace with another role, as the workspace listing shows: the
// API cannot change a member's role.
type MemberExistsError struct {
	WorkspaceID   int64
	Email         string
	Role, Planned string
}

func (e *MemberExistsError) Error() string {
	return fmt.Sprintf("%s: %s is already a member of workspace %d with role %q, not %q, and the API cannot change a member's role",
		Title, e.Email, e.WorkspaceID, e.Role, e.Planned)
}

// Hint says what to do (shared.Hinter): change the role, adopt it, or
// import the membership.
func (e *MemberExistsError) Hint() string {
	return fmt.Sprintf("Change the member's role to %q in the SmartDocumentor web app and apply again, or set role = %q in the configuration "+
		"(the existing membership is then adopted). To manage it without inviting, import it:\n\n  terraform import %s.<name> \"%s\"",
		e.Planned, e.Role, invitationType, importID(e.WorkspaceID, e.Email))
}

// runInvites performs one batch for a workspace:
//
//  1. An email that appears twice in the batch (any case) is sent once: the
//     first item gets the result, later ones a *DuplicateError.
//  2. The remaining users go in one request (users[]).
//  3. The API answers one problem-details 400 for the whole request when
//     any entry is bad and invites nobody: settleRefused.
//     Other failures (5xx, network, auth) fail the whole batch as they
//     are: they say nothing about a single member, and re-sending a
//     non-idempotent invite after an unclear failure could double it.
//
// Every batch invalidates the workspace's listing, so the creates' read
// back is one listing fetched after the write (shared by the batch).
func (c *Client) runInvites(ctx context.Context, workspaceID int64, items []InviteUser) ([]struct{}, []error, error) {
	errs := make([]error, len(items))
	seen := map[string]bool{}
	var send []InviteUser
	var idx []int
	for i, it := range items {
		key := shared.NormalizeEmail(it.Email)
		if seen[key] {
			errs[i] = &DuplicateError{WorkspaceID: workspaceID, Email: it.Email}
			continue
		}
		seen[key] = true
		send = append(send, it)
		idx = append(idx, i)
	}
	defer c.users.Invalidate(workspaceID)
	err := c.Invite(ctx, workspaceID, send)
	switch {
	case err == nil:
	case shared.StatusOf(err) != http.StatusBadRequest:
		failAll(errs, idx, err)
	default:
		c.settleRefused(ctx, workspaceID, send, idx, errs, err)
	}
	return nil, errs, nil
}

// settleRefused settles a batch the API refused (err, HTTP 400). The
// wording of its message is not documented, so who is already a member is
// read from the workspace listing: with the planned role that is the
// desired state (also what a retried invite whose first answer was lost
// looks like) and counts as done; with another role it is a
// *MemberExistsError. The others are sent again together, and if that is
// refused too, each alone, so only the bad one fails, with the API's own
// message. errs[idx[j]] receives the outcome of send[j].
func (c *Client) settleRefused(ctx context.Context, workspaceID int64, send []InviteUser, idx []int, errs []error, err error) {
	c.users.Invalidate(workspaceID)
	members, lerr := c.WorkspaceUsers(ctx, workspaceID)
	var rest []InviteUser
	var restIdx []int
	for j, u := range send {
		if lerr == nil {
			if m, ok := memberByEmail(members, u.Email); ok {
				if !strings.EqualFold(m.RoleName, u.RoleName) {
					errs[idx[j]] = &MemberExistsError{WorkspaceID: workspaceID, Email: u.Email, Role: m.RoleName, Planned: u.RoleName}
				}
				continue
			}
		}
		rest = append(rest, u)
		restIdx = append(restIdx, idx[j])
	}
	switch {
	case len(rest) == 0:
		return
	case len(rest) < len(send):
		if err = c.Invite(ctx, workspaceID, rest); err == nil {
			return
		}
		if shared.StatusOf(err) != http.StatusBadRequest {
			failAll(errs, restIdx, err)
			return
		}
	}
	if len(rest) == 1 {
		errs[restIdx[0]] = err
		return
	}
	for j, u := range rest {
		errs[restIdx[j]] = c.Invite(ctx, workspaceID, []InviteUser{u})
	}
}

// failAll gives err to every item of which.
func failAll(errs []error, which []int, err error) {
	for _, i := range which {
		errs[i] = err
	}
}
