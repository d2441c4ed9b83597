package sandbox

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Royalti seed data: the workspace the sandbox token belongs to, its owner
// and one member who joined.
const (
	RoyaltiWorkspaceID = "8d7c5b3a-1f2e-4d6c-9b8a-7e6f5d4c3b2a"
	RoyaltiOwnerID     = "0a1b2c3d-0000-4000-8000-000000000001"
	RoyaltiOwnerEmail  = "owner@royalti.example"
	RoyaltiMemberID    = "0a1b2c3d-0000-4000-8000-000000000002"
	RoyaltiMemberEmail = "member@royalti.example"
)

// Royalti roles and invite statuses.
var (
	royaltiAssignableRoles = map[string]bool{"user": true, "admin": true}
	royaltiRoles           = map[string]bool{"user": true, "admin": true, "owner": true}
	royaltiInviteStatuses  = map[string]bool{"invited": true, "joined": true, "cancelled": true}
)

// RoyaltiUser is a tenant user of the sandbox workspace.
type RoyaltiUser struct {
	ID        string
	Email     string
	FirstName string
	LastName  string
	Role      string
	// Invite is nil for users who were never invited (the owner).
	Invite  *RoyaltiInvite
	Created time.Time
	Updated time.Time
	seq     int
}

// RoyaltiInvite is the invite of a tenant user.
type RoyaltiInvite struct {
	ID          string
	Status      string
	Date        time.Time
	Message     string
	RedirectURL string
	SendEmail   bool
	Resent      int
}

// RoyaltiOptions are the sandbox's behaviours where the vendor's pages
// leave room, and hostile behaviours for tests. The zero value is the
// service as its current pages describe it.
type RoyaltiOptions struct {
	// LegacyInvite makes POST /auth/invite honour role, firstName,
	// lastName and redirect_url, as the older invite page and the seed
	// document. Without it the invite follows the current page: the body
	// is {email, sendEmail, message, redirectUrl}; role and names are
	// ignored (the user gets the role "user" and no names).
	LegacyInvite bool
	// EnvelopeErrors answers every error with HTTP 200 and the error
	// envelope {"message": "..."} instead of its 4xx status: a 200 that
	// carries no user.
	EnvelopeErrors bool
	// IgnorePaging makes GET /user/ and GET /user/invites answer the first
	// page whatever page is asked (a repeated page).
	IgnorePaging bool
	// TotalSkew is added to the totals the listings report (totalUsers,
	// totalItems): wrong totals, too high or too low.
	TotalSkew int
	// MaxPageSize, when above zero, silently caps the page size.
	MaxPageSize int
}

// Royalti emulates the Royalti API under PrefixRoyalti. One workspace
// (RoyaltiWorkspaceID), reached with RoyaltiToken. It follows the vendor's
// API reference (apidocs.royalti.io: user/get-user, user/get-user-invites,
// user/get-user-id, user/patch-user-id, auth/post-auth-invite):
//
//   - GET /user/ takes q, page (default 1), size (default 10, no maximum),
//     sort (createdAt, updatedAt, name, split), order (asc, desc), role
//     (comma-separated), externalId, accounting and attributes; it answers
//     {Users, count, totalUsers}: count is the number of users in the page,
//     totalUsers the number matching the filters. Rows carry no invite.
//   - GET /user/invites takes status, page and size (page is only used
//     when size is given; without size every invite is answered) and
//     answers {invites, totalItems, filteredItems, totalPages, currentPage};
//     an invite's date is under meta.date.
//   - GET /user/{id} carries the invite {id, status, meta: {date}}.
//
// Documented choices where the pages are silent: unknown query parameters
// and body fields are ignored, as the service's framework does, and
// recorded (Unknown) so tests can assert a client sends none; the default
// order of GET /user/ is newest first; inviting an email whose tenant user
// is "invited" or "joined" answers 400 "User ... already exists in this
// workspace"; an email whose invite was "cancelled" is re-invited (new
// invite); GET /user/ lists cancelled users too.
type Royalti struct {
	sb      *Sandbox
	mu      sync.Mutex
	users   map[string]*RoyaltiUser
	seq     int
	opts    RoyaltiOptions
	unknown []string
}

