package shared

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// recorder is a second server that must never be reached: it records
// everything a request to it would carry.
type recorder struct {
	mu   sync.Mutex
	seen []string
}

func (rec *recorder) server(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.seen = append(rec.seen, r.Method+" "+r.URL.String()+" "+r.Header.Get("Authorization")+" "+r.Header.Get("Cookie")+" "+string(body))
		rec.mu.Unlock()
		w.Write([]byte(`{}`))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// Every redirect status is refused, before anything (headers, cookies,
// body) reaches the other server, through Do and through the plain
// *http.Client handed to libraries (oauth2 token requests).
func TestRedirectsAreNeverFollowed(t *testing.T) {
	for _, status := range []int{301, 302, 303, 307, 308} {
		rec := &recorder{}
		other := rec.server(t)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+"/stolen?token=tok-secret-1234", status)
		}))
		t.Cleanup(srv.Close)
		c := testClient(t, srv.URL, 3)
		c.cfg.Authorize = func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Bearer tok-secret-1234")
			r.AddCookie(&http.Cookie{Name: "asc_auth_key", Value: "cookie-secret-5678"})
			return nil
		}
		_, err := c.Do(context.Background(), Request{Op: "invite", Method: http.MethodPost, Path: "/invite",
			JSON: map[string]string{"password": "pw-secret-9012"}}, nil)
		var re *RedirectError
		if !errors.As(err, &re) {
			t.Fatalf("%d: want a RedirectError, got %v", status, err)
		}
		msg := err.Error()
		for _, want := range []string{"Test", "invite", "HTTP " + itoa(status), other.URL + "/stolen?…", "never follows redirects", "set the endpoint"} {
			if !strings.Contains(msg, want) {
				t.Errorf("%d: the error does not say %q: %s", status, want, msg)
			}
		}
		if strings.Contains(msg, "tok-secret-1234") {
			t.Errorf("%d: the error holds the token: %s", status, msg)
		}
		if h := Hint(err, "test"); !strings.Contains(h, "endpoint") {
			t.Errorf("%d: hint %q", status, h)
		}
		// The client for libraries: a token form with a client secret.
		resp, err := c.HTTP.Post(srv.URL+"/connect/token", "application/x-www-form-urlencoded",
			strings.NewReader("grant_type=client_credentials&client_secret=cs-secret-3456"))
		if err == nil {
			resp.Body.Close()
			t.Fatalf("%d: the library client got HTTP %d instead of an error", status, resp.StatusCode)
		}
		if !errors.As(err, &re) {
			t.Errorf("%d: the library client: want a RedirectError, got %v", status, err)
		}
		rec.mu.Lock()
		if len(rec.seen) != 0 {
			t.Errorf("%d: the other server received %d requests: %q", status, len(rec.seen), rec.seen)
		}
		rec.mu.Unlock()
	}
}

// A redirect is not retried: one request reaches the server.
func TestRedirectIsNotRetried(t *testing.T) {
	var n int
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		mu.Unlock()
		http.Redirect(w, r, "https://elsewhere.example/", http.StatusTemporaryRedirect)
	}))
	t.Cleanup(srv.Close)
	c := testClient(t, srv.URL, 3)
	if _, err := c.Do(context.Background(), Request{Op: "read", Method: http.MethodGet, Path: "/x"}, nil); err == nil {
		t.Fatal("no error")
	}
	if n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
}

func allocated() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}

