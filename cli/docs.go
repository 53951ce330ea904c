package cli

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/mart-dev/mart/cli/view"
	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/docsite"
)

func init() { commands = append(commands, docsCmd) }

func docsCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "docs",
		Short: "Generate and serve the project's documentation site (target/docs)",
	}
	var emptyCatalog bool
	generate := &cobra.Command{
		Use:   "generate",
		Short: "Write target/docs: every node, column, test and the lineage, with catalog.json read from the warehouse",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return g.docsGenerate(emptyCatalog) },
	}
	generate.Flags().BoolVar(&emptyCatalog, "empty-catalog", false, "do not read the warehouse: catalog.json holds no relation")
	var host string
	var port int
	serve := &cobra.Command{
		Use:   "serve",
		Short: "Serve target/docs over HTTP (on 127.0.0.1 unless --host says otherwise)",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return g.docsServe(host, port) },
	}
	serve.Flags().StringVar(&host, "host", "127.0.0.1", "address to listen on (0.0.0.0 for every interface)")
	serve.Flags().IntVar(&port, "port", 8080, "port to listen on (0: any free one)")
	cmd.AddCommand(generate, serve)
	return cmd
}

// docsGenerate writes target/ as `mart compile` does, then the docs site.
// Its compile keeps the patch snapshot `mart compile` keeps, so the next
// compile patches instead of compiling the whole project again (before,
// a manifest.json rewritten by docs generate made it compile whole). The
// models that query the warehouse while they render are rendered against
// it, as `mart compile` renders them; with --empty-catalog, which opens no
// warehouse, they keep their text without it and no snapshot is kept.
func (g *globals) docsGenerate(emptyCatalog bool) error {
	g.preopen = !emptyCatalog
	keep := g.partialParse && !g.noPartialParse
	// (as a run's compile: it writes the render cache too when there was
	// none it could use, which the next docs generate reuses)
	g.patchSnapshot, g.running = keep, keep
	res, err := g.compileProject(false, newInvocationID())
	if err != nil {
		return err
	}
	defer res.DropPatch() // a snapshot not kept
	ids, err := g.selectNodes(res, &selection{}, false)
	if err != nil {
		return err
	}
	switch {
	case !emptyCatalog:
		if res, err = g.renderWithWarehouse(res, nil, ids); err != nil {
			return err
		}
	case len(runTimeRendered(res, ids)) > 0:
		keep = false // target/ is not what `mart compile` writes
	}
	files := compiledFiles(res, ids, &selection{})
	if err := res.WriteTarget(files); err != nil {
		return &exitError{ExitFailure, err}
	}
	if keep {
		res.KeepPatch(files, g.printedDiags, typeCounts(res, ids), len(ids))
	}
	target := res.TargetDir()
	cat, err := g.catalog(res, emptyCatalog)
	if err != nil {
		return err
	}
	if err := docsite.WriteCatalog(filepath.Join(target, "catalog.json"), cat); err != nil {
		return &exitError{ExitFailure, err}
	}
	rr, err := docsite.ReadRunResults(filepath.Join(target, "run_results.json"))
	if err != nil {
		g.v.Warn(fmt.Sprintf("run_results.json is not read: %v", err))
	}
	fr, err := docsite.ReadFreshness(filepath.Join(target, "sources.json"))
	if err != nil {
		g.v.Warn(fmt.Sprintf("sources.json is not read: %v", err))
	}
	st, err := docsite.Generate(filepath.Join(target, "docs"), docsite.Input{Manifest: res.Manifest, RunResults: rr, Catalog: cat, Freshness: fr})
	if err != nil {
		return &exitError{ExitFailure, err}
	}
	g.v.Info(fmt.Sprintf("Wrote %s/docs: %d node%s and %d test%s in %d files (%s; %s before the first page shows). Open %s/docs/index.html or run mart docs serve.",
		res.Project.TargetPath, st.Nodes, plural(st.Nodes), st.Tests, plural(st.Tests), st.Files, view.HumanBytes(st.Bytes),
		view.HumanBytes(st.FirstPaintBytes), res.Project.TargetPath))
	return nil
}

// catalog reads catalog.json's relations from the warehouse, or none.
func (g *globals) catalog(res *compiler.Result, empty bool) (*docsite.Catalog, error) {
	if empty {
		return docsite.EmptyCatalog(time.Now()), nil
	}
	wh, err := g.openWarehouse(res)
	if err != nil {
		return nil, err
	}
	defer wh.Close()
	src, ok := wh.(docsite.CatalogSource)
	if !ok {
		return nil, badInput("the %s adapter cannot read a catalog: use --empty-catalog", wh.Name())
	}
	cat, err := docsite.CatalogFromWarehouse(g.ctx, src, res.Manifest, time.Now())
	if err != nil {
		return nil, &exitError{ExitFailure, err}
	}
	for _, e := range cat.Errors {
		g.v.Warn(fmt.Sprintf("catalog: %v", e))
	}
	return cat, nil
}

func (g *globals) docsServe(host string, port int) error {
	proj, diags := g.loadProject(nil)
	if diags.HasErrors() {
		g.v.Diagnostics(diags)
		return badInput("the project file is invalid")
	}
	dir := proj.TargetPath
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(proj.Dir, dir)
	}
	ln, err := docsite.Listen(host, port)
	if err != nil {
		return badInput("%v", err)
	}
	g.v.Info(fmt.Sprintf("Serving the docs at http://%s/ (Ctrl-C to stop)", ln.Addr()))
	if err := docsite.ServeListener(g.ctx, filepath.Join(dir, "docs"), ln); err != nil {
		return &exitError{ExitFailure, err}
	}
	return nil
}
