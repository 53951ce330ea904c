package warehousetest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"

	"github.com/mart-dev/mart/warehouse"
)

// Statements that fail in every engine; RunCatalog's open function must
// make an engine that does not execute SQL (a fake) fail them too, for
// example with a rule per pattern: "not a number", "no_such_column",
// "from from", "no_such_type". A missing table and a `;` inside the
// SELECT it must detect by itself.
var catalogFailures = map[string]string{
	"runtime error":  "select cast('not a number' as integer) as id",
	"missing column": "select no_such_column as id",
	"syntax error":   "select id from from",
}

// RunCatalog runs the part of the conformance suite that does not read
// rows back, for fakes of an engine that keep its catalog but do not
// execute SQL (warehouse/bigquery/bqfake): atomic replacement seen through
// the relations' kinds, failures and cancellation leaving the previous
// relation and no temporary one, view/table swaps, concurrency, catalog
// listing, Exec, and seeds (row counts and validation). Adapters that run
// against a real engine use [Run], which checks all of this and the data.
func RunCatalog(t *testing.T, open func(t *testing.T) warehouse.Warehouse) {
	tests := []struct {
		name string
		fn   func(e *env)
	}{
		{"Quoting", catQuoting},
		{"FailedCreateTableKeepsPrevious", catFailedCreate},
		{"ViewTableSwaps", catSwaps},
		{"CancelMidQuery", catCancel},
		{"Concurrency", catConcurrency},
		{"DescribeAndList", catDescribeList},
		{"InsertDropExec", catInsertDropExec},
		{"Seeds", catSeeds},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(newEnv(t, open, "cat_"+strings.ToLower(tc.name)))
		})
	}
}

// make creates table name from ids, without checking the row count.
func (e *env) make(name string, ids ...int) {
	e.t.Helper()
	_, err := e.w.CreateTable(e.ctx, e.rel(name), idsSQL(ids...), warehouse.TableOptions{})
	require.NoError(e.t, err)
}

func catQuoting(e *env) {
	t, w := e.t, e.w
	for _, ident := range e.d.nastyIdents {
		q := fmt.Sprintf("select %s as %s", w.QuoteString(ident), w.QuoteIdent(ident))
		_, err := w.CreateTable(e.ctx, e.rel(ident), q, warehouse.TableOptions{})
		require.NoError(t, err, "identifier %q", ident)
		assert.Equal(t, "table", e.kind(ident))
	}
	rels, err := w.ListRelations(e.ctx, "", e.schema)
	require.NoError(t, err)
	var names []string
	for _, r := range rels {
		names = append(names, r.Name)
	}
	assert.ElementsMatch(t, e.d.nastyIdents, names)
	assert.NotContains(t, w.RelationSQL(warehouse.Relation{Schema: "s", Name: "t"}), "..")
}

func catFailedCreate(e *env) {
	t, w := e.t, e.w
	e.make("t", 1, 2)
	failures := map[string]string{
		"missing table":  "select id from " + e.sqlOf("no_such_table"),
		"two statements": "select 5 as id; drop table " + e.sqlOf("t"),
	}
	for k, v := range catalogFailures {
		failures[k] = v
	}
	for name, q := range failures {
		_, err := w.CreateTable(e.ctx, e.rel("t"), q, warehouse.TableOptions{})
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), e.schema, "%s: the error names the relation", name)
		assert.Equal(t, "table", e.kind("t"), name)
		e.noTemps()
	}
	require.NoError(t, w.CreateView(e.ctx, e.rel("v"), idsSQL(7)))
	_, err := w.CreateTable(e.ctx, e.rel("v"), catalogFailures["runtime error"], warehouse.TableOptions{})
	require.Error(t, err)
	assert.Equal(t, "view", e.kind("v"))
	_, err = w.CreateTable(e.ctx, e.rel("nothing"), catalogFailures["missing column"], warehouse.TableOptions{})
	require.Error(t, err)
	assert.Equal(t, "", e.kind("nothing"))
	require.Error(t, w.CreateView(e.ctx, e.rel("v"), catalogFailures["missing column"]))
	assert.Equal(t, "view", e.kind("v"))
	e.make("t2", 1)
	require.Error(t, w.CreateView(e.ctx, e.rel("t2"), catalogFailures["missing column"]))
	assert.Equal(t, "table", e.kind("t2"), "a failing view over a table keeps the table")
	e.noTemps()
}

func catSwaps(e *env) {
	t, w := e.t, e.w
	e.make("base", 1, 2)
	require.NoError(t, w.CreateView(e.ctx, e.rel("v"), "select id from "+e.sqlOf("base")+" where id > 1"))
	assert.Equal(t, "view", e.kind("v"))
	e.make("v", 9)
	assert.Equal(t, "table", e.kind("v"))
	require.NoError(t, w.CreateView(e.ctx, e.rel("v"), idsSQL(3, 4)))
	assert.Equal(t, "view", e.kind("v"))
	require.NoError(t, w.CreateView(e.ctx, e.rel("v"), idsSQL(8)))
	assert.Equal(t, "view", e.kind("v"))
	e.make("base", 5, 6, 7)
	assert.Equal(t, "table", e.kind("base"))
	e.noTemps()
}

