package attackforge

// The batched flows over the raw calls of api.go, named by what they do:
// InviteOne and RemoveOne send one user through a per-project batcher
// (concurrent callers for one project share one team/invite or
// team/remove request); RemoveUsers removes many, maxPerRequest a request.
// Every answer is paired with the submitted users by one matcher,
// matchResults.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// inviteWindow is how long the first invitation (or removal) for a project
// waits for others (Terraform creates up to -parallelism resources at
// once).
const inviteWindow = 50 * time.Millisecond

// MemberError is a per-user failure inside an HTTP 200 answer of
// team/invite or team/remove.
type MemberError struct {
	Op, Project, User, Status string
}

func (e *MemberError) Error() string {
	status := e.Status
	if status == "" {
		status = "(no status for this user in the answer)"
	}
	return fmt.Sprintf("%s: %s %q on project %s: the API answered %q", Title, e.Op, e.User, e.Project, status)
}

// Hint says what to do about the failure (shared.Hinter).
func (e *MemberError) Hint() string {
	switch e.Status {
	case statusUserNotFound:
		return "No AttackForge user has this email address, username or id. This provider manages project teams, not users: create the user in AttackForge first, or fix `user`."
	case statusInvalidAccessLevel:
		return "AttackForge rejected the access level: access_level must be View, Upload or Edit."
	}
	return "Check the user and the project in AttackForge, then run terraform again."
}

// InviteOne invites one user through the per-project batcher: concurrent
// calls for one project share one request. A status other than "Invited"
// is returned as *MemberError.
func (c *Client) InviteOne(ctx context.Context, projectID string, item InviteItem) (InviteResult, error) {
	return c.invites.Do(ctx, projectID, item)
}

func (c *Client) runInviteBatch(ctx context.Context, projectID string, items []InviteItem) ([]InviteResult, []error, error) {
	results, err := c.Invite(ctx, projectID, items)
	if err != nil {
		return nil, nil, err
	}
	out, errs := inviteOutcomes(projectID, items, results)
	return out, errs, nil
}

// inviteOutcomes is each item's entry of a team/invite answer, and its
// failure: a *MemberError for an item the answer does not mention or does
// not say "Invited" for.
func inviteOutcomes(projectID string, items []InviteItem, results []InviteResult) ([]InviteResult, []error) {
	users := make([]string, len(items))
	for i, it := range items {
		users[i] = it.User
	}
	out, found := matchResults(users, results)
	errs := make([]error, len(items))
	for i, u := range users {
		switch {
		case !found[i]:
			errs[i] = &MemberError{Op: "invite", Project: projectID, User: u}
		case out[i].Status != statusInvited:
			errs[i] = &MemberError{Op: "invite", Project: projectID, User: u, Status: out[i].Status}
		}
	}
	return out, errs
}

// matchResults pairs each submitted user value with its entry of a
// team/invite or team/remove answer: by the echoed `user` on failures,
// else by email, username or user id; entries still unmatched are taken
// in order when the answer has one per user. found[i] is false for a user
// the answer does not mention (out[i] is then empty).
func matchResults(users []string, results []InviteResult) (out []InviteResult, found []bool) {
	out = make([]InviteResult, len(users))
	found = make([]bool, len(users))
	used := make([]bool, len(results))
	for i, u := range users {
		for j, r := range results {
			if !used[j] && r.matches(u) {
				out[i], used[j], found[i] = r, true, true
				break
			}
		}
	}
	if len(results) == len(users) {
		for i := range users {
			if !found[i] && !used[i] && results[i].User == "" {
				out[i], used[i], found[i] = results[i], true, true
			}
		}
	}
	return out, found
}

// matches reports whether a result entry is about the submitted user
// value. AttackForge matches user values without regard to case.
func (r InviteResult) matches(submitted string) bool {
	if submitted == "" {
		return false
	}
	if r.User != "" {
		return strings.EqualFold(r.User, submitted)
	}
	return strings.EqualFold(r.UserID, submitted) || (r.Email != "" && shared.NormalizeEmail(r.Email) == shared.NormalizeEmail(submitted)) ||
		strings.EqualFold(r.Username, submitted)
}

// RemoveOne removes one user (by id) from a project team, through the
// per-project batcher: concurrent removals from one project share one
// team/remove request. A user who is already off the team (or a project
// that is gone) counts as removed; any other status is a *MemberError.
func (c *Client) RemoveOne(ctx context.Context, projectID, userID string) error {
	status, err := c.removes.Do(ctx, projectID, userID)
	if err != nil {
		if shared.IsNotFound(err) {
			return nil
		}
		return err
	}
	if status == statusRemoved {
		return nil
	}
	// Unclear answer: the membership is gone if the user's projects say so.
	_, err = c.findMember(ctx, projectID, userID)
	switch {
	case errors.Is(err, shared.ErrNotFound):
		return nil
	case err != nil:
		return err
	}
	return &MemberError{Op: "remove", Project: projectID, User: userID, Status: status}
}

// runRemoveBatch answers each user of a batch with the status the
// team/remove answer gives them ("" when it does not mention them).
func (c *Client) runRemoveBatch(ctx context.Context, projectID string, users []string) ([]string, []error, error) {
	results, err := c.Remove(ctx, projectID, users)
	if err != nil {
		return nil, nil, err
	}
	out, _ := matchResults(users, results)
	statuses := make([]string, len(users))
	for i, r := range out {
		statuses[i] = r.Status
	}
	return statuses, nil, nil
}

// RemoveUsers removes users (ids, emails or usernames) from a project
// team, maxPerRequest per team/remove request, and returns the failure of
// each user that was not removed (keyed as given): a user the answer does
// not say "Removed" for is a *MemberError unless they are named by id and
// their projects show they are off the team. err fails every user of the
// call (a project that is gone counts as every user removed).
func (c *Client) RemoveUsers(ctx context.Context, projectID string, users []string) (map[string]error, error) {
	failed := map[string]error{}
	for start := 0; start < len(users); start += maxPerRequest {
		chunk := users[start:min(start+maxPerRequest, len(users))]
		results, err := c.Remove(ctx, projectID, chunk)
		if err != nil {
			if shared.IsNotFound(err) {
				continue
			}
			return nil, err
		}
		out, _ := matchResults(chunk, results)
		for i, u := range chunk {
			if out[i].Status == statusRemoved {
				continue
			}
			if objectIDRe.MatchString(u) {
				if _, err := c.findMember(ctx, projectID, u); errors.Is(err, shared.ErrNotFound) {
					continue
				}
			}
			failed[u] = &MemberError{Op: "remove", Project: projectID, User: u, Status: out[i].Status}
		}
	}
	return failed, nil
}
