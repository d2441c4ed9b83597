package sandbox_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
)

type rtClient struct {
	t   *testing.T
	srv *httptest.Server
	sb  *sandbox.Sandbox
}

func newRT(t *testing.T) *rtClient {
	sb := sandbox.New()
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	return &rtClient{t: t, srv: srv, sb: sb}
}

func (c *rtClient) do(method, path, contentType string, body []byte, token string) (int, map[string]any) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.srv.URL+sandbox.PrefixRoyalti+path, bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(data) > 0 {
		if err := json.Unmarshal(data, &out); err != nil {
			c.t.Fatalf("%s %s: body is not a JSON object: %s", method, path, data)
		}
	}
	return resp.StatusCode, out
}

func (c *rtClient) json(method, path, body string) (int, map[string]any) {
	c.t.Helper()
	ct := ""
	if body != "" {
		ct = "application/json"
	}
	return c.do(method, path, ct, []byte(body), sandbox.RoyaltiToken)
}

func (c *rtClient) form(method, path string, fields map[string]string) (int, map[string]any) {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	mw.Close()
	return c.do(method, path, mw.FormDataContentType(), buf.Bytes(), sandbox.RoyaltiToken)
}

func wantStatus(t *testing.T, what string, got, want int, body map[string]any) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: got HTTP %d, want %d; body %v", what, got, want, body)
	}
}

func TestRoyaltiAuthRejected(t *testing.T) {
	c := newRT(t)
	for _, tok := range []string{"", "RWAK_wrong"} {
		for _, r := range [][2]string{{"GET", "/user/"}, {"GET", "/user/invites"}, {"GET", "/user/" + sandbox.RoyaltiMemberID}, {"POST", "/auth/invite"}, {"DELETE", "/user/" + sandbox.RoyaltiMemberID}} {
			st, body := c.do(r[0], r[1], "application/json", []byte(`{"email":"a@example.com"}`), tok)
			wantStatus(t, r[0]+" "+r[1]+" token "+tok, st, http.StatusUnauthorized, body)
		}
	}
	if _, ok := c.sb.Royalti.User(sandbox.RoyaltiMemberID); !ok {
		t.Fatal("member deleted without a valid token")
	}
}

