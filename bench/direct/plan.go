// Package direct owns the baseline that mart build is measured against:
// it replays what `mart compile` wrote (target/manifest.json and the SQL
// under target/compiled/) straight through database/sql, one statement
// after another in dependency order, with no engine in between. Seeds are
// loaded with read_csv, models wrapped as `create or replace table|view`,
// and data tests run as `select count(*)` over their compiled query.
//
// The package takes a *sql.DB and imports no driver, so it builds without
// cgo; bench/cmd/directduckdb wires it to DuckDB.
package direct

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Kind says what a Statement does.
type Kind string

// The kinds of statement a Plan holds.
const (
	KindSchema Kind = "schema" // create schema if not exists
	KindSeed   Kind = "seed"   // load a CSV into a table
	KindModel  Kind = "model"  // create or replace a table or view
	KindTest   Kind = "test"   // count the rows a data test returns
)

// Statement is one SQL statement of the replay.
type Statement struct {
	Node string // unique id of the manifest node, empty for schemas
	Kind Kind
	SQL  string
}

// Plan is the replay of one compiled project, in dependency order.
type Plan struct {
	// Catalog is the database name that compiled SQL qualifies relations
	// with ("" when relations are schema.name): DuckDB names a database file
	// after its base name, so the replay must open <Catalog>.duckdb.
	Catalog    string
	Statements []Statement
	// Skipped lists nodes with nothing to replay: ephemeral models (inlined
	// by their dependents), tests without compiled SQL, other node types.
	Skipped []string
}

// Load reads projectDir/target/manifest.json and the compiled SQL it points
// at, and orders the statements so that every node runs after the nodes it
// depends on (ties broken by unique id).
func Load(projectDir string) (*Plan, error) {
	absDir, err := filepath.Abs(projectDir)
	if err != nil {
		return nil, err
	}
	nodes, err := readManifest(absDir)
	if err != nil {
		return nil, err
	}
	order, err := topoOrder(nodes)
	if err != nil {
		return nil, err
	}
	p := &Plan{Catalog: catalog(nodes)}
	schemas := map[string]bool{}
	var body []Statement
	for _, n := range order {
		st, ok, err := statement(absDir, n)
		if err != nil {
			return nil, err
		}
		if !ok {
			p.Skipped = append(p.Skipped, n.id)
			continue
		}
		if st.Kind != KindTest {
			if q := qualifier(relationOf(n)); q != "" && !schemas[q] {
				schemas[q] = true
				p.Statements = append(p.Statements, Statement{Kind: KindSchema, SQL: "create schema if not exists " + q})
			}
		}
		body = append(body, st)
	}
	p.Statements = append(p.Statements, body...)
	return p, nil
}

// Count returns how many statements of a kind the plan holds.
func (p *Plan) Count(k Kind) int {
	n := 0
	for _, st := range p.Statements {
		if st.Kind == k {
			n++
		}
	}
	return n
}

// statement renders the node's SQL, or reports false if it has none to run.
func statement(projectDir string, n *manifestNode) (Statement, bool, error) {
	switch n.resourceType {
	case "seed":
		csv := n.originalPath
		if csv == "" {
			csv = filepath.Join("seeds", n.name+".csv")
		}
		if !filepath.IsAbs(csv) {
			csv = filepath.Join(projectDir, csv)
		}
		sql := fmt.Sprintf("create or replace table %s as select * from read_csv(%s, header = true)", relationOf(n), quoteString(csv))
		return Statement{Node: n.id, Kind: KindSeed, SQL: sql}, true, nil
	case "model":
		kind := "table"
		switch strings.ToLower(n.materialized) {
		case "ephemeral":
			return Statement{}, false, nil
		case "view":
			kind = "view"
		}
		body, err := n.compiledSQL(projectDir)
		if err != nil {
			return Statement{}, false, err
		}
		sql := fmt.Sprintf("create or replace %s %s as\n%s", kind, relationOf(n), trimSQL(body))
		return Statement{Node: n.id, Kind: KindModel, SQL: sql}, true, nil
	case "test", "data_test":
		body, err := n.compiledSQL(projectDir)
		if err != nil {
			return Statement{}, false, nil // a test mart did not compile is not replayed
		}
		sql := fmt.Sprintf("select count(*) from (\n%s\n) as dbt_internal_test", trimSQL(body))
		return Statement{Node: n.id, Kind: KindTest, SQL: sql}, true, nil
	}
	return Statement{}, false, nil
}

