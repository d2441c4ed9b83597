// Package sandbox is a local emulator of the five membership APIs, as
// API-NOTES.md (the vendors' public pages and specifications) describes them. One server,
// one path prefix per platform (/smartdocumentor, /docspace, /attackforge,
// /goldleaf, /royalti), state in memory, seeded for the demo and the tests.
//
// Besides the APIs it serves an admin API under /_admin for tests and the
// demo: the request log with counts per route, fault injection (status,
// Retry-After, dropped connections, malformed bodies, latency) and, per
// platform, out-of-band changes to members (to test drift).
package sandbox

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/mail"
	"sort"
	"strings"
	"sync"
	"time"
)

// Platform prefixes.
const (
	PrefixSmartDocumentor = "/smartdocumentor"
	PrefixDocSpace        = "/docspace"
	PrefixAttackForge     = "/attackforge"
	PrefixGoldLeaf        = "/goldleaf"
	PrefixRoyalti         = "/royalti"
)

// Sandbox is the emulator. It is an http.Handler: serve it with
// httptest.NewServer in tests or http.ListenAndServe in the demo.
type Sandbox struct {
	mux *http.ServeMux

	mu      sync.Mutex
	log     []LoggedRequest
	faults  []*Fault
	nextID  int
	latency time.Duration
	// admin lists the admin routes as registered ("POST /_admin/reset").
	admin []string

	SmartDocumentor *SmartDocumentor
	DocSpace        *DocSpace
	AttackForge     *AttackForge
	GoldLeaf        *GoldLeaf
	Royalti         *Royalti
}

// LoggedRequest is one request the sandbox answered.
type LoggedRequest struct {
	Platform string            `json:"platform"`
	Method   string            `json:"method"`
	Path     string            `json:"path"`
	Query    string            `json:"query,omitempty"`
	Route    string            `json:"route"`
	Status   int               `json:"status"`
	Header   map[string]string `json:"header,omitempty"`
	Body     string            `json:"body,omitempty"`
	Time     time.Time         `json:"time"`
}

// Fault is an injected failure. Empty Platform, Method or Path match any
// request; Path matches as a substring of the path after the prefix.
type Fault struct {
	ID       int    `json:"id"`
	Platform string `json:"platform,omitempty"`
	Method   string `json:"method,omitempty"`
	Path     string `json:"path,omitempty"`
	// Status answers with this HTTP status instead of the API.
	Status     int    `json:"status,omitempty"`
	Body       string `json:"body,omitempty"`
	RetryAfter string `json:"retry_after,omitempty"`
	// Latency delays the answer.
	Latency Duration `json:"latency,omitempty"`
	// Drop closes the connection without an answer.
	Drop bool `json:"drop,omitempty"`
	// Malformed answers 200 with a body that is not JSON.
	Malformed bool `json:"malformed,omitempty"`
	// AfterHandler lets the API do its work first and then applies the
	// fault to the answer: the change happened but the client never hears.
	AfterHandler bool `json:"after_handler,omitempty"`
	// Count is how many requests the fault hits; 0 means every one.
	Count int `json:"count,omitempty"`
	Hits  int `json:"hits"`
}

// Duration is a time.Duration that reads and writes as "50ms".
type Duration time.Duration

func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		var n int64
		if err2 := json.Unmarshal(b, &n); err2 != nil {
			return err
		}
		*d = Duration(n)
		return nil
	}
	v, err := time.ParseDuration(s)
	*d = Duration(v)
	return err
}

// New returns a seeded sandbox.
func New() *Sandbox {
	s := &Sandbox{mux: http.NewServeMux()}
	s.SmartDocumentor = newSmartDocumentor(s)
	s.DocSpace = newDocSpace(s)
	s.AttackForge = newAttackForge(s)
	s.GoldLeaf = newGoldLeaf(s)
	s.Royalti = newRoyalti(s)
	s.adminRoutes()
	return s
}

// Reset reseeds every platform and clears the log, faults and latency.
func (s *Sandbox) Reset() {
	s.SmartDocumentor.reset()
	s.DocSpace.reset()
	s.AttackForge.reset()
	s.GoldLeaf.reset()
	s.Royalti.reset()
	s.mu.Lock()
	s.log, s.faults, s.latency = nil, nil, 0
	s.mu.Unlock()
}

