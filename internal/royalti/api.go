package royalti

// The Royalti API: the client, the wire types and one method per call.
//
// Naming: a raw API call is a lower-case verb on the Client named after
// what it sends (invite, listUsers, listInvites, recentUsers, getUser,
// updateUser, deleteUser, resendInvite). The flows built on them are named
// by what they do: inviteOne, inviteAndReadBack and the run's listing (directory) in
// batch.go, the finders (find...) in find.go.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// pageSize is the page size asked of the listings. The API documents no
// maximum; a server that answers fewer per page is paged all the same
// (the listing ends by totalUsers, or an empty page).
const pageSize = 100

// recentSize is the size of the page of most recently changed users that
// read-backs after invitations use (see readBack).
const recentSize = 100

// Config holds the resolved connection settings.
type Config struct {
	Endpoint, Token string
}

// Client talks to the Royalti API.
type Client struct {
	api *shared.Client
	// dirs shares one listing of the workspace's users and invites per
	// provider run among all Reads (see directory).
	dirs shared.ListCache[string, *Directory]
	// recent shares the read-back of invitations (see readBack).
	recent *readBack
}

// NewClient builds a client.
func NewClient(cfg Config, opts shared.Options) (*Client, error) {
	api, err := shared.NewClient(shared.ClientConfig{
		Platform: Title, BaseURL: cfg.Endpoint, Options: opts,
		Authorize: func(_ context.Context, req *http.Request) error {
			req.Header.Set("Authorization", "Bearer "+cfg.Token)
			return nil
		},
		Secrets: []string{cfg.Token},
	})
	if err != nil {
		return nil, err
	}
	c := &Client{api: api}
	c.recent = &readBack{fetch: c.recentUsers, quiet: readBackQuiet}
	return c, nil
}

// User is a tenant user of a workspace.
type User struct {
	ID        string  `json:"id"`
	Email     string  `json:"email"`
	FirstName string  `json:"firstName"`
	LastName  string  `json:"lastName"`
	Role      string  `json:"role"`
	Invite    *Invite `json:"invite"`
	// Account is the platform user behind the tenant user; its email is
	// used when the row has none at the top level.
	Account *struct {
		Email string `json:"email"`
	} `json:"User,omitempty"`
}

// normalize fills Email from Account when the row carries it only there.
func (u *User) normalize() {
	if u.Email == "" && u.Account != nil {
		u.Email = u.Account.Email
	}
	u.Account = nil
}

// Invite is a tenant user's invitation. The API carries its date under
// meta.date.
type Invite struct {
	ID     string     `json:"id"`
	Status string     `json:"status"`
	Meta   inviteMeta `json:"meta"`
}

type inviteMeta struct {
	Date string `json:"date"`
}

// Date is when the invitation was sent (RFC 3339), "" when unknown.
func (i *Invite) Date() string { return i.Meta.Date }

// InvitedAt is when the user's invitation was sent (its meta.date), ""
// when unknown.
func (u *User) InvitedAt() string {
	if u.Invite == nil {
		return ""
	}
	return u.Invite.Date()
}

// InviteRequest is the body of POST /auth/invite. The current invite page
// documents email, sendEmail, message and redirectUrl; the older page (and
// the vendor's example) also role, firstName, lastName and redirect_url.
// Both spellings are sent; role and names are hints the service may
// ignore, so every invitation is read back and corrected (PATCH /user/{id}).
type InviteRequest struct {
	Email             string `json:"email"`
	SendEmail         bool   `json:"sendEmail"`
	Message           string `json:"message,omitempty"`
	RedirectURL       string `json:"redirectUrl,omitempty"`
	LegacyRedirectURL string `json:"redirect_url,omitempty"`
	Role              string `json:"role,omitempty"`
	FirstName         string `json:"firstName,omitempty"`
	LastName          string `json:"lastName,omitempty"`
}

