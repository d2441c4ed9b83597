package docspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// Types a user can be invited as or changed to, by name (DocSpace's numbers
// changed between versions, so the provider never sends them).
var Types = []string{"User", "RoomAdmin", "DocSpaceAdmin", "Guest"}

// Activation status words for the API's numbers.
var activationWords = map[int]string{0: "not_activated", 1: "activated", 2: "pending", 4: "auto_generated"}

// ActivationStatuses are the words activation_status takes.
var ActivationStatuses = []string{"not_activated", "activated", "pending", "auto_generated"}

// Status words for the API's numbers.
var statusWords = map[int]string{1: "active", 2: "terminated", 4: "pending"}

// ActivationWord turns the API's activationStatus number into a word.
func ActivationWord(n int) string {
	if w, ok := activationWords[n]; ok {
		return w
	}
	return "unknown_" + strconv.Itoa(n)
}

// ActivationNumber is the inverse of ActivationWord.
func ActivationNumber(w string) (int, bool) {
	for n, s := range activationWords {
		if s == w {
			return n, true
		}
	}
	return 0, false
}

// StatusWord turns the API's status number into a word.
func StatusWord(n int) string {
	if w, ok := statusWords[n]; ok {
		return w
	}
	return "unknown_" + strconv.Itoa(n)
}

// User is a DocSpace portal user.
type User struct {
	ID               string `json:"id"`
	DisplayName      string `json:"displayName"`
	FirstName        string `json:"firstName"`
	LastName         string `json:"lastName"`
	Email            string `json:"email"`
	Status           int    `json:"status"`
	ActivationStatus int    `json:"activationStatus"`
	IsOwner          bool   `json:"isOwner"`
	IsAdmin          bool   `json:"isAdmin"`
	IsRoomAdmin      bool   `json:"isRoomAdmin"`
	IsVisitor        bool   `json:"isVisitor"`
	IsCollaborator   bool   `json:"isCollaborator"`
}

// Type is the user's type, derived from the flags as DocSpace does.
func (u User) Type() string {
	switch {
	case u.IsOwner:
		return "Owner"
	case u.IsAdmin:
		return "DocSpaceAdmin"
	case u.IsRoomAdmin:
		return "RoomAdmin"
	case u.IsVisitor:
		return "Guest"
	}
	return "User"
}

// Terminated reports whether the user is disabled (status 2).
func (u User) Terminated() bool { return u.Status == 2 }

// envelope is DocSpace's wrapper around every answer.
type envelope struct {
	Response   json.RawMessage `json:"response"`
	Count      int             `json:"count"`
	Status     int             `json:"status"`
	StatusCode int             `json:"statusCode"`
}

// DecodeUser decodes an envelope holding one user.
func DecodeUser(data []byte) (User, error) {
	var env envelope
	var u User
	if err := json.Unmarshal(data, &env); err != nil {
		return u, err
	}
	if len(env.Response) == 0 || string(env.Response) == "null" {
		return u, errors.New("the envelope has no response")
	}
	if err := json.Unmarshal(env.Response, &u); err != nil {
		return u, err
	}
	if u.ID == "" {
		return u, errors.New("the user has no id")
	}
	return u, nil
}

