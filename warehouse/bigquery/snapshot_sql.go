package bigquery

import (
	"strings"
	"time"

	"github.com/mart-dev/mart/warehouse"
)

// snapshotScript renders the one script of a snapshot run: stage the rows,
// check their keys, then (first run) create the table or (later runs)
// close changed and deleted versions and insert new ones in a transaction.
// The semantics are the DuckDB adapter's (see its Snapshot).
type snapshotScript struct {
	target string
	opt    warehouse.SnapshotOptions
	meta   warehouse.SnapshotColumns
	now    time.Time
	// timeType is the type of valid_from, valid_to and updated_at.
	timeType string
	// hasDeleted says the table has (or gets) the is_deleted column.
	hasDeleted bool
	first      bool
	written    []string // data columns written (the batch's, as the table spells them)
	data       []string // all data columns of the table
	checked    []string // check strategy: the columns compared
	alters     []string // columns added before the change
	undo       []string
	// keys are the unique key's parts; an expression part is staged as a
	// column of its own and evaluated on the table's rows to compare.
	keys warehouse.SnapshotKey
}

// keyPrefix names the staging columns of unique_key expressions.
const keyPrefix = "mart_key_"

// exprColumnsSQL is ", (expr) AS key_column" for each expression part.
func (sn *snapshotScript) exprColumnsSQL() string {
	list, _ := sn.keys.StagedSQL(sn.q)
	return list
}

// exceptKeysSQL leaves the staged expression columns out of SELECT *.
func (sn *snapshotScript) exceptKeysSQL() string {
	if _, cols := sn.keys.StagedSQL(sn.q); len(cols) > 0 {
		return " EXCEPT (" + strings.Join(cols, ", ") + ")"
	}
	return ""
}

func (sn *snapshotScript) script(selectSQL string) string {
	s := []string{
		"DECLARE mart_dup_keys INT64 DEFAULT 0",
		"DECLARE mart_dup_rows INT64 DEFAULT 0",
		"DECLARE mart_dup_examples ARRAY<STRUCT<k ARRAY<STRING>, n INT64>> DEFAULT []",
		"DECLARE mart_inserted INT64 DEFAULT 0",
		"DECLARE mart_closed INT64 DEFAULT 0",
		"CREATE TEMP TABLE " + stageTable + " AS " + body(sn.stagedSQL(selectSQL)),
	}
	keys := &batchScript{opt: warehouse.IncrementalOptions{UniqueKey: sn.keys.Columns()}}
	s = append(s, keys.duplicatesSQL()...)
	var changes []string
	if sn.first {
		changes = []string{sn.createSQL(), "SET mart_inserted = (SELECT COUNT(*) FROM " + stageTable + ")"}
	} else {
		changes = append(changes, sn.alters...)
		changes = append(changes, sn.changesSQL())
		if sn.opt.HardDeletes != warehouse.HardDeletesIgnore {
			changes = append(changes, sn.goneSQL())
		}
		changes = append(changes, transaction(sn.applySQL(), sn.undo))
	}
	s = append(s, "IF mart_dup_keys = 0 THEN\n"+indent(script(changes...)+";")+"\nEND IF",
		"SELECT mart_dup_keys AS dup_keys, mart_dup_rows AS dup_rows, mart_dup_examples AS dup_examples,"+
			" mart_inserted AS rows_inserted, mart_closed AS rows_closed")
	return script(s...)
}

func (sn *snapshotScript) q(name string) string { return quoteIdent(name) }

// stagedSQL is the snapshot's query with a column for each key expression.
func (sn *snapshotScript) stagedSQL(selectSQL string) string {
	exprs := sn.exprColumnsSQL()
	if exprs == "" {
		return selectSQL
	}
	return "SELECT *" + exprs + " FROM (\n" + warehouse.TrimStatement(selectSQL) + "\n) AS mart_snapshot_rows"
}

// nowSQL is the snapshot time as a value of the time columns' type.
func (sn *snapshotScript) nowSQL() string { return timeLiteral(sn.now, sn.timeType) }

// currentValueSQL is valid_to of current versions.
func (sn *snapshotScript) currentValueSQL() string {
	if sn.opt.ValidToCurrent == "" {
		return "CAST(NULL AS " + sn.timeType + ")"
	}
	return "CAST(" + sn.opt.ValidToCurrent + " AS " + sn.timeType + ")"
}

