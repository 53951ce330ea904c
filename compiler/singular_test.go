package compiler

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Singular tests described in YAML (data_tests: at a properties file's
// top, dbt's way to document them, in tests/ or beside the models): the
// entry's description and config apply, under the test's own config()
// calls; the file is its patch_path. An entry of no singular test, and a
// key dbt's entry does not have, are warned about; one described twice
// gets both, in turn, as in dbt. Analyses are described
// as models are (analyses:), in their own paths too.
func TestSingularTestsDescribedInYAML(t *testing.T) {
	res, diags := compileDiags(t, map[string]string{
		"mart.yml":     "name: p\n",
		"models/m.sql": "select 1 as id\n",
		"tests/a.sql":  "select * from {{ ref('m') }} where id < 0\n",
		"tests/b.sql":  "{{ config(severity='error') }}\nselect * from {{ ref('m') }} where id < 0\n",
		"tests/_tests.yml": `version: 2
data_tests:
  - name: a
    description: "Ids are {{ 'never' }} negative"
    config:
      severity: warn
      tags: [nightly]
      meta: {owner: data}
  - name: b
    config:
      severity: warn
  - name: c
    description: no such test
  - name: a_typo
    columns: [{name: id}]
`,
		"models/m.yml": "version: 2\nmodels:\n  - name: m\n    description: the m\n",
	})
	require.NotNil(t, res, "%v", diags)
	a, b := res.Manifest.Node("test.p.a"), res.Manifest.Node("test.p.b")
	require.NotNil(t, a)
	require.NotNil(t, b)
	assert.Equal(t, "tests/_tests.yml", a.PatchPath)
	assert.Equal(t, "Ids are never negative", a.Description)
	assert.Equal(t, "warn", a.Config.String("severity"))
	assert.Equal(t, []string{"nightly"}, a.Tags)
	assert.Equal(t, map[string]any{"owner": "data"}, a.Meta)
	assert.Equal(t, "error", b.Config.String("severity"), "config() is over the YAML, as in dbt")
	assert.Equal(t, "the m", res.Manifest.Node("model.p.m").Description, "a properties file in models/ as before")
	assert.Equal(t, []string{
		`tests/_tests.yml:12: warning: singular test "c" is described here but no such test exists in p`,
		`tests/_tests.yml:14: warning: singular test "a_typo" is described here but no such test exists in p`,
	}, diags)

	// analyses: as models' entries are, but tests
	res, diags = compileDiags(t, map[string]string{
		"mart.yml":       "name: p\n",
		"models/m.sql":   "select 1 as id\n",
		"analyses/a.sql": "select count(*) as n from {{ ref('m') }}\n",
		"analyses/a.yml": "version: 2\nanalyses:\n  - name: a\n    description: counts m\n    columns:\n      - name: n\n        description: how many\n    data_tests: [unique]\n  - name: b\n",
		// and a properties file in the macro paths, as dbt reads them
		"macros/_props.yml": "version: 2\nmacros:\n  - name: nothing\nmodels:\n  - name: m\n    description: from macros/\n",
	})
	require.NotNil(t, res, "%v", diags)
	an := res.Manifest.Node("analysis.p.a")
	require.NotNil(t, an)
	assert.Equal(t, "counts m", an.Description)
	assert.Equal(t, "analyses/a.yml", an.PatchPath)
	require.Contains(t, an.Columns, "n")
	assert.Equal(t, "how many", an.Columns["n"].Description)
	assert.Equal(t, "from macros/", res.Manifest.Node("model.p.m").Description)
	assert.Equal(t, []string{
		`analyses/a.yml:3: warning: analysis "a": analyses are not tested; its data_tests: are ignored`,
		`analyses/a.yml:9: warning: analysis "b" is described here but no such analysis exists`,
	}, diags)

	// described twice: dbt applies both, in turn
	res, diags = compileDiags(t, map[string]string{
		"mart.yml":     "name: p\n",
		"tests/a.sql":  "select 1 as id where false\n",
		"models/a.yml": "version: 2\ndata_tests:\n  - name: a\n    description: first\n    config: {severity: warn}\n",
		"tests/a.yml":  "version: 2\ndata_tests:\n  - name: a\n    description: second\n    config: {tags: [x]}\n",
	})
	require.NotNil(t, res, "%v", diags)
	twice := res.Manifest.Node("test.p.a")
	assert.Equal(t, "second", twice.Description)
	assert.Equal(t, "warn", twice.Config.String("severity"))
	assert.Equal(t, []string{"x"}, twice.Tags)
	assert.Equal(t, []string{`tests/a.yml:3: warning: singular test "a" is described twice (also in models/a.yml): both apply, this description`}, diags)

	_, diags = compileDiags(t, map[string]string{
		"mart.yml":    "name: p\n",
		"tests/a.sql": "select 1 as id where false\n",
		"tests/a.yml": "version: 2\ndata_tests:\n  - name: a\n    columns: [{name: id}]\n    owner: me\n",
	})
	assert.ElementsMatch(t, []string{
		`tests/a.yml:3: warning: unknown property "columns" on singular test "a"`,
		`tests/a.yml:3: warning: unknown property "owner" on singular test "a"`,
	}, diags)
}
