package duckdb

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mart-dev/mart/warehouse"
)

// Snapshot records the rows of selectSQL as SCD type 2 history in the table
// r, in one transaction.
//
// The first run creates r from the rows, each valid from its updated_at
// (timestamp strategy) or from the snapshot time (check strategy). Later
// runs stage the rows and compare them with the current versions (valid_to
// NULL, or dbt_valid_to_current) by unique key:
//
//   - a key with no current version gets one (valid from its updated_at, or
//     the snapshot time for the check strategy);
//   - a changed row (timestamp: updated_at later than the version's
//     dbt_updated_at; check: a checked column IS DISTINCT FROM the
//     version's) closes its current version and gets a new one; with the
//     timestamp strategy the old version ends where the new one starts, at
//     the new updated_at;
//   - a current key missing from the rows is, with hard_deletes invalidate,
//     closed at the snapshot time; with new_record also closed, and a
//     deletion record (dbt_is_deleted 'True', a copy of its last values)
//     starts at the snapshot time; ignore leaves it current;
//   - a key that comes back after a deletion record closes that record and
//     starts a new version, both at the snapshot time.
//
// New columns of the rows are added to the table first (with new_record,
// also dbt_is_deleted if it is missing); columns missing from the rows stay,
// NULL in new versions.
func (w *Warehouse) Snapshot(ctx context.Context, r warehouse.Relation, selectSQL string, opt warehouse.SnapshotOptions) (warehouse.SnapshotResult, error) {
	r = w.resolve(r)
	if err := opt.Validate(); err != nil {
		return warehouse.SnapshotResult{}, fmt.Errorf("snapshot %s: %w", r, err)
	}
	if opt.HardDeletes == "" {
		opt.HardDeletes = warehouse.HardDeletesIgnore
	}
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	var res warehouse.SnapshotResult
	err := w.changeTable(ctx, r, func(s *session) error {
		sn := &snapshotSQL{w: w, target: w.RelationSQL(r), stage: w.tempTable(r.Name), opt: opt,
			meta: opt.Columns(), now: now.UTC().Truncate(time.Microsecond), keys: opt.KeyParts(keyPrefix)}
		var err error
		res, err = sn.run(s, r, selectSQL)
		return err
	})
	if err != nil {
		return warehouse.SnapshotResult{}, incrementalError(ctx, "snapshot", r, err)
	}
	return res, nil
}

// snapshotSQL renders and runs the statements of one snapshot run.
type snapshotSQL struct {
	w             *Warehouse
	target, stage string
	opt           warehouse.SnapshotOptions
	meta          warehouse.SnapshotColumns
	now           time.Time
	// timeType is the type of the valid_from, valid_to and updated_at
	// columns: updated_at's (timestamp strategy) or TIMESTAMP (check).
	timeType string
	// hasDeleted says the table has the is_deleted column.
	hasDeleted bool
	// keys are the unique key's parts; an expression part is staged as a
	// column of its own and evaluated on the table's rows to compare.
	keys warehouse.SnapshotKey
}

// keyPrefix names the staging columns of unique_key expressions.
const keyPrefix = "__mart_key_"

// exprColumnsSQL is ", (expr) AS key_column" for each expression part.
func (sn *snapshotSQL) exprColumnsSQL() string {
	list, _ := sn.keys.StagedSQL(sn.q)
	return list
}

// exceptKeysSQL is the EXCLUDE clause that leaves the staged expression
// columns out of SELECT *.
func (sn *snapshotSQL) exceptKeysSQL() string {
	if _, cols := sn.keys.StagedSQL(sn.q); len(cols) > 0 {
		return " EXCLUDE (" + strings.Join(cols, ", ") + ")"
	}
	return ""
}

func (sn *snapshotSQL) q(name string) string { return sn.w.QuoteIdent(name) }

