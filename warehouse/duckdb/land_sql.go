package duckdb

import (
	"fmt"
	"strings"

	"github.com/mart-dev/mart/warehouse"
)

// landSQL renders the statements a landing commit runs. It only builds
// text; land_commit.go runs it.
type landSQL struct {
	w      *Warehouse
	t      warehouse.LandTable
	target string             // quoted raw table
	stage  string             // quoted staging table
	cols   []warehouse.Column // the staged columns, as they land
	ts     string             // the commit's ExtractedAt as a literal
}

func (s *landSQL) q(name string) string { return s.w.QuoteIdent(name) }

// value is the staged column c read from alias a, cast to its landed type
// where it is staged as another (JSON is staged as VARCHAR).
func (s *landSQL) value(a string, c warehouse.Column) string {
	v := a + "." + s.q(c.Name)
	if strings.EqualFold(c.Type, "JSON") {
		return "CAST(" + v + " AS JSON)"
	}
	return v
}

// createSQL creates the raw table with the staged columns and mart's own;
// stamped gives the extraction time column the commit's time as its
// default (rows appended straight into a new table get it so).
func (s *landSQL) createSQL(stamped bool) string {
	defs := make([]string, 0, len(s.cols)+2)
	for _, c := range s.cols {
		defs = append(defs, s.q(c.Name)+" "+c.Type)
	}
	stamp := s.q(warehouse.ExtractedAtColumn) + " TIMESTAMP WITH TIME ZONE"
	if stamped {
		stamp += " DEFAULT " + s.ts
	}
	defs = append(defs, stamp)
	if s.t.KeepDeleted && len(s.t.PrimaryKey) > 0 {
		defs = append(defs, s.q(warehouse.DeletedAtColumn)+" TIMESTAMP WITH TIME ZONE")
	}
	return "CREATE TABLE " + s.target + " (\n  " + strings.Join(defs, ",\n  ") + "\n)"
}

func (s *landSQL) columnList() string {
	names := make([]string, len(s.cols))
	for i, c := range s.cols {
		names[i] = s.q(c.Name)
	}
	return strings.Join(names, ", ")
}

func (s *landSQL) valueList(a string) string {
	vals := make([]string, len(s.cols))
	for i, c := range s.cols {
		vals[i] = s.value(a, c)
	}
	return strings.Join(vals, ", ")
}

// insertSQL appends every staged row.
func (s *landSQL) insertSQL() string {
	return "INSERT INTO " + s.target + " (" + s.columnList() + ", " + s.q(warehouse.ExtractedAtColumn) + ")\nSELECT " +
		s.valueList("s") + ", " + s.ts + " FROM " + s.stage + " AS s"
}

// keyMatch matches the primary key of aliases a and b.
func (s *landSQL) keyMatch(a, b string) string {
	parts := make([]string, len(s.t.PrimaryKey))
	for i, k := range s.t.PrimaryKey {
		parts[i] = a + "." + s.q(k) + " = " + b + "." + s.q(k)
	}
	return strings.Join(parts, " AND ")
}

// keyCheckSQL counts the staged rows with a NULL key and those repeating a
// key.
func (s *landSQL) keyCheckSQL() string {
	keys := make([]string, len(s.t.PrimaryKey))
	nulls := make([]string, len(s.t.PrimaryKey))
	for i, k := range s.t.PrimaryKey {
		keys[i] = s.q(k)
		nulls[i] = s.q(k) + " IS NULL"
	}
	return "SELECT count(*) FILTER (WHERE " + strings.Join(nulls, " OR ") + "), count(*) - (SELECT count(*) FROM (SELECT DISTINCT " +
		strings.Join(keys, ", ") + " FROM " + s.stage + ")) FROM " + s.stage
}

// duplicateKeySQL returns one repeated key, as text, and how often it occurs.
func (s *landSQL) duplicateKeySQL() string {
	parts := make([]string, len(s.t.PrimaryKey))
	for i, k := range s.t.PrimaryKey {
		parts[i] = s.w.QuoteString(k+" = ") + " || coalesce(CAST(" + s.q(k) + " AS VARCHAR), 'NULL')"
	}
	return "SELECT " + strings.Join(parts, " || ', ' || ") + ", count(*) FROM " + s.stage +
		" GROUP BY ALL HAVING count(*) > 1 ORDER BY 2 DESC LIMIT 1"
}

