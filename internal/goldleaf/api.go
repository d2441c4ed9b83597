package goldleaf

// The GoldLeaf API: the client, the API key to security token exchange,
// the wire types and one method per call.
//
// Naming: a raw API call is a lower-case verb on the Client named after
// what it sends (invite: one POST for a list of users). The flow built on
// it is named by what it does: InviteBatched (batch.go) coalesces
// concurrent invitations into as few requests as possible.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// Paths of the GoldLeaf API.
const (
	tokenPath  = "/security/v1/token"
	invitePath = "/api/v1/organization/users/invite"
)

// Config holds the resolved connection settings.
type Config struct {
	Endpoint, APIKey, APIKeyName, AccessToken string
}

// Client talks to the GoldLeaf API.
type Client struct {
	api *shared.Client
	cfg Config

	// now is the clock used for token lifetimes (tests replace it).
	now func() time.Time

	mu      sync.Mutex
	token   string
	fetched time.Time // when token was obtained
	renewAt time.Time // when token is renewed before use

	batcher *shared.Batcher[string, Invitee, struct{}]
}

// NewClient builds a client.
func NewClient(cfg Config, opts shared.Options) (*Client, error) {
	c := &Client{cfg: cfg, now: time.Now}
	api, err := shared.NewClient(shared.ClientConfig{
		Platform: Title, BaseURL: cfg.Endpoint, Options: opts,
		Authorize: c.authorize,
		Secrets:   []string{cfg.APIKey, cfg.AccessToken},
	})
	if err != nil {
		return nil, err
	}
	c.api = api
	c.batcher = &shared.Batcher[string, Invitee, struct{}]{Run: c.inviteSplitting}
	return c, nil
}

func (c *Client) authorize(ctx context.Context, req *http.Request) error {
	tok, err := c.securityToken(ctx)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	return nil
}

