package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// SmartDocumentor emulates the SmartDocumentor external API under
// PrefixSmartDocumentor, as its public reference describes it
// (docs.smartdocumentor.net: "[POST] Invite Users" and the external API
// pages; summarised with sources in docs/api-notes.md):
//
//   - POST /connect/token (OAuth2 client credentials, scope WebAPI);
//   - GET  /api/v1.0/external/tenant/availableroles;
//   - GET  /api/v1.0/external/tenant/allusers, POST .../tenant/inviteusers;
//   - GET  /api/v1.0/external/sdworkspace/CurrentWorkspaces;
//   - GET  /api/v1.0/external/sdworkspace/allusers/{workspaceId};
//   - POST /api/v1.0/external/sdworkspace/inviteusers.
//
// Every API route needs a bearer token issued by /connect/token (and not
// expired) or the static SmartDocumentorAccessToken.
//
// Choices the public documentation leaves open, made plausible here:
//   - An invite request is all or nothing: any bad entry fails the whole
//     request with problem details 400 whose detail names the offending
//     email, and nothing is invited.
//   - Inviting an email that is already a member of the workspace is a 400
//     (problem details) worded "... already belongs to the workspace.": the
//     wording is not documented, so clients must not depend on it (they
//     decide from the workspace listing).
//   - An unknown workspace is a problem details 404.
//   - New invitees are tenant users with status "Invited" and
//     emailConfirmed false until they accept (ConfirmUser).
type SmartDocumentor struct {
	sb *Sandbox
	mu sync.Mutex

	tokenTTL time.Duration
	// echoTokenForm makes token errors quote the submitted form, client
	// secret included, as some servers do.
	echoTokenForm bool

	roles      []string
	workspaces []SmartDocumentorWorkspace
	users      []*sdUser       // tenant users, in creation order
	members    map[int][]sdMem // workspace ID -> members, in invitation order
	tokens     map[string]time.Time
	nextUserID int
	now        func() time.Time
}

// SmartDocumentorWorkspace is a workspace as CurrentWorkspaces lists it.
type SmartDocumentorWorkspace struct {
	WorkspaceID   int    `json:"workspaceId"`
	TenantID      int    `json:"tenantId"`
	WorkspaceName string `json:"workspaceName"`
	IsDefault     bool   `json:"isDefault"`
}

// SmartDocumentorUser is a user as the allusers routes list them.
type SmartDocumentorUser struct {
	ID             int    `json:"id"`
	RoleName       string `json:"roleName"`
	Name           string `json:"name"`
	UserName       string `json:"userName"`
	Email          string `json:"email"`
	CreatedAt      string `json:"createdAt"`
	EmailConfirmed bool   `json:"emailConfirmed"`
	Status         string `json:"status"`
}

type sdUser struct {
	ID             int
	Name           string
	Email          string
	CreatedAt      time.Time
	EmailConfirmed bool
	Status         string
	TenantRole     string
}

type sdMem struct {
	UserID int
	Role   string
}

type sdInviteUser struct {
	Email    *string `json:"email"`
	RoleName *string `json:"roleName"`
}

type sdWorkspaceInvite struct {
	WorkspaceID *int           `json:"workspaceId"`
	Users       []sdInviteUser `json:"users"`
}

type sdTenantInvite struct {
	Users []sdInviteUser `json:"users"`
}

const sdAPI = "/api/v1.0/external"

func newSmartDocumentor(sb *Sandbox) *SmartDocumentor {
	p := &SmartDocumentor{sb: sb}
	p.reset()
	p.routes()
	return p
}