func TestRoyaltiInviteAndRead(t *testing.T) {
	c := newRT(t)
	c.sb.Royalti.SetOptions(sandbox.RoyaltiOptions{LegacyInvite: true})
	st, body := c.json("POST", "/auth/invite?workspaceId="+sandbox.RoyaltiWorkspaceID,
		`{"email":"Jane@Example.com","sendEmail":false,"message":"hi","firstName":"Jane","lastName":"Doe","redirect_url":"https://app.example.com/welcome","role":"admin"}`)
	wantStatus(t, "invite", st, http.StatusCreated, body)
	if body["message"] == "" {
		t.Fatalf("invite answer has no message: %v", body)
	}
	st, body = c.json("GET", "/user/?q=jane@example.com&page=1&size=100", "")
	wantStatus(t, "search", st, http.StatusOK, body)
	users := body["Users"].([]any)
	// count is the users in the page, totalUsers those matching the search.
	if len(users) != 1 || body["count"].(float64) != 1 || body["totalUsers"].(float64) != 1 {
		t.Fatalf("search: %v", body)
	}
	u := users[0].(map[string]any)
	if u["email"] != "Jane@Example.com" || u["role"] != "admin" || u["firstName"] != "Jane" {
		t.Fatalf("user: %v", u)
	}
	if _, has := u["invite"]; has {
		t.Fatalf("the listing carries no invite: %v", u)
	}
	id := u["id"].(string)
	st, body = c.json("GET", "/user/"+id, "")
	wantStatus(t, "get", st, http.StatusOK, body)
	inv := body["invite"].(map[string]any)
	if inv["status"] != "invited" || inv["id"] == "" || inv["meta"].(map[string]any)["date"] == "" {
		t.Fatalf("invite: %v", inv)
	}
	if _, has := inv["date"]; has {
		t.Fatalf("the invite's date is under meta, not at the top: %v", inv)
	}
	// invites listing, filtered.
	st, body = c.json("GET", "/user/invites?status=invited", "")
	wantStatus(t, "invites", st, http.StatusOK, body)
	invs := body["invites"].([]any)
	if len(invs) != 1 || body["filteredItems"].(float64) != 1 || body["totalItems"].(float64) != 2 || body["totalPages"].(float64) != 1 || body["currentPage"].(float64) != 1 {
		t.Fatalf("invites: %v", body)
	}
	i0 := invs[0].(map[string]any)
	if i0["TenantUserId"] != id || i0["TenantUser"].(map[string]any)["User"].(map[string]any)["email"] != "Jane@Example.com" ||
		i0["meta"].(map[string]any)["date"] == nil || i0["meta"].(map[string]any)["message"] != "hi" {
		t.Fatalf("invite entry: %v", i0)
	}
	if _, has := i0["date"]; has {
		t.Fatalf("the invite's date is under meta, not at the top: %v", i0)
	}
	st, body = c.json("GET", "/user/invites?status=joined", "")
	wantStatus(t, "invites joined", st, http.StatusOK, body)
	if len(body["invites"].([]any)) != 1 {
		t.Fatalf("joined invites: %v", body)
	}
	// resend
	st, body = c.json("POST", "/user/invites/"+inv["id"].(string)+"/resend", `{"message":"Reminder","redirectUrl":"https://app.example.com/x"}`)
	wantStatus(t, "resend", st, http.StatusOK, body)
	st, body = c.json("POST", "/user/invites/nope/resend", `{}`)
	wantStatus(t, "resend unknown", st, http.StatusNotFound, body)
	c.sb.Royalti.SetInviteStatus(id, "joined")
	st, body = c.json("POST", "/user/invites/"+inv["id"].(string)+"/resend", `{}`)
	wantStatus(t, "resend joined", st, http.StatusBadRequest, body)
	// duplicate
	st, body = c.json("POST", "/auth/invite", `{"email":"jane@example.com"}`)
	wantStatus(t, "duplicate", st, http.StatusBadRequest, body)
	if !strings.Contains(body["message"].(string), "already exists") {
		t.Fatalf("duplicate message: %v", body)
	}
	// re-invite after cancel
	c.sb.Royalti.SetInviteStatus(id, "cancelled")
	st, body = c.json("POST", "/auth/invite", `{"email":"jane@example.com","role":"user"}`)
	wantStatus(t, "re-invite", st, http.StatusCreated, body)
	if u, _ := c.sb.Royalti.User(id); u.Invite.Status != "invited" || u.Role != "user" {
		t.Fatalf("re-invited user: %+v %+v", u, u.Invite)
	}
	if unk := c.sb.Royalti.Unknown(); len(unk) != 0 {
		t.Fatalf("documented parameters recorded as unknown: %v", unk)
	}
}

// The current invite page documents {email, sendEmail, message,
// redirectUrl}: role and names are ignored (and recorded as unknown).
func TestRoyaltiInviteCurrentPage(t *testing.T) {
	c := newRT(t)
	st, body := c.json("POST", "/auth/invite?userId=x",
		`{"email":"cur@example.com","message":"hi","firstName":"Cur","lastName":"Rent","role":"admin","redirectUrl":"https://app.example.com/a"}`)
	wantStatus(t, "invite", st, http.StatusCreated, body)
	u, ok := c.sb.Royalti.User("cur@example.com")
	if !ok || u.Role != "user" || u.FirstName != "" || u.LastName != "" || u.Invite.RedirectURL != "https://app.example.com/a" || u.Invite.Message != "hi" {
		t.Fatalf("invited user: %+v %+v", u, u.Invite)
	}
	want := "POST /auth/invite body firstName,POST /auth/invite body lastName,POST /auth/invite body role"
	if got := strings.Join(c.sb.Royalti.Unknown(), ","); got != want {
		t.Fatalf("unknown fields %q, want %q", got, want)
	}
}

