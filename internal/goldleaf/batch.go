package goldleaf

// Batching of invitations: concurrent Creates (one apply, for_each) share
// as few requests as possible (shared.Batcher), split on a refusal until
// only the refused users fail.

import (
	"context"
	"net/http"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// InviteBatched invites one user. Concurrent calls are coalesced into one
// request (the endpoint takes a list; see inviteSplitting).
func (c *Client) InviteBatched(ctx context.Context, inv Invitee) error {
	_, err := c.batcher.Do(ctx, "organization", inv)
	return err
}

// inviteSplitting sends one request for the batch. GoldLeaf answers 400
// for the whole request when one entry is invalid, so on a 400 the batch
// is split in halves and retried until the invalid entries are alone:
// they fail, the others are invited.
func (c *Client) inviteSplitting(ctx context.Context, _ string, items []Invitee) ([]struct{}, []error, error) {
	errs := make([]error, len(items))
	var try func(idx []int)
	try = func(idx []int) {
		users := make([]Invitee, len(idx))
		for i, j := range idx {
			users[i] = items[j]
		}
		err := c.invite(ctx, users)
		switch {
		case err == nil:
		case shared.StatusOf(err) == http.StatusBadRequest && len(idx) > 1:
			half := len(idx) / 2
			try(idx[:half])
			try(idx[half:])
		default:
			for _, j := range idx {
				errs[j] = err
			}
		}
	}
	all := make([]int, len(items))
	for i := range all {
		all[i] = i
	}
	try(all)
	return make([]struct{}, len(items)), errs, nil
}
