package sandbox_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

type dsEnv struct {
	t   *testing.T
	sb  *sandbox.Sandbox
	url string
}

func newDS(t *testing.T) *dsEnv {
	sb := sandbox.New()
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	return &dsEnv{t: t, sb: sb, url: srv.URL + sandbox.PrefixDocSpace}
}

type dsResp struct {
	status int
	Body   struct {
		Response   json.RawMessage `json:"response"`
		Count      int             `json:"count"`
		Status     int             `json:"status"`
		StatusCode int             `json:"statusCode"`
		Links      []any           `json:"links"`
		Error      *struct {
			Message string `json:"message"`
		} `json:"error"`
	}
}

func (e *dsEnv) do(method, path, body string, auth func(*http.Request)) dsResp {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, e.url+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if auth == nil {
		req.Header.Set("Authorization", "Bearer "+sandbox.DocSpaceToken)
	} else {
		auth(req)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var out dsResp
	out.status = res.StatusCode
	data, _ := io.ReadAll(res.Body)
	if err := json.Unmarshal(data, &out.Body); err != nil {
		e.t.Fatalf("%s %s: body is not the envelope: %v: %s", method, path, err, data)
	}
	if out.Body.StatusCode != res.StatusCode {
		e.t.Fatalf("%s %s: envelope statusCode %d, HTTP %d", method, path, out.Body.StatusCode, res.StatusCode)
	}
	return out
}

func (e *dsEnv) want(r dsResp, status int, msg string) {
	e.t.Helper()
	if r.status != status {
		e.t.Fatalf("status %d, want %d (%+v)", r.status, status, r.Body.Error)
	}
	if msg != "" && (r.Body.Error == nil || !strings.Contains(r.Body.Error.Message, msg)) {
		e.t.Fatalf("error %+v, want it to contain %q", r.Body.Error, msg)
	}
}

type dsUserJSON struct {
	ID               string `json:"id"`
	Email            string `json:"email"`
	DisplayName      string `json:"displayName"`
	Status           int    `json:"status"`
	ActivationStatus int    `json:"activationStatus"`
	IsOwner          bool   `json:"isOwner"`
	IsAdmin          bool   `json:"isAdmin"`
	IsRoomAdmin      bool   `json:"isRoomAdmin"`
	IsVisitor        bool   `json:"isVisitor"`
}

func users(t *testing.T, r dsResp) []dsUserJSON {
	var out []dsUserJSON
	if err := json.Unmarshal(r.Body.Response, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func user(t *testing.T, r dsResp) dsUserJSON {
	var out dsUserJSON
	if err := json.Unmarshal(r.Body.Response, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDocSpaceAuth(t *testing.T) {
	e := newDS(t)
	e.want(e.do("GET", "/api/2.0/people/@self", "", func(*http.Request) {}), 401, "Unauthorized")
	e.want(e.do("GET", "/api/2.0/people/@self", "", func(r *http.Request) { r.Header.Set("Authorization", "Bearer nope") }), 401, "")
	e.want(e.do("GET", "/api/2.0/people/@self", "", func(r *http.Request) {
		r.AddCookie(&http.Cookie{Name: "asc_auth_key", Value: "nope"})
	}), 401, "")
	for name, auth := range map[string]func(*http.Request){
		"bearer": func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+sandbox.DocSpaceToken) },
		"raw":    func(r *http.Request) { r.Header.Set("Authorization", sandbox.DocSpaceToken) },
		"cookie": func(r *http.Request) { r.AddCookie(&http.Cookie{Name: "asc_auth_key", Value: sandbox.DocSpaceAuthKey}) },
	} {
		r := e.do("GET", "/api/2.0/people/@self", "", auth)
		e.want(r, 200, "")
		if u := user(t, r); !u.IsOwner || u.Email != sandbox.DocSpaceOwnerEmail {
			t.Fatalf("%s: self = %+v", name, u)
		}
	}
	// every endpoint refuses a request without credentials
	id := "3f2a9c1e-8b7d-4e6f-a5b4-c3d2e1f0a9b8"
	for _, ep := range [][3]string{
		{"POST", "/api/2.0/people/invite", `{"invitations":[{"email":"a@example.com","type":"User"}]}`},
		{"PUT", "/api/2.0/people/invite", `{"userIds":[],"resendAll":true}`},
		{"GET", "/api/2.0/people/email?email=owner@docspace.example", ""},
		{"GET", "/api/2.0/people/filter", ""},
		{"GET", "/api/2.0/people/" + id, ""},
		{"PUT", "/api/2.0/people/type/User", `{"userIds":[],"resendAll":false}`},
		{"PUT", "/api/2.0/people/status/Terminated", `{"userIds":[]}`},
		{"DELETE", "/api/2.0/people/" + id, ""},
		{"GET", "/api/2.0/people/reassign/necessary?UserId=" + id + "&Type=All", ""},
		{"POST", "/api/2.0/people/reassign/start", `{"fromUserId":"` + id + `","toUserId":"` + id + `"}`},
		{"GET", "/api/2.0/people/reassign/progress/" + id, ""},
		{"PUT", "/api/2.0/people/reassign/terminate", `{"userId":"` + id + `"}`},
	} {
		e.want(e.do(ep[0], ep[1], ep[2], func(*http.Request) {}), 401, "Unauthorized")
	}
	if _, ok := e.sb.DocSpace.User("a@example.com"); ok {
		t.Fatal("an unauthenticated invite created a user")
	}
	r := e.do("GET", "/api/2.0/people/@self", "", func(r *http.Request) { r.Header.Set("Authorization", sandbox.DocSpaceAdminToken) })
	if u := user(t, r); u.IsOwner || !u.IsAdmin {
		t.Fatalf("admin token self = %+v", u)
	}
}

// invite answers EmployeeDto: an id and a display name, no email, no
// status, no type flags (docs/EmployeeDto.md of docspace-api-sdk-go).
type dsBrief map[string]any

func TestDocSpaceInviteReadDelete(t *testing.T) {
	e := newDS(t)
	r := e.do("POST", "/api/2.0/people/invite", `{"invitations":[{"email":"New@Example.com","type":"RoomAdmin"},{"email":"u@example.com","type":"User"}],"culture":"en-US"}`, nil)
	e.want(r, 200, "")
	var briefs []dsBrief
	if err := json.Unmarshal(r.Body.Response, &briefs); err != nil {
		t.Fatal(err)
	}
	// every pending user, the seeded pending guest too
	if len(briefs) != 3 || r.Body.Count != 3 {
		t.Fatalf("invite listed %d users: %+v", len(briefs), briefs)
	}
	for _, b := range briefs {
		for _, k := range []string{"email", "status", "activationStatus", "isAdmin", "isRoomAdmin", "isVisitor", "isOwner"} {
			if _, ok := b[k]; ok {
				t.Fatalf("the invite answer has %q: it is an EmployeeDto, not an EmployeeFullDto: %v", k, b)
			}
		}
		if b["id"] == "" || b["displayName"] == "" || b["profileUrl"] == "" {
			t.Fatalf("EmployeeDto without id, displayName or profileUrl: %v", b)
		}
	}
	nu, ok := e.sb.DocSpace.User("new@example.com")
	if !ok || nu.Type != "RoomAdmin" || nu.ActivationStatus != sandbox.DSActivationPending || nu.Status != sandbox.DSStatusPending || nu.Culture != "en-US" {
		t.Fatalf("new user %+v", nu)
	}
	id := nu.ID
	r = e.do("GET", "/api/2.0/people/"+id, "", nil)
	if e.want(r, 200, ""); user(t, r).Email != "New@Example.com" || !user(t, r).IsRoomAdmin {
		t.Fatalf("by id: %+v", user(t, r))
	}
	r = e.do("GET", "/api/2.0/people/email?email=new@example.com", "", nil)
	e.want(r, 200, "")
	if user(t, r).ID != id {
		t.Fatal("by email: wrong user")
	}
	e.want(e.do("GET", "/api/2.0/people/email?email=none@example.com", "", nil), 404, "could not be found")
	e.want(e.do("GET", "/api/2.0/people/00000000-0000-4000-8000-000000000000", "", nil), 404, "")
	e.want(e.do("GET", "/api/2.0/people/email", "", nil), 400, "email")

	// existing email: upgraded only when higher
	e.want(e.do("POST", "/api/2.0/people/invite", `{"invitations":[{"email":"new@example.com","type":"User"}]}`, nil), 200, "")
	if u, _ := e.sb.DocSpace.User("new@example.com"); u.Type != "RoomAdmin" {
		t.Fatalf("downgraded by invite: %s", u.Type)
	}
	e.want(e.do("POST", "/api/2.0/people/invite", `{"invitations":[{"email":"u@example.com","type":"RoomAdmin"}]}`, nil), 200, "")
	if u, _ := e.sb.DocSpace.User("u@example.com"); u.Type != "RoomAdmin" {
		t.Fatalf("not upgraded by invite: %s", u.Type)
	}

	// delete needs termination first: 403 "not suspended"
	e.want(e.do("DELETE", "/api/2.0/people/"+id, "", nil), 403, "not suspended")
	r = e.do("PUT", "/api/2.0/people/status/Terminated", fmt.Sprintf(`{"userIds":[%q]}`, id), nil)
	if e.want(r, 200, ""); len(users(t, r)) != 1 || users(t, r)[0].Status != sandbox.DSStatusTerminated {
		t.Fatalf("terminate answered %s", r.Body.Response)
	}
	// a terminated user is listed, and cannot be invited again
	r = e.do("GET", "/api/2.0/people/email?email=new@example.com", "", nil)
	if e.want(r, 200, ""); user(t, r).Status != sandbox.DSStatusTerminated {
		t.Fatal("terminated user not reported as such")
	}
	e.want(e.do("POST", "/api/2.0/people/invite", `{"invitations":[{"email":"new@example.com","type":"User"}]}`, nil), 400, "disabled")
	// re-activation: an invited person who never joined is pending again
	r = e.do("PUT", "/api/2.0/people/status/Active", fmt.Sprintf(`{"userIds":[%q]}`, id), nil)
	if e.want(r, 200, ""); users(t, r)[0].Status != sandbox.DSStatusPending {
		t.Fatalf("re-activated %s", r.Body.Response)
	}
	e.want(e.do("PUT", "/api/2.0/people/status/Terminated", fmt.Sprintf(`{"userIds":[%q]}`, id), nil), 200, "")
	e.want(e.do("DELETE", "/api/2.0/people/"+id, "", nil), 200, "")
	e.want(e.do("DELETE", "/api/2.0/people/"+id, "", nil), 404, "")
	e.want(e.do("PUT", "/api/2.0/people/status/Bogus", `{"userIds":[]}`, nil), 400, "Incorrect status")
	e.want(e.do("PUT", "/api/2.0/people/status/Terminated", `{"ids":[]}`, nil), 400, "shape")
	e.want(e.do("PUT", "/api/2.0/people/type/User", `{"userIds":"x"}`, nil), 400, "shape")

	// resend
	e.want(e.do("PUT", "/api/2.0/people/invite", `{"userIds":[],"resendAll":true}`, nil), 200, "")
}

// PUT people/status/Terminated refuses the whole call, changing nothing,
// when it holds the owner, the caller, or a DocSpace admin while the
// caller is not the owner (UserController.UpdateUserStatus).
func TestDocSpaceTerminateRefusesTheWholeBatch(t *testing.T) {
	e := newDS(t)
	owner, _ := e.sb.DocSpace.User(sandbox.DocSpaceOwnerEmail)
	admin, _ := e.sb.DocSpace.User(sandbox.DocSpaceAdminEmail)
	plain, _ := e.sb.DocSpace.User(sandbox.DocSpaceUserEmail)
	asAdmin := func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+sandbox.DocSpaceAdminToken) }
	for _, c := range []struct {
		name string
		ids  []string
		auth func(*http.Request)
	}{
		{"the owner, who is the caller", []string{plain.ID, owner.ID}, nil},
		{"the owner", []string{plain.ID, owner.ID}, asAdmin},
		{"the caller", []string{admin.ID, plain.ID}, asAdmin},
	} {
		body, _ := json.Marshal(map[string]any{"userIds": c.ids})
		r := e.do("PUT", "/api/2.0/people/status/Terminated", string(body), c.auth)
		e.want(r, 403, "Access denied")
		if r.Body.Error.Message != "Access denied" {
			t.Fatalf("%s: message %q, want DocSpace's \"Access denied\"", c.name, r.Body.Error.Message)
		}
		if u, _ := e.sb.DocSpace.User(sandbox.DocSpaceUserEmail); u.Status == sandbox.DSStatusTerminated {
			t.Fatalf("%s: a refused call terminated %s", c.name, u.Email)
		}
	}
	// a DocSpace admin, when the caller is not the owner
	other := e.sb.DocSpace.AddUser("admin2@example.com", "DocSpaceAdmin", sandbox.DSActivationActivated)
	body, _ := json.Marshal(map[string]any{"userIds": []string{plain.ID, other}})
	e.want(e.do("PUT", "/api/2.0/people/status/Terminated", string(body), asAdmin), 403, "Access denied")
	if u, _ := e.sb.DocSpace.User(sandbox.DocSpaceUserEmail); u.Status == sandbox.DSStatusTerminated {
		t.Fatal("a refused call terminated a user")
	}
	// the owner may; and may delete it, the admin may not
	e.want(e.do("PUT", "/api/2.0/people/status/Terminated", string(body), nil), 200, "")
	e.want(e.do("DELETE", "/api/2.0/people/"+other, "", asAdmin), 403, "Access denied")
	e.want(e.do("DELETE", "/api/2.0/people/"+other, "", nil), 200, "")
	// the admin may terminate a plain user
	e.want(e.do("PUT", "/api/2.0/people/status/Terminated", fmt.Sprintf(`{"userIds":[%q]}`, plain.ID), asAdmin), 200, "")
}

// PUT people/type changes the users one at a time: the owner and the
// caller are rejected (403), and the users before a rejection stay
// converted; a paid seat over the quota is refused the same way (402).
func TestDocSpaceTypeChange(t *testing.T) {
	e := newDS(t)
	owner, _ := e.sb.DocSpace.User(sandbox.DocSpaceOwnerEmail)
	a := e.sb.DocSpace.AddUser("a@example.com", "Guest", sandbox.DSActivationActivated)
	b := e.sb.DocSpace.AddUser("b@example.com", "Guest", sandbox.DSActivationActivated)
	r := e.do("PUT", "/api/2.0/people/type/User", fmt.Sprintf(`{"userIds":[%q,%q,%q],"resendAll":false}`, a, owner.ID, b), nil)
	e.want(r, 403, "Access denied")
	if u, _ := e.sb.DocSpace.User("a@example.com"); u.Type != "User" {
		t.Fatalf("the user before the rejection is %s, want converted to User", u.Type)
	}
	if u, _ := e.sb.DocSpace.User("b@example.com"); u.Type != "Guest" {
		t.Fatalf("the user after the rejection is %s, want still Guest", u.Type)
	}
	r = e.do("PUT", "/api/2.0/people/type/User", fmt.Sprintf(`{"userIds":[%q],"resendAll":false}`, b), nil)
	if e.want(r, 200, ""); len(users(t, r)) != 1 || users(t, r)[0].IsVisitor {
		t.Fatalf("type change answered %s", r.Body.Response)
	}
	// the answer lists the users as they are, changed or not
	e.sb.DocSpace.SetSkipTypeChanges(true)
	r = e.do("PUT", "/api/2.0/people/type/RoomAdmin", fmt.Sprintf(`{"userIds":[%q],"resendAll":false}`, b), nil)
	if e.want(r, 200, ""); len(users(t, r)) != 1 || users(t, r)[0].IsRoomAdmin {
		t.Fatalf("skipped change answered %s", r.Body.Response)
	}
	e.sb.DocSpace.SetSkipTypeChanges(false)
	// quota: 5 seats, 2 used by the seeds; the third change is refused
	c := e.sb.DocSpace.AddUser("c@example.com", "User", sandbox.DSActivationActivated)
	d := e.sb.DocSpace.AddUser("d@example.com", "User", sandbox.DSActivationActivated)
	r = e.do("PUT", "/api/2.0/people/type/RoomAdmin", fmt.Sprintf(`{"userIds":[%q,%q,%q,%q],"resendAll":false}`, a, b, c, d), nil)
	e.want(r, 402, "quota")
	for email, want := range map[string]string{"a@example.com": "RoomAdmin", "b@example.com": "RoomAdmin", "c@example.com": "RoomAdmin", "d@example.com": "User"} {
		if u, _ := e.sb.DocSpace.User(email); u.Type != want {
			t.Fatalf("%s is %s after a refusal mid-batch, want %s", email, u.Type, want)
		}
	}
	// Guest only where the portal allows guests
	e.sb.DocSpace.SetGuestInvitesDisabled(true)
	e.want(e.do("PUT", "/api/2.0/people/type/Guest", fmt.Sprintf(`{"userIds":[%q],"resendAll":false}`, d), nil), 403, "Access denied")
	e.want(e.do("PUT", "/api/2.0/people/type/Owner", `{"userIds":[],"resendAll":false}`, nil), 400, "not one of")
}

func TestDocSpaceInviteErrors(t *testing.T) {
	e := newDS(t)
	e.want(e.do("POST", "/api/2.0/people/invite", `{"invitations":[{"email":"not-an-email","type":"User"}]}`, nil), 400, "Incorrect email")
	e.want(e.do("POST", "/api/2.0/people/invite", `{"invitations":[{"email":"a@example.com","type":4}]}`, nil), 400, "type name")
	e.want(e.do("POST", "/api/2.0/people/invite", `{"invitations":[{"email":"a@example.com","type":"All"}]}`, nil), 400, "not one of")
	e.want(e.do("POST", "/api/2.0/people/invite", `{"invitations":[{"email":"a@example.com","type":"User","extra":1}]}`, nil), 400, "shape")
	e.want(e.do("POST", "/api/2.0/people/invite", `{"invitations":[]}`, nil), 400, "")
	// Guest is always refused: guests are invited through rooms
	e.want(e.do("POST", "/api/2.0/people/invite", `{"invitations":[{"email":"a@example.com","type":"Guest"}]}`, nil), 403, "Access denied")
	admin := func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+sandbox.DocSpaceAdminToken) }
	e.want(e.do("POST", "/api/2.0/people/invite", `{"invitations":[{"email":"a@example.com","type":"DocSpaceAdmin"}]}`, admin), 403, "Access denied")
	e.want(e.do("POST", "/api/2.0/people/invite", `{"invitations":[{"email":"a@example.com","type":"RoomAdmin"}]}`, admin), 200, "")
	// quota: 5 paid seats, 3 used now (admin, room admin, a@); checked
	// for the whole request before anything is sent
	e.want(e.do("POST", "/api/2.0/people/invite", `{"invitations":[{"email":"b@example.com","type":"RoomAdmin"},{"email":"c@example.com","type":"DocSpaceAdmin"},{"email":"d@example.com","type":"RoomAdmin"}]}`, nil), 402, "quota")
	if _, ok := e.sb.DocSpace.User("b@example.com"); ok {
		t.Fatal("a refused invite created a user")
	}
	// one at a time: a failure in the middle leaves the earlier ones sent
	e.want(e.do("POST", "/api/2.0/people/invite", `{"invitations":[{"email":"e1@example.com","type":"User"},{"email":"bad","type":"User"},{"email":"e2@example.com","type":"User"}]}`, nil), 400, "Incorrect email")
	if _, ok := e.sb.DocSpace.User("e1@example.com"); !ok {
		t.Fatal("the invitation before the failure was not sent")
	}
	if _, ok := e.sb.DocSpace.User("e2@example.com"); ok {
		t.Fatal("the invitation after the failure was sent")
	}
	e.sb.DocSpace.Terminate("a@example.com")
	e.want(e.do("POST", "/api/2.0/people/invite", `{"invitations":[{"email":"f1@example.com","type":"User"},{"email":"a@example.com","type":"User"}]}`, nil), 400, "disabled")
	if _, ok := e.sb.DocSpace.User("f1@example.com"); !ok {
		t.Fatal("the invitation before the disabled user was not sent")
	}
}

