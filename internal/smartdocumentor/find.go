package smartdocumentor

// The finder: SmartDocumentor's one object is a workspace member, found in
// the workspace's listing (read once per provider run and shared by every
// Read, invalidated by invitations).

import (
	"context"
	"fmt"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// findMember finds email (any case) among the members of workspace ws:
// shared.ErrNotFound, wrapped, when the listing has no such member. A
// failure of the listing itself (such as a 404 for a workspace that does
// not exist) is returned as it is.
func (c *Client) findMember(ctx context.Context, ws int64, email string) (User, error) {
	users, err := c.WorkspaceUsers(ctx, ws)
	if err != nil {
		return User{}, err
	}
	if u, ok := memberByEmail(users, email); ok {
		return u, nil
	}
	return User{}, fmt.Errorf("%s: workspace %d has no member %s: %w", Title, ws, email, shared.ErrNotFound)
}

// memberByEmail looks email up (any case) in a workspace listing.
func memberByEmail(users []User, email string) (User, bool) {
	key := shared.NormalizeEmail(email)
	for _, u := range users {
		if shared.NormalizeEmail(u.Email) == key {
			return u, true
		}
	}
	return User{}, false
}
