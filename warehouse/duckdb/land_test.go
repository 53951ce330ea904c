package duckdb

import (
	"context"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse"
)

var (
	t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	t1 = t0.Add(time.Hour)
)

func landTable(pk ...string) warehouse.LandTable {
	return warehouse.LandTable{
		Table:  warehouse.Relation{Schema: "raw", Name: "items"},
		State:  warehouse.Relation{Schema: "raw", Name: warehouse.ExtractStateTable},
		Stream: "src.items", PrimaryKey: pk,
	}
}

var itemCols = []warehouse.LandColumn{
	{Name: "id", Type: warehouse.LandType{Kind: warehouse.LandInt64}},
	{Name: "name", Type: warehouse.LandType{Kind: warehouse.LandText}},
}

func openLanding(t *testing.T, w *Warehouse, lt warehouse.LandTable) warehouse.Landing {
	t.Helper()
	l, err := w.Land(context.Background(), lt)
	require.NoError(t, err)
	t.Cleanup(func() { _ = l.Close() })
	return l
}

// at closes *l, if open, and opens a landing of lt that stamps rows with ts.
func at(t *testing.T, w *Warehouse, l *warehouse.Landing, lt warehouse.LandTable, ts time.Time) {
	t.Helper()
	if *l != nil {
		require.NoError(t, (*l).Close())
	}
	lt.ExtractedAt = ts
	*l = openLanding(t, w, lt)
}