// securityToken returns the cached token, exchanging the API key for a new
// one when none is cached or it is close to expiry.
func (c *Client) securityToken(ctx context.Context) (string, error) {
	if c.cfg.AccessToken != "" {
		return c.cfg.AccessToken, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if c.token != "" && now.Before(c.renewAt) {
		return c.token, nil
	}
	var raw json.RawMessage
	_, err := c.api.Do(ctx, shared.Request{
		Op: "exchange the API key for a security token", Method: http.MethodPost, Path: tokenPath,
		JSON:   tokenRequest{APIKey: c.cfg.APIKey, Name: c.cfg.APIKeyName, GrantType: "client_credentials"},
		NoAuth: true,
	}, &raw)
	if err != nil {
		switch shared.StatusOf(err) {
		case http.StatusUnauthorized, http.StatusForbidden:
			return "", shared.WithHint(err, "GoldLeaf rejected the API key: check api_key and api_key_name "+
				"(or GOLDLEAF_API_KEY / GOLDLEAF_API_KEY_NAME) in the goldleaf block; inviting users requires an admin API key.")
		}
		return "", err
	}
	tok, expires, err := decodeToken(raw, now)
	if err != nil {
		return "", &shared.DecodeError{Platform: Title, Op: "exchange the API key for a security token",
			Method: http.MethodPost, Path: tokenPath, Err: err, Body: "(not shown: it may hold a token)"}
	}
	c.token, c.fetched, c.renewAt = tok, now, renewalTime(now, expires)
	return tok, nil
}

// invalidate drops the cached token if it was obtained before since (a
// token obtained later is already a new one) and reports whether the
// request is worth one retry: only with an API key, which can get a new
// token.
func (c *Client) invalidate(since time.Time) bool {
	if c.cfg.AccessToken != "" {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token != "" && c.fetched.Before(since) {
		c.token = ""
	}
	return true
}

// renewalTime is when a token expiring at expires is renewed: a tenth of
// its lifetime early, at most a minute.
func renewalTime(now, expires time.Time) time.Time {
	margin := expires.Sub(now) / 10
	if margin > time.Minute {
		margin = time.Minute
	}
	if margin < 0 {
		margin = 0
	}
	return expires.Add(-margin)
}

type tokenRequest struct {
	APIKey    string `json:"apiKey"`
	Name      string `json:"name"`
	GrantType string `json:"grantType"`
}

type tokenFields struct {
	SecurityToken string          `json:"securityToken"`
	Expires       json.RawMessage `json:"expires"`
}

// decodeToken reads a token answer, enveloped ({"data":{securityToken,
// expires}}) or flat ({securityToken, expires}); both have been seen.
// expires is RFC 3339, epoch seconds or a lifetime in seconds; without a
// usable one the documented hour is assumed.
func decodeToken(body []byte, now time.Time) (string, time.Time, error) {
	var out struct {
		tokenFields
		Data *tokenFields `json:"data"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		return "", time.Time{}, err
	}
	f := out.tokenFields
	if f.SecurityToken == "" && out.Data != nil {
		f = *out.Data
	}
	if strings.TrimSpace(f.SecurityToken) == "" {
		return "", time.Time{}, errors.New("the answer has no securityToken")
	}
	exp := parseExpires(f.Expires, now)
	if exp.IsZero() || !exp.After(now) {
		exp = now.Add(time.Hour)
	}
	return f.SecurityToken, exp, nil
}

func parseExpires(raw json.RawMessage, now time.Time) time.Time {
	if len(raw) == 0 {
		return time.Time{}
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t
		}
		return time.Time{}
	}
	var n float64
	if json.Unmarshal(raw, &n) == nil && n > 0 && n < 1e12 {
		if n > 1e9 {
			return time.Unix(int64(n), 0)
		}
		return now.Add(time.Duration(n * float64(time.Second)))
	}
	return time.Time{}
}

// do sends a request with the security token, renewing a rejected cached
// token once. An authentication or permission failure carries what to do
// (shared.WithHint).
func (c *Client) do(ctx context.Context, r shared.Request, out any) error {
	start := c.now()
	_, err := c.api.Do(ctx, r, out)
	var ae *shared.AuthError
	if shared.StatusOf(err) == http.StatusUnauthorized && !errors.As(err, &ae) && c.invalidate(start) {
		_, err = c.api.Do(ctx, r, out)
	}
	if err == nil || errors.As(err, &ae) {
		return err
	}
	switch shared.StatusOf(err) {
	case http.StatusUnauthorized:
		advice := "The security token was rejected although it was just issued: check that the endpoint is GoldLeaf's API. Inviting users requires an admin API key."
		if c.cfg.AccessToken != "" {
			advice = "The access_token was rejected or has expired: get a new one, or configure api_key and api_key_name so the provider obtains and renews tokens itself. Inviting users requires an admin API key."
		}
		return shared.WithHint(err, advice)
	case http.StatusForbidden:
		return shared.WithHint(err, "Inviting organization users requires an admin API key: configure the goldleaf block with the api_key and api_key_name of an admin key (or an admin's access_token).")
	}
	return err
}

// Invitee is one user to invite. Password is nil when none is set.
type Invitee struct {
	Email    string
	Password *string
}

type inviteEntry struct {
	Email    string  `json:"email"`
	Password *string `json:"password,omitempty"`
}

type inviteRequest struct {
	EmailAddresses []inviteEntry `json:"emailAddresses"`
}

// invite sends one POST of the invite endpoint for users (the endpoint
// takes a list).
func (c *Client) invite(ctx context.Context, users []Invitee) error {
	req := inviteRequest{EmailAddresses: make([]inviteEntry, len(users))}
	for i, u := range users {
		req.EmailAddresses[i] = inviteEntry(u)
	}
	op := "invite " + users[0].Email
	if len(users) > 1 {
		op = fmt.Sprintf("invite %d users", len(users))
	}
	return c.do(ctx, shared.Request{Op: op, Method: http.MethodPost, Path: invitePath, JSON: req}, nil)
}
