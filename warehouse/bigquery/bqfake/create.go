package bqfake

import (
	"net/http"
	"strings"
)

// createStmt is a parsed CREATE TABLE or VIEW.
type createStmt struct {
	kind                         string // TABLE or VIEW
	orReplace, temp, ifNotExists bool
	proj, ds, name               string
	nameAt, after                int // token indexes of the name and after it
}

func parseCreate(r *run, st *stmt) (*createStmt, *apiError) {
	toks := st.toks
	c := &createStmt{}
	i := skipWords(toks, 1, "OR", "REPLACE")
	c.orReplace = i == 3
	c.temp = i < len(toks) && (toks[i].is("TEMP") || toks[i].is("TEMPORARY"))
	i = skipWords(toks, i, "TEMP", "TEMPORARY")
	if i >= len(toks) || (!toks[i].is("TABLE") && !toks[i].is("VIEW")) {
		what := "statement"
		if i < len(toks) {
			what = toks[i].text
		}
		return nil, invalidQuery("bqfake: CREATE %s is not supported", what)
	}
	c.kind = toks[i].text
	i++
	c.ifNotExists = i+2 < len(toks) && toks[i].is("IF") && toks[i+1].is("NOT")
	c.nameAt = skipWords(toks, i, "IF", "NOT", "EXISTS")
	c.proj, c.ds, c.name, c.after = r.target(st, c.nameAt)
	if c.name == "" {
		return nil, invalidQuery("Syntax error: expected a name after CREATE %s", c.kind)
	}
	if c.proj == "" && !c.temp {
		return nil, invalidQuery("Table name \"%s\" missing dataset while no default dataset is set in the request.", c.name)
	}
	return c, nil
}

// head is the DuckDB statement's start, up to the name.
func (c *createStmt) head(rel string) string {
	h := "CREATE "
	if c.orReplace {
		h += "OR REPLACE "
	}
	if c.temp {
		h += "TEMP "
	}
	h += c.kind + " "
	if c.ifNotExists {
		h += "IF NOT EXISTS "
	}
	return h + rel
}

// create runs CREATE [OR REPLACE] [TEMP] TABLE or VIEW: BigQuery's rules on
// replacing (a view by a table, a table partitioned otherwise, DDL in a
// transaction) against the catalog, then the statement in DuckDB, and the
// new relation's schema, row count, partitioning, clustering and
// expiration into the catalog.
func (r *run) create(st *stmt) *apiError {
	if i := skipWords(st.toks, 1, "OR", "REPLACE"); i < len(st.toks) && st.toks[i].is("SCHEMA") {
		return r.createSchema(st, i+1)
	}
	c, err := parseCreate(r, st)
	if err != nil {
		return err
	}
	skip := map[int]bool{}
	for k := c.nameAt; k < c.after; k++ {
		skip[k] = true
	}
	if c.temp {
		if err := r.checkRefs(st, skip); err != nil || r.dryRun {
			return err
		}
		r.temps[c.name] = true
		return r.runCreate(st, c, duckIdent(c.name))
	}
	if r.inTx {
		return invalidQuery("CREATE %s on the permanent table %s.%s.%s is not supported inside a multi-statement transaction", c.kind, c.proj, c.ds, c.name)
	}
	if err := r.checkRefs(st, skip); err != nil {
		return err
	}
	ds, err := r.s.findDataset(c.proj, c.ds, r.location)
	if err != nil {
		return err
	}
	full := c.proj + ":" + c.ds + "." + c.name
	old := ds.tables[c.name]
	if old != nil && !c.orReplace {
		if c.ifNotExists {
			return nil
		}
		return &apiError{http.StatusConflict, "duplicate", "Already Exists: Table " + full}
	}
	if old != nil && old.kind != c.kind {
		return invalidQuery("%s %s already exists and is a %s; it cannot be replaced by a %s", strings.ToLower(old.kind), full, strings.ToLower(old.kind), strings.ToLower(c.kind))
	}
	t := &table{project: c.proj, dataset: c.ds, id: c.name, kind: c.kind, createdMs: r.s.now().UnixMilli()}
	if c.kind == "VIEW" {
		t.viewQuery = st.src
	} else {
		t.partition, t.clustering = partitionSpec(st, c.after)
		if old != nil && old.partition.String() != t.partition.String() {
			return invalidQuery("Cannot replace a table with a different partitioning spec. Instead, DROP the table, and then recreate it. New partitioning spec is %s and existing spec is %s.", t.partition, old.partition)
		}
		t.expirationMs = expiration(st, c.after)
	}
	if r.dryRun {
		return nil
	}
	if err := r.runCreate(st, c, duckRel(c.proj, c.ds, c.name)); err != nil {
		return err
	}
	if err := r.refresh(t); err != nil {
		return err
	}
	if rule, ok := r.s.resultFor(st.src); ok && rule.NumRows > 0 {
		t.numRows = rule.NumRows
	}
	ds.tables[c.name] = t
	return nil
}

// runCreate runs the CREATE in DuckDB. A rule matching the statement
// scripts the new table: with rows, it holds the rule's schema and rows;
// with a schema only, the query runs and the table is then conformed to
// the schema (its missing columns added, its columns retyped).
func (r *run) runCreate(st *stmt, c *createStmt, rel string) *apiError {
	rule, scripted := r.s.resultFor(st.src)
	if scripted && c.kind == "TABLE" && (rule.Rows != nil || rule.NumRows > 0) && rule.Schema != nil {
		return r.createScripted(c, rel, rule)
	}
	ns, terr := tree(st.toks)
	if terr != nil {
		return invalidQuery("%v", terr)
	}
	t := r.translator(st)
	q, fill := t.createSQL(ns, c.after, c.head(rel), c.kind == "VIEW")
	if err := r.translated(t); err != nil {
		return err
	}
	if query := createQuery(ns, c.after); query != nil && !scripted {
		fields, err := r.duckDescribe(t.query(query))
		if err != nil {
			return err
		}
		if err := checkNamed(c.kind, query, fields); err != nil {
			return err
		}
	}
	if fill != "" {
		// all or nothing, as BigQuery's one statement
		if _, err := r.duckExec("BEGIN TRANSACTION", q, fill, "COMMIT"); err != nil {
			_, _ = r.duckExec("ROLLBACK")
			return err
		}
	} else if _, err := r.duckExec(q); err != nil {
		return err
	}
	if scripted && c.kind == "TABLE" && rule.Schema != nil {
		return r.conform(rel, rule.Schema)
	}
	return nil
}
