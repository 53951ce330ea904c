package bigquery

import (
	"strings"
	"time"

	"github.com/mart-dev/mart/warehouse"
)

// The aliases of the table and of the batch in strategies' SQL;
// incremental_predicates are written against them (dbt's names).
const (
	destAlias   = "DBT_INTERNAL_DEST"
	sourceAlias = "DBT_INTERNAL_SOURCE"
)

// Names used inside an incremental script: the staged batch and the
// variables whose values the final SELECT reports.
const (
	stageTable   = "mart_batch"
	dedupedTable = "mart_deduped"
)

// batchScript renders the one script of an incremental run. The model's
// SELECT runs once, into a temporary table; the checks (repeated keys,
// rows outside a microbatch window) set variables; only if they pass do
// the changes run, and the final SELECT reports the variables, from which
// the adapter builds its result or error. Row changes run in a
// transaction whose exception handler rolls back and undoes columns added
// for on_schema_change, so a failure leaves the table as it was.
type batchScript struct {
	target string // quoted table
	opt    warehouse.IncrementalOptions
	// cols are the columns written (the table's, that the batch has).
	cols []string
	// batch are the batch's columns (from a dry run).
	batch []warehouse.Column
	// etType is the event time column's type (microbatch).
	etType string
	// part and partType say what insert_overwrite replaces by.
	part     *partitioning
	partType string
	plan     schemaPlan
	// create replaces the relation by the batch (first run, Replace).
	create *createPlan
}

// createPlan is how the batch becomes the table.
type createPlan struct {
	spec    *tableSpec
	inPlace bool   // CREATE OR REPLACE works; else build tmp and swap
	oldKind string // of the relation replaced ("" if none)
	tmp     string // quoted temporary table
	tmpName string
	name    string
}

func (b *batchScript) source() string {
	if b.opt.Dedupe && b.opt.KeyChecked() {
		return dedupedTable
	}
	return stageTable
}

func (b *batchScript) script(selectSQL string) string {
	var s []string
	s = append(s,
		"DECLARE mart_dup_keys INT64 DEFAULT 0",
		"DECLARE mart_dup_rows INT64 DEFAULT 0",
		"DECLARE mart_dup_examples ARRAY<STRUCT<k ARRAY<STRING>, n INT64>> DEFAULT []",
		"DECLARE mart_outside INT64 DEFAULT 0",
		"DECLARE mart_rows INT64 DEFAULT 0",
		"DECLARE mart_deleted INT64 DEFAULT 0")
	dynamic := b.opt.Strategy == warehouse.StrategyInsertOverwrite && len(b.opt.Partitions) == 0 && b.create == nil
	if dynamic {
		s = append(s, "DECLARE mart_partitions ARRAY<"+b.partType+">", "DECLARE mart_null_partition BOOL DEFAULT FALSE")
	}
	s = append(s, "CREATE TEMP TABLE "+stageTable+" AS "+body(selectSQL))
	var cond []string
	if b.opt.KeyChecked() {
		s = append(s, b.duplicatesSQL()...)
		if b.opt.Dedupe {
			s = append(s, b.dedupeSQL())
		} else {
			cond = append(cond, "mart_dup_keys = 0")
		}
	}
	if b.opt.Strategy == warehouse.StrategyMicrobatch {
		s = append(s, b.outsideWindowSQL())
		cond = append(cond, "mart_outside = 0")
	}
	var changes []string
	if b.create != nil {
		changes = b.createSQL()
	} else {
		if dynamic {
			changes = append(changes, b.partitionsSQL()...)
		}
		changes = append(changes, b.plan.before...)
		changes = append(changes, transaction(b.strategySQL(), b.plan.undo))
		changes = append(changes, b.plan.after...)
	}
	if len(cond) > 0 {
		s = append(s, "IF "+strings.Join(cond, " AND ")+" THEN\n"+indent(script(changes...)+";")+"\nEND IF")
	} else {
		s = append(s, changes...)
	}
	s = append(s, "SELECT mart_dup_keys AS dup_keys, mart_dup_rows AS dup_rows, mart_dup_examples AS dup_examples,"+
		" mart_outside AS outside, mart_rows AS rows_written, mart_deleted AS rows_deleted")
	return script(s...)
}

// transaction wraps DML statements in a transaction whose handler rolls
// back, runs undo and raises the error again.
func transaction(stmts, undo []string) string {
	handler := append([]string{"ROLLBACK TRANSACTION"}, undo...)
	handler = append(handler, "RAISE")
	return "BEGIN\n" +
		indent("BEGIN TRANSACTION;\n"+script(stmts...)+";\nCOMMIT TRANSACTION;") +
		"\nEXCEPTION WHEN ERROR THEN\n" + indent(script(handler...)+";") + "\nEND"
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}

