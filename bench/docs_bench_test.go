package bench

// The docs site at 10,000 models: docsite.Generate in process (the warehouse
// catalog query excluded: the catalog is made up), then the generated site
// in headless Chromium from file://, as a reader meets it. Targets
// (docs/docs-site.md): generate under 2 s, first page under 1 s, a search
// under 100 ms, a node's page with its lineage under 300 ms.

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/mart-dev/mart/bench/projgen"
	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/docsite"
	"github.com/mart-dev/mart/internal/headless"
)

var docs10k struct {
	once  sync.Once
	in    docsite.Input
	site  string
	stats docsite.Stats
	err   error
}

// docsInput compiles a generated 10,000-model project once and gives it a
// last run (every node succeeded) and a catalog (three typed columns and a
// row count per model), so the site is as big as a real one.
func docsInput(b *testing.B) (docsite.Input, string, docsite.Stats) {
	docs10k.once.Do(func() {
		dir := filepath.Join(scratchDir(b), "docs10k")
		if docs10k.err = projgen.Generate(dir, projgen.Options{Models: 10000, Seed: 1}); docs10k.err != nil {
			return
		}
		res, diags := compiler.Compile(compiler.Options{ProjectDir: dir})
		if diags.HasErrors() {
			docs10k.err = diags
			return
		}
		docs10k.in = docsite.Input{Manifest: res.Manifest, RunResults: &docsite.RunResults{}, Catalog: docsite.EmptyCatalog(time.Now())}
		for _, id := range res.Manifest.AllIDs() {
			n := res.Manifest.Node(id)
			status := "success"
			switch n.ResourceType {
			case compiler.TypeTest, compiler.TypeUnitTest:
				status = "pass"
			case compiler.TypeModel:
				docs10k.in.Catalog.Nodes[id] = fakeCatalogEntry(id, n)
			}
			docs10k.in.RunResults.Results = append(docs10k.in.RunResults.Results,
				docsite.RunResult{UniqueID: id, Status: status, RowsAffected: 100, ExecutionTime: 0.01})
		}
		docs10k.site = filepath.Join(dir, "target", "docs")
		docs10k.stats, docs10k.err = docsite.Generate(docs10k.site, docs10k.in)
	})
	if docs10k.err != nil {
		b.Fatal(docs10k.err)
	}
	return docs10k.in, docs10k.site, docs10k.stats
}

func fakeCatalogEntry(id string, n *compiler.Node) *docsite.CatalogEntry {
	e := &docsite.CatalogEntry{UniqueID: id, Metadata: docsite.CatalogTable{Type: "table", Schema: n.Schema, Name: n.Alias},
		Columns: map[string]docsite.CatalogColumn{}, Stats: map[string]docsite.CatalogStat{
			"row_count": {ID: "row_count", Label: "Row count", Value: int64(100), Include: true}}}
	for i, c := range [][2]string{{"id", "INTEGER"}, {"name", "VARCHAR"}, {"amount", "INTEGER"}} {
		e.Columns[c[0]] = docsite.CatalogColumn{Type: c[1], Index: i + 1, Name: c[0]}
	}
	return e
}

// BenchmarkDocsGenerate10k is docsite.Generate on the 10,000-model project
// (20,000 tests): ns/op is wall time, cpu-ms/op the process's CPU time.
func BenchmarkDocsGenerate10k(b *testing.B) {
	in, _, _ := docsInput(b)
	out := filepath.Join(b.TempDir(), "docs")
	var st docsite.Stats
	cpu0 := cpuTime()
	b.ResetTimer()
	for b.Loop() {
		var err error
		if st, err = docsite.Generate(out, in); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/n, "wall-ms/op")
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/n, "cpu-ms/op")
	b.ReportMetric(float64(st.Bytes)/1e6, "MB-written")
	b.ReportMetric(float64(st.Files), "files")
	b.ReportMetric(float64(st.FirstPaintBytes)/1e3, "first-paint-kB")
}

