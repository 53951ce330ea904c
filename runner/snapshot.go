package runner

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/mart-dev/mart/compiler"
	"github.com/mart-dev/mart/warehouse"
)

// runSnapshot takes an SCD type 2 snapshot: the warehouse creates the table
// on the first run and records changed, new and (per hard_deletes) deleted
// rows as history later. --full-refresh does not apply to snapshots, as in
// dbt: their history cannot be rebuilt from the source.
func (r *Runner) runSnapshot(ctx context.Context, n *compiler.Node, res *NodeResult) error {
	inc, ok := r.wh.(warehouse.Incrementer)
	if !ok {
		return fmt.Errorf("snapshot %s: the %s adapter does not support snapshots", n.Name, r.wh.Name())
	}
	opt, err := snapshotOptions(n)
	if err != nil {
		return fmt.Errorf("snapshot %s: %w", n.Name, err)
	}
	opt.Now = time.Now().UTC()
	if err := r.nodeHooks(ctx, n, "pre_hook"); err != nil {
		return err
	}
	sql, err := r.sqlOf(ctx, n, res)
	if err != nil {
		return err
	}
	out, err := inc.Snapshot(ctx, relationOf(n), sql, opt)
	if err != nil {
		return sqlError(n, err)
	}
	res.RowsAffected = out.Inserted + out.Closed
	if out.Created {
		res.Message = fmt.Sprintf("SNAPSHOT created (%d rows)", out.Inserted)
	} else {
		res.Message = fmt.Sprintf("SNAPSHOT %d new versions, %d closed", out.Inserted, out.Closed)
	}
	if len(out.SchemaChanges) > 0 {
		res.Message += "; " + strings.Join(out.SchemaChanges, ", ")
	}
	return r.nodeHooks(ctx, n, "post_hook")
}

// snapshotOptions reads a snapshot's config (dbt's keys).
func snapshotOptions(n *compiler.Node) (warehouse.SnapshotOptions, error) {
	c := n.Config
	opt := warehouse.SnapshotOptions{
		Strategy:       c.String("strategy"),
		UniqueKey:      c.Strings("unique_key"),
		UpdatedAt:      c.String("updated_at"),
		CheckCols:      c.Strings("check_cols"),
		HardDeletes:    c.String("hard_deletes"),
		ValidToCurrent: c.String("dbt_valid_to_current"),
	}
	if opt.HardDeletes == "" && c.Bool("invalidate_hard_deletes", false) {
		opt.HardDeletes = warehouse.HardDeletesInvalidate
	}
	if names, ok := c["snapshot_meta_column_names"].(map[string]any); ok {
		for k, v := range names {
			s := fmt.Sprint(v)
			switch strings.ToLower(k) {
			case "dbt_valid_from":
				opt.ValidFrom = s
			case "dbt_valid_to":
				opt.ValidTo = s
			case "dbt_scd_id":
				opt.SCDID = s
			case "dbt_updated_at":
				opt.UpdatedAtColumn = s
			case "dbt_is_deleted":
				opt.IsDeleted = s
			default:
				return opt, fmt.Errorf("snapshot_meta_column_names: unknown key %q (expected dbt_valid_from, dbt_valid_to, dbt_scd_id, dbt_updated_at or dbt_is_deleted)", k)
			}
		}
	}
	return opt, opt.Validate()
}
