package shared

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func testClient(t *testing.T, url string, retries int) *Client {
	t.Helper()
	c, err := NewClient(ClientConfig{
		Platform: "Test",
		BaseURL:  url,
		Options:  Options{MaxRetries: retries, RequestTimeout: 2 * time.Second, RetryWaitMin: time.Millisecond, RetryWaitMax: 3 * time.Second},
		Authorize: func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Bearer tok-secret-1234")
			return nil
		},
		Secrets: []string{"tok-secret-1234"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A server that answers status (with Retry-After) `fails` times, then 200.
func flaky(t *testing.T, status int, retryAfter string, fails int32) (*httptest.Server, *atomic.Int32, *[]time.Time) {
	t.Helper()
	var n atomic.Int32
	var times []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		times = append(times, time.Now())
		if n.Add(1) <= fails {
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			w.WriteHeader(status)
			w.Write([]byte(`{"title":"Too busy","detail":"slow down"}`))
			return
		}
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"echo":` + string(body) + `}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &n, &times
}

func TestRetryHonoursRetryAfterOn429And503(t *testing.T) {
	for _, status := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable, http.StatusBadGateway, http.StatusGatewayTimeout} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			t.Parallel()
			srv, n, times := flaky(t, status, "1", 2)
			c := testClient(t, srv.URL, 4)
			var out struct {
				Echo map[string]string `json:"echo"`
			}
			if _, err := c.Do(context.Background(), Request{Op: "echo", Method: "POST", Path: "/x", JSON: map[string]string{"a": "b"}}, &out); err != nil {
				t.Fatalf("expected success after retries, got %v", err)
			}
			if got := n.Load(); got != 3 {
				t.Fatalf("expected 3 attempts, got %d", got)
			}
			if out.Echo["a"] != "b" {
				t.Fatalf("body was not replayed on retry: %+v", out)
			}
			// Retry-After: 1 means each retry waited about a second,
			// not the 1ms minimum backoff.
			for i := 1; i < len(*times); i++ {
				if gap := (*times)[i].Sub((*times)[i-1]); gap < 900*time.Millisecond {
					t.Fatalf("retry %d came after %v, Retry-After said 1s", i, gap)
				}
			}
		})
	}
}

