package airflow

import (
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/bench/projgen"
	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/compiler/selector"
	"github.com/mart-dev/mart/plan"
	_ "github.com/mart-dev/mart/warehouse/duckdb" // the demo's target type; nothing connects
)

var update = flag.Bool("update", false, "rewrite the golden DAG files in testdata/")

var allKinds = []string{compiler.TypeSeed, compiler.TypeModel, compiler.TypeSnapshot, compiler.TypeTest,
	compiler.TypeUnitTest, compiler.TypeSource}

// generated is a DAG made from a compiled project, as `mart airflow
// generate` makes it.
type generated struct {
	res  *compiler.Result
	plan *plan.Plan
	dag  *DAG
	file []byte
}

func generate(t *testing.T, dir, groupBy string) generated {
	t.Helper()
	t.Setenv("MART_PROFILES_DIR", "")
	res, diags := compiler.Compile(compiler.Options{ProjectDir: dir})
	require.False(t, diags.HasErrors(), "%v", diags)
	p := plan.New(res, res.Manifest.AllIDs(), plan.Options{Kinds: allKinds})
	d, err := Build(p, res.Manifest, Options{GroupBy: groupBy, ExtractClashes: res.ExtractClashes})
	require.NoError(t, err)
	file := d.Python(FileOptions{Project: res.Project.Name, Airflow: res.Project.Airflow, Regenerate: "mart airflow generate --out dag.py"})
	return generated{res, p, d, file}
}

// TestDemoDAG pins the DAG of the SODA Store (the repository root) and
// checks it: valid Python, loadable with Airflow 2's and 3's import paths,
// every step in exactly one task, each command selecting what its task
// runs, dependencies that follow the plan.
func TestDemoDAG(t *testing.T) {
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	for _, by := range []string{ByNode, ByFolder} {
		t.Run(by, func(t *testing.T) {
			g := generate(t, root, by)
			golden(t, "soda_store_by_"+by+".py", g.file)
			g.check(t)
			if by == ByNode {
				up := g.dag.Task("dim_members").Upstream
				assert.Contains(t, up, "fct_reservations")
				assert.NotContains(t, up, "stg_payments", "implied: fct_payments, upstream of fct_reservations, waits for it")
			}
			again := generate(t, root, by)
			assert.Equal(t, string(g.file), string(again.file), "the same project gives the same bytes")
		})
	}
}

// TestDemoPipelineDAG: with SODA_PIPELINE set the demo's source raw is
// the tables mart extract lands, and each is extracted first, before its
// freshness check and its tests; without it the source reads the seeds,
// which mart extract would overwrite, and the DAG extracts nothing
// (TestDemoDAG's golden files).
func TestDemoPipelineDAG(t *testing.T) {
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	t.Setenv("SODA_PIPELINE", "1")
	g := generate(t, root, ByNode)
	g.check(t)
	var extracts []string
	for _, task := range g.dag.Tasks {
		if task.Kind == KindExtract {
			extracts = append(extracts, task.ID)
			assert.Empty(t, task.Upstream, "%s waits for nothing", task.ID)
		}
	}
	assert.Equal(t, []string{"extract_raw_app_events", "extract_raw_cars", "extract_raw_members", "extract_raw_payments",
		"extract_raw_reservations", "extract_raw_zones"}, extracts)
	assert.Equal(t, []string{"extract_raw_members"}, g.dag.Task("freshness_raw_members").Upstream)
	assert.Equal(t, []string{"extract", "--select", "source:raw.members"}, g.dag.Task("extract_raw_members").Args)
}

