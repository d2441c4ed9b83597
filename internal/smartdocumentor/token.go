package smartdocumentor

// The OAuth2 client-credentials token of a client pair, and the errors of
// the token endpoint, which never hold the client secret.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// tokenCache holds the client-credentials token for the provider run. The
// token request uses the caller's context, so it goes through the shared
// transport like every other call: retried, and logged at TRACE with the
// client secret and the token redacted.
type tokenCache struct {
	mu       sync.Mutex
	cc       clientcredentials.Config
	http     *http.Client
	tok      *oauth2.Token
	redactor *shared.Redactor
}

func (t *tokenCache) get(ctx context.Context) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.tok.Valid() { // false for nil, and ten seconds before expiry
		return t.tok.AccessToken, nil
	}
	tok, err := t.cc.Token(context.WithValue(ctx, oauth2.HTTPClient, t.http))
	if err != nil {
		return "", tokenError(err, t.redactor)
	}
	t.tok = tok
	return tok.AccessToken, nil
}

// secretForms are the values to redact for each secret: as is, and as a
// form or a path would escape it (a server that echoes the token request
// quotes the form-encoded secret).
func secretForms(secrets ...string) []string {
	var out []string
	for _, s := range secrets {
		if s != "" {
			out = append(out, s, url.QueryEscape(s), url.PathEscape(s))
		}
	}
	return out
}

// TokenError is a refusal from the token endpoint, reduced to what OAuth2
// defines for it (RFC 6749, section 5.2): the HTTP status, the error code
// and its description, with the client secret redacted. The body itself is
// never shown: a server may quote the submitted form, secret included.
type TokenError struct {
	Status      int
	Code        string
	Description string
}

func (e *TokenError) Error() string {
	s := fmt.Sprintf("the token endpoint (POST /connect/token) answered HTTP %d %s", e.Status, http.StatusText(e.Status))
	if e.Code == "" {
		return s + " without an OAuth2 error code (the body is not shown: it may quote the client secret)"
	}
	s += fmt.Sprintf(" with OAuth2 error %q", e.Code)
	if e.Description != "" {
		s += ": " + e.Description
	}
	return s
}

// tokenError turns a failed token exchange into an error that never holds
// the client secret: golang.org/x/oauth2 quotes the answer's body (or its
// error_description) as it is.
func tokenError(err error, r *shared.Redactor) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		te := &TokenError{Code: strings.TrimSpace(re.ErrorCode)}
		if re.Response != nil {
			te.Status = re.Response.StatusCode
		}
		if te.Code != "" {
			desc := r.Text(strings.TrimSpace(re.ErrorDescription))
			if len(desc) > 300 {
				desc = desc[:300] + "…"
			}
			te.Description = desc
		}
		return te
	}
	if msg := err.Error(); r.Text(msg) != msg {
		return errors.New(r.Text(msg))
	}
	return err
}
