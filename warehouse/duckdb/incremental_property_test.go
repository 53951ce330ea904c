package duckdb

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse"
)

// The property tests drive random sequences of source changes (inserts,
// updates, soft deletes and undeletes, late-arriving rows) and model runs
// (normal, skipped, the same batch applied twice, a run cancelled between
// two of its statements) through the adapter, and check after every step
// that each incremental table equals the same model built from scratch, and
// that a snapshot equals the SCD2 history computed here in Go.
//
// Failures print the seed and step; rerun one seed with
// MART_PROPERTY_SEED=<seed>.

var propEpoch = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// srcRow is one row of the source table src.
type srcRow struct {
	id, grp, v int
	ts         time.Time // event time
	upd        time.Time // when the row last changed (snapshots' updated_at)
	loaded     int       // step that last wrote the row (the raw layer's load id)
	deleted    bool      // soft delete, as extract lands source deletes
}

// source is the Go truth of the source tables: src (current rows) and log
// (every version ever written, append-only).
type source struct {
	rng    *rand.Rand
	rows   map[int]*srcRow
	log    [][3]int // id, loaded, v
	nextID int
	// touched holds the event days written since the microbatch model last
	// ran (its batches to redo).
	touched map[time.Time]bool
}

func newSource(rng *rand.Rand) *source {
	return &source{rng: rng, rows: map[int]*srcRow{}, touched: map[time.Time]bool{}, nextID: 1}
}

// stepTime is the wall clock of a step; changes happen just before it.
func stepTime(step int) time.Time { return propEpoch.Add(time.Duration(step) * time.Hour) }