func newRoyalti(sb *Sandbox) *Royalti {
	p := &Royalti{sb: sb}
	p.reset()
	p.routes()
	return p
}

// reset restores the seed data and the default options.
func (p *Royalti) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.users = map[string]*RoyaltiUser{}
	p.seq = 0
	p.opts = RoyaltiOptions{}
	p.unknown = nil
	t0 := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	p.addLocked(&RoyaltiUser{ID: RoyaltiOwnerID, Email: RoyaltiOwnerEmail, FirstName: "Olu", LastName: "Owner", Role: "owner", Created: t0, Updated: t0})
	p.addLocked(&RoyaltiUser{ID: RoyaltiMemberID, Email: RoyaltiMemberEmail, FirstName: "Mina", LastName: "Member", Role: "user", Created: t0.Add(time.Hour), Updated: t0.Add(time.Hour),
		Invite: &RoyaltiInvite{ID: "1f000000-0000-4000-8000-000000000002", Status: "joined", Date: t0.Add(time.Hour), SendEmail: true}})
}

// SetOptions replaces the options (see RoyaltiOptions).
func (p *Royalti) SetOptions(o RoyaltiOptions) {
	p.mu.Lock()
	p.opts = o
	p.mu.Unlock()
}

// Options returns the options in force.
func (p *Royalti) Options() RoyaltiOptions {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.opts
}

// Unknown returns the query parameters and body fields the service
// ignored, as "<route> <name>", in the order they came.
func (p *Royalti) Unknown() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.unknown...)
}

func (p *Royalti) addLocked(u *RoyaltiUser) {
	p.seq++
	u.seq = p.seq
	if u.Updated.IsZero() {
		u.Updated = u.Created
	}
	p.users[u.ID] = u
}

// sorted returns the users in creation order. Call with p.mu held.
func (p *Royalti) sorted() []*RoyaltiUser {
	out := make([]*RoyaltiUser, 0, len(p.users))
	for _, u := range p.users {
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].seq < out[j].seq })
	return out
}

// find returns the user with this id, or else this email. Call with p.mu held.
func (p *Royalti) find(idOrEmail string) *RoyaltiUser {
	if u := p.users[idOrEmail]; u != nil {
		return u
	}
	for _, u := range p.users {
		if strings.EqualFold(u.Email, idOrEmail) {
			return u
		}
	}
	return nil
}

// --- Go access for tests ---

// User returns a copy of the tenant user with this id or email.
func (p *Royalti) User(idOrEmail string) (RoyaltiUser, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	u := p.find(idOrEmail)
	if u == nil {
		return RoyaltiUser{}, false
	}
	cp := *u
	if u.Invite != nil {
		inv := *u.Invite
		cp.Invite = &inv
	}
	return cp, true
}

// Users returns copies of every tenant user in creation order.
func (p *Royalti) Users() []RoyaltiUser {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []RoyaltiUser
	for _, u := range p.sorted() {
		cp := *u
		if u.Invite != nil {
			inv := *u.Invite
			cp.Invite = &inv
		}
		out = append(out, cp)
	}
	return out
}

// AddUser adds a tenant user out of band with an invite in the given status
// ("" for no invite) and returns its id.
func (p *Royalti) AddUser(email, role, firstName, lastName, status string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	u := &RoyaltiUser{ID: newUUID(), Email: email, FirstName: firstName, LastName: lastName, Role: role, Created: p.nowLocked()}
	if status != "" {
		u.Invite = &RoyaltiInvite{ID: newUUID(), Status: status, Date: u.Created, SendEmail: true}
	}
	p.addLocked(u)
	return u.ID
}

