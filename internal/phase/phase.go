// Package phase prints how long each phase of a mart run took, to stderr,
// when MART_TIMINGS is set. It is how the compile and build figures in
// bench/results are taken apart; it costs one branch when unset.
package phase

import (
	"fmt"
	"os"
	"sync"
	"time"
)

var (
	on    = os.Getenv("MART_TIMINGS") != ""
	mu    sync.Mutex
	start = time.Now()
	last  = start
)

// Mark records that the phase named name ended now.
func Mark(name string) {
	if !on {
		return
	}
	mu.Lock()
	defer mu.Unlock()
	now := time.Now()
	fmt.Fprintf(os.Stderr, "mart timing: %-22s %7.1f ms (at %7.1f ms)\n", name,
		float64(now.Sub(last).Microseconds())/1000, float64(now.Sub(start).Microseconds())/1000)
	last = now
}
