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

// Royalti emulates the Royalti API under PrefixRoyalti. One workspace
// (RoyaltiWorkspaceID), reached with RoyaltiToken.
//
// Documented choices where the contract is silent: inviting an email that
// already has a tenant user whose invite is "invited" or "joined" answers
// 400 "User already exists in this workspace"; an email whose invite was
// "cancelled" is re-invited (new invite, status "invited"). GET /user/
// lists every tenant user, cancelled ones included, without the invite;
// GET /user/{id} and GET /user/invites carry the invite.
type Royalti struct {
	sb    *Sandbox
	mu    sync.Mutex
	users map[string]*RoyaltiUser
	seq   int
}

func newRoyalti(sb *Sandbox) *Royalti {
	p := &Royalti{sb: sb}
	p.reset()
	p.routes()
	return p
}

// reset restores the seed data.
func (p *Royalti) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.users = map[string]*RoyaltiUser{}
	p.seq = 0
	t0 := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	p.addLocked(&RoyaltiUser{ID: RoyaltiOwnerID, Email: RoyaltiOwnerEmail, FirstName: "Olu", LastName: "Owner", Role: "owner", Created: t0})
	p.addLocked(&RoyaltiUser{ID: RoyaltiMemberID, Email: RoyaltiMemberEmail, FirstName: "Mina", LastName: "Member", Role: "user", Created: t0.Add(time.Hour),
		Invite: &RoyaltiInvite{ID: "1f000000-0000-4000-8000-000000000002", Status: "joined", Date: t0.Add(time.Hour), SendEmail: true}})
}

func (p *Royalti) addLocked(u *RoyaltiUser) {
	p.seq++
	u.seq = p.seq
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
	u := &RoyaltiUser{ID: newUUID(), Email: email, FirstName: firstName, LastName: lastName, Role: role, Created: time.Now().UTC()}
	if status != "" {
		u.Invite = &RoyaltiInvite{ID: newUUID(), Status: status, Date: u.Created, SendEmail: true}
	}
	p.addLocked(u)
	return u.ID
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

// SetRole changes a tenant user's role out of band.
func (p *Royalti) SetRole(idOrEmail, role string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	u := p.find(idOrEmail)
	if u == nil {
		return false
	}
	u.Role = role
	return true
}

// SetName changes a tenant user's names out of band.
func (p *Royalti) SetName(idOrEmail, firstName, lastName string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	u := p.find(idOrEmail)
	if u == nil {
		return false
	}
	u.FirstName, u.LastName = firstName, lastName
	return true
}

// SetInviteStatus changes the status of a tenant user's invite out of band
// ("invited", "joined", "cancelled"); a user without an invite gets one.
func (p *Royalti) SetInviteStatus(idOrEmail, status string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	u := p.find(idOrEmail)
	if u == nil || !royaltiInviteStatuses[status] {
		return false
	}
	if u.Invite == nil {
		u.Invite = &RoyaltiInvite{ID: newUUID(), Date: time.Now().UTC(), SendEmail: true}
	}
	u.Invite.Status = status
	return true
}

// --- JSON shapes ---

type royaltiInviteJSON struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Date   string `json:"date"`
}

type royaltiUserJSON struct {
	ID          string             `json:"id"`
	TenantID    string             `json:"TenantId"`
	Email       string             `json:"email"`
	FirstName   *string            `json:"firstName"`
	LastName    *string            `json:"lastName"`
	Role        string             `json:"role"`
	CreatedAt   string             `json:"createdAt"`
	Invite      *royaltiInviteJSON `json:"invite,omitempty"`
	ProfileType string             `json:"profileType"`
}

func optStr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (u *RoyaltiUser) json(withInvite bool) royaltiUserJSON {
	out := royaltiUserJSON{
		ID: u.ID, TenantID: RoyaltiWorkspaceID, Email: u.Email, FirstName: optStr(u.FirstName), LastName: optStr(u.LastName),
		Role: u.Role, CreatedAt: u.Created.Format(time.RFC3339), ProfileType: "user",
	}
	if withInvite && u.Invite != nil {
		out.Invite = &royaltiInviteJSON{ID: u.Invite.ID, Status: u.Invite.Status, Date: u.Invite.Date.Format(time.RFC3339Nano)}
	}
	return out
}

