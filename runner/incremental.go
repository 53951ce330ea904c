package runner

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/warehouse"
)

// runIncremental builds an incremental model. The first run, a full
// refresh (--full-refresh, or the model's full_refresh config, which wins
// over the flag), or a view in the model's place builds the table from the
// model as written; later runs render it with is_incremental() true and
// apply its strategy. Either way the warehouse checks the batch (duplicate
// keys, dedupe), so a full refresh yields what the incremental runs do.
func (r *Runner) runIncremental(ctx context.Context, n *compiler.Node, res *NodeResult) error {
	inc, ok := r.wh.(warehouse.Incrementer)
	if !ok {
		return fmt.Errorf("model %s: the %s adapter does not support incremental models", n.Name, r.wh.Name())
	}
	opt, err := incrementalOptions(n)
	if err != nil {
		return fmt.Errorf("model %s: %w", n.Name, err)
	}
	rel := relationOf(n)
	kind, err := warehouse.KindOf(ctx, r.wh, rel)
	if err != nil {
		return sqlError(n, err)
	}
	full := n.Config.Bool("full_refresh", r.opt.FullRefresh)
	if opt.Strategy == warehouse.StrategyMicrobatch {
		return r.runMicrobatch(ctx, n, res, inc, opt, kind != "table" || full)
	}
	var sql string
	if kind != "table" || full {
		opt.Replace = true
		if sql, err = r.sqlOf(ctx, n, res); err != nil {
			return err
		}
	} else if sql, err = r.opt.Renderer.RenderNode(ctx, n.UniqueID, compiler.RenderOptions{Log: r.opt.Log, Print: r.opt.Print, Incremental: true, Warehouse: r.wh}); err != nil {
		return fmt.Errorf("rendering %s for an incremental run: %w", n.Name, err)
	}
	if _, err := r.checkContract(ctx, n, sql, false); err != nil {
		return err
	}
	out, err := inc.Incremental(ctx, rel, sql, opt)
	if err != nil {
		return sqlError(n, err)
	}
	res.RowsAffected = out.Rows
	res.Message = incrementalMessage(opt, out)
	return nil
}

// incrementalOptions reads an incremental model's config.
func incrementalOptions(n *compiler.Node) (warehouse.IncrementalOptions, error) {
	c := n.Config
	opt := warehouse.IncrementalOptions{
		Strategy:              c.String("incremental_strategy"),
		UniqueKey:             c.Strings("unique_key"),
		MergeUpdateColumns:    c.Strings("merge_update_columns"),
		MergeExcludeColumns:   c.Strings("merge_exclude_columns"),
		IncrementalPredicates: c.Strings("incremental_predicates"),
		PartitionBy:           c["partition_by"],
		Partitions:            c.Strings("partitions"),
		OnSchemaChange:        c.String("on_schema_change"),
		Dedupe:                c.Bool("dedupe", false),
		EventTime:             c.String("event_time"),
		Table:                 tableOptions(n),
	}
	if opt.OnSchemaChange != "" && !slices.Contains(warehouse.SchemaChangeModes, opt.OnSchemaChange) {
		// the compile warned: dbt ignores schema changes then, and so does mart
		opt.OnSchemaChange = warehouse.SchemaIgnore
	}
	if opt.Strategy == "" || opt.Strategy == "default" {
		opt.Strategy = warehouse.StrategyAppend
		if len(opt.UniqueKey) > 0 {
			opt.Strategy = warehouse.StrategyMerge
		}
	}
	if opt.Strategy == warehouse.StrategyMicrobatch {
		// Validate wants a window; the batches supply it.
		probe := opt
		probe.BatchStart, probe.BatchEnd = time.Unix(0, 0), time.Unix(1, 0)
		return opt, probe.Validate()
	}
	return opt, opt.Validate()
}

