package docspace

// batch.go: the run's listing of the portal (one per run, dropped after a
// write), the claims of emails, and the batched flows: invitations read
// back from the portal, type changes and re-activations, concurrent calls
// sharing one request. The raw calls they make are in api.go.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// --- the shared listing ---

const directoryKey = "portal"

// Directory returns the users of the portal, listed once (all pages of
// people/filter) and shared by every Read until a write. Concurrent
// callers share one fetch; after a write, a caller never gets a listing
// whose fetch began before it.
func (c *Client) Directory(ctx context.Context) (Directory, error) {
	return c.list.Get(ctx, directoryKey, func(ctx context.Context) (Directory, error) {
		us, err := c.ListUsers(ctx, Filter{ActivationStatus: anyActivation})
		if err != nil {
			return Directory{}, err
		}
		d := newDirectory(us)
		c.planned.Store(&d)
		return d, nil
	})
}

// PlanDirectory is the listing a plan of a new invitation is checked
// against: the latest one read in this run, even when this run's own
// writes have outdated it since, else a fresh one. Terraform plans every
// resource again while it applies: checking each against a new listing
// would list the whole portal again after every batch of invitations.
// What the run's own writes change cannot matter to these checks (an
// email has one resource per run, see Claim), and the apply itself still
// reads back what each invitation became.
func (c *Client) PlanDirectory(ctx context.Context) (Directory, error) {
	if d := c.planned.Load(); d != nil {
		return *d, nil
	}
	return c.Directory(ctx)
}

// changed drops the listing after a write (sent or attempted): the next
// Directory is fetched after it.
func (c *Client) changed() { c.list.Invalidate(directoryKey) }

// --- claims: one resource per email per run ---

// Claim records that a resource of this run invites email. A second claim
// of the same address (in any letter case) fails: two resources would own
// one portal user, and destroying either would remove it.
func (c *Client) Claim(email string) error {
	c.claimsMu.Lock()
	defer c.claimsMu.Unlock()
	n := shared.NormalizeEmail(email)
	if c.claims == nil {
		c.claims = map[string]string{}
	}
	if prev, ok := c.claims[n]; ok {
		return fmt.Errorf("%s is invited by another resource of this configuration too (duplicate, as %s): not sent twice. "+
			"Keep one resource per email address (emails are compared case-insensitively)", email, prev)
	}
	c.claims[n] = email
	return nil
}

// --- batching ---

// batchWindow is how long the first request of a batch waits for others.
const batchWindow = 30 * time.Millisecond

// splitRefused makes call with every id and, when the whole call is
// refused (refused(err)) and holds more than one id, with each half, so
// that an id the portal refuses fails alone, with its own error, and the
// others go through. It makes at most 2n-1 calls and stops splitting when
// ctx ends. It returns the error of each id that failed.
func splitRefused(ctx context.Context, ids []string, refused func(error) bool, call func(context.Context, []string) error) map[string]error {
	errs := map[string]error{}
	var run func(part []string)
	run = func(part []string) {
		if len(part) == 0 {
			return
		}
		err := call(ctx, part)
		if err == nil {
			return
		}
		if len(part) > 1 && refused(err) && ctx.Err() == nil {
			run(part[:len(part)/2])
			run(part[len(part)/2:])
			return
		}
		for _, id := range part {
			errs[id] = err
		}
	}
	run(ids)
	return errs
}

func statusIn(statuses ...int) func(error) bool {
	return func(err error) bool {
		st := shared.StatusOf(err)
		for _, s := range statuses {
			if st == s {
				return true
			}
		}
		return false
	}
}

func unique(ids []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, id := range ids {
		if k := strings.ToLower(id); !seen[k] {
			seen[k] = true
			out = append(out, id)
		}
	}
	return out
}

// perID turns run, which returns the error of each id (lower case) that
// failed, into the Run of a shared.Batcher: the ids of a batch are sent
// once each, and every caller gets the error of its id.
func perID[K comparable](run func(ctx context.Context, key K, ids []string) map[string]error) func(context.Context, K, []string) ([]bool, []error, error) {
	return func(ctx context.Context, key K, ids []string) ([]bool, []error, error) {
		failed := run(ctx, key, unique(ids))
		errs := make([]error, len(ids))
		for i, id := range ids {
			errs[i] = failed[strings.ToLower(id)]
		}
		return make([]bool, len(ids)), errs, nil
	}
}

// --- invitations ---

type inviteKey struct{ culture, typ string }

// Invited is the user an invitation left on the portal.
type Invited struct {
	User
	// Reactivated is set when the email belonged to a terminated user,
	// which DocSpace refuses to invite (400 "disabled"): the provider
	// re-activated that user instead.
	Reactivated bool
}

