package bigquery

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse"
	"github.com/mart-dev/mart/warehouse/bigquery/bqfake"
)

var landT0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func landTable(pk ...string) warehouse.LandTable {
	return warehouse.LandTable{Table: warehouse.Relation{Schema: "raw", Name: "orders"},
		State: warehouse.Relation{Schema: "raw", Name: warehouse.ExtractStateTable}, Stream: "shop.orders",
		PrimaryKey: pk, KeyEnforced: true, ExtractedAt: landT0}
}

var (
	landCols = []warehouse.LandColumn{
		{Name: "id", Type: warehouse.LandType{Kind: warehouse.LandInt64}},
		{Name: "amount", Type: warehouse.LandType{Kind: warehouse.LandDecimal, Precision: 12, Scale: 2}},
		{Name: "note", Type: warehouse.LandType{Kind: warehouse.LandText}},
	}
	landRows = [][]any{{int64(1), int64(1250), "a"}, {int64(2), int64(-5), nil}}
	oldCols  = []bqfake.Field{{Name: "id", Type: "INT64"}, {Name: "amount", Type: "NUMERIC", Mode: ""},
		{Name: "_mart_extracted_at", Type: "TIMESTAMP"}}
)

type landCase struct {
	name   string
	lt     warehouse.LandTable
	kind   warehouse.BatchKind
	cols   []warehouse.LandColumn
	rows   [][]any
	commit warehouse.LandCommit
	table  []bqfake.Field // the raw table before, if any
}

func landCases() []landCase {
	keep := landTable("id")
	keep.KeepDeleted = true
	loose := landTable("id")
	loose.KeyEnforced = false
	rebuild := landTable("id")
	rebuild.Rebuild = true
	changes := append(slices.Clone(landRows), nil)
	changes[0], changes[1], changes[2] = []any{int64(1), int64(1250), "a", "u"}, []any{int64(2), nil, nil, "d"}, []any{int64(1), int64(1300), "b", "u"}
	return []landCase{
		{name: "first_load", lt: landTable("id"), kind: warehouse.BatchRows, cols: landCols, rows: landRows,
			commit: warehouse.LandCommit{State: []byte(`{"version":1}`)}},
		{name: "merge_evolve", lt: loose, kind: warehouse.BatchRows, cols: landCols, rows: landRows, table: oldCols,
			commit: warehouse.LandCommit{State: []byte(`{"version":1,"position":[{"t":"int","v":"2"}]}`)}},
		{name: "whole_keep_deleted", lt: keep, kind: warehouse.BatchRows, cols: landCols, rows: landRows, table: oldCols,
			commit: warehouse.LandCommit{State: []byte(`{}`), Whole: true}},
		{name: "keys", lt: landTable("id"), kind: warehouse.BatchKeys, cols: landCols[:1], rows: [][]any{{int64(1)}}, table: oldCols,
			commit: warehouse.LandCommit{State: []byte(`{}`), Whole: true}},
		{name: "changes", lt: landTable("id"), kind: warehouse.BatchChanges, cols: landCols, rows: changes, table: oldCols,
			commit: warehouse.LandCommit{State: []byte(`{"lsn":"0/16B3748"}`)}},
		{name: "unkeyed_whole", lt: landTable(), kind: warehouse.BatchRows, cols: landCols, rows: landRows, table: oldCols,
			commit: warehouse.LandCommit{State: []byte(`{}`), Whole: true}},
		{name: "rebuild", lt: rebuild, kind: warehouse.BatchRows, cols: landCols, rows: landRows, table: oldCols,
			commit: warehouse.LandCommit{State: []byte(`{}`), Whole: true}},
		{name: "state_only", lt: landTable("id"), table: append(slices.Clip(oldCols), bqfake.Field{Name: "_mart_file", Type: "STRING"}),
			commit: warehouse.LandCommit{State: []byte(`{"lsn":"0/2"}`), NoBatch: true, DeleteFiles: []string{"data/a.csv"}}},
	}
}

// TestLandGoldenSQL lands a batch of each kind into the fake and pins
// every statement and script in testdata/land/ (`go test -update`
// rewrites them), and the uploaded rows.
func TestLandGoldenSQL(t *testing.T) {
	for _, c := range landCases() {
		t.Run(c.name, func(t *testing.T) {
			e := newFake(t)
			e.fake.AddDataset("proj", "raw", "EU")
			if c.table != nil {
				e.fake.AddTable(bqfake.Table{Project: "proj", Dataset: "raw", Name: "orders", Schema: c.table, NumRows: 2})
			}
			e.fake.OnQuery(`SELECT mart_inserted AS inserted`, bqfake.Result{
				Schema: []bqfake.Field{{Name: "inserted", Type: "INT64"}, {Name: "updated", Type: "INT64"}, {Name: "deleted", Type: "INT64"}},
				Rows:   [][]any{{int64(1), int64(2), int64(3)}}})
			e.fake.OnQuery(`SELECT TO_JSON_STRING\(state\)`, bqfake.Result{Schema: []bqfake.Field{{Name: "state", Type: "STRING"}}})
			l, err := e.w.Land(e.ctx, c.lt)
			require.NoError(t, err)
			defer l.Close()
			st, err := l.State(e.ctx)
			require.NoError(t, err)
			assert.Nil(t, st)
			if !c.commit.NoBatch {
				n, err := l.Stage(e.ctx, warehouse.Batch{Kind: c.kind, Columns: c.cols}, func(add func([]any) error) error {
					for _, r := range c.rows {
						if err := add(r); err != nil {
							return err
						}
					}
					return nil
				})
				require.NoError(t, err)
				assert.Equal(t, int64(len(c.rows)), n)
			}
			counts, err := l.Commit(e.ctx, c.commit)
			require.NoError(t, err)
			assert.Equal(t, warehouse.LandCounts{Inserted: 1, Updated: 2, Deleted: 3}, counts)
			var i int
			for _, j := range e.fake.Jobs() {
				i++
				name := fmt.Sprintf("%s.%d", c.name, i)
				switch {
				case j.Type == "QUERY":
					checkGolden(t, filepath.Join("testdata", "land", name+".sql"), normalizeSQL(j.Query)+"\n")
				case j.Load != nil:
					assert.Equal(t, "NEWLINE_DELIMITED_JSON", j.Load.SourceFormat)
					checkGolden(t, filepath.Join("testdata", "land", name+".ndjson"), string(j.Load.Data))
				}
			}
		})
	}
}

