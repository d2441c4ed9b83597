package docspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// Offboarding without data loss. Deleting a DocSpace user drops the rooms
// and shared files they own; DocSpace's "User data" API moves them to
// another user first (API-NOTES.md, DocSpace, data reassignment):
//
//   - GET people/reassign/necessary?UserId=&Type= answers whether the user
//     owns data that has to move (rooms; with Type Guest also files still
//     shared, the widest check, which the provider uses);
//   - POST people/reassign/start {fromUserId, toUserId, deleteProfile}
//     queues the move of a terminated (disabled) user's data to an active
//     room admin or DocSpace admin and answers its progress;
//   - GET people/reassign/progress/{userid} is polled until isCompleted;
//   - PUT people/reassign/terminate {userId} cancels it.

// Task statuses of a reassignment (DistributedTaskStatus).
const (
	TaskCreated   = 0
	TaskRunning   = 1
	TaskCompleted = 2
	TaskCanceled  = 3
	TaskFailed    = 4
)

// taskStatus is a DistributedTaskStatus: a number, or its name from a
// server that writes enums as strings.
type taskStatus int

func (s *taskStatus) UnmarshalJSON(b []byte) error {
	var n int
	if err := json.Unmarshal(b, &n); err == nil {
		*s = taskStatus(n)
		return nil
	}
	var name string
	if err := json.Unmarshal(b, &name); err != nil {
		return fmt.Errorf("status is neither a number nor a name: %s", b)
	}
	switch strings.ToLower(name) {
	case "created":
		*s = TaskCreated
	case "running":
		*s = TaskRunning
	case "completed":
		*s = TaskCompleted
	case "canceled", "cancelled":
		*s = TaskCanceled
	case "failted", "failed":
		*s = TaskFailed
	default:
		return fmt.Errorf("unknown task status %q", name)
	}
	return nil
}

// ReassignProgress is a reassignment's state (TaskProgressResponseDto).
type ReassignProgress struct {
	ID          string     `json:"id"`
	Error       string     `json:"error"`
	Percentage  int        `json:"percentage"`
	IsCompleted bool       `json:"isCompleted"`
	Status      taskStatus `json:"status"`
}

// StatusWord names the task status.
func (p *ReassignProgress) StatusWord() string {
	switch p.Status {
	case TaskCreated:
		return "queued"
	case TaskRunning:
		return "running"
	case TaskCompleted:
		return "completed"
	case TaskCanceled:
		return "cancelled"
	case TaskFailed:
		return "failed"
	}
	return fmt.Sprintf("status %d", p.Status)
}

// Succeeded reports a reassignment that finished without an error.
func (p *ReassignProgress) Succeeded() bool {
	return p.IsCompleted && p.Status == TaskCompleted && p.Error == ""
}

