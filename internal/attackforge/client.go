package attackforge

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// Client talks to the AttackForge Self-Service API. It batches concurrent
// invitations to one project into one request and caches look-ups for the
// provider run (one terraform command): the user look-ups, the full user
// list and each user's project listing, which writes invalidate.
type Client struct {
	api *shared.Client

	invites shared.Batcher[string, InviteItem, InviteResult]
	removes shared.Batcher[string, string, string]

	byEmail    shared.ListCache[string, userLookup]
	byUsername shared.ListCache[string, userLookup]
	allUsers   shared.ListCache[string, userList]
	projects   shared.ListCache[string, projectsLookup]
}

type userLookup struct {
	User  User
	Found bool
}

type userList struct {
	Users []User
	Count int
}

type projectsLookup struct {
	Projects []ProjectAccess
	Found    bool
}

// InviteItem is one user of a team/invite request.
type InviteItem struct {
	User        string `json:"user"`
	AccessLevel string `json:"accessLevel"`
	Role        string `json:"role,omitempty"`
}

// inviteWindow is how long the first invitation to a project waits for
// others (Terraform creates up to -parallelism resources at once).
const inviteWindow = 50 * time.Millisecond

func newClient(api *shared.Client) *Client {
	c := &Client{api: api}
	c.invites.Window = inviteWindow
	c.invites.Run = c.runInviteBatch
	c.removes.Window = inviteWindow
	c.removes.Run = c.runRemoveBatch
	return c
}

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

// Hint says what to do about the failure.
func (e *MemberError) Hint() string {
	switch e.Status {
	case "User Not Found":
		return "No AttackForge user has this email address, username or id. This provider manages project teams, not users: create the user in AttackForge first, or fix `user`."
	case "Invalid accessLevel":
		return "AttackForge rejected the access level: access_level must be View, Upload or Edit."
	}
	return "Check the user and the project in AttackForge, then run terraform again."
}

func projectPath(id string) string { return "/api/ss/project/" + url.PathEscape(id) }

// Invite sends one team/invite request for all items and returns the
// `result` array as the API sent it.
func (c *Client) Invite(ctx context.Context, projectID string, items []InviteItem) ([]InviteResult, error) {
	var raw json.RawMessage
	r := shared.Request{
		Op: "invite users to the project team", Method: http.MethodPost,
		Path: projectPath(projectID) + "/team/invite",
		JSON: map[string]any{"users": items},
	}
	_, err := c.api.Do(ctx, r, &raw)
	if err != nil {
		return nil, err
	}
	results, err := decodeResults(raw)
	if err != nil {
		return nil, c.api.DecodeFailure(r, raw, err)
	}
	for _, res := range results {
		if res.UserID != "" {
			c.projects.Invalidate(res.UserID)
		}
	}
	return results, nil
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
	out, errs := matchResults(projectID, items, results)
	return out, errs, nil
}

// matchResults splits a team/invite answer back per submitted item: by the
// echoed `user` on failures, else by email, username or user id; entries
// still unmatched are taken in order when the answer has one per item.
func matchResults(projectID string, items []InviteItem, results []InviteResult) ([]InviteResult, []error) {
	out := make([]InviteResult, len(items))
	errs := make([]error, len(items))
	used := make([]bool, len(results))
	matched := make([]bool, len(items))
	for i, it := range items {
		for j, r := range results {
			if !used[j] && r.matches(it.User) {
				out[i], used[j], matched[i] = r, true, true
				break
			}
		}
	}
	if len(results) == len(items) {
		for i := range items {
			if !matched[i] && !used[i] && results[i].User == "" {
				out[i], used[i], matched[i] = results[i], true, true
			}
		}
	}
	for i, it := range items {
		switch {
		case !matched[i]:
			errs[i] = &MemberError{Op: "invite", Project: projectID, User: it.User}
		case out[i].Status != "Invited":
			errs[i] = &MemberError{Op: "invite", Project: projectID, User: it.User, Status: out[i].Status}
		}
	}
	return out, errs
}

// matches reports whether a result entry is about the submitted user value.
func (r InviteResult) matches(submitted string) bool {
	if submitted == "" {
		return false
	}
	if r.User != "" {
		return strings.EqualFold(r.User, submitted)
	}
	return strings.EqualFold(r.UserID, submitted) || strings.EqualFold(r.Email, submitted) || strings.EqualFold(r.Username, submitted)
}

// UpdateAccess changes a member's access level.
func (c *Client) UpdateAccess(ctx context.Context, projectID, userID, level string) error {
	defer c.projects.Invalidate(userID)
	_, err := c.api.Do(ctx, shared.Request{
		Op: "update the user's project access", Method: http.MethodPut,
		Path: projectPath(projectID) + "/access/" + url.PathEscape(userID),
		JSON: map[string]string{"update": level},
	}, nil)
	return err
}

