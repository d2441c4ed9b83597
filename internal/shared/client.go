// Package shared holds the plumbing every platform package uses: the HTTP
// client (retries, timeouts, redacted TRACE logging), API errors turned into
// diagnostics, the case-insensitive email type, request batching and the
// per-run listing cache.
package shared

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Options are the provider-wide HTTP settings shared by every platform.
type Options struct {
	// MaxRetries is how many times a request is retried after a 429, 502,
	// 503, 504 or a connection error.
	MaxRetries int
	// RequestTimeout bounds one attempt of one request.
	RequestTimeout time.Duration
	// UserAgent is sent with every request.
	UserAgent string
	// RetryWaitMin and RetryWaitMax bound the exponential backoff used when
	// the API sends no Retry-After header. Zero means 500ms and 30s.
	RetryWaitMin, RetryWaitMax time.Duration
	// RateLimit paces every attempt of every request of the platform
	// (throttle.go); each platform sets its own (its block's
	// requests_per_second and burst). Zero means no limit.
	RateLimit RateLimit
}

// DefaultOptions are used where the provider configuration says nothing.
func DefaultOptions() Options {
	return Options{MaxRetries: 4, RequestTimeout: 30 * time.Second, UserAgent: UserAgent("dev", "")}
}

// UserAgent names the provider, its version and the Terraform version.
func UserAgent(version, terraformVersion string) string {
	ua := "terraform-provider-membership/" + version
	if terraformVersion != "" {
		ua += " terraform/" + terraformVersion
	}
	return ua
}

// ClientConfig configures one platform's Client.
type ClientConfig struct {
	// Platform is the display name used in errors and logs: the platform's
	// Title ("ONLYOFFICE DocSpace").
	Platform string
	// BaseURL is the platform endpoint; request paths are appended to it.
	BaseURL string
	Options Options
	// Authorize adds credentials to an outgoing request.
	Authorize func(ctx context.Context, req *http.Request) error
	// Secrets are literal values (tokens, keys) that must never be logged.
	Secrets []string
	// DecodeError extracts the API's own message from an error body. Nil
	// uses ErrorMessage, which understands problem details, the DocSpace
	// envelope, {message}, {error} and plain text.
	DecodeError func(body []byte) string
}

// Client is an HTTP client for one platform.
type Client struct {
	cfg      ClientConfig
	base     *url.URL
	http     *retryablehttp.Client
	throttle *Throttle
	// HTTP is a plain *http.Client sharing the retrying, logging transport;
	// hand it to libraries (oauth2) that make their own requests.
	HTTP *http.Client
}

// NewClient validates the base URL and builds the retrying client.
func NewClient(cfg ClientConfig) (*Client, error) {
	base, err := ParseEndpoint(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if cfg.Options.RequestTimeout <= 0 {
		cfg.Options.RequestTimeout = 30 * time.Second
	}
	if cfg.Options.UserAgent == "" {
		cfg.Options.UserAgent = UserAgent("dev", "")
	}
	if cfg.DecodeError == nil {
		cfg.DecodeError = ErrorMessage
	}
	rc := retryablehttp.NewClient()
	rc.Logger = nil
	rc.RetryMax = cfg.Options.MaxRetries
	rc.RetryWaitMin = cfg.Options.RetryWaitMin
	rc.RetryWaitMax = cfg.Options.RetryWaitMax
	if rc.RetryWaitMin <= 0 {
		rc.RetryWaitMin = 500 * time.Millisecond
	}
	if rc.RetryWaitMax <= 0 {
		rc.RetryWaitMax = 30 * time.Second
	}
	rc.CheckRetry = retryPolicy
	throttle := NewThrottle(cfg.Options.RateLimit)
	rc.Backoff = func(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
		d := backoff(minWait, maxWait, attempt, resp)
		if _, ok := retryAfterOf(resp); ok {
			// The API asked the whole account to wait: hold the
			// platform's other requests too (Throttle.Pause).
			throttle.Pause(d)
		}
		return d
	}
	// retryablehttp calls RequestLogHook before every attempt, the first
	// and each retry (after the retry's backoff), outside the attempt's
	// request_timeout: the throttle waits there. When the wait ends with
	// the context (Ctrl-C), the attempt that follows fails at once with
	// the context's error before anything is sent, and is not retried.
	platform := cfg.Platform
	rc.RequestLogHook = func(_ retryablehttp.Logger, req *http.Request, attempt int) {
		waited, err := throttle.Wait(req.Context())
		if waited > 0 || err != nil {
			fields := map[string]any{"platform": platform, "method": req.Method, "attempt": attempt + 1,
				"waited_ms": waited.Milliseconds(), "rate_limit": throttle.Limit().String()}
			if err != nil {
				fields["error"] = err.Error()
			}
			tflog.Debug(req.Context(), "Waited for the client-side rate limit", fields)
		}
	}
	rc.ErrorHandler = retryablehttp.PassthroughErrorHandler
	transport := &loggingTransport{
		platform: cfg.Platform,
		next:     newTransport(),
		redactor: NewRedactor(cfg.Secrets...),
	}
	// Redirects are refused by the transport (RedirectError); neither
	// client would follow one either.
	rc.HTTPClient = &http.Client{Transport: transport, Timeout: cfg.Options.RequestTimeout, CheckRedirect: noRedirects}
	c := &Client{cfg: cfg, base: base, http: rc, throttle: throttle}
	c.HTTP = &http.Client{Transport: &retryablehttp.RoundTripper{Client: rc}, CheckRedirect: noRedirects}
	return c, nil
}

func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// newTransport is a fresh copy of the default transport (its proxy,
// dial and TLS settings), not shared with other clients.
func newTransport() http.RoundTripper {
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		return t.Clone()
	}
	return http.DefaultTransport
}