// nowLocked is the time of a change: strictly after every earlier change,
// so that ordering by createdAt or updatedAt is total. Call with p.mu held.
func (p *Royalti) nowLocked() time.Time {
	now := time.Now().UTC().Truncate(time.Millisecond)
	for _, u := range p.users {
		if !now.After(u.Updated) {
			now = u.Updated.Add(time.Millisecond)
		}
		if !now.After(u.Created) {
			now = u.Created.Add(time.Millisecond)
		}
	}
	return now
}

// DeleteUser removes a tenant user (by id or email) out of band.
func (p *Royalti) DeleteUser(idOrEmail string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	u := p.find(idOrEmail)
	if u == nil {
		return false
	}
	delete(p.users, u.ID)
	return true
}

func (p *Royalti) change(idOrEmail string, f func(u *RoyaltiUser) bool) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	u := p.find(idOrEmail)
	if u == nil || !f(u) {
		return false
	}
	u.Updated = p.nowLocked()
	return true
}

// SetRole changes a tenant user's role out of band.
func (p *Royalti) SetRole(idOrEmail, role string) bool {
	return p.change(idOrEmail, func(u *RoyaltiUser) bool { u.Role = role; return true })
}

// SetName changes a tenant user's names out of band.
func (p *Royalti) SetName(idOrEmail, firstName, lastName string) bool {
	return p.change(idOrEmail, func(u *RoyaltiUser) bool { u.FirstName, u.LastName = firstName, lastName; return true })
}

// SetInviteStatus changes the status of a tenant user's invite out of band
// ("invited", "joined", "cancelled"); a user without an invite gets one.
func (p *Royalti) SetInviteStatus(idOrEmail, status string) bool {
	if !royaltiInviteStatuses[status] {
		return false
	}
	return p.change(idOrEmail, func(u *RoyaltiUser) bool {
		if u.Invite == nil {
			u.Invite = &RoyaltiInvite{ID: newUUID(), Date: time.Now().UTC(), SendEmail: true}
		}
		u.Invite.Status = status
		return true
	})
}

// SetInviteDate changes when a tenant user's invite was sent (its
// meta.date), out of band.
func (p *Royalti) SetInviteDate(idOrEmail string, t time.Time) bool {
	return p.change(idOrEmail, func(u *RoyaltiUser) bool {
		if u.Invite == nil {
			return false
		}
		u.Invite.Date = t.UTC()
		return true
	})
}

// --- JSON shapes ---

type royaltiInviteMeta struct {
	Message string `json:"message,omitempty"`
	Date    string `json:"date"`
}

type royaltiInviteJSON struct {
	ID     string            `json:"id"`
	Status string            `json:"status"`
	Meta   royaltiInviteMeta `json:"meta"`
}

type royaltiUserRef struct {
	Email string `json:"email"`
}

type royaltiUserJSON struct {
	ID          string             `json:"id"`
	TenantID    string             `json:"TenantId"`
	FullName    string             `json:"fullName"`
	Email       string             `json:"email"`
	FirstName   *string            `json:"firstName"`
	LastName    *string            `json:"lastName"`
	Role        string             `json:"role"`
	CreatedAt   string             `json:"createdAt"`
	UpdatedAt   string             `json:"updatedAt"`
	User        royaltiUserRef     `json:"User"`
	Invite      *royaltiInviteJSON `json:"invite,omitempty"`
	ProfileType string             `json:"profileType"`
}

func optStr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

const royaltiTime = "2006-01-02T15:04:05.000Z07:00"

func (u *RoyaltiUser) json(withInvite bool) royaltiUserJSON {
	out := royaltiUserJSON{
		ID: u.ID, TenantID: RoyaltiWorkspaceID, FullName: strings.TrimSpace(u.FirstName + " " + u.LastName), Email: u.Email,
		FirstName: optStr(u.FirstName), LastName: optStr(u.LastName), Role: u.Role,
		CreatedAt: u.Created.Format(royaltiTime), UpdatedAt: u.Updated.Format(royaltiTime), User: royaltiUserRef{Email: u.Email}, ProfileType: "user",
	}
	if withInvite && u.Invite != nil {
		out.Invite = &royaltiInviteJSON{ID: u.Invite.ID, Status: u.Invite.Status, Meta: royaltiInviteMeta{Message: u.Invite.Message, Date: u.Invite.Date.Format(royaltiTime)}}
	}
	return out
}

