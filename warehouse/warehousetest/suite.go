package warehousetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"

	"github.com/mart-dev/mart/warehouse"
)

// Run runs the conformance suite. open must return a fresh, empty (or at
// least private) warehouse for each subtest; Run closes it when the subtest
// ends.
func Run(t *testing.T, open func(t *testing.T) warehouse.Warehouse) {
	tests := []struct {
		name string
		fn   func(e *env)
	}{
		{"Quoting", testQuoting},
		{"DialectSQL", testDialectSQL},
		{"CrossDB", testCrossDB},
		{"Diff", testDiff},
		{"Freshness", testFreshness},
		{"ReplaceTable", testReplaceTable},
		{"FailedCreateTableKeepsPrevious", testFailedCreateTable},
		{"ViewTableSwaps", testViewTableSwaps},
		{"CancelMidQuery", testCancel},
		{"ConcurrentCreateTable", testConcurrentCreate},
		{"ConcurrentReplaceSameTable", testConcurrentReplace},
		{"Describe", testDescribe},
		{"ListRelations", testListRelations},
		{"InsertAndDrop", testInsertAndDrop},
		{"ExecAndQuery", testExecAndQuery},
		{"Seeds", testSeeds},
		{"SeedErrors", testSeedErrors},
		{"SeedReplace", testSeedReplace},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(newEnv(t, open, strings.ToLower(tc.name)))
		})
	}
}

func testQuoting(e *env) {
	t, w := e.t, e.w
	literals := []string{`it's`, `''`, `"dq"`, `back\slash`, "new\nline", `-- not a comment`, `/* nor this */`, `ünïcödé ☃`, `$$`, ``}
	for i, ident := range e.d.nastyIdents {
		lit := literals[i%len(literals)]
		q := fmt.Sprintf("select %s as %s, %s as plain", w.QuoteString(lit), w.QuoteIdent(ident), w.QuoteString(ident))
		_, err := w.CreateTable(e.ctx, e.rel(ident), q, warehouse.TableOptions{})
		require.NoError(t, err, "identifier %q", ident)

		cols, kind, err := w.Describe(e.ctx, e.rel(ident))
		require.NoError(t, err)
		assert.Equal(t, "table", kind)
		require.Len(t, cols, 2)
		assert.Equal(t, ident, cols[0].Name)

		got := e.query(fmt.Sprintf("select %s, plain from %s", w.QuoteIdent(ident), e.sqlOf(ident)))
		assert.Equal(t, [][]string{{lit, ident}}, got, "identifier %q literal %q", ident, lit)
	}
	rels, err := w.ListRelations(e.ctx, "", e.schema)
	require.NoError(t, err)
	var names []string
	for _, r := range rels {
		names = append(names, r.Name)
	}
	assert.ElementsMatch(t, e.d.nastyIdents, names)

	// The default-schema form and the fully qualified form name the same
	// relation, and String is the unquoted form.
	assert.Equal(t, e.schema+".x", e.rel("x").String())
	assert.NotContains(t, w.RelationSQL(warehouse.Relation{Schema: "s", Name: "t"}), "..")
}

func testReplaceTable(e *env) {
	e.createIDs("t", 1)
	assert.Equal(e.t, strs(1), e.ids("t"))
	e.createIDs("t", 2, 3)
	assert.Equal(e.t, strs(2, 3), e.ids("t"))
	// A different column set replaces the table too.
	n, err := e.w.CreateTable(e.ctx, e.rel("t"), "select 4 as id, 'x' as extra;", warehouse.TableOptions{
		Description: "a table", ColumnDescriptions: map[string]string{"ID": "the id", "missing": "ignored"},
	})
	require.NoError(e.t, err)
	assert.Equal(e.t, int64(1), n)
	cols, _, err := e.w.Describe(e.ctx, e.rel("t"))
	require.NoError(e.t, err)
	assert.Len(e.t, cols, 2)
	e.noTemps()
}

