package attackforge

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// Config holds the resolved connection settings.
type Config struct {
	Endpoint, APIKey string
}

// NewClient builds a client.
func NewClient(cfg Config, opts shared.Options) (*Client, error) {
	api, err := shared.NewClient(shared.ClientConfig{
		Platform: Title, BaseURL: cfg.Endpoint, Options: opts,
		Authorize: func(_ context.Context, req *http.Request) error {
			req.Header.Set("X-SSAPI-KEY", cfg.APIKey)
			return nil
		},
		Secrets: []string{cfg.APIKey},
	})
	if err != nil {
		return nil, err
	}
	return newClient(api), nil
}

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

	// listed is the user listing once this run has fetched it: email
	// look-ups use it rather than one request each (onboarding imports
	// every member of a team found through it).
	listed atomic.Pointer[userList]
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
	Projects []Project
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
	return c.teamChange(ctx, shared.Request{
		Op: "invite users to the project team", Method: http.MethodPost,
		Path: projectPath(projectID) + "/team/invite",
		JSON: map[string]any{"users": items},
	})
}

// teamChange sends a team/invite or team/remove request, decodes its
// `result` array and drops the cached projects of every user it names.
func (c *Client) teamChange(ctx context.Context, r shared.Request) ([]InviteResult, error) {
	var raw json.RawMessage
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
	return c.teamChange(ctx, shared.Request{
		Op: "remove users from the project team", Method: http.MethodPut,
		Path: projectPath(projectID) + "/team/remove",
		JSON: map[string]any{"users": users},
	})
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
	if err == nil {
		c.listed.Store(&l)
	}
	return l.Users, l.Count, err
}

