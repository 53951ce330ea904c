package compiler

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/flosch/pongo2/v6"

	"github.com/mart-dev/mart/compiler/jinja"
)

// Relation is what ref(), source() and this return to templates: it prints
// as the quoted relation name and exposes database, schema, identifier.
// Inside a render it prints a placeholder that is swapped for the final name
// once every node's config is known.
type Relation map[string]any

func (r Relation) String() string { return fmt.Sprint(r["__text"]) }

const placeholderPrefix = "__MART_REL_"

func placeholder(i int) string { return placeholderPrefix + strconv.Itoa(i) + "__" }

// renderState collects what one node's render records.
type renderState struct {
	mu       sync.Mutex
	node     *Node
	config   map[string]any
	refs     []RefCall
	sources  [][]string
	targets  []string // placeholder index -> "ref:<name>" | "source:<s>.<t>" | "this"
	errs     []string
	usedThis bool
}

func (s *renderState) addTarget(key string) int {
	for i, k := range s.targets {
		if k == key {
			return i
		}
	}
	s.targets = append(s.targets, key)
	return len(s.targets) - 1
}

// RenderOptions change how a node renders (build time vs compile time).
type RenderOptions struct {
	Incremental bool // is_incremental() returns true
	// BatchStart and BatchEnd, when set, render one microbatch: ref() and
	// source() of an input with an event_time config read only the rows
	// with BatchStart <= event_time < BatchEnd, and model.batch holds the
	// window.
	BatchStart, BatchEnd time.Time
}

func (o RenderOptions) batched() bool { return !o.BatchStart.IsZero() && !o.BatchEnd.IsZero() }

// batchFilter wraps an input relation so it yields only the batch's rows.
func (c *compilation) batchFilter(rel Relation, eventTime string, opt RenderOptions) Relation {
	if !opt.batched() || eventTime == "" {
		return rel
	}
	lit := func(t time.Time) string {
		return "cast(" + c.dialect.QuoteString(t.UTC().Format("2006-01-02 15:04:05")) + " as timestamp)"
	}
	rel["__text"] = fmt.Sprintf("(select * from %s where %s >= %s and %s < %s)", rel["__text"], eventTime, lit(opt.BatchStart), eventTime, lit(opt.BatchEnd))
	return rel
}

// renderContext builds the template variables for one node.
func (c *compilation) renderContext(st *renderState, opt RenderOptions) pongo2.Context {
	n := st.node
	ctx := pongo2.Context{
		"ref":    c.refFunc(st, opt),
		"source": c.sourceFunc(st, opt),
		"config": c.configFunc(st),
		"__config_get": func(args ...*pongo2.Value) any {
			pos, _ := jinja.SplitArgs(args)
			if len(pos) == 0 {
				return nil
			}
			st.mu.Lock()
			defer st.mu.Unlock()
			if v, ok := st.config[pos[0].String()]; ok {
				return v
			}
			if len(pos) > 1 {
				return pos[1].Interface()
			}
			return nil
		},
		"__config_require": func(args ...*pongo2.Value) (any, error) {
			pos, _ := jinja.SplitArgs(args)
			if len(pos) == 0 {
				return nil, fmt.Errorf("config.require() needs a key")
			}
			st.mu.Lock()
			defer st.mu.Unlock()
			if v, ok := st.config[pos[0].String()]; ok {
				return v, nil
			}
			return nil, fmt.Errorf("config %q is required", pos[0].String())
		},
		"var":     varFunc(c.project.Vars),
		"env_var": envVar,
		"this": func() Relation {
			st.usedThis = true
			return Relation{"__text": placeholder(st.addTarget("this")), "name": n.Name, "identifier": n.Alias, "schema": n.Schema, "database": n.Database}
		}(),
		"is_incremental": func() bool { return opt.Incremental },
		"should_full_refresh": func() bool {
			return c.opt.FullRefresh
		},
		"target":         c.targetValue,
		"run_started_at": c.opt.RunStartedAt,
		"invocation_id":  c.opt.InvocationID,
		"model":          c.modelValue(n, opt),
		"execute":        true,
		"flags":          map[string]any{"FULL_REFRESH": c.opt.FullRefresh},
		"project_name":   c.project.Name,
		"log":            func(args ...*pongo2.Value) string { return "" },
		"print":          func(args ...*pongo2.Value) string { return "" },
		"exceptions": map[string]any{
			"raise_compiler_error": func(msg *pongo2.Value) (string, error) { return "", fmt.Errorf("%s", msg.String()) },
			"warn":                 func(msg *pongo2.Value) string { return "" },
		},
		"__where": func(rel *pongo2.Value, cond *pongo2.Value) string {
			return "(select * from " + rel.String() + " where " + cond.String() + ") dbt_subquery"
		},
		"dbt":     c.crossdb,
		"adapter": c.adapterValue,
	}
	return ctx
}