func testFailedCreateTable(e *env) {
	t, w := e.t, e.w
	e.createIDs("t", 1, 2)
	failures := map[string]string{
		"runtime error":  "select cast('not a number' as integer) as id",
		"missing column": "select no_such_column as id from " + e.sqlOf("t"),
		"missing table":  "select id from " + e.sqlOf("no_such_table"),
		"syntax error":   "select id from from",
		"two statements": "select 5 as id; drop table " + e.sqlOf("t"),
	}
	for name, q := range failures {
		_, err := w.CreateTable(e.ctx, e.rel("t"), q, warehouse.TableOptions{})
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), e.schema, "%s: the error names the relation", name)
		assert.Equal(t, strs(1, 2), e.ids("t"), "%s: previous rows intact", name)
		assert.Equal(t, "table", e.kind("t"))
		e.noTemps()
	}

	// Over a view, and over nothing.
	require.NoError(t, w.CreateView(e.ctx, e.rel("v"), idsSQL(7)))
	_, err := w.CreateTable(e.ctx, e.rel("v"), failures["runtime error"], warehouse.TableOptions{})
	require.Error(t, err)
	assert.Equal(t, "view", e.kind("v"))
	assert.Equal(t, strs(7), e.ids("v"))
	_, err = w.CreateTable(e.ctx, e.rel("nothing"), failures["missing column"], warehouse.TableOptions{})
	require.Error(t, err)
	assert.Equal(t, "", e.kind("nothing"))
	e.noTemps()

	// A failing view leaves the previous view.
	require.Error(t, w.CreateView(e.ctx, e.rel("v"), failures["missing column"]))
	assert.Equal(t, strs(7), e.ids("v"))
}

func testViewTableSwaps(e *env) {
	t, w := e.t, e.w
	e.createIDs("base", 1, 2)
	require.NoError(t, w.CreateView(e.ctx, e.rel("v"), "select id from "+e.sqlOf("base")+" where id > 1"))
	assert.Equal(t, "view", e.kind("v"))
	assert.Equal(t, strs(2), e.ids("v"))

	// Replacing a table that a view selects from: the view sees the new rows.
	e.createIDs("base", 5, 6, 7)
	assert.Equal(t, strs(5, 6, 7), e.ids("v"))

	// Table over a view, then view over a table.
	e.createIDs("v", 9)
	assert.Equal(t, "table", e.kind("v"))
	assert.Equal(t, strs(9), e.ids("v"))
	require.NoError(t, w.CreateView(e.ctx, e.rel("v"), idsSQL(3, 4)))
	assert.Equal(t, "view", e.kind("v"))
	assert.Equal(t, strs(3, 4), e.ids("v"))
	// View over a view.
	require.NoError(t, w.CreateView(e.ctx, e.rel("v"), idsSQL(8)))
	assert.Equal(t, strs(8), e.ids("v"))

	// A view that depends on a view which becomes a table, and back.
	require.NoError(t, w.CreateView(e.ctx, e.rel("v2"), "select id from "+e.sqlOf("v")))
	e.createIDs("v", 10, 11)
	assert.Equal(t, strs(10, 11), e.ids("v2"))
	require.NoError(t, w.CreateView(e.ctx, e.rel("v"), idsSQL(12)))
	assert.Equal(t, strs(12), e.ids("v2"))
	e.noTemps()
}