// trimSQL drops trailing semicolons and blank space, so the SQL can be
// wrapped in a larger statement.
func trimSQL(s string) string {
	return strings.TrimRight(strings.TrimSpace(s), "; \t\r\n")
}

// topoOrder returns nodes so that each comes after its dependencies; edges
// to nodes not in the manifest (sources, macros) are ignored.
func topoOrder(nodes []manifestNode) ([]*manifestNode, error) {
	byID := make(map[string]*manifestNode, len(nodes))
	for i := range nodes {
		byID[nodes[i].id] = &nodes[i]
	}
	const (
		unvisited = iota
		visiting
		done
	)
	state := make(map[string]int, len(nodes))
	order := make([]*manifestNode, 0, len(nodes))
	var visit func(n *manifestNode, path []string) error
	visit = func(n *manifestNode, path []string) error {
		switch state[n.id] {
		case done:
			return nil
		case visiting:
			return fmt.Errorf("dependency cycle: %s -> %s", strings.Join(path, " -> "), n.id)
		}
		state[n.id] = visiting
		for _, dep := range n.dependsOn {
			if d, ok := byID[dep]; ok {
				if err := visit(d, append(path, n.id)); err != nil {
					return err
				}
			}
		}
		state[n.id] = done
		order = append(order, n)
		return nil
	}
	for i := range nodes { // nodes are sorted by id
		if err := visit(&nodes[i], nil); err != nil {
			return nil, err
		}
	}
	return order, nil
}

// relationOf is the node's relation as its dependents' SQL names it.
func relationOf(n *manifestNode) string {
	if n.relation != "" {
		return n.relation
	}
	schema := n.schema
	if schema == "" {
		schema = "main"
	}
	parts := []string{quoteIdent(schema), quoteIdent(n.name)}
	if n.database != "" {
		parts = append([]string{quoteIdent(n.database)}, parts...)
	}
	return strings.Join(parts, ".")
}

// catalog is the database name most relations are qualified with.
func catalog(nodes []manifestNode) string {
	counts := map[string]int{}
	best := ""
	for i := range nodes {
		n := &nodes[i]
		if n.resourceType != "model" && n.resourceType != "seed" {
			continue
		}
		db := n.database
		if parts := splitIdent(n.relation); len(parts) == 3 {
			db = parts[0]
		}
		if db == "" {
			continue
		}
		counts[db]++
		if counts[db] > counts[best] || (counts[db] == counts[best] && db < best) {
			best = db
		}
	}
	return best
}

// qualifier is a relation without its last part: `"db"."schema"` of
// `"db"."schema"."t"`, or "" for a bare name.
func qualifier(relation string) string {
	parts := splitIdent(relation)
	if len(parts) < 2 {
		return ""
	}
	quoted := make([]string, len(parts)-1)
	for i, p := range parts[:len(parts)-1] {
		quoted[i] = quoteIdent(p)
	}
	return strings.Join(quoted, ".")
}

// splitIdent splits a dotted SQL name into its unquoted parts; double
// quotes protect dots, and "" inside them is a quote.
func splitIdent(s string) []string {
	var (
		parts  []string
		cur    strings.Builder
		quoted bool
	)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' && quoted && i+1 < len(s) && s[i+1] == '"':
			cur.WriteByte('"')
			i++
		case c == '"':
			quoted = !quoted
		case c == '.' && !quoted:
			parts = append(parts, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	if s != "" {
		parts = append(parts, cur.String())
	}
	return parts
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func quoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