func (c *compilation) modelValue(n *Node, opt RenderOptions) map[string]any {
	m := map[string]any{"name": n.Name, "unique_id": n.UniqueID, "resource_type": n.ResourceType, "path": n.Path}
	if opt.batched() {
		m["batch"] = map[string]any{"event_time_start": opt.BatchStart.UTC().Format("2006-01-02 15:04:05"),
			"event_time_end": opt.BatchEnd.UTC().Format("2006-01-02 15:04:05"),
			"id":             opt.BatchStart.UTC().Format("20060102T150405")}
	}
	return m
}

func (c *compilation) refFunc(st *renderState, opt RenderOptions) func(args ...*pongo2.Value) (Relation, error) {
	return func(args ...*pongo2.Value) (Relation, error) {
		pos, kw := jinja.SplitArgs(args)
		var r RefCall
		switch len(pos) {
		case 1:
			r.Name = pos[0].String()
		case 2:
			r.Package, r.Name = pos[0].String(), pos[1].String()
		default:
			return nil, fmt.Errorf("ref() takes a model name, or a package and a model name (got %d arguments)", len(pos))
		}
		if v, ok := kw["version"]; ok {
			r.Version = v.String()
		} else if v, ok := kw["v"]; ok {
			r.Version = v.String()
		}
		st.mu.Lock()
		defer st.mu.Unlock()
		seen := false
		for _, x := range st.refs {
			if x == r {
				seen = true
			}
		}
		if !seen {
			st.refs = append(st.refs, r)
		}
		rel := Relation{"__text": placeholder(st.addTarget("ref:" + r.Name)), "name": r.Name, "identifier": r.Name}
		if t := c.byName[r.Name]; t != nil {
			rel["identifier"], rel["schema"], rel["database"] = t.Alias, t.Schema, t.Database
			if opt.batched() { // build time only: configs are final and no render writes them
				rel = c.batchFilter(rel, t.Config.String("event_time"), opt)
			}
		}
		return rel, nil
	}
}

func (c *compilation) sourceFunc(st *renderState, opt RenderOptions) func(args ...*pongo2.Value) (Relation, error) {
	return func(args ...*pongo2.Value) (Relation, error) {
		pos, _ := jinja.SplitArgs(args)
		if len(pos) != 2 {
			return nil, fmt.Errorf("source() takes a source name and a table name (got %d arguments)", len(pos))
		}
		s, t := pos[0].String(), pos[1].String()
		st.mu.Lock()
		defer st.mu.Unlock()
		seen := false
		for _, x := range st.sources {
			if x[0] == s && x[1] == t {
				seen = true
			}
		}
		if !seen {
			st.sources = append(st.sources, []string{s, t})
		}
		rel := Relation{"__text": placeholder(st.addTarget("source:" + s + "." + t)), "name": t, "identifier": t}
		if src := c.sources[s+"."+t]; src != nil {
			rel["identifier"], rel["schema"], rel["database"] = src.Identifier, src.Schema, src.Database
			if opt.batched() {
				rel = c.batchFilter(rel, src.Config.String("event_time"), opt)
			}
		}
		return rel, nil
	}
}

func (c *compilation) configFunc(st *renderState) func(args ...*pongo2.Value) (string, error) {
	return func(args ...*pongo2.Value) (string, error) {
		pos, kw := jinja.SplitArgs(args)
		st.mu.Lock()
		defer st.mu.Unlock()
		for _, p := range pos {
			m, ok := jinja.Native(p).(map[string]any)
			if !ok {
				return "", fmt.Errorf("config() takes keyword arguments, e.g. config(materialized='table')")
			}
			mergeConfig(st.config, m)
		}
		for _, k := range sortedKeys(kw) {
			name := normalizeConfigKey(k)
			if !knownConfig[name] {
				msg := fmt.Sprintf("unknown config key %q", k)
				if s := didYouMean(name, knownConfigNames()); s != "" {
					msg += ": " + s
				}
				st.errs = append(st.errs, msg)
			}
			mergeConfig(st.config, map[string]any{name: jinja.Native(kw[k])})
		}
		return "", nil
	}
}

// resolvePlaceholders swaps placeholders in sql for the relations they name.
func resolvePlaceholders(sql string, names []string) string {
	if !strings.Contains(sql, placeholderPrefix) {
		return sql
	}
	var b strings.Builder
	b.Grow(len(sql) + 64)
	for {
		i := strings.Index(sql, placeholderPrefix)
		if i < 0 {
			b.WriteString(sql)
			break
		}
		b.WriteString(sql[:i])
		rest := sql[i+len(placeholderPrefix):]
		j := strings.Index(rest, "__")
		if j < 0 {
			b.WriteString(sql[i:])
			break
		}
		idx, err := strconv.Atoi(rest[:j])
		if err != nil || idx >= len(names) {
			b.WriteString(sql[i : i+len(placeholderPrefix)])
			sql = rest
			continue
		}
		b.WriteString(names[idx])
		sql = rest[j+2:]
	}
	return b.String()
}
