package docsite

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/warehouse"
)

var demoCompiled struct {
	once sync.Once
	data []byte
	err  error
}

// demoManifest compiles the SODA Store demo at the repository's root
// (once; each call decodes a fresh copy, so a test may change it).
func demoManifest(t testing.TB) *compiler.Manifest {
	t.Helper()
	demoCompiled.once.Do(func() {
		res, diags := compiler.Compile(compiler.Options{ProjectDir: "..", RunStartedAt: "2026-04-01 00:00:00.000000+00:00",
			InvocationID: "00000000-0000-0000-0000-000000000000"})
		if diags.HasErrors() {
			demoCompiled.err = diags
			return
		}
		demoCompiled.data, demoCompiled.err = json.Marshal(res.Manifest)
	})
	require.NoError(t, demoCompiled.err)
	var m compiler.Manifest
	require.NoError(t, json.Unmarshal(demoCompiled.data, &m))
	return &m
}

// compileProject writes files (path -> content) into a new directory and
// compiles the project there.
func compileProject(t testing.TB, files map[string]string) *compiler.Manifest {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	res, diags := compiler.Compile(compiler.Options{ProjectDir: dir, RunStartedAt: "2026-04-01 00:00:00.000000+00:00"})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return res.Manifest
}

// dataFileRE is the shape dataFile writes.
var dataFileRE = regexp.MustCompile(`(?s)^martDocs\.\w+\((?:\d+,)?JSON\.parse\('(.*)'\)\);\n$`)

// readData decodes the payload of a data file written by dataFile.
func readData(t testing.TB, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	m := dataFileRE.FindSubmatch(b)
	require.NotNil(t, m, "not a data file: %.60s", b)
	// undo the string literal's escapes: \\ and \'
	text := regexp.MustCompile(`\\([\\'])`).ReplaceAll(m[1], []byte("$1"))
	require.NoError(t, json.Unmarshal(text, v))
}

// warehouseStats is a short way to write what a warehouse says of one
// relation.
type warehouseStats struct {
	name, kind string
	rows       *int64
	cols       [][2]string
}

func (w *warehouseStats) build() *warehouse.RelationStats {
	s := &warehouse.RelationStats{Relation: warehouse.Relation{Schema: "main", Name: w.name}, Kind: w.kind, RowCount: w.rows}
	for _, c := range w.cols {
		s.Columns = append(s.Columns, warehouse.ColumnStats{Name: c[0], Type: c[1]})
	}
	return s
}

// reread is m written and read back: a manifest whose maps were changed
// after it was made.
func reread(t testing.TB, m *compiler.Manifest) *compiler.Manifest {
	t.Helper()
	b, err := json.Marshal(m)
	require.NoError(t, err)
	var out compiler.Manifest
	require.NoError(t, json.Unmarshal(b, &out))
	return &out
}