func TestRetryGivesUpAfterMaxRetriesWithTheAPIMessage(t *testing.T) {
	srv, n, _ := flaky(t, http.StatusTooManyRequests, "0", 100)
	c := testClient(t, srv.URL, 2)
	_, err := c.Do(context.Background(), Request{Op: "list users", Method: "GET", Path: "/users"}, nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 429 {
		t.Fatalf("expected an APIError 429, got %v", err)
	}
	if got := n.Load(); got != 3 {
		t.Fatalf("max_retries=2 means 3 attempts, got %d", got)
	}
	for _, want := range []string{"Test", "list users", "GET /users", "429", "slow down"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if h := Hint(err, "test"); !strings.Contains(h, "max_retries") {
		t.Errorf("hint for 429 should mention max_retries: %q", h)
	}
}

func TestNoRetryOn500Or400(t *testing.T) {
	for _, status := range []int{400, 401, 404, 500} {
		srv, n, _ := flaky(t, status, "", 100)
		c := testClient(t, srv.URL, 4)
		_, err := c.Do(context.Background(), Request{Op: "x", Method: "POST", Path: "/x"}, nil)
		if StatusOf(err) != status {
			t.Fatalf("expected status %d, got %v", status, err)
		}
		if got := n.Load(); got != 1 {
			t.Fatalf("status %d must not be retried, got %d attempts", status, got)
		}
	}
}

func TestRetryOnDroppedConnection(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	c := testClient(t, srv.URL, 2)
	if _, err := c.Do(context.Background(), Request{Op: "x", Method: "GET", Path: "/x"}, nil); err != nil {
		t.Fatalf("expected success after a dropped connection, got %v", err)
	}
	if n.Load() != 2 {
		t.Fatalf("expected 2 attempts, got %d", n.Load())
	}
}

func TestRequestTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	c, _ := NewClient(ClientConfig{Platform: "Test", BaseURL: srv.URL, Options: Options{MaxRetries: 0, RequestTimeout: 100 * time.Millisecond}})
	_, err := c.Do(context.Background(), Request{Op: "x", Method: "GET", Path: "/x"}, nil)
	var te *TransportError
	if !errors.As(err, &te) || !IsTimeout(err) {
		t.Fatalf("expected a timeout TransportError, got %T %v", err, err)
	}
	if !strings.Contains(Hint(err, "test"), "request_timeout") {
		t.Fatalf("timeout hint should mention request_timeout: %q", Hint(err, "test"))
	}
}

func TestRetriesStopWhenContextEnds(t *testing.T) {
	srv, n, _ := flaky(t, 503, "30", 100)
	c := testClient(t, srv.URL, 10)
	c.http.RetryWaitMax = time.Minute
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Do(ctx, Request{Op: "x", Method: "GET", Path: "/x"}, nil)
	if err == nil || time.Since(start) > 5*time.Second {
		t.Fatalf("expected the context to end the retries quickly, err=%v after %v", err, time.Since(start))
	}
	if n.Load() != 1 {
		t.Fatalf("expected 1 attempt, got %d", n.Load())
	}
}

func TestMalformedJSONIsADecodeError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"users": [ {"id": `))
	}))
	defer srv.Close()
	c := testClient(t, srv.URL, 0)
	var out map[string]any
	_, err := c.Do(context.Background(), Request{Op: "list users", Method: "GET", Path: "/users"}, &out)
	var de *DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("expected DecodeError, got %v", err)
	}
	if !strings.Contains(err.Error(), "list users") {
		t.Fatalf("error should name the call: %v", err)
	}
}

func TestUserAgentAndAuthSent(t *testing.T) {
	var ua, auth string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ua, auth = r.UserAgent(), r.Header.Get("Authorization")
	}))
	defer srv.Close()
	c, _ := NewClient(ClientConfig{Platform: "Test", BaseURL: srv.URL + "/prefix/", Options: Options{UserAgent: UserAgent("1.2.3", "1.11.4")},
		Authorize: func(_ context.Context, r *http.Request) error { r.Header.Set("Authorization", "Bearer x"); return nil }})
	if _, err := c.Do(context.Background(), Request{Op: "x", Method: "GET", Path: "/x"}, nil); err != nil {
		t.Fatal(err)
	}
	if ua != "terraform-provider-membership/1.2.3 terraform/1.11.4" || auth != "Bearer x" {
		t.Fatalf("ua=%q auth=%q", ua, auth)
	}
}

func TestParseEndpoint(t *testing.T) {
	for _, ok := range []string{"http://127.0.0.1:8080/docspace", "https://x.example.com/", " https://a.b "} {
		if _, err := ParseEndpoint(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "example.com", "ftp://x", "http://", "://"} {
		if _, err := ParseEndpoint(bad); err == nil {
			t.Errorf("%q should be rejected", bad)
		}
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if d, ok := RetryAfter("3", now); !ok || d != 3*time.Second {
		t.Fatal(d, ok)
	}
	if d, ok := RetryAfter(now.Add(5*time.Second).Format(http.TimeFormat), now); !ok || d != 5*time.Second {
		t.Fatal(d, ok)
	}
	for _, bad := range []string{"", "-1", "soon"} {
		if _, ok := RetryAfter(bad, now); ok {
			t.Fatalf("%q should not parse", bad)
		}
	}
}

func TestErrorMessageFormats(t *testing.T) {
	cases := map[string]string{
		`{"title":"Bad Request","status":400,"detail":"The email address 'x' is not valid."}`: "Bad Request: The email address 'x' is not valid.",
		`{"response":null,"error":{"message":"Access denied"},"status":1,"statusCode":403}`:   "Access denied",
		`{"message":"Missing fields"}`: "Missing fields",
		`{"error":"invalid_client"}`:   "invalid_client",
		`plain text failure`:           "plain text failure",
		``:                             "",
		`{"title":"One or more validation errors occurred.","errors":{"Email":["is required"]}}`: "One or more validation errors occurred.; Email: is required",
	}
	for in, want := range cases {
		if got := ErrorMessage([]byte(in)); got != want {
			t.Errorf("ErrorMessage(%s) = %q, want %q", in, got, want)
		}
	}
}

func FuzzErrorMessage(f *testing.F) {
	for _, s := range []string{`{"title":"x","detail":"y"}`, `{"error":{"message":"m"}}`, `[]`, `{"errors":{"a":[1,"b"]}}`, "", "\x00"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		msg := ErrorMessage(b)
		if len(msg) > len(b)*4+256 {
			t.Fatalf("message unexpectedly long: %d for %d bytes", len(msg), len(b))
		}
	})
}

func TestAPIErrorFromServerHasTheAPIMessage(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(400)
		json.NewEncoder(w).Encode(map[string]any{"title": "Bad Request", "status": 400, "detail": "The email address 'string' is not valid."})
	}))
	defer srv.Close()
	c := testClient(t, srv.URL, 0)
	_, err := c.Do(context.Background(), Request{Op: "invite users", Method: "POST", Path: "/invite"}, nil)
	want := "Test: invite users (POST /invite) failed with HTTP 400 Bad Request: Bad Request: The email address 'string' is not valid."
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
}

// Request.Path is sent as written: a segment escaped once by the caller
// reaches the server escaped once (never %25-escaped again), under a base
// URL that has a path of its own.
func TestPathEscapedExactlyOnce(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.URL.EscapedPath()+" "+r.URL.Path)
	}))
	t.Cleanup(srv.Close)
	c := testClient(t, srv.URL+"/base", 0)
	for _, id := range []string{"o'brien@example.com", "x%y@example.com", "jöhn@exämple.com", "a/b@example.com"} {
		if _, err := c.Do(context.Background(), Request{Op: "x", Method: "GET", Path: "/users/email/" + url.PathEscape(id) + "/x"}, nil); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{
		"/base/users/email/o%27brien@example.com/x /base/users/email/o'brien@example.com/x",
		"/base/users/email/x%25y@example.com/x /base/users/email/x%y@example.com/x",
		"/base/users/email/j%C3%B6hn@ex%C3%A4mple.com/x /base/users/email/jöhn@exämple.com/x",
		"/base/users/email/a%2Fb@example.com/x /base/users/email/a/b@example.com/x",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("paths received:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
