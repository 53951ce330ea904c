package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/mart-dev/mart/cli/view"
	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/plan"
	"github.com/mart-dev/mart/runner"
	"github.com/mart-dev/mart/warehouse"
)

func init() { commands = append(commands, verifyCmd) }

func verifyCmd(g *globals) *cobra.Command {
	var f diffFlags
	cmd := &cobra.Command{
		Use: "verify",
		Short: "Check that each selected incremental model equals a full rebuild: build it from scratch into a scratch " +
			"relation and compare the rows",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f.failOn = true
			return g.verify(&f)
		},
	}
	f.register(cmd, "")
	_ = cmd.Flags().MarkHidden("fail-on-diff") // verify always fails on a difference
	return cmd
}

func (g *globals) verify(f *diffFlags) error {
	if err := f.check(); err != nil {
		return err
	}
	res, ids, wh, err := g.compileSelectOpen(f, "config.materialized:incremental", true)
	if err != nil {
		return err
	}
	defer wh.Close()
	g.attachStateIfGiven(wh, &f.sel)
	var diffs []view.ModelDiff
	for _, s := range newPlan(res, ids, []string{compiler.TypeModel}, false).Steps {
		if s.Action != plan.Incremental {
			continue
		}
		d := g.verifyModel(res, wh, res.Manifest.Node(s.ID), *s.Writes, f)
		g.v.Diffed(d)
		diffs = append(diffs, d)
	}
	if len(diffs) == 0 {
		g.v.Info("Nothing to verify: the selection matched no incremental model.")
		return nil
	}
	return g.diffOutcome("Incremental models against full rebuilds", diffs, f)
}

// verifyModel rebuilds an incremental model from scratch, as --full-refresh
// does (its strategy's checks, microbatches from begin), into a scratch
// relation beside it, without its hooks, and compares the two by the
// model's unique key. The scratch relation is dropped at the end.
func (g *globals) verifyModel(res *compiler.Result, wh warehouse.Warehouse, n *compiler.Node, rel warehouse.Relation, f *diffFlags) view.ModelDiff {
	if kind, err := warehouse.KindOf(g.ctx, wh, rel); err == nil && kind == "" {
		return view.ModelDiff{UniqueID: n.UniqueID, Name: n.Name, New: rel.String(), Status: "not built"}
	}
	scratch := warehouse.Relation{Database: rel.Database, Schema: rel.Schema, Name: warehouse.TempName(rel.Name)}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = wh.Drop(ctx, scratch)
	}()
	c := *n
	c.Alias, c.Relation = scratch.Name, wh.RelationSQL(scratch)
	c.Config = compiler.Config{}
	for k, v := range n.Config {
		if k != "pre_hook" && k != "post_hook" {
			c.Config[k] = v
		}
	}
	c.Config["full_refresh"] = true
	copyRes := *res
	copyRes.Manifest = res.Manifest.With(map[string]*compiler.Node{n.UniqueID: &c})
	p := plan.New(&copyRes, []string{n.UniqueID}, plan.Options{Kinds: []string{compiler.TypeModel}})
	rr, err := runner.New(copyRes.Manifest, wh, runner.Options{Threads: 1, FullRefresh: true, Target: res.Target.Name,
		ProjectDir: res.Project.Dir, Renderer: res.Renderer, InvocationID: newInvocationID()}).Run(g.ctx, p)
	if err == nil && rr.Failed() {
		err = fmt.Errorf("the full rebuild failed: %s", rr.Results[0].Message)
	}
	if err != nil {
		return view.ModelDiff{UniqueID: n.UniqueID, Name: n.Name, New: rel.String(), Status: "error", Error: err.Error()}
	}
	d := g.diffRelations(wh, n, rel, scratch, f)
	d.Old = "a full rebuild"
	return d
}
