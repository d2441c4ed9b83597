package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// newCoreTest serves a sandbox with one extra test route, /test/ping.
func newCoreTest(t *testing.T) (*Sandbox, *httptest.Server, *atomic.Int32) {
	t.Helper()
	sb := New()
	calls := &atomic.Int32{}
	sb.handle("/test", "POST /ping", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeJSON(w, http.StatusCreated, map[string]string{"pong": "yes"})
	})
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	return sb, srv, calls
}

func post(t *testing.T, url, body string) (*http.Response, string, error) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b), nil
}

func TestRequestLogAndCounts(t *testing.T) {
	sb, srv, _ := newCoreTest(t)
	for range 3 {
		if resp, _, err := post(t, srv.URL+"/test/ping", `{"a":1}`); err != nil || resp.StatusCode != 201 {
			t.Fatalf("%v %v", resp, err)
		}
	}
	if n := sb.Count("test", "POST /ping"); n != 3 {
		t.Fatalf("count = %d", n)
	}
	reqs := sb.Requests("test")
	if len(reqs) != 3 || reqs[0].Body != `{"a":1}` || reqs[0].Status != 201 || reqs[0].Path != "/ping" {
		t.Fatalf("log: %+v", reqs)
	}
	resp, err := http.Get(srv.URL + "/_admin/counts")
	if err != nil {
		t.Fatal(err)
	}
	var counts struct {
		Total  int            `json:"total"`
		Routes map[string]int `json:"routes"`
	}
	json.NewDecoder(resp.Body).Decode(&counts)
	resp.Body.Close()
	if counts.Total != 3 || counts.Routes["test POST /ping"] != 3 {
		t.Fatalf("admin counts: %+v", counts)
	}
	req, _ := http.NewRequest(http.MethodDelete, srv.URL+"/_admin/requests", nil)
	http.DefaultClient.Do(req)
	if sb.Count("", "") != 0 {
		t.Fatal("log not cleared")
	}
}

func TestFaultStatusWithRetryAfterAndCount(t *testing.T) {
	sb, srv, calls := newCoreTest(t)
	resp, _, _ := post(t, srv.URL+"/_admin/faults", `{"platform":"test","path":"/ping","status":429,"retry_after":"2","count":2}`)
	if resp.StatusCode != 201 {
		t.Fatalf("add fault: %d", resp.StatusCode)
	}
	for i := range 3 {
		resp, body, _ := post(t, srv.URL+"/test/ping", `{}`)
		if i < 2 {
			if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "2" || !strings.Contains(body, "injected") {
				t.Fatalf("attempt %d: %d %q %s", i, resp.StatusCode, resp.Header.Get("Retry-After"), body)
			}
		} else if resp.StatusCode != 201 {
			t.Fatalf("fault should be spent after 2 hits, got %d", resp.StatusCode)
		}
	}
	if calls.Load() != 1 {
		t.Fatalf("handler ran %d times, want 1", calls.Load())
	}
	if f := sb.Faults(); len(f) != 1 || f[0].Hits != 2 {
		t.Fatalf("faults: %+v", f)
	}
}

func TestFaultAfterHandlerDoesTheWorkButDropsTheAnswer(t *testing.T) {
	sb, srv, calls := newCoreTest(t)
	sb.AddFault(Fault{Platform: "test", Drop: true, AfterHandler: true, Count: 1})
	if _, _, err := post(t, srv.URL+"/test/ping", `{}`); err == nil {
		t.Fatal("expected a dropped connection")
	}
	if calls.Load() != 1 {
		t.Fatalf("the handler should have run before the drop, ran %d", calls.Load())
	}
	if resp, _, err := post(t, srv.URL+"/test/ping", `{}`); err != nil || resp.StatusCode != 201 {
		t.Fatalf("after the fault: %v %v", resp, err)
	}
}

func TestFaultMalformedAndLatency(t *testing.T) {
	sb, srv, _ := newCoreTest(t)
	sb.AddFault(Fault{Method: "POST", Malformed: true, Count: 1})
	_, body, _ := post(t, srv.URL+"/test/ping", `{}`)
	var v any
	if json.Unmarshal([]byte(body), &v) == nil {
		t.Fatalf("malformed fault returned valid JSON: %s", body)
	}
	sb.ClearFaults()
	sb.AddFault(Fault{Latency: Duration(150 * time.Millisecond), Count: 1})
	start := time.Now()
	resp, _, _ := post(t, srv.URL+"/test/ping", `{}`)
	if resp.StatusCode != 201 || time.Since(start) < 150*time.Millisecond {
		t.Fatalf("latency fault: %d after %v", resp.StatusCode, time.Since(start))
	}
}

func TestAdminLatencyAndReset(t *testing.T) {
	sb, srv, _ := newCoreTest(t)
	req, _ := http.NewRequest(http.MethodPut, srv.URL+"/_admin/latency", bytes.NewBufferString(`{"latency":"20ms"}`))
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 204 {
		t.Fatalf("%v %v", resp, err)
	}
	sb.mu.Lock()
	got := sb.latency
	sb.mu.Unlock()
	if got != 20*time.Millisecond {
		t.Fatalf("latency = %v", got)
	}
	sb.AddFault(Fault{Status: 500})
	post(t, srv.URL+"/_admin/reset", ``)
	if len(sb.Faults()) != 0 || sb.Count("", "") != 0 {
		t.Fatal("reset should clear faults and log")
	}
}

func TestAdminRejectsBadFault(t *testing.T) {
	_, srv, _ := newCoreTest(t)
	resp, _, _ := post(t, srv.URL+"/_admin/faults", `{"status":"nope"}`)
	if resp.StatusCode != 400 {
		t.Fatalf("got %d", resp.StatusCode)
	}
}