func stageRows(t *testing.T, l warehouse.Landing, kind warehouse.BatchKind, cols []warehouse.LandColumn, rows ...[]any) {
	t.Helper()
	n, err := l.Stage(context.Background(), warehouse.Batch{Kind: kind, Columns: cols}, func(add func([]any) error) error {
		for _, r := range rows {
			if err := add(r); err != nil {
				return err
			}
		}
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, int64(len(rows)), n)
}

func commit(t *testing.T, l warehouse.Landing, c warehouse.LandCommit) warehouse.LandCounts {
	t.Helper()
	n, err := l.Commit(context.Background(), c)
	require.NoError(t, err)
	return n
}

func queryAll(t *testing.T, w *Warehouse, q string) [][]any {
	t.Helper()
	rows, err := w.Query(context.Background(), q, 0)
	require.NoError(t, err)
	return rows.Values
}

func TestLandMergeByKey(t *testing.T) {
	w := openTemp(t, Config{})
	lt := landTable("id")
	var l warehouse.Landing
	at(t, w, &l, lt, t0)
	st, err := l.State(context.Background())
	require.NoError(t, err)
	assert.Nil(t, st)
	stageRows(t, l, warehouse.BatchRows, itemCols, []any{int64(1), "a"}, []any{int64(2), "b"}, []any{int64(3), nil})
	n := commit(t, l, warehouse.LandCommit{State: []byte(`{"cursor":1}`)})
	assert.Equal(t, warehouse.LandCounts{Inserted: 3}, n)

	// the same rows again change nothing, not even the extraction time
	at(t, w, &l, lt, t1)
	stageRows(t, l, warehouse.BatchRows, itemCols, []any{int64(1), "a"}, []any{int64(2), "b"}, []any{int64(3), nil})
	n = commit(t, l, warehouse.LandCommit{State: []byte(`{"cursor":2}`)})
	assert.Equal(t, warehouse.LandCounts{}, n)

	// an update and an insert
	stageRows(t, l, warehouse.BatchRows, itemCols, []any{int64(2), "B"}, []any{int64(4), "d"})
	n = commit(t, l, warehouse.LandCommit{State: []byte(`{"cursor":3}`)})
	assert.Equal(t, warehouse.LandCounts{Inserted: 1, Updated: 1}, n)
	assert.Equal(t, [][]any{
		{int64(1), "a", t0}, {int64(2), "B", t1}, {int64(3), nil, t0}, {int64(4), "d", t1},
	}, queryAll(t, w, `select id, name, _mart_extracted_at from raw.items order by id`))

	st, err = l.State(context.Background())
	require.NoError(t, err)
	assert.JSONEq(t, `{"cursor":3}`, string(st))

	// the keys of the source: 1 and 4 were deleted there
	keyCols := itemCols[:1]
	stageRows(t, l, warehouse.BatchKeys, keyCols, []any{int64(2)}, []any{int64(3)})
	n = commit(t, l, warehouse.LandCommit{State: []byte(`{"cursor":4}`), Whole: true})
	assert.Equal(t, warehouse.LandCounts{Deleted: 2}, n)
	assert.Equal(t, [][]any{{int64(2)}, {int64(3)}}, queryAll(t, w, `select id from raw.items order by id`))
}

func TestLandWholeBatchDeletesMissing(t *testing.T) {
	w := openTemp(t, Config{})
	lt := landTable("id")
	var l warehouse.Landing
	at(t, w, &l, lt, t0)
	stageRows(t, l, warehouse.BatchRows, itemCols, []any{int64(1), "a"}, []any{int64(2), "b"})
	commit(t, l, warehouse.LandCommit{State: []byte(`{}`), Whole: true})
	at(t, w, &l, lt, t1)
	stageRows(t, l, warehouse.BatchRows, itemCols, []any{int64(2), "b"}, []any{int64(3), "c"})
	n := commit(t, l, warehouse.LandCommit{State: []byte(`{}`), Whole: true})
	assert.Equal(t, warehouse.LandCounts{Inserted: 1, Deleted: 1}, n)
	assert.Equal(t, [][]any{{int64(2), "b"}, {int64(3), "c"}}, queryAll(t, w, `select id, name from raw.items order by id`))
}

func TestLandKeepDeleted(t *testing.T) {
	w := openTemp(t, Config{})
	lt := landTable("id")
	lt.KeepDeleted = true
	var l warehouse.Landing
	at(t, w, &l, lt, t0)
	stageRows(t, l, warehouse.BatchRows, itemCols, []any{int64(1), "a"}, []any{int64(2), "b"})
	commit(t, l, warehouse.LandCommit{State: []byte(`{}`), Whole: true})
	at(t, w, &l, lt, t1)
	stageRows(t, l, warehouse.BatchRows, itemCols, []any{int64(2), "b"})
	n := commit(t, l, warehouse.LandCommit{State: []byte(`{}`), Whole: true})
	assert.Equal(t, warehouse.LandCounts{Deleted: 1}, n)
	// marking again changes nothing
	at(t, w, &l, lt, t1.Add(time.Hour))
	stageRows(t, l, warehouse.BatchRows, itemCols, []any{int64(2), "b"})
	n = commit(t, l, warehouse.LandCommit{State: []byte(`{}`), Whole: true})
	assert.Equal(t, warehouse.LandCounts{}, n)
	assert.Equal(t, [][]any{{int64(1), t1}, {int64(2), nil}}, queryAll(t, w, `select id, _mart_deleted_at from raw.items order by id`))
	// a row back in the source is no longer deleted
	at(t, w, &l, lt, t1)
	stageRows(t, l, warehouse.BatchRows, itemCols, []any{int64(1), "a"}, []any{int64(2), "b"})
	n = commit(t, l, warehouse.LandCommit{State: []byte(`{}`), Whole: true})
	assert.Equal(t, warehouse.LandCounts{Updated: 1}, n)
	assert.Equal(t, [][]any{{int64(1), nil}, {int64(2), nil}}, queryAll(t, w, `select id, _mart_deleted_at from raw.items order by id`))
}

func TestLandChanges(t *testing.T) {
	w := openTemp(t, Config{})
	lt := landTable("id")
	var l warehouse.Landing
	at(t, w, &l, lt, t0)
	stageRows(t, l, warehouse.BatchRows, itemCols, []any{int64(1), "a"}, []any{int64(2), "b"})
	commit(t, l, warehouse.LandCommit{State: []byte(`{}`)})
	at(t, w, &l, lt, t1)
	stageRows(t, l, warehouse.BatchChanges, itemCols,
		[]any{int64(3), "c", warehouse.ChangeUpsert},
		[]any{int64(1), "a1", warehouse.ChangeUpsert},
		[]any{int64(2), nil, warehouse.ChangeDelete},
		[]any{int64(3), "c2", warehouse.ChangeUpsert},
		[]any{int64(4), "d", warehouse.ChangeUpsert},
		[]any{int64(4), nil, warehouse.ChangeDelete},
		[]any{int64(5), nil, warehouse.ChangeDelete},
	)
	n := commit(t, l, warehouse.LandCommit{State: []byte(`{"lsn":"0/1"}`)})
	assert.Equal(t, warehouse.LandCounts{Inserted: 1, Updated: 1, Deleted: 1}, n)
	assert.Equal(t, [][]any{{int64(1), "a1"}, {int64(3), "c2"}}, queryAll(t, w, `select id, name from raw.items order by id`))
}

func TestLandUnkeyedWholeReplacesOnlyWhenChanged(t *testing.T) {
	w := openTemp(t, Config{})
	lt := landTable()
	var l warehouse.Landing
	at(t, w, &l, lt, t0)
	stageRows(t, l, warehouse.BatchRows, itemCols, []any{int64(1), "a"}, []any{int64(1), "a"})
	commit(t, l, warehouse.LandCommit{State: []byte(`{}`), Whole: true})
	at(t, w, &l, lt, t1)
	stageRows(t, l, warehouse.BatchRows, itemCols, []any{int64(1), "a"}, []any{int64(1), "a"})
	n := commit(t, l, warehouse.LandCommit{State: []byte(`{}`), Whole: true})
	assert.Equal(t, warehouse.LandCounts{}, n)
	stageRows(t, l, warehouse.BatchRows, itemCols, []any{int64(1), "a"}, []any{int64(2), "b"})
	n = commit(t, l, warehouse.LandCommit{State: []byte(`{}`), Whole: true})
	assert.Equal(t, warehouse.LandCounts{Inserted: 1, Deleted: 1}, n)
	assert.Equal(t, [][]any{{int64(1), "a", t1}, {int64(2), "b", t1}}, queryAll(t, w, `select id, name, _mart_extracted_at from raw.items order by id`))
}

func TestLandTypes(t *testing.T) {
	w := openTemp(t, Config{})
	lt := landTable("id")
	var l warehouse.Landing
	big38, _ := new(big.Int).SetString("12345678901234567890123456789012345678", 10)
	cols := []warehouse.LandColumn{
		{Name: "id", Type: warehouse.LandType{Kind: warehouse.LandUUID}},
		{Name: "amount", Type: warehouse.LandType{Kind: warehouse.LandDecimal, Precision: 10, Scale: 2}},
		{Name: "huge", Type: warehouse.LandType{Kind: warehouse.LandDecimal, Precision: 38, Scale: 0}},
		{Name: "doc", Type: warehouse.LandType{Kind: warehouse.LandJSON}},
		{Name: "at", Type: warehouse.LandType{Kind: warehouse.LandTimestampTZ}},
		{Name: "day", Type: warehouse.LandType{Kind: warehouse.LandDate}},
		{Name: "raw", Type: warehouse.LandType{Kind: warehouse.LandBytes}},
		{Name: "tags", Type: warehouse.LandType{Kind: warehouse.LandList, Elem: &warehouse.LandType{Kind: warehouse.LandText}}},
		{Name: "ok", Type: warehouse.LandType{Kind: warehouse.LandBool}},
		{Name: "ratio", Type: warehouse.LandType{Kind: warehouse.LandFloat32}},
	}
	id := []byte{0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78}
	at(t, w, &l, lt, t0)
	stageRows(t, l, warehouse.BatchRows, cols, []any{id, int64(1234), big38, `{"a": [1, 2]}`, t0, time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC),
		[]byte{0, 1}, []any{"x", nil}, true, float64(0.5)})
	commit(t, l, warehouse.LandCommit{State: []byte(`{}`)})
	rows := queryAll(t, w, `select id::varchar, amount::varchar, huge::varchar, doc->>'$.a[1]', typeof(doc), "at", day::varchar, raw, tags, ok, ratio from raw.items`)
	assert.Equal(t, [][]any{{"12345678-1234-5678-1234-567812345678", "12.34", "12345678901234567890123456789012345678", "2", "JSON", t0,
		"2026-01-02", []byte{0, 1}, []any{"x", nil}, true, float32(0.5)}}, rows)
	// the same row again is no change (JSON compared as landed)
	at(t, w, &l, lt, t1)
	stageRows(t, l, warehouse.BatchRows, cols, []any{id, int64(1234), big38, `{"a": [1, 2]}`, t0, time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC),
		[]byte{0, 1}, []any{"x", nil}, true, float64(0.5)})
	assert.Equal(t, warehouse.LandCounts{}, commit(t, l, warehouse.LandCommit{State: []byte(`{}`)}))
}