func TestDocSpaceFilterPaging(t *testing.T) {
	e := newDS(t)
	for i := 0; i < 120; i++ {
		e.sb.DocSpace.AddUser(fmt.Sprintf("u%03d@example.com", i), "User", sandbox.DSActivationPending)
	}
	seen := 0
	for start := 0; ; start += 50 {
		r := e.do("GET", fmt.Sprintf("/api/2.0/people/filter?count=50&startIndex=%d", start), "", nil)
		e.want(r, 200, "")
		n := len(users(t, r))
		seen += n
		if n < 50 {
			break
		}
	}
	if seen != 125 {
		t.Fatalf("paged through %d users, want 125", seen)
	}
	count := func(query string) int {
		r := e.do("GET", "/api/2.0/people/filter?count=100&"+query, "", nil)
		e.want(r, 200, "")
		return len(users(t, r))
	}
	r := e.do("GET", "/api/2.0/people/filter?employeeType=Guest&activationStatus=2&count=100", "", nil)
	if l := users(t, r); len(l) != 1 || l[0].Email != sandbox.DocSpaceGuestEmail {
		t.Fatalf("filter: %+v", l)
	}
	if n := count("employeeType=RoomAdmin"); n != 1 {
		t.Fatalf("employeeType=RoomAdmin listed %d", n)
	}
	if n := count("employeeType=DocSpaceAdmin"); n != 2 {
		t.Fatalf("employeeType=DocSpaceAdmin listed %d, want the admin and the owner", n)
	}
	e.sb.DocSpace.Terminate("u000@example.com")
	if n := count("employeeStatus=2"); n != 1 {
		t.Fatalf("employeeStatus=2 listed %d, want the terminated one", n)
	}
	if n := count("employeeStatus=1"); n != 4 {
		t.Fatalf("employeeStatus=1 listed %d, want the 4 active seeds", n)
	}
	// Default (5) is active users only in UserService, and All (7) every
	// user (GetUserQueryForFilter in ONLYOFFICE/DocSpace-server)
	if n := count("employeeStatus=5"); n != 4 {
		t.Fatalf("employeeStatus=5 (Default: active only) listed %d, want 4", n)
	}
	if n := count("employeeStatus=7&startIndex=100"); n != 25 {
		t.Fatalf("employeeStatus=7 (All) listed %d past 100, want 25", n)
	}
	if n := count("employeeStatus=4&filterValue=U00&filterSeparator=,"); n != 9 {
		t.Fatalf("pending users matching u00 (any case): %d, want 9 (u001..u009; u000 is terminated)", n)
	}
	e.want(e.do("GET", "/api/2.0/people/filter?employeeType=2", "", nil), 400, "employeeType")
	e.want(e.do("GET", "/api/2.0/people/filter?activationStatus=3", "", nil), 400, "")
	e.want(e.do("GET", "/api/2.0/people/filter?employeeStatus=3", "", nil), 400, "employeeStatus")
	e.want(e.do("GET", "/api/2.0/people/filter?count=x", "", nil), 400, "")
	e.want(e.do("GET", "/api/2.0/people/filter?count=101", "", nil), 400, "1 to 100")
	e.want(e.do("GET", "/api/2.0/people/filter?count=0", "", nil), 400, "1 to 100")
	// a broken server: the first page for every startIndex
	e.sb.DocSpace.SetIgnorePaging(true)
	r = e.do("GET", "/api/2.0/people/filter?count=100&startIndex=100", "", nil)
	if l := users(t, r); len(l) != 100 || l[0].Email != sandbox.DocSpaceOwnerEmail {
		t.Fatalf("ignorePaging answered %d users from %s", len(l), l[0].Email)
	}
}