func TestRoyaltiInviteErrors(t *testing.T) {
	c := newRT(t)
	c.sb.Royalti.SetOptions(sandbox.RoyaltiOptions{LegacyInvite: true})
	cases := []struct {
		name, query, body string
		status            int
		msg               string
	}{
		{"missing email", "", `{"role":"user"}`, 400, "missing fields"},
		{"empty email", "", `{"email":""}`, 400, "missing fields"},
		{"bad email", "", `{"email":"not-an-email"}`, 400, "valid email"},
		{"bad role", "", `{"email":"a@example.com","role":"owner"}`, 400, "role must be one of user, admin"},
		{"bad redirect", "", `{"email":"a@example.com","redirect_url":"nope"}`, 400, "redirect url"},
		{"unknown workspace", "?workspaceId=other", `{"email":"a@example.com"}`, 404, "Workspace not found"},
		{"not json", "", `email=a@example.com`, 400, ""},
	}
	for _, tc := range cases {
		st, body := c.json("POST", "/auth/invite"+tc.query, tc.body)
		wantStatus(t, tc.name, st, tc.status, body)
		if msg, _ := body["message"].(string); !strings.Contains(msg, tc.msg) {
			t.Errorf("%s: message %q does not contain %q", tc.name, msg, tc.msg)
		}
	}
	st, body := c.do("POST", "/auth/invite", "text/plain", []byte(`{"email":"a@example.com"}`), sandbox.RoyaltiToken)
	wantStatus(t, "content type", st, 400, body)
	if len(c.sb.Royalti.Users()) != 2 {
		t.Fatalf("a rejected invite created a user")
	}
	// EnvelopeErrors: the same refusal, in a 200.
	c.sb.Royalti.SetOptions(sandbox.RoyaltiOptions{EnvelopeErrors: true})
	st, body = c.json("POST", "/auth/invite", `{"email":"`+sandbox.RoyaltiMemberEmail+`"}`)
	wantStatus(t, "duplicate in a 200", st, 200, body)
	if msg, _ := body["message"].(string); !strings.Contains(msg, "already exists") {
		t.Fatalf("envelope: %v", body)
	}
	st, body = c.json("GET", "/user/0a1b2c3d-0000-4000-8000-00000000ffff", "")
	wantStatus(t, "unknown user in a 200", st, 200, body)
	if _, has := body["id"]; has || body["message"] != "User not found" {
		t.Fatalf("envelope: %v", body)
	}
}

