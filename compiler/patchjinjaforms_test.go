package compiler

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSourceFieldsRenderStatements: a source's schema, database and a
// table's identifier render as Jinja when they hold only a statement
// ({% ... %}) or a comment, as dbt renders them (before session 43 only
// {{ made them render: the statement's text was the schema).
func TestSourceFieldsRenderStatements(t *testing.T) {
	res, diags := compileDiags(t, map[string]string{
		"mart.yml": "name: sf\nversion: \"1.0.0\"\n",
		"models/s.yml": "version: 2\nsources:\n  - name: s\n    schema: \"{% if target.name == 'dev' %}raw_dev{% else %}raw{% endif %}\"\n" +
			"    tables:\n      - name: t\n        identifier: \"t_{# the real one #}real\"\n",
	})
	require.Empty(t, diags)
	src := res.Manifest.Sources["source.sf.s.t"]
	require.NotNil(t, src)
	require.Equal(t, "raw_dev", src.Schema)
	require.Equal(t, "t_real", src.Identifier)
}

// TestPatchJinjaForms: descriptions with only a Jinja comment, and a
// source's schema with only a statement, added and edited by patches:
// each step's compile equals a cold one.
func TestPatchJinjaForms(t *testing.T) {
	runPatchSteps(t, []patchStep{
		{name: "cold", files: withFiles(nil, "mart.yml", "name: cd\nversion: \"1.0.0\"\n",
			"models/a.sql", "select 1 as id\n",
			"models/p.yml", "version: 2\nmodels:\n  - name: a\n    description: plain\n",
			"models/s.yml", "version: 2\nsources:\n  - name: s\n    tables:\n      - name: t\n        description: plain\n")},
		{name: "a model added with a commented description", any: true, files: withFiles(nil,
			"models/b.sql", "select 2 as id\n",
			"models/p.yml", "version: 2\nmodels:\n  - name: a\n    description: plain\n  - name: b\n    description: \"b {# hidden #} b\"\n    columns:\n      - name: id\n        description: \"c {# x #} c\"\n")},
		{name: "a source table added with one", any: true, files: withFiles(nil,
			"models/s.yml", "version: 2\nsources:\n  - name: s\n    tables:\n      - name: t\n        description: plain\n      - name: u\n        description: \"u {# hidden #} u\"\n")},
		{name: "a description edited to one", any: true, files: withFiles(nil,
			"models/p.yml", "version: 2\nmodels:\n  - name: a\n    description: \"a {# h #} a\"\n  - name: b\n    description: \"b {# hidden #} b\"\n    columns:\n      - name: id\n        description: \"c {# x #} c\"\n")},
		{name: "a source's schema with a statement", any: true, files: withFiles(nil,
			"models/s.yml", "version: 2\nsources:\n  - name: s\n    schema: \"{% if true %}raw{% else %}x{% endif %}\"\n    tables:\n      - name: t\n        description: plain\n      - name: u\n        description: \"u {# hidden #} u\"\n")},
		{name: "a table added to it", any: true, files: withFiles(nil,
			"models/s.yml", "version: 2\nsources:\n  - name: s\n    schema: \"{% if true %}raw{% else %}x{% endif %}\"\n    tables:\n      - name: t\n        description: plain\n      - name: u\n        description: \"u {# hidden #} u\"\n      - name: v\n")},
	})
}
