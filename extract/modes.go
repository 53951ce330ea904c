package extract

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/mart-dev/mart/warehouse"
)

// Extract lands the table with r in the table's mode: full (one batch, or
// keyset chunks for a schemaless store) or incremental (keyset chunks by
// cursor and primary key, each committed with its position), then
// reconciles deletes by primary key when the table asks for it.
func (j *Job) Extract(ctx context.Context, r Reader) error {
	s, err := r.Describe(ctx)
	if err != nil {
		return err
	}
	key, enforced, err := j.resolveKey(s)
	if err != nil {
		return err
	}
	if err := j.Open(ctx, key, enforced); err != nil {
		return err
	}
	j.SetEstimate(s.EstimatedRows)
	switch {
	case j.Config.Mode == ModeFull && s.Columns != nil:
		return j.full(ctx, r, s)
	case j.Config.Mode == ModeFull:
		if len(key) == 0 {
			return fmt.Errorf("a full load of a schemaless store goes by its primary key, and there is none")
		}
		if err := j.chunks(ctx, r, key, nil); err != nil {
			return err
		}
		return j.reconcile(ctx, r, s, key)
	case j.Config.Mode == ModeIncremental:
		if err := j.incremental(ctx, r, s, key); err != nil {
			return err
		}
		if j.Config.Deletes == DeletesReconcile {
			return j.reconcile(ctx, r, s, key)
		}
		return nil
	}
	return fmt.Errorf("mode %s is not offered by %s sources", j.Config.Mode, j.Config.From)
}

// resolveKey returns the primary key rows are merged by: extract.primary_key
// or the store's, and whether the store enforces it.
func (j *Job) resolveKey(s *Schema) ([]string, bool, error) {
	key := j.Config.PrimaryKey
	if len(key) == 0 {
		key = s.PrimaryKey
	}
	if s.Columns != nil {
		for _, k := range key {
			if findColumn(s.Columns, k) < 0 {
				return nil, false, fmt.Errorf("primary_key: %q is not a column of %s (columns: %s)", k, j.Object, columnNames(s.Columns))
			}
		}
	}
	needKey := j.Config.Mode != ModeFull || j.Config.Deletes == DeletesReconcile || j.Config.KeepDeleted
	if len(key) == 0 && needKey {
		return nil, false, fmt.Errorf("no usable key: %s has no primary key and extract.primary_key is not set; "+
			"mode %s needs one to merge rows by (or use mode: full)", j.Object, j.Config.Mode)
	}
	enforced := s.KeyEnforced && len(s.PrimaryKey) == len(key)
	for _, k := range key {
		enforced = enforced && slices.ContainsFunc(s.PrimaryKey, func(p string) bool { return strings.EqualFold(p, k) })
	}
	return key, enforced, nil
}

// full stages every row in one batch and commits it whole: rows gone from
// the source are deleted (or the table replaced, without a key).
func (j *Job) full(ctx context.Context, r Reader, s *Schema) error {
	b := &batch{}
	var err error
	if br, ok := r.(BlockReader); ok {
		err = br.ReadAllBlocks(ctx, j.blockStager(ctx, b, nil))
	} else {
		err = r.ReadAll(ctx, j.stager(ctx, b, nil))
	}
	if err != nil {
		return err
	}
	st := j.NewState()
	st.Columns = stateColumns(b.cols)
	return j.Commit(ctx, st, warehouse.LandCommit{Whole: true})
}

// incremental reads keyset chunks by (cursor, primary key), from the
// stored position minus the lookback.
func (j *Job) incremental(ctx context.Context, r Reader, s *Schema, key []string) error {
	cursor := j.Config.Cursor
	if s.Columns != nil {
		i := findColumn(s.Columns, cursor)
		if i < 0 {
			return fmt.Errorf("cursor: %q is not a column of %s (columns: %s)", cursor, j.Object, columnNames(s.Columns))
		}
		if !orderable(s.Columns[i].Type) {
			return fmt.Errorf("cursor: %q is of type %s, which cannot be a cursor (use a timestamp, date or number that grows on every change)",
				cursor, s.Columns[i].Type)
		}
	}
	order := keysetOrder(cursor, key)
	var from any
	if prev := j.State(); prev != nil && slices.Equal(prev.Order, order) && len(prev.Position) > 0 {
		stored := prev.Position[0].V
		max, err := r.Max(ctx, cursor)
		if err != nil {
			return err
		}
		c, err := compareValues(max, stored)
		if err != nil {
			return fmt.Errorf("cursor %s: %w", cursor, err)
		}
		if c < 0 {
			return fmt.Errorf("cursor %s went backwards: the source's greatest value is %s, below %s stored by the last extract "+
				"(was the source restored or the column rewritten? run with --full-refresh to start over)", cursor, showValue(max), showValue(stored))
		}
		if from, err = behind(stored, j.Config); err != nil {
			return err
		}
	} else if prev != nil && len(prev.Position) > 0 {
		j.Warn("the cursor or primary key changed since the last extract (%v, now %v): reading the whole table again", prev.Order, order)
	}
	return j.chunks(ctx, r, order, from)
}

// keysetOrder is the cursor followed by the key columns that are not it.
func keysetOrder(cursor string, key []string) []string {
	order := []string{cursor}
	for _, k := range key {
		if !strings.EqualFold(k, cursor) {
			order = append(order, k)
		}
	}
	return order
}

