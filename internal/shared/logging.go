package shared

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// sensitiveKeys are JSON keys, form fields and headers whose values are
// never logged, whatever the platform.
var sensitiveKeys = map[string]bool{
	"password": true, "client_secret": true, "clientsecret": true, "apikey": true,
	"api_key": true, "access_token": true, "accesstoken": true, "refresh_token": true,
	"securitytoken": true, "token": true, "secret": true, "authorization": true,
	"cookie": true, "set-cookie": true, "x-ssapi-key": true, "id_token": true,
	"password_wo": true, "asc_auth_key": true,
}

// IsSensitiveKey reports whether a field, header or JSON key name holds a
// secret.
func IsSensitiveKey(k string) bool { return sensitiveKeys[strings.ToLower(k)] }

const redacted = "[REDACTED]"

// Redactor removes secrets from text bound for logs and diagnostics: its
// own literal values, every secret in the process-wide registry
// (RegisterSecret) and bearer or basic credentials.
type Redactor struct{ secrets []string }

// NewRedactor redacts the given literal values (empty ones are ignored) in
// addition to every sensitive key; it also registers them process-wide.
func NewRedactor(secrets ...string) *Redactor {
	r := &Redactor{}
	for _, s := range secrets {
		if len(s) >= minSecretLen {
			r.secrets = append(r.secrets, s)
		}
	}
	RegisterSecret(r.secrets...)
	return r
}

var bearerRe = regexp.MustCompile(`(?i)(bearer|basic)\s+[A-Za-z0-9._~+/=\-]+`)

// sensitiveJSONRe finds "key": "value" pairs of sensitive keys in JSON text
// that could not be parsed (a truncated prefix of a large body).
var sensitiveJSONRe = func() *regexp.Regexp {
	var keys []string
	for _, k := range slices.Sorted(maps.Keys(sensitiveKeys)) {
		keys = append(keys, regexp.QuoteMeta(k))
	}
	return regexp.MustCompile(`(?i)("(?:` + strings.Join(keys, "|") + `)"\s*:\s*)"((?:[^"\\]|\\.)*)"`)
}()

// Text redacts literal secrets and bearer tokens in free text.
func (r *Redactor) Text(s string) string {
	for _, secret := range r.secrets {
		s = strings.ReplaceAll(s, secret, redacted)
	}
	return RedactSecrets(s)
}

// Headers renders headers with sensitive ones masked.
func (r *Redactor) Headers(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		if IsSensitiveKey(k) {
			out[k] = redacted
			continue
		}
		out[k] = r.Text(strings.Join(v, ", "))
	}
	return out
}

// logBodyBytes is the most of a body a TRACE line shows.
const logBodyBytes = 16 << 10

// Body renders a request or response body with sensitive fields masked:
// JSON keys at any depth and form fields by name; other text gets the
// literal redaction. The values of sensitive fields are registered as
// secrets (a token in an answer is redacted wherever it shows up later).
func (r *Redactor) Body(contentType string, b []byte) string {
	if len(b) == 0 {
		return ""
	}
	truncated := ""
	if len(b) > logBodyBytes {
		b, truncated = b[:logBodyBytes], "…(truncated)"
	}
	switch {
	case strings.Contains(contentType, "json") || (len(b) > 0 && (b[0] == '{' || b[0] == '[')):
		var v any
		if err := json.Unmarshal(b, &v); err == nil {
			out, _ := json.Marshal(redactJSON(v))
			return r.Text(string(out)) + truncated
		}
		masked := sensitiveJSONRe.ReplaceAllStringFunc(string(b), func(m string) string {
			sub := sensitiveJSONRe.FindStringSubmatch(m)
			RegisterSecret(sub[2])
			return sub[1] + `"` + redacted + `"`
		})
		return r.Text(masked) + truncated
	case strings.Contains(contentType, "x-www-form-urlencoded"):
		if vals, err := url.ParseQuery(string(b)); err == nil {
			for k, vs := range vals {
				if IsSensitiveKey(k) {
					RegisterSecret(vs...)
					vals[k] = []string{redacted}
				}
			}
			return strings.ReplaceAll(r.Text(vals.Encode()), url.QueryEscape(redacted), redacted) + truncated
		}
	case strings.Contains(contentType, "multipart/"):
		return "(multipart body, " + itoa(len(b)) + " bytes, not logged)"
	}
	return r.Text(string(b)) + truncated
}

