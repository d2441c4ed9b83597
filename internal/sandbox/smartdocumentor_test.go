package sandbox_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

const sdBase = "/smartdocumentor"
const sdAPIPath = sdBase + "/api/v1.0/external"

type sdEnv struct {
	t   *testing.T
	sb  *sandbox.Sandbox
	srv *httptest.Server
}

func newSDEnv(t *testing.T) *sdEnv {
	t.Helper()
	sb := sandbox.New()
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	return &sdEnv{t: t, sb: sb, srv: srv}
}

// sdDo sends a request and returns the status and body.
func (e *sdEnv) do(method, path, token, contentType, body string) (int, string) {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (e *sdEnv) token(form url.Values) (int, map[string]any) {
	e.t.Helper()
	status, body := e.do("POST", sdBase+"/connect/token", "", "application/x-www-form-urlencoded", form.Encode())
	var m map[string]any
	_ = json.Unmarshal([]byte(body), &m)
	return status, m
}

func sdGoodForm() url.Values {
	return url.Values{
		"grant_type": {"client_credentials"}, "scope": {"WebAPI"},
		"client_id": {sandbox.SmartDocumentorClientID}, "client_secret": {sandbox.SmartDocumentorClientSecret},
	}
}

func (e *sdEnv) issued() string {
	e.t.Helper()
	status, m := e.token(sdGoodForm())
	if status != 200 {
		e.t.Fatalf("token: %d %v", status, m)
	}
	return m["access_token"].(string)
}

func (e *sdEnv) invite(token, body string) (int, string) {
	return e.do("POST", sdAPIPath+"/sdworkspace/inviteusers", token, "application/json", body)
}

func (e *sdEnv) members(ws string) []sandbox.SmartDocumentorUser {
	e.t.Helper()
	status, body := e.do("GET", sdAPIPath+"/sdworkspace/allusers/"+ws, sandbox.SmartDocumentorAccessToken, "", "")
	if status != 200 {
		e.t.Fatalf("allusers/%s: %d %s", ws, status, body)
	}
	var out []sandbox.SmartDocumentorUser
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		e.t.Fatal(err)
	}
	return out
}

func sdProblemDetail(t *testing.T, body string) (int, string) {
	t.Helper()
	var p struct {
		Title  string `json:"title"`
		Status int    `json:"status"`
		Detail string `json:"detail"`
	}
	if err := json.Unmarshal([]byte(body), &p); err != nil || p.Title == "" {
		t.Fatalf("not problem details: %s", body)
	}
	return p.Status, p.Detail
}

func TestSmartDocumentorToken(t *testing.T) {
	e := newSDEnv(t)
	status, m := e.token(sdGoodForm())
	if status != 200 || m["token_type"] != "Bearer" || m["expires_in"] != float64(3600) || m["scope"] != "WebAPI" || m["access_token"] == "" {
		t.Fatalf("good pair: %d %v", status, m)
	}
	bad := sdGoodForm()
	bad.Set("client_secret", "wrong")
	if status, m := e.token(bad); status != 400 || m["error"] != "invalid_client" {
		t.Fatalf("bad secret: %d %v", status, m)
	}
	// With the echo on, the error quotes the submitted form, secret included.
	e.sb.SmartDocumentor.EchoTokenForm(true)
	if status, m := e.token(bad); status != 400 || m["error"] != "invalid_client" || !strings.Contains(m["error_description"].(string), "client_secret=wrong") {
		t.Fatalf("bad secret, echoed: %d %v", status, m)
	}
	e.sb.SmartDocumentor.EchoTokenForm(false)
	bad = sdGoodForm()
	bad.Set("client_id", "nobody")
	if status, m := e.token(bad); status != 400 || m["error"] != "invalid_client" {
		t.Fatalf("bad id: %d %v", status, m)
	}
	bad = sdGoodForm()
	bad.Set("grant_type", "password")
	if status, m := e.token(bad); status != 400 || m["error"] != "unsupported_grant_type" {
		t.Fatalf("bad grant: %d %v", status, m)
	}
	bad = sdGoodForm()
	bad.Set("scope", "Other")
	if status, m := e.token(bad); status != 400 || m["error"] != "invalid_scope" {
		t.Fatalf("bad scope: %d %v", status, m)
	}
	if status, _ := e.do("POST", sdBase+"/connect/token", "", "application/json", `{"grant_type":"client_credentials"}`); status != 400 {
		t.Fatalf("json token request: %d", status)
	}
	// A token expires.
	e.sb.SmartDocumentor.SetTokenTTL(50 * time.Millisecond)
	tok := e.issued()
	if status, _ := e.do("GET", sdAPIPath+"/tenant/availableroles", tok, "", ""); status != 200 {
		t.Fatalf("fresh token rejected: %d", status)
	}
	time.Sleep(80 * time.Millisecond)
	if status, _ := e.do("GET", sdAPIPath+"/tenant/availableroles", tok, "", ""); status != 401 {
		t.Fatalf("expired token accepted: %d", status)
	}
}