// ResolveUser finds the user a `user` value names: an email (by email), a
// 24-hex id (in the user list) or a username (by username).
func (c *Client) ResolveUser(ctx context.Context, user string) (User, bool, error) {
	switch userKind(user) {
	case kindEmail:
		if l := c.listed.Load(); l != nil {
			for _, u := range l.Users {
				if strings.EqualFold(strings.TrimSpace(u.Email), strings.TrimSpace(user)) {
					return u, true, nil
				}
			}
		}
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
func (c *Client) UserProjects(ctx context.Context, userID string) ([]Project, bool, error) {
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

// Membership reports whether the user is on the project's team (false
// when the user or the membership does not exist). The API offers no way
// to read the member's access level or project role.
func (c *Client) Membership(ctx context.Context, projectID, userID string) (bool, error) {
	ps, found, err := c.UserProjects(ctx, userID)
	if err != nil || !found {
		return false, err
	}
	for _, p := range ps {
		if strings.EqualFold(p.ID, projectID) {
			return true, nil
		}
	}
	return false, nil
}

// ProjectTeam finds the team of a project. The Self-Service API has no
// listing of a project's team, so this costs the user listing (one
// request, GET /api/ss/users) plus one GET /api/ss/user/:id/projects per
// user (each cached for the provider run), `workers` at a time. Members
// are handed to each in the user listing's order, a few at a time; each
// returning false stops the search (no further requests), and so does a
// cancelled ctx. incomplete is set when the user listing reported more
// users than it returned.
func (c *Client) ProjectTeam(ctx context.Context, projectID string, workers int, each func(members []User) bool) (incomplete bool, err error) {
	users, count, err := c.Users(ctx)
	if err != nil {
		return false, err
	}
	incomplete = count > len(users)
	if workers < 1 {
		workers = 1
	}
	for start := 0; start < len(users); start += workers {
		if err := ctx.Err(); err != nil {
			return incomplete, err
		}
		chunk := users[start:min(start+workers, len(users))]
		on := make([]bool, len(chunk))
		errs := make([]error, len(chunk))
		var wg sync.WaitGroup
		for i, u := range chunk {
			wg.Add(1)
			go func() {
				defer wg.Done()
				on[i], errs[i] = c.Membership(ctx, projectID, u.ID)
			}()
		}
		wg.Wait()
		var members []User
		for i, u := range chunk {
			if errs[i] != nil {
				return incomplete, errs[i]
			}
			if on[i] {
				members = append(members, u)
			}
		}
		if len(members) > 0 && !each(members) {
			return incomplete, nil
		}
	}
	return incomplete, nil
}

// maxPerRequest bounds the users[] of one team/invite or team/remove
// request (the API documents no limit; this keeps requests reasonable).
const maxPerRequest = 100

// RemoveMember removes one user (by id) from a project team, through the
// per-project batcher: concurrent removals from one project share one
// team/remove request. A user who is already off the team (or a project
// that is gone) counts as removed; any other status is a *MemberError.
func (c *Client) RemoveMember(ctx context.Context, projectID, userID string) error {
	status, err := c.removes.Do(ctx, projectID, userID)
	if err != nil {
		if shared.IsNotFound(err) {
			return nil
		}
		return err
	}
	if status == "Removed" {
		return nil
	}
	// Unclear answer: the membership is gone if the user's projects say so.
	member, err := c.Membership(ctx, projectID, userID)
	if err != nil {
		return err
	}
	if !member {
		return nil
	}
	return &MemberError{Op: "remove", Project: projectID, User: userID, Status: status}
}

func (c *Client) runRemoveBatch(ctx context.Context, projectID string, users []string) ([]string, []error, error) {
	results, err := c.Remove(ctx, projectID, users)
	if err != nil {
		return nil, nil, err
	}
	statuses := make([]string, len(users))
	used := make([]bool, len(results))
	for i, u := range users {
		for j, r := range results {
			if !used[j] && r.matches(u) {
				statuses[i], used[j] = r.Status, true
				break
			}
		}
	}
	if len(results) == len(users) {
		for i := range users {
			if statuses[i] == "" && !used[i] && results[i].User == "" {
				statuses[i], used[i] = results[i].Status, true
			}
		}
	}
	return statuses, nil, nil
}

// RemoveMembers removes users (ids, emails or usernames) from a project
// team, maxPerRequest per team/remove request, and returns the failure of
// each user that was not removed (keyed as given): a user the answer does
// not say "Removed" for is a *MemberError unless their projects show they
// are off the team. err fails every user of the call (a project that is
// gone counts as every user removed).
func (c *Client) RemoveMembers(ctx context.Context, projectID string, users []string) (map[string]error, error) {
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
		for _, u := range chunk {
			status := ""
			for _, r := range results {
				if r.matches(u) {
					status = r.Status
					break
				}
			}
			if status == "Removed" {
				continue
			}
			if objectIDRe.MatchString(u) {
				if member, err := c.Membership(ctx, projectID, u); err == nil && !member {
					continue
				}
			}
			failed[u] = &MemberError{Op: "remove", Project: projectID, User: u, Status: status}
		}
	}
	return failed, nil
}

// --- decoders ---

// The decoders below read AttackForge answers tolerantly: the contract
// documents the envelopes ({user}, {count, users}, {result}, {projects}) but
// not every field's spelling, and GET /api/ss/user/:id/projects is not
// documented at all. Each accepts the documented envelope or a bare value,
// `id` or `_id`, and reads optional fields only when present.

// User is an AttackForge user.
type User struct {
	ID, Username, Email, FirstName, LastName, Role, Status string
}

// InviteResult is one entry of the `result` array of team/invite or
// team/remove. On failure only User (the submitted value) and Status are
// set.
type InviteResult struct {
	User, UserID, Username, Email, AccessLevel, Status string
}

// Project is one project a user can access, as GET
// /api/ss/user/:id/projects lists it. The API reports no per-user access
// level or project role there (nor anywhere else documented).
type Project struct {
	ID, Name string
}

// str renders a JSON scalar as a string ("" for objects, arrays and null).
func str(v any) string {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t)
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case json.Number:
		return t.String()
	case bool:
		return strconv.FormatBool(t)
	}
	return ""
}

// first returns the first non-empty field among keys.
func first(m map[string]any, keys ...string) string {
	for _, k := range keys {
		if s := str(m[k]); s != "" {
			return s
		}
	}
	return ""
}