func (s *source) pick(pred func(*srcRow) bool) *srcRow {
	var ids []int
	for id, r := range s.rows {
		if pred(r) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	sort.Ints(ids)
	return s.rows[ids[s.rng.IntN(len(ids))]]
}

func (s *source) write(r *srcRow, step int, upd bool) {
	r.loaded = step
	if upd {
		r.upd = stepTime(step).Add(-time.Duration(1+s.rng.IntN(50)) * time.Minute)
	}
	s.log = append(s.log, [3]int{r.id, step, r.v})
	s.touched[r.ts.Truncate(24*time.Hour)] = true
}

// mutate applies a random batch of changes at step.
func (s *source) mutate(step int) {
	today := stepTime(step).Truncate(24 * time.Hour)
	for range 1 + s.rng.IntN(6) {
		switch op := s.rng.IntN(10); {
		case op < 4 || len(s.rows) < 5: // insert, sometimes late-arriving
			ts := today.Add(time.Duration(s.rng.IntN(24*60)) * time.Minute)
			if s.rng.IntN(3) == 0 {
				ts = ts.AddDate(0, 0, -1-s.rng.IntN(5))
			}
			r := &srcRow{id: s.nextID, grp: s.rng.IntN(5), v: s.rng.IntN(100), ts: ts}
			s.nextID++
			s.rows[r.id] = r
			s.write(r, step, true)
		case op < 7: // update
			if r := s.pick(func(r *srcRow) bool { return !r.deleted }); r != nil {
				r.v = s.rng.IntN(100)
				s.write(r, step, true)
			}
		case op < 8: // update that forgets to move updated_at
			if r := s.pick(func(r *srcRow) bool { return !r.deleted }); r != nil {
				r.v = s.rng.IntN(100)
				s.write(r, step, false)
			}
		case op < 9: // soft delete
			if r := s.pick(func(r *srcRow) bool { return !r.deleted }); r != nil {
				r.deleted = true
				s.write(r, step, true)
			}
		default: // undelete
			if r := s.pick(func(r *srcRow) bool { return r.deleted }); r != nil {
				r.deleted = false
				s.write(r, step, true)
			}
		}
	}
}

func sqlTime(t time.Time) string { return "TIMESTAMP '" + t.Format(time.DateTime) + "'" }

// store writes src and log to the database.
func (s *source) store(e *incEnv) {
	ids := make([]int, 0, len(s.rows))
	for id := range s.rows {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	vals := make([]string, len(ids))
	for i, id := range ids {
		r := s.rows[id]
		vals[i] = fmt.Sprintf("(%d, %d, %d, %s, %s, %d, %t)", r.id, r.grp, r.v, sqlTime(r.ts), sqlTime(r.upd), r.loaded, r.deleted)
	}
	logVals := make([]string, len(s.log))
	for i, l := range s.log {
		logVals[i] = fmt.Sprintf("(%d, %d, %d)", l[0], l[1], l[2])
	}
	e.exec("CREATE OR REPLACE TABLE src AS SELECT * FROM (VALUES "+strings.Join(vals, ", ")+") v(id, grp, v, ts, upd, loaded, deleted)",
		"CREATE OR REPLACE TABLE log AS SELECT * FROM (VALUES "+strings.Join(logVals, ", ")+") v(id, loaded, v)")
}

// propModel is an incremental model: its select for a full build, and for
// an incremental run that reads what was loaded after lower.
type propModel struct {
	name string
	opt  warehouse.IncrementalOptions
	full string
	inc  func(lower int) string
}

func propModels() []propModel {
	agg := func(key, where string) string {
		return "SELECT " + key + ", count(*) FILTER (WHERE NOT deleted) AS n, coalesce(sum(v) FILTER (WHERE NOT deleted), 0) AS s, " +
			"max(loaded) AS loaded FROM src " + where + " GROUP BY ALL"
	}
	rows := "SELECT id, grp, v, ts, loaded, deleted FROM src"
	return []propModel{
		{name: "rows_merge", opt: warehouse.IncrementalOptions{Strategy: "merge", UniqueKey: []string{"id"}},
			full: rows, inc: func(lower int) string { return fmt.Sprintf("%s WHERE loaded > %d", rows, lower) }},
		{name: "rows_merge_composite", opt: warehouse.IncrementalOptions{Strategy: "merge", UniqueKey: []string{"grp", "id"},
			MergeUpdateColumns: []string{"v", "ts", "loaded", "deleted"}},
			full: rows, inc: func(lower int) string { return fmt.Sprintf("%s WHERE loaded > %d", rows, lower) }},
		{name: "latest_version_dedupe", opt: warehouse.IncrementalOptions{Strategy: "merge", UniqueKey: []string{"id"}, Dedupe: true},
			full: "SELECT id, loaded, v FROM log", inc: func(lower int) string { return fmt.Sprintf("SELECT id, loaded, v FROM log WHERE loaded > %d", lower) }},
		{name: "group_totals", opt: warehouse.IncrementalOptions{Strategy: "delete+insert", UniqueKey: []string{"grp"}},
			full: agg("grp", ""), inc: func(lower int) string {
				return agg("grp", fmt.Sprintf("WHERE grp IN (SELECT grp FROM src WHERE loaded > %d)", lower))
			}},
		{name: "daily_totals", opt: warehouse.IncrementalOptions{Strategy: "insert_overwrite", PartitionBy: "day"},
			full: agg("date_trunc('day', ts) AS day", ""), inc: func(lower int) string {
				return agg("date_trunc('day', ts) AS day", fmt.Sprintf("WHERE date_trunc('day', ts) IN (SELECT date_trunc('day', ts) FROM src WHERE loaded > %d)", lower))
			}},
	}
}

// microbatchSQL is the microbatch model's select for one window.
func microbatchSQL(start, end time.Time) string {
	return fmt.Sprintf("SELECT id, grp, v, ts FROM (SELECT * FROM src WHERE ts >= %s AND ts < %s) WHERE NOT deleted", sqlTime(start), sqlTime(end))
}

// sortedRows is a table's rows as sorted text: a multiset.
func (e *incEnv) sortedRows(q string) []string {
	e.t.Helper()
	r := e.rows(q)
	sort.Strings(r)
	return r
}

// tableState is what an interrupted run must leave untouched.
func (e *incEnv) tableState(name string) string {
	return strings.Join(e.columns(name), ",") + "\n" + strings.Join(e.sortedRows("SELECT * FROM "+name), "\n")
}

// interrupted runs fn with a context cancelled just before its stop-th
// statement. It reports whether the run was in fact interrupted.
func interrupted(t *testing.T, ctx context.Context, stop int, fn func(ctx context.Context) error) bool {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	seen := 0
	err := fn(withTrace(ctx, func(string) {
		seen++
		if seen == stop {
			cancel()
		}
	}))
	if seen < stop {
		require.NoError(t, err)
		return false
	}
	require.True(t, errors.Is(err, context.Canceled), "interrupted run: %v", err)
	return true
}

func propSeeds(t *testing.T, n int) []uint64 {
	var seed uint64
	if _, err := fmt.Sscan(strings.TrimSpace(os.Getenv("MART_PROPERTY_SEED")), &seed); err == nil {
		return []uint64{seed}
	}
	seeds := make([]uint64, n)
	for i := range seeds {
		seeds[i] = uint64(1000 + i)
	}
	return seeds
}

// TestIncrementalEqualsFullRefresh: after every step each incremental
// table equals its model built from scratch.
func TestIncrementalEqualsFullRefresh(t *testing.T) {
	const steps = 40
	for _, seed := range propSeeds(t, 3) {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			e := newMemEnv(t)
			rng := rand.New(rand.NewPCG(seed, 42))
			src := newSource(rng)
			models := propModels()
			lastDay := propEpoch
			for step := 1; step <= steps; step++ {
				src.mutate(step)
				src.store(e)
				for _, m := range models {
					runPropModel(t, e, rng, m, step)
				}
				runPropMicrobatch(t, e, rng, src, step, &lastDay)
			}
		})
	}
}