func TestSmartDocumentorAuthRequired(t *testing.T) {
	e := newSDEnv(t)
	routes := [][2]string{
		{"GET", "/tenant/availableroles"}, {"GET", "/tenant/allusers"}, {"POST", "/tenant/inviteusers"},
		{"GET", "/sdworkspace/CurrentWorkspaces"}, {"GET", "/sdworkspace/allusers/1"}, {"POST", "/sdworkspace/inviteusers"},
	}
	tok := e.issued()
	for _, r := range routes {
		for _, bad := range []string{"", "not-a-token"} {
			status, body := e.do(r[0], sdAPIPath+r[1], bad, "application/json", `{"workspaceId":1,"users":[{"email":"x@example.com","roleName":"Viewer"}]}`)
			if status != 401 {
				t.Fatalf("%s %s with token %q: %d %s", r[0], r[1], bad, status, body)
			}
			sdProblemDetail(t, body)
		}
		if r[0] == "GET" {
			for _, good := range []string{tok, sandbox.SmartDocumentorAccessToken} {
				if status, body := e.do(r[0], sdAPIPath+r[1], good, "", ""); status != 200 {
					t.Fatalf("%s %s with a good token: %d %s", r[0], r[1], status, body)
				}
			}
		}
	}
	e.sb.SmartDocumentor.ExpireTokens()
	if status, _ := e.do("GET", sdAPIPath+"/tenant/availableroles", tok, "", ""); status != 401 {
		t.Fatalf("revoked token accepted: %d", status)
	}
	if n := e.sb.Count("smartdocumentor", "POST /api/v1.0/external/sdworkspace/inviteusers"); n != 2 {
		t.Fatalf("invite route count = %d, want 2", n)
	}
	if len(e.members("1")) != 2 {
		t.Fatal("a rejected request changed the workspace")
	}
}

func TestSmartDocumentorReads(t *testing.T) {
	e := newSDEnv(t)
	tok := sandbox.SmartDocumentorAccessToken
	_, body := e.do("GET", sdAPIPath+"/tenant/availableroles", tok, "", "")
	if strings.TrimSpace(body) != `[{"name":"Administrator"},{"name":"Manager"},{"name":"Creator"},{"name":"Reviewer"},{"name":"Viewer"}]` {
		t.Fatalf("roles: %s", body)
	}
	_, body = e.do("GET", sdAPIPath+"/sdworkspace/CurrentWorkspaces", tok, "", "")
	var ws []map[string]any
	json.Unmarshal([]byte(body), &ws)
	if len(ws) != 2 || ws[0]["workspaceId"] != float64(1) || ws[0]["isDefault"] != true || ws[1]["workspaceName"] != "Engineering" || ws[0]["tenantId"] != float64(1) {
		t.Fatalf("workspaces: %s", body)
	}
	_, body = e.do("GET", sdAPIPath+"/sdworkspace/allusers/1", tok, "", "")
	var users []map[string]any
	json.Unmarshal([]byte(body), &users)
	if len(users) != 2 {
		t.Fatalf("allusers/1: %s", body)
	}
	for _, k := range []string{"id", "roleName", "name", "userName", "email", "createdAt", "emailConfirmed", "status"} {
		if _, ok := users[0][k]; !ok {
			t.Fatalf("allusers entry lacks %q: %s", k, body)
		}
	}
	if users[0]["status"] != "Active" || users[0]["roleName"] != "Administrator" {
		t.Fatalf("seed user: %v", users[0])
	}
	if got := e.members("2"); len(got) != 1 || got[0].RoleName != "Creator" {
		t.Fatalf("allusers/2: %+v", got)
	}
	status, body := e.do("GET", sdAPIPath+"/sdworkspace/allusers/99", tok, "", "")
	if s, d := sdProblemDetail(t, body); status != 404 || s != 404 || !strings.Contains(d, "99") {
		t.Fatalf("unknown workspace: %d %s", status, body)
	}
	status, body = e.do("GET", sdAPIPath+"/sdworkspace/allusers/abc", tok, "", "")
	if status != 400 {
		t.Fatalf("bad workspace id: %d %s", status, body)
	}
	_, body = e.do("GET", sdAPIPath+"/tenant/allusers", tok, "", "")
	json.Unmarshal([]byte(body), &users)
	if len(users) != 2 {
		t.Fatalf("tenant allusers: %s", body)
	}
}

