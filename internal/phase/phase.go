// Package phase prints how long each phase of a mart run took, to stderr,
// when MART_TIMINGS is set: wall time, and the CPU time the whole process
// used meanwhile (so cpu/wall tells how parallel the phase was). It is how
// the compile and build figures in bench/results are taken apart; with the
// bytes of heap objects allocated meanwhile and the heap's size at its end
// (objects live or not yet collected: what a peak is made of). It costs
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
	"runtime/metrics"
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
	// allocs reads how many bytes of heap objects the process has
	// allocated so far; heap how many are on the heap now (live and not yet
	// collected).
	allocs    = []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}}
	lastAlloc uint64
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
	metrics.Read(allocs)
	alloc, heap := allocs[0].Value.Uint64(), allocs[1].Value.Uint64()
	fmt.Fprintf(os.Stderr, "mart timing: %-22s %7.1f ms (at %7.1f ms)  cpu %7.1f ms  alloc %5.1f MB  heap %5.1f MB\n", name,
		ms(now.Sub(last)), ms(now.Sub(start)), ms(cpu-lastCPU), mb(alloc-lastAlloc), mb(heap))
	last, lastCPU, lastAlloc = now, cpu, alloc
}

func mb(n uint64) float64 { return float64(n) / (1 << 20) }

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
