package shared

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

func TestRedactorBody(t *testing.T) {
	r := NewRedactor("literal-secret-value")
	cases := []struct{ ct, in string }{
		{"application/json", `{"emailAddresses":[{"email":"a@b.co","password":"Sup3r$ecret"}]}`},
		{"application/json", `{"apiKey":"k-123456","name":"terraform","grantType":"client_credentials"}`},
		{"application/json", `{"data":{"securityToken":"st-abcdef"}}`},
		{"application/x-www-form-urlencoded", `grant_type=client_credentials&client_id=id&client_secret=cs-999999&scope=WebAPI`},
		{"application/json", `{"access_token":"at-777777","expires_in":3600}`},
		{"text/plain", `oops literal-secret-value inside`},
	}
	for _, c := range cases {
		out := r.Body(c.ct, []byte(c.in))
		for _, secret := range []string{"Sup3r$ecret", "k-123456", "st-abcdef", "cs-999999", "at-777777", "literal-secret-value"} {
			if strings.Contains(out, secret) {
				t.Errorf("%s leaked in %s", secret, out)
			}
		}
		if !strings.Contains(out, redacted) {
			t.Errorf("nothing redacted in %s", out)
		}
	}
	if out := r.Body("application/json", []byte(`{"email":"a@b.co"}`)); !strings.Contains(out, "a@b.co") {
		t.Errorf("non-secret data should stay: %s", out)
	}
}

func TestRedactorHeaders(t *testing.T) {
	h := http.Header{}
	h.Set("Authorization", "Bearer abc")
	h.Set("X-SSAPI-KEY", "k")
	h.Set("Cookie", "asc_auth_key=zzz")
	h.Set("Accept", "application/json")
	out := NewRedactor().Headers(h)
	for _, k := range []string{"Authorization", "X-Ssapi-Key", "Cookie"} {
		if out[k] != redacted {
			t.Errorf("%s not redacted: %q", k, out[k])
		}
	}
	if out["Accept"] != "application/json" {
		t.Errorf("Accept changed: %q", out["Accept"])
	}
}

// The TRACE log of a request and its response never holds a credential,
// but does hold the request and the status.
func TestTraceLoggingRedactsSecrets(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Set-Cookie", "asc_auth_key=cookie-secret-42")
		w.Write([]byte(`{"access_token":"issued-token-9876","email":"a@b.co"}`))
	}))
	defer srv.Close()
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	c, err := NewClient(ClientConfig{
		Platform: "Test", BaseURL: srv.URL, Options: Options{RequestTimeout: time.Second},
		Authorize: func(_ context.Context, r *http.Request) error {
			r.Header.Set("X-SSAPI-KEY", "api-key-secret-1")
			r.Header.Set("Authorization", "Bearer bearer-secret-2")
			return nil
		},
		Secrets: []string{"api-key-secret-1", "bearer-secret-2"},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Do(ctx, Request{Op: "x", Method: "POST", Path: "/invite", JSON: map[string]any{
		"email": "a@b.co", "password": "P@ssw0rd-secret", "nested": map[string]string{"client_secret": "cs-secret-3"},
	}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	logs := buf.String()
	if !strings.Contains(logs, "HTTP request") || !strings.Contains(logs, "HTTP response") || !strings.Contains(logs, "a@b.co") {
		t.Fatalf("expected request and response logs, got: %s", logs)
	}
	for _, secret := range []string{"api-key-secret-1", "bearer-secret-2", "P@ssw0rd-secret", "cs-secret-3", "issued-token-9876", "cookie-secret-42"} {
		if strings.Contains(logs, secret) {
			t.Errorf("secret %q appears in the TRACE log:\n%s", secret, logs)
		}
	}
}
