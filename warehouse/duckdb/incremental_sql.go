package duckdb

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/mart-dev/mart/warehouse"
)

// The aliases of the table and of the batch in the SQL of incremental
// strategies; incremental_predicates are written against them (dbt's names).
const (
	destAlias   = "DBT_INTERNAL_DEST"
	sourceAlias = "DBT_INTERNAL_SOURCE"
)

// batchSQL renders the DuckDB statements that apply a staged batch to a
// table. It only builds text; incremental.go runs it.
type batchSQL struct {
	w      *Warehouse
	target string // quoted table
	stage  string // quoted temporary table holding the batch
	opt    warehouse.IncrementalOptions
	// nullKeys says the batch may hold NULL key values (see keyMatch).
	nullKeys bool
}

// stageSQL materializes the batch, so that the model's select runs once
// however many statements read it.
func (b *batchSQL) stageSQL(selectSQL string) string {
	return "CREATE TEMP TABLE " + b.stage + " AS (\n" + warehouse.TrimStatement(selectSQL) + "\n)"
}

func (b *batchSQL) dropStageSQL() string { return "DROP TABLE " + b.stage }

// repeatedKeysSQL counts the batch rows whose unique key equals that of
// the row before them in key order (zero when every key is unique), and
// the rows with a NULL in their key. Sorting beats hashing here (a GROUP BY
// over a million distinct keys takes several times longer), and this is
// what every merge pays; the details of duplicatesSQL are only fetched
// when there are repeats. Each key column is compared as itself, with its
// collation, as the merge's ON clause and duplicatesSQL's GROUP BY compare
// it (a row() of the columns would compare them byte by byte, so 'A' and
// 'a' under NOCASE would pass the check and then match the same row). A key
// of one column, the common case, sorts its NULLs last, and all but the
// first of them count as repeats. A key of several columns compares parts
// NULL-safely, and its first row, which has no row before it, never counts.
func (b *batchSQL) repeatedKeysSQL() string {
	if len(b.opt.UniqueKey) == 1 {
		k := b.w.QuoteIdent(b.opt.UniqueKey[0])
		return "SELECT count(*) FILTER (WHERE k = prev) + greatest(count(*) FILTER (WHERE k IS NULL) - 1, 0), count(*) FILTER (WHERE k IS NULL) FROM (\n  SELECT " +
			k + " AS k, lag(" + k + ") OVER (ORDER BY " + k + " NULLS LAST) AS prev\n  FROM " + b.stage + "\n)"
	}
	n := len(b.opt.UniqueKey)
	keys, cols, same, nulls := make([]string, n), make([]string, 0, 2*n+1), make([]string, n), make([]string, n)
	for i, k := range b.opt.UniqueKey {
		keys[i] = b.w.QuoteIdent(k)
		cols = append(cols, fmt.Sprintf("%s AS k%d, lag(%s) OVER w AS p%d", keys[i], i, keys[i], i))
		same[i] = fmt.Sprintf("k%d IS NOT DISTINCT FROM p%d", i, i)
		nulls[i] = fmt.Sprintf("k%d IS NULL", i)
	}
	cols = append(cols, "lag(true) OVER w IS NOT NULL AS has_prev")
	return "SELECT count(*) FILTER (WHERE has_prev AND " + strings.Join(same, " AND ") + "), count(*) FILTER (WHERE " + strings.Join(nulls, " OR ") +
		") FROM (\n  SELECT " + strings.Join(cols, ", ") + "\n  FROM " + b.stage + "\n  WINDOW w AS (ORDER BY " + strings.Join(keys, ", ") + ")\n)"
}

// duplicatesSQL finds unique key values that occur more than once in the
// batch: a few examples (most repeated first), each with its count, the
// number of such values and the rows holding them.
func (b *batchSQL) duplicatesSQL() string {
	q := b.w.QuoteIdent
	keys := make([]string, len(b.opt.UniqueKey))
	casts := make([]string, len(b.opt.UniqueKey))
	order := []string{fmt.Sprint(len(keys)+1) + " DESC"}
	for i, k := range b.opt.UniqueKey {
		keys[i] = q(k)
		casts[i] = "CAST(" + q(k) + " AS VARCHAR)"
		order = append(order, fmt.Sprint(i+1))
	}
	return "SELECT " + strings.Join(casts, ", ") + ", count(*), count(*) OVER (), CAST(sum(count(*)) OVER () AS BIGINT)\nFROM " + b.stage +
		"\nGROUP BY " + strings.Join(keys, ", ") + "\nHAVING count(*) > 1\nORDER BY " + strings.Join(order, ", ") + "\nLIMIT 5"
}

