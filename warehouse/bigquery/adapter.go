package bigquery

import (
	"context"
	"fmt"

	"github.com/mart-dev/mart/warehouse"
)

func init() { warehouse.Register(adapter{}) }

// adapter is BigQuery's entry in the warehouse registry.
type adapter struct{}

func (adapter) Dialect() warehouse.Dialect { return Dialect{} }

// ParseTarget reads a bigquery output with [ConfigFromSettings]. Templates
// also see the target's project and dataset, as in dbt-bigquery.
func (adapter) ParseTarget(s warehouse.Settings) (warehouse.Target, error) {
	cfg, err := ConfigFromSettings(s)
	if err != nil {
		return warehouse.Target{}, err
	}
	return warehouse.Target{Database: cfg.Project, Schema: cfg.Dataset, Config: cfg,
		Template: map[string]any{"project": cfg.Project, "dataset": cfg.Dataset}}, nil
}

// Open makes a client for the target (see [Open]); it does not call
// BigQuery yet.
func (adapter) Open(ctx context.Context, t warehouse.Target, _ warehouse.OpenOptions) (warehouse.Warehouse, error) {
	cfg, ok := t.Config.(Config)
	if !ok {
		return nil, fmt.Errorf("bigquery: the target was not read by the bigquery adapter")
	}
	return Open(ctx, cfg)
}

// EstimatesCosts says that BigQuery warehouses estimate what a statement
// would cost ([Warehouse.Estimate]): `mart build --dry-run` connects.
func (adapter) EstimatesCosts() bool { return true }

// Locate records the target's project: a later run reads this one's
// relations there (their names in the manifest carry it already).
func (adapter) Locate(t warehouse.Target, _ warehouse.OpenOptions) map[string]string {
	if cfg, ok := t.Config.(Config); ok {
		return map[string]string{"project": cfg.Project}
	}
	return nil
}
