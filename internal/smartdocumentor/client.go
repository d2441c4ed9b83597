package smartdocumentor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

const apiPrefix = "/api/v1.0/external"

// Config holds the resolved connection settings.
type Config struct {
	Endpoint, ClientID, ClientSecret, AccessToken string
}

// Client talks to the SmartDocumentor external API.
type Client struct {
	api *shared.Client

	// roles caches the tenant's roles for the provider run (plan-time
	// validation of every resource's role costs one request).
	roles shared.ListCache[string, []string]
	// users caches each workspace's member listing for the provider run.
	users shared.ListCache[int64, []User]
	// invites coalesces concurrent invitations to one workspace into one
	// POST sdworkspace/inviteusers.
	invites *shared.Batcher[int64, InviteUser, struct{}]
}

// NewClient builds a client. With a client pair, tokens come from
// {endpoint}/connect/token (client credentials via golang.org/x/oauth2,
// scope WebAPI), cached while valid and renewed before they expire.
func NewClient(cfg Config, opts shared.Options) (*Client, error) {
	c := &Client{}
	// 50ms gathers Terraform's waves of concurrent creates (parallelism
	// 10) into about one request each, at a cost of 50ms per wave.
	c.invites = &shared.Batcher[int64, InviteUser, struct{}]{Window: 50 * time.Millisecond, Run: c.runInvites}
	tokens := &tokenCache{}
	authorize := func(ctx context.Context, req *http.Request) error {
		if cfg.AccessToken != "" {
			req.Header.Set("Authorization", "Bearer "+cfg.AccessToken)
			return nil
		}
		tok, err := tokens.get(ctx)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		return nil
	}
	api, err := shared.NewClient(shared.ClientConfig{
		Platform:  Title,
		BaseURL:   cfg.Endpoint,
		Options:   opts,
		Authorize: authorize,
		Secrets:   secretForms(cfg.ClientSecret, cfg.AccessToken),
	})
	if err != nil {
		return nil, err
	}
	c.api = api
	tokens.http = api.HTTP
	tokens.redactor = shared.NewRedactor(secretForms(cfg.ClientSecret)...)
	tokens.cc = clientcredentials.Config{
		ClientID:     cfg.ClientID,
		ClientSecret: cfg.ClientSecret,
		TokenURL:     strings.TrimRight(api.BaseURL().String(), "/") + "/connect/token",
		Scopes:       []string{"WebAPI"},
		AuthStyle:    oauth2.AuthStyleInParams,
	}
	return c, nil
}

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

// User is a member as sdworkspace/allusers (and tenant/allusers) lists it.
type User struct {
	ID             int64  `json:"id"`
	RoleName       string `json:"roleName"`
	Name           string `json:"name"`
	UserName       string `json:"userName"`
	Email          string `json:"email"`
	CreatedAt      string `json:"createdAt"`
	EmailConfirmed bool   `json:"emailConfirmed"`
	Status         string `json:"status"`
}

// InvitePending reports an invitation not yet accepted: the user has not
// confirmed their email address (SmartDocumentor confirms it when the
// invitation is accepted).
func (u User) InvitePending() bool { return !u.EmailConfirmed }

// invitedAtDoc and pendingDoc document invited_at and pending.
const (
	invitedAtDoc = "When the invitation was sent, in RFC 3339 (UTC): the user's `createdAt` as the workspace listing reports it, " +
		"which an invitation of someone new to the tenant sets; for someone already in the tenant it is when their user was created. " +
		"Null when the listing does not report a date the provider can read."
	pendingDoc = "Whether the invitation is still pending: the user has not confirmed their email address (`emailConfirmed` is false)."
)

// Workspace is an entry of sdworkspace/CurrentWorkspaces.
type Workspace struct {
	WorkspaceID   int64  `json:"workspaceId"`
	TenantID      int64  `json:"tenantId"`
	WorkspaceName string `json:"workspaceName"`
	IsDefault     bool   `json:"isDefault"`
}

// InviteUser is one entry of users[] in an invite request
// (ExternalUserModel in the API reference).
type InviteUser struct {
	Email    string `json:"email"`
	RoleName string `json:"roleName"`
}

// inviteRequest is InviteUsersRequest.
type inviteRequest struct {
	WorkspaceID int64        `json:"workspaceId"`
	Users       []InviteUser `json:"users"`
}

