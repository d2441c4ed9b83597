package shared

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is the throttle's clock in tests: sleeping advances it at
// once and records how long, so no test waits or measures real time.
type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	slept []time.Duration
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)} }

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	c.slept = append(c.slept, d)
	return nil
}

func (c *fakeClock) sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.slept...)
}

func fakeThrottle(limit RateLimit) (*Throttle, *fakeClock) {
	t := NewThrottle(limit)
	c := newFakeClock()
	t.now, t.sleep = c.now, c.sleep
	return t, c
}

// A burst goes at once, then requests are paced at the rate: of 100
// requests asked for at the same instant, burst + rate × t are admitted by
// time t.
func TestThrottleBurstThenPace(t *testing.T) {
	th, clock := fakeThrottle(RateLimit{RequestsPerSecond: 5, Burst: 3})
	start := clock.now()
	var admittedAt []time.Duration
	for range 100 {
		if _, err := th.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		admittedAt = append(admittedAt, clock.now().Sub(start))
	}
	count := func(by time.Duration) int {
		n := 0
		for _, at := range admittedAt {
			if at <= by {
				n++
			}
		}
		return n
	}
	if got := count(0); got != 3 {
		t.Fatalf("%d requests went at once, want the burst (3)", got)
	}
	if got := count(time.Second); got != 3+5 {
		t.Fatalf("%d requests admitted within 1s, want burst + rate = 8", got)
	}
	if got := count(10 * time.Second); got != 3+50 {
		t.Fatalf("%d requests admitted within 10s, want burst + 10 × rate = 53", got)
	}
	for i, d := range clock.sleeps() {
		if d != 200*time.Millisecond {
			t.Fatalf("wait %d was %v, want 1/rate = 200ms", i, d)
		}
	}
}

// The bucket refills at the rate, up to the burst and no further.
func TestThrottleRefillsUpToTheBurst(t *testing.T) {
	th, clock := fakeThrottle(RateLimit{RequestsPerSecond: 2, Burst: 4})
	for range 4 {
		th.Wait(context.Background())
	}
	if got := th.lim.TokensAt(clock.now()); got != 0 {
		t.Fatalf("%v tokens after the burst, want 0", got)
	}
	if got := th.lim.TokensAt(clock.now().Add(time.Second)); got != 2 {
		t.Fatalf("%v tokens a second later, want 2", got)
	}
	if got := th.lim.TokensAt(clock.now().Add(time.Hour)); got != 4 {
		t.Fatalf("%v tokens an hour later, want the burst (4)", got)
	}
}

// DocSpace's default keeps within its published limit: no 10-second
// window holds more than 500 requests, however they are asked for.
func TestThrottleDefaultStaysWithinDocSpaceLimit(t *testing.T) {
	th, clock := fakeThrottle(RateLimit{RequestsPerSecond: 45, Burst: 45})
	start := clock.now()
	var at []time.Time
	for range 2000 {
		th.Wait(context.Background())
		at = append(at, clock.now())
	}
	for i := range at {
		n := 0
		for j := i; j < len(at) && at[j].Sub(at[i]) < 10*time.Second; j++ {
			n++
		}
		if n > 500 {
			t.Fatalf("%d requests in the 10s from %v", n, at[i].Sub(start))
		}
	}
}

// A Retry-After holds every request until it has passed; a shorter one
// arriving later never cuts it short, and the rate limit adds to it.
func TestThrottlePauseHoldsEveryRequest(t *testing.T) {
	th, clock := fakeThrottle(RateLimit{RequestsPerSecond: 1, Burst: 1})
	th.Pause(5 * time.Second)
	th.Pause(time.Second)
	waited, err := th.Wait(context.Background())
	if err != nil || waited != 5*time.Second {
		t.Fatalf("waited %v (%v), want the 5s Retry-After", waited, err)
	}
	// The pause refilled the bucket: the next request waits for a token.
	if waited, _ := th.Wait(context.Background()); waited != time.Second {
		t.Fatalf("waited %v after the pause, want 1/rate = 1s", waited)
	}
	if got := clock.sleeps(); len(got) != 2 {
		t.Fatalf("sleeps %v", got)
	}
}