func TestLandSchemaEvolution(t *testing.T) {
	w := openTemp(t, Config{})
	lt := landTable("id")
	var l warehouse.Landing
	cols := []warehouse.LandColumn{
		{Name: "id", Type: warehouse.LandType{Kind: warehouse.LandInt32}},
		{Name: "amount", Type: warehouse.LandType{Kind: warehouse.LandDecimal, Precision: 10, Scale: 2}},
	}
	at(t, w, &l, lt, t0)
	stageRows(t, l, warehouse.BatchRows, cols, []any{int64(1), int64(150)})
	commit(t, l, warehouse.LandCommit{State: []byte(`{"v":1}`)})

	// widened key and amount, and a new column
	wider := []warehouse.LandColumn{
		{Name: "id", Type: warehouse.LandType{Kind: warehouse.LandInt64}},
		{Name: "amount", Type: warehouse.LandType{Kind: warehouse.LandDecimal, Precision: 12, Scale: 4}},
		{Name: "note", Type: warehouse.LandType{Kind: warehouse.LandText}},
	}
	stageRows(t, l, warehouse.BatchRows, wider, []any{int64(5000000000), int64(12345), "n"})
	commit(t, l, warehouse.LandCommit{State: []byte(`{"v":2}`)})
	assert.Equal(t, [][]any{{"id", "BIGINT"}, {"amount", "DECIMAL(12,4)"}, {"_mart_extracted_at", "TIMESTAMP WITH TIME ZONE"}, {"note", "VARCHAR"}},
		queryAll(t, w, `select column_name, data_type from information_schema.columns where table_name = 'items' order by ordinal_position`))
	assert.Equal(t, [][]any{{"1", "1.5000", nil}, {"5000000000", "1.2345", "n"}}, queryAll(t, w, `select id::varchar, amount::varchar, note from raw.items order by id`))

	// a type that does not widen fails naming the column, and changes nothing
	bad := []warehouse.LandColumn{{Name: "id", Type: warehouse.LandType{Kind: warehouse.LandInt64}}, {Name: "amount", Type: warehouse.LandType{Kind: warehouse.LandBool}}}
	at(t, w, &l, lt, t1)
	stageRows(t, l, warehouse.BatchRows, bad, []any{int64(7), true})
	_, err := l.Commit(context.Background(), warehouse.LandCommit{State: []byte(`{"v":3}`)})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `column "amount" changed type in the source from DECIMAL(12,4) to BOOLEAN`)
	st, err := l.State(context.Background())
	require.NoError(t, err)
	assert.JSONEq(t, `{"v":2}`, string(st))
	assert.Len(t, queryAll(t, w, `select * from raw.items`), 2)
}

