package runner

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestWalkOrderAndSkips(t *testing.T) {
	// a -> b -> d, a -> c, e independent; b fails
	parents := map[string][]string{"b": {"a"}, "c": {"a"}, "d": {"b"}}
	ids := []string{"a", "b", "c", "d", "e"}
	var mu sync.Mutex
	started := map[string]bool{}
	var skipped []string
	walk(context.Background(), ids, parents, 3, false, func(ctx context.Context, id string) bool {
		mu.Lock()
		defer mu.Unlock()
		for _, p := range parents[id] {
			require.True(t, started[p], "%s started before its parent %s", id, p)
		}
		started[id] = true
		return id != "b"
	}, func(id, by string) {
		mu.Lock()
		skipped = append(skipped, id+"<"+by)
		mu.Unlock()
	})
	require.Equal(t, []string{"d<b"}, skipped)
	require.True(t, started["c"] && started["e"])
}

func TestWalkParallelismAndCancel(t *testing.T) {
	var ids []string
	for i := 0; i < 20; i++ {
		ids = append(ids, fmt.Sprintf("n%02d", i))
	}
	var cur, peak int32
	ctx, cancel := context.WithCancel(context.Background())
	var ran int32
	var skipped int32
	walk(ctx, ids, nil, 4, false, func(ctx context.Context, id string) bool {
		n := atomic.AddInt32(&cur, 1)
		for {
			p := atomic.LoadInt32(&peak)
			if n <= p || atomic.CompareAndSwapInt32(&peak, p, n) {
				break
			}
		}
		if atomic.AddInt32(&ran, 1) == 6 {
			cancel()
		}
		select {
		case <-ctx.Done():
		case <-time.After(20 * time.Millisecond):
		}
		atomic.AddInt32(&cur, -1)
		return ctx.Err() == nil
	}, func(id, by string) { atomic.AddInt32(&skipped, 1) })
	require.LessOrEqual(t, peak, int32(4))
	require.Greater(t, peak, int32(1))
	require.Equal(t, int32(20), ran+skipped)
	require.Less(t, ran, int32(20))
}
