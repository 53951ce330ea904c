package warehousetest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse"
)

// awkwardCSV exercises quoting: headers with spaces, commas and quotes;
// fields with embedded line breaks, delimiters and doubled quotes; empty
// fields; CRLF line ends; a BOM.
const awkwardCSV = "\ufeff" + `id,"first name","a,b","say ""hi""",amount,flag,day,ts,zip,code,empty` + "\r\n" +
	`1,Ann,"x,y","she said ""hi""",1.50,true,2024-01-31,2024-01-31 10:00:00,00501,10,` + "\r\n" +
	`2,"Multi` + "\n" + `Line",,"",-2,FALSE,2024-02-29,2024-02-29T23:59:59.5,10001,20,` + "\r\n" +
	`3,,z,plain,3e2,,,,,,` + "\r\n"

func (e *env) writeSeed(name, content string) string {
	e.t.Helper()
	dir := filepath.Join(e.t.TempDir(), "seeds")
	require.NoError(e.t, os.MkdirAll(dir, 0o755))
	p := filepath.Join(dir, name)
	require.NoError(e.t, os.WriteFile(p, []byte(content), 0o644))
	return p
}

func testSeeds(e *env) {
	t, w := e.t, e.w
	p := e.writeSeed("awkward.csv", awkwardCSV)
	n, err := w.LoadSeed(e.ctx, e.rel("awkward"), p, warehouse.SeedOptions{
		ColumnTypes: map[string]string{"CODE": e.d.stringType},
	})
	require.NoError(t, err)
	assert.Equal(t, int64(3), n)

	cols, kind, err := w.Describe(e.ctx, e.rel("awkward"))
	require.NoError(t, err)
	assert.Equal(t, "table", kind)
	st := e.d.seedTypes
	want := []warehouse.Column{
		{Name: "id", Type: st[warehouse.SeedInteger]},
		{Name: "first name", Type: st[warehouse.SeedString]},
		{Name: "a,b", Type: st[warehouse.SeedString]},
		{Name: `say "hi"`, Type: st[warehouse.SeedString]},
		{Name: "amount", Type: st[warehouse.SeedDouble]},
		{Name: "flag", Type: st[warehouse.SeedBoolean]},
		{Name: "day", Type: st[warehouse.SeedDate]},
		{Name: "ts", Type: st[warehouse.SeedTimestamp]},
		{Name: "zip", Type: st[warehouse.SeedString]},  // leading zeros: not a number
		{Name: "code", Type: st[warehouse.SeedString]}, // column_types override
		{Name: "empty", Type: st[warehouse.SeedString]},
	}
	assert.Equal(t, want, cols)

	q := fmt.Sprintf(`select %s, %s, %s, amount, flag, day, zip, code, empty from %s order by id`,
		w.QuoteIdent("first name"), w.QuoteIdent("a,b"), w.QuoteIdent(`say "hi"`), e.sqlOf("awkward"))
	rows := e.query(q)
	require.Len(t, rows, 3)
	assert.Equal(t, []string{"Ann", "x,y", `she said "hi"`, "1.5", "true"}, rows[0][:5])
	assert.Equal(t, []string{"Multi\nLine", "NULL", "NULL", "-2", "false"}, rows[1][:5], "empty and \"\" fields are NULL")
	assert.Equal(t, []string{"NULL", "z", "plain", "300", "NULL", "NULL", "NULL", "NULL", "NULL"}, rows[2])
	assert.Equal(t, []string{"00501", "10"}, rows[0][6:8])
	assert.Contains(t, rows[0][5], "2024-01-31")
	e.noTemps()

	// Other delimiters; a header-only file gives an empty table.
	p = e.writeSeed("semi.csv", "a;b\n1;x;y\n")
	_, err = w.LoadSeed(e.ctx, e.rel("semi"), p, warehouse.SeedOptions{Delimiter: ';'})
	require.Error(t, err, "row with 3 fields")
	p = e.writeSeed("tab.tsv", "a\tb\n1\tx,y\n")
	n, err = w.LoadSeed(e.ctx, e.rel("tab"), p, warehouse.SeedOptions{Delimiter: '\t'})
	require.NoError(t, err)
	assert.Equal(t, int64(1), n)
	assert.Equal(t, [][]string{{"1", "x,y"}}, e.query("select a, b from "+e.sqlOf("tab")))
	p = e.writeSeed("header_only.csv", "a,b\n")
	n, err = w.LoadSeed(e.ctx, e.rel("header_only"), p, warehouse.SeedOptions{})
	require.NoError(t, err)
	assert.Equal(t, int64(0), n)
	cols, _, err = w.Describe(e.ctx, e.rel("header_only"))
	require.NoError(t, err)
	assert.Len(t, cols, 2)
}