// dedupeSQL keeps one row per unique key: the greatest by the batch's
// columns in order, so the choice does not depend on the order rows
// arrived in.
func (b *batchSQL) dedupeSQL(cols []warehouse.Column) string {
	q := b.w.QuoteIdent
	keys := make([]string, len(b.opt.UniqueKey))
	for i, k := range b.opt.UniqueKey {
		keys[i] = q(k)
	}
	order := make([]string, len(cols))
	for i, c := range cols {
		order[i] = q(c.Name) + " DESC NULLS LAST"
	}
	return "DELETE FROM " + b.stage + " WHERE rowid IN (\n  SELECT rowid FROM " + b.stage +
		"\n  QUALIFY row_number() OVER (PARTITION BY " + strings.Join(keys, ", ") +
		" ORDER BY " + strings.Join(order, ", ") + ") > 1\n)"
}

// outsideWindowSQL counts the batch rows whose event time is outside the
// microbatch window (or NULL).
func (b *batchSQL) outsideWindowSQL(eventTimeType string) string {
	et := b.w.QuoteIdent(b.opt.EventTime)
	return "SELECT count(*) FROM " + b.stage + "\nWHERE NOT coalesce(" + et + " >= " +
		timeLiteral(b.opt.BatchStart, eventTimeType) + " AND " + et + " < " + timeLiteral(b.opt.BatchEnd, eventTimeType) + ", false)"
}

// replaceSQL builds the table from the batch alone, after dropping the
// relation of kind ("table", "view" or "" for none) that was there.
func (b *batchSQL) replaceSQL(kind string) []string {
	create := "CREATE TABLE " + b.target + " AS SELECT * FROM " + b.stage
	if kind == "" {
		return []string{create}
	}
	return []string{"DROP " + strings.ToUpper(kind) + " " + b.target, create}
}

// statement is one statement of a strategy and what its row count means.
type statement struct {
	sql    string
	counts string // "rows" (inserted or updated), "deleted" or ""
}

// strategySQL renders the strategy's statements for writing cols (the
// table's columns that the batch has, as the table spells them).
// eventTimeType is the type of the event time column (microbatch).
func (b *batchSQL) strategySQL(cols []warehouse.Column, eventTimeType string) ([]statement, error) {
	switch b.opt.Strategy {
	case warehouse.StrategyAppend:
		return []statement{b.insertSQL(cols)}, nil
	case warehouse.StrategyMerge:
		if len(b.opt.UniqueKey) == 0 {
			return []statement{b.insertSQL(cols)}, nil
		}
		m, err := b.mergeSQL(cols)
		return []statement{m}, err
	case warehouse.StrategyDeleteInsert:
		return []statement{b.deleteByKeySQL(), b.insertSQL(cols)}, nil
	case warehouse.StrategyInsertOverwrite:
		del, err := b.deletePartitionsSQL()
		if err != nil {
			return nil, err
		}
		return []statement{del, b.insertSQL(cols)}, nil
	case warehouse.StrategyMicrobatch:
		return []statement{b.deleteWindowSQL(eventTimeType), b.insertSQL(cols)}, nil
	}
	return nil, fmt.Errorf("unknown incremental_strategy %q", b.opt.Strategy)
}

func (b *batchSQL) insertSQL(cols []warehouse.Column) statement {
	list := b.columnList(cols, "")
	return statement{sql: "INSERT INTO " + b.target + " (" + list + ")\nSELECT " + list + " FROM " + b.stage, counts: "rows"}
}

func (b *batchSQL) columnList(cols []warehouse.Column, alias string) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = b.w.QuoteIdent(c.Name)
		if alias != "" {
			parts[i] = alias + "." + parts[i]
		}
	}
	return strings.Join(parts, ", ")
}

