package bqfake

import (
	"regexp"
	"time"
)

// Field is a column of a result or table schema. Type uses BigQuery's
// standard SQL names (INT64, STRING, FLOAT64, BOOL, DATE, DATETIME,
// TIMESTAMP, NUMERIC, STRUCT, ...); Mode is "" (NULLABLE), "REQUIRED" or
// "REPEATED"; Fields are a STRUCT's fields. In result rows a STRUCT value
// is a []any of its fields' values and a REPEATED value a []any.
type Field struct {
	Name, Type, Mode string
	Fields           []Field
}

// Result scripts what the statements matching a pattern produce.
type Result struct {
	// Schema and Rows are the query result. A CREATE TABLE/VIEW ... AS
	// statement that matches gives the new relation this schema, and the
	// table NumRows (or len(Rows)) rows.
	Schema []Field
	Rows   [][]any
	// NumRows overrides len(Rows) as the row count of a created table.
	NumRows int64
	// Inserted, Updated and Deleted are the DML statistics of a matching
	// INSERT, MERGE, UPDATE or DELETE.
	Inserted, Updated, Deleted int64
	// BytesProcessed overrides the default estimate (1 MiB per table read).
	BytesProcessed int64
	// Duration keeps a matching job RUNNING that long (so that it can be
	// cancelled); its effects apply when it completes.
	Duration time.Duration
}

type resultRule struct {
	re *regexp.Regexp
	r  Result
}

// OnQuery scripts the result of statements matching the regular
// expression pattern. A later rule wins over an earlier one. A job's rows
// come from the rule matching its last statement.
func (s *Server) OnQuery(pattern string, r Result) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.results = append(s.results, &resultRule{re: regexp.MustCompile(pattern), r: r})
}

func (s *Server) resultFor(stmt string) (Result, bool) {
	for i := len(s.results) - 1; i >= 0; i-- {
		if s.results[i].re.MatchString(stmt) {
			return s.results[i].r, true
		}
	}
	return Result{}, false
}

// Failure makes matching statements fail the job they run in.
type Failure struct {
	// Reason is BigQuery's error reason: invalidQuery (the default),
	// notFound, backendError, rateLimitExceeded, internalError, ...
	Reason string
	// Message is the error message.
	Message string
	// Times limits the failure to the first n matching statements; 0 means
	// always.
	Times int
	// Runtime marks an error that only running the statement finds (a bad
	// cast, ERROR()): dry runs succeed. Transient reasons never fail dry
	// runs either.
	Runtime bool
}

type failureRule struct {
	re *regexp.Regexp
	f  Failure
	n  int // times it has fired
}

// FailJob makes statements matching the regular expression pattern fail.
func (s *Server) FailJob(pattern string, f Failure) {
	if f.Reason == "" {
		f.Reason = "invalidQuery"
	}
	if f.Message == "" {
		f.Message = "bqfake: scripted failure for " + pattern
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, &failureRule{re: regexp.MustCompile(pattern), f: f})
}

// failureFor returns the failure for stmt, counting it as fired.
func (s *Server) failureFor(stmt string, dryRun bool) *Failure {
	for _, fr := range s.failures {
		if !fr.re.MatchString(stmt) || (fr.f.Times > 0 && fr.n >= fr.f.Times) {
			continue
		}
		if dryRun && (fr.f.Runtime || transientReasons[fr.f.Reason]) {
			continue
		}
		fr.n++
		return &fr.f
	}
	return nil
}

var transientReasons = map[string]bool{"backendError": true, "rateLimitExceeded": true,
	"internalError": true, "jobRateLimitExceeded": true, "jobBackendError": true, "jobInternalError": true}

// RequestFailure makes HTTP calls fail with an error response.
type RequestFailure struct {
	// Method and Path select the calls: Path is a regular expression over
	// the URL path without the /bigquery/v2 prefix, e.g. `/jobs$` for
	// jobs.insert or `^/upload/` for media uploads.
	Method, Path string
	// Code, Reason and Message make the error response (503 backendError
	// by default).
	Code          int
	Reason        string
	Message       string
	Times         int  // 0 means always
	AfterHandling bool // handle the call first, then answer with the error
}

type requestFailure struct {
	RequestFailure
	re *regexp.Regexp
	n  int
}

// FailRequest makes matching HTTP calls fail.
func (s *Server) FailRequest(f RequestFailure) {
	if f.Code == 0 {
		f.Code = 503
	}
	if f.Reason == "" {
		f.Reason = "backendError"
	}
	if f.Message == "" {
		f.Message = "bqfake: scripted request failure"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqFails = append(s.reqFails, &requestFailure{RequestFailure: f, re: regexp.MustCompile(f.Path)})
}

// takeRequestFailure is called with s.mu held.
func (s *Server) takeRequestFailure(method, path string) *requestFailure {
	for _, rf := range s.reqFails {
		if rf.Method != "" && rf.Method != method {
			continue
		}
		if !rf.re.MatchString(path) || (rf.Times > 0 && rf.n >= rf.Times) {
			continue
		}
		rf.n++
		return rf
	}
	return nil
}
