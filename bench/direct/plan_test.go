package direct

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeProject lays out a compiled project: files maps paths relative to
// the project dir to their contents.
func writeProject(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for path, body := range files {
		full := filepath.Join(dir, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func nodesOf(p *Plan) []string {
	var ids []string
	for _, st := range p.Statements {
		if st.Node != "" {
			ids = append(ids, st.Node)
		}
	}
	return ids
}

// A manifest in dbt's shape: nodes keyed by unique id, compiled_path files.
func TestLoadDBTShapedManifest(t *testing.T) {
	dir := writeProject(t, map[string]string{
		"target/manifest.json": `{"metadata": {"project_name": "synth"}, "nodes": {
  "model.synth.b": {"unique_id": "model.synth.b", "resource_type": "model", "name": "b", "database": "mart",
    "schema": "main", "relation_name": "\"mart\".\"main\".\"b\"", "compiled_path": "target/compiled/synth/models/b.sql",
    "depends_on": {"nodes": ["model.synth.a", "macro.synth.add_one"]}, "config": {"materialized": "table"}},
  "model.synth.a": {"unique_id": "model.synth.a", "resource_type": "model", "name": "a", "database": "mart",
    "schema": "main", "relation_name": "\"mart\".\"main\".\"a\"", "compiled_path": "target/compiled/synth/models/a.sql",
    "depends_on": {"nodes": ["seed.synth.base"]}, "config": {"materialized": "view"}},
  "model.synth.e": {"unique_id": "model.synth.e", "resource_type": "model", "name": "e",
    "depends_on": {"nodes": []}, "config": {"materialized": "ephemeral"}},
  "seed.synth.base": {"unique_id": "seed.synth.base", "resource_type": "seed", "name": "base", "database": "mart",
    "schema": "main", "relation_name": "\"mart\".\"main\".\"base\"", "original_file_path": "seeds/base.csv"},
  "test.synth.not_null_b_id": {"unique_id": "test.synth.not_null_b_id", "resource_type": "test",
    "compiled_path": "target/compiled/synth/models/_schema.yml/not_null_b_id.sql",
    "depends_on": {"nodes": ["model.synth.b"]}}
}}`,
		"target/compiled/synth/models/a.sql":                         "select id from \"mart\".\"main\".\"base\"\n",
		"target/compiled/synth/models/b.sql":                         "select id from \"mart\".\"main\".\"a\";\n",
		"target/compiled/synth/models/_schema.yml/not_null_b_id.sql": "select id from \"mart\".\"main\".\"b\" where id is null",
	})
	p, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if p.Catalog != "mart" {
		t.Errorf("Catalog = %q, want mart", p.Catalog)
	}
	want := []string{"seed.synth.base", "model.synth.a", "model.synth.b", "test.synth.not_null_b_id"}
	if got := nodesOf(p); !slices.Equal(got, want) {
		t.Errorf("order = %v, want %v", got, want)
	}
	if !slices.Equal(p.Skipped, []string{"model.synth.e"}) {
		t.Errorf("Skipped = %v, want the ephemeral model", p.Skipped)
	}
	if p.Statements[0].SQL != `create schema if not exists "mart"."main"` {
		t.Errorf("first statement = %q, want the schema", p.Statements[0].SQL)
	}
	byNode := map[string]string{}
	for _, st := range p.Statements {
		byNode[st.Node] = st.SQL
	}
	for node, prefix := range map[string]string{
		"seed.synth.base":          `create or replace table "mart"."main"."base" as select * from read_csv('` + dir,
		"model.synth.a":            "create or replace view \"mart\".\"main\".\"a\" as\nselect id from",
		"model.synth.b":            "create or replace table \"mart\".\"main\".\"b\" as\nselect id from",
		"test.synth.not_null_b_id": "select count(*) from (\nselect id from",
	} {
		if !strings.HasPrefix(byNode[node], prefix) {
			t.Errorf("%s: %q, want prefix %q", node, byNode[node], prefix)
		}
	}
	if strings.HasSuffix(byNode["model.synth.b"], ";") {
		t.Errorf("trailing semicolon kept: %q", byNode["model.synth.b"])
	}
}

// A sparser manifest: a list of nodes, ids and types to infer, inline SQL,
// no relation names, compiled files found by their original path.
func TestLoadToleratesSparseManifest(t *testing.T) {
	dir := writeProject(t, map[string]string{
		"target/manifest.json": `{"nodes": [
  {"unique_id": "model.p.y", "depends_on": ["model.p.x"], "compiled_code": "select 2 as id", "schema": "analytics"},
  {"unique_id": "model.p.x", "original_file_path": "models/x.sql", "materialized": "view"},
  {"unique_id": "model.p.z", "original_file_path": "models/z.sql", "depends_on": {"nodes": ["model.p.y"]}},
  {"unique_id": "test.p.t", "depends_on": {"nodes": ["model.p.y"]}},
  {"unique_id": "source.p.raw.orders"}
]}`,
		"target/compiled/p/models/x.sql": "select 1 as id",
		"target/compiled/models/z.sql":   "select 3 as id",
	})
	p, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if p.Catalog != "" {
		t.Errorf("Catalog = %q, want none", p.Catalog)
	}
	if got, want := nodesOf(p), []string{"model.p.x", "model.p.y", "model.p.z"}; !slices.Equal(got, want) {
		t.Errorf("order = %v, want %v", got, want)
	}
	if got, want := p.Count(KindSchema), 2; got != want {
		t.Errorf("%d schemas, want %d (main and analytics)", got, want)
	}
	sqls := map[string]string{}
	for _, st := range p.Statements {
		sqls[st.Node] = st.SQL
	}
	if want := "create or replace view \"main\".\"x\" as\nselect 1 as id"; sqls["model.p.x"] != want {
		t.Errorf("x: %q, want %q", sqls["model.p.x"], want)
	}
	if want := "create or replace table \"analytics\".\"y\" as\nselect 2 as id"; sqls["model.p.y"] != want {
		t.Errorf("y: %q, want %q", sqls["model.p.y"], want)
	}
	if want := "create or replace table \"main\".\"z\" as\nselect 3 as id"; sqls["model.p.z"] != want {
		t.Errorf("z: %q, want %q", sqls["model.p.z"], want)
	}
	if !slices.Contains(p.Skipped, "test.p.t") || !slices.Contains(p.Skipped, "source.p.raw.orders") {
		t.Errorf("Skipped = %v, want the uncompiled test and the source", p.Skipped)
	}
}

func TestLoadErrors(t *testing.T) {
	for name, manifest := range map[string]string{
		"cycle": `{"nodes": {"model.p.a": {"depends_on": {"nodes": ["model.p.b"]}, "compiled_code": "select 1"},
			"model.p.b": {"depends_on": {"nodes": ["model.p.a"]}, "compiled_code": "select 1"}}}`,
		"no compiled SQL": `{"nodes": {"model.p.a": {"compiled_path": "target/compiled/p/a.sql"}}}`,
		"no nodes":        `{"metadata": {}}`,
		"not JSON":        `nodes:`,
	} {
		t.Run(name, func(t *testing.T) {
			dir := writeProject(t, map[string]string{"target/manifest.json": manifest})
			if _, err := Load(dir); err == nil {
				t.Fatal("Load succeeded")
			}
		})
	}
}

func TestSplitIdent(t *testing.T) {
	for in, want := range map[string][]string{
		`"mart"."main"."m_1"`: {"mart", "main", "m_1"},
		`main.m_1`:            {"main", "m_1"},
		`"a.b"."c""d"`:        {"a.b", `c"d`},
		``:                    nil,
	} {
		if got := splitIdent(in); !slices.Equal(got, want) {
			t.Errorf("splitIdent(%q) = %q, want %q", in, got, want)
		}
	}
}
