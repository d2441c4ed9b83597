package shared

import (
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

// HeapProfileEnv names a file the provider process writes a heap profile to,
// every interval while it runs (the last one survives the process). It is
// for `make bench` (BENCH_PROFILE=1) and memory investigations; unset, it
// costs nothing.
const HeapProfileEnv = "MEMBERSHIP_HEAP_PROFILE"

// StartHeapProfiles writes a heap profile of this process to path every
// interval until stop is closed, and once more then. Each profile is
// written to a temporary file and renamed, so a reader never sees half of
// one.
func StartHeapProfiles(path string, interval time.Duration, stop <-chan struct{}) {
	write := func() {
		tmp := path + ".tmp"
		f, err := os.Create(tmp)
		if err != nil {
			return
		}
		// A collection first: the profile then holds what is live now,
		// not what was live up to two collections ago.
		runtime.GC()
		err = pprof.WriteHeapProfile(f)
		if cerr := f.Close(); err == nil && cerr == nil {
			_ = os.Rename(tmp, path)
		}
		// The goroutines beside it, as text: what is still waiting.
		if g, gerr := os.Create(path + ".goroutines.txt"); gerr == nil {
			_ = pprof.Lookup("goroutine").WriteTo(g, 1)
			_ = g.Close()
		}
	}
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				write()
			case <-stop:
				write()
				return
			}
		}
	}()
}
