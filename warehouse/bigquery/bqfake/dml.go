package bqfake

import (
	"slices"
)

// selectStatement runs a query; its result is the job's result if it is
// the last one. A dry run only describes it. A rule with a schema or rows
// scripts the result instead.
func (r *run) selectStatement(st *stmt) *apiError {
	if err := r.checkRefs(st, nil); err != nil {
		return err
	}
	if rule, ok := r.s.resultFor(st.src); ok && (rule.Schema != nil || rule.Rows != nil) {
		r.result = &Result{Schema: slices.Clone(rule.Schema), Rows: rule.Rows}
		return nil
	}
	q, err := r.translateStatement(st)
	if err != nil {
		return err
	}
	ns, _ := tree(st.toks)
	if r.dryRun {
		schema, err := r.duckDescribe(q)
		if err != nil {
			return err
		}
		r.result = &Result{Schema: schema}
		return nameResult(ns, schema)
	}
	res, err := r.duckQuery(q)
	if err != nil {
		return err
	}
	r.result = res
	return nameResult(ns, res.Schema)
}

// dmlStatement runs INSERT, UPDATE, DELETE, MERGE or TRUNCATE TABLE and
// counts the rows it changed (@@row_count, the job's DML statistics). A
// rule with DML statistics scripts them instead.
func (r *run) dmlStatement(st *stmt) *apiError {
	if err := r.checkRefs(st, nil); err != nil {
		return err
	}
	if rule, ok := r.s.resultFor(st.src); ok && rule.Inserted+rule.Updated+rule.Deleted > 0 {
		r.dml[0] += rule.Inserted
		r.dml[1] += rule.Updated
		r.dml[2] += rule.Deleted
		n := rule.Inserted + rule.Updated + rule.Deleted
		r.rowCount = &n
		return nil
	}
	kind := st.toks[0].text
	if kind == "DELETE" || kind == "UPDATE" {
		if ns, _ := tree(st.toks); indexWord(ns, "WHERE") < 0 {
			return invalidQuery("%s must have a WHERE clause", kind)
		}
	}
	if r.dryRun {
		return nil
	}
	q, err := r.translateStatement(st)
	if err != nil {
		return err
	}
	target := r.dmlTarget(st)
	if err := r.checkMatches(st); err != nil {
		return err
	}
	if kind == "INSERT" {
		if err := r.checkInsertTypes(st, target); err != nil {
			return err
		}
	}
	before := int64(-1)
	if kind == "MERGE" && target != nil && target.stored {
		if err := r.recount(target); err != nil {
			return err
		}
		before = target.numRows
	}
	n, err := r.duckExec(q)
	if err != nil {
		return err
	}
	r.rowCount = &n
	if err := r.recount(target); err != nil {
		return err
	}
	switch kind {
	case "INSERT":
		r.dml[0] += n
	case "UPDATE":
		r.dml[1] += n
	case "DELETE", "TRUNCATE":
		r.dml[2] += n
	case "MERGE": // DuckDB counts all changed rows: the growth were inserts
		ins := int64(0)
		if before >= 0 && target.numRows > before {
			ins = min(n, target.numRows-before)
		}
		r.dml[0] += ins
		r.dml[1] += n - ins
	}
	return nil
}

// dmlTarget is the permanent table a DML statement changes (nil for a
// temporary table).
func (r *run) dmlTarget(st *stmt) *table {
	toks := st.toks
	i := 1
	switch toks[0].text {
	case "INSERT":
		i = skipWords(toks, 1, "INTO")
	case "DELETE":
		i = skipWords(toks, 1, "FROM")
	case "MERGE":
		i = skipWords(toks, 1, "INTO")
	case "TRUNCATE":
		i = skipWords(toks, 1, "TABLE")
	}
	proj, ds, name, _ := r.target(st, i)
	if proj == "" {
		return nil
	}
	t, err := r.s.findTable(proj, ds, name, "")
	if err != nil {
		return nil
	}
	return t
}

// checkMatches refuses a MERGE with WHEN MATCHED clauses, or an UPDATE
// with FROM, in which a target row matches several source rows, as
// BigQuery does (DuckDB would apply each).
func (r *run) checkMatches(st *stmt) *apiError {
	ns, err := tree(st.toks)
	if err != nil {
		return invalidQuery("%v", err)
	}
	var target, from []node
	switch st.toks[0].text {
	case "MERGE":
		target, from = mergeJoin(ns)
	case "UPDATE":
		target, from = updateJoin(ns)
	}
	if target == nil {
		return nil
	}
	t := r.translator(st)
	alias := target[len(target)-1]
	if parts, _, next := t.readPath(target, 0); next == len(target) && len(parts) > 0 {
		alias = node{tok: token{kind: 'q', text: parts[len(parts)-1]}}
	}
	q := "SELECT count(*) FROM (SELECT 1 " + t.seq(from) + " GROUP BY " + t.ident(alias) + ".rowid HAVING count(*) > 1)"
	if t.err != nil {
		return invalidQuery("%v", t.err)
	}
	var dup int64
	if err := r.duckScalar(q, &dup); err != nil {
		return err
	}
	if dup > 0 {
		return invalidQuery("UPDATE/MERGE must match at most one source row for each target row")
	}
	return nil
}

var (
	fromWord = node{tok: token{kind: 'w', text: "FROM"}}
	joinWord = node{tok: token{kind: 'w', text: "JOIN"}}
	comma    = node{tok: token{kind: 'p', text: ","}}
)

// mergeJoin returns a MERGE's target (name and alias) and the join of
// target and source on its condition, as a FROM clause; nil if it has no
// WHEN MATCHED clause.
func mergeJoin(ns []node) (target, from []node) {
	using, on, when := indexWord(ns, "USING"), indexWord(ns, "ON"), indexWord(ns, "WHEN")
	if using < 0 || on < using || when < on {
		return nil, nil
	}
	matched := false
	for i := when; i+1 < len(ns); i++ {
		matched = matched || (ns[i].is("WHEN") && ns[i+1].is("MATCHED"))
	}
	if !matched {
		return nil, nil
	}
	start := skipNodes(ns, 1, "INTO")
	target = ns[start:using]
	from = append(append(append([]node{fromWord}, target...), joinWord), ns[using+1:on]...)
	return target, append(from, ns[on:when]...)
}

// updateJoin is mergeJoin for UPDATE target SET ... FROM ... WHERE ...;
// nil without FROM.
func updateJoin(ns []node) (target, from []node) {
	set, fromAt, where := indexWord(ns, "SET"), indexWord(ns, "FROM"), indexWord(ns, "WHERE")
	if set < 0 || fromAt < set || where < fromAt {
		return nil, nil
	}
	target = ns[1:set]
	from = append(append(append([]node{fromWord}, target...), comma), ns[fromAt+1:]...)
	return target, from
}