// Bodies larger than MaxBodyBytes fail with an error naming the limit,
// and reading them costs memory bounded by the limit, not by the body: a
// 300 MB body, an endless chunked body and a gzip bomb, transparently
// decompressed or asked for explicitly.
func TestBodiesAreBounded(t *testing.T) {
	// A gzip bomb: 200 members of 1 MiB of zeros each (a multi-member
	// stream is valid gzip), 200 MiB in about 200 KB, built in no time.
	var member bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
	zw.Write(make([]byte, 1<<20))
	zw.Close()
	bomb := bytes.NewBuffer(bytes.Repeat(member.Bytes(), 200))
	chunk := bytes.Repeat([]byte("x"), 64<<10)
	cases := []struct {
		name    string
		header  http.Header
		handler http.HandlerFunc
	}{
		{"300 MB body", nil, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "314572800")
			for i := 0; i < 300<<20/len(chunk); i++ {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}},
		{"endless chunked body", nil, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			for {
				if _, err := w.Write(chunk); err != nil {
					return
				}
				w.(http.Flusher).Flush()
			}
		}},
		{"gzip bomb", nil, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Type", "application/json")
			w.Write(bomb.Bytes())
		}},
		{"gzip bomb asked for", http.Header{"Accept-Encoding": {"gzip"}}, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb.Bytes())
		}},
		{"gzip bomb as an error", nil, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.WriteHeader(http.StatusBadRequest)
			w.Write(bomb.Bytes())
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			t.Cleanup(srv.Close)
			c := testClient(t, srv.URL, 0)
			c.http.HTTPClient.Timeout = 2 * time.Minute // the race detector is slow
			// TRACE logging on: the logging transport is where whole bodies
			// used to be buffered.
			var logBuf bytes.Buffer
			ctx := tflogtest.RootLogger(context.Background(), &logBuf)
			before := allocated()
			var out any
			_, err := c.Do(ctx, Request{Op: "list users", Method: http.MethodGet, Path: "/users", Header: tc.header}, &out)
			grew := allocated() - before
			var be *BodyTooLargeError
			if !errors.As(err, &be) {
				t.Fatalf("want a BodyTooLargeError, got %v", err)
			}
			if !strings.Contains(err.Error(), "limit of 16 MiB") || !strings.Contains(err.Error(), "list users") {
				t.Errorf("the error does not name the limit and the call: %v", err)
			}
			if grew > 128<<20 { // about 35 MiB, 70 under the race detector
				t.Errorf("reading the body allocated %d MiB; the limit is 16 MiB", grew>>20)
			}
			if logBuf.Len() > 256<<10 {
				t.Errorf("the TRACE log holds %d KiB for one request; it should show a bounded prefix", logBuf.Len()>>10)
			}
			if !strings.Contains(logBuf.String(), "HTTP response") {
				t.Errorf("no TRACE line for the response: %.300s", logBuf.String())
			}
			t.Logf("allocated %d MiB, logged %d KiB", grew>>20, logBuf.Len()>>10)
		})
	}
}

// A body within the limit still arrives whole (the logged prefix is put
// back in front of the rest).
func TestLargeBodyWithinTheLimitArrivesWhole(t *testing.T) {
	item := `{"email":"someone@example.com","name":"Some One"},`
	body := "[" + strings.Repeat(item, 20000) + `{"email":"last@example.com"}]`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	c := testClient(t, srv.URL, 0)
	var out []map[string]string
	if _, err := c.Do(context.Background(), Request{Op: "list", Method: http.MethodGet, Path: "/"}, &out); err != nil {
		t.Fatal(err)
	}
	if len(out) != 20001 || out[20000]["email"] != "last@example.com" {
		t.Fatalf("got %d items", len(out))
	}
}

// Bearer and basic credentials in free text are redacted, prose about
// them is not.
func TestRedactSecretsBearerInText(t *testing.T) {
	for in, want := range map[string]string{
		"Authorization: Bearer eyJhbGciOi.J9x-1":  "Authorization: Bearer [REDACTED]",
		"auth: basic\tdXNlcjpwYXNzd29yZA==":       "auth: basic [REDACTED]",
		"A valid bearer token is required.":       "A valid bearer token is required.",
		"the user has basic access":               "the user has basic access",
		"Bearer abcdefghijklmnopqrstuvwxyzABCDEF": "Bearer [REDACTED]",
	} {
		if got := RedactSecrets(in); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

// A connection dropped in the middle of a short body is a connection
// error of the round trip, retried as before the body limit existed.
func TestBodyCutShortIsRetried(t *testing.T) {
	var mu sync.Mutex
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		first := n == 1
		mu.Unlock()
		if first {
			w.Header().Set("Content-Length", "100")
			w.WriteHeader(http.StatusOK)
			w.Write([]byte(`{"partial":`))
			w.(http.Flusher).Flush()
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		w.Write([]byte(`{"ok":true}`))
	}))
	t.Cleanup(srv.Close)
	c := testClient(t, srv.URL, 2)
	var out map[string]bool
	if _, err := c.Do(context.Background(), Request{Op: "read", Method: http.MethodGet, Path: "/x"}, &out); err != nil || !out["ok"] {
		t.Fatalf("%v %v", out, err)
	}
	if n != 2 {
		t.Fatalf("%d requests, want 2", n)
	}
}
