package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/mart-dev/mart/cli/view"
	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/compiler/selector"
	"github.com/mart-dev/mart/runner"
	"github.com/mart-dev/mart/warehouse"
)

// selection flags shared by commands that pick nodes.
type selection struct {
	selects  []string
	excludes []string
	state    string
	// selector: --selector's name; defs: the project's YAML selectors
	// (selectors.yml), read by resolve before the command runs;
	// noDefault: the command does not take the default selector (show,
	// extract: they name what they act on; diff, verify: they have
	// defaults of their own)
	selector  string
	defs      selector.Definitions
	noDefault bool
	// indirect: --indirect-selection (eager when "")
	indirect string
	// given: --select, --exclude and --selector as given (resolve turns
	// them into a selection)
	given *selection

	opened *openedState // --state's manifest.json, once stateOf opened it
}

// openedState is --state's manifest.json, opened once (a run that defers
// opens it while the project compiles: preopen.go).
type openedState struct {
	read    sync.Once // the file's bytes (stateRead; the StateManifest holds them too)
	data    []byte
	readErr error
	once    sync.Once // split (stateOf)
	file    *compiler.StateManifest
	err     error
}

// prepareState readies s for a stateOf called from another goroutine: it
// runs on the command's goroutine, before that one starts.
func (s *selection) prepareState() {
	if s.opened == nil {
		s.opened = &openedState{}
	}
}

// stateOf opens --state's manifest.json, for a command that reads some of
// its nodes (StateManifest). A copy of s made after it (or after
// prepareState) shares the file.
func (s *selection) stateOf() (*compiler.StateManifest, error) {
	s.prepareState()
	o := s.opened
	o.once.Do(func() {
		if o.err = s.stateRead(); o.err != nil {
			return
		}
		if o.file, o.err = compiler.ParseStateManifest(o.data); o.err != nil {
			o.err = badInput("--state: %v", o.err)
		}
	})
	return o.file, o.err
}

// stateRead reads --state's manifest.json, once: what stateOf splits. A
// patch reads it before it writes target/ (which --state may be).
func (s *selection) stateRead() error {
	s.prepareState()
	o := s.opened
	o.read.Do(func() {
		if o.data, o.readErr = os.ReadFile(filepath.Join(s.state, "manifest.json")); o.readErr != nil {
			o.readErr = badInput("--state: %v", o.readErr)
		}
	})
	return o.readErr
}

// methods are the methods s's selectors use; nil when they do not parse
// (a caller then reads what any could, and Select says what is wrong).
func (s *selection) methods() map[string]bool {
	m, err := selector.Methods(append(slices.Clip(s.selects), s.excludes...), s.defs)
	if err != nil {
		return nil
	}
	return m
}

// stateFileOptions gives opt what result: and source_status: selectors
// read: the state's run_results.json, and the sources.json of target/
// (targetDir) and of the state; only when s's selectors name them.
func stateFileOptions(targetDir string, s *selection, opt *selector.Options) error {
	if methods := s.methods(); s.state != "" && (methods == nil || methods["result"]) {
		if results, err := readResultStatuses(filepath.Join(s.state, "run_results.json")); err == nil {
			opt.Results = results
		}
	}
	return sourceStatusOptions(targetDir, s, opt)
}

// stateFileErr is why --state DIR has no manifest.json to read (nil when
// it has).
func stateFileErr(dir string) error {
	_, err := os.Stat(filepath.Join(dir, "manifest.json"))
	return err
}

// stateNode is --state's node of that id, or an error when its entry in
// the state's manifest.json does not decode.
func stateNode(st *compiler.StateManifest, id string) (*compiler.Node, error) {
	n := st.Node(id)
	if err := st.Err(); err != nil {
		return nil, badInput("--state: %v", err)
	}
	return n, nil
}