// Platform is the display name of the client's platform.
func (c *Client) Platform() string { return c.cfg.Platform }

// BaseURL is the endpoint the client talks to.
func (c *Client) BaseURL() *url.URL { u := *c.base; return &u }

// ParseEndpoint accepts any absolute http(s) URL, trailing slash or not,
// without user info (see CheckEndpoint).
func ParseEndpoint(raw string) (*url.URL, error) {
	u, _, err := CheckEndpoint(raw)
	return u, err
}

// Request describes one API call.
type Request struct {
	// Op says what the call does, in words, for errors: "invite users".
	Op     string
	Method string
	// Path is appended to the base URL ("/api/2.0/people/invite"). It is
	// sent as written: escape each variable segment exactly once with
	// url.PathEscape ("/users/email/" + url.PathEscape(email)), so that
	// "/", "%", "'" or non-ASCII letters in an ID reach the API intact.
	Path  string
	Query url.Values
	// JSON, when set, is marshalled as the body.
	JSON any
	// Body and ContentType send a raw body (forms, multipart) instead.
	Body        []byte
	ContentType string
	Header      http.Header
	// NoAuth skips the Authorize hook (token exchanges).
	NoAuth bool
}

// Do sends the request, retrying as configured. On a 2xx answer it decodes a
// JSON body into out (when out is non-nil and the body is not empty). Any
// other answer is returned as *APIError; an undecodable body as *DecodeError.
func (c *Client) Do(ctx context.Context, r Request, out any) (int, error) {
	req, err := c.newRequest(ctx, r)
	if err != nil {
		return 0, err
	}
	if !r.NoAuth && c.cfg.Authorize != nil {
		if err := c.cfg.Authorize(ctx, req.Request); err != nil {
			return 0, &AuthError{Platform: c.cfg.Platform, Op: r.Op, Err: err}
		}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if e := c.wireError(r, err); e != nil {
			return 0, e
		}
		return 0, &TransportError{Platform: c.cfg.Platform, Op: r.Op, Method: r.Method, Path: r.Path, Err: err, Retries: c.cfg.Options.MaxRetries}
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxBodyBytes+1))
	if err == nil && int64(len(data)) > MaxBodyBytes {
		err = &BodyTooLargeError{Platform: c.cfg.Platform, Limit: MaxBodyBytes}
	}
	if err != nil {
		if e := c.wireError(r, err); e != nil {
			return resp.StatusCode, e
		}
		return resp.StatusCode, &TransportError{Platform: c.cfg.Platform, Op: r.Op, Method: r.Method, Path: r.Path, Err: err, Retries: c.cfg.Options.MaxRetries}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, &APIError{
			Platform: c.cfg.Platform, Op: r.Op, Method: r.Method, Path: r.Path,
			Status: resp.StatusCode, Message: c.cfg.DecodeError(data),
			RetryAfter: resp.Header.Get("Retry-After"),
		}
	}
	if out != nil && len(bytes.TrimSpace(data)) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return resp.StatusCode, c.DecodeFailure(r, data, err)
		}
	}
	return resp.StatusCode, nil
}

