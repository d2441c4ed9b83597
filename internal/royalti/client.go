package royalti

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// pageSize is the page size asked of the listings (the API's maximum in
// the sandbox; the real API's maximum is not documented).
const pageSize = 100

// maxPages stops a listing that never ends (a server ignoring page).
const maxPages = 10000

// Invite statuses.
const (
	StatusInvited   = "invited"
	StatusJoined    = "joined"
	StatusCancelled = "cancelled"
)

// User is a tenant user of a workspace.
type User struct {
	ID        string  `json:"id"`
	Email     string  `json:"email"`
	FirstName string  `json:"firstName"`
	LastName  string  `json:"lastName"`
	Role      string  `json:"role"`
	Invite    *Invite `json:"invite"`
}

// Invite is a tenant user's invitation.
type Invite struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Date   string `json:"date"`
}

// InviteStatus is the user's invite status; a user without an invite (the
// owner, or a user added without one) counts as joined.
func (u *User) InviteStatus() string {
	if u.Invite == nil || u.Invite.Status == "" {
		return StatusJoined
	}
	return u.Invite.Status
}

// InviteRequest is the body of POST /auth/invite.
type InviteRequest struct {
	Email       string `json:"email"`
	SendEmail   bool   `json:"sendEmail"`
	Message     string `json:"message,omitempty"`
	FirstName   string `json:"firstName,omitempty"`
	LastName    string `json:"lastName,omitempty"`
	RedirectURL string `json:"redirect_url,omitempty"`
	Role        string `json:"role,omitempty"`
}

// userPage is one page of GET /user/.
type userPage struct {
	Users      []User `json:"Users"`
	Count      int    `json:"count"`
	TotalUsers int    `json:"totalUsers"`
}

// inviteEntry is one item of GET /user/invites.
type inviteEntry struct {
	ID           string `json:"id"`
	TenantUserID string `json:"TenantUserId"`
	Status       string `json:"status"`
	Date         string `json:"date"`
	TenantUser   struct {
		ID   string `json:"id"`
		Role string `json:"role"`
		User struct {
			Email string `json:"email"`
		} `json:"User"`
	} `json:"TenantUser"`
}

// invitePage is one page of GET /user/invites.
type invitePage struct {
	Invites     []inviteEntry `json:"invites"`
	TotalItems  int           `json:"totalItems"`
	TotalPages  int           `json:"totalPages"`
	CurrentPage int           `json:"currentPage"`
}

// Directory is every tenant user of a workspace with their invites, from
// the two listings.
type Directory struct {
	ByID    map[string]*User
	byEmail map[string]*User
}

// ByEmail finds a user case-insensitively.
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
// invites the latest (by date; a live one wins a tie) counts.
func newDirectory(users []User, invites []inviteEntry) *Directory {
	d := &Directory{ByID: map[string]*User{}, byEmail: map[string]*User{}}
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
			if inv.Date < u.Invite.Date || (inv.Date == u.Invite.Date && inv.Status == StatusCancelled) {
				continue
			}
		}
		u.Invite = &Invite{ID: inv.ID, Status: inv.Status, Date: inv.Date}
	}
	for _, u := range d.ByID {
		key := shared.NormalizeEmail(u.Email)
		if prev := d.byEmail[key]; prev == nil || prev.InviteStatus() == StatusCancelled {
			d.byEmail[key] = u
		}
	}
	return d
}

func (c *Client) invite(ctx context.Context, workspaceID string, r InviteRequest) error {
	var q url.Values
	if workspaceID != "" {
		q = url.Values{"workspaceId": {workspaceID}}
	}
	var out struct {
		Message string `json:"message"`
	}
	_, err := c.api.Do(ctx, shared.Request{Op: "invite " + r.Email, Method: http.MethodPost, Path: "/auth/invite", Query: q, JSON: r}, &out)
	c.dirs.Invalidate(workspaceID)
	return err
}

// listUsers returns every page of GET /user/ for a query and role.
func (c *Client) listUsers(ctx context.Context, query, role string) ([]User, error) {
	var all []User
	for page := 1; page <= maxPages; page++ {
		q := url.Values{"page": {strconv.Itoa(page)}, "size": {strconv.Itoa(pageSize)}}
		if query != "" {
			q.Set("q", query)
		}
		if role != "" {
			q.Set("role", role)
		}
		var p userPage
		if _, err := c.api.Do(ctx, shared.Request{Op: "list workspace users", Method: http.MethodGet, Path: "/user/", Query: q}, &p); err != nil {
			return nil, err
		}
		all = append(all, p.Users...)
		if len(p.Users) < pageSize || (p.Count > 0 && len(all) >= p.Count) {
			break
		}
	}
	return all, nil
}

// listInvites returns every page of GET /user/invites.
func (c *Client) listInvites(ctx context.Context) ([]inviteEntry, error) {
	var all []inviteEntry
	for page := 1; page <= maxPages; page++ {
		q := url.Values{"page": {strconv.Itoa(page)}, "size": {strconv.Itoa(pageSize)}}
		var p invitePage
		if _, err := c.api.Do(ctx, shared.Request{Op: "list workspace invites", Method: http.MethodGet, Path: "/user/invites", Query: q}, &p); err != nil {
			return nil, err
		}
		all = append(all, p.Invites...)
		if len(p.Invites) == 0 || len(p.Invites) < pageSize || (p.TotalPages > 0 && page >= p.TotalPages) {
			break
		}
	}
	return all, nil
}