// TestLandTypesAsJSON pins how each extracted type is written for a load.
func TestLandTypesAsJSON(t *testing.T) {
	huge, _ := new(big.Int).SetString("-123456789012345678901234567890", 10)
	for _, c := range []struct {
		v    any
		t    warehouse.LandType
		want string
	}{
		{int64(42), warehouse.LandType{Kind: warehouse.LandInt64}, `"42"`},
		{int64(1250), warehouse.LandType{Kind: warehouse.LandDecimal, Precision: 10, Scale: 2}, `"12.50"`},
		{huge, warehouse.LandType{Kind: warehouse.LandDecimal, Precision: 38, Scale: 5}, `"-1234567890123456789012345.67890"`},
		{0.1, warehouse.LandType{Kind: warehouse.LandFloat64}, `0.1`},
		{"a\"b\n", warehouse.LandType{Kind: warehouse.LandText}, `"a\"b\n"`},
		{[]byte{0, 255}, warehouse.LandType{Kind: warehouse.LandBytes}, `"AP8="`},
		{landT0, warehouse.LandType{Kind: warehouse.LandTimestampTZ}, `"2026-01-02 03:04:05+00:00"`},
		{landT0, warehouse.LandType{Kind: warehouse.LandTimestamp}, `"2026-01-02 03:04:05"`},
		{landT0, warehouse.LandType{Kind: warehouse.LandDate}, `"2026-01-02"`},
		{`{"a": [1, null]}`, warehouse.LandType{Kind: warehouse.LandJSON}, `{"a": [1, null]}`},
		{[]any{int64(1), nil}, warehouse.LandType{Kind: warehouse.LandList, Elem: &warehouse.LandType{Kind: warehouse.LandInt32}}, `[1,null]`},
		{[]byte{0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78},
			warehouse.LandType{Kind: warehouse.LandUUID}, `"12345678-1234-5678-1234-567812345678"`},
		{nil, warehouse.LandType{Kind: warehouse.LandText}, `null`},
	} {
		got, err := jsonValue(c.v, c.t)
		require.NoError(t, err)
		assert.Equal(t, c.want, got, "%v as %s", c.v, c.t)
	}
}

func TestLandWidening(t *testing.T) {
	for _, c := range []struct{ have, want, got string }{
		{"INT64", "NUMERIC(12, 2)", "NUMERIC(21, 2)"},
		{"NUMERIC(10, 2)", "NUMERIC(12, 4)", "NUMERIC(12, 4)"},
		{"NUMERIC(12, 4)", "NUMERIC(10, 2)", "NUMERIC(12, 4)"},
		{"NUMERIC(10, 2)", "INT64", "NUMERIC(21, 2)"},
		{"INT64", "FLOAT64", "FLOAT64"},
		{"FLOAT64", "INT64", "FLOAT64"},
		{"NUMERIC(10, 2)", "BIGNUMERIC(40, 20)", "BIGNUMERIC(40, 20)"},
		{"STRING", "STRING", "STRING"},
		{"STRING", "INT64", ""},
		{"TIMESTAMP", "DATETIME", ""},
	} {
		got, ok := widenLanded(c.have, c.want)
		assert.Equal(t, c.got, got, "%s to %s", c.have, c.want)
		assert.Equal(t, c.got != "", ok)
	}
}

func TestLandTypeChangeFails(t *testing.T) {
	e := newFake(t)
	e.fake.AddDataset("proj", "raw", "EU")
	e.fake.AddTable(bqfake.Table{Project: "proj", Dataset: "raw", Name: "orders", Schema: []bqfake.Field{{Name: "id", Type: "INT64"},
		{Name: "note", Type: "INT64"}}})
	l, err := e.w.Land(e.ctx, landTable("id"))
	require.NoError(t, err)
	defer l.Close()
	_, err = l.Stage(e.ctx, warehouse.Batch{Columns: landCols}, func(add func([]any) error) error { return add(landRows[0]) })
	require.NoError(t, err)
	_, err = l.Commit(context.Background(), warehouse.LandCommit{State: []byte(`{}`)})
	require.ErrorContains(t, err, `column "note" changed type in the source from INT64 to STRING, which does not widen`)
	for _, j := range e.fake.Jobs() {
		assert.NotContains(t, j.Query, "MERGE", "nothing ran")
	}
}

// TestZetaSQLParsesLandGolden parses the landing's golden SQL with
// GoogleSQL's parser, as TestZetaSQLParsesGolden does the others.
func TestZetaSQLParsesLandGolden(t *testing.T) {
	s := startZetaSQL(t)
	files, err := filepath.Glob(filepath.Join("testdata", "land", "*.sql"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		sql, err := os.ReadFile(f)
		require.NoError(t, err)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err = s.Parse(ctx, string(sql))
		cancel()
		if err != nil {
			t.Errorf("%s: GoogleSQL rejects it: %v", f, err)
		}
	}
}
