package bqfake

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

type project struct {
	id       string
	datasets map[string]*dataset
}

type dataset struct {
	project, id, location string
	tables                map[string]*table
}

type table struct {
	project, dataset, id string
	kind                 string // TABLE or VIEW
	schema               []Field
	numRows              int64
	partition            *Partitioning
	clustering           []string
	expirationMs         int64
	viewQuery            string
	createdMs            int64
	stored               bool // DuckDB has it (a test's table without a schema has not)
}

// Partitioning is a table's partitioning spec: Type DAY, HOUR, MONTH or
// YEAR on time column Field ("" = ingestion time), or RANGE on an integer
// Field with Start, End and Interval.
type Partitioning struct {
	Type, Field          string
	Start, End, Interval int64
}

func (p *Partitioning) String() string {
	switch {
	case p == nil:
		return "none"
	case p.Type == "RANGE":
		return fmt.Sprintf("RANGE(%s, %d, %d, %d)", p.Field, p.Start, p.End, p.Interval)
	case p.Field == "":
		return p.Type + "(_PARTITIONTIME)"
	}
	return p.Type + "(" + p.Field + ")"
}

// Dataset describes a dataset of the fake.
type Dataset struct {
	Project, Name, Location string
}

// Table describes a table or view of the fake.
type Table struct {
	Project, Dataset, Name string
	Kind                   string // TABLE or VIEW
	Schema                 []Field
	NumRows                int64
	Partitioning           *Partitioning
	Clustering             []string
	// Expires says the table has an expiration time set.
	Expires bool
}

// AddProject makes a project known (jobs may run in it).
func (s *Server) AddProject(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.project(id)
}

// project returns (creating) the project id; s.mu must be held.
func (s *Server) project(id string) *project {
	p := s.projects[id]
	if p == nil {
		p = &project{id: id, datasets: map[string]*dataset{}}
		s.projects[id] = p
	}
	return p
}

// AddDataset creates a dataset (and its project) in location.
func (s *Server) AddDataset(projectID, name, location string) {
	s.work.Lock()
	defer s.work.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lookupDataset(projectID, name) == nil {
		if _, err := s.createDataset(projectID, name, location); err != nil {
			panic("bqfake: AddDataset: " + err.Error())
		}
	}
}

// AddTable creates or replaces a table (or view) in an existing dataset:
// an empty one with the given schema (a view of no rows), and NumRows as
// its row count until a statement changes it. A table without a schema is
// only in the catalog: statements that read it fail.
func (s *Server) AddTable(t Table) {
	s.work.Lock()
	defer s.work.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	ds := s.projects[t.Project].datasets[t.Dataset]
	kind := t.Kind
	if kind == "" {
		kind = "TABLE"
	}
	if old := ds.tables[t.Name]; old != nil {
		if err := s.eng.drop(t.Project, t.Dataset, t.Name, old.kind); err != nil {
			panic("bqfake: AddTable: " + err.Error())
		}
	}
	if err := s.eng.createTable(t.Project, t.Dataset, t.Name, t.Schema, kind == "VIEW"); err != nil {
		panic("bqfake: AddTable: " + err.Error())
	}
	ds.tables[t.Name] = &table{project: t.Project, dataset: t.Dataset, id: t.Name, kind: kind,
		schema: slices.Clone(t.Schema), numRows: t.NumRows, partition: t.Partitioning,
		clustering: slices.Clone(t.Clustering), createdMs: s.now().UnixMilli(), stored: len(t.Schema) > 0}
}

// Dataset returns the dataset, if it exists.
func (s *Server) Dataset(projectID, name string) (Dataset, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ds := s.lookupDataset(projectID, name)
	if ds == nil {
		return Dataset{}, false
	}
	return Dataset{Project: projectID, Name: name, Location: ds.location}, true
}

// Table returns the table or view, if it exists.
func (s *Server) Table(projectID, datasetName, name string) (Table, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ds := s.lookupDataset(projectID, datasetName)
	if ds == nil || ds.tables[name] == nil {
		return Table{}, false
	}
	return ds.tables[name].export(), true
}

