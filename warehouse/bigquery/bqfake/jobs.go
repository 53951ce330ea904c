package bqfake

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"time"

	bq "google.golang.org/api/bigquery/v2"
)

// Job is a recorded job.
type Job struct {
	ID, Project, Location string
	Type                  string // QUERY or LOAD
	Query                 string // the statement or script of a query job
	DryRun                bool
	Labels                map[string]string
	MaximumBytesBilled    int64
	Priority              string // INTERACTIVE, BATCH or ""
	JobTimeoutMs          int64
	// Destination is project.dataset.table of a load job or of a query job
	// with a destination table.
	Destination                         string
	WriteDisposition, CreateDisposition string
	// Inserts counts the jobs.insert calls that carried this job id: more
	// than one means the client retried the insert.
	Inserts int
	// State is PENDING, RUNNING or DONE; ErrorReason and ErrorMessage are
	// set when a DONE job failed.
	State                     string
	ErrorReason, ErrorMessage string
	Cancelled                 bool
	StatementType             string
	BytesProcessed            int64
	BytesBilled               int64
	Load                      *Load
}

// Load is the configuration and data of a load job.
type Load struct {
	SourceFormat        string
	Schema              []Field
	SkipLeadingRows     int64
	FieldDelimiter      string
	AllowQuotedNewlines bool
	Autodetect          bool
	IgnoreUnknownValues bool
	Data                []byte
	// Upload is "multipart" or "resumable".
	Upload string
	// ParquetEnumAsString and ParquetListInference are the Parquet
	// options sent (recorded only: the fake reads ENUM as STRING and
	// refuses nested columns either way).
	ParquetEnumAsString, ParquetListInference bool
}

type job struct {
	Job
	cfg     *bq.JobConfiguration
	stmts   []*stmt
	result  *Result
	created time.Time
	stats   *bq.JobStatistics
	err     *apiError
	ctx     context.Context // ends when the job is cancelled
	cancel  context.CancelFunc
	done    chan struct{} // closed when the job has finished
	delayed bool          // a rule gives it a running time
}

// Jobs returns every job inserted so far, dry runs included, in order.
func (s *Server) Jobs() []Job {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Job, len(s.jobs))
	for i, j := range s.jobs {
		out[i] = j.Job
		out[i].Labels = maps.Clone(j.Labels)
	}
	return out
}

// Queries returns the statement of every query job that was not a dry run,
// in the order they were inserted.
func (s *Server) Queries() []string {
	var out []string
	for _, j := range s.Jobs() {
		if j.Type == "QUERY" && !j.DryRun {
			out = append(out, j.Query)
		}
	}
	return out
}

// ResetJobs forgets the recorded jobs (the catalog stays).
func (s *Server) ResetJobs() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.jobs = nil
	s.byID = map[string]*job{}
}

// jobs.insert (without media)
func (s *Server) insertJob(w http.ResponseWriter, r *http.Request, p []string) {
	var in bq.Job
	if err := readJSON(r, &in); err != nil {
		writeAPIError(w, err)
		return
	}
	j, err := s.startJob(p[0], &in, nil, "")
	if err != nil {
		writeAPIError(w, err)
		return
	}
	s.respondJob(w, r, j)
}

// insertWait is how long jobs.insert waits for a job to finish before it
// answers that the job is running (the client then polls).
const insertWait = 10 * time.Second

// respondJob answers a jobs.insert: with the finished job if it finishes
// soon (a job with a scripted running time is answered at once), so that
// the client need not poll for quick jobs.
func (s *Server) respondJob(w http.ResponseWriter, r *http.Request, j *job) {
	if !j.delayed {
		select {
		case <-j.done:
		case <-r.Context().Done():
		case <-time.After(insertWait):
		}
	}
	s.mu.Lock()
	out := j.api()
	s.mu.Unlock()
	writeJSON(w, out)
}

// startJob records a job and starts running it.
func (s *Server) startJob(projectID string, in *bq.Job, data []byte, upload string) (*job, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.projects[projectID] == nil {
		return nil, &apiError{http.StatusForbidden, "accessDenied", fmt.Sprintf(
			"Access Denied: Project %s: User does not have bigquery.jobs.create permission in project %s.", projectID, projectID)}
	}
	if in.Configuration == nil || (in.Configuration.Query == nil && in.Configuration.Load == nil) {
		return nil, &apiError{http.StatusBadRequest, "invalid", "Job configuration must contain exactly one job-specific configuration object (e.g., query, load, extract, copy)."}
	}
	ref := in.JobReference
	if ref == nil {
		ref = &bq.JobReference{}
	}
	if ref.JobId == "" {
		s.nextID++
		ref.JobId = fmt.Sprintf("bqfake_job_%d", s.nextID)
	}
	if ref.Location == "" {
		ref.Location = "US"
	}
	key := projectID + ":" + ref.JobId
	if old := s.byID[key]; old != nil && !in.Configuration.DryRun {
		old.Inserts++
		return nil, &apiError{http.StatusConflict, "duplicate", fmt.Sprintf("Already Exists: Job %s:%s.%s", projectID, ref.Location, ref.JobId)}
	}
	j := s.newJob(projectID, ref, in.Configuration)
	s.jobs = append(s.jobs, j)
	if !j.DryRun {
		s.byID[key] = j
	}
	if cfg := in.Configuration.Load; cfg != nil {
		s.startLoad(j, cfg, data, upload)
	} else {
		s.startQuery(j)
	}
	return j, nil
}

