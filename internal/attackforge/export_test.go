package attackforge

import "context"

// The finders, for the external tests (real_test.go) that check a real
// instance outside Terraform.

// FindUser is findUser.
func (c *Client) FindUser(ctx context.Context, user string) (User, error) {
	return c.findUser(ctx, user)
}

// FindMember is findMember.
func (c *Client) FindMember(ctx context.Context, projectID, userID string) (Project, error) {
	return c.findMember(ctx, projectID, userID)
}