// changedSQL is true for a matched row whose staged values differ from
// the table's (or that was marked deleted).
func (s *landSQL) changedSQL() string {
	var parts []string
	for _, c := range s.cols {
		if s.isKey(c.Name) {
			continue
		}
		parts = append(parts, "t."+s.q(c.Name)+" IS DISTINCT FROM "+s.value("s", c))
	}
	if s.keepDeleted() {
		parts = append(parts, "t."+s.q(warehouse.DeletedAtColumn)+" IS NOT NULL")
	}
	if len(parts) == 0 {
		return ""
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

func (s *landSQL) keepDeleted() bool { return s.t.KeepDeleted && len(s.t.PrimaryKey) > 0 }

func (s *landSQL) isKey(name string) bool {
	for _, k := range s.t.PrimaryKey {
		if strings.EqualFold(k, name) {
			return true
		}
	}
	return false
}

// updateSet sets the non-key columns from the stage and stamps the row.
func (s *landSQL) updateSet() string {
	var sets []string
	for _, c := range s.cols {
		if !s.isKey(c.Name) {
			sets = append(sets, s.q(c.Name)+" = "+s.value("s", c))
		}
	}
	sets = append(sets, s.q(warehouse.ExtractedAtColumn)+" = "+s.ts)
	if s.keepDeleted() {
		sets = append(sets, s.q(warehouse.DeletedAtColumn)+" = NULL")
	}
	return strings.Join(sets, ", ")
}

// goneSQL is what a merge does with a table row that is gone from the
// source: delete it, or mark it deleted (keep_deleted).
func (s *landSQL) goneSQL() string {
	if s.keepDeleted() {
		return "UPDATE SET " + s.q(warehouse.DeletedAtColumn) + " = " + s.ts
	}
	return "DELETE"
}

// goneGuard restricts goneSQL to rows not already marked deleted.
func (s *landSQL) goneGuard() string {
	if s.keepDeleted() {
		return " AND t." + s.q(warehouse.DeletedAtColumn) + " IS NULL"
	}
	return ""
}

// returning reports each changed row's action, and for keep_deleted
// whether the row is now marked deleted.
func (s *landSQL) returning() string {
	if s.keepDeleted() {
		return "\nRETURNING merge_action, " + s.q(warehouse.DeletedAtColumn) + " IS NOT NULL"
	}
	return "\nRETURNING merge_action, false"
}

// mergeSQL upserts the staged rows by primary key; whole also removes
// the table rows whose key is not staged.
func (s *landSQL) mergeSQL(whole bool) string {
	var b strings.Builder
	b.WriteString("MERGE INTO " + s.target + " AS t\nUSING " + s.stage + " AS s\nON (" + s.keyMatch("t", "s") + ")")
	if ch := s.changedSQL(); ch != "" {
		b.WriteString("\nWHEN MATCHED AND " + ch + " THEN UPDATE SET " + s.updateSet())
	}
	b.WriteString("\nWHEN NOT MATCHED THEN INSERT (" + s.columnList() + ", " + s.q(warehouse.ExtractedAtColumn) + ") VALUES (" +
		s.valueList("s") + ", " + s.ts + ")")
	if whole {
		b.WriteString("\nWHEN NOT MATCHED BY SOURCE" + s.goneGuard() + " THEN " + s.goneSQL())
	}
	b.WriteString(s.returning())
	return b.String()
}

// changesSQL applies staged change events: the last event of each key
// wins; a delete removes (or marks) the row, an upsert merges it.
func (s *landSQL) changesSQL() string {
	keys := make([]string, len(s.t.PrimaryKey))
	for i, k := range s.t.PrimaryKey {
		keys[i] = s.q(k)
	}
	op := "s." + s.q(opColumn)
	del := s.w.QuoteString(warehouse.ChangeDelete)
	var b strings.Builder
	b.WriteString("MERGE INTO " + s.target + " AS t\nUSING (SELECT * FROM " + s.stage + " QUALIFY row_number() OVER (PARTITION BY " +
		strings.Join(keys, ", ") + " ORDER BY rowid DESC) = 1) AS s\nON (" + s.keyMatch("t", "s") + ")")
	b.WriteString("\nWHEN MATCHED AND " + op + " = " + del + s.goneGuard() + " THEN " + s.goneSQL())
	upd := op + " <> " + del
	if ch := s.changedSQL(); ch != "" {
		b.WriteString("\nWHEN MATCHED AND " + upd + " AND " + ch + " THEN UPDATE SET " + s.updateSet())
	}
	b.WriteString("\nWHEN NOT MATCHED AND " + upd + " THEN INSERT (" + s.columnList() + ", " + s.q(warehouse.ExtractedAtColumn) +
		") VALUES (" + s.valueList("s") + ", " + s.ts + ")")
	b.WriteString(s.returning())
	return b.String()
}

// missingKeysSQL removes (or marks) the table rows whose key is not among
// the staged keys.
func (s *landSQL) missingKeysSQL() string {
	notStaged := "NOT EXISTS (SELECT 1 FROM " + s.stage + " AS s WHERE " + s.keyMatch("t", "s") + ")"
	if s.keepDeleted() {
		return "UPDATE " + s.target + " AS t SET " + s.q(warehouse.DeletedAtColumn) + " = " + s.ts + "\nWHERE " + notStaged + s.goneGuard()
	}
	return "DELETE FROM " + s.target + " AS t\nWHERE " + notStaged
}

// differenceSQL counts, for a table without a key, the table rows not
// staged and the staged rows not in the table (as multisets).
func (s *landSQL) differenceSQL() string {
	cols := s.columnList()
	return "SELECT (SELECT count(*) FROM (SELECT " + cols + " FROM " + s.target + " EXCEPT ALL SELECT " + s.valueList("s") + " FROM " +
		s.stage + " AS s)), (SELECT count(*) FROM (SELECT " + s.valueList("s") + " FROM " + s.stage + " AS s EXCEPT ALL SELECT " +
		cols + " FROM " + s.target + "))"
}

func (s *landSQL) deleteAllSQL() string { return "DELETE FROM " + s.target }

// deleteFilesSQL deletes the rows that came from the named files.
func (s *landSQL) deleteFilesSQL(names []string) string {
	list := make([]string, len(names))
	for i, n := range names {
		list[i] = s.w.QuoteString(n)
	}
	return "DELETE FROM " + s.target + " WHERE " + s.q(warehouse.FileColumn) + " IN (" + strings.Join(list, ", ") + ")"
}

// addColumnSQL and alterTypeSQL evolve the table to the staged columns.
func (s *landSQL) addColumnSQL(c warehouse.Column) string {
	return "ALTER TABLE " + s.target + " ADD COLUMN " + s.q(c.Name) + " " + c.Type
}

// unstampSQL drops the default createSQL(true) gave.
func (s *landSQL) unstampSQL() string {
	return "ALTER TABLE " + s.target + " ALTER COLUMN " + s.q(warehouse.ExtractedAtColumn) + " DROP DEFAULT"
}

func (s *landSQL) alterTypeSQL(name, typ string) string {
	return "ALTER TABLE " + s.target + " ALTER COLUMN " + s.q(name) + " SET DATA TYPE " + typ
}

// stateSQL reads and replaces the stream's state row; each statement
// takes the stream (and the state) as parameters.
func (s *landSQL) stateSQL(state warehouse.Relation) (get, del, ins string) {
	rel := s.w.RelationSQL(state)
	return "SELECT CAST(state AS VARCHAR) FROM " + rel + " WHERE stream = ?", "DELETE FROM " + rel + " WHERE stream = ?",
		"INSERT INTO " + rel + " (stream, state, updated_at) VALUES (?, ?, " + s.ts + ")"
}

func typeChangeError(col, have, want string) error {
	return fmt.Errorf("column %q changed type in the source from %s to %s, which does not widen the table's column: "+
		"change it back, or rebuild the table with --full-refresh", col, have, want)
}
