package bqfake

import (
	"maps"
	"net/http"
	"slices"
	"strconv"

	bq "google.golang.org/api/bigquery/v2"
)

// datasets.get
func (s *Server) getDataset(w http.ResponseWriter, r *http.Request, p []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ds, err := s.findDataset(p[0], p[1], "")
	if err != nil {
		writeAPIError(w, err)
		return
	}
	writeJSON(w, ds.api())
}

func (ds *dataset) api() *bq.Dataset {
	return &bq.Dataset{
		Kind:             "bigquery#dataset",
		Id:               ds.project + ":" + ds.id,
		DatasetReference: &bq.DatasetReference{ProjectId: ds.project, DatasetId: ds.id},
		Location:         ds.location,
	}
}

// datasets.insert
func (s *Server) insertDataset(w http.ResponseWriter, r *http.Request, p []string) {
	var in bq.Dataset
	if err := readJSON(r, &in); err != nil {
		writeAPIError(w, err)
		return
	}
	s.work.Lock()
	defer s.work.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	prj := s.projects[p[0]]
	if prj == nil {
		writeAPIError(w, notFound("Not found: Project %s", p[0]))
		return
	}
	if in.DatasetReference == nil || in.DatasetReference.DatasetId == "" {
		writeError(w, http.StatusBadRequest, "invalid", "Dataset reference is missing")
		return
	}
	id := in.DatasetReference.DatasetId
	if prj.datasets[id] != nil {
		writeError(w, http.StatusConflict, "duplicate", "Already Exists: Dataset "+p[0]+":"+id)
		return
	}
	loc := in.Location
	if loc == "" {
		loc = "US"
	}
	ds, err := s.createDataset(p[0], id, loc)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "internalError", "bqfake: "+err.Error())
		return
	}
	writeJSON(w, ds.api())
}

