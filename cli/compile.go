package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mart-dev/mart/cli/view"
	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/compiler/selector"
	"github.com/mart-dev/mart/internal/phase"
	"github.com/mart-dev/mart/warehouse"
)

func init() { commands = append(commands, compileCmd, lsCmd) }

// compiledFiles is what `mart compile` writes to target/compiled: every
// selected node, except that without --select the generic tests declared in
// YAML are left out. They are most of a project's nodes and the costliest
// part of a compile to write (a file each), their compiled SQL is in
// manifest.json, and `mart test`/`mart build` write each one as it runs, so
// a failing test always points at its file. `mart compile --select
// <test or resource_type:test>` writes them.
func compiledFiles(res *compiler.Result, ids []string, sel *selection) []string {
	if len(sel.selects) > 0 {
		return ids
	}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if n := res.Manifest.Node(id); n != nil && n.ResourceType == compiler.TypeTest && n.TestType == "generic" {
			continue
		}
		out = append(out, id)
	}
	return out
}

func compileCmd(g *globals) *cobra.Command {
	var sel selection
	cmd := &cobra.Command{
		Use: "compile",
		// dbt parse writes manifest.json without compiling: a compile of
		// every node costs here what dbt's parse costs, and writes the
		// same manifest (compiled code included) for the tools that read it
		Aliases: []string{"parse"},
		Short:   "Render every selected model to target/compiled/ and write target/manifest.json (also: parse)",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			whole := len(sel.selects) == 0 && len(sel.excludes) == 0 && sel.state == "" && g.partialParse && !g.noPartialParse
			if whole {
				if done, err := g.compileByPatch(); done || err != nil {
					return err
				}
			}
			invocation := newInvocationID()
			selecting := !whole && sel.state == "" && g.partialParse && !g.noPartialParse
			if selecting {
				// a selection loads what it writes from the patch snapshot,
				// as a run of one does: target/ is patched as a compile of
				// every node writes it, then the selected nodes' files
				if res, ids, ok, _ := g.selectFromPatch(&runFlags{sel: sel, compiling: true}, false, invocation, false); ok {
					files := compiledFiles(res, ids, &sel)
					if err := res.WriteTarget(files); err != nil {
						return &exitError{ExitFailure, err}
					}
					g.v.Compiled(view.Compiled{Counts: typeCounts(res, ids), Selected: len(ids), TargetDir: res.Project.TargetPath})
					return nil
				}
			}
			// a selection's compile keeps a snapshot as a run's does (its
			// target/compiled holds what it selected), which the next
			// selection loads from
			g.patchSnapshot, g.running = whole || selecting, selecting
			res, err := g.compileProject(false, invocation)
			if err != nil {
				return err
			}
			defer res.DropPatch() // a snapshot not kept (the write failed)
			ids, err := g.selectNodes(res, &sel, false)
			if err != nil {
				return err
			}
			phase.Mark("select")
			if res, err = g.renderWithWarehouse(res, nil, ids); err != nil {
				return err
			}
			files := compiledFiles(res, ids, &sel)
			if err := res.WriteTarget(files); err != nil {
				return &exitError{ExitFailure, err}
			}
			phase.Mark("write target")
			counts := typeCounts(res, ids)
			switch {
			case whole:
				res.KeepPatch(files, g.printedDiags, counts, len(ids))
			case selecting:
				g.keepPatch(res, files)
			}
			g.v.Compiled(view.Compiled{Counts: counts, Selected: len(ids), TargetDir: res.Project.TargetPath})
			return nil
		},
	}
	sel.register(cmd)
	return cmd
}

// listedOfKinds is the nodes of the kinds `mart ls` lists (its
// --resource-type), as the plan of the whole compile's selection keeps them.
func listedOfKinds(nodes []*compiler.Node, kinds []string) []*compiler.Node {
	out := nodes[:0]
	for _, n := range nodes {
		if slices.Contains(kinds, n.ResourceType) {
			out = append(out, n)
		}
	}
	return out
}

