package bigquery

import (
	"context"
	"fmt"

	"github.com/mart-dev/mart/warehouse"
)

// CheckResult is what [Warehouse.Check] found, for `mart debug`.
type CheckResult struct {
	// DatasetExists says the profile's dataset exists (a build creates it
	// otherwise); DatasetLocation is its location.
	DatasetExists   bool
	DatasetLocation string
}

// Check verifies the profile against BigQuery without changing anything:
// that the credentials work and may run jobs in the project (a dry run of
// SELECT 1), and that the dataset, if it exists, is in the profile's
// location. Each failure names the profile key to fix.
func (w *Warehouse) Check(ctx context.Context) (CheckResult, error) {
	var res CheckResult
	if _, err := w.DryRun(ctx, "SELECT 1"); err != nil {
		return res, fmt.Errorf("cannot run jobs in project %q (profile keys project and method): %w", w.cfg.Project, err)
	}
	r := warehouse.Relation{Database: w.cfg.Project, Schema: w.cfg.Dataset}
	md, err := w.client.DatasetInProject(r.Database, r.Schema).Metadata(ctx)
	switch {
	case notFound(err):
		return res, nil
	case err != nil:
		return res, w.datasetError(r.Database+"."+r.Schema, err)
	}
	res.DatasetExists, res.DatasetLocation = true, md.Location
	return res, w.checkLocation(r, md.Location)
}

// Diagnose is Check as the lines `mart debug` prints: what was verified.
func (w *Warehouse) Diagnose(ctx context.Context) ([]string, error) {
	chk, err := w.Check(ctx)
	if err != nil {
		return nil, err
	}
	lines := []string{fmt.Sprintf("credentials can run jobs in project %q", w.cfg.Project)}
	if chk.DatasetExists {
		return append(lines, fmt.Sprintf("dataset %q exists (location %s)", w.cfg.Dataset, chk.DatasetLocation)), nil
	}
	return append(lines, fmt.Sprintf("dataset %q does not exist yet: mart build creates it", w.cfg.Dataset)), nil
}