// --- the API ---

// rtCall is one authenticated request, served with p.mu held.
type rtCall struct {
	p     *Royalti
	w     http.ResponseWriter
	r     *http.Request
	route string
}

// fail answers an error: its status and {"message"}, or with
// EnvelopeErrors a 200 carrying the same envelope.
func (c *rtCall) fail(status int, msg string) {
	if c.p.opts.EnvelopeErrors {
		status = http.StatusOK
	}
	writeJSON(c.w, status, map[string]string{"message": msg})
}

func (c *rtCall) ok(status int, v any) { writeJSON(c.w, status, v) }

// query returns the query, recording the parameters the route does not
// document (they are ignored).
func (c *rtCall) query(documented ...string) url.Values {
	q := c.r.URL.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		known := false
		for _, d := range documented {
			known = known || k == d
		}
		if !known {
			c.p.unknown = append(c.p.unknown, c.route+" query "+k)
		}
	}
	return q
}

// fields records the body fields the route does not document.
func (c *rtCall) fields(body map[string]json.RawMessage, documented ...string) {
	keys := make([]string, 0, len(body))
	for k := range body {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		known := false
		for _, d := range documented {
			known = known || k == d
		}
		if !known {
			c.p.unknown = append(c.p.unknown, c.route+" body "+k)
		}
	}
}

type rtHandler func(c *rtCall)

// routes registers the API: every route goes through preamble.
func (p *Royalti) routes() {
	for _, rt := range []struct {
		pattern string
		handler rtHandler
	}{
		{"POST /auth/invite", p.invite},
		{"GET /user/{$}", p.listUsers},
		{"GET /user/invites", p.listInvites},
		{"GET /user/{id}", p.getUser},
		{"PATCH /user/{id}", p.patchUser},
		{"DELETE /user/{id}", p.deleteUser},
		{"POST /user/invites/{inviteId}/resend", p.resend},
	} {
		p.sb.handle(PrefixRoyalti, rt.pattern, p.preamble(rt.pattern, rt.handler))
	}
	p.adminRoutes()
}

// preamble is what every route does first: the bearer token, then the
// handler with the lock held.
func (p *Royalti) preamble(route string, h rtHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		defer p.mu.Unlock()
		c := &rtCall{p: p, w: w, r: r, route: route}
		if bearer(r) != RoyaltiToken {
			// 401 even with EnvelopeErrors: authentication is answered before the API.
			writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Unauthorized: invalid or missing token"})
			return
		}
		h(c)
	}
}

