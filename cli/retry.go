package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/runner"
)

func init() { commands = append(commands, retryCmd) }

// commandKinds are the resource types each run-like command runs.
var commandKinds = map[string][]string{
	"run":      {compiler.TypeModel},
	"seed":     {compiler.TypeSeed},
	"snapshot": {compiler.TypeSnapshot},
	"test":     {compiler.TypeTest, compiler.TypeUnitTest},
	"build":    {compiler.TypeSeed, compiler.TypeModel, compiler.TypeSnapshot, compiler.TypeTest, compiler.TypeUnitTest},
}

func retryCmd(g *globals) *cobra.Command {
	var threads int
	cmd := &cobra.Command{
		Use:   "retry",
		Short: "Run again, with the same flags, the nodes of the last run that errored or failed, and those it skipped because of them",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("threads") && threads < 1 {
				return badInput("--threads must be at least 1, got %d", threads)
			}
			return g.retry(threads)
		},
	}
	cmd.Flags().IntVar(&threads, "threads", 0, "nodes to run at once (default: the last run's)")
	return cmd
}

func (g *globals) retry(threads int) error {
	proj, diags := g.loadProject(nil)
	if diags.HasErrors() {
		g.v.Diagnostics(diags)
		return badInput("the project file is invalid")
	}
	dir := proj.TargetPath
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(proj.Dir, dir)
	}
	last, err := runner.ReadResults(filepath.Join(dir, "run_results.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return badInput("nothing to retry: there is no %s/run_results.json (run mart build first)", proj.TargetPath)
	} else if err != nil {
		return badInput("reading the last run's results: %v", err)
	}
	command := last.Metadata.Command
	kinds, ok := commandKinds[command]
	if !ok {
		return badInput("the last run was %q, which mart retry cannot run again", command)
	}
	var prev runArgs
	b, _ := json.Marshal(last.Args)
	_ = json.Unmarshal(b, &prev)
	var ids []string
	for _, r := range last.Results {
		if r.Status == runner.StatusError || r.Status == runner.StatusFail || r.Status == runner.StatusSkipped {
			ids = append(ids, r.UniqueID)
		}
	}
	if len(ids) == 0 {
		g.v.Info(fmt.Sprintf("Nothing to retry: the last run (mart %s) had no errors, failures or skipped nodes.", command))
		return nil
	}
	if g.target == "" {
		g.target = prev.Target
	}
	if g.profile == "" {
		g.profile = prev.Profile
	}
	if !g.dbt.warnError && g.dbt.warnErrorOptions == "" { // as the last run
		w, err := parseWarnErrors(prev.WarnError, prev.WarnErrorOptions)
		if err != nil {
			return err
		}
		g.dbt.warnError, g.dbt.warnErrorOptions, g.dbt.warnErrors = prev.WarnError, prev.WarnErrorOptions, w
	}
	if g.vars == "" {
		if prev.VarsRedacted {
			return badInput("the last run's --vars held secrets, which run_results.json does not keep: pass --vars again, as the last run did")
		}
		g.vars = prev.Vars
	}
	f := &runFlags{threads: prev.Threads, fullRefresh: prev.FullRefresh, empty: prev.Empty, failFast: prev.FailFast,
		storeFailures: prev.StoreFailures, eventTimeStart: prev.EventTimeStart, eventTimeEnd: prev.EventTimeEnd,
		sel:       selection{selects: prev.Select, excludes: prev.Exclude, state: prev.State},
		deferring: deferFlags{enabled: prev.Defer, favorState: prev.FavorState}}
	if threads > 0 {
		f.threads = threads
	}
	invocation := newInvocationID()
	g.preopen = !f.dryRun || f.deferring.enabled
	g.empty = f.empty
	g.deferAhead(f)
	// the nodes to run again load from the patch snapshot as a run of a
	// selection does (--defer too; whatever its selectors: it runs ids)
	f.retrying = ids
	if res, known, ok, _ := g.selectFromPatch(f, false, invocation, false); ok {
		return g.runSelected(command, kinds, res, invocation, known, f, last.Metadata.InvocationID)
	}
	res, err := g.compileProject(f.fullRefresh, invocation)
	if err != nil {
		return err
	}
	var known []string
	for _, id := range ids {
		if res.Manifest.Node(id) != nil && !slices.Contains(known, id) {
			known = append(known, id)
		}
	}
	return g.runSelected(command, kinds, res, invocation, known, f, last.Metadata.InvocationID)
}
