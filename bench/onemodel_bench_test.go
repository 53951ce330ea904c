package bench

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/mart-dev/mart/bench/projgen"
)

// An Airflow task runs `mart build --select <model>` (airflow/): the whole
// project is compiled again for one model and its tests. These two
// benchmarks measure that against running the same statements directly.

// oneModel1k is the realistic mix of 1,000 models; oneModel is a table in
// its last layer, with two tests (unique and not_null on id).
var oneModel1k = projgen.Options{Models: 1_000, Seed: 1}

const oneModel = "m_999"

// BenchmarkBuildOneModel1k times `mart build --select m_999` (compile,
// select, plan, the model and its two tests, run_results.json) on the
// built 1,000-model project.
func BenchmarkBuildOneModel1k(b *testing.B) {
	mart := martBinary(b)
	dir := builtOneModelProject(b, mart)
	var m metrics
	for b.Loop() {
		m.add(run(b, dir, mart, "build", "--project-dir", dir, "--select", oneModel))
	}
	m.report(b, 0)
}

// BenchmarkDirectOneModel1k is its baseline: the statements that build
// m_999 and run its tests (create or replace ... as <compiled SQL>, select
// count(*) from (<compiled test>)), executed by bench/cmd/runsql on the
// same database file, as a subprocess like mart.
func BenchmarkDirectOneModel1k(b *testing.B) {
	mart := martBinary(b)
	dir := builtOneModelProject(b, mart)
	runsql, err := buildBinary(b, "bench/cmd/runsql")
	if err != nil {
		b.Fatal(err)
	}
	files := oneModelStatements(b, dir)
	args := append([]string{"-db", filepath.Join(dir, "target", "mart.duckdb")}, files...)
	var m metrics
	for b.Loop() {
		m.add(run(b, dir, runsql, args...))
	}
	m.report(b, 0)
}

// builtOneModelProject generates the project and builds it once (untimed),
// so that m_999's parents exist.
func builtOneModelProject(b *testing.B, mart string) string {
	dir := project(b, oneModel1k)
	if _, err := os.Stat(filepath.Join(dir, "target", "mart.duckdb")); err != nil {
		run(b, dir, mart, "build", "--project-dir", dir, "--threads", "2")
	}
	return dir
}

// oneModelStatements writes the statements that build m_999 and run its
// tests, read from target/manifest.json, to files in the scratch dir.
func oneModelStatements(b *testing.B, dir string) []string {
	data, err := os.ReadFile(filepath.Join(dir, "target", "manifest.json"))
	if err != nil {
		b.Fatal(err)
	}
	var m struct {
		Nodes map[string]struct {
			ResourceType string         `json:"resource_type"`
			Relation     string         `json:"relation_name"`
			Compiled     string         `json:"compiled_code"`
			Config       map[string]any `json:"config"`
			Attached     string         `json:"attached_node"`
		} `json:"nodes"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		b.Fatal(err)
	}
	id := "model." + projgen.ProjectName + "." + oneModel
	model, ok := m.Nodes[id]
	if !ok {
		b.Fatalf("%s is not in the manifest", id)
	}
	kind := "view"
	if model.Config["materialized"] == "table" {
		kind = "table"
	}
	stmts := []string{fmt.Sprintf("create or replace %s %s as %s", kind, model.Relation, model.Compiled)}
	var tests []string
	for tid, n := range m.Nodes {
		if n.ResourceType == "test" && n.Attached == id {
			tests = append(tests, tid)
		}
	}
	sort.Strings(tests)
	for _, tid := range tests {
		stmts = append(stmts, "select count(*) as failures from (\n"+strings.TrimRight(strings.TrimSpace(m.Nodes[tid].Compiled), ";")+"\n) t")
	}
	out := filepath.Join(scratchDir(b), "one-model")
	if err := os.MkdirAll(out, 0o755); err != nil {
		b.Fatal(err)
	}
	var files []string
	for i, s := range stmts {
		f := filepath.Join(out, fmt.Sprintf("%d.sql", i))
		if err := os.WriteFile(f, []byte(s), 0o644); err != nil {
			b.Fatal(err)
		}
		files = append(files, f)
	}
	return files
}