func (s *Sandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// handle registers a platform route. pattern is "METHOD /path" without the
// platform prefix, in http.ServeMux syntax ("GET /api/2.0/people/{id}").
func (s *Sandbox) handle(prefix, pattern string, h http.HandlerFunc) {
	method, p, ok := strings.Cut(pattern, " ")
	if !ok {
		panic("sandbox: pattern needs a method: " + pattern)
	}
	full := method + " " + prefix + p
	platform := strings.TrimPrefix(prefix, "/")
	s.mux.HandleFunc(full, func(w http.ResponseWriter, r *http.Request) {
		s.serve(platform, prefix, pattern, w, r, h)
	})
}

// adminHandle registers an admin route (not logged, never faulted).
func (s *Sandbox) adminHandle(pattern string, h http.HandlerFunc) {
	method, p, _ := strings.Cut(pattern, " ")
	s.mux.HandleFunc(method+" /_admin"+p, h)
	s.admin = append(s.admin, method+" /_admin"+p)
}

// AdminRoutes returns every admin route as "METHOD /_admin/path", in the
// order they were registered (each platform's, then the sandbox's own),
// so that what `make sandbox` prints is what the sandbox serves.
func (s *Sandbox) AdminRoutes() []string { return append([]string(nil), s.admin...) }

func (s *Sandbox) serve(platform, prefix, route string, w http.ResponseWriter, r *http.Request, h http.HandlerFunc) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	rest := strings.TrimPrefix(r.URL.Path, prefix)

	s.mu.Lock()
	latency := s.latency
	var fault *Fault
	for _, f := range s.faults {
		if f.matches(platform, r.Method, rest) {
			f.Hits++
			cp := *f
			fault = &cp
			break
		}
	}
	s.mu.Unlock()

	if latency > 0 {
		time.Sleep(latency)
	}
	if fault != nil && fault.Latency > 0 {
		select {
		case <-time.After(time.Duration(fault.Latency)):
		case <-r.Context().Done():
		}
	}
	rec := &recorder{header: http.Header{}, status: 0}
	switch {
	case fault != nil && !fault.AfterHandler && fault.applies():
		fault.write(rec)
	default:
		h(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		if fault != nil && fault.AfterHandler && fault.applies() {
			rec = &recorder{header: http.Header{}}
			fault.write(rec)
		}
	}
	headers := map[string]string{}
	for k, v := range r.Header {
		headers[k] = strings.Join(v, ", ")
	}
	s.mu.Lock()
	s.log = append(s.log, LoggedRequest{
		Platform: platform, Method: r.Method, Path: rest, Query: r.URL.RawQuery,
		Route: route, Status: rec.status, Header: headers, Body: string(body), Time: time.Now(),
	})
	s.mu.Unlock()
	if rec.drop {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.status)
	w.Write(rec.body.Bytes())
}

func (f *Fault) matches(platform, method, path string) bool {
	if f.Count > 0 && f.Hits >= f.Count {
		return false
	}
	return (f.Platform == "" || strings.EqualFold(f.Platform, platform)) &&
		(f.Method == "" || strings.EqualFold(f.Method, method)) &&
		(f.Path == "" || strings.Contains(path, f.Path))
}

// applies reports whether the fault changes the answer (latency-only
// faults do not).
func (f *Fault) applies() bool { return f.Status != 0 || f.Drop || f.Malformed }

func (f *Fault) write(rec *recorder) {
	switch {
	case f.Drop:
		rec.drop = true
		rec.status = 0
	case f.Malformed:
		rec.header.Set("Content-Type", "application/json")
		rec.status = http.StatusOK
		rec.body.WriteString(`{"result": [ {"this is not`)
	default:
		if f.RetryAfter != "" {
			rec.header.Set("Retry-After", f.RetryAfter)
		}
		body := f.Body
		if body == "" {
			body = fmt.Sprintf(`{"title":%q,"status":%d,"detail":"injected fault"}`, http.StatusText(f.Status), f.Status)
		}
		rec.header.Set("Content-Type", "application/json")
		rec.status = f.Status
		rec.body.WriteString(body)
	}
}

// recorder buffers a handler's answer so that faults can replace it.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
	drop   bool
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

// Hijack is not supported by the recorder; only faults drop connections.
func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return nil, nil, errors.New("not supported")
}

// --- test and demo helpers ---