func TestSmartDocumentorWorkspaceInvite(t *testing.T) {
	e := newSDEnv(t)
	tok := e.issued()
	status, body := e.invite(tok, `{"workspaceId":2,"users":[{"email":"Jane.Doe@example.com","roleName":"Reviewer"},{"email":"owner@example.com","roleName":"Viewer"}]}`)
	if status != 200 || body != "" {
		t.Fatalf("invite: %d %q", status, body)
	}
	got := e.members("2")
	if len(got) != 3 {
		t.Fatalf("members after invite: %+v", got)
	}
	jane := got[1]
	if jane.Email != "Jane.Doe@example.com" || jane.RoleName != "Reviewer" || jane.Status != "Invited" || jane.EmailConfirmed || jane.ID == 0 || jane.CreatedAt == "" {
		t.Fatalf("invitee: %+v", jane)
	}
	// An existing tenant user keeps their status and id.
	if got[2].Status != "Active" || got[2].ID != 1 || got[2].RoleName != "Viewer" {
		t.Fatalf("existing user invited: %+v", got[2])
	}
	// Out-of-band helpers.
	if !e.sb.SmartDocumentor.ConfirmUser("jane.doe@EXAMPLE.com") {
		t.Fatal("confirm")
	}
	if m, _ := e.sb.SmartDocumentor.Member(2, "jane.doe@example.com"); m.Status != "Active" || !m.EmailConfirmed {
		t.Fatalf("after confirm: %+v", m)
	}
	if !e.sb.SmartDocumentor.SetRole(2, "JANE.DOE@example.com", "Manager") {
		t.Fatal("set role")
	}
	if m, _ := e.sb.SmartDocumentor.Member(2, "jane.doe@example.com"); m.RoleName != "Manager" {
		t.Fatalf("after set role: %+v", m)
	}
	if !e.sb.SmartDocumentor.RemoveUser(2, "jane.doe@example.com") || e.sb.SmartDocumentor.RemoveUser(2, "jane.doe@example.com") {
		t.Fatal("remove")
	}
	if _, ok := e.sb.SmartDocumentor.Member(2, "jane.doe@example.com"); ok {
		t.Fatal("still a member after remove")
	}
}

func TestSmartDocumentorWorkspaceInviteErrors(t *testing.T) {
	e := newSDEnv(t)
	tok := sandbox.SmartDocumentorAccessToken
	cases := []struct {
		name, body string
		status     int
		detail     string
	}{
		{"duplicate emails", `{"workspaceId":1,"users":[{"email":"a@example.com","roleName":"Viewer"},{"email":"A@Example.com","roleName":"Viewer"}]}`, 400, "Duplicate email address 'A@Example.com'"},
		{"already a member", `{"workspaceId":1,"users":[{"email":"new@example.com","roleName":"Viewer"},{"email":"OWNER@example.com","roleName":"Viewer"}]}`, 400, "'OWNER@example.com' already belongs to the workspace"},
		{"bad email", `{"workspaceId":1,"users":[{"email":"not-an-email","roleName":"Viewer"}]}`, 400, "The email address 'not-an-email' is not valid."},
		{"unknown role", `{"workspaceId":1,"users":[{"email":"b@example.com","roleName":"Boss"}]}`, 400, "The role 'Boss' given for 'b@example.com' does not exist"},
		{"missing role", `{"workspaceId":1,"users":[{"email":"b@example.com"}]}`, 400, "roleName is required"},
		{"empty users", `{"workspaceId":1,"users":[]}`, 400, "at least one user"},
		{"no workspace", `{"users":[{"email":"b@example.com","roleName":"Viewer"}]}`, 400, "workspaceId"},
		{"unknown workspace", `{"workspaceId":42,"users":[{"email":"b@example.com","roleName":"Viewer"}]}`, 404, "Workspace 42 was not found."},
		{"unknown field", `{"workspaceId":1,"users":[{"email":"b@example.com","roleName":"Viewer","role":"x"}]}`, 400, "unknown field"},
		{"wrong type", `{"workspaceId":"1","users":[]}`, 400, "does not match"},
		{"not json", `workspaceId=1`, 400, "does not match"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body := e.invite(tok, c.body)
			s, d := sdProblemDetail(t, body)
			if status != c.status || s != c.status || !strings.Contains(d, c.detail) {
				t.Fatalf("got %d %s, want %d with %q", status, body, c.status, c.detail)
			}
		})
	}
	// All or nothing: nothing of the failed requests was invited.
	if got := e.members("1"); len(got) != 2 {
		t.Fatalf("failed requests changed workspace 1: %+v", got)
	}
}

