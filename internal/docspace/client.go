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
	"sync/atomic"
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

// The user statuses of DocSpace (EmployeeStatus).
const (
	StatusActive         = 1
	StatusTerminatedCode = 2
	StatusPending        = 4
)

// Status words for the API's numbers.
var statusWords = map[int]string{StatusActive: "active", StatusTerminatedCode: "terminated", StatusPending: "pending"}

// StatusTerminated is the status word of a terminated (disabled) user.
const StatusTerminated = "terminated"

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

// User is a DocSpace portal user (the API's EmployeeFullDto).
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
	// RegistrationDate is when the profile was created, which for an
	// invited person is when the invitation was sent. DocSpace sends it to
	// DocSpace admins only.
	RegistrationDate apiDateTime `json:"registrationDate"`
}

// apiDateTime is DocSpace's ApiDateTime: on the wire a string such as
// "2024-01-15T10:30:00.0000000+03:00"; the specification models it as
// {utcTime, timeZoneOffset}, which is read too. Any other shape reads as
// unknown (""), never as an error: a date must not make a user unreadable.
type apiDateTime string

func (d *apiDateTime) UnmarshalJSON(b []byte) error {
	*d = ""
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*d = apiDateTime(s)
		return nil
	}
	var o struct {
		UTCTime string `json:"utcTime"`
	}
	if err := json.Unmarshal(b, &o); err == nil {
		*d = apiDateTime(o.UTCTime)
	}
	return nil
}

// InvitedAt is when the profile was created (the invitation for an
// invited person), as the API wrote it; "" when DocSpace did not say.
func (u User) InvitedAt() string { return string(u.RegistrationDate) }