// Requests returns the logged requests of a platform ("" for all).
func (s *Sandbox) Requests(platform string) []LoggedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []LoggedRequest
	for _, r := range s.log {
		if platform == "" || r.Platform == platform {
			out = append(out, r)
		}
	}
	return out
}

// Count returns how many logged requests match platform ("" any) and
// route, the registered pattern without prefix ("POST /api/2.0/people/invite";
// "" any).
func (s *Sandbox) Count(platform, route string) int {
	n := 0
	for _, r := range s.Requests(platform) {
		if route == "" || r.Route == route {
			n++
		}
	}
	return n
}

// Counts returns the number of requests per "platform route".
func (s *Sandbox) Counts() map[string]int {
	out := map[string]int{}
	for _, r := range s.Requests("") {
		out[r.Platform+" "+r.Route]++
	}
	return out
}

// ClearLog empties the request log.
func (s *Sandbox) ClearLog() {
	s.mu.Lock()
	s.log = nil
	s.mu.Unlock()
}

// AddFault injects a fault and returns its ID.
func (s *Sandbox) AddFault(f Fault) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	f.ID = s.nextID
	f.Hits = 0
	s.faults = append(s.faults, &f)
	return f.ID
}

// Faults returns the injected faults with their hit counts.
func (s *Sandbox) Faults() []Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Fault, 0, len(s.faults))
	for _, f := range s.faults {
		out = append(out, *f)
	}
	return out
}

// ClearFaults removes every injected fault.
func (s *Sandbox) ClearFaults() {
	s.mu.Lock()
	s.faults = nil
	s.mu.Unlock()
}

// SetLatency adds a delay to every API request (not admin requests).
func (s *Sandbox) SetLatency(d time.Duration) {
	s.mu.Lock()
	s.latency = d
	s.mu.Unlock()
}

func (s *Sandbox) adminRoutes() {
	s.adminHandle("GET /requests", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.Requests(r.URL.Query().Get("platform")))
	})
	s.adminHandle("DELETE /requests", func(w http.ResponseWriter, r *http.Request) {
		s.ClearLog()
		w.WriteHeader(http.StatusNoContent)
	})
	s.adminHandle("GET /counts", func(w http.ResponseWriter, r *http.Request) {
		counts := s.Counts()
		keys := make([]string, 0, len(counts))
		total := 0
		for k, v := range counts {
			keys = append(keys, k)
			total += v
		}
		sort.Strings(keys)
		writeJSON(w, http.StatusOK, map[string]any{"total": total, "routes": counts})
	})
	s.adminHandle("GET /faults", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.Faults())
	})
	s.adminHandle("POST /faults", func(w http.ResponseWriter, r *http.Request) {
		var f Fault
		if err := json.NewDecoder(r.Body).Decode(&f); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusCreated, map[string]int{"id": s.AddFault(f)})
	})
	s.adminHandle("DELETE /faults", func(w http.ResponseWriter, r *http.Request) {
		s.ClearFaults()
		w.WriteHeader(http.StatusNoContent)
	})
	s.adminHandle("PUT /latency", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Latency Duration `json:"latency"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		s.SetLatency(time.Duration(body.Latency))
		w.WriteHeader(http.StatusNoContent)
	})
	s.adminHandle("POST /reset", func(w http.ResponseWriter, r *http.Request) {
		s.Reset()
		w.WriteHeader(http.StatusNoContent)
	})
	s.adminHandle("POST /seed", s.adminSeed)
}

// --- helpers for the platform emulators ---

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if v != nil {
		json.NewEncoder(w).Encode(v)
	}
}

// adminError is an admin route's refusal: its HTTP status and message.
type adminError struct {
	status int
	msg    string
}

func (e *adminError) Error() string { return e.msg }

// decodeStrict reads a JSON body into v, rejecting unknown fields and
// trailing data, so a request whose shape differs from the contract fails.
func decodeStrict(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("request body does not match the API's shape: %w", err)
	}
	if dec.More() {
		return errors.New("request body has trailing data")
	}
	return nil
}

// validEmail is the emulators' check of an email address: a plain address
// (no display name) whose domain has a dot.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndex(s, "@")+1:], ".")
}

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// bearer returns the bearer token of a request, or "".
func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if t, ok := strings.CutPrefix(h, "Bearer "); ok {
		return t
	}
	return ""
}