// userPage is one page of GET /user/: count is the number of users in the
// page, totalUsers the number of users the listing holds.
type userPage struct {
	Users      *[]User `json:"Users"`
	Count      int     `json:"count"`
	TotalUsers int     `json:"totalUsers"`
	Message    string  `json:"message"`
}

// inviteEntry is one item of GET /user/invites.
type inviteEntry struct {
	ID           string     `json:"id"`
	TenantUserID string     `json:"TenantUserId"`
	Status       string     `json:"status"`
	Meta         inviteMeta `json:"meta"`
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
	Invites       *[]inviteEntry `json:"invites"`
	TotalItems    int            `json:"totalItems"`
	FilteredItems int            `json:"filteredItems"`
	TotalPages    int            `json:"totalPages"`
	CurrentPage   int            `json:"currentPage"`
	Message       string         `json:"message"`
}

// EnvelopeError is a 2xx answer that carries the API's error envelope
// ({"message": "..."}) instead of what was asked: an error, never an
// empty result (see envelopeError).
type EnvelopeError struct {
	Op, Method, Path string
	Message          string
}

func (e *EnvelopeError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = "(no message)"
	}
	return fmt.Sprintf("%s: %s (%s %s) answered with success but without the expected data, with the message: %s. "+
		"Royalti reports some errors this way; nothing was read, so nothing is assumed gone. Try again; if it persists, check the workspace and the token in Royalti",
		Title, e.Op, e.Method, e.Path, msg)
}

// hintAlreadyInWorkspace is what to do about an invite refused because
// the email already has a tenant user (alreadyInWorkspace) that the
// invitation flow could not adopt.
const hintAlreadyInWorkspace = "This email already has a tenant user in the workspace, which could not be adopted: import it with " +
	"`terraform import <address> <email>` instead of inviting it again."

// invite sends POST /auth/invite. The answer carries no user: the
// invitation flow reads it back (settleInvited). A refusal because the
// email already has a tenant user carries what to do (shared.WithHint).
func (c *Client) invite(ctx context.Context, workspaceID string, r InviteRequest) error {
	var q url.Values
	if workspaceID != "" {
		q = url.Values{"workspaceId": {workspaceID}}
	}
	r.LegacyRedirectURL = r.RedirectURL
	_, err := c.api.Do(ctx, shared.Request{Op: "invite " + r.Email, Method: http.MethodPost, Path: "/auth/invite", Query: q, JSON: r}, nil)
	c.forgetDirectory()
	var ae *shared.APIError
	if errors.As(err, &ae) && alreadyInWorkspace(ae.Status, ae.Message) {
		return shared.WithHint(err, hintAlreadyInWorkspace)
	}
	return err
}

// userFilter narrows GET /user/.
type userFilter struct {
	// Roles are sent as the role filter (comma-separated).
	Roles []string
	// Query is the q search (name or email).
	Query string
}

// listUsers reads every page of GET /user/ (oldest first, so that users
// added meanwhile land on later pages instead of shifting earlier ones).
// It ends when the users reach totalUsers or a page is empty; a total
// the pages overrun is wrong and ignored (the listing goes on to an empty
// page); a repeated page is an error (shared.Pager).
func (c *Client) listUsers(ctx context.Context, f userFilter) ([]User, error) {
	seen := 0
	p := shared.Pager[User]{
		Platform: Title, Op: "list workspace users (GET /user/)",
		Key: func(u User) string { return u.ID },
		Fetch: func(ctx context.Context, n int) (shared.Page[User], error) {
			q := url.Values{"page": {strconv.Itoa(n + 1)}, "size": {strconv.Itoa(pageSize)}, "sort": {"createdAt"}, "order": {"asc"}}
			if f.Query != "" {
				q.Set("q", f.Query)
			}
			if len(f.Roles) > 0 {
				q.Set("role", strings.Join(f.Roles, ","))
			}
			page, err := c.userPage(ctx, "list workspace users", q)
			if err != nil {
				return shared.Page[User]{}, err
			}
			seen += len(page.Users)
			total := page.TotalUsers
			if seen > total {
				total = 0 // wrong: page on until an empty page
			}
			return shared.Page[User]{Items: page.Users, Total: total}, nil
		},
	}
	return p.All(ctx)
}