// DuplicateError is the answer to the second of two invitations of one
// email to one workspace in the same batch: the first is sent, this one is
// not (the API rejects a request that names an email twice).
type DuplicateError struct {
	WorkspaceID int64
	Email       string
}

func (e *DuplicateError) Error() string {
	return fmt.Sprintf("%s: %s is already invited to workspace %d by another resource of this configuration (duplicate): "+
		"an email can be invited to a workspace only once, so this invitation was not sent", Title, e.Email, e.WorkspaceID)
}

// --- decoders (tolerant where the contract is not verified) ---

// decodeRoles reads availableroles: [{"name": ...}] (documented); a plain
// array of strings is accepted too.
func decodeRoles(b []byte) ([]string, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		return nil, nil
	}
	var objs []struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(b, &objs); err != nil {
		var names []string
		if err2 := json.Unmarshal(b, &names); err2 != nil {
			return nil, err
		}
		return cleanRoles(names), nil
	}
	names := make([]string, 0, len(objs))
	for _, o := range objs {
		names = append(names, o.Name)
	}
	return cleanRoles(names), nil
}

func cleanRoles(in []string) []string {
	out := make([]string, 0, len(in))
	for _, n := range in {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// decodeUsers reads an allusers listing; null is an empty list.
func decodeUsers(b []byte) ([]User, error) {
	var out []User
	if len(bytes.TrimSpace(b)) == 0 {
		return out, nil
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// decodeWorkspaces reads CurrentWorkspaces; null is an empty list.
func decodeWorkspaces(b []byte) ([]Workspace, error) {
	var out []Workspace
	if len(bytes.TrimSpace(b)) == 0 {
		return out, nil
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// getJSON sends a GET and decodes the body with decode, reporting an
// undecodable body as *shared.DecodeError.
func getJSON[T any](ctx context.Context, c *Client, op, p string, decode func([]byte) (T, error)) (T, error) {
	var raw json.RawMessage
	var zero T
	r := shared.Request{Op: op, Method: http.MethodGet, Path: p}
	if _, err := c.api.Do(ctx, r, &raw); err != nil {
		return zero, err
	}
	v, err := decode(raw)
	if err != nil {
		return zero, c.api.DecodeFailure(r, raw, err)
	}
	return v, nil
}

// --- API calls ---

// AvailableRoles returns the tenant's role names, fetched once per
// provider run.
func (c *Client) AvailableRoles(ctx context.Context) ([]string, error) {
	return c.roles.Get(ctx, "roles", func(ctx context.Context) ([]string, error) {
		return getJSON(ctx, c, "list the tenant's available roles", apiPrefix+"/tenant/availableroles", decodeRoles)
	})
}

// Workspaces lists the workspaces of the tenant.
func (c *Client) Workspaces(ctx context.Context) ([]Workspace, error) {
	return getJSON(ctx, c, "list workspaces", apiPrefix+"/sdworkspace/CurrentWorkspaces", decodeWorkspaces)
}

// WorkspaceUsers lists a workspace's members, once per workspace per
// provider run (shared by every Read); invitations invalidate it.
func (c *Client) WorkspaceUsers(ctx context.Context, workspaceID int64) ([]User, error) {
	return c.users.Get(ctx, workspaceID, func(ctx context.Context) ([]User, error) {
		return getJSON(ctx, c, fmt.Sprintf("list the users of workspace %d", workspaceID),
			apiPrefix+"/sdworkspace/allusers/"+strconv.FormatInt(workspaceID, 10), decodeUsers)
	})
}

// FindMember looks email up (any case) among the workspace's members.
func (c *Client) FindMember(ctx context.Context, workspaceID int64, email string) (User, bool, error) {
	users, err := c.WorkspaceUsers(ctx, workspaceID)
	if err != nil {
		return User{}, false, err
	}
	u, ok := findUser(users, email)
	return u, ok, nil
}

// Invite invites one user to a workspace; someone already a member with
// this role counts as invited. Concurrent calls for the same workspace are
// sent as one request (see runInvites).
func (c *Client) Invite(ctx context.Context, workspaceID int64, email, role string) error {
	_, err := c.invites.Do(ctx, workspaceID, InviteUser{Email: email, RoleName: role})
	return err
}

// inviteUsers sends one POST sdworkspace/inviteusers.
func (c *Client) inviteUsers(ctx context.Context, workspaceID int64, users []InviteUser) error {
	op := fmt.Sprintf("invite %d user(s) to workspace %d", len(users), workspaceID)
	if len(users) == 1 {
		op = fmt.Sprintf("invite %s to workspace %d", users[0].Email, workspaceID)
	}
	_, err := c.api.Do(ctx, shared.Request{
		Op: op, Method: http.MethodPost, Path: apiPrefix + "/sdworkspace/inviteusers",
		JSON: inviteRequest{WorkspaceID: workspaceID, Users: users},
	}, nil)
	return err
}

// MemberExistsError is an invitation of someone who is already a member
// of the workspace with another role, as the workspace listing shows: the
// API cannot change a member's role.
type MemberExistsError struct {
	WorkspaceID   int64
	Email         string
	Role, Planned string
}

func (e *MemberExistsError) Error() string {
	return fmt.Sprintf("%s: %s is already a member of workspace %d with role %q, not %q, and the API cannot change a member's role",
		Title, e.Email, e.WorkspaceID, e.Role, e.Planned)
}

// findUser looks email up (any case) in a listing.
func findUser(users []User, email string) (User, bool) {
	for _, u := range users {
		if strings.EqualFold(strings.TrimSpace(u.Email), strings.TrimSpace(email)) {
			return u, true
		}
	}
	return User{}, false
}

// runInvites performs one batch for a workspace:
//
//  1. An email that appears twice in the batch (any case) is sent once: the
//     first item gets the result, later ones a *DuplicateError.
//  2. The remaining users go in one request (users[]).
//  3. The API answers one problem-details 400 for the whole request when
//     any entry is bad and invites nobody. The wording of its message is
//     not documented, so who is already a member is read from the
//     workspace listing: with the planned role that is the desired state
//     (also what a retried invite whose first answer was lost looks like)
//     and counts as done; with another role it is a *MemberExistsError.
//     The others are sent again together, and if that is refused too,
//     each alone, so only the bad one fails, with the API's own message.
//     Other failures (5xx, network, auth) fail the whole batch as they
//     are: they say nothing about a single member, and re-sending a
//     non-idempotent invite after an unclear failure could double it.
//
// Every batch invalidates the workspace's listing, so the creates' read
// back is one listing fetched after the write (shared by the batch).
func (c *Client) runInvites(ctx context.Context, workspaceID int64, items []InviteUser) ([]struct{}, []error, error) {
	errs := make([]error, len(items))
	seen := map[string]bool{}
	var send []InviteUser
	var idx []int
	for i, it := range items {
		key := shared.NormalizeEmail(it.Email)
		if seen[key] {
			errs[i] = &DuplicateError{WorkspaceID: workspaceID, Email: it.Email}
			continue
		}
		seen[key] = true
		send = append(send, it)
		idx = append(idx, i)
	}
	defer c.users.Invalidate(workspaceID)
	err := c.inviteUsers(ctx, workspaceID, send)
	if err == nil {
		return nil, errs, nil
	}
	fail := func(err error, which []int) {
		for _, i := range which {
			errs[i] = err
		}
	}
	if shared.StatusOf(err) != http.StatusBadRequest {
		fail(err, idx)
		return nil, errs, nil
	}
	c.users.Invalidate(workspaceID)
	members, lerr := c.WorkspaceUsers(ctx, workspaceID)
	var rest []InviteUser
	var restIdx []int
	for j, u := range send {
		if lerr == nil {
			if m, ok := findUser(members, u.Email); ok {
				if !strings.EqualFold(m.RoleName, u.RoleName) {
					errs[idx[j]] = &MemberExistsError{WorkspaceID: workspaceID, Email: u.Email, Role: m.RoleName, Planned: u.RoleName}
				}
				continue
			}
		}
		rest = append(rest, u)
		restIdx = append(restIdx, idx[j])
	}
	switch {
	case len(rest) == 0:
		return nil, errs, nil
	case len(rest) < len(send):
		if err = c.inviteUsers(ctx, workspaceID, rest); err == nil {
			return nil, errs, nil
		}
		if shared.StatusOf(err) != http.StatusBadRequest {
			fail(err, restIdx)
			return nil, errs, nil
		}
	}
	if len(rest) == 1 {
		errs[restIdx[0]] = err
		return nil, errs, nil
	}
	for j, u := range rest {
		errs[restIdx[j]] = c.inviteUsers(ctx, workspaceID, []InviteUser{u})
	}
	return nil, errs, nil
}