// reset restores the seed data: five tenant roles, workspaces 1 "Default"
// and 2 "Engineering", and two active users.
func (p *SmartDocumentor) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tokenTTL = time.Hour
	p.echoTokenForm = false
	p.now = time.Now
	p.roles = []string{"Administrator", "Manager", "Creator", "Reviewer", "Viewer"}
	p.workspaces = []SmartDocumentorWorkspace{
		{WorkspaceID: 1, TenantID: 1, WorkspaceName: "Default", IsDefault: true},
		{WorkspaceID: 2, TenantID: 1, WorkspaceName: "Engineering"},
	}
	seedTime := time.Date(2025, 1, 15, 9, 30, 0, 0, time.UTC)
	p.users = []*sdUser{
		{ID: 1, Name: "Olivia Owner", Email: "owner@example.com", CreatedAt: seedTime, EmailConfirmed: true, Status: "Active", TenantRole: "Administrator"},
		{ID: 2, Name: "Martin Manager", Email: "martin.manager@example.com", CreatedAt: seedTime.Add(24 * time.Hour), EmailConfirmed: true, Status: "Active", TenantRole: "Manager"},
	}
	p.members = map[int][]sdMem{
		1: {{UserID: 1, Role: "Administrator"}, {UserID: 2, Role: "Manager"}},
		2: {{UserID: 2, Role: "Creator"}},
	}
	p.tokens = map[string]time.Time{}
	p.nextUserID = 3
}

// routes registers the API behind one preamble (a bearer token issued by
// /connect/token and not expired, or the static access token) and the
// token endpoint and admin routes beside it.
func (p *SmartDocumentor) routes() {
	p.sb.handle(PrefixSmartDocumentor, "POST /connect/token", p.token)
	h := func(pattern string, fn http.HandlerFunc) {
		p.sb.handle(PrefixSmartDocumentor, pattern, func(w http.ResponseWriter, r *http.Request) {
			if !p.validToken(bearer(r)) {
				w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
				sdProblem(w, http.StatusUnauthorized, "A valid bearer token is required.")
				return
			}
			fn(w, r)
		})
	}
	h("GET "+sdAPI+"/tenant/availableroles", p.availableRoles)
	h("GET "+sdAPI+"/tenant/allusers", p.tenantUsers)
	h("POST "+sdAPI+"/tenant/inviteusers", p.tenantInvite)
	h("GET "+sdAPI+"/sdworkspace/CurrentWorkspaces", p.currentWorkspaces)
	h("GET "+sdAPI+"/sdworkspace/allusers/{workspaceId}", p.workspaceUsers)
	h("POST "+sdAPI+"/sdworkspace/inviteusers", p.workspaceInvite)

	p.sb.adminHandle("GET /smartdocumentor/workspaces/{id}/users", p.adminMembers)
	p.sb.adminHandle("POST /smartdocumentor/workspaces/{id}/users", p.adminAddMember)
	p.sb.adminHandle("DELETE /smartdocumentor/workspaces/{id}/users/{email}", p.adminRemoveMember)
	p.sb.adminHandle("PUT /smartdocumentor/workspaces/{id}/users/{email}", p.adminSetRole)
	p.sb.adminHandle("POST /smartdocumentor/users/{email}/confirm", p.adminConfirm)
}

// --- admin routes: out-of-band changes for tests and the demo ---

func (p *SmartDocumentor) adminMembers(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.Atoi(r.PathValue("id"))
	writeJSON(w, http.StatusOK, p.Members(id))
}

// adminAddMember adds a member out of band:
// {"email": "...", "roleName": "Viewer", "pending": true}. A new tenant
// user is active unless pending (status Invited, email not confirmed); an
// existing tenant user keeps their status. 404 for an unknown workspace,
// 400 for an invalid email or a role the tenant does not have, 409 for a
// member already in the workspace.
func (p *SmartDocumentor) adminAddMember(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.Atoi(r.PathValue("id"))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "the workspace id must be a number"})
		return
	}
	var body struct {
		Email    string `json:"email"`
		RoleName string `json:"roleName"`
		Pending  bool   `json:"pending"`
	}
	if err := decodeStrict(r, &body); err != nil || body.Email == "" || body.RoleName == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": `body must be {"email": "...", "roleName": "...", "pending": false}`})
		return
	}
	u, err := p.AddMemberChecked(id, body.Email, body.RoleName, body.Pending)
	var ae *adminError
	switch {
	case errors.As(err, &ae):
		writeJSON(w, ae.status, map[string]string{"error": ae.msg})
	case err != nil:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
	default:
		writeJSON(w, http.StatusCreated, u)
	}
}

