package openlineage

import (
	"strings"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/plan"
	"github.com/mart-dev/mart/runner"
	"github.com/mart-dev/mart/warehouse"
)

// datasets are a node's inputs (the relations its step reads) and outputs
// (the relation it writes), with their facets: the documented schema, and
// once finished (r != nil) the output's row count and column lineage, and
// a test's assertion on the relation it checks.
//
// A dataset's schema is the documented columns of the node that makes or
// names it: for an input, the parent the node reads it through (looking
// through ephemeral models, as the step's reads do); for the output, the
// node itself. So the events of a node depend on it and its parents
// alone, not on what else the manifest holds: a run that loads only what
// its selection needs from the patch snapshot sends what a run that
// compiled the whole project sends, and a source declared on a model's
// table does not lend the model its columns.
func (e *Emitter) datasets(n *compiler.Node, r *runner.NodeResult) (inputs, outputs []Dataset) {
	s := e.steps[n.UniqueID]
	if s == nil {
		return nil, nil
	}
	parents := e.readThrough(n)
	for _, rel := range s.Reads {
		d := e.dataset(rel, parents[rel])
		if r != nil && isTest(n) && e.tested(n, rel) {
			d.InputFacets = map[string]any{"dataQualityAssertions": assertionsFacet(n, r)}
		}
		inputs = append(inputs, d)
	}
	if s.Writes != nil && !isTest(n) {
		d := e.dataset(*s.Writes, n)
		if d.Facets == nil {
			d.Facets = map[string]any{}
		}
		if r != nil && r.RowsAffected >= 0 && r.Status == runner.StatusSuccess {
			d.OutputFacets = map[string]any{"outputStatistics": facet(statsFacetSchema, map[string]any{"rowCount": r.RowsAffected})}
		}
		if cl := e.columnLineage(n, s.Reads); cl != nil {
			d.Facets["columnLineage"] = cl
		}
		if len(d.Facets) == 0 {
			d.Facets = nil
		}
		outputs = append(outputs, d)
	}
	return inputs, outputs
}

func isTest(n *compiler.Node) bool {
	return n.ResourceType == compiler.TypeTest || n.ResourceType == compiler.TypeUnitTest
}

// readThrough maps the relations node n reads to the parents it reads them
// through, looking through ephemeral models as the plan's reads do (Manifest.ReadNodes); of two
// parents naming one relation, the greater unique id.
func (e *Emitter) readThrough(n *compiler.Node) map[warehouse.Relation]*compiler.Node {
	out := map[warehouse.Relation]*compiler.Node{}
	for _, p := range e.opt.Manifest.ReadNodes(n, nil) {
		rel := plan.RelationOf(p)
		if q := out[rel]; q == nil || q.UniqueID < p.UniqueID {
			out[rel] = p
		}
	}
	return out
}

// tested reports whether rel is what test n checks: its attached node's
// relation, or any relation it reads when it has no attached node.
func (e *Emitter) tested(n *compiler.Node, rel warehouse.Relation) bool {
	if n.AttachedNode == "" {
		return true
	}
	m := e.opt.Manifest.Node(n.AttachedNode)
	return m != nil && plan.RelationOf(m) == rel
}

// dataset is a relation as a dataset, with the documented columns of the
// node that makes or names it (nil: none) as the schema facet (what the
// YAML says; mart does not query the catalog for it, so undocumented
// columns are missing).
func (e *Emitter) dataset(rel warehouse.Relation, n *compiler.Node) Dataset {
	d := e.name(rel)
	if n == nil || len(n.Columns) == 0 {
		return d
	}
	var fields []map[string]any
	for _, c := range sortedColumns(n) {
		f := map[string]any{"name": c.Name}
		if c.DataType != "" {
			f["type"] = c.DataType
		}
		if c.Description != "" {
			f["description"] = c.Description
		}
		fields = append(fields, f)
	}
	d.Facets = map[string]any{"schema": facet(schemaFacetSchema, map[string]any{"fields": fields})}
	return d
}

// assertionsFacet is a test's result as a data-quality assertion.
func assertionsFacet(n *compiler.Node, r *runner.NodeResult) map[string]any {
	a := map[string]any{"assertion": n.Name, "success": r.Status == runner.StatusPass || r.Status == runner.StatusSuccess}
	if n.TestMetadata != nil {
		a["assertion"] = n.TestMetadata.Name
	}
	if n.ColumnName != "" {
		a["column"] = n.ColumnName
	}
	a["severity"] = "error"
	if sev := n.Config.String("severity"); sev != "" {
		a["severity"] = strings.ToLower(sev)
	}
	if r.Failures != nil {
		a["failures"] = *r.Failures
	}
	a["properties"] = map[string]any{"test": n.UniqueID, "status": string(r.Status)}
	return facet(assertionsFacetSchema, map[string]any{"assertions": []any{a}})
}