func testCancel(e *env) {
	t, w := e.t, e.w
	e.createIDs("t", 1)
	for _, prev := range []string{"table", "view"} {
		name := "t"
		if prev == "view" {
			name = "v"
			require.NoError(t, w.CreateView(e.ctx, e.rel("v"), idsSQL(1)))
		}
		ctx, cancel := context.WithCancel(e.ctx)
		timer := time.AfterFunc(100*time.Millisecond, cancel)
		start := time.Now()
		_, err := w.CreateTable(ctx, e.rel(name), e.d.longQuery, warehouse.TableOptions{})
		elapsed := time.Since(start)
		timer.Stop()
		cancel()
		require.Error(t, err)
		assert.True(t, errors.Is(err, context.Canceled), "error should wrap context.Canceled: %v", err)
		assert.Less(t, elapsed, 20*time.Second, "cancellation must interrupt the running query")
		assert.Equal(t, prev, e.kind(name))
		assert.Equal(t, strs(1), e.ids(name))
		e.noTemps()
	}

	// Cancelling a plain query interrupts it too.
	ctx, cancel := context.WithTimeout(e.ctx, 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := w.Query(ctx, e.d.longQuery, 0)
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.DeadlineExceeded), "%v", err)
	assert.Less(t, time.Since(start), 20*time.Second)

	// An already cancelled context does nothing.
	ctx, cancel = context.WithCancel(e.ctx)
	cancel()
	_, err = w.CreateTable(ctx, e.rel("t"), idsSQL(5), warehouse.TableOptions{})
	require.Error(t, err)
	assert.Equal(t, strs(1), e.ids("t"))
	e.noTemps()
}

func testConcurrentCreate(e *env) {
	t, w := e.t, e.w
	schema := uniqueName("mart_test_conc")
	var g errgroup.Group
	g.SetLimit(8)
	for i := range 20 {
		g.Go(func() error {
			if err := w.EnsureSchema(e.ctx, "", schema); err != nil {
				return err
			}
			r := warehouse.Relation{Schema: schema, Name: fmt.Sprintf("t%02d", i)}
			n, err := w.CreateTable(e.ctx, r, idsSQL(i, i+100), warehouse.TableOptions{})
			if err == nil && n != 2 {
				err = fmt.Errorf("%s: %d rows, want 2", r, n)
			}
			if err == nil && i%3 == 0 {
				err = w.CreateView(e.ctx, warehouse.Relation{Schema: schema, Name: fmt.Sprintf("v%02d", i)},
					"select id from "+w.RelationSQL(r))
			}
			return err
		})
	}
	require.NoError(t, g.Wait())
	rels, err := w.ListRelations(e.ctx, "", schema)
	require.NoError(t, err)
	assert.Len(t, rels, 20+7)
	e.noTemps()
}

func testConcurrentReplace(e *env) {
	t, w := e.t, e.w
	var g errgroup.Group
	for i := range 4 {
		g.Go(func() error {
			for j := range 3 {
				id := i*10 + j
				if _, err := w.CreateTable(e.ctx, e.rel("same"), idsSQL(id, id), warehouse.TableOptions{}); err != nil {
					return err
				}
			}
			return nil
		})
	}
	require.NoError(t, g.Wait())
	got := e.ids("same")
	require.Len(t, got, 2)
	assert.Equal(t, got[0], got[1])
	e.noTemps()
}

func testDescribe(e *env) {
	t, w := e.t, e.w
	_, err := w.CreateTable(e.ctx, e.rel("t"), "select 1 as b_col, 'x' as a_col, true as c_col", warehouse.TableOptions{})
	require.NoError(t, err)
	cols, kind, err := w.Describe(e.ctx, e.rel("t"))
	require.NoError(t, err)
	assert.Equal(t, "table", kind)
	require.Len(t, cols, 3)
	assert.Equal(t, []string{"b_col", "a_col", "c_col"}, []string{cols[0].Name, cols[1].Name, cols[2].Name}, "column order is kept")
	for _, c := range cols {
		assert.NotEmpty(t, c.Type, c.Name)
	}
	require.NoError(t, w.CreateView(e.ctx, e.rel("v"), "select a_col from "+e.sqlOf("t")))
	cols, kind, err = w.Describe(e.ctx, e.rel("v"))
	require.NoError(t, err)
	assert.Equal(t, "view", kind)
	assert.Equal(t, []warehouse.Column{{Name: "a_col", Type: cols[0].Type}}, cols)

	cols, kind, err = w.Describe(e.ctx, e.rel("missing"))
	require.NoError(t, err)
	assert.Equal(t, "", kind)
	assert.Nil(t, cols)
	cols, kind, err = w.Describe(e.ctx, warehouse.Relation{Schema: uniqueName("no_such_schema"), Name: "t"})
	require.NoError(t, err)
	assert.Equal(t, "", kind)
	assert.Nil(t, cols)
}

