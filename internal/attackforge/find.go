package attackforge

// The finders: one per object (a user, a member of a team, a team), each
// returning shared.ErrNotFound, wrapped, for what does not exist. They
// read through the client's caches, so a provider run asks for each user
// and each user's projects once.

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// teamWorkers bounds the concurrent GET /api/ss/user/:id/projects requests
// of a team search, and the concurrent operations of the team resource's
// apply.
const teamWorkers = 8

// findUser finds the user a `user` value names: an email (in the user
// listing when this run has read it, else by email), a 24-hex id (in the
// user listing, else by the user's projects, which exist only for a user
// who does) or a username (by username).
func (c *Client) findUser(ctx context.Context, user string) (User, error) {
	switch userKind(user) {
	case kindEmail:
		if l := c.listed.Load(); l != nil {
			for _, u := range l.Users {
				if shared.NormalizeEmail(u.Email) == shared.NormalizeEmail(user) {
					return u, nil
				}
			}
		}
		return c.UserByEmail(ctx, user)
	case kindID:
		users, _, err := c.Users(ctx)
		if err != nil {
			return User{}, err
		}
		for _, u := range users {
			if strings.EqualFold(u.ID, user) {
				return u, nil
			}
		}
		// Not in the list: the user may still exist (a list we could not
		// read fully); ask for their projects, which 404s for unknown users.
		if _, err := c.UserProjects(ctx, user); err != nil {
			return User{}, err
		}
		return User{ID: user}, nil
	default:
		return c.UserByUsername(ctx, user)
	}
}

// findMember finds user userID on the project's team: the project as the
// user's project listing has it. A user who does not exist, or is not on
// the team, is shared.ErrNotFound. The API offers no way to read the
// member's access level or project role.
func (c *Client) findMember(ctx context.Context, projectID, userID string) (Project, error) {
	ps, err := c.UserProjects(ctx, userID)
	if err != nil {
		return Project{}, err
	}
	for _, p := range ps {
		if strings.EqualFold(p.ID, projectID) {
			return p, nil
		}
	}
	return Project{}, fmt.Errorf("%s: user %s is not on the team of project %s: %w", Title, userID, projectID, shared.ErrNotFound)
}

// candidate is a user who may be on a team, and the key the caller knows
// them by.
type candidate struct {
	User
	Key string
}

// team is what findTeam found.
type team struct {
	// Members are the candidates on the team, in the order searched.
	Members []candidate
	// Reported and Listed are the user listing's count and the number of
	// users it returned (both 0 when the listing was not read).
	Reported, Listed int
}

// Incomplete reports whether the user listing returned fewer users than it
// reported: members among the others cannot be found.
func (t team) Incomplete() bool { return t.Reported > t.Listed }

// findTeam finds the team of a project. The Self-Service API has no
// listing of a team, so the search asks candidates for their projects
// (findMember, cached for the run), teamWorkers at a time. The candidates
// are the known users (key -> id as the caller has it, "" when unknown:
// looked up with findUser; a user who no longer exists is left out) and,
// when all, every other user of the account in the user listing's order
// (GET /api/ss/users, keyed by teamKey). Finding a whole team thus costs
// 1 + one request per user of the account.
//
// Members are handed to each (when not nil) as they are found, a few at a
// time; each returning false stops the search (no further requests), and
// so does a cancelled ctx. The team found so far is returned with any
// error.
func (c *Client) findTeam(ctx context.Context, projectID string, known map[string]string, all bool, each func([]candidate) bool) (team, error) {
	cands, t, err := c.candidates(ctx, known, all)
	if err != nil {
		return t, err
	}
	for start := 0; start < len(cands); start += teamWorkers {
		if err := ctx.Err(); err != nil {
			return t, err
		}
		chunk := cands[start:min(start+teamWorkers, len(cands))]
		on, err := c.onTeam(ctx, projectID, chunk)
		if err != nil {
			return t, err
		}
		var found []candidate
		for i, cand := range chunk {
			if on[i] {
				found = append(found, cand)
			}
		}
		t.Members = append(t.Members, found...)
		if len(found) > 0 && each != nil && !each(found) {
			return t, nil
		}
	}
	return t, nil
}

// candidates are the users findTeam asks: the known ones (sorted by key),
// then, when all, every other user of the account.
func (c *Client) candidates(ctx context.Context, known map[string]string, all bool) ([]candidate, team, error) {
	var cands []candidate
	taken := map[string]bool{}
	for _, k := range slices.Sorted(maps.Keys(known)) {
		u := User{ID: known[k]}
		if u.ID == "" {
			found, err := c.findUser(ctx, k)
			if errors.Is(err, shared.ErrNotFound) {
				continue // the user is gone: so is the membership
			}
			if err != nil {
				return nil, team{}, fmt.Errorf("looking up %s: %w", k, err)
			}
			u = found
		}
		taken[strings.ToLower(u.ID)] = true
		cands = append(cands, candidate{User: u, Key: k})
	}
	if !all {
		return cands, team{}, nil
	}
	users, count, err := c.Users(ctx)
	if err != nil {
		return nil, team{}, fmt.Errorf("listing the users to find the team: %w", err)
	}
	for _, u := range users {
		if !taken[strings.ToLower(u.ID)] {
			cands = append(cands, candidate{User: u, Key: teamKey(u)})
		}
	}
	return cands, team{Reported: count, Listed: len(users)}, nil
}

// onTeam reports, for each user, whether they are on the project's team,
// asking for at most teamWorkers users' projects at a time.
func (c *Client) onTeam(ctx context.Context, projectID string, users []candidate) ([]bool, error) {
	on := make([]bool, len(users))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(teamWorkers)
	for i, u := range users {
		g.Go(func() error {
			_, err := c.findMember(gctx, projectID, u.ID)
			switch {
			case err == nil:
				on[i] = true
			case !errors.Is(err, shared.ErrNotFound):
				return err
			}
			return nil
		})
	}
	return on, g.Wait()
}
