package bqfake

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"

	bq "google.golang.org/api/bigquery/v2"
)

// upload is a resumable upload session.
type upload struct {
	project string
	job     bq.Job
	data    []byte
}

// uploadJob serves jobs.insert with media: uploadType=multipart (job and
// data in one multipart/related body) and uploadType=resumable (a session
// started with the job, then chunks posted to the session URL).
func (s *Server) uploadJob(w http.ResponseWriter, r *http.Request, p []string) {
	q := r.URL.Query()
	switch {
	case q.Get("upload_id") != "":
		s.uploadChunk(w, r, q.Get("upload_id"))
	case q.Get("uploadType") == "multipart":
		s.uploadMultipart(w, r, p[0])
	case q.Get("uploadType") == "resumable":
		var in bq.Job
		if err := readJSON(r, &in); err != nil {
			writeAPIError(w, err)
			return
		}
		s.mu.Lock()
		s.nextID++
		id := strconv.Itoa(s.nextID)
		s.uploads[id] = &upload{project: p[0], job: in}
		s.mu.Unlock()
		w.Header().Set("Location", s.URL()+"/upload/bigquery/v2/projects/"+p[0]+"/jobs?uploadType=resumable&upload_id="+id)
		w.WriteHeader(http.StatusOK)
	default:
		writeError(w, http.StatusBadRequest, "invalid", "bqfake: unsupported uploadType "+q.Get("uploadType"))
	}
}

func (s *Server) uploadMultipart(w http.ResponseWriter, r *http.Request, projectID string) {
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid", "bqfake: bad multipart Content-Type: "+err.Error())
		return
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	var parts [][]byte
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			writeError(w, http.StatusBadRequest, "invalid", "bqfake: bad multipart body: "+err.Error())
			return
		}
		b, _ := io.ReadAll(part)
		parts = append(parts, b)
	}
	if len(parts) != 2 {
		writeError(w, http.StatusBadRequest, "invalid", fmt.Sprintf("bqfake: multipart upload has %d parts, want 2", len(parts)))
		return
	}
	var in bq.Job
	if err := json.Unmarshal(parts[0], &in); err != nil {
		writeError(w, http.StatusBadRequest, "invalid", "bqfake: bad job JSON: "+err.Error())
		return
	}
	j, aerr := s.startJob(projectID, &in, parts[1], "multipart")
	if aerr != nil {
		writeAPIError(w, aerr)
		return
	}
	s.respondJob(w, r, j)
}

func (s *Server) uploadChunk(w http.ResponseWriter, r *http.Request, id string) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	up := s.uploads[id]
	if up != nil {
		up.data = append(up.data, body...)
	}
	s.mu.Unlock()
	if up == nil {
		writeError(w, http.StatusNotFound, "notFound", "bqfake: no upload session "+id)
		return
	}
	// "bytes 0-99/*" is a middle chunk; "bytes 0-99/100" and "bytes */100"
	// are final.
	if strings.HasSuffix(r.Header.Get("Content-Range"), "/*") {
		w.Header().Set("X-Http-Status-Code-Override", "308")
		w.Header().Set("Range", fmt.Sprintf("bytes=0-%d", len(up.data)-1))
		w.WriteHeader(http.StatusOK)
		return
	}
	s.mu.Lock()
	delete(s.uploads, id)
	s.mu.Unlock()
	j, err := s.startJob(up.project, &up.job, up.data, "resumable")
	if err != nil {
		writeAPIError(w, err)
		return
	}
	s.respondJob(w, r, j)
}

