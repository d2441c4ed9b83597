package goldleaf

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workspace-membership/terraform-provider-membership/internal/sandbox"
	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

const (
	tokenRoute  = "POST " + tokenPath
	inviteRoute = "POST " + invitePath
)

func newTestClient(t *testing.T, cfg Config) (*Client, *sandbox.Sandbox) {
	t.Helper()
	sb := sandbox.New()
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	cfg.Endpoint = srv.URL + sandbox.PrefixGoldLeaf
	if cfg.AccessToken == "" && cfg.APIKey == "" {
		cfg.APIKey, cfg.APIKeyName = sandbox.GoldLeafAPIKey, sandbox.GoldLeafAPIKeyName
	}
	opts := shared.DefaultOptions()
	opts.MaxRetries = 0
	c, err := NewClient(cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c, sb
}

func strp(s string) *string { return &s }

func TestDecodeTokenShapes(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name, body string
		tok        string
		exp        time.Time
	}{
		{"envelope", `{"data":{"securityToken":"t1","expires":"2026-01-01T12:30:00Z"}}`, "t1", now.Add(30 * time.Minute)},
		{"flat", `{"securityToken":"t2","expires":"2026-01-01T12:45:00Z"}`, "t2", now.Add(45 * time.Minute)},
		{"seconds", `{"securityToken":"t3","expires":600}`, "t3", now.Add(10 * time.Minute)},
		{"epoch", `{"data":{"securityToken":"t4","expires":1767272400}}`, "t4", time.Unix(1767272400, 0)},
		{"no expiry", `{"data":{"securityToken":"t5"}}`, "t5", now.Add(time.Hour)},
		{"past expiry", `{"securityToken":"t6","expires":"2020-01-01T00:00:00Z"}`, "t6", now.Add(time.Hour)},
		{"garbage expiry", `{"securityToken":"t7","expires":"soon"}`, "t7", now.Add(time.Hour)},
	}
	for _, c := range cases {
		tok, exp, err := decodeToken([]byte(c.body), now)
		if err != nil || tok != c.tok || !exp.Equal(c.exp) {
			t.Errorf("%s: got %q %v %v, want %q %v", c.name, tok, exp, err, c.tok, c.exp)
		}
	}
	for _, bad := range []string{`{}`, `{"data":{}}`, `{"data":null}`, `[]`, `not json`, `{"securityToken":"  "}`} {
		if _, _, err := decodeToken([]byte(bad), now); err == nil {
			t.Errorf("decodeToken(%s) accepted", bad)
		}
	}
}

func FuzzDecodeToken(f *testing.F) {
	for _, s := range []string{
		`{"data":{"securityToken":"t1","expires":"2026-01-01T12:30:00Z"}}`,
		`{"securityToken":"t2","expires":600}`, `{"data":null}`, `{"expires":[1]}`, `x`,
	} {
		f.Add(s)
	}
	now := time.Now()
	f.Fuzz(func(t *testing.T, body string) {
		tok, exp, err := decodeToken([]byte(body), now)
		if err == nil && (strings.TrimSpace(tok) == "" || !exp.After(now)) {
			t.Fatalf("accepted %q with token %q expiring %v", body, tok, exp)
		}
	})
}

func TestRenewalTime(t *testing.T) {
	now := time.Now()
	if got := renewalTime(now, now.Add(time.Hour)); !got.Equal(now.Add(59 * time.Minute)) {
		t.Errorf("one hour: renew at %v", got.Sub(now))
	}
	if got := renewalTime(now, now.Add(10*time.Second)); !got.Equal(now.Add(9 * time.Second)) {
		t.Errorf("ten seconds: renew at %v", got.Sub(now))
	}
}

