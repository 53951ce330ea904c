package bigquery

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/warehouse"
)

var update = flag.Bool("update", false, "rewrite the golden SQL files in testdata/")

// TestGoldenSQL runs every materialization, strategy and snapshot against
// the fake and pins the SQL of each job in testdata/<case>.sql (or
// <case>.<n>.sql when a case runs several jobs). `go test -update`
// rewrites them; TestZetaSQLParsesGolden parses them with GoogleSQL's
// parser.
func TestGoldenSQL(t *testing.T) {
	produced := map[string]bool{}
	for _, c := range goldenCases() {
		t.Run(c.name, func(t *testing.T) {
			e := newFake(t)
			e.seedCatalog()
			c.run(e)
			var stmts []string
			for _, j := range e.fake.Jobs() {
				if j.Type == "QUERY" && !j.DryRun {
					stmts = append(stmts, normalizeSQL(j.Query))
				}
			}
			require.NotEmpty(t, stmts, "the case ran no query job")
			for i, sql := range stmts {
				name := c.name + ".sql"
				if len(stmts) > 1 {
					name = fmt.Sprintf("%s.%d.sql", c.name, i+1)
				}
				produced[name] = true
				checkGolden(t, filepath.Join("testdata", name), sql+"\n")
			}
		})
	}
	if t.Failed() || flag.Lookup("test.run").Value.String() != "" {
		return // a failed or partial run (-run) cannot tell stale files
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "*.sql"))
	for _, f := range files {
		if !produced[filepath.Base(f)] {
			if *update {
				require.NoError(t, os.Remove(f))
				continue
			}
			t.Errorf("%s is not produced by any case (stale? run go test -update)", f)
		}
	}
}

var tempSuffix = regexp.MustCompile(regexp.QuoteMeta(warehouse.TempMarker) + `[0-9a-f]{16}`)

// normalizeSQL replaces the random part of temporary names.
func normalizeSQL(sql string) string {
	return tempSuffix.ReplaceAllString(sql, warehouse.TempMarker+"0000000000000000")
}

func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file (run go test -update)")
	assert.Equal(t, string(want), got, "%s differs (run go test -update to accept)", path)
}

// goldenFiles lists testdata/*.sql.
func goldenFiles(t *testing.T) []string {
	files, err := filepath.Glob(filepath.Join("testdata", "*.sql"))
	require.NoError(t, err)
	slices.Sort(files)
	return files
}

// Strip is used by cases to keep long SELECTs readable.
func lines(s ...string) string { return strings.Join(s, "\n") }