func lsCmd(g *globals) *cobra.Command {
	var sel selection
	var types, excludedTypes, keys []string
	var output string
	cmd := &cobra.Command{
		Use:     "ls",
		Aliases: []string{"list"},
		Short:   "List the project's nodes",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if output != "name" && output != "path" && output != "json" && output != "selector" {
				return badInput("--output must be name, path, json or selector, not %q", output)
			}
			kinds, err := resourceTypes(types, excludedTypes)
			if err != nil {
				return err
			}
			l := listing{output: output, keys: map[string]bool{}}
			for _, k := range listValues(keys) {
				l.keys[k] = true
			}
			if len(l.keys) == 0 {
				for _, k := range compiler.ListKeys {
					l.keys[k] = true
				}
			}
			// names, paths and selectors are the node index's, and JSON
			// is each node's manifest.json entry: a listing of every node
			// or a selection of any size is made from the patch snapshot
			// with no node loaded (an orchestrator lists a big project
			// often): target/ as it is when nothing changed since it was
			// written, else patched first, as a run patches it (dbt ls
			// writes manifest.json too); else the project is compiled
			invocation := newInvocationID()
			sel.prepareState() // (the copy opens the state for both)
			if _, ids, ok, p := g.selectFromPatch(&runFlags{sel: sel, listing: true}, true, invocation, true); ok {
				nodes := listedOfKinds(p.Listed(ids), kinds)
				if l.json(g.v) {
					var why string
					if l.entries, why = p.ListEntries(sortedByID(nodes), l.keys); why != "" {
						phase.Mark("no list from the patch: " + why)
						g.wholeWhy = why
						ok = false
					}
				}
				if ok {
					phase.Mark(fmt.Sprintf("list %d nodes", len(nodes)))
					g.v.PartialParse(view.PartialParse{Patched: true, Rendered: p.Rendered})
					return l.show(g.v, nodes)
				}
			}
			res, err := g.compileProject(false, invocation)
			if err != nil {
				return err
			}
			ids, err := g.selectNodes(res, &sel, true) // tests of what is selected, as dbt ls lists them
			if err != nil {
				return err
			}
			p := newPlan(res, ids, kinds, false)
			nodes := make([]*compiler.Node, len(p.Steps))
			for i, s := range p.Steps {
				nodes[i] = res.Manifest.Node(s.ID)
			}
			if l.json(g.v) {
				l.entries = make([][]byte, len(nodes))
				for i, n := range sortedByID(nodes) {
					entry, err := compiler.NodeEntry(n)
					if err != nil {
						return err
					}
					l.entries[i], _ = compiler.EntryKeys(entry, l.keys)
				}
			}
			return l.show(g.v, nodes)
		},
	}
	sel.register(cmd)
	listFlags(cmd.Flags(), &types, "only these resource types (model, seed, snapshot, test, source, unit_test, analysis; all)", "resource-type", "resource-types")
	listFlags(cmd.Flags(), &excludedTypes, "leave out these resource types", "exclude-resource-type", "exclude-resource-types")
	cmd.Flags().StringVarP(&output, "output", "o", "selector", "name, path, json or selector")
	listFlags(cmd.Flags(), &keys, "the keys of each node's manifest entry --output json writes (default: "+strings.Join(compiler.ListKeys, " ")+")", "output-keys")
	return cmd
}

// listing is what `mart ls` lists: in which form, and for JSON, the keys
// of each node's manifest entry and those entries cut to them (in the
// order of the nodes' ids, as dbt lists them).
type listing struct {
	output  string
	keys    map[string]bool
	entries [][]byte
}

// json says whether the view writes entries: --output json, or the JSON
// log format, whose events carry them.
func (l *listing) json(v view.View) bool {
	return l.output == "json" || !view.IsHuman(v)
}

func (l *listing) show(v view.View, nodes []*compiler.Node) error {
	v.Listed(view.Listing{Nodes: sortedByID(nodes), Entries: l.entries, Output: l.output})
	return nil
}

// sortedByID sorts nodes by unique id, in place, and returns them.
func sortedByID(nodes []*compiler.Node) []*compiler.Node {
	slices.SortFunc(nodes, func(a, b *compiler.Node) int { return strings.Compare(a.UniqueID, b.UniqueID) })
	return nodes
}