func (sn *snapshotSQL) run(s *session, r warehouse.Relation, selectSQL string) (warehouse.SnapshotResult, error) {
	var res warehouse.SnapshotResult
	stage := &batchSQL{w: sn.w, target: sn.target, stage: sn.stage,
		opt: warehouse.IncrementalOptions{Strategy: warehouse.StrategyMerge, UniqueKey: sn.keys.Columns()}}
	userSQL := selectSQL
	if exprs := sn.exprColumnsSQL(); exprs != "" {
		selectSQL = "SELECT *" + exprs + " FROM (\n" + warehouse.TrimStatement(selectSQL) + "\n) AS __mart_snapshot_rows"
	}
	stmt := stage.stageSQL(selectSQL)
	if err := s.stage(stmt, sn.stage); err != nil {
		return res, located(err, stmt, userSQL)
	}
	staged, err := s.columns(sn.stage)
	if err != nil {
		return res, err
	}
	var batch []warehouse.Column // the query's own columns
	for _, c := range staged {
		if !sn.keys.IsStaged(c.Name) {
			batch = append(batch, c)
		}
	}
	if err := sn.checkBatch(s, r, stage, batch); err != nil {
		return res, err
	}
	tx, err := s.tx()
	if err != nil {
		return res, err
	}
	kind, err := sn.w.kind(s.ctx, tx, r)
	if err != nil {
		return res, err
	}
	if kind == "view" {
		return res, fmt.Errorf("%s is a view, not a snapshot table", r)
	}
	if kind == "" {
		sn.timeType = "TIMESTAMP"
		if sn.opt.Strategy == warehouse.SnapshotTimestamp {
			c, _ := warehouse.FindColumn(batch, sn.opt.UpdatedAt)
			sn.timeType = c.Type
		}
		sn.hasDeleted = sn.opt.HardDeletes == warehouse.HardDeletesNewRecord
		if _, err := s.exec(sn.createSQL()); err != nil {
			return res, err
		}
		n, err := s.count("SELECT count(*) FROM " + sn.target)
		if err != nil {
			return res, err
		}
		_, err = s.exec(stage.dropStageSQL())
		return warehouse.SnapshotResult{Created: true, Inserted: n}, err
	}

	table, err := s.columns(sn.target)
	if err != nil {
		return res, err
	}
	data, err := sn.prepareTable(s, r, table, batch, &res)
	if err != nil {
		return res, err
	}
	ins := sn.w.tempTable(r.Name)
	gone := sn.w.tempTable(r.Name)
	trackDeletes := sn.opt.HardDeletes != warehouse.HardDeletesIgnore
	checked := sn.checkedColumns(writable(data, batch))
	if _, err := s.exec(sn.changesSQL(ins, checked)); err != nil {
		return res, err
	}
	if trackDeletes {
		if _, err := s.exec(sn.goneSQL(gone)); err != nil {
			return res, err
		}
	}
	for _, st := range sn.applySQL(ins, gone, writable(data, batch), data) {
		n, err := s.exec(st.sql)
		if err != nil {
			return res, err
		}
		if st.counts == "closed" {
			res.Closed += n
		} else {
			res.Inserted += n
		}
	}
	drops := []string{ins, sn.stage}
	if trackDeletes {
		drops = append(drops, gone)
	}
	for _, t := range drops {
		if _, err := s.exec("DROP TABLE " + t); err != nil {
			return res, err
		}
	}
	return res, nil
}

// checkBatch checks that the staged rows have the configured columns, none
// named like a metadata column, and each unique key once.
func (sn *snapshotSQL) checkBatch(s *session, r warehouse.Relation, stage *batchSQL, batch []warehouse.Column) error {
	if err := requireColumns(batch, "unique_key", "the snapshot's query", sn.keys.QueryColumns()...); err != nil {
		return err
	}
	if sn.opt.Strategy == warehouse.SnapshotTimestamp {
		if err := requireColumns(batch, "updated_at", "the snapshot's query", sn.opt.UpdatedAt); err != nil {
			return err
		}
	}
	if !sn.checkAll() {
		if err := requireColumns(batch, "check_cols:", "the snapshot's query", sn.opt.CheckCols...); err != nil {
			return err
		}
	}
	for _, m := range sn.metaNames() {
		if _, ok := warehouse.FindColumn(batch, m); ok {
			return fmt.Errorf("the snapshot's query selects a column named %s, which the snapshot adds itself", m)
		}
	}
	_, err := stage.checkKeys(s, r, batch)
	var dup *warehouse.DuplicateKeyError
	if errors.As(err, &dup) {
		dup.Key = sn.opt.UniqueKey // the expressions, not their staging columns
	}
	return err
}

