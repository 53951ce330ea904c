// Package phase prints how long each phase of a mart run took, to stderr,
// when MART_TIMINGS is set: wall time, and the CPU time the whole process
// used meanwhile (so cpu/wall tells how parallel the phase was). It is how
// the compile and build figures in bench/results are taken apart; it costs
// one branch when unset.
//
// MART_HEAPPROFILE=phase:file writes a heap profile when the phase of that
// name ends (a name's prefix does: "render"), after a collection, so its
// inuse_space is what was live then (`go tool pprof -sample_index=inuse_space`).
package phase

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"time"
)

var (
	heapAt, heapFile, _ = strings.Cut(os.Getenv("MART_HEAPPROFILE"), ":")

	timings = os.Getenv("MART_TIMINGS") != ""
	on      = timings || heapAt != ""
	mu      sync.Mutex
	start   = time.Now()
	last    = start
	lastCPU time.Duration
)

// Mark records that the phase named name ended now.
func Mark(name string) {
	if !on {
		return
	}
	mu.Lock()
	defer mu.Unlock()
	if heapAt != "" && strings.HasPrefix(name, heapAt) {
		runtime.GC()
		if f, err := os.Create(heapFile); err == nil {
			pprof.Lookup("heap").WriteTo(f, 0)
			f.Close()
		}
		heapAt = "" // the first such phase
	}
	if !timings {
		return
	}
	now := time.Now()
	cpu := cpuTime()
	fmt.Fprintf(os.Stderr, "mart timing: %-22s %7.1f ms (at %7.1f ms)  cpu %7.1f ms\n", name,
		ms(now.Sub(last)), ms(now.Sub(start)), ms(cpu-lastCPU))
	last, lastCPU = now, cpu
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
