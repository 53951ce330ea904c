package docsite

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mart-dev/mart/compiler"
)

// demo is the SODA Store's site with a last run (every node passed but
// one test of fct_reservations, which failed), a catalog entry for
// fct_reservations and the freshness of source raw.members.
type demoFixture struct {
	dir    string
	m      *compiler.Manifest
	run    *RunResults
	failed string // the unique id of the failed test
}

func demoSite(t *testing.T) demoFixture {
	t.Helper()
	m := demoManifest(t)
	rr := &RunResults{}
	rr.Metadata.Command, rr.Metadata.GeneratedAt, rr.Elapsed = "build", "2026-04-01T06:00:00Z", 12.5
	failed := ""
	for _, id := range m.AllIDs() {
		n := m.Node(id)
		switch {
		case n.ResourceType == compiler.TypeSource || n.Materialized() == "ephemeral":
		case n.ResourceType == compiler.TypeTest && failed == "" && n.AttachedNode == "model.soda.fct_reservations" && n.TestMetadata != nil:
			three := int64(3)
			failed = id
			rr.Results = append(rr.Results, RunResult{UniqueID: id, Status: "fail", Failures: &three, Message: "Got 3 results"})
		case n.ResourceType == compiler.TypeTest || n.ResourceType == compiler.TypeUnitTest:
			rr.Results = append(rr.Results, RunResult{UniqueID: id, Status: "pass"})
		default:
			rr.Results = append(rr.Results, RunResult{UniqueID: id, Status: "success", RowsAffected: 1000, ExecutionTime: 0.41})
		}
	}
	rows := int64(1000)
	cat := EmptyCatalog(mustTime(t, "2026-04-01T06:05:00Z"))
	cat.Nodes["model.soda.fct_reservations"] = catalogEntry("model.soda.fct_reservations", "", (&warehouseStats{
		name: "fct_reservations", kind: "table", rows: &rows, cols: [][2]string{{"reservation_id", "BIGINT"}, {"status", "VARCHAR"}}}).build())
	cat.Nodes["model.soda.fct_reservations"].Metadata.Schema = "main_marts"
	fresh := &Freshness{Results: []FreshnessResult{{UniqueID: "source.soda.raw.members", Status: "warn",
		MaxLoadedAt: "2026-03-31T20:00:00Z", AgeSeconds: 36000}}}
	dir := filepath.Join(t.TempDir(), "docs")
	_, err := Generate(dir, Input{Manifest: m, RunResults: rr, Catalog: cat, Freshness: fresh})
	require.NoError(t, err)
	return demoFixture{dir: dir, m: m, run: rr, failed: failed}
}

// A reader searches for a model, opens it, follows its lineage to a parent
// and on to a child, and reads what the pages say.
func TestDemoSiteAsAReaderUsesIt(t *testing.T) {
	d := demoSite(t)
	p := openSite(t, d.dir)

	p.open("", "overview")
	assert.Equal(t, "soda", p.text("main h1"))
	assert.Contains(t, p.text(".counts"), "18 models")
	assert.Contains(t, p.text(".run"), "fail")
	assert.Contains(t, p.text("main"), "Catalog read 2026-04-01 06:05:00 UTC: 1 relation.")
	assert.Positive(t, p.count(`svg.graph a.box.layer`), "the layers are drawn")

	// search as you type, then open the first result with Enter
	p.do(chromedp.Click(chromedp.CSS("#q")), chromedp.SendKeys(chromedp.CSS("#q"), "fct_res"))
	p.do(chromedp.WaitVisible(chromedp.CSS("#q-results li a")))
	assert.Contains(t, p.text("#q-results li:first-child .name"), "fct_reservations")
	p.follow("node", chromedp.SendKeys(chromedp.CSS("#q"), kb.Enter))
	assert.Equal(t, "#/node/model.soda.fct_reservations", p.hash())
	assert.True(t, strings.HasPrefix(p.text("main h1"), "fct_reservations"))
	assert.Contains(t, p.text(".description"), "One row per reservation")
	assert.Contains(t, p.text("table.facts"), "success")
	assert.Contains(t, p.text("table.facts"), "1,000")
	assert.Contains(t, p.text("table.columns"), "reservation_id")
	assert.Contains(t, p.text("table.columns"), "BIGINT", "the catalog's type")
	assert.Contains(t, p.text("pre.sql.compiled"), "select")
	assert.Positive(t, p.count(`pre.sql.compiled span.k`), "the SQL is highlighted")
	assert.Equal(t, 1, p.count(`a.test-chip.status-fail`), "the failed test shows on its column")
	assert.Equal(t, 1, p.count(`svg.graph a.box.focus[data-id="model.soda.fct_reservations"]`))

	// up the lineage to a parent...
	parent := `svg.graph a.box[data-id="model.soda.stg_reservations"]`
	require.Equal(t, 1, p.count(parent))
	p.follow("node", chromedp.Click(chromedp.CSS(parent)))
	assert.Equal(t, "#/node/model.soda.stg_reservations", p.hash())
	assert.True(t, strings.HasPrefix(p.text("main h1"), "stg_reservations"))
	// ...and down to another of its children
	child := `svg.graph a.box[data-id="model.soda.int_member_activity"]`
	require.Equal(t, 1, p.count(child), "stg_reservations's children are drawn")
	p.follow("node", chromedp.Click(chromedp.CSS(child)))
	assert.Equal(t, "#/node/model.soda.int_member_activity", p.hash())
	assert.Contains(t, p.text(".node-head"), "ephemeral")

	// the failed test's page
	p.open("#/node/"+d.failed, "node")
	assert.Contains(t, p.text("main h1"), "fail")
	assert.Contains(t, p.text("table.facts"), "3 failing rows")
	assert.Positive(t, p.count(`pre.sql.compiled`))

	// a source, by a link from elsewhere: its freshness
	p.open("#/node/source.soda.raw.members", "node")
	assert.Contains(t, p.text("table.facts"), "warn")
	assert.Contains(t, p.text("table.facts"), "2026-03-31 20:00:00 UTC")

	// an unknown id says so
	p.open("#/node/model.soda.nope", "missing")
}

