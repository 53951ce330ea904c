package cli

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/compiler/selector"
	"github.com/mart-dev/mart/freshness"
)

func init() { commands = append(commands, sourceCmd) }

func sourceCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "source", Short: "Commands about the project's sources", Args: cobra.NoArgs}
	cmd.AddCommand(freshnessCmd(g))
	return cmd
}

func freshnessCmd(g *globals) *cobra.Command {
	var sel selection
	cmd := &cobra.Command{
		Use:   "freshness",
		Short: "Check how new the newest row of each source is (loaded_at_field against warn_after and error_after); write target/sources.json",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return g.sourceFreshness(&sel) },
	}
	sel.register(cmd)
	return cmd
}

// sourceFreshness checks the selected sources that have a freshness:
// block. A stale source (error_after) or a check that cannot run is exit 1;
// a freshness: block without loaded_at_field is bad input (exit 2).
func (g *globals) sourceFreshness(sel *selection) error {
	invocation := newInvocationID()
	g.preopen = true
	// the selected sources load from the patch snapshot (an orchestrator
	// checks freshness before each build)
	res, ids, err := g.loadToRead(&runFlags{sel: *sel, sources: true}, invocation)
	if err != nil {
		return err
	}
	var sources []*compiler.Node
	var missing compiler.Diagnostics
	for _, id := range ids {
		n := res.Manifest.Sources[id]
		if n == nil || n.Freshness == nil {
			continue
		}
		if why := freshness.Missing(n); why != "" {
			file, line := n.Declared()
			missing = append(missing, compiler.Diagnostic{Severity: compiler.SevError, File: file, Line: line, Summary: why})
			continue
		}
		sources = append(sources, n)
	}
	if len(missing) > 0 {
		g.v.Diagnostics(missing)
		return badInput("%d source%s cannot be checked; nothing was checked", len(missing), plural(len(missing)))
	}
	if len(sources) == 0 {
		g.v.Info("Nothing to check: no selected source has a freshness: block (warn_after or error_after) and a loaded_at_field.")
		return nil
	}
	wh, err := g.openWarehouse(res)
	if err != nil {
		return err
	}
	defer wh.Close()
	start := time.Now()
	var results []*freshness.Result
	failed := false
	for i, n := range sources {
		r := freshness.Check(g.ctx, wh, n)
		results = append(results, r)
		failed = failed || r.Failed()
		g.v.FreshnessChecked(r, i+1, len(sources))
	}
	elapsed := time.Since(start)
	if err := freshness.Write(res.TargetDir(), invocation, results, elapsed); err != nil {
		return &exitError{ExitFailure, fmt.Errorf("writing sources.json: %w", err)}
	}
	g.v.FreshnessFinished(results, elapsed)
	if failed {
		return &exitError{ExitFailure, nil}
	}
	return nil
}

// sourceStatusOptions reads, for source_status:, the newest loaded_at of
// each source now (target/sources.json) and in the state (--state DIR).
// Only a selection that names source_status reads them.
func sourceStatusOptions(targetDir string, s *selection, opt *selector.Options) error {
	// (a selector's definition's too; a selection that does not parse
	// is Select's to report)
	if m := s.methods(); m == nil || !m["source_status"] {
		return nil
	}
	now, err := freshness.ReadLoadedAt(filepath.Join(targetDir, "sources.json"))
	if err != nil {
		return badInput("source_status: reads target/sources.json, written by `mart source freshness`: %v", err)
	}
	opt.SourcesLoadedAt = now
	if s.state == "" {
		return nil // the selector says --state is missing
	}
	before, err := freshness.ReadLoadedAt(filepath.Join(s.state, "sources.json"))
	if err != nil {
		return badInput("source_status: reads the sources.json of --state %s: %v", s.state, err)
	}
	opt.StateSourcesLoadedAt = before
	return nil
}