func (p *Royalti) invite(c *rtCall) {
	q := c.query("workspaceId", "userId")
	if ws := q.Get("workspaceId"); ws != "" && ws != RoyaltiWorkspaceID {
		c.fail(http.StatusNotFound, "Workspace not found")
		return
	}
	if !strings.HasPrefix(c.r.Header.Get("Content-Type"), "application/json") {
		c.fail(http.StatusBadRequest, "Content-Type must be application/json")
		return
	}
	var raw map[string]json.RawMessage
	if err := json.NewDecoder(c.r.Body).Decode(&raw); err != nil {
		c.fail(http.StatusBadRequest, "invalid JSON body: "+err.Error())
		return
	}
	if p.opts.LegacyInvite {
		c.fields(raw, "email", "sendEmail", "message", "firstName", "lastName", "redirect_url", "role")
	} else {
		c.fields(raw, "email", "sendEmail", "message", "redirectUrl")
	}
	var body struct {
		Email       *string `json:"email"`
		SendEmail   *bool   `json:"sendEmail"`
		Message     *string `json:"message"`
		FirstName   *string `json:"firstName"`
		LastName    *string `json:"lastName"`
		RedirectURL *string `json:"redirect_url"`
		RedirectURI *string `json:"redirectUrl"`
		Role        *string `json:"role"`
	}
	b, _ := json.Marshal(raw)
	if err := json.Unmarshal(b, &body); err != nil {
		c.fail(http.StatusBadRequest, err.Error())
		return
	}
	if body.Email == nil || strings.TrimSpace(*body.Email) == "" {
		c.fail(http.StatusBadRequest, "missing fields: email is required")
		return
	}
	email := strings.TrimSpace(*body.Email)
	if !validEmail(email) {
		c.fail(http.StatusBadRequest, fmt.Sprintf("%q is not a valid email address", email))
		return
	}
	deref := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	role, first, last, redirect := "user", "", "", deref(body.RedirectURI)
	if p.opts.LegacyInvite {
		if body.Role != nil {
			role = *body.Role
			if !royaltiAssignableRoles[role] {
				c.fail(http.StatusBadRequest, fmt.Sprintf("Invalid role %q: role must be one of user, admin", role))
				return
			}
		}
		first, last, redirect = deref(body.FirstName), deref(body.LastName), deref(body.RedirectURL)
	}
	if redirect != "" {
		if u, err := url.Parse(redirect); err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			c.fail(http.StatusBadRequest, "redirect url must be an absolute URL")
			return
		}
	}
	send := body.SendEmail == nil || *body.SendEmail
	now := p.nowLocked()
	inv := &RoyaltiInvite{ID: newUUID(), Status: "invited", Date: now, Message: deref(body.Message), RedirectURL: redirect, SendEmail: send}
	if u := p.find(email); u != nil {
		if u.Invite == nil || u.Invite.Status != "cancelled" {
			c.fail(http.StatusBadRequest, fmt.Sprintf("User with email %s already exists in this workspace", email))
			return
		}
		// Re-invite after a cancelled invite.
		u.Invite, u.Updated = inv, now
		if p.opts.LegacyInvite {
			u.Role = role
			if body.FirstName != nil {
				u.FirstName = first
			}
			if body.LastName != nil {
				u.LastName = last
			}
		}
	} else {
		p.addLocked(&RoyaltiUser{ID: newUUID(), Email: email, FirstName: first, LastName: last, Role: role, Invite: inv, Created: now})
	}
	msg := "Successful, Email verification Instructions have been sent to your email"
	if !send {
		msg = "Successful, user invited without an email"
	}
	c.ok(http.StatusCreated, map[string]string{"message": msg})
}

// pageParams reads page (default 1) and size (default 10, capped silently
// by MaxPageSize); IgnorePaging answers page 1 whatever is asked.
func (c *rtCall) pageParams(q url.Values) (page, size int, ok bool) {
	page, size = 1, 10
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			c.fail(http.StatusBadRequest, "page must be a positive integer")
			return 0, 0, false
		}
		page = n
	}
	if v := q.Get("size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			c.fail(http.StatusBadRequest, "size must be a positive integer")
			return 0, 0, false
		}
		size = n
	}
	if m := c.p.opts.MaxPageSize; m > 0 && size > m {
		size = m
	}
	if c.p.opts.IgnorePaging {
		page = 1
	}
	return page, size, true
}

func pageOf[T any](items []T, page, size int) []T {
	start := (page - 1) * size
	if start >= len(items) {
		return []T{}
	}
	end := start + size
	if end > len(items) {
		end = len(items)
	}
	return items[start:end]
}

func (p *Royalti) skewed(total int) int {
	return max(total+p.opts.TotalSkew, 0)
}