func (s *Server) startLoad(j *job, cfg *bq.JobConfigurationLoad, data []byte, upload string) {
	j.Type = "LOAD"
	j.Destination = tableName(cfg.DestinationTable)
	j.WriteDisposition, j.CreateDisposition = cfg.WriteDisposition, cfg.CreateDisposition
	delim := cfg.FieldDelimiter
	if delim == "" {
		delim = ","
	}
	j.Load = &Load{SourceFormat: cfg.SourceFormat, Schema: fromAPISchema(cfg.Schema), SkipLeadingRows: cfg.SkipLeadingRows,
		FieldDelimiter: delim, AllowQuotedNewlines: cfg.AllowQuotedNewlines, Autodetect: cfg.Autodetect,
		IgnoreUnknownValues: cfg.IgnoreUnknownValues, Data: data, Upload: upload}
	if po := cfg.ParquetOptions; po != nil {
		j.Load.ParquetEnumAsString, j.Load.ParquetListInference = po.EnumAsString, po.EnableListInference
	}
	s.jobsWG.Add(1)
	go s.runJob(j, 0)
}

// completeLoad runs a load job (s.work and s.mu held).
func (s *Server) completeLoad(j *job) {
	ref := j.cfg.Load.DestinationTable
	n, err := s.load(j, ref)
	s.finish(j, err, 0, func(st *bq.JobStatistics) {
		st.Load = &bq.JobStatistics3{InputFiles: 1, InputFileBytes: int64(len(j.Load.Data)), OutputRows: n, OutputBytes: int64(len(j.Load.Data))}
	})
}

// load applies a load job to its destination table and returns the rows
// loaded: the CSV records become rows of the table, in one transaction.
func (s *Server) load(j *job, ref *bq.TableReference) (int64, *apiError) {
	if ref == nil {
		return 0, &apiError{http.StatusBadRequest, "invalid", "Load configuration must specify a destination table"}
	}
	if f := s.failureFor("LOAD "+tableName(ref), false); f != nil {
		return 0, &apiError{failureCode(f.Reason), f.Reason, f.Message}
	}
	ds, err := s.findDataset(ref.ProjectId, ref.DatasetId, j.Location)
	if err != nil {
		return 0, err
	}
	if j.Load.Autodetect {
		return 0, &apiError{http.StatusBadRequest, "invalid", "bqfake: schema autodetection is not supported: give the load a schema"}
	}
	src := *j.Load // the job keeps the data as sent
	if err := gunzip(&src); err != nil {
		return 0, &apiError{http.StatusBadRequest, "invalid", "Error while reading data, error message: " + err.Error()}
	}
	t0 := ds.tables[ref.TableId]
	var records [][]*string
	var fileSchema []Field // a Parquet file's own
	var cerr error
	switch src.SourceFormat {
	case "", "CSV":
		records, cerr = readCSV(&src, len(src.Schema))
	case "NEWLINE_DELIMITED_JSON":
		schema := src.Schema
		if schema == nil && t0 != nil {
			schema = t0.schema
		}
		records, cerr = readNDJSON(src.Data, schema, src.IgnoreUnknownValues)
	case "PARQUET":
		fileSchema, records, cerr = readParquet(j.ctx, src.Data)
	default:
		return 0, &apiError{http.StatusBadRequest, "invalid", "bqfake: only CSV, NEWLINE_DELIMITED_JSON and PARQUET loads are supported"}
	}
	if cerr != nil {
		return 0, &apiError{http.StatusBadRequest, "invalid", "Error while reading data, error message: " + cerr.Error()}
	}
	t := ds.tables[ref.TableId]
	switch {
	case t == nil && j.CreateDisposition == "CREATE_NEVER":
		return 0, notFound("Not found: Table %s:%s.%s", ref.ProjectId, ref.DatasetId, ref.TableId)
	case t != nil && t.kind != "TABLE":
		return 0, invalidQuery("%s:%s.%s is a view; load jobs need a table", ref.ProjectId, ref.DatasetId, ref.TableId)
	case t != nil && j.WriteDisposition != "WRITE_APPEND" && j.WriteDisposition != "WRITE_TRUNCATE" && t.numRows > 0:
		return 0, &apiError{http.StatusConflict, "duplicate", "Already Exists: Table " + ref.ProjectId + ":" + ref.DatasetId + "." + ref.TableId}
	}
	schema := j.Load.Schema
	if fileSchema != nil {
		// Parquet is self-describing: the file's schema applies (a given
		// one must name the same columns).
		if schema != nil && !sameNames(schema, fileSchema) {
			return 0, &apiError{http.StatusBadRequest, "invalid", "Provided Schema does not match Table. Field names differ from the Parquet file's"}
		}
		schema = fileSchema
	}
	if schema == nil && t != nil {
		schema = t.schema
	}
	if len(schema) == 0 {
		return 0, &apiError{http.StatusBadRequest, "invalid", "bqfake: a load needs a schema (autodetect is not supported)"}
	}
	if t == nil {
		t = &table{project: ref.ProjectId, dataset: ref.DatasetId, id: ref.TableId, kind: "TABLE", createdMs: s.now().UnixMilli()}
	}
	n, lerr := s.eng.loadRows(j.ctx, t, schema, records, t.stored && j.WriteDisposition == "WRITE_APPEND")
	if lerr != nil {
		return 0, &apiError{http.StatusBadRequest, "invalid", "Error while reading data, error message: " + lerr.Error()}
	}
	t.schema, t.numRows, t.stored = schema, n, true
	ds.tables[ref.TableId] = t
	return int64(len(records)), nil
}