func (p *SmartDocumentor) adminRemoveMember(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.Atoi(r.PathValue("id"))
	if !p.RemoveUser(id, r.PathValue("email")) {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such member"})
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (p *SmartDocumentor) adminSetRole(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.Atoi(r.PathValue("id"))
	var body struct {
		RoleName string `json:"roleName"`
	}
	if err := decodeStrict(r, &body); err != nil || body.RoleName == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": `body must be {"roleName": "..."}`})
		return
	}
	if !p.SetRole(id, r.PathValue("email"), body.RoleName) {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such member"})
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (p *SmartDocumentor) adminConfirm(w http.ResponseWriter, r *http.Request) {
	if !p.ConfirmUser(r.PathValue("email")) {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such user"})
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// sdProblem answers with RFC 7807 problem details, as the API does.
func sdProblem(w http.ResponseWriter, status int, detail string) {
	writeJSON(w, status, map[string]any{"title": http.StatusText(status), "status": status, "detail": detail})
}

// --- auth ---

func (p *SmartDocumentor) token(w http.ResponseWriter, r *http.Request) {
	oauthErr := func(code, desc string) {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": code, "error_description": desc})
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		oauthErr("invalid_request", "the token request must be form encoded")
		return
	}
	if err := r.ParseForm(); err != nil {
		oauthErr("invalid_request", "the form body could not be read")
		return
	}
	id, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if u, pw, ok := r.BasicAuth(); ok && id == "" {
		id, secret = u, pw
	}
	switch {
	case r.PostForm.Get("grant_type") != "client_credentials":
		oauthErr("unsupported_grant_type", "only grant_type=client_credentials is supported")
		return
	case id != SmartDocumentorClientID || secret != SmartDocumentorClientSecret:
		desc := ""
		p.mu.Lock()
		if p.echoTokenForm {
			desc = "Unknown client or invalid secret for the request " + r.PostForm.Encode()
		}
		p.mu.Unlock()
		oauthErr("invalid_client", desc)
		return
	case !sdHasScope(r.PostForm.Get("scope"), "WebAPI"):
		oauthErr("invalid_scope", "the scope must include WebAPI")
		return
	}
	b := make([]byte, 16)
	rand.Read(b)
	tok := "sdtok-" + hex.EncodeToString(b)
	p.mu.Lock()
	ttl := p.tokenTTL
	p.tokens[tok] = p.now().Add(ttl)
	p.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": tok, "expires_in": int(ttl / time.Second), "token_type": "Bearer", "scope": "WebAPI",
	})
}

func sdHasScope(scopes, want string) bool {
	for _, s := range strings.Fields(scopes) {
		if s == want {
			return true
		}
	}
	return false
}

// validToken reports whether tok is the static token or an issued one
// that has not expired.
func (p *SmartDocumentor) validToken(tok string) bool {
	if tok == "" {
		return false
	}
	if tok == SmartDocumentorAccessToken {
		return true
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	exp, found := p.tokens[tok]
	return found && p.now().Before(exp)
}

// --- API ---

func (p *SmartDocumentor) availableRoles(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	out := make([]map[string]string, 0, len(p.roles))
	for _, name := range p.roles {
		out = append(out, map[string]string{"name": name})
	}
	p.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

func (p *SmartDocumentor) currentWorkspaces(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	out := append([]SmartDocumentorWorkspace{}, p.workspaces...)
	p.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

func (p *SmartDocumentor) tenantUsers(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	out := make([]SmartDocumentorUser, 0, len(p.users))
	for _, u := range p.users {
		out = append(out, u.view(u.TenantRole))
	}
	p.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

func (p *SmartDocumentor) workspaceUsers(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.Atoi(r.PathValue("workspaceId"))
	if err != nil {
		sdProblem(w, http.StatusBadRequest, fmt.Sprintf("The value '%s' is not a valid workspace ID.", r.PathValue("workspaceId")))
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.hasWorkspaceLocked(id) {
		sdProblem(w, http.StatusNotFound, fmt.Sprintf("Workspace %d was not found.", id))
		return
	}
	writeJSON(w, http.StatusOK, p.membersLocked(id))
}

func (p *SmartDocumentor) workspaceInvite(w http.ResponseWriter, r *http.Request) {
	var req sdWorkspaceInvite
	if err := decodeStrict(r, &req); err != nil {
		sdProblem(w, http.StatusBadRequest, err.Error())
		return
	}
	if req.WorkspaceID == nil {
		sdProblem(w, http.StatusBadRequest, "The workspaceId field is required.")
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	ws := *req.WorkspaceID
	if !p.hasWorkspaceLocked(ws) {
		sdProblem(w, http.StatusNotFound, fmt.Sprintf("Workspace %d was not found.", ws))
		return
	}
	users, detail := p.checkUsersLocked(req.Users)
	if detail != "" {
		sdProblem(w, http.StatusBadRequest, detail)
		return
	}
	for _, u := range users {
		if p.memberIndexLocked(ws, u.email) >= 0 {
			sdProblem(w, http.StatusBadRequest, fmt.Sprintf("The user '%s' already belongs to the workspace.", u.email))
			return
		}
	}
	for _, u := range users {
		usr := p.userLocked(u.email)
		if usr == nil {
			usr = p.addUserLocked(u.email, u.role)
		}
		p.members[ws] = append(p.members[ws], sdMem{UserID: usr.ID, Role: u.role})
	}
	w.WriteHeader(http.StatusOK)
}

func (p *SmartDocumentor) tenantInvite(w http.ResponseWriter, r *http.Request) {
	var req sdTenantInvite
	if err := decodeStrict(r, &req); err != nil {
		sdProblem(w, http.StatusBadRequest, err.Error())
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	users, detail := p.checkUsersLocked(req.Users)
	if detail != "" {
		sdProblem(w, http.StatusBadRequest, detail)
		return
	}
	for _, u := range users {
		if p.userLocked(u.email) != nil {
			sdProblem(w, http.StatusBadRequest, fmt.Sprintf("The user '%s' already belongs to the tenant.", u.email))
			return
		}
	}
	for _, u := range users {
		p.addUserLocked(u.email, u.role)
	}
	w.WriteHeader(http.StatusOK)
}

type sdChecked struct{ email, role string }

// checkUsersLocked validates users[] as a whole: not empty, every email
// valid, every role a tenant role, no email twice. The detail names the
// offending entry.
func (p *SmartDocumentor) checkUsersLocked(users []sdInviteUser) ([]sdChecked, string) {
	if len(users) == 0 {
		return nil, "The users field must contain at least one user."
	}
	seen := map[string]bool{}
	out := make([]sdChecked, 0, len(users))
	for i, u := range users {
		if u.Email == nil || *u.Email == "" {
			return nil, fmt.Sprintf("users[%d].email is required.", i)
		}
		email := *u.Email
		if !validEmail(email) {
			return nil, fmt.Sprintf("The email address '%s' is not valid.", email)
		}
		if u.RoleName == nil || *u.RoleName == "" {
			return nil, fmt.Sprintf("users[%d].roleName is required for '%s'.", i, email)
		}
		if !p.hasRoleLocked(*u.RoleName) {
			return nil, fmt.Sprintf("The role '%s' given for '%s' does not exist. Available roles: %s.", *u.RoleName, email, strings.Join(p.roles, ", "))
		}
		key := strings.ToLower(email)
		if seen[key] {
			return nil, fmt.Sprintf("Duplicate email address '%s' in the request: each user can be invited only once.", email)
		}
		seen[key] = true
		out = append(out, sdChecked{email: email, role: *u.RoleName})
	}
	return out, ""
}

// --- state helpers (p.mu held) ---

func (u *sdUser) view(role string) SmartDocumentorUser {
	return SmartDocumentorUser{
		ID: u.ID, RoleName: role, Name: u.Name, UserName: u.Email, Email: u.Email,
		CreatedAt: u.CreatedAt.UTC().Format(time.RFC3339), EmailConfirmed: u.EmailConfirmed, Status: u.Status,
	}
}

func (p *SmartDocumentor) hasWorkspaceLocked(id int) bool {
	for _, ws := range p.workspaces {
		if ws.WorkspaceID == id {
			return true
		}
	}
	return false
}

func (p *SmartDocumentor) hasRoleLocked(role string) bool {
	for _, r := range p.roles {
		if r == role {
			return true
		}
	}
	return false
}

func (p *SmartDocumentor) userLocked(email string) *sdUser {
	for _, u := range p.users {
		if strings.EqualFold(u.Email, email) {
			return u
		}
	}
	return nil
}

func (p *SmartDocumentor) userByIDLocked(id int) *sdUser {
	for _, u := range p.users {
		if u.ID == id {
			return u
		}
	}
	return nil
}

func (p *SmartDocumentor) addUserLocked(email, role string) *sdUser {
	u := &sdUser{ID: p.nextUserID, Email: email, CreatedAt: p.now().UTC().Truncate(time.Second), Status: "Invited", TenantRole: role}
	p.nextUserID++
	p.users = append(p.users, u)
	return u
}

func (p *SmartDocumentor) memberIndexLocked(ws int, email string) int {
	u := p.userLocked(email)
	if u == nil {
		return -1
	}
	for i, m := range p.members[ws] {
		if m.UserID == u.ID {
			return i
		}
	}
	return -1
}

func (p *SmartDocumentor) membersLocked(ws int) []SmartDocumentorUser {
	out := make([]SmartDocumentorUser, 0, len(p.members[ws]))
	for _, m := range p.members[ws] {
		if u := p.userByIDLocked(m.UserID); u != nil {
			out = append(out, u.view(m.Role))
		}
	}
	return out
}

// --- Go access for tests and the demo ---

// Members returns the members of a workspace as allusers lists them.
func (p *SmartDocumentor) Members(workspaceID int) []SmartDocumentorUser {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.membersLocked(workspaceID)
}

// Member returns a workspace member by email (any case).
func (p *SmartDocumentor) Member(workspaceID int, email string) (SmartDocumentorUser, bool) {
	for _, m := range p.Members(workspaceID) {
		if strings.EqualFold(m.Email, email) {
			return m, true
		}
	}
	return SmartDocumentorUser{}, false
}

// AddMember makes email a member of the workspace with role, out of band
// (creating an active tenant user when needed).
func (p *SmartDocumentor) AddMember(workspaceID int, email, role string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.memberIndexLocked(workspaceID, email) >= 0 {
		return
	}
	u := p.userLocked(email)
	if u == nil {
		u = p.addUserLocked(email, role)
		u.Status, u.EmailConfirmed = "Active", true
	}
	p.members[workspaceID] = append(p.members[workspaceID], sdMem{UserID: u.ID, Role: role})
}

// AddMemberChecked adds email to the workspace with role, out of band, as
// the admin route does: the workspace must exist, the email be valid, the
// role be one of the tenant's, and the email not be a member yet. A new
// tenant user is active, or pending (status Invited, email not confirmed)
// when pending is true; an existing tenant user keeps their status. It
// returns the member as the workspace listing shows them.
func (p *SmartDocumentor) AddMemberChecked(workspaceID int, email, role string, pending bool) (SmartDocumentorUser, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case !p.hasWorkspaceLocked(workspaceID):
		return SmartDocumentorUser{}, &adminError{http.StatusNotFound, fmt.Sprintf("no workspace %d", workspaceID)}
	case !validEmail(email):
		return SmartDocumentorUser{}, &adminError{http.StatusBadRequest, fmt.Sprintf("%q is not a valid email address", email)}
	case !p.hasRoleLocked(role):
		return SmartDocumentorUser{}, &adminError{http.StatusBadRequest, fmt.Sprintf("the tenant has no role %q; its roles: %s", role, strings.Join(p.roles, ", "))}
	case p.memberIndexLocked(workspaceID, email) >= 0:
		return SmartDocumentorUser{}, &adminError{http.StatusConflict, fmt.Sprintf("%s is already a member of workspace %d", email, workspaceID)}
	}
	u := p.userLocked(email)
	if u == nil {
		u = p.addUserLocked(email, role)
		if !pending {
			u.Status, u.EmailConfirmed = "Active", true
			u.Name = strings.Split(email, "@")[0]
		}
	}
	p.members[workspaceID] = append(p.members[workspaceID], sdMem{UserID: u.ID, Role: role})
	return u.view(role), nil
}

// RemoveUser removes email from the workspace, out of band.
func (p *SmartDocumentor) RemoveUser(workspaceID int, email string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	i := p.memberIndexLocked(workspaceID, email)
	if i < 0 {
		return false
	}
	p.members[workspaceID] = append(p.members[workspaceID][:i:i], p.members[workspaceID][i+1:]...)
	return true
}

// SetRole changes a member's role in the workspace, out of band.
func (p *SmartDocumentor) SetRole(workspaceID int, email, role string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	i := p.memberIndexLocked(workspaceID, email)
	if i < 0 {
		return false
	}
	p.members[workspaceID][i].Role = role
	return true
}

// ConfirmUser marks an invited user as having accepted: status Active and
// emailConfirmed true.
func (p *SmartDocumentor) ConfirmUser(email string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	u := p.userLocked(email)
	if u == nil {
		return false
	}
	u.Status, u.EmailConfirmed = "Active", true
	if u.Name == "" {
		u.Name = strings.Split(u.Email, "@")[0]
	}
	return true
}

// SetCreatedAt changes when a tenant user was created (createdAt), out of
// band.
func (p *SmartDocumentor) SetCreatedAt(email string, t time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	u := p.userLocked(email)
	if u == nil {
		return false
	}
	u.CreatedAt = t.UTC()
	return true
}

// SetRoles replaces the tenant's roles (roles are tenant data).
func (p *SmartDocumentor) SetRoles(roles ...string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.roles = append([]string{}, roles...)
}

// AddWorkspace adds a workspace to the tenant.
func (p *SmartDocumentor) AddWorkspace(id int, name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.hasWorkspaceLocked(id) {
		p.workspaces = append(p.workspaces, SmartDocumentorWorkspace{WorkspaceID: id, TenantID: 1, WorkspaceName: name})
		sort.Slice(p.workspaces, func(i, j int) bool { return p.workspaces[i].WorkspaceID < p.workspaces[j].WorkspaceID })
	}
}

// ExpireTokens makes every issued token invalid (the static one stays).
func (p *SmartDocumentor) ExpireTokens() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tokens = map[string]time.Time{}
}

// SetTokenTTL sets the lifetime (expires_in) of tokens issued from now on;
// 3600s by default. Tests shorten it to prove tokens are renewed.
func (p *SmartDocumentor) SetTokenTTL(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tokenTTL = d
}

// EchoTokenForm makes the token endpoint's errors quote the submitted form
// (client secret included) in error_description, as some OAuth2 servers
// do: a client must never show such an answer as it is.
func (p *SmartDocumentor) EchoTokenForm(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.echoTokenForm = on
}

// SeedMembers adds n members to a workspace out of band, for onboarding
// tests: roles cycle through the tenant's roles, emails have mixed case
// ("Member007@Example.com", "member008@EXAMPLE.com", ...), and every fifth
// is pending (status Invited, email not confirmed). It returns the emails
// as the listing reports them.
func (p *SmartDocumentor) SeedMembers(workspaceID, n int) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]string, 0, n)
	for i := 1; i <= n; i++ {
		email := seedEmail("member", i)
		role := p.roles[i%len(p.roles)]
		u := p.userLocked(email)
		if u == nil {
			u = p.addUserLocked(email, role)
			if i%5 != 0 {
				u.Status, u.EmailConfirmed = "Active", true
			}
		}
		if p.memberIndexLocked(workspaceID, email) < 0 {
			p.members[workspaceID] = append(p.members[workspaceID], sdMem{UserID: u.ID, Role: role})
		}
		out = append(out, u.Email)
	}
	return out
}
