package compiler

import (
	"strings"
	"testing"
)

// TestPatchModelContextReads: a model that reads model.config, model.tags,
// model.schema, model.alias and this.name is rendered again by a patch
// when its YAML or folder config changes what it read (a patch equals a
// cold compile at every step).
func TestPatchModelContextReads(t *testing.T) {
	steps := []patchStep{
		{name: "project", files: map[string]string{
			"mart.yml":     "name: p\nmodels:\n  p:\n    +materialized: view\n",
			"models/o.sql": "select 1 as x\n", "models/sub/m.sql": "select '{{ model.config.materialized }}|{{ model.tags | join(',') }}|{{ model.schema }}|{{ model.alias }}|{{ this.name }}|{{ model.description }}' as v\n",
			"models/sub/_m.yml": "version: 2\nmodels:\n  - name: m\n    config:\n      tags: [a]\n",
		}},
		{name: "yaml tags", files: map[string]string{"models/sub/_m.yml": "version: 2\nmodels:\n  - name: m\n    config:\n      tags: [b]\n"}, patched: true},
		{name: "yaml alias", files: map[string]string{"models/sub/_m.yml": "version: 2\nmodels:\n  - name: m\n    config:\n      tags: [b]\n      alias: mm\n"}, patched: true},
		{name: "folder materialized", files: map[string]string{"mart.yml": "name: p\nmodels:\n  p:\n    +materialized: view\n    sub:\n      +materialized: table\n"}, patched: true},
		{name: "folder schema", files: map[string]string{"mart.yml": "name: p\nmodels:\n  p:\n    +materialized: view\n    sub:\n      +materialized: table\n      +schema: s\n"}, patched: true},
		{name: "yaml description", files: map[string]string{"models/sub/_m.yml": "version: 2\nmodels:\n  - name: m\n    description: e\n    config:\n      tags: [b]\n      alias: mm\n"}, patched: true},
		{name: "yaml tags at the entry's top", files: map[string]string{"models/sub/_m.yml": "version: 2\nmodels:\n  - name: m\n    tags: [c]\n    description: e\n    config:\n      tags: [b]\n      alias: mm\n"}, any: true},
	}
	runPatchSteps(t, steps)
}

// TestPatchTestTagsFromColumns: a generic test takes the tags of the
// column it tests, and of its source and source table; an edit of those
// tags gives the tests their new tags, patched as a cold compile gives
// them (their manifest entries and the node index selection reads).
func TestPatchTestTagsFromColumns(t *testing.T) {
	yml := func(mcol, stag, ttag, ctag string) string {
		return "version: 2\nmodels:\n  - name: m\n    description: d\n    columns:\n      - name: id\n        tags: [" + mcol + "]\n        data_tests: [not_null]\n      - name: x\n        tags: [" + mcol + "]\n" +
			"sources:\n  - name: src\n    schema: main\n    tags: [" + stag + "]\n    tables:\n      - name: raw_t\n        tags: [" + ttag + "]\n        columns:\n          - name: id\n            tags: [" + ctag + "]\n            data_tests: [unique]\n"
	}
	steps := []patchStep{
		{name: "project", files: map[string]string{
			"mart.yml":      "name: p\n",
			"models/m.sql":  "select 1 as id, 2 as x\n",
			"models/o.sql":  "select * from {{ source('src', 'raw_t') }}\n",
			"models/_m.yml": yml("a", "s", "t", "c"),
		}},
		{name: "a model column's tags", files: map[string]string{"models/_m.yml": yml("a2", "s", "t", "c")}, any: true},
		{name: "a source's tags", files: map[string]string{"models/_m.yml": yml("a2", "s2", "t", "c")}, any: true},
		{name: "a source table's tags", files: map[string]string{"models/_m.yml": yml("a2", "s2", "t2", "c")}, any: true},
		{name: "a source column's tags", files: map[string]string{"models/_m.yml": yml("a2", "s2", "t2", "c2")}, any: true},
		{name: "a description beside them", files: map[string]string{"models/_m.yml": strings.Replace(yml("a2", "s2", "t2", "c2"), "description: d", "description: e", 1)}, patched: true},
	}
	runPatchSteps(t, steps)
}