func (s *selection) register(cmd *cobra.Command) {
	// (dbt users type --models/-m for run/compile)
	listFlags(cmd.Flags(), &s.selects, "nodes to include (dbt selector syntax; repeatable)", "select/s", "models/m", "model")
	listFlags(cmd.Flags(), &s.excludes, "nodes to exclude (dbt selector syntax; repeatable)", "exclude")
	cmd.Flags().StringVar(&s.selector, "selector", "", "a selector of the project's selectors.yml (--select and --exclude are then ignored, as in dbt)")
	cmd.Flags().StringVar(&s.indirect, "indirect-selection", "eager", "which tests of the selected nodes are selected: eager (any parent selected), cautious (all), buildable (all, or their ancestors) or empty")
	// the selectors are read before the command runs (after the root's
	// checks of the global flags)
	prev := cmd.PreRunE
	cmd.PreRunE = func(c *cobra.Command, args []string) error {
		if g, ok := c.Context().Value(globalsKey{}).(*globals); ok {
			if err := s.resolve(g); err != nil {
				return err
			}
		}
		if prev != nil {
			return prev(c, args)
		}
		return nil
	}
	cmd.Flags().StringVar(&s.state, "state", "", "directory with a previous manifest.json (for state:modified)")
}

func newInvocationID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// compileProject compiles the project and prints its diagnostics. An error
// in the project returns an exitError with ExitBadInput.
func (g *globals) compileProject(fullRefresh bool, invocation string) (*compiler.Result, error) {
	vars, err := g.parseVars()
	if err != nil {
		return nil, err
	}
	opt := compiler.Options{ProjectDir: g.projectDir, ProfilesDir: g.profilesDir, TargetPath: g.dbt.targetPath,
		Target: g.target, Profile: g.profile, Vars: vars, FullRefresh: fullRefresh, Empty: g.empty, InvocationID: invocation, PartialParse: g.partialParse && !g.noPartialParse, PatchSnapshot: g.patchSnapshot,
		PatchForRun: g.patchSnapshot && g.running}
	if g.preopen && g.pre == nil { // one may be opening since a patch loaded the target
		opt.OnTarget = g.startPreopen
	}
	res, diags := compiler.Compile(opt)
	if res != nil {
		diags = append(diags, extractDiagnostics(res)...)
	}
	diags = g.promote(diags) // (--warn-error)
	g.v.Diagnostics(diags)
	g.printedDiags = diags
	if diags.HasErrors() {
		n := len(diags.Errors())
		return nil, badInput("%d error%s in the project; nothing was changed", n, plural(n))
	}
	// (a damaged snapshot's file and error are apart; a selection's
	// reason says the patch gave up)
	why := strings.TrimPrefix(strings.ReplaceAll(g.wholeWhy, "\x00", ": "), "no patch: ")
	switch {
	case !g.partialParse || g.noPartialParse:
		why = "partial parsing is off (--no-partial-parse, MART_NO_PARTIAL_PARSE=1 or the project's flags:)"
	case why == "":
		why = g.command + " compiles every node"
	}
	g.wholeWhy = ""
	g.v.PartialParse(view.PartialParse{Reason: why, Reused: res.RendersReused, Renders: res.RendersCached})
	return res, nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// openWarehouse connects to the target's warehouse: the one opened while
// the project compiled when there is one (preopen.go).
func (g *globals) openWarehouse(res *compiler.Result) (warehouse.Warehouse, error) {
	if wh := g.takePreopened(res.Target); wh != nil {
		return wh, nil
	}
	return openWarehouse(g.ctx, res)
}

// openWarehouse connects to the target's warehouse.
func openWarehouse(ctx context.Context, res *compiler.Result) (warehouse.Warehouse, error) {
	wh, err := res.Target.Open(ctx, res.Project.Dir)
	if err != nil {
		return nil, badInput("%v", err)
	}
	return wh, nil
}

// selectNodes applies --select/--exclude to the compiled graph.
func (g *globals) selectNodes(res *compiler.Result, s *selection, indirectTests bool) ([]string, error) {
	if len(s.selects) == 0 && len(s.excludes) == 0 && s.state == "" {
		// every enabled node: what the selector answers (its nodes are
		// Disabled by the same n.Enabled()), without building its graph
		// (30 ms on the 30,000 nodes of the 10k bench project); the
		// manifest holds enabled nodes only, sources aside
		off := map[string]bool{}
		for id, n := range res.Manifest.Sources {
			if !n.Enabled() {
				off[id] = true
			}
		}
		all := res.Manifest.AllIDs()
		ids := make([]string, 0, len(all))
		for _, id := range all {
			if !off[id] {
				ids = append(ids, id)
			}
		}
		return ids, nil
	}
	sg := toSelectorGraph(res.Manifest)
	opt := selector.Options{IndirectTests: indirectTests, Indirect: s.indirect, Selectors: s.defs}
	if s.state != "" {
		// the state's nodes are read for state: selectors only (a
		// 10,000-model manifest takes 0.3-0.6 s); a selection that does not
		// parse reads them, and Select says what is wrong
		if methods := s.methods(); methods == nil || methods["state"] {
			st, err := s.stateOf()
			if err != nil {
				return nil, err
			}
			if opt.State, err = st.SelectorNodes(slices.Collect(maps.Keys(sg.Nodes))); err != nil {
				return nil, badInput("--state: %v", err)
			}
		} else if err := stateFileErr(s.state); err != nil {
			return nil, badInput("--state: %v", err)
		}
	}
	if err := stateFileOptions(res.TargetDir(), s, &opt); err != nil {
		return nil, err
	}
	var none []string // the criteria that match nothing (NoNodesForSelectionCriteria)
	if s.expectsNodes() {
		opt.Unmatched = &none
	}
	ids, err := selector.Select(sg, s.selects, s.excludes, opt)
	if err != nil {
		if errors.Is(err, selector.ErrNoSources) {
			err = fmt.Errorf("%v: source_status: needs --state DIR holding the sources.json of an earlier `mart source freshness`", err)
		}
		if errors.Is(err, selector.ErrNoResults) {
			err = fmt.Errorf("%v: result: needs --state DIR holding a run_results.json", err)
		}
		return nil, &exitError{ExitBadInput, err}
	}
	for _, term := range none {
		if err := g.matchedNone([]string{term}); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// readResultStatuses reads unique id -> status from a run_results.json.
func readResultStatuses(file string) (map[string]string, error) {
	rr, err := runner.ReadResults(file)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, r := range rr.Results {
		out[r.UniqueID] = string(r.Status)
	}
	return out, nil
}

func toSelectorGraph(m *compiler.Manifest) *selector.Graph {
	all := m.AllIDs()
	g := &selector.Graph{Nodes: make(map[string]*selector.Node, len(all))}
	for _, id := range all {
		g.Nodes[id] = m.Node(id).SelectorNode(id)
	}
	return g
}

// globalsKey keys the command's globals in its context (Run puts them
// there), for what runs before a command's RunE.
type globalsKey struct{}

// resolve reads the project's YAML selectors (selectors.yml), when it has
// them or the selection names one, and turns --selector NAME, or the
// default selector when no --select, --exclude or --selector is given,
// into the selection `--select selector:NAME`, as dbt does.
func (s *selection) resolve(g *globals) error {
	s.given = &selection{selects: s.selects, excludes: s.excludes, selector: s.selector}
	if !slices.Contains(selector.IndirectModes, s.indirect) {
		return badInput("--indirect-selection must be %s, not %q", strings.Join(selector.IndirectModes, ", "), s.indirect)
	}
	names := s.selector != ""
	for _, x := range append(slices.Clip(s.selects), s.excludes...) {
		names = names || strings.Contains(x, "selector:")
	}
	if _, err := os.Stat(filepath.Join(g.projectDir, compiler.SelectorsFile)); err != nil && !names {
		return nil
	}
	vars, err := g.parseVars()
	if err != nil {
		return err
	}
	defs, diags := compiler.LoadSelectors(g.projectDir, vars, func() (*compiler.Target, compiler.Diagnostics) {
		proj, d := compiler.LoadProject(g.projectDir, vars)
		if proj == nil || d.HasErrors() {
			return nil, d
		}
		return compiler.LoadTarget(proj, compiler.ProfileOptions{ProfilesDir: g.profilesDir, Target: g.target, Profile: g.profile, Vars: vars})
	})
	if diags.HasErrors() {
		g.v.Diagnostics(diags)
		g.printedDiags = diags
		n := len(diags.Errors())
		return badInput("%d error%s in %s; nothing was changed", n, plural(n), compiler.SelectorsFile)
	}
	s.defs = defs
	switch {
	case s.selector != "":
		if defs[s.selector] == nil {
			return badInput("--selector: %v", defs.Unknown(s.selector))
		}
		if len(s.selects)+len(s.excludes) > 0 {
			g.v.Warn("--select and --exclude are ignored: --selector " + s.selector + " selects, as in dbt")
		}
		s.selects, s.excludes = []string{selector.SelectorAtom(s.selector)}, nil
	case len(s.selects)+len(s.excludes) == 0 && !s.noDefault:
		if d := defs.Default(); d != nil {
			s.selects = []string{selector.SelectorAtom(d.Name)}
		}
	}
	return nil
}
