package docsite

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// documented is testProject with YAML docs and tests.
func documented() map[string]string {
	files := map[string]string{}
	for k, v := range testProject {
		files[k] = v
	}
	files["models/marts/_marts.yml"] = `models:
  - name: fct_a
    description: "The **a** facts."
    meta: {owner: "data-team@example.com"}
    columns:
      - name: id
        description: Key.
        data_tests: [unique, not_null, {relationships: {to: ref('stg_a'), field: id}}]
      - name: gone
        description: Documented but not built.
`
	return files
}

func TestIndexRows(t *testing.T) {
	m := compileProject(t, documented())
	rr := &RunResults{Results: []RunResult{{UniqueID: "model.p.fct_a", Status: "error"}}}
	s := newSite(Input{Manifest: m, RunResults: rr})
	idx, err := s.index()
	require.NoError(t, err)

	var ids []string
	for _, n := range s.nodes {
		ids = append(ids, n.UniqueID)
	}
	assert.Equal(t, []string{"model.p.fct_a", "model.p.stg_a", "model.p.stg_eph", "seed.p.s", "source.p.raw.a"}, ids, "every node but the tests, by unique id")
	assert.Equal(t, 3, idx.Counts["test"])

	row := func(id string) []any { return idx.Nodes[s.pos[id]] }
	fct := row("model.p.fct_a")
	assert.Equal(t, "fct_a", fct[0])
	assert.Equal(t, "model", idx.Types[fct[1].(int)])
	assert.Equal(t, "models/marts", idx.Dirs[fct[3].(int)])
	assert.Equal(t, 0, fct[4], "the file is the name plus .sql")
	assert.Equal(t, []string{"p", "marts"}, idx.FQNs[fct[5].(int)])
	assert.Equal(t, "error", idx.Statuses[fct[9].(int)])
	assert.Equal(t, []int{s.pos["model.p.stg_a"], s.pos["model.p.stg_eph"]}, fct[10])
	assert.Len(t, fct, 11, "nothing extra to say")

	src := row("source.p.raw.a")
	assert.Equal(t, "_src.yml", src[4])
	assert.Equal(t, map[string]any{"src": "raw"}, src[11])
	assert.Equal(t, "", idx.Statuses[src[9].(int)])

	// the relationships test reads fct_a and stg_a: the @ operator goes through it
	assert.Equal(t, [][]int{{s.pos["model.p.fct_a"], s.pos["model.p.stg_a"]}}, idx.TestParents)
}

func TestDerivedIDsAreKeptWhenTheyDiffer(t *testing.T) {
	m := compileProject(t, testProject)
	n := m.Nodes["model.p.stg_a"]
	delete(m.Nodes, n.UniqueID)
	n.UniqueID = "model.p.stg_a.v2"
	m.Nodes[n.UniqueID] = n
	m = reread(t, m) // AllIDs is computed once
	s := newSite(Input{Manifest: m})
	idx, err := s.index()
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"id": "model.p.stg_a.v2"}, idx.Nodes[s.pos["model.p.stg_a.v2"]][11])
}

func TestDetailMergesDocsCatalogTestsAndRun(t *testing.T) {
	m := compileProject(t, documented())
	rows := int64(42)
	cat := EmptyCatalog(mustTime(t, "2026-04-01T00:00:00Z"))
	cat.Nodes["model.p.fct_a"] = catalogEntry("model.p.fct_a", "", (&warehouseStats{
		name: "fct_a", kind: "table", rows: &rows, cols: [][2]string{{"ID", "INTEGER"}, {"amount", "DOUBLE"}}}).build())
	var unique string
	for id, n := range m.Nodes {
		if n.TestMetadata != nil && n.TestMetadata.Name == "unique" {
			unique = id
		}
	}
	rr := &RunResults{Results: []RunResult{{UniqueID: "model.p.fct_a", Status: "success", RowsAffected: 42, ExecutionTime: 0.5,
		Timing: []RunTiming{{CompletedAt: mustTime(t, "2026-04-01T01:02:03Z")}}}, {UniqueID: unique, Status: "pass"}}}
	s := newSite(Input{Manifest: m, Catalog: cat, RunResults: rr})
	d := s.detail(m.Nodes["model.p.fct_a"])

	assert.Equal(t, "<p>The <strong>a</strong> facts.</p>\n", d.Description)
	assert.Equal(t, "data-team@example.com", d.Owner)
	assert.Contains(t, d.Raw, `<span class=nf>ref</span>`)
	assert.Contains(t, d.Compiled, `<span class=k>select </span>`)
	assert.Equal(t, &runDetail{Status: "success", Rows: 42, Seconds: 0.5, CompletedAt: "2026-04-01T01:02:03Z"}, d.Run)
	assert.Equal(t, &statsDetail{Kind: "table", Relation: "main.fct_a", Rows: int64(42)}, d.Stats)

	require.Len(t, d.Columns, 3)
	assert.Equal(t, "ID", d.Columns[0].Name, "the warehouse's name and order first")
	assert.Equal(t, "INTEGER", d.Columns[0].Type)
	assert.Equal(t, "both", d.Columns[0].Where)
	assert.Equal(t, "<p>Key.</p>\n", d.Columns[0].Description)
	assert.Equal(t, columnDetail{Name: "amount", Type: "DOUBLE", Where: "warehouse"}, d.Columns[1])
	assert.Equal(t, "gone", d.Columns[2].Name)
	assert.Equal(t, "docs", d.Columns[2].Where)

	require.Len(t, d.Tests, 3)
	var kinds []string
	for _, k := range d.Columns[0].Tests {
		kinds = append(kinds, d.Tests[k].Kind)
	}
	assert.ElementsMatch(t, []string{"unique", "not_null", "relationships"}, kinds)
	for _, tr := range d.Tests {
		if tr.ID == unique {
			assert.Equal(t, "pass", tr.Status)
		}
	}

	// stg_a is read by the relationships test, which is not on its columns
	stg := s.detail(m.Nodes["model.p.stg_a"])
	require.Len(t, stg.Tests, 1)
	assert.Equal(t, "relationships", stg.Tests[0].Kind)
	assert.Empty(t, stg.Tests[0].Column)
}

func TestTestDetail(t *testing.T) {
	m := compileProject(t, documented())
	s := newSite(Input{Manifest: m})
	for _, tn := range s.tests {
		d := s.testDetail(tn)
		assert.Equal(t, "model.p.fct_a", d.Attached)
		assert.Equal(t, "id", d.Column)
		assert.NotEmpty(t, d.Compiled)
		if d.Kind == "relationships" {
			assert.Equal(t, "id", d.Kwargs["field"])
		}
		assert.Less(t, s.testShard(tn.UniqueID), s.testShards)
	}
}