// keyMatch matches the unique key of the batch's alias a with the table's
// alias c. Keys match NULL-safely; when the batch has no NULL in its keys
// (checkKeys found out), plain equality matches exactly the same rows and
// joins faster, so it is used instead.
func (b *batchSQL) keyMatch(a, c string) string {
	op := " = "
	if b.nullKeys {
		op = " IS NOT DISTINCT FROM "
	}
	parts := make([]string, len(b.opt.UniqueKey))
	for i, k := range b.opt.UniqueKey {
		parts[i] = a + "." + b.w.QuoteIdent(k) + op + c + "." + b.w.QuoteIdent(k)
	}
	return strings.Join(parts, " AND ")
}

// predicates renders incremental_predicates as " AND (p)" terms.
func (b *batchSQL) predicates() string {
	var s strings.Builder
	for _, p := range b.opt.IncrementalPredicates {
		s.WriteString("\n  AND (" + p + ")")
	}
	return s.String()
}

// updateColumns are the columns a merge updates: merge_update_columns, or
// every written column but the key and merge_exclude_columns.
func (b *batchSQL) updateColumns(cols []warehouse.Column) ([]warehouse.Column, error) {
	if len(b.opt.MergeUpdateColumns) > 0 {
		if err := requireColumns(cols, "merge_update_columns:", "both the table and the new batch", b.opt.MergeUpdateColumns...); err != nil {
			return nil, err
		}
	}
	if err := requireColumns(cols, "merge_exclude_columns:", "both the table and the new batch", b.opt.MergeExcludeColumns...); err != nil {
		return nil, err
	}
	in := func(list []string, name string) bool {
		for _, x := range list {
			if strings.EqualFold(x, name) {
				return true
			}
		}
		return false
	}
	var out []warehouse.Column
	for _, c := range cols {
		switch {
		case in(b.opt.UniqueKey, c.Name): // equal on both sides by the match
		case len(b.opt.MergeUpdateColumns) > 0 && !in(b.opt.MergeUpdateColumns, c.Name):
		case in(b.opt.MergeExcludeColumns, c.Name):
		default:
			out = append(out, c)
		}
	}
	return out, nil
}

func (b *batchSQL) mergeSQL(cols []warehouse.Column) (statement, error) {
	upd, err := b.updateColumns(cols)
	if err != nil {
		return statement{}, err
	}
	var s strings.Builder
	s.WriteString("MERGE INTO " + b.target + " AS " + destAlias + "\nUSING " + b.stage + " AS " + sourceAlias)
	s.WriteString("\nON (" + b.keyMatch(sourceAlias, destAlias) + ")" + b.predicates())
	if len(upd) > 0 {
		sets := make([]string, len(upd))
		for i, c := range upd {
			sets[i] = b.w.QuoteIdent(c.Name) + " = " + sourceAlias + "." + b.w.QuoteIdent(c.Name)
		}
		s.WriteString("\nWHEN MATCHED THEN UPDATE SET\n  " + strings.Join(sets, ",\n  "))
	}
	s.WriteString("\nWHEN NOT MATCHED THEN INSERT (" + b.columnList(cols, "") + ")\n  VALUES (" + b.columnList(cols, sourceAlias) + ")")
	return statement{sql: s.String(), counts: "rows"}, nil
}

func (b *batchSQL) deleteByKeySQL() statement {
	return statement{sql: "DELETE FROM " + b.target + " AS " + destAlias + "\nWHERE EXISTS (\n  SELECT 1 FROM " + b.stage + " AS " + sourceAlias +
		"\n  WHERE " + b.keyMatch(sourceAlias, destAlias) + "\n)" + b.predicates(), counts: "deleted"}
}

func (b *batchSQL) deleteWindowSQL(eventTimeType string) statement {
	et := destAlias + "." + b.w.QuoteIdent(b.opt.EventTime)
	return statement{sql: "DELETE FROM " + b.target + " AS " + destAlias + "\nWHERE " + et + " >= " + timeLiteral(b.opt.BatchStart, eventTimeType) +
		"\n  AND " + et + " < " + timeLiteral(b.opt.BatchEnd, eventTimeType) + b.predicates(), counts: "deleted"}
}

