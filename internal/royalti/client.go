package royalti

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// pageSize is the page size asked of the listings. The API documents no
// maximum; a server that answers fewer per page is paged all the same
// (the listing ends by totalUsers, or an empty page).
const pageSize = 100

// recentSize is the size of the page of most recently changed users that
// read-backs after invitations use (see readBack).
const recentSize = 100

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

// InvitePending reports an invitation not yet accepted (status invited).
func (u *User) InvitePending() bool { return u.InviteStatus() == StatusInvited }

// InviteStatus is the user's invite status; a user without an invite (the
// owner, or a user added without one) counts as joined.
func (u *User) InviteStatus() string {
	if u.Invite == nil || u.Invite.Status == "" {
		return StatusJoined
	}
	return u.Invite.Status
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
// empty result.
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

// Directory is every tenant user of a workspace with their invites, from
// the two listings.
type Directory struct {
	ByID    map[string]*User
	byEmail map[string]*User
	// InvitesErr is set when the invites listing failed: users carry no
	// invite, and their invite status is unknown (not "joined").
	InvitesErr error
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

// invite sends POST /auth/invite. The read-back waits for it (readBack).
func (c *Client) invite(ctx context.Context, workspaceID string, r InviteRequest) error {
	var q url.Values
	if workspaceID != "" {
		q = url.Values{"workspaceId": {workspaceID}}
	}
	r.LegacyRedirectURL = r.RedirectURL
	_, err := c.api.Do(ctx, shared.Request{Op: "invite " + r.Email, Method: http.MethodPost, Path: "/auth/invite", Query: q, JSON: r}, nil)
	c.forgetDirectory()
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
	if p.Users == nil {
		return usersAnswer{}, &EnvelopeError{Op: op, Method: r.Method, Path: r.Path, Message: p.Message}
	}
	for i := range *p.Users {
		(*p.Users)[i].normalize()
	}
	return usersAnswer{Users: *p.Users, TotalUsers: p.TotalUsers}, nil
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
			if page.Invites == nil {
				return shared.Page[inviteEntry]{}, &EnvelopeError{Op: r.Op, Method: r.Method, Path: r.Path, Message: page.Message}
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
// envelope in a 200) is an *EnvelopeError, never a user.
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
	if u.ID == "" || u.Email == "" {
		return nil, &EnvelopeError{Op: r.Op, Method: r.Method, Path: r.Path, Message: u.Message}
	}
	return &u.User, nil
}

// updateUser sends PATCH /user/{id} as a multipart form with the given
// fields (firstName, lastName, role) and returns the user as changed: the
// user in the answer when the answer carries one, else base (the user as
// it was) with the fields applied, since the API reference documents no
// body for the answer (an empty object).
func (c *Client) updateUser(ctx context.Context, workspaceID string, base User, fields map[string]string) (*User, error) {
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
	c.forgetDirectory()
	if shared.IsNotFound(err) {
		return nil
	}
	return err
}

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

// lookup finds a tenant user by id in the shared listing, confirming with
// GET /user/{id} when the listing does not have it. It returns nil when the
// user is gone.
func (c *Client) lookup(ctx context.Context, workspaceID, id string) (*User, *Directory, error) {
	dir, err := c.directory(ctx, workspaceID)
	if err != nil {
		return nil, nil, err
	}
	if u := dir.ByID[id]; u != nil {
		cp := *u
		return &cp, dir, nil
	}
	u, err := c.getUser(ctx, id)
	if shared.IsNotFound(err) {
		return nil, dir, nil
	}
	return u, dir, err
}

// findInvited returns the tenant user of an email just invited: from the
// page of most recently changed users, fetched once for every invitation
// that ended before it (readBack), else from the whole listing (more than
// recentSize users changed meanwhile, or a re-invited user). nil when the
// workspace has no such user.
func (c *Client) findInvited(ctx context.Context, workspaceID, email string, mark int) (*User, error) {
	u, err := c.recent.wait(ctx, email, mark)
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
	return nil, nil
}

// fetchRecent reads the page of most recently changed users, and the
// pending invites (GET /user/invites?status=invited): user rows carry no
// invite, and a new invitation's date (meta.date, invited_at) is only in
// the invites. Reading it with the user means the state holds invited_at
// from the create on, so the next refresh finds nothing changed. A failing
// invites listing leaves the dates to that refresh.
func (c *Client) fetchRecent(ctx context.Context) (map[string]*User, error) {
	q := url.Values{"page": {"1"}, "size": {strconv.Itoa(recentSize)}, "sort": {"updatedAt"}, "order": {"desc"}}
	page, err := c.userPage(ctx, "read back recent invitations", q)
	if err != nil {
		return nil, err
	}
	invites, ierr := c.listInvitesWith(ctx, StatusInvited)
	if ierr != nil && ctx.Err() != nil {
		return nil, ierr
	}
	dir := newDirectory(page.Users, invites, ierr)
	out := make(map[string]*User, len(page.Users))
	for _, u := range dir.ByID {
		if prev := out[shared.NormalizeEmail(u.Email)]; prev == nil || prev.InviteStatus() == StatusCancelled {
			out[shared.NormalizeEmail(u.Email)] = u
		}
	}
	return out, nil
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

// readBack shares reads of the most recently changed users (newest
// first) among the invitations that need reading back. The invite answer
// carries no user, so each Create must find its user; one listing per
// Create would cost a request per member. Instead:
//
//   - a read is usable by an invitation when it started after the
//     invitation began and lists its email (the service had processed
//     the invitation when it answered the read), or when it started after
//     the invitation ended (then it must list it);
//   - a read starts only when callers are waiting and no invitation is in
//     flight, or at once for a caller whose invitation ended before a
//     quiet moment came (see quiet), and serves every waiting caller it
//     is usable by; one read at a time.
//
// So concurrent Creates (Terraform's parallelism) share one request, and
// a read cannot miss an invitation that ended before it started.
type readBack struct {
	fetch func(ctx context.Context) (map[string]*User, error)
	// quiet bounds how long a waiting caller lets invitations in flight
	// delay its read: once they have delayed it this long, the read
	// starts anyway. Zero means no bound.
	quiet time.Duration

	mu       sync.Mutex
	writes   int
	started  int // reads started
	fetching bool
	cancel   context.CancelFunc // of the read in flight
	last     *recentPage
	waiting  []*readBackWaiter
}

type recentPage struct {
	seq   int
	users map[string]*User
	err   error
}

type readBackWaiter struct {
	ctx          context.Context
	email        string
	after, ended int // reads started when the invitation began, ended
	since        time.Time
	ch           chan readBackResult
}

type readBackResult struct {
	user *User
	err  error
}

// usable reports whether page answers w, and with what.
func (w *readBackWaiter) usable(p *recentPage) (readBackResult, bool) {
	if p == nil || p.seq <= w.after {
		return readBackResult{}, false
	}
	if p.err != nil {
		if p.seq > w.ended {
			return readBackResult{err: p.err}, true
		}
		return readBackResult{}, false
	}
	if u := p.users[w.email]; u != nil {
		cp := *u
		return readBackResult{user: &cp}, true
	}
	return readBackResult{}, p.seq > w.ended // listed nowhere: not found
}

// begin and end bracket an invitation; begin returns its mark for wait.
func (r *readBack) begin() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.writes++
	return r.started
}

func (r *readBack) end() {
	r.mu.Lock()
	r.writes--
	r.startLocked()
	r.mu.Unlock()
}

// wait returns the user of email from a read usable by an invitation that
// began at mark (from begin) and has ended; nil when that read does not
// list it (the caller then looks in the whole listing).
func (r *readBack) wait(ctx context.Context, email string, mark int) (*User, error) {
	w := &readBackWaiter{ctx: ctx, email: shared.NormalizeEmail(email), after: mark, since: time.Now(), ch: make(chan readBackResult, 1)}
	r.mu.Lock()
	w.ended = r.started
	if res, ok := w.usable(r.last); ok && res.user != nil {
		r.mu.Unlock()
		return res.user, nil
	}
	r.waiting = append(r.waiting, w)
	r.startLocked()
	r.mu.Unlock()
	if r.quiet > 0 {
		// Invitations in flight may delay the read at most quiet.
		t := time.AfterFunc(r.quiet, func() {
			r.mu.Lock()
			r.startLocked()
			r.mu.Unlock()
		})
		defer t.Stop()
	}
	select {
	case res := <-w.ch:
		return res.user, res.err
	case <-ctx.Done():
		r.mu.Lock()
		r.leaveLocked(w)
		r.mu.Unlock()
		return nil, ctx.Err()
	}
}

// leaveLocked removes a caller that stopped waiting (Ctrl-C); the read in
// flight is cancelled when nobody waits for it any more. Call with r.mu held.
func (r *readBack) leaveLocked(w *readBackWaiter) {
	for i, x := range r.waiting {
		if x == w {
			r.waiting = append(r.waiting[:i], r.waiting[i+1:]...)
			break
		}
	}
	if len(r.waiting) == 0 && r.cancel != nil {
		r.cancel()
	}
}

// startLocked starts a read for the waiting callers when none is running
// and no invitation is in flight (or a caller waited quiet). Call with
// r.mu held.
func (r *readBack) startLocked() {
	if r.fetching || len(r.waiting) == 0 {
		return
	}
	if r.writes > 0 && (r.quiet <= 0 || time.Since(r.waiting[0].since) < r.quiet) {
		return
	}
	r.fetching = true
	r.started++
	seq := r.started
	// The first caller's context (its values, for logging), cancelled only
	// when every waiting caller has gone (leaveLocked): the read serves the
	// others too.
	ctx, cancel := context.WithCancel(context.WithoutCancel(r.waiting[0].ctx))
	r.cancel = cancel
	go func() {
		defer cancel()
		users, err := r.fetch(ctx)
		p := &recentPage{seq: seq, users: users, err: err}
		r.mu.Lock()
		defer r.mu.Unlock()
		r.fetching, r.cancel = false, nil
		r.last = p
		kept := r.waiting[:0]
		for _, w := range r.waiting {
			if res, ok := w.usable(p); ok {
				w.ch <- res
				continue
			}
			kept = append(kept, w)
		}
		r.waiting = kept
		r.startLocked()
	}()
}

// inviteHint adds what to do about Royalti's answers to an invite.
func inviteHint(err error) error {
	var ae *shared.APIError
	if errors.As(err, &ae) && ae.Status == 400 && strings.Contains(strings.ToLower(ae.Message), "already") {
		return fmt.Errorf("%w\n\nThis email already has a tenant user in the workspace, which could not be adopted: import it with "+
			"`terraform import <address> <email>` instead of inviting it again", err)
	}
	return err
}

// inviteAndSettle invites email, reads the user back and brings role and
// names to the wanted values (PATCH /user/{id} when the invite did not
// apply them). An invite refused (4xx) for an email whose tenant user is
// in the workspace (invited by hand, or by a retried invite whose first
// answer was lost) adopts that user instead, decided from the listing,
// not from the message's wording.
func (c *Client) inviteAndSettle(ctx context.Context, ws string, ir InviteRequest, want Profile) (*User, error) {
	var u *User
	mark := c.recent.begin()
	err := c.invite(ctx, ws, ir)
	c.recent.end()
	if err != nil {
		if st := shared.StatusOf(err); st < 400 || st >= 500 || st == 401 || st == 403 || st == 404 {
			return nil, inviteHint(err)
		}
		dir, lerr := c.directory(ctx, ws)
		if lerr != nil {
			return nil, errors.Join(inviteHint(err), lerr)
		}
		if u = dir.ByEmail(ir.Email); u == nil || u.InviteStatus() == StatusCancelled {
			return nil, inviteHint(err)
		}
		cp := *u
		u = &cp
	} else {
		found, err := c.findInvited(ctx, ws, ir.Email, mark)
		if err != nil {
			return nil, fmt.Errorf("the invitation was accepted, but reading the tenant user back failed: %w", err)
		}
		if found == nil {
			return nil, fmt.Errorf("the invitation of %s was accepted (POST /auth/invite), but GET /user/ lists no tenant user with this email. "+
				"Run terraform again; if it persists, check the workspace in Royalti", ir.Email)
		}
		u = found
		if u.Invite == nil {
			u.Invite = &Invite{Status: StatusInvited}
		}
	}
	fields := want.Fields(ProfileOf(u))
	if len(fields) == 0 {
		return u, nil
	}
	got, err := c.updateUser(ctx, ws, *u, fields)
	if err != nil {
		return nil, fmt.Errorf("%s is in the workspace (tenant user %s), but setting its role and names failed: %w", ir.Email, u.ID, err)
	}
	u.Role, u.FirstName, u.LastName = got.Role, got.FirstName, got.LastName
	if left := want.Fields(ProfileOf(u)); len(left) > 0 {
		return nil, fmt.Errorf("PATCH /user/%s was answered without applying %s", u.ID, strings.Join(sortedFieldNames(left), ", "))
	}
	return u, nil
}

func sortedFieldNames(fields map[string]string) []string {
	out := make([]string, 0, len(fields))
	for k := range fields {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
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

// memberInvite is one invitation of inviteMany.
type memberInvite struct {
	Key     string
	Want    Profile
	Request InviteRequest
}

// inviteMany sends the invitations, at most limit at a time, then reads
// them all back at once (the page of recently changed users, or the whole
// listing when more users were invited than it holds) and corrects role
// and names with PATCH /user/{id} where the invite did not apply them. An
// invite refused for an email that has a tenant user adopts it. It
// returns the user of each member key that succeeded and the error of
// each that failed.
func (c *Client) inviteMany(ctx context.Context, ws string, invs []memberInvite, limit int) (map[string]*User, map[string]error) {
	var mu sync.Mutex
	users, errs := map[string]*User{}, map[string]error{}
	fail := func(key string, err error) {
		mu.Lock()
		defer mu.Unlock()
		errs[key] = err
	}
	sent := make([]error, len(invs))
	var g errgroup.Group
	g.SetLimit(limit)
	for i, inv := range invs {
		g.Go(func() error {
			sent[i] = c.invite(ctx, ws, inv.Request)
			return nil
		})
	}
	_ = g.Wait()

	var recent map[string]*User
	var recentErr error
	if len(invs) <= recentSize {
		recent, recentErr = c.fetchRecent(ctx)
	}
	for i, inv := range invs {
		key := inv.Key
		var u *User
		if err := sent[i]; err != nil {
			if st := shared.StatusOf(err); st < 400 || st >= 500 || st == 401 || st == 403 || st == 404 {
				fail(key, inviteHint(err))
				continue
			}
			dir, lerr := c.directory(ctx, ws)
			if lerr != nil {
				fail(key, errors.Join(inviteHint(err), lerr))
				continue
			}
			if u = dir.ByEmail(inv.Request.Email); u == nil || u.InviteStatus() == StatusCancelled {
				fail(key, inviteHint(err))
				continue
			}
		} else {
			if recentErr == nil {
				u = recent[shared.NormalizeEmail(inv.Request.Email)]
			}
			if u == nil {
				dir, err := c.directory(ctx, ws)
				if err != nil {
					fail(key, fmt.Errorf("the invitation was accepted, but reading the tenant user back failed: %w", err))
					continue
				}
				u = dir.ByEmail(inv.Request.Email)
			}
			if u == nil {
				fail(key, fmt.Errorf("the invitation of %s was accepted (POST /auth/invite), but GET /user/ lists no tenant user with this email. "+
					"Run terraform again; if it persists, check the workspace in Royalti", inv.Request.Email))
				continue
			}
		}
		cp := *u
		if cp.Invite == nil {
			cp.Invite = &Invite{Status: StatusInvited}
		}
		users[key] = &cp
	}
	byKey := make(map[string]memberInvite, len(invs))
	for _, inv := range invs {
		byKey[inv.Key] = inv
	}
	for key, u := range users {
		inv := byKey[key]
		fields := inv.Want.Fields(ProfileOf(u))
		if len(fields) == 0 {
			continue
		}
		g.Go(func() error {
			got, err := c.updateUser(ctx, ws, *u, fields)
			if err != nil {
				fail(key, fmt.Errorf("%s is in the workspace (tenant user %s), but setting its role and names failed: %w", inv.Request.Email, u.ID, err))
				return nil
			}
			if left := inv.Want.Fields(ProfileOf(got)); len(left) > 0 {
				fail(key, fmt.Errorf("PATCH /user/%s was answered without applying %s", u.ID, strings.Join(sortedFieldNames(left), ", ")))
				return nil
			}
			mu.Lock()
			u.Role, u.FirstName, u.LastName = got.Role, got.FirstName, got.LastName
			mu.Unlock()
			return nil
		})
	}
	_ = g.Wait()
	for key := range errs {
		delete(users, key)
	}
	return users, errs
}

// readBackQuiet bounds how long invitations in flight may delay the
// read-back of one that ended (see readBack): long enough for the
// concurrent creates of one wave to share a read, short enough that a
// stream of invitations (a large authoritative apply) never starves it.
const readBackQuiet = 2 * time.Second

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
	c.recent = &readBack{fetch: c.fetchRecent, quiet: readBackQuiet}
	return c, nil
}
