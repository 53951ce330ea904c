package bigquery

import (
	"strings"

	"github.com/mart-dev/mart/warehouse"
)

func createStateSQL(rel string) string {
	return "CREATE TABLE IF NOT EXISTS " + rel + " (stream STRING NOT NULL, state JSON NOT NULL, updated_at TIMESTAMP NOT NULL)"
}

func stateSQL(rel, stream string) string {
	return "SELECT TO_JSON_STRING(state) AS state FROM " + rel + " WHERE stream = " + quoteString(stream)
}

// landScript renders the script a landing commit runs: DDL first (BigQuery
// keeps DDL out of transactions: a new or rebuilt table, new columns,
// widened types), then one transaction that applies the batch and
// replaces the stream's state, rolled back on any error; its last SELECT
// reports the rows inserted, updated and deleted.
type landScript struct {
	t         warehouse.LandTable
	target    string // `project.dataset.table`
	stage     string // the staging table ("" when the commit has no batch)
	kind      warehouse.BatchKind
	cols      []warehouse.Column // the batch's columns, as they land
	ddl       []string
	c         warehouse.LandCommit
	ts        string // the extraction time, a literal
	exists    bool   // the table exists (after the DDL)
	checkKeys bool
	files     []string // the staged files (StageFiles): their old rows are deleted first
}

func (s *landScript) keyMatch(a, b string) string { return keyJoin(s.t.PrimaryKey, a, b) }

func (s *landScript) keepDeleted() bool { return s.t.KeepDeleted && len(s.t.PrimaryKey) > 0 }

func (s *landScript) isKey(name string) bool {
	for _, k := range s.t.PrimaryKey {
		if strings.EqualFold(k, name) {
			return true
		}
	}
	return false
}

// createSQL is the raw table of the batch's columns and mart's own.
func (s *landScript) createSQL(replace bool) string {
	defs := make([]string, 0, len(s.cols)+2)
	for _, c := range s.cols {
		defs = append(defs, quoteIdent(c.Name)+" "+c.Type)
	}
	defs = append(defs, quoteIdent(warehouse.ExtractedAtColumn)+" TIMESTAMP")
	if s.keepDeleted() {
		defs = append(defs, quoteIdent(warehouse.DeletedAtColumn)+" TIMESTAMP")
	}
	verb := "CREATE TABLE IF NOT EXISTS "
	if replace {
		verb = "CREATE OR REPLACE TABLE "
	}
	return verb + s.target + " (\n  " + strings.Join(defs, ",\n  ") + "\n)"
}

func (s *landScript) names(alias string) string {
	out := make([]string, len(s.cols))
	for i, c := range s.cols {
		out[i] = quoteIdent(c.Name)
		if alias != "" {
			out[i] = alias + "." + out[i]
		}
	}
	return strings.Join(out, ", ")
}

// same compares a column NULL-safely (JSON is compared as its text: JSON
// values do not compare in BigQuery).
func (s *landScript) distinct(c warehouse.Column) string {
	a, b := "t."+quoteIdent(c.Name), "s."+quoteIdent(c.Name)
	if strings.EqualFold(c.Type, "JSON") {
		a, b = "TO_JSON_STRING("+a+")", "TO_JSON_STRING("+b+")"
	}
	return a + " IS DISTINCT FROM " + b
}

