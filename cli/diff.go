package cli

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mart-dev/mart/cli/view"
	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/warehouse"
)

func init() { commands = append(commands, diffCmd) }

// diffFlags are the flags of mart diff and mart verify.
type diffFlags struct {
	sel      selection
	examples int
	format   string
	summary  string
	failOn   bool
	ignore   []string
}

func (f *diffFlags) register(cmd *cobra.Command, failHelp string) {
	f.sel.noDefault = true // (diff and verify select by defaults of their own)
	f.sel.register(cmd)
	cmd.Flags().IntVar(&f.examples, "examples", 5, "example rows to show for each kind of difference")
	cmd.Flags().StringVar(&f.format, "format", "text", "text or markdown (a PR comment; JSON with --log-format json)")
	cmd.Flags().StringVar(&f.summary, "summary-file", "", "also append the result as markdown to this file (e.g. $GITHUB_STEP_SUMMARY)")
	cmd.Flags().BoolVar(&f.failOn, "fail-on-diff", false, failHelp)
	cmd.Flags().StringSliceVar(&f.ignore, "ignore-columns", nil, "columns to leave out of the comparison, e.g. a load timestamp (comma-separated, repeatable)")
}

func (f *diffFlags) check() error {
	if f.examples < 0 {
		return badInput("--examples must be 0 or more, got %d", f.examples)
	}
	if f.format != "text" && f.format != "markdown" {
		return badInput("--format must be text or markdown, not %q", f.format)
	}
	return nil
}

func diffCmd(g *globals) *cobra.Command {
	var f diffFlags
	cmd := &cobra.Command{
		Use:   "diff",
		Short: "Compare the selected models' relations with --state's (rows added, removed and changed; columns), in the warehouse",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return g.diff(&f) },
	}
	f.register(cmd, "exit 1 when a model differs")
	return cmd
}

// compileSelectOpen is what diff and verify do first: compile (with
// full-refresh rendering for verify), select f's nodes (defaultSelect
// without --select) and open the warehouse, which the caller closes.
func (g *globals) compileSelectOpen(f *diffFlags, defaultSelect string, fullRefresh bool) (*compiler.Result, []string, warehouse.Warehouse, error) {
	if len(f.sel.selects) == 0 {
		f.sel.selects = []string{defaultSelect}
	}
	g.preopen = true
	res, ids, err := g.loadSelected(&f.sel, fullRefresh)
	if err != nil {
		return nil, nil, nil, err
	}
	wh, err := g.openWarehouse(res)
	if err != nil {
		return nil, nil, nil, err
	}
	return res, ids, wh, nil
}

func (g *globals) diff(f *diffFlags) error {
	if err := f.check(); err != nil {
		return err
	}
	if f.sel.state == "" {
		return badInput("mart diff needs --state DIR, the target directory of the run to compare with")
	}
	res, ids, wh, err := g.compileSelectOpen(f, "state:modified", false)
	if err != nil {
		return err
	}
	defer wh.Close()
	name, prev, err := g.attachState(wh, &f.sel)
	if err != nil {
		return err
	}
	var diffs []view.ModelDiff
	for _, s := range newPlan(res, ids, []string{compiler.TypeModel, compiler.TypeSeed, compiler.TypeSnapshot}, false).Steps {
		if s.Writes == nil {
			continue
		}
		n := res.Manifest.Node(s.ID)
		d := view.ModelDiff{UniqueID: n.UniqueID, Name: n.Name, New: relationName(*s.Writes)}
		old, err := stateNode(prev, s.ID)
		if err != nil {
			return err
		}
		if old == nil {
			d.Status = "new"
		} else {
			oldRel := name(warehouse.Relation{Database: old.Database, Schema: old.Schema, Name: old.Alias})
			d = g.diffRelations(wh, n, *s.Writes, oldRel, f)
		}
		g.v.Diffed(d)
		diffs = append(diffs, d)
	}
	return g.diffOutcome("Data diff against "+f.sel.state, diffs, f)
}