// newRequest builds r's request to the platform's endpoint: the path kept
// as escaped, the query, the JSON or raw body, r's headers, Accept and the
// User-Agent (not yet authorized).
func (c *Client) newRequest(ctx context.Context, r Request) (*retryablehttp.Request, error) {
	u := c.BaseURL()
	// r.Path is already escaped: keep it as the raw path and derive the
	// decoded one, so url.URL never escapes it a second time.
	u.RawPath = u.EscapedPath() + r.Path
	p, err := url.PathUnescape(u.RawPath)
	if err != nil {
		return nil, fmt.Errorf("%s: building the request to %s: invalid path %q: %w", c.cfg.Platform, r.Op, r.Path, err)
	}
	u.Path = p
	if r.Query != nil {
		u.RawQuery = r.Query.Encode()
	}
	var body []byte
	contentType := r.ContentType
	if r.JSON != nil {
		b, err := json.Marshal(r.JSON)
		if err != nil {
			return nil, fmt.Errorf("%s: encoding the request to %s: %w", c.cfg.Platform, r.Op, err)
		}
		body, contentType = b, "application/json"
	} else if r.Body != nil {
		body = r.Body
	}
	var rawBody any
	if body != nil {
		rawBody = body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, r.Method, u.String(), rawBody)
	if err != nil {
		return nil, fmt.Errorf("%s: building the request to %s: %w", c.cfg.Platform, r.Op, err)
	}
	for k, vs := range r.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.cfg.Options.UserAgent)
	return req, nil
}

// wireError returns a refused redirect or an oversized body in err's chain
// as its own error, naming the call; nil for any other error.
func (c *Client) wireError(r Request, err error) error {
	var re *RedirectError
	if errors.As(err, &re) {
		e := *re
		e.Op, e.Method, e.Path = r.Op, r.Method, r.Path
		return &e
	}
	var be *BodyTooLargeError
	if errors.As(err, &be) {
		e := *be
		e.Op, e.Method, e.Path = r.Op, r.Method, r.Path
		return &e
	}
	return nil
}

// DecodeFailure reports a 2xx body that could not be understood, for
// callers that fetch the raw body and decode it themselves (tolerant
// decoders): a *DecodeError naming the call, with the start of the body.
func (c *Client) DecodeFailure(r Request, body []byte, err error) error {
	return &DecodeError{Platform: c.cfg.Platform, Op: r.Op, Method: r.Method, Path: r.Path, Err: err, Body: snippet(body)}
}

// retryPolicy retries 429, 502, 503 and 504 and connection errors, never
// a cancelled context, and nothing else (a 500 is an answer, not a fault
// of the wire: retrying a non-idempotent invite there could duplicate it).
func retryPolicy(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		var re *RedirectError
		var be *BodyTooLargeError
		if errors.As(err, &re) || errors.As(err, &be) {
			return false, err
		}
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			msg := urlErr.Error()
			if strings.Contains(msg, "unsupported protocol scheme") || strings.Contains(msg, "invalid header") {
				return false, err
			}
			if strings.Contains(msg, "certificate") {
				return false, err
			}
		}
		return true, nil
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true, nil
	}
	return false, nil
}

// backoff honours Retry-After (seconds or an HTTP date) on any retried
// answer, capped at max; without it, exponential from min with jitter.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if d, ok := retryAfterOf(resp); ok {
		if d > maxWait {
			d = maxWait
		}
		return d
	}
	d := time.Duration(float64(minWait) * math.Pow(2, float64(attempt)))
	if d > maxWait || d <= 0 {
		d = maxWait
	}
	jitter := time.Duration(rand.Int64N(int64(d)/4 + 1))
	return d - d/8 + jitter/2
}

// retryAfterOf is the wait a response's Retry-After header asks for.
func retryAfterOf(resp *http.Response) (time.Duration, bool) {
	if resp == nil {
		return 0, false
	}
	return RetryAfter(resp.Header.Get("Retry-After"), time.Now())
}

// RetryAfter parses a Retry-After header value.
func RetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil {
		if s < 0 {
			return 0, false
		}
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// IsTimeout reports whether err is a timeout of the request or its context.
func IsTimeout(err error) bool {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	return errors.Is(err, context.DeadlineExceeded)
}

func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
