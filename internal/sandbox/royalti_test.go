package sandbox_test

import (
	"bytes"
	"encoding/json"
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
	st, body := c.json("POST", "/auth/invite?workspaceId="+sandbox.RoyaltiWorkspaceID,
		`{"email":"Jane@Example.com","sendEmail":false,"message":"hi","firstName":"Jane","lastName":"Doe","redirect_url":"https://app.example.com/welcome","role":"admin"}`)
	wantStatus(t, "invite", st, http.StatusCreated, body)
	if body["message"] == "" {
		t.Fatalf("invite answer has no message: %v", body)
	}
	st, body = c.json("GET", "/user/?q=jane@example.com&page=1&size=100", "")
	wantStatus(t, "search", st, http.StatusOK, body)
	users := body["Users"].([]any)
	if len(users) != 1 || body["count"].(float64) != 1 || body["totalUsers"].(float64) != 3 {
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
	if inv["status"] != "invited" || inv["id"] == "" || inv["date"] == "" {
		t.Fatalf("invite: %v", inv)
	}
	// invites listing, filtered.
	st, body = c.json("GET", "/user/invites?status=invited", "")
	wantStatus(t, "invites", st, http.StatusOK, body)
	invs := body["invites"].([]any)
	if len(invs) != 1 || body["totalItems"].(float64) != 1 || body["totalPages"].(float64) != 1 || body["currentPage"].(float64) != 1 {
		t.Fatalf("invites: %v", body)
	}
	i0 := invs[0].(map[string]any)
	if i0["TenantUserId"] != id || i0["TenantUser"].(map[string]any)["User"].(map[string]any)["email"] != "Jane@Example.com" {
		t.Fatalf("invite entry: %v", i0)
	}
	st, body = c.json("GET", "/user/invites?status=joined", "")
	wantStatus(t, "invites joined", st, http.StatusOK, body)
	if len(body["invites"].([]any)) != 1 {
		t.Fatalf("joined invites: %v", body)
	}
	// resend
	st, body = c.json("POST", "/user/invites/"+inv["id"].(string)+"/resend", `{"redirectUrl":"https://app.example.com/x"}`)
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
}

func TestRoyaltiInviteErrors(t *testing.T) {
	c := newRT(t)
	cases := []struct {
		name, query, body string
		status            int
		msg               string
	}{
		{"missing email", "", `{"role":"user"}`, 400, "missing fields"},
		{"empty email", "", `{"email":""}`, 400, "missing fields"},
		{"bad email", "", `{"email":"not-an-email"}`, 400, "valid email"},
		{"bad role", "", `{"email":"a@example.com","role":"owner"}`, 400, "role must be one of user, admin"},
		{"unknown field", "", `{"email":"a@example.com","redirectUrl":"https://x.example"}`, 400, "shape"},
		{"bad redirect", "", `{"email":"a@example.com","redirect_url":"nope"}`, 400, "redirect_url"},
		{"unknown workspace", "?workspaceId=other", `{"email":"a@example.com"}`, 404, "Workspace not found"},
		{"unknown query", "?workspace_id=x", `{"email":"a@example.com"}`, 400, "unknown query"},
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
	seen := map[string]bool{}
	for page := 1; page <= 3; page++ {
		st, body := c.json("GET", "/user/?page="+string(rune('0'+page))+"&size=10", "")
		wantStatus(t, "page", st, 200, body)
		for _, u := range body["Users"].([]any) {
			seen[u.(map[string]any)["id"].(string)] = true
		}
		if body["count"].(float64) != 25 || body["totalUsers"].(float64) != 25 {
			t.Fatalf("counts: %v", body)
		}
	}
	if len(seen) != 25 {
		t.Fatalf("pages gave %d distinct users, want 25", len(seen))
	}
	st, body := c.json("GET", "/user/?role=admin&size=100", "")
	wantStatus(t, "role filter", st, 200, body)
	if n := len(body["Users"].([]any)); n != 5 {
		t.Fatalf("admins: %d", n)
	}
	st, body = c.json("GET", "/user/?page=4&size=10", "")
	wantStatus(t, "past the end", st, 200, body)
	if n := len(body["Users"].([]any)); n != 0 {
		t.Fatalf("past the end: %d users", n)
	}
	for _, q := range []string{"page=0", "size=101", "size=x", "role=superuser", "foo=bar"} {
		st, body = c.json("GET", "/user/?"+q, "")
		wantStatus(t, q, st, 400, body)
	}
	st, body = c.json("GET", "/user/invites?size=10&page=3", "")
	wantStatus(t, "invites page 3", st, 200, body)
	if body["totalPages"].(float64) != 3 || body["totalItems"].(float64) != 24 || len(body["invites"].([]any)) != 4 {
		t.Fatalf("invites page 3: %v", body)
	}
	st, body = c.json("GET", "/user/invites?status=pending", "")
	wantStatus(t, "bad status", st, 400, body)
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
	wantStatus(t, "patch unknown field", st, 400, body)
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