func (s *Server) newJob(projectID string, ref *bq.JobReference, cfg *bq.JobConfiguration) *job {
	now := s.now()
	j := &job{cfg: cfg, created: now, done: make(chan struct{})}
	if cfg.JobTimeoutMs > 0 { // job_timeout: BigQuery stops the job
		j.ctx, j.cancel = context.WithTimeout(context.Background(), time.Duration(cfg.JobTimeoutMs)*time.Millisecond)
	} else {
		j.ctx, j.cancel = context.WithCancel(context.Background())
	}
	j.ID, j.Project, j.Location = ref.JobId, projectID, ref.Location
	j.DryRun, j.Labels, j.JobTimeoutMs, j.Inserts = cfg.DryRun, cfg.Labels, cfg.JobTimeoutMs, 1
	j.State = "RUNNING"
	if q := cfg.Query; q != nil {
		j.Type, j.Query, j.MaximumBytesBilled, j.Priority = "QUERY", q.Query, q.MaximumBytesBilled, q.Priority
		j.Destination = tableName(q.DestinationTable)
		j.WriteDisposition, j.CreateDisposition = q.WriteDisposition, q.CreateDisposition
	}
	return j
}

func tableName(t *bq.TableReference) string {
	if t == nil {
		return ""
	}
	return t.ProjectId + "." + t.DatasetId + "." + t.TableId
}

// finish marks j done with err (nil: success) and fills its statistics.
func (s *Server) finish(j *job, err *apiError, processed int64, extra func(*bq.JobStatistics)) {
	now := s.now()
	j.State = "DONE"
	j.err = err
	if err != nil {
		j.ErrorReason, j.ErrorMessage = err.Reason, err.Message
	}
	billed := billedBytes(processed)
	if j.DryRun || (err != nil && err.Reason == "bytesBilledLimitExceeded") {
		billed = 0
	}
	j.BytesProcessed, j.BytesBilled = processed, billed
	j.stats = &bq.JobStatistics{
		CreationTime:        j.created.UnixMilli(),
		StartTime:           j.created.UnixMilli(),
		EndTime:             now.UnixMilli(),
		TotalBytesProcessed: processed,
		TotalSlotMs:         slotMs(processed),
	}
	if j.DryRun {
		j.stats.StartTime, j.stats.EndTime = 0, 0
	}
	if extra != nil {
		extra(j.stats)
	}
}

// billedBytes rounds up to whole MiB with the 10 MiB minimum per query.
func billedBytes(processed int64) int64 {
	const mib = 1 << 20
	if processed <= 0 {
		return 0
	}
	b := (processed + mib - 1) / mib * mib
	return max(b, 10*mib)
}

func slotMs(processed int64) int64 {
	if processed == 0 {
		return 0
	}
	return 10 + processed/100000
}

func (j *job) api() *bq.Job {
	out := &bq.Job{
		Kind:          "bigquery#job",
		Id:            j.Project + ":" + j.Location + "." + j.ID,
		JobReference:  &bq.JobReference{ProjectId: j.Project, JobId: j.ID, Location: j.Location},
		Configuration: j.cfg,
		Status:        &bq.JobStatus{State: j.State},
		Statistics:    j.stats,
		UserEmail:     "bqfake@example.com",
	}
	if j.DryRun {
		out.JobReference.JobId, out.Id = "", ""
	}
	if j.err != nil {
		ep := &bq.ErrorProto{Reason: j.err.Reason, Message: j.err.Message}
		out.Status.ErrorResult, out.Status.Errors = ep, []*bq.ErrorProto{ep}
	}
	if out.Statistics == nil {
		out.Statistics = &bq.JobStatistics{CreationTime: j.created.UnixMilli(), StartTime: j.created.UnixMilli()}
	}
	return out
}

// lookupJob finds a job for jobs.get and friends; location, if given, must
// match.
func (s *Server) lookupJob(projectID, id, location string) (*job, *apiError) {
	j := s.byID[projectID+":"+id]
	if j == nil || (location != "" && location != j.Location) {
		return nil, notFound("Not found: Job %s:%s", projectID, id)
	}
	return j, nil
}

// jobs.get
func (s *Server) getJob(w http.ResponseWriter, r *http.Request, p []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, err := s.lookupJob(p[0], p[1], r.URL.Query().Get("location"))
	if err != nil {
		writeAPIError(w, err)
		return
	}
	writeJSON(w, j.api())
}

// jobs.cancel
func (s *Server) cancelJob(w http.ResponseWriter, r *http.Request, p []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, err := s.lookupJob(p[0], p[1], r.URL.Query().Get("location"))
	if err != nil {
		writeAPIError(w, err)
		return
	}
	if j.State != "DONE" {
		j.Cancelled = true
		s.finish(j, stoppedError, 0, nil)
		j.cancel()
	}
	writeJSON(w, &bq.JobCancelResponse{Kind: "bigquery#jobCancelResponse", Job: j.api()})
}
