package bigquery

import (
	"context"

	"github.com/mart-dev/mart/warehouse"
)

// AttachState: a previous run's relations are in BigQuery already, named
// with their project; a relation without one is in the state's project.
func (w *Warehouse) AttachState(ctx context.Context, loc warehouse.StateLocation) (func(warehouse.Relation) warehouse.Relation, error) {
	project := loc.Recorded["project"]
	if project == "" {
		project = w.cfg.Project
	}
	return func(r warehouse.Relation) warehouse.Relation {
		if r.Database == "" {
			r.Database = project
		}
		if r.Schema == "" {
			r.Schema = w.cfg.Dataset
		}
		return r
	}, nil
}