func redactJSON(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if IsSensitiveKey(k) {
				if sv, ok := val.(string); ok {
					RegisterSecret(sv)
				}
				t[k] = redacted
			} else {
				t[k] = redactJSON(val)
			}
		}
	case []any:
		for i := range t {
			t[i] = redactJSON(t[i])
		}
	}
	return v
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	if n == 0 {
		return "0"
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// loggingTransport logs every attempt at TRACE through terraform-plugin-log,
// with secrets redacted. It is the innermost transport of every client, so
// it is also where the provider refuses redirects and bounds every body.
type loggingTransport struct {
	platform string
	next     http.RoundTripper
	redactor *Redactor
}

func (t *loggingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	u := t.logRequest(ctx, req)
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		tflog.Debug(ctx, "HTTP request failed", map[string]any{
			"platform": t.platform, "method": req.Method, "url": t.redactor.Text(u.String()),
			"error": t.redactor.Text(err.Error()), "duration_ms": time.Since(start).Milliseconds(),
		})
		return nil, err
	}
	registerCredentialHeaders(map[string][]string{"set-cookie": resp.Header.Values("Set-Cookie")})
	if loc := resp.Header.Get("Location"); resp.StatusCode >= 300 && resp.StatusCode <= 399 && loc != "" {
		// Never followed: the next request would carry the credentials
		// (headers, cookies, a token form) to wherever the server says.
		_ = resp.Body.Close()
		rerr := &RedirectError{Platform: t.platform, Status: resp.StatusCode, Location: t.redactor.Text(redirectTarget(req.URL, loc))}
		tflog.Trace(ctx, "HTTP response", map[string]any{
			"platform": t.platform, "method": req.Method, "url": t.redactor.Text(u.String()),
			"status": resp.StatusCode, "duration_ms": time.Since(start).Milliseconds(),
			"headers": t.redactor.Headers(resp.Header), "error": rerr.Error(),
		})
		return nil, rerr
	}
	body, err := t.decompressed(resp)
	if err != nil {
		return nil, err
	}
	limited := &limitedReader{r: body, left: MaxBodyBytes, platform: t.platform}
	// Only a bounded prefix is read ahead for the log; the rest streams
	// to the caller through the same limit.
	prefix := make([]byte, logBodyBytes)
	n, rerr := readPrefix(limited, prefix)
	prefix = prefix[:n]
	var rest io.Reader
	switch rerr {
	case nil:
		rest = io.MultiReader(bytes.NewReader(prefix), limited)
	case io.EOF:
		rest = bytes.NewReader(prefix)
	default:
		// The connection failed within the first bytes: an error of the
		// round trip, retried like a connection error, as before.
		_ = resp.Body.Close()
		tflog.Debug(ctx, "HTTP response body failed", map[string]any{
			"platform": t.platform, "method": req.Method, "url": t.redactor.Text(u.String()),
			"error": t.redactor.Text(rerr.Error()), "duration_ms": time.Since(start).Milliseconds(),
		})
		return nil, rerr
	}
	resp.Body = readCloser{Reader: rest, Closer: resp.Body}
	shown := t.redactor.Body(resp.Header.Get("Content-Type"), prefix)
	if rerr == nil {
		shown += "…(more not logged)"
	}
	tflog.Trace(ctx, "HTTP response", map[string]any{
		"platform": t.platform, "method": req.Method, "url": t.redactor.Text(u.String()),
		"status": resp.StatusCode, "duration_ms": time.Since(start).Milliseconds(),
		"headers": t.redactor.Headers(resp.Header),
		"body":    shown,
	})
	return resp, nil
}

