package runner

import (
	"context"
	"sort"
	"sync"
)

// walkFunc runs one vertex and reports whether its dependents may run.
type walkFunc func(ctx context.Context, id string) (ok bool)

// skipFunc is told about a vertex that will not run: blockedBy is the
// failed ancestor ("" when the walk was cancelled or stopped early).
type skipFunc func(id, blockedBy string)

// walk runs every vertex after all of its parents, up to threads at once.
// A vertex whose parent failed or was skipped is skipped. When ctx is
// cancelled (or failFast sees a failure) no new vertex starts; the ones
// running are cancelled through their context. parents maps each vertex to
// its parents within the walk; vertices absent from it have none. Ties are
// broken by id so a one-thread walk is deterministic.
func walk(ctx context.Context, ids []string, parents map[string][]string, threads int, failFast bool, run walkFunc, skip skipFunc) {
	if threads < 1 {
		threads = 1
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	inWalk := make(map[string]bool, len(ids))
	for _, id := range ids {
		inWalk[id] = true
	}
	waiting := make(map[string]int, len(ids))
	children := make(map[string][]string, len(ids))
	for _, id := range ids {
		for _, p := range parents[id] {
			if inWalk[p] && p != id {
				waiting[id]++
				children[p] = append(children[p], id)
			}
		}
	}
	var ready []string
	for _, id := range ids {
		if waiting[id] == 0 {
			ready = append(ready, id)
		}
	}
	sort.Strings(ready)

	type done struct {
		id string
		ok bool
	}
	results := make(chan done)
	running := 0
	blocked := map[string]string{} // id -> failed ancestor
	finished := map[string]bool{}
	stopped := false
	var wg sync.WaitGroup

	release := func(id string, ok bool, cause string) {
		// propagate to children; a skipped or failed vertex blocks them
		for _, ch := range children[id] {
			if !ok {
				// the smallest failed ancestor id, so the reason does not
				// depend on which parent happened to finish first
				if prev, already := blocked[ch]; !already || cause < prev {
					blocked[ch] = cause
				}
			}
			waiting[ch]--
			if waiting[ch] == 0 {
				ready = insertSorted(ready, ch)
			}
		}
	}
	for {
		for !stopped && running < threads && len(ready) > 0 {
			id := ready[0]
			ready = ready[1:]
			if cause, ok := blocked[id]; ok {
				skip(id, cause)
				finished[id] = true
				release(id, false, cause)
				continue
			}
			running++
			wg.Add(1)
			go func(id string) {
				defer wg.Done()
				results <- done{id, run(ctx, id)}
			}(id)
		}
		if running == 0 {
			break
		}
		d := <-results
		running--
		finished[d.id] = true
		release(d.id, d.ok, d.id)
		if (!d.ok && failFast) || ctx.Err() != nil {
			stopped = true
			cancel()
		}
	}
	wg.Wait()
	if stopped || ctx.Err() != nil {
		var rest []string
		for _, id := range ids {
			if !finished[id] {
				rest = append(rest, id)
			}
		}
		sort.Strings(rest)
		for _, id := range rest {
			skip(id, "")
		}
	}
}

func insertSorted(xs []string, s string) []string {
	i := sort.SearchStrings(xs, s)
	xs = append(xs, "")
	copy(xs[i+1:], xs[i:])
	xs[i] = s
	return xs
}