// chunks reads keyset chunks in order, from (inclusive, on the first
// order column) or the start, committing each with its position.
func (j *Job) chunks(ctx context.Context, r Reader, order []string, from any) error {
	var after []any
	committed := false
	for {
		b := &batch{order: order}
		q := Chunk{Order: order, After: after, Limit: j.Config.ChunkSize}
		if after == nil {
			q.From = from
		}
		var err error
		if br, ok := r.(BlockReader); ok {
			err = br.ReadChunkBlocks(ctx, q, j.blockStager(ctx, b, order))
		} else {
			err = r.ReadChunk(ctx, q, j.stager(ctx, b, order))
		}
		if err != nil {
			return err
		}
		if b.rows == 0 && (committed || j.prev != nil) {
			break
		}
		// an empty first batch still lands: it makes the (empty) table
		st := j.NewState()
		st.Order, st.Columns = order, stateColumns(b.cols)
		if b.rows > 0 {
			st.Position = values(j.furthest(order, b.last))
		}
		if err := j.Commit(ctx, st, warehouse.LandCommit{}); err != nil {
			return err
		}
		committed = true
		if b.rows < int64(j.Config.ChunkSize) {
			break
		}
		after = b.last
	}
	return nil
}

// furthest returns pos, or the stored position when that is further: a
// chunk re-read behind it (the lookback) must not move the stream back,
// or a run that finds nothing new would rewrite its state.
func (j *Job) furthest(order []string, pos []any) []any {
	prev := j.State()
	if prev == nil || !slices.Equal(prev.Order, order) || len(prev.Position) != len(pos) {
		return pos
	}
	stored := plain(prev.Position)
	for i := range pos {
		c, err := compareValues(pos[i], stored[i])
		if err != nil || c > 0 {
			return pos
		}
		if c < 0 {
			return stored
		}
	}
	return pos
}

// reconcile stages the primary keys of every source row, read in keyset
// chunks, and commits them whole: table rows whose key is gone from the
// source are deleted (or marked deleted).
func (j *Job) reconcile(ctx context.Context, r Reader, s *Schema, key []string) error {
	keyCols, err := keyColumns(s, key)
	if err != nil {
		return err
	}
	j.SetPhase(PhaseReconcile)
	_, err = j.Stage(ctx, warehouse.BatchKeys, keyCols, func(add func(row []any) error) error {
		var after []any
		for {
			b := &batch{order: key}
			q := Chunk{Columns: key, Order: key, After: after, Limit: j.Config.ChunkSize}
			err := r.ReadChunk(ctx, q, func(cols []warehouse.LandColumn, fill func(add func(row []any) error) error) error {
				if len(cols) != len(keyCols) {
					return fmt.Errorf("internal error: key chunk of %d columns for a key of %d", len(cols), len(keyCols))
				}
				b.cols = cols
				return fill(func(row []any) error {
					b.track(row)
					return add(row)
				})
			})
			if err != nil || b.rows < int64(j.Config.ChunkSize) {
				return err
			}
			after = b.last
		}
	})
	if err != nil {
		return err
	}
	st, err := decodeState(j.committed)
	if err != nil || st == nil {
		st = j.NewState()
	}
	return j.Commit(ctx, st, warehouse.LandCommit{Whole: true})
}

// keyColumns returns the key's columns with their types.
func keyColumns(s *Schema, key []string) ([]warehouse.LandColumn, error) {
	cols := s.Columns
	if cols == nil {
		cols = s.Keys
	}
	out := make([]warehouse.LandColumn, len(key))
	for i, k := range key {
		c := findColumn(cols, k)
		if c < 0 {
			return nil, fmt.Errorf("primary key column %q: its type is unknown", k)
		}
		out[i] = cols[c]
	}
	return out, nil
}

// batch follows one staged batch: its columns, its rows, and the order
// values of its last row.
type batch struct {
	order []string
	idx   []int // positions of order in cols
	cols  []warehouse.LandColumn
	rows  int64
	last  []any
}

func (b *batch) track(row []any) {
	b.rows++
	if b.order == nil {
		return
	}
	b.index()
	for i, c := range b.idx {
		if c >= 0 {
			b.last[i] = row[c]
		}
	}
}

// index finds the order columns in the batch's, once.
func (b *batch) index() {
	if b.idx != nil {
		return
	}
	b.idx = make([]int, len(b.order))
	for i, o := range b.order {
		b.idx[i] = findColumn(b.cols, o)
	}
	b.last = make([]any, len(b.order))
}

// stager stages a reader's batch through the job, following it in b.
func (j *Job) stager(ctx context.Context, b *batch, order []string) Stager {
	return func(cols []warehouse.LandColumn, fill func(add func(row []any) error) error) error {
		b.cols = cols
		for _, o := range order {
			if findColumn(cols, o) < 0 {
				return fmt.Errorf("internal error: the batch has no column %q to order by", o)
			}
		}
		_, err := j.Stage(ctx, warehouse.BatchRows, cols, func(add func(row []any) error) error {
			return fill(func(row []any) error {
				b.track(row)
				return add(row)
			})
		})
		return err
	}
}

func findColumn(cols []warehouse.LandColumn, name string) int {
	for i, c := range cols {
		if strings.EqualFold(c.Name, name) {
			return i
		}
	}
	return -1
}

func columnNames(cols []warehouse.LandColumn) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

// orderable reports whether a column of type t can be a cursor.
func orderable(t warehouse.LandType) bool {
	switch t.Kind {
	case warehouse.LandInt16, warehouse.LandInt32, warehouse.LandInt64, warehouse.LandDecimal, warehouse.LandFloat64,
		warehouse.LandFloat32, warehouse.LandDate, warehouse.LandTimestamp, warehouse.LandTimestampTZ, warehouse.LandText:
		return true
	}
	return false
}