// gunzip decompresses a gzip-compressed CSV or JSON load, as BigQuery
// reads them (Parquet compresses inside the file instead).
func gunzip(l *Load) error {
	if l.SourceFormat == "PARQUET" || !bytes.HasPrefix(l.Data, []byte{0x1f, 0x8b}) {
		return nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(l.Data))
	if err != nil {
		return err
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return fmt.Errorf("gzip: %w", err)
	}
	l.Data = data
	return nil
}

// readNDJSON reads the rows of a newline-delimited JSON load as records
// in the schema's column order: a missing key or a null is NULL, a JSON
// column's value its JSON text ("fields declared as JSON type load the
// raw JSON value", a string included). A key that is not in the schema
// fails the load unless ignoreUnknownValues is set, as in BigQuery.
func readNDJSON(data []byte, schema []Field, ignoreUnknown bool) ([][]*string, error) {
	var out [][]*string
	for i, line := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(line, &obj); err != nil {
			return nil, fmt.Errorf("JSON parsing error in row starting at position %d: %v", i+1, err)
		}
		if !ignoreUnknown {
			for k := range obj {
				if !slices.ContainsFunc(schema, func(f Field) bool { return strings.EqualFold(f.Name, k) }) {
					return nil, fmt.Errorf("JSON table encountered too many errors, giving up. Rows: %d; errors: 1. Please look into the errors[] collection for more details. No such field: %s.", len(out)+1, k)
				}
			}
		}
		rec := make([]*string, len(schema))
		for c, f := range schema {
			raw, ok := obj[f.Name]
			if !ok || string(raw) == "null" {
				continue
			}
			var v string
			if apiType(f.Type) == "JSON" || json.Unmarshal(raw, &v) != nil {
				v = string(raw)
			}
			rec[c] = &v
		}
		out = append(out, rec)
	}
	return out, nil
}

// readCSV reads the data records of a CSV load and checks their width; an
// empty field is NULL.
func readCSV(l *Load, width int) ([][]*string, error) {
	cr := csv.NewReader(bytes.NewReader(l.Data))
	cr.Comma = []rune(l.FieldDelimiter)[0]
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = false
	var out [][]*string
	for row := int64(1); ; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if row <= l.SkipLeadingRows {
			continue
		}
		if width > 0 && len(rec) != width {
			return nil, fmt.Errorf("CSV table references column position %d, but line starting at position:%d contains only %d columns", width-1, row, len(rec))
		}
		if !l.AllowQuotedNewlines {
			for _, f := range rec {
				if strings.ContainsAny(f, "\r\n") {
					return nil, fmt.Errorf("Error detected while parsing row starting at position: %d. Error: Missing close double quote (\") character", row)
				}
			}
		}
		nullable := make([]*string, len(rec))
		for i := range rec {
			if rec[i] != "" {
				nullable[i] = &rec[i]
			}
		}
		out = append(out, nullable)
	}
}
