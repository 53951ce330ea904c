package duckdb

import (
	"context"
	"strings"
	"sync"

	"github.com/mart-dev/mart/warehouse"
)

// relationLocks serializes changes to one relation within this process.
//
// Two transactions that replace the same table conflict in DuckDB at the
// DROP/RENAME, and while one keeps rebuilding it the other can lose every
// retry. The build never replaces one model twice at once, but hooks, seeds
// and ad-hoc operations may; queueing them here is cheaper and fairer than
// retrying. Different relations never wait for each other.
type relationLocks struct {
	mu sync.Mutex
	m  map[string]*relationLock
}

type relationLock struct {
	ch   chan struct{} // holds a token while locked
	refs int           // goroutines holding or waiting; guarded by relationLocks.mu
}

// lock waits until r is free or ctx is done, and returns the unlock function.
func (l *relationLocks) lock(ctx context.Context, r warehouse.Relation) (func(), error) {
	key := strings.ToLower(r.Database + "\x00" + r.Schema + "\x00" + r.Name)
	l.mu.Lock()
	if l.m == nil {
		l.m = make(map[string]*relationLock)
	}
	e := l.m[key]
	if e == nil {
		e = &relationLock{ch: make(chan struct{}, 1)}
		l.m[key] = e
	}
	e.refs++
	l.mu.Unlock()

	release := func() {
		l.mu.Lock()
		e.refs--
		if e.refs == 0 {
			delete(l.m, key)
		}
		l.mu.Unlock()
	}
	select {
	case e.ch <- struct{}{}:
		return func() { <-e.ch; release() }, nil
	case <-ctx.Done():
		release()
		return nil, ctx.Err()
	}
}