// diffOutcome writes the markdown forms and sets the exit code.
func (g *globals) diffOutcome(title string, diffs []view.ModelDiff, f *diffFlags) error {
	md := view.MarkdownDiffs(title, diffs)
	if f.format == "markdown" { // (what it was asked for: said under --quiet too)
		view.Unquiet(g.v).Info(md)
	}
	if f.summary != "" {
		if err := appendFile(f.summary, md+"\n"); err != nil {
			return &exitError{ExitFailure, fmt.Errorf("--summary-file: %w", err)}
		}
	}
	differing := 0
	for _, d := range diffs {
		if d.Status == "error" {
			return &exitError{ExitFailure, fmt.Errorf("%s could not be compared", d.Name)}
		}
		if d.Differs() {
			differing++
		}
	}
	say := g.v.Info
	if differing > 0 { // (a difference is what --quiet still says)
		say = view.Unquiet(g.v).Info
	}
	say(fmt.Sprintf("Models that differ: %d of %d.", differing, len(diffs)))
	if f.failOn && differing > 0 {
		return &exitError{ExitFailure, nil}
	}
	return nil
}

// diffRelations compares a node's relation in this target (newRel) with
// oldRel: columns from the catalog, rows in the warehouse by the node's
// unique_key when both relations have its columns, else by whole rows.
func (g *globals) diffRelations(wh warehouse.Warehouse, n *compiler.Node, newRel, oldRel warehouse.Relation, f *diffFlags) view.ModelDiff {
	d := view.ModelDiff{UniqueID: n.UniqueID, Name: n.Name, New: relationName(newRel), Old: relationName(oldRel), Status: "compared"}
	newCols, kind, err := wh.Describe(g.ctx, newRel)
	if err == nil && kind == "" {
		d.Status = "not built"
		return d
	}
	oldCols, oldKind, err2 := wh.Describe(g.ctx, oldRel)
	if err == nil && err2 == nil && oldKind == "" {
		d.Status = "new"
		return d
	}
	if err = firstErr(err, err2); err != nil {
		d.Status, d.Error = "error", err.Error()
		return d
	}
	common := compareColumns(&d, without(newCols, f.ignore), without(oldCols, f.ignore))
	for _, k := range n.Config.Strings("unique_key") {
		if !slices.ContainsFunc(common, func(c string) bool { return strings.EqualFold(c, k) }) {
			d.Key = nil
			break
		}
		d.Key = append(d.Key, k)
	}
	spec := warehouse.DiffSpec{New: wh.RelationSQL(newRel), Old: wh.RelationSQL(oldRel), Key: d.Key, Columns: common, Examples: f.examples}
	rows, err := wh.Query(g.ctx, wh.DiffQuery(spec), 0)
	if err == nil {
		var r warehouse.DiffResult
		if r, err = warehouse.ReadDiff(rows); err == nil {
			d.Rows = &r
		}
	}
	if err != nil {
		d.Status, d.Error = "error", err.Error()
	}
	return d
}

// compareColumns fills a diff's column changes and returns the columns
// both relations have, in the new relation's order.
func compareColumns(d *view.ModelDiff, newCols, oldCols []warehouse.Column) []string {
	var common []string
	for _, c := range newCols {
		o, ok := warehouse.FindColumn(oldCols, c.Name)
		switch {
		case !ok:
			d.ColumnsAdded = append(d.ColumnsAdded, c.Name)
			continue
		case !strings.EqualFold(o.Type, c.Type):
			d.ColumnsRetyped = append(d.ColumnsRetyped, c.Name+": "+o.Type+" -> "+c.Type)
		}
		common = append(common, c.Name)
	}
	for _, c := range oldCols {
		if _, ok := warehouse.FindColumn(newCols, c.Name); !ok {
			d.ColumnsRemoved = append(d.ColumnsRemoved, c.Name)
		}
	}
	return common
}

func relationName(r warehouse.Relation) string { return r.String() }

// without leaves the named columns out (case-insensitively).
func without(cols []warehouse.Column, names []string) []warehouse.Column {
	if len(names) == 0 {
		return cols
	}
	out := make([]warehouse.Column, 0, len(cols))
	for _, c := range cols {
		if !slices.ContainsFunc(names, func(n string) bool { return strings.EqualFold(strings.TrimSpace(n), c.Name) }) {
			out = append(out, c)
		}
	}
	return out
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func appendFile(file, text string) error {
	f, err := os.OpenFile(file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