type usersAnswer struct {
	Users      []User
	TotalUsers int
}

// userPage reads one page of GET /user/; an answer without Users (an
// error envelope in a 200) is an *EnvelopeError.
func (c *Client) userPage(ctx context.Context, op string, q url.Values) (usersAnswer, error) {
	var p userPage
	r := shared.Request{Op: op, Method: http.MethodGet, Path: "/user/", Query: q}
	if _, err := c.api.Do(ctx, r, &p); err != nil {
		return usersAnswer{}, err
	}
	if err := envelopeError(r, p.Users != nil, p.Message); err != nil {
		return usersAnswer{}, err
	}
	for i := range *p.Users {
		(*p.Users)[i].normalize()
	}
	return usersAnswer{Users: *p.Users, TotalUsers: p.TotalUsers}, nil
}

// recentUsers reads the page of most recently changed users (GET /user/
// newest first), by lower-cased email, and the pending invites (GET
// /user/invites?status=invited): what read-backs after invitations look
// in. User rows carry no invite, and a new invitation's date (meta.date,
// invited_at) is only in the invites. Reading it with the user means the
// state holds invited_at from the create on, so the next refresh finds
// nothing changed. A failing invites listing leaves the dates to that
// refresh.
func (c *Client) recentUsers(ctx context.Context) (map[string]*User, error) {
	q := url.Values{"page": {"1"}, "size": {strconv.Itoa(recentSize)}, "sort": {"updatedAt"}, "order": {"desc"}}
	page, err := c.userPage(ctx, "read back recent invitations", q)
	if err != nil {
		return nil, err
	}
	invites, ierr := c.listInvitesWith(ctx, StatusInvited)
	if ierr != nil && ctx.Err() != nil {
		return nil, ierr
	}
	// the directory's email index: a live invitation wins over a
	// cancelled one, as in every listing
	return newDirectory(page.Users, invites, ierr).byEmail, nil
}

// listInvites reads every page of GET /user/invites.
func (c *Client) listInvites(ctx context.Context) ([]inviteEntry, error) {
	return c.listInvitesWith(ctx, "")
}

// listInvitesWith reads every page of GET /user/invites with the given
// status filter ("" for every invite).
func (c *Client) listInvitesWith(ctx context.Context, status string) ([]inviteEntry, error) {
	p := shared.Pager[inviteEntry]{
		Platform: Title, Op: "list workspace invites (GET /user/invites)",
		Key: func(e inviteEntry) string { return e.ID },
		Fetch: func(ctx context.Context, n int) (shared.Page[inviteEntry], error) {
			q := url.Values{"page": {strconv.Itoa(n + 1)}, "size": {strconv.Itoa(pageSize)}}
			if status != "" {
				q.Set("status", status)
			}
			var page invitePage
			r := shared.Request{Op: "list workspace invites", Method: http.MethodGet, Path: "/user/invites", Query: q}
			if _, err := c.api.Do(ctx, r, &page); err != nil {
				return shared.Page[inviteEntry]{}, err
			}
			if err := envelopeError(r, page.Invites != nil, page.Message); err != nil {
				return shared.Page[inviteEntry]{}, err
			}
			return shared.Page[inviteEntry]{Items: *page.Invites, Last: page.TotalPages > 0 && n+1 >= page.TotalPages}, nil
		},
	}
	return p.All(ctx)
}

// ResendRequest is the body of POST /user/invites/{inviteId}/resend: both
// fields are optional.
type ResendRequest struct {
	Message     string `json:"message,omitempty"`
	RedirectURL string `json:"redirectUrl,omitempty"`
}

