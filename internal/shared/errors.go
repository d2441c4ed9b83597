package shared

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// APIError is a non-2xx answer from a platform.
type APIError struct {
	Platform   string
	Op         string
	Method     string
	Path       string
	Status     int
	Message    string
	RetryAfter string
}

func (e *APIError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = "(no message in the response)"
	}
	return fmt.Sprintf("%s: %s (%s %s) failed with HTTP %d %s: %s",
		e.Platform, e.Op, e.Method, e.Path, e.Status, http.StatusText(e.Status), msg)
}

// TransportError is a request that got no answer (after all retries).
type TransportError struct {
	Platform, Op, Method, Path string
	Retries                    int
	Err                        error
}

func (e *TransportError) Error() string {
	what := "could not reach the API"
	if IsTimeout(e.Err) {
		what = "timed out waiting for the API"
	}
	return fmt.Sprintf("%s: %s (%s %s) %s: %v", e.Platform, e.Op, e.Method, e.Path, what, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

// DecodeError is a 2xx answer whose body could not be understood.
type DecodeError struct {
	Platform, Op, Method, Path string
	Body                       string
	Err                        error
}

func (e *DecodeError) Error() string {
	return fmt.Sprintf("%s: %s (%s %s) returned a response that could not be decoded (%v); it began with: %q",
		e.Platform, e.Op, e.Method, e.Path, e.Err, e.Body)
}

func (e *DecodeError) Unwrap() error { return e.Err }

// AuthError is a failure to obtain credentials before sending a request.
type AuthError struct {
	Platform, Op string
	Err          error
}

func (e *AuthError) Error() string {
	return fmt.Sprintf("%s: could not authenticate to %s: %v", e.Platform, e.Op, e.Err)
}

func (e *AuthError) Unwrap() error { return e.Err }

// StatusOf returns the HTTP status of an *APIError in err's chain, or 0.
func StatusOf(err error) int {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Status
	}
	return 0
}

// ErrNotFound is what a finder (find.go in each platform package) returns,
// wrapped, when the object it looks for does not exist: check it with
// errors.Is.
var ErrNotFound = errors.New("not found")

// IsNotFound reports whether err is an HTTP 404 from the API.
func IsNotFound(err error) bool { return StatusOf(err) == http.StatusNotFound }

// Error hints, the one way: an error that knows what a user can do about it
// carries that where it is made, with WithHint(err, hint) or as a type
// implementing Hinter (the client knows the context: a 402 on an invite is
// a paid seat); resources, data sources, list resources and actions report
// every error with AddError or AddAttributeError, which show the message,
// then the hint (Hint). No package builds hints another way.

// Hinter is an error that says what a user can do about it (its Hint),
// better than its HTTP status could: an AttackForge "User Not Found", a
// DocSpace 402 for a paid seat. Hint and AddError use the first hint in
// err's chain.
type Hinter interface {
	Hint() string
}

// WithHint returns err with a hint: what the user can do about it. The
// error's message is unchanged; AddError shows the hint after it.
func WithHint(err error, hint string) error {
	if err == nil || hint == "" {
		return err
	}
	return &hintedError{err: err, hint: hint}
}

type hintedError struct {
	err  error
	hint string
}

func (e *hintedError) Error() string { return e.err.Error() }
func (e *hintedError) Unwrap() error { return e.err }
func (e *hintedError) Hint() string  { return e.hint }

// Hint says what a user can do about err: the hint the error carries
// (Hinter), else what its kind and HTTP status suggest.
func Hint(err error, configBlock string) string {
	var h Hinter
	if errors.As(err, &h) && h.Hint() != "" {
		return h.Hint()
	}
	var ae *APIError
	var te *TransportError
	var de *DecodeError
	var au *AuthError
	var re *RedirectError
	var be *BodyTooLargeError
	switch {
	case errors.As(err, &re):
		return fmt.Sprintf("Set endpoint in the provider's %q block to the API's own address; a redirect usually means http:// instead of https://, a missing or extra path, or a login page.", configBlock)
	case errors.As(err, &be):
		return fmt.Sprintf("Check the endpoint in the provider's %q block: it should point at the API, not a download or a proxy.", configBlock)
	case errors.As(err, &ae):
		switch {
		case ae.Status == http.StatusUnauthorized:
			return fmt.Sprintf("Check the credentials in the provider's %q block (or its environment variables): they were rejected.", configBlock)
		case ae.Status == http.StatusForbidden:
			return "The credentials are valid but lack the permission for this call: use an administrator's key or token."
		case ae.Status == http.StatusNotFound:
			return "The object or the endpoint does not exist: check the IDs in your configuration and the endpoint URL."
		case ae.Status == http.StatusTooManyRequests || ae.Status == http.StatusServiceUnavailable:
			return fmt.Sprintf("The API kept refusing after the configured retries: try again later, raise max_retries, or lower requests_per_second in the provider's %q block (the client-side rate limit).", configBlock)
		case ae.Status >= 500:
			return "The API failed on its side: try again later. Nothing in your configuration needs to change."
		default:
			return "Fix the value the API rejected in your configuration, then run terraform again."
		}
	case errors.As(err, &te):
		if IsTimeout(te.Err) {
			return "The API did not answer in time: raise request_timeout in the provider configuration or try again later."
		}
		return fmt.Sprintf("Check the endpoint in the provider's %q block and your network, then try again.", configBlock)
	case errors.As(err, &de):
		return "The API answered with something this provider does not understand: check that the endpoint points at the API itself, not a proxy or a login page."
	case errors.As(err, &au):
		return fmt.Sprintf("Check the credentials in the provider's %q block (or its environment variables).", configBlock)
	}
	return ""
}

// AddError adds err to diags as an error with a summary and a hint: the
// one way every resource, data source and list resource reports an API
// error.
func AddError(diags *diag.Diagnostics, summary string, err error, configBlock string) {
	diags.AddError(summary, ErrorDetail(err, configBlock))
}

// AddAttributeError is AddError on an attribute.
func AddAttributeError(diags *diag.Diagnostics, at path.Path, summary string, err error, configBlock string) {
	diags.AddAttributeError(at, summary, ErrorDetail(err, configBlock))
}

// ErrorDetail is err's message followed by its hint (what AddError shows).
func ErrorDetail(err error, configBlock string) string {
	detail := err.Error()
	if h := Hint(err, configBlock); h != "" {
		detail += "\n\n" + h
	}
	return detail
}

// ErrorMessage pulls the API's own message out of an error body: RFC 7807
// problem details ({title, detail, errors}), the DocSpace envelope
// ({error:{message}} / {response:...}), {message}, {error} or
// {error_description}; otherwise the body as text.
func ErrorMessage(body []byte) string {
	trimmed := strings.TrimSpace(string(body))
	if trimmed == "" {
		return ""
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		return snippet(body)
	}
	var parts []string
	add := func(s string) {
		s = strings.TrimSpace(s)
		if s == "" {
			return
		}
		for _, p := range parts {
			if p == s {
				return
			}
		}
		parts = append(parts, s)
	}
	str := func(v any) string {
		if s, ok := v.(string); ok {
			return s
		}
		return ""
	}
	// problem details
	if d := str(m["detail"]); d != "" {
		if t := str(m["title"]); t != "" {
			add(t + ": " + d)
		} else {
			add(d)
		}
	} else if t := str(m["title"]); t != "" {
		add(t)
	}
	if errs, ok := m["errors"].(map[string]any); ok {
		// Fields in a stable order: the same answer gives the same message.
		for _, field := range slices.Sorted(maps.Keys(errs)) {
			v := errs[field]
			if s, ok := v.(string); ok {
				add(field + ": " + s)
			}
			if list, ok := v.([]any); ok {
				for _, item := range list {
					add(field + ": " + str(item))
				}
			}
		}
	}
	// envelopes
	switch e := m["error"].(type) {
	case string:
		add(e)
	case map[string]any:
		add(str(e["message"]))
	}
	add(str(m["error_description"]))
	add(str(m["message"]))
	if r, ok := m["response"].(string); ok {
		add(r)
	}
	add(str(m["status"]))
	if len(parts) == 0 {
		return snippet(body)
	}
	return strings.Join(parts, "; ")
}
