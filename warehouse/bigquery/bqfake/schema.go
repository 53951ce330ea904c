package bqfake

import (
	"net/http"
	"strings"
)

// createDataset adds a dataset to the catalog and its schema to DuckDB
// (s.work and s.mu held).
func (s *Server) createDataset(projectID, name, location string) (*dataset, error) {
	if err := s.eng.exec("CREATE SCHEMA IF NOT EXISTS " + duckSchema(projectID, name)); err != nil {
		return nil, err
	}
	ds := &dataset{project: projectID, id: name, location: location, tables: map[string]*table{}}
	s.project(projectID).datasets[name] = ds
	return ds, nil
}

// dropDataset removes a dataset and its tables (s.work and s.mu held).
func (s *Server) dropDataset(projectID, name string) error {
	if err := s.eng.exec("DROP SCHEMA IF EXISTS " + duckSchema(projectID, name) + " CASCADE"); err != nil {
		return err
	}
	delete(s.projects[projectID].datasets, name)
	return nil
}

// createSchema runs CREATE SCHEMA [IF NOT EXISTS] [project.]dataset, in
// the job's location.
func (r *run) createSchema(st *stmt, i int) *apiError {
	toks := st.toks
	ifNotExists := i+2 < len(toks) && toks[i].is("IF") && toks[i+1].is("NOT")
	i = skipWords(toks, i, "IF", "NOT", "EXISTS")
	raw, _ := rawPath(st.src, toks, i)
	proj, name := r.project, ""
	switch len(raw) {
	case 1:
		name = raw[0]
	case 2:
		proj, name = raw[0], raw[1]
	default:
		return invalidQuery("Syntax error: expected a dataset name after CREATE SCHEMA")
	}
	if r.inTx {
		return invalidQuery("CREATE SCHEMA is not supported inside a multi-statement transaction")
	}
	if r.s.lookupDataset(proj, name) != nil {
		if ifNotExists {
			return nil
		}
		return &apiError{http.StatusConflict, "duplicate", "Already Exists: Dataset " + proj + ":" + name}
	}
	if r.dryRun {
		return nil
	}
	if _, err := r.s.createDataset(proj, name, r.location); err != nil {
		return invalidQuery("%v", err)
	}
	return nil
}

// dropSchema runs DROP SCHEMA [IF EXISTS] [project.]dataset [CASCADE |
// RESTRICT]; without CASCADE a dataset with tables is not dropped.
func (r *run) dropSchema(st *stmt) *apiError {
	toks := st.toks
	i := skipWords(toks, 2, "IF", "EXISTS")
	ifExists := i > 2
	raw, next := rawPath(st.src, toks, i)
	proj, name := r.project, ""
	switch len(raw) {
	case 1:
		name = raw[0]
	case 2:
		proj, name = raw[0], raw[1]
	default:
		return invalidQuery("Syntax error: expected a dataset name after DROP SCHEMA")
	}
	cascade := next < len(toks) && toks[next].is("CASCADE")
	ds := r.s.lookupDataset(proj, name)
	switch {
	case ds == nil && ifExists:
		return nil
	case ds == nil:
		return notFound("Not found: Dataset %s:%s", proj, name)
	case len(ds.tables) > 0 && !cascade:
		return &apiError{http.StatusBadRequest, "resourceInUse", "Dataset " + proj + ":" + name + " is still in use"}
	case r.inTx:
		return invalidQuery("DROP SCHEMA is not supported inside a multi-statement transaction")
	}
	if r.dryRun {
		return nil
	}
	if err := r.s.dropDataset(proj, name); err != nil {
		return invalidQuery("%v", err)
	}
	return nil
}

// alterSchema runs ALTER SCHEMA ... SET OPTIONS: the dataset must exist;
// its options are not kept.
func (r *run) alterSchema(st *stmt, i int) *apiError {
	raw, _ := rawPath(st.src, st.toks, i)
	proj, name := r.project, strings.Join(raw, ".")
	if len(raw) == 2 {
		proj, name = raw[0], raw[1]
	}
	if r.s.lookupDataset(proj, name) == nil && !st.toks[2].is("IF") {
		return notFound("Not found: Dataset %s:%s", proj, name)
	}
	return nil
}