func testListRelations(e *env) {
	checkListRelations(e, func(name string) { e.createIDs(name, 1) })
}

// checkListRelations lists a schema holding two tables (made by create)
// and a view, then a schema that does not exist.
func checkListRelations(e *env, create func(name string)) {
	t, w := e.t, e.w
	create("b_table")
	require.NoError(t, w.CreateView(e.ctx, e.rel("a_view"), idsSQL(1)))
	create("c_table")
	rels, err := w.ListRelations(e.ctx, "", e.schema)
	require.NoError(t, err)
	require.Len(t, rels, 3)
	assert.Equal(t, []string{"a_view", "b_table", "c_table"}, []string{rels[0].Name, rels[1].Name, rels[2].Name})
	for _, r := range rels {
		assert.Equal(t, e.schema, r.Schema)
		assert.Equal(t, "", r.Database)
	}
	rels, err = w.ListRelations(e.ctx, "", uniqueName("no_such_schema"))
	require.NoError(t, err)
	assert.Empty(t, rels)
}

func testInsertAndDrop(e *env) {
	t, w := e.t, e.w
	e.createIDs("t", 1)
	n, err := w.Insert(e.ctx, e.rel("t"), idsSQL(2, 3)+";")
	require.NoError(t, err)
	assert.Equal(t, int64(2), n)
	assert.Equal(t, strs(1, 2, 3), e.ids("t"))
	_, err = w.Insert(e.ctx, e.rel("t"), "select no_such_column")
	require.Error(t, err)
	assert.Equal(t, strs(1, 2, 3), e.ids("t"))

	require.NoError(t, w.CreateView(e.ctx, e.rel("v"), idsSQL(1)))
	require.NoError(t, w.Drop(e.ctx, e.rel("v")))
	require.NoError(t, w.Drop(e.ctx, e.rel("t")))
	require.NoError(t, w.Drop(e.ctx, e.rel("t")), "dropping a missing relation is not an error")
	assert.Equal(t, "", e.kind("t"))
	assert.Equal(t, "", e.kind("v"))
}

func testExecAndQuery(e *env) {
	t, w := e.t, e.w
	_, err := w.Exec(e.ctx, fmt.Sprintf("create table %s as %s; insert into %s %s",
		e.sqlOf("hooked"), idsSQL(1), e.sqlOf("hooked"), idsSQL(2)))
	require.NoError(t, err)
	assert.Equal(t, strs(1, 2), e.ids("hooked"))
	_, err = w.Exec(e.ctx, "select no_such_column from "+e.sqlOf("hooked"))
	require.Error(t, err)

	e.createIDs("t", 3, 1, 2)
	q := "select id, 'x' as label from " + e.sqlOf("t") + " order by id"
	rows, err := w.Query(e.ctx, q, 0)
	require.NoError(t, err)
	require.Len(t, rows.Columns, 2)
	assert.Equal(t, "id", rows.Columns[0].Name)
	assert.NotEmpty(t, rows.Columns[0].Type)
	assert.Len(t, rows.Values, 3)
	rows, err = w.Query(e.ctx, q+";", 2)
	require.NoError(t, err)
	require.Len(t, rows.Values, 2)
	assert.Equal(t, "1", fmt.Sprint(rows.Values[0][0]))
	assert.Equal(t, "x", rows.Values[1][1])
	rows, err = w.Query(e.ctx, "select id from "+e.sqlOf("t")+" where id > 100", 5)
	require.NoError(t, err)
	assert.Empty(t, rows.Values)
	assert.Len(t, rows.Columns, 1)
	_, err = w.Query(e.ctx, "select nope from "+e.sqlOf("t"), 5)
	require.Error(t, err)
}