func TestTokenFetchedOnceForManyInvites(t *testing.T) {
	c, sb := newTestClient(t, Config{})
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		if err := c.InviteBatched(ctx, Invitee{Email: "seq" + string(rune('a'+i)) + "@example.com"}); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if _, err := c.batchlessInvite(ctx, Invitee{Email: "par" + string(rune('a'+i)) + "@example.com"}); err != nil {
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	if n := sb.Count("goldleaf", tokenRoute); n != 1 {
		t.Fatalf("%d token requests for %d invite requests, want 1", n, sb.Count("goldleaf", inviteRoute))
	}
	if n := sb.Count("goldleaf", inviteRoute); n != 25 {
		t.Fatalf("%d invite requests, want 25", n)
	}
}

// batchlessInvite sends one request for one user, bypassing the batcher,
// so that concurrent requests all need the token at once.
func (c *Client) batchlessInvite(ctx context.Context, inv Invitee) ([]struct{}, error) {
	_, errs, err := c.inviteSplitting(ctx, "", []Invitee{inv})
	if err == nil {
		err = errs[0]
	}
	return nil, err
}

func TestTokenRenewedAfterExpiry(t *testing.T) {
	c, sb := newTestClient(t, Config{})
	sb.GoldLeaf.SetTokenTTL(200 * time.Millisecond)
	ctx := context.Background()
	if err := c.InviteBatched(ctx, Invitee{Email: "a@example.com"}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(250 * time.Millisecond) // the token has expired
	if err := c.InviteBatched(ctx, Invitee{Email: "b@example.com"}); err != nil {
		t.Fatal(err)
	}
	if n := sb.Count("goldleaf", tokenRoute); n != 2 {
		t.Fatalf("%d token requests, want 2", n)
	}
	for _, r := range sb.Requests("goldleaf") {
		if r.Status == http.StatusUnauthorized {
			t.Fatalf("the client used an expired token: %s %s got 401", r.Method, r.Path)
		}
	}
}

func TestTokenRenewedWithFakeClock(t *testing.T) {
	c, sb := newTestClient(t, Config{})
	now := time.Now()
	c.now = func() time.Time { return now }
	ctx := context.Background()
	for i, email := range []string{"a@example.com", "b@example.com"} {
		if err := c.InviteBatched(ctx, Invitee{Email: email}); err != nil {
			t.Fatal(err)
		}
		if n := sb.Count("goldleaf", tokenRoute); n != 1 {
			t.Fatalf("after invite %d: %d token requests, want 1", i+1, n)
		}
	}
	now = now.Add(59*time.Minute + time.Second) // within the last minute of the hour
	if err := c.InviteBatched(ctx, Invitee{Email: "c@example.com"}); err != nil {
		t.Fatal(err)
	}
	if n := sb.Count("goldleaf", tokenRoute); n != 2 {
		t.Fatalf("%d token requests, want 2 (renewed before expiry)", n)
	}
}

func TestRevokedTokenRenewedOnce(t *testing.T) {
	c, sb := newTestClient(t, Config{})
	ctx := context.Background()
	if err := c.InviteBatched(ctx, Invitee{Email: "a@example.com"}); err != nil {
		t.Fatal(err)
	}
	sb.GoldLeaf.RevokeTokens()
	if err := c.InviteBatched(ctx, Invitee{Email: "b@example.com"}); err != nil {
		t.Fatalf("after revocation: %v", err)
	}
	if n := sb.Count("goldleaf", tokenRoute); n != 2 {
		t.Fatalf("%d token requests, want 2", n)
	}
	if n := sb.Count("goldleaf", inviteRoute); n != 3 {
		t.Fatalf("%d invite requests, want 3 (one rejected, retried once)", n)
	}
}

func TestAuthErrors(t *testing.T) {
	ctx := context.Background()
	roKey, roName := sandbox.GoldLeafReadOnlyKey()
	cases := []struct {
		name string
		cfg  Config
		want []string
	}{
		{"wrong key", Config{APIKey: "glkey-wrong", APIKeyName: "terraform"}, []string{"HTTP 401", "Invalid API key", "admin API key", "api_key_name"}},
		{"non-admin key", Config{APIKey: roKey, APIKeyName: roName}, []string{"HTTP 403", "admin role", "requires an admin API key"}},
		{"bad access token", Config{AccessToken: "glst-expired"}, []string{"HTTP 401", "access_token was rejected", "admin API key"}},
	}
	for _, tc := range cases {
		c, sb := newTestClient(t, tc.cfg)
		err := c.InviteBatched(ctx, Invitee{Email: "a@example.com", Password: strp("Str0ng!pass")})
		if err == nil {
			t.Fatalf("%s: no error", tc.name)
		}
		// what the user sees: the error and what to do (its hint)
		detail := shared.ErrorDetail(err, Name)
		for _, w := range tc.want {
			if !strings.Contains(detail, w) {
				t.Errorf("%s: %q does not say %q", tc.name, detail, w)
			}
		}
		if strings.Contains(detail, "Str0ng!pass") || strings.Contains(detail, "glkey-wrong") {
			t.Errorf("%s: error leaks a secret: %q", tc.name, err)
		}
		var diags = shared.Hint(err, Name)
		if diags == "" {
			t.Errorf("%s: no hint", tc.name)
		}
		if len(sb.GoldLeaf.Invited()) != 0 {
			t.Errorf("%s: invited someone", tc.name)
		}
	}
}

func TestBatchSplitsOnBadMember(t *testing.T) {
	c, sb := newTestClient(t, Config{})
	ctx := context.Background()
	items := []Invitee{
		{Email: "a@example.com", Password: strp("Str0ng!pass")},
		{Email: "b@example.com"},
		{Email: sandbox.GoldLeafOwner},
		{Email: "c@example.com"},
		{Email: "d@example.com", Password: strp("weakweak")},
		{Email: "e@example.com"},
		{Email: "f@example.com"},
		{Email: "g@example.com"},
	}
	_, errs, err := c.inviteSplitting(ctx, "", items)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range errs {
		bad := i == 2 || i == 4
		if bad != (e != nil) {
			t.Errorf("item %d (%s): err %v", i, items[i].Email, e)
		}
		if bad && !strings.Contains(e.Error(), items[i].Email) {
			t.Errorf("item %d: error %q does not name %s", i, e, items[i].Email)
		}
		if e != nil && strings.Contains(e.Error(), "weakweak") {
			t.Errorf("error leaks the password: %q", e)
		}
	}
	if inv := sb.GoldLeaf.Invited(); len(inv) != 6 {
		t.Fatalf("invited %v, want the 6 good ones", inv)
	}
	// 1 + 2 halves + 4 quarters + the 2 bad singles and their 2 partners.
	if n := sb.Count("goldleaf", inviteRoute); n >= 2*len(items) {
		t.Fatalf("%d invite requests for %d members", n, len(items))
	}
}

func TestConcurrentInvitesAreBatched(t *testing.T) {
	c, sb := newTestClient(t, Config{})
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 10)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			email := "u" + string(rune('a'+i)) + "@example.com"
			if i == 3 {
				email = sandbox.GoldLeafOwner
			}
			errs[i] = c.InviteBatched(ctx, Invitee{Email: email})
		}(i)
	}
	wg.Wait()
	for i, e := range errs {
		if (i == 3) != (e != nil) {
			t.Errorf("invite %d: %v", i, e)
		}
	}
	if n := sb.Count("goldleaf", inviteRoute); n >= 10 {
		t.Fatalf("%d invite requests for 10 concurrent invites", n)
	}
}