func incrementalMessage(opt warehouse.IncrementalOptions, out warehouse.IncrementalResult) string {
	var msg string
	switch {
	case out.Created:
		msg = fmt.Sprintf("CREATE TABLE (%d rows)", out.Rows)
	case opt.Strategy == warehouse.StrategyMerge && len(opt.UniqueKey) > 0:
		msg = fmt.Sprintf("MERGE %d", out.Rows)
	case opt.Strategy == warehouse.StrategyAppend || opt.Strategy == warehouse.StrategyMerge:
		msg = fmt.Sprintf("INSERT %d", out.Rows)
	default:
		msg = fmt.Sprintf("%s: DELETE %d, INSERT %d", strings.ToUpper(opt.Strategy), out.Deleted, out.Rows)
	}
	if out.Deduplicated > 0 {
		msg += fmt.Sprintf("; dropped %d duplicate rows (dedupe)", out.Deduplicated)
	}
	if len(out.SchemaChanges) > 0 {
		msg += "; " + strings.Join(out.SchemaChanges, ", ")
	}
	return msg
}

// microbatch is a model's batching config.
type microbatch struct {
	size     string    // hour, day, month or year
	lookback int       // batches before the latest event time to redo
	begin    time.Time // where the first run starts (zero: not set)
}

func microbatchConfig(n *compiler.Node) (microbatch, error) {
	mb := microbatch{size: strings.ToLower(n.Config.String("batch_size")), lookback: 1}
	switch mb.size {
	case "hour", "day", "month", "year":
	case "":
		return mb, fmt.Errorf("incremental_strategy microbatch needs batch_size (hour, day, month or year)")
	default:
		return mb, fmt.Errorf("unknown batch_size %q (expected hour, day, month or year)", mb.size)
	}
	if v, ok := n.Config["lookback"]; ok && v != nil {
		l, err := strconv.Atoi(fmt.Sprint(v))
		if err != nil || l < 0 {
			return mb, fmt.Errorf("lookback must be a whole number of batches, not %v", v)
		}
		mb.lookback = l
	}
	switch v := n.Config["begin"].(type) {
	case nil:
	case time.Time:
		mb.begin = v.UTC()
	default:
		t, err := parseTime(fmt.Sprint(v))
		if err != nil {
			return mb, fmt.Errorf("begin: %w", err)
		}
		mb.begin = t
	}
	return mb, nil
}

// parseTime reads a date or timestamp (UTC unless it says otherwise).
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.DateOnly, time.DateTime, "2006-01-02T15:04:05", time.RFC3339, "2006-01-02 15:04:05Z07:00"} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date (2026-03-01) or timestamp (2026-03-01 10:00:00)", s)
}

// truncate returns the start of the batch holding t.
func truncate(t time.Time, size string) time.Time {
	t = t.UTC()
	switch size {
	case "hour":
		return t.Truncate(time.Hour)
	case "day":
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	case "month":
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	default:
		return time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	}
}

// addBatches moves t by k batches.
func addBatches(t time.Time, size string, k int) time.Time {
	switch size {
	case "hour":
		return t.Add(time.Duration(k) * time.Hour)
	case "day":
		return t.AddDate(0, 0, k)
	case "month":
		return t.AddDate(0, k, 0)
	default:
		return t.AddDate(k, 0, 0)
	}
}

// batchWindows splits [start, end) into whole batches: start is rounded
// down and end up to batch boundaries.
func batchWindows(start, end time.Time, size string) [][2]time.Time {
	var out [][2]time.Time
	for s := truncate(start, size); s.Before(end); s = addBatches(s, size, 1) {
		out = append(out, [2]time.Time{s, addBatches(s, size, 1)})
	}
	return out
}

