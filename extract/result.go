package extract

import (
	"errors"
	"fmt"
	"time"
)

// Status of a table's extract.
type Status string

const (
	StatusSuccess Status = "success"
	StatusError   Status = "error"
	// StatusSkipped: the run was cancelled before the table began.
	StatusSkipped Status = "skipped"
)

// TableResult is what happened to one table.
type TableResult struct {
	TableInfo
	Status Status
	// Rows is how many rows (or keys, or changes) were read from the
	// source; Inserted, Updated and Deleted are the changes to the raw
	// table (Deleted counts rows marked deleted with keep_deleted).
	Rows                       int64
	Inserted, Updated, Deleted int64
	Bytes                      int64
	StartedAt                  time.Time
	Duration                   time.Duration
	// Err says why the table failed, naming the source and the table; its
	// text never holds a DSN or password.
	Err error
}

// Results is a run's outcome, a result per table in the order given.
type Results struct {
	Tables  []TableResult
	Elapsed time.Duration
}

// Err joins the errors of the tables that failed, or is nil.
func (r *Results) Err() error {
	var errs []error
	for _, t := range r.Tables {
		if t.Err != nil {
			errs = append(errs, t.Err)
		}
	}
	return errors.Join(errs...)
}

// TableError is a table's failure: it names the source and the table.
type TableError struct {
	Source, Table string
	Err           error
}

func (e *TableError) Error() string {
	return fmt.Sprintf("extract source %s, table %s: %v", e.Source, e.Table, e.Err)
}

func (e *TableError) Unwrap() error { return e.Err }
