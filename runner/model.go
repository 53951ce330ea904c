package runner

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/warehouse"
)

// sqlError names the node and its compiled file in a database error.
func sqlError(n *compiler.Node, err error) error {
	where := n.CompiledPath
	if where == "" {
		where = n.Path
	}
	return fmt.Errorf("database error in %s %s (compiled SQL: %s): %w", n.ResourceType, n.Name, where, err)
}

func tableOptions(n *compiler.Node) warehouse.TableOptions {
	opt := warehouse.TableOptions{PartitionBy: partitionBy(n), ClusterBy: n.Config.Strings("cluster_by")}
	if persist, ok := n.Config["persist_docs"].(map[string]any); ok {
		if b, _ := persist["relation"].(bool); b {
			opt.Description = n.Description
		}
		if b, _ := persist["columns"].(bool); b {
			opt.ColumnDescriptions = map[string]string{}
			for name, c := range n.Columns {
				if c.Description != "" {
					opt.ColumnDescriptions[name] = c.Description
				}
			}
		}
	}
	if labels, ok := n.Config["labels"].(map[string]any); ok {
		opt.Labels = map[string]string{}
		for k, v := range labels {
			opt.Labels[k] = fmt.Sprint(v)
		}
	}
	return opt
}

// partitionBy returns the model's partition_by config with the partition
// options dbt keeps beside it (partition_expiration_days,
// require_partition_filter) folded in, as the BigQuery adapter reads them.
func partitionBy(n *compiler.Node) any {
	pb, ok := n.Config["partition_by"].(map[string]any)
	if !ok {
		return n.Config["partition_by"]
	}
	out := make(map[string]any, len(pb)+2)
	for k, v := range pb {
		out[k] = v
	}
	for _, k := range []string{"partition_expiration_days", "require_partition_filter"} {
		if v, ok := n.Config[k]; ok {
			if _, set := out[k]; !set {
				out[k] = v
			}
		}
	}
	return out
}

func (r *Runner) runModel(ctx context.Context, n *compiler.Node, res *NodeResult) error {
	mat := n.Materialized()
	if mat == "ephemeral" {
		return nil
	}
	if err := r.nodeHooks(ctx, n, "pre_hook"); err != nil {
		return err
	}
	rel := relationOf(n)
	switch mat {
	case "view":
		sql, err := r.sqlOf(ctx, n, res)
		if err != nil {
			return err
		}
		if _, err := r.checkContract(ctx, n, sql, false); err != nil {
			return err
		}
		if err := r.wh.CreateView(ctx, rel, sql); err != nil {
			return sqlError(n, err)
		}
		res.Message = "CREATE VIEW"
	case "table":
		sql, err := r.sqlOf(ctx, n, res)
		if err != nil {
			return err
		}
		opt := tableOptions(n)
		if opt.Contract, err = r.checkContract(ctx, n, sql, true); err != nil {
			return err
		}
		rows, err := r.wh.CreateTable(ctx, rel, sql, opt)
		if err != nil {
			return sqlError(n, err)
		}
		res.RowsAffected = rows
		res.Message = fmt.Sprintf("CREATE TABLE (%d rows)", rows)
	case "incremental":
		if err := r.runIncremental(ctx, n, res); err != nil {
			return err
		}
	default:
		return fmt.Errorf("model %s: unknown materialization %q (expected view, table, incremental or ephemeral)", n.Name, mat)
	}
	return r.nodeHooks(ctx, n, "post_hook")
}

// nodeHooks renders and runs a node's pre_hook or post_hook statements.
func (r *Runner) nodeHooks(ctx context.Context, n *compiler.Node, key string) error {
	for i, h := range n.Config.Strings(key) {
		sql, err := r.opt.Renderer.RenderText(ctx, n.UniqueID, fmt.Sprintf("%s %s[%d]", n.Path, key, i), h,
			compiler.RenderOptions{Log: r.opt.Log, Print: r.opt.Print, Warehouse: r.wh, Flags: r.hookFlags()})
		if err != nil {
			return fmt.Errorf("%s %d of %s: %w", key, i+1, n.Name, err)
		}
		if strings.TrimSpace(sql) == "" {
			continue
		}
		if _, err := r.wh.Exec(ctx, sql); err != nil {
			return fmt.Errorf("%s %d of %s failed: %w", key, i+1, n.Name, err)
		}
	}
	return nil
}

// SeedOptions are the options a seed node loads with (its config, and
// the run's --full-refresh).
func SeedOptions(n *compiler.Node, fullRefresh bool) warehouse.SeedOptions {
	opt := warehouse.SeedOptions{FullRefresh: fullRefresh || n.Config.Bool("full_refresh", false),
		QuoteColumns: n.Config.Bool("quote_columns", false)}
	if ct, ok := n.Config["column_types"].(map[string]any); ok {
		opt.ColumnTypes = map[string]string{}
		for k, v := range ct {
			opt.ColumnTypes[k] = fmt.Sprint(v)
		}
	}
	if d := n.Config.String("delimiter"); d != "" {
		opt.Delimiter = []rune(d)[0]
	}
	return opt
}

func (r *Runner) runSeed(ctx context.Context, n *compiler.Node, res *NodeResult) error {
	opt := SeedOptions(n, r.opt.FullRefresh)
	rows, err := r.wh.LoadSeed(ctx, relationOf(n), filepath.Join(r.opt.ProjectDir, n.SeedPath), opt)
	if err != nil {
		var se *warehouse.SeedError
		if errors.As(err, &se) {
			se.File = n.SeedPath // the path as the user knows it
		}
		return fmt.Errorf("seed %s: %w", n.Name, err)
	}
	res.RowsAffected = rows
	res.Message = fmt.Sprintf("INSERT %d", rows)
	return nil
}

// checkContract compares the columns a model's query returns with its
// enforced contract, before anything changes, and returns the contract
// (nil when none). With constraints (a table), it says which of the
// contract's constraints the engine does not enforce.
func (r *Runner) checkContract(ctx context.Context, n *compiler.Node, sql string, constraints bool) (*warehouse.Contract, error) {
	c := n.Contract()
	if c == nil {
		return nil, nil
	}
	cw, ok := r.wh.(warehouse.ContractWarehouse)
	if !ok {
		return nil, fmt.Errorf("model %s enforces a contract, which the %s adapter cannot check", n.Name, r.wh.Name())
	}
	if err := warehouse.CheckContract(ctx, cw, r.wh, c, sql); err != nil {
		return nil, fmt.Errorf("model %s: %w", n.Name, err)
	}
	if constraints && r.opt.Log != nil {
		_, unenforced := warehouse.ContractDDL(r.wh, c, cw.Enforces, "")
		for _, k := range unenforced {
			r.opt.Log(fmt.Sprintf("warning: model %s: the %s constraint %s is not enforced by %s; it is not created",
				n.Name, k.Type, firstNonEmpty(k.Name, strings.Join(k.Columns, ", "), k.Expression), r.wh.Name()))
		}
	}
	return c, nil
}
