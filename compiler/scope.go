package compiler

import (
	"sync"

	"github.com/mart-dev/mart/compiler/jinja"
	"github.com/mart-dev/mart/warehouse"
)

// scope is what rendering a template needs besides the template itself:
// the project's macros and the variables every render shares, and the
// relations ref() and source() name. A compilation fills it; at the end of
// a compile it lives on, read-only, in the Renderer.
type scope struct {
	namer        *relationNamer // the Relations' (their methods)
	opt          Options
	project      *Project
	dialect      warehouse.Dialect
	catalog      string // warehouse.Target.Catalog
	engine       *jinja.Engine
	byName       map[string]*Node            // enabled models, seeds, snapshots by name (a versioned model's latest)
	versions     map[string]map[string]*Node // versioned models: name -> version -> node
	sources      map[string]*Node            // "source.table"
	targetValue  map[string]any
	crossdb      map[string]any
	adapterValue map[string]any

	// stateOf returns what a node's render recorded (its ref() and
	// source() targets): finalize reads it to inline ephemeral ancestors.
	stateOf func(id string) *renderState
	// graph is the `graph` variable's dicts, once the compile is done.
	graph func() map[string]any
	// resolved: every node's SQL is final; later renders only read it.
	resolved bool
	// lazy, when set, finds what ref() and source() name instead of
	// byName, versions and sources: a build from the patch snapshot
	// decodes those nodes when a render first asks (patchload.go)
	lazy *entryDecoder

	sharedOnce sync.Once
	shared     map[string]any // template variables common to every render
	templates  sync.Map       // unique id -> *jinja.Template, parsed again after the compile
	varFuncs   sync.Map       // package name -> its var()
}

// relationName is the dialect's name of a relation, qualified with the
// database when a two-part name would be ambiguous (warehouse.Target.Catalog).
func (s *scope) relationName(db, schema, name string) string {
	return s.dialect.RelationName(s.databaseFor(db, schema), schema, name)
}

// databaseOf is a relation's database as templates see it: on DuckDB,
// where a relation named in two parts has none, the database file's
// catalog (target.database), as dbt-duckdb's relations have it.
func (s *scope) databaseOf(db string) string { return firstNonEmpty(db, s.catalog) }

// withDatabase sets r's database to db as templates see it (databaseOf);
// one that is only the catalog is marked so ("__catalog"), for r's
// methods to name r in two parts as the compile does (relPart).
func (s *scope) withDatabase(r Relation, db string) Relation {
	r["database"] = s.databaseOf(db)
	if db == "" && s.catalog != "" {
		r["__catalog"] = s.catalog
	}
	return r
}

// databaseFor is the database of a relation in schema: db, or the
// connection's own when a two-part name would be ambiguous.
func (s *scope) databaseFor(db, schema string) string {
	if db == "" && s.catalog != "" && schema == s.catalog {
		return s.catalog
	}
	return db
}

// template returns a node's parsed template, parsing it once when a render
// after the compile (a build) asks for it. Nodes without a template of
// their own (seeds, sources, generic tests) give nil.
func (s *scope) template(n *Node) (*jinja.Template, error) {
	if !n.rerender {
		return nil, nil
	}
	if t, ok := s.templates.Load(n.UniqueID); ok {
		return t.(*jinja.Template), nil
	}
	t, err := s.engine.Parse(n.Path, n.templateText())
	if err != nil {
		return nil, err
	}
	s.templates.Store(n.UniqueID, t)
	return t, nil
}