func TestLandKeyErrorsLeaveTableAndState(t *testing.T) {
	w := openTemp(t, Config{})
	lt := landTable("id")
	var l warehouse.Landing
	at(t, w, &l, lt, t0)
	stageRows(t, l, warehouse.BatchRows, itemCols, []any{int64(1), "a"})
	commit(t, l, warehouse.LandCommit{State: []byte(`{"v":1}`)})

	at(t, w, &l, lt, t1)
	stageRows(t, l, warehouse.BatchRows, itemCols, []any{int64(2), "a"}, []any{int64(2), "b"}, []any{int64(1), "z"})
	_, err := l.Commit(context.Background(), warehouse.LandCommit{State: []byte(`{"v":2}`)})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "primary key [id] is not unique in the source: id = 2 occurs 2 times")

	stageRows(t, l, warehouse.BatchRows, itemCols, []any{nil, "a"})
	_, err = l.Commit(context.Background(), warehouse.LandCommit{State: []byte(`{"v":2}`)})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "primary key [id] is NULL in 1 source rows")

	assert.Equal(t, [][]any{{int64(1), "a"}}, queryAll(t, w, `select id, name from raw.items`))
	st, err := l.State(context.Background())
	require.NoError(t, err)
	assert.JSONEq(t, `{"v":1}`, string(st))
}