func royaltiError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"message": msg})
}

// --- routes ---

func (p *Royalti) routes() {
	h := func(pattern string, fn http.HandlerFunc) {
		p.sb.handle(PrefixRoyalti, pattern, func(w http.ResponseWriter, r *http.Request) {
			if bearer(r) != RoyaltiToken {
				royaltiError(w, http.StatusUnauthorized, "Unauthorized: invalid or missing token")
				return
			}
			fn(w, r)
		})
	}
	h("POST /auth/invite", p.invite)
	h("GET /user/{$}", p.listUsers)
	h("GET /user/invites", p.listInvites)
	h("GET /user/{id}", p.getUser)
	h("PATCH /user/{id}", p.patchUser)
	h("DELETE /user/{id}", p.deleteUser)
	h("POST /user/invites/{inviteId}/resend", p.resend)
	p.adminRoutes()
}

// checkQuery rejects query parameters the contract does not list.
func checkQuery(w http.ResponseWriter, r *http.Request, allowed ...string) bool {
	for k := range r.URL.Query() {
		ok := false
		for _, a := range allowed {
			if k == a {
				ok = true
			}
		}
		if !ok {
			royaltiError(w, http.StatusBadRequest, fmt.Sprintf("unknown query parameter %q", k))
			return false
		}
	}
	return true
}

func (p *Royalti) invite(w http.ResponseWriter, r *http.Request) {
	if !checkQuery(w, r, "workspaceId", "userId") {
		return
	}
	if ws := r.URL.Query().Get("workspaceId"); ws != "" && ws != RoyaltiWorkspaceID {
		royaltiError(w, http.StatusNotFound, "Workspace not found")
		return
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		royaltiError(w, http.StatusBadRequest, "Content-Type must be application/json")
		return
	}
	var body struct {
		Email       *string `json:"email"`
		SendEmail   *bool   `json:"sendEmail"`
		Message     *string `json:"message"`
		FirstName   *string `json:"firstName"`
		LastName    *string `json:"lastName"`
		RedirectURL *string `json:"redirect_url"`
		Role        *string `json:"role"`
	}
	if err := decodeStrict(r, &body); err != nil {
		royaltiError(w, http.StatusBadRequest, err.Error())
		return
	}
	if body.Email == nil || strings.TrimSpace(*body.Email) == "" {
		royaltiError(w, http.StatusBadRequest, "missing fields: email is required")
		return
	}
	email := strings.TrimSpace(*body.Email)
	if !validEmail(email) {
		royaltiError(w, http.StatusBadRequest, fmt.Sprintf("%q is not a valid email address", email))
		return
	}
	role := "user"
	if body.Role != nil {
		role = *body.Role
		if !royaltiAssignableRoles[role] {
			royaltiError(w, http.StatusBadRequest, fmt.Sprintf("Invalid role %q: role must be one of user, admin", role))
			return
		}
	}
	if body.RedirectURL != nil && *body.RedirectURL != "" {
		if u, err := url.Parse(*body.RedirectURL); err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			royaltiError(w, http.StatusBadRequest, "redirect_url must be an absolute URL")
			return
		}
	}
	deref := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	send := body.SendEmail == nil || *body.SendEmail
	now := time.Now().UTC()
	inv := &RoyaltiInvite{ID: newUUID(), Status: "invited", Date: now, Message: deref(body.Message), RedirectURL: deref(body.RedirectURL), SendEmail: send}

	p.mu.Lock()
	if u := p.find(email); u != nil {
		if u.Invite == nil || u.Invite.Status != "cancelled" {
			p.mu.Unlock()
			royaltiError(w, http.StatusBadRequest, fmt.Sprintf("User with email %s already exists in this workspace", email))
			return
		}
		// Re-invite after a cancelled invite.
		u.Invite = inv
		u.Role = role
		if body.FirstName != nil {
			u.FirstName = *body.FirstName
		}
		if body.LastName != nil {
			u.LastName = *body.LastName
		}
	} else {
		p.addLocked(&RoyaltiUser{ID: newUUID(), Email: email, FirstName: deref(body.FirstName), LastName: deref(body.LastName), Role: role, Invite: inv, Created: now})
	}
	p.mu.Unlock()
	msg := "Successful, Email verification Instructions have been sent to your email"
	if !send {
		msg = "Successful, user invited without an email"
	}
	writeJSON(w, http.StatusCreated, map[string]string{"message": msg})
}