func TestRoyaltiListPaginationAndFilters(t *testing.T) {
	c := newRT(t)
	for i := 0; i < 23; i++ {
		role := "user"
		if i%5 == 0 {
			role = "admin"
		}
		c.sb.Royalti.AddUser("p"+string(rune('a'+i))+"@example.com", role, "", "", "invited")
	}
	// the default page size is 10; count is the page's, totalUsers the total
	st, body := c.json("GET", "/user/", "")
	wantStatus(t, "default page", st, 200, body)
	if len(body["Users"].([]any)) != 10 || body["count"].(float64) != 10 || body["totalUsers"].(float64) != 25 {
		t.Fatalf("default page: count %v totalUsers %v, %d users", body["count"], body["totalUsers"], len(body["Users"].([]any)))
	}
	// default order: newest first
	if first := body["Users"].([]any)[0].(map[string]any)["email"]; first != "pw@example.com" {
		t.Fatalf("default order starts with %v, want the newest", first)
	}
	seen := map[string]bool{}
	var order []string
	for page := 1; page <= 3; page++ {
		st, body := c.json("GET", "/user/?sort=createdAt&order=asc&page="+string(rune('0'+page))+"&size=10", "")
		wantStatus(t, "page", st, 200, body)
		for _, u := range body["Users"].([]any) {
			seen[u.(map[string]any)["id"].(string)] = true
			order = append(order, u.(map[string]any)["email"].(string))
		}
		want := []float64{10, 10, 5}[page-1]
		if body["count"].(float64) != want || body["totalUsers"].(float64) != 25 {
			t.Fatalf("page %d counts: count %v totalUsers %v", page, body["count"], body["totalUsers"])
		}
	}
	if len(seen) != 25 || order[0] != sandbox.RoyaltiOwnerEmail {
		t.Fatalf("pages gave %d distinct users starting with %s, want 25 from the owner", len(seen), order[0])
	}
	st, body = c.json("GET", "/user/?role=admin&size=100", "")
	wantStatus(t, "role filter", st, 200, body)
	if n := len(body["Users"].([]any)); n != 5 || body["totalUsers"].(float64) != 5 {
		t.Fatalf("admins: %d, totalUsers %v", n, body["totalUsers"])
	}
	st, body = c.json("GET", "/user/?role=admin,owner&size=1000", "")
	wantStatus(t, "roles filter", st, 200, body)
	if n := len(body["Users"].([]any)); n != 6 {
		t.Fatalf("admins and owner: %d", n)
	}
	st, body = c.json("GET", "/user/?page=4&size=10", "")
	wantStatus(t, "past the end", st, 200, body)
	if n := len(body["Users"].([]any)); n != 0 || body["count"].(float64) != 0 {
		t.Fatalf("past the end: %d users", n)
	}
	for _, q := range []string{"page=0", "size=x", "role=superuser", "sort=email", "order=up"} {
		st, body = c.json("GET", "/user/?"+q, "")
		wantStatus(t, q, st, 400, body)
	}
	// an undocumented parameter is ignored, and recorded
	st, body = c.json("GET", "/user/?status=joined&size=5", "")
	wantStatus(t, "unknown parameter", st, 200, body)
	if len(body["Users"].([]any)) != 5 || strings.Join(c.sb.Royalti.Unknown(), ",") != "GET /user/{$} query status" {
		t.Fatalf("unknown parameter: %d users, recorded %v", len(body["Users"].([]any)), c.sb.Royalti.Unknown())
	}
	st, body = c.json("GET", "/user/invites?size=10&page=3", "")
	wantStatus(t, "invites page 3", st, 200, body)
	if body["totalPages"].(float64) != 3 || body["totalItems"].(float64) != 24 || len(body["invites"].([]any)) != 4 {
		t.Fatalf("invites page 3: %v", body)
	}
	st, body = c.json("GET", "/user/invites?page=3", "")
	wantStatus(t, "invites without size", st, 200, body)
	if len(body["invites"].([]any)) != 24 {
		t.Fatalf("page without size: %d invites, want all 24", len(body["invites"].([]any)))
	}
	st, body = c.json("GET", "/user/invites?status=pending", "")
	wantStatus(t, "bad status", st, 400, body)
}

// Hostile paging: a server that repeats page 1, that reports wrong
// totals, or that caps the page size.
func TestRoyaltiHostilePaging(t *testing.T) {
	c := newRT(t)
	for i := 0; i < 30; i++ {
		c.sb.Royalti.AddUser(fmt.Sprintf("h%02d@example.com", i), "user", "", "", "invited")
	}
	c.sb.Royalti.SetOptions(sandbox.RoyaltiOptions{IgnorePaging: true})
	_, p1 := c.json("GET", "/user/?size=10&page=1&sort=createdAt&order=asc", "")
	_, p2 := c.json("GET", "/user/?size=10&page=2&sort=createdAt&order=asc", "")
	if fmt.Sprint(p1["Users"]) != fmt.Sprint(p2["Users"]) {
		t.Fatal("IgnorePaging: page 2 differs from page 1")
	}
	c.sb.Royalti.SetOptions(sandbox.RoyaltiOptions{TotalSkew: -20})
	_, body := c.json("GET", "/user/?size=100", "")
	if len(body["Users"].([]any)) != 32 || body["totalUsers"].(float64) != 12 {
		t.Fatalf("TotalSkew: %d users, totalUsers %v", len(body["Users"].([]any)), body["totalUsers"])
	}
	c.sb.Royalti.SetOptions(sandbox.RoyaltiOptions{MaxPageSize: 7})
	_, body = c.json("GET", "/user/?size=100", "")
	if len(body["Users"].([]any)) != 7 || body["count"].(float64) != 7 || body["totalUsers"].(float64) != 32 {
		t.Fatalf("MaxPageSize: %d users, count %v", len(body["Users"].([]any)), body["count"])
	}
}

