package bigquery

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strings"

	"cloud.google.com/go/bigquery"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/iterator"

	"github.com/mart-dev/mart/warehouse"
)

// EnsureSchema creates the dataset project.schema in the profile's
// location if it does not exist. If it exists in another location, that is
// an error naming the profile's location key: jobs in the profile's
// location could not see it.
func (w *Warehouse) EnsureSchema(ctx context.Context, database, schema string) error {
	r := w.resolve(warehouse.Relation{Database: database, Schema: schema})
	key := r.Database + "." + r.Schema
	w.mu.Lock()
	ok := w.ensured[key]
	w.mu.Unlock()
	if ok {
		return nil
	}
	unlock, err := w.locks.lock(ctx, warehouse.Relation{Database: r.Database, Schema: r.Schema})
	if err != nil {
		return err
	}
	defer unlock()
	ds := w.client.DatasetInProject(r.Database, r.Schema)
	md, err := ds.Metadata(ctx)
	switch {
	case err == nil:
		if err := w.checkLocation(r, md.Location); err != nil {
			return err
		}
	case notFound(err):
		err = ds.Create(ctx, &bigquery.DatasetMetadata{Location: w.cfg.Location})
		if err != nil && !isDuplicate(err) {
			return w.datasetError(key, err) // typically: no such project
		}
	default:
		return w.datasetError(key, err)
	}
	w.mu.Lock()
	w.ensured[key] = true
	w.mu.Unlock()
	return nil
}

func (w *Warehouse) checkLocation(r warehouse.Relation, loc string) error {
	if w.cfg.Location != "" && !strings.EqualFold(loc, w.cfg.Location) {
		return fmt.Errorf("dataset %s.%s is in location %s but the profile's location is %s: jobs run in %s cannot use it; set location: %s in the profile (or use another dataset)",
			r.Database, r.Schema, loc, w.cfg.Location, w.cfg.Location, loc)
	}
	return nil
}

// datasetError explains a failure to read a dataset's metadata.
func (w *Warehouse) datasetError(key string, err error) error {
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		project, _, _ := strings.Cut(key, ".")
		switch {
		case ge.Code == http.StatusNotFound || ge.Code == http.StatusForbidden:
			return fmt.Errorf("dataset %s: project %q does not exist or the credentials cannot use it (profile key project): %w", key, project, w.apiError(err, ""))
		case ge.Code == http.StatusUnauthorized:
			return fmt.Errorf("dataset %s: %w", key, w.apiError(err, ""))
		}
	}
	return fmt.Errorf("dataset %s: %w", key, w.apiError(err, ""))
}

// metadata returns r's metadata, or nil if it does not exist.
func (w *Warehouse) metadata(ctx context.Context, r warehouse.Relation) (*bigquery.TableMetadata, error) {
	md, err := w.table(r).Metadata(ctx)
	if notFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, w.apiError(err, "")
	}
	return md, nil
}

// Describe returns r's columns and kind: "table" (tables, snapshots,
// external tables) or "view" (views and materialized views).
func (w *Warehouse) Describe(ctx context.Context, r warehouse.Relation) ([]warehouse.Column, string, error) {
	r = w.resolve(r)
	md, err := w.metadata(ctx, r)
	if err != nil || md == nil {
		if err != nil {
			err = opError("describe", r, err)
		}
		return nil, "", err
	}
	return schemaColumns(md.Schema), kindOf(md), nil
}

func kindOf(md *bigquery.TableMetadata) string {
	switch md.Type {
	case bigquery.ViewTable, bigquery.MaterializedView:
		return "view"
	}
	return "table"
}

// ListRelations lists the tables and views of a dataset by name, without
// temporary build relations. A missing dataset has none.
func (w *Warehouse) ListRelations(ctx context.Context, database, schema string) ([]warehouse.Relation, error) {
	names, err := w.tableNames(ctx, w.resolve(warehouse.Relation{Database: database, Schema: schema}))
	if err != nil {
		return nil, fmt.Errorf("list relations of %s: %w", schema, err)
	}
	var out []warehouse.Relation
	for _, n := range names {
		if !warehouse.IsTempName(n) {
			out = append(out, warehouse.Relation{Database: database, Schema: schema, Name: n})
		}
	}
	return out, nil
}

func (w *Warehouse) tableNames(ctx context.Context, r warehouse.Relation) ([]string, error) {
	it := w.client.DatasetInProject(r.Database, r.Schema).Tables(ctx)
	var names []string
	for {
		t, err := it.Next()
		if errors.Is(err, iterator.Done) {
			break
		}
		if notFound(err) {
			return nil, nil
		}
		if err != nil {
			return nil, w.apiError(err, "")
		}
		names = append(names, t.TableID)
	}
	sort.Strings(names)
	return names, nil
}

// TempRelations lists leftover temporary build relations in the datasets
// this warehouse has used.
func (w *Warehouse) TempRelations(ctx context.Context) ([]warehouse.Relation, error) {
	w.mu.Lock()
	keys := slices.Sorted(maps.Keys(w.datasets))
	w.mu.Unlock()
	var out []warehouse.Relation
	for _, key := range keys {
		project, dataset, _ := strings.Cut(key, ".")
		names, err := w.tableNames(ctx, warehouse.Relation{Database: project, Schema: dataset})
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			if warehouse.IsTempName(n) {
				out = append(out, warehouse.Relation{Database: project, Schema: dataset, Name: n})
			}
		}
	}
	return out, nil
}

// Drop deletes r, table or view, if it exists (tables.delete; no job).
func (w *Warehouse) Drop(ctx context.Context, r warehouse.Relation) error {
	r = w.resolve(r)
	unlock, err := w.locks.lock(ctx, r)
	if err != nil {
		return opError("drop", r, err)
	}
	defer unlock()
	if err := w.table(r).Delete(ctx); err != nil && !notFound(err) {
		return opError("drop", r, w.apiError(err, ""))
	}
	return nil
}

// dropQuietly deletes a temporary relation with a fresh context, ignoring
// errors: it is cleanup after a failure (the relation also expires).
func (w *Warehouse) dropQuietly(r warehouse.Relation) {
	ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
	_ = w.table(r).Delete(ctx)
}