func testSeedErrors(e *env) {
	t, w := e.t, e.w
	good := e.writeSeed("x.csv", "a,b,c,d,e\n1,2,3,4,5\n")
	_, err := w.LoadSeed(e.ctx, e.rel("x"), good, warehouse.SeedOptions{})
	require.NoError(t, err)

	lines := []string{"a,b,c,d,e"}
	for range 15 {
		lines = append(lines, "1,2,3,4,5")
	}
	lines = append(lines, "1,2,3,4", "1,2,3,4,5")
	bad := e.writeSeed("ragged.csv", strings.Join(lines, "\n")+"\n")
	_, err = w.LoadSeed(e.ctx, e.rel("x"), bad, warehouse.SeedOptions{})
	var se *warehouse.SeedError
	require.True(t, errors.As(err, &se), "want *warehouse.SeedError, got %T: %v", err, err)
	assert.Equal(t, 17, se.Row)
	assert.Equal(t, bad, se.File)
	assert.Equal(t, bad+": row 17 has 4 fields, expected 5 (header has 5 columns)", err.Error())
	assert.Equal(t, [][]string{{"1", "5"}}, e.query("select a, e from "+e.sqlOf("x")), "previous seed intact")

	for name, content := range map[string]string{
		"empty.csv":     "",
		"badquote.csv":  "a,b\n1,\"x\"y\n",
		"dupheader.csv": "a,A\n1,2\n",
	} {
		p := e.writeSeed(name, content)
		_, err := w.LoadSeed(e.ctx, e.rel("x"), p, warehouse.SeedOptions{})
		assert.True(t, errors.As(err, &se), "%s: want *warehouse.SeedError, got %v", name, err)
	}
	_, err = w.LoadSeed(e.ctx, e.rel("x"), good, warehouse.SeedOptions{ColumnTypes: map[string]string{"zz": e.d.stringType}})
	assert.True(t, errors.As(err, &se), "unknown column in column_types: %v", err)
	_, err = w.LoadSeed(e.ctx, e.rel("x"), good, warehouse.SeedOptions{ColumnTypes: map[string]string{"a": "no_such_type"}})
	require.Error(t, err, "bad override type fails in the engine")
	_, err = w.LoadSeed(e.ctx, e.rel("x"), filepath.Join(t.TempDir(), "missing.csv"), warehouse.SeedOptions{})
	assert.ErrorIs(t, err, os.ErrNotExist)

	assert.Equal(t, [][]string{{"1", "5"}}, e.query("select a, e from "+e.sqlOf("x")), "previous seed intact")
	e.noTemps()
}

func testSeedReplace(e *env) {
	t, w := e.t, e.w
	p := e.writeSeed("s.csv", "a,b\n1,2\n3,4\n")
	_, err := w.LoadSeed(e.ctx, e.rel("s"), p, warehouse.SeedOptions{})
	require.NoError(t, err)
	// The column set changed: the seed is replaced.
	p = e.writeSeed("s.csv", "x,y,z\nq,r,s\n")
	n, err := w.LoadSeed(e.ctx, e.rel("s"), p, warehouse.SeedOptions{})
	require.NoError(t, err)
	assert.Equal(t, int64(1), n)
	cols, _, err := w.Describe(e.ctx, e.rel("s"))
	require.NoError(t, err)
	assert.Len(t, cols, 3)
	assert.Equal(t, [][]string{{"q", "r", "s"}}, e.query("select x, y, z from "+e.sqlOf("s")))

	// Full refresh, also over a view of that name.
	require.NoError(t, w.CreateView(e.ctx, e.rel("sv"), idsSQL(1)))
	n, err = w.LoadSeed(e.ctx, e.rel("sv"), p, warehouse.SeedOptions{FullRefresh: true})
	require.NoError(t, err)
	assert.Equal(t, int64(1), n)
	assert.Equal(t, "table", e.kind("sv"))
	n, err = w.LoadSeed(e.ctx, e.rel("s"), p, warehouse.SeedOptions{FullRefresh: true})
	require.NoError(t, err)
	assert.Equal(t, int64(1), n)
	e.noTemps()
}
