package duckdb

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/mart-dev/mart/warehouse"
)

// StateCatalog is the name under which a previous run's database is
// attached (read-only) for --defer, diff and clone. Views created while it
// is attached that read it (a deferred build's views) need it attached to
// be queried; mart attaches it whenever it runs with --state.
const StateCatalog = "mart_state"

// AttachState makes the relations of a previous run readable: its DuckDB
// file (the path its manifest recorded, or the one .duckdb file in the
// state directory) attached read-only as StateCatalog. When it is this
// warehouse's own file, nothing is attached.
func (w *Warehouse) AttachState(ctx context.Context, loc warehouse.StateLocation) (func(warehouse.Relation) warehouse.Relation, error) {
	path, err := statePath(loc, w.path)
	if err != nil {
		return nil, err
	}
	if same(path, w.path) {
		return func(r warehouse.Relation) warehouse.Relation { return w.resolve(r) }, nil
	}
	stmt := "ATTACH IF NOT EXISTS " + w.QuoteString(path) + " AS " + w.QuoteIdent(StateCatalog) + " (READ_ONLY)"
	if _, err := w.db.ExecContext(ctx, stmt); err != nil {
		return nil, fmt.Errorf("attaching the state's database %s: %w", path, err)
	}
	return func(r warehouse.Relation) warehouse.Relation {
		if r.Schema == "" {
			r.Schema = "main"
		}
		r.Database = StateCatalog
		return r
	}, nil
}

// statePath finds the state's database file: the path the state's manifest
// recorded, unless that is this warehouse's own file (own) while the state
// directory holds a database of its own. That is a pull request's CI job:
// production and the PR build the same relative path (target/mart.duckdb)
// in checkouts at the same place, and production's file is downloaded into
// the state directory.
func statePath(loc warehouse.StateLocation, own string) (string, error) {
	recorded := ""
	if p := loc.Recorded["path"]; p != "" {
		if !filepath.IsAbs(p) {
			p = filepath.Join(loc.ProjectDir, p)
		}
		if _, err := os.Stat(p); err == nil {
			if !same(p, own) {
				return p, nil
			}
			recorded = p
		}
	}
	matches, _ := filepath.Glob(filepath.Join(loc.Dir, "*.duckdb"))
	if recorded != "" && (len(matches) != 1 || same(matches[0], own)) {
		return recorded, nil
	}
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		where := "its manifest records no DuckDB file"
		if p := loc.Recorded["path"]; p != "" {
			where = "its manifest names " + p + ", which does not exist here"
		}
		return "", fmt.Errorf("cannot find the state's DuckDB database: %s, and %s holds no .duckdb file (copy the production database there)", where, loc.Dir)
	}
	return "", fmt.Errorf("the state directory %s holds several .duckdb files (%d): keep the production database only", loc.Dir, len(matches))
}

func same(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}
