package attackforge

// The AttackForge Self-Service API: the client, the wire types, one
// method per API call and the decoders of its answers. Raw calls are named
// by the API's verbs (Invite, Remove, UpdateAccess, Users, UserByEmail,
// UserProjects); the batched flows built on them are in batch.go and the
// finders in find.go.

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
	"sync/atomic"

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

func newClient(api *shared.Client) *Client {
	c := &Client{api: api}
	c.invites.Window = inviteWindow
	c.invites.Run = c.runInviteBatch
	c.removes.Window = inviteWindow
	c.removes.Run = c.runRemoveBatch
	return c
}

// --- wire types ---

// User is an AttackForge user.
type User struct {
	ID, Username, Email, FirstName, LastName, Role, Status string
}

// InviteItem is one user of a team/invite request.
type InviteItem struct {
	User        string `json:"user"`
	AccessLevel string `json:"accessLevel"`
	Role        string `json:"role,omitempty"`
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

// What the caches hold: a look-up that found nobody is cached too.
type (
	userLookup struct {
		User  User
		Found bool
	}
	userList struct {
		Users []User
		Count int
	}
	projectsLookup struct {
		Projects []Project
		Found    bool
	}
)

// --- API calls ---

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

// UserByEmail looks a user up by email (GET /api/ss/users/email/:email),
// once per email per provider run; a 404 is shared.ErrNotFound, wrapped.
func (c *Client) UserByEmail(ctx context.Context, email string) (User, error) {
	l, err := c.byEmail.Get(ctx, shared.NormalizeEmail(email), func(ctx context.Context) (userLookup, error) {
		return c.getUser(ctx, "look up the user by email", "/api/ss/users/email/"+url.PathEscape(email))
	})
	return lookedUp(l, err, "email", email)
}

// UserByUsername looks a user up by username (GET
// /api/ss/users/username/:username), once per username per provider run;
// a 404 is shared.ErrNotFound, wrapped.
func (c *Client) UserByUsername(ctx context.Context, username string) (User, error) {
	l, err := c.byUsername.Get(ctx, strings.ToLower(username), func(ctx context.Context) (userLookup, error) {
		return c.getUser(ctx, "look up the user by username", "/api/ss/users/username/"+url.PathEscape(username))
	})
	return lookedUp(l, err, "username", username)
}

// lookedUp is a cached look-up's answer: the user, or shared.ErrNotFound.
func lookedUp(l userLookup, err error, by, value string) (User, error) {
	switch {
	case err != nil:
		return User{}, err
	case !l.Found:
		return User{}, fmt.Errorf("%s: no user with %s %q: %w", Title, by, value, shared.ErrNotFound)
	}
	return l.User, nil
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

// UserProjects lists the projects a user can access (GET
// /api/ss/user/:id/projects), once per user per provider run; a user who
// does not exist (404) is shared.ErrNotFound, wrapped.
func (c *Client) UserProjects(ctx context.Context, userID string) ([]Project, error) {
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
	switch {
	case err != nil:
		return nil, err
	case !l.Found:
		return nil, fmt.Errorf("%s: no user with id %q: %w", Title, userID, shared.ErrNotFound)
	}
	return l.Projects, nil
}

// --- decoders ---

// The decoders below read AttackForge answers tolerantly: the contract
// documents the envelopes ({user}, {count, users}, {result}, {projects}) but
// not every field's spelling, and GET /api/ss/user/:id/projects is not
// documented at all. Each accepts the documented envelope or a bare value,
// `id` or `_id`, and reads optional fields only when present.

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
