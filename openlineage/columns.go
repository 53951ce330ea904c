package openlineage

import (
	"regexp"
	"strings"
	"sync"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/warehouse"
)

// Column lineage is known only where it can be read off the compiled SQL
// without a SQL parser: a model that reads one relation and selects
// columns of it by name (`select id, name as member_name from x where
// ...`). Each such column is an IDENTITY copy of the input column. Not
// known, and left out: expressions and functions, select *, joins, CTEs
// and subqueries (ephemeral models are CTEs), unions, aggregates, seeds
// and snapshots.

var (
	// simpleSelect is a whole query of the shape `select <list> from <one
	// relation> [alias] [where ...]`, with nothing nested.
	simpleSelect = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?is)^\s*select\s+(.+?)\s+from\s+([^\s,()]+)(?:\s+(?:as\s+)?[a-z_][a-z0-9_]*)?(?:\s+where\s+[^()]*)?\s*;?\s*$`)
	})
	// plainColumn is `col`, `t.col` or `"col"`, with `as alias` or not.
	plainColumn = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile("(?is)^(?:[a-z_][a-z0-9_]*\\.)?([a-z_][a-z0-9_]*|\"[^\"]+\"|`[^`]+`)(?:\\s+as\\s+([a-z_][a-z0-9_]*|\"[^\"]+\"|`[^`]+`))?$")
	})
	// notSimple words make a query more than one plain select.
	notSimple = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)\b(join|union|intersect|except|group\s+by|having|distinct|qualify|window|over|with)\b`)
	})
)

// columnLineage is the ColumnLineageDatasetFacet of a model's output, or
// nil when its lineage is not known (see above).
func (e *Emitter) columnLineage(n *compiler.Node, reads []warehouse.Relation) map[string]any {
	if n.ResourceType != compiler.TypeModel || len(reads) != 1 || notSimple().MatchString(n.CompiledCode) {
		return nil
	}
	m := simpleSelect().FindStringSubmatch(n.CompiledCode)
	if m == nil {
		return nil
	}
	in := e.name(reads[0])
	fields := map[string]any{}
	for _, item := range strings.Split(m[1], ",") {
		c := plainColumn().FindStringSubmatch(strings.TrimSpace(item))
		if c == nil {
			continue
		}
		src, out := unquoteIdent(c[1]), unquoteIdent(c[2])
		if out == "" {
			out = src
		}
		fields[out] = map[string]any{"inputFields": []any{map[string]any{"namespace": in.Namespace, "name": in.Name, "field": src,
			"transformations": []any{map[string]any{"type": "DIRECT", "subtype": "IDENTITY"}}}}}
	}
	if len(fields) == 0 {
		return nil
	}
	return facet(columnLineageFacetSchm, map[string]any{"fields": fields})
}

func unquoteIdent(s string) string { return strings.Trim(s, "\"`") }
