package shared

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// DurationValidator checks a Go duration string ("30s") at plan time.
func DurationValidator() validator.String { return durationValidator{} }

type durationValidator struct{}

func (durationValidator) Description(context.Context) string {
	return "must be a positive duration such as \"30s\" or \"2m\""
}
func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (v durationValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	d, err := time.ParseDuration(req.ConfigValue.ValueString())
	if err != nil || d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			fmt.Sprintf("Attribute %s %s; got %q.", req.Path, v.Description(ctx), req.ConfigValue.ValueString()))
	}
}

// URLValidator checks an absolute http(s) URL at plan time.
func URLValidator() validator.String { return urlValidator{} }

type urlValidator struct{}

func (urlValidator) Description(context.Context) string {
	return "must be an absolute http or https URL such as https://example.com/welcome"
}
func (v urlValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (v urlValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	u, err := url.Parse(req.ConfigValue.ValueString())
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid URL",
			fmt.Sprintf("Attribute %s %s; got %q.", req.Path, v.Description(ctx), req.ConfigValue.ValueString()))
	}
}

// CheckEndpoint parses a platform endpoint. It refuses anything but an
// absolute http(s) URL, and a URL with user info (https://user:pass@host):
// credentials belong in the platform's credential attributes, and a
// password in a URL ends up in logs and error messages; the error never
// quotes the password. warning is set for plain http:// to a host other
// than the local machine, where every credential crosses the network
// unencrypted.
func CheckEndpoint(raw string) (u *url.URL, warning string, err error) {
	trimmed := strings.TrimRight(strings.TrimSpace(raw), "/")
	u, perr := url.Parse(trimmed)
	if perr == nil && u.User != nil {
		shown := *u
		shown.User = nil
		return nil, "", fmt.Errorf("endpoint %q has user info (user:password@) in it; put no credentials in the endpoint URL: "+
			"remove them and use the platform's credential attributes (token, api_key, client_secret)", shown.String())
	}
	if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		shown := raw
		if strings.Contains(raw, "@") {
			shown = "(not shown: it may hold a password)"
		}
		return nil, "", errors.New("endpoint " + quoteEndpoint(shown) + " is not an absolute http(s) URL such as https://api.example.com")
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		warning = fmt.Sprintf("The endpoint %s uses plain http:// to %s: every request, with its credentials, crosses the network unencrypted "+
			"and can be read or altered on the way. Use https:// unless %s is a trusted proxy on a private network.", u.String(), u.Hostname(), u.Hostname())
	}
	return u, warning, nil
}

func quoteEndpoint(s string) string {
	if strings.HasPrefix(s, "(") {
		return s
	}
	return fmt.Sprintf("%q", s)
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// EndpointValidator checks a platform endpoint at plan time: an error for
// what CheckEndpoint refuses, a warning for plain http:// to a remote host.
func EndpointValidator() validator.String { return endpointValidator{} }

type endpointValidator struct{}

func (endpointValidator) Description(context.Context) string {
	return "must be an absolute https URL (http:// only to the local machine) without user info"
}
func (v endpointValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (v endpointValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	_, warning, err := CheckEndpoint(req.ConfigValue.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid endpoint", err.Error()+".")
		return
	}
	if warning != "" {
		resp.Diagnostics.AddAttributeWarning(req.Path, "Unencrypted endpoint", warning)
	}
}

// ProtectedPatternValidator checks an entry of protected_members: an email
// address or a pattern of them (ProtectedPatternError).
func ProtectedPatternValidator() validator.String { return protectedPatternValidator{} }

type protectedPatternValidator struct{}

func (protectedPatternValidator) Description(context.Context) string {
	return "must be an email address or a pattern of email addresses such as *@example.com"
}

func (v protectedPatternValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (protectedPatternValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if why := ProtectedPatternError(req.ConfigValue.ValueString()); why != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid protected member", fmt.Sprintf("%q %s.", req.ConfigValue.ValueString(), why))
	}
}