func (s *landScript) changed() string {
	var parts []string
	for _, c := range s.cols {
		if !s.isKey(c.Name) {
			parts = append(parts, s.distinct(c))
		}
	}
	if s.keepDeleted() {
		parts = append(parts, "t."+quoteIdent(warehouse.DeletedAtColumn)+" IS NOT NULL")
	}
	if len(parts) == 0 {
		return "FALSE"
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

func (s *landScript) updateSet() string {
	var sets []string
	for _, c := range s.cols {
		if !s.isKey(c.Name) {
			sets = append(sets, quoteIdent(c.Name)+" = s."+quoteIdent(c.Name))
		}
	}
	sets = append(sets, quoteIdent(warehouse.ExtractedAtColumn)+" = "+s.ts)
	if s.keepDeleted() {
		sets = append(sets, quoteIdent(warehouse.DeletedAtColumn)+" = NULL")
	}
	return strings.Join(sets, ", ")
}

func (s *landScript) insert() string {
	return "INSERT (" + s.names("") + ", " + quoteIdent(warehouse.ExtractedAtColumn) + ") VALUES (" + s.names("s") + ", " + s.ts + ")"
}

func (s *landScript) gone() string {
	if s.keepDeleted() {
		return "UPDATE SET " + quoteIdent(warehouse.DeletedAtColumn) + " = " + s.ts
	}
	return "DELETE"
}

func (s *landScript) goneGuard() string {
	if s.keepDeleted() {
		return " AND t." + quoteIdent(warehouse.DeletedAtColumn) + " IS NULL"
	}
	return ""
}

// source is the staged batch, a change batch reduced to each key's last.
func (s *landScript) source() string {
	if s.kind != warehouse.BatchChanges {
		return s.stage
	}
	return "(\n    SELECT * EXCEPT (mart_rn) FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY " + columnList("", s.t.PrimaryKey) +
		" ORDER BY " + quoteIdent(seqColumn) + " DESC) AS mart_rn FROM " + s.stage + ")\n    WHERE mart_rn = 1\n  )"
}

// countSQL sets the counters from the batch and the table, before the
// change, in the transaction's snapshot.
func (s *landScript) countSQL() []string {
	del := quoteString(warehouse.ChangeDelete)
	if s.kind == warehouse.BatchKeys {
		return []string{"SET mart_deleted = (SELECT COUNT(*) FROM " + s.target + " AS t WHERE NOT EXISTS (SELECT 1 FROM " + s.stage +
			" AS s WHERE " + s.keyMatch("s", "t") + ")" + s.goneGuard() + ")"}
	}
	if len(s.t.PrimaryKey) == 0 {
		ins := "SET mart_inserted = (SELECT COUNT(*) FROM " + s.stage + ")"
		if !s.c.Whole {
			return []string{ins}
		}
		return []string{"SET mart_deleted = (SELECT COUNT(*) FROM " + s.target + ")", ins}
	}
	first := "t." + quoteIdent(s.t.PrimaryKey[0])
	if s.kind != warehouse.BatchChanges {
		out := []string{"SET (mart_inserted, mart_updated) = (SELECT AS STRUCT COUNTIF(" + first + " IS NULL), COUNTIF(" + first +
			" IS NOT NULL AND " + s.changed() + ") FROM " + s.stage + " AS s LEFT JOIN " + s.target + " AS t ON " + s.keyMatch("s", "t") + ")"}
		if s.c.Whole {
			out = append(out, "SET mart_deleted = (SELECT COUNT(*) FROM "+s.target+" AS t WHERE NOT EXISTS (SELECT 1 FROM "+s.stage+
				" AS s WHERE "+s.keyMatch("s", "t")+")"+s.goneGuard()+")")
		}
		return out
	}
	upsert, isDel := "s."+quoteIdent(opColumn)+" <> "+del, "s."+quoteIdent(opColumn)+" = "+del
	return []string{"SET (mart_inserted, mart_updated, mart_deleted) = (SELECT AS STRUCT COUNTIF(" + first + " IS NULL AND " + upsert +
		"), COUNTIF(" + first + " IS NOT NULL AND " + upsert + " AND " + s.changed() + "), COUNTIF(" + first + " IS NOT NULL AND " + isDel +
		s.goneGuard() + ") FROM " + s.source() + " AS s LEFT JOIN " + s.target + " AS t ON " + s.keyMatch("s", "t") + ")"}
}

// applySQL changes the table.
func (s *landScript) applySQL() []string {
	switch {
	case s.kind == warehouse.BatchKeys:
		if s.keepDeleted() {
			return []string{"UPDATE " + s.target + " AS t SET " + quoteIdent(warehouse.DeletedAtColumn) + " = " + s.ts +
				" WHERE NOT EXISTS (SELECT 1 FROM " + s.stage + " AS s WHERE " + s.keyMatch("s", "t") + ")" + s.goneGuard()}
		}
		return []string{"DELETE FROM " + s.target + " AS t WHERE NOT EXISTS (SELECT 1 FROM " + s.stage + " AS s WHERE " + s.keyMatch("s", "t") + ")"}
	case len(s.t.PrimaryKey) == 0:
		ins := "INSERT INTO " + s.target + " (" + s.names("") + ", " + quoteIdent(warehouse.ExtractedAtColumn) + ")\nSELECT " +
			s.names("s") + ", " + s.ts + " FROM " + s.stage + " AS s"
		if s.c.Whole {
			return []string{"DELETE FROM " + s.target + " WHERE TRUE", ins}
		}
		return []string{ins}
	}
	var b strings.Builder
	b.WriteString("MERGE " + s.target + " AS t\nUSING " + s.source() + " AS s\nON " + s.keyMatch("t", "s"))
	if s.kind == warehouse.BatchChanges {
		del := "s." + quoteIdent(opColumn) + " = " + quoteString(warehouse.ChangeDelete)
		b.WriteString("\nWHEN MATCHED AND " + del + s.goneGuard() + " THEN " + s.gone())
		b.WriteString("\nWHEN MATCHED AND NOT " + del + " AND " + s.changed() + " THEN UPDATE SET " + s.updateSet())
		b.WriteString("\nWHEN NOT MATCHED AND NOT " + del + " THEN " + s.insert())
		return []string{b.String()}
	}
	b.WriteString("\nWHEN MATCHED AND " + s.changed() + " THEN UPDATE SET " + s.updateSet())
	b.WriteString("\nWHEN NOT MATCHED THEN " + s.insert())
	if s.c.Whole {
		b.WriteString("\nWHEN NOT MATCHED BY SOURCE" + s.goneGuard() + " THEN " + s.gone())
	}
	return []string{b.String()}
}

// keyCheckSQL counts the key values of the batch that are NULL or
// repeated (a key the source does not enforce) and keeps one, as JSON:
// the transaction only runs when there is none.
func (s *landScript) keyCheckSQL() []string {
	keys := columnList("", s.t.PrimaryKey)
	nulls := make([]string, len(s.t.PrimaryKey))
	for i, k := range s.t.PrimaryKey {
		nulls[i] = quoteIdent(k) + " IS NULL"
	}
	bad := "SELECT TO_JSON_STRING(STRUCT(" + keys + ")) AS k FROM " + s.stage + " GROUP BY " + keys +
		" HAVING COUNT(*) > 1 OR LOGICAL_OR(" + strings.Join(nulls, " OR ") + ")"
	return []string{"SET (mart_bad_keys, mart_bad_key) = (SELECT AS STRUCT COUNT(*), ANY_VALUE(k) FROM (" + bad + "))"}
}

// stateSQL replaces the stream's row of the state table.
func (s *landScript) stateSQL(state string) []string {
	return []string{
		"DELETE FROM " + state + " WHERE stream = " + quoteString(s.t.Stream),
		"INSERT INTO " + state + " (stream, state, updated_at) VALUES (" + quoteString(s.t.Stream) + ", PARSE_JSON(" +
			quoteString(string(s.c.State)) + "), " + s.ts + ")",
	}
}

// deleteFilesSQL deletes the rows that came from the named files.
func (s *landScript) deleteFilesSQL(files []string) string {
	list := make([]string, len(files))
	for i, f := range files {
		list[i] = quoteString(f)
	}
	return "DELETE FROM " + s.target + " WHERE " + quoteIdent(warehouse.FileColumn) + " IN (" + strings.Join(list, ", ") + ")"
}

// script is the whole commit.
func (s *landScript) script(state string) string {
	parts := []string{"DECLARE mart_inserted, mart_updated, mart_deleted, mart_bad_keys INT64 DEFAULT 0",
		"DECLARE mart_bad_key STRING"}
	parts = append(parts, s.ddl...)
	var tx []string
	if s.stage != "" && s.exists {
		if len(s.files) > 0 {
			tx = append(tx, s.deleteFilesSQL(s.files), "SET mart_deleted = @@row_count")
		}
		tx = append(tx, s.countSQL()...)
		tx = append(tx, s.applySQL()...)
	}
	if len(s.c.DeleteFiles) > 0 && s.exists {
		tx = append(tx, s.deleteFilesSQL(s.c.DeleteFiles), "SET mart_deleted = mart_deleted + @@row_count")
	}
	tx = append(tx, s.stateSQL(state)...)
	if s.checkKeys {
		parts = append(parts, s.keyCheckSQL()...)
		parts = append(parts, "IF mart_bad_keys = 0 THEN\n"+indent(transaction(tx, nil)+";")+"\nEND IF")
	} else {
		parts = append(parts, transaction(tx, nil))
	}
	parts = append(parts, "SELECT mart_inserted AS inserted, mart_updated AS updated, mart_deleted AS deleted, "+
		"mart_bad_keys AS bad_keys, mart_bad_key AS bad_key")
	return script(parts...)
}