func (p *Royalti) listUsers(c *rtCall) {
	q := c.query("q", "page", "size", "accounting", "attributes", "sort", "order", "externalId", "role")
	page, size, ok := c.pageParams(q)
	if !ok {
		return
	}
	roles := map[string]bool{}
	if v := q.Get("role"); v != "" {
		for _, r := range strings.Split(v, ",") {
			r = strings.TrimSpace(r)
			if !royaltiRoles[r] {
				c.fail(http.StatusBadRequest, fmt.Sprintf("Invalid role %q", r))
				return
			}
			roles[r] = true
		}
	}
	sortBy, order := q.Get("sort"), strings.ToLower(q.Get("order"))
	switch sortBy {
	case "", "createdAt", "updatedAt", "name", "split":
	default:
		c.fail(http.StatusBadRequest, fmt.Sprintf("Invalid sort field %q: one of createdAt, updatedAt, name, split", sortBy))
		return
	}
	switch order {
	case "", "asc", "desc":
	default:
		c.fail(http.StatusBadRequest, fmt.Sprintf("Invalid order %q: asc or desc", order))
		return
	}
	if order == "" {
		order = "desc"
	}
	qs := strings.ToLower(q.Get("q"))
	var matched []*RoyaltiUser
	for _, u := range p.sorted() {
		if len(roles) > 0 && !roles[u.Role] {
			continue
		}
		if ext := q.Get("externalId"); ext != "" {
			continue // no sandbox user has an external id
		}
		if qs != "" && !strings.Contains(strings.ToLower(u.Email), qs) &&
			!strings.Contains(strings.ToLower(u.FirstName+" "+u.LastName), qs) {
			continue
		}
		matched = append(matched, u)
	}
	less := func(a, b *RoyaltiUser) bool { return a.seq < b.seq } // createdAt, and split (no splits here)
	switch sortBy {
	case "updatedAt":
		less = func(a, b *RoyaltiUser) bool {
			if !a.Updated.Equal(b.Updated) {
				return a.Updated.Before(b.Updated)
			}
			return a.seq < b.seq
		}
	case "name":
		less = func(a, b *RoyaltiUser) bool {
			an, bn := strings.ToLower(a.FirstName+" "+a.LastName), strings.ToLower(b.FirstName+" "+b.LastName)
			if an != bn {
				return an < bn
			}
			return a.seq < b.seq
		}
	}
	sort.SliceStable(matched, func(i, j int) bool {
		if order == "desc" {
			return less(matched[j], matched[i])
		}
		return less(matched[i], matched[j])
	})
	rows := make([]royaltiUserJSON, 0, size)
	for _, u := range pageOf(matched, page, size) {
		rows = append(rows, u.json(false))
	}
	c.ok(http.StatusOK, map[string]any{"message": "success", "Users": rows, "count": len(rows), "totalUsers": p.skewed(len(matched))})
}

func (p *Royalti) listInvites(c *rtCall) {
	q := c.query("status", "page", "size")
	page, size, ok := c.pageParams(q)
	if !ok {
		return
	}
	status := q.Get("status")
	if status != "" && !royaltiInviteStatuses[status] {
		c.fail(http.StatusBadRequest, fmt.Sprintf("Invalid status %q: status must be one of invited, joined, cancelled", status))
		return
	}
	type tenantUser struct {
		ID        string         `json:"id"`
		FirstName *string        `json:"firstName"`
		LastName  *string        `json:"lastName"`
		Role      string         `json:"role"`
		User      royaltiUserRef `json:"User"`
	}
	type invite struct {
		ID           string            `json:"id"`
		TenantUserID string            `json:"TenantUserId"`
		TenantID     string            `json:"TenantId"`
		Status       string            `json:"status"`
		Meta         royaltiInviteMeta `json:"meta"`
		JoinedAt     *string           `json:"JoinedAt"`
		CreatedAt    string            `json:"createdAt"`
		UpdatedAt    string            `json:"updatedAt"`
		TenantUser   tenantUser        `json:"TenantUser"`
	}
	var all, matched []invite
	for _, u := range p.sorted() {
		if u.Invite == nil {
			continue
		}
		date := u.Invite.Date.Format(royaltiTime)
		inv := invite{ID: u.Invite.ID, TenantUserID: u.ID, TenantID: RoyaltiWorkspaceID, Status: u.Invite.Status,
			Meta: royaltiInviteMeta{Message: u.Invite.Message, Date: date}, CreatedAt: date, UpdatedAt: date,
			TenantUser: tenantUser{ID: u.ID, FirstName: optStr(u.FirstName), LastName: optStr(u.LastName), Role: u.Role, User: royaltiUserRef{Email: u.Email}}}
		if u.Invite.Status == "joined" {
			inv.JoinedAt = &date
		}
		all = append(all, inv)
		if status == "" || u.Invite.Status == status {
			matched = append(matched, inv)
		}
	}
	if q.Get("size") == "" { // page is only used with size
		page, size = 1, max(len(matched), 1)
	}
	totalPages := (len(matched) + size - 1) / size
	out := pageOf(matched, page, size)
	if out == nil {
		out = []invite{}
	}
	c.ok(http.StatusOK, map[string]any{"invites": out, "totalItems": p.skewed(len(all)), "filteredItems": p.skewed(len(matched)), "totalPages": totalPages, "currentPage": page})
}

