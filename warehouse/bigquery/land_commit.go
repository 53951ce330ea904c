package bigquery

import (
	"context"
	"fmt"
	"strings"

	"github.com/mart-dev/mart/warehouse"
)

// Commit runs the landing script (land_sql.go): it evolves the table to
// the batch's columns, then in one transaction applies the batch and
// writes the state. The DDL is not transactional in BigQuery: a commit
// that fails after it leaves the new nullable columns or widened types,
// which the next commit keeps; a rebuild (full refresh) replaces the
// table before the transaction, so a failure then leaves it rebuilt and
// empty under the old state, and the next run loads it again.
func (l *landing) Commit(ctx context.Context, c warehouse.LandCommit) (warehouse.LandCounts, error) {
	if !c.NoBatch && l.stage.Name == "" {
		return warehouse.LandCounts{}, fmt.Errorf("commit to %s: nothing is staged", l.t.Table)
	}
	s := &landScript{t: l.t, target: relationSQL(l.t.Table), c: c, ts: timeLiteral(l.t.ExtractedAt, "TIMESTAMP")}
	if !c.NoBatch {
		s.stage, s.kind, s.cols, s.files = relationSQL(l.stage), l.batch.Kind, l.cols, l.files
		s.checkKeys = len(l.t.PrimaryKey) > 0 && !l.t.KeyEnforced && s.kind == warehouse.BatchRows
	}
	if err := l.plan(ctx, s); err != nil {
		return warehouse.LandCounts{}, opError("land", l.t.Table, err)
	}
	d, err := l.w.query(ctx, atomicJob, s.script(relationSQL(l.t.State)))
	if err != nil {
		return warehouse.LandCounts{}, opError("land", l.t.Table, err)
	}
	row, err := l.w.finalRow(ctx, d)
	if err != nil {
		return warehouse.LandCounts{}, opError("land", l.t.Table, err)
	}
	n := func(k string) int64 { v, _ := row[k].(int64); return v }
	if bad := n("bad_keys"); bad > 0 {
		return warehouse.LandCounts{}, fmt.Errorf("land %s: primary key %v is NULL or not unique in the source: %d values, such as %v",
			l.t.Table, l.t.PrimaryKey, bad, row["bad_key"])
	}
	l.rebuilt = true
	return warehouse.LandCounts{Inserted: n("inserted"), Updated: n("updated"), Deleted: n("deleted")}, nil
}

// plan reads the table's schema and adds the DDL the batch needs: create
// (or, on a rebuild, replace) the table, add new columns, widen types; a
// type change that does not widen fails naming the column.
func (l *landing) plan(ctx context.Context, s *landScript) error {
	md, err := l.w.metadata(ctx, l.t.Table)
	if err != nil {
		return err
	}
	if md != nil && kindOf(md) == "view" {
		return fmt.Errorf("%s is a view, not a raw table", l.t.Table)
	}
	s.exists = md != nil
	if s.stage == "" || s.kind == warehouse.BatchKeys {
		return nil
	}
	if md == nil || l.t.Rebuild && !l.rebuilt {
		s.ddl, s.exists = append(s.ddl, s.createSQL(md != nil)), true
		return nil
	}
	for _, c := range s.cols {
		var have string
		for _, f := range md.Schema {
			if strings.EqualFold(f.Name, c.Name) {
				have = typeName(f)
			}
		}
		if have == "" {
			s.ddl = append(s.ddl, "ALTER TABLE "+s.target+" ADD COLUMN IF NOT EXISTS "+quoteIdent(c.Name)+" "+c.Type)
			continue
		}
		typ, ok := widenLanded(have, c.Type)
		if !ok {
			return fmt.Errorf("column %q changed type in the source from %s to %s, which does not widen the table's column: "+
				"change it back, or rebuild the table with --full-refresh", c.Name, have, c.Type)
		}
		if !strings.EqualFold(typ, have) {
			s.ddl = append(s.ddl, "ALTER TABLE "+s.target+" ALTER COLUMN "+quoteIdent(c.Name)+" SET DATA TYPE "+typ)
		}
	}
	if s.keepDeleted() {
		s.ddl = append(s.ddl, "ALTER TABLE "+s.target+" ADD COLUMN IF NOT EXISTS "+quoteIdent(warehouse.DeletedAtColumn)+" TIMESTAMP")
	}
	return nil
}