func TestDocSpaceAdminRoutes(t *testing.T) {
	sb := sandbox.New()
	srv := httptest.NewServer(sb)
	defer srv.Close()
	put := func(path, body string) int {
		req, _ := http.NewRequest("PUT", srv.URL+path, strings.NewReader(body))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if s := put("/_admin/docspace/users/user@docspace.example/type", `{"type":"Guest"}`); s != 204 {
		t.Fatalf("type: %d", s)
	}
	if u, _ := sb.DocSpace.User(sandbox.DocSpaceUserEmail); u.Type != "Guest" {
		t.Fatal("admin type change not applied")
	}
	if s := put("/_admin/docspace/settings", `{"guest_invites_disabled":true,"admin_quota":1,"ignore_paging":false}`); s != 204 {
		t.Fatalf("settings: %d", s)
	}
	req, _ := http.NewRequest("DELETE", srv.URL+"/_admin/docspace/users/user@docspace.example", nil)
	res, _ := http.DefaultClient.Do(req)
	if res.StatusCode != 204 {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	if _, ok := sb.DocSpace.User(sandbox.DocSpaceUserEmail); ok {
		t.Fatal("not deleted")
	}
	res, _ = http.Get(srv.URL + "/_admin/docspace/users")
	if res.StatusCode != 200 {
		t.Fatal("list")
	}
}

// The portal's rate limit: over n requests in the window, 503 with a
// Retry-After that says when the window frees up.
func TestDocSpaceRateLimit(t *testing.T) {
	sb := sandbox.New()
	srv := httptest.NewServer(sb)
	defer srv.Close()
	sb.DocSpace.SetRateLimit(3, time.Second)
	get := func() *http.Response {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+sandbox.PrefixDocSpace+"/api/2.0/people/@self", nil)
		req.Header.Set("Authorization", "Bearer "+sandbox.DocSpaceToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	for i := range 3 {
		if resp := get(); resp.StatusCode != http.StatusOK {
			t.Fatalf("request %d: %d", i, resp.StatusCode)
		}
	}
	resp := get()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "1" {
		t.Fatalf("over the limit: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	time.Sleep(time.Second)
	if resp := get(); resp.StatusCode != http.StatusOK {
		t.Fatalf("after the window: %d", resp.StatusCode)
	}
	sb.Reset()
	for range 20 {
		if resp := get(); resp.StatusCode != http.StatusOK {
			t.Fatalf("the default limit is 500 per 10s: %d", resp.StatusCode)
		}
	}
}

// GET people/status/{status} (getByStatus): the users in one state, with
// the text filter: split on filterSeparator, any term matching the name
// or email case-insensitively; without a separator every space-separated
// term has to match. count defaults to 100 and may not exceed it.
func TestDocSpaceByStatus(t *testing.T) {
	e := newDS(t)
	for i := 0; i < 150; i++ {
		e.sb.DocSpace.AddUser(fmt.Sprintf("P%03d@Example.com", i), "User", sandbox.DSActivationPending)
	}
	e.sb.DocSpace.Terminate("p149@example.com")
	get := func(path string) []dsUserJSON {
		t.Helper()
		r := e.do("GET", "/api/2.0/people/status/"+path, "", nil)
		e.want(r, 200, "")
		return users(t, r)
	}
	if n := len(get("Pending")); n != 100 {
		t.Fatalf("status/Pending with no count answered %d users, want a page of 100", n)
	}
	if n := len(get("4?startIndex=100")); n != 50 {
		t.Fatalf("status/4 past 100: %d, want 50 (149 of the 150 and the seeded guest)", n)
	}
	l := get("Pending?filterValue=" + url.QueryEscape("p001@EXAMPLE.com,p002@example.com,p149@example.com,nobody@example.com") + "&filterSeparator=,")
	if len(l) != 2 || !strings.EqualFold(l[0].Email, "P001@Example.com") || !strings.EqualFold(l[1].Email, "P002@Example.com") {
		t.Fatalf("status/Pending with two pending terms, a terminated one and an unknown one: %+v", l)
	}
	if n := len(get("Pending?filterValue=" + url.QueryEscape("p00 example"))); n != 10 {
		t.Fatalf("space-separated terms must all match: %d users, want 10 (p000..p009)", n)
	}
	if n := len(get("Terminated")); n != 1 {
		t.Fatalf("status/Terminated: %d, want 1", n)
	}
	if n := len(get("Active")); n != 4 {
		t.Fatalf("status/Active: %d, want the 4 active seeded users", n)
	}
	e.want(e.do("GET", "/api/2.0/people/status/Sleeping", "", nil), 400, "status")
	e.want(e.do("GET", "/api/2.0/people/status/Pending?count=101", "", nil), 400, "1 to 100")
}
