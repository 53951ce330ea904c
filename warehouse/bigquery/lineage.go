package bigquery

import "github.com/mart-dev/mart/warehouse"

// LineageDataset names a table as OpenLineage's naming conventions do for
// BigQuery: the namespace "bigquery" and the name project.dataset.table.
func (w *Warehouse) LineageDataset(r warehouse.Relation) (namespace, name string) {
	if r.Database == "" {
		r.Database = w.cfg.Project
	}
	if r.Schema == "" {
		r.Schema = w.cfg.Dataset
	}
	return "bigquery", r.Database + "." + r.Schema + "." + r.Name
}
