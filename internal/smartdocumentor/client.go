package smartdocumentor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

const apiPrefix = "/api/v1.0/external"

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
	for _, u := range users {
		if strings.EqualFold(strings.TrimSpace(u.Email), strings.TrimSpace(email)) {
			return u, true, nil
		}
	}
	return User{}, false, nil
}

// Invite invites one user to a workspace. Concurrent calls for the same
// workspace are sent as one request (see runInvites).
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

// runInvites performs one batch for a workspace:
//
//  1. An email that appears twice in the batch (any case) is sent once: the
//     first item gets the result, later ones a *DuplicateError.
//  2. The remaining users go in one request (users[]).
//  3. The API answers one problem-details 400 for the whole request when
//     any entry is bad and invites nobody, so on a 400 with more than one
//     user each user is retried alone: only the bad one fails, with the
//     API's own message. Other failures (5xx, network, auth) fail the whole
//     batch as they are: they say nothing about a single member, and
//     re-sending a non-idempotent invite after an unclear failure could
//     double it.
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
	if shared.StatusOf(err) == http.StatusBadRequest && len(send) > 1 {
		for j, u := range send {
			errs[idx[j]] = c.inviteUsers(ctx, workspaceID, []InviteUser{u})
		}
		return nil, errs, nil
	}
	for _, i := range idx {
		errs[i] = err
	}
	return nil, errs, nil
}

// isAlreadyMember reports whether err is the API refusing an invitation
// of someone who is already a member.
func isAlreadyMember(err error) bool {
	var ae *shared.APIError
	return errors.As(err, &ae) && strings.Contains(strings.ToLower(ae.Message), "already a member")
}
