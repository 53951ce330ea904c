package duckdb

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/mart-dev/mart/warehouse"
)

func init() { warehouse.Register(adapter{}) }

// adapter is DuckDB's entry in the warehouse registry.
type adapter struct{}

// targetKeys are the keys of a duckdb output in profiles.yml.
var targetKeys = []string{"type", "threads", "path", "schema", "database", "settings"}

// DefaultPath is where a target without `path:` keeps its database,
// relative to the project.
const DefaultPath = "target/mart.duckdb"

func (adapter) Dialect() warehouse.Dialect { return Dialect{} }

// ParseTarget reads path (":memory:" for a private in-memory database),
// schema (default main), database and settings (DuckDB options set when
// the database opens). Unknown keys are warnings: dbt-duckdb profiles
// carry keys that mart does not use.
func (adapter) ParseTarget(s warehouse.Settings) (warehouse.Target, error) {
	t := warehouse.Target{Schema: "main", Warnings: warehouse.CheckKeys(s, targetKeys)}
	for _, w := range t.Warnings {
		w.Err = fmt.Errorf("duckdb profile: %w; mart ignores it", w.Err)
	}
	cfg := Config{Path: DefaultPath}
	var errs []error
	str := func(key string) string {
		v, ok := s[key]
		if !ok || v == nil {
			return ""
		}
		switch x := v.(type) {
		case string:
			return x
		case int, int64, float64, bool:
			return fmt.Sprint(x)
		}
		errs = append(errs, &warehouse.SettingError{Key: key, Err: fmt.Errorf("duckdb profile: %s must be a string, got %T", key, v)})
		return ""
	}
	if p := str("path"); p != "" {
		cfg.Path = p
		if strings.ContainsRune(p, '?') {
			// what follows is a connection string's options, a token often:
			// refused here, before the path reaches the manifest, and not repeated
			errs = append(errs, &warehouse.SettingError{Key: "path",
				Err: errors.New("duckdb profile: path must not contain '?' (DuckDB options go under settings:)")})
		}
	}
	if sc := str("schema"); sc != "" {
		t.Schema = sc
	}
	t.Database = str("database")
	if v, ok := s["settings"]; ok && v != nil {
		m, ok := v.(map[string]any)
		if !ok {
			errs = append(errs, &warehouse.SettingError{Key: "settings",
				Err: fmt.Errorf("duckdb profile: settings must be a mapping of DuckDB options, such as {memory_limit: 4GB}, got %T", v)})
		}
		cfg.Settings = make(map[string]string, len(m))
		for k, v := range m {
			cfg.Settings[k] = fmt.Sprint(v)
		}
	}
	if t.Database == "" {
		t.Catalog = catalogName(cfg.Path)
	}
	cfg.Schema = t.Schema
	t.Config = cfg
	return t, errors.Join(errs...)
}

// Open opens the target's database file; a relative path is relative to
// the project.
func (adapter) Open(ctx context.Context, t warehouse.Target, opt warehouse.OpenOptions) (warehouse.Warehouse, error) {
	cfg, ok := t.Config.(Config)
	if !ok {
		return nil, fmt.Errorf("duckdb: the target was not read by the duckdb adapter")
	}
	switch {
	case cfg.Path == ":memory:":
		cfg.Path = ""
	case !filepath.IsAbs(cfg.Path):
		cfg.Path = filepath.Join(opt.ProjectDir, cfg.Path)
	}
	cfg.Schema = t.Schema
	cfg.Speculative = opt.Speculative
	if _, set := cfg.Settings["file_search_path"]; !set && opt.ProjectDir != "" {
		// files named in SQL (external sources, read_csv('data/x.csv'))
		// are the project's, wherever mart runs from
		abs, err := filepath.Abs(opt.ProjectDir)
		if err == nil {
			settings := make(map[string]string, len(cfg.Settings)+1)
			for k, v := range cfg.Settings {
				settings[k] = v
			}
			settings["file_search_path"] = abs
			cfg.Settings = settings
		}
	}
	return Open(ctx, cfg)
}

// Locate records the database file's path as the profile gives it
// (relative to the project unless absolute), for a later run that reads
// this one's relations (--defer, diff, clone).
func (adapter) Locate(t warehouse.Target, opt warehouse.OpenOptions) map[string]string {
	cfg, ok := t.Config.(Config)
	if !ok || cfg.Path == ":memory:" || cfg.Path == "" {
		return nil
	}
	return map[string]string{"path": filepath.ToSlash(filepath.Clean(cfg.Path))}
}

// catalogName is the name DuckDB gives the database it opens at path: the
// file's name up to its first dot ("memory" in memory).
func catalogName(path string) string {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, ":memory:") {
		return "memory"
	}
	base := filepath.Base(path)
	if i := strings.IndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	return base
}
