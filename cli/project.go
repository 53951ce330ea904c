package cli

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/mart-dev/mart/internal/phase"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/compiler/selector"
)

// selection flags shared by commands that pick nodes.
type selection struct {
	selects  []string
	excludes []string
	state    string
}

func (s *selection) register(cmd *cobra.Command) {
	cmd.Flags().StringArrayVarP(&s.selects, "select", "s", nil, "nodes to include (dbt selector syntax; repeatable)")
	cmd.Flags().StringArrayVar(&s.excludes, "exclude", nil, "nodes to exclude (dbt selector syntax; repeatable)")
	cmd.Flags().StringVar(&s.state, "state", "", "directory with a previous manifest.json (for state:modified)")
	// dbt users type --models/-m for run/compile
	cmd.Flags().StringArrayVarP(&s.selects, "models", "m", nil, "alias of --select")
	_ = cmd.Flags().MarkHidden("models")
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
	res, diags := compiler.Compile(compiler.Options{ProjectDir: g.projectDir, ProfilesDir: g.profilesDir,
		Target: g.target, Vars: vars, FullRefresh: fullRefresh, InvocationID: invocation})
	g.printDiagnostics(diags)
	if diags.HasErrors() {
		n := len(diags.Errors())
		return nil, &exitError{ExitBadInput, fmt.Errorf("%d error%s in the project; nothing was changed", n, plural(n))}
	}
	return res, nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func (g *globals) printDiagnostics(diags compiler.Diagnostics) {
	for _, d := range diags {
		if g.logFormat == "json" {
			g.event("diagnostic", map[string]any{"severity": d.Severity, "file": d.File, "line": d.Line,
				"column": d.Col, "summary": d.Summary, "detail": d.Detail})
			continue
		}
		fmt.Fprintln(g.stderr, d.String())
	}
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
	opt := selector.Options{IndirectTests: indirectTests}
	if s.state != "" {
		prev, err := compiler.ReadManifest(filepath.Join(s.state, "manifest.json"))
		if err != nil {
			return nil, &exitError{ExitBadInput, fmt.Errorf("--state: %v", err)}
		}
		opt.State = toSelectorGraph(prev).Nodes
		if results, err := readResultStatuses(filepath.Join(s.state, "run_results.json")); err == nil {
			opt.Results = results
		}
	}
	ids, err := selector.Select(sg, s.selects, s.excludes, opt)
	if err != nil {
		if errors.Is(err, selector.ErrNoResults) {
			err = fmt.Errorf("%v: result: needs --state DIR holding a run_results.json", err)
		}
		return nil, &exitError{ExitBadInput, err}
	}
	if len(ids) == 0 && len(s.selects) > 0 {
		g.printDiagnostics(compiler.Diagnostics{{Severity: compiler.SevWarning,
			Summary: fmt.Sprintf("the selection %q matched no nodes", strings.Join(s.selects, " "))}})
	}
	return ids, nil
}

// readResultStatuses reads unique id -> status from a run_results.json.
func readResultStatuses(file string) (map[string]string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var rr struct {
		Results []struct {
			UniqueID string `json:"unique_id"`
			Status   string `json:"status"`
		} `json:"results"`
	}
	if err := json.Unmarshal(data, &rr); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, r := range rr.Results {
		out[r.UniqueID] = r.Status
	}
	return out, nil
}

func toSelectorGraph(m *compiler.Manifest) *selector.Graph {
	all := m.AllIDs()
	g := &selector.Graph{Nodes: make(map[string]*selector.Node, len(all))}
	for _, id := range all {
		n := m.Node(id)
		g.Nodes[id] = &selector.Node{UniqueID: id, Name: n.Name, ResourceType: n.ResourceType, Path: n.Path,
			FQN: n.FQN, Tags: n.Tags, Config: n.Config, SourceName: n.SourceName, Package: n.Package,
			TestType: n.TestType, DependsOn: n.DependsOn.Nodes, Checksum: n.Checksum.Checksum, Disabled: !n.Enabled()}
	}
	return g
}

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
		Use:   "compile",
		Short: "Render every selected model to target/compiled/ and write target/manifest.json",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			res, err := g.compileProject(false, newInvocationID())
			if err != nil {
				return err
			}
			ids, err := g.selectNodes(res, &sel, false)
			if err != nil {
				return err
			}
			phase.Mark("select")
			if err := res.WriteTarget(compiledFiles(res, ids, &sel)); err != nil {
				return &exitError{ExitFailure, err}
			}
			phase.Mark("write target")
			counts := map[string]int{}
			for _, id := range ids {
				counts[res.Manifest.Node(id).ResourceType]++
			}
			if g.logFormat == "json" {
				g.event("compiled", map[string]any{"selected": len(ids), "counts": counts, "manifest": res.Project.TargetPath + "/manifest.json"})
				return nil
			}
			fmt.Fprintf(g.stdout, "Compiled %s to %s/compiled and wrote %s/manifest.json\n", summarize(counts), res.Project.TargetPath, res.Project.TargetPath)
			return nil
		},
	}
	sel.register(cmd)
	return cmd
}

func summarize(counts map[string]int) string {
	order := []string{"model", "seed", "snapshot", "test", "unit_test", "source"}
	var parts []string
	for _, k := range order {
		if n := counts[k]; n > 0 {
			name := k
			if k == "unit_test" {
				name = "unit test"
			}
			parts = append(parts, fmt.Sprintf("%d %s%s", n, name, plural(n)))
		}
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, ", ")
}

func lsCmd(g *globals) *cobra.Command {
	var sel selection
	var types []string
	var output string
	cmd := &cobra.Command{
		Use:     "ls",
		Aliases: []string{"list"},
		Short:   "List the project's nodes",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if output != "name" && output != "path" && output != "json" && output != "selector" {
				return &exitError{ExitBadInput, fmt.Errorf("--output must be name, path, json or selector, not %q", output)}
			}
			res, err := g.compileProject(false, newInvocationID())
			if err != nil {
				return err
			}
			ids, err := g.selectNodes(res, &sel, false)
			if err != nil {
				return err
			}
			want := map[string]bool{}
			for _, t := range types {
				for _, x := range strings.Split(t, ",") {
					want[strings.TrimSpace(x)] = true
				}
			}
			var lines []string
			for _, id := range ids {
				n := res.Manifest.Node(id)
				if len(want) > 0 && !want[n.ResourceType] && !(want["all"]) {
					continue
				}
				switch output {
				case "name":
					lines = append(lines, n.Name)
				case "path":
					lines = append(lines, n.Path)
				case "selector":
					lines = append(lines, strings.Join(n.FQN, "."))
				case "json":
					b, _ := jsonLine(map[string]any{"unique_id": n.UniqueID, "name": n.Name, "resource_type": n.ResourceType,
						"path": n.Path, "tags": n.Tags, "config": n.Config, "depends_on": n.DependsOn, "relation_name": n.Relation})
					lines = append(lines, b)
				}
			}
			if output != "json" {
				sort.Strings(lines)
			}
			for _, l := range lines {
				fmt.Fprintln(g.stdout, l)
			}
			return nil
		},
	}
	sel.register(cmd)
	cmd.Flags().StringArrayVar(&types, "resource-type", nil, "only these resource types (model, seed, snapshot, test, source, unit_test)")
	cmd.Flags().StringVarP(&output, "output", "o", "selector", "name, path, json or selector")
	return cmd
}
