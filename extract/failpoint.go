package extract

import (
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// FailpointEnv names the environment variable that arms a failpoint, for
// crash tests: "name" or "name:n" kills the process with SIGKILL the n-th
// time (default the first) the run reaches the point called name. Points:
//
//   - "staged": a batch is staged, its commit has not begun (between load
//     and merge);
//   - "committed": a batch and its state are committed, the next chunk has
//     not begun (between chunks).
const FailpointEnv = "MART_EXTRACT_FAILPOINT"

var failpoints struct {
	once sync.Once
	name string
	at   int64
	hits atomic.Int64
}

// failpoint kills the process when the armed failpoint is name and this
// is its n-th hit. Unarmed, it costs one comparison.
func failpoint(name string) {
	failpoints.once.Do(func() {
		v := os.Getenv(FailpointEnv)
		name, n, _ := strings.Cut(v, ":")
		failpoints.name, failpoints.at = name, 1
		if k, err := strconv.ParseInt(n, 10, 64); err == nil && k > 0 {
			failpoints.at = k
		}
	})
	if failpoints.name == "" || failpoints.name != name {
		return
	}
	if failpoints.hits.Add(1) == failpoints.at {
		if p, err := os.FindProcess(os.Getpid()); err == nil {
			_ = p.Kill() // SIGKILL on Unix
		}
		select {} // the signal is on its way
	}
}