func catCancel(e *env) {
	t, w := e.t, e.w
	e.make("t", 1)
	require.NoError(t, w.CreateView(e.ctx, e.rel("v"), idsSQL(1)))
	for name, prev := range map[string]string{"t": "table", "v": "view"} {
		ctx, cancel := context.WithCancel(e.ctx)
		timer := time.AfterFunc(100*time.Millisecond, cancel)
		start := time.Now()
		_, err := w.CreateTable(ctx, e.rel(name), e.d.longQuery, warehouse.TableOptions{})
		timer.Stop()
		cancel()
		require.Error(t, err)
		assert.True(t, errors.Is(err, context.Canceled), "error should wrap context.Canceled: %v", err)
		assert.Less(t, time.Since(start), 20*time.Second)
		assert.Equal(t, prev, e.kind(name))
		e.noTemps()
	}
	ctx, cancel := context.WithTimeout(e.ctx, 100*time.Millisecond)
	defer cancel()
	_, err := w.Query(ctx, e.d.longQuery, 0)
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.DeadlineExceeded), "%v", err)

	ctx, cancel = context.WithCancel(e.ctx)
	cancel()
	_, err = w.CreateTable(ctx, e.rel("fresh"), idsSQL(5), warehouse.TableOptions{})
	require.Error(t, err)
	assert.Equal(t, "", e.kind("fresh"))
}

func catConcurrency(e *env) {
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
			if _, err := w.CreateTable(e.ctx, r, idsSQL(i, i+100), warehouse.TableOptions{}); err != nil {
				return err
			}
			if i%3 == 0 {
				return w.CreateView(e.ctx, warehouse.Relation{Schema: schema, Name: fmt.Sprintf("v%02d", i)}, "select id from "+w.RelationSQL(r))
			}
			return nil
		})
	}
	for i := range 4 {
		g.Go(func() error {
			_, err := w.CreateTable(e.ctx, e.rel("same"), idsSQL(i, i), warehouse.TableOptions{})
			return err
		})
	}
	require.NoError(t, g.Wait())
	rels, err := w.ListRelations(e.ctx, "", schema)
	require.NoError(t, err)
	assert.Len(t, rels, 20+7)
	assert.Equal(t, "table", e.kind("same"))
	e.noTemps()
}

func catDescribeList(e *env) {
	t, w := e.t, e.w
	checkListRelations(e, func(name string) { e.make(name, 1) })
	cols, kind, err := w.Describe(e.ctx, e.rel("missing"))
	require.NoError(t, err)
	assert.Equal(t, "", kind)
	assert.Nil(t, cols)
	_, kind, err = w.Describe(e.ctx, warehouse.Relation{Schema: uniqueName("no_such_schema"), Name: "t"})
	require.NoError(t, err)
	assert.Equal(t, "", kind)
}

func catInsertDropExec(e *env) {
	t, w := e.t, e.w
	e.make("t", 1)
	_, err := w.Insert(e.ctx, e.rel("t"), idsSQL(2, 3)+";")
	require.NoError(t, err)
	_, err = w.Insert(e.ctx, e.rel("t"), catalogFailures["missing column"])
	require.Error(t, err)
	require.NoError(t, w.CreateView(e.ctx, e.rel("v"), idsSQL(1)))
	require.NoError(t, w.Drop(e.ctx, e.rel("v")))
	require.NoError(t, w.Drop(e.ctx, e.rel("t")))
	require.NoError(t, w.Drop(e.ctx, e.rel("t")), "dropping a missing relation is not an error")
	assert.Equal(t, "", e.kind("t"))
	assert.Equal(t, "", e.kind("v"))

	_, err = w.Exec(e.ctx, fmt.Sprintf("create table %s as %s; insert into %s %s",
		e.sqlOf("hooked"), idsSQL(1), e.sqlOf("hooked"), idsSQL(2)))
	require.NoError(t, err)
	assert.Equal(t, "table", e.kind("hooked"))
	_, err = w.Exec(e.ctx, "select no_such_column from "+e.sqlOf("hooked"))
	require.Error(t, err)
}

func catSeeds(e *env) {
	t, w := e.t, e.w
	p := e.writeSeed("awkward.csv", awkwardCSV)
	n, err := w.LoadSeed(e.ctx, e.rel("awkward"), p, warehouse.SeedOptions{ColumnTypes: map[string]string{"CODE": e.d.stringType}})
	require.NoError(t, err)
	assert.Equal(t, int64(3), n)
	assert.Equal(t, "table", e.kind("awkward"))

	lines := []string{"a,b,c,d,e"}
	for range 15 {
		lines = append(lines, "1,2,3,4,5")
	}
	lines = append(lines, "1,2,3,4", "1,2,3,4,5")
	bad := e.writeSeed("ragged.csv", strings.Join(lines, "\n")+"\n")
	_, err = w.LoadSeed(e.ctx, e.rel("awkward"), bad, warehouse.SeedOptions{})
	var se *warehouse.SeedError
	require.True(t, errors.As(err, &se), "want *warehouse.SeedError, got %T: %v", err, err)
	assert.Equal(t, 17, se.Row)
	good := e.writeSeed("x.csv", "a,b\n1,2\n")
	_, err = w.LoadSeed(e.ctx, e.rel("awkward"), good, warehouse.SeedOptions{ColumnTypes: map[string]string{"a": "no_such_type"}})
	require.Error(t, err, "a bad override type fails")
	_, err = w.LoadSeed(e.ctx, e.rel("awkward"), filepath.Join(t.TempDir(), "missing.csv"), warehouse.SeedOptions{})
	assert.ErrorIs(t, err, os.ErrNotExist)
	assert.Equal(t, "table", e.kind("awkward"))

	require.NoError(t, w.CreateView(e.ctx, e.rel("sv"), idsSQL(1)))
	n, err = w.LoadSeed(e.ctx, e.rel("sv"), good, warehouse.SeedOptions{FullRefresh: true})
	require.NoError(t, err)
	assert.Equal(t, int64(1), n)
	assert.Equal(t, "table", e.kind("sv"))
	e.noTemps()
}