func TestBatchTransportErrorFailsEveryMember(t *testing.T) {
	c, sb := newTestClient(t, Config{})
	sb.AddFault(sandbox.Fault{Platform: "goldleaf", Path: "/users/invite", Status: 500})
	_, errs, err := c.inviteSplitting(context.Background(), "", []Invitee{{Email: "a@example.com"}, {Email: "b@example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range errs {
		if shared.StatusOf(e) != 500 {
			t.Errorf("item %d: %v", i, e)
		}
	}
	if n := sb.Count("goldleaf", inviteRoute); n != 1 {
		t.Fatalf("%d requests, a 500 must not be split", n)
	}
}

func TestPasswordValidatorNeverEchoes(t *testing.T) {
	for _, pw := range []string{"Sh0rt!", "nouppercase1!", "NOLOWERCASE1!", "NoDigitsHere!", "NoSpecial123"} {
		resp := &validator.StringResponse{}
		passwordPolicy{}.ValidateString(context.Background(), validator.StringRequest{
			Path: path.Root("password_wo"), ConfigValue: types.StringValue(pw),
		}, resp)
		if !resp.Diagnostics.HasError() {
			t.Fatalf("%q accepted", pw)
		}
		d := resp.Diagnostics.Errors()[0]
		text := d.Summary() + d.Detail()
		if strings.Contains(text, pw) {
			t.Errorf("the diagnostic echoes the value: %s", text)
		}
		if !strings.Contains(text, "password_wo") {
			t.Errorf("the diagnostic does not name the attribute: %s", text)
		}
	}
	resp := &validator.StringResponse{}
	passwordPolicy{}.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("password_wo"), ConfigValue: types.StringUnknown()}, resp)
	if resp.Diagnostics.HasError() {
		t.Fatal("an unknown value failed")
	}
}

