package bigquery

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"unicode"
	"unicode/utf8"

	"cloud.google.com/go/bigquery"
	"google.golang.org/api/iterator"

	"github.com/mart-dev/mart/warehouse"
)

// query runs sql as a query job (a statement or a script) and returns it
// finished.
func (w *Warehouse) query(ctx context.Context, kind jobKind, sql string) (*done, error) {
	labels := w.labels(ctx)
	return w.runJob(ctx, kind, func(ctx context.Context, id string) (*bigquery.Job, error) {
		q := w.client.Query(sql)
		q.JobID = id
		q.Location = w.cfg.Location
		q.Labels = labels
		q.DryRun = kind == dryRunJob
		q.MaxBytesBilled = w.cfg.MaximumBytesBilled
		q.JobTimeout = w.cfg.JobTimeout
		q.Priority = bigquery.InteractivePriority
		if w.cfg.Priority == "batch" {
			q.Priority = bigquery.BatchPriority
		}
		return q.Run(ctx)
	})
}

// labels are the profile's labels under the context's, in the form
// BigQuery accepts: keys and values lowercase, of letters, digits, _ and
// -, at most 63 characters; keys start with a letter.
func (w *Warehouse) labels(ctx context.Context) map[string]string {
	all := maps.Clone(w.cfg.Labels)
	if all == nil {
		all = map[string]string{}
	}
	maps.Copy(all, warehouse.JobLabels(ctx))
	out := make(map[string]string, len(all))
	for k, v := range all {
		key := labelText(k)
		if key == "" {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(key); !unicode.IsLetter(r) {
			key = "l" + key
		}
		out[truncate(key, 63)] = truncate(labelText(v), 63)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func labelText(s string) string {
	return strings.Map(func(r rune) rune {
		r = unicode.ToLower(r)
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-' {
			return r
		}
		return '_'
	}, s)
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// Exec runs sql, one statement or a script, and returns the rows affected
// by DML (0 for other statements). A job that fails is not run again
// (hooks may have done part of their work), but its insert is retried
// safely (see runJob).
func (w *Warehouse) Exec(ctx context.Context, sql string) (int64, error) {
	d, err := w.query(ctx, onceJob, sql)
	if err != nil {
		return 0, fmt.Errorf("exec: %w", err)
	}
	return d.queryStats().NumDMLAffectedRows, nil
}

// Query runs sql and returns up to limit rows (all when limit <= 0).
func (w *Warehouse) Query(ctx context.Context, sql string, limit int) (*warehouse.Rows, error) {
	d, err := w.query(ctx, atomicJob, sql)
	if err != nil {
		return nil, fmt.Errorf("query: %w", located(err, sql, sql))
	}
	rows, err := w.read(ctx, d.job, limit)
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	return rows, nil
}

// read reads the result of a finished query job.
func (w *Warehouse) read(ctx context.Context, job *bigquery.Job, limit int) (*warehouse.Rows, error) {
	it, err := job.Read(ctx)
	if err != nil {
		return nil, w.apiError(err, job.ID())
	}
	if limit > 0 && limit < 10000 {
		it.PageInfo().MaxSize = limit
	}
	out := &warehouse.Rows{}
	for limit <= 0 || len(out.Values) < limit {
		var row []bigquery.Value
		err := it.Next(&row)
		if errors.Is(err, iterator.Done) {
			break
		}
		if err != nil {
			return nil, w.apiError(err, job.ID())
		}
		vals := make([]any, len(row))
		for i, v := range row {
			vals[i] = plain(v, it.Schema[i])
		}
		out.Values = append(out.Values, vals)
	}
	out.Columns = schemaColumns(it.Schema)
	return out, nil
}

// DryRun validates sql with a dry-run job and returns the bytes it would
// process (what on-demand pricing bills, before the 10 MB minimum).
func (w *Warehouse) DryRun(ctx context.Context, sql string) (int64, error) {
	d, err := w.query(ctx, dryRunJob, sql)
	if err != nil {
		return 0, fmt.Errorf("dry run: %w", err)
	}
	return d.stats.BytesProcessed, nil
}

// onDemandUSDPerTiB is BigQuery's on-demand query price used for
// estimates (US multi-region list price).
const onDemandUSDPerTiB = 6.25

// Estimate dry-runs sql and prices the bytes it would process at the
// on-demand list price.
func (w *Warehouse) Estimate(ctx context.Context, sql string) (warehouse.Estimate, error) {
	b, err := w.DryRun(ctx, sql)
	if err != nil {
		return warehouse.Estimate{}, err
	}
	return warehouse.Estimate{BytesProcessed: b, USD: float64(b) / (1 << 40) * onDemandUSDPerTiB,
		Pricing: fmt.Sprintf("$%.2f/TiB on-demand", onDemandUSDPerTiB)}, nil
}

// dryRunSchema returns the columns sql would produce, from a dry run.
func (w *Warehouse) dryRunSchema(ctx context.Context, sql string) ([]warehouse.Column, error) {
	d, err := w.query(ctx, dryRunJob, sql)
	if err != nil {
		return nil, err
	}
	return schemaColumns(d.queryStats().Schema), nil
}

// QueryColumns is the columns a query returns, from a dry run.
func (w *Warehouse) QueryColumns(ctx context.Context, sql string) ([]warehouse.Column, error) {
	return w.dryRunSchema(ctx, sql)
}

// Enforces reports whether BigQuery enforces a constraint type.
func (w *Warehouse) Enforces(constraintType string) bool { return enforces(constraintType) }
