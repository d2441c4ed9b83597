package docspace

// find.go: one finder per way of finding a portal user. Each returns the
// user or an error; a user that does not exist is shared.ErrNotFound,
// wrapped (check it with errors.Is). The listing they look in is the run's
// (batch.go); the raw calls are in api.go.

import (
	"context"
	"fmt"
	"strings"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// Directory is one listing of the portal's users.
type Directory struct {
	ByID    map[string]User
	ByEmail map[string]User
	// All is the listing in the portal's order.
	All []User
}

func newDirectory(us []User) Directory {
	d := Directory{ByID: map[string]User{}, ByEmail: map[string]User{}, All: us}
	for _, u := range us {
		d.ByID[strings.ToLower(u.ID)] = u
		d.ByEmail[shared.NormalizeEmail(u.Email)] = u
	}
	return d
}

// User finds a user of the listing by id (any case).
func (d Directory) User(id string) (User, bool) {
	u, ok := d.ByID[strings.ToLower(id)]
	return u, ok
}

// UserByEmail finds a user of the listing by email (any case).
func (d Directory) UserByEmail(email string) (User, bool) {
	u, ok := d.ByEmail[shared.NormalizeEmail(email)]
	return u, ok
}

// notFound marks a 404 of the API as shared.ErrNotFound, keeping the
// API's error in the chain.
func notFound(err error) error {
	if shared.IsNotFound(err) {
		return fmt.Errorf("%w: %w", shared.ErrNotFound, err)
	}
	return err
}

// findUser finds a user by id through the run's listing, confirming with
// GET people/{id} when the listing does not have it.
func (c *Client) findUser(ctx context.Context, id string) (User, error) {
	if dir, err := c.Directory(ctx); err == nil {
		if u, ok := dir.User(id); ok {
			return u, nil
		}
	}
	u, err := c.GetUser(ctx, id)
	return u, notFound(err)
}

// findUserByEmail finds a user by email through the run's listing (one
// listing per run, whatever the number of look-ups), asking
// GET people/email only when the listing does not have it.
func (c *Client) findUserByEmail(ctx context.Context, email string) (User, error) {
	if dir, err := c.Directory(ctx); err == nil {
		if u, ok := dir.UserByEmail(email); ok {
			return u, nil
		}
	}
	u, err := c.GetUserByEmail(ctx, email)
	return u, notFound(err)
}

// findCurrentUserByEmail finds a user by email as the portal has it now
// (one GET people/email), not as the run's listing had it: this run's own
// writes may have changed it.
func (c *Client) findCurrentUserByEmail(ctx context.Context, email string) (User, error) {
	u, err := c.GetUserByEmail(ctx, email)
	return u, notFound(err)
}

// findPlannedUserByEmail finds a user by email in the listing plans are
// checked against (PlanDirectory).
func (c *Client) findPlannedUserByEmail(ctx context.Context, email string) (User, error) {
	dir, err := c.PlanDirectory(ctx)
	if err != nil {
		return User{}, err
	}
	if u, ok := dir.UserByEmail(email); ok {
		return u, nil
	}
	return User{}, fmt.Errorf("%w: the portal has no user %s", shared.ErrNotFound, email)
}