func TestParseImportID(t *testing.T) {
	if got, err := parseImportID("Jane@Example.com"); err != nil || got != "Jane@Example.com" {
		t.Fatalf("got %q %v", got, err)
	}
	for _, bad := range []string{"", "jane", "Jane <jane@example.com>", "jane@@example.com", "jane@example.com,bob@example.com"} {
		if _, err := parseImportID(bad); err == nil || !strings.Contains(err.Error(), "jane@example.com") {
			t.Errorf("parseImportID(%q) = %v", bad, err)
		}
	}
}

func FuzzParseImportID(f *testing.F) {
	for _, s := range []string{"jane@example.com", "", "a@b", " x@y.z ", "<a@b.c>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		email, err := parseImportID(id)
		if err == nil && (email != id || shared.ValidateEmail(email) != "") {
			t.Fatalf("accepted %q as %q", id, email)
		}
	})
}

// A credentials failure carries what to do as its hint, and keeps the API
// error in its chain.
func TestCredentialsHintKeepsTheAPIError(t *testing.T) {
	roKey, roName := sandbox.GoldLeafReadOnlyKey()
	c, _ := newTestClient(t, Config{APIKey: roKey, APIKeyName: roName})
	err := c.InviteBatched(context.Background(), Invitee{Email: "a@example.com"})
	var ae *shared.APIError
	if !errors.As(err, &ae) || shared.StatusOf(err) != http.StatusForbidden {
		t.Fatalf("the hint hides the API error: %v", err)
	}
	if h := shared.Hint(err, Name); !strings.Contains(h, "requires an admin API key") {
		t.Fatalf("hint: %q", h)
	}
}

func TestFlatTokenAnswerAccepted(t *testing.T) {
	c, sb := newTestClient(t, Config{})
	sb.GoldLeaf.SetFlatTokenResponse(true)
	if err := c.InviteBatched(context.Background(), Invitee{Email: "flat@example.com", Password: strp("Str0ng!pass")}); err != nil {
		t.Fatal(err)
	}
	if !sb.GoldLeaf.Invited()["flat@example.com"] {
		t.Fatal("not invited")
	}
}

func TestTokenRequestShape(t *testing.T) {
	c, sb := newTestClient(t, Config{})
	if err := c.InviteBatched(context.Background(), Invitee{Email: "shape@example.com"}); err != nil {
		t.Fatal(err)
	}
	var sawToken, sawInvite bool
	for _, r := range sb.Requests("goldleaf") {
		switch r.Route {
		case tokenRoute:
			sawToken = true
			if r.Body != `{"apiKey":"`+sandbox.GoldLeafAPIKey+`","name":"`+sandbox.GoldLeafAPIKeyName+`","grantType":"client_credentials"}` {
				t.Errorf("token request body %s", r.Body)
			}
			if r.Header["Authorization"] != "" {
				t.Errorf("the token request carries Authorization")
			}
		case inviteRoute:
			sawInvite = true
			if r.Body != `{"emailAddresses":[{"email":"shape@example.com"}]}` {
				t.Errorf("invite body %s (no password must mean no password field)", r.Body)
			}
			if !strings.HasPrefix(r.Header["Authorization"], "Bearer glst-") {
				t.Errorf("invite without the security token")
			}
		}
	}
	if !sawToken || !sawInvite {
		t.Fatal("requests missing")
	}
}

func TestInviteRetriedAfter429(t *testing.T) {
	sb := sandbox.New()
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	opts := shared.DefaultOptions()
	opts.MaxRetries = 2
	c, err := NewClient(Config{Endpoint: srv.URL + sandbox.PrefixGoldLeaf, APIKey: sandbox.GoldLeafAPIKey, APIKeyName: sandbox.GoldLeafAPIKeyName}, opts)
	if err != nil {
		t.Fatal(err)
	}
	sb.AddFault(sandbox.Fault{Platform: "goldleaf", Path: "/users/invite", Status: 429, RetryAfter: "0", Count: 1})
	if err := c.InviteBatched(context.Background(), Invitee{Email: "busy@example.com"}); err != nil {
		t.Fatal(err)
	}
	if n := sb.Count("goldleaf", inviteRoute); n != 2 {
		t.Fatalf("%d invite requests, want 2 (one 429, one retry)", n)
	}
	if _, ok := sb.GoldLeaf.Invited()["busy@example.com"]; !ok {
		t.Fatal("not invited")
	}
}