func TestSmartDocumentorTenantInvite(t *testing.T) {
	e := newSDEnv(t)
	tok := sandbox.SmartDocumentorAccessToken
	status, body := e.do("POST", sdAPIPath+"/tenant/inviteusers", tok, "application/json", `{"users":[{"email":"t@example.com","roleName":"Creator"}]}`)
	if status != 200 || body != "" {
		t.Fatalf("tenant invite: %d %s", status, body)
	}
	_, body = e.do("GET", sdAPIPath+"/tenant/allusers", tok, "", "")
	var users []sandbox.SmartDocumentorUser
	json.Unmarshal([]byte(body), &users)
	if len(users) != 3 || users[2].Email != "t@example.com" || users[2].RoleName != "Creator" || users[2].Status != "Invited" {
		t.Fatalf("tenant users: %s", body)
	}
	status, body = e.do("POST", sdAPIPath+"/tenant/inviteusers", tok, "application/json", `{"users":[{"email":"T@example.com","roleName":"Creator"}]}`)
	if _, d := sdProblemDetail(t, body); status != 400 || !strings.Contains(d, "already belongs to the tenant") {
		t.Fatalf("tenant re-invite: %d %s", status, body)
	}
	status, body = e.do("POST", sdAPIPath+"/tenant/inviteusers", tok, "application/json", `{"workspaceId":1,"users":[{"email":"u@example.com","roleName":"Creator"}]}`)
	if status != 400 {
		t.Fatalf("tenant invite with workspaceId: %d %s", status, body)
	}
	status, body = e.do("POST", sdAPIPath+"/tenant/inviteusers", tok, "application/json", `{"users":[{"email":"u@example.com","roleName":"Nope"}]}`)
	if _, d := sdProblemDetail(t, body); status != 400 || !strings.Contains(d, "Available roles: Administrator, Manager, Creator, Reviewer, Viewer") {
		t.Fatalf("tenant invite bad role: %d %s", status, body)
	}
	// A tenant invitee is in no workspace yet.
	if len(e.members("1")) != 2 {
		t.Fatal("tenant invite added a workspace member")
	}
}

func TestSmartDocumentorAdminRoutes(t *testing.T) {
	e := newSDEnv(t)
	if status, _ := e.do("PUT", "/_admin/smartdocumentor/workspaces/1/users/martin.manager@example.com", "", "application/json", `{"roleName":"Viewer"}`); status != 204 {
		t.Fatalf("admin set role: %d", status)
	}
	if m, _ := e.sb.SmartDocumentor.Member(1, "martin.manager@example.com"); m.RoleName != "Viewer" {
		t.Fatalf("after admin set role: %+v", m)
	}
	if status, _ := e.do("DELETE", "/_admin/smartdocumentor/workspaces/1/users/martin.manager@example.com", "", "", ""); status != 204 {
		t.Fatalf("admin delete: %d", status)
	}
	if status, _ := e.do("DELETE", "/_admin/smartdocumentor/workspaces/1/users/martin.manager@example.com", "", "", ""); status != 404 {
		t.Fatalf("admin delete twice: %d", status)
	}
	e.invite(sandbox.SmartDocumentorAccessToken, `{"workspaceId":1,"users":[{"email":"c@example.com","roleName":"Viewer"}]}`)
	if status, _ := e.do("POST", "/_admin/smartdocumentor/users/c@example.com/confirm", "", "", ""); status != 204 {
		t.Fatalf("admin confirm: %d", status)
	}
	status, body := e.do("GET", "/_admin/smartdocumentor/workspaces/1/users", "", "", "")
	if status != 200 || !strings.Contains(body, `"email":"c@example.com"`) || !strings.Contains(body, `"status":"Active"`) {
		t.Fatalf("admin list: %d %s", status, body)
	}
	// Admin routes are not logged as API requests.
	if n := e.sb.Count("smartdocumentor", ""); n != 1 {
		t.Fatalf("logged %d requests, want 1 (the invite)", n)
	}
	e.sb.Reset()
	if len(e.members("1")) != 2 {
		t.Fatal("reset did not restore the seed")
	}
}