// cpuTime is the user and system CPU time of this process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkDocsBrowser10k opens the 10,000-model site from file:// in a
// fresh tab of headless Chromium per iteration and measures, in the page
// (performance.now), what a reader waits for:
//
//   - first-paint: first-contentful-paint; first-page: the overview drawn;
//   - search: from typing a query (an input event) to its results painted,
//     once data/search.js has arrived;
//   - node: from following a link to a model's page to its details and
//     lineage painted (its shard loaded on demand);
//   - node-fanout: the same for the seed that 1,174 models read (its
//     lineage holds thousands of nodes; columns are cut to 24 boxes).
func BenchmarkDocsBrowser10k(b *testing.B) {
	_, site, stats := docsInput(b)
	path, err := headless.Find()
	if err != nil {
		b.Skipf("skipping: %v", err)
	}
	profile := filepath.Join(scratchDir(b), "chromium-profile")
	browser, err := headless.Start(context.Background(), path, profile)
	if err != nil {
		b.Fatal(err)
	}
	defer func() { browser.Close(); os.RemoveAll(profile) }()
	url := "file://" + filepath.ToSlash(site) + "/index.html"

	figures := map[string][]float64{}
	for b.Loop() {
		for k, v := range measureSite(b, browser, url) {
			figures[k] = append(figures[k], v)
		}
	}
	b.StopTimer()
	for _, k := range []string{"first-paint", "first-page", "search", "node", "node-fanout"} {
		b.ReportMetric(median(figures[k]), k+"-ms")
		b.ReportMetric(maxOf(figures[k]), k+"-max-ms")
	}
	b.ReportMetric(float64(stats.FirstPaintBytes)/1e3, "first-paint-kB")
}

// The page-side measurements: each resolves to milliseconds, paint
// included (a requestAnimationFrame, then a task after that frame).
const (
	jsAfterPaint = `new Promise(r => requestAnimationFrame(() => setTimeout(r)))`
	jsFirstPaint = `(async () => {
		while (document.getElementById('main').dataset.state !== 'ready') await new Promise(r => setTimeout(r, 5));
		await ` + jsAfterPaint + `;
		const fcp = performance.getEntriesByName('first-contentful-paint')[0];
		const page = performance.getEntriesByName('mart-first-page')[0];
		return [fcp ? fcp.startTime : -1, page ? page.startTime : -1];
	})()`
	jsSearch = `(async () => {
		while (!martDocs.loaded().search) await new Promise(r => setTimeout(r, 5));
		const q = document.getElementById('q');
		const t0 = performance.now();
		q.value = 'm_99 amount';
		q.dispatchEvent(new Event('input'));
		await ` + jsAfterPaint + `;
		const n = document.querySelectorAll('#q-results li a').length;
		if (!n) throw new Error('no search results');
		return performance.now() - t0;
	})()`
	jsNode = `(async (id) => {
		const main = document.getElementById('main');
		const t0 = performance.now();
		const ready = new Promise(r => new MutationObserver((_, o) => {
			if (main.dataset.page === 'node' && main.dataset.state === 'ready') { o.disconnect(); r(); }
		}).observe(main, { attributes: true }));
		location.hash = '#/node/' + id;
		await ready;
		await ` + jsAfterPaint + `;
		if (!document.querySelector('svg.graph a.box.focus')) throw new Error('no lineage drawn');
		return performance.now() - t0;
	})`
)

func measureSite(b *testing.B, browser *headless.Browser, url string) map[string]float64 {
	tab, err := browser.NewTab()
	if err != nil {
		b.Fatal(err)
	}
	defer tab.Close()
	ctx, cancel := context.WithTimeout(tab.Ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		b.Fatal(err)
	}
	eval := func(expr string) any {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[any](expr, chromedp.EvalAwaitPromise))
		if err != nil {
			b.Fatalf("%v\nin %s", err, expr)
		}
		return v
	}
	paint := eval(jsFirstPaint).([]any)
	out := map[string]float64{"first-paint": paint[0].(float64), "first-page": paint[1].(float64)}
	out["search"] = eval(jsSearch).(float64)
	out["node"] = eval(jsNode + `("model.synth.m_5000")`).(float64)
	out["node-fanout"] = eval(jsNode + `("seed.synth.base")`).(float64)
	if problems := tab.Problems(); len(problems) > 0 {
		b.Fatalf("the page reported: %v", problems)
	}
	return out
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}

func maxOf(xs []float64) float64 {
	m := 0.0
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}
