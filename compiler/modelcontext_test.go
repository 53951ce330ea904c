package compiler

import "testing"

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