// decodeProgress decodes an envelope holding a progress or null (no task).
func decodeProgress(data []byte) (*ReassignProgress, error) {
	var env envelope
	if err := json.Unmarshal(data, &env); err != nil {
		return nil, err
	}
	if len(env.Response) == 0 || string(env.Response) == "null" {
		return nil, nil
	}
	var p ReassignProgress
	if err := json.Unmarshal(env.Response, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

func (c *Client) progress(ctx context.Context, r shared.Request) (*ReassignProgress, error) {
	body, err := c.do(ctx, r)
	if err != nil {
		return nil, err
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil, nil // "200 with an empty body" when there is no task
	}
	p, err := decodeProgress(body)
	if err != nil {
		return nil, c.api.DecodeFailure(r, body, err)
	}
	return p, nil
}

// NecessaryReassign sends GET people/reassign/necessary: whether the data
// of user id has to be reassigned before it is removed or made typ (All,
// RoomAdmin, Guest, DocSpaceAdmin, User).
func (c *Client) NecessaryReassign(ctx context.Context, id, typ string) (bool, error) {
	r := shared.Request{Op: "check whether the data of user " + id + " needs reassignment", Method: http.MethodGet,
		Path: "/api/2.0/people/reassign/necessary", Query: url.Values{"UserId": {id}, "Type": {typ}}}
	body, err := c.do(ctx, r)
	if err != nil {
		return false, err
	}
	var env struct {
		Response *bool `json:"response"`
	}
	if err := json.Unmarshal(body, &env); err != nil || env.Response == nil {
		if err == nil {
			err = errors.New("the envelope has no boolean response")
		}
		return false, c.api.DecodeFailure(r, body, err)
	}
	return *env.Response, nil
}

// StartReassign sends POST people/reassign/start.
func (c *Client) StartReassign(ctx context.Context, from, to string, deleteProfile bool) (*ReassignProgress, error) {
	defer c.changed()
	p, err := c.progress(ctx, shared.Request{Op: "start the reassignment of the data of user " + from + " to user " + to, Method: http.MethodPost,
		Path: "/api/2.0/people/reassign/start", JSON: map[string]any{"fromUserId": from, "toUserId": to, "deleteProfile": deleteProfile}})
	if err == nil && p == nil {
		err = fmt.Errorf("DocSpace answered POST /api/2.0/people/reassign/start for user %s without a progress", from)
	}
	return p, err
}

// GetReassignProgress sends GET people/reassign/progress/{id}: the
// reassignment of user id's data, nil when there is none.
func (c *Client) GetReassignProgress(ctx context.Context, id string) (*ReassignProgress, error) {
	return c.progress(ctx, shared.Request{Op: "read the progress of the reassignment of the data of user " + id, Method: http.MethodGet,
		Path: "/api/2.0/people/reassign/progress/" + url.PathEscape(id)})
}

// TerminateReassign sends PUT people/reassign/terminate: it cancels the
// reassignment of user id's data (what already moved stays moved) and
// answers it, nil when there was none.
func (c *Client) TerminateReassign(ctx context.Context, id string) (*ReassignProgress, error) {
	defer c.changed()
	return c.progress(ctx, shared.Request{Op: "cancel the reassignment of the data of user " + id, Method: http.MethodPut,
		Path: "/api/2.0/people/reassign/terminate", JSON: map[string]any{"userId": id}})
}

// ReassignWait bounds the wait for a reassignment: polls start First
// apart and double up to Max, at most MaxPolls of them within Timeout.
type ReassignWait struct {
	First, Max time.Duration
	MaxPolls   int
	Timeout    time.Duration
}

// DefaultReassignWait is the wait when the docspace block sets no
// reassign_timeout.
var DefaultReassignWait = ReassignWait{First: 250 * time.Millisecond, Max: 5 * time.Second, MaxPolls: 400, Timeout: 30 * time.Minute}

// waitFor derives the wait from a timeout (0: the default).
func waitFor(timeout time.Duration) ReassignWait {
	w := DefaultReassignWait
	if timeout > 0 {
		w.Timeout = timeout
		w.MaxPolls = int(timeout/w.Max) + 20
	}
	return w
}

// ErrReassignWaitExceeded is returned when a reassignment is still running
// after the wait's bound.
var ErrReassignWaitExceeded = errors.New("the reassignment is still running")

// WaitReassign polls the reassignment of user id's data, starting from p
// (the answer of the start, or nil), until DocSpace reports it completed,
// whatever the outcome: the caller checks Succeeded. It stops when ctx
// ends (returning ctx's error at once), after MaxPolls polls or Timeout
// (ErrReassignWaitExceeded), and when the task disappears (an error).
// Waiting changes nothing on the portal.
func (c *Client) WaitReassign(ctx context.Context, id string, p *ReassignProgress) (*ReassignProgress, error) {
	w := c.reassignWait
	deadline := time.Now().Add(w.Timeout)
	delay := w.First
	for polls := 0; p == nil || !p.IsCompleted; polls++ {
		if polls >= w.MaxPolls || time.Now().Add(delay).After(deadline) {
			return p, fmt.Errorf("%w after %d polls (%s): DocSpace still reports it %s (%d%%)", ErrReassignWaitExceeded, polls, w.Timeout, progressWord(p), percentOf(p))
		}
		timer := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			timer.Stop()
			return p, ctx.Err()
		case <-timer.C:
		}
		delay = min(delay*2, w.Max)
		next, err := c.GetReassignProgress(ctx, id)
		if err != nil {
			return p, err
		}
		if next == nil {
			return p, fmt.Errorf("DocSpace no longer reports a reassignment of the data of user %s (GET /api/2.0/people/reassign/progress answered none): it was removed from the queue", id)
		}
		p = next
	}
	return p, nil
}

func progressWord(p *ReassignProgress) string {
	if p == nil {
		return "queued"
	}
	return p.StatusWord()
}

func percentOf(p *ReassignProgress) int {
	if p == nil {
		return 0
	}
	return p.Percentage
}

// reassignCheckType is the Type the provider sends to
// people/reassign/necessary before a removal: Guest is the widest check
// (owned rooms, and files still shared), and a removal drops both.
const reassignCheckType = "Guest"

// NeedsReassignment reports whether u owns data (rooms or shared files)
// that deleting the profile would drop: one GET people/reassign/necessary.
// It changes nothing, so plans may call it.
func (c *Client) NeedsReassignment(ctx context.Context, u User) (bool, error) {
	return c.NecessaryReassign(ctx, u.ID, reassignCheckType)
}

// DefaultSuccessor is the provider-level successor (the docspace block's
// data_successor, or DOCSPACE_DATA_SUCCESSOR), "" when none is set.
func (c *Client) DefaultSuccessor() string { return c.successor }

// OffboardPlan is what removing a person takes, as known at plan time.
type OffboardPlan struct {
	// NeedsReassignment is set when the person owns rooms or shared files
	// that deleting the profile would drop.
	NeedsReassignment bool
	// Successor is who receives them (set when NeedsReassignment and the
	// successor is fit).
	Successor User
	// Refusal, when set, says why the removal must be refused at plan time
	// and what to do: the person owns data and no successor is configured,
	// or the successor cannot receive it.
	Refusal string
}

// Note is the plan's sentence naming whose data moves where ("" when no
// data moves).
func (p OffboardPlan) Note(u User) string {
	if !p.NeedsReassignment || p.Refusal != "" {
		return ""
	}
	return fmt.Sprintf("%s (user %s) owns rooms or shared files on the portal: before the profile is deleted they are reassigned to %s (user %s, %s), "+
		"through DocSpace's data reassignment (POST /api/2.0/people/reassign/start), and the profile is deleted only once DocSpace reports the reassignment completed.",
		u.Email, u.ID, p.Successor.Email, p.Successor.ID, p.Successor.Type())
}

// successorHint says how to name a successor.
const successorHint = "set data_successor to the email of an active RoomAdmin or DocSpaceAdmin on the resource (and apply that before removing it), " +
	"or data_successor in the provider's docspace block (or the DOCSPACE_DATA_SUCCESSOR environment variable); " +
	"or move or delete their rooms in the portal first; or, to stop managing the person without removing them, remove the resource from the state (terraform state rm, or a removed block)"

// PlanOffboard checks, without changing anything, what removing u takes:
// whether u owns data (NeedsReassignment) and, if so, that successor (an
// email; "" means DefaultSuccessor) may receive it. It costs one
// GET people/reassign/necessary, plus the run's listing of the portal
// (PlanDirectory) when a successor has to be checked.
func (c *Client) PlanOffboard(ctx context.Context, u User, successor string) (OffboardPlan, error) {
	return c.planOffboard(ctx, u, successor, c.findPlannedUserByEmail)
}

// planOffboard is PlanOffboard, finding the successor with find.
func (c *Client) planOffboard(ctx context.Context, u User, successor string, find func(ctx context.Context, email string) (User, error)) (OffboardPlan, error) {
	var p OffboardPlan
	needed, err := c.NeedsReassignment(ctx, u)
	if err != nil {
		return p, err
	}
	p.NeedsReassignment = needed
	if !needed {
		return p, nil
	}
	if successor == "" {
		successor = c.successor
	}
	if successor == "" {
		p.Refusal = fmt.Sprintf("%s (user %s) owns rooms or shared files on the ONLYOFFICE DocSpace portal, and deleting the profile would drop them, so it is not removed. "+
			"Name who receives them: %s", u.Email, u.ID, successorHint)
		return p, nil
	}
	s, err := find(ctx, successor)
	found := err == nil
	if err != nil && !errors.Is(err, shared.ErrNotFound) {
		return p, err
	}
	if why := successorWhy(s, found, successor, u); why != "" {
		p.Refusal = fmt.Sprintf("%s (user %s) owns rooms or shared files on the ONLYOFFICE DocSpace portal, which have to be reassigned before the profile is deleted, "+
			"but the data successor cannot receive them: %s. Name an active RoomAdmin or DocSpaceAdmin instead (data_successor on the resource or in the provider's docspace block)", u.Email, u.ID, why)
		return p, nil
	}
	p.Successor = s
	return p, nil
}

// Offboard removes u from the portal without losing their data:
//
//  1. it asks whether u owns data (GET people/reassign/necessary); if not,
//     it removes u as Remove does (terminate, then delete);
//  2. otherwise it checks the successor (an email; "" means
//     DefaultSuccessor; read afresh, GET people/email) is an active room
//     admin or DocSpace admin, and refuses, changing nothing, when there is
//     none or it is unfit;
//  3. it terminates (disables) u, which DocSpace requires before a
//     reassignment;
//  4. it starts the reassignment to the successor (or follows the one an
//     interrupted run left running) and polls it (WaitReassign: bounded,
//     and it stops as soon as ctx ends);
//  5. once DocSpace reports it completed, it checks u owns nothing any
//     more, then deletes the profile.
//
// The profile is never deleted while data remains: when the reassignment
// fails, is cancelled, outlasts the wait or ctx ends, u is left terminated
// with what did not move, and the error names u and what to do. A user
// DocSpace would refuse (see Protection) fails without a request.
func (c *Client) Offboard(ctx context.Context, u User, successor string) error {
	caller, err := c.Caller(ctx)
	if err != nil {
		return err
	}
	if why := Protection(u, caller); why != "" {
		return refusedRemoval(u, why)
	}
	// the successor as it is now (one GET people/email), not as the run's
	// listing had it: this run's own writes may have changed it
	plan, err := c.planOffboard(ctx, u, successor, c.findCurrentUserByEmail)
	if err != nil {
		return fmt.Errorf("could not check whether %s (user %s) owns data to reassign before removing them: %w", u.Email, u.ID, err)
	}
	if !plan.NeedsReassignment {
		return c.Remove(ctx, u)
	}
	if plan.Refusal != "" {
		return errors.New(plan.Refusal)
	}
	to := plan.Successor
	if !u.Terminated() {
		if _, err := c.terminations.Do(ctx, directoryKey, u.ID); errors.Is(err, errGone) {
			return nil
		} else if err != nil {
			return err
		}
	}
	p, err := c.GetReassignProgress(ctx, u.ID)
	if err != nil {
		return c.offboardErr(u, to, "could not read the progress of an earlier reassignment", err)
	}
	if p == nil || p.IsCompleted {
		// none running (a finished one is replaced by a new start)
		if p, err = c.StartReassign(ctx, u.ID, to.ID, false); err != nil {
			return c.offboardErr(u, to, "DocSpace refused to start the reassignment", err)
		}
	}
	p, err = c.WaitReassign(ctx, u.ID, p)
	if err != nil {
		return c.offboardErr(u, to, "the wait for the reassignment stopped", err)
	}
	if !p.Succeeded() {
		why := "DocSpace reports the reassignment " + p.StatusWord()
		if p.Error != "" {
			why += ": " + p.Error
		}
		return c.offboardErr(u, to, why, nil)
	}
	still, err := c.NeedsReassignment(ctx, u)
	if err != nil {
		return c.offboardErr(u, to, "could not check that nothing is left to reassign", err)
	}
	if still {
		return c.offboardErr(u, to, "DocSpace reports the reassignment completed, but the user still owns rooms or shared files", nil)
	}
	return c.deleteTerminated(ctx, u)
}

// offboardErr is the error of an offboarding that stopped before the
// deletion: it names the person and the successor and says what to do. It
// wraps err (errors.Is finds a cancelled context, shared.StatusOf the
// API's status).
func (c *Client) offboardErr(u, to User, what string, err error) error {
	msg := fmt.Sprintf("the data of %s (user %s) could not be reassigned to %s: %s", u.Email, u.ID, to.Email, what)
	if err != nil {
		msg += ": " + err.Error()
	}
	msg += fmt.Sprintf(". %s's profile was NOT deleted: it is terminated (disabled) and keeps the data that did not move "+
		"(what DocSpace already moved stays with %s). Apply again to resume (a reassignment still running on the portal is followed, not started twice), "+
		"or finish it in the portal", u.Email, to.Email)
	return &OffboardError{msg: msg, err: err}
}

// OffboardError is an offboarding that stopped before deleting the
// profile.
type OffboardError struct {
	msg string
	err error
}

func (e *OffboardError) Error() string { return e.msg }
func (e *OffboardError) Unwrap() error { return e.err }