// InvitePending reports an open invitation: the person has not joined
// (status Pending, or activation status Pending) and is not terminated.
func (u User) InvitePending() bool {
	return !u.Terminated() && (u.Status == 4 || u.ActivationStatus == 2)
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
func (u User) Terminated() bool { return u.Status == StatusTerminatedCode }

// Pending reports whether the user is an open invitation (status 4).
func (u User) Pending() bool { return u.Status == StatusPending }

// Protection says why DocSpace refuses to terminate, delete or change the
// type of u when the provider signs in as caller, or "" when it does not:
// PUT people/status answers 403 for the whole call when it holds the
// owner, the caller, or a DocSpace admin while the caller is not the owner
// (UserController.UpdateUserStatus); PUT people/type rejects the owner and
// the caller and leaves DocSpace admins alone unless the owner asks.
func Protection(u, caller User) string {
	switch {
	case u.IsOwner:
		return "the portal owner"
	case caller.ID != "" && strings.EqualFold(u.ID, caller.ID):
		return "the account whose credentials the provider uses"
	case u.IsAdmin && !caller.IsOwner:
		return "a DocSpace admin, and only the portal owner may remove DocSpace admins or change their type (the provider's credentials are not the owner's)"
	}
	return ""
}

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

// Config holds the resolved connection settings.
type Config struct {
	Endpoint, Token, AuthKey string
	// DataSuccessor is the email of who receives the data of the people
	// the provider removes, when their resource names nobody ("" for none).
	DataSuccessor string
	// ReassignTimeout bounds the wait for a data reassignment (0: 30m).
	ReassignTimeout time.Duration
}

// Client talks to the DocSpace people API. One Client serves one provider
// run (one terraform command): its listing, caller and claims live as long.
type Client struct {
	api *shared.Client
	// list is the per-run listing of the portal's people shared by Reads
	// and by the read-back after writes.
	list shared.ListCache[string, Directory]
	// planned is the latest listing read in this run, kept after writes
	// outdate it: what plans check a new invitation against (PlanDirectory).
	planned atomic.Pointer[Directory]
	// invites coalesces concurrent invitations per (culture, type).
	invites *shared.Batcher[inviteKey, string, Invited]
	// terminations coalesces concurrent terminations into one PUT.
	terminations *shared.Batcher[string, string, bool]
	// typeChanges coalesces concurrent type changes per target type.
	typeChanges *shared.Batcher[string, string, bool]

	callerMu sync.Mutex
	caller   *User

	claimsMu sync.Mutex
	claims   map[string]string

	// successor is the provider-level data successor (DefaultSuccessor),
	// reassignWait the bound of the wait for a reassignment.
	successor    string
	reassignWait ReassignWait
}

// NewClient builds a client.
func NewClient(cfg Config, opts shared.Options) (*Client, error) {
	authorize := func(_ context.Context, req *http.Request) error {
		if cfg.Token != "" {
			if strings.Contains(cfg.Token, " ") {
				req.Header.Set("Authorization", cfg.Token)
			} else {
				req.Header.Set("Authorization", "Bearer "+cfg.Token)
			}
			return nil
		}
		req.AddCookie(&http.Cookie{Name: "asc_auth_key", Value: cfg.AuthKey})
		return nil
	}
	api, err := shared.NewClient(shared.ClientConfig{
		Platform: "DocSpace", BaseURL: cfg.Endpoint, Options: opts,
		Authorize: authorize, Secrets: []string{cfg.Token, cfg.AuthKey},
	})
	if err != nil {
		return nil, err
	}
	c := &Client{api: api, successor: strings.TrimSpace(cfg.DataSuccessor), reassignWait: waitFor(cfg.ReassignTimeout)}
	c.invites = &shared.Batcher[inviteKey, string, Invited]{Window: batchWindow, Run: c.runInvites}
	c.terminations = &shared.Batcher[string, string, bool]{Window: batchWindow, Run: c.runTerminations}
	c.typeChanges = &shared.Batcher[string, string, bool]{Window: batchWindow, Run: c.runTypeChanges}
	return c, nil
}

// BaseURL is the portal's endpoint.
func (c *Client) BaseURL() *url.URL { return c.api.BaseURL() }

// Portal names the portal in resource identities: the host of the
// configured endpoint, in lower case ("yourportal.onlyoffice.com").
func (c *Client) Portal() string { return strings.ToLower(c.api.BaseURL().Host) }

// UserByEmail finds a user by email through the shared listing (one
// listing per run, whatever the number of look-ups), asking
// GET people/email only when the listing does not have it.
func (c *Client) UserByEmail(ctx context.Context, email string) (User, error) {
	if dir, err := c.Directory(ctx); err == nil {
		if u, ok := dir.ByEmail[shared.NormalizeEmail(email)]; ok {
			return u, nil
		}
	}
	return c.GetUserByEmail(ctx, email)
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

// --- the API's calls ---

// Invitation is one entry of invitations[].
type Invitation struct {
	Email string `json:"email"`
	Type  string `json:"type"`
}

type inviteBody struct {
	Invitations []Invitation `json:"invitations"`
	Culture     string       `json:"culture,omitempty"`
}

// Invite sends POST people/invite. Its answer (EmployeeDto: ids and
// names of every pending user, no email) cannot tell which user an
// invitation became, so it is not decoded: callers read the users back.
// DocSpace applies the invitations one at a time: when it fails, the
// invitations before the failing one have been sent.
func (c *Client) Invite(ctx context.Context, culture string, invs []Invitation) error {
	defer c.changed()
	_, err := c.do(ctx, shared.Request{Op: "invite users", Method: http.MethodPost, Path: "/api/2.0/people/invite",
		JSON: inviteBody{Invitations: invs, Culture: culture}})
	return err
}

// resendChunk is how many user ids one PUT people/invite carries.
const resendChunk = 100

// ResendInvites sends PUT people/invite {userIds, resendAll:false}: DocSpace
// sends the invitation again to the listed users who have not joined and
// skips the others without an error. Its answer lists the targeted users
// the caller may see, which says nothing of what was sent: callers check
// beforehand who is pending. 100 ids a request.
func (c *Client) ResendInvites(ctx context.Context, ids []string) ([]User, error) {
	var out []User
	for start := 0; start < len(ids); start += resendChunk {
		chunk := ids[start:min(start+resendChunk, len(ids))]
		us, err := c.users(ctx, shared.Request{Op: "re-send the invitations of " + strconv.Itoa(len(chunk)) + " users", Method: http.MethodPut,
			Path: "/api/2.0/people/invite", JSON: map[string]any{"userIds": chunk, "resendAll": false}})
		if err != nil {
			return out, err
		}
		out = append(out, us...)
	}
	return out, nil
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

// Self reads the caller (GET people/@self).
func (c *Client) Self(ctx context.Context) (User, error) {
	return c.user(ctx, shared.Request{Op: "read the caller's profile", Method: http.MethodGet, Path: "/api/2.0/people/@self"})
}

// Caller is the account whose credentials the provider uses, read once
// per provider run.
func (c *Client) Caller(ctx context.Context) (User, error) {
	c.callerMu.Lock()
	defer c.callerMu.Unlock()
	if c.caller != nil {
		return *c.caller, nil
	}
	u, err := c.Self(ctx)
	if err != nil {
		return User{}, err
	}
	c.caller = &u
	return u, nil
}

// Filter selects users in ListUsers.
type Filter struct {
	// ActivationStatus is a number (0, 1, 2, 4) or -1 for any.
	ActivationStatus int
	// EmployeeType is a type name or "" for any.
	EmployeeType string
}

// PageSize is the count asked of people/filter per page (its maximum).
const PageSize = 100

// ListUsers reads every page of people/filter. With no status filter the
// portal lists every user, pending and terminated included. The listing
// stops on a short or empty page and fails, rather than loop or guess, on
// a page that repeats earlier ones or past shared.MaxPages pages.
func (c *Client) ListUsers(ctx context.Context, f Filter) ([]User, error) {
	pager := shared.Pager[User]{
		Platform: "DocSpace", Op: "listing the portal's people (GET /api/2.0/people/filter)", Size: PageSize,
		Key: func(u User) string { return strings.ToLower(u.ID) },
		Fetch: func(ctx context.Context, n int) (shared.Page[User], error) {
			q := url.Values{"count": {strconv.Itoa(PageSize)}, "startIndex": {strconv.Itoa(n * PageSize)}}
			if f.ActivationStatus >= 0 {
				q.Set("activationStatus", strconv.Itoa(f.ActivationStatus))
			}
			if f.EmployeeType != "" {
				q.Set("employeeType", f.EmployeeType)
			}
			us, err := c.users(ctx, shared.Request{Op: "list users", Method: http.MethodGet, Path: "/api/2.0/people/filter", Query: q})
			return shared.Page[User]{Items: us}, err
		},
	}
	return pager.All(ctx)
}

// pendingTerms is how many emails one read-back of pending users
// (PendingUsers) asks for: about 2 KB of query string at 40 characters
// an address.
const pendingTerms = 50

// termSeparator splits filterValue into terms any one of which may match.
// A comma cannot appear in an address this provider accepts.
const termSeparator = ","

// PendingUsers reads back the pending users (open invitations) with the
// given emails: GET people/status/Pending with the emails as the terms of
// filterValue (any term may match, case-insensitively, against the name
// and the email), 50 emails a request, every page of the answer. The terms
// match substrings, so only exact email matches are kept. The result is
// keyed by shared.NormalizeEmail; an email that is not a pending user is
// absent (an existing user, a terminated one, or an address with a comma:
// callers look in the whole listing for those).
func (c *Client) PendingUsers(ctx context.Context, emails []string) (map[string]User, error) {
	want := map[string]bool{}
	var terms []string
	for _, e := range emails {
		n := shared.NormalizeEmail(e)
		if want[n] || strings.Contains(e, termSeparator) {
			continue
		}
		want[n] = true
		terms = append(terms, e)
	}
	out := map[string]User{}
	for start := 0; start < len(terms); start += pendingTerms {
		chunk := strings.Join(terms[start:min(start+pendingTerms, len(terms))], termSeparator)
		pager := shared.Pager[User]{
			Platform: "DocSpace", Op: "reading back invited users (GET /api/2.0/people/status/Pending)", Size: PageSize,
			Key: func(u User) string { return strings.ToLower(u.ID) },
			Fetch: func(ctx context.Context, n int) (shared.Page[User], error) {
				q := url.Values{"count": {strconv.Itoa(PageSize)}, "startIndex": {strconv.Itoa(n * PageSize)},
					"filterValue": {chunk}, "filterSeparator": {termSeparator}}
				us, err := c.users(ctx, shared.Request{Op: "read back invited users", Method: http.MethodGet, Path: "/api/2.0/people/status/Pending", Query: q})
				return shared.Page[User]{Items: us}, err
			},
		}
		err := pager.Each(ctx, func(us []User) error {
			for _, u := range us {
				if n := shared.NormalizeEmail(u.Email); want[n] && u.Pending() {
					out[n] = u
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// SetType sends PUT people/type/{type}. DocSpace changes the users one at
// a time, rejects the owner and the caller (the users before them stay
// converted), leaves alone changes it does not make, and answers the users
// as they are afterwards, changed or not: callers read back.
func (c *Client) SetType(ctx context.Context, typ string, ids []string) ([]User, error) {
	defer c.changed()
	return c.users(ctx, shared.Request{Op: "change the type of users to " + typ, Method: http.MethodPut,
		Path: "/api/2.0/people/type/" + url.PathEscape(typ),
		JSON: map[string]any{"userIds": ids, "resendAll": false}})
}

// SetStatus sends PUT people/status/{Terminated|Active}. It answers 403
// for the whole call, changing nothing, when ids hold a user the caller
// may not change (see Protection).
func (c *Client) SetStatus(ctx context.Context, status string, ids []string) ([]User, error) {
	defer c.changed()
	op := "terminate (disable) users"
	if status == "Active" {
		op = "re-activate terminated users"
	}
	return c.users(ctx, shared.Request{Op: op, Method: http.MethodPut,
		Path: "/api/2.0/people/status/" + status, JSON: map[string]any{"userIds": ids}})
}

// DeleteUser deletes a terminated user (403 for one that is not).
func (c *Client) DeleteUser(ctx context.Context, id string) error {
	defer c.changed()
	_, err := c.do(ctx, shared.Request{Op: "delete user " + id, Method: http.MethodDelete, Path: "/api/2.0/people/" + url.PathEscape(id)})
	return err
}

// --- the shared listing ---

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

const directoryKey = "portal"

// Directory returns the users of the portal, listed once (all pages of
// people/filter) and shared by every Read until a write. Concurrent
// callers share one fetch; after a write, a caller never gets a listing
// whose fetch began before it.
func (c *Client) Directory(ctx context.Context) (Directory, error) {
	return c.list.Get(ctx, directoryKey, func(ctx context.Context) (Directory, error) {
		us, err := c.ListUsers(ctx, Filter{ActivationStatus: -1})
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

// Lookup finds a user by id through the shared listing, confirming with
// GET people/{id} when the listing does not have it. found is false when
// the user does not exist (404).
func (c *Client) Lookup(ctx context.Context, id string) (u User, found bool, err error) {
	dir, err := c.Directory(ctx)
	if err == nil {
		if u, ok := dir.User(id); ok {
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
		if u, ok := dir.ByEmail[n]; dirErr == nil && ok && !u.Terminated() {
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
	type sent struct {
		invs []Invitation
		err  error
	}
	var sends []sent
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
			sends = append(sends, sent{group, errors.New(guestRefusal)})
			continue
		}
		for start := 0; start < len(group); start += inviteChunk {
			chunk := group[start:min(start+inviteChunk, len(group))]
			sends = append(sends, sent{chunk, c.Invite(ctx, culture, chunk)})
		}
	}
	out := map[string]InviteOutcome{}
	// The invitees that are pending users now are read back by email (one
	// request per 50); only the others (existing users, terminated ones,
	// invitations that failed) need the whole listing.
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
	var retry []Invitation
	var reactivate []User
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
			u, ok := dir.ByEmail[n]
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
				out[n] = InviteOutcome{Err: fmt.Errorf("DocSpace accepted the invitation of %s but lists no user with that email afterwards", inv.Email)}
			case len(s.invs) == 1 || !partialInvite(s.err):
				out[n] = InviteOutcome{Err: s.err}
			default:
				retry = append(retry, inv)
			}
		}
	}
	if len(retry) > 0 {
		var resent []Invitation
		for _, inv := range retry {
			if err := c.Invite(ctx, culture, []Invitation{inv}); err != nil {
				out[shared.NormalizeEmail(inv.Email)] = InviteOutcome{Err: err}
				continue
			}
			resent = append(resent, inv)
		}
		if len(resent) > 0 {
			dir, err := c.Directory(ctx)
			for _, inv := range resent {
				n := shared.NormalizeEmail(inv.Email)
				switch u, ok := dir.ByEmail[n]; {
				case err != nil:
					out[n] = InviteOutcome{Err: err}
				case ok:
					out[n] = InviteOutcome{Invited: Invited{User: u}}
				default:
					out[n] = InviteOutcome{Err: fmt.Errorf("DocSpace accepted the invitation of %s but lists no user with that email afterwards", inv.Email)}
				}
			}
		}
	}
	if len(reactivate) > 0 {
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
	return out
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
	after, found, err := c.Lookup(ctx, u.ID)
	if err != nil {
		return u, err
	}
	if !found {
		return u, fmt.Errorf("user %s (%s) disappeared from the portal while its type was being changed", u.Email, u.ID)
	}
	if after.Type() != typ {
		return after, fmt.Errorf("DocSpace answered PUT /api/2.0/people/type/%s without changing %s (user %s): the type is still %s. "+
			"The portal leaves alone changes it does not make: terminated users, changes to DocSpaceAdmin or of DocSpace admins "+
			"unless the caller is the owner, and changes it does not support. Use the owner's credentials or change the type in the portal", typ, after.Email, after.ID, after.Type())
	}
	return after, nil
}

func (c *Client) runTypeChanges(ctx context.Context, typ string, ids []string) ([]bool, []error, error) {
	failed := c.setTypes(ctx, typ, unique(ids))
	errs := make([]error, len(ids))
	for i, id := range ids {
		errs[i] = failed[strings.ToLower(id)]
	}
	return make([]bool, len(ids)), errs, nil
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

// --- removal: terminate, then delete ---

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

func (c *Client) runTerminations(ctx context.Context, _ string, ids []string) ([]bool, []error, error) {
	failed := c.terminate(ctx, unique(ids))
	errs := make([]error, len(ids))
	for i, id := range ids {
		errs[i] = failed[strings.ToLower(id)]
	}
	return make([]bool, len(ids)), errs, nil
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
	sem := make(chan struct{}, removeParallelism)
	var wg sync.WaitGroup
	for _, u := range toDelete {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := c.deleteTerminated(ctx, u); err != nil {
				mu.Lock()
				errs[u.ID] = err
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return errs
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

// --- what DocSpace refuses, known before sending ---

// isAdmin reports whether u may administer people (DocSpace admins and the
// owner).
func isAdmin(u User) bool { return u.IsOwner || u.IsAdmin }

// guestRefusal says how guests are invited: DocSpace's people/invite
// refuses type Guest for everyone (UserController.InviteUsers).
const guestRefusal = "DocSpace's POST /api/2.0/people/invite refuses type Guest for everyone (HTTP 403 \"Access denied\"): " +
	"guests join a DocSpace portal through rooms, by being invited to a room (the room's sharing settings in the web interface, or the rooms API), never as portal invitations. " +
	"Invite this person to a room instead, or invite them here as User; an existing portal user's type can be changed to Guest where the portal allows guests"

// InviteRefusal says why DocSpace would refuse to invite a new person as
// typ when the provider signs in as caller, or "" (the checks of
// UserController.InviteUsers).
func InviteRefusal(typ string, caller User) string {
	switch {
	case typ == "Guest":
		return guestRefusal
	case caller.IsVisitor || caller.Type() == "User":
		return "the provider's credentials are a " + caller.Type() + "'s, and only DocSpace admins and room admins may invite people: use an admin's API key"
	case typ == "RoomAdmin" && !isAdmin(caller):
		return "only DocSpace admins may invite room admins, and the provider's credentials are a " + caller.Type() + "'s: use an admin's API key"
	case typ == "DocSpaceAdmin" && !caller.IsOwner:
		return "only the portal owner may invite DocSpace admins: use the owner's API key"
	}
	return ""
}

// TypeChangeRefusal says why DocSpace would not change u's type to typ
// when the provider signs in as caller, or "".
func TypeChangeRefusal(u User, typ string, caller User) string {
	switch {
	case Protection(u, caller) != "":
		return "it is " + Protection(u, caller) + ", whose type DocSpace does not change"
	case !isAdmin(caller):
		return "only DocSpace admins may change user types, and the provider's credentials are a " + caller.Type() + "'s"
	case typ == "DocSpaceAdmin" && !caller.IsOwner:
		return "only the portal owner may make DocSpace admins: use the owner's API key"
	}
	return ""
}

// MemberPlan checks, before anything is sent, what making email a portal
// member of type typ would take, given the listing and the caller: a
// refusal when DocSpace would refuse it, and a note when the plan does
// more than an invitation (a terminated user is re-activated). With
// manage, the user must also be one the provider may remove later.
func MemberPlan(dir Directory, caller User, email, typ string, manage bool) (note, refusal string) {
	u, ok := dir.ByEmail[shared.NormalizeEmail(email)]
	if !ok {
		return "", InviteRefusal(typ, caller)
	}
	if manage {
		if why := Protection(u, caller); why != "" {
			return "", fmt.Sprintf("%s is %s: DocSpace refuses to remove it or change its type with these credentials, so this resource cannot manage it", u.Email, why)
		}
	}
	if u.Terminated() {
		if why := Protection(u, caller); why != "" {
			return "", fmt.Sprintf("%s is terminated (disabled) on the portal and is %s: DocSpace refuses to re-activate it with these credentials", u.Email, why)
		}
		note = fmt.Sprintf("%s (user %s) is terminated (disabled) on the portal, and DocSpace refuses to invite a disabled address again: "+
			"the apply re-activates this user (PUT /api/2.0/people/status/Active) instead, keeping its id, profile and data.", u.Email, u.ID)
	}
	if u.Type() != typ {
		if why := TypeChangeRefusal(u, typ, caller); why != "" {
			return note, fmt.Sprintf("%s already is a DocSpace user of type %s and cannot be made %s: %s", u.Email, u.Type(), typ, why)
		}
	}
	return note, ""
}
