package bqfake

import (
	"net/http"
	"slices"
	"strings"
)

// drop runs DROP TABLE or VIEW [IF EXISTS] (and DROP SCHEMA).
func (r *run) drop(st *stmt) *apiError {
	toks := st.toks
	i := 1
	if i < len(toks) && toks[i].is("SCHEMA") {
		return r.dropSchema(st)
	}
	if i >= len(toks) || (!toks[i].is("TABLE") && !toks[i].is("VIEW")) {
		return invalidQuery("bqfake: this DROP statement is not supported")
	}
	kind := toks[i].text
	i++
	ifExists := i+1 < len(toks) && toks[i].is("IF") && toks[i+1].is("EXISTS")
	i = skipWords(toks, i, "IF", "EXISTS")
	proj, dsName, name, _ := r.target(st, i)
	if proj == "" {
		if r.dryRun {
			return nil
		}
		delete(r.temps, name)
		q := "DROP TABLE "
		if ifExists {
			q += "IF EXISTS "
		}
		_, err := r.duckExec(q + duckIdent(name))
		return err
	}
	if r.inTx {
		return invalidQuery("DROP %s on the permanent table %s.%s.%s is not supported inside a multi-statement transaction", kind, proj, dsName, name)
	}
	ds, err := r.s.findDataset(proj, dsName, r.location)
	if err != nil {
		if ifExists && err.Code == http.StatusNotFound && r.s.lookupDataset(proj, dsName) == nil {
			return nil
		}
		return err
	}
	t := ds.tables[name]
	full := proj + ":" + dsName + "." + name
	switch {
	case t == nil && ifExists:
		return nil
	case t == nil:
		return notFound("Not found: Table %s", full)
	case t.kind != kind:
		return invalidQuery("%s is a %s, not a %s: use DROP %s", full, strings.ToLower(t.kind), strings.ToLower(kind), t.kind)
	}
	if r.dryRun {
		return nil
	}
	if _, err := r.duckExec("DROP " + kind + " IF EXISTS " + duckRel(proj, dsName, name)); err != nil {
		return err
	}
	delete(ds.tables, name)
	return nil
}

// alterPlan is what an ALTER TABLE does: DuckDB statements and catalog
// changes.
type alterPlan struct {
	stmts      []string
	cols       []Field // the columns once altered
	renameTo   string
	expiration *int64
}

// alter runs ALTER TABLE or VIEW [IF EXISTS] name action, ...: RENAME TO,
// RENAME COLUMN, ADD COLUMN, DROP COLUMN, ALTER COLUMN (SET DATA TYPE,
// SET OPTIONS, DROP NOT NULL, SET/DROP DEFAULT) and SET OPTIONS, atomically.
func (r *run) alter(st *stmt) *apiError {
	toks := st.toks
	if len(toks) < 3 || (!toks[1].is("TABLE") && !toks[1].is("VIEW") && !toks[1].is("SCHEMA")) {
		return invalidQuery("bqfake: this ALTER statement is not supported")
	}
	i := skipWords(toks, 2, "IF", "EXISTS")
	ifExists := i > 2
	proj, dsName, name, next := r.target(st, i)
	if toks[1].is("SCHEMA") {
		return r.alterSchema(st, i)
	}
	if proj == "" {
		return r.alterTemp(st, name, next)
	}
	if r.inTx {
		return invalidQuery("ALTER %s on the permanent table %s.%s.%s is not supported inside a multi-statement transaction", toks[1].text, proj, dsName, name)
	}
	t, err := r.s.findTable(proj, dsName, name, r.location)
	if err != nil {
		if ifExists && err.Code == http.StatusNotFound {
			return nil
		}
		return err
	}
	if r.dryRun {
		return nil
	}
	plan, err := r.planAlter(st, t, duckRel(proj, dsName, name), next)
	if err != nil {
		return err
	}
	return r.applyAlter(t, plan)
}

// alterTemp runs ALTER TABLE on a temporary table (no catalog entry).
func (r *run) alterTemp(st *stmt, name string, next int) *apiError {
	if r.dryRun {
		return nil
	}
	rel := duckIdent(name)
	var have []Field
	if err := r.unlocked(func() error {
		var err error
		have, err = describe(r.ctx, r.conn, rel)
		return err
	}); err != nil {
		return r.duckError(err)
	}
	plan, err := r.planAlter(st, &table{id: name, kind: "TABLE", schema: have}, rel, next)
	if err != nil {
		return err
	}
	_, err = r.duckExec(plan.stmts...)
	return err
}

// applyAlter runs the plan in one DuckDB transaction and updates the
// catalog.
func (r *run) applyAlter(t *table, plan *alterPlan) *apiError {
	ds := r.s.projects[t.project].datasets[t.dataset]
	if plan.renameTo != "" && ds.tables[plan.renameTo] != nil {
		return &apiError{http.StatusConflict, "duplicate", "Already Exists: Table " + t.project + ":" + t.dataset + "." + plan.renameTo}
	}
	if t.stored && len(plan.stmts) > 0 {
		stmts := append(append([]string{"BEGIN TRANSACTION"}, plan.stmts...), "COMMIT")
		if _, err := r.duckExec(stmts...); err != nil {
			_, _ = r.duckExec("ROLLBACK")
			return err
		}
	}
	if plan.expiration != nil {
		t.expirationMs = *plan.expiration
	}
	if plan.renameTo != "" {
		delete(ds.tables, t.id)
		t.id = plan.renameTo
		ds.tables[t.id] = t
	}
	if t.stored {
		return r.refresh(t)
	}
	t.schema = plan.cols
	return nil
}

// planAlter reads the actions of an ALTER TABLE (from token next on) and
// checks them against the table's columns as BigQuery does.
func (r *run) planAlter(st *stmt, t *table, rel string, next int) (*alterPlan, *apiError) {
	ns, err := tree(st.toks[next:])
	if err != nil {
		return nil, invalidQuery("%v", err)
	}
	tr := r.translator(st)
	plan := &alterPlan{}
	cols := slices.Clone(t.schema)
	kind := "TABLE"
	if t.kind == "VIEW" {
		kind = "VIEW"
	}
	for _, action := range splitCommas(ns) {
		stmts, aerr := r.alterAction(tr, action, t, rel, kind, &cols, plan)
		if aerr != nil {
			return nil, aerr
		}
		plan.stmts = append(plan.stmts, stmts...)
	}
	plan.cols = cols
	if tr.err != nil {
		return nil, invalidQuery("%v", tr.err)
	}
	return plan, nil
}
