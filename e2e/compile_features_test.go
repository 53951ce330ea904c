package e2e

import (
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCompileFeatures compiles testdata/compile_features, which uses every
// template feature of issue 3, and pins the compiled SQL and the parts of
// the manifest each feature shows up in.
func TestCompileFeatures(t *testing.T) {
	dir := project(t, "compile_features")
	env := []string{"MART_E2E_COLOR=blue"}
	r := martEnv(t, dir, env, "compile", "--vars", "{from_cli: hello}")
	require.Equal(t, 0, r.Code, r.String())
	require.Equal(t, "Compiled 15 models, 2 tests, 2 sources to target/compiled and wrote target/manifest.json\n", r.Stdout)
	require.Empty(t, r.Stderr)

	names, files := compiledFiles(t, dir)
	golden(t, "compile/features/files.txt", strings.Join(names, "\n")+"\n")
	for _, name := range names {
		golden(t, "compile/features/"+name, sanitize(files[name]))
	}
	require.Regexp(t, runStartedRE, files["models/features/target_this.sql"], "run_started_at is printed")

	m := readManifest(t, dir)
	fields := []string{"resource_type", "original_file_path", "fqn", "database", "schema", "alias", "relation_name",
		"config", "tags", "description", "columns", "depends_on", "refs", "sources", "checksum", "compiled_path"}
	excerpt := map[string]any{}
	for _, id := range []string{
		"model.features.stg_orders", "model.features.stg_customers", "model.features.refs",
		"model.features.macros_use", "model.features.folder_only", "model.features.yaml_over_folder",
		"model.features.file_over_yaml", "model.features.eph_mid", "model.features.uses_ephemeral",
		"model.features.target_this", "source.features.shop.orders",
	} {
		excerpt[id] = m.excerpt(t, id, fields...)
	}
	golden(t, "compile/features/manifest_nodes.json", jsonText(t, excerpt))

	var top []string
	for k := range m.Raw {
		top = append(top, k)
	}
	sort.Strings(top)
	meta := m.Metadata
	delete(meta, "invocation_id")
	golden(t, "compile/features/manifest_top.json", jsonText(t, map[string]any{
		"keys": top, "metadata": meta, "docs": m.Docs, "macros": m.Macros, "disabled": m.Disabled,
		"parent_map": pick(m.ParentMap, "model.features.uses_ephemeral", "model.features.refs", "source.features.shop.orders"),
		"child_map":  pick(m.ChildMap, "model.features.stg_orders", "model.features.eph_base", "source.features.shop.customers"),
	}))
	require.Equal(t, "mart/manifest/v1", meta["mart_schema_version"])

	// Without --select, the generic tests' SQL is only in the manifest
	// (asserted by files.txt above); selecting them writes their files.
	require.NotContains(t, names, "models/staging/unique_stg_orders_order_id.sql")
	r = martEnv(t, dir, env, "compile", "--vars", "{from_cli: hello}", "--select", "resource_type:test")
	require.Equal(t, 0, r.Code, r.String())
	testNames, files := compiledFiles(t, dir)
	for _, name := range []string{"models/staging/not_null_stg_orders_order_id.sql", "models/staging/unique_stg_orders_order_id.sql"} {
		require.Contains(t, testNames, name)
		golden(t, "compile/features/"+name, sanitize(files[name]))
	}
	m = readManifest(t, dir)
	require.Equal(t, "target/compiled/models/staging/unique_stg_orders_order_id.sql",
		m.excerpt(t, "test.features.unique_stg_orders_order_id.4bb6d49682", "compiled_path")["compiled_path"])
}

func pick(m map[string][]string, keys ...string) map[string][]string {
	out := map[string][]string{}
	for _, k := range keys {
		out[k] = m[k]
	}
	return out
}

// TestCompileFeaturesTargetAndVars switches the profile's target and
// overrides a project var from the command line.
func TestCompileFeaturesTargetAndVars(t *testing.T) {
	dir := project(t, "compile_features")
	r := martEnv(t, dir, []string{"MART_E2E_COLOR=green"}, "compile", "--target", "ci", "--vars", "{region: us-east, from_cli: 7}")
	require.Equal(t, 0, r.Code, r.String())
	require.Contains(t, readFile(t, dir, "target/compiled/models/features/target_this.sql"),
		"-- target ci (duckdb), default schema ci_schema\n-- this is \"ci_schema\".\"target_this\": schema ci_schema, identifier target_this\n")
	require.Contains(t, readFile(t, dir, "target/compiled/models/features/vars_env.sql"),
		"'us-east' as region,\n    0.5 as threshold,\n    'var default' as with_default,\n    '7' as cli_var,\n    'green' as env_value,")
	require.Contains(t, readFile(t, dir, "target/compiled/models/features/refs.sql"), `"ci_schema_staging"."stg_orders"`)
}

// TestCompileIsDeterministic compiles twice: the manifest's bytes are the
// same apart from the run's id and start time.
func TestCompileIsDeterministic(t *testing.T) {
	dir := project(t, "compile_features")
	env := []string{"MART_E2E_COLOR=blue"}
	r := martEnv(t, dir, env, "compile")
	require.Equal(t, 0, r.Code, r.String())
	first := sanitize(readFile(t, dir, "target/manifest.json"))
	r = martEnv(t, dir, env, "compile")
	require.Equal(t, 0, r.Code, r.String())
	require.Equal(t, first, sanitize(readFile(t, dir, "target/manifest.json")))
}