// InviteOne invites email as typ, through a batch: concurrent invitations
// with the same type and culture share one POST people/invite and one
// read-back of the listing. It returns the user the email belongs to
// afterwards, which may be an existing user of another type (DocSpace
// only upgrades existing users).
func (c *Client) InviteOne(ctx context.Context, email, typ, culture string) (Invited, error) {
	return c.invites.Do(ctx, inviteKey{culture, typ}, email)
}

// runInvites sends a batch of invitations. An invitee the run's listing
// already has on the portal (not terminated) is adopted, not invited
// again: after an apply that was killed, its invitations were sent but
// never recorded, and inviting those people again would send them another
// email. The caller converges the type (ChangeType).
func (c *Client) runInvites(ctx context.Context, key inviteKey, emails []string) ([]Invited, []error, error) {
	results := make([]Invited, len(emails))
	errs := make([]error, len(emails))
	first := map[string]int{}
	var invs []Invitation
	dir, dirErr := c.PlanDirectory(ctx)
	for i, e := range emails {
		n := shared.NormalizeEmail(e)
		if _, dup := first[n]; dup {
			errs[i] = fmt.Errorf("DocSpace: %s is invited twice in one batch (duplicate): not sent twice. "+
				"Keep one resource per email address (emails are compared case-insensitively)", e)
			continue
		}
		if u, ok := dir.UserByEmail(e); dirErr == nil && ok && !u.Terminated() {
			results[i] = Invited{User: u}
			continue
		}
		first[n] = i
		invs = append(invs, Invitation{Email: e, Type: key.typ})
	}
	if len(invs) == 0 {
		return results, errs, nil
	}
	out := c.InviteMany(ctx, key.culture, invs)
	for n, i := range first {
		results[i], errs[i] = out[n].Invited, out[n].Err
	}
	return results, errs, nil
}

// InviteOutcome is what became of one invitation: the user the email
// belongs to afterwards, or why there is none.
type InviteOutcome struct {
	Invited
	Err error
}

// partialInvite reports an answer after which some invitations of the
// request may have been sent and others not: 400 (a bad or disabled
// address stops the request there) and 402 (the quota, checked for the
// whole request, may cover them one by one).
var partialInvite = statusIn(http.StatusBadRequest, http.StatusPaymentRequired)

// inviteChunk is how many invitations one POST people/invite carries.
const inviteChunk = 100

// InviteMany invites invs (one POST people/invite per type and chunk of
// 100, in order; none for type Guest, which DocSpace always refuses) and
// then reads back the user each invitation became: the invitees that are
// pending users by email (PendingUsers: one request per 50, whatever the
// size of the portal), the others from the whole listing, read once.
// Whatever the answers were, an invitee the portal has is done (an answer
// lost after the work, or a request that stopped part-way, leaves earlier
// invitations sent); an invitee whose
// user is terminated is re-activated (DocSpace refuses to invite it); the
// invitees a request stopped before (400, 402) are sent one by one, so
// that each failure lands on its own invitee. The result is keyed by
// shared.NormalizeEmail.
func (c *Client) InviteMany(ctx context.Context, culture string, invs []Invitation) map[string]InviteOutcome {
	sends := c.sendInvitations(ctx, culture, invs)
	out, retry, reactivate := c.readBackInvitations(ctx, sends)
	c.inviteOneByOne(ctx, culture, retry, out)
	c.reactivateInvitees(ctx, reactivate, out)
	return out
}

// sentInvitations are the invitations of one request and its error.
type sentInvitations struct {
	invs []Invitation
	err  error
}

// sendInvitations sends invs, one POST people/invite per type and chunk
// of 100, in order (none for type Guest, which DocSpace always refuses).
func (c *Client) sendInvitations(ctx context.Context, culture string, invs []Invitation) []sentInvitations {
	var sends []sentInvitations
	byType := map[string][]Invitation{}
	var typeOrder []string
	for _, inv := range invs {
		if _, ok := byType[inv.Type]; !ok {
			typeOrder = append(typeOrder, inv.Type)
		}
		byType[inv.Type] = append(byType[inv.Type], inv)
	}
	for _, typ := range typeOrder {
		group := byType[typ]
		if typ == "Guest" {
			// always refused: only existing users are found below
			sends = append(sends, sentInvitations{group, errors.New(guestRefusal)})
			continue
		}
		for start := 0; start < len(group); start += inviteChunk {
			chunk := group[start:min(start+inviteChunk, len(group))]
			sends = append(sends, sentInvitations{chunk, c.Invite(ctx, culture, chunk)})
		}
	}
	return sends
}