func runPropModel(t *testing.T, e *incEnv, rng *rand.Rand, m propModel, step int) {
	rel := warehouse.Relation{Name: m.name}
	what := fmt.Sprintf("step %d model %s", step, m.name)
	if step == 1 {
		_, err := e.w.Incremental(e.ctx, rel, m.full, m.opt)
		require.NoError(t, err, what)
	} else {
		mode := rng.IntN(6)
		if mode == 0 {
			return // this model does not run this time: the next batch is bigger
		}
		var lower int
		require.NoError(t, e.w.db.QueryRowContext(e.ctx, "SELECT coalesce(max(loaded), -1) FROM "+m.name).Scan(&lower))
		sql := m.inc(lower)
		if mode == 1 {
			before := e.tableState(m.name)
			if interrupted(t, e.ctx, 1+rng.IntN(8), func(ctx context.Context) error {
				_, err := e.w.Incremental(ctx, rel, sql, m.opt)
				return err
			}) {
				require.Equal(t, before, e.tableState(m.name), "%s: an interrupted run changed the table", what)
			}
		}
		_, err := e.w.Incremental(e.ctx, rel, sql, m.opt)
		require.NoError(t, err, what)
		if mode == 2 { // the same batch again
			_, err := e.w.Incremental(e.ctx, rel, sql, m.opt)
			require.NoError(t, err, what+" (again)")
		}
	}
	full := m.opt
	full.Replace = true
	_, err := e.w.Incremental(e.ctx, warehouse.Relation{Name: m.name + "__full"}, m.full, full)
	require.NoError(t, err)
	require.Equal(t, e.sortedRows("SELECT * FROM "+m.name+"__full"), e.sortedRows("SELECT * FROM "+m.name), "%s: incremental != full refresh", what)
}