// DecodeUsers decodes an envelope holding a list of users (null is empty).
func DecodeUsers(data []byte) ([]User, error) {
	var env envelope
	if err := json.Unmarshal(data, &env); err != nil {
		return nil, err
	}
	var out []User
	if len(env.Response) == 0 || string(env.Response) == "null" {
		return out, nil
	}
	if err := json.Unmarshal(env.Response, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// raw captures a body for the decoders above.
type raw []byte

func (r *raw) UnmarshalJSON(b []byte) error { *r = append((*r)[:0], b...); return nil }

func (c *Client) do(ctx context.Context, r shared.Request) ([]byte, error) {
	var body raw
	if _, err := c.api.Do(ctx, r, &body); err != nil {
		return nil, err
	}
	return body, nil
}

func (c *Client) user(ctx context.Context, r shared.Request) (User, error) {
	body, err := c.do(ctx, r)
	if err != nil {
		return User{}, err
	}
	u, err := DecodeUser(body)
	if err != nil {
		return User{}, c.api.DecodeFailure(r, body, err)
	}
	return u, nil
}

func (c *Client) users(ctx context.Context, r shared.Request) ([]User, error) {
	body, err := c.do(ctx, r)
	if err != nil {
		return nil, err
	}
	us, err := DecodeUsers(body)
	if err != nil {
		return nil, c.api.DecodeFailure(r, body, err)
	}
	return us, nil
}

// Invitation is one entry of invitations[].
type Invitation struct {
	Email string `json:"email"`
	Type  string `json:"type"`
}

type inviteBody struct {
	Invitations []Invitation `json:"invitations"`
	Culture     string       `json:"culture,omitempty"`
}

// Invite sends POST people/invite. The answer lists every pending user the
// caller sees, not only the invited ones.
func (c *Client) Invite(ctx context.Context, culture string, invs []Invitation) ([]User, error) {
	defer c.list.InvalidateAll()
	return c.users(ctx, shared.Request{Op: "invite users", Method: http.MethodPost, Path: "/api/2.0/people/invite",
		JSON: inviteBody{Invitations: invs, Culture: culture}})
}

// GetUser reads a user by id.
func (c *Client) GetUser(ctx context.Context, id string) (User, error) {
	return c.user(ctx, shared.Request{Op: "read user " + id, Method: http.MethodGet, Path: "/api/2.0/people/" + url.PathEscape(id)})
}

// GetUserByEmail finds a user by email (404 when there is none).
func (c *Client) GetUserByEmail(ctx context.Context, email string) (User, error) {
	return c.user(ctx, shared.Request{Op: "find user " + email, Method: http.MethodGet, Path: "/api/2.0/people/email",
		Query: url.Values{"email": {email}}})
}

// Self reads the caller.
func (c *Client) Self(ctx context.Context) (User, error) {
	return c.user(ctx, shared.Request{Op: "read the caller's profile", Method: http.MethodGet, Path: "/api/2.0/people/@self"})
}

// Filter selects users in ListUsers.
type Filter struct {
	// ActivationStatus is a number (0, 1, 2, 4) or -1 for any.
	ActivationStatus int
	// EmployeeType is a type name or "" for any.
	EmployeeType string
}

// PageSize is the count asked of people/filter per page.
const PageSize = 100

// ListUsers reads every page of people/filter.
func (c *Client) ListUsers(ctx context.Context, f Filter) ([]User, error) {
	var all []User
	for start := 0; ; start += PageSize {
		q := url.Values{"count": {strconv.Itoa(PageSize)}, "startIndex": {strconv.Itoa(start)}}
		if f.ActivationStatus >= 0 {
			q.Set("activationStatus", strconv.Itoa(f.ActivationStatus))
		}
		if f.EmployeeType != "" {
			q.Set("employeeType", f.EmployeeType)
		}
		page, err := c.users(ctx, shared.Request{Op: "list users", Method: http.MethodGet, Path: "/api/2.0/people/filter", Query: q})
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) < PageSize || start > 1_000_000 {
			return all, nil
		}
	}
}

// SetType sends PUT people/type/{type}; the answer lists the users changed
// (the portal silently skips users it cannot change).
func (c *Client) SetType(ctx context.Context, typ string, ids []string) ([]User, error) {
	defer c.list.InvalidateAll()
	return c.users(ctx, shared.Request{Op: "change the type of users to " + typ, Method: http.MethodPut,
		Path: "/api/2.0/people/type/" + url.PathEscape(typ),
		JSON: map[string]any{"userIds": ids, "resendAll": false}})
}

// Terminate sends PUT people/status/Terminated.
func (c *Client) Terminate(ctx context.Context, ids []string) ([]User, error) {
	defer c.list.InvalidateAll()
	return c.users(ctx, shared.Request{Op: "terminate (disable) users", Method: http.MethodPut,
		Path: "/api/2.0/people/status/Terminated", JSON: map[string]any{"userIds": ids}})
}

// DeleteUser deletes a terminated user.
func (c *Client) DeleteUser(ctx context.Context, id string) error {
	defer c.list.InvalidateAll()
	_, err := c.do(ctx, shared.Request{Op: "delete user " + id, Method: http.MethodDelete, Path: "/api/2.0/people/" + url.PathEscape(id)})
	return err
}

// --- per-run listing and batching ---

// Directory is one listing of the portal's users.
type Directory struct {
	ByID    map[string]User
	ByEmail map[string]User
}

func newDirectory(us []User) Directory {
	d := Directory{ByID: map[string]User{}, ByEmail: map[string]User{}}
	for _, u := range us {
		d.ByID[u.ID] = u
		d.ByEmail[shared.NormalizeEmail(u.Email)] = u
	}
	return d
}

// Directory returns the users of the portal, listed once per provider run
// (all pages of people/filter) and shared by every Read until a write.
func (c *Client) Directory(ctx context.Context) (Directory, error) {
	return c.list.Get(ctx, "portal", func(ctx context.Context) (Directory, error) {
		us, err := c.ListUsers(ctx, Filter{ActivationStatus: -1})
		if err != nil {
			return Directory{}, err
		}
		return newDirectory(us), nil
	})
}

// Lookup finds a user by id through the shared listing, confirming with
// GET people/{id} when the listing does not have it. found is false when
// the user does not exist (404).
func (c *Client) Lookup(ctx context.Context, id string) (u User, found bool, err error) {
	dir, err := c.Directory(ctx)
	if err == nil {
		if u, ok := dir.ByID[id]; ok {
			return u, true, nil
		}
	}
	u, err = c.GetUser(ctx, id)
	if shared.IsNotFound(err) {
		return User{}, false, nil
	}
	if err != nil {
		return User{}, false, err
	}
	return u, true, nil
}

type inviteKey struct{ culture, typ string }

// InviteOne invites email as typ, through a batch: concurrent invitations
// with the same type and culture share one POST people/invite. It returns
// the user the email belongs to after the invite.
func (c *Client) InviteOne(ctx context.Context, email, typ, culture string) (User, error) {
	return c.invites.Do(ctx, inviteKey{culture, typ}, email)
}

func (c *Client) runInvites(ctx context.Context, key inviteKey, emails []string) ([]User, []error, error) {
	// Two resources inviting the same email (in any case) would both own
	// one user, and destroying either would delete it: the first is sent,
	// the others fail.
	var invs []Invitation
	dup := make([]error, len(emails))
	seen := map[string]bool{}
	for i, e := range emails {
		if seen[shared.NormalizeEmail(e)] {
			dup[i] = fmt.Errorf("DocSpace: %s is invited by another resource of this configuration too (duplicate): not sent twice. "+
				"Keep one resource per email address (emails are compared case-insensitively)", e)
			continue
		}
		seen[shared.NormalizeEmail(e)] = true
		invs = append(invs, Invitation{Email: e, Type: key.typ})
	}
	listed, err := c.Invite(ctx, key.culture, invs)
	if err != nil {
		// 400 (one bad or disabled address) and 402 (the quota covers some
		// but not all) fail the whole request: retry one by one so each
		// failure lands on its own resource.
		if st := shared.StatusOf(err); len(invs) > 1 && (st == http.StatusBadRequest || st == http.StatusPaymentRequired) {
			results := make([]User, len(emails))
			errs := make([]error, len(emails))
			for i, e := range emails {
				if dup[i] != nil {
					errs[i] = dup[i]
					continue
				}
				results[i], errs[i] = c.inviteAndFind(ctx, key, e, nil)
			}
			return results, errs, nil
		}
		return nil, nil, err
	}
	results := make([]User, len(emails))
	errs := make([]error, len(emails))
	byEmail := newDirectory(listed).ByEmail
	for i, e := range emails {
		if dup[i] != nil {
			errs[i] = dup[i]
			continue
		}
		if u, ok := byEmail[shared.NormalizeEmail(e)]; ok {
			results[i] = u
			continue
		}
		// an existing, already active user is not in the pending list
		results[i], errs[i] = c.findInvited(ctx, e)
	}
	return results, errs, nil
}

func (c *Client) inviteAndFind(ctx context.Context, key inviteKey, email string, _ []User) (User, error) {
	listed, err := c.Invite(ctx, key.culture, []Invitation{{Email: email, Type: key.typ}})
	if err != nil {
		return User{}, err
	}
	if u, ok := newDirectory(listed).ByEmail[shared.NormalizeEmail(email)]; ok {
		return u, nil
	}
	return c.findInvited(ctx, email)
}

func (c *Client) findInvited(ctx context.Context, email string) (User, error) {
	u, err := c.GetUserByEmail(ctx, email)
	if shared.IsNotFound(err) {
		return User{}, fmt.Errorf("DocSpace accepted the invitation of %s but no user with that email exists afterwards", email)
	}
	return u, err
}

// --- import ids ---

var uuidRe = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// ParseImportID tells an email from a user uuid.
func ParseImportID(id string) (email, uuid string, err error) {
	id = strings.TrimSpace(id)
	switch {
	case uuidRe.MatchString(id):
		return "", strings.ToLower(id), nil
	case strings.Contains(id, "@") && shared.ValidateEmail(id) == "":
		return id, "", nil
	}
	return "", "", fmt.Errorf("expected the user's email address (jane@example.com) or user id, a uuid such as 3f2a9c1e-8b7d-4e6f-a5b4-c3d2e1f0a9b8; got %q", id)
}

// batchWindow is how long the first invitation waits for others.
const batchWindow = 30 * time.Millisecond

// Remove terminates then deletes a user. Concurrent terminations share one
// PUT people/status/Terminated; a user the portal would not terminate
// (the owner, the caller) fails with an error saying so.
func (c *Client) Remove(ctx context.Context, id, email string) error {
	ok, err := c.terminations.Do(ctx, "portal", id)
	if err != nil {
		return err
	}
	if !ok {
		// gone already, or terminated already: fine
		u, gerr := c.GetUser(ctx, id)
		if shared.IsNotFound(gerr) {
			return nil
		}
		ok = gerr == nil && u.Terminated()
	}
	if !ok {
		return fmt.Errorf("DocSpace did not terminate %s (user %s): the portal skips users it cannot disable, such as the owner, the caller itself, or a DocSpace admin when the caller is not the owner", email, id)
	}
	err = c.DeleteUser(ctx, id)
	if shared.IsNotFound(err) {
		return nil
	}
	return err
}

func (c *Client) runTerminations(ctx context.Context, _ string, ids []string) ([]bool, []error, error) {
	var uniq []string
	seen := map[string]bool{}
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	changed, err := c.Terminate(ctx, uniq)
	if err != nil {
		return nil, nil, err
	}
	done := map[string]bool{}
	for _, u := range changed {
		done[strings.ToLower(u.ID)] = u.Terminated()
	}
	out := make([]bool, len(ids))
	for i, id := range ids {
		out[i] = done[strings.ToLower(id)]
	}
	return out, nil, nil
}

// removeChunk is how many user ids one termination request carries, and
// removeParallelism how many deletions run at once.
const (
	removeChunk       = 100
	removeParallelism = 8
)

// RemoveMany terminates users in requests of up to 100 ids, then deletes
// them a few at a time. It returns an error per user that could not be
// removed (by user id).
func (c *Client) RemoveMany(ctx context.Context, users []User) map[string]error {
	errs := map[string]error{}
	var mu sync.Mutex
	setErr := func(id string, err error) {
		mu.Lock()
		errs[id] = err
		mu.Unlock()
	}
	var toDelete []User
	for start := 0; start < len(users); start += removeChunk {
		chunk := users[start:min(start+removeChunk, len(users))]
		ids := make([]string, len(chunk))
		for i, u := range chunk {
			ids[i] = u.ID
		}
		done, err := c.Terminate(ctx, ids)
		if err != nil {
			for _, u := range chunk {
				setErr(u.ID, err)
			}
			continue
		}
		terminated := map[string]bool{}
		for _, u := range done {
			terminated[strings.ToLower(u.ID)] = u.Terminated()
		}
		for _, u := range chunk {
			if terminated[strings.ToLower(u.ID)] {
				toDelete = append(toDelete, u)
				continue
			}
			setErr(u.ID, fmt.Errorf("DocSpace did not terminate %s (user %s): the portal skips users it cannot disable, such as the owner, the caller itself, or a DocSpace admin when the caller is not the owner", u.Email, u.ID))
		}
	}
	sem := make(chan struct{}, removeParallelism)
	var wg sync.WaitGroup
	for _, u := range toDelete {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := c.DeleteUser(ctx, u.ID); err != nil && !shared.IsNotFound(err) {
				setErr(u.ID, err)
			}
		}()
	}
	wg.Wait()
	return errs
}

func (c *Client) runTypeChanges(ctx context.Context, typ string, ids []string) ([]bool, []error, error) {
	var uniq []string
	seen := map[string]bool{}
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	_, err := c.SetType(ctx, typ, uniq)
	if err != nil {
		// 402: the quota may cover some of them: one by one, so each
		// failure lands on its own resource
		if shared.StatusOf(err) == http.StatusPaymentRequired && len(uniq) > 1 {
			errs := make([]error, len(ids))
			for i, id := range ids {
				_, errs[i] = c.SetType(ctx, typ, []string{id})
			}
			return make([]bool, len(ids)), errs, nil
		}
		return nil, nil, err
	}
	return make([]bool, len(ids)), nil, nil
}