func TestRoyaltiPatchDelete(t *testing.T) {
	c := newRT(t)
	id := sandbox.RoyaltiMemberID
	st, body := c.form("PATCH", "/user/"+id, map[string]string{"firstName": "Ann", "lastName": "Lee", "role": "admin"})
	wantStatus(t, "patch", st, 200, body)
	u, _ := c.sb.Royalti.User(id)
	if u.FirstName != "Ann" || u.LastName != "Lee" || u.Role != "admin" {
		t.Fatalf("patched: %+v", u)
	}
	st, body = c.form("PATCH", "/user/"+id, map[string]string{"role": "owner"})
	wantStatus(t, "patch bad role", st, 400, body)
	st, body = c.form("PATCH", "/user/"+id, map[string]string{"email": "x@example.com"})
	wantStatus(t, "patch unknown field (ignored)", st, 200, body)
	if u, _ := c.sb.Royalti.User(id); u.Email != sandbox.RoyaltiMemberEmail {
		t.Fatalf("an undocumented field changed the user: %+v", u)
	}
	st, body = c.json("PATCH", "/user/"+id, `{"role":"user"}`)
	wantStatus(t, "patch json", st, 400, body)
	st, body = c.form("PATCH", "/user/"+sandbox.RoyaltiOwnerID, map[string]string{"role": "user"})
	wantStatus(t, "patch owner", st, 400, body)
	st, body = c.form("PATCH", "/user/nope", map[string]string{"role": "user"})
	wantStatus(t, "patch unknown", st, 404, body)

	st, body = c.json("DELETE", "/user/"+sandbox.RoyaltiOwnerID, "")
	wantStatus(t, "delete owner", st, 400, body)
	st, body = c.json("DELETE", "/user/"+id, "")
	wantStatus(t, "delete", st, 200, body)
	st, body = c.json("DELETE", "/user/"+id, "")
	wantStatus(t, "delete again", st, 404, body)
	st, body = c.json("GET", "/user/"+id, "")
	wantStatus(t, "get deleted", st, 404, body)
	if body["message"] != "User not found" {
		t.Fatalf("404 message: %v", body)
	}
}

func TestRoyaltiAdminRoutes(t *testing.T) {
	c := newRT(t)
	post := func(path, body string) int {
		resp, err := http.Post(c.srv.URL+"/_admin/royalti"+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if st := post("/users/"+sandbox.RoyaltiMemberEmail+"/role", `{"role":"admin"}`); st != 204 {
		t.Fatalf("role: %d", st)
	}
	if st := post("/users/"+sandbox.RoyaltiMemberEmail+"/name", `{"firstName":"A","lastName":"B"}`); st != 204 {
		t.Fatalf("name: %d", st)
	}
	if st := post("/users/"+sandbox.RoyaltiMemberID+"/invite-status", `{"status":"cancelled"}`); st != 204 {
		t.Fatalf("status: %d", st)
	}
	if st := post("/users/nobody@example.com/role", `{"role":"admin"}`); st != 404 {
		t.Fatalf("unknown: %d", st)
	}
	if st := post("/users", `{"email":"new@example.com","status":"invited"}`); st != 201 {
		t.Fatalf("add: %d", st)
	}
	u, _ := c.sb.Royalti.User(sandbox.RoyaltiMemberEmail)
	if u.Role != "admin" || u.FirstName != "A" || u.Invite.Status != "cancelled" {
		t.Fatalf("admin changes: %+v", u)
	}
	req, _ := http.NewRequest("DELETE", c.srv.URL+"/_admin/royalti/users/new@example.com", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 204 {
		t.Fatalf("admin delete: %v %v", resp, err)
	}
	resp.Body.Close()
	if _, ok := c.sb.Royalti.User("new@example.com"); ok {
		t.Fatal("not deleted")
	}
	if n := c.sb.Count("royalti", ""); n != 0 {
		t.Fatalf("admin routes were logged as API requests: %d", n)
	}
	c.sb.Reset()
	if len(c.sb.Royalti.Users()) != 2 {
		t.Fatal("reset did not reseed")
	}
}