// runPropMicrobatch reruns the day batches the step touched (a backfill of
// exactly the windows that changed, plus now and then one more, already up
// to date) and compares with a full build.
func runPropMicrobatch(t *testing.T, e *incEnv, rng *rand.Rand, src *source, step int, lastDay *time.Time) {
	rel := warehouse.Relation{Name: "live_rows"}
	opt := warehouse.IncrementalOptions{Strategy: "microbatch", EventTime: "ts"}
	if step > 1 && rng.IntN(5) == 0 {
		return // skipped: the touched days add up
	}
	days := make([]time.Time, 0, len(src.touched))
	for d := range src.touched {
		days = append(days, d)
	}
	if rng.IntN(3) == 0 {
		days = append(days, propEpoch.AddDate(0, 0, rng.IntN(1+int(lastDay.Sub(propEpoch).Hours()/24))))
	}
	sort.Slice(days, func(i, j int) bool { return days[i].Before(days[j]) })
	for i, d := range days {
		if d.After(*lastDay) {
			*lastDay = d
		}
		o := opt
		o.BatchStart, o.BatchEnd = d, d.AddDate(0, 0, 1)
		o.Replace = step == 1 && i == 0
		sql := microbatchSQL(o.BatchStart, o.BatchEnd)
		if !o.Replace && rng.IntN(6) == 0 {
			before := e.tableState("live_rows")
			if interrupted(t, e.ctx, 1+rng.IntN(7), func(ctx context.Context) error {
				_, err := e.w.Incremental(ctx, rel, sql, o)
				return err
			}) {
				require.Equal(t, before, e.tableState("live_rows"), "step %d: an interrupted batch changed the table", step)
			}
		}
		_, err := e.w.Incremental(e.ctx, rel, sql, o)
		require.NoError(t, err, "step %d batch %s", step, d)
	}
	clear(src.touched)
	want := e.sortedRows("SELECT id, grp, v, ts FROM src WHERE NOT deleted")
	require.Equal(t, want, e.sortedRows("SELECT * FROM live_rows"), "step %d: microbatch != full refresh", step)
}

// version is one row of the expected SCD2 history.
type version struct {
	id, grp, v int
	upd        time.Time // the source's updated_at (a column of the snapshot)
	metaUpd    time.Time // dbt_updated_at
	from       time.Time
	to         *time.Time
	deleted    bool
}

// history is the SCD2 model of a snapshot, computed independently of the
// adapter's SQL: it applies dbt's rules row by row.
type history struct {
	opt      warehouse.SnapshotOptions
	versions []*version
}

func (h *history) current(id int) *version {
	for _, v := range h.versions {
		if v.id == id && v.to == nil {
			return v
		}
	}
	return nil
}

// take records one snapshot run over the live source rows at now.
func (h *history) take(rows map[int]*srcRow, now time.Time) {
	timestamp := h.opt.Strategy == warehouse.SnapshotTimestamp
	start := func(r *srcRow) (from, upd time.Time) {
		if timestamp {
			return r.upd, r.upd
		}
		return now, now
	}
	live := map[int]*srcRow{}
	for id, r := range rows {
		if !r.deleted {
			live[id] = r
		}
	}
	var added []*version
	ids := make([]int, 0, len(h.versions))
	seen := map[int]bool{}
	for _, v := range h.versions {
		if v.to == nil && !seen[v.id] {
			seen[v.id] = true
			ids = append(ids, v.id)
		}
	}
	for _, id := range ids {
		cur := h.current(id)
		r, ok := live[id]
		switch {
		case ok && cur.deleted: // back after a deletion record
			t := now
			cur.to = &t
			_, upd := start(r)
			added = append(added, &version{id: id, grp: r.grp, v: r.v, upd: r.upd, metaUpd: upd, from: now})
		case ok:
			changed := cur.metaUpd.Before(r.upd)
			if !timestamp {
				changed = cur.v != r.v
			}
			if changed {
				from, upd := start(r)
				cur.to = &from
				added = append(added, &version{id: id, grp: r.grp, v: r.v, upd: r.upd, metaUpd: upd, from: from})
			}
		case cur.deleted || h.opt.HardDeletes == warehouse.HardDeletesIgnore:
		default:
			t := now
			cur.to = &t
			if h.opt.HardDeletes == warehouse.HardDeletesNewRecord {
				added = append(added, &version{id: id, grp: cur.grp, v: cur.v, upd: cur.upd, metaUpd: now, from: now, deleted: true})
			}
		}
	}
	for id, r := range live {
		if !seen[id] {
			from, upd := start(r)
			added = append(added, &version{id: id, grp: r.grp, v: r.v, upd: r.upd, metaUpd: upd, from: from})
		}
	}
	h.versions = append(h.versions, added...)
}