// datasets.delete
func (s *Server) deleteDataset(w http.ResponseWriter, r *http.Request, p []string) {
	s.work.Lock()
	defer s.work.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	ds, err := s.findDataset(p[0], p[1], "")
	if err != nil {
		writeAPIError(w, err)
		return
	}
	if len(ds.tables) > 0 && r.URL.Query().Get("deleteContents") != "true" {
		writeError(w, http.StatusBadRequest, "resourceInUse", "Dataset "+p[0]+":"+p[1]+" is still in use")
		return
	}
	if err := s.dropDataset(p[0], p[1]); err != nil {
		writeError(w, http.StatusInternalServerError, "internalError", "bqfake: "+err.Error())
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// tables.list
func (s *Server) listTables(w http.ResponseWriter, r *http.Request, p []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ds, err := s.findDataset(p[0], p[1], "")
	if err != nil {
		writeAPIError(w, err)
		return
	}
	names := slices.Sorted(maps.Keys(ds.tables))
	start, _ := strconv.Atoi(r.URL.Query().Get("pageToken"))
	size, _ := strconv.Atoi(r.URL.Query().Get("maxResults"))
	if size <= 0 {
		size = 50
	}
	out := &bq.TableList{Kind: "bigquery#tableList", TotalItems: int64(len(names))}
	for i := start; i < len(names) && i < start+size; i++ {
		t := ds.tables[names[i]]
		out.Tables = append(out.Tables, &bq.TableListTables{
			Id:             t.project + ":" + t.dataset + "." + t.id,
			Kind:           "bigquery#table",
			TableReference: &bq.TableReference{ProjectId: t.project, DatasetId: t.dataset, TableId: t.id},
			Type:           t.kind,
		})
	}
	if start+size < len(names) {
		out.NextPageToken = strconv.Itoa(start + size)
	}
	writeJSON(w, out)
}

// tables.insert
func (s *Server) insertTable(w http.ResponseWriter, r *http.Request, p []string) {
	var in bq.Table
	if err := readJSON(r, &in); err != nil {
		writeAPIError(w, err)
		return
	}
	s.work.Lock()
	defer s.work.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	ds, err := s.findDataset(p[0], p[1], "")
	if err != nil {
		writeAPIError(w, err)
		return
	}
	if in.TableReference == nil || in.TableReference.TableId == "" {
		writeError(w, http.StatusBadRequest, "invalid", "Table reference is missing")
		return
	}
	id := in.TableReference.TableId
	if ds.tables[id] != nil {
		writeError(w, http.StatusConflict, "duplicate", "Already Exists: Table "+p[0]+":"+p[1]+"."+id)
		return
	}
	t := &table{project: p[0], dataset: p[1], id: id, kind: "TABLE", schema: fromAPISchema(in.Schema),
		expirationMs: in.ExpirationTime, createdMs: s.now().UnixMilli()}
	if in.View != nil {
		t.kind, t.viewQuery = "VIEW", in.View.Query
		writeError(w, http.StatusBadRequest, "invalid", "bqfake: creating views with tables.insert is not supported (use CREATE VIEW)")
		return
	}
	if tp := in.TimePartitioning; tp != nil {
		t.partition = &Partitioning{Type: tp.Type, Field: tp.Field}
	}
	if rp := in.RangePartitioning; rp != nil && rp.Range != nil {
		t.partition = &Partitioning{Type: "RANGE", Field: rp.Field, Start: rp.Range.Start, End: rp.Range.End, Interval: rp.Range.Interval}
	}
	if in.Clustering != nil {
		t.clustering = in.Clustering.Fields
	}
	if err := s.eng.createTable(p[0], p[1], id, t.schema, false); err != nil {
		writeError(w, http.StatusBadRequest, "invalid", "bqfake: "+err.Error())
		return
	}
	t.stored = len(t.schema) > 0
	ds.tables[id] = t
	writeJSON(w, t.api(ds.location))
}

// tables.get
func (s *Server) getTable(w http.ResponseWriter, r *http.Request, p []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.findTable(p[0], p[1], p[2], "")
	if err != nil {
		writeAPIError(w, err)
		return
	}
	writeJSON(w, t.api(s.projects[p[0]].datasets[p[1]].location))
}

// tables.delete
func (s *Server) deleteTable(w http.ResponseWriter, r *http.Request, p []string) {
	s.work.Lock()
	defer s.work.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.findTable(p[0], p[1], p[2], "")
	if err != nil {
		writeAPIError(w, err)
		return
	}
	if err := s.eng.drop(p[0], p[1], p[2], t.kind); err != nil {
		writeError(w, http.StatusInternalServerError, "internalError", "bqfake: "+err.Error())
		return
	}
	delete(s.projects[p[0]].datasets[p[1]].tables, p[2])
	w.WriteHeader(http.StatusNoContent)
}

func (t *table) api(location string) *bq.Table {
	out := &bq.Table{
		Kind:           "bigquery#table",
		Id:             t.project + ":" + t.dataset + "." + t.id,
		TableReference: &bq.TableReference{ProjectId: t.project, DatasetId: t.dataset, TableId: t.id},
		Type:           t.kind,
		Schema:         apiSchema(t.schema),
		Location:       location,
		CreationTime:   t.createdMs,
		ExpirationTime: t.expirationMs,
	}
	if t.kind == "TABLE" {
		n := uint64(t.numRows)
		out.NumRows = n
	} else {
		out.View = &bq.ViewDefinition{Query: t.viewQuery}
	}
	if pt := t.partition; pt != nil {
		if pt.Type == "RANGE" {
			out.RangePartitioning = &bq.RangePartitioning{Field: pt.Field,
				Range: &bq.RangePartitioningRange{Start: pt.Start, End: pt.End, Interval: pt.Interval}}
		} else {
			out.TimePartitioning = &bq.TimePartitioning{Type: pt.Type, Field: pt.Field}
		}
	}
	if len(t.clustering) > 0 {
		out.Clustering = &bq.Clustering{Fields: t.clustering}
	}
	return out
}

func apiSchema(fields []Field) *bq.TableSchema {
	if fields == nil {
		return nil
	}
	out := &bq.TableSchema{}
	for _, f := range fields {
		fs := &bq.TableFieldSchema{Name: f.Name, Type: apiType(f.Type), Mode: f.Mode}
		if f.Fields != nil {
			fs.Fields = apiSchema(f.Fields).Fields
		}
		out.Fields = append(out.Fields, fs)
	}
	return out
}

func fromAPISchema(s *bq.TableSchema) []Field {
	if s == nil {
		return nil
	}
	out := make([]Field, 0, len(s.Fields))
	for _, f := range s.Fields {
		sub := fromAPISchema(&bq.TableSchema{Fields: f.Fields})
		if len(f.Fields) == 0 {
			sub = nil
		}
		out = append(out, Field{Name: f.Name, Type: standardType(f.Type), Mode: f.Mode, Fields: sub})
	}
	return out
}