func (sn *snapshotSQL) metaNames() []string {
	m := sn.meta
	return []string{m.SCDID, m.UpdatedAt, m.ValidFrom, m.ValidTo, m.IsDeleted}
}

func (sn *snapshotSQL) checkAll() bool {
	return sn.opt.Strategy == warehouse.SnapshotCheck &&
		(len(sn.opt.CheckCols) == 0 || len(sn.opt.CheckCols) == 1 && strings.EqualFold(sn.opt.CheckCols[0], "all"))
}

// prepareTable checks that table is a snapshot table, adds the batch's new
// columns (and dbt_is_deleted for new_record) and widens retyped ones. It
// returns the data columns (all but the metadata columns).
func (sn *snapshotSQL) prepareTable(s *session, r warehouse.Relation, table, batch []warehouse.Column, res *warehouse.SnapshotResult) ([]warehouse.Column, error) {
	for _, m := range []string{sn.meta.ValidFrom, sn.meta.ValidTo, sn.meta.SCDID, sn.meta.UpdatedAt} {
		if _, ok := warehouse.FindColumn(table, m); !ok {
			return nil, fmt.Errorf("%s is not a snapshot table with these snapshot_meta_column_names: it has no column %s", r, m)
		}
	}
	vf, _ := warehouse.FindColumn(table, sn.meta.ValidFrom)
	sn.timeType = vf.Type
	_, sn.hasDeleted = warehouse.FindColumn(table, sn.meta.IsDeleted)
	var data []warehouse.Column
	for _, c := range table {
		if !sn.isMeta(c.Name) {
			data = append(data, c)
		}
	}
	alter := "ALTER TABLE " + sn.target + " "
	var alters []string
	d := diffSchemas(data, batch)
	for _, c := range d.added {
		alters = append(alters, alter+"ADD COLUMN "+sn.q(c.Name)+" "+c.Type)
		res.SchemaChanges = append(res.SchemaChanges, fmt.Sprintf("added column %s %s", c.Name, c.Type))
		data = append(data, c)
	}
	for _, c := range d.changed {
		if widens(c.From, c.To) {
			alters = append(alters, alter+"ALTER COLUMN "+sn.q(c.Name)+" SET DATA TYPE "+c.To)
			res.SchemaChanges = append(res.SchemaChanges, fmt.Sprintf("widened column %s from %s to %s", c.Name, c.From, c.To))
		}
	}
	if sn.opt.HardDeletes == warehouse.HardDeletesNewRecord && !sn.hasDeleted {
		alters = append(alters, alter+"ADD COLUMN "+sn.q(sn.meta.IsDeleted)+" VARCHAR")
		res.SchemaChanges = append(res.SchemaChanges, "added column "+sn.meta.IsDeleted)
		sn.hasDeleted = true
	}
	for _, a := range alters {
		if _, err := s.exec(a); err != nil {
			return nil, err
		}
	}
	return data, nil
}

func (sn *snapshotSQL) isMeta(name string) bool {
	for _, m := range sn.metaNames() {
		if strings.EqualFold(m, name) {
			return true
		}
	}
	return false
}

// checkedColumns are the columns compared by the check strategy.
func (sn *snapshotSQL) checkedColumns(written []warehouse.Column) []string {
	if sn.opt.Strategy != warehouse.SnapshotCheck {
		return nil
	}
	if !sn.checkAll() {
		return sn.opt.CheckCols
	}
	var out []string
	for _, c := range written {
		isKey := false
		for _, k := range sn.keys.Columns() {
			isKey = isKey || strings.EqualFold(k, c.Name)
		}
		if !isKey {
			out = append(out, c.Name)
		}
	}
	return out
}

// nowSQL is the snapshot time as a value of the time columns' type.
func (sn *snapshotSQL) nowSQL() string {
	lit := timeLiteral(sn.now, sn.timeType)
	if strings.HasPrefix(lit, strings.ToUpper(sn.timeType)+" ") || sn.timeType == "TIMESTAMP WITH TIME ZONE" && strings.HasPrefix(lit, "TIMESTAMPTZ ") {
		return lit
	}
	return "CAST(" + lit + " AS " + sn.timeType + ")"
}

