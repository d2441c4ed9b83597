package smartdocumentor

// The SmartDocumentor external API: the client, the wire types, one method
// per API call and the decoders of its answers. Raw calls are named by
// what they send (AvailableRoles, Workspaces, WorkspaceUsers, Invite); the
// batched invitation built on Invite is InviteOne (batch.go), the member
// finder findMember (find.go), and the OAuth2 token cache is token.go.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

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
	c.invites = &shared.Batcher[int64, InviteUser, struct{}]{Window: inviteWindow, Run: c.runInvites}
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

// Invite sends one POST sdworkspace/inviteusers for users (the raw call:
// batching and settling a refused batch are InviteOne's, in batch.go).
func (c *Client) Invite(ctx context.Context, workspaceID int64, users []InviteUser) error {
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
