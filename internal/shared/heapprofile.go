package shared

import (
	"fmt"
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

// CPUProfileEnv names a file prefix the provider process writes CPU
// profiles to, one per interval (prefix.1, prefix.2, ...: terraform stops a
// provider without letting it finish a profile, so each window is a
// complete profile of its own). For `make bench` (BENCH_PROFILE=1).
const CPUProfileEnv = "MEMBERSHIP_CPU_PROFILE"

// StartCPUProfiles profiles the process in windows of interval, each
// written to prefix.N.
func StartCPUProfiles(prefix string, interval time.Duration) {
	go func() {
		for n := 1; ; n++ {
			f, err := os.Create(fmt.Sprintf("%s.%d", prefix, n))
			if err != nil {
				return
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				_ = f.Close()
				return
			}
			time.Sleep(interval)
			pprof.StopCPUProfile()
			_ = f.Close()
		}
	}()
}