func (p *Royalti) getUser(c *rtCall) {
	c.query("accounting", "attributes")
	u := p.users[c.r.PathValue("id")]
	if u == nil {
		c.fail(http.StatusNotFound, "User not found")
		return
	}
	c.ok(http.StatusOK, u.json(true))
}

func (p *Royalti) patchUser(c *rtCall) {
	mt, _, err := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		c.fail(http.StatusBadRequest, "Content-Type must be multipart/form-data")
		return
	}
	if err := c.r.ParseMultipartForm(1 << 20); err != nil {
		c.fail(http.StatusBadRequest, "invalid multipart form: "+err.Error())
		return
	}
	if len(c.r.MultipartForm.File) > 0 {
		c.fail(http.StatusBadRequest, "unexpected file upload")
		return
	}
	form := c.r.MultipartForm.Value
	raw := map[string]json.RawMessage{}
	for k := range form {
		raw[k] = nil
	}
	c.fields(raw, "firstName", "lastName", "role")
	u := p.users[c.r.PathValue("id")]
	if u == nil {
		c.fail(http.StatusNotFound, "User not found")
		return
	}
	if v, ok := form["role"]; ok {
		role := v[0]
		if !royaltiAssignableRoles[role] {
			c.fail(http.StatusBadRequest, fmt.Sprintf("Invalid role %q: role must be one of user, admin", role))
			return
		}
		if u.Role == "owner" {
			c.fail(http.StatusBadRequest, "The workspace owner's role cannot be changed")
			return
		}
		u.Role = role
	}
	if v, ok := form["firstName"]; ok {
		u.FirstName = v[0]
	}
	if v, ok := form["lastName"]; ok {
		u.LastName = v[0]
	}
	u.Updated = p.nowLocked()
	// The API reference documents the answer as an object, with no user.
	c.ok(http.StatusOK, map[string]any{"message": "User updated successfully"})
}

func (p *Royalti) deleteUser(c *rtCall) {
	u := p.users[c.r.PathValue("id")]
	if u == nil {
		c.fail(http.StatusNotFound, "User not found")
		return
	}
	if u.Role == "owner" {
		c.fail(http.StatusBadRequest, "The workspace owner cannot be deleted")
		return
	}
	delete(p.users, u.ID)
	c.ok(http.StatusOK, map[string]string{"message": "User deleted successfully"})
}

// resend is POST /user/invites/{inviteId}/resend (user/post-user-invites-id-resend):
// a fresh activation email for an invite still "invited"; the optional
// message replaces the invite's message and redirectUrl overrides the
// activation redirect. The sandbox refuses an invite in another state with
// 400 (the page documents no error answer) and counts the re-sends.
func (p *Royalti) resend(c *rtCall) {
	var body struct {
		Message     *string `json:"message"`
		RedirectURL *string `json:"redirectUrl"`
	}
	if c.r.ContentLength != 0 {
		if err := decodeStrict(c.r, &body); err != nil {
			c.fail(http.StatusBadRequest, err.Error())
			return
		}
	}
	id := c.r.PathValue("inviteId")
	for _, u := range p.users {
		if u.Invite == nil || u.Invite.ID != id {
			continue
		}
		if u.Invite.Status != "invited" {
			c.fail(http.StatusBadRequest, fmt.Sprintf("Invite is %s and cannot be resent", u.Invite.Status))
			return
		}
		u.Invite.Resent++
		u.Invite.Date = p.nowLocked()
		if body.RedirectURL != nil {
			u.Invite.RedirectURL = *body.RedirectURL
		}
		if body.Message != nil {
			u.Invite.Message = *body.Message
		}
		c.ok(http.StatusOK, map[string]string{"message": "Invite resent successfully"})
		return
	}
	c.fail(http.StatusNotFound, "Invite not found")
}