// Tables lists the tables and views of a dataset, sorted by name.
func (s *Server) Tables(projectID, datasetName string) []Table {
	s.mu.Lock()
	defer s.mu.Unlock()
	ds := s.lookupDataset(projectID, datasetName)
	if ds == nil {
		return nil
	}
	var out []Table
	for _, name := range slices.Sorted(maps.Keys(ds.tables)) {
		out = append(out, ds.tables[name].export())
	}
	return out
}

func (t *table) export() Table {
	return Table{Project: t.project, Dataset: t.dataset, Name: t.id, Kind: t.kind, Schema: slices.Clone(t.schema),
		NumRows: t.numRows, Partitioning: t.partition, Clustering: slices.Clone(t.clustering), Expires: t.expirationMs != 0}
}

func (s *Server) lookupDataset(projectID, name string) *dataset {
	if p := s.projects[projectID]; p != nil {
		return p.datasets[name]
	}
	return nil
}

// findDataset returns the dataset or BigQuery's not-found error. A
// non-empty location must match the dataset's.
func (s *Server) findDataset(projectID, name, location string) (*dataset, *apiError) {
	p := s.projects[projectID]
	if p == nil {
		return nil, notFound("Not found: Project %s", projectID)
	}
	ds := p.datasets[name]
	if ds == nil {
		return nil, notFound("Not found: Dataset %s:%s", projectID, name)
	}
	if location != "" && !strings.EqualFold(location, ds.location) {
		return nil, notFound("Not found: Dataset %s:%s was not found in location %s", projectID, name, location)
	}
	return ds, nil
}

// findTable returns the table or BigQuery's not-found error.
func (s *Server) findTable(projectID, datasetName, name, location string) (*table, *apiError) {
	ds, err := s.findDataset(projectID, datasetName, location)
	if err != nil {
		return nil, err
	}
	t := ds.tables[name]
	if t == nil {
		if location != "" {
			return nil, notFound("Not found: Table %s:%s.%s was not found in location %s", projectID, datasetName, name, location)
		}
		return nil, notFound("Not found: Table %s:%s.%s", projectID, datasetName, name)
	}
	return t, nil
}

// snapshot deep-copies the catalog, for transactions.
func (s *Server) snapshot() map[string]*project {
	out := make(map[string]*project, len(s.projects))
	for id, p := range s.projects {
		np := &project{id: id, datasets: make(map[string]*dataset, len(p.datasets))}
		for dn, ds := range p.datasets {
			nd := *ds
			nd.tables = make(map[string]*table, len(ds.tables))
			for tn, t := range ds.tables {
				nt := *t
				nt.schema = slices.Clone(t.schema)
				nd.tables[tn] = &nt
			}
			np.datasets[dn] = &nd
		}
		out[id] = np
	}
	return out
}

// standardType turns an API (legacy) type name into the standard SQL one.
func standardType(t string) string {
	switch strings.ToUpper(t) {
	case "INTEGER":
		return "INT64"
	case "FLOAT":
		return "FLOAT64"
	case "BOOLEAN":
		return "BOOL"
	case "RECORD":
		return "STRUCT"
	}
	return strings.ToUpper(t)
}

// apiType turns a standard SQL type name into the API's name.
func apiType(t string) string {
	base, _, _ := strings.Cut(strings.ToUpper(t), "(")
	switch strings.TrimSpace(base) {
	case "INT64", "INT", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "BYTEINT":
		return "INTEGER"
	case "FLOAT64", "FLOAT":
		return "FLOAT"
	case "BOOL", "BOOLEAN":
		return "BOOLEAN"
	case "STRUCT", "RECORD":
		return "RECORD"
	case "DECIMAL":
		return "NUMERIC"
	case "BIGDECIMAL":
		return "BIGNUMERIC"
	}
	return strings.TrimSpace(base)
}
