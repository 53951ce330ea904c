package warehousetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse"
)

// env is one subtest's warehouse, dialect and private schema.
type env struct {
	t      *testing.T
	w      warehouse.Warehouse
	d      dialect
	ctx    context.Context
	schema string
}

func newEnv(t *testing.T, open func(t *testing.T) warehouse.Warehouse, suffix string) *env {
	t.Helper()
	w := open(t)
	require.NotNil(t, w)
	t.Cleanup(func() { _ = w.Close() })
	d, ok := dialects[w.Name()]
	if !ok {
		t.Fatalf("warehousetest has no dialect profile for %q: add one in dialect.go", w.Name())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	e := &env{t: t, w: w, d: d, ctx: ctx, schema: uniqueName("mart_test_" + suffix)}
	require.NoError(t, w.EnsureSchema(ctx, "", e.schema))
	return e
}

func uniqueName(prefix string) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return prefix + "_" + hex.EncodeToString(b[:])
}

// rel names a relation in the subtest's schema.
func (e *env) rel(name string) warehouse.Relation {
	return warehouse.Relation{Schema: e.schema, Name: name}
}

// sqlOf is the quoted SQL name of rel(name).
func (e *env) sqlOf(name string) string { return e.w.RelationSQL(e.rel(name)) }

// query runs q and returns its values rendered with fmt ("NULL" for nil).
func (e *env) query(q string) [][]string {
	e.t.Helper()
	rows, err := e.w.Query(e.ctx, q, 0)
	require.NoError(e.t, err, "query %s", q)
	out := make([][]string, len(rows.Values))
	for i, r := range rows.Values {
		out[i] = make([]string, len(r))
		for j, v := range r {
			if v == nil {
				out[i][j] = "NULL"
			} else {
				out[i][j] = fmt.Sprint(v)
			}
		}
	}
	return out
}

// ids returns the single column of "select id from name order by id".
func (e *env) ids(name string) []string {
	e.t.Helper()
	var out []string
	for _, r := range e.query("select id from " + e.sqlOf(name) + " order by id") {
		out = append(out, r[0])
	}
	return out
}

func (e *env) kind(name string) string {
	e.t.Helper()
	_, kind, err := e.w.Describe(e.ctx, e.rel(name))
	require.NoError(e.t, err)
	return kind
}

// noTemps asserts that no temporary build relation is left anywhere.
func (e *env) noTemps() {
	e.t.Helper()
	tl, ok := e.w.(warehouse.TempRelationLister)
	require.True(e.t, ok, "%T must implement warehouse.TempRelationLister", e.w)
	temps, err := tl.TempRelations(context.Background())
	require.NoError(e.t, err)
	require.Empty(e.t, temps, "temporary relations left behind")
	rels, err := e.w.ListRelations(context.Background(), "", e.schema)
	require.NoError(e.t, err)
	for _, r := range rels {
		require.False(e.t, warehouse.IsTempName(r.Name), "ListRelations shows temporary relation %s", r)
	}
}

// createIDs makes table name with the given integer ids.
func (e *env) createIDs(name string, ids ...int) {
	e.t.Helper()
	n, err := e.w.CreateTable(e.ctx, e.rel(name), idsSQL(ids...), warehouse.TableOptions{})
	require.NoError(e.t, err)
	require.Equal(e.t, int64(len(ids)), n)
}

// idsSQL is a portable select of one integer column id.
func idsSQL(ids ...int) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf("select %d as id", id)
	}
	return strings.Join(parts, " union all ")
}

func strs(vals ...int) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = fmt.Sprint(v)
	}
	return out
}
