package shared

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestStartHeapProfilesWritesOnStop(t *testing.T) {
	path := filepath.Join(t.TempDir(), "heap.pprof")
	stop := make(chan struct{})
	StartHeapProfiles(path, time.Hour, stop)
	close(stop)
	deadline := time.Now().Add(10 * time.Second)
	for {
		if fi, err := os.Stat(path); err == nil && fi.Size() > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("no heap profile written after stop")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
