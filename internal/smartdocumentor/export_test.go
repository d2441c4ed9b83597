package smartdocumentor

import "context"

// FindMember is findMember, for the external tests (real_test.go) that
// check a real tenant outside Terraform.
func (c *Client) FindMember(ctx context.Context, ws int64, email string) (User, error) {
	return c.findMember(ctx, ws, email)
}
