package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
)

// AttackForge emulates the AttackForge Self-Service API under
// PrefixAttackForge, as the vendor's Self-Service API pages describe it
// (support.attackforge.com/attackforge-enterprise/modules/self-service-restful-api:
// inviteuserstoprojectteam, removeprojectteammembers, updateuseraccessonproject,
// getuserbyemail, getuserbyusername, getusers, getuserprojects; summarised
// with sources in docs/api-notes.md): X-SSAPI-KEY authentication, users
// and projects with 24-hex ObjectIds, project team invitations answered with
// per-user statuses inside an HTTP 200, access level updates, team removal,
// user look-ups and the projects a user can access.
//
// As strict as the vendor's pages: GET /api/ss/user/:id/projects answers
// like the sibling project endpoints, {count, projects:[{project_id,
// project_name, ...}]}, with no per-user access level or project role (no
// Self-Service API page documents one), and path parameters are matched
// after one unescaping, so an email escaped twice is not found. The
// seeded users include emails that need escaping (o'brien@, x%y@,
// jöhn@exämple.com).
type AttackForge struct {
	sb *Sandbox
	mu sync.Mutex

	users    map[string]*AFUser
	projects map[string]*afProject
}

// AFUser is an AttackForge user.
type AFUser struct {
	ID        string `json:"id"`
	Username  string `json:"username"`
	Email     string `json:"email_address"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Role      string `json:"role"`
	Status    string `json:"status"`
}

// AFMember is a user on a project team.
type AFMember struct {
	UserID      string `json:"user_id"`
	AccessLevel string `json:"access_level"`
	ProjectRole string `json:"project_role,omitempty"`
}

type afProject struct {
	ID   string
	Name string
	Team map[string]*AFMember
}

// Seeded AttackForge objects, for tests and the demo.
const (
	AFProjectWebApp  = "650f1707c66ef8821d35ee01" // "Web App Pentest", Frank is on the team (Edit, Pentest Lead)
	AFProjectNetwork = "650f1707c66ef8821d35ee02" // "Internal Network", empty team
	AFProjectRedTeam = "650f1707c66ef8821d35ee03" // "Red Team Exercise", empty team
	AFUserAlice      = "6132a2db9239f0975f505c01" // alice / alice@example.com
	AFUserBob        = "6132a2db9239f0975f505c02" // bob / bob@example.com
	AFUserCarol      = "6132a2db9239f0975f505c03" // carol@example.com / carol@example.com
	AFUserDave       = "6132a2db9239f0975f505c04" // dave / dave@example.com
	AFUserErin       = "6132a2db9239f0975f505c05" // erin / erin@example.com
	AFUserFrank      = "6132a2db9239f0975f505c06" // frank / frank@example.com
	AFUserGrace      = "6132a2db9239f0975f505c07" // grace / grace@example.com
	AFUserHeidi      = "6132a2db9239f0975f505c08" // heidi / heidi@example.com
	// Users whose email needs escaping in a URL path, to prove each lookup
	// escapes it exactly once.
	AFUserOBrien      = "6132a2db9239f0975f505c09" // obrien / o'brien@example.com
	AFUserPercent     = "6132a2db9239f0975f505c0a" // x%y / x%y@example.com
	AFUserUmlaut      = "6132a2db9239f0975f505c0b" // jöhn@exämple.com / jöhn@exämple.com
	afAccessLevelList = "View, Upload or Edit"
)

// AFProjectRoles are the project roles the invite endpoint accepts.
var AFProjectRoles = []string{
	"Not Assigned", "Client", "Consultant", "Pentester", "Pentest Lead", "Security Manager",
	"Project Manager", "Executive", "Business Owner", "Developer", "Engineer", "Architect",
	"Red Team", "Blue Team", "SOC",
}

func newAttackForge(sb *Sandbox) *AttackForge {
	p := &AttackForge{sb: sb}
	p.reset()
	p.routes()
	return p
}

// reset restores the seed data.
func (p *AttackForge) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.users = map[string]*AFUser{}
	seed := []struct{ id, username, email, first, last, role string }{
		{AFUserAlice, "alice", "alice@example.com", "Alice", "Anders", "consultant"},
		{AFUserBob, "bob", "bob@example.com", "Bob", "Baker", "consultant"},
		{AFUserCarol, "carol@example.com", "carol@example.com", "Carol", "Chen", "client"},
		{AFUserDave, "dave", "dave@example.com", "Dave", "Diaz", "consultant"},
		{AFUserErin, "erin", "erin@example.com", "Erin", "Evans", "projectoperator"},
		{AFUserFrank, "frank", "frank@example.com", "Frank", "Fischer", "admin"},
		{AFUserGrace, "grace", "grace@example.com", "Grace", "Gupta", "consultant"},
		{AFUserHeidi, "heidi", "heidi@example.com", "Heidi", "Hall", "client"},
		{AFUserOBrien, "obrien", "o'brien@example.com", "Orla", "O'Brien", "consultant"},
		{AFUserPercent, "x%y", "x%y@example.com", "Xavier", "Percent", "consultant"},
		{AFUserUmlaut, "jöhn@exämple.com", "jöhn@exämple.com", "Jöhn", "Ümlaut", "client"},
	}
	for _, u := range seed {
		p.users[u.id] = &AFUser{ID: u.id, Username: u.username, Email: u.email, FirstName: u.first, LastName: u.last, Role: u.role, Status: "Active"}
	}
	p.projects = map[string]*afProject{
		AFProjectWebApp: {ID: AFProjectWebApp, Name: "Web App Pentest", Team: map[string]*AFMember{
			AFUserFrank: {UserID: AFUserFrank, AccessLevel: "Edit", ProjectRole: "Pentest Lead"},
		}},
		AFProjectNetwork: {ID: AFProjectNetwork, Name: "Internal Network", Team: map[string]*AFMember{}},
		AFProjectRedTeam: {ID: AFProjectRedTeam, Name: "Red Team Exercise", Team: map[string]*AFMember{}},
	}
}

func (p *AttackForge) routes() {
	h := func(pattern string, fn http.HandlerFunc) {
		p.sb.handle(PrefixAttackForge, pattern, p.auth(fn))
	}
	h("POST /api/ss/project/{id}/team/invite", p.invite)
	h("PUT /api/ss/project/{project_id}/access/{user_id}", p.updateAccess)
	h("PUT /api/ss/project/{id}/team/remove", p.removeTeam)
	h("GET /api/ss/users/email/{email}", p.userByEmail)
	h("GET /api/ss/users/username/{username}", p.userByUsername)
	h("GET /api/ss/users", p.listUsers)
	h("GET /api/ss/user/{id}/projects", p.userProjects)

	// Admin routes: out-of-band changes for tests and the demo.
	p.sb.adminHandle("GET /attackforge/projects/{id}/team", p.adminTeam)
	p.sb.adminHandle("PUT /attackforge/projects/{id}/team/{user}", p.adminSetMember)
	p.sb.adminHandle("DELETE /attackforge/projects/{id}/team/{user}", p.adminRemoveMember)
	p.sb.adminHandle("POST /attackforge/users", p.adminAddUser)
	p.sb.adminHandle("DELETE /attackforge/users/{user}", p.adminDeleteUser)
}

func afError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func (p *AttackForge) auth(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-SSAPI-KEY") != AttackForgeAPIKey {
			afError(w, http.StatusUnauthorized, "Unauthorized: missing or invalid X-SSAPI-KEY")
			return
		}
		next(w, r)
	}
}

// findUser resolves an email, a username or a user id. Callers hold p.mu.
func (p *AttackForge) findUser(s string) *AFUser {
	if u, ok := p.users[s]; ok {
		return u
	}
	for _, u := range p.sortedUsers() {
		if strings.EqualFold(u.Email, s) || strings.EqualFold(u.Username, s) {
			return u
		}
	}
	return nil
}

func (p *AttackForge) sortedUsers() []*AFUser {
	out := make([]*AFUser, 0, len(p.users))
	for _, u := range p.users {
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func validAccessLevel(s string) bool { return s == "View" || s == "Upload" || s == "Edit" }

func validProjectRole(s string) bool {
	for _, r := range AFProjectRoles {
		if r == s {
			return true
		}
	}
	return false
}

// lockTeamRequest is what team/invite and team/remove do first: decode
// the body strictly (400), refuse an empty users array (400), lock, and
// find the route's project (404). When ok, the caller holds p.mu and
// unlocks it.
func (p *AttackForge) lockTeamRequest(w http.ResponseWriter, r *http.Request, body any, users func() int) (*afProject, bool) {
	if err := decodeStrict(r, body); err != nil {
		afError(w, http.StatusBadRequest, err.Error())
		return nil, false
	}
	if users() == 0 {
		afError(w, http.StatusBadRequest, "users must be a non-empty array")
		return nil, false
	}
	p.mu.Lock()
	proj := p.projects[r.PathValue("id")]
	if proj == nil {
		p.mu.Unlock()
		afError(w, http.StatusNotFound, "Project not found")
		return nil, false
	}
	return proj, true
}

func (p *AttackForge) invite(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Users []struct {
			User        string  `json:"user"`
			AccessLevel string  `json:"accessLevel"`
			Role        *string `json:"role,omitempty"`
		} `json:"users"`
	}
	proj, ok := p.lockTeamRequest(w, r, &body, func() int { return len(body.Users) })
	if !ok {
		return
	}
	defer p.mu.Unlock()
	result := []any{}
	for _, in := range body.Users {
		u := p.findUser(in.User)
		switch {
		case u == nil:
			result = append(result, map[string]string{"user": in.User, "status": "User Not Found"})
		case !validAccessLevel(in.AccessLevel):
			result = append(result, map[string]string{"user": in.User, "status": "Invalid accessLevel"})
		case in.Role != nil && !validProjectRole(*in.Role):
			result = append(result, map[string]string{"user": in.User, "status": "Invalid role"})
		default:
			m := proj.Team[u.ID]
			if m == nil {
				m = &AFMember{UserID: u.ID}
				proj.Team[u.ID] = m
			}
			m.AccessLevel = in.AccessLevel
			if in.Role != nil {
				m.ProjectRole = *in.Role
			}
			result = append(result, map[string]string{
				"userId": u.ID, "username": u.Username, "email": u.Email,
				"accessLevel": in.AccessLevel, "status": "Invited",
			})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"result": result})
}

func (p *AttackForge) updateAccess(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Update string `json:"update"`
	}
	if err := decodeStrict(r, &body); err != nil {
		afError(w, http.StatusBadRequest, err.Error())
		return
	}
	if !validAccessLevel(body.Update) {
		afError(w, http.StatusBadRequest, "Invalid access level: update must be "+afAccessLevelList)
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	proj := p.projects[r.PathValue("project_id")]
	if proj == nil {
		afError(w, http.StatusNotFound, "Project not found")
		return
	}
	m := proj.Team[r.PathValue("user_id")]
	if m == nil {
		afError(w, http.StatusNotFound, "User not found on the project team")
		return
	}
	m.AccessLevel = body.Update
	writeJSON(w, http.StatusOK, map[string]string{"status": "User Access Updated"})
}

func (p *AttackForge) removeTeam(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Users []string `json:"users"`
	}
	proj, ok := p.lockTeamRequest(w, r, &body, func() int { return len(body.Users) })
	if !ok {
		return
	}
	defer p.mu.Unlock()
	result := []any{}
	for _, s := range body.Users {
		u := p.findUser(s)
		switch {
		case u == nil:
			result = append(result, map[string]string{"user": s, "status": "User Not Found"})
		case proj.Team[u.ID] == nil:
			result = append(result, map[string]string{"userId": u.ID, "username": u.Username, "email": u.Email, "status": "User Not On Project Team"})
		default:
			delete(proj.Team, u.ID)
			result = append(result, map[string]string{"userId": u.ID, "username": u.Username, "email": u.Email, "status": "Removed"})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"result": result})
}

func (p *AttackForge) userByEmail(w http.ResponseWriter, r *http.Request) {
	email := r.PathValue("email")
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, u := range p.sortedUsers() {
		if strings.EqualFold(u.Email, email) {
			writeJSON(w, http.StatusOK, map[string]any{"user": u})
			return
		}
	}
	afError(w, http.StatusNotFound, "User not found")
}

func (p *AttackForge) userByUsername(w http.ResponseWriter, r *http.Request) {
	username := r.PathValue("username")
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, u := range p.sortedUsers() {
		if strings.EqualFold(u.Username, username) {
			writeJSON(w, http.StatusOK, map[string]any{"user": u})
			return
		}
	}
	afError(w, http.StatusNotFound, "User not found")
}

func (p *AttackForge) listUsers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p.mu.Lock()
	defer p.mu.Unlock()
	users := []*AFUser{}
	for _, u := range p.sortedUsers() {
		if v := q.Get("email"); v != "" && !strings.EqualFold(v, u.Email) {
			continue
		}
		if v := q.Get("username"); v != "" && !strings.EqualFold(v, u.Username) {
			continue
		}
		if v := q.Get("firstName"); v != "" && !strings.EqualFold(v, u.FirstName) {
			continue
		}
		if v := q.Get("lastName"); v != "" && !strings.EqualFold(v, u.LastName) {
			continue
		}
		users = append(users, u)
	}
	writeJSON(w, http.StatusOK, map[string]any{"count": len(users), "users": users})
}

// userProjects answers GET /api/ss/user/:id/projects. The vendor's page
// says only "an array of projects"; the sibling project endpoints
// (GetProjects, GetProjectsByGroup) answer {count, projects:[{project_id,
// project_name, ...}]} with no per-user access level or project role, so
// this answer has none either.
func (p *AttackForge) userProjects(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.users[id] == nil {
		afError(w, http.StatusNotFound, "User not found")
		return
	}
	ids := make([]string, 0, len(p.projects))
	for pid := range p.projects {
		ids = append(ids, pid)
	}
	sort.Strings(ids)
	projects := []map[string]any{}
	for _, pid := range ids {
		proj := p.projects[pid]
		if proj.Team[id] != nil {
			projects = append(projects, map[string]any{
				"project_id": proj.ID, "project_name": proj.Name, "project_code": strings.ToUpper(proj.ID[18:]),
				"project_status": "Testing", "project_groups": []any{},
			})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"count": len(projects), "projects": projects})
}

// --- Go helpers for tests ---

// Member returns a project team member by user id, email or username.
func (p *AttackForge) Member(projectID, user string) (AFMember, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	proj, u := p.projects[projectID], p.findUser(user)
	if proj == nil || u == nil || proj.Team[u.ID] == nil {
		return AFMember{}, false
	}
	return *proj.Team[u.ID], true
}

// Team returns a project's team keyed by user id.
func (p *AttackForge) Team(projectID string) map[string]AFMember {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string]AFMember{}
	if proj := p.projects[projectID]; proj != nil {
		for id, m := range proj.Team {
			out[id] = *m
		}
	}
	return out
}

// SetMember adds a user (id, email or username) to a project team or
// changes their access level and project role ("" leaves the role).
func (p *AttackForge) SetMember(projectID, user, accessLevel, projectRole string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	proj, u := p.projects[projectID], p.findUser(user)
	if proj == nil {
		return fmt.Errorf("no project %s", projectID)
	}
	if u == nil {
		return fmt.Errorf("no user %s", user)
	}
	if !validAccessLevel(accessLevel) {
		return fmt.Errorf("access level must be %s", afAccessLevelList)
	}
	if projectRole != "" && !validProjectRole(projectRole) {
		return fmt.Errorf("unknown project role %q", projectRole)
	}
	m := proj.Team[u.ID]
	if m == nil {
		m = &AFMember{UserID: u.ID}
		proj.Team[u.ID] = m
	}
	m.AccessLevel = accessLevel
	if projectRole != "" {
		m.ProjectRole = projectRole
	}
	return nil
}

// SetAccess changes a member's access level out of band.
func (p *AttackForge) SetAccess(projectID, user, accessLevel string) error {
	if _, ok := p.Member(projectID, user); !ok {
		return fmt.Errorf("%s is not on project %s", user, projectID)
	}
	return p.SetMember(projectID, user, accessLevel, "")
}

// RemoveFromProject removes a user from a project team out of band.
func (p *AttackForge) RemoveFromProject(projectID, user string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	proj, u := p.projects[projectID], p.findUser(user)
	if proj == nil || u == nil || proj.Team[u.ID] == nil {
		return false
	}
	delete(proj.Team, u.ID)
	return true
}

// AddUser creates a user and returns its id.
func (p *AttackForge) AddUser(username, email, firstName, lastName string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	id := newObjectID()
	p.users[id] = &AFUser{ID: id, Username: username, Email: email, FirstName: firstName, LastName: lastName, Role: "consultant", Status: "Active"}
	return id
}

// User returns a user by id, email or username.
func (p *AttackForge) User(user string) (AFUser, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if u := p.findUser(user); u != nil {
		return *u, true
	}
	return AFUser{}, false
}

// Users returns every user, ordered by id.
func (p *AttackForge) Users() []AFUser {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := []AFUser{}
	for _, u := range p.sortedUsers() {
		out = append(out, *u)
	}
	return out
}

// DeleteUser deletes a user (id, email or username) and their memberships.
func (p *AttackForge) DeleteUser(user string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	u := p.findUser(user)
	if u == nil {
		return false
	}
	delete(p.users, u.ID)
	for _, proj := range p.projects {
		delete(proj.Team, u.ID)
	}
	return true
}

// AddProject creates a project with an empty team and returns its id.
func (p *AttackForge) AddProject(name string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	id := newObjectID()
	p.projects[id] = &afProject{ID: id, Name: name, Team: map[string]*AFMember{}}
	return id
}

func newObjectID() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// --- admin routes ---

func (p *AttackForge) adminTeam(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, p.Team(r.PathValue("id")))
}

func (p *AttackForge) adminSetMember(w http.ResponseWriter, r *http.Request) {
	var body struct {
		AccessLevel string `json:"access_level"`
		ProjectRole string `json:"project_role"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		afError(w, http.StatusBadRequest, err.Error())
		return
	}
	if err := p.SetMember(r.PathValue("id"), r.PathValue("user"), body.AccessLevel, body.ProjectRole); err != nil {
		afError(w, http.StatusBadRequest, err.Error())
		return
	}
	m, _ := p.Member(r.PathValue("id"), r.PathValue("user"))
	writeJSON(w, http.StatusOK, m)
}