func TestLandRebuildAndStateOnly(t *testing.T) {
	w := openTemp(t, Config{})
	lt := landTable("id")
	var l warehouse.Landing
	at(t, w, &l, lt, t0)
	stageRows(t, l, warehouse.BatchRows, itemCols, []any{int64(1), "a"})
	commit(t, l, warehouse.LandCommit{State: []byte(`{"v":1}`)})
	commit(t, l, warehouse.LandCommit{State: []byte(`{"v":2}`), NoBatch: true})
	st, err := l.State(context.Background())
	require.NoError(t, err)
	assert.JSONEq(t, `{"v":2}`, string(st))

	// a rebuild replaces the table with the first batch (a key batch too)
	lt.Rebuild = true
	for _, kind := range []warehouse.BatchKind{warehouse.BatchRows, warehouse.BatchChanges} {
		at(t, w, &l, lt, t1)
		if kind == warehouse.BatchRows {
			stageRows(t, l, kind, itemCols, []any{int64(2), "b"})
		} else {
			stageRows(t, l, kind, itemCols, []any{int64(2), "b", warehouse.ChangeUpsert})
		}
		n := commit(t, l, warehouse.LandCommit{State: []byte(`{"v":3}`)})
		assert.Equal(t, warehouse.LandCounts{Inserted: 1}, n)
		// the second commit of a session merges
		stageRows(t, l, warehouse.BatchRows, itemCols, []any{int64(3), "c"})
		n = commit(t, l, warehouse.LandCommit{State: []byte(`{"v":4}`)})
		assert.Equal(t, warehouse.LandCounts{Inserted: 1}, n)
		assert.Equal(t, [][]any{{int64(2), "b", t1}, {int64(3), "c", t1}}, queryAll(t, w, `select id, name, _mart_extracted_at from raw.items order by id`))
		assert.Equal(t, [][]any{{int64(1)}}, queryAll(t, w, `select count(*) from raw._mart_extract_state`))
	}
}

