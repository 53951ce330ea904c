package bqfake

import (
	"net/http"
	"strconv"
	"time"

	bq "google.golang.org/api/bigquery/v2"
)

// resultWait is how long jobs.getQueryResults and jobs.query wait for a
// job by default.
const resultWait = 10 * time.Second

// await waits until j is done, wait has passed or the request ended.
func await(r *http.Request, j *job, wait time.Duration) {
	select {
	case <-j.done:
	case <-time.After(wait):
	case <-r.Context().Done():
	}
}

// jobs.getQueryResults
func (s *Server) getQueryResults(w http.ResponseWriter, r *http.Request, p []string) {
	q := r.URL.Query()
	wait := resultWait
	if ms, err := strconv.Atoi(q.Get("timeoutMs")); err == nil {
		wait = min(wait, time.Duration(ms)*time.Millisecond)
	}
	s.mu.Lock()
	j, err := s.lookupJob(p[0], p[1], q.Get("location"))
	s.mu.Unlock()
	if err != nil {
		writeAPIError(w, err)
		return
	}
	await(r, j, wait)
	s.mu.Lock()
	defer s.mu.Unlock()
	out := &bq.GetQueryResultsResponse{
		Kind:         "bigquery#getQueryResultsResponse",
		JobReference: &bq.JobReference{ProjectId: j.Project, JobId: j.ID, Location: j.Location},
		JobComplete:  j.State == "DONE",
	}
	if !out.JobComplete {
		writeJSON(w, out)
		return
	}
	if j.err != nil {
		writeAPIError(w, j.err)
		return
	}
	if j.stats != nil && j.stats.Query != nil {
		out.NumDmlAffectedRows = j.stats.Query.NumDmlAffectedRows
	}
	if res := j.result; res != nil && res.Schema != nil {
		start, _ := strconv.Atoi(q.Get("startIndex"))
		if tok := q.Get("pageToken"); tok != "" {
			start, _ = strconv.Atoi(tok)
		}
		size := len(res.Rows)
		if v := q.Get("maxResults"); v != "" {
			size, _ = strconv.Atoi(v)
		}
		out.Schema, out.TotalRows = apiSchema(res.Schema), uint64(len(res.Rows))
		out.Rows, out.PageToken = page(res, start, size, q.Get("formatOptions.useInt64Timestamp") == "true")
	}
	writeJSON(w, out)
}

// page encodes rows [start, start+size) of a result and the token of the
// next page.
func page(res *Result, start, size int, int64TS bool) ([]*bq.TableRow, string) {
	var rows []*bq.TableRow
	end := min(start+size, len(res.Rows))
	for i := start; i < end; i++ {
		rows = append(rows, encodeRow(res.Schema, res.Rows[i], int64TS))
	}
	if end < len(res.Rows) && size > 0 {
		return rows, strconv.Itoa(end)
	}
	return rows, ""
}

// jobs.query: a query run as a job and answered with its first page of
// rows when it finishes within the request's timeout (the client's
// Query.Read takes this path).
func (s *Server) runQuery(w http.ResponseWriter, r *http.Request, p []string) {
	var in bq.QueryRequest
	if err := readJSON(r, &in); err != nil {
		writeAPIError(w, err)
		return
	}
	if len(in.QueryParameters) > 0 {
		writeAPIError(w, invalidQuery("bqfake: query parameters are not supported"))
		return
	}
	j, err := s.startJob(p[0], &bq.Job{
		JobReference: &bq.JobReference{Location: in.Location},
		Configuration: &bq.JobConfiguration{DryRun: in.DryRun, Labels: in.Labels, JobTimeoutMs: in.JobTimeoutMs,
			Query: &bq.JobConfigurationQuery{Query: in.Query, MaximumBytesBilled: in.MaximumBytesBilled, UseLegacySql: in.UseLegacySql}},
	}, nil, "")
	if err != nil {
		writeAPIError(w, err)
		return
	}
	wait := resultWait
	if in.TimeoutMs > 0 {
		wait = min(wait, time.Duration(in.TimeoutMs)*time.Millisecond)
	}
	await(r, j, wait)
	s.mu.Lock()
	defer s.mu.Unlock()
	if j.err != nil {
		writeAPIError(w, j.err)
		return
	}
	out := &bq.QueryResponse{Kind: "bigquery#queryResponse", Location: j.Location, JobComplete: j.State == "DONE",
		JobReference: &bq.JobReference{ProjectId: j.Project, JobId: j.ID, Location: j.Location}}
	if st := j.stats; out.JobComplete && st != nil && st.Query != nil {
		out.NumDmlAffectedRows, out.DmlStats = st.Query.NumDmlAffectedRows, st.Query.DmlStats
		out.StatementType, out.TotalBytesProcessed = st.Query.StatementType, st.Query.TotalBytesProcessed
	}
	if res := j.result; out.JobComplete && res != nil && res.Schema != nil {
		size := len(res.Rows)
		if in.MaxResults > 0 {
			size = int(in.MaxResults)
		}
		out.Schema, out.TotalRows = apiSchema(res.Schema), uint64(len(res.Rows))
		useInt64 := in.FormatOptions != nil && in.FormatOptions.UseInt64Timestamp
		out.Rows, out.PageToken = page(res, 0, size, useInt64)
	}
	writeJSON(w, out)
}