// readBackInvitations finds the user each sent invitation became: the
// invitees that are pending users now by email (one request per 50), the
// others (existing users, terminated ones, invitations that failed) in the
// whole listing, read once and only if needed. It returns the outcomes it
// knows, the invitations to send again one by one (a request stopped
// before them) and the terminated users to re-activate.
func (c *Client) readBackInvitations(ctx context.Context, sends []sentInvitations) (out map[string]InviteOutcome, retry []Invitation, reactivate []User) {
	out = map[string]InviteOutcome{}
	var invitees []string
	for _, s := range sends {
		for _, inv := range s.invs {
			invitees = append(invitees, inv.Email)
		}
	}
	pending, pendErr := c.PendingUsers(ctx, invitees)
	var dir Directory
	var dirErr error
	dirRead := false
	for _, s := range sends {
		for _, inv := range s.invs {
			n := shared.NormalizeEmail(inv.Email)
			if u, ok := pending[n]; ok && pendErr == nil {
				out[n] = InviteOutcome{Invited: Invited{User: u}}
				continue
			}
			if !dirRead {
				dir, dirErr = c.Directory(ctx)
				dirRead = true
			}
			u, ok := dir.UserByEmail(inv.Email)
			switch {
			case dirErr != nil && s.err != nil:
				out[n] = InviteOutcome{Err: s.err}
			case dirErr != nil:
				out[n] = InviteOutcome{Err: fmt.Errorf("DocSpace accepted the invitation of %s, but the portal's people could not be listed to find its user: %w", inv.Email, dirErr)}
			case ok && !u.Terminated():
				out[n] = InviteOutcome{Invited: Invited{User: u}}
			case ok:
				reactivate = append(reactivate, u)
			case s.err == nil:
				out[n] = InviteOutcome{Err: noUserAfterInvite(inv.Email)}
			case len(s.invs) == 1 || !partialInvite(s.err):
				out[n] = InviteOutcome{Err: s.err}
			default:
				retry = append(retry, inv)
			}
		}
	}
	return out, retry, reactivate
}

func noUserAfterInvite(email string) error {
	return fmt.Errorf("DocSpace accepted the invitation of %s but lists no user with that email afterwards", email)
}

// inviteOneByOne sends each of retry alone (a request stopped before
// them), then reads the users back from one listing, into out.
func (c *Client) inviteOneByOne(ctx context.Context, culture string, retry []Invitation, out map[string]InviteOutcome) {
	var resent []Invitation
	for _, inv := range retry {
		if err := c.Invite(ctx, culture, []Invitation{inv}); err != nil {
			out[shared.NormalizeEmail(inv.Email)] = InviteOutcome{Err: err}
			continue
		}
		resent = append(resent, inv)
	}
	if len(resent) == 0 {
		return
	}
	dir, err := c.Directory(ctx)
	for _, inv := range resent {
		n := shared.NormalizeEmail(inv.Email)
		switch u, ok := dir.UserByEmail(inv.Email); {
		case err != nil:
			out[n] = InviteOutcome{Err: err}
		case ok:
			out[n] = InviteOutcome{Invited: Invited{User: u}}
		default:
			out[n] = InviteOutcome{Err: noUserAfterInvite(inv.Email)}
		}
	}
}

// reactivateInvitees re-activates the terminated users invitations were
// sent to (DocSpace refuses to invite them), into out.
func (c *Client) reactivateInvitees(ctx context.Context, reactivate []User, out map[string]InviteOutcome) {
	if len(reactivate) == 0 {
		return
	}
	users, errs := c.Reactivate(ctx, reactivate)
	for _, u := range reactivate {
		n := shared.NormalizeEmail(u.Email)
		if err := errs[u.ID]; err != nil {
			out[n] = InviteOutcome{Err: err}
			continue
		}
		out[n] = InviteOutcome{Invited: Invited{User: users[u.ID], Reactivated: true}}
	}
}