// compileByPatch is `mart compile` of every node done by patching the
// target/ the last one wrote (compiler.CompileByPatch); false when it
// cannot, and the project is compiled as usual.
func (g *globals) compileByPatch() (bool, error) {
	vars, err := g.parseVars()
	if err != nil {
		return false, err
	}
	p, why := compiler.CompileByPatch(compiler.Options{ProjectDir: g.projectDir, ProfilesDir: g.profilesDir, TargetPath: g.dbt.targetPath,
		Target: g.target, Profile: g.profile, Vars: vars, InvocationID: newInvocationID(), PartialParse: true, Context: g.ctx,
		WarningsAreErrors: g.dbt.warnErrors.promotes(""),
		// the models that query the warehouse while they render are
		// rendered against it, as after a whole compile (renderWithWarehouse);
		// a compile that does not patch uses the warehouse opened ahead
		Warehouse: func(proj *compiler.Project, t *compiler.Target) func() (warehouse.Warehouse, error) {
			if g.pre == nil {
				g.startPreopen(proj, t)
			}
			return func() (warehouse.Warehouse, error) {
				return g.openWarehouse(&compiler.Result{Project: proj, Target: t})
			}
		}})
	if p == nil {
		phase.Mark("no patch: " + why) // MART_TIMINGS=1 shows why
		g.wholeWhy = why
		if note := compiler.PatchNote(why); note != nil {
			g.v.Diagnostics(note)
		}
		return false, nil
	}
	g.v.Diagnostics(p.Diags) // (no warning under --warn-error: the patch gave up, WarningsAreErrors)
	g.v.PartialParse(view.PartialParse{Patched: true, Rendered: p.Rendered})
	if p.WarehouseRendered > 0 {
		g.v.Diagnostics(p.WarehouseDiags)
		g.v.Info(warehouseRenderInfo(p.WarehouseRendered, p.Target))
	}
	g.v.Compiled(view.Compiled{Counts: p.Counts, Selected: p.Selected, TargetDir: p.TargetPath})
	return true, nil
}