// logRequest registers req's credential headers for redaction, logs the
// request at TRACE (redacted) and returns its URL without user info and
// with its query redacted, for the response's log lines.
func (t *loggingTransport) logRequest(ctx context.Context, req *http.Request) url.URL {
	registerCredentialHeaders(req.Header)
	var reqBody []byte
	if req.Body != nil && req.GetBody != nil {
		if rc, err := req.GetBody(); err == nil {
			reqBody, _ = io.ReadAll(io.LimitReader(rc, MaxBodyBytes))
			_ = rc.Close()
		}
	}
	u := *req.URL
	u.User = nil
	u.RawQuery = t.redactor.Text(u.RawQuery)
	tflog.Trace(ctx, "HTTP request", map[string]any{
		"platform": t.platform, "method": req.Method, "url": t.redactor.Text(u.String()),
		"headers": t.redactor.Headers(req.Header),
		"body":    t.redactor.Body(req.Header.Get("Content-Type"), reqBody),
	})
	return u
}

// decompressed is resp's body to read: Go's transport gunzips only when it
// asked for gzip itself; an answer to an explicit Accept-Encoding is
// decompressed here, so the body limit counts decompressed bytes either
// way. A body that claims gzip and is not is an error (the body closed).
func (t *loggingTransport) decompressed(resp *http.Response) (io.Reader, error) {
	if resp.Uncompressed || !strings.EqualFold(strings.TrimSpace(resp.Header.Get("Content-Encoding")), "gzip") {
		return resp.Body, nil
	}
	gz, err := gzip.NewReader(resp.Body)
	if err != nil {
		_ = resp.Body.Close()
		return nil, fmt.Errorf("%s: the response claims gzip encoding but is not gzip: %w", t.platform, err)
	}
	resp.Header.Del("Content-Encoding")
	resp.Header.Del("Content-Length")
	resp.ContentLength = -1
	resp.Uncompressed = true
	return gz, nil
}

// MaxBodyBytes bounds every response body the provider reads, counted
// after decompression: no answer of the five APIs comes near it, and a
// server sending more (an endless stream, a gzip bomb) fails the request
// instead of exhausting memory.
const MaxBodyBytes int64 = 16 << 20

// BodyTooLargeError is a response body larger than MaxBodyBytes.
type BodyTooLargeError struct {
	Platform, Op, Method, Path string
	Limit                      int64
}

func (e *BodyTooLargeError) Error() string {
	where := ""
	if e.Op != "" {
		where = fmt.Sprintf(" %s (%s %s):", e.Op, e.Method, e.Path)
	}
	return fmt.Sprintf("%s:%s the response body exceeds the provider's limit of %d MiB (counted after decompression), so the provider stopped reading it; "+
		"check that the endpoint points at the API itself", e.Platform, where, e.Limit>>20)
}

// RedirectError is an answer redirecting elsewhere, which the provider
// never follows.
type RedirectError struct {
	Platform, Op, Method, Path string
	Status                     int
	Location                   string
}

func (e *RedirectError) Error() string {
	where := ""
	if e.Op != "" {
		where = fmt.Sprintf(" %s (%s %s):", e.Op, e.Method, e.Path)
	}
	return fmt.Sprintf("%s:%s the API answered HTTP %d %s redirecting to %s. The provider never follows redirects, so that no credential "+
		"is sent to another address: set the endpoint to the address the API answers at (the https:// address of the API itself)",
		e.Platform, where, e.Status, http.StatusText(e.Status), e.Location)
}

// redirectTarget shows where a redirect points, resolved against the
// request, without user info or query (either may hold a credential).
func redirectTarget(base *url.URL, loc string) string {
	u, err := base.Parse(loc)
	if err != nil {
		return "(an unparsable Location)"
	}
	u.User = nil
	if u.RawQuery != "" {
		u.RawQuery = ""
		u.ForceQuery = false
		return u.String() + "?…"
	}
	return u.String()
}

type limitedReader struct {
	r        io.Reader
	left     int64
	platform string
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, &BodyTooLargeError{Platform: l.platform, Limit: MaxBodyBytes}
	}
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return n + int(l.left), &BodyTooLargeError{Platform: l.platform, Limit: MaxBodyBytes}
	}
	return n, err
}

// readPrefix fills buf from r. Unlike io.ReadFull it tells a body that
// ended (io.EOF) from one cut short (io.ErrUnexpectedEOF from the
// transport: the connection closed before Content-Length bytes).
func readPrefix(r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}