// Reactivate re-activates terminated users (PUT people/status/Active):
// DocSpace refuses to invite their email again. It returns the users as
// they are afterwards and an error per user it could not re-activate, by
// id. Users the portal refuses (see Protection, or a paid seat over the
// quota) fail alone.
func (c *Client) Reactivate(ctx context.Context, users []User) (map[string]User, map[string]error) {
	caller, err := c.Caller(ctx)
	errs := map[string]error{}
	var ids []string
	for _, u := range users {
		switch why := Protection(u, caller); {
		case err != nil:
			errs[u.ID] = err
		case why != "":
			errs[u.ID] = fmt.Errorf("%s (user %s) is terminated (disabled) on the portal and is %s: DocSpace refuses to re-activate it with these credentials", u.Email, u.ID, why)
		default:
			ids = append(ids, u.ID)
		}
	}
	after := map[string]User{}
	for id, err := range splitRefused(ctx, ids, statusIn(http.StatusForbidden, http.StatusPaymentRequired), func(ctx context.Context, part []string) error {
		us, err := c.SetStatus(ctx, "Active", part)
		for _, u := range us {
			after[strings.ToLower(u.ID)] = u
		}
		return err
	}) {
		errs[id] = err
	}
	out := map[string]User{}
	for _, u := range users {
		if errs[u.ID] != nil {
			continue
		}
		a, ok := after[strings.ToLower(u.ID)]
		if !ok || a.Terminated() {
			errs[u.ID] = fmt.Errorf("DocSpace answered PUT /api/2.0/people/status/Active without re-activating %s (user %s)", u.Email, u.ID)
			continue
		}
		out[u.ID] = a
	}
	return out, errs
}

// --- type changes ---

// ChangeType changes u's type through a batch (concurrent changes to one
// type share one PUT people/type/{type}) and reads u back from one fresh
// listing shared by the batch, failing when the portal left it unchanged.
// A user DocSpace would refuse (see Protection) fails without a request.
func (c *Client) ChangeType(ctx context.Context, u User, typ string) (User, error) {
	caller, err := c.Caller(ctx)
	if err != nil {
		return u, err
	}
	if why := TypeChangeRefusal(u, typ, caller); why != "" {
		return u, fmt.Errorf("%s (user %s) cannot be made %s: %s (it stays %s)", u.Email, u.ID, typ, why, u.Type())
	}
	if _, err := c.typeChanges.Do(ctx, typ, u.ID); err != nil {
		return u, err
	}
	after, err := c.findUser(ctx, u.ID)
	if errors.Is(err, shared.ErrNotFound) {
		return u, fmt.Errorf("user %s (%s) disappeared from the portal while its type was being changed", u.Email, u.ID)
	}
	if err != nil {
		return u, err
	}
	if after.Type() != typ {
		return after, fmt.Errorf("DocSpace answered PUT /api/2.0/people/type/%s without changing %s (user %s): the type is still %s. "+
			"The portal leaves alone changes it does not make: terminated users, changes to DocSpaceAdmin or of DocSpace admins "+
			"unless the caller is the owner, and changes it does not support. Use the owner's credentials or change the type in the portal", typ, after.Email, after.ID, after.Type())
	}
	return after, nil
}

// typeChunk is how many user ids one PUT people/type carries.
const typeChunk = 100

// setTypes sends PUT people/type/{typ} for ids, 100 at a time. A rejected
// user (403) or a paid seat over the quota (402) stops a request there:
// the request is then split so that each such user fails alone. It
// returns the error of each id (lower case) that failed; callers read the
// users back, as DocSpace leaves alone changes it does not make.
func (c *Client) setTypes(ctx context.Context, typ string, ids []string) map[string]error {
	errs := map[string]error{}
	for start := 0; start < len(ids); start += typeChunk {
		chunk := ids[start:min(start+typeChunk, len(ids))]
		for id, err := range splitRefused(ctx, chunk, statusIn(http.StatusForbidden, http.StatusPaymentRequired), func(ctx context.Context, part []string) error {
			_, err := c.SetType(ctx, typ, part)
			return err
		}) {
			errs[strings.ToLower(id)] = err
		}
	}
	return errs
}

// ChangeTypes changes the type of users to typ without reading them back
// (the authoritative resource reads the whole portal back afterwards).
// Users DocSpace would refuse (see TypeChangeRefusal) fail without a
// request. It returns an error per user that failed, by id.
func (c *Client) ChangeTypes(ctx context.Context, typ string, users []User) map[string]error {
	errs := map[string]error{}
	caller, err := c.Caller(ctx)
	var ids []string
	for _, u := range users {
		switch {
		case err != nil:
			errs[u.ID] = err
		case TypeChangeRefusal(u, typ, caller) != "":
			errs[u.ID] = fmt.Errorf("%s (user %s) cannot be made %s: %s", u.Email, u.ID, typ, TypeChangeRefusal(u, typ, caller))
		default:
			ids = append(ids, u.ID)
		}
	}
	failed := c.setTypes(ctx, typ, ids)
	for _, u := range users {
		if err := failed[strings.ToLower(u.ID)]; err != nil {
			errs[u.ID] = err
		}
	}
	return errs
}