// TestLandDirect: the first batch of a new table is appended straight into
// it, in a transaction that commits with the state, or leaves nothing.
func TestLandDirect(t *testing.T) {
	w := openTemp(t, Config{})
	lt := landTable("id")
	var l warehouse.Landing
	at(t, w, &l, lt, t0)
	stageRows(t, l, warehouse.BatchRows, itemCols, []any{int64(1), "a"}, []any{int64(1), "b"})
	assert.Empty(t, queryAll(t, w, `select * from duckdb_tables() where temporary`), "no staging table")
	_, err := l.Commit(context.Background(), warehouse.LandCommit{State: []byte(`{"v":1}`)})
	require.ErrorContains(t, err, "primary key [id] is not unique in the source: id = 1 occurs 2 times")
	assert.Empty(t, queryAll(t, w, `select * from information_schema.tables where table_name = 'items'`), "rolled back")

	// staged, then the session closed without a commit: nothing either
	stageRows(t, l, warehouse.BatchRows, itemCols, []any{int64(1), "a"})
	require.NoError(t, l.Close())
	l = nil
	assert.Empty(t, queryAll(t, w, `select * from information_schema.tables where table_name = 'items'`))

	at(t, w, &l, lt, t0)
	stageRows(t, l, warehouse.BatchRows, itemCols, []any{int64(1), "a"}, []any{int64(2), nil})
	assert.Equal(t, warehouse.LandCounts{Inserted: 2}, commit(t, l, warehouse.LandCommit{State: []byte(`{"v":1}`)}))
	assert.Equal(t, [][]any{{int64(1), "a", t0}, {int64(2), nil, t0}}, queryAll(t, w, `select id, name, _mart_extracted_at from raw.items order by id`))
	assert.Equal(t, [][]any{{nil}}, queryAll(t, w, `select column_default from information_schema.columns where table_name = 'items' and column_name = '_mart_extracted_at'`))
	st, err := l.State(context.Background())
	require.NoError(t, err)
	assert.JSONEq(t, `{"v":1}`, string(st))
}

func TestLandFiles(t *testing.T) {
	w := openTemp(t, Config{})
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	require.NoError(t, os.WriteFile(a, []byte("id,name\n1,x\n2,y\n"), 0o644))
	require.NoError(t, os.WriteFile(b, []byte("id,name,score\n3,z,1.5\n"), 0o644))
	lt := landTable()
	var l warehouse.Landing
	at(t, w, &l, lt, t0)
	fs, ok := l.(warehouse.FileStager)
	require.True(t, ok)
	ctx := context.Background()
	cols, n, err := fs.StageFiles(ctx, warehouse.FormatCSV, []string{a, b}, []string{"a.csv", "b.csv"})
	require.NoError(t, err)
	assert.Equal(t, int64(3), n)
	assert.Equal(t, []warehouse.Column{{Name: "id", Type: "BIGINT"}, {Name: "name", Type: "VARCHAR"}, {Name: "score", Type: "DOUBLE"}, {Name: "_mart_file", Type: "VARCHAR"}}, cols)
	commit(t, l, warehouse.LandCommit{State: []byte(`{}`)})

	// a.csv changed: its rows are replaced; b.csv is gone
	require.NoError(t, os.WriteFile(a, []byte("id,name\n1,x2\n"), 0o644))
	at(t, w, &l, lt, t1)
	fs = l.(warehouse.FileStager)
	_, _, err = fs.StageFiles(ctx, warehouse.FormatCSV, []string{a}, []string{"a.csv"})
	require.NoError(t, err)
	cn := commit(t, l, warehouse.LandCommit{State: []byte(`{}`), DeleteFiles: []string{"b.csv"}})
	assert.Equal(t, warehouse.LandCounts{Inserted: 1, Deleted: 3}, cn)
	assert.Equal(t, [][]any{{int64(1), "x2", "a.csv", nil}}, queryAll(t, w, `select id, name, _mart_file, score from raw.items order by id`))
}

func TestLandSerializesOneTable(t *testing.T) {
	w := openTemp(t, Config{})
	l := openLanding(t, w, landTable("id"))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := w.Land(ctx, landTable("id"))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.NoError(t, l.Close())
	l2, err := w.Land(context.Background(), landTable("id"))
	require.NoError(t, err)
	require.NoError(t, l2.Close())
}
