package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCompileDBTProject compiles a dbt project as dbt users write it
// (dbt_project.yml with folder configs under the project's name, with and
// without '+', profiles.yml, schema.yml tests, sources, {% docs %}) without
// changing a file.
func TestCompileDBTProject(t *testing.T) {
	dir := project(t, "compile_dbt")
	_, err := os.Stat(filepath.Join(dir, "mart.yml"))
	require.True(t, os.IsNotExist(err), "the dbt project must not have a mart.yml")

	r := mart(t, dir, "compile")
	require.Equal(t, 0, r.Code, r.String())
	require.Equal(t, "Compiled 4 models, 11 tests, 2 sources to target/compiled and wrote target/manifest.json\n", r.Stdout)
	// dbt-redshift's sort config means nothing to mart: a warning, not an error
	require.Equal(t, "models/marts/customers.sql:2:3: warning: unknown config key \"sort\"\n", r.Stderr)

	names, files := compiledFiles(t, dir)
	golden(t, "compile/dbt/files.txt", strings.Join(names, "\n")+"\n")
	for _, name := range names {
		golden(t, "compile/dbt/"+name, files[name])
	}
	// the generic tests' files are written when they are selected
	r = mart(t, dir, "compile", "--select", "resource_type:test")
	require.Equal(t, 0, r.Code, r.String())
	withTests, files := compiledFiles(t, dir)
	require.Len(t, withTests, len(names)+10) // the singular test was written already
	for _, name := range withTests {
		golden(t, "compile/dbt/"+name, files[name])
	}

	m := readManifest(t, dir)
	require.Equal(t, "jaffle", m.Metadata["project_name"])
	fields := []string{"resource_type", "fqn", "schema", "relation_name", "config", "tags", "description", "columns",
		"depends_on", "test_metadata", "column_name", "attached_node"}
	excerpt := map[string]any{}
	for id := range m.Nodes {
		excerpt[id] = m.excerpt(t, id, fields...)
	}
	for id := range m.Sources {
		excerpt[id] = m.excerpt(t, id, "relation_name", "description", "columns")
	}
	golden(t, "compile/dbt/manifest_nodes.json", jsonText(t, excerpt))
}