func (p *AttackForge) adminRemoveMember(w http.ResponseWriter, r *http.Request) {
	if !p.RemoveFromProject(r.PathValue("id"), r.PathValue("user")) {
		afError(w, http.StatusNotFound, "not a member")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (p *AttackForge) adminAddUser(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Username  string `json:"username"`
		Email     string `json:"email"`
		FirstName string `json:"first_name"`
		LastName  string `json:"last_name"`
		// Count creates that many users user0001@<email domain>... instead.
		Count int `json:"count"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		afError(w, http.StatusBadRequest, err.Error())
		return
	}
	if body.Count > 0 {
		domain := "bench.example.com"
		if _, d, ok := strings.Cut(body.Email, "@"); ok && d != "" {
			domain = d
		}
		ids := make([]string, 0, body.Count)
		for i := 1; i <= body.Count; i++ {
			name := fmt.Sprintf("user%04d", i)
			ids = append(ids, p.AddUser(name, name+"@"+domain, "User", fmt.Sprint(i)))
		}
		writeJSON(w, http.StatusCreated, map[string]any{"ids": ids})
		return
	}
	if body.Email == "" {
		afError(w, http.StatusBadRequest, "email is required")
		return
	}
	if body.Username == "" {
		body.Username = body.Email
	}
	id := p.AddUser(body.Username, body.Email, body.FirstName, body.LastName)
	u, _ := p.User(id)
	writeJSON(w, http.StatusCreated, u)
}

func (p *AttackForge) adminDeleteUser(w http.ResponseWriter, r *http.Request) {
	if !p.DeleteUser(r.PathValue("user")) {
		afError(w, http.StatusNotFound, "no such user")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