// objects decodes body as an array of objects, either bare or under one of
// the envelope keys. A JSON null or a missing key is an empty list.
func objects(body []byte, keys ...string) ([]map[string]any, map[string]any, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil, nil, errors.New("empty response body")
	}
	var raw any
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, nil, err
	}
	var list []any
	var env map[string]any
	switch t := raw.(type) {
	case []any:
		list = t
	case map[string]any:
		env = t
		found := false
	keysLoop:
		for _, k := range keys {
			v, ok := t[k]
			if !ok {
				continue
			}
			found = true
			switch l := v.(type) {
			case []any:
				list = l
			case nil:
			default:
				return nil, env, fmt.Errorf("%q is a %s, not an array", k, kind(v))
			}
			break keysLoop
		}
		if !found {
			return nil, env, fmt.Errorf("expected an array or an object with %s", strings.Join(quoteAll(keys), " or "))
		}
	case nil:
		return nil, nil, nil
	default:
		return nil, nil, fmt.Errorf("expected an object or an array, got a %s", kind(raw))
	}
	out := make([]map[string]any, 0, len(list))
	for i, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			return nil, env, fmt.Errorf("item %d is a %s, not an object", i, kind(item))
		}
		out = append(out, m)
	}
	return out, env, nil
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strconv.Quote(s)
	}
	return out
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func userFrom(m map[string]any) User {
	return User{
		ID:        first(m, "id", "_id", "userId", "user_id"),
		Username:  first(m, "username", "user_name"),
		Email:     first(m, "email_address", "email"),
		FirstName: first(m, "first_name", "firstName"),
		LastName:  first(m, "last_name", "lastName"),
		Role:      first(m, "role"),
		Status:    first(m, "status"),
	}
}

// decodeUser reads {user:{...}} (or a bare user object).
func decodeUser(body []byte) (User, error) {
	var raw any
	if err := json.Unmarshal(bytes.TrimSpace(body), &raw); err != nil {
		return User{}, err
	}
	m, ok := raw.(map[string]any)
	if !ok {
		return User{}, fmt.Errorf("expected an object with \"user\", got a %s", kind(raw))
	}
	if inner, ok := m["user"]; ok {
		um, ok := inner.(map[string]any)
		if !ok {
			return User{}, fmt.Errorf("\"user\" is a %s, not an object", kind(inner))
		}
		m = um
	}
	u := userFrom(m)
	if u.ID == "" {
		return User{}, errors.New("the user has no id")
	}
	return u, nil
}

// decodeUsers reads {count, users:[...]} (or a bare array). Users without
// an id are skipped. count is -1 when absent.
func decodeUsers(body []byte) ([]User, int, error) {
	items, env, err := objects(body, "users")
	if err != nil {
		return nil, 0, err
	}
	count := -1
	if env != nil {
		if n, err := strconv.Atoi(str(env["count"])); err == nil {
			count = n
		}
	}
	out := make([]User, 0, len(items))
	for _, m := range items {
		if u := userFrom(m); u.ID != "" {
			out = append(out, u)
		}
	}
	return out, count, nil
}

// decodeResults reads the {result:[...]} of team/invite and team/remove.
func decodeResults(body []byte) ([]InviteResult, error) {
	items, _, err := objects(body, "result", "results")
	if err != nil {
		return nil, err
	}
	out := make([]InviteResult, 0, len(items))
	for _, m := range items {
		out = append(out, InviteResult{
			User:        first(m, "user"),
			UserID:      first(m, "userId", "user_id", "id", "_id"),
			Username:    first(m, "username"),
			Email:       first(m, "email", "email_address"),
			AccessLevel: first(m, "accessLevel", "access_level"),
			Status:      first(m, "status"),
		})
	}
	return out, nil
}

// decodeUserProjects reads GET /api/ss/user/:id/projects. Its page says
// only "an array of projects"; the sibling project endpoints answer
// {count, projects:[{project_id, project_name, ...}]}. A bare array and
// `id`/`_id`/`name` are accepted too. Nothing is read about the user's
// access level or role: no project listing documents one.
func decodeUserProjects(body []byte) ([]Project, error) {
	items, _, err := objects(body, "projects", "data")
	if err != nil {
		return nil, err
	}
	out := make([]Project, 0, len(items))
	for _, m := range items {
		p := Project{ID: first(m, "project_id", "id", "_id", "projectId"), Name: first(m, "project_name", "name")}
		if p.ID != "" {
			out = append(out, p)
		}
	}
	return out, nil
}