// Ctrl-C during a rate-limit wait returns at once with the context's
// error, and gives the reserved token back.
func TestThrottleWaitEndsWithContext(t *testing.T) {
	th := NewThrottle(RateLimit{RequestsPerSecond: 1.0 / 3600, Burst: 1})
	if waited, err := th.Wait(context.Background()); err != nil || waited != 0 {
		t.Fatalf("first request: waited %v, %v", waited, err)
	}
	sleeping := make(chan struct{})
	th.sleep = func(ctx context.Context, d time.Duration) error {
		close(sleeping)
		return sleepCtx(ctx, d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errs := make(chan error, 1)
	go func() { _, err := th.Wait(ctx); errs <- err }()
	waitClosed(t, sleeping, "the second request waiting for a token")
	cancel()
	select {
	case err := <-errs:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v, want context.Canceled", err)
		}
	case <-time.After(guard):
		t.Fatal("the rate-limit wait did not end with its context")
	}
	// The cancelled reservation went back: the bucket is at 0, not -1.
	if got := th.lim.TokensAt(time.Now()); got < -0.01 {
		t.Fatalf("%v tokens: the cancelled wait kept its token", got)
	}
	// An already cancelled context does not wait nor take a token.
	if _, err := th.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled context: %v", err)
	}
}

// A wait ends at its context's deadline too.
func TestThrottleWaitEndsAtDeadline(t *testing.T) {
	th := NewThrottle(RateLimit{RequestsPerSecond: 1.0 / 3600, Burst: 1})
	th.Wait(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := th.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want context.DeadlineExceeded", err)
	}
}

// Every attempt takes a token, retries included: a request answered 503
// twice and then 200 costs three tokens, and with a burst of one each
// retry waits for its own token.
func TestRateLimitAppliesToEveryAttempt(t *testing.T) {
	srv, n, _ := flaky(t, http.StatusServiceUnavailable, "0", 2)
	c := testClient(t, srv.URL, 4)
	th, clock := fakeThrottle(RateLimit{RequestsPerSecond: 1, Burst: 1})
	c.throttle.lim, c.throttle.now, c.throttle.sleep = th.lim, clock.now, clock.sleep
	if _, err := c.Do(context.Background(), Request{Op: "echo", Method: "POST", Path: "/x", JSON: map[string]string{"a": "b"}}, nil); err != nil {
		t.Fatal(err)
	}
	if got := n.Load(); got != 3 {
		t.Fatalf("%d attempts, want 3", got)
	}
	// The first attempt took the burst; each retry waited 1/rate.
	if got := clock.sleeps(); len(got) != 2 || got[0] != time.Second || got[1] != time.Second {
		t.Fatalf("rate-limit waits %v, want [1s 1s] (one per retry)", got)
	}

	// The same with a large burst and a tiny rate: three tokens gone.
	srv2, n2, _ := flaky(t, http.StatusTooManyRequests, "0", 2)
	c2 := testClient(t, srv2.URL, 4)
	c2 = withLimit(t, c2, RateLimit{RequestsPerSecond: 0.001, Burst: 10})
	if _, err := c2.Do(context.Background(), Request{Op: "list", Method: "GET", Path: "/x"}, nil); err != nil {
		t.Fatal(err)
	}
	if got := n2.Load(); got != 3 {
		t.Fatalf("%d attempts, want 3", got)
	}
	if got := c2.throttle.lim.TokensAt(time.Now()); got < 7 || got >= 7.5 {
		t.Fatalf("%v tokens left of 10 after 3 attempts, want 7", got)
	}
}

// withLimit rebuilds c's client with a rate limit.
func withLimit(t *testing.T, c *Client, limit RateLimit) *Client {
	t.Helper()
	cfg := c.cfg
	cfg.Options.RateLimit = limit
	nc, err := NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return nc
}

