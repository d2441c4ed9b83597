package shared

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
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

// Redactor removes secrets from text bound for logs.
type Redactor struct{ secrets []string }

// NewRedactor redacts the given literal values (empty ones are ignored) in
// addition to every sensitive key.
func NewRedactor(secrets ...string) *Redactor {
	r := &Redactor{}
	for _, s := range secrets {
		if len(s) >= 4 {
			r.secrets = append(r.secrets, s)
		}
	}
	return r
}

var bearerRe = regexp.MustCompile(`(?i)(bearer|basic)\s+[A-Za-z0-9._~+/=\-]+`)

// Text redacts literal secrets and bearer tokens in free text.
func (r *Redactor) Text(s string) string {
	for _, secret := range r.secrets {
		s = strings.ReplaceAll(s, secret, redacted)
	}
	return bearerRe.ReplaceAllString(s, "$1 "+redacted)
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

// Body renders a request or response body with sensitive fields masked:
// JSON keys at any depth and form fields by name; other text gets the
// literal redaction.
func (r *Redactor) Body(contentType string, b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > 16<<10 {
		b = append(b[:16<<10:16<<10], []byte("…(truncated)")...)
	}
	switch {
	case strings.Contains(contentType, "json") || (len(b) > 0 && (b[0] == '{' || b[0] == '[')):
		var v any
		if err := json.Unmarshal(b, &v); err == nil {
			out, _ := json.Marshal(redactJSON(v))
			return r.Text(string(out))
		}
	case strings.Contains(contentType, "x-www-form-urlencoded"):
		if vals, err := url.ParseQuery(string(b)); err == nil {
			for k := range vals {
				if IsSensitiveKey(k) {
					vals[k] = []string{redacted}
				}
			}
			return strings.ReplaceAll(r.Text(vals.Encode()), url.QueryEscape(redacted), redacted)
		}
	case strings.Contains(contentType, "multipart/"):
		return "(multipart body, " + itoa(len(b)) + " bytes, not logged)"
	}
	return r.Text(string(b))
}

func redactJSON(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if IsSensitiveKey(k) {
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
// with secrets redacted.
type loggingTransport struct {
	platform string
	next     http.RoundTripper
	redactor *Redactor
}

func (t *loggingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	var reqBody []byte
	if req.Body != nil && req.GetBody != nil {
		if rc, err := req.GetBody(); err == nil {
			reqBody, _ = io.ReadAll(rc)
			_ = rc.Close()
		}
	}
	u := *req.URL
	u.RawQuery = t.redactor.Text(u.RawQuery)
	tflog.Trace(ctx, "HTTP request", map[string]any{
		"platform": t.platform, "method": req.Method, "url": u.String(),
		"headers": t.redactor.Headers(req.Header),
		"body":    t.redactor.Body(req.Header.Get("Content-Type"), reqBody),
	})
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		tflog.Debug(ctx, "HTTP request failed", map[string]any{
			"platform": t.platform, "method": req.Method, "url": u.String(),
			"error": t.redactor.Text(err.Error()), "duration_ms": time.Since(start).Milliseconds(),
		})
		return nil, err
	}
	var respBody []byte
	if resp.Body != nil {
		respBody, err = io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(respBody))
		if err != nil {
			return nil, err
		}
	}
	tflog.Trace(ctx, "HTTP response", map[string]any{
		"platform": t.platform, "method": req.Method, "url": u.String(),
		"status": resp.StatusCode, "duration_ms": time.Since(start).Milliseconds(),
		"headers": t.redactor.Headers(resp.Header),
		"body":    t.redactor.Body(resp.Header.Get("Content-Type"), respBody),
	})
	return resp, nil
}