// resendInvite sends POST /user/invites/{inviteId}/resend: a fresh
// activation email for an invitation still "invited".
func (c *Client) resendInvite(ctx context.Context, inviteID string, r ResendRequest) error {
	_, err := c.api.Do(ctx, shared.Request{Op: "re-send invite " + inviteID, Method: http.MethodPost,
		Path: "/user/invites/" + url.PathEscape(inviteID) + "/resend", JSON: r}, nil)
	c.forgetDirectory() // the invite's date may move
	return err
}

// getUser reads GET /user/{id}; an answer that is not a user (an error
// envelope in a 200, see isUser) is an *EnvelopeError, never a user.
func (c *Client) getUser(ctx context.Context, id string) (*User, error) {
	var u struct {
		User
		Message string `json:"message"`
	}
	r := shared.Request{Op: "read tenant user " + id, Method: http.MethodGet, Path: "/user/" + url.PathEscape(id)}
	if _, err := c.api.Do(ctx, r, &u); err != nil {
		return nil, err
	}
	u.normalize()
	if err := envelopeError(r, isUser(u.User), u.Message); err != nil {
		return nil, err
	}
	return &u.User, nil
}

// Profile is what the provider sets on a tenant user: its role and names.
// An empty Role or a nil name is not managed.
type Profile struct {
	Role                string
	FirstName, LastName *string
}

// ProfileOf is u's profile, every field managed (an empty name is nil).
func ProfileOf(u *User) Profile {
	return Profile{Role: u.Role, FirstName: optional(u.FirstName), LastName: optional(u.LastName)}
}

// optional is s, nil when empty.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Fields are the PATCH /user/{id} form fields that bring have to p: the
// fields p manages whose value differs.
func (p Profile) Fields(have Profile) map[string]string {
	fields := map[string]string{}
	if p.Role != "" && p.Role != have.Role {
		fields["role"] = p.Role
	}
	if p.FirstName != nil && *p.FirstName != shared.Deref(have.FirstName) {
		fields["firstName"] = *p.FirstName
	}
	if p.LastName != nil && *p.LastName != shared.Deref(have.LastName) {
		fields["lastName"] = *p.LastName
	}
	return fields
}

// updateUser sends PATCH /user/{id} as a multipart form with the given
// fields (firstName, lastName, role) and returns the user as changed: the
// user in the answer when the answer carries one, else base (the user as
// it was) with the fields applied, since the API reference documents no
// body for the answer (an empty object).
func (c *Client) updateUser(ctx context.Context, base User, fields map[string]string) (*User, error) {
	body, ct, err := multipartForm(fields)
	if err != nil {
		return nil, err
	}
	var out struct {
		User *User `json:"user"`
	}
	r := shared.Request{Op: "update tenant user " + base.ID, Method: http.MethodPatch, Path: "/user/" + url.PathEscape(base.ID), Body: body, ContentType: ct}
	_, err = c.api.Do(ctx, r, &out)
	c.forgetDirectory()
	if err != nil {
		return nil, err
	}
	if out.User != nil && out.User.ID == base.ID {
		if out.User.Invite == nil {
			out.User.Invite = base.Invite
		}
		return out.User, nil
	}
	u := base
	for k, v := range fields {
		switch k {
		case "role":
			u.Role = v
		case "firstName":
			u.FirstName = v
		case "lastName":
			u.LastName = v
		}
	}
	return &u, nil
}

func multipartForm(fields map[string]string) ([]byte, string, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, k := range slices.Sorted(maps.Keys(fields)) {
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
func (c *Client) deleteUser(ctx context.Context, id string) error {
	_, err := c.api.Do(ctx, shared.Request{Op: "remove tenant user " + id, Method: http.MethodDelete, Path: "/user/" + url.PathEscape(id)}, nil)
	c.forgetDirectory()
	if shared.IsNotFound(err) {
		return nil
	}
	return err
}

// decodeUser, decodeUserPage and decodeInvitePage decode API answers (used
// by the fuzz tests).
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