// microbatchRange decides which window to (re)build. --event-time-start
// and --event-time-end win. Otherwise the run starts lookback batches
// before the latest event time in the table, or at begin when the table is
// missing, empty or being rebuilt, and ends with the batch holding now.
func (r *Runner) microbatchRange(ctx context.Context, inc warehouse.Incrementer, n *compiler.Node, mb microbatch, rebuild bool, eventTime string) (time.Time, time.Time, error) {
	start, end := r.opt.EventTimeStart, r.opt.EventTimeEnd
	if end.IsZero() {
		end = time.Now()
	}
	if !start.IsZero() {
		return start, end, nil
	}
	if !rebuild {
		latest, ok, err := inc.LatestEventTime(ctx, relationOf(n), eventTime)
		if err != nil {
			return start, end, sqlError(n, err)
		}
		if ok {
			return addBatches(truncate(latest, mb.size), mb.size, -mb.lookback), end, nil
		}
	}
	if mb.begin.IsZero() {
		return start, end, fmt.Errorf("model %s: a microbatch model needs a begin config (or --event-time-start) to know where its first run starts", n.Name)
	}
	return mb.begin, end, nil
}

// runMicrobatch builds the model one batch at a time: each batch renders
// the model with its inputs filtered to the batch's window and replaces
// exactly that window of the table, in its own transaction, so a failed
// batch can be retried alone and batches already done stay done. When
// rebuild is set (first run, full refresh) the first batch replaces the
// whole table.
func (r *Runner) runMicrobatch(ctx context.Context, n *compiler.Node, res *NodeResult, inc warehouse.Incrementer, opt warehouse.IncrementalOptions, rebuild bool) error {
	mb, err := microbatchConfig(n)
	if err != nil {
		return fmt.Errorf("model %s: %w", n.Name, err)
	}
	start, end, err := r.microbatchRange(ctx, inc, n, mb, rebuild, opt.EventTime)
	if err != nil {
		return err
	}
	windows := batchWindows(start, end, mb.size)
	if len(windows) == 0 {
		res.RowsAffected = 0
		res.Message = fmt.Sprintf("MICROBATCH 0 batches (nothing in [%s, %s))", start.Format(time.DateTime), end.Format(time.DateTime))
		return nil
	}
	var rows, deleted int64
	var changes []string
	for i, w := range windows {
		bopt := opt
		bopt.BatchStart, bopt.BatchEnd = w[0], w[1]
		bopt.Replace = rebuild && i == 0
		out, err := r.runBatch(ctx, inc, n, bopt)
		if err != nil {
			return fmt.Errorf("batch %d of %d [%s, %s) failed (the %d batches before it are committed; "+
				"rerun with --event-time-start %q to go on from this one): %w", i+1, len(windows),
				w[0].Format(time.DateTime), w[1].Format(time.DateTime), i, w[0].Format(time.DateTime), err)
		}
		rows += out.Rows
		deleted += out.Deleted
		changes = append(changes, out.SchemaChanges...)
	}
	res.RowsAffected = rows
	res.Message = fmt.Sprintf("MICROBATCH %d batches of a %s from %s to %s: DELETE %d, INSERT %d", len(windows), mb.size,
		windows[0][0].Format(time.DateTime), windows[len(windows)-1][1].Format(time.DateTime), deleted, rows)
	if len(changes) > 0 {
		res.Message += "; " + strings.Join(changes, ", ")
	}
	return nil
}

func (r *Runner) runBatch(ctx context.Context, inc warehouse.Incrementer, n *compiler.Node, opt warehouse.IncrementalOptions) (warehouse.IncrementalResult, error) {
	sql, err := r.opt.Renderer.RenderNode(ctx, n.UniqueID, compiler.RenderOptions{Log: r.opt.Log, Print: r.opt.Print, Incremental: !opt.Replace,
		BatchStart: opt.BatchStart, BatchEnd: opt.BatchEnd, Warehouse: r.wh})
	if err != nil {
		return warehouse.IncrementalResult{}, fmt.Errorf("rendering %s: %w", n.Name, err)
	}
	out, err := inc.Incremental(ctx, relationOf(n), sql, opt)
	if err != nil {
		return out, sqlError(n, err)
	}
	return out, nil
}