// findByEmail searches GET /user/?q=<email> (all pages) and matches the
// email case-insensitively; nil when there is no such user.
func (c *Client) findByEmail(ctx context.Context, email string) (*User, error) {
	users, err := c.listUsers(ctx, email, "")
	if err != nil {
		return nil, err
	}
	var found *User
	for i := range users {
		if strings.EqualFold(users[i].Email, email) {
			found = &users[i]
			break
		}
	}
	return found, nil
}

// getUser reads GET /user/{id}.
func (c *Client) getUser(ctx context.Context, id string) (*User, error) {
	var u User
	if _, err := c.api.Do(ctx, shared.Request{Op: "read tenant user " + id, Method: http.MethodGet, Path: "/user/" + url.PathEscape(id)}, &u); err != nil {
		return nil, err
	}
	if u.ID == "" {
		u.ID = id
	}
	return &u, nil
}

// updateUser sends PATCH /user/{id} as a multipart form with the given
// fields (firstName, lastName, role).
func (c *Client) updateUser(ctx context.Context, workspaceID, id string, fields map[string]string) error {
	body, ct, err := multipartForm(fields)
	if err != nil {
		return err
	}
	_, err = c.api.Do(ctx, shared.Request{Op: "update tenant user " + id, Method: http.MethodPatch, Path: "/user/" + url.PathEscape(id), Body: body, ContentType: ct}, nil)
	c.dirs.Invalidate(workspaceID)
	return err
}

func multipartForm(fields map[string]string) ([]byte, string, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := mw.WriteField(k, fields[k]); err != nil {
			return nil, "", err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), mw.FormDataContentType(), nil
}

// deleteUser sends DELETE /user/{id}; a user already gone is not an error.
func (c *Client) deleteUser(ctx context.Context, workspaceID, id string) error {
	_, err := c.api.Do(ctx, shared.Request{Op: "remove tenant user " + id, Method: http.MethodDelete, Path: "/user/" + url.PathEscape(id)}, nil)
	c.dirs.Invalidate(workspaceID)
	if shared.IsNotFound(err) {
		return nil
	}
	return err
}

// directory returns the workspace's users with invites, listed once per
// provider run and shared by every Read (see shared.ListCache).
func (c *Client) directory(ctx context.Context, workspaceID string) (*Directory, error) {
	return c.dirs.Get(ctx, workspaceID, func(ctx context.Context) (*Directory, error) {
		return c.fetchDirectory(ctx, "")
	})
}

func (c *Client) fetchDirectory(ctx context.Context, role string) (*Directory, error) {
	users, err := c.listUsers(ctx, "", role)
	if err != nil {
		return nil, err
	}
	invites, err := c.listInvites(ctx)
	if err != nil {
		return nil, err
	}
	return newDirectory(users, invites), nil
}

// lookup finds a tenant user by id in the shared listing, confirming with
// GET /user/{id} when the listing does not have it. It returns nil when the
// user is gone.
func (c *Client) lookup(ctx context.Context, workspaceID, id string) (*User, error) {
	dir, err := c.directory(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	if u := dir.ByID[id]; u != nil {
		cp := *u
		return &cp, nil
	}
	u, err := c.getUser(ctx, id)
	if shared.IsNotFound(err) {
		return nil, nil
	}
	return u, err
}

// decodeUser and decodeUserPage decode API answers (used by the fuzz tests).
func decodeUser(b []byte) (*User, error) {
	var u User
	if err := json.Unmarshal(b, &u); err != nil {
		return nil, err
	}
	return &u, nil
}

func decodeUserPage(b []byte) (*userPage, error) {
	var p userPage
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

func decodeInvitePage(b []byte) (*invitePage, error) {
	var p invitePage
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// parseImportID splits an import id: "<tenant user id>", "<email>", or
// either prefixed by "<workspace id>/".
func parseImportID(raw string) (workspaceID, key string, isEmail bool, err error) {
	s := strings.TrimSpace(raw)
	if i := strings.LastIndex(s, "/"); i >= 0 {
		workspaceID, s = s[:i], s[i+1:]
		if workspaceID == "" || strings.ContainsAny(workspaceID, " /") {
			return "", "", false, importErr(raw)
		}
	}
	switch {
	case s == "":
		return "", "", false, importErr(raw)
	case strings.Contains(s, "@"):
		if why := shared.ValidateEmail(s); why != "" {
			return "", "", false, fmt.Errorf("import id %q: the email %s", raw, why)
		}
		return workspaceID, s, true, nil
	case isUUID(s):
		return workspaceID, strings.ToLower(s), false, nil
	}
	return "", "", false, importErr(raw)
}

func importErr(raw string) error {
	return fmt.Errorf("import id %q is not valid: expected a tenant user id (uuid such as 0a1b2c3d-0000-4000-8000-000000000002), "+
		"an email address (jane@example.com), or either prefixed by the workspace id and a slash (<workspace_id>/jane@example.com)", raw)
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch i {
		case 8, 13, 18, 23:
			if r != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
				return false
			}
		}
	}
	return true
}