func (b *batchScript) keys() string { return columnList("", b.opt.UniqueKey) }

// duplicatesSQL counts the key values that occur more than once and keeps
// a few examples, most repeated first.
func (b *batchScript) duplicatesSQL() []string {
	casts := make([]string, len(b.opt.UniqueKey))
	for i, k := range b.opt.UniqueKey {
		casts[i] = "IFNULL(CAST(" + quoteIdent(k) + " AS STRING), 'NULL')"
	}
	from := "FROM " + stageTable + " GROUP BY " + b.keys() + " HAVING COUNT(*) > 1"
	return []string{
		"SET (mart_dup_keys, mart_dup_rows) = (\n  SELECT AS STRUCT COUNT(*), IFNULL(SUM(n), 0)\n  FROM (SELECT COUNT(*) AS n " + from + ")\n)",
		"SET mart_dup_examples = ARRAY(\n  SELECT AS STRUCT [" + strings.Join(casts, ", ") + "] AS k, COUNT(*) AS n\n  " + from +
			"\n  ORDER BY n DESC, " + b.keys() + "\n  LIMIT 5\n)",
	}
}

// dedupeSQL keeps one row per key: the greatest by the columns in order.
func (b *batchScript) dedupeSQL() string {
	order := make([]string, 0, len(b.batch))
	for _, c := range b.batch {
		if orderable(c.Type) {
			order = append(order, quoteIdent(c.Name)+" DESC")
		}
	}
	if len(order) == 0 {
		order = []string{"TO_JSON_STRING(" + stageTable + ") DESC"}
	}
	return "CREATE TEMP TABLE " + dedupedTable + " AS\nSELECT * FROM " + stageTable + "\nWHERE TRUE\nQUALIFY ROW_NUMBER() OVER (PARTITION BY " +
		b.keys() + " ORDER BY " + strings.Join(order, ", ") + ") = 1"
}

// orderable reports whether BigQuery can ORDER BY a column of type t.
func orderable(t string) bool {
	for _, p := range []string{"ARRAY", "STRUCT", "JSON", "GEOGRAPHY", "RANGE"} {
		if strings.HasPrefix(strings.ToUpper(t), p) {
			return false
		}
	}
	return true
}

// window is the microbatch condition on column col.
func (b *batchScript) window(col string) string {
	return col + " >= " + timeLiteral(b.opt.BatchStart, b.etType) + " AND " + col + " < " + timeLiteral(b.opt.BatchEnd, b.etType)
}

func (b *batchScript) outsideWindowSQL() string {
	return "SET mart_outside = (\n  SELECT COUNT(*) FROM " + stageTable + "\n  WHERE NOT IFNULL(" + b.window(quoteIdent(b.opt.EventTime)) + ", FALSE)\n)"
}

// partitionsSQL collects the partitions the batch holds (dynamic
// insert_overwrite), as a constant array so that BigQuery prunes.
func (b *batchScript) partitionsSQL() []string {
	col := quoteIdent(b.part.Field)
	return []string{
		"SET mart_partitions = (SELECT ARRAY_AGG(DISTINCT " + b.part.expr(col) + " IGNORE NULLS) FROM " + b.source() + ")",
		"SET mart_null_partition = (SELECT IFNULL(LOGICAL_OR(" + col + " IS NULL), FALSE) FROM " + b.source() + ")",
	}
}

// predicates renders incremental_predicates as AND terms.
func (b *batchScript) predicates() string {
	var s strings.Builder
	for _, p := range b.opt.IncrementalPredicates {
		s.WriteString("\n  AND (" + p + ")")
	}
	return s.String()
}

// keyJoin matches the unique key of two aliases NULL-safely with one
// equality (of the key's JSON text), so that BigQuery can run it as a
// hash join in LEFT JOIN and EXISTS, which refuse conditions that are not
// equalities.
func keyJoin(key []string, a, c string) string {
	side := func(alias string) string {
		return "TO_JSON_STRING(STRUCT(" + columnList(alias, key) + "))"
	}
	return side(a) + " = " + side(c)
}

// keyMatch matches the unique key of two aliases, NULL-safely.
func (b *batchScript) keyMatch(a, c string) string {
	parts := make([]string, len(b.opt.UniqueKey))
	for i, k := range b.opt.UniqueKey {
		parts[i] = a + "." + quoteIdent(k) + " IS NOT DISTINCT FROM " + c + "." + quoteIdent(k)
	}
	return strings.Join(parts, " AND ")
}

