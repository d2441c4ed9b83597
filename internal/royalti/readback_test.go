package royalti

import (
	"context"
	"testing"
	"time"
)

// A read-back whose callers all went (Ctrl-C) is cancelled, not left to run
// out its retries; a caller that stays keeps it alive.
func TestReadBackCancelledWithItsLastWaiter(t *testing.T) {
	started, cancelled := make(chan struct{}), make(chan struct{})
	r := &readBack{fetch: func(ctx context.Context) (map[string]*User, error) {
		close(started)
		<-ctx.Done()
		close(cancelled)
		return nil, ctx.Err()
	}}
	ctx1, cancel1 := context.WithCancel(context.Background())
	ctx2, cancel2 := context.WithCancel(context.Background())
	errs := make(chan error, 2)
	mark := r.begin()
	r.end()
	go func() { _, err := r.wait(ctx1, "a@example.com", mark); errs <- err }()
	<-started
	go func() { _, err := r.wait(ctx2, "b@example.com", mark); errs <- err }()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		r.mu.Lock()
		n := len(r.waiting)
		r.mu.Unlock()
		if n == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the second caller never waited")
		}
	}

	cancel1()
	if err := <-errs; err == nil {
		t.Fatal("the first caller's wait returned no error after its cancellation")
	}
	select {
	case <-cancelled:
		t.Fatal("the read was cancelled while another caller still waited for it")
	case <-time.After(50 * time.Millisecond):
	}
	cancel2()
	if err := <-errs; err == nil {
		t.Fatal("the second caller's wait returned no error after its cancellation")
	}
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Fatal("the read went on after every caller had gone")
	}
}