// selectFromPatch is a run of a selection that loads from the patch
// snapshot (compiler.Patched.Result) only what the selection needs,
// after patching target/ as `mart compile` would. false when it cannot
// (MART_TIMINGS=1 says why): the project is then compiled as usual, and
// when target/ was patched, the patch is returned for the compile to
// adopt (Patched.Adopt).
//
// listing (`mart ls`; diff, verify and clone through loadSelected):
// target/ is served as it is, and a damaged snapshot, which only a
// compile replaces, is not noted on every listing. A project changed
// since target/ was written is compiled whole by diff, verify and clone;
// `mart ls` patches target/ first, as a run does (f.listing:
// Options.PatchWritesChanges; dbt ls writes manifest.json too).
func (g *globals) selectFromPatch(f *runFlags, indirectTests bool, invocation string, listing bool) (res *compiler.Result, ids []string, ok bool, patched *compiler.Patched) {
	why, configs := "", false
	switch {
	case !g.partialParse || g.noPartialParse:
		why = "partial parsing is off"
	case compiler.NamesGraph(f.inlineText):
		// a snapshot's graph is manifest.json's, whose numbers are JSON's
		why = "the inline query names graph"
	case f.sel.state != "" && stateFileErr(f.sel.state) != nil:
		why = "--state has no manifest.json" // the whole compile says so
	case f.retrying == nil: // (a retry runs ids, not its run's selectors)
		why, configs = compiler.CanSelect(f.sel.selects, f.sel.excludes, f.sel.defs)
	}
	if why != "" {
		phase.Mark("no selection from the patch: " + why)
		g.wholeWhy = why
		return nil, nil, false, nil
	}
	vars, err := g.parseVars()
	if err != nil {
		return nil, nil, false, nil // the compile reports it
	}
	opt := compiler.Options{ProjectDir: g.projectDir, ProfilesDir: g.profilesDir, TargetPath: g.dbt.targetPath, Target: g.target, Profile: g.profile, Vars: vars,
		FullRefresh: f.fullRefresh, Empty: g.empty, InvocationID: invocation, PartialParse: true, PatchForRun: true, PatchReadOnly: listing, PatchWritesChanges: f.listing,
		WarningsAreErrors: g.dbt.warnErrors.promotes("")}
	// --state's manifest.json is read while the patch is made, and before
	// it writes target/ (which --state may be: the whole compile reads it
	// before it writes); so are the files result: and source_status:
	// read. What a selection reads whole and cannot read is the whole
	// compile's to report, target/ unwritten (a deferred run of names
	// splits the state while the patch writes: preopen.go)
	methods := f.sel.methods()
	readsState := f.sel.state != "" && (methods["state"] && f.retrying == nil || f.deferring.enabled) // (a retry runs ids)
	readsFiles := f.retrying == nil && !f.inline && (methods["result"] || methods["source_status"])
	var files *selector.Options // what result: and source_status: read, when read before the patch wrote
	if readsState {
		f.sel.prepareState()
		go func() { _, _ = f.sel.stateOf() }()
	}
	if readsState || readsFiles {
		opt.BeforeWrite = func(targetDir string) string {
			if readsState {
				err := f.sel.stateRead()
				if methods["state"] && f.retrying == nil && err == nil {
					_, err = f.sel.stateOf()
				}
				if err != nil {
					return err.Error()
				}
			}
			if readsFiles {
				read := &selector.Options{}
				switch err := stateFileOptions(targetDir, &f.sel, read); {
				case err != nil:
					return err.Error()
				case methods["result"] && read.Results == nil:
					return "result: has no run results to read"
				case methods["source_status"] && (read.SourcesLoadedAt == nil || read.StateSourcesLoadedAt == nil):
					return "source_status: has no sources.json to read"
				}
				files = read
			}
			return ""
		}
	}
	if g.preopen && g.pre == nil {
		opt.OnTarget = g.startPreopen
	}
	var p *compiler.Patched
	fail := func(why string) (*compiler.Result, []string, bool, *compiler.Patched) {
		phase.Mark("no selection from the patch: " + why)
		g.wholeWhy = why
		return nil, nil, false, p
	}
	p, why = compiler.CompileByPatch(opt)
	if p == nil {
		if note := compiler.PatchNote(why); note != nil && !listing {
			g.v.Diagnostics(note)
		}
		return fail("no patch: " + why)
	}
	sg, why := p.SelectorGraph()
	if sg != nil && len(f.sel.selects) == 0 && !f.inline && !f.sources && f.retrying == nil && !f.listing { // the whole compile adopts the patch
		return fail("no --select: every node is needed")
	}
	if sg == nil {
		if note := compiler.PatchNote(why); note != nil && !listing {
			g.v.Diagnostics(note)
		}
		p = nil // the whole compile keeps a new snapshot, with an index
		return fail(why)
	}
	if configs {
		if why := p.WithConfigs(sg); why != "" {
			return fail(why)
		}
		phase.Mark("configs")
	}
	var none []string // the criteria that match nothing (unmatched)
	switch {
	case f.retrying != nil: // the nodes of the project still (retry)
		for _, id := range f.retrying {
			if sg.Nodes[id] != nil && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	case !f.inline:
		// result: and source_status: read the state's run_results.json
		// and sources.json, as selectNodes gives them
		opt := selector.Options{IndirectTests: indirectTests, Indirect: f.sel.indirect, Selectors: f.sel.defs}
		if files != nil { // (read before the patch wrote)
			opt.Results, opt.SourcesLoadedAt, opt.StateSourcesLoadedAt = files.Results, files.SourcesLoadedAt, files.StateSourcesLoadedAt
		} else if err := stateFileOptions(p.TargetDir(), &f.sel, &opt); err != nil {
			return fail(err.Error()) // the whole compile reports it
		}
		if f.sel.state != "" && methods["state"] {
			st, err := f.sel.stateOf()
			if err != nil {
				return fail(err.Error()) // the whole compile reports it
			}
			var why string
			if opt.State, why = p.WithState(sg, st, configs); why != "" {
				return fail(why)
			}
			phase.Mark("state")
		}
		// a criterion that matches nothing is said once the patch is
		// loaded, as a whole compile's selection says it
		if f.sel.expectsNodes() {
			opt.Unmatched = &none
		}
		ids, err = selector.Select(sg, f.sel.selects, f.sel.excludes, opt)
		if err != nil {
			return fail(err.Error()) // the whole compile reports it
		}
	}
	if f.sources { // what the command reads of them: no model is loaded
		kept := ids[:0]
		for _, id := range ids {
			if sg.Nodes[id].ResourceType == compiler.TypeSource {
				kept = append(kept, id)
			}
		}
		ids = kept
	}
	phase.Mark("select")
	if f.compiling {
		queries := p.WarehouseNodes()
		for _, id := range ids {
			if queries[id] {
				return fail(id + " queries the warehouse while it renders")
			}
		}
	}
	if !f.listing {
		res, why = p.Result(ids)
		if res == nil {
			return fail(why)
		}
		phase.Mark(fmt.Sprintf("load %d nodes", len(res.Manifest.AllIDs())))
		g.v.PartialParse(view.PartialParse{Patched: true, Rendered: p.Rendered, Loaded: len(res.Manifest.AllIDs()), Nodes: len(sg.Nodes)})
	}
	// (a warning of the compile under --warn-error: the patch gave up,
	// WarningsAreErrors)
	if len(none) > 0 && g.dbt.warnErrors.promotes(eventNoNodes) {
		return fail("--warn-error makes a warning an error") // the whole compile reports it
	}
	g.v.Diagnostics(p.Diags)
	g.printedDiags = p.Diags
	for _, term := range none {
		_ = g.matchedNone([]string{term}) // (a warning: not promoted, above)
	}
	return res, ids, true, p
}

// loadToRead is the project as a command that reads it without building
// it (show, run-operation, source freshness) needs it, and the selected
// nodes (none for f.inline): loaded from the patch snapshot as a run of a
// selection loads it, or else compiled whole. That compile writes target/
// as a run's does (manifest.json and the render cache, no compiled file),
// as the patch it could not use would have and as dbt writes its manifest
// at every command, and keeps a snapshot as a run's does, which the next
// such command loads from. invocation is the command's id.
func (g *globals) loadToRead(f *runFlags, invocation string) (*compiler.Result, []string, error) {
	if res, ids, ok, _ := g.selectFromPatch(f, false, invocation, false); ok {
		res.PutBackManifest() // as the whole compile below writes it
		return res, ids, nil
	}
	keep := g.partialParse && !g.noPartialParse
	g.patchSnapshot, g.running = keep, keep
	res, err := g.compileProject(false, invocation)
	if err != nil {
		return nil, nil, err
	}
	if methods := f.sel.methods(); f.sel.state != "" && !f.inline && (methods == nil || methods["state"]) {
		// --state is what it was before this command wrote target/
		// (which it may be), as a run's selection reads it
		if err := f.sel.stateRead(); err != nil {
			return nil, nil, err
		}
	}
	if err := res.WriteTarget(nil); err != nil {
		res.DropPatch()
		return nil, nil, &exitError{ExitFailure, err}
	}
	if keep {
		g.keepPatch(res, nil)
	}
	if f.inline {
		return res, nil, nil
	}
	ids, err := g.selectNodes(res, &f.sel, false)
	return res, ids, err
}

// loadSelected is the project and the selected nodes for a command that
// reads them and writes nothing in target/ (diff, verify, clone): loaded
// from the patch snapshot as `mart ls` loads them (a project changed since
// target/ was written is compiled), or else compiled whole. (verify's
// full-refresh render is the snapshot's only after a --full-refresh run:
// it compiles whole otherwise.)
func (g *globals) loadSelected(sel *selection, fullRefresh bool) (*compiler.Result, []string, error) {
	sel.prepareState() // (the command reads the state the selection opens)
	invocation := newInvocationID()
	if res, ids, ok, _ := g.selectFromPatch(&runFlags{sel: *sel, fullRefresh: fullRefresh}, false, invocation, true); ok {
		return res, ids, nil
	}
	res, err := g.compileProject(fullRefresh, invocation)
	if err != nil {
		return nil, nil, err
	}
	ids, err := g.selectNodes(res, sel, false)
	return res, ids, err
}

// keepPatch keeps the patch snapshot of a run's compile, with what a
// `mart compile` of the project would have reported.
func (g *globals) keepPatch(res *compiler.Result, files []string) {
	all, _ := g.selectNodes(res, &selection{}, false)
	res.KeepPatchOfRun(files, g.printedDiags, typeCounts(res, all), len(all))
}

// typeCounts counts nodes by resource type, as `mart compile` reports them.
func typeCounts(res *compiler.Result, ids []string) map[string]int {
	counts := map[string]int{}
	for _, id := range ids {
		counts[res.Manifest.Node(id).ResourceType]++
	}
	return counts
}