func (b *batchScript) insertSQL() []string {
	list := columnList("", b.cols)
	return []string{"INSERT INTO " + b.target + " (" + list + ")\nSELECT " + list + " FROM " + b.source(), "SET mart_rows = @@row_count"}
}

func (b *batchScript) deleteSQL(where string) []string {
	return []string{"DELETE FROM " + b.target + " AS " + destAlias + "\nWHERE " + where + b.predicates(), "SET mart_deleted = @@row_count"}
}

// strategySQL is the DML of the strategy.
func (b *batchScript) strategySQL() []string {
	o := b.opt
	switch {
	case o.Strategy == warehouse.StrategyMerge && len(o.UniqueKey) > 0:
		return []string{b.mergeSQL(), "SET mart_rows = @@row_count"}
	case o.Strategy == warehouse.StrategyDeleteInsert:
		del := b.deleteSQL("EXISTS (\n  SELECT 1 FROM " + b.source() + " AS " + sourceAlias + "\n  WHERE " + keyJoin(b.opt.UniqueKey, sourceAlias, destAlias) + "\n)")
		return append(del, b.insertSQL()...)
	case o.Strategy == warehouse.StrategyInsertOverwrite:
		col := destAlias + "." + quoteIdent(b.part.Field)
		where := "(" + b.part.expr(col) + " IN UNNEST(mart_partitions) OR (mart_null_partition AND " + col + " IS NULL))"
		if len(o.Partitions) > 0 {
			where = b.part.expr(col) + " IN (" + strings.Join(o.Partitions, ", ") + ")"
		}
		return append(b.deleteSQL(where), b.insertSQL()...)
	case o.Strategy == warehouse.StrategyMicrobatch:
		return append(b.deleteSQL(b.window(destAlias+"."+quoteIdent(o.EventTime))), b.insertSQL()...)
	}
	return b.insertSQL() // append, and merge without a key
}

func (b *batchScript) mergeSQL() string {
	var sets []string
	for _, c := range b.updateColumns() {
		sets = append(sets, quoteIdent(c)+" = "+sourceAlias+"."+quoteIdent(c))
	}
	var s strings.Builder
	s.WriteString("MERGE INTO " + b.target + " AS " + destAlias + "\nUSING " + b.source() + " AS " + sourceAlias)
	s.WriteString("\nON (" + b.keyMatch(sourceAlias, destAlias) + ")" + b.predicates())
	if len(sets) > 0 {
		s.WriteString("\nWHEN MATCHED THEN UPDATE SET\n  " + strings.Join(sets, ",\n  "))
	}
	s.WriteString("\nWHEN NOT MATCHED THEN INSERT (" + columnList("", b.cols) + ")\n  VALUES (" + columnList(sourceAlias, b.cols) + ")")
	return s.String()
}

// updateColumns are the columns a merge updates: merge_update_columns, or
// every written column but the key and merge_exclude_columns.
func (b *batchScript) updateColumns() []string {
	in := func(list []string, name string) bool {
		for _, x := range list {
			if strings.EqualFold(x, name) {
				return true
			}
		}
		return false
	}
	var out []string
	for _, c := range b.cols {
		switch {
		case in(b.opt.UniqueKey, c):
		case len(b.opt.MergeUpdateColumns) > 0 && !in(b.opt.MergeUpdateColumns, c):
		case in(b.opt.MergeExcludeColumns, c):
		default:
			out = append(out, c)
		}
	}
	return out
}

// createSQL makes the batch the table.
func (b *batchScript) createSQL() []string {
	c := b.create
	from := "SELECT * FROM " + b.source()
	var out []string
	if c.inPlace {
		out = append(out, createTableSQL(b.target, c.spec, from, false))
	} else {
		out = append(out, createTableSQL(c.tmp, c.spec, from, true), swapSQL(b.target, c.oldKind, c.tmp, c.name))
	}
	out = append(out, "SET mart_rows = (SELECT COUNT(*) FROM "+b.source()+")")
	return append(out, columnDescriptionsSQL(b.target, c.spec.opt.ColumnDescriptions)...)
}

// timeLiteral renders t (in UTC) as a literal of the column type typ
// (TIMESTAMP when unknown).
func timeLiteral(t time.Time, typ string) string {
	t = t.UTC()
	switch strings.ToUpper(typ) {
	case "DATE":
		return "DATE '" + t.Format("2006-01-02") + "'"
	case "DATETIME":
		return "DATETIME '" + t.Format("2006-01-02 15:04:05.999999") + "'"
	}
	return "TIMESTAMP '" + t.Format("2006-01-02 15:04:05.999999") + "+00'"
}