// TestExtractTasksFollowExtract: a source table gets an extract task
// exactly when mart extract would land it: not where a seed builds its
// relation (a source written with its database too), but where only an
// ephemeral model is named like it (it builds nothing).
func TestExtractTasksFollowExtract(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"mart.yml":         "name: tiny\n",
		"seeds/people.csv": "id,name\n1,Ann\n",
		"models/zones.sql": "{{ config(materialized='ephemeral') }}\nselect * from {{ source('ext', 'zones') }}",
		"models/m.sql":     "select * from {{ ref('zones') }} join {{ source('raw', 'people') }} using (id)",
		"models/sources.yml": `version: 2
sources:
  - name: raw
    database: mart
    schema: main
    tables:
      - name: people
        extract: {from: postgres, dsn: "{{ env_var('PEOPLE_DSN', 'x') }}"}
  - name: ext
    schema: main
    tables:
      - name: zones
        extract: {from: files, path: zones.csv}
`,
		"profiles.yml": "tiny:\n  target: dev\n  outputs:\n    dev: {type: duckdb, path: target/mart.duckdb}\n",
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	}
	g := generate(t, dir, ByNode)
	var extracts []string
	for _, task := range g.dag.Tasks {
		if task.Kind == KindExtract {
			extracts = append(extracts, task.ID)
		}
	}
	assert.Equal(t, []string{"extract_ext_zones"}, extracts)
}

// TestSynthetic1000DAG pins the DAG of a generated 1,000-model project.
func TestSynthetic1000DAG(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "p")
	require.NoError(t, projgen.Generate(dir, projgen.Options{Models: 1000, Seed: 1}))
	g := generate(t, dir, ByNode)
	golden(t, "synth_1000.py", g.file)
	g.check(t)
	assert.Len(t, g.dag.Tasks, 1001, "a task per model and one for the seed")
}

// Grouping can make groups wait for each other: the demo's finance and
// core tags do. That is bad input, named.
func TestGroupCycle(t *testing.T) {
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	t.Setenv("MART_PROFILES_DIR", "")
	res, diags := compiler.Compile(compiler.Options{ProjectDir: root})
	require.False(t, diags.HasErrors(), "%v", diags)
	p := plan.New(res, res.Manifest.AllIDs(), plan.Options{Kinds: allKinds})
	_, err = Build(p, res.Manifest, Options{GroupBy: ByTag})
	require.EqualError(t, err, "these groups would wait for each other: tag_finance -> tag_core -> tag_finance; "+
		"group by node, or move the models so each folder or tag only reads the ones before it")
	_, err = Build(p, res.Manifest, Options{GroupBy: "schema"})
	require.EqualError(t, err, `--group-by must be node, folder or tag, not "schema"`)
}

func (g generated) check(t *testing.T) {
	t.Helper()
	checkPython(t, g.file, g.dag)
	g.checkCoverage(t)
	g.checkSelections(t)
	g.checkOrder(t)
}

// checkCoverage: every step that runs something is in exactly one task.
func (g generated) checkCoverage(t *testing.T) {
	t.Helper()
	in := map[string]string{}
	for _, task := range g.dag.Tasks {
		for _, id := range task.Steps {
			require.Empty(t, in[id], "%s is in tasks %s and %s", id, in[id], task.ID)
			in[id] = task.ID
		}
	}
	for _, s := range g.plan.Steps {
		if s.Action.Runs() {
			assert.NotEmpty(t, in[s.ID], "step %s is in no task", s.ID)
		}
	}
}

// checkSelections runs each command's --select and --exclude through the
// real selector, with `mart build`'s indirect test selection, and compares
// what the command would run with the task's steps.
func (g generated) checkSelections(t *testing.T) {
	t.Helper()
	sg := selectorGraph(g.res.Manifest)
	for _, task := range g.dag.Tasks {
		if task.Kind == KindExtract || task.Kind == KindFreshness {
			continue
		}
		sel, exc := flagValue(task.Args, "--select"), flagValue(task.Args, "--exclude")
		ids, err := selector.Select(sg, sel, exc, selector.Options{IndirectTests: true})
		require.NoError(t, err, task.ID)
		kinds := allKinds[:5]
		if task.Args[0] == "test" {
			kinds = []string{compiler.TypeTest, compiler.TypeUnitTest}
		}
		var runs []string
		for _, id := range ids {
			if slices.Contains(kinds, g.res.Manifest.Node(id).ResourceType) {
				runs = append(runs, id)
			}
		}
		want := slices.Clone(task.Steps)
		slices.Sort(want)
		assert.Equal(t, want, runs, "task %s: mart %s", task.ID, strings.Join(task.Args, " "))
	}
}