// isCurrent says that alias's row is a current version.
func (sn *snapshotScript) isCurrent(alias string) string {
	vt := alias + "." + sn.q(sn.meta.ValidTo)
	if sn.opt.ValidToCurrent == "" {
		return vt + " IS NULL"
	}
	return "(" + vt + " IS NULL OR " + vt + " = " + sn.currentValueSQL() + ")"
}

func (sn *snapshotScript) keyMatch(a, b string) string {
	keys := sn.keys.Columns()
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = a + "." + sn.q(k) + " IS NOT DISTINCT FROM " + b + "." + sn.q(k)
	}
	return strings.Join(parts, " AND ")
}

// scdIDSQL hashes the unique key and the version's start, as dbt does.
func (sn *snapshotScript) scdIDSQL(alias, validFrom string) string {
	var parts []string
	for _, k := range sn.keys.Columns() {
		col := sn.q(k)
		if alias != "" {
			col = alias + "." + col
		}
		parts = append(parts, "IFNULL(CAST("+col+" AS STRING), '')")
	}
	parts = append(parts, "IFNULL(CAST("+validFrom+" AS STRING), '')")
	return "TO_HEX(MD5(CONCAT(" + strings.Join(parts, ", '|', ") + ")))"
}

// createSQL is the first run: every row is a current version.
func (sn *snapshotScript) createSQL() string {
	vf := sn.nowSQL()
	if sn.opt.Strategy == warehouse.SnapshotTimestamp {
		vf = sn.q(sn.opt.UpdatedAt)
	}
	cols := []string{
		sn.scdIDSQL("", vf) + " AS " + sn.q(sn.meta.SCDID),
		vf + " AS " + sn.q(sn.meta.UpdatedAt),
		vf + " AS " + sn.q(sn.meta.ValidFrom),
		sn.currentValueSQL() + " AS " + sn.q(sn.meta.ValidTo),
	}
	if sn.hasDeleted {
		cols = append(cols, "'False' AS "+sn.q(sn.meta.IsDeleted))
	}
	return "CREATE TABLE " + sn.target + " AS\nSELECT *" + sn.exceptKeysSQL() + ",\n  " + strings.Join(cols, ",\n  ") + "\nFROM " + stageTable
}

// changesSQL stages the rows that start a new version: new keys, changed
// rows and keys back after a deletion record. mart_close says a current
// version must be closed; mart_valid_from is where the new one starts.
func (sn *snapshotScript) changesSQL() string {
	src, cur := sourceAlias, destAlias
	revived := ""
	if sn.hasDeleted {
		revived = cur + "." + sn.q(sn.meta.IsDeleted) + " = 'True'"
	}
	var vf, upd, changed string
	if sn.opt.Strategy == warehouse.SnapshotTimestamp {
		upd = src + "." + sn.q(sn.opt.UpdatedAt)
		vf = upd
		if revived != "" {
			vf = "IF(IFNULL(" + revived + ", FALSE), " + sn.nowSQL() + ", " + upd + ")"
		}
		changed = cur + "." + sn.q(sn.meta.UpdatedAt) + " < " + upd
	} else {
		vf, upd = sn.nowSQL(), sn.nowSQL()
		terms := make([]string, len(sn.checked))
		for i, c := range sn.checked {
			terms[i] = src + "." + sn.q(c) + " IS DISTINCT FROM " + cur + "." + sn.q(c)
		}
		changed = "FALSE"
		if len(terms) > 0 {
			changed = strings.Join(terms, "\n    OR ")
		}
	}
	where := cur + ".mart_found IS NULL\n  OR (" + changed + ")"
	if revived != "" {
		where += "\n  OR " + revived
	}
	curSCD := ""
	if sn.exprColumnsSQL() != "" {
		// the versions to close are found by their scd id: the key
		// expression cannot be evaluated on the table in an UPDATE
		curSCD = ",\n  " + cur + "." + sn.q(sn.meta.SCDID) + " AS mart_cur_scd"
	}
	return "CREATE TEMP TABLE mart_changes AS\nSELECT " + src + ".*,\n  " +
		vf + " AS mart_valid_from,\n  " + upd + " AS mart_updated_at,\n  " +
		cur + ".mart_found IS NOT NULL AS mart_close" + curSCD + "\nFROM " + stageTable + " AS " + src +
		"\nLEFT JOIN (\n  SELECT *, TRUE AS mart_found" + sn.exprColumnsSQL() + " FROM " + sn.target + " AS " + cur + " WHERE " + sn.isCurrent(cur) +
		"\n) AS " + cur + "\n  ON " + keyJoin(sn.keys.Columns(), src, cur) + "\nWHERE " + where
}