// pageParams reads page (default 1) and size (default 10, at most 100).
func pageParams(w http.ResponseWriter, r *http.Request) (page, size int, ok bool) {
	page, size = 1, 10
	q := r.URL.Query()
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			royaltiError(w, http.StatusBadRequest, "page must be a positive integer")
			return 0, 0, false
		}
		page = n
	}
	if v := q.Get("size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			royaltiError(w, http.StatusBadRequest, "size must be an integer between 1 and 100")
			return 0, 0, false
		}
		size = n
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

func (p *Royalti) listUsers(w http.ResponseWriter, r *http.Request) {
	if !checkQuery(w, r, "q", "page", "size", "role") {
		return
	}
	page, size, ok := pageParams(w, r)
	if !ok {
		return
	}
	qs := strings.ToLower(r.URL.Query().Get("q"))
	role := r.URL.Query().Get("role")
	if role != "" && role != "owner" && !royaltiAssignableRoles[role] {
		royaltiError(w, http.StatusBadRequest, fmt.Sprintf("Invalid role %q", role))
		return
	}
	p.mu.Lock()
	all := p.sorted()
	var matched []royaltiUserJSON
	for _, u := range all {
		if role != "" && u.Role != role {
			continue
		}
		if qs != "" && !strings.Contains(strings.ToLower(u.Email), qs) &&
			!strings.Contains(strings.ToLower(u.FirstName+" "+u.LastName), qs) {
			continue
		}
		matched = append(matched, u.json(false))
	}
	total := len(all)
	p.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"Users": pageOf(matched, page, size), "count": len(matched), "totalUsers": total})
}

func (p *Royalti) listInvites(w http.ResponseWriter, r *http.Request) {
	if !checkQuery(w, r, "status", "page", "size") {
		return
	}
	page, size, ok := pageParams(w, r)
	if !ok {
		return
	}
	status := r.URL.Query().Get("status")
	if status != "" && !royaltiInviteStatuses[status] {
		royaltiError(w, http.StatusBadRequest, fmt.Sprintf("Invalid status %q: status must be one of invited, joined, cancelled", status))
		return
	}
	type userRef struct {
		Email string `json:"email"`
	}
	type tenantUser struct {
		ID   string  `json:"id"`
		Role string  `json:"role"`
		User userRef `json:"User"`
	}
	type invite struct {
		ID           string     `json:"id"`
		TenantUserID string     `json:"TenantUserId"`
		Status       string     `json:"status"`
		Date         string     `json:"date"`
		TenantUser   tenantUser `json:"TenantUser"`
	}
	p.mu.Lock()
	var matched []invite
	for _, u := range p.sorted() {
		if u.Invite == nil || (status != "" && u.Invite.Status != status) {
			continue
		}
		matched = append(matched, invite{ID: u.Invite.ID, TenantUserID: u.ID, Status: u.Invite.Status, Date: u.Invite.Date.Format(time.RFC3339Nano),
			TenantUser: tenantUser{ID: u.ID, Role: u.Role, User: userRef{Email: u.Email}}})
	}
	p.mu.Unlock()
	totalPages := (len(matched) + size - 1) / size
	writeJSON(w, http.StatusOK, map[string]any{"invites": pageOf(matched, page, size), "totalItems": len(matched), "totalPages": totalPages, "currentPage": page})
}

