package royalti

// The read-back after invitations: POST /auth/invite answers without the
// user, so each invitation must find its tenant user in a read of the
// most recently changed users. readBack shares those reads among the
// invitations of a run; ownRead is the one read of a batch.

import (
	"context"
	"sync"
	"time"

	"github.com/workspace-membership/terraform-provider-membership/internal/shared"
)

// readBackQuiet bounds how long invitations in flight may delay the
// read-back of one that ended (see readBack): long enough for the
// concurrent creates of one wave to share a read, short enough that a
// stream of invitations (a large authoritative apply) never starves it.
const readBackQuiet = 2 * time.Second

// A readBackSource gives the tenant user of an email just invited (its
// invitation began at mark) from a read of the most recently changed
// users, or nil when that read does not list it (the caller then looks in
// the whole listing).
type readBackSource interface {
	wait(ctx context.Context, email string, mark int) (*User, error)
}

// ownRead is a batch's own read of the most recently changed users, made
// once every invitation of the batch has ended, by lower-cased email. A
// failed or skipped read lists no one.
type ownRead map[string]*User

func (r ownRead) wait(_ context.Context, email string, _ int) (*User, error) {
	if u := r[shared.NormalizeEmail(email)]; u != nil {
		cp := *u
		return &cp, nil
	}
	return nil, nil
}

// readBack shares reads of the most recently changed users (newest
// first) among the invitations that need reading back. The invite answer
// carries no user, so each Create must find its user; one listing per
// Create would cost a request per member. Instead:
//
//   - a read is usable by an invitation when it started after the
//     invitation began and lists its email (the service had processed
//     the invitation when it answered the read), or when it started after
//     the invitation ended (then it must list it);
//   - a read starts only when callers are waiting and no invitation is in
//     flight, or at once for a caller whose invitation ended before a
//     quiet moment came (see quiet), and serves every waiting caller it
//     is usable by; one read at a time.
//
// So concurrent Creates (Terraform's parallelism) share one request, and
// a read cannot miss an invitation that ended before it started.
type readBack struct {
	fetch func(ctx context.Context) (map[string]*User, error)
	// quiet bounds how long a waiting caller lets invitations in flight
	// delay its read: once they have delayed it this long, the read
	// starts anyway. Zero means no bound.
	quiet time.Duration

	mu       sync.Mutex
	writes   int
	started  int // reads started
	fetching bool
	cancel   context.CancelFunc // of the read in flight
	last     *recentPage
	waiting  []*readBackWaiter
}

type recentPage struct {
	seq   int
	users map[string]*User
	err   error
}

type readBackWaiter struct {
	ctx          context.Context
	email        string
	after, ended int // reads started when the invitation began, ended
	since        time.Time
	ch           chan readBackResult
}

type readBackResult struct {
	user *User
	err  error
}

// usable reports whether page answers w, and with what.
func (w *readBackWaiter) usable(p *recentPage) (readBackResult, bool) {
	if p == nil || p.seq <= w.after {
		return readBackResult{}, false
	}
	if p.err != nil {
		if p.seq > w.ended {
			return readBackResult{err: p.err}, true
		}
		return readBackResult{}, false
	}
	if u := p.users[w.email]; u != nil {
		cp := *u
		return readBackResult{user: &cp}, true
	}
	return readBackResult{}, p.seq > w.ended // listed nowhere: not found
}

// begin and end bracket an invitation; begin returns its mark for wait.
func (r *readBack) begin() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.writes++
	return r.started
}

func (r *readBack) end() {
	r.mu.Lock()
	r.writes--
	r.startLocked()
	r.mu.Unlock()
}

// wait returns the user of email from a read usable by an invitation that
// began at mark (from begin) and has ended; nil when that read does not
// list it (the caller then looks in the whole listing).
func (r *readBack) wait(ctx context.Context, email string, mark int) (*User, error) {
	w := &readBackWaiter{ctx: ctx, email: shared.NormalizeEmail(email), after: mark, since: time.Now(), ch: make(chan readBackResult, 1)}
	r.mu.Lock()
	w.ended = r.started
	if res, ok := w.usable(r.last); ok && res.user != nil {
		r.mu.Unlock()
		return res.user, nil
	}
	r.waiting = append(r.waiting, w)
	r.startLocked()
	r.mu.Unlock()
	if r.quiet > 0 {
		// Invitations in flight may delay the read at most quiet.
		t := time.AfterFunc(r.quiet, func() {
			r.mu.Lock()
			r.startLocked()
			r.mu.Unlock()
		})
		defer t.Stop()
	}
	select {
	case res := <-w.ch:
		return res.user, res.err
	case <-ctx.Done():
		r.mu.Lock()
		r.leaveLocked(w)
		r.mu.Unlock()
		return nil, ctx.Err()
	}
}

// leaveLocked removes a caller that stopped waiting (Ctrl-C); the read in
// flight is cancelled when nobody waits for it any more. Call with r.mu held.
func (r *readBack) leaveLocked(w *readBackWaiter) {
	for i, x := range r.waiting {
		if x == w {
			r.waiting = append(r.waiting[:i], r.waiting[i+1:]...)
			break
		}
	}
	if len(r.waiting) == 0 && r.cancel != nil {
		r.cancel()
	}
}

// startLocked starts a read for the waiting callers when none is running
// and no invitation is in flight (or a caller waited quiet). Call with
// r.mu held.
func (r *readBack) startLocked() {
	if r.fetching || len(r.waiting) == 0 {
		return
	}
	if r.writes > 0 && (r.quiet <= 0 || time.Since(r.waiting[0].since) < r.quiet) {
		return
	}
	r.fetching = true
	r.started++
	seq := r.started
	// The first caller's context (its values, for logging), cancelled only
	// when every waiting caller has gone (leaveLocked): the read serves the
	// others too.
	ctx, cancel := context.WithCancel(context.WithoutCancel(r.waiting[0].ctx))
	r.cancel = cancel
	go func() {
		defer cancel()
		users, err := r.fetch(ctx)
		p := &recentPage{seq: seq, users: users, err: err}
		r.mu.Lock()
		defer r.mu.Unlock()
		r.fetching, r.cancel = false, nil
		r.last = p
		kept := r.waiting[:0]
		for _, w := range r.waiting {
			if res, ok := w.usable(p); ok {
				w.ch <- res
				continue
			}
			kept = append(kept, w)
		}
		r.waiting = kept
		r.startLocked()
	}()
}