func TestLineageDepthAndFilter(t *testing.T) {
	p := openSite(t, demoSite(t).dir)
	p.open("#/node/model.soda.fct_reservations", "node")
	all := p.count("svg.graph a.box")
	require.Greater(t, all, 5)

	// no upstream: only the node and what reads it
	p.do(chromedp.SetValue(chromedp.CSS(`select[data-depth=up]`), "0"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('select[data-depth=up]').dispatchEvent(new Event('change'))`))
	assert.Zero(t, p.count(`svg.graph a.box[data-id="model.soda.stg_reservations"]`))
	assert.Equal(t, 1, p.count(`svg.graph a.box.focus`))
	assert.Contains(t, p.hash(), "up=0")

	// back up all the way, keeping the sources only: they are joined to the
	// node by dashed lines through the models the filter hides
	p.open("#/node/model.soda.fct_reservations?up=all&down=0&filter=resource_type:source", "node")
	ids := eval[[]string](p, `[...document.querySelectorAll('svg.graph a.box')].map(a => a.dataset.id)`)
	assert.ElementsMatch(t, []string{"model.soda.fct_reservations", "source.soda.raw.app_events",
		"source.soda.raw.payments", "source.soda.raw.reservations"}, ids)
	assert.Equal(t, 3, p.count(`svg.graph path.edge.indirect`))

	// a selector error is shown, not thrown
	p.open("#/node/model.soda.fct_reservations?filter=resource_type:modle", "node")
	assert.Contains(t, p.text(".lineage .error"), `unknown resource type "modle"`)

	// the explorer draws a selection
	p.open("#/lineage?select="+urlQuery("+dim_members"), "lineage")
	assert.Equal(t, 1, p.count(`svg.graph a.box[data-id="model.soda.dim_members"]`))
	assert.Contains(t, p.text(".graph-note"), "nodes selected")
}

func urlQuery(s string) string { return strings.ReplaceAll(s, "+", "%2B") }

// The site works from a web server too (mart docs serve, or any static
// host).
func TestDemoSiteOverHTTP(t *testing.T) {
	d := demoSite(t)
	base := serveSite(t, d.dir)
	p := openSite(t, d.dir)
	p.root = base + "/index.html"
	p.open("#/node/model.soda.dim_members", "node")
	assert.Contains(t, p.text("main h1"), "dim_members")
	assert.Positive(t, p.count("table.columns tbody tr"))
	p.do(chromedp.SendKeys(chromedp.CSS("#q"), "members"))
	p.do(chromedp.WaitVisible(chromedp.CSS("#q-results li a")))
	assert.Positive(t, p.count("#q-results li a"))
}