// adminRoutes: out-of-band changes for the demo, by tenant user id or email.
//
//	GET    /_admin/royalti/users
//	POST   /_admin/royalti/users                     {"email","role","firstName","lastName","status"}
//	POST   /_admin/royalti/users/{user}/role          {"role":"admin"}
//	POST   /_admin/royalti/users/{user}/name          {"firstName","lastName"}
//	POST   /_admin/royalti/users/{user}/invite-status {"status":"joined"|"cancelled"|"invited"}
//	DELETE /_admin/royalti/users/{user}
//	PUT    /_admin/royalti/options                   RoyaltiOptions as JSON ({"LegacyInvite":true})
func (p *Royalti) adminRoutes() {
	type adminUser struct {
		ID           string `json:"id"`
		Email        string `json:"email"`
		FirstName    string `json:"firstName"`
		LastName     string `json:"lastName"`
		Role         string `json:"role"`
		InviteStatus string `json:"inviteStatus,omitempty"`
	}
	decode := func(w http.ResponseWriter, r *http.Request, v any) bool {
		if err := json.NewDecoder(r.Body).Decode(v); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return false
		}
		return true
	}
	result := func(w http.ResponseWriter, ok bool) {
		if !ok {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such tenant user (or invalid value)"})
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
	p.sb.adminHandle("GET /royalti/users", func(w http.ResponseWriter, r *http.Request) {
		out := []adminUser{}
		for _, u := range p.Users() {
			a := adminUser{ID: u.ID, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName, Role: u.Role}
			if u.Invite != nil {
				a.InviteStatus = u.Invite.Status
			}
			out = append(out, a)
		}
		writeJSON(w, http.StatusOK, out)
	})
	p.sb.adminHandle("POST /royalti/users", func(w http.ResponseWriter, r *http.Request) {
		var b struct{ Email, Role, FirstName, LastName, Status string }
		if !decode(w, r, &b) {
			return
		}
		if b.Role == "" {
			b.Role = "user"
		}
		writeJSON(w, http.StatusCreated, map[string]string{"id": p.AddUser(b.Email, b.Role, b.FirstName, b.LastName, b.Status)})
	})
	p.sb.adminHandle("POST /royalti/users/{user}/role", func(w http.ResponseWriter, r *http.Request) {
		var b struct{ Role string }
		if decode(w, r, &b) {
			result(w, p.SetRole(r.PathValue("user"), b.Role))
		}
	})
	p.sb.adminHandle("POST /royalti/users/{user}/name", func(w http.ResponseWriter, r *http.Request) {
		var b struct{ FirstName, LastName string }
		if decode(w, r, &b) {
			result(w, p.SetName(r.PathValue("user"), b.FirstName, b.LastName))
		}
	})
	p.sb.adminHandle("POST /royalti/users/{user}/invite-status", func(w http.ResponseWriter, r *http.Request) {
		var b struct{ Status string }
		if decode(w, r, &b) {
			result(w, p.SetInviteStatus(r.PathValue("user"), b.Status))
		}
	})
	p.sb.adminHandle("PUT /royalti/options", func(w http.ResponseWriter, r *http.Request) {
		var o RoyaltiOptions
		if decode(w, r, &o) {
			p.SetOptions(o)
			w.WriteHeader(http.StatusNoContent)
		}
	})
	p.sb.adminHandle("DELETE /royalti/users/{user}", func(w http.ResponseWriter, r *http.Request) {
		result(w, p.DeleteUser(r.PathValue("user")))
	})
}
