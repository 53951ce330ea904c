package extract

import (
	"context"
	"fmt"
	"sort"
	"sync"
)

// Kind is one kind of source store.
type Kind struct {
	// Modes lists the modes it offers.
	Modes []string
	// Extract lands one table: a tabular kind opens a Reader and calls
	// j.Extract with it.
	Extract func(ctx context.Context, j *Job) error
}

var kinds struct {
	sync.RWMutex
	m map[string]Kind
}

// Register makes a kind of source available under name (an extract
// block's from:). Sub-packages call it from init.
func Register(name string, k Kind) {
	kinds.Lock()
	defer kinds.Unlock()
	if kinds.m == nil {
		kinds.m = map[string]Kind{}
	}
	if _, dup := kinds.m[name]; dup {
		panic("extract: kind " + name + " registered twice")
	}
	kinds.m[name] = k
}

func kindOf(name string) (Kind, error) {
	kinds.RLock()
	defer kinds.RUnlock()
	k, ok := kinds.m[name]
	if !ok {
		have := make([]string, 0, len(kinds.m))
		for n := range kinds.m {
			have = append(have, n)
		}
		sort.Strings(have)
		return Kind{}, fmt.Errorf("this mart has no %s source linked in (it has: %v); import github.com/mart-dev/mart/extract/sources", name, have)
	}
	return k, nil
}