// checkOrder: a step's parents run in its task or in a task upstream of it.
func (g generated) checkOrder(t *testing.T) {
	t.Helper()
	taskOf := map[string]*Task{}
	for _, task := range g.dag.Tasks {
		for _, id := range task.Steps {
			taskOf[id] = task
		}
	}
	before := func(a, b *Task) bool { // a is upstream of b
		seen := map[string]bool{}
		stack := []string{b.ID}
		for len(stack) > 0 {
			id := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, up := range g.dag.Task(id).Upstream {
				if up == a.ID {
					return true
				}
				if !seen[up] {
					seen[up] = true
					stack = append(stack, up)
				}
			}
		}
		return false
	}
	for _, s := range g.plan.Steps {
		mine := taskOf[s.ID]
		for _, p := range s.Parents {
			if theirs := taskOf[p]; mine != nil && theirs != nil && theirs != mine {
				assert.True(t, before(theirs, mine), "%s (task %s) reads %s (task %s), which is not upstream", s.ID, mine.ID, p, theirs.ID)
			}
		}
	}
}

func flagValue(args []string, flag string) []string {
	for i, a := range args {
		if a == flag && i+1 < len(args) {
			return []string{args[i+1]}
		}
	}
	return nil
}

func selectorGraph(m *compiler.Manifest) *selector.Graph {
	g := &selector.Graph{Nodes: map[string]*selector.Node{}}
	for _, id := range m.AllIDs() {
		n := m.Node(id)
		g.Nodes[id] = &selector.Node{UniqueID: id, Name: n.Name, ResourceType: n.ResourceType, Path: n.Path, FQN: n.FQN,
			Tags: n.Tags, Config: n.Config, SourceName: n.SourceName, Package: n.Package, TestType: n.TestType,
			DependsOn: n.DependsOn.Nodes}
	}
	return g
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file (go test ./airflow -update)")
	assert.Equal(t, string(want), string(got), "%s differs (go test ./airflow -update to accept)", path)
}

// checkPython parses the file with python3's ast module and runs it
// against two stand-ins of Airflow's import paths (Airflow 2's
// airflow.DAG and airflow.operators.bash, Airflow 3's airflow.sdk and the
// standard provider): each records the DAG's arguments, tasks and edges,
// which must be the DAG's.
func checkPython(t *testing.T, file []byte, d *DAG) {
	t.Helper()
	py := python3(t)
	dir := t.TempDir()
	dag := filepath.Join(dir, "dag.py")
	require.NoError(t, os.WriteFile(dag, file, 0o644))
	out, err := exec.Command(py, "-c", "import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])", dag).CombinedOutput()
	require.NoError(t, err, "python3's ast rejects the file: %s", out)
	for _, version := range []string{"2", "3"} {
		stub := writeAirflowStub(t, version)
		cmd := exec.Command(py, filepath.Join(stub, "load.py"), dag)
		cmd.Env = append(os.Environ(), "PYTHONPATH="+stub, "MART_BIN=/usr/local/bin/mart", "MART_PROJECT_DIR=/srv/project")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("running the DAG file with Airflow %s's import paths: %s", version, errText(err))
		}
		var loaded struct {
			Version string            `json:"version"`
			DAG     map[string]any    `json:"dag"`
			Tasks   map[string]stubOp `json:"tasks"`
			Edges   [][2]string       `json:"edges"`
		}
		require.NoError(t, json.Unmarshal(out, &loaded))
		assert.Equal(t, version, loaded.Version)
		require.Len(t, loaded.Tasks, len(d.Tasks))
		edges := 0
		for _, task := range d.Tasks {
			op, ok := loaded.Tasks[task.ID]
			require.True(t, ok, "task %s", task.ID)
			assert.Equal(t, "/srv/project", op.Cwd)
			assert.Equal(t, "/usr/local/bin/mart "+shellJoin(task.Args), strings.TrimSpace(op.Command), task.ID)
			edges += len(task.Upstream)
		}
		assert.Len(t, loaded.Edges, edges)
	}
}

type stubOp struct {
	Command string `json:"bash_command"`
	Cwd     string `json:"cwd"`
}

func python3(t *testing.T) string {
	py, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("MART_REQUIRE_SERVICES") == "1" {
			t.Fatal("python3 is required to check the DAG files (MART_REQUIRE_SERVICES=1)")
		}
		t.Skip("python3 is not installed: the DAG files are not parsed")
	}
	return py
}

func errText(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return err.Error()
}