// Remove removes users (emails, usernames or ids) from the project team
// and returns the `result` array.
func (c *Client) Remove(ctx context.Context, projectID string, users []string) ([]InviteResult, error) {
	for _, u := range users {
		c.projects.Invalidate(u)
	}
	var raw json.RawMessage
	r := shared.Request{
		Op: "remove users from the project team", Method: http.MethodPut,
		Path: projectPath(projectID) + "/team/remove",
		JSON: map[string]any{"users": users},
	}
	if _, err := c.api.Do(ctx, r, &raw); err != nil {
		return nil, err
	}
	results, err := decodeResults(raw)
	if err != nil {
		return nil, c.api.DecodeFailure(r, raw, err)
	}
	for _, res := range results {
		if res.UserID != "" {
			c.projects.Invalidate(res.UserID)
		}
	}
	return results, nil
}

// UserByEmail looks a user up by email (found=false on 404).
func (c *Client) UserByEmail(ctx context.Context, email string) (User, bool, error) {
	l, err := c.byEmail.Get(ctx, shared.NormalizeEmail(email), func(ctx context.Context) (userLookup, error) {
		return c.getUser(ctx, "look up the user by email", "/api/ss/users/email/"+url.PathEscape(email))
	})
	return l.User, l.Found, err
}

// UserByUsername looks a user up by username (found=false on 404).
func (c *Client) UserByUsername(ctx context.Context, username string) (User, bool, error) {
	l, err := c.byUsername.Get(ctx, strings.ToLower(username), func(ctx context.Context) (userLookup, error) {
		return c.getUser(ctx, "look up the user by username", "/api/ss/users/username/"+url.PathEscape(username))
	})
	return l.User, l.Found, err
}

func (c *Client) getUser(ctx context.Context, op, path string) (userLookup, error) {
	var raw json.RawMessage
	r := shared.Request{Op: op, Method: http.MethodGet, Path: path}
	if _, err := c.api.Do(ctx, r, &raw); err != nil {
		if shared.IsNotFound(err) {
			return userLookup{}, nil
		}
		return userLookup{}, err
	}
	u, err := decodeUser(raw)
	if err != nil {
		return userLookup{}, c.api.DecodeFailure(r, raw, err)
	}
	return userLookup{User: u, Found: true}, nil
}

// Users lists every user (GET /api/ss/users without a filter), once per
// provider run. count is the total the API reports (-1 if absent).
func (c *Client) Users(ctx context.Context) ([]User, int, error) {
	l, err := c.allUsers.Get(ctx, "", func(ctx context.Context) (userList, error) {
		var raw json.RawMessage
		r := shared.Request{Op: "list users", Method: http.MethodGet, Path: "/api/ss/users"}
		if _, err := c.api.Do(ctx, r, &raw); err != nil {
			return userList{}, err
		}
		users, count, err := decodeUsers(raw)
		if err != nil {
			return userList{}, c.api.DecodeFailure(r, raw, err)
		}
		return userList{Users: users, Count: count}, nil
	})
	return l.Users, l.Count, err
}

// ResolveUser finds the user a `user` value names: an email (by email), a
// 24-hex id (in the user list) or a username (by username).
func (c *Client) ResolveUser(ctx context.Context, user string) (User, bool, error) {
	switch userKind(user) {
	case kindEmail:
		return c.UserByEmail(ctx, user)
	case kindID:
		users, _, err := c.Users(ctx)
		if err != nil {
			return User{}, false, err
		}
		for _, u := range users {
			if strings.EqualFold(u.ID, user) {
				return u, true, nil
			}
		}
		// Not in the list: the user may still exist (a list we could not
		// read fully); ask for their projects, which 404s for unknown users.
		_, found, err := c.UserProjects(ctx, user)
		if err != nil || !found {
			return User{}, false, err
		}
		return User{ID: user}, true, nil
	default:
		return c.UserByUsername(ctx, user)
	}
}

// UserProjects lists the projects a user can access, once per user per
// provider run (found=false when the user does not exist).
func (c *Client) UserProjects(ctx context.Context, userID string) ([]ProjectAccess, bool, error) {
	l, err := c.projects.Get(ctx, userID, func(ctx context.Context) (projectsLookup, error) {
		var raw json.RawMessage
		r := shared.Request{Op: "list the user's projects", Method: http.MethodGet, Path: "/api/ss/user/" + url.PathEscape(userID) + "/projects"}
		if _, err := c.api.Do(ctx, r, &raw); err != nil {
			if shared.IsNotFound(err) {
				return projectsLookup{}, nil
			}
			return projectsLookup{}, err
		}
		ps, err := decodeUserProjects(raw)
		if err != nil {
			return projectsLookup{}, c.api.DecodeFailure(r, raw, err)
		}
		return projectsLookup{Projects: ps, Found: true}, nil
	})
	return l.Projects, l.Found, err
}

// Membership returns the user's access to one project (found=false when
// the user or the membership does not exist).
func (c *Client) Membership(ctx context.Context, projectID, userID string) (ProjectAccess, bool, error) {
	ps, found, err := c.UserProjects(ctx, userID)
	if err != nil || !found {
		return ProjectAccess{}, false, err
	}
	for _, p := range ps {
		if strings.EqualFold(p.ID, projectID) {
			return p, true, nil
		}
	}
	return ProjectAccess{}, false, nil
}