func (p *Royalti) getUser(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	u := p.users[r.PathValue("id")]
	var out royaltiUserJSON
	if u != nil {
		out = u.json(true)
	}
	p.mu.Unlock()
	if u == nil {
		royaltiError(w, http.StatusNotFound, "User not found")
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (p *Royalti) patchUser(w http.ResponseWriter, r *http.Request) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		royaltiError(w, http.StatusBadRequest, "Content-Type must be multipart/form-data")
		return
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		royaltiError(w, http.StatusBadRequest, "invalid multipart form: "+err.Error())
		return
	}
	if len(r.MultipartForm.File) > 0 {
		royaltiError(w, http.StatusBadRequest, "unexpected file upload")
		return
	}
	form := r.MultipartForm.Value
	for k := range form {
		if k != "firstName" && k != "lastName" && k != "role" {
			royaltiError(w, http.StatusBadRequest, fmt.Sprintf("unknown field %q", k))
			return
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	u := p.users[r.PathValue("id")]
	if u == nil {
		royaltiError(w, http.StatusNotFound, "User not found")
		return
	}
	if v, ok := form["role"]; ok {
		role := v[0]
		if !royaltiAssignableRoles[role] {
			royaltiError(w, http.StatusBadRequest, fmt.Sprintf("Invalid role %q: role must be one of user, admin", role))
			return
		}
		if u.Role == "owner" {
			royaltiError(w, http.StatusBadRequest, "The workspace owner's role cannot be changed")
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
	writeJSON(w, http.StatusOK, map[string]any{"message": "User updated successfully", "user": u.json(true)})
}

func (p *Royalti) deleteUser(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	u := p.users[r.PathValue("id")]
	if u == nil {
		royaltiError(w, http.StatusNotFound, "User not found")
		return
	}
	if u.Role == "owner" {
		royaltiError(w, http.StatusBadRequest, "The workspace owner cannot be deleted")
		return
	}
	delete(p.users, u.ID)
	writeJSON(w, http.StatusOK, map[string]string{"message": "User deleted successfully"})
}

func (p *Royalti) resend(w http.ResponseWriter, r *http.Request) {
	var body struct {
		RedirectURL *string `json:"redirectUrl"`
	}
	if r.ContentLength != 0 {
		if err := decodeStrict(r, &body); err != nil {
			royaltiError(w, http.StatusBadRequest, err.Error())
			return
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	id := r.PathValue("inviteId")
	for _, u := range p.users {
		if u.Invite == nil || u.Invite.ID != id {
			continue
		}
		if u.Invite.Status != "invited" {
			royaltiError(w, http.StatusBadRequest, fmt.Sprintf("Invite is %s and cannot be resent", u.Invite.Status))
			return
		}
		u.Invite.Resent++
		u.Invite.Date = time.Now().UTC()
		if body.RedirectURL != nil {
			u.Invite.RedirectURL = *body.RedirectURL
		}
		writeJSON(w, http.StatusOK, map[string]string{"message": "Invite resent successfully"})
		return
	}
	royaltiError(w, http.StatusNotFound, "Invite not found")
}

// adminRoutes: out-of-band changes for the demo, by tenant user id or email.
//
//	GET    /_admin/royalti/users
//	POST   /_admin/royalti/users                     {"email","role","firstName","lastName","status"}
//	POST   /_admin/royalti/users/{user}/role          {"role":"admin"}
//	POST   /_admin/royalti/users/{user}/name          {"firstName","lastName"}
//	POST   /_admin/royalti/users/{user}/invite-status {"status":"joined"|"cancelled"|"invited"}
//	DELETE /_admin/royalti/users/{user}
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
	p.sb.adminHandle("DELETE /royalti/users/{user}", func(w http.ResponseWriter, r *http.Request) {
		result(w, p.DeleteUser(r.PathValue("user")))
	})
}
