package extract

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/mart-dev/mart/compiler"
)

// Kind is one kind of source store.
type Kind struct {
	// Modes lists the modes it offers.
	Modes []string
	// Extract lands one table: a tabular kind opens a Reader and calls
	// j.Extract with it.
	Extract func(ctx context.Context, j *Job) error
}

// DatasetFunc names a table in a store as an OpenLineage dataset
// (namespace such as postgres://host:5432, name such as db.public.orders)
// from the rendered dsn, never keeping its credentials.
type DatasetFunc func(dsn string, c Config, object string) (namespace, name string, err error)

var datasets sync.Map // kind name -> DatasetFunc

// RegisterDataset gives a kind of source its dataset naming.
func RegisterDataset(name string, f DatasetFunc) { datasets.Store(name, f) }

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

// Dataset names the store's table a source node lands, as OpenLineage
// names datasets (for the input of an extract's lineage events). The dsn
// is rendered here (env_var, var) and only its host, port and database
// are kept.
func Dataset(n *compiler.Node, vars map[string]any) (namespace, name string, err error) {
	cfg, errs := ParseConfig(n.Extract)
	if len(errs) > 0 {
		return "", "", errs[0]
	}
	f, ok := datasets.Load(cfg.From)
	if !ok {
		return "", "", fmt.Errorf("%s sources do not name their datasets", cfg.From)
	}
	j := &Job{Config: cfg, node: n, vars: vars}
	dsn, err := j.DSN()
	if err != nil && cfg.DSN != "" {
		return "", "", j.secrets.wrap(err)
	}
	ns, nm, err := f.(DatasetFunc)(dsn, cfg, firstNonEmpty(cfg.Table, n.Identifier, n.Name))
	return ns, nm, j.secrets.wrap(err)
}
