package shared

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// RateLimit is a platform's client-side request rate: a token bucket that
// refills RequestsPerSecond tokens a second and holds at most Burst. Every
// attempt of every request (retries included) takes one token. The zero
// value means no limit (tests that build a client directly).
type RateLimit struct {
	RequestsPerSecond float64
	Burst             int
}

// IsZero reports whether no limit is set.
func (l RateLimit) IsZero() bool { return l.RequestsPerSecond <= 0 }

// String renders the limit for messages: "45 requests/s, burst 45".
func (l RateLimit) String() string {
	if l.IsZero() {
		return "unlimited"
	}
	return strconv.FormatFloat(l.RequestsPerSecond, 'f', -1, 64) + " requests/s, burst " + strconv.Itoa(l.Burst)
}

// DefaultBurst is the burst used when only the rate is given: one second's
// worth of requests, at least one.
func DefaultBurst(requestsPerSecond float64) int {
	if requestsPerSecond <= 1 {
		return 1
	}
	if requestsPerSecond >= math.MaxInt32 {
		return math.MaxInt32
	}
	return int(math.Ceil(requestsPerSecond))
}

// Throttle paces one platform's requests: every attempt waits until a
// Retry-After the API sent has passed (Pause) and for a token of the
// platform's rate limit. It sits below the retries: retryablehttp calls
// Wait before each attempt, after its own backoff, so a limit can only add
// to the wait a Retry-After asked for, never shorten it. Every wait ends
// with its context (Ctrl-C). Safe for concurrent use.
type Throttle struct {
	limit RateLimit
	lim   *rate.Limiter
	// now and sleep are the clock; tests replace them with a fake one.
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error

	mu          sync.Mutex
	pausedUntil time.Time
}

// NewThrottle makes a throttle for limit (no limit when it is zero; the
// Retry-After pause still applies).
func NewThrottle(limit RateLimit) *Throttle {
	t := &Throttle{limit: limit, now: time.Now, sleep: sleepCtx}
	if limit.IsZero() {
		t.lim = rate.NewLimiter(rate.Inf, 0)
	} else {
		if limit.Burst < 1 {
			limit.Burst = DefaultBurst(limit.RequestsPerSecond)
			t.limit = limit
		}
		t.lim = rate.NewLimiter(rate.Limit(limit.RequestsPerSecond), limit.Burst)
	}
	return t
}

// Limit is the throttle's rate limit.
func (t *Throttle) Limit() RateLimit { return t.limit }

// Wait blocks until a request may be sent: past any Retry-After pause and
// with a token of the rate limit. It returns how long it waited, or the
// context's error as soon as the context ends (the token, if one was
// reserved, is given back to the bucket).
func (t *Throttle) Wait(ctx context.Context) (time.Duration, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	waited, err := t.waitPause(ctx)
	if err != nil {
		return waited, err
	}
	now := t.now()
	r := t.lim.ReserveN(now, 1)
	if !r.OK() { // burst < 1: cannot happen with NewThrottle
		return waited, fmt.Errorf("rate limit %s admits no request", t.limit)
	}
	if d := r.DelayFrom(now); d > 0 {
		if err := t.sleep(ctx, d); err != nil {
			r.CancelAt(t.now())
			return waited, err
		}
		waited += d
	}
	// A Retry-After that arrived while this request waited for its token
	// holds it too (the token is kept).
	w, err := t.waitPause(ctx)
	return waited + w, err
}

func (t *Throttle) waitPause(ctx context.Context) (time.Duration, error) {
	t.mu.Lock()
	until := t.pausedUntil
	t.mu.Unlock()
	d := until.Sub(t.now())
	if d <= 0 {
		return 0, nil
	}
	if err := t.sleep(ctx, d); err != nil {
		return 0, err
	}
	return d, nil
}

// Pause holds every request of the platform for d from now: the API said
// Retry-After, and it counts for the whole account, not one request. A
// later or longer pause extends it; a shorter one never cuts it short.
func (t *Throttle) Pause(d time.Duration) {
	if d <= 0 {
		return
	}
	until := t.now().Add(d)
	t.mu.Lock()
	if until.After(t.pausedUntil) {
		t.pausedUntil = until
	}
	t.mu.Unlock()
}

// sleepCtx sleeps for d or until ctx ends, whichever comes first.
func sleepCtx(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
