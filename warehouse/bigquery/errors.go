package bigquery

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"cloud.google.com/go/bigquery"
	"google.golang.org/api/googleapi"

	"github.com/mart-dev/mart/warehouse"
)

// JobError is an error BigQuery reported for a job or an API call, with
// BigQuery's reason and message kept as they are.
type JobError struct {
	// JobID is the job's id ("" for API calls that are not jobs).
	JobID string
	// Code is the HTTP status of an API error (0 for a failed job).
	Code int
	// Reason is BigQuery's error reason: invalidQuery, notFound,
	// accessDenied, bytesBilledLimitExceeded, backendError, ...
	Reason string
	// Message is BigQuery's message.
	Message string
	// Hint says what to change, naming the profile key, when the adapter
	// knows.
	Hint string
}

func (e *JobError) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	if e.Reason != "" {
		fmt.Fprintf(&b, " [%s]", e.Reason)
	}
	if e.JobID != "" {
		fmt.Fprintf(&b, " (job %s)", e.JobID)
	}
	if e.Hint != "" {
		b.WriteString(": " + e.Hint)
	}
	return b.String()
}

// jobError turns a failed job's status error into a *JobError.
func (w *Warehouse) jobError(err error, job *bigquery.Job) error {
	je := &JobError{JobID: job.ID(), Message: err.Error()}
	var be *bigquery.Error
	if errors.As(err, &be) {
		je.Reason, je.Message = be.Reason, be.Message
	}
	je.Hint = w.hint(je)
	return je
}

// apiError turns an API call's error into a *JobError; other errors
// (transport, credentials) are returned wrapped.
func (w *Warehouse) apiError(err error, jobID string) error {
	var ge *googleapi.Error
	if !errors.As(err, &ge) {
		return fmt.Errorf("bigquery: %w", err)
	}
	je := &JobError{JobID: jobID, Code: ge.Code, Message: ge.Message}
	if len(ge.Errors) > 0 {
		je.Reason = ge.Errors[0].Reason
		if je.Message == "" {
			je.Message = ge.Errors[0].Message
		}
	}
	if je.Message == "" {
		je.Message = ge.Error()
	}
	je.Hint = w.hint(je)
	return je
}

// hint explains errors caused by the profile.
func (w *Warehouse) hint(e *JobError) string {
	switch {
	case e.Reason == "bytesBilledLimitExceeded":
		return fmt.Sprintf("the query would bill more than maximum_bytes_billed (%d bytes) of the profile; raise maximum_bytes_billed or read less data", w.cfg.MaximumBytesBilled)
	case e.Code == http.StatusUnauthorized:
		return fmt.Sprintf("the credentials were refused (profile key method: %s)", methodName(w.cfg.Method))
	case e.Reason == "accessDenied" && e.JobID != "":
		return fmt.Sprintf("the credentials may not run jobs in project %q (profile key project); check the project and that the account has the BigQuery Job User role", w.cfg.Project)
	}
	return ""
}

func methodName(m string) string {
	if m == "" {
		return MethodOAuth
	}
	return m
}

// notFound reports whether err is BigQuery's 404.
func notFound(err error) bool {
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		return ge.Code == http.StatusNotFound
	}
	var je *JobError
	return errors.As(err, &je) && je.Code == http.StatusNotFound
}

// opError prefixes err with the operation and relation.
func opError(op string, r fmt.Stringer, err error) error {
	return fmt.Errorf("%s %s: %w", op, r, err)
}

// errAt finds where BigQuery located a problem in a query: "... at [3:5]".
var errAt = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`at \[(\d+):(\d+)\]`) })

// located adds to an error about stmt the position BigQuery gives, moved
// into selectSQL (the compiled SQL that stmt holds), so the user sees the
// line of their own file.
func located(err error, stmt, selectSQL string) error {
	var je *JobError
	if err == nil || !errors.As(err, &je) {
		return err
	}
	m := errAt().FindStringSubmatch(je.Message)
	if m == nil {
		return err
	}
	line, _ := strconv.Atoi(m[1])
	col, _ := strconv.Atoi(m[2])
	return warehouse.InSQL(err, stmt, selectSQL, line, col)
}