func (h *history) rows() []string {
	out := make([]string, len(h.versions))
	for i, v := range h.versions {
		to := "NULL"
		if v.to != nil {
			to = v.to.Format(time.DateTime)
		}
		out[i] = fmt.Sprintf("%d|%d|%d|%s|%s|%s|%s", v.id, v.grp, v.v, v.upd.Format(time.DateTime), v.metaUpd.Format(time.DateTime),
			v.from.Format(time.DateTime), to)
		if h.opt.HardDeletes == warehouse.HardDeletesNewRecord {
			out[i] += fmt.Sprintf("|%t", v.deleted)
		}
	}
	sort.Strings(out)
	return out
}

// TestSnapshotMatchesHistory: after every step the snapshot equals the
// history the Go model computes, for both strategies and every
// hard_deletes mode.
func TestSnapshotMatchesHistory(t *testing.T) {
	const steps = 30
	seeds := propSeeds(t, 1)
	for _, strategy := range []string{warehouse.SnapshotTimestamp, warehouse.SnapshotCheck} {
		for _, hd := range []string{warehouse.HardDeletesIgnore, warehouse.HardDeletesInvalidate, warehouse.HardDeletesNewRecord} {
			for _, seed := range seeds {
				t.Run(fmt.Sprintf("%s/%s/seed=%d", strategy, hd, seed), func(t *testing.T) {
					testSnapshotHistory(t, seed, steps, warehouse.SnapshotOptions{Strategy: strategy, UniqueKey: []string{"id"},
						UpdatedAt: "upd", CheckCols: []string{"v"}, HardDeletes: hd})
				})
				// the key as an expression (one-to-one with id): the same history
				t.Run(fmt.Sprintf("%s/%s/key-expression/seed=%d", strategy, hd, seed), func(t *testing.T) {
					testSnapshotHistory(t, seed, steps, warehouse.SnapshotOptions{Strategy: strategy, UniqueKey: []string{"(id * 7 + 3)"},
						UpdatedAt: "upd", CheckCols: []string{"v"}, HardDeletes: hd})
				})
			}
		}
	}
}

func testSnapshotHistory(t *testing.T, seed uint64, steps int, opt warehouse.SnapshotOptions) {
	e := newMemEnv(t)
	rng := rand.New(rand.NewPCG(seed, 7))
	src := newSource(rng)
	h := &history{opt: opt}
	rel := warehouse.Relation{Name: "snap"}
	query := "SELECT id, grp, v, upd, dbt_updated_at, dbt_valid_from, dbt_valid_to"
	if opt.HardDeletes == warehouse.HardDeletesNewRecord {
		query += ", dbt_is_deleted = 'True'"
	}
	query += " FROM snap"
	sel := "SELECT id, grp, v, upd FROM src WHERE NOT deleted"
	for step := 1; step <= steps; step++ {
		src.mutate(step)
		src.store(e)
		opt.Now = stepTime(step)
		if step > 1 && rng.IntN(4) == 0 {
			before := e.tableState("snap")
			if interrupted(t, e.ctx, 1+rng.IntN(12), func(ctx context.Context) error {
				_, err := e.w.Snapshot(ctx, rel, sel, opt)
				return err
			}) {
				require.Equal(t, before, e.tableState("snap"), "step %d: an interrupted snapshot changed the table", step)
			} else {
				h.take(src.rows, opt.Now)
				continue
			}
		}
		_, err := e.w.Snapshot(e.ctx, rel, sel, opt)
		require.NoError(t, err, "step %d", step)
		h.take(src.rows, opt.Now)
		if rng.IntN(5) == 0 { // the same source again, a minute later: no change
			again := opt
			again.Now = opt.Now.Add(time.Minute)
			res, err := e.w.Snapshot(e.ctx, rel, sel, again)
			require.NoError(t, err)
			require.Equal(t, warehouse.SnapshotResult{}, res, "step %d: a re-run changed the snapshot", step)
		}
		require.Equal(t, h.rows(), e.sortedRows(query), "step %d: snapshot != expected history", step)
		ids := e.rows("SELECT count(DISTINCT dbt_scd_id) = count(*) FROM snap")
		require.Equal(t, []string{"true"}, ids, "step %d: dbt_scd_id must be unique", step)
	}
}
