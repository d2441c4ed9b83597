package provider

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

type bigKey struct{}

// heapAfter serves n RPCs through srv, each with a context holding 64 KB
// of its own (as terraform-plugin-go's per-RPC loggers are), and returns
// by how many bytes the live heap grew.
func heapAfter(t *testing.T, srv tfprotov6.ProviderServer, n int) int64 {
	t.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := 0; i < n; i++ {
		ctx, cancel := context.WithCancel(context.WithValue(context.Background(), bigKey{}, make([]byte, 64<<10)))
		if _, err := srv.GetMetadata(ctx, &tfprotov6.GetMetadataRequest{}); err != nil {
			t.Fatal(err)
		}
		cancel() // as gRPC does when the RPC's stream ends
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(srv) // what it retains counts: a provider serves until it exits
	return int64(after.HeapAlloc) - int64(before.HeapAlloc)
}

// Memory does not grow with the RPCs served. The framework keeps
// a cancel function of every RPC's context until StopProvider; the
// provider's server hands it contexts that let go of the RPC's values when
// the RPC returns, so 1000 RPCs of 64 KB of context each leave (almost)
// nothing behind.
func TestServedContextsAreNotRetained(t *testing.T) {
	const n = 1000 // 64 MB of context values in all
	if grew := heapAfter(t, ProtocolServer("test")(), n); grew > 8<<20 {
		t.Fatalf("%d RPCs left the heap %d MB larger: their contexts are retained", n, grew>>20)
	}
}

// The reason for rpcContext, checked so that a framework release that
// stops retaining contexts is noticed (and rpcContext can go): served
// directly, the framework's server keeps every RPC's context.
func TestFrameworkRetainsContexts(t *testing.T) {
	const n = 1000
	if grew := heapAfter(t, providerserver.NewProtocol6(New("test")())(), n); grew < 32<<20 {
		t.Skipf("the framework's server no longer retains RPC contexts (heap grew %d MB for %d RPCs): "+
			"rpcContext in rpccontext.go may be removed", grew>>20, n)
	}
}

func TestRPCContextDelegatesUntilEnd(t *testing.T) {
	parent, cancel := context.WithDeadline(context.WithValue(context.Background(), bigKey{}, "v"), time.Now().Add(time.Hour))
	defer cancel()
	ctx, end := detach(parent)
	if ctx.Value(bigKey{}) != "v" || ctx.Err() != nil || ctx.Done() != parent.Done() {
		t.Fatalf("while the RPC runs: value %v, err %v", ctx.Value(bigKey{}), ctx.Err())
	}
	if dl, ok := ctx.Deadline(); !ok || !dl.Equal(func() time.Time { d, _ := parent.Deadline(); return d }()) {
		t.Fatalf("deadline %v %v", dl, ok)
	}
	// A context derived from it (as the framework's) is cancelled with it.
	child, stop := context.WithCancel(ctx)
	defer stop()
	end()
	if ctx.Value(bigKey{}) != nil {
		t.Fatal("the RPC's values are still reachable after it ended")
	}
	if ctx.Err() != nil || child.Err() != nil {
		t.Fatalf("ended but not cancelled: err %v, child %v", ctx.Err(), child.Err())
	}
	cancel()
	select {
	case <-child.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("a context derived from the RPC's was not cancelled with it")
	}
	if !errors.Is(ctx.Err(), context.Canceled) {
		t.Fatalf("after the RPC's context was cancelled: %v", ctx.Err())
	}
}