// Ctrl-C while a request waits for the rate limit: Do returns at once with
// the context's error and the request is never sent.
func TestRateLimitWaitEndsWithCtrlC(t *testing.T) {
	srv, n, _ := flaky(t, http.StatusOK, "", 0)
	c := withLimit(t, testClient(t, srv.URL, 4), RateLimit{RequestsPerSecond: 1.0 / 3600, Burst: 1})
	if _, err := c.Do(context.Background(), Request{Op: "first", Method: "GET", Path: "/x"}, nil); err != nil {
		t.Fatal(err)
	}
	sleeping := make(chan struct{})
	c.throttle.sleep = func(ctx context.Context, d time.Duration) error {
		close(sleeping)
		return sleepCtx(ctx, d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errs := make(chan error, 1)
	go func() {
		_, err := c.Do(ctx, Request{Op: "second", Method: "GET", Path: "/x"}, nil)
		errs <- err
	}()
	waitClosed(t, sleeping, "the second request waiting for the rate limit")
	cancel()
	select {
	case err := <-errs:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v, want context.Canceled", err)
		}
	case <-time.After(guard):
		t.Fatal("Do did not return after Ctrl-C during the rate-limit wait")
	}
	if got := n.Load(); got != 1 {
		t.Fatalf("%d requests reached the server, want 1 (the cancelled one is never sent)", got)
	}
}

// The rate limit never shortens a Retry-After: the retry's wait is the
// server's, and the same pause holds the platform's other requests.
func TestRateLimitKeepsRetryAfter(t *testing.T) {
	c := withLimit(t, testClient(t, "http://127.0.0.1:1", 4), RateLimit{RequestsPerSecond: 1000, Burst: 1000})
	clock := newFakeClock()
	c.throttle.now, c.throttle.sleep = clock.now, clock.sleep
	resp := &http.Response{StatusCode: http.StatusServiceUnavailable, Header: http.Header{"Retry-After": {"3"}}}
	if d := c.http.Backoff(c.http.RetryWaitMin, c.http.RetryWaitMax, 0, resp); d != 3*time.Second {
		t.Fatalf("backoff %v, want the 3s Retry-After", d)
	}
	// Another request of the platform, a second later: it waits the
	// remaining 2s although the bucket is full.
	clock.sleep(context.Background(), time.Second)
	if waited, err := c.throttle.Wait(context.Background()); err != nil || waited != 2*time.Second {
		t.Fatalf("waited %v (%v), want the rest of the Retry-After (2s)", waited, err)
	}
	// Without Retry-After, a backoff pauses nobody else.
	if _, err := c.throttle.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	before := len(clock.sleeps())
	c.http.Backoff(c.http.RetryWaitMin, c.http.RetryWaitMax, 0, &http.Response{StatusCode: http.StatusBadGateway, Header: http.Header{}})
	c.throttle.Wait(context.Background())
	if got := clock.sleeps(); len(got) != before {
		t.Fatalf("a backoff without Retry-After paused other requests: %v", got[before:])
	}
}

// End to end with a real clock and a limit in place: a retry after
// Retry-After: 1 still comes a second later, and another caller that
// starts during the pause waits for it instead of meeting the 429.
func TestRateLimitRetryAfterEndToEnd(t *testing.T) {
	var hits atomic.Int32
	var mu sync.Mutex
	var times []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		times = append(times, time.Now())
		mu.Unlock()
		if hits.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Write([]byte(`{}`))
	}))
	t.Cleanup(srv.Close)
	c := withLimit(t, testClient(t, srv.URL, 4), RateLimit{RequestsPerSecond: 1000, Burst: 1000})
	first := make(chan error, 1)
	go func() {
		_, err := c.Do(context.Background(), Request{Op: "a", Method: "GET", Path: "/a"}, nil)
		first <- err
	}()
	for deadline := time.Now().Add(guard); hits.Load() == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no request reached the server")
		}
	}
	// Wait until the 429 has been read and the pause is set.
	for deadline := time.Now().Add(guard); ; time.Sleep(time.Millisecond) {
		c.throttle.mu.Lock()
		paused := !c.throttle.pausedUntil.IsZero()
		c.throttle.mu.Unlock()
		if paused {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the Retry-After did not pause the platform")
		}
	}
	if _, err := c.Do(context.Background(), Request{Op: "b", Method: "GET", Path: "/b"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(times) != 3 {
		t.Fatalf("%d requests, want 3 (the 429, its retry, the other caller's)", len(times))
	}
	for i := 1; i < 3; i++ {
		if gap := times[i].Sub(times[0]); gap < 900*time.Millisecond {
			t.Fatalf("request %d came %v after the 429, Retry-After said 1s", i+1, gap)
		}
	}
}