// currentValueSQL is valid_to of current versions.
func (sn *snapshotSQL) currentValueSQL() string {
	if sn.opt.ValidToCurrent == "" {
		return "CAST(NULL AS " + sn.timeType + ")"
	}
	return "CAST(" + sn.opt.ValidToCurrent + " AS " + sn.timeType + ")"
}

// isCurrent says that alias's row is a current version.
func (sn *snapshotSQL) isCurrent(alias string) string {
	vt := alias + "." + sn.q(sn.meta.ValidTo)
	if sn.opt.ValidToCurrent == "" {
		return vt + " IS NULL"
	}
	return "(" + vt + " IS NULL OR " + vt + " = " + sn.currentValueSQL() + ")"
}

func (sn *snapshotSQL) keyMatch(a, b string) string {
	keys := sn.keys.Columns()
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = a + "." + sn.q(k) + " IS NOT DISTINCT FROM " + b + "." + sn.q(k)
	}
	return strings.Join(parts, " AND ")
}

// scdIDSQL hashes the unique key and the version's start as dbt does.
func (sn *snapshotSQL) scdIDSQL(validFrom string) string {
	var parts []string
	for _, k := range sn.keys.Columns() {
		parts = append(parts, "coalesce(CAST("+sn.q(k)+" AS VARCHAR), '')")
	}
	parts = append(parts, "coalesce(CAST("+validFrom+" AS VARCHAR), '')")
	return "md5(" + strings.Join(parts, " || '|' || ") + ")"
}

// createSQL is the first run: every row is a current version.
func (sn *snapshotSQL) createSQL() string {
	vf := sn.nowSQL()
	if sn.opt.Strategy == warehouse.SnapshotTimestamp {
		vf = sn.q(sn.opt.UpdatedAt)
	}
	cols := []string{
		sn.scdIDSQL(vf) + " AS " + sn.q(sn.meta.SCDID),
		vf + " AS " + sn.q(sn.meta.UpdatedAt),
		vf + " AS " + sn.q(sn.meta.ValidFrom),
		sn.currentValueSQL() + " AS " + sn.q(sn.meta.ValidTo),
	}
	if sn.hasDeleted {
		cols = append(cols, "'False' AS "+sn.q(sn.meta.IsDeleted))
	}
	return "CREATE TABLE " + sn.target + " AS\nSELECT *" + sn.exceptKeysSQL() + ",\n  " + strings.Join(cols, ",\n  ") + "\nFROM " + sn.stage
}

// changesSQL stages the rows that start a new version: new keys, changed
// rows and keys back after a deletion record. __mart_close says a current
// version must be closed; __mart_valid_from is where the new one starts.
func (sn *snapshotSQL) changesSQL(ins string, checked []string) string {
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
			vf = "CASE WHEN " + revived + " THEN " + sn.nowSQL() + " ELSE " + upd + " END"
		}
		changed = cur + "." + sn.q(sn.meta.UpdatedAt) + " < " + upd
	} else {
		vf, upd = sn.nowSQL(), sn.nowSQL()
		terms := make([]string, len(checked))
		for i, c := range checked {
			terms[i] = src + "." + sn.q(c) + " IS DISTINCT FROM " + cur + "." + sn.q(c)
		}
		changed = "false"
		if len(terms) > 0 {
			changed = strings.Join(terms, "\n    OR ")
		}
	}
	where := cur + ".__mart_found IS NULL\n  OR (" + changed + ")"
	if revived != "" {
		where += "\n  OR " + revived
	}
	curSCD := ""
	if sn.exprColumnsSQL() != "" {
		// the versions to close are found by their scd id: the key
		// expression cannot be evaluated on the table in an UPDATE
		curSCD = ",\n  " + cur + "." + sn.q(sn.meta.SCDID) + " AS __mart_cur_scd"
	}
	return "CREATE TEMP TABLE " + ins + " AS\nSELECT " + src + ".*,\n  " +
		vf + " AS __mart_valid_from,\n  " + upd + " AS __mart_updated_at,\n  " +
		cur + ".__mart_found IS NOT NULL AS __mart_close" + curSCD + "\nFROM " + sn.stage + " AS " + src +
		"\nLEFT JOIN (\n  SELECT *, true AS __mart_found" + sn.exprColumnsSQL() + " FROM " + sn.target + " AS " + cur + " WHERE " + sn.isCurrent(cur) +
		"\n) AS " + cur + "\n  ON " + sn.keyMatch(src, cur) + "\nWHERE " + where
}

