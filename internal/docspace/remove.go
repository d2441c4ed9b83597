package docspace

// remove.go: removal from the portal, which DocSpace makes in two steps:
// terminate (disable), then delete. Concurrent removals share one
// termination request; a removal of someone who owns data goes through
// Offboard (offboard.go) instead.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// errGone marks a user that no longer exists.
var errGone = errors.New("the user no longer exists")

// Remove removes u from the portal: terminates (disables) it, through a
// batch shared by concurrent removals, then deletes it, as DocSpace
// cannot delete an active user. A user left terminated by an earlier run
// is deleted at once. A user DocSpace would refuse (see Protection) fails
// without a request.
func (c *Client) Remove(ctx context.Context, u User) error {
	caller, err := c.Caller(ctx)
	if err != nil {
		return err
	}
	if why := Protection(u, caller); why != "" {
		return refusedRemoval(u, why)
	}
	if u.Terminated() {
		// left terminated by an earlier run: finish the deletion, unless
		// someone re-activated it since (403 "not suspended")
		err := c.deleteTerminated(ctx, u)
		if shared.StatusOf(err) != http.StatusForbidden {
			return err
		}
	}
	if _, err := c.terminations.Do(ctx, directoryKey, u.ID); errors.Is(err, errGone) {
		return nil
	} else if err != nil {
		return err
	}
	return c.deleteTerminated(ctx, u)
}

func refusedRemoval(u User, why string) error {
	return fmt.Errorf("%s (user %s) is %s: DocSpace refuses to terminate or delete it (HTTP 403 \"Access denied\" for the whole request), so the provider does not try", u.Email, u.ID, why)
}

func (c *Client) deleteTerminated(ctx context.Context, u User) error {
	err := c.DeleteUser(ctx, u.ID)
	if shared.IsNotFound(err) {
		return nil
	}
	return err
}

// terminate sends PUT people/status/Terminated for ids, in halves when
// the portal refuses the whole call, and checks each user is terminated
// afterwards. It returns an error per id (lower case) that is not:
// errGone for a user that no longer exists.
func (c *Client) terminate(ctx context.Context, ids []string) map[string]error {
	answered := map[string]User{}
	failed := splitRefused(ctx, ids, statusIn(http.StatusForbidden), func(ctx context.Context, part []string) error {
		us, err := c.SetStatus(ctx, "Terminated", part)
		for _, u := range us {
			answered[strings.ToLower(u.ID)] = u
		}
		return err
	})
	errs := map[string]error{}
	for _, id := range ids {
		key := strings.ToLower(id)
		if err := failed[id]; err != nil {
			errs[key] = err
			continue
		}
		if u, ok := answered[key]; ok && u.Terminated() {
			continue
		}
		// not in the answer: gone, or left active
		u, err := c.GetUser(ctx, id)
		switch {
		case shared.IsNotFound(err):
			errs[key] = errGone
		case err != nil:
			errs[key] = err
		case !u.Terminated():
			errs[key] = fmt.Errorf("DocSpace answered PUT /api/2.0/people/status/Terminated without terminating %s (user %s)", u.Email, id)
		}
	}
	return errs
}

// removeChunk is how many user ids one termination request carries, and
// removeParallelism how many deletions run at once.
const (
	removeChunk       = 100
	removeParallelism = 8
)

// RemoveMany terminates users in requests of up to 100 ids (users left
// terminated by an earlier run are not sent again), then deletes them a
// few at a time. Users DocSpace would refuse (see Protection) fail without
// a request; when the portal still refuses a request, it is split so that
// each refused user fails alone. It returns an error per user that could
// not be removed, by id.
func (c *Client) RemoveMany(ctx context.Context, users []User) map[string]error {
	errs := map[string]error{}
	caller, err := c.Caller(ctx)
	if err != nil {
		for _, u := range users {
			errs[u.ID] = err
		}
		return errs
	}
	var active, toDelete []User
	for _, u := range users {
		switch why := Protection(u, caller); {
		case why != "":
			errs[u.ID] = refusedRemoval(u, why)
		case u.Terminated():
			toDelete = append(toDelete, u)
		default:
			active = append(active, u)
		}
	}
	for start := 0; start < len(active); start += removeChunk {
		chunk := active[start:min(start+removeChunk, len(active))]
		ids := make([]string, len(chunk))
		for i, u := range chunk {
			ids[i] = u.ID
		}
		failed := c.terminate(ctx, ids)
		for _, u := range chunk {
			switch err := failed[strings.ToLower(u.ID)]; {
			case err == nil:
				toDelete = append(toDelete, u)
			case !errors.Is(err, errGone):
				errs[u.ID] = err
			}
		}
	}
	var mu sync.Mutex
	var g errgroup.Group
	g.SetLimit(removeParallelism)
	for _, u := range toDelete {
		g.Go(func() error {
			if err := c.deleteTerminated(ctx, u); err != nil {
				mu.Lock()
				errs[u.ID] = err
				mu.Unlock()
			}
			return nil
		})
	}
	_ = g.Wait()
	return errs
}