// goneSQL stages the current versions whose key the rows no longer hold
// (deletion records stay current while the key is gone).
func (sn *snapshotScript) goneSQL() string {
	cur := destAlias
	where := sn.isCurrent(cur)
	if sn.hasDeleted {
		where += "\n  AND " + cur + "." + sn.q(sn.meta.IsDeleted) + " IS DISTINCT FROM 'True'"
	}
	from := sn.target
	if exprs := sn.exprColumnsSQL(); exprs != "" {
		from = "(SELECT *" + exprs + " FROM " + sn.target + ")"
	}
	return "CREATE TEMP TABLE mart_gone AS\nSELECT * FROM " + from + " AS " + cur + "\nWHERE " + where +
		"\n  AND NOT EXISTS (SELECT 1 FROM " + stageTable + " AS " + sourceAlias + " WHERE " + keyJoin(sn.keys.Columns(), sourceAlias, cur) + ")"
}

// applySQL closes the versions that ended and inserts the new ones; every
// close runs before every insert.
func (sn *snapshotScript) applySQL() []string {
	dest, src := destAlias, sourceAlias
	vt := sn.q(sn.meta.ValidTo)
	closeMatch, goneMatch := sn.keyMatch(src, dest), sn.keyMatch(src, dest)
	if sn.exprColumnsSQL() != "" {
		scd := sn.q(sn.meta.SCDID)
		closeMatch = dest + "." + scd + " = " + src + ".mart_cur_scd"
		goneMatch = dest + "." + scd + " = " + src + "." + scd
	}
	out := []string{
		"UPDATE " + sn.target + " AS " + dest + "\nSET " + vt + " = " + src + ".mart_valid_from\nFROM mart_changes AS " + src +
			"\nWHERE " + src + ".mart_close AND " + closeMatch + " AND " + sn.isCurrent(dest),
		"SET mart_closed = @@row_count",
	}
	if sn.opt.HardDeletes != warehouse.HardDeletesIgnore {
		out = append(out, "UPDATE "+sn.target+" AS "+dest+"\nSET "+vt+" = "+sn.nowSQL()+"\nFROM mart_gone AS "+src+
			"\nWHERE "+goneMatch+" AND "+sn.isCurrent(dest),
			"SET mart_closed = mart_closed + @@row_count")
	}
	metaCols := []string{sn.q(sn.meta.SCDID), sn.q(sn.meta.UpdatedAt), sn.q(sn.meta.ValidFrom), vt}
	if sn.hasDeleted {
		metaCols = append(metaCols, sn.q(sn.meta.IsDeleted))
	}
	meta := []string{sn.scdIDSQL("", "mart_valid_from"), "mart_updated_at", "mart_valid_from", sn.currentValueSQL()}
	if sn.hasDeleted {
		meta = append(meta, "'False'")
	}
	out = append(out, "INSERT INTO "+sn.target+" ("+columnList("", sn.written)+", "+strings.Join(metaCols, ", ")+")\nSELECT "+
		columnList("", sn.written)+",\n  "+strings.Join(meta, ",\n  ")+"\nFROM mart_changes",
		"SET mart_inserted = @@row_count")
	if sn.opt.HardDeletes == warehouse.HardDeletesNewRecord {
		now := sn.nowSQL()
		meta := []string{sn.scdIDSQL("", now), now, now, sn.currentValueSQL(), "'True'"}
		out = append(out, "INSERT INTO "+sn.target+" ("+columnList("", sn.data)+", "+strings.Join(metaCols, ", ")+")\nSELECT "+
			columnList("", sn.data)+",\n  "+strings.Join(meta, ",\n  ")+"\nFROM mart_gone",
			"SET mart_inserted = mart_inserted + @@row_count")
	}
	return out
}