// goneSQL stages the current versions whose key the rows no longer hold
// (not counting deletion records, which stay current while the key is
// gone).
func (sn *snapshotSQL) goneSQL(gone string) string {
	cur := destAlias
	where := sn.isCurrent(cur)
	if sn.hasDeleted {
		where += "\n  AND " + cur + "." + sn.q(sn.meta.IsDeleted) + " IS DISTINCT FROM 'True'"
	}
	from := sn.target
	if exprs := sn.exprColumnsSQL(); exprs != "" {
		from = "(SELECT *" + exprs + " FROM " + sn.target + ")"
	}
	return "CREATE TEMP TABLE " + gone + " AS\nSELECT * FROM " + from + " AS " + cur + "\nWHERE " + where +
		"\n  AND NOT EXISTS (SELECT 1 FROM " + sn.stage + " AS " + sourceAlias + " WHERE " + sn.keyMatch(sourceAlias, cur) + ")"
}

// applySQL closes the versions that ended and inserts the new ones. Every
// close runs before every insert, so a new version is never mistaken for
// the one it replaces.
func (sn *snapshotSQL) applySQL(ins, gone string, written, data []warehouse.Column) []statement {
	dest, src := destAlias, sourceAlias
	vt := sn.q(sn.meta.ValidTo)
	closeMatch, goneMatch := sn.keyMatch(src, dest), sn.keyMatch(src, dest)
	if sn.exprColumnsSQL() != "" {
		scd := sn.q(sn.meta.SCDID)
		closeMatch = dest + "." + scd + " = " + src + ".__mart_cur_scd"
		goneMatch = dest + "." + scd + " = " + src + "." + scd
	}
	out := []statement{{counts: "closed", sql: "UPDATE " + sn.target + " AS " + dest + "\nSET " + vt + " = " + src + ".__mart_valid_from\nFROM " + ins + " AS " + src +
		"\nWHERE " + src + ".__mart_close AND " + closeMatch + " AND " + sn.isCurrent(dest)}}
	del := sn.opt.HardDeletes
	if del != warehouse.HardDeletesIgnore {
		out = append(out, statement{counts: "closed", sql: "UPDATE " + sn.target + " AS " + dest + "\nSET " + vt + " = " + sn.nowSQL() + "\nFROM " + gone + " AS " + src +
			"\nWHERE " + goneMatch + " AND " + sn.isCurrent(dest)})
	}
	metaCols := []string{sn.q(sn.meta.SCDID), sn.q(sn.meta.UpdatedAt), sn.q(sn.meta.ValidFrom), vt}
	if sn.hasDeleted {
		metaCols = append(metaCols, sn.q(sn.meta.IsDeleted))
	}
	list := func(cols []warehouse.Column) string {
		s := make([]string, len(cols))
		for i, c := range cols {
			s[i] = sn.q(c.Name)
		}
		return strings.Join(s, ", ")
	}
	meta := []string{sn.scdIDSQL("__mart_valid_from"), "__mart_updated_at", "__mart_valid_from", sn.currentValueSQL()}
	if sn.hasDeleted {
		meta = append(meta, "'False'")
	}
	out = append(out, statement{counts: "inserted", sql: "INSERT INTO " + sn.target + " (" + list(written) + ", " + strings.Join(metaCols, ", ") + ")\nSELECT " +
		list(written) + ",\n  " + strings.Join(meta, ",\n  ") + "\nFROM " + ins})
	if del == warehouse.HardDeletesNewRecord {
		now := sn.nowSQL()
		meta := []string{sn.scdIDSQL(now), now, now, sn.currentValueSQL(), "'True'"}
		out = append(out, statement{counts: "inserted", sql: "INSERT INTO " + sn.target + " (" + list(data) + ", " + strings.Join(metaCols, ", ") + ")\nSELECT " +
			list(data) + ",\n  " + strings.Join(meta, ",\n  ") + "\nFROM " + gone})
	}
	return out
}
