package compiler

import (
	"strings"
	"sync"

	"github.com/mart-dev/mart/compiler/jinja"
)

// graph is dbt's `graph` context variable: the project's nodes, sources
// and macros as dicts (graph.nodes["model.p.orders"].config.materialized).
// dbt fills it once the project is parsed; so does mart: a template that
// reads it while the project compiles is rendered again after the compile,
// when every node is final (like a template that queries the warehouse),
// and meanwhile sees empty dicts.
type graphObject struct {
	s  *scope
	in *introspection
}

func (g *graphObject) Attr(name string) (any, bool) {
	switch name {
	case "nodes", "sources", "macros", "exposures", "metrics", "groups", "semantic_models", "saved_queries", "unit_tests":
	default:
		return nil, false
	}
	if !g.s.resolved {
		g.in.st.mu.Lock()
		g.in.st.needsWarehouse = true // rendered again after the compile
		g.in.st.mu.Unlock()
		return map[string]any{}, true
	}
	v, ok := g.s.graph()[name]
	if !ok {
		return map[string]any{}, true
	}
	return v, true
}

// graphOnce builds the graph's dicts from a manifest, once.
func graphOnce(m *Manifest) func() map[string]any {
	return sync.OnceValue(func() map[string]any {
		nodes := make(map[string]any, len(m.Nodes))
		for id, n := range m.Nodes {
			nodes[id] = graphNode(n)
		}
		sources := make(map[string]any, len(m.Sources))
		for id, n := range m.Sources {
			v := graphNode(n)
			v["source_name"], v["identifier"], v["loaded_at_field"] = n.SourceName, n.Identifier, n.LoadedAtField
			sources[id] = v
		}
		macros := make(map[string]any, len(m.Macros))
		for id, mac := range m.Macros {
			pkg := strings.TrimPrefix(id, "macro.")
			pkg, _, _ = strings.Cut(pkg, ".")
			macros[id] = map[string]any{"unique_id": id, "name": mac.Name, "package_name": pkg, "original_file_path": mac.Path}
		}
		units := make(map[string]any, len(m.UnitTests))
		for id, n := range m.UnitTests {
			units[id] = graphNode(n)
		}
		return map[string]any{"nodes": nodes, "sources": sources, "macros": macros, "unit_tests": units}
	})
}

// graphNode is a node as graph.nodes holds it.
func graphNode(n *Node) map[string]any {
	v := nodeValue(n).(map[string]any)
	cols := make(map[string]any, len(n.Columns))
	for name, c := range n.Columns {
		cols[name] = map[string]any{"name": c.Name, "description": c.Description, "data_type": c.DataType, "meta": c.Meta}
	}
	v["columns"] = cols
	v["description"] = n.Description
	v["meta"] = n.Meta
	v["raw_code"], v["raw_sql"] = n.RawCode, n.RawCode
	v["compiled_code"] = n.CompiledCode
	v["relation_name"] = n.Relation
	v["depends_on"] = map[string]any{"nodes": jinjaStrings(n.DependsOn.Nodes), "macros": jinjaStrings(n.DependsOn.Macros)}
	v["refs"] = refList(n.Refs)
	v["sources"] = sourceList(n.Sources)
	if n.TestMetadata != nil {
		v["test_metadata"] = map[string]any{"name": n.TestMetadata.Name, "namespace": n.TestMetadata.Namespace, "kwargs": n.TestMetadata.Args()}
	}
	if n.ResourceType == TypeTest {
		v["column_name"] = n.ColumnName
		v["attached_node"] = n.AttachedNode
	}
	return v
}

func jinjaStrings(xs []string) *jinja.List {
	items := make([]any, len(xs))
	for i, x := range xs {
		items[i] = x
	}
	return &jinja.List{Items: items}
}

func refList(refs []RefCall) *jinja.List {
	items := make([]any, len(refs))
	for i, r := range refs {
		m := map[string]any{"name": r.Name, "package": nil, "version": nil}
		if r.Package != "" {
			m["package"] = r.Package
		}
		if r.Version != "" {
			m["version"] = r.Version
		}
		items[i] = m
	}
	return &jinja.List{Items: items}
}

func sourceList(srcs [][]string) *jinja.List {
	items := make([]any, len(srcs))
	for i, s := range srcs {
		items[i] = jinjaStrings(s)
	}
	return &jinja.List{Items: items}
}