// deletePartitionsSQL deletes the table's rows in the partitions the batch
// holds (or in the static Partitions).
func (b *batchSQL) deletePartitionsSQL() (statement, error) {
	exprs, err := b.partitionExprs()
	if err != nil {
		return statement{}, err
	}
	head := "DELETE FROM " + b.target + " AS " + destAlias + "\nWHERE "
	if len(b.opt.Partitions) > 0 {
		if len(exprs) != 1 {
			return statement{}, fmt.Errorf("partitions: a static list of partitions needs a single partition_by expression, not %d", len(exprs))
		}
		return statement{sql: head + "(" + exprs[0] + ") IN (" + strings.Join(b.opt.Partitions, ", ") + ")" + b.predicates(), counts: "deleted"}, nil
	}
	sel := make([]string, len(exprs))
	match := make([]string, len(exprs))
	for i, e := range exprs {
		alias := b.w.QuoteIdent(fmt.Sprintf("__mart_partition_%d", i+1))
		sel[i] = e + " AS " + alias
		// e's columns resolve to the table here: the partitions subquery
		// only has the __mart_partition_N columns.
		match[i] = sourceAlias + "." + alias + " IS NOT DISTINCT FROM (" + e + ")"
	}
	return statement{sql: head + "EXISTS (\n  SELECT 1 FROM (SELECT DISTINCT " + strings.Join(sel, ", ") + " FROM " + b.stage + ") AS " + sourceAlias +
		"\n  WHERE " + strings.Join(match, " AND ") + "\n)" + b.predicates(), counts: "deleted"}, nil
}

var identRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`) })

// partitionExprs turns partition_by into SQL expressions over the batch's
// (and the table's) columns: a bare name is a column; other text is an
// expression used as written; a list is several columns; a mapping in
// BigQuery's shape {field, data_type, granularity} truncates a date or
// timestamp field to its granularity (day by default).
func (b *batchSQL) partitionExprs() ([]string, error) {
	col := func(s string) string {
		if identRE().MatchString(s) {
			return b.w.QuoteIdent(s)
		}
		return s
	}
	switch p := b.opt.PartitionBy.(type) {
	case string:
		if strings.TrimSpace(p) == "" {
			break
		}
		return []string{col(p)}, nil
	case []string:
		out := make([]string, len(p))
		for i, s := range p {
			out[i] = col(s)
		}
		return out, nil
	case []any:
		out := make([]string, len(p))
		for i, s := range p {
			out[i] = col(fmt.Sprint(s))
		}
		return out, nil
	case map[string]any:
		field, _ := p["field"].(string)
		if field == "" {
			return nil, fmt.Errorf("partition_by: the mapping needs a field")
		}
		typ := strings.ToLower(fmt.Sprint(p["data_type"]))
		gran, _ := p["granularity"].(string)
		switch typ {
		case "timestamp", "datetime", "date":
			if gran == "" {
				gran = "day"
			}
			switch strings.ToLower(gran) {
			case "hour", "day", "month", "year":
			default:
				return nil, fmt.Errorf("partition_by: unknown granularity %q (expected hour, day, month or year)", gran)
			}
			return []string{"date_trunc(" + b.w.QuoteString(strings.ToLower(gran)) + ", " + b.w.QuoteIdent(field) + ")"}, nil
		}
		return []string{b.w.QuoteIdent(field)}, nil
	case nil:
		if len(b.opt.Partitions) > 0 {
			return nil, fmt.Errorf("partitions needs partition_by to say what they partition")
		}
	}
	return nil, fmt.Errorf("partition_by: expected a column, an expression, a list of columns or a mapping with field, not %T", b.opt.PartitionBy)
}

// timeLiteral renders t (in UTC) as a DuckDB literal comparable with a
// column of type typ.
func timeLiteral(t time.Time, typ string) string {
	t = t.UTC()
	s := t.Format("2006-01-02 15:04:05.999999")
	switch strings.ToUpper(typ) {
	case "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ":
		return "TIMESTAMPTZ '" + s + "+00'"
	case "DATE":
		if t.Equal(t.Truncate(24 * time.Hour)) {
			return "DATE '" + t.Format("2006-01-02") + "'"
		}
	}
	return "TIMESTAMP '" + s + "'"
}
